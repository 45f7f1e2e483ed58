"""Representations of the symmetric group S_n from partitions and Young tableaux.

The complex (and real: S_n has only real-type irreducibles) irreducible representations
of S_n are the Specht modules S^lambda, one per partition lambda of n.

* Dimension: the number f^lambda of standard Young tableaux of shape lambda, which the
  hook length formula gives as n! / prod(hook lengths).
* Young's orthogonal form: in the basis of standard tableaux T, the adjacent
  transposition s_i = (i i+1) acts by
      rho(s_i) e_T = (1/r) e_T + sqrt(1 - 1/r^2) e_{s_i T},
  where r = c(i+1) - c(i) is the axial distance, c(j) = column - row of the box holding
  j, and s_i T swaps i and i+1 (when i, i+1 share a row, r = 1 and rho(s_i) e_T = e_T;
  a column, r = -1 and rho(s_i) e_T = -e_T). The matrices are orthogonal, with entries
  in Q(sqrt 2, sqrt 3, ...), so they are exact in sympy.
* Characters: the Murnaghan-Nakayama rule chi^lambda(mu) = sum over ways of removing
  border strips of sizes mu_1, mu_2, ... of (-1)^(sum of their heights), computed on
  beta-sets (first-column hook lengths): removing a strip of length r moves one bead
  from b to b - r, with sign (-1)^(beads strictly between).

Entries are 0, ..., n-1 (the points S_n permutes); tableaux are stored as the row of
each entry. Permutations use the library convention (``g[x]`` is the image of x,
products right to left).

A partition is a tuple (or list) of positive integers, largest first
([`check_partition`][pltheory.young.check_partition]). All partitions of n are listed for n
up to `MAX_PARTITION_SIZE`; one shape (its dimension, character values, tableaux and Young
matrices) is handled for n up to `MAX_SHAPE_SIZE`, with at most `MAX_TABLEAUX` standard
tableaux and `MAX_CHARACTER_STATES` intermediate shapes in the Murnaghan-Nakayama rule;
larger requests raise [`TooLargeError`][pltheory.errors.TooLargeError].

Examples
--------
>>> partitions(4)
[(4,), (3, 1), (2, 2), (2, 1, 1), (1, 1, 1, 1)]
>>> murnaghan_nakayama((2, 1), (3,)), len(standard_tableaux((3, 2)))
(-1, 5)
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from functools import lru_cache

import numpy as np
import scipy.sparse
import sympy

from .errors import ArgumentError, TooLargeError
from .limits import check_memory
from .permutations import as_permutation
from .validate import check_instance, check_integer

Partition = tuple[int, ...]

#: Largest n whose partitions are all listed: p(50) = 204226 partitions take about a
#: second to list.
MAX_PARTITION_SIZE = 50

#: Largest n of a single shape (hook lengths, characters, tableaux, Young matrices).
MAX_SHAPE_SIZE = 1000

#: Most intermediate shapes (beta sets) the Murnaghan-Nakayama rule keeps at one step.
MAX_CHARACTER_STATES = 20_000

#: Most standard tableaux (f^lambda, by the hook length formula) listed for one shape.
MAX_TABLEAUX = 100_000


def check_partition(shape: object, name: str = "shape", *, any_order: bool = False) -> Partition:
    """``shape`` as a tuple of ints if it is a partition of n <= `MAX_SHAPE_SIZE`:
    a tuple or list of positive integers, largest first (in any order if ``any_order``, as
    a cycle type may be given; it is then sorted).

    Raises
    ------
    ArgumentError
        Not a tuple or list, a part that is not a positive integer, or parts not in order.
    TooLargeError
        n > `MAX_SHAPE_SIZE`.

    >>> check_partition([3, 1])
    (3, 1)
    """
    check_instance(shape, name, (tuple, list), "a partition (a tuple of positive integers, largest first)")
    _check_size(len(shape), name, MAX_SHAPE_SIZE)  # each part is at least 1: refuse long lists before reading
    parts = tuple(check_integer(part, f"a part of {name}", 1) for part in shape)
    _check_size(sum(parts), name, MAX_SHAPE_SIZE)
    if any_order:
        parts = tuple(sorted(parts, reverse=True))
    elif any(a < b for a, b in zip(parts, parts[1:])):
        raise ArgumentError(f"{name} must list its parts largest first, got {parts}")
    return parts


def _check_size(n: int, what: str, limit: int = MAX_PARTITION_SIZE) -> None:
    """TooLargeError if n > limit (all partitions are listed up to MAX_PARTITION_SIZE, one
    shape is handled up to MAX_SHAPE_SIZE)."""
    if n > limit:
        shown = n if n < 10**9 else "more than 10^9"
        what_is = "all partitions of n are listed" if limit == MAX_PARTITION_SIZE else "a shape is handled"
        raise TooLargeError(f"{what} has n = {shown}; {what_is} for n up to {limit}")


def partitions(n: int) -> list[Partition]:
    """The partitions of n, largest parts first, in reverse lexicographic order: (n) first,
    (1, ..., 1) last. ``n`` is an integer from 0 to `MAX_PARTITION_SIZE`
    ([`TooLargeError`][pltheory.errors.TooLargeError] above).

    >>> partitions(3), partitions(0)
    ([(3,), (2, 1), (1, 1, 1)], [()])
    """
    n = check_integer(n, "n", 0)
    _check_size(n, "partitions(n)")

    def parts(m: int, largest: int) -> list[Partition]:
        if m == 0:
            return [()]
        return [(k, *rest) for k in range(min(m, largest), 0, -1) for rest in parts(m - k, k)]

    return parts(n, n)


def conjugate(shape: Partition) -> Partition:
    """The transposed partition (column lengths): lambda'_j = #{i : lambda_i > j}.

    >>> conjugate((3, 1))
    (2, 1, 1)
    """
    shape = check_partition(shape)
    return tuple(sum(1 for row in shape if row > j) for j in range(shape[0])) if shape else ()


def hook_length_dimension(shape: Partition) -> int:
    """f^lambda = n! / prod of hook lengths (the hook length formula): the dimension of
    the irreducible of S_n of shape lambda and the number of standard tableaux.

    >>> hook_length_dimension((3, 1)), hook_length_dimension((2, 2))
    (3, 2)
    """
    shape = check_partition(shape)
    cols = conjugate(shape)
    hooks = math.prod(shape[i] - j + cols[j] - i - 1 for i in range(len(shape)) for j in range(shape[i]))
    return math.factorial(sum(shape)) // hooks


def partitions_of_dimension(n: int, dim: int) -> list[Partition]:
    """The partitions lambda of n with f^lambda = dim, found without listing all of them.

    For lambda_1 = n - d with 2d <= n, f^lambda >= binom(n - d, d) (the hooks of the first
    row are at most those of (n), and f^mu >= 1 for the rest mu of d). This bound grows
    with d up to d = n/4, so only partitions within depth d of (n) or of (1^n) (conjugates
    have equal dimension) are searched, for d up to the first depth whose bound exceeds
    ``dim`` and at most n/4. For n <= 30 every partition is checked. For larger n the
    partitions deeper than n/4 on both sides are not searched: their dimensions are far
    beyond `MAX_TABLEAUX` (the smallest is 5,259,150 at n = 31, and they grow with n;
    checked against all partitions for n = 31 .. 40), so larger ``dim`` are refused.

    Examples
    --------
    >>> print(partitions_of_dimension(6, 5))
    [(5, 1), (3, 3), (2, 2, 2), (2, 1, 1, 1, 1)]
    >>> [shape[:3] for shape in partitions_of_dimension(40, 740)]     # (38, 2) and its conjugate
    [(38, 2), (2, 2, 1)]
    """
    n = check_integer(n, "n", 0, MAX_SHAPE_SIZE)
    dim = check_integer(dim, "dim", 1)
    if n <= 30:
        return [shape for shape in partitions(n) if hook_length_dimension(shape) == dim]
    if dim > MAX_TABLEAUX:
        raise TooLargeError(f"partitions of n = {n} with f = {dim}: searched only up to f = {MAX_TABLEAUX}")
    found: list[Partition] = []
    for d in range(n // 4 + 1):
        if d and math.comb(n - d, d) > dim:
            break
        _check_size(d, f"the depth {d} reached for dimension {dim}")
        for mu in partitions(d):
            shape = (n - d, *mu)
            if hook_length_dimension(shape) == dim:
                found += [shape] if conjugate(shape) == shape else [shape, conjugate(shape)]
    return found


def character_table_values(n: int) -> np.ndarray:
    """chi^lambda(mu) for all partitions lambda (rows) and cycle types mu (columns) of n, both
    in the order of [`partitions`][pltheory.young.partitions], as an integer array.

    One column per mu, for all lambda at once: by the Murnaghan-Nakayama rule, p_mu =
    sum_lambda chi^lambda(mu) s_lambda, and multiplying a Schur function by p_r adds border
    strips of size r with sign (-1)^(height). On beta sets (bit masks of n beads) adding a
    strip moves a bead from b to b + r over the beads between. O(sum over mu of the shapes
    reached times n), no group elements: S_20 (627 classes) in about a second.

    Examples
    --------
    >>> character_table_values(3).tolist()     # rows (3), (2,1), (1,1,1); columns: 3-cycle, transposition, 1
    [[1, 1, 1], [-1, 0, 2], [1, -1, 1]]
    """
    shapes = partitions(n)
    row = {_beads(shape, n): i for i, shape in enumerate(shapes)}
    table = np.zeros((len(shapes), len(shapes)), dtype=np.int64)
    empty = (1 << n) - 1  # the empty shape: beads at 0 .. n-1
    for j, mu in enumerate(shapes):
        states = {empty: 1}
        for r in reversed(mu):
            grown: dict[int, int] = {}
            for mask, coefficient in states.items():
                beads = mask
                while beads:
                    low = beads & -beads
                    b = low.bit_length() - 1
                    beads ^= low
                    if not (mask >> (b + r)) & 1:
                        jumped = bin((mask >> (b + 1)) & ((1 << (r - 1)) - 1)).count("1")
                        moved = mask ^ low ^ (1 << (b + r))
                        grown[moved] = grown.get(moved, 0) + (-coefficient if jumped % 2 else coefficient)
            states = {mask: c for mask, c in grown.items() if c}
        for mask, value in states.items():
            table[row[mask], j] = value
    return table


def _beads(shape: Partition, n: int) -> int:
    """The beta set of ``shape`` padded to n parts, as a bit mask: beads at lambda_i + n - 1 - i."""
    padded = list(shape) + [0] * (n - len(shape))
    return sum(1 << (part + n - 1 - i) for i, part in enumerate(padded))


def standard_tableaux(shape: Partition) -> tuple[tuple[int, ...], ...]:
    """The standard Young tableaux of ``shape``, each as the row of every entry 0..n-1,
    in lexicographic order of these row sequences (Yamanouchi words). Shapes with more
    than `MAX_TABLEAUX` of them are refused
    ([`TooLargeError`][pltheory.errors.TooLargeError]) before any is listed.

    >>> standard_tableaux((2, 1))     # rows {0,1},{2} and {0,2},{1}
    ((0, 0, 1), (0, 1, 0))
    """
    shape = check_partition(shape)
    count = hook_length_dimension(shape)
    if count > MAX_TABLEAUX:
        raise TooLargeError(f"shape {shape} has {count} standard tableaux, more than the limit of {MAX_TABLEAUX}")
    return _standard_tableaux(shape)


@lru_cache(maxsize=256)
def _standard_tableaux(shape: Partition) -> tuple[tuple[int, ...], ...]:
    n = sum(shape)
    result: list[tuple[int, ...]] = []
    lengths = [0] * len(shape)
    word: list[int] = []

    def fill() -> None:
        if len(word) == n:
            result.append(tuple(word))
            return
        for row, size in enumerate(shape):
            if lengths[row] < size and (row == 0 or lengths[row - 1] > lengths[row]):
                lengths[row] += 1
                word.append(row)
                fill()
                word.pop()
                lengths[row] -= 1

    fill()
    return tuple(result)


def _contents(tableau: tuple[int, ...]) -> list[int]:
    """c(j) = column - row of the box holding entry j."""
    seen = [0] * (max(tableau) + 1)
    contents = []
    for row in tableau:
        contents.append(seen[row] - row)
        seen[row] += 1
    return contents


def _transposition_entries(shape: Partition, i: int, exact: bool) -> list[tuple[int, int, object]]:
    """(row, column, value) of rho(s_i) in Young's orthogonal form."""
    tableaux = _standard_tableaux(shape)
    position = {t: k for k, t in enumerate(tableaux)}
    entries = []
    for k, t in enumerate(tableaux):
        c = _contents(t)
        r = c[i + 1] - c[i]
        if exact:
            diagonal, off = sympy.Rational(1, r), sympy.sqrt(sympy.Rational(r * r - 1, r * r))
        else:
            diagonal, off = 1.0 / r, math.sqrt(1.0 - 1.0 / (r * r))
        entries.append((k, k, diagonal))
        if abs(r) > 1:  # i and i+1 in different rows and columns: s_i T is standard
            swapped = list(t)
            swapped[i], swapped[i + 1] = t[i + 1], t[i]
            entries.append((position[tuple(swapped)], k, off))
    return entries


def adjacent_transpositions(perm: Sequence[int] | np.ndarray) -> list[int]:
    """[i_1, ..., i_m] with perm = s_{i_1} s_{i_2} ... s_{i_m}, s_i = (i i+1), m the
    number of inversions (bubble sort: perm s_{j_1} ... s_{j_m} = id for the swaps j).
    ``perm`` permutes at most `MAX_PARTITION_SIZE` points. O(d^2) for d points.

    >>> adjacent_transpositions([2, 0, 1])     # [2, 0, 1] = s_1 o s_0
    [1, 0]
    """
    values = as_permutation(perm).tolist()
    _check_size(len(values), "the permutation", MAX_SHAPE_SIZE)
    swaps = []
    for end in range(len(values) - 1, 0, -1):
        for j in range(end):
            if values[j] > values[j + 1]:
                values[j], values[j + 1] = values[j + 1], values[j]
                swaps.append(j)
    return swaps[::-1]


def young_orthogonal_matrix(shape: Partition, perm: Sequence[int] | np.ndarray) -> np.ndarray:
    """rho_lambda(perm) in Young's orthogonal form, as a float array.

    >>> young_orthogonal_matrix((2, 1), [1, 0, 2])
    array([[ 1.,  0.],
           [ 0., -1.]])
    """
    shape, perm, f = _checked_matrix(shape, perm)
    factors = _sparse_transpositions(shape)
    result = np.eye(f)
    for i in reversed(adjacent_transpositions(perm)):
        result = factors[i] @ result
    return result


def young_orthogonal_matrix_exact(shape: Partition, perm: Sequence[int] | np.ndarray) -> sympy.Matrix:
    """rho_lambda(perm) in Young's orthogonal form with exact sympy entries.

    >>> young_orthogonal_matrix_exact((2, 1), [1, 2, 0]).tolist()
    [[-1/2, sqrt(3)/2], [-sqrt(3)/2, -1/2]]
    """
    shape, perm, f = _checked_matrix(shape, perm)
    result = sympy.eye(f)
    for i in reversed(adjacent_transpositions(perm)):
        factor = sympy.SparseMatrix(f, f, {(a, b): v for a, b, v in _transposition_entries(shape, i, True)})
        result = sympy.Matrix(factor * result).applyfunc(sympy.radsimp)
    return result


def _checked_matrix(shape: object, perm: object) -> tuple[Partition, np.ndarray, int]:
    """(shape, perm, f^shape) after checking that shape is a partition of n, perm a
    permutation of n points and that f x f matrices fit in memory."""
    shape = check_partition(shape)
    perm = as_permutation(perm, sum(shape))
    f = len(standard_tableaux(shape))
    check_memory(16 * f * f, f"the {f} x {f} matrices of shape {shape}", "use a smaller shape")
    return shape, perm, f


@lru_cache(maxsize=256)
def _sparse_transpositions(shape: Partition) -> tuple[scipy.sparse.csr_array, ...]:
    f = len(_standard_tableaux(shape))
    mats = []
    for i in range(sum(shape) - 1):
        rows, cols, vals = zip(*_transposition_entries(shape, i, False))
        mats.append(scipy.sparse.csr_array((vals, (rows, cols)), shape=(f, f)))
    return tuple(mats)


def murnaghan_nakayama(shape: Partition, cycles: Partition) -> int:
    """chi^lambda on the class of cycle type ``cycles`` (Murnaghan-Nakayama rule): ``shape``
    a partition, ``cycles`` the cycle lengths (positive integers in any order) of a
    permutation of the same n.

    Examples
    --------
    >>> [murnaghan_nakayama((3, 1), mu) for mu in [(1, 1, 1, 1), (2, 1, 1), (2, 2), (3, 1), (4,)]]
    [3, 1, -1, 0, -1]
    """
    shape = check_partition(shape)
    cycles = check_partition(cycles, "cycles", any_order=True)
    if sum(shape) != sum(cycles):
        raise ArgumentError(f"shape {shape} and cycles {cycles} are partitions of different numbers")
    return _mn(shape, cycles)


@lru_cache(maxsize=4096)
def _mn(shape: Partition, cycles: Partition) -> int:
    """The rule as dynamic programming over beta sets (first-column hook lengths): removing
    a rim hook of length r moves one bead b to b - r, with sign (-1)^(beads jumped). The
    largest cycles go first, which keeps few shapes alive; at most MAX_CHARACTER_STATES
    shapes are kept at one step."""
    states = {frozenset(part + len(shape) - 1 - i for i, part in enumerate(shape)): 1}
    for r in cycles:
        following: dict[frozenset[int], int] = {}
        for beta, coefficient in states.items():
            for b in beta:
                if b - r >= 0 and b - r not in beta:
                    sign = -1 if sum(1 for c in beta if b - r < c < b) % 2 else 1
                    moved = beta - {b} | {b - r}
                    following[moved] = following.get(moved, 0) + sign * coefficient
        states = {beta: c for beta, c in following.items() if c}
        if len(states) > MAX_CHARACTER_STATES:
            raise TooLargeError(f"the Murnaghan-Nakayama rule for {shape[:8]}{'...' if len(shape) > 8 else ''} "
                                f"keeps more than {MAX_CHARACTER_STATES} intermediate shapes")
    return sum(states.values())

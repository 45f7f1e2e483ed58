"""The real irreducible representation as a value: [`Irrep`][pltheory.irreducibles.irrep.Irrep], its key and its type.

Every finite group has finitely many real irreducible representations V up to
isomorphism. Each has a *type*, the division algebra D = End_G(V):

* R (real type): V (x) C is a complex irreducible W; chi_V = chi_W; dim_R V = dim_C W.
* C (complex type): V (x) C = W + conj(W) with W not self-conjugate; chi_V = 2 Re chi_W;
  dim_R V = 2 dim_C W.
* H (quaternionic type): V (x) C = W + W; chi_V = 2 chi_W; dim_R V = 2 dim_C W.

`<chi_V, chi_V>` = dim_R End_G(V) = 1, 2, 4 tells the type; it agrees with the
Frobenius-Schur indicator (1/|G|) sum_g chi_W(g^2) = 1, 0, -1 of W.

An irreducible is identified by its group and its *key*, a short string that the group's
family chooses (the frequency "1" of C_n, the tuple "(1,0)" of C_4 x C_4, "E2" of D_n,
the partition "(3,1)" of S_n, dimension and letter "2a" otherwise). Keys are stable
across runs and seeds, round-trip through JSON, and name the irreducible everywhere: in
``G.irrep(key)``, decompositions, interaction graphs and the command line.

Examples
--------
>>> import pltheory as pt
>>> V = pt.group("C6").irrep("1")
>>> V.key, V.dim, V.type, V == pt.cyclic(6).irrep(1)
('1', 2, 'C', True)
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Literal

import numpy as np
import scipy.linalg
import sympy

from .. import young
from ..errors import GroupMismatchError, NoClosedFormError, TooLargeError
from ..groups import FiniteGroup
from ..permutations import cycle_type, permutation_order
from ..reps import Representation
from ..tolerances import CHARACTER_SORT_DIGITS, CHARACTER_TOL, INVARIANT_TOL, NULL_SPACE_RCOND
from ..validate import check_instance

IrrepType = Literal["R", "C", "H"]

#: dim_R End_G(V) for each type.
ENDOMORPHISM_DIM = {"R": 1, "C": 2, "H": 4}

#: (`<chi_V, chi_V>`, (1/|G|) sum_g chi_V(g^2)) of a real irreducible V of each type: the norm
#: is dim_R End_G(V); the second is the Frobenius-Schur indicator of a complex constituent
#: W, times 2 for type H (chi_V = 2 chi_W, indicator -1) and summed with its conjugate's for
#: type C (chi_V = chi_W + conj chi_W, indicators 0). A sum of several irreducibles has
#: none of these pairs: both invariants are additive over direct sums of non-isomorphic
#: summands (norms 1, 2, 4 and sums 1, 0, -2 add up), and V + V has (4 n, 2 s) for V with (n, s).
REAL_IRREP_INVARIANTS: dict[str, tuple[int, int]] = {"R": (1, 1), "C": (2, 0), "H": (4, -2)}


@dataclass(frozen=True, eq=False)
class Irrep:
    """A real irreducible representation of ``group``.

    Attributes
    ----------
    key:
        Its stable name (module docstring): the frequency for cyclic groups ("0", "1",
        ...), the frequency tuple for products of cyclic groups ("(1,0)"), "A1", "A2",
        "B1", "B2", "E1", ... for D_n, the partition for S_n ("(3,1)"), otherwise
        dimension and a letter ("2a").
    type:
        "R", "C" or "H": End_G(V) is the reals, complex numbers or quaternions.
    matrices:
        (num_generators, dim, dim) real orthogonal matrices of the generators.
    frequency:
        For cyclic groups the integer k, for products of cyclic groups the tuple, for
        D_n the rotation frequency k (0 for A1, A2; n/2 for B1, B2).
    partition:
        For S_n, the partition lambda of n.
    exact_generators:
        For closed-form families, a function returning exact sympy matrices of the
        generators (use `exact_matrices`).

    Notes
    -----
    Irreducibles are values: equal when their groups are equal and their keys agree.
    Two equal Irreps may hold their matrices in different bases (built with different
    seeds, say): code that combines matrices takes them from one group's ``irreps()``.

    Examples
    --------
    >>> import pltheory as pt
    >>> V = pt.group("C4").irrep("1")      # the generator rotates the plane by pi/2
    >>> V, V.complex_dim, V.matrices.round(6) + 0.0
    (Irrep('1', dim=2, type=C, group=C4), 1, array([[[ 0., -1.],
            [ 1.,  0.]]]))
    """

    group: FiniteGroup
    key: str
    type: IrrepType
    matrices: np.ndarray
    frequency: int | tuple[int, ...] | None = None
    complex_structure: np.ndarray | None = field(default=None, repr=False)
    partition: tuple[int, ...] | None = None
    exact_generators: Callable[[], list[sympy.Matrix]] | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        matrices = self.matrices
        if not (isinstance(matrices, np.ndarray) and matrices.dtype == float and not matrices.flags.writeable):
            matrices = np.array(matrices, dtype=float)  # a read-only copy: irreducibles are values
            matrices.flags.writeable = False
            object.__setattr__(self, "matrices", matrices)

    @property
    def frequency_tuple(self) -> tuple[int, ...] | None:
        """The frequency as a tuple (k,) or (k_1, ..., k_m), for products of cyclic groups."""
        if self.frequency is None:
            return None
        return self.frequency if isinstance(self.frequency, tuple) else (self.frequency,)

    @property
    def dim(self) -> int:
        """Real dimension."""
        return int(self.matrices.shape[1])

    @property
    def complex_dim(self) -> int:
        """Dimension of a complex irreducible constituent W of V (x) C."""
        return self.dim if self.type == "R" else self.dim // 2

    @property
    def endomorphism_dim(self) -> int:
        """dim_R End_G(V): 1, 2 or 4."""
        return ENDOMORPHISM_DIM[self.type]

    def __repr__(self) -> str:
        return f"Irrep({self.key!r}, dim={self.dim}, type={self.type}, group={self.group.name})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Irrep):
            return NotImplemented
        return self.key == other.key and self.group == other.group

    def __hash__(self) -> int:
        return hash((self.key, self.group))

    def as_dict(self) -> dict:
        """The JSON form: key, dimension, type, kernel order, the orders of the generators'
        matrices, and the family's frequency or partition. Where the kernel cannot be
        decided (a group too large to list, with no closed form), ``kernel_order`` is None
        and ``kernel`` says why, instead of a guess.

        >>> import pltheory as pt
        >>> pt.group("S3").irrep((2, 1)).as_dict()
        {'key': '(2,1)', 'dim': 2, 'type': 'R', 'kernel_order': 1, 'generator_orders': [2, 3], 'partition': [2, 1]}
        """
        try:
            kernel: dict = {"kernel_order": self.kernel_order}
        except TooLargeError as exc:
            kernel = {"kernel_order": None, "kernel": f"unknown: {exc}"}
        data: dict = {"key": self.key, "dim": self.dim, "type": self.type, **kernel,
                      "generator_orders": list(self.generator_orders)}
        if self.frequency is not None:
            data["frequency"] = list(self.frequency_tuple) if isinstance(self.frequency, tuple) else self.frequency
        if self.partition is not None:
            data["partition"] = list(self.partition)
        return data

    @cached_property
    def representation(self) -> Representation:
        """V as a [`Representation`][pltheory.reps.Representation] of its group (named by its key)."""
        return Representation(self.group, self.matrices, name=self.key)

    @cached_property
    def endomorphism_basis(self) -> np.ndarray:
        """An orthonormal basis (Frobenius inner product) of the commutant
        End_G(V) = {M : rho(g) M = M rho(g) for all g}, shape (1, 2 or 4, dim, dim);
        the first element is I / sqrt(dim). For type C the second is J / sqrt(dim) with
        J^2 = -I. Closed form for types R and known complex structures, else the null
        space of rho(s) (x) I - I (x) rho(s)^T over the generators s."""
        d = self.dim
        identity = np.eye(d)[None] / math.sqrt(d)
        if self.type == "R":
            return identity
        if self.complex_structure is not None:
            return np.concatenate([identity, self.complex_structure[None] / math.sqrt(d)])
        constraints = np.concatenate(
            [np.kron(m, np.eye(d)) - np.kron(np.eye(d), m.T) for m in self.matrices]
        )
        null = scipy.linalg.null_space(constraints, rcond=NULL_SPACE_RCOND)  # row-major vec(M)
        null = null - np.outer(identity.ravel(), identity.ravel() @ null)
        left = np.linalg.svd(null, full_matrices=False)[0]
        rest = left[:, : self.endomorphism_dim - 1].T.reshape(-1, d, d)
        return np.concatenate([identity, rest])

    def exact_matrices(self) -> list[sympy.Matrix]:
        """Exact sympy matrices of the generators (closed-form families only).

        >>> import pltheory as pt
        >>> pt.group("C6").irrep("1").exact_matrices()
        [Matrix([
        [      1/2, -sqrt(3)/2],
        [sqrt(3)/2,        1/2]])]
        """
        if self.exact_generators is None:
            raise NoClosedFormError(
                f"{self.key} of {self.group.name} comes from the general (numerical) algorithm; "
                f"exact matrices exist in closed form for products of cyclic groups, D_n and S_n"
            )
        return self.exact_generators()

    def element_matrices(self) -> np.ndarray:
        """rho(g) for every g in ``group.elements()``: shape (order, dim, dim).

        >>> import pltheory as pt
        >>> pt.group("C4").irrep("2").element_matrices().ravel()
        array([ 1., -1.,  1., -1.])
        """
        return self.representation.element_matrices()

    def matrix(self, g) -> np.ndarray:
        """rho(g) for a permutation g of the group's domain.

        >>> import pltheory as pt
        >>> pt.group("S3").irrep((1, 1, 1)).matrix([1, 0, 2])    # the sign of a transposition
        array([[-1.]])
        """
        return self.representation.matrix(g)

    @cached_property
    def class_character(self) -> np.ndarray:
        """chi_V on each conjugacy class, in the order of ``group.conjugacy_classes()``:
        Murnaghan-Nakayama for S_n, else the traces at the class representatives (one
        matrix product along a word each, never the matrices of all elements)."""
        classes = self.group.conjugacy_classes()
        if self.partition is not None:
            values = np.array([float(young.murnaghan_nakayama(self.partition, cycle_type(c.representative)))
                               for c in classes])
        else:
            values = np.array([np.trace(self.matrix(c.representative)) for c in classes])
        values.flags.writeable = False
        return values

    def character(self) -> np.ndarray:
        """The real character chi_V(g) for every g in ``group.elements()``, from
        `class_character` (a class function): O(|G|) memory, not O(|G| dim^2).

        >>> import pltheory as pt
        >>> pt.group("S3").irrep((2, 1)).character().round(6) + 0.0
        array([ 2.,  0., -1.,  0.,  0., -1.])
        """
        return self.class_character[self.group.class_index()]

    @cached_property
    def generator_orders(self) -> tuple[int, ...]:
        """Order of rho(g_s) for each generator s: in closed form where the family has one,
        else the least divisor d of the order of g_s with rho(g_s)^d = I."""
        known = self.group.structure.generator_orders(self)
        if known is not None:
            return known
        identity = np.eye(self.dim)
        return tuple(
            next(d for d in sympy.divisors(permutation_order(g))
                 if np.allclose(np.linalg.matrix_power(mat, d), identity, atol=CHARACTER_TOL))
            for g, mat in zip(self.group.generators, self.matrices)
        )

    @cached_property
    def kernel_order(self) -> int:
        """|ker rho|: in closed form where the family has one (products of cyclic groups,
        without listing G), else the total size of the classes on which chi = dim (the
        kernel is a union of classes)."""
        known = self.group.structure.kernel_order(self)
        if known is not None:
            return known
        sizes = np.array([c.size for c in self.group.conjugacy_classes()])
        return int(sizes[self._kernel_classes].sum())

    @cached_property
    def _kernel_classes(self) -> np.ndarray:
        """Which conjugacy classes act as the identity: chi = dim (a real orthogonal rho(g)
        with trace dim is I)."""
        return np.isclose(self.class_character, self.dim, atol=CHARACTER_TOL)

    def kernel_contained_in(self, other: Irrep) -> bool:
        """Whether ker self is a subgroup of ker other: in closed form where the family
        has one, otherwise class by class. Raises [`GroupMismatchError`][pltheory.errors.GroupMismatchError] for
        irreducibles of different groups.

        >>> import pltheory as pt
        >>> G = pt.group("S3")
        >>> G.irrep((1, 1, 1)).kernel_contained_in(G.irrep((3,)))      # A3 <= S3
        True
        >>> G.irrep((3,)).kernel_contained_in(G.irrep((1, 1, 1)))
        False
        """
        check_instance(other, "other", Irrep, "an irreducible (Irrep)")
        if other.group != self.group:
            raise GroupMismatchError(f"{self.key} and {other.key} are irreducibles of different groups "
                                     f"({self.group.name}, {other.group.name})")
        known = self.group.structure.kernel_contained_in(self, other)
        if known is not None:
            return known
        return bool(np.all(other._kernel_classes[self._kernel_classes]))

    @cached_property
    def kernel(self) -> FiniteGroup:
        """ker rho = {g : rho(g) = I}, a normal subgroup (lists the group's elements)."""
        members = np.flatnonzero(self._kernel_classes[self.group.class_index()])
        return self.group.subgroup_from_indices(members, name=f"ker {self.key}")


def real_irrep_type(norm: float, frobenius_schur: float, dim: int, tol: float = INVARIANT_TOL) -> IrrepType | None:
    """The type of a real irreducible with these invariants, or None if no irreducible has them.

    ``norm`` is `<chi, chi>` = (1/|G|) sum_g chi(g)^2 and ``frobenius_schur`` is (1/|G|)
    sum_g chi(g^2) for a real character chi of dimension ``dim``; see
    `REAL_IRREP_INVARIANTS`. A direct sum of two or more irreducibles never passes.

    >>> real_irrep_type(2.0, 0.0, 2), real_irrep_type(2.0, 2.0, 2)   # C, and R + R
    ('C', None)
    """
    for kind, (n, fs) in REAL_IRREP_INVARIANTS.items():
        if abs(norm - n) <= tol and abs(frobenius_schur - fs) <= tol and dim % n == 0:
            return kind  # type C needs an even dimension, type H one divisible by 4
    return None


def dimension_keys(dims: Sequence[int], types: Sequence[str], characters: np.ndarray) -> tuple[list[int], list[str]]:
    """The order and keys of the real irreducibles of a group without a family's names.

    Irreducibles are sorted by dimension, type (R, C, H) and then by their characters on
    the conjugacy classes in decreasing order (rounded to
    `CHARACTER_SORT_DIGITS` digits only to sort; distinct real irreducibles differ by at
    least 1 at some class), so the trivial one comes first. The key of each is its dimension
    and a letter ("1a", "1b", "2a", ..., "2z", "2aa"), so it depends on the characters only,
    never on the algorithm or seed that found them. O(n log n) comparisons of character rows
    for n irreducibles.

    Returns ``order`` (the irreducibles' indices in sorted order) and their ``keys`` in
    that order.

    >>> dimension_keys([2, 1, 1], ["R", "R", "R"], np.array([[2.0, 0.0], [1.0, -1.0], [1.0, 1.0]]))
    ([2, 1, 0], ['1a', '1b', '2a'])
    """
    order = sorted(range(len(dims)), key=lambda i: (int(dims[i]), "RCH".index(types[i]),
                                                    tuple(-np.round(characters[i], CHARACTER_SORT_DIGITS))))
    keys, counts = [], {}
    for i in order:
        d = int(dims[i])
        keys.append(f"{d}{_letters(counts.get(d, 0))}")
        counts[d] = counts.get(d, 0) + 1
    return order, keys


def _letters(i: int) -> str:
    """a, b, ..., z, aa, ab, ...: the i-th label suffix among irreducibles of one dimension."""
    text = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        text = chr(ord("a") + r) + text
    return text

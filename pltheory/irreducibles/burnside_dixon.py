"""Character tables of listed groups from the class algebra (Burnside, Dixon).

The class sums C_1, ..., C_r of the conjugacy classes (C_1 = {e}) span the centre of the
group algebra: C_j C_i = sum_k a_jik C_k with a_jik = #{x in C_j : x^-1 z in C_i} for any
fixed z in C_k. A complex irreducible chi acts on the centre by its central character
omega_chi(C_j) = |C_j| chi(g_j) / chi(1), so (omega_chi(C_k))_k is a common eigenvector
of the class matrices M_j[i, k] = a_jik with eigenvalues omega_chi(C_j) (Burnside). With
D = diag(|C_k|) the vectors v_chi = (sqrt(|C_k|) chi(g_k))_k = D^(-1/2) omega_chi chi(1)
are orthogonal (row orthogonality), so N_j = D^(-1/2) M_j D^(1/2) is normal with adjoint
N_j* for the class j* of inverses, and sum_j c_j N_j is Hermitian when c_j* = conj(c_j).
A random such combination (Dixon) has, generically, r simple eigenvalues; its unit
eigenvectors are v_chi / sqrt(|G|) up to a phase, fixed by v_chi[e] = chi(1) > 0. Clusters
of close eigenvalues (`CLASS_ALGEBRA_GAP`) are split by another random combination on their
span.

Only one row of each a_jik is listed: x -> class of x^-1 z_k for one z_k per class, an
(r, |G|) table built from G's multiplication by the generators, O(|G| r w) for words of
length w; each random combination is then r weighted counts over it, O(|G| r).

Exact values: for g of order o, rho(g) has eigenvalues zeta_o^j with multiplicities
m_j = (1/o) sum_k chi(g^k) zeta_o^(-jk) (one FFT of the values on the classes of the
powers g^k), non-negative integers, rounded within
`MULTIPLICITY_TOL`. They are found at one class per Galois orbit {class of g^a : a prime to
o}; at the class of g^a the value is sigma_a(chi(g)) = sum_j m_j zeta_o^(aj), and every
value is checked against the numerical one. chi(g) = sum_j m_j zeta_o^j is kept as
[`CyclotomicValues`][pltheory.irreducibles.character_tables.CyclotomicValues] (the non-zero
multiplicities and their exponents, at most min(o, chi(1)) terms), made sympy only when
printed or asked for.

Certificate, in integer arithmetic. The values are Galois-consistent by construction, so
every sum over all classes, such as S = sum_k |C_k| chi(g_k) conj(psi(g_k)), is fixed by
the Galois group (sigma_a permutes the classes, keeping their sizes), hence rational, and
equals its trace average: each Galois orbit contributes |orbit| |C| / phi(o) times
sum_ij m_i n_j c_o(i - j) at its representative, with Ramanujan's sums
c_o(t) = Tr(zeta_o^t). Row orthogonality S = |G| delta and sum chi(1)^2 = |G| are checked
exactly; the Frobenius-Schur indicators (1/|G|) sum_k |C_k| chi(g_k^2) come from the same
trace average and give the types R (1), C (0), H (-1).

Examples
--------
>>> import pltheory as pt
>>> A = class_algebra(pt.group("<(0 1 2);(2 3 4)>"))     # A5 by generators
>>> print(A.table())
 class  ()  (1 3)(2 4)  (0 1 2)      (0 1 2 3 4)      (0 2 3 4 1)
  size   1          15       20               12               12
1a (R)   1           1        1                1                1
3a (R)   3          -1        0  1/2 + sqrt(5)/2  1/2 - sqrt(5)/2
3b (R)   3          -1        0  1/2 - sqrt(5)/2  1/2 + sqrt(5)/2
4a (R)   4           0        1               -1               -1
5a (R)   5           1       -1                0                0
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import sympy

from ..errors import NumericalError
from ..groups import ConjugacyClass, FiniteGroup, check_group, format_order
from ..limits import check_memory
from ..tolerances import CHARACTER_MATCH_TOL, CLASS_ALGEBRA_GAP, MULTIPLICITY_TOL, SEPARATION_ATTEMPTS
from ..validate import check_integer
from .character_tables import CharacterTable, CyclotomicValues, is_first_conjugate
from .irrep import dimension_keys

#: Frobenius-Schur indicator of a complex irreducible -> the type of its real irreducible.
INDICATOR_TYPES = {1: "R", 0: "C", -1: "H"}


def class_algebra_bytes(order: int, classes: int, orbit_orders: int, terms: int) -> int:
    """Memory of [`class_algebra`][pltheory.irreducibles.burnside_dixon.class_algebra] for r classes: the (r, |G|) table
    of classes of x^-1 z (int32), the weights and counts of one combination, the inverses, r
    x r complex matrices, the multiplicities at the Galois orbits' representatives (r x the
    sum of their orders, with their FFT) and the exact values (r x r x terms exponents and
    coefficients, at most min(max element order, sqrt |G|) terms).

    >>> class_algebra_bytes(60, 5, 11, 5)
    10960
    """
    return 4 * order * classes + 40 * order + 64 * classes**2 + 32 * classes * orbit_orders + 32 * classes**2 * terms


@dataclass(frozen=True, eq=False)
class ClassAlgebra:
    """The complex and real irreducible characters of a listed group, exact and certified
    (module docstring). Rows are the complex irreducibles in table order: the real
    irreducibles sorted and keyed by [`dimension_keys`][pltheory.irreducibles.irrep.dimension_keys],
    each giving one row (types R, H) or two conjugate rows (type C: first the one whose
    first non-real value has a positive imaginary part, keyed like the real irreducible,
    then its conjugate, keyed with ``*``).

    Attributes
    ----------
    group, classes:
        The group and its conjugacy classes (``G.conjugacy_classes()``, the columns).
    values:
        The exact values, [`CyclotomicValues`][pltheory.irreducibles.character_tables.CyclotomicValues] of order the
        exponent of G (rows x classes).
    keys, real_keys, types, indicators:
        Per row: its key, its real irreducible's key, type and Frobenius-Schur indicator.
    real_keys_sorted, real_types, real_dims, real_characters, real_fixed:
        Per real irreducible V, in order: key, type, real dimension, real character on the
        classes, and dim V^`<g_k>` for each class k (the fixed vectors of the cyclic subgroup
        generated by g_k: the multiplicity of the eigenvalue 1, times 2 for types C and H).

    Examples
    --------
    >>> import pltheory as pt
    >>> A = class_algebra(pt.group("A4"))
    >>> A.keys, A.real_keys_sorted, A.real_dims.tolist(), A.indicators
    (('1a', '2a', '2a*', '3a'), ('1a', '2a', '3a'), [1, 2, 3], (1, 0, 0, 1))
    """

    group: FiniteGroup
    classes: tuple[ConjugacyClass, ...]
    values: CyclotomicValues
    keys: tuple[str, ...]
    real_keys: tuple[str, ...]
    types: tuple[str, ...]
    indicators: tuple[int, ...]
    real_keys_sorted: tuple[str, ...]
    real_types: tuple[str, ...]
    real_dims: np.ndarray
    real_characters: np.ndarray
    real_fixed: np.ndarray

    @cached_property
    def numeric(self) -> np.ndarray:
        """The values as a complex array (rows x classes), from the exact ones."""
        return self.values.numeric()

    def table(self) -> CharacterTable:
        """The [`CharacterTable`][pltheory.irreducibles.character_tables.CharacterTable] (classes of
        ``G.conjugacy_classes()``, exact values, indicators known).

        >>> import pltheory as pt
        >>> class_algebra(pt.group("A4")).table().values.row(1)
        Matrix([[1, 1, -1/2 + sqrt(3)*I/2, -1/2 - sqrt(3)*I/2]])
        """
        return CharacterTable(self.group, self.classes, self.keys, self.real_keys, self.types, self.values,
                              indicators=self.indicators)


def class_algebra(G: FiniteGroup, seed: int = 0) -> ClassAlgebra:
    """The character table of a listed group by the class algebra (module docstring),
    exact and certified. The random combinations use ``seed``; the result does not depend
    on it. O(|G| r w) for the table of classes of x^-1 z (r classes, words of length w),
    O(|G| r) per random combination, O(r^3) for the eigenvectors and the certificate, and
    memory [`class_algebra_bytes`][pltheory.irreducibles.burnside_dixon.class_algebra_bytes].

    Raises [`GroupTooLargeError`][pltheory.errors.GroupTooLargeError] for a group too large to list,
    [`TooLargeError`][pltheory.errors.TooLargeError] beyond the memory limit and
    [`NumericalError`][pltheory.errors.NumericalError] if eigenvalues cannot be separated or
    a value or the certificate fails.

    >>> import pltheory as pt
    >>> A = class_algebra(pt.group("<(0 1 2 3)(4 5 6 7);(0 4 2 6)(1 7 3 5)>"))   # Q8
    >>> A.keys, A.types
    (('1a', '1b', '1c', '1d', '4a'), ('R', 'R', 'R', 'R', 'H'))
    """
    check_group(G, "G")
    seed = check_integer(seed, "seed", 0)
    classes = G.conjugacy_classes()  # lists G, or refuses in one line
    N, r = G.order, len(classes)
    orders = np.array([c.element_order for c in classes])
    orbits = _galois_orbits(G, classes)
    check_memory(class_algebra_bytes(N, r, sum(len(orbit.powers) for orbit in orbits),
                                     min(int(orders.max()), math.isqrt(N))),
                 f"the class algebra of {G.name} ({format_order(N)} elements, {r} classes)",
                 "use a group with fewer elements or classes")
    chi = _central_characters(G, classes, np.random.default_rng(seed))
    dense = [_eigenvalue_multiplicities(G, classes[orbit.rep], orbit.powers, chi) for orbit in orbits]
    values = _cyclotomic_values(orbits, dense, orders)
    numeric = values.numeric()
    error = float(np.abs(numeric - chi).max())
    if error > CHARACTER_MATCH_TOL:  # a class's value is not the Galois image of its orbit's
        raise NumericalError(f"the rounded characters of {G.name} differ from the numerical ones by {error:.1e}")
    indicators = _certify(G, classes, orbits, dense)
    conjugate = _conjugate_rows(dense)
    if not np.array_equal(indicators == 0, conjugate != np.arange(r)):
        raise NumericalError(f"the Frobenius-Schur indicators of {G.name} disagree with its non-real characters")
    # the real irreducibles: a row of type R or H, or a conjugate pair of type C (taken once)
    first = [i for i in range(r) if indicators[i] != 0 or is_first_conjugate(numeric[i])]
    types = [INDICATOR_TYPES[int(indicators[i])] for i in first]
    factor = np.array([1 if t == "R" else 2 for t in types])  # chi_V = chi, 2 Re chi, 2 chi
    dims = factor * dense[0][first, 0]  # the identity's orbit comes first
    characters = numeric[first].real * factor[:, None]
    order, real_keys = dimension_keys(dims, types, characters)
    rows = []
    for position, key in zip(order, real_keys):
        i = first[position]
        pair = [i, int(conjugate[i])] if types[position] == "C" else [i]
        rows += [(row, name, key, types[position]) for row, name in zip(pair, [key, key + "*"])]
    picked = [first[p] for p in order]
    taken = [row for row, _, _, _ in rows]
    ones = np.array([dense[orbit_of][:, 0] for orbit_of in _orbit_index(orbits, r)]).T  # [row, k]: dim V^<g_k>
    return ClassAlgebra(
        G, classes, CyclotomicValues(values.order, _read_only(values.exponents[taken]),
                                     _read_only(values.coefficients[taken])),
        tuple(name for _, name, _, _ in rows), tuple(key for _, _, key, _ in rows),
        tuple(kind for _, _, _, kind in rows), tuple(int(indicators[row]) for row, _, _, _ in rows),
        tuple(real_keys), tuple(types[p] for p in order), _read_only(dims[order]),
        _read_only(characters[order]), _read_only(ones[picked] * factor[order][:, None]))


def _read_only(array: np.ndarray) -> np.ndarray:
    array.flags.writeable = False
    return array


def eigenspaces(S: np.ndarray, Q: np.ndarray | None = None, *, gap: float) -> list[np.ndarray]:
    """The eigenspaces of the Hermitian (or real symmetric) matrix S on the subspace spanned
    by the orthonormal columns of Q (all of the space for None): orthonormal bases, one per
    cluster of eigenvalues whose neighbours are closer than ``gap`` times the largest
    eigenvalue's size (at least 1). The general algorithms take S in a commutant and Q an
    invariant subspace, so Q^H S Q is in the commutant on it. O(n^3) for n columns.

    >>> blocks = eigenspaces(np.diag([1.0, 1.0, 2.0]), gap=1e-7)
    >>> tuple(Q.shape[1] for Q in blocks)
    (2, 1)
    """
    vals, vecs = np.linalg.eigh(S if Q is None else Q.conj().T @ S @ Q)
    if Q is not None:
        vecs = Q @ vecs
    scale = max(1.0, float(np.abs(vals).max(initial=0.0)))
    cuts = np.flatnonzero(np.diff(vals) > gap * scale) + 1
    return [vecs[:, block] for block in np.split(np.arange(vals.size), cuts)]


def _central_characters(G: FiniteGroup, classes: tuple[ConjugacyClass, ...], rng: np.random.Generator) -> np.ndarray:
    """Numerical characters (rows x classes, rows in no particular order): the
    eigenvectors of random Hermitian combinations of the scaled class matrices."""
    N, r = G.order, len(classes)
    index = G.class_index()
    sizes = np.array([c.size for c in classes], dtype=float)
    reps = np.array([int(c.elements[0]) for c in classes])
    inverse = G.indices(np.argsort(G.elements(), axis=1))  # index of x^-1
    inverse_class = index[inverse[reps]]
    table = np.empty((r, N), dtype=np.int32)  # table[k, x]: class of z_k x^-1, conjugate to x^-1 z_k
    for k, z in enumerate(reps):
        table[k] = index[G.left_multiplication_by(int(z))[inverse]]
    root = np.sqrt(sizes)
    real = bool(np.array_equal(inverse_class, np.arange(r)))

    def combination() -> np.ndarray:
        """sum_j c_j N_j with c_j* = conj(c_j), c_j scaled by 1 / |C_j| (eigenvalues
        sum_j c_j chi(g_j) / chi(1), of size about sqrt(r)); real symmetric when every
        class is its own inverse (then every c_j is real)."""
        c = rng.normal(size=r) + 1j * rng.normal(size=r)
        c = (c + np.conj(c[inverse_class])) / (2 * sizes)
        weights = c[index]
        M = np.empty((r, r), dtype=complex)
        for k in range(r):  # M[i, k] = sum_j c_j a_jik = sum of c over x with x^-1 z_k in C_i
            M[:, k] = np.bincount(table[k], weights.real, r) + 1j * np.bincount(table[k], weights.imag, r)
        H = M * root[None, :] / root[:, None]
        H = (H + H.conj().T) / 2
        return H.real if real else H  # every class its own inverse: every character is real

    blocks, vectors = eigenspaces(combination(), gap=CLASS_ALGEBRA_GAP), []
    for _ in range(SEPARATION_ATTEMPTS):
        vectors += [Q[:, 0] for Q in blocks if Q.shape[1] == 1]
        merged = [Q for Q in blocks if Q.shape[1] > 1]
        if not merged:
            break
        blocks = eigenspaces(combination(), np.hstack(merged), gap=CLASS_ALGEBRA_GAP)
    else:
        raise NumericalError(
            f"could not separate the central characters of {G.name}: after {SEPARATION_ATTEMPTS} random "
            f"combinations of its class matrices, eigenspaces of total dimension "
            f"{sum(Q.shape[1] for Q in merged)} remain")
    V = np.array(vectors)  # rows: unit vectors v_chi / sqrt|G| times a phase
    phase = V[:, :1] / np.abs(V[:, :1])
    return np.sqrt(N) * (V / phase) / root[None, :]


@dataclass(frozen=True)
class _GaloisOrbit:
    """A Galois orbit of classes, {class of g^a : a prime to o} for g of order o in the
    class ``rep``: ``powers[e]`` is the class of g^e (e = 0..o-1), ``members[k] = a`` for
    each class k of the orbit, with g^a in k."""

    rep: int
    powers: np.ndarray
    members: dict[int, int]


def _galois_orbits(G: FiniteGroup, classes: tuple[ConjugacyClass, ...]) -> list[_GaloisOrbit]:
    """The Galois orbits of the classes, the identity's first, from the power maps of one
    representative each (sum of their orders element lookups)."""
    index, orbits, seen = G.class_index(), [], set()
    for k, c in enumerate(classes):
        if k in seen:
            continue
        g, powers = c.representative, [np.arange(G.degree)]
        for _ in range(c.element_order - 1):
            powers.append(g[powers[-1]])
        power_classes = index[G.indices(np.array(powers))]
        members: dict[int, int] = {}
        for a in range(1, c.element_order + 1):
            if math.gcd(a, c.element_order) == 1:
                members.setdefault(int(power_classes[a % c.element_order]), a)
        seen.update(members)
        orbits.append(_GaloisOrbit(k, power_classes, members))
    return orbits


def _orbit_index(orbits: list[_GaloisOrbit], classes: int) -> np.ndarray:
    """``index[k]``: the orbit of class k."""
    index = np.empty(classes, dtype=np.int64)
    for i, orbit in enumerate(orbits):
        index[list(orbit.members)] = i
    return index


def _eigenvalue_multiplicities(G: FiniteGroup, c: ConjugacyClass, powers: np.ndarray, chi: np.ndarray) -> np.ndarray:
    """(rows, o) integers m_j (module docstring) at the class c of order o, from the values
    at the classes of its powers by one FFT per row, rounded within MULTIPLICITY_TOL;
    NumericalError if one is not a non-negative integer."""
    m = np.fft.fft(chi[:, powers], axis=1) / c.element_order  # sum_e chi(g^e) zeta^(-je) / o
    rounded = np.rint(m.real)
    error = float(np.abs(m - rounded).max())
    if error > MULTIPLICITY_TOL or rounded.min() < 0:
        raise NumericalError(
            f"a character of {G.name} is not a sum of roots of unity at the class of {c!r}: eigenvalue "
            f"multiplicities off an integer by {error:.1e} (> {MULTIPLICITY_TOL}) or negative")
    return rounded.astype(np.int64)


def _cyclotomic_values(orbits: list[_GaloisOrbit], dense: list[np.ndarray], orders: np.ndarray) -> CyclotomicValues:
    """The values of every class as [`CyclotomicValues`][pltheory.irreducibles.character_tables.CyclotomicValues] of
    order the exponent of G:
    at the class of g^a, sigma_a of the value at g (exponents times a), with only the
    non-zero multiplicities kept (at most min(o, chi(1)) terms)."""
    exponent = math.lcm(*orders.tolist())
    terms = max(int(np.count_nonzero(m, axis=1).max()) for m in dense)
    rows, classes = dense[0].shape[0], len(orders)
    exponents = np.zeros((rows, classes, terms), dtype=np.int64)
    coefficients = np.zeros((rows, classes, terms), dtype=np.int64)
    for orbit, m in zip(orbits, dense):
        o = m.shape[1]
        nonzero = np.argsort(m == 0, axis=1, kind="stable")[:, :terms]  # non-zero terms first
        count = min(terms, o)
        for k, a in orbit.members.items():
            exponents[:, k, :count] = (a * nonzero[:, :count] % o) * (exponent // o)
            coefficients[:, k, :count] = np.take_along_axis(m, nonzero[:, :count], axis=1)
    return CyclotomicValues(exponent, exponents, coefficients)


def _ramanujan(o: int) -> np.ndarray:
    """c_o(t) = sum of the t-th powers of the primitive o-th roots of unity, t = 0..o-1:
    mu(o / g) phi(o) / phi(o / g) with g = gcd(o, t)."""
    phi = int(sympy.totient(o))
    return np.array([int(sympy.mobius(o // math.gcd(o, t))) * phi // int(sympy.totient(o // math.gcd(o, t)))
                     for t in range(o)], dtype=np.int64)


def _certify(G: FiniteGroup, classes: tuple[ConjugacyClass, ...], orbits: list[_GaloisOrbit],
             dense: list[np.ndarray]) -> np.ndarray:
    """Check the exact table and return the Frobenius-Schur indicators; NumericalError if a
    check fails. Galois consistency holds by construction
    ([`_cyclotomic_values`][pltheory.irreducibles.burnside_dixon._cyclotomic_values]), so
    the sums over all classes are rational and each Galois orbit contributes |orbit| times
    its representative's trace average (module docstring)."""
    N = G.order
    degrees = dense[0][:, 0]
    if int(np.sum(degrees.astype(object) ** 2)) != N:
        raise NumericalError(f"the squared degrees of the characters of {G.name} do not add up to {N}")
    phis = [int(sympy.totient(m.shape[1])) for m in dense]
    lcm = math.lcm(*phis)
    bound = lcm * N * int(degrees.max()) ** 2  # sum_k |C_k| L / phi(o_k) * chi(1) psi(1) phi(o_k)
    dtype = float if bound < 2**53 else np.int64 if bound < 2**62 else object  # each exact below its bound
    # L |G| delta = sum over orbits of |orbit| |C| L / phi(o) * M R M^T, R[i, j] = c_o(i - j); and
    # L |G| times the indicators, the same sums of M c_o(2 j)
    left, square = [], np.zeros(len(degrees), dtype=dtype)
    for orbit, m, phi in zip(orbits, dense, phis):
        o = m.shape[1]
        weight = len(orbit.members) * classes[orbit.rep].size * (lcm // phi)  # an integer
        c = _ramanujan(o).astype(dtype)
        left.append(weight * (m.astype(dtype) @ c[(np.arange(o)[:, None] - np.arange(o)[None, :]) % o]))
        square += weight * (m.astype(dtype) @ c[(2 * np.arange(o)) % o])
    gram = np.hstack(left) @ np.hstack(dense).astype(dtype).T
    if not np.array_equal(gram, lcm * N * np.eye(len(degrees), dtype=dtype)):
        raise NumericalError(f"the characters of {G.name} are not orthonormal (exact row orthogonality fails)")
    indicators = [int(v) // (lcm * N) for v in square]
    if any(int(v) % (lcm * N) for v in square) or not set(indicators) <= {-1, 0, 1}:
        raise NumericalError(f"the Frobenius-Schur indicators of {G.name} are not -1, 0 or 1")
    return np.array(indicators)


def _conjugate_rows(dense: list[np.ndarray]) -> np.ndarray:
    """``conjugate[i]``: the row of conj(chi_i), whose multiplicities are those of chi_i
    with exponents negated (exact, on the orbits' representatives); NumericalError if it
    is not a row."""
    keys = np.hstack(dense)
    negated = np.hstack([m[:, (-np.arange(m.shape[1])) % m.shape[1]] for m in dense])
    position = {row.tobytes(): i for i, row in enumerate(keys)}
    result = np.array([position.get(row.tobytes(), -1) for row in negated])
    if np.any(result < 0):
        raise NumericalError("the complex conjugate of a character is not a row of the table")
    return result

"""Real irreducible representations and character tables of finite groups.

Every finite group has finitely many real irreducible representations V up to
isomorphism. Each has a *type*, the division algebra D = End_G(V):

* R (real type): V (x) C is a complex irreducible W; chi_V = chi_W; dim_R V = dim_C W.
* C (complex type): V (x) C = W + conj(W) with W not self-conjugate; chi_V = 2 Re chi_W;
  dim_R V = 2 dim_C W.
* H (quaternionic type): V (x) C = W + W; chi_V = 2 chi_W; dim_R V = 2 dim_C W.

<chi_V, chi_V> = dim_R End_G(V) = 1, 2, 4 tells the type; it agrees with the
Frobenius-Schur indicator (1/|G|) sum_g chi_W(g^2) = 1, 0, -1 of W.

Matrices are real and orthogonal. Exact families have closed forms, with exact sympy
matrices on request (:meth:`Irrep.exact_matrices`):

* C_n and products of cyclic groups: characters paired with their conjugates
  (frequencies, rotations by 2 pi k / n);
* D_n: two or four 1-dim irreducibles and the 2-dim E_k (rotation by 2 pi k / n,
  reflection diag(1, -1)), all of real type;
* S_n on its natural domain (any generators): one irreducible per partition, in Young's
  orthogonal form, characters by Murnaghan-Nakayama (:mod:`pltheory.young`).

Every other enumerable group goes through the *general algorithm*: a random symmetric
element S of the commutant of the regular representation (a symmetrised convolution
A[y, x] = c(y^-1 x)) has, generically, one copy of a real irreducible per eigenspace;
eigenspaces with equal characters are isomorphic, and restricting the regular
representation to one eigenspace gives the irreducible's matrices. Near-equal eigenvalues
of different irreducibles can merge two of them into one eigenspace, so every eigenspace
is certified by invariants that a merged one fails (:func:`real_irrep_type`: the character
norm <chi, chi> and the Frobenius-Schur sum (1/|G|) sum_g chi(g^2) of a real irreducible
are (1, 1), (2, 0) or (4, -2)); the eigenspaces that fail are split again by another random
element of the commutant.

Examples
--------
>>> from pltheory.groups import group
>>> [(V.label, V.dim, V.type) for V in irreps(group("C6"))]
[('0', 1, 'R'), ('1', 2, 'C'), ('2', 2, 'C'), ('3', 1, 'R')]
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property, lru_cache, partial
from typing import Literal

import numpy as np
import scipy.linalg
import sympy

from . import young
from .errors import GroupMismatchError, GroupTooLargeError, NoClosedFormError, NumericalError
from .groups import ConjugacyClass, FiniteGroup, check_group, cycle_notation
from .reps import Representation
from .schreier import permutation_order
from .validate import check_instance, check_integer

IrrepType = Literal["R", "C", "H"]

#: dim_R End_G(V) for each type.
ENDOMORPHISM_DIM = {"R": 1, "C": 2, "H": 4}

#: Largest order the general (regular representation) algorithm accepts.
GENERAL_MAX_ORDER = 2000

#: Largest n for which S_n's irreducibles are built (sum of dim^2 = n! matrix entries).
YOUNG_MAX_DEGREE = 10

#: Tolerance for recognising numerical eigenvalues as roots of unity.
ROOT_TOL = 1e-6

#: Relative gap between sorted eigenvalues of a random commutant element that starts a new
#: eigenspace in the general algorithm.
EIGENVALUE_GAP = 1e-7

#: Absolute tolerance on the invariants (character norm, Frobenius-Schur sum) of a block.
INVARIANT_TOL = 1e-6

#: Random commutant elements the general algorithm tries before it gives up.
SEPARATION_ATTEMPTS = 8

#: (<chi_V, chi_V>, (1/|G|) sum_g chi_V(g^2)) of a real irreducible V of each type: the norm
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
    label:
        Its name: the frequency for cyclic groups ("0", "1", ...), the frequency tuple
        for products of cyclic groups ("(1,0)"), "A1", "A2", "B1", "B2", "E1", ... for
        D_n, the partition for S_n ("(3,1)"), otherwise dimension and a letter ("2a").
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
        generators (use :meth:`exact_matrices`).
    """

    group: FiniteGroup
    label: str
    type: IrrepType
    matrices: np.ndarray
    frequency: int | tuple[int, ...] | None = None
    complex_structure: np.ndarray | None = field(default=None, repr=False)
    partition: tuple[int, ...] | None = None
    exact_generators: Callable[[], list[sympy.Matrix]] | None = field(default=None, repr=False)

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
        return f"Irrep({self.label!r}, dim={self.dim}, type={self.type}, group={self.group.name})"

    def __eq__(self, other: object) -> bool:
        """Irreducibles are values: equal when their groups are equal and their labels agree
        (a label names one irreducible of a group up to isomorphism). Two equal Irreps may
        hold their matrices in different bases (built with different seeds, say): code that
        combines matrices takes them from one group object."""
        if not isinstance(other, Irrep):
            return NotImplemented
        return self.label == other.label and self.group == other.group

    def __hash__(self) -> int:
        return hash((self.label, self.group))

    @cached_property
    def representation(self) -> Representation:
        return Representation(self.group, self.matrices, name=self.label)

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
        null = scipy.linalg.null_space(constraints, rcond=1e-9)  # row-major vec(M)
        null = null - np.outer(identity.ravel(), identity.ravel() @ null)
        left = np.linalg.svd(null, full_matrices=False)[0]
        rest = left[:, : self.endomorphism_dim - 1].T.reshape(-1, d, d)
        return np.concatenate([identity, rest])

    def exact_matrices(self) -> list[sympy.Matrix]:
        """Exact sympy matrices of the generators (closed-form families only).

        >>> from pltheory.groups import group
        >>> group("C6").irreps()[1].exact_matrices()
        [Matrix([
        [      1/2, -sqrt(3)/2],
        [sqrt(3)/2,        1/2]])]
        """
        if self.exact_generators is None:
            raise NoClosedFormError(
                f"{self.label} of {self.group.name} comes from the general (numerical) algorithm; "
                f"exact matrices exist in closed form for products of cyclic groups, D_n and S_n"
            )
        return self.exact_generators()

    def element_matrices(self) -> np.ndarray:
        """rho(g) for every g in ``group.elements()``."""
        return self.representation.element_matrices()

    def matrix(self, g) -> np.ndarray:
        return self.representation.matrix(g)

    @cached_property
    def class_character(self) -> np.ndarray:
        """chi_V on each conjugacy class, in the order of ``group.conjugacy_classes()``:
        Murnaghan-Nakayama for S_n, else the traces at the class representatives (one
        matrix product along a word each, never the matrices of all elements)."""
        classes = self.group.conjugacy_classes()
        if self.partition is not None:
            return np.array([float(young.murnaghan_nakayama(self.partition, young.cycle_type(c.representative)))
                             for c in classes])
        return np.array([np.trace(self.matrix(c.representative)) for c in classes])

    def character(self) -> np.ndarray:
        """The real character chi_V(g) for every g in ``group.elements()``, from
        :attr:`class_character` (a class function): O(|G|) memory, not O(|G| dim^2)."""
        return self.class_character[self.group.class_index()]

    @cached_property
    def generator_orders(self) -> tuple[int, ...]:
        """Order of rho(g_s) for each generator s: n_j / gcd(n_j, k_j) for products of
        cyclic groups, else the least divisor d of the order of g_s with rho(g_s)^d = I."""
        orders = cyclic_factor_orders(self.group)
        if orders is not None:
            return tuple(n // math.gcd(n, kj) for kj, n in zip(self.frequency_tuple, orders))
        identity = np.eye(self.dim)
        return tuple(
            next(d for d in sympy.divisors(permutation_order(g))
                 if np.allclose(np.linalg.matrix_power(mat, d), identity, atol=1e-8))
            for g, mat in zip(self.group.generators, self.matrices)
        )

    @cached_property
    def kernel_order(self) -> int:
        """|ker rho|: for products of cyclic groups |G| / |<k>| without listing G, else the
        total size of the classes on which chi = dim (the kernel is a union of classes)."""
        orders = cyclic_factor_orders(self.group)
        if orders is not None:
            return self.group.order // math.lcm(*(n // math.gcd(n, kj) for kj, n in zip(self.frequency_tuple, orders)))
        sizes = np.array([c.size for c in self.group.conjugacy_classes()])
        return int(sizes[self._kernel_classes].sum())

    @cached_property
    def _frequency_span(self) -> frozenset[tuple[int, ...]]:
        """<k> in the dual group, the |G| / |ker| multiples of k (products of cyclic groups)."""
        n = np.array(cyclic_factor_orders(self.group))
        k = np.array(self.frequency_tuple)
        multiples = (np.arange(self.group.order // self.kernel_order)[:, None] * k[None, :]) % n
        return frozenset(map(tuple, multiples.tolist()))

    @cached_property
    def _kernel_classes(self) -> np.ndarray:
        """Which conjugacy classes act as the identity: chi = dim (a real orthogonal rho(g)
        with trace dim is I)."""
        return np.isclose(self.class_character, self.dim, atol=1e-8)

    def kernel_contained_in(self, other: Irrep) -> bool:
        """Whether ker self is a subgroup of ker other. For products of cyclic groups:
        ker V_k = the annihilator of <k>, so containment iff l lies in <k>; otherwise
        class by class."""
        check_instance(other, "other", Irrep, "an irreducible (Irrep)")
        if other.group != self.group:
            raise GroupMismatchError(f"{self.label} and {other.label} are irreducibles of different groups "
                                     f"({self.group.name}, {other.group.name})")
        if cyclic_factor_orders(self.group) is not None:
            return other.frequency_tuple in self._frequency_span
        return bool(np.all(other._kernel_classes[self._kernel_classes]))

    @cached_property
    def kernel(self) -> FiniteGroup:
        """ker rho = {g : rho(g) = I}, a normal subgroup (lists the group's elements)."""
        members = np.flatnonzero(self._kernel_classes[self.group.class_index()])
        return self.group.subgroup_from_indices(members, name=f"ker {self.label}")


def irreps(G: FiniteGroup, *, seed: int = 0) -> list[Irrep]:
    """The real irreducible representations of G, trivial first, each up to isomorphism.

    Products of cyclic groups (C_n, C_n x C_m, ...), D_n and S_n (n up to
    :data:`YOUNG_MAX_DEGREE`) use closed forms; other groups the general algorithm
    (orders up to :data:`GENERAL_MAX_ORDER`). Cached on the group.

    >>> from pltheory.groups import group
    >>> sum(V.complex_dim ** 2 * (2 if V.type == "C" else 1) for V in irreps(group("D5")))
    10
    """
    check_group(G, "G")
    seed = check_integer(seed, "seed", 0)
    cached = G.__dict__.get("_irreps")
    if cached is None:
        if cyclic_factor_orders(G):
            cached = _abelian_irreps(G)
        elif G.family is not None and G.family[0] == "D":
            cached = _dihedral_irreps(G)
        elif _is_symmetric_on_domain(G):
            cached = _symmetric_irreps(G)
        else:
            cached = _general_irreps(G, seed)
        G.__dict__["_irreps"] = cached
    return cached


def cyclic_factor_orders(G: FiniteGroup) -> list[int] | None:
    """The n_i if G = C_n1 x ... x C_nm as built by ``cyclic``/``direct_product``."""
    factors = G.factors or (G,)
    if any(F.family is None or F.family[0] != "C" for F in factors):
        return None
    return [F.family[1] for F in factors]


def _is_symmetric_on_domain(G: FiniteGroup) -> bool:
    """Whether G is the full symmetric group of its domain (order degree!)."""
    if G.family is not None and G.family[0] == "S":
        return True
    # past 3 * YOUNG_MAX_DEGREE points n! is not computed: such a group is refused either way
    return G.degree <= 3 * YOUNG_MAX_DEGREE and G.order == math.factorial(G.degree)


def _rotation(theta: float) -> np.ndarray:
    c, s = math.cos(theta), math.sin(theta)
    return np.array([[c, -s], [s, c]])


def _exact_rotations(fractions: list[tuple[int, int]]) -> list[sympy.Matrix]:
    """Exact rotation matrices by 2 pi k / n for each (k, n)."""
    mats = []
    for k, n in fractions:
        c, s = sympy.cos(2 * sympy.pi * k / n), sympy.sin(2 * sympy.pi * k / n)
        mats.append(sympy.Matrix([[c, -s], [s, c]]))
    return mats


def _exact_signs(values: list[int]) -> list[sympy.Matrix]:
    return [sympy.Matrix([[v]]) for v in values]


def _abelian_irreps(G: FiniteGroup) -> list[Irrep]:
    """C_n1 x ... x C_nm: the characters k -> exp(2 pi i sum_j k_j a_j / n_j), paired
    with their conjugates -k. A self-conjugate k (2k = 0) gives a 1-dim real irrep with
    values +-1; otherwise {k, -k} gives the 2-dim rotation irrep (type C), generator j
    rotating by 2 pi k_j / n_j, labelled by the lexicographically smaller of k and -k."""
    ns = cyclic_factor_orders(G)
    n = np.array(ns)
    ks = np.indices(ns).reshape(len(ns), -1).T  # all characters, lexicographic
    negs = (-ks) % n
    flat_neg = np.ravel_multi_index(tuple(negs.T), ns)
    keep = flat_neg >= np.arange(len(ks))  # k <= -k lexicographically
    angles = 2 * np.pi * ks[keep] / n
    cos, sin = np.cos(angles), np.sin(angles)
    rotations = np.stack([np.stack([cos, -sin], -1), np.stack([sin, cos], -1)], -2)
    J = _rotation(math.pi / 2)
    result = []
    for k, self_conjugate, rot in zip(ks[keep].tolist(), (flat_neg == np.arange(len(ks)))[keep], rotations):
        freq = k[0] if len(ns) == 1 else tuple(k)
        label = str(freq) if len(ns) == 1 else "(" + ",".join(map(str, k)) + ")"
        if self_conjugate:
            signs = [1 if kj == 0 else -1 for kj in k]  # k_j is 0 or n_j / 2
            mats = np.array(signs, dtype=float).reshape(-1, 1, 1)
            result.append(Irrep(G, label, "R", mats, freq, exact_generators=partial(_exact_signs, signs)))
        else:
            exact = partial(_exact_rotations, list(zip(k, ns)))
            result.append(Irrep(G, label, "C", rot, freq, complex_structure=J, exact_generators=exact))
    return result


def _dihedral_irreps(G: FiniteGroup) -> list[Irrep]:
    """D_n = <r, s | r^n = s^2 = 1, s r s = r^-1> with r: x -> x+1 and s: x -> -x.

    1-dim: A1 (trivial), A2 (r -> 1, s -> -1) and, for even n, B1 (r -> -1, s -> 1) and
    B2 (r -> -1, s -> -1). 2-dim E_k, 0 < k < n/2: r -> rotation by 2 pi k / n,
    s -> diag(1, -1). All of real type; 4 + 4 (n - 2) / 4 ... add up to sum dim^2 = 2n.
    """
    n = G.family[1]
    ones = [("A1", 1, 1, 0), ("A2", 1, -1, 0)]
    if n % 2 == 0:
        ones += [("B1", -1, 1, n // 2), ("B2", -1, -1, n // 2)]
    result = [Irrep(G, label, "R", np.array([[[r]], [[s]]], dtype=float), freq,
                    exact_generators=partial(_exact_signs, [r, s]))
              for label, r, s, freq in ones]
    flip = np.diag([1.0, -1.0])
    for k in range(1, (n + 1) // 2):
        mats = np.array([_rotation(2 * math.pi * k / n), flip])
        exact = partial(_dihedral_exact, k, n)
        result.append(Irrep(G, f"E{k}", "R", mats, k, exact_generators=exact))
    return result


def _dihedral_exact(k: int, n: int) -> list[sympy.Matrix]:
    return _exact_rotations([(k, n)]) + [sympy.diag(1, -1)]


def _symmetric_irreps(G: FiniteGroup) -> list[Irrep]:
    """S_n on {0, ..., n-1}: one irreducible per partition, in Young's orthogonal form."""
    n = G.degree
    if n > YOUNG_MAX_DEGREE:
        raise GroupTooLargeError(
            f"the irreducibles of S_n are built for n up to {YOUNG_MAX_DEGREE} "
            f"(their matrices have n! entries in all); {G.name} has n = {n}"
        )
    result = []
    for shape in young.partitions(n):
        mats = np.array([young.young_orthogonal_matrix(shape, g) for g in G.generators])
        exact = partial(_young_exact, shape, G.generators)
        label = "(" + ",".join(map(str, shape)) + ")"
        result.append(Irrep(G, label, "R", mats, partition=shape, exact_generators=exact))
    return result


def _young_exact(shape: tuple[int, ...], generators: tuple[np.ndarray, ...]) -> list[sympy.Matrix]:
    return [young.young_orthogonal_matrix_exact(shape, g) for g in generators]


def real_irrep_type(norm: float, frobenius_schur: float, dim: int, tol: float = INVARIANT_TOL) -> IrrepType | None:
    """The type of a real irreducible with these invariants, or None if no irreducible has them.

    ``norm`` is <chi, chi> = (1/|G|) sum_g chi(g)^2 and ``frobenius_schur`` is
    (1/|G|) sum_g chi(g^2) for a real character chi of dimension ``dim``; see
    :data:`REAL_IRREP_INVARIANTS`. A direct sum of two or more irreducibles never passes.

    >>> real_irrep_type(2.0, 0.0, 2), real_irrep_type(2.0, 2.0, 2)   # C, and R + R
    ('C', None)
    """
    for kind, (n, fs) in REAL_IRREP_INVARIANTS.items():
        if abs(norm - n) <= tol and abs(frobenius_schur - fs) <= tol and dim % n == 0:
            return kind  # type C needs an even dimension, type H one divisible by 4
    return None


def _general_irreps(G: FiniteGroup, seed: int) -> list[Irrep]:
    """The general algorithm (module docstring): certified eigenspaces of random symmetric
    elements of End_G(R[G]), grouped by character. O(|G|^3) for the eigenvectors and
    O(|G|^2) for the characters."""
    if G.order > GENERAL_MAX_ORDER:
        raise GroupTooLargeError(
            f"the general irreducible-representation algorithm works on the regular "
            f"representation and accepts groups of order up to {GENERAL_MAX_ORDER}; "
            f"{G.name} has order {G.order}"
        )
    rng = np.random.default_rng(seed)
    N = G.order
    mult = np.array([G.left_multiplication_by(i) for i in range(N)])  # mult[i, j] = idx(e_i e_j)
    inv = np.argmax(mult == 0, axis=1)
    classes = G.conjugacy_classes()
    reps = np.array([c.elements[0] for c in classes])
    sizes = np.array([c.size for c in classes], dtype=float)
    class_of = np.empty(N, dtype=np.int64)
    for j, c in enumerate(classes):
        class_of[c.elements] = j
    square_class = class_of[mult[reps, reps]]  # the class of g^2 for g in each class

    def random_commutant() -> np.ndarray:
        c = rng.normal(size=N)
        A = c[mult[inv]]  # A[y, x] = c(y^-1 x) commutes with left multiplication
        return A + A.T

    def eigenspaces(S: np.ndarray, Q: np.ndarray | None = None) -> list[np.ndarray]:
        """Eigenspaces of S on the invariant subspace spanned by the columns of Q (all of
        R[G] for None): Q^T S Q lies in the commutant of G on that subspace."""
        vals, vecs = np.linalg.eigh(S if Q is None else Q.T @ S @ Q)
        if Q is not None:
            vecs = Q @ vecs
        scale = max(1.0, float(np.abs(vals).max(initial=0.0)))
        cuts = np.flatnonzero(np.diff(vals) > EIGENVALUE_GAP * scale) + 1
        return [vecs[:, block] for block in np.split(np.arange(vals.size), cuts)]

    by_class = np.argsort(class_of, kind="stable")
    class_starts = np.searchsorted(class_of[by_class], np.arange(len(classes)))

    def characters(blocks: list[np.ndarray]) -> np.ndarray:
        """(blocks, classes): chi(g) = sum_x P[g x, x] for each block Q with projector
        P = Q Q^T. P commutes with left multiplication, P[g y, g x] = P[y, x], so
        P[y, x] = p(x^-1 y) with p = P[:, e], and chi(g) = sum_x p(x^-1 g x) =
        (|G| / |C|) sum_{h in C} p(h) for the class C of g: O(|G|) per column instead of
        O(#classes |G|). (Whether this is chi(g) or chi(g^-1) depends on the side of the
        action; the two agree for real representations, whose matrices are orthogonal.)"""
        Q = np.hstack(blocks)
        starts = np.cumsum([0] + [b.shape[1] for b in blocks[:-1]])
        p = np.add.reduceat(Q * Q[0], starts, axis=1)  # (elements, blocks); element 0 is e
        class_sums = np.add.reduceat(p[by_class], class_starts, axis=0)
        return (class_sums * (N / sizes)[:, None]).T

    blocks = eigenspaces(random_commutant())
    certified: list[tuple[np.ndarray, np.ndarray, str]] = []
    for _ in range(SEPARATION_ATTEMPTS):
        failed = []
        for Q, chi in zip(blocks, characters(blocks)):
            kind = real_irrep_type(float(chi @ (chi * sizes)) / N, float(chi[square_class] @ sizes) / N, Q.shape[1])
            if kind is None:
                failed.append(Q)
            else:
                certified.append((Q, chi, kind))
        if not failed:
            break
        # failing eigenspaces (merged irreducibles) span an invariant subspace: split it again
        blocks = eigenspaces(random_commutant(), np.hstack(failed))
    else:
        raise NumericalError(
            f"could not separate the irreducibles of {G.name}: after {SEPARATION_ATTEMPTS} random "
            f"commutant elements, eigenspaces of total dimension {sum(Q.shape[1] for Q in failed)} "
            f"still fail the character-norm and Frobenius-Schur checks"
        )
    # blocks with the same character are copies of one irreducible: <chi_a, chi_b> = norm
    chis = np.array([chi for _, chi, _ in certified])
    norms = np.array([ENDOMORPHISM_DIM[kind] for _, _, kind in certified], dtype=float)
    same = (chis * sizes) @ chis.T / N > norms[:, None] / 2
    first = np.argmax(same, axis=1)
    distinct = np.unique(first)
    dims = np.array([Q.shape[1] for Q, _, _ in certified])
    copies = np.bincount(first, minlength=len(certified))[distinct]
    if not (np.array_equal(copies, dims[distinct] // norms[distinct].astype(int))
            and int(np.sum(dims[distinct] ** 2 // norms[distinct].astype(int))) == N):
        raise NumericalError(
            f"the certified eigenspaces of {G.name} do not add up to its regular representation "
            f"(each V must occur dim V / dim End(V) times, and sum dim^2 / dim End = |G|)"
        )
    left_inverse = np.array([np.argsort(t) for t in G.left_multiplication()])
    items = []
    for i in distinct:
        Q, chi, kind = certified[i]
        items.append((np.array([Q.T @ Q[li] for li in left_inverse]), chi, kind))
    # trivial first, then by dimension, type, and character values
    items.sort(key=lambda it: (it[0].shape[1], "RCH".index(it[2]), tuple(-np.round(it[1], 6))))
    result, counts = [], {}
    for mats, _, kind in items:
        d = mats.shape[1]
        result.append(Irrep(G, f"{d}{_letters(counts.get(d, 0))}", kind, mats))
        counts[d] = counts.get(d, 0) + 1
    return result


def _letters(i: int) -> str:
    """a, b, ..., z, aa, ab, ...: the i-th label suffix among irreducibles of one dimension."""
    text = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        text = chr(ord("a") + r) + text
    return text


def _complex_structure(V: Irrep) -> np.ndarray:
    """J in End_G(V) with J^2 = -I for a type-C irrep."""
    return math.sqrt(V.dim) * V.endomorphism_basis[1]


def _root_of_unity_sums(eigenvalues: np.ndarray, orders: np.ndarray) -> list[sympy.Expr]:
    """sum_j zeta_m^{k_j} for each row of eigenvalues e^{2 pi i k_j / m} of a matrix of
    order m (the matching entry of ``orders``)."""
    m = np.asarray(orders)[:, None]
    exponents = np.round(np.angle(eigenvalues) * m / (2 * math.pi)).astype(int) % m
    roots = np.exp(2j * math.pi * exponents / m)
    if np.abs(roots - eigenvalues).max(initial=0.0) > ROOT_TOL:
        raise NumericalError("eigenvalues are not roots of unity of the element's order")
    return [_exact_root_sum(int(mi), tuple(sorted(row))) for mi, row in zip(orders, exponents.tolist())]


@lru_cache(maxsize=4096)
def _exact_root_sum(m: int, exponents: tuple[int, ...]) -> sympy.Expr:
    """sum_k zeta_m^k over the exponents, simplified (memoised: tables repeat values)."""
    total = sum(sympy.exp(2 * sympy.pi * sympy.I * sympy.Rational(k, m)) for k in exponents)
    return sympy.nsimplify(sympy.expand_complex(total)) if total != 0 else sympy.Integer(0)


@dataclass(frozen=True)
class CharacterTable:
    """The complex character table of G: one row per complex irreducible, one column
    per conjugacy class; values exact (sympy) and numeric.

    Attributes
    ----------
    classes:
        The conjugacy classes (columns), as in ``G.conjugacy_classes()``.
    labels:
        Row labels: a real irreducible's label, with ``*`` for the conjugate of a type-C
        one (for cyclic groups the frequency -k instead).
    real_labels, types:
        The real irreducible each row belongs to, and its type.
    values:
        sympy Matrix of exact values.
    """

    group: FiniteGroup
    classes: list[ConjugacyClass]
    labels: list[str]
    real_labels: list[str]
    types: list[str]
    values: sympy.Matrix

    @cached_property
    def numeric(self) -> np.ndarray:
        return np.array(self.values.evalf(), dtype=complex)

    @property
    def dims(self) -> list[int]:
        return [int(v) for v in self.values[:, 0]]

    def frobenius_schur(self) -> list[int]:
        """(1/|G|) sum_g chi(g^2) per row: 1 (real), 0 (complex), -1 (quaternionic)."""
        G = self.group
        el = G.elements()
        squares = G.indices(np.take_along_axis(el, el, axis=1))  # g o g
        class_of = np.empty(G.order, dtype=int)
        for j, c in enumerate(self.classes):
            class_of[c.elements] = j
        counts = np.bincount(class_of[squares], minlength=len(self.classes))
        return [int(round((self.numeric[i] @ counts).real / G.order)) for i in range(len(self.labels))]

    def __str__(self) -> str:
        head = ["class"] + [cycle_notation(c.representative) for c in self.classes]
        sizes = ["size"] + [str(c.size) for c in self.classes]
        rows = [[f"{l} ({t})"] + [sympy.sstr(v) for v in self.values.row(i)]
                for i, (l, t) in enumerate(zip(self.labels, self.types))]
        table = [head, sizes] + rows
        widths = [max(len(r[j]) for r in table) for j in range(len(head))]
        return "\n".join("  ".join(cell.rjust(w) for cell, w in zip(r, widths)) for r in table)


def character_table(G: FiniteGroup, *, seed: int = 0) -> CharacterTable:
    """The complex character table, computed from the real irreducibles.

    A type-R irreducible gives one row (chi_V), a type-H one row (chi_V / 2), a type-C
    one two conjugate rows, the characters of the +i and -i eigenspaces of its complex
    structure J. Exact values: the eigenvalues of rho(g) are m-th roots of unity for g
    of order m, so rounding them to zeta_m^k and adding in sympy is exact.

    >>> from pltheory.groups import group
    >>> print(character_table(group("S3")))
          class  ()  (0 1)  (0 1 2)
           size   1      3        2
        (3) (R)   1      1        1
      (2,1) (R)   2      0       -1
    (1,1,1) (R)   1     -1        1
    """
    check_group(G, "G")
    classes = G.conjugacy_classes()
    labels, real_labels, types, rows = [], [], [], []
    for V in irreps(G, seed=seed):
        if V.type == "C":
            J = _complex_structure(V)
            vals, vecs = np.linalg.eigh(1j * J)  # J v = i v  <=>  (iJ) v = -v
            parts = [vecs[:, vals < 0], vecs[:, vals > 0]]
            names = _conjugate_labels(V)
        else:
            parts, names = [None], [V.label]
        for B, name in zip(parts, names):
            labels.append(name)
            real_labels.append(V.label)
            types.append(V.type)
            rows.append(_character_values(V, B, classes))
    return CharacterTable(G, classes, labels, real_labels, types, sympy.Matrix(rows))


def _character_values(V: Irrep, B: np.ndarray | None, classes: list[ConjugacyClass]) -> list[sympy.Expr]:
    """Exact values on the classes of the complex irreducible in V: on the subspace B
    (type C), half of chi_V (type H), chi_V (type R; Murnaghan-Nakayama for S_n)."""
    if V.partition is not None:
        return [sympy.Integer(young.murnaghan_nakayama(V.partition, young.cycle_type(c.representative)))
                for c in classes]
    rho = V.element_matrices()[[int(c.elements[0]) for c in classes]]  # rho(representative)
    if B is not None:
        rho = B.conj().T @ rho @ B
    values = _root_of_unity_sums(np.linalg.eigvals(rho), np.array([c.element_order for c in classes]))
    return [v / 2 for v in values] if V.type == "H" else values


def _conjugate_labels(V: Irrep) -> list[str]:
    if V.frequency is None:
        return [V.label, V.label + "*"]
    ns = cyclic_factor_orders(V.group)
    k = V.frequency_tuple
    neg = tuple((-kj) % n for kj, n in zip(k, ns))
    text = [str(v[0]) if len(v) == 1 else "(" + ",".join(map(str, v)) + ")" for v in (k, neg)]
    return text

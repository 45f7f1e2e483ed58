"""Isotypic decomposition of permutation representations Fun(X).

For a real irreducible V of G with real character chi_V and D = End_G(V):

* multiplicity   m_V = `<chi_X, chi_V>` / dim_R D, with chi_X(g) = |X^g|;
* projector      E_V = (dim V / (dim_R D |G|)) sum_g chi_V(g) P_g, the orthogonal
                 projection of Fun(X) onto its V-isotypic component;
* adapted basis  orthonormal columns Q_V = [Q_1 ... Q_m] with P_g Q_i = Q_i rho_V(g), so
                 Q^T P_g Q is block diagonal with blocks exactly the irreducible's
                 matrices, and E_V = Q_V Q_V^T.

Two methods build them:

* "characters" (any enumerable group): m_V from the permutation character; each Q_i from
  an intertwiner T = sum_g P_g M rho_V(g)^T (M random), made orthonormal by
  T (T^T T)^(-1/2), which stays an intertwiner because T^T T lies in End_G(V).
* "fourier" (G = C_n1 x ... x C_nm, the default there): each orbit O of X is G / H, and
  a point x = g.x0 gets coordinates a(x) in Z/n1 x ... x Z/nm (defined up to H). The
  character k is trivial on H iff k . h / n is an integer for the defects
  h = a(x) + e_j - a(g_j x) of the orbit; then V_k occurs once in Fun(O), with basis
  sqrt(2/|O|) [cos 2 pi phi_k(x), sin 2 pi phi_k(x)], phi_k(x) = sum_j k_j a_j(x) / n_j
  (1/sqrt|O| cos for real k). Coordinates Q^T f are read off the FFT of f placed at
  a(x): no group enumeration, no dense matrices. For D_n = `<r, s>` the same path runs on X
  as a set of the rotations C_n = `<r>`; the reflection s maps each r-cycle onto an r-cycle,
  so it splits the frequencies 0 and n/2 into A1 + A2 and B1 + B2 and picks the copies of
  E_k aligned with its matrices, by closed-form combinations of at most two C_n copies
  (`_dihedral`).
* "centralizer" (any G-set, from generators alone; the default for groups too large to
  list cheaply): the simple ideals of End_G(Fun X) give m_V, the type, dim V and the
  isotypic projector e_V as a combination of orbit indicators
  ([`pltheory.centralizer`][pltheory.centralizer]). Each component is named by its characters at sampled
  elements: the group's own irreducible when its family knows it (S_n: the partition,
  by Murnaghan-Nakayama) or its irreducibles can be listed, else an irreducible built from
  one copy in Fun(X) (key: dimension, type and the characters of the generators). The
  basis of a component is orthonormal; its copies are not aligned with rho_V.

Examples
--------
>>> from pltheory.families import symmetric
>>> from pltheory.gsets import GSet
>>> D = decompose(GSet.natural(symmetric(4)))
>>> [(c.irrep.key, c.multiplicity) for c in D.components]
[('(4)', 1), ('(3,1)', 1)]
"""

from __future__ import annotations

import hashlib
import math
import weakref
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property, partial
from typing import Literal

import numpy as np
import scipy.linalg
import scipy.sparse as sp

from .centralizer import AlgebraBlock, CentralizerAlgebra, sampled_elements
from .equivariant import check_same_group, check_weight, equivariant_basis, scaled
from .errors import NoClosedFormError, NumericalError, TooLargeError, WeightError
from .families import cyclic
from .gsets import GSet, check_gset
from .irreducibles import GENERAL_MAX_ORDER, Irrep
from .limits import check_memory
from .sequences import LazySequence
from .tolerances import CHARACTER_MATCH_TOL, COPY_ATTEMPTS, EIGENVALUE_GAP, GRAM_TOL, KEY_DIGITS
from .validate import check_choice, check_integer, check_real_array

Method = Literal["auto", "fourier", "characters", "centralizer"]

#: ``method="auto"`` lists G (the character method) only when |G| |X| is at most this.
CHARACTER_WORK = 2_000_000

#: Components written out by ``repr(decomposition)`` before "...".
REPR_COMPONENTS = 40

#: Complex entries per FFT batch in the Fourier path (bounds its memory to ~64 MB).
FFT_BATCH = 1 << 22

#: The decompositions [`decompose`][pltheory.decomposition.decompose] has made and someone
#: still holds, per G-set object, seed and method. A decomposition refers to its G-set, so
#: while it lives the G-set's id names that G-set; once nobody holds it, it leaves the cache
#: (no memory kept for callers that dropped it).
_DECOMPOSITIONS: weakref.WeakValueDictionary[tuple[int, int, str], Decomposition] = weakref.WeakValueDictionary()


@dataclass(frozen=True, eq=False)
class IsotypicComponent:
    """The V-isotypic part of Fun(X): m copies of the real irreducible V.

    ``basis`` is |X| x (m dim V), orthonormal. For the Fourier and character methods copy i
    occupies columns i*dim V .. (i+1)*dim V - 1 and satisfies P_g basis_i = basis_i
    rho_V(g); the centralizer method gives an orthonormal basis of the component whose
    columns are not aligned with rho_V. Both ``basis`` and the orthogonal ``projector``
    E_V = basis basis^T are built on first use.

    Examples
    --------
    >>> from pltheory.families import cyclic
    >>> c = decompose(GSet.natural(cyclic(4))).components[1]
    >>> c, c.dim, c.basis.shape, np.allclose(c.projector @ c.projector, c.projector)
    (IsotypicComponent('1', type=C, dim=2, multiplicity=1), 2, (4, 2), True)
    """

    irrep: Irrep
    multiplicity: int
    build_basis: Callable[[], np.ndarray] = field(repr=False)
    copy_orbits: tuple[int, ...] | None = None  # Fourier method: the orbit of X holding each copy

    @property
    def dim(self) -> int:
        """m dim V, the dimension of the component."""
        return self.multiplicity * self.irrep.dim

    @cached_property
    def basis(self) -> np.ndarray:
        """|X| x (m dim V) orthonormal columns, m copies of V (built on first use; read-only,
        as it is shared by every caller of the cached decomposition)."""
        basis = np.array(self.build_basis(), dtype=float)
        basis.flags.writeable = False
        return basis

    @cached_property
    def projector(self) -> np.ndarray:
        """E_V = basis basis^T, the orthogonal projector onto the component (read-only)."""
        projector = self.basis @ self.basis.T
        projector.flags.writeable = False
        return projector

    def __repr__(self) -> str:
        return (f"IsotypicComponent({self.irrep.key!r}, type={self.irrep.type}, "
                f"dim={self.irrep.dim}, multiplicity={self.multiplicity})")


class Components(LazySequence[IsotypicComponent]):
    """The isotypic components of a decomposition, each built on first access
    ([`LazySequence`][pltheory.sequences.LazySequence]), with the numbers about all of them as
    arrays: Fun(C_10^6) has 500,001 components, whose sizes and keys need no component
    object.

    Attributes
    ----------
    dims:
        m_V dim V of each component.
    multiplicities:
        m_V of each component.
    starts:
        The first column of each component in the adapted basis (cumulative ``dims``).
    copy_orbits:
        Fourier method: the orbit of X holding each copy, component after component
        (``multiplicities`` copies each); else None.

    Examples
    --------
    >>> from pltheory.families import cyclic
    >>> comps = decompose(GSet.natural(cyclic(6))).components
    >>> comps.dims.tolist(), comps.keys(), comps[1]
    ([1, 2, 2, 1], ['0', '1', '2', '3'], IsotypicComponent('1', type=C, dim=2, multiplicity=1))
    """

    def __init__(self, dims: np.ndarray, multiplicities: np.ndarray, build: Callable[[int], IsotypicComponent],
                 keys: Callable[[], list[str]] | None = None, copy_orbits: np.ndarray | None = None) -> None:
        self.dims, self.multiplicities = np.asarray(dims, dtype=np.int64), np.asarray(multiplicities, dtype=np.int64)
        self.copy_orbits = copy_orbits
        self.starts = np.cumsum(self.dims) - self.dims
        self._keys, self._key_list = keys, None
        super().__init__(len(self.dims), build)

    @classmethod
    def of(cls, components: Sequence[IsotypicComponent]) -> Components:
        """The components of a list, as a [`Components`][pltheory.decomposition.Components]."""
        items = tuple(components)
        return cls(np.array([c.dim for c in items], dtype=np.int64),
                   np.array([c.multiplicity for c in items], dtype=np.int64), items.__getitem__)

    def keys(self) -> list[str]:
        """The key of each component's irreducible (computed from arrays where the method
        knows them, without building the components)."""
        if self._key_list is None:
            self._key_list = self._keys() if self._keys is not None else [c.irrep.key for c in self]
        return list(self._key_list)


@dataclass(frozen=True, eq=False)
class Decomposition:
    """Fun(X) = sum_V V^(m_V), with an orthonormal symmetry-adapted basis.

    Attributes
    ----------
    X:
        The G-set.
    components:
        The isotypic components with m_V > 0, in the order of ``G.irreps()`` (the
        centralizer method: the trivial one first, then partitions in that order, then
        irreducibles built from copies by dimension and key): a [`Components`][pltheory.decomposition.Components]
        sequence, each component built on first access.
    method:
        "fourier", "characters" or "centralizer" (see the module docstring).
    transform:
        For the Fourier method, the FFT that computes Q^T F (see `coordinates`).
    energies:
        For the centralizer method, ||e_V f||^2 = f . e_V f through the orbit labels
        (O(|X|^2) per component, no basis; see `component_energies`).

    Examples
    --------
    >>> from pltheory.families import symmetric
    >>> D = decompose(GSet.from_spec(symmetric(3), "pairs"))
    >>> D, D.method, np.allclose(D.basis.T @ D.basis, np.eye(9))
    (Decomposition(Fun(pairs) = (3)^2 + (2,1)^3 + (1,1,1)), 'characters', True)
    """

    X: GSet
    components: Components
    method: str
    transform: Callable[[np.ndarray], np.ndarray] | None = field(default=None, repr=False)
    energies: Callable[[np.ndarray], np.ndarray] | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        if not isinstance(self.components, Components):
            object.__setattr__(self, "components", Components.of(self.components))

    @property
    def basis(self) -> np.ndarray:
        """Q = [Q_V1 Q_V2 ...], an orthogonal |X| x |X| matrix."""
        return np.hstack([c.basis for c in self.components])

    @property
    def column_keys(self) -> list[str]:
        """The key of the irreducible of each column of `basis`."""
        return np.repeat(np.array(self.components.keys(), dtype=object), self.components.dims).tolist()

    @cached_property
    def slices(self) -> list[slice]:
        """The columns of `basis` (and rows of `coordinates`) of each component."""
        starts, dims = self.components.starts.tolist(), self.components.dims.tolist()
        return [slice(a, a + d) for a, d in zip(starts, dims)]

    def multiplicities(self) -> dict[str, int]:
        """m_V = `<chi_X, chi_V>` / dim_R End_G(V) for each V that occurs, by key.

        >>> from pltheory.families import cyclic
        >>> decompose(GSet.from_spec(cyclic(4), "subsets:2")).multiplicities()
        {'0': 2, '1': 1, '2': 2}
        """
        return dict(zip(self.components.keys(), self.components.multiplicities.tolist()))

    def as_dict(self) -> dict:
        """The JSON form: the G-set, its size, the method and one entry per isotypic
        component (its irreducible's key, dimension, type and multiplicity).

        >>> import pltheory as pt
        >>> components = pt.decompose(pt.GSet.natural(pt.symmetric(3))).as_dict()["components"]
        >>> components[1]
        {'irrep': '(2,1)', 'dim': 2, 'type': 'R', 'multiplicity': 1}
        """
        return {"group": self.X.group.name, "set": self.X.name, "size": self.X.size, "method": self.method,
                "components": [{"irrep": c.irrep.key, "dim": c.irrep.dim, "type": c.irrep.type,
                                "multiplicity": c.multiplicity} for c in self.components]}

    def coordinates(self, F: np.ndarray) -> np.ndarray:
        """Q^T F for a function F on X (shape (|X|,) or (|X|, r)): its coordinates in the
        adapted basis. The Fourier method uses FFTs instead of Q: O(|G| log |G|) per
        large orbit and column, and no |X| x |X| matrix.

        >>> from pltheory.families import cyclic
        >>> D = decompose(GSet.natural(cyclic(4)))
        >>> D.coordinates(np.array([1.0, 0.0, -1.0, 0.0])).round(6) + 0.0     # all in V_1
        array([0.      , 1.414214, 0.      , 0.      ])
        """
        F = check_real_array(F, "F", (1, 2))
        if F.shape[0] != self.X.size:
            raise WeightError(f"a function on {self.X.name} has {self.X.size} values (rows), got shape {F.shape}")
        if self.transform is not None:
            return self.transform(F)
        return self.basis.T @ F

    def component_energies(self, f: np.ndarray) -> np.ndarray:
        """||E_V f||^2 for each component V (they add up to ||f||^2).

        >>> from pltheory.families import cyclic
        >>> D = decompose(GSet.natural(cyclic(4)))
        >>> D.component_energies(np.array([1.0, 0.0, -1.0, 0.0])).round(12).tolist()
        [0.0, 2.0, 0.0]
        """
        f = check_real_array(f, "f", 1)
        if f.shape[0] != self.X.size:
            raise WeightError(f"a function on {self.X.name} has {self.X.size} values, got shape {f.shape}")
        if self.energies is not None:  # the centralizer path: projections through the labels
            return self.energies(f)
        return np.add.reduceat(self.coordinates(f) ** 2, self.components.starts)

    def __repr__(self) -> str:
        shown = REPR_COMPONENTS if len(self.components) > REPR_COMPONENTS + 1 else len(self.components)
        parts = " + ".join(key + (f"^{m}" if m > 1 else "") for key, m in
                           zip(self.components.keys()[:shown], self.components.multiplicities[:shown].tolist()))
        more = f" + ... ({len(self.components)} components)" if shown < len(self.components) else ""
        return f"Decomposition(Fun({self.X.name}) = {parts}{more})"


def decompose(X: GSet, *, seed: int = 0, method: Method = "auto") -> Decomposition:
    """The isotypic decomposition of Fun(X) with a symmetry-adapted orthonormal basis.

    ``method="auto"`` takes the Fourier path for products of cyclic groups and D_n, the character
    path where listing G costs little (`CHARACTER_WORK`, order at most
    ``GENERAL_MAX_ORDER``), and the centralizer algebra otherwise (no listing of G). A
    decomposition is made once per G-set, seed and method for as long as any caller holds
    it (the G-set itself is not changed and stays picklable). ``method="fourier"`` for another group raises
    [`NoClosedFormError`][pltheory.errors.NoClosedFormError]. Costs: Fourier O(|X| log |G|) (Fun(C_10^6) in 0.7 s,
    D_256 on its 512 elements in 7 ms); characters O(|G| |X| sum dim V^2); centralizer
    O(|X|^2 k) for the orbit labels plus the algebra ([`pltheory.centralizer`][pltheory.centralizer]).

    >>> from pltheory.families import cyclic, symmetric
    >>> decompose(GSet.natural(cyclic(4)))
    Decomposition(Fun(natural) = 0 + 1 + 2)
    >>> decompose(GSet.natural(symmetric(3))).method
    'characters'
    """
    check_gset(X, "X")
    seed = check_integer(seed, "seed", 0)
    method = check_choice(method, "method", ("auto", "fourier", "characters", "centralizer"))
    orders, degree = X.group.structure.cyclic_orders, X.group.structure.dihedral_degree
    if method == "fourier" and orders is None and degree is None:
        raise NoClosedFormError(
            f"the Fourier decomposition needs a product of cyclic groups or D_n; {X.group.name} is neither"
        )
    if method == "auto":
        method = "fourier" if orders is not None or degree is not None else _auto_method(X)
    D = _DECOMPOSITIONS.get((id(X), seed, method))
    if D is None:
        fourier = (lambda: _fourier(X, orders)) if orders is not None else (lambda: _dihedral(X, degree))
        builders = {"fourier": fourier, "characters": lambda: _characters(X, seed),
                    "centralizer": lambda: _centralizer(X, seed)}
        D = builders[method]()
        _DECOMPOSITIONS[id(X), seed, method] = D
    return D


def _auto_method(X: GSet) -> str:
    """The character method where listing G and its irreducibles costs little (|G| |X| <=
    CHARACTER_WORK and |G| <= GENERAL_MAX_ORDER; it also gives adapted bases), the
    centralizer algebra otherwise."""
    small = X.group.order_at_most(min(GENERAL_MAX_ORDER, CHARACTER_WORK // X.size))  # no Schreier-Sims
    return "characters" if small else "centralizer"


# -------------------------------------------------------------- centralizer method
def _centralizer(X: GSet, seed: int) -> Decomposition:
    A = CentralizerAlgebra(X, seed=seed)
    G, samples = X.group, sampled_elements(X)
    commutators = _commutator_actions(X)
    found = []
    for block in A.blocks:
        characters = np.array([A.character(block, act) for act in samples.action])
        candidates = G.structure.irrep_candidates(G, block.dim, block.type, samples.domain, characters)
        if len(candidates) > 1:  # the sampled elements do not tell them apart: all classes do
            candidates = _by_all_classes(A, block, candidates)
        if len(candidates) == 1:
            V = candidates[0]
        else:
            V = _irrep_from_copy(A, block, characters, commutators)
        trivial = block.dim == 1 and np.allclose(characters, 1.0)
        order = tuple(-part for part in V.partition) if V.partition is not None else (V.dim,)
        found.append((not trivial, order, V.key, IsotypicComponent(V, block.multiplicity,
                                                                   partial(_component_basis, A, block)), block))
    found.sort(key=lambda item: item[:3])  # trivial first; partitions in G.irreps() order, else by dim
    idempotents = np.array([item[4].idempotent for item in found])

    def energies(f: np.ndarray) -> np.ndarray:
        """||e_V f||^2 = f . e_V f (e_V a symmetric idempotent), through the labels: no basis."""
        return np.array([f @ A.apply(c, f) for c in idempotents])

    return Decomposition(X, _distinct_keys(tuple(item[3] for item in found)), "centralizer", energies=energies)


def _by_all_classes(A: CentralizerAlgebra, block: AlgebraBlock, candidates: list[Irrep]) -> list[Irrep]:
    """The candidates whose characters match the block's at every conjugacy class (each
    representative's action on X composed along its word), when G can be listed; else
    the candidates unchanged."""
    G, X = A.X.group, A.X
    try:
        classes = G.conjugacy_classes()
        words = [G.word(c.representative) for c in classes]
        _ = [V.class_character for V in candidates]
    except TooLargeError:
        return candidates
    measured = []
    for word in words:
        action = np.arange(X.size)
        for s in reversed(word):  # g = gen[s_1] ... gen[s_m]: apply the last first
            action = X.action[s][action]
        measured.append(A.character(block, action))
    return [V for V in candidates if np.allclose(V.class_character, measured, atol=CHARACTER_MATCH_TOL)]


def _distinct_keys(components: tuple[IsotypicComponent, ...]) -> tuple[IsotypicComponent, ...]:
    """Irreducibles built from copies are keyed by their characters at fixed words
    ([`_irrep_from_copy`][pltheory.decomposition._irrep_from_copy]); two that agree on all of them get suffixes #1, #2,
    ... in
    the order of the components, so that no two components share a key. Such a suffix is
    local to this G-set ([`local_key`][pltheory.decomposition.local_key] strips it), not a name of the irreducible."""
    counts = Counter(c.irrep.key for c in components)
    seen: Counter = Counter()
    result = []
    for c in components:
        if counts[c.irrep.key] > 1:
            seen[c.irrep.key] += 1
            c = IsotypicComponent(replace(c.irrep, key=f"{c.irrep.key}#{seen[c.irrep.key]}"), c.multiplicity,
                                  c.build_basis, c.copy_orbits)
        result.append(c)
    return tuple(result)


def _component_basis(A: CentralizerAlgebra, block: AlgebraBlock) -> np.ndarray:
    """An orthonormal basis of e_V Fun(X): e_V applied to random vectors, orthonormalised."""
    rng = np.random.default_rng(0)
    image = A.apply(block.idempotent, rng.normal(size=(A.X.size, block.trace)))
    return np.linalg.qr(image)[0]


def _commutator_actions(X: GSet) -> list[np.ndarray]:
    """The actions on X of the commutators g_i g_j g_i^-1 g_j^-1 of the generators, i < j
    (central in a Heisenberg group, where the characters vanish off the centre)."""
    inverses = [np.argsort(act) for act in X.action]
    return [X.action[i][X.action[j][inverses[i][inverses[j]]]]
            for i in range(len(X.action)) for j in range(i + 1, len(X.action))]


def _irrep_from_copy(A: CentralizerAlgebra, block: AlgebraBlock, sampled: np.ndarray,
                     commutators: list[np.ndarray]) -> Irrep:
    """The irreducible carried by one copy of V in Fun(X): the eigenspace of a random
    symmetric element of e_V End_G(Fun X) e_V for its lowest eigenvalue (one copy, since a
    generic symmetric element of M_m(D) has simple eigenvalues over D), with the
    generators' matrices Q^T P_s Q.

    Keyed by what V is, whatever G-set it was found in: dimension, type, the characters
    of the generators, and after "~" four hex digits digesting the characters at the
    commutators of the generators and at the sampled elements (``sampled``, the same
    words of G in every G-set), e.g. "26C(0,0)~3fa2"."""
    rng = np.random.default_rng(0)
    Q = _component_basis(A, block)
    a = rng.normal(size=A.dim)
    S = A.multiply(A.multiply(block.idempotent, a + a[A.transpose]), block.idempotent)
    values, vectors = np.linalg.eigh(Q.T @ A.apply(S, Q))
    copy = Q @ vectors[:, : block.dim]
    if block.multiplicity > 1 and values[block.dim] - values[block.dim - 1] <= EIGENVALUE_GAP * abs(values).max():
        raise NumericalError(f"could not split one copy off the {block.dim}-dimensional isotypic part of "
                             f"Fun({A.X.name})")
    matrices = np.array([copy.T @ copy[np.argsort(act)] for act in A.X.action])
    shown = np.round(sampled[: A.X.group.num_generators], KEY_DIGITS) + 0.0
    words = np.round(np.r_[[A.character(block, act) for act in commutators], sampled], KEY_DIGITS) + 0.0
    digest = hashlib.blake2b(words.tobytes(), digest_size=2).hexdigest()
    key = f"{block.dim}{block.type}(" + ",".join(f"{c:g}" for c in shown) + f")~{digest}"
    return Irrep(A.X.group, key, block.type, matrices)


def local_key(key: str) -> str:
    """The key without the suffix #i that tells apart, within one G-set, irreducibles no
    fixed word distinguishes (`_distinct_keys`).

    >>> local_key("26C(0,0)~3fa2#2"), local_key("(3,1)")
    ('26C(0,0)~3fa2', '(3,1)')
    """
    return key.split("#")[0]



# ---------------------------------------------------------------- character method
def _characters(X: GSet, seed: int) -> Decomposition:
    """Multiplicities from the characters, <chi_X, chi_V> / dim End_G(V); each component's
    adapted basis is built on first use (from its own seeded generator), so that the
    multiplicities of a G-set too large for a basis of Fun(X) still come out."""
    G = X.group
    acts = X.element_actions()  # acts[i][x] = g_i . x
    chi_X = (acts == np.arange(X.size)).sum(axis=1).astype(float)
    components = []
    for i, V in enumerate(G.irreps(seed)):
        mult = int(round(chi_X @ V.character() / G.order / V.endomorphism_dim))
        if mult:
            components.append(IsotypicComponent(V, mult, partial(_adapted_basis, V, acts, mult, [seed, i])))
    return Decomposition(X, tuple(components), "characters")


def _adapted_basis(V: Irrep, acts: np.ndarray, mult: int, seed: list[int]) -> np.ndarray:
    """m orthonormal copies Q_i of V in Fun(X) with P_g Q_i = Q_i rho_V(g), drawn from
    ``numpy.random.default_rng(seed)``; TooLargeError when the |X| x m dim V basis (and its
    working copies) would not fit in memory."""
    check_memory(acts.shape[1] * mult * V.dim * 8 * 4, f"an adapted basis of {mult} copies of {V.key} in a Fun(X) "
                 f"of {acts.shape[1]} points", "ask for the multiplicities only (decompose(X).as_dict()), or use a "
                 "smaller G-set")
    rng = np.random.default_rng(seed)
    mats = V.element_matrices()
    inverse_acts = np.argsort(acts, axis=1)  # (P_g M)[y] = M[g^-1 . y]
    found = np.zeros((acts.shape[1], 0))
    attempts = 0
    while found.shape[1] < mult * V.dim:
        attempts += 1
        if attempts > COPY_ATTEMPTS * mult:  # pragma: no cover - probability zero
            raise NumericalError(f"could not find {mult} copies of {V.key}")
        M = rng.normal(size=(acts.shape[1], V.dim))
        T = sum(M[inv] @ rho.T for inv, rho in zip(inverse_acts, mats))
        T = T - found @ (found.T @ T)  # orthogonal to the copies found so far
        gram = T.T @ T
        if np.linalg.eigvalsh(gram).min() < GRAM_TOL * max(1.0, np.trace(gram)):
            continue
        found = np.hstack([found, T @ scipy.linalg.inv(scipy.linalg.sqrtm(gram).real)])
    return found


# ------------------------------------------------------------------ Fourier method
def orbit_coordinates(X: GSet, orders: list[int]) -> np.ndarray:
    """a(x) in Z/n1 x ... x Z/nm with x = g_1^a_1 ... g_m^a_m . x0 (x0 the smallest point
    of the orbit), by a breadth-first search whose moves are the powers g_j^(2^p): every
    exponent below n_j is a sum of distinct powers of 2, so O(sum_j log n_j) rounds
    instead of the orbit's diameter, and no inverses are needed.

    >>> import pltheory as pt
    >>> orbit_coordinates(GSet.grid(pt.group("C2xC3")), [2, 3]).tolist()
    [[0, 0], [0, 1], [0, 2], [1, 0], [1, 1], [1, 2]]
    """
    m = len(orders)
    n = np.array(orders)
    moves = []
    for j, act in enumerate(X.action):
        power, step = act, 1
        while step < orders[j]:
            delta = np.zeros(m, dtype=np.int64)
            delta[j] = step
            moves.append((power, delta))
            power, step = power[power], 2 * step
    coords = np.full((X.size, m), -1, dtype=np.int64)
    frontier = np.array([orbit[0] for orbit in X.orbits()], dtype=np.int64)
    coords[frontier] = 0
    while frontier.size:
        reached = []
        for perm, delta in moves:
            targets = perm[frontier]
            new = coords[targets, 0] < 0
            coords[targets[new]] = (coords[frontier[new]] + delta) % n
            reached.append(targets[new])
        frontier = np.concatenate([np.empty(0, dtype=np.int64), *reached])
    return coords


def _fourier(X: GSet, orders: list[int], coords: np.ndarray | None = None) -> Decomposition:
    G = X.group
    n = np.array(orders)
    lcm = math.lcm(*orders)
    coords = orbit_coordinates(X, orders) if coords is None else coords
    labels = X.orbit_labels
    orbits = X.orbits()
    Vs = G.irreps()  # an AbelianIrreps: frequencies and dimensions as arrays
    ks = Vs.frequencies
    weights = ks * (lcm // n)  # phi_k(x) = (weights[k] . a(x)) / lcm
    # defects h = a(x) + e_j - a(g_j x), one set per orbit; they generate the stabiliser
    defects = np.concatenate([(coords + np.eye(len(n), dtype=np.int64)[j] - coords[act]) % n
                              for j, act in enumerate(X.action)])
    defect_orbit = np.tile(labels, len(n))
    keep = defects.any(axis=1)
    rows = np.unique(np.column_stack([defect_orbit[keep], defects[keep]]), axis=0)
    broken = (weights @ rows[:, 1:].T) % lcm != 0  # (irreps, defects)
    invalid = np.zeros((len(Vs), X.num_orbits), dtype=bool)
    np.logical_or.at(invalid, (slice(None), rows[:, 0]), broken)
    valid = ~invalid  # valid[v, o]: V_k occurs in Fun(orbit o)

    def build_basis(v: int) -> np.ndarray:
        V = Vs[v]
        cols = []
        for o in np.flatnonzero(valid[v]):
            pts = orbits[o]
            angle = 2 * np.pi * ((coords[pts] @ weights[v]) % lcm) / lcm
            block = np.zeros((X.size, V.dim))
            if V.dim == 1:
                block[pts, 0] = np.cos(angle) / math.sqrt(pts.size)
            else:
                block[pts, 0] = np.cos(angle) * math.sqrt(2 / pts.size)
                block[pts, 1] = np.sin(angle) * math.sqrt(2 / pts.size)
            cols.append(block)
        return np.hstack(cols)

    # one coordinate row per (irreducible, orbit where it occurs, column of the copy)
    dims = Vs.dims
    pair_v, pair_o = np.nonzero(valid)  # irreducible-major, as the components are ordered
    sizes = np.bincount(labels, minlength=X.num_orbits)
    row_pair = np.repeat(np.arange(pair_v.size), dims[pair_v])
    plan = np.column_stack([
        pair_o[row_pair],
        np.ravel_multi_index(tuple(ks.T), orders)[pair_v[row_pair]],
        np.arange(row_pair.size) - np.repeat(np.cumsum(dims[pair_v]) - dims[pair_v], dims[pair_v]),
        np.sqrt(dims[pair_v[row_pair]] / sizes[pair_o[row_pair]]),
    ])
    counts = np.bincount(pair_v, minlength=len(Vs))
    present = np.flatnonzero(counts)  # the irreducible of each component
    ends = np.cumsum(counts[present])  # pair_o[ends[c] - counts: ends[c]]: the orbits holding component c

    def component(c: int) -> IsotypicComponent:
        v, m = int(present[c]), int(counts[present[c]])
        return IsotypicComponent(Vs[v], m, partial(build_basis, v), tuple(pair_o[ends[c] - m: ends[c]].tolist()))

    transform = _fourier_transform(coords, orbits, orders, plan, weights[pair_v[row_pair]], lcm)
    return Decomposition(X, Components(counts[present] * dims[present], counts[present], component,
                                       partial(Vs.keys, present), pair_o),
                         "fourier", transform)


def _fourier_transform(coords: np.ndarray, orbits: list[np.ndarray], orders: list[int], plan: np.ndarray,
                       row_weights: np.ndarray, lcm: int) -> Callable[[np.ndarray], np.ndarray]:
    """F -> Q^T F. Orbits comparable to G: place F at a(x) on a grid Z/n1 x ... x Z/nm, FFT,
    and read Re C[k] (cosine rows) and -Im C[k] (sine rows), C[k] = sum_x F(x)
    e^(-2 pi i phi_k(x)). Orbits with |O|^2 < |G| log2 |G|: a dense |O| x |O| block of
    cosines and sines instead, built once (an FFT over all of G would cost more)."""
    group_size = math.prod(orders)
    flat_a = np.ravel_multi_index(tuple(coords.T), orders)
    row_orbit, row_k = plan[:, 0].astype(np.int64), plan[:, 1].astype(np.int64)
    row_imag, row_scale = plan[:, 2] == 1, plan[:, 3]
    axes = tuple(range(1, len(orders) + 1))
    rows_of = np.split(np.argsort(row_orbit, kind="stable"),
                       np.cumsum(np.bincount(row_orbit, minlength=len(orbits)))[:-1])
    small = [o for o, pts in enumerate(orbits) if pts.size**2 < group_size * max(1.0, math.log2(group_size))]
    blocks = []  # (rows, points, Q_O^T) of the small orbits
    for o in small:
        rows, pts = rows_of[o], orbits[o]
        angle = 2 * np.pi * ((coords[pts] @ row_weights[rows].T) % lcm) / lcm  # (|O|, rows)
        blocks.append((rows, pts, (np.where(row_imag[rows], np.sin(angle), np.cos(angle)) * row_scale[rows]).T))
    large = np.setdiff1d(np.arange(len(orbits)), small)
    position = np.full(len(orbits), -1)
    position[large] = np.arange(large.size)
    orbit_of_point = np.empty(len(flat_a), dtype=np.int64)
    for o, pts in enumerate(orbits):
        orbit_of_point[pts] = o

    def transform(F: np.ndarray) -> np.ndarray:
        vector = F.ndim == 1
        F2 = F[:, None] if vector else F
        r = F2.shape[1]
        out = np.empty((len(plan), r))
        for rows, pts, matrix in blocks:
            out[rows] = matrix @ F2[pts]
        cols_per_batch = max(1, min(r, FFT_BATCH // group_size))
        orbits_per_batch = max(1, FFT_BATCH // (group_size * cols_per_batch))
        for b0 in range(0, large.size, orbits_per_batch):
            batch = large[b0:b0 + orbits_per_batch]
            points = np.concatenate([orbits[o] for o in batch])
            rows = np.concatenate([rows_of[o] for o in batch])
            slot_of_point = position[orbit_of_point[points]] - b0
            slot_of_row = position[row_orbit[rows]] - b0
            for c0 in range(0, r, cols_per_batch):
                c1 = min(r, c0 + cols_per_batch)
                grid = np.zeros((batch.size, group_size, c1 - c0))
                grid[slot_of_point, flat_a[points]] = F2[points, c0:c1]
                spectrum = np.fft.fftn(grid.reshape(batch.size, *orders, c1 - c0), axes=axes)
                values = spectrum.reshape(batch.size, group_size, c1 - c0)[slot_of_row, row_k[rows]]
                out[rows, c0:c1] = row_scale[rows, None] * np.where(
                    row_imag[rows, None], -values.imag, values.real)
        return out[:, 0] if vector else out

    return transform


# ---------------------------------------------------------- dihedral Fourier method
def _dihedral(X: GSet, n: int) -> Decomposition:
    """D_n = `<r, s>` through its rotations: the Fourier decomposition of X as a C_n-set, its
    components split or aligned by the reflection (module docstring). The copies of the
    C_n-decomposition live on the r-cycles O (base point x_O, coordinates a(x)); s maps O
    onto the cycle O' = s O, with P_s u_O = e^(2 pi i k d / n) conj(u_O') for the complex
    vector u_O(x) = e^(2 pi i k a(x) / n) / sqrt|O| and d = a(s x_O'). So each D_n copy is
    a combination of the C_n copies on O and s O, with closed-form coefficients:

    * k = 0: 1_O is A1 when s O = O, else (1_O +- 1_O') / sqrt 2 are A1 and A2;
    * k = n/2: P_s b_O = (-1)^d b_O', so B1 or B2 by that sign, or (b_O +- (-1)^d b_O') / sqrt 2;
    * 0 < k < n/2 (E_k): the s-fixed vector f of the copy (cos(phi/2) c_O + sin(phi/2) t_O
      on a fixed cycle, phi = 2 pi k d / n; (c_O + P_s c_O) / sqrt 2 and
      (t_O + P_s t_O) / sqrt 2 for a swapped pair, c and t the cosine and sine columns)
      and its rotation J f by 90 degrees within each cycle's plane: P_r [f, Jf] = [f, Jf] R,
      P_s [f, Jf] = [f, Jf] diag(1, -1), exactly the matrices of E_k.

    All of it is one sparse matrix T (at most 3 entries per row) from the C_n coordinates
    to the D_n coordinates: coordinates cost one FFT and T, bases one C_n block times a
    block of T. O(|X|) beyond the FFT; no group listed, no dense matrix."""
    G = X.group
    s = X.action[1]
    Xc = GSet(cyclic(n), X.action[:1], f"{X.name} (rotations)", check=False)
    coords = orbit_coordinates(Xc, [n])
    DC = _fourier(Xc, [n], coords)
    comps, a = DC.components, coords[:, 0]
    base = np.array([orbit[0] for orbit in Xc.orbits()])
    partner = Xc.orbit_labels[s[base]]  # the cycle s O
    # one entry per C_n copy: component c, frequency k, cycle o, index j in c, partner's index p
    m = comps.multiplicities
    first_copy = np.cumsum(m) - m
    c = np.repeat(np.arange(len(comps)), m)
    k = np.array(comps.keys(), dtype=np.int64)[c]  # C_n keys are the frequencies
    o = comps.copy_orbits
    j = np.arange(o.size) - first_copy[c]
    p = np.searchsorted(c * len(base) + o, c * len(base) + partner[o]) - first_copy[c]
    d = a[s[base[partner[o]]]]  # s maps the base of s O into O, at this coordinate
    fixed, first, second = p == j, p > j, p < j
    column = comps.starts[c]  # the first C_n coordinate of each copy's component
    sign = np.where(d % 2 == 0, 1.0, -1.0)  # (-1)^d: P_s b_O = sign b_O' at k = n/2
    one_dim = [("A1", "A2", k == 0, np.ones(o.size)), ("B1", "B2", 2 * k == n, sign)][: 2 if n % 2 == 0 else 1]
    freqs = k[first_copy]  # the frequency of each C_n component, increasing
    copies_of = dict(zip(freqs.tolist(), m.tolist()))
    mult = {V.key: copies_of.get(V.frequency, 0) for V in G.irreps() if V.dim == 2}  # E_k: the copies of V_k
    for plus, minus, chosen, sg in one_dim:
        pairs = int(np.sum(chosen & first))
        mult[plus] = int(np.sum(chosen & fixed & (sg > 0))) + pairs
        mult[minus] = int(np.sum(chosen & fixed & (sg < 0))) + pairs
    Vs = [V for V in G.irreps() if mult.get(V.key, 0)]
    dims = np.array([mult[V.key] * V.dim for V in Vs])
    start = dict(zip((V.key for V in Vs), (np.cumsum(dims) - dims).tolist()))
    half = 1 / math.sqrt(2)
    rows, cols, values = [], [], []

    def put(row: np.ndarray, col: np.ndarray, value: np.ndarray) -> None:
        rows.append(row)
        cols.append(col)
        values.append(np.broadcast_to(value, row.shape))

    for plus, minus, chosen, sg in one_dim:
        pairs = np.flatnonzero(chosen & first)
        for key, side in ((plus, 1.0), (minus, -1.0)):
            lone = np.flatnonzero(chosen & fixed & (sg == side))
            row = start.get(key, 0) + np.arange(lone.size + pairs.size)
            put(row[: lone.size], column[lone] + j[lone], 1.0)
            put(row[lone.size:], column[pairs] + j[pairs], half)
            put(row[lone.size:], column[pairs] + p[pairs], side * sg[pairs] * half)
    e_start = np.zeros(n // 2 + 1, dtype=np.int64)  # the first row of E_k, by k
    for V in Vs:
        if V.dim == 2:
            e_start[V.frequency] = start[V.key]
    two = (k > 0) & (2 * k < n)
    phi = 2 * np.pi * k * d / n  # P_s u_O = e^(i phi) conj(u_O')
    lone, firsts, seconds = (np.flatnonzero(two & fixed), np.flatnonzero(two & first), np.flatnonzero(two & second))
    partner_phi = phi[seconds - j[seconds] + p[seconds]]  # the copy p of a second is a first
    # the s-fixed vector w of each copy: (copies, C_n column within the component, value)
    w = [(lone, 2 * j[lone], np.cos(phi[lone] / 2)), (lone, 2 * j[lone] + 1, np.sin(phi[lone] / 2)),
         (firsts, 2 * j[firsts], half), (firsts, 2 * p[firsts], np.cos(phi[firsts]) * half),
         (firsts, 2 * p[firsts] + 1, np.sin(phi[firsts]) * half), (seconds, 2 * p[seconds] + 1, half),
         (seconds, 2 * j[seconds], np.sin(partner_phi) * half),
         (seconds, 2 * j[seconds] + 1, -np.cos(partner_phi) * half)]
    for copies, col, value in w:
        row = e_start[k[copies]] + 2 * j[copies]
        put(row, column[copies] + col, value)  # f = w on row 2j, J f on row 2j + 1:
        put(row + 1, column[copies] + (col ^ 1), np.where(col % 2 == 0, 1.0, -1.0) * value)  # c -> t, t -> -c
    T = sp.csr_matrix((np.concatenate(values), (np.concatenate(rows), np.concatenate(cols))), shape=(X.size, X.size))

    def component(i: int) -> IsotypicComponent:
        V = Vs[i]
        src = int(np.searchsorted(freqs, V.frequency))  # A1, A2: k = 0; B1, B2: k = n/2; E_k: k
        block = T[start[V.key]: start[V.key] + dims[i], comps.starts[src]: comps.starts[src] + comps.dims[src]]
        return IsotypicComponent(V, mult[V.key], lambda: comps[src].basis @ block.toarray().T)

    def transform(F: np.ndarray) -> np.ndarray:
        return T @ DC.transform(F)

    return Decomposition(X, Components(dims, [mult[V.key] for V in Vs], component, lambda: [V.key for V in Vs]),
                         "fourier", transform)


@dataclass(frozen=True, eq=False)
class WeightDecomposition:
    """Energies of a weight W: Fun X -> Fun Y between isotypic components.

    With adapted bases Q^X, Q^Y, the block of W from the V-component of Fun X to the
    U-component of Fun Y is B_UV = (Q^Y_U)^T W Q^X_V; the energies ||B_UV||_F^2 add up to
    ||W||_F^2. W splits orthogonally into its projection W_eq onto Hom_G (Schur: nonzero
    only in blocks U = V) and the rest W - W_eq.

    Attributes
    ----------
    source_keys, target_keys:
        Irreducible keys of the components of Fun X (columns) and Fun Y (rows).
    energy:
        (len(target), len(source)) array of ||B_UV||^2 / ||W||^2.
    equivariant_energy, nonequivariant_energy:
        The same for W_eq and W - W_eq (they add up to ``energy``).

    Examples
    --------
    >>> from pltheory.families import cyclic
    >>> X = GSet.natural(cyclic(4))
    >>> wd = decompose_weight(np.diag([1.0, 2.0, 3.0, 4.0]), X, X)
    >>> wd.target_keys, wd.energy.round(4)
    (['0', '1', '2'], array([[0.2083, 0.0333, 0.0083],
           [0.0333, 0.4333, 0.0333],
           [0.0083, 0.0333, 0.2083]]))
    >>> round(wd.equivariant_share, 4), np.allclose(wd.energy.sum(), 1.0)
    (0.8333, True)
    """

    source_keys: list[str]
    target_keys: list[str]
    energy: np.ndarray
    equivariant_energy: np.ndarray
    nonequivariant_energy: np.ndarray

    @property
    def equivariant_share(self) -> float:
        """||W_eq||^2 / ||W||^2, the share of the energy in Hom_G."""
        return float(self.equivariant_energy.sum())

    def as_dict(self) -> dict:
        """The JSON form: the keys, the three energy arrays as lists and the equivariant share.

        >>> from pltheory.families import cyclic
        >>> X = GSet.natural(cyclic(4))
        >>> d = decompose_weight(np.eye(4), X, X).as_dict()
        >>> sorted(d), round(d["equivariant_share"], 6)
        (['energy', 'equivariant_energy', 'equivariant_share', 'nonequivariant_energy', 'source', 'target'], 1.0)
        """
        return {
            "source": self.source_keys,
            "target": self.target_keys,
            "energy": self.energy.tolist(),
            "equivariant_energy": self.equivariant_energy.tolist(),
            "nonequivariant_energy": self.nonequivariant_energy.tolist(),
            "equivariant_share": self.equivariant_share,
        }


def decompose_weight(W: np.ndarray, X: GSet, Y: GSet, *, seed: int = 0,
                     method: Method = "auto") -> WeightDecomposition:
    """Block energies of W: Fun X -> Fun Y (a |Y| x |X| array) between isotypic components.

    B = (Q^Y)^T W Q^X is computed with
    [`Decomposition.coordinates`][pltheory.decomposition.Decomposition.coordinates] on both
    sides (two FFTs for products of cyclic groups: the 2-D spectrum of a (block-)circulant).
    The equivariant part W_eq is the orthogonal projection of W onto Hom_G (orbit means,
    [`project`][pltheory.equivariant.OrbitBasis.project]). The projection respects the
    blocks: the block of W_eq between two copies of one V is the projection of W's block
    onto End_G(V), and W_eq has no blocks between different irreducibles (Schur's lemma). So
    the equivariant energy of each block is that block of W_eq, whatever basis each
    component has.

    >>> from pltheory.families import cyclic
    >>> X = GSet.natural(cyclic(4))
    >>> round(decompose_weight(np.eye(4), X, X).equivariant_share, 12)
    1.0
    """
    check_same_group(X, Y)
    W = scaled(check_weight(W, X, Y))  # shares are scale invariant; 1e200 entries must not overflow
    total = float(np.sum(W * W))
    DX, DY = decompose(X, seed=seed, method=method), decompose(Y, seed=seed, method=method)

    def block_energies(M: np.ndarray) -> np.ndarray:
        B = DY.coordinates(DX.coordinates(M.T).T)  # Q_Y^T M Q_X
        return np.add.reduceat(np.add.reduceat(B**2, DY.components.starts, axis=0), DX.components.starts, axis=1)

    energy = block_energies(W)
    equivariant = block_energies(equivariant_basis(X, Y).project(W))
    source, target = DX.components.keys(), DY.components.keys()
    # Schur: rounding noise only between different irreducibles (a local suffix #i names none)
    equivariant[np.not_equal.outer([local_key(k) for k in target], [local_key(k) for k in source])] = 0.0
    if total > 0:
        energy, equivariant = energy / total, equivariant / total
    return WeightDecomposition(source, target, energy, equivariant, energy - equivariant)

"""The general algorithm for the real irreducibles of any listed group, and the
structure of groups known only by their generators.

The character table comes first, from the class algebra
([`burnside_dixon`][pltheory.irreducibles.burnside_dixon]): it gives the real irreducibles'
number, types and characters, and for each element g the dimension of V^`<g>`, the
multiplicity of the eigenvalue 1 of rho_V(g). By Frobenius reciprocity V occurs dim V^H
times in the permutation representation Fun(G/H), so the coset spaces G/`<g>` of cyclic
subgroups (|G| / ord(g) points, elements of large order first) hold between them most
irreducibles, with far fewer points than G. A random symmetric element S of the commutant
End_G(Fun X), a combination of the indicators of the orbits of G on X x X (the orbitals,
found from the generators, [`equivariant_basis`][pltheory.equivariant.equivariant_basis]),
has, generically, one copy of a real irreducible per eigenspace. Each eigenspace is
certified by its character, which must be the character of one real irreducible of the table
(distinct real characters differ by at least 1 at some class); eigenspaces that match none
hold several irreducibles (near-equal eigenvalues) and are split by another random element
on their span. Restricting Fun(X) to an eigenspace Q gives the irreducible's matrices Q^T
P_s Q and, for type C, its complex structure J, the scaled antisymmetric part of Q^T B Q for
a random element B of the commutant (End_G(V) = span(I, J)).

Irreducibles with no vector fixed by any such subgroup (the type-H irreducible of Q8:
every nontrivial subgroup contains -1) come from the regular representation
R[G] = Fun(G/1), for orders up to `GENERAL_MAX_ORDER`, by
[`regular_irreps`][pltheory.irreducibles.general.regular_irreps], which needs no table:
eigenspaces of a random symmetric convolution A[y, x] = c(y^-1 x) certified by invariants
that a merged one fails ([`real_irrep_type`][pltheory.irreducibles.irrep.real_irrep_type]:
the character norm `<chi, chi>` and the Frobenius-Schur sum (1/|G|) sum_g chi(g^2) of a real
irreducible are (1, 1), (2, 0) or (4, -2)). Irreducibles are keyed by dimension and a letter
("1a", "2a", "2b"), in an order fixed by their characters
([`dimension_keys`][pltheory.irreducibles.irrep.dimension_keys]), so keys do not depend on
the seed or on the route.
"""

from __future__ import annotations

import math

import numpy as np

from ..equivariant import equivariant_basis
from ..errors import GroupTooLargeError, NumericalError
from ..groups import FiniteGroup, GroupStructure
from ..gsets import GSet, coset_labels
from ..limits import check_memory
from ..permutations import cycle_notation
from ..tolerances import CHARACTER_MATCH_TOL, COMPLEX_STRUCTURE_TOL, EIGENVALUE_GAP, SEPARATION_ATTEMPTS
from ..validate import check_integer
from .burnside_dixon import ClassAlgebra, class_algebra, eigenspaces
from .character_tables import CharacterTable
from .irrep import ENDOMORPHISM_DIM, Irrep, dimension_keys, real_irrep_type

#: Largest order for the regular representation ([`regular_irreps`][pltheory.irreducibles.general.regular_irreps]: dense
#: |G| x |G| matrices, O(|G|^3); 2000 takes about 2 s).
GENERAL_MAX_ORDER = 2000

#: Largest coset space G/`<g>` whose commutant [`general_irreps`][pltheory.irreducibles.general.general_irreps]
#: diagonalises: a dense eigendecomposition of |X| x |X| symmetric matrices, about 4 s on
#: one core and `COSET_BYTES_PER_PAIR` x 9e6 = 0.7 GB at 3000 points. Groups that can be
#: listed (up to ``G.max_elements``, 100,000 by default) get their irreducibles this way
#: when every irreducible has vectors fixed by an element of order at least |G| / 3000.
COSET_MAX_POINTS = 3000

#: Peak bytes per pair of X x X on the coset route: the orbital labels (int64), a random
#: commutant element, its eigenvectors and eigh's workspace, the products for the
#: characters, and the orbit search's temporaries.
COSET_BYTES_PER_PAIR = 80


class GeneralStructure(GroupStructure):
    """A group known only by its generators: the general algorithm for its irreducibles,
    no fast paths. Recognises every group, so it is asked last.

    Examples
    --------
    >>> import pltheory as pt
    >>> G = pt.from_generators([[1, 0, 2, 3, 4], [0, 1, 3, 4, 2]])     # C2 x C3 on 2 + 3 points
    >>> s = GeneralStructure()
    >>> s.kind, s.seeded(), s.fourier, s.exact_interaction, [V.key for V in s.irreps(G, 0)]
    ('general', True, False, None, ['1a', '1b', '2a', '2b'])
    """

    kind = "general"
    priority = 1000

    def character_table(self, G: FiniteGroup) -> CharacterTable:
        """The table by the class algebra, [`class_algebra`][pltheory.irreducibles.burnside_dixon.class_algebra]
        (lists G; no irreducibles needed).

        >>> import pltheory as pt
        >>> GeneralStructure().character_table(pt.group("A4")).keys
        ('1a', '2a', '2a*', '3a')
        """
        return class_algebra(G).table()

    @classmethod
    def recognise(cls, G: FiniteGroup) -> GeneralStructure:
        """Every group: ``GeneralStructure()``.

        >>> import pltheory as pt
        >>> GeneralStructure.recognise(pt.group("C4"))
        GeneralStructure()
        """
        return cls()

    def irreps(self, G: FiniteGroup, seed: int) -> tuple[Irrep, ...]:
        """[`general_irreps`][pltheory.irreducibles.general.general_irreps] (G, seed).

        >>> import pltheory as pt
        >>> print([V.dim for V in GeneralStructure().irreps(pt.group("S3"), 0)])
        [1, 1, 2]
        """
        return general_irreps(G, seed)

    def seeded(self) -> bool:
        """True: the algorithm is random (the irreducibles' keys do not depend on the seed,
        their bases do).

        >>> GeneralStructure().seeded()
        True
        """
        return True


def general_irreps(G: FiniteGroup, seed: int = 0) -> tuple[Irrep, ...]:
    """The real irreducibles of any listed group (module docstring): the character table by
    the class algebra, then certified eigenspaces of random symmetric elements of
    End_G(Fun(G/`<g>`)) for cyclic subgroups `<g>`, chosen greedily to hold the irreducibles
    not found yet at the least cost (|G/`<g>`|^3 per irreducible), and the regular
    representation ([`regular_irreps`][pltheory.irreducibles.general.regular_irreps], orders
    up to `GENERAL_MAX_ORDER`) for those fixed by no such subgroup. Per coset space X (at
    most `COSET_MAX_POINTS` points): O(|X|^3) for the eigenvectors, O(|X|^2 k) for the
    orbitals (k generators), O(r |X|^2) for the characters (r classes) and memory
    `COSET_BYTES_PER_PAIR`
    |X|^2; plus the table ([`class_algebra`][pltheory.irreducibles.burnside_dixon.class_algebra]). A_7 (order 2520,
    spaces of 360 and 420 points) takes about 50 ms, M_11 (7920) 0.25 s, A_8 (20160, 1344
    and 2880 points) 4 s.

    Raises [`GroupTooLargeError`][pltheory.errors.GroupTooLargeError] for a group too large to list, or
    when an irreducible needs the regular representation and |G| > GENERAL_MAX_ORDER.

    >>> import pltheory as pt
    >>> print([(V.key, V.type) for V in general_irreps(pt.group("<(0 1 2);(2 3 4 5 6)>"))])  # A7, order 2520
    [('1a', 'R'), ('6a', 'R'), ('14a', 'R'), ('14b', 'R'), ('15a', 'R'), ('20a', 'C'), ('21a', 'R'), ('35a', 'R')]
    """
    A = class_algebra(G)
    rng = np.random.default_rng(check_integer(seed, "seed", 0))
    N, count = G.order, len(A.real_keys_sorted)
    points = N // np.array([c.element_order for c in A.classes])
    usable = (points <= COSET_MAX_POINTS) & (points < N)
    unreachable = [i for i in range(count) if not np.any(A.real_fixed[i, usable] > 0)]
    if unreachable and N > GENERAL_MAX_ORDER:  # refused before any coset space is built
        raise GroupTooLargeError(
            f"the irreducibles {', '.join(A.real_keys_sorted[i] for i in unreachable)} of {G.name} have no vector "
            f"fixed by a cyclic subgroup with at most {COSET_MAX_POINTS} cosets, and the regular representation "
            f"is used for groups of order up to {GENERAL_MAX_ORDER}; {G.name} has order {N}")
    found: dict[int, tuple[np.ndarray, np.ndarray | None]] = {}
    while len(found) < count:
        missing = np.array([i for i in range(count) if i not in found])
        cover = (A.real_fixed[missing] > 0).sum(axis=0) * usable
        if not cover.any():
            break
        k = int(np.argmax(cover / points.astype(float) ** 3))
        found.update(_coset_irreps(G, A, k, missing[A.real_fixed[missing, k] > 0], rng))
    if len(found) < count:  # the rest from the regular representation (|G| <= GENERAL_MAX_ORDER here)
        missing = [i for i in range(count) if i not in found]
        for V in regular_irreps(G, seed):
            distance = np.abs(A.real_characters - V.class_character).max(axis=1)
            i = int(np.argmin(distance))
            if i in missing and distance[i] <= CHARACTER_MATCH_TOL:
                found[i] = (V.matrices, None)
    if len(found) < count:
        raise NumericalError(f"the regular representation of {G.name} lacks irreducibles of its character table")
    return tuple(Irrep(G, A.real_keys_sorted[i], A.real_types[i], found[i][0], complex_structure=found[i][1])
                 for i in range(count))


def _coset_irreps(G: FiniteGroup, A: ClassAlgebra, k: int, wanted: np.ndarray,
                  rng: np.random.Generator) -> dict[int, tuple[np.ndarray, np.ndarray | None]]:
    """The real irreducibles ``wanted`` (indices into A's real irreducibles, each with
    vectors fixed by g_k) from X = G/`<g_k>` (module docstring): their generator matrices,
    and complex structures for type C.

    The character of an eigenspace Q, chi(g) = sum_x P[g x, x] for its projector P = Q Q^T,
    needs no action of the class representatives on X: P commutes with G, so for
    x = aH, P[g x, x] = P[a^-1 g a x0, x0] (x0 = H), and summing over a in G gives
    chi(g) = |G| / (|H| |C|) sum_{h in C} P[h x0, x0] for the class C of g: one
    (classes, |X|) incidence matrix times the columns P[:, x0] of all eigenspaces."""
    g, N, r = A.classes[k], G.order, len(A.classes)
    n = N // g.element_order
    name = f"<{cycle_notation(g.representative)}>"
    check_memory(COSET_BYTES_PER_PAIR * n * n, f"the commutant of Fun(G/H) for {G.name} and H = {name} "
                 f"({n} cosets)", "use a group whose irreducibles have vectors fixed by larger cyclic subgroups")
    H = G.subgroup_from_indices([int(g.elements[0])], name=name)
    labels = coset_labels(G, H)
    X = GSet.on_cosets(G, labels, f"cosets({name})")
    orbitals = equivariant_basis(X, X)

    def element(symmetric: bool) -> np.ndarray:
        B = rng.normal(size=orbitals.dim)[orbitals.labels]
        return B + B.T if symmetric else B

    sizes = np.array([c.size for c in A.classes])
    incidence = np.bincount(G.class_index() * n + labels, minlength=r * n).reshape(r, n)
    incidence = incidence * (N / (H.order * sizes))[:, None]  # [k, x]: |G| / (|H| |C_k|) #{h in C_k : h x0 = x}
    chars = A.real_characters
    norms = np.array([ENDOMORPHISM_DIM[t] for t in A.real_types])

    def characters(blocks: list[np.ndarray]) -> np.ndarray:
        Q = np.hstack(blocks)
        starts = np.cumsum([0] + [B.shape[1] for B in blocks[:-1]])
        return (incidence @ np.add.reduceat(Q * Q[0], starts, axis=1)).T  # (blocks, classes)

    result: dict[int, np.ndarray] = {}
    needed = np.zeros(len(chars), dtype=bool)
    needed[wanted] = True
    blocks = eigenspaces(element(True), gap=EIGENVALUE_GAP)
    for _ in range(SEPARATION_ATTEMPTS):
        measured = characters(blocks)
        inner = measured @ (chars * sizes).T / (N * norms)  # [b, V]: copies of V in block b
        best = np.argmax(inner, axis=1)
        exact = np.abs(chars[best] - measured).max(axis=1) <= CHARACTER_MATCH_TOL
        failed = []
        for Q, b, is_one, copies in zip(blocks, best, exact, inner):
            if is_one and needed[b]:
                result[int(b)], needed[b] = Q, False
            elif not is_one and np.any(copies[needed] > 0.5):
                failed.append(Q)  # several irreducibles, a wanted one among them: split again
        if not failed:
            break
        blocks = eigenspaces(element(True), np.hstack(failed), gap=EIGENVALUE_GAP)
    else:
        raise NumericalError(
            f"could not separate the irreducibles in Fun({X.name}) of {G.name}: after {SEPARATION_ATTEMPTS} random "
            f"commutant elements, eigenspaces of total dimension {sum(Q.shape[1] for Q in failed)} still have "
            f"characters of no irreducible")
    if len(result) < len(wanted):
        raise NumericalError(f"Fun({X.name}) of {G.name} lacks irreducibles with vectors fixed by {H.name}")
    inverse_actions = np.argsort(X.action, axis=1)  # (P_s Q)[y] = Q[s^-1 y]
    B = element(False) if any(A.real_types[i] == "C" for i in result) else None
    return {i: (np.stack([Q.T @ Q[inv] for inv in inverse_actions]),
                _complex_structure(Q.T @ (B @ Q)) if A.real_types[i] == "C" else None)
            for i, Q in result.items()}


def _complex_structure(E: np.ndarray) -> np.ndarray:
    """J with J^2 = -I from an element E = a I + b J of End_G(V) (type C, b != 0): the
    antisymmetric part, scaled to Frobenius norm sqrt(dim)."""
    K = E - E.T
    J = K * math.sqrt(K.shape[0]) / np.linalg.norm(K)
    if np.abs(J @ J + np.eye(K.shape[0])).max() > COMPLEX_STRUCTURE_TOL:
        raise NumericalError("the antisymmetric part of a random commutant element is not a complex structure")
    return J


def regular_irreps(G: FiniteGroup, seed: int = 0) -> tuple[Irrep, ...]:
    """The real irreducibles of any listed group from its regular representation alone
    (module docstring), with no character table: certified eigenspaces of random
    symmetric elements of End_G(R[G]), grouped by character. O(|G|^3) for the
    eigenvectors and O(|G|^2) for the characters; orders up to `GENERAL_MAX_ORDER`. The keys
    are those of [`general_irreps`][pltheory.irreducibles.general.general_irreps].

    >>> import pltheory as pt
    >>> print([V.key for V in regular_irreps(pt.group("S3"))])
    ['1a', '1b', '2a']
    """
    if G.order > GENERAL_MAX_ORDER:
        raise GroupTooLargeError(
            f"the regular-representation algorithm for irreducibles accepts groups of order up to "
            f"{GENERAL_MAX_ORDER}; {G.name} has order {G.order}"
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

    blocks = eigenspaces(random_commutant(), gap=EIGENVALUE_GAP)
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
        blocks = eigenspaces(random_commutant(), np.hstack(failed), gap=EIGENVALUE_GAP)
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
    items = [certified[i] for i in distinct]
    order, keys = dimension_keys([Q.shape[1] for Q, _, _ in items], [kind for _, _, kind in items],
                                 np.array([chi for _, chi, _ in items]))
    return tuple(Irrep(G, key, items[i][2], np.array([items[i][0].T @ items[i][0][li] for li in left_inverse]))
                 for i, key in zip(order, keys))

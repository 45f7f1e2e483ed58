"""The general algorithm for the real irreducibles of any listed group, and the
structure of groups known only by their generators.

A random symmetric element S of the commutant of the regular representation (a
symmetrised convolution A[y, x] = c(y^-1 x)) has, generically, one copy of a real
irreducible per eigenspace; eigenspaces with equal characters are isomorphic, and
restricting the regular representation to one eigenspace gives the irreducible's
matrices. Near-equal eigenvalues of different irreducibles can merge two of them into one
eigenspace, so every eigenspace is certified by invariants that a merged one fails
(:func:`~pltheory.irreducibles.irrep.real_irrep_type`: the character norm <chi, chi> and
the Frobenius-Schur sum (1/|G|) sum_g chi(g^2) of a real irreducible are (1, 1), (2, 0) or
(4, -2)); the eigenspaces that fail are split again by another random element of the
commutant. Irreducibles are keyed by dimension and a letter ("1a", "2a", "2b"), in an
order fixed by their characters, so keys do not depend on the seed.
"""

from __future__ import annotations

import numpy as np

from ..errors import GroupTooLargeError, NumericalError
from ..groups import FiniteGroup, GroupStructure
from ..tolerances import CHARACTER_SORT_DIGITS, EIGENVALUE_GAP, SEPARATION_ATTEMPTS
from .irrep import ENDOMORPHISM_DIM, Irrep, real_irrep_type

#: Largest order the general (regular representation) algorithm accepts.
GENERAL_MAX_ORDER = 2000


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

    @classmethod
    def recognise(cls, G: FiniteGroup) -> GeneralStructure:
        """Every group: ``GeneralStructure()``.

        >>> import pltheory as pt
        >>> GeneralStructure.recognise(pt.group("C4"))
        GeneralStructure()
        """
        return cls()

    def irreps(self, G: FiniteGroup, seed: int) -> tuple[Irrep, ...]:
        """:func:`general_irreps` (G, seed).

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
    """The real irreducibles of any listed group by the general algorithm (module
    docstring): certified eigenspaces of random symmetric elements of End_G(R[G]), grouped
    by character. O(|G|^3) for the eigenvectors and O(|G|^2) for the characters; orders up
    to :data:`GENERAL_MAX_ORDER`.

    >>> import pltheory as pt
    >>> print([V.key for V in general_irreps(pt.group("S3"))])
    ['1a', '1b', '2a']
    """
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
    items.sort(key=lambda it: (it[0].shape[1], "RCH".index(it[2]), tuple(-np.round(it[1], CHARACTER_SORT_DIGITS))))
    result, counts = [], {}
    for mats, _, kind in items:
        d = mats.shape[1]
        result.append(Irrep(G, f"{d}{_letters(counts.get(d, 0))}", kind, mats))
        counts[d] = counts.get(d, 0) + 1
    return tuple(result)


def _letters(i: int) -> str:
    """a, b, ..., z, aa, ab, ...: the i-th label suffix among irreducibles of one dimension."""
    text = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        text = chr(ord("a") + r) + text
    return text

"""The exact |x|-edges for groups with rational characters, by integer witnesses.

With integer characters chi_i, M_i = sum_g chi_i(g) P_g is an integer multiple of the
isotypic projector onto U_i, so integer vectors v of U_i (the columns of M_i times small
integer vectors) and the test E_j |v| != 0 (M_j |v| != 0) are exact. An edge needs
ker U_i <= ker U_j (the PL Schur bound, `.kernel`); each edge the bound allows is confirmed
by a witness v, or the method says it cannot decide. A 1-dim source is the line through one
integer vector u, and |c u| = |c| |u|, so there E_j |u| decides.
"""

from __future__ import annotations

import numpy as np

from ..decomposition import Decomposition
from ..errors import MethodUnavailableError, TooLargeError
from ..gsets import GSet
from ..limits import check_memory
from ..tolerances import INTEGER_CHARACTER_TOL, WITNESS_CANDIDATES

#: Largest number of integer operations (estimated) the witnesses spend (integer matrix
#: products, about 1e9 operations a second).
WITNESS_WORK = 2e10


def witnessed_edges(X: GSet, D: Decomposition, skip: np.ndarray, candidates: int = WITNESS_CANDIDATES,
                    seed: int = 0) -> np.ndarray:
    """The edges of |x| on Fun(X) for a group with rational characters, as a boolean
    (source, target) matrix over the components of D = decompose(X); pairs in ``skip``
    (already known edges) are not examined and stay False.

    Complexity: about C (C + 1) |X|^2 (|X| + candidates) + C |G| |X| integer operations
    for C components; refused past `WITNESS_WORK`.

    Raises
    ------
    MethodUnavailableError
        When a character is irrational, or when the kernel bound allows an edge that no
        witness confirms.
    TooLargeError
        Past `WITNESS_WORK` or the memory limit.

    Examples
    --------
    >>> import pltheory as pt
    >>> X = pt.GSet.natural(pt.symmetric(3))
    >>> witnessed_edges(X, pt.decompose(X), np.zeros((2, 2), dtype=bool)).astype(int).tolist()
    [[1, 0], [1, 1]]
    """
    G = X.group
    C, n = len(D.components), X.size
    check_memory(8.0 * (C * n * n + G.order * n + n * (n + candidates)),
                 f"the exact method's integer projectors on Fun({X.name})", "use the probe method")
    work = C * (C + 1) * n * n * (n + candidates) + C * G.order * n
    if work > WITNESS_WORK:
        raise TooLargeError(f"the exact method on Fun({X.name}) needs about {work:.1e} integer operations, more than "
                            f"the limit {WITNESS_WORK:.0e}; use the probe method")
    chars = []
    for c in D.components:
        chi = c.irrep.character()
        if not np.allclose(chi, np.round(chi), atol=INTEGER_CHARACTER_TOL):
            raise MethodUnavailableError(
                f"the exact method covers products of cyclic groups, D_n on the n-gon and groups "
                f"with rational characters; {G.name} has irrational character values "
                f"({c.irrep.key}): use the probe method"
            )
        chars.append(np.round(chi).astype(np.int64))
    acts = X.element_actions()
    cols = np.arange(X.size)
    projectors = []  # integer multiples M_i = sum_g chi_i(g) P_g of the projectors
    for chi in chars:
        M = np.zeros((X.size, X.size), dtype=np.int64)
        for act, value in zip(acts, chi):
            M[act, cols] += value
        projectors.append(M)
    rng = np.random.default_rng(seed)
    probes = np.concatenate([np.eye(X.size, dtype=np.int64),
                             rng.integers(-3, 4, size=(candidates, X.size))]).T
    present = np.zeros((len(D.components), len(D.components)), dtype=bool)
    for i, (src, Mi) in enumerate(zip(D.components, projectors)):
        V = np.abs(Mi @ probes)  # |v| for integer vectors v of U_i
        if src.dim == 1:
            V = V[:, [int(np.flatnonzero(np.any(Mi, axis=0))[0])]]  # |u|, u = M_i e_x != 0
        for j, (tgt, Mj) in enumerate(zip(D.components, projectors)):
            if skip[i, j] or not src.irrep.kernel_contained_in(tgt.irrep):
                continue  # known already, or no edge by the PL Schur lemma
            if src.dim == 1:
                present[i, j] = bool(np.any(Mj @ V))
                continue
            if not np.any(Mj @ V):
                raise MethodUnavailableError(
                    f"the exact method could not decide the edge {src.irrep.key} -> "
                    f"{tgt.irrep.key} on Fun({X.name}): the kernel bound allows it and no "
                    f"integer witness was found; use the probe method"
                )
            present[i, j] = True
    return present

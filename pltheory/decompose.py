"""Isotypic decomposition of permutation representations Fun(X).

For a real irreducible V of G with real character chi_V and D = End_G(V):

* multiplicity   m_V = <chi_X, chi_V> / dim_R D, with chi_X(g) = |X^g|;
* projector      E_V = (dim V / (dim_R D |G|)) sum_g chi_V(g) P_g, the orthogonal
                 projection of Fun(X) onto its V-isotypic component;
* adapted basis  orthonormal columns Q_V = [Q_1 ... Q_m] with P_g Q_i = Q_i rho_V(g), so
                 Q^T P_g Q is block diagonal with blocks exactly the irreducible's
                 matrices. Each Q_i comes from an intertwiner T = sum_g P_g M rho_V(g)^T
                 (M random), made orthonormal by T (T^T T)^(-1/2), which stays an
                 intertwiner because T^T T lies in End_G(V).

Example
-------
>>> from pltheory.groups import symmetric
>>> from pltheory.gsets import GSet
>>> D = decompose(GSet.natural(symmetric(4)))
>>> [(c.irrep.label, c.multiplicity) for c in D.components]
[('1a', 1), ('3a', 1)]
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.linalg

from .equivariant import check_weight, equivariant_basis
from .gsets import GSet
from .irreps import Irrep, irreps


@dataclass(frozen=True, eq=False)
class IsotypicComponent:
    """The V-isotypic part of Fun(X): m copies of the real irreducible V.

    ``basis`` is |X| x (m dim V): copy i occupies columns i*dim V .. (i+1)*dim V - 1 and
    satisfies P_g basis_i = basis_i rho_V(g).
    """

    irrep: Irrep
    multiplicity: int
    projector: np.ndarray
    basis: np.ndarray

    @property
    def dim(self) -> int:
        return self.multiplicity * self.irrep.dim

    def __repr__(self) -> str:
        return (f"IsotypicComponent({self.irrep.label!r}, type={self.irrep.type}, "
                f"dim={self.irrep.dim}, multiplicity={self.multiplicity})")


@dataclass(frozen=True, eq=False)
class Decomposition:
    """Fun(X) = sum_V V^(m_V), with an orthonormal symmetry-adapted basis.

    Attributes
    ----------
    X:
        The G-set.
    components:
        The isotypic components with m_V > 0, in the order of ``G.irreps()``.
    """

    X: GSet
    components: list[IsotypicComponent]

    @property
    def basis(self) -> np.ndarray:
        """Q = [Q_V1 Q_V2 ...], an orthogonal |X| x |X| matrix."""
        return np.hstack([c.basis for c in self.components])

    @property
    def column_labels(self) -> list[str]:
        """The irreducible label of each column of :attr:`basis`."""
        return [c.irrep.label for c in self.components for _ in range(c.dim)]

    def multiplicities(self) -> dict[str, int]:
        return {c.irrep.label: c.multiplicity for c in self.components}

    def __repr__(self) -> str:
        parts = " + ".join(
            f"{c.irrep.label}" + (f"^{c.multiplicity}" if c.multiplicity > 1 else "")
            for c in self.components
        )
        return f"Decomposition(Fun({self.X.name}) = {parts})"


def decompose(X: GSet, *, seed: int = 0) -> Decomposition:
    """The isotypic decomposition of Fun(X) with a symmetry-adapted orthonormal basis.

    Enumerates G (projectors are sums over the group). Cached on X per seed.
    """
    cache = X.__dict__.setdefault("_decompositions", {})
    if seed not in cache:
        cache[seed] = _decompose(X, seed)
    return cache[seed]


def _decompose(X: GSet, seed: int) -> Decomposition:
    G = X.group
    acts = X.element_actions()  # acts[i][x] = g_i . x
    chi_X = (acts == np.arange(X.size)).sum(axis=1).astype(float)
    rng = np.random.default_rng(seed)
    components = []
    for V in irreps(G):
        chi_V = V.character()
        mult = int(round(chi_X @ chi_V / G.order / V.endomorphism_dim))
        if mult == 0:
            continue
        projector = np.zeros((X.size, X.size))
        cols = np.arange(X.size)
        for act, value in zip(acts, chi_V):
            projector[act, cols] += value  # P_g has P_g[g.x, x] = 1
        projector *= V.dim / (V.endomorphism_dim * G.order)
        basis = _adapted_basis(V, acts, mult, rng)
        components.append(IsotypicComponent(V, mult, projector, basis))
    return Decomposition(X, components)


def _adapted_basis(V: Irrep, acts: np.ndarray, mult: int, rng: np.random.Generator) -> np.ndarray:
    """m orthonormal copies Q_i of V in Fun(X) with P_g Q_i = Q_i rho_V(g)."""
    mats = V.element_matrices()
    inverse_acts = np.argsort(acts, axis=1)  # (P_g M)[y] = M[g^-1 . y]
    copies: list[np.ndarray] = []
    found = np.zeros((acts.shape[1], 0))
    attempts = 0
    while len(copies) < mult:
        attempts += 1
        if attempts > 20 * mult:  # pragma: no cover - probability zero
            raise ArithmeticError(f"could not find {mult} copies of {V.label}")
        M = rng.normal(size=(acts.shape[1], V.dim))
        T = sum(M[inv] @ rho.T for inv, rho in zip(inverse_acts, mats))
        T = T - found @ (found.T @ T)  # orthogonal to the copies found so far
        gram = T.T @ T
        if np.linalg.eigvalsh(gram).min() < 1e-8 * max(1.0, np.trace(gram)):
            continue
        Q = T @ scipy.linalg.inv(scipy.linalg.sqrtm(gram).real)
        copies.append(Q)
        found = np.hstack([found, Q])
    return found


@dataclass(frozen=True, eq=False)
class WeightDecomposition:
    """Energies of a weight W: Fun X -> Fun Y between isotypic components.

    With adapted bases Q^X, Q^Y, the block of W from the V-component of Fun X to the
    U-component of Fun Y is B_UV = (Q^Y_U)^T W Q^X_V; the energies ||B_UV||_F^2 add up to
    ||W||_F^2. W splits orthogonally into its projection W_eq onto Hom_G (Schur: nonzero
    only in blocks U = V) and the rest W - W_eq.

    Attributes
    ----------
    source_labels, target_labels:
        Irreducible labels of the components of Fun X (columns) and Fun Y (rows).
    energy:
        (len(target), len(source)) array of ||B_UV||^2 / ||W||^2.
    equivariant_energy, nonequivariant_energy:
        The same for W_eq and W - W_eq (they add up to ``energy``).
    """

    source_labels: list[str]
    target_labels: list[str]
    energy: np.ndarray
    equivariant_energy: np.ndarray
    nonequivariant_energy: np.ndarray

    @property
    def equivariant_share(self) -> float:
        """||W_eq||^2 / ||W||^2, the share of the energy in Hom_G."""
        return float(self.equivariant_energy.sum())

    def as_dict(self) -> dict:
        return {
            "source": self.source_labels,
            "target": self.target_labels,
            "energy": self.energy.tolist(),
            "equivariant_energy": self.equivariant_energy.tolist(),
            "nonequivariant_energy": self.nonequivariant_energy.tolist(),
            "equivariant_share": self.equivariant_share,
        }


def decompose_weight(W: np.ndarray, X: GSet, Y: GSet, *, seed: int = 0) -> WeightDecomposition:
    """Block energies of W: Fun X -> Fun Y (a |Y| x |X| array) between isotypic components.

    >>> from pltheory.groups import cyclic
    >>> from pltheory.gsets import GSet
    >>> X = GSet.natural(cyclic(4))
    >>> round(decompose_weight(np.eye(4), X, X).equivariant_share, 12)
    1.0
    """
    W = check_weight(W, X, Y)
    total = float(np.sum(W * W))
    DX, DY = decompose(X, seed=seed), decompose(Y, seed=seed)
    W_eq = equivariant_basis(X, Y).project(W)

    def energies(M: np.ndarray) -> np.ndarray:
        out = np.array([[np.sum((cy.basis.T @ M @ cx.basis) ** 2) for cx in DX.components]
                        for cy in DY.components])
        return out / total if total > 0 else out

    return WeightDecomposition(
        [c.irrep.label for c in DX.components],
        [c.irrep.label for c in DY.components],
        energies(W), energies(W_eq), energies(W - W_eq),
    )

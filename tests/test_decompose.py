"""Isotypic decomposition of Fun(X): multiplicities, projectors, adapted bases."""

import numpy as np
import pytest
from scipy.linalg import block_diag

import pltheory as pt

Q8 = "<(0 1 2 3)(4 5 6 7);(0 4 2 6)(1 7 3 5)>"
CASES = [("S4", "natural"), ("S4", "pairs"), ("A4", "regular"), ("C6", "natural"),
         ("D4", "subsets:2"), (Q8, "natural"), ("C4xC4", "grid"), ("A5", "pairs"),
         ("D5", "natural+trivial"), ("C2xS3", "cosets:(2 3)")]


@pytest.fixture(params=CASES, ids=[f"{g}-{s}" for g, s in CASES])
def decomposition(request):
    G = pt.group(request.param[0])
    return pt.decompose(pt.GSet.from_spec(G, request.param[1]))


def test_multiplicities_add_up(decomposition):
    D = decomposition
    assert sum(c.multiplicity * c.irrep.dim for c in D.components) == D.X.size


def test_endomorphism_dimension_equals_orbit_count(decomposition):
    """dim End_G(Fun X) = sum_V m_V^2 dim End_G(V) = #orbits on X x X."""
    D = decomposition
    total = sum(c.multiplicity**2 * c.irrep.endomorphism_dim for c in D.components)
    assert total == pt.equivariant_basis(D.X, D.X).dim


def test_adapted_basis_block_diagonalises(decomposition):
    D = decomposition
    Q = D.basis
    assert np.allclose(Q.T @ Q, np.eye(D.X.size), atol=1e-9)
    P = pt.permutation_representation(D.X).generator_matrices()
    for g, pg in zip(D.X.group.generators, P):
        blocks = [c.irrep.matrix(g) for c in D.components for _ in range(c.multiplicity)]
        assert np.allclose(Q.T @ pg @ Q, block_diag(*blocks), atol=1e-8)
    assert len(D.column_labels) == D.X.size


def test_projectors(decomposition):
    D = decomposition
    total = np.zeros((D.X.size, D.X.size))
    for c in D.components:
        E = c.projector
        assert np.allclose(E @ E, E, atol=1e-9) and np.allclose(E, E.T, atol=1e-9)
        assert np.allclose(E, c.basis @ c.basis.T, atol=1e-8)
        total += E
    assert np.allclose(total, np.eye(D.X.size), atol=1e-9)


def test_regular_representation_multiplicities():
    G = pt.group("A4")
    D = pt.decompose(pt.GSet.regular(G))
    for c in D.components:  # V appears dim V / dim End(V) times in R[G]
        assert c.multiplicity == c.irrep.dim // c.irrep.endomorphism_dim
    assert {c.irrep.label for c in D.components} == {V.label for V in G.irreps()}


def test_natural_representation_of_symmetric_group():
    D = pt.decompose(pt.GSet.natural(pt.symmetric(5)))
    assert [(c.irrep.dim, c.multiplicity) for c in D.components] == [(1, 1), (4, 1)]

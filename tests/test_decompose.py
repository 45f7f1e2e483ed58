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


WEIGHT_CASES = [("D5", "natural", "pairs"), ("A4", "regular", "natural"), ("C6", "natural", "natural"),
                (Q8, "natural", "natural")]


@pytest.mark.parametrize("spec, x, y", WEIGHT_CASES)
def test_weight_energies_add_up_and_respect_schur(spec, x, y):
    G = pt.group(spec)
    X, Y = pt.GSet.from_spec(G, x), pt.GSet.from_spec(G, y)
    W = np.random.default_rng(1).normal(size=(Y.size, X.size))
    d = pt.decompose_weight(W, X, Y)
    assert np.isclose(d.energy.sum(), 1.0)
    assert np.allclose(d.equivariant_energy + d.nonequivariant_energy, d.energy)
    same = np.array([[t == s for s in d.source_labels] for t in d.target_labels])
    assert np.allclose(d.equivariant_energy[~same], 0.0, atol=1e-12)  # Schur
    B = pt.equivariant_basis(X, Y)
    assert np.isclose(d.equivariant_share, np.sum(B.project(W) ** 2) / np.sum(W**2))


@pytest.mark.parametrize("spec, x, y", WEIGHT_CASES)
def test_equivariant_weight_has_no_energy_outside_hom_g(spec, x, y):
    G = pt.group(spec)
    X, Y = pt.GSet.from_spec(G, x), pt.GSet.from_spec(G, y)
    B = pt.equivariant_basis(X, Y)
    W = B.expand(np.random.default_rng(2).normal(size=B.dim))
    d = pt.decompose_weight(W, X, Y)
    assert np.isclose(d.equivariant_share, 1.0) and np.allclose(d.nonequivariant_energy, 0.0, atol=1e-12)
    same = np.array([[t == s for s in d.source_labels] for t in d.target_labels])
    assert np.allclose(d.energy[~same], 0.0, atol=1e-12)


def test_generic_weight_has_the_expected_equivariant_share():
    """For Gaussian W, E||W_eq||^2 / E||W||^2 = dim Hom_G / (|X||Y|)."""
    G = pt.group("D5")
    X, Y = pt.GSet.natural(G), pt.GSet.from_spec(G, "pairs")
    rng = np.random.default_rng(3)
    shares = [pt.decompose_weight(rng.normal(size=(Y.size, X.size)), X, Y).equivariant_share for _ in range(300)]
    expected = pt.equivariant_basis(X, Y).dim / (X.size * Y.size)
    assert abs(np.mean(shares) - expected) < 4 * np.std(shares) / np.sqrt(len(shares))


def test_bad_weight_rejected():
    X = pt.GSet.natural(pt.cyclic(4))
    with pytest.raises(pt.WeightError):
        pt.decompose_weight(np.full((4, 4), np.nan), X, X)
    with pytest.raises(pt.WeightError):
        pt.decompose_weight(np.ones((3, 4)), X, X)

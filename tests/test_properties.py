"""Property tests: random permutation groups of degree <= 8 (hypothesis)."""

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import pltheory as pt
from pltheory.gsets import GSet


@st.composite
def permutation_groups(draw, max_degree: int = 8):
    degree = draw(st.integers(1, max_degree))
    count = draw(st.integers(1, 3))
    gens = [draw(st.permutations(range(degree))) for _ in range(count)]
    return pt.from_generators(gens)


@st.composite
def gset_pairs(draw):
    G = draw(permutation_groups())
    specs = ["natural", "pairs", "trivial", "natural+trivial"]
    if G.degree >= 2:
        specs.append("subsets:2")
    if G.order <= 500:
        specs.append("regular")
    return G, GSet.from_spec(G, draw(st.sampled_from(specs))), GSet.from_spec(G, draw(st.sampled_from(specs)))


PROPERTY_SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY_SETTINGS
@given(gset_pairs())
def test_dimension_is_burnside_count(data):
    G, X, Y = data
    assert pt.equivariant_basis(X, Y).dim == pt.burnside_dimension(X, Y)


@PROPERTY_SETTINGS
@given(gset_pairs())
def test_orbit_basis_equals_dense_nullspace(data):
    G, X, Y = data
    if X.size * Y.size > 400:
        X, Y = GSet.natural(G), GSet.natural(G)
    B = pt.equivariant_basis(X, Y)
    N = pt.nullspace_basis(X, Y)
    assert N.shape[1] == B.dim
    U = B.sharing_matrix().toarray()
    # every null-space vector is constant on orbits: it equals its own projection
    assert np.allclose(U @ np.linalg.lstsq(U, N, rcond=None)[0], N, atol=1e-8)


@PROPERTY_SETTINGS
@given(gset_pairs(), st.integers(0, 2**32 - 1))
def test_projection_is_orthogonal_projection_onto_hom_g(data, seed):
    G, X, Y = data
    B = pt.equivariant_basis(X, Y)
    rng = np.random.default_rng(seed)
    A, C = rng.normal(size=(2, Y.size, X.size))
    PA = B.project(A)
    assert np.allclose(B.project(PA), PA)
    assert np.isclose(np.sum(PA * C), np.sum(A * B.project(C)))
    assert pt.equivariance_error(PA, X, Y) < 1e-12
    # the residual is orthogonal to every basis element
    assert np.allclose(B.sharing_matrix().T @ (A - PA).ravel(), 0.0)


@settings(max_examples=40, deadline=None)
@given(permutation_groups(max_degree=6))
def test_orders_classes_and_normal_subgroups(G):
    classes = G.conjugacy_classes()
    assert sum(c.size for c in classes) == G.order
    normals = G.normal_subgroups()
    assert normals[0].order == 1 and normals[-1].order == G.order
    assert all(G.order % N.order == 0 for N in normals)  # Lagrange
    assert pt.GSet.conjugation(G).num_orbits == len(classes)

"""Representations: the P_g convention, homomorphism property, characters."""

import numpy as np
import pytest
import sympy

import pltheory as pt
from pltheory.gsets import GSet


def test_permutation_matrix_convention():
    P = pt.permutation_matrix(np.array([1, 2, 0]))
    e0 = np.array([1.0, 0, 0])
    assert np.array_equal(P @ e0, [0, 1, 0])  # e_x -> e_{g.x}
    f = np.array([10.0, 20.0, 30.0])
    g_inv = np.argsort([1, 2, 0])
    assert np.array_equal(P @ f, f[g_inv])  # (g.f)(x) = f(g^-1 x)


@pytest.mark.parametrize("spec", ["natural", "pairs", "subsets:2"])
def test_permutation_representation_is_homomorphism(spec):
    G = pt.symmetric(4)
    R = pt.permutation_representation(GSet.from_spec(G, spec))
    mats = R.element_matrices()
    el = G.elements()
    for i in range(G.order):
        for j in range(0, G.order, 5):
            k = G.index(el[i][el[j]])
            assert np.array_equal(mats[k], mats[i] @ mats[j])
    assert R.is_homomorphism()


def test_formats_agree():
    G = pt.dihedral(5)
    R = pt.permutation_representation(GSet.from_spec(G, "pairs"))
    for g in G.elements():
        dense = R.matrix(g, "numpy")
        assert np.array_equal(R.matrix(g, "sparse").toarray(), dense)
        assert R.matrix(g, "sympy") == sympy.Matrix(dense.astype(int))
    for a, b in zip(R.generator_matrices("sparse"), R.generator_matrices("numpy")):
        assert np.array_equal(a.toarray(), b)
    with pytest.raises(ValueError):
        R.matrix(G.elements()[1], "torch")


def test_character_is_fixed_points_and_trace(small_group):
    R = pt.permutation_representation(GSet.from_spec(small_group, "pairs"))
    chi = R.character()
    traces = np.trace(R.element_matrices(), axis1=1, axis2=2)
    assert np.array_equal(chi, traces)
    # <chi, chi> = number of orbits on X x X = dim End_G(Fun X)
    N = GSet.from_spec(small_group, "pairs")
    assert int(chi @ chi) // small_group.order == pt.equivariant_basis(N, N).dim


def test_representation_homomorphism_check_names_relation():
    S3 = pt.symmetric(3)  # generators (0 1), (0 1 2)
    pt.Representation(S3, [[[-1.0]], [[1.0]]], check=True)  # the sign representation
    with pytest.raises(pt.NotAHomomorphismError, match=r"relation .*g\d.* = "):
        pt.Representation(S3, [[[1.0, 0], [0, -1]], [[0, 1.0], [1, 0]]], check=True)
    with pytest.raises(pt.WeightError):
        pt.Representation(S3, [[[np.nan]], [[1.0]]])


def test_sign_character_matches_parity():
    S4 = pt.symmetric(4)
    sign = pt.Representation(S4, [[[-1.0]], [[-1.0]]], check=True)  # transposition, 4-cycle odd
    expected = [sympy.combinatorics.Permutation(g.tolist()).signature() for g in S4.elements()]
    assert sign.character().tolist() == expected


def test_direct_sum_and_change_of_basis():
    G = pt.dihedral(4)
    R = pt.permutation_representation(GSet.natural(G))
    sign = pt.Representation(G, [[[1.0]], [[-1.0]]], check=True)
    S = pt.direct_sum(R, sign)
    assert S.dim == 5 and S.is_homomorphism()
    assert np.allclose(S.character(), R.character() + sign.character())
    A = np.random.default_rng(1).normal(size=(5, 5))
    T = S.change_of_basis(A)
    assert T.is_homomorphism()
    assert np.allclose(T.character(), S.character())
    for s in range(G.num_generators):
        assert np.allclose(A @ T.generator_matrices()[s], S.generator_matrices()[s] @ A)
    with pytest.raises(pt.WeightError, match="singular"):
        S.change_of_basis(np.zeros((5, 5)))
    with pytest.raises(pt.GroupMismatchError):
        pt.direct_sum(R, pt.permutation_representation(GSet.natural(pt.cyclic(4))))


def test_element_matrices_by_word_match_the_action():
    G = pt.symmetric(4)  # non-abelian: a product in the wrong order would show
    X = GSet.from_spec(G, "pairs")
    R = pt.permutation_representation(X)
    for g, act in zip(G.elements(), X.element_actions()):
        assert np.array_equal(R.matrix(g), pt.permutation_matrix(act))
    V = pt.direct_sum(pt.permutation_representation(GSet.natural(G)),
                      pt.Representation(G, [[[-1.0]], [[-1.0]]]))
    for g, mat in zip(G.elements(), V.element_matrices()):
        assert np.allclose(V.matrix(g), mat)


@pytest.mark.parametrize("build", [
    lambda: pt.Representation(pt.symmetric(3), [np.eye(2), np.eye(3)]),
    lambda: pt.Representation(pt.symmetric(3), [[["a"]], [["b"]]]),
    lambda: pt.direct_sum(),
])
def test_bad_representations(build):
    with pytest.raises(pt.PLTheoryError):
        build()

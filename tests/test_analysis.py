"""Analysis of learned weights: candidate subspaces, pattern groups, defects, flow."""

import numpy as np
import pytest

import pltheory as pt
from pltheory.analysis import (
    SubspaceCandidate,
    candidate_sharings,
    check_flow,
    embed_in_cyclic,
    equivariance_defect,
    frequency_flow,
    group_candidates,
    identify_group,
    pattern_group,
    principal_angles,
    rank_candidates,
    sharing_pattern,
)
from pltheory.msr.tasks import image_gset
from pltheory.schreier import SIMS_MAX_DEGREE


def circulant(c: np.ndarray) -> np.ndarray:
    n = len(c)
    return c[(np.arange(n)[:, None] - np.arange(n)[None, :]) % n]


def test_containment_is_the_mean_cos2_of_the_principal_angles():
    rng = np.random.default_rng(0)
    U = rng.normal(size=(30, 2))
    for c in rank_candidates(U, candidate_sharings(5, 6)):
        if c.dim >= 2:  # scipy gives r angles when the candidate is at least as large
            angles = principal_angles(U, c.sharing)
            assert np.isclose(c.containment, np.mean(np.cos(np.radians(angles)) ** 2))
            assert np.isclose(c.largest_angle, angles.max(), atol=1e-6)


@pytest.mark.parametrize("n", [5, 8, 12])
def test_an_equivariant_weight_is_recognised(n):
    rng = np.random.default_rng(n)
    W = circulant(rng.normal(size=n))
    best = rank_candidates(W.reshape(-1, 1), candidate_sharings(n, n))[0]
    assert best.name == f"C{n} (circulant)" and best.largest_angle < 1e-6
    X = pt.GSet.natural(pt.cyclic(n))
    assert equivariance_defect(W, X, X) < 1e-20
    # shuffled rows and columns: the pattern group is still C_n
    P = pattern_group(sharing_pattern(W[rng.permutation(n)][:, rng.permutation(n)]))
    assert P.complete and P.order == n and identify_group(P.group) == f"C{n}"


def test_a_random_weight_is_not():
    rng = np.random.default_rng(1)
    W = rng.normal(size=(8, 8))
    ranked = rank_candidates(W.reshape(-1, 1), candidate_sharings(8, 8))
    assert ranked[0].name == "free (no sharing)"
    assert pattern_group(sharing_pattern(W)).order == 1
    X = pt.GSet.natural(pt.cyclic(8))
    assert equivariance_defect(W, X, X) > 0.5  # E[defect] = 1 - 8/64


def test_a_symmetric_filter_gives_the_dihedral_group():
    W = circulant(np.array([3.0, 1.0, 2.0, 5.0, 2.0, 1.0]))  # c(-k) = c(k)
    P = pattern_group(sharing_pattern(W))
    assert P.order == 12 and identify_group(P.group) == "D6"
    best = rank_candidates(W.reshape(-1, 1), candidate_sharings(6, 6))[0]
    assert best.name == "D6"


def test_convolution_without_padding():
    taps = np.array([0.5, -1.2, 0.8])
    W = np.zeros((68, 70))
    for j, t in enumerate(taps):
        W[np.arange(68), np.arange(68) + j] = t
    best = rank_candidates(W.reshape(-1, 1), candidate_sharings(68, 70))[0]
    assert best.name == "convolution width 3" and best.dim == 3
    assert pattern_group(sharing_pattern(W)).order == 1  # shifts move the boundary: no symmetry
    X = pt.GSet.natural(pt.cyclic(70))
    # embedded in C_70, the circulant projection averages each tap over 70 rows, 68 of them
    # filled: the defect is exactly 2/70
    assert np.isclose(equivariance_defect(embed_in_cyclic(W), X, X), 2 / 70)


def test_search_budget_gives_a_subgroup_marked_incomplete():
    labels = np.eye(8, dtype=int)  # S_8 acting diagonally: 40320 automorphisms
    full = pattern_group(labels)  # a strong generating set: 7 + 6 + ... + 1 generators
    assert full.complete and full.order == 40320 and identify_group(full.group) == "S8"  # within a second
    for P in (pattern_group(labels, limit=3), pattern_group(labels, budget=5)):
        assert not P.complete and P.order < 40320 and 40320 % P.order == 0
    assert pattern_group(labels, limit=3).order == 24  # (0 1), (0 2), (0 3) on rows and columns: S_4
    small = pattern_group(np.eye(4, dtype=int))  # 24 automorphisms: found in full
    assert small.complete and small.order == 24 and identify_group(small.group) == "S4"


@pytest.mark.parametrize("spec, name", [
    ("C6", "C6"), ("C2xC3", "C6"), ("D5", "D5"), ("D3", "D3"), ("S3", "D3"), ("S4", "S4"), ("S5", "S5"),
    ("A4", "A4"), ("A5", "A5"), ("C2xC2", "C2xC2"), ("C4", "C4"), ("C2xC4", "C2xC4"),
    ("<(0 1 2 3)(4 5 6 7);(0 4 2 6)(1 7 3 5)>", "order 8"),  # Q_8: neither dihedral nor abelian
    ("C1", "trivial")])
def test_identify_group_names_the_isomorphism_type(spec, name):
    assert identify_group(pt.group(spec)) == name


def test_identify_group_reads_structure_not_names():
    """Groups built from bare generators, in actions that are not the natural ones."""
    q8 = pt.from_generators([[1, 4, 3, 6, 5, 0, 7, 2], [2, 7, 4, 1, 6, 3, 0, 5]])  # regular Q_8
    assert q8.order == 8 and identify_group(q8) == "order 8"
    assert identify_group(pt.from_generators([[1, 2, 3, 0]])) == "C4"
    assert identify_group(pt.from_generators([[1, 0, 3, 2], [2, 3, 0, 1]])) == "C2xC2"  # also order 4
    regular_d4 = pt.GSet.regular(pt.dihedral(4))
    assert identify_group(pt.from_generators(regular_d4.action)) == "D4"
    # S_5 acting on its 5 points and on the 10 two-element subsets at once: the faithful
    # orbit of 5 points names it
    both = pt.GSet.disjoint_union(pt.GSet.natural(pt.symmetric(5)), pt.GSet.from_spec(pt.symmetric(5), "subsets:2"))
    assert identify_group(pt.from_generators(both.action)) == "S5"
    assert identify_group(pt.from_generators(pt.GSet.regular(pt.alternating(4)).action)) == "order 12"  # no orbit of 4


def test_identify_group_of_a_large_degree_is_its_order():
    G = pt.from_generators([np.roll(np.arange(SIMS_MAX_DEGREE + 1), 1)])
    assert identify_group(G) == f"order {SIMS_MAX_DEGREE + 1}"


def test_frequency_flow_respects_the_interaction_graph():
    X = pt.GSet.natural(pt.cyclic(12))
    rng = np.random.default_rng(2)
    H = circulant(rng.normal(size=12)) @ rng.normal(size=(12, 50))
    flow = frequency_flow(H, X, "relu")
    assert np.isclose(flow.before.sum(), 1.0) and np.isclose(flow.after.sum(), 1.0)
    graph = pt.interaction_graph(X, "relu", method="exact")
    assert check_flow(flow, graph) == set()
    assert ("1", "2") in flow.edges and ("1", "3") not in flow.edges  # C_12: 1 -> 2, never 1 -> 3


@pytest.mark.parametrize("k", [1, 2, 3])
def test_the_transfer_of_a_pure_wave_is_its_fourier_spectrum_after_the_relu(k):
    """Row k of the measured transfer, against numpy's FFT of relu(H): the share of
    relu(H)'s energy at frequencies +-j. Rows of empty components are 0."""
    n = 12
    X = pt.GSet.natural(pt.cyclic(n))
    phases = np.random.default_rng(k).uniform(0, 2 * np.pi, size=40)
    H = np.cos(2 * np.pi * k * np.arange(n)[:, None] / n + phases[None, :])
    flow = frequency_flow(H, X, "relu")
    spectrum = np.abs(np.fft.fft(np.maximum(H, 0.0), axis=0)) ** 2  # (frequency, sample)
    energy = spectrum.sum(axis=1)
    by_component = np.array([energy[j] + (energy[n - j] if 0 < j < n - j else 0.0) for j in range(n // 2 + 1)])
    assert flow.keys == [str(j) for j in range(n // 2 + 1)]
    assert np.allclose(flow.transfer[k], by_component / by_component.sum(), atol=1e-12)
    assert np.allclose(np.delete(flow.transfer, k, axis=0), 0.0)
    assert flow.edges == {(str(k), str(j)) for j in np.flatnonzero(by_component > 1e-12 * by_component.sum())}


def test_bad_weights():
    with pytest.raises(pt.WeightError):
        rank_candidates(np.full((4, 1), np.nan), candidate_sharings(2, 2))
    with pytest.raises(pt.WeightError):
        sharing_pattern(np.array([[np.inf]]))
    with pytest.raises(pt.WeightError):
        rank_candidates(np.ones((5, 1)), candidate_sharings(2, 2))


def test_toeplitz_candidate_holds_every_toeplitz_matrix():
    rng = np.random.default_rng(4)
    diagonals = rng.normal(size=7)  # a 4 x 4 Toeplitz matrix has 4 + 4 - 1 diagonals
    W = diagonals[(np.arange(4)[None, :] - np.arange(4)[:, None]) + 3]
    ranked = rank_candidates(W.reshape(-1, 1), candidate_sharings(4, 4))
    toeplitz = next(c for c in ranked if c.name.startswith("translation"))
    assert toeplitz.dim == 7 and np.isclose(toeplitz.containment, 1.0)
    assert next(c for c in candidate_sharings(68, 70) if c.name.startswith("translation")).dim == 137


def test_rank_k_translation_subspace_is_named_locally_connected(tap_vectors):
    """The true subspace of a rank-2 translation family (W[p, p + j] = sum_r C[p, r] B[r, j],
    every B) lies in the band of width 3, each entry free: a U spanning it is explained by
    "locally connected width 3" (204 dimensions) rather than "free" (4,760) or the
    convolution (3), which holds only the rank-1 part."""
    rng = np.random.default_rng(0)
    C = rng.normal(size=(68, 2))
    U = list(tap_vectors(C).T)
    ranked = rank_candidates(np.array(U).T, candidate_sharings(68, 70))
    assert ranked[0].name == "locally connected width 3" and ranked[0].dim == 204
    assert ranked[0].largest_angle < 1e-4  # degrees: arccos near 1 magnifies rounding
    conv = next(c for c in ranked if c.name == "convolution width 3")
    assert conv.containment < 0.9
    # a candidate given by a basis: the 6-dimensional span of half of U's vectors and a random one
    true = SubspaceCandidate.spanning("own", np.column_stack([*U[:3], rng.normal(size=(4760, 3))]))
    assert true.dim == 6 and np.allclose(true.project(np.array(U[:3]).T), np.array(U[:3]).T)
    mixed = rank_candidates(np.array(U).T, [true])[0]
    assert 0.4 < mixed.containment < 0.6  # holds the r = 0 half of span(U), hardly any of the rest


def test_a_subspace_missing_a_whole_direction_does_not_explain():
    """On 6 x 6 pixels p4m's orbit sharing holds 10 of the 11 dimensions of p4's, more
    than the 90% of the containment rule: it must not be named for a U that spans p4's
    sharing, which the p4 candidate holds entirely."""
    pairs = [(f"{name} on 6x6", X, X) for name, X in (("p4", image_gset(6)), ("p4m", image_gset(6, flips=True)))]
    p4, p4m = group_candidates(pairs)
    ranked = rank_candidates(p4.sharing, [p4m, p4])
    assert [c.name for c in ranked] == ["p4 on 6x6", "p4m on 6x6"]
    assert ranked[0].containment == pytest.approx(1.0) and ranked[1].containment == pytest.approx(10 / 11)
    assert ranked[1].largest_angle == pytest.approx(90.0)

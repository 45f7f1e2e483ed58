"""G-sets: sizes, numbering, the action property, orbits and stabilisers."""

import itertools
import math

import numpy as np
import pytest

import pltheory as pt
from pltheory.gsets import GSet

BELL = {1: 1, 2: 2, 3: 5, 4: 15}


def assert_is_action(X: GSet) -> None:
    """g -> (permutation of X) is a homomorphism: act(g h) = act(g) o act(h) for all g, h."""
    G = X.group
    el, acts = G.elements(), X.element_actions()
    for i in range(0, G.order, max(1, G.order // 10)):
        for j in range(G.order):
            k = G.index(el[i][el[j]])
            assert np.array_equal(acts[k], acts[i][acts[j]])
    assert all(np.array_equal(np.sort(a), np.arange(X.size)) for a in acts)


@pytest.mark.parametrize("spec", ["natural", "regular", "pairs", "tuples:3", "subsets:2",
                                  "conjugation", "trivial", "natural+subsets:2"])
def test_constructors_give_actions(small_group, spec):
    if "subsets:2" in spec and small_group.degree < 2:
        pytest.skip("needs two points")
    X = GSet.from_spec(small_group, spec)
    assert_is_action(X)


def test_sizes():
    G = pt.symmetric(5)
    n = G.degree
    assert len(GSet.from_spec(G, "pairs")) == n**2
    assert len(GSet.from_spec(G, "tuples:3")) == n**3
    assert len(GSet.from_spec(G, "subsets:2")) == math.comb(n, 2)
    assert len(GSet.from_spec(G, "regular")) == G.order
    assert len(GSet.from_spec(G, "cosets:(0 1)")) == G.order // 2
    assert len(GSet.from_spec(G, "natural+pairs")) == n + n**2


def test_product_and_subset_numbering():
    G = pt.symmetric(4)
    N = GSet.natural(G)
    P = GSet.product(N, N)
    for s, g in enumerate(G.generators):
        for x, y in itertools.product(range(4), repeat=2):
            assert P.action[s][x * 4 + y] == g[x] * 4 + g[y]
    S = GSet.subsets(N, 2)
    combos = list(itertools.combinations(range(4), 2))
    for s, g in enumerate(G.generators):
        for i, c in enumerate(combos):
            assert combos[S.action[s][i]] == tuple(sorted(g[list(c)]))


def test_torus_grid():
    n = 5
    T = GSet.from_spec(pt.group(f"C{n}xC{n}"), "grid")
    assert len(T) == n * n and T.is_transitive() and T.stabilizer(0).order == 1
    for i, j in itertools.product(range(n), repeat=2):
        assert T.action[0][i * n + j] == ((i + 1) % n) * n + j
        assert T.action[1][i * n + j] == i * n + (j + 1) % n
    assert_is_action(T)


@pytest.mark.parametrize("k", [1, 2, 3, 4])
def test_tuples_of_symmetric_group_have_bell_many_orbits(k):
    # orbits of S_n on n^k (n >= k) <-> set partitions of the k positions
    assert GSet.from_spec(pt.symmetric(5), f"tuples:{k}").num_orbits == BELL[k]


def test_orbit_stabilizer(small_group):
    for spec in ["natural", "pairs", "regular"]:
        X = GSet.from_spec(small_group, spec)
        for x in range(0, X.size, max(1, X.size // 5)):
            assert len(X.orbit(x)) * X.stabilizer(x).order == small_group.order


def test_orbits_partition_and_transitivity():
    G = pt.symmetric(4)
    assert GSet.natural(G).is_transitive()
    P = GSet.from_spec(G, "pairs")
    assert [o.size for o in P.orbits()] == [4, 12]  # diagonal and off-diagonal
    assert GSet.from_spec(G, "subsets:2").is_transitive()
    C = GSet.from_spec(G, "conjugation")
    assert C.num_orbits == len(G.conjugacy_classes())


def test_cosets_by_stabiliser_are_the_natural_set():
    G = pt.symmetric(4)
    X = GSet.cosets(G, G.stabilizer(3))
    assert len(X) == 4 and X.is_transitive()
    # same permutation character as the natural action
    assert np.array_equal(X.fixed_point_counts(), GSet.natural(G).fixed_point_counts())
    H = GSet.from_spec(G, "cosets:(0 1 2 3);(0 2)")  # D4 inside S4, index 3
    assert len(H) == 3 and H.stabilizer(0).order == 8


def test_restrict_to_invariant_subset():
    G = pt.group("C2xC3")
    N = GSet.natural(G)
    assert len(N.restrict([2, 3, 4])) == 3
    with pytest.raises(pt.GSetSpecError):
        N.restrict([0, 2])


@pytest.mark.parametrize("spec", ["foo", "subsets:9", "tuples:0", "tuples:x", "natural:3",
                                  "cosets:(0 7)", "cosets:(0 1", "grid", ""])
def test_bad_specs(spec):
    with pytest.raises(pt.GSetSpecError) as info:
        GSet.from_spec(pt.symmetric(4), spec)
    assert "\n" not in str(info.value)


def test_coset_generators_must_lie_in_group():
    with pytest.raises(pt.GSetSpecError, match="not an element"):
        GSet.from_spec(pt.cyclic(4), "cosets:(0 1)")


def test_regular_of_large_group_says_what_to_do():
    with pytest.raises(pt.GroupTooLargeError, match="equivariant_basis"):
        GSet.from_spec(pt.symmetric(10), "regular")


def test_mixed_groups_and_non_actions_rejected():
    with pytest.raises(pt.GroupMismatchError):
        GSet.product(GSet.natural(pt.cyclic(4)), GSet.natural(pt.cyclic(5)))
    with pytest.raises(pt.NotAHomomorphismError):
        GSet(pt.cyclic(4), [[1, 2, 0]])  # a 3-cycle cannot be the image of a generator of C4
    with pytest.raises(pt.InvalidPermutationError):
        GSet(pt.cyclic(4), [[0, 0, 1]])
    assert len(GSet(pt.cyclic(4), [[1, 0]])) == 2  # C4 -> C2 is fine


def test_stabilizers_of_every_point_fix_it():
    G = pt.group("C2xS3")
    X = GSet.natural(G)
    for x in range(X.size):
        H = X.stabilizer(x)
        assert all(g[x] == x for g in H.elements())
        assert H.order * len(X.orbit(x)) == G.order
        assert G.stabilizer(x).order == H.order


@pytest.mark.parametrize("call", [
    lambda: pt.symmetric(3).stabilizer(-1), lambda: GSet.natural(pt.symmetric(3)).stabilizer(10),
    lambda: GSet.natural(pt.symmetric(3)).restrict([5]), lambda: GSet(pt.symmetric(3), [[0, 1], [0]]),
    lambda: pt.from_generators([3]), lambda: pt.from_generators(5),
    lambda: GSet.from_spec(pt.symmetric(3), "tuples:\u0663"), lambda: GSet.from_spec(pt.symmetric(3), "pairs:"),
    lambda: GSet.from_spec(pt.symmetric(2), "tuples:20000"),
    lambda: GSet.from_spec(pt.symmetric(1), "tuples:100000000"),
])
def test_bad_points_and_specs_raise_library_errors(call):
    with pytest.raises(pt.PLTheoryError):
        call()

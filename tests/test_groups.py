"""Groups: orders, elements, arithmetic, classes and normal subgroups against known facts."""

import math

import numpy as np
import pytest
from sympy.combinatorics import Permutation, PermutationGroup

import pltheory as pt
from pltheory.permutations import as_permutation


def schreier_sims_order(G: pt.FiniteGroup) -> int:
    """Order from the generators alone, ignoring any closed-form order."""
    return int(PermutationGroup([Permutation(g.tolist()) for g in G.generators]).order())


@pytest.mark.parametrize("n", range(1, 13))
def test_family_orders_match_schreier_sims(n):
    assert schreier_sims_order(pt.cyclic(n)) == n
    assert schreier_sims_order(pt.symmetric(n)) == math.factorial(n)
    assert schreier_sims_order(pt.alternating(n)) == max(1, math.factorial(n) // 2)
    if n >= 3:
        assert schreier_sims_order(pt.dihedral(n)) == 2 * n


def test_families_act_as_described():
    r, s = pt.dihedral(6).generators
    assert r.tolist() == [1, 2, 3, 4, 5, 0] and s.tolist() == [0, 5, 4, 3, 2, 1]
    assert pt.cyclic(5).generators[0].tolist() == [1, 2, 3, 4, 0]
    # A_n consists of even permutations only
    for g in pt.alternating(6).generators:
        assert Permutation(g.tolist()).is_even


@pytest.mark.parametrize(
    "spec, order, degree, name",
    [("C8", 8, 8, "C8"), ("C4xC4", 16, 8, "C4xC4"), ("C4^2", 16, 8, "C4xC4"),
     ("D6", 12, 6, "D6"), ("S5", 120, 5, "S5"), ("A5", 60, 5, "A5"),
     ("C2xS3", 12, 5, "C2xS3"), (" C2 x C3^2 ", 18, 8, "C2xC3xC3")],
)
def test_group_parser(spec, order, degree, name):
    G = pt.group(spec)
    assert (schreier_sims_order(G), G.order, G.degree, G.name) == (order, order, degree, name)


@pytest.mark.parametrize("spec, order, degree", [
    ("<(0 1 2 3);(0 2)>", 8, 4), ("<[1,2,0,3,4];[0,1,2,4,3]>", 6, 5), ("<(0 1)(2 3);[1,0,3,2]>", 2, 4),
])
def test_group_from_generator_spec(spec, order, degree):
    G = pt.group(spec)
    assert (schreier_sims_order(G), G.degree) == (order, degree)


@pytest.mark.parametrize("spec", ["<[0,0,1]>", "<[1,0];[0,2,1]>", "<(0 1>", "<>", "<(0 1)", "<[1,x]>"])
def test_generator_spec_rejects_non_permutations(spec):
    with pytest.raises((pt.InvalidPermutationError, pt.GroupSpecError)) as info:
        pt.group(spec)
    assert "\n" not in str(info.value)


def test_power_and_product_give_the_same_group():
    assert pt.group("C4^2") == pt.group("C4xC4") == pt.direct_product(pt.cyclic(4), pt.cyclic(4))


@pytest.mark.parametrize("spec", ["", "Q8", "C", "C0", "D2", "S0", "C4^0", "C4xx", 42])
def test_group_parser_rejects_bad_specs(spec):
    with pytest.raises(pt.GroupSpecError) as info:
        pt.group(spec)
    assert "\n" not in str(info.value)


def test_parser_error_lists_the_forms():
    with pytest.raises(pt.GroupSpecError, match="C4xC4.*S5"):
        pt.group("Z4")


@pytest.mark.parametrize("gens", [[[0, 0, 1]], [[0, 1, 2], [1, 0]], [[0.5, 1]], [[1, 2, 3]], [["a"]]])
def test_invalid_generators(gens):
    with pytest.raises(pt.InvalidPermutationError):
        pt.from_generators(gens)


def test_elements_form_a_group(small_group):
    G = small_group
    el = G.elements()
    assert el.shape == (G.order, G.degree)
    assert np.array_equal(el[0], np.arange(G.degree))
    assert len({row.tobytes() for row in el}) == G.order
    keys = {row.tobytes() for row in el}
    for g in el[:: max(1, G.order // 12)]:
        assert G.inverse(g)[g].tolist() == list(range(G.degree))
        assert G.inverse(g).tobytes() in keys
        for h in el[:: max(1, G.order // 12)]:
            assert G.multiply(g, h).tobytes() in keys  # closed under products
            assert np.array_equal(G.multiply(g, h), g[h])


def test_left_multiplication_and_words(small_group):
    G = small_group
    el, left = G.elements(), G.left_multiplication()
    for s, gen in enumerate(G.generators):
        assert np.array_equal(el[left[s]], gen[el])
    for g in el:
        prod = np.arange(G.degree)
        for s in G.word(g):
            prod = prod[G.generators[s]]  # prod o gen[s]
        assert np.array_equal(prod, g)
    i = G.order - 1
    assert np.array_equal(el[G.left_multiplication_by(i)], el[i][el])


def test_multiplication_is_associative_and_contains():
    G = pt.symmetric(5)
    rng = np.random.default_rng(0)
    for _ in range(20):
        a, b, c = (G.elements()[rng.integers(G.order)] for _ in range(3))
        assert np.array_equal(G.multiply(G.multiply(a, b), c), G.multiply(a, G.multiply(b, c)))
    assert G.contains([1, 0, 2, 3, 4])
    assert not pt.alternating(5).contains([1, 0, 2, 3, 4])


def test_partitions_count_classes_of_symmetric_groups():
    partitions = {1: 1, 2: 2, 3: 3, 4: 5, 5: 7, 6: 11, 7: 15}
    for n, p in partitions.items():
        assert len(pt.symmetric(n).conjugacy_classes()) == p


@pytest.mark.parametrize("n", range(3, 11))
def test_dihedral_class_count(n):
    expected = (n + 3) // 2 if n % 2 else n // 2 + 3
    assert len(pt.dihedral(n).conjugacy_classes()) == expected


def test_class_equation_and_known_sizes(small_group):
    G = small_group
    classes = G.conjugacy_classes()
    assert sum(c.size for c in classes) == G.order
    assert all(G.order % c.size == 0 for c in classes)
    assert classes[0].size == 1 and classes[0].element_order == 1
    if G.is_abelian():
        assert len(classes) == G.order
    assert sorted(c.size for c in pt.alternating(5).conjugacy_classes()) == [1, 12, 12, 15, 20]


def test_classes_agree_with_sympy():
    for G in [pt.symmetric(4), pt.dihedral(5), pt.alternating(4)]:
        ours = sorted(sorted(tuple(row) for row in G.elements()[c.elements]) for c in G.conjugacy_classes())
        theirs = sorted(sorted(tuple(p.array_form) for p in cl) for cl in G.sympy.conjugacy_classes())
        assert ours == theirs


@pytest.mark.parametrize(
    "spec, orders",
    [("S4", [1, 4, 12, 24]), ("S5", [1, 60, 120]), ("A5", [1, 60]), ("A4", [1, 4, 12]),
     ("D4", [1, 2, 4, 4, 4, 8]), ("C6", [1, 2, 3, 6]), ("C2xC2", [1, 2, 2, 2, 4]),
     ("D6", [1, 2, 3, 6, 6, 6, 12])],
)
def test_normal_subgroups_known(spec, orders):
    assert [N.order for N in pt.group(spec).normal_subgroups()] == orders


def test_normal_subgroups_are_normal_and_unions_of_classes(small_group):
    G = small_group
    for N in G.normal_subgroups():
        assert schreier_sims_order(N) == N.order
        for g in G.generators:
            for h in N.generators:  # g h g^-1 in N
                assert N.contains(g[h[np.argsort(g)]])
        members = {row.tobytes() for row in N.elements()}
        for c in G.conjugacy_classes():
            inside = [G.elements()[e].tobytes() in members for e in c.elements]
            assert all(inside) or not any(inside)


def test_abelian_subgroups_all_normal():
    # C4 x C4 has 15 subgroups, all normal
    assert len(pt.group("C4xC4").normal_subgroups()) == 15


def test_subgroup_and_stabilizer():
    S5 = pt.symmetric(5)
    H = S5.subgroup([[1, 2, 0, 3, 4], [1, 0, 2, 3, 4]])
    assert H.order == 6
    assert S5.stabilizer(0).order == 24
    with pytest.raises(pt.NotAnElementError):
        pt.alternating(4).subgroup([[1, 0, 2, 3]])


def test_too_large_to_enumerate():
    G = pt.symmetric(12)
    assert G.order == math.factorial(12)  # generator-based operations still work
    with pytest.raises(pt.GroupTooLargeError, match="equivariant_basis"):
        G.elements()
    with pytest.raises(pt.GroupTooLargeError):
        G.conjugacy_classes()
    G.max_elements = 10
    with pytest.raises(pt.GroupTooLargeError, match="limit 10"):
        pt.symmetric(4).elements(max_elements=10)


def test_cycle_notation_round_trip(small_group):
    for g in small_group.elements():
        assert np.array_equal(pt.parse_cycles(pt.cycle_notation(g), small_group.degree), g)
    assert pt.parse_cycles("(0,1)(1 2)", 3).tolist() == [1, 2, 0]  # (0 1) after (1 2)
    for bad in ["(0 1", "0 1", "(0 0)", "(0 9)"]:
        with pytest.raises(pt.InvalidPermutationError):
            pt.parse_cycles(bad, 3)


def test_as_permutation_reads_sympy():
    assert as_permutation(Permutation([[0, 2]]), 4).tolist() == [2, 1, 0, 3]
    assert pt.from_generators([Permutation(0, 1, 2)]).order == 3


@pytest.mark.parametrize("spec, fragment", [
    ("C999999999999", "limit of 1000000"), ("C4^99999", "generator entries"),
    ("S1000000", "at most"), ("<(99999999999 0)>", "limit"), ("C\u0663", "cannot parse"),
])
def test_group_size_limits(spec, fragment):
    with pytest.raises(pt.GroupSpecError, match=fragment):
        pt.group(spec)


def test_format_order_of_huge_groups():
    assert pt.groups.format_order(479001600) == "479001600"
    text = pt.groups.format_order(math.factorial(2000))
    mantissa, exponent = text.split("e+")
    assert exponent == "5735"  # 2000! = 3.3162750924... x 10^5735
    assert abs(float(mantissa) - 3.3163) < 0.01

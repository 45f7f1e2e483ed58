"""Interaction graphs: closed form = probe = exact, the kernel bound, PL maps, bad input."""

import json
import math

import numpy as np
import pytest

import pltheory as pt
from pltheory.interaction import activated, off_breakpoints, probe_shares
from pltheory.interaction import build as build_module
from pltheory.interaction import probe as probe_module
from pltheory.tolerances import ON_BREAKPOINT


def edges(X, f, method="probe", **kw):
    return pt.interaction_graph(X, f, method=method, **kw).edges()


def ord_(n, k):
    return n // math.gcd(n, k)


def keyed(pairs):
    """Edges between frequencies of C_n, as the graph names them: by irreducible key."""
    return {(str(k), str(l)) for k, l in pairs}


@pytest.mark.parametrize("n", range(1, 41))
@pytest.mark.parametrize("f", ["relu", "abs"])
def test_closed_form_probe_and_exact_agree_on_cyclic_groups(n, f):
    X = pt.GSet.natural(pt.cyclic(n))
    probe, exact, closed = (edges(X, f, m) for m in ("probe", "exact", "closed_form"))
    assert probe == exact == closed


def test_c8_example_from_the_paper():
    """REFERENCES.md: C_8, ReLU: loops everywhere and 1->0, 1->2, 1->4, 3->0, 3->2, 3->4,
    2->0, 2->4, 4->0; no edge between 1 and 3."""
    loops = {(k, k) for k in range(5)}
    expected = keyed(loops | {(1, 0), (1, 2), (1, 4), (3, 0), (3, 2), (3, 4), (2, 0), (2, 4), (4, 0)})
    X = pt.GSet.regular(pt.cyclic(8))
    for method in ("probe", "exact", "closed_form"):
        assert edges(X, "relu", method) == expected


@pytest.mark.parametrize("n", [5, 8, 12])
def test_activations_reduce_to_relu_abs_or_loops(n):
    """f = a x + b |x|: leaky ReLU (slope != +-1) and min(x, 0) give the ReLU graph,
    slope -1 the Abs graph, a linear f only self-loops."""
    X = pt.GSet.natural(pt.cyclic(n))
    relu, abs_ = edges(X, "relu"), edges(X, "abs")
    loops = {(c.irrep.key,) * 2 for c in pt.decompose(X).components}
    for method in ("probe", "exact", "closed_form"):
        assert edges(X, "leaky:0.1", method) == edges(X, "prelu:3", method) == relu
        assert edges(X, "min", method) == relu
        assert edges(X, "leaky:-1", method) == abs_
        assert edges(X, "linear", method) == edges(X, "leaky:1", method) == loops


@pytest.mark.parametrize("n", range(1, 7))
@pytest.mark.parametrize("f", ["relu", "abs"])
def test_exact_and_probe_agree_on_the_torus(n, f):
    X = pt.GSet.grid(pt.group(f"C{n}xC{n}"))
    assert edges(X, f, "exact") == edges(X, f)


@pytest.mark.parametrize("n", range(3, 9))
@pytest.mark.parametrize("f", ["relu", "abs"])
def test_exact_and_probe_agree_on_dihedral_groups(n, f):
    X = pt.GSet.natural(pt.dihedral(n))
    assert edges(X, f, "exact") == edges(X, f)


@pytest.mark.parametrize("spec, x", [("S3", "natural"), ("S4", "natural"), ("S5", "natural"),
                                     ("S3", "regular"), ("S4", "regular"), ("A4", "regular"),
                                     ("S5", "subsets:2"), ("D4", "regular")])
@pytest.mark.parametrize("f", ["relu", "abs"])
def test_exact_and_probe_agree_for_rational_characters(spec, x, f):
    X = pt.GSet.from_spec(pt.group(spec), x)
    try:
        exact = edges(X, f, "exact")
    except pt.MethodUnavailableError as exc:  # it may decline, but never answer wrongly
        assert "could not decide" in str(exc)
        return
    assert exact == edges(X, f)


@pytest.mark.parametrize("n", [6, 8, 9, 12])
def test_kernel_graph_of_cyclic_groups(n):
    """ker V_k <= ker V_l iff ord(l) divides ord(k)."""
    X = pt.GSet.regular(pt.cyclic(n))
    ks = range(n // 2 + 1)
    expected = keyed((k, l) for k in ks for l in ks if ord_(n, k) % ord_(n, l) == 0)
    assert pt.kernel_graph(X).edges() == expected


CASES = [("C12", "regular"), ("C4xC4", "grid"), ("D6", "natural"), ("D4", "regular"),
         ("S4", "natural"), ("S4", "pairs"), ("A4", "regular"), ("C3", "pairs"), ("S3", "cosets:(0 1)")]


@pytest.mark.parametrize("spec, x", CASES)
def test_graphs_lie_inside_the_kernel_bound(spec, x):
    X = pt.GSet.from_spec(pt.group(spec), x)
    bound = pt.kernel_graph(X)
    for f in ["relu", "abs", "hardtanh", "pl:1;1,3"]:
        one = pt.interaction_graph(X, f)
        two = pt.interaction_graph(X, f, depth=2)
        assert not one.edges_outside(bound) and not two.edges_outside(bound)


@pytest.mark.parametrize("n", [6, 8, 12])
def test_two_relu_layers_reach_the_kernel_bound_on_cyclic_groups(n):
    """One ReLU layer misses edges the PL Schur bound allows (C_8: 1 -> 3); with a generic
    equivariant map and a second ReLU every allowed edge appears."""
    X = pt.GSet.regular(pt.cyclic(n))
    bound = pt.kernel_graph(X).edges()
    assert edges(X, "relu") < bound
    assert edges(X, "relu", depth=2) == bound


def test_weights_are_mean_shares():
    X = pt.GSet.regular(pt.cyclic(10))
    g = pt.interaction_graph(X, "relu")
    for u in g.nodes():
        out = sum(d["weight"] for _, _, d in g.graph.out_edges(u, data=True))
        assert math.isclose(out, 1.0, rel_tol=1e-9)  # the shares of each probe add up to 1
    # for ord(k) even, a shift by half a period negates v, so |v| has no component at k
    # and ReLU(v) = v/2 + |v|/2 keeps ||v||^2 / 4 of its ||v||^2 / 2 at k: a share of 1/2
    assert all(math.isclose(g.graph.edges[k, k]["weight"], 0.5, rel_tol=1e-9) for k in ("1", "3", "5"))
    assert not math.isclose(g.graph.edges["2", "2"]["weight"], 0.5, rel_tol=1e-3)  # ord(2) = 5 is odd


def test_amplitude_matters_for_activations_with_kinks_away_from_zero():
    """hardtanh is linear on [-1, 1]: small probes see only self-loops, large ones more."""
    X = pt.GSet.regular(pt.cyclic(8))
    f = pt.activation("hardtanh")
    small = probe_shares(X, f, amplitudes=(0.1,)).largest
    assert np.allclose(small, np.diag(np.diag(small)), atol=1e-20)
    assert len(edges(X, f)) > 5


def test_nodes_are_irreducible_keys_in_the_graph_and_json():
    X = pt.GSet.grid(pt.group("C3xC3"))
    g = pt.interaction_graph(X, "relu")
    d = json.loads(json.dumps(g.as_dict()))
    assert {n["key"] for n in d["nodes"]} == {"(0,0)", "(0,1)", "(1,0)", "(1,1)", "(1,2)"}
    assert {(e["source"], e["target"]) for e in d["edges"]} == g.edges()
    assert all(X.group.irrep(n["key"]).frequency == tuple(n["frequency"]) for n in d["nodes"])
    assert [c.irrep.key for c in pt.decompose(X).components] == g.nodes()  # one key everywhere
    nodes = pt.interaction_graph(pt.GSet.natural(pt.symmetric(4))).as_dict()["nodes"]
    assert {n["key"] for n in nodes} == {"(4)", "(3,1)"}
    assert pt.interaction_graph(pt.GSet.natural(pt.cyclic(5))).to_dot().startswith("digraph")


@pytest.mark.parametrize("n, k, target", [(7, 1, 2), (8, 1, 0), (12, 2, 4), (9, 3, 0)])
def test_linear_pieces_reproduce_the_pl_map(n, k, target):
    X = pt.GSet.regular(pt.cyclic(n))
    phi = pt.pl_map(X, k, target, "relu")
    pieces = phi.pieces()
    assert math.isclose(sum(p.end - p.start for p in pieces), 2 * math.pi)
    rng = np.random.default_rng(0)
    for p in pieces:
        for t in rng.uniform(0.05, 0.95, size=3):
            angle = p.start + t * (p.end - p.start)
            u = rng.uniform(0.1, 3) * np.array([math.cos(angle), math.sin(angle)])
            assert np.allclose(p.matrix @ u, phi(u), atol=1e-12)
    for a, b in zip(pieces, pieces[1:] + pieces[:1]):  # continuity across each kink
        edge = np.array([math.cos(b.start), math.sin(b.start)])
        assert np.allclose(a.matrix @ edge, b.matrix @ edge, atol=1e-12)


def test_pl_map_on_a_line_and_bad_components():
    phi = pt.pl_map(pt.GSet.natural(pt.symmetric(3)), "(3)", "(3)", "relu")
    pieces = phi.pieces()  # ReLU(c) on constants: the identity for c > 0, zero for c < 0
    assert np.allclose([(p.start, p.end) for p in pieces], [(0.0, 0.0), (math.pi, math.pi)])  # the half-lines
    assert np.allclose([p.matrix for p in pieces], [[[1.0]], [[0.0]]], atol=1e-12)
    X = pt.GSet.from_spec(pt.cyclic(6), "cosets:(0 3)(1 4)(2 5)")  # frequencies 0 and 2
    with pytest.raises(pt.PLTheoryError, match="components are 0, 2"):
        pt.pl_map(X, 1, 0)
    # frequencies are taken mod n and up to sign
    assert pt.pl_map(X, -2, 6).source.irrep.frequency == 2 and pt.pl_map(X, 4, 0).target.irrep.frequency == 0
    with pytest.raises(pt.MethodUnavailableError):
        pt.pl_map(pt.GSet.natural(pt.symmetric(4)), "(3,1)", "(4)").pieces()  # 3-dim source


def test_bad_input():
    X = pt.GSet.natural(pt.cyclic(6))
    rep = pt.permutation_representation(X)
    with pytest.raises(pt.PLTheoryError, match="permutation"):
        pt.interaction_graph(rep, "relu")
    with pytest.raises(pt.ActivationError):
        pt.interaction_graph(X, "swish")
    with pytest.raises(pt.PLTheoryError, match="depth"):
        pt.interaction_graph(X, "relu", depth=0)
    with pytest.raises(pt.NoClosedFormError):
        pt.interaction_graph(pt.GSet.natural(pt.symmetric(4)), "relu", method="closed_form")
    with pytest.raises(pt.NoClosedFormError):
        pt.interaction_graph(pt.GSet.from_spec(pt.cyclic(6), "pairs"), "relu", method="closed_form")
    with pytest.raises(pt.MethodUnavailableError, match="homogeneous"):
        pt.interaction_graph(X, "tanh", method="exact")
    with pytest.raises(pt.MethodUnavailableError, match="irrational"):
        pt.interaction_graph(pt.GSet.regular(pt.dihedral(5)), "relu", method="exact")
    with pytest.raises(pt.MethodUnavailableError, match="probe"):
        pt.interaction_graph(X, "relu", method="exact", depth=2)


@pytest.mark.parametrize("seed", range(12))
def test_probe_does_not_depend_on_the_seed(seed):
    """Probes use +-v and keep every layer alive, so no seed loses an edge."""
    X = pt.GSet.regular(pt.cyclic(8))
    assert edges(X, "relu", seed=seed) == edges(X, "relu", "exact")
    assert edges(X, "relu", depth=2, seed=seed) == edges(X, "relu", depth=3, seed=seed) == pt.kernel_graph(X).edges()


def test_kinks_away_from_zero_are_reached_on_large_sets():
    """clip(a cos t, -1, 1) has odd harmonics 3, 5, ... once a > 1: probes must reach the
    kinks even though a unit vector of Fun(C_200) has entries of size 0.1."""
    X = pt.GSet.regular(pt.cyclic(200))
    found = edges(X, "hardtanh")
    assert keyed({(1, 3), (1, 5)}) <= found
    assert not any(int(u) % 2 != int(v) % 2 for u, v in found)  # odd in, odd out: hardtanh is odd


@pytest.mark.parametrize("spec, x", [("C4xC2", "grid+trivial"), ("C6", "pairs"), ("C6", "subsets:2"),
                                     ("C2xC6", "pairs"), ("C5", "natural+natural")])
@pytest.mark.parametrize("f", ["relu", "abs"])
def test_exact_method_on_sets_with_several_orbits(spec, x, f):
    X = pt.GSet.from_spec(pt.group(spec), x)
    assert edges(X, f, "exact") == edges(X, f)


def test_sets_beyond_the_probe_limit(monkeypatch):
    monkeypatch.setattr(probe_module, "MAX_PROBE_VALUES", 1000)  # the limit lives with the probe
    X = pt.GSet.regular(pt.cyclic(12))  # 12 points x 7 components x 16 probes = 1344 values
    with pytest.raises(pt.TooLargeError, match="1.3e\\+03 values.*closed-form"):
        pt.interaction_graph(X, "relu")
    with pytest.raises(pt.TooLargeError, match="weights=False"):
        pt.interaction_graph(X, "relu", method="closed_form", weights=True)
    g = pt.interaction_graph(X, "abs", method="closed_form")
    assert all(d["weight"] is None for _, _, d in g.graph.edges(data=True))
    assert g.edges() == edges(X, "abs", "exact") and g.as_dict()["edges"][0]["weight"] is None


@pytest.mark.parametrize("method, spec, x", [("exact", "C12", "regular"), ("exact", "C3xC3", "grid"),
                                              ("exact", "D5", "natural"), ("exact", "S4", "natural"),
                                              ("closed_form", "C12", "regular")])
def test_exact_and_closed_form_run_no_probe_unless_weights_are_asked_for(monkeypatch, method, spec, x):
    X = pt.GSet.from_spec(pt.group(spec), x)
    expected = edges(X, "relu")

    def refuse(*args, **kwargs):
        raise AssertionError("the probe ran")

    with monkeypatch.context() as patch:
        patch.setattr(build_module, "probe_shares", refuse)
        patch.setattr(probe_module, "activated", refuse)
        g = pt.interaction_graph(X, "relu", method=method)
        assert g.edges() == expected
        assert all(d["weight"] is None for _, _, d in g.graph.edges(data=True))
        with pytest.raises(AssertionError, match="the probe ran"):
            pt.interaction_graph(X, "relu", method=method, weights=True)
    weighted = pt.interaction_graph(X, "relu", method=method, weights=True)
    assert weighted.edges() == expected and all(d["weight"] > 0 for _, _, d in weighted.graph.edges(data=True))
    unweighted = pt.interaction_graph(X, "relu", weights=False)  # the probe's edges, without weights
    assert unweighted.edges() == expected and all(d["weight"] is None for _, _, d in unweighted.graph.edges(data=True))


SHIFTED = ["pl:1;0,1", "pl:-1;1,0", "pl:-1,1;1,0,1"]


@pytest.mark.parametrize("spec", ["S4", "A4", "S5", "D5"])
@pytest.mark.parametrize("f", SHIFTED)
def test_activations_with_shifted_kinks_map_constants_to_constants(spec, f):
    """f(c 1) = f(c) 1: the trivial component reaches only itself. Probes of amplitude 1
    put every entry of a constant vector on the kink at 1, and rounding noise of 1e-16
    used to be normalised into an edge to the standard representation."""
    X = pt.GSet.natural(pt.group(spec))
    g = pt.interaction_graph(X, f)
    trivial = pt.decompose(X).components[0].irrep.key
    assert {v for u, v in g.edges() if u == trivial} <= {trivial}
    assert not g.edges_outside(pt.kernel_graph(X))
    assert not pt.interaction_graph(X, f, depth=2).edges_outside(pt.kernel_graph(X))


def test_probes_are_moved_off_breakpoints_and_rounding_noise_is_zero():
    f = pt.activation("pl:-1,1;1,0,1")
    H = np.array([[1.0, 0.3], [1.0, -1.0], [1.0, 2.0]])  # a constant column on the kink at 1, one entry on -1
    moved = off_breakpoints(H, f)
    for b in (-1.0, 1.0):
        assert np.all(np.abs(moved - b) > ON_BREAKPOINT)
    assert np.allclose(moved / np.linalg.norm(moved, axis=0), H / np.linalg.norm(H, axis=0))  # only rescaled
    g = pt.activation("pl:1;0,1")
    noisy = 1.0 + np.array([[1e-16], [-2e-16], [3e-16], [0.0]])  # a constant on the kink, up to rounding
    assert np.array_equal(activated(noisy, g), np.zeros((4, 1)))  # set to 0, not computed: exact
    assert np.allclose(activated(noisy + 1.0, g), noisy)  # past the kink: f(u) - f(0) = u - 1


def test_a_callable_is_probed_past_its_kinks():
    """max(x - 30, 0) as a function gives the graph of pl:30;0,1 (it had 0 edges)."""
    X = pt.GSet.natural(pt.cyclic(8))
    found = edges(X, lambda x: np.maximum(x - 30, 0))
    assert found == edges(X, "pl:30;0,1") and len(found) == 16


def test_exponential_callables_reach_the_kernel_bound():
    """exp(v) holds every power of v, so on C_8 it realises every edge the kernel bound
    allows; its huge slope far away must not make the rounding test silence it."""
    X = pt.GSet.regular(pt.cyclic(8))
    for fn in (np.exp, np.expm1):
        assert edges(X, fn) == pt.kernel_graph(X).edges()


def test_float32_rounding_noise_is_not_an_edge():
    """A float32 ReLU has the graph of ReLU (its 1e-7 noise used to add 1 -> 3 and 3 -> 1 on
    C_8), and a float32 linear map only the self-loops."""
    for n in (8, 12):
        X = pt.GSet.regular(pt.cyclic(n))
        assert edges(X, lambda x: np.maximum(x.astype(np.float32), 0)) == edges(X, "relu")
        loops = {(c.irrep.key,) * 2 for c in pt.decompose(X).components}
        assert edges(X, lambda x: (2 * x).astype(np.float32)) == loops

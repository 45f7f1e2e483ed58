"""Wrong argument types and out-of-range values in Young tableaux, activations, plotting and
the analysis of learned weights get the library's specific errors, never a bare
AttributeError, TypeError, KeyError, IndexError, RecursionError or ZeroDivisionError, and
never a hang or a silently parsed, truncated or non-partition answer."""

import math
from fractions import Fraction

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

import pltheory as pt  # noqa: E402
from pltheory import analysis, permutations, plotting, young  # noqa: E402
from pltheory.activations import from_callable  # noqa: E402

NAN, INF = float("nan"), float("inf")
C4 = pt.cyclic(4)
X = pt.GSet.natural(C4)
R8 = pt.GSet.regular(pt.cyclic(8))
PHI = pt.pl_map(R8, 1, 0)
GRAPH = pt.interaction_graph(R8, "relu")
RELU = pt.activation("relu")
U = np.ones((16, 1))
CANDIDATES = analysis.candidate_sharings(4, 4)
SMALL_CANDIDATES = analysis.candidate_sharings(2, 2)
H = np.random.default_rng(0).normal(size=(4, 6))
FLOW = analysis.frequency_flow(H, X)


def _fails(exc):
    def function(x):
        raise exc

    return function


BAD_CALLS = {
    # young: partitions, tableaux, characters
    "partitions of 10^30": lambda: pt.partitions(10**30),
    "partitions of 60": lambda: pt.partitions(60),
    "partitions of '5'": lambda: pt.partitions("5"),
    "partitions of 1.7": lambda: pt.partitions(1.7),
    "partitions of None": lambda: pt.partitions(None),
    "partitions of -1": lambda: pt.partitions(-1),
    "tableaux of (15, 15)": lambda: pt.standard_tableaux((15, 15)),
    "tableaux of (3000,)": lambda: pt.standard_tableaux((3000,)),
    "tableaux of (1, 3)": lambda: pt.standard_tableaux((1, 3)),
    "tableaux of (-1,)": lambda: pt.standard_tableaux((-1,)),
    "tableaux of (1.5,)": lambda: pt.standard_tableaux((1.5,)),
    "tableaux of (2, -1)": lambda: pt.standard_tableaux((2, -1)),
    "tableaux of a string": lambda: pt.standard_tableaux("21"),
    "MN of different sizes": lambda: pt.murnaghan_nakayama((2, 1), (2,)),
    "MN of None": lambda: pt.murnaghan_nakayama(None, (3,)),
    "MN of (1, 2)": lambda: pt.murnaghan_nakayama((1, 2), (3,)),
    "MN with a 0-cycle": lambda: pt.murnaghan_nakayama((2, 1), (0, 3)),
    "MN of (-1, 4)": lambda: pt.murnaghan_nakayama((-1, 4), (3,)),
    "MN of (1.5, 1.5)": lambda: pt.murnaghan_nakayama((1.5, 1.5), (3,)),
    "MN of cycles None": lambda: pt.murnaghan_nakayama((3,), None),
    "Young matrix of (1, 2)": lambda: young.young_orthogonal_matrix((1, 2), [0, 1, 2]),
    "Young matrix of a non-permutation": lambda: young.young_orthogonal_matrix((2, 1), [0, 0, 1]),
    "Young matrix of the wrong degree": lambda: young.young_orthogonal_matrix((2, 1), [1, 0]),
    "exact Young matrix of None": lambda: young.young_orthogonal_matrix_exact(None, [0]),
    "cycle type of a non-permutation": lambda: permutations.cycle_type([1, 1]),
    "cycle type of [5]": lambda: permutations.cycle_type([5]),
    "hook dimension of (10^30,)": lambda: young.hook_length_dimension((10**30,)),
    "hook dimension of (1, 2)": lambda: young.hook_length_dimension((1, 2)),
    "conjugate of a string": lambda: young.conjugate("ab"),
    "conjugate of (0,)": lambda: young.conjugate((0,)),
    # activations
    "callable without the attribute": lambda: pt.activation(lambda x: x.bogus),
    "callable raising RuntimeError": lambda: pt.activation(_fails(RuntimeError("boom"))),
    "callable raising KeyError": lambda: pt.activation(_fails(KeyError("k"))),
    "callable raising RecursionError": lambda: pt.activation(_fails(RecursionError())),
    "complex callable": lambda: pt.activation(lambda x: x * 1j),
    "callable returning strings": lambda: pt.activation(lambda x: x.astype(str)),
    "breakpoints as a string": lambda: pt.piecewise_linear("12", "345"),
    "breakpoints as a dict": lambda: pt.piecewise_linear({0: 1}, [1, 2]),
    "slopes with None": lambda: pt.piecewise_linear([0], [None, 1]),
    "slopes with a bool": lambda: pt.piecewise_linear([0], [0, True]),
    "slopes with NaN": lambda: pt.piecewise_linear([0], [NAN, 1]),
    "slopes with a complex": lambda: pt.piecewise_linear([0], [1j, 1]),
    "f(0) as text": lambda: pt.piecewise_linear([0], [0, 1], "abc"),
    "name 5": lambda: pt.piecewise_linear([0], [0, 1], name=5),
    "callable named 5": lambda: from_callable(np.tanh, name=5),
    "relu of a string": lambda: RELU("abc"),
    "relu of complex": lambda: RELU([1j]),
    "relu of a ragged list": lambda: RELU([[1.0, 2.0], [3.0]]),
    "relu of None": lambda: RELU(None),
    "relu of numeric strings": lambda: RELU(["1", "2"]),
    "tanh of strings": lambda: pt.activation("tanh")(["1"]),
    "value of 'abc'": lambda: RELU.value("abc"),
    "value of NaN": lambda: RELU.value(NAN),
    "value of inf": lambda: RELU.value(INF),
    "value of None": lambda: RELU.value(None),
    "value of a callable": lambda: pt.activation("tanh").value(1),
    "step NaN": lambda: RELU.value_and_slope([1.0], step=NAN),
    "step 0": lambda: RELU.value_and_slope([1.0], step=0),
    "step 'abc'": lambda: RELU.value_and_slope([1.0], step="abc"),
    "step None": lambda: pt.activation("tanh").value_and_slope([1.0], step=None),
    # plotting
    "resolution -1": lambda: plotting.plot_pl_map(PHI, resolution=-1),
    "resolution 0": lambda: plotting.plot_pl_map(PHI, resolution=0),
    "resolution 1.7": lambda: plotting.plot_pl_map(PHI, resolution=1.7),
    "resolution None": lambda: plotting.plot_pl_map(PHI, resolution=None),
    "resolution 10^30": lambda: plotting.plot_pl_map(PHI, resolution=10**30),
    "resolution 20000": lambda: plotting.plot_pl_map(PHI, resolution=20000),
    "axes as a string": lambda: plotting.draw_interaction_graph(GRAPH, ax="abc"),
    "node label of {}": lambda: plotting.node_label({}, 0, "order"),
    "node label of None": lambda: plotting.node_label(None, 0, "dim"),
    "draw a PL map": lambda: plotting.draw_interaction_graph(PHI),
    "plot a graph as a PL map": lambda: plotting.plot_pl_map(GRAPH),
    "energy flow of None": lambda: plotting.plot_energy_flow(None),
    "positions of a string": lambda: plotting.layered_positions("g"),
    # analysis: principal angles and candidates
    "angles of a string": lambda: analysis.principal_angles("abc", U),
    "angles of None": lambda: analysis.principal_angles(None, U),
    "angles of a ragged list": lambda: analysis.principal_angles([[1.0], [2.0, 3.0]], U),
    "angles of a 1-D array": lambda: analysis.principal_angles(np.ones(16), U),
    "angles of different heights": lambda: analysis.principal_angles(np.ones((3, 1)), U),
    "sharings of 1.7": lambda: analysis.candidate_sharings(1.7, 4),
    "sharings of '3'": lambda: analysis.candidate_sharings("3", 4),
    "sharings of True": lambda: analysis.candidate_sharings(True, 4),
    "sharings of None": lambda: analysis.candidate_sharings(None, 4),
    "sharings of -1": lambda: analysis.candidate_sharings(-1, 4),
    "sharings of 10^30": lambda: analysis.candidate_sharings(10**30, 4),
    "sharings of 0": lambda: analysis.candidate_sharings(0, 4),
    "sharings of 3000 x 3000": lambda: analysis.candidate_sharings(3000, 3000),
    "width 1.7": lambda: analysis.candidate_sharings(2, 4, width=1.7),
    "width -1": lambda: analysis.candidate_sharings(2, 4, width=-1),
    "width NaN": lambda: analysis.candidate_sharings(2, 4, width=NAN),
    "width 'abc'": lambda: analysis.candidate_sharings(2, 4, width="abc"),
    "width that does not fit": lambda: analysis.candidate_sharings(2, 4, width=2),
    "rank a string": lambda: analysis.rank_candidates("abc", CANDIDATES),
    "rank a ragged list": lambda: analysis.rank_candidates([[1.0], [2.0, 3.0]], CANDIDATES),
    "rank complex U": lambda: analysis.rank_candidates(U * 1j, CANDIDATES),
    "rank among None": lambda: analysis.rank_candidates(U, None),
    "rank among a string": lambda: analysis.rank_candidates(U, "abc"),
    "rank among [5]": lambda: analysis.rank_candidates(U, [5]),
    "rank with no sharing among [5]": lambda: analysis.rank_candidates(None, [5]),
    "rank candidates of two sizes": lambda: analysis.rank_candidates(None, CANDIDATES + SMALL_CANDIDATES),
    "tol 'abc'": lambda: analysis.rank_candidates(U, CANDIDATES, tol="abc"),
    "tol None": lambda: analysis.rank_candidates(U, CANDIDATES, tol=None),
    "tol NaN": lambda: analysis.rank_candidates(U, CANDIDATES, tol=NAN),
    "tol inf": lambda: analysis.rank_candidates(U, CANDIDATES, tol=INF),
    "tol -1": lambda: analysis.rank_candidates(U, CANDIDATES, tol=-1),
    "rcond NaN": lambda: analysis.rank_candidates(U, CANDIDATES, rcond=NAN),
    "rcond -1": lambda: analysis.rank_candidates(U, CANDIDATES, rcond=-1),
    "rcond None": lambda: analysis.rank_candidates(U, CANDIDATES, rcond=None),
    "rcond 0": lambda: analysis.rank_candidates(U, CANDIDATES, rcond=0),
    "project a 1-D vector": lambda: CANDIDATES[0].project(np.ones(16)),
    "project the wrong height": lambda: CANDIDATES[0].project(np.ones((5, 1))),
    "candidate with float labels": lambda: analysis.Candidate("x", np.array([0.5, 1.0])),
    "candidate with no labels": lambda: analysis.Candidate("x", np.array([], dtype=int)),
    # analysis: sharing patterns and their groups
    "pattern of a string": lambda: analysis.sharing_pattern("abc"),
    "pattern of a ragged list": lambda: analysis.sharing_pattern([[1.0, 2.0], [3.0]]),
    "pattern of complex W": lambda: analysis.sharing_pattern(np.eye(3) * (1 + 1j)),
    "pattern tol 'abc'": lambda: analysis.sharing_pattern(np.eye(3), tol="abc"),
    "pattern tol NaN": lambda: analysis.sharing_pattern(np.eye(3), tol=NAN),
    "pattern tol inf": lambda: analysis.sharing_pattern(np.eye(3), tol=INF),
    "pattern tol -1": lambda: analysis.sharing_pattern(np.eye(3), tol=-1),
    "group of None": lambda: analysis.pattern_group(None),
    "group of a 1-D array": lambda: analysis.pattern_group(np.ones(3)),
    "group of a 3-D array": lambda: analysis.pattern_group(np.ones((2, 2, 2))),
    "group of a ragged list": lambda: analysis.pattern_group([[1, 2], [3]]),
    "group of string labels": lambda: analysis.pattern_group([["a", "b"], ["b", "a"]]),
    "group of NaN labels": lambda: analysis.pattern_group(np.array([[NAN, 1.0], [1.0, NAN]])),
    "group limit -1": lambda: analysis.pattern_group(np.eye(3, dtype=int), limit=-1),
    "group limit 'abc'": lambda: analysis.pattern_group(np.eye(3, dtype=int), limit="abc"),
    "group budget -1": lambda: analysis.pattern_group(np.eye(3, dtype=int), budget=-1),
    "group seconds NaN": lambda: analysis.pattern_group(np.eye(3, dtype=int), seconds=NAN),
    "identify a G-set": lambda: analysis.identify_group(X),
    # analysis: defects, embeddings and flow
    "defect over a group": lambda: analysis.equivariance_defect(np.eye(4), C4, X),
    "defect over None": lambda: analysis.equivariance_defect(np.eye(4), X, None),
    "embed None": lambda: analysis.embed_in_cyclic(None),
    "embed a 1-D array": lambda: analysis.embed_in_cyclic(np.ones(3)),
    "embed a 3-D array": lambda: analysis.embed_in_cyclic(np.ones((2, 2, 2))),
    "embed a string": lambda: analysis.embed_in_cyclic("abc"),
    "embed NaN": lambda: analysis.embed_in_cyclic(np.array([[NAN, 1.0]])),
    "embed complex W": lambda: analysis.embed_in_cyclic(np.eye(2) * 1j),
    "flow of a string": lambda: analysis.frequency_flow("abc", X),
    "flow of complex H": lambda: analysis.frequency_flow(H * 1j, X),
    "flow over a group": lambda: analysis.frequency_flow(H, C4),
    "flow tol NaN": lambda: analysis.frequency_flow(H, X, tol=NAN),
    "flow tol inf": lambda: analysis.frequency_flow(H, X, tol=INF),
    "flow tol -1": lambda: analysis.frequency_flow(H, X, tol=-1),
    "flow tol 'abc'": lambda: analysis.frequency_flow(H, X, tol="abc"),
    "check flow against None": lambda: analysis.check_flow(FLOW, None),
    "check None against a graph": lambda: analysis.check_flow(None, GRAPH),
}

#: Calls whose error class matters: argument checks, activations, sizes.
SPECIFIC = {
    "partitions of 10^30": pt.TooLargeError,
    "partitions of 60": pt.TooLargeError,
    "partitions of '5'": pt.ArgumentError,
    "partitions of -1": pt.ArgumentError,
    "tableaux of (15, 15)": pt.TooLargeError,
    "tableaux of (3000,)": pt.TooLargeError,
    "tableaux of (1, 3)": pt.ArgumentError,
    "MN of different sizes": pt.ArgumentError,
    "callable without the attribute": pt.ActivationError,
    "callable raising RuntimeError": pt.ActivationError,
    "callable raising KeyError": pt.ActivationError,
    "complex callable": pt.ActivationError,
    "relu of None": pt.ActivationError,
    "value of a callable": pt.ActivationError,
    "value of NaN": pt.ActivationError,
    "step 0": pt.ArgumentError,
    "resolution 20000": pt.ArgumentError,
    "axes as a string": pt.ArgumentError,
    "sharings of 3000 x 3000": pt.TooLargeError,
    "rcond 0": pt.ArgumentError,
    "project a 1-D vector": pt.WeightError,
    "group of NaN labels": pt.WeightError,
    "embed complex W": pt.WeightError,
}


@pytest.mark.parametrize("name", BAD_CALLS)
def test_bad_arguments_get_specific_errors(name):
    with pytest.raises(SPECIFIC.get(name, pt.PLTheoryError)):
        BAD_CALLS[name]()
    plt.close("all")


def test_messages_are_one_line_and_name_the_argument():
    with pytest.raises(pt.ActivationError, match="RuntimeError: boom two") as info:
        pt.activation(_fails(RuntimeError("boom\ntwo")))
    assert "\n" not in str(info.value)
    with pytest.raises(pt.ArgumentError, match="resolution"):
        plotting.plot_pl_map(PHI, resolution=1.7)
    with pytest.raises(pt.ArgumentError, match="width"):
        analysis.candidate_sharings(2, 4, width=-1)


def test_valid_calls_are_unchanged():
    # young
    assert pt.partitions(4) == [(4,), (3, 1), (2, 2), (2, 1, 1), (1, 1, 1, 1)] and pt.partitions(0) == [()]
    assert len(pt.partitions(25)) == 1958  # p(25), OEIS A000041
    assert pt.standard_tableaux([2, 1]) == pt.standard_tableaux((2, 1)) == ((0, 0, 1), (0, 1, 0))
    assert pt.murnaghan_nakayama((2, 1), (3,)) == -1 and pt.murnaghan_nakayama((3, 1), (1, 2, 1)) == 1
    assert young.conjugate((np.int64(3), 1)) == (2, 1, 1) and permutations.cycle_type([1, 0, 2]) == (2, 1)
    assert np.allclose(young.young_orthogonal_matrix((2, 1), [1, 0, 2]), np.diag([1.0, -1.0]))
    # activations
    assert np.allclose(RELU(np.array([-1, 2])), [0.0, 2.0]) and math.isclose(float(RELU(3)), 3.0)
    assert RELU.value("1/2") == Fraction(1, 2) and RELU.value(np.float32(2)) == 2
    assert pt.piecewise_linear(np.array([0.0]), [np.float32(0.5), "1"]).slopes == (Fraction(1, 2), 1)
    assert pt.activation("pl:1/3;0,1/2").breakpoints == (Fraction(1, 3),)
    value, slope = pt.activation("tanh").value_and_slope(np.zeros(2), step=1e-6)
    assert np.allclose(value, 0.0) and np.allclose(slope, 1.0, atol=1e-6)
    # analysis
    W = np.array([[1.0, 2.0, 3.0, 0.0], [0.0, 1.0, 2.0, 3.0]])
    best = analysis.rank_candidates(W.reshape(-1, 1), analysis.candidate_sharings(2, 4, width=3))[0]
    assert best.name == "convolution width 3" and best.dim == 3
    labels = analysis.sharing_pattern(W)
    float_labels = analysis.pattern_group(labels.astype(float) * 0.5)  # equal values tie, whatever they are
    assert analysis.pattern_group(labels).order == float_labels.order
    assert analysis.embed_in_cyclic(W).shape == (4, 4)
    assert np.allclose(CANDIDATES[1].project(np.ones((16, 2))), 1.0)
    assert analysis.rank_candidates(None, CANDIDATES)[0].name == "free (no sharing)"
    assert analysis.check_flow(FLOW, pt.interaction_graph(X, "relu", method="exact")) == set()
    # plotting
    fig, ax = plt.subplots()
    assert plotting.plot_pl_map(PHI, ax, resolution=3) is ax
    assert plotting.node_label({"dim": 2}, 0, "dim") == "0\n2"  # the key, then the dimension
    plt.close(fig)

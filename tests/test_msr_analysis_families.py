"""``analyze_checkpoint`` names the right sharing and group for every family we train.

The default tests save checkpoints of exactly constructed models (U the true subspace or
the orbit sharing, one inner step adapting them), so the expected answers are
mathematics: the smallest candidate holding span(U) is the task's own subspace, the
analysis group is the task's group, an equivariant weight has no defect, and ReLU
flows only along the interaction graph. The ``slow`` tests train briefly first.
"""

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import pltheory as pt  # noqa: E402
from pltheory.cli import main  # noqa: E402
from pltheory.msr.analysis import analyze_checkpoint  # noqa: E402
from pltheory.msr.checkpoint import save_checkpoint  # noqa: E402
from pltheory.msr.layers import EquivariantLinear, SharedLinear, convolution_sharing  # noqa: E402
from pltheory.msr.maml import MetaModel  # noqa: E402
from pltheory.msr.models import make_model  # noqa: E402
from pltheory.msr.tasks import equivariant_tasks, image_gset, translation_subspace, translation_tasks  # noqa: E402
from pltheory.msr.train import train  # noqa: E402

torch.set_num_threads(1)


def _analyse(tmp_path, model, family, tasks=3):
    path = save_checkpoint(tmp_path / "ck", model, task_spec=family.spec, steps=0, curve=[])
    return analyze_checkpoint(path, tasks=tasks).summary


def _exact_translation(rank, inputs=12):
    """MSR-FC whose U spans the family's true subspace (rank 1: the width-3 convolution),
    with more test tasks (20) than the subspace has dimensions (3 rank)."""
    family = translation_tasks(rank=rank, num_tasks=100, inputs=inputs, seed=rank)
    U = convolution_sharing(inputs, 3) if rank == 1 else translation_subspace(family.spec)
    layer = SharedLinear(inputs, inputs - 2, U, learn_sharing=True, kind="msr")
    return MetaModel([layer], kind="msr-fc"), family


@pytest.mark.parametrize("rank, expected, dim", [(1, "convolution width 3", 3),
                                                 (2, "the task's true subspace (rank 2)", 6),
                                                 (5, "the task's true subspace (rank 5)", 15)])
def test_translation_families_are_named_by_their_true_subspace(tmp_path, rank, expected, dim):
    """U spans the true subspace, and so do the weights adapted to 20 tasks (one inner
    step from W = 0 moves along U): both are named by it, the smallest that holds them."""
    summary = _analyse(tmp_path, *_exact_translation(rank), tasks=20)
    for part in ("learned_sharing", "adapted_weights"):
        best = summary[part]["candidates"][0]
        assert summary[part]["best"] == expected and best["dim"] == dim and best["containment"] > 1 - 1e-6
    # no group acts on 12 inputs and 10 outputs: the documented C_12 embedding, and it says so
    group = summary["analysis_group"]
    assert group["name"] == "C12" and "zero padding" in group["how"] and "trivial" in group["how"]
    assert summary["pattern_group"]["complete"] and summary["pattern_group"]["order"] == 1
    if rank == 1:  # a convolution misses 2 of the 12 rows of a circulant: the boundary, 2/12
        assert summary["boundary_effect"] == pytest.approx(2 / 12, abs=1e-9)
        assert summary["equivariance_defect"] == pytest.approx(2 / 12, abs=1e-6)


def test_the_rank_2_subspace_is_not_explained_by_the_convolution(tmp_path):
    """The test can fail: the convolution (3 dimensions) holds only half of the rank-2 subspace."""
    summary = _analyse(tmp_path, *_exact_translation(2))
    conv = next(c for c in summary["learned_sharing"]["candidates"] if c["name"] == "convolution width 3")
    assert conv["containment"] < 0.9


def _equivariant_summary(tmp_path, X, seed=0, tasks=10):
    family = equivariant_tasks(X, num_tasks=50, seed=seed)
    return _analyse(tmp_path, MetaModel([EquivariantLinear(X, X)], kind="equivariant"), family, tasks=tasks)


def _distinct_classes(summary, dim):
    """The seeds are chosen so that the first adapted weight's orbit values lie further
    apart than the sharing pattern's tolerance (5% of the range): its pattern then has one
    class per orbit, and the pattern group is that of the orbit sharing."""
    assert summary["pattern_group"]["classes"] == dim


@pytest.mark.parametrize("flips, order, seed", [(False, 100, 5), (True, 200, 6)])
def test_image_families_are_named_by_the_task_group(tmp_path, flips, order, seed):
    """An exactly p4 / p4m-equivariant layer on 5 x 5 periodic images, adapted to 10
    tasks: its sharing is the task group's orbit sharing (not "reflection of both axes",
    which holds it, nor the translations of the torus), the pattern search completes and
    finds that group, and the defect is 0."""
    X = image_gset(5, flips=flips)
    summary = _equivariant_summary(tmp_path, X, seed)
    name = f"the task's group {X.group.name} (orbit sharing)"
    dim = pt.equivariant_basis(X, X).dim
    _distinct_classes(summary, dim)
    for part in ("learned_sharing", "adapted_weights"):
        assert summary[part]["best"] == name and summary[part]["candidates"][0]["dim"] == dim
    names = {c["name"]: c for c in summary["learned_sharing"]["candidates"]}
    shifts = names["translations of the 5x5 torus (orbit sharing)"]
    assert shifts["dim"] == 25 and shifts["containment"] == pytest.approx(1.0)
    assert names["reflection of both axes"]["dim"] > dim and names["reflection of both axes"]["containment"] > 0.99
    assert summary["pattern_group"]["complete"] and summary["pattern_group"]["order"] == order
    assert summary["analysis_group"] == {"name": X.group.name, "order": order,
                                         "how": "the task's group, which is the sharing pattern's group"}
    assert summary["equivariance_defect"] < 1e-12
    assert summary["spectrum"]["equivariant_share"] == pytest.approx(1.0, abs=1e-9)
    assert summary["frequency_flow"]["edges_outside_theory"] == []


@pytest.mark.parametrize("flips", [False, True])
def test_on_4x4_pixels_p4_ties_what_p4m_ties(tmp_path, flips):
    """On the 4 x 4 torus p4 and p4m tie the same 6 classes of entries (one candidate,
    named by the task's group), whose symmetry is p4m, of order 128: a p4 layer's
    analysis group is that pattern group, which holds p4; a p4m layer's is p4m itself."""
    X = image_gset(4, flips=flips)
    summary = _equivariant_summary(tmp_path, X, seed=1)
    _distinct_classes(summary, 6)
    assert summary["learned_sharing"]["best"] == f"the task's group {X.group.name} (orbit sharing)"
    assert summary["learned_sharing"]["candidates"][0]["dim"] == 6
    assert not any(c["name"].startswith("p4") for c in summary["learned_sharing"]["candidates"])  # a duplicate
    assert summary["pattern_group"]["complete"] and summary["pattern_group"]["order"] == 128
    assert summary["analysis_group"]["name"] == ("p4m on 4x4" if flips else "pattern group")
    assert summary["equivariance_defect"] < 1e-12


def test_p4_weights_are_not_p4m_weights(tmp_path):
    """On 5 x 5 pixels p4m ties more entries than p4 (6 orbits against 7): a p4 layer's
    sharing is only 6/7 inside p4m's, and a random p4 weight has a p4m defect."""
    X = image_gset(5)
    summary = _equivariant_summary(tmp_path, X)
    p4m = next(c for c in summary["learned_sharing"]["candidates"] if c["name"] == "p4m on 5x5 (orbit sharing)")
    assert p4m["dim"] == 6 and p4m["containment"] == pytest.approx(6 / 7, abs=1e-6)
    W = EquivariantLinear(X, X).weight(torch.randn(1, 7, generator=torch.Generator().manual_seed(0)))[0]
    Y = image_gset(5, flips=True)
    assert pt.analysis.equivariance_defect(W.double().numpy(), Y, Y) > 1e-3


@pytest.mark.parametrize("n", [4, 5])
def test_permutation_family_is_named_s_n(tmp_path, n):
    X = pt.GSet.natural(pt.symmetric(n))
    family = equivariant_tasks(X, num_tasks=10, seed=n)
    summary = _analyse(tmp_path, make_model("equivariant", family), family)
    # aI + bJ: S_n's orbit sharing, which the shape-only candidate "S_n" already names
    assert summary["learned_sharing"]["best"] == f"S{n}" and summary["learned_sharing"]["candidates"][0]["dim"] == 2
    assert summary["analysis_group"]["name"] == X.group.name and summary["analysis_group"]["order"] == np.prod(
        range(1, n + 1))
    assert summary["pattern_group"]["name"] == f"S{n}"
    assert summary["equivariance_defect"] < 1e-12


def test_an_incomplete_pattern_search_is_reported_and_the_task_group_used(tmp_path, monkeypatch):
    import pltheory.msr.analysis as module  # noqa: PLC0415 - the search budget, for this test only

    real = module.pattern_group
    monkeypatch.setattr(module, "pattern_group", lambda labels: real(labels, budget=2))
    summary = _equivariant_summary(tmp_path, image_gset(4))
    assert not summary["pattern_group"]["complete"] and "ran out" in summary["pattern_group"]["name"]
    assert summary["analysis_group"]["name"] == "p4 on 4x4" and "ran out" in summary["analysis_group"]["how"]
    assert summary["equivariance_defect"] < 1e-12


def test_two_equivariant_layers_and_the_relu_between(tmp_path, capsys):
    """MetaModel of two exactly C_8-equivariant layers: both analysed under C_8 with no
    defect, and the measured flow through the ReLU stays inside C_8's interaction graph,
    from frequency 1 never to 3 (and moves some energy to higher frequencies)."""
    X = pt.GSet.natural(pt.cyclic(8))
    family = equivariant_tasks(X, num_tasks=12, seed=0, depth=2)
    model = MetaModel([EquivariantLinear(X, X), EquivariantLinear(X, X)], kind="equivariant")
    with torch.no_grad():  # a non-zero first layer: otherwise the second gets no gradient and stays 0
        model.layers[0].v0.copy_(torch.randn(8, generator=torch.Generator().manual_seed(0)))
        model.layers[1].v0.copy_(torch.randn(8, generator=torch.Generator().manual_seed(1)))
    path = save_checkpoint(tmp_path / "deep", model, task_spec=family.spec, steps=0, curve=[])
    summary = analyze_checkpoint(path, tasks=3).summary
    assert [layer["index"] for layer in summary["layers"]] == [0, 1]
    for layer in summary["layers"]:
        assert layer["learned_sharing"]["best"] == "C8 (circulant)"
        assert layer["analysis_group"]["name"] == "C8" and layer["equivariance_defect"] < 1e-12
    assert summary["learned_sharing"] == summary["layers"][0]["learned_sharing"]  # top level: the first layer
    (relu,) = summary["relu_flow"]
    graph = pt.interaction_graph(X, "relu", method="exact").edges()
    edges = {tuple(e) for e in relu["edges"]}
    assert relu["after_layer"] == 0 and relu["group"] == "C8" and relu["edges_outside_theory"] == []
    assert edges <= graph and ("1", "2") in edges and ("1", "3") not in edges
    assert relu["before"] == pytest.approx(summary["frequency_flow"]["before"])  # the same pre-activations
    assert {tuple(e) for e in relu["low_to_high_edges"]} >= {("1", "2"), ("2", "4")}
    assert main(["analyze", str(path)]) == 0
    out = capsys.readouterr().out
    assert "layer 1 (equivariant" in out and "ReLU after layer 1" in out and "0 outside the interaction graph" in out


def test_a_layer_without_a_group_is_reported_with_null_defect(tmp_path):
    """The rule names no group, and says why, for a layer on whose points the family
    has no group and that is no translation layer (8 outputs from 6 inputs: no embedding)."""
    from pltheory.analysis import pattern_group, sharing_pattern  # noqa: PLC0415
    from pltheory.msr.analysis import _setting  # noqa: PLC0415 - the rule that names no group

    family = translation_tasks(num_tasks=4, inputs=6, seed=0)
    W = np.random.default_rng(0).normal(size=(1, 8, 6))
    labels = sharing_pattern(W[0])
    reason = _setting(pattern_group(labels), labels, W, family, "auto")
    assert isinstance(reason, str) and reason.startswith("none:") and "trivial" in reason


# ------------------------------------------------------------------ short training runs
@pytest.mark.slow
@pytest.mark.parametrize("rank, expected", [(1, "convolution width 3"), (2, "the task's true subspace (rank 2)")])
def test_trained_msr_fc_on_translations(tmp_path, rank, expected):
    family = translation_tasks(rank=rank, num_tasks=200, inputs=12, seed=rank)
    model = make_model("msr-fc", family, seed=0)
    with torch.no_grad():  # start at the true subspace: a short run keeps it, within a few degrees
        U = convolution_sharing(12, 3) if rank == 1 else translation_subspace(family.spec)
        model.layers[0].sharing.copy_(torch.as_tensor(U, dtype=torch.float32))
    train(model, family, steps=20, eval_every=20, eval_tasks=10, progress=False, device="cpu")
    summary = _analyse(tmp_path, model, family, tasks=5)
    assert summary["learned_sharing"]["best"] == expected
    assert summary["analysis_group"]["name"] == "C12"


@pytest.mark.slow
@pytest.mark.parametrize("flips", [False, True])
def test_trained_equivariant_model_on_images(tmp_path, flips):
    X = image_gset(5, flips=flips)
    family = equivariant_tasks(X, num_tasks=60, seed=6 if flips else 5)
    model = make_model("equivariant", family)
    train(model, family, steps=10, eval_every=10, eval_tasks=5, progress=False, device="cpu")
    summary = _analyse(tmp_path, model, family, tasks=10)
    assert summary["learned_sharing"]["best"] == f"the task's group {X.group.name} (orbit sharing)"
    assert summary["analysis_group"]["name"] == X.group.name and summary["equivariance_defect"] < 1e-10


@pytest.mark.slow
def test_trained_msr_conv_on_p4_has_the_task_group(tmp_path):
    """A briefly trained MSR-Conv: whatever its sharing, the analysis group is never a
    group that is not a symmetry (C_16 of the old fallback): the pattern group or p4."""
    X = image_gset(4)
    family = equivariant_tasks(X, num_tasks=60, seed=3)
    model = make_model("msr-conv", family)
    train(model, family, steps=10, eval_every=10, eval_tasks=5, progress=False, device="cpu")
    summary = _analyse(tmp_path, model, family)
    assert summary["pattern_group"]["complete"]
    assert summary["analysis_group"]["name"] in ("p4 on 4x4", "pattern group")
    assert summary["analysis_group"]["name"] != "C16"


@pytest.mark.slow
def test_trained_permutation_model(tmp_path):
    X = pt.GSet.natural(pt.symmetric(5))
    family = equivariant_tasks(X, num_tasks=60, seed=4)
    model = make_model("equivariant", family)
    train(model, family, steps=10, eval_every=10, eval_tasks=5, progress=False, device="cpu")
    summary = _analyse(tmp_path, model, family)
    assert summary["learned_sharing"]["best"] == "S5" and summary["analysis_group"]["name"] == "S5"

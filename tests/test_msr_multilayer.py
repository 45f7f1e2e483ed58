"""Multi-layer MSR: equivariant ReLU-network task families, deep models, their checkpoints
and the ``pltheory train --depth`` option."""

import argparse
import json

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import pltheory as pt  # noqa: E402
from pltheory.cli import _parser, main  # noqa: E402
from pltheory.limits import MAX_LAYERS  # noqa: E402
from pltheory.msr.analysis import regenerate_family  # noqa: E402
from pltheory.msr.checkpoint import load_checkpoint, save_checkpoint  # noqa: E402
from pltheory.msr.lifting import lifting_tasks  # noqa: E402
from pltheory.msr.maml import adapt, evaluate  # noqa: E402
from pltheory.msr.models import INITS, MODEL_KINDS, make_model, warm_start_sharing  # noqa: E402
from pltheory.msr.record import CheckpointRecord  # noqa: E402
from pltheory.msr.tasks import equivariant_tasks, family_from_spec, image_gset, translation_tasks  # noqa: E402
from pltheory.msr.train import SPLITS, TEST_TASKS, task_family, train  # noqa: E402

torch.set_num_threads(1)


def _one_layer_family(X, num_tasks, seed):
    """equivariant_tasks as it was before depth existed (library 0.2), kept here verbatim."""
    rng = np.random.default_rng(seed)
    basis = pt.equivariant_basis(X, X)
    coeffs = rng.normal(size=(num_tasks, basis.dim))
    coeffs /= np.sqrt(np.bincount(basis.labels.ravel(), minlength=basis.dim).sum() / X.size)
    W = coeffs[:, basis.labels]
    x = rng.normal(size=(num_tasks, 20, X.size))
    y = np.einsum("tyx,tnx->tny", W, x)
    return x.astype(np.float32), y.astype(np.float32)


def _circulant(c, offset_label, gain):
    """W[y, x] = gain * c[label of the offset (x - y) mod n] / sqrt(n): one circulant per row of c."""
    n = len(offset_label)
    offsets = (np.arange(n)[None, :] - np.arange(n)[:, None]) % n
    return gain * c[:, offset_label[offsets]] / np.sqrt(n)


@pytest.mark.parametrize("task", ["cyclic", "dihedral"])
def test_a_depth_2_family_is_a_relu_network_of_circulants(task):
    """y = W2 relu(W1 x) with W_i circulant in the orbit coefficients drawn after x (W2 with
    He's gain sqrt 2); every W_i commutes exactly with the group's generators (symmetric
    for D_n), so permuting x by a generator permutes y."""
    n, tasks, seed = 8, 6, 3
    family = task_family(task, points=n, num_tasks=tasks, seed=seed, depth=2)
    X = family.gset
    labels = pt.equivariant_basis(X, X).labels
    offset_label = labels[0]  # the orbit of (0, d): every orbit of C_n, D_n on X x X holds an offset
    rng = np.random.default_rng(seed)
    c1 = rng.normal(size=(tasks, labels.max() + 1))
    x = rng.normal(size=(tasks, 20, n))
    c2 = rng.normal(size=(tasks, labels.max() + 1))
    W1, W2 = _circulant(c1, offset_label, 1.0), _circulant(c2, offset_label, np.sqrt(2))
    assert np.array_equal(W1, c1[:, labels] / np.sqrt(n))  # the orbit basis of C_n / D_n: circulants
    for W in (W1, W2):
        for g in X.action:  # W[g.y, g.x] = W[y, x], bit for bit: P_g W = W P_g
            assert np.array_equal(W[:, g][:, :, g], W)
    if task == "dihedral":
        assert np.array_equal(W1, W1.transpose(0, 2, 1))
    y = np.einsum("tyx,tnx->tny", W2, np.maximum(np.einsum("tyx,tnx->tny", W1, x), 0))
    assert np.array_equal(family.x, x.astype(np.float32))
    np.testing.assert_allclose(family.y, y, rtol=1e-5, atol=1e-5)
    for g in X.action:  # the network of permuted inputs: permuted outputs (x_g[g.i] = x[i])
        moved = np.empty_like(x)
        moved[:, :, g] = x
        image = np.einsum("tyx,tnx->tny", W2, np.maximum(np.einsum("tyx,tnx->tny", W1, moved), 0))
        np.testing.assert_allclose(image[:, :, g], y, rtol=1e-12, atol=1e-12)
    assert family.spec["depth"] == 2 and family.depth == 2 and family.name == f"{X.group.name} on natural, depth 2"


@pytest.mark.parametrize("X", [pt.GSet.natural(pt.cyclic(5)), pt.GSet.from_spec(pt.symmetric(3), "pairs"),
                               image_gset(3)], ids=["C5", "S3-pairs", "p4"])
def test_depth_1_is_the_one_layer_family_bit_for_bit(X):
    family = equivariant_tasks(X, num_tasks=7, seed=11)
    x, y = _one_layer_family(X, 7, 11)
    assert np.array_equal(family.x, x) and np.array_equal(family.y, y)
    assert "depth" not in family.spec and family.depth == 1 and family.name == f"{X.group.name} on {X.name}"
    deeper = equivariant_tasks(X, num_tasks=7, seed=11, depth=3)  # the extra layers are drawn after x
    assert np.array_equal(deeper.x, x) and not np.array_equal(deeper.y, y)
    assert np.array_equal(family_from_spec(deeper.spec).y, deeper.y)


def test_deep_families_keep_activations_of_order_one():
    for depth in (1, 2, 4):
        y = task_family("cyclic", points=12, num_tasks=400, depth=depth).y
        assert 0.8 < float((y**2).mean()) < 1.25
    y = task_family("dihedral", points=12, num_tasks=400, depth=4).y
    assert 0.5 < float((y**2).mean()) < 4


def test_depth_is_validated():
    X = pt.GSet.natural(pt.cyclic(4))
    for bad in (0, MAX_LAYERS + 1, 2.0, True):
        with pytest.raises(pt.ArgumentError, match="depth"):
            equivariant_tasks(X, num_tasks=4, depth=bad)
    with pytest.raises(pt.ArgumentError, match="one linear map"):
        task_family("translation", num_tasks=4, depth=2)


def test_make_model_of_depth_2():
    family = task_family("dihedral", points=6, num_tasks=10, depth=2)
    G_moves = family.gset.action
    equivariant = make_model("equivariant", family)  # the family's depth by default
    assert len(equivariant.layers) == 2
    for layer in equivariant.layers:
        assert layer.k == 4  # D6 on 6 points: offsets 0, +-1, +-2, 3
        for W in layer.weight(torch.randn(3, layer.k)).numpy():
            for g in G_moves:
                P = np.zeros((6, 6))
                P[g, np.arange(6)] = 1.0  # P_g[g.x, x] = 1
                assert np.array_equal(P @ W, W @ P)  # exact: one nonzero product per entry
    msr = make_model("msr-fc", family, seed=5)
    one = make_model("msr-fc", family, seed=5, depth=1)
    assert [layer.k for layer in msr.layers] == [4, 4]
    assert torch.equal(msr.layers[0].sharing, one.layers[0].sharing)  # layer 0 as a one-layer model's
    assert not torch.allclose(msr.layers[0].sharing, msr.layers[1].sharing)  # each layer its own U
    assert [layer.k for layer in make_model("fc", family, depth=3).layers] == [36] * 3
    x = torch.randn(2, 5, 6)
    assert msr(x, msr.initial_filters(2)).shape == (2, 5, 6)
    with pytest.raises(pt.ArgumentError, match="one layer"):
        make_model("msr-fc", translation_tasks(num_tasks=4, inputs=6), depth=2)


def test_checkpoint_round_trip_of_a_depth_2_msr_model(tmp_path):
    family = task_family("cyclic", points=8, num_tasks=40, depth=2, seed=1)
    model = make_model("msr-fc", family, seed=2)
    result = train(model, family, steps=3, eval_every=3, eval_tasks=8, progress=False, device="cpu")
    save_checkpoint(tmp_path / "ck", model, task_spec=family.spec, steps=3, curve=result["curve"])
    loaded, record = load_checkpoint(tmp_path / "ck")
    assert len(loaded.layers) == 2 and [layer.sharing for layer in record.layers] == ["learned", "learned"]
    assert record.task.depth == 2 and family_from_spec(record.task.as_spec()).y.tobytes() == family.y.tobytes()
    x, y = (torch.as_tensor(a) for a in family.split("test"))
    for net in (model, loaded):
        net.eval()
    outputs = [net(x, adapt(net, x[:, :1], y[:, :1], create_graph=False)) for net in (model, loaded)]
    assert torch.allclose(outputs[0], outputs[1], rtol=1e-6, atol=1e-6)
    assert evaluate(loaded, family, tasks=8) == pytest.approx(evaluate(model, family, tasks=8), rel=1e-6)
    data = json.loads((tmp_path / "ck" / "model.json").read_text())
    for bad in (0, MAX_LAYERS + 1, "2", 2.5):
        data["task"]["depth"] = bad
        with pytest.raises(pt.CheckpointError, match="task: depth: expected an integer from 1 to"):
            CheckpointRecord.from_json(data)


def test_train_command_with_depth(tmp_path, capsys):
    out = tmp_path / "run"
    argv = ["train", "--task", "cyclic", "--points", "12", "--depth", "2", "--model", "msr-fc", "--steps", "3",
            "--num-tasks", "40", "--out", str(out), "--quiet"]
    assert main(argv) == 0
    assert "C12 on natural, depth 2" in capsys.readouterr().out
    model, record = load_checkpoint(out)
    assert len(model.layers) == 2 and record.task.depth == 2 and record.task.group == "C12"
    assert "--task cyclic" in record.command and "--points 12" in record.command and "--depth 2" in record.command
    again = tmp_path / "again"
    rerun = record.command.split()[2:-2] + ["--out", str(again), "--quiet"]
    assert main(["train", *rerun]) == 0
    capsys.readouterr()
    first, second = model.state_dict(), load_checkpoint(again)[0].state_dict()
    assert first.keys() == second.keys() and all(torch.equal(first[k], second[k]) for k in first)


@pytest.mark.parametrize("extra, fragment", [
    (["--task", "cyclic", "--depth", "0"], "--depth: expected a positive integer up to 8"),
    (["--task", "dihedral", "--depth", str(MAX_LAYERS + 1)], "--depth"),
    (["--task", "translation", "--depth", "2"], "depth must be 1"),
    (["--task", "dihedral", "--points", "2", "--depth", "2"], "n >= 3"),
])
def test_bad_depth_is_a_one_line_error(tmp_path, capsys, extra, fragment):
    try:
        status = main(["train", *extra, "--steps", "1", "--num-tasks", "10", "--out", str(tmp_path / "x"), "--quiet"])
    except SystemExit as exc:  # argparse's usage errors exit
        status = exc.code
    assert status == 2
    err = capsys.readouterr().err
    assert err.startswith("pltheory: error: ") and fragment in err
    assert err.count("\n") == 1 and "Traceback" not in err


@pytest.mark.slow
def test_deep_msr_learns_the_symmetry_maml_fc_cannot():
    """Depth 2 on C_8 ReLU networks, a few hundred steps: MSR-FC, which learns each layer's
    sharing, reaches a lower meta-test MSE than MAML-FC, whose 64 free weights per layer one
    support example cannot fit."""
    family = task_family("cyclic", points=8, num_tasks=2000, depth=2, seed=0)
    mse = {}
    for kind in ("msr-fc", "fc"):
        model = make_model(kind, family, seed=0)
        mse[kind] = train(model, family, steps=400, eval_every=400, progress=False, device="cpu")["curve"][-1]["mse"]
    assert mse["msr-fc"] < 0.9 * mse["fc"]


def _train_option(dest):
    """The ``pltheory train`` option whose value lands in ``args.<dest>``."""
    commands = next(a for a in _parser()._actions if isinstance(a, argparse._SubParsersAction))
    return next(a for a in commands.choices["train"]._actions if a.dest == dest)


def test_train_options_list_what_the_library_has():
    """The CLI lists its choices literally (torch is optional where the parser is built):
    they must stay the library's."""
    assert tuple(_train_option("model").choices) == MODEL_KINDS
    assert tuple(_train_option("init").choices) == INITS and _train_option("init").default == "official"
    assert tuple(_train_option("test_tasks").choices) == TEST_TASKS and _train_option("test_tasks").default == "random"
    assert tuple(_train_option("split").choices) == SPLITS and _train_option("split").default == "random"


def test_train_records_init_test_tasks_and_method(tmp_path, capsys):
    """mtsr-fc is trained by multi-task learning; --init and --test-tasks reach the run, the
    record and the command, which reproduces the state dict."""
    out = tmp_path / "run"
    argv = ["train", "--task", "cyclic", "--points", "6", "--model", "mtsr-fc", "--init", "zero", "--test-tasks",
            "random", "--steps", "2", "--num-tasks", "40", "--eval-tasks", "5", "--quiet"]
    assert main([*argv, "--out", str(out), "--json"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert (info["method"], info["init"], info["test_tasks"], info["depth"]) == ("multitask", "zero", "random", 1)
    model, record = load_checkpoint(out)
    assert (record.method, record.init, record.test_tasks, record.depth, record.split) == \
        ("multitask", "zero", "random", 1, "random")
    assert "--init zero" in record.command and "--test-tasks random" in record.command
    again = tmp_path / "again"
    assert main(["train", *record.command.split()[2:-2], "--out", str(again), "--quiet", "--eval-tasks", "5"]) == 0
    first, second = model.state_dict(), load_checkpoint(again)[0].state_dict()
    assert all(torch.equal(first[k], second[k]) for k in first)
    data = json.loads((out / "model.json").read_text())
    for key, bad, fragment in (("init", "ones", "init: expected one of"), ("method", "sgd", "method: expected one of"),
                               ("test_tasks", 3, "test_tasks: expected a string"),
                               ("depth", 2, r"depth: expected 1 \(the layers listed\), got 2")):
        with pytest.raises(pt.CheckpointError, match=fragment):
            CheckpointRecord.from_json({**data, key: bad})
    old = {k: v for k, v in data.items() if k not in ("init", "test_tasks", "method", "depth")}
    assert CheckpointRecord.from_json(old).method is None  # records written before these fields load


def test_layers_of_a_record_must_chain(tmp_path):
    family = task_family("cyclic", points=6, num_tasks=20, depth=2)
    save_checkpoint(tmp_path / "ck", make_model("fc", family), task_spec=family.spec, steps=0, curve=[])
    data = json.loads((tmp_path / "ck" / "model.json").read_text())
    data["layers"][1]["in"], data["layers"][1]["k"] = 5, 30
    with pytest.raises(pt.CheckpointError, match=r"layers\[1\]: in: expected 6 \(the outputs of layers\[0\]\), got 5"):
        CheckpointRecord.from_json(data)


@pytest.mark.parametrize("make", [
    lambda keep: translation_tasks(rank=2, num_tasks=1100, inputs=8, seed=3, keep=keep),
    lambda keep: equivariant_tasks(pt.GSet.natural(pt.cyclic(5)), num_tasks=1100, seed=4, depth=3, keep=keep),
    lambda keep: lifting_tasks("p4m", num_tasks=1100, examples=2, size=3, fields=1, seed=5, keep=keep),
])
def test_a_family_kept_in_part_is_the_same_numbers(make):
    """Regenerating some tasks draws them in chunks of the same stream: the kept tasks are
    the whole family's, bit for bit, on both sides of a chunk boundary."""
    whole = make(None)
    for keep in (range(880, 900), range(500, 530), range(0, 3)):
        part = make(keep)
        kept = slice(keep.start, keep.stop)
        assert np.array_equal(part.x, whole.x[kept]) and np.array_equal(part.y, whole.y[kept])
        assert part.num_train == max(0, min(whole.num_train, keep.stop) - keep.start)
    few = family_from_spec(whole.spec, test_tasks=7)
    assert few.num_train == 0 and np.array_equal(few.split("test")[1], whole.split("test")[1][:7])
    with pytest.raises(pt.ArgumentError, match="consecutive tasks"):
        make(range(0, 2000))


def test_a_deep_model_starts_at_a_one_layer_models_sharing():
    X = pt.GSet.natural(pt.cyclic(6))
    one = make_model("msr-fc", equivariant_tasks(X, num_tasks=8, seed=0), seed=1)
    deep = make_model("msr-fc", equivariant_tasks(X, num_tasks=8, seed=0, depth=3))
    warm_start_sharing(deep, one, seed=5)
    assert all(torch.equal(layer.sharing, one.layers[0].sharing) for layer in deep.layers)
    assert torch.equal(deep.layers[-1].v0, one.layers[0].v0) and torch.equal(deep.inner_lr, one.inner_lr)
    for layer in deep.layers[:-1]:  # hidden layers at He's scale for the copied U: mean square 2 / inputs
        assert layer.weight(layer.v0[None]).pow(2).mean().item() == pytest.approx(2 / 6, rel=1e-5)
    with pytest.raises(pt.ArgumentError, match="one-layer model"):
        warm_start_sharing(one, deep)
    with pytest.raises(pt.ArgumentError, match="learned U of the same shape"):
        warm_start_sharing(make_model("equivariant", equivariant_tasks(X, num_tasks=8, seed=0, depth=2)), one)


def test_train_with_sharing_from_and_baselines(tmp_path, capsys):
    """--baselines records what training each baseline alone records; --sharing-from starts
    the deep model at the source's U and says where it came from."""
    common = ["--task", "cyclic", "--points", "6", "--steps", "4", "--num-tasks", "40", "--eval-tasks", "5", "--quiet"]
    assert main(["train", *common, "--out", str(tmp_path / "one")]) == 0
    assert main(["train", *common, "--depth", "2", "--sharing-from", str(tmp_path / "one"), "--baselines",
                 "equivariant,fc", "--out", str(tmp_path / "deep")]) == 0
    assert main(["train", *common, "--depth", "2", "--model", "fc", "--out", str(tmp_path / "fc")]) == 0
    capsys.readouterr()
    _, record = load_checkpoint(tmp_path / "deep")
    assert [b["model"] for b in record.baselines] == ["equivariant", "fc"]
    assert record.baselines[1]["test_mse"] == pytest.approx(load_checkpoint(tmp_path / "fc")[1].test_mse, rel=1e-6)
    source = load_checkpoint(tmp_path / "one")[1]
    assert record.sharing_from == {"model": "msr-fc", "steps": 4, "task": source.task.name,
                                   "test_mse": source.test_mse, "command": source.command}
    assert "--sharing-from" in record.command and "--baselines equivariant,fc" in record.command
    data = json.loads((tmp_path / "deep" / "model.json").read_text())
    for key, bad, fragment in (("baselines", [{"model": "cnn", "steps": 1, "test_mse": 1.0, "ci95": 0.1}],
                                "baselines\\[0\\]: model: expected one of"),
                               ("baselines", "fc", "baselines: expected a list"),
                               ("sharing_from", {"model": "fc", "steps": -1, "task": "x"}, "sharing_from: steps"),
                               ("sharing_from", [], "sharing_from: expected an object")):
        with pytest.raises(pt.CheckpointError, match=fragment):
            CheckpointRecord.from_json({**data, key: bad})


@pytest.mark.parametrize("extra, fragment", [
    (["--task", "dihedral", "--depth", "2", "--sharing-from", "ONE"], "not on D6 on natural, depth 2's G-set"),
    (["--depth", "2", "--sharing-from", "/nonexistent"], "not a pltheory checkpoint"),
    (["--depth", "2", "--model", "fc", "--sharing-from", "ONE"], "needs --model msr-fc or mtsr-fc, got fc"),
    (["--depth", "2", "--model", "fc", "--baselines", "equivariant,fc"], "lists fc, the model being trained"),
    (["--baselines", "fc,fc"], "distinct models"),
    (["--baselines", "conv"], "baseline conv: model 'conv' does not apply"),
])
def test_sharing_from_and_baselines_refusals(tmp_path, capsys, extra, fragment):
    common = ["--points", "6", "--steps", "2", "--num-tasks", "40", "--eval-tasks", "5", "--quiet"]
    assert main(["train", "--task", "cyclic", *common, "--out", str(tmp_path / "one")]) == 0
    extra = [str(tmp_path / "one") if a == "ONE" else a for a in extra]
    task = [] if "--task" in extra else ["--task", "cyclic"]
    try:
        status = main(["train", *task, *common, *extra, "--out", str(tmp_path / "deep")])
    except SystemExit as usage:  # argparse's refusals
        status = usage.code
    err = capsys.readouterr().err
    assert status == 2 and fragment in err and err.count("\n") == 1, err


def test_the_analysis_tests_on_the_tasks_training_left_out(tmp_path, capsys):
    """With --meta-train N, tasks N.. are the meta-test tasks: the analysis regenerates
    those, not the default 80% split's."""
    out = tmp_path / "run"
    assert main(["train", "--task", "cyclic", "--points", "6", "--num-tasks", "50", "--meta-train", "20", "--steps",
                 "2", "--eval-tasks", "5", "--out", str(out), "--quiet"]) == 0
    model, record = load_checkpoint(out)
    x, y = regenerate_family(record, model, test_tasks=3).split("test")
    whole = equivariant_tasks(pt.GSet.natural(pt.cyclic(6)), num_tasks=50, seed=0)
    assert np.array_equal(x, whole.x[20:23]) and np.array_equal(y, whole.y[20:23])


def test_the_recorded_command_names_only_the_options_of_its_task(tmp_path, capsys):
    """--rank belongs to the translation family: a cyclic run's command does not carry it."""
    out = tmp_path / "run"
    assert main(["train", "--task", "cyclic", "--points", "6", "--steps", "1", "--num-tasks", "20", "--eval-tasks", "2",
                 "--out", str(out), "--quiet"]) == 0
    command = load_checkpoint(out)[1].command
    assert "--rank" not in command and "--points 6" in command and command.startswith("pltheory train --task cyclic")

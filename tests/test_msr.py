"""MSR in PyTorch: exact equivariance, meta-gradients, training, checkpoints, tasks."""

import json
import os

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import pltheory as pt  # noqa: E402
import pltheory.msr.train as train_module  # noqa: E402
from pltheory.cli import main  # noqa: E402
from pltheory.msr.analysis import analyze_checkpoint  # noqa: E402
from pltheory.msr.checkpoint import load_checkpoint, save_checkpoint  # noqa: E402
from pltheory.msr.layers import EquivariantLinear, MSRConv2d, MSRLinear, convolution_sharing  # noqa: E402
from pltheory.msr.maml import MetaModel, adapt, evaluate, query_losses, task_losses  # noqa: E402
from pltheory.msr.models import make_model, true_dimension  # noqa: E402
from pltheory.msr.record import MAX_GENERATORS  # noqa: E402
from pltheory.msr.tasks import (  # noqa: E402
    equivariant_tasks,
    family_from_spec,
    family_gset,
    image_gset,
    pixel_side,
    translation_subspace,
    translation_tasks,
)
from pltheory.msr.train import THREADED_WORK, default_threads, task_family, train  # noqa: E402


@pytest.mark.parametrize("spec, x, y", [("C5", "natural", "natural"), ("D4", "natural", "pairs"),
                                        ("S4", "pairs", "natural"), ("C3xC3", "grid", "grid")])
def test_equivariant_linear_is_exactly_equivariant(spec, x, y):
    G = pt.group(spec)
    X, Y = pt.GSet.from_spec(G, x), pt.GSet.from_spec(G, y)
    layer = EquivariantLinear(X, Y)
    assert layer.k == pt.equivariant_basis(X, Y).dim
    W = layer.weight(torch.randn(3, layer.k)).numpy()
    for w in W:
        for ax, ay in zip(X.action, Y.action):  # W[g.y, g.x] = W[y, x], bit for bit
            assert np.array_equal(w[np.ix_(ay, ax)], w)
        pt.assert_equivariant(w.astype(float), X, Y)


def test_msr_conv_is_translation_equivariant_and_covers_rotation_invariant_kernels():
    layer = MSRConv2d(5, 5, k=3)
    X = pt.GSet.grid(pt.group("C5xC5"))
    W = layer.weight(torch.randn(2, 3)).detach().numpy()
    for w in W:
        pt.assert_equivariant(w.astype(float), X, X, tol=1e-5)
    # with U = the rotation-invariant kernels, every W commutes with the 90-degree rotation
    Xr = image_gset(5)
    U_true = pt.equivariant_basis(Xr, Xr)
    base = layer.base.numpy()
    assert np.linalg.matrix_rank(base) == 25  # a kernel tap per offset
    target = U_true.sharing_matrix().toarray()
    coeffs, *_ = np.linalg.lstsq(base, target, rcond=None)
    assert np.allclose(base @ coeffs, target, atol=1e-6)  # Hom_p4 lies in the convolutions


def test_vectorised_adaptation_equals_a_loop_over_tasks():
    family = translation_tasks(rank=2, num_tasks=8, seed=1)
    model = make_model("msr-fc", family, seed=1)
    x, y = (torch.as_tensor(a) for a in family.split("train"))
    together = adapt(model, x[:, :1], y[:, :1], steps=2)[0]
    for t in range(x.shape[0]):
        alone = adapt(model, x[t:t + 1, :1], y[t:t + 1, :1], steps=2)[0]
        assert torch.allclose(together[t], alone[0], atol=1e-6)


def test_meta_gradient_equals_finite_differences():
    torch.manual_seed(0)
    model = MetaModel([MSRLinear(6, 4, 2, seed=3)], inner_lr=0.3).double()
    with torch.no_grad():
        model.layers[0].v0.copy_(torch.randn(2, dtype=torch.float64))
    x, y = torch.randn(5, 4, 6, dtype=torch.float64), torch.randn(5, 4, 4, dtype=torch.float64)

    def outer() -> torch.Tensor:
        return query_losses(model, x[:, :2], y[:, :2], x[:, 2:], y[:, 2:], steps=2).mean()

    params = [model.layers[0].sharing, model.layers[0].v0, model.inner_lr]
    grads = torch.autograd.grad(outer(), params)
    rng = np.random.default_rng(0)
    for p, g in zip(params, grads):
        for _ in range(4):
            index = tuple(int(rng.integers(s)) for s in p.shape)
            old = p[index].item()
            values = []
            for value in (old + 1e-6, old - 1e-6, old):
                with torch.no_grad():
                    p[index] = value
                values.append(outer().item())
            up, down = values[:2]
            assert abs((up - down) / 2e-6 - g[index].item()) < 1e-6 * max(1.0, abs(g[index].item()))


@pytest.mark.slow
def test_short_msr_run_beats_half_the_zero_predictor():
    family = translation_tasks(rank=1, num_tasks=2000, seed=0)
    model = make_model("msr-fc", family, seed=0)
    before = evaluate(model, family)["mse"]
    result = train(model, family, steps=600, eval_every=300, progress=False, device="cpu")
    after = result["curve"][-1]["mse"]
    assert before > 0.9 * family.label_variance()
    assert after < 0.5 * family.label_variance()


def test_translation_tasks_are_the_mixed_convolutions():
    family = translation_tasks(rank=1, num_tasks=5, seed=2)
    x, y = family.x.astype(float), family.y.astype(float)
    # rank 1: every task is a convolution; least squares over its 20 examples finds the filter
    U = convolution_sharing(70, 3)
    for t in range(5):
        design = np.einsum("opk,np->nok", U.reshape(68, 70, 3), x[t]).reshape(-1, 3)
        filt, residual, *_ = np.linalg.lstsq(design, y[t].ravel(), rcond=None)
        assert np.allclose(design @ filt, y[t].ravel(), atol=1e-4)
    C = translation_tasks(rank=5, num_tasks=2, seed=2).spec["C"]
    assert C.shape == (68, 5) and np.allclose(C.sum(axis=1), 1.0) and (C > 0).all()


def test_equivariant_tasks_are_equivariant_maps():
    X = image_gset(4, flips=True)
    assert X.group.order == 4 * 4 * 8  # translations x D_4
    family = equivariant_tasks(X, num_tasks=3, examples=40, seed=0)
    basis = pt.equivariant_basis(X, X)
    for t in range(3):
        W, *_ = np.linalg.lstsq(family.x[t].astype(float), family.y[t].astype(float), rcond=None)
        assert np.allclose(basis.project(W.T), W.T, atol=1e-4)


def test_checkpoint_round_trip(tmp_path):
    family = translation_tasks(rank=2, num_tasks=100, seed=0)
    model = make_model("msr-fc", family, seed=4)
    result = train(model, family, steps=5, eval_every=5, eval_tasks=10, progress=False, device="cpu")
    save_checkpoint(tmp_path / "ck", model, task_spec=family.spec, steps=5, curve=result["curve"])
    loaded, record = load_checkpoint(tmp_path / "ck")
    assert record.model == "msr-fc" and record.steps == 5 and np.allclose(record.task.C, family.spec["C"])
    for (name, a), (_, b) in zip(model.state_dict().items(), loaded.state_dict().items()):
        assert torch.equal(a, b), name
    assert evaluate(loaded, family, tasks=10) == pytest.approx(evaluate(model, family, tasks=10), rel=1e-12)


def test_foreign_or_corrupt_checkpoints_are_refused(tmp_path):
    family = translation_tasks(rank=1, num_tasks=20, seed=0)
    model = make_model("conv", family)
    good = save_checkpoint(tmp_path / "good", model, task_spec=family.spec, steps=0, curve=[])
    with pytest.raises(pt.CheckpointError, match="not a pltheory checkpoint"):
        load_checkpoint(tmp_path / "missing")
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "model.json").write_text(json.dumps({"format": "something else"}))
    (bad / "model.pt").write_bytes(b"junk")
    with pytest.raises(pt.CheckpointError, match="record"):
        load_checkpoint(bad)
    (bad / "model.json").write_text((good / "model.json").read_text())
    with pytest.raises(pt.CheckpointError, match="tensor file"):
        load_checkpoint(bad)  # corrupt tensors
    torch.save({"layers.0.v0": object()}, bad / "model.pt")  # pickled code is not loaded
    with pytest.raises(pt.CheckpointError):
        load_checkpoint(bad)
    torch.save({"layers.0.v0": torch.zeros(7)}, bad / "model.pt")  # tensors of another model
    with pytest.raises(pt.CheckpointError, match="do not match"):
        load_checkpoint(bad)


def test_train_command(tmp_path, capsys):
    out = tmp_path / "runs" / "run"  # runs/ does not exist yet: created as mkdir -p would
    argv = ["train", "--task", "translation", "--model", "conv", "--steps", "10", "--num-tasks", "200",
            "--eval-every", "5", "--eval-tasks", "20", "--out", str(out), "--quiet", "--json"]
    assert main(argv) == 0
    info = json.loads(capsys.readouterr().out)
    assert info["model"] == "conv" and info["steps"] == 10 and (out / "model.pt").is_file()
    assert main(argv) == 2  # refuses to replace without --force
    assert "--force" in capsys.readouterr().err
    assert main([*argv, "--force"]) == 0
    assert main(["train", "--task", "translation", "--model", "msr-conv", "--out", str(tmp_path / "x")]) == 2
    assert "does not apply" in capsys.readouterr().err


def test_train_options_are_used_and_recorded(tmp_path, capsys):
    """--support, --inner-steps, --first-order, --meta-train and --threads reach the run
    and the record, and the recorded command reproduces the same model exactly."""
    out = tmp_path / "run"
    base = ["train", "--task", "translation", "--model", "msr-fc", "--steps", "6", "--num-tasks", "60",
            "--meta-train", "40", "--support", "5", "--inner-steps", "2", "--first-order", "--threads", "1",
            "--eval-every", "6", "--eval-tasks", "10", "--quiet"]
    argv = [*base, "--out", str(out), "--json"]
    assert main(argv) == 0
    info = json.loads(capsys.readouterr().out)
    assert (info["support"], info["inner_steps"], info["first_order"], info["meta_train"], info["threads"]) == \
        (5, 2, True, 40, 1)
    record = load_checkpoint(out)[1]
    assert (record.support, record.inner_steps, record.first_order, record.meta_train) == (5, 2, True, 40)
    again = tmp_path / "again"
    rerun = record.command.split()[2:-2] + ["--out", str(again), "--quiet", "--eval-every", "6", "--eval-tasks", "10"]
    assert main(["train", *rerun]) == 0
    capsys.readouterr()
    first, second = load_checkpoint(out)[0].state_dict(), load_checkpoint(again)[0].state_dict()
    assert all(torch.equal(first[k], second[k]) for k in first)
    for bad, message in ((["--support", "20"], "support must be"), (["--meta-train", "60"], "--meta-train")):
        assert main([*base, *bad, "--out", str(tmp_path / "bad")]) == 2
        err = capsys.readouterr().err
        assert message in err and err.count("\n") == 1


def test_first_order_meta_gradient_treats_the_inner_gradient_as_a_constant():
    """First-order MAML: the outer gradient is that of L_query(v - a g) with g = grad
    L_support(v) held fixed (computed here by hand, detached); the second-order gradient
    differs from it (the inner gradient depends on U)."""
    family = translation_tasks(rank=2, num_tasks=20, seed=1)
    x, y = (torch.as_tensor(a[:4]) for a in family.split("train"))
    grads = {}
    for first_order in (True, False):
        model = make_model("msr-fc", family, seed=2)
        loss = query_losses(model, x[:, :3], y[:, :3], x[:, 3:], y[:, 3:], 1, create_graph=not first_order).mean()
        grads[first_order] = torch.autograd.grad(loss, model.layers[0].sharing)[0]
    model = make_model("msr-fc", family, seed=2)
    v = model.initial_filters(4)
    g = torch.autograd.grad(task_losses(model, x[:, :3], y[:, :3], v).sum(), v)[0].detach()
    manual = task_losses(model, x[:, 3:], y[:, 3:], [v[0] - model.inner_lr * g]).mean()
    expected = torch.autograd.grad(manual, model.layers[0].sharing)[0]
    assert torch.allclose(grads[True], expected, atol=1e-6)
    assert not torch.allclose(grads[False], expected, atol=1e-6)


def test_random_split_draws_the_support_from_every_example(monkeypatch):
    """split="random": an episode's support examples are a random subset of the task's
    examples, drawn afresh (the queries are the rest, and the pairs (x, y) stay together);
    split="first": always the first ones."""
    family = translation_tasks(rank=1, num_tasks=12, seed=0)
    x_train, y_train = (torch.as_tensor(a) for a in family.split("train"))
    seen = {"first": [], "random": []}

    def recording(model, xs, ys, xq, yq, steps, create_graph=True):
        for t in range(xs.shape[0]):  # which example of which task each support row is
            task, example = (x_train == xs[t, 0]).all(-1).nonzero()[0].tolist()
            assert torch.equal(y_train[task, example], ys[t, 0])  # x and y moved together
            seen[current].append((task, example))
        assert xs.shape[1] + xq.shape[1] == family.x.shape[1]
        return query_losses(model, xs, ys, xq, yq, steps, create_graph)

    monkeypatch.setattr(train_module, "query_losses", recording)
    for current in ("first", "random"):
        train(make_model("conv", family), family, steps=20, split=current, eval_every=20, eval_tasks=2,
              progress=False, device="cpu")
    assert {example for _, example in seen["first"]} == {0}
    assert len({example for _, example in seen["random"]}) > 10  # of the 20 examples
    with pytest.raises(pt.ArgumentError, match="split"):
        train(make_model("conv", family), family, steps=1, split="every", progress=False, device="cpu")


def test_default_threads_follow_the_size_of_the_layer():
    """One thread for the paper's 68 x 70 layer; every core for a layer whose outer step
    costs more than THREADED_WORK multiply-adds."""
    small = translation_tasks(rank=1, num_tasks=10, seed=0)
    assert default_threads(make_model("msr-fc", small), small, 32) == 1
    big = translation_tasks(rank=1, num_tasks=4, inputs=2000, seed=0)
    model = make_model("fc", big)
    assert 32 * 20 * model.layers[0].out_features * model.layers[0].in_features >= THREADED_WORK
    assert default_threads(model, big, 32) == max(1, os.cpu_count() or 1)


def test_analysis_names_the_true_subspace_of_a_rank_2_translation_family(tmp_path, tap_vectors):
    """A checkpoint whose U spans exactly the family's true 6-dimensional subspace (built
    here tap by tap from the recorded C) is named by that subspace, before the locally
    connected band (204 dimensions) that also holds it."""
    family = translation_tasks(rank=2, num_tasks=20, seed=4)
    vectors = tap_vectors(family.spec["C"]).T
    assert np.allclose(translation_subspace(family.spec), vectors.T)
    model = make_model("msr-fc", family, seed=0)
    with torch.no_grad():
        model.layers[0].sharing.copy_(torch.as_tensor(np.array(vectors).T, dtype=model.layers[0].sharing.dtype))
    spec = {**family.spec, "name": family.name, "label_variance": family.label_variance()}
    save_checkpoint(tmp_path / "exact", model, task_spec=spec, steps=0, curve=[])
    learned = analyze_checkpoint(tmp_path / "exact", tasks=5).summary["learned_sharing"]
    assert learned["best"] == "the task's true subspace (rank 2)"
    assert learned["candidates"][0]["dim"] == 6 and learned["candidates"][0]["largest_angle"] < 1e-2


def test_training_is_deterministic_with_a_seed():
    family = translation_tasks(rank=2, num_tasks=100, seed=3)
    states = []
    for _ in range(2):
        model = make_model("msr-fc", family, seed=3)
        train(model, family, steps=15, eval_every=15, eval_tasks=10, seed=3, progress=False, device="cpu")
        states.append(model.state_dict())
    assert all(torch.equal(states[0][k], states[1][k]) for k in states[0])


def _record(tmp_path, name, task):
    """A checkpoint of an untrained conv layer whose record carries ``task``."""
    family = translation_tasks(rank=1, num_tasks=20, seed=0)
    directory = save_checkpoint(tmp_path / name, make_model("conv", family), task_spec=family.spec, steps=0,
                                curve=[])
    data = json.loads((directory / "model.json").read_text())
    data["task"] = task
    (directory / "model.json").write_text(json.dumps(data))
    return directory


def test_a_family_on_a_custom_group_is_saved_by_structure(tmp_path):
    G = pt.from_generators([[1, 2, 3, 0]], name="quarter turns")
    X = pt.GSet.from_spec(G, "pairs")  # 16 points: the action is not the generators
    family = equivariant_tasks(X, num_tasks=30, seed=5)
    save_checkpoint(tmp_path / "ck", make_model("equivariant", family), task_spec=family.spec, steps=0, curve=[])
    _, record = load_checkpoint(tmp_path / "ck")
    assert record.task.generators == ((1, 2, 3, 0),) and record.task.action == tuple(map(tuple, X.action))
    again = family_from_spec(record.task.as_spec())
    assert again.gset.group == G and np.array_equal(again.gset.action, X.action)
    assert np.array_equal(again.x, family.x) and np.array_equal(again.y, family.y)  # the same tasks, bit for bit


def test_a_custom_group_checkpoint_is_analysed(tmp_path):
    family = equivariant_tasks(pt.GSet.natural(pt.from_generators([[1, 2, 3, 0]])), num_tasks=30, seed=1)
    model = make_model("equivariant", family)
    train(model, family, steps=3, eval_every=3, eval_tasks=5, progress=False, device="cpu")
    save_checkpoint(tmp_path / "ck", model, task_spec=family.spec, steps=3, curve=[])
    summary = analyze_checkpoint(tmp_path / "ck").as_dict()
    assert summary["learned_sharing"]["best"] == "C4 (circulant)"  # dim 4: the orbits of C4 on 4 x 4
    assert summary["adapted_weights"]["best"] == "C4 (circulant)"
    assert summary["equivariance_defect"] < 1e-10


def test_records_without_structure_are_read_by_name(tmp_path):
    """Checkpoints written before the structure fields name the group and the set."""
    legacy = {"task": "equivariant", "group": "S4", "set": "pairs", "num_tasks": 10, "examples": 5, "seed": 2}
    _, record = load_checkpoint(_record(tmp_path, "old", legacy))
    assert record.task.generators is None
    rebuilt = family_from_spec(record.task.as_spec())
    fresh = equivariant_tasks(pt.GSet.from_spec(pt.symmetric(4), "pairs"), num_tasks=10, examples=5, seed=2)
    assert np.array_equal(rebuilt.y, fresh.y)
    image = family_gset({"group": "p4m on 3x3", "set": "natural"}, size=9)
    assert image.group.order == 9 * 8 and pixel_side(image) == 3


@pytest.mark.parametrize("generators, action, message", [
    ([[0, 0, 1]], [[1, 0, 2]], f"task: generators: expected a list of 1 to {MAX_GENERATORS} permutations"),
    ([[1, 2, 0]], [[1, 0, 3]], "task: action: expected a list of 1 to 1 permutations"),
    ([[1, 2, 0]], [[1, 0], [0, 1]], "task: action: expected a list of 1 to 1 permutations"),
    ([[1, 2, 0]], None, "task: action: missing"),
    ([[True, False]], [[1, 0]], "task: generators: expected"),
    ([[10**400, 0]], [[1, 0]], "task: generators: expected"),
    ([[1, 0]] * (MAX_GENERATORS + 1), [[1, 0]] * (MAX_GENERATORS + 1), "task: generators: expected a list of 1"),
])
def test_structure_fields_are_validated(tmp_path, generators, action, message):
    task = {"task": "equivariant", "group": "G", "set": "X", "num_tasks": 10, "examples": 5, "seed": 0,
            "generators": generators, "action": action}
    with pytest.raises(pt.CheckpointError, match=message) as caught:
        load_checkpoint(_record(tmp_path, "bad", task))
    assert "\n" not in str(caught.value)


def test_a_structure_that_is_not_an_action_cannot_regenerate_tasks(tmp_path, capsys):
    # a 3-cycle acting on 2 points by a transposition is not an action: refused at regeneration
    task = {"task": "equivariant", "group": "C3", "set": "X", "num_tasks": 10, "examples": 5, "seed": 0,
            "generators": [[1, 2, 0]], "action": [[1, 0]]}
    assert main(["analyze", str(_record(tmp_path, "bad", task))]) == 2
    assert "cannot regenerate its tasks" in capsys.readouterr().err


def test_image_families_take_convolutions():
    rotation = task_family("rotation", size=4, num_tasks=10)
    assert pixel_side(rotation.gset) == 4
    assert make_model("conv", rotation).layers[0].kind == "conv2d"
    assert make_model("msr-conv", rotation).layers[0].k == true_dimension(rotation)
    permutation = task_family("permutation", points=4, num_tasks=10)  # 4 points, but no image
    assert pixel_side(permutation.gset) is None
    with pytest.raises(ValueError, match="does not apply"):
        make_model("conv", permutation)

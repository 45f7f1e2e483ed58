"""MSR in PyTorch: exact equivariance, meta-gradients, training, checkpoints, tasks."""

import json

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import pltheory as pt  # noqa: E402
from pltheory.cli import main  # noqa: E402
from pltheory.msr.checkpoint import load_checkpoint, save_checkpoint  # noqa: E402
from pltheory.msr.layers import EquivariantLinear, MSRConv2d, MSRLinear, convolution_sharing  # noqa: E402
from pltheory.msr.maml import MetaModel, adapt, evaluate, make_model, query_losses  # noqa: E402
from pltheory.msr.tasks import equivariant_tasks, image_gset, translation_tasks  # noqa: E402
from pltheory.msr.train import train  # noqa: E402


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


def test_training_is_deterministic_with_a_seed():
    family = translation_tasks(rank=2, num_tasks=100, seed=3)
    states = []
    for _ in range(2):
        model = make_model("msr-fc", family, seed=3)
        train(model, family, steps=15, eval_every=15, eval_tasks=10, seed=3, progress=False, device="cpu")
        states.append(model.state_dict())
    assert all(torch.equal(states[0][k], states[1][k]) for k in states[0])

"""The paper's other rows (MTSR-FC, MSR-Joint-FC), the official code's protocol (random
episodes and test tasks, PyTorch's initial values, latent sizes) and the outer loop's
Adam: each checked by its defining property, against a hand computation or torch."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

torch = pytest.importorskip("torch")

from pltheory.msr.checkpoint import load_checkpoint, save_checkpoint  # noqa: E402
from pltheory.msr.layers import JointSharedLinear, SharedLinear  # noqa: E402
from pltheory.msr.maml import MetaModel, adapt, episodes, evaluate  # noqa: E402
from pltheory.msr.models import OFFICIAL_LATENT, TRAINING_METHODS, make_model  # noqa: E402
from pltheory.msr.optim import Adam  # noqa: E402
from pltheory.msr.tasks import translation_tasks  # noqa: E402
from pltheory.msr.train import INNER_LR_GRID, fit_inner_lr, train  # noqa: E402


@pytest.fixture(scope="module")
def small_family():
    return translation_tasks(rank=2, num_tasks=60, inputs=8, seed=3)


def test_adam_follows_torch_adam():
    """Twenty steps on a quadratic with changing curvature: the same trajectory as
    torch.optim.Adam (float64, so only rounding differs)."""
    torch.manual_seed(0)
    start = [torch.randn(5, 3, dtype=torch.float64), torch.randn(4, dtype=torch.float64)]
    ours = [torch.nn.Parameter(p.clone()) for p in start]
    theirs = [torch.nn.Parameter(p.clone()) for p in start]
    mine, reference = Adam(ours, lr=0.05), torch.optim.Adam(theirs, lr=0.05)
    for step in range(20):
        for params, optimizer in ((ours, mine), (theirs, reference)):
            optimizer.zero_grad()
            loss = sum(((step + 1) * p ** 2 + torch.sin(p)).sum() for p in params)
            loss.backward()
            optimizer.step()
    for a, b in zip(ours, theirs):
        torch.testing.assert_close(a, b, rtol=1e-12, atol=1e-12)


def test_training_never_imports_dynamo():
    """The outer loop does not touch torch.optim, whose first use imports torch._dynamo
    (a second of start-up)."""
    code = ("import sys; from pltheory.msr.models import make_model; from pltheory.msr.tasks import "
            "translation_tasks; from pltheory.msr.train import train; f = translation_tasks(num_tasks=20, inputs=6); "
            "train(make_model('msr-fc', f), f, steps=2, eval_tasks=2, progress=False, device='cpu'); "
            "print('torch._dynamo' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


def test_shared_linear_is_the_matrix_product():
    """y = W x with vec(W) = U v, row-major, for a U given in any layout: against numpy."""
    rng = np.random.default_rng(0)
    U, v, x = rng.normal(size=(12, 2)), rng.normal(size=(3, 2)), rng.normal(size=(3, 5, 4))
    layer = SharedLinear(4, 3, U)
    got = layer(torch.as_tensor(x, dtype=torch.float32), torch.as_tensor(v, dtype=torch.float32))
    W = (v @ U.T).reshape(3, 3, 4)
    np.testing.assert_allclose(got.numpy(), np.einsum("toi,tni->tno", W, x), rtol=1e-5, atol=1e-5)
    assert layer.sharing.stride() == (1, 12)  # column by column: U^T is contiguous


def test_joint_inner_step_adapts_u_as_the_hand_gradient():
    """MSR-Joint's inner step moves U by -lr vec(dL/dW) v^T and v by -lr U^T vec(dL/dW),
    with dL/dW = 2 / (N out) (W x - y) x^T per task; MSR's inner step leaves U alone."""
    torch.manual_seed(1)
    layer = JointSharedLinear(4, 3, 2, seed=1)
    with torch.no_grad():
        layer.v0[-2:] = torch.tensor([0.7, -0.4])  # v0 != 0, so U's gradient is not 0
    model = MetaModel([layer], inner_lr=0.3)
    x, y = torch.randn(2, 5, 4), torch.randn(2, 5, 3)
    adapted = adapt(model, x, y, create_graph=False)[0].detach()
    U0, v0 = layer.split(layer.v0[None].detach())
    U0, v0 = U0[0].double(), v0[0].double()
    for t in range(2):
        W = (U0 @ v0).reshape(3, 4)
        gW = 2 / (5 * 3) * (x[t].double() @ W.T - y[t].double()).T @ x[t].double()
        U1, v1 = layer.split(adapted[t:t + 1].double())
        torch.testing.assert_close(U1[0], U0 - 0.3 * gW.reshape(-1, 1) @ v0[None], rtol=1e-4, atol=1e-5)
        torch.testing.assert_close(v1[0], v0 - 0.3 * U0.T @ gW.reshape(-1), rtol=1e-4, atol=1e-5)
    msr = make_model("msr-fc", translation_tasks(rank=1, num_tasks=4, inputs=6, seed=0))
    U_before = msr.layers[0].sharing.detach().clone()
    filters = adapt(msr, x[:, :, :1].expand(2, 5, 6).contiguous(), torch.randn(2, 5, 4), create_graph=False)
    assert filters[0].shape == (2, msr.layers[0].k)  # the inner loop's parameters are v alone
    torch.testing.assert_close(msr.layers[0].sharing.detach(), U_before, rtol=0, atol=0)


def test_mtsr_is_multitask_learning(small_family):
    """MTSR-FC's meta-test inner rate is the grid's best one-step rate on training episodes:
    checked against the query MSE of one inner step computed by hand in numpy (the inner
    gradient of W x with vec(W) = U v is U^T vec(2 / out (W x - y) x^T)) at every grid
    rate; and adapting from its v0 beats predicting 0 on test tasks."""
    model = make_model("mtsr-fc", small_family, seed=0, init="zero")
    assert TRAINING_METHODS["mtsr-fc"] == "multitask"
    train(model, small_family, steps=300, method="multitask", outer_lr=0.02, eval_every=300, eval_tasks=5,
          progress=False, device="cpu")
    layer = model.layers[0]
    U, v0 = layer.sharing.detach().double().numpy(), layer.v0.detach().double().numpy()
    x, y = (a[:300].astype(float) for a in small_family.split("train"))
    out, inp = layer.out_features, layer.in_features
    residual = (x[:, 0] @ (U @ v0).reshape(out, inp).T) - y[:, 0]               # (tasks, out)
    grads = np.einsum("to,ti->toi", 2 / out * residual, x[:, 0]).reshape(len(x), -1) @ U   # (tasks, k)

    def query_mse(lr):
        W = ((v0 - lr * grads) @ U.T).reshape(len(x), out, inp)
        return float(((np.einsum("toi,tni->tno", W, x[:, 1:]) - y[:, 1:]) ** 2).mean())

    by_hand = [query_mse(lr) for lr in INNER_LR_GRID]
    chosen = float(model.inner_lr.detach())
    best = INNER_LR_GRID[int(np.argmin(by_hand))]
    assert chosen == pytest.approx(best, rel=1e-6)
    assert fit_inner_lr(model, small_family) == pytest.approx(best, rel=1e-6)
    _, y_test = small_family.split("test")
    fitted = evaluate(model, small_family, tasks=10)["mse"]
    assert fitted < float((y_test[:10, 1:] ** 2).mean())  # adapting from v0 beats predicting 0


def test_multitask_filters_fit_their_tasks(small_family):
    """The per-task filters of multi-task training fit the training tasks: the loss that
    training reports falls far below the label variance (a shared filter cannot: the
    tasks' filters are independent Gaussians)."""
    model = make_model("mtsr-fc", small_family, seed=0, init="zero")
    result = train(model, small_family, steps=400, method="multitask", outer_lr=0.02, eval_every=400,
                   eval_tasks=5, progress=False, device="cpu")
    assert result["curve"][-1]["train_loss"] < 0.2 * small_family.label_variance()


def test_episodes_random_keep_pairs_and_vary():
    x = torch.arange(2 * 6 * 3, dtype=torch.float32).reshape(2, 6, 3)
    y = x.sum(dim=2, keepdim=True)
    rng = np.random.default_rng(0)
    supports = set()
    for _ in range(20):
        xs, ys, xq, yq = episodes(x, y, 2, rng)
        torch.testing.assert_close(xs.sum(dim=2, keepdim=True), ys)  # x and y stay together
        torch.testing.assert_close(xq.sum(dim=2, keepdim=True), yq)
        assert xs.shape == (2, 2, 3) and xq.shape == (2, 4, 3)
        supports.add(tuple(xs[0, :, 0].tolist()))
    assert len(supports) > 5


def test_random_test_tasks_are_distinct_test_tasks(small_family):
    """test_tasks="random": distinct tasks from the meta-test range, a new draw each time."""
    model = make_model("conv", small_family)
    rng = np.random.default_rng(0)
    first = evaluate(model, small_family, tasks=5, rng=rng)
    second = evaluate(model, small_family, tasks=5, rng=rng)
    assert first["tasks"] == second["tasks"] == 5
    assert first["mse"] != pytest.approx(second["mse"], rel=1e-9)
    every = evaluate(model, small_family, tasks=1000, rng=np.random.default_rng(1))
    assert every["tasks"] == small_family.x.shape[0] - small_family.num_train  # no repeats: all of them once
    assert every["mse"] == pytest.approx(evaluate(model, small_family, tasks=1000)["mse"], rel=0.3)


def test_official_initial_values():
    """PyTorch's defaults, as the official code's layers start: free weights uniform in
    +-1/sqrt(fan-in) (standard deviation bound / sqrt 3), MSR's U with standard deviation
    0.01 and v0 with 1 / outputs; the latent size of MSR-FC is 3, 6, 30 for ranks 1, 2, 5."""
    family = translation_tasks(rank=5, num_tasks=4, seed=0)
    fc = make_model("fc", family).layers[0].v0.detach().numpy()
    assert np.abs(fc).max() <= 1 / np.sqrt(70) and fc.std() == pytest.approx(1 / np.sqrt(70 * 3), rel=0.05)
    conv = make_model("conv", family).layers[0].v0.detach().numpy()
    assert np.abs(conv).max() <= 1 / np.sqrt(3) and np.abs(conv).max() > 0
    msr = make_model("msr-fc", family).layers[0]
    assert msr.k == OFFICIAL_LATENT[5] == 30
    assert msr.sharing.detach().std().item() == pytest.approx(0.01, rel=0.05)
    assert make_model("fc", family, init="zero").layers[0].v0.abs().max().item() == 0.0


@pytest.mark.slow
def test_msr_beats_mtsr_and_maml_fc_after_training():
    """A short run of the table's rank-1 column: MSR-FC learns the convolution's sharing
    and ends far below MAML-FC, which one support example cannot fit."""
    family = translation_tasks(rank=1, num_tasks=2000, seed=0)
    results = {}
    for kind in ("fc", "msr-fc"):
        model = make_model(kind, family, seed=0)
        results[kind] = train(model, family, steps=1500, split="random", eval_every=1500, progress=False,
                              device="cpu", method=TRAINING_METHODS.get(kind, "maml"))["curve"][-1]["mse"]
    assert results["msr-fc"] < 0.3 * results["fc"]


def test_joint_and_mtsr_checkpoints_round_trip(tmp_path):
    """model.json records MSR-Joint's U as adapted per task (k = v's size); both new kinds
    reload to models with the same outputs."""
    family = translation_tasks(rank=2, num_tasks=10, inputs=8, seed=0)
    x = torch.randn(2, 3, 8)
    for kind in ("msr-joint-fc", "mtsr-fc"):
        model = make_model(kind, family, seed=4)
        path = save_checkpoint(tmp_path / kind, model, task_spec=family.spec, steps=0, curve=[])
        loaded, record = load_checkpoint(path)
        assert record.model == kind
        assert record.layers[0].sharing == ("adapted" if kind == "msr-joint-fc" else "learned")
        outputs = [m(x, m.initial_filters(2)) for m in (model, loaded)]
        torch.testing.assert_close(outputs[0], outputs[1], rtol=1e-6, atol=1e-6)

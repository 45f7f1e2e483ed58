"""Outer steps of MAML over MSR-FC at the 1-D translation defaults: milliseconds per step.

* now         pltheory.msr: the inner step of all 32 tasks in one autograd call, U kept
              column by column so W = U v is one plain GEMM and W x one bmm whose
              gradients need no copies, Adam without torch.optim (pltheory.msr.optim);
* previous    the same vectorised step as this library computed it before: row-major U,
              einsum for W x, torch.optim.Adam;
* per-task    the way the original code does it: a Python loop over the tasks, each
              with its own autograd.grad(create_graph=True) inner step.

All three compute the same meta-gradient (asserted on the first batch). Then 1,000 outer
steps of ``pltheory train`` are timed end to end in a fresh process, start-up included
(imports, the 10,000-task family, evaluation every 100 steps, the checkpoint).

    python benchmarks/bench_msr.py [--quick] [--threads 1]
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import torch

from pltheory.msr.maml import query_losses, task_losses
from pltheory.msr.models import make_model
from pltheory.msr.optim import Adam
from pltheory.msr.tasks import translation_tasks

from timing import benchmark_arguments


def per_task_loss(model, xs, ys, xq, yq) -> torch.Tensor:
    """Mean query loss with one inner step per task, task by task."""
    losses = []
    for t in range(xs.shape[0]):
        v = [layer.v0 for layer in model.layers]
        inner = task_losses(model, xs[t:t + 1], ys[t:t + 1], [p[None] for p in v]).sum()
        grads = torch.autograd.grad(inner, v, create_graph=True)
        adapted = [(p - model.inner_lr * g)[None] for p, g in zip(v, grads)]
        losses.append(task_losses(model, xq[t:t + 1], yq[t:t + 1], adapted))
    return torch.cat(losses).mean()


def vectorised_loss(model, xs, ys, xq, yq) -> torch.Tensor:
    return query_losses(model, xs, ys, xq, yq).mean()


def previous_loss(model, xs, ys, xq, yq) -> torch.Tensor:
    """The previous layout: U row-major (a contiguous copy), W x by einsum."""
    layer = model.layers[0]
    U = model.previous_U

    def losses(x, y, v):
        W = (v @ U.T).reshape(v.shape[0], layer.out_features, layer.in_features)
        return ((torch.einsum("toi,tni->tno", W, x) - y) ** 2).mean(dim=(1, 2))

    v = layer.v0.expand(xs.shape[0], -1)
    grad = torch.autograd.grad(losses(xs, ys, v).sum(), v, create_graph=True)[0]
    return losses(xq, yq, v - model.inner_lr * grad).mean()


def previous_model(family):
    """MSR-FC with a row-major U parameter, as the previous layout kept it."""
    model = make_model("msr-fc", family, seed=0)
    model.previous_U = torch.nn.Parameter(model.layers[0].sharing.detach().contiguous())
    model.layers[0].sharing.requires_grad_(False)
    return model


def ms_per_step(loss_fn, model, optimizer, x, y, steps: int, meta_batch: int = 32) -> float:
    rng = np.random.default_rng(0)
    start = time.process_time()
    for _ in range(steps):
        idx = torch.as_tensor(rng.choice(x.shape[0], meta_batch, replace=False))
        xb, yb = x[idx], y[idx]
        loss = loss_fn(model, xb[:, :1], yb[:, :1], xb[:, 1:], yb[:, 1:])
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    return (time.process_time() - start) / steps * 1e3


def main() -> None:
    args = benchmark_arguments(__doc__, repeat=1)
    steps = 50 if args.quick else 300
    family = translation_tasks(rank=2, num_tasks=2000, seed=0)
    x, y = (torch.as_tensor(a) for a in family.split("train"))

    xb, yb = x[:32], y[:32]
    grads = []
    for fn in (vectorised_loss, per_task_loss, previous_loss):
        model = previous_model(family) if fn is previous_loss else make_model("msr-fc", family, seed=0)
        fn(model, xb[:, :1], yb[:, :1], xb[:, 1:], yb[:, 1:]).backward()
        U = model.previous_U if fn is previous_loss else model.layers[0].sharing
        grads.append([U.grad.clone(), model.layers[0].v0.grad.clone(), model.inner_lr.grad.clone()])
    assert all(torch.allclose(a, b, rtol=1e-4, atol=1e-6) for other in grads[1:] for a, b in zip(grads[0], other))

    rows = {}
    for name, fn in (("now", vectorised_loss), ("previous", previous_loss), ("per-task loop", per_task_loss)):
        model = previous_model(family) if fn is previous_loss else make_model("msr-fc", family, seed=0)
        params = [p for p in model.parameters() if p.requires_grad]  # previous_U is registered on the model
        optimizer = Adam(params) if name == "now" else torch.optim.Adam(params, lr=1e-3)
        ms_per_step(fn, model, optimizer, x, y, 10)  # warm-up
        rows[name] = ms_per_step(fn, model, optimizer, x, y, steps)
    print(f"MSR-FC, translation rank 2, meta-batch 32, 1 support / 19 query, CPU time per outer step "
          f"({steps} steps)")
    print(f"{'method':<16}{'ms / step':>11}{'vs now':>9}")
    for name, ms in rows.items():
        print(f"{name:<16}{ms:>11.2f}{ms / rows['now']:>8.1f}x")

    total = 200 if args.quick else 1000
    with tempfile.TemporaryDirectory() as folder:
        command = [str(Path(sys.executable).with_name("pltheory")), "train", "--task", "translation", "--rank", "2",
                   "--model", "msr-fc", "--steps", str(total), "--threads", str(args.threads), "--quiet",
                   "--out", str(Path(folder) / "run")]
        start = time.perf_counter()
        completed = subprocess.run(command, capture_output=True, text=True, check=True)
        wall = time.perf_counter() - start
    print(f"\npltheory train, {total} outer steps, {args.threads} thread(s), fresh process: {wall:.2f} s wall in all "
          f"(target 1,000 steps < 5 s)\n  {completed.stdout.strip()}")


if __name__ == "__main__":
    main()

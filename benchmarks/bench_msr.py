"""Outer steps per second of MAML over MSR-FC at the 1-D translation defaults.

* vectorised  pltheory.msr: the inner step of all 32 tasks of a meta-batch in one
              autograd call (per-task filters as one (T, k) tensor), second order;
* per-task    the way the original code does it: a Python loop over the tasks, each
              with its own autograd.grad(create_graph=True) inner step.

Both compute the same meta-gradient (asserted on the first batch). Then 1,000 outer steps
of the vectorised trainer are timed end to end (sampling, Adam, evaluation every 100).

    python benchmarks/bench_msr.py [--quick]
"""

from __future__ import annotations

import time

import numpy as np
import torch

from pltheory.msr.maml import query_losses, task_losses
from pltheory.msr.models import make_model
from pltheory.msr.tasks import translation_tasks
from pltheory.msr.train import train

from timing import benchmark_arguments, fmt_time


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


def steps_per_second(loss_fn, model, x, y, steps: int, meta_batch: int = 32) -> float:
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    rng = np.random.default_rng(0)
    start = time.perf_counter()
    for _ in range(steps):
        idx = torch.as_tensor(rng.integers(0, x.shape[0], meta_batch))
        xb, yb = x[idx], y[idx]
        loss = loss_fn(model, xb[:, :1], yb[:, :1], xb[:, 1:], yb[:, 1:])
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    return steps / (time.perf_counter() - start)


def main() -> None:
    args = benchmark_arguments(__doc__, repeat=1)
    steps = 50 if args.quick else 200
    family = translation_tasks(rank=2, num_tasks=2000 if args.quick else 10_000, seed=0)
    x, y = (torch.as_tensor(a) for a in family.split("train"))

    model = make_model("msr-fc", family, seed=0)
    xb, yb = x[:32], y[:32]
    grads = []
    for fn in (vectorised_loss, per_task_loss):
        model.zero_grad()
        fn(model, xb[:, :1], yb[:, :1], xb[:, 1:], yb[:, 1:]).backward()
        grads.append([p.grad.clone() for p in model.parameters()])
    assert all(torch.allclose(a, b, rtol=1e-4, atol=1e-6) for a, b in zip(*grads))

    rates = {}
    for name, fn in (("vectorised", vectorised_loss), ("per-task loop", per_task_loss)):
        rates[name] = steps_per_second(fn, make_model("msr-fc", family, seed=0), x, y, steps)
    print(f"MSR-FC, translation rank 2, meta-batch 32, 1 support / 19 query, torch threads {torch.get_num_threads()}")
    print(f"{'method':<16}{'outer steps/s':>15}")
    for name, rate in rates.items():
        print(f"{name:<16}{rate:>15.1f}")
    print(f"speed-up: {rates['vectorised'] / rates['per-task loop']:.1f}x")

    total = 200 if args.quick else 1000
    result = train(make_model("msr-fc", family, seed=0), family, steps=total, progress=False, device="cpu")
    print(f"{total} outer steps with the trainer (Adam, evaluation on 300 test tasks every 100 steps): "
          f"{fmt_time(result['seconds'])}, meta-test MSE {result['curve'][-1]['mse']:.3f} "
          f"(predicting 0: {family.label_variance():.3f})")


if __name__ == "__main__":
    main()

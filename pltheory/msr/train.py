"""Meta-training runs: sampling meta-batches, outer Adam steps, evaluation, checkpoints.

Examples
--------
>>> from pltheory.msr.tasks import translation_tasks
>>> from pltheory.msr.models import make_model
>>> family = translation_tasks(rank=1, num_tasks=200, seed=0)
>>> result = train(make_model("conv", family), family, steps=20, eval_every=10, eval_tasks=20, progress=False)
>>> [point["step"] for point in result["curve"]]
[0, 10, 20]
"""

from __future__ import annotations

import os
import re
import sys
import time

import numpy as np
import torch

from ..errors import ArgumentError
from ..families import cyclic, dihedral, symmetric
from ..gsets import GSet
from ..validate import check_choice, check_integer
from .lifting import LiftingConv, lifting_tasks
from .maml import MetaModel, episodes, evaluate, query_losses, task_losses
from .optim import Adam
from .tasks import TaskFamily, equivariant_tasks, family_name, image_gset, translation_tasks

TASKS = ("translation", "rotation", "rotation-flip", "permutation", "cyclic", "dihedral", "lifting-p4", "lifting-p4m")

#: How an episode's support examples are chosen ([`train`][pltheory.msr.train.train]'s ``split``).
SPLITS = ("first", "random")

#: How a model is trained ([`train`][pltheory.msr.train.train]'s ``method``): MAML (MSR and
#: the baselines) or multi-task learning (MTSR).
METHODS = ("maml", "multitask")

#: Multiply-adds of one outer step's forward pass from which training uses every core
#: ([`default_threads`][pltheory.msr.train.default_threads]); below it, one thread.
THREADED_WORK = 50_000_000


def task_family(task: str, *, rank: int = 1, size: int = 6, points: int = 6, num_tasks: int | None = None,
                num_train: int | None = None, seed: int = 0, depth: int = 1) -> TaskFamily:
    """A named family: translation (rank k), rotation (C_4 with translations on size x size
    periodic images), rotation-flip (D_4 likewise), permutation (S_n on n points), cyclic
    and dihedral (C_n and D_n on the n points of a periodic 1-D signal, n = ``points``),
    lifting-p4 and lifting-p4m (lifting convolutions of size x size images to 3 regular
    fields of C_4 or D_4, [`lifting_tasks`][pltheory.msr.lifting.lifting_tasks], 1,000 tasks).
    ``num_train`` of its tasks are for meta-training (default 80%), the rest for meta-testing.
    Every family but translation takes a ``depth``: each task a G-equivariant ReLU network
    of that many layers ([`equivariant_tasks`][pltheory.msr.tasks.equivariant_tasks]).

    >>> from pltheory.msr.train import task_family
    >>> family = task_family("rotation", size=3, num_tasks=4)
    >>> family.name, family.gset.group.name, family.x.shape
    ('rotation', 'p4 on 3x3', (4, 20, 9))
    >>> task_family("dihedral", points=12, num_tasks=4, depth=2).name
    'D12 on natural, depth 2'
    """
    if task == "translation":
        if depth != 1:
            raise ArgumentError(f"the translation family is one linear map R^70 -> R^68: depth must be 1, got {depth}")
        return translation_tasks(rank, num_tasks=num_tasks or 10_000, num_train=num_train, seed=seed)
    if task in ("lifting-p4", "lifting-p4m"):
        if depth != 1:
            raise ArgumentError(f"a lifting family is one lifting convolution: depth must be 1, got {depth}")
        return lifting_tasks(task.removeprefix("lifting-"), num_tasks=num_tasks or 1_000, num_train=num_train,
                             size=size, seed=seed)
    named = {"rotation": lambda: image_gset(size), "rotation-flip": lambda: image_gset(size, flips=True),
             "permutation": lambda: GSet.natural(symmetric(points)), "cyclic": lambda: GSet.natural(cyclic(points)),
             "dihedral": lambda: GSet.natural(dihedral(points))}
    if task not in named:
        raise ArgumentError(f"unknown task {task!r}; tasks: {', '.join(TASKS)}")
    name = None if task in ("cyclic", "dihedral") else family_name(task, depth)  # "C12 on natural" says n
    return equivariant_tasks(named[task](), num_tasks=num_tasks or 2_000, num_train=num_train, seed=seed, name=name,
                             depth=depth)


def default_device() -> str:
    """"cuda" when torch sees a GPU, else "cpu".

    >>> import torch
    >>> from pltheory.msr.train import default_device
    >>> default_device() == ("cuda" if torch.cuda.is_available() else "cpu")
    True
    """
    return "cuda" if torch.cuda.is_available() else "cpu"


def check_device(device: str | None) -> str | None:
    """``device`` if training can run there: None (the default device), "cpu", "cuda" or
    "cuda:N" for a GPU torch sees; else [`ArgumentError`][pltheory.errors.ArgumentError].

    Examples
    --------
    >>> check_device("cpu")
    'cpu'
    >>> check_device("tpu")
    Traceback (most recent call last):
    ...
    pltheory.errors.ArgumentError: unknown device 'tpu'; use cpu, cuda or cuda:N
    """
    if device is None:
        return None
    if not isinstance(device, str) or not re.fullmatch(r"cpu|cuda(:[0-9]{1,3})?", device):
        raise ArgumentError(f"unknown device {str(device)[:40]!r}; use cpu, cuda or cuda:N")
    index = int(device.partition(":")[2] or 0)
    if device.startswith("cuda") and (not torch.cuda.is_available() or index >= torch.cuda.device_count()):
        raise ArgumentError(f"device {device} is not available here; use cpu")
    return device


def default_threads(model: MetaModel, family: TaskFamily, meta_batch: int) -> int:
    """Torch threads for training: 1 when an outer step's forward pass is under
    `THREADED_WORK` multiply-adds (the paper's layers: 32 tasks x 20 examples x 68 x 70 is 3
    million), else every core. Measured here: the default 2 threads made a 1,000-step MSR-FC
    run take 106 s of CPU against 12.5 s on one thread, spinning under load.

    >>> from pltheory.msr.models import make_model
    >>> from pltheory.msr.tasks import translation_tasks
    >>> family = translation_tasks(num_tasks=10, seed=0)
    >>> default_threads(make_model("msr-fc", family), family, 32)
    1
    """
    examples = family.x.shape[1]
    work = meta_batch * examples * sum(layer.out_features * (9 if isinstance(layer, LiftingConv) else layer.in_features)
                                       for layer in model.layers)  # a lifting convolution sums 3 x 3 taps
    return 1 if work < THREADED_WORK else max(1, os.cpu_count() or 1)


#: How the test tasks of an evaluation are chosen ([`train`][pltheory.msr.train.train]'s ``test_tasks``).
TEST_TASKS = ("first", "random")

#: Inner learning rates tried when fitting MTSR's ([`fit_inner_lr`][pltheory.msr.train.fit_inner_lr]): a log grid.
INNER_LR_GRID = tuple(float(lr) for lr in np.logspace(-4, 1, 26))


def train(model: MetaModel, family: TaskFamily, *, steps: int = 1000, meta_batch: int = 32, support: int = 1,
          inner_steps: int = 1, first_order: bool = False, split: str = "random", test_tasks: str = "random",
          method: str = "maml", outer_lr: float = 1e-3, eval_every: int = 100, eval_tasks: int = 300, seed: int = 0,
          device: str | None = None, progress: bool = True) -> dict:
    """Meta-train ``model`` on the family's training tasks; returns the evaluation curve
    (query MSE on meta-test tasks every ``eval_every`` steps) and the timing.

    ``method`` "maml" (MSR and the MAML baselines): each outer step samples ``meta_batch``
    distinct training tasks, adapts their filters by ``inner_steps`` SGD steps on
    ``support`` examples ([`adapt`][pltheory.msr.maml.adapt]), and takes an Adam step
    (``outer_lr``) on the mean query MSE of the other examples. ``first_order`` drops the
    second-order terms (the inner gradients are constants of the outer step, first-order
    MAML); the default differentiates through the inner loop.

    ``method`` "multitask" (MTSR): no inner loop while training. Every training task has
    its own filters, and they are fitted with the sharing U by Adam on the mean MSE over
    all examples of ``meta_batch`` sampled tasks: multi-task learning. The initial
    filters v0 are the mean of the tasks' filters and the inner learning rate the best of
    `INNER_LR_GRID` on training episodes ([`fit_inner_lr`][pltheory.msr.train.fit_inner_lr]); meta-test tasks
    then adapt exactly as MSR's do.

    ``split`` chooses each episode's support examples: "random" (default: a fresh random
    subset every time the task is drawn, as the paper's official code does; the paper does
    not say) or "first" (the first ``support`` of the task, always the same). ``test_tasks``
    chooses the evaluated test tasks: "random" (default: a fresh random draw each
    evaluation, with random support sets, as the official code does) or "first" (the first
    ``eval_tasks``, their first examples as support). ``pltheory train`` has the same
    defaults. ``seed`` seeds torch and the sampling;
    ``device`` None is [`default_device`][pltheory.msr.train.default_device]; the model is
    moved back to the CPU at the end.

    Returns
    -------
    dict
        ``curve`` (a list of {"step", "mse", "ci95", "tasks"}, with "train_loss" after step
        0), ``seconds``, ``steps_per_second`` and ``device``.

    Examples
    --------
    >>> from pltheory.msr.models import make_model
    >>> from pltheory.msr.tasks import translation_tasks
    >>> from pltheory.msr.train import train
    >>> family = translation_tasks(num_tasks=10, inputs=6, seed=0)
    >>> result = train(make_model("conv", family), family, steps=2, eval_every=1, eval_tasks=2, device="cpu",
    ...                progress=False)
    >>> [point["step"] for point in result["curve"]], result["device"]
    ([0, 1, 2], 'cpu')
    """
    support = check_integer(support, "support", 1, family.x.shape[1] - 1)  # at least one query example
    split = check_choice(split, "split", SPLITS)
    test_tasks = check_choice(test_tasks, "test_tasks", TEST_TASKS)
    method = check_choice(method, "method", METHODS)
    inner_steps = check_integer(inner_steps, "inner_steps", 1)
    device = device or default_device()
    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    test_rng = np.random.default_rng([seed, 1]) if test_tasks == "random" else None  # apart from training's draws
    model.to(device)
    x_train, y_train = (torch.as_tensor(a, device=device) for a in family.split("train"))
    num_train = x_train.shape[0]
    own = ([torch.zeros(num_train, layer.k, device=device, requires_grad=True) for layer in model.layers]
           if method == "multitask" else [])
    optimizer = Adam([*model.parameters(), *own], lr=outer_lr)

    def point(step: int) -> dict:
        if method == "multitask":
            _set_multitask_start(model, family, own, support, inner_steps, device)
        return {"step": step, **evaluate(model, family, tasks=eval_tasks, support=support, steps=inner_steps,
                                         device=device, rng=test_rng)}

    curve = [point(0)]
    start = time.perf_counter()
    recent = []
    for step in range(1, steps + 1):
        idx = torch.as_tensor(rng.choice(num_train, meta_batch, replace=meta_batch > num_train), device=device)
        if method == "multitask":  # every example of each task, with the task's own filters
            loss = task_losses(model, x_train[idx], y_train[idx], [table[idx] for table in own]).mean()
        else:
            batch = episodes(x_train[idx], y_train[idx], support, rng if split == "random" else None)
            loss = query_losses(model, *batch, inner_steps, create_graph=not first_order).mean()
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        recent.append(float(loss.detach()))
        if step % eval_every == 0 or step == steps:
            curve.append({**point(step), "train_loss": float(np.mean(recent))})
            recent = []
        if progress and (step % max(1, steps // 50) == 0 or step == steps):
            _progress(step, steps, float(loss.detach()), curve[-1]["mse"], time.perf_counter() - start)
    if progress:
        print(file=sys.stderr)
    seconds = time.perf_counter() - start
    model.to("cpu")
    return {"curve": curve, "seconds": seconds, "steps_per_second": steps / seconds if seconds > 0 else None,
            "device": device}


def _set_multitask_start(model: MetaModel, family: TaskFamily, own: list[torch.Tensor], support: int,
                         inner_steps: int, device: str) -> None:
    """MTSR's meta-test start: v0 the mean of the training tasks' filters, the inner
    learning rate fitted on training episodes."""
    with torch.no_grad():
        for layer, table in zip(model.layers, own):
            layer.v0.copy_(table.mean(dim=0))
    model.inner_lr.data.fill_(fit_inner_lr(model, family, support=support, steps=inner_steps, device=device))


def fit_inner_lr(model: MetaModel, family: TaskFamily, *, support: int = 1, steps: int = 1, tasks: int = 300,
                 device: str = "cpu") -> float:
    """The inner learning rate of `INNER_LR_GRID` with the least query MSE on the
    first ``tasks`` training tasks (their first ``support`` examples as support), the
    model's U and v0 fixed: how MTSR chooses the step its meta-test tasks adapt with.

    >>> from pltheory.msr.models import make_model
    >>> from pltheory.msr.tasks import translation_tasks
    >>> family = translation_tasks(num_tasks=20, inputs=6, seed=0)
    >>> fit_inner_lr(make_model("conv", family), family) in INNER_LR_GRID
    True
    """
    x, y = (torch.as_tensor(a[:tasks], device=device) for a in family.split("train"))
    batch = episodes(x, y, support)
    kept = float(model.inner_lr.detach())
    losses = []
    for lr in INNER_LR_GRID:
        model.inner_lr.data.fill_(lr)
        loss = float(query_losses(model, *batch, steps, create_graph=False).mean().detach())
        losses.append(loss if np.isfinite(loss) else np.inf)
    model.inner_lr.data.fill_(kept)
    return INNER_LR_GRID[int(np.argmin(losses))]  # the model holds it in float32


def _progress(step: int, steps: int, loss: float, test_mse: float, seconds: float) -> None:
    done = int(30 * step / steps)
    sys.stderr.write(f"\r[{'#' * done}{'.' * (30 - done)}] step {step}/{steps}  loss {loss:.4f}  "
                     f"test mse {test_mse:.4f}  {seconds:.0f}s")
    sys.stderr.flush()

"""MAML over shared linear layers: the inner loop adapts only the per-task filters v.

For a meta-batch of T tasks, the filters are a (T, k) tensor per layer. The inner loss is
the *sum* over tasks of each task's mean squared error, so its gradient with respect to
the (T, k) filters holds every task's own gradient: one autograd call adapts all tasks,
with no per-task Python loop. With ``create_graph=True`` the outer gradient flows through
the inner step (second order) into U, the initial filters v0 and the learned inner
learning rate.

Examples
--------
>>> import torch
>>> from pltheory.msr.layers import Convolution1d
>>> model = MetaModel([Convolution1d(70, 3)])
>>> x, y = torch.randn(4, 20, 70), torch.randn(4, 20, 68)
>>> query_losses(model, x[:, :1], y[:, :1], x[:, 1:], y[:, 1:]).shape
torch.Size([4])
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import torch
from torch import nn

from .layers import SharedLinear
from .tasks import TaskFamily


class MetaModel(nn.Module):
    """Shared linear layers with ReLU between them, and a learned inner learning rate.

    >>> from pltheory.msr.layers import Convolution1d, FullyConnected
    >>> from pltheory.msr.maml import MetaModel
    >>> model = MetaModel([Convolution1d(6, 3), FullyConnected(4, 2)], inner_lr=0.5)
    >>> [layer.k for layer in model.layers], model.inner_lr.detach().item()
    ([3, 8], 0.5)
    """

    def __init__(self, layers: Sequence[SharedLinear], inner_lr: float = 0.1, kind: str = "custom") -> None:
        super().__init__()
        self.layers = nn.ModuleList(layers)
        self.inner_lr = nn.Parameter(torch.tensor(float(inner_lr)))
        self.kind = kind

    def initial_filters(self, tasks: int) -> list[torch.Tensor]:
        """The meta-learned initial filters v0 of every layer, one row per task: (tasks, k).

        >>> from pltheory.msr.layers import Convolution1d
        >>> from pltheory.msr.maml import MetaModel
        >>> print([v.shape for v in MetaModel([Convolution1d(6, 3)]).initial_filters(2)])
        [torch.Size([2, 3])]
        """
        return [layer.v0.expand(tasks, -1) for layer in self.layers]

    def forward(self, x: torch.Tensor, filters: Sequence[torch.Tensor]) -> torch.Tensor:
        """x (T, N, in) with per-task filters -> (T, N, out).

        >>> import torch
        >>> from pltheory.msr.layers import Convolution1d
        >>> from pltheory.msr.maml import MetaModel
        >>> model = MetaModel([Convolution1d(6, 3)])
        >>> model(torch.ones(2, 5, 6), model.initial_filters(2)).shape
        torch.Size([2, 5, 4])
        """
        for i, (layer, v) in enumerate(zip(self.layers, filters)):
            x = layer(x, v)
            if i < len(self.layers) - 1:
                x = torch.relu(x)
        return x


def task_losses(model: MetaModel, x: torch.Tensor, y: torch.Tensor, filters: Sequence[torch.Tensor]) -> torch.Tensor:
    """Mean squared error of each task, shape (T,).

    >>> import torch
    >>> from pltheory.msr.layers import Convolution1d
    >>> from pltheory.msr.maml import MetaModel, task_losses
    >>> model = MetaModel([Convolution1d(6, 3)])               # W = 0 at the start
    >>> task_losses(model, torch.ones(2, 5, 6), torch.ones(2, 5, 4), model.initial_filters(2)).tolist()
    [1.0, 1.0]
    """
    return ((model(x, filters) - y) ** 2).mean(dim=(1, 2))


def adapt(model: MetaModel, x: torch.Tensor, y: torch.Tensor, steps: int = 1,
          create_graph: bool = True) -> list[torch.Tensor]:
    """Filters after ``steps`` SGD steps on the support set (x, y), all tasks at once.

    >>> import torch
    >>> from pltheory.msr.layers import Convolution1d
    >>> from pltheory.msr.maml import MetaModel, adapt
    >>> model = MetaModel([Convolution1d(6, 3)], inner_lr=0.1)
    >>> adapt(model, torch.ones(2, 5, 6), torch.ones(2, 5, 4))[0].detach().double().numpy().round(3).tolist()
    [[0.2, 0.2, 0.2], [0.2, 0.2, 0.2]]
    """
    filters = model.initial_filters(x.shape[0])
    for _ in range(steps):
        loss = task_losses(model, x, y, filters).sum()  # tasks are independent: per-task gradients
        grads = torch.autograd.grad(loss, filters, create_graph=create_graph)
        filters = [v - model.inner_lr * g for v, g in zip(filters, grads)]
    return filters


def query_losses(model: MetaModel, x_support: torch.Tensor, y_support: torch.Tensor, x_query: torch.Tensor,
                 y_query: torch.Tensor, steps: int = 1, create_graph: bool = True) -> torch.Tensor:
    """Query MSE of each task after adapting on its support set, shape (T,).

    >>> import torch
    >>> from pltheory.msr.layers import Convolution1d
    >>> from pltheory.msr.maml import MetaModel, query_losses
    >>> x, y = torch.ones(2, 5, 6), torch.ones(2, 5, 4)
    >>> losses = query_losses(MetaModel([Convolution1d(6, 3)]), x[:, :1], y[:, :1], x[:, 1:], y[:, 1:])
    >>> losses.detach().double().numpy().round(3).tolist()        # W x = 0.6 after one step
    [0.16, 0.16]
    """
    filters = adapt(model, x_support, y_support, steps, create_graph)
    return task_losses(model, x_query, y_query, filters)


def episodes(x: torch.Tensor, y: torch.Tensor, support: int, rng: np.random.Generator | None = None
             ) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor]:
    """Support and query sets of tasks x (T, N, in), y (T, N, out): the first ``support``
    examples of each task and the rest, or with ``rng`` a fresh random subset of each
    task's examples (as the paper's official code draws them), x and y kept together.

    >>> import numpy as np, torch
    >>> x = torch.arange(6.0).reshape(1, 3, 2); y = x[:, :, :1]
    >>> xs, ys, xq, yq = episodes(x, y, 1)
    >>> xs.tolist(), yq.tolist()
    ([[[0.0, 1.0]]], [[[2.0], [4.0]]])
    >>> xs, ys, xq, yq = episodes(x, y, 1, np.random.default_rng(1))
    >>> bool((xs[..., :1] == ys).all() and (xq[..., :1] == yq).all())
    True
    """
    if rng is not None:  # one row gather of the (tasks x examples) rows in each task's new order
        tasks, examples = x.shape[:2]
        order = rng.permuted(np.tile(np.arange(examples), (tasks, 1)), axis=1) + examples * np.arange(tasks)[:, None]
        rows = torch.as_tensor(order.ravel(), device=x.device)
        x = x.reshape(tasks * examples, -1)[rows].reshape(tasks, examples, -1)
        y = y.reshape(tasks * examples, -1)[rows].reshape(tasks, examples, -1)
    return x[:, :support], y[:, :support], x[:, support:], y[:, support:]


def evaluate(model: MetaModel, family: TaskFamily, *, tasks: int = 300, support: int = 1, steps: int = 1,
             device: str = "cpu", rng: np.random.Generator | None = None) -> dict:
    """Mean query MSE over ``tasks`` meta-test tasks with a 95% interval: the first ones,
    each with its first ``support`` examples as support set, or with ``rng`` (as the
    paper's official code evaluates) as many random test tasks, without repetition, each
    with a random support set ([`episodes`][pltheory.msr.maml.episodes]).

    >>> from pltheory.msr.maml import evaluate
    >>> from pltheory.msr.models import make_model
    >>> from pltheory.msr.tasks import translation_tasks
    >>> family = translation_tasks(num_tasks=10, inputs=6, seed=0)
    >>> result = evaluate(make_model("conv", family), family, tasks=2)
    >>> sorted(result), result["tasks"]
    (['ci95', 'mse', 'tasks'], 2)
    """
    x, y = family.split("test")
    chosen = (np.arange(min(tasks, x.shape[0])) if rng is None
              else np.sort(rng.choice(x.shape[0], min(tasks, x.shape[0]), replace=False)))
    x = torch.as_tensor(x[chosen], device=device)
    y = torch.as_tensor(y[chosen], device=device)
    losses = []
    for start in range(0, x.shape[0], 100):
        batch = episodes(x[start:start + 100], y[start:start + 100], support, rng)
        loss = query_losses(model, *batch, steps, create_graph=False)
        losses.append(loss.detach().cpu().numpy())
    values = np.concatenate(losses)
    return {"mse": float(values.mean()), "ci95": float(1.96 * values.std(ddof=1) / np.sqrt(len(values)))
            if len(values) > 1 else 0.0, "tasks": int(len(values))}

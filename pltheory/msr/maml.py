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

from ..equivariant import equivariant_basis
from ..groups import group
from ..gsets import GSet
from .layers import (
    Convolution1d,
    Convolution2d,
    EquivariantLinear,
    FullyConnected,
    LocallyConnected,
    MSRConv2d,
    MSRLinear,
    SharedLinear,
)
from .record import MODEL_KINDS
from .tasks import TaskFamily, image_gset


class MetaModel(nn.Module):
    """Shared linear layers with ReLU between them, and a learned inner learning rate."""

    def __init__(self, layers: Sequence[SharedLinear], inner_lr: float = 0.1, kind: str = "custom") -> None:
        super().__init__()
        self.layers = nn.ModuleList(layers)
        self.inner_lr = nn.Parameter(torch.tensor(float(inner_lr)))
        self.kind = kind

    def initial_filters(self, tasks: int) -> list[torch.Tensor]:
        return [layer.v0.expand(tasks, -1) for layer in self.layers]

    def forward(self, x: torch.Tensor, filters: Sequence[torch.Tensor]) -> torch.Tensor:
        """x (T, N, in) with per-task filters -> (T, N, out)."""
        for i, (layer, v) in enumerate(zip(self.layers, filters)):
            x = layer(x, v)
            if i < len(self.layers) - 1:
                x = torch.relu(x)
        return x


def task_losses(model: MetaModel, x: torch.Tensor, y: torch.Tensor, filters: Sequence[torch.Tensor]) -> torch.Tensor:
    """Mean squared error of each task, shape (T,)."""
    return ((model(x, filters) - y) ** 2).mean(dim=(1, 2))


def adapt(model: MetaModel, x: torch.Tensor, y: torch.Tensor, steps: int = 1,
          create_graph: bool = True) -> list[torch.Tensor]:
    """Filters after ``steps`` SGD steps on the support set (x, y), all tasks at once."""
    filters = model.initial_filters(x.shape[0])
    for _ in range(steps):
        loss = task_losses(model, x, y, filters).sum()  # tasks are independent: per-task gradients
        grads = torch.autograd.grad(loss, filters, create_graph=create_graph)
        filters = [v - model.inner_lr * g for v, g in zip(filters, grads)]
    return filters


def query_losses(model: MetaModel, x_support: torch.Tensor, y_support: torch.Tensor, x_query: torch.Tensor,
                 y_query: torch.Tensor, steps: int = 1, create_graph: bool = True) -> torch.Tensor:
    """Query MSE of each task after adapting on its support set, shape (T,)."""
    filters = adapt(model, x_support, y_support, steps, create_graph)
    return task_losses(model, x_query, y_query, filters)


def evaluate(model: MetaModel, family: TaskFamily, *, tasks: int = 300, support: int = 1, steps: int = 1,
             device: str = "cpu") -> dict:
    """Mean query MSE over the first ``tasks`` meta-test tasks with a 95% interval."""
    x, y = family.split("test")
    x = torch.as_tensor(x[:tasks], device=device)
    y = torch.as_tensor(y[:tasks], device=device)
    losses = []
    for start in range(0, x.shape[0], 100):
        xb, yb = x[start:start + 100], y[start:start + 100]
        loss = query_losses(model, xb[:, :support], yb[:, :support], xb[:, support:], yb[:, support:],
                            steps, create_graph=False)
        losses.append(loss.detach().cpu().numpy())
    values = np.concatenate(losses)
    return {"mse": float(values.mean()), "ci95": float(1.96 * values.std(ddof=1) / np.sqrt(len(values)))
            if len(values) > 1 else 0.0, "tasks": int(len(values))}


def make_model(kind: str, family: TaskFamily, *, sharing_dim: int | None = None, seed: int = 0,
               inner_lr: float = 0.1) -> MetaModel:
    """One layer of the given kind for a task family.

    fc, msr-fc: any family. lc, conv: the 1-D translation family (3-tap filters).
    conv, msr-conv: image families (full-size circular kernels). equivariant: a family
    made by :func:`~pltheory.msr.tasks.equivariant_tasks` (the orbit sharing of its group).
    ``sharing_dim`` is k for MSR (default: the dimension of the family's true sharing
    subspace, 3 x rank for translations, dim Hom_G(Fun X, Fun X) for equivariant families).
    """
    torch.manual_seed(seed)
    spec = family.spec
    n_in, n_out = family.in_features, family.out_features
    image = spec.get("task") == "equivariant" and spec.get("group", "").startswith("p4")
    if kind == "fc":
        layer = FullyConnected(n_in, n_out)
    elif kind == "msr-fc":
        layer = MSRLinear(n_in, n_out, sharing_dim or _true_dimension(family), seed=seed)
    elif kind in ("lc", "conv") and spec.get("task") == "translation":
        layer = (LocallyConnected if kind == "lc" else Convolution1d)(n_in, spec["width"])
    elif kind in ("conv", "msr-conv") and image:
        size = int(round(np.sqrt(n_in)))
        layer = (Convolution2d(size, size) if kind == "conv"
                 else MSRConv2d(size, size, sharing_dim or _true_dimension(family), seed=seed))
    elif kind == "equivariant" and spec.get("task") == "equivariant":
        layer = EquivariantLinear(*(2 * [family_gset(spec["group"], spec["set"], n_in)]))
    else:
        raise ValueError(f"model {kind!r} does not apply to the family {family.name!r}; "
                         f"kinds: {', '.join(MODEL_KINDS)}")
    return MetaModel([layer], inner_lr=inner_lr, kind=kind)


def _true_dimension(family: TaskFamily) -> int:
    spec = family.spec
    if spec.get("task") == "translation":
        return 3 * spec["rank"]
    X = family_gset(spec["group"], spec["set"], family.in_features)
    return equivariant_basis(X, X).dim


def family_gset(group_name: str, set_name: str, size: int) -> GSet:
    """The G-set an equivariant task family was made on, rebuilt from its recorded group
    and set names (``size`` = |X|)."""
    if group_name.startswith("p4"):
        return image_gset(int(round(np.sqrt(size))), flips=group_name.startswith("p4m"))
    return GSet.from_spec(group(group_name), set_name)

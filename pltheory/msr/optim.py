"""Adam for the outer loop, without ``torch.optim``.

Any use of ``torch.optim`` imports ``torch._dynamo`` (its methods are wrapped for
``torch.compile``): about 1 s here, a third of a 1,000-step training run. The outer loop
needs only Adam (Kingma and Ba 2015) with torch's defaults, which is a few tensor
operations per parameter; [`Adam`][pltheory.msr.optim.Adam] computes exactly what
``torch.optim.Adam`` computes (the test suite compares their trajectories).

Examples
--------
>>> import torch
>>> p = torch.nn.Parameter(torch.tensor([1.0, -2.0]))
>>> optimizer = Adam([p], lr=0.1)
>>> (p ** 2).sum().backward()
>>> optimizer.step()
>>> [round(x, 4) for x in p.detach().tolist()]     # step 1: each entry moves by lr against its gradient
[0.9, -1.9]
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import torch


class Adam:
    """Adam with bias correction: for each parameter p with gradient g at step t,
    m <- b1 m + (1 - b1) g, s <- b2 s + (1 - b2) g^2, and
    p <- p - lr m / (1 - b1^t) / (sqrt(s / (1 - b2^t)) + eps), as ``torch.optim.Adam``
    (no weight decay, no amsgrad). Parameters without a gradient are skipped.
    O(total parameter size) per step.

    Parameters
    ----------
    params:
        The parameters to optimise (``model.parameters()``).
    lr, betas, eps:
        As for ``torch.optim.Adam`` (defaults 1e-3, (0.9, 0.999), 1e-8).

    Examples
    --------
    >>> import torch
    >>> p = torch.nn.Parameter(torch.zeros(3))
    >>> optimizer = Adam([p])
    >>> p.grad = torch.ones(3)
    >>> optimizer.step(); optimizer.zero_grad(); p.grad is None
    True
    """

    def __init__(self, params: Iterable[torch.nn.Parameter], lr: float = 1e-3,
                 betas: tuple[float, float] = (0.9, 0.999), eps: float = 1e-8) -> None:
        self.params = list(params)
        self.lr, (self.beta1, self.beta2), self.eps = lr, betas, eps
        self.moments = [torch.zeros_like(p) for p in self.params]
        self.squares = [torch.zeros_like(p) for p in self.params]
        self.steps = 0

    def zero_grad(self) -> None:
        """Forget the gradients (set them to None, as ``torch.optim`` does by default)."""
        for p in self.params:
            p.grad = None

    @torch.no_grad()
    def step(self) -> None:
        """One Adam step on every parameter that has a gradient."""
        self.steps += 1
        step_size = self.lr / (1 - self.beta1 ** self.steps)
        root_correction = math.sqrt(1 - self.beta2 ** self.steps)
        for p, m, s in zip(self.params, self.moments, self.squares):
            if p.grad is None:
                continue
            m.lerp_(p.grad, 1 - self.beta1)
            s.mul_(self.beta2).addcmul_(p.grad, p.grad, value=1 - self.beta2)
            p.addcdiv_(m, (s.sqrt() / root_correction).add_(self.eps), value=-step_size)

"""Linear layers with shared weights: vec(W) = U v (row-major vec, as in the orbit basis).

U is shared by all tasks; v is per task. A layer holds U (learned, fixed, or the identity)
and the meta-learned initial filter v0; its forward pass takes the per-task filters v as
an argument, so a batch of T tasks runs as one batched product.

* [`MSRLinear`][pltheory.msr.layers.MSRLinear] learns U (m n x k), the MSR layer;
* [`EquivariantLinear`][pltheory.msr.layers.EquivariantLinear] fixes U to the orbit sharing matrix of Hom_G(Fun X, Fun
Y):
  every W it produces is exactly G-equivariant;
* [`FullyConnected`][pltheory.msr.layers.FullyConnected], [`LocallyConnected`][pltheory.msr.layers.LocallyConnected],
[`Convolution1d`][pltheory.msr.layers.Convolution1d] are the MAML
  baselines (U = I, a separate filter per output, one shared filter);
* [`MSRConv2d`][pltheory.msr.layers.MSRConv2d] learns the sharing of a circular 2-D convolution's taps (vec(W) =
  B U v, B placing taps), [`Convolution2d`][pltheory.msr.layers.Convolution2d] is its MAML-Conv baseline.

Examples
--------
>>> import pltheory as pt
>>> X = pt.GSet.natural(pt.cyclic(5))
>>> layer = EquivariantLinear(X, X)
>>> layer.k                               # circulant matrices: one parameter per orbit
5
"""

from __future__ import annotations

import math

import numpy as np
import torch
from torch import nn

from ..equivariant import equivariant_basis
from ..errors import ArgumentError
from ..gsets import GSet


class SharedLinear(nn.Module):
    """y = W x with vec(W) = U v, W of shape (out, in).

    Parameters
    ----------
    in_features, out_features:
        Sizes of x and y.
    sharing:
        U as an (out * in, k) array, or ``None`` for the identity (v = vec W, k = out * in).
    learn_sharing:
        Whether U is a parameter (MSR) or a fixed buffer.
    base:
        An optional fixed matrix B (out * in, r) with vec(W) = B U v: U then has r rows
        (an MSR convolution learns U over kernel taps, B places the taps).

    Examples
    --------
    Two outputs that share their three weights (W = [[a, b, c], [a, b, c]]):

    >>> import numpy as np, torch
    >>> from pltheory.msr.layers import SharedLinear
    >>> layer = SharedLinear(3, 2, np.kron(np.ones((2, 1)), np.eye(3)))
    >>> layer, layer.v0.shape
    (SharedLinear(shared: 3 -> 2, k=3), torch.Size([3]))
    """

    def __init__(self, in_features: int, out_features: int, sharing: np.ndarray | torch.Tensor | None = None,
                 learn_sharing: bool = False, kind: str = "shared", base: np.ndarray | None = None) -> None:
        super().__init__()
        self.in_features, self.out_features, self.kind = in_features, out_features, kind
        rows = in_features * out_features
        if base is None:
            self.base = None
        else:
            self.register_buffer("base", _column_major(base))
            rows = self.base.shape[1]
        if sharing is None:
            self.sharing = None
            self.k = rows
        else:
            U = _column_major(sharing)
            if U.shape[0] != rows:
                raise ArgumentError(f"sharing matrix has {U.shape[0]} rows, expected {rows}")
            self.k = int(U.shape[1])
            if learn_sharing:
                self.sharing = nn.Parameter(U)
            else:
                self.register_buffer("sharing", U)
        # the meta-learned initial filter starts at 0 (W = 0)
        self.v0 = nn.Parameter(torch.zeros(self.k))

    @property
    def latent(self) -> int:
        """Size of the filters v that U maps to W: ``k`` (MSR-Joint's tasks adapt U too, so
        its ``k`` counts U's entries and its ``latent`` v's alone).

        >>> from pltheory.msr.layers import FullyConnected
        >>> FullyConnected(3, 2).latent
        6
        """
        return self.k

    def weight(self, v: torch.Tensor) -> torch.Tensor:
        """W for each task: v (T, k) -> (T, out, in).

        >>> import numpy as np, torch
        >>> from pltheory.msr.layers import SharedLinear
        >>> layer = SharedLinear(3, 2, np.kron(np.ones((2, 1)), np.eye(3)))
        >>> layer.weight(torch.tensor([[1.0, 2.0, 3.0]])).tolist()
        [[[1.0, 2.0, 3.0], [1.0, 2.0, 3.0]]]
        """
        flat = v if self.sharing is None else v @ self.sharing.T  # U.T is contiguous: a plain GEMM
        if self.base is not None:
            flat = flat @ self.base.T
        return flat.reshape(v.shape[0], self.out_features, self.in_features)

    def effective_sharing(self) -> torch.Tensor:
        """The full (out * in, k) sharing matrix B U (or U, or I).

        >>> from pltheory.msr.layers import Convolution2d, FullyConnected
        >>> FullyConnected(3, 2).effective_sharing().shape, Convolution2d(4, 3).effective_sharing().shape
        (torch.Size([6, 6]), torch.Size([256, 9]))
        """
        U = self.sharing if self.sharing is not None else torch.eye(self.k)
        return U if self.base is None else self.base @ U

    def forward(self, x: torch.Tensor, v: torch.Tensor) -> torch.Tensor:
        """x (T, N, in), v (T, k) -> (T, N, out).

        >>> import numpy as np, torch
        >>> from pltheory.msr.layers import SharedLinear
        >>> layer = SharedLinear(3, 2, np.kron(np.ones((2, 1)), np.eye(3)))
        >>> layer(torch.ones(1, 1, 3), torch.tensor([[1.0, 2.0, 3.0]])).tolist()
        [[[6.0, 6.0]]]
        """
        # (W x^T)^T: the gradient of W comes out contiguous (no copies in the backward pass),
        # and the result, a transposed view, feeds the next layer's product as it is
        return torch.bmm(self.weight(v), x.transpose(1, 2)).transpose(1, 2)

    def extra_repr(self) -> str:
        """The kind, sizes and number of free filter entries, as the module's repr shows them.

        >>> from pltheory.msr.layers import FullyConnected
        >>> FullyConnected(4, 3).extra_repr()
        'fc: 4 -> 3, k=12'
        """
        return f"{self.kind}: {self.in_features} -> {self.out_features}, k={self.k}"


def _column_major(matrix: np.ndarray | torch.Tensor) -> torch.Tensor:
    """A float32 copy of an (r, k) matrix stored column by column (strides (1, r)): its
    transpose is contiguous, so v U^T is one plain matrix product, and autograd
    accumulates U's gradient in that layout without a copy (1.5 ms instead of 3.2 ms per
    MSR-FC outer step).

    >>> _column_major(np.arange(6.0).reshape(3, 2)).stride()
    (1, 3)
    """
    U = torch.as_tensor(np.asarray(matrix) if not isinstance(matrix, torch.Tensor) else matrix.detach(),
                        dtype=torch.float32)
    return U.T.contiguous().T


def MSRLinear(in_features: int, out_features: int, k: int, *, seed: int = 0) -> SharedLinear:
    """The MSR layer: U (out * in, k) learned, initialised Gaussian with variance 1 / in, so
    U^T U is about ``out`` times the identity, as for a convolution's sharing matrix (whose
    columns hold one 1 per output): an inner step on v then moves W by a comparable amount.

    >>> from pltheory.msr.layers import MSRLinear
    >>> layer = MSRLinear(4, 4, 2, seed=0)
    >>> layer, layer.sharing.shape, layer.sharing.requires_grad
    (SharedLinear(msr: 4 -> 4, k=2), torch.Size([16, 2]), True)
    """
    generator = torch.Generator().manual_seed(seed)
    U = torch.randn(in_features * out_features, k, generator=generator) / math.sqrt(in_features)
    return SharedLinear(in_features, out_features, U, learn_sharing=True, kind="msr")


class JointSharedLinear(SharedLinear):
    """MSR-Joint: vec(W) = U v where the inner loop adapts U as well as v. A task's
    adapted parameters are (U, v) flattened into one vector of length out * in * k + k
    (``k`` here is that length; ``latent`` is v's), so [`adapt`][pltheory.msr.maml.adapt]
    adapts both without knowing it; the outer loop meta-learns their initial values (``v0``
    holds vec(U0) then v0). An ablation of MSR, whose inner loop adapts v only.

    U0 starts as [`MSRLinear`][pltheory.msr.layers.MSRLinear]'s U (Gaussian, variance 1 / in), v0 at 0.

    >>> import torch
    >>> layer = JointSharedLinear(3, 2, 2, seed=0)
    >>> layer, layer.latent, layer.v0.shape
    (JointSharedLinear(msr-joint: 3 -> 2, k=14), 2, torch.Size([14]))
    >>> U, v = torch.ones(1, 6, 2), torch.tensor([[1.0, 2.0]])
    >>> layer.weight(torch.cat([U.reshape(1, -1), v], dim=1)).tolist()     # every entry 1 + 2
    [[[3.0, 3.0, 3.0], [3.0, 3.0, 3.0]]]
    """

    def __init__(self, in_features: int, out_features: int, latent: int, *, seed: int = 0) -> None:
        super().__init__(in_features, out_features, None, kind="msr-joint")
        rows = in_features * out_features
        self._latent = latent
        self.k = rows * latent + latent
        generator = torch.Generator().manual_seed(seed)
        U0 = torch.randn(rows, latent, generator=generator) / math.sqrt(in_features)
        self.v0 = nn.Parameter(torch.cat([U0.reshape(-1), torch.zeros(latent)]))

    @property
    def latent(self) -> int:
        """Size of each task's v (its U has out * in * latent entries more)."""
        return self._latent

    def split(self, v: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """Each task's (U, v) from its parameter vector: (T, out * in, latent) and (T, latent).

        Examples
        --------
        >>> layer = JointSharedLinear(3, 2, 2)
        >>> [tuple(part.shape) for part in layer.split(layer.v0[None])]
        [(1, 6, 2), (1, 2)]
        """
        rows = self.in_features * self.out_features
        return v[:, :rows * self.latent].reshape(v.shape[0], rows, self.latent), v[:, rows * self.latent:]

    def weight(self, v: torch.Tensor) -> torch.Tensor:
        """W for each task: its own U times its own v, (T, out, in)."""
        U, latent = self.split(v)
        return torch.bmm(U, latent[:, :, None]).reshape(v.shape[0], self.out_features, self.in_features)

    def effective_sharing(self) -> torch.Tensor:
        """The meta-learned initial U0 (out * in, latent), before any task adapts it."""
        return self.split(self.v0[None])[0][0]


def EquivariantLinear(X: GSet, Y: GSet) -> SharedLinear:
    """Maps Fun X -> Fun Y with U the (fixed) orbit sharing matrix of Hom_G(Fun X, Fun Y).

    >>> import pltheory as pt
    >>> from pltheory.msr.layers import EquivariantLinear
    >>> EquivariantLinear(pt.GSet.natural(pt.symmetric(4)), pt.GSet.natural(pt.symmetric(4)))
    SharedLinear(equivariant S4: 4 -> 4, k=2)
    """
    U = equivariant_basis(X, Y).sharing_matrix().toarray()
    return SharedLinear(X.size, Y.size, U, kind=f"equivariant {X.group.name}")


def FullyConnected(in_features: int, out_features: int) -> SharedLinear:
    """MAML-FC: U = I, one free weight per entry.

    >>> from pltheory.msr.layers import FullyConnected
    >>> FullyConnected(4, 3)
    SharedLinear(fc: 4 -> 3, k=12)
    """
    return SharedLinear(in_features, out_features, None, kind="fc")


def convolution_sharing(in_features: int, width: int) -> np.ndarray:
    """U of a 1-D convolution without padding: W[p, p + j] = v[j], out = in - width + 1.

    >>> from pltheory.msr.layers import convolution_sharing
    >>> U = convolution_sharing(4, 3)                       # W is 2 x 4
    >>> (U @ [1, 2, 3]).reshape(2, 4).tolist()
    [[1.0, 2.0, 3.0, 0.0], [0.0, 1.0, 2.0, 3.0]]
    """
    out = in_features - width + 1
    U = np.zeros((out, in_features, width))
    for j in range(width):
        U[np.arange(out), np.arange(out) + j, j] = 1.0
    return U.reshape(out * in_features, width)


def locally_connected_sharing(in_features: int, width: int) -> np.ndarray:
    """U of a locally connected layer: W[p, p + j] = v[p, j], a filter per output.

    >>> from pltheory.msr.layers import locally_connected_sharing
    >>> U = locally_connected_sharing(4, 3)                 # W is 2 x 4
    >>> (U @ [1, 2, 3, 4, 5, 6]).reshape(2, 4).tolist()
    [[1.0, 2.0, 3.0, 0.0], [0.0, 4.0, 5.0, 6.0]]
    """
    out = in_features - width + 1
    U = np.zeros((out, in_features, out, width))
    for j in range(width):
        U[np.arange(out), np.arange(out) + j, np.arange(out), j] = 1.0
    return U.reshape(out * in_features, out * width)


def Convolution1d(in_features: int, width: int) -> SharedLinear:
    """MAML-Conv: one shared filter of ``width`` taps, no padding.

    >>> from pltheory.msr.layers import Convolution1d
    >>> Convolution1d(70, 3)
    SharedLinear(conv: 70 -> 68, k=3)
    """
    return SharedLinear(in_features, in_features - width + 1, convolution_sharing(in_features, width), kind="conv")


def circular_convolution_sharing(size: int, kernel: int, in_channels: int = 1, out_channels: int = 1) -> np.ndarray:
    """B placing the taps of a circular 2-D convolution (cross-correlation) on size x size
    images with a kernel x kernel window centred on each pixel:
    y[o, p] = sum_{i, d} K[o, i, d] x[i, p + d], rows (o, p) x (i, q) row-major, columns
    (o, i, d) row-major; pixels p = row * size + column.

    >>> from pltheory.msr.layers import circular_convolution_sharing
    >>> B = circular_convolution_sharing(3, 3, in_channels=2)
    >>> B.shape, B.sum(axis=0).tolist() == [9.0] * 18      # each tap and channel pair: once per pixel
    ((162, 18), True)
    """
    half = kernel // 2
    offsets = [(a - half, b - half) for a in range(kernel) for b in range(kernel)]
    n = size * size
    B = np.zeros((out_channels, n, in_channels, n, out_channels, in_channels, len(offsets)))
    rows, cols = np.divmod(np.arange(n), size)
    for t, (da, db) in enumerate(offsets):
        shifted = ((rows + da) % size) * size + (cols + db) % size
        for o in range(out_channels):
            for i in range(in_channels):
                B[o, np.arange(n), i, shifted, o, i, t] += 1.0
    return B.reshape(out_channels * n * in_channels * n, out_channels * in_channels * len(offsets))


def MSRConv2d(size: int, kernel: int, k: int, in_channels: int = 1, out_channels: int = 1, *,
              seed: int = 0) -> SharedLinear:
    """MSR convolution on size x size periodic images: the kernel taps (and channels) are
    U v with U (out * in * kernel^2, k) learned, so the layer is translation equivariant
    and learns any further sharing (rotations, flips) from data.

    >>> from pltheory.msr.layers import MSRConv2d
    >>> layer = MSRConv2d(4, 3, 2)
    >>> layer, layer.base.shape, layer.sharing.shape
    (SharedLinear(msr-conv: 16 -> 16, k=2), torch.Size([256, 9]), torch.Size([9, 2]))
    """
    base = circular_convolution_sharing(size, kernel, in_channels, out_channels)
    generator = torch.Generator().manual_seed(seed)
    U = torch.randn(base.shape[1], k, generator=generator) / math.sqrt(k)
    n = size * size
    return SharedLinear(in_channels * n, out_channels * n, U, learn_sharing=True, kind="msr-conv", base=base)


def Convolution2d(size: int, kernel: int, in_channels: int = 1, out_channels: int = 1) -> SharedLinear:
    """MAML-Conv on periodic images: one free weight per kernel tap and channel pair.

    >>> from pltheory.msr.layers import Convolution2d
    >>> Convolution2d(4, 3, out_channels=2)
    SharedLinear(conv2d: 16 -> 32, k=18)
    """
    base = circular_convolution_sharing(size, kernel, in_channels, out_channels)
    n = size * size
    return SharedLinear(in_channels * n, out_channels * n, None, kind="conv2d", base=base)


def LocallyConnected(in_features: int, width: int) -> SharedLinear:
    """MAML-LC: a separate filter of ``width`` taps per output position.

    >>> from pltheory.msr.layers import LocallyConnected
    >>> LocallyConnected(70, 3)
    SharedLinear(lc: 70 -> 68, k=204)
    """
    return SharedLinear(in_features, in_features - width + 1, locally_connected_sharing(in_features, width),
                        kind="lc")


def uniform_v0(layer: nn.Module, seed: int, fan_in: int) -> None:
    """Start a layer's filters v0 as PyTorch starts a Linear or Conv weight (the official
    MSR code's free layers): uniform in +-1/sqrt(fan-in), drawn from a generator seeded
    ``seed + 1``; ``fan_in`` is the number of inputs one output sums over.

    >>> layer = FullyConnected(4, 2)
    >>> uniform_v0(layer, seed=0, fan_in=4)
    >>> bool(layer.v0.abs().max() <= 0.5)
    True
    """
    generator = torch.Generator().manual_seed(seed + 1)
    with torch.no_grad():
        layer.v0.copy_((2 * torch.rand(layer.k, generator=generator) - 1) / math.sqrt(fan_in))

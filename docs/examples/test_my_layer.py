"""Equivariance tests for your own layers: copy this file into your project's tests/.

Each test names the group G and the G-sets X (input points) and Y (output points), and
calls ``assert_equivariant``: it checks f(P_g x) = P_g f(x) for every generator g of G
(enough for all of G) on seeded random inputs, and on failure names the generator, in
cycle notation, and the size of the defect. Run with ``python -m pytest test_my_layer.py``
(pytest is not installed by ``pip install -e ".[torch]"``: ``pip install pytest``, or the
``dev`` extra).
"""

import pytest

import pltheory as pt
from pltheory.testing import assert_equivariant

torch = pytest.importorskip("torch")


class DeepSets(torch.nn.Module):
    """y_i = A x_i + B mean_j x_j on (batch, points, channels): equivariant under S_n."""

    def __init__(self, channels_in: int, channels_out: int) -> None:
        super().__init__()
        self.own = torch.nn.Linear(channels_in, channels_out)
        self.pooled = torch.nn.Linear(channels_in, channels_out, bias=False)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.own(x) + self.pooled(x.mean(dim=-2, keepdim=True))


def test_deepsets_layer_is_permutation_equivariant():
    X = pt.GSet.natural(pt.symmetric(5))
    # (batch, points, channels): the points of X are on axis -2 (channels last)
    assert_equivariant(DeepSets(3, 4), X, X, shape=(8, 5, 3), axis=-2)


def test_circular_convolution_commutes_with_rotations():
    X = pt.GSet.natural(pt.cyclic(8))
    conv = torch.nn.Conv1d(2, 3, kernel_size=3, padding=1, padding_mode="circular")
    # (batch, channels, points): channels first, the default axis=-1; in float64 as well
    assert_equivariant(conv, X, X, shape=(4, 2, 8))
    assert_equivariant(conv.double(), X, X, shape=(4, 2, 8), random_elements=5)


def test_image_convolution_on_the_torus():
    X = pt.GSet.grid(pt.group("C4xC4"))  # 4 x 4 pixels, numbered row-major
    conv = torch.nn.Conv2d(1, 2, kernel_size=3, padding=1, padding_mode="circular")
    assert_equivariant(conv, X, X, shape=(2, 1, 4, 4), axis=(-2, -1))


def test_a_convolution_does_not_commute_with_reflections():
    X = pt.GSet.natural(pt.dihedral(8))  # generators: the rotation (0 1 ... 7) and a reflection
    conv = torch.nn.Conv1d(1, 1, kernel_size=3, padding=1, padding_mode="circular")
    with torch.no_grad():
        conv.weight.copy_(torch.tensor([[[1.0, 2.0, 3.0]]]))  # not symmetric: a one-sided kernel
    with pytest.raises(pt.NotEquivariantError, match=r"at generator 1 = \(1 7\)\(2 6\)\(3 5\)"):
        assert_equivariant(conv, X, X, shape=(4, 1, 8))


def test_an_equivariant_layer_shares_its_weights_exactly():
    from pltheory.msr.layers import EquivariantLinear  # noqa: PLC0415 - pltheory.msr needs torch

    G = pt.symmetric(4)
    X, Y = pt.GSet.natural(G), pt.GSet.from_spec(G, "pairs")
    # the sharing matrix U: every column constant on the orbits of G on Y x X, bit for bit
    assert_equivariant(EquivariantLinear(X, Y), X, Y)

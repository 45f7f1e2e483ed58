"""Equivariance checks of users' code (pltheory.testing and the weight check it shares with
pltheory.equivariant): the defect f(P_g x) - P_g f(x) is the one computed by hand from the
permutation matrices P_g[g.x, x] = 1, equivariant layers pass in float32 and float64 with
batch and channel axes, broken ones fail with the failing generator named, the dtype
tolerance sits where it says, the exact checks see a 2^-20 change that any float
tolerance misses, and a model comes back untouched. Small groups and sizes: a few seconds.
"""

import importlib.util
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest

import pltheory as pt
from pltheory.testing import _elements, assert_equivariant, assert_sharing_equivariant, check_equivariance
from pltheory.tolerances import EQUIVARIANCE_TOLS

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "docs" / "examples" / "test_my_layer.py"


@pytest.fixture
def torch():
    return pytest.importorskip("torch")


def natural(spec):
    return pt.GSet.natural(pt.group(spec))


def first_line(info):
    return str(info.value).splitlines()[0]


# ------------------------------------------------------------- numpy, no torch needed
def test_defect_is_the_commutator_computed_by_hand():
    """A linear map on the last axis: the report's defect of each generator is
    ||M P_g x - P_g M x|| / ||M x|| with P_g built from P_g[g.x, x] = 1."""
    X = natural("D5")
    M = np.random.default_rng(1).normal(size=(5, 5))
    x = np.random.default_rng(2).normal(size=(3, 2, 5))
    report = check_equivariance(lambda v: v @ M.T, X, X, inputs=x)
    assert not report.passed and [d.generator for d in report.defects] == [0, 1]
    for d, act in zip(report.defects, X.action):
        P = np.eye(5)[:, act]  # column i is e_{s.i}: P[s.i, i] = 1, formed by hand
        assert all(P[act[i], i] == 1 for i in range(5)) and np.array_equal(P, pt.permutation_matrix(act))
        moved, expected = (x @ P.T) @ M.T, (x @ M.T) @ P.T  # f(P x) and P f(x), P acting on the last axis
        assert np.isclose(d.absolute, np.linalg.norm(moved - expected), rtol=1e-12)
        assert np.isclose(d.relative, d.absolute / np.linalg.norm(x @ M.T), rtol=1e-12)


def test_numpy_function_passes_and_a_subgroup_only_map_names_the_reflection():
    C, D = natural("C6"), natural("D6")

    def shift(x):
        return np.roll(x, 1, axis=-1) + 0.5 * x

    report = assert_equivariant(shift, C, C, shape=(2, 3, 6), random_elements=3)
    assert report.passed and len(report.defects) == 4 and report.max_relative == 0 and report.dtype == "float64"
    assert check_equivariance(shift, C, C, shape=(2, 6), dtype=np.float32).dtype == "float32"
    with pytest.raises(pt.NotEquivariantError) as info:
        assert_equivariant(shift, D, D, shape=(2, 3, 6))
    line = first_line(info)
    assert line.startswith("shift is not D6-equivariant: relative error ")
    assert "at generator 1 = (1 5)(2 4) (absolute error " in line and "> tol 1e-09" in line
    assert "generator 0 = (0 1 2 3 4 5): relative error 0, absolute 0 ok" in str(info.value)
    assert isinstance(info.value, AssertionError)  # pytest reports it as a failed assertion


def test_maps_between_different_gsets_of_a_nonabelian_group_and_random_elements():
    """Fun(natural) -> Fun(subsets:2) of S4 from the orbit basis: every generator and
    random element passes, with the actions of one element on X and on Y."""
    G = pt.symmetric(4)
    X, Y = pt.GSet.natural(G), pt.GSet.from_spec(G, "subsets:2")
    W = pt.equivariant_basis(X, Y).expand(np.array([1.0, -2.0]))
    report = assert_equivariant(lambda x: x @ W.T, X, Y, shape=(5, X.size), random_elements=6)
    assert len(report.defects) == 8 and report.max_relative < 1e-15
    assert assert_equivariant(lambda x: W @ x, X, Y, shape=(X.size, 5), axis=0).passed  # points first
    elements = list(_elements(X, Y, 6, seed=0))[2:]
    for g, s, ax, ay in elements:
        i = G.index(g)
        assert s is None and np.array_equal(ax, X.element_actions()[i]) and np.array_equal(ay, Y.element_actions()[i])
    assert len({g.tobytes() for g, *_ in elements}) > 2


@pytest.mark.parametrize("factor, passes", [(0.8, True), (1.25, False)])
@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_a_defect_just_under_or_over_the_dtype_tolerance(dtype, factor, passes):
    """f = I + c E_00 on C_5: its relative defect c a / ||f(x)|| (a computed by hand) is
    put at 0.8 and 1.25 times the tolerance of the dtype."""
    X, tol = natural("C5"), EQUIVARIANCE_TOLS[dtype]
    x = np.random.default_rng(3).normal(size=(4, 5))
    E = np.zeros((5, 5))
    E[0, 0] = 1.0
    P = pt.permutation_matrix(X.action[0])
    a = np.linalg.norm(x @ P.T @ E.T - x @ E.T @ P.T)
    c = factor * tol * np.linalg.norm(x) / a
    M = (np.eye(5) + c * E).astype(dtype)
    report = check_equivariance(lambda v: v @ M.T, X, X, inputs=x.astype(dtype))
    expected = c * a / np.linalg.norm(x @ (np.eye(5) + c * E).T)
    assert report.tol == tol and report.dtype == dtype
    assert np.isclose(report.max_relative, expected, rtol=0.05)
    assert report.passed is passes


def test_weight_checks_share_the_defect_and_name_the_generator():
    X = natural("S4")
    W = pt.equivariant_basis(X, X).expand(np.array([3.0, -1.0]))
    pt.assert_equivariant(W, X, X)
    bad = W.copy()
    bad[0, 1] += 1e-3
    with pytest.raises(pt.NotEquivariantError) as info:
        pt.assert_equivariant(bad, X, X)
    worst = max(pt.equivariant.matrix_defects(bad, X, X), key=lambda d: d.relative)
    assert first_line(info).startswith(f"W is not S4-equivariant: relative error {worst.relative:.3g} > tol 1e-09 "
                                       f"at {worst.name} (absolute error {worst.absolute:.3g}")
    P = [np.eye(X.size)[:, act] for act in X.action]  # P_s[s.x, x] = 1, formed by hand
    by_hand = max(np.linalg.norm(p @ bad - bad @ p) / np.linalg.norm(bad) for p in P)
    assert np.isclose(pt.equivariance_error(bad, X, X), by_hand) and np.isclose(worst.relative, by_hand)
    pt.assert_equivariant(bad, X, X, atol=2e-3)  # an absolute tolerance lets it through
    # exact: a float64 weight off by 2^-20 fails bit for bit, where tol=1e-5 passes it
    bad = W.copy()
    bad[2, 3] += 2.0**-20
    pt.assert_equivariant(bad, X, X, tol=1e-5)
    with pytest.raises(pt.NotEquivariantError, match=r"not constant on orbit 1 of Y x X \(12 pairs\)") as info:
        pt.assert_equivariant(bad, X, X, exact=True)
    assert "W[0, 1] = -1.0 but W[2, 3] = -0.9999990463256836" in first_line(info)
    assert "generator" in str(info.value).splitlines()[1]


def test_exact_sharing_check_names_column_and_orbit():
    X = natural("C4")
    Y = pt.GSet.from_spec(X.group, "pairs")
    B = pt.equivariant_basis(X, Y)
    U = B.sharing_matrix().toarray()
    assert_sharing_equivariant(U, X, Y)
    assert_sharing_equivariant(U @ np.random.default_rng(0).normal(size=(B.dim, 3)), X, Y)  # any combination
    assert_sharing_equivariant(np.array([[Fraction(1, 3) * v for v in row] for row in U], dtype=object), X, Y)
    row, column = 17, 2
    U[row, column] += 2.0**-20
    orbit = int(B.labels.ravel()[row])
    with pytest.raises(pt.NotEquivariantError, match=f"^column {column} of U is not C4-equivariant "
                       f"\\(exact check\\): not constant on orbit {orbit} of Y x X"):
        assert_sharing_equivariant(U, X, Y)
    with pytest.raises(pt.WeightError, match="rows"):
        assert_sharing_equivariant(U[:-1], X, Y)
    U[row, column] = np.nan
    with pytest.raises(pt.WeightError, match="NaN"):
        assert_sharing_equivariant(U, X, Y)


def test_bad_calls_are_clear_errors():
    X = natural("C4")
    with pytest.raises(pt.ArgumentError, match="has 4 points"):
        check_equivariance(lambda x: x, X, X, shape=(2, 5))
    with pytest.raises(pt.ArgumentError, match="give the shape"):
        check_equivariance(lambda x: x, X, X, axis=-2)
    with pytest.raises(pt.ArgumentError, match="consecutive"):
        check_equivariance(lambda x: x, X, X, shape=(2, 2, 2), axis=(0, 2))
    with pytest.raises(pt.ArgumentError, match="returned a tuple"):
        check_equivariance(lambda x: (x, x), X, X)
    with pytest.raises(pt.NumericalError, match="NaN"):
        check_equivariance(lambda x: x + np.nan, X, X)
    with pytest.raises(pt.ArgumentError, match="exact=True"):
        assert_equivariant(lambda x: x, X, X, exact=True)
    with pytest.raises(pt.ArgumentError, match="apply to callables"):
        assert_equivariant(np.eye(4), X, X, shape=(2, 4))
    with pytest.raises(pt.ArgumentError):
        check_equivariance(lambda x: x, X, X, random_elements=-1)


# ---------------------------------------------------------------------------- torch
def test_circular_convolution_on_cn_passes_float32_and_float64_and_fails_on_dn(torch):
    C, D = natural("C8"), natural("D8")
    torch.manual_seed(0)
    conv = torch.nn.Conv1d(2, 3, 3, padding=1, padding_mode="circular")
    assert assert_equivariant(conv, C, C, shape=(4, 2, 8), random_elements=2).dtype == "float32"
    assert assert_equivariant(conv.double(), C, C, shape=(4, 2, 8)).dtype == "float64"
    conv.float()
    channels_last = lambda x: conv(x.transpose(1, 2)).transpose(1, 2)  # noqa: E731 - (batch, points, channels)
    assert assert_equivariant(channels_last, C, C, shape=(4, 8, 2), axis=-2, dtype=torch.float32).passed
    with pytest.raises(pt.NotEquivariantError) as info:
        assert_equivariant(conv, D, D, shape=(4, 2, 8))
    assert first_line(info).startswith("Conv1d is not D8-equivariant: relative error ")
    assert "at generator 1 = (1 7)(2 6)(3 5)" in first_line(info)
    assert "float32 input of shape (4, 2, 8)" in first_line(info)
    with pytest.raises(pt.ArgumentError, match="dtype=torch.float32"):  # a torch function given numpy arrays
        check_equivariance(lambda x: x.transpose(0, 1).transpose(0, 1).clone(), C, C)


def test_images_on_a_grid_with_two_axes(torch):
    X = pt.GSet.grid(pt.group("C4xC4"))
    conv = torch.nn.Conv2d(1, 2, 3, padding=1, padding_mode="circular", bias=False)
    assert_equivariant(conv, X, X, shape=(2, 1, 4, 4), axis=(-2, -1))
    with pytest.raises(pt.NotEquivariantError, match="generator 1"):
        assert_equivariant(lambda x: torch.cumsum(x, dim=-1), X, X, shape=(2, 1, 4, 4), axis=(2, 3),
                           dtype=torch.float64)


def deepsets(torch, channels_in, channels_out):
    class DeepSets(torch.nn.Module):
        """y_i = A x_i + B mean_j x_j on (batch, points, channels): S_n-equivariant."""

        def __init__(self):
            super().__init__()
            self.own, self.pooled = torch.nn.Linear(channels_in, channels_out), torch.nn.Linear(channels_in,
                                                                                               channels_out)

        def forward(self, x):
            return self.own(x) + self.pooled(x.mean(dim=-2, keepdim=True))

    return DeepSets()


def test_deepsets_layer_and_a_perturbed_weight(torch):
    X = natural("S5")
    torch.manual_seed(0)
    layer = deepsets(torch, 3, 4)
    for dtype in (torch.float32, torch.float64):
        report = assert_equivariant(layer.to(dtype), X, X, shape=(2, 5, 3), axis=-2, random_elements=4)
        assert report.max_relative <= report.tol == EQUIVARIANCE_TOLS[str(dtype).removeprefix("torch.")]
        x, perm = torch.randn(2, 5, 3, dtype=dtype), torch.randperm(5)  # f(P x) = P f(x), checked in torch directly
        with torch.no_grad():
            assert torch.allclose(layer(x[:, perm]), layer(x)[:, perm], atol=1e-5)
    # a linear layer on the points, W from the orbit basis, then one weight off by 1e-3
    linear = torch.nn.Linear(5, 5, bias=False)
    with torch.no_grad():
        linear.weight.copy_(torch.as_tensor(pt.equivariant_basis(X, X).expand(np.array([0.7, -0.2]))))
    assert_equivariant(linear, X, X, shape=(3, 2, 5))
    with torch.no_grad():
        linear.weight[0, 1] += 1e-3
    with pytest.raises(pt.NotEquivariantError, match=r"^Linear is not S5-equivariant: .* at generator [01] = \("):
        assert_equivariant(linear, X, X, shape=(3, 2, 5))
    with pytest.raises(pt.NotEquivariantError, match=r"^W is not S5-equivariant"):  # the weight itself, with grad
        assert_equivariant(linear.weight, X, X)


def test_shared_linear_exact_mode_sees_what_the_float_check_misses(torch):
    from pltheory.msr.layers import EquivariantLinear  # noqa: PLC0415 - needs torch

    G = pt.symmetric(4)
    X, Y = pt.GSet.natural(G), pt.GSet.from_spec(G, "subsets:2")
    B = pt.equivariant_basis(X, Y)
    layer = EquivariantLinear(X, Y)
    layer.sharing.requires_grad_(True)  # as MSR learns it
    v = torch.randn(2, layer.k)
    assert_equivariant(layer, X, Y)  # U, exactly
    assert_sharing_equivariant(layer.sharing, X, Y)
    assert_equivariant(lambda x: layer(x, v), X, Y, inputs=torch.randn(2, 3, 4))  # its forward pass, for these v
    row, column = 5, 1
    with torch.no_grad():
        layer.sharing[row, column] += 2.0**-20
    orbit = int(B.labels.ravel()[row])
    with pytest.raises(pt.NotEquivariantError, match=f"^column {column} of U is not S4-equivariant "
                       f"\\(exact check\\): not constant on orbit {orbit} of Y x X") as info:
        assert_equivariant(layer, X, Y)
    assert "SharedLinear(equivariant S4: 4 -> 6, k=2)" in first_line(info)
    assert_equivariant(lambda x: layer(x, v), X, Y, shape=(2, 3, 4), dtype="float32", device="cpu")  # misses it
    W = layer.sharing[:, column].reshape(Y.size, X.size)
    pt.assert_equivariant(W, X, Y)  # float32 weight: tol 1e-5 misses it too
    with pytest.raises(pt.NotEquivariantError, match=f"orbit {orbit}"):
        pt.assert_equivariant(W, X, Y, exact=True)


def test_the_model_is_not_modified_and_no_grad_leaks(torch):
    X = natural("C6")
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Conv1d(2, 4, 3, padding=1, padding_mode="circular"),
                                torch.nn.BatchNorm1d(4), torch.nn.Dropout(0.5), torch.nn.ReLU())
    model.train()
    before = {k: v.clone() for k, v in model.state_dict().items()}
    x = torch.randn(3, 2, 6, requires_grad=True)
    report = assert_equivariant(model, X, X, inputs=x, random_elements=2)  # dropout would fail in train mode
    assert report.passed and report.shape == (3, 2, 6)
    assert all(m.training for m in model.modules()) and torch.is_grad_enabled()
    assert all(torch.equal(before[k], v) for k, v in model.state_dict().items())  # batch-norm statistics too
    assert all(p.requires_grad and p.grad is None for p in model.parameters()) and x.grad is None
    model.eval()
    assert_equivariant(model, X, X, shape=(3, 2, 6))
    assert not any(m.training for m in model.modules())


def test_pltheory_assert_equivariant_is_the_general_one():
    assert pt.assert_equivariant is assert_equivariant


def test_the_documented_example_tests_pass(torch):
    spec = importlib.util.spec_from_file_location("docs_example_test_my_layer", EXAMPLE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    tests = [getattr(module, name) for name in dir(module) if name.startswith("test_")]
    assert len(tests) >= 3
    for test in tests:
        test()

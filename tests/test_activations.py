"""Pointwise activations: values against numpy formulas, exact PL data, properties."""

from fractions import Fraction

import numpy as np
import pytest

import pltheory as pt
from pltheory.activations import from_callable

X = np.linspace(-3.5, 3.5, 29)

FORMULAS = {
    "relu": np.maximum(X, 0),
    "abs": np.abs(X),
    "leaky:0.1": np.where(X > 0, X, 0.1 * X),
    "prelu:-2": np.where(X > 0, X, -2 * X),
    "min": np.minimum(X, 0),
    "linear": X,
    "hardtanh": np.clip(X, -1, 1),
    "tanh": np.tanh(X),
    "pl:1;1,3": np.where(X < 1, X, 1 + 3 * (X - 1)),
    "pl:-1,2;-1,0,2": np.where(X < -1, -(X + 1), np.where(X < 2, 0, 2 * (X - 2))),
}

#                      pos. homogeneous, odd, linear
PROPERTIES = {"relu": (True, False, False), "abs": (True, False, False), "leaky:0.1": (True, False, False),
              "min": (True, False, False), "linear": (True, True, True), "hardtanh": (False, True, False),
              "tanh": (False, True, False), "pl:1;1,3": (False, False, False), "leaky:1": (True, True, True)}


@pytest.mark.parametrize("name", FORMULAS)
def test_values(name):
    assert np.allclose(pt.activation(name)(X), FORMULAS[name])


@pytest.mark.parametrize("name", PROPERTIES)
def test_properties(name):
    f = pt.activation(name)
    assert (f.positively_homogeneous, f.odd, f.linear) == PROPERTIES[name]


def test_properties_of_callables_match_the_pl_ones():
    for name in ["relu", "abs", "linear", "hardtanh"]:
        pl = pt.activation(name)
        fn = from_callable(lambda x, pl=pl: pl(x))
        assert (fn.positively_homogeneous, fn.odd, fn.linear) == (pl.positively_homogeneous, pl.odd, pl.linear)


def test_exact_values_and_homogeneous_parts():
    f = pt.activation("leaky:0.1")
    assert f.slopes == (Fraction(1, 10), Fraction(1))  # exact from the text
    assert f.homogeneous_parts == (Fraction(11, 20), Fraction(9, 20))  # f = a x + b |x|
    g = pt.activation("pl:-1,2;-1,0,2")
    assert g.value(Fraction(-3)) == 2 and g.value(Fraction(5)) == 6 and g.value(Fraction(1, 2)) == 0
    with pytest.raises(pt.ActivationError):
        g.homogeneous_parts  # noqa: B018


def test_bad_activations():
    for bad in ["foo", "leaky:", "leaky:x", "pl:1,0;1,2,3", "pl:0;1", 3]:
        with pytest.raises(pt.ActivationError):
            pt.activation(bad)


def test_callable_with_a_kink_far_from_zero_is_not_called_linear():
    """Sampled on [-7.3, 7.3], max(x - 30, 0) looked odd and linear (it is 0 there)."""
    f = pt.activation(lambda x: np.maximum(x - 30, 0))
    assert (f.positively_homogeneous, f.odd, f.linear) == (False, False, False)
    assert f.kinks and all(25 < k < 35 for k in f.kinks) and 29 < f.scale < 35
    far = pt.activation(lambda x: np.where(x > 1e6, 2 * (x - 1e6), 0.0))
    assert not far.linear and 0.9e6 < far.scale < 1.1e6


@pytest.mark.parametrize("name", ["relu", "abs", "hardtanh", "pl:30;0,1", "pl:-2,3;1,0,2", "pl:0.001;1,-1",
                                  "leaky:0.2"])
def test_kinks_of_callables_are_the_breakpoints(name):
    """Sampled kinks of a PL function given as a callable lie within one sampling step
    (a factor 10^(1/40)) of its breakpoints, and each breakpoint is found."""
    pl = pt.activation(name)
    fn = from_callable(lambda x, pl=pl: pl(x))
    step = 10 ** (1 / 40)
    for k in fn.kinks:
        assert any(abs(k - b) <= 1e-12 or (k * b > 0 and 1 / step <= k / b <= step) for b in pl.kinks), (k, pl.kinks)
    for b in pl.kinks:
        assert any(abs(k - b) <= 1e-12 or (k * b > 0 and 1 / step <= k / b <= step) for k in fn.kinks), (b, fn.kinks)
    assert (fn.positively_homogeneous, fn.odd, fn.linear) == (pl.positively_homogeneous, pl.odd, pl.linear)


def test_callables_that_are_not_activations_are_refused():
    for bad in [lambda x: x[::2], lambda x: "text", lambda x: np.full_like(x, np.nan)]:
        with pytest.raises(pt.ActivationError):
            pt.activation(bad)


def test_smooth_curvature_is_not_a_kink():
    """tanh, exp and softplus curve everywhere: no kink, probed at scale 1; a softplus
    shifted to 30 bends sharply there, like a kink."""
    for fn in (np.tanh, np.exp, np.sinh, lambda x: np.logaddexp(0, x)):
        f = pt.activation(fn)
        assert f.kinks == () and f.scale == 1.0
    assert 25 < pt.activation(lambda x: np.logaddexp(0, x - 30)).scale < 35


def test_float32_callables_are_judged_at_float32_precision():
    relu32 = pt.activation(lambda x: np.maximum(x.astype(np.float32), 0))
    assert (relu32.positively_homogeneous, relu32.odd, relu32.linear) == (True, False, False)
    assert relu32.precision == np.finfo(np.float32).eps and relu32.scale == 1.0
    double = pt.activation(lambda x: (2 * x).astype(np.float32))
    assert double.linear and double.odd and double.kinks == ()

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

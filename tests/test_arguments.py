"""Wrong argument types and out-of-range values get the library's specific errors (which
also subclass ValueError / TypeError), never a bare AttributeError, IndexError or
OverflowError, and never a silently truncated or parsed answer. The calls are those an
audit of the public API found failing (groups, G-sets, maps, representations,
decompositions, irreducibles, interaction graphs, outputs)."""

import math
from fractions import Fraction

import numpy as np
import pytest

import pltheory as pt
from pltheory import limits, outputs

C4 = pt.cyclic(4)
X = pt.GSet.natural(C4)
R = pt.GSet.regular(C4)
R8 = pt.GSet.regular(pt.cyclic(8))
B = pt.equivariant_basis(X, X)
DX = pt.decompose(X)
PHI = pt.pl_map(R8, 1, 0)
REP = pt.Representation(C4, [np.array([[0.0, -1.0], [1.0, 0.0]])])

BAD_CALLS = {
    # wrong kinds of object: a string, an array, None where a group or G-set is expected
    "basis of an array": lambda: pt.equivariant_basis(np.arange(4), X),
    "decompose None": lambda: pt.decompose(None),
    "irreps of a spec string": lambda: pt.irreps("S3"),
    "natural of a string": lambda: pt.GSet.natural("C4"),
    "product with None": lambda: pt.GSet.product(X, None),
    "direct product of None": lambda: pt.direct_product(None),
    "character table of a string": lambda: pt.character_table("A4"),
    "representation of a string": lambda: pt.Representation("C4", [np.eye(2)]),
    "permutation representation of a group": lambda: pt.permutation_representation(C4),
    "verify a string": lambda: pt.verify_orbit_basis("B"),
    "kernel of another group's irrep": lambda: pt.irreps(C4)[1].kernel_contained_in(pt.irreps(pt.cyclic(6))[1]),
    "edges outside None": lambda: pt.interaction_graph(R8).edges_outside(None),
    # groups
    "subgroup of index -1": lambda: C4.subgroup_from_indices([-1]),
    "subgroup of a float index": lambda: C4.subgroup_from_indices([1.7]),
    "indices of a float row": lambda: C4.indices([[1.7, 2, 3, 0]]),
    "indices of string rows": lambda: C4.indices(np.array([["1", "2", "3", "0"]])),
    "indices of a 1-D row": lambda: C4.indices([1, 2, 3, 0]),
    "left multiplication by -1": lambda: C4.left_multiplication_by(-1),
    "max_elements nan": lambda: C4.elements(max_elements=float("nan")),
    "degree as a string": lambda: pt.from_generators([], degree="3"),
    "degree 10^30": lambda: pt.from_generators([], degree=10**30),
    "cycle notation of a non-permutation": lambda: pt.cycle_notation([0, 0]),
    "cycles of None": lambda: pt.parse_cycles(None, 3),
    "cycles on 10^10 points": lambda: pt.parse_cycles("(0 1)", 10**10),
    "seed as a string": lambda: pt.irreps(pt.alternating(4), seed="x"),
    "negative seed": lambda: pt.decompose(X, seed=-1),
    "stabiliser of True": lambda: C4.stabilizer(True),
    "images of the wrong length": lambda: C4.images_on_elements([], lambda a, b: b),
    # G-sets
    "tuples with k = 10^6": lambda: pt.GSet.tuples(X, 10**6),
    "restrict to floats": lambda: X.restrict(np.array([0.0, 1.0, 2.0, 3.9])),
    "restrict to strings": lambda: R.restrict(["0", "1", "2", "3"]),
    "restrict to a matrix": lambda: R.restrict([[0, 1], [2, 3]]),
    "orbit of True": lambda: X.orbit(True),
    # maps
    "ragged weight": lambda: pt.project([[1, 2], [3]], X, X),
    "basis index out of range": lambda: B.basis_matrix(4),
    "basis index as a string": lambda: B.basis_matrix("0"),
    "complex coefficients": lambda: B.expand([1j, 0, 0, 0]),
    "object coefficients": lambda: B.expand([None] * 4),
    "string coefficients": lambda: B.expand(["a", "b", "c", "d"]),
    "nan tolerance (null space)": lambda: pt.nullspace_basis(X, X, tol=float("nan")),
    "nan tolerance (Reynolds)": lambda: pt.reynolds_basis(X, X, tol=float("inf")),
    "huge null space": lambda: pt.nullspace_basis(pt.GSet.natural(pt.cyclic(200)), pt.GSet.natural(pt.cyclic(200))),
    "tolerance 10^400": lambda: pt.assert_equivariant(np.eye(4), X, X, tol=10**400),
    # decompositions
    "unknown method": lambda: pt.decompose(X, method="bogus"),
    "coordinates of the wrong length": lambda: DX.coordinates(np.ones(5)),
    "coordinates of strings": lambda: DX.coordinates(["1", "2", "3", "4"]),
    "coordinates with NaN": lambda: DX.coordinates([np.nan, 0, 0, 0]),
    "energies of None": lambda: DX.component_energies(None),
    "weight decomposition, bogus method": lambda: pt.decompose_weight(np.eye(4), X, X, method="bogus"),
    # representations
    "complex matrices": lambda: pt.Representation(C4, [np.eye(2) * 1j]),
    "complex change of basis": lambda: REP.change_of_basis(np.eye(2) * (1 + 1j)),
    "infinite tolerance": lambda: pt.Representation(C4, [[[2.0]]], check=True, atol=math.inf),
    "nan tolerance (homomorphism)": lambda: REP.is_homomorphism(float("nan")),
    "unknown matrix format": lambda: pt.permutation_matrix([1, 0], "bogus"),
    "matrix of a non-permutation": lambda: pt.permutation_matrix([0, 0]),
    "sparse format of a non-permutation": lambda: pt.permutation_matrix([-1, 0], "sympy"),
    # interaction graphs and PL maps
    "frequency 1.7": lambda: pt.pl_map(R8, 1.7, 0),
    "frequency inf": lambda: pt.pl_map(R8, math.inf, 0),
    "frequency True": lambda: pt.pl_map(R8, True, 0),
    "frequency 3/2": lambda: pt.pl_map(R8, Fraction(3, 2), 0),
    "frequency as an array of strings": lambda: pt.pl_map(R8, np.array(["1"]), 0),
    "PL map of None": lambda: PHI(None),
    "PL map of the wrong length": lambda: PHI([1.0]),
    "PL map of a 3-D array": lambda: PHI(np.ones((2, 2, 2))),
    "PL map of strings": lambda: PHI(["1", "2"]),
    # outputs and limits
    "output under /proc": lambda: outputs.prepare_output("/proc/self/nope/x.txt"),
    "output with a NUL": lambda: outputs.prepare_output("a\0b"),
    "output path None": lambda: outputs.prepare_output(None),
    "output path as bytes": lambda: outputs.prepare_output(b"/tmp/x"),
    "text None": lambda: outputs.write_text("unused.txt", None),
    "force 'no'": lambda: outputs.prepare_output("unused.txt", force="no"),
    "scratch in a missing directory": lambda: outputs.scratch_directory("/nonexistent/dir").__enter__(),
    "memory estimate NaN": lambda: limits.check_memory(float("nan"), "x", "y"),
}


@pytest.mark.parametrize("name", BAD_CALLS)
def test_bad_arguments_get_specific_errors(name):
    with pytest.raises(pt.PLTheoryError):
        BAD_CALLS[name]()


def test_families_are_not_promised_by_hand():
    """A structure promises generators the closed forms rely on: it is recognised from the
    generators, never given by hand (FiniteGroup(..., family=("C", 5)) gave C_5's
    irreducibles to a group of order 3)."""
    with pytest.raises(TypeError, match="family"):
        pt.FiniteGroup([[1, 2, 0]], family=("C", 5))
    assert pt.from_generators([[1, 2, 0]]).structure == pt.cyclic(3).structure
    assert pt.from_generators([[2, 0, 1]]).structure.kind == "general"  # x -> x - 1 is not C3's generator


def test_errors_are_also_the_builtin_kinds_users_catch():
    with pytest.raises(TypeError):  # ArgumentError is a TypeError and a ValueError
        pt.decompose(None)
    with pytest.raises(ValueError):
        pt.decompose(X, method="bogus")


def test_valid_calls_are_unchanged():
    assert C4.subgroup_from_indices([2]).order == 2
    assert B.expand(np.arange(4)).dtype.kind == "i"  # integer coefficients stay exact
    assert np.allclose(B.expand([1.0, 2.0, 3.0, 4.0]), B.expand(np.arange(1, 5)))
    assert np.allclose(DX.coordinates(np.ones(4)), DX.basis.T @ np.ones(4))
    assert pt.pl_map(R8, np.int64(1), 0).source.irrep.frequency == 1
    assert pt.pl_map(pt.GSet.grid(pt.group("C2xC2")), (1, 0), (0, 0)).source.irrep.frequency == (1, 0)
    assert X.restrict(np.arange(4)).size == 4 and C4.indices(np.array([[1, 2, 3, 0]])).tolist() == [1]

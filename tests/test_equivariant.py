"""The orbit basis of Hom_G(Fun X, Fun Y) against independent methods and known dimensions."""

import numpy as np
import pytest
import sympy

import pltheory as pt
from pltheory.gsets import GSet
from pltheory.pair_orbits import pair_orbit_labels


def basis(G, x, y):
    return pt.equivariant_basis(GSet.from_spec(G, x), GSet.from_spec(G, y))


def same_span(A: np.ndarray, B: np.ndarray, tol: float = 1e-8) -> bool:
    """Column spans of A and B coincide (both have rank r and [A B] has rank r)."""
    r = np.linalg.matrix_rank(A, tol)
    return r == np.linalg.matrix_rank(B, tol) == np.linalg.matrix_rank(np.hstack([A, B]), tol)


# ------------------------------------------------------------ known dimensions
@pytest.mark.parametrize("n", range(2, 9))
def test_symmetric_group_dimensions(n):
    G = pt.symmetric(n)
    assert basis(G, "natural", "natural").dim == 2  # identity and all-ones
    if n >= 3:
        assert basis(G, "natural", "pairs").dim == 5
        assert basis(G, "pairs", "natural").dim == 5
    if n <= 7:
        # orbits of S_n on 4-tuples: set partitions of 4 positions into at most n blocks,
        # sum_{k <= n} S(4, k) with Stirling numbers S(4, k) = 1, 7, 6, 1
        assert basis(G, "pairs", "pairs").dim == sum([1, 7, 6, 1][:n])  # 15 for n >= 4, 14 for n = 3


@pytest.mark.parametrize("n", range(1, 11))
def test_torus_gives_circular_convolutions(n):
    G = pt.group(f"C{n}xC{n}")
    B = basis(G, "grid", "grid")
    assert B.dim == n * n
    assert set(B.orbit_sizes.tolist()) == {n * n}
    # W[y, x] depends only on y - x (mod n in each coordinate): a 2-D circular convolution
    coords = np.array([(i, j) for i in range(n) for j in range(n)])
    offset = (coords[:, None, :] - coords[None, :, :]) % n
    key = offset[..., 0] * n + offset[..., 1]
    assert len({(int(k), int(label)) for k, label in zip(key.ravel(), B.labels.ravel())}) == n * n


def test_regular_representation_has_dimension_order(small_group):
    assert basis(small_group, "regular", "regular").dim == small_group.order


def test_known_orbit_sizes():
    B = basis(pt.symmetric(5), "natural", "natural")
    assert B.orbit_sizes.tolist() == [5, 20]
    assert B.labels[0].tolist() == [0, 1, 1, 1, 1]  # orbits numbered by first appearance


# ------------------------------------------------------ independent methods
SPECS = ["natural", "pairs", "subsets:2", "regular", "trivial", "conjugation"]


@pytest.mark.parametrize("x", SPECS)
@pytest.mark.parametrize("y", SPECS)
def test_burnside_count(small_group, x, y):
    G = small_group
    if "subsets:2" in (x, y) and G.degree < 2:
        pytest.skip("C1 acts on one point: no 2-subsets")
    X, Y = GSet.from_spec(G, x), GSet.from_spec(G, y)
    assert pt.equivariant_basis(X, Y).dim == pt.burnside_dimension(X, Y)


@pytest.mark.parametrize("spec, x, y", [
    ("S3", "natural", "pairs"), ("S4", "pairs", "natural"), ("D4", "natural", "natural"),
    ("C6", "regular", "regular"), ("C3xC3", "grid", "grid"), ("A4", "subsets:2", "natural"),
    ("C2xS3", "natural", "subsets:2"), ("D5", "pairs", "natural"),
])
def test_orbit_basis_spans_dense_nullspace_and_reynolds_image(spec, x, y):
    G = pt.group(spec)
    X, Y = GSet.from_spec(G, x), GSet.from_spec(G, y)
    B = pt.equivariant_basis(X, Y)
    U = B.sharing_matrix().toarray()
    N = pt.nullspace_basis(X, Y)
    R = pt.reynolds_basis(X, Y)
    assert N.shape[1] == R.shape[1] == B.dim
    assert same_span(U, N) and same_span(U, R)


def test_project_properties():
    rng = np.random.default_rng(0)
    for spec, x, y in [("D4", "pairs", "natural"), ("A4", "regular", "subsets:2"), ("C4xC4", "grid", "grid")]:
        G = pt.group(spec)
        X, Y = GSet.from_spec(G, x), GSet.from_spec(G, y)
        B = pt.equivariant_basis(X, Y)
        A, C = rng.normal(size=(2, Y.size, X.size))
        PA = B.project(A)
        assert np.allclose(B.project(PA), PA)  # idempotent
        assert np.isclose(np.sum(PA * C), np.sum(A * B.project(C)))  # self-adjoint
        assert pt.equivariance_error(PA, X, Y) < 1e-12  # lands in Hom_G
        # equals the Reynolds average over all of G, computed from the matrices
        PX = pt.permutation_representation(X).element_matrices()
        PY = pt.permutation_representation(Y).element_matrices()
        reynolds = sum(py @ A @ px.T for py, px in zip(PY, PX)) / G.order
        assert np.allclose(PA, reynolds)
        assert np.allclose(pt.project(A, X, Y), PA)


def test_sharing_matrix_and_basis_matrices():
    G = pt.dihedral(5)
    X, Y = GSet.from_spec(G, "natural"), GSet.from_spec(G, "pairs")
    B = pt.equivariant_basis(X, Y)
    U = B.sharing_matrix()
    assert U.shape == (Y.size * X.size, B.dim)
    U = U.astype(np.int64)  # 0/1: compared as the integers they are
    v = np.arange(1, B.dim + 1)
    assert np.array_equal(U @ v, B.expand(v).ravel())  # row-major vec(W) = U v
    assert np.array_equal((U.T @ U).toarray(), np.diag(B.orbit_sizes))
    mats = [m.astype(np.int64).toarray() for m in B.basis_matrices()]
    assert np.array_equal(sum(mats), np.ones(B.shape, dtype=np.int64))
    for i, m in enumerate(mats):
        assert pt.equivariance_error(m, X, Y) < 1e-15
        assert np.array_equal(m, B.basis_matrix(i).astype(np.int64).toarray())
    with pytest.raises(pt.ArgumentError):
        B.basis_matrix(B.dim)


# ------------------------------------------------------------------ symbolic
@pytest.mark.parametrize("spec, x, y", [
    ("S3", "pairs", "pairs"), ("S4", "natural", "pairs"), ("C4xC4", "grid", "grid"),
    ("D4", "subsets:2", "natural"), ("A4", "regular", "natural"),
])
def test_symbolic_verification_passes(spec, x, y):
    result = pt.verify_orbit_basis(basis(pt.group(spec), x, y))
    assert result.ok and result.solution_dim == result.dim and not result.failing_generators


def test_symbolic_check_fails_for_perturbed_w():
    B = basis(pt.symmetric(4), "natural", "pairs")
    c = sympy.symbols(f"c0:{B.dim}")
    W = sympy.Matrix(B.shape[0], B.shape[1], lambda i, j: c[B.labels[i, j]])
    assert pt.exact_equivariance_failures(W, B.X, B.Y) == []
    W[0, 1] += sympy.Rational(1, 3)
    assert pt.exact_equivariance_failures(W, B.X, B.Y) != []
    with pytest.raises(pt.NotEquivariantError):
        pt.assert_equivariant(W, B.X, B.Y, exact=True)


def test_symbolic_verification_detects_an_incomplete_basis():
    B = basis(pt.symmetric(4), "pairs", "pairs")
    merged = np.where(B.labels == B.dim - 1, 0, B.labels)  # union of two orbits: still equivariant
    result = pt.verify_orbit_basis(pt.OrbitBasis(B.X, B.Y, merged))
    assert not result.failing_generators and result.solution_dim == 15 and result.dim == 14
    assert not result.ok


def test_exact_solution_dimension_equals_dense_rank():
    G = pt.dihedral(6)
    X, Y = GSet.from_spec(G, "natural"), GSet.from_spec(G, "subsets:2")
    assert pt.exact_solution_dim(X, Y) == pt.nullspace_basis(X, Y).shape[1] == pt.burnside_dimension(X, Y)


# ------------------------------------------------------------- error measures
def test_equivariance_error_and_assert():
    G = pt.symmetric(4)
    X = GSet.natural(G)
    B = pt.equivariant_basis(X, X)
    W = B.expand([3.0, -1.0])
    assert pt.equivariance_error(W, X, X) < 1e-15
    pt.assert_equivariant(W, X, X)
    pt.assert_equivariant(np.array([[2, 1, 1, 1], [1, 2, 1, 1], [1, 1, 2, 1], [1, 1, 1, 2]]), X, X, exact=True)
    A = np.random.default_rng(0).normal(size=(4, 4))
    assert pt.equivariance_error(A, X, X) > 0.1
    with pytest.raises(pt.NotEquivariantError, match="S4"):
        pt.assert_equivariant(A, X, X)
    # the measure is the commutator norm with the generators' matrices
    P = pt.permutation_representation(X).generator_matrices()
    expected = max(np.linalg.norm(p @ A - A @ p) for p in P) / np.linalg.norm(A)
    assert np.isclose(pt.equivariance_error(A, X, X), expected)
    assert pt.equivariance_error(np.zeros((4, 4)), X, X) < 1e-15


@pytest.mark.parametrize("W", [np.zeros((3, 4)), np.full((4, 4), np.nan), [["a"] * 4] * 4])
def test_bad_weights(W):
    X = GSet.natural(pt.symmetric(4))
    with pytest.raises(pt.WeightError):
        pt.equivariance_error(W, X, X)
    with pytest.raises(pt.WeightError):
        pt.project(W, X, X)


def test_bad_coefficients_and_group_mismatch():
    X = GSet.natural(pt.symmetric(4))
    B = pt.equivariant_basis(X, X)
    with pytest.raises(pt.WeightError):
        B.expand([1.0])
    with pytest.raises(pt.WeightError):
        B.expand([1.0, np.inf])
    with pytest.raises(pt.GroupMismatchError):
        pt.equivariant_basis(X, GSet.natural(pt.cyclic(4)))


def test_large_groups_never_enumerated():
    G = pt.symmetric(200)
    G.max_elements = 1  # any attempt to list elements would raise
    X = GSet.natural(G)
    assert pt.equivariant_basis(X, GSet.from_spec(G, "pairs")).dim == 5


def test_exact_solution_dim_on_a_group_without_inverting_automorphism():
    G = pt.from_generators([[3, 2, 0, 1, 4], [4, 2, 1, 3, 0]])
    X, Y = GSet.natural(G), GSet.from_spec(G, "pairs")
    assert pt.exact_solution_dim(X, Y) == pt.nullspace_basis(X, Y).shape[1] == pt.equivariant_basis(X, Y).dim


@pytest.mark.parametrize("W", [np.ones((3, 3)) * (1 + 1j), np.full((3, 3), np.nan)])
def test_complex_or_nan_weights_rejected_everywhere(W):
    X = GSet.natural(pt.symmetric(3))
    with pytest.raises(pt.WeightError):
        pt.project(W, X, X)
    with pytest.raises(pt.WeightError):
        pt.exact_equivariance_failures(W, X, X)
    with pytest.raises(pt.ArgumentError):
        pt.equivariant_basis(X, X).basis_matrix(0.5)


def test_exact_checks_never_evaluate_strings(tmp_path):
    """sympy.Matrix(...) sympifies strings with eval: the exact entry points refuse them."""
    X = GSet.natural(pt.symmetric(4))
    marker = tmp_path / "evaluated"
    payload = f"__import__('pathlib').Path({str(marker)!r}).write_text('x')"
    for W in [np.full((4, 4), payload, dtype=object), [[payload] * 4] * 4, [["1"] * 4] * 4,
              np.full((4, 4), b"1", dtype=object), [[object()] * 4] * 4, np.full((4, 4), "x + 1")]:
        with pytest.raises(pt.WeightError):
            pt.assert_equivariant(W, X, X, exact=True)
        with pytest.raises(pt.WeightError):
            pt.exact_equivariance_failures(W, X, X)
        with pytest.raises(pt.WeightError):
            pt.equivariance_error(W, X, X)  # the float path does not parse strings either
    assert not marker.exists()
    for bad in [[[sympy.nan] * 4] * 4, [[float("inf")] * 4] * 4, [[sympy.I] * 4] * 4]:
        with pytest.raises(pt.WeightError):
            pt.exact_equivariance_failures(bad, X, X)


def test_exact_checks_accept_numbers_expressions_and_symbols():
    X = GSet.natural(pt.symmetric(3))
    a, b = sympy.symbols("a b")
    from decimal import Decimal  # noqa: PLC0415 - only this test uses them
    from fractions import Fraction  # noqa: PLC0415

    for diagonal, off in [(a, b), (Fraction(1, 3), Fraction(2, 7)), (np.int64(2), True), (sympy.sqrt(2), 0.5),
                          (sympy.Rational(1, 3), sympy.pi), (Decimal("1.5"), Decimal(2)),
                          ((1 + sympy.I) * (1 - sympy.I), 0)]:
        W = [[diagonal if i == j else off for j in range(3)] for i in range(3)]
        assert pt.exact_equivariance_failures(W, X, X) == []
    W = [[a, b, b], [b, a, b], [b, b, a + 1]]
    assert pt.exact_equivariance_failures(W, X, X) != []


@pytest.mark.parametrize("W", [np.full((3, 3), "1.5"), np.zeros((3, 3), dtype="datetime64[s]"),
                               np.zeros(9, dtype=[("a", float)]).reshape(3, 3)])
def test_non_numeric_dtypes_are_not_cast(W):
    X = GSet.natural(pt.symmetric(3))
    with pytest.raises(pt.WeightError, match="type"):
        pt.equivariance_error(W, X, X)


PAIR_CASES = [("S4", "natural", "natural"), ("S4", "pairs", "natural"), ("S5", "subsets:2", "pairs"),
              ("C6", "natural+natural", "regular"), ("A4", "regular", "regular"), ("D5", "natural", "subsets:2"),
              ("C4xC4", "grid", "grid"), ("C2xS3", "cosets:(2 3)", "natural"), ("S3", "natural+trivial", "pairs"),
              ("C1", "natural", "natural"), ("<(0 1 2 3)(4 5 6 7);(0 4 2 6)(1 7 3 5)>", "natural", "tuples:2"),
              ("D4", "regular+natural", "subsets:2+trivial"), ("C28xC28", "grid", "grid"),
              ("A5", "regular+natural", "regular")]


@pytest.mark.parametrize("spec, x, y", PAIR_CASES)
def test_pair_orbits_from_transversals_equal_union_find_over_all_pairs(spec, x, y):
    """Two independent methods: Schreier transversals with stabiliser orbits (what
    equivariant_basis uses) and union-find over every pair of the product G-set."""
    G = pt.group(spec)
    X, Y = pt.GSet.from_spec(G, x), pt.GSet.from_spec(G, y)
    union_find = pt.GSet.product(Y, X).orbit_labels.reshape(Y.size, X.size)
    assert np.array_equal(pair_orbit_labels(X, Y), union_find)
    assert np.array_equal(pt.equivariant_basis(X, Y).labels, union_find)  # whichever method it picks

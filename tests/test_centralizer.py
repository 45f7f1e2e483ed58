"""Decompositions from the centralizer algebra End_G(Fun X), which never lists the group,
checked against the character method, against Young's rule for S_n, and by the identities
of central idempotents."""

import math

import numpy as np
import pytest

import pltheory as pt
from pltheory import decomposition
from pltheory.centralizer import CentralizerAlgebra
from pltheory.cli import main
from pltheory.families.symmetric_groups import partition_key
from pltheory.young import hook_length_dimension, murnaghan_nakayama, partitions

Q8 = "<[1,4,3,6,5,0,7,2];[2,7,4,1,6,3,0,5]>"  # left multiplication by i and j on +-1, +-i, +-j, +-k
PSL27 = "<(0 1 2 3 4 5 6);(0 7)(1 6)(2 3)(4 5)>"  # x -> x + 1 and x -> -1/x on the projective line over F_7
M11 = "<(0 1 2 3 4 5 6 7 8 9 10);(2 6 10 7)(3 9 4 5)>"
M12 = "<(0 1 2 3 4 5 6 7 8 9 10);(2 6 10 7)(3 9 4 5);(0 11)(1 10)(2 5)(3 7)(4 8)(6 9)>"
C2_WR_S3 = "<(0 1);(0 2)(1 3);(0 2 4)(1 3 5)>"  # C_2 wr S_3 on 6 points (3 blocks of 2)

BOTH_METHODS = [("S4", "natural"), ("S4", "pairs"), ("S4", "regular"), ("A4", "regular"), ("C3", "regular"),
                (Q8, "regular"), ("D5", "natural"), ("D4", "regular"), ("C2xS3", "cosets:(2 3)"),
                ("A5", "pairs"), ("S5", "subsets:2"), ("C4xC4", "grid"), (PSL27, "natural"), (PSL27, "pairs"),
                (C2_WR_S3, "natural"), (C2_WR_S3, "pairs")]


@pytest.mark.parametrize("spec, x", BOTH_METHODS)
def test_centralizer_equals_the_character_method(spec, x):
    X = pt.GSet.from_spec(pt.group(spec), x)
    by_characters = pt.decompose(X, method="characters")
    by_algebra = pt.decompose(X, method="centralizer")
    assert by_algebra.multiplicities() == by_characters.multiplicities()
    for c in by_characters.components:
        (d,) = [d for d in by_algebra.components if d.irrep.key == c.irrep.key]
        assert (d.irrep.dim, d.irrep.type) == (c.irrep.dim, c.irrep.type)
        assert np.allclose(d.projector, c.projector, atol=1e-8)  # the same isotypic projector


@pytest.mark.parametrize("spec, x", BOTH_METHODS + [(M11, "pairs"), ("S7", "subsets:3")])
def test_central_idempotents(spec, x):
    """e_V e_W = delta_VW e_V, sum_V e_V = 1, e_V commutes with every generator's P_g,
    tr(e_V) = m_V dim V, and dim End_G(Fun X) = sum_V m_V^2 dim D_V."""
    X = pt.GSet.from_spec(pt.group(spec), x)
    A = CentralizerAlgebra(X)
    E = [b.idempotent[A.labels] for b in A.blocks]  # the dense projectors, fine at this size
    assert np.allclose(sum(E), np.eye(X.size), atol=1e-8)
    for i, e in enumerate(E):
        for j, f in enumerate(E):
            assert np.allclose(e @ f, e if i == j else 0.0, atol=1e-8)
        for act in X.action:
            P = np.zeros((X.size, X.size))
            P[act, np.arange(X.size)] = 1.0
            assert np.allclose(P @ e, e @ P, atol=1e-8)
        assert math.isclose(np.trace(e), A.blocks[i].trace, abs_tol=1e-8)
    # dim End_G(Fun X) = sum_V m_V^2 dim D_V, with m_V and the types from the character
    # method, where the group's irreducibles can be built
    try:
        C = pt.decompose(X, method="characters")
    except pt.GroupTooLargeError:
        return
    assert A.dim == sum(c.multiplicity**2 * c.irrep.endomorphism_dim for c in C.components)


def young_rule(n, k):
    """Fun(k-subsets of n) = sum_{j <= k} (n - j, j), k <= n / 2 (Young's rule)."""
    return {(n - j, j) if j else (n,): 1 for j in range(k + 1)}


def key(shape):
    return "(" + ",".join(map(str, shape)) + ")"


@pytest.mark.parametrize("n", [4, 6, 9, 12, 20, pytest.param(30, marks=pytest.mark.slow)])
def test_symmetric_point_clouds_follow_known_formulas(n):
    G = pt.symmetric(n)
    natural = pt.decompose(pt.GSet.natural(G), method="centralizer").multiplicities()
    assert natural == {key((n,)): 1, key((n - 1, 1)): 1}
    pairs = pt.decompose(pt.GSet.from_spec(G, "pairs"), method="centralizer").multiplicities()
    assert pairs == {key((n,)): 2, key((n - 1, 1)): 3, key((n - 2, 2)): 1, key((n - 2, 1, 1)): 1}
    for k in (2, 3):
        if 2 * k <= n:
            found = pt.decompose(pt.GSet.from_spec(G, f"subsets:{k}"), method="centralizer").multiplicities()
            assert found == {key(shape): m for shape, m in young_rule(n, k).items()}


def test_symmetric_components_carry_young_irreducibles():
    D = pt.decompose(pt.GSet.from_spec(pt.symmetric(12), "pairs"), method="centralizer")
    for c in D.components:
        assert c.irrep.partition is not None and c.irrep.dim == hook_length_dimension(c.irrep.partition)
        assert c.basis.shape == (144, c.dim) and np.allclose(c.basis.T @ c.basis, np.eye(c.dim), atol=1e-8)
    assert [c.irrep.kernel_order for c in D.components] == [math.factorial(12), 1, 1, 1]


@pytest.mark.parametrize("spec, degree, order", [(M11, 11, 7920), (M12, 12, 95040)])
def test_mathieu_groups_from_generators(spec, degree, order):
    """M_11 and M_12 are 2-transitive (natural = 1 + (n - 1)); their pairs follow from
    natural (x) natural, with the dimensions of the ATLAS."""
    G = pt.group(spec)
    assert G.order == order and G.degree == degree
    natural = pt.decompose(pt.GSet.natural(G))
    assert natural.method == "centralizer"
    assert sorted((c.irrep.dim, c.multiplicity) for c in natural.components) == [(1, 1), (degree - 1, 1)]
    pairs = pt.decompose(pt.GSet.from_spec(G, "pairs"))
    dims = {11: [(1, 2), (10, 3), (44, 1), (45, 1)], 12: [(1, 2), (11, 3), (54, 1), (55, 1)]}[degree]
    assert sorted((c.irrep.dim, c.multiplicity) for c in pairs.components) == dims
    # the same irreducible is named alike in both sets: keys from characters at generators
    assert {c.irrep.key for c in natural.components} <= {c.irrep.key for c in pairs.components}


def test_auto_picks_the_centralizer_for_large_groups():
    assert pt.decompose(pt.GSet.from_spec(pt.symmetric(8), "pairs")).method == "centralizer"
    assert pt.decompose(pt.GSet.from_spec(pt.symmetric(4), "pairs")).method == "characters"
    assert pt.decompose(pt.GSet.natural(pt.cyclic(8))).method == "fourier"


D4_OTHER_GENERATORS = "<(0 1 2 3);(0 2)>"  # D_4, not by its standard generators: no Fourier path


@pytest.mark.parametrize("spec, x", [("S4", "natural"), ("S4", "pairs"), ("A4", "regular"), ("S5", "natural"),
                                     (D4_OTHER_GENERATORS, "regular"), (PSL27, "natural")])
def test_interaction_graphs_from_the_centralizer_path_equal_todays(spec, x, monkeypatch):
    X = pt.GSet.from_spec(pt.group(spec), x)
    expected = pt.interaction_graph(X, "relu").edges()
    Y = pt.GSet.from_spec(pt.group(spec), x)  # a fresh G-set: no cached decomposition
    monkeypatch.setattr(decomposition, "CHARACTER_WORK", 0)
    assert pt.decompose(Y).method == "centralizer"
    assert pt.interaction_graph(Y, "relu").edges() == expected


def test_weights_decompose_on_the_centralizer_path():
    """decompose_weight needs no aligned copies: its equivariant part is the projection."""
    X, Y = (pt.GSet.from_spec(pt.symmetric(9), s) for s in ("natural", "pairs"))
    rng = np.random.default_rng(0)
    W = pt.project(rng.normal(size=(81, 9)), X, Y) + 0.1 * rng.normal(size=(81, 9))
    d = pt.decompose_weight(W, X, Y)
    share = np.sum(pt.project(W, X, Y) ** 2) / np.sum(W**2)
    assert math.isclose(d.equivariant_share, share, rel_tol=1e-9)
    assert math.isclose(d.energy.sum(), 1.0, rel_tol=1e-9)


def test_characters_of_single_shapes_beyond_the_partition_list():
    """One shape of S_n is handled past the n = 50 up to which all partitions are listed;
    the Murnaghan-Nakayama rule refuses shapes whose intermediate states would explode."""
    assert pt.murnaghan_nakayama((68, 2), (2,) * 35) == 35  # chi_(n-2,2) at a fixed-point-free involution
    with pytest.raises(pt.TooLargeError, match="intermediate shapes"):
        pt.murnaghan_nakayama((20,) * 10, (1,) * 200)


@pytest.mark.slow
def test_point_clouds_at_scale():
    """S_50 on natural + pairs (2,550 points) with its ReLU graph, and S_70 on pairs (4,900
    points, 24 million pairs), from generators alone."""
    X = pt.GSet.from_spec(pt.symmetric(50), "natural+pairs")
    assert pt.decompose(X).multiplicities() == {"(50)": 3, "(49,1)": 4, "(48,2)": 1, "(48,1,1)": 1}
    edges = pt.interaction_graph(X, "relu").edges()
    assert ("(49,1)", "(48,2)") in edges and ("(50)", "(49,1)") not in edges
    pairs = pt.decompose(pt.GSet.from_spec(pt.symmetric(70), "pairs"))
    assert pairs.multiplicities() == {"(70)": 2, "(69,1)": 3, "(68,2)": 1, "(68,1,1)": 1}


def test_point_cloud_interaction_graph_as_documented():
    """docs/theory.md, S_n point clouds: the ReLU graph of S_20 on points + pairs."""
    g = pt.interaction_graph(pt.GSet.from_spec(pt.symmetric(20), "natural+pairs"), "relu")
    loops = {(k, k) for k in ("(20)", "(19,1)", "(18,2)", "(18,1,1)")}
    assert g.edges() == loops | {("(19,1)", "(20)"), ("(18,2)", "(20)"), ("(18,1,1)", "(20)"),
                                 ("(19,1)", "(18,1,1)"), ("(18,1,1)", "(19,1)"), ("(19,1)", "(18,2)"),
                                 ("(18,1,1)", "(18,2)"), ("(18,2)", "(19,1)")}


def test_undecided_kernels_are_said_so(tmp_path):
    """A_9 (181,440 elements, no closed-form irreducibles here) on its points: the graph's
    nodes say that the kernel is unknown instead of guessing, and the figure still draws."""
    X = pt.GSet.natural(pt.alternating(9))
    g = pt.interaction_graph(X, "relu")
    nodes = g.as_dict()["nodes"]
    assert {n["dim"] for n in nodes} == {1, 8}
    unknown = [n for n in nodes if n["kernel_order"] is None]
    assert unknown and all("unknown" in n["kernel"] for n in unknown)
    assert main(["graph", "A9", "--set", "natural", "-o", str(tmp_path / "a9.png")]) == 0


def heisenberg(p):
    """The Heisenberg group mod p on F_p^2: (x, y) -> (x + 1, y) and (x, y) -> (x, y + x);
    its p-dimensional irreducibles vanish off the centre, so a few sampled elements do
    not tell them apart. Listed up to 2000 elements only, so that for p = 13 (2197) its
    irreducibles are unknown and the centralizer algebra builds them from copies."""
    points = [(x, y) for x in range(p) for y in range(p)]
    index = {q: i for i, q in enumerate(points)}
    G = pt.from_generators([[index[((x + 1) % p, y)] for x, y in points],
                            [index[(x, (y + x) % p)] for x, y in points]])
    G.max_elements = 2000
    return G


def test_irreducibles_that_agree_on_the_samples_are_told_apart():
    X = pt.GSet.natural(heisenberg(7))  # order 343: all classes decide
    assert pt.decompose(X, method="centralizer").multiplicities() == \
        pt.decompose(X, method="characters").multiplicities()
    D = pt.decompose(pt.GSet.natural(heisenberg(13)))  # order 2197, too large to list its irreducibles
    keys = [c.irrep.key for c in D.components]
    assert D.method == "centralizer" and len(set(keys)) == len(keys) == 13
    assert sum(1 for k in keys if k.startswith("26C(0,0)~") and "#" not in k) == 6  # told apart by [a, b]


def test_keys_of_irreducibles_built_from_copies_name_the_same_irreducible_everywhere():
    """A key built from a copy is a property of the irreducible: the same in another
    G-set and with another seed, with the same projector; so decompose_weight matches the
    blocks of an equivariant map between two G-sets (all of its energy is equivariant)."""
    G = heisenberg(13)
    X, Y = pt.GSet.natural(G), pt.GSet.from_spec(G, "natural+natural")
    DX, DY = pt.decompose(X), pt.decompose(Y)
    DX1 = pt.decompose(X, seed=1)
    assert DX.components.keys() == DX1.components.keys() and set(DX.components.keys()) <= set(DY.components.keys())
    for c, c1 in zip(DX.components, DX1.components):
        assert np.allclose(c.projector, c1.projector, atol=1e-8)
    W = pt.equivariant_basis(X, Y).project(np.random.default_rng(0).normal(size=(Y.size, X.size)))
    assert np.isclose(pt.decompose_weight(W, X, Y).equivariant_share, 1.0)


def test_merged_ideals_fail_certification():
    """Two ideals spanned together never pass as one: the centre's dimension must be 1 for
    types R and H and 2 for C, and dim V even for C (R + R + C used to pass as R^2)."""
    A = CentralizerAlgebra(pt.GSet.regular(pt.cyclic(4)))
    T = np.zeros((A.dim, A.dim))
    T[A.transpose, np.arange(A.dim)] = 1.0
    assert [(b.dim, b.type) for b in A.blocks] == [(1, "R"), (1, "R"), (2, "C")]
    assert A._block(np.eye(A.dim), A.center, T) is None  # the whole algebra, R + R + C, as one block


def test_an_r_ideal_merged_with_an_h_ideal_does_not_pass_as_type_c():
    """In R[S_3 x Q_8], M_2(R) (the 2-dim irreducible of S_3) and H (the 4-dim one of
    Q_8) together have every invariant of M_2(C): dimension 8, a 2-dim centre, 4 symmetric
    dimensions, trace 8. Their centre is split (c^2 > 0), not C (J^2 = -e): refused."""
    A = CentralizerAlgebra(pt.GSet.regular(pt.direct_product(pt.symmetric(3), pt.group(Q8))))
    T = np.zeros((A.dim, A.dim))
    T[A.transpose, np.arange(A.dim)] = 1.0
    r2 = next(b for b in A.blocks if (b.type, b.dim, b.multiplicity) == ("R", 2, 2))
    h1 = next(b for b in A.blocks if (b.type, b.dim, b.multiplicity) == ("H", 4, 1))
    root = np.sqrt(A.sizes)
    ideal = np.hstack([A._orthonormal(A._multiplication(b.idempotent, "left")) for b in (r2, h1)])
    U = np.linalg.svd(ideal, full_matrices=False)[0][:, :8]  # e_V A for both: 4 + 4 dimensions
    assert np.allclose(U @ (U.T @ (r2.idempotent * root)), r2.idempotent * root)  # the span holds both units
    assert A._block(U, A.center, T) is None


@pytest.mark.parametrize("spec, x", [("A4", "regular"), ("S4", "pairs"), ("D5", "subsets:2"), ("S5", "tuples:2")])
def test_multiplication_through_the_labels_equals_matrix_products(spec, x):
    """The coefficients of a b computed from the labels (one representative pair per
    orbit) against the dense product of the |X| x |X| matrices sum a_i B_i and sum b_j B_j;
    the left and right multiplication matrices applied to b and a give the same."""
    A = CentralizerAlgebra(pt.GSet.from_spec(pt.group(spec), x))
    rng = np.random.default_rng(0)
    a, b = rng.normal(size=A.dim), rng.normal(size=A.dim)
    dense = a[A.labels] @ b[A.labels]  # (sum a_i B_i)(sum b_j B_j)
    y, x0 = A.representatives.T
    assert np.allclose(A.multiply(a, b), dense[y, x0])
    assert np.allclose(dense, A.multiply(a, b)[A.labels])  # the product lies in A
    assert np.allclose(A._multiplication(a, "left") @ b, A.multiply(a, b))
    assert np.allclose(A._multiplication(b, "right") @ a, A.multiply(a, b))


@pytest.mark.parametrize("n", [6, pytest.param(7, marks=pytest.mark.slow)])
def test_cosets_of_a_transposition_follow_frobenius_reciprocity(n):
    """Fun(S_n / <(0 1)>) holds lambda (dim lambda + chi_lambda((0 1))) / 2 times
    (Frobenius reciprocity; characters by Murnaghan-Nakayama, not by the algebra). For
    n = 7 the algebra has dimension 1,320, beyond the old limit of 600."""
    D = pt.decompose(pt.GSet.from_spec(pt.symmetric(n), "cosets:(0 1)"), method="centralizer")
    expected = {}
    for shape in partitions(n):
        m = (hook_length_dimension(shape) + murnaghan_nakayama(shape, (2,) + (1,) * (n - 2))) // 2
        if m:
            expected[partition_key(shape)] = m
    assert D.multiplicities() == expected


def test_large_wreath_product_on_2n_points():
    """C_2 wr S_n (order 2^n n!, given by generators, too large for Schreier-Sims here) on
    the 2n points +-e_i: Fun = trivial + the (n-1)-dim standard part of S_n + the n odd
    functions f(-e_i) = -f(e_i), whose projector is (I - P_flip) / 2 exactly."""
    n = 300
    flip = list(range(2 * n))
    flip[0], flip[1] = 1, 0  # -e_0 <-> e_0
    shift = [(x + 2) % (2 * n) for x in range(2 * n)]  # e_i -> e_i+1
    swap = list(range(2 * n))
    swap[0:4] = [2, 3, 0, 1]  # e_0 <-> e_1
    X = pt.GSet.natural(pt.from_generators([flip, shift, swap]))
    D = pt.decompose(X)
    assert D.method == "centralizer" and sorted(c.irrep.dim for c in D.components) == [1, n - 1, n]
    odd = next(c for c in D.components if c.irrep.dim == n)
    pairs = np.arange(2 * n) ^ 1  # the point -x of x
    f = np.random.default_rng(0).normal(size=2 * n)
    assert np.allclose(odd.projector @ f, (f - f[pairs]) / 2)


@pytest.mark.parametrize("spec, x", [("S4", "pairs"), ("A4", "regular"), (Q8, "regular")])
def test_energies_through_the_labels_equal_the_character_method(spec, x):
    """||e_V f||^2 = f . e_V f from the orbit labels (no basis) against the energies of the
    character method's adapted basis, component by component."""
    X = pt.GSet.from_spec(pt.group(spec), x)
    f = np.random.default_rng(2).normal(size=X.size)
    by_algebra = pt.decompose(X, method="centralizer")
    by_characters = pt.decompose(X, method="characters")
    mine = dict(zip(by_algebra.components.keys(), by_algebra.component_energies(f)))
    theirs = dict(zip(by_characters.components.keys(), by_characters.component_energies(f)))
    assert mine.keys() == theirs.keys()
    assert all(np.isclose(mine[k], theirs[k]) for k in mine)

"""Closed-form irreducibles of D_n and S_n, against identities, known tables, the general
algorithm, and exact (sympy) arithmetic."""

import itertools
import math

import numpy as np
import pytest
import sympy

import pltheory as pt
from pltheory.irreducibles.general import general_irreps as _general_irreps
from pltheory.permutations import cycle_type
from pltheory.young import (
    conjugate,
    hook_length_dimension,
    murnaghan_nakayama,
    partitions,
    standard_tableaux,
    young_orthogonal_matrix,
)

PARTITION_COUNTS = [1, 1, 2, 3, 5, 7, 11, 15, 22, 30, 42]  # p(0..10), OEIS A000041


# ------------------------------------------------------------------ partitions, tableaux
@pytest.mark.parametrize("n", range(1, 11))
def test_partitions_and_tableaux(n):
    lams = partitions(n)
    assert len(lams) == len(set(lams)) == PARTITION_COUNTS[n]
    assert all(sum(lam) == n and list(lam) == sorted(lam, reverse=True) for lam in lams)
    assert sum(hook_length_dimension(lam) ** 2 for lam in lams) == math.factorial(n)
    if n <= 8:
        assert all(len(standard_tableaux(lam)) == hook_length_dimension(lam) for lam in lams)
        # sum of f^lambda = number of involutions (OEIS A000085)
        involutions = [1, 1, 2, 4, 10, 26, 76, 232, 764][n]
        assert sum(len(standard_tableaux(lam)) for lam in lams) == involutions


def test_conjugate_partition():
    assert conjugate((3, 1)) == (2, 1, 1) and conjugate((2, 2)) == (2, 2)
    for lam in partitions(7):
        assert conjugate(conjugate(lam)) == lam


# ------------------------------------------------------------------ Murnaghan-Nakayama
@pytest.mark.parametrize("n", range(1, 7))
def test_young_matrices_form_a_representation_with_the_mn_character(n):
    """Young's orthogonal form is an orthogonal homomorphism on all of S_n, and its trace
    (one method) equals the Murnaghan-Nakayama value (another)."""
    perms = [np.array(p) for p in itertools.permutations(range(n))]
    for lam in partitions(n):
        rho = {p.tobytes(): young_orthogonal_matrix(lam, p) for p in perms}
        rng = np.random.default_rng(n)
        for _ in range(30):
            g, h = perms[rng.integers(len(perms))], perms[rng.integers(len(perms))]
            assert np.allclose(rho[g.tobytes()] @ rho[h.tobytes()], rho[g[h].tobytes()], atol=1e-10)
        for p in perms:
            m = rho[p.tobytes()]
            assert np.allclose(m @ m.T, np.eye(len(m)), atol=1e-10)
            assert math.isclose(np.trace(m), murnaghan_nakayama(lam, cycle_type(p)), abs_tol=1e-9)


def test_mn_special_values():
    for n in range(2, 9):
        for lam in partitions(n):
            assert murnaghan_nakayama(lam, (1,) * n) == hook_length_dimension(lam)
            # chi^lambda' = sign x chi^lambda
            for mu in partitions(n):
                sign = (-1) ** (n - len(mu))
                assert murnaghan_nakayama(conjugate(lam), mu) == sign * murnaghan_nakayama(lam, mu)
        # on an n-cycle only hooks (n-k, 1^k) are nonzero, with value (-1)^k
        for lam in partitions(n):
            k = len(lam) - 1
            hook = lam[1:] == (1,) * k
            assert murnaghan_nakayama(lam, (n,)) == ((-1) ** k if hook else 0)


def test_known_table_s5():
    # classes 1^5, 2 1^3, 2^2 1, 3 1^2, 3 2, 4 1, 5 (any textbook)
    classes = [(1, 1, 1, 1, 1), (2, 1, 1, 1), (2, 2, 1), (3, 1, 1), (3, 2), (4, 1), (5,)]
    known = {
        (5,): [1, 1, 1, 1, 1, 1, 1],
        (4, 1): [4, 2, 0, 1, -1, 0, -1],
        (3, 2): [5, 1, 1, -1, 1, -1, 0],
        (3, 1, 1): [6, 0, -2, 0, 0, 0, 1],
        (2, 2, 1): [5, -1, 1, -1, -1, 1, 0],
        (2, 1, 1, 1): [4, -2, 0, 1, 1, 0, -1],
        (1, 1, 1, 1, 1): [1, -1, 1, 1, -1, -1, 1],
    }
    for lam, row in known.items():
        assert [murnaghan_nakayama(lam, mu) for mu in classes] == row


@pytest.mark.parametrize("n", [3, 4, 5])
def test_symmetric_group_table_agrees_with_general_algorithm(n, same_characters):
    G = pt.symmetric(n)
    assert same_characters(G.irreps(), _general_irreps(G, seed=2))


# ------------------------------------------------------------------ S_n irreducibles
def test_s1_and_s2_are_the_cyclic_groups_they_equal():
    """S_1 and S_2 have the generators of C_1 and C_2: equal groups, so one structure and
    the same irreducibles (keyed by frequency; a group's structure depends only on its
    generators)."""
    for n in (1, 2):
        assert pt.symmetric(n) == pt.cyclic(n) and pt.symmetric(n).structure == pt.cyclic(n).structure
        assert pt.symmetric(n).irreps() == pt.cyclic(n).irreps()


@pytest.mark.parametrize("n", range(3, 8))
def test_symmetric_irreps(n):
    G = pt.symmetric(n)
    Vs = G.irreps()
    assert [V.partition for V in Vs] == partitions(n)
    assert [V.key for V in Vs][0] == f"({n})"
    assert len(Vs) == len(G.conjugacy_classes())
    assert all(V.type == "R" for V in Vs)
    assert sum(V.dim**2 for V in Vs) == math.factorial(n)
    for V in Vs:
        assert V.dim == hook_length_dimension(V.partition)
        if n <= 6:
            V.representation.check_homomorphism(atol=1e-9)


def test_s7_character_table_is_exact_and_orthogonal():
    T = pt.character_table(pt.symmetric(7))
    sizes = [c.size for c in T.classes]
    assert sum(d * d for d in T.dims) == 5040 and len(T.keys) == 15
    X = sympy.Matrix(T.values)
    gram = X * sympy.diag(*sizes) * X.T
    assert gram == 5040 * sympy.eye(15)  # exact integer row orthogonality
    # values against traces of Young's matrices at the class representatives
    G = pt.symmetric(7)
    for i, V in enumerate(G.irreps()):
        for j, c in enumerate(T.classes):
            assert math.isclose(np.trace(V.matrix(c.representative)), int(T.values[i, j]), abs_tol=1e-8)


def test_symmetric_group_from_other_generators_uses_young_form(same_characters):
    # S5 generated by (0 1 2 3) and (3 4): order 5! on 5 points
    G = pt.group("<(0 1 2 3);(3 4)>")
    assert G.order == 120 and G.structure == pt.symmetric(5).structure
    Vs = G.irreps()
    assert [V.partition for V in Vs] == partitions(5)
    for V in Vs:
        V.representation.check_homomorphism(atol=1e-9)
    assert same_characters(Vs, _general_irreps(G, seed=0))


def test_exact_young_matrices_are_an_exact_homomorphism():
    """rho(s) rho(g) = rho(s g) exactly in Q(sqrt 2, sqrt 3) for every generator s and g."""
    G = pt.symmetric(4)
    left = G.left_multiplication()
    for V in G.irreps():
        gens = V.exact_matrices()
        for m in gens:
            assert (m * m.T).applyfunc(sympy.simplify) == sympy.eye(V.dim)
        images = []
        for i in range(G.order):
            image = sympy.eye(V.dim)
            for s in reversed(G.word(G.elements()[i])):
                image = gens[s] * image
            images.append(image.applyfunc(sympy.radsimp))
        for s, m in enumerate(gens):
            for i in range(G.order):
                assert (m * images[i] - images[left[s][i]]).applyfunc(sympy.simplify) == sympy.zeros(V.dim)
        assert np.allclose(np.array(gens[1].evalf(), dtype=float), V.matrices[1], atol=1e-12)


# ------------------------------------------------------------------ D_n
@pytest.mark.parametrize("n", range(3, 13))
def test_dihedral_irreps(n, same_characters):
    G = pt.dihedral(n)
    Vs = G.irreps()
    ones = [V.key for V in Vs if V.dim == 1]
    assert ones == (["A1", "A2", "B1", "B2"] if n % 2 == 0 else ["A1", "A2"])
    assert [V.frequency for V in Vs if V.dim == 2] == list(range(1, (n + 1) // 2))
    assert sum(V.dim**2 for V in Vs) == 2 * n and all(V.type == "R" for V in Vs)
    assert len(Vs) == len(G.conjugacy_classes())
    for V in Vs:
        V.representation.check_homomorphism(atol=1e-9)
    # the same group without its family tag goes through the general algorithm
    H = pt.from_generators(G.generators)
    assert same_characters(Vs, H.irreps())


@pytest.mark.parametrize("n", [3, 4, 5, 8])
def test_dihedral_exact_matrices_satisfy_the_presentation(n):
    """r^n = s^2 = 1 and s r s = r^-1 exactly."""
    for V in pt.dihedral(n).irreps():
        r, s = V.exact_matrices()
        one = sympy.eye(V.dim)
        assert (r**n).applyfunc(sympy.simplify) == one and s * s == one
        assert (s * r * s * r).applyfunc(sympy.simplify) == one


@pytest.mark.parametrize("n", [1, 5, 6, 12])
def test_cyclic_exact_matrices(n):
    for V in pt.cyclic(n).irreps():
        (r,) = V.exact_matrices()
        assert (r**n).applyfunc(sympy.simplify) == sympy.eye(V.dim)
        assert np.allclose(np.array(r.evalf(), dtype=float), V.matrices[0], atol=1e-12)


@pytest.mark.parametrize("n", [3, 4, 5, 6])
def test_symmetric_character_tables_by_formula_equal_those_from_the_irreducibles(n):
    """The Murnaghan-Nakayama table (no group listed) against the traces of Young's
    matrices at listed class representatives, matched by cycle type."""
    G = pt.symmetric(n)
    T = pt.character_table(G)
    assert all(c.elements is None for c in T.classes)
    listed = {cycle_type(c.representative): c for c in G.conjugacy_classes()}
    for j, c in enumerate(T.classes):
        mine = listed[cycle_type(c.representative)]
        assert (c.size, c.element_order) == (mine.size, mine.element_order)
        for i, V in enumerate(G.irreps()):
            assert V.key == T.keys[i]
            assert math.isclose(np.trace(V.matrix(mine.representative)), int(T.data[i, j]), abs_tol=1e-9)


@pytest.mark.parametrize("n", [12, 15, pytest.param(21, marks=pytest.mark.slow)])
def test_large_symmetric_character_tables_are_orthogonal(n):
    """Rows: sum_C |C| chi(C) psi(C) = n! delta; columns: sum_chi chi(C)^2 = n! / |C|."""
    T = pt.character_table(pt.symmetric(n))
    X = T.data.astype(object)  # exact integers
    sizes = [c.size for c in T.classes]
    order = math.factorial(n)
    assert sum(sizes) == order and len(T.classes) == len(partitions(n))
    gram = (X * sizes) @ X.T
    assert np.array_equal(gram, order * np.eye(len(sizes), dtype=object))
    assert all(sum(v * v for v in X[:, j]) * s == order for j, s in enumerate(sizes))
    # Frobenius-Schur (1/|G|) sum_C |C| chi(C^2): the square of an l-cycle is an l-cycle (l odd)
    # or two l/2-cycles (l even), so the columns of the squares come from cycle types alone
    types = [tuple(cycle_type(c.representative)) for c in T.classes]
    squares = [tuple(sorted([p for l in t for p in ([l] if l % 2 else [l // 2, l // 2])], reverse=True))
               for t in types]
    column = [types.index(q) for q in squares]
    assert [sum(s * X[i, column[j]] for j, s in enumerate(sizes)) for i in range(len(sizes))] == [order] * len(sizes)

"""Isotypic decomposition of Fun(X): multiplicities, projectors, adapted bases."""

import numpy as np
import pytest
from scipy.linalg import block_diag

import pltheory as pt

Q8 = "<(0 1 2 3)(4 5 6 7);(0 4 2 6)(1 7 3 5)>"
CASES = [("S4", "natural"), ("S4", "pairs"), ("A4", "regular"), ("C6", "natural"),
         ("D4", "subsets:2"), (Q8, "natural"), ("C4xC4", "grid"), ("A5", "pairs"),
         ("D5", "natural+trivial"), ("C2xS3", "cosets:(2 3)")]


@pytest.fixture(params=CASES, ids=[f"{g}-{s}" for g, s in CASES])
def decomposition(request):
    G = pt.group(request.param[0])
    return pt.decompose(pt.GSet.from_spec(G, request.param[1]))


def test_multiplicities_add_up(decomposition):
    D = decomposition
    assert sum(c.multiplicity * c.irrep.dim for c in D.components) == D.X.size


def test_endomorphism_dimension_equals_orbit_count(decomposition):
    """dim End_G(Fun X) = sum_V m_V^2 dim End_G(V) = #orbits on X x X."""
    D = decomposition
    total = sum(c.multiplicity**2 * c.irrep.endomorphism_dim for c in D.components)
    assert total == pt.equivariant_basis(D.X, D.X).dim


def test_adapted_basis_block_diagonalises(decomposition):
    D = decomposition
    Q = D.basis
    assert np.allclose(Q.T @ Q, np.eye(D.X.size), atol=1e-9)
    P = pt.permutation_representation(D.X).generator_matrices()
    for g, pg in zip(D.X.group.generators, P):
        blocks = [c.irrep.matrix(g) for c in D.components for _ in range(c.multiplicity)]
        assert np.allclose(Q.T @ pg @ Q, block_diag(*blocks), atol=1e-8)
    assert len(D.column_keys) == D.X.size


def character_projector(V, X) -> np.ndarray:
    """E_V = dim V / (dim End V |G|) sum_g chi_V(g) P_g, summed over all elements."""
    E = np.zeros((X.size, X.size))
    for act, value in zip(X.element_actions(), V.character()):
        E[act, np.arange(X.size)] += value
    return E * V.dim / (V.endomorphism_dim * X.group.order)


def test_projectors_equal_the_character_formula(decomposition):
    D = decomposition
    total = np.zeros((D.X.size, D.X.size))
    for c in D.components:
        E = c.projector
        assert np.allclose(E @ E, E, atol=1e-9) and np.allclose(E, E.T, atol=1e-9)
        assert np.allclose(E, character_projector(c.irrep, D.X), atol=1e-8)
        total += E
    assert np.allclose(total, np.eye(D.X.size), atol=1e-9)


def test_coordinates_are_the_adapted_basis_transpose(decomposition):
    D = decomposition
    F = np.random.default_rng(5).normal(size=(D.X.size, 3))
    assert np.allclose(D.coordinates(F), D.basis.T @ F, atol=1e-9)
    assert np.allclose(D.coordinates(F[:, 0]), D.basis.T @ F[:, 0], atol=1e-9)
    energies = D.component_energies(F[:, 0])
    assert np.isclose(energies.sum(), np.sum(F[:, 0] ** 2))
    assert np.allclose(energies, [np.sum((c.projector @ F[:, 0]) ** 2) for c in D.components])


# abelian groups on G-sets with free and non-free orbits (stabilisers of several sizes)
ABELIAN = [("C6", "natural"), ("C6", "pairs"), ("C6", "subsets:2"), ("C6", "natural+trivial"),
           ("C4xC4", "grid"), ("C2xC4", "natural"), ("C2xC4", "regular"), ("C3xC3", "cosets:(0 1 2)"),
           ("C2xC2xC3", "pairs"), ("C1", "natural")]


@pytest.mark.parametrize("spec, x", ABELIAN)
def test_fourier_and_character_methods_agree(spec, x):
    X = pt.GSet.from_spec(pt.group(spec), x)
    F, C = pt.decompose(X, method="fourier"), pt.decompose(X, method="characters")
    assert F.method == "fourier" and C.method == "characters"
    assert F.multiplicities() == C.multiplicities()
    for a, b in zip(F.components, C.components):
        assert np.allclose(a.projector, b.projector, atol=1e-9)
    P = pt.permutation_representation(X).generator_matrices()
    Q = F.basis
    assert np.allclose(Q.T @ Q, np.eye(X.size), atol=1e-9)
    for g, pg in zip(X.group.generators, P):
        blocks = [c.irrep.matrix(g) for c in F.components for _ in range(c.multiplicity)]
        assert np.allclose(Q.T @ pg @ Q, block_diag(*blocks), atol=1e-9)
    Y = pt.GSet.natural(X.group)
    W = np.random.default_rng(0).normal(size=(Y.size, X.size))
    dF = pt.decompose_weight(W, X, Y, method="fourier")
    dC = pt.decompose_weight(W, X, Y, method="characters")
    assert np.allclose(dF.energy, dC.energy) and np.allclose(dF.equivariant_energy, dC.equivariant_energy)


def test_fourier_method_needs_a_product_of_cyclic_groups():
    with pytest.raises(pt.NoClosedFormError, match="cyclic"):
        pt.decompose(pt.GSet.natural(pt.symmetric(3)), method="fourier")
    with pytest.raises(ValueError, match="method"):
        pt.decompose(pt.GSet.natural(pt.cyclic(3)), method="fft")


@pytest.mark.parametrize("n", [7, 8, 64])
def test_circulant_block_energies_are_its_fourier_spectrum(n):
    """W[y, x] = c(y - x): the V_k block holds |c^(k)|^2 + |c^(-k)|^2 (k != -k), all of it
    equivariant; c^ = the discrete Fourier transform of c."""
    X = pt.GSet.natural(pt.cyclic(n))
    c = np.random.default_rng(n).normal(size=n)
    W = c[(np.arange(n)[:, None] - np.arange(n)[None, :]) % n]
    d = pt.decompose_weight(W, X, X)
    spectrum = np.abs(np.fft.fft(c)) ** 2
    expected = [spectrum[k] + (spectrum[-k] if 2 * k % n else 0) for k in range(n // 2 + 1)]
    assert np.allclose(np.diag(d.energy) * np.sum(W**2), expected)
    assert np.isclose(d.equivariant_share, 1.0)
    assert np.allclose(d.energy, np.diag(np.diag(d.energy)), atol=1e-12)


def test_two_dimensional_circulant_spectrum():
    n = 16
    X = pt.GSet.grid(pt.group(f"C{n}xC{n}"))
    c = np.random.default_rng(1).normal(size=(n, n))
    a = np.arange(n)
    # W[(y1,y2),(x1,x2)] = c(y1 - x1, y2 - x2) on the row-major grid
    W = c[(a[:, None, None, None] - a[None, None, :, None]) % n,
          (a[None, :, None, None] - a[None, None, None, :]) % n].reshape(n * n, n * n)
    d = pt.decompose_weight(W, X, X)
    spectrum = np.abs(np.fft.fft2(c)) ** 2
    for i, V in enumerate(X.group.irreps()):
        k = V.frequency
        neg = tuple((-np.array(k)) % n)
        expected = spectrum[k] + (spectrum[neg] if neg != k else 0)
        assert np.isclose(d.energy[i, i] * np.sum(W**2), expected)
    assert np.isclose(d.equivariant_share, 1.0)


def test_large_cyclic_decomposition_without_enumerating_the_group():
    X = pt.GSet.natural(pt.cyclic(4096))
    X.group.max_elements = 10  # the Fourier path never lists the elements
    D = pt.decompose(X)
    assert [c.multiplicity for c in D.components] == [1] * 2049
    f = np.random.default_rng(0).normal(size=4096)
    coords = D.coordinates(f)
    assert np.isclose(np.sum(coords**2), np.sum(f**2))  # Q is orthogonal (Parseval)
    k = 1000  # one component against its explicit cosine/sine basis
    assert np.allclose(coords[D.slices[k]], D.components[k].basis.T @ f)


def test_million_point_cycle_energies_are_the_fft_spectrum():
    """Fun(C_n), n = 10^6: the energies of f in the 500,001 components are numpy's FFT
    spectrum |f^(k)|^2 + |f^(-k)|^2 / n (an independent computation), reached without
    building one component object per irreducible."""
    n = 1_000_000
    X = pt.GSet.natural(pt.cyclic(n))
    f = np.random.default_rng(3).normal(size=n)
    D = pt.decompose(X)
    spectrum = np.abs(np.fft.rfft(f)) ** 2 / n
    expected = np.where((np.arange(n // 2 + 1) == 0) | (np.arange(n // 2 + 1) == n // 2), 1, 2) * spectrum
    assert np.allclose(D.component_energies(f), expected, rtol=1e-9, atol=1e-9 * n)
    assert len(D.components._built) == 0  # nothing built per component
    assert D.components.keys()[:3] == ["0", "1", "2"] and D.components.dims[[0, 1, -1]].tolist() == [1, 2, 1]


@pytest.mark.parametrize("spec, x", [("C12", "subsets:3"), ("C4xC6", "grid"), ("C2^3", "regular"),
                                     ("C6xC4", "natural+subsets:2")])
def test_fourier_component_arrays_describe_the_components(spec, x):
    """The arrays the Fourier path keeps (keys, dims, multiplicities, column starts) say
    what the component objects, built one by one, say; and each irreducible is found by
    its key without a listing of the others."""
    G = pt.group(spec)
    D = pt.decompose(pt.GSet.from_spec(G, x))
    comps = D.components
    built = list(comps)
    assert comps.keys() == [c.irrep.key for c in built]
    assert comps.dims.tolist() == [c.dim for c in built]
    assert comps.multiplicities.tolist() == [c.multiplicity for c in built]
    assert [s.start for s in D.slices] == np.cumsum([0] + [c.dim for c in built])[:-1].tolist()
    Vs = G.irreps()
    assert [Vs.find(V.key) for V in Vs] == list(Vs)
    assert Vs.find("(9,9)") is None and Vs.find("x") is None and Vs.find("-1") is None


@pytest.mark.parametrize("spec, x", [("D3", "regular"), ("D4", "regular"), ("D6", "pairs"), ("D7", "subsets:2"),
                                     ("D8", "cosets:(1 7)(2 6)(3 5)"), ("D8", "cosets:(0 1)(2 7)(3 6)(4 5)"),
                                     ("D9", "natural+pairs"), ("D10", "tuples:2"), ("D6", "trivial")])
def test_dihedral_fourier_path_equals_the_character_method(spec, x):
    """D_n through its rotations' FFT and the reflection: the same multiplicities and
    isotypic projectors as the character method (sums over the listed group), and each
    copy carries exactly the irreducible's matrices for r and s."""
    X = pt.GSet.from_spec(pt.group(spec), x)
    F, C = pt.decompose(X, method="fourier"), pt.decompose(X, method="characters")
    assert F.method == "fourier" and F.multiplicities() == C.multiplicities()
    for f, c in zip(F.components, C.components):
        assert np.allclose(f.projector, c.projector, atol=1e-9)
        for act, rho in zip(X.action, f.irrep.matrices):
            moved = f.basis[np.argsort(act)]  # P_g Q: (P_g F)(y) = F(g^-1 y)
            assert np.allclose(moved, f.basis @ block_diag(*[rho] * f.multiplicity), atol=1e-9)
    F2 = np.random.default_rng(1).normal(size=(X.size, 3))
    assert np.allclose(F.coordinates(F2), F.basis.T @ F2, atol=1e-9)


@pytest.mark.parametrize("n", [1000, 999])
def test_dihedral_polygon_and_regular_sets_follow_the_formulas(n):
    """Fun(n-gon) = A1 + E_1 + ... (+ B1 for even n: the stabiliser <s> of vertex 0 is
    trivial on B1); Fun(D_n) holds each irreducible dim V times. The energies of a signal
    on the n-gon are its Fourier spectrum (E_k: |f^(k)|^2 + |f^(-k)|^2, A1 and B1 the
    frequencies 0 and n/2), computed by numpy independently."""
    G = pt.dihedral(n)
    D = pt.decompose(pt.GSet.natural(G))
    es = {f"E{k}": 1 for k in range(1, (n + 1) // 2)}
    assert D.multiplicities() == {"A1": 1, **({"B1": 1} if n % 2 == 0 else {}), **es}
    f = np.random.default_rng(n).normal(size=n)
    spectrum = np.abs(np.fft.fft(f)) ** 2 / n
    energy = dict(zip(D.components.keys(), D.component_energies(f)))
    assert np.isclose(energy["A1"], spectrum[0]) and np.isclose(energy["E7"], 2 * spectrum[7])
    assert n % 2 or np.isclose(energy["B1"], spectrum[n // 2])
    R = pt.decompose(pt.GSet.regular(G))
    assert R.multiplicities() == {V.key: V.dim for V in G.irreps()}


def test_regular_representation_multiplicities():
    G = pt.group("A4")
    D = pt.decompose(pt.GSet.regular(G))
    for c in D.components:  # V appears dim V / dim End(V) times in R[G]
        assert c.multiplicity == c.irrep.dim // c.irrep.endomorphism_dim
    assert {c.irrep.key for c in D.components} == {V.key for V in G.irreps()}


def test_natural_representation_of_symmetric_group():
    D = pt.decompose(pt.GSet.natural(pt.symmetric(5)))
    assert [(c.irrep.dim, c.multiplicity) for c in D.components] == [(1, 1), (4, 1)]


WEIGHT_CASES = [("D5", "natural", "pairs"), ("A4", "regular", "natural"), ("C6", "natural", "natural"),
                (Q8, "natural", "natural")]


@pytest.mark.parametrize("spec, x, y", WEIGHT_CASES)
def test_weight_energies_add_up_and_respect_schur(spec, x, y):
    G = pt.group(spec)
    X, Y = pt.GSet.from_spec(G, x), pt.GSet.from_spec(G, y)
    W = np.random.default_rng(1).normal(size=(Y.size, X.size))
    d = pt.decompose_weight(W, X, Y)
    assert np.isclose(d.energy.sum(), 1.0)
    assert np.allclose(d.equivariant_energy + d.nonequivariant_energy, d.energy)
    same = np.array([[t == s for s in d.source_keys] for t in d.target_keys])
    assert np.allclose(d.equivariant_energy[~same], 0.0, atol=1e-12)  # Schur
    B = pt.equivariant_basis(X, Y)
    assert np.isclose(d.equivariant_share, np.sum(B.project(W) ** 2) / np.sum(W**2))


@pytest.mark.parametrize("spec, x, y", WEIGHT_CASES)
def test_equivariant_weight_has_no_energy_outside_hom_g(spec, x, y):
    G = pt.group(spec)
    X, Y = pt.GSet.from_spec(G, x), pt.GSet.from_spec(G, y)
    B = pt.equivariant_basis(X, Y)
    W = B.expand(np.random.default_rng(2).normal(size=B.dim))
    d = pt.decompose_weight(W, X, Y)
    assert np.isclose(d.equivariant_share, 1.0) and np.allclose(d.nonequivariant_energy, 0.0, atol=1e-12)
    same = np.array([[t == s for s in d.source_keys] for t in d.target_keys])
    assert np.allclose(d.energy[~same], 0.0, atol=1e-12)


def test_generic_weight_has_the_expected_equivariant_share():
    """For Gaussian W, E||W_eq||^2 / E||W||^2 = dim Hom_G / (|X||Y|)."""
    G = pt.group("D5")
    X, Y = pt.GSet.natural(G), pt.GSet.from_spec(G, "pairs")
    rng = np.random.default_rng(3)
    shares = [pt.decompose_weight(rng.normal(size=(Y.size, X.size)), X, Y).equivariant_share for _ in range(300)]
    expected = pt.equivariant_basis(X, Y).dim / (X.size * Y.size)
    assert abs(np.mean(shares) - expected) < 4 * np.std(shares) / np.sqrt(len(shares))


def test_bad_weight_rejected():
    X = pt.GSet.natural(pt.cyclic(4))
    with pytest.raises(pt.WeightError):
        pt.decompose_weight(np.full((4, 4), np.nan), X, X)
    with pytest.raises(pt.WeightError):
        pt.decompose_weight(np.ones((3, 4)), X, X)


def test_weight_decomposition_with_equal_groups_built_twice():
    X, Y = pt.GSet.natural(pt.group("C6")), pt.GSet.natural(pt.group("C6"))
    assert np.isclose(pt.decompose_weight(np.eye(6), X, Y).equivariant_share, 1.0)
    X, Y = pt.GSet.natural(pt.group("S4")), pt.GSet.from_spec(pt.group("S4"), "pairs")
    W = pt.equivariant_basis(X, Y).expand(np.arange(1.0, 6.0))
    assert np.isclose(pt.decompose_weight(W, X, Y).equivariant_share, 1.0)


@pytest.mark.parametrize("spec, x, y", [("C8", "natural", "natural"), ("S4", "natural", "pairs"),
                                        ("<(0 1 2);(1 2 3)>", "natural", "pairs"), (Q8, "natural", "regular"),
                                        ("D5", "natural", "subsets:2")])
def test_equal_groups_built_twice_give_the_answer_of_one_group(spec, x, y):
    G, H = pt.group(spec), pt.group(spec)
    assert G is not H and G == H and hash(G) == hash(H)
    W = np.random.default_rng(7).normal(size=(len(pt.GSet.from_spec(G, y)), len(pt.GSet.from_spec(G, x))))
    one = pt.decompose_weight(W, pt.GSet.from_spec(G, x), pt.GSet.from_spec(G, y))
    two = pt.decompose_weight(W, pt.GSet.from_spec(G, x), pt.GSet.from_spec(H, y))
    assert one.source_keys == two.source_keys and one.target_keys == two.target_keys
    assert np.allclose(one.energy, two.energy, atol=1e-12)
    assert np.allclose(one.equivariant_energy, two.equivariant_energy, atol=1e-12)
    assert np.isclose(two.equivariant_share, np.sum(pt.project(W, pt.GSet.from_spec(G, x),
                                                                pt.GSet.from_spec(G, y)) ** 2) / np.sum(W**2))


def test_different_groups_are_refused():
    """C8 generated by x -> x + 1 and by x -> x + 3 are the same abstract group acting
    differently on the same points; the weight decomposition used to report 0.71."""
    X = pt.GSet.natural(pt.group("C8"))
    Y = pt.GSet.natural(pt.group("<(0 3 6 1 4 7 2 5)>"))
    W = pt.equivariant_basis(X, X).expand(np.arange(8.0))
    with pytest.raises(pt.GroupMismatchError):
        pt.decompose_weight(W, X, Y)
    with pytest.raises(pt.GroupMismatchError):
        pt.decompose_weight(np.ones((8, 3)), pt.GSet.natural(pt.symmetric(3)), X)


def test_equal_groups_whose_irreducibles_were_built_with_other_seeds():
    """Irreducibles of equal groups are equal values, but their matrices may be in other
    bases (A4's 3-dim one from the general algorithm, seed 1 against seed 0): the weight
    decomposition takes every matrix from one group, so the share stays exactly 1."""
    G, H = pt.group("A4"), pt.group("A4")
    pt.irreps(H, seed=1)
    X, Y = pt.GSet.natural(G), pt.GSet.from_spec(H, "pairs")
    B = pt.equivariant_basis(X, Y)
    W = B.expand(np.random.default_rng(0).normal(size=B.dim))
    assert np.isclose(pt.decompose_weight(W, X, Y).equivariant_share, 1.0)
    assert np.isclose(pt.decompose_weight(W.T, Y, X).equivariant_share, 1.0)

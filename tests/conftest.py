"""Shared fixtures: small groups covering every constructor, and a comparison of two
lists of irreducibles by their characters."""

import numpy as np
import pytest

import pltheory as pt

SMALL_GROUP_SPECS = ["C1", "C6", "C3xC3", "D4", "D5", "S3", "S4", "A4", "A5", "C2xS3"]


@pytest.fixture(params=SMALL_GROUP_SPECS)
def small_group(request) -> pt.FiniteGroup:
    return pt.group(request.param)


def _same_characters(A: list, B: list) -> bool:
    """Whether two lists of real irreducibles of one group have the same characters, up to
    order: the Gram matrix <chi_a, chi_b> = (1/|G|) sum_g chi_a(g) chi_b(g) is a
    permutation matrix times the norms dim End(V). Characters are matched through inner
    products, never through rounded floats used as keys."""
    if len(A) != len(B):
        return False
    order = A[0].group.order
    a, b = np.array([V.character() for V in A]), np.array([V.character() for V in B])
    gram = a @ b.T / order
    match = np.isclose(gram, np.array([V.endomorphism_dim for V in A])[:, None], atol=1e-6)
    return (np.array_equal(match.sum(axis=0), np.ones(len(B))) and np.array_equal(match.sum(axis=1), np.ones(len(A)))
            and np.allclose(gram[~match], 0.0, atol=1e-6))


@pytest.fixture
def same_characters():
    return _same_characters


@pytest.fixture
def tap_vectors():
    """vec(W_rj) for each column r of C (outputs x k) and tap j: W_rj[p, p + j] = C[p, r],
    built entry by entry (an independent construction of a translation family's subspace)."""
    def build(C: np.ndarray, width: int = 3) -> np.ndarray:
        outputs = C.shape[0]
        vectors = []
        for r in range(C.shape[1]):
            for j in range(width):
                W = np.zeros((outputs, outputs + width - 1))
                W[np.arange(outputs), np.arange(outputs) + j] = C[:, r]
                vectors.append(W.ravel())
        return np.array(vectors).T
    return build

"""Linear representations given by matrices for the generators, and Fun(X).

Conventions
-----------
A representation rho: G -> GL(V) is stored by the matrices rho(g_s) of the generators.
The permutation representation Fun(X) = R^X carries (g.f)(x) = f(g^-1 x), so its matrix
has ``P_g[g.x, x] = 1``: P_g maps the basis vector e_x to e_{g.x}.

Examples
--------
>>> from pltheory.families import cyclic
>>> from pltheory.gsets import GSet
>>> R = permutation_representation(GSet.natural(cyclic(3)))
>>> R.matrix([1, 2, 0], format="numpy").astype(int).tolist()
[[0, 0, 1], [1, 0, 0], [0, 1, 0]]
>>> R.character().tolist()
[3, 0, 0]
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import numpy as np
import scipy.linalg
import scipy.sparse as sp
import sympy

from .errors import GroupMismatchError, NotAHomomorphismError, WeightError
from .groups import FiniteGroup, check_group
from .gsets import GSet, check_gset
from .limits import check_memory
from .permutations import PermutationLike, as_permutation
from .tolerances import HOMOMORPHISM_ATOL
from .validate import check_choice, check_instance, check_real, check_real_array

MatrixFormat = Literal["numpy", "sparse", "sympy"]
MATRIX_FORMATS = ("numpy", "sparse", "sympy")


class Representation:
    """A real (float64) representation of ``group`` given by the generators' matrices.

    Parameters
    ----------
    group:
        The group.
    matrices:
        One square matrix per generator, all of one size.
    name:
        Name for reprs.
    check:
        Raise [`NotAHomomorphismError`][pltheory.errors.NotAHomomorphismError] (naming a violated relation) unless the
        matrices satisfy the group's relations; this enumerates the group.
    atol:
        Tolerance of that check.

    Examples
    --------
    >>> import numpy as np
    >>> from pltheory.families import cyclic
    >>> R = Representation(cyclic(4), [[[0.0, -1.0], [1.0, 0.0]]], "rot")    # rotation by pi/2
    >>> R, R.character().tolist()
    (Representation('rot', group=C4, dim=2), [2.0, 0.0, -2.0, 0.0])
    """

    def __init__(self, group: FiniteGroup, matrices: Sequence[np.ndarray], name: str = "V",
                 *, check: bool = False, atol: float = HOMOMORPHISM_ATOL) -> None:
        check_group(group, "group")
        mats = check_real_array(matrices, "representation matrices", 3)
        if mats.ndim != 3 or mats.shape[0] != group.num_generators or mats.shape[1] != mats.shape[2]:
            raise WeightError(
                f"a representation of {group.name} needs {group.num_generators} square matrices "
                f"of one size, got shape {mats.shape}"
            )
        self.group = group
        self._matrices = mats
        self.name = name
        if check:
            self.check_homomorphism(atol=atol)

    @property
    def dim(self) -> int:
        """The dimension of V."""
        return int(self._matrices.shape[1])

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.name!r}, group={self.group.name}, dim={self.dim})"

    def generator_matrices(self) -> np.ndarray:
        """(num_generators, dim, dim) array of rho(g_s).

        >>> from pltheory.families import cyclic
        >>> Representation(cyclic(4), [[[-1.0]]]).generator_matrices().tolist()
        [[[-1.0]]]
        """
        return self._matrices

    def element_matrices(self) -> np.ndarray:
        """(order, dim, dim) array: rho(g) for every g in ``group.elements()``, extended
        from the generators along shortest words: O(|G| dim^3).

        >>> from pltheory.families import cyclic
        >>> Representation(cyclic(4), [[[-1.0]]]).element_matrices().ravel().tolist()
        [1.0, -1.0, 1.0, -1.0]
        """
        return self.group.images_on_elements(self.generator_matrices(), _compose_matrices)

    def matrix(self, g: PermutationLike) -> np.ndarray:
        """rho(g) for one element, multiplied along a shortest word in the generators:
        rho(g) = rho(g_s1) ... rho(g_sm) for g = g_s1 o ... o g_sm.

        >>> from pltheory.families import cyclic
        >>> R = Representation(cyclic(4), [[[0.0, -1.0], [1.0, 0.0]]])
        >>> R.matrix([3, 0, 1, 2]).tolist()          # the generator cubed: rotation by -pi/2
        [[0.0, 1.0], [-1.0, 0.0]]
        """
        mats = self.generator_matrices()
        result = np.eye(self.dim)
        for s in self.group.word(g):
            result = result @ mats[s]
        return result

    def character(self) -> np.ndarray:
        """chi(g) = trace rho(g) for every g in ``group.elements()``.

        >>> from pltheory.families import cyclic
        >>> Representation(cyclic(4), [[[-1.0]]]).character().tolist()
        [1.0, -1.0, 1.0, -1.0]
        """
        return np.trace(self.element_matrices(), axis1=1, axis2=2)

    def homomorphism_failure(self, atol: float = HOMOMORPHISM_ATOL) -> str | None:
        """A relation of G the matrices violate (as a word equation), or None. Lists G.

        >>> from pltheory.families import cyclic
        >>> swap = [[[0.0, 1.0], [1.0, 0.0]]]
        >>> Representation(cyclic(4), swap).homomorphism_failure() is None
        True
        >>> Representation(cyclic(3), swap).homomorphism_failure()   # swap^3 is not I
        'g0*g0*g0 = e'
        """
        atol = check_real(atol, "atol", 0.0)
        return self.group.homomorphism_failure(
            self.generator_matrices(), _compose_matrices,
            lambda a, b: np.isclose(a, b, atol=atol, rtol=0).all(axis=(1, 2)),
        )

    def is_homomorphism(self, atol: float = HOMOMORPHISM_ATOL) -> bool:
        """Whether the matrices satisfy every relation of G (`homomorphism_failure`).

        >>> from pltheory.families import cyclic
        >>> Representation(cyclic(3), [[[-1.0]]]).is_homomorphism()
        False
        """
        return self.homomorphism_failure(atol) is None

    def check_homomorphism(self, atol: float = HOMOMORPHISM_ATOL) -> None:
        """Raise [`NotAHomomorphismError`][pltheory.errors.NotAHomomorphismError] naming a relation the matrices
        violate.

        >>> from pltheory.families import cyclic
        >>> Representation(cyclic(3), [[[-1.0]]], "sign").check_homomorphism()  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        pltheory.errors.NotAHomomorphismError: sign is not a representation of C3: relation g0*g0*g0 = e fails ...
        """
        failure = self.homomorphism_failure(atol)
        if failure is not None:
            raise NotAHomomorphismError(
                f"{self.name} is not a representation of {self.group.name}: relation "
                f"{failure} fails for its matrices (g<s> is generator s)"
            )

    def change_of_basis(self, basis: np.ndarray, name: str | None = None) -> Representation:
        """The same representation in the basis given by the columns of ``basis``:
        matrices A^-1 rho(g) A. A singular or wrongly shaped ``basis`` raises
        [`WeightError`][pltheory.errors.WeightError].

        >>> import numpy as np
        >>> from pltheory.families import cyclic
        >>> R = Representation(cyclic(4), [[[0.0, -1.0], [1.0, 0.0]]])
        >>> R.change_of_basis(np.diag([1.0, 2.0])).generator_matrices().tolist()
        [[[0.0, -2.0], [0.5, 0.0]]]
        """
        basis = check_real_array(basis, "change of basis", 2)
        if basis.shape != (self.dim, self.dim):
            raise WeightError(f"change of basis needs a {self.dim} x {self.dim} matrix, got {basis.shape}")
        if np.linalg.matrix_rank(basis) < self.dim:
            raise WeightError("change of basis matrix is singular")
        lu = scipy.linalg.lu_factor(basis)
        mats = [scipy.linalg.lu_solve(lu, m @ basis) for m in self.generator_matrices()]
        return Representation(self.group, mats, name or f"{self.name} (new basis)")


def direct_sum(*reps: Representation) -> Representation:
    """rho_1 + ... + rho_m, block diagonal in the order given.

    >>> from pltheory.families import cyclic
    >>> G = cyclic(4)
    >>> R = direct_sum(Representation(G, [[[-1.0]]], "a"), Representation(G, [[[1.0]]], "b"))
    >>> R, R.generator_matrices().tolist()
    (Representation('a + b', group=C4, dim=2), [[[-1.0, 0.0], [0.0, 1.0]]])
    """
    if not reps:
        raise GroupMismatchError("direct_sum needs at least one representation")
    for i, rep in enumerate(reps):
        check_instance(rep, f"representation {i}", Representation, "a Representation")
    for rep in reps[1:]:
        if rep.group != reps[0].group:
            raise GroupMismatchError(f"{rep.name} and {reps[0].name} represent different groups")
    mats = [scipy.linalg.block_diag(*blocks) for blocks in zip(*(r.generator_matrices() for r in reps))]
    return Representation(reps[0].group, mats, " + ".join(r.name for r in reps))


class PermutationRepresentation(Representation):
    """Fun(X) = R^X for a G-set X, with P_g[g.x, x] = 1.

    Matrices come as numpy arrays, scipy.sparse CSR matrices or exact sympy matrices
    (``format=``); the character is the number of fixed points, |X^g|.

    Examples
    --------
    >>> from pltheory.families import symmetric
    >>> P = PermutationRepresentation(GSet.natural(symmetric(3)))
    >>> P, P.character().tolist()
    (PermutationRepresentation('Fun(natural)', group=S3, dim=3), [3, 1, 0, 1, 1, 0])
    """

    def __init__(self, gset: GSet) -> None:  # noqa: D107 - matrices are built on demand
        self.gset = check_gset(gset, "gset")
        self.group = gset.group
        self.name = f"Fun({gset.name})"

    @property
    def dim(self) -> int:
        """|X|, the dimension of Fun(X)."""
        return self.gset.size

    def generator_matrices(self, format: MatrixFormat = "numpy"):  # type: ignore[override]
        """The matrices P_s of the generators in the requested format (numpy: one stacked
        array; sparse, sympy: a list).

        >>> from pltheory.families import cyclic
        >>> P = PermutationRepresentation(GSet.natural(cyclic(3)))
        >>> P.generator_matrices().astype(int).tolist(), P.generator_matrices("sympy")[0].tolist()
        ([[[0, 0, 1], [1, 0, 0], [0, 1, 0]]], [[0, 0, 1], [1, 0, 0], [0, 1, 0]])
        """
        format = check_choice(format, "format", MATRIX_FORMATS)
        return [permutation_matrix(a, format) for a in self.gset.action] if format != "numpy" \
            else np.array([permutation_matrix(a, "numpy") for a in self.gset.action])

    def element_matrices(self, format: MatrixFormat = "numpy"):  # type: ignore[override]
        """P_g for every g in ``group.elements()`` (a stacked array for numpy, else a list).

        >>> from pltheory.families import cyclic
        >>> P = PermutationRepresentation(GSet.natural(cyclic(4)))
        >>> P.element_matrices().shape, P.element_matrices("sparse")[1].nnz
        ((4, 4, 4), 4)
        """
        format = check_choice(format, "format", MATRIX_FORMATS)
        acts = self.gset.element_actions()
        if format == "numpy":
            return np.array([permutation_matrix(a, "numpy") for a in acts])
        return [permutation_matrix(a, format) for a in acts]

    def matrix(self, g: PermutationLike, format: MatrixFormat = "numpy"):  # type: ignore[override]
        """P_g for one element g of the group.

        >>> from pltheory.families import cyclic
        >>> P = PermutationRepresentation(GSet.natural(cyclic(3)))
        >>> P.matrix([2, 0, 1], format="sympy").tolist()
        [[0, 1, 0], [0, 0, 1], [1, 0, 0]]
        """
        g = as_permutation(g, self.group.degree)
        act = np.arange(self.dim)
        for s in reversed(self.group.word(g)):  # g = g_s1 o ... o g_sm: apply g_sm first
            act = self.gset.action[s][act]
        return permutation_matrix(act, format)

    def character(self) -> np.ndarray:
        """chi(g) = |X^g| for every g in ``group.elements()`` (exact integers).

        >>> from pltheory.families import cyclic
        >>> PermutationRepresentation(GSet.from_spec(cyclic(4), "subsets:2")).character().tolist()
        [6, 0, 2, 0]
        """
        return self.gset.fixed_point_counts()


def permutation_representation(gset: GSet) -> PermutationRepresentation:
    """Fun(X) = R^X for the G-set X, with (g.f)(x) = f(g^-1 x), i.e. P_g e_x = e_{g.x}
    ([`PermutationRepresentation`][pltheory.reps.PermutationRepresentation]).

    >>> from pltheory.families import cyclic
    >>> permutation_representation(GSet.regular(cyclic(4))).dim
    4
    """
    return PermutationRepresentation(gset)


def permutation_matrix(perm: np.ndarray, format: MatrixFormat = "numpy"):
    """The matrix P with P[perm[x], x] = 1 (it maps e_x to e_{perm[x]}).

    >>> permutation_matrix(np.array([1, 2, 0])).astype(int).tolist()
    [[0, 0, 1], [1, 0, 0], [0, 1, 0]]
    """
    perm = as_permutation(perm)
    format = check_choice(format, "format", MATRIX_FORMATS)
    n = len(perm)
    if format == "sparse":
        return sp.csr_matrix((np.ones(n), (perm, np.arange(n))), shape=(n, n))
    if format == "sympy":
        return sympy.SparseMatrix(n, n, {(int(perm[x]), x): 1 for x in range(n)})
    check_memory(8.0 * n * n, f"a dense {n} x {n} permutation matrix", "use format='sparse'")
    mat = np.zeros((n, n))
    mat[perm, np.arange(n)] = 1.0
    return mat


def _compose_matrices(a: np.ndarray, batch: np.ndarray) -> np.ndarray:
    """a @ b for every matrix b in a stack."""
    return a @ batch

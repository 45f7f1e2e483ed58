"""pltheory: piecewise-linear representation theory of equivariant neural networks.

>>> import pltheory as pt
>>> G = pt.group("C4xC4")
>>> X = pt.GSet.grid(G)                 # the 4 x 4 torus
>>> pt.equivariant_basis(X, X).dim      # 2-D circular convolutions
16
"""

from .activations import Activation, activation, piecewise_linear
from .decompose import Decomposition, IsotypicComponent, WeightDecomposition, decompose, decompose_weight
from .equivariant import (
    BasisVerification,
    OrbitBasis,
    assert_equivariant,
    burnside_dimension,
    equivariance_error,
    equivariant_basis,
    exact_equivariance_failures,
    exact_solution_dim,
    nullspace_basis,
    project,
    reynolds_basis,
    verify_orbit_basis,
)
from .errors import (
    GroupMismatchError,
    GroupSpecError,
    GroupTooLargeError,
    GSetSpecError,
    ActivationError,
    CheckpointError,
    InvalidPermutationError,
    MethodUnavailableError,
    NoClosedFormError,
    NotAHomomorphismError,
    NotAnElementError,
    NotEquivariantError,
    PLTheoryError,
    WeightError,
)
from .groups import (
    ConjugacyClass,
    FiniteGroup,
    alternating,
    cyclic,
    cycle_notation,
    dihedral,
    direct_product,
    from_generators,
    group,
    parse_cycles,
    symmetric,
)
from .gsets import GSet
from .interaction import InteractionGraph, PLMap, interaction_graph, kernel_graph, pl_map
from .irreps import CharacterTable, Irrep, character_table, irreps
from .young import murnaghan_nakayama, partitions, standard_tableaux
from .reps import (
    PermutationRepresentation,
    Representation,
    direct_sum,
    permutation_matrix,
    permutation_representation,
)

__version__ = "0.1.0"

__all__ = [name for name in dir() if not name.startswith("_")]

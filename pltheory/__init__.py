"""pltheory: piecewise-linear representation theory of equivariant neural networks.

>>> import pltheory as pt
>>> G = pt.group("C4xC4")
>>> X = pt.GSet.grid(G)                 # the 4 x 4 torus
>>> pt.equivariant_basis(X, X).dim      # 2-D circular convolutions
16
"""

from ._version import __version__
from .activations import Activation, activation, piecewise_linear
from .decomposition import Decomposition, IsotypicComponent, WeightDecomposition, decompose, decompose_weight
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
    ActivationError,
    ArgumentError,
    CheckpointError,
    GroupMismatchError,
    GroupSpecError,
    GroupTooLargeError,
    GSetSpecError,
    InputFileError,
    InvalidPermutationError,
    MethodUnavailableError,
    NoClosedFormError,
    NotAHomomorphismError,
    NotAnElementError,
    NotEquivariantError,
    NumericalError,
    OutputError,
    PLTheoryError,
    TooLargeError,
    WeightError,
)
from .families import alternating, cyclic, dihedral, direct_product, from_generators, group, symmetric
from .groups import ConjugacyClass, FiniteGroup, GroupStructure
from .gsets import GSet
from .interaction import InteractionGraph, PLMap, interaction_graph, kernel_graph, pl_map
from .irreducibles import CharacterTable, Irrep, character_table, irreps
from .permutations import cycle_notation, parse_cycles
from .reps import (
    PermutationRepresentation,
    Representation,
    direct_sum,
    permutation_matrix,
    permutation_representation,
)
from .young import murnaghan_nakayama, partitions, standard_tableaux

__all__ = [
    "__version__",
    "ArgumentError",
    "Activation",
    "activation",
    "ActivationError",
    "alternating",
    "assert_equivariant",
    "BasisVerification",
    "burnside_dimension",
    "character_table",
    "CharacterTable",
    "CheckpointError",
    "ConjugacyClass",
    "cycle_notation",
    "cyclic",
    "decompose",
    "decompose_weight",
    "Decomposition",
    "dihedral",
    "direct_product",
    "direct_sum",
    "equivariance_error",
    "equivariant_basis",
    "exact_equivariance_failures",
    "exact_solution_dim",
    "FiniteGroup",
    "from_generators",
    "group",
    "GroupStructure",
    "GroupMismatchError",
    "GroupSpecError",
    "GroupTooLargeError",
    "GSet",
    "GSetSpecError",
    "interaction_graph",
    "InteractionGraph",
    "InputFileError",
    "InvalidPermutationError",
    "Irrep",
    "irreps",
    "IsotypicComponent",
    "kernel_graph",
    "MethodUnavailableError",
    "murnaghan_nakayama",
    "NoClosedFormError",
    "NotAHomomorphismError",
    "NotAnElementError",
    "NotEquivariantError",
    "OutputError",
    "nullspace_basis",
    "OrbitBasis",
    "parse_cycles",
    "partitions",
    "permutation_matrix",
    "permutation_representation",
    "PermutationRepresentation",
    "piecewise_linear",
    "pl_map",
    "PLMap",
    "PLTheoryError",
    "NumericalError",
    "TooLargeError",
    "project",
    "Representation",
    "reynolds_basis",
    "standard_tableaux",
    "symmetric",
    "verify_orbit_basis",
    "WeightDecomposition",
    "WeightError",
]

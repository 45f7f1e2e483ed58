"""pltheory: piecewise-linear representation theory of equivariant neural networks.

>>> import pltheory as pt
>>> G = pt.group("C4xC4")
>>> X = pt.GSet.grid(G)                 # the 4 x 4 torus
>>> pt.equivariant_basis(X, X).dim      # 2-D circular convolutions
16

``import pltheory`` is lazy (PEP 562): a name is imported from its submodule on first use,
so ``import pltheory`` and the command line's ``--help`` do not pay for sympy, scipy and
networkx. Submodules are attributes as well (``pt.groups.format_order``), imported on first
use like the names.
"""

# ruff: noqa: F401 - the imports under TYPE_CHECKING are for type checkers; __getattr__ imports at run time

from __future__ import annotations

import importlib
import importlib.util
from typing import TYPE_CHECKING

from ._version import __version__

#: Submodule -> the names ``import pltheory`` exposes from it: the one table of the public
#: API (``__all__``, ``__getattr__`` and ``__dir__`` read it; the block under TYPE_CHECKING
#: repeats it for type checkers and IDEs, and tests/test_startup.py checks they agree).
_EXPORTS: dict[str, tuple[str, ...]] = {
    "activations": ("Activation", "activation", "piecewise_linear"),
    "decomposition": ("Decomposition", "IsotypicComponent", "WeightDecomposition", "decompose", "decompose_weight"),
    "equivariant": (
        "BasisVerification", "OrbitBasis", "burnside_dimension", "equivariance_error",
        "equivariant_basis", "exact_equivariance_failures", "exact_solution_dim", "nullspace_basis", "project",
        "reynolds_basis", "verify_orbit_basis",
    ),
    "errors": (
        "ActivationError", "ArgumentError", "CheckpointError", "GroupMismatchError", "GroupSpecError",
        "GroupTooLargeError", "GSetSpecError", "InputFileError", "InvalidPermutationError", "MethodUnavailableError",
        "NoClosedFormError", "NotAHomomorphismError", "NotAnElementError", "NotEquivariantError", "NumericalError",
        "OutputError", "PLTheoryError", "TooLargeError", "WeightError",
    ),
    "families": ("alternating", "cyclic", "dihedral", "direct_product", "from_generators", "group", "symmetric"),
    "groups": ("ConjugacyClass", "FiniteGroup", "GroupStructure"),
    "gsets": ("GSet",),
    "interaction": ("InteractionGraph", "PLMap", "interaction_graph", "kernel_graph", "pl_map"),
    "irreducibles": ("CharacterTable", "Irrep", "character_table", "irreps"),
    "permutations": ("cycle_notation", "parse_cycles"),
    "reps": (
        "PermutationRepresentation", "Representation", "direct_sum", "permutation_matrix",
        "permutation_representation",
    ),
    # the one assert_equivariant: weights, torch modules, callables, MSR layers (pltheory.testing)
    "testing": ("assert_equivariant",),
    "young": ("murnaghan_nakayama", "partitions", "standard_tableaux"),
}

_ORIGIN = {name: module for module, names in _EXPORTS.items() for name in names}

__all__ = ["__version__", *sorted(_ORIGIN, key=str.lower)]

if TYPE_CHECKING:  # the same names, imported for real where nothing runs
    from .activations import Activation, activation, piecewise_linear
    from .decomposition import Decomposition, IsotypicComponent, WeightDecomposition, decompose, decompose_weight
    from .equivariant import (
        BasisVerification,
        OrbitBasis,
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
    from .testing import assert_equivariant
    from .young import murnaghan_nakayama, partitions, standard_tableaux


def __getattr__(name: str) -> object:
    """A public name, imported from its submodule on first use (then cached here), or a
    submodule not imported yet."""
    module = _ORIGIN.get(name)
    if module is not None:
        value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
        globals()[name] = value
        return value
    if name.isidentifier() and not name.startswith("__") and importlib.util.find_spec(f"{__name__}.{name}"):
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))

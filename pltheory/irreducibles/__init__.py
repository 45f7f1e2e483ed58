"""Real irreducible representations and character tables.

* [`irrep`][pltheory.irreducibles.irrep]: the [`Irrep`][pltheory.irreducibles.irrep.Irrep] value, its key and type;
* [`general`][pltheory.irreducibles.general]: the general algorithm for any listed group;
* [`burnside_dixon`][pltheory.irreducibles.burnside_dixon]: exact character tables of listed groups
  from the class algebra (Burnside-Dixon);
* [`character_tables`][pltheory.irreducibles.character_tables]: the character table value, and tables
  from the real irreducibles.

Closed forms (products of cyclic groups, D_n, S_n) live with their families in
`pltheory.families`; a group's structure decides which construction it gets.

Examples
--------
>>> import pltheory as pt
>>> [(V.key, V.dim, V.type) for V in irreps(pt.group("C6"))]
[('0', 1, 'R'), ('1', 2, 'C'), ('2', 2, 'C'), ('3', 1, 'R')]
"""

from __future__ import annotations

from ..groups import FiniteGroup, check_group
from .burnside_dixon import ClassAlgebra, class_algebra
from .character_tables import CharacterTable, CyclotomicValues, character_table, character_table_from_irreps
from .general import COSET_MAX_POINTS, GENERAL_MAX_ORDER, GeneralStructure, general_irreps, regular_irreps
from .irrep import ENDOMORPHISM_DIM, REAL_IRREP_INVARIANTS, Irrep, IrrepType, dimension_keys, real_irrep_type


def irreps(G: FiniteGroup, *, seed: int = 0) -> tuple[Irrep, ...]:
    """The real irreducible representations of G, trivial first, each up to isomorphism.

    Products of cyclic groups (C_n, C_n x C_m, ...), D_n and S_n (n up to
    [`pltheory.families.symmetric_groups.YOUNG_MAX_DEGREE`][pltheory.families.symmetric_groups.YOUNG_MAX_DEGREE])
    use closed forms; other groups the general algorithm (listed groups,
    [`general_irreps`][pltheory.irreducibles.general.general_irreps]). The same as
    ``G.irreps(seed)``, kept on the group.

    >>> import pltheory as pt
    >>> sum(V.complex_dim ** 2 * (2 if V.type == "C" else 1) for V in irreps(pt.group("D5")))
    10
    """
    return check_group(G, "G").irreps(seed)


__all__ = [
    "COSET_MAX_POINTS",
    "CharacterTable",
    "ClassAlgebra",
    "CyclotomicValues",
    "ENDOMORPHISM_DIM",
    "GENERAL_MAX_ORDER",
    "GeneralStructure",
    "Irrep",
    "IrrepType",
    "REAL_IRREP_INVARIANTS",
    "character_table",
    "character_table_from_irreps",
    "class_algebra",
    "dimension_keys",
    "general_irreps",
    "irreps",
    "real_irrep_type",
    "regular_irreps",
]

"""Finite permutation groups: the group value, its listing, its classes and its structure.

* [`group`][pltheory.groups.group]: [`FiniteGroup`][pltheory.groups.group.FiniteGroup], groups from generators;
* [`enumeration`][pltheory.groups.enumeration]: listing the elements (Cayley-graph search);
* [`classes`][pltheory.groups.classes]: conjugacy classes and normal subgroups;
* [`structure`][pltheory.groups.structure]: what a group's family knows about it.

The families themselves (C_n, D_n, S_n, A_n, products, the ``group("C4xC4")`` parser)
are in `pltheory.families`, above the irreducibles they construct.
"""

from .classes import ConjugacyClass
from .enumeration import Enumeration, enumeration_bytes
from .group import MAX_ELEMENTS, FiniteGroup, check_group, format_order, from_generators, json_order
from .structure import GroupStructure, IndexedFamily, families, recognise

__all__ = [
    "ConjugacyClass",
    "Enumeration",
    "FiniteGroup",
    "GroupStructure",
    "IndexedFamily",
    "MAX_ELEMENTS",
    "check_group",
    "enumeration_bytes",
    "families",
    "format_order",
    "from_generators",
    "json_order",
    "recognise",
]


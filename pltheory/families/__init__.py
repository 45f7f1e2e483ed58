"""Group families: each module is one family, holding everything the family knows.

A family module defines a [`GroupStructure`][pltheory.groups.structure.GroupStructure] subclass (how to
recognise the family's generators, its closed-form irreducibles and their keys, its fast
paths), its constructor and, when it has one, its letter in group specifications. Every
module in this package is imported here, which registers its structure: adding a family
(say the quaternion group Q_8, letter "Q") is one new module in this folder.

* [`abelian`][pltheory.families.abelian]: C_n and products of cyclic groups;
* [`dihedral_groups`][pltheory.families.dihedral_groups]: D_n on the n-gon;
* [`symmetric_groups`][pltheory.families.symmetric_groups]: S_n (any generators of the full symmetric group);
* [`alternating_groups`][pltheory.families.alternating_groups]: A_n;
* [`products`][pltheory.families.products]: direct products;
* [`spec`][pltheory.families.spec]: the ``group("C4xC4")`` parser.

Examples
--------
>>> G = group("C4xC2")
>>> G.structure.kind, [V.key for V in G.irreps()][:3]
('abelian', ['(0,0)', '(0,1)', '(1,0)'])
"""

import importlib
import pkgutil

from ..groups import from_generators
from .abelian import cyclic
from .alternating_groups import alternating
from .dihedral_groups import dihedral
from .products import direct_product
from .spec import group
from .symmetric_groups import symmetric

for _module in pkgutil.iter_modules(__path__):
    importlib.import_module(f"{__name__}.{_module.name}")  # registers every family's structure

__all__ = ["alternating", "cyclic", "dihedral", "direct_product", "from_generators", "group", "symmetric"]

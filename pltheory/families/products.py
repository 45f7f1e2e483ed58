"""Direct products G_1 x ... x G_m acting on the disjoint union of the factors' domains.

Factor i acts on its own block of points, the blocks in order, and the generators are
the factors' generators in order. A product whose factors are all cyclic is an abelian
group with closed-form irreducibles ([`pltheory.families.abelian`][pltheory.families.abelian]); any other product
keeps its factors (for G-sets such as ``grid``) and gets the general algorithm. A group
from generators is recognised as a product when its orbits are consecutive blocks, each
generator moves the points of one block only, and the generators come block by block.

Examples
--------
>>> from pltheory.families import cyclic, from_generators
>>> G = direct_product(cyclic(4), cyclic(2))
>>> G.name, G.order, G.structure.cyclic_orders
('C4xC2', 8, (4, 2))
>>> from_generators(G.generators) == G, from_generators(G.generators).structure == G.structure
(True, True)
"""

from __future__ import annotations

import math

import numpy as np

from ..errors import GroupSpecError
from ..groups import FiniteGroup, GroupStructure, check_group
from ..irreducibles import GeneralStructure
from ..orbits import orbit_labels
from ..permutations import PermutationLike
from .abelian import AbelianStructure


class ProductStructure(GeneralStructure):
    """A direct product of factors that are not all cyclic; irreducibles by the general
    algorithm.

    Examples
    --------
    >>> import pltheory as pt
    >>> s = pt.group("S3xC2").structure
    >>> s.kind, [F.name for F in s.factors], s.is_abelian()
    ('product', ['S3', 'C2'], False)
    """

    kind = "product"
    priority = 50

    def __init__(self, factors: tuple[FiniteGroup, ...]) -> None:
        self._factors = tuple(factors)

    def parameters(self) -> tuple:
        """(degree, structure) of each factor.

        >>> import pltheory as pt
        >>> pt.group("S3xC2").structure.parameters()
        ((3, SymmetricStructure(3,)), (2, CyclicStructure(2,)))
        """
        return tuple((F.degree, F.structure) for F in self._factors)

    @classmethod
    def recognise(cls, G: FiniteGroup) -> GroupStructure | None:
        """The product structure (abelian if all factors are cyclic) when G's generators
        come block by block as in [`direct_product`][pltheory.families.products.direct_product], else None.

        >>> import pltheory as pt
        >>> ProductStructure.recognise(pt.from_generators([[1, 0, 2, 3, 4], [0, 1, 3, 4, 2]]))
        AbelianStructure(2, 3)
        >>> ProductStructure.recognise(pt.group("C4")) is None
        True
        """
        factors = _block_factors(G)
        return None if factors is None else product_structure(factors)

    @property
    def factors(self) -> tuple[FiniteGroup, ...]:
        """The factor groups, each on its own block of points."""
        return self._factors

    def is_abelian(self) -> bool:
        """Whether every factor is abelian.

        >>> import pltheory as pt
        >>> pt.group("S3xC2").structure.is_abelian()
        False
        """
        return all(F.is_abelian() for F in self._factors)


def product_structure(factors: tuple[FiniteGroup, ...]) -> GroupStructure:
    """The structure of the product of ``factors``: abelian when every factor is cyclic.

    >>> import pltheory as pt
    >>> product_structure((pt.cyclic(2), pt.cyclic(3)))
    AbelianStructure(2, 3)
    >>> product_structure((pt.symmetric(3), pt.cyclic(2))).kind
    'product'
    """
    orders = [F.structure.cyclic_orders for F in factors]
    if all(o is not None and len(o) == 1 for o in orders):
        return AbelianStructure(tuple(o[0] for o in orders), factors)
    return ProductStructure(factors)


def _block_factors(G: FiniteGroup) -> tuple[FiniteGroup, ...] | None:
    """The factors of G if G has the form of [`direct_product`][pltheory.families.products.direct_product] (module
    docstring)."""
    labels, count = orbit_labels(np.array(G.generators))
    if count < 2 or np.any(np.diff(labels) < 0):  # orbits must be consecutive blocks
        return None
    starts = np.searchsorted(labels, np.arange(count))
    ends = np.r_[starts[1:], G.degree]
    blocks: list[int] = []  # the block of each generator, non-decreasing
    for g in G.generators:
        moved = np.unique(labels[g != np.arange(G.degree)])
        if moved.size > 1:
            return None
        # a generator moving nothing is the identity of a trivial factor C_1: the next block,
        # which must then be a single point
        b = int(moved[0]) if moved.size else (blocks[-1] + 1 if blocks else 0)
        if (blocks and b < blocks[-1]) or (not moved.size and (b >= count or ends[b] - starts[b] != 1)):
            return None
        blocks.append(b)
    factors = []
    for b in range(count):
        gens = [g[starts[b]:ends[b]] - starts[b] for g, gb in zip(G.generators, blocks) if gb == b]
        if not gens:
            return None
        factor = FiniteGroup(gens, degree=int(ends[b] - starts[b]))
        factor.name = _canonical_name(factor)
        factors.append(factor)
    return tuple(factors)


def _canonical_name(F: FiniteGroup) -> str:
    """The family name ("C4", "D5", "S3", "A4") of a recognised factor, else its own."""
    structure = F.structure
    letter = getattr(structure, "letter", None)
    return f"{letter}{structure.parameters()[0]}" if letter else F.name


def direct_product(*groups: FiniteGroup) -> FiniteGroup:
    """G_1 x ... x G_m acting on the disjoint union of the domains (factor i on block i);
    products of products are flattened.

    >>> from pltheory.families import cyclic
    >>> direct_product(cyclic(4), cyclic(4)).order
    16
    """
    if not groups:
        raise GroupSpecError("direct_product needs at least one group")
    for i, G in enumerate(groups):
        check_group(G, f"factor {i}")
    factors = [f for G in groups for f in (G.structure.factors or (G,))]
    total = sum(G.degree for G in factors)
    gens: list[PermutationLike] = []
    offset = 0
    for G in factors:
        for g in G.generators:
            perm = np.arange(total)
            perm[offset: offset + G.degree] = g + offset
            gens.append(perm)
        offset += G.degree
    order = math.prod(G.order for G in factors) if all(G.order_known for G in factors) else None
    # no structure is handed over: it is recognised from the generators, like any group's,
    # so a product with a trivial or intransitive factor equals (and is) a general group
    return FiniteGroup(gens, degree=total, name="x".join(G.name for G in factors), _trusted_order=order)

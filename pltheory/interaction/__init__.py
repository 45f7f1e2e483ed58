"""Piecewise-linear maps between isotypic components and interaction graphs.

Let Fun(X) = sum_i U_i be the isotypic decomposition ([`pltheory.decompose`][pltheory.decomposition.decompose]) and f a
pointwise activation. The PL map from component i to component j is

    phi_ij(v) = E_j (f(v) - f(0)),   v in U_i,

(the constant f(0) is a G-invariant bias, not information carried from U_i). It is
G-equivariant and piecewise linear when f is. The *interaction graph* has one node per
component and an edge i -> j (self-loops included) iff phi_ij is not identically zero.

One idea per module:

* [`graph`][pltheory.interaction.graph]: the [`InteractionGraph`][pltheory.interaction.graph.InteractionGraph]
container, node ids,
  JSON and DOT;
* [`build`][pltheory.interaction.build]: [`interaction_graph`][pltheory.interaction.build.interaction_graph], which
picks the method;
* [`probe`][pltheory.interaction.probe]: the "probe" method, generic random vectors of each
  component (any group, G-set and activation; the only method for depth > 1), and the
  probe's limits (its tolerances and amplitudes are in [`pltheory.tolerances`][pltheory.tolerances]);
* [`closed_form`][pltheory.interaction.closed_form]: the published rule for C_n on its regular set;
* [`exact`][pltheory.interaction.exact]: the "exact" method for f(x) = a x + b |x|, which
  hands |x| to [`cyclotomic`][pltheory.interaction.cyclotomic] (products of cyclic groups),
  [`dihedral`][pltheory.interaction.dihedral] (D_n on the n-gon) or
  [`witness`][pltheory.interaction.witness] (groups with rational characters);
* [`conditions`][pltheory.interaction.conditions]: what the exact methods ask of the group and
  the activation;
* [`kernel`][pltheory.interaction.kernel]: the PL Schur bound that holds every graph;
* [`pl_maps`][pltheory.interaction.pl_maps]: a single PL map and its linear pieces.

Examples
--------
>>> from pltheory.families import cyclic
>>> from pltheory.gsets import GSet
>>> g = interaction_graph(GSet.regular(cyclic(8)), "relu")
>>> print(sorted((u, v) for u, v in g.edges() if u != v))
[('1', '0'), ('1', '2'), ('1', '4'), ('2', '0'), ('2', '4'), ('3', '0'), ('3', '2'), ('3', '4'), ('4', '0')]
"""

from __future__ import annotations

from .build import MAX_COMPONENTS, GraphMethod, interaction_graph
from .closed_form import closed_form_applies, closed_form_edges
from .conditions import dihedral_degree, homogeneous_parts
from .cyclotomic import EXACT_WORK, abelian_abs_edges, cyclotomic_reduction
from .dihedral import dihedral_abs_edges
from .exact import exact_edges
from .graph import InteractionGraph
from .kernel import kernel_graph
from .pl_maps import LinearPiece, PLMap, pl_map
from .probe import (
    MAX_DEPTH,
    MAX_PROBE_VALUES,
    MAX_PROBES,
    PROBE_CHUNK_BYTES,
    WEIGHT_PROBE_POINTS,
    ProbeShares,
    activated,
    column_norms,
    off_breakpoints,
    probe_shares,
    probe_values,
)
from .witness import WITNESS_WORK, witnessed_edges

__all__ = [
    "EXACT_WORK",
    "GraphMethod",
    "InteractionGraph",
    "LinearPiece",
    "MAX_COMPONENTS",
    "MAX_DEPTH",
    "MAX_PROBES",
    "MAX_PROBE_VALUES",
    "PLMap",
    "PROBE_CHUNK_BYTES",
    "ProbeShares",
    "WEIGHT_PROBE_POINTS",
    "WITNESS_WORK",
    "abelian_abs_edges",
    "activated",
    "closed_form_applies",
    "closed_form_edges",
    "column_norms",
    "cyclotomic_reduction",
    "dihedral_abs_edges",
    "dihedral_degree",
    "exact_edges",
    "homogeneous_parts",
    "interaction_graph",
    "kernel_graph",
    "off_breakpoints",
    "pl_map",
    "probe_shares",
    "probe_values",
    "witnessed_edges",
]

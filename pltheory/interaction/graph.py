"""The interaction graph container: a networkx DiGraph on the isotypic components of Fun(X).

A node is one isotypic component U_i of Fun(X), named by the key of its irreducible
(`key`: "1" for the frequency 1 of C_n, "(1,0)" for products of cyclic groups, "E2" for D_n,
"(3,1)" for S_n, "2a" otherwise), the same key as in decompositions, character tables and
``G.irrep(key)``; an edge i -> j (self-loops included) says that the PL map from U_i to U_j
is not identically zero. [`InteractionGraph`][pltheory.interaction.graph.InteractionGraph]
holds the graph with what it was computed from, and renders it as JSON
([`as_dict`][pltheory.interaction.graph.InteractionGraph.as_dict]) or Graphviz DOT
([`to_dot`][pltheory.interaction.graph.InteractionGraph.to_dot]).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import networkx as nx
import numpy as np

from ..activations import Activation
from ..decomposition import Decomposition
from ..errors import ArgumentError
from ..gsets import GSet
from ..validate import check_instance


def check_permutation_gset(X: object) -> GSet:
    """X itself when it is a G-set; else an [`ArgumentError`][pltheory.errors.ArgumentError] that
    says why interaction graphs need one.

    >>> import numpy as np
    >>> from pltheory.interaction.graph import check_permutation_gset
    >>> check_permutation_gset(np.eye(3))  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    pltheory.errors.ArgumentError: interaction graphs need a G-set X (...), got ndarray: ...
    """
    if not isinstance(X, GSet):
        raise ArgumentError(
            f"interaction graphs need a G-set X (a permutation representation Fun(X)), got "
            f"{type(X).__name__}: a pointwise activation commutes only with permutation matrices "
            f"(times positive diagonals), so on any other representation the layer would not be "
            f"equivariant"
        )
    return X


def component_graph(D: Decomposition, present: np.ndarray, weights: np.ndarray | None = None) -> nx.DiGraph:
    """The DiGraph on the components of D (nodes by irreducible key, with their data) with
    an edge i -> j wherever ``present[i, j]``, of weight ``weights[i, j]`` (None without
    weights). O(C^2) for C components.

    >>> import numpy as np
    >>> import pltheory as pt
    >>> from pltheory.interaction.graph import component_graph
    >>> graph = component_graph(pt.decompose(pt.GSet.regular(pt.cyclic(4))), np.eye(3, dtype=bool))
    >>> print(list(graph.edges(data=True)))
    [('0', '0', {'weight': None}), ('1', '1', {'weight': None}), ('2', '2', {'weight': None})]
    """
    graph = nx.DiGraph()
    for c in D.components:
        data = c.irrep.as_dict()
        graph.add_node(data.pop("key"), multiplicity=c.multiplicity, **data)
    ids = [c.irrep.key for c in D.components]
    graph.add_edges_from((ids[i], ids[j], {"weight": None if weights is None else float(weights[i, j])})
                         for i, j in zip(*np.nonzero(present)))
    return graph


@dataclass(eq=False)
class InteractionGraph:
    """An interaction graph: a networkx DiGraph on the isotypic components of Fun(X).

    Nodes are irreducible keys. Node attributes: multiplicity and those of
    [`as_dict`][pltheory.irreducibles.irrep.Irrep.as_dict] (dim, type, kernel_order,
    generator_orders, and frequency or partition where the family has them). Edge attribute: weight, the mean share of
    ||f(v) - f(0)||^2 landing in the target over generic v in the source (a probe
    estimate, [`probe_shares`][pltheory.interaction.probe.probe_shares]); None where the
    exact and closed-form methods were not asked for weights.

    Attributes
    ----------
    X:
        The G-set; the nodes are the isotypic components of Fun(X).
    activation:
        The pointwise activation f.
    method:
        "probe", "exact", "closed_form", or "kernel" for [`kernel_graph`][pltheory.interaction.kernel.kernel_graph].
    depth:
        Number of activation layers (0 for the kernel bound).
    graph:
        The networkx DiGraph.

    Examples
    --------
    >>> import pltheory as pt
    >>> g = pt.interaction_graph(pt.GSet.natural(pt.cyclic(4)), "abs", method="exact")
    >>> print(sorted(g.edges()), g.graph.edges["1", "0"]["weight"])
    [('0', '0'), ('1', '0'), ('1', '2'), ('2', '0')] None
    """

    X: GSet
    activation: Activation
    method: str
    depth: int
    graph: nx.DiGraph = field(repr=False)

    def edges(self) -> set[tuple]:
        """The edges (source key, target key), self-loops included.

        >>> import pltheory as pt
        >>> print(sorted(pt.interaction_graph(pt.GSet.regular(pt.cyclic(3)), "abs").edges()))
        [('0', '0'), ('1', '0'), ('1', '1')]
        """
        return set(self.graph.edges())

    def nodes(self) -> list:
        """The nodes (irreducible keys), in the order of the decomposition.

        >>> import pltheory as pt
        >>> pt.interaction_graph(pt.GSet.regular(pt.cyclic(4)), "relu").nodes()
        ['0', '1', '2']
        """
        return list(self.graph.nodes())

    def __repr__(self) -> str:
        return (f"InteractionGraph({self.X.group.name} on {self.X.name}, {self.activation.name}, "
                f"method={self.method}, depth={self.depth}, {self.graph.number_of_nodes()} nodes, "
                f"{self.graph.number_of_edges()} edges)")

    def edges_outside(self, bound: InteractionGraph) -> set[tuple]:
        """Edges of this graph that ``bound`` (e.g. [`kernel_graph`][pltheory.interaction.kernel.kernel_graph]) lacks.

        ReLU keeps energy in its source component where the even ``abs`` does not:

        >>> import pltheory as pt
        >>> X = pt.GSet.natural(pt.cyclic(4))
        >>> relu, even = pt.interaction_graph(X, "relu"), pt.interaction_graph(X, "abs")
        >>> print(sorted(relu.edges_outside(even)), relu.edges_outside(pt.kernel_graph(X)))
        [('1', '1'), ('2', '2')] set()
        """
        check_instance(bound, "bound", InteractionGraph, "an InteractionGraph")
        return self.edges() - bound.edges()

    def kernel_classes(self) -> list[tuple[str, ...]]:
        """The nodes grouped by the kernel of their irreducible, each class a tuple of keys
        in the order of the decomposition, the classes in the order of their first member.

        Two irreducibles are in one class iff their kernels are the same normal subgroup:
        equal kernel orders and one kernel inside the other
        ([`kernel_contained_in`][pltheory.irreducibles.irrep.Irrep.kernel_contained_in]).
        For C_n the order alone decides (C_n has one subgroup of each order); in general it
        does not (D_n's A2, B1 and B2 have three different kernels of index 2). A node whose
        kernel is undecided (``kernel_order`` None) is a class of its own.

        >>> import pltheory as pt
        >>> pt.interaction_graph(pt.GSet.regular(pt.cyclic(8)), "relu").kernel_classes()
        [('0',), ('1', '3'), ('2',), ('4',)]
        >>> pt.interaction_graph(pt.GSet.regular(pt.dihedral(4)), "relu").kernel_classes()
        [('A1',), ('A2',), ('B1',), ('B2',), ('E1',)]
        """
        group = self.X.group
        classes: list[list[str]] = []
        for key, order in self.graph.nodes(data="kernel_order"):
            irrep = group.irrep(key)
            same = (c for c in classes if order is not None and self.graph.nodes[c[0]]["kernel_order"] == order
                    and irrep.kernel_contained_in(group.irrep(c[0])))
            members = next(same, None)
            if members is None:
                classes.append([key])
            else:
                members.append(key)
        return [tuple(c) for c in classes]

    def quotient_by_kernel(self) -> nx.DiGraph:
        """The quotient of the graph by [`kernel_classes`][pltheory.interaction.graph.InteractionGraph.kernel_classes]:
        one node per class (the tuple of its keys) with attributes ``members`` (the keys),
        ``count`` and ``kernel_order``; an edge A -> B where some edge runs from a member of A
        to a member of B. Its weight is the mean over a in A of the share of a's energy that
        lands in B (the sum of a's edge weights into B), so it stays a share in [0, 1];
        None where the graph has no weights. O(V + E).

        Examples
        --------
        >>> import pltheory as pt
        >>> quotient = pt.interaction_graph(pt.GSet.regular(pt.cyclic(8)), "relu").quotient_by_kernel()
        >>> print([(n, d["count"], d["kernel_order"]) for n, d in quotient.nodes(data=True)])
        [(('0',), 1, 8), (('1', '3'), 2, 1), (('2',), 1, 2), (('4',), 1, 4)]
        >>> print(round(quotient.edges[("1", "3"), ("0",)]["weight"], 2))
        0.4
        """
        classes = self.kernel_classes()
        owner = {key: c for c in classes for key in c}
        quotient = nx.DiGraph()
        for c in classes:
            quotient.add_node(c, members=list(c), count=len(c), kernel_order=self.graph.nodes[c[0]]["kernel_order"])
        weighted = all(w is not None for _, _, w in self.graph.edges(data="weight"))
        totals: dict[tuple, float] = {}
        for u, v, w in self.graph.edges(data="weight"):
            pair = (owner[u], owner[v])
            totals[pair] = totals.get(pair, 0.0) + (w if weighted else 0.0)
        quotient.add_edges_from((a, b, {"weight": total / len(a) if weighted else None})
                                for (a, b), total in totals.items())
        return quotient

    def as_dict(self) -> dict:
        """JSON-ready: group, set, activation, method, depth, nodes (each with its
        irreducible's key and data) and edges (source and target keys, weight).

        Examples
        --------
        >>> import pltheory as pt
        >>> data = pt.interaction_graph(pt.GSet.regular(pt.cyclic(3)), "abs", method="exact").as_dict()
        >>> data["method"], [node["key"] for node in data["nodes"]], data["edges"][0]
        ('exact', ['0', '1'], {'source': '0', 'target': '0', 'weight': None})
        """
        return {
            "group": self.X.group.name,
            "set": self.X.name,
            "activation": self.activation.name,
            "method": self.method,
            "depth": self.depth,
            "nodes": [{"key": n, **data} for n, data in self.graph.nodes(data=True)],
            "edges": [{"source": u, "target": v, "weight": d["weight"]} for u, v, d in self.graph.edges(data=True)],
        }

    def to_dot(self) -> str:
        """Graphviz DOT text (nodes by irreducible key, edge labels the weights).

        >>> import pltheory as pt
        >>> print(pt.interaction_graph(pt.GSet.regular(pt.cyclic(3)), "abs", method="exact").to_dot())
        digraph "C3 regular abs" {
          "0" [label="0 (dim 1)"];
          "1" [label="1 (dim 2)"];
          "0" -> "0";
          "1" -> "0";
          "1" -> "1";
        }
        """
        title = _dot_string(f"{self.X.group.name} {self.X.name} {self.activation.name}")
        lines = [f"digraph {title} {{"]
        for n, data in self.graph.nodes(data=True):
            label = _dot_string(f"{n} (dim {data['dim']})")
            lines.append(f"  {_dot_string(n)} [label={label}];")
        for u, v, d in self.graph.edges(data=True):
            label = "" if d["weight"] is None else f' [label="{d["weight"]:.3g}"]'
            lines.append(f"  {_dot_string(u)} -> {_dot_string(v)}{label};")
        return "\n".join(lines + ["}"])


def _dot_string(value: object) -> str:
    """A DOT quoted string: backslashes and quotes escaped, newlines removed."""
    text = str(value).replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")
    return f'"{text}"'

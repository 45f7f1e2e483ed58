"""Drawings of interaction graphs, PL maps, energy flow and learned weights (matplotlib +
networkx), and saving figures to files.

Every figure the library, the command line and the report draw is made here; matplotlib
is imported on first drawing, by this module only.

Layout convention (as in the paper's figures): nodes are layered by the order |G/ker| of
the image of their irreducible ([`node_layers`][pltheory.plotting.node_layers]): faithful
components ("low frequency" for C_n) on top, the trivial component (|G/ker| = 1) at the
bottom, so information flows downward. Each node shows its irreducible's key (as tables,
JSON and DOT do) over |G/ker|; positions are staggered so that no edge passes through a
node's disc ([`layered_positions`][pltheory.plotting.layered_positions]); edge width grows
with the edge weight (the share of the energy that moves along it); self-loops are small
loops beside their node; a legend says all this. Graphs of more than `MAX_DRAWN_NODES`
nodes are drawn as their quotient by kernel.

Arguments are checked on entry ([`ArgumentError`][pltheory.errors.ArgumentError]): graphs must be
[`InteractionGraph`][pltheory.interaction.graph.InteractionGraph] objects, PL maps
[`PLMap`][pltheory.interaction.pl_maps.PLMap] objects, ``ax`` a matplotlib Axes or None, and the
resolution of [`plot_pl_map`][pltheory.plotting.plot_pl_map] an integer within `RESOLUTION_RANGE`.

Examples
--------
>>> import matplotlib
>>> matplotlib.use("Agg")
>>> from pltheory.families import cyclic
>>> from pltheory.gsets import GSet
>>> from pltheory.interaction import interaction_graph
>>> ax = draw_interaction_graph(interaction_graph(GSet.regular(cyclic(8)), "relu"))
>>> ax.get_title()
'C8 on regular, relu (probe)'
>>> import matplotlib.pyplot as plt
>>> plt.close(ax.figure)
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Literal

import networkx as nx
import numpy as np

from .errors import ArgumentError, PLTheoryError
from .interaction import InteractionGraph, PLMap
from .limits import check_memory
from .outputs import write_file
from .tolerances import FLOW_TOL
from .validate import check_choice, check_instance, check_integer, check_real_array

NodeLabels = Literal["order", "frequency", "dim", "irrep"]

#: Grid points per axis of [`plot_pl_map`][pltheory.plotting.plot_pl_map] (2000 x 2000 = 4 million evaluations).
RESOLUTION_RANGE = (3, 2000)

#: The node attributes each kind of node label reads.
LABEL_KEYS = {"order": ("group_order", "kernel_order"), "frequency": (), "dim": ("dim",), "irrep": ()}

#: Graphs with more nodes are drawn as their quotient by kernel (one node per kernel).
MAX_DRAWN_NODES = 30
#: Radius of a node's disc in data units: layers are 1 apart, nodes in a layer at least 1 apart.
DISC_RADIUS = 0.3
#: How near, in disc radii, an edge may pass to the centre of a node it does not join.
EDGE_CLEARANCE = 1.3
#: Curvatures tried in turn for an edge (matplotlib's arc3 ``rad``: 0 is straight).
EDGE_CURVATURES = (0.0, 0.2, -0.2, 0.35, -0.35, 0.5, -0.5)
#: Points along a drawn edge or self-loop.
EDGE_SAMPLES = 48
#: A self-loop is a circle of LOOP_RADIUS disc radii centred LOOP_OFFSET disc radii from its node's centre.
LOOP_RADIUS, LOOP_OFFSET = 0.5, 1.25
#: Directions a self-loop may take, in the order they are preferred (up first).
LOOP_ANGLES = tuple(math.pi / 2 + k * math.pi / 8 for k in (0, -1, 1, -2, 2, -3, 3, -4, 4, -5, 5, -6, 6, -7, 7, 8))
#: The layout search: x moves in steps of LAYOUT_STEP, up to LAYOUT_REACH steps a move, for
#: at most LAYOUT_SWEEPS sweeps; LAYOUT_COMPACTNESS weighs the drawing's width against crowding.
LAYOUT_STEP, LAYOUT_REACH, LAYOUT_SWEEPS, LAYOUT_COMPACTNESS = 0.25, 8, 8, 1e-2

#: Most nodes on one row: a wider layer (the faithful irreducibles of C_p, p prime) is
#: drawn on several rows, so that its nodes stay legible and its edges are not all arcs.
ROW_WIDTH = 4
#: The least width and height shown (data units), so that small graphs are not blown up.
MIN_VIEW = 4.5
#: Node labels: the largest font size (points) and how much of a disc's diameter a label may span.
LABEL_FONT, LABEL_FILL = 11.0, 0.92
#: Numbers on nodes (|G/ker|) longer than this many digits are written as 2.4e18.
SHORT_NUMBER = 6
#: Edge shares the legend shows, and the width of an edge without a weight (points).
LEGEND_SHARES, UNWEIGHTED_WIDTH = (1.0, 0.25, 0.01), 1.2
#: Colours: node fill (one irreducible, a quotient class), node outline, edges.
NODE_FILL, NODE_EDGE, EDGE_COLOUR = {False: "#dce9f5", True: "#fbe3c8"}, "#1f4e79", "#3a3a3a"


def _pyplot():
    import matplotlib.pyplot as plt  # noqa: PLC0415 - matplotlib is imported on first drawing

    return plt


def offscreen() -> None:
    """Make matplotlib draw into files only (its Agg backend), as the command line and the
    report do: no window is opened, and no display is needed.

    Examples
    --------
    >>> offscreen()
    >>> import matplotlib
    >>> matplotlib.get_backend().lower()
    'agg'
    """
    import matplotlib  # noqa: PLC0415 - matplotlib is imported on first drawing

    matplotlib.use("Agg")


def new_axes(figsize: tuple[float, float] = (6, 5), columns: int = 1, rows: int = 1):
    """The Axes of a new figure of ``figsize`` inches: one, or a flat array of ``rows`` x
    ``columns`` (row by row).

    Examples
    --------
    >>> offscreen()
    >>> left, right = new_axes((8, 4), columns=2)
    >>> left.figure is right.figure
    True
    >>> import matplotlib.pyplot as plt
    >>> plt.close(left.figure)
    """
    columns, rows = check_integer(columns, "columns", 1, 100), check_integer(rows, "rows", 1, 100)
    axes = _pyplot().subplots(rows, columns, figsize=figsize)[1]
    return axes.ravel() if rows > 1 and columns > 1 else axes


def save_figure(figure, path, *, dpi: int = 100, force: bool = False, tight_layout: bool = False,
                bbox_inches: str | None = None, also: Sequence[str] = ()):
    """Write a figure to ``path`` atomically ([`pltheory.outputs.write_file`][pltheory.outputs.write_file]) in the
    format its suffix names (.png, .svg, .pdf, ...), and beside it in each format of
    ``also`` (the same name with that suffix), then close it.

    Parameters
    ----------
    figure:
        A matplotlib Figure, or an Axes of the figure to save.
    path:
        The file; an existing one is replaced only with ``force``.
    dpi:
        Resolution of raster formats.
    tight_layout:
        Call ``figure.tight_layout()`` first (subplots without overlaps).
    bbox_inches:
        Passed to ``savefig``; ``"tight"`` crops the white margin.
    also:
        More formats to write beside ``path``, e.g. ``("svg",)``.

    Returns
    -------
    pathlib.Path
        ``path``.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> offscreen()
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     save_figure(plot_weight(np.eye(3)), pathlib.Path(folder) / "w.png").read_bytes()[:4]
    b'\\x89PNG'
    """
    plt = _pyplot()
    figure = getattr(figure, "figure", figure) if isinstance(figure, plt.Axes) else figure
    check_instance(figure, "figure", plt.Figure, "a matplotlib Figure or Axes")
    try:
        if tight_layout:
            figure.tight_layout()
        path = Path(path)
        for target in [path, *(path.with_suffix(f".{suffix}") for suffix in also)]:
            write_file(target, functools.partial(_savefig, figure, target.suffix[1:].lower(), dpi, bbox_inches),
                       force=force)
        return path
    finally:
        plt.close(figure)


def _savefig(figure, suffix: str, dpi: int, bbox_inches: str | None, temporary) -> None:
    figure.savefig(temporary, format=suffix, dpi=dpi, bbox_inches=bbox_inches)


def _axes(ax: object, figsize: tuple[float, float]):
    """``ax`` if it is a matplotlib Axes, a new figure's Axes if it is None."""
    plt = _pyplot()
    if ax is None:
        return plt.subplots(figsize=figsize)[1]
    return check_instance(ax, "ax", plt.Axes, "a matplotlib Axes or None")


def _check_graph(graph: object) -> InteractionGraph:
    return check_instance(graph, "graph", InteractionGraph, "an interaction graph (pltheory.interaction_graph)")


def _matplotlib_parts():
    """matplotlib's lines, patches and path modules (imported on first drawing)."""
    from matplotlib import lines, patches, path  # noqa: PLC0415 - matplotlib is imported on first drawing

    return lines, patches, path


def drawn_graph(graph: InteractionGraph) -> tuple[nx.DiGraph, bool]:
    """The DiGraph [`draw_interaction_graph`][pltheory.plotting.draw_interaction_graph] draws,
    and whether it is a quotient: the graph itself up to `MAX_DRAWN_NODES` nodes, else its
    quotient by kernel ([`quotient_by_kernel`][pltheory.interaction.graph.InteractionGraph.quotient_by_kernel]).

    >>> import pltheory as pt
    >>> G, quotient = drawn_graph(pt.interaction_graph(pt.GSet.regular(pt.cyclic(70)), "relu"))
    >>> G.number_of_nodes(), quotient
    (8, True)
    """
    G = _check_graph(graph).graph
    if G.number_of_nodes() > MAX_DRAWN_NODES:
        return graph.quotient_by_kernel(), True
    return G, False


def node_layers(G: nx.DiGraph, group_order: int) -> dict:
    """The layer of every node, 0 at the bottom: the rank of |G/ker| = ``group_order /
    kernel_order`` (the order of the image of G) among the distinct values in the graph.

    The trivial irreducible (|G/ker| = 1) is alone at the bottom, faithful ones (for C_n the
    low frequencies) on top; one layer holds the nodes of one value of |G/ker|. Nodes with
    an undecided kernel form a layer above all others. An edge i -> j needs ker i inside
    ker j (the PL Schur lemma), so every edge that is not a self-loop runs down, or stays
    in its layer between irreducibles with the same kernel.

    >>> import pltheory as pt
    >>> node_layers(pt.interaction_graph(pt.GSet.regular(pt.cyclic(12)), "relu").graph, 12)
    {'0': 0, '1': 5, '2': 4, '3': 3, '4': 2, '5': 5, '6': 1}
    """
    image = {n: group_order // k if k else None for n, k in G.nodes(data="kernel_order")}
    known = sorted({order for order in image.values() if order is not None})
    rank = {order: i for i, order in enumerate(known)}
    return {n: len(known) if order is None else rank[order] for n, order in image.items()}


def layered_positions(graph: InteractionGraph) -> dict:
    """Node positions (x, y) of the drawing of ``graph`` ([`drawn_graph`][pltheory.plotting.drawn_graph]):
    y is the layer ([`node_layers`][pltheory.plotting.node_layers]), layers 1 apart, a layer
    of more than `ROW_WIDTH` nodes on as many rows 1 apart as it needs; within a row, at
    least 1 apart, nodes joined by edges sit side by side (such edges join irreducibles
    with the same kernel), else in the order of the decomposition. The x positions are
    then moved in steps of `LAYOUT_STEP` (coordinate descent, deterministic) so that no
    straight edge passes within `EDGE_CLEARANCE` disc radii of a node it does not join,
    where that can be done: the layers are staggered, and nodes of a chain are not stacked
    in one column (C_4's 1 -> 0 would otherwise pass through 2).

    >>> import pltheory as pt
    >>> layered_positions(pt.interaction_graph(pt.GSet.regular(pt.cyclic(4)), "relu"))
    {'0': (0.0, 0.0), '1': (-1.0, 2.0), '2': (0.0, 1.0)}
    """
    G, _ = drawn_graph(graph)
    layer = node_layers(G, graph.X.group.order)
    nodes = _joined_side_by_side(G, layer)
    index = {n: i for i, n in enumerate(nodes)}
    rows, x, y = [], np.zeros(len(nodes)), np.zeros(len(nodes))
    for j in sorted(set(layer.values())):  # bottom up; a wide layer's rows in order, its first nodes on top
        members = [index[n] for n in nodes if layer[n] == j]
        parts = np.array_split(members, math.ceil(len(members) / ROW_WIDTH))
        for part in reversed(parts):
            row = [int(i) for i in part]
            x[row], y[row] = np.arange(len(row)) - (len(row) - 1) / 2, float(len(rows))
            rows.append(row)
    pairs = np.array(sorted({tuple(sorted((index[u], index[v]))) for u, v in G.edges() if u != v}),
                     dtype=int).reshape(-1, 2)
    x = _stagger(x, y, rows, pairs)
    return {n: (float(x[i]), float(y[i])) for n, i in index.items()}


def _joined_side_by_side(G: nx.DiGraph, layer: dict) -> list:
    """The nodes in the order of the decomposition, except that within a layer the nodes
    joined by edges inside it (its connected components) come together, at the place of
    their first member."""
    inside = nx.Graph((u, v) for u, v in G.edges() if layer[u] == layer[v])
    inside.add_nodes_from(G.nodes())
    position = {n: i for i, n in enumerate(G.nodes())}
    first = {n: min(component, key=position.get) for component in nx.connected_components(inside) for n in component}
    return sorted(G.nodes(), key=lambda n: (position[first[n]], position[n]))


def _segment_distances(P: np.ndarray, Q: np.ndarray, C: np.ndarray) -> np.ndarray:
    """Distances (S, N) from the points C (N, 2) to the segments P -> Q (S, 2 each)."""
    d = (Q - P)[:, None, :]
    length2 = np.maximum((d**2).sum(axis=2), np.finfo(float).tiny)
    t = np.clip(((C[None] - P[:, None]) * d).sum(axis=2) / length2, 0.0, 1.0)
    return np.linalg.norm(P[:, None] + t[..., None] * d - C[None], axis=2)


def _crowding(x: np.ndarray, y: np.ndarray, pairs: np.ndarray) -> float:
    """How far node centres reach into the clearance of straight edges they are not on, summed."""
    if not len(pairs):
        return 0.0
    C = np.column_stack([x, y])
    d = _segment_distances(C[pairs[:, 0]], C[pairs[:, 1]], C)
    d[np.arange(len(pairs))[:, None], pairs] = np.inf
    return float(np.maximum(0.0, EDGE_CLEARANCE * DISC_RADIUS - d).sum())


def _stagger(x: np.ndarray, y: np.ndarray, rows: list, pairs: np.ndarray) -> np.ndarray:
    """Coordinate descent on x: each node in turn moves to the best of the positions up to
    `LAYOUT_REACH` steps away that keep its row's order and spacing; the cost is the
    crowding of edges and nodes, then (by a small weight) the width of the drawing."""
    x = x.copy()

    def cost(x: np.ndarray) -> float:
        return _crowding(x, y, pairs) + LAYOUT_COMPACTNESS * float((x**2).sum())

    best = cost(x)
    steps = sorted(LAYOUT_STEP * np.arange(-LAYOUT_REACH, LAYOUT_REACH + 1), key=abs)  # ties: the shortest move
    for _ in range(LAYOUT_SWEEPS):
        moved = False
        for row in reversed(rows):
            for place, i in enumerate(row):
                low = x[row[place - 1]] + 1 if place > 0 else -np.inf
                high = x[row[place + 1]] - 1 if place + 1 < len(row) else np.inf
                origin = x[i]
                candidates = [origin + step for step in steps if low <= origin + step <= high]
                costs = []
                for candidate in candidates:
                    x[i] = candidate
                    costs.append(cost(x))
                k = int(np.argmin(costs))
                x[i] = candidates[k] if costs[k] < best else origin
                if costs[k] < best:
                    best, moved = costs[k], True
        if not moved:
            break
    return x


def _curve(p: np.ndarray, q: np.ndarray, rad: float) -> tuple[np.ndarray, np.ndarray]:
    """`EDGE_SAMPLES` points of the edge p -> q of curvature ``rad`` (matplotlib's arc3: the
    quadratic Bezier curve with control point (p + q)/2 + rad (q - p) turned by -90 degrees),
    and its control point."""
    control = (p + q) / 2 + rad * np.array([q[1] - p[1], p[0] - q[0]])
    t = np.linspace(0.0, 1.0, EDGE_SAMPLES)[:, None]
    return (1 - t) ** 2 * p + 2 * t * (1 - t) * control + t**2 * q, control


def _distance_to_polyline(points: np.ndarray, centres: np.ndarray) -> float:
    """The least distance from the centres (N, 2) to the polyline through ``points``."""
    if not len(centres):
        return np.inf
    return float(_segment_distances(points[:-1], points[1:], centres).min())


def edge_curves(G: nx.DiGraph, positions: dict) -> dict:
    """The drawn line of every edge u -> v that is not a self-loop: (points, control point).

    Its curvature is the first of `EDGE_CURVATURES` whose curve keeps `EDGE_CLEARANCE` disc
    radii from the centre of every node but u and v, else the one that keeps farthest. A
    pair of opposite edges takes only positive curvatures, so that its two edges bend to
    opposite sides.

    >>> import pltheory as pt
    >>> graph = pt.interaction_graph(pt.GSet.regular(pt.cyclic(4)), "relu")
    >>> sorted(edge_curves(graph.graph, layered_positions(graph)))
    [('1', '0'), ('1', '2'), ('2', '0')]
    """
    names = list(positions)
    centres = np.array([positions[n] for n in names], dtype=float).reshape(-1, 2)
    curves = {}
    for u, v in G.edges():
        if u == v:
            continue
        others = centres[[i for i, n in enumerate(names) if n not in (u, v)]]
        choices = [rad for rad in EDGE_CURVATURES if rad > 0] if G.has_edge(v, u) else EDGE_CURVATURES
        drawn = [_curve(np.array(positions[u], dtype=float), np.array(positions[v], dtype=float), rad)
                 for rad in choices]
        gaps = [_distance_to_polyline(points, others) for points, _ in drawn]
        clear = [k for k, gap in enumerate(gaps) if gap >= EDGE_CLEARANCE * DISC_RADIUS]
        curves[u, v] = drawn[clear[0] if clear else int(np.argmax(gaps))]
    return curves


def _angle_gap(angle: float, angles: list) -> float:
    """The least angle between ``angle`` and any of ``angles`` (pi when there are none)."""
    return min((abs((angle - a + math.pi) % (2 * math.pi) - math.pi) for a in angles), default=math.pi)


def loop_angles(G: nx.DiGraph, positions: dict, curves: dict) -> dict:
    """The direction (radians) in which the self-loop of each node that has one is drawn:
    of `LOOP_ANGLES`, one whose loop keeps clear of other discs, loops and edges, as far
    as possible from the directions in which the node's edges leave it (toward their
    control points); ties go to the earlier angle (up first).

    >>> import pltheory as pt
    >>> graph = pt.interaction_graph(pt.GSet.regular(pt.cyclic(4)), "relu")
    >>> positions = layered_positions(graph)
    >>> angles = loop_angles(graph.graph, positions, edge_curves(graph.graph, positions))
    >>> sorted(angles)
    ['0', '1', '2']
    """
    reach = LOOP_RADIUS * DISC_RADIUS
    placed: list[np.ndarray] = []
    angles = {}
    for n in (n for n in G.nodes() if G.has_edge(n, n)):
        p = np.array(positions[n], dtype=float)
        others = np.array([positions[m] for m in positions if m != n], dtype=float).reshape(-1, 2)
        leaving = [math.atan2(*(control - p)[::-1]) for (u, v), (_, control) in curves.items() if n in (u, v)]
        passing = [points for (u, v), (points, _) in curves.items() if n not in (u, v)]
        best = None
        for angle in LOOP_ANGLES:
            centre = p + LOOP_OFFSET * DISC_RADIUS * np.array([math.cos(angle), math.sin(angle)])
            clearance = min([np.linalg.norm(others - centre, axis=1).min(initial=np.inf) - DISC_RADIUS,
                             *(np.linalg.norm(c - centre) - reach for c in placed),
                             *(_distance_to_polyline(points, centre[None]) for points in passing)]) - reach
            score = (clearance > 0, _angle_gap(angle, leaving), clearance)
            if best is None or score > best[0]:
                best = (score, angle, centre)
        angles[n] = best[1]
        placed.append(best[2])
    return angles


def _circle_crossing(inside: np.ndarray, outside: np.ndarray, centre: np.ndarray) -> np.ndarray:
    """The point where the segment from ``inside`` a node's disc to ``outside`` it crosses the circle."""
    d, f = outside - inside, inside - centre
    a, b, c = d @ d, 2 * f @ d, f @ f - DISC_RADIUS**2
    return inside + (-b + math.sqrt(max(b * b - 4 * a * c, 0.0))) / (2 * a) * d


def _outside_discs(points: np.ndarray, source: np.ndarray, target: np.ndarray) -> np.ndarray:
    """The polyline ``points`` cut to the part outside the discs of its two nodes, so that it
    starts and ends on their circles (the arrowhead's tip touches the target)."""
    out = (np.linalg.norm(points - source, axis=1) >= DISC_RADIUS) & \
        (np.linalg.norm(points - target, axis=1) >= DISC_RADIUS)
    first, last = int(np.argmax(out)), len(out) - 1 - int(np.argmax(out[::-1]))
    start = _circle_crossing(points[first - 1], points[first], source) if first > 0 else points[0]
    end = _circle_crossing(points[last + 1], points[last], target) if last + 1 < len(points) else points[-1]
    return np.vstack([start, points[first:last + 1], end])


def _loop_points(p: np.ndarray, angle: float) -> np.ndarray:
    """The self-loop of the node at ``p`` toward ``angle``: the arc of a circle of radius
    `LOOP_RADIUS` disc radii, centred `LOOP_OFFSET` disc radii away, outside the disc,
    counter-clockwise."""
    r, rho, d = DISC_RADIUS, LOOP_RADIUS * DISC_RADIUS, LOOP_OFFSET * DISC_RADIUS
    centre = p + d * np.array([math.cos(angle), math.sin(angle)])
    half = math.acos((d * d + rho * rho - r * r) / (2 * d * rho))  # half the arc hidden by the disc
    theta = np.linspace(angle + math.pi + half, angle + 3 * math.pi - half, EDGE_SAMPLES)
    return centre + rho * np.column_stack([np.cos(theta), np.sin(theta)])


def edge_width(weight: float | None) -> float:
    """Line width (points) of an edge of this weight (a share of energy in [0, 1]): it grows
    with its square root, so that small shares stay visible; `UNWEIGHTED_WIDTH` for None.

    >>> edge_width(1.0), edge_width(0.0), edge_width(None)
    (3.5, 0.5, 1.2)
    """
    return UNWEIGHTED_WIDTH if weight is None else 0.5 + 3.0 * math.sqrt(max(weight, 0.0))


def node_label(data: dict, n: object, labels: NodeLabels) -> str:
    """The text on node ``n``: its irreducible's key (the same key as in tables, JSON and
    DOT), and below it the order of the image |G/ker| = ``group_order / kernel_order``
    ("order"; "?" when the kernel is undecided), the frequency (D_n's rotation frequency;
    no second line where there is no single frequency), or the dimension ("dim"); "irrep"
    gives the key alone. ``data`` holds the node's attributes (and ``group_order`` for
    "order"): `LABEL_KEYS`.

    Examples
    --------
    >>> data = {"kernel_order": 2, "group_order": 8, "frequency": 4, "dim": 1}
    >>> [node_label(data, "4", kind) for kind in ("order", "frequency", "dim", "irrep")]
    ['4\\n4', '4\\n4', '4\\n1', '4']
    """
    labels = check_choice(labels, "labels", LABEL_KEYS)
    check_instance(data, "data", dict, "a dict of node attributes")
    missing = [key for key in LABEL_KEYS[labels] if key not in data]
    if missing:
        raise ArgumentError(f"labels={labels!r} needs the node attributes {', '.join(missing)}, missing from data")
    if labels == "order":
        second = _short_number(data["group_order"] // data["kernel_order"]) if data["kernel_order"] else "?"
    elif labels == "dim":
        second = str(data["dim"])
    elif labels == "frequency" and isinstance(data.get("frequency"), int):
        second = str(data["frequency"])
    else:
        second = None
    return str(n) if second is None else f"{n}\n{second}"


def _short_number(n: int) -> str:
    """``n`` in digits up to `SHORT_NUMBER` digits, else as 2.4e18 (|S_20| = 20!)."""
    text = str(n)
    return text if len(text) <= SHORT_NUMBER else f"{Decimal(n):.1e}".replace("e+", "e")


def class_label(data: dict, group_order: int) -> str:
    """The text on a node of the quotient by kernel: the number of irreducibles in the class
    ("x12"), and below it |G/ker|.

    >>> class_label({"count": 12, "kernel_order": 1}, 70)
    '×12\\n70'
    """
    return node_label({**data, "group_order": group_order}, f"×{data['count']}", "order")


def graph_legend(target, graph: InteractionGraph, labels: NodeLabels = "order"):
    """Add the legend of [`draw_interaction_graph`][pltheory.plotting.draw_interaction_graph]'s
    drawing of ``graph`` to ``target``: under a matplotlib Axes, or at the foot of a Figure
    (one legend for a grid of drawings). It says what the two lines on a node are and what
    an edge's width means (the share of energy, or that no weights were computed).
    Returns the Legend.

    Examples
    --------
    >>> import pltheory as pt
    >>> offscreen()
    >>> legend = graph_legend(new_axes(), pt.interaction_graph(pt.GSet.regular(pt.cyclic(4)), "relu"))
    >>> [text.get_text() for text in legend.get_texts()]
    ['top: irreducible (its key)\\nbottom: |G/ker| (order of the image)', 'share 1', 'share 0.25', 'share 0.01']
    >>> import matplotlib.pyplot as plt
    >>> plt.close("all")
    """
    plt = _pyplot()
    check_instance(target, "target", (plt.Axes, plt.Figure), "a matplotlib Axes or Figure")
    labels = check_choice(labels, "labels", LABEL_KEYS)
    G, quotient = drawn_graph(graph)
    lines, _, _ = _matplotlib_parts()
    top = "number of irreducibles with this kernel" if quotient else "irreducible (its key)"
    bottom = {"order": "|G/ker| (order of the image)", "frequency": "frequency", "dim": "dimension",
              "irrep": None}["order" if quotient else labels]
    handles = [lines.Line2D([], [], ls="", marker="o", ms=14, mfc=NODE_FILL[quotient], mec=NODE_EDGE)]
    names = [f"top: {top}" + (f"\nbottom: {bottom}" if bottom else "")]
    if all(w is not None for _, _, w in G.edges(data="weight")):
        handles += [lines.Line2D([], [], lw=edge_width(share), color=EDGE_COLOUR) for share in LEGEND_SHARES]
        names += [f"share {share:g}" for share in LEGEND_SHARES]
        title = r"edge width: mean share of the activated energy $\|f(v) - f(0)\|^2$ moving along it"
    else:
        handles.append(lines.Line2D([], [], lw=UNWEIGHTED_WIDTH, color=EDGE_COLOUR))
        names.append("PL map not zero")
        title = "edges: nonzero PL maps (no weights computed)"
    if quotient:
        title += " (mean over the source class)"
    place = {"loc": "upper center", "bbox_to_anchor": (0.5, 0.0)} if isinstance(target, plt.Axes) else \
        {"loc": "lower center"}
    return target.legend(handles, names, title=title, ncol=len(handles), fontsize=8, title_fontsize=8,
                         frameon=False, handlelength=2.2, columnspacing=1.2, **place)


def _fit_label_size(ax, texts: list) -> None:
    """Give the node labels one font size, at most `LABEL_FONT` points, at which the largest
    fits its disc (its box's diagonal within `LABEL_FILL` of the disc's diameter)."""
    ax.apply_aspect()
    renderer = ax.figure.canvas.get_renderer()
    diameter = abs(float(np.diff(ax.transData.transform([(0, 0), (2 * DISC_RADIUS, 0)])[:, 0])[0]))
    for text in texts:
        text.set_fontsize(LABEL_FONT)
    largest = max(float(np.hypot(*text.get_window_extent(renderer).size)) for text in texts)
    for text in texts:
        text.set_fontsize(min(LABEL_FONT, LABEL_FONT * LABEL_FILL * diameter / largest))


def _set_view(ax, positions: dict) -> None:
    """Limits around the nodes (room for self-loops), at least `MIN_VIEW` each way, one unit
    the same length on both axes."""
    xy = np.array(list(positions.values()))
    low, high = xy.min(axis=0) - (1.0, 0.75), xy.max(axis=0) + (1.0, 0.75)
    centre, half = (low + high) / 2, np.maximum((high - low) / 2, MIN_VIEW / 2)
    ax.set_xlim(centre[0] - half[0], centre[0] + half[0])
    ax.set_ylim(centre[1] - half[1], centre[1] + half[1])
    ax.set_aspect("equal", adjustable="box")


def _figure_size(positions: dict) -> tuple[float, float]:
    """Inches for a drawing of these node positions: about an inch per unit, within bounds."""
    xy = np.array(list(positions.values()))
    width, height = np.ptp(xy, axis=0) + (2.0, 1.5)
    return float(np.clip(width + 0.5, 5.0, 14.0)), float(np.clip(height + 2.0, 4.0, 12.0))


def draw_interaction_graph(graph: InteractionGraph, ax=None, labels: NodeLabels = "order", legend: bool = True):
    """Draw an interaction graph as the paper does: layered by kernel, self-loops small,
    edge width by weight, with a legend.

    Layers ([`node_layers`][pltheory.plotting.node_layers]) follow |G/ker|: faithful
    irreducibles on top, the trivial one at the bottom, so energy flows downward; nodes are
    placed so that no edge passes through a disc it does not join
    ([`layered_positions`][pltheory.plotting.layered_positions], [`edge_curves`][pltheory.plotting.edge_curves]).
    A node shows its irreducible's key and, below it, |G/ker| (``labels``:
    [`node_label`][pltheory.plotting.node_label]). A graph of more than `MAX_DRAWN_NODES`
    nodes is drawn as its quotient by kernel (one node per kernel, labelled with the number
    of its irreducibles, [`drawn_graph`][pltheory.plotting.drawn_graph]); the title says so.

    Parameters
    ----------
    graph : InteractionGraph
        The graph ([`pltheory.interaction_graph`][pltheory.interaction.build.interaction_graph]).
    ax : matplotlib Axes, optional
        Where to draw; a new figure sized to the graph when None.
    labels : {"order", "frequency", "dim", "irrep"}
        The second line on the nodes ([`node_label`][pltheory.plotting.node_label]); the
        first is always the key.
    legend : bool
        Draw the legend ([`graph_legend`][pltheory.plotting.graph_legend]) under the graph.

    Returns
    -------
    matplotlib Axes
        The Axes drawn on.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> import pltheory as pt
    >>> offscreen()
    >>> graph = pt.interaction_graph(pt.GSet.regular(pt.cyclic(4)), "relu")
    >>> ax = draw_interaction_graph(graph)
    >>> sorted(text.get_text() for text in ax.texts)
    ['0\\n1', '1\\n4', '2\\n2']
    >>> plt.close(ax.figure)
    """
    G, quotient = drawn_graph(graph)
    labels = check_choice(labels, "labels", LABEL_KEYS)
    positions = layered_positions(graph)
    ax = _axes(ax, _figure_size(positions))
    _, patches, path = _matplotlib_parts()
    order = graph.X.group.order
    curves = edge_curves(G, positions)
    loops = loop_angles(G, positions, curves)
    for (u, v), (points, _) in curves.items():
        line = _outside_discs(points, np.array(positions[u]), np.array(positions[v]))
        _add_arrow(ax, patches, path.Path(line), G.edges[u, v]["weight"])
    for n, angle in loops.items():
        _add_arrow(ax, patches, path.Path(_loop_points(np.array(positions[n]), angle)), G.edges[n, n]["weight"])
    texts = []
    for n, data in G.nodes(data=True):
        ax.add_patch(patches.Circle(positions[n], DISC_RADIUS, facecolor=NODE_FILL[quotient], edgecolor=NODE_EDGE,
                                    linewidth=1.0, zorder=2))
        text = class_label(data, order) if quotient else node_label({**data, "group_order": order}, n, labels)
        texts.append(ax.text(*positions[n], text, ha="center", va="center", zorder=3, linespacing=1.1))
    _set_view(ax, positions)
    ax.set_axis_off()
    title = (f"{graph.X.group.name} on {graph.X.name}, {graph.activation.name} ({graph.method}"
             + (f", depth {graph.depth}" if graph.depth > 1 else "") + ")")
    if quotient:
        title += (f"\nquotient by kernel: {graph.graph.number_of_nodes()} irreducibles in "
                  f"{G.number_of_nodes()} classes")
    ax.set_title(title)
    if legend:
        graph_legend(ax, graph, labels)
    if texts:
        _fit_label_size(ax, texts)
    return ax


def _add_arrow(ax, patches, line, weight: float | None) -> None:
    """Add the edge along the path ``line`` (data coordinates), arrowhead at its end, width by weight."""
    width = edge_width(weight)
    ax.add_artist(patches.FancyArrowPatch(path=line, arrowstyle="-|>", mutation_scale=6 + 1.5 * width,
                                          linewidth=width, color=EDGE_COLOUR, alpha=0.85, zorder=1,
                                          shrinkA=0, shrinkB=0))


def plot_pl_map(phi: PLMap, ax=None, resolution: int = 201):
    """A PL map from a 2-dim component to a 1-dim one (e.g. the trivial component):
    filled contours of the target coordinate over the source plane, with the kink lines
    (boundaries of the linear pieces) drawn, on a grid of ``resolution`` x ``resolution``
    points (`RESOLUTION_RANGE`). Returns the Axes.

    >>> import matplotlib.pyplot as plt
    >>> import pltheory as pt
    >>> offscreen()
    >>> ax = plot_pl_map(pt.pl_map(pt.GSet.regular(pt.cyclic(4)), 1, 0), resolution=11)
    >>> ax.get_title()
    'relu: 1 -> 0'
    >>> plt.close(ax.figure)
    """
    check_instance(phi, "phi", PLMap, "a PL map (pltheory.pl_map)")
    resolution = check_integer(resolution, "resolution", *RESOLUTION_RANGE)
    if phi.source.dim != 2 or phi.target.dim != 1:
        raise ArgumentError(
            f"plot_pl_map draws a map from a 2-dim component to a 1-dim one; this one goes "
            f"from dimension {phi.source.dim} to {phi.target.dim}"
        )
    # the grid, phi's source vectors and activated vectors on Fun(X), and the values
    check_memory(8 * resolution**2 * (3 * phi.X.size + 6), f"plot_pl_map at resolution {resolution}",
                 "use a lower resolution")
    ax = _axes(ax, (5, 4.5))
    plt = _pyplot()
    t = np.linspace(-1, 1, resolution)
    U, V = np.meshgrid(t, t)
    values = phi(np.stack([U.ravel(), V.ravel()]))[0].reshape(U.shape)
    filled = ax.contourf(U, V, values, levels=21, cmap="viridis")
    plt.colorbar(filled, ax=ax, label=f"coordinate of f(v) in component {phi.target.irrep.key}")
    try:
        for piece in phi.pieces():
            ax.plot([0, 1.5 * math.cos(piece.start)], [0, 1.5 * math.sin(piece.start)], color="white", lw=0.8)
    except PLTheoryError:
        pass  # an activation with kinks away from 0 has no cones to draw
    ax.set_xlim(-1, 1)
    ax.set_ylim(-1, 1)
    ax.set_aspect("equal")
    ax.set_xlabel(f"first coordinate of v in component {phi.source.irrep.key}")
    ax.set_ylabel("second coordinate")
    ax.set_title(f"{phi.activation.name}: {phi.source.irrep.key} -> {phi.target.irrep.key}")
    return ax


def plot_energy_flow(graph: InteractionGraph, ax=None):
    """Stacked bars: for each source component, where the energy of its activated
    vectors goes (edge weights). Returns the Axes.

    >>> import matplotlib.pyplot as plt
    >>> import pltheory as pt
    >>> offscreen()
    >>> ax = plot_energy_flow(pt.interaction_graph(pt.GSet.regular(pt.cyclic(4)), "relu"))
    >>> ax.get_xlabel(), len(ax.patches)
    ('source component', 9)
    >>> plt.close(ax.figure)
    """
    G = _check_graph(graph).graph
    ax = _axes(ax, (7, 4))
    plt = _pyplot()
    nodes = list(G.nodes())
    names = [str(n) for n in nodes]
    bottom = np.zeros(len(nodes))
    cmap = plt.get_cmap("tab20")
    for t, target in enumerate(nodes):
        heights = np.array([(G.edges[s, target]["weight"] or 0.0) if G.has_edge(s, target) else 0.0
                            for s in nodes])
        if heights.any():
            ax.bar(range(len(nodes)), heights, bottom=bottom, color=cmap(t % 20), label=names[t])
            bottom += heights
    ax.set_xticks(range(len(nodes)), names, rotation=90 if len(nodes) > 12 else 0)
    ax.set_xlabel("source component")
    ax.set_ylabel("share of ||f(v) - f(0)||²")
    ax.set_title(f"where the energy goes: {graph.X.group.name}, {graph.activation.name}")
    if len(nodes) <= 20:  # beside the bars, never over them
        ax.legend(title="target", fontsize=7, ncol=1 + len(nodes) // 12, loc="upper left", bbox_to_anchor=(1.01, 1))
    return ax


def plot_weight(W: np.ndarray, ax=None, title: str = "a task-adapted weight W"):
    """A weight matrix W (|Y| x |X|) as a heat map, red positive and blue negative on a scale
    symmetric about 0, with a colour bar. Returns the Axes.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> offscreen()
    >>> ax = plot_weight(np.array([[1.0, -2.0], [0.5, 0.0]]))
    >>> ax.get_title(), ax.get_xlabel()
    ('a task-adapted weight W', 'input x')
    >>> plt.close(ax.figure)
    """
    W = check_real_array(W, "W", 2)
    ax = _axes(ax, (5, 4))
    limit = float(np.abs(W).max(initial=0.0)) or 1.0
    image = ax.imshow(W, cmap="RdBu_r", vmin=-limit, vmax=limit)
    ax.figure.colorbar(image, ax=ax, label="weight W[y, x]")
    ax.set_xlabel("input x")
    ax.set_ylabel("output y")
    ax.set_title(title)
    return ax


def plot_sharing(U: np.ndarray | None, shape: tuple[int, int], ax=None, columns: int = 6):
    """Where a sharing matrix U (vec(W) = U v, row-major, W of ``shape`` (|Y|, |X|)) ties
    weights: |U| summed over its first ``columns`` columns, as an image of W's shape, with
    a colour bar. ``U = None`` (no sharing, U = I) is said in words. Returns the Axes.

    Examples
    --------
    >>> offscreen()
    >>> import matplotlib.pyplot as plt
    >>> U = np.kron(np.ones((2, 1)), np.eye(2))          # W = [[a, b], [a, b]]
    >>> ax = plot_sharing(U, (2, 2))
    >>> ax.get_title()
    '|U| summed over its columns (learned sharing)'
    >>> plt.close(ax.figure)
    """
    ax = _axes(ax, (5, 4))
    if U is None:
        ax.text(0.5, 0.5, "no sharing: U = I\n(every weight is its own parameter)", ha="center", va="center")
        ax.set_axis_off()
        return ax
    U = check_real_array(U, "U", 2)
    if U.shape[0] != shape[0] * shape[1]:
        raise ArgumentError(f"U has {U.shape[0]} rows; a weight of shape {tuple(shape)} needs {shape[0] * shape[1]}")
    image = ax.imshow(np.abs(U[:, :columns]).reshape(shape[0], shape[1], -1).sum(axis=2), cmap="viridis")
    ax.figure.colorbar(image, ax=ax, label=f"sum of |U| over {min(columns, U.shape[1])} columns")
    ax.set_xlabel("input x")
    ax.set_ylabel("output y")
    ax.set_title("|U| summed over its columns (learned sharing)")
    return ax


def plot_containment(names: Sequence[str], containment: Sequence[float], ax=None, threshold: float | None = None):
    """Horizontal bars: the share of span(U) inside each candidate sharing subspace (the
    mean cos^2 of the principal angles, [`pltheory.analysis.rank_candidates`][pltheory.analysis.rank_candidates]), the
    first name on top, on a 0-1 axis; ``threshold`` (e.g. 0.9, the share a candidate must
    hold to explain U) is drawn as a dashed line with a legend. Returns the Axes.

    Examples
    --------
    >>> offscreen()
    >>> ax = plot_containment(["convolution width 3 (3)", "free (no sharing) (4760)"], [1.0, 0.25], threshold=0.9)
    >>> print([float(round(bar.get_width(), 2)) for bar in ax.patches], [float(v) for v in ax.get_xlim()])
    [1.0, 0.25] [0.0, 1.0]
    >>> import matplotlib.pyplot as plt
    >>> plt.close(ax.figure)
    """
    values = check_real_array(containment, "containment", 1)
    if len(names) != values.size:
        raise ArgumentError(f"{len(names)} names for {values.size} containment values")
    ax = _axes(ax, (8, 4))
    ax.barh([str(name) for name in names], values, color="#4c72b0", label="containment")
    if threshold is not None:
        ax.axvline(threshold, color="#c44e52", linestyle="--", label=f"explained: at least {threshold:.0%}")
        ax.legend(loc="lower right", fontsize="small")
    ax.set_xlim(0.0, 1.0)
    ax.set_xlabel("share of span(U) inside the candidate (mean cos² of principal angles)")
    ax.invert_yaxis()
    return ax


def plot_spectrum(energy: Sequence[float], group_name: str, ax=None, labels: Sequence[str] | None = None,
                  reference: Sequence[float] | None = None):
    """Bars: the share of ||W||^2 in the equivariant block of each irreducible of the group
    ([`pltheory.decompose_weight`][pltheory.decomposition.decompose_weight], the diagonal of
    its equivariant energy), in the order of the group's irreducibles, labelled by their
    keys when ``labels`` are given; ``reference`` (e.g. each block's share of dim Hom_G,
    the spectrum of a random equivariant weight) is drawn as black ticks with a legend.
    Returns the Axes.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> offscreen()
    >>> ax = plot_spectrum([0.5, 0.3, 0.2], "C4", labels=["0", "1", "2"])
    >>> ax.get_xlabel(), [t.get_text() for t in ax.get_xticklabels()]
    ('irreducible of C4 (key)', ['0', '1', '2'])
    >>> plt.close(ax.figure)
    """
    values = check_real_array(energy, "energy", 1)
    ax = _axes(ax, (8, 3.5))
    ax.bar(range(values.size), values, color="#dd8452", label="this weight")
    if reference is not None:
        reference = check_real_array(reference, "reference", 1)
        if reference.size != values.size:
            raise ArgumentError(f"{reference.size} reference values for {values.size} bars")
        ax.plot(range(values.size), reference, "_", color="black", markersize=18, markeredgewidth=2,
                label="a random equivariant weight")
        ax.legend(fontsize="small", loc="upper center", bbox_to_anchor=(0.5, -0.2), ncol=2)  # below: off the bars
    if labels is not None:
        _tick_labels(ax, labels, values.size)
    ax.set_xlabel(f"irreducible of {group_name}" + (" (key)" if labels is not None else ""))
    ax.set_ylabel("share of ||W||² (equivariant part)")
    return ax


#: Most tick labels an axis of components gets (every k-th is labelled beyond it).
MAX_TICK_LABELS = 18


def _tick_labels(ax, labels: Sequence[str], count: int, axis: str = "x") -> None:
    """Label the bars 0 .. count - 1 of ``ax`` by ``labels``, at most `MAX_TICK_LABELS` of
    them (every k-th), so that they never run together."""
    if len(labels) != count:
        raise ArgumentError(f"{len(labels)} labels for {count} bars")
    ticks = range(0, count, math.ceil(count / MAX_TICK_LABELS))
    getattr(ax, f"set_{axis}ticks")(ticks, [str(labels[i]) for i in ticks])


def plot_frequency_flow(before: Sequence[float], after: Sequence[float], ax=None, activation: str = "ReLU",
                        labels: Sequence[str] | None = None):
    """Paired bars: the share of energy of each isotypic component before and after the
    activation ([`pltheory.analysis.frequency_flow`][pltheory.analysis.frequency_flow]),
    labelled by the irreducibles' keys when ``labels`` are given. Returns the Axes.

    Examples
    --------
    >>> offscreen()
    >>> ax = plot_frequency_flow([0.0, 1.0], [0.6, 0.4])
    >>> print([float(round(bar.get_height(), 1)) for bar in ax.patches])
    [0.0, 1.0, 0.6, 0.4]
    >>> import matplotlib.pyplot as plt
    >>> plt.close(ax.figure)
    """
    before, after = check_real_array(before, "before", 1), check_real_array(after, "after", 1)
    if before.size != after.size:
        raise ArgumentError(f"before has {before.size} components, after {after.size}")
    ax = _axes(ax, (8, 3.5))
    index = np.arange(before.size)
    activation = check_instance(activation, "activation", str, "the activation's name")
    ax.bar(index - 0.2, before, width=0.4, label=f"before {activation}")
    ax.bar(index + 0.2, after, width=0.4, label=f"after {activation}")
    if labels is not None:
        _tick_labels(ax, labels, before.size)
    ax.set_xlabel("isotypic component" + (" (irreducible's key)" if labels is not None else ""))
    ax.set_ylabel("share of energy")
    ax.legend()
    return ax


#: The outline of an allowed edge in [`plot_transfer`][pltheory.plotting.plot_transfer]: orange, which shows on
#: white and on black cells.
GRAPH_EDGE_COLOUR = "#ff7f0e"

#: Smallest share [`plot_transfer`][pltheory.plotting.plot_transfer] shades: its log scale spans 1e-4 .. 1.
TRANSFER_FLOOR = 1e-4


def plot_transfer(transfer: np.ndarray, labels: Sequence[str], allowed: set[tuple[str, str]], ax=None,
                  title: str = "measured flow through the ReLU", tol: float = FLOW_TOL):
    """The measured flow of an activation as a heat map: row i, column j is the share of
    the energy of f(H_i) (the inputs' component i alone) in component j
    ([`pltheory.analysis.FrequencyFlow`][pltheory.analysis.FrequencyFlow]'s ``transfer``),
    on a log scale from `TRANSFER_FLOOR` to 1 (white below it), with a colour bar. Each
    edge the interaction graph allows (``allowed``, pairs of keys) is outlined; a share
    above ``tol`` (an observed edge) outside them is marked with a red cross. Returns the
    Axes.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> offscreen()
    >>> ax = plot_transfer(np.array([[1.0, 0.0], [0.5, 0.5]]), ["0", "1"], {("0", "0"), ("1", "0"), ("1", "1")})
    >>> ax.get_xlabel(), len(ax.patches)
    ('to component j (after the ReLU)', 3)
    >>> plt.close(ax.figure)
    """
    transfer = check_real_array(transfer, "transfer", 2)
    n = transfer.shape[0]
    if transfer.shape != (n, n) or len(labels) != n:
        raise ArgumentError(f"transfer must be square with one label per row, got {transfer.shape} and {len(labels)}")
    plt = _pyplot()
    from matplotlib.colors import LogNorm  # noqa: PLC0415 - matplotlib is imported on first drawing

    ax = _axes(ax, (5.5, 4.5))
    shown = np.ma.masked_less(transfer, TRANSFER_FLOOR)  # white below the floor of the scale
    image = ax.imshow(shown, cmap="Greys", norm=LogNorm(vmin=TRANSFER_FLOOR, vmax=1.0))
    ax.figure.colorbar(image, ax=ax, label="share of ReLU(component i)'s energy in j")
    index = {str(key): i for i, key in enumerate(labels)}
    outline = 1.5 if n <= 20 else 0.6  # thinner on many components
    for source, target in sorted(allowed):
        if source in index and target in index:
            ax.add_patch(plt.Rectangle((index[target] - 0.5, index[source] - 0.5), 1, 1, fill=False,
                                       edgecolor=GRAPH_EDGE_COLOUR, linewidth=outline))
    outside = [(i, j) for i in range(n) for j in range(n)
               if transfer[i, j] > tol and (str(labels[i]), str(labels[j])) not in allowed]
    ax.plot([j for _, j in outside], [i for i, _ in outside], "x", color="#c44e52", markersize=8)
    _tick_labels(ax, labels, n, "x")
    _tick_labels(ax, labels, n, "y")
    ax.set_xlabel("to component j (after the ReLU)")
    ax.set_ylabel("from component i (before)")
    ax.set_title(title)
    handles = [plt.Rectangle((0, 0), 1, 1, fill=False, edgecolor=GRAPH_EDGE_COLOUR, linewidth=1.5,
                             label="edge of the interaction graph"),
               plt.Line2D([], [], marker="x", linestyle="", color="#c44e52", label="measured outside the graph")]
    ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.16), fontsize="small", ncol=2)
    return ax


def plot_training_curve(curve: Sequence[dict], references: dict[str, float] | None = None, ax=None):
    """Meta-test MSE over the outer steps (``curve``: points with "step", "mse" and
    optionally "ci95", drawn as a band), with a dashed horizontal line per reference MSE
    (e.g. predicting 0 and baselines' final MSE), each in the legend. Returns the Axes.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> offscreen()
    >>> ax = plot_training_curve([{"step": 0, "mse": 1.0, "ci95": 0.1}, {"step": 10, "mse": 0.5, "ci95": 0.1}],
    ...                          {"predicting 0": 1.0})
    >>> [line.get_label() for line in ax.get_lines()]
    ['the model', 'predicting 0']
    >>> plt.close(ax.figure)
    """
    points = [p for p in curve if p.get("mse") is not None]
    if not points:
        raise ArgumentError("the curve has no point with a meta-test MSE")
    ax = _axes(ax, (8, 4))
    steps = np.array([p["step"] for p in points], dtype=float)
    mse = np.array([p["mse"] for p in points], dtype=float)
    ci = np.array([p.get("ci95") or 0.0 for p in points], dtype=float)
    ax.plot(steps, mse, color="#4c72b0", label="the model")
    ax.fill_between(steps, mse - ci, mse + ci, color="#4c72b0", alpha=0.2, linewidth=0)
    colours = ["#c44e52", "#55a868", "#8172b2", "#937860", "#da8bc3", "#8c8c8c"]
    for (name, value), colour in zip((references or {}).items(), colours * 4):
        ax.axhline(value, linestyle="--", color=colour, label=name)
    ax.set_xlabel("outer step")
    ax.set_ylabel("meta-test MSE (query examples)")
    ax.legend(fontsize="small")
    return ax

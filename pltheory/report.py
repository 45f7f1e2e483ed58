"""The HTML report of a checkpoint's analysis (``pltheory report`` and ``analyze -o``).

[`write_report`][pltheory.report.write_report] renders a
[`CheckpointAnalysis`][pltheory.msr.analysis.CheckpointAnalysis] (made by
[`pltheory.msr.analysis.analyze_checkpoint`][pltheory.msr.analysis.analyze_checkpoint]):
DIR/index.html (one page, from the template ``templates/report.html.j2`` with every value
escaped; figures as PNG files beside it, drawn by [`pltheory.plotting`][pltheory.plotting])
and DIR/report.json. It writes through a scratch directory moved into place
([`pltheory.outputs.publish`][pltheory.outputs.publish]), and refuses a non-empty DIR it did
not write unless ``force``. Nothing here needs torch.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import jinja2
import numpy as np

from .errors import OutputError
from .outputs import prepare_output, publish, scratch_directory
from .plotting import (
    draw_interaction_graph,
    new_axes,
    offscreen,
    plot_containment,
    plot_frequency_flow,
    plot_sharing,
    plot_spectrum,
    plot_training_curve,
    plot_transfer,
    plot_weight,
    save_figure,
)

if TYPE_CHECKING:  # annotations only: the analysis needs torch, rendering does not
    from .msr.analysis import CheckpointAnalysis

MARKER = ".pltheory-report"

#: Every file a report writes; only these are ever replaced or removed in a report
#: directory, whatever the marker lists.
REPORT_FILES = frozenset({"index.html", "report.json", MARKER, "angles.png"} | {  # angles.png: library 0.2's
    f"{figure}.{suffix}" for figure in ("curve", "sharing", "containment", "spectrum", "graph", "flow", "transfer")
    for suffix in ("png", "svg")})


def check_report_directory(directory: str | Path, *, force: bool = False) -> Path:
    """Raise unless a report may be written into ``directory``: it is new, empty, or was
    written by pltheory report (its marker is a regular file), or ``force`` is given.
    Creates missing parent directories. Called before any analysis, so a refusal is
    immediate.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = tempfile.TemporaryDirectory()
    >>> root = pathlib.Path(folder.name)
    >>> check_report_directory(root / "report") == root / "report"
    True
    >>> _ = (root / "notes.txt").write_text("a user's file")
    >>> check_report_directory(root)
    Traceback (most recent call last):
    ...
    pltheory.errors.OutputError: ... is not empty and was not written by pltheory report; pass --force to write into it
    >>> folder.cleanup()
    """
    directory = prepare_output(directory, force=True, directory=True)
    if directory.is_dir() and any(directory.iterdir()) and not (directory / MARKER).is_file() and not force:
        raise OutputError(f"{directory} is not empty and was not written by pltheory report; "
                          f"pass --force to write into it")
    return directory


def write_report(analysis: CheckpointAnalysis, directory: str | Path, *, force: bool = False,
                 progress: Callable[[str], None] | None = None) -> Path:
    """Write index.html, report.json and the PNG figures of ``analysis`` into ``directory``
    (see [`check_report_directory`][pltheory.report.check_report_directory]), built in a
    scratch directory and moved into place.

    Figures and data are moved first, the page and the marker last, then the files of the
    previous report that this one lacks are removed: at every moment index.html refers to
    files that are there. Only `REPORT_FILES` are ever touched, so a user's files stay,
    whatever a marker lists; only a directory the report made or owns gets a marker.
    ``progress`` is called with a line before the figures are drawn.

    Examples
    --------
    The report of an untrained 1-D convolution (6 -> 4) on a small translation family:

    >>> import tempfile, pathlib
    >>> from pltheory.msr.analysis import analyze_checkpoint
    >>> from pltheory.msr.checkpoint import save_checkpoint
    >>> from pltheory.msr.models import make_model
    >>> from pltheory.msr.tasks import translation_tasks
    >>> family = translation_tasks(num_tasks=10, inputs=6, seed=0)
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = save_checkpoint(pathlib.Path(folder) / "run", make_model("conv", family),
    ...                            task_spec=family.spec, steps=0, curve=[])
    ...     out = write_report(analyze_checkpoint(path, tasks=2), pathlib.Path(folder) / "report")
    ...     print(sorted(p.name for p in out.iterdir())[:3])
    ['.pltheory-report', 'containment.png', 'containment.svg']
    """
    directory = check_report_directory(directory, force=force)
    ours = not directory.exists() or (directory / MARKER).is_file()
    previous = set((directory / MARKER).read_text().split()) & REPORT_FILES if ours and directory.exists() else set()
    with scratch_directory(directory.parent, prefix=".report-") as scratch:
        if progress is not None:
            progress("drawing the report's figures (PNG and SVG)")
        flows = report_flows(analysis.summary)
        data = {**analysis.as_dict(), "figures": _figures(analysis, flows, scratch)}
        (scratch / "report.json").write_text(json.dumps(data, indent=1))
        (scratch / "index.html").write_text(_html(data, flows))
        written = sorted(p.name for p in scratch.iterdir())
        assert set(written) <= REPORT_FILES, written
        if ours:  # the marker lists our files
            (scratch / MARKER).write_text("\n".join(written) + "\n")
        names = publish(scratch, directory, last=("index.html", MARKER))
    for name in sorted(previous - set(names)):
        if (directory / name).is_file() and not (directory / name).is_symlink():
            (directory / name).unlink()
    return directory


#: Resolution of the report's PNG figures (an SVG is written beside each).
REPORT_DPI = 150


def report_flows(summary: dict) -> list[dict]:
    """The flows the report shows, each with a "title", its "group" and a sentence reading
    it ("reading"): every ReLU between two layers that has an analysis group, or, for a
    model without one, the first layer's pre-activations put through a ReLU.

    Examples
    --------
    >>> flow = {"group": "C6", "after_layer": 0, "edges": [["1", "0"], ["1", "2"]], "edges_outside_theory": [],
    ...         "silent_edges": [], "low_to_high_edges": [["1", "2"]], "mean_frequency_before": 1.0,
    ...         "mean_frequency_after": 0.8, "moves_to_higher_frequency": False}
    >>> [(f["title"], f["group"]) for f in report_flows({"relu_flow": [flow], "frequency_flow": None})]
    [('ReLU after layer 1', 'C6')]
    >>> import textwrap
    >>> print(textwrap.fill(report_flows({"relu_flow": [flow], "frequency_flow": None})[0]["reading"], 80))
    All 2 measured edges are edges of the interaction graph of C6, as the theory
    says. 1 of them leads to a higher frequency (1→2). The mean frequency goes 1.00
    → 0.80.
    """
    return [{**f, "reading": _reading(f), "low_to_high_listed": listed_edges(f["low_to_high_edges"])}
            for f in titled_flows(summary) if f["group"] is not None]


def titled_flows(summary: dict) -> list[dict]:
    """Every ReLU of the analysis with a "title": each ReLU between two layers, or, for a
    model of one layer, a ReLU applied to its outputs; "group" is None where no flow was
    measured (``pltheory analyze`` says so, the report leaves it out).

    Examples
    --------
    >>> [(f["title"], f["group"]) for f in titled_flows({"relu_flow": [{"after_layer": 0, "group": None}]})]
    [('ReLU after layer 1', None)]
    >>> titled_flows({"relu_flow": [], "frequency_flow": None, "analysis_group": {"name": "C6"}})
    [{'title': "a ReLU applied to layer 1's outputs", 'group': None}]
    """
    if summary["relu_flow"]:
        return [{**f, "title": f"ReLU after layer {f['after_layer'] + 1}"} for f in summary["relu_flow"]]
    first = summary["frequency_flow"]
    return [{**(first or {}), "title": "a ReLU applied to layer 1's outputs",
             "group": summary["analysis_group"]["name"] if first is not None else None}]


#: Edges listed by name on the page before "and N more".
LISTED_EDGES = 12


def listed_edges(edges: list) -> str:
    """Edges as "i→j", ordered by the numbers in their keys (frequency 2 before 10), at most
    `LISTED_EDGES` of them.

    Examples
    --------
    >>> listed_edges([["1", "10"], ["1", "2"]])
    '1→2, 1→10'
    >>> listed_edges([["0", str(j)] for j in range(20)]).split(", ")[-3:]
    ['0→10', '0→11', 'and 8 more']
    """
    def order(edge: list) -> tuple:
        return tuple((tuple(int(n) for n in re.findall(r"-?\d+", key)), key) for key in edge)

    ordered = sorted(edges, key=order)
    text = ", ".join(f"{i}→{j}" for i, j in ordered[:LISTED_EDGES])
    return text + (f", and {len(ordered) - LISTED_EDGES} more" if len(ordered) > LISTED_EDGES else "")


def _reading(flow: dict) -> str:
    """What a measured flow says: whether it respects the interaction graph, which edges
    go up in frequency, and the mean frequency with and without the invariant component."""
    edges, outside, up = len(flow["edges"]), flow["edges_outside_theory"], flow["low_to_high_edges"]
    if outside:
        parts = [f"{len(outside)} of {edges} measured edges are not edges of the interaction graph of "
                 f"{flow['group']} ({listed_edges(outside)}): this contradicts the theory; check the analysis group."]
    else:
        parts = [f"All {edges} measured edges are edges of the interaction graph of {flow['group']}, "
                 f"as the theory says."]
    parts.append(f"{len(up)} of them lead{'s' if len(up) == 1 else ''} to a higher frequency ({listed_edges(up)})."
                 if up else "None leads to a higher frequency.")
    means = f"The mean frequency goes {flow['mean_frequency_before']:.2f} → {flow['mean_frequency_after']:.2f}"
    before, after = flow.get("varying_mean_frequency_before"), flow.get("varying_mean_frequency_after")
    if before is None or after is None:
        return " ".join(parts) + f" {means}."
    return " ".join(parts) + (f" {means}; leaving out the invariant component (where the mean a ReLU adds goes), "
                              f"{before:.2f} → {after:.2f}.")


def report_abstract(summary: dict, flows: list[dict]) -> list[str]:
    """The report's opening paragraph, one sentence per finding: the MSE against its
    baselines, the sharing and symmetry of each layer, and the flow through the ReLUs.

    Examples
    --------
    >>> import textwrap
    >>> summary = {"model": "msr-fc", "test_mse": 0.5, "test_mse_ci95": 0.05, "zero_predictor_mse": 1.0,
    ...            "baselines": [{"model": "conv", "test_mse": 0.6, "ci95": 0.06}], "layers": [
    ...            {"index": 0, "learned_sharing": {"best": "C6 (circulant)", "candidates": []},
    ...             "analysis_group": {"name": "C6"}, "equivariance_defect": 0.01}]}
    >>> for sentence in report_abstract(summary, []):
    ...     print(textwrap.fill(sentence, 100))
    Meta-test MSE 0.5000 ± 0.0500, against 1.0000 for predicting 0 and conv 0.6000 ± 0.0600 (the 95%
    intervals of conv overlap the model's).
    Layer 1's learned sharing is best explained by C6 (circulant); 1.0% of its adapted weights' energy
    ||W||² lies outside Hom_C6.
    """
    sentences = []
    if summary["test_mse"] is not None:
        against = [f"{summary['zero_predictor_mse']:.4f} for predicting 0"] if summary["zero_predictor_mse"] else []
        against += [f"{b['model']} {_interval(b['test_mse'], b['ci95'])}" for b in summary["baselines"]]
        mse = _interval(summary["test_mse"], summary.get("test_mse_ci95"))
        sentences.append(f"Meta-test MSE {mse}" + (f", against {' and '.join(against)}" if against else "")
                         + _overlap(summary) + ".")
    for layer in summary["layers"]:
        group, defect = layer["analysis_group"]["name"], layer["equivariance_defect"]
        candidates = layer["learned_sharing"]["candidates"]  # best first
        smaller = [c for c in candidates if c["dim"] < candidates[0]["dim"]]
        if smaller and candidates[0]["dim"] == max(c["dim"] for c in candidates):  # "no sharing": what comes closest?
            closest = max(smaller, key=lambda c: c["containment"])
            text = (f"No candidate smaller than {candidates[0]['name']} explains layer {layer['index'] + 1}'s learned "
                    f"sharing: the closest, {closest['name']}, holds {100 * closest['containment']:.1f}% of it")
        else:
            text = (f"Layer {layer['index'] + 1}'s learned sharing is best explained by "
                    f"{layer['learned_sharing']['best']}")
        if group is not None and defect is not None:
            text += f"; {100 * defect:.1f}% of its adapted weights' energy ||W||² lies outside Hom_{group}"
            if layer.get("boundary_effect") is not None:
                text += f", of which {100 * layer['boundary_effect']:.1f}% is the boundary effect of the padding"
        sentences.append(text + ".")
    sentences += [f"{flow['title'][0].upper()}{flow['title'][1:]}: {flow['reading']}" for flow in flows]
    return sentences


def _interval(mse: float, ci95: float | None) -> str:
    return f"{mse:.4f}" + ("" if ci95 is None else f" ± {ci95:.4f}")


def _overlap(summary: dict) -> str:
    """A clause saying which baselines the model's 95% interval overlaps (not told apart)."""
    mse, ci = summary["test_mse"], summary.get("test_mse_ci95") or 0.0
    tied = [b["model"] for b in summary["baselines"] if abs(b["test_mse"] - mse) <= ci + b["ci95"]]
    return f" (the 95% intervals of {' and '.join(tied)} overlap the model's)" if tied else ""


def _figures(analysis: CheckpointAnalysis, flows: list[dict], folder: Path) -> dict[str, str]:
    """Draw the report's figures into ``folder`` (PNG at `REPORT_DPI` and SVG); the PNG
    file names by figure."""
    offscreen()
    summary = analysis.summary
    layers = summary["layers"]
    files = {}
    if any(point.get("mse") is not None for point in summary["curve"]):
        references = {"predicting 0": summary["zero_predictor_mse"]} if summary["zero_predictor_mse"] else {}
        references.update({f"{b['model']} baseline (final MSE)": b["test_mse"] for b in summary["baselines"]})
        files["curve"] = _save(plot_training_curve(summary["curve"], references, new_axes((8, 4))),
                               folder / "curve")
    weight_ax, sharing_ax = new_axes((11, 4.2), columns=2)
    W, U = analysis.W, analysis.U
    bank = summary["pattern_group"] is None  # a lifting convolution: W is its filter bank, channels x 3x3 taps
    plot_weight(W, weight_ax, title="layer 1: a task-adapted " + ("filter bank" if bank else "weight W"))
    if U is None:
        plot_sharing(None, W.shape, sharing_ax)
    else:  # a column of U is a weight: the pattern of ties the layer learned
        plot_weight(U[:, 0].reshape(W.shape), sharing_ax, title="layer 1: the first column of U, as a weight")
    if bank:
        for ax in (weight_ax, sharing_ax):
            ax.set_xlabel("tap (row-major in the 3 x 3 window)")
            ax.set_ylabel("output channel")
    files["sharing"] = _save(weight_ax, folder / "sharing")
    panels = _panels((9, 3.0 * len(layers)), rows=len(layers))
    for ax, layer in zip(panels, layers):
        candidates = layer["learned_sharing"]["candidates"]
        plot_containment([f"{c['name']} ({c['dim']})" for c in candidates], [c["containment"] for c in candidates],
                         ax, threshold=summary["thresholds"]["explained"])
        ax.set_title(f"layer {layer['index'] + 1}: span(U) inside each candidate sharing")
    files["containment"] = _save(panels[0], folder / "containment")
    spectra = [layer for layer in layers if layer["spectrum"] and layer["spectrum"]["equivariant"]]
    if spectra:
        panels = _panels((4 * len(spectra) + 1, 3.6), columns=len(spectra))
        for ax, layer in zip(panels, spectra):
            plot_spectrum(layer["spectrum"]["equivariant"], layer["analysis_group"]["name"], ax,
                          labels=layer["spectrum"]["labels"], reference=layer["spectrum"]["hom_dimension_share"])
            ax.set_title(f"layer {layer['index'] + 1}")
        files["spectrum"] = _save(panels[0], folder / "spectrum")
    if analysis.graph is not None:
        files["graph"] = _save(draw_interaction_graph(analysis.graph), folder / "graph", tight=False)
    if flows:
        panels = _panels((4.6 * len(flows) + 1, 3.8), columns=len(flows))
        for ax, flow in zip(panels, flows):
            plot_frequency_flow(flow["before"], flow["after"], ax, labels=flow["keys"])
            ax.set_title(f"{flow['title']} (under {flow['group']})")
        files["flow"] = _save(panels[0], folder / "flow")
        panels = _panels((5.6 * len(flows), 5.2), columns=len(flows))
        for ax, flow in zip(panels, flows):
            plot_transfer(np.array(flow["transfer"]), flow["keys"], {tuple(e) for e in flow["graph_edges"]}, ax,
                          title=flow["title"])
        files["transfer"] = _save(panels[0], folder / "transfer")
    return files


def _save(ax, stem: Path, *, tight: bool = True) -> str:
    """Save the figure of ``ax`` as ``stem``.png and ``stem``.svg (laid out tight, unless
    it laid itself out); the PNG's name."""
    return save_figure(ax, stem.with_suffix(".png"), dpi=REPORT_DPI, tight_layout=tight, also=("svg",),
                       bbox_inches=None if tight else "tight").name


def _panels(figsize: tuple[float, float], *, rows: int = 1, columns: int = 1) -> list:
    """The Axes of a new figure of ``rows`` x ``columns`` panels, as a list."""
    return list(np.atleast_1d(new_axes(figsize, columns=columns, rows=rows)))


def _html(data: dict, flows: list[dict]) -> str:
    """index.html from the template, every value escaped (Jinja2 autoescape): a checkpoint
    is untrusted, and its fields reach the page. ``flows``: [`report_flows`][pltheory.report.report_flows]."""
    return _TEMPLATES.get_template("report.html.j2").render(**data, flows=flows,
                                                              abstract=report_abstract(data, flows))


_TEMPLATES = jinja2.Environment(loader=jinja2.PackageLoader("pltheory", "templates"),
                                autoescape=True, undefined=jinja2.StrictUndefined)

"""Analyse a meta-trained checkpoint and write the HTML report (``pltheory report``).

:func:`analyze_checkpoint` answers, for the first layer of a checkpoint: which sharing
subspace explains the learned U and the task-adapted weights (principal angles against
:func:`pltheory.analysis.candidate_sharings`), which permutation group preserves the
sharing pattern of an adapted weight, how far the weights are from equivariance under the
analysis group, their spectrum over its irreducibles, the interaction graph of that group,
and the frequency flow through a ReLU on real inputs. The analysis group is the pattern
group when it is not trivial, else (``group="auto"``) C_n on the n inputs with the outputs
embedded by zero padding (:func:`pltheory.analysis.embed_in_cyclic`): for a convolution
without padding the pattern group is trivial, and the padded rows measure the boundary.

:func:`write_report` writes DIR/index.html (one page; figures as PNG files beside it),
DIR/report.json and the figures, through a temporary directory, and refuses a non-empty
DIR it did not write unless ``force``.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import jinja2
import numpy as np

from .analysis import (
    candidate_sharings,
    check_flow,
    embed_in_cyclic,
    equivariance_defect,
    frequency_flow,
    identify_group,
    pattern_group,
    rank_candidates,
    sharing_pattern,
)
from .decompose import decompose_weight
from .errors import OutputError, PLTheoryError, TooLargeError
from .groups import cycle_notation, format_order, json_order
from .groups import group as parse_group
from .gsets import GSet
from .interaction import interaction_graph
from .outputs import prepare_output, scratch_directory

MARKER = ".pltheory-report"

#: Every file a report writes; only these are ever replaced or removed in a report
#: directory, whatever the marker lists.
REPORT_FILES = frozenset({"index.html", "report.json", "sharing.png", "angles.png", "spectrum.png", "graph.png",
                          "flow.png", MARKER})


def analyze_checkpoint(path: str | Path | None = None, *, group: str = "auto", tasks: int = 20) -> dict:
    """The analysis of a checkpoint's first layer (see the module docstring), JSON-ready,
    with the arrays the figures need under the key ``"arrays"``."""
    import torch  # noqa: PLC0415 - checkpoints need torch

    from .msr.checkpoint import load_checkpoint  # noqa: PLC0415
    from .msr.maml import adapt, family_gset  # noqa: PLC0415
    from .msr.tasks import equivariant_tasks, translation_tasks  # noqa: PLC0415

    model, record = load_checkpoint(path)
    layer = model.layers[0]
    out, inp = layer.out_features, layer.in_features
    U = None if layer.sharing is None and layer.base is None else \
        layer.effective_sharing().detach().numpy().astype(float)  # None: U = I (no sharing)
    spec = record.task
    try:
        if spec.task == "translation":
            family = translation_tasks(spec.rank, num_tasks=spec.num_tasks, examples=spec.examples,
                                       inputs=spec.inputs, width=spec.width, seed=spec.seed)
        else:
            X0 = family_gset(spec.group, spec.set, inp)
            family = equivariant_tasks(X0, num_tasks=spec.num_tasks, examples=spec.examples,
                                       seed=spec.seed, name=spec.name)
    except TooLargeError:
        raise
    except (ValueError, PLTheoryError) as exc:
        raise PLTheoryError(f"the checkpoint's task record cannot regenerate its tasks ({str(exc)[:150]})") from None
    if (family.in_features, family.out_features) != (inp, out):
        raise PLTheoryError(f"the checkpoint's task record makes {family.in_features} -> {family.out_features} "
                            f"tasks, but its layer maps {inp} -> {out}")
    x, y = family.split("test")
    tasks = min(tasks, x.shape[0])  # a small family may have fewer test tasks
    x_t, y_t = torch.as_tensor(x[:tasks]), torch.as_tensor(y[:tasks])
    filters = adapt(model, x_t[:, :1], y_t[:, :1], create_graph=False)[0].detach()
    weights = layer.weight(filters).detach().numpy().astype(float)  # (tasks, out, in)

    candidates = candidate_sharings(out, inp)
    ranked_U = rank_candidates(U, candidates)
    ranked_W = rank_candidates(weights.reshape(tasks, -1).T, candidates)
    W = weights[0]
    labels = sharing_pattern(W)
    found = pattern_group(labels)
    P = found.group
    pattern_name = (found.name or identify_group(P)) if found.complete else "incomplete: the search budget ran out"

    decomposable = P.order <= P.max_elements  # its decompositions list the group
    if group == "auto" and P.order > 1 and found.complete and decomposable:
        G, how = P, "the sharing pattern's group (acting on inputs and outputs)"
        X = GSet(P, np.array([g[out:] - out for g in P.generators]), name="inputs")
        Y = GSet(P, np.array([g[:out] for g in P.generators]), name="outputs")
        stacked = weights
    else:
        G = parse_group(f"C{inp}" if group == "auto" else group)
        how = (f"C{inp} on the inputs, outputs embedded by zero padding" if group == "auto"
               else f"{group}, asked for")
        if group == "auto" and not decomposable:
            how += f" (the sharing pattern's group, of order {format_order(P.order)}, is too large to decompose)"
        if G.degree != inp:
            raise PLTheoryError(f"group {G.name} acts on {G.degree} points; the layer has {inp} inputs")
        X = Y = GSet.natural(G)
        stacked = np.stack([embed_in_cyclic(w) for w in weights]) if out < inp else weights
    W_analysed = stacked[0]
    defect = equivariance_defect(W_analysed, X, Y)
    boundary = None  # only meaningful for a shift-shared layer embedded in C_n
    if (W_analysed.shape != W.shape and G.family == ("C", inp)
            and ranked_W[0].name.startswith(("convolution", "translation"))):
        shared = ranked_W[0].project(W.reshape(-1, 1)).reshape(W.shape)
        boundary = equivariance_defect(embed_in_cyclic(shared), X, Y)
    spectrum = decompose_weight(W_analysed, X, Y)
    cyclic_natural = G.family is not None and G.family[0] == "C" and X is Y
    graph = interaction_graph(X, "relu", method="closed_form" if cyclic_natural else "probe")
    flow, outside = None, []
    if X is Y:  # pre-activations W x on the test inputs, all tasks and examples
        H = np.einsum("tyx,tnx->ytn", stacked, x[:tasks].astype(float)).reshape(X.size, -1)
        flow = frequency_flow(H, X, "relu")
        outside = sorted(check_flow(flow, graph))

    def cand(c):
        return {"name": c.name, "dim": c.dim, "containment": round(c.containment, 6),
                "largest_angle": round(c.largest_angle, 3)}

    return {
        "checkpoint": str(path) if path is not None else "embedded default",
        "model": record.model, "steps": record.steps, "task": family.name,
        "layer": {"in": inp, "out": out, "k": layer.k},
        "test_mse": record.test_mse,
        "learned_sharing": {"best": ranked_U[0].name, "candidates": [cand(c) for c in ranked_U]},
        "adapted_weights": {"tasks": tasks, "best": ranked_W[0].name, "candidates": [cand(c) for c in ranked_W]},
        "pattern_group": {"order": json_order(P.order), "complete": found.complete, "name": pattern_name,
                          "classes": int(labels.max() + 1),
                          "generators": [cycle_notation(g) for g in P.generators]},
        "analysis_group": {"name": G.name, "order": G.order, "how": how},
        "equivariance_defect": defect,
        "boundary_effect": boundary,
        "spectrum": {"labels": spectrum.source_labels,
                     "equivariant": np.diag(spectrum.equivariant_energy).tolist()
                     if spectrum.source_labels == spectrum.target_labels else [],
                     "equivariant_share": spectrum.equivariant_share},
        "interaction_graph": graph.as_dict(),
        "frequency_flow": None if flow is None else {
            "labels": flow.labels, "before": flow.before.tolist(), "after": flow.after.tolist(),
            "edges": sorted(flow.edges), "edges_outside_theory": outside},
        "arrays": {"W": W, "U": U, "graph": graph, "flow": flow, "ranked": ranked_U},
    }


def check_report_directory(directory: str | Path, *, force: bool = False) -> Path:
    """Raise unless a report may be written into ``directory``: it is new, empty, or was
    written by pltheory report (its marker is a regular file), or ``force`` is given.
    Creates missing parent directories. Called before any analysis, so a refusal is
    immediate."""
    directory = prepare_output(directory, force=True, directory=True)
    if directory.is_dir() and any(directory.iterdir()) and not (directory / MARKER).is_file() and not force:
        raise OutputError(f"{directory} is not empty and was not written by pltheory report; "
                          f"pass --force to write into it")
    return directory


def write_report(analysis: dict, directory: str | Path, *, force: bool = False) -> Path:
    """Write index.html, report.json and the PNG figures into ``directory`` (see
    :func:`check_report_directory`), built in a scratch directory and moved into place."""
    directory = check_report_directory(directory, force=force)
    ours = not directory.exists() or (directory / MARKER).is_file()
    with scratch_directory(directory.parent, prefix=".report-") as scratch:
        figures = _figures(analysis, scratch)
        data = {k: v for k, v in analysis.items() if k != "arrays"}
        data["figures"] = figures
        (scratch / "report.json").write_text(json.dumps(data, indent=1))
        (scratch / "index.html").write_text(_html(data))
        written = sorted(p.name for p in scratch.iterdir())
        assert set(written) <= REPORT_FILES, written
        if ours:  # the marker lists our files; only a directory we made or own gets one
            (scratch / MARKER).write_text("\n".join(written) + "\n")
        if directory.exists():
            # Figures and data first, the page and the marker last, then the files of the
            # previous report that this one lacks: at every moment index.html refers to
            # files that are there. Only REPORT_FILES are ever touched, so a user's files
            # stay, whatever a marker lists.
            previous = set((directory / MARKER).read_text().split()) & REPORT_FILES if ours else set()
            names = sorted(p.name for p in scratch.iterdir())
            for name in sorted(names, key=lambda n: n in ("index.html", MARKER)):
                os.replace(scratch / name, directory / name)
            for name in sorted(previous - set(names)):
                if (directory / name).is_file() and not (directory / name).is_symlink():
                    (directory / name).unlink()
        else:
            os.replace(scratch, directory)
    return directory


def _figures(analysis: dict, folder: Path) -> dict[str, str]:
    import matplotlib  # noqa: PLC0415

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt  # noqa: PLC0415

    from .plotting import draw_interaction_graph  # noqa: PLC0415

    arrays = analysis["arrays"]
    files = {}

    fig, axes = plt.subplots(1, 2, figsize=(10, 4))
    limit = np.abs(arrays["W"]).max()
    axes[0].imshow(arrays["W"], cmap="RdBu_r", vmin=-limit, vmax=limit)
    axes[0].set_title("a task-adapted weight W")
    if arrays["U"] is None:
        axes[1].text(0.5, 0.5, "no sharing: U = I\n(every weight is its own parameter)", ha="center", va="center")
        axes[1].set_axis_off()
    else:
        U = arrays["U"][:, : min(6, arrays["U"].shape[1])]
        axes[1].imshow(np.abs(U).reshape(analysis["layer"]["out"], analysis["layer"]["in"], -1).sum(axis=2),
                       cmap="viridis")
        axes[1].set_title("|U| summed over its columns (learned sharing)")
    files["sharing"] = _save(fig, folder / "sharing.png", plt)

    fig, ax = plt.subplots(figsize=(8, 4))
    cands = analysis["learned_sharing"]["candidates"]
    ax.barh([f"{c['name']} ({c['dim']})" for c in cands], [c["containment"] for c in cands], color="#4c72b0")
    ax.set_xlabel("share of span(U) inside the candidate (mean cos^2 of principal angles)")
    ax.invert_yaxis()
    files["angles"] = _save(fig, folder / "angles.png", plt)

    spec = analysis["spectrum"]
    if spec["equivariant"]:
        fig, ax = plt.subplots(figsize=(8, 3.5))
        ax.bar(range(len(spec["labels"])), spec["equivariant"], color="#dd8452")
        ax.set_xlabel(f"irreducible of {analysis['analysis_group']['name']}")
        ax.set_ylabel("share of ||W||^2 (equivariant part)")
        files["spectrum"] = _save(fig, folder / "spectrum.png", plt)

    fig, ax = plt.subplots(figsize=(7, 6))
    draw_interaction_graph(arrays["graph"], ax=ax, labels="order")
    files["graph"] = _save(fig, folder / "graph.png", plt)

    flow = analysis["frequency_flow"]
    if flow is not None:
        fig, ax = plt.subplots(figsize=(8, 3.5))
        idx = np.arange(len(flow["labels"]))
        ax.bar(idx - 0.2, flow["before"], width=0.4, label="before ReLU")
        ax.bar(idx + 0.2, flow["after"], width=0.4, label="after ReLU")
        ax.set_xlabel("isotypic component")
        ax.set_ylabel("share of energy")
        ax.legend()
        files["flow"] = _save(fig, folder / "flow.png", plt)
    return files


def _save(fig, path: Path, plt) -> str:
    fig.tight_layout()
    fig.savefig(path, dpi=90)
    plt.close(fig)
    return path.name


def _html(data: dict) -> str:
    """index.html from the template, every value escaped (Jinja2 autoescape): a checkpoint
    is untrusted, and its fields reach the page."""
    return _TEMPLATES.get_template("report.html.j2").render(**data)


_TEMPLATES = jinja2.Environment(loader=jinja2.PackageLoader("pltheory", "templates"),
                                autoescape=True, undefined=jinja2.StrictUndefined)

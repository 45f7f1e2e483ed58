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

import html
import json
import os
from pathlib import Path

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
from .errors import OutputError, PLTheoryError
from .groups import cycle_notation
from .groups import group as parse_group
from .gsets import GSet
from .interaction import interaction_graph
from .outputs import prepare_output, scratch_directory

MARKER = ".pltheory-report"


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
    U = layer.effective_sharing().detach().numpy().astype(float)
    spec = record["task"]
    try:
        if spec["task"] == "translation":
            family = translation_tasks(spec["rank"], num_tasks=spec["num_tasks"], examples=spec["examples"],
                                       inputs=spec["inputs"], width=spec["width"], seed=spec["seed"])
        else:
            X0 = family_gset(spec["group"], spec["set"], inp)
            family = equivariant_tasks(X0, num_tasks=spec["num_tasks"], examples=spec["examples"],
                                       seed=spec["seed"], name=spec.get("name"))
    except (KeyError, TypeError, ValueError, MemoryError, PLTheoryError) as exc:
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
    pattern_name = identify_group(P) if found.complete else "incomplete: the search budget ran out"

    if group == "auto" and P.order > 1 and found.complete:
        G, how = P, "the sharing pattern's group (acting on inputs and outputs)"
        X = GSet(P, np.array([g[out:] - out for g in P.generators]), name="inputs")
        Y = GSet(P, np.array([g[:out] for g in P.generators]), name="outputs")
        stacked = weights
    else:
        G = parse_group(f"C{inp}" if group == "auto" else group)
        how = (f"C{inp} on the inputs, outputs embedded by zero padding" if group == "auto"
               else f"{group}, asked for")
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
        "model": record["model"], "steps": record["steps"], "task": family.name,
        "layer": {"in": inp, "out": out, "k": layer.k},
        "test_mse": (record["curve"][-1].get("mse") if isinstance(record.get("curve"), list) and record["curve"]
                     and isinstance(record["curve"][-1], dict) else None),
        "learned_sharing": {"best": ranked_U[0].name, "candidates": [cand(c) for c in ranked_U]},
        "adapted_weights": {"tasks": tasks, "best": ranked_W[0].name, "candidates": [cand(c) for c in ranked_W]},
        "pattern_group": {"order": P.order, "complete": found.complete, "name": pattern_name,
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
        if ours:  # the marker lists our files; only a directory we made or own gets one
            (scratch / MARKER).write_text("\n".join(written) + "\n")
        if directory.exists():
            # never delete a directory: remove the files our previous report listed, then
            # move the new ones in (a user's directory under --force keeps its own files)
            if ours:
                for name in (directory / MARKER).read_text().split():
                    if "/" not in name and (directory / name).is_file():
                        (directory / name).unlink()
            for item in scratch.iterdir():
                os.replace(item, directory / item.name)
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
    esc = html.escape
    best_u, best_w = data["learned_sharing"]["best"], data["adapted_weights"]["best"]
    pattern = data["pattern_group"]
    rows = "".join(f"<tr><td>{esc(c['name'])}</td><td>{c['dim']}</td><td>{c['containment']:.4f}</td>"
                   f"<td>{c['largest_angle']:.2f}</td></tr>" for c in data["learned_sharing"]["candidates"])
    figures = data["figures"]

    def img(key: str, caption: str) -> str:
        if key not in figures:
            return ""
        return (f'<figure><img src="{esc(figures[key])}" alt="{esc(caption)}">'
                f"<figcaption>{esc(caption)}</figcaption></figure>")

    boundary_text = "" if data["boundary_effect"] is None else (
        f"The same weight made exactly shared and embedded the same way keeps "
        f"{data['boundary_effect']:.4f} (the boundary effect of the zero padding).")
    mse = "not recorded" if data["test_mse"] is None else f"{data['test_mse']:.4f}"
    flow = data["frequency_flow"]
    flow_text = "" if flow is None else (
        f"<p>Observed flow edges: {len(flow['edges'])}; outside the interaction graph: "
        f"{len(flow['edges_outside_theory'])}.</p>")
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>pltheory report</title>
<style>body{{font-family:sans-serif;max-width:960px;margin:2em auto;line-height:1.4}}
table{{border-collapse:collapse}}td,th{{border:1px solid #ccc;padding:2px 8px}}img{{max-width:100%}}</style>
</head><body>
<h1>What did this model learn?</h1>
<p>{esc(data['model'])} ({esc(data['checkpoint'])}), {data['steps']} outer steps on {esc(data['task'])};
layer {data['layer']['in']} &rarr; {data['layer']['out']} with k = {data['layer']['k']} shared parameters;
meta-test MSE {mse}.</p>
<h2>Learned sharing</h2>
<p>The smallest candidate containing span(U): <b>{esc(best_u)}</b>; for the span of the
task-adapted weights: <b>{esc(best_w)}</b>.</p>
<table><tr><th>candidate</th><th>dim</th><th>containment</th><th>largest angle (deg)</th></tr>{rows}</table>
{img('angles', 'containment of span(U) in each candidate')}
{img('sharing', 'an adapted weight and the learned sharing')}
<h2>Recovered group</h2>
<p>Permutations of rows and columns preserving the sharing pattern ({pattern['classes']} classes of
equal weights): order {pattern['order']}, {esc(pattern['name'])}.</p>
<p>Analysis group: {esc(data['analysis_group']['name'])} ({esc(data['analysis_group']['how'])}).
Equivariance defect (share of ||W||&sup2; outside Hom<sub>G</sub>): {data['equivariance_defect']:.4f}.
{boundary_text}</p>
{img('spectrum', 'spectrum: energy of the equivariant part per irreducible')}
<h2>Interaction graph and frequency flow</h2>
{img('graph', 'interaction graph of the analysis group (ReLU)')}
{img('flow', 'energy per isotypic component before and after ReLU on real inputs')}
{flow_text}
<p>Machine-readable: <a href="report.json">report.json</a>.</p>
</body></html>
"""

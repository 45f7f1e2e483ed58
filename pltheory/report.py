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
from pathlib import Path
from typing import TYPE_CHECKING

import jinja2

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
    plot_weight,
    save_figure,
)

if TYPE_CHECKING:  # annotations only: the analysis needs torch, rendering does not
    from .msr.analysis import CheckpointAnalysis

MARKER = ".pltheory-report"

#: Every file a report writes; only these are ever replaced or removed in a report
#: directory, whatever the marker lists.
REPORT_FILES = frozenset({"index.html", "report.json", "sharing.png", "angles.png", "spectrum.png", "graph.png",
                          "flow.png", MARKER})


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


def write_report(analysis: CheckpointAnalysis, directory: str | Path, *, force: bool = False) -> Path:
    """Write index.html, report.json and the PNG figures of ``analysis`` into ``directory``
    (see [`check_report_directory`][pltheory.report.check_report_directory]), built in a
    scratch directory and moved into place.

    Figures and data are moved first, the page and the marker last, then the files of the
    previous report that this one lacks are removed: at every moment index.html refers to
    files that are there. Only `REPORT_FILES` are ever touched, so a user's files stay,
    whatever a marker lists; only a directory the report made or owns gets a marker.

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
    ['.pltheory-report', 'angles.png', 'flow.png']
    """
    directory = check_report_directory(directory, force=force)
    ours = not directory.exists() or (directory / MARKER).is_file()
    previous = set((directory / MARKER).read_text().split()) & REPORT_FILES if ours and directory.exists() else set()
    with scratch_directory(directory.parent, prefix=".report-") as scratch:
        data = {**analysis.as_dict(), "figures": _figures(analysis, scratch)}
        (scratch / "report.json").write_text(json.dumps(data, indent=1))
        (scratch / "index.html").write_text(_html(data))
        written = sorted(p.name for p in scratch.iterdir())
        assert set(written) <= REPORT_FILES, written
        if ours:  # the marker lists our files
            (scratch / MARKER).write_text("\n".join(written) + "\n")
        names = publish(scratch, directory, last=("index.html", MARKER))
    for name in sorted(previous - set(names)):
        if (directory / name).is_file() and not (directory / name).is_symlink():
            (directory / name).unlink()
    return directory


def _figures(analysis: CheckpointAnalysis, folder: Path) -> dict[str, str]:
    """Draw the report's figures into ``folder``; their file names by figure."""
    offscreen()
    summary = analysis.summary
    weight_ax, sharing_ax = new_axes((10, 4), columns=2)
    plot_weight(analysis.W, weight_ax)
    plot_sharing(analysis.U, (summary["layer"]["out"], summary["layer"]["in"]), sharing_ax)
    files = {"sharing": _save(weight_ax, folder / "sharing.png")}
    candidates = summary["learned_sharing"]["candidates"]
    files["angles"] = _save(plot_containment([f"{c['name']} ({c['dim']})" for c in candidates],
                                             [c["containment"] for c in candidates], new_axes((8, 4))),
                            folder / "angles.png")
    spectrum = summary["spectrum"]
    if spectrum["equivariant"]:
        files["spectrum"] = _save(plot_spectrum(spectrum["equivariant"], summary["analysis_group"]["name"],
                                                new_axes((8, 3.5))), folder / "spectrum.png")
    files["graph"] = _save(draw_interaction_graph(analysis.graph, ax=new_axes((7, 6)), labels="order"),
                           folder / "graph.png")
    flow = summary["frequency_flow"]
    if flow is not None:
        files["flow"] = _save(plot_frequency_flow(flow["before"], flow["after"], new_axes((8, 3.5))),
                              folder / "flow.png")
    return files


def _save(ax, path: Path) -> str:
    return save_figure(ax, path, dpi=90, tight_layout=True).name


def _html(data: dict) -> str:
    """index.html from the template, every value escaped (Jinja2 autoescape): a checkpoint
    is untrusted, and its fields reach the page."""
    return _TEMPLATES.get_template("report.html.j2").render(**data)


_TEMPLATES = jinja2.Environment(loader=jinja2.PackageLoader("pltheory", "templates"),
                                autoescape=True, undefined=jinja2.StrictUndefined)

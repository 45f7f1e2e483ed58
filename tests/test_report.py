"""pltheory analyze / report: the embedded checkpoint, an equivariant checkpoint, refusals."""

import io
import json
import re
import sys

import numpy as np
import pytest

pytest.importorskip("torch")

import pltheory as pt  # noqa: E402
from pltheory.cli import main  # noqa: E402
from pltheory.tolerances import FLOW_TOL  # noqa: E402


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    out = tmp_path_factory.mktemp("r") / "report"
    assert main(["report", "-o", str(out), "--json"]) == 0
    return out


def test_report_of_the_embedded_checkpoint(report):
    """The default: a 3-layer MSR-FC ReLU network on C12-equivariant tasks. Every layer is
    analysed under C12 and close to equivariant; both ReLUs move energy only along edges of
    C12's interaction graph, measured and compared independently of the model."""
    data = json.loads((report / "report.json").read_text())
    assert data["model"] == "msr-fc" and len(data["layers"]) == 3 and data["task"] == "C12 on natural, depth 3"
    assert [layer["analysis_group"]["name"] for layer in data["layers"]] == ["C12"] * 3
    assert all(layer["equivariance_defect"] < 0.1 for layer in data["layers"])
    assert [layer["learned_sharing"]["best"] for layer in data["layers"]][::2] == ["C12 (circulant)"] * 2
    # the reference spectrum: circulants of C12 are 12-dimensional, 1 for frequencies 0 and 6, 2 for 1 .. 5
    assert data["layers"][0]["spectrum"]["hom_dimension_share"] == pytest.approx([1, 2, 2, 2, 2, 2, 1] / np.array(12))
    # the baselines and the zero predictor recorded by pltheory train --baselines
    assert [b["model"] for b in data["baselines"]] == ["equivariant", "fc"]
    assert data["test_mse"] < data["baselines"][1]["test_mse"] < data["zero_predictor_mse"]
    assert data["sharing_from"]["model"] == "msr-fc" and "pltheory train" in data["sharing_from"]["command"]
    flows = data["relu_flow"]
    assert [f["after_layer"] for f in flows] == [0, 1] and all(f["group"] == "C12" for f in flows)
    for flow in flows:
        edges = {tuple(e) for e in flow["edges"]}
        assert flow["edges_outside_theory"] == [] and edges <= {tuple(e) for e in flow["graph_edges"]}
        # the graph is C12's, made again here; and a ReLU'd wave of frequency 1 holds only a constant, the
        # fundamental and even harmonics, which on 12 points fold to 2, 4 and 6 (never 3 or 5)
        assert {tuple(e) for e in flow["graph_edges"]} == \
            pt.interaction_graph(pt.GSet.natural(pt.cyclic(12)), "relu", method="exact").edges()
        assert {j for i, j in edges if i == "1"} == {"0", "1", "2", "4", "6"}
        transfer = np.array(flow["transfer"])
        assert np.allclose(transfer.sum(axis=1), 1.0)  # every component of a 12-point signal is probed
        assert edges == {(flow["keys"][i], flow["keys"][j]) for i, j in zip(*np.nonzero(transfer > FLOW_TOL))}
        assert np.isclose(sum(flow["before"]), 1.0) and np.isclose(sum(flow["after"]), 1.0)
    page = (report / "index.html").read_text()
    links = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert links and all((report / link).is_file() for link in links)
    for png in data["figures"].values():  # 150 dpi, an SVG beside every PNG
        assert (report / png).read_bytes()[:4] == b"\x89PNG" and (report / png).with_suffix(".svg").is_file()
        assert _png_dpi(report / png) >= 150
    assert {"curve", "containment", "flow", "transfer", "graph", "spectrum", "sharing"} <= set(data["figures"])
    assert "ReLU after layer 2" in page and "predicting 0" in page and "at least 90%" in page


def _png_dpi(path) -> float:
    """The resolution a PNG declares (its pHYs chunk, pixels per metre), in dots per inch."""
    data = path.read_bytes()
    at = data.index(b"pHYs")
    return int.from_bytes(data[at + 4:at + 8], "big") * 0.0254


def test_analysis_of_the_translation_model(capsys):
    """The paper's one-layer model stays available, with its boundary effect."""
    from pltheory.msr.checkpoint import EMBEDDED  # noqa: PLC0415

    assert main(["analyze", str(EMBEDDED["translation"]), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["learned_sharing"]["best"] == "convolution width 3"
    assert data["adapted_weights"]["best"] == "convolution width 3"
    assert data["pattern_group"]["order"] == 1  # a convolution without padding has no symmetry
    assert data["analysis_group"]["name"] == "C70"
    assert np.isclose(data["boundary_effect"], 2 / 70)  # the zero padding of 2 of 70 rows
    assert data["equivariance_defect"] >= data["boundary_effect"]
    assert data["frequency_flow"]["edges_outside_theory"] == []
    assert main(["report", "--model", "translation", "CHECKPOINT"]) == 2
    assert "not both" in capsys.readouterr().err


@pytest.mark.slow
def test_report_of_the_translation_model(tmp_path):
    out = tmp_path / "translation"
    assert main(["report", "--model", "translation", "-o", str(out)]) == 0
    page = (out / "index.html").read_text()
    assert "boundary effect" in page and "C<sub>70</sub>" in page
    assert json.loads((out / "report.json").read_text())["analysis_group"]["name"] == "C70"


def test_report_refuses_a_directory_it_did_not_write(tmp_path, capsys):
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("keep me")
    assert main(["report", "-o", str(mine)]) == 2
    assert "--force" in capsys.readouterr().err and sorted(p.name for p in mine.iterdir()) == ["notes.txt"]
    assert not list(tmp_path.glob(".report-*"))  # nothing half-written left behind
    (mine / ".pltheory-report").mkdir()  # a directory named like our marker does not make it ours
    assert main(["report", "-o", str(mine)]) == 2


@pytest.mark.slow
def test_forced_report_keeps_the_users_files(tmp_path, capsys):
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("keep me")
    assert main(["report", "-o", str(mine), "--force"]) == 0
    assert (mine / "notes.txt").read_text() == "keep me" and (mine / "index.html").is_file()
    assert not (mine / ".pltheory-report").exists()  # a user's directory never becomes ours
    assert main(["report", "-o", str(mine)]) == 2  # so the next run still asks
    assert main(["report", "-o", str(mine), "--force"]) == 0
    assert (mine / "notes.txt").read_text() == "keep me"


@pytest.mark.slow
def test_report_rewrites_its_own_directory(report):
    (report / "extra.txt").write_text("a user's file in our directory")
    assert main(["report", "-o", str(report)]) == 0
    assert (report / "extra.txt").is_file() and (report / "index.html").is_file()


def test_an_equivariant_checkpoint_is_recognised(tmp_path, capsys):
    run = tmp_path / "run"
    assert main(["train", "--task", "permutation", "--model", "equivariant", "--steps", "5", "--num-tasks", "100",
                 "--eval-tasks", "10", "--out", str(run), "--quiet"]) == 0
    capsys.readouterr()
    info = json.loads(capsys.readouterr().out) if main(["analyze", str(run), "--json"]) == 0 else None
    assert info["learned_sharing"]["best"] == "S6" and info["pattern_group"]["name"] == "S6"
    assert info["equivariance_defect"] < 1e-10


@pytest.mark.parametrize("argv, message", [
    (["analyze", "/nonexistent"], "not a pltheory checkpoint"),
    (["analyze", "CHECKPOINT", "--group", "Q9"], "cannot parse"),
    (["analyze", "CHECKPOINT", "--group", "C9"], "70 inputs"),
])
def test_analyze_errors(capsys, argv, message):
    from pltheory.msr.checkpoint import EMBEDDED  # noqa: PLC0415

    argv = [str(EMBEDDED["translation"]) if a == "CHECKPOINT" else a for a in argv]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1


def test_nan_weights_are_refused(tmp_path, capsys):
    import torch  # noqa: PLC0415

    from pltheory.msr.checkpoint import DEFAULT_CHECKPOINT  # noqa: PLC0415

    bad = tmp_path / "nan"
    bad.mkdir()
    (bad / "model.json").write_text((DEFAULT_CHECKPOINT / "model.json").read_text())
    state = torch.load(DEFAULT_CHECKPOINT / "model.pt", weights_only=True)
    state["layers.0.sharing"][0, 0] = float("nan")
    torch.save(state, bad / "model.pt")
    assert main(["analyze", str(bad)]) == 2
    assert "finite" in capsys.readouterr().err


def test_unwritable_output(tmp_path, capsys):
    blocker = tmp_path / "file"
    blocker.write_text("a file, not a directory")
    for target in (blocker / "out", blocker / "deeper" / "out", blocker):
        assert main(["report", "-o", str(target)]) == 2
        err = capsys.readouterr().err
        assert err.startswith("pltheory: error:") and err.count("\n") == 1
    assert blocker.read_text() == "a file, not a directory" and not list(tmp_path.glob(".report-*"))


@pytest.mark.slow
def test_missing_parent_directories_are_created(tmp_path):
    target = tmp_path / "missing" / "deeper" / "report"
    assert main(["report", "-o", str(target)]) == 0
    assert (target / "index.html").is_file() and not list(target.parent.glob(".report-*"))


def test_a_lifting_checkpoint_gets_a_report(tmp_path, capsys):
    """A lifting convolution is analysed on its filter banks; its report draws the bank,
    the containment and the curve, and says why there is no flow."""
    run = tmp_path / "lift"
    assert main(["train", "--task", "lifting-p4", "--size", "8", "--model", "msr-conv", "--steps", "2",
                 "--num-tasks", "20", "--eval-tasks", "5", "--out", str(run), "--quiet"]) == 0
    assert main(["analyze", str(run), "-o", str(tmp_path / "report"), "--json"]) == 0
    data = json.loads((tmp_path / "report" / "report.json").read_text())
    assert set(data["figures"]) == {"curve", "sharing", "containment"} and data["pattern_group"] is None
    assert "no flow between irreducibles is measured" in (tmp_path / "report" / "index.html").read_text()


def test_analysis_reports_its_progress(monkeypatch):
    from pltheory.cli import _progress_printer  # noqa: PLC0415
    from pltheory.msr.analysis import analyze_checkpoint  # noqa: PLC0415

    messages = []
    analyze_checkpoint(tasks=2, progress=messages.append)
    assert [m.split(":")[0] for m in messages if m.startswith(("layer", "ReLU"))] == \
        ["layer 1 of 3", "layer 2 of 3", "layer 3 of 3", "ReLU 1 of 2", "ReLU 2 of 2"]

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.setattr(sys, "stderr", io.StringIO())  # piped or captured: no progress lines
    assert _progress_printer() is None
    monkeypatch.setattr(sys, "stderr", Terminal())
    _progress_printer()("drawing")
    assert sys.stderr.getvalue() == "pltheory: drawing ...\n"


def test_the_embedded_checkpoints_the_command_names_are_the_librarys():
    from pltheory.cli import EMBEDDED_MODELS  # noqa: PLC0415
    from pltheory.msr.checkpoint import EMBEDDED  # noqa: PLC0415

    assert tuple(EMBEDDED) == EMBEDDED_MODELS

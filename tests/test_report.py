"""pltheory analyze / report: the embedded checkpoint, an equivariant checkpoint, refusals."""

import json
import re

import numpy as np
import pytest

pytest.importorskip("torch")

from pltheory.cli import main  # noqa: E402


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    out = tmp_path_factory.mktemp("r") / "report"
    assert main(["report", "-o", str(out), "--json"]) == 0
    return out


def test_report_of_the_embedded_checkpoint(report):
    data = json.loads((report / "report.json").read_text())
    assert data["learned_sharing"]["best"] == "convolution width 3"
    assert data["adapted_weights"]["best"] == "convolution width 3"
    assert data["pattern_group"]["order"] == 1  # a convolution without padding has no symmetry
    assert data["analysis_group"]["name"] == "C70"
    assert np.isclose(data["boundary_effect"], 2 / 70)  # the zero padding of 2 of 70 rows
    assert data["equivariance_defect"] >= data["boundary_effect"]
    assert data["frequency_flow"]["edges_outside_theory"] == []
    page = (report / "index.html").read_text()
    links = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert links and all((report / link).is_file() for link in links)
    assert set(data["figures"].values()) <= {p.name for p in report.iterdir()}


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
    from pltheory.msr.checkpoint import DEFAULT_CHECKPOINT  # noqa: PLC0415

    argv = [str(DEFAULT_CHECKPOINT) if a == "CHECKPOINT" else a for a in argv]
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

"""The pltheory command: output, JSON, saving, and one-line errors."""

import json
import subprocess
import sys

import numpy as np
import pytest

import pltheory as pt
import pltheory.cli
from pltheory.cli import main


def run_json(capsys, *argv):
    assert main([*argv, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_group_command(capsys):
    info = run_json(capsys, "group", "S4")
    assert info["order"] == 24 and info["degree"] == 4 and not info["abelian"]
    assert [c["size"] for c in info["classes"]] == [1, 3, 6, 8, 6]
    assert main(["group", "C4xC4"]) == 0
    out = capsys.readouterr().out
    assert "order 16" in out and "16 conjugacy classes" in out


def test_group_command_large_group_lists_no_classes(capsys):
    info = run_json(capsys, "group", "S12")
    assert info["order"] == 479001600 and info["classes"] is None and "limit" in info["classes_note"]


def test_basis_command_matches_api(capsys, tmp_path):
    target = tmp_path / "b.npz"
    info = run_json(capsys, "basis", "S5", "--x", "natural", "--y", "pairs", "--save", str(target))
    assert info["dim"] == 5 and info["shape"] == [25, 5]
    assert sum(int(s) * c for s, c in info["orbit_sizes"].items()) == 125
    saved = np.load(target)
    G = pt.group("S5")
    api = pt.equivariant_basis(pt.GSet.natural(G), pt.GSet.from_spec(G, "pairs"))
    assert np.array_equal(saved["labels"], api.labels)


def test_basis_show_prints_convolution_labels(capsys):
    assert main(["basis", "C4xC4", "--x", "grid", "--y", "grid", "--show"]) == 0
    out = capsys.readouterr().out
    assert "dimension 16" in out
    rows = [line.split() for line in out.splitlines() if line.startswith("  ")]
    labels = np.array(rows[-16:], dtype=int)
    assert np.array_equal(np.sort(labels, axis=1), np.tile(np.arange(16), (16, 1)))


def test_save_refuses_to_overwrite(capsys, tmp_path):
    target = tmp_path / "b.npz"
    target.write_bytes(b"user data")
    assert main(["basis", "C4", "--save", str(target)]) == 2
    assert "--force" in capsys.readouterr().err
    assert target.read_bytes() == b"user data"
    assert main(["basis", "C4", "--save", str(target), "--force"]) == 0
    assert np.load(target)["labels"].shape == (4, 4)


@pytest.mark.parametrize("argv, fragment", [
    (["group", "Q8"], "cannot parse group"),
    (["group", "<[0,0,1]>"], "not a permutation"),
    (["group", "<[1,0];[0,2,1]>"], "different degrees"),
    (["basis", "S4", "--x", "subsets:9"], "subsets:9"),
    (["basis", "S4", "--x", "foo"], "unknown G-set"),
    (["basis", "C4", "--x", "cosets:(0 1)"], "not an element"),
    (["basis", "S10", "--x", "regular"], "more than the limit"),
    (["basis", "C4", "--save", "out.txt"], ".npz"),
])
def test_errors_are_one_line(capsys, argv, fragment):
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith("pltheory: error: ") and fragment in err
    assert err.count("\n") == 1 and "Traceback" not in err


def test_installed_entry_point_reports_errors_without_traceback():
    proc = subprocess.run([sys.executable, "-m", "pltheory.cli", "group", "X9"],
                          capture_output=True, text=True)
    assert proc.returncode == 2
    assert proc.stderr.startswith("pltheory: error:") and "Traceback" not in proc.stderr


def test_irreps_command(capsys):
    info = run_json(capsys, "irreps", "A4")
    assert [(V["dim"], V["type"]) for V in info["irreps"]] == [(1, "R"), (2, "C"), (3, "R")]
    assert [V["kernel_order"] for V in info["irreps"]] == [12, 4, 1]
    rows = info["character_table"]
    assert len(rows) == len(info["classes"]) == 4
    assert sum(int(r["values"][0]) ** 2 for r in rows) == info["order"]
    info = run_json(capsys, "irreps", "C8")
    assert [V["frequency"] for V in info["irreps"]] == [0, 1, 2, 3, 4]
    assert [V["generator_orders"] for V in info["irreps"]] == [[1], [8], [4], [8], [2]]


def test_decompose_command(capsys):
    info = run_json(capsys, "decompose", "S4", "--set", "pairs")
    assert info["size"] == 16
    assert sum(c["dim"] * c["multiplicity"] for c in info["components"]) == 16
    found = {c["irrep"]: c["multiplicity"] for c in info["components"]}
    assert found == {"(4)": 2, "(2,2)": 1, "(3,1)": 3, "(2,1,1)": 1}


def test_irreps_command_too_large(capsys):
    assert main(["irreps", "A9"]) == 2  # order 181440, beyond the listing limit of the general algorithm
    assert "100000" in capsys.readouterr().err
    assert main(["irreps", "S11"]) == 2  # 11! matrix entries for the irreducibles in Young's form
    assert "n up to 10" in capsys.readouterr().err


def test_decompose_weight_command(capsys, tmp_path):
    G = pt.group("C8")
    X = pt.GSet.natural(G)
    B = pt.equivariant_basis(X, X)
    path = tmp_path / "w.npy"
    np.save(path, B.expand(np.arange(8.0)))
    info = run_json(capsys, "decompose-weight", str(path), "--group", "C8")
    assert np.isclose(info["equivariant_share"], 1.0)
    energy = np.array(info["energy"])
    assert np.isclose(energy.sum(), 1.0) and np.allclose(energy - np.diag(np.diag(energy)), 0.0, atol=1e-12)
    for bad, fragment in [(tmp_path / "none.npy", "not a file"), (tmp_path / "junk.npy", "not a numpy .npy file")]:
        if bad.name == "junk.npy":
            bad.write_text("not numpy")
        assert main(["decompose-weight", str(bad), "--group", "C8"]) == 2
        assert fragment in capsys.readouterr().err
    np.save(path, np.full((8, 8), np.nan))
    assert main(["decompose-weight", str(path), "--group", "C8"]) == 2
    assert "NaN" in capsys.readouterr().err


@pytest.mark.parametrize("argv, fragment", [
    (["basis", "C3", "--y", ""], "empty G-set"), (["basis", "S3", "--save", ""], "file name"),
])
def test_empty_arguments_are_errors(capsys, argv, fragment):
    assert main(argv) == 2
    assert fragment in capsys.readouterr().err


def test_graph_command_json_matches_the_closed_form(capsys):
    info = run_json(capsys, "graph", "C8", "--method", "closed-form")
    assert set(info) >= {"group", "set", "activation", "method", "nodes", "edges"}
    assert [n["key"] for n in info["nodes"]] == ["0", "1", "2", "3", "4"]
    assert [n["kernel_order"] for n in info["nodes"]] == [8, 1, 2, 1, 4]  # gcd(8, k)
    found = {(int(e["source"]), int(e["target"])) for e in info["edges"]}
    loops = {(k, k) for k in range(5)}
    assert found == loops | {(1, 0), (1, 2), (1, 4), (3, 0), (3, 2), (3, 4), (2, 0), (2, 4), (4, 0)}
    assert all(e["weight"] > 0 for e in info["edges"])  # probe weights on a small set
    product = run_json(capsys, "graph", "C2xC2", "--set", "grid", "--method", "exact", "--activation", "abs")
    assert [n["key"] for n in product["nodes"]] == ["(0,0)", "(0,1)", "(1,0)", "(1,1)"]


def test_graph_text_lists_at_most_text_edges(capsys, monkeypatch):
    """The text output lists TEXT_EDGES edges and counts the rest; --json lists them all
    (the same edges as the library's graph)."""
    monkeypatch.setattr(pltheory.cli, "TEXT_EDGES", 3)
    assert main(["graph", "C6", "--method", "exact"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert "4 components, 8 edges" in lines[0]
    assert sum(line.startswith("  ") and "->" in line for line in lines) == 3
    assert lines[-1].strip().startswith("... 5 more edges")
    listed = {(e["source"], e["target"]) for e in run_json(capsys, "graph", "C6", "--method", "exact")["edges"]}
    assert listed == pt.interaction_graph(pt.GSet.regular(pt.cyclic(6)), "relu", method="exact").edges()


def test_graph_command_draws_and_refuses_to_overwrite(capsys, tmp_path):
    out = tmp_path / "g.png"
    assert main(["graph", "C6", "-o", str(out)]) == 0
    assert out.read_bytes()[:4] == b"\x89PNG"
    assert main(["graph", "C6", "-o", str(out)]) == 2
    assert "--force" in capsys.readouterr().err
    assert main(["graph", "C6", "-o", str(out), "--force", "--labels", "irrep"]) == 0
    assert main(["graph", "C6", "-o", str(tmp_path / "g.txt")]) == 2
    assert not (tmp_path / "g.txt").exists()
    capsys.readouterr()
    assert main(["graph", "C6", "--dot"]) == 0
    assert capsys.readouterr().out.startswith("digraph")


@pytest.mark.parametrize("argv, message", [
    (["graph", "S4", "--method", "closed-form"], "closed form"),
    (["graph", "C6", "--activation", "swish"], "unknown activation"),
    (["graph", "C6", "--method", "exact", "--activation", "tanh"], "homogeneous"),
    (["graph", "C6", "--method", "exact", "--depth", "2"], "probe"),
])
def test_graph_command_errors(capsys, argv, message):
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1


def test_a_closed_pipe_is_not_an_error():
    proc = subprocess.Popen([sys.executable, "-m", "pltheory.cli", "graph", "C600"], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    proc.stdout.readline()
    proc.stdout.close()
    assert proc.wait(timeout=60) == 0
    assert b"error" not in proc.stderr.read()


def test_negative_seed_is_refused(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["graph", "C8", "--seed", "-1"])
    assert exc.value.code == 2 and "non-negative" in capsys.readouterr().err

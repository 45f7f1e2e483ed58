"""Outputs: never over a user's file without --force, parents created, atomic, umask permissions."""

import os
import stat

import numpy as np
import pytest

import pltheory as pt
from pltheory.cli import main
from pltheory.outputs import prepare_output, publish, scratch_directory, write_file, write_text


@pytest.fixture
def umask_022():
    old = os.umask(0o022)
    yield
    os.umask(old)


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_write_file_creates_parents_and_uses_the_umask(tmp_path, umask_022):
    path = write_text(tmp_path / "a" / "b" / "c.txt", "one")
    assert path.read_text() == "one" and mode(path) == 0o644
    assert mode(tmp_path / "a" / "b") == 0o755
    os.umask(0o077)
    assert mode(write_text(tmp_path / "private.txt", "x")) == 0o600
    assert sorted(p.name for p in (tmp_path / "a" / "b").iterdir()) == ["c.txt"]  # no temporary left


def test_existing_files_and_links_need_force(tmp_path):
    path = write_text(tmp_path / "f.txt", "user's")
    with pytest.raises(pt.OutputError, match="--force"):
        write_text(path, "ours")
    assert path.read_text() == "user's"
    assert write_text(path, "ours", force=True).read_text() == "ours"
    dangling = tmp_path / "link.txt"
    dangling.symlink_to(tmp_path / "nowhere.txt")
    with pytest.raises(pt.OutputError, match="--force"):
        write_text(dangling, "x")
    target = tmp_path / "target.txt"
    target.write_text("kept")
    link = tmp_path / "to-target.txt"
    link.symlink_to(target)
    write_text(link, "new", force=True)  # the link is replaced, its target is not written through
    assert target.read_text() == "kept" and not link.is_symlink() and link.read_text() == "new"


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path):
    path = write_text(tmp_path / "f.txt", "old")

    def fail(temporary):
        temporary.write_text("half")
        raise RuntimeError("killed")

    with pytest.raises(RuntimeError):
        write_file(path, fail, force=True)
    assert path.read_text() == "old" and [p.name for p in tmp_path.iterdir()] == ["f.txt"]


def test_unusable_parents_are_one_line_errors(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    for target in (blocker / "out.txt", blocker / "deeper" / "out.txt"):
        with pytest.raises(pt.OutputError, match="is a file"):
            prepare_output(target)
    with pytest.raises(pt.OutputError, match="directory"):
        prepare_output(tmp_path, force=True)


# ------------------------------------------------------------------ the commands
def test_graph_output_formats_and_permissions(tmp_path, umask_022, capsys):
    for name, head in [("g.png", b"\x89PNG"), ("g.svg", b"<?xml"), ("g.pdf", b"%PDF"), ("g.dot", b"digraph")]:
        out = tmp_path / "new" / name
        assert main(["graph", "C6", "-o", str(out)]) == 0
        assert out.read_bytes()[: len(head)] == head and mode(out) == 0o644  # was 0600 from mkstemp
    assert (tmp_path / "new" / "g.dot").read_text().strip() == pt.interaction_graph(
        pt.GSet.regular(pt.cyclic(6)), "relu").to_dot()
    assert sorted(p.name for p in (tmp_path / "new").iterdir()) == ["g.dot", "g.pdf", "g.png", "g.svg"]


def test_basis_save_into_a_new_directory(tmp_path, capsys):
    out = tmp_path / "results" / "b.npz"
    assert main(["basis", "C4", "--save", str(out)]) == 0
    assert np.load(out)["labels"].shape == (4, 4)
    blocker = tmp_path / "file"
    blocker.write_text("x")
    assert main(["basis", "C4", "--save", str(blocker / "b.npz")]) == 2
    err = capsys.readouterr().err
    assert "is a file" in err and err.count("\n") == 1


def test_a_replaced_file_keeps_its_permissions(tmp_path, umask_022):
    private = write_text(tmp_path / "secret.txt", "v1")
    os.chmod(private, 0o600)
    write_text(private, "v2", force=True)
    assert private.read_text() == "v2" and mode(private) == 0o600  # --force does not make it public


def test_names_the_file_system_refuses_are_one_line_errors(tmp_path):
    with pytest.raises(pt.OutputError):
        write_text(tmp_path / ("x" * 300 + ".txt"), "too long a name")
    assert list(tmp_path.iterdir()) == []


def test_umask_is_read_without_changing_it(umask_022):
    from pltheory.outputs import umask  # noqa: PLC0415

    assert umask() == 0o022 and umask() == 0o022


def test_publish_moves_a_scratch_directory_into_place(tmp_path, umask_022):
    with scratch_directory(tmp_path, prefix=".x-") as scratch:
        for name in ("index.html", "a.png", "b.json"):
            (scratch / name).write_text(name)
        assert publish(scratch, tmp_path / "new", last={"index.html"}) == ["a.png", "b.json", "index.html"]
    new = tmp_path / "new"
    assert sorted(p.name for p in new.iterdir()) == ["a.png", "b.json", "index.html"]
    assert stat.S_IMODE(new.stat().st_mode) == 0o755 and not list(tmp_path.glob(".x-*"))
    (new / "notes.txt").write_text("a user's file")
    with scratch_directory(tmp_path, prefix=".x-") as scratch:
        (scratch / "index.html").write_text("second")
        (scratch / "c.png").write_text("c")
        assert publish(scratch, new, last={"index.html"}) == ["c.png", "index.html"]  # the page last
    assert (new / "index.html").read_text() == "second" and (new / "a.png").read_text() == "a.png"
    assert (new / "notes.txt").read_text() == "a user's file"


def test_publish_refuses_in_one_line(tmp_path):
    with scratch_directory(tmp_path) as scratch:
        (scratch / "a.txt").write_text("a")
        (tmp_path / "target").mkdir()
        (tmp_path / "target" / "a.txt").mkdir()  # a directory where a file should go
        with pytest.raises(pt.OutputError, match="cannot move the new files") as caught:
            publish(scratch, tmp_path / "target")
    assert "\n" not in str(caught.value)

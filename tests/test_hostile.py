"""Hostile and huge input: bounded memory and time, nothing executed, nothing lost, one
line for every refusal. One test (or a few) per class of failure the fuzzing found."""

import json
import os
import subprocess
import sys

import numpy as np
import pytest

import pltheory as pt
from pltheory.cli import _one_line, main

HUGE = "9" * 5000  # more digits than Python converts to an int


def refused(capsys, argv, fragment=""):
    """The command exits 2 with one line on stderr containing ``fragment`` (argparse's
    usage errors exit through SystemExit)."""
    try:
        status = main(argv)
    except SystemExit as exc:
        status = exc.code
    assert status == 2, argv
    err = capsys.readouterr().err
    assert err.startswith("pltheory: error: ") and err.count("\n") == 1, err[:300]
    assert fragment in err, err[:300]
    return err


# ------------------------------------------------------------------ memory and time up front
@pytest.mark.parametrize("argv, fragment", [
    (["basis", "C30000", "--x", "regular"], "GB of memory"),
    (["basis", "C2^16", "--x", "regular", "--y", "regular"], "GB of memory"),
    pytest.param(["graph", "C8192"], "at most 2049", marks=pytest.mark.slow),
    (["graph", "C200000", "--set", "natural", "--method", "closed-form"], "at most 2049"),
    (["graph", "C200000"], "limit 100000 for listing"),
    (["graph", "C4096", "--method", "exact"], "closed form gives the same edges"),
    (["graph", "C4096", "--activation", "hardtanh"], "values"),
    (["graph", "C8", "--depth", "1000000"], "up to 16"),
    (["basis", "S5", "--x", "+".join(["natural"] * 1001)], "1000 parts"),
    (["irreps", "S12"], "n up to 10"),
])
def test_requests_beyond_the_limits_are_refused_up_front(capsys, argv, fragment):
    refused(capsys, argv, fragment)


def test_enumeration_is_sized_by_order_times_degree(capsys):
    G = pt.cyclic(20000)  # 20,000 elements is under the element limit, but each has 20,000 points
    with pytest.raises(pt.GroupTooLargeError, match="6.4 GB"):
        G.elements()
    info = json.loads(capsys.readouterr().out) if main(["group", "C20000", "--json"]) == 0 else None
    assert info["classes"] is None and "GB of memory" in info["classes_note"]


@pytest.mark.slow
def test_escape_hatches_work_where_they_are_advertised():
    X = pt.GSet.regular(pt.cyclic(4096))
    closed = pt.interaction_graph(X, "relu", method="closed_form", weights=False)
    assert closed.graph.number_of_nodes() == 2049
    # the closed form: k -> l iff ord(l) divides ord'(k), plus the self-loops
    orders = {k: 4096 // np.gcd(4096, k) for k in range(2049)}
    reduced = {k: o // 2 if o % 2 == 0 else o for k, o in orders.items()}
    assert all(reduced[int(k)] % orders[int(l)] == 0 or k == l for k, l in list(closed.edges())[::997])


def test_many_generators_and_giant_groups_are_fast():
    spec = "<" + ";".join(f"({2 * i} {2 * i + 1})" for i in range(2000)) + ">"
    G = pt.group(spec)  # 2000 commuting transpositions: a direct product, never Schreier-Sims
    assert G.order == 2**2000 and G.is_abelian()
    assert pt.group("C2^2000").is_abelian()
    n = 5000
    S = pt.from_generators([np.r_[1, 0, 2:n], np.roll(np.arange(n), -1)])  # S_5000 by Jordan's theorem
    assert S.order == __import__("math").factorial(n)
    A = pt.from_generators([np.r_[1, 2, 0, 3:n], np.r_[0, np.roll(np.arange(1, n), -1)]])  # (0 1 2), (1 ... n-1)
    assert A.order == S.order // 2 and A.contains(np.r_[2, 0, 1, 3:n]) and not A.contains(np.r_[1, 0, 2:n])


def test_wrong_orders_are_not_trusted():
    with pytest.raises(pt.InvalidPermutationError, match="order 6, not 5"):
        pt.FiniteGroup([[1, 2, 0], [1, 0, 2]], order=5)
    assert pt.FiniteGroup([[1, 2, 0], [1, 0, 2]], order=6).order == 6


def test_pl_activations_with_many_breakpoints_are_linear_time():
    n = 3000
    f = pt.activation("pl:" + ",".join(map(str, range(n))) + ";" + ",".join(str(i % 2) for i in range(n + 1)))
    x = np.linspace(-5, n + 5, 200_001)
    exact = np.array([float(f.value(__import__("fractions").Fraction(v).limit_denominator(10**6))) for v in x[::997]])
    assert np.allclose(f(x)[::997], exact, atol=1e-6)


def test_check_false_still_checks_bounds():
    G = pt.cyclic(4)
    for action in ([[0, 1, 2, 7]], [[0, 0, 1, 2]], [[-1, 0, 1, 2]], [[0.5, 1, 2, 3]]):
        with pytest.raises(pt.InvalidPermutationError):
            pt.GSet(G, action, check=False)  # the union-find over such a row crashed scipy


# ------------------------------------------------------------------ numbers
@pytest.mark.parametrize("argv", [
    ["group", f"C{HUGE}"], ["group", f"C4^{HUGE}"], ["basis", "C4", "--x", f"tuples:{HUGE}"],
    ["basis", "C4", "--x", f"subsets:{HUGE}"], ["group", f"<(0 {HUGE})>"], ["group", f"<[{HUGE},0]>"],
    ["basis", "C4", "--x", f"cosets:(0 {HUGE})"], ["graph", "C8", "--seed", HUGE],
])
def test_integers_of_thousands_of_digits(capsys, argv):
    err = refused(capsys, argv)
    assert len(err) < 400  # the message quotes the number, abbreviated


def test_huge_weights_give_valid_numbers(capsys, tmp_path):
    X = pt.GSet.natural(pt.cyclic(8))
    W = pt.equivariant_basis(X, X).expand(np.arange(8.0)) * 1e200
    np.save(tmp_path / "w.npy", W)
    assert main(["decompose-weight", str(tmp_path / "w.npy"), "--group", "C8", "--json"]) == 0
    info = json.loads(capsys.readouterr().out)  # json.loads refuses NaN only if asked; check by hand
    assert np.isfinite(np.array(info["energy"])).all() and np.isclose(info["equivariant_share"], 1.0)
    assert pt.equivariance_error(W, X, X) < 1e-12


@pytest.mark.parametrize("spec", ["leaky:1e308", "pl:0;1e300,1", "leaky:-1e-300"])
def test_extreme_slopes_are_decided_not_dropped(spec):
    X = pt.GSet.regular(pt.cyclic(8))
    assert pt.interaction_graph(X, spec).edges() == pt.interaction_graph(X, "relu").edges()


def test_nan_never_counts_as_a_decision():
    X = pt.GSet.regular(pt.cyclic(8))
    W = np.random.default_rng(0).normal(size=(8, 8))
    with pytest.raises(pt.ArgumentError):
        pt.assert_equivariant(W, X, X, tol=float("nan"))  # passed a non-equivariant W
    with pytest.raises(pt.ArgumentError):
        pt.interaction_graph(X, "relu", tol=float("nan"))  # returned 0 edges
    with pytest.raises(pt.NumericalError, match="overflowed"):
        pt.interaction_graph(X, lambda x: np.exp(1000 * x))


def test_untrusted_npy_files(capsys, tmp_path):
    import io  # noqa: PLC0415

    (tmp_path / "empty.npy").write_bytes(b"")
    header = io.BytesIO()
    np.lib.format.write_array_header_1_0(header, {"descr": "<f8", "fortran_order": False, "shape": (10**10,)})
    (tmp_path / "huge.npy").write_bytes(header.getvalue() + b"\0" * 64)  # a 10^10-element claim in ~200 bytes
    np.save(tmp_path / "dates.npy", np.array(["2020-01-01"], dtype="datetime64[D]"))
    np.save(tmp_path / "ok.npy", np.eye(8))
    (tmp_path / "cut.npy").write_bytes((tmp_path / "ok.npy").read_bytes()[:-10])
    for name, fragment in [("empty", "not a numpy"), ("huge", "limit"), ("dates", "datetime64"), ("cut", "truncated")]:
        refused(capsys, ["decompose-weight", str(tmp_path / f"{name}.npy"), "--group", "C8"], fragment)


# ------------------------------------------------------------------ files and outputs
def test_symlinks_at_output_paths(capsys, tmp_path):
    dangling = tmp_path / "b.npz"
    dangling.symlink_to(tmp_path / "nowhere.npz")
    refused(capsys, ["basis", "C4", "--save", str(dangling)], "--force")
    target = tmp_path / "keep.npz"
    target.write_bytes(b"user data")
    link = tmp_path / "link.npz"
    link.symlink_to(target)
    assert main(["basis", "C4", "--save", str(link), "--force"]) == 0
    assert target.read_bytes() == b"user data" and not link.is_symlink()  # replaced the link, not written through


def test_stale_scratch_directories_are_removed(tmp_path):
    from pltheory.outputs import scratch_directory  # noqa: PLC0415

    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    stale = tmp_path / f".report-{int(dead.stdout)}-abc"
    stale.mkdir()
    live = tmp_path / f".report-{os.getppid()}-xyz"  # a running process: left alone
    live.mkdir()
    with scratch_directory(tmp_path, prefix=".report-") as scratch:
        assert scratch.name.startswith(f".report-{os.getpid()}-")
    assert not stale.exists() and live.exists() and not scratch.exists()


def test_one_line_messages():
    assert _one_line("bad\nthing\tgoes \x1b[31mred\x1b[0m here\r\n") == "bad thing goes red here"


def test_training_devices(capsys, tmp_path):
    pytest.importorskip("torch")
    for device in ("mps", "meta", "xla", "cuda:x", "cpu\n"):
        refused(capsys, ["train", "--out", str(tmp_path / "r"), "--device", device], "device")


# ------------------------------------------------------------------ checkpoints
@pytest.fixture(scope="module")
def small_checkpoint(tmp_path_factory):
    pytest.importorskip("torch")
    run = tmp_path_factory.mktemp("ck") / "run"
    assert main(["train", "--task", "permutation", "--model", "equivariant", "--steps", "2", "--num-tasks", "40",
                 "--eval-tasks", "5", "--out", str(run), "--quiet"]) == 0
    return run


def edited(source, target, change):
    target.mkdir()
    record = json.loads((source / "model.json").read_text())
    change(record)
    (target / "model.json").write_text(json.dumps(record))
    (target / "model.pt").write_bytes((source / "model.pt").read_bytes())
    return target


@pytest.mark.parametrize("change, fragment", [
    (lambda r: r.pop("task"), "task: missing"),
    (lambda r: r["task"].update(group=5), "task: group: expected a string"),
    (lambda r: r["layers"][0].update({"in": 70.0}), "in: expected an integer"),
    (lambda r: r.update(inner_lr=10**400), "inner_lr: expected a finite number"),
    (lambda r: r.update(steps="<script>alert(1)</script>"), "steps: expected an integer"),
    (lambda r: r["task"].update(num_tasks=400000), "num_tasks: expected an integer from 2 to 200000"),
    (lambda r: r.update(model="keras"), "model: expected one of"),
])
def test_checkpoint_records_are_validated(capsys, tmp_path, small_checkpoint, change, fragment):
    bad = edited(small_checkpoint, tmp_path / "bad", change)
    refused(capsys, ["analyze", str(bad)], fragment)


def test_checkpoint_strings_are_escaped_in_the_report(capsys, tmp_path, small_checkpoint):
    bad = edited(small_checkpoint, tmp_path / "xss", lambda r: r["task"].update(name="<script>alert(1)</script>"))
    assert main(["analyze", str(bad), "-o", str(tmp_path / "out")]) == 0
    page = (tmp_path / "out" / "index.html").read_text()
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page


@pytest.mark.slow
def test_a_report_never_deletes_what_its_marker_lists_but_did_not_write(capsys, tmp_path, small_checkpoint):
    out = tmp_path / "out"
    assert main(["analyze", str(small_checkpoint), "-o", str(out)]) == 0
    (out / "notes.txt").write_text("mine")
    (out / ".pltheory-report").write_text("notes.txt\nindex.html\n")  # a marker that names a user's file
    assert main(["analyze", str(small_checkpoint), "-o", str(out)]) == 0
    assert (out / "notes.txt").read_text() == "mine" and (out / "index.html").is_file()


@pytest.mark.slow
def test_degenerate_checkpoints_take_fast_paths(capsys, tmp_path):
    torch = pytest.importorskip("torch")
    run = tmp_path / "fc"
    assert main(["train", "--model", "fc", "--steps", "2", "--num-tasks", "100", "--eval-tasks", "5",
                 "--out", str(run), "--quiet"]) == 0
    capsys.readouterr()
    assert main(["analyze", str(run), "--json"]) == 0  # orthonormalised a 4760 x 4760 identity for > 10 minutes
    info = json.loads(capsys.readouterr().out)
    assert info["learned_sharing"]["best"] == "free (no sharing)"
    zero = tmp_path / "zero"
    run = tmp_path / "msr"
    assert main(["train", "--model", "msr-fc", "--steps", "2", "--num-tasks", "100", "--eval-tasks", "5",
                 "--out", str(run), "--quiet"]) == 0
    zero.mkdir()
    (zero / "model.json").write_text((run / "model.json").read_text())
    state = torch.load(run / "model.pt", weights_only=True)
    state["layers.0.sharing"].zero_()  # U = 0: every weight 0, the "all equal" pattern
    torch.save(state, zero / "model.pt")
    capsys.readouterr()
    assert main(["analyze", str(zero), "--json"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert info["pattern_group"]["complete"] and info["pattern_group"]["name"].startswith("S68 x S70")
    assert info["pattern_group"]["order"] == pt.groups.format_order(__import__("math").factorial(68)
                                                                     * __import__("math").factorial(70))


def test_multiplicities_of_a_set_too_large_for_a_basis(capsys):
    """S3 on the regular set plus the 3^11 tuples (177,153 points; a case the slow grammar
    test drew, which once took minutes and 6 GB building every adapted basis): the
    multiplicities come from the characters at once, and a basis is refused before any
    allocation. Independent checks: the trivial irreducible's multiplicity is the number
    of orbits of the action, and Burnside's count of them: on the tuples the identity fixes
    3^11, a transposition the one tuple of its fixed value, a 3-cycle none, so (3^11 + 3) / 6
    orbits; the regular set adds 1."""
    X = pt.GSet.from_spec(pt.group("S3"), "cosets:+tuples:11")
    D = pt.decompose(X)
    counts = {c.irrep.key: c.multiplicity for c in D.components}
    assert sum(c.multiplicity * c.irrep.dim for c in D.components) == X.size == 177_153
    assert counts["(3)"] == len(X.orbits()) == 1 + (3**11 + 3) // 6 == 29_526
    with pytest.raises(pt.TooLargeError, match="adapted basis of .* in a Fun\\(X\\) of 177153 points"):
        _ = D.components[0].basis
    assert main(["decompose", "S3", "--set", "cosets:+tuples:11", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["components"][0]["multiplicity"] == counts["(3)"]

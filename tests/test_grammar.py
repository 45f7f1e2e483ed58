"""The command-line grammar under property-based fuzzing (hypothesis): group specifications,
G-set specifications, activations and numeric options, valid and hostile. Every command
line either exits 0 with a valid answer (JSON that parses, without NaN) or exits 2 with
one line; never a traceback, never another status."""

import contextlib
import io
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pltheory.cli import main

HUGE_NUMBERS = st.sampled_from(["0", "1", "99999999999", "9" * 30, "9" * 5000, "-1", "+3", "1e3", "٣", "0x10", ""])
SMALL = st.integers(0, 12).map(str)
NUMBER = st.one_of(SMALL, HUGE_NUMBERS)
JUNK = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=12)

FAMILY = st.builds(lambda f, n, p: f"{f}{n}{p}", st.sampled_from("CDSAQ"), NUMBER,
                   st.one_of(st.just(""), st.builds(lambda k: f"^{k}", NUMBER)))
PRODUCT = st.lists(FAMILY, min_size=1, max_size=3).map("x".join)
POINT = st.one_of(st.integers(0, 9).map(str), HUGE_NUMBERS)
CYCLE = st.lists(POINT, min_size=0, max_size=4).map(lambda ps: "(" + " ".join(ps) + ")")
IMAGES = st.lists(POINT, min_size=1, max_size=5).map(lambda ps: "[" + ",".join(ps) + "]")
GENERATORS = st.lists(st.one_of(st.lists(CYCLE, min_size=1, max_size=2).map("".join), IMAGES),
                      min_size=0, max_size=3).map(lambda gs: "<" + ";".join(gs) + ">")
VALID_FAMILY = st.one_of(st.builds(lambda f, n: f"{f}{n}", st.sampled_from("CD"), st.integers(3, 12)),
                         st.builds(lambda f, n: f"{f}{n}", st.sampled_from("SA"), st.integers(1, 6)),
                         st.builds(lambda n, p: f"C{n}^{p}", st.integers(1, 4), st.integers(1, 3)))
VALID_CYCLE = st.lists(st.integers(0, 5), min_size=2, max_size=4, unique=True).map(
    lambda ps: "(" + " ".join(map(str, ps)) + ")")
VALID_GENERATORS = st.lists(VALID_CYCLE, min_size=1, max_size=3).map(lambda gs: "<" + ";".join(gs) + ">")
VALID_GROUP = st.one_of(VALID_FAMILY, st.lists(VALID_FAMILY, min_size=2, max_size=2).map("x".join), VALID_GENERATORS)
GROUP = st.one_of(VALID_GROUP, VALID_GROUP, VALID_GROUP, PRODUCT, GENERATORS, JUNK)

SINGLE_SET = st.one_of(
    st.sampled_from(["natural", "regular", "trivial", "grid", "pairs", "conjugation", "natural:", "regular:2"]),
    st.builds(lambda kind, k: f"{kind}:{k}", st.sampled_from(["tuples", "subsets"]), NUMBER),
    st.builds(lambda c: f"cosets:{c}", st.lists(CYCLE, max_size=2).map(";".join)),
    JUNK)
VALID_SET = st.sampled_from(["natural", "pairs", "trivial", "regular", "subsets:2", "tuples:2", "natural+trivial",
                             "grid", "conjugation", "cosets:(0 1)"])
GSET = st.one_of(VALID_SET, VALID_SET, st.lists(SINGLE_SET, min_size=1, max_size=3).map("+".join))

REAL = st.one_of(st.sampled_from(["0.1", "-2", "1e308", "1e-300", "nan", "inf", "1/3", "", "x", "9" * 5000]),
                 st.floats(-100, 100, allow_nan=False).map(repr))
ACTIVATION = st.one_of(
    st.sampled_from(["relu", "abs", "min", "linear", "hardtanh", "tanh", "swish", "leaky:", "pl:"]),
    st.sampled_from(["relu", "abs", "leaky:0.1", "pl:1;0,1", "pl:-1,1;1,0,1", "hardtanh"]),
    st.builds(lambda p: f"leaky:{p}", REAL),
    st.builds(lambda bs, ss: "pl:" + ",".join(bs) + ";" + ",".join(ss), st.lists(REAL, max_size=3),
              st.lists(REAL, max_size=4)),
    JUNK)

COMMAND = st.one_of(
    st.builds(lambda g, m: ["group", g, "--max-elements", m], GROUP, st.one_of(st.just("100000"), NUMBER)),
    st.builds(lambda g, x, y: ["basis", g, "--x", x, "--y", y], GROUP, GSET, GSET),
    st.builds(lambda g, x: ["decompose", g, "--set", x], GROUP, GSET),
    st.builds(lambda g: ["irreps", g], GROUP),
    st.builds(lambda g, x, f, d, s, m: ["graph", g, "--set", x, "--activation", f, "--depth", d, "--seed", s,
                                        "--method", m],
              GROUP, GSET, ACTIVATION, st.one_of(st.just("1"), st.just("2"), NUMBER), st.one_of(SMALL, NUMBER),
              st.sampled_from(["probe", "exact", "closed-form", "bogus"])),
)


def run(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            status = main(argv)
        except SystemExit as exc:  # argparse's usage errors
            status = exc.code
    return status, out.getvalue(), err.getvalue()


def reject_nan(text: str) -> float:
    raise AssertionError(f"JSON holds {text}")


def answers_or_refuses_in_one_line(argv: list[str]) -> None:
    status, out, err = run([*argv, "--json"])
    if status == 0:
        answer = json.loads(out, parse_constant=reject_nan)  # valid JSON, no NaN or infinities
        assert isinstance(answer, dict) and answer, argv
    else:
        assert status == 2, (argv, status, err[-500:])
        assert err.startswith("pltheory: error: ") and err.count("\n") == 1, (argv, err[-500:])
        assert "Traceback" not in err


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(COMMAND)
def test_every_command_line_answers_or_refuses_in_one_line(argv):
    answers_or_refuses_in_one_line(argv)


@pytest.mark.slow
@settings(max_examples=3000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(COMMAND)
def test_every_command_line_answers_or_refuses_in_one_line_at_length(argv):
    answers_or_refuses_in_one_line(argv)

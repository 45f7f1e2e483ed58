"""Start-up: ``import pltheory`` is lazy and ``pltheory --help`` needs no heavy library.

The command line's parser is built from light modules only; numpy, sympy, scipy, networkx,
matplotlib, torch and jinja2 are imported when a command runs. These tests check which
modules get imported, never how long it takes (benchmarks/bench_startup.py times it).
"""

import ast
import importlib
import json
import subprocess
import sys
from pathlib import Path

import pytest

import pltheory as pt
from pltheory.cli import _COMMANDS

#: Libraries that building the parser must not import (numpy alone doubles the start-up time).
HEAVY = ("numpy", "sympy", "scipy", "networkx", "matplotlib", "torch", "jinja2")

#: Python printing the heavy libraries loaded (top-level names), and then which pltheory
#: modules were loaded with them, to tell who imported them.
HEAVY_LOADED = (f"sorted({{m.split('.')[0] for m in sys.modules}} & {set(HEAVY)!r}), "
                "sorted(m for m in sys.modules if m.startswith('pltheory.'))")


def loaded_after(code: str) -> list[list[str]]:
    """The heavy libraries, and the pltheory modules, that a fresh Python has imported after ``code``."""
    result = subprocess.run([sys.executable, "-c", f"import json, sys\n{code}\nprint(json.dumps([{HEAVY_LOADED}]))"],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.splitlines()[-1])


def test_importing_the_command_line_loads_no_heavy_library():
    heavy, loaded = loaded_after("import pltheory.cli")
    assert heavy == [], f"import pltheory.cli imports {heavy}, with {loaded}"


def test_help_exits_0_and_lists_every_command():
    result = subprocess.run([sys.executable, "-m", "pltheory.cli", "--help"], capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    listed = {line.split()[0] for line in result.stdout.splitlines() if line.startswith("    ") and line.strip()}
    assert set(_COMMANDS) <= listed, result.stdout


def test_every_command_help_loads_no_heavy_library():
    """``pltheory COMMAND --help`` too: every subparser's defaults and help texts are light."""
    code = ("import contextlib, io\n"
            "from pltheory.cli import _COMMANDS, main\n"
            "for argv in [['--help'], *([command, '--help'] for command in _COMMANDS)]:\n"
            "    with contextlib.redirect_stdout(io.StringIO()):\n"
            "        try:\n"
            "            main(argv)\n"
            "        except SystemExit as exc:\n"
            "            assert exc.code == 0, (argv, exc.code)\n"
            "        else:\n"
            "            raise AssertionError(argv)")
    heavy, loaded = loaded_after(code)
    assert heavy == [], f"pltheory COMMAND --help imports {heavy}, with {loaded}"


def test_import_pltheory_alone_is_light():
    assert loaded_after("import pltheory") == [[], ["pltheory._version"]]


def test_every_public_name_resolves_and_is_listed():
    assert len(pt.__all__) == len(set(pt.__all__))
    listed = dir(pt)
    for name in pt.__all__:
        assert getattr(pt, name) is not None, name
        assert name in listed, name
    assert pt.__all__[0] == "__version__" and isinstance(pt.__version__, str)


def test_the_static_imports_name_the_same_objects():
    """The block under TYPE_CHECKING (what type checkers and IDEs see) imports exactly the
    public names, each from the submodule whose object ``pltheory.NAME`` is at run time."""
    tree = ast.parse(Path(pt.__file__).read_text(encoding="utf-8"))
    block = next(node for node in tree.body if isinstance(node, ast.If) and ast.unparse(node.test) == "TYPE_CHECKING")
    static = {alias.name: node.module for node in block.body if isinstance(node, ast.ImportFrom)
              for alias in node.names}
    assert sorted(static) == sorted(set(pt.__all__) - {"__version__"})
    for name, module in static.items():
        assert getattr(pt, name) is getattr(importlib.import_module(f"pltheory.{module}"), name), name


def test_submodules_are_attributes_and_unknown_names_are_not():
    assert pt.groups is importlib.import_module("pltheory.groups")
    assert pt.interaction.WEIGHT_PROBE_POINTS == 2048
    assert pt.limits.MAX_ELEMENTS is pt.groups.MAX_ELEMENTS and pt.limits.MAX_DEPTH is pt.interaction.MAX_DEPTH
    assert pt.errors.SPEC_FORMS is pt.gsets.SPEC_FORMS
    for name in ("no_such_name", "__wrapped__", "a.b"):
        assert not hasattr(pt, name)
    with pytest.raises(AttributeError, match="has no attribute 'no_such_name'"):
        pt.no_such_name  # noqa: B018


def test_a_group_built_without_the_package_finds_its_family():
    """The families register when `pltheory.families` is imported, which ``import pltheory``
    no longer does: the first structure lookup imports it."""
    code = ("from pltheory.groups import FiniteGroup\n"
            "print(FiniteGroup([[1, 2, 3, 0]]).structure.kind, FiniteGroup([[1, 0, 2], [0, 2, 1]]).structure.kind)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["cyclic", "symmetric"]

"""Every shell example in README.md and docs/*.md runs as written.

Each ```bash block runs as one script (``set -e``) in a fresh temporary directory that
holds links to the repository's folders, so relative paths such as
``analysis/msr_synthetic.py`` work and outputs (report/, runs/, results/) land in the
temporary directory. Two things differ from a user's terminal, on purpose:

* the set-up commands (``pip install ...`` at the start of a line or of an ``&&`` chain)
  are not run: the environment running the tests was made by exactly those commands
  (``.ci/run``), which :func:`test_set_up_commands_are_what_ci_runs` checks;
* training commands (``pltheory train``, ``analysis/msr_synthetic.py``, ``msr_rotation.py``) run
  ``--steps 3``: they prove that the command works, not how well a model trains
  (docs/msr.md has those numbers).

The test command itself (``python -m pytest``) is not run again inside the tests, and a
script that appears in several documents runs once. Lines that are a plain ``pltheory``
command (no pipes, redirections or variables) run in this process through
``pltheory.cli.main`` with the same arguments, which spares a Python start-up per line;
every other line runs in bash, and the installed ``pltheory`` console script is run once
(:func:`test_the_console_script_runs`).
"""

import importlib.util
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from pltheory.cli import main

ROOT = Path(__file__).resolve().parent.parent
DOCUMENTS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
SET_UP = re.compile(r"^pip install ")
TEST_COMMAND = "python -m pytest"
STEPS = 3
TRAINING = ("pltheory train", "msr_synthetic.py", "msr_rotation.py")


def shell_blocks() -> list[tuple[str, int, str]]:
    """(document, block number, text) of every ```bash block."""
    found = []
    for doc in DOCUMENTS:
        for i, text in enumerate(re.findall(r"```bash\n(.*?)```", doc.read_text(), flags=re.S)):
            found.append((str(doc.relative_to(ROOT)), i, text))
    return found


def runnable(block: str) -> str:
    """The block without its set-up segments and the test command, training shortened."""
    lines = []
    for line in block.splitlines():
        code, hash_, comment = line.partition(" #")
        parts = [p.strip() for p in code.split("&&")]
        while parts and SET_UP.match(parts[0]):
            parts.pop(0)
        if not parts or parts == [TEST_COMMAND]:
            continue
        code = " && ".join(parts)
        if any(name in code for name in TRAINING):
            code = re.sub(r" --steps [0-9]+", "", code) + f" --steps {STEPS}"
        lines.append(code + hash_ + comment)
    return "\n".join(lines)


BLOCKS = shell_blocks()
SCRIPTS: dict[str, list[str]] = {}  # each distinct script, with the places it appears
for _doc, _index, _text in BLOCKS:
    if runnable(_text):
        SCRIPTS.setdefault(runnable(_text), []).append(f"{_doc}#{_index}")


def test_there_are_examples_to_run():
    assert len(BLOCKS) >= 4 and len(SCRIPTS) >= 3
    assert all(runnable(text) or TEST_COMMAND in text for _, _, text in BLOCKS)
    assert runnable("pip install x && pltheory train --steps 8000 --out r  # note") == \
        f"pltheory train --out r --steps {STEPS} # note"


def test_set_up_commands_are_what_ci_runs():
    """README opens with the two set-up commands; the second is exactly .ci/run's."""
    readme = BLOCKS[0][2].strip(), BLOCKS[1][2].strip()
    assert readme[0] == 'pip install torch==2.13.0 && pip install -e ".[torch]" && pltheory report'
    assert readme[1] == f'pip install torch==2.13.0 && pip install -e ".[dev,torch]" && {TEST_COMMAND}'
    assert readme[1] in (ROOT / ".ci" / "run").read_text()


#: Scripts that build whole task families even for 3 steps (10,000 translation tasks per
#: rank and seed, lifting families of images) or time several methods side by side (the
#: benchmarks, 7 s even with --quick): run by the slow suite.
HEAVY = ("msr_synthetic.py", "msr_rotation.py", "benchmarks/")


@pytest.mark.parametrize("script", [pytest.param(s, marks=pytest.mark.slow) if any(h in s for h in HEAVY) else s
                                    for s in SCRIPTS], ids=[" ".join(places) for places in SCRIPTS.values()])
def test_shell_example_runs(script, tmp_path, monkeypatch, capsys):
    needs_torch = re.search(r"pltheory (train|analyze|report)|msr_synthetic|msr_rotation", script)
    if needs_torch and importlib.util.find_spec("torch") is None:
        pytest.skip("needs torch (the torch extra)")
    for entry in ROOT.iterdir():
        if entry.name not in (".git",) and not entry.name.startswith("."):
            (tmp_path / entry.name).symlink_to(entry)
    monkeypatch.chdir(tmp_path)
    for line in script.splitlines():
        command = line.partition(" #")[0].strip()
        if not command:
            continue
        if command.startswith("pltheory ") and not re.search(r"[|<>;&$`*?]", command):
            status = main(shlex.split(command)[1:])
            assert status == 0, f"{SCRIPTS[script]}: {command} exited {status}: {capsys.readouterr().err[-2000:]}"
            continue
        result = subprocess.run(["bash", "-e", "-o", "pipefail", "-c", line], cwd=tmp_path, env=ENV,
                                capture_output=True, text=True, timeout=600)
        assert result.returncode == 0, f"{SCRIPTS[script]} failed at:\n{line}\n{result.stderr[-3000:]}"


ENV = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
       "MPLBACKEND": "Agg"}


def test_the_console_script_runs(tmp_path):
    assert shutil.which("pltheory", path=ENV["PATH"]) is not None
    result = subprocess.run(["pltheory", "group", "S4", "--json"], cwd=tmp_path, env=ENV, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0 and '"order": 24' in result.stdout

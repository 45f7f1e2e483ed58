"""The documentation site builds in strict mode (broken links, bad docstrings fail)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("mkdocs")
pytest.importorskip("mkdocstrings")

ROOT = Path(__file__).resolve().parent.parent


def test_docs_build_strict(tmp_path):
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(ROOT / "mkdocs.yml"),
                             "-d", str(tmp_path / "site")], cwd=ROOT, env=env, capture_output=True, text=True,
                            timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    for page in ("index.html", "theory/index.html", "msr/index.html", "cli/index.html", "api/index.html"):
        assert (tmp_path / "site" / page).is_file()
    assert (tmp_path / "site" / "gallery" / "cyclic_relu.png").is_file()

"""The documentation site builds in strict mode (broken links, bad docstrings fail), and
what it shows is what was meant: no Sphinx role printed as text, no cross-reference left
unresolved, no formula eaten as an HTML tag."""

import os
import re
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

    for html in (tmp_path / "site").rglob("*.html"):
        shown_problems(html.read_text(encoding="utf-8"), html.name)


#: What the strict build lets through but a reader would see broken.
PROBLEMS = {
    "a Sphinx role printed as text (write [`name`][pltheory.module.name])": re.compile(
        r":(func|meth|class|mod|data|attr|exc|obj):`"),
    "an unresolved cross-reference": re.compile(r"\[<code>[^<]*</code>\]\[[^\]]*\]"),
}

#: The elements the theme and mkdocstrings write (with SVG's path and g); any other
#: "<name" is text that Markdown passed through as a tag, such as <chi_X, chi_V>.
ELEMENTS = set("a abbr article aside blockquote body br button code dd details div dl dt em figcaption figure footer "
               "form g h1 h2 h3 h4 h5 h6 head header hr html i img input kbd label li link main meta nav ol option "
               "p path pre script section select small span strong style sub summary sup svg table tbody td th "
               "thead title tr ul".split())
TAG = re.compile(r"<([a-zA-Z][\w-]*)")


def shown_problems(text: str, where: str) -> None:
    """Raise AssertionError naming the first problem of PROBLEMS in a built page, or the
    first tag that is not an HTML element (angle brackets of a formula read as a tag)."""
    for what, pattern in PROBLEMS.items():
        found = pattern.search(text)
        assert found is None, f"{where}: {what}: {text[max(0, found.start() - 80):found.end() + 80]!r}"
    for found in TAG.finditer(text):
        assert found.group(1).lower() in ELEMENTS, (
            f"{where}: angle brackets read as an HTML tag (put the formula in backticks): "
            f"{text[max(0, found.start() - 80):found.end() + 80]!r}")


@pytest.mark.parametrize("html, problem", [
    ("<p>see :func:`make_model`</p>", "Sphinx role"),
    ("<p>see [<code>train</code>][pltheory.msr.train.train]</p>", "unresolved"),
    ("<p>m_V = <chi_x, chi_v> / dim</p>", "HTML tag"),
    ("<p>the rotations <r> of D_n</p>", "HTML tag"),
])
def test_the_page_check_finds_each_problem(html, problem):
    """The check above can fail: each problem, planted in a page, is named."""
    with pytest.raises(AssertionError, match=problem):
        shown_problems(html, "page.html")

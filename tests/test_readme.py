"""The READMEs are tested: every command in a shell block of README.md and README.zh-CN.md runs
after a non-editable install of the project, and the stored-query tables are the catalogue's.

The wheel is built once per session (`pip wheel --no-deps`) and installed, without its
dependencies, into a fresh virtual environment that sees this interpreter's packages through a
`.pth` line, so the install takes about a second and the code that runs is the wheel's (checked).
Each README's blocks then run in order, as a user would type them, as bash scripts (`set -e`:
a failing command fails the test) in a folder of their own that starts empty; a block that starts
with `# in a clone of this repository` runs in a copy of the repository instead. What the test
cannot do itself is done by shell functions, each a visible exception: `pip install` of this
project is what the fixture did, `python -m pytest` is this suite, the benchmarks only have to
exist, and `jupyter execute` is the console script the notebooks extra installs.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import sysconfig
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import GENRE, ROOT

READMES = ("README.md", "README.zh-CN.md")
CLONE = "# in a clone of this repository"
FENCE = re.compile(r"^```(\w*)\n(.*?)^```", re.MULTILINE | re.DOTALL)
SHELL = {"sh", "bash", "shell", "console"}
BUDGET = 240.0  # seconds for all blocks of both READMEs; a block that hangs fails the test

PREAMBLE = r"""
set -euo pipefail
pip() {
  if [ "${1:-}" = install ]; then
    shift
    if [ "${1:-}" = -e ]; then shift; fi
    case "${1:-}" in
      .|".["*) echo "(pip install ${1}: the test installed this project's wheel)"; return 0 ;;
    esac
  fi
  echo "pip $*: a command this test does not know how to run" >&2
  return 97
}
python() {
  if [ "${1:-} ${2:-}" = "-m pytest" ]; then
    echo "(python -m pytest: the test suite itself, not run again)"
    return 0
  fi
  case "${1:-}" in
    bench/*.py) test -f "$1"; echo "(python $1: a benchmark, which exists; not run)"; return 0 ;;
  esac
  command python "$@"
}
jupyter() {
  if [ "${1:-}" != execute ]; then echo "jupyter $*: not known to this test" >&2; return 97; fi
  shift
  command python -c 'import sys; from nbclient.cli import main; sys.exit(main())' "$@"
}
"""


@dataclass(frozen=True)
class Block:
    """One shell block of a README."""

    readme: str
    line: int
    text: str

    @property
    def in_clone(self) -> bool:
        return self.text.lstrip().startswith(CLONE)

    def __str__(self) -> str:
        return f"{self.readme}:{self.line}"


def shell_blocks(readme: str) -> list[Block]:
    text = (ROOT / readme).read_text(encoding="utf-8")
    return [
        Block(readme, text.count("\n", 0, m.start()) + 1, m.group(2))
        for m in FENCE.finditer(text)
        if m.group(1) in SHELL
    ]


def commands(block: Block) -> list[str]:
    """The commands of a block, one per line (continuations joined), comments dropped."""
    joined = re.sub(r"\\\n\s*", " ", block.text)
    lines = [line for line in joined.splitlines() if line.strip()]
    out: list[str] = []
    for line in lines:
        if out and out[-1].count("'") % 2:  # inside a quoted argument that spans lines
            out[-1] += "\n" + line
        elif not line.lstrip().startswith("#"):
            out.append(line)
    return out


@dataclass(frozen=True)
class Installed:
    """A virtual environment with the project's wheel installed, and what it cost."""

    venv: Path
    seconds: float

    def env(self, home: Path) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "COLUMNS")}
        env.update(
            PATH=f"{self.venv / 'bin'}{os.pathsep}{env.get('PATH', '')}",
            VIRTUAL_ENV=str(self.venv),
            FAZHI_CACHE_DIR=str(home / "cache"),
            MPLCONFIGDIR=str(home / "mpl"),
        )
        return env

    def run(
        self, script: str, cwd: Path, home: Path, timeout: float
    ) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["bash", "-c", PREAMBLE + script],
            cwd=cwd,
            env=self.env(home),
            capture_output=True,
            text=True,
            timeout=max(timeout, 1),
            check=False,
        )


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Installed:
    started = time.monotonic()
    base = tmp_path_factory.mktemp("readme")
    wheels = base / "wheels"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(wheels), str(ROOT)],
        check=True,
        capture_output=True,
    )
    [wheel] = wheels.glob("fazhi_kg-*.whl")
    venv = base / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    purelib = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(python),
            "install",
            "--no-deps",
            "--no-index",
            "-q",
            str(wheel),
        ],
        check=True,
        capture_output=True,
    )
    # then this interpreter's packages (the dependencies), after the venv's own (the wheel); not
    # before the install, where pip would take a fazhi-kg installed here for the wheel's
    Path(purelib, "zz-dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    return Installed(venv, time.monotonic() - started)


def test_the_installed_code_is_the_wheels(installed: Installed, tmp_path: Path) -> None:
    out = installed.run(
        "python -c 'import fazhi_kg; print(fazhi_kg.__file__)'; command -v fazhi",
        tmp_path,
        tmp_path,
        60,
    )
    module, script = out.stdout.split()
    assert Path(module).is_relative_to(installed.venv) and not Path(module).is_relative_to(ROOT)
    assert Path(script) == installed.venv / "bin" / "fazhi"
    assert installed.seconds < 120, (
        f"building and installing the wheel took {installed.seconds:.0f} s"
    )


def test_the_quick_start_is_two_commands_at_the_top() -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    quick = text[
        text.index("## Quick start") : text.index("\n## ", text.index("## Quick start") + 5)
    ]
    blocks = [b for b in shell_blocks("README.md") if b.text in quick]
    assert [commands(b) for b in blocks] == [
        ["pip install . && fazhi build --out graph && fazhi validate graph/*.ttl"],
        ["pip install '.[test]' && python -m pytest"],
    ]
    assert text.index("## Quick start") < text.index("## What it does")


def test_every_shell_command_of_the_readmes_runs(installed: Installed, tmp_path: Path) -> None:
    """README.md's blocks, which are README.zh-CN.md's too (`test_the_readmes_have_the_same_commands`)."""
    blocks = shell_blocks("README.md")
    assert len(blocks) >= 6 and all(commands(b) for b in blocks)
    empty = tmp_path / "empty"
    empty.mkdir()
    clone = tmp_path / "clone"
    _copy_repository(clone)
    deadline = time.monotonic() + BUDGET
    for block in blocks:
        where = clone if block.in_clone else empty
        started = time.monotonic()
        result = installed.run(block.text, where, tmp_path, deadline - time.monotonic())
        print(f"{block}: {time.monotonic() - started:.1f} s")
        assert result.returncode == 0, f"{block}: exit {result.returncode}\n{result.stderr[-3000:]}"
        assert "Traceback" not in result.stderr, f"{block}\n{result.stderr[-3000:]}"
    # what the blocks made, from the empty folder: a graph, its exports, its pictures
    assert (empty / "graph" / "sichuan-bazhong-bazhou-2023.ttl").is_file()
    for name in ("fazhi.trig", "fazhi.graphml", "explorer.html", "fazhi.rdf", "rates.rq"):
        assert (empty / name).stat().st_size > 0, name
    assert len(list((empty / "figures").glob("*.png"))) >= 5


def _copy_repository(target: Path) -> None:
    """The repository's files as a clone has them (tracked and new, not ignored)."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout.decode("utf-8")
    for name in filter(None, listed.split("\0")):
        source = ROOT / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)


def test_a_report_of_ones_own_answers_from_an_empty_folder(
    installed: Installed, tmp_path: Path
) -> None:
    """Build a report in an empty folder: query, export, viz and the explorer answer about it,
    and say so on stderr."""
    shutil.copy(GENRE / "town-2023.txt", tmp_path / "mine.txt")
    script = (
        "fazhi build mine.txt --out graph\n"
        "fazhi query completeness --format csv > answer.csv\n"
        "fazhi export --format ttl --out mine.ttl\n"
        "fazhi export --format html --out explorer.html\n"
        "fazhi viz --out figures\n"
    )
    result = installed.run(script, tmp_path, tmp_path, 120)
    assert result.returncode == 0, result.stderr
    [graph] = (tmp_path / "graph").glob("*.ttl")
    rid = graph.stem
    assert rid != "sichuan-bazhong-bazhou-2023"
    said = [line for line in result.stderr.splitlines() if line.startswith("Read ")]
    assert said and all(line.startswith("Read the 1 graph file in ./graph;") for line in said)
    answer = (tmp_path / "answer.csv").read_text(encoding="utf-8").splitlines()
    assert answer[1:] and all(line.startswith(f"{rid},") for line in answer[1:])
    exported = (tmp_path / "mine.ttl").read_text(encoding="utf-8")
    assert f"id/{rid}" in exported and "sichuan-bazhong-bazhou" not in exported
    page = (tmp_path / "explorer.html").read_text(encoding="utf-8")
    assert rid in page and "sichuan-bazhong-bazhou" not in page
    assert len(list((tmp_path / "figures").glob("*.png"))) >= 5


@pytest.mark.parametrize(("readme", "lang"), [("README.md", "en"), ("README.zh-CN.md", "zh")])
def test_the_stored_query_table_is_the_catalogues(readme: str, lang: str) -> None:
    from conftest import run_fazhi

    text = (ROOT / readme).read_text(encoding="utf-8")
    begin = f"<!-- begin: fazhi queries --format md --lang {lang} -->\n"
    written = text[text.index(begin) + len(begin) : text.index("<!-- end: fazhi queries -->")]
    listed = run_fazhi("queries", "--format", "md", "--lang", lang).stdout.decode("utf-8")
    assert written == listed, f"run python scripts/readme_queries.py to update {readme}"
    names = {p.stem for p in (ROOT / "queries").glob("*.rq")}
    assert set(re.findall(r"^\| `([\w-]+)` \|", written, re.MULTILINE)) == names


def test_the_readmes_have_the_same_commands() -> None:
    """The Chinese twin stays in step: the same commands, block by block (comments aside)."""

    def bare(readme: str) -> list[list[str]]:
        return [[re.sub(r"\s+#.*$", "", c) for c in commands(b)] for b in shell_blocks(readme)]

    assert bare("README.md") == bare("README.zh-CN.md")

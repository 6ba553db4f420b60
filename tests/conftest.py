"""Shared test fixtures: paths of the repository's data and a CLI runner."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
REPORTS = ROOT / "reports"
GOLD = ROOT / "tests" / "gold"
GENRE = ROOT / "tests" / "data" / "genre"
EMBEDDED = REPORTS / "bazhou-2023.txt"


def gold_cases() -> list[tuple[Path, Path]]:
    """(report, gold) pairs: the embedded report and every genre report with a gold file."""
    pairs = [(EMBEDDED, GOLD / "bazhou-2023.json")]
    for report in sorted(GENRE.glob("*.*")):
        gold = GOLD / f"{report.stem}.json"
        if report.suffix in (".txt", ".html") and gold.exists():
            pairs.append((report, gold))
    return pairs


def shared_real() -> Path | None:
    """The real development set, ../shared/eval/real beside this checkout (or beside a folder
    above it): public report openings with gold annotations, kept outside the repository."""
    for folder in ROOT.parents:
        real = folder / "shared" / "eval" / "real"
        if (real / "gold").is_dir() and (real / "texts").is_dir():
            return real
    return None


def run_fazhi(
    *args: str,
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
    input: bytes | None = None,
    timeout: float = 120,
) -> subprocess.CompletedProcess[bytes]:
    """Run the installed `fazhi` command in a fresh process."""
    full_env = {**os.environ, **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "fazhi_kg", *args],
        cwd=cwd,
        env=full_env,
        capture_output=True,
        input=input,
        timeout=timeout,
        check=False,
    )


@pytest.fixture
def fazhi():
    return run_fazhi


def answer_rows(answer) -> list[tuple[str | None, ...]]:
    """An answer's rows as N-Triples strings, None for unbound: rows to compare."""
    return [tuple(None if t is None else str(t) for t in row) for row in answer.rows]


def copy_reports(paths, folder: Path) -> None:
    """Copy the report texts and pages among `paths` into `folder` (made if missing)."""
    folder.mkdir(exist_ok=True)
    for path in paths:
        if path.suffix in (".txt", ".html"):
            shutil.copy(path, folder / path.name)

"""`fazhi stats`: the number of facts of every family per report, and their sums."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from click.testing import CliRunner

from fazhi_kg.cli import cli
from fazhi_kg.corpus.build import build_report
from fazhi_kg.facts import Facts

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests" / "data" / "corpus"
FAMILIES = (
    "sections indicators institutions awards cases mechanisms documents duties problems plans"
    " persons"
).split()


def _expected(facts: Facts) -> dict[str, int]:
    counts = {f: len(getattr(facts, f)) for f in FAMILIES}
    # one node per name: institutions, mechanisms and persons named twice are one entity
    for family in ("institutions", "mechanisms", "persons"):
        counts[family] = len({x.name for x in getattr(facts, family)})
    counts["sections"] = len({s.path for s in facts.sections})
    return counts


def _rows(args: list[str]) -> list[dict[str, str]]:
    result = CliRunner().invoke(cli, ["stats", *args, "--format", "csv"])
    assert result.exit_code == 0, result.output
    assert result.stderr == ""  # graphs the user chose need no note
    return list(csv.DictReader(io.StringIO(result.stdout)))


@pytest.fixture(scope="module")
def corpus_graphs(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[Path], list[Facts]]:
    out = tmp_path_factory.mktemp("graphs")
    files, facts = [], []
    for text in sorted(CORPUS.glob("*.txt")):
        built = build_report(text)
        path = out / f"{built.rid}.ttl"
        path.write_bytes(built.turtle)
        files.append(path)
        facts.append(built.facts)
    return files, facts


def test_counts_per_report_and_in_all(corpus_graphs: tuple[list[Path], list[Facts]]) -> None:
    files, facts = corpus_graphs
    rows = _rows([a for f in files for a in ("--graph", str(f))])
    assert [r["report"] for r in rows] == [*sorted(f.stem for f in files), "all"]
    by_report = {r["report"]: r for r in rows}
    for path, f in zip(files, facts, strict=True):
        assert {k: int(by_report[path.stem][k]) for k in FAMILIES} == _expected(f)
    for family in FAMILIES:
        assert int(by_report["all"][family]) == sum(int(r[family]) for r in rows[:-1])
    assert int(by_report["all"]["indicators"]) > 0


def test_the_shipped_report_in_a_table(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # no ./graph here: the shipped graph answers, and says so
    result = CliRunner().invoke(cli, ["stats"])
    assert result.exit_code == 0, result.output
    assert result.stderr.startswith("Read the graph shipped with fazhi-kg (")
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["report", *FAMILIES]
    assert lines[-1].startswith("all ")
    shipped = _expected(build_report(ROOT / "reports" / "bazhou-2023.txt").facts)
    assert [int(n) for n in lines[-1].split()[1:]] == [shipped[f] for f in FAMILIES]

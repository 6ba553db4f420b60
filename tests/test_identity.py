"""Who wrote a report and about which year: the identity cases under tests/data/identity, the real
development set when it is present, report ids, and the gazetteer staying off the query path."""

from __future__ import annotations

import fnmatch
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT, shared_real

from fazhi_kg.extract.gazetteer import Division
from fazhi_kg.extract.meta import read_header
from fazhi_kg.extract.reportid import report_id
from fazhi_kg.facts import ReportMeta
from fazhi_kg.text.read import read_report

CASES_DIR = ROOT / "tests" / "data" / "identity"
CASES = sorted(p for p in CASES_DIR.glob("*.*") if p.suffix in (".txt", ".html"))


def test_there_are_identity_cases():
    assert len(CASES) >= 20 and all(p.with_suffix(".json").exists() for p in CASES)


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_identity_case(path: Path):
    want = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
    meta = read_header(read_report(path)).meta
    got = {
        "jurisdiction": meta.jurisdiction,
        "parents": list(meta.parents),
        "level": meta.level,
        "division_code": meta.division_code,
        "year": meta.year,
    }
    assert got == {k: want[k] for k in got}
    if "issuer" in want:
        assert meta.issuer == want["issuer"]
    assert fnmatch.fnmatchcase(report_id(meta), want["id"]), report_id(meta)


def _names_it(text: str, report: dict[str, Any]) -> bool:
    """Whether a text names its gold division: a name or short name of it stands in the text and
    either reads no other division of that year or one of its parents is named as well."""
    from fazhi_kg.extract.gazetteer import gazetteer

    g = gazetteer()
    year = report.get("year")
    found = g.by_qualified_name(str(report["jurisdiction"]), year)
    if len(found) != 1:
        return False
    path = g.path(found[0], year)

    def forms(d: Division) -> list[str]:
        return [n for n in (d.name, *d.short_names) if len(n) >= 2]

    own = [n for n in forms(path[-1]) if n in text]
    if not own:
        return False
    unique = any({d.code for d in g.readings(n, year)} == {path[-1].code} for n in own)
    return unique or any(n in text for p in path[:-1] for n in forms(p))


REAL = shared_real()


@pytest.mark.skipif(
    REAL is None, reason="no shared/eval/real beside this checkout: the real dev set is not here"
)
def test_real_development_set_identity():
    """Jurisdiction and level right for every report whose text names its division, no wrong
    jurisdiction, level or code anywhere, and the year right for all."""
    from fazhi_kg.facts.evaluate import evaluate_set, render_identity

    assert REAL is not None
    ev = evaluate_set(REAL / "gold", REAL / "texts")
    table = render_identity(ev.identity)
    assert len(ev.identity) >= 30
    for row in ev.identity:
        text = next((REAL / "texts").glob(f"{row.name}.*")).read_text(encoding="utf-8")
        gold = json.loads((REAL / "gold" / f"{row.name}.json").read_text(encoding="utf-8"))
        assert row.verdict("year") == "right", table
        for field in ("jurisdiction", "level", "division_code"):
            assert row.verdict(field) != "wrong", (row.name, field, table)
        if _names_it(text, gold["report"]):
            assert row.verdict("jurisdiction") == "right", (row.name, table)
            assert row.verdict("level") == "right", (row.name, table)
    named = sum(
        _names_it(
            next((REAL / "texts").glob(f"{r.name}.*")).read_text(encoding="utf-8"),
            json.loads((REAL / "gold" / f"{r.name}.json").read_text(encoding="utf-8"))["report"],
        )
        for r in ev.identity
    )
    assert named >= 25  # the check above is not vacuous


def test_query_start_up_loads_no_gazetteer():
    code = (
        "import sys\n"
        "from fazhi_kg.cli import main\n"
        "sys.argv = ['fazhi', 'query', 'awards']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print('LOADED', sorted(m for m in sys.modules if m.startswith('fazhi_kg.extract')), "
        "file=sys.stderr)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, cwd=ROOT, check=False
    )
    assert b"LOADED []" in result.stderr, result.stderr


def test_importing_the_gazetteer_reads_nothing():
    code = "import fazhi_kg.extract.gazetteer as g\nprint(g.gazetteer.cache_info().currsize)\n"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, check=False)
    assert result.stdout.strip() == b"0", result.stderr


def _meta(**kw: object) -> ReportMeta:
    base: dict[str, object] = {"title": "", "jurisdiction": "", "text_sha256": "ab" * 32}
    return ReportMeta(**{**base, **kw})  # type: ignore[arg-type]


def test_report_ids():
    assert (
        report_id(
            _meta(
                jurisdiction="四川省巴中市巴州区",
                parents=("巴中市", "四川省"),
                year=2023,
                level="county",
            )
        )
        == "sichuan-bazhong-bazhou-2023"
    )
    # homonyms differ by their parents already
    beijing = report_id(_meta(jurisdiction="北京市朝阳区", parents=("北京市",), year=2021))
    changchun = report_id(
        _meta(jurisdiction="吉林省长春市朝阳区", parents=("长春市", "吉林省"), year=2021)
    )
    assert (beijing, changchun) == ("beijing-chaoyang-2021", "jilin-changchun-chaoyang-2021")
    # divisions of the same time that still spell the same carry their code
    assert (
        report_id(_meta(jurisdiction="山西省", year=2022, level="province")) == "shanxi-140000-2022"
    )
    assert (
        report_id(_meta(jurisdiction="陕西省", year=2022, level="province")) == "shanxi-610000-2022"
    )
    assert (
        report_id(
            _meta(
                jurisdiction="甘肃省临夏回族自治州临夏市",
                parents=("临夏回族自治州", "甘肃省"),
                year=2022,
            )
        )
        == "gansu-linxia-linxia-622901-2022"
    )
    # a department adds its own name
    dept = _meta(
        jurisdiction="广东省佛山市",
        parents=("广东省",),
        year=2023,
        level="department",
        issuer="佛山市司法局",
    )
    assert report_id(dept) == "guangdong-foshan-sifaju-2023"
    # an unresolved report says so, by its text's hash: never a bare year, never a committee
    assert report_id(_meta(year=2021)) == "unresolved-abababab-2021"
    other = _meta(year=2021, text_sha256="cd" * 32)
    assert report_id(other) != report_id(_meta(year=2021))
    assert (
        report_id(_meta(jurisdiction="北京市朝阳区", parents=("北京市",)))
        == "beijing-chaoyang-abababab"
    )


def test_a_division_the_user_gives():
    from fazhi_kg.errors import UsageError
    from fazhi_kg.extract.identity import given_division, with_division

    assert given_division("511902").name == "巴州区"
    assert given_division("吉林省长春市朝阳区", 2021).code == "220104"
    assert given_division("凉山州", 2023).code == "513400"
    with pytest.raises(
        UsageError,
        match=r'"朝阳区" names 2 divisions: 北京市朝阳区 \(110105\), 吉林省长春市朝阳区 \(220104\); give the code or the full name\.',
    ):
        given_division("朝阳区", 2021)
    with pytest.raises(
        UsageError,
        match=re.escape('No division is called "青石县" in 2022; give its full name or its code.'),
    ):
        given_division("青石县", 2022)
    with pytest.raises(UsageError, match='No division has the code "999999"'):
        given_division("999999")
    meta = with_division(_meta(year=2021), given_division("220104"))
    assert (meta.jurisdiction, meta.parents, meta.level, meta.division_code) == (
        "吉林省长春市朝阳区",
        ("长春市", "吉林省"),
        "county",
        "220104",
    )
    assert report_id(meta) == "jilin-changchun-chaoyang-2021"


def _gold_set(tmp_path: Path, names: list[str], wrong: dict[str, str]) -> tuple[Path, Path]:
    """A gold folder and a text folder from identity cases (gold jurisdictions replaced by `wrong`)."""
    gold, texts = tmp_path / "gold", tmp_path / "texts"
    gold.mkdir()
    texts.mkdir()
    for name in names:
        case = next(p for p in CASES if p.stem == name)
        want = json.loads(case.with_suffix(".json").read_text(encoding="utf-8"))
        report = {k: want[k] for k in ("jurisdiction", "level", "year")}
        report["jurisdiction"] = wrong.get(name, report["jurisdiction"])
        (gold / f"{name}.json").write_text(json.dumps({"report": {"title": "", **report}}), "utf-8")
        (texts / case.name).write_bytes(case.read_bytes())
    return gold, texts


def test_a_set_is_scored_per_identity_field(tmp_path):
    from fazhi_kg.facts.evaluate import evaluate_set, render_identity

    names = ["municipal-district", "homonym-without-parent", "page-metadata"]
    gold, texts = _gold_set(tmp_path, names, {"page-metadata": "广东省广州市天河区"})
    ev = evaluate_set(gold, texts)
    rows = {r.name: r for r in ev.identity}
    assert rows["municipal-district"].gold["division_code"] == "120105"  # looked up for the gold
    assert [rows[n].verdict("jurisdiction") for n in names] == ["right", "right", "wrong"]
    assert rows["page-metadata"].verdict("division_code") == "wrong"
    scores = {s.family: (s.gold, s.predicted, s.matched) for s in ev.identity_scores()}
    assert scores["jurisdiction"] == (2, 2, 1) and scores["year"] == (3, 3, 3)
    table = render_identity(ev.identity)
    assert "| page-metadata | 广东省广州市天河区 → 广东省广州市越秀区 ✗ |" in table
    assert ev.families.scores[0].family == "report"


def test_fazhi_eval_takes_a_gold_folder_and_a_text_folder(tmp_path):
    from conftest import run_fazhi

    gold, texts = _gold_set(tmp_path, ["municipal-district", "unresolvable"], {})
    result = run_fazhi("eval", "--gold", str(gold), str(texts))
    assert result.returncode == 0, result.stderr
    out = result.stdout.decode()
    assert "| municipal-district | 天津市河北区 | county | 120105 | 2022 |" in out
    assert "| unresolvable | – | – | – | 2023 |" in out
    missing = run_fazhi("eval", "--gold", str(gold), str(tmp_path))
    assert missing.returncode == 2
    assert b"No text for gold file municipal-district.json in" in missing.stderr

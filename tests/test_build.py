"""Built graphs: current, deterministic under any hash seed, valid, and written atomically."""

from __future__ import annotations

import hashlib
import re

import pytest
from conftest import EMBEDDED, ROOT, gold_cases, run_fazhi
from rdflib import Graph

from fazhi_kg.atomic import write_bytes
from fazhi_kg.corpus.build import build_report
from fazhi_kg.validate import validate_graph


def test_shipped_graph_is_current():
    built = build_report(EMBEDDED)
    shipped = ROOT / "graph" / f"{built.rid}.ttl"
    assert shipped.exists(), f"graph/{built.rid}.ttl is missing; run `fazhi build`"
    assert shipped.read_bytes() == built.turtle, "graph/ is stale; run `fazhi build`"
    assert sorted(p.name for p in (ROOT / "graph").glob("*.ttl")) == [shipped.name]


def test_report_id_derives_from_the_jurisdiction_path_and_year():
    assert build_report(EMBEDDED).rid == "sichuan-bazhong-bazhou-2023"
    assert build_report(EMBEDDED, rid="bazhou-2023").rid == "bazhou-2023"


@pytest.mark.parametrize("seed", ["0", "1", "12345"])
def test_build_is_byte_identical_under_any_hash_seed(tmp_path, seed):
    result = run_fazhi(
        "build", "--no-validate", "--out", str(tmp_path), env={"PYTHONHASHSEED": seed}
    )
    assert result.returncode == 0, result.stderr
    (out,) = tmp_path.glob("*.ttl")
    expected = (ROOT / "graph" / out.name).read_bytes()
    assert hashlib.sha256(out.read_bytes()).digest() == hashlib.sha256(expected).digest()


@pytest.mark.parametrize(("report", "gold"), gold_cases(), ids=[r.stem for r, _ in gold_cases()])
def test_every_gold_report_builds_into_a_conforming_graph(report, gold):
    built = build_report(report)
    g = Graph()
    g.parse(data=built.turtle, format="turtle")
    assert not any(isinstance(n, type(None)) for n in g.all_nodes())
    rep = validate_graph(g)
    assert rep.conforms, [(r.constraint, r.focus, r.path) for r in rep.results]


def test_build_then_validate_exit_codes(tmp_path):
    # from an empty folder: the installed package brings its report, ontology and shapes
    empty = tmp_path / "empty"
    empty.mkdir()
    built = run_fazhi("build", "--out", str(tmp_path), cwd=empty)
    assert built.returncode == 0, built.stderr
    assert b"conforms: 0 violations" in built.stdout
    (ttl,) = tmp_path.glob("*.ttl")
    ok = run_fazhi("validate", str(ttl), cwd=empty)
    assert ok.returncode == 0 and b"Conforms" in ok.stdout
    broken = tmp_path / "broken.ttl"
    turtle = ttl.read_text(encoding="utf-8")
    cut = turtle.rfind(" .\n", 0, 5000) + 3  # after a whole statement, whatever the graph holds
    broken.write_text(turtle[:cut] + "\n<a> <b> ;;; .\n")
    bad = run_fazhi("validate", str(broken))
    assert bad.returncode == 2 and b"is not valid Turtle" in bad.stderr


def test_a_violation_exits_1_with_the_quote(tmp_path):
    ttl = (ROOT / "graph" / "sichuan-bazhong-bazhou-2023.ttl").read_text(encoding="utf-8")
    broken = tmp_path / "broken.ttl"
    broken.write_text(ttl.replace("fz:value 98.38 .", "fz:value 198.38 ."), encoding="utf-8")
    assert "198.38" in broken.read_text(encoding="utf-8")
    result = run_fazhi("validate", str(broken))
    assert result.returncode == 1
    assert "达98.38%" in result.stdout.decode()
    assert "MaxInclusiveConstraintComponent" in result.stdout.decode()


def test_atomic_write_leaves_the_old_file_on_failure(tmp_path, monkeypatch):
    target = tmp_path / "g.ttl"
    target.write_bytes(b"old")

    def boom(fd: int) -> None:
        raise OSError("disk full")

    monkeypatch.setattr("os.fsync", boom)
    with pytest.raises(OSError):
        write_bytes(target, b"new content")
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["g.ttl"]


def test_quotes_from_an_html_page_are_text_not_markup() -> None:
    """Evidence of a fact on a web page quotes what a reader sees: no tags, no entities, the
    sentence around it as text, at the page's own character offsets."""
    from fazhi_kg.corpus.build import build_report

    page = ROOT / "tests" / "data" / "genre" / "city-bodies-2021.html"
    built = build_report(page)
    assert built.graph_triples is not None
    oa = "http://www.w3.org/ns/oa#"
    quotes = [
        line.split("> ", 2)[2]
        for line in built.graph_triples.lines
        if any(f"<{oa}{p}>" in line for p in ("exact", "prefix", "suffix"))
    ]
    assert len(quotes) > 50
    markup = [q for q in quotes if re.search(r"</?[a-zA-Z][^>]*>|&[a-z]+;|&#[0-9]+;", q)]
    assert markup == []
    raw = page.read_text(encoding="utf-8")
    assert re.search(r"</?p>", raw)  # the page itself has markup between the quoted sentences

"""The `fazhi` command as a user meets it: help, exit codes and one-sentence errors."""

from __future__ import annotations

import json
import re

import jsonschema
import pytest
from conftest import EMBEDDED, run_fazhi

from fazhi_kg.resources import facts_schema_path

COMMANDS = [
    "build",
    "extract",
    "validate",
    "eval",
    "check",
    "queries",
    "query",
    "sparql",
    "export",
    "docs",
    "viz",
    "serve",
    "push",
]


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_is_documented_with_an_example(command):
    result = run_fazhi(command, "--help")
    assert result.returncode == 0
    assert b"Example:" in result.stdout


def test_extract_prints_schema_valid_facts():
    result = run_fazhi("extract", str(EMBEDDED), "--format", "facts")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    jsonschema.validate(data, json.loads(facts_schema_path().read_text(encoding="utf-8")))
    report = data["report"]
    assert (report["jurisdiction"], report["level"], report["division_code"]) == (
        "四川省巴中市巴州区",
        "county",
        "511902",
    )
    assert report["parent_jurisdictions"] == ["巴中市", "四川省"]
    assert all("span" in x for fam in ("indicators", "institutions", "awards") for x in data[fam])


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda d: d / "missing.txt", b"does not exist; check the path."),
        (lambda d: d, b"is a folder; give a report file"),
        (lambda d: _write(d / "bin.txt", b"\x00\x01\x02\x03" * 100), b"looks like a binary file"),
        (lambda d: _write(d / "empty.txt", b""), b"is empty"),
        (lambda d: _write(d / "bad.txt", b"\x81\x30\x81\xff\xfe"), b"neither UTF-8 nor GB18030"),
        (lambda d: _write(d / "note.txt", "周末去公园散步。".encode()), b"does not look like"),
    ],
)
def test_bad_report_input_gets_one_sentence_and_exit_2(tmp_path, make, message):
    result = run_fazhi("extract", str(make(tmp_path)))
    assert result.returncode == 2
    assert message in result.stderr
    assert b"Traceback" not in result.stderr
    assert result.stderr.count(b"\n") == 1


def test_debug_shows_the_traceback(tmp_path):
    result = run_fazhi("--debug", "extract", str(tmp_path / "missing.txt"))
    assert result.returncode != 0 and b"Traceback" in result.stderr


def test_unknown_option_is_a_usage_error():
    result = run_fazhi("extract", "--nope")
    assert result.returncode == 2 and b"No such option" in result.stderr


def test_eval_prints_scores(tmp_path):
    gold = EMBEDDED.parents[1] / "tests" / "gold" / "bazhou-2023.json"
    result = run_fazhi("eval", "--gold", str(gold), str(EMBEDDED))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.decode().splitlines()
    assert lines[0].split() == ["family", "gold", "pred", "match", "P", "R", "F1"]
    assert any(line.startswith("overall") for line in lines)


def _write(path, data: bytes):
    path.write_bytes(data)
    return path


# --- the names the RDF world uses, and - for standard input --------------------------------------

RIOT_NAMES = {  # riot --syntax names → pyoxigraph formats that read the output back
    "ttl": "TURTLE",
    "turtle": "TURTLE",
    "nt": "N_TRIPLES",
    "n-triples": "N_TRIPLES",
    "ntriples": "N_TRIPLES",
    "nq": "N_QUADS",
    "nquads": "N_QUADS",
    "trig": "TRIG",
    "jsonld": "JSON_LD",
    "json-ld": "JSON_LD",
    "rdfxml": "RDF_XML",
    "rdf/xml": "RDF_XML",
    "xml": "RDF_XML",
    "owl": "RDF_XML",
}


@pytest.mark.parametrize("name", sorted(RIOT_NAMES))
def test_export_takes_every_name_riot_accepts(name):
    import pyoxigraph as ox

    result = run_fazhi("export", "--format", name)
    assert result.returncode == 0, result.stderr
    quads = list(ox.parse(result.stdout, format=getattr(ox.RdfFormat, RIOT_NAMES[name])))
    assert len(quads) > 4000


@pytest.mark.parametrize("name", ["ttl", "n-triples", "rdfxml", "trig", "json-ld"])
def test_extract_and_validate_write_rdf_by_riots_names(name):
    import pyoxigraph as ox

    fmt = getattr(ox.RdfFormat, RIOT_NAMES[name])
    graph = run_fazhi("extract", str(EMBEDDED), "--format", name)
    assert graph.returncode == 0, graph.stderr
    assert len(list(ox.parse(graph.stdout, format=fmt))) > 4000
    report = run_fazhi("validate", "--format", name)
    assert report.returncode == 0, report.stderr
    types = {
        q.object.value
        for q in ox.parse(report.stdout, format=fmt)
        if q.predicate.value.endswith("#type")
    }
    assert "http://www.w3.org/ns/shacl#ValidationReport" in types


def test_unknown_formats_name_the_ones_known():
    result = run_fazhi("validate", "--format", "yaml")
    assert result.returncode == 2
    assert result.stderr.decode().startswith(
        'Error: Unknown format "yaml"; use text, json, or an RDF syntax: json-ld, jsonld,'
    )


def test_a_report_from_standard_input(tmp_path):
    text = EMBEDDED.read_bytes()
    card = run_fazhi("check", "-", input=text)
    assert card.returncode == 0, card.stderr
    assert card.stdout == run_fazhi("check", str(EMBEDDED)).stdout
    built = run_fazhi("build", "-", "--out", str(tmp_path), input=text)
    assert built.returncode == 0, built.stderr
    [graph] = tmp_path.glob("*.ttl")
    assert graph.read_bytes() == (EMBEDDED.parents[1] / "graph" / graph.name).read_bytes()
    facts = run_fazhi("extract", "-", input=text)
    assert json.loads(facts.stdout)["report"]["jurisdiction"] == "四川省巴中市巴州区"
    empty = run_fazhi("check", "-", input=b"")
    assert empty.returncode == 2 and empty.stderr == (
        b"Error: standard input is empty; give a report text or an HTML page.\n"
    )


# --- validating a corpus: a line per report, then the totals ------------------------------------


def test_validate_store_ends_with_a_line_per_report_and_the_totals(tmp_path):
    from conftest import GENRE

    from fazhi_kg.corpus.batch import build_corpus

    sources = [GENRE / "county-fullwidth-2022.txt", GENRE / "town-2023.txt"]
    build_corpus(sources, tmp_path / "out", store=tmp_path / "store", jobs=1)
    env = {"FAZHI_CACHE_DIR": str(tmp_path / "cache")}
    result = run_fazhi("validate", "--store", str(tmp_path / "store"), env=env)
    lines = result.stdout.decode().splitlines()
    rids = sorted(p.stem for p in (tmp_path / "out").glob("*.ttl"))
    summary = lines[-3:]
    assert [line.split()[0] for line in summary[:2]] == rids
    for line in summary[:2]:
        assert re.fullmatch(
            r"\S+ +(conforms|does not conform): \d+ violations?, \d+ warnings?, \d+ notes?", line
        ), line
    assert re.fullmatch(
        r"2 report graphs: \d conform, \d do(es)? not; \d+ violations?, \d+ warnings?, \d+ notes?\.",
        summary[2],
    )
    zh = run_fazhi("validate", "--store", str(tmp_path / "store"), "--lang", "zh", env=env)
    assert zh.stdout.decode().splitlines()[-1].startswith("共 2 个报告图：")


def test_the_summary_counts_each_report_and_all():
    from dataclasses import dataclass

    from fazhi_kg.validate.render import render_summary

    @dataclass
    class Outcome:
        name: str
        conforms: bool
        found: dict[str, int]

        def count(self, severity: str) -> int:
            return self.found.get(severity, 0)

    rows = [
        Outcome("a-2023", True, {"Info": 1}),
        Outcome("巴州-2023", False, {"Violation": 2, "Warning": 1}),
    ]
    assert render_summary(rows).splitlines() == [
        "a-2023     conforms: 0 violations, 0 warnings, 1 note",
        "巴州-2023  does not conform: 2 violations, 1 warning, 0 notes",
        "2 report graphs: 1 conform, 1 does not; 2 violations, 1 warning, 1 note.",
    ]
    assert render_summary(rows, lang="zh").splitlines()[-1] == (
        "共 2 个报告图：1 个符合，1 个不符合；违规 2 项，警告 1 项，提示 1 项。"
    )

"""`fazhi queries`, `fazhi query` and `fazhi sparql` as users meet them."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys

import pytest
from conftest import ROOT, run_fazhi

from fazhi_kg.query.render import width

P = "PREFIX fz: <https://w3id.org/fazhi/ontology#> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
RATES = (
    P
    + "SELECT ?what ?value WHERE { ?i a fz:Percentage ; fz:measures ?what ; fz:value ?value } ORDER BY ?what ?value"
)


def test_queries_lists_the_catalogue_in_both_languages():
    zh = run_fazhi("queries").stdout.decode()
    en = run_fazhi("queries", "--lang", "en").stdout.decode()
    assert zh.splitlines()[0].split()[0] == en.splitlines()[0].split()[0]
    assert "awards" in zh and "--param name=<string>" in zh
    assert zh != en


def test_table_aligns_double_width_characters():
    out = run_fazhi("sparql", RATES).stdout.decode().splitlines()
    header, rule, *rows = out
    column = width(header[: header.index("value")])
    for row in rows:
        start = row.rstrip().rfind(" ") + 1  # the value cell is the last one
        assert width(row[:start]) == column, row
    assert len(rows) >= 5 and set(rule) <= {"─", " "}
    assert any(width(r) != len(r) for r in rows)  # the rows do hold wide characters


def test_json_is_w3c_sparql_results():
    doc = json.loads(run_fazhi("sparql", RATES, "--format", "json").stdout)
    assert doc["head"]["vars"] == ["what", "value"]
    first = doc["results"]["bindings"][0]
    assert first["value"]["type"] == "literal"
    assert first["value"]["datatype"] == "http://www.w3.org/2001/XMLSchema#decimal"


def test_csv_and_tsv_follow_the_w3c_formats():
    raw = run_fazhi("sparql", RATES, "--format", "csv").stdout.decode()
    assert raw.startswith("what,value\r\n")
    rows = list(csv.reader(io.StringIO(raw)))
    assert all(len(r) == 2 for r in rows)
    tsv = run_fazhi("sparql", RATES, "--format", "tsv").stdout.decode().splitlines()
    assert tsv[0] == "?what\t?value"
    assert tsv[1].split("\t")[0].startswith('"')


def test_jsonl_and_markdown():
    lines = run_fazhi("sparql", RATES, "--format", "jsonl").stdout.decode().splitlines()
    assert set(json.loads(lines[0])) == {"what", "value"}
    md = run_fazhi("sparql", RATES, "--format", "md").stdout.decode().splitlines()
    assert md[0] == "| what | value |" and md[1] == "|---|---|"


def test_ask_and_construct():
    assert run_fazhi("sparql", P + "ASK { ?a a fz:Award }").stdout == b"true\n"
    out = run_fazhi(
        "sparql",
        P + "CONSTRUCT { ?a rdfs:label ?l } WHERE { ?a a fz:Award ; rdfs:label ?l }",
        "--format",
        "nt",
    ).stdout.decode()
    assert out.count(" .\n") >= 10 and "<http://www.w3.org/2000/01/rdf-schema#label>" in out


def test_query_file_and_stdin(tmp_path):
    f = tmp_path / "q.rq"
    f.write_text(P + "SELECT (COUNT(*) AS ?n) WHERE { ?a a fz:Award }", encoding="utf-8")
    by_file = run_fazhi("sparql", f"@{f}", "--format", "csv").stdout
    by_stdin = run_fazhi("sparql", "-", "--format", "csv", input=f.read_bytes()).stdout
    assert by_file == by_stdin and by_file.startswith(b"n\r\n")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["query", "awards", "--param", "lvl=x"],
            'Query "awards" has no parameter "lvl"; known: level.',
        ),
        (["query", "institution"], 'Query "institution" needs parameter "name"'),
        (["query", "nope"], 'There is no stored query "nope"'),
        (["sparql", "SELECT * WHERE { ?s ?p }"], "The query is not valid SPARQL: error at 1:"),
        (
            ["sparql", "SELECT * WHERE { SERVICE <http://example.org/> { ?s ?p ?o } }"],
            "uses SERVICE",
        ),
        (["sparql", "SELECT * FROM <file:///etc/passwd> WHERE { ?s ?p ?o }"], "uses FROM"),
        (["sparql", "LOAD <http://example.org/x.ttl>"], "uses LOAD"),
        (["sparql", "INSERT DATA { <a:b> <a:c> <a:d> }"], "updates are refused"),
        (["sparql", "SELECT * WHERE " + "{ " * 40 + "?s ?p ?o" + " }" * 40], "nests"),
        (["sparql", "@/nonexistent/q.rq"], "does not exist"),
        (["query", "awards", "--graph", "/nonexistent.ttl"], "does not exist"),
    ],
)
def test_errors_are_one_sentence_and_exit_2(args, message):
    result = run_fazhi(*args)
    assert result.returncode == 2, result
    err = result.stderr.decode()
    assert message in err and "Traceback" not in err and err.count("\n") == 1


def test_words_inside_strings_and_iris_are_not_refused():
    q = (
        P
        + 'SELECT ?l WHERE { ?a rdfs:label ?l FILTER(?l != "FROM SERVICE LOAD") } ORDER BY ?l LIMIT 1'
    )
    assert run_fazhi("sparql", q).returncode == 0


def test_timeout_stops_the_query_with_exit_3():
    slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    result = run_fazhi("sparql", slow, "--timeout", "1")
    assert result.returncode == 3
    assert b"ran longer than 1 s" in result.stderr


def test_limit_shows_a_truncation_notice():
    out = run_fazhi("sparql", RATES, "--limit", "2").stdout.decode().splitlines()
    assert len(out) == 2 + 2 + 1 and "more results not shown" in out[-1]


def test_query_path_imports_neither_rdflib_nor_pyshacl():
    code = (
        "import sys\n"
        "from fazhi_kg.cli import main\n"
        "sys.argv = ['fazhi', 'query', 'awards']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "heavy = sorted(m for m in ('rdflib', 'pyshacl', 'networkx', 'matplotlib') if m in sys.modules)\n"
        "print('HEAVY', heavy, file=sys.stderr)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, cwd=ROOT, check=False
    )
    assert b"HEAVY []" in result.stderr, result.stderr


def test_extraction_imports_no_rdf_library():
    code = (
        "import sys\n"
        "from fazhi_kg.extract import extract_file\n"
        f"extract_file({str(ROOT / 'reports' / 'bazhou-2023.txt')!r})\n"
        "print(sorted(m for m in ('rdflib', 'pyoxigraph', 'click') if m in sys.modules))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, check=False)
    assert result.stdout.strip() == b"[]", result.stderr


def test_width_counts_wide_characters_twice():
    assert width("abc") == 3 and width("司法局") == 6 and width("二/(四)") == 7
    assert width("１６个") == 6 and width("") == 0

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
        (
            ["sparql", "SELECT * WHERE { ?s ?p }"],
            'The query is not valid SPARQL at line 1, column 25 (near "WHERE { ?s ?p }"): '
            "expected one of LATERAL, SERVICE; fix it there.",
        ),
        (
            ["sparql", "SELECT ?a WHERE {\n  ?a a fz:Award\n}"],
            "The query uses the prefix fz: (line 2) without declaring it; add the line "
            "PREFIX fz: <https://w3id.org/fazhi/ontology#> at the top.",
        ),
        (
            ["sparql", P + "SELECT ?a WHERE { ?a a my:Thing }"],
            "The query uses the prefix my: (line 1) without declaring it; declare it at the top "
            "with PREFIX my: <…>, or write the full IRI.",
        ),
        (["sparql", "missing.rq"], "Query file missing.rq does not exist; check the path."),
        (
            ["sparql", P + "CONSTRUCT WHERE { ?a a fz:Award }", "--format", "json"],
            "--format json is a results format for SELECT and ASK; a CONSTRUCT or DESCRIBE "
            "answer is RDF, so use one of turtle (ttl), ntriples (nt, n-triples), nquads (nq, "
            "n-quads), trig, jsonld (json-ld), rdfxml (rdf/xml, xml, owl), n3.",
        ),
        (
            ["sparql", RATES, "--format", "ttl"],
            "--format ttl is an RDF syntax for CONSTRUCT and DESCRIBE; a SELECT answer takes "
            "one of table, csv, tsv, json, xml, jsonl, md.",
        ),
        (["query", "awards", "--format", "nt"], "--format nt is an RDF syntax"),
        (["sparql", RATES, "--format", "yaml"], 'Unknown format "yaml"; use one of table,'),
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


@pytest.mark.parametrize("fmt", ["csv", "tsv", "json", "xml", "jsonl"])
def test_formats_for_programs_hold_only_the_answer_and_say_the_rest_on_stderr(fmt):
    result = run_fazhi("sparql", RATES, "--limit", "2", "--format", fmt)
    assert b"more results" not in result.stdout
    assert result.stderr.decode().splitlines()[0] == (
        "# 5 more results not shown; raise --limit or add --all to see them."
    )


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


# --- the W3C results formats, as Oxigraph writes them ------------------------------------------

GRAPHS = sorted((ROOT / "graph").glob("*.ttl"))
SPARQL_RESULTS = "{http://www.w3.org/2005/sparql-results#}"
# every kind of term: IRIs, language-tagged and plain strings, integers, decimals (100 and 98.38),
# doubles, booleans, and unbound values
TERMS = (
    P
    + "PREFIX xsd: <http://www.w3.org/2001/XMLSchema#> "
    + "SELECT ?i ?what ?value ?n ?d ?b ?none WHERE { ?i a fz:Percentage ; fz:measures ?what ; "
    + "fz:value ?value . BIND(STRLEN(?what) AS ?n) BIND(xsd:double(?value) AS ?d) "
    + "BIND(?value = 100 AS ?b) OPTIONAL { ?i fz:nothing ?none } } ORDER BY ?what ?value ?i"
)


def _oxigraph(query: str, fmt: str) -> bytes:
    import pyoxigraph as ox

    from fazhi_kg.query.store import open_store

    result = open_store(GRAPHS).query(query, use_default_graph_as_union=True)
    return result.serialize(format=getattr(ox.QueryResultsFormat, fmt.upper()))


@pytest.mark.parametrize("fmt", ["xml", "csv", "tsv"])
def test_results_are_oxigraphs_own_serialization(fmt):
    ours = run_fazhi("sparql", TERMS, "--format", fmt, "--graph", *map(str, GRAPHS)).stdout
    assert ours.rstrip(b"\n") == _oxigraph(TERMS, fmt).rstrip(b"\n")


def test_json_results_equal_oxigraphs():
    ours = run_fazhi("sparql", TERMS, "--format", "json", "--graph", *map(str, GRAPHS)).stdout
    assert json.loads(ours) == json.loads(_oxigraph(TERMS, "json"))


def test_xml_results_parse_with_a_standard_parser_in_the_w3c_namespace():
    import xml.etree.ElementTree as ET

    root = ET.fromstring(run_fazhi("sparql", TERMS, "--format", "xml").stdout)
    assert root.tag == f"{SPARQL_RESULTS}sparql"
    names = [v.get("name") for v in root.iter(f"{SPARQL_RESULTS}variable")]
    assert names == ["i", "what", "value", "n", "d", "b", "none"]
    results = list(root.iter(f"{SPARQL_RESULTS}result"))
    assert len(results) >= 5
    first = {b.get("name"): b[0] for b in results[0]}
    assert first["i"].tag == f"{SPARQL_RESULTS}uri"
    assert first["value"].get("datatype") == "http://www.w3.org/2001/XMLSchema#decimal"
    assert "none" not in first  # unbound: no binding element
    ask = ET.fromstring(run_fazhi("sparql", P + "ASK { ?a a fz:Award }", "--format", "xml").stdout)
    assert ask.find(f"{SPARQL_RESULTS}boolean").text == "true"


def test_tsv_decimals_read_back_as_decimals():
    import pyoxigraph as ox

    tsv = run_fazhi("sparql", RATES, "--format", "tsv").stdout
    assert '"100"^^<http://www.w3.org/2001/XMLSchema#decimal>' in tsv.decode()
    values = [s["value"] for s in ox.parse_query_results(tsv, format=ox.QueryResultsFormat.TSV)]
    assert {v.datatype.value for v in values} == {"http://www.w3.org/2001/XMLSchema#decimal"}
    assert "100" in {v.value for v in values} and "98.38" in {v.value for v in values}


def test_ask_in_every_results_format():
    ask = P + "ASK { ?a a fz:Award }"
    assert json.loads(run_fazhi("sparql", ask, "--format", "json").stdout) == {
        "head": {},
        "boolean": True,
    }
    for fmt in ("table", "csv", "tsv"):
        assert run_fazhi("sparql", ask, "--format", fmt).stdout == b"true\n"


CONSTRUCT = P + "CONSTRUCT { ?a rdfs:label ?l } WHERE { ?a a fz:Award ; rdfs:label ?l }"


@pytest.mark.parametrize(
    "name",
    [
        "ttl",
        "turtle",
        "nt",
        "ntriples",
        "n-triples",
        "nq",
        "nquads",
        "trig",
        "jsonld",
        "json-ld",
        "rdfxml",
        "rdf/xml",
        "xml",
        "owl",
        "TTL",
    ],
)
def test_construct_in_every_rdf_syntax_by_any_name_riot_accepts(name):
    import pyoxigraph as ox

    from fazhi_kg.rdfio.formats import by_name, ox_format

    result = run_fazhi("sparql", CONSTRUCT, "--format", name)
    assert result.returncode == 0, result.stderr
    quads = list(ox.parse(result.stdout, format=ox_format(by_name(name))))
    assert len(quads) >= 10
    assert {q.predicate.value for q in quads} == {"http://www.w3.org/2000/01/rdf-schema#label"}


def test_construct_without_format_is_turtle():
    out = run_fazhi("sparql", CONSTRUCT).stdout.decode()
    assert out.startswith("@prefix") and "rdfs:label" in out


# --- the query itself: text, a file, @file or standard input ------------------------------------


@pytest.mark.parametrize("suffix", [".rq", ".sparql"])
def test_a_query_file_is_read_by_its_name(tmp_path, suffix):
    f = tmp_path / f"q{suffix}"
    f.write_text(P + "SELECT (COUNT(*) AS ?n) WHERE { ?a a fz:Award }", encoding="utf-8")
    by_name = run_fazhi("sparql", f.name, "--format", "csv", cwd=tmp_path)
    by_at = run_fazhi("sparql", f"@{f}", "--format", "csv")
    by_stdin = run_fazhi("sparql", "-", "--format", "csv", input=f.read_bytes())
    assert by_name.returncode == 0, by_name.stderr
    assert by_name.stdout == by_at.stdout == by_stdin.stdout == b"n\r\n12\r\n"


# --- tables for people ---------------------------------------------------------------------------


def test_a_table_fits_the_terminal_and_wide_shows_everything():
    env = {"COLUMNS": "80"}
    fitted = run_fazhi("query", "awards", env=env).stdout.decode().splitlines()
    assert max(width(line) for line in fitted) <= 80
    assert any("…" in line for line in fitted[2:])
    full = run_fazhi("query", "awards", "--wide", env=env).stdout.decode().splitlines()
    assert max(width(line) for line in full) > 160 and not any("…" in line for line in full)
    piped = run_fazhi("query", "awards").stdout.decode().splitlines()  # no terminal, no COLUMNS
    assert piped == full
    # cut cells keep the columns aligned: each column starts at the same display cell
    rule = fitted[1]
    starts = [i for i in range(len(rule)) if rule[i] == "─" and (i == 0 or rule[i - 1] == " ")]
    for line in fitted[2:-1]:
        cells = [width(line[:k]) for k in range(len(line) + 1)]
        assert all(any(c == s for c in cells) for s in starts), line
    assert full[0].split()[:3] == ["report", "title", "level_label"]


def test_no_column_repeats_another():
    """A table shows an entity's IRI as its label, so no query gives both (`cases` is left out:
    on this report its one case's name is all of its quote)."""
    for name in ("awards", "recognitions", "indicators", "rates", "full-rates"):
        table = run_fazhi("query", name, "--wide", "--format", "md").stdout.decode()
        rows = [line.split(" | ") for line in table.splitlines()[2:] if line.startswith("| ")]
        columns = [c for c in zip(*rows, strict=True) if any(c)]  # empty ones may be alike
        assert len(rows) > 3 and len(set(columns)) == len(columns), name


def test_fit_cuts_by_display_width():
    from fazhi_kg.query.render import column_widths, fit

    assert fit("全国民主法治示范村", 8) == "全国民…"
    assert width(fit("全国民主法治示范村", 9)) == 9 and fit("abc", 3) == "abc"
    assert column_widths([10, 50, 80], 100) == [10, 45, 45]
    assert column_widths([10, 20], 100) == [10, 20]
    assert column_widths([3, 40, 40, 40], 30) == [3, 9, 9, 9]


def test_defaults_are_shown_as_the_header_writes_them():
    out = run_fazhi("queries").stdout.decode()
    assert "--param min=<decimal>  (default -1e15, e.g. 100)" in out
    assert '--param level=<string>  (default "", e.g. provincial)' in out
    assert "1000000000000000" not in out

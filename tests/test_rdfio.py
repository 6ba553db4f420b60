"""The one format table, the one loader of graph files (every syntax, every suffix, `-` for
standard input) and the one converter between Oxigraph and rdflib terms."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pyoxigraph as ox
import pytest
from conftest import ROOT, run_fazhi
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD

from fazhi_kg.errors import InputError, UsageError
from fazhi_kg.iris import graph_iri
from fazhi_kg.rdfio import formats, load
from fazhi_kg.rdfio.load import read_graph, read_graphs
from fazhi_kg.rdfio.sniff import sniff
from fazhi_kg.rdfio.terms import from_rdflib, to_rdflib, to_rdflib_graph

(GRAPH,) = sorted((ROOT / "graph").glob("*.ttl"))
EX = "http://example.org/"
G = ox.NamedNode(EX + "g")
TRIPLES = [
    ox.Triple(ox.NamedNode(EX + "a"), ox.NamedNode(EX + "p"), ox.Literal("甲", language="zh")),
    ox.Triple(ox.NamedNode(EX + "a"), ox.NamedNode(EX + "n"), ox.Literal("3", datatype=ox.NamedNode(str(XSD.integer)))),
    ox.Triple(ox.NamedNode(EX + "a"), ox.NamedNode(EX + "q"), ox.NamedNode(EX + "b")),
]  # fmt: skip

# Apache Jena riot's names, each with the syntax it names
NAMES = {
    "ttl": "Turtle", "turtle": "Turtle", "TTL": "Turtle",
    "nt": "N-Triples", "ntriples": "N-Triples", "n-triples": "N-Triples", "N-TRIPLES": "N-Triples",
    "nq": "N-Quads", "nquads": "N-Quads", "n-quads": "N-Quads",
    "trig": "TriG", "TriG": "TriG",
    "jsonld": "JSON-LD", "json-ld": "JSON-LD", "JSON-LD": "JSON-LD",
    "rdfxml": "RDF/XML", "rdf/xml": "RDF/XML", "RDF/XML": "RDF/XML", "xml": "RDF/XML", "owl": "RDF/XML",
    "n3": "N3",
}  # fmt: skip
SUFFIXES = {
    ".ttl": "Turtle", ".nt": "N-Triples", ".nq": "N-Quads", ".trig": "TriG", ".jsonld": "JSON-LD",
    ".json": "JSON-LD", ".rdf": "RDF/XML", ".xml": "RDF/XML", ".owl": "RDF/XML", ".n3": "N3",
    ".TTL": "Turtle",
}  # fmt: skip


def _document(syntax: formats.Syntax) -> bytes:
    """TRIPLES in `syntax`, in the named graph G where the syntax names graphs."""
    if syntax.datasets:
        quads = [ox.Quad(*t, G) for t in TRIPLES]
        return ox.serialize(quads, format=formats.ox_format(syntax)) or b""
    fmt = ox.RdfFormat.TURTLE if syntax is formats.N3 else formats.ox_format(syntax)
    return ox.serialize(TRIPLES, format=fmt) or b""


def _stdin(monkeypatch: pytest.MonkeyPatch, data: bytes) -> None:
    monkeypatch.setattr(sys, "stdin", SimpleNamespace(buffer=io.BytesIO(data)))


@pytest.mark.parametrize(("name", "label"), NAMES.items())
def test_each_format_name_names_its_syntax(name, label):
    assert formats.by_name(name).label == label


def test_an_unknown_format_name_lists_the_known_ones():
    with pytest.raises(
        UsageError, match=r'^Unknown RDF syntax "rdfa"; use one of json-ld, jsonld, '
    ):
        formats.by_name("rdfa")


def test_the_table_gives_each_library_its_own_name():
    for syntax in formats.SYNTAXES:
        assert formats.ox_format(syntax).media_type == syntax.media_type
        assert formats.by_media_type(syntax.media_type + "; charset=utf-8") is syntax
        assert syntax.rdflib in {"turtle", "nt", "nquads", "trig", "json-ld", "xml", "n3"}


@pytest.mark.parametrize(("suffix", "label"), SUFFIXES.items())
def test_the_loader_reads_each_suffix(tmp_path, suffix, label):
    syntax = formats.by_suffix(suffix)
    assert syntax is not None and syntax.label == label
    path = tmp_path / f"g{suffix}"
    path.write_bytes(_document(syntax))
    graph_file = read_graph(path)
    assert graph_file.syntax is syntax
    assert set(graph_file.triples()) == set(TRIPLES)
    # triples outside a named graph go to the file's own graph, named graphs stay as they are
    expected = G.value if syntax.datasets else graph_iri("g")
    assert {q.graph_name.value for q in graph_file.quads()} == {expected}


@pytest.mark.parametrize("syntax", formats.SYNTAXES, ids=lambda s: s.label)
def test_standard_input_is_read_in_each_syntax(monkeypatch, syntax):
    data = _document(syntax)
    _stdin(monkeypatch, data)
    graph_file = read_graph("-")
    assert graph_file.name == "standard input"
    assert set(graph_file.triples()) == set(TRIPLES)
    if syntax not in (formats.TURTLE, formats.NTRIPLES, formats.N3):  # read as TriG
        assert graph_file.syntax is syntax
    _stdin(monkeypatch, data)
    assert read_graph("-", syntax=syntax.names[-1]).syntax is syntax


@pytest.mark.parametrize(
    ("head", "label"),
    [
        ('  {"@context": {}}', "JSON-LD"),
        ('[{"@id": "http://x/"}]', "JSON-LD"),
        ("\ufeff<?xml version='1.0'?><rdf:RDF/>", "RDF/XML"),
        ('<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/>', "RDF/XML"),
        ("<!-- a comment -->", "RDF/XML"),
        ("<http://x/a> <http://x/p> <http://x/b> .", "TriG"),
        ("<urn:a> <urn:p> <urn:b> .", "TriG"),
        ('# c\n\n<http://x/a> <http://x/p> "x"@zh <http://x/g> .', "N-Quads"),
        ('_:b <http://x/p> "1"^^<http://x/t> _:g .', "N-Quads"),
        ("@prefix x: <http://x/> . x:a x:p x:b .", "TriG"),
        ("{ <http://x/a> <http://x/p> <http://x/b> }", "TriG"),
        ("[] <http://x/p> <http://x/b> .", "TriG"),
        ("", "TriG"),
    ],
)
def test_standard_input_syntax_is_told_from_its_first_bytes(head, label):
    assert sniff(head.encode("utf-8")).label == label


def test_standard_input_is_read_once(monkeypatch):
    _stdin(monkeypatch, b"")
    with pytest.raises(UsageError, match=r"^Standard input \(-\) can be read only once"):
        list(read_graphs(["-", GRAPH, "-"]))


def test_size_is_checked_before_a_graph_is_read_whole(tmp_path, monkeypatch):
    monkeypatch.setattr(load, "MAX_BYTES", 100)
    big = tmp_path / "big.rdf"
    big.write_bytes(b" " * 101)
    with pytest.raises(
        InputError, match=r"big\.rdf is 0 MB, more than the 0 MB a graph read whole"
    ):
        read_graph(big)
    _stdin(monkeypatch, b"#" * 101)
    with pytest.raises(InputError, match=r"^standard input gives more than the 0 MB"):
        read_graph("-")
    streamed = tmp_path / "big.nt"  # Oxigraph streams N-Triples: no limit
    streamed.write_bytes(b"#" * 200)
    assert read_graph(streamed).triples() == []


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("missing.ttl", "Graph file {dir}/missing.ttl does not exist; check the path or run `fazhi build`."),
        ("folder", "{dir}/folder is a folder; give graph files (e.g. graph/*.ttl)."),
        ("g.txt", "Cannot tell the RDF syntax of {dir}/g.txt from its extension; use one of .json, "
         ".jsonld, .n3, .nq, .nt, .owl, .rdf, .trig, .ttl, .xml."),
    ],
)  # fmt: skip
def test_what_is_not_a_graph_file_gets_one_sentence(tmp_path, name, message):
    (tmp_path / "folder").mkdir()
    (tmp_path / "g.txt").write_text("x")
    with pytest.raises(InputError) as caught:
        read_graph(tmp_path / name)
    assert str(caught.value) == message.format(dir=tmp_path)


def test_jena_single_quoted_entities_are_read(tmp_path):
    owl = tmp_path / "onto.owl"
    owl.write_text(
        "<?xml version='1.0'?>\n<!DOCTYPE rdf:RDF [<!ENTITY rdf 'http://www.w3.org/1999/02/22-rdf-syntax-ns#'>"
        "<!ENTITY ex 'http://example.org/'>]>\n"
        '<rdf:RDF xmlns:rdf="&rdf;" xmlns:ex="&ex;"><ex:T rdf:about="&ex;a"/></rdf:RDF>\n'
    )
    (triple,) = read_graph(owl).triples()
    assert triple.subject == ox.NamedNode(EX + "a")


# --- the term converter ------------------------------------------------------------------------

OX_TERMS = [
    ox.NamedNode("https://w3id.org/fazhi/id/r/award/1"),
    ox.BlankNode("b0"),
    ox.Literal("司法局"),  # plain: xsd:string
    ox.Literal("司法局", language="zh"),
    ox.Literal("全国", language="zh-hans"),
    ox.Literal("18000", datatype=ox.NamedNode(str(XSD.integer))),
    ox.Literal("01", datatype=ox.NamedNode(str(XSD.integer))),  # the lexical form is kept
    ox.Literal("1.8", datatype=ox.NamedNode(str(XSD.decimal))),
    ox.Literal("-1", datatype=ox.NamedNode(str(XSD.nonNegativeInteger))),  # ill-typed, kept
    ox.Literal("2023-01-01", datatype=ox.NamedNode(str(XSD.date))),
    ox.Literal("x", datatype=ox.NamedNode("http://example.org/type")),
]


@pytest.mark.parametrize("term", OX_TERMS, ids=str)
def test_oxigraph_terms_round_trip_through_rdflib(term):
    assert from_rdflib(to_rdflib(term)) == term


@pytest.mark.parametrize(
    "term",
    [
        URIRef(EX + "a"),
        BNode("n1"),
        Literal("司法局"),
        Literal("司法局", lang="zh"),
        Literal("42", datatype=XSD.integer),
        Literal("0.5", datatype=XSD.decimal),
        Literal("true", datatype=XSD.boolean),
    ],
    ids=repr,
)
def test_rdflib_terms_round_trip_through_oxigraph(term):
    back = to_rdflib(from_rdflib(term))
    assert back == term and type(back) is type(term)


def test_xsd_string_is_the_plain_literal_rdflib_parsers_make():
    typed = Literal("x", datatype=XSD.string)
    assert from_rdflib(typed) == ox.Literal("x") == from_rdflib(Literal("x"))
    assert to_rdflib(ox.Literal("x")) == Literal("x")  # no datatype, as rdflib reads "x"
    parsed = ox.parse(b'<http://x/a> <http://x/p> "x"^^<http://www.w3.org/2001/XMLSchema#string> .',
                      format=ox.RdfFormat.N_TRIPLES)  # fmt: skip
    graph = to_rdflib_graph(q.triple for q in parsed)
    assert set(graph.objects()) == {Literal("x")}


def test_rdflib_graph_of_a_file_holds_its_triples():
    graph_file = read_graph(GRAPH)
    graph = to_rdflib_graph(graph_file.triples())
    assert len(graph) == len(graph_file.triples()) > 1000
    assert {from_rdflib(o) for o in graph.objects()} == {t.object for t in graph_file.triples()}


# --- every command reads every syntax ----------------------------------------------------------


@pytest.fixture(scope="module")
def exported(tmp_path_factory) -> Path:
    """The shipped graph in every syntax `fazhi export` writes."""
    folder = tmp_path_factory.mktemp("exported")
    for fmt, suffix in [("jsonld", ".jsonld"), ("xml", ".rdf"), ("nt", ".nt"), ("trig", ".trig"),
                        ("nq", ".nq")]:  # fmt: skip
        result = run_fazhi("export", "--format", fmt, "--out", str(folder / f"bazhou{suffix}"))
        assert result.returncode == 0, result.stderr
    (folder / "bazhou.json").write_bytes((folder / "bazhou.jsonld").read_bytes())
    return folder


@pytest.mark.parametrize("suffix", [".jsonld", ".json", ".rdf", ".nt", ".trig"])
def test_query_graph_reads_what_validate_reads(exported, suffix):
    """`fazhi query --graph x.json` refused the file that `fazhi validate x.json` read."""
    expected = run_fazhi("query", "awards", "--format", "csv", "--graph", str(GRAPH))
    path = exported / f"bazhou{suffix}"
    answer = run_fazhi("query", "awards", "--format", "csv", "--graph", str(path))
    assert answer.returncode == 0, answer.stderr
    assert answer.stdout == expected.stdout and answer.stdout.count(b"\n") > 2
    assert run_fazhi("validate", str(path)).returncode == 0


@pytest.mark.parametrize("suffix", [".nq", ".rdf"])
def test_commands_read_standard_input(exported, suffix):
    data = (exported / f"bazhou{suffix}").read_bytes()
    expected = run_fazhi("query", "awards", "--format", "csv").stdout
    assert (
        run_fazhi("query", "awards", "--format", "csv", "--graph", "-", input=data).stdout
        == expected
    )
    assert run_fazhi("validate", "-", input=data).stdout.startswith(b"Conforms")
    nt = run_fazhi("export", "--format", "nt", "--graph", "-", input=data)
    assert nt.returncode == 0 and nt.stdout == run_fazhi("export", "--format", "nt").stdout


def test_the_query_path_loads_a_json_ld_graph_without_rdflib(exported):
    code = (
        "import sys\n"
        "from fazhi_kg.cli import main\n"
        f"sys.argv = ['fazhi', 'query', 'awards', '--graph', {str(exported / 'bazhou.jsonld')!r}]\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "heavy = sorted(m for m in ('rdflib', 'pyshacl', 'networkx', 'matplotlib') if m in sys.modules)\n"
        "print('HEAVY', heavy, file=sys.stderr)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, check=False)
    assert b"HEAVY []" in result.stderr, result.stderr

"""The fast SHACL engine (fazhi_kg.validate.compiled): what it compiles, how it falls back to pySHACL,
the report graph it writes, and the build keys that let a corpus validation skip reading a store.
(Its verdicts are compared with pySHACL's in tests/test_check.py.)"""

from __future__ import annotations

import shutil
from dataclasses import replace

import pytest
from conftest import ROOT
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SH

from fazhi_kg import iris
from fazhi_kg.corpus.build import build_report
from fazhi_kg.validate import run as validate_module
from fazhi_kg.validate import validate_graph, validate_ntriples
from fazhi_kg.validate.compiled import Unsupported, compile_shapes, encode_ntriples

REPORTS = ROOT / "tests" / "data" / "reports"
SHAPES_PREFIX = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix ex: <http://example.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""


@pytest.fixture(scope="module")
def faulty() -> Graph:
    return Graph().parse(data=build_report(REPORTS / "wrong-rate-2023.txt").turtle, format="turtle")


def _key(rep):
    return {(r.severity, r.shape, r.focus, r.path, r.value, r.constraint) for r in rep.results}


@pytest.mark.parametrize(
    "shape, reason",
    [
        ("ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:closed true .", "closed"),
        (
            "ex:S a sh:NodeShape ; sh:targetClass ex:C ; "
            "sh:property [ sh:path ex:p ; sh:datatype ex:myType ] .",
            "sh:datatype",
        ),
        ("ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:node ex:S .", "recursive"),
    ],
)
def test_what_the_compiler_cannot_run_is_refused(shape, reason):
    with pytest.raises(Unsupported, match=reason):
        compile_shapes(Graph().parse(data=SHAPES_PREFIX + shape, format="turtle"))


def test_unsupported_shapes_fall_back_to_pyshacl_loudly(faulty, monkeypatch):
    def refuse() -> tuple[object, ...]:
        raise Unsupported("sh:closed on shape ex:S")

    monkeypatch.setattr(validate_module, "fast_checks", refuse)
    with pytest.warns(RuntimeWarning, match="validating with pySHACL instead"):
        rep = validate_graph(faulty)
    assert _key(rep) == _key(validate_graph(faulty, engine="pyshacl"))
    assert not rep.conforms


def test_ntriples_validate_like_the_graph(faulty):
    nt = faulty.serialize(format="nt", encoding="utf-8")
    from_nt, from_graph = validate_ntriples(nt), validate_graph(faulty)
    assert from_nt.results == from_graph.results
    (violation,) = [r for r in from_nt.results if r.severity == "Violation"]
    assert violation.quote and violation.section and "【" in (violation.context or "")
    assert _key(validate_ntriples(nt, engine="pyshacl")) == _key(from_nt)


def test_the_report_graph_is_a_shacl_validation_report(faulty):
    g = Graph()
    for t in faulty:
        g.add(t)
    report = g.value(predicate=RDF.type, object=URIRef("https://w3id.org/fazhi/ontology#Report"))
    g.remove((report, URIRef("http://purl.org/dc/terms/title"), None))
    rep = validate_graph(g)
    (node,) = rep.graph.subjects(RDF.type, SH.ValidationReport)
    assert rep.graph.value(node, SH.conforms) == Literal(False)
    core = set(rep.graph.objects(node, SH.result))
    results = set(rep.graph.subjects(RDF.type, SH.ValidationResult))
    assert core and core <= results
    for r in core:
        for p in (SH.focusNode, SH.resultSeverity, SH.sourceShape, SH.sourceConstraintComponent):
            assert rep.graph.value(r, p) is not None
        assert {m.language for m in rep.graph.objects(r, SH.resultMessage)} == {"zh", "en"}
    again = Graph().parse(data=rep.graph.serialize(format="turtle"), format="turtle")
    assert len(again) == len(rep.graph)


def test_typed_literals_are_loaded_as_rdflib_reads_them():
    nt = (
        b'<http://a> <http://b> "007"^^<http://www.w3.org/2001/XMLSchema#integer> .\n'
        b'<http://a> <http://b> "-1"^^<http://www.w3.org/2001/XMLSchema#nonNegativeInteger> .\n'
        b'<http://a> <http://c> "say \\"x\\"^^<http://e> ." .\n'
    )
    lines = encode_ntriples(nt).decode().splitlines()
    assert lines[0].endswith(
        '"7"^^<urn:fazhi:datatype:ok:http://www.w3.org/2001/XMLSchema#integer> .'
    )
    assert "urn:fazhi:datatype:ill:" in lines[1]
    assert lines[2] == nt.decode().splitlines()[2]  # a plain literal is left alone


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    from fazhi_kg.corpus.batch import build_corpus

    base = tmp_path_factory.mktemp("fastcorpus")
    build_corpus([ROOT / "tests" / "data" / "corpus"], base / "out", store=base / "store", jobs=1)
    return base


def test_store_graphs_take_their_cache_key_from_the_generation_record(corpus, tmp_path):
    """An unchanged store is not read again: each graph's key is the hash of the graph file it
    was loaded from, as the generation records it; without a record the graph is hashed."""
    from fazhi_kg.corpus.generations import open_generation
    from fazhi_kg.corpus.manifest import file_sha256
    from fazhi_kg.corpus.validate import _items_from_store, _rules_key, validate_corpus

    base = tmp_path / "copy"
    shutil.copytree(corpus, base)
    with open_generation(base / "store") as gen:
        recorded = gen.record["graphs"]
        assert recorded == {p.stem: file_sha256(p) for p in sorted((base / "out").glob("*.ttl"))}
        rules = _rules_key("fast")
        keyed = {i.name: i.key for i in _items_from_store(gen, rules)}
        record = gen.path / "fazhi-generation.json"
        record.rename(record.with_suffix(".bak"))  # a store without a record: hashed
        hashed = {i.name: i.key for i in _items_from_store(gen, rules)}
        record.with_suffix(".bak").rename(record)
    assert sorted(keyed) == sorted(recorded) and not set(keyed.values()) & set(hashed.values())
    first = validate_corpus(store=base / "store", jobs=1, cache_dir=tmp_path / "cache")
    again = validate_corpus(store=base / "store", jobs=1, cache_dir=tmp_path / "cache")
    assert again.cached == len(recorded) and [r.results for r in again.reports] == [
        r.results for r in first.reports
    ]


def test_store_graphs_are_read_from_the_files_they_were_loaded_from(corpus, tmp_path, monkeypatch):
    """A store's report graph whose graph file is still the one it was loaded from is read from
    that file, byte for byte as the store gives it; a changed or missing file, or a record
    without the graph folder, gives the store's own graph."""
    from fazhi_kg.corpus import store as store_module
    from fazhi_kg.corpus.generations import open_generation
    from fazhi_kg.corpus.store import recorded_file, recorded_ntriples, report_ntriples
    from fazhi_kg.corpus.validate import _check, _items_from_store, _rules_key, validate_corpus
    from fazhi_kg.validate import Result

    with open_generation(corpus / "store") as gen:
        assert gen.record["graph_folder"] == str((corpus / "out").resolve())
        rids = sorted(gen.record["graphs"])
        stored = {rid: report_ntriples(gen.store, rid) for rid in rids}
        for rid in rids:
            source = recorded_file(gen.record, rid)
            assert source == (corpus / "out" / f"{rid}.ttl", gen.record["graphs"][rid])
            assert recorded_ntriples(gen.store, rid, source) == stored[rid]
        rid = rids[0]
        changed = tmp_path / f"{rid}.ttl"
        original = (corpus / "out" / f"{rid}.ttl").read_bytes()
        changed.write_bytes(original.replace(b'"@zh', b'"@en', 1))
        assert changed.read_bytes() != original
        sha = gen.record["graphs"][rid]
        read = []
        monkeypatch.setattr(
            store_module, "report_ntriples", lambda s, r: read.append(r) or stored[r]
        )
        assert recorded_ntriples(gen.store, rid, (changed, sha)) == stored[rid]
        assert recorded_ntriples(gen.store, rid, (tmp_path / "gone.ttl", sha)) == stored[rid]
        assert recorded_ntriples(gen.store, rid, None) == stored[rid]
        assert read == [rid, rid, rid]
        assert recorded_file({"graphs": gen.record["graphs"]}, rid) is None

    def no_store_reads(store, rid):
        raise AssertionError(f"{rid} was read from the store")

    monkeypatch.setattr(store_module, "report_ntriples", no_store_reads)
    checked = validate_corpus(store=corpus / "store", jobs=1, use_cache=False)
    monkeypatch.setattr(store_module, "report_ntriples", lambda s, r: stored[r])
    with open_generation(corpus / "store") as gen:
        items = _items_from_store(gen, _rules_key("fast"))
        by_store = [_check(replace(i, source=None), "fast") for i in items]
    assert [r.name for r in checked.reports] == rids
    assert [(r.conforms, r.results) for r in checked.reports] == [
        (d["conforms"], tuple(Result(**x) for x in d["results"])) for d in by_store
    ]
    assert not all(d["conforms"] for d in by_store)  # one report is faulty: results to compare


def test_a_data_graph_with_classes_of_its_own_is_checked_against_them(faulty):
    """The compiled checks look up each class's subclasses in the ontology once; a data graph
    that declares subclasses of its own is checked with the full `rdfs:subClassOf*` path, and
    gives pySHACL's verdicts."""
    data = Graph() + faulty
    mine = URIRef("http://example.org/MyAward")
    data.add((mine, RDFS.subClassOf, URIRef(iris.FZ_NS + "Award")))
    data.add((URIRef("http://example.org/a1"), RDF.type, mine))
    fast, reference = validate_graph(data), validate_graph(data, engine="pyshacl")
    assert "http://example.org/a1" in {str(r.focus) for r in fast.results}
    assert _key(fast) == _key(reference)

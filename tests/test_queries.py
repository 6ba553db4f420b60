"""Every stored query is a test case: golden answers on the embedded report, and the same rows
from rdflib's engine as from Oxigraph (results must not depend on the engine).

Regenerate goldens after a deliberate change with `FAZHI_REGEN=1 python -m pytest tests/test_queries.py`
and review the diff.
"""

from __future__ import annotations

import gzip
import os
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import ROOT

from fazhi_kg.query.catalogue import Term, bind, catalogue
from fazhi_kg.query.engine import run
from fazhi_kg.query.render import Format, select
from fazhi_kg.query.store import add_graphs, open_store

GOLDEN = ROOT / "tests" / "data" / "queries"
QUERIES = list(catalogue().values())
GRAPHS = sorted((ROOT / "graph").glob("*.ttl"))
# Questions whose honest answer on the embedded report is "none" (every problem is answered).
MAY_BE_EMPTY = {"unaddressed-problems", "missing-parts", "shared-mechanisms", "recurring-problems"}
NUMERIC = {
    f"http://www.w3.org/2001/XMLSchema#{t}" for t in ("integer", "decimal", "double", "float")
}


def _examples(query):
    return {p.name: p.example for p in query.params if p.required and p.example is not None}


@pytest.fixture(scope="module")
def store():
    """The embedded report's graph with the divisions graph beside it, as a corpus store has
    it: no query's answer about the reports may change for it."""
    db = open_store(GRAPHS)
    add_graphs(db, ["divisions"])
    return db


@pytest.mark.parametrize("query", QUERIES, ids=[q.name for q in QUERIES])
def test_golden_answer_on_the_embedded_report(store, query):
    answer = run(store, query.text, bindings=bind(query, _examples(query)))
    text = select(answer, Format.CSV, hidden=[p.name for p in query.params])
    golden = GOLDEN / f"{query.name}.csv"
    if os.environ.get("FAZHI_REGEN"):
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_bytes(text.encode("utf-8"))
    assert golden.exists(), f"no golden answer for {query.name}; see the module docstring"
    assert text == golden.read_bytes().decode("utf-8")
    if query.name not in MAY_BE_EMPTY:
        assert answer.rows, f"{query.name} answers nothing on the embedded report"


def _rdflib_dataset():
    from rdflib import Dataset, URIRef

    ds = Dataset(default_union=True)
    for path in GRAPHS:
        ds.graph(URIRef(f"https://w3id.org/fazhi/id/{path.stem}/graph")).parse(
            path, format="turtle"
        )
    onto = ds.graph(URIRef("https://w3id.org/fazhi/ontology"))
    for name in ("fazhi.ttl", "vocab.ttl"):
        onto.parse(ROOT / "ontology" / name, format="turtle")
    divisions = ds.graph(URIRef("https://w3id.org/fazhi/divisions"))
    with gzip.open(ROOT / "src" / "fazhi_kg" / "data" / "divisions.nt.gz") as f:
        divisions.parse(data=f.read(), format="nt")
    return ds


def _rdflib_term(term: Term):
    from rdflib import Literal, URIRef

    if term.kind == "iri":
        return URIRef(term.value)
    return Literal(term.value, datatype=URIRef(term.datatype) if term.datatype else None)


def _key_ox(t) -> tuple[str, str, str] | None:
    if t is None:
        return None
    kind = type(t).__name__
    if kind == "Literal":
        dt = t.datatype.value
        value = format(Decimal(t.value).normalize(), "f") if dt in NUMERIC else t.value
        return ("literal", value, t.language or ("" if dt in NUMERIC else dt))
    return ("iri" if kind == "NamedNode" else "bnode", t.value, "")


def _key_rdflib(t) -> tuple[str, str, str] | None:
    from rdflib import BNode, Literal

    if t is None:
        return None
    if isinstance(t, Literal):
        dt = str(t.datatype) if t.datatype else "http://www.w3.org/2001/XMLSchema#string"
        value = format(Decimal(str(t)).normalize(), "f") if dt in NUMERIC else str(t)
        return ("literal", value, t.language or ("" if dt in NUMERIC else dt))
    return ("bnode" if isinstance(t, BNode) else "iri", str(t), "")


@pytest.fixture(scope="module")
def dataset():
    return _rdflib_dataset()


@pytest.mark.parametrize("query", QUERIES, ids=[q.name for q in QUERIES])
def test_rdflib_and_oxigraph_give_the_same_rows(store, dataset, query):
    bindings = bind(query, _examples(query))
    ox_answer = run(store, query.text, bindings=bindings)
    ox_rows = [tuple(_key_ox(t) for t in row) for row in ox_answer.rows]
    result = dataset.query(
        query.text, initBindings={k: _rdflib_term(v) for k, v in bindings.items()}
    )
    names = [str(v) for v in result.vars]
    assert names == list(ox_answer.variables)
    rd_rows = [tuple(_key_rdflib(row[i]) for i in range(len(names))) for row in result]
    assert rd_rows == ox_rows


def test_golden_files_match_the_catalogue():
    names = {p.stem for p in Path(GOLDEN).glob("*.csv")}
    assert names == {q.name for q in QUERIES}


def test_unaddressed_problems_finds_the_problem_no_plan_answers(tmp_path):
    from fazhi_kg.corpus.build import build_report, write_built

    built = build_report(ROOT / "tests" / "data" / "reports" / "unanswered-problem-2023.txt")
    path = write_built(built, tmp_path)
    query = catalogue()["unaddressed-problems"]
    answer = run(open_store([path]), query.text, bindings=bind(query, {}))
    text = select(answer, Format.CSV)
    assert len(answer.rows) == 1 and "普法宣传覆盖不平衡" in text


def test_codes_written_into_queries_are_the_vocabularys_notations():
    """Where a query writes a concept's code itself (an inline VALUES table, an IF), it is the
    concept's skos:notation in ontology/vocab.ttl: a changed notation fails here, not silently."""
    import re

    from rdflib import Graph, Namespace
    from rdflib.namespace import SKOS

    fz = Namespace("https://w3id.org/fazhi/ontology#")
    vocab = Graph().parse(ROOT / "ontology" / "vocab.ttl", format="turtle")
    pairs = []
    for query in catalogue().values():
        pairs += re.findall(r'\(fz:(\w+) "([^"]*)"\)', query.text)
        pairs += re.findall(r'IF\(\?\w+ = fz:(\w+), "([^"]*)"', query.text)
    assert len(pairs) >= 4
    for name, code in pairs:
        assert str(vocab.value(fz[name], SKOS.notation)) == code, name

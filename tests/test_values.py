"""The value index of a corpus store (`fazhi_kg.corpus.values`) and the stored queries it narrows
(`narrow` in a query's header): the index holds exactly the store's values, follows every rebuild
whether counted anew or kept in step, and a narrowed query, whole or a page, gives the rows of
the query run without it."""

from __future__ import annotations

from collections import Counter

import pytest
from conftest import EMBEDDED, GENRE, ROOT, answer_rows, copy_reports

from fazhi_kg.corpus import values
from fazhi_kg.corpus.batch import build_corpus
from fazhi_kg.corpus.generations import open_generation
from fazhi_kg.errors import UsageError
from fazhi_kg.query import pages
from fazhi_kg.query.catalogue import bind, catalogue, load_query
from fazhi_kg.query.engine import run
from fazhi_kg.query.store import open_store

CORPUS = ROOT / "tests" / "data" / "corpus"
NARROWED = sorted(n for n, q in catalogue().items() if q.narrow is not None)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """A store of the small corpus, the genre reports and the embedded report."""
    base = tmp_path_factory.mktemp("values")
    copy_reports([*CORPUS.glob("*.txt"), *GENRE.glob("*.*"), EMBEDDED], base / "reports")
    build_corpus([base / "reports"], base / "out", store=base / "store", jobs=2)
    return open_store(store_dir=base / "store"), base / "store"


def _index(store_dir) -> Counter:
    with open_generation(store_dir) as gen:
        counts = values._read(gen.path / values.FILE)
    assert counts is not None
    return counts


def _truth(store_dir) -> Counter:
    """The counts of the store's values, one quad at a time."""
    with open_generation(store_dir) as gen:
        store = gen.store
        found: Counter = Counter()
        for p in values.indexed_predicates():
            import pyoxigraph as ox

            for quad in store.quads_for_pattern(None, ox.NamedNode(p), None, None):
                value = quad.object
                if isinstance(value, ox.Literal) and quad.graph_name != ox.DefaultGraph():
                    lang = value.language or ""
                    dt = "" if lang else value.datatype.value
                    found[(p, lang, dt, value.value)] += 1
        return found


def test_the_narrowed_queries_search_labels_and_measured_objects():
    assert NARROWED == ["compare-indicators", "entity"]
    assert values.indexed_predicates() == [
        "http://www.w3.org/2000/01/rdf-schema#label",
        "https://w3id.org/fazhi/ontology#measures",
    ]
    entity = catalogue()["entity"].narrow
    assert entity is not None and entity.subjects and entity.paged and entity.variable == "entity"


def test_the_index_holds_each_value_with_the_number_of_its_quads(corpus):
    _, store_dir = corpus
    counts = _index(store_dir)
    assert counts == _truth(store_dir)
    assert len(counts) > 100 and sum(counts.values()) > len(counts)  # names repeat


def _narrowed_and_whole(store, name, word, limit):
    query = catalogue()[name]
    bindings = bind(query, {query.narrow.parameter: word})
    plain = run(store, query.text, bindings=bindings, limit=limit)
    keyed = run(store, query.text, bindings=bindings, limit=limit, narrow=query.narrow)
    return plain, keyed


def _words(store, name):
    """Words to look for: a whole value that is there, a part of values, and nothing."""
    common = _most_common(store, catalogue()[name].narrow.predicate)
    return [common, common[1:3], "率", "no such words in any report"]


def _most_common(store, predicate):
    """The value of `predicate` (of more than three characters) in most quads."""
    counts: Counter = Counter()
    for (p, _, _, lexical), n in values._read(pages._record(store).values / values.FILE).items():
        if p == predicate and len(lexical) > 3:
            counts[lexical] += n
    return max(sorted(counts), key=lambda v: counts[v])


@pytest.mark.parametrize("name", NARROWED)
def test_a_narrowed_query_gives_the_rows_of_the_whole_query(corpus, name, monkeypatch):
    store, _ = corpus
    monkeypatch.setattr(pages, "PAGE_KEYS", 3)  # key by key, then the rest at once
    for word in _words(store, name):
        plain, keyed = _narrowed_and_whole(store, name, word, None)
        assert answer_rows(keyed) == answer_rows(plain), (name, word)
        for limit in (1, 5, 40):
            plain, keyed = _narrowed_and_whole(store, name, word, limit)
            assert answer_rows(keyed) == answer_rows(plain), (name, word, limit)
            assert (keyed.more or keyed.truncated > 0) == (plain.truncated > 0)
    assert any(
        len(answer_rows(_narrowed_and_whole(store, name, w, None)[0])) > 5
        for w in _words(store, name)
    )


def test_a_page_of_a_paged_query_reads_only_the_first_keys(corpus, monkeypatch):
    """entity's rows come ordered by the entity: a page evaluates the query on the first few
    entities that bear the name, not on all of them."""
    store, _ = corpus
    given: list[str] = []
    evaluate = pages.evaluate

    def spy(store, text, subs, graphs):
        key = subs.get(pages.ox.Variable("entity"))
        given.append("VALUES" if key is None else key.value)
        return evaluate(store, text, subs, graphs)

    monkeypatch.setattr(pages, "evaluate", spy)
    name = _most_common(store, "http://www.w3.org/2000/01/rdf-schema#label")
    query = catalogue()["entity"]
    page = run(
        store, query.text, bindings=bind(query, {"label": name}), limit=3, narrow=query.narrow
    )
    assert page.more and len(page.rows) == 3
    entities = sorted({row[0].value for row in page.rows})
    bearing = values.containing(pages._record(store).values, query.narrow.predicate, name)
    keys = sorted(
        {q.subject.value for b in bearing for q in store.quads_for_pattern(None, None, b)}
    )
    # the first entities alone, one by one in their order, up to the last one on the page
    assert given == keys[: len(given)] and given[-1] == entities[-1]
    assert set(entities) <= set(given) and len(given) < len(keys) / 2


def test_the_index_follows_every_rebuild_counted_anew_or_kept_in_step(tmp_path, monkeypatch):
    """A report that leaves, comes back or changes changes the index, whether the build counts
    the whole store or keeps the last index in step with the changed reports."""
    src = tmp_path / "reports"
    copy_reports(sorted(CORPUS.glob("huaipu-*.txt")), src)
    store_dir = tmp_path / "store"
    for share in (0.0, 1.0):  # the whole store; the changed reports alone
        monkeypatch.setattr(values, "REFRESH_SHARE", share)
        build_corpus([src], tmp_path / "out", store=store_dir, jobs=1)
        first = _index(store_dir)
        assert first == _truth(store_dir)
        moved = sorted(src.iterdir())[0]
        hidden = tmp_path / moved.name
        moved.rename(hidden)  # a report leaves
        build_corpus([src], tmp_path / "out", store=store_dir, jobs=1)
        assert _index(store_dir) == _truth(store_dir) != first
        changed = sorted(src.iterdir())[0]
        changed.write_text(changed.read_text(encoding="utf-8") + "\n建立府院联动机制。\n", "utf-8")
        build_corpus([src], tmp_path / "out", store=store_dir, jobs=1)
        assert _index(store_dir) == _truth(store_dir)
        hidden.rename(moved)  # and comes back
        build_corpus([src], tmp_path / "out", store=store_dir, jobs=1)
        assert _index(store_dir) == _truth(store_dir)


def test_a_store_built_before_its_index_gains_one_on_the_next_build(tmp_path):
    """A store whose record has no value index is queried without one, and the next build
    makes one though no report changed."""
    import json

    src = tmp_path / "reports"
    copy_reports(sorted(CORPUS.glob("huaipu-*.txt"))[:2], src)
    store_dir = tmp_path / "store"
    build_corpus([src], tmp_path / "out", store=store_dir, jobs=1)
    with open_generation(store_dir) as gen:
        record = gen.record
        del record["values"]
        (gen.path / "fazhi-generation.json").write_text(json.dumps(record), "utf-8")
        (gen.path / values.FILE).unlink()
        name = gen.name
    store = open_store(store_dir=store_dir)
    query = catalogue()["entity"]
    bindings = bind(query, {"label": "府院联动"})
    assert pages.by_key(store, query.text, {}, query.narrow, limit=5, reports=None) is None
    assert run(store, query.text, bindings=bindings, narrow=query.narrow).variables
    build_corpus([src], tmp_path / "out", store=store_dir, jobs=1)
    with open_generation(store_dir) as gen:
        assert gen.name != name and "values" in gen.record
    assert _index(store_dir) == _truth(store_dir)


@pytest.mark.parametrize(
    "narrow",
    [
        "narrow:\n#+   parameter: nope\n#+   predicate: rdfs:label\n#+   values: name",
        "narrow:\n#+   parameter: word\n#+   predicate: ex:label\n#+   values: name",
        "narrow:\n#+   parameter: word\n#+   predicate: rdfs:label\n#+   values: other",
        "narrow:\n#+   parameter: word\n#+   predicate: rdfs:label",
        "narrow: rdfs:label",
    ],
)
def test_a_narrow_header_that_does_not_fit_is_refused(tmp_path, narrow):
    path = tmp_path / "q.rq"
    path.write_text(
        "#+ params:\n#+   - name: word\n#+     type: string\n#+ " + narrow + "\n"
        "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
        "SELECT ?name WHERE { ?s rdfs:label ?name FILTER(CONTAINS(?name, ?word)) }\n"
        "ORDER BY ?name\n",
        encoding="utf-8",
    )
    with pytest.raises(UsageError, match=r"narrow header of q\.rq does not fit"):
        load_query(path)
    path.write_text(
        path.read_text().replace(
            narrow, "narrow:\n#+   parameter: word\n#+   predicate: rdfs:label\n#+   values: name"
        )
    )
    assert load_query(path).narrow is not None

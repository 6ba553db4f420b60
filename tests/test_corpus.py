"""Corpus scale: many reports built in parallel and incrementally into graph files and an on-disk
store, cross-report stored queries on a small corpus, and validation per report with a cache."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import ROOT

from fazhi_kg.corpus.batch import MANIFEST, build_corpus, corpus_sources
from fazhi_kg.corpus.validate import validate_corpus
from fazhi_kg.errors import InputError, UsageError
from fazhi_kg.iris import DIVISIONS_GRAPH, ONTOLOGY_GRAPH, graph_iri
from fazhi_kg.query.catalogue import bind, catalogue
from fazhi_kg.query.engine import run
from fazhi_kg.query.render import Format, select
from fazhi_kg.query.store import open_store

CORPUS = ROOT / "tests" / "data" / "corpus"
ANSWERS = ROOT / "tests" / "data" / "corpus-answers"
RIDS = [
    "zhejiang-quzhou-kecheng-2021",
    "zhejiang-quzhou-kecheng-2022",
    "zhejiang-quzhou-kecheng-2023",
    "zhejiang-quzhou-longyou-2022",
    "zhejiang-quzhou-longyou-2023",
]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The test corpus built once, in two worker processes, into files and a store."""
    base = tmp_path_factory.mktemp("corpus")
    result = build_corpus([CORPUS], base / "out", store=base / "store", jobs=2)
    return result, base / "out", base / "store"


def _store_quads(store_dir: Path) -> dict[str, int]:
    store = open_store(store_dir=store_dir)
    counts: dict[str, int] = {}
    for q in store:
        counts[q.graph_name.value] = counts.get(q.graph_name.value, 0) + 1
    return counts


def test_every_report_is_built_into_a_file_and_its_named_graph(built):
    result, out, store_dir = built
    assert [o.status for o in result.outcomes] == ["built"] * 5
    assert sorted(o.rid for o in result.outcomes) == RIDS
    assert sorted(p.stem for p in out.glob("*.ttl")) == RIDS
    counts = _store_quads(store_dir)
    assert set(counts) == {graph_iri(r) for r in RIDS} | {ONTOLOGY_GRAPH, DIVISIONS_GRAPH}
    for o in result.outcomes:
        assert counts[graph_iri(o.rid)] == o.triples > 500
    manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    assert {e["rid"] for e in manifest["reports"].values()} == set(RIDS)


def test_files_hold_the_graph_build_report_makes(built):
    """The very graph of the RDF mapping, in the very bytes `fazhi build` writes."""
    from rdflib import Graph
    from rdflib.compare import isomorphic

    from fazhi_kg.corpus.build import build_report
    from fazhi_kg.extract import extract
    from fazhi_kg.rdf.mapping import facts_to_graph
    from fazhi_kg.text.read import read_report

    _, out, _ = built
    path = out / "zhejiang-quzhou-longyou-2022.ttl"
    src = read_report(CORPUS / "luting-2022.txt")
    assert isomorphic(
        Graph().parse(path, format="turtle"), facts_to_graph(extract(src), src.original)
    )
    assert path.read_bytes() == build_report(CORPUS / "luting-2022.txt").turtle


def test_the_store_loads_in_batches_as_one_load_would(built, tmp_path, monkeypatch):
    """Loads of a few hundred quads each (one report per load) give the same store."""
    import fazhi_kg.corpus.loader as loader

    monkeypatch.setattr(loader, "BATCH_QUADS", 300)
    _, _, one_load = built
    build_corpus([CORPUS], tmp_path / "out", store=tmp_path / "store", jobs=2)

    def reports(store_dir: Path) -> set[object]:  # the ontology's blank nodes differ per load
        return {
            q
            for q in open_store(store_dir=store_dir)
            if q.graph_name.value not in (ONTOLOGY_GRAPH, DIVISIONS_GRAPH)
        }

    assert reports(tmp_path / "store") == reports(one_load)
    assert len(reports(one_load)) == sum(o.triples for o in built[0].outcomes)


def test_small_rebuilds_leave_compaction_until_enough_graphs_changed(tmp_path, monkeypatch):
    """A rebuild that changes a few report graphs does not compact the whole store (which costs
    the corpus, not the change): the loads and drops add up in the generation's record until
    they reach OPTIMIZE_SHARE of its graphs, and the store answers the same either way."""
    import fazhi_kg.corpus.loader as loader
    from fazhi_kg.corpus.generations import open_generation

    monkeypatch.setattr(loader, "OPTIMIZE_SHARE", 1.0)  # compact after 5 loads or drops
    reports = tmp_path / "reports"
    shutil.copytree(CORPUS, reports)
    out, store = tmp_path / "out", tmp_path / "store"

    def touched() -> int:
        with open_generation(store) as gen:
            return int(gen.record["touched"])

    build_corpus([reports], out, store=store, jobs=1)
    assert touched() == 0  # a new store is compacted
    seen = []
    for name in ("huaipu-2021.txt", "luting-2022.txt", "huaipu-2021.txt"):
        path = reports / name
        path.write_text(path.read_text(encoding="utf-8") + "\n本报告完。\n", encoding="utf-8")
        build_corpus([reports], out, store=store, jobs=1)
        seen.append(touched())
    assert seen == [2, 4, 0]  # a drop and a load each; the third reaches 5 and compacts
    fresh = tmp_path / "fresh"
    build_corpus([reports], tmp_path / "out2", store=fresh, jobs=1)
    assert _store_quads(store) == _store_quads(fresh)


def test_an_interrupted_build_stops_the_store_loader_and_keeps_the_store(tmp_path, monkeypatch):
    """A failure while reports are still being built (here: in the main loop, after the first
    one) abandons the store load at once: no hang, and the store opens again as it was."""
    from fazhi_kg.corpus.manifest import Ledger

    out, store = tmp_path / "out", tmp_path / "store"
    build_corpus([CORPUS / "huaipu-2021.txt"], out, store=store, jobs=1)
    before = _store_quads(store)
    accept = Ledger.accept
    seen = []

    def failing(self, d, sync):
        seen.append(d)
        if len(seen) == 2:
            raise KeyboardInterrupt
        return accept(self, d, sync)

    monkeypatch.setattr(Ledger, "accept", failing)
    with pytest.raises(KeyboardInterrupt):
        build_corpus([CORPUS], out, store=store, jobs=1)
    assert (
        _store_quads(store)[graph_iri("zhejiang-quzhou-kecheng-2021")]
        == before[graph_iri("zhejiang-quzhou-kecheng-2021")]
    )
    assert not (out / ".staging").exists()
    monkeypatch.undo()
    again = build_corpus([CORPUS], out, store=store, jobs=1)
    assert set(_store_quads(store)) == {graph_iri(r) for r in RIDS} | {
        ONTOLOGY_GRAPH,
        DIVISIONS_GRAPH,
    }
    assert len(again.failed) == 0


def test_a_second_build_reuses_everything_and_writes_the_same_bytes(built, tmp_path):
    _, out, _ = built
    before = {p.name: p.read_bytes() for p in out.glob("*.ttl")}
    again = build_corpus([CORPUS], out, jobs=1)
    assert [o.status for o in again.outcomes] == ["unchanged"] * 5
    assert {p.name: p.read_bytes() for p in out.glob("*.ttl")} == before
    fresh = build_corpus([CORPUS], tmp_path / "fresh", jobs=1)  # another folder, same bytes
    assert {o.rid for o in fresh.built} == set(RIDS)
    assert {p.name: p.read_bytes() for p in (tmp_path / "fresh").glob("*.ttl")} == before


def test_only_a_changed_report_is_rebuilt_and_its_graph_replaced(tmp_path):
    src = tmp_path / "src"
    shutil.copytree(CORPUS, src)
    out, store = tmp_path / "out", tmp_path / "store"
    build_corpus([src], out, store=store, jobs=1)
    text = (src / "luting-2023.txt").read_text(encoding="utf-8")
    (src / "luting-2023.txt").write_text(
        text.replace("县政府常务会议全年会前学法16次", "县政府常务会议全年会前学法17次"),
        encoding="utf-8",
    )
    result = build_corpus([src], out, store=store, jobs=1)
    assert [(o.rid, o.status) for o in result.built] == [("zhejiang-quzhou-longyou-2023", "built")]
    assert len(result.unchanged) == 4
    values = (
        "SELECT ?v WHERE { GRAPH <https://w3id.org/fazhi/id/zhejiang-quzhou-longyou-2023/graph> {"
        " ?i <https://w3id.org/fazhi/ontology#measures> ?m ;"
        ' <https://w3id.org/fazhi/ontology#value> ?v FILTER(CONTAINS(?m, "会前学法")) } }'
    )
    assert [r[0].value for r in run(open_store(store_dir=store), values).rows] == ["17"]
    counts = _store_quads(store)
    assert counts[graph_iri("zhejiang-quzhou-longyou-2023")] == result.built[0].triples


def test_a_failing_report_is_named_while_the_others_build(tmp_path):
    src = tmp_path / "src"
    shutil.copytree(CORPUS, src)
    (src / "notes.txt").write_text("", encoding="utf-8")
    result = build_corpus([src], tmp_path / "out", jobs=2)
    assert len(result.built) == 5
    (failed,) = result.failed
    assert failed.source.name == "notes.txt"
    assert failed.error == f"{failed.source} is empty; give a report text or an HTML page."


def test_two_new_reports_with_one_id_both_fail(tmp_path):
    src = tmp_path / "src"
    shutil.copytree(CORPUS, src)
    text = (src / "huaipu-2021.txt").read_text(encoding="utf-8")
    (src / "huaipu-2021-copy.txt").write_text(text + "\n（另存）\n", encoding="utf-8")
    out, store = tmp_path / "out", tmp_path / "store"
    result = build_corpus([src], out, store=store, jobs=1)
    failed = {o.source.name: o.error for o in result.failed}
    assert failed == {
        "huaipu-2021-copy.txt": f"{src / 'huaipu-2021-copy.txt'} has the report id "
        f"zhejiang-quzhou-kecheng-2021, like {src / 'huaipu-2021.txt'}; leave one of them out or "
        "build it on its own with `fazhi build FILE --id ID`.",
        "huaipu-2021.txt": f"{src / 'huaipu-2021.txt'} has the report id "
        f"zhejiang-quzhou-kecheng-2021, like {src / 'huaipu-2021-copy.txt'}; leave one of them "
        "out or build it on its own with `fazhi build FILE --id ID`.",
    }
    assert not (out / "zhejiang-quzhou-kecheng-2021.ttl").exists()
    assert graph_iri("zhejiang-quzhou-kecheng-2021") not in _store_quads(store)
    assert graph_iri("zhejiang-quzhou-kecheng-2022") in _store_quads(store)


def test_many_reports_with_one_id_name_one_other_each(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    text = (CORPUS / "huaipu-2021.txt").read_text(encoding="utf-8")
    for i in range(4):
        (src / f"v{i}.txt").write_text(text + "\n" * (i + 1), encoding="utf-8")
    result = build_corpus([src], tmp_path / "out", jobs=1)
    assert len(result.failed) == 4
    assert result.failed[0].error == (
        f"{src / 'v0.txt'} has the report id zhejiang-quzhou-kecheng-2021, like "
        f"{src / 'v1.txt'} and 2 other files; leave one of them out or build it on its own "
        "with `fazhi build FILE --id ID`."
    )


def test_the_same_text_twice_builds_once_and_names_the_duplicates(tmp_path):
    src = tmp_path / "src"
    shutil.copytree(CORPUS, src)
    for name in ("a-copy.txt", "z-copy.txt"):
        shutil.copy(src / "huaipu-2021.txt", src / name)
    out, store = tmp_path / "out", tmp_path / "store"
    result = build_corpus([src], out, store=store, jobs=2)
    assert not result.failed and len(result.built) == 5
    assert [(o.source.name, o.same_as) for o in result.duplicates] == [
        ("huaipu-2021.txt", src / "a-copy.txt"),
        ("z-copy.txt", src / "a-copy.txt"),
    ]
    assert sorted(p.stem for p in out.glob("*.ttl")) == RIDS
    again = build_corpus([src], out, store=store, jobs=1)
    assert len(again.unchanged) == 5 and len(again.duplicates) == 2 and not again.switched


def test_a_report_whose_source_is_gone_leaves_the_corpus_and_the_store(tmp_path):
    src = tmp_path / "src"
    shutil.copytree(CORPUS, src)
    out, store = tmp_path / "out", tmp_path / "store"
    build_corpus([src], out, store=store, jobs=1)
    (src / "huaipu-2022.txt").unlink()
    result = build_corpus([src], out, store=store, jobs=1)
    assert result.removed == ("zhejiang-quzhou-kecheng-2022",)
    assert not (out / "zhejiang-quzhou-kecheng-2022.ttl").exists()
    assert graph_iri("zhejiang-quzhou-kecheng-2022") not in _store_quads(store)


def test_inputs_name_files_and_folders():
    files = corpus_sources([CORPUS, CORPUS / "luting-2022.txt"])
    assert [p.name for p in files] == sorted(p.name for p in CORPUS.glob("*.txt"))
    with pytest.raises(InputError, match=r"nowhere\.txt does not exist; check the path\."):
        corpus_sources([CORPUS / "nowhere.txt"])


def test_the_store_opens_read_only_for_queries(built, tmp_path):
    _, _, store_dir = built
    with pytest.raises(InputError) as err:
        open_store(store_dir=tmp_path)
    assert str(err.value) == (
        f"{tmp_path} is not a fazhi store; build one with `fazhi build REPORTS --store {tmp_path}`."
    )
    with pytest.raises(UsageError, match=r"Give either --graph files or --store, not both\."):
        open_store([CORPUS / "x.ttl"], store_dir=store_dir)


ANSWER_FILES = sorted(ANSWERS.glob("*.csv"))


@pytest.mark.parametrize("answer", ANSWER_FILES, ids=[p.stem for p in ANSWER_FILES])
def test_cross_report_queries_on_the_small_corpus(built, answer):
    _, _, store_dir = built
    query = catalogue()[answer.stem]
    result = run(open_store(store_dir=store_dir), query.text, bindings=bind(query, {}))
    text = select(result, Format.CSV, hidden=[p.name for p in query.params])
    assert text == answer.read_bytes().decode("utf-8")
    assert result.rows


def test_query_parameters_narrow_cross_report_answers(built):
    _, _, store_dir = built
    store = open_store(store_dir=store_dir)
    query = catalogue()["shared-mechanisms"]
    every = run(store, query.text, bindings=bind(query, {})).rows
    narrowed = run(store, query.text, bindings=bind(query, {"min_reports": "4"})).rows
    assert 0 < len(narrowed) < len(every)
    assert all(int(row[2].value) >= 4 for row in narrowed)
    assert not run(store, query.text, bindings=bind(query, {"min_reports": "6"})).rows
    query = catalogue()["recurring-problems"]
    assert not run(store, query.text, bindings=bind(query, {"min_years": "3"})).rows


def test_validation_per_report_from_store_and_files_agrees_and_is_cached(built, tmp_path):
    _, out, store_dir = built
    cache = tmp_path / "cache"
    from_store = validate_corpus(store=store_dir, jobs=2, cache_dir=cache)
    assert [r.name for r in from_store.reports] == RIDS
    assert [r.conforms for r in from_store.reports] == [True, False, True, True, True]
    (violation,) = [x for x in from_store.reports[1].results if x.severity == "Violation"]
    assert violation.shape.endswith("RequiredPart-problems")
    files = sorted(out.glob("*.ttl"))
    from_files = validate_corpus(files, jobs=1, cache_dir=cache)
    assert [r.results for r in from_files.reports] == [r.results for r in from_store.reports]
    again = validate_corpus(store=store_dir, jobs=2, cache_dir=cache)
    assert again.cached == 5
    assert [r.results for r in again.reports] == [r.results for r in from_store.reports]
    merged = again.merged()
    assert not merged.conforms and merged.count("Violation") == 1


@pytest.mark.parametrize("answer", ANSWER_FILES, ids=[p.stem for p in ANSWER_FILES])
def test_cross_report_queries_give_the_same_rows_in_rdflib(built, answer):
    """Results must not depend on the engine: rdflib's union of the same graphs agrees."""
    from rdflib import Dataset, URIRef
    from test_queries import _key_ox, _key_rdflib, _rdflib_term

    _, out, store_dir = built
    ds = Dataset(default_union=True)
    for path in sorted(out.glob("*.ttl")):
        ds.graph(URIRef(graph_iri(path.stem))).parse(path, format="turtle")
    onto = ds.graph(URIRef(ONTOLOGY_GRAPH))
    for name in ("fazhi.ttl", "vocab.ttl"):
        onto.parse(ROOT / "ontology" / name, format="turtle")
    query = catalogue()[answer.stem]
    bindings = bind(query, {})
    ox_rows = [
        tuple(_key_ox(t) for t in row)
        for row in run(open_store(store_dir=store_dir), query.text, bindings=bindings).rows
    ]
    result = ds.query(query.text, initBindings={k: _rdflib_term(v) for k, v in bindings.items()})
    rd_rows = [tuple(_key_rdflib(row[i]) for i in range(len(result.vars))) for row in result]
    assert rd_rows == ox_rows


def test_corpus_modules_import_nothing_heavy():
    """Importing them defines things: rdflib and pySHACL load only in the steps that need them."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "import fazhi_kg.corpus.batch, fazhi_kg.corpus.validate, fazhi_kg.query.remote\n"
        "import fazhi_kg.corpus.serve, fazhi_kg.corpus.push\n"
        "print(sorted(m for m in ('rdflib', 'pyshacl', 'networkx', 'click') if m in sys.modules))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, check=True)
    assert result.stdout.strip() == b"[]"


@pytest.mark.parametrize("fmt", ["nq", "turtle", "jsonld", "graphml"])
def test_export_from_the_store_writes_what_export_from_the_files_writes(built, fmt):
    from conftest import run_fazhi

    _, out, store = built
    graphs = [arg for f in sorted(out.glob("*.ttl")) for arg in ("--graph", str(f))]
    from_store = run_fazhi("export", "--store", str(store), "--format", fmt)
    from_files = run_fazhi("export", "--format", fmt, *graphs)
    assert from_store.returncode == 0, from_store.stderr
    assert from_store.stdout == from_files.stdout and len(from_store.stdout) > 10_000
    one = run_fazhi("export", "--store", str(store), "--format", fmt, "--report", RIDS[0])
    assert one.returncode == 0 and 0 < len(one.stdout) < len(from_store.stdout)


def test_export_report_patterns_keep_those_report_graphs(built):
    import pyoxigraph as ox
    from conftest import run_fazhi

    _, out, store = built
    files = [arg for f in sorted(out.glob("*.ttl")) for arg in ("--graph", str(f))]
    chosen = ["--report", "*-kecheng-202[23]", "--report", "zhejiang-quzhou-longyou-2023"]
    for source in (["--store", str(store)], files):
        result = run_fazhi("export", "--format", "nq", *source, *chosen)
        assert result.returncode == 0, result.stderr
        names = {q.graph_name.value for q in ox.parse(result.stdout, format=ox.RdfFormat.N_QUADS)}
        assert names == {
            graph_iri(r)
            for r in (
                "zhejiang-quzhou-kecheng-2022",
                "zhejiang-quzhou-kecheng-2023",
                "zhejiang-quzhou-longyou-2023",
            )
        } | {ONTOLOGY_GRAPH}  # the divisions graph is reference data of every store, not exported
        none = run_fazhi("export", "--format", "nq", *source, "--report", "*-2019")
        assert none.returncode == 2 and 'No report "*-2019" in the ' in none.stderr.decode()


def test_export_and_validate_refuse_store_and_files_together_and_unknown_reports(built):
    from conftest import run_fazhi

    _, out, store = built
    graph = str(next(out.glob("*.ttl")))
    for cmd in (["export", "--format", "nt"], ["validate"]):
        both = run_fazhi(
            *cmd,
            "--store",
            str(store),
            "--graph" if cmd[0] == "export" else graph,
            *([graph] if cmd[0] == "export" else []),
        )
        assert both.returncode == 2
        assert both.stderr.decode().strip().endswith("not both.")
    missing = run_fazhi("export", "--format", "nt", "--store", str(store), "--report", "nope")
    assert missing.returncode == 2
    assert missing.stderr.decode().startswith('Error: No report "nope" in the store')


def test_validate_store_checks_each_report_and_caches_the_results(built, tmp_path):
    from conftest import run_fazhi

    _, out, store = built
    env = {"FAZHI_CACHE_DIR": str(tmp_path / "cache")}
    first = run_fazhi("validate", "--store", str(store), "--format", "json", env=env)
    again = run_fazhi("validate", "--store", str(store), "--format", "json", env=env)
    files = run_fazhi("validate", "--format", "json", *map(str, sorted(out.glob("*.ttl"))))
    assert first.returncode == again.returncode == files.returncode
    assert b"validated 5 report graphs (0 from the cache)" in first.stderr
    assert b"validated 5 report graphs (5 from the cache)" in again.stderr

    def key(r: dict[str, str]) -> tuple[str, str, str]:
        return (r["focus"], r["shape"], r["constraint"])

    results = [sorted(json.loads(p.stdout)["results"], key=key) for p in (first, again, files)]
    assert results[0] == results[1] == results[2] and results[0]


def test_validate_store_report_patterns_check_those_reports_alone(built, tmp_path):
    from conftest import run_fazhi

    _, out, store = built
    env = {"FAZHI_CACHE_DIR": str(tmp_path / "cache")}
    some = run_fazhi(
        "validate", "--store", str(store), "--report", "*-kecheng-*", "--format", "json", env=env
    )
    files = run_fazhi("validate", "--format", "json", *map(str, sorted(out.glob("*kecheng*.ttl"))))
    assert b"validated 3 report graphs (0 from the cache)" in some.stderr
    assert some.returncode == files.returncode
    found = [sorted(map(json.dumps, json.loads(p.stdout)["results"])) for p in (some, files)]
    assert found[0] == found[1] and found[0]
    none = run_fazhi("validate", "--store", str(store), "--report", "*-2019", env=env)
    assert none.returncode == 2
    assert none.stderr.decode().startswith('Error: No report "*-2019" in the store ')
    files_too = run_fazhi("validate", "--report", "x", *map(str, sorted(out.glob("*.ttl"))))
    assert (
        files_too.returncode == 2 and b"--report chooses reports of a --store" in files_too.stderr
    )


def test_workers_can_yield_to_the_store_loader():
    import os

    from fazhi_kg.corpus.workers import pool

    mine = os.getpriority(os.PRIO_PROCESS, 0)
    with pool(2, nice=5) as ex:
        theirs = {ex.submit(os.getpriority, os.PRIO_PROCESS, 0).result() for _ in range(4)}
    assert theirs == {min(mine + 5, 19)}
    with pool(2) as ex:
        assert ex.submit(os.getpriority, os.PRIO_PROCESS, 0).result() == mine

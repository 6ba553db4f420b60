"""A build that rebuilds most of a store's reports (a new version of fazhi changes every report's
key) starts the store's next generation empty instead of removing graph after graph, and the
store it makes is the store a first build makes."""

from __future__ import annotations

import shutil

from conftest import ROOT, copy_reports

from fazhi_kg.corpus import batch, loader
from fazhi_kg.corpus.batch import build_corpus
from fazhi_kg.corpus.generations import open_generation

CORPUS = ROOT / "tests" / "data" / "corpus"


def _state(store_dir):
    """The generation's record without its build counters and graph folder, and every quad of
    its store."""
    with open_generation(store_dir) as gen:
        record = {k: v for k, v in gen.record.items() if k not in ("touched", "graph_folder")}
        quads = sorted(str(q) for q in gen.store)
    return record, quads


def test_a_build_that_changes_most_reports_starts_empty(tmp_path, monkeypatch):
    src = tmp_path / "reports"
    copy_reports(sorted(CORPUS.glob("*.txt"))[:6], src)
    build_corpus([src], tmp_path / "out", store=tmp_path / "store", jobs=1)
    build_corpus([src], tmp_path / "fresh-out", store=tmp_path / "fresh", jobs=1)
    started: list[bool] = []
    copied: list[bool] = []
    start_empty, begin = loader.NewGeneration.start_empty, loader.StoreLoad.begin

    def empty(new):
        started.append(True)
        start_empty(new)

    def spy(self, keep):
        begin(self, keep)
        copied.append(self.new._store is not None)  # the store was copied and graphs removed

    monkeypatch.setattr(loader.NewGeneration, "start_empty", empty)
    monkeypatch.setattr(loader.StoreLoad, "begin", spy)
    monkeypatch.setattr(batch, "code_key", lambda: "a new version of fazhi")
    build_corpus([src], tmp_path / "out", store=tmp_path / "store", jobs=1)
    assert started == [True] and copied == [False]  # no copy of the store, no graph removed
    assert _state(tmp_path / "store") == _state(tmp_path / "fresh")
    with open_generation(tmp_path / "store") as gen:
        assert gen.record["graph_folder"] == str((tmp_path / "out").resolve())


def test_a_build_that_changes_few_reports_keeps_the_copy(tmp_path, monkeypatch):
    src = tmp_path / "reports"
    copy_reports(sorted(CORPUS.glob("*.txt"))[:4], src)
    build_corpus([src], tmp_path / "out", store=tmp_path / "store", jobs=1)
    changed = sorted(src.iterdir())[0]
    changed.write_text(changed.read_text(encoding="utf-8") + "\n推行行政执法公示制度。\n", "utf-8")
    started: list[bool] = []
    monkeypatch.setattr(
        loader.NewGeneration, "start_empty", lambda new: started.append(True), raising=True
    )
    build_corpus([src], tmp_path / "out", store=tmp_path / "store", jobs=1)
    assert started == []
    shutil.copytree(src, tmp_path / "again")
    build_corpus(
        [tmp_path / "again"], tmp_path / "again-out", store=tmp_path / "again-store", jobs=1
    )
    assert _state(tmp_path / "store")[1] == _state(tmp_path / "again-store")[1]

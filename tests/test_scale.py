"""A corpus of a thousand generated genre reports (bench/genre.py: real divisions and years), built
into a store: what keeps the cost of a report the same at any corpus size. The store takes the
whole build in one bulk load (loads of a few hundred thousand quads made RocksDB merge all it held
after each, so a report cost more the larger the corpus), each N-Quads file is removed once read,
and a rebuild after changing one report loads that one graph and leaves the store uncompacted.
The times are measured by bench/corpus.py, not here."""

from __future__ import annotations

import sys

from conftest import ROOT

import fazhi_kg.corpus.loader as loader
from fazhi_kg.corpus.batch import build_corpus
from fazhi_kg.corpus.generations import open_generation

SIZE = 1000


def test_a_thousand_reports_load_at_once_and_one_changed_report_costs_one(tmp_path, monkeypatch):
    sys.path.insert(0, str(ROOT / "bench"))
    from genre import generate

    reports, out, store = tmp_path / "reports", tmp_path / "out", tmp_path / "store"
    reports.mkdir()
    for name, text in generate(SIZE):
        (reports / name).write_text(text, encoding="utf-8")
    loads: list[loader.StoreLoad] = []
    left: list[int] = []
    finish = loader.StoreLoad.finish

    def spy(self: loader.StoreLoad, *args: object) -> bool:
        made = finish(self, *args)  # type: ignore[arg-type]
        loads.append(self)
        left.append(len(list((out / ".staging").rglob("*.nq"))))
        return made

    monkeypatch.setattr(loader.StoreLoad, "finish", spy)
    first = build_corpus([reports], out, store=store)
    assert len(first.built) == SIZE and not first.failed
    assert loads[-1].loads == 1 and left[-1] == 0  # one load; every N-Quads file read and gone
    with open_generation(store) as gen:
        assert len(gen.record["graphs"]) == SIZE and gen.record["touched"] == 0  # compacted
        assert set(gen.record["divisions"]) == set(gen.record["graphs"])  # each report's division

    path = sorted(reports.iterdir())[0]
    path.write_text(path.read_text(encoding="utf-8") + "\n本报告完。\n", encoding="utf-8")
    again = build_corpus([reports], out, store=store)
    assert len(again.built) == 1 and len(again.unchanged) == SIZE - 1
    assert loads[-1].loads == 1 and len(loads[-1].graphs) == SIZE
    with open_generation(store) as gen:
        assert len(gen.record["graphs"]) == SIZE
        assert gen.record["touched"] == 2  # its graph dropped and loaded; the store not compacted

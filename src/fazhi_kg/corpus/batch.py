"""Build many reports at once: in parallel, incrementally, into graph files and an on-disk store.

`build_corpus` turns report files (or folders of them) into one Turtle file per report under `out/`,
and, with `store=`, keeps an Oxigraph store in step: each report in its named graph
`id/<rid>/graph`, the ontology in `https://w3id.org/fazhi/ontology`. A report whose text, ontology
and code are unchanged since the last build is not rebuilt (`out/manifest.json`,
`fazhi_kg.corpus.manifest`); a report that fails is named with its one-sentence error while the
others still build. Each worker turns a text into a graph with `fazhi_kg.corpus.build.build_report`,
the one way there is.
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fazhi_kg.corpus.manifest import (
    MANIFEST,
    Ledger,
    Outcome,
    Staged,
    code_key,
    file_key,
    load_manifest,
    save_manifest,
)
from fazhi_kg.corpus.store import StoreSync
from fazhi_kg.corpus.workers import pool, run_bounded
from fazhi_kg.errors import FazhiError, InputError

if TYPE_CHECKING:
    from fazhi_kg.facts import Facts

__all__ = ["MANIFEST", "CorpusResult", "Outcome", "build_corpus", "corpus_sources"]

REPORT_SUFFIXES = (".txt", ".text", ".htm", ".html")
FAMILIES = ("indicators", "institutions", "awards", "mechanisms", "cases", "problems", "plans")
Progress = Callable[[int, int, Outcome], None]


@dataclass(frozen=True)
class CorpusResult:
    """The outcome of one `build_corpus` run."""

    outcomes: tuple[Outcome, ...]
    removed: tuple[str, ...]  # report ids dropped because their source file is gone
    manifest: Path
    store: Path | None
    seconds: float
    store_seconds: float = 0.0  # finishing the store after the last build: load tail, optimize

    def of(self, status: str) -> tuple[Outcome, ...]:
        return tuple(o for o in self.outcomes if o.status == status)

    @property
    def built(self) -> tuple[Outcome, ...]:
        return self.of("built")

    @property
    def unchanged(self) -> tuple[Outcome, ...]:
        return self.of("unchanged")

    @property
    def failed(self) -> tuple[Outcome, ...]:
        return self.of("failed")

    @property
    def triples(self) -> int:
        return sum(o.triples for o in self.outcomes if o.status != "failed")


def corpus_sources(inputs: Iterable[str | Path]) -> list[Path]:
    """The report files named by `inputs` (files, or folders searched for .txt/.html files)."""
    found: set[Path] = set()
    for item in inputs:
        p = Path(item)
        if p.is_dir():
            here = [
                f
                for f in p.rglob("*")
                if f.is_file()
                and f.suffix.lower() in REPORT_SUFFIXES
                and not any(part.startswith(".") for part in f.relative_to(p).parts)
            ]
            if not here:
                raise InputError(
                    f"Folder {p} holds no report files (.txt, .html); give report files or another folder."
                )
            found.update(f.resolve() for f in here)
        elif p.is_file():
            found.add(p.resolve())
        else:
            raise InputError(f"Report file {p} does not exist; check the path.")
    return sorted(found)


# ---------------------------------------------------------------------------------------------
# The worker: one report text → Turtle file in a staging folder, and its quads for the store.


@dataclass(frozen=True)
class _Task:
    source: Path
    key: str
    staging: Path
    quads: bool


def _counts(facts: Facts) -> dict[str, int]:
    return {name: len(getattr(facts, name)) for name in FAMILIES}


def _build(task: _Task) -> Staged:
    """Build one report with `build_report`; errors come back as one sentence."""
    try:
        from fazhi_kg.corpus.build import build_report

        built = build_report(task.source)
        # a private staging file, written without its own fsync: the run syncs once at its end
        staged = task.staging / task.key / f"{built.rid}.ttl"
        staged.parent.mkdir(parents=True, exist_ok=True)
        staged.write_bytes(built.turtle)
        nquads = None
        if task.quads:
            nquads = staged.with_suffix(".nq")
            nquads.write_bytes(built.nquads())
        counts = _counts(built.facts)
        return Staged(task.source, task.key, built.rid, staged, built.triples, counts, nquads)
    except FazhiError as exc:
        return Staged(task.source, task.key, error=str(exc))
    except OSError as exc:
        return Staged(
            task.source,
            task.key,
            error=f"Cannot write the graph under {task.staging.parent}: {exc.strerror}; "
            "free disk space or choose another --out folder.",
        )
    except Exception as exc:  # a bug in one report must not stop the others
        return Staged(
            task.source,
            task.key,
            error=f"Internal error: {type(exc).__name__}: {exc}; rerun with --debug and report it.",
        )


# ---------------------------------------------------------------------------------------------


def build_corpus(
    inputs: Sequence[str | Path],
    out: str | Path,
    *,
    store: str | Path | None = None,
    jobs: int | None = None,
    progress: Progress | None = None,
) -> CorpusResult:
    """Build every report of `inputs` (files or folders) into `out/<rid>.ttl`, and into the
    on-disk store `store` when given.

    Incremental: a report whose key (text, ontology, code version) is in `out/manifest.json`
    with its file present is reused. Reports built earlier stay in the corpus while their source
    file exists; those whose source is gone leave it. Reports that share an id fail, except one
    that was already in the corpus. `progress(done, total, outcome)` is called as each finishes.
    """
    started = time.perf_counter()
    out = Path(out)
    sources = corpus_sources(inputs)
    if out.exists() and not out.is_dir():
        raise InputError(f"{out} is a file; give a folder for the graph files with --out.")
    out.mkdir(parents=True, exist_ok=True)
    manifest_path = out / MANIFEST
    manifest = load_manifest(manifest_path)
    old: dict[str, dict[str, Any]] = manifest["reports"]
    code = code_key()
    ledger = Ledger(out)
    todo = _plan(ledger, sources, old, code)
    # before the store opens (see `pool`); with a store, the workers yield to its loader thread,
    # whose bulk load takes more CPU time than the building (bench/corpus.py)
    ex = pool(jobs if len(todo) > 1 else 1, nice=10 if store is not None else 0)
    sync = StoreSync(Path(store), manifest.get("store", {})) if store is not None else None
    tell = _teller(len(sources), progress)
    for s in sources:
        if s in ledger.outcomes:
            tell(ledger.outcomes[s])
    removed: list[str] = []
    try:
        removed = _build_all(ex, ledger, todo, old, sync, tell)
        if sync is not None:
            manifest["store"] = sync.record()
    finally:
        ex.shutdown(cancel_futures=True)
        shutil.rmtree(out / ".staging", ignore_errors=True)
        manifest["reports"] = ledger.current
        manifest["code"] = code
        os.sync()  # the graph files moved in place, once for all, before the manifest names them
        save_manifest(manifest_path, manifest)
        if sync is not None:
            sync.close()
    return CorpusResult(
        outcomes=tuple(ledger.outcomes[s] for s in sources),
        removed=tuple(removed),
        manifest=manifest_path,
        store=Path(store) if store is not None else None,
        seconds=time.perf_counter() - started,
        store_seconds=sync.seconds if sync is not None else 0.0,
    )


def _plan(
    ledger: Ledger, sources: list[Path], old: dict[str, dict[str, Any]], code: str
) -> list[tuple[Path, str]]:
    """Take into `ledger` what stays and what is reused; the (source, key) pairs to build."""
    for name, entry in sorted(old.items()):  # earlier reports stay while their source exists
        if Path(name).is_file() and (ledger.out / entry["file"]).is_file():
            ledger.keep(name, entry)
    by_key = {e["key"]: e for e in old.values()}
    todo: list[tuple[Path, str]] = []
    for s in sources:
        try:
            key = file_key(s, code)
        except OSError as exc:
            ledger.fail(s, f"Cannot read {s}: {exc.strerror}; check its permissions.")
            continue
        same = by_key.get(key)
        if same is not None and (ledger.out / same["file"]).is_file():
            ledger.reuse(s, same)
        else:
            ledger.forget(str(s))
            todo.append((s, key))
    return todo


def _teller(total: int, progress: Progress | None) -> Callable[[Outcome], None]:
    done = 0

    def tell(o: Outcome) -> None:
        nonlocal done
        done += 1
        if progress is not None:
            progress(done, total, o)

    return tell


def _build_all(
    ex: Executor,
    ledger: Ledger,
    todo: list[tuple[Path, str]],
    old: dict[str, dict[str, Any]],
    sync: StoreSync | None,
    tell: Callable[[Outcome], None],
) -> list[str]:
    """Build `todo` on the workers, take each result in, settle clashes, drop the graphs of
    reports whose source is gone, finish the store; the ids removed."""
    out = ledger.out
    if sync is not None:
        sync.begin({e["rid"]: e["key"] for e in ledger.current.values()})
    tasks = [_Task(s, key, out / ".staging", sync is not None) for s, key in todo]
    with ex:
        for d in run_bounded(ex, _build, tasks):
            tell(ledger.accept(d, sync))
    ledger.settle_clashes()
    removed = sorted({e["rid"] for e in old.values()} - ledger.rids())
    for rid in removed:
        (out / f"{rid}.ttl").unlink(missing_ok=True)
    if sync is not None:
        sync.finish({e["rid"]: (e["key"], out / e["file"]) for e in ledger.current.values()})
    return removed

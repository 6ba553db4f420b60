"""Build many reports at once: in parallel, incrementally, into graph files and an on-disk store.

`build_corpus` turns report files (or folders of them) into one Turtle file per report under `out/`,
and, with `store=`, into the next generation of an Oxigraph store (`fazhi_kg.corpus.generations`):
each report in its named graph `id/<rid>/graph`, the ontology in `https://w3id.org/fazhi/ontology`.
A report whose text, ontology and code are unchanged since the last build, and whose graph file
still has the hash it was built with, is not rebuilt (`out/manifest.json`,
`fazhi_kg.corpus.manifest`); the same text twice is built once, the other files named as its
duplicates; a report that fails is named with its one-sentence error while the others still build.
Each worker turns a text into a graph with `fazhi_kg.corpus.build.build_report`, the one way there is.

One build per folder at a time (`fazhi_kg.corpus.lock`). A build stopped at any point, then run
again, leaves the same graph files and the same store as one that was never stopped, and nothing
of the stopped one behind (docs/robustness.md, Crashes).
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import shutil
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fazhi_kg.corpus.lock import exclusive
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
from fazhi_kg.corpus.sources import REPORT_SUFFIXES, corpus_sources, text_sha256
from fazhi_kg.corpus.workers import pool, run_bounded
from fazhi_kg.errors import FazhiError, InputError, shown

if TYPE_CHECKING:
    from fazhi_kg.corpus.loader import StoreLoad
    from fazhi_kg.facts import Facts

__all__ = [
    "MANIFEST",
    "REPORT_SUFFIXES",
    "CorpusResult",
    "Outcome",
    "build_corpus",
    "corpus_sources",
]

FAMILIES = ("indicators", "institutions", "awards", "mechanisms", "cases", "problems", "plans")
STAGING = ".staging"
Progress = Callable[[int, int, Outcome], None]


@dataclass(frozen=True)
class CorpusResult:
    """The outcome of one `build_corpus` run."""

    outcomes: tuple[Outcome, ...]
    removed: tuple[str, ...]  # report ids that left the corpus (their source is gone or failed)
    manifest: Path
    store: Path | None
    seconds: float
    store_seconds: float = 0.0  # finishing the store after the last build: load tail, optimize
    store_phases: dict[str, float] = field(default_factory=dict)  # those seconds by phase
    switched: bool = False  # whether the store has a new generation

    def of(self, status: str) -> tuple[Outcome, ...]:
        return tuple(o for o in self.outcomes if o.status == status)

    @property
    def built(self) -> tuple[Outcome, ...]:
        return self.of("built")

    @property
    def unchanged(self) -> tuple[Outcome, ...]:
        return self.of("unchanged")

    @property
    def duplicates(self) -> tuple[Outcome, ...]:
        return self.of("duplicate")

    @property
    def failed(self) -> tuple[Outcome, ...]:
        return self.of("failed")

    @property
    def triples(self) -> int:
        return sum(o.triples for o in self.outcomes if o.status in ("built", "unchanged"))


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
        sha = hashlib.sha256(built.turtle).hexdigest()
        counts = _counts(built.facts)
        places = built.facts.report.places
        return Staged(
            task.source,
            task.key,
            built.rid,
            staged,
            built.triples,
            counts,
            nquads,
            None,
            sha,
            division=places[-1].code if places else "",
            summary=summary(built.facts),
        )
    except FazhiError as exc:
        return Staged(task.source, task.key, error=str(exc))
    except OSError as exc:  # the staging folder cannot be written: no other report can be
        return Staged(
            task.source, task.key, error=write_error(exc, task.staging.parent), fatal=True
        )
    except Exception as exc:  # a bug in one report must not stop the others
        return Staged(
            task.source,
            task.key,
            error=f"Internal error building {shown(task.source)}: {type(exc).__name__}: {exc}; "
            "rerun with --debug and report it.",
        )


def summary(facts: Facts) -> dict[str, Any]:
    """A report's share of the precomputed answers (`fazhi_kg.corpus.aggregates`): its year and
    its mechanisms' names, each with the local names of the kinds its graph states, joined by
    commas (`SystemKind,ListKind`): a few hundred bytes a report in the manifest."""
    from fazhi_kg.iris import FZ_NS
    from fazhi_kg.rdf.mapping import mechanism_kind

    kinds: dict[str, set[str]] = {}
    for mech in facts.mechanisms:
        found = kinds.setdefault(mech.name, set())
        kind = mechanism_kind(mech.kind)
        if kind is not None:
            found.add(kind.removeprefix(FZ_NS))
    return {
        "year": facts.report.year,
        "mechanisms": {name: ",".join(sorted(kinds[name])) for name in sorted(kinds)},
    }


def write_error(exc: OSError, folder: Path, option: str = "--out") -> str:
    """One sentence for a write that failed in `folder` (the graph folder or the store)."""
    text = str(exc)
    if exc.errno == errno.EFBIG or "File too large" in text:
        return (
            f"Cannot write to {shown(folder)}: a file reached the file-size limit (ulimit -f); "
            f"raise the limit or choose another {option} folder."
        )
    if exc.errno in (errno.ENOSPC, errno.EDQUOT) or "No space left" in text or "quota" in text:
        return (
            f"Cannot write to {shown(folder)}: the disk is full; free some space or choose "
            f"another {option} folder."
        )
    reason = shown(exc.strerror or text)
    return (
        f"Cannot write to {shown(folder)}: {reason}; check its permissions or choose another "
        f"{option} folder."
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
    with its graph file intact is reused. Reports built earlier stay in the corpus while their
    source file exists; those whose source is gone leave it. Files with the same text build once.
    Reports that share an id fail, except one that was already in the corpus. `progress(done,
    total, outcome)` is called as each finishes.
    """
    started = time.perf_counter()
    out = Path(out)
    sources = corpus_sources(inputs)
    _make_folder(out)
    with exclusive(out, what="the graph folder", option="--out"):
        try:
            return _build_locked(sources, out, store, jobs, progress, started)
        except OSError as exc:  # a full disk or a folder taken away while writing
            where = exc.filename if isinstance(exc.filename, str) else None
            in_store = store is not None and (
                where is None or Path(where).is_relative_to(Path(store))
            )
            folder, option = (Path(store), "--store") if in_store and store else (out, "--out")
            raise InputError(write_error(exc, folder, option)) from exc


def _make_folder(out: Path) -> None:
    if out.exists() and not out.is_dir():
        raise InputError(f"{shown(out)} is a file; give a folder for the graph files with --out.")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(write_error(exc, out)) from exc
    manifest = out / MANIFEST
    if manifest.is_dir():
        raise InputError(
            f"Cannot write the manifest {shown(manifest)}; remove what is in its way or choose "
            "another --out folder."
        )


def _build_locked(
    sources: list[Path],
    out: Path,
    store: str | Path | None,
    jobs: int | None,
    progress: Progress | None,
    started: float,
) -> CorpusResult:
    from fazhi_kg.corpus.generations import build_generation

    _clear_leftovers(out)
    manifest = load_manifest(out)
    old: dict[str, dict[str, Any]] = manifest["reports"]
    code = code_key()
    ledger = Ledger(out)
    todo = _plan(ledger, sources, old, code)
    tell = _teller(len(sources), progress)
    for s in sources:
        if s in ledger.outcomes:
            tell(ledger.outcomes[s])
    # before the store opens (see `pool`); with a store, the workers yield to its loader thread,
    # whose bulk load takes more CPU time than the building (bench/corpus.py)
    ex = pool(jobs if len(todo) > 1 else 1, nice=10 if store is not None else 0)
    load: StoreLoad | None = None
    try:
        with build_generation(store) if store is not None else contextlib.nullcontext() as new:
            if new is not None:
                from fazhi_kg.corpus.loader import StoreLoad

                load = StoreLoad(new)
            try:
                removed = _build_all(ex, ledger, todo, old, load, tell)
                switched = (
                    load.finish(_wanted(ledger), _divisions(ledger), _summaries(ledger))
                    if load is not None
                    else False
                )
            finally:  # the loader stops before an unfinished generation is removed
                if load is not None:
                    load.close()
    finally:
        ex.shutdown(cancel_futures=True)
        ledger.journal.close()
        shutil.rmtree(out / STAGING, ignore_errors=True)
    manifest["reports"] = ledger.current
    manifest["code"] = code
    manifest.pop("store", None)
    os.sync()  # the graph files moved in place, once for all, before the manifest names them
    save_manifest(out, manifest)
    return CorpusResult(
        outcomes=tuple(ledger.outcomes[s] for s in sources),
        removed=tuple(removed),
        manifest=out / MANIFEST,
        store=Path(store) if store is not None else None,
        seconds=time.perf_counter() - started,
        store_seconds=load.seconds if load is not None else 0.0,
        store_phases=dict(load.phases) if load is not None else {},
        switched=switched,
    )


def _clear_leftovers(out: Path) -> None:
    """Remove what an interrupted build leaves in `out`: its staging folder and the temporary
    files of atomic writes (`.NAME.XXXX.tmp`)."""
    shutil.rmtree(out / STAGING, ignore_errors=True)
    for p in out.glob(".*.tmp"):
        with contextlib.suppress(OSError):
            p.unlink()


def _plan(
    ledger: Ledger, sources: list[Path], old: dict[str, dict[str, Any]], code: str
) -> list[tuple[Path, str]]:
    """Take into `ledger` what stays, what is reused and what is a duplicate; the (source, key)
    pairs to build."""
    for name, entry in sorted(old.items()):  # earlier reports stay while their source exists
        if Path(name).is_file() and ledger.intact(entry):
            ledger.keep(name, entry)
    first: dict[str, Path] = {}  # text hash → the first file with that text
    originals: list[tuple[Path, str]] = []
    for s in sources:
        try:
            sha = text_sha256(s)
        except InputError as exc:
            ledger.fail(s, str(exc))
            continue
        if sha in first:
            ledger.duplicate(s, first[sha])
        else:
            first[sha] = s
            originals.append((s, sha))
    by_key = {e.get("key"): e for e in old.values()}
    todo: list[tuple[Path, str]] = []
    for s, sha in originals:
        key = file_key(sha, code)
        same = by_key.get(key)
        if same is not None and ledger.intact(same):
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


def _wanted(ledger: Ledger) -> dict[str, tuple[str, Path]]:
    return {e["rid"]: (e["sha256"], ledger.out / e["file"]) for e in ledger.current.values()}


def _divisions(ledger: Ledger) -> dict[str, str] | None:
    """Each report's division code by report id, for the store's record; None when an entry of an
    earlier build does not say."""
    entries = ledger.current.values()
    if any("division" not in e for e in entries):
        return None
    return {e["rid"]: str(e["division"]) for e in entries}


def _summaries(ledger: Ledger) -> dict[str, tuple[str, dict[str, Any]]] | None:
    """Each report's division code and summary (`fazhi_kg.corpus.aggregates`) by report id;
    None when an entry of an earlier build has none."""
    entries = ledger.current.values()
    if any(not isinstance(e.get("summary"), dict) for e in entries):
        return None
    return {e["rid"]: (str(e.get("division", "")), e["summary"]) for e in entries}


def _build_all(
    ex: Executor,
    ledger: Ledger,
    todo: list[tuple[Path, str]],
    old: dict[str, dict[str, Any]],
    load: StoreLoad | None,
    tell: Callable[[Outcome], None],
) -> list[str]:
    """Build `todo` on the workers, take each result in, settle clashes, drop the graphs of
    reports that left the corpus; the ids removed."""
    out = ledger.out
    if load is not None:
        load.begin({e["rid"]: e["sha256"] for e in ledger.current.values()})
    tasks = [_Task(s, key, out / STAGING, load is not None) for s, key in todo]
    with ex:
        for d in run_bounded(ex, _build, tasks):
            if d.fatal:
                raise InputError(d.error or f"Cannot write to {shown(out)}.")
            tell(ledger.accept(d, load))
    ledger.settle_clashes()
    removed = sorted({e["rid"] for e in old.values() if "rid" in e} - ledger.rids())
    for rid in removed:
        (out / f"{rid}.ttl").unlink(missing_ok=True)
    return removed

"""Build many reports at once: in parallel, incrementally, into graph files and an on-disk store.

`build_corpus` turns report files (or folders of them) into one Turtle file per report under `out/`,
and, with `store=`, keeps an Oxigraph store in step: each report in its named graph
`id/<rid>/graph`, the ontology in `https://w3id.org/fazhi/ontology`. A report whose text, ontology
and code are unchanged since the last build is not rebuilt (`out/manifest.json` records a key per
report); a report that fails is named with its one-sentence error while the others still build.

The graphs and files are the ones `fazhi_kg.corpus.build.build_report` makes (same pipeline, same bytes).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fazhi_kg.atomic import write_text
from fazhi_kg.corpus.store import (
    ONTOLOGY_FILES,
    StoreSync,
    ontology_quads,
    report_ntriples,
    store_to_files,
)
from fazhi_kg.corpus.workers import pool, run_bounded
from fazhi_kg.errors import FazhiError, InputError
from fazhi_kg.iris import graph_iri
from fazhi_kg.resources import ontology_dir, package_dir, package_files, package_name

__all__ = [
    "MANIFEST",
    "CorpusResult",
    "Outcome",
    "build_corpus",
    "corpus_sources",
    "ontology_quads",
    "report_ntriples",
    "store_to_files",
]  # the store helpers live in fazhi_kg.corpus.store and are re-exported here

MANIFEST = "manifest.json"
MANIFEST_FORMAT = 1
REPORT_SUFFIXES = (".txt", ".text", ".htm", ".html")
Progress = Callable[[int, int, "Outcome"], None]


@dataclass(frozen=True)
class Outcome:
    """What happened to one report: built, unchanged (reused) or failed (with its error)."""

    source: Path
    status: str  # built | unchanged | failed
    rid: str | None = None
    file: Path | None = None
    triples: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    error: str | None = None


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


def code_key() -> str:
    """Hash of what turns a text into a graph: version, ontology files, and every source and data
    file of the package (a change anywhere may change a graph, so none is left out by hand)."""
    from fazhi_kg import __version__

    h = hashlib.sha256(f"fazhi-kg {__version__}\n".encode())
    files = [*package_files(), *(ontology_dir() / name for name in ONTOLOGY_FILES)]
    for f in files:
        name = package_name(f) if f.is_relative_to(package_dir()) else f.name
        h.update(name.encode() + b"\0" + hashlib.sha256(f.read_bytes()).digest())
    return h.hexdigest()


# ---------------------------------------------------------------------------------------------
# The worker: one report text → Turtle file in a staging folder, and its quads for the store.


@dataclass(frozen=True)
class _Task:
    source: Path
    key: str
    staging: Path
    quads: bool


@dataclass(frozen=True)
class _Done:
    source: Path
    key: str
    rid: str | None = None
    staged: Path | None = None
    triples: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    nquads: Path | None = None  # the graph as N-Quads in its named graph, for the store
    error: str | None = None


def _counts(facts: Any) -> dict[str, int]:
    families = ("indicators", "institutions", "awards", "mechanisms", "cases", "problems", "plans")
    return {name: len(getattr(facts, name)) for name in families}


def _build(task: _Task) -> _Done:
    """Build one report (the steps of `build_report`); errors come back as one sentence."""
    try:
        from fazhi_kg.extract import extract
        from fazhi_kg.rdf.ids import report_id
        from fazhi_kg.rdf.mapping import canonical_ntriples, facts_to_triples, turtle
        from fazhi_kg.text.read import read_report

        src = read_report(task.source)
        facts = extract(src)
        rid = report_id(facts.report)
        triples = facts_to_triples(facts, src, rid=rid)
        lines = canonical_ntriples(triples)
        # a private staging file, written without its own fsync: the run syncs once at its end
        staged = task.staging / task.key / f"{rid}.ttl"
        staged.parent.mkdir(parents=True, exist_ok=True)
        staged.write_bytes(turtle(lines))
        nquads = None
        if task.quads:
            tail = f" <{graph_iri(rid)}> .\n"
            nquads = staged.with_suffix(".nq")
            nquads.write_bytes("".join(line + tail for line in lines).encode("utf-8"))
        return _Done(task.source, task.key, rid, staged, len(triples), _counts(facts), nquads)
    except FazhiError as exc:
        return _Done(task.source, task.key, error=str(exc))
    except OSError as exc:
        return _Done(
            task.source,
            task.key,
            error=f"Cannot write the graph under {task.staging.parent}: {exc.strerror}; "
            "free disk space or choose another --out folder.",
        )
    except Exception as exc:  # a bug in one report must not stop the others
        return _Done(
            task.source,
            task.key,
            error=f"Internal error: {type(exc).__name__}: {exc}; rerun with --debug and report it.",
        )


# ---------------------------------------------------------------------------------------------
# The manifest: what was built from which source with which key, and what the store holds.


def _load_manifest(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        data = {}
    if not isinstance(data, dict) or data.get("format") != MANIFEST_FORMAT:
        data = {}
    data.setdefault("reports", {})
    data["format"] = MANIFEST_FORMAT
    return data


def _save_manifest(path: Path, data: dict[str, Any]) -> None:
    write_text(path, json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n")


def _file_key(source: Path, code: str) -> str:
    h = hashlib.sha256(code.encode())
    h.update(hashlib.sha256(source.read_bytes()).digest())
    return h.hexdigest()


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
    manifest = _load_manifest(manifest_path)
    old: dict[str, dict[str, Any]] = manifest["reports"]
    code = code_key()
    state = _State(out)
    for name, entry in sorted(old.items()):  # earlier reports stay while their source exists
        if Path(name).is_file() and (out / entry["file"]).is_file():
            state.keep(name, entry)
    by_key = {e["key"]: e for e in old.values()}
    todo: list[tuple[Path, str]] = []
    for s in sources:
        try:
            key = _file_key(s, code)
        except OSError as exc:
            state.fail(s, f"Cannot read {s}: {exc.strerror}; check its permissions.")
            continue
        same = by_key.get(key)
        if same is not None and (out / same["file"]).is_file():
            state.reuse(s, same)
        else:
            state.forget(str(s))
            todo.append((s, key))

    # before the store opens (see `pool`); with a store, the workers yield to its loader thread,
    # whose bulk load takes more CPU time than the building (bench/corpus.py)
    ex = pool(jobs if len(todo) > 1 else 1, nice=10 if store is not None else 0)
    sync = StoreSync(Path(store), manifest.get("store", {})) if store is not None else None
    staging = out / ".staging"
    total = len(sources)
    done = 0

    def tell(o: Outcome) -> None:
        nonlocal done
        done += 1
        if progress is not None:
            progress(done, total, o)

    for s in sources:
        if s in state.outcomes:
            tell(state.outcomes[s])
    removed: list[str] = []
    try:
        if sync is not None:
            sync.begin({e["rid"]: e["key"] for e in state.current.values()})
        tasks = [_Task(s, key, staging, sync is not None) for s, key in todo]
        with ex:
            for d in run_bounded(ex, _build, tasks):
                tell(state.accept(d, sync))
        state.settle_clashes(sync)
        removed = sorted({e["rid"] for e in old.values()} - state.rids())
        for rid in removed:
            (out / f"{rid}.ttl").unlink(missing_ok=True)
        if sync is not None:
            sync.finish({e["rid"]: (e["key"], out / e["file"]) for e in state.current.values()})
            manifest["store"] = sync.record()
    finally:
        ex.shutdown(cancel_futures=True)
        shutil.rmtree(staging, ignore_errors=True)
        manifest["reports"] = state.current
        manifest["code"] = code
        os.sync()  # the graph files moved in place, once for all, before the manifest names them
        _save_manifest(manifest_path, manifest)
        if sync is not None:
            sync.close()
    return CorpusResult(
        outcomes=tuple(state.outcomes[s] for s in sources),
        removed=tuple(removed),
        manifest=manifest_path,
        store=Path(store) if store is not None else None,
        seconds=time.perf_counter() - started,
        store_seconds=sync.seconds if sync is not None else 0.0,
    )


class _State:
    """The corpus as it is being rebuilt: manifest entries by source, who holds which id, and
    the outcome of each named source."""

    def __init__(self, out: Path) -> None:
        self.out = out
        self.current: dict[str, dict[str, Any]] = {}
        self.holder: dict[str, str] = {}  # rid → source name
        self.fresh: set[str] = set()  # sources built in this run
        self.clashes: dict[str, list[Path]] = {}
        self.outcomes: dict[Path, Outcome] = {}

    def rids(self) -> set[str]:
        return {e["rid"] for e in self.current.values()}

    def keep(self, name: str, entry: dict[str, Any]) -> None:
        if entry["rid"] not in self.holder:
            self.current[name] = entry
            self.holder[entry["rid"]] = name

    def forget(self, name: str) -> None:
        entry = self.current.pop(name, None)
        if entry is not None and self.holder.get(entry["rid"]) == name:
            del self.holder[entry["rid"]]

    def fail(self, source: Path, error: str, rid: str | None = None) -> Outcome:
        self.forget(str(source))
        self.outcomes[source] = Outcome(source, "failed", rid=rid, error=error)
        return self.outcomes[source]

    def reuse(self, source: Path, entry: dict[str, Any]) -> None:
        name = str(source)
        other = self.holder.get(entry["rid"])
        if other is not None and other != name:
            self.fail(source, _clash_message(source, entry["rid"], [Path(other)]), entry["rid"])
            return
        self.current[name] = entry
        self.holder[entry["rid"]] = name
        self.outcomes[source] = _outcome(source, "unchanged", entry, self.out)

    def accept(self, d: _Done, sync: StoreSync | None) -> Outcome:
        """Take one worker result in: move its file in place and queue its quads."""
        if d.error is not None or d.rid is None or d.staged is None:
            return self.fail(d.source, d.error or "The report could not be built.")
        rid, name = d.rid, str(d.source)
        other = self.holder.get(rid)
        if rid in self.clashes or (other is not None and other != name):
            clash = self.clashes.setdefault(rid, [])
            if other is not None and other in self.fresh:  # built in this run too: both fail
                clash.append(Path(other))
                self.forget(other)
                (self.out / f"{rid}.ttl").unlink(missing_ok=True)
                if sync is not None:
                    sync.drop(rid)
            elif other is not None:
                clash.append(Path(other))  # kept in the corpus: named in the message only
            clash.append(d.source)
            return self.fail(d.source, "", rid)
        self.forget(name)
        os.replace(d.staged, self.out / f"{rid}.ttl")
        entry = {
            "key": d.key,
            "rid": rid,
            "file": f"{rid}.ttl",
            "triples": d.triples,
            "counts": d.counts,
        }
        self.current[name] = entry
        self.holder[rid] = name
        self.fresh.add(name)
        if sync is not None:
            assert d.nquads is not None
            sync.add(rid, d.key, d.nquads, d.triples)
        self.outcomes[d.source] = _outcome(d.source, "built", entry, self.out)
        return self.outcomes[d.source]

    def settle_clashes(self, sync: StoreSync | None) -> None:
        """Name, in each failed report's error, the others that share its id."""
        for rid, involved in self.clashes.items():
            kept = self.holder.get(rid)
            for s in involved:
                if str(s) == kept:
                    continue
                others = sorted({p for p in involved if p != s})
                self.outcomes[s] = Outcome(
                    s, "failed", rid=rid, error=_clash_message(s, rid, others)
                )


def _clash_message(source: Path, rid: str, others: Sequence[Path]) -> str:
    names = ", ".join(p.name for p in others) or "another report"
    return (
        f"{source.name} has the report id {rid}, like {names}; leave one of them out or build "
        "it on its own with `fazhi build FILE --id ID`."
    )


def _outcome(source: Path, status: str, entry: dict[str, Any], out: Path) -> Outcome:
    return Outcome(
        source,
        status,
        rid=entry["rid"],
        file=out / entry["file"],
        triples=int(entry.get("triples", 0)),
        counts=dict(entry.get("counts", {})),
    )

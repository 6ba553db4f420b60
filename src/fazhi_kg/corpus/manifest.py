"""The manifest of a built corpus (`OUT/manifest.json`) with its journal, and the `Ledger` that
keeps them while a build runs, deciding which report holds each id.

A report's key hashes its text and everything that turns a text into a graph (`code_key`: the
version, the ontology, every source and data file of the package), so a report is rebuilt when
any of them changes. Its entry also holds the SHA-256 of its graph file, and a report is reused
only while its file still has that hash: what a build reuses is checked, not assumed.

A build appends each report's entry to the journal `OUT/.fazhi-journal` before it moves the graph
file in place, and at its end writes the manifest and drops the journal. So a build stopped at any
point (kill -9 included) leaves entries for every graph file it wrote; the next build replays the
journal, reuses each file whose hash agrees, rebuilds the rest, and removes the files of reports
that are no longer in the corpus.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from fazhi_kg.atomic import write_text
from fazhi_kg.corpus.store import ONTOLOGY_FILES
from fazhi_kg.errors import shown
from fazhi_kg.resources import ontology_dir, package_dir, package_files, package_name

if TYPE_CHECKING:
    from fazhi_kg.corpus.loader import StoreLoad

__all__ = [
    "JOURNAL",
    "MANIFEST",
    "Journal",
    "Ledger",
    "Outcome",
    "Staged",
    "code_key",
    "file_key",
    "file_sha256",
    "load_manifest",
    "save_manifest",
]

MANIFEST = "manifest.json"
JOURNAL = ".fazhi-journal"
MANIFEST_FORMAT = 2


@dataclass(frozen=True)
class Outcome:
    """What happened to one report: built, unchanged (reused), duplicate (the same text as
    `same_as`, built once under that name) or failed (with its error)."""

    source: Path
    status: str  # built | unchanged | duplicate | failed
    rid: str | None = None
    file: Path | None = None
    triples: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    error: str | None = None
    same_as: Path | None = None


@dataclass(frozen=True)
class Staged:
    """What a worker hands back: one report's graph in a staging folder, or its error (`fatal`
    when no other report can be written either: a full disk, a folder that cannot be written)."""

    source: Path
    key: str
    rid: str | None = None
    staged: Path | None = None  # the Turtle file
    triples: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    nquads: Path | None = None  # the graph as N-Quads in its named graph, for the store
    error: str | None = None
    sha256: str = ""  # of the Turtle file
    fatal: bool = False
    division: str = ""  # the code of the report's fz:jurisdiction, "" when unresolved
    summary: dict[str, Any] | None = None  # its share of precomputed answers (corpus.aggregates)


def load_manifest(out: Path) -> dict[str, Any]:
    """The manifest of `out` with its journal replayed; an empty one if it is missing,
    unreadable or of another format."""
    try:
        data = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        data = {}
    if not isinstance(data, dict) or data.get("format") != MANIFEST_FORMAT:
        data = {}
    reports = data.setdefault("reports", {})
    with contextlib.suppress(OSError):
        for line in (out / JOURNAL).read_bytes().splitlines():
            with contextlib.suppress(ValueError, KeyError, TypeError):  # a torn last line
                item = json.loads(line)
                reports[str(item["source"])] = dict(item["entry"])
    data["format"] = MANIFEST_FORMAT
    return data


def save_manifest(out: Path, data: dict[str, Any]) -> None:
    """Write the manifest atomically, keys sorted, then drop the journal it now contains."""
    write_text(
        out / MANIFEST, json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    )
    (out / JOURNAL).unlink(missing_ok=True)


class Journal:
    """The entries of a running build, one JSON line each, appended before the file they name
    is moved in place."""

    def __init__(self, out: Path) -> None:
        self.path = out / JOURNAL
        self.fh: IO[bytes] | None = None

    def add(self, source: str, entry: dict[str, Any]) -> None:
        if self.fh is None:
            self.fh = open(self.path, "ab")  # noqa: SIM115  # open for the whole build
        line = json.dumps({"source": source, "entry": entry}, ensure_ascii=False, sort_keys=True)
        self.fh.write(line.encode("utf-8") + b"\n")
        self.fh.flush()  # in the kernel before the rename: a killed process loses nothing

    def close(self) -> None:
        if self.fh is not None:
            self.fh.close()
            self.fh = None


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


def file_key(text_sha: str, code: str) -> str:
    """The key of one report: the hash of its text and the code key."""
    return hashlib.sha256(code.encode() + bytes.fromhex(text_sha)).hexdigest()


def file_sha256(path: Path) -> str | None:
    """The SHA-256 of a graph file, None if it cannot be read."""
    h = hashlib.sha256()
    try:
        with open(path, "rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                h.update(block)
    except OSError:
        return None
    return h.hexdigest()


class Ledger:
    """The corpus as it is being rebuilt: manifest entries by source, who holds which id, and
    the outcome of each named source."""

    def __init__(self, out: Path, journal: Journal | None = None) -> None:
        self.out = out
        self.journal = journal or Journal(out)
        self.current: dict[str, dict[str, Any]] = {}
        self.holder: dict[str, str] = {}  # rid → source name
        self.fresh: set[str] = set()  # sources built in this run
        self.clashes: dict[str, list[Path]] = {}
        self.outcomes: dict[Path, Outcome] = {}
        self.hashes: dict[str, str | None] = {}  # graph file name → its SHA-256, as found

    def rids(self) -> set[str]:
        return {e["rid"] for e in self.current.values()}

    def intact(self, entry: dict[str, Any]) -> bool:
        """Whether the graph file of `entry` is there with the hash it was built with."""
        sha, name = entry.get("sha256"), str(entry.get("file", ""))
        if not sha or not name or "/" in name or name.startswith("."):
            return False
        if name not in self.hashes:
            self.hashes[name] = file_sha256(self.out / name)
        return bool(self.hashes[name] == sha)

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

    def duplicate(self, source: Path, original: Path) -> Outcome:
        """`source` holds the very text of `original`, which builds in its stead."""
        self.forget(str(source))
        self.outcomes[source] = Outcome(source, "duplicate", same_as=original)
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

    def accept(self, d: Staged, load: StoreLoad | None) -> Outcome:
        """Take one worker result in: journal its entry, move its file in place, queue its quads."""
        if d.error is not None or d.rid is None or d.staged is None:
            return self.fail(d.source, d.error or "The report could not be built.")
        rid, name = d.rid, str(d.source)
        other = self.holder.get(rid)
        if rid in self.clashes or (other is not None and other != name):
            return self._clash(d.source, rid, other, load)
        self.forget(name)
        entry = {
            "key": d.key,
            "rid": rid,
            "file": f"{rid}.ttl",
            "sha256": d.sha256,
            "triples": d.triples,
            "counts": d.counts,
            "division": d.division,
            "summary": d.summary,
        }
        self.journal.add(name, entry)
        os.replace(d.staged, self.out / f"{rid}.ttl")
        self.hashes[f"{rid}.ttl"] = d.sha256
        self.current[name] = entry
        self.holder[rid] = name
        self.fresh.add(name)
        if load is not None:
            assert d.nquads is not None
            load.add(rid, d.sha256, d.nquads, d.triples)
        self.outcomes[d.source] = _outcome(d.source, "built", entry, self.out)
        return self.outcomes[d.source]

    def _clash(self, source: Path, rid: str, other: str | None, load: StoreLoad | None) -> Outcome:
        """A report whose id another report has: both fail when both were built in this run; a
        report kept from an earlier run stays (`settle_clashes` words the errors)."""
        clash = self.clashes.setdefault(rid, [])
        if other is not None and other in self.fresh:  # built in this run too: both fail
            clash.append(Path(other))
            self.forget(other)
            (self.out / f"{rid}.ttl").unlink(missing_ok=True)
            if load is not None:
                load.drop(rid)
        elif other is not None:
            clash.append(Path(other))  # kept in the corpus: named in the message only
        clash.append(source)
        return self.fail(source, "", rid)

    def settle_clashes(self) -> None:
        """Name, in each failed report's error, another report that shares its id."""
        for rid, involved in self.clashes.items():
            kept = self.holder.get(rid)
            for s in involved:
                if str(s) == kept:
                    continue
                others = sorted({p for p in involved if p != s})
                self.outcomes[s] = Outcome(
                    s, "failed", rid=rid, error=_clash_message(s, rid, others)
                )


def _clash_message(source: Path, rid: str, others: list[Path]) -> str:
    """One sentence that names `source` and one other report with the id, however many there are."""
    if not others:
        names = "another report"
    elif len(others) == 1:
        names = shown(others[0])
    else:
        names = f"{shown(others[0])} and {len(others) - 1} other files"
    return (
        f"{shown(source)} has the report id {rid}, like {names}; leave one of them out or "
        "build it on its own with `fazhi build FILE --id ID`."
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

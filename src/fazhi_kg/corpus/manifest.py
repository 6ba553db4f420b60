"""The manifest of a built corpus (`OUT/manifest.json`): what was built from which source with
which key, what the store holds; and the `Ledger` that keeps it while a build runs, deciding
which report holds each id.

A report's key hashes its text and everything that turns a text into a graph (`code_key`: the
version, the ontology, every source and data file of the package), so a report is rebuilt when
any of them changes and only then.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fazhi_kg.atomic import write_text
from fazhi_kg.corpus.store import ONTOLOGY_FILES, StoreSync
from fazhi_kg.resources import ontology_dir, package_dir, package_files, package_name

__all__ = [
    "MANIFEST",
    "Ledger",
    "Outcome",
    "Staged",
    "code_key",
    "file_key",
    "load_manifest",
    "save_manifest",
]

MANIFEST = "manifest.json"
MANIFEST_FORMAT = 1


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
class Staged:
    """What a worker hands back: one report's graph in a staging folder, or its error."""

    source: Path
    key: str
    rid: str | None = None
    staged: Path | None = None  # the Turtle file
    triples: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    nquads: Path | None = None  # the graph as N-Quads in its named graph, for the store
    error: str | None = None


def load_manifest(path: Path) -> dict[str, Any]:
    """The manifest at `path`; an empty one if it is missing, unreadable or of another format."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        data = {}
    if not isinstance(data, dict) or data.get("format") != MANIFEST_FORMAT:
        data = {}
    data.setdefault("reports", {})
    data["format"] = MANIFEST_FORMAT
    return data


def save_manifest(path: Path, data: dict[str, Any]) -> None:
    """Write the manifest atomically, keys sorted."""
    write_text(path, json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n")


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


def file_key(source: Path, code: str) -> str:
    """The key of one report: its text and the code key."""
    h = hashlib.sha256(code.encode())
    h.update(hashlib.sha256(source.read_bytes()).digest())
    return h.hexdigest()


class Ledger:
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

    def accept(self, d: Staged, sync: StoreSync | None) -> Outcome:
        """Take one worker result in: move its file in place and queue its quads."""
        if d.error is not None or d.rid is None or d.staged is None:
            return self.fail(d.source, d.error or "The report could not be built.")
        rid, name = d.rid, str(d.source)
        other = self.holder.get(rid)
        if rid in self.clashes or (other is not None and other != name):
            return self._clash(d.source, rid, other, sync)
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

    def _clash(self, source: Path, rid: str, other: str | None, sync: StoreSync | None) -> Outcome:
        """A report whose id another report has: both fail when both were built in this run; a
        report kept from an earlier run stays (`settle_clashes` words the errors)."""
        clash = self.clashes.setdefault(rid, [])
        if other is not None and other in self.fresh:  # built in this run too: both fail
            clash.append(Path(other))
            self.forget(other)
            (self.out / f"{rid}.ttl").unlink(missing_ok=True)
            if sync is not None:
                sync.drop(rid)
        elif other is not None:
            clash.append(Path(other))  # kept in the corpus: named in the message only
        clash.append(source)
        return self.fail(source, "", rid)

    def settle_clashes(self) -> None:
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

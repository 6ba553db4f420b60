"""A corpus store kept as generations, so that readers see the old corpus or the new one, never a
mix, and a crash leaves the store as it was.

A build never writes the store that readers use. It fills a new generation beside it (a copy of
the current one, made of hard links, then changed), and when that is complete it replaces the
pointer file `CURRENT` atomically. A reader reads `CURRENT` once and holds the generation it names
with a shared lock for as long as it reads; an old generation is removed once nobody holds it.

    STORE/
      CURRENT                 the current generation's name ("gen-000007"), replaced atomically
      gen-000007/             a complete Oxigraph store, never written after it became current
        fazhi-generation.json   what it holds: report id → SHA-256 of the graph file loaded
        fazhi-readers.lock      readers hold a shared flock on it; removal takes it exclusively
      gen-000008.partial/     a generation being built: a crash leaves it, the next build removes it
      .fazhi-build.lock       one build at a time (`fazhi_kg.corpus.lock`)

The API, for readers and for whatever builds a store:

    with open_generation(store_dir) as gen:    # the current generation, held until the block ends
        gen.store                              # opened read-only
        gen.record                             # {"graphs": {rid: sha256}, "ontology": key, ...}

    with build_generation(store_dir) as new:   # takes the build lock, removes leftovers
        new.base                               # the record of the current generation ({} if none)
        new.store                              # read-write: a copy of the current generation
        ...                                    # change it (remove_graph, bulk_load, optimize)
        new.commit(record)                     # write the record, switch CURRENT to it
    # leaving the block without `commit` (an error, Ctrl-C) removes the new generation

A store built before generations (RocksDB files at its top) is still read as it is; the first
build into it moves it to this layout.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fazhi_kg.atomic import fsync_dir, write_text
from fazhi_kg.corpus.lock import exclusive, forget_fd, remember_fd
from fazhi_kg.errors import InputError, shown

if TYPE_CHECKING:
    import pyoxigraph as ox

__all__ = [
    "CURRENT",
    "Generation",
    "NewGeneration",
    "build_generation",
    "current_name",
    "open_generation",
]

CURRENT = "CURRENT"
RECORD = "fazhi-generation.json"
READERS = "fazhi-readers.lock"
PARTIAL = ".partial"
_NAME = re.compile(r"gen-([0-9]{6,})")
# the files of an Oxigraph (RocksDB) store written straight into the folder, before generations
_LEGACY = re.compile(
    r"CURRENT|IDENTITY|LOCK|LOG(\.old\.[0-9]+)?|MANIFEST-[0-9]+|OPTIONS-[0-9]+(\.dbtmp)?"
    r"|[0-9]+\.(sst|log|blob)|bulk-[0-9]+\.sst"
)


def _not_a_store(store_dir: Path) -> InputError:
    return InputError(
        f"{shown(store_dir)} is not a fazhi store; build one with "
        f"`fazhi build REPORTS --store {shown(store_dir)}`."
    )


def _pointer(store_dir: Path) -> str | None:
    """What `CURRENT` says: a generation's name, "" for a store of the earlier layout, None
    when there is no `CURRENT`."""
    try:
        text = (store_dir / CURRENT).read_text(encoding="utf-8", errors="replace").strip()
    except FileNotFoundError:
        return None
    except NotADirectoryError:
        raise _not_a_store(store_dir) from None
    except OSError as exc:
        raise InputError(
            f"Cannot read the store {shown(store_dir)}: {exc.strerror}; check its permissions."
        ) from exc
    if _NAME.fullmatch(text):
        return text
    if text.startswith("MANIFEST-"):  # RocksDB's own CURRENT: the earlier layout
        return ""
    raise InputError(
        f"The store {shown(store_dir)} names no generation in its {CURRENT} file; "
        f"build it again with `fazhi build REPORTS --store {shown(store_dir)}`."
    )


def current_name(store_dir: str | Path) -> str | None:
    """The name of the store's current generation ("" for the earlier layout), None if none."""
    return _pointer(Path(store_dir))


class Generation:
    """One complete generation of a store, held with a shared lock until `close`, so that no
    build removes it while it is read."""

    def __init__(self, store_dir: Path, name: str, lease: int | None) -> None:
        self.store_dir = store_dir
        self.name = name
        self._lease = lease
        self._store: ox.Store | None = None

    @property
    def path(self) -> Path:
        return self.store_dir / self.name if self.name else self.store_dir

    @property
    def record(self) -> dict[str, Any]:
        """What the build recorded: `graphs` (report id → SHA-256 of its graph file) and
        `ontology` (the key of the ontology graph); {} for a store of the earlier layout."""
        try:
            data = json.loads((self.path / RECORD).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    @property
    def store(self) -> ox.Store:
        """The generation's Oxigraph store, opened read-only (once)."""
        if self._store is None:
            import pyoxigraph as ox

            try:
                self._store = ox.Store.read_only(str(self.path))
            except OSError as exc:
                raise InputError(
                    f"Cannot open the store {shown(self.store_dir)}: {exc}; build it again."
                ) from exc
        return self._store

    def is_current(self) -> bool:
        """Whether `CURRENT` still names this generation."""
        try:
            return _pointer(self.store_dir) == self.name
        except InputError:
            return False

    def close(self) -> None:
        """Let go of the generation, and remove it if it is no longer current and nobody else
        holds it (a reader that outlives a build cleans up after it)."""
        self._store = None
        if self._lease is None:
            return
        fd, self._lease = self._lease, None
        forget_fd(fd)
        with contextlib.suppress(OSError):
            fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)
        with contextlib.suppress(InputError, OSError):
            if self.name and _pointer(self.store_dir) != self.name:
                _remove_if_unheld(self.store_dir / self.name)

    def __enter__(self) -> Generation:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_generation(store_dir: str | Path) -> Generation:
    """The store's current generation, held until `close()` (or the end of the process)."""
    store_dir = Path(store_dir)
    missing = None
    for _ in range(20):  # a build may switch and remove between reading CURRENT and the lock
        name = _pointer(store_dir)
        if name is None:
            raise _not_a_store(store_dir)
        if name == "":
            return Generation(store_dir, "", None)
        try:
            fd = os.open(store_dir / name / READERS, os.O_RDONLY | os.O_CLOEXEC)
        except FileNotFoundError:
            if missing == name:  # twice the same: not a switch, the generation is gone
                raise InputError(
                    f"The store {shown(store_dir)} lacks its current generation {name}; build "
                    f"it again with `fazhi build REPORTS --store {shown(store_dir)}`."
                ) from None
            missing = name
            continue
        except OSError as exc:
            raise InputError(
                f"Cannot read the store {shown(store_dir)}: {exc.strerror}; check its permissions."
            ) from exc
        fcntl.flock(fd, fcntl.LOCK_SH)
        if os.fstat(fd).st_nlink == 0:  # removed before we held it: read CURRENT again
            os.close(fd)
            continue
        remember_fd(fd)
        return Generation(store_dir, name, fd)
    raise InputError(
        f"The store {shown(store_dir)} changed too often to be read; try again when its builds end."
    )


def _remove_if_unheld(gen: Path) -> bool:
    """Remove an old generation unless a reader holds it; whether it is gone."""
    try:
        fd = os.open(gen / READERS, os.O_RDONLY | os.O_CLOEXEC)
    except FileNotFoundError:
        if gen.exists():  # half removed by a crash: nobody can hold it
            shutil.rmtree(gen, ignore_errors=True)
        return not gen.exists()
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        shutil.rmtree(gen, ignore_errors=True)  # while holding the lock: no reader gets in
        return not gen.exists()
    finally:
        os.close(fd)


def _remove_unused(store_dir: Path, current: str | None) -> None:
    """Remove what no reader can need: half-built generations, unheld old ones, temporary files
    of an interrupted switch and the files of the earlier layout."""
    with os.scandir(store_dir) as entries:
        names = sorted(e.name for e in entries)
    for name in names:
        path = store_dir / name
        if name.endswith(PARTIAL) and _NAME.fullmatch(name[: -len(PARTIAL)]):
            shutil.rmtree(path, ignore_errors=True)
        elif _NAME.fullmatch(name) and name != current:
            _remove_if_unheld(path)
        elif _leftover_file(name, current):
            path.unlink(missing_ok=True)


def _leftover_file(name: str, current: str | None) -> bool:
    """A temporary file of an interrupted switch, or a file of the earlier layout (once the
    store has a generation)."""
    if name.startswith(f".{CURRENT}.") and name.endswith(".tmp"):
        return True
    return bool(current) and name != CURRENT and _LEGACY.fullmatch(name) is not None


class NewGeneration:
    """A generation being built (`STORE/gen-N.partial`); see `build_generation`."""

    def __init__(self, store_dir: Path, base: Generation | None, number: int) -> None:
        self.store_dir = store_dir
        self.name = f"gen-{number:06d}"
        self._base = base
        self._store: ox.Store | None = None
        self.committed = False
        self.empty = False  # start from an empty store, not a copy of the base (`start_empty`)

    @property
    def partial(self) -> Path:
        return self.store_dir / (self.name + PARTIAL)

    @property
    def base(self) -> dict[str, Any]:
        """The record of the generation this one starts from ({} when it starts empty)."""
        return self._base.record if self._base is not None else {}

    @property
    def base_generation(self) -> Generation | None:
        """The generation this one starts from, held until the commit; None when it starts
        empty."""
        return self._base

    @property
    def store(self) -> ox.Store:
        """The new generation's store, read-write: made on first use, a copy of the current
        generation (hard links to its immutable files, so it costs no copying)."""
        if self._store is None:
            import pyoxigraph as ox

            if self._base is not None and self._base.record and not self.empty:
                try:
                    self._base.store.backup(str(self.partial))
                except (OSError, InputError):  # an unreadable base: start empty
                    shutil.rmtree(self.partial, ignore_errors=True)
                    self._base = None
            elif not self.empty:  # an empty start keeps the base held until the commit
                self._base = None
            self._store = ox.Store(str(self.partial))
        return self._store

    def start_empty(self) -> None:
        """Make the new generation start from an empty store rather than a copy of the current
        one; only before its store is first used."""
        if self._store is not None:
            raise RuntimeError("start_empty after the new generation's store was made")
        self.empty = True

    def commit(self, record: dict[str, Any]) -> None:
        """Write `record` into the new generation, close it, and make it the current one."""
        store = self.store
        store.flush()
        del store
        self._store = None  # closes the store: every file is complete on disk
        write_text(self.partial / RECORD, json.dumps(record, sort_keys=True, indent=1) + "\n")
        (self.partial / READERS).touch()
        fsync_dir(self.partial)
        final = self.store_dir / self.name
        os.rename(self.partial, final)
        write_text(self.store_dir / CURRENT, self.name + "\n")  # the switch: atomic, synced
        self.committed = True
        if self._base is not None:
            self._base.close()
            self._base = None
        _remove_unused(self.store_dir, self.name)

    def abandon(self) -> None:
        self._store = None
        if self._base is not None:
            self._base.close()
            self._base = None
        shutil.rmtree(self.partial, ignore_errors=True)


@contextlib.contextmanager
def build_generation(store_dir: str | Path) -> Iterator[NewGeneration]:
    """Build the next generation of `store_dir` (made if missing) in the block; see the module."""
    store_dir = Path(store_dir)
    _make_store_folder(store_dir)
    with exclusive(store_dir, what="the store", option="--store"):
        current = _pointer(store_dir)
        _remove_unused(store_dir, current)
        numbers = [int(m.group(1)) for p in store_dir.iterdir() if (m := _NAME.match(p.name))]
        base = open_generation(store_dir) if current else None
        new = NewGeneration(store_dir, base, max(numbers, default=0) + 1)
        try:
            yield new
        finally:
            if not new.committed:
                new.abandon()


def _make_store_folder(store_dir: Path) -> None:
    """Make the store folder; refuse one that holds other things than a store."""
    if store_dir.exists() and not store_dir.is_dir():
        raise InputError(f"{shown(store_dir)} is a file; give a folder for the store with --store.")
    try:
        store_dir.mkdir(parents=True, exist_ok=True)
        names = [p.name for p in store_dir.iterdir()]
    except OSError as exc:
        raise InputError(
            f"Cannot write the store {shown(store_dir)}: {exc.strerror}; choose a folder you can "
            "write to with --store."
        ) from exc
    others = [
        n
        for n in names
        if not (n.startswith(".") or n == CURRENT or _NAME.match(n) or _LEGACY.fullmatch(n))
    ]
    if others:
        raise InputError(
            f"{shown(store_dir)} holds other files than a store ({shown(sorted(others)[0])}); "
            "give a new or empty folder with --store."
        )

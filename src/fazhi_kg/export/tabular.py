"""nodes.csv and edges.csv of the network projection, for graph databases' CSV import and pandas.

RFC 4180 CSV (https://www.rfc-editor.org/rfc/rfc4180): UTF-8 without BOM, a header row, rows sorted
by id. nodes.csv has id,label,family,report,section,start,end,quote and then one column per literal
property; edges.csv has source,target,predicate,label. A folder is written whole beside the target
and renamed into place, so readers never see a new nodes.csv with an old edges.csv; a .zip path gets
one archive with fixed timestamps, so it is byte-identical on every run.
"""

from __future__ import annotations

import contextlib
import csv
import io
import os
import shutil
import tempfile
import zipfile
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from fazhi_kg.atomic import atomic_open, replace, write_bytes
from fazhi_kg.errors import UsageError
from fazhi_kg.export.network import NODE_COLUMNS

if TYPE_CHECKING:
    import networkx as nx

EDGE_COLUMNS = ("source", "target", "predicate", "label")
_EPOCH = (1980, 1, 1, 0, 0, 0)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    return value if isinstance(value, str) else repr(value)


def _csv(fh: IO[bytes], header: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    text = io.TextIOWrapper(fh, encoding="utf-8", newline="", write_through=True)
    writer = csv.writer(text, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([_cell(v) for v in row])
    text.detach()


def write_nodes(G: nx.MultiDiGraph, fh: IO[bytes]) -> None:
    """nodes.csv: one row per entity; id, the projection's own columns, then literal properties."""
    extra = sorted({k for _, d in G.nodes(data=True) for k in d} - set(NODE_COLUMNS))
    columns = [*NODE_COLUMNS, *extra]
    rows = ([node, *(d.get(k) for k in columns)] for node, d in G.nodes(data=True))
    _csv(fh, ["id", *columns], rows)


def write_edges(G: nx.MultiDiGraph, fh: IO[bytes]) -> None:
    """edges.csv: one row per relation between entities."""
    rows = ([u, v, d.get("predicate"), d.get("label")] for u, v, d in G.edges(data=True))
    _csv(fh, EDGE_COLUMNS, rows)


def _files() -> dict[str, Callable[[nx.MultiDiGraph, IO[bytes]], None]]:
    return {"edges.csv": write_edges, "nodes.csv": write_nodes}


def zip_bytes(G: nx.MultiDiGraph) -> bytes:
    """nodes.csv and edges.csv in one zip archive with fixed timestamps and permissions."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, write in _files().items():
            info = zipfile.ZipInfo(name, date_time=_EPOCH)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            with zf.open(info, "w") as member:
                write(G, member)
    return buf.getvalue()


def write_csv(G: nx.MultiDiGraph, out: Path) -> list[Path]:
    """Write nodes.csv and edges.csv into folder `out`, or into one zip if `out` ends in .zip.

    A folder holding nothing else is replaced whole (`_write_folder`); in a folder shared with
    other files, both files are written to temporary files first and replace the old ones only
    when both are complete.
    """
    if out.suffix.lower() == ".zip":
        write_bytes(out, zip_bytes(G))
        return [out]
    if out.exists() and not out.is_dir():
        raise UsageError(
            f"{out} is a file, but csv export writes nodes.csv and edges.csv; "
            "pass a folder or a path ending in .zip."
        )
    names = set(_files())
    if out.is_dir() and {p.name for p in out.iterdir()} - names:
        # a shared folder (--out .) cannot be swapped: replace the pair, both written first
        with contextlib.ExitStack() as stack:
            for name, write in _files().items():
                write(G, stack.enter_context(atomic_open(out / name)))
    else:
        _write_folder(G, out)
    return [out / name for name in sorted(names)]


def _write_folder(G: nx.MultiDiGraph, out: Path) -> None:
    """Write both files into a new folder beside `out`, then swap it in with two renames: a
    failure at any point leaves the old pair (at `out`, or, after a crash between the renames,
    in the `.<name>.*.old` folder beside it) and never one new file with one old one."""
    out.parent.mkdir(parents=True, exist_ok=True)
    new = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent))
    old: Path | None = None
    try:
        for name, write in _files().items():
            with atomic_open(new / name) as fh:
                write(G, fh)
        os.chmod(new, _folder_mode(out))
        if out.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".old", dir=out.parent))
            replace(out, old)  # onto the empty folder mkdtemp made
        try:
            replace(new, out)
        except BaseException:
            if old is not None:
                replace(old, out)
                old = None
            raise
    except BaseException:
        shutil.rmtree(new, ignore_errors=True)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def _folder_mode(out: Path) -> int:
    """The old folder's permissions, or those a plain mkdir would give."""
    try:
        return os.stat(out).st_mode & 0o7777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o777 & ~umask

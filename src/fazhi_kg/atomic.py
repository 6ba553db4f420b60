"""Write files so that readers never see half a file: temporary file, fsync, rename."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO


@contextlib.contextmanager
def atomic_open(path: str | Path, mode: str = "wb") -> Iterator[IO[bytes]]:
    """Open a temporary file beside `path`; on success it replaces `path`, on error it vanishes.

    An existing file at `path` stays untouched until the new content is complete and synced.
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        # mkstemp makes the file private; give it the mode a plain open() would (or the old file's)
        try:
            perms = os.stat(target).st_mode & 0o7777
        except FileNotFoundError:
            umask = os.umask(0)
            os.umask(umask)
            perms = 0o666 & ~umask
        os.fchmod(fd, perms)
        with os.fdopen(fd, mode) as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    fsync_dir(target.parent)


def fsync_dir(path: str | Path) -> None:
    """Make renames in folder `path` durable (a no-op where folders cannot be opened)."""
    with contextlib.suppress(OSError):
        dfd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(dfd)
        finally:
            os.close(dfd)


def replace(src: str | Path, dst: str | Path) -> None:
    """`os.replace(src, dst)`, then fsync the folder of `dst` so the rename survives a crash."""
    os.replace(src, dst)
    fsync_dir(Path(dst).absolute().parent)


def write_bytes(path: str | Path, data: bytes) -> None:
    """Atomically replace `path` with `data`."""
    with atomic_open(path) as fh:
        fh.write(data)


def write_text(path: str | Path, text: str) -> None:
    """Atomically replace `path` with UTF-8 `text`."""
    write_bytes(path, text.encode("utf-8"))

"""One writer at a time: an exclusive `fcntl.flock` on a lock file that names its holder's pid.

A build holds `OUT/.fazhi-build.lock` and `STORE/.fazhi-build.lock` while it writes, so a second
build of the same folder stops at once with the pid of the first. The kernel drops a lock when its
holder dies, however it dies (kill -9 included), so a lock file left behind never blocks anyone.
Worker processes forked while a lock is held close their copy (`close_in_child`), so a lock never
outlives the process that took it.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
from collections.abc import Iterator
from pathlib import Path

from fazhi_kg.errors import InputError, shown

__all__ = ["LOCK_NAME", "close_in_child", "exclusive", "remember_fd"]

LOCK_NAME = ".fazhi-build.lock"
_HELD: set[int] = set()  # lock and lease descriptors this process holds (see close_in_child)


def remember_fd(fd: int) -> None:
    """Note a descriptor that holds a lock or lease, so forked workers let go of it."""
    _HELD.add(fd)


def forget_fd(fd: int) -> None:
    _HELD.discard(fd)


def close_in_child() -> None:
    """In a forked worker: close the lock and lease descriptors inherited from the parent (a lock
    lives as long as any process holds its descriptor)."""
    for fd in sorted(_HELD):
        with contextlib.suppress(OSError):
            os.close(fd)
    _HELD.clear()


@contextlib.contextmanager
def exclusive(folder: Path, *, what: str, option: str) -> Iterator[None]:
    """Hold `folder/.fazhi-build.lock` exclusively for the block; `what` names the folder's role
    in messages ("the graph folder"), `option` the option that chose it (--out)."""
    path = folder / LOCK_NAME
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    except OSError as exc:
        raise InputError(
            f"Cannot write to {what} {shown(folder)}: {exc.strerror}; choose a folder you can "
            f"write to with {option}."
        ) from exc
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _holder(fd)
            raise InputError(
                f"Another build{holder} is writing {what} {shown(folder)}; wait for it to finish "
                f"or choose another folder with {option}."
            ) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        remember_fd(fd)
        yield
    finally:
        forget_fd(fd)
        with contextlib.suppress(OSError):
            os.ftruncate(fd, 0)  # no pid left behind once the lock is free
        os.close(fd)


def _holder(fd: int) -> str:
    """ " (pid N)" from the lock file, or nothing when its holder has not written it yet."""
    with contextlib.suppress(OSError, ValueError):
        return f" (pid {int(os.pread(fd, 32, 0).decode().strip())})"
    return ""

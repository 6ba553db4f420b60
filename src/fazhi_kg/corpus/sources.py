"""Which files a corpus build reads, and what each one's text is, known before any is built.

Folders are walked without recursion and without following links to folders, at most `MAX_DEPTH`
deep; every file is checked before it is read (no FIFO, device or socket is opened, no file above
the size limit is read: `fazhi_kg.text.read.check_file`); a folder that cannot be read or nests
too deep is one sentence naming it.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable
from pathlib import Path

from fazhi_kg.errors import InputError, shown
from fazhi_kg.text.read import read_bytes

__all__ = ["MAX_DEPTH", "REPORT_SUFFIXES", "corpus_sources", "text_sha256"]

REPORT_SUFFIXES = (".txt", ".text", ".htm", ".html")
MAX_DEPTH = 64  # folders below a named folder; a corpus needs a few levels (province/city/year)


def corpus_sources(inputs: Iterable[str | Path]) -> list[Path]:
    """The report files named by `inputs` (files, or folders searched for .txt/.html files),
    resolved and sorted. Hidden files and folders are left out."""
    found: set[Path] = set()
    for item in inputs:
        p = Path(item)
        if p.is_dir():
            here = _walk(p)
            if not here:
                raise InputError(
                    f"Folder {shown(p)} holds no report files (.txt, .html); give report files "
                    "or another folder."
                )
            found.update(f.resolve() for f in here)
        elif os.path.lexists(p):
            found.add(p.resolve())
        else:
            raise InputError(f"Report file {shown(p)} does not exist; check the path.")
    return sorted(found)


def _walk(root: Path) -> list[Path]:
    """The files with a report suffix under `root` (whatever their kind: FIFOs and devices are
    refused later, by name)."""
    found: list[Path] = []
    stack = [(root, 0)]
    while stack:
        folder, depth = stack.pop()
        try:
            with os.scandir(folder) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError as exc:
            raise InputError(
                f"Cannot read the folder {shown(folder)}: {exc.strerror}; check its permissions "
                "or leave it out."
            ) from exc
        for entry in entries:
            if entry.name.startswith("."):
                continue
            if _is_folder(entry):
                if depth >= MAX_DEPTH:
                    raise InputError(
                        f"The folder {shown(root)} nests folders more than {MAX_DEPTH} deep; "
                        "give the folders that hold the reports."
                    )
                stack.append((Path(entry.path), depth + 1))
            elif Path(entry.name).suffix.lower() in REPORT_SUFFIXES:
                found.append(Path(entry.path))
    return found


def _is_folder(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir(follow_symlinks=False)
    except OSError:
        return False


def text_sha256(source: Path) -> str:
    """The SHA-256 of a report file's bytes, read only after `check_file` (`InputError`
    otherwise)."""
    return hashlib.sha256(read_bytes(source)).hexdigest()

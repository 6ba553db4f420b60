"""Choosing reports by id: the --report option of every command that reads several report
graphs (ids, or shell patterns such as `sichuan-*-2023`)."""

from __future__ import annotations

import fnmatch
from collections.abc import Sequence

from fazhi_kg.errors import UsageError


def choose(patterns: Sequence[str], ids: Sequence[str], where: str) -> list[str]:
    """The `ids` that match one of `patterns` (ids, or shell patterns such as `sichuan-*-2023`),
    in the order of `ids`; a pattern that matches none is a `UsageError` naming some ids, for
    every command that takes --report."""
    chosen: set[str] = set()
    for pattern in patterns:
        hits = {rid for rid in ids if fnmatch.fnmatchcase(rid, pattern)}
        if not hits:
            known = ", ".join(ids[:10]) + (" …" if len(ids) > 10 else "")
            raise UsageError(f'No report "{pattern}" in {where}; known: {known or "none"}.')
        chosen |= hits
    return [rid for rid in ids if rid in chosen]


def only_with_store(reports: Sequence[str], store: object | None) -> None:
    """--report chooses among the reports of a store; with graph files the files are the choice."""
    if reports and store is None:
        raise UsageError(
            "--report chooses reports of a --store; with files, give only those files."
        )

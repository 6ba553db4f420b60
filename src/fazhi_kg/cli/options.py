"""What several commands share: the options that choose graphs and reports, where the graphs come
from when none are chosen, and writing a query answer in the chosen format."""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click

from fazhi_kg.errors import UsageError
from fazhi_kg.query.formats import Format
from fazhi_kg.rdfio.formats import Syntax

DEFAULT_LIMIT = 100_000  # rows in csv, tsv, json and jsonl, for a pipe or a file
PAGE = 100  # rows in a table or Markdown, for a reader; a corpus store reads only what it shows
DEFAULT_TIMEOUT = 30.0  # seconds; a runaway query ends with exit 3 instead of hanging
LOCAL_GRAPHS = Path("graph")  # where `fazhi build` writes by default


def graph_option(f: Any) -> Any:
    return click.option(
        "--graph",
        "graphs",
        multiple=True,
        type=click.Path(path_type=Path, allow_dash=True),
        help="A graph file (repeatable; - reads standard input). Default: ./graph when it holds "
        "graphs, else the graph shipped with fazhi-kg.",
    )(f)


def store_option(f: Any) -> Any:
    return click.option(
        "--store",
        type=click.Path(file_okay=False, path_type=Path),
        help="A corpus store built with `fazhi build --store` (opened read-only).",
    )(f)


def jobs_option(f: Any) -> Any:
    return click.option(
        "--jobs", type=click.IntRange(min=1), help="Worker processes (default: one per core)."
    )(f)


def report_option(what: str) -> Callable[[Any], Any]:
    """--report ID, repeatable, an id or a shell pattern: `what` says what it chooses."""
    return click.option(
        "--report",
        "reports",
        multiple=True,
        metavar="ID",
        help=f"{what} (an id, or a pattern such as 'sichuan-*-2023'; repeatable).",
    )


def jurisdiction_option(f: Any) -> Any:
    return click.option(
        "--jurisdiction",
        metavar="CODE|NAME",
        help="The reporting division, when you know it better than the text tells: a GB/T 2260 "
        "code (330106) or a name (浙江省杭州市西湖区).",
    )(f)


@dataclass(frozen=True)
class Graphs:
    """Where a command's graphs come from: files, or a corpus store; `note` says which when the
    user chose none (see `graph_source`)."""

    files: tuple[Path, ...] = ()
    store: Path | None = None
    note: str = ""

    @property
    def file_list(self) -> list[Path] | None:
        return list(self.files) if self.files else None

    def say(self) -> None:
        """Tell the reader, on standard error, which graphs answered (once, with the answer:
        an error is one sentence of its own)."""
        if self.note:
            click.echo(self.note, err=True)


def _local_graph_files() -> list[Path]:
    from fazhi_kg.rdfio.formats import by_suffix

    if not LOCAL_GRAPHS.is_dir():
        return []
    return sorted(
        p for p in LOCAL_GRAPHS.iterdir() if p.is_file() and by_suffix(p.suffix.lower()) is not None
    )


def graph_source(graphs: tuple[Path, ...], store: Path | None) -> Graphs:
    """The graphs a command reads: --graph files or a --store; with neither, the graphs in
    ./graph when it holds some, else the shipped graph of the embedded report, with a note that
    says which, so an answer is never silently about a report nobody chose."""
    if graphs and store is not None:
        raise UsageError("Give either --graph files or --store, not both.")
    if store is not None:
        return Graphs(store=store)
    if graphs:
        return Graphs(files=tuple(graphs))
    local = _local_graph_files()
    if local:
        n = len(local)
        note = (
            f"Read the {n} graph file{'s' if n > 1 else ''} in ./{LOCAL_GRAPHS}; "
            "choose others with --graph or --store."
        )
        return Graphs(files=tuple(local), note=note)
    from fazhi_kg.resources import default_graph_files

    shipped = default_graph_files()
    names = ", ".join(p.stem for p in shipped)
    note = (
        f"Read the graph shipped with fazhi-kg ({names}); build your own with "
        "`fazhi build REPORT`, or choose graphs with --graph or --store."
    )
    return Graphs(files=tuple(shipped), note=note)


def exit_unless_conforming(report: Any, allow_warnings: bool) -> None:
    """Exit 1 when a validation report (one graph, a corpus, a check card) has violations, or
    warnings that --allow-warnings does not let pass."""
    if not report.conforms or (report.count("Warning") and not allow_warnings):
        sys.exit(1)


def row_cap(limit: int | None, every: bool, *, for_reader: bool) -> int | None:
    """Rows to show: --limit, none with --all, else a page for a reader and plenty for a pipe."""
    if every and limit is not None:
        raise UsageError("Give --limit N or --all, not both.")
    if every:
        return None
    if limit is not None:
        return limit
    return PAGE if for_reader else DEFAULT_LIMIT


def table_width(wide: bool) -> int | None:
    """How many cells a table may take: $COLUMNS when set, else the terminal's width when
    standard output is one; None (no cutting) with --wide or when the output goes to a pipe or
    a file, which wants every character."""
    if wide:
        return None
    columns = os.environ.get("COLUMNS", "")
    if columns.isdigit() and int(columns) > 0:
        return int(columns)
    if sys.stdout.isatty():
        return shutil.get_terminal_size().columns
    return None


@dataclass(frozen=True)
class Rendered:
    """An answer as written: the bytes for standard output and a note for standard error (rows
    left out, said where a program reading the output does not trip over it)."""

    out: bytes
    note: str = ""

    def pack(self) -> bytes:
        """One byte string (what a child process hands back): the note's line, then the output."""
        return self.note.encode("utf-8") + b"\n" + self.out

    @classmethod
    def unpack(cls, data: bytes) -> Rendered:
        note, _, out = data.partition(b"\n")
        return cls(out, note.decode("utf-8"))

    def write(self) -> None:
        sys.stdout.buffer.write(self.out)
        sys.stdout.buffer.flush()
        if self.note:
            click.echo(self.note, err=True)


def emit_answer(
    answer: Any,
    fmt: Format | Syntax,
    *,
    hidden: tuple[str, ...] = (),
    store: Any = None,
    lang: str = "zh",
    max_width: int | None = None,
) -> Rendered:
    """A query answer in `fmt`; when rows were left out, a last line says so in a table, and a
    note on stderr in the formats programs read."""
    from fazhi_kg.query import render
    from fazhi_kg.query.formats import READER, answer_format
    from fazhi_kg.query.labels import labels

    fmt = answer_format(fmt.name if isinstance(fmt, Syntax) else fmt, answer.kind)
    if isinstance(fmt, Syntax):
        out = render.graph(answer, fmt)
    elif answer.kind == "ask":
        out = render.ask(answer, fmt).encode()
    else:
        names: dict[str, str] = {}
        if fmt in READER and store is not None:
            iris = [
                t.value
                for row in answer.rows
                for t in row
                if t is not None and type(t).__name__ == "NamedNode"
            ]
            names = labels(store, iris, lang)
        text = render.select(answer, fmt, hidden=hidden, names=names, max_width=max_width)
        out = text.encode("utf-8")
    note = ""
    if answer.truncated:
        note = (
            f"# {answer.truncated} more results not shown; raise --limit or add --all to see them."
        )
    elif answer.more:
        note = "# More results follow; raise --limit or add --all to see them."
    if note and fmt in READER:
        return Rendered(out + note.encode() + b"\n")
    return Rendered(out, note)

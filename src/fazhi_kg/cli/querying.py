"""The query path: queries, query, sparql and stats. Nothing here imports rdflib, pySHACL,
networkx or matplotlib, so these commands start fast."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from fazhi_kg.cli.options import (
    DEFAULT_LIMIT,
    DEFAULT_TIMEOUT,
    PAGE,
    Rendered,
    emit_answer,
    graph_option,
    graph_source,
    report_option,
    row_cap,
    store_option,
    table_width,
)
from fazhi_kg.errors import UsageError
from fazhi_kg.query.formats import READER, Format, answer_format, rdf_names
from fazhi_kg.rdfio.formats import TURTLE, Syntax

RESULT_NAMES = ", ".join(f.value for f in Format)


@click.command(name="queries")
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json", "md"]),
    default="table",
    show_default=True,
    help="md: a Markdown table (the READMEs' list of stored queries is this table).",
)
def queries_(lang: str, fmt: str) -> None:
    """List the stored queries with their summaries and parameters.

    \b
    Example:
      fazhi queries --lang en
      fazhi queries --format md --lang en
    """
    from fazhi_kg.query.catalogue import catalogue
    from fazhi_kg.query.render import width

    items = list(catalogue().values())
    if fmt == "json":
        listed = [
            {
                "name": q.name,
                "summary": q.summary,
                "description": q.description,
                "tags": list(q.tags),
                "scope": q.scope,
                "params": [p.__dict__ for p in q.params],
            }
            for q in items
        ]
        click.echo(json.dumps(listed, ensure_ascii=False, indent=2))
        return
    if fmt == "md":
        head = (
            ("查询", "回答的问题", "参数") if lang == "zh" else ("query", "question", "parameters")
        )
        click.echo(f"| {' | '.join(head)} |\n|---|---|---|")
        for q in items:
            summary = (q.summary.get(lang) or q.summary.get("en", "")).replace("|", "\\|")
            params = ", ".join(f"`{p.name}`" for p in q.params)
            click.echo(f"| `{q.name}` | {summary} | {params} |")
        return
    w = max((width(q.name) for q in items), default=0)
    for q in items:
        summary = q.summary.get(lang) or q.summary.get("en", "")
        click.echo(f"{q.name}{' ' * (w - width(q.name))}  {summary}")
        for p in q.params:
            written = p.default or '""'  # as the header writes it
            need = "required" if p.required else f"default {written}"
            example = f", e.g. {p.example}" if p.example else ""
            click.echo(f"{' ' * w}    --param {p.name}=<{p.type}>  ({need}{example})")


def wide_option(f: Any) -> Any:
    return click.option(
        "--wide",
        is_flag=True,
        help="Show every character of a table. Without it, a table on a terminal fits its width "
        "(long cells end in …); piped or redirected, a table is never cut.",
    )(f)


def format_option(default: str | None, what: str) -> Callable[[Any], Any]:
    return click.option("--format", "fmt", metavar="FORMAT", default=default, help=what)


def answer_options(f: Any) -> Any:
    """The options `query` and `sparql` share: labels, where the graphs come from, row cap and
    time limit."""
    options: list[Callable[[Any], Any]] = [
        click.option(
            "--lang",
            type=click.Choice(["zh", "en"]),
            default="zh",
            show_default=True,
            help="Language of labels shown for IRIs in tables.",
        ),
        graph_option,
        store_option,
        report_option("Only this report"),
        click.option(
            "--limit",
            type=click.IntRange(min=0),
            default=None,
            help=f"Show at most this many rows [default: {PAGE} in table and md, "
            f"{DEFAULT_LIMIT:,} in the other formats].",
        ),
        click.option("--all", "every", is_flag=True, help="Show every row."),
        wide_option,
        click.option(
            "--timeout",
            type=click.FloatRange(min=0, min_open=True),
            default=DEFAULT_TIMEOUT,
            show_default=True,
            help="Stop the query after this many seconds (exit 3).",
        ),
    ]
    for option in reversed(options):
        f = option(f)
    return f


def _open(graphs: tuple[Path, ...], store: Path | None, reports: tuple[str, ...]) -> Any:
    """The store a query runs on, the reports --report chose (None: all), and where the graphs
    came from."""
    from fazhi_kg.query.pages import select_reports
    from fazhi_kg.query.store import open_store

    source = graph_source(graphs, store)
    db = open_store(source.file_list, store_dir=source.store)
    return db, (select_reports(db, reports) if reports else None), source


@click.command()
@click.argument("name")
@click.option(
    "--param", "params", multiple=True, metavar="K=V", help="A query parameter (repeatable)."
)
@format_option("table", f"One of {RESULT_NAMES} [default: table].")
@answer_options
@click.option("--endpoint", metavar="URL", help="Run on this SPARQL endpoint instead.")
def query(
    name: str,
    params: tuple[str, ...],
    fmt: str,
    lang: str,
    graphs: tuple[Path, ...],
    reports: tuple[str, ...],
    limit: int | None,
    every: bool,
    wide: bool,
    timeout: float | None,
    store: Path | None,
    endpoint: str | None,
) -> None:
    """Run a stored query (see `fazhi queries`) on the graphs.

    A table shows the first 100 rows (--limit N, --all for more) and fits the terminal (--wide
    for every character). On a corpus store the rows of a per-report query are read report by
    report, so the first rows come fast however large the corpus; --report narrows the answer to
    some reports. json, xml, csv and tsv are the W3C SPARQL 1.1 results formats.

    \b
    Example:
      fazhi query awards
      fazhi query indicators --param unit=% --format csv
      fazhi query awards --store corpus.store --report 'sichuan-*-2023'
    """
    from fazhi_kg.query.catalogue import bind, get, parse_assignments
    from fazhi_kg.query.child import in_child
    from fazhi_kg.query.engine import run
    from fazhi_kg.query.syntax import query_form

    stored = get(name)
    bindings = bind(stored, parse_assignments(params))
    hidden = tuple(p.name for p in stored.params)
    shape = answer_format(fmt, query_form(stored.text))
    cap = row_cap(limit, every, for_reader=shape in READER)
    max_width = table_width(wide)
    if endpoint:
        if graphs or store or reports:
            raise UsageError(
                "--endpoint runs the query remotely; drop --graph, --store and --report."
            )
        from fazhi_kg.query.remote import run_remote

        answer = run_remote(endpoint, stored.text, bindings, limit=cap, timeout=timeout or 60)
        emit_answer(
            answer, shape, hidden=hidden, store=endpoint, lang=lang, max_width=max_width
        ).write()
        return
    db, chosen, source = _open(graphs, store, reports)
    if stored.graphs:
        from fazhi_kg.query.store import add_graphs

        add_graphs(db, stored.graphs, store_dir=source.store)

    def work() -> bytes:
        from fazhi_kg.query.pages import narrowed

        answer = run(
            db,
            stored.text,
            bindings=bindings,
            limit=cap,
            reports=narrowed(db, stored.division_param, bindings, chosen),
            scope=stored.scope,
            narrow=stored.narrow,
        )
        return emit_answer(
            answer, shape, hidden=hidden, store=db, lang=lang, max_width=max_width
        ).pack()

    Rendered.unpack(in_child(work, timeout)).write()
    source.say()


QUERY_SUFFIXES = (".rq", ".sparql")
"""A query argument naming an existing file with one of these suffixes is read from the file."""


def _query_text(arg: str) -> str:
    """The query itself; or read from @FILE, a FILE.rq or FILE.sparql that exists, or - (stdin),
    at most `MAX_BYTES` like a report: a query is a few kilobytes, and /dev/zero or a log file
    must not fill the memory."""
    from fazhi_kg.text.read import MAX_BYTES

    if arg.startswith("@"):
        path: Path | None = Path(arg[1:])
    elif arg != "-" and arg.lower().endswith(QUERY_SUFFIXES) and "\n" not in arg:
        path = Path(arg)
        if not path.is_file():
            if "{" in arg:  # a query text that happens to end in .rq
                return arg
            raise UsageError(f"Query file {path} does not exist; check the path.")
    elif arg == "-":
        path = None
    else:
        return arg
    where = "standard input" if path is None else f"query file {path}"
    try:
        if path is None:
            data = sys.stdin.buffer.read(MAX_BYTES + 1)
        else:
            with open(path, "rb") as fh:
                data = fh.read(MAX_BYTES + 1)
    except FileNotFoundError as exc:
        raise UsageError(f"Query file {path} does not exist; check the path.") from exc
    except IsADirectoryError as exc:
        raise UsageError(f"{path} is a folder; give a query file (.rq).") from exc
    except OSError as exc:
        raise UsageError(f"Cannot read {where}: {exc.strerror}; check the path.") from exc
    if len(data) > MAX_BYTES:
        raise UsageError(
            f"The query from {where} is longer than the {MAX_BYTES // (1024 * 1024)} MB a query "
            "can be; check that it is a SPARQL query."
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UsageError(f"Cannot read {where} as UTF-8 text; save it as UTF-8.") from exc


@click.command()
@click.argument("query_text", metavar="QUERY|FILE.rq|@FILE|-")
@format_option(
    None,
    f"For SELECT and ASK one of {RESULT_NAMES} [default: table]; for CONSTRUCT and DESCRIBE "
    f"an RDF syntax [default: turtle]: {rdf_names()}.",
)
@answer_options
def sparql(
    query_text: str,
    fmt: str | None,
    lang: str,
    graphs: tuple[Path, ...],
    reports: tuple[str, ...],
    limit: int | None,
    every: bool,
    wide: bool,
    timeout: float | None,
    store: Path | None,
) -> None:
    """Run an ad-hoc SPARQL SELECT, ASK, CONSTRUCT or DESCRIBE query.

    The query is the argument itself, or read from a file (q.rq or q.sparql, or any file as
    @FILE), or from standard input (-). It sees the union of the graphs; prefixes (fz:, id:,
    oa:, skos:, dcterms:, rdfs:, xsd: …) must be declared as usual. SELECT and ASK answers come
    as a table or a W3C results format (json, xml, csv, tsv); CONSTRUCT and DESCRIBE as RDF.

    \b
    Example:
      fazhi sparql 'SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }'
      fazhi sparql my-query.rq --format xml
      fazhi sparql 'CONSTRUCT WHERE { ?s a ?c }' --format ttl
    """
    from fazhi_kg.query.child import in_child
    from fazhi_kg.query.engine import run
    from fazhi_kg.query.syntax import query_form

    text = _query_text(query_text)
    form = query_form(text)
    default: Format | Syntax = TURTLE if form == "graph" else Format.TABLE
    shape = answer_format(fmt, form) if fmt else default
    cap = row_cap(limit, every, for_reader=shape in READER)
    max_width = table_width(wide)
    db, chosen, source = _open(graphs, store, reports)

    def work() -> bytes:
        answer = run(db, text, limit=cap, reports=chosen)
        return emit_answer(answer, shape, store=db, lang=lang, max_width=max_width).pack()

    Rendered.unpack(in_child(work, timeout)).write()
    source.say()


@click.command()
@graph_option
@store_option
@report_option("Only this report")
@format_option("table", f"One of {RESULT_NAMES} [default: table].")
@wide_option
def stats(
    graphs: tuple[Path, ...],
    store: Path | None,
    reports: tuple[str, ...],
    fmt: str,
    wide: bool,
) -> None:
    """Count the facts of every family, per report and in all.

    One row per report (sections, indicators, institutions, awards, cases, mechanisms, documents,
    duties, problems, plans, persons) and a last row `all` with the sums.

    \b
    Example:
      fazhi stats
      fazhi stats --store corpus.store --format csv > counts.csv
    """
    from fazhi_kg.query.stats import fact_counts

    shape = answer_format(fmt, "select")
    db, chosen, source = _open(graphs, store, reports)
    answer = fact_counts(db, reports=chosen)
    emit_answer(answer, shape, max_width=table_width(wide)).write()
    source.say()


COMMANDS = (queries_, query, sparql, stats)

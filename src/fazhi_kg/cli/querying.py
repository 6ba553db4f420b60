"""The query path: queries, query, sparql and stats. Nothing here imports rdflib, pySHACL,
networkx or matplotlib, so these commands start fast."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import click

from fazhi_kg.cli.options import (
    DEFAULT_LIMIT,
    DEFAULT_TIMEOUT,
    GRAPH_FORMATS,
    PAGE,
    TABLE_FORMATS,
    emit_answer,
    graph_option,
    graph_source,
    report_option,
    row_cap,
    store_option,
)
from fazhi_kg.errors import UsageError


@click.command(name="queries")
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True)
@click.option(
    "--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True
)
def queries_(lang: str, fmt: str) -> None:
    """List the stored queries with their summaries and parameters.

    \b
    Example:
      fazhi queries --lang en
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
    w = max((width(q.name) for q in items), default=0)
    for q in items:
        summary = q.summary.get(lang) or q.summary.get("en", "")
        click.echo(f"{q.name}{' ' * (w - width(q.name))}  {summary}")
        for p in q.params:
            need = "required" if p.required else f"default {p.default!r}"
            example = f", e.g. {p.example}" if p.example else ""
            click.echo(f"{' ' * w}    --param {p.name}=<{p.type}>  ({need}{example})")


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
@click.option(
    "--format", "fmt", type=click.Choice(TABLE_FORMATS), default="table", show_default=True
)
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
    timeout: float | None,
    store: Path | None,
    endpoint: str | None,
) -> None:
    """Run a stored query (see `fazhi queries`) on the graphs.

    A table shows the first 100 rows (--limit N, --all for more). On a corpus store the rows of a
    per-report query are read report by report, so the first rows come fast however large the
    corpus; --report narrows the answer to some reports.

    \b
    Example:
      fazhi query awards
      fazhi query indicators --param unit=% --format csv
      fazhi query awards --store corpus.store --report 'sichuan-*-2023'
    """
    from fazhi_kg.query.catalogue import bind, get, parse_assignments
    from fazhi_kg.query.child import in_child
    from fazhi_kg.query.engine import run

    stored = get(name)
    bindings = bind(stored, parse_assignments(params))
    hidden = tuple(p.name for p in stored.params)
    cap = row_cap(limit, every, fmt)
    if endpoint:
        if graphs or store or reports:
            raise UsageError(
                "--endpoint runs the query remotely; drop --graph, --store and --report."
            )
        from fazhi_kg.query.remote import run_remote

        answer = run_remote(endpoint, stored.text, bindings, limit=cap, timeout=timeout or 60)
        sys.stdout.buffer.write(emit_answer(answer, fmt, hidden=hidden, store=endpoint, lang=lang))
        return
    db, chosen, source = _open(graphs, store, reports)

    def work() -> bytes:
        answer = run(
            db,
            stored.text,
            bindings=bindings,
            limit=cap,
            reports=chosen,
            per_report=stored.scope == "report",
        )
        return emit_answer(answer, fmt, hidden=hidden, store=db, lang=lang)

    sys.stdout.buffer.write(in_child(work, timeout))
    source.say()


def _query_text(arg: str) -> str:
    """The query itself, or read from @FILE or - (stdin), at most `MAX_BYTES` like a report: a
    query is a few kilobytes, and /dev/zero or a log file must not fill the memory."""
    from fazhi_kg.text.read import MAX_BYTES

    if arg != "-" and not arg.startswith("@"):
        return arg
    where = "standard input" if arg == "-" else f"query file {Path(arg[1:])}"
    try:
        if arg == "-":
            data = sys.stdin.buffer.read(MAX_BYTES + 1)
        else:
            with open(arg[1:], "rb") as fh:
                data = fh.read(MAX_BYTES + 1)
    except FileNotFoundError as exc:
        raise UsageError(f"Query file {Path(arg[1:])} does not exist; check the path.") from exc
    except OSError as exc:
        raise UsageError(f"Cannot read {where}: {exc.strerror}; check the path.") from exc
    if len(data) > MAX_BYTES:
        raise UsageError(
            f"The query from {where} is longer than the {MAX_BYTES // (1024 * 1024)} MB a query "
            "can be; check that it is a SPARQL query."
        )
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise UsageError(f"Cannot read {where} as UTF-8 text; save it as UTF-8.") from exc


@click.command()
@click.argument("query_text", metavar="QUERY|@FILE|-")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(TABLE_FORMATS + GRAPH_FORMATS),
    default=None,
    help="Answer format (default: table for SELECT, turtle for CONSTRUCT/DESCRIBE).",
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
    timeout: float | None,
    store: Path | None,
) -> None:
    """Run an ad-hoc SPARQL SELECT, ASK, CONSTRUCT or DESCRIBE query.

    The query sees the union of the graphs; prefixes fz:, id:, oa:, skos:, dcterms:, rdfs: and
    xsd: must be declared as usual.

    \b
    Example:
      fazhi sparql 'SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }'
      fazhi sparql @my-query.rq --format csv
    """
    from fazhi_kg.query.child import in_child
    from fazhi_kg.query.engine import run

    text = _query_text(query_text)
    cap = row_cap(limit, every, fmt)
    db, chosen, source = _open(graphs, store, reports)

    def work() -> bytes:
        # without --format the kind of answer picks it: a page of table rows, or the triples
        answer = run(
            db, text, limit=row_cap(limit, every, "nt") if fmt is None else cap, reports=chosen
        )
        shape = fmt or ("turtle" if answer.kind == "graph" else "table")
        if fmt is None and answer.kind == "select" and cap is not None and len(answer.rows) > cap:
            answer = replace(
                answer, rows=answer.rows[:cap], truncated=answer.truncated + len(answer.rows) - cap
            )
        return emit_answer(answer, shape, store=db, lang=lang)

    sys.stdout.buffer.write(in_child(work, timeout))
    source.say()


@click.command()
@graph_option
@store_option
@report_option("Only this report")
@click.option(
    "--format", "fmt", type=click.Choice(TABLE_FORMATS), default="table", show_default=True
)
def stats(graphs: tuple[Path, ...], store: Path | None, reports: tuple[str, ...], fmt: str) -> None:
    """Count the facts of every family, per report and in all.

    One row per report (sections, indicators, institutions, awards, cases, mechanisms, documents,
    duties, problems, plans, persons) and a last row `all` with the sums.

    \b
    Example:
      fazhi stats
      fazhi stats --store corpus.store --format csv > counts.csv
    """
    from fazhi_kg.query.stats import fact_counts

    db, chosen, source = _open(graphs, store, reports)
    sys.stdout.buffer.write(emit_answer(fact_counts(db, reports=chosen), fmt))
    source.say()


COMMANDS = (queries_, query, sparql, stats)

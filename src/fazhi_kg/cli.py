"""The `fazhi` command: a thin layer over the library. Only this module imports click.

Exit codes: 0 ok · 1 validation found problems · 2 usage or input error · 3 timeout ·
4 internal error (a bug: please report it with the output of `--debug`).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import click

from fazhi_kg.errors import FazhiError, UsageError

INTERNAL_ERROR = 4


class _State:
    debug = False


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.option("--debug", is_flag=True, help="Show tracebacks for errors (for bug reports).")
@click.version_option(package_name="fazhi-kg", prog_name="fazhi")
def cli(debug: bool) -> None:
    """fazhi-kg: knowledge graphs of annual rule-of-law government reports (法治政府建设情况报告).

    Build a validated RDF graph from a report, then ask it questions with stored SPARQL queries.

    \b
    Example:
      fazhi build && fazhi validate graph/*.ttl
    """
    _State.debug = debug


def _graph_option(f: Any) -> Any:
    return click.option(
        "--graph",
        "graphs",
        multiple=True,
        type=click.Path(path_type=Path),
        help="Graph file to query (repeatable; default: the shipped graphs).",
    )(f)


def _jobs_option(f: Any) -> Any:
    return click.option(
        "--jobs", type=click.IntRange(min=1), help="Worker processes (default: one per core)."
    )(f)


def _report_option(what: str) -> Callable[[Any], Any]:
    """--report ID, repeatable, an id or a shell pattern: `what` says what it chooses."""
    return click.option(
        "--report",
        "reports",
        multiple=True,
        metavar="ID",
        help=f"{what} (an id, or a pattern such as 'sichuan-*-2023'; repeatable).",
    )


def _store_option(f: Any) -> Any:
    return click.option(
        "--store",
        type=click.Path(file_okay=False, path_type=Path),
        help="A corpus store built with `fazhi build --store` (opened read-only).",
    )(f)


@cli.command()
@click.argument("reports", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("graph"),
    show_default=True,
    help="Folder for the graph files.",
)
@click.option("--id", "rid", help="Report id (file name and IRI); only with one report.")
@click.option(
    "--validate/--no-validate",
    default=True,
    show_default=True,
    help="Validate each graph against the shapes after building it.",
)
@click.option(
    "--store",
    type=click.Path(file_okay=False, path_type=Path),
    help="Also keep the corpus in this on-disk Oxigraph store.",
)
@_jobs_option
def build(
    reports: tuple[Path, ...],
    out_dir: Path,
    rid: str | None,
    validate: bool,
    store: Path | None,
    jobs: int | None,
) -> None:
    """Build report texts into RDF graph files (default: the embedded report).

    Writes OUT/<report-id>.ttl for each report, byte-identical on every run, and validates it.
    Exits 1 if a graph does not conform to the shapes. Several reports, a folder, --store or --jobs
    build a corpus: in parallel, incrementally (OUT/manifest.json), naming each report that fails
    while the others build (exit 2).

    \b
    Example:
      fazhi build reports/bazhou-2023.txt --out graph
      fazhi build reports/ --out graph --store corpus.store
    """
    from fazhi_kg.corpus.build import build_report, write_built
    from fazhi_kg.resources import embedded_report

    paths = list(reports) or [embedded_report()]
    if store is not None or jobs is not None or len(paths) > 1 or paths[0].is_dir():
        if rid:
            raise UsageError("--id names one report; drop it when building a corpus.")
        _build_corpus(paths, out_dir, store, jobs)
        return
    if rid and len(paths) > 1:
        raise UsageError(
            "--id names one report, but several were given; drop --id or build "
            "the reports one by one."
        )
    failed = False
    for path in paths:
        built = build_report(path, rid=rid)
        target = write_built(built, out_dir)
        f = built.facts
        counts = (
            f"{len(f.indicators)} indicators, {len(f.institutions)} institutions, "
            f"{len(f.awards)} awards, {len(f.mechanisms)} mechanisms, {len(f.cases)} cases, "
            f"{len(f.problems)} problems, {len(f.plans)} plans"
        )
        click.echo(f"{built.rid}: {target} ({built.triples} triples; {counts})")
        if validate:
            from fazhi_kg.validate import validate_graph

            rep = validate_graph(built.graph())
            state = "conforms" if rep.conforms else "does not conform"
            click.echo(
                f"  {state}: {rep.count('Violation')} violations, "
                f"{rep.count('Warning')} warnings, {rep.count('Info')} notes"
            )
            failed = failed or not rep.conforms
    if failed:
        sys.exit(1)


def _build_corpus(paths: list[Path], out_dir: Path, store: Path | None, jobs: int | None) -> None:
    from fazhi_kg.corpus.batch import build_corpus, corpus_sources

    with click.progressbar(
        length=len(corpus_sources(paths)), label="building", file=sys.stderr
    ) as bar:
        result = build_corpus(
            paths, out_dir, store=store, jobs=jobs, progress=lambda *_: bar.update(1)
        )
    for o in result.failed:
        click.echo(f"{o.source}: {o.error}", err=True)
    where = f"{out_dir}" + (f" and {store}" if store is not None else "")
    click.echo(
        f"{len(result.built)} built, {len(result.unchanged)} unchanged, {len(result.failed)} failed: "
        f"{result.triples} triples in {where} ({result.seconds:.1f} s)"
    )
    if result.failed:
        sys.exit(2)


@cli.command()
@click.argument("report", type=click.Path(path_type=Path), required=False)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["facts", "turtle"]),
    default="facts",
    show_default=True,
    help="facts: JSON (facts.schema.json); turtle: the RDF graph.",
)
@click.option("--id", "rid", help="Report id for the RDF form.")
def extract(report: Path | None, fmt: str, rid: str | None) -> None:
    """Print the facts of one report (default: the embedded report).

    \b
    Example:
      fazhi extract reports/bazhou-2023.txt --format facts > facts.json
    """
    from fazhi_kg.resources import embedded_report

    path = report or embedded_report()
    if fmt == "facts":
        from fazhi_kg.extract import extract_file
        from fazhi_kg.facts import dumps

        click.echo(dumps(extract_file(path)), nl=False)
    else:
        from fazhi_kg.corpus.build import build_report

        sys.stdout.buffer.write(build_report(path, rid=rid).turtle)


@cli.command()
@click.argument("graphs", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "turtle", "json"]),
    default="text",
    show_default=True,
    help="Output form of the validation report.",
)
@click.option(
    "--lang",
    type=click.Choice(["en", "zh"]),
    default="en",
    show_default=True,
    help="Language of messages.",
)
@click.option("--allow-warnings", is_flag=True, help="Exit 0 when only warnings are found.")
@click.option(
    "--engine",
    type=click.Choice(["fast", "pyshacl"]),
    default="fast",
    show_default=True,
    help="fast: shapes compiled to SPARQL on Oxigraph; pyshacl: all shapes in pySHACL.",
)
@_store_option
@_report_option("With --store: only this report")
@_jobs_option
@click.option(
    "--cache/--no-cache",
    default=True,
    show_default=True,
    help="With --store or --jobs: reuse the results of graphs validated before.",
)
def validate(
    graphs: tuple[Path, ...],
    fmt: str,
    lang: str,
    allow_warnings: bool,
    engine: str,
    store: Path | None,
    reports: tuple[str, ...],
    jobs: int | None,
    cache: bool,
) -> None:
    """Validate graph files against the SHACL shapes (default: the shipped graphs).

    With --store, or --jobs, each report graph is validated on its own, in parallel, and its
    result cached by content (see `fazhi_kg.corpus.validate`). Exits 0 if they conform, 1 on
    violations (or warnings without --allow-warnings), 2 on unreadable input.

    \b
    Example:
      fazhi validate graph/*.ttl --lang zh
      fazhi validate --store corpus.store
      fazhi validate --store corpus.store --report 'sichuan-*-2023'
    """
    from fazhi_kg.resources import default_graph_files
    from fazhi_kg.validate import render_json, render_text, validate_files

    if store is not None and graphs:
        raise UsageError("Give either graph files or --store, not both.")
    from fazhi_kg.rdfio.select import only_with_store

    only_with_store(reports, store)
    if store is not None or jobs is not None:
        from fazhi_kg.corpus.validate import validate_corpus

        checked = validate_corpus(
            None if store is not None else list(graphs) or default_graph_files(),
            store=store,
            jobs=jobs,
            engine=engine,
            use_cache=cache,
            reports=reports,
        )
        click.echo(
            f"validated {len(checked.reports)} report graphs ({checked.cached} from the cache) "
            f"in {checked.seconds:.1f} s",
            err=True,
        )
        rep = checked.merged()
    else:
        rep = validate_files(list(graphs) or default_graph_files(), engine=engine)
    if fmt == "text":
        click.echo(render_text(rep, lang=lang))
    elif fmt == "json":
        click.echo(render_json(rep))
    else:
        click.echo(rep.graph.serialize(format="turtle"), nl=False)
    if not rep.conforms or (rep.count("Warning") and not allow_warnings):
        sys.exit(1)


@cli.command()
@click.argument("report", type=click.Path(path_type=Path), required=False)
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@click.option("--lang", type=click.Choice(["en", "zh"]), default="en", show_default=True)
@click.option("--allow-warnings", is_flag=True, help="Exit 0 when only warnings are found.")
@click.option("--id", "rid", help="Report id to use in the card.")
def check(report: Path | None, fmt: str, lang: str, allow_warnings: bool, rid: str | None) -> None:
    """The inspector's report card for one report (default: the embedded report).

    Builds the graph in memory, validates it and prints the required parts, the use of data and
    cases, problems against plans, timeliness and every consistency finding with its quote.
    Exit codes as for `validate`.

    \b
    Example:
      fazhi check reports/bazhou-2023.txt --lang zh
    """
    from fazhi_kg.corpus.build import check_report
    from fazhi_kg.resources import embedded_report
    from fazhi_kg.validate.card import render_json, render_text

    card = check_report(report or embedded_report(), rid=rid)
    click.echo(render_json(card) if fmt == "json" else render_text(card, lang=lang), nl=False)
    if not card.conforms or (card.count("Warning") and not allow_warnings):
        sys.exit(1)


@cli.command(name="eval")
@click.option(
    "--gold",
    "gold",
    required=True,
    type=click.Path(path_type=Path),
    help="Gold facts file (facts.schema.json).",
)
@click.argument("report", type=click.Path(path_type=Path))
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@click.option("--errors", "show_errors", is_flag=True, help="List missed and spurious facts.")
def eval_(gold: Path, report: Path, fmt: str, show_errors: bool) -> None:
    """Score the extractor on one report against a gold annotation: P, R and F1 per family.
    With a folder of gold files and a folder of texts (NAME.json and NAME.txt|.html), the
    families are summed over the set and each report's identity (jurisdiction, level, division
    code, year) is listed against its gold.

    \b
    Example:
      fazhi eval --gold tests/gold/bazhou-2023.json reports/bazhou-2023.txt
      fazhi eval --gold ../shared/eval/real/gold ../shared/eval/real/texts
    """
    from fazhi_kg.extract import extract_file
    from fazhi_kg.facts import to_json
    from fazhi_kg.facts.evaluate import (
        Evaluation,
        evaluate,
        evaluate_set,
        load_gold,
        render,
        render_identity,
    )

    identity: dict[str, Any] = {}
    if gold.is_dir():
        ev_set = evaluate_set(gold, report)
        ev = ev_set.families
        if fmt == "text":
            click.echo(render_identity(ev_set.identity) + "\n")
            click.echo(render(Evaluation(ev_set.identity_scores(), {}, {})) + "\n")
        for name, why in ev_set.refused.items():
            click.echo(
                f"{name}: refused ({why}); its identity is scored, its facts are not", err=True
            )
        identity = {
            "identity": {
                s.family: {"gold": s.gold, "predicted": s.predicted, "matched": s.matched}
                for s in ev_set.identity_scores()
            },
            "reports": {
                r.name: {"gold": r.gold, "predicted": r.predicted} for r in ev_set.identity
            },
        }
    else:
        ev = evaluate(load_gold(gold), to_json(extract_file(report)))
    if fmt == "json":
        out: dict[str, Any] = {
            s.family: {
                "gold": s.gold,
                "predicted": s.predicted,
                "matched": s.matched,
                "precision": s.precision,
                "recall": s.recall,
                "f1": s.f1,
            }
            for s in (*ev.scores, ev.overall)
        }
        click.echo(json.dumps({**out, **identity}, ensure_ascii=False, indent=2))
    else:
        click.echo(render(ev))
    if show_errors:
        for fam in ev.missed:
            for kind, items in (("missed", ev.missed[fam]), ("spurious", ev.spurious[fam])):
                for item in items:
                    click.echo(f"{fam} {kind}: {json.dumps(item, ensure_ascii=False)}")


_FORMATS = ["table", "csv", "tsv", "json", "jsonl", "md"]
_GRAPH_FORMATS = ["turtle", "nt", "nq", "trig", "xml", "jsonld"]
DEFAULT_LIMIT = 100_000  # rows in csv, tsv, json and jsonl, for a pipe or a file
PAGE = 100  # rows in a table or Markdown, for a reader; a corpus store reads only what it shows
DEFAULT_TIMEOUT = 30.0  # seconds; a runaway query ends with exit 3 instead of hanging


def _emit_answer(
    answer: Any, fmt: str, *, hidden: tuple[str, ...] = (), store: Any = None, lang: str = "zh"
) -> bytes:
    from fazhi_kg.query import render
    from fazhi_kg.query.labels import labels

    if answer.kind == "ask":
        out = render.ask(answer, render.Format(fmt if fmt in _FORMATS else "table")).encode()
    elif answer.kind == "graph":
        out = render.graph(answer, fmt if fmt in _GRAPH_FORMATS else "turtle")
    else:
        if fmt not in _FORMATS:
            raise UsageError(
                f"--format {fmt} is for graph answers; use one of {', '.join(_FORMATS)} for SELECT."
            )
        names: dict[str, str] = {}
        if fmt in ("table", "md") and store is not None:
            iris = [
                t.value
                for row in answer.rows
                for t in row
                if t is not None and type(t).__name__ == "NamedNode"
            ]
            names = labels(store, iris, lang)
        out = render.select(answer, render.Format(fmt), hidden=hidden, names=names).encode("utf-8")
    if answer.truncated:
        out += (
            f"# {answer.truncated} more results not shown; raise --limit or add --all to see them.\n"
        ).encode()
    elif answer.more:
        out += b"# More results follow; raise --limit or add --all to see them.\n"
    return out


def _row_cap(limit: int | None, every: bool, fmt: str | None) -> int | None:
    """Rows to show: --limit, none with --all, else a page for a reader and plenty for a pipe."""
    if every and limit is not None:
        raise UsageError("Give --limit N or --all, not both.")
    if every:
        return None
    if limit is not None:
        return limit
    return PAGE if fmt in (None, "table", "md") else DEFAULT_LIMIT


@cli.command(name="queries")
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
        click.echo(
            json.dumps(
                [
                    {
                        "name": q.name,
                        "summary": q.summary,
                        "description": q.description,
                        "tags": list(q.tags),
                        "scope": q.scope,
                        "params": [p.__dict__ for p in q.params],
                    }
                    for q in items
                ],
                ensure_ascii=False,
                indent=2,
            )
        )
        return
    w = max((width(q.name) for q in items), default=0)
    for q in items:
        summary = q.summary.get(lang) or q.summary.get("en", "")
        click.echo(f"{q.name}{' ' * (w - width(q.name))}  {summary}")
        for p in q.params:
            need = "required" if p.required else f"default {p.default!r}"
            example = f", e.g. {p.example}" if p.example else ""
            click.echo(f"{' ' * w}    --param {p.name}=<{p.type}>  ({need}{example})")


def _answer_options(f: Any) -> Any:
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
        _graph_option,
        _store_option,
        _report_option("Only this report"),
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


@cli.command()
@click.argument("name")
@click.option(
    "--param", "params", multiple=True, metavar="K=V", help="A query parameter (repeatable)."
)
@click.option("--format", "fmt", type=click.Choice(_FORMATS), default="table", show_default=True)
@_answer_options
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
    from fazhi_kg.query.pages import select_reports
    from fazhi_kg.query.store import open_store

    stored = get(name)
    bindings = bind(stored, parse_assignments(params))
    hidden = tuple(p.name for p in stored.params)
    cap = _row_cap(limit, every, fmt)
    if endpoint:
        if graphs or store or reports:
            raise UsageError(
                "--endpoint runs the query remotely; drop --graph, --store and --report."
            )
        from fazhi_kg.query.remote import run_remote

        answer = run_remote(endpoint, stored.text, bindings, limit=cap, timeout=timeout or 60)
        sys.stdout.buffer.write(_emit_answer(answer, fmt, hidden=hidden, lang=lang))
        return
    db = open_store(list(graphs) or None, store_dir=store)
    chosen = select_reports(db, reports) if reports else None

    def work() -> bytes:
        answer = run(
            db,
            stored.text,
            bindings=bindings,
            limit=cap,
            reports=chosen,
            per_report=stored.scope == "report",
        )
        return _emit_answer(answer, fmt, hidden=hidden, store=db, lang=lang)

    sys.stdout.buffer.write(in_child(work, timeout))


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


@cli.command()
@click.argument("query_text", metavar="QUERY|@FILE|-")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(_FORMATS + _GRAPH_FORMATS),
    default=None,
    help="Answer format (default: table for SELECT, turtle for CONSTRUCT/DESCRIBE).",
)
@_answer_options
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
    from fazhi_kg.query.pages import select_reports
    from fazhi_kg.query.store import open_store

    text = _query_text(query_text)
    cap = _row_cap(limit, every, fmt)
    db = open_store(list(graphs) or None, store_dir=store)
    chosen = select_reports(db, reports) if reports else None

    def work() -> bytes:
        # without --format the kind of answer picks it: a page of table rows, or the triples
        answer = run(
            db, text, limit=_row_cap(limit, every, "nt") if fmt is None else cap, reports=chosen
        )
        shape = fmt or ("turtle" if answer.kind == "graph" else "table")
        if fmt is None and answer.kind == "select" and cap is not None and len(answer.rows) > cap:
            answer = replace(
                answer, rows=answer.rows[:cap], truncated=answer.truncated + len(answer.rows) - cap
            )
        return _emit_answer(answer, shape, store=db, lang=lang)

    sys.stdout.buffer.write(in_child(work, timeout))


@cli.command()
@_graph_option
@_store_option
@_report_option("Only this report")
@click.option("--format", "fmt", type=click.Choice(_FORMATS), default="table", show_default=True)
def stats(graphs: tuple[Path, ...], store: Path | None, reports: tuple[str, ...], fmt: str) -> None:
    """Count the facts of every family, per report and in all (default: the shipped graphs).

    One row per report (sections, indicators, institutions, awards, cases, mechanisms, documents,
    duties, problems, plans, persons) and a last row `all` with the sums.

    \b
    Example:
      fazhi stats
      fazhi stats --store corpus.store --format csv > counts.csv
    """
    from fazhi_kg.query.pages import select_reports
    from fazhi_kg.query.stats import fact_counts
    from fazhi_kg.query.store import open_store

    db = open_store(list(graphs) or None, store_dir=store)
    answer = fact_counts(db, reports=select_reports(db, reports) if reports else None)
    sys.stdout.buffer.write(_emit_answer(answer, fmt))


_EXPORT_FORMATS = ["turtle", "nt", "nq", "trig", "jsonld", "xml", "graphml", "gexf", "csv", "html"]


@cli.command(name="export")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(_EXPORT_FORMATS),
    required=True,
    help="turtle, nt, xml: report data; nq, trig, jsonld: report graphs + ontology graph; "
    "graphml, gexf, csv: the entity network; html: the interactive explorer page.",
)
@_graph_option
@_store_option
@_report_option("Export only this report's graph")
@click.option(
    "--out",
    type=click.Path(path_type=Path, allow_dash=True),
    default=Path("-"),
    show_default=True,
    help="Output file, or - for stdout; csv: a folder, or a file ending in .zip.",
)
def export_(
    fmt: str, graphs: tuple[Path, ...], store: Path | None, reports: tuple[str, ...], out: Path
) -> None:
    """Export the graphs as RDF, JSON-LD, GraphML, GEXF or CSV (default: the shipped graphs).

    Turtle, N-Triples and RDF/XML hold the union of the report graphs; N-Quads, TriG and JSON-LD
    keep each report's named graph and add the ontology graph. GraphML, GEXF and CSV hold the
    entity network that fazhi_kg.to_networkx() returns. Output is byte-identical on every run,
    and files are replaced atomically.

    \b
    Example:
      fazhi export --format trig --out fazhi.trig
      fazhi export --format csv --out network.zip
      fazhi export --format html --out explorer.html
      fazhi export --format nq --store corpus.store --out corpus.nq
    """
    from fazhi_kg.export import export

    target = None if out == Path("-") else out
    report = list(reports) or None
    if store is not None and graphs:
        raise UsageError("Give either --graph files or --store, not both.")
    if fmt == "html":
        from fazhi_kg.viz.explorer import explorer_html, write_explorer

        if target is None:
            sys.stdout.buffer.write(explorer_html(list(graphs) or None, report=report, store=store))
        else:
            write_explorer(target, list(graphs) or None, report=report, store=store)
        return
    data = export(fmt, graphs=list(graphs) or None, report=report, out=target, store=store)
    if data is not None:
        sys.stdout.buffer.write(data)


@cli.command()
@_graph_option
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("figures"),
    show_default=True,
    help="Folder for the figure files.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["png", "svg"]),
    default="png",
    show_default=True,
    help="png: pictures; svg: vector drawings.",
)
def viz(graphs: tuple[Path, ...], out_dir: Path, fmt: str) -> None:
    """Draw the figures of the graphs as PNG or SVG files (default: the shipped graphs).

    Writes OUT/knowledge-graph, awards-by-level, quantities-by-section, problem-plan-mechanism and
    institution-neighbourhood, the figures of notebooks/01-overview.ipynb, with Chinese set in
    Noto Sans SC. File names are fixed, files are replaced atomically and every run writes the
    same bytes.

    \b
    Example:
      fazhi viz --out figures --format svg
    """
    from fazhi_kg.viz.figures import write_figures

    for path in write_figures(out_dir, graphs=list(graphs) or None, fmt=fmt):
        click.echo(path)


@cli.command()
@click.option(
    "--out",
    "out_dir",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder for index.html.",
)
def docs(out_dir: Path) -> None:
    """Write HTML documentation of the ontology: classes, properties, concept schemes, shapes.

    One self-contained page, OUT/index.html, with zh and en labels and comments side by side;
    byte-identical on every run.

    \b
    Example:
      fazhi docs --out site/ontology
    """
    from fazhi_kg.export.docs import write_docs

    click.echo(write_docs(out_dir))


@cli.command()
@click.option(
    "--store",
    type=click.Path(file_okay=False, path_type=Path),
    help="The corpus store to serve (default: the shipped graphs, in a temporary store).",
)
@click.option(
    "--bind",
    default="127.0.0.1:7878",
    show_default=True,
    help="Address and port; the default is reachable from this machine only.",
)
@click.option(
    "--timeout",
    "timeout_s",
    type=click.IntRange(min=1),
    default=None,
    help="Stop SPARQL queries after this many whole seconds.",
)
def serve(store: Path | None, bind: str, timeout_s: int | None) -> None:
    """Serve a corpus store read-only with Oxigraph's own SPARQL server, until Ctrl-C.

    The query page is http://BIND/ and the SPARQL endpoint http://BIND/query. Needs the
    `oxigraph` package (pip install 'fazhi-kg[serve]').

    \b
    Example:
      fazhi build reports/ --store store && fazhi serve --store store
      fazhi query awards --endpoint http://127.0.0.1:7878/query
    """
    from fazhi_kg.corpus.serve import oxigraph_binary
    from fazhi_kg.corpus.serve import serve as run_server

    oxigraph_binary()  # a clear error before anything starts
    click.echo(
        f"Serving {store or 'the shipped graphs'} read-only: http://{bind}/ (query page), "
        f"http://{bind}/query (SPARQL). Ctrl-C stops.",
        err=True,
    )
    sys.exit(run_server(store, bind, timeout_s=timeout_s))


@cli.command()
@click.option(
    "--graph-store",
    "url",
    required=True,
    metavar="URL",
    help="SPARQL 1.1 Graph Store endpoint, e.g. http://localhost:7878/store.",
)
@_graph_option
@click.option(
    "--store", type=click.Path(file_okay=False, path_type=Path), help="Push a corpus store."
)
@_report_option("With --store: only this report")
@click.option(
    "--user", help="User for HTTP Basic authentication; the password is read from $FAZHI_PASSWORD."
)
def push(
    url: str,
    graphs: tuple[Path, ...],
    store: Path | None,
    reports: tuple[str, ...],
    user: str | None,
) -> None:
    """Upload the report graphs and the ontology graph to a SPARQL 1.1 store, one HTTP PUT per
    graph (Graph Store HTTP Protocol): pushing again leaves the store as pushing once.

    \b
    Example:
      fazhi push --graph-store http://localhost:3030/fazhi/data --store store
    """
    import os

    from fazhi_kg.corpus.push import push as push_graphs
    from fazhi_kg.resources import default_graph_files

    if graphs and store is not None:
        raise UsageError("Push either --graph files or a --store, not both.")
    auth = None
    if user:
        password = os.environ.get("FAZHI_PASSWORD")
        if password is None:
            raise UsageError(
                "--user needs the password in the FAZHI_PASSWORD environment variable."
            )
        auth = (user, password)
    files = None if store is not None else [str(p) for p in (list(graphs) or default_graph_files())]
    result = push_graphs(url, store_dir=store, graph_files=files, auth=auth, reports=reports)
    click.echo(
        f"Pushed {len(result.graphs)} graphs ({result.triples} triples) to {url} "
        f"in {result.seconds:.1f} s."
    )


def main() -> None:
    """Entry point: run the command, turning library errors into one sentence and an exit code."""
    if "--debug" in sys.argv[1:]:
        _State.debug = True
    try:
        rv = cli.main(standalone_mode=False)
    except FazhiError as exc:
        if _State.debug:
            raise
        click.echo(f"Error: {exc}", err=True)
        sys.exit(exc.exit_code)
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        sys.exit(2)
    except click.ClickException as exc:
        exc.show()
        sys.exit(2)
    except KeyboardInterrupt:
        click.echo("Interrupted.", err=True)
        sys.exit(2)
    except BrokenPipeError:
        sys.exit(0)
    except Exception as exc:
        if _State.debug:
            raise
        click.echo(
            f"Internal error: {type(exc).__name__}: {exc}; rerun with --debug and report it.",
            err=True,
        )
        sys.exit(INTERNAL_ERROR)
    sys.exit(rv if isinstance(rv, int) else 0)

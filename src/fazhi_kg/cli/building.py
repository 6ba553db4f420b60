"""Commands that read report texts: build, extract, check and eval."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from fazhi_kg.cli.options import exit_unless_conforming, jobs_option, jurisdiction_option
from fazhi_kg.errors import UsageError


@click.command()
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
@jurisdiction_option
@click.option(
    "--validate/--no-validate",
    default=True,
    show_default=True,
    help="Report each graph's conformance to the shapes after building it.",
)
@click.option(
    "--store",
    type=click.Path(file_okay=False, path_type=Path),
    help="Also keep the corpus in this on-disk Oxigraph store.",
)
@jobs_option
def build(
    reports: tuple[Path, ...],
    out_dir: Path,
    rid: str | None,
    jurisdiction: str | None,
    validate: bool,
    store: Path | None,
    jobs: int | None,
) -> None:
    """Build report texts into RDF graph files (default: the embedded report).

    Writes OUT/<report-id>.ttl for each report, byte-identical on every run, and says whether it
    conforms to the shapes; what could be built is written and the exit is 0 (a failing exit is
    `fazhi validate`'s and `fazhi check`'s). Several reports, a folder, --store or --jobs build a
    corpus: in parallel, incrementally (OUT/manifest.json), the same text once (its copies named
    as duplicates), naming each report that cannot be read while the others build (exit 2).
    The store is replaced as a whole when the build ends: queries and `fazhi serve` see the old
    corpus or the new one, never a mix. One build per folder at a time; a build stopped at any
    point is finished by the next.

    \b
    Example:
      fazhi build reports/bazhou-2023.txt --out graph
      fazhi build reports/ --out graph --store corpus.store
    """
    from fazhi_kg.resources import embedded_report

    paths = list(reports) or [embedded_report()]
    corpus = store is not None or jobs is not None or len(paths) > 1 or paths[0].is_dir()
    if corpus and (rid or jurisdiction):
        option = "--id" if rid else "--jurisdiction"
        raise UsageError(f"{option} is for one report; drop it when building several.")
    if corpus:
        _build_corpus(paths, out_dir, store, jobs)
    else:
        _build_one(paths[0], out_dir, rid=rid, jurisdiction=jurisdiction, validate=validate)


def _build_one(
    path: Path, out_dir: Path, *, rid: str | None, jurisdiction: str | None, validate: bool
) -> None:
    from fazhi_kg.corpus.build import build_report, write_built

    built = build_report(path, rid=rid, jurisdiction=jurisdiction)
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
            + ("" if rep.conforms else f"; see `fazhi check {path}`")
        )


def _build_corpus(paths: list[Path], out_dir: Path, store: Path | None, jobs: int | None) -> None:
    from fazhi_kg.cli.progress import Progress
    from fazhi_kg.corpus.batch import Outcome, build_corpus
    from fazhi_kg.errors import shown

    with Progress("building", unit=" reports/s") as bar:

        def tick(done: int, total: int, o: Outcome) -> None:
            if o.status == "failed":  # said as it happens (a FIFO is refused before any build)
                bar.say(_failure(o))
            bar.update(done, total, o.source.name, worked=o.status == "built")

        result = build_corpus(paths, out_dir, store=store, jobs=jobs, progress=tick)
    for o in result.duplicates:
        click.echo(f"{shown(o.source)}: the same text as {shown(o.same_as)}, built once.", err=True)
    where = f"{out_dir}" + (f" and {store}" if store is not None else "")
    dups = f", {len(result.duplicates)} duplicates" if result.duplicates else ""
    click.echo(
        f"{len(result.built)} built, {len(result.unchanged)} unchanged{dups}, "
        f"{len(result.failed)} failed: {result.triples} triples in {where} "
        f"({result.seconds:.1f} s)"
    )
    if result.failed:
        sys.exit(2)


def _failure(o: Any) -> str:
    """A failed report's error, naming its file once."""
    from fazhi_kg.errors import shown

    error = o.error or "it could not be built."
    return error if shown(o.source.name) in error else f"{shown(o.source)}: {error}"


@click.command()
@click.argument("report", type=click.Path(path_type=Path), required=False)
@click.option(
    "--format",
    "fmt",
    metavar="FORMAT",
    default="facts",
    show_default=True,
    help="facts: JSON (facts.schema.json); or the RDF graph in an RDF syntax: turtle (ttl), "
    "ntriples (nt), nquads (nq), trig, jsonld, rdfxml (xml), n3.",
)
@click.option("--id", "rid", help="Report id for the RDF form.")
@jurisdiction_option
def extract(report: Path | None, fmt: str, rid: str | None, jurisdiction: str | None) -> None:
    """Print the facts of one report (default: the embedded report; - reads standard input).

    \b
    Example:
      fazhi extract reports/bazhou-2023.txt --format facts > facts.json
      fazhi extract reports/bazhou-2023.txt --format ttl
    """
    from fazhi_kg.rdfio.formats import by_name
    from fazhi_kg.resources import embedded_report

    path = report or embedded_report()
    syntax = None if fmt.strip().lower() == "facts" else by_name(fmt, also=("facts",))
    if syntax is None:
        from fazhi_kg.extract import extract_file
        from fazhi_kg.facts import dumps

        click.echo(dumps(extract_file(path, jurisdiction=jurisdiction)), nl=False)
    else:
        from fazhi_kg.corpus.build import build_report

        built = build_report(path, rid=rid, jurisdiction=jurisdiction)
        sys.stdout.buffer.write(built.serialize(syntax))


@click.command()
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
    exit_unless_conforming(card, allow_warnings)


@click.command(name="eval")
@click.option(
    "--gold",
    "gold",
    required=True,
    type=click.Path(path_type=Path),
    help="Gold facts file (facts.schema.json), or a folder of them.",
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
    from fazhi_kg.facts.evaluate import evaluate, load_gold, render

    identity: dict[str, Any] = {}
    if gold.is_dir():
        ev, identity = _eval_set(gold, report, fmt)
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


def _eval_set(gold: Path, texts: Path, fmt: str) -> tuple[Any, dict[str, Any]]:
    """A folder of gold files against a folder of texts: the families summed, and the identity
    of each report (printed as a table in text form, returned for JSON)."""
    from fazhi_kg.facts.evaluate import Evaluation, evaluate_set, render, render_identity

    ev_set = evaluate_set(gold, texts)
    if fmt == "text":
        click.echo(render_identity(ev_set.identity) + "\n")
        click.echo(render(Evaluation(ev_set.identity_scores(), {}, {})) + "\n")
    for name, why in ev_set.refused.items():
        click.echo(f"{name}: refused ({why}); its identity is scored, its facts are not", err=True)
    identity = {
        "identity": {
            s.family: {"gold": s.gold, "predicted": s.predicted, "matched": s.matched}
            for s in ev_set.identity_scores()
        },
        "reports": {r.name: {"gold": r.gold, "predicted": r.predicted} for r in ev_set.identity},
    }
    return ev_set.families, identity


COMMANDS = (build, extract, check, eval_)

"""Commands that read built graphs: validate, export, viz and docs."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from fazhi_kg.cli.options import (
    exit_unless_conforming,
    graph_option,
    graph_source,
    jobs_option,
    report_option,
    store_option,
)


@click.command()
@click.argument("graphs", nargs=-1, type=click.Path(path_type=Path, allow_dash=True))
@click.option(
    "--format",
    "fmt",
    metavar="FORMAT",
    default="text",
    show_default=True,
    help="text, json, or the SHACL validation report graph in an RDF syntax: turtle (ttl), "
    "ntriples (nt), trig, jsonld, rdfxml (xml), n3.",
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
@store_option
@report_option("With --store: only this report")
@jobs_option
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
    """Validate graph files against the SHACL shapes (default: ./graph, else the shipped graph).

    With --store, or --jobs, each report graph is validated on its own, in parallel, and its
    result cached by content (see `fazhi_kg.corpus.validate`). Exits 0 if they conform, 1 on
    violations (or warnings without --allow-warnings), 2 on unreadable input.

    \b
    Example:
      fazhi validate graph/*.ttl --lang zh
      fazhi validate --store corpus.store
      fazhi validate --store corpus.store --report 'sichuan-*-2023'
    """
    from fazhi_kg.rdfio.formats import NQUADS, NTRIPLES, by_name
    from fazhi_kg.rdfio.select import only_with_store
    from fazhi_kg.validate import render_json, render_text, validate_files
    from fazhi_kg.validate.render import render_summary

    only_with_store(reports, store)
    key = fmt.strip().lower()
    syntax = None if key in ("text", "json") else by_name(key, also=("text", "json"))
    source = graph_source(graphs, store)
    if source.store is not None or jobs is not None:
        from fazhi_kg.corpus.validate import validate_corpus

        checked = validate_corpus(
            source.file_list,
            store=source.store,
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
        summary = render_summary(checked.reports, lang=lang)
    else:
        rep = validate_files(list(source.files), engine=engine)
        summary = ""
    source.say()
    if syntax is not None:  # one graph: its N-Quads are its N-Triples
        written = NTRIPLES if syntax is NQUADS else syntax
        click.echo(rep.graph.serialize(format=written.rdflib), nl=False)
    elif key == "json":
        click.echo(render_json(rep))
    else:
        click.echo(render_text(rep, lang=lang))
        if summary:  # last, where a reader of a long corpus report looks
            click.echo("\n" + summary)
    exit_unless_conforming(rep, allow_warnings)


@click.command(name="export")
@click.option(
    "--format",
    "fmt",
    metavar="FORMAT",
    required=True,
    help="turtle (ttl), ntriples (nt, n-triples), rdfxml (xml, rdf/xml, owl): report data; "
    "nquads (nq), trig, jsonld (json-ld): report graphs + ontology graph; graphml, gexf, csv: "
    "the entity network; html: the interactive explorer page.",
)
@graph_option
@store_option
@report_option("Export only this report's graph")
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
    """Export the graphs as RDF, JSON-LD, GraphML, GEXF, CSV or the explorer page.

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
    from fazhi_kg.export import export, parse_format

    target = None if out == Path("-") else out
    report = list(reports) or None
    html = fmt.strip().lower() == "html"
    chosen = None if html else parse_format(fmt)  # before any graph is read
    source = graph_source(graphs, store)
    if chosen is None:
        from fazhi_kg.viz.explorer import explorer_html, write_explorer

        files = source.file_list
        if target is None:
            sys.stdout.buffer.write(explorer_html(files, report=report, store=source.store))
        else:
            write_explorer(target, files, report=report, store=source.store)
        source.say()
        return
    data = export(chosen, graphs=source.file_list, report=report, out=target, store=source.store)
    if data is not None:
        sys.stdout.buffer.write(data)
    source.say()


@click.command()
@graph_option
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
    """Draw the figures of the graphs as PNG or SVG files.

    Writes OUT/knowledge-graph, awards-by-level, quantities-by-section, problem-plan-mechanism and
    institution-neighbourhood, the figures of notebooks/01-overview.ipynb, with Chinese set in
    Noto Sans SC. File names are fixed, files are replaced atomically and every run writes the
    same bytes. For an interactive page of the same graph, see `fazhi export --format html`.

    \b
    Example:
      fazhi viz --out figures --format svg
      fazhi export --format html --out explorer.html
    """
    from fazhi_kg.viz.figures import write_figures

    source = graph_source(graphs, None)
    for path in write_figures(out_dir, graphs=source.file_list, fmt=fmt):
        click.echo(path)
    source.say()


@click.command()
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


COMMANDS = (validate, export_, viz, docs)

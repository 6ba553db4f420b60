"""Commands for other triple stores: serve a corpus store, push graphs to a store."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from fazhi_kg.cli.options import graph_option, graph_source, report_option
from fazhi_kg.errors import UsageError


@click.command()
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
    type=click.FloatRange(min=0.1),
    default=30.0,
    show_default=True,
    help="Stop each query after this many seconds (its process is killed, its CPU freed).",
)
@click.option(
    "--allow-service",
    "services",
    multiple=True,
    metavar="URL",
    help="An endpoint that SERVICE may call (repeatable); without it the server calls none.",
)
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=None,
    help="Queries run at once, each in its own process (default: twice the cores, at least 4).",
)
def serve(
    store: Path | None,
    bind: str,
    timeout_s: float,
    services: tuple[str, ...],
    workers: int | None,
) -> None:
    """Serve a corpus store as a read-only SPARQL endpoint, until Ctrl-C.

    The query page is http://BIND/ and the SPARQL 1.1 endpoint http://BIND/query (GET, POST,
    JSON, XML, CSV and TSV results, any RDF syntax for CONSTRUCT). Each query runs in its own
    process, stopped at --timeout; queries that would crash an engine, updates, and SERVICE calls
    (but to --allow-service endpoints) are refused. A new build of the store is served as soon
    as it is complete.

    \b
    Example:
      fazhi build reports/ --store store && fazhi serve --store store
      fazhi query awards --endpoint http://127.0.0.1:7878/query
    """
    from fazhi_kg.corpus.serve import serve as run_server

    def ready(url: str) -> None:
        limit = f"queries stop after {timeout_s:g} s"
        click.echo(
            f"Serving {store or 'the shipped graphs'} read-only: {url}/ (query page), "
            f"{url}/query (SPARQL); {limit}. Ctrl-C stops.",
            err=True,
        )

    sys.exit(
        run_server(
            store, bind, timeout_s=timeout_s, services=services, workers=workers, ready=ready
        )
    )


@click.command()
@click.option(
    "--graph-store",
    "url",
    required=True,
    metavar="URL",
    help="SPARQL 1.1 Graph Store endpoint, e.g. http://localhost:7878/store.",
)
@graph_option
@click.option(
    "--store", type=click.Path(file_okay=False, path_type=Path), help="Push a corpus store."
)
@report_option("With --store: only this report")
@click.option(
    "--user",
    help="User for HTTP Basic or Digest authentication; the password is read from $FAZHI_PASSWORD.",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0.1),
    default=300.0,
    show_default=True,
    help="Seconds the server may stay silent during one upload before the push stops (exit 3).",
)
def push(
    url: str,
    graphs: tuple[Path, ...],
    store: Path | None,
    reports: tuple[str, ...],
    user: str | None,
    timeout: float,
) -> None:
    """Upload the report graphs and the ontology graph to a SPARQL 1.1 store, one HTTP PUT per
    graph (Graph Store HTTP Protocol): pushing again leaves the store as pushing once.

    \b
    Example:
      fazhi push --graph-store http://localhost:3030/fazhi/data --store store
    """
    from fazhi_kg.corpus.push import push as push_graphs

    auth = None
    if user:
        password = os.environ.get("FAZHI_PASSWORD")
        if password is None:
            raise UsageError(
                "--user needs the password in the FAZHI_PASSWORD environment variable."
            )
        auth = (user, password)
    source = graph_source(graphs, store)
    files = None if source.store is not None else [str(p) for p in source.files]
    result = push_graphs(
        url, store_dir=source.store, graph_files=files, auth=auth, reports=reports, timeout=timeout
    )
    source.say()
    click.echo(
        f"Pushed {len(result.graphs)} graphs ({result.triples} triples) to {url} "
        f"in {result.seconds:.1f} s."
    )


COMMANDS = (serve, push)

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
    result = push_graphs(url, store_dir=source.store, graph_files=files, auth=auth, reports=reports)
    source.say()
    click.echo(
        f"Pushed {len(result.graphs)} graphs ({result.triples} triples) to {url} "
        f"in {result.seconds:.1f} s."
    )


COMMANDS = (serve, push)

"""fazhi-kg: knowledge graphs of Chinese governments' annual rule-of-law reports.

The public API, for notebooks and scripts (the `fazhi` command is a thin layer over it):

- `extract_facts(path)`: the facts of one report (frozen dataclasses; `fazhi extract`)
- `build(path, out=None)`: one report's graph, written to `out/<id>.ttl` when given (`fazhi build`)
- `queries()`: the stored queries by name (`fazhi queries`)
- `answer(name, **params)`: a stored query's answer as a `Table` (`.to_pandas()`) (`fazhi query`)
- `stats()`: the facts of each family per report (`fazhi stats`)
- `to_networkx()`: the entity network as a networkx MultiDiGraph (`fazhi export --format graphml`)

(`fazhi_kg.extract` and `fazhi_kg.query` name the subpackages of those steps, so the functions
are called `extract_facts` and `answer`.) Graphs default to the ones shipped with the package (the embedded report); pass `graphs=[…]`
(files) or `store=…` (a corpus store). Importing the package defines things and loads nothing
heavy: each function loads what it needs when it is first used (PEP 562), so `import fazhi_kg`
imports neither pyoxigraph, rdflib nor networkx.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fazhi_kg.errors import FazhiError

if TYPE_CHECKING:
    from fazhi_kg.corpus.build import Built
    from fazhi_kg.export.network import to_networkx
    from fazhi_kg.facts import Facts
    from fazhi_kg.query.catalogue import StoredQuery
    from fazhi_kg.query.table import Table

__all__ = [
    "FazhiError",
    "__version__",
    "answer",
    "build",
    "extract_facts",
    "queries",
    "stats",
    "to_networkx",
]
__version__ = "0.1.0"


def extract_facts(path: str | Path, *, jurisdiction: str | None = None) -> Facts:
    """The facts of one report file (`-`: standard input); `jurisdiction` (a GB/T 2260 code or a
    name) overrides what the text tells."""
    from fazhi_kg.extract import extract_file

    return extract_file(path, jurisdiction=jurisdiction)


def build(
    path: str | Path,
    *,
    out: str | Path | None = None,
    rid: str | None = None,
    jurisdiction: str | None = None,
) -> Built:
    """Build one report into its graph (`.turtle`, `.serialize(syntax)`, `.facts`); with `out`,
    also write `out/<report id>.ttl` atomically, as `fazhi build` does."""
    from fazhi_kg.corpus.build import build_report, write_built

    built = build_report(path, rid=rid, jurisdiction=jurisdiction)
    if out is not None:
        write_built(built, out)
    return built


def queries() -> dict[str, StoredQuery]:
    """The stored queries by name, with their summaries (zh, en) and parameters."""
    from fazhi_kg.query.catalogue import catalogue

    return dict(catalogue())


def answer(
    name: str,
    /,
    *,
    graphs: Sequence[str | Path] | None = None,
    store: str | Path | None = None,
    reports: Sequence[str] = (),
    limit: int | None = None,
    **params: object,
) -> Table:
    """The answer of the stored query `name` with its parameters as keywords, e.g.
    `answer("awards", level="provincial").to_pandas()` or `answer("institution", name="司法")`
    (graphs, store, reports and limit say what to query; every other keyword is a parameter)."""
    from fazhi_kg.query.table import answer as run_stored

    return run_stored(name, graphs=graphs, store=store, reports=reports, limit=limit, params=params)


def stats(*, graphs: Sequence[str | Path] | None = None, store: str | Path | None = None) -> Table:
    """The number of facts of each family per report, and a last row `all` with the sums."""
    from fazhi_kg.query.table import stats as fact_stats

    return fact_stats(graphs=graphs, store=store)


def __getattr__(name: str) -> Any:
    """Load the public API that needs heavy libraries only when it is first used (PEP 562)."""
    if name == "to_networkx":
        from fazhi_kg.export.network import to_networkx

        return to_networkx
    raise AttributeError(f"module 'fazhi_kg' has no attribute {name!r}")

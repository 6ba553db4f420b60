"""Where the shipped data lives: ontology, shapes, queries, reports and built graphs.

In a wheel they sit inside the package (`fazhi_kg/ontology` …); in a source checkout they sit at the
repository root. Both layouts are found without configuration.
"""

from __future__ import annotations

from pathlib import Path

from fazhi_kg.errors import UsageError

_PACKAGE = Path(__file__).resolve().parent
_NAMES = ("ontology", "queries", "reports", "graph")
DIVISIONS_FILE = "divisions.nt.gz"
"""The divisions graph in `data_dir()`, made from the gazetteer by `fazhi_kg.rdf.divisions`."""


def _root(name: str) -> Path:
    inside = _PACKAGE / name
    if inside.is_dir():
        return inside
    return _PACKAGE.parents[1] / name


def ontology_dir() -> Path:
    """The folder with fazhi.ttl, vocab.ttl, shapes.ttl and context.jsonld."""
    return _root("ontology")


def queries_dir() -> Path:
    """The folder with the stored SPARQL queries."""
    return _root("queries")


def reports_dir() -> Path:
    """The folder with the shipped report texts."""
    return _root("reports")


def graph_dir() -> Path:
    """The folder with the shipped built graphs."""
    return _root("graph")


def data_dir() -> Path:
    """The package's data files: the facts schema, the gazetteer, the lexicons."""
    return _PACKAGE / "data"


def divisions_ntriples_bytes() -> bytes:
    """The divisions graph as N-Triples (`DIVISIONS_FILE`, made by `fazhi_kg.rdf.divisions`): the
    one reader of the file, for a build's store and for a query that needs it in memory."""
    import gzip

    return gzip.decompress((data_dir() / DIVISIONS_FILE).read_bytes())


_SHIPPED = frozenset(_NAMES) | {"__pycache__"}


def package_files() -> list[Path]:
    """Every source and data file of the package, in a fixed order (the shipped ontology, queries,
    reports and graphs of a wheel, and compiled bytecode, left out): what a cache key must cover so
    that editing any of them invalidates what was built with the old code."""
    return sorted(
        f
        for f in _PACKAGE.rglob("*")
        if f.is_file() and not _SHIPPED.intersection(f.relative_to(_PACKAGE).parts)
    )


def package_dir() -> Path:
    """The installed package's folder."""
    return _PACKAGE


def package_name(path: Path) -> str:
    """A package file's path relative to the package, with / separators (for hashing)."""
    return path.relative_to(_PACKAGE).as_posix()


def facts_schema_path() -> Path:
    """The JSON Schema of the facts format (a copy of the shared one)."""
    return data_dir() / "facts.schema.json"


EMBEDDED_REPORT = "bazhou-2023.txt"


def embedded_report() -> Path:
    """The default report shipped with the package (reports/bazhou-2023.txt)."""
    return reports_dir() / EMBEDDED_REPORT


def default_graph_files() -> list[Path]:
    """The built graphs shipped with the package (the embedded report)."""
    files = sorted(graph_dir().glob("*.ttl"))
    if not files:
        raise UsageError(
            "No built graphs are shipped with this installation; "
            "run `fazhi build` and pass the files with --graph."
        )
    return files

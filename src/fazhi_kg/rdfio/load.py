"""The one loader of graph files, for every command that reads them (validate, query and sparql
--graph, export, viz, push, serve): syntax from the suffix (or the first bytes of standard input,
`-`), size checked before a graph is read whole, hostile bytes refused by `fazhi_kg.rdfio.guard`,
parsed by Oxigraph, syntax errors said in one line by `fazhi_kg.rdfio.syntax`.

Where a file's triples go: those outside any named graph into the graph `id/<file stem>/graph`
(`id/stdin/graph` for standard input), named graphs of N-Quads, TriG and JSON-LD as they are.
Imports no rdflib, so the query path can use it; `fazhi_kg.rdfio.terms` makes rdflib graphs.
"""

from __future__ import annotations

import os
import re
import stat
import sys
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import pyoxigraph as ox

from fazhi_kg.errors import InputError, UsageError
from fazhi_kg.iris import graph_iri
from fazhi_kg.rdfio import formats
from fazhi_kg.rdfio.formats import Syntax
from fazhi_kg.rdfio.guard import check_rdf
from fazhi_kg.rdfio.sniff import sniff
from fazhi_kg.rdfio.syntax import syntax_message

__all__ = ["MAX_BYTES", "STDIN", "GraphFile", "only_rdf11", "read_graph", "read_graphs"]

MAX_BYTES = 512 * 1024 * 1024
"""The most a graph read into memory may have: standard input, pipes, RDF/XML and JSON-LD files
(the guards read those whole; Turtle, N-Triples, N-Quads and TriG files Oxigraph streams)."""

STDIN = "-"
_STDIN_NAME = "standard input"
_STDIN_STEM = "stdin"


@dataclass(frozen=True)
class GraphFile:
    """One graph file, found and checked: its syntax, and its bytes where they were read."""

    name: str  # as messages name it: the path, or "standard input"
    syntax: Syntax
    stem: str  # the graph id/<stem>/graph holds its triples outside any named graph
    path: Path | None = None  # a regular file Oxigraph reads itself (when `data` is None)
    data: bytes | None = None

    @property
    def default_graph(self) -> str:
        """The named graph of the file's triples that are in no named graph."""
        return graph_iri(self.stem)

    @property
    def base_iri(self) -> str | None:
        """Relative IRIs resolve against the file's own URI (none for standard input)."""
        return self.path.absolute().as_uri() if self.path is not None else None

    def content(self) -> bytes:
        """The file's bytes (read now if they were not)."""
        if self.data is not None:
            return self.data
        assert self.path is not None
        try:
            return self.path.read_bytes()
        except OSError as exc:
            raise InputError(f"Cannot read {self.name}: {exc.strerror}; check the path.") from exc

    def quads(self, *, rename_blank_nodes: bool = True) -> list[ox.Quad]:
        """The file's quads, each triple in its named graph (see the module docstring); blank
        nodes get fresh labels, so two files never share one, unless `rename_blank_nodes` is off."""
        fmt = formats.ox_format(self.syntax)
        graph = ox.NamedNode(self.default_graph)
        source = {"input": self.data} if self.data is not None else {"path": self.path}
        try:
            parsed = list(
                ox.parse(
                    **source,
                    format=fmt,
                    base_iri=self.base_iri,
                    rename_blank_nodes=rename_blank_nodes,
                )
            )
        except (SyntaxError, ValueError, OSError) as exc:
            raise self._error(exc) from exc
        return [
            ox.Quad(q.subject, q.predicate, q.object, graph)
            if isinstance(q.graph_name, ox.DefaultGraph)
            else q
            for q in parsed
        ]

    def triples(self) -> list[ox.Triple]:
        """The union of the file's graphs: each distinct triple once, in the order read."""
        return list(dict.fromkeys(q.triple for q in self.quads()))

    def load_into(self, store: ox.Store) -> None:
        """Load the file into an Oxigraph store (which parses it without Python in between)."""
        source = {"input": self.data} if self.data is not None else {"path": str(self.path)}
        try:
            store.load(
                **source,
                format=formats.ox_format(self.syntax),
                base_iri=self.base_iri,
                to_graph=ox.NamedNode(self.default_graph),
            )
        except (SyntaxError, ValueError, OSError) as exc:
            raise self._error(exc) from exc

    def _error(self, exc: BaseException) -> InputError:
        if isinstance(exc, SyntaxError):  # the bytes serve to place errors in XML, read whole
            return InputError(syntax_message(self.name, self.syntax, exc, self.data or b""))
        return InputError(f"Cannot read {self.name}: {exc}; check the file.")


def read_graph(path: str | Path, *, syntax: Syntax | str | None = None) -> GraphFile:
    """Find one graph file (`-`: standard input) and check it; raises `InputError` naming the
    problem. `syntax` (a `Syntax` or a name such as `ttl`) overrides the suffix or the sniffing."""
    chosen = formats.by_name(syntax) if isinstance(syntax, str) else syntax
    if str(path) == STDIN:
        data = _read_bounded(sys.stdin.buffer, _STDIN_NAME)
        found = chosen or sniff(data)
        check_rdf(data, found.guard, _STDIN_NAME)
        return GraphFile(_STDIN_NAME, found, _STDIN_STEM, data=_readable(data, found))
    p = Path(path)
    try:
        info = os.stat(p)
    except FileNotFoundError as exc:
        raise InputError(
            f"Graph file {p} does not exist; check the path or run `fazhi build`."
        ) from exc
    except OSError as exc:
        raise InputError(f"Cannot read {p}: {exc.strerror}; check the path.") from exc
    if stat.S_ISDIR(info.st_mode):
        raise InputError(f"{p} is a folder; give graph files (e.g. graph/*.ttl).")
    found = chosen or formats.of_path(str(p), p.suffix)
    regular = stat.S_ISREG(info.st_mode)
    if regular and found.guard is None:
        return GraphFile(str(p), found, p.stem, path=p)
    if regular and info.st_size > MAX_BYTES:
        raise InputError(_too_large(str(p), f"is {info.st_size / 2**20:,.0f} MB, more"))
    try:
        with open(p, "rb") as fh:  # bounded: a pipe or a device can be endless
            data = _read_bounded(fh, str(p))
    except OSError as exc:
        raise InputError(f"Cannot read {p}: {exc.strerror}; check its permissions.") from exc
    check_rdf(data, found.guard, str(p))
    return GraphFile(
        str(p), found, p.stem, path=p if regular else None, data=_readable(data, found)
    )


def read_graphs(
    paths: Sequence[str | Path], *, syntax: Syntax | str | None = None
) -> Iterator[GraphFile]:
    """`read_graph` for each path in turn; standard input may be named once."""
    if sum(1 for p in paths if str(p) == STDIN) > 1:
        raise UsageError("Standard input (-) can be read only once; name it once.")
    for p in paths:
        yield read_graph(p, syntax=syntax)


def only_rdf11(quads: Iterable[ox.Quad | ox.Triple], reader: str) -> None:
    """Refuse RDF 1.2 triple terms (`<<( … )>>`) where `reader` ("export", "validate") reads
    RDF 1.1 data only."""
    for q in quads:
        for term in (q.subject, q.object):
            if isinstance(term, ox.Triple):
                raise InputError(
                    f"The graphs hold an RDF 1.2 triple term ({term}); {reader} reads RDF 1.1 "
                    "data only, so remove it from the input."
                )


_SINGLE_QUOTED_ENTITY = re.compile(rb"(<!ENTITY\s+[^\s%;>]+\s+)'([^'\"]*)'")


def _readable(data: bytes, syntax: Syntax) -> bytes:
    """The bytes as Oxigraph's parser reads them: its RDF/XML parser takes entity values in double
    quotes only, and Jena writes them in single quotes (same length: places stay where they were)."""
    if syntax.guard != "xml" or b"<!ENTITY" not in data:
        return data
    return _SINGLE_QUOTED_ENTITY.sub(rb'\1"\2"', data)


def _read_bounded(fh: BinaryIO, name: str) -> bytes:
    data = fh.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise InputError(_too_large(name, "gives more"))
    return data


def _too_large(name: str, size: str) -> str:
    """`size`: "is 600 MB, more" or "gives more"."""
    return (
        f"{name} {size} than the {MAX_BYTES // 2**20} MB a graph read whole can have; save it "
        "as N-Quads or Turtle, which are read as a stream, or split it."
    )

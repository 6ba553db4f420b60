"""The RDF syntaxes fazhi reads and writes: one table of names, file suffixes, media types and the
parser names of pyoxigraph and rdflib, for every command.

The names are those Apache Jena's `riot --syntax` accepts (case does not matter), so a user can say
`ttl`, `n-triples` or `rdf/xml` as they would there. Plain data: importing this module imports
neither pyoxigraph nor rdflib (`ox_format` loads pyoxigraph when it is called).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from fazhi_kg.errors import InputError, UsageError

if TYPE_CHECKING:
    import pyoxigraph as ox

__all__ = [
    "JSONLD",
    "N3",
    "NQUADS",
    "NTRIPLES",
    "RDFXML",
    "SYNTAXES",
    "TRIG",
    "TURTLE",
    "Syntax",
    "by_media_type",
    "by_name",
    "by_suffix",
    "find",
    "of_path",
    "ox_format",
    "suffixes",
]


@dataclass(frozen=True)
class Syntax:
    """One RDF syntax: what users call it, how its files end, and what each library calls it."""

    label: str  # as messages name it: "Turtle", "RDF/XML"
    names: tuple[str, ...]  # accepted names, lower case; the first is the canonical one
    suffixes: tuple[str, ...]  # file suffixes, lower case, with the dot; the first is the usual one
    media_type: str  # https://www.iana.org/assignments/media-types
    ox: str  # the pyoxigraph.RdfFormat attribute
    rdflib: str  # rdflib's parser and serializer name
    datasets: bool  # can name graphs (N-Quads, TriG, JSON-LD)
    guard: str | None = None  # which check of fazhi_kg.rdfio.guard its bytes need: "xml", "json"

    @property
    def name(self) -> str:
        return self.names[0]


TURTLE = Syntax("Turtle", ("turtle", "ttl"), (".ttl",), "text/turtle", "TURTLE", "turtle", False)
NTRIPLES = Syntax(
    "N-Triples",
    ("ntriples", "nt", "n-triples"),
    (".nt",),
    "application/n-triples",
    "N_TRIPLES",
    "nt",
    False,
)
NQUADS = Syntax(
    "N-Quads",
    ("nquads", "nq", "n-quads"),
    (".nq",),
    "application/n-quads",
    "N_QUADS",
    "nquads",
    True,
)
TRIG = Syntax("TriG", ("trig",), (".trig",), "application/trig", "TRIG", "trig", True)
JSONLD = Syntax(
    "JSON-LD",
    ("jsonld", "json-ld"),
    (".jsonld", ".json"),
    "application/ld+json",
    "JSON_LD",
    "json-ld",
    True,
    guard="json",
)
RDFXML = Syntax(
    "RDF/XML",
    ("rdfxml", "rdf/xml", "xml", "owl"),
    (".rdf", ".xml", ".owl"),
    "application/rdf+xml",
    "RDF_XML",
    "xml",
    False,
    guard="xml",
)
N3 = Syntax("N3", ("n3",), (".n3",), "text/n3", "N3", "n3", False)

SYNTAXES: tuple[Syntax, ...] = (TURTLE, NTRIPLES, NQUADS, TRIG, JSONLD, RDFXML, N3)

_BY_NAME = {name: s for s in SYNTAXES for name in s.names}
_BY_SUFFIX = {suffix: s for s in SYNTAXES for suffix in s.suffixes}
_BY_MEDIA_TYPE = {s.media_type: s for s in SYNTAXES}


def suffixes() -> list[str]:
    """Every suffix a graph file may have, sorted (for messages)."""
    return sorted(_BY_SUFFIX)


def find(name: str) -> Syntax | None:
    """The syntax a user names (`ttl`, `N-Triples`, `rdf/xml` …), or None."""
    return _BY_NAME.get(name.strip().lower())


def by_name(name: str, *, also: tuple[str, ...] = ()) -> Syntax:
    """The syntax a user names (`ttl`, `N-Triples`, `rdf/xml` …); `UsageError` for others,
    naming `also`, the command's other formats, when it has some."""
    found = find(name)
    if found is None:
        names = ", ".join(sorted(_BY_NAME))
        if also:
            raise UsageError(
                f'Unknown format "{name}"; use {", ".join(also)}, or an RDF syntax: {names}.'
            )
        raise UsageError(f'Unknown RDF syntax "{name}"; use one of {names}.')
    return found


def by_suffix(suffix: str) -> Syntax | None:
    """The syntax of files ending in `suffix` (".ttl"), or None."""
    return _BY_SUFFIX.get(suffix.lower())


def by_media_type(media_type: str) -> Syntax | None:
    """The syntax of a media type (parameters such as `; charset=utf-8` ignored), or None."""
    return _BY_MEDIA_TYPE.get(media_type.split(";")[0].strip().lower())


def of_path(name: str, suffix: str) -> Syntax:
    """The syntax of a graph file, from its suffix; `InputError` naming the suffixes known."""
    found = by_suffix(suffix)
    if found is None:
        raise InputError(
            f"Cannot tell the RDF syntax of {name} from its extension; use one of "
            f"{', '.join(suffixes())}."
        )
    return found


def ox_format(syntax: Syntax) -> ox.RdfFormat:
    """The pyoxigraph format of a syntax."""
    import pyoxigraph as ox

    fmt: ox.RdfFormat = getattr(ox.RdfFormat, syntax.ox)
    return fmt

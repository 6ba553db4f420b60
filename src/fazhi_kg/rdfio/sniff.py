"""The syntax of RDF data that comes without a file name (standard input), from its first bytes.

JSON-LD starts with `{"` or `[{`, RDF/XML with `<?xml`, a comment, a DOCTYPE or an element with
attributes; a first statement of four terms is N-Quads; anything else is read as TriG, which
includes Turtle and N-Triples.
"""

from __future__ import annotations

import re

from fazhi_kg.rdfio.formats import JSONLD, NQUADS, RDFXML, TRIG, Syntax

__all__ = ["sniff"]

_HEAD = 65536
_JSON = re.compile(r"[\[{]\s*[\"{}]")
_XML = re.compile(r"<(?:\?xml|!|[A-Za-z_][\w.:-]*\s+[\w.:-]+\s*=)")
_IRI = r"<[^<>\s]*>"
_NODE = rf"(?:{_IRI}|_:\S+)"
_LITERAL = r'"(?:[^"\\\n]|\\.)*"(?:\^\^<[^<>\s]*>|@[A-Za-z0-9-]+)?'
_QUAD = re.compile(rf"{_NODE}\s+{_IRI}\s+(?:{_NODE}|{_LITERAL})\s+{_NODE}\s*\.\s*(?:#.*)?")


def sniff(data: bytes) -> Syntax:
    """The syntax `data` is most likely in (see the module docstring)."""
    text = data[:_HEAD].decode("utf-8", "replace").lstrip("\ufeff \t\r\n")
    if _JSON.match(text):
        return JSONLD
    if _XML.match(text):
        return RDFXML
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            return NQUADS if _QUAD.fullmatch(line) else TRIG
    return TRIG

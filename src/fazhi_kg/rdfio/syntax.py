"""Where an RDF file's syntax error is, said the same way by every command that reads graphs:
`line L, column C: detail` on one line, whichever parser (Oxigraph, rdflib, expat, json) found it.

Plain Python over bytes plus pyoxigraph, so the query path can use it (it imports no rdflib).
"""

from __future__ import annotations

import json
import re
import xml.parsers.expat
from pathlib import Path

# "Parser error at line 2 column 37: ", "… between line 3 column 11 and line 5 column 1: ",
# "… at line 2 between columns 1 and 4: "; the position is in the exception's lineno and offset
_OX_PREFIX = re.compile(r"^Parser error (?:at|between) line [0-9a-z ]*: ")
_XML_SUFFIXES = frozenset({".rdf", ".xml", ".owl", ".trix"})


def syntax_message(path: str | Path, label: str, exc: BaseException, data: bytes) -> str:
    """The one sentence for a graph file a parser refused, naming the file, syntax and place."""
    return f"{path} is not valid {label}: {located(exc, data, Path(path).suffix)}; fix the file or rebuild it."


def located(exc: BaseException, data: bytes, suffix: str) -> str:
    """`line L, column C: detail` (columns from 1) for a parser's exception; without a position in
    the exception, the place expat finds in XML, else the first line of the complaint."""
    import xml.sax

    if isinstance(exc, xml.sax.SAXParseException):
        column = exc.getColumnNumber()  # expat counts from 0, editors from 1
        return _one_line(exc.getLineNumber(), (column or 0) + 1, exc.getMessage())
    if isinstance(exc, json.JSONDecodeError):
        return _one_line(exc.lineno, exc.colno, exc.msg)
    if isinstance(exc, SyntaxError) and exc.lineno is not None:
        return _one_line(exc.lineno, exc.offset, _OX_PREFIX.sub("", exc.msg or ""))
    detail = " ".join(str(exc).split()) or type(exc).__name__
    if suffix.lower() in _XML_SUFFIXES:
        place = xml_error(data)
        if place is not None:
            return place
    return detail  # e.g. well-formed XML that is not RDF/XML: Oxigraph gives no position


def xml_error(data: bytes) -> str | None:
    """Where expat finds the XML not well-formed, or None if it is well-formed.

    Only called after `fazhi_kg.rdfio.guard` has refused entity bombs and external entities; expat
    does not fetch external entities unless asked to.
    """
    parser = xml.parsers.expat.ParserCreate()
    try:
        parser.Parse(data, True)
    except xml.parsers.expat.ExpatError as err:
        return _one_line(err.lineno, err.offset + 1, xml.parsers.expat.ErrorString(err.code))
    return None


def _one_line(line: int | None, column: int | None, detail: str) -> str:
    return f"line {line}, column {column}: {' '.join(detail.split())}"

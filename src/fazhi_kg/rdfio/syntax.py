"""Where an RDF file's syntax error is, said the same way by every command that reads graphs:
`line L, column C: detail` on one line, from Oxigraph's exception, or from expat where Oxigraph
gives no place (RDF/XML). Plain Python: the query path can use it.
"""

from __future__ import annotations

import re
import xml.parsers.expat

from fazhi_kg.rdfio.formats import Syntax

# "Parser error at line 2 column 37: ", "… between line 3 column 11 and line 5 column 1: ",
# "… at line 2 between columns 1 and 4: "; the position is in the exception's lineno and offset
_OX_PREFIX = re.compile(r"^Parser error (?:at|between) line [0-9a-z ]*: ")


def syntax_message(name: str, syntax: Syntax, exc: BaseException, data: bytes) -> str:
    """The one sentence for a graph a parser refused, naming the file, syntax and place."""
    where = located(exc, data, is_xml=syntax.guard == "xml")
    return f"{name} is not valid {syntax.label}: {where}; fix the file or rebuild it."


def located(exc: BaseException, data: bytes, *, is_xml: bool = False) -> str:
    """`line L, column C: detail` (columns from 1) for Oxigraph's exception; without a position in
    the exception, the place expat finds in XML data, else the first line of the complaint."""
    if isinstance(exc, SyntaxError) and exc.lineno is not None:
        return _one_line(exc.lineno, exc.offset, _OX_PREFIX.sub("", exc.msg or ""))
    detail = " ".join(str(exc).split()) or type(exc).__name__
    if is_xml:
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

"""Typed literals as rdflib reads them, so the compiled checks give pySHACL's verdicts.

pySHACL decides sh:datatype and comparisons on rdflib's reading of a literal: its normalized
lexical form, and whether rdflib finds it ill-typed ("-1"^^xsd:nonNegativeInteger). Oxigraph's
store would canonicalize typed literals instead (xsd:nonNegativeInteger becomes xsd:integer), so
every typed literal is loaded with rdflib's lexical form and a datatype that records the verdict:
`"lex"^^<OK + D>` for a well-formed literal of datatype D, `"lex"^^<BAD + D>` for an ill-typed one.
"""

from __future__ import annotations

import logging
import re
from functools import lru_cache

from rdflib import Literal, URIRef

from fazhi_kg import iris

__all__ = ["BAD", "OK", "datatype_of", "encode_ntriples", "encoded", "escape", "value_of"]

OK = "urn:fazhi:datatype:ok:"
BAD = "urn:fazhi:datatype:ill:"

_TYPED = re.compile(rb'"((?:[^"\\\n]|\\.)*)"\^\^<([^>]*)>(?=[ \t]*\.[ \t]*\r?$)', re.M)
_ESCAPE = re.compile(r"\\(?:u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|(.))")
_SIMPLE = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", '"': '"', "'": "'", "\\": "\\"}


def _unescape(text: str) -> str:
    def one(m: re.Match[str]) -> str:
        code = m.group(1) or m.group(2)
        return chr(int(code, 16)) if code else _SIMPLE.get(m.group(3), m.group(3))

    return _ESCAPE.sub(one, text) if "\\" in text else text


def escape(text: str) -> str:
    """Text in a SPARQL or N-Triples string literal."""
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")


@lru_cache(maxsize=65536)
def _reading(lexical: str, datatype: str) -> tuple[str, bool]:
    """rdflib's normalized lexical form of a typed literal, and whether rdflib finds it ill-typed."""
    logger = logging.getLogger("rdflib.term")
    level = logger.level
    logger.setLevel(logging.CRITICAL)  # rdflib logs every ill-typed literal it reads
    try:
        lit = Literal(lexical, datatype=URIRef(datatype))
    finally:
        logger.setLevel(level)
    return str(lit), bool(lit.ill_typed)


def encoded(lexical: str, datatype: str) -> str:
    """A typed literal in N-Triples or SPARQL, as rdflib reads it."""
    if datatype == iris.RDF + "langString":  # not valid N-Triples; kept for Oxigraph to refuse
        return f'"{escape(lexical)}"^^<{datatype}>'
    text, bad = _reading(lexical, datatype)
    return f'"{escape(text)}"^^<{BAD if bad else OK}{datatype}>'


def encode_ntriples(data: bytes) -> bytes:
    """N-Triples with every typed literal as rdflib reads it (see the module docstring)."""

    def one(m: re.Match[bytes]) -> bytes:
        lexical = _unescape(m.group(1).decode("utf-8"))
        return encoded(lexical, m.group(2).decode("utf-8")).encode("utf-8")

    return _TYPED.sub(one, data)


def datatype_of(encoded_datatype: str) -> tuple[str, bool]:
    """The real datatype of an encoded literal's datatype, and whether it was marked well-formed."""
    for prefix in (OK, BAD):
        if encoded_datatype.startswith(prefix):
            return encoded_datatype[len(prefix) :], prefix == OK
    return encoded_datatype, False


def value_of(var: str) -> str:
    """The value a comparison sees: the literal with its datatype restored (an error when
    rdflib finds it ill-typed, or for IRIs and blank nodes; callers COALESCE errors)."""
    return (
        f'IF(STRSTARTS(STR(DATATYPE({var})), "{OK}"), '
        f'STRDT(STR({var}), IRI(STRAFTER(STR(DATATYPE({var})), "{OK}"))), '
        f'IF(STRSTARTS(STR(DATATYPE({var})), "{BAD}"), 1/0, {var}))'
    )

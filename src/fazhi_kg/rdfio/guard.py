"""Refuse RDF files that would make a parser hang, crash or reach the network, before any parser
sees them: XML entity bombs and external entities, remote JSON-LD contexts, deep nesting.

rdflib's RDF/XML parser and Oxigraph's both expand internal XML entities without limit (a 1 KB file
ran for minutes); rdflib's JSON-LD parser fetches remote `@context` URLs; Oxigraph's JSON-LD parser
overflows its stack on a few thousand nested objects and its RDF/XML parser slows down
quadratically on deep element nesting. Plain Python over bytes, so the query path can use it too
(it imports neither rdflib nor pyoxigraph).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

from fazhi_kg.errors import InputError
from fazhi_kg.rdfio.formats import by_suffix
from fazhi_kg.text.decode import BOMS

__all__ = ["check_json", "check_rdf", "check_rdf_bytes", "check_xml"]

MAX_JSON_DEPTH = 256
MAX_XML_DEPTH = 1000
MAX_ENTITIES = 1000

_DOCTYPE = re.compile(r"<!DOCTYPE\b", re.IGNORECASE)
_ENTITY_WORD = re.compile(r"<!ENTITY", re.IGNORECASE)
_ENTITY_DECL = re.compile(
    r"<!ENTITY\s+(?P<param>%\s*)?(?P<name>[^\s%;>]+)\s+"
    r"(?:(?P<external>SYSTEM|PUBLIC)\b|\"(?P<dq>[^\"]{0,10000})\"|'(?P<sq>[^']{0,10000})')",
    re.IGNORECASE,
)
_CHAR_REF = re.compile(r"&#(?:[0-9]+|x[0-9a-fA-F]+);")
_ENTITY_REF = re.compile(r"&([^\s&;#<>\"']+);")
_PREDEFINED = frozenset({"amp", "lt", "gt", "quot", "apos"})
_XML_TAG = re.compile(r"<(/?)[^\s/<>!?][^<>]*?(/?)>")  # no '<' inside a tag: stays linear
_JSON_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]', re.DOTALL)


def check_rdf(data: bytes, kind: str | None, name: str) -> None:
    """Raise `InputError` if RDF bytes must not reach a parser; `kind` is the syntax's guard
    (`fazhi_kg.rdfio.formats.Syntax.guard`): "xml", "json" or None (nothing to check)."""
    if kind == "xml":
        check_xml(_xml_text(data), name)
    elif kind == "json":
        check_json(data, name)


def check_rdf_bytes(data: bytes, suffix: str, name: str) -> None:
    """`check_rdf` for the syntax of files ending in `suffix`."""
    syntax = by_suffix(suffix)
    check_rdf(data, syntax.guard if syntax is not None else None, name)


def _xml_text(data: bytes) -> str:
    """The XML as text, decoded far enough that markup is visible in any encoding expat reads."""
    for bom, codec in BOMS:
        if data.startswith(bom):
            return data.decode(codec, "replace")
    if data[:1] == b"\x00" or data[1:2] == b"\x00":  # UTF-16 without a byte-order mark
        codec = "utf-16-be" if data[:1] == b"\x00" else "utf-16-le"
        return data.decode(codec, "replace")
    return data.decode("utf-8", "replace")


def check_xml(text: str, name: str) -> None:
    """Refuse external entities and DTDs, parameter entities, entity expansion beyond ten times
    the file's size, and element nesting deeper than `MAX_XML_DEPTH`."""
    if _DOCTYPE.search(text):
        _check_entities(text, name)
    depth = deepest = 0
    for m in _XML_TAG.finditer(text):
        if m.group(1):
            depth -= 1
        elif not m.group(2):
            depth += 1
            deepest = max(deepest, depth)
    if deepest > MAX_XML_DEPTH:
        raise InputError(
            f"{name} nests XML elements {deepest} deep, more than the {MAX_XML_DEPTH} an RDF/XML "
            "file needs; flatten it or save it as Turtle."
        )


def _check_entities(text: str, name: str) -> None:
    doctype = _DOCTYPE.search(text)
    assert doctype is not None
    header = re.match(r"[^\[>]*", text[doctype.end() :])
    if header and re.search(r"\b(?:SYSTEM|PUBLIC)\b", header.group(0)):
        raise InputError(
            f"{name} refers to an external DTD, which the parser would fetch; remove the "
            "DOCTYPE declaration."
        )
    declared = len(_ENTITY_WORD.findall(text))
    if declared > MAX_ENTITIES:
        raise InputError(
            f"{name} declares {declared:,} XML entities, more than the {MAX_ENTITIES} fazhi "
            "accepts; remove the DOCTYPE declaration."
        )
    values: dict[str, str] = {}
    found = body = 0
    for m in _ENTITY_DECL.finditer(text):
        found += 1
        body = m.end()
        if m.group("param"):
            raise InputError(
                f"{name} declares an XML parameter entity (%{m.group('name')}), which fazhi "
                "does not accept; remove the DOCTYPE declaration."
            )
        if m.group("external"):
            raise InputError(
                f"{name} declares an external XML entity (&{m.group('name')};), which would "
                "read another file or URL; remove the declaration."
            )
        value = m.group("dq") if m.group("dq") is not None else m.group("sq")
        values.setdefault(m.group("name"), _expand_char_refs(value or ""))
    if found != declared:
        raise InputError(
            f"{name} declares XML entities in a form fazhi cannot check; remove the DOCTYPE "
            "declaration."
        )
    if not values:
        return
    sizes: dict[str, int] = {}
    total = sum(_expanded(ref, values, sizes, name, ()) for ref in _refs(text[body:], values))
    if total > max(10 * len(text), 1_000_000):
        raise InputError(
            f"{name} declares XML entities that would expand to about {total:,} characters, "
            "more than ten times the file (an entity bomb); remove the DOCTYPE declaration."
        )


def _expand_char_refs(value: str) -> str:
    """Character references in an entity value are replaced when it is declared (&#38; becomes
    a '&' that starts a reference when the value is used)."""

    def char(m: re.Match[str]) -> str:
        ref = m.group(0)[2:-1]
        code = int(ref[1:], 16) if ref.startswith("x") else int(ref)
        return chr(code) if code in (0x25, 0x26) else m.group(0)

    return _CHAR_REF.sub(char, value)


def _refs(text: str, values: dict[str, str]) -> Iterator[str]:
    for m in _ENTITY_REF.finditer(text):
        if m.group(1) in values:
            yield m.group(1)


def _expanded(
    ref: str, values: dict[str, str], sizes: dict[str, int], name: str, stack: tuple[str, ...]
) -> int:
    """Characters that one reference to entity `ref` expands to."""
    if ref in sizes:
        return sizes[ref]
    if ref in stack:
        raise InputError(
            f"{name} declares XML entities that refer to each other in a loop (&{ref};); "
            "remove the DOCTYPE declaration."
        )
    if len(stack) >= 32:
        raise InputError(
            f"{name} nests XML entity references more than 32 deep; remove the DOCTYPE declaration."
        )
    value = values[ref]
    size = len(_ENTITY_REF.sub("", value))
    for inner in _refs(value, values):
        size = min(size + _expanded(inner, values, sizes, name, (*stack, ref)), 10**15)
    sizes[ref] = size
    return size


def check_json(data: bytes, name: str) -> None:
    """Refuse nesting deeper than `MAX_JSON_DEPTH` and any `@context` that is not embedded."""
    try:
        text = data.decode(json.detect_encoding(data), "replace")
    except LookupError:
        text = data.decode("utf-8", "replace")
    depth = 0
    for m in _JSON_TOKEN.finditer(text):
        tok = m.group(0)
        if tok in "[{":
            depth += 1
            if depth > MAX_JSON_DEPTH:
                raise InputError(
                    f"{name} nests JSON objects and arrays more than {MAX_JSON_DEPTH} deep, more "
                    "than a JSON-LD file needs; flatten it."
                )
        elif tok in "]}":
            depth -= 1
    try:
        doc = json.loads(text)
    except ValueError:
        return  # the parser reports the syntax error with its line and column
    for ctx in _contexts(doc):
        remote = _remote(ctx)
        if remote is not None:
            raise InputError(
                f"{name} refers to a JSON-LD context by reference ({remote}), which the parser "
                "would fetch; embed the context in the file."
            )


def _contexts(node: Any) -> Iterator[Any]:
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            for key, value in item.items():
                if key == "@context":
                    yield value
                stack.append(value)
        elif isinstance(item, list):
            stack.extend(item)


def _remote(ctx: Any) -> str | None:
    """The first context reference (a string, or an @import) in a context value."""
    items = ctx if isinstance(ctx, list) else [ctx]
    for item in items:
        if isinstance(item, str):
            return f"“{item[:80]}”"
        if isinstance(item, dict) and "@import" in item:
            return f"@import “{str(item['@import'])[:80]}”"
    return None

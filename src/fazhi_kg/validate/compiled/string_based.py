"""SHACL §4.4 String-based Constraint Components (https://www.w3.org/TR/shacl/#core-components-string):
sh:minLength, sh:maxLength, sh:pattern (with sh:flags) and sh:languageIn on each value node, and
sh:uniqueLang on the values of a property shape."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from rdflib import Literal
from rdflib.term import Node, URIRef

from fazhi_kg.validate.compiled.check import Params, Query, integer
from fazhi_kg.validate.compiled.literals import escape
from fazhi_kg.validate.vocab import SH

if TYPE_CHECKING:
    from fazhi_kg.validate.compiled.compiler import Compiler

__all__ = ["COLLECTION", "PARAMETERS", "VALUE", "focus_checks", "nested", "value_ok"]

VALUE = {
    SH.minLength: "MinLength",
    SH.maxLength: "MaxLength",
    SH.pattern: "Pattern",
    SH.languageIn: "LanguageIn",
}
PARAMETERS = {SH.flags}  # read with sh:pattern
COLLECTION = {SH.uniqueLang}


def value_ok(c: Compiler, params: Params, p: URIRef, o: Node, var: str) -> str:
    """The expression true when `var` satisfies `p o`."""
    if p in (SH.minLength, SH.maxLength):
        op = ">=" if p == SH.minLength else "<="
        return f"COALESCE(!isBlank({var}) && STRLEN(STR({var})) {op} {integer(o)}, false)"
    if p == SH.pattern:
        flags = params.get(SH.flags, [Literal("")])[0]
        return (
            f"COALESCE(!isBlank({var}) && REGEX(STR({var}), "
            f'"{escape(str(o))}", "{escape(str(flags))}"), false)'
        )
    langs = [str(x).lower() for x in c.items(o)]  # sh:languageIn
    if "*" in langs:
        return f'COALESCE(LANG({var}) != "", false)'
    listed = ", ".join(f'"{escape(x)}"' for x in langs) or '""'
    return (
        f'COALESCE(LANG({var}) != "" && (LCASE(LANG({var})) IN ({listed}) || '
        f'LCASE(STRBEFORE(CONCAT(LANG({var}), "-"), "-")) IN ({listed})), false)'
    )


def _unique_lang(params: Params) -> bool:
    return any(bool(x) for x in params.get(SH.uniqueLang, []))


def focus_checks(c: Compiler, params: Params, focus: str, path: str) -> Iterator[Query]:
    """sh:uniqueLang true: the focus nodes with two values in one language."""
    del c
    if _unique_lang(params):
        yield Query(
            "UniqueLang",
            f"SELECT DISTINCT ?this ?lang WHERE {{ {focus} ?this {path} ?a . ?this {path} ?b "
            f'FILTER(LANG(?a) != "" && !sameTerm(?a, ?b) && LCASE(LANG(?a)) = LCASE(LANG(?b))) '
            f"BIND(LCASE(LANG(?a)) AS ?lang) }}",
            "focus",
        )


def nested(c: Compiler, params: Params, var: str, path: str, y: str) -> Iterator[str]:
    """sh:uniqueLang true as an expression on the node `var`."""
    del y
    if _unique_lang(params):
        a, b = c.var(), c.var()
        yield (
            f"NOT EXISTS {{ {var} {path} {a} . {var} {path} {b} "
            f'FILTER(LANG({a}) != "" && !sameTerm({a}, {b}) && '
            f"LCASE(LANG({a})) = LCASE(LANG({b}))) }}"
        )

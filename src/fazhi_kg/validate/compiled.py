"""SHACL Core (https://www.w3.org/TR/shacl/#core-components) compiled to SPARQL and run on Oxigraph.

Each shape becomes SELECT queries that return its violations: value-type, range, string and
logical components as FILTER expressions on a value node, cardinality and pair components as
aggregates or EXISTS patterns, nested shapes (sh:node, sh:or, sh:not, sh:qualifiedValueShape) as
conformance expressions inlined into their parent. The verdicts follow pySHACL (the reference,
held to it by a differential test), down to how rdflib reads literals: typed literals are loaded
with rdflib's normalized lexical form and a datatype that records whether rdflib finds them
ill-typed, because Oxigraph's store would otherwise canonicalize them (xsd:nonNegativeInteger
becomes xsd:integer). A shapes graph that uses anything this compiler does not know raises
`Unsupported`, so the caller falls back to pySHACL instead of passing silently.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from rdflib import RDF, RDFS, BNode, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.term import Node

__all__ = ["Check", "Unsupported", "Workspace", "compile_shapes", "encode_ntriples", "run_checks"]

SH = Namespace("http://www.w3.org/ns/shacl#")
XSD = "http://www.w3.org/2001/XMLSchema#"
RDF_NS = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
OK = "urn:fazhi:datatype:ok:"  # "lex"^^<OK + D>: a well-formed literal of datatype D
BAD = "urn:fazhi:datatype:ill:"  # "lex"^^<BAD + D>: ill-typed for rdflib (e.g. "-1"^^nonNegativeInteger)
TYPE_OF = f"<{RDF_NS}type>/<{RDFS.subClassOf}>*"


class Unsupported(Exception):
    """The shapes use something this compiler does not implement."""


# Parameters that are not constraints, or are handled elsewhere (sh:sparql by fazhi_kg.validate).
_IGNORED = {
    SH.name, SH.description, SH.order, SH.group, SH.defaultValue, SH.message, SH.severity,
    SH.path, SH.property, SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf,
    SH.deactivated, SH.declare, SH.prefixes, SH.sparql,
}  # fmt: skip
_VALUE = {
    SH["class"], SH.datatype, SH.nodeKind, SH.minInclusive, SH.maxInclusive, SH.minExclusive,
    SH.maxExclusive, SH.minLength, SH.maxLength, SH.pattern, SH.flags, SH.languageIn, SH["in"],
    SH.node, SH["or"], SH["and"], SH["not"], SH.xone,
}  # fmt: skip
_COLLECTION = {
    SH.minCount, SH.maxCount, SH.hasValue, SH.uniqueLang, SH.equals, SH.disjoint, SH.lessThan,
    SH.lessThanOrEquals, SH.qualifiedValueShape, SH.qualifiedMinCount, SH.qualifiedMaxCount,
    SH.qualifiedValueShapesDisjoint,
}  # fmt: skip
_COMPONENT = {
    SH["class"]: "Class", SH.datatype: "Datatype", SH.nodeKind: "NodeKind",
    SH.minInclusive: "MinInclusive", SH.maxInclusive: "MaxInclusive",
    SH.minExclusive: "MinExclusive", SH.maxExclusive: "MaxExclusive", SH.minLength: "MinLength",
    SH.maxLength: "MaxLength", SH.pattern: "Pattern", SH.languageIn: "LanguageIn", SH["in"]: "In",
    SH.node: "Node", SH["or"]: "Or", SH["and"]: "And", SH["not"]: "Not", SH.xone: "Xone",
    SH.hasValue: "HasValue",
}  # fmt: skip
# rdflib's well-formedness of a lexical form decides pySHACL's sh:datatype verdicts; these are
# the datatypes whose rdflib reading this module knows (others raise Unsupported).
_DATATYPES = {
    XSD + n
    for n in (
        "string integer decimal double float boolean date dateTime time nonNegativeInteger "
        "positiveInteger negativeInteger nonPositiveInteger int long short byte anyURI"
    ).split()
}
_OPS = {
    SH.minInclusive: ">=", SH.maxInclusive: "<=", SH.minExclusive: ">", SH.maxExclusive: "<",
}  # fmt: skip


@dataclass(frozen=True)
class Check:
    """One SELECT query whose rows are violations of one component of one shape."""

    shape: Node
    component: str  # e.g. "MinCountConstraintComponent"
    query: str
    kind: str  # "node": ?this is also the value; "value": ?this ?value; "focus": ?this only;
    # "qualified": ?this and ?n, the count of conforming values, against `bounds`
    path: Node | None
    severity: URIRef
    messages: tuple[Literal, ...]
    bounds: tuple[int | None, int | None] = (None, None)


# ---------------------------------------------------------------------------------------------
# Loading: typed literals keep rdflib's reading.

_TYPED = re.compile(rb'"((?:[^"\\\n]|\\.)*)"\^\^<([^>]*)>(?=[ \t]*\.[ \t]*\r?$)', re.M)
_ESCAPE = re.compile(r"\\(?:u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|(.))")
_SIMPLE = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", '"': '"', "'": "'", "\\": "\\"}


def _unescape(text: str) -> str:
    def one(m: re.Match[str]) -> str:
        code = m.group(1) or m.group(2)
        return chr(int(code, 16)) if code else _SIMPLE.get(m.group(3), m.group(3))

    return _ESCAPE.sub(one, text) if "\\" in text else text


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")


@lru_cache(maxsize=65536)
def _reading(lexical: str, datatype: str) -> tuple[str, bool]:
    """rdflib's normalized lexical form of a typed literal, and whether rdflib finds it ill-typed."""
    import logging

    logger = logging.getLogger("rdflib.term")
    level = logger.level
    logger.setLevel(logging.CRITICAL)  # rdflib logs every ill-typed literal it reads
    try:
        lit = Literal(lexical, datatype=URIRef(datatype))
    finally:
        logger.setLevel(level)
    return str(lit), bool(lit.ill_typed)


def _encoded(lexical: str, datatype: str) -> str:
    if datatype == RDF_NS + "langString":  # not valid N-Triples; kept for Oxigraph to refuse
        return f'"{_escape(lexical)}"^^<{datatype}>'
    text, bad = _reading(lexical, datatype)
    return f'"{_escape(text)}"^^<{BAD if bad else OK}{datatype}>'


def encode_ntriples(data: bytes) -> bytes:
    """N-Triples with every typed literal as rdflib reads it (see the module docstring)."""

    def one(m: re.Match[bytes]) -> bytes:
        lexical = _unescape(m.group(1).decode("utf-8"))
        return _encoded(lexical, m.group(2).decode("utf-8")).encode("utf-8")

    return _TYPED.sub(one, data)


def _val(var: str) -> str:
    """The value a comparison sees: the literal with its datatype restored (an error when
    rdflib finds it ill-typed, or for IRIs and blank nodes; callers COALESCE errors)."""
    return (
        f'IF(STRSTARTS(STR(DATATYPE({var})), "{OK}"), '
        f'STRDT(STR({var}), IRI(STRAFTER(STR(DATATYPE({var})), "{OK}"))), '
        f'IF(STRSTARTS(STR(DATATYPE({var})), "{BAD}"), 1/0, {var}))'
    )


# ---------------------------------------------------------------------------------------------
# Compiling shapes.


class _Compiler:
    def __init__(self, g: Graph) -> None:
        self.g = g
        self.n = 0
        self.active: list[Node] = []

    def var(self) -> str:
        self.n += 1
        return f"?x{self.n}"

    def params(self, shape: Node) -> dict[URIRef, list[Node]]:
        out: dict[URIRef, list[Node]] = {}
        for p, o in self.g.predicate_objects(shape):
            if p == RDF.type:
                continue
            if not isinstance(p, URIRef) or not str(p).startswith(str(SH)):
                continue
            if p not in _IGNORED and p not in _VALUE and p not in _COLLECTION:
                raise Unsupported(f"{p} on shape {shape}")
            out.setdefault(p, []).append(o)
        return out

    def items(self, node: Node) -> list[Node]:
        return list(Collection(self.g, node))

    def term(self, node: Node) -> str:
        if isinstance(node, URIRef):
            return f"<{node}>"
        if isinstance(node, Literal):
            if node.language:
                return f'"{_escape(str(node))}"@{node.language}'
            if node.datatype is None:
                return f'"{_escape(str(node))}"'
            return _encoded(str(node), str(node.datatype))
        raise Unsupported(f"a blank node {node} as a constraint value")

    def plain(self, node: Node) -> str:
        """A shapes-graph literal as SPARQL sees it in comparisons (its real datatype)."""
        if isinstance(node, Literal) and node.datatype is not None:
            return f'"{_escape(str(node))}"^^<{node.datatype}>'
        return self.term(node)

    def path(self, node: Node) -> str:
        if isinstance(node, URIRef):
            return f"<{node}>"
        if (node, RDF.first, None) in self.g:
            return "(" + "/".join(self.path(x) for x in self.items(node)) + ")"
        for p, fmt in (
            (SH.inversePath, "^({})"),
            (SH.zeroOrMorePath, "({})*"),
            (SH.oneOrMorePath, "({})+"),
            (SH.zeroOrOnePath, "({})?"),
        ):
            inner = self.g.value(node, p)
            if inner is not None:
                return fmt.format(self.path(inner))
        alternatives = self.g.value(node, SH.alternativePath)
        if alternatives is not None:
            return "(" + "|".join(self.path(x) for x in self.items(alternatives)) + ")"
        raise Unsupported(f"the path {node}")

    # -- value-level components: expressions true when `var` satisfies them

    def value_ok(
        self, shape: Node, params: dict[URIRef, list[Node]], var: str
    ) -> list[tuple[str, str]]:
        out: list[tuple[str, str]] = []
        for p in sorted(params, key=str):
            if p not in _VALUE or p == SH.flags:
                continue
            for o in params[p]:
                out.append((_COMPONENT[p], self.one_value_ok(shape, params, p, o, var)))
        return out

    def one_value_ok(
        self, shape: Node, params: dict[URIRef, list[Node]], p: URIRef, o: Node, var: str
    ) -> str:
        if p == SH["class"]:
            return f"EXISTS {{ {var} {TYPE_OF} {self.term(o)} }}"
        if p == SH.datatype:
            return _datatype_ok(var, str(o))
        if p == SH.nodeKind:
            kinds = {
                SH.IRI: f"isIRI({var})",
                SH.BlankNode: f"isBlank({var})",
                SH.Literal: f"isLiteral({var})",
                SH.BlankNodeOrIRI: f"(isBlank({var}) || isIRI({var}))",
                SH.BlankNodeOrLiteral: f"(isBlank({var}) || isLiteral({var}))",
                SH.IRIOrLiteral: f"(isIRI({var}) || isLiteral({var}))",
            }
            if o not in kinds:
                raise Unsupported(f"sh:nodeKind {o}")
            return kinds[o]  # type: ignore[index]
        if p in _OPS:
            if not isinstance(o, Literal):
                raise Unsupported(f"{p} {o}")
            return f"COALESCE({_val(var)} {_OPS[p]} {self.plain(o)}, false)"
        if p in (SH.minLength, SH.maxLength):
            op = ">=" if p == SH.minLength else "<="
            return f"COALESCE(!isBlank({var}) && STRLEN(STR({var})) {op} {_int(o)}, false)"
        if p == SH.pattern:
            flags = params.get(SH.flags, [Literal("")])[0]
            return (
                f"COALESCE(!isBlank({var}) && REGEX(STR({var}), "
                f'"{_escape(str(o))}", "{_escape(str(flags))}"), false)'
            )
        if p == SH.languageIn:
            langs = [str(x).lower() for x in self.items(o)]
            if "*" in langs:
                return f'COALESCE(LANG({var}) != "", false)'
            listed = ", ".join(f'"{_escape(x)}"' for x in langs) or '""'
            return (
                f'COALESCE(LANG({var}) != "" && (LCASE(LANG({var})) IN ({listed}) || '
                f'LCASE(STRBEFORE(CONCAT(LANG({var}), "-"), "-")) IN ({listed})), false)'
            )
        if p == SH["in"]:
            return (
                "("
                + " || ".join(
                    [f"sameTerm({var}, {self.term(x)})" for x in self.items(o)] or ["false"]
                )
                + ")"
            )
        if p == SH.node:
            return self.conforms(o, var)
        if p in (SH["or"], SH["and"]):
            joiner = " || " if p == SH["or"] else " && "
            return (
                "("
                + joiner.join(
                    [self.conforms(x, var) for x in self.items(o)]
                    or ["false" if p == SH["or"] else "true"]
                )
                + ")"
            )
        if p == SH.xone:
            counts = " + ".join(f"IF({self.conforms(x, var)}, 1, 0)" for x in self.items(o))
            return f"(({counts or '0'}) = 1)"
        if p == SH["not"]:
            return f"!({self.conforms(o, var)})"
        raise Unsupported(str(p))  # pragma: no cover - _VALUE is exhaustive above

    # -- whole-shape conformance of one node, as an expression

    def conforms(self, shape: Node, var: str) -> str:
        if shape in self.active:
            raise Unsupported(f"recursive shape {shape}")
        self.active.append(shape)
        try:
            params = self.params(shape)
            if SH.deactivated in params and any(bool(x) for x in params[SH.deactivated]):
                return "true"
            path = params.get(SH.path)
            parts: list[str] = []
            if path is None:
                parts += [e for _, e in self.value_ok(shape, params, var)]
                parts += [f"sameTerm({var}, {self.term(v)})" for v in params.get(SH.hasValue, [])]
                parts += [self.conforms(p, var) for p in params.get(SH.property, [])]
            else:
                if SH.property in params:
                    raise Unsupported(f"sh:property on property shape {shape}")
                parts += self.property_ok(shape, params, self.path(path[0]), var)
            return "(" + " && ".join(parts or ["true"]) + ")"
        finally:
            self.active.pop()

    def property_ok(
        self, shape: Node, params: dict[URIRef, list[Node]], path: str, var: str
    ) -> list[str]:
        parts: list[str] = []
        y = self.var()
        oks = [e for _, e in self.value_ok(shape, params, y)]
        if oks:
            parts.append(f"NOT EXISTS {{ {var} {path} {y} FILTER(!({' && '.join(oks)})) }}")
        for n in params.get(SH.minCount, []):
            parts.append(self.at_least(var, path, _int(n), None))
        for n in params.get(SH.maxCount, []):
            parts.append(f"!{self.at_least(var, path, _int(n) + 1, None)}")
        for v in params.get(SH.hasValue, []):
            parts.append(f"EXISTS {{ {var} {path} {y} FILTER(sameTerm({y}, {self.term(v)})) }}")
        if any(bool(x) for x in params.get(SH.uniqueLang, [])):
            a, b = self.var(), self.var()
            parts.append(
                f"NOT EXISTS {{ {var} {path} {a} . {var} {path} {b} "
                f'FILTER(LANG({a}) != "" && !sameTerm({a}, {b}) && '
                f"LCASE(LANG({a})) = LCASE(LANG({b}))) }}"
            )
        for _, pattern in self.pair_patterns(params, var, path, y):
            parts.append(f"NOT EXISTS {{ {pattern} }}")
        for shape_q in params.get(SH.qualifiedValueShape, []):
            self.no_disjoint(params)
            z = self.var()
            cond = self.conforms(shape_q, z)
            for n in params.get(SH.qualifiedMinCount, []):
                parts.append(self.at_least(var, path, _int(n), (z, cond)))
            for n in params.get(SH.qualifiedMaxCount, []):
                parts.append(f"!{self.at_least(var, path, _int(n) + 1, (z, cond))}")
        return parts

    def no_disjoint(self, params: dict[URIRef, list[Node]]) -> None:
        if any(bool(x) for x in params.get(SH.qualifiedValueShapesDisjoint, [])):
            raise Unsupported("sh:qualifiedValueShapesDisjoint true")

    def at_least(self, var: str, path: str, n: int, cond: tuple[str, str] | None) -> str:
        """EXISTS n distinct values of `path` (each satisfying `cond`, an expression of a var)."""
        if n <= 0:
            return "true"
        if n > 6:
            raise Unsupported(f"a count of {n} inside a nested shape")
        names = [self.var() for _ in range(n)]
        triples = " . ".join(f"{var} {path} {v}" for v in names)
        filters = [f"!sameTerm({a}, {b})" for i, a in enumerate(names) for b in names[i + 1 :]]
        if cond is not None:
            z, expr = cond
            filters += [re.sub(re.escape(z) + r"(?!\d)", v, expr) for v in names]
        where = f" FILTER({' && '.join(filters)})" if filters else ""
        return f"EXISTS {{ {triples}{where} }}"

    def pair_patterns(
        self, params: dict[URIRef, list[Node]], var: str, path: str, y: str
    ) -> Iterator[tuple[URIRef, str]]:
        """Patterns whose solutions are violations of sh:equals, sh:disjoint, sh:lessThan(OrEquals)
        (with `y` the offending value)."""
        for p in params.get(SH.equals, []):
            q = self.term(p)
            yield (
                SH.equals,
                f"{{ {var} {path} {y} FILTER NOT EXISTS {{ {var} {q} {y} }} }} UNION "
                f"{{ {var} {q} {y} FILTER NOT EXISTS {{ {var} {path} {y} }} }}",
            )
        for p in params.get(SH.disjoint, []):
            yield SH.disjoint, f"{var} {path} {y} . {var} {self.term(p)} {y}"
        for param, op in ((SH.lessThan, "<"), (SH.lessThanOrEquals, "<=")):
            for p in params.get(param, []):
                o = self.var()
                yield (
                    param,
                    f"{var} {path} {y} . {var} {self.term(p)} {o} "
                    f"FILTER(!COALESCE({_val(y)} {op} {_val(o)}, false))",
                )

    # -- top-level checks

    def targets(self, shape: Node) -> str | None:
        branches = []
        for c in self.g.objects(shape, SH.targetClass):
            branches.append(f"?this {TYPE_OF} {self.term(c)}")
        if (shape, RDF.type, RDFS.Class) in self.g:
            branches.append(f"?this {TYPE_OF} {self.term(shape)}")
        for p in self.g.objects(shape, SH.targetSubjectsOf):
            branches.append(f"?this {self.term(p)} ?target_o")
        for p in self.g.objects(shape, SH.targetObjectsOf):
            branches.append(f"?target_s {self.term(p)} ?this")
        nodes = [self.term(n) for n in self.g.objects(shape, SH.targetNode)]
        if nodes:
            branches.append(f"VALUES ?this {{ {' '.join(nodes)} }}")
        if not branches:
            return None
        union = " UNION ".join(f"{{ {b} }}" for b in sorted(branches))
        return f"{{ SELECT DISTINCT ?this WHERE {{ {union} }} }}"

    def checks(self, shape: Node, focus: str) -> list[Check]:
        params = self.params(shape)
        if any(bool(x) for x in params.get(SH.deactivated, [])):
            return []
        severity = self.g.value(shape, SH.severity)
        sev = severity if isinstance(severity, URIRef) else SH.Violation
        messages = tuple(
            sorted((m for m in params.get(SH.message, []) if isinstance(m, Literal)), key=str)
        )
        path_nodes = params.get(SH.path)

        def check(component: str, query: str, kind: str, **kw: Any) -> Check:
            return Check(
                shape=shape,
                component=component + "ConstraintComponent",
                query=query,
                kind=kind,
                path=path_nodes[0] if path_nodes else None,
                severity=sev,
                messages=messages,
                **kw,
            )

        out: list[Check] = []
        self.active.append(shape)
        try:
            if path_nodes is None:
                for component, expr in self.value_ok(shape, params, "?this"):
                    q = f"SELECT DISTINCT ?this WHERE {{ {focus} FILTER(!({expr})) }}"
                    out.append(check(component, q, "node"))
                for v in params.get(SH.hasValue, []):
                    q = f"SELECT DISTINCT ?this WHERE {{ {focus} FILTER(!sameTerm(?this, {self.term(v)})) }}"
                    out.append(check("HasValue", q, "focus"))
                for p in params.get(SH.property, []):
                    out += self.checks(p, focus)
                return out
            if SH.property in params:
                raise Unsupported(f"sh:property on property shape {shape}")
            path = self.path(path_nodes[0])
            for component, expr in self.value_ok(shape, params, "?value"):
                q = (
                    f"SELECT DISTINCT ?this ?value WHERE {{ {focus} ?this {path} ?value "
                    f"FILTER(!({expr})) }}"
                )
                out.append(check(component, q, "value"))
            for n in params.get(SH.minCount, []):
                if _int(n) == 1:
                    q = f"SELECT DISTINCT ?this WHERE {{ {focus} FILTER NOT EXISTS {{ ?this {path} ?value }} }}"
                else:
                    q = (
                        f"SELECT ?this WHERE {{ {focus} OPTIONAL {{ ?this {path} ?value }} }} "
                        f"GROUP BY ?this HAVING (COUNT(DISTINCT ?value) < {_int(n)})"
                    )
                out.append(check("MinCount", q, "focus"))
            for n in params.get(SH.maxCount, []):
                q = (
                    f"SELECT ?this WHERE {{ {focus} ?this {path} ?value }} "
                    f"GROUP BY ?this HAVING (COUNT(DISTINCT ?value) > {_int(n)})"
                )
                out.append(check("MaxCount", q, "focus"))
            for v in params.get(SH.hasValue, []):
                q = (
                    f"SELECT DISTINCT ?this WHERE {{ {focus} FILTER NOT EXISTS {{ ?this {path} ?value "
                    f"FILTER(sameTerm(?value, {self.term(v)})) }} }}"
                )
                out.append(check("HasValue", q, "focus"))
            if any(bool(x) for x in params.get(SH.uniqueLang, [])):
                q = (
                    f"SELECT DISTINCT ?this ?lang WHERE {{ {focus} ?this {path} ?a . ?this {path} ?b "
                    f'FILTER(LANG(?a) != "" && !sameTerm(?a, ?b) && LCASE(LANG(?a)) = LCASE(LANG(?b))) '
                    f"BIND(LCASE(LANG(?a)) AS ?lang) }}"
                )
                out.append(check("UniqueLang", q, "focus"))
            names = {
                SH.equals: "Equals",
                SH.disjoint: "Disjoint",
                SH.lessThan: "LessThan",
                SH.lessThanOrEquals: "LessThanOrEquals",
            }
            for p, pattern in self.pair_patterns(params, "?this", path, "?value"):
                q = f"SELECT DISTINCT ?this ?value WHERE {{ {focus} {pattern} }}"
                out.append(check(names[p], q, "value"))
            for shape_q in params.get(SH.qualifiedValueShape, []):
                self.no_disjoint(params)
                low = [_int(n) for n in params.get(SH.qualifiedMinCount, [])]
                high = [_int(n) for n in params.get(SH.qualifiedMaxCount, [])]
                cond = self.conforms(shape_q, "?value")
                having = [f"COUNT(DISTINCT ?value) < {n}" for n in low]
                having += [f"COUNT(DISTINCT ?value) > {n}" for n in high]
                if not having:
                    continue
                q = (
                    f"SELECT ?this (COUNT(DISTINCT ?value) AS ?n) WHERE {{ {focus} "
                    f"OPTIONAL {{ ?this {path} ?value FILTER({cond}) }} }} GROUP BY ?this "
                    f"HAVING ({' || '.join(having)})"
                )
                for lo in low:
                    out.append(check("QualifiedMinCount", q, "qualified", bounds=(lo, None)))
                for hi in high:
                    out.append(check("QualifiedMaxCount", q, "qualified", bounds=(None, hi)))
            return out
        finally:
            self.active.pop()


def _int(node: Node) -> int:
    if isinstance(node, Literal) and isinstance(node.value, int):
        return int(node.value)
    raise Unsupported(f"{node} where SHACL needs an integer")


def _datatype_ok(var: str, d: str) -> str:
    """pySHACL's sh:datatype: the literal's datatype is `d` and rdflib reads it as well-formed
    (a plain literal counts as xsd:string, a language-tagged one as rdf:langString)."""
    if d == str(RDFS.Literal):
        return f"isLiteral({var})"
    if d == RDF_NS + "langString":
        return f'COALESCE(LANG({var}) != "", false)'
    if d == XSD + "string":
        return (
            f'COALESCE(LANG({var}) = "" && (DATATYPE({var}) = <{XSD}string> || '
            f"DATATYPE({var}) = <{OK}{XSD}string>), false)"
        )
    if d not in _DATATYPES:
        raise Unsupported(f"sh:datatype {d}")
    return f"COALESCE(DATATYPE({var}) = <{OK}{d}>, false)"


@lru_cache(maxsize=8)
def _compiled(key: str, g: Graph) -> tuple[Check, ...]:
    del key  # the cache key: a hash of the shapes graph
    c = _Compiler(g)
    checks: list[Check] = []
    shapes = {s for s in g.subjects(RDF.type, SH.NodeShape)} | {
        s for s in g.subjects(RDF.type, SH.PropertyShape)
    }
    for p in (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf):
        shapes |= set(g.subjects(p, None))
    for shape in sorted(shapes, key=str):
        focus = c.targets(shape)
        if focus is not None:
            checks += c.checks(shape, focus)
    return tuple(checks)


def compile_shapes(g: Graph) -> tuple[Check, ...]:
    """The checks of every targeted shape of `g`; raises `Unsupported` for what it cannot run."""
    key = hashlib.sha256(
        b"\n".join(sorted(" ".join(t.n3() for t in triple).encode() for triple in g))
    ).hexdigest()
    return _compiled(key, g)


# ---------------------------------------------------------------------------------------------
# Running: a fresh in-memory store per report graph (Oxigraph's in-memory store keeps removed
# quads around, so reusing one store for many graphs grows slower), with the ontology beside it.


class Workspace:
    """An Oxigraph store holding one data graph and the ontology, each twice: as loaded (for
    SPARQL-based constraints) and as rdflib reads it (for the compiled core checks)."""

    def __init__(self, data_nt: bytes, ontology_nt: bytes, ontology_encoded: bytes) -> None:
        import pyoxigraph as ox

        self.ox = ox
        self.store = ox.Store()
        self.onto = ox.NamedNode("urn:fazhi:validate:ontology")
        self.onto_enc = ox.NamedNode("urn:fazhi:validate:ontology:rdflib")
        self.data = ox.NamedNode("urn:fazhi:validate:data")
        self.data_enc = ox.NamedNode("urn:fazhi:validate:data:rdflib")
        nt = ox.RdfFormat.N_TRIPLES
        for text, graph in (
            (ontology_nt, self.onto),
            (ontology_encoded, self.onto_enc),
            (data_nt, self.data),
            (encode_ntriples(data_nt), self.data_enc),
        ):
            self.store.load(text, format=nt, to_graph=graph)

    def query(self, text: str, *, rdflib_view: bool) -> Any:
        graphs: list[Any] = (
            [self.data_enc, self.onto_enc] if rdflib_view else [self.data, self.onto]
        )
        return self.store.query(text, default_graph=graphs)

    def objects(self, subject: Any, predicate: str) -> list[Any]:
        """Objects in the data graph (as loaded), for the evidence of a result."""
        p = self.ox.NamedNode(predicate)
        found = self.store.quads_for_pattern(subject, p, None, self.data)
        return sorted((q.object for q in found), key=str)


def to_rdflib(term: Any) -> Node:
    """An Oxigraph term of the rdflib view as the rdflib term pySHACL would report."""
    import pyoxigraph as ox

    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    dt = term.datatype.value
    for prefix in (OK, BAD):
        if dt.startswith(prefix):
            dt = dt[len(prefix) :]
            break
    if dt == XSD + "string" and not term.datatype.value.startswith(OK):
        return Literal(term.value)
    return Literal(term.value, datatype=URIRef(dt), normalize=False)


def run_checks(
    checks: tuple[Check, ...], query: Callable[[str], Any]
) -> Iterator[tuple[Check, Node, Node | None]]:
    """Each violation as (check, focus node, value node or None), in rdflib terms."""
    for c in checks:
        for row in query(c.query):
            this = to_rdflib(row["this"])
            if c.kind == "qualified":
                n = int(row["n"].value)
                low, high = c.bounds
                if (low is not None and n < low) or (high is not None and n > high):
                    yield c, this, None
            elif c.kind == "value":
                yield c, this, to_rdflib(row["value"])
            else:
                yield c, this, this if c.kind == "node" else None

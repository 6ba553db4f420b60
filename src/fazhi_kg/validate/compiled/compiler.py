"""The compiler: each targeted shape (SHACL §2.1) becomes SELECT queries whose rows are its
violations, one per constraint component, written by the module of the specification's section
that defines the component (`value_type` §4.1 … `other` §4.8). Property paths (§2.3.1) become
SPARQL property paths; nested shapes (sh:node, sh:property, logical and qualified shapes) become
conformance expressions inlined into their parent.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from functools import lru_cache

from rdflib import Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.term import Node

from fazhi_kg.validate.compiled import (
    cardinality,
    logical,
    other,
    property_pair,
    shape_based,
    string_based,
    value_range,
    value_type,
)
from fazhi_kg.validate.compiled.check import TYPE_OF, Check, Params, Query, Unsupported
from fazhi_kg.validate.compiled.literals import encoded, escape
from fazhi_kg.validate.vocab import RDF, RDFS, SH

__all__ = ["Compiler", "compile_shapes"]

ValueRule = Callable[["Compiler", Params, URIRef, Node, str], str]

# value-level components: an expression on each value node, from the section that defines them
_VALUE_RULES: dict[URIRef, tuple[str, ValueRule]] = {
    p: (component, section.value_ok)
    for section in (value_type, value_range, string_based, logical, shape_based, other)
    for p, component in section.VALUE.items()
}
# components on all the values of a property shape, in the order their checks are written
_COLLECTION_SECTIONS = (cardinality, other, string_based, property_pair, shape_based)
# parameters that are not constraints, or are handled elsewhere (sh:sparql by fazhi_kg.validate.sparql)
_IGNORED = {
    SH.name, SH.description, SH.order, SH.group, SH.defaultValue, SH.message, SH.severity,
    SH.path, SH.property, SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf,
    SH.deactivated, SH.declare, SH.prefixes, SH.sparql,
}  # fmt: skip
_KNOWN = (
    _IGNORED
    | set(_VALUE_RULES)
    | string_based.PARAMETERS
    | {p for section in _COLLECTION_SECTIONS for p in section.COLLECTION}
)
_PATHS = (
    (SH.inversePath, "^({})"),
    (SH.zeroOrMorePath, "({})*"),
    (SH.oneOrMorePath, "({})+"),
    (SH.zeroOrOnePath, "({})?"),
)


class Compiler:
    """Compiles the shapes of one shapes graph; sections call back for terms, lists, fresh
    variables and the conformance of nested shapes."""

    def __init__(self, g: Graph) -> None:
        self.g = g
        self.n = 0
        self.active: list[Node] = []  # the shapes being compiled: a recursive one is refused

    def var(self) -> str:
        """A fresh SPARQL variable."""
        self.n += 1
        return f"?x{self.n}"

    def params(self, shape: Node) -> Params:
        """The SHACL parameters of `shape`; `Unsupported` for one this compiler does not know."""
        out: Params = {}
        for p, o in self.g.predicate_objects(shape):
            if p == RDF.type or not isinstance(p, URIRef) or not str(p).startswith(str(SH)):
                continue
            if p not in _KNOWN:
                raise Unsupported(f"{p} on shape {shape}")
            out.setdefault(p, []).append(o)
        return out

    def items(self, node: Node) -> list[Node]:
        """The members of an RDF list."""
        return list(Collection(self.g, node))

    def term(self, node: Node) -> str:
        """A shapes-graph term as the data's view holds it (typed literals as rdflib reads them)."""
        if isinstance(node, URIRef):
            return f"<{node}>"
        if isinstance(node, Literal):
            if node.language:
                return f'"{escape(str(node))}"@{node.language}'
            if node.datatype is None:
                return f'"{escape(str(node))}"'
            return encoded(str(node), str(node.datatype))
        raise Unsupported(f"a blank node {node} as a constraint value")

    def plain(self, node: Node) -> str:
        """A shapes-graph literal as SPARQL sees it in comparisons (its real datatype)."""
        if isinstance(node, Literal) and node.datatype is not None:
            return f'"{escape(str(node))}"^^<{node.datatype}>'
        return self.term(node)

    def path(self, node: Node) -> str:
        """A SHACL property path (§2.3.1) as a SPARQL property path."""
        if isinstance(node, URIRef):
            return f"<{node}>"
        if (node, RDF.first, None) in self.g:
            return "(" + "/".join(self.path(x) for x in self.items(node)) + ")"
        for p, fmt in _PATHS:
            inner = self.g.value(node, p)
            if inner is not None:
                return fmt.format(self.path(inner))
        alternatives = self.g.value(node, SH.alternativePath)
        if alternatives is not None:
            return "(" + "|".join(self.path(x) for x in self.items(alternatives)) + ")"
        raise Unsupported(f"the path {node}")

    def value_ok(self, params: Params, var: str) -> list[tuple[str, str]]:
        """(component, expression true when `var` satisfies it) for each value-level parameter."""
        out: list[tuple[str, str]] = []
        for p in sorted(params, key=str):
            if p in _VALUE_RULES:
                component, rule = _VALUE_RULES[p]
                out += [(component, rule(self, params, p, o, var)) for o in params[p]]
        return out

    def conforms(self, shape: Node, var: str) -> str:
        """The expression true when the node `var` conforms to `shape`."""
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
                parts += [e for _, e in self.value_ok(params, var)]
                parts += other.node_nested(self, params, var)
                parts += [self.conforms(p, var) for p in params.get(SH.property, [])]
            else:
                if SH.property in params:
                    raise Unsupported(f"sh:property on property shape {shape}")
                parts += self._property_ok(params, self.path(path[0]), var)
            return "(" + " && ".join(parts or ["true"]) + ")"
        finally:
            self.active.pop()

    def _property_ok(self, params: Params, path: str, var: str) -> list[str]:
        """The parts of a property shape's conformance, for the node `var`."""
        parts: list[str] = []
        y = self.var()
        oks = [e for _, e in self.value_ok(params, y)]
        if oks:
            parts.append(f"NOT EXISTS {{ {var} {path} {y} FILTER(!({' && '.join(oks)})) }}")
        for section in _COLLECTION_SECTIONS:
            parts += section.nested(self, params, var, path, y)
        return parts

    def targets(self, shape: Node) -> str | None:
        """A subquery binding `?this` to the focus nodes of `shape` (SHACL §2.1.3), or None."""
        branches = [
            f"?this {TYPE_OF} {self.term(c)}" for c in self.g.objects(shape, SH.targetClass)
        ]
        if (shape, RDF.type, RDFS.Class) in self.g:  # an implicit class target
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
        """The checks of `shape` on the focus nodes `focus` (a subquery binding `?this`)."""
        params = self.params(shape)
        if any(bool(x) for x in params.get(SH.deactivated, [])):
            return []
        severity = self.g.value(shape, SH.severity)
        messages = tuple(
            sorted((m for m in params.get(SH.message, []) if isinstance(m, Literal)), key=str)
        )
        path_nodes = params.get(SH.path)

        def check(q: Query) -> Check:
            return Check(
                shape=shape,
                component=q.component + "ConstraintComponent",
                query=q.text,
                kind=q.kind,
                path=path_nodes[0] if path_nodes else None,
                severity=severity if isinstance(severity, URIRef) else SH.Violation,
                messages=messages,
                bounds=q.bounds,
            )

        self.active.append(shape)
        try:
            if path_nodes is None:
                queries = self._node_queries(params, focus)
                nested = [c for p in params.get(SH.property, []) for c in self.checks(p, focus)]
                return [check(q) for q in queries] + nested
            if SH.property in params:
                raise Unsupported(f"sh:property on property shape {shape}")
            return [check(q) for q in self._property_queries(params, focus, path_nodes[0])]
        finally:
            self.active.pop()

    def _node_queries(self, params: Params, focus: str) -> list[Query]:
        out = [
            Query(component, f"SELECT DISTINCT ?this WHERE {{ {focus} FILTER(!({expr})) }}", "node")
            for component, expr in self.value_ok(params, "?this")
        ]
        return out + list(other.node_checks(self, params, focus))

    def _property_queries(self, params: Params, focus: str, path_node: Node) -> list[Query]:
        path = self.path(path_node)
        out = [
            Query(
                component,
                f"SELECT DISTINCT ?this ?value WHERE {{ {focus} ?this {path} ?value "
                f"FILTER(!({expr})) }}",
                "value",
            )
            for component, expr in self.value_ok(params, "?value")
        ]
        for section in _COLLECTION_SECTIONS:
            out += section.focus_checks(self, params, focus, path)
        return out


@lru_cache(maxsize=8)
def _compiled(key: str, g: Graph) -> tuple[Check, ...]:
    del key  # the cache key: a hash of the shapes graph
    c = Compiler(g)
    checks: list[Check] = []
    shapes = set(g.subjects(RDF.type, SH.NodeShape)) | set(g.subjects(RDF.type, SH.PropertyShape))
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

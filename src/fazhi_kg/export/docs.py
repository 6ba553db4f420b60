"""HTML documentation of the ontology: classes, properties, concept schemes and SHACL shapes.

One self-contained page (inline CSS, no scripts, no fetched resources) built from ontology/fazhi.ttl,
vocab.ttl and shapes.ttl, with zh and en labels and comments side by side. Terms are anchored by
local name (`index.html#Award`), shapes as `#shape-<name>`; the page is byte-identical on every run.
"""

from __future__ import annotations

import html
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox

from fazhi_kg.atomic import write_text
from fazhi_kg.export.dataset import Term, term_key
from fazhi_kg.iris import (
    DCTERMS,
    FZ_NS,
    ONTOLOGY_GRAPH,
    OWL,
    PREFIXES,
    RDF,
    RDFS,
    SH,
    SHAPES_NS,
    SKOS,
    XSD,
)
from fazhi_kg.resources import ontology_dir

DCT = DCTERMS
XSD_STRING = XSD + "string"
_NAMES = sorted({**PREFIXES, "fzs": SHAPES_NS, "sh": SH}.items(), key=lambda kv: -len(kv[1]))
_SHOWN_ELSEWHERE = {RDF + "type", SH + "name", SH + "message", SH + "path", SH + "property"}
_CSS = """
body{font-family:system-ui,"PingFang SC","Noto Sans CJK SC","Microsoft YaHei",sans-serif;
max-width:70rem;margin:2rem auto;padding:0 1rem;line-height:1.5;color:#222}
code,pre{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.9em}
pre{background:#f6f6f6;padding:.5rem;overflow-x:auto}
section.term{border-top:1px solid #ddd;padding:.5rem 0}
h3 .labels{font-weight:normal;color:#555;margin-left:.5rem}
dt{font-weight:bold;margin-top:.3rem}dd{margin-left:1.5rem}
table{border-collapse:collapse;width:100%}td,th{border:1px solid #ccc;padding:.25rem .4rem;
vertical-align:top;text-align:left}[lang=en]{color:#444}
"""


class _Graph:
    """Subjects → predicates → objects of the ontology files, in sorted order."""

    def __init__(self, quads: Iterable[ox.Quad]) -> None:
        self.out: dict[Term, dict[str, list[Term]]] = defaultdict(lambda: defaultdict(list))
        for q in quads:
            s, o = q.subject, q.object
            if not isinstance(s, ox.Triple) and not isinstance(o, ox.Triple):
                self.out[s][q.predicate.value].append(o)
        for props in self.out.values():
            for values in props.values():
                values.sort(key=term_key)

    def objects(self, s: Term, p: str) -> list[Term]:
        return self.out.get(s, {}).get(p, [])

    def typed(self, cls: str, ns: str) -> list[ox.NamedNode]:
        found = [
            s
            for s, props in self.out.items()
            if isinstance(s, ox.NamedNode)
            and s.value.startswith(ns)
            and any(o == ox.NamedNode(cls) for o in props.get(RDF + "type", ()))
        ]
        return sorted(found, key=lambda s: s.value)

    def text(self, s: Term, p: str, lang: str) -> str:
        return " / ".join(
            o.value for o in self.objects(s, p) if isinstance(o, ox.Literal) and o.language == lang
        )

    def items(self, node: Term) -> list[Term] | None:
        """The members of an RDF list, or None if `node` is not one."""
        out: list[Term] = []
        while node != ox.NamedNode(RDF + "nil"):
            first, rest = self.objects(node, RDF + "first"), self.objects(node, RDF + "rest")
            if len(first) != 1 or len(rest) != 1:
                return None
            out.append(first[0])
            node = rest[0]
        return out

    def members(self, term: Term) -> list[Term]:
        """The classes of an owl:unionOf, or the term itself."""
        union = self.objects(term, OWL + "unionOf")
        return (self.items(union[0]) or []) if union else [term]

    def referring(self, p: str, target: Term) -> list[ox.NamedNode]:
        """Named subjects whose `p` is `target`, or a union of classes that includes it."""
        found = {
            s
            for s, props in self.out.items()
            if isinstance(s, ox.NamedNode)
            and any(target in self.members(o) for o in props.get(p, ()))
        }
        return sorted(found, key=lambda s: s.value)


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def _name(iri: str) -> str:
    for prefix, ns in _NAMES:
        if iri.startswith(ns) and iri != ns:
            return f"{prefix}:{iri[len(ns) :]}"
    return f"<{iri}>"


def _anchor(iri: str) -> str | None:
    if iri.startswith(FZ_NS) and iri != FZ_NS:
        return iri[len(FZ_NS) :]
    if iri.startswith(SHAPES_NS):
        return f"shape-{iri[len(SHAPES_NS) :]}"
    return None


def _ref(g: _Graph, term: Term, depth: int = 0) -> str:
    """One term as HTML: a link for our own terms, lists and unions inline, blank nodes as [ … ]."""
    if isinstance(term, ox.NamedNode):
        anchor = _anchor(term.value)
        code = f"<code>{_e(_name(term.value))}</code>"
        return f'<a href="#{_e(anchor)}">{code}</a>' if anchor else code
    if isinstance(term, ox.Literal):
        if "\n" in term.value:
            return f"<pre>{_e(term.value.strip())}</pre>"
        if term.language:
            return f"“{_e(term.value)}”<sub>{_e(term.language)}</sub>"
        if term.datatype.value == XSD_STRING:
            return f"“{_e(term.value)}”"
        return _e(term.value)
    members = g.items(term)
    if members is not None:
        return "( " + " ".join(_ref(g, m, depth + 1) for m in members) + " )"
    union = g.objects(term, OWL + "unionOf")
    if union and (members := g.items(union[0])) is not None:
        return " | ".join(_ref(g, m, depth + 1) for m in members)
    if depth > 4:
        return "[ … ]"
    parts = [
        f"{_e(_name(p))} {', '.join(_ref(g, o, depth + 1) for o in objs)}"
        for p, objs in sorted(g.out.get(term, {}).items())
        if p not in (SH + "message",)
    ]
    return "[ " + " ; ".join(parts) + " ]"


def _refs(g: _Graph, terms: Iterable[Term]) -> str:
    return ", ".join(_ref(g, t) for t in terms)


def _labels(g: _Graph, s: Term, *preds: str) -> str:
    """The zh and en labels of `s` from the first of `preds` that has them."""
    spans = []
    for lang in ("zh", "en"):
        text = next((t for p in preds if (t := g.text(s, p, lang))), "")
        if text:
            spans.append(f'<span lang="{lang}">{_e(text)}</span>')
    return " · ".join(spans)


def _both(g: _Graph, s: Term, p: str, tag: str = "dd") -> str:
    """The zh and en texts of `s p`, one element each."""
    return "".join(
        f'<{tag} lang="{lang}">{_e(t)}</{tag}>'
        for lang in ("zh", "en")
        if (t := g.text(s, p, lang))
    )


def _dl(rows: Iterable[tuple[str, str]]) -> str:
    """A definition list of the rows that have content; plain content is wrapped in <dd>."""
    items = [f"<dt>{t}</dt>{d if d.startswith('<dd') else f'<dd>{d}</dd>'}" for t, d in rows if d]
    return "<dl>" + "".join(items) + "</dl>"


def _row(rid: str, cells: Iterable[str]) -> str:
    attr = f' id="{_e(rid)}"' if rid else ""
    return f"<tr{attr}>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>"


def _table(headers: Iterable[str], rows: Iterable[tuple[str, Iterable[str]]]) -> str:
    """A table; each row is (id attribute or "", cells)."""
    head = "".join(f"<th>{h}</th>" for h in headers)
    return f"<table><tr>{head}</tr>{''.join(_row(rid, cells) for rid, cells in rows)}</table>"


def _section(g: _Graph, s: ox.NamedNode, label_preds: tuple[str, ...], body: str) -> str:
    title = f'<code>{_e(_name(s.value))}</code><span class="labels">{_labels(g, s, *label_preds)}</span>'
    return f'<section class="term" id="{_e(_anchor(s.value) or "")}"><h3>{title}</h3>{body}</section>\n'


def _term(g: _Graph, s: ox.NamedNode, rows: list[tuple[str, str]]) -> str:
    body = _dl(
        [
            ("IRI", f"<code>{_e(s.value)}</code>"),
            ("说明 / Comment", _both(g, s, RDFS + "comment")),
            *rows,
        ]
    )
    return _section(g, s, (RDFS + "label", SKOS + "prefLabel"), body)


def _classes(g: _Graph) -> list[str]:
    return [
        _term(
            g,
            c,
            [
                ("上位类 / Superclasses", _refs(g, g.objects(c, RDFS + "subClassOf"))),
                ("下位类 / Subclasses", _refs(g, g.referring(RDFS + "subClassOf", c))),
                (
                    "定义域含此类的属性 / Properties with this domain",
                    _refs(g, g.referring(RDFS + "domain", c)),
                ),
                (
                    "值域含此类的属性 / Properties with this range",
                    _refs(g, g.referring(RDFS + "range", c)),
                ),
                ("约束 / Shapes", _refs(g, g.referring(SH + "targetClass", c))),
            ],
        )
        for c in g.typed(OWL + "Class", FZ_NS)
    ]


def _properties(g: _Graph) -> list[str]:
    kinds = ("ObjectProperty", "DatatypeProperty", "AnnotationProperty")
    props = sorted({p for k in kinds for p in g.typed(OWL + k, FZ_NS)}, key=lambda p: p.value)
    return [
        _term(
            g,
            p,
            [
                ("类型 / Kind", _refs(g, g.objects(p, RDF + "type"))),
                ("定义域 / Domain", _refs(g, g.objects(p, RDFS + "domain"))),
                ("值域 / Range", _refs(g, g.objects(p, RDFS + "range"))),
                ("上位属性 / Super-properties", _refs(g, g.objects(p, RDFS + "subPropertyOf"))),
                ("约束 / Shapes", _refs(g, g.referring(SH + "path", p))),
            ],
        )
        for p in props
    ]


def _schemes(g: _Graph) -> list[str]:
    out = []
    for scheme in g.typed(SKOS + "ConceptScheme", FZ_NS):
        rows = [
            (
                _anchor(c.value) or "",
                [
                    f"<code>{_e(_name(c.value))}</code>",
                    _e(", ".join(o.value for o in g.objects(c, SKOS + "notation"))),
                    _labels(g, c, SKOS + "prefLabel"),
                    _both(g, c, SKOS + "definition", tag="p"),
                ],
            )
            for c in g.referring(SKOS + "inScheme", scheme)
        ]
        headers = ("概念 / Concept", "代码 / Notation", "名称 / Label", "定义 / Definition")
        out.append(
            _term(
                g,
                scheme,
                [
                    ("定义 / Definition", _both(g, scheme, SKOS + "definition")),
                    ("概念 / Concepts", _table(headers, rows)),
                ],
            )
        )
    return out


def _constraints(g: _Graph, s: Term) -> str:
    return "<br>".join(
        f"<code>{_e(_name(p))}</code> {_refs(g, objs)}"
        for p, objs in sorted(g.out.get(s, {}).items())
        if p not in _SHOWN_ELSEWHERE
    )


def _shapes(g: _Graph) -> list[str]:
    out = []
    for shape in g.typed(SH + "NodeShape", SHAPES_NS):
        rows = [
            (
                _anchor(ps.value) or "" if isinstance(ps, ox.NamedNode) else "",
                [
                    _refs(g, g.objects(ps, SH + "path")),
                    _labels(g, ps, SH + "name"),
                    _constraints(g, ps),
                    _both(g, ps, SH + "message", tag="p"),
                ],
            )
            for ps in g.objects(shape, SH + "property")
        ]
        headers = ("路径 / Path", "名称 / Name", "约束 / Constraints", "消息 / Message")
        body = _dl(
            [
                ("IRI", f"<code>{_e(shape.value)}</code>"),
                ("约束 / Constraints", _constraints(g, shape)),
                ("消息 / Message", _both(g, shape, SH + "message")),
                ("属性约束 / Property shapes", _table(headers, rows) if rows else ""),
            ]
        )
        out.append(_section(g, shape, (SH + "name",), body))
    return out


def render_html() -> str:
    """The documentation page as one HTML string."""
    files = ("fazhi.ttl", "vocab.ttl", "shapes.ttl")
    g = _Graph(q for name in files for q in ox.parse(path=ontology_dir() / name))
    onto = ox.NamedNode(ONTOLOGY_GRAPH)
    title_zh, title_en = g.text(onto, DCT + "title", "zh"), g.text(onto, DCT + "title", "en")
    parts = {
        "classes": ("类 / Classes", _classes(g)),
        "properties": ("属性 / Properties", _properties(g)),
        "schemes": ("概念体系 / Concept schemes", _schemes(g)),
        "shapes": ("SHACL 约束 / Shapes", _shapes(g)),
    }
    meta = _dl(
        [
            ("IRI", f"<code>{_e(ONTOLOGY_GRAPH)}</code>"),
            ("命名空间 / Namespace", f"<code>fz: {_e(FZ_NS)}</code>"),
            (
                "版本 / Version",
                _e(", ".join(o.value for o in g.objects(onto, OWL + "versionInfo"))),
            ),
            ("许可 / License", _refs(g, g.objects(onto, DCT + "license"))),
            ("说明 / Description", _both(g, onto, DCT + "description")),
        ]
    )
    toc = "".join(
        f'<li><a href="#{k}">{t}</a> ({len(items)})</li>' for k, (t, items) in parts.items()
    )
    body = "".join(f'<h2 id="{k}">{t}</h2>\n' + "".join(items) for k, (t, items) in parts.items())
    return (
        '<!DOCTYPE html>\n<html lang="zh">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{_e(title_zh)} · {_e(title_en)}</title>\n<style>{_CSS}</style>\n</head>\n<body>\n"
        f'<h1>{_e(title_zh)}<br><span lang="en">{_e(title_en)}</span></h1>\n{meta}\n'
        f"<nav><ul>{toc}</ul></nav>\n{body}</body>\n</html>\n"
    )


def write_docs(out_dir: Path) -> Path:
    """Write `out_dir/index.html` atomically and return its path."""
    target = Path(out_dir) / "index.html"
    write_text(target, render_html())
    return target

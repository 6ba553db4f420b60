"""GraphML and GEXF files of the network projection, written by hand for byte-stable output.

GraphML: http://graphml.graphdrawing.org/specification.html; GEXF 1.2: https://gexf.net/schema.html.
networkx's writers are not used because its GEXF writer stamps today's date, turns node attributes
named start/end into time intervals and adds a networkx_key column, and its GraphML writer (without
lxml) writes carriage returns raw, which readers turn into newlines. Both formats here carry the
same columns, typed string, long or double.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import IO, TYPE_CHECKING, Any

from fazhi_kg.export import _xml
from fazhi_kg.export.network import NODE_COLUMNS

if TYPE_CHECKING:
    import networkx as nx

_TYPES = {str: "string", int: "long", float: "double"}


def check_graph(G: nx.MultiDiGraph, fmt: str) -> None:
    """Refuse node ids and attribute values that XML 1.0 cannot hold, naming node and character."""
    for node, data in G.nodes(data=True):
        _xml.check(node, node=f"Node <{node}>", where="id", fmt=fmt)
        for k, v in data.items():
            if isinstance(v, str):
                _xml.check(v, node=f"Node <{node}>", where=f'"{k}" value', fmt=fmt)
    for u, v, data in G.edges(data=True):
        for k, value in data.items():
            if isinstance(value, str):
                _xml.check(value, node=f"Edge <{u}> → <{v}>", where=f'"{k}" value', fmt=fmt)


def _columns(
    rows: Iterable[Mapping[str, Any]], first: tuple[str, ...] = ()
) -> list[tuple[str, str]]:
    """(name, type) of every attribute: the `first` names in order, then the rest sorted."""
    kinds: dict[str, str] = {}
    for row in rows:
        for k, v in row.items():
            kinds.setdefault(k, _TYPES[type(v)])
    order = [k for k in first if k in kinds] + sorted(k for k in kinds if k not in first)
    return [(k, kinds[k]) for k in order]


def _value(v: str | int | float) -> str:
    return _xml.attr(v if isinstance(v, str) else repr(v))


def write_graphml(G: nx.MultiDiGraph, fh: IO[bytes]) -> None:
    """GraphML: entity nodes with data keys, directed edges with predicate and label."""
    check_graph(G, "GraphML")
    node_cols = _columns((d for _, d in G.nodes(data=True)), NODE_COLUMNS)
    edge_cols = _columns(d for *_, d in G.edges(data=True))
    node_ids = {k: f"n{i}" for i, (k, _) in enumerate(node_cols)}
    edge_ids = {k: f"e{i}" for i, (k, _) in enumerate(edge_cols)}
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<graphml xmlns="http://graphml.graphdrawing.org/xmlns"'
        ' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"'
        ' xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns'
        ' http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">',
    ]
    for scope, cols, ids in (("node", node_cols, node_ids), ("edge", edge_cols, edge_ids)):
        for name, kind in cols:
            lines.append(
                f'  <key id="{ids[name]}" for="{scope}" attr.name="{_xml.attr(name)}" attr.type="{kind}"/>'
            )
    lines.append('  <graph id="fazhi" edgedefault="directed">')
    fh.write(("\n".join(lines) + "\n").encode())
    for node, data in G.nodes(data=True):
        cells = "".join(
            f'<data key="{node_ids[k]}">{_xml.text(_plain(v))}</data>'
            for k, v in _ordered(data, node_cols)
        )
        fh.write(f'    <node id="{_xml.attr(node)}">{cells}</node>\n'.encode())
    for i, (u, v, data) in enumerate(G.edges(data=True)):
        cells = "".join(
            f'<data key="{edge_ids[k]}">{_xml.text(_plain(x))}</data>'
            for k, x in _ordered(data, edge_cols)
        )
        fh.write(
            f'    <edge id="e{i}" source="{_xml.attr(u)}" target="{_xml.attr(v)}">{cells}</edge>\n'.encode()
        )
    fh.write(b"  </graph>\n</graphml>\n")


def _plain(v: str | int | float) -> str:
    return v if isinstance(v, str) else repr(v)


def _ordered(data: Mapping[str, Any], cols: list[tuple[str, str]]) -> list[tuple[str, Any]]:
    return [(k, data[k]) for k, _ in cols if k in data]


def write_gexf(G: nx.MultiDiGraph, fh: IO[bytes]) -> None:
    """GEXF 1.2 (static, directed): node and edge labels as GEXF labels, the rest as attvalues."""
    check_graph(G, "GEXF")
    node_cols = _columns(
        ({k: v for k, v in d.items() if k != "label"} for _, d in G.nodes(data=True)), NODE_COLUMNS
    )
    edge_cols = _columns(
        {k: v for k, v in d.items() if k != "label"} for *_, d in G.edges(data=True)
    )
    ids = {("node", k): str(i) for i, (k, _) in enumerate(node_cols)}
    ids |= {("edge", k): str(len(node_cols) + i) for i, (k, _) in enumerate(edge_cols)}
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<gexf xmlns="http://www.gexf.net/1.2draft" version="1.2">',
        "  <meta>",
        "    <creator>fazhi-kg</creator>",
        "    <description>Entities of rule-of-law report graphs and the relations between them</description>",
        "  </meta>",
        '  <graph defaultedgetype="directed" mode="static">',
    ]
    for scope, cols in (("node", node_cols), ("edge", edge_cols)):
        lines.append(f'    <attributes class="{scope}">')
        for name, kind in cols:
            lines.append(
                f'      <attribute id="{ids[scope, name]}" title="{_xml.attr(name)}" type="{kind}"/>'
            )
        lines.append("    </attributes>")
    lines.append("    <nodes>")
    fh.write(("\n".join(lines) + "\n").encode())
    for node, data in G.nodes(data=True):
        values = _attvalues("node", data, node_cols, ids)
        label = _xml.attr(_plain(data.get("label", node)))
        fh.write(f'      <node id="{_xml.attr(node)}" label="{label}">{values}</node>\n'.encode())
    fh.write(b"    </nodes>\n    <edges>\n")
    for i, (u, v, data) in enumerate(G.edges(data=True)):
        values = _attvalues("edge", data, edge_cols, ids)
        label = f' label="{_value(data["label"])}"' if "label" in data else ""
        fh.write(
            f'      <edge id="{i}" source="{_xml.attr(u)}" target="{_xml.attr(v)}"{label}>{values}</edge>\n'.encode()
        )
    fh.write(b"    </edges>\n  </graph>\n</gexf>\n")


def _attvalues(
    scope: str,
    data: Mapping[str, Any],
    cols: list[tuple[str, str]],
    ids: Mapping[tuple[str, str], str],
) -> str:
    cells = "".join(
        f'<attvalue for="{ids[scope, k]}" value="{_value(v)}"/>' for k, v in _ordered(data, cols)
    )
    return f"<attvalues>{cells}</attvalues>" if cells else ""

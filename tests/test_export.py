"""fazhi export: every format read back by independent readers, byte-stable across runs and hash
seeds, written atomically; special literals survive or are refused before anything is written."""

from __future__ import annotations

import csv
import html
import io
import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import networkx as nx
import pyoxigraph as ox
import pytest
import rdflib
from rdflib.compare import isomorphic

import fazhi_kg
from fazhi_kg import export as ex
from fazhi_kg.errors import InputError, UsageError
from fazhi_kg.export import Format, export, tabular
from fazhi_kg.export.docs import render_html, write_docs

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = ROOT / "graph" / "sichuan-bazhong-bazhou-2023.ttl"
RID = "sichuan-bazhong-bazhou-2023"
ONTOLOGY = "https://w3id.org/fazhi/ontology"
FZ = "https://w3id.org/fazhi/ontology#"
RDF_FORMATS = ["turtle", "nt", "nq", "trig", "jsonld", "xml"]
QUAD_FORMATS = {"nq", "trig", "jsonld"}
NETWORK_FORMATS = ["graphml", "gexf"]
RDFLIB = {
    "turtle": "turtle",
    "nt": "nt",
    "nq": "nquads",
    "trig": "trig",
    "jsonld": "json-ld",
    "xml": "xml",
}
OXIGRAPH = {
    "turtle": ox.RdfFormat.TURTLE,
    "nt": ox.RdfFormat.N_TRIPLES,
    "nq": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
    "jsonld": ox.RdfFormat.JSON_LD,
    "xml": ox.RdfFormat.RDF_XML,
}
NASTY = "引号\"双\" '单' \\ <a>&amp; ]]>\n第二行\r\n\t制表 𠀀 U+20000"
CONTROL = "\x01"


@pytest.fixture(scope="module")
def graph(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A private copy of the shipped graph, so a concurrent rebuild cannot change it mid-test."""
    path = tmp_path_factory.mktemp("graph") / SHIPPED.name
    shutil.copyfile(SHIPPED, path)
    return path


@pytest.fixture(scope="module")
def exported(graph: Path) -> dict[str, bytes]:
    return {f: export(f, graphs=[graph]) or b"" for f in RDF_FORMATS + NETWORK_FORMATS}


def _source(files: list[Path]) -> rdflib.Dataset:
    """What the export should hold: each file in its report graph, plus the ontology graph."""
    ds = rdflib.Dataset()
    for path in files:
        ds.graph(rdflib.URIRef(f"https://w3id.org/fazhi/id/{path.stem}/graph")).parse(path)
    onto = ds.graph(rdflib.URIRef(ONTOLOGY))
    for name in ("fazhi.ttl", "vocab.ttl"):
        onto.parse(ROOT / "ontology" / name)
    return ds


@pytest.fixture(scope="module")
def source(graph: Path) -> rdflib.Dataset:
    return _source([graph])


def _union(ds: rdflib.Dataset) -> rdflib.Graph:
    g = rdflib.Graph()
    for part in ds.graphs():
        if str(part.identifier) != ONTOLOGY:
            for t in part:
                g.add(t)
    return g


def _assert_same(fmt: str, data: bytes, want: rdflib.Dataset) -> None:
    """Read `data` with rdflib and compare graph by graph with `want` (triple formats: the union)."""
    if fmt in QUAD_FORMATS:
        got = rdflib.Dataset()
        got.parse(data=data, format=RDFLIB[fmt])
        names = {str(g.identifier) for g in got.graphs() if len(g)}
        assert names == {str(g.identifier) for g in want.graphs() if len(g)}
        for g in want.graphs():
            assert isomorphic(got.graph(g.identifier), g), g.identifier
    else:
        assert isomorphic(rdflib.Graph().parse(data=data, format=RDFLIB[fmt]), _union(want))


def _oxigraph_source(files: list[Path], *, ontology: bool) -> ox.Dataset:
    quads = [
        ox.Quad(
            q.subject,
            q.predicate,
            q.object,
            ox.NamedNode(f"https://w3id.org/fazhi/id/{p.stem}/graph"),
        )
        for p in files
        for q in ox.parse(path=p)
    ]
    if ontology:
        quads += [
            ox.Quad(q.subject, q.predicate, q.object, ox.NamedNode(ONTOLOGY))
            for name in ("fazhi.ttl", "vocab.ttl")
            for q in ox.parse(path=ROOT / "ontology" / name)
        ]
    else:
        quads = [ox.Quad(q.subject, q.predicate, q.object) for q in quads]
    ds = ox.Dataset(quads)
    ds.canonicalize(ox.CanonicalizationAlgorithm.UNSTABLE)
    return ds


# Round trips ---------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", RDF_FORMATS)
def test_rdf_export_reads_back_in_rdflib(
    fmt: str, exported: dict[str, bytes], source: rdflib.Dataset
) -> None:
    _assert_same(fmt, exported[fmt], source)


@pytest.mark.parametrize("fmt", RDF_FORMATS)
def test_rdf_export_reads_back_in_oxigraph(
    fmt: str, exported: dict[str, bytes], graph: Path
) -> None:
    got = ox.Dataset(ox.parse(exported[fmt], format=OXIGRAPH[fmt]))
    got.canonicalize(ox.CanonicalizationAlgorithm.UNSTABLE)
    assert got == _oxigraph_source([graph], ontology=fmt in QUAD_FORMATS)


def _refuse_remote(url: str, options: object = None) -> object:
    raise AssertionError(f"pyld tried to fetch {url}")


def _pyld_nquads(data: bytes) -> str:
    from pyld import jsonld

    options = {"format": "application/n-quads", "documentLoader": _refuse_remote}
    return str(jsonld.to_rdf(json.loads(data), options))


def test_jsonld_expanded_by_pyld_gives_the_same_quads(
    exported: dict[str, bytes], source: rdflib.Dataset
) -> None:
    _assert_same("nq", _pyld_nquads(exported["jsonld"]).encode(), source)


def test_jsonld_is_compacted_with_the_embedded_project_context(exported: dict[str, bytes]) -> None:
    doc = json.loads(exported["jsonld"])
    context = json.loads((ROOT / "ontology" / "context.jsonld").read_text(encoding="utf-8"))
    assert doc["@context"] == context["@context"]
    report = next(g for g in doc["@graph"] if g["id"] == f"fzid:{RID}/graph")
    indicator = next(n for n in report["@graph"] if "Indicator" in n.get("type", ()))
    assert {"id", "type", "label", "report", "evidence", "unit", "statedAs"} <= indicator.keys()
    assert "巴州区".encode() in exported["jsonld"] and b"\\u5df4" not in exported["jsonld"]


def _expected_network(graph: Path) -> nx.MultiDiGraph:
    return fazhi_kg.to_networkx([graph])


def test_graphml_reads_back_in_networkx_and_igraph(
    exported: dict[str, bytes], graph: Path, tmp_path: Path
) -> None:
    import igraph

    want = _expected_network(graph)
    got = nx.read_graphml(io.BytesIO(exported["graphml"]))
    assert (got.number_of_nodes(), got.number_of_edges()) == (
        want.number_of_nodes(),
        want.number_of_edges(),
    )
    assert dict(got.nodes(data=True)) == dict(want.nodes(data=True))
    assert sorted((u, v, d["predicate"], d["label"]) for u, v, d in got.edges(data=True)) == sorted(
        (u, v, d["predicate"], d["label"]) for u, v, d in want.edges(data=True)
    )
    path = tmp_path / "g.graphml"
    path.write_bytes(exported["graphml"])
    ig = igraph.Graph.Read_GraphML(str(path))
    assert (ig.vcount(), ig.ecount()) == (want.number_of_nodes(), want.number_of_edges())
    assert {v["id"]: v["label"] for v in ig.vs} == dict(want.nodes(data="label"))
    assert sorted(e["label"] for e in ig.es) == sorted(d for *_, d in want.edges(data="label"))


def test_gexf_reads_back_in_networkx(exported: dict[str, bytes], graph: Path) -> None:
    want = _expected_network(graph)
    got = nx.read_gexf(io.BytesIO(exported["gexf"]))
    assert (got.number_of_nodes(), got.number_of_edges()) == (
        want.number_of_nodes(),
        want.number_of_edges(),
    )
    assert dict(got.nodes(data=True)) == dict(want.nodes(data=True))
    assert sorted((u, v, d["predicate"], d["label"]) for u, v, d in got.edges(data=True)) == sorted(
        (u, v, d["predicate"], d["label"]) for u, v, d in want.edges(data=True)
    )
    assert b"lastmodifieddate" not in exported["gexf"] and b'mode="static"' in exported["gexf"]


def _read_csv(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8"), newline="")))


@pytest.mark.parametrize("target", ["folder", "x.zip"])
def test_csv_reads_back_with_headers_for_import(target: str, graph: Path, tmp_path: Path) -> None:
    out = tmp_path / target
    assert export("csv", graphs=[graph], out=out) is None
    if target.endswith(".zip"):
        with zipfile.ZipFile(out) as zf:
            assert zf.namelist() == ["edges.csv", "nodes.csv"]
            files = {name: zf.read(name) for name in zf.namelist()}
    else:
        files = {p.name: p.read_bytes() for p in out.iterdir()}
        assert sorted(files) == ["edges.csv", "nodes.csv"]
    want = _expected_network(graph)
    nodes, edges = _read_csv(files["nodes.csv"]), _read_csv(files["edges.csv"])
    assert files["nodes.csv"].startswith(b"id,label,family,report,section,start,end,quote,")
    assert files["edges.csv"].startswith(b"source,target,predicate,label\r\n")
    assert {r["id"]: r["label"] for r in nodes} == dict(want.nodes(data="label"))
    assert len(edges) == want.number_of_edges()
    indicator = next(r for r in nodes if r["family"] == "Count")
    assert int(indicator["start"]) < int(indicator["end"]) and indicator["quote"]


# Determinism ---------------------------------------------------------------------------------

_DIGESTS = """
import hashlib, json, sys, tempfile
from pathlib import Path
from fazhi_kg.export import Format, export
from fazhi_kg.export.docs import render_html
graph = Path(sys.argv[1])
out = {"docs": hashlib.sha256(render_html().encode()).hexdigest()}
for f in Format:
    if f is Format.CSV:
        with tempfile.TemporaryDirectory() as tmp:
            export(f, graphs=[graph], out=Path(tmp) / "x.zip")
            export(f, graphs=[graph], out=Path(tmp) / "dir")
            data = b"".join((Path(tmp) / n).read_bytes() for n in ("x.zip", "dir/nodes.csv", "dir/edges.csv"))
    else:
        data = export(f, graphs=[graph])
    out[f.value] = hashlib.sha256(data).hexdigest()
print(json.dumps(out))
"""


@pytest.fixture(scope="module")
def digests(graph: Path) -> list[dict[str, str]]:
    """sha256 of every format from 3 runs under each of 3 PYTHONHASHSEED values, in parallel."""
    runs = []
    for seed in ("0", "1", "4242"):
        for _ in range(3):
            env = {**os.environ, "PYTHONHASHSEED": seed}
            runs.append(
                subprocess.Popen(
                    [sys.executable, "-c", _DIGESTS, str(graph)],
                    env=env,
                    stdout=subprocess.PIPE,
                    cwd=ROOT,
                )
            )
    outputs = [p.communicate(timeout=120)[0] for p in runs]
    assert all(p.returncode == 0 for p in runs)
    return [json.loads(o) for o in outputs]


@pytest.mark.parametrize("fmt", [f.value for f in Format] + ["docs"])
def test_output_is_byte_identical_across_runs_and_hash_seeds(
    fmt: str, digests: list[dict[str, str]]
) -> None:
    assert len({d[fmt] for d in digests}) == 1


# Atomic writes -------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", RDF_FORMATS + NETWORK_FORMATS)
def test_failure_mid_write_leaves_the_old_file_and_no_temporary_file(
    fmt: str, graph: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    table = ex.RDF_WRITERS if fmt in RDF_FORMATS else ex.NETWORK_WRITERS
    real = table[Format(fmt)]

    def broken(data: object, fh: io.BufferedIOBase) -> None:
        buf = io.BytesIO()
        real(data, buf)
        fh.write(buf.getvalue()[: len(buf.getvalue()) // 2])
        raise OSError("No space left on device")

    monkeypatch.setitem(table, Format(fmt), broken)
    target = tmp_path / f"out.{fmt}"
    target.write_bytes(b"old")
    with pytest.raises(OSError, match="No space left"):
        export(fmt, graphs=[graph], out=target)
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == [target.name]


@pytest.mark.parametrize("target", ["folder", "x.zip"])
def test_csv_failure_mid_write_leaves_the_old_files(
    target: str, graph: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = tabular.write_edges

    def broken(G: nx.MultiDiGraph, fh: io.BufferedIOBase) -> None:
        real(G, fh)
        raise OSError("No space left on device")

    out = tmp_path / target
    old = (
        {out: b"old"}
        if target.endswith(".zip")
        else {out / "nodes.csv": b"n", out / "edges.csv": b"e"}
    )
    for path, data in old.items():
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(data)
    monkeypatch.setattr(tabular, "write_edges", broken)
    with pytest.raises(OSError, match="No space left"):
        export("csv", graphs=[graph], out=out)
    assert {p: p.read_bytes() for p in old} == old
    assert sorted(p.name for p in tmp_path.rglob("*")) == sorted(p.name for p in {*old, out})


def test_csv_folder_is_swapped_whole_a_failed_swap_keeps_the_old_pair(
    graph: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Both new files are complete before either is visible: the rename that would put the new
    folder in place fails, and the old folder is back with both its old files."""
    out = tmp_path / "csv"
    out.mkdir()
    (out / "nodes.csv").write_bytes(b"n")
    (out / "edges.csv").write_bytes(b"e")
    real = tabular.replace

    def broken(src: Path, dst: Path) -> None:
        if Path(src).name.endswith(".tmp"):  # the new folder going in
            raise OSError("Input/output error")
        real(src, dst)

    monkeypatch.setattr(tabular, "replace", broken)
    with pytest.raises(OSError, match="Input/output error"):
        export("csv", graphs=[graph], out=out)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == {"nodes.csv": b"n", "edges.csv": b"e"}
    assert [p.name for p in tmp_path.iterdir()] == ["csv"]


def test_csv_folder_swap_replaces_both_files_and_keeps_the_folder_mode(
    graph: Path, tmp_path: Path
) -> None:
    out = tmp_path / "csv"
    out.mkdir()
    (out / "nodes.csv").write_bytes(b"n")
    out.chmod(0o750)
    export("csv", graphs=[graph], out=out)
    assert sorted(p.name for p in out.iterdir()) == ["edges.csv", "nodes.csv"]
    assert (out / "nodes.csv").read_bytes().startswith(b"id,label,")
    assert (out / "edges.csv").read_bytes().startswith(b"source,target,")
    assert out.stat().st_mode & 0o777 == 0o750
    assert [p.name for p in tmp_path.iterdir()] == ["csv"]  # no temporary or old folder left


def test_csv_into_a_shared_folder_keeps_the_other_files(graph: Path, tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_bytes(b"mine")
    export("csv", graphs=[graph], out=tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["edges.csv", "nodes.csv", "notes.txt"]
    assert (tmp_path / "notes.txt").read_bytes() == b"mine"


def test_atomic_replace_renames_and_syncs_the_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from fazhi_kg import atomic

    synced: list[int] = []
    real_fsync = os.fsync
    monkeypatch.setattr(os, "fsync", lambda fd: synced.append(fd) or real_fsync(fd))
    (tmp_path / "a").write_bytes(b"new")
    (tmp_path / "b").write_bytes(b"old")
    atomic.replace(tmp_path / "a", tmp_path / "b")
    assert [p.name for p in tmp_path.iterdir()] == ["b"]
    assert (tmp_path / "b").read_bytes() == b"new" and len(synced) == 1


def test_a_successful_export_replaces_the_file(
    exported: dict[str, bytes], graph: Path, tmp_path: Path
) -> None:
    target = tmp_path / "out.nq"
    target.write_bytes(b"old")
    assert export("nq", graphs=[graph], out=target) is None
    assert target.read_bytes() == exported["nq"]
    assert [p.name for p in tmp_path.iterdir()] == ["out.nq"]


# Special literals ----------------------------------------------------------------------------


def _special_graph(folder: Path, text: str) -> Path:
    """A tiny report graph whose labels and literal hold `text`."""
    folder.mkdir(parents=True, exist_ok=True)
    rid = "https://w3id.org/fazhi/id/special-2023"
    body = json.dumps(
        text, ensure_ascii=False
    )  # a valid Turtle string: JSON escapes are Turtle escapes
    path = folder / "special-2023.ttl"
    path.write_text(
        f"@prefix fz: <{FZ}> .\n@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        f"<{rid}> a fz:Report ; rdfs:label {body}@zh .\n"
        f"<{rid}/institution/1> a fz:Institution ; rdfs:label {body}@zh ;\n"
        f"    fz:institutionKind {body} ; fz:inReport <{rid}> .\n",
        encoding="utf-8",
    )
    return path


@pytest.mark.parametrize("fmt", ["turtle", "nt", "nq", "trig", "jsonld"])
def test_quotes_newlines_control_characters_and_rare_cjk_survive_rdf(
    fmt: str, tmp_path: Path
) -> None:
    path = _special_graph(tmp_path, NASTY + CONTROL)
    data = export(fmt, graphs=[path])
    assert data is not None
    _assert_same(fmt, data, _source([path]))
    got = ox.Dataset(ox.parse(data, format=OXIGRAPH[fmt]))
    assert any(isinstance(q.object, ox.Literal) and q.object.value == NASTY + CONTROL for q in got)
    if fmt == "jsonld":
        _assert_same("nq", _pyld_nquads(data).encode(), _source([path]))


@pytest.mark.parametrize("fmt", ["xml", "graphml", "gexf"])
def test_special_literals_without_control_characters_survive_xml(fmt: str, tmp_path: Path) -> None:
    path = _special_graph(tmp_path, NASTY)
    data = export(fmt, graphs=[path])
    assert data is not None
    if fmt == "xml":
        _assert_same("xml", data, _source([path]))
        got = ox.Dataset(ox.parse(data, format=ox.RdfFormat.RDF_XML))
        assert any(isinstance(q.object, ox.Literal) and q.object.value == NASTY for q in got)
        return
    node = "https://w3id.org/fazhi/id/special-2023/institution/1"
    read = nx.read_graphml if fmt == "graphml" else nx.read_gexf
    G = read(io.BytesIO(data))
    assert G.nodes[node]["label"] == NASTY and G.nodes[node]["institutionKind"] == NASTY
    if fmt == "graphml":
        import igraph

        (tmp_path / "g.graphml").write_bytes(data)
        ig = igraph.Graph.Read_GraphML(str(tmp_path / "g.graphml"))
        assert ig.vs.find(id=node)["label"] == NASTY


def test_special_literals_survive_csv(tmp_path: Path) -> None:
    path = _special_graph(tmp_path / "in", NASTY + CONTROL)
    export("csv", graphs=[path], out=tmp_path / "out")
    rows = _read_csv((tmp_path / "out" / "nodes.csv").read_bytes())
    assert {r["label"] for r in rows} == {NASTY + CONTROL}
    assert {r["institutionKind"] for r in rows} == {"", NASTY + CONTROL}


@pytest.mark.parametrize(
    ("fmt", "message"),
    [
        (
            "xml",
            "Node <https://w3id.org/fazhi/id/special-2023> has the character U+0001 in its "
            "<http://www.w3.org/2000/01/rdf-schema#label> value, which XML 1.0 cannot hold, so no "
            "RDF/XML file can be written; remove the character from the graph or export as nq, "
            "turtle, jsonld or csv.",
        ),
        (
            "graphml",
            'Node <https://w3id.org/fazhi/id/special-2023> has the character U+0001 in its "label" '
            "value, which XML 1.0 cannot hold, so no GraphML file can be written; remove the "
            "character from the graph or export as nq, turtle, jsonld or csv.",
        ),
        (
            "gexf",
            'Node <https://w3id.org/fazhi/id/special-2023> has the character U+0001 in its "label" '
            "value, which XML 1.0 cannot hold, so no GEXF file can be written; remove the "
            "character from the graph or export as nq, turtle, jsonld or csv.",
        ),
    ],
)
def test_control_characters_are_refused_for_xml_before_anything_is_written(
    fmt: str, message: str, tmp_path: Path
) -> None:
    path = _special_graph(tmp_path / "in", NASTY + CONTROL)
    out = tmp_path / "out"
    out.mkdir()
    target = out / f"x.{fmt}"
    target.write_bytes(b"old")
    with pytest.raises(InputError) as info:
        export(fmt, graphs=[path], out=target)
    assert str(info.value) == message
    assert [p.name for p in out.iterdir()] == [target.name] and target.read_bytes() == b"old"


# The networkx API ----------------------------------------------------------------------------


def test_to_networkx_projects_entities_relations_and_evidence(graph: Path) -> None:
    G = fazhi_kg.to_networkx([graph])
    assert isinstance(G, nx.MultiDiGraph)
    g = rdflib.Graph().parse(graph)
    entities = {str(s) for s, o in g.subject_objects(rdflib.RDF.type) if str(o).startswith(FZ)}
    assert set(G.nodes) == entities
    assert not any("/evidence" in n for n in G.nodes)
    for _, data in G.nodes(data=True):
        assert {"label", "family"} <= data.keys()
        assert all(type(v) in (str, int, float) for v in data.values())
    indicator = next(d for _, d in G.nodes(data=True) if d["family"] == "Count")
    assert isinstance(indicator["start"], int) and isinstance(indicator["end"], int)
    assert indicator["quote"] and indicator["report"] == RID and indicator["section"]
    in_report = [(u, v) for u, v, k in G.edges(keys=True) if k == FZ + "inReport"]
    assert len(in_report) == len(set(g.subjects(rdflib.URIRef(FZ + "inReport"))))
    labels = {d["label"] for *_, d in G.edges(data=True) if d["predicate"] == FZ + "inReport"}
    assert labels == {"来源报告"}


@pytest.mark.parametrize(
    ("module", "heavy"),
    [
        ("fazhi_kg", ("rdflib", "networkx", "pyshacl", "pyoxigraph")),
        ("fazhi_kg.export", ("rdflib", "networkx", "pyshacl")),
    ],
)
def test_importing_loads_no_heavy_library(module: str, heavy: tuple[str, ...]) -> None:
    code = f"import sys, {module}; print([m for m in {heavy!r} if m in sys.modules])"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_report_option_keeps_one_report_graph_and_the_ontology(graph: Path, tmp_path: Path) -> None:
    other = tmp_path / "other-2024.ttl"
    shutil.copyfile(graph, other)
    data = export("nq", graphs=[graph, other], report="other-2024")
    assert data is not None
    names = {q.graph_name.value for q in ox.parse(data, format=ox.RdfFormat.N_QUADS)}
    assert names == {"https://w3id.org/fazhi/id/other-2024/graph", ONTOLOGY}


# Messages ------------------------------------------------------------------------------------


def test_messages(graph: Path, tmp_path: Path) -> None:
    with pytest.raises(UsageError) as info:
        export("png", graphs=[graph])
    assert str(info.value) == (
        'Unknown export format "png"; use an RDF syntax, turtle (ttl), ntriples (nt, '
        "n-triples), nquads (nq, n-quads), trig, jsonld (json-ld), rdfxml (rdf/xml, xml, owl), "
        "or graphml, gexf, csv, html."
    )
    with pytest.raises(UsageError, match=r"^Export does not write N3; use an RDF syntax"):
        export("n3", graphs=[graph])
    with pytest.raises(UsageError) as info:
        export("nq", graphs=[graph], report="nowhere-2023")
    assert str(info.value) == f'No report "nowhere-2023" in the graphs; known: {RID}.'
    with pytest.raises(UsageError) as info:
        export("csv", graphs=[graph])
    assert str(info.value) == (
        "csv export writes two files (nodes.csv, edges.csv); pass --out DIR or --out FILE.zip."
    )
    missing = tmp_path / "missing.ttl"
    with pytest.raises(InputError) as info:
        export("nq", graphs=[missing])
    assert (
        str(info.value)
        == f"Graph file {missing} does not exist; check the path or run `fazhi build`."
    )
    (tmp_path / "file").write_text("x")
    with pytest.raises(UsageError) as info:
        export("csv", graphs=[graph], out=tmp_path / "file")
    assert str(info.value) == (
        f"{tmp_path / 'file'} is a file, but csv export writes nodes.csv and edges.csv; "
        "pass a folder or a path ending in .zip."
    )


# Ontology documentation ----------------------------------------------------------------------


def test_docs_page_documents_every_term_and_shape_in_zh_and_en(tmp_path: Path) -> None:
    from html.parser import HTMLParser

    page = write_docs(tmp_path / "docs")
    text = page.read_text(encoding="utf-8")
    assert text == render_html()
    ids: set[str] = set()

    class Ids(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            ids.update(v for k, v in attrs if k == "id" and v)
            assert tag not in ("script", "link", "img", "iframe")

    Ids().feed(text)
    onto = (
        rdflib.Graph().parse(ROOT / "ontology" / "fazhi.ttl").parse(ROOT / "ontology" / "vocab.ttl")
    )
    terms = {str(s)[len(FZ) :] for s in onto.subjects() if str(s).startswith(FZ)}
    assert terms <= ids
    shapes = rdflib.Graph().parse(ROOT / "ontology" / "shapes.ttl")
    node_shapes = {
        str(s).rsplit("#", 1)[1]
        for s in shapes.subjects(
            rdflib.RDF.type, rdflib.URIRef("http://www.w3.org/ns/shacl#NodeShape")
        )
    }
    assert {f"shape-{s}" for s in node_shapes} <= ids
    for s, label in onto.subject_objects(rdflib.RDFS.label):
        if str(s).startswith(FZ):
            assert html.escape(str(label)) in text
    for s, comment in onto.subject_objects(rdflib.RDFS.comment):
        if str(s).startswith(FZ):
            assert html.escape(str(comment)) in text

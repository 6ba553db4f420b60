"""Hostile input gets one sentence and an exit code, never a hang, a traceback or a network call.

Report files (empty, binary, documents, huge, garbled, every encoding), RDF files (syntax errors
with line and column, entity bombs, external entities, remote contexts, deep nesting) and SPARQL
(reading outside the graphs, updates, injection through parameters, engine-crashing chains). A
local listening socket and an audit hook in the child process count outbound connection attempts.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
import unicodedata
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from conftest import EMBEDDED, run_fazhi
from hostile import AUDITED, LOL, RDF, XML_HEAD, Honeypot

from fazhi_kg.errors import InputError, QueryError
from fazhi_kg.extract import extract
from fazhi_kg.query.catalogue import Term, get
from fazhi_kg.query.engine import run
from fazhi_kg.query.store import open_store
from fazhi_kg.text.read import MAX_CHARS, decode, from_text, read_report

REPORT = EMBEDDED.read_text(encoding="utf-8")
P = "PREFIX fz: <https://w3id.org/fazhi/ontology#>\nPREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def _one_sentence(result: subprocess.CompletedProcess[bytes], message: str, code: int = 2) -> None:
    err = result.stderr.decode("utf-8", "replace")
    assert result.returncode == code, (result.returncode, err)
    assert message in err, err
    assert "Traceback" not in err and err.count("\n") == 1, err


@pytest.fixture(scope="module")
def honeypot() -> Iterator[Honeypot]:
    pot = Honeypot()
    yield pot
    pot.close()


def audited(
    *args: str, log: Path, timeout: float = 60, stdin: bytes = b""
) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "FAZHI_NET_LOG": str(log)}
    return subprocess.run(
        [sys.executable, "-c", AUDITED, *args],
        input=stdin,
        capture_output=True,
        env=env,
        timeout=timeout,
        check=False,
    )


# --- report files ------------------------------------------------------------------------------


def _sparse(path: Path, size: int) -> Path:
    with open(path, "wb") as fh:
        fh.truncate(size)
    return path


def _mojibake(codec: str) -> bytes:
    return REPORT.encode("utf-8").decode(codec, "replace").encode("utf-8")


BAD_REPORTS: list[tuple[str, Callable[[Path], Path], str]] = [
    ("empty", lambda d: _write(d / "e.txt", b""), "is empty; give a report text or an HTML page."),
    (
        "binary",
        lambda d: _write(d / "b.txt", bytes(range(256)) * 40),
        "looks like a binary file, not a report text; give a .txt or .html file.",
    ),
    (
        "pdf",
        lambda d: _write(d / "r.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj <<>> endobj\n"),
        "is a PDF document, not text; save the report as plain text (.txt) or as a web page "
        "(.html) and give that file.",
    ),
    (
        "docx",
        lambda d: _write(d / "r.docx", b"PK\x03\x04" + b"\x14\x00" * 64),
        "is a ZIP archive (a .docx, .xlsx or .zip file), not text;",
    ),
    ("folder", lambda d: d, "is a folder; give a report file (.txt or .html)."),
    ("missing", lambda d: d / "missing.txt", "does not exist; check the path."),
    (
        "50 MB",
        lambda d: _sparse(d / "big.txt", 50 * 1024 * 1024),
        "is 50 MB, larger than the 16 MB a report can be; split it or check that it is a report.",
    ),
    (
        "5 MB line",
        lambda d: _write(d / "line.txt", ("法治政府建设办理案件126件，" * 135_000).encode()),
        f"holds more than the {MAX_CHARS:,} characters of text a report can have; "
        "give one report per file.",
    ),
    (
        "not a report",
        lambda d: _write(d / "walk.txt", "周末去公园散步，天气很好。\n".encode() * 50),
        "does not look like a rule-of-law government report (it never speaks of 法治, 依法 or "
        "执法); check the file.",
    ),
    (
        "GBK mojibake",
        lambda d: _write(d / "moj.txt", _mojibake("gbk")),
        "is garbled: it is UTF-8 text that was decoded as GBK and saved again (it reads “",
    ),
    (
        "Windows-1252 mojibake",
        lambda d: _write(d / "moj.txt", _mojibake("cp1252")),
        "is garbled: it is UTF-8 text that was decoded as Windows-1252 and saved again",
    ),
    (
        "锟斤拷",
        lambda d: _write(
            d / "k.txt",
            REPORT.replace("\xa0", " ")
            .encode("gbk")
            .decode("utf-8", "replace")
            .encode("utf-8")
            .decode("gbk", "replace")
            .encode("utf-8"),
        ),
        "contains “锟斤拷”, the trace of characters lost when GBK text was decoded as UTF-8 "
        "and saved again; get the original file.",
    ),
    (
        "replacement characters",
        lambda d: _write(
            d / "r.txt",
            REPORT.replace("\xa0", " ").encode("gbk").decode("utf-8", "replace").encode(),
        ),
        "replacement characters (�) where an earlier wrong decoding lost the original "
        "characters; get the original file.",
    ),
]


@pytest.mark.parametrize(
    ("make", "message"), [c[1:] for c in BAD_REPORTS], ids=[c[0] for c in BAD_REPORTS]
)
def test_bad_report_gets_one_sentence_and_exit_2(tmp_path, make, message):
    _one_sentence(run_fazhi("extract", str(make(tmp_path))), message)


@pytest.mark.parametrize("command", ["build", "check"])
def test_build_and_check_refuse_the_same_way_and_write_nothing(tmp_path, command):
    bad = _write(tmp_path / "r.pdf", b"%PDF-1.4\n")
    out = tmp_path / "out"
    out.mkdir()
    (out / "keep.ttl").write_bytes(b"# an earlier graph\n")
    args = ["build", str(bad), "--out", str(out)] if command == "build" else ["check", str(bad)]
    _one_sentence(run_fazhi(*args), "is a PDF document, not text;")
    assert sorted(p.name for p in out.iterdir()) == ["keep.ttl"]
    assert (out / "keep.ttl").read_bytes() == b"# an earlier graph\n"


def test_a_device_is_refused_without_reading():
    if not Path("/dev/zero").exists():
        pytest.skip("no /dev/zero here")
    _one_sentence(
        run_fazhi("extract", "/dev/zero"),
        "Error: /dev/zero is a device, not a report file; give a report file.",
    )


@pytest.mark.parametrize("command", ["extract", "build", "check"])
def test_a_fifo_is_refused_without_opening_it(tmp_path, command):
    """Opening a FIFO waits for a writer: it is refused from its kind, within a second."""
    fifo = tmp_path / "r.txt"
    os.mkfifo(fifo)
    args = [command, str(fifo), *(["--out", str(tmp_path / "out")] if command == "build" else [])]
    result = run_fazhi(*args, timeout=30)  # a read would wait for ever (bench: the time taken)
    _one_sentence(
        result, f"Error: {fifo} is a named pipe (FIFO), not a report file; give a report file."
    )


def test_a_file_name_with_control_characters_stays_on_one_line(tmp_path):
    _one_sentence(run_fazhi("extract", str(tmp_path / "a\nb\x1b.txt")), "a\\nb\\x1b.txt")


def _facts_summary(src_text: str | None = None, path: Path | None = None) -> tuple[object, ...]:
    src = read_report(path) if path else from_text(src_text or "")
    f = extract(src)
    for ind in f.indicators:  # every span slices to the number it states (五大程序 too)
        stated = unicodedata.normalize("NFKC", src.original[ind.span.start : ind.span.end])
        assert any(ch.isnumeric() for ch in stated), stated
    return (
        [(i.value, i.unit, i.qualifier) for i in f.indicators],
        [m.name for m in f.mechanisms],
        [s.path for s in f.sections],
        [(a.title, a.level) for a in f.awards],
    )


def _page(text: str) -> bytes:
    body = "".join(f"<p>{line}</p>\n" for line in text.splitlines())
    return (
        "<!DOCTYPE html><html><head><title>报告</title><style>p{color:red}</style>"
        "<script>var s = '一、假的标题'; if (a < b) {}</script></head><body>"
        "<nav><a href='/'>首页</a> &gt; <a>政务公开</a></nav><header>一、网站栏目</header>"
        f"<div class='main'>{body}</div><footer>版权所有 ICP备</footer>"
        "<script src='http://127.0.0.1:9/track.js'></script></body></html>"
    ).encode()


_PLAIN = REPORT.replace("\xa0", " ")
_ANSI = _PLAIN.replace("。", "。\x1b[31m\x07", 40)
DECODINGS: list[tuple[str, Callable[[], bytes]]] = [
    ("GBK", lambda: _PLAIN.encode("gbk")),
    ("GB18030", lambda: _PLAIN.encode("gb18030")),
    ("UTF-8 BOM", lambda: b"\xef\xbb\xbf" + _PLAIN.encode()),
    ("UTF-16 LE BOM", lambda: _PLAIN.encode("utf-16")),
    ("UTF-16 BE BOM", lambda: b"\xfe\xff" + _PLAIN.encode("utf-16-be")),
    ("UTF-16 LE no BOM", lambda: _PLAIN.encode("utf-16-le")),
    ("UTF-16 BE no BOM", lambda: _PLAIN.encode("utf-16-be")),
    ("UTF-32 BOM", lambda: _PLAIN.encode("utf-32")),
    ("Latin-1 mojibake", lambda: _PLAIN.encode().decode("latin-1").encode()),
    ("CR line ends", lambda: _PLAIN.replace("\n", "\r").encode()),
    ("CRLF line ends", lambda: _PLAIN.replace("\n", "\r\n").encode()),
    ("U+2028 line ends", lambda: _PLAIN.replace("\n", "\u2028").encode()),
    ("zero-width spaces", lambda: _PLAIN.replace("法治", "法\u200b治").encode()),
    ("terminal escapes", lambda: _ANSI.encode()),
    ("HTML page", lambda: _page(_PLAIN)),
]


@pytest.mark.parametrize("make", [m for _, m in DECODINGS], ids=[n for n, _ in DECODINGS])
def test_every_encoding_and_wrapping_gives_the_same_facts(tmp_path, make):
    expected = _facts_summary(_PLAIN)
    path = _write(tmp_path / "report.txt", make())
    assert _facts_summary(path=path) == expected


def test_lossless_gbk_mojibake_is_repaired():
    # pairs of characters whose UTF-8 bytes are valid GBK: no byte was lost on the way
    text = "巴中市巴州区人民政府关于2023年度法治情况报告\n" + "人民政府法治情况" * 4 + "\n"
    garbled = text.encode().decode("gbk")
    assert decode(garbled.encode(), "x.txt") == (text, "utf-8 (repaired from GBK mojibake)")


def test_unpaired_surrogates_are_refused():
    with pytest.raises(InputError, match=r"contains an unpaired surrogate \(U\+D800"):
        from_text("法治\ud800政府")


@pytest.mark.parametrize(
    ("text", "limit"),
    [
        ("法治政府建设" * 900_000, 2.0),  # 5 MB on one line: refused at once
        ("<html><body>" + "<!--<a <script>" * 350_000, 10.0),  # 5 MB of unclosed markup
        ("<html><body>" + "<p>一、法治</p>" * 20_000, 10.0),  # a long page within the limit
    ],
    ids=["5 MB line", "5 MB unclosed markup", "long page"],
)
def test_huge_inputs_are_read_in_linear_time(text, limit):
    started = time.perf_counter()
    try:
        from_text(text)
    except InputError as exc:
        assert "a report can have" in str(exc)
    assert time.perf_counter() - started < limit


# --- RDF files ---------------------------------------------------------------------------------

BAD_GRAPHS: list[tuple[str, str, str | Callable[[str], str], str]] = [
    (
        "Turtle",
        "bad.ttl",
        '@prefix ex: <http://ex.org/> .\nex:a ex:b ex:c .\nex:a ex:b "open .\nex:d ex:e ex:f .\n',
        "bad.ttl is not valid Turtle: line 3, column 11: Unexpected end of file; fix the file "
        "or rebuild it.",
    ),
    (
        "N-Triples",
        "bad.nt",
        "<http://ex.org/a> <http://ex.org/b> <http://ex.org/c> .\n<http://ex.org/a> <http://ex.org/b> c .\n",
        "bad.nt is not valid N-Triples: line 2, column 37: The object of a triple must be an IRI, "
        "a blank node or a literal; fix the file or rebuild it.",
    ),
    (
        "JSON-LD",
        "bad.jsonld",
        '{\n  "@id": "http://ex.org/a",\n  "http://ex.org/b": [1, 2,\n}\n',
        "bad.jsonld is not valid JSON-LD: line 4, column 1: Unexpected closing curly bracket, no "
        "array to close; fix the file or rebuild it.",
    ),
    (
        "RDF/XML",
        "bad.rdf",
        XML_HEAD
        + '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n'
        + '<rdf:Description rdf:about="http://ex.org/a">\n</rdf:RDF>\n',
        "bad.rdf is not valid RDF/XML: line 4, column 3: mismatched tag; fix the file or rebuild "
        "it.",
    ),
    (
        "entity bomb",
        "bomb.rdf",
        XML_HEAD + f'<!DOCTYPE rdf:RDF [<!ENTITY lol "lol">{LOL}]>\n' + RDF.format("&lol9;"),
        "declares XML entities that would expand to about 3,000,000,000 characters, more than "
        "ten times the file (an entity bomb); remove the DOCTYPE declaration.",
    ),
    (
        "quadratic blowup",
        "blowup.rdf",
        XML_HEAD + f'<!DOCTYPE rdf:RDF [<!ENTITY a "{"x" * 5000}">]>\n' + RDF.format("&a;" * 20000),
        "(an entity bomb); remove the DOCTYPE declaration.",
    ),
    (
        "external entity",
        "xxe.rdf",
        XML_HEAD
        + '<!DOCTYPE rdf:RDF [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
        + RDF.format("&xxe;"),
        "declares an external XML entity (&xxe;), which would read another file or URL; "
        "remove the declaration.",
    ),
    (
        "external entity by URL",
        "xxe-url.rdf",
        lambda url: (
            XML_HEAD
            + f'<!DOCTYPE rdf:RDF [<!ENTITY xxe SYSTEM "{url}/x">]>\n'
            + RDF.format("&xxe;")
        ),
        "declares an external XML entity (&xxe;)",
    ),
    (
        "external DTD",
        "dtd.rdf",
        lambda url: XML_HEAD + f'<!DOCTYPE rdf:RDF SYSTEM "{url}/rdf.dtd">\n' + RDF.format("x"),
        "refers to an external DTD, which the parser would fetch; remove the DOCTYPE declaration.",
    ),
    (
        "parameter entity",
        "pe.rdf",
        XML_HEAD + '<!DOCTYPE rdf:RDF [<!ENTITY % p "x">]>\n' + RDF.format("x"),
        "declares an XML parameter entity (%p), which fazhi does not accept;",
    ),
    (
        "remote JSON-LD context",
        "remote.jsonld",
        lambda url: json.dumps({"@context": f"{url}/ctx.jsonld", "@id": "http://ex.org/a"}),
        "refers to a JSON-LD context by reference (“http://127.0.0.1:",
    ),
    (
        "JSON-LD @import",
        "import.jsonld",
        lambda url: json.dumps(
            {"@context": {"@version": 1.1, "@import": f"{url}/c"}, "@id": "http://ex.org/a"}
        ),
        "refers to a JSON-LD context by reference (@import “http://127.0.0.1:",
    ),
    (
        "deep JSON-LD",
        "deep.jsonld",
        '{"@id": "http://ex.org/a", "http://ex.org/b": '
        + '{"http://ex.org/b": ' * 5000
        + "1"
        + "}" * 5001,
        "deep.jsonld nests JSON objects and arrays more than 256 deep, more than a JSON-LD file "
        "needs; flatten it.",
    ),
    (
        "deep RDF/XML",
        "deep.rdf",
        XML_HEAD + RDF.format("<ex:q>" * 3000 + "x" + "</ex:q>" * 3000),
        "deep.rdf nests XML elements 3003 deep, more than the 1000 an RDF/XML file needs; "
        "flatten it or save it as Turtle.",
    ),
]


GRAPH_READERS: dict[str, Callable[[str], list[str]]] = {
    "validate": lambda f: ["validate", f],
    "sparql --graph": lambda f: ["sparql", "--graph", f, "ASK {}"],
    "export --graph": lambda f: ["export", "--graph", f, "--format", "nt"],
    # refused before any request: nothing listens on the discard port
    "push --graph": lambda f: ["push", "--graph-store", "http://127.0.0.1:9/store", "--graph", f],
}


@pytest.mark.parametrize(
    ("reader", "name", "content", "message"),
    [
        pytest.param(reader, *c[1:], id=f"{c[0]}-{reader}")
        for c in BAD_GRAPHS
        for reader in GRAPH_READERS
    ],
)
def test_bad_graph_gets_one_sentence_with_its_place(
    tmp_path, honeypot, reader, name, content, message
):
    """Every command that reads graph files refuses the same way, in the same words (one loader,
    fazhi_kg.rdfio.load): `export --graph` hung on the entity bomb and crashed on deep JSON-LD
    before it used the guard."""
    text = content(honeypot.url) if callable(content) else content
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    before = honeypot.connections
    started = time.monotonic()
    log = tmp_path / "net.log"
    result = audited(*GRAPH_READERS[reader](str(path)), log=log)
    _one_sentence(result, message)
    assert time.monotonic() - started < 20
    assert not log.exists() and honeypot.connections == before
    assert result.stdout == b""


@pytest.mark.parametrize(
    ("reader", "name", "content", "message"),
    [
        pytest.param(reader, *c[1:], id=f"{c[0]}-{reader}")
        for c in BAD_GRAPHS[4:]  # the hostile ones: their syntax is told from their first bytes
        for reader in GRAPH_READERS
    ],
)
def test_hostile_graph_on_standard_input_is_refused_too(
    tmp_path, honeypot, reader, name, content, message
):
    """`-` reads the graph from standard input, through the same guards."""
    text = content(honeypot.url) if callable(content) else content
    before = honeypot.connections
    log = tmp_path / "net.log"
    result = audited(*GRAPH_READERS[reader]("-"), log=log, stdin=text.encode("utf-8"))
    _one_sentence(result, message.replace(name, "standard input"))
    assert not log.exists() and honeypot.connections == before
    assert result.stdout == b""


@pytest.mark.parametrize("reader", list(GRAPH_READERS)[:3])
def test_deep_turtle_is_read_by_every_command(tmp_path, reader):
    """Oxigraph reads 3,000 nested [ ] without recursion, and every command reads with it (rdflib,
    which `validate` used to parse with, gave up)."""
    path = tmp_path / "deep.ttl"
    path.write_text(
        "@prefix ex: <http://ex.org/> .\nex:a ex:b "
        + "[ ex:c " * 3000
        + "ex:d"
        + " ]" * 3000
        + " .\n"
    )
    result = run_fazhi(*GRAPH_READERS[reader](str(path)))
    assert result.returncode == 0, result.stderr


def test_a_deep_blank_node_chain_is_exported_in_linear_time(tmp_path):
    """Canonicalizing input blank nodes took minutes on a chain or ring of a few thousand."""
    ring = tmp_path / "ring.nt"
    ring.write_text(
        "".join(f"_:b{i} <http://ex.org/c> _:b{(i + 1) % 3000} .\n" for i in range(3000))
    )
    deep = tmp_path / "deep.ttl"
    deep.write_text(
        "@prefix ex: <http://ex.org/> .\nex:a ex:b " + "[ ex:c " * 3000 + "1" + " ]" * 3000 + " .\n"
    )
    started = time.monotonic()
    first = run_fazhi("export", "--graph", str(ring), "--graph", str(deep), "--format", "nq")
    assert first.returncode == 0, first.stderr
    assert time.monotonic() - started < 20
    assert first.stdout.count(b"/id/ring/graph> .") == 3000
    assert first.stdout.count(b"/id/deep/graph> .") == 3001
    again = run_fazhi("export", "--graph", str(ring), "--graph", str(deep), "--format", "nq")
    assert again.stdout == first.stdout  # the labels are stable from run to run


@pytest.mark.parametrize("reader", list(GRAPH_READERS))
@pytest.mark.parametrize("case", BAD_GRAPHS[:4], ids=[c[0] for c in BAD_GRAPHS[:4]])
def test_syntax_errors_say_line_and_column_on_one_line(tmp_path, reader, case):
    _, name, content, _ = case
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    err = run_fazhi(*GRAPH_READERS[reader](str(path))).stderr.decode()
    assert re.search(r": line \d+, column \d+: \S", err) and err.count("\n") == 1, err


def test_rdf_xml_with_plain_entities_is_still_read(tmp_path):
    owl = tmp_path / "onto.owl"
    owl.write_text(
        XML_HEAD + '<!DOCTYPE rdf:RDF [<!ENTITY owl "http://www.w3.org/2002/07/owl#">\n'
        "<!ENTITY rdfs 'http://www.w3.org/2000/01/rdf-schema#'>]>\n"
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:owl="&owl;" '
        'xmlns:rdfs="&rdfs;"><owl:Class rdf:about="&owl;Thing"><rdfs:label>T</rdfs:label>'
        "</owl:Class></rdf:RDF>\n",
        encoding="utf-8",
    )
    from fazhi_kg.rdfio.load import read_graph

    assert len(read_graph(owl).triples()) == 2


def test_named_graphs_of_quad_files_are_validated_too(tmp_path):
    from fazhi_kg.rdfio.load import read_graph

    nq = tmp_path / "g.nq"
    nq.write_text("<http://ex.org/a> <http://ex.org/b> <http://ex.org/c> <http://ex.org/g> .\n")
    assert len(read_graph(nq).triples()) == 1


# --- SPARQL ------------------------------------------------------------------------------------

OUTSIDE = "which would read outside the given graphs; pass the data with --graph instead."
READ_ONLY = "updates are refused here, the graphs are read-only."
REFUSED_QUERIES = [
    ("SELECT * FROM <file:///etc/passwd> WHERE { ?s ?p ?o }", f"The query uses FROM, {OUTSIDE}"),
    ("SELECT * FROM NAMED <http://example.org/g> WHERE { ?s ?p ?o }", "uses FROM"),
    ("LOAD <{url}/data.ttl>", f"The query uses LOAD, {OUTSIDE}"),
    (
        "SELECT * WHERE { SERVICE <{url}/sparql> { ?s ?p ?o } }",
        f"The query uses SERVICE, {OUTSIDE}",
    ),
    (
        "SELECT * WHERE { ?s ?p ?o FILTER(1<2) SERVICE SILENT <{url}/> { ?s ?p ?o } }",
        "uses SERVICE",
    ),
    ("SELECT * WHERE { ?s ?p ?o } # \n SERVICE <{url}/> { }", "uses SERVICE"),
    ("INSERT DATA { <a:b> <a:c> <a:d> }", f"The query uses INSERT: {READ_ONLY}"),
    ("DELETE WHERE { ?s ?p ?o }", f"The query uses DELETE: {READ_ONLY}"),
    ("DROP ALL", f"The query uses DROP: {READ_ONLY}"),
    ("CLEAR DEFAULT", "uses CLEAR"),
    ("CREATE GRAPH <a:g>", "uses CREATE"),
    ("ADD DEFAULT TO <a:g>", "uses ADD"),
    ("MOVE DEFAULT TO <a:g>", "uses MOVE"),
    ("COPY DEFAULT TO <a:g>", "uses COPY"),
    (
        "SELECT * WHERE { ?s ?p " + "[ <a:p> " * 30 + "1" + " ]" * 30 + " }",
        "levels of braces, brackets and parentheses; at most 24",
    ),
    (
        "SELECT * WHERE { BIND(" + "!" * 10_000 + "true AS ?x) }",
        "The query has 10,005 operators, clauses and brackets; at most 1,000 are accepted (longer chains crash the engine), split it.",
    ),
    (
        "SELECT * WHERE { " + " UNION ".join(["{ ?s ?p ?o }"] * 3000) + " }",
        "operators, clauses and brackets; at most 1,000",
    ),
    (
        "SELECT * WHERE { " + " ".join(f"BIND(1 AS ?x{i})" for i in range(3000)) + " }",
        "at most 1,000 are accepted",
    ),
]


@pytest.mark.parametrize(
    ("query", "message"), REFUSED_QUERIES, ids=[q[:40] for q, _ in REFUSED_QUERIES]
)
def test_refused_query_never_reaches_the_engine(tmp_path, honeypot, query, message):
    f = tmp_path / "q.rq"
    f.write_text(query.replace("{url}", honeypot.url), encoding="utf-8")
    before = honeypot.connections
    log = tmp_path / "net.log"
    _one_sentence(audited("sparql", f"@{f}", log=log), message)
    assert not log.exists() and honeypot.connections == before


def test_a_long_values_table_is_data_not_operators():
    rows = " ".join(f"({i} {i + 1})" for i in range(5000))
    result = run_fazhi(
        "sparql",
        f"SELECT (COUNT(*) AS ?n) WHERE {{ VALUES (?a ?b) {{ {rows} }} }}",
        "--format",
        "csv",
    )
    assert result.returncode == 0 and result.stdout == b"n\r\n5000\r\n"


@pytest.mark.parametrize(
    "value",
    [
        'x" } ; DROP ALL ; #',
        '司法" ) } UNION { ?institution ?p ?o } #',
        "司法'> ; LOAD <http://127.0.0.1:9/>",
    ],
)
def test_parameter_values_are_terms_not_query_text(value):
    result = run_fazhi("query", "institution", "--param", f"name={value}", "--format", "csv")
    assert result.returncode == 0, result.stderr
    assert result.stdout.count(b"\n") == 1  # the header alone: nothing matched, nothing ran
    control = run_fazhi("query", "institution", "--param", "name=司法", "--format", "csv")
    assert control.stdout.count(b"\n") > 1


def test_a_bound_value_leaves_the_store_as_it_was():
    store = open_store()
    size = len(store)
    answer = run(store, get("institution").text, bindings={"name": Term('x" } ; DROP ALL ; #')})
    assert answer.rows == () and len(store) == size


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["recurring-problems", "--param", "min_years=2 } UNION { ?s ?p ?o"],
            "takes a whole number",
        ),
        (["indicators", "--param", "min=1) || true || (1"], "takes a number"),
    ],
)
def test_typed_parameters_refuse_query_text(args, message):
    _one_sentence(run_fazhi("query", *args), message)


def test_check_query_refuses_before_any_engine():
    from fazhi_kg.query.guard import check_query

    with pytest.raises(QueryError, match="uses SERVICE"):
        check_query("SELECT * WHERE { sErViCe <http://x/> { ?s ?p ?o } }")
    check_query('SELECT ?from WHERE { ?from <a:load> "SERVICE DROP" } # FROM')  # names, not words


def test_timeout_ends_a_runaway_query_with_exit_3():
    slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
    started = time.monotonic()
    result = run_fazhi("sparql", slow, "--timeout", "1")
    assert time.monotonic() - started < 15
    _one_sentence(
        result, "The query ran longer than 1 s and was stopped; narrow it or raise --timeout.", 3
    )


def test_limit_caps_rows_with_a_visible_notice():
    result = run_fazhi(
        "sparql", P + "SELECT ?l WHERE { ?s rdfs:label ?l }", "--limit", "3", "--format", "csv"
    )
    lines = result.stdout.decode().splitlines()
    assert result.returncode == 0 and len(lines) == 1 + 3  # the csv holds the answer only
    note = result.stderr.decode().splitlines()[0]
    assert note.startswith("# ") and note.endswith(
        "more results not shown; raise --limit or add --all to see them."
    )


def test_a_query_is_read_no_further_than_16_mb(tmp_path):
    big = _sparse(tmp_path / "big.rq", 17 * 1024 * 1024)
    cap = "is longer than the 16 MB a query can be; check that it is a SPARQL query."
    _one_sentence(run_fazhi("sparql", f"@{big}"), f"The query from query file {big} {cap}")
    stdin = run_fazhi("sparql", "-", input=b" " * (17 * 1024 * 1024))
    _one_sentence(stdin, f"The query from standard input {cap}")
    if Path("/dev/zero").exists():
        _one_sentence(run_fazhi("sparql", "@/dev/zero"), f"query file /dev/zero {cap}")
    _one_sentence(
        run_fazhi("sparql", "-", input=b"ASK {\xff}"), "Cannot read standard input as UTF-8"
    )
    assert run_fazhi("sparql", "-", "--format", "csv", input=b"ASK {}").returncode == 0


# --- network -----------------------------------------------------------------------------------


def test_the_audit_hook_sees_outbound_attempts(tmp_path, honeypot):
    """The measurement is not vacuous: a child that does connect is caught and logged."""
    log = tmp_path / "net.log"
    code = AUDITED.replace(
        "from fazhi_kg.cli import main",
        f"import urllib.request\ntry:\n    urllib.request.urlopen('{honeypot.url}/x', timeout=2)\n"
        "except PermissionError:\n    pass\nfrom fazhi_kg.cli import main",
    )
    env = {**os.environ, "FAZHI_NET_LOG": str(log)}
    subprocess.run(
        [sys.executable, "-c", code, "--help"], env=env, capture_output=True, check=False
    )
    assert "urllib.Request" in log.read_text(encoding="utf-8")


def test_a_web_page_with_remote_scripts_is_read_offline(tmp_path, honeypot):
    page = _page(_PLAIN).replace(b"http://127.0.0.1:9", honeypot.url.encode())
    path = _write(tmp_path / "page.html", page)
    log = tmp_path / "net.log"
    before = honeypot.connections
    result = audited("extract", str(path), log=log)
    assert result.returncode == 0, result.stderr
    assert not log.exists() and honeypot.connections == before

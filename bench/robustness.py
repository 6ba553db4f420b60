"""Robustness table: hostile input through the `fazhi` command, each case in a fresh child process.

Every input is generated in a temporary folder. The child runs the CLI behind an audit hook that
logs and blocks outbound network attempts (socket.connect, socket.getaddrinfo, urllib.Request …),
and every hostile URL points at a local listening socket that counts connections (Oxigraph's HTTP
client is Rust, invisible to Python's audit hooks). The table records, per input, what happened
(the first line of stderr, or a summary of the output), the exit code and the time, and checks the
bars: 0 uncaught exceptions (exit 4, a traceback, death by a signal), 0 hangs past the time limit,
0 partial files (a failed command leaves its output folder as it was; a killed export leaves the
old file or the whole new one), 0 outbound network attempts.

    python bench/robustness.py                 # writes docs/robustness.md
    python bench/robustness.py --out -         # prints the table instead
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REPORT = (ROOT / "reports" / "bazhou-2023.txt").read_text(encoding="utf-8")
PLAIN = REPORT.replace("\xa0", " ")  # GBK has no no-break space
sys.path.insert(0, str(ROOT / "tests"))
from hostile import AUDITED, LOL, RDF, Honeypot  # noqa: E402  (shared with tests/test_robustness.py)
from hostile import XML_HEAD as XML  # noqa: E402


@dataclass
class Case:
    """One hostile input: how to make it and which command reads it."""

    category: str
    name: str
    make: Callable[[Path, str], list[str]]  # (folder, honeypot URL) → fazhi arguments
    watch: str | None = None  # a folder that must stay as it was when the command fails


@dataclass
class Row:
    case: Case
    command: str
    happened: str
    code: int | None
    seconds: float
    network: int
    faults: list[str] = field(default_factory=list)


def put(path: Path, data: bytes | str) -> str:
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return str(path)


def page(text: str, url: str = "http://127.0.0.1:9") -> str:
    body = "".join(f"<p>{line}</p>\n" for line in text.splitlines())
    return (
        "<!DOCTYPE html><html><head><title>报告</title><style>p{color:red}</style>"
        f"<script src='{url}/a.js'></script><script>var s='一、假标题';</script></head><body>"
        "<nav><a href='/'>首页</a> &gt; 政务公开</nav><header>一、网站栏目</header>"
        f"<div>{body}</div><img src='{url}/x.png'><footer>版权所有 ICP备</footer></body></html>"
    )


def mojibake(codec: str) -> bytes:
    return PLAIN.encode().decode(codec, "replace").encode()


def headings_marked(text: str) -> str:
    """The report with its top-level headings' text wrapped in inline markup and entities."""
    return re.sub(
        r"(?m)^([一二三四五六七八九十]+、)(.{2})(.*)$",
        lambda m: f"{m.group(1)}<b>{m.group(2)}</b>&nbsp;<span>{m.group(3)}</span>&amp;",
        text,
    )


def line_of(token: str, chars: int) -> str:
    head = "某县人民政府关于2023年度法治政府建设情况的报告\n一、主要举措\n"
    return head + (token * (chars // len(token) + 1))[: chars - len(head)]


SELECT = "SELECT * WHERE {{ {} }}"


def query(d: Path, text: str) -> list[str]:
    return ["sparql", "@" + put(d / "q.rq", text)]


def graph(d: Path, name: str, text: str, via: str) -> list[str]:
    path = put(d / name, text)
    if via == "validate":
        return ["validate", path]
    if via == "export":
        return ["export", "--format", "nt", "--graph", path, "--out", str(d / "out" / "g.nt")]
    return ["sparql", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "--graph", path]


def through(label: str, name: str, text: str, *vias: str) -> list[Case]:
    """One hostile RDF file read by several commands (`graph`), a case each."""
    shown = {"validate": "validate", "sparql": "query --graph", "export": "export --graph"}

    def make(via: str) -> Callable[[Path, str], list[str]]:
        return lambda d, u: graph(d, name, text, via)

    return [Case("RDF file", f"{label} ({shown[via]})", make(via)) for via in vias]


def cases() -> list[Case]:
    r, g, q = "report file", "RDF file", "SPARQL"
    out: list[Case] = [
        Case(r, "empty file", lambda d, u: ["extract", put(d / "empty.txt", b"")]),
        Case(r, "whitespace only", lambda d, u: ["extract", put(d / "ws.txt", b" \n\t\n")]),
        Case(
            r,
            "binary, NUL bytes",
            lambda d, u: ["extract", put(d / "b.bin", bytes(range(256)) * 64)],
        ),
        Case(
            r,
            "binary, no NUL bytes",
            lambda d, u: ["extract", put(d / "b.txt", bytes(range(128, 256)) * 64)],
        ),
        Case(
            r,
            "PDF document",
            lambda d, u: [
                "extract",
                put(d / "r.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\n"),
            ],
        ),
        Case(
            r,
            "Word .docx",
            lambda d, u: ["extract", put(d / "r.docx", b"PK\x03\x04" + b"\x14\x00" * 64)],
        ),
        Case(
            r,
            "PNG image",
            lambda d, u: ["extract", put(d / "r.png", b"\x89PNG\r\n\x1a\n" + bytes(64))],
        ),
        Case(r, "a folder", lambda d, u: ["extract", str(d)]),
        Case(r, "a missing path", lambda d, u: ["extract", str(d / "missing.txt")]),
        Case(r, "/dev/zero (endless device)", lambda d, u: ["extract", "/dev/zero"]),
        Case(
            r,
            "file name with newline and ESC",
            lambda d, u: ["extract", str(d / "a\nb\x1b[31m.txt")],
        ),
        Case(r, "GBK", lambda d, u: ["extract", put(d / "gbk.txt", PLAIN.encode("gbk"))]),
        Case(r, "GB18030", lambda d, u: ["extract", put(d / "gb.txt", PLAIN.encode("gb18030"))]),
        Case(
            r,
            "UTF-8 with BOM",
            lambda d, u: ["extract", put(d / "bom.txt", b"\xef\xbb\xbf" + PLAIN.encode())],
        ),
        Case(
            r,
            "UTF-16 LE with BOM",
            lambda d, u: ["extract", put(d / "u16.txt", PLAIN.encode("utf-16"))],
        ),
        Case(
            r,
            "UTF-16 BE with BOM",
            lambda d, u: ["extract", put(d / "u16be.txt", b"\xfe\xff" + PLAIN.encode("utf-16-be"))],
        ),
        Case(
            r,
            "UTF-16 LE without BOM",
            lambda d, u: ["extract", put(d / "u16n.txt", PLAIN.encode("utf-16-le"))],
        ),
        Case(
            r,
            "UTF-32 with BOM",
            lambda d, u: ["extract", put(d / "u32.txt", PLAIN.encode("utf-32"))],
        ),
        Case(
            r,
            "mojibake: UTF-8 read as GBK (lossy)",
            lambda d, u: ["extract", put(d / "moj.txt", mojibake("gbk"))],
        ),
        Case(
            r,
            "mojibake: UTF-8 read as Windows-1252 (lossy)",
            lambda d, u: ["extract", put(d / "moj.txt", mojibake("cp1252"))],
        ),
        Case(
            r,
            "mojibake: UTF-8 read as Latin-1 (lossless)",
            lambda d, u: ["extract", put(d / "moj.txt", mojibake("latin-1"))],
        ),
        Case(
            r,
            "“锟斤拷” (GBK read as UTF-8, twice)",
            lambda d, u: [
                "extract",
                put(
                    d / "k.txt",
                    PLAIN.encode("gbk")
                    .decode("utf-8", "replace")
                    .encode("utf-8")
                    .decode("gbk", "replace")
                    .encode(),
                ),
            ],
        ),
        Case(
            r,
            "U+FFFD replacement characters",
            lambda d, u: [
                "extract",
                put(d / "fffd.txt", PLAIN.encode("gbk").decode("utf-8", "replace").encode()),
            ],
        ),
        Case(
            r,
            "HTML page: scripts, styles, nav, remote src",
            lambda d, u: ["extract", put(d / "page.html", page(PLAIN, u))],
        ),
        Case(
            r,
            "HTML headings with <b>, <span>, &nbsp; and &amp;",
            lambda d, u: ["extract", put(d / "h.html", page(headings_marked(PLAIN), u))],
        ),
        Case(
            r,
            "5 MB one-line HTML of unclosed markup",
            lambda d, u: [
                "extract",
                put(d / "m.html", "<html><body>" + "<!--<a <script>&#1" * 300_000),
            ],
        ),
        Case(
            r,
            "50 MB text file",
            lambda d, u: [
                "extract",
                put(
                    d / "big.txt",
                    (PLAIN + "\n").encode() * (50 * 1024 * 1024 // len(PLAIN.encode()) + 1),
                ),
            ],
        ),
        Case(
            r,
            "5 MB single line",
            lambda d, u: [
                "extract",
                put(d / "line.txt", line_of("法治政府建设办理案件126件，", 1_800_000)),
            ],
        ),
        Case(
            r,
            "report repeated to 99,000 characters",
            lambda d, u: ["extract", put(d / "long.txt", (PLAIN * 70)[:99_000])],
        ),
        Case(
            r,
            "report repeated to 99,000 characters (build)",
            lambda d, u: [
                "build",
                put(d / "long.txt", (PLAIN * 70)[:99_000]),
                "--no-validate",
                "--out",
                str(d / "out"),
            ],
        ),
        Case(
            r,
            "99,000 characters of “荣获” on one line",
            lambda d, u: ["extract", put(d / "p.txt", line_of("荣获", 99_000))],
        ),
        Case(
            r,
            "99,000 characters of “a” quotes on one line",
            lambda d, u: ["extract", put(d / "p.txt", line_of("“a”", 99_000))],
        ),
        Case(
            r,
            "99,000 characters of “12.5%” on one line",
            lambda d, u: ["extract", put(d / "p.txt", line_of("办理12.5%", 99_000))],
        ),
        Case(
            r,
            "99,000 characters of “12.5%” on one line (build)",
            lambda d, u: [
                "build",
                put(d / "p.txt", line_of("办理12.5%", 99_000)),
                "--no-validate",
                "--out",
                str(d / "out"),
            ],
        ),
        Case(
            r,
            "a text that is not a report",
            lambda d, u: ["extract", put(d / "walk.txt", "周末去公园散步，天气很好。\n" * 50)],
        ),
        Case(
            r,
            "control characters and terminal escapes",
            lambda d, u: [
                "extract",
                put(d / "c.txt", PLAIN.replace("。", "。\x1b[31m\x07\x01", 40)),
            ],
        ),
        Case(
            r,
            "CR-only line ends",
            lambda d, u: ["extract", put(d / "cr.txt", PLAIN.replace("\n", "\r"))],
        ),
        Case(
            r,
            "U+2028 line separators",
            lambda d, u: ["extract", put(d / "ls.txt", PLAIN.replace("\n", "\u2028"))],
        ),
        Case(
            r,
            "zero-width spaces inside words",
            lambda d, u: ["extract", put(d / "zw.txt", PLAIN.replace("法治", "法\u200b治"))],
        ),
        Case(
            r,
            "NUL bytes after the first 4 KB",
            lambda d, u: ["extract", put(d / "nul.txt", PLAIN.encode() + b"\x00" * 100)],
        ),
        Case(
            r,
            "build of a PDF into a folder holding a graph",
            lambda d, u: ["build", put(d / "r.pdf", b"%PDF-1.4\n"), "--out", str(d / "out")],
            watch="out",
        ),
        Case(
            r,
            "check of a garbled file",
            lambda d, u: ["check", put(d / "moj.txt", mojibake("gbk"))],
        ),
    ]
    bad_ttl = '@prefix ex: <http://ex.org/> .\nex:a ex:b ex:c .\nex:a ex:b "open .\n'
    deep_json = (
        '{"@id": "http://ex.org/a", "http://ex.org/b": '
        + '{"http://ex.org/b": ' * 5000
        + "1"
        + "}" * 5001
    )
    deep_ttl = (
        "@prefix ex: <http://ex.org/> .\nex:a ex:b "
        + "[ ex:c " * 3000
        + "ex:d"
        + " ]" * 3000
        + " .\n"
    )
    bomb = XML + f'<!DOCTYPE rdf:RDF [<!ENTITY lol "lol">{LOL}]>\n' + RDF.format("&lol9;")
    ring_nt = "".join(f"_:b{i} <http://ex.org/c> _:b{(i + 1) % 3000} .\n" for i in range(3000))
    syntax_errors = [
        ("Turtle", "bad.ttl", bad_ttl),
        ("N-Triples", "bad.nt", "<http://ex.org/a> <http://ex.org/b> c .\n"),
        ("JSON-LD", "bad.jsonld", '{\n "@id": "http://ex.org/a",\n "http://ex.org/b": [1,\n}\n'),
        (
            "RDF/XML",
            "bad.rdf",
            XML
            + '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n'
            + "<rdf:Description>\n</rdf:RDF>\n",
        ),
    ]
    out += [
        Case(g, "Turtle syntax error", lambda d, u: graph(d, "bad.ttl", bad_ttl, "validate")),
        Case(
            g,
            "N-Triples syntax error",
            lambda d, u: graph(
                d, "bad.nt", "<http://ex.org/a> <http://ex.org/b> c .\n", "validate"
            ),
        ),
        Case(
            g,
            "JSON-LD syntax error",
            lambda d, u: graph(
                d,
                "bad.jsonld",
                '{\n "@id": "http://ex.org/a",\n "http://ex.org/b": [1,\n}\n',
                "validate",
            ),
        ),
        Case(
            g,
            "RDF/XML syntax error",
            lambda d, u: graph(
                d,
                "bad.rdf",
                XML
                + '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n<rdf:Description>\n</rdf:RDF>\n',
                "validate",
            ),
        ),
        *through("XML entity bomb", "bomb.rdf", bomb, "validate", "sparql", "export"),
        Case(
            g,
            "XML quadratic blowup",
            lambda d, u: graph(
                d,
                "q.rdf",
                XML
                + f'<!DOCTYPE rdf:RDF [<!ENTITY a "{"x" * 5000}">]>\n'
                + RDF.format("&a;" * 20000),
                "validate",
            ),
        ),
        Case(
            g,
            "external entity: file",
            lambda d, u: graph(
                d,
                "xxe.rdf",
                XML
                + '<!DOCTYPE rdf:RDF [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n'
                + RDF.format("&x;"),
                "validate",
            ),
        ),
        Case(
            g,
            "external entity: URL",
            lambda d, u: graph(
                d,
                "xxe.rdf",
                XML + f'<!DOCTYPE rdf:RDF [<!ENTITY x SYSTEM "{u}/x">]>\n' + RDF.format("&x;"),
                "validate",
            ),
        ),
        Case(
            g,
            "external entity: URL (query --graph)",
            lambda d, u: graph(
                d,
                "xxe.rdf",
                XML + f'<!DOCTYPE rdf:RDF [<!ENTITY x SYSTEM "{u}/x">]>\n' + RDF.format("&x;"),
                "sparql",
            ),
        ),
        Case(
            g,
            "external DTD",
            lambda d, u: graph(
                d,
                "dtd.rdf",
                XML + f'<!DOCTYPE rdf:RDF SYSTEM "{u}/rdf.dtd">\n' + RDF.format("x"),
                "validate",
            ),
        ),
        Case(
            g,
            "parameter entity",
            lambda d, u: graph(
                d,
                "pe.rdf",
                XML + '<!DOCTYPE rdf:RDF [<!ENTITY % p "x">]>\n' + RDF.format("x"),
                "validate",
            ),
        ),
        Case(
            g,
            "JSON-LD remote @context (validate)",
            lambda d, u: graph(
                d,
                "r.jsonld",
                json.dumps({"@context": f"{u}/c.jsonld", "@id": "http://ex.org/a"}),
                "validate",
            ),
        ),
        Case(
            g,
            "JSON-LD remote @context (query --graph)",
            lambda d, u: graph(
                d,
                "r.jsonld",
                json.dumps({"@context": f"{u}/c.jsonld", "@id": "http://ex.org/a"}),
                "sparql",
            ),
        ),
        Case(
            g,
            "JSON-LD @import",
            lambda d, u: graph(
                d,
                "i.jsonld",
                json.dumps(
                    {"@context": {"@version": 1.1, "@import": f"{u}/c"}, "@id": "http://ex.org/a"}
                ),
                "validate",
            ),
        ),
        *through("Turtle nested 3,000 [ ] deep", "deep.ttl", deep_ttl, "validate", "sparql"),
        *through(
            "JSON-LD nested 5,000 objects deep",
            "deep.jsonld",
            deep_json,
            "validate",
            "sparql",
            "export",
        ),
        # push: refused before any request, though the graph store URL is a live local socket
        Case(
            g,
            "XML entity bomb (push --graph)",
            lambda d, u: ["push", "--graph-store", u, "--graph", put(d / "bomb.rdf", bomb)],
        ),
        Case(
            g,
            "JSON-LD nested 5,000 objects deep (push --graph)",
            lambda d, u: ["push", "--graph-store", u, "--graph", put(d / "deep.jsonld", deep_json)],
        ),
        Case(
            g,
            "RDF/XML nested 3,000 elements deep",
            lambda d, u: graph(
                d,
                "deep.rdf",
                XML + RDF.format("<ex:q>" * 3000 + "x" + "</ex:q>" * 3000),
                "validate",
            ),
        ),
        Case(
            g,
            "Turtle nested 3,000 [ ] deep (export --graph)",
            lambda d, u: graph(d, "deep.ttl", deep_ttl, "export"),
        ),
        Case(
            g,
            "ring of 3,000 alike blank nodes (export --graph)",
            lambda d, u: graph(d, "ring.nt", ring_nt, "export"),
        ),
        Case(
            g,
            "external entity: URL (export --graph)",
            lambda d, u: graph(
                d,
                "xxe.rdf",
                XML + f'<!DOCTYPE rdf:RDF [<!ENTITY xxe SYSTEM "{u}/x">]>\n' + RDF.format("&xxe;"),
                "export",
            ),
        ),
        Case(
            g,
            "JSON-LD remote @context (export --graph)",
            lambda d, u: graph(
                d,
                "remote.jsonld",
                json.dumps({"@context": f"{u}/ctx.jsonld", "@id": "http://ex.org/a"}),
                "export",
            ),
        ),
        *(
            Case(g, f"{label} syntax error ({via} --graph)", make)
            for label, name, text in syntax_errors
            for via in ("sparql", "export")
            for make in [lambda d, u, n=name, t=text, v=via: graph(d, n, t, v)]
        ),
        Case(g, "unknown extension", lambda d, u: graph(d, "g.txt", "x", "validate")),
        Case(g, "missing graph file", lambda d, u: ["validate", str(d / "missing.ttl")]),
        Case(g, "empty Turtle file", lambda d, u: graph(d, "empty.ttl", "", "validate")),
        Case(
            g,
            "RDF/XML with plain entity declarations (OWL style)",
            lambda d, u: graph(
                d,
                "o.owl",
                XML
                + '<!DOCTYPE rdf:RDF [<!ENTITY owl "http://www.w3.org/2002/07/owl#">]>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:owl="&owl;"><owl:Class rdf:about="&owl;Thing"/></rdf:RDF>\n',
                "validate",
            ),
        ),
    ]
    cross = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
    out += [
        Case(
            q,
            "FROM <file:///etc/passwd>",
            lambda d, u: query(d, "SELECT * FROM <file:///etc/passwd> WHERE { ?s ?p ?o }"),
        ),
        Case(
            q,
            "FROM NAMED",
            lambda d, u: query(d, f"SELECT * FROM NAMED <{u}/g> WHERE {{ ?s ?p ?o }}"),
        ),
        Case(q, "LOAD <url>", lambda d, u: query(d, f"LOAD <{u}/x.ttl>")),
        Case(
            q,
            "SERVICE <url>",
            lambda d, u: query(d, SELECT.format(f"SERVICE <{u}/sparql> {{ ?s ?p ?o }}")),
        ),
        Case(
            q,
            "SERVICE after a comment line",
            lambda d, u: query(d, f"SELECT * WHERE {{ ?s ?p ?o }} # x\n SERVICE <{u}/> {{ }}"),
        ),
        Case(q, "INSERT DATA", lambda d, u: query(d, "INSERT DATA { <a:b> <a:c> <a:d> }")),
        Case(q, "DELETE WHERE", lambda d, u: query(d, "DELETE WHERE { ?s ?p ?o }")),
        Case(q, "DROP ALL", lambda d, u: query(d, "DROP ALL")),
        Case(q, "CLEAR DEFAULT", lambda d, u: query(d, "CLEAR DEFAULT")),
        Case(
            q,
            "40 nested { }",
            lambda d, u: query(d, "SELECT * WHERE " + "{ " * 40 + "?s ?p ?o" + " }" * 40),
        ),
        Case(
            q,
            "30 nested [ ]",
            lambda d, u: query(d, SELECT.format("?s ?p " + "[ <a:p> " * 30 + "1" + " ]" * 30)),
        ),
        Case(
            q,
            "10,000 × ! (crashed Oxigraph)",
            lambda d, u: query(d, SELECT.format("BIND(" + "!" * 10_000 + "true AS ?x)")),
        ),
        Case(
            q,
            "3,000 × UNION",
            lambda d, u: query(d, SELECT.format(" UNION ".join(["{ ?s ?p ?o }"] * 3000))),
        ),
        Case(
            q,
            "3,000 × BIND (crashed Oxigraph)",
            lambda d, u: query(
                d, SELECT.format(" ".join(f"BIND(1 AS ?x{i})" for i in range(3000)))
            ),
        ),
        Case(
            q,
            "VALUES table of 5,000 rows",
            lambda d, u: query(
                d,
                "SELECT (COUNT(*) AS ?n) WHERE { VALUES (?a ?b) { "
                + " ".join(f"({i} {i})" for i in range(5000))
                + " } }",
            ),
        ),
        Case(
            q,
            "5 MB query of IRIs",
            lambda d, u: query(
                d,
                "SELECT * WHERE { VALUES ?s { "
                + " ".join(f"<http://ex.org/{i}>" for i in range(250_000))
                + " } ?s ?p ?o }",
            ),
        ),
        Case(
            q,
            'parameter x" } ; DROP ALL ; #',
            lambda d, u: [
                "query",
                "institution",
                "--param",
                'name=x" } ; DROP ALL ; #',
                "--format",
                "csv",
            ],
        ),
        Case(
            q,
            'parameter 司法" ) } UNION { ?s ?p ?o } #',
            lambda d, u: [
                "query",
                "institution",
                "--param",
                'name=司法" ) } UNION { ?s ?p ?o } #',
                "--format",
                "csv",
            ],
        ),
        Case(
            q,
            "integer parameter 2 } UNION {",
            lambda d, u: ["query", "recurring-problems", "--param", "min_years=2 } UNION {"],
        ),
        Case(
            q, "4-way cross product, --timeout 1", lambda d, u: ["sparql", cross, "--timeout", "1"]
        ),
        Case(q, "4-way cross product, no --timeout", lambda d, u: ["sparql", cross]),
        Case(
            q,
            "--limit 2 on many rows",
            lambda d, u: [
                "sparql",
                "SELECT ?s WHERE { ?s ?p ?o }",
                "--limit",
                "2",
                "--format",
                "csv",
            ],
        ),
        Case(q, "--limit 5 with --all", lambda d, u: ["query", "awards", "--limit", "5", "--all"]),
        Case(
            q,
            "--report that matches no report",
            lambda d, u: ["query", "awards", "--report", "nowhere-*"],
        ),
        Case(
            q,
            "--report with SPARQL in it",
            lambda d, u: [
                "sparql",
                "SELECT * WHERE { ?s ?p ?o }",
                "--report",
                "x> } UNION { ?s ?p ?o } #",
            ],
        ),
        Case(
            q,
            "query file that is not UTF-8",
            lambda d, u: [
                "sparql",
                "@" + put(d / "q.rq", "SELECT * WHERE { ?s ?p ?o }".encode("utf-16")),
            ],
        ),
        Case(
            q, "query file that does not exist", lambda d, u: ["sparql", "@" + str(d / "none.rq")]
        ),
        Case(
            q,
            "17 MB query file",
            lambda d, u: ["sparql", "@" + put(d / "big.rq", b"#" + b" " * (17 * 1024 * 1024))],
        ),
        Case(q, "query file @/dev/zero (endless device)", lambda d, u: ["sparql", "@/dev/zero"]),
        Case(
            q,
            "SERVICE SILENT <url>",
            lambda d, u: query(d, f"SELECT * WHERE {{ SERVICE SILENT <{u}/s> {{ ?s ?p ?o }} }}"),
        ),
        *(
            Case(q, update, lambda d, u, t=update: query(d, t))
            for update in (
                "CREATE GRAPH <a:g>",
                "ADD DEFAULT TO <a:g>",
                "MOVE DEFAULT TO <a:g>",
                "COPY DEFAULT TO <a:g>",
            )
        ),
        Case(
            "output",
            "export with a bad --graph onto an existing file",
            lambda d, u: [
                "export",
                "--format",
                "nt",
                "--graph",
                put(d / "bad.ttl", bad_ttl),
                "--out",
                str(d / "out" / "g.nt"),
            ],
            watch="out",
        ),
        Case(
            "output",
            "csv export with a bad --graph onto an existing folder",
            lambda d, u: [
                "export",
                "--format",
                "csv",
                "--graph",
                put(d / "bad.ttl", bad_ttl),
                "--out",
                str(d / "out"),
            ],
            watch="out",
        ),
    ]
    return out


def summary(args: list[str], stdout: bytes) -> str:
    text = stdout.decode("utf-8", "replace")
    if args[0] == "extract":
        try:
            facts = json.loads(text)
        except ValueError:
            return f"{len(stdout):,} bytes of output"
        fams = ("indicators", "institutions", "awards", "mechanisms", "sections")
        return "facts: " + ", ".join(f"{len(facts[f])} {f}" for f in fams)
    lines = text.splitlines()
    if args[0] == "sparql" and lines:
        return f"{len(lines)} lines: {lines[0][:60]} … {lines[-1][:60]}"
    return lines[0][:140] if lines else "(no output)"


def snapshot(folder: Path) -> dict[str, str]:
    if not folder.exists():
        return {}
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def run_case(case: Case, d: Path, pot: Honeypot, limit: float) -> Row:
    d.mkdir()
    (d / "out").mkdir()
    (d / "out" / "g.nt").write_bytes(b"# an earlier file\n")
    args = [  # relative to the case folder, so messages show short names
        "." if a == str(d) else a.replace(str(d) + "/", "") for a in case.make(d, pot.url)
    ]
    log = d / "net.log"
    before = snapshot(d / "out")
    conn_before = pot.connections
    env = {**os.environ, "FAZHI_NET_LOG": str(log)}
    started = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-c", AUDITED, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        cwd=d,
        start_new_session=True,
    )
    try:
        stdout, stderr = proc.communicate(timeout=limit)
        code: int | None = proc.returncode
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        stdout, stderr = proc.communicate()
        code = None
    seconds = time.perf_counter() - started
    time.sleep(0.05)  # let the honeypot count a late connection
    network = (len(log.read_text().splitlines()) if log.exists() else 0) + (
        pot.connections - conn_before
    )
    err = stderr.decode("utf-8", "replace").strip()
    faults = []
    if code is None:
        faults.append("hang")
        happened = f"killed after {limit:g} s"
    elif code < 0:
        faults.append("crash")
        happened = f"died of signal {signal.Signals(-code).name}"
    else:
        happened = err.splitlines()[0] if err else summary(args, stdout)
    if code == 4 or "Traceback" in err:
        faults.append("uncaught")
    if code in (2, 3) and err.count("\n") > 0:
        faults.append("not one line")
    if network:
        faults.append("network")
    if case.watch and code not in (0, None) and snapshot(d / case.watch) != before:
        faults.append("partial")
    shown = ["fazhi", *(a if len(a) < 60 else a[:40] + "…" for a in args)]
    command = " ".join(shown)
    return Row(case, command, happened, code, seconds, network, faults)


def killed_exports(base: Path, fractions: list[float]) -> list[Row]:
    """Kill `fazhi export` at moments spread over its run: the target is then the old file or the
    complete new one, never a part (a killed process cannot remove its hidden temporary file)."""
    d = base / "killed"
    d.mkdir()
    source = d / "long.txt"
    source.write_text((PLAIN * 20)[:60_000], encoding="utf-8")
    built = d / "graph"
    fazhi = [sys.executable, "-m", "fazhi_kg"]
    subprocess.run(
        [*fazhi, "build", str(source), "--no-validate", "--out", str(built)],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    (graph,) = built.glob("*.ttl")
    export = [*fazhi, "export", "--format", "nt", "--graph", str(graph)]
    started = time.perf_counter()
    full = subprocess.run(export, capture_output=True, check=True).stdout
    duration = time.perf_counter() - started
    triples = full.count(b"\n")
    target = d / "g.nt"
    rows = []
    case = Case("output", "export killed (SIGKILL) while writing", lambda d, u: [])
    for fraction in fractions:
        delay = duration * fraction
        target.write_bytes(b"# the earlier file\n")
        proc = subprocess.Popen(
            [*export, "--out", str(target)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        time.sleep(delay)
        proc.kill()
        proc.wait()
        data = target.read_bytes()
        state = "the earlier file" if data == b"# the earlier file\n" else "the complete export"
        faults = [] if data in (b"# the earlier file\n", full) else ["partial"]
        leftovers = list(d.glob(".g.nt.*.tmp"))
        note = (
            f"; a hidden temporary file of {leftovers[0].stat().st_size:,} bytes left"
            if leftovers
            else ""
        )
        rows.append(
            Row(
                case,
                f"fazhi export --format nt --graph long.ttl --out g.nt ({triples:,} "
                f"triples), killed after {delay:.2f} s",
                f"g.nt is {state}{note}",
                -9,
                delay,
                0,
                faults,
            )
        )
        for tmp in leftovers:
            tmp.unlink()
    return rows


def table(rows: list[Row], limit: float) -> str:
    from fazhi_kg.rdfio.load import MAX_BYTES as GRAPH_BYTES
    from fazhi_kg.text.read import MAX_BYTES, MAX_CHARS

    def cell(s: str) -> str:
        s = "".join(c if c.isprintable() else c.encode("unicode_escape").decode() for c in s)
        return s.replace("|", "\\|")[:220]

    faults = [f for r in rows for f in r.faults]
    lines = [
        "# Robustness",
        "",
        "Hostile input through the `fazhi` command, one fresh child process per case, generated by",
        "`python bench/robustness.py` (inputs are made in a temporary folder; hostile URLs point at",
        "a local listening socket; an audit hook in the child logs and blocks `socket.connect`,",
        "`socket.getaddrinfo`, `urllib.Request` and friends). Regenerate after changing the reader,",
        "the RDF loader or the query checks.",
        "",
        f"- inputs: {len(rows)}; time limit per case: {limit:g} s",
        f"- uncaught exceptions (exit 4, traceback or signal): {sum(f in ('uncaught', 'crash') for f in faults)}",
        f"- hangs past the time limit: {faults.count('hang')}",
        f"- partial files: {faults.count('partial')}",
        f"- outbound network attempts: {sum(r.network for r in rows)} "
        "(audit-hook events plus connections to the local socket)",
        f"- errors of more than one line: {faults.count('not one line')}",
        "",
        f"Limits: a report file may hold {MAX_BYTES // 2**20} MB and {MAX_CHARS:,} characters of text (`fazhi_kg.text.read.MAX_BYTES`,",
        "`MAX_CHARS`); JSON-LD nests at most 256 levels, RDF/XML 1,000 elements and its entities may",
        "expand to ten times the file (`fazhi_kg.rdfio.guard`); a graph read whole (standard input,",
        f"RDF/XML, JSON-LD) may hold {GRAPH_BYTES // 2**20} MB (`fazhi_kg.rdfio.load.MAX_BYTES`); a query nests at",
        "most 24 brackets and has at most 1,000 operators (`fazhi_kg.query.guard.MAX_NESTING`,",
        "`MAX_OPERATORS`). Mojibake that lost no bytes is repaired, and offsets then count the repaired",
        "text.",
        "",
    ]
    category = None
    for r in rows:
        if r.case.category != category:
            category = r.case.category
            lines += [
                f"## {category}",
                "",
                "| input | command | what happened | exit | time | bars |",
                "|---|---|---|---|---|---|",
            ]
        code = "–" if r.code is None else str(r.code)
        bars = "✓" if not r.faults else "✗ " + ", ".join(r.faults)
        lines.append(
            f"| {cell(r.case.name)} | `{cell(r.command)}` | {cell(r.happened)} | {code} "
            f"| {r.seconds:.2f} s | {bars} |"
        )
        if r is not rows[-1] and rows[rows.index(r) + 1].case.category != category:
            lines.append("")
    return "\n".join(lines) + "\n"


def _kept(doc: Path) -> str:
    """The section "## Faults" of the document (written from bench/faults.py), kept as it is."""
    old = doc.read_text(encoding="utf-8") if doc.exists() else ""
    at = old.find("\n## Faults\n")
    return old[at:] if at >= 0 else ""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--out", default=str(ROOT / "docs" / "robustness.md"), help="or - for stdout"
    )
    parser.add_argument("--limit", type=float, default=60, help="seconds per case (default 60)")
    parser.add_argument("-k", dest="only", help="run only cases whose name contains this")
    args = parser.parse_args()
    pot = Honeypot()
    rows: list[Row] = []
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        for n, case in enumerate(cases()):
            if args.only and args.only not in case.name:
                continue
            row = run_case(case, base / f"case-{n}", pot, args.limit)
            mark = "ok" if not row.faults else ",".join(row.faults)
            print(f"{row.seconds:7.2f}s {mark:10} {case.name}: {row.happened[:90]}", flush=True)
            rows.append(row)
        if not args.only:
            rows += killed_exports(base, [0.2, 0.4, 0.6, 0.7, 0.8, 0.9, 0.95, 1.2])
    pot.close()
    text = table(rows, args.limit)
    if args.out == "-":
        print(text)
    else:
        from fazhi_kg.atomic import write_text

        write_text(args.out, text + _kept(Path(args.out)))
        print(f"wrote {args.out}")


if __name__ == "__main__":
    main()

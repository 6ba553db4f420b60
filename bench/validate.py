"""Benchmark: SHACL Core engines on the same report graphs, each held to pySHACL's verdicts.

Engines (core shapes of ontology/shapes.ttl, i.e. without the SPARQL-based constraints):
  pyshacl        pySHACL as `validate_graph` ran it before: ontology mixed in on every call
  pyshacl-tuned  pySHACL on a copy of the graph with the ontology merged in once, inplace=True
  pyrudof        rudof's Rust SHACL engine (if `pyrudof` is installed), data + ontology loaded
  compiled       fazhi_kg.validate.compiled: the shapes compiled to SPARQL, run on Oxigraph
  fast           the whole `fast` engine end to end from N-Triples (core + SPARQL-based + evidence)

For each graph it prints the seconds per engine and whether the engine's result set equals
pySHACL's: (severity, shape, focus, path, value, component), blank nodes as `_:`.

Usage: python bench/validate.py [DIR_OR_FILE ...] [--sample N] [--engines a,b,c]
       with no paths: tests/data/shapes, graph/ and the seeded-fault and genre reports built.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from rdflib import BNode, Graph, URIRef
from rdflib.namespace import RDF, SH

ROOT = Path(__file__).resolve().parents[1]
Key = frozenset[tuple[str, str, str, str, str, str]]


def _n(term: Any) -> str:
    if term is None:
        return ""
    if isinstance(term, BNode):
        return "_:"
    return str(term)


def key_of_report(g: Graph) -> Key:
    out = set()
    for r in g.subjects(RDF.type, SH.ValidationResult):
        if (None, SH.detail, r) in g:
            continue
        path = g.value(r, SH.resultPath)
        out.add(
            (
                str(g.value(r, SH.resultSeverity)).rsplit("#", 1)[-1],
                _n(g.value(r, SH.sourceShape)),
                _n(g.value(r, SH.focusNode)),
                str(path) if isinstance(path, URIRef) else "",
                _n(g.value(r, SH.value)),
                str(g.value(r, SH.sourceConstraintComponent)).rsplit("#", 1)[-1],
            )
        )
    return frozenset(out)


def graphs(paths: list[str], sample: int) -> Iterable[tuple[str, Graph]]:
    from fazhi_kg.corpus.build import build_report

    if not paths:
        files = sorted((ROOT / "tests/data/shapes").glob("*/*.ttl")) + sorted(
            (ROOT / "graph").glob("*.ttl")
        )
        for f in files:
            yield f.stem, Graph().parse(f)
        texts = sorted((ROOT / "tests/data/reports").glob("*.txt")) + sorted(
            p for p in (ROOT / "tests/data/genre").glob("*.*") if p.suffix in (".txt", ".html")
        )
        for t in texts:
            yield t.stem, Graph().parse(data=build_report(t).turtle, format="turtle")
        return
    for p in map(Path, paths):
        files = sorted(p.glob("*.ttl"))[:sample] if p.is_dir() else [p]
        for f in files:
            yield f.stem, Graph().parse(f)


def engines(names: list[str]) -> dict[str, Callable[[Graph, bytes], Key]]:
    import pyshacl

    from fazhi_kg.validate import ontology_graph, validate_ntriples
    from fazhi_kg.validate.compiled import Unsupported
    from fazhi_kg.validate.shapes import split_shapes

    core, _ = split_shapes()
    onto = ontology_graph()

    def plain(g: Graph, nt: bytes) -> Key:
        _, rg, _ = pyshacl.validate(
            g, shacl_graph=core, ont_graph=onto, inference="none", allow_infos=True,
            allow_warnings=True, advanced=True,
        )  # fmt: skip
        return key_of_report(rg)

    def tuned(g: Graph, nt: bytes) -> Key:
        merged = Graph()
        for t in g:
            merged.add(t)
        for t in onto:
            merged.add(t)
        _, rg, _ = pyshacl.validate(
            merged, shacl_graph=core, inference="none", allow_infos=True, allow_warnings=True,
            advanced=True, inplace=True,
        )  # fmt: skip
        return key_of_report(rg)

    onto_nt = onto.serialize(format="nt", encoding="utf-8").decode()
    core_ttl = core.serialize(format="turtle")

    def rudof(g: Graph, nt: bytes) -> Key:
        import pyrudof

        r = pyrudof.Rudof(pyrudof.RudofConfig())
        r.read_shacl(core_ttl)
        r.read_data(nt.decode(), format=pyrudof.RDFFormat.NTriples)
        r.read_data(onto_nt, format=pyrudof.RDFFormat.NTriples, merge=True)
        out = set()
        for e in r.validate_shacl():
            value = e.value or ""
            if value.startswith("_:"):
                value = "_:"
            out.add(
                (
                    str(e.severity),
                    "_:" if str(e.source_shape).startswith("_:") else str(e.source_shape),
                    "_:" if str(e.focus_node).startswith("_:") else str(e.focus_node),
                    str(e.path or ""),
                    value,
                    str(e.constraint_component).rsplit("#", 1)[-1],
                )
            )
        return frozenset(out)

    def compiled(g: Graph, nt: bytes) -> Key:
        from fazhi_kg.validate.fast import core_results, fast_checks, workspace

        return key_of_report(core_results(workspace(nt), fast_checks()))

    def fast(g: Graph, nt: bytes) -> Key:
        validate_ntriples(nt)
        return frozenset()

    table: dict[str, Callable[[Graph, bytes], Key]] = {
        "pyshacl": plain,
        "pyshacl-tuned": tuned,
        "compiled": compiled,
        "fast": fast,
    }
    try:
        import pyrudof  # noqa: F401

        table["pyrudof"] = rudof
    except ImportError:
        print("pyrudof is not installed: skipped", file=sys.stderr)
    try:
        compiled(Graph(), b"")
    except Unsupported as exc:
        print(f"compiled: unsupported ({exc}): skipped", file=sys.stderr)
        del table["compiled"]
    return {n: table[n] for n in names if n in table}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("paths", nargs="*")
    ap.add_argument("--sample", type=int, default=20)
    ap.add_argument("--engines", default="pyshacl,pyshacl-tuned,pyrudof,compiled,fast")
    ap.add_argument("--show", action="store_true", help="print differing results")
    args = ap.parse_args()
    run = engines(args.engines.split(","))
    seconds: dict[str, list[float]] = {n: [] for n in run}
    agree: dict[str, int] = dict.fromkeys(run, 0)
    total = 0
    print(f"{'graph':36} {'triples':>7} " + " ".join(f"{n:>16}" for n in run))
    for name, g in graphs(args.paths, args.sample):
        nt = g.serialize(format="nt", encoding="utf-8")
        total += 1
        keys: dict[str, Key] = {}
        cells = []
        for n, fn in run.items():
            start = time.process_time()
            keys[n] = fn(g, nt)
            seconds[n].append(time.process_time() - start)
        ref = keys.get("pyshacl")
        for n in run:
            same = ref is None or n == "fast" or keys[n] == ref
            agree[n] += same
            cells.append(f"{seconds[n][-1]:9.3f}s {'=' if same else '≠':>3}  ")
            if not same and args.show and ref is not None:
                for x in sorted(ref - keys[n]):
                    print(f"    {n} misses {x}")
                for x in sorted(keys[n] - ref):
                    print(f"    {n} adds   {x}")
        print(f"{name[:36]:36} {len(g):7d} " + " ".join(cells), flush=True)
    print()
    print(f"{'engine':16} {'median s/graph':>15} {'mean s/graph':>13} {'agrees with pySHACL':>20}")
    for n in run:
        agreement = "n/a (timing only)" if n == "fast" else f"{agree[n]}/{total}"
        print(
            f"{n:16} {statistics.median(seconds[n]):15.3f} {statistics.mean(seconds[n]):13.3f} "
            f"{agreement:>20}"
        )


if __name__ == "__main__":
    main()

"""The stored-query catalogue: `queries/*.rq` with their `#+` YAML headers, and typed parameters.

One parser feeds `fazhi queries`, parameter checking and the tests. Parameters become `Term`s
(engine-neutral RDF terms) that the engines bind as values, never as query text.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path
from typing import Any

from fazhi_kg.errors import UsageError
from fazhi_kg.iris import XSD
from fazhi_kg.resources import queries_dir

PARAM_TYPES = ("string", "integer", "decimal", "iri")
SCOPES = ("report", "division", "corpus")
GRAPHS = ("divisions",)  # graphs besides the reports and the ontology that a query may need


@dataclass(frozen=True)
class Term:
    """An RDF term, independent of the engine: a literal (with datatype or language) or an IRI."""

    value: str
    kind: str = "literal"  # literal | iri
    datatype: str | None = None


@dataclass(frozen=True)
class Param:
    """A parameter of a stored query."""

    name: str
    type: str
    required: bool
    default: str | None
    example: str | None
    description: str = ""


@dataclass(frozen=True)
class Narrow:
    """How a corpus store's value index narrows a query (`narrow` in its header): every row's
    `variable` is a literal of `predicate` whose text contains the string parameter `parameter`,
    or (`subjects`) the subject of such a literal. On a store with the index
    (`fazhi_kg.corpus.values`) the query is given those literals or subjects alone, and read a
    few at a time in their order when its rows come ordered by `variable` first (`paged`)."""

    parameter: str
    predicate: str
    variable: str
    subjects: bool = False
    paged: bool = False


@dataclass(frozen=True)
class StoredQuery:
    """One stored query: its header and its SPARQL text."""

    name: str
    path: Path
    summary: dict[str, str]
    description: str
    params: tuple[Param, ...]
    tags: tuple[str, ...]
    text: str = field(repr=False)
    # report: each row belongs to one report and the rows come ordered by ?report first, so the
    # answer on a corpus is the answers on each report graph alone, one after the other (read a
    # page of rows report by report); corpus: rows compare or combine reports.
    scope: str = "corpus"
    # graphs it reads besides the reports and the ontology: "divisions" (the national gazetteer's
    # divisions, for coverage questions; `fazhi_kg.query.store.add_graphs`)
    graphs: tuple[str, ...] = ()
    # the parameter that names one division (by name or code) whose reports alone give the
    # rows: on a store, the query then reads only those report graphs
    # (`fazhi_kg.query.pages.division_reports`), whatever the corpus's size
    division_param: str | None = None
    # report scope, no parameters, a ?report column and rows in few reports: a corpus store's
    # generation record lists the reports that have rows (`fazhi_kg.corpus.rowindex`), and a
    # page reads only those, whatever the corpus's size
    sparse: bool = False
    # a word parameter that a corpus store's value index turns into the values it matches
    narrow: Narrow | None = None

    def param(self, name: str) -> Param | None:
        return next((p for p in self.params if p.name == name), None)


def _header_lines(text: str) -> str:
    lines = []
    for line in text.splitlines():
        if line.startswith("#+"):
            lines.append(line[3:] if line.startswith("#+ ") else line[2:])
        elif line.strip() and not line.startswith("#"):
            break
    return "\n".join(lines)


def parse_header(text: str) -> dict[str, Any]:
    """The YAML of the leading `#+` lines of a query file."""
    import yaml

    head = _header_lines(text)
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when installed: 10× faster
    data = yaml.load(head, Loader=loader) if head else {}
    return data if isinstance(data, dict) else {}


def written_defaults(text: str) -> dict[str, str]:
    """Parameter name → its default exactly as the header writes it (`1e15` stays `1e15`, `0.50`
    stays `0.50`; YAML would read them as numbers and write them back otherwise)."""
    import yaml

    head = _header_lines(text)
    root = (
        yaml.compose(head, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)) if head else None
    )
    found: dict[str, str] = {}
    for key, value in root.value if isinstance(root, yaml.MappingNode) else ():
        if key.value != "params" or not isinstance(value, yaml.SequenceNode):
            continue
        for item in value.value:
            fields = (
                {k.value: v for k, v in item.value} if isinstance(item, yaml.MappingNode) else {}
            )
            name, default = fields.get("name"), fields.get("default")
            if isinstance(name, yaml.ScalarNode) and isinstance(default, yaml.ScalarNode):
                found[str(name.value)] = str(default.value)
    return found


def load_query(path: Path) -> StoredQuery:
    """Read one `.rq` file; raises `UsageError` when its header is malformed."""
    text = path.read_text(encoding="utf-8")
    try:
        head = parse_header(text)
    except Exception as exc:  # yaml.YAMLError and friends
        raise UsageError(
            f"The header of {path.name} is not valid YAML ({exc}); fix the #+ lines."
        ) from exc
    summary = head.get("summary") or {}
    if isinstance(summary, str):
        summary = {"en": summary}
    params = []
    written = written_defaults(text)
    for p in head.get("params") or []:
        if not isinstance(p, dict) or "name" not in p:
            raise UsageError(
                f"A parameter in {path.name} has no name; give each one name and type."
            )
        default = p.get("default")
        params.append(
            Param(
                name=str(p["name"]),
                type=str(p.get("type", "string")),
                required=bool(p.get("required", False)),
                default=None if default is None else written.get(str(p["name"]), str(default)),
                example=None if p.get("example") is None else str(p["example"]),
                description=str(p.get("description", "")),
            )
        )
    scope = str(head.get("scope", "corpus"))
    if scope not in SCOPES:
        raise UsageError(
            f'The scope of {path.name} is "{scope}"; write scope: report, division or corpus.'
        )
    graphs = tuple(str(g) for g in head.get("graphs") or ())
    unknown = [g for g in graphs if g not in GRAPHS]
    if unknown:
        raise UsageError(
            f'{path.name} asks for graph "{unknown[0]}"; the graphs a query may ask for are '
            f"{', '.join(GRAPHS)}."
        )
    division_param = head.get("division_param")
    if division_param is not None and not any(p.name == division_param for p in params):
        raise UsageError(
            f'The division_param of {path.name} is "{division_param}", which is not one of its '
            "parameters; name one of them."
        )
    sparse = bool(head.get("sparse", False))
    if sparse and (scope != "report" or params or not _SELECTS_REPORT.search(text)):
        raise UsageError(
            f"{path.name} is sparse but not a query of scope report without parameters whose "
            "rows have a ?report column; write sparse: true only on such a query."
        )
    narrow = _narrow(path.name, head.get("narrow"), text, scope, params)
    return StoredQuery(
        name=path.stem,
        path=path,
        summary={str(k): str(v) for k, v in summary.items()},
        description=str(head.get("description", "")).strip(),
        params=tuple(params),
        tags=tuple(str(t) for t in head.get("tags") or ()),
        text=text,
        scope=scope,
        graphs=graphs,
        division_param=None if division_param is None else str(division_param),
        sparse=sparse,
        narrow=narrow,
    )


def _narrow(file: str, spec: Any, text: str, scope: str, params: list[Param]) -> Narrow | None:
    """The `narrow` header of a query, checked: a mapping of `parameter` (a string parameter),
    `predicate` (an IRI or a prefixed name of the query's prefixes) and one of `values` or
    `subjects` (a variable the query selects)."""
    if spec is None:
        return None
    fix = (
        "write narrow: with parameter (a string parameter), predicate (an IRI or prefixed "
        "name) and values or subjects (a variable it selects), on a query of scope corpus."
    )
    if not isinstance(spec, dict) or scope != "corpus":
        raise UsageError(f"The narrow header of {file} does not fit; {fix}")
    param = next((p for p in params if p.name == spec.get("parameter")), None)
    keys = [k for k in ("values", "subjects") if k in spec]
    predicate = _iri(str(spec.get("predicate", "")), text)
    select = _SELECT_CLAUSE.search(text)
    variable = str(spec.get(keys[0], "")).lstrip("?$") if len(keys) == 1 else ""
    if (
        param is None
        or param.type != "string"
        or predicate is None
        or not variable
        or select is None
        or not re.search(rf"[?$]{re.escape(variable)}\b", select.group(0))
        or _TRAILING_VALUES.search(text)
    ):
        raise UsageError(f"The narrow header of {file} does not fit; {fix}")
    order = _ORDER_FIRST.search(text)
    return Narrow(
        parameter=param.name,
        predicate=predicate,
        variable=variable,
        subjects=keys[0] == "subjects",
        paged=order is not None and order.group(1) == variable,
    )


def _iri(name: str, text: str) -> str | None:
    """A predicate written as <IRI>, a bare IRI or a prefixed name of the query's prefixes."""
    if name.startswith("<") and name.endswith(">"):
        return name[1:-1]
    if re.fullmatch(r"[a-z][a-z0-9+.-]*://\S+", name):
        return name
    prefix, sep, local = name.partition(":")
    found = re.search(rf"^PREFIX\s+{re.escape(prefix)}:\s*<([^>]*)>", text, re.M | re.I)
    return found.group(1) + local if sep and found else None


_SELECT_CLAUSE = re.compile(r"^SELECT\b[^{]*", re.MULTILINE)
_ORDER_FIRST = re.compile(r"^ORDER BY\s+\?(\w+)(?:\s|$)", re.MULTILINE)
_TRAILING_VALUES = re.compile(r"^VALUES\b", re.MULTILINE)
_SELECTS_REPORT = re.compile(r"^SELECT (DISTINCT )?[^\n]*\?report\b", re.MULTILINE)


@cache
def catalogue(folder: Path | None = None) -> dict[str, StoredQuery]:
    """Every stored query, by name."""
    folder = folder or queries_dir()
    return {p.stem: load_query(p) for p in sorted(folder.glob("*.rq"))}


def get(name: str) -> StoredQuery:
    """The stored query called `name`; the error names close matches."""
    path = queries_dir() / f"{name}.rq"
    if re.fullmatch(r"[\w-]+", name) and path.is_file():
        return load_query(path)  # only this file's header: `fazhi query` starts faster
    queries = catalogue()
    if name in queries:
        return queries[name]
    close = difflib.get_close_matches(name, list(queries), n=3)
    hint = f"did you mean {', '.join(close)}?" if close else "run `fazhi queries` for the list."
    raise UsageError(f'There is no stored query "{name}"; {hint}')


def parse_assignments(pairs: tuple[str, ...] | list[str]) -> dict[str, str]:
    """`K=V` strings from `--param` options."""
    out: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise UsageError(
                f'Parameter "{pair}" is not of the form NAME=VALUE, e.g. --param level=provincial.'
            )
        out[key.strip()] = value
    return out


def to_term(param: Param, value: str, *, query: str) -> Term:
    """A parameter value as a typed RDF term; raises `UsageError` when it does not fit its type."""
    if param.type == "integer":
        if not re.fullmatch(r"[+-]?[0-9]+", value.strip()):
            raise UsageError(
                f'Parameter "{param.name}" of query "{query}" takes a whole number, not "{value}".'
            )
        return Term(str(int(value)), datatype=XSD + "integer")
    if param.type == "decimal":
        try:
            number = Decimal(value.strip())
        except InvalidOperation:
            number = Decimal("NaN")
        if not number.is_finite():
            raise UsageError(
                f'Parameter "{param.name}" of query "{query}" takes a number, not "{value}".'
            )
        text = format(number, "f")
        return Term(text if "." in text else text + ".0", datatype=XSD + "decimal")
    if param.type == "iri":
        if not re.fullmatch(r"[a-zA-Z][a-zA-Z0-9+.-]*:[^\s<>\"{}|\\^`]*", value):
            raise UsageError(
                f'Parameter "{param.name}" of query "{query}" takes an IRI, not "{value}".'
            )
        return Term(value, kind="iri")
    return Term(value)


def bind(query: StoredQuery, given: dict[str, str]) -> dict[str, Term]:
    """Check the user's parameters against the query's and type them; defaults fill the rest."""
    known = [p.name for p in query.params]
    for name in given:
        if name not in known:
            listed = ", ".join(known) if known else "none"
            raise UsageError(f'Query "{query.name}" has no parameter "{name}"; known: {listed}.')
    out: dict[str, Term] = {}
    for p in query.params:
        if p.name in given:
            out[p.name] = to_term(p, given[p.name], query=query.name)
        elif p.required:
            example = f" (e.g. --param {p.name}={p.example})" if p.example else ""
            raise UsageError(f'Query "{query.name}" needs parameter "{p.name}"{example}.')
        elif p.default is not None:
            out[p.name] = to_term(p, p.default, query=query.name)
    return out

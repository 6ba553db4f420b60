"""A query answer as plain Python values, for notebooks and scripts: `fazhi_kg.answer()` and
`fazhi_kg.stats()` return it, and `Table.to_pandas()` makes a DataFrame (pandas is loaded only
then: it is in the `notebooks` extra, not a dependency).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from fazhi_kg.errors import UsageError
from fazhi_kg.iris import XSD
from fazhi_kg.query.answer import Answer

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["Table", "answer", "python_value", "stats"]

_INTEGERS = {XSD + t for t in ("integer", "int", "long", "short", "nonNegativeInteger", "gYear")}
_FLOATS = {XSD + t for t in ("decimal", "double", "float")}


def python_value(term: object | None) -> object:
    """A term as Python: integers as int, decimals and doubles as float, booleans as bool, other
    literals as their text, IRIs and blank nodes as strings; None when unbound."""
    if term is None:
        return None
    if isinstance(term, ox.Literal):
        datatype = term.datatype.value
        try:
            if datatype in _INTEGERS:
                return int(term.value)
            if datatype in _FLOATS:
                return float(term.value)
        except ValueError:
            return term.value
        if datatype == XSD + "boolean":
            return term.value in ("true", "1")
        return term.value
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    return getattr(term, "value", str(term))


@dataclass(frozen=True)
class Table:
    """Columns and rows of Python values (`python_value`)."""

    columns: tuple[str, ...]
    rows: tuple[tuple[object, ...], ...]

    @classmethod
    def of(cls, answer: Answer, hidden: Sequence[str] = ()) -> Table:
        keep = [i for i, v in enumerate(answer.variables) if v not in hidden]
        return cls(
            tuple(answer.variables[i] for i in keep),
            tuple(tuple(python_value(row[i]) for i in keep) for row in answer.rows),
        )

    def __len__(self) -> int:
        return len(self.rows)

    def __iter__(self) -> Iterator[dict[str, object]]:
        """Each row as a dict by column name."""
        for row in self.rows:
            yield dict(zip(self.columns, row, strict=True))

    def column(self, name: str) -> list[object]:
        if name not in self.columns:
            raise UsageError(f'No column "{name}"; the columns are {", ".join(self.columns)}.')
        i = self.columns.index(name)
        return [row[i] for row in self.rows]

    def to_pandas(self) -> pd.DataFrame:
        """The table as a pandas DataFrame (pip install 'fazhi-kg[notebooks]')."""
        try:
            import pandas as pd
        except ImportError as exc:
            raise UsageError(
                "pandas is not installed; install it with pip install 'fazhi-kg[notebooks]'."
            ) from exc
        return pd.DataFrame(list(self.rows), columns=list(self.columns))

    def _repr_html_(self) -> str:  # a notebook shows the table
        frame: Any = self.to_pandas()
        html: str = frame._repr_html_()
        return html


def _store(graphs: Sequence[str | Path] | None, store: str | Path | None) -> ox.Store:
    from fazhi_kg.query.store import open_store

    return open_store(graphs, store_dir=Path(store) if store is not None else None)


def answer(
    name: str,
    *,
    graphs: Sequence[str | Path] | None = None,
    store: str | Path | None = None,
    reports: Sequence[str] = (),
    limit: int | None = None,
    params: Mapping[str, object] | None = None,
) -> Table:
    """The answer of stored query `name` (see `fazhi queries`) with its parameters, on graph
    files (default: the graph shipped with fazhi-kg) or a corpus store."""
    from fazhi_kg.query.catalogue import bind, get
    from fazhi_kg.query.engine import run
    from fazhi_kg.query.pages import narrowed, select_reports

    stored = get(name)
    bindings = bind(stored, {k: str(v) for k, v in (params or {}).items()})
    db = _store(graphs, store)
    chosen = narrowed(
        db, stored.division_param, bindings, select_reports(db, reports) if reports else None
    )
    result = run(
        db,
        stored.text,
        bindings=bindings,
        limit=limit,
        reports=chosen,
        scope=stored.scope,
        narrow=stored.narrow,
    )
    return Table.of(result, hidden=[p.name for p in stored.params])


def stats(*, graphs: Sequence[str | Path] | None = None, store: str | Path | None = None) -> Table:
    """The number of facts of each family per report, and a last row `all` with the sums."""
    from fazhi_kg.query.stats import fact_counts

    return Table.of(fact_counts(_store(graphs, store)))

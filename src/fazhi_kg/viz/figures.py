"""The project's pictures as Matplotlib figures, and `write_figures` behind `fazhi viz`.

Every figure function takes the entity network of `fazhi_kg.to_networkx()` and returns a
`matplotlib.figure.Figure` made outside pyplot, so nothing global is touched. Saved files are
byte-stable: SVG with a fixed hash salt and no date, PNG without timestamps. Figures never look at
report text: quotes, offsets and sections come from the graph.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from fazhi_kg.errors import UsageError
from fazhi_kg.viz.charts import awards_by_level, quantities_by_section
from fazhi_kg.viz.diagrams import institution_neighbourhood, knowledge_graph, problem_plan_flow
from fazhi_kg.viz.fonts import style

if TYPE_CHECKING:
    import networkx as nx
    from matplotlib.figure import Figure

__all__ = [
    "FIGURES",
    "FORMATS",
    "awards_by_level",
    "institution_neighbourhood",
    "knowledge_graph",
    "problem_plan_flow",
    "quantities_by_section",
    "save",
    "write_figures",
]

FORMATS = ("png", "svg")

FIGURES: dict[str, Callable[[nx.MultiDiGraph], Figure]] = {
    "knowledge-graph": knowledge_graph,
    "awards-by-level": awards_by_level,
    "quantities-by-section": quantities_by_section,
    "problem-plan-mechanism": problem_plan_flow,
    "institution-neighbourhood": institution_neighbourhood,
}
"""The figures `fazhi viz` writes, by file stem, in reading order."""


def _check(fmt: str) -> None:
    if fmt not in FORMATS:
        raise UsageError(f'Unknown figure format "{fmt}"; use one of {", ".join(FORMATS)}.')


def save(fig: Figure, fmt: str = "png") -> bytes:
    """The figure as PNG or SVG bytes, the same on every run: no date, fixed SVG ids."""
    import matplotlib as mpl

    _check(fmt)
    # PNG has no date unless asked; its Software key names the Matplotlib version, so drop it too
    metadata: dict[str, str | None] = {"Date": None} if fmt == "svg" else {"Software": None}
    buf = io.BytesIO()
    with mpl.rc_context(style()):
        fig.savefig(buf, format=fmt, metadata=metadata, facecolor="white")
    return buf.getvalue()


def write_figures(
    out: Path, *, graphs: Sequence[Path] | None = None, fmt: str = "png"
) -> list[Path]:
    """Write each figure of FIGURES to OUT/<name>.<fmt> (default: the shipped graphs).

    File names do not depend on the data; each file is replaced atomically. Returns the paths.
    """
    from fazhi_kg.atomic import write_bytes
    from fazhi_kg.export.network import to_networkx

    _check(fmt)
    G = to_networkx(graphs)
    written = []
    for name, make in FIGURES.items():
        path = Path(out) / f"{name}.{fmt}"
        write_bytes(path, save(make(G), fmt))
        written.append(path)
    return written

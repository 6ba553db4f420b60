"""Fact families as pictures show them: a fixed colour and the zh and en class labels of the ontology.

The families are the fz: classes that `fazhi_kg.to_networkx()` reports as a node's `family`; their
labels come from ontology/fazhi.ttl, and administrative levels are ordered as in ontology/vocab.ttl.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from fazhi_kg.iris import FZ_NS
from fazhi_kg.resources import ontology_dir

__all__ = ["COLOURS", "Family", "families", "family", "level_order"]

COLOURS = {
    "Report": "#393b79",
    "Section": "#b8b8b8",
    "Jurisdiction": "#c49c94",
    "Institution": "#1f77b4",
    "Person": "#9ecae1",
    "LeadershipDuty": "#8c564b",
    "Mechanism": "#2ca02c",
    "Award": "#d62728",
    "Recognition": "#ff9896",
    "Case": "#e377c2",
    "Problem": "#9467bd",
    "Plan": "#17becf",
    "Count": "#ff7f0e",
    "Percentage": "#fdd0a2",
    "Amount": "#bcbd22",
    "Document": "#7f7f7f",
}
"""One colour per family (tab20-based; related families share a hue), fixed so pictures agree."""

OTHER_COLOUR = "#dddddd"

LEVELS = ("national", "provincial", "municipal", "county", "township", "unknown")
"""skos:notation of fz:AdministrativeLevels from the top down (docs/model.md, Concepts)."""


@dataclass(frozen=True)
class Family:
    """A fact family: the fz: class's local name, its zh and en labels and its colour."""

    name: str
    zh: str
    en: str
    colour: str

    @property
    def caption(self) -> str:
        """`计数 count`: the legend text."""
        return f"{self.zh} {self.en}"


def _query(text: str, *files: str) -> list[tuple[str, ...]]:
    import pyoxigraph as ox

    store = ox.Store()
    for name in files:
        store.load(path=str(ontology_dir() / name), format=ox.RdfFormat.TURTLE)
    result = store.query(text)
    assert isinstance(result, ox.QuerySolutions)
    return [tuple(term.value for term in row) for row in result]


@cache
def families() -> dict[str, Family]:
    """Every family with a colour, in the order of COLOURS, labelled from the ontology."""
    rows = _query(
        "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
        "SELECT ?c ?zh ?en WHERE { ?c rdfs:label ?zh , ?en . "
        "FILTER(LANG(?zh) = 'zh' && LANG(?en) = 'en') }",
        "fazhi.ttl",
    )
    labels = {c[len(FZ_NS) :]: (zh, en) for c, zh, en in rows if c.startswith(FZ_NS)}
    return {
        name: Family(name, *labels.get(name, (name, name)), colour)
        for name, colour in COLOURS.items()
    }


def family(name: str) -> Family:
    """The family called `name`; an unknown one is shown in light grey under its own name."""
    return families().get(name) or Family(name, name, name, OTHER_COLOUR)


@cache
def level_order() -> dict[str, int]:
    """Rank of each administrative level by its zh label (国家级 0, 省级 1 …), from vocab.ttl."""
    rows = _query(
        "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "
        "SELECT ?zh ?n WHERE { ?c skos:inScheme <" + FZ_NS + "AdministrativeLevels> ; "
        "skos:prefLabel ?zh ; skos:notation ?n . FILTER(LANG(?zh) = 'zh') }",
        "vocab.ttl",
    )
    return {zh: LEVELS.index(n) if n in LEVELS else len(LEVELS) for zh, n in rows}

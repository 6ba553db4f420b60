"""The public facade `fazhi_kg` that notebooks and scripts use: thin functions over the library,
nothing heavy imported with the package, and names that no subpackage import can shadow."""

from __future__ import annotations

import pkgutil
import subprocess
import sys
from importlib import import_module
from types import ModuleType

import pytest
from conftest import EMBEDDED, ROOT

import fazhi_kg


def test_importing_the_package_loads_nothing_heavy():
    code = (
        "import sys, fazhi_kg; print(sorted(m for m in ('pyoxigraph', 'rdflib', 'networkx', "
        "'matplotlib', 'pandas', 'click', 'yaml') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_no_subpackage_shadows_a_public_name():
    """Importing a subpackage sets it as an attribute of its parent: a function called like a
    subpackage (`extract`, `query`) would turn into the module once anything imported it."""
    for info in pkgutil.walk_packages(fazhi_kg.__path__, "fazhi_kg."):
        if not info.name.endswith("__main__"):
            import_module(info.name)
    for name in fazhi_kg.__all__:
        assert not isinstance(getattr(fazhi_kg, name), ModuleType), name


def test_answer_is_the_stored_query_with_its_parameters():
    table = fazhi_kg.answer("awards", level="provincial")
    assert table.columns[:3] == ("report", "title", "level_label")
    assert len(table) >= 3 and set(table.column("level_code")) == {"provincial"}
    frame = table.to_pandas()
    assert list(frame.columns) == list(table.columns) and len(frame) == len(table)
    everything = fazhi_kg.answer("awards", graphs=sorted((ROOT / "graph").glob("*.ttl")))
    assert len(everything) > len(table)
    counts = fazhi_kg.answer("award-levels")
    assert all(isinstance(row["honours"], int) for row in counts)
    with pytest.raises(fazhi_kg.FazhiError, match='Query "awards" has no parameter "lvl"'):
        fazhi_kg.answer("awards", lvl="x")


def test_stats_extract_build_and_queries(tmp_path):
    stats = fazhi_kg.stats()
    assert [row["report"] for row in stats][-1] == "all"
    facts = fazhi_kg.extract_facts(EMBEDDED)
    built = fazhi_kg.build(EMBEDDED, out=tmp_path)
    assert (
        len(built.facts.awards)
        == len(facts.awards)
        == stats.rows[-1][stats.columns.index("awards")]
    )
    assert (tmp_path / f"{built.rid}.ttl").read_bytes() == built.turtle
    assert set(fazhi_kg.queries()) == {p.stem for p in (ROOT / "queries").glob("*.rq")}


def test_a_parameter_may_be_called_name():
    table = fazhi_kg.answer("institution", name="司法")
    assert table.rows and all("司法" in str(row["institution"]) for row in table)

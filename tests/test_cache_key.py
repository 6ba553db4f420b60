"""Editing any source or data file of the package invalidates what was built with the old code.

The keys of built graphs (`corpus.batch.code_key`) and of validation results
(`corpus.validate._rules_key`) hash every file `resources.package_files()` lists; here a copy of
the package is edited one file at a time and each edit must change both keys, and a corpus built
before an edit must be rebuilt after it.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from fazhi_kg import resources
from fazhi_kg.corpus import batch
from fazhi_kg.corpus import validate as corpus_validate

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture()
def package_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the package's own files that the key functions read instead of the real ones."""
    copy = tmp_path / "src" / "fazhi_kg"  # laid out like a checkout: ontology/ beside src/
    shutil.copytree(resources.ontology_dir(), tmp_path / "ontology")
    shutil.copytree(
        resources.package_dir(),
        copy,
        ignore=shutil.ignore_patterns("__pycache__", "ontology", "queries", "reports", "graph"),
    )
    monkeypatch.setattr(resources, "_PACKAGE", copy)
    return copy


def test_package_files_are_every_file_of_the_package(package_copy: Path) -> None:
    every = sorted(p for p in package_copy.rglob("*") if p.is_file())
    assert resources.package_files() == every
    names = {resources.package_name(p) for p in every}
    assert {"text/decode.py", "extract/link.py", "data/facts.schema.json"} <= names


def test_editing_any_package_file_changes_the_keys(package_copy: Path) -> None:
    before = (batch.code_key(), corpus_validate._rules_key("fast"))
    for path in resources.package_files():
        original = path.read_bytes()
        path.write_bytes(original + b"\n")
        after = (batch.code_key(), corpus_validate._rules_key("fast"))
        assert after[0] != before[0], f"editing {path.name} leaves graph keys unchanged"
        assert after[1] != before[1], f"editing {path.name} leaves validation keys unchanged"
        path.write_bytes(original)
    assert (batch.code_key(), corpus_validate._rules_key("fast")) == before


def test_a_corpus_built_before_an_edit_is_rebuilt_after_it(
    package_copy: Path, tmp_path: Path
) -> None:
    report = tmp_path / "reports" / "bazhou-2023.txt"
    report.parent.mkdir()
    shutil.copy(ROOT / "reports" / "bazhou-2023.txt", report)
    out = tmp_path / "graphs"
    assert len(batch.build_corpus([report.parent], out, jobs=1).built) == 1
    assert len(batch.build_corpus([report.parent], out, jobs=1).unchanged) == 1
    decode = package_copy / "text" / "decode.py"
    decode.write_text(decode.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    assert len(batch.build_corpus([report.parent], out, jobs=1).built) == 1

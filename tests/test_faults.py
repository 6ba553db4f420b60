"""Faults of the running system, injected: builds killed (SIGKILL) at seeded moments, a disk that
fills, concurrent builders and readers, hostile servers to push to, and the ordinary faults of a
corpus folder. Each ends in one sentence with exit 2 (3 for a time limit), never exit 4; a killed
build leaves no process behind, and the next build gives the graph files and the store of a
build that was never stopped. The long run is bench/faults.py."""

from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
import threading
from pathlib import Path

import pytest
from conftest import ROOT, run_fazhi
from faultkit import (
    BEHAVIOURS,
    HostileServer,
    build_command,
    graph_files,
    leftovers,
    processes_with,
    run_killed,
    small_disk,
    store_digest,
    wait_until,
)

from fazhi_kg.corpus.batch import build_corpus
from fazhi_kg.corpus.generations import open_generation
from fazhi_kg.corpus.lock import exclusive

CORPUS = ROOT / "tests" / "data" / "corpus"
KILLS = sorted(round(random.Random(17).uniform(0.4, 4.0), 2) for _ in range(3))


def _one_sentence(result: subprocess.CompletedProcess[bytes], message: str, code: int = 2) -> str:
    """The error, one line (progress lines, "building n/N …", aside)."""
    lines = result.stderr.decode("utf-8", "replace").splitlines(keepends=True)
    err = "".join(line for line in lines if not line.startswith("building "))
    assert result.returncode == code, (result.returncode, err)
    assert message in err, err
    assert "Traceback" not in err and err.count("\n") == 1, err
    return err


@pytest.fixture(scope="module")
def clean(tmp_path_factory):
    """The test corpus built once, never stopped: its graph files and its store's content."""
    base = tmp_path_factory.mktemp("clean")
    subprocess.run(
        build_command(CORPUS, base / "out", base / "store"), check=True, capture_output=True
    )
    return graph_files(base / "out"), store_digest(base / "store")


@pytest.mark.parametrize("after", KILLS)
def test_a_build_killed_at_any_moment_is_finished_by_the_next(clean, tmp_path, after):
    out, store = tmp_path / "out", tmp_path / "store"
    cmd = build_command(CORPUS, out, store)
    run_killed(cmd, after)
    assert wait_until(lambda: not processes_with(str(out)), 5), "a worker outlived its build"
    again = subprocess.run(cmd, capture_output=True, check=False)
    assert again.returncode == 0, again.stderr
    assert graph_files(out) == clean[0]
    assert store_digest(store) == clean[1]
    assert leftovers(out, store) == []


KILL_AFTER_REPLACE = """
import os, signal, sys, types
import fazhi_kg.corpus.manifest as manifest
target = sys.argv[1]
def replace(a, b):
    os.replace(a, b)
    if str(b).endswith(target):
        os.kill(os.getpid(), signal.SIGKILL)
manifest.os = types.SimpleNamespace(**{**vars(os), "replace": replace})
from fazhi_kg.cli import main
sys.argv = ["fazhi", *sys.argv[2:]]
main()
"""


def test_a_graph_replaced_then_abandoned_is_rebuilt(clean, tmp_path):
    """The issue's stale graph: edit a report, kill the build just after its graph file is
    replaced, undo the edit, build again: the graph is the original's, not the abandoned one."""
    src, out, store = tmp_path / "src", tmp_path / "out", tmp_path / "store"
    shutil.copytree(CORPUS, src)
    cmd = build_command(src, out, store, jobs=1)
    subprocess.run(cmd, check=True, capture_output=True)
    report = src / "luting-2023.txt"
    text = report.read_text(encoding="utf-8")
    report.write_text(text.replace("会前学法16次", "会前学法17次"), encoding="utf-8")
    killed = subprocess.run(
        [cmd[0], "-c", KILL_AFTER_REPLACE, "zhejiang-quzhou-longyou-2023.ttl", *cmd[3:]],
        capture_output=True,
        check=False,
    )
    assert killed.returncode == -9
    assert b"17" in (out / "zhejiang-quzhou-longyou-2023.ttl").read_bytes()  # the abandoned graph
    report.write_text(text, encoding="utf-8")
    again = subprocess.run(cmd, capture_output=True, check=False)
    assert b"1 built, 4 unchanged" in again.stdout
    assert graph_files(out, manifest=False) == {
        k: v for k, v in clean[0].items() if k != "manifest.json"
    }
    assert store_digest(store) == clean[1]


def test_a_full_disk_for_the_graphs_is_one_sentence(tmp_path):
    out = tmp_path / "disk"
    with small_disk(out, 256) as limit:
        result = subprocess.run(
            build_command(CORPUS, out, None), capture_output=True, preexec_fn=limit, check=False
        )
        err = _one_sentence(result, f"Error: Cannot write to {out}: ")
        assert err.rstrip().endswith("or choose another --out folder.")
        assert not (out / ".staging").exists()


def test_a_full_disk_for_the_store_is_one_sentence_and_leaves_no_generation(tmp_path):
    store = tmp_path / "disk" / "store"
    with small_disk(tmp_path / "disk", 1024) as limit:
        result = subprocess.run(
            build_command(CORPUS, tmp_path / "out", store),
            capture_output=True,
            preexec_fn=limit,
            check=False,
        )
        err = _one_sentence(result, "Error: Cannot write to ")
        assert "or choose another --" in err
        if store.exists():
            assert not [p for p in store.iterdir() if p.name.startswith("gen-")]


@pytest.mark.parametrize("role", ["out", "store"])
def test_a_second_build_of_a_folder_stops_and_names_the_first(tmp_path, role):
    folder = tmp_path / role
    folder.mkdir()
    what = {"out": "the graph folder", "store": "the store"}[role]
    args = ["build", str(CORPUS), "--out", str(tmp_path / "out")]
    if role == "store":
        args += ["--store", str(folder)]
    with exclusive(folder, what=what, option=f"--{role}"):
        result = run_fazhi(*args)
    _one_sentence(
        result,
        f"Error: Another build (pid {os.getpid()}) is writing {what} {folder}; wait for it to "
        f"finish or choose another folder with --{role}.",
    )


def _answer(store: Path) -> tuple[tuple[str, int], ...]:
    """Triples per graph of the store's current generation, read as one reader would."""
    with open_generation(store) as gen:
        rows = gen.store.query(
            "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g"
        )
        return tuple((r[0].value, int(r[1].value)) for r in rows)


def test_readers_during_a_rebuild_see_the_old_corpus_or_the_new(tmp_path):
    src, out, store = tmp_path / "src", tmp_path / "out", tmp_path / "store"
    shutil.copytree(CORPUS, src)
    (src / "huaipu-2023.txt").unlink()
    build_corpus([src], out, store=store, jobs=1)
    old = _answer(store)
    shutil.copy(CORPUS / "huaipu-2023.txt", src)
    report = src / "luting-2022.txt"
    report.write_text(report.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    seen: list[tuple[tuple[str, int], ...]] = []
    stop = threading.Event()

    def read() -> None:
        while not stop.is_set():
            seen.append(_answer(store))

    reader = threading.Thread(target=read)
    reader.start()
    try:
        build_corpus([src], out, store=store, jobs=1)
    finally:
        stop.set()
        reader.join()
    new = _answer(store)
    assert old != new and seen
    assert {a for a in seen} <= {old, new}


@pytest.mark.parametrize("behaviour", sorted(BEHAVIOURS))
def test_pushing_to_a_hostile_server_is_one_sentence_without_its_bytes(tmp_path, behaviour):
    server = HostileServer(behaviour)
    graph = sorted((ROOT / "graph").glob("*.ttl"))[0]
    try:
        result = run_fazhi(
            "push", "--graph-store", server.url, "--graph", str(graph), "--timeout", "1", timeout=60
        )
    finally:
        server.close()
    err = result.stderr.decode("utf-8", "replace")
    assert "\x1b" not in err and "GARBAGE\x07" not in err and "\ufffd" not in err, err
    assert "Traceback" not in err and err.count("\n") <= 1, err
    expected = {
        "garbage": (2, "did not answer the upload of "),
        "close": (2, "closed the connection during the upload of "),
        "half": (2, "closed the connection during the upload of "),
        "stall": (3, "did not finish the upload of "),
        "endless": (0, ""),  # a 200 is an answer: the body is not read
        "error": (2, "answered HTTP 500 to the upload of "),
    }[behaviour]
    assert result.returncode == expected[0], err
    assert expected[1] in err, err


# --- the ordinary faults of a corpus folder ----------------------------------------------------


def test_a_fifo_and_a_huge_file_in_a_folder_are_refused_without_reading(tmp_path):
    src = tmp_path / "src"
    shutil.copytree(CORPUS, src)
    os.mkfifo(src / "pipe.txt")
    with open(src / "huge.txt", "wb") as fh:
        fh.truncate(3 * 2**30)  # sparse: 3 GB that would take 3 GB of memory to read whole
    result = run_fazhi("build", str(src), "--out", str(tmp_path / "out"), "--jobs", "1", timeout=60)
    err = result.stderr.decode()
    assert result.returncode == 2, err
    assert (
        f"{src / 'pipe.txt'} is a named pipe (FIFO), not a report file; give a report file.\n"
        in err
    )
    assert f"{src / 'huge.txt'} is 3072 MB, larger than the 16 MB a report can be;" in err
    assert b"5 built, 0 unchanged, 2 failed" in result.stdout


def test_file_names_with_control_characters_are_escaped(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    shutil.copy(CORPUS / "huaipu-2021.txt", src)
    (src / "bad\x1b[31m\n.txt").write_text("不是报告", encoding="utf-8")
    result = run_fazhi("build", str(src), "--out", str(tmp_path / "out"), "--jobs", "1")
    err = result.stderr.decode()
    assert result.returncode == 2 and "\x1b" not in err and "bad\\x1b[31m\\n.txt" in err, err


def test_a_folder_nested_1100_deep_is_one_sentence(tmp_path):
    fd = os.open(tmp_path, os.O_RDONLY)
    try:
        for _ in range(1100):
            os.mkdir("d", dir_fd=fd)
            inner = os.open("d", os.O_RDONLY, dir_fd=fd)
            os.close(fd)
            fd = inner
        os.close(os.open("r.txt", os.O_WRONLY | os.O_CREAT, dir_fd=fd))
    finally:
        os.close(fd)
    try:
        result = run_fazhi("build", str(tmp_path / "d"), "--out", str(tmp_path / "out"))
    finally:  # pytest's own clean-up of old temporary folders recurses, and would overflow here
        subprocess.run(["rm", "-rf", str(tmp_path / "d")], check=True)
    _one_sentence(
        result,
        f"Error: The folder {tmp_path / 'd'} nests folders more than 64 deep; give the folders "
        "that hold the reports.",
    )


def test_a_manifest_that_cannot_be_written_is_one_sentence(tmp_path):
    (tmp_path / "out" / "manifest.json").mkdir(parents=True)
    result = run_fazhi("build", str(CORPUS), "--out", str(tmp_path / "out"), "--jobs", "1")
    _one_sentence(
        result,
        f"Error: Cannot write the manifest {tmp_path / 'out' / 'manifest.json'}; remove what is "
        "in its way or choose another --out folder.",
    )


def test_an_unreadable_subfolder_is_one_sentence(tmp_path, monkeypatch):
    from click.testing import CliRunner

    import fazhi_kg.corpus.sources as sources
    from fazhi_kg.cli import cli

    src = tmp_path / "src"
    shutil.copytree(CORPUS, src / "a")
    (src / "b").mkdir()
    scandir = os.scandir

    def refusing(path):  # what chmod 000 does to any user but root
        if Path(path) == src / "b":
            raise PermissionError(13, "Permission denied", str(path))
        return scandir(path)

    monkeypatch.setattr(sources.os, "scandir", refusing)
    result = CliRunner().invoke(cli, ["build", str(src), "--out", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert result.output == (
        f"Error: Cannot read the folder {src / 'b'}: Permission denied; check its permissions or "
        "leave it out.\n"
    )


def test_an_unwritable_out_folder_is_one_sentence(tmp_path):
    out = tmp_path / "ro"
    out.mkdir()
    if os.geteuid() != 0:
        out.chmod(0o555)
        reason = "Permission denied"
    else:
        mounted = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", "ro,size=1m", "tmpfs", str(out)], capture_output=True
        )
        if mounted.returncode != 0:
            pytest.skip("root here, and no read-only mount to deny a write")
        reason = "Read-only file system"
    try:
        result = run_fazhi("build", str(CORPUS), "--out", str(out))
    finally:
        if os.geteuid() == 0:
            subprocess.run(["umount", "-l", str(out)], capture_output=True)
        else:
            out.chmod(0o755)
    _one_sentence(
        result,
        f"Error: Cannot write to the graph folder {out}: {reason}; choose a folder you can write "
        "to with --out.",
    )


def test_the_manifest_records_the_hash_of_each_graph_file(tmp_path):
    out = tmp_path / "out"
    build_corpus([CORPUS], out, jobs=1)
    from fazhi_kg.corpus.manifest import file_sha256

    entries = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["reports"]
    assert {e["sha256"] for e in entries.values()} == {file_sha256(p) for p in out.glob("*.ttl")}
    tampered = out / next(iter(entries.values()))["file"]
    tampered.write_bytes(tampered.read_bytes() + b"# changed\n")
    again = build_corpus([CORPUS], out, jobs=1)
    assert [o.file for o in again.built] == [tampered] and len(again.unchanged) == 4
    assert b"# changed" not in tampered.read_bytes()

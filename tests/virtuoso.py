"""A throwaway OpenLink Virtuoso 7.2 (Debian's `virtuoso-opensource-7-bin`, installed by .ci/run)
for tests: a fresh database in a temporary folder, its own ini file, both ports on loopback, run
by this user in the foreground and stopped after.

A fresh database has the user dba with password dba, who may write through the Graph Store
endpoint /sparql-graph-crud-auth (HTTP Digest); /sparql answers queries for anyone, over every
graph when a query names none. docs/scaling.md says how to set up a real one.
"""

from __future__ import annotations

import contextlib
import shutil
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

from fazhi_kg.corpus.serve import free_port

BINARY = "virtuoso-t"
USER = ("dba", "dba")

INI = """\
[Database]
DatabaseFile = {dir}/virtuoso.db
ErrorLogFile = {dir}/virtuoso.log
LockFile = {dir}/virtuoso.lck
TransactionFile = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {dir}/virtuoso-temp.db
TransactionFile = {dir}/virtuoso-temp.trx

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
ServerThreads = 4
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
CheckpointInterval = 0
DirsAllowed = {dir}

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {dir}
ServerThreads = 4
Charset = UTF-8

[SPARQL]
ResultSetMaxRows = {max_rows}
MaxQueryExecutionTime = 120
"""


def installed() -> bool:
    return shutil.which(BINARY) is not None


@contextlib.contextmanager
def running_virtuoso(folder: Path, *, max_rows: int = 1_000_000) -> Iterator[str]:
    """Start Virtuoso on a fresh database in `folder`; yield its base URL (…/sparql is the query
    endpoint, …/sparql-graph-crud-auth the Graph Store), stop it after."""
    folder.mkdir(parents=True, exist_ok=True)
    ini = folder / "virtuoso.ini"
    http_port = free_port()
    ini.write_text(
        INI.format(dir=folder, sql_port=free_port(), http_port=http_port, max_rows=max_rows)
    )
    log = (folder / "console.log").open("wb")
    proc = subprocess.Popen(
        [BINARY, "+configfile", str(ini), "+foreground"], cwd=folder, stdout=log, stderr=log
    )
    url = f"http://127.0.0.1:{http_port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(f"{url}/sparql?query=ASK%7B%7D", timeout=5):
                    break
            except (urllib.error.URLError, OSError):
                if proc.poll() is not None or time.monotonic() > deadline:
                    tail = (folder / "virtuoso.log").read_text(errors="replace")[-2000:]
                    raise RuntimeError(f"Virtuoso did not start:\n{tail}") from None
                time.sleep(0.2)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(60)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()

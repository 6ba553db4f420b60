"""The forked query process: its answer, its errors, its timeout and its crashes reach the user
as one sentence with the right exit code."""

from __future__ import annotations

import faulthandler
import os
import signal
import sys

import pytest

from fazhi_kg.errors import QueryError, QueryTimeout
from fazhi_kg.query.child import in_child

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork here")


def _die(signum: int) -> bytes:
    faulthandler.disable()  # pytest's would print the child's stack on SIGSEGV
    os.kill(os.getpid(), signum)
    return b"never"


def test_the_answer_comes_back():
    assert in_child(lambda: b"ok\nrows", 10) == b"ok\nrows"


@pytest.mark.parametrize(
    ("signum", "name"), [(signal.SIGSEGV, "SIGSEGV"), (signal.SIGKILL, "SIGKILL")]
)
def test_a_crashed_engine_is_named_by_its_signal(signum, name):
    with pytest.raises(QueryError) as caught:
        in_child(lambda: _die(signum), 10)
    assert str(caught.value) == (
        f"The query engine crashed (signal {int(signum)} {name}) and the query was stopped; "
        "simplify the query or narrow it to fewer graphs, and report it if it persists."
    )
    assert caught.value.exit_code == 2


def test_a_silent_exit_is_not_an_empty_error():
    with pytest.raises(QueryError, match=r"stopped without an answer \(exit status 7\)"):
        in_child(lambda: os._exit(7), 10)


def test_an_error_in_the_child_keeps_its_sentence():
    def fail() -> bytes:
        raise QueryError("The query uses LOAD, which would read outside the given graphs.")

    with pytest.raises(QueryError, match=r"^The query uses LOAD, which would read outside"):
        in_child(fail, 10)


def test_a_runaway_child_is_stopped():
    def spin() -> bytes:
        while True:
            pass

    with pytest.raises(QueryTimeout) as caught:
        in_child(spin, 0.5)
    assert caught.value.exit_code == 3


def test_a_crash_through_the_cli_is_one_sentence(tmp_path):
    """End to end: the engine dies of SIGSEGV inside `fazhi sparql`."""
    import subprocess

    code = (
        "import os, signal, sys\n"
        "import fazhi_kg.query.engine as s\n"
        "s.run = lambda *a, **k: os.kill(os.getpid(), signal.SIGSEGV)\n"
        "from fazhi_kg.cli import main\n"
        "sys.argv = ['fazhi', 'sparql', 'ASK {}']\n"
        "main()\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, timeout=60, check=False
    )
    err = result.stderr.decode()
    assert result.returncode == 2, err
    assert err.startswith("Error: The query engine crashed (signal 11 SIGSEGV)"), err
    assert err.count("\n") == 1 and "Traceback" not in err

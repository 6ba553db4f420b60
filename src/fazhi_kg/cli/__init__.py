"""The `fazhi` command: a thin layer over the library. Only this package imports click.

Exit codes: 0 ok · 1 validation found problems · 2 usage or input error · 3 timeout ·
4 internal error (a bug: please report it with the output of `fazhi --debug …`).

The error boundary is the command group itself (`FazhiGroup.invoke`), so a library error becomes
one sentence and its exit code however the command runs: from `main()`, or from click's
`CliRunner` in the tests.
"""

from __future__ import annotations

import sys
from typing import Any

import click

from fazhi_kg.errors import FazhiError

__all__ = ["INTERNAL_ERROR", "cli", "main"]

INTERNAL_ERROR = 4


class Failure(click.ClickException):
    """A library error on its way out: one sentence, and the exit code of its kind."""

    def __init__(self, message: str, exit_code: int, *, prefix: str = "Error: ") -> None:
        super().__init__(message)
        self.exit_code = exit_code  # type: ignore[misc]  # a class default in click
        self.prefix = prefix

    def show(self, file: Any = None) -> None:
        click.echo(f"{self.prefix}{self.format_message()}", err=True)


class FazhiGroup(click.Group):
    """The command group, and the one place where errors become messages and exit codes."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.ClickException, click.Abort, KeyboardInterrupt):
            raise
        except BrokenPipeError:
            raise
        except FazhiError as exc:
            if ctx.meta.get("fazhi.debug"):
                raise
            raise Failure(str(exc), exc.exit_code) from exc
        except Exception as exc:
            if ctx.meta.get("fazhi.debug"):
                raise
            raise Failure(
                f"{type(exc).__name__}: {exc}; rerun with `fazhi --debug …` and report it.",
                INTERNAL_ERROR,
                prefix="Internal error: ",
            ) from exc


@click.group(
    cls=FazhiGroup,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
@click.option("--debug", is_flag=True, help="Show tracebacks for errors (for bug reports).")
@click.version_option(package_name="fazhi-kg", prog_name="fazhi")
@click.pass_context
def cli(ctx: click.Context, debug: bool) -> None:
    """fazhi-kg: knowledge graphs of annual rule-of-law government reports (法治政府建设情况报告).

    Build a validated RDF graph from a report, then ask it questions with stored SPARQL queries.

    \b
    Example:
      fazhi build && fazhi validate graph/*.ttl
    """
    ctx.meta["fazhi.debug"] = debug


def main() -> None:
    """Entry point: the command group, with what only a process meets: Ctrl-C and a closed pipe."""
    try:
        cli.main(prog_name="fazhi", standalone_mode=False)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except (click.Abort, KeyboardInterrupt):
        click.echo("Interrupted.", err=True)
        sys.exit(2)
    except BrokenPipeError:
        sys.exit(0)
    sys.exit(0)


# the commands, each in the module of its kind of work
from fazhi_kg.cli import building, graphs, querying, remote  # noqa: E402

for _module in (building, querying, graphs, remote):
    for _command in _module.COMMANDS:
        cli.add_command(_command)

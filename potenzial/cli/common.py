"""Shared CLI plumbing: settings from options, one-line errors, rich progress."""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from types import TracebackType
from typing import Any, TypeVar

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, Progress, SpinnerColumn, TaskID, TextColumn, TimeElapsedColumn

from potenzial.errors import PotenzialError
from potenzial.pipeline import Reporter
from potenzial.settings import Settings

F = TypeVar("F", bound=Callable[..., Any])
err_console = Console(stderr=True)
console = Console()

EXIT_USER_ERROR = 2
EXIT_INTERNAL_ERROR = 70


def settings_from(store: str | None = None, region: str | None = None) -> Settings:
    """The settings from the environment, with the options given on the command line on top."""
    overrides: dict[str, Any] = {k: v for k, v in {"store": store, "region": region}.items() if v is not None}
    return Settings(**overrides)


def one_line_errors(func: F) -> F:
    """Turn PotenzialError into one line on stderr and exit code 2; never a traceback for it."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except PotenzialError as exc:
            err_console.print(f"[bold red]error:[/] {escape(str(exc))}", highlight=False, soft_wrap=True)
            raise typer.Exit(EXIT_USER_ERROR) from None
        except KeyboardInterrupt:
            err_console.print("interrupted; the previous results are unchanged.")
            raise typer.Exit(130) from None
        except typer.Exit:
            raise
        except Exception as exc:
            if os.environ.get("POTENZIAL_DEBUG"):
                raise
            err_console.print(f"[bold red]internal error:[/] {type(exc).__name__}: {exc}. The previous "
                              "results are unchanged. Set POTENZIAL_DEBUG=1 for the traceback and report it.",
                              highlight=False, soft_wrap=True)
            raise typer.Exit(EXIT_INTERNAL_ERROR) from None

    return wrapper  # type: ignore[return-value]


class RichReporter(Reporter):
    """Progress bars per pipeline step (on stderr, so stdout stays parseable), among them the
    preparation of tiles, downloads and fact sheets after a publish. Bars only on a terminal; in a
    log (stderr not a TTY) one line per finished step."""

    def __init__(self, console: Console | None = None) -> None:
        out = console or err_console
        self.progress = Progress(
            SpinnerColumn(), TextColumn("[bold]{task.fields[step]:<10}"), BarColumn(),
            TextColumn("{task.completed}/{task.total}"), TextColumn("{task.description}"),
            TimeElapsedColumn(), console=out, transient=False, disable=not out.is_terminal,
        )
        self.tasks: dict[str, TaskID] = {}

    def __enter__(self) -> RichReporter:
        self.progress.__enter__()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 traceback: TracebackType | None) -> None:
        self.progress.__exit__(exc_type, exc, traceback)

    def start(self, step: str, total: int | None = None) -> None:
        self.tasks[step] = self.progress.add_task("", total=total, step=step)

    def advance(self, step: str, message: str = "") -> None:
        self.progress.update(self.tasks[step], advance=1, description=message)

    def finish(self, step: str, seconds: float) -> None:
        task = self.tasks[step]
        total = self.progress.tasks[task].total
        self.progress.update(task, completed=total or 1, total=total or 1, description=f"done in {seconds:.1f} s")
        if not self.progress.console.is_terminal:
            self.progress.console.print(f"{step}: done in {seconds:.1f} s")

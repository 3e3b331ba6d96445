"""`potenzial db …`: create or migrate the store's schema."""

from __future__ import annotations

import typer

from potenzial.cli.common import console, one_line_errors, settings_from
from potenzial.store import open_store

db_app = typer.Typer(help="Store administration.", no_args_is_help=True)


@db_app.command("init")
@one_line_errors
def init(store: str | None = typer.Option(None, "--store", help="postgresql://… URL or a folder")) -> None:
    """Create or migrate the schema (idempotent)."""
    settings = settings_from(store)
    backend = open_store(settings.store_url)
    try:
        backend.init()
    finally:
        backend.close()
    console.print(f"store ready ({backend.kind})")


@db_app.command("runs")
@one_line_errors
def runs(store: str | None = typer.Option(None, "--store", help="postgresql://… URL or a folder")) -> None:
    """List the runs kept in the store, newest first (the first is served)."""
    settings = settings_from(store)
    backend = open_store(settings.store_url)
    try:
        current = backend.current_run()
        for rec in backend.list_runs():
            mark = "*" if current and rec.run_id == current.run_id else " "
            console.print(f"{mark} {rec.run_id}  {rec.region_id}  params {rec.params_hash[:12]}  {rec.code_version}")
    finally:
        backend.close()

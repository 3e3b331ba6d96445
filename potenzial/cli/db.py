"""`potenzial db …`: create or migrate the store's schema."""

from __future__ import annotations

import os

import typer

from potenzial.cli.common import console, one_line_errors, settings_from
from potenzial.store import open_store
from potenzial.store.postgis_roles import DEFAULT_READER_ROLE

#: how ``db runs`` names a run that is not complete
ATTEMPT_TEXT = {
    "running": "RUNNING (started {started})",
    "failed": "FAILED (started {started}): {message}",
    "incomplete": "INCOMPLETE (started {started}; its process died, the next run removes what it left behind)",
}

db_app = typer.Typer(help="Store administration.", no_args_is_help=True)


@db_app.command("init")
@one_line_errors
def init(
    store: str | None = typer.Option(None, "--store", help="postgresql://… URL or a folder"),
    reader_role: str = typer.Option(DEFAULT_READER_ROLE, "--reader-role",
                                    help="PostGIS: the read-only role the server connects as (created if missing; '' "
                                    "for none)"),
) -> None:
    """Create or migrate the schema (idempotent). On PostGIS also create the read-only role for serving
    and grant it read access; its password, if any, comes from POTENZIAL_READER_PASSWORD."""
    from potenzial.store.postgis import PostgisStore

    settings = settings_from(store)
    backend = open_store(settings.store_url)
    try:
        backend.init()
        if isinstance(backend, PostgisStore) and reader_role:
            created = backend.grant_reader(reader_role, os.environ.get("POTENZIAL_READER_PASSWORD") or None)
            console.print(f"read-only role {reader_role} {'created' if created else 'granted'}: serve with "
                          f"--store postgresql://{reader_role}@…/{backend.url.rsplit('/', 1)[-1]}", highlight=False)
    finally:
        backend.close()
    console.print(f"store ready ({backend.kind})")


@db_app.command("runs")
@one_line_errors
def runs(store: str | None = typer.Option(None, "--store", help="postgresql://… URL or a folder")) -> None:
    """List the runs kept in the store, newest first (* marks the one served), then the runs that are
    running, failed (with their error) or incomplete (their process died)."""
    settings = settings_from(store)
    backend = open_store(settings.store_url)
    try:
        current = backend.current_run()
        for rec in backend.list_runs():
            mark = "*" if current and rec.run_id == current.run_id else " "
            console.print(f"{mark} {rec.run_id}  {rec.region_id}  params {rec.params_hash[:12]}  {rec.code_version}",
                          highlight=False)
        for attempt in backend.attempts():
            state = ATTEMPT_TEXT[attempt.status].format(started=attempt.started_at, message=attempt.message)
            console.print(f"  {attempt.run_id}  {state}", highlight=False, soft_wrap=True)
    finally:
        backend.close()

"""`potenzial monitoring import FILE…` and `potenzial monitoring status`: snapshots of what is built."""

from __future__ import annotations

from pathlib import Path

import typer

from potenzial.cli.common import one_line_errors, settings_from
from potenzial.region import load_region
from potenzial.serving.monitoring_import import Imported, import_catalog, import_exports
from potenzial.serving.monitoring_status import status_lines
from potenzial.store import open_store

monitoring_app = typer.Typer(help="Monitoring: snapshots of installed plants (MaStR) against the potential.",
                             no_args_is_help=True)
STORE_HELP = "postgresql://… URL or a folder; default: POTENZIAL_STORE or the embedded store"


def _line(done: Imported) -> str:
    state = "imported" if done.new else "already in the store, unchanged"
    checks = f"; rejected {done.rejected}, repaired {done.repaired}, flagged {done.flagged}" if done.units or \
        done.rejected else ""
    outside = f"; {done.outside} units outside the region" if done.outside else ""
    units = f", {done.units} units" if done.units else ""
    return f"{done.title} ({done.as_of}, {done.source}): {state}{units}{checks}{outside} [{done.snapshot_id}]"


@monitoring_app.command("import")
@one_line_errors
def import_(
    files: list[Path] = typer.Argument(None, help="MaStR bulk exports (Gesamtdatenexport_<YYYYMMDD>_<version>.zip); "
                                       "none: the region catalog's MaStR sums 2021/2024 and 2015 plant list"),
    as_of: str | None = typer.Option(None, "--as-of", help="the export's date (YYYY-MM-DD) when its name lacks it"),
    store: str | None = typer.Option(None, "--store", help=STORE_HELP),
    region: str | None = typer.Option(None, "--region", help="region id or TOML path"),
) -> None:
    """Import snapshots: each export completely or not at all; the same export twice gives one snapshot."""
    settings = settings_from(store, region)
    reg = load_region(settings.region, settings.regions_dir, settings.data_dir)
    opened = open_store(settings.store_url)
    try:
        opened.init()
        done = import_exports(opened, reg, settings.params_dir, files, as_of) if files else import_catalog(opened, reg)
    finally:
        opened.close()
    for item in done:
        typer.echo(_line(item))


@monitoring_app.command("status")
@one_line_errors
def status(
    store: str | None = typer.Option(None, "--store", help=STORE_HELP),
    region: str | None = typer.Option(None, "--region", help="region id or TOML path"),
) -> None:
    """The region's snapshots and the county's installed capacity per technology in each."""
    settings = settings_from(store, region)
    reg = load_region(settings.region, settings.regions_dir, settings.data_dir)
    opened = open_store(settings.store_url)
    try:
        lines = status_lines(opened, reg)
    finally:
        opened.close()
    for line in lines:
        typer.echo(line)

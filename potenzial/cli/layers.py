"""`potenzial layers`: the region's catalog with provenance and licence."""

from __future__ import annotations

import json

import typer
from rich.table import Table

from potenzial.cli.common import console, one_line_errors, settings_from
from potenzial.region import load_region


@one_line_errors
def layers(
    region: str | None = typer.Option(None, "--region", help="region id or TOML path"),
    as_json: bool = typer.Option(False, "--json", help="print JSON instead of a table"),
) -> None:
    """List the catalog: id, kind, provenance (real/synthetic), licence, source."""
    settings = settings_from(region=region)
    reg = load_region(settings.region, settings.regions_dir, settings.data_dir)
    rows = [entry.describe() for entry in reg.layers.values()]
    if as_json:
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    table = Table(title=f"{reg.name} ({reg.id}) – {len(rows)} layers, analysis CRS {reg.crs}")
    for col in ("id", "kind", "provenance", "licence", "title"):
        table.add_column(col, overflow="fold")
    for row in rows:
        prov = "[yellow]synthetic[/]" if row["synthetic"] else "real"
        table.add_row(str(row["id"]), str(row["kind"]), prov, str(row["licence"]), str(row["title"]))
    console.print(table)

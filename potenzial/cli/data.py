"""`potenzial data fetch` and `potenzial data status`: real data for a region."""

from __future__ import annotations

import json
from contextlib import nullcontext
from pathlib import Path

import typer
from rich.console import Group
from rich.live import Live
from rich.progress import (
    BarColumn,
    DownloadColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeRemainingColumn,
    TransferSpeedColumn,
)
from rich.table import Table

from potenzial.cli.common import console, err_console, one_line_errors, settings_from
from potenzial.data.fetch import fetch_region, select_sources
from potenzial.data.sources import load_sources
from potenzial.data.status import layer_status
from potenzial.data.use_file import use_file
from potenzial.errors import ConfigError
from potenzial.region import load_region, resolve_region_file
from potenzial.sources.vector import read_vector

data_app = typer.Typer(help="Fetch official open data for a region and show what it uses.", no_args_is_help=True)


@data_app.command("fetch")
@one_line_errors
def fetch(
    region: str | None = typer.Option(None, "--region", help="region id or TOML path"),
    only: list[str] | None = typer.Option(None, "--only", help="only this layer or source id (repeatable)"),
    catalog: list[Path] | None = typer.Option(None, "--catalog", help="source catalog file or folder (repeatable); "
                                              "default layers/sources/"),
) -> None:
    """Download, verify and convert the sources the region needs; write its region.local.toml."""
    settings = settings_from(region=region)
    reg = load_region(settings.region, settings.regions_dir, settings.data_dir)
    sources = select_sources(reg, load_sources(catalog or [settings.sources_dir]), only)
    if not sources:
        console.print(f"nothing to fetch for {reg.id}: no fetchable source fills one of its layers.")
        return
    bounds = tuple(float(v) for v in read_vector(reg.layer(reg.municipalities_layer)).total_bounds)
    bars = Progress(TextColumn("{task.description}"), BarColumn(), DownloadColumn(), TransferSpeedColumn(),
                    console=err_console, disable=not err_console.is_terminal)
    tasks: dict[str, TaskID] = {}

    def on_bytes(source: str, name: str, got: int, total: int | None) -> None:
        key = f"{source}/{name}"
        if key not in tasks:
            tasks[key] = bars.add_task(key, total=total)
        bars.update(tasks[key], completed=got, total=total)
        if total is not None and got >= total:   # one bar per file while it runs; the tile count stays
            bars.update(tasks[key], visible=False)

    def on_files(source: str, got: int, total: int) -> None:
        key = f"{source} tiles"
        if key not in tasks:
            tasks[key] = tile_bars.add_task(key, total=total)
        tile_bars.update(tasks[key], completed=got, total=total)

    tile_bars = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                         console=err_console, disable=not err_console.is_terminal)
    # bars only on a terminal: in a log (stderr not a TTY) just the one-line messages
    with Live(Group(tile_bars, bars), console=err_console) if err_console.is_terminal else nullcontext():
        done = fetch_region(reg, sources, settings.data_dir / "cache" / "sources", bounds,  # type: ignore[arg-type]
                            say=lambda s, m: err_console.print(f"{s}: {m}", highlight=False), on_bytes=on_bytes,
                            on_files=on_files)
    for item in done:
        resumed = f", {item.resumed} resumed" if item.resumed else ""
        console.print(f"{item.layer}: real from {item.source} ({item.files} download(s){resumed}) -> "
                      f"{item.output.name}  sha256 {item.sha256[:16]}…", highlight=False)
    console.print(f"local catalog: {reg.root / 'region.local.toml'}; the next `potenzial run --region {reg.id}` "
                  "uses these files.")


@data_app.command("use")
@one_line_errors
def use(
    layer_id: str = typer.Argument(..., metavar="LAYER", help="catalog layer to fill, e.g. buildings, terrain"),
    path: Path = typer.Argument(..., metavar="FILE", help="the file (GeoPackage, shapefile, GeoJSON, GeoTIFF, CSV)"),
    region: str | None = typer.Option(None, "--region", help="region id or TOML path"),
    crs: str | None = typer.Option(None, "--crs", help="CRS of a file that has none (shapefile without .prj, "
                                   "GeoTIFF without georeferencing), e.g. EPSG:25833; never put over a file's own"),
    layer: str | None = typer.Option(None, "--layer", help="layer inside a GeoPackage"),
    field: list[str] | None = typer.Option(None, "--field", help="canonical=column of the file (repeatable), "
                                           "e.g. --field building_id=oid"),
    licence: str = typer.Option("", "--licence", help="the file's licence, e.g. dl-de/by-2-0"),
    attribution: str = typer.Option("", "--attribution", help="the attribution the licence asks for"),
    title: str = typer.Option("", "--title", help="the layer's title on the map (default: layer and file name)"),
) -> None:
    """Point a layer at a file you have: checked as a run reads it, then written into region.local.toml."""
    settings = settings_from(region=region)
    region_file = resolve_region_file(settings.region, settings.regions_dir)
    reg = load_region(region_file, settings.regions_dir, settings.data_dir)
    mapping: dict[str, str] = {}
    for item in field or []:
        canonical, sep, column = item.partition("=")
        if not sep or not canonical or not column:
            raise ConfigError(f"--field {item!r}: write canonical=column, e.g. --field building_id=oid.")
        mapping[canonical.strip()] = column.strip()
    used = use_file(reg, region_file, layer_id, path, crs=crs, layer=layer, fields=mapping, licence=licence,
                    attribution=attribution, title=title)
    how = "stated with --crs" if used.crs_stated else "the file's own"
    unit = "cells" if reg.layer(layer_id).kind == "raster" else "rows"
    console.print(f"{used.layer}: real from {path.name} ({used.features} {unit}, "
                  f"CRS {used.crs}, {how}) -> {used.local_catalog}; the next `potenzial run --region {reg.id}` "
                  "uses it.", highlight=False)


@data_app.command("status")
@one_line_errors
def status(
    region: str | None = typer.Option(None, "--region", help="region id or TOML path"),
    as_json: bool = typer.Option(False, "--json", help="print JSON instead of a table"),
) -> None:
    """Per layer: real or synthetic, source, origin, date, licence, file hash."""
    settings = settings_from(region=region)
    reg = load_region(settings.region, settings.regions_dir, settings.data_dir)
    rows = layer_status(reg)
    if as_json:
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    table = Table(title=f"{reg.name} ({reg.id}): {sum(r['provenance'] == 'real' for r in rows)} of {len(rows)} "
                        "layers real")
    for col in ("layer", "provenance", "source", "origin", "retrieved", "licence", "sha256"):
        table.add_column(col, overflow="fold")
    for row in rows:
        prov = "[yellow]synthetic[/]" if row["provenance"] == "synthetic" else "real"
        table.add_row(row["layer"], prov, row["source"], row["origin"], row["retrieved"], row["licence"],
                      row["sha256"][:16])
    console.print(table)

"""`potenzial region create`: a new region from municipality boundaries (any German county)."""

from __future__ import annotations

from pathlib import Path

import typer

from potenzial.cli.common import console, one_line_errors, settings_from
from potenzial.data.region_create import boundaries_from_file, create_region, select_municipalities
from potenzial.data.region_synth import create_synthetic_region, template_ghi_points
from potenzial.errors import ConfigError

region_app = typer.Typer(help="Make and inspect regions.", no_args_is_help=True)

#: the shipped VG5000 (municipalities of Saxony) in the template region
SHIPPED_BOUNDARIES = ("data/admin_vg5000_2021_sachsen.gpkg", "sachsen_gemeinden")


@region_app.command("create")
@one_line_errors
def create(
    county: str | None = typer.Option(None, "--county", help="5-digit county key (14729 Landkreis Leipzig, 14730 "
                                      "Nordsachsen, …): municipalities from the shipped VG5000 of Saxony, or from "
                                      "--boundaries"),
    boundaries: Path | None = typer.Option(None, "--boundaries", help="municipality boundary file (shapefile, "
                                           "GeoPackage, GeoJSON), e.g. VG250_GEM.shp"),
    key_field: str = typer.Option("AGS", "--key-field", help="column with the 8-digit AGS"),
    name_field: str = typer.Option("GEN", "--name-field", help="column with the municipality name"),
    layer: str | None = typer.Option(None, "--layer", help="layer in a GeoPackage"),
    crs: str | None = typer.Option(None, "--crs", help="CRS of a boundary file that names none"),
    municipality: list[str] | None = typer.Option(None, "--municipality", help="only this AGS (repeatable): a "
                                                  "smaller region, e.g. for a quick first run"),
    name: str | None = typer.Option(None, "--name", help="region name, e.g. \"Landkreis Nordsachsen\""),
    region_id: str | None = typer.Option(None, "--id", help="region id (folder name); default lk-<county key>"),
    seed: int | None = typer.Option(None, "--seed", help="seed of the stand-ins; default the county key"),
) -> None:
    """Write a new region folder (region.toml, data/) with stand-ins for every layer not yet real."""
    settings = settings_from()
    template = settings.template_region
    if boundaries is None and county is None:
        raise ConfigError("give --county KEY (shipped VG5000 of Saxony) or --boundaries FILE (any county).")
    if boundaries is None:
        source = template.parent / SHIPPED_BOUNDARIES[0]
        frame = boundaries_from_file(source, "AGS", "GEN", layer=SHIPPED_BOUNDARIES[1])
        what = f"VG5000 ({source.name})"
    else:
        frame = boundaries_from_file(boundaries, key_field, name_field, layer=layer, crs=crs)
        what = str(boundaries)
    munis = select_municipalities(frame, county, municipality, what)
    key = county or str(munis["ags"].iloc[0])[:5]
    created = create_region(munis, region_id or f"lk-{key}", name or f"Kreis {key}", settings.regions_dir,
                            template, seed if seed is not None else int(key))
    console.print(f"region written: {created.region_file} ({created.municipalities} municipalities)")
    if created.statistics_default:
        console.print(f"[yellow]statistics:[/] {created.statistics_real} real, {created.statistics_default} "
                      "area-driven defaults (shares of Landkreis Leipzig, labelled synthetic); replace them with "
                      "a real table (Regionalstatistik) via `potenzial data fetch` or region.local.toml")
    if created.dropped_layers:
        console.print(f"not taken from {template.parent.name} (its county only): {', '.join(created.dropped_layers)}")


@region_app.command("synth")
@one_line_errors
def synth(
    scale: int = typer.Option(4, "--scale", help="copies of Landkreis Leipzig side by side (1, 4, 16, …)"),
    region_id: str | None = typer.Option(None, "--id", help="region id (folder name); default synth-<scale>x"),
    seed: int = typer.Option(99, "--seed", help="seed of the stand-ins"),
) -> None:
    """Write a synthetic region of SCALE copies of the county (new keys, stand-ins, labelled synthetic)
    for scaling measurements."""
    settings = settings_from()
    template = settings.template_region
    source = template.parent / SHIPPED_BOUNDARIES[0]
    frame = boundaries_from_file(source, "AGS", "GEN", layer=SHIPPED_BOUNDARIES[1])
    county = select_municipalities(frame, "14729", None, f"VG5000 ({source.name})")
    ghi = template_ghi_points(template)
    created = create_synthetic_region(county, ghi, scale, region_id or f"synth-{scale}x", settings.regions_dir,
                                      template, seed)
    console.print(f"synthetic region written: {created.region_file} ({created.municipalities} municipalities, "
                  f"{scale} × Landkreis Leipzig)")

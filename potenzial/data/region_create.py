"""Make a new region folder from municipality boundaries: region.toml, data/, stand-ins for the rest.

The new region takes from the template region (``lk-leipzig``) every synthetic stand-in entry
(generated for the new municipalities at the first run) and the reference tables that are not
tied to one county (irradiation grid, orientation factors, the state's livestock). Statistics
come from the template's table where it has rows for the new municipalities (real), otherwise
they are area-driven defaults (:mod:`potenzial.data.statistics_defaults`, labelled synthetic).
Layers that hold one county's data only (the UFZ plants of 2015) are kept only for that county.

Everything is written into a temporary folder and renamed into place, so a failed create leaves
no half-made region; an existing region is never overwritten.
"""

from __future__ import annotations

import re
import shutil
import tomllib
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely

from potenzial.crs import ANALYSIS_CRS
from potenzial.data.statistics_defaults import area_driven_statistics
from potenzial.data.toml_text import dumps
from potenzial.errors import ConfigError, InputDataError

#: reference layers copied into a new region when they cover it (not tied to one county)
SHARED_LAYERS = ("ghi", "ghi_monthly_series", "solar_orientation_factors", "livestock_state")
#: layers of the template that hold the template county's data only
COUNTY_ONLY_LAYERS = ("plants_wind_2015", "plants_pv_open_field_2015", "plants_bioenergy_2015", "plants_hydro_2015")
#: the irradiation grid must reach this far beyond the region's box [m] (cells are 0.2°, ≈ 14 × 22 km)
GHI_MARGIN_M = 15_000.0
_REGION_ID = re.compile(r"^[a-z0-9][a-z0-9-]{1,40}$")


@dataclass(frozen=True)
class CreatedRegion:
    """What ``create_region`` wrote."""

    region_file: Path
    municipalities: int
    statistics_real: int       #: municipalities with a real statistics row
    statistics_default: int    #: municipalities with area-driven defaults
    dropped_layers: tuple[str, ...]


def boundaries_from_file(path: Path, key_field: str, name_field: str, layer: str | None = None,
                         crs: str | None = None) -> gpd.GeoDataFrame:
    """Municipality polygons from any vector file: ``ags``, ``name``, geometry in EPSG:25833.

    A file without CRS needs ``crs``; degrees, metres and keys are checked."""
    import pyogrio

    if not path.exists():
        raise InputDataError(f"boundaries {path}: file not found. Give a shapefile, GeoPackage or GeoJSON.")
    try:
        frame = pyogrio.read_dataframe(path, layer=layer)
    except Exception as exc:
        raise InputDataError(f"boundaries {path}: cannot be read as a vector file ({str(exc)[:160]}).") from None
    if frame.crs is None:
        if not crs:
            raise InputDataError(f"boundaries {path}: the file has no CRS (a shapefile without .prj?). Pass --crs "
                                 "EPSG:25832 (VG250) / EPSG:25833 / EPSG:4326, or add the .prj.")
        frame = frame.set_crs(crs)
    for column in (key_field, name_field):
        if column not in frame.columns:
            have = ", ".join(c for c in frame.columns if c != "geometry")
            raise InputDataError(f"boundaries {path}: no column {column!r} (it has: {have}). Pass --key-field / "
                                 "--name-field.")
    out = gpd.GeoDataFrame({"ags": frame[key_field].astype(str).str.strip(),
                            "name": frame[name_field].astype(str),
                            "bez": frame["BEZ"].astype(str) if "BEZ" in frame.columns else ""},
                           geometry=frame.geometry.to_numpy(), crs=frame.crs)
    return out.to_crs(ANALYSIS_CRS)


def select_municipalities(frame: gpd.GeoDataFrame, county: str | None, only: list[str] | None,
                          what: str) -> gpd.GeoDataFrame:
    """The municipalities of ``county`` (5-digit key prefix), optionally only the AGS in ``only``."""
    picked = frame
    if county:
        if not re.fullmatch(r"\d{5}", county):
            raise ConfigError(f"county key {county!r}: give the 5-digit Kreisschlüssel, e.g. 14729 (Landkreis "
                              "Leipzig) or 14730 (Nordsachsen).")
        picked = picked[picked["ags"].str.startswith(county)]
        if picked.empty:
            raise InputDataError(f"{what}: no municipality with a key starting {county}. The shipped VG5000 holds "
                                 "Saxony (14…) only; for another state pass --boundaries (e.g. VG250_GEM.shp).")
    if only:
        unknown = sorted(set(only) - set(picked["ags"]))
        if unknown:
            raise InputDataError(f"{what}: municipality key(s) {', '.join(unknown)} are not in the selection.")
        picked = picked[picked["ags"].isin(only)]
    if picked.empty:
        raise InputDataError(f"{what}: no municipalities selected.")
    bad = picked[~picked["ags"].str.fullmatch(r"\d{8}")]
    if len(bad):
        raise InputDataError(f"{what}: keys {', '.join(bad['ags'].head(3))} are not 8-digit AGS. Pick the AGS "
                             "column with --key-field.")
    # one feature per municipality (VG data split exclaves and islands into parts)
    parts = picked.dissolve(by="ags", aggfunc="first", as_index=False).sort_values("ags").reset_index(drop=True)
    return parts[["ags", "name", "bez", "geometry"]]


def create_region(municipalities: gpd.GeoDataFrame, region_id: str, name: str, regions_dir: Path,
                  template_file: Path, seed: int, *, own_layers: Mapping[str, tuple[gpd.GeoDataFrame, dict]] | None = None,
                  entry_updates: Mapping[str, dict] | None = None) -> CreatedRegion:
    """Write ``regions_dir/region_id/`` for ``municipalities`` (``ags``, ``name``, ``bez``; EPSG:25833).

    ``own_layers`` maps a shared layer id to (its frame, updates of the template entry): written into
    the region instead of the template's file (e.g. a tiled irradiation grid); ``entry_updates`` are
    merged into the written entries (e.g. provenance)."""
    own_layers = own_layers or {}
    if not _REGION_ID.match(region_id):
        raise ConfigError(f"region id {region_id!r}: use 2–41 lower-case letters, digits and '-' (e.g. lk-nordsachsen).")
    target = regions_dir / region_id
    if target.exists():
        raise ConfigError(f"region {region_id!r} exists already ({target}). Choose another --id or remove it first.")
    template = _read(template_file)
    t_layers: dict[str, dict] = template.get("layers", {})
    t_head = template["region"]
    prefix = _common_prefix(municipalities["ags"])

    tmp = regions_dir / f".{region_id}.{uuid.uuid4().hex[:8]}.partial"
    (tmp / "data").mkdir(parents=True)
    try:
        munis = municipalities.copy()
        munis["geometry"] = shapely.make_valid(munis.geometry.to_numpy())
        munis.to_file(tmp / "data" / "gemeinden.gpkg", layer="gemeinden", driver="GPKG")
        county = gpd.GeoDataFrame({"ags": [prefix], "name": [name]},
                                  geometry=[shapely.union_all(munis.geometry.to_numpy())], crs=ANALYSIS_CRS)
        county.to_file(tmp / "data" / "gemeinden.gpkg", layer="kreis", driver="GPKG")

        stats_real, stats_default, stats_entry = _statistics(munis, t_layers, template_file, tmp / "data")
        layers: dict[str, dict] = {
            "municipalities": _vector_entry(t_layers["municipalities"], "gemeinden", name),
            "county": {**_vector_entry(t_layers["county"], "kreis", name),
                       "title": f"{name} (Umring der Gemeinden)"},
            "statistics": stats_entry,
        }
        bounds = tuple(munis.total_bounds)
        for lid, (frame, updates) in own_layers.items():
            frame.to_file(tmp / "data" / f"{lid}.gpkg", layer=lid, driver="GPKG")
            layers[lid] = {**t_layers[lid], **updates, "source": f"data/{lid}.gpkg", "layer": lid}
        for lid in SHARED_LAYERS:
            if lid in t_layers and lid not in layers:
                layers[lid] = _copied_entry(lid, t_layers[lid], template_file, tmp / "data", bounds)
        dropped = []
        for lid, entry in t_layers.items():
            if lid in layers:
                continue
            if entry.get("generator") and entry.get("provenance") == "synthetic":
                layers[lid] = dict(entry)
            elif lid in COUNTY_ONLY_LAYERS and prefix.startswith(str(t_head.get("ags_prefix", "-"))):
                layers[lid] = _copied_entry(lid, entry, template_file, tmp / "data", None)
            else:
                dropped.append(lid)
        for lid, updates in (entry_updates or {}).items():
            layers[lid] = {**layers[lid], **updates}
        head = {"id": region_id, "name": name, "ags_prefix": prefix, "crs": "EPSG:25833",
                "municipalities": "municipalities", "statistics": "statistics", "seed": seed}
        missing = (f"\nMissing in the shipped data for {stats_default} of {len(munis)} municipalities: the municipal "
                   "statistics (Regionalstatistik: land use, buildings, population)\nand the installed capacity (MaStR "
                   "sums). Area-driven defaults from Landkreis Leipzig stand in (labelled synthetic);\ninstalled "
                   "capacity is left empty. Bring a real table as [layers.statistics] in region.local.toml."
                   if stats_default else "")
        header = (f"Region: {name} ({len(munis)} municipalities, keys {prefix}…), made by `potenzial region create`.\n"
                  "Stand-ins are generated at the first run; `potenzial data fetch --region "
                  f"{region_id}` replaces them\nwith real files (region.local.toml). Not taken from the template "
                  f"(one county's data only): {', '.join(dropped) or 'none'}.{missing}")
        (tmp / "region.toml").write_text(dumps({"region": head, "layers": layers}, header), encoding="utf-8")
        tmp.rename(target)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return CreatedRegion(target / "region.toml", len(munis), stats_real, stats_default, tuple(dropped))


def _read(path: Path) -> dict:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"template region {path}: cannot be read ({exc}).") from None


def _common_prefix(keys: pd.Series) -> str:
    values = [str(k) for k in keys]
    prefix = values[0]
    for value in values[1:]:
        while not value.startswith(prefix):
            prefix = prefix[:-1]
    return prefix[:5] if len(prefix) >= 5 else prefix


def _vector_entry(template: dict, layer: str, name: str) -> dict:
    entry = {k: v for k, v in template.items() if k not in ("source", "layer", "fields", "title")}
    entry.update({"title": f"Gemeinden: {name} (BKG-Verwaltungsgrenzen)", "source": "data/gemeinden.gpkg",
                  "layer": layer, "crs": "EPSG:25833"})
    if "columns" in entry:
        entry["columns"] = [c for c in entry["columns"] if c in ("ags", "name", "bez")]
    return entry


def _statistics(munis: gpd.GeoDataFrame, t_layers: dict, template_file: Path, data: Path) -> tuple[int, int, dict]:
    source = template_file.parent / t_layers["statistics"]["source"]
    table = pd.read_csv(source, dtype={"ags": str})
    real = table[table["ags"].isin(munis["ags"])]
    missing = munis[~munis["ags"].isin(real["ags"])]
    county_rows = table[table["ags"].str.endswith("000") & (table["ags"].str.len() == 8)]
    if county_rows.empty:
        raise InputDataError(f"{source}: no county row (AGS ending 000) to take the area-driven defaults from.")
    defaults = area_driven_statistics(missing, county_rows.iloc[0]) if len(missing) else pd.DataFrame()
    rows = pd.concat([real.assign(basis="real: " + source.name), defaults], ignore_index=True)
    rows = rows.sort_values("ags").reset_index(drop=True)
    rows.to_csv(data / "statistik.csv", index=False)
    entry = dict(t_layers["statistics"])
    entry["source"] = "data/statistik.csv"
    if len(missing):
        ref = str(county_rows.iloc[0]["ags"])
        entry.update({
            "title": (f"Gemeindestatistik: {len(real)} real, {len(missing)} aus Flächenanteilen des Kreises {ref} "
                      "(synthetisch)"),
            "title_en": (f"Municipal statistics: {len(real)} real, {len(missing)} from the area shares of county "
                         f"{ref} (synthetic)"),
            "provenance": "synthetic",
            "basis": "column basis per row; area-driven defaults: potenzial/data/statistics_defaults.py",
        })
        if not len(real):
            entry["licence"] = "CC0-1.0 (synthetic demo data)"
            entry["attribution"] = ("Synthetic: area shares of Landkreis Leipzig (" + str(entry.get("attribution"))
                                    + ") applied to the municipality areas")
    return len(real), len(missing), entry


def _copied_entry(lid: str, template: dict, template_file: Path, data: Path,
                  region_bounds: tuple[float, ...] | None) -> dict:
    source = template_file.parent / template["source"]
    if region_bounds is not None and template.get("kind") == "vector":
        _require_cover(lid, source, template.get("layer"), region_bounds)
    shutil.copy2(source, data / source.name)
    return {**template, "source": f"data/{source.name}"}


def _require_cover(lid: str, source: Path, layer: str | None, bounds: tuple[float, ...]) -> None:
    import pyogrio

    xmin, ymin, xmax, ymax = pyogrio.read_info(source, layer=layer, force_total_bounds=True)["total_bounds"]
    m = GHI_MARGIN_M
    if bounds[0] < xmin - m or bounds[1] < ymin - m or bounds[2] > xmax + m or bounds[3] > ymax + m:
        raise InputDataError(f"layer {lid!r} ({source.name}) does not cover the new region (its box "
                             f"{xmin:.0f}–{xmax:.0f} / {ymin:.0f}–{ymax:.0f} m, the region's {bounds[0]:.0f}–"
                             f"{bounds[2]:.0f} / {bounds[1]:.0f}–{bounds[3]:.0f} m, EPSG:25833). Bring an "
                             "irradiation grid for it (potenzial data fetch, or a [layers.ghi] entry).")

"""Synthetic regions of a chosen size for scaling measurements: copies of a county side by side.

``scale`` copies of the template county's municipalities (Landkreis Leipzig from the shipped
VG5000) are laid out row by row on a square grid, each shifted by whole multiples of the county's
bounding box, so that no two copies overlap. Every copy gets new keys, ``99`` + the 3-digit copy
number + the municipality's own 3 digits (``99`` is no German Land, so a synthetic key never
collides with a real one), and its name with the copy number. The irradiation grid is tiled the
same way (each copy sees the county's irradiation); statistics are the area-driven defaults of
:mod:`potenzial.data.statistics_defaults`; every other layer is a seeded stand-in, generated at the
first run. Boundaries, statistics and the irradiation grid are labelled synthetic.

A 1× region is the county under new keys with the same treatment, so 1×, 4× and 16× differ in
size only.
"""

from __future__ import annotations

import math
import tomllib
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from potenzial.crs import ANALYSIS_CRS
from potenzial.data.region_create import GHI_MARGIN_M, CreatedRegion, create_region
from potenzial.errors import ConfigError

#: the largest scale offered (64 copies of the county: ≈ 1.6 × the area of Saxony)
MAX_SCALE = 64
SYNTHETIC_LAND = "99"


def synthetic_key(copy: int, ags: str) -> str:
    """The key of municipality ``ags`` in copy ``copy`` (0-based): ``99`` + copy (3 digits) + its last 3."""
    return f"{SYNTHETIC_LAND}{copy:03d}{str(ags)[-3:]}"


def copy_offsets(scale: int, width_m: float, height_m: float) -> list[tuple[float, float]]:
    """(dx, dy) [m] of each copy: row by row from the original eastwards, then northwards, on a square
    grid of ``ceil(sqrt(scale))`` columns."""
    if not 1 <= scale <= MAX_SCALE:
        raise ConfigError(f"scale {scale}: give a number of county copies from 1 to {MAX_SCALE} (e.g. 1, 4, 16).")
    columns = math.ceil(math.sqrt(scale))
    return [((k % columns) * width_m, (k // columns) * height_m) for k in range(scale)]


def tile_frame(frame: gpd.GeoDataFrame, offsets: list[tuple[float, float]]) -> list[gpd.GeoDataFrame]:
    """One shifted copy of ``frame`` per offset."""
    geoms = frame.geometry.to_numpy()
    copies = []
    for dx, dy in offsets:
        moved = frame.copy()
        moved["geometry"] = _translated(geoms, dx, dy)
        copies.append(moved)
    return copies


def _translated(geoms: np.ndarray, dx: float, dy: float) -> np.ndarray:
    shift = np.array([dx, dy])

    def move(xy: np.ndarray) -> np.ndarray:
        return xy + shift

    return shapely.transform(geoms, move)


def tiled_municipalities(municipalities: gpd.GeoDataFrame, scale: int) -> gpd.GeoDataFrame:
    """``scale`` copies of ``municipalities`` (``ags``, ``name``, ``bez``; EPSG:25833) with new keys and names."""
    xmin, ymin, xmax, ymax = municipalities.total_bounds
    offsets = copy_offsets(scale, xmax - xmin, ymax - ymin)
    parts = []
    for k, moved in enumerate(tile_frame(municipalities, offsets)):
        moved["ags"] = [synthetic_key(k, a) for a in moved["ags"]]
        moved["name"] = [f"{n} · {k + 1}" for n in moved["name"]]
        parts.append(moved)
    out = pd.concat(parts, ignore_index=True)
    return gpd.GeoDataFrame(out, geometry="geometry", crs=municipalities.crs)


def tiled_ghi(points: gpd.GeoDataFrame, municipalities: gpd.GeoDataFrame, scale: int) -> gpd.GeoDataFrame:
    """The irradiation points around the county (its box plus the cover margin), one shifted copy per
    county copy; ids get the copy number, ``lat``/``lon`` stay the county's (the same sun)."""
    xmin, ymin, xmax, ymax = municipalities.total_bounds
    m = GHI_MARGIN_M + 1.0
    near = points[points.intersects(shapely.box(xmin - m, ymin - m, xmax + m, ymax + m))]
    parts = []
    for k, moved in enumerate(tile_frame(near, copy_offsets(scale, xmax - xmin, ymax - ymin))):
        moved["id"] = [f"{i}#{k + 1}" for i in moved["id"]]
        parts.append(moved)
    return gpd.GeoDataFrame(pd.concat(parts, ignore_index=True), geometry="geometry", crs=points.crs)


def template_ghi_points(template_file: Path) -> gpd.GeoDataFrame:
    """The irradiation points of the template region (its ``ghi`` entry)."""
    import pyogrio

    with template_file.open("rb") as fh:
        entry = tomllib.load(fh)["layers"]["ghi"]
    frame = pyogrio.read_dataframe(template_file.parent / entry["source"], layer=entry.get("layer"))
    frame = frame if frame.geometry.name == "geometry" else frame.rename_geometry("geometry")
    return frame.to_crs(ANALYSIS_CRS)


def create_synthetic_region(municipalities: gpd.GeoDataFrame, ghi_points: gpd.GeoDataFrame, scale: int,
                            region_id: str, regions_dir: Path, template_file: Path, seed: int,
                            county_name: str = "Landkreis Leipzig") -> CreatedRegion:
    """Write the region ``region_id`` of ``scale`` copies of ``municipalities`` (the template county)."""
    munis = tiled_municipalities(municipalities, scale)
    ghi = tiled_ghi(ghi_points, municipalities, scale)
    name = f"Synthetische Region: {scale} × {county_name}"
    own = {"ghi": (ghi, {"provenance": "synthetic",
                         "title": f"Globalstrahlung: CM-SAF-Punkte um {county_name}, {scale}-mal verschoben "
                                  "(synthetisch)",
                         "attribution": "Synthetic: tiled copy of the CM SAF / IWU irradiation grid (IWU – Institut "
                                        "Wohnen und Umwelt; DWD and EUMETSAT CM SAF)"})}
    updates = {lid: {"provenance": "synthetic",
                     "title": f"{title}: {scale} Kopien von {county_name} nebeneinander (synthetisch)",
                     "attribution": f"Synthetic: tiled copies of {county_name} (© GeoBasis-DE / BKG 2021, "
                                    "Daten verändert: verschoben, neue Schlüssel)"}
               for lid, title in (("municipalities", "Gemeinden"), ("county", "Umring"))}
    return create_region(munis, region_id, name, regions_dir, template_file, seed, own_layers=own,
                         entry_updates=updates)


__all__ = ["MAX_SCALE", "copy_offsets", "create_synthetic_region", "synthetic_key", "template_ghi_points", "tiled_ghi",
           "tiled_municipalities"]

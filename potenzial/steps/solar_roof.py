"""Step `solar_roof`: roof planes of every building, their capacity and yield, sums per municipality.

Inputs: the ``buildings`` layer (footprints with ``building_id`` and ``use``), the ``ghi``
irradiation layer, the statistics (installed PV, MaStR 2024), the open-field PV plants named by
``[pv_ground] installed_layer`` (to take the solar parks out of the installed PV that the roofs are
compared with) and, when the catalog has them, LoD2 roof surfaces and a surface model:

- ``lod2 = "path/to/citygml"`` (a file or a folder of CityGML 1.0/2.0 files, relative to the region
  file; optional ``lod2_crs`` when the files name none) in the ``[layers.buildings]`` entry;
- a raster layer with id ``dsm`` (a DSM in EPSG:25833) in the catalog;
- a raster layer ``terrain`` (a DEM): ground heights for the shading by neighbouring buildings and
  the terrain horizon (planes not covered by a DSM);
- a vector layer ``listed_buildings`` (Kulturdenkmale): their roofs are flagged and, with
  ``exclude_listed_buildings``, not counted.

A LoD2 plane belongs to the footprint that contains its representative point.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from potenzial.crs import ANALYSIS_CRS, crs_name, require_crs
from potenzial.errors import CRSError
from potenzial.ground_pv_installed import installed_per_municipality
from potenzial.installed_pv import BASIS_TEXT, installed_pv
from potenzial.irradiation import (
    GHI_COLUMNS,
    IrradiationParams,
    cells_from_points,
    irradiation_params,
    typical_days,
)
from potenzial.solar_roof import (
    BuildingReport,
    RoofParams,
    assess_planes,
    assign_municipality,
    choose_planes,
    clean_buildings,
    municipality_sums,
    roof_params,
)
from potenzial.solar_roof.dsm import dsm_planes, shade_planes
from potenzial.solar_roof.listed import listed_ids, mark_listed
from potenzial.solar_roof.shading import shade_by_neighbours
from potenzial.sources.citygml import read_citygml_roofs
from potenzial.sources.dsm import SurfaceModel, read_dsm
from potenzial.sources.footprints import alkis_use
from potenzial.steps import Step
from potenzial.steps.context import StepContext
from potenzial.yield_lookups import LOOKUP_FOLDER, cached_lookup

CELL_MARGIN_M = 25_000.0  #: irradiation cells kept around the buildings (> one 0.2° cell spacing)
DSM_LAYER = "dsm"
GROUND_PLANTS_LAYER = "plants_pv_open_field_2015"  #: default of [pv_ground] installed_layer
GROUND_PLANTS_POWER_COLUMN = "Power_kW"  #: default of [pv_ground] installed_power_column [kW]
LISTED_LAYER = "listed_buildings"  #: Kulturdenkmale (points or outlines), optional
TERRAIN_LAYER = "terrain"  #: a DEM (ground heights) for the terrain horizon and the buildings' ground


def check(ctx: StepContext) -> tuple[RoofParams, IrradiationParams]:
    """The [solar_roof] and [irradiation] parameters."""
    return roof_params(ctx.section("solar_roof")), irradiation_params(ctx.section("irradiation"))


def run(ctx: StepContext, prepared: tuple[RoofParams, IrradiationParams]) -> dict[str, pd.DataFrame]:
    params, irr = prepared
    report = BuildingReport()
    entry = ctx.region.layer("buildings")

    buildings = clean_buildings(ctx.vector("buildings"), report, what=f"layer 'buildings' ({entry.path.name})")
    if "use" not in buildings.columns and "function" in buildings.columns:
        buildings["use"] = [alkis_use(v) for v in buildings["function"]]
    buildings = assign_municipality(buildings, ctx.municipalities, report)
    ctx.progress(f"{len(buildings)} buildings")

    lod2 = _lod2_planes(ctx, entry, buildings, report)
    surface = None
    dsm = None
    if DSM_LAYER in ctx.region.layers:
        dsm_entry, _ = ctx.raster(DSM_LAYER)
        # the window reaches as far around the buildings as the horizon looks
        xmin, ymin, xmax, ymax = buildings.total_bounds
        margin = params.horizon_max_distance_m
        surface = read_dsm(dsm_entry.path, bounds=(xmin - margin, ymin - margin, xmax + margin, ymax + margin),
                           crs=dsm_entry.crs)
        rest = buildings if lod2 is None else buildings[~buildings["building_id"].isin(lod2["building_id"])]
        dsm = dsm_planes(rest, surface, params)
        ctx.progress(f"{dsm['building_id'].nunique()} buildings with planes from the surface model")

    planes = choose_planes(buildings, params, lod2=lod2, dsm=dsm)
    for method in ("lod2", "dsm", "footprint_gable", "footprint_flat"):
        report.add(f"planes_{method}", int((planes["method"] == method).sum()))

    cells = _cells_near(cells_from_points(ctx.vector("ghi")), buildings)
    ctx.progress(f"yield lookup for {len(cells)} irradiation cells")
    lookup = cached_lookup(cells, irr, ctx.raster_dir.parent / LOOKUP_FOLDER)
    centre = cells.iloc[int(np.argmin(np.hypot(cells["x"] - np.mean(buildings.total_bounds[[0, 2]]),
                                               cells["y"] - np.mean(buildings.total_bounds[[1, 3]]))))]
    days = typical_days(centre["lat"], centre["lon"], centre[list(GHI_COLUMNS)].to_numpy(dtype=float), irr)
    by_dsm = np.zeros(len(planes), dtype=bool)
    if surface is not None:
        planes = shade_planes(planes, surface, days, params, irr.albedo)
        where = planes.geometry.representative_point()
        by_dsm = np.isfinite(surface.sample(where.x.to_numpy(), where.y.to_numpy()))
    if params.shading_from_neighbours and (~by_dsm).any():
        terrain = _terrain(ctx)
        rest = planes.loc[~by_dsm]
        shaded = shade_by_neighbours(rest, buildings, days, params, irr.albedo, terrain=terrain)
        planes.loc[~by_dsm, "shading_factor"] = shaded["shading_factor"].to_numpy()
        ctx.progress(f"{len(rest)} planes shaded by neighbouring buildings"
                     + (" and the terrain" if terrain is not None else ""))
    report.add("planes_shaded_by_surface_model", int(by_dsm.sum()), "horizon from the surface model (DSM)")
    report.add("planes_shaded_by_neighbours", int((~by_dsm).sum()) if params.shading_from_neighbours else 0,
               "horizon from neighbouring buildings (heights) and the terrain")

    listed = set()
    if LISTED_LAYER in ctx.region.layers:
        listed = listed_ids(buildings, ctx.vector(LISTED_LAYER))
    planes["listed"] = mark_listed(planes, listed)
    report.add("buildings_listed", len(listed),
               "roofs not counted (exclude_listed_buildings)" if params.exclude_listed_buildings
               else "roofs counted, flagged in column listed")

    ags_of_building = buildings.set_index("building_id")["ags"]
    roof = assess_planes(planes, ags_of_building, lookup, params)
    report.add("buildings_assessed", int(roof["building_id"].nunique()))
    report.add("planes", len(roof))
    report.add("planes_below_minimum_area", int(((roof["usable_area_m2"] == 0)
                                                  & (roof["suitability"] != "unsuitable")).sum()),
               "module area under the minimum: usable area set to zero")
    report.add("planes_unsuitable", int((roof["suitability"] == "unsuitable").sum()),
               "counted with zero usable area" if not params.count_unsuitable else "counted")

    installed, basis = installed_pv(ctx.statistics, _ufz_ground_mw(ctx))
    in_region = installed.index.isin(ctx.municipalities["ags"].astype(str))
    report.add("installed_pv_split", int(in_region.sum()), BASIS_TEXT[basis][1])
    sums = municipality_sums(roof, ctx.municipalities, installed["roof_installed_mw"])
    return {"solar_roof": roof, "solar_roof_municipalities": sums, "solar_roof_report": report.frame()}


def _lod2_planes(ctx: StepContext, entry, buildings: gpd.GeoDataFrame, report: BuildingReport):
    source = entry.extra.get("lod2")
    if not source:
        return None
    path = Path(str(source))
    if not path.is_absolute():
        path = ctx.region.root / path
    planes, _, info = read_citygml_roofs(path, crs=entry.extra.get("lod2_crs"))
    report.add("lod2_buildings_read", info.buildings)
    report.add("lod2_roof_surfaces", info.roof_surfaces)
    report.add("lod2_buildings_without_roof_surfaces", info.buildings_without_roof,
               "these buildings fall back to the surface model or the footprint heuristic")
    if info.roof_surfaces == 0:
        ctx.progress(f"CityGML {path.name}: no roof surfaces; falling back to the next method")
        return None
    where = gpd.GeoDataFrame({"_row": np.arange(len(planes))}, geometry=planes.geometry.representative_point(),
                             crs=ANALYSIS_CRS)
    joined = gpd.sjoin(where, buildings[["building_id", "geometry"]], predicate="within", how="inner")
    joined = joined.drop_duplicates("_row")
    matched = planes.iloc[joined["_row"].to_numpy()].copy()
    matched["building_id"] = joined["building_id"].to_numpy()
    report.add("lod2_planes_without_footprint", len(planes) - len(matched),
               "LoD2 roof surfaces whose representative point lies in no footprint")
    return matched


def _terrain(ctx: StepContext) -> SurfaceModel | None:
    """The DEM of the catalog (layer ``terrain``) as ground heights [m], or None without one."""
    if TERRAIN_LAYER not in ctx.region.layers:
        return None
    band = ctx.raster_band(TERRAIN_LAYER)
    require_crs(band.crs, ANALYSIS_CRS, f"layer {TERRAIN_LAYER!r}", "roof shading")
    heights = band.values.astype(float)
    if band.nodata is not None:
        heights[heights == band.nodata] = np.nan
    if band.transform.b != 0 or band.transform.d != 0 or band.transform.e > 0:
        raise CRSError(f"layer {TERRAIN_LAYER!r} ({crs_name(band.crs)}): the grid is rotated or south-up. "
                       "Warp it to a north-up grid with gdalwarp.")
    return SurfaceModel(heights, band.transform, band.crs)


def _cells_near(cells: pd.DataFrame, buildings: gpd.GeoDataFrame) -> pd.DataFrame:
    xmin, ymin, xmax, ymax = buildings.total_bounds if len(buildings) else (0, 0, 0, 0)
    near = cells[(cells["x"] >= xmin - CELL_MARGIN_M) & (cells["x"] <= xmax + CELL_MARGIN_M)
                 & (cells["y"] >= ymin - CELL_MARGIN_M) & (cells["y"] <= ymax + CELL_MARGIN_M)]
    return near if len(near) else cells


def _ufz_ground_mw(ctx: StepContext) -> pd.Series | None:
    """Open-field PV of the plant list named by ``[pv_ground] installed_layer`` per AGS [MW] (None
    when the catalog has no such layer)."""
    section = ctx.params.values.get("pv_ground", {})
    layer = str(section.get("installed_layer", GROUND_PLANTS_LAYER))
    if layer not in ctx.region.layers:
        return None
    column = str(section.get("installed_power_column", GROUND_PLANTS_POWER_COLUMN))
    found = installed_per_municipality(ctx.vector(layer), ctx.municipalities, column)
    return pd.Series(found["mwp"].to_numpy(dtype=float), index=found["ags"].astype(str).to_numpy())


STEP: Step[tuple[RoofParams, IrradiationParams]] = Step(
    name="solar_roof", order=10, produces=("solar_roof", "solar_roof_municipalities", "solar_roof_report"),
    check=check, run=run, title="solar on roofs")

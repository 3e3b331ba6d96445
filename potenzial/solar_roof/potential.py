"""Capacity, yield and suitability per roof plane, and the sums per municipality. Pure calculation."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd

from potenzial.crs import ANALYSIS_CRS
from potenzial.irradiation import YieldLookup
from potenzial.solar_roof.params import RoofParams
from potenzial.solar_roof.planes import BuildingReport
from potenzial.units import KW_PER_MW, KWH_PER_GWH

PLANE_OUTPUT = ("building_id", "plane_no", "ags", "method", "tilt_deg", "azimuth_deg", "plane_area_m2",
                "usable_area_m2", "capacity_kwp", "yield_kwh_per_a", "specific_yield_kwh_per_kwp",
                "relative_irradiation", "shading_factor", "suitability", "listed")
MUNICIPALITY_OUTPUT = ("ags", "roof_buildings", "roof_suitable_buildings", "roof_capacity_mwp",
                       "roof_yield_gwh_per_a", "roof_installed_mw", "roof_remaining_mwp",
                       "roof_listed_buildings")


def assign_municipality(buildings: gpd.GeoDataFrame, municipalities: gpd.GeoDataFrame,
                        report: BuildingReport) -> gpd.GeoDataFrame:
    """``buildings`` with the ``ags`` of the municipality their representative point lies in (the
    rule of the base figures); buildings outside every municipality are dropped and counted."""
    points = gpd.GeoDataFrame({"_row": np.arange(len(buildings))},
                              geometry=buildings.geometry.representative_point().to_numpy(), crs=ANALYSIS_CRS)
    joined = gpd.sjoin(points, municipalities[["ags", "geometry"]], predicate="within", how="inner")
    joined = joined.drop_duplicates("_row")
    out = buildings.iloc[joined["_row"].to_numpy()].copy()
    out["ags"] = joined["ags"].astype(str).to_numpy()
    report.add("buildings_outside_region_skipped", len(buildings) - len(out),
               "representative point in no municipality")
    return out


def suitability_class(relative: np.ndarray, params: RoofParams) -> np.ndarray:
    """``very_good`` | ``good`` | ``suitable`` | ``unsuitable`` from the irradiation relative to the
    best orientation at the same place (thresholds are parameters)."""
    relative = np.asarray(relative, dtype=float)
    return np.select(
        [relative >= params.very_good_min_relative, relative >= params.good_min_relative,
         relative >= params.suitable_min_relative],
        ["very_good", "good", "suitable"], default="unsuitable").astype(object)


def assess_planes(planes: gpd.GeoDataFrame, ags_of_building: pd.Series, lookup: YieldLookup,
                  params: RoofParams) -> gpd.GeoDataFrame:
    """One output row per plane: usable area, capacity, yield, specific yield and class.

    Flat planes (tilt ≤ ``flat_max_tilt_deg``) carry modules at ``flat_module_tilt_deg`` facing
    ``flat_module_azimuth_deg`` on the flat-roof share of their area; pitched planes carry modules
    flush on the pitched share. A plane whose module area is under the minimum, (unless
    ``count_unsuitable``) whose class is unsuitable, or (with ``exclude_listed_buildings``) whose
    building is listed (column ``listed``, False when absent) gets a usable area of zero.
    ``capacity_kwp = usable_area_m2 × module_power_density_kwp_per_m2`` and
    ``yield_kwh_per_a = capacity_kwp × specific_yield_kwh_per_kwp`` exactly.
    """
    n = len(planes)
    tilt = planes["tilt_deg"].to_numpy(dtype=float)
    azimuth = planes["azimuth_deg"].to_numpy(dtype=float)
    flat = tilt <= params.flat_max_tilt_deg
    module_tilt = np.where(flat, params.flat_module_tilt_deg, tilt)
    module_azimuth = np.where(flat, params.flat_module_azimuth_deg, azimuth)
    where = planes.geometry.representative_point()
    values = lookup.interpolate(where.x.to_numpy(), where.y.to_numpy(), module_tilt, module_azimuth)
    shading = planes["shading_factor"].to_numpy(dtype=float) if "shading_factor" in planes else np.ones(n)
    specific = values["specific_yield_kwh_per_kwp"].to_numpy() * shading
    relative = values["relative_irradiation"].to_numpy() * shading
    suitability = suitability_class(relative, params)

    area = planes["plane_area_m2"].to_numpy(dtype=float)
    usable = area * np.where(flat, params.usable_share_flat, params.usable_share_pitched)
    minimum = np.where(flat, params.min_module_area_flat_m2, params.min_module_area_pitched_m2)
    usable = np.where(usable < minimum, 0.0, usable)
    if not params.count_unsuitable:
        usable = np.where(suitability == "unsuitable", 0.0, usable)
    listed = planes["listed"].to_numpy(dtype=bool) if "listed" in planes else np.zeros(n, dtype=bool)
    if params.exclude_listed_buildings:
        usable = np.where(listed, 0.0, usable)
    capacity = usable * params.module_power_density_kwp_per_m2

    ids = planes["building_id"].astype(str).to_numpy()
    out = pd.DataFrame({
        "building_id": ids,
        "plane_no": pd.Series(ids).groupby(ids).cumcount().to_numpy() + 1,
        "ags": ags_of_building.reindex(ids).to_numpy(),
        "method": planes["method"].to_numpy(),
        "tilt_deg": tilt,
        "azimuth_deg": azimuth,
        "plane_area_m2": area,
        "usable_area_m2": usable,
        "capacity_kwp": capacity,
        "yield_kwh_per_a": capacity * specific,
        "specific_yield_kwh_per_kwp": specific,
        "relative_irradiation": relative,
        "shading_factor": shading,
        "suitability": suitability,
        "listed": listed,
    })
    return gpd.GeoDataFrame(out, geometry=planes.geometry.to_numpy(), crs=ANALYSIS_CRS)


def municipality_sums(solar_roof: pd.DataFrame, municipalities: pd.DataFrame,
                      roof_installed_mw: pd.Series) -> pd.DataFrame:
    """Per municipality (every AGS of ``municipalities``, zeros where no roof): assessed buildings,
    buildings with at least one plane of non-zero capacity, capacity [MWp], yield [GWh/a], installed
    roof PV [MW] (``roof_installed_mw`` by AGS: MaStR without the open-field plants, see
    :mod:`potenzial.installed_pv`) and the remaining roof potential = max(capacity − installed roof
    PV, 0) [MWp] (solar parks never lower it) and the listed buildings among the assessed ones."""
    ags = municipalities["ags"].astype(str)
    by = solar_roof.groupby("ags")
    buildings = by["building_id"].nunique()
    with_capacity = solar_roof[solar_roof["capacity_kwp"] > 0].groupby("ags")["building_id"].nunique()
    listed = (solar_roof[solar_roof["listed"]].groupby("ags")["building_id"].nunique()
              if "listed" in solar_roof else pd.Series(dtype="int64"))
    capacity_mwp = by["capacity_kwp"].sum() / KW_PER_MW
    yield_gwh = by["yield_kwh_per_a"].sum() / KWH_PER_GWH
    installed = roof_installed_mw.reindex(ags).fillna(0.0).to_numpy(dtype=float)
    cap = capacity_mwp.reindex(ags).fillna(0.0).to_numpy()
    return pd.DataFrame({
        "ags": ags.to_numpy(),
        "roof_buildings": buildings.reindex(ags).fillna(0).astype("int64").to_numpy(),
        "roof_suitable_buildings": with_capacity.reindex(ags).fillna(0).astype("int64").to_numpy(),
        "roof_capacity_mwp": cap,
        "roof_yield_gwh_per_a": yield_gwh.reindex(ags).fillna(0.0).to_numpy(),
        "roof_installed_mw": installed,
        "roof_remaining_mwp": np.maximum(cap - installed, 0.0),
        "roof_listed_buildings": listed.reindex(ags).fillna(0).astype("int64").to_numpy(),
    })

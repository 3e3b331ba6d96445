"""Base figures per municipality: area, population, buildings, land cover, installed capacity.

Pure calculation on loaded frames (EPSG:25833); no file, database or web access.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd

from potenzial.crs import require_metric
from potenzial.errors import InputDataError
from potenzial.units import KW_PER_MW, M2_PER_HA, M2_PER_KM2

LANDCOVER_CLASSES = ("arable", "grassland", "forest", "water", "settlement", "traffic")

#: statistics column [kW] -> output column [MW] (Marktstammdatenregister 2024 sums)
INSTALLED_2024 = {
    "mastr2024_kw_pv": "pv_installed_mw",
    "mastr2024_kw_wind_on": "wind_installed_mw",
    "mastr2024_kw_biomass": "biomass_installed_mw",
    "mastr2024_kw_water": "hydro_installed_mw",
}


def check_municipalities(municipalities: gpd.GeoDataFrame, ags_prefix: str) -> None:
    """Every row has an 8-digit AGS with the region's prefix, unique, and a polygon."""
    require_metric(municipalities.crs, "municipalities")
    ags = municipalities["ags"].astype(str)
    bad = ags[~ags.str.fullmatch(r"\d{8}") | ~ags.str.startswith(ags_prefix)]
    if len(bad):
        raise InputDataError(f"municipalities: AGS {', '.join(bad.head(5))} are not 8-digit keys starting "
                             f"with {ags_prefix!r}. Map the AGS column with fields = {{ ags = \"…\" }}.")
    dup = ags[ags.duplicated()]
    if len(dup):
        raise InputDataError(f"municipalities: AGS {', '.join(dup.unique()[:5])} occur more than once. "
                             "Dissolve the parts into one feature per municipality.")
    if municipalities.geometry.is_empty.any() or municipalities.geometry.isna().any():
        raise InputDataError("municipalities: some features have no geometry. Fix or drop them.")


def municipality_figures(
    municipalities: gpd.GeoDataFrame,
    statistics: pd.DataFrame,
    buildings: gpd.GeoDataFrame,
    landcover: gpd.GeoDataFrame,
) -> gpd.GeoDataFrame:
    """One row per municipality with the base figures (see README glossary for units).

    - ``area_km2`` from the geometry in EPSG:25833 [km²];
    - ``population`` from the statistics (2021) [persons];
    - ``buildings``, ``residential_buildings``: footprints whose representative point lies inside;
    - ``<class>_ha``: land-cover area inside the municipality per class [ha];
    - ``*_installed_mw``: MaStR 2024 sums [MW].
    """
    require_metric(municipalities.crs, "municipalities")
    base = municipalities[["ags", "name", "geometry"]].copy()
    base["ags"] = base["ags"].astype(str)
    base["area_km2"] = base.geometry.area / M2_PER_KM2

    stats = statistics.set_index(statistics["ags"].astype(str))
    missing = sorted(set(base["ags"]) - set(stats.index))
    if missing:
        raise InputDataError(f"statistics: no row for municipality AGS {', '.join(missing[:5])}. "
                             "Add the rows (population_2021, mastr2024_kw_*) to the statistics file.")
    rows = stats.loc[base["ags"]]
    base["population"] = rows["population_2021"].to_numpy().astype(np.int64)
    for src, dst in INSTALLED_2024.items():
        base[dst] = rows[src].fillna(0.0).to_numpy(dtype=float) / KW_PER_MW

    counts = _building_counts(base, buildings)
    base["buildings"] = counts["buildings"].to_numpy()
    base["residential_buildings"] = counts["residential_buildings"].to_numpy()

    areas = landcover_area_ha(base, landcover)
    for cls in LANDCOVER_CLASSES:
        base[f"{cls}_ha"] = areas[cls].to_numpy()
    return base


def _building_counts(base: gpd.GeoDataFrame, buildings: gpd.GeoDataFrame) -> pd.DataFrame:
    require_metric(buildings.crs, "buildings")
    points = gpd.GeoDataFrame(
        {"residential": (buildings["use"] == "residential").to_numpy()},
        geometry=buildings.geometry.representative_point().to_numpy(),
        crs=buildings.crs,
    )
    joined = gpd.sjoin(points, base[["ags", "geometry"]], predicate="within", how="inner")
    grouped = joined.groupby("ags")["residential"].agg(buildings="size", residential_buildings="sum")
    return grouped.reindex(base["ags"]).fillna(0).astype(np.int64)


def landcover_area_ha(base: gpd.GeoDataFrame, landcover: gpd.GeoDataFrame) -> pd.DataFrame:
    """Area [ha] of each land-cover class inside each municipality (geometric intersection)."""
    require_metric(landcover.crs, "landcover")
    unknown = sorted(set(landcover["class"].unique()) - set(LANDCOVER_CLASSES))
    if unknown:
        raise InputDataError(f"landcover: class values {unknown} are unknown; use "
                             f"{', '.join(LANDCOVER_CLASSES)} (map your codes before loading).")
    pieces = gpd.overlay(landcover[["class", "geometry"]], base[["ags", "geometry"]],
                         how="intersection", keep_geom_type=True)
    pieces["area_ha"] = pieces.geometry.area / M2_PER_HA
    table = pieces.pivot_table(index="ags", columns="class", values="area_ha", aggfunc="sum")
    return table.reindex(index=base["ags"], columns=list(LANDCOVER_CLASSES)).fillna(0.0)

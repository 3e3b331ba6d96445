"""Validated inputs of the generators: municipalities (EPSG:25833) joined to their statistics.

A :class:`Region` holds the municipalities in AGS order, their union and the common raster
lattice: 20 m land-cover cells, 25 m terrain cells and 100 m wind cells, all aligned to
multiples of 100 m in EPSG:25833, so that windows cut from them line up.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry.base import BaseGeometry

from potenzial.crs import ANALYSIS_CRS, ANALYSIS_EPSG
from potenzial.errors import InputDataError
from potenzial.synth.places import MAIN_TOWN_PLACE, PLACES

#: statistics columns the generators read
REQUIRED_STAT_COLUMNS = (
    "ags", "area_ha_land_total", "area_ha_land_settlement", "area_ha_land_traffic", "area_ha_veg_agri",
    "area_ha_veg_forrest", "area_ha_veg_wood", "area_ha_water_total",
    "zensus2011_residential_buildings_total", "zensus2011_buildings_1flat", "zensus2011_buildings_2flats",
    "zensus2011_buildings_3flats",
)
GRID_ALIGN_M = 100.0   #: every lattice origin is a multiple of this [m]
MARGIN_M = 2_000.0     #: raster extent = union bounds + this margin [m]


@dataclass
class Municipality:
    """One municipality: AGS, name, polygon [EPSG:25833], statistics row, Ortsteile."""

    ags: str
    name: str
    geom: BaseGeometry
    stats: dict
    ortsteile: list[str]
    main: str                      #: the Ortsteil that is the main town
    main_place: str | None         #: key into places.PLACES for the main town, if known
    area_m2: float = field(init=False)

    def __post_init__(self) -> None:
        self.area_m2 = float(self.geom.area)
        shapely.prepare(self.geom)

    def stat(self, column: str) -> float:
        value = self.stats.get(column)
        return 0.0 if value is None or pd.isna(value) else float(value)


@dataclass
class Region:
    """The municipalities being generated and the shared raster lattice."""

    municipalities: list[Municipality]
    union: BaseGeometry
    bounds: tuple[float, float, float, float]   #: raster extent (xmin, ymin, xmax, ymax) [m]

    def shape(self, res_m: float) -> tuple[int, int]:
        """(rows, cols) of the lattice at ``res_m`` [m]."""
        xmin, ymin, xmax, ymax = self.bounds
        return int(round((ymax - ymin) / res_m)), int(round((xmax - xmin) / res_m))


def _ortsteile(row: dict, name: str) -> tuple[list[str], str]:
    raw = row.get("ortsteile")
    seat = row.get("ort_verwaltung")
    seat = str(seat).strip() if isinstance(seat, str) and seat.strip() else name
    names = [s.strip() for s in str(raw).split(",") if s.strip()] if isinstance(raw, str) else []
    names = list(dict.fromkeys(names))           # unique, order kept
    for candidate in (seat, name):
        if candidate in names:
            return names, candidate
    for candidate in names:                      # e.g. "Trebsen/Mulde" for seat "Trebsen"
        if candidate.startswith(seat) or seat.startswith(candidate):
            return names, candidate
    place = PLACES_FOR_SEAT.get(seat)
    if place and place in names:
        return names, place
    return [seat] + names, seat


#: seats whose administrative name is not an Ortsteil name (municipalities formed by merger)
PLACES_FOR_SEAT = {"Lossatal": "Falkenhain", "Parthenstein": "Großsteinberg"}


def build_region(municipalities: gpd.GeoDataFrame, statistics: pd.DataFrame) -> Region:
    """Validate the inputs and join them; raise :class:`InputDataError` with the fix."""
    for col in ("ags", "name", "geometry"):
        if col not in municipalities.columns:
            raise InputDataError(f"municipalities: column {col!r} is missing (have "
                                 f"{list(municipalities.columns)}); rename e.g. AGS->ags, GEN->name.")
    if municipalities.empty:
        raise InputDataError("municipalities: no features; pass at least one municipality.")
    if municipalities.crs is None:
        raise InputDataError("municipalities: no CRS; assign EPSG:25833 (set_crs) before generating.")
    if municipalities.crs.to_epsg() != ANALYSIS_EPSG:
        municipalities = municipalities.to_crs(ANALYSIS_CRS)
    missing = [c for c in REQUIRED_STAT_COLUMNS if c not in statistics.columns]
    if missing:
        raise InputDataError(f"statistics: columns {missing} are missing; use the region's "
                             "statistics CSV (lk_leipzig_gemeinden_statistik.csv).")
    stats = statistics.assign(ags=statistics["ags"].astype(str).str.zfill(8)).drop_duplicates("ags")
    by_ags = {row["ags"]: row for row in stats.to_dict("records")}
    munis = []
    for row in municipalities.sort_values("ags").itertuples():
        ags = str(row.ags).zfill(8)
        if ags not in by_ags:
            raise InputDataError(f"statistics: no row for municipality {ags} ({row.name}); "
                                 "the statistics table must have one row per AGS.")
        geom = shapely.make_valid(row.geometry)
        if geom.is_empty or geom.area <= 0:
            raise InputDataError(f"municipalities: {ags} ({row.name}) has an empty geometry.")
        srow = by_ags[ags]
        names, main = _ortsteile(srow, str(row.name))
        place = MAIN_TOWN_PLACE.get(ags)
        munis.append(Municipality(ags=ags, name=str(row.name), geom=geom, stats=srow, ortsteile=names,
                                  main=main, main_place=place if place in PLACES else None))
    union = shapely.union_all([m.geom for m in munis])
    xmin, ymin, xmax, ymax = union.bounds
    snap = GRID_ALIGN_M
    bounds = (float(np.floor((xmin - MARGIN_M) / snap) * snap), float(np.floor((ymin - MARGIN_M) / snap) * snap),
              float(np.ceil((xmax + MARGIN_M) / snap) * snap), float(np.ceil((ymax + MARGIN_M) / snap) * snap))
    return Region(municipalities=munis, union=union, bounds=bounds)

"""One municipality of a run: its figures, its detail (figures, units, geometry, provenance) and
its neighbours (the fact sheet reads its inputs with :mod:`potenzial.serving.sheet_data`)."""

from __future__ import annotations

import re
from dataclasses import dataclass

import geopandas as gpd
import shapely
import shapely.geometry
from shapely.geometry.base import BaseGeometry

from potenzial.crs import WGS84
from potenzial.errors import NotFoundError
from potenzial.runs import RunRecord
from potenzial.serving.figures import Figure, json_value
from potenzial.serving.registry import LayerRegistry
from potenzial.serving.summaries import RunFigures

AGS_PATTERN = re.compile(r"^\d{8}$")
#: the fact-sheet map draws every other municipality within this distance of the municipality
#: as a neighbour [m, EPSG:25833]
NEIGHBOUR_BUFFER_M = 2_000.0


@dataclass(frozen=True)
class Municipality:
    """One municipality's figures and geometry in a run."""

    ags: str
    values: dict[str, object]  #: figure column -> JSON value
    meta: list[Figure]
    row: gpd.GeoDataFrame  #: its one row of the municipalities layer, EPSG:25833

    @property
    def name(self) -> str:
        return str(self.values.get("name", ""))

    @property
    def area(self) -> BaseGeometry:
        """The municipality's geometry [EPSG:25833]."""
        return self.row.geometry.iloc[0]


def find_municipality(figures: RunFigures, record: RunRecord, ags: str) -> Municipality:
    """The municipality ``ags`` of the run; NotFoundError naming the fix for a malformed or unknown AGS."""
    if not AGS_PATTERN.match(ags):
        raise NotFoundError("unknown municipality: an AGS has 8 digits, e.g. 14729160 "
                            "(see the list at api/municipalities).")
    rows = figures.merged[figures.merged["ags"] == ags]
    if rows.empty:
        raise NotFoundError(f"no municipality with AGS {ags} in run {record.run_id} "
                            "(see the list at api/municipalities).")
    values = {f.column: json_value(rows.iloc[0][f.column]) for f in figures.meta}
    base = figures.municipalities
    return Municipality(ags, values, figures.meta, base[base["ags"] == ags])


def municipality_detail(municipality: Municipality, record: RunRecord, registry: LayerRegistry) -> dict:
    """Every figure with unit and source table, the geometry in EPSG:4326 and the run's provenance."""
    geometry = municipality.row.to_crs(WGS84).geometry.iloc[0]
    meta = municipality.meta
    return {
        "ags": municipality.ags, "name": municipality.values.get("name"), "run_id": record.run_id,
        "params_hash": record.params_hash, "code_version": record.code_version, "finished_at": record.finished_at,
        "synthetic_inputs": list(record.synthetic_inputs),
        "figures": municipality.values, "units": {f.column: f.unit for f in meta},
        "tables": {f.column: f.table for f in meta},
        "columns": {f.column: f.source_column for f in meta},
        "geometry": shapely.geometry.mapping(geometry), "bounds": list(geometry.bounds),
        "sources": [s.as_dict() for s in registry.figure_sources],
    }


def neighbours_of(municipality: Municipality, municipalities: gpd.GeoDataFrame,
                  buffer_m: float = NEIGHBOUR_BUFFER_M) -> list[BaseGeometry]:
    """The other municipalities within ``buffer_m`` [m] of ``municipality`` (EPSG:25833 geometries)."""
    reach = municipality.area.buffer(buffer_m)
    return [g for a, g in zip(municipalities["ags"], municipalities.geometry, strict=True)
            if a != municipality.ags and g.intersects(reach)]


def municipality_collection(figures: RunFigures, record: RunRecord) -> dict:
    """Every municipality as a GeoJSON feature (EPSG:4326) with every figure as a property."""
    geometry = figures.municipalities.set_index("ags").geometry.to_crs(WGS84)
    features = []
    for row in figures.merged.to_dict(orient="records"):
        ags = str(row["ags"])
        geom = geometry.get(ags)
        features.append({"type": "Feature", "id": ags,
                         "properties": {f.column: json_value(row[f.column]) for f in figures.meta},
                         "geometry": None if geom is None or geom.is_empty else shapely.geometry.mapping(geom)})
    return {
        "type": "FeatureCollection",
        "run_id": record.run_id,
        "synthetic_inputs": list(record.synthetic_inputs),
        "features": features,
    }


__all__ = ["AGS_PATTERN", "NEIGHBOUR_BUFFER_M", "Municipality",
           "find_municipality", "municipality_collection", "municipality_detail",
           "neighbours_of"]

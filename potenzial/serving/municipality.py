"""One municipality of a run: its figures, its detail (figures, units, geometry, provenance) and
the inputs of its fact sheet (:mod:`potenzial.serving.factsheet`)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

import geopandas as gpd
import shapely
import shapely.geometry
from shapely.geometry.base import BaseGeometry

from potenzial.crs import WGS84
from potenzial.errors import NotFoundError
from potenzial.runs import RunRecord
from potenzial.serving.factsheet import FactSheet, MapLayer
from potenzial.serving.figures import Figure, json_value
from potenzial.serving.registry import LayerRegistry, ServedLayer
from potenzial.serving.summaries import RunFigures
from potenzial.store.base import Store
from potenzial.store.schema import MUNICIPALITIES

AGS_PATTERN = re.compile(r"^\d{8}$")
#: the fact-sheet map draws every other municipality within this distance of the municipality
#: as a neighbour [m, EPSG:25833]
NEIGHBOUR_BUFFER_M = 2_000.0
#: features read per result layer for the fact-sheet map (the sheet draws at most
#: ``factsheet.MAP_MAX_FEATURES`` of them)
FACTSHEET_MAX_FEATURES_PER_LAYER = 20_000


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
        "geometry": shapely.geometry.mapping(geometry), "bounds": list(geometry.bounds),
        "sources": [s.as_dict() for s in registry.figure_sources],
    }


def neighbours_of(municipality: Municipality, municipalities: gpd.GeoDataFrame,
                  buffer_m: float = NEIGHBOUR_BUFFER_M) -> list[BaseGeometry]:
    """The other municipalities within ``buffer_m`` [m] of ``municipality`` (EPSG:25833 geometries)."""
    reach = municipality.area.buffer(buffer_m)
    return [g for a, g in zip(municipalities["ags"], municipalities.geometry, strict=True)
            if a != municipality.ags and g.intersects(reach)]


def map_layers(store: Store, record: RunRecord, layers: Iterable[ServedLayer], area: BaseGeometry,
               max_features: int = FACTSHEET_MAX_FEATURES_PER_LAYER) -> list[MapLayer]:
    """Every result layer but the municipalities, clipped to ``area`` (EPSG:25833)."""
    out = []
    for layer in layers:
        if layer.kind != "vector" or layer.id == MUNICIPALITIES.name:
            continue
        frame = store.read_bbox(layer.id, area.bounds, record.run_id, limit=max_features)
        geoms = [g for g in shapely.intersection(frame.geometry.values, area) if not g.is_empty] \
            if not frame.empty else []
        out.append(MapLayer(layer.title, layer.display_colour, geoms))
    return out


def factsheet_of(store: Store, record: RunRecord, registry: LayerRegistry, figures: RunFigures,
                 municipality: Municipality) -> FactSheet:
    """Everything the fact sheet of ``municipality`` shows, read and clipped."""
    return FactSheet(
        ags=municipality.ags, name=str(municipality.values.get("name", municipality.ags)),
        figures=municipality.values, figure_meta=municipality.meta, area=municipality.area,
        neighbours=neighbours_of(municipality, figures.municipalities),
        layers=map_layers(store, record, registry.layers.values(), municipality.area),
        run={"run_id": record.run_id, "finished_at": record.finished_at, "params_hash": record.params_hash,
             "code_version": record.code_version, "synthetic_inputs": list(record.synthetic_inputs)},
        sources=[s.as_dict() for s in registry.sources],
    )




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


__all__ = ["AGS_PATTERN", "FACTSHEET_MAX_FEATURES_PER_LAYER", "NEIGHBOUR_BUFFER_M", "Municipality",
           "factsheet_of", "find_municipality", "map_layers", "municipality_collection", "municipality_detail",
           "neighbours_of"]

"""Response models: what the API promises in its OpenAPI document."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field


class Health(BaseModel):
    status: Literal["ok"] = "ok"
    store: str = Field(description="store backend: gpkg or postgis")
    run_id: str | None = Field(description="the run served now; null before the first run")


class Geometry(BaseModel):
    type: str = Field(description="GeoJSON geometry type, e.g. MultiPolygon")
    coordinates: Any = Field(description="longitude/latitude [degrees], EPSG:4326 (RFC 7946)")


class MunicipalityFeature(BaseModel):
    type: Literal["Feature"] = "Feature"
    id: str = Field(description="AGS (Amtlicher Gemeindeschlüssel)")
    geometry: Geometry | None
    properties: dict[str, Any] = Field(description="every column of the `municipalities` result layer")


class MunicipalityCollection(BaseModel):
    """The current run's `municipalities` layer as a GeoJSON FeatureCollection in EPSG:4326."""

    type: Literal["FeatureCollection"] = "FeatureCollection"
    run_id: str
    synthetic_inputs: list[str] = Field(description="ids of input layers that were synthetic stand-ins")
    features: list[MunicipalityFeature]


class LayerInfo(BaseModel):
    """One catalog entry, as ``LayerEntry.describe()`` gives it."""

    model_config = ConfigDict(extra="allow")

    id: str
    title: str
    kind: Literal["raster", "vector", "table"]
    provenance: Literal["real", "synthetic"]
    synthetic: bool
    units: str
    crs: str
    licence: str
    attribution: str
    attribution_url: str
    retrieved: str
    source: str = Field(description="file name of the source (no folder)")
    generator: str = Field(description="synthetic generator, empty for real data")


class Catalog(BaseModel):
    region_id: str
    region_name: str
    layers: list[LayerInfo]

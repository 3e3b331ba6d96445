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




# ------------------------------------------------------------------ served layers and tiles


class Source(BaseModel):
    """An input of the run (``run_inputs``) or a catalog entry: provenance of a figure or layer."""

    model_config = ConfigDict(extra="allow")

    layer_id: str
    title: str
    provenance: Literal["real", "synthetic"]
    licence: str
    attribution: str
    source: str = Field("", description="file name of the input (no folder)")


class LegendEntry(BaseModel):
    value: float | None = Field(None, description="value in the layer's units (raster layers)")
    label: str | None = Field(None, description="label (vector layers)")
    colour: str = Field(description="#rrggbb")


class ServedLayerInfo(BaseModel):
    """A map layer: raster tiles (PNG) or vector tiles (MVT), with style and provenance."""

    id: str = Field(description="layer id, the only way to address the layer")
    title: str = Field(description="the layer's name in English")
    titles: dict[str, str] = Field(description="the layer's name per language: de, en")
    kind: Literal["raster", "vector"]
    origin: Literal["result", "run", "catalog"] = Field(
        description="result: a result layer of the run; run: a raster the run wrote; catalog: an input raster")
    description: str
    units: str = Field(description="unit of the raster values, or 'column: unit; …' for vector layers")
    field_units: dict[str, str] = Field(description="vector layers: unit of each attribute")
    geometry_type: str | None
    value_range: list[float] | None = Field(description="raster layers: [low, high] of the colour map, in units")
    colormap: str | None = Field(description="raster layers: colour map name (rio-tiler/matplotlib names)")
    colour: str | None = Field(description="vector layers: default colour #rrggbb")
    legend: list[LegendEntry]
    style: dict[str, Any] | None = Field(None, description="vector layers with classes: the classification "
                                         "(kind, field, classes with titles and colours), for the map and legend")
    provenance: Literal["real", "synthetic"]
    synthetic: bool
    licence: str
    attribution: str
    sources: list[Source]
    run_id: str
    minzoom: int
    maxzoom: int
    bounds: list[float] = Field(description="west, south, east, north [degrees]")
    tiles: list[str] = Field(description="tile URL template ({z}/{x}/{y})")
    tilejson: str = Field(description="URL of the layer's TileJSON 3.0 document")


class Catalog(BaseModel):
    region_id: str
    region_name: str
    layers: list[LayerInfo] = Field(description="the region's input catalog (real and synthetic)")
    run_id: str | None = Field(None, description="the run whose layers are served; null before the first run")
    served: list[ServedLayerInfo] = Field(default_factory=list, description="every layer served as tiles")


class VectorLayerDoc(BaseModel):
    id: str
    fields: dict[str, str]
    description: str
    minzoom: int
    maxzoom: int


class TileJSON(BaseModel):
    """TileJSON 3.0.0 (https://github.com/mapbox/tilejson-spec/tree/master/3.0.0)."""

    tilejson: Literal["3.0.0"] = "3.0.0"
    name: str
    description: str
    version: str
    attribution: str
    scheme: Literal["xyz"] = "xyz"
    tiles: list[str]
    minzoom: int
    maxzoom: int
    bounds: list[float]
    center: list[float]
    vector_layers: list[VectorLayerDoc] | None = None


# ------------------------------------------------------------------ results


class MunicipalityLinks(BaseModel):
    download: str = Field(description="GeoPackage of the municipality's layers")
    factsheet: str = Field(description="printable fact sheet (HTML)")


class MunicipalityDetail(BaseModel):
    """One municipality: every figure with its unit, and the provenance of the run."""

    ags: str
    name: str | None
    run_id: str
    params_hash: str = Field(description="sha256 of the parameter set of the run")
    code_version: str
    finished_at: str
    synthetic_inputs: list[str]
    figures: dict[str, Any] = Field(description="every per-municipality figure of the run")
    units: dict[str, str] = Field(description="unit of each figure ('' when it has none)")
    tables: dict[str, str] = Field(description="result table each figure comes from")
    geometry: Geometry
    bounds: list[float] = Field(description="west, south, east, north [degrees]")
    sources: list[Source]
    links: MunicipalityLinks


class PointMunicipality(BaseModel):
    ags: str
    name: str


class PointLayer(BaseModel):
    id: str
    title: str
    kind: Literal["raster", "vector"]
    units: str
    value: float | None = Field(description="raster layers: the value at the point (null: nodata or outside)")
    features: list[dict[str, Any]] = Field(description="vector layers: attributes of features within tolerance_m")


class ExclusionReason(BaseModel):
    layer: str
    field: str
    reason: str


class PointResult(BaseModel):
    """Every served layer's value at a point, and every exclusion reason found there."""

    lon: float
    lat: float
    x_m: float = Field(description="easting in EPSG:25833 [m]")
    y_m: float = Field(description="northing in EPSG:25833 [m]")
    crs: str
    run_id: str
    tolerance_m: float
    municipality: PointMunicipality | None
    layers: list[PointLayer]
    exclusion_reasons: list[ExclusionReason]

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
    factsheet: str = Field(description="printable fact sheet (HTML, German; ?lang=en for English)")
    factsheet_pdf: str = Field(description="the fact sheet as an A4 PDF (German; ?lang=en for English)")
    monitoring: str = Field(description="installed capacity over time against the potential and the targets (HTML)")
    summary_csv: str = Field(description="the municipality's figures as CSV (German; ?lang=en for English)")
    summary_xlsx: str = Field(description="the municipality's figures as an Excel workbook (German; ?lang=en)")


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
    columns: dict[str, str] = Field(description="each figure's column in its table: its labels are "
                                                "/api/schemas[table].columns[column]")
    geometry: Geometry
    bounds: list[float] = Field(description="west, south, east, north [degrees]")
    sources: list[Source]
    links: MunicipalityLinks


class PointMunicipality(BaseModel):
    ags: str
    name: str


class PointItem(BaseModel):
    """One attribute of a feature as a person reads it."""

    field: str = Field(description="the column (data only; a person reads the title)")
    title: str
    unit: str = Field(description="empty for a value without a unit")
    value: Any = Field(description="the stored value")
    text: str = Field(description="the value formatted for a person: rounded, class titles, ja/nein")


class PointLayer(BaseModel):
    id: str
    title: str = Field(description="the layer's name in English")
    label: str = Field(description="the layer's name in the asked language")
    kind: Literal["raster", "vector"]
    units: str
    synthetic: bool
    value: float | None = Field(description="raster layers: the value at the point (null: nodata or outside)")
    text: str | None = Field(description="raster layers: the value formatted with its unit")
    features: list[dict[str, Any]] = Field(description="vector layers: raw attributes of features within tolerance_m")
    items: list[list[PointItem]] = Field(description="vector layers: each feature's attributes, labelled")


class ExclusionReason(BaseModel):
    layer: str
    layer_title: str
    rule_id: str | None = Field(description="the rule's id (data only); null for a free-text reason")
    rule_set: str | None
    title: str = Field(description="what a person reads: the rule's title in the asked language")
    hard: bool | None = Field(description="true: hard exclusion; false: soft criterion; null: unknown")
    kind: str | None = Field(description="hard exclusion / soft criterion, in the asked language")
    source: str = Field(description="legal source of the rule")
    field: str = Field(description="the attribute the reason was read from (data only)")
    reason: str = Field(description="the stored reason, a rule id or a free text (data only; read title)")


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
    lang: Literal["de", "en"]
    exclusion_reasons: list[ExclusionReason]


class Translated(BaseModel):
    """A text in German (the default) and English."""

    de: str
    en: str


class ColumnInfo(BaseModel):
    """What a person reads instead of a column name."""

    type: str = Field(description="text, int, float or bool")
    title: Translated
    unit: Translated = Field(description="'–' for a column without a unit (text, classes)")
    description: Translated
    decimals: int | None = Field(description="decimals tables round the column to; null: not rounded")
    classes: dict[str, Translated] = Field(description="class columns: each stored value's title")
    inputs: list[str] | None = Field(description="ids of the catalog inputs the column derives from; null: "
                                                 "not declared (every input of the run)")


class SchemaInfo(BaseModel):
    """A result layer or table: its title and every column's title, unit, description and classes."""

    title: Translated
    description: str
    geometry_type: str | None
    per_municipality: bool
    columns: dict[str, ColumnInfo]

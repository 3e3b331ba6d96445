"""The served-layer registry of a run: every map layer with its style, provenance and tiles.

Built per run from three registries, never from client input:
- vector layers: result schemas with ``geometry_type`` (``potenzial.store.schema.RESULTS``) that
  the run holds, served as Mapbox Vector Tiles;
- raster layers a run wrote into ``raster_cache/<run_id>/`` with a sidecar description
  (:mod:`potenzial.tiles.display`);
- raster layers of the region catalog (``kind = "raster"``; optional ``colormap`` and
  ``range = [low, high]`` keys in the entry set their style).
Ids are unique across the three; a later duplicate is skipped and logged.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import numpy as np
import rasterio
from rasterio.errors import RasterioError
from rasterio.warp import transform_bounds

from potenzial.crs import ANALYSIS_EPSG, WEB_MERCATOR_EPSG, WGS84_EPSG
from potenzial.errors import ConfigError, InputDataError, NotFoundError, UnknownLayerError
from potenzial.region import Region
from potenzial.runs import RunRecord
from potenzial.store.base import Store
from potenzial.store.schema import MUNICIPALITIES, RESULTS, RUN_INPUTS, ResultSchema
from potenzial.tiles.colormap import DEFAULT_COLORMAP, ColourScale, vector_colour
from potenzial.tiles.display import (
    AUTO_RANGE_PERCENTILES,
    DISPLAY_SUFFIX,
    OVERZOOM_LEVELS,
    display_path_for,
    parse_sidecar,
    run_rasters,
)
from potenzial.tiles.grid import MAX_ZOOM, TILE_SIZE_PX, WORLD_M, bounds_to_3857, bounds_to_lonlat

log = logging.getLogger("potenzial.api")

VECTOR_MIN_ZOOM = 0
VECTOR_MAX_ZOOM = 18
#: pixels read from an analysis raster to estimate its display range
STATS_SAMPLE_PX = 1024
CATALOG_DISPLAY_FOLDER = "_catalog"
_FIELD_TYPES = {"text": "String", "int": "Number", "float": "Number", "bool": "Boolean"}


@dataclass(frozen=True)
class ServedLayer:
    """A map layer. Paths are server-side only and never leave the registry (see :meth:`describe`)."""

    id: str
    title: str
    kind: Literal["raster", "vector"]
    origin: Literal["result", "run", "catalog"]
    description: str
    units: str
    provenance: Literal["real", "synthetic"]
    sources: tuple[dict[str, str], ...]
    run_id: str
    minzoom: int
    maxzoom: int
    bounds: tuple[float, float, float, float]  #: west, south, east, north [degrees]
    bounds_3857: tuple[float, float, float, float]
    geometry_type: str | None = None
    fields: dict[str, str] = field(default_factory=dict)
    field_units: dict[str, str] = field(default_factory=dict)
    colour: str | None = None
    scale: ColourScale | None = None
    resampling: str = "average"
    analysis_path: Path | None = field(default=None, repr=False)
    display_path: Path | None = field(default=None, repr=False)

    @property
    def synthetic(self) -> bool:
        return self.provenance == "synthetic"

    @property
    def tile_format(self) -> str:
        return "pbf" if self.kind == "vector" else "png"

    @property
    def licence(self) -> str:
        return "; ".join(dict.fromkeys(s["licence"] for s in self.sources if s.get("licence")))

    @property
    def attribution(self) -> str:
        return "; ".join(dict.fromkeys(s["attribution"] for s in self.sources if s.get("attribution")))

    def legend(self) -> list[dict[str, object]]:
        if self.scale is not None:
            return self.scale.legend()
        return [{"label": self.title, "colour": self.colour or "#666666"}]

    def describe(self, base_url: str) -> dict[str, object]:
        """The public description (``/api/layers``): no file paths."""
        return {
            "id": self.id, "title": self.title, "kind": self.kind, "origin": self.origin,
            "description": self.description, "units": self.units, "field_units": self.field_units,
            "geometry_type": self.geometry_type,
            "value_range": [self.scale.low, self.scale.high] if self.scale else None,
            "colormap": self.scale.name if self.scale else None, "colour": self.colour,
            "legend": self.legend(), "provenance": self.provenance, "synthetic": self.synthetic,
            "licence": self.licence, "attribution": self.attribution, "sources": list(self.sources),
            "run_id": self.run_id, "minzoom": self.minzoom, "maxzoom": self.maxzoom, "bounds": list(self.bounds),
            "tiles": [self.tile_url(base_url)], "tilejson": f"{base_url}/api/layers/{self.id}/tilejson.json",
        }

    def tile_url(self, base_url: str) -> str:
        return f"{base_url}/tiles/{self.id}/{{z}}/{{x}}/{{y}}.{self.tile_format}"

    def tilejson(self, base_url: str) -> dict[str, object]:
        """TileJSON 3.0.0 for this layer."""
        w, s, e, n = self.bounds
        centre_zoom = max(self.minzoom, min(self.maxzoom, 10))
        doc: dict[str, object] = {
            "tilejson": "3.0.0", "name": self.title, "description": self.description or self.title,
            "version": "1.0.0", "attribution": self.attribution, "scheme": "xyz",
            "tiles": [self.tile_url(base_url)], "minzoom": self.minzoom, "maxzoom": self.maxzoom,
            "bounds": [w, s, e, n], "center": [(w + e) / 2, (s + n) / 2, centre_zoom],
        }
        if self.kind == "vector":
            doc["vector_layers"] = [{"id": self.id, "fields": self.fields, "description": self.description,
                                     "minzoom": self.minzoom, "maxzoom": self.maxzoom}]
        return doc


@dataclass(frozen=True)
class LayerRegistry:
    run_id: str
    layers: dict[str, ServedLayer]
    sources: tuple[dict[str, str], ...]  #: every input of the run
    region_bounds_3857: tuple[float, float, float, float]

    def get(self, layer_id: str) -> ServedLayer:
        try:
            return self.layers[layer_id]
        except KeyError:
            raise UnknownLayerError("no layer with that id is served; the layer list at api/layers "
                                    "has the ids.") from None


# ------------------------------------------------------------------ building


def run_sources(store: Store, region: Region, record: RunRecord, run_layers: list[str]) -> tuple[dict[str, str], ...]:
    """The run's inputs from its ``run_inputs`` table, or the catalog when the run has none."""
    if RUN_INPUTS.name in run_layers:
        frame = store.read(RUN_INPUTS.name, record.run_id)
        return tuple({"layer_id": str(r.layer_id), "title": str(r.title), "provenance": str(r.provenance),
                      "licence": str(r.licence), "attribution": str(r.attribution), "source": str(r.source)}
                     for r in frame.itertuples(index=False))
    synthetic = set(record.synthetic_inputs)
    return tuple({"layer_id": e.id, "title": e.title,
                  "provenance": "synthetic" if (e.synthetic or e.id in synthetic) else "real",
                  "licence": e.licence, "attribution": e.attribution, "source": e.path.name}
                 for e in region.layers.values())


def _provenance(sources: tuple[dict[str, str], ...]) -> Literal["real", "synthetic"]:
    return "synthetic" if any(s.get("provenance") == "synthetic" for s in sources) else "real"


def _native_zoom_of(res_m: float, bounds_lonlat: tuple[float, float, float, float]) -> int:
    lat = math.radians((bounds_lonlat[1] + bounds_lonlat[3]) / 2)
    res_3857 = res_m / max(math.cos(lat), 1e-6)
    return max(0, min(MAX_ZOOM, math.ceil(math.log2(WORLD_M / (TILE_SIZE_PX * res_3857)) - 1e-9)))


@dataclass(frozen=True)
class _RasterFacts:
    bounds_lonlat: tuple[float, float, float, float]
    bounds_3857: tuple[float, float, float, float]
    native_zoom: int
    auto_range: tuple[float, float]


def raster_facts(path: Path, what: str) -> _RasterFacts:
    """Extent, native zoom and a display range of an analysis raster (a decimated read)."""
    try:
        with rasterio.open(path) as src:
            if src.crs is None:
                raise InputDataError(f"{what}: the raster has no CRS.")
            factor = max(1, math.ceil(max(src.width, src.height) / STATS_SAMPLE_PX))
            data = src.read(1, out_shape=(max(1, src.height // factor), max(1, src.width // factor)), masked=True)
            lonlat = transform_bounds(src.crs, f"EPSG:{WGS84_EPSG}", *src.bounds, densify_pts=21)
            merc = transform_bounds(src.crs, f"EPSG:{WEB_MERCATOR_EPSG}", *src.bounds, densify_pts=21)
            res = abs(src.transform.a) if src.crs.is_projected else abs(src.transform.a) * 111_320.0
    except RasterioError as exc:
        raise InputDataError(f"{what}: not a readable raster ({str(exc).splitlines()[0][:120]}).") from None
    values = data.compressed().astype(np.float64)
    values = values[np.isfinite(values)]
    if values.size:
        lo, hi = (float(v) for v in np.percentile(values, AUTO_RANGE_PERCENTILES))
        if hi <= lo:
            lo, hi = float(values.min()), float(values.max()) + 1.0
    else:
        lo, hi = 0.0, 1.0
    return _RasterFacts(tuple(lonlat), tuple(merc), _native_zoom_of(res, lonlat), (lo, hi))  # type: ignore[arg-type]


def _vector_layer(sch: ResultSchema, index: int, record: RunRecord, sources, bounds_lonlat, bounds_3857) -> ServedLayer:
    units = dict(sch.units)
    return ServedLayer(
        id=sch.name, title=sch.name.replace("_", " ").capitalize(), kind="vector", origin="result",
        description=sch.description, units="; ".join(f"{c}: {u}" for c, u in sch.units),
        provenance=_provenance(sources), sources=sources, run_id=record.run_id, minzoom=VECTOR_MIN_ZOOM,
        maxzoom=VECTOR_MAX_ZOOM, bounds=bounds_lonlat, bounds_3857=bounds_3857, geometry_type=sch.geometry_type,
        fields={c: _FIELD_TYPES.get(t, "String") for c, t in sch.columns}, field_units=units,
        colour=vector_colour(index),
    )


def build_registry(store: Store, region: Region, record: RunRecord, raster_cache: Path) -> LayerRegistry:
    """Every layer the run serves (see the module docstring). Reads metadata only; display COGs are
    built later (:mod:`api.tiles`)."""
    run_layers = store.run_layers(record.run_id)
    sources = run_sources(store, region, record, run_layers)
    by_id = {s["layer_id"]: s for s in sources}
    if MUNICIPALITIES.name in run_layers:
        municipalities = store.read(MUNICIPALITIES.name, record.run_id)
        region_bounds = tuple(float(b) for b in municipalities.total_bounds)
    else:
        region_bounds = (0.0, 0.0, 0.0, 0.0)
    region_lonlat = bounds_to_lonlat(region_bounds, ANALYSIS_EPSG)  # type: ignore[arg-type]
    region_3857 = bounds_to_3857(region_bounds, ANALYSIS_EPSG)  # type: ignore[arg-type]
    layers: dict[str, ServedLayer] = {}

    def add(layer: ServedLayer) -> None:
        if layer.id in layers:
            log.warning("layer id %r is served twice (%s and %s); keeping the first", layer.id,
                        layers[layer.id].origin, layer.origin)
            return
        layers[layer.id] = layer

    vector_names = [n for n, s in RESULTS.items() if s.geometry_type and n in run_layers]
    for index, name in enumerate(vector_names):
        add(_vector_layer(RESULTS[name], index, record, sources, region_lonlat, region_3857))

    run_dir = raster_cache / record.run_id
    for tif, sidecar_path in run_rasters(run_dir):
        try:
            sidecar = parse_sidecar(sidecar_path)
            facts = raster_facts(tif, f"raster {tif.name} of run {record.run_id}")
        except (ConfigError, InputDataError) as exc:
            log.warning("raster %s is not served: %s", tif.name, exc)
            continue
        inputs = tuple(by_id[i] for i in sidecar.inputs if i in by_id)
        if not inputs and sidecar.inputs:
            log.warning("raster %s names unknown inputs %s", tif.name, sidecar.inputs)
        layer_sources = inputs or sources
        add(ServedLayer(
            id=tif.stem, title=sidecar.title, kind="raster", origin="run", description=sidecar.description,
            units=sidecar.units, provenance=_provenance(layer_sources), sources=layer_sources,
            run_id=record.run_id, minzoom=0, maxzoom=min(MAX_ZOOM, facts.native_zoom + OVERZOOM_LEVELS),
            bounds=facts.bounds_lonlat, bounds_3857=facts.bounds_3857,
            scale=ColourScale(sidecar.colormap, *sidecar.range), resampling=sidecar.resampling,
            analysis_path=tif, display_path=display_path_for(tif),
        ))

    for entry in region.layers.values():
        if entry.kind != "raster":
            continue
        if not entry.path.is_file():
            log.warning("catalog raster %s has no file yet; not served", entry.id)
            continue
        try:
            facts = raster_facts(entry.path, f"catalog raster {entry.id}")
            rng = entry.extra.get("range")
            low, high = (float(rng[0]), float(rng[1])) if isinstance(rng, list | tuple) and len(rng) == 2 \
                else facts.auto_range
            scale = ColourScale(str(entry.extra.get("colormap", DEFAULT_COLORMAP)), low, high)
        except (ConfigError, InputDataError, TypeError, ValueError) as exc:
            log.warning("catalog raster %s is not served: %s", entry.id, exc)
            continue
        source = by_id.get(entry.id) or {"layer_id": entry.id, "title": entry.title, "provenance": entry.provenance,
                                         "licence": entry.licence, "attribution": entry.attribution,
                                         "source": entry.path.name}
        add(ServedLayer(
            id=entry.id, title=entry.title, kind="raster", origin="catalog", description=entry.title,
            units=entry.units, provenance=entry.provenance, sources=(source,), run_id=record.run_id, minzoom=0,
            maxzoom=min(MAX_ZOOM, facts.native_zoom + OVERZOOM_LEVELS), bounds=facts.bounds_lonlat,
            bounds_3857=facts.bounds_3857, scale=scale,
            resampling=str(entry.extra.get("resampling", "average")),
            analysis_path=entry.path,
            display_path=run_dir / CATALOG_DISPLAY_FOLDER / f"{entry.id}{DISPLAY_SUFFIX}",
        ))
    return LayerRegistry(run_id=record.run_id, layers=layers, sources=sources,
                         region_bounds_3857=region_3857)  # type: ignore[arg-type]


__all__ = ["LayerRegistry", "NotFoundError", "ServedLayer", "build_registry", "raster_facts", "run_sources"]

"""The served-layer registry of a run: every map layer with its style, provenance and tiles.

Built per run from three registries, never from client input:
- vector layers: result schemas with ``geometry_type`` (by default
  ``potenzial.store.schema.RESULTS``; :func:`build_registry` takes the mapping as an argument) that
  the run holds, served as Mapbox Vector Tiles;
- raster layers a run wrote into ``raster_cache/<run_id>/`` with a sidecar description
  (:mod:`potenzial.tiles.display`);
- raster layers of the region catalog (``kind = "raster"``; optional ``colormap`` and
  ``range = [low, high]`` keys in the entry set their style).
Ids are unique across the three; a later duplicate is skipped and logged.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from potenzial.crs import ANALYSIS_EPSG
from potenzial.errors import ConfigError, InputDataError, UnknownLayerError
from potenzial.region import LayerEntry, Region
from potenzial.results.headline import HEADLINE
from potenzial.runs import RunRecord
from potenzial.serving.cartography import LayerStyle, layer_styles
from potenzial.serving.raster_facts import RasterFacts, raster_facts
from potenzial.serving.sources import (
    Provenance,
    SourceInfo,
    joined,
    provenance_of,
    run_sources,
    sources_for,
    sources_of_schemas,
)
from potenzial.store.base import Store
from potenzial.store.schema import MUNICIPALITIES, RESULTS, ResultSchema
from potenzial.tiles.colormap import DEFAULT_COLORMAP, ColourScale, vector_colour
from potenzial.tiles.display import (
    OVERZOOM_LEVELS,
    catalog_display_path,
    display_path_for,
    parse_sidecar,
    run_rasters,
)
from potenzial.tiles.grid import MAX_ZOOM, bounds_to_3857, bounds_to_lonlat

log = logging.getLogger("potenzial.serving")

VECTOR_MIN_ZOOM = 0
VECTOR_MAX_ZOOM = 18
_FIELD_TYPES = {"text": "String", "int": "Number", "float": "Number", "bool": "Boolean"}
#: the colour of a layer without a style of its own
FALLBACK_COLOUR = "#666666"

BBox = tuple[float, float, float, float]


@dataclass(frozen=True)
class ServedLayer:
    """A map layer. Paths are server-side only and never leave the registry (see :meth:`describe`)."""

    id: str
    title: str
    kind: Literal["raster", "vector"]
    origin: Literal["result", "run", "catalog"]
    description: str
    units: str
    provenance: Provenance
    sources: tuple[SourceInfo, ...]
    run_id: str
    minzoom: int
    maxzoom: int
    bounds: BBox  #: west, south, east, north [degrees]
    bounds_3857: BBox
    geometry_type: str | None = None
    fields: dict[str, str] = field(default_factory=dict)
    field_units: dict[str, str] = field(default_factory=dict)
    colour: str | None = None
    scale: ColourScale | None = None
    resampling: str = "average"
    analysis_path: Path | None = field(default=None, repr=False)
    display_path: Path | None = field(default=None, repr=False)
    titles: dict[str, str] = field(default_factory=dict)  #: the title per language ("de", "en")
    #: the classes and colours of a vector layer (:mod:`potenzial.serving.cartography`); None: one colour
    style: LayerStyle | None = None

    @property
    def synthetic(self) -> bool:
        return self.provenance == "synthetic"

    @property
    def tile_format(self) -> str:
        return "pbf" if self.kind == "vector" else "png"

    @property
    def licence(self) -> str:
        return joined(s.licence for s in self.sources)

    @property
    def attribution(self) -> str:
        return joined(s.attribution for s in self.sources)

    @property
    def display_colour(self) -> str:
        return self.colour or FALLBACK_COLOUR

    def legend(self) -> list[dict[str, object]]:
        if self.scale is not None:
            return self.scale.legend()
        if self.style is not None:
            return [{"label": c.title_en, "colour": c.colour} for c in self.style.classes]
        return [{"label": self.title, "colour": self.display_colour}]

    def describe(self, base_url: str) -> dict[str, object]:
        """The public description (``/api/layers``): no file paths."""
        return {
            "id": self.id, "title": self.title, "titles": self.titles or {"de": self.title, "en": self.title},
            "kind": self.kind, "origin": self.origin,
            "description": self.description, "units": self.units, "field_units": self.field_units,
            "geometry_type": self.geometry_type,
            "value_range": [self.scale.low, self.scale.high] if self.scale else None,
            "colormap": self.scale.name if self.scale else None, "colour": self.colour,
            "legend": self.legend(), "style": self.style.describe() if self.style else None,
            "provenance": self.provenance, "synthetic": self.synthetic,
            "licence": self.licence, "attribution": self.attribution,
            "sources": [s.as_dict() for s in self.sources],
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
    sources: tuple[SourceInfo, ...]  #: every input of the run
    region_bounds_3857: BBox
    #: the result schemas the registry was built from (name -> schema)
    schemas: Mapping[str, ResultSchema] = field(default_factory=lambda: RESULTS, repr=False)

    @property
    def figure_sources(self) -> tuple[SourceInfo, ...]:
        """The inputs the per-municipality figures (the summaries, a municipality's detail and download)
        derive from: the declared inputs of every per-municipality schema and the headline."""
        per_municipality = [s for s in self.schemas.values() if s.per_municipality]
        return sources_of_schemas([*per_municipality, HEADLINE], self.sources)

    def get(self, layer_id: str) -> ServedLayer:
        try:
            return self.layers[layer_id]
        except KeyError:
            raise UnknownLayerError("no layer with that id is served; the layer list at api/layers "
                                    "has the ids.") from None

    def vector_layers(self) -> list[ServedLayer]:
        return [layer for layer in self.layers.values() if layer.kind == "vector"]

    def raster_layers(self) -> list[ServedLayer]:
        return [layer for layer in self.layers.values() if layer.kind == "raster"]


# ------------------------------------------------------------------ building


def _vector_layer(sch: ResultSchema, index: int, record: RunRecord, run_sources: tuple[SourceInfo, ...],
                  bounds_lonlat: BBox, bounds_3857: BBox, style: LayerStyle | None = None) -> ServedLayer:
    """A result layer; its provenance and attribution are those of the inputs its schema declares
    (``ResultSchema.inputs``: the layer's geometry and own figures), not of every input of the run."""
    sources = sources_for(sch.inputs, run_sources)
    return ServedLayer(
        id=sch.name, title=sch.titles["en"], titles=sch.titles, kind="vector", origin="result",
        description=sch.description, units="; ".join(f"{c}: {u}" for c, u in sch.units),
        provenance=provenance_of(sources), sources=sources, run_id=record.run_id, minzoom=VECTOR_MIN_ZOOM,
        maxzoom=VECTOR_MAX_ZOOM, bounds=bounds_lonlat, bounds_3857=bounds_3857, geometry_type=sch.geometry_type,
        fields={c: _FIELD_TYPES.get(t, "String") for c, t in sch.columns}, field_units=dict(sch.units),
        colour=vector_colour(index), style=style,
    )


def _maxzoom(facts: RasterFacts) -> int:
    return min(MAX_ZOOM, facts.native_zoom + OVERZOOM_LEVELS)


def _run_raster_layers(record: RunRecord, run_dir: Path, sources: tuple[SourceInfo, ...]) -> list[ServedLayer]:
    by_id = {s.layer_id: s for s in sources}
    layers = []
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
        layers.append(ServedLayer(
            id=tif.stem, title=sidecar.title, kind="raster", origin="run", description=sidecar.description,
            units=sidecar.units, provenance=provenance_of(layer_sources), sources=layer_sources,
            run_id=record.run_id, minzoom=0, maxzoom=_maxzoom(facts),
            bounds=facts.bounds_lonlat, bounds_3857=facts.bounds_3857,
            scale=ColourScale(sidecar.colormap, *sidecar.range), resampling=sidecar.resampling,
            analysis_path=tif, display_path=display_path_for(tif),
            titles={"de": sidecar.title_de or sidecar.title, "en": sidecar.title},
        ))
    return layers


def _catalog_raster_layer(entry: LayerEntry, record: RunRecord, run_dir: Path,
                          by_id: Mapping[str, SourceInfo]) -> ServedLayer | None:
    if not entry.path.is_file():
        log.warning("catalog raster %s has no file yet; not served", entry.id)
        return None
    try:
        facts = raster_facts(entry.path, f"catalog raster {entry.id}")
        rng = entry.extra.get("range")
        low, high = (float(rng[0]), float(rng[1])) if isinstance(rng, list | tuple) and len(rng) == 2 \
            else facts.auto_range
        scale = ColourScale(str(entry.extra.get("colormap", DEFAULT_COLORMAP)), low, high)
    except (ConfigError, InputDataError, TypeError, ValueError) as exc:
        log.warning("catalog raster %s is not served: %s", entry.id, exc)
        return None
    source = by_id.get(entry.id) or SourceInfo.of_entry(entry)
    return ServedLayer(
        id=entry.id, title=entry.title, kind="raster", origin="catalog", description=entry.title,
        units=entry.units, provenance=entry.provenance, sources=(source,), run_id=record.run_id, minzoom=0,
        maxzoom=_maxzoom(facts), bounds=facts.bounds_lonlat, bounds_3857=facts.bounds_3857, scale=scale,
        resampling=str(entry.extra.get("resampling", "average")),
        analysis_path=entry.path,
        display_path=catalog_display_path(run_dir, entry.id),
        titles={"de": entry.title, "en": str(entry.extra.get("title_en") or entry.title)},
    )


def build_registry(store: Store, region: Region, record: RunRecord, raster_cache: Path,
                   schemas: Mapping[str, ResultSchema] = RESULTS) -> LayerRegistry:
    """Every layer the run serves (see the module docstring). Reads metadata only; display COGs are
    built later (:func:`potenzial.tiles.display.ensure_display_cog`). ``schemas`` are the result
    schemas whose geometry layers are served (default: the result registry)."""
    run_layers = store.run_layers(record.run_id)
    sources = run_sources(store, region, record, run_layers)
    if MUNICIPALITIES.name in run_layers:
        municipalities = store.read(MUNICIPALITIES.name, record.run_id)
        region_bounds = tuple(float(b) for b in municipalities.total_bounds)
    else:
        region_bounds = (0.0, 0.0, 0.0, 0.0)
    region_lonlat = bounds_to_lonlat(region_bounds, ANALYSIS_EPSG)  # type: ignore[arg-type]
    region_3857 = bounds_to_3857(region_bounds, ANALYSIS_EPSG)  # type: ignore[arg-type]
    layers: dict[str, ServedLayer] = {}

    def add(layer: ServedLayer | None) -> None:
        if layer is None:
            return
        if layer.id in layers:
            log.warning("layer id %r is served twice (%s and %s); keeping the first", layer.id,
                        layers[layer.id].origin, layer.origin)
            return
        layers[layer.id] = layer

    vector_names = [n for n, s in schemas.items() if s.geometry_type and n in run_layers]
    styles = layer_styles(schemas)
    for index, name in enumerate(vector_names):
        add(_vector_layer(schemas[name], index, record, sources, region_lonlat, region_3857, styles.get(name)))
    run_dir = raster_cache / record.run_id
    for layer in _run_raster_layers(record, run_dir, sources):
        add(layer)
    by_id = {s.layer_id: s for s in sources}
    for entry in region.layers.values():
        if entry.kind == "raster":
            add(_catalog_raster_layer(entry, record, run_dir, by_id))
    return LayerRegistry(run_id=record.run_id, layers=layers, sources=sources,
                         region_bounds_3857=region_3857, schemas=schemas)


__all__ = ["LayerRegistry", "ServedLayer", "build_registry"]

"""The offline base map: a light map drawn from the region's own layers, served as vector tiles by
the app itself, so that the default page needs nothing from outside.

Its layers (MVT layer names) come from the run's published municipalities and the catalog's
layers (real files or the synthetic stand-ins the run generated): ``county`` and
``municipalities`` (boundaries, with ``name``), ``water`` and ``forest`` (land-cover classes),
``settlement`` (built-up areas with the Ortsteil name), ``roads`` (with ``kind``) and
``railways``. A layer whose catalog file is missing is left out. The attribution names every
source; synthetic ones are marked as such. Both stores serve the same tiles: the data is read
once per run into memory (EPSG:3857) and encoded in Python (:mod:`potenzial.tiles.mvt`).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import shapely
from shapely.ops import polylabel

from potenzial.crs import WEB_MERCATOR, WGS84
from potenzial.errors import ConfigError, InputDataError
from potenzial.region import LayerEntry, Region
from potenzial.sources.vector import read_vector
from potenzial.tiles.grid import tile_bounds_3857
from potenzial.tiles.mvt import DEFAULT_BUFFER, DEFAULT_EXTENT, encode_layers, tile_features

log = logging.getLogger("potenzial.serving")

BASEMAP_MIN_ZOOM = 0
BASEMAP_MAX_ZOOM = 16
#: geometries are simplified by this many tile pixels (of 4096) before encoding
SIMPLIFY_PX = 2.0
#: the name of the run's municipalities layer among the base map's sources
MUNICIPALITIES_SOURCE = "municipalities"


@dataclass(frozen=True)
class BaseLayer:
    """One layer of the base map: which catalog layer it reads, which rows and columns, from which zoom."""

    name: str
    source: str  #: catalog layer id, or MUNICIPALITIES_SOURCE for the run's published municipalities
    minzoom: int
    columns: tuple[str, ...] = ()
    where: tuple[str, tuple[str, ...]] | None = None  #: (column, values kept)
    title_de: str = ""
    title_en: str = ""


#: drawn in this order, bottom to top
BASE_LAYERS = (
    BaseLayer("forest", "landcover", 8, where=("class", ("forest",)), title_de="Wald", title_en="forest"),
    BaseLayer("water", "landcover", 0, where=("class", ("water",)), title_de="Gewässer", title_en="water"),
    BaseLayer("settlement", "builtup_areas", 8, columns=("ortsteil",), title_de="Siedlungen",
              title_en="settlements"),
    BaseLayer("railways", "railways", 9, title_de="Bahnstrecken", title_en="railways"),
    BaseLayer("roads", "roads", 7, columns=("kind",), title_de="Straßen", title_en="roads"),
    BaseLayer("municipalities", MUNICIPALITIES_SOURCE, 0, columns=("ags", "name"), title_de="Gemeindegrenzen",
              title_en="municipal boundaries"),
    BaseLayer("county", "county", 0, title_de="Kreisgrenze", title_en="county boundary"),
)


@dataclass(frozen=True)
class BaseMapData:
    """The base map's layers of one run in EPSG:3857, their sources and the municipalities' label points."""

    frames: Mapping[str, gpd.GeoDataFrame]
    sources: tuple[LayerEntry, ...]
    labels: tuple[dict[str, object], ...]
    municipality_entry: LayerEntry | None = None

    @property
    def synthetic(self) -> bool:
        return any(s.synthetic for s in self.sources)

    def attribution(self) -> dict[str, str]:
        """The base map's credit per language: the real sources' attributions, then the synthetic layers."""
        real = list(dict.fromkeys(s.attribution for s in self.sources if not s.synthetic and s.attribution))
        fake = [spec for spec in BASE_LAYERS if spec.name in self.frames and self._synthetic(spec)]
        out = {}
        for lang in ("de", "en"):
            parts = list(real)
            if fake:
                names = ", ".join(spec.title_de if lang == "de" else spec.title_en for spec in fake)
                parts.append(f"{names}: " + ("synthetische Demodaten" if lang == "de" else "synthetic demo data"))
            prefix = "Grundkarte" if lang == "de" else "Base map"
            out[lang] = f"{prefix}: " + "; ".join(parts)
        return out

    def _synthetic(self, spec: BaseLayer) -> bool:
        entry = self.municipality_entry if spec.source == MUNICIPALITIES_SOURCE else \
            next((s for s in self.sources if s.id == spec.source), None)
        return bool(entry and entry.synthetic)

    def describe(self, base_url: str) -> dict[str, object]:
        """The base map for the page (``/api/basemap``)."""
        return {
            "tiles": [f"{base_url}/basemap/{{z}}/{{x}}/{{y}}.pbf"], "minzoom": BASEMAP_MIN_ZOOM,
            "maxzoom": BASEMAP_MAX_ZOOM,
            "layers": [{"id": spec.name, "minzoom": spec.minzoom, "synthetic": self._synthetic(spec),
                        "titles": {"de": spec.title_de, "en": spec.title_en}}
                       for spec in BASE_LAYERS if spec.name in self.frames],
            "attribution": self.attribution(), "synthetic": self.synthetic,
            "sources": [{"id": s.id, "title": s.title, "synthetic": s.synthetic, "attribution": s.attribution,
                         "licence": s.licence} for s in self.sources],
            "labels": list(self.labels),
        }

    def tile(self, z: int, x: int, y: int) -> bytes:
        """The base-map MVT of a tile (every layer drawn from its zoom on); ``b""`` when empty."""
        minx, miny, maxx, maxy = tile_bounds_3857(z, x, y)
        pad = DEFAULT_BUFFER * (maxx - minx) / DEFAULT_EXTENT
        box = shapely.box(minx - pad, miny - pad, maxx + pad, maxy + pad)
        layers = []
        for spec in BASE_LAYERS:
            frame = self.frames.get(spec.name)
            if frame is None or z < spec.minzoom:
                continue
            hits = np.sort(frame.sindex.query(box, predicate="intersects"))
            if hits.size == 0:
                continue
            layers.append((spec.name, tile_features(frame.iloc[hits], z, x, y, simplify_px=SIMPLIFY_PX)))
        return encode_layers(layers)


def _select(frame: gpd.GeoDataFrame, spec: BaseLayer) -> gpd.GeoDataFrame:
    if spec.where is not None:
        column, values = spec.where
        frame = frame[frame[column].isin(values)]
    keep = [c for c in spec.columns if c in frame.columns]
    geoms = np.asarray(frame.geometry.values, dtype=object)
    # an invalid polygon (a self-touching ring) would fill the whole tile once clipped: repair it, keeping
    # only its area
    polygonal = np.isin(shapely.get_type_id(geoms), (3, 6))
    bad = polygonal & ~shapely.is_valid(geoms)
    if bad.any():
        geoms = geoms.copy()
        geoms[bad] = shapely.buffer(shapely.make_valid(geoms[bad]), 0)
    out = gpd.GeoDataFrame(frame[keep].reset_index(drop=True), geometry=geoms, crs=frame.crs)
    out = out[~out.geometry.is_empty].reset_index(drop=True)
    return out.to_crs(WEB_MERCATOR)


def label_points(municipalities: gpd.GeoDataFrame) -> tuple[dict[str, object], ...]:
    """Where each municipality's name goes: a point inside it (its pole of inaccessibility, so that the
    name sits well inside odd shapes), largest first, with its area [km²] for thinning at low zoom."""
    frame = municipalities[~municipalities.geometry.is_empty]
    area_km2 = frame.geometry.area.to_numpy() / 1e6 if frame.crs and frame.crs.is_projected else \
        np.zeros(len(frame))
    points = [polylabel(max(shapely.get_parts(g), key=lambda p: p.area), tolerance=50.0)
              for g in frame.geometry]
    lonlat = gpd.GeoSeries(points, crs=frame.crs).to_crs(WGS84)
    rows = [{"ags": str(a), "name": str(n), "lon": round(float(p.x), 6), "lat": round(float(p.y), 6),
             "area_km2": round(float(s), 2)}
            for a, n, p, s in zip(frame["ags"], frame["name"], lonlat, area_km2, strict=True)]
    return tuple(sorted(rows, key=lambda r: (-float(r["area_km2"]), str(r["ags"]))))  # type: ignore[arg-type]


def build_basemap(region: Region, municipalities: gpd.GeoDataFrame) -> BaseMapData:
    """The base map of a run from its ``municipalities`` (EPSG:25833, with ``ags`` and ``name``) and the
    region's catalog layers. A catalog layer that cannot be read is left out (and logged)."""
    frames: dict[str, gpd.GeoDataFrame] = {}
    sources: dict[str, LayerEntry] = {}
    read: dict[str, gpd.GeoDataFrame | None] = {}
    for spec in BASE_LAYERS:
        if spec.source == MUNICIPALITIES_SOURCE:
            frames[spec.name] = _select(municipalities, spec)
            continue
        if spec.source not in region.layers:
            continue
        entry = region.layers[spec.source]
        if spec.source not in read:
            try:
                read[spec.source] = read_vector(entry) if entry.path.exists() else None
            except (ConfigError, InputDataError) as exc:
                log.warning("base map: layer %s is left out: %s", spec.source, exc)
                read[spec.source] = None
        frame = read[spec.source]
        if frame is None:
            continue
        selected = _select(frame, spec)
        if selected.empty:
            continue
        frames[spec.name] = selected
        sources[entry.id] = entry
    if "county" not in frames and not municipalities.empty:  # the county's outline from its municipalities
        outline = shapely.union_all(municipalities.geometry.values)
        frames["county"] = gpd.GeoDataFrame(geometry=[outline], crs=municipalities.crs).to_crs(WEB_MERCATOR)
    boundaries = region.layers.get(region.municipalities_layer)
    if boundaries is not None:
        sources = {boundaries.id: boundaries, **sources}
    return BaseMapData(frames=frames, sources=tuple(sources.values()), labels=label_points(municipalities),
                       municipality_entry=boundaries)


__all__ = ["BASE_LAYERS", "BaseMapData", "build_basemap", "label_points"]

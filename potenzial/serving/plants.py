"""Installed plants as map layers: the catalog's plant lists (the UFZ list of 2015 in the default
region) and, once a monitoring import adds it to the catalog, the MaStR units, served as vector
tiles from memory (the same in both stores, like the base map).

A plant layer is declared in :data:`PLANT_LAYERS` by catalog id; one the catalog lacks, or whose
file is missing, is left out. So the MaStR hook is a catalog entry with the id ``mastr_units``
(points, EPSG:25833, a ``Power_kW`` or ``capacity_kw`` column): it is served as soon as it exists.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import shapely

from potenzial.crs import WEB_MERCATOR
from potenzial.errors import ConfigError, InputDataError
from potenzial.region import LayerEntry, Region
from potenzial.serving.cartography import OKABE_ITO
from potenzial.sources.vector import read_vector
from potenzial.tiles.grid import bounds_to_lonlat, tile_bounds_3857
from potenzial.tiles.mvt import DEFAULT_BUFFER, DEFAULT_EXTENT, encode_layer

log = logging.getLogger("potenzial.serving")

PLANTS_MAX_ZOOM = 18
#: attributes a plant keeps in its tiles (the rest stays in the file)
PLANT_COLUMNS = ("Technology", "Year", "Power_kW", "capacity_kw", "commissioned", "name")


@dataclass(frozen=True)
class PlantLayer:
    """A catalog layer of installed plants and how the map draws it."""

    id: str
    title_de: str
    title_en: str
    colour: str


PLANT_LAYERS = (
    PlantLayer("plants_wind_2015", "Bestand: Windenergieanlagen 2015 (UFZ)", "Installed: wind turbines 2015 (UFZ)",
               OKABE_ITO["blue"]),
    PlantLayer("plants_pv_open_field_2015", "Bestand: PV-Freiflächenanlagen 2015 (UFZ)",
               "Installed: open-field PV 2015 (UFZ)", OKABE_ITO["orange"]),
    PlantLayer("plants_bioenergy_2015", "Bestand: Bioenergieanlagen 2015 (UFZ)",
               "Installed: bioenergy plants 2015 (UFZ)", OKABE_ITO["bluish_green"]),
    PlantLayer("plants_hydro_2015", "Bestand: Wasserkraftanlagen 2015 (UFZ)",
               "Installed: hydropower plants 2015 (UFZ)", OKABE_ITO["sky_blue"]),
    # the monitoring import's MaStR units, when the catalog has them
    PlantLayer("mastr_units", "Bestand: Anlagen laut MaStR", "Installed: units in the MaStR", OKABE_ITO["black"]),
)


@dataclass(frozen=True)
class InstalledPlants:
    """The plant layers of a region, read once: frames in EPSG:3857 and their catalog entries."""

    frames: Mapping[str, gpd.GeoDataFrame]
    entries: Mapping[str, LayerEntry]

    def describe(self, base_url: str) -> list[dict[str, object]]:
        """Each plant layer as the page reads a served layer (id, titles, tiles, colour, sources, …)."""
        out: list[dict[str, object]] = []
        for spec in PLANT_LAYERS:
            frame = self.frames.get(spec.id)
            if frame is None:
                continue
            entry = self.entries[spec.id]
            geometry = str(frame.geom_type.iloc[0]).upper()
            out.append({
                "id": spec.id, "title": spec.title_en, "titles": {"de": spec.title_de, "en": spec.title_en},
                "kind": "vector", "origin": "catalog", "geometry_type": geometry, "colour": spec.colour,
                "style": None, "units": entry.units, "provenance": entry.provenance, "synthetic": entry.synthetic,
                "licence": entry.licence, "attribution": entry.attribution,
                "sources": [{"id": entry.id, "title": entry.title, "attribution": entry.attribution,
                             "licence": entry.licence, "synthetic": entry.synthetic}],
                "minzoom": 0, "maxzoom": PLANTS_MAX_ZOOM,
                "bounds": list(bounds_to_lonlat(tuple(frame.total_bounds), 3857)),
                "tiles": [f"{base_url}/plants/{spec.id}/{{z}}/{{x}}/{{y}}.pbf"],
            })
        return out

    def tile(self, layer_id: str, z: int, x: int, y: int) -> bytes:
        """The MVT of one plant layer (one layer named like it); ``b""`` when empty. KeyError: unknown id."""
        frame = self.frames[layer_id]
        minx, miny, maxx, maxy = tile_bounds_3857(z, x, y)
        pad = DEFAULT_BUFFER * (maxx - minx) / DEFAULT_EXTENT
        hits = np.sort(frame.sindex.query(shapely.box(minx - pad, miny - pad, maxx + pad, maxy + pad),
                                          predicate="intersects"))
        if hits.size == 0:
            return b""
        return encode_layer(frame.iloc[hits], layer_id, z, x, y)


def load_plants(region: Region) -> InstalledPlants:
    """The plant layers the region's catalog has (a missing or unreadable file is left out, and logged)."""
    frames: dict[str, gpd.GeoDataFrame] = {}
    entries: dict[str, LayerEntry] = {}
    for spec in PLANT_LAYERS:
        entry = region.layers.get(spec.id)
        if entry is None or entry.kind != "vector":
            continue
        try:
            frame = read_vector(entry)
        except (ConfigError, InputDataError) as exc:
            log.warning("installed plants: layer %s is left out: %s", spec.id, exc)
            continue
        keep = [c for c in PLANT_COLUMNS if c in frame.columns]
        frame = gpd.GeoDataFrame(frame[keep].reset_index(drop=True), geometry=frame.geometry.values,
                                 crs=frame.crs).to_crs(WEB_MERCATOR)
        frames[spec.id] = frame[~frame.geometry.is_empty].reset_index(drop=True)
        entries[spec.id] = entry
    return InstalledPlants(frames=frames, entries=entries)


__all__ = ["PLANT_LAYERS", "InstalledPlants", "PlantLayer", "load_plants"]

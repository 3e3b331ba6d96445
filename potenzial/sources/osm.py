"""Buildings from an OpenStreetMap extract (``.osm.pbf`` / ``.osm``).

Every closed way and every multipolygon relation tagged ``building=*`` (except ``building=no``)
whose geometry is complete in the file becomes one footprint; libosmium's area assembler
(pyosmium) builds the polygons. Ways and relations with nodes or members missing from the
extract (cut at its border) cannot be built and are counted, not guessed.

Columns: ``building_id`` (``w<way id>`` or ``r<relation id>``), ``use`` (``residential`` |
``non_residential`` | ``unknown``), ``function`` (the ``building=*`` value), ``floors``
(``building:levels``), ``height_m`` (``height``), geometry in EPSG:25833.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from potenzial.crs import ANALYSIS_CRS, WGS84
from potenzial.errors import InputDataError

#: ``building=*`` values for dwellings (OSM wiki, Key:building, "Accommodation")
RESIDENTIAL_VALUES = frozenset({
    "residential", "house", "detached", "semidetached_house", "terrace", "apartments", "bungalow",
    "dormitory", "farm", "cabin", "houseboat", "static_caravan", "stilt_house", "trullo", "ger", "hut",
})
UNSPECIFIC_VALUES = frozenset({"yes"})


@dataclass(frozen=True)
class OsmReadReport:
    """Counts of one read: polygons built, and tagged objects that could not be built."""

    polygons: int
    incomplete: int


def osm_use(building_value: str) -> str:
    """``residential`` / ``non_residential`` / ``unknown`` from a ``building=*`` value."""
    if building_value in RESIDENTIAL_VALUES:
        return "residential"
    if building_value in UNSPECIFIC_VALUES or not building_value:
        return "unknown"
    return "non_residential"


def read_osm_buildings(path: Path | str, bbox_wgs84: tuple[float, float, float, float] | None = None,
                       target_crs=ANALYSIS_CRS) -> tuple[gpd.GeoDataFrame, OsmReadReport]:
    """Read the building footprints of an OSM file; ``bbox_wgs84`` (west, south, east, north) keeps
    only buildings whose polygon intersects it."""
    import osmium  # an optional dependency: only needed for OSM input

    path = Path(path)
    if not path.is_file():
        raise InputDataError(f"OSM file {path}: not found. Download an extract (e.g. sachsen-latest.osm.pbf) "
                             "and point the catalog at it.")
    wkb = osmium.geom.WKBFactory()
    ids: list[str] = []
    values: list[str] = []
    levels: list[str | None] = []
    heights: list[str | None] = []
    geoms: list[str | bytes] = []  # WKBFactory output: hex strings as pyosmium types it, or bytes; both decoded below
    try:
        processor = (osmium.FileProcessor(str(path))
                     .with_areas(osmium.filter.KeyFilter("building"))
                     .with_filter(osmium.filter.KeyFilter("building")))
        for obj in processor:
            if not isinstance(obj, osmium.osm.Area):
                continue
            value = obj.tags.get("building")
            if value is None or value == "no":
                continue
            try:
                geoms.append(wkb.create_multipolygon(obj))
            except (RuntimeError, osmium.InvalidLocationError):
                continue
            ids.append(f"{'w' if obj.from_way() else 'r'}{obj.orig_id()}")
            values.append(value)
            levels.append(obj.tags.get("building:levels"))
            heights.append(obj.tags.get("height"))
    except RuntimeError as exc:
        raise InputDataError(f"OSM file {path}: cannot be read ({str(exc)[:160]}). "
                             "Check that it is a complete .osm.pbf or .osm file.") from None
    tagged = _count_tagged(path)
    geometry = shapely.from_wkb(np.array([bytes.fromhex(g) if isinstance(g, str) else g for g in geoms],
                                         dtype=object))
    frame = gpd.GeoDataFrame({
        "building_id": ids,
        "use": [osm_use(v) for v in values],
        "function": values,
        "floors": pd.to_numeric(pd.Series(levels, dtype=object), errors="coerce"),
        "height_m": pd.to_numeric(pd.Series(heights, dtype=object).str.replace("m", "").str.strip(),
                                  errors="coerce"),
    }, geometry=geometry, crs=WGS84)
    if bbox_wgs84 is not None:
        frame = frame[frame.intersects(shapely.box(*bbox_wgs84))]
    frame = frame.to_crs(target_crs).reset_index(drop=True)
    return frame, OsmReadReport(polygons=len(ids), incomplete=max(tagged - len(ids), 0))


def _count_tagged(path: Path) -> int:
    """Closed ways and multipolygon relations tagged ``building`` (not ``no``), built or not."""
    import osmium

    count = 0
    for obj in osmium.FileProcessor(str(path), osmium.osm.WAY | osmium.osm.RELATION).with_filter(
            osmium.filter.KeyFilter("building")):
        if obj.tags.get("building") == "no":
            continue
        if isinstance(obj, osmium.osm.Way):
            if obj.is_closed():
                count += 1
        elif obj.tags.get("type") == "multipolygon":
            count += 1
    return count

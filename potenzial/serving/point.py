"""Everything at a point: every served layer's value there (raster: the cell's value; vector: the
attributes of features within a tolerance) and every exclusion reason found there.

The answer describes itself in the asked language (German by default): each layer's title, each
feature's attributes with title, unit and formatted value (``items``; bitmasks left out), and each
exclusion reason as its rule's title, hard/soft and legal source (:mod:`potenzial.serving.point_text`).
The raw attributes stay in ``features`` for programs."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd
import rasterio
import shapely
from pyproj import Transformer
from rasterio.errors import RasterioError

from potenzial.crs import ANALYSIS_CRS, ANALYSIS_EPSG, WEB_MERCATOR_EPSG, WGS84
from potenzial.errors import NotFoundError
from potenzial.runs import RunRecord
from potenzial.serving.figures import json_value
from potenzial.serving.point_text import RuleText, format_number, labelled_feature, rules_of_layer, split_reasons
from potenzial.serving.registry import LayerRegistry, ServedLayer
from potenzial.store.base import Store
from potenzial.store.schema import MUNICIPALITIES
from potenzial.tiles.grid import bounds_to_lonlat, lonlat_to

#: features listed per layer in a point answer
POINT_MAX_FEATURES = 20
#: features read per layer around the point before the distance filter
POINT_READ_LIMIT = 1000
#: property names that explain an exclusion (``reason``, ``rule``, ``*_reason`` …)
EXCLUSION_FIELDS = ("reason", "reasons", "rule", "rules", "exclusion", "exclusion_reason", "criterion")


def raster_value(path: Path, lon: float, lat: float) -> float | None:
    """The value of the raster's cell at a point [degrees, EPSG:4326]; None outside, at nodata, for a
    non-finite value or an unreadable file."""
    try:
        with rasterio.open(path) as src:
            x, y = Transformer.from_crs(WGS84, src.crs, always_xy=True).transform(lon, lat)
            row, col = src.index(x, y)
            if not (0 <= row < src.height and 0 <= col < src.width):
                return None
            value = src.read(1, window=((row, row + 1), (col, col + 1)), masked=True)
    except RasterioError:
        return None
    if np.ma.getmaskarray(value)[0, 0]:
        return None
    result = float(value[0, 0])
    return result if np.isfinite(result) else None


def is_reason_field(name: str) -> bool:
    return name in EXCLUSION_FIELDS or name.endswith(("_reason", "_reasons"))


def features_near(store: Store, layer: ServedLayer, record: RunRecord, x: float, y: float,
                  tolerance_m: float) -> pd.DataFrame:
    """Features of a vector layer within ``tolerance_m`` [m] of (x, y) [EPSG:25833], the geometry kept."""
    box = (x - tolerance_m, y - tolerance_m, x + tolerance_m, y + tolerance_m)
    frame = store.read_bbox(layer.id, box, record.run_id, limit=POINT_READ_LIMIT)
    if frame.empty:
        return frame
    return frame[frame.geometry.distance(shapely.Point(x, y)) <= tolerance_m].head(POINT_MAX_FEATURES)


def check_in_extent(registry: LayerRegistry, lon: float, lat: float, tolerance_m: float) -> None:
    """NotFoundError naming the region's extent [degrees] when the point lies outside it by more than
    ``tolerance_m`` [m]: no layer has anything there (and far away, EPSG:25833 has no coordinates)."""
    minx, miny, maxx, maxy = registry.region_bounds_3857
    if not (minx < maxx and miny < maxy):
        return  # the run has no municipalities: no extent to check against
    px, py = lonlat_to(lon, lat, WEB_MERCATOR_EPSG)
    pad = tolerance_m / max(np.cos(np.radians(lat)), 1e-6)  # ground metres -> EPSG:3857 metres
    if minx - pad <= px <= maxx + pad and miny - pad <= py <= maxy + pad:
        return
    west, south, east, north = bounds_to_lonlat(registry.region_bounds_3857, WEB_MERCATOR_EPSG)
    raise NotFoundError(f"the point lon {lon:g}, lat {lat:g} is outside the region's extent (lon {west:.3f} to "
                        f"{east:.3f}, lat {south:.3f} to {north:.3f} degrees); choose a point inside it.")


def _reasons(layer: ServedLayer, clean: dict, rules: dict[str, RuleText], lang: str) -> list[dict]:
    out: list[dict] = []
    label = layer.titles.get(lang, layer.title) if layer.titles else layer.title
    for key, value in clean.items():
        if not is_reason_field(key) or value in (None, ""):
            continue
        for part in split_reasons(value):
            if part in rules:
                reason = rules[part].as_reason(layer.id, label, lang)
            else:  # a free-text reason: it is its own title
                hard = clean.get("hard")
                reason = {"layer": layer.id, "layer_title": label, "rule_id": None, "rule_set": None,
                          "title": part, "hard": hard if isinstance(hard, bool) else None, "kind": None,
                          "source": ""}
            # the field and the stored reason stay for programs (data only; a person reads the title)
            out.append({**reason, "field": key, "reason": part})
    return out


def point_query(store: Store, registry: LayerRegistry, record: RunRecord, lon: float, lat: float,
                tolerance_m: float, lang: str = "de",
                rules: Mapping[str, Mapping[str, RuleText]] | None = None) -> dict:
    """Every layer's value at a point and every exclusion reason found there, labelled in ``lang``
    (``rules``: the run's rules by rule table and id, for the reasons' titles); NotFoundError for a point outside the
    region's extent (:func:`check_in_extent`)."""
    check_in_extent(registry, lon, lat, tolerance_m)
    by_table = rules or {}
    x, y = lonlat_to(lon, lat, ANALYSIS_EPSG)
    here = shapely.Point(x, y)
    layers, reasons, municipality = [], [], None
    for layer in registry.layers.values():
        entry: dict = {"id": layer.id, "title": layer.title,
                       "label": layer.titles.get(lang, layer.title) if layer.titles else layer.title,
                       "kind": layer.kind, "units": layer.units, "synthetic": layer.synthetic,
                       "value": None, "text": None, "features": [], "items": []}
        if layer.kind == "raster":
            entry["value"] = raster_value(layer.analysis_path, lon, lat) if layer.analysis_path else None
            if entry["value"] is not None:
                entry["text"] = f"{format_number(entry['value'], 2, lang)} {layer.units}".strip()
        else:
            sch = registry.schemas.get(layer.id)
            near = features_near(store, layer, record, x, y, tolerance_m)
            rules_here = rules_of_layer(layer.id, by_table)
            if not near.empty:
                props = pd.DataFrame(near.drop(columns=near.geometry.name))
                for rec in props.to_dict(orient="records"):
                    clean = {k: json_value(v) for k, v in rec.items()}
                    entry["features"].append(clean)
                    if sch is not None:
                        entry["items"].append(labelled_feature(sch, clean, lang, rules_here))
                    reasons.extend(_reasons(layer, clean, rules_here, lang))
                if layer.id == MUNICIPALITIES.name:
                    inside = near[near.geometry.contains(here)]
                    if len(inside):
                        municipality = {"ags": str(inside["ags"].iloc[0]), "name": str(inside["name"].iloc[0])}
        layers.append(entry)
    return {"lon": lon, "lat": lat, "x_m": x, "y_m": y, "crs": ANALYSIS_CRS.to_string(), "run_id": record.run_id,
            "lang": lang, "tolerance_m": tolerance_m, "municipality": municipality, "layers": layers,
            "exclusion_reasons": reasons}


__all__ = ["EXCLUSION_FIELDS", "POINT_MAX_FEATURES", "point_query", "raster_value"]

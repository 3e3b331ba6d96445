"""Roof planes of buildings: from LoD2 roof surfaces, a DSM, or a footprint heuristic.

A plane frame (GeoDataFrame, EPSG:25833) has one row per roof plane with ``building_id``,
``method`` (``lod2`` | ``dsm`` | ``footprint_gable`` | ``footprint_flat``), ``tilt_deg``
(0 = horizontal), ``azimuth_deg`` (direction the plane faces, clockwise from north: 0 = north,
180 = south; 180 by convention for flat planes), ``plane_area_m2`` (the real, sloped area),
``shading_factor`` (1 = unshaded) and the plane's footprint (its projection on the ground) as
geometry. Pure calculation.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from potenzial.crs import ANALYSIS_CRS, require_metric
from potenzial.errors import InputDataError
from potenzial.solar_roof.params import RoofParams

METHODS = ("lod2", "dsm", "footprint_gable", "footprint_flat")
PLANE_COLUMNS = ("building_id", "method", "tilt_deg", "azimuth_deg", "plane_area_m2", "shading_factor")
FLAT_AZIMUTH_DEG = 180.0


@dataclass
class BuildingReport:
    """What happened to the input buildings: counts for the run report (never silent)."""

    counts: dict[str, int] = field(default_factory=dict)
    notes: dict[str, str] = field(default_factory=dict)

    def add(self, item: str, count: int, note: str = "") -> None:
        self.counts[item] = self.counts.get(item, 0) + int(count)
        if note:
            self.notes[item] = note

    def frame(self) -> pd.DataFrame:
        items = list(self.counts)
        return pd.DataFrame({
            "item": items,
            "count": [self.counts[i] for i in items],
            "detail": [self.notes.get(i, "") for i in items],
        })


def empty_planes() -> gpd.GeoDataFrame:
    frame = pd.DataFrame({c: pd.Series(dtype=("object" if c in ("building_id", "method") else "float64"))
                          for c in PLANE_COLUMNS})
    return gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries([], crs=ANALYSIS_CRS), crs=ANALYSIS_CRS)


def clean_buildings(buildings: gpd.GeoDataFrame, report: BuildingReport,
                    what: str = "buildings") -> gpd.GeoDataFrame:
    """Buildings with a valid polygonal footprint, in EPSG:25833, with a text ``building_id``.

    Missing/empty geometry and non-polygon geometry are skipped, invalid polygons repaired with
    ``make_valid`` (skipped when nothing polygonal remains); every case is counted in ``report``.
    Fails when the frame has no CRS or one in degrees.
    """
    require_metric(buildings.crs, what)
    if "building_id" not in buildings.columns:
        raise InputDataError(f"{what}: no building_id column (columns: {', '.join(map(str, buildings.columns))}). "
                             "Map one with fields = { building_id = \"…\" } in the catalog entry.")
    # what the layer's reader repaired already (potenzial.sources.vector.repair_polygons) is counted here too
    earlier = buildings.attrs.get("geometry_repairs", {})
    dropped, made_valid = int(earlier.get("empty_dropped", 0)), int(earlier.get("invalid_made_valid", 0))
    frame = buildings.to_crs(ANALYSIS_CRS) if buildings.crs != ANALYSIS_CRS else buildings
    report.add("buildings_read", len(frame) + dropped)
    geoms = np.asarray(frame.geometry.values, dtype=object)
    missing = shapely.is_missing(geoms) | shapely.is_empty(geoms)
    report.add("buildings_without_geometry_skipped", int(missing.sum()) + dropped, "no or empty geometry")
    types = shapely.get_type_id(geoms)
    polygonal = np.isin(types, (3, 6))  # Polygon, MultiPolygon
    wrong_type = ~missing & ~polygonal
    report.add("buildings_not_polygon_skipped", int(wrong_type.sum()), "point or line geometry")
    keep = ~missing & polygonal
    invalid = keep & ~shapely.is_valid(geoms)
    repaired = geoms.copy()
    if invalid.any():
        fixed = shapely.make_valid(geoms[invalid])
        fixed = np.array([_polygonal_part(g) for g in fixed], dtype=object)
        bad = shapely.is_missing(fixed) | shapely.is_empty(fixed)
        repaired[np.where(invalid)[0]] = fixed
        report.add("buildings_invalid_repaired", int((~bad).sum()) + made_valid, "repaired with shapely.make_valid")
        report.add("buildings_invalid_skipped", int(bad.sum()), "nothing polygonal left after repair")
        keep[np.where(invalid)[0][bad]] = False
    else:
        report.add("buildings_invalid_repaired", made_valid, "repaired with shapely.make_valid")
        report.add("buildings_invalid_skipped", 0, "nothing polygonal left after repair")
    out = frame.loc[keep].copy()
    out = out.set_geometry(gpd.GeoSeries(repaired[keep], index=out.index, crs=ANALYSIS_CRS))
    out["building_id"] = out["building_id"].astype(str)
    dup = out["building_id"].duplicated(keep="first")
    report.add("buildings_duplicate_id_skipped", int(dup.sum()), "same building_id seen before")
    return out.loc[~dup]


def _polygonal_part(geom):
    if geom is None or geom.is_empty:
        return None
    if geom.geom_type in ("Polygon", "MultiPolygon"):
        return geom
    parts = [g for g in getattr(geom, "geoms", []) if g.geom_type in ("Polygon", "MultiPolygon")]
    if not parts:
        return None
    merged = shapely.union_all(parts)
    return merged if not merged.is_empty else None


def footprint_planes(buildings: gpd.GeoDataFrame, params: RoofParams) -> gpd.GeoDataFrame:
    """The footprint heuristic (docs/METHOD.md): small and medium residential buildings get a gable roof
    at ``gable_tilt_deg`` with the ridge along the long axis of the minimum rotated rectangle (two
    planes facing away from the ridge, perpendicular to it); large or non-residential buildings a
    flat roof. A building of unknown use (e.g. OSM ``building=yes``) counts as residential when
    ``unknown_use_as_residential``."""
    if len(buildings) == 0:
        return empty_planes()
    geoms = np.asarray(buildings.geometry.values, dtype=object)
    area = shapely.area(geoms)
    use = buildings["use"].astype(str).to_numpy() if "use" in buildings.columns else np.full(len(geoms), "")
    residential = np.isin(use, params.residential_uses)
    if params.unknown_use_as_residential:
        residential |= np.isin(use, ("unknown", "", "nan", "None"))
    gable = residential & (area <= params.gable_max_footprint_m2)
    ids = buildings["building_id"].astype(str).to_numpy()

    parts = []
    flat = ~gable
    if flat.any():
        parts.append(pd.DataFrame({
            "building_id": ids[flat], "method": "footprint_flat", "tilt_deg": 0.0,
            "azimuth_deg": FLAT_AZIMUTH_DEG, "plane_area_m2": area[flat], "shading_factor": 1.0,
            "geometry": geoms[flat],
        }))
    if gable.any():
        parts.append(_gable_halves(ids[gable], geoms[gable], params.gable_tilt_deg))
    frame = pd.concat(parts, ignore_index=True)
    return gpd.GeoDataFrame(frame, geometry="geometry", crs=ANALYSIS_CRS)


def _gable_halves(ids: np.ndarray, geoms: np.ndarray, tilt_deg: float) -> pd.DataFrame:
    """Two planes per footprint: the footprint cut along the long axis of its minimum rotated
    rectangle; each half faces away from the ridge."""
    rect = shapely.oriented_envelope(geoms)
    coords = shapely.get_coordinates(shapely.get_exterior_ring(rect))
    n_coords = shapely.get_num_coordinates(shapely.get_exterior_ring(rect))
    ok = n_coords == 5  # degenerate footprints (lines/points as envelope) are skipped below
    starts = np.concatenate([[0], np.cumsum(n_coords)[:-1]])
    q = np.zeros((len(geoms), 4, 2))
    for k in range(4):
        q[ok, k] = coords[starts[ok] + k]
    e1 = q[:, 1] - q[:, 0]
    e2 = q[:, 2] - q[:, 1]
    long_first = np.hypot(*e1.T) >= np.hypot(*e2.T)
    # re-order so that q0 -> q1 is a long edge and w = q3 - q0 the short one
    q = np.where(long_first[:, None, None], q, np.roll(q, -1, axis=1))
    w = q[:, 3] - q[:, 0]
    mid0 = q[:, 0] + w / 2
    mid1 = q[:, 1] + w / 2
    half_a = shapely.polygons(np.stack([q[:, 0], q[:, 1], mid1, mid0, q[:, 0]], axis=1))
    half_b = shapely.polygons(np.stack([mid0, mid1, q[:, 2], q[:, 3], mid0], axis=1))
    # half A lies on the -w side of the ridge and faces -w; half B faces +w
    az_b = np.mod(np.degrees(np.arctan2(w[:, 0], w[:, 1])), 360.0)
    az_a = np.mod(az_b + 180.0, 360.0)
    cos_tilt = np.cos(np.radians(tilt_deg))
    rows = []
    for half, az in ((half_a, az_a), (half_b, az_b)):
        part = shapely.intersection(geoms, half)
        part = np.array([_polygonal_part(g) for g in part], dtype=object)
        good = ok & ~(shapely.is_missing(part) | shapely.is_empty(part))
        rows.append(pd.DataFrame({
            "building_id": ids[good], "method": "footprint_gable", "tilt_deg": float(tilt_deg),
            "azimuth_deg": az[good], "plane_area_m2": shapely.area(part[good]) / cos_tilt,
            "shading_factor": 1.0, "geometry": part[good],
        }))
    return pd.concat(rows, ignore_index=True)


def choose_planes(buildings: gpd.GeoDataFrame, params: RoofParams, *,
                  lod2: gpd.GeoDataFrame | None = None,
                  dsm: gpd.GeoDataFrame | None = None) -> gpd.GeoDataFrame:
    """Planes for every building, best source first: LoD2, then DSM, then the footprint heuristic.

    ``lod2`` and ``dsm`` are plane frames keyed by ``building_id``; a building takes all its planes
    from the first source that has any for it.
    """
    ids = buildings["building_id"].astype(str)
    taken: set[str] = set()
    parts = []
    for source in (lod2, dsm):
        if source is None or len(source) == 0:
            continue
        source = source[source["building_id"].astype(str).isin(ids) & ~source["building_id"].isin(taken)]
        taken |= set(source["building_id"])
        parts.append(source)
    rest = buildings[~ids.isin(taken)]
    parts.append(footprint_planes(rest, params))
    parts = [p[[*PLANE_COLUMNS, "geometry"]] for p in parts if len(p)]
    if not parts:
        return empty_planes()
    frame = pd.concat(parts, ignore_index=True)
    return gpd.GeoDataFrame(frame, geometry="geometry", crs=ANALYSIS_CRS)

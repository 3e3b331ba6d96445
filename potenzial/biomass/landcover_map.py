"""Land cover per municipality, and the map layer that spreads each feedstock over it.

:func:`landcover_by_municipality` cuts the land-cover polygons to each municipality and
dissolves them per class (the areas split the farmland into arable land and grassland);
:func:`spread_over_landcover` puts each (municipality, feedstock) row on the polygons of the
classes it comes from, so the map shows energy density [MWh/ha·a]. Areas in EPSG:25833.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry.base import BaseGeometry

from potenzial.biomass.feedstocks import FEEDSTOCKS_BY_ID, LANDCOVER_CLASSES
from potenzial.crs import require_metric
from potenzial.errors import InputDataError
from potenzial.units import M2_PER_HA


def landcover_by_municipality(munis: gpd.GeoDataFrame, landcover: gpd.GeoDataFrame,
                              classes: tuple[str, ...]) -> gpd.GeoDataFrame:
    """Land cover of ``classes`` cut to each municipality and dissolved per (ags, class).

    One row per (ags, class) present: ``ags``, ``class``, ``area_ha`` [ha], MultiPolygon.
    """
    require_metric(landcover.crs, "landcover")
    if "class" not in landcover.columns:
        raise InputDataError("landcover: column 'class' is missing. Map it with fields = { class = \"…\" }.")
    unknown = sorted(set(landcover["class"].dropna().unique()) - set(LANDCOVER_CLASSES))
    if unknown:
        raise InputDataError(f"landcover: class values {unknown} are unknown; use "
                             f"{', '.join(LANDCOVER_CLASSES)} (map your codes before loading).")
    if landcover.crs != munis.crs:
        landcover = landcover.to_crs(munis.crs)
    cover = landcover[landcover["class"].isin(classes)]
    geoms = cover.geometry.values
    cls = np.asarray(cover["class"], dtype=object)
    muni_idx, cover_idx = cover.sindex.query(munis.geometry.values, predicate="intersects")
    rows = []
    for m, (ags, muni_geom) in enumerate(zip(munis["ags"], munis.geometry.values, strict=True)):
        candidates = cover_idx[muni_idx == m]
        if not len(candidates):
            continue
        inside = shapely.contains_properly(muni_geom, geoms[candidates])
        for c in classes:
            of_class = cls[candidates] == c
            sel = candidates[of_class]
            if not len(sel):
                continue
            sel_inside = inside[of_class]
            parts = list(geoms[sel[sel_inside]])
            cut = shapely.intersection(geoms[sel[~sel_inside]], muni_geom)
            parts.extend(cut)
            geom = _polygonal(shapely.union_all(parts))
            if geom is not None:
                rows.append({"ags": ags, "class": c, "area_ha": geom.area / M2_PER_HA, "geometry": geom})
    return gpd.GeoDataFrame(rows, columns=["ags", "class", "area_ha", "geometry"], geometry="geometry",
                            crs=munis.crs)


def _polygonal(geom: BaseGeometry | None) -> shapely.MultiPolygon | None:
    """The polygon parts of ``geom`` as one MultiPolygon (None when there are none)."""
    if geom is None or geom.is_empty:
        return None
    polys = []
    for part in shapely.get_parts(geom):
        if part.geom_type == "Polygon":
            polys.append(part)
        elif part.geom_type in ("MultiPolygon", "GeometryCollection"):
            polys.extend(q for q in shapely.get_parts(part) if q.geom_type == "Polygon")
    polys = [p for p in polys if not p.is_empty]
    return shapely.MultiPolygon(polys) if polys else None


def spread_over_landcover(table: pd.DataFrame, cover: gpd.GeoDataFrame, munis: gpd.GeoDataFrame
                          ) -> gpd.GeoDataFrame:
    """The map layer ``biomass_map``: each (municipality, feedstock) on the polygons it comes from.

    Geometry = the municipality's land cover of the feedstock's classes (dissolved), so the
    energy density [MWh/ha·a] is the feedstock's energy over that area. Where the municipality
    has none of those classes, its whole polygon stands in (``landcover_classes`` =
    ``municipality``), so the map always carries the full amount.
    """
    pieces = {(a, c): (g, area) for a, c, g, area in
              zip(cover["ags"], cover["class"], cover.geometry.values, cover["area_ha"], strict=True)}
    muni_geom = dict(zip(munis["ags"], munis.geometry.values, strict=True))
    geoms, classes, areas = [], [], []
    for ags, feedstock in zip(table["ags"], table["feedstock"], strict=True):
        found = [(c, *pieces[(ags, c)]) for c in FEEDSTOCKS_BY_ID[feedstock].landcover_classes if (ags, c) in pieces]
        if found:
            geom = found[0][1] if len(found) == 1 else _polygonal(shapely.union_all([g for _, g, _ in found]))
            classes.append(",".join(c for c, _, _ in found))
            areas.append(float(sum(a for _, _, a in found)))
        else:
            geom = _polygonal(muni_geom[ags])
            if geom is None:
                raise InputDataError(f"municipalities: AGS {ags} has no polygon area (geometry "
                                     f"{str(muni_geom[ags])[:60]}). Give it its (Multi)Polygon boundary.")
            classes.append("municipality")
            areas.append(geom.area / M2_PER_HA)
        geoms.append(geom)
    area_ha = np.asarray(areas)
    out = pd.DataFrame({
        "ags": table["ags"].to_numpy(), "feedstock": table["feedstock"].to_numpy(),
        "landcover_classes": classes, "area_ha": area_ha,
        "amount_t_per_a": table["amount_t_per_a"].to_numpy(), "amount_m3_per_a": table["amount_m3_per_a"].to_numpy(),
        "primary_energy_mwh_per_a_p10": table["primary_energy_mwh_per_a_p10"].to_numpy(),
        "primary_energy_mwh_per_a_p50": table["primary_energy_mwh_per_a_p50"].to_numpy(),
        "primary_energy_mwh_per_a_p90": table["primary_energy_mwh_per_a_p90"].to_numpy(),
    })
    with np.errstate(invalid="ignore", divide="ignore"):
        out["primary_energy_mwh_per_ha_a_p50"] = np.where(
            area_ha > 0, out["primary_energy_mwh_per_a_p50"].to_numpy() / area_ha, 0.0)
    return gpd.GeoDataFrame(out, geometry=geoms, crs=munis.crs)

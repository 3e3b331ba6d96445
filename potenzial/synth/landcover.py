"""Synthetic land cover per municipality (polygons in EPSG:25833; targets in ha).

Method: a 20 m raster of class codes per municipality, filled class by class so that the
cell counts hit the Flächenerhebung targets exactly, then polygonised and clipped to the
municipality. Mapping of the statistics columns to classes:

=============  ===========================================================================
class          target (ha)
=============  ===========================================================================
settlement     ``area_ha_land_settlement`` (includes the active open-cast mine: Abbauland)
traffic        ``area_ha_land_traffic``
forest         ``area_ha_veg_forrest`` (Wald only: Gehölz is not forest; in Groitzsch and
               Pegau it is as large as the forest, so counting it doubled their forest)
water          ``area_ha_water_total``
arable         ``ARABLE_SHARE`` (≈ 0.8, less along the big rivers) × ``area_ha_veg_agri``
grassland      the rest of ``area_ha_veg_agri`` plus everything not listed above
               (``area_ha_veg_wood``, ``_heath``, ``_moor``, ``_marsh``, ``_plant_uncover_com``,
               unassigned),
               so arable + grassland = land_total − settlement − traffic − forest − water
=============  ===========================================================================

All targets are scaled by (polygon area / ``area_ha_land_total``) because the VG5000
polygons differ from the official areas by up to ±5 %. Order of allocation: water (rivers,
mining lakes, then ponds), traffic (nearest cells to roads, railways, connector roads and
streets), settlement (built-up areas, outer-area sites, active mine, then growth at their
edges), forest (coherent patches of a smooth noise field, more on dumps and in floodplains,
less next to villages), grassland (floodplains, dumps, village edges), arable (the rest).
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import rasterio.features
import shapely
from rasterio.transform import Affine
from scipy import ndimage
from shapely.geometry import shape

from potenzial.crs import ANALYSIS_CRS
from potenzial.synth.io import seed_key
from potenzial.synth.noise import fractal_noise, lattice_noise
from potenzial.units import M2_PER_HA

CELL_M = 20.0
CLASSES = ("arable", "grassland", "forest", "water", "settlement", "traffic")   #: codes 1..6
ARABLE, GRASS, FOREST, WATER, SETTLE, TRAFFIC = range(1, 7)
ARABLE_SHARE = 0.8
#: how many cells [cells] a line kind widens its traffic corridor by, relative to streets
TRAFFIC_BONUS = {"motorway": 2.0, "railway": 1.5, "federal_road": 1.2, "connector": 0.7, "street": 0.5}


def targets_ha(muni) -> dict[int, float]:
    """Flächenerhebung targets per class code [ha] (unscaled), see the module docstring."""
    st = muni.stat
    total = st("area_ha_land_total")
    agri = st("area_ha_veg_agri")
    out = {SETTLE: st("area_ha_land_settlement"), TRAFFIC: st("area_ha_land_traffic"),
           FOREST: st("area_ha_veg_forrest"), WATER: st("area_ha_water_total")}
    out[ARABLE] = ARABLE_SHARE * agri
    out[GRASS] = max(total - sum(out.values()), 0.0)
    return out


@dataclass
class Window:
    row0: int
    col0: int
    shape: tuple[int, int]
    transform: Affine
    xs: np.ndarray
    ys: np.ndarray


def window(bounds, geom) -> Window:
    """The 20 m window of the region lattice that covers ``geom`` (plus one cell)."""
    x0, _, _, y1 = bounds
    xmin, ymin, xmax, ymax = geom.bounds
    c0, c1 = int(np.floor((xmin - x0) / CELL_M)) - 1, int(np.ceil((xmax - x0) / CELL_M)) + 1
    r0, r1 = int(np.floor((y1 - ymax) / CELL_M)) - 1, int(np.ceil((y1 - ymin) / CELL_M)) + 1
    tr = Affine(CELL_M, 0, x0 + c0 * CELL_M, 0, -CELL_M, y1 - r0 * CELL_M)
    xs = x0 + (c0 + np.arange(c1 - c0) + 0.5) * CELL_M
    ys = y1 - (r0 + np.arange(r1 - r0) + 0.5) * CELL_M
    return Window(r0, c0, (r1 - r0, c1 - c0), tr, xs, ys)


def _burn(win: Window, geoms, all_touched=False, value=1, out=None) -> np.ndarray:
    geoms = [g for g in geoms if g is not None and not g.is_empty]
    if out is None:
        out = np.zeros(win.shape, dtype=np.uint8)
    if geoms:
        rasterio.features.rasterize([(g, value) for g in geoms], out=out, transform=win.transform,
                                    all_touched=all_touched)
    return out


def _cells_with_points(win: Window, xy: np.ndarray) -> np.ndarray:
    """Mask of the cells that hold at least one of the points ``xy`` (array (n, 2)) [m]."""
    out = np.zeros(win.shape, dtype=bool)
    if len(xy):
        col = np.floor((xy[:, 0] - win.transform.c) / CELL_M).astype(int)
        row = np.floor((win.transform.f - xy[:, 1]) / CELL_M).astype(int)
        ok = (row >= 0) & (row < win.shape[0]) & (col >= 0) & (col < win.shape[1])
        out[row[ok], col[ok]] = True
    return out


def _take(score: np.ndarray, pool: np.ndarray, k: int, smallest: bool = True) -> np.ndarray:
    """Mask of the ``k`` cells of ``pool`` with the smallest (or largest) ``score``."""
    idx = np.flatnonzero(pool)
    k = int(min(max(k, 0), len(idx)))
    out = np.zeros(pool.shape, dtype=bool)
    if k == 0:
        return out
    vals = score.ravel()[idx] if smallest else -score.ravel()[idx]
    pick = idx[np.argpartition(vals, k - 1)[:k]] if k < len(idx) else idx
    out.ravel()[pick] = True
    return out


def _dist_m(mask: np.ndarray) -> np.ndarray:
    """Distance [m] of every cell to the nearest cell of ``mask`` (large where none)."""
    if not mask.any():
        return np.full(mask.shape, 1e6)
    return ndimage.distance_transform_edt(~mask) * CELL_M


def classify(muni, win: Window, inputs: dict, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Class codes (0 outside) of the municipality's window and its inside mask (cell centres)."""
    inside = _burn(win, [muni.geom]).astype(bool)
    touch = _burn(win, [muni.geom], all_touched=True).astype(bool)
    n = int(inside.sum())
    tgt = targets_ha(muni)
    scale = n * CELL_M**2 / max(sum(tgt.values()) * M2_PER_HA, 1.0)
    big_river = any(name in ("Mulde", "Weiße Elster") for name in inputs["river_names"])
    tgt[GRASS] += tgt[ARABLE] * (0.1 if big_river else 0.0)
    tgt[ARABLE] *= 0.9 if big_river else 1.0
    count = {c: int(round(v * scale * M2_PER_HA / CELL_M**2)) for c, v in tgt.items()}
    count[ARABLE] = n - sum(v for c, v in count.items() if c != ARABLE)
    key = seed_key(seed, "landcover")
    cls = np.zeros(win.shape, dtype=np.uint8)
    free = inside.copy()
    # water: rivers and lakes, then ponds near rivers
    rivers = _burn(win, inputs["river_lines"], all_touched=True).astype(bool)
    rivers |= _burn(win, inputs["river_polys"]).astype(bool)
    water = (rivers | _burn(win, inputs["lakes"]).astype(bool)) & inside
    d_water = _dist_m(rivers | water)
    mine = _burn(win, inputs["mines"]).astype(bool) & inside
    builtup = _burn(win, inputs["builtup"]).astype(bool) & inside
    if water.sum() < count[WATER]:
        pond = lattice_noise(key + 1, win.xs, win.ys, 350.0) + 0.5 * np.exp(-d_water / 250.0)
        water |= _take(pond, free & ~water & ~mine & ~builtup, count[WATER] - int(water.sum()), smallest=False)
    cls[water] = WATER
    free &= ~water
    # traffic: the cells nearest to the network, main lines widened
    bonus = np.full(win.shape, np.nan)
    for kind in ("street", "connector", "federal_road", "railway", "motorway"):
        lines = inputs["network"].get(kind, [])
        if lines:
            bonus[_burn(win, lines, all_touched=True).astype(bool)] = TRAFFIC_BONUS[kind]
    net = ~np.isnan(bonus)
    if net.any():
        dist, (iy, ix) = ndimage.distance_transform_edt(~net, return_indices=True)
        tkey = dist - bonus[iy, ix] + 0.2 * lattice_noise(key + 2, win.xs, win.ys, 600.0)
    else:
        tkey = lattice_noise(key + 2, win.xs, win.ys, 600.0)
    traffic = _take(tkey, free & ~mine, count[TRAFFIC])
    cls[traffic] = TRAFFIC
    free &= ~traffic
    # settlement: built-up areas, outer sites, mine; trimmed or grown at the edges
    houses = _cells_with_points(win, inputs["building_xy"])
    main = _burn(win, inputs["main_builtup"]).astype(bool) & free
    forced = (builtup | _burn(win, inputs["outer"]).astype(bool) | mine) & free
    need = count[SETTLE] - int(forced.sum())
    if need < 0:   # keep the mine and the cells with buildings first, then those nearest to them
        prio = _dist_m(houses & forced) - np.where(mine, 1e7, 0.0)
        forced = _take(prio, forced, count[SETTLE])
    else:          # grow at the edges of the clusters and the mine, most at the main town
        seeds = (builtup | mine) & free
        grow = (_dist_m(seeds) + 0.5 * _dist_m(main | mine)
                + 150.0 * lattice_noise(key + 3, win.xs, win.ys, 500.0))
        forced |= _take(grow, free & ~forced, need)
    cls[forced] = SETTLE
    free &= ~forced
    d_settle = _dist_m(forced)
    dumps = _burn(win, inputs["dumps"]).astype(bool)
    # forest: coherent patches
    fscore = (fractal_noise(key + 4, win.xs, win.ys, 3000.0, octaves=3) + 0.8 * dumps
              + 0.4 * np.exp(-d_water / 300.0) - 1.0 * np.exp(-d_settle / 200.0))
    forest = _take(fscore, free, count[FOREST], smallest=False)
    cls[forest] = FOREST
    free &= ~forest
    gscore = (fractal_noise(key + 5, win.xs, win.ys, 1200.0, octaves=2) + 1.6 * np.exp(-d_water / 400.0)
              + 1.0 * dumps + 0.6 * np.exp(-d_settle / 250.0))
    grass = _take(gscore, free, count[GRASS], smallest=False)
    cls[grass] = GRASS
    cls[free & ~grass] = ARABLE
    # the boundary ring (cells touching the polygon, centre outside) copies its nearest inside cell
    ring = touch & ~inside
    if ring.any() and inside.any():
        _, (iy, ix) = ndimage.distance_transform_edt(~inside, return_indices=True)
        cls[ring] = cls[iy[ring], ix[ring]]
    return cls, inside


def polygonize(muni, win: Window, cls: np.ndarray) -> gpd.GeoDataFrame:
    """Polygons of ``cls`` clipped to the municipality: columns class, ags."""
    shapes = list(rasterio.features.shapes(cls, mask=cls > 0, transform=win.transform, connectivity=4))
    geoms = np.array([shape(s) for s, _ in shapes], dtype=object)
    codes = np.array([int(v) for _, v in shapes], dtype=int)
    inner = shapely.contains(muni.geom, geoms)
    geoms = np.where(inner, geoms, shapely.intersection(geoms, muni.geom))
    geoms = np.array([g if g.geom_type in ("Polygon", "MultiPolygon") else _poly_only(g) for g in geoms], dtype=object)
    keep = ~shapely.is_empty(geoms) & (shapely.area(geoms) > 1.0)
    return gpd.GeoDataFrame({"class": np.array(CLASSES, dtype=object)[codes[keep] - 1],
                             "ags": np.full(int(keep.sum()), muni.ags, dtype=object)},
                            geometry=geoms[keep], crs=ANALYSIS_CRS)


def _poly_only(geom):
    parts = [p for p in shapely.get_parts(geom) if p.geom_type == "Polygon"]
    return shapely.multipolygons(parts) if len(parts) > 1 else (parts[0] if parts else shapely.Polygon())

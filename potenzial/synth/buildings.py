"""Building footprints on the plots of a zone (polygons in EPSG:25833, sizes in m and m²).

Sizes follow typical German footprints: houses 80–200 m² (some L-shaped), apartment blocks
300–1,200 m² (perimeter blocks in the core, slabs in estates), public buildings and shops
300–1,000 m², halls 300–3,000 m², barns 300–1,800 m², garages 15–40 m² and other
outbuildings behind the houses. Every building stays at least 1 m inside its plot, so
buildings never overlap. ``height_m`` is the height of the highest point (ridge or flat
roof) above ground [m]; ``floors`` the number of full storeys.
"""

from __future__ import annotations

import numpy as np
import shapely

from potenzial.synth.layout import (
    AP_CORE,
    AP_SLAB,
    BARN,
    HALL,
    HOUSE1,
    HOUSE2,
    PUBLIC,
    RESIDENTIAL,
    SHOP,
    Zone,
    local_to_world,
)

FUNCTION = {HOUSE1: "house", HOUSE2: "house", AP_CORE: "apartment", AP_SLAB: "apartment", PUBLIC: "public",
            SHOP: "commercial", BARN: "farm"}
ACC_ROW_GAP_M = 1.5       #: gap between a house and the outbuildings behind it [m]
ACC_ROW_PITCH_M = 9.0     #: distance between the first and second row of outbuildings [m]


def lerp(q: np.ndarray, lo, hi) -> np.ndarray:
    """``lo + q * (hi - lo)``: map uniform draws ``q`` in [0, 1) onto [lo, hi)."""
    return lo + q * (hi - lo)


def _main_shapes(zone: Zone, types: np.ndarray, rng: np.random.Generator) -> dict[str, np.ndarray]:
    """x0, s (setback), w, d, L-wing (ww, dw), floors, height for the main building of each plot."""
    n = len(types)
    f, dep = zone.front, zone.depth
    u = rng.uniform(size=(12, n))          # one fixed block of draws per plot keeps streams stable
    w, d, s, height = np.zeros(n), np.zeros(n), np.zeros(n), np.zeros(n)
    floors = np.ones(n, dtype=np.int32)
    ell = np.zeros(n, dtype=bool)
    func = np.empty(n, dtype=object)
    for t in np.unique(types):
        m = types == t
        q = u[:, m]
        if t in (HOUSE1, HOUSE2):
            wt = lerp(q[0], 8.0, min(13.5, f - 7.0)) + (lerp(q[1], 0.5, 2.0) if t == HOUSE2 else 0.0)
            dt = lerp(q[2], 8.5, 13.0) + (1.5 if t == HOUSE2 else 0.0)
            w[m], d[m] = wt, np.maximum(dt, 80.0 / wt)
            s[m] = lerp(q[3], 3.0, 8.0)
            ell[m] = q[4] < 0.2
            floors[m] = np.where(q[5] < 0.3, 1, 2)
            height[m] = floors[m] * 2.8 + lerp(q[6], 3.0, 5.0)
        elif t == AP_CORE:
            wt = lerp(q[0], min(16.0, f - 4.0), f - 3.0)
            w[m], d[m] = wt, np.clip(lerp(q[1], 300.0, 700.0) / wt, 10.0, dep - 4.0)
            s[m] = lerp(q[3], 0.0, 3.0)
            floors[m] = np.select([q[5] < 0.35, q[5] < 0.75], [3, 4], 5)
            height[m] = floors[m] * 3.0 + lerp(q[6], 1.0, 3.0)
        elif t == AP_SLAB:
            w[m], d[m] = lerp(q[0], 42.0, min(64.0, f - 4.0)), lerp(q[1], 12.0, 16.0)
            s[m] = lerp(q[3], 6.0, 12.0)
            floors[m] = np.select([q[5] < 0.45, q[5] < 0.9], [5, 6], 11)
            height[m] = floors[m] * 2.9 + lerp(q[6], 1.0, 2.5)
        elif t in (PUBLIC, SHOP):
            wt = np.minimum(np.maximum(lerp(q[0], f - 8.0, f - 3.0), 12.0), f - 3.0)
            area = lerp(q[1], 300.0, 1000.0) if t == PUBLIC else lerp(q[1], 300.0, 600.0)
            w[m], d[m] = wt, np.clip(area / wt, 10.0, dep - 5.0)
            s[m] = lerp(q[3], 1.0, 4.0)
            floors[m] = (1 + np.floor(q[5] * (3 if t == PUBLIC else 2))).astype(np.int32)
            height[m] = floors[m] * 3.6 + lerp(q[6], 1.0, 3.0)
        elif t == HALL:
            area = np.exp(lerp(q[1], np.log(300.0), np.log(3000.0)))
            wt = np.minimum(np.sqrt(area * lerp(q[2], 1.0, 2.5)), f - 8.0)
            w[m], d[m] = wt, np.minimum(area / wt, dep - 12.0)
            s[m] = lerp(q[3], 5.0, 10.0)
            floors[m] = np.where(q[5] < 0.85, 1, 2)
            height[m] = lerp(q[6], 6.0, 14.0)
            func[m] = np.where(q[7] < 0.5, "industrial", "commercial")
        elif t == BARN:
            area = np.exp(lerp(q[1], np.log(300.0), np.log(1800.0)))
            wt = lerp(q[0], 12.0, min(26.0, f - 6.0))
            w[m], d[m] = wt, np.clip(area / wt, 15.0, dep - 10.0)
            s[m] = lerp(q[3], 4.0, 8.0)
            ell[m] = q[4] < 0.15
            height[m] = lerp(q[6], 6.0, 11.0)
        if t != HALL:
            func[m] = FUNCTION[int(t)]
    w = np.minimum(w, f - 3.0)                   # every building stays 1.5 m inside its plot
    d = np.minimum(d, dep - 1.0 - s)
    x0 = -f / 2 + 1.5 + u[8] * np.maximum(f - 3.0 - w, 0.0)
    ww = 3.5 + u[9] * np.maximum(w - 7.5, 0.1)
    dw = 3.0 + u[10] * 3.0
    ell &= (s + d + dw <= dep - 1.0) & (w >= 8.0)
    return {"x0": x0, "s": s, "w": w, "d": d, "ell": ell, "ww": ww, "dw": np.where(ell, dw, 0.0),
            "floors": floors, "height": height, "func": func}


def _polygons(zone: Zone, slots: dict, idx: np.ndarray, xs: list[np.ndarray], ys: list[np.ndarray]) -> np.ndarray:
    """Polygons from per-building vertex columns (len(xs) vertices, plot coordinates)."""
    k = len(xs)
    rep = {key: np.repeat(val[idx], k) for key, val in slots.items()}
    x = np.stack(xs, axis=1).ravel()
    y = np.stack(ys, axis=1).ravel()
    wx, wy = local_to_world(zone, rep, x, y)
    return np.asarray(shapely.polygons(np.stack([wx, wy], axis=1).reshape(len(idx), k, 2)))


def zone_buildings(zone: Zone, slots: dict, types: np.ndarray, n_acc: np.ndarray,
                   rng: np.random.Generator) -> dict[str, np.ndarray]:
    """Main buildings and outbuildings on the chosen ``slots`` of ``zone`` (types per slot).

    ``n_acc`` is the number of garages/outbuildings wanted behind each plot's main building
    (0–6); those that do not fit the plot depth are left out.
    """
    n = len(types)
    shp = _main_shapes(zone, types, rng)
    x0, s, w, d, ww, dw = shp["x0"], shp["s"], shp["w"], shp["d"], shp["ww"], shp["dw"]
    ell = shp["ell"]
    rect = np.flatnonzero(~ell)
    lsh = np.flatnonzero(ell)
    geoms = np.empty(n, dtype=object)
    geoms[rect] = _polygons(zone, slots, rect, [x0[rect], x0[rect] + w[rect], x0[rect] + w[rect], x0[rect]],
                            [s[rect], s[rect], s[rect] + d[rect], s[rect] + d[rect]])
    if len(lsh):
        a, b, c, e = x0[lsh], x0[lsh] + w[lsh], x0[lsh] + ww[lsh], s[lsh] + d[lsh]
        geoms[lsh] = _polygons(zone, slots, lsh, [a, b, b, c, c, a],
                               [s[lsh], s[lsh], e, e, e + dw[lsh], e + dw[lsh]])
    res = np.isin(types, RESIDENTIAL)
    out = {"geometry": geoms, "use": np.where(res, "residential", "non_residential").astype(object),
           "function": shp["func"], "floors": shp["floors"], "height_m": np.round(shp["height"], 1)}
    # outbuildings: up to 2 rows of 3 positions (left, right, middle band) behind the main building
    k = np.clip(np.asarray(n_acc, dtype=int), 0, 6)
    if k.sum() == 0:
        return out
    owner = np.repeat(np.arange(n), k)
    pos = np.arange(len(owner)) - np.repeat(np.cumsum(k) - k, k)
    q = rng.uniform(size=(5, len(owner)))
    garage = q[0] < 0.5
    band_w = (zone.front - 2.0) / 3.0
    gw = np.minimum(np.where(garage, 3.0 + 1.5 * q[1], 3.5 + 3.5 * q[1]), band_w - 1.0)
    gd = np.where(garage, 5.5 + 2.0 * q[2], 4.0 + 4.0 * q[2])
    band = np.array([0, 2, 1])[pos % 3]
    gx = -zone.front / 2 + 1.0 + band * band_w + 0.5 + q[3] * np.maximum(band_w - 1.0 - gw, 0.0)
    gy = s[owner] + d[owner] + dw[owner] + ACC_ROW_GAP_M + np.where(pos >= 3, ACC_ROW_PITCH_M, 0.0)
    fits = (gy + gd <= zone.depth - 1.0) & (gw >= 2.5)
    owner, gx, gy, gw, gd, garage = owner[fits], gx[fits], gy[fits], gw[fits], gd[fits], garage[fits]
    if len(owner) == 0:
        return out
    acc = _polygons(zone, slots, owner, [gx, gx + gw, gx + gw, gx], [gy, gy, gy + gd, gy + gd])
    height = np.where(garage, 2.3 + 0.7 * q[4][fits], 2.5 + 2.5 * q[4][fits])
    extra = {"geometry": acc, "use": np.full(len(acc), "non_residential", dtype=object),
             "function": np.where(garage, "garage", "outbuilding").astype(object),
             "floors": np.ones(len(acc), dtype=np.int32), "height_m": np.round(height, 1)}
    return {key: np.concatenate([out[key], extra[key]]) for key in out}

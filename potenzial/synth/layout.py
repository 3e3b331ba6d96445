"""Street-grid layout of a settlement zone (coordinates in EPSG:25833 metres).

A *zone* is a rotated, gently warped street grid: streets along the local u axis every
``2 * depth + street`` metres, plots of ``frontage × depth`` on both sides, a cross street
every few plots. Candidate plots are ranked by a seeded star-shaped distance from the zone
centre (so settlements grow compactly with ragged edges) and taken in that order. The warp
(a few metres of sinusoidal displacement over hundreds of metres) bends the streets; it is
injective, so plots that do not overlap in the grid do not overlap on the ground.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely

from potenzial.synth.noise import hash01

# slot (plot) types, in the order a zone fills them
HOUSE1, HOUSE2, AP_CORE, AP_SLAB, PUBLIC, SHOP, HALL, BARN = range(8)
RESIDENTIAL = (HOUSE1, HOUSE2, AP_CORE, AP_SLAB)


@dataclass
class Zone:
    """One street grid: where it is, its plot sizes [m] and the slot types it must hold."""

    ags: str
    ortsteil: str
    kind: str                       #: main | slab | industrial | farm | hamlet | farmstead | overflow
    centre: tuple[float, float]
    theta: float                    #: rotation of the street grid [rad]
    front: float                    #: plot width along the street [m]
    depth: float                    #: plot depth [m]
    street: float                   #: street width [m]
    cross_every: int                #: a cross street replaces every n-th plot
    aspect: float                   #: >1 stretches the settlement along the streets
    star: np.ndarray                #: (3, k) amplitude, order, phase of the outline harmonics
    warp: np.ndarray                #: amplitude [m], wavelength [m], phase for u and v
    key: int                        #: hash key for the plot jitter
    types: np.ndarray               #: slot types to place, in rank order


def make_zone(kind: str, ags: str, ortsteil: str, centre, types, front: float, depth: float, street: float,
              rng: np.random.Generator, aspect: float | None = None) -> Zone:
    """A zone with seeded orientation, outline harmonics and warp."""
    star = np.vstack([rng.uniform(0.0, 0.12, 4), np.arange(1, 5), rng.uniform(0, 2 * np.pi, 4)])
    warp = np.array([rng.uniform(4, 15), rng.uniform(450, 1000), rng.uniform(0, 2 * np.pi),
                     rng.uniform(4, 15), rng.uniform(450, 1000), rng.uniform(0, 2 * np.pi)])
    return Zone(ags, ortsteil, kind, (float(centre[0]), float(centre[1])), float(rng.uniform(0, np.pi)),
                float(front), float(depth), float(street), int(rng.integers(5, 10)),
                float(aspect if aspect is not None else rng.uniform(0.8, 1.25)), star, warp,
                int(rng.integers(0, 2**62)), np.asarray(types, dtype=np.int8))


def _star(zone: Zone, phi: np.ndarray) -> np.ndarray:
    amp, order, phase = zone.star
    return 1.0 + (amp[:, None] * np.cos(order[:, None] * phi[None, :] + phase[:, None])).sum(axis=0)


def to_world(zone: Zone, u: np.ndarray, v: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Zone grid coordinates (u along the streets, v across) [m] -> EPSG:25833 [m]."""
    a1, l1, p1, a2, l2, p2 = zone.warp
    u2 = u + a1 * np.sin(2 * np.pi * v / l1 + p1)
    v2 = v + a2 * np.sin(2 * np.pi * u / l2 + p2)
    c, s = np.cos(zone.theta), np.sin(zone.theta)
    return zone.centre[0] + u2 * c - v2 * s, zone.centre[1] + u2 * s + v2 * c


def candidate_slots(zone: Zone, n: int) -> dict[str, np.ndarray]:
    """The ``n`` best-ranked plots: arrays i, j, side, u (plot centre), v0 (street axis), rho."""
    pitch = 2 * zone.depth + zone.street
    stretch = max(zone.aspect, 1 / zone.aspect)
    radius = np.sqrt(n * zone.front * pitch / 2 / np.pi) * 1.6 * stretch + zone.front + pitch
    ni = int(np.ceil(radius * zone.aspect / zone.front)) + 2
    nj = int(np.ceil(radius / zone.aspect / pitch)) + 1
    i, j, side = np.meshgrid(np.arange(-ni, ni + 1), np.arange(-nj, nj + 1), np.array([-1, 1]), indexing="ij")
    i, j, side = i.ravel(), j.ravel(), side.ravel()
    keep = (i % zone.cross_every) != 0
    i, j, side = i[keep], j[keep], side[keep]
    u = i * zone.front
    v0 = j * pitch
    v = v0 + side * (zone.street / 2 + zone.depth / 2)
    phi = np.arctan2(v * zone.aspect, u / zone.aspect)
    rho = np.hypot(u / zone.aspect, v * zone.aspect) / _star(zone, phi)
    jitter = (hash01(zone.key, i * 2 + (side > 0), j) - 0.5) * 0.5 * zone.front
    order = np.argsort(rho + jitter, kind="stable")[:n]
    return {"i": i[order], "j": j[order], "side": side[order], "u": u[order], "v0": v0[order], "rho": rho[order]}


def take(slots: dict[str, np.ndarray], idx: np.ndarray) -> dict[str, np.ndarray]:
    return {k: v[idx] for k, v in slots.items()}


def local_to_world(zone: Zone, slots: dict[str, np.ndarray], x: np.ndarray, y: np.ndarray):
    """Plot coordinates (x along the street from the plot centre, y from the street edge into
    the plot) [m] of points belonging to ``slots`` (same length) -> EPSG:25833 [m]."""
    u = slots["u"] + x
    v = slots["v0"] + slots["side"] * (zone.street / 2 + y)
    return to_world(zone, u, v)


def plot_polygons(zone: Zone, slots: dict[str, np.ndarray]) -> np.ndarray:
    """The plot rectangles of ``slots`` as shapely polygons."""
    n = len(slots["u"])
    half = zone.front / 2
    xs = np.array([-half, half, half, -half])
    ys = np.array([0.0, 0.0, zone.depth, zone.depth])
    rep = {k: np.repeat(v, 4) for k, v in slots.items()}
    wx, wy = local_to_world(zone, rep, np.tile(xs, n), np.tile(ys, n))
    return np.asarray(shapely.polygons(np.stack([wx, wy], axis=1).reshape(n, 4, 2)))


def outline(zone: Zone, rho_max: float, margin_m: float) -> shapely.Geometry:
    """The zone's built-up outline: the star shape that holds every plot up to ``rho_max``."""
    phi = np.linspace(0, 2 * np.pi, 96, endpoint=False)
    r = rho_max * _star(zone, phi)
    wx, wy = to_world(zone, r * np.cos(phi) * zone.aspect, r * np.sin(phi) / zone.aspect)
    return shapely.buffer(shapely.Polygon(np.column_stack([wx, wy])), margin_m, quad_segs=6)


def streets(zone: Zone, slots: dict[str, np.ndarray], step_m: float = 25.0) -> list[shapely.LineString]:
    """Street centre lines serving ``slots`` (rows along u, cross streets across)."""
    if len(slots["u"]) == 0:
        return []
    out = []
    half = zone.front / 2
    for j in np.unique(slots["j"]):
        u = slots["u"][slots["j"] == j]
        out.append((np.arange(u.min() - half, u.max() + half + step_m, step_m),
                    np.full(1, j * (2 * zone.depth + zone.street))))
    j_lo, j_hi = slots["j"].min(), slots["j"].max()
    pitch = 2 * zone.depth + zone.street
    if j_hi > j_lo:
        i_lo, i_hi = slots["i"].min(), slots["i"].max()
        for i in range(int(i_lo), int(i_hi) + 1):
            if i % zone.cross_every == 0:
                v = np.arange(j_lo * pitch, j_hi * pitch + step_m, step_m)
                out.append((np.full(1, i * zone.front), v))
    lines = []
    for u, v in out:
        uu, vv = np.broadcast_arrays(u, v)
        if len(uu) < 2:
            continue
        wx, wy = to_world(zone, uu.astype(float), vv.astype(float))
        lines.append(shapely.LineString(np.column_stack([wx, wy])))
    return lines

"""Settlement plan of a municipality: one cluster per Ortsteil, plus outer-area sites.

Counts follow the statistics exactly where the statistics give them:

* residential buildings = ``zensus2011_residential_buildings_total``; 1–3 % of them
  (seeded) stand in the outer area (Außenbereich), about half in hamlets of 5–8 dwellings and
  the rest as single farmsteads (1 dwelling + 1–3 barns);
* apartments (3+ flats) = ``zensus2011_buildings_3flats``, mostly in the main town (in the
  core and, in towns, in a slab estate);
* non-residential buildings ≈ 1.15–1.28 × residential: garages and outbuildings on the
  house plots, halls in industrial estates, barns on farms, public buildings and shops.

The main town (``ort_verwaltung``) gets the largest share and its real position; the other
clusters are placed by seeded rejection sampling inside the municipality, kept apart by
their radii plus :data:`CLUSTER_GAP_M`. Plot sizes shrink where the settlement area
(``area_ha_land_settlement`` minus the active mine) is tight, so the built-up areas fit it.
Coordinates are EPSG:25833 metres.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import shapely

from potenzial.synth.io import rng_for
from potenzial.synth.places import xy
from potenzial.synth.shapes import inside_point, random_points_in

CLUSTER_GAP_M = 350.0        #: minimum free land between two clusters [m]
BUILTUP_SHARE = 0.72         #: share of the settlement area the planned built-up areas may use
SLAB_M2 = 70.0 * 46.0        #: plot of a slab apartment block [m²]
HALL_M2 = 70.0 * 76.0        #: plot of an industrial/commercial hall [m²]
BARN_M2 = 45.0 * 60.0        #: plot of a barn [m²]
EDGE_FACTOR = 1.2            #: ragged edges, streets and gaps around the plots


@dataclass
class Cluster:
    """A settlement cluster (one Ortsteil) and what it holds."""

    name: str
    is_main: bool
    n_res: int
    n_ap_core: int = 0
    n_ap_slab: int = 0
    n_public: int = 0
    n_shop: int = 0
    n_hall: int = 0
    n_barn: int = 0
    radius_m: float = 0.0
    centre: tuple[float, float] = (0.0, 0.0)

    @property
    def n_house(self) -> int:
        return self.n_res - self.n_ap_core - self.n_ap_slab


@dataclass
class OuterSite:
    kind: str        #: hamlet | farmstead
    n_res: int
    n_barn: int
    centre: tuple[float, float] = (0.0, 0.0)


@dataclass
class Plan:
    ags: str
    clusters: list[Cluster]
    outer: list[OuterSite]
    n_accessory: int          #: garages and outbuildings to put on the house plots
    frontage_m: float         #: house plot width along the street [m]
    depth_m: float            #: house plot depth [m]
    street_m: float           #: street width between plot rows [m]
    share_2flats: float       #: share of houses with two flats (bigger)
    extra: dict = field(default_factory=dict)


def _largest_remainder(total: int, weights: np.ndarray) -> np.ndarray:
    w = np.asarray(weights, dtype=float)
    raw = total * w / w.sum()
    out = np.floor(raw).astype(int)
    rest = total - out.sum()
    order = np.argsort(-(raw - out), kind="stable")
    out[order[:rest]] += 1
    return out


def plan_municipality(muni, settlement_m2: float, mine_m2: float, seed: int) -> Plan:
    """Counts and plot sizes of every cluster and outer site (no positions yet)."""
    rng = rng_for(seed, "settlements", muni.ags)
    n_res = int(round(muni.stat("zensus2011_residential_buildings_total")))
    n_ap = int(round(muni.stat("zensus2011_buildings_3flats")))
    n_2 = int(round(muni.stat("zensus2011_buildings_2flats")))
    names = [muni.main] + [n for n in muni.ortsteile if n != muni.main]
    n_ot = len(names)
    n_outer = 0 if n_res < 60 else int(round(n_res * rng.uniform(0.012, 0.028)))
    outer: list[OuterSite] = []
    hamlet_budget = int(round(0.5 * n_outer)) if n_outer >= 10 else 0
    while hamlet_budget >= 5:
        size = min(int(rng.integers(5, 9)), hamlet_budget)
        if hamlet_budget - size < 5:
            size = hamlet_budget
        outer.append(OuterSite("hamlet", size, int(rng.integers(1, 3))))
        hamlet_budget -= size
    for _ in range(n_outer - sum(s.n_res for s in outer)):
        outer.append(OuterSite("farmstead", 1, int(rng.integers(1, 4))))
    n_in = n_res - n_outer
    w_main = 1.0 if n_ot == 1 else float(np.clip(1.6 / np.sqrt(n_ot), 0.3, 0.85))
    w_rest = rng.lognormal(0.0, 0.6, n_ot - 1)
    weights = np.concatenate([[w_main], (1 - w_main) * w_rest / max(w_rest.sum(), 1e-9)])
    counts = _largest_remainder(n_in, weights)
    floor = max(1, min(4, n_in // max(n_ot, 1)))
    short = np.maximum(floor - counts, 0)
    short[0] = 0
    counts = counts + short
    counts[0] -= short.sum()
    clusters = [Cluster(name, i == 0, int(c)) for i, (name, c) in enumerate(zip(names, counts, strict=True))]
    # apartments: mostly in the main town, never more than 85 % of a cluster
    res = np.array([c.n_res for c in clusters])
    cap = np.floor(0.85 * res).astype(int)
    ap = np.minimum(_largest_remainder(min(n_ap, int(cap.sum())), res * np.where(np.arange(n_ot) == 0, 4.0, 1.0)), cap)
    for c, a in zip(clusters, ap, strict=True):
        slab_share = 0.45 if (c.is_main and a >= 120) else (0.3 if a >= 80 else 0.0)
        c.n_ap_slab = int(round(a * slab_share))
        c.n_ap_core = int(a) - c.n_ap_slab
    # non-residential buildings
    n_nr = int(round(n_res * rng.uniform(1.15, 1.28)))
    for c in clusters:
        if c.is_main:
            c.n_hall = max(4, int(round(0.03 * n_nr)))
            c.n_public = max(2, int(round(0.02 * c.n_res)))
            c.n_shop = int(round(0.025 * c.n_res))
            c.n_barn = int(rng.integers(0, 5))
        else:
            c.n_hall = int(round(0.06 * c.n_res)) if c.n_res >= 300 else 0
            c.n_public = (1 if c.n_res >= 25 else 0) + int(round(0.01 * c.n_res))
            c.n_shop = int(round(0.01 * c.n_res))
            c.n_barn = int(rng.integers(2, 10)) if rng.random() < 0.6 else 0
    special = sum(c.n_hall + c.n_public + c.n_shop + c.n_barn for c in clusters) + sum(s.n_barn for s in outer)
    n_acc = max(0, n_nr - special)
    # plot sizes: shrink where the settlement area is tight
    front, depth, street = rng.uniform(21.0, 27.0), rng.uniform(36.0, 46.0), 10.0
    def planned(f: float, d: float) -> np.ndarray:
        main_slots = np.array([c.n_house + c.n_ap_core + c.n_public + c.n_shop for c in clusters])
        other = np.array([c.n_ap_slab * SLAB_M2 + c.n_hall * HALL_M2 + c.n_barn * BARN_M2 for c in clusters])
        return (main_slots * f * (d + street / 2) + other) * EDGE_FACTOR
    available = BUILTUP_SHARE * max(settlement_m2 - mine_m2, 0.3 * settlement_m2)
    need = planned(front, depth).sum()
    if need > available:
        s = float(np.clip((available / need) ** (2 / 3), 0.7, 1.0))
        front, depth = max(17.0, front * s), max(33.0, depth * np.sqrt(s))
    for c, area in zip(clusters, planned(front, depth), strict=True):
        c.radius_m = float(np.sqrt(area / np.pi))
    share2 = n_2 / max(n_res - n_ap, 1)
    return Plan(muni.ags, clusters, outer, n_acc, float(front), float(depth), street, float(share2),
                extra={"n_nonres_target": n_nr, "available_m2": available})


def main_anchor(muni, radius_m: float) -> tuple[float, float]:
    """Position of the main town [m]: its real place if known, kept ``radius_m/2`` inside."""
    target = xy(muni.main_place) if muni.main_place else shapely.point_on_surface(muni.geom).coords[0]
    point = inside_point(muni.geom, target, inset_m=min(radius_m * 0.5, 800.0))
    return point if point is not None else target


def place_clusters(muni, plan: Plan, blocked, seed: int) -> None:
    """Set ``centre`` of every cluster: main town first, then by size, kept apart."""
    rng = rng_for(seed, "settlement_positions", muni.ags)
    main = plan.clusters[0]
    main.centre = main_anchor(muni, main.radius_m)
    inner = muni.geom.buffer(-250.0, quad_segs=4)
    if inner.is_empty:
        inner = muni.geom
    free = shapely.difference(inner, blocked) if blocked is not None and not blocked.is_empty else inner
    cands = random_points_in(free if not free.is_empty else inner, 6000, rng)
    if len(cands) == 0:
        cands = np.array([shapely.point_on_surface(muni.geom).coords[0]])
    edge = shapely.distance(shapely.points(cands), muni.geom.boundary)
    placed_xy = [np.array(main.centre)]
    placed_r = [main.radius_m]
    order = sorted(range(1, len(plan.clusters)), key=lambda i: -plan.clusters[i].radius_m)
    for i in order:
        c = plan.clusters[i]
        pxy, pr = np.array(placed_xy), np.array(placed_r)
        d = np.hypot(cands[:, None, 0] - pxy[None, :, 0], cands[:, None, 1] - pxy[None, :, 1])
        margin = (d - pr[None, :] - c.radius_m - CLUSTER_GAP_M).min(axis=1)
        margin = np.minimum(margin, edge - 0.6 * c.radius_m)
        ok = np.flatnonzero(margin >= 0)
        k = int(ok[0]) if len(ok) else int(np.argmax(margin))
        c.centre = (float(cands[k, 0]), float(cands[k, 1]))
        placed_xy.append(cands[k])
        placed_r.append(c.radius_m)


def place_outer_sites(muni, plan: Plan, occupied, blocked, seed: int) -> None:
    """Set ``centre`` of the outer-area sites: ≥ 300 m from built-up land, ≥ 500 m apart."""
    if not plan.outer:
        return
    rng = rng_for(seed, "outer_sites", muni.ags)
    inner = muni.geom.buffer(-120.0, quad_segs=4)
    free = shapely.difference(inner, blocked) if blocked is not None and not blocked.is_empty else inner
    cands = random_points_in(free if not free.is_empty else muni.geom, 4000, rng)
    if len(cands) == 0:
        cands = np.array([shapely.point_on_surface(muni.geom).coords[0]])
    dist = shapely.distance(shapely.points(cands), occupied) if occupied is not None else np.full(len(cands), 1e9)
    placed: list[np.ndarray] = []
    for site in plan.outer:
        need = 300.0 if site.kind == "farmstead" else 400.0
        score = dist - need
        if placed:
            p = np.array(placed)
            sep = np.hypot(cands[:, None, 0] - p[None, :, 0], cands[:, None, 1] - p[None, :, 1]).min(axis=1)
            score = np.minimum(score, sep - 500.0)
        ok = np.flatnonzero(score >= 0)
        k = int(ok[0]) if len(ok) else int(np.argmax(score))
        site.centre = (float(cands[k, 0]), float(cands[k, 1]))
        placed.append(cands[k])

"""Settlements of one municipality: zones, buildings, built-up areas and development plans.

Wires :mod:`settlements` (counts, positions), :mod:`layout` (street grids) and
:mod:`buildings` (footprints) together. Every cluster gets a main zone (core apartments,
public buildings and shops in the middle, houses around), and where needed a slab estate,
an industrial estate and a farm next to it. Plots must lie inside the municipality and
off lakes, mines, dumps, rivers, roads, railways and power lines, and zones must not
overlap; a zone that cannot place all its plots grows outwards, and what still does not
fit goes to an overflow zone of the same Ortsteil, so the residential count is exact.
Coordinates are EPSG:25833 metres.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import shapely
from shapely import STRtree

from potenzial.errors import PotenzialError
from potenzial.synth import layout
from potenzial.synth.buildings import zone_buildings
from potenzial.synth.infrastructure import Corridor, curved_line
from potenzial.synth.io import rng_for
from potenzial.synth.layout import AP_CORE, AP_SLAB, BARN, HALL, HOUSE1, HOUSE2, PUBLIC, RESIDENTIAL, SHOP
from potenzial.synth.settlements import Plan, place_clusters, place_outer_sites
from potenzial.synth.shapes import polygonal, random_points_in
from potenzial.units import M2_PER_HA

CORRIDOR_CLEARANCE_M = {"motorway": 12.0, "federal_road": 6.0, "railway": 8.0, "river": 15.0, "power_line": 5.0}
GROWTH_STEPS = (1.4, 2.2, 3.5, 6.0)   #: candidate plots per plot wanted, tried in turn
OVERFLOW_CLEARANCE_M = 150.0          #: an overflow zone starts this far from other zones [m]


@dataclass
class Town:
    """Everything the settlements of one municipality contribute to the layers."""

    buildings: dict[str, np.ndarray]
    builtup: list[tuple[str, shapely.Geometry]] = field(default_factory=list)
    plans: list[tuple[str, str, shapely.Geometry]] = field(default_factory=list)
    outer_areas: list[shapely.Geometry] = field(default_factory=list)
    streets: list[shapely.Geometry] = field(default_factory=list)
    connectors: list[shapely.LineString] = field(default_factory=list)


def _shuffled(rng, parts: list[tuple[int, int]]) -> np.ndarray:
    arr = np.concatenate([np.full(n, t, dtype=np.int8) for t, n in parts if n > 0] or [np.zeros(0, np.int8)])
    return rng.permutation(arr)


def _houses(rng, n: int, share2: float) -> np.ndarray:
    return np.where(rng.random(n) < share2, HOUSE2, HOUSE1).astype(np.int8)


class _Realiser:
    """Places zones one after another so that none overlaps an earlier one."""

    def __init__(self, allowed):
        self.allowed = allowed
        shapely.prepare(allowed)
        self.footprints: list[shapely.Geometry] = []
        self.placed: list[tuple[layout.Zone, dict, np.ndarray]] = []

    def realise(self, zone: layout.Zone) -> np.ndarray:
        """Place ``zone``; return the slot types that did not fit."""
        k = len(zone.types)
        if k == 0:
            return zone.types
        tree = STRtree(self.footprints) if self.footprints else None
        for mult in GROWTH_STEPS:
            slots = layout.candidate_slots(zone, int(np.ceil(k * mult)) + 8)
            plots = layout.plot_polygons(zone, slots)
            ok = shapely.contains(self.allowed, plots)
            if tree is not None and ok.any():
                okidx = np.flatnonzero(ok)
                hit = tree.query(plots[okidx], predicate="intersects")[0]
                ok[okidx[np.unique(hit)]] = False
            idx = np.flatnonzero(ok)[:k]
            if len(idx) == k:
                break
        if len(idx) == 0:
            return zone.types
        chosen = layout.take(slots, idx)
        margin = float(np.hypot(zone.front / 2, zone.depth / 2 + zone.street / 2)) + 3.0
        self.footprints.append(layout.outline(zone, float(chosen["rho"].max()), margin))
        self.placed.append((zone, chosen, zone.types[: len(idx)]))
        return zone.types[len(idx):]


def _blocked(muni, mining, corridors: list[Corridor]):
    env = shapely.envelope(muni.geom).buffer(200.0)
    parts = [shapely.buffer(f.geom, 20.0) for f in mining]
    parts += [shapely.buffer(c.geom, c.width_m / 2 + CORRIDOR_CLEARANCE_M[c.kind], cap_style="flat")
              for c in corridors if shapely.intersects(c.geom, env)]
    return shapely.union_all(parts) if parts else shapely.Polygon()


def _cluster_zones(plan: Plan, c, rng) -> list[layout.Zone]:
    f, dep = plan.frontage_m, plan.depth_m
    street = 10.0 if c.is_main else 8.0
    core = _shuffled(rng, [(AP_CORE, c.n_ap_core), (PUBLIC, c.n_public), (SHOP, c.n_shop)])
    types = np.concatenate([core, _houses(rng, c.n_house, plan.share_2flats)])
    if c.is_main:
        aspect_range = (0.8, 1.25)
    elif c.n_res < 60:                       # small villages are street villages (Straßendörfer)
        aspect_range = (1.8, 2.8)
    else:
        aspect_range = (1.0, 1.8)
    aspect = rng.uniform(*aspect_range)
    zones = [layout.make_zone("main", plan.ags, c.name, c.centre, types, f, dep, street, rng, aspect=aspect)]
    r_main = np.sqrt(len(types) * f * (2 * dep + street) / 2 / np.pi) * 1.15
    subs = [("slab", AP_SLAB, c.n_ap_slab, 70.0, 40.0, 14.0),
            ("industrial", HALL, c.n_hall, rng.uniform(60, 80), rng.uniform(60, 75), 14.0),
            ("farm", BARN, c.n_barn, 45.0, 55.0, 10.0)]
    a0 = rng.uniform(0, 2 * np.pi)
    for n_sub, (kind, t, k, sf, sd, sw) in enumerate(subs):
        angle = a0 + n_sub * 2 * np.pi / 3 + rng.uniform(-0.4, 0.4)
        if k == 0:
            continue
        r_sub = np.sqrt(k * sf * (2 * sd + sw) / 2 / np.pi) * 1.15
        dist = r_main + r_sub + 40.0
        centre = (c.centre[0] + dist * np.cos(angle), c.centre[1] + dist * np.sin(angle))
        zones.append(layout.make_zone(kind, plan.ags, c.name, centre, np.full(k, t, np.int8), sf, sd, sw, rng))
    return zones


def _overflow(muni, plan: Plan, real: _Realiser, missing: dict[str, np.ndarray], seed: int) -> None:
    for attempt in range(8):
        missing = {k: v for k, v in missing.items() if len(v)}
        if not missing:
            return
        occupied = shapely.union_all(real.footprints) if real.footprints else shapely.Polygon()
        for name, types in list(missing.items()):
            rng = rng_for(seed, "overflow", muni.ags, name, attempt)
            cands = random_points_in(real.allowed, 3000, rng)
            if len(cands) == 0:
                continue
            dist = (shapely.distance(shapely.points(cands), occupied) if not occupied.is_empty
                    else np.full(len(cands), np.inf))
            centre = next((c.centre for c in plan.clusters if c.name == name), tuple(cands[0]))
            near = np.hypot(cands[:, 0] - centre[0], cands[:, 1] - centre[1])
            free = dist >= OVERFLOW_CLEARANCE_M
            k = int(np.argmin(np.where(free, near, np.inf))) if free.any() else int(np.argmax(dist))
            types = np.where(types == AP_SLAB, AP_CORE, types).astype(np.int8)   # slabs need wide plots
            zone = layout.make_zone("overflow", plan.ags, name, cands[k], types, plan.frontage_m, plan.depth_m,
                                    8.0, rng)
            missing[name] = real.realise(zone)
    left = sum(int(np.isin(v, RESIDENTIAL).sum()) for v in missing.values())
    if left:
        raise PotenzialError(f"synthetic buildings: {left} residential buildings of {muni.ags} ({muni.name}) found "
                             "no room; the settlement area is too small for the building count.")


def build_town(muni, plan: Plan, mining: list, corridors: list[Corridor], seed: int) -> Town:
    """Clusters, outer-area sites and their buildings for one municipality."""
    blocked = _blocked(muni, mining, corridors)
    allowed = polygonal(shapely.difference(muni.geom.buffer(-3.0), blocked))
    placing = shapely.union_all([shapely.buffer(f.geom, 200.0) for f in mining]) if mining else None
    place_clusters(muni, plan, placing, seed)
    real = _Realiser(allowed)
    missing: dict[str, np.ndarray] = {}
    order = [plan.clusters[0]] + sorted(plan.clusters[1:], key=lambda c: -c.radius_m)
    for c in order:
        rng = rng_for(seed, "zones", muni.ags, c.name)
        for zone in _cluster_zones(plan, c, rng):
            rest = real.realise(zone)
            rest = rest[np.isin(rest, RESIDENTIAL)]
            if len(rest):
                missing[c.name] = np.concatenate([missing.get(c.name, np.zeros(0, np.int8)), rest])
    occupied = shapely.union_all(real.footprints) if real.footprints else None
    place_outer_sites(muni, plan, occupied, placing, seed)
    for n_site, site in enumerate(plan.outer):
        rng = rng_for(seed, "outer_zone", muni.ags, n_site)
        types = np.concatenate([_houses(rng, site.n_res, plan.share_2flats), np.full(site.n_barn, BARN, np.int8)])
        if site.kind == "farmstead":
            zone = layout.make_zone("farmstead", plan.ags, "", site.centre, types, 40.0, 50.0, 8.0, rng, aspect=1.5)
        else:
            zone = layout.make_zone("hamlet", plan.ags, "", site.centre, types, 30.0, 42.0, 8.0, rng,
                                    aspect=rng.uniform(1.5, 2.5))
        rest = real.realise(zone)
        rest = rest[np.isin(rest, RESIDENTIAL)]
        if len(rest):
            missing[""] = np.concatenate([missing.get("", np.zeros(0, np.int8)), rest])
    _overflow(muni, plan, real, missing, seed)
    town = Town(buildings=_buildings(muni, plan, real, seed))
    _areas(muni, plan, real, town, seed)
    return town


def _buildings(muni, plan: Plan, real: _Realiser, seed: int) -> dict[str, np.ndarray]:
    n_house = sum(int(np.isin(t, (HOUSE1, HOUSE2)).sum()) for _, _, t in real.placed)
    mean_acc = plan.n_accessory / max(n_house, 1)
    parts = []
    for n_zone, (zone, slots, types) in enumerate(real.placed):
        rng = rng_for(seed, "buildings", muni.ags, n_zone)
        acc = np.where(np.isin(types, (HOUSE1, HOUSE2)), np.minimum(rng.poisson(mean_acc, len(types)), 6), 0)
        b = zone_buildings(zone, slots, types, acc, rng)
        b["ortsteil"] = np.full(len(b["use"]), zone.ortsteil, dtype=object)
        parts.append(b)
    return {k: np.concatenate([p[k] for p in parts]) for k in parts[0]}


def _areas(muni, plan: Plan, real: _Realiser, town: Town, seed: int) -> None:
    """Built-up areas, development plans, outer-area outlines, streets and connector roads."""
    by_cluster: dict[str, list] = {}
    for (zone, slots, _), fp in zip(real.placed, real.footprints, strict=True):
        town.streets.extend(layout.streets(zone, slots))
        if zone.kind in ("hamlet", "farmstead") or zone.ortsteil == "":
            town.outer_areas.append(shapely.intersection(fp, muni.geom))
        else:
            by_cluster.setdefault(zone.ortsteil, []).append((zone, fp))
    town.plans = _plans(muni, plan, by_cluster, rng_for(seed, "development_plans", muni.ags))
    plan_union = shapely.union_all([g for _, _, g in town.plans]) if town.plans else None
    for c in plan.clusters:
        if c.name not in by_cluster:
            continue
        area = polygonal(shapely.intersection(shapely.union_all([fp for _, fp in by_cluster[c.name]]), muni.geom))
        if plan_union is not None:
            area = polygonal(shapely.difference(area, plan_union))
        if not area.is_empty:
            town.builtup.append((c.name, area))
    centres = [c.centre for c in plan.clusters if c.name in by_cluster]
    town.connectors = _connectors(centres, [s.centre for s in plan.outer], rng_for(seed, "connectors", muni.ags))


def _plans(muni, plan: Plan, by_cluster: dict, rng) -> list[tuple[str, str, shapely.Geometry]]:
    """Bebauungspläne: the industrial estates (commercial) and a sector of the outer ring of the
    main town and the largest villages (new housing, residential or mixed)."""
    villages = [c.name for c in sorted(plan.clusters, key=lambda c: -c.n_res) if not c.is_main]
    plans = []
    for name in [plan.clusters[0].name] + villages[: min(3, (len(plan.clusters) - 1) // 6)]:
        for zone, fp in by_cluster.get(name, []):
            if zone.kind == "industrial":
                plans.append(("commercial", fp))
            elif zone.kind == "main":
                a, half = rng.uniform(0, 2 * np.pi), rng.uniform(0.45, 0.8)
                reach = 2 * np.sqrt(fp.area)
                cx, cy = zone.centre
                wedge = shapely.Polygon([zone.centre] + [(cx + reach * np.cos(t), cy + reach * np.sin(t))
                                                         for t in np.linspace(a - half, a + half, 16)])
                core = shapely.Point(zone.centre).buffer(0.6 * np.sqrt(fp.area / np.pi))
                piece = shapely.difference(shapely.intersection(fp, wedge), core)
                plans.append(("residential" if rng.random() < 0.75 else "mixed", piece))
    plans = [(use, polygonal(shapely.intersection(g, muni.geom))) for use, g in plans]
    plans = [(use, g) for use, g in plans if g.area >= 2 * M2_PER_HA]
    return [(f"{muni.ags}-BP{n + 1:02d}", use, g) for n, (use, g) in enumerate(plans)]


def _connectors(centres: list, outer: list, rng) -> list[shapely.LineString]:
    """Local roads: every cluster to its two nearest clusters, every outer site to the nearest."""
    if not centres:
        return []
    pts = np.asarray(centres, dtype=float)
    pairs = set()
    for i in range(len(pts)):
        for j in np.argsort(np.hypot(*(pts - pts[i]).T))[1:3]:
            pairs.add((min(i, int(j)), max(i, int(j))))
    lines = []
    for site in outer:
        j = int(np.argmin(np.hypot(*(pts - np.asarray(site)).T)))
        lines.append(curved_line([site, tuple(pts[j])], rng, wiggle=0.05, step_m=200, smooth=1))
    for i, j in sorted(pairs):
        lines.append(curved_line([tuple(pts[i]), tuple(pts[j])], rng, wiggle=0.06, step_m=200, smooth=1))
    return lines

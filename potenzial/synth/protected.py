"""Synthetic protected areas: Natura 2000 (FFH, SPA), NSG and LSG (polygons, EPSG:25833).

Built from the synthetic rivers, forests and mining landscape so that they sit where the
real ones do: the FFH and SPA "Vereinigte Mulde" along the Mulde valley, FFH forests in the
municipalities with the largest forests, SPA bird areas at fish ponds and in the mining
landscape, small NSG inside the larger Natura 2000 and LSG areas, and large LSG over the
Mulde valley, the Kohrener Land, the Hohburger Berge, the Parthe and the Elster–Pleiße
floodplains. For the whole county the shares come out at about: Natura 2000 ≈ 10 %,
LSG ≈ 32 %, NSG ≈ 1.9 % of the area, all protected areas together ≈ 36 %. Calibration: the
county's lower nature-conservation authority gives ca. 61,000 ha, 37 % of the county, in at
least one protected-area category, overlaps counted once (Landkreis Leipzig,
Behördenwegweiser "Schutzgebiete", Stand 12/2022); the LSG were enlarged to meet it (they
covered 23 %, all areas together 27 %). The split between the categories is not from a
statistic (*check*). The tests check 8–12 %, 28–36 %, 1–2 % and 37 % ± 3 points. Names of
specific places are real names of the area; "Wälder bei <municipality>" marks an invented
name. The outlines themselves are invented.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import shapely
from shapely.ops import substring

from potenzial.crs import ANALYSIS_CRS
from potenzial.synth.infrastructure import CLIP_MARGIN_M, Corridor
from potenzial.synth.io import rng_for
from potenzial.synth.places import lonlat_to_xy
from potenzial.synth.shapes import blob, polygonal
from potenzial.units import M2_PER_HA

#: (kind, name, river names, half-width range [m]) for valley areas
VALLEYS = [
    ("natura2000_ffh", "Vereinigte Mulde und Muldeauen", ("Mulde", "Freiberger Mulde"), (220.0, 520.0)),
    ("natura2000_spa", "Vereinigte Mulde", ("Mulde",), (500.0, 900.0)),
    ("natura2000_ffh", "Elsteraue südlich Leipzig", ("Weiße Elster",), (150.0, 300.0)),
    ("lsg", "Mittleres Muldental", ("Mulde", "Freiberger Mulde"), (1500.0, 2400.0)),
    ("lsg", "Partheaue", ("Parthe",), (700.0, 1100.0)),
    ("lsg", "Elster-Pleiße-Auwald", ("Weiße Elster", "Pleiße"), (800.0, 1300.0)),
]
#: (kind, name, lon, lat, area [ha]) for round areas
PATCHES = [
    ("lsg", "Kohrener Land", 12.610, 51.020, 15000.0),
    ("lsg", "Hohburger Berge", 12.815, 51.410, 5000.0),
    ("lsg", "Leipziger Neuseenland", 12.420, 51.235, 4500.0),
    ("lsg", "Colditzer Forst", 12.850, 51.120, 4000.0),
    ("natura2000_spa", "Eschefelder Teiche", 12.530, 51.040, 450.0),
    ("natura2000_spa", "Bergbaufolgelandschaft Bockwitz", 12.535, 51.105, 350.0),
    ("natura2000_spa", "Rohrbacher Teiche", 12.525, 51.215, 180.0),
    ("natura2000_spa", "Bergbaufolgelandschaft Espenhain", 12.470, 51.195, 600.0),
]
#: ags -> name of the FFH area made from that municipality's largest forests
FOREST_FFH = {"14729300": "Naunhofer Forst", "14729080": "Colditzer Forst", "14729030": "Wälder bei Bennewitz",
              "14729160": "Thümmlitzwald", "14729245": "Wälder bei Lossatal", "14729400": "Wälder bei Trebsen",
              "14729010": "Wälder bei Bad Lausick"}
NSG_PER_VALLEY = 8          #: NSG cores along the Mulde FFH
NSG_CORE_SHARE = 0.35       #: share of an SPA/forest FFH patch that is also an NSG


def _valley(corridors: list[Corridor], rivers: tuple[str, ...], widths, rng) -> shapely.Geometry:
    parts = []
    for c in corridors:
        if c.kind != "river" or c.name not in rivers:
            continue
        length = c.geom.length
        n = max(1, int(length // 2000))
        for k in range(n):
            seg = substring(c.geom, k * length / n, (k + 1) * length / n)
            parts.append(shapely.buffer(seg, rng.uniform(*widths), quad_segs=8))
    return shapely.union_all(parts) if parts else shapely.Polygon()


def build(region, corridors: list[Corridor], landcover: gpd.GeoDataFrame, seed: int) -> gpd.GeoDataFrame:
    """All protected areas, clipped to the region plus the line clipping margin."""
    clip_area = shapely.buffer(shapely.simplify(region.union, 50.0), CLIP_MARGIN_M, quad_segs=4)
    rows = []

    def add(kind, name, geom):
        geom = polygonal(shapely.intersection(shapely.make_valid(geom), clip_area))
        if not geom.is_empty and geom.area >= M2_PER_HA:
            rows.append({"kind": kind, "name": name, "geometry": geom})
        return geom

    for kind, name, rivers, widths in VALLEYS:
        add(kind, name, _valley(corridors, rivers, widths, rng_for(seed, "protected_areas", name)))
    cores = []
    for kind, name, lon, lat, area_ha in PATCHES:
        rng = rng_for(seed, "protected_areas", name)
        radius = np.sqrt(area_ha * M2_PER_HA / np.pi)
        geom = add(kind, name, blob(lonlat_to_xy(lon, lat), radius, rng, roughness=0.3,
                                    aspect=rng.uniform(1.0, 1.4)))
        if kind == "natura2000_spa" and not geom.is_empty:
            cores.append((name, geom))
    forest = landcover[landcover["class"] == "forest"]
    for ags, name in FOREST_FFH.items():
        own = forest[forest["ags"] == ags]
        if own.empty:
            continue
        big = own.geometry.values[np.argsort(-own.area.values)[:2]]
        big = [g for g in big if g.area >= 40 * M2_PER_HA]
        if big:
            geom = add("natura2000_ffh", name, shapely.union_all([g.buffer(30).buffer(-30) for g in big]))
            cores.append((name, geom))
    # NSG: cores of the SPA and forest FFH areas, and pieces of the Mulde valley
    for name, geom in cores:
        rng = rng_for(seed, "nsg", name)
        centre = shapely.point_on_surface(geom).coords[0]
        radius = np.sqrt(NSG_CORE_SHARE * geom.area / np.pi)
        add("nsg", name if not name.startswith("Wälder") else f"NSG {name}",
            shapely.intersection(blob(centre, radius, rng), geom))
    mulde = next((r["geometry"] for r in rows if r["name"] == "Vereinigte Mulde und Muldeauen"), None)
    river = next((c.geom for c in corridors if c.name == "Mulde"), None)
    if mulde is not None and river is not None:
        rng = rng_for(seed, "nsg", "Mulde")
        for k, t in enumerate(np.sort(rng.uniform(0.05, 0.95, NSG_PER_VALLEY))):
            p = river.interpolate(t, normalized=True)
            add("nsg", f"Muldeaue {k + 1}", shapely.intersection(blob((p.x, p.y), rng.uniform(400, 600), rng), mulde))
    frame = gpd.GeoDataFrame(rows, columns=["kind", "name", "geometry"], geometry="geometry", crs=ANALYSIS_CRS)
    return frame

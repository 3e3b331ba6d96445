"""Synthetic aviation layers: protection areas around airports and airfields, navigation aids.

Stand-ins for the areas the aviation authorities publish (Landesdirektion Sachsen, DFS):

- ``aviation_areas`` (polygons, ``kind`` airport_protection | airfield | military): the building
  protection area (§ 12 LuftVG) of Leipzig/Halle airport, just north-west of the county, simplified
  to a 6 km disc around its two parallel runways (about 3.6 km long, 08/26); the landing areas of
  the airfield Leipzig-Altenburg (Nobitz, just south of the county) and of an invented glider
  field near Bad Lausick. No military area lies in the county, so none is generated (a real file
  brings them through the catalog).
- ``navigation_aids`` (points, ``kind`` dvor): one DVOR at the airport, the centre of the
  § 18a LuftVG test zone of the wind rules.

Positions are rounded to about 0.005°; the outlines are invented (marked synthetic in the catalog).
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import shapely

from potenzial.crs import ANALYSIS_CRS
from potenzial.synth.places import lonlat_to_xy

#: (name, lon, lat, runway length [m], runway azimuth [degrees from north], protection radius [m])
AIRPORT = ("Flughafen Leipzig/Halle, Bauschutzbereich (vereinfacht)", 12.236, 51.424, 3600.0, 80.0, 6000.0)
RUNWAY_SPACING_M = 1400.0  #: the two parallel runways of Leipzig/Halle lie about this far apart
#: (name, lon, lat, runway length [m], azimuth [degrees], half-width of the landing area [m])
AIRFIELDS = [
    ("Flugplatz Leipzig-Altenburg", 12.506, 50.982, 2200.0, 40.0, 150.0),
    ("Segelfluggelände bei Bad Lausick (erfunden)", 12.690, 51.160, 800.0, 70.0, 60.0),
]
#: (name, lon, lat) of the navigation aids
NAVAIDS = [("DVOR Leipzig (Lage synthetisch)", 12.262, 51.432)]


def _runway(lon: float, lat: float, length_m: float, azimuth_deg: float, offset_m: float = 0.0) -> shapely.LineString:
    x, y = lonlat_to_xy(lon, lat)
    a = np.radians(azimuth_deg)
    dx, dy = np.sin(a) * length_m / 2, np.cos(a) * length_m / 2
    ox, oy = np.cos(a) * offset_m, -np.sin(a) * offset_m  # across the runway
    return shapely.LineString([(x - dx + ox, y - dy + oy), (x + dx + ox, y + dy + oy)])


def build_areas() -> gpd.GeoDataFrame:
    """Airport protection area and airfield landing areas (deterministic: no random draws)."""
    name, lon, lat, length, azimuth, radius = AIRPORT
    runways = [_runway(lon, lat, length, azimuth, s * RUNWAY_SPACING_M / 2) for s in (-1, 1)]
    rows = [{"kind": "airport_protection", "name": name,
             "geometry": shapely.buffer(shapely.union_all(runways), radius, quad_segs=16)}]
    for name, lon, lat, length, azimuth, half_width in AIRFIELDS:
        rows.append({"kind": "airfield", "name": name,
                     "geometry": shapely.buffer(_runway(lon, lat, length, azimuth), half_width, cap_style="flat")})
    return gpd.GeoDataFrame(rows, columns=["kind", "name", "geometry"], geometry="geometry", crs=ANALYSIS_CRS)


def build_navaids() -> gpd.GeoDataFrame:
    rows = [{"kind": "dvor", "name": name, "geometry": shapely.Point(lonlat_to_xy(lon, lat))}
            for name, lon, lat in NAVAIDS]
    return gpd.GeoDataFrame(rows, columns=["kind", "name", "geometry"], geometry="geometry", crs=ANALYSIS_CRS)

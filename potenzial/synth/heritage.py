"""Synthetic heritage sites: landmark monuments of the county as small polygons.

Castles, palaces, a cathedral and a monastery ruin that dominate their landscape and so matter
for the surroundings rule of the wind rule set (§ 12 Abs. 1 Nr. 3 SächsDSchG). The places are
real (positions rounded to about 0.005°); the outlines are discs of the listed area (invented).
Ordinary listed buildings inside the villages are not generated: they lie inside the residential
setbacks anyway.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import shapely

from potenzial.crs import ANALYSIS_CRS
from potenzial.synth.places import lonlat_to_xy
from potenzial.units import M2_PER_HA

#: (name, lon, lat, area [ha])
MONUMENTS = [
    ("Schloss Colditz", 12.807, 51.132, 3.0),
    ("Burg Gnandstein", 12.585, 51.005, 1.5),
    ("Burgruine Kohren", 12.605, 51.016, 1.0),
    ("Schloss und Park Machern", 12.627, 51.364, 4.0),
    ("Dom St. Marien Wurzen", 12.737, 51.369, 1.0),
    ("Klosterruine Nimbschen", 12.735, 51.218, 1.5),
    ("Schloss Trebsen", 12.754, 51.288, 1.5),
    ("Schloss Püchau", 12.700, 51.394, 2.0),
    ("Schloss Frohburg", 12.556, 51.057, 2.0),
    ("Schloss Mutzschen", 12.888, 51.262, 1.5),
    ("Kloster Nimbschen und Göschenhaus Grimma", 12.726, 51.236, 1.0),
    ("Schloss Naundorf (Schmannewitz)", 13.040, 51.390, 1.0),
]


def build() -> gpd.GeoDataFrame:
    rows = [{"kind": "monument", "name": name,
             "geometry": shapely.buffer(shapely.Point(lonlat_to_xy(lon, lat)),
                                        float(np.sqrt(area_ha * M2_PER_HA / np.pi)), quad_segs=8)}
            for name, lon, lat, area_ha in MONUMENTS]
    return gpd.GeoDataFrame(rows, columns=["kind", "name", "geometry"], geometry="geometry", crs=ANALYSIS_CRS)

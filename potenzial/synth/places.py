"""Approximate real positions (WGS84 lon/lat, degrees) that anchor the synthetic geography.

Town centres, the mining lakes and the places the traffic corridors, rivers and power lines
run through. The values are rounded to about 0.005° (a few hundred metres): good enough for
a plausible stand-in, not a survey. :func:`xy` returns EPSG:25833 metres.
"""

from __future__ import annotations

from functools import lru_cache

from pyproj import Transformer

from potenzial.crs import ANALYSIS_CRS, WGS84

#: lon, lat [degrees] of named places in and around Landkreis Leipzig
PLACES: dict[str, tuple[float, float]] = {
    # outside the county
    "Leipzig": (12.375, 51.340), "Leipzig-Ost": (12.470, 51.345), "Leipzig-Nordost": (12.480, 51.385),
    "Leipzig-Süd": (12.385, 51.305), "Leipzig-Plagwitz": (12.330, 51.325),
    "Leipzig-Stötteritz": (12.420, 51.320), "Liebertwolkwitz": (12.470, 51.285),
    "Altenburg": (12.440, 50.985), "Zeitz": (12.140, 51.050), "Merseburg": (12.030, 51.340),
    "Großkorbetha": (12.030, 51.265), "Oschatz": (13.110, 51.300), "Eilenburg": (12.630, 51.460),
    "Leisnig": (12.930, 51.160), "Döbeln": (13.120, 51.120), "Rochlitz": (12.800, 51.045),
    "Penig": (12.700, 50.930), "Chemnitz-Nord": (12.850, 50.880), "Dresden-Richtung": (13.060, 51.190),
    "Schkeuditz": (12.220, 51.395), "Pulgar": (12.080, 51.205), "Streumen": (13.280, 51.370),
    "Röhrsdorf": (12.870, 50.860), "Taucha": (12.495, 51.380), "Naumburg-Richtung": (11.950, 51.180),
    # in the county (towns, villages, junctions)
    "Markkleeberg": (12.375, 51.275), "Gaschwitz": (12.370, 51.250), "Großdeuben": (12.380, 51.225),
    "Böhlen": (12.385, 51.200), "Lippendorf": (12.370, 51.180), "Neukieritzsch": (12.410, 51.150),
    "Regis-Breitingen": (12.435, 51.090), "Borna": (12.495, 51.125), "Frohburg": (12.555, 51.060),
    "Geithain": (12.695, 51.055), "Bad Lausick": (12.645, 51.145), "Colditz": (12.805, 51.130),
    "Sermuth": (12.790, 51.165), "Großbothen": (12.760, 51.195), "Grimma": (12.725, 51.237),
    "Nerchau": (12.785, 51.270), "Trebsen": (12.755, 51.290), "Wurzen": (12.740, 51.370),
    "Bennewitz": (12.710, 51.362), "Machern": (12.625, 51.365), "Gerichshain": (12.590, 51.360),
    "Borsdorf": (12.540, 51.350), "Brandis": (12.610, 51.333), "Beucha": (12.570, 51.322),
    "Naunhof": (12.585, 51.278), "Parthenaue": (12.550, 51.300), "Großpösna": (12.500, 51.265),
    "Espenhain": (12.455, 51.190), "Rötha": (12.415, 51.197), "Zwenkau": (12.325, 51.220),
    "Knautnaundorf": (12.300, 51.260), "Großdalzig": (12.285, 51.210), "Pegau": (12.250, 51.167),
    "Groitzsch": (12.280, 51.155), "Elstertrebnitz": (12.235, 51.150), "Markranstädt": (12.220, 51.300),
    "Kitzscher": (12.550, 51.165), "Belgershain": (12.550, 51.230), "Otterwisch": (12.605, 51.200),
    "Großsteinberg": (12.640, 51.265), "Falkenhain": (12.870, 51.395), "Hohburg": (12.810, 51.410),
    "Thallwitz": (12.680, 51.430), "Canitz": (12.715, 51.410), "Mutzschen": (12.880, 51.265),
    "Eula": (12.540, 51.140), "Espenhain-Süd": (12.470, 51.170), "Dornreichenbach": (12.880, 51.350),
    "Mölbis": (12.460, 51.180), "Kohren-Sahlis": (12.600, 51.015),
}

#: main town (seat) of each municipality, by AGS; a municipality missing here is anchored
#: at an interior point of its polygon
MAIN_TOWN_PLACE: dict[str, str] = {
    "14729010": "Bad Lausick", "14729020": "Belgershain", "14729030": "Bennewitz", "14729040": "Böhlen",
    "14729050": "Borna", "14729060": "Borsdorf", "14729070": "Brandis", "14729080": "Colditz",
    "14729100": "Elstertrebnitz", "14729140": "Frohburg", "14729150": "Geithain", "14729160": "Grimma",
    "14729170": "Groitzsch", "14729190": "Großpösna", "14729220": "Kitzscher", "14729245": "Falkenhain",
    "14729250": "Machern", "14729260": "Markkleeberg", "14729270": "Markranstädt", "14729300": "Naunhof",
    "14729320": "Neukieritzsch", "14729330": "Otterwisch", "14729340": "Großsteinberg",
    "14729350": "Pegau", "14729360": "Regis-Breitingen", "14729370": "Rötha", "14729380": "Thallwitz",
    "14729400": "Trebsen", "14729410": "Wurzen", "14729430": "Zwenkau",
}


@lru_cache(maxsize=1)
def _to_analysis() -> Transformer:
    return Transformer.from_crs(WGS84, ANALYSIS_CRS, always_xy=True)


def lonlat_to_xy(lon: float, lat: float) -> tuple[float, float]:
    """[degrees] WGS84 -> [m] EPSG:25833."""
    x, y = _to_analysis().transform(lon, lat)
    return float(x), float(y)


def xy(name: str) -> tuple[float, float]:
    """EPSG:25833 coordinates [m] of a place in :data:`PLACES`."""
    return lonlat_to_xy(*PLACES[name])

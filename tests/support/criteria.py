"""Empty stand-ins of the criteria layers (issue 12) for the hand-made test worlds.

The default rule sets name these layers; a toy world without features in them gets the empty
frames here (columns as the region catalog declares them), so its expected areas stay those
worked out by hand for the original layers.
"""

from __future__ import annotations

import geopandas as gpd
from shapely.geometry import Point, box

from potenzial.crs import ANALYSIS_CRS

#: layer id -> (columns, geometry family) as in layers/regions/lk-leipzig/region.toml
CRITERIA_LAYERS: dict[str, tuple[tuple[str, ...], str]] = {
    "aviation_areas": (("kind", "name"), "polygon"),
    "navigation_aids": (("kind", "name"), "point"),
    "water_protection_zones": (("zone", "kind", "name"), "polygon"),
    "flood_areas": (("kind", "name"), "polygon"),
    "heritage_sites": (("kind", "name"), "polygon"),
    "bird_breeding_sites": (("species", "site_id"), "point"),
    "protected_biotopes": (("kind",), "polygon"),
    "soil_quality": (("ackerzahl",), "polygon"),
    "regional_plan_areas": (("kind", "name"), "polygon"),
    "wind_energy_areas": (("name",), "polygon"),
    "residential_plots": (("plot_id", "ags"), "polygon"),
}


def empty_criteria_layers() -> dict[str, gpd.GeoDataFrame]:
    """Every criteria layer without features, in EPSG:25833."""
    return {lid: gpd.GeoDataFrame({c: [] for c in columns}, geometry=[], crs=ANALYSIS_CRS)
            for lid, (columns, _) in CRITERIA_LAYERS.items()}


#: one valid attribute row per criteria layer (values as the catalog documents them)
_ONE_ROW: dict[str, dict[str, object]] = {
    "aviation_areas": {"kind": "military", "name": "far"}, "navigation_aids": {"kind": "dvor", "name": "far"},
    "water_protection_zones": {"zone": "I", "kind": "drinking_water", "name": "far"},
    "flood_areas": {"kind": "hq100", "name": "far"}, "heritage_sites": {"kind": "monument", "name": "far"},
    "bird_breeding_sites": {"species": "red_kite", "site_id": "far"}, "protected_biotopes": {"kind": "hedgerow"},
    "soil_quality": {"ackerzahl": 90}, "regional_plan_areas": {"kind": "nature", "name": "far"},
    "wind_energy_areas": {"name": "far"}, "residential_plots": {"plot_id": "far", "ags": "00000000"},
}


def far_criteria_layers(x_m: float, y_m: float) -> dict[str, gpd.GeoDataFrame]:
    """Every criteria layer with one small feature at (x_m, y_m) [m, EPSG:25833]: for a toy region
    read from files (an empty layer is refused), placed so far away that no rule reaches the toy."""
    out = {}
    for lid, (columns, family) in CRITERIA_LAYERS.items():
        geom = Point(x_m, y_m) if family == "point" else box(x_m, y_m, x_m + 10.0, y_m + 10.0)
        out[lid] = gpd.GeoDataFrame([_ONE_ROW[lid]], columns=list(columns), geometry=[geom], crs=ANALYSIS_CRS)
    return out

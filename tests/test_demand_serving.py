"""The heat density grid opens in QGIS categorised by district-heating class (the GeoPackage's
``layer_styles``), with the classes' German/English titles, light to dark."""

from __future__ import annotations

import sqlite3
import xml.etree.ElementTree as ET

import geopandas as gpd
import pandas as pd
import shapely

from potenzial.results.demand import DEMAND_GRID
from potenzial.serving.cartography import layer_styles
from potenzial.serving.geopackage import DownloadLayer, write_municipality_geopackage
from potenzial.store.schema import RESULTS


def test_heat_density_grid_is_categorised_by_district_heating_class_in_the_geopackage(tmp_path):
    style = layer_styles(RESULTS)["demand_grid"]
    rows = {"cell_id": ["E0N0", "E100N0"], "heat_demand_mwh_th_per_a": [50.0, 500.0],
            "heat_density_mwh_th_per_ha_a": [50.0, 500.0], "dh_class": ["no_potential", "conventional"],
            "buildings": [1, 9]}
    frame = gpd.GeoDataFrame(pd.DataFrame(rows), geometry=[shapely.box(0, 0, 100, 100), shapely.box(100, 0, 200, 100)],
                             crs="EPSG:25833")
    path = write_municipality_geopackage(tmp_path / "m.gpkg", [DownloadLayer(DEMAND_GRID, frame, "#666666", style)],
                                         shapely.box(-100, -100, 300, 300), pd.DataFrame({"a": [1]}),
                                         pd.DataFrame({"b": ["x"]}))
    with sqlite3.connect(path) as db:
        (qml,) = db.execute("SELECT styleQML FROM layer_styles WHERE f_table_name = 'demand_grid'").fetchone()
    renderer = ET.fromstring(qml.split("'SYSTEM'>", 1)[1]).find("renderer-v2")
    assert renderer.get("type") == "categorizedSymbol" and renderer.get("attr") == "dh_class"
    categories = list(renderer.find("categories"))
    assert [c.get("value") for c in categories] == ["no_potential", "new_development", "low_temperature",
                                                     "conventional", "very_high"]
    assert categories[2].get("label") == ("Niedertemperaturnetz im Bestand (175–415 MWh/(ha·a)) / "
                                          "low-temperature network in existing buildings (175–415 MWh/(ha·a))")
    symbols = {s.get("name"): s for s in renderer.find("symbols")}
    first = {o.get("name"): o.get("value") for o in symbols[categories[0].get("symbol")].iter("Option")
             if o.get("name")}
    assert first["color"].startswith("253,231,37,")   # viridis at 1 (#fde725): the lowest class is the lightest

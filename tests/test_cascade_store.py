"""The cascade's tables in both stores: migration 0006 matches the result schemas, PostGIS and the
GeoPackage store read back the same frames."""

from __future__ import annotations

import pandas as pd
from pandas.testing import assert_frame_equal

from potenzial.cascade import assumption_rows, load_cascade_params
from potenzial.params import load_params
from potenzial.results.cascade import CASCADE_MUNICIPALITIES
from potenzial.settings import PROJECT_ROOT
from potenzial.store.base import RunResult, conform
from tests.support.demo_run import municipalities_frame, run_record


def frames() -> dict[str, pd.DataFrame]:
    munis = municipalities_frame()
    ags = sorted(munis["ags"].astype(str))[:3]
    cascade = {"ags": ags, "horizon_year": [2030, 2030, 2030]}
    for i, (column, _) in enumerate(CASCADE_MUNICIPALITIES.columns[2:]):
        cascade[column] = [float(i), i + 0.5, 0.0]
    params = load_cascade_params(load_params(PROJECT_ROOT / "layers" / "params" / "default").section("cascade"))
    return {
        "municipalities": munis,
        "cascade_municipalities": pd.DataFrame(cascade),
        "cascade_assumptions": pd.DataFrame(assumption_rows(params)),
        "wind_technical": pd.DataFrame({"ags": ags, "wind_technical_area_ha": [1.5, 0.0, 2.25],
                                        "wind_technical_turbines": [1, 0, 2],
                                        "wind_technical_capacity_mw": [4.2, 0.0, 8.4],
                                        "wind_technical_yield_gwh_per_a": [10.0, 0.0, 20.0]}),
        "pv_ground_technical": pd.DataFrame({"ags": ags, "pv_ground_technical_area_ha": [3.0, 0.0, 1.0],
                                             "pv_ground_technical_capacity_mwp": [3.0, 0.0, 1.0],
                                             "pv_ground_technical_yield_gwh_per_a": [3.1, 0.0, 1.05]}),
    }


def test_cascade_tables_read_back_identically_from_postgis_and_geopackage(postgis_store, gpkg_store):
    result = RunResult(record=run_record("cascade-run"), frames=frames())
    postgis_store.publish(result)
    gpkg_store.publish(result)
    for name in ("cascade_municipalities", "cascade_assumptions", "wind_technical", "pv_ground_technical"):
        from_pg, from_gpkg = postgis_store.read(name), gpkg_store.read(name)
        assert_frame_equal(from_pg, from_gpkg)
        assert_frame_equal(from_pg, conform(name, result.frames[name]))
    assert postgis_store.read("cascade_assumptions")["used"].dtype == bool

"""A store for the map's monitoring view: the demo run (the 30 real municipalities) with a hand-made
potential cascade whose potentials are round numbers, and the default region's catalog snapshots 2015,
2021 and 2024. The used shares then follow from the statistics file by hand (tests/test_monitoring_map.py)."""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd

from potenzial.results.cascade import CASCADE_MUNICIPALITIES
from potenzial.serving.monitoring_import import import_catalog
from potenzial.settings import Settings
from potenzial.store.base import RunResult
from potenzial.store.gpkg import GeoPackageStore
from tests.support.demo_run import municipalities_frame, run_record
from tests.support.monitoring import default_region

STATISTICS = Settings().regions_dir / "lk-leipzig" / "data" / "lk_leipzig_gemeinden_statistik.csv"
#: the hand-made potentials of every municipality, at every stage (biomass: but the realisable)
ROOF_PV_MWP, GROUND_PV_MWP, WIND_MW, BIOMASS_GWH_PER_A = 40.0, 60.0, 50.0, 10.0
BIOMASS_REALISABLE_GWH_PER_A = 2.0


def cascade_frame(ags: list[str]) -> pd.DataFrame:
    frame = pd.DataFrame({"ags": ags, "horizon_year": 2030})
    for name in CASCADE_MUNICIPALITIES.column_names:
        if name.startswith("solar_roof_") and name.endswith("_capacity_mwp"):
            frame[name] = ROOF_PV_MWP
        elif name.startswith("pv_ground_") and name.endswith("_capacity_mwp"):
            frame[name] = GROUND_PV_MWP
        elif name.startswith("wind_") and name.endswith("_capacity_mw"):
            frame[name] = WIND_MW
        elif name.startswith("biomass_") and name.endswith("_primary_energy_gwh_per_a"):
            # the realisable stage of biomass is what is left after the existing plants: smaller
            frame[name] = BIOMASS_REALISABLE_GWH_PER_A if "_realisable_" in name else BIOMASS_GWH_PER_A
        elif name not in frame.columns:
            frame[name] = 0.0
    return frame[list(CASCADE_MUNICIPALITIES.column_names)]


def monitoring_store(folder: Path) -> GeoPackageStore:
    """The demo run with the hand-made cascade, and the catalog snapshots."""
    municipalities = municipalities_frame()
    store = GeoPackageStore(folder)
    store.init()
    frames = {"municipalities": municipalities, "cascade_municipalities": cascade_frame(list(municipalities["ags"]))}
    store.publish(RunResult(record=run_record("monitoring-run"), frames=frames))
    import_catalog(store, default_region())
    return store


def statistics_kw(column: str, members: set[str]) -> float:
    """The sum of a ``mastr<year>_kw_<technology>`` column of the statistics file over ``members`` [kW]."""
    with STATISTICS.open(encoding="utf-8") as fh:
        return sum(float(r[column]) for r in csv.DictReader(fh) if r["ags"] in members)

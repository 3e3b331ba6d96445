"""A published demo run: the 30 real municipalities of Landkreis Leipzig with their 2021
population in a GeoPackage store, the other base figures 0 (for API and page tests)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pyogrio

from potenzial.crs import ANALYSIS_CRS
from potenzial.runs import RunRecord
from potenzial.settings import PROJECT_ROOT, Settings
from potenzial.store.base import RunResult
from potenzial.store.gpkg import GeoPackageStore
from potenzial.store.schema import MUNICIPALITIES
from potenzial.units import M2_PER_KM2

REGION_DATA = PROJECT_ROOT / "layers" / "regions" / "lk-leipzig" / "data"
N_MUNICIPALITIES = 30
#: Saxony's extent in degrees, with a little margin
SAXONY_LON = (11.8, 15.1)
SAXONY_LAT = (50.1, 51.7)


def municipalities_frame():
    """The 30 municipalities (BKG VG5000) with area from geometry and 2021 population; other figures 0."""
    frame = pyogrio.read_dataframe(REGION_DATA / "admin_vg5000_2021_sachsen.gpkg", layer="lk_leipzig_gemeinden")
    frame = frame.rename(columns={"AGS": "ags", "GEN": "name"}).to_crs(ANALYSIS_CRS)
    frame["area_km2"] = frame.geometry.area / M2_PER_KM2
    stats = pd.read_csv(REGION_DATA / "lk_leipzig_gemeinden_statistik.csv", dtype={"ags": str})
    population = stats.set_index("ags")["population_2021"]
    frame["population"] = frame["ags"].map(population)
    if frame["population"].isna().any():
        raise ValueError(f"no population for {frame.loc[frame['population'].isna(), 'ags'].tolist()}")
    for column in MUNICIPALITIES.column_names:
        if column not in frame.columns:
            frame[column] = 0
    return frame[[*MUNICIPALITIES.column_names, "geometry"]]


def run_record(run_id: str = "test-run-1") -> RunRecord:
    return RunRecord(
        run_id=run_id,
        region_id="lk-leipzig",
        started_at="2026-01-01T10:00:00+00:00",
        finished_at="2026-01-01T10:01:00+00:00",
        params_hash="0" * 64,
        code_version="test",
        steps=("municipalities",),
        synthetic_inputs=("buildings", "landcover"),
    )


def publish_demo_run(folder: Path, run_id: str = "test-run-1") -> GeoPackageStore:
    store = GeoPackageStore(folder)
    store.publish(RunResult(record=run_record(run_id), frames={"municipalities": municipalities_frame()}))
    return store


def settings_for(store_folder: Path, data_dir: Path) -> Settings:
    return Settings(store=str(store_folder), data_dir=data_dir)

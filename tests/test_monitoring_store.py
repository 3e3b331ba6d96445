"""Monitoring snapshots in both stores: whole or not at all, once per export, read back identically; the
default region's catalog snapshots reproduce the statistics file."""

from __future__ import annotations

import csv
import subprocess
import sys

import pandas as pd
import pytest

from potenzial.errors import InputDataError
from potenzial.serving.monitoring_import import import_catalog, import_exports
from potenzial.settings import Settings
from tests.support.monitoring import NAUNHOF, default_region, write_test_export

STATISTICS = Settings().regions_dir / "lk-leipzig" / "data" / "lk_leipzig_gemeinden_statistik.csv"


@pytest.fixture(params=["gpkg", "postgis"])
def store(request):
    return request.getfixturevalue(f"{request.param}_store")


@pytest.fixture(scope="module")
def region():
    return default_region()


def test_export_imported_twice_is_one_snapshot(store, region, tmp_path):
    written = write_test_export(tmp_path)
    first = import_exports(store, region, Settings().params_dir, [written.path])
    second = import_exports(store, region, Settings().params_dir, [written.path])
    assert [d.new for d in first] == [True] and [d.new for d in second] == [False]
    assert first[0].snapshot_id == second[0].snapshot_id
    records = store.snapshots().records(region.id)
    assert len(records) == 1 and records[0].units_count == 10


def test_snapshot_reads_back_as_written(gpkg_store, postgis_store, region, tmp_path):
    written = write_test_export(tmp_path)
    done = import_exports(gpkg_store, region, Settings().params_dir, [written.path])
    import_exports(postgis_store, region, Settings().params_dir, [written.path])
    a = gpkg_store.snapshots().read(done[0].snapshot_id)
    b = postgis_store.snapshots().read(done[0].snapshot_id)
    pd.testing.assert_frame_equal(a.units, b.units)
    pd.testing.assert_frame_equal(a.sums, b.sums)
    pd.testing.assert_frame_equal(a.report, b.report)
    assert (a.as_of, a.kind, a.schema_version, a.read_count) == (b.as_of, b.kind, b.schema_version, b.read_count)
    naunhof = a.sums.set_index(["ags", "technology"])["capacity_kw"][(NAUNHOF, "pv_ground")]
    assert naunhof == pytest.approx(150.0)
    # coordinates of the units that had them survive the store, the others stay empty
    assert a.units["x_m"].notna().sum() == 2


def test_a_bad_file_among_several_leaves_the_store_unchanged(store, region, tmp_path):
    good = write_test_export(tmp_path)
    bad = tmp_path / "Gesamtdatenexport_20240201_23.2.zip"
    bad.write_bytes(good.path.read_bytes()[:300])
    with pytest.raises(InputDataError):
        import_exports(store, region, Settings().params_dir, [good.path, bad])
    assert store.snapshots().records(region.id) == []


def _statistics(year: int) -> dict[tuple[str, str], float]:
    """The statistics file's MaStR sums, read with the csv module (kW)."""
    out = {}
    names = {"pv": "pv", "wind_on": "wind", "biomass": "biomass", "water": "hydro"}
    with STATISTICS.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            if row["ags"].endswith("000"):
                continue  # the county row
            for suffix, tech in names.items():
                out[(row["ags"], tech)] = float(row[f"mastr{year}_kw_{suffix}"])
    return out


def test_default_region_snapshots_reproduce_the_statistics_file(store, region):
    done = import_catalog(store, region)
    assert [d.as_of for d in done] == ["2021-12-31", "2024-12-31", "2015-12-31"]
    for item, year in zip(done[:2], (2021, 2024), strict=True):
        sums = store.snapshots().read(item.snapshot_id).sums
        got = {(a, t): v for a, t, v in zip(sums["ags"], sums["technology"], sums["capacity_kw"], strict=True)}
        assert got == _statistics(year)  # exactly, every municipality and technology
    ufz = store.snapshots().read(done[2].snapshot_id).sums
    # UFZ 2015 inside the county (SOURCES.md): 85 turbines, 110.4 MW; 25 open-field PV parks, 125.5 MW
    wind = ufz[ufz["technology"] == "wind"]
    assert wind["units_count"].sum() == 85 and wind["capacity_kw"].sum() / 1000 == pytest.approx(110.4, abs=0.05)
    pv = ufz[ufz["technology"] == "pv_ground"]
    assert pv["units_count"].sum() == 25 and pv["capacity_kw"].sum() / 1000 == pytest.approx(125.5, abs=0.05)
    assert [d.new for d in import_catalog(store, region)] == [False, False, False]


def test_cli_import_and_status(tmp_path):
    written = write_test_export(tmp_path)
    folder = tmp_path / "store"
    run = [sys.executable, "-m", "potenzial.cli.main", "monitoring"]
    first = subprocess.run([*run, "import", str(written.path), "--store", str(folder)], capture_output=True,
                           text=True, check=True)
    assert "imported, 10 units; rejected 3, repaired 2" in first.stdout
    again = subprocess.run([*run, "import", str(written.path), "--store", str(folder)], capture_output=True,
                           text=True, check=True)
    assert "already in the store, unchanged" in again.stdout
    status = subprocess.run([*run, "status", "--store", str(folder)], capture_output=True, text=True, check=True)
    assert "1 snapshots of region lk-leipzig" in status.stdout and "Windenergie an Land 3.0 MW" in status.stdout
    missing = subprocess.run([*run, "import", str(tmp_path / "nope.zip"), "--store", str(folder)],
                             capture_output=True, text=True)
    assert missing.returncode == 2 and "Traceback" not in missing.stderr and "does not exist" in missing.stderr

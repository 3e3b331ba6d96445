"""Vector tiles of a dense layer: the same bytes on every request, and a density grid at low zooms
whose cells sum to the planes (both stores).

The layer is hand-made: 288 × 288 equal roof planes (8 m squares on a 12.5 m pitch) in a block of
3.6 km × 3.6 km whose corner lies on the 400 m grid, so that every 100 m cell (zoom 12) holds 8 × 8
= 64 plane centres and every 400 m cell (zoom 10) 32 × 32 = 1,024.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from pyproj import Transformer

from potenzial.crs import ANALYSIS_CRS, WEB_MERCATOR
from potenzial.results.solar_roof import SOLAR_ROOF
from potenzial.store.base import RunResult
from potenzial.store.gpkg import GeoPackageStore
from potenzial.tiles.grid import tiles_covering
from potenzial.tiles.mvt import decode
from tests.support.demo_run import run_record
from tests.support.hand_run import hand_result

RUN_ID = "dense-run"
X0, Y0 = 340_000.0, 5_680_000.0  # multiples of 400 m (EPSG:25833), east of Grimma
SIDE = 288
PITCH_M, PLANE_M = 12.5, 8.0
CAPACITY_KWP, YIELD_KWH, USABLE_M2 = 1.5, 1_425.0, 7.5
N_PLANES = SIDE * SIDE  # 82,944
MAX_TILE_BYTES = 500 * 1024


def dense_roofs() -> gpd.GeoDataFrame:
    i, j = np.meshgrid(np.arange(SIDE), np.arange(SIDE), indexing="ij")
    x = X0 + (PITCH_M - PLANE_M) / 2 + PITCH_M * i.ravel()
    y = Y0 + (PITCH_M - PLANE_M) / 2 + PITCH_M * j.ravel()
    n = len(x)
    values = {"building_id": [f"B{k:06d}" for k in range(n)], "plane_no": np.ones(n, dtype="int64"),
              "ags": "14729160", "method": "footprint_flat", "tilt_deg": 0.0, "azimuth_deg": 180.0,
              "plane_area_m2": PLANE_M * PLANE_M, "usable_area_m2": USABLE_M2, "capacity_kwp": CAPACITY_KWP,
              "yield_kwh_per_a": YIELD_KWH, "specific_yield_kwh_per_kwp": YIELD_KWH / CAPACITY_KWP,
              "relative_irradiation": 0.9, "shading_factor": 1.0, "suitability": "very_good", "listed": False}
    frame = pd.DataFrame({c: values[c] for c in SOLAR_ROOF.column_names})
    return gpd.GeoDataFrame(frame, geometry=shapely.box(x, y, x + PLANE_M, y + PLANE_M), crs=ANALYSIS_CRS)


def dense_result() -> RunResult:
    base = hand_result(RUN_ID)
    return RunResult(record=run_record(RUN_ID), frames={**base.frames, "solar_roof": dense_roofs()})


@pytest.fixture(scope="module")
def dense_gpkg(tmp_path_factory):
    store = GeoPackageStore(tmp_path_factory.mktemp("dense") / "store")
    store.publish(dense_result())
    yield store
    store.close()


@pytest.fixture
def dense_postgis(postgis_store):
    postgis_store.publish(dense_result())
    return postgis_store


def block_tiles(z: int) -> list[tuple[int, int]]:
    to_3857 = Transformer.from_crs(ANALYSIS_CRS, WEB_MERCATOR, always_xy=True)
    xs, ys = to_3857.transform([X0, X0 + SIDE * PITCH_M, X0, X0 + SIDE * PITCH_M],
                               [Y0, Y0, Y0 + SIDE * PITCH_M, Y0 + SIDE * PITCH_M])
    return tiles_covering((min(xs), min(ys), max(xs), max(ys)), z)


def cells_of_zoom(store, z: int) -> dict[tuple[float, float], dict]:
    """Every cell of every tile of the block at zoom ``z``, once; a cell seen in two tiles must carry
    the same figures in both."""
    cells: dict[tuple[float, float], dict] = {}
    for x, y in block_tiles(z):
        data = store.vector_tile("solar_roof", z, x, y, run_id=RUN_ID)
        assert len(data) <= MAX_TILE_BYTES
        for feature in decode(data).get("solar_roof", {"features": []})["features"]:
            props = feature["properties"]
            key = (props["cell_x_m"], props["cell_y_m"])
            assert cells.setdefault(key, props) == props
    return cells


def check_density_grid(store) -> None:
    # zoom 10: 400 m cells; the block is 3,600 m = 9 cells a side, 32 × 32 = 1,024 planes in each
    cells = cells_of_zoom(store, 10)
    assert len(cells) == 81
    assert {p["planes"] for p in cells.values()} == {1024}
    assert {p["cell_size_m"] for p in cells.values()} == {400.0}
    assert sum(p["planes"] for p in cells.values()) == N_PLANES
    # 82,944 planes × 1.5 kWp = 124,416 kWp; × 1,425 kWh/a = 118,195,200 kWh/a; × 7.5 m² = 622,080 m²
    assert sum(p["capacity_kwp"] for p in cells.values()) == pytest.approx(124_416.0)
    assert sum(p["yield_kwh_per_a"] for p in cells.values()) == pytest.approx(118_195_200.0)
    assert sum(p["usable_area_m2"] for p in cells.values()) == pytest.approx(622_080.0)
    # one cell by hand: the south-west one holds 1,024 × 1.5 kWp = 1,536 kWp
    assert cells[(X0, Y0)]["capacity_kwp"] == pytest.approx(1_536.0)
    # zoom 12: 100 m cells, 36 a side, 64 planes each
    fine = cells_of_zoom(store, 12)
    assert len(fine) == 36 * 36 and {p["planes"] for p in fine.values()} == {64}
    assert sum(p["capacity_kwp"] for p in fine.values()) == pytest.approx(124_416.0)


def check_deterministic_cut(store) -> None:
    z = 14
    x, y = block_tiles(z)[0]
    whole = store.vector_tile("solar_roof", z, x, y, run_id=RUN_ID, max_features=100_000)
    first = store.vector_tile("solar_roof", z, x, y, run_id=RUN_ID, max_features=500)
    assert store.vector_tile("solar_roof", z, x, y, run_id=RUN_ID, max_features=500) == first
    everything = sorted(f["properties"]["building_id"] for f in decode(whole)["solar_roof"]["features"])
    kept = sorted(f["properties"]["building_id"] for f in decode(first)["solar_roof"]["features"])
    # the cut keeps the planes with the lowest keys among those whose box meets the tile (plus buffer);
    # a few of those fall in the buffer only and are clipped away, so the kept ones are a prefix
    # of the whole tile's in key order, at most 500 long
    assert 0 < len(kept) <= 500 and kept == everything[:len(kept)]
    assert len(everything) > 500


def test_gpkg_dense_tiles_are_a_density_grid_below_zoom_13(dense_gpkg):
    check_density_grid(dense_gpkg)
    z10 = block_tiles(10)[0]
    assert dense_gpkg.vector_tile("solar_roof", 10, *z10, run_id=RUN_ID) == \
        dense_gpkg.vector_tile("solar_roof", 10, *z10, run_id=RUN_ID)


def test_gpkg_over_full_tile_is_cut_the_same_way_every_time(dense_gpkg):
    check_deterministic_cut(dense_gpkg)


def test_gpkg_single_planes_from_zoom_13(dense_gpkg):
    x, y = block_tiles(13)[0]
    features = decode(dense_gpkg.vector_tile("solar_roof", 13, x, y, run_id=RUN_ID))["solar_roof"]["features"]
    assert features and all("building_id" in f["properties"] for f in features)


@pytest.mark.postgis
def test_postgis_dense_tiles_are_a_density_grid_below_zoom_13(dense_postgis):
    check_density_grid(dense_postgis)
    z10 = block_tiles(10)[0]
    assert dense_postgis.vector_tile("solar_roof", 10, *z10, run_id=RUN_ID) == \
        dense_postgis.vector_tile("solar_roof", 10, *z10, run_id=RUN_ID)


@pytest.mark.postgis
def test_postgis_over_full_tile_is_cut_the_same_way_every_time(dense_postgis):
    check_deterministic_cut(dense_postgis)


@pytest.mark.postgis
def test_both_stores_give_the_same_cells(dense_postgis, dense_gpkg):
    for z in (10, 12):
        assert cells_of_zoom(dense_postgis, z) == cells_of_zoom(dense_gpkg, z)

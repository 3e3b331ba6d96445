"""Publishing prepares what users ask for first: tiles z8-z12, GeoPackages, fact sheets, raster
downloads; reported in the run record (both stores); served from the prepared files (not rebuilt);
a failed preparation is counted and does not break serving; a raster tile is drawn, not 503, while
its display COG is being built."""

from __future__ import annotations

import threading

import numpy as np
import pytest
import rasterio
from fastapi.testclient import TestClient
from rasterio.transform import from_origin
from rio_cogeo.cogeo import cog_validate

from api.app import create_app
from potenzial.region import load_region
from potenzial.serving.downloads import download_path, factsheet_path
from potenzial.serving.prepare import PrepareSettings, prepare_run, prepared_tile_path
from potenzial.serving.services import RunServices
from potenzial.store.base import RunResult
from potenzial.tiles import display
from potenzial.tiles.display import RasterSidecar, write_sidecar
from potenzial.tiles.grid import bounds_to_3857, tile_for_lonlat
from tests.support.demo_run import municipalities_frame, publish_demo_run, run_record, settings_for
from tests.support.png import read_png
from tests.support.prepared import PREPARED_MUNICIPALITIES, PREPARED_ZOOMS

RUN_ID = "test-run-1"
GRIMMA = "14729160"
GRIMMA_LONLAT = (12.7253, 51.2386)
CELL_M = 100.0
NODATA = -9999.0


def write_hand_raster(path, municipalities):
    """100 m cells over the county's box; cell (row, col) holds row + col / 1000 (a value that tells
    every cell apart)."""
    minx, miny, maxx, maxy = municipalities.total_bounds
    minx, maxy = np.floor(minx / CELL_M) * CELL_M, np.ceil(maxy / CELL_M) * CELL_M
    width, height = int(np.ceil((maxx - minx) / CELL_M)), int(np.ceil((maxy - miny) / CELL_M))
    rows, cols = np.mgrid[0:height, 0:width]
    path.parent.mkdir(parents=True, exist_ok=True)
    with rasterio.open(path, "w", driver="GTiff", width=width, height=height, count=1, dtype="float32",
                       crs="EPSG:25833", transform=from_origin(minx, maxy, CELL_M, CELL_M), nodata=NODATA) as dst:
        dst.write((rows + cols / 1000).astype(np.float32), 1)
    write_sidecar(path, RasterSidecar("Hand raster", "m", "viridis", (0.0, float(height)), (), "test raster"))
    return path


def expected_tiles(bounds_3857, zooms):
    """Tiles of a box per zoom, from the tiles of its corners (an independent count)."""
    from pyproj import Transformer

    to_lonlat = Transformer.from_crs(3857, 4326, always_xy=True)
    west, north = to_lonlat.transform(bounds_3857[0], bounds_3857[3])
    east, south = to_lonlat.transform(bounds_3857[2], bounds_3857[1])
    counts = {}
    for z in zooms:
        _, x0, y0 = tile_for_lonlat(west, north, z)
        _, x1, y1 = tile_for_lonlat(east, south, z)
        counts[z] = (x1 - x0 + 1) * (y1 - y0 + 1)
    return counts


@pytest.fixture(scope="module")
def prepared(tmp_path_factory):
    """A published demo run with a raster the run wrote, prepared once; (settings, report, store)."""
    tmp = tmp_path_factory.mktemp("prepare")
    store = publish_demo_run(tmp / "store")
    settings = settings_for(tmp / "store", tmp).model_copy(update={"raster_cache": tmp / "raster_cache"})
    municipalities = municipalities_frame()
    raster = write_hand_raster(tmp / "raster_cache" / RUN_ID / "hand.tif", municipalities)
    region = load_region(settings.region, settings.regions_dir, settings.data_dir)
    services = RunServices(store, region, settings.raster_cache)
    report = prepare_run(services, store.current_run(), PrepareSettings())
    store.record_preparation(RUN_ID, report)
    return settings, report, store, raster


def test_every_product_is_prepared_and_the_report_is_in_the_stored_record(prepared):
    settings, report, store, _raster = prepared
    products = report["products"]
    assert {p: products[p]["failed"] for p in products} == dict.fromkeys(products, 0), products
    assert products["downloads"]["prepared"] == 30 and products["factsheets"]["prepared"] == 2 * 30
    assert products["display"]["prepared"] == 1 and products["rasters"]["prepared"] == 1
    # municipalities (vector, the county's box) and the hand raster (a little larger box): z8..z12
    county = bounds_to_3857(tuple(municipalities_frame().total_bounds), 25833)
    per_zoom = expected_tiles(county, range(8, 13))
    assert products["tiles"]["prepared"] >= 2 * sum(per_zoom.values()) - 10
    for ags in ("14729160", "14729010"):
        assert download_path(settings.raster_cache, RUN_ID, ags).stat().st_size > 0
        assert factsheet_path(settings.raster_cache, RUN_ID, ags).read_text(encoding="utf-8").startswith("<!")
        assert factsheet_path(settings.raster_cache, RUN_ID, ags, "pdf").read_bytes().startswith(b"%PDF")
    assert store.current_run().prepared == report
    assert report["zooms"] == [8, 9, 10, 11, 12] and report["seconds"] > 0


def test_the_server_serves_the_prepared_files_without_rebuilding_them(prepared):
    settings, _report, _store, _raster = prepared
    sheet = factsheet_path(settings.raster_cache, RUN_ID, GRIMMA)
    gpkg = download_path(settings.raster_cache, RUN_ID, GRIMMA)
    z, x, y = tile_for_lonlat(*GRIMMA_LONLAT, 10)
    tile = prepared_tile_path(settings.raster_cache, RUN_ID, "hand", z, x, y, "png")
    before = {p: p.stat().st_mtime_ns for p in (sheet, gpkg, tile)}
    with TestClient(create_app(settings)) as client:
        response = client.get(f"/tiles/hand/{z}/{x}/{y}.png")
        assert response.status_code == 200 and response.content == tile.read_bytes()
        assert client.app.state.serving.registry_if_built(RUN_ID) is None  # served before any registry
        page = client.get(f"/api/municipalities/{GRIMMA}/factsheet.html")
        assert page.status_code == 200 and page.content == sheet.read_bytes()
        assert page.headers["etag"] == f'"{RUN_ID}.factsheet.{GRIMMA}.de.1"'
        assert "default-src 'none'" in page.headers["content-security-policy"]
        again = client.get(f"/api/municipalities/{GRIMMA}/factsheet.html",
                           headers={"If-None-Match": page.headers["etag"]})
        assert again.status_code == 304
        download = client.get(f"/api/municipalities/{GRIMMA}/download.gpkg")
        assert download.status_code == 200 and download.content == gpkg.read_bytes()
        assert download.headers["etag"] == f'"{RUN_ID}.gpkg.{GRIMMA}.1"'
    assert {p: p.stat().st_mtime_ns for p in (sheet, gpkg, tile)} == before


def test_raster_downloads_are_cogs_in_25833_with_the_source_values(prepared, tmp_path):
    settings, _report, _store, raster = prepared
    with TestClient(create_app(settings)) as client:
        county = client.get("/api/rasters/hand.tif")
        clipped = client.get(f"/api/municipalities/{GRIMMA}/rasters/hand.tif")
        assert client.get("/api/rasters/municipalities.tif").status_code == 404
        assert client.get("/api/rasters/nope.tif").status_code == 404
    assert county.status_code == clipped.status_code == 200
    assert county.headers["content-type"].startswith("image/tiff")
    grimma = municipalities_frame().set_index("ags").geometry[GRIMMA]
    with rasterio.open(raster) as src:
        source = src.read(1)
        origin_x, origin_y = src.transform.c, src.transform.f
    for name, response in (("county.tif", county), ("grimma.tif", clipped)):
        path = tmp_path / name
        path.write_bytes(response.content)
        valid, errors, _warnings = cog_validate(str(path))
        assert valid, (name, errors)
        with rasterio.open(path) as src:
            assert src.crs.to_epsg() == 25833
            data = src.read(1)
            col0 = round((src.transform.c - origin_x) / CELL_M)
            row0 = round((origin_y - src.transform.f) / CELL_M)
            bounds = tuple(src.bounds)
        window = source[row0:row0 + data.shape[0], col0:col0 + data.shape[1]]
        inside = data != NODATA
        assert inside.sum() > 0 and np.array_equal(data[inside], window[inside])
        if name == "grimma.tif":
            # the clip covers Grimma's box (within a cell) and blanks cells outside its outline
            assert np.all(np.abs(np.subtract(bounds, grimma.bounds)) <= CELL_M), (bounds, grimma.bounds)
            assert 0 < inside.mean() < 1
            # cell count inside ≈ Grimma's area in cells (all_touched adds a rim of at most ~1 cell)
            assert grimma.area / CELL_M**2 <= inside.sum() <= (grimma.area + grimma.length * CELL_M) / CELL_M**2


def test_a_failed_preparation_is_counted_and_does_not_break_serving(tmp_path):
    store = publish_demo_run(tmp_path / "store")
    settings = settings_for(tmp_path / "store", tmp_path).model_copy(update={"raster_cache": tmp_path / "rc"})
    blocked = download_path(settings.raster_cache, RUN_ID, GRIMMA)
    blocked.mkdir(parents=True)  # a folder where Grimma's GeoPackage goes: its rename fails
    region = load_region(settings.region, settings.regions_dir, settings.data_dir)
    report = prepare_run(RunServices(store, region, settings.raster_cache), store.current_run(),
                         PrepareSettings(products=("downloads",)))
    assert report["products"]["downloads"]["prepared"] == 29
    assert report["products"]["downloads"]["failed"] == 1
    assert report["products"]["downloads"]["error"].startswith("IsADirectoryError")
    assert "/" not in report["products"]["downloads"]["error"]
    store.record_preparation(RUN_ID, report)
    with TestClient(create_app(settings)) as client:
        assert client.get("/healthz").json()["run_id"] == RUN_ID
        assert client.get("/api/municipalities/14729010/download.gpkg").status_code == 200
        assert client.get(f"/api/municipalities/{GRIMMA}/factsheet.html").status_code == 200


def test_a_raster_tile_is_drawn_from_the_analysis_raster_while_its_display_cog_is_built(tmp_path):
    publish_demo_run(tmp_path / "store")
    settings = settings_for(tmp_path / "store", tmp_path).model_copy(update={"raster_cache": tmp_path / "rc"})
    raster = write_hand_raster(tmp_path / "rc" / RUN_ID / "hand.tif", municipalities_frame())
    target = raster.with_name("hand.3857.tif")
    z, x, y = tile_for_lonlat(*GRIMMA_LONLAT, 12)
    with display._build_locks_guard:
        lock = display._build_locks.setdefault(target, threading.Lock())
    with TestClient(create_app(settings)) as client:
        with lock:  # the display COG's builder is busy: the build waits behind it
            drawn = client.get(f"/tiles/hand/{z}/{x}/{y}.png")
            assert not target.exists()
        assert drawn.status_code == 200 and drawn.headers["cache-control"] == "no-store"
        assert "etag" not in drawn.headers
        rgba = read_png(drawn.content)
        assert (rgba[3] > 0).all()  # Grimma lies inside the raster: every pixel drawn
        serving = client.app.state.serving
        serving.display_future(serving.registry(serving.tracker.current()).get("hand")).result(timeout=120)
        final = client.get(f"/tiles/hand/{z}/{x}/{y}.png")
        assert final.status_code == 200 and final.headers["etag"].startswith(f'"{RUN_ID}.hand.12.')
        # the same cells, drawn from the display COG: most pixels the same colour, the others a
        # neighbouring colour of the ramp (the two resample the gradient at slightly different points)
        shown = read_png(final.content).astype(int)
        assert (shown == rgba).all(axis=0).mean() > 0.8
        assert np.abs(shown - rgba).mean() < 2.0


@pytest.mark.postgis
def test_postgis_records_the_preparation_in_the_run_record(postgis_store, tmp_path):
    record = run_record("test-run-pg-prepare")
    postgis_store.publish(RunResult(record=record, frames={"municipalities": municipalities_frame()}))
    settings = settings_for(tmp_path / "unused", tmp_path)
    region = load_region(settings.region, settings.regions_dir, settings.data_dir)
    report = prepare_run(RunServices(postgis_store, region, tmp_path / "rc"), record,
                         PrepareSettings(products=("tiles", "factsheets"), zooms=(8, 9)))
    assert report["products"]["factsheets"] == {**report["products"]["factsheets"], "prepared": 2 * 30, "failed": 0}
    county = bounds_to_3857(tuple(municipalities_frame().total_bounds), 25833)
    assert report["products"]["tiles"]["prepared"] == sum(expected_tiles(county, (8, 9)).values())
    stored = postgis_store.record_preparation(record.run_id, report)
    assert stored.prepared == report == postgis_store.current_run().prepared
    assert stored.params_hash == record.params_hash and stored.steps == record.steps


def test_a_whole_run_is_prepared_and_its_analysis_rasters_are_cogs(pipeline_run):
    """The whole default region (embedded store): `run_pipeline` prepares every product, reports it in
    the stored record, and every analysis raster (the run's and the stand-ins') is a valid COG."""
    from potenzial.store import open_store

    settings, record = pipeline_run
    products = record.prepared["products"]
    assert set(products) == {"display", "tiles", "downloads", "factsheets", "rasters"}
    assert {p: e["failed"] for p, e in products.items()} == dict.fromkeys(products, 0), products
    # the session's run prepares two municipalities (tests/conftest.py), each fact sheet as HTML and PDF
    assert products["downloads"]["prepared"] == len(PREPARED_MUNICIPALITIES)
    assert products["factsheets"]["prepared"] == 2 * len(PREPARED_MUNICIPALITIES)
    store = open_store(settings.store_url)
    try:
        assert store.current_run().prepared == record.prepared
    finally:
        store.close()
    run_dir = settings.raster_cache / record.run_id
    analysis = [p for p in run_dir.glob("*.tif") if not p.name.endswith(".3857.tif")]
    stand_ins = list(settings.data_dir.rglob("terrain*.tif")) + list(settings.data_dir.rglob("wind_speed*.tif"))
    assert {p.stem for p in analysis} >= {"wind_exclusion_count", "wind_setback_distance"} and stand_ins
    for path in analysis + stand_ins:
        valid, errors, _warnings = cog_validate(str(path))
        assert valid, (path.name, errors)
        with rasterio.open(path) as src:
            assert src.crs.to_epsg() == 25833
    z, x, y = tile_for_lonlat(*GRIMMA_LONLAT, max(PREPARED_ZOOMS))
    assert prepared_tile_path(settings.raster_cache, record.run_id, "wind_setback_distance", z, x, y,
                              "png").is_file()
    assert prepared_tile_path(settings.raster_cache, record.run_id, "municipalities", z, x, y, "pbf").is_file()

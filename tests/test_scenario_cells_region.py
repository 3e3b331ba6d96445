"""The what-if map's eligible-land cells on the session's whole-region run: the raster the scenarios step
writes gives the fast path's areas per municipality, and its tiles carry the raster's values."""

from __future__ import annotations

import io
import json

import numpy as np
import pytest
import rasterio
from fastapi.testclient import TestClient
from PIL import Image
from pyproj import Transformer

from api.app import create_app
from potenzial.crs import ANALYSIS_CRS
from potenzial.exclusions import zone_raster
from potenzial.grid import Grid
from potenzial.scenarios import BandTable
from potenzial.scenarios.cells import NODATA, CellEncoding, eligible
from potenzial.serving.scenarios import limits_of
from potenzial.store import open_store
from potenzial.tiles.grid import tile_bounds_3857, tile_for_lonlat


@pytest.fixture(scope="module")
def client(pipeline_run):
    settings, _record = pipeline_run
    with TestClient(create_app(settings)) as c:
        yield c


@pytest.fixture(scope="module")
def run(pipeline_run):
    """(cells, encoding, grid, bands, limits, municipalities) of the session run."""
    settings, record = pipeline_run
    with rasterio.open(settings.raster_cache / record.run_id / "scenario_cells.tif") as src:
        cells = src.read(1)
        raw = json.loads(src.tags()["encoding"])
        t = src.transform
        grid = Grid(x0=t.c, y0=t.f, res_m=t.a, width=src.width, height=src.height, crs=ANALYSIS_CRS)
    store = open_store(settings.store_url)
    try:
        munis = store.read("municipalities", record.run_id).to_crs(25833)
        parameters = store.read("scenario_parameters", record.run_id)
        bands = store.read("scenario_bands", record.run_id)
    finally:
        store.close()
    munis = munis.assign(ags=munis["ags"].astype(str)).sort_values("ags", kind="stable").reset_index(drop=True)
    limits = limits_of(parameters)
    encoding = CellEncoding(criteria=tuple(raw["criteria"]), cap_m=int(raw["distance_cap_m"]))
    table = BandTable.from_frame(bands, munis["ags"].tolist(), list(limits.criteria))
    return cells, encoding, grid, table, limits, munis


@pytest.mark.parametrize("setback_m", [600.0, 1000.0, 1200.0])
@pytest.mark.parametrize("change", ["run", "forest_open", "lsg_on"])
def test_the_cells_give_the_fast_path_s_area_per_municipality(run, setback_m, change):
    cells, encoding, grid, table, limits, munis = run
    assert encoding.criteria == tuple(limits.criteria)  # the bit order of the figures
    on = {k for k, v in limits.criteria.items() if v}
    if change == "forest_open":
        on.discard("forest")
    elif change == "lsg_on":
        on.add("lsg")
    zones = zone_raster(grid, list(munis.geometry))
    ok = eligible(cells, encoding, setback_m, sorted(on))
    cell_ha = grid.res_m ** 2 / 1e4
    from_cells = np.bincount(zones[ok].astype(np.int64), minlength=len(munis) + 1)[1:] * cell_ha
    expected = table.eligible_ha(setback_m, sorted(on))
    assert expected.sum() > 100.0  # the county has eligible land at these setbacks
    # the same cells: distances rounded to whole metres (a rotor radius makes them fractional) move a
    # cell lying within half a metre of the line
    assert from_cells == pytest.approx(expected, rel=0.005, abs=2 * cell_ha)


def test_a_tile_carries_the_cells_and_follows_the_setback(client, run):
    cells, encoding, grid, table, limits, munis = run
    info = client.get("/api/scenarios/cells.json").json()
    assert info["encoding"]["criteria"] == list(limits.criteria)
    assert info["encoding"]["distance_shift"] == len(limits.criteria)
    z = info["maxzoom"] - 4  # the native zoom of the display raster (four overzoom levels above it)
    biggest = munis.iloc[int(np.argmax(table.eligible_ha(1000.0, [k for k, v in limits.criteria.items() if v])))]
    spot = biggest.geometry.representative_point()
    lon, lat = Transformer.from_crs(25833, 4326, always_xy=True).transform(spot.x, spot.y)
    _z, x, y = tile_for_lonlat(lon, lat, z)
    answer = client.get(f"/api/scenarios/cells/{z}/{x}/{y}.png")
    assert answer.status_code == 200 and answer.headers["content-type"] == "image/png"
    assert client.get(f"/api/scenarios/cells/{z}/{x}/{y}.png",
                      headers={"If-None-Match": answer.headers["etag"]}).status_code == 304
    rgba = np.asarray(Image.open(io.BytesIO(answer.content)).convert("RGBA"))
    packed = rgba[..., 0].astype(np.int64) * 256 + rgba[..., 1]
    shown = rgba[..., 3] == 255
    # every pixel against the analysis cell under its centre (EPSG:3857 -> EPSG:25833)
    minx, _miny, maxx, maxy = tile_bounds_3857(z, x, y)
    step = (maxx - minx) / 256
    cx, cy = np.meshgrid(minx + step * (np.arange(256) + 0.5), maxy - step * (np.arange(256) + 0.5))
    ex, ny = Transformer.from_crs(3857, 25833, always_xy=True).transform(cx.ravel(), cy.ravel())
    col = np.floor((np.asarray(ex) - grid.x0) / grid.res_m).astype(int).reshape(256, 256)
    row = np.floor((grid.y0 - np.asarray(ny)) / grid.res_m).astype(int).reshape(256, 256)
    inside = (col >= 0) & (col < grid.width) & (row >= 0) & (row < grid.height)
    under = np.full((256, 256), NODATA, dtype=np.int64)
    under[inside] = cells[row[inside], col[inside]]
    assert shown.sum() > 1000
    # nearest-neighbour warping may pick the neighbouring cell at a pixel's edge
    assert np.mean(np.where(shown, packed, NODATA) == under) > 0.97
    counts = [int((shown & ((packed >> encoding.bits) > s) & ((packed & encoding.mask(["forest"])) == 0)).sum())
              for s in (600.0, 1000.0, 1400.0)]
    assert counts[0] >= counts[1] >= counts[2] and counts[0] > counts[2]


def test_tiles_outside_the_region_or_the_zooms(client):
    info = client.get("/api/scenarios/cells.json").json()
    assert client.get("/api/scenarios/cells/12/0/0.png").status_code == 204  # far away from the region
    assert client.get(f"/api/scenarios/cells/{info['maxzoom'] + 1}/0/0.png").status_code == 404
    assert client.get(f"/api/scenarios/cells/{info['minzoom'] - 1}/0/0.png").status_code == 404

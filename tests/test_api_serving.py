"""Serving routes: layers and TileJSON, raster and vector tiles, summaries, point queries, downloads
and fact sheets; the safety list (hostile tile addresses, path-like ids, SQL metacharacters,
oversize parameters, a stopped database); and schemathesis over the OpenAPI document.

The run is generic over the result registry: every result schema that exists when the tests run
(the potentials are added by others) gets a few synthetic rows, so a new potential is served,
merged, downloaded and fuzzed without a change here. No test changes the global registry: a test
that needs other schemas passes its own mapping to the app.
"""

from __future__ import annotations

import io
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import psycopg
import pyogrio
import pytest
import rasterio
import shapely
from fastapi.testclient import TestClient
from rasterio.transform import from_origin

from api.app import create_app
from api.serving import ServingSettings
from potenzial.crs import ANALYSIS_CRS, WGS84
from potenzial.results import ResultSchema
from potenzial.results.wind import WIND_EXCLUSIONS, WIND_RULES
from potenzial.runs import RunRecord
from potenzial.settings import Settings
from potenzial.store.base import RunResult
from potenzial.store.gpkg import GeoPackageStore
from potenzial.store.schema import MUNICIPALITIES, RESULTS, RUN_INPUTS
from potenzial.tiles.display import RasterSidecar, write_sidecar
from potenzial.tiles.etag import tile_etag
from potenzial.tiles.grid import ORIGIN_M
from potenzial.tiles.mvt import MVT_MEDIA_TYPE, decode
from tests.support.demo_run import municipalities_frame
from tests.support.png import read_png

RUN_ID = "serve-run-1"
GRIMMA = "14729160"
#: a point in Grimma [degrees] and the tiles holding it
GRIMMA_LONLAT = (12.7253, 51.2386)
#: the same point in EPSG:25833 [m] (pyproj, EPSG:4326 -> EPSG:25833)
GRIMMA_XY = (341_214.23, 5_678_817.02)
WIND_MPS = 6.0  #: the constant of the hand-made wind raster [m/s]
WIND_RANGE = (4.0, 8.0)  #: its display range: 6.0 is the middle colour (palette index 128)
#: the rules the hand-made exclusion zone names (ids of layers/rules/wind_sn_2022.toml) and their bits
ZONE_RULES = ("residential_sachsbo84", "residential_outer_single")

#: the result layer that holds the hand-made exclusion zone (polygons with a ``reason``)
EXCLUSIONS = WIND_EXCLUSIONS


def tile_of(lon: float, lat: float, z: int) -> tuple[int, int, int]:
    x, y = gpd.GeoSeries([shapely.Point(lon, lat)], crs=WGS84).to_crs(3857).iloc[0].coords[0]
    size = 2 * ORIGIN_M / 2**z
    return z, int((x + ORIGIN_M) // size), int((ORIGIN_M - y) // size)


# ------------------------------------------------------------------ a run with every result schema


def sample_value(type_name: str, i: int):
    return {"text": f"v{i}", "int": i + 1, "float": 1.5 * (i + 1), "bool": bool(i % 2)}[type_name]


def synthetic_frame(sch: ResultSchema, municipalities: gpd.GeoDataFrame) -> pd.DataFrame:
    """A few rows of any result schema: one per municipality for per-municipality tables, else three
    features around Grimma's centre (a 200 m square, a line, or a point)."""
    grimma = municipalities.set_index("ags").geometry[GRIMMA].representative_point()
    if sch.per_municipality and not sch.geometry_type:
        rows = [{c: (a if c == "ags" else sample_value(t, i)) for c, t in sch.columns}
                for i, a in enumerate(municipalities["ags"])]
        return pd.DataFrame(rows, columns=sch.column_names)
    rows, geoms = [], []
    for i in range(3):
        rows.append({c: (GRIMMA if c == "ags" else sample_value(t, i)) for c, t in sch.columns})
        cx, cy = grimma.x + 300 * i, grimma.y
        kind = (sch.geometry_type or "").removeprefix("MULTI")
        geoms.append({"POLYGON": shapely.box(cx - 100, cy - 100, cx + 100, cy + 100),
                      "LINESTRING": shapely.LineString([(cx - 100, cy), (cx + 100, cy)]),
                      "POINT": shapely.Point(cx, cy)}.get(kind))
    frame = pd.DataFrame(rows, columns=sch.column_names)
    if sch.geometry_type:
        return gpd.GeoDataFrame(frame, geometry=geoms, crs=ANALYSIS_CRS)
    return frame


def exclusion_frame(municipalities: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """A 500 m circle around GRIMMA_LONLAT with its exclusion reason (a row of ``EXCLUSIONS``)."""
    centre = gpd.GeoSeries([shapely.Point(*GRIMMA_LONLAT)], crs=WGS84).to_crs(ANALYSIS_CRS).iloc[0]
    zone = centre.buffer(500)
    row = {"ags": GRIMMA, "rule_mask": 3, "reason": ",".join(ZONE_RULES), "hard": True, "area_ha": zone.area / 1e4}
    frame = pd.DataFrame([{c: row[c] for c in EXCLUSIONS.column_names}])
    return gpd.GeoDataFrame(frame, geometry=[zone], crs=ANALYSIS_CRS)


def wind_rules_frame() -> pd.DataFrame:
    """The two rules of the exclusion zone as the wind step records them (titles as in the rule set)."""
    rules = [("residential_sachsbo84", 0, "Wohngebäude im B-Plan (§30), im Innenbereich (§34) und Außenbereichsgruppen "
              "ab 5 Wohngebäuden", "hard", "§ 84 Abs. 2 SächsBO"),
             ("residential_outer_single", 1, "Einzelne Wohngebäude im Außenbereich (Lärmschutz)", "soft",
              "TA Lärm No. 6.1")]
    rows = [{"rule_id": r, "bit": bit, "title": title, "layer": "residential_buildings", "attribute_filter": "",
             "buffer_m": 1000.0, "effective_buffer_m": 1000.0, "kind": kind, "effect": "exclude", "switchable": False,
             "enabled": True, "features": 1, "source": source, "rule_set": "wind_sn_2022", "valid_from": "2022-06-01"}
            for r, bit, title, kind, source in rules]
    return pd.DataFrame(rows, columns=WIND_RULES.column_names)


def run_inputs_frame() -> pd.DataFrame:
    return pd.DataFrame([
        {"layer_id": "municipalities", "title": "Gemeinden (BKG VG5000, 01.01.2021)", "kind": "vector",
         "provenance": "real", "source": "admin.gpkg", "sha256": "0" * 64, "licence": "dl-de/by-2-0",
         "attribution": "© GeoBasis-DE / BKG 2021 (Daten verändert)"},
        {"layer_id": "wind_speed_150m", "title": "Wind speed 150 m (synthetic)", "kind": "raster",
         "provenance": "synthetic", "source": "wind_speed_150m.tif", "sha256": "1" * 64,
         "licence": "CC0-1.0 (synthetic demo data)", "attribution": "Synthetic demo data generated by potenzial"},
        {"layer_id": "livestock_state", "title": "Viehbestand Sachsen", "kind": "table", "provenance": "real",
         "source": "livestock.csv", "sha256": "2" * 64, "licence": "dl-de/by-2-0",
         "attribution": "Statistisches Landesamt Sachsen (livestock)"},
        {"layer_id": "plants_hydro_2015", "title": "Wasserkraftanlagen 2015", "kind": "vector", "provenance": "real",
         "source": "hydro.gpkg", "sha256": "3" * 64, "licence": "CC-BY-4.0", "attribution": "UFZ 2019 (hydro)"},
        {"layer_id": "buildings", "title": "Gebäude (synthetisch)", "kind": "vector", "provenance": "synthetic",
         "source": "buildings.gpkg", "sha256": "4" * 64, "licence": "CC0-1.0 (synthetic demo data)",
         "attribution": "Synthetic buildings generated by potenzial"},
    ])


def record(run_id: str) -> RunRecord:
    return RunRecord(run_id=run_id, region_id="lk-leipzig", started_at="2026-01-01T10:00:00+00:00",
                     finished_at="2026-01-01T10:01:00+00:00", params_hash="a" * 64, code_version="test",
                     steps=("base",), synthetic_inputs=("wind_speed_150m",))


def write_wind_raster(path: Path, municipalities: gpd.GeoDataFrame) -> Path:
    """100 m raster of 6.0 m/s over the county's box, nodata in its westernmost 5 km."""
    minx, miny, maxx, maxy = municipalities.total_bounds
    minx, maxy = np.floor(minx / 100) * 100, np.ceil(maxy / 100) * 100
    width, height = int(np.ceil((maxx - minx) / 100)), int(np.ceil((maxy - miny) / 100))
    values = np.full((height, width), WIND_MPS, dtype=np.float32)
    values[:, :50] = -9999.0
    path.parent.mkdir(parents=True, exist_ok=True)
    with rasterio.open(path, "w", driver="GTiff", width=width, height=height, count=1, dtype="float32",
                       crs="EPSG:25833", transform=from_origin(minx, maxy, 100, 100), nodata=-9999.0) as dst:
        dst.write(values, 1)
    return path


#: left out: a run without the scenarios step (its routes answer 404; tests/test_scenarios*.py run them)
SCENARIO_TABLES = ("scenario_bands", "scenario_parameters")


def all_frames(municipalities: gpd.GeoDataFrame) -> dict[str, pd.DataFrame]:
    frames: dict[str, pd.DataFrame] = {MUNICIPALITIES.name: municipalities, RUN_INPUTS.name: run_inputs_frame()}
    for name, sch in RESULTS.items():
        if name in frames or name in SCENARIO_TABLES:
            continue
        frames[name] = (exclusion_frame(municipalities) if name == EXCLUSIONS.name
                        else wind_rules_frame() if name == WIND_RULES.name
                        else synthetic_frame(sch, municipalities))
    return frames


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """Settings of a data folder with a GeoPackage store holding one run of every result schema, the
    catalog's wind raster and a raster the run wrote (with its sidecar)."""
    tmp = tmp_path_factory.mktemp("serve")
    municipalities = municipalities_frame()
    store = GeoPackageStore(tmp / "store")
    store.publish(RunResult(record=record(RUN_ID), frames=all_frames(municipalities)))
    write_wind_raster(tmp / "regions" / "lk-leipzig" / "synthetic" / "wind_speed_150m.tif", municipalities)
    run_dir = tmp / "raster_cache" / RUN_ID
    run_raster = write_wind_raster(run_dir / "wind_speed_hub.tif", municipalities)
    write_sidecar(run_raster, RasterSidecar("Wind speed at hub height", "m/s", "magma", WIND_RANGE,
                                            ("wind_speed_150m",), "test raster"))
    return Settings(store=str(tmp / "store"), data_dir=tmp, raster_cache=tmp / "raster_cache")


@pytest.fixture(scope="module")
def client(served):
    with TestClient(create_app(served)) as c:
        c.app.state.serving.prepare(c.app.state.serving.tracker.current(), timeout_s=120)
        yield c


# ------------------------------------------------------------------ layers and TileJSON


def test_layers_lists_every_served_layer_with_provenance_and_no_paths(client, served):
    response = client.get("/api/layers")
    assert response.status_code == 200
    body = response.json()
    assert body["run_id"] == RUN_ID
    served_layers = {layer["id"]: layer for layer in body["served"]}
    vector_results = {n for n, s in RESULTS.items() if s.geometry_type}
    assert vector_results | {"wind_speed_hub", "wind_speed_150m"} == set(served_layers)
    wind = served_layers["wind_speed_150m"]
    assert (wind["kind"], wind["origin"], wind["provenance"], wind["synthetic"]) == ("raster", "catalog",
                                                                                    "synthetic", True)
    assert wind["tiles"][0].endswith("/tiles/wind_speed_150m/{z}/{x}/{y}.png")
    hub = served_layers["wind_speed_hub"]
    assert hub["value_range"] == list(WIND_RANGE) and hub["colormap"] == "magma" and hub["units"] == "m/s"
    assert hub["sources"][0]["layer_id"] == "wind_speed_150m" and hub["provenance"] == "synthetic"
    assert len(hub["legend"]) >= 2 and hub["legend"][0]["value"] == WIND_RANGE[0]
    municipalities = served_layers["municipalities"]
    assert municipalities["kind"] == "vector" and municipalities["field_units"]["area_km2"] == "km²"
    assert "BKG" in municipalities["attribution"]
    assert str(served.data_dir) not in response.text


def test_provenance_and_attribution_are_per_layer_not_per_run(client):
    """A layer credits only the inputs it derives from: the real boundaries are not synthetic although
    the run used stand-ins; roof planes credit neither the livestock statistics nor the hydro plants;
    a layer derived from a stand-in (roofs from the synthetic buildings) is synthetic."""
    served = {layer["id"]: layer for layer in client.get("/api/layers").json()["served"]}
    boundaries = served["municipalities"]
    assert (boundaries["synthetic"], boundaries["provenance"]) == (False, "real")
    assert [s["layer_id"] for s in boundaries["sources"]] == ["municipalities"]
    roofs = served["solar_roof"]
    assert {s["layer_id"] for s in roofs["sources"]} == {"municipalities", "buildings"}
    assert roofs["synthetic"] is True
    assert "livestock" not in roofs["attribution"] and "hydro" not in roofs["attribution"]
    tilejson = client.get("/api/layers/solar_roof/tilejson.json").json()
    assert "livestock" not in tilejson["attribution"] and "Synthetic buildings" in tilejson["attribution"]
    assert "BKG" in client.get("/api/layers/municipalities/tilejson.json").json()["attribution"]
    # wind derives from the synthetic wind speed and buildings, not from the livestock statistics
    wind = served["wind_areas"]
    assert wind["synthetic"] is True and "livestock" not in wind["attribution"]
    assert "Synthetic demo data generated by potenzial" in wind["attribution"]
    # biomass does use the livestock statistics
    assert "livestock" in served["biomass_map"]["attribution"]


def test_tilejson_documents(client):
    raster = client.get("/api/layers/wind_speed_150m/tilejson.json").json()
    assert raster["tilejson"] == "3.0.0" and raster["tiles"][0].endswith(".png")
    west, south, east, north = raster["bounds"]
    assert 11.8 < west < east < 13.2 and 50.8 < south < north < 51.6
    assert raster["minzoom"] <= raster["center"][2] <= raster["maxzoom"]
    assert "vector_layers" not in raster
    vector = client.get("/api/layers/municipalities/tilejson.json").json()
    assert vector["vector_layers"][0]["id"] == "municipalities"
    assert vector["vector_layers"][0]["fields"]["population"] == "Number"
    assert client.get("/api/layers/municipalities").json()["id"] == "municipalities"
    assert client.get("/api/layers/nope/tilejson.json").status_code == 404


# ------------------------------------------------------------------ raster tiles


def test_raster_tile_is_a_png_of_the_right_size_and_colour(client):
    from potenzial.tiles.colormap import palette

    z, x, y = tile_of(*GRIMMA_LONLAT, 12)
    response = client.get(f"/tiles/wind_speed_150m/{z}/{x}/{y}.png")
    assert response.status_code == 200 and response.headers["content-type"] == "image/png"
    rgba = read_png(response.content)
    assert rgba.shape == (4, 256, 256)
    assert tuple(rgba[:, 128, 128]) == tuple(palette("viridis")[1 + 127 * 0])  # auto range: constant -> low end
    big = read_png(client.get(f"/tiles/wind_speed_hub/{z}/{x}/{y}.png", params={"scale": 2}).content)
    assert big.shape == (4, 512, 512)
    assert tuple(big[:, 256, 256]) == tuple(palette("magma")[128])  # 6.0 in 4..8: the middle colour


def test_raster_tile_headers_cache_and_304(client, served):
    z, x, y = tile_of(*GRIMMA_LONLAT, 13)
    url = f"/tiles/wind_speed_hub/{z}/{x}/{y}.png"
    first = client.get(url)
    etag = first.headers["etag"]
    assert RUN_ID in etag and "max-age" in first.headers["cache-control"]
    cached = served.raster_cache / RUN_ID / "tiles" / "wind_speed_hub" / str(z) / str(x) / f"{y}.png"
    assert cached.read_bytes() == first.content
    assert client.get(url).content == first.content
    not_modified = client.get(url, headers={"If-None-Match": etag})
    assert not_modified.status_code == 304 and not_modified.content == b""
    assert client.get(url, headers={"If-None-Match": '"other"'}).status_code == 200


def test_router_and_fast_path_give_the_same_etag_for_the_same_tile(client):
    """The router (a request with a query string always takes it) renders and caches the tile; the
    fast path (:class:`api.fastpath.CachedTileMiddleware`, called here directly, with an app behind it
    that fails) answers the same tile from memory with the same ETag, and 304 for that ETag."""
    import asyncio

    from api.fastpath import CachedTileMiddleware

    z, x, y = tile_of(*GRIMMA_LONLAT, 11)
    path = f"/tiles/wind_speed_hub/{z}/{x}/{y}.png"
    routed = client.get(path, params={"scale": 1})
    assert routed.status_code == 200
    assert routed.headers["etag"] == tile_etag(RUN_ID, "wind_speed_hub", z, x, y, "png")

    async def not_the_fast_path(scope, receive, send):
        raise AssertionError("the fast path passed the request on")

    async def fast(headers: list[tuple[bytes, bytes]]) -> tuple[int, dict[bytes, bytes]]:
        sent: list[dict] = []

        async def send(message: dict) -> None:
            sent.append(message)

        client.app.state.serving.tracker.current()  # the fast path needs a run known without I/O
        scope = {"type": "http", "method": "GET", "path": path, "root_path": "", "query_string": b"",
                 "headers": headers, "app": client.app}
        await CachedTileMiddleware(not_the_fast_path)(scope, None, send)
        return sent[0]["status"], dict(sent[0]["headers"])

    status, headers = asyncio.run(fast([]))
    assert status == 200 and headers[b"etag"].decode() == routed.headers["etag"]
    assert headers[b"cache-control"].decode() == routed.headers["cache-control"]
    status, _ = asyncio.run(fast([(b"if-none-match", routed.headers["etag"].encode())]))
    assert status == 304


def test_tiles_outside_the_region_or_without_data_are_204(client):
    assert client.get("/tiles/wind_speed_150m/10/0/0.png").status_code == 204
    assert client.get("/tiles/municipalities/10/0/0.pbf").status_code == 204
    # inside the raster's box but in its nodata strip (the westernmost 5 km)
    lon_west = 12.17
    z, x, y = tile_of(lon_west, 51.2, 14)
    assert client.get(f"/tiles/wind_speed_150m/{z}/{x}/{y}.png").status_code == 204


def test_a_new_run_serves_new_tiles(tmp_path):
    municipalities = municipalities_frame()
    store = GeoPackageStore(tmp_path / "store")
    store.publish(RunResult(record=record("run-a"), frames={"municipalities": municipalities}))
    write_wind_raster(tmp_path / "regions" / "lk-leipzig" / "synthetic" / "wind_speed_150m.tif", municipalities)
    settings = Settings(store=str(tmp_path / "store"), data_dir=tmp_path, raster_cache=tmp_path / "cache")
    z, x, y = tile_of(*GRIMMA_LONLAT, 12)
    url = f"/tiles/wind_speed_150m/{z}/{x}/{y}.png"
    with TestClient(create_app(settings, serving_settings=ServingSettings(run_check_interval_s=0))) as c:
        serving = c.app.state.serving
        serving.prepare(serving.tracker.current(), timeout_s=120)  # display COG built: tiles get an ETag
        etag_a = c.get(url).headers["etag"]
        store.publish(RunResult(record=record("run-b"), frames={"municipalities": municipalities}))
        serving.prepare(serving.tracker.current(), timeout_s=120)
        response = c.get(url, headers={"If-None-Match": etag_a})
    assert response.status_code == 200 and "run-b" in response.headers["etag"]
    assert (tmp_path / "cache" / "run-b" / "tiles" / "wind_speed_150m").is_dir()


# ------------------------------------------------------------------ vector tiles


def test_vector_tile_decodes_to_features(client):
    z, x, y = tile_of(*GRIMMA_LONLAT, 11)
    response = client.get(f"/tiles/municipalities/{z}/{x}/{y}.pbf")
    assert response.status_code == 200 and response.headers["content-type"] == MVT_MEDIA_TYPE
    layer = decode(response.content)["municipalities"]
    names = {f["properties"]["name"] for f in layer["features"]}
    assert "Grimma" in names
    grimma = next(f for f in layer["features"] if f["properties"]["ags"] == GRIMMA)
    assert grimma["properties"]["population"] > 20_000
    assert grimma["geometry"]["type"] in ("Polygon", "MultiPolygon")


def test_every_vector_result_layer_has_tiles(client):
    z, x, y = tile_of(*GRIMMA_LONLAT, 14)
    for name, sch in RESULTS.items():
        if not sch.geometry_type or name == MUNICIPALITIES.name:
            continue
        response = client.get(f"/tiles/{name}/{z}/{x}/{y}.pbf")
        assert response.status_code in (200, 204), name
        if response.status_code == 200:
            assert name in decode(response.content)


def test_raster_layers_have_no_pbf_and_vector_layers_no_png(client):
    assert client.get("/tiles/wind_speed_150m/10/550/342.pbf").status_code == 404
    assert client.get("/tiles/municipalities/10/550/342.png").status_code == 404


# ------------------------------------------------------------------ summaries


def test_municipalities_carry_every_per_municipality_figure(client):
    body = client.get("/api/municipalities").json()
    props = body["features"][0]["properties"]
    for name, sch in RESULTS.items():
        if sch.per_municipality and not sch.geometry_type:
            figures = [c for c in sch.column_names if c != "ags"]
            assert any(c in props or f"{name}_{c}" in props for c in figures), name


def test_one_municipality_with_units_and_provenance(client):
    response = client.get(f"/api/municipalities/{GRIMMA}")
    assert response.status_code == 200
    body = response.json()
    assert body["name"] == "Grimma" and body["run_id"] == RUN_ID and body["params_hash"] == "a" * 64
    assert body["units"]["area_km2"] == "km²" and body["figures"]["population"] > 20_000
    # every figure finds its title in /api/schemas through its table and column
    schemas = client.get("/api/schemas").json()
    titles = {f: schemas[body["tables"][f]]["columns"][body["columns"][f]]["title"]["de"] for f in body["figures"]}
    assert titles["population"] == "Einwohner" and titles["electricity_potential_gwh_per_a"] == "Strompotenzial"
    # the inputs the figures derive from; the hydro plants of 2015 feed no figure (hydro is from the statistics)
    assert {s["layer_id"] for s in body["sources"]} == {"municipalities", "wind_speed_150m", "buildings",
                                                       "livestock_state"}
    assert body["links"]["download"].endswith(f"/api/municipalities/{GRIMMA}/download.gpkg")
    assert body["geometry"]["type"] == "MultiPolygon"
    # served from memory after the first answer: the same bytes under one ETag, 304 when the client has them
    again = client.get(f"/api/municipalities/{GRIMMA}")
    assert again.content == response.content and again.headers["etag"] == response.headers["etag"]
    assert client.get(f"/api/municipalities/{GRIMMA}",
                      headers={"If-None-Match": response.headers["etag"]}).status_code == 304
    # the links name the host the client asked: another base URL, another answer and ETag
    other = client.get(f"/api/municipalities/{GRIMMA}", headers={"Host": "potenzial.example"})
    assert other.json()["links"]["download"].startswith("http://potenzial.example/")
    assert other.headers["etag"] != response.headers["etag"]


@pytest.mark.parametrize("ags", ["14729999", "1472916", "abcdefgh", "14729160x", "x" * 32])
def test_unknown_ags_is_404(client, ags):
    response = client.get(f"/api/municipalities/{ags}")
    assert response.status_code == 404
    assert client.get(f"/api/municipalities/{ags}/download.gpkg").status_code == 404
    assert client.get(f"/api/municipalities/{ags}/factsheet.html").status_code == 404


def read_summary_csv(content: bytes) -> tuple[dict[str, str], list[str], list[dict[str, str]]]:
    """(header block {item: value}, table headers, table rows) of a summary CSV, read with the csv module."""
    import csv as csv_module

    rows = list(csv_module.reader(io.StringIO(content.decode("utf-8-sig"), newline="")))
    blank = rows.index([])
    block = {r[0]: r[1] for r in rows[:blank]}
    headers = rows[blank + 1]
    return block, headers, [dict(zip(headers, r, strict=True)) for r in rows[blank + 2:]]


def test_summary_csv_has_bom_header_block_titles_and_rounded_values(client):
    response = client.get("/api/summary.csv")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    assert response.content.startswith(b"\xef\xbb\xbf")  # UTF-8 byte-order mark: Excel reads the umlauts
    block, headers, rows = read_summary_csv(response.content)
    assert all(key.startswith("# ") for key in block)
    assert block["# Lauf"] == RUN_ID and block["# Berechnet am"] == "2026-01-01T10:01:00+00:00"
    # the figures derive from the synthetic wind speed and buildings: both are named
    assert block["# Synthetische Eingangsdaten"].startswith("ja")
    assert "Wind speed 150 m (synthetic)" in block["# Synthetische Eingangsdaten"]
    assert "Gebäude (synthetisch)" in block["# Synthetische Eingangsdaten"]
    assert "© GeoBasis-DE / BKG 2021" in block["# Quellen (Namensnennung)"]
    assert "UFZ 2019 (hydro)" not in block["# Quellen (Namensnennung)"]  # no figure derives from it
    assert len(rows) == 30
    assert {"Gemeindeschlüssel (AGS)", "Gemeinde", "Fläche (km²)", "Einwohner (Personen)",
            "Strompotenzial (GWh_el/a)", "Wärmepotenzial (GWh_th/a)", "Stufe"} <= set(headers)
    assert not [h for h in headers if re.fullmatch(r"[a-z0-9_]+( \[.*\])?", h)]  # no raw field name
    assert len(set(headers)) == len(headers)
    grimma = next(r for r in rows if r["Gemeindeschlüssel (AGS)"] == GRIMMA)
    assert grimma["Gemeinde"] == "Grimma"
    # area rounded to 2 decimals (km²), computed here from the boundary itself
    area_km2 = municipalities_frame().set_index("ags").geometry[GRIMMA].area / 1e6
    assert grimma["Fläche (km²)"] == f"{area_km2:.2f}"
    assert re.fullmatch(r"\d+", grimma["Einwohner (Personen)"])  # persons: whole numbers
    # class values by their title, not their code
    assert {r["Stufe"] for r in rows} == {"planerisch eingeschränktes Potenzial"}
    english_block, english, english_rows = read_summary_csv(client.get("/api/summary.csv",
                                                                       params={"lang": "en"}).content)
    assert english_block["# Run"] == RUN_ID and english_block["# Synthetic inputs"].startswith("yes")
    assert {"Area (km²)", "Population (persons)", "Stage"} <= set(english)
    assert {r["Stage"] for r in english_rows} == {"restricted potential"}
    assert client.get("/api/summary.csv", params={"lang": "fr"}).status_code == 422


def test_summary_xlsx_has_a_read_me_sheet_titles_and_rounded_values(client):
    from openpyxl import load_workbook

    xlsx = client.get("/api/summary.xlsx")
    assert xlsx.headers["content-type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    book = load_workbook(io.BytesIO(xlsx.content))
    assert book.sheetnames[0] == "Lies mich – Read me"
    about = {row[0].value: (row[1].value, row[2].value) for row in book["Lies mich – Read me"].iter_rows(min_row=2)}
    assert about["Lauf / Run"] == (RUN_ID, RUN_ID)
    assert about["Synthetische Eingangsdaten / Synthetic inputs"][0].startswith("ja")
    assert about["Synthetische Eingangsdaten / Synthetic inputs"][1].startswith("yes")
    assert "© GeoBasis-DE / BKG 2021" in about["Quellen (Namensnennung) / Sources (attribution)"][0]
    _, csv_headers, _ = read_summary_csv(client.get("/api/summary.csv").content)
    headers = [c.value for c in book["summary"][1]]
    assert headers == csv_headers
    assert book["summary"].max_row == 31
    area = headers.index("Fläche (km²)")
    areas = [row[area].value for row in book["summary"].iter_rows(min_row=2)]
    assert all(round(a, 2) == a for a in areas)
    assert {"units", "sources", "notes"} <= set(book.sheetnames)
    notes = {row[0].value: (row[1].value, row[2].value) for row in book["notes"].iter_rows(min_row=2)}
    assert notes["stage"] == ("planerisch eingeschränktes Potenzial", "restricted potential")
    assert notes["precedence"][1].startswith("wind first")
    units = {row[0].value: [c.value for c in row] for row in book["units"].iter_rows(min_row=2)}
    assert units["electricity_potential_gwh_per_a"][3] == "Strompotenzial"
    assert units["population"][1:6] == ["persons", "municipalities", "Einwohner", "Population", "Personen"]
    layers = {row[0].value for row in book["sources"].iter_rows(min_row=3)}
    assert "plants_hydro_2015" not in layers and "municipalities" in layers
    english = load_workbook(io.BytesIO(client.get("/api/summary.xlsx", params={"lang": "en"}).content))
    assert "Area (km²)" in [c.value for c in english["summary"][1]]


def test_a_municipality_table_is_its_row_of_the_county_table_with_the_same_header_block(client):
    from openpyxl import load_workbook

    county_block, county_headers, county_rows = read_summary_csv(client.get("/api/summary.csv").content)
    response = client.get(f"/api/municipalities/{GRIMMA}/summary.csv")
    assert response.status_code == 200 and response.content.startswith(b"\xef\xbb\xbf")
    assert f"potenzial_{GRIMMA}_{RUN_ID}.csv" in response.headers["content-disposition"]
    block, headers, rows = read_summary_csv(response.content)
    assert block == county_block and headers == county_headers
    assert rows == [r for r in county_rows if r["Gemeindeschlüssel (AGS)"] == GRIMMA] and len(rows) == 1
    _, _, english_rows = read_summary_csv(
        client.get(f"/api/municipalities/{GRIMMA}/summary.csv", params={"lang": "en"}).content)
    assert [r["Municipality key (AGS)"] for r in english_rows] == [GRIMMA]
    book = load_workbook(io.BytesIO(client.get(f"/api/municipalities/{GRIMMA}/summary.xlsx").content))
    assert book.sheetnames[0] == "Lies mich – Read me" and book["summary"].max_row == 2
    assert [c.value for c in book["summary"][1]] == county_headers
    # an unknown or malformed key: 404 with the fix, as the municipality itself
    for bad in ("14729999", "grimma"):
        answer = client.get(f"/api/municipalities/{bad}/summary.csv")
        assert answer.status_code == 404 and "\n" not in answer.json()["detail"]
    links = client.get(f"/api/municipalities/{GRIMMA}").json()["links"]
    assert links["summary_csv"].endswith(f"/api/municipalities/{GRIMMA}/summary.csv")
    assert links["summary_xlsx"].endswith(f"/api/municipalities/{GRIMMA}/summary.xlsx")


def test_schemas_give_every_column_its_titles_units_and_classes(client):
    response = client.get("/api/schemas")
    assert response.status_code == 200
    doc = response.json()
    # every stored schema and the headline (computed when served) are described
    assert set(RESULTS) | {"headline"} <= set(doc)
    population = doc["municipalities"]["columns"]["population"]
    assert population["title"] == {"de": "Einwohner", "en": "Population"}
    assert population["unit"] == {"de": "Personen", "en": "persons"}
    assert population["description"]["de"] and population["description"]["en"]
    assert doc["municipalities"]["title"] == {"de": "Gemeindegrenzen", "en": "Municipal boundaries"}
    assert doc["solar_roof"]["columns"]["capacity_kwp"]["unit"] == {"de": "kWp", "en": "kWp"}
    assert doc["headline"]["columns"]["electricity_potential_gwh_per_a"]["title"]["de"] == "Strompotenzial"
    grade = doc["quality"]["columns"]["wind_grade"]
    assert grade["classes"]["D"] == {"de": "D – synthetischer Platzhalter", "en": "D – synthetic stand-in"}
    assert grade["unit"] == {"de": "–", "en": "–"}
    assert doc["wind_turbines"]["columns"]["turbine_id"]["classes"] == {}


def test_point_gives_raster_values_features_and_exclusion_reasons(client):
    lon, lat = GRIMMA_LONLAT
    response = client.get("/api/point", params={"lon": lon, "lat": lat})
    assert response.status_code == 200
    body = response.json()
    by_id = {layer["id"]: layer for layer in body["layers"]}
    assert body["municipality"] == {"ags": GRIMMA, "name": "Grimma"}
    assert by_id["wind_speed_150m"]["value"] == pytest.approx(WIND_MPS)
    assert by_id["municipalities"]["features"][0]["ags"] == GRIMMA
    # rule ids read as the rules' titles, with hard/soft and the legal source; the bitmask is not shown
    reasons = [r for r in body["exclusion_reasons"] if r["layer"] == EXCLUSIONS.name]
    assert [(r["rule_id"], r["hard"], r["kind"], r["source"]) for r in reasons] == [
        ("residential_sachsbo84", True, "harter Ausschluss", "§ 84 Abs. 2 SächsBO"),
        ("residential_outer_single", False, "weiches Kriterium", "TA Lärm No. 6.1")]
    assert reasons[1]["title"] == "Einzelne Wohngebäude im Außenbereich (Lärmschutz)"
    assert reasons[0]["layer_title"] == "Wind: Ausschlussflächen"
    items = by_id[EXCLUSIONS.name]["items"][0]
    assert "rule_mask" not in {i["field"] for i in items}
    reason_item = next(i for i in items if i["field"] == "reason")
    assert reason_item["title"] == "Ausschlussgründe"
    assert reason_item["text"].startswith("Wohngebäude im B-Plan") and "residential_" not in reason_item["text"]
    area = next(i for i in items if i["field"] == "area_ha")
    # the 500 m circle's area in ha: π × 500² / 10⁴ ≈ 78.5 (a 32-gon buffer has slightly less: 78.4)
    assert (area["title"], area["unit"]) == ("Fläche", "ha") and area["text"] in ("78,4", "78,5")
    assert next(i for i in items if i["field"] == "hard")["text"] == "harter Ausschluss"
    english = client.get("/api/point", params={"lon": lon, "lat": lat, "lang": "en"}).json()
    english_reasons = [r for r in english["exclusion_reasons"] if r["layer"] == EXCLUSIONS.name]
    assert [r["title"] for r in english_reasons] == [
        "Residential buildings in development plans (§ 30), built-up areas (§ 34) and outer-area groups of 5 or more",
        "Single residential buildings in the outer area (noise)"]
    assert english_reasons[0]["kind"] == "hard exclusion" and english["lang"] == "en"
    english_area = next(i for i in next(la for la in english["layers"] if la["id"] == EXCLUSIONS.name)["items"][0]
                        if i["field"] == "area_ha")
    assert english_area["title"] == "Area" and english_area["text"] in ("78.4", "78.5")
    assert by_id["wind_speed_150m"]["text"] == "6,00 m/s"
    assert client.get("/api/point", params={"lon": lon, "lat": lat, "lang": "xx"}).status_code == 422
    assert body["x_m"] == pytest.approx(GRIMMA_XY[0], abs=0.01) and body["y_m"] == pytest.approx(GRIMMA_XY[1], abs=0.01)
    # outside the county's extent (about 12.2 … 13.0° E, 51.0 … 51.5° N): 404 naming the extent, also where
    # EPSG:25833 has no coordinates at all (schemathesis found x_m: null there)
    for lon, lat in ((10.0, 48.0), (-71.8, -6.1e-160), (180.0, 85.0)):
        far = client.get("/api/point", params={"lon": lon, "lat": lat})
        assert far.status_code == 404, (lon, lat)
        detail = far.json()["detail"]
        match = re.fullmatch(r"the point lon (\S+), lat (\S+) is outside the region's extent \(lon (\S+) to (\S+), "
                             r"lat (\S+) to (\S+) degrees\); choose a point inside it\.", detail)
        assert match is not None, detail
        west, east, south, north = (float(v) for v in match.groups()[2:])
        assert 12.0 < west < 12.5 and 12.8 < east < 13.2 and 50.9 < south < 51.2 and 51.3 < north < 51.6


def test_the_app_serves_the_result_schemas_it_is_given(served):
    """The schema registry is an argument of the app (default: the global one): an app given a mapping
    without the exclusion layer neither lists, tiles, merges nor queries it, though the store holds it."""
    schemas = {name: sch for name, sch in RESULTS.items() if name != EXCLUSIONS.name}
    with TestClient(create_app(served, schemas=schemas)) as c:
        ids = {layer["id"] for layer in c.get("/api/layers").json()["served"]}
        assert ids == {n for n, s in schemas.items() if s.geometry_type} | {"wind_speed_hub", "wind_speed_150m"}
        z, x, y = tile_of(*GRIMMA_LONLAT, 14)
        assert c.get(f"/tiles/{EXCLUSIONS.name}/{z}/{x}/{y}.pbf").status_code == 404
        body = c.get("/api/point", params={"lon": GRIMMA_LONLAT[0], "lat": GRIMMA_LONLAT[1]}).json()
        assert EXCLUSIONS.name not in {layer["id"] for layer in body["layers"]}
        assert all(r["layer"] != EXCLUSIONS.name for r in body["exclusion_reasons"])
        assert body["municipality"] == {"ags": GRIMMA, "name": "Grimma"}


# ------------------------------------------------------------------ downloads and fact sheets


def test_download_is_a_geopackage_with_all_layers_clipped_and_styled(client, tmp_path):
    response = client.get(f"/api/municipalities/{GRIMMA}/download.gpkg")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/geopackage+sqlite3"
    assert f"potenzial_{GRIMMA}_{RUN_ID}.gpkg" in response.headers["content-disposition"]
    path = tmp_path / "grimma.gpkg"
    path.write_bytes(response.content)
    layers = {str(name): geom for name, geom in pyogrio.list_layers(path)}
    vector_results = {n for n, s in RESULTS.items() if s.geometry_type}
    assert vector_results | {"summary", "readme", "layer_styles"} <= set(layers)
    area = municipalities_frame().set_index("ags").geometry[GRIMMA]
    muni = pyogrio.read_dataframe(path, layer="municipalities")
    assert muni["ags"].tolist() == [GRIMMA]
    assert muni.geometry.iloc[0].symmetric_difference(area).area < 1.0
    for name in vector_results:
        frame = pyogrio.read_dataframe(path, layer=name)
        assert all(area.buffer(1.0).contains(g) for g in frame.geometry), name
    styles = pyogrio.read_dataframe(path, layer="layer_styles")
    assert set(styles["f_table_name"]) == vector_results
    assert all(q.startswith("<!DOCTYPE qgis") for q in styles["styleQML"])
    assert styles["useAsDefault"].all()
    summary = pyogrio.read_dataframe(path, layer="summary")
    assert summary.set_index("figure").loc["area_km2", "unit"] == "km²"
    readme = pyogrio.read_dataframe(path, layer="readme")
    assert {"run", "units", "sources", "warning", "method"} <= set(readme["section"])
    assert readme["text"].str.contains("dl-de/by-2-0").any()
    # QGIS shows each field by its title and unit (aliases in the default style), never the column name
    import xml.etree.ElementTree as ET

    qml = styles.set_index("f_table_name")["styleQML"]
    aliases = {a.get("field"): a.get("name")
               for a in ET.fromstring(qml["solar_roof"].split(">", 1)[1]).iter("alias")}
    assert aliases["capacity_kwp"] == "Leistung (kWp)" and aliases["suitability"] == "Eignung"
    assert set(aliases) == set(RESULTS["solar_roof"].column_names)
    assert summary.set_index("figure").loc["population", ["title_de", "title_en", "unit_de"]].tolist() == [
        "Einwohner", "Population", "Personen"]
    # provenance per layer: the boundaries are not flagged synthetic, the roofs are (synthetic buildings);
    # the hydro plants of 2015 feed nothing in the download and are not credited
    warnings = readme[readme["section"] == "warning"].set_index("item")["text"]
    assert "solar_roof" in warnings.index and "municipalities" not in warnings.index
    assert "buildings" in warnings["solar_roof"]
    assert "plants_hydro_2015" not in set(readme.loc[readme["section"] == "sources", "item"])


def test_factsheet_is_self_contained_html_with_svg(client):
    response = client.get(f"/api/municipalities/{GRIMMA}/factsheet.html")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    page = response.text
    assert "<h1>Grimma</h1>" in page and page.count("<svg") >= 3
    assert "<script" not in page and "src=" not in page and "<link" not in page
    for title in ("Dach-PV", "Freiflächen-PV", "Wind", "Biomasse", "Leistung: installiert und Potenzial",
                  "Strompotenzial", "Wärmepotenzial", "planerisch eingeschränktes Potenzial"):
        assert title in page
    english = client.get(f"/api/municipalities/{GRIMMA}/factsheet.html?lang=en").text
    for title in ("Rooftop PV", "Ground-mounted PV", "Capacity: installed and potential", "At a glance"):
        assert title in english and title not in page
    assert "Synthetische Demodaten" in page and "dl-de/by-2-0" in page
    assert "default-src 'none'" in response.headers["content-security-policy"]
    assert client.get(f"/api/municipalities/{GRIMMA}/factsheet.html?lang=fr").status_code == 422


def test_factsheet_pdf_of_a_municipality_and_of_the_county(client):
    response = client.get(f"/api/municipalities/{GRIMMA}/factsheet.pdf?lang=en")
    assert response.status_code == 200 and response.headers["content-type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    county = client.get("/api/county/factsheet.html")
    assert county.status_code == 200 and "<h1>Landkreis Leipzig</h1>" in county.text and "30 Gemeinden" in county.text
    assert client.get("/api/county/factsheet.pdf").content.startswith(b"%PDF-")


# ------------------------------------------------------------------ OpenAPI


def test_openapi_declares_every_route_with_content_types(client):
    doc = client.get("/openapi.json").json()
    paths = doc["paths"]
    expected = {
        "/tiles/{layer}/{z}/{x}/{y}.png": "image/png",
        "/tiles/{layer}/{z}/{x}/{y}.pbf": MVT_MEDIA_TYPE,
        "/api/summary.csv": "text/csv",
        "/api/summary.xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "/api/municipalities/{ags}/summary.csv": "text/csv",
        "/api/municipalities/{ags}/download.gpkg": "application/geopackage+sqlite3",
        "/api/municipalities/{ags}/factsheet.html": "text/html",
        "/api/municipalities/{ags}/factsheet.pdf": "application/pdf",
        "/api/county/factsheet.pdf": "application/pdf",
    }
    for path, media in expected.items():
        assert media in paths[path]["get"]["responses"]["200"]["content"], path
    models = {"/api/layers/{layer_id}/tilejson.json": "TileJSON", "/api/point": "PointResult",
              "/api/municipalities/{ags}": "MunicipalityDetail", "/api/layers/{layer_id}": "ServedLayerInfo"}
    for path, model in models.items():
        assert paths[path]["get"]["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].endswith(model)
    for path, item in paths.items():
        for method, operation in item.items():
            for status, spec in operation["responses"].items():
                if status not in ("200", "201", "204", "304", "422"):
                    assert spec["content"]["application/json"]["schema"]["$ref"].endswith("ErrorBody"), \
                        (method, path, status)


def test_head_is_answered_wherever_get_is_with_the_same_status_and_headers(client):
    """Every GET operation of the OpenAPI document (and a static file, a 404 and a 304), asked with HEAD:
    the same status and the same headers as GET, and no body."""
    z, x, y = tile_of(*GRIMMA_LONLAT, 12)
    values = {"ags": GRIMMA, "scenario_id": "no-such-scenario", "layer_id": "municipalities",
              "z": str(z), "x": str(x), "y": str(y)}
    urls = []
    for path, item in client.get("/openapi.json").json()["paths"].items():
        if "get" not in item:
            continue  # POST only (a scenario to evaluate or save)
        layer = "wind_speed_hub" if path.endswith(".png") else "municipalities"
        urls.append(re.sub(r"\{(\w+)\}", lambda m, layer=layer: layer if m[1] == "layer" else values[m[1]], path))
    urls += [f"/api/point?lon={GRIMMA_LONLAT[0]}&lat={GRIMMA_LONLAT[1]}", "/api/municipalities/14729999",
             "/static/web/js/main.js"]
    assert "/tiles/wind_speed_hub/12/" in " ".join(urls) and len(urls) >= 17
    for url in urls:
        get, head = client.get(url), client.head(url)
        assert get.status_code in (200, 404, 422) and head.status_code == get.status_code, url
        assert head.content == b"", url
        for header in ("content-type", "content-length", "etag", "cache-control", "content-disposition"):
            assert head.headers.get(header) == get.headers.get(header), (url, header)
    etag = client.get(f"/tiles/municipalities/{z}/{x}/{y}.pbf").headers["etag"]
    not_modified = client.head(f"/tiles/municipalities/{z}/{x}/{y}.pbf", headers={"If-None-Match": etag})
    assert not_modified.status_code == 304 and not_modified.content == b""


# ------------------------------------------------------------------ safety


@pytest.mark.parametrize(("path", "statuses"), [
    ("/tiles/municipalities/-1/0/0.pbf", {422}),
    ("/tiles/municipalities/2/4/1.pbf", {404}),  # beyond the matrix: no such tile
    ("/tiles/municipalities/2/1/-1.pbf", {422}),
    ("/tiles/municipalities/99/1/1.pbf", {404}),
    ("/tiles/wind_speed_150m/23/0/0.png", {404}),
    ("/tiles/wind_speed_150m/3/18446744073709551616/1.png", {422}),
    ("/tiles/wind_speed_150m/3/abc/1.png", {422}),
    ("/tiles/wind_speed_150m/1e3/0/0.png", {422}),
    ("/tiles/wind_speed_150m/14/8757/5479.exe", {404}),
    ("/tiles/wind_speed_150m/20/549000/342000.png", {204, 404}),  # deeper than the layer's maxzoom
])
def test_hostile_tile_addresses(client, path, statuses):
    response = client.get(path)
    assert response.status_code in statuses
    assert "Traceback" not in response.text


@pytest.mark.parametrize("layer", [
    "..%2F..%2F..%2Fetc%2Fpasswd", "%2Fetc%2Fpasswd", "..", "C:%5Cwindows%5Cwin.ini", "wind_speed_150m.tif",
    "%2Fvsicurl%2Fhttp%3A%2F%2F127.0.0.1%3A1%2Fx.tif", "raster_cache", "_catalog", "WIND_SPEED_150M",
    "municipalities%27%3B%20DROP%20TABLE%20runs%3B--", "municipalities%22%20OR%201%3D1", "runs", "current_run",
])
def test_path_like_and_sql_layer_ids_are_404_without_echo(client, served, layer):
    for suffix in ("10/550/342.png", "10/550/342.pbf"):
        response = client.get(f"/tiles/{layer}/{suffix}")
        assert response.status_code == 404
        assert "passwd" not in response.text and str(served.data_dir) not in response.text
        assert "DROP" not in response.text
    assert client.get(f"/api/layers/{layer}/tilejson.json").status_code == 404


@pytest.mark.parametrize(("path", "params"), [
    ("/tiles/wind_speed_150m/12/2190/1370.png", {"scale": 3}),
    ("/tiles/wind_speed_150m/12/2190/1370.png", {"scale": 10_000}),
    ("/api/point", {"lon": 12.7, "lat": 51.2, "tolerance_m": 1e9}),
    ("/api/point", {"lon": 1e308, "lat": 51.2}),
    ("/api/point", {"lon": "nan", "lat": 51.2}),
    ("/api/point", {"lon": 12.7, "lat": 91}),
    ("/api/municipalities/" + "1" * 5000, {}),
])
def test_oversize_parameters_are_refused(client, path, params):
    response = client.get(path, params=params)
    assert response.status_code in (404, 422)
    assert len(response.content) < 5000  # never the input echoed back


def test_error_bodies_carry_no_paths_sql_or_traces(client, served):
    for url in ("/tiles/nope/1/0/0.png", "/tiles/municipalities/-1/0/0.pbf", "/api/municipalities/00000000",
                "/api/point?lon=abc&lat=1"):
        text = client.get(url).text
        assert str(served.data_dir) not in text and "Traceback" not in text and "SELECT" not in text
        assert "/tmp" not in text and ".py" not in text


# ------------------------------------------------------------------ PostGIS: same tiles, SQL safety, outages


class TcpProxy:
    """A loopback TCP proxy in front of PostgreSQL: ``stop()`` is a database that goes away (every
    connection is cut, new ones are refused), ``start()`` brings it back on the same port."""

    def __init__(self, target: tuple[str, int]) -> None:
        self.target = target
        probe = socket.socket()
        probe.bind(("127.0.0.1", 0))
        self.port = probe.getsockname()[1]
        probe.close()
        self._listener: socket.socket | None = None
        self._conns: list[socket.socket] = []
        self._lock = threading.Lock()

    def start(self) -> None:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(16)
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            try:
                upstream = socket.create_connection(self.target, timeout=5)
            except OSError:
                client.close()
                continue
            with self._lock:
                self._conns += [client, upstream]
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def _pipe(src: socket.socket, dst: socket.socket) -> None:
        try:
            while data := src.recv(65536):
                dst.sendall(data)
        except OSError:
            pass
        finally:
            for s in (src, dst):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def stop(self) -> None:
        if self._listener is not None:
            try:
                self._listener.shutdown(socket.SHUT_RDWR)  # wakes the blocked accept() on Linux
            except OSError:
                pass
            self._listener.close()
            self._listener = None
        with self._lock:
            for conn in self._conns:
                try:
                    conn.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                conn.close()
            self._conns.clear()


def postgis_settings(tmp: Path, url: str, municipalities: gpd.GeoDataFrame) -> Settings:
    write_wind_raster(tmp / "regions" / "lk-leipzig" / "synthetic" / "wind_speed_150m.tif", municipalities)
    return Settings(store=url, data_dir=tmp, raster_cache=tmp / "raster_cache")


@pytest.fixture
def postgis_run(postgis_store, postgis_reader_url, tmp_path):
    """(PostGIS store, GeoPackage store, municipalities): the same run in both; the server reads PostGIS as
    the read-only role (``postgis_reader_url``)."""
    municipalities = municipalities_frame()
    frames = {MUNICIPALITIES.name: municipalities, RUN_INPUTS.name: run_inputs_frame()}
    postgis_store.publish(RunResult(record=record(RUN_ID), frames=frames))
    gpkg = GeoPackageStore(tmp_path / "gpkg")
    gpkg.publish(RunResult(record=record(RUN_ID), frames=frames))
    return postgis_store, gpkg, municipalities


def features_by_ags(tile: bytes) -> dict[str, tuple[dict, shapely.Geometry]]:
    layer = decode(tile)["municipalities"]
    return {f["properties"]["ags"]: (f["properties"], shapely.geometry.shape(f["geometry"])) for f in layer["features"]}


@pytest.mark.postgis
@pytest.mark.parametrize("zoom", [8, 11, 14])
def test_postgis_and_geopackage_give_the_same_vector_tile(postgis_run, zoom):
    postgis, gpkg, _ = postgis_run
    z, x, y = tile_of(*GRIMMA_LONLAT, zoom)
    from_pg = features_by_ags(postgis.vector_tile("municipalities", z, x, y, run_id=RUN_ID))
    from_gpkg = features_by_ags(gpkg.vector_tile("municipalities", z, x, y, run_id=RUN_ID))
    assert sorted(from_pg) == sorted(from_gpkg) and GRIMMA in from_pg
    for ags, (props, geom) in from_pg.items():
        other_props, other_geom = from_gpkg[ags]
        assert props == other_props
        # same shape up to the snapping of a few vertices to the 4096 grid (< 0.5 % of the area)
        assert geom.symmetric_difference(other_geom).area <= 0.005 * max(geom.area, 1.0) + 64


@pytest.mark.postgis
def test_postgis_tile_sql_takes_no_names_from_the_client(postgis_run, postgis_reader_url, tmp_path):
    postgis, _, municipalities = postgis_run
    settings = postgis_settings(tmp_path, postgis_reader_url, municipalities)
    with TestClient(create_app(settings)) as c:
        for layer in ("municipalities%27%3B%20DROP%20TABLE%20runs%3B--", "runs", "pg_catalog.pg_user",
                      "municipalities%20UNION%20SELECT%201"):
            assert c.get(f"/tiles/{layer}/8/137/85.pbf").status_code == 404
        z, x, y = tile_of(*GRIMMA_LONLAT, 10)
        assert c.get(f"/tiles/municipalities/{z}/{x}/{y}.pbf").status_code == 200
    with psycopg.connect(postgis.url.replace("postgresql://", "postgresql://", 1)) as conn:
        assert conn.execute("SELECT count(*) FROM runs").fetchone()[0] == 1


def assert_edge_tiles_answered(c: TestClient, layer_ids: tuple[str, ...]) -> int:
    """Every tile of zoom 0…2 and every edge tile of zoom 3…5 of each layer (within its zoom range), and
    the four corner tiles of its deepest zoom: the tile holding Grimma is 200 up to zoom 2 (the county is
    far from the grid's edges), every other one 204. Returns the number of tiles asked for."""
    layers = {layer["id"]: layer for layer in c.get("/api/layers").json()["served"]}
    asked = 0
    for layer_id in layer_ids:
        layer = layers[layer_id]
        ext = "pbf" if layer["kind"] == "vector" else "png"
        for z in range(layer["minzoom"], layer["maxzoom"] + 1):
            n = 2**z
            if z <= 2:
                tiles = [(x, y) for x in range(n) for y in range(n)]
            elif z <= 5:
                tiles = [(x, y) for x in range(n) for y in range(n) if x in (0, n - 1) or y in (0, n - 1)]
            elif z == layer["maxzoom"]:
                tiles = [(0, 0), (0, n - 1), (n - 1, 0), (n - 1, n - 1)]
            else:
                continue
            home = tile_of(*GRIMMA_LONLAT, z)[1:]
            for x, y in tiles:
                response = c.get(f"/tiles/{layer_id}/{z}/{x}/{y}.{ext}")
                asked += 1
                expected = 200 if (x, y) == home and z <= 2 else 204
                assert response.status_code == expected, (layer_id, z, x, y, response.status_code, response.text)
    return asked


def test_zoom_0_and_1_and_every_edge_tile_are_answered(client):
    assert assert_edge_tiles_answered(client, ("municipalities", "wind_speed_150m", "wind_speed_hub")) > 3 * 100


@pytest.mark.postgis
def test_postgis_zoom_0_and_1_and_every_edge_tile_are_answered(postgis_run, postgis_reader_url, tmp_path):
    _, _, municipalities = postgis_run
    with TestClient(create_app(postgis_settings(tmp_path, postgis_reader_url, municipalities))) as c:
        assert assert_edge_tiles_answered(c, ("municipalities", "wind_speed_150m")) > 2 * 100


@pytest.mark.postgis
def test_stopped_database_503_while_cached_tiles_are_served_and_recovery(postgis_run, tmp_path,
                                                                         postgis_reader_url):
    from psycopg.conninfo import conninfo_to_dict

    _postgis, _, municipalities = postgis_run
    params = conninfo_to_dict(postgis_reader_url)
    proxy = TcpProxy((params.get("host", "127.0.0.1"), int(params.get("port", 5432))))
    proxy.start()
    url = f"postgresql://{params['user']}@127.0.0.1:{proxy.port}/{params['dbname']}"
    settings = postgis_settings(tmp_path, url, municipalities)
    serving = ServingSettings(run_check_interval_s=0, store_retry_s=0)
    z, x, y = tile_of(*GRIMMA_LONLAT, 12)
    raster, vector = f"/tiles/wind_speed_150m/{z}/{x}/{y}.png", f"/tiles/municipalities/{z}/{x}/{y}.pbf"
    uncached_vector = f"/tiles/municipalities/{z}/{x + 1}/{y}.pbf"
    uncached_raster = f"/tiles/wind_speed_150m/{z}/{x - 1}/{y}.png"
    try:
        with TestClient(create_app(settings, serving_settings=serving)) as c:
            c.app.state.serving.prepare(c.app.state.serving.tracker.current(), timeout_s=120)
            assert c.get(raster).status_code == 200 and c.get(vector).status_code == 200
            assert c.get("/api/municipalities").status_code == 200

            proxy.stop()
            assert c.get(raster).status_code == 200  # from the disk cache
            assert c.get(vector).status_code == 200
            assert c.get(uncached_raster).status_code == 200  # rasters need no database at all
            for route in ("/healthz", f"/api/municipalities/{GRIMMA}", "/api/summary.csv", uncached_vector,
                          "/api/point?lon=12.72&lat=51.24"):
                response = c.get(route)
                assert response.status_code == 503, route
                assert response.headers.get("retry-after") == "5"
                assert "127.0.0.1" not in response.text and "SELECT" not in response.text

            proxy.start()
            deadline = time.monotonic() + 20
            while c.get("/healthz").status_code != 200 and time.monotonic() < deadline:
                time.sleep(0.2)
            assert c.get("/healthz").status_code == 200
            assert c.get(uncached_vector).status_code in (200, 204)
            assert c.get(f"/api/municipalities/{GRIMMA}").status_code == 200
    finally:
        proxy.stop()


# ------------------------------------------------------------------ schemathesis


#: the stateful phase's link inference, explained there
SCHEMATHESIS_CONFIG = Path(__file__).parent / "support" / "schemathesis.toml"


@pytest.mark.slow  # about a minute of generated requests
def test_schemathesis_finds_no_failure(served, tmp_path):
    """Every operation of the OpenAPI document, fuzzed with schemathesis against a live server with all
    its checks: no 5xx; status codes, content types, headers and response schemas as declared; valid
    requests accepted, invalid ones refused; every phase (examples, coverage, fuzzing, stateful)."""
    from tests.support.live_server import LiveServer

    shutil.copytree(served.data_dir / "store", tmp_path / "store")
    shutil.copytree(served.data_dir / "regions", tmp_path / "regions")
    shutil.copytree(served.raster_cache, tmp_path / "raster_cache")
    settings = Settings(store=str(tmp_path / "store"), data_dir=tmp_path, raster_cache=tmp_path / "raster_cache")
    with LiveServer(create_app(settings)) as base_url:
        result = subprocess.run(
            [str(Path(sys.executable).with_name("schemathesis")), "--config-file", str(SCHEMATHESIS_CONFIG), "run",
             f"{base_url}/openapi.json", "--checks", "all", "--max-examples", "25", "--seed", "7",
             "--request-timeout", "60", "--generation-deterministic"],
            capture_output=True, text=True, timeout=900,
        )
    report = result.stdout[-4000:] + result.stderr[-2000:]
    assert result.returncode == 0, report
    assert "Server error" not in result.stdout, report
    operations = sum(len(item) for item in create_app(settings).openapi()["paths"].values())
    assert re.search(rf"Tested:\s+{operations}\b", result.stdout), report  # every operation was exercised

"""The API against a real GeoPackage store holding the real Landkreis Leipzig municipalities."""

from __future__ import annotations

import pandas as pd
import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.errors import public_message, status_for
from potenzial.errors import (
    ConfigError,
    CRSError,
    NotFoundError,
    PotenzialError,
    StoreError,
    StoreUnavailableError,
    UnknownLayerError,
)
from potenzial.region import load_region
from potenzial.settings import Settings
from potenzial.store.gpkg import GeoPackageStore
from potenzial.store.schema import MUNICIPALITIES
from tests.support.demo_run import N_MUNICIPALITIES, publish_demo_run, settings_for
from web.assets import MissingAssetsError, vendor_dirs

#: Saxony's extent in degrees, with a little margin
SAXONY_LON = (11.8, 15.1)
SAXONY_LAT = (50.1, 51.7)

@pytest.fixture(scope="module")
def published(tmp_path_factory) -> tuple[GeoPackageStore, Settings]:
    tmp = tmp_path_factory.mktemp("api")
    store = publish_demo_run(tmp / "store")
    return store, settings_for(tmp / "store", tmp)


@pytest.fixture(scope="module")
def client(published):
    with TestClient(create_app(published[1])) as c:
        yield c


# ------------------------------------------------------------------ routes


def test_healthz_names_store_and_run(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "store": "gpkg", "run_id": "test-run-1"}


def test_municipalities_are_the_store_frame_as_geojson(client, published):
    store, _ = published
    response = client.get("/api/municipalities")
    assert response.status_code == 200
    body = response.json()
    assert body["type"] == "FeatureCollection"
    assert body["run_id"] == "test-run-1"
    assert body["synthetic_inputs"] == ["buildings", "landcover"]
    assert len(body["features"]) == N_MUNICIPALITIES

    expected = store.read("municipalities").drop(columns="geometry")
    got = pd.DataFrame([f["properties"] for f in body["features"]])
    assert list(got.columns) == MUNICIPALITIES.column_names
    pd.testing.assert_frame_equal(got, expected, check_dtype=False)
    assert [f["id"] for f in body["features"]] == expected["ags"].tolist()


def test_municipality_coordinates_are_lon_lat_in_saxony(client):
    features = client.get("/api/municipalities").json()["features"]
    points = []
    for feature in features:
        assert feature["geometry"]["type"] == "MultiPolygon"
        for polygon in feature["geometry"]["coordinates"]:
            for ring in polygon:
                points.extend(ring)
    lons = [p[0] for p in points]
    lats = [p[1] for p in points]
    assert SAXONY_LON[0] < min(lons) and max(lons) < SAXONY_LON[1]
    assert SAXONY_LAT[0] < min(lats) and max(lats) < SAXONY_LAT[1]


def test_layers_is_the_region_catalog(client, published):
    _, settings = published
    region = load_region(settings.region, settings.regions_dir, settings.data_dir)
    body = client.get("/api/layers").json()
    assert body["region_id"] == "lk-leipzig"
    assert body["layers"] == [entry.describe() for entry in region.layers.values()]
    provenances = {layer["provenance"] for layer in body["layers"]}
    assert provenances == {"real", "synthetic"}


def test_served_layers_carry_their_titles_in_german_and_english(client):
    served = {layer["id"]: layer for layer in client.get("/api/layers").json()["served"]}
    # declared once, in potenzial/results/base.py
    assert served["municipalities"]["titles"] == {"de": "Gemeindegrenzen", "en": "Municipal boundaries"}
    assert served["municipalities"]["title"] == "Municipal boundaries"


def test_a_schema_without_titles_shows_its_name_not_an_empty_title():
    from potenzial.results import ResultSchema

    bare = ResultSchema(name="wind_rules", columns=(("rule_id", "text"),))
    assert bare.titles == {"de": "Wind rules", "en": "Wind rules"}
    assert ResultSchema(name="x_y", columns=(), title_de="X und Y").titles == {"de": "X und Y", "en": "X y"}


def test_openapi_declares_response_models(client):
    paths = client.get("/openapi.json").json()["paths"]
    for path, model in [("/healthz", "Health"), ("/api/municipalities", "MunicipalityCollection"),
                        ("/api/layers", "Catalog")]:
        schema = paths[path]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
        assert schema["$ref"].endswith(f"/{model}")
    assert "text/html" in paths["/"]["get"]["responses"]["200"]["content"]
    assert paths["/api/municipalities"]["get"]["responses"]["404"]


def test_no_page_of_the_api_loads_code_from_a_cdn(client):
    """FastAPI's documentation pages fetch Swagger UI and ReDoc from a CDN: they are switched off, the
    description itself stays."""
    assert client.get("/openapi.json").status_code == 200
    for path in ("/docs", "/redoc", "/docs/oauth2-redirect"):
        assert client.get(path).status_code == 404, path
    page = client.get("/").text
    assert "cdn." not in page and "unpkg" not in page and "jsdelivr" not in page


# ------------------------------------------------------------------ errors


def test_before_any_run_results_are_404_with_the_fix(tmp_path):
    store = GeoPackageStore(tmp_path / "store")
    store.init()
    with TestClient(create_app(settings_for(tmp_path / "store", tmp_path))) as c:
        health = c.get("/healthz")
        assert health.status_code == 200
        assert health.json()["run_id"] is None
        for url in ("/api/municipalities", "/"):
            response = c.get(url)
            assert response.status_code == 404
            assert "potenzial run" in response.json()["detail"]


def test_unknown_route_is_404_without_traceback(client):
    response = client.get("/no/such/route")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not Found"}
    assert "Traceback" not in response.text


def test_unreachable_store_is_503_without_path(tmp_path):
    missing = tmp_path / "nowhere" / "store"
    with TestClient(create_app(settings_for(missing, tmp_path))) as c:
        response = c.get("/healthz")
    assert response.status_code == 503
    assert str(tmp_path) not in response.text
    assert "Traceback" not in response.text


@pytest.mark.parametrize(("error", "status"), [
    (UnknownLayerError("x"), 404),
    (NotFoundError("x"), 404),
    (StoreUnavailableError("x"), 503),
    (StoreError("x"), 500),
    (ConfigError("x"), 500),
    (CRSError("x"), 500),
    (PotenzialError("x"), 400),
])
def test_one_map_from_error_to_status(error, status):
    assert status_for(error) == status


def test_public_messages_drop_paths_and_urls():
    message = public_message("run 'r1' is not in the store /srv/data/store. See postgresql://u:pw@db/x or "
                             "C:\\data\\x.gpkg; units stay kWh/m² and `potenzial run` stays.")
    assert "/srv" not in message and "pw@" not in message and "C:\\" not in message
    assert "kWh/m²" in message and "`potenzial run`" in message and "'r1'" in message


def test_missing_node_modules_fails_with_one_line_fix(tmp_path):
    with pytest.raises(MissingAssetsError) as info:
        vendor_dirs(tmp_path / "node_modules")
    text = str(info.value)
    assert "\n" not in text
    assert "make web" in text and "npm ci --prefix web" in text

"""`potenzial data fetch` against a download server on loopback, then `potenzial run` on what it fetched.

The server (tests/support/source_server.py) serves files the test writes in the providers'
layouts: ALKIS Hausumringe as a zipped shapefile (fields OI, GFK), DGM1 as 2 km GeoTIFF tiles
zipped one by one and named like GeoSN's (``dgm1_33<E>_<N>_2_sn_tiff.zip``), and a tile index
as a gzipped GeoPackage whose ``location`` column holds GDAL ``/vsizip/vsicurl/`` paths, as in
the mundialis index of the GeoSN tiles. The region is two municipalities of Landkreis Leipzig
(Belgershain and Otterwisch), made with `potenzial region create`.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
import rasterio

from potenzial.region import load_region
from potenzial.store import open_store
from tests.support.source_files import (
    PAIR,
    TILE_M,
    catalog,
    dgm_tiles,
    potenzial,
    write_hausumringe,
)
from tests.support.source_server import SourceServer


@pytest.fixture()
def world(tmp_path):
    """A region of two municipalities and a server with the files; yields (env, region folder, server, files)."""
    regions, data = tmp_path / "regions", tmp_path / "data"
    regions.mkdir()
    env = {"POTENZIAL_REGIONS_DIR": str(regions), "POTENZIAL_DATA_DIR": str(data),
           "POTENZIAL_RASTER_CACHE": str(tmp_path / "raster_cache")}
    made = potenzial("region", "create", "--county", "14729", "--municipality", PAIR[0], "--municipality", PAIR[1],
                     "--id", "pair", "--name", "Belgershain und Otterwisch", env=env)
    assert made.returncode == 0, made.stderr
    served = tmp_path / "served"
    with SourceServer(served) as server:
        hu = write_hausumringe(served)
        _, tiles = dgm_tiles(served, server.url)
        yield env, regions / "pair", server, {"hu": hu, "tiles": tiles, "tmp": tmp_path}


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.slow
def test_fetch_resumes_a_dropped_download_and_the_next_run_uses_real_data(world):
    env, region_dir, server, files = world
    server.drop.add("/alkis/hu_sn_shape.zip")
    cat = catalog(files["tmp"] / "sources.toml", server.url, hu_sha256=_sha(files["hu"]))
    result = potenzial("data", "fetch", "--region", "pair", "--catalog", str(cat), env=env)
    assert result.returncode == 0, result.stderr
    # the first request was cut after half the file; the second asked for the rest only
    hu_requests = [r for p, r in server.requests if p == "/alkis/hu_sn_shape.zip"]
    size = files["hu"].stat().st_size
    assert hu_requests == ["", f"bytes={size // 2}-"]
    assert "1 resumed" in result.stdout
    cached = Path(env["POTENZIAL_DATA_DIR"]) / "cache" / "sources" / "alkis" / "hu_sn_shape.zip"
    assert _sha(cached) == _sha(files["hu"])
    # only the two tiles inside the region were downloaded, not the one 100 km away
    tile_paths = sorted(p for p, _ in server.requests if p.startswith("/dgm/"))
    assert tile_paths == sorted(f"/dgm/dgm1_33{e}_{n}_2_sn_tiff.zip" for e, n, _ in files["tiles"])

    region = load_region("pair", region_dir.parent, Path(env["POTENZIAL_DATA_DIR"]))
    assert region.layer("buildings").provenance == "real" and not region.layer("buildings").generator
    assert region.layer("terrain").provenance == "real"
    with rasterio.open(region.layer("terrain").path) as cog:
        (e0, n0, _), _ = files["tiles"]
        assert cog.crs.to_epsg() == 25833
        assert tuple(cog.bounds) == (e0 * 1000, n0 * 1000, e0 * 1000 + 2 * TILE_M, n0 * 1000 + TILE_M)
        values = cog.read(1)
        assert values.shape == (20, 40) and (values[:, :20] == 150).all() and (values[:, 20:] == 160).all()
        assert cog.profile.get("tiled") or cog.block_shapes[0][0] < 20   # a COG is tiled

    status = potenzial("data", "status", "--region", "pair", "--json", env=env)
    assert status.returncode == 0, status.stderr
    rows = {r["layer"]: r for r in __import__("json").loads(status.stdout)}
    assert rows["buildings"]["provenance"] == "real" and "test-sn/alkis" in rows["buildings"]["origin"]
    assert rows["terrain"]["licence"] == "dl-de/by-2-0" and len(rows["terrain"]["sha256"]) == 64
    assert rows["landcover"]["provenance"] == "synthetic"

    run = potenzial("run", "--region", "pair", env=env, timeout=900)
    assert run.returncode == 0, run.stderr[-3000:]
    store = open_store(f"gpkg:{Path(env['POTENZIAL_DATA_DIR']) / 'store'}")
    try:
        figures = store.read("municipalities").set_index("ags")
        inputs = store.read("run_inputs").set_index("layer_id")
    finally:
        store.close()
    # the run counted exactly the houses the server delivered: 4 + 1 and 2 + 1
    assert figures.loc["14729020", "buildings"] == 5 and figures.loc["14729020", "residential_buildings"] == 4
    assert figures.loc["14729330", "buildings"] == 3 and figures.loc["14729330", "residential_buildings"] == 2
    assert inputs.loc["buildings", "provenance"] == "real" and inputs.loc["terrain", "provenance"] == "real"
    assert inputs.loc["terrain", "sha256"] == rows["terrain"]["sha256"]


@pytest.mark.parametrize("case", ["checksum", "html", "no_crs", "tiles_outside"])
def test_bad_downloads_are_refused_and_leave_cache_and_catalog_as_they_were(world, case):
    env, region_dir, server, files = world
    good = catalog(files["tmp"] / "good.toml", server.url)
    first = potenzial("data", "fetch", "--region", "pair", "--catalog", str(good), "--only", "terrain", env=env)
    assert first.returncode == 0, first.stderr
    local = region_dir / "region.local.toml"
    before = local.read_bytes()
    cache = Path(env["POTENZIAL_DATA_DIR"]) / "cache" / "sources" / "alkis"

    if case == "checksum":
        bad, needle = catalog(files["tmp"] / "bad.toml", server.url, hu_sha256="0" * 64), "checksum mismatch"
    elif case == "html":
        server.html.add("/alkis/hu_sn_shape.zip")
        bad, needle = catalog(files["tmp"] / "bad.toml", server.url), "HTML page"
    elif case == "no_crs":
        write_hausumringe(files["tmp"] / "served", with_prj=False)
        bad, needle = catalog(files["tmp"] / "bad.toml", server.url, hu_crs=False), "has no CRS"
    else:
        served = files["tmp"] / "served"
        dgm_tiles(served, server.url, only_far=True)
        bad, needle = catalog(files["tmp"] / "bad.toml", server.url), "none inside the region"
    only = "terrain" if case == "tiles_outside" else "buildings"
    result = potenzial("data", "fetch", "--region", "pair", "--catalog", str(bad), "--only", only, env=env)
    assert result.returncode == 2, result.stdout + result.stderr
    assert needle in result.stderr and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 or result.stderr.count("error:") == 1
    assert local.read_bytes() == before                       # the previous catalog, unchanged and valid
    region = load_region("pair", region_dir.parent, Path(env["POTENZIAL_DATA_DIR"]))
    assert region.layer("terrain").provenance == "real" and region.layer("buildings").provenance == "synthetic"
    if case in ("checksum", "html"):
        assert not list(cache.glob("*.zip")) and not list(cache.glob("*.part"))   # nothing half-written kept

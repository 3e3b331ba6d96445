"""`potenzial data fetch` against a download server on loopback, then `potenzial run` on what it fetched.

The server (tests/support/source_server.py) serves files the test writes in the providers'
layouts: ALKIS Hausumringe as a zipped shapefile (fields OI, GFK), DGM1 as 2 km GeoTIFF tiles
zipped one by one and named like GeoSN's (``dgm1_33<E>_<N>_2_sn_tiff.zip``), and a tile index
as a gzipped GeoPackage whose ``location`` column holds GDAL ``/vsizip/vsicurl/`` paths, as in
the mundialis index of the GeoSN tiles. The region is two municipalities of Landkreis Leipzig
(Belgershain and Otterwisch), made with `potenzial region create`.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import geopandas as gpd
import numpy as np
import pyogrio
import pytest
import rasterio
import shapely
from rasterio.transform import from_origin

from potenzial.region import load_region
from potenzial.settings import PROJECT_ROOT
from potenzial.store import open_store
from tests.support.source_server import SourceServer

PAIR = ("14729020", "14729330")            # Belgershain, Otterwisch
VG5000 = PROJECT_ROOT / "layers" / "regions" / "lk-leipzig" / "data" / "admin_vg5000_2021_sachsen.gpkg"
#: houses put into each municipality: (residential, non-residential)
HOUSES = {"14729020": (4, 1), "14729330": (2, 1)}
TILE_M = 2_000
DGM_RES_M = 100.0                          #: 20 x 20 cells per 2 km tile (DGM1 has 1 m; small for the test)


def potenzial(*args: str, env: dict[str, str], timeout: int = 600) -> subprocess.CompletedProcess:
    full = {k: v for k, v in os.environ.items() if not k.startswith("POTENZIAL_")}
    full.update({"COLUMNS": "200", **env})
    return subprocess.run([sys.executable, "-m", "potenzial.cli.main", *args], capture_output=True, text=True,
                          env=full, cwd=PROJECT_ROOT, timeout=timeout)


def _municipalities() -> gpd.GeoDataFrame:
    frame = gpd.read_file(VG5000, layer="sachsen_gemeinden")
    return frame[frame["AGS"].isin(PAIR)].set_index("AGS")


def write_hausumringe(folder: Path, with_prj: bool = True) -> Path:
    """hu_sn_shape.zip: a shapefile of 12 x 9 m houses inside each municipality, 40 m apart."""
    rows, geoms = [], []
    for ags, geom in _municipalities().geometry.items():
        p = geom.representative_point()
        n_res, n_other = HOUSES[ags]
        for k in range(n_res + n_other):
            x, y = p.x + 40 * k, p.y
            rows.append({"OI": f"DESNALK{ags}{k:04d}", "GFK": "31001_1010" if k < n_res else "31001_2000"})
            geoms.append(shapely.box(x, y, x + 12, y + 9))
    shp_dir = folder / "hu_build"
    shp_dir.mkdir(parents=True, exist_ok=True)
    shp = shp_dir / "hu_sn.shp"
    pyogrio.write_dataframe(gpd.GeoDataFrame(rows, geometry=geoms, crs=25833), shp)
    if not with_prj:
        shp.with_suffix(".prj").unlink()
    out = folder / "alkis" / "hu_sn_shape.zip"
    out.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(out, "w") as archive:
        for part in sorted(shp_dir.iterdir()):
            archive.write(part, f"hu_sn_shape/{part.name}")
    return out


def dgm_tiles(folder: Path, base_url: str, extra_far_tile: bool = True, only_far: bool = False) -> tuple[Path, list]:
    """Two DGM tiles over Belgershain's representative point (heights 150 m and 160 m), one tile
    100 km away listed in the index too; returns the gzipped index and the tiles' (e_km, n_km, height)."""
    p = _municipalities().geometry.loc["14729020"].representative_point()
    e0, n0 = int(p.x // TILE_M) * 2, int(p.y // TILE_M) * 2      # SW corner in km, even as GeoSN's
    tiles = [(e0, n0, 150.0), (e0 + 2, n0, 160.0)]
    far = [(e0 + 100, n0 + 100, 999.0)] if extra_far_tile else []
    listed = far if only_far else tiles + far
    (folder / "dgm").mkdir(parents=True, exist_ok=True)
    rows, geoms = [], []
    for e_km, n_km, height in tiles + far:
        name = f"dgm1_33{e_km}_{n_km}_2_sn"
        tif = folder / "dgm" / f"{name}.tif"
        with rasterio.open(tif, "w", driver="GTiff", width=20, height=20, count=1, dtype="float32", crs="EPSG:25833",
                           transform=from_origin(e_km * 1000, n_km * 1000 + TILE_M, DGM_RES_M, DGM_RES_M)) as dst:
            dst.write(np.full((1, 20, 20), height, dtype="float32"))
        with zipfile.ZipFile(folder / "dgm" / f"{name}_tiff.zip", "w") as archive:
            archive.write(tif, f"{name}.tif")
        tif.unlink()
        if (e_km, n_km, height) in listed:
            rows.append({"location": f"/vsizip/vsicurl/{base_url}/dgm/{name}_tiff.zip/{name}.tif"})
            geoms.append(shapely.box(e_km * 1000, n_km * 1000, e_km * 1000 + TILE_M, n_km * 1000 + TILE_M))
    index = folder / "index" / "SN_DGM_tileindex_proj.gpkg"
    index.parent.mkdir(parents=True, exist_ok=True)
    pyogrio.write_dataframe(gpd.GeoDataFrame(rows, geometry=geoms, crs=25833), index)
    packed = index.with_name(index.name + ".gz")
    packed.write_bytes(gzip.compress(index.read_bytes()))
    index.unlink()
    return packed, tiles


def catalog(path: Path, base_url: str, hu_sha256: str = "", hu_crs: bool = True, index: str = "") -> Path:
    crs_line = 'crs = "EPSG:25833"\n' if hu_crs else ""
    path.write_text(f"""
[catalog]
id = "test-sn"
version = "2026-12-02"

[sources.alkis]
title = "ALKIS Hausumringe (Test)"
fills = "buildings"
kind = "vector"
layout = "file"
url = "{base_url}/alkis/hu_sn_shape.zip"
member = "*.shp"
{crs_line}sha256 = "{hu_sha256}"
geometry = "polygon"
columns = ["building_id", "use"]
fields = {{ building_id = "OI", function = "GFK" }}
use_from_function = true
licence = "dl-de/by-2-0"
attribution = "Quelle: GeoSN, dl-de/by-2-0"

[sources.dgm1]
title = "DGM1 (Test)"
fills = "terrain"
kind = "raster"
layout = "tiles"
tile_index = "{base_url}/index/{index or 'SN_DGM_tileindex_proj.gpkg.gz'}"
member = "*.tif"
crs = "EPSG:25833"
licence = "dl-de/by-2-0"
attribution = "Quelle: GeoSN, dl-de/by-2-0"
""", encoding="utf-8")
    return path


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

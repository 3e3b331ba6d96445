"""GeoSN's tile layouts: share links, and a grid without a tile index.

Share links: every tile is its own download, not one file called ``download``.

GeoSN's tile URLs have had two layouts: ``…/public.php/dav/files/<share>/<file>`` and the share
link ``…/index.php/s/<share>/download?path=%2F&files=<file>`` (the layout of the mundialis list of
Saxony's DOP20 tiles, ``DOP/SN/SN_DOP20_URLs.csv``). In the second, every tile's URL ends in
``download``; the loopback server serves both tiles of the test that way. The two tiles have
heights 150 m (west) and 160 m (east), so a mosaic made of one tile twice is seen at once.

A grid without index (``tile_url_pattern`` + ``tile_size_m``, as for the LoD2 tiles, for which no
public tile index was found): the tiles over the region's box are asked for by name; those the
server does not have (404, beyond the state border) are skipped, and said so.
"""

from __future__ import annotations

import gzip

import geopandas as gpd
import pyogrio
import rasterio
import shapely

from tests.support.source_files import PAIR, TILE_M, catalog, dgm_tile, municipalities, potenzial
from tests.support.source_server import SourceServer

SHARE = "index.php/s/Xq3TestShare9"


def test_tiles_behind_share_links_are_cached_and_mosaicked_one_by_one(tmp_path):
    regions, data, served = tmp_path / "regions", tmp_path / "data", tmp_path / "served"
    regions.mkdir()
    env = {"POTENZIAL_REGIONS_DIR": str(regions), "POTENZIAL_DATA_DIR": str(data)}
    made = potenzial("region", "create", "--county", "14729", "--municipality", PAIR[0], "--id", "one",
                     "--name", "Belgershain", env=env)
    assert made.returncode == 0, made.stderr
    p = municipalities().geometry.loc[PAIR[0]].representative_point()
    e0, n0 = int(p.x // TILE_M) * 2, int(p.y // TILE_M) * 2
    tiles = [(e0, n0, 150.0), (e0 + 2, n0, 160.0)]
    (served / SHARE).mkdir(parents=True)
    with SourceServer(served) as server:
        rows, geoms = [], []
        for e_km, n_km, height in tiles:
            name = dgm_tile(served / SHARE, e_km, n_km, height)
            rows.append({"location": f"/vsizip/vsicurl/{server.url}/{SHARE}/download?path=%2F&files={name}_tiff.zip"
                                     f"/{name}.tif"})
            geoms.append(shapely.box(e_km * 1000, n_km * 1000, e_km * 1000 + TILE_M, n_km * 1000 + TILE_M))
        index = served / "index" / "share_index.gpkg"
        index.parent.mkdir()
        pyogrio.write_dataframe(gpd.GeoDataFrame(rows, geometry=geoms, crs=25833), index)
        (served / "index" / "share_index.gpkg.gz").write_bytes(gzip.compress(index.read_bytes()))
        sources = catalog(tmp_path / "sources.toml", server.url, index="share_index.gpkg.gz")
        fetched = potenzial("data", "fetch", "--region", "one", "--only", "terrain", "--catalog", str(sources),
                            env=env)
        assert fetched.returncode == 0, fetched.stderr
        asked = [path for path, _ in server.requests if path.startswith(f"/{SHARE}/")]
    assert sorted(asked) == sorted(f"/{SHARE}/dgm1_33{e}_{n}_2_sn_tiff.zip" for e, n, _ in tiles)
    cached = sorted(f.name for f in (data / "cache" / "sources" / "dgm1").iterdir() if f.suffix == ".zip")
    assert cached == sorted(f"dgm1_33{e}_{n}_2_sn_tiff.zip" for e, n, _ in tiles)
    with rasterio.open(regions / "one" / "data" / "real" / "terrain.tif") as cog:
        # the mosaic spans both tiles: 4 km west to east, 2 km south to north
        assert cog.bounds.left == e0 * 1000 and cog.bounds.right == (e0 + 4) * 1000
        west = next(cog.sample([(e0 * 1000 + 1_000, n0 * 1000 + 1_000)]))[0]
        east = next(cog.sample([(e0 * 1000 + 3_000, n0 * 1000 + 1_000)]))[0]
    assert (west, east) == (150.0, 160.0)


def test_a_tile_grid_without_index_fetches_the_tiles_over_the_box_and_skips_those_not_served(tmp_path):
    regions, data, served = tmp_path / "regions", tmp_path / "data", tmp_path / "served"
    regions.mkdir()
    env = {"POTENZIAL_REGIONS_DIR": str(regions), "POTENZIAL_DATA_DIR": str(data)}
    assert potenzial("region", "create", "--county", "14729", "--municipality", PAIR[0], "--id", "one",
                     "--name", "Belgershain", env=env).returncode == 0
    box = municipalities().geometry.loc[[PAIR[0]]].total_bounds
    # the 2 km grid over Belgershain's box, by hand: even km from the box's south-west corner on
    e_first, n_first = int(box[0] // 2000) * 2, int(box[1] // 2000) * 2
    grid = [(e, n) for e in range(e_first, int(box[2] // 1000) + 1, 2)
            for n in range(n_first, int(box[3] // 1000) + 1, 2) if e * 1000 < box[2] and n * 1000 < box[3]]
    assert len(grid) >= 4
    (served / "dgm").mkdir(parents=True)
    kept = grid[:2]                              # the server has two of them; the others answer 404
    for e_km, n_km in kept:
        dgm_tile(served / "dgm", e_km, n_km, 150.0)
    with SourceServer(served) as server:
        sources = tmp_path / "sources.toml"
        sources.write_text(f"""
[catalog]
id = "test-grid"
version = "2026-12-03"

[sources.dgm1_grid]
title = "DGM1 (Test, Raster ohne Index)"
fills = "terrain"
kind = "raster"
layout = "tiles"
tile_url_pattern = "{server.url}/dgm/dgm1_33{{e_km}}_{{n_km}}_2_sn_tiff.zip"
tile_size_m = 2000
member = "*.tif"
crs = "EPSG:25833"
licence = "dl-de/by-2-0"
attribution = "Quelle: GeoSN, dl-de/by-2-0"
""", encoding="utf-8")
        fetched = potenzial("data", "fetch", "--region", "one", "--only", "terrain", "--catalog", str(sources), env=env)
        asked = sorted(path for path, _ in server.requests)
    assert fetched.returncode == 0, fetched.stderr
    assert asked == sorted(f"/dgm/dgm1_33{e}_{n}_2_sn_tiff.zip" for e, n in grid)
    said = " ".join(fetched.stderr.split())
    assert f"2 of {len(grid)} grid tiles" in said and f"{len(grid) - 2} not on the server" in said
    with rasterio.open(regions / "one" / "data" / "real" / "terrain.tif") as cog:
        value = next(cog.sample([(kept[0][0] * 1000 + 1_000, kept[0][1] * 1000 + 1_000)]))[0]
    assert value == 150.0
    local = (regions / "one" / "region.local.toml").read_text(encoding="utf-8")
    assert "dgm1_33{e_km}_{n_km}_2_sn_tiff.zip" in local   # where it came from, for data status


def test_a_tile_grid_of_which_the_server_has_nothing_is_refused_with_the_pattern(tmp_path):
    regions, data, served = tmp_path / "regions", tmp_path / "data", tmp_path / "served"
    regions.mkdir()
    served.mkdir()
    env = {"POTENZIAL_REGIONS_DIR": str(regions), "POTENZIAL_DATA_DIR": str(data)}
    assert potenzial("region", "create", "--county", "14729", "--municipality", PAIR[0], "--id", "one",
                     "--name", "Belgershain", env=env).returncode == 0
    with SourceServer(served) as server:
        sources = tmp_path / "sources.toml"
        sources.write_text(f"""
[catalog]
id = "test-grid"
version = "2026-12-03"

[sources.dgm1_grid]
title = "DGM1 (Test)"
fills = "terrain"
kind = "raster"
layout = "tiles"
tile_url_pattern = "{server.url}/old-share/dgm1_33{{e_km}}_{{n_km}}_2_sn_tiff.zip"
tile_size_m = 2000
crs = "EPSG:25833"
licence = "dl-de/by-2-0"
attribution = "Quelle: GeoSN, dl-de/by-2-0"
""", encoding="utf-8")
        result = potenzial("data", "fetch", "--region", "one", "--only", "terrain", "--catalog", str(sources), env=env)
    line = " ".join(result.stderr.split())
    assert result.returncode == 2 and "none of the" in line and "share token" in line, line
    assert not (regions / "one" / "region.local.toml").exists()

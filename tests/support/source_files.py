"""Files in the providers' layouts for the `data fetch` tests, and the CLI as a user runs it.

ALKIS Hausumringe as a zipped shapefile (fields OI, GFK), DGM1 as 2 km GeoTIFF tiles zipped one
by one and named like GeoSN's (``dgm1_33<E>_<N>_2_sn_tiff.zip``), a tile index as a gzipped
GeoPackage whose ``location`` column holds GDAL ``/vsizip/vsicurl/`` paths (as in the mundialis
index of the GeoSN tiles), and a source catalog pointing at the loopback server.
"""

from __future__ import annotations

import gzip
import subprocess
import sys
import zipfile
from pathlib import Path

import geopandas as gpd
import numpy as np
import pyogrio
import rasterio
import shapely
from rasterio.transform import from_origin

from potenzial.settings import PROJECT_ROOT
from tests.support.child_env import child_env

VG5000 = PROJECT_ROOT / "layers" / "regions" / "lk-leipzig" / "data" / "admin_vg5000_2021_sachsen.gpkg"

PAIR = ("14729020", "14729330")            # Belgershain, Otterwisch
VG5000 = PROJECT_ROOT / "layers" / "regions" / "lk-leipzig" / "data" / "admin_vg5000_2021_sachsen.gpkg"
#: houses put into each municipality: (residential, non-residential)
HOUSES = {"14729020": (4, 1), "14729330": (2, 1)}
TILE_M = 2_000
DGM_RES_M = 100.0                          #: 20 x 20 cells per 2 km tile (DGM1 has 1 m; small for the test)


def potenzial(*args: str, env: dict[str, str], timeout: int = 600) -> subprocess.CompletedProcess:
    full = child_env()
    full.update({"COLUMNS": "200", **env})
    return subprocess.run([sys.executable, "-m", "potenzial.cli.main", *args], capture_output=True, text=True,
                          env=full, cwd=PROJECT_ROOT, timeout=timeout)


def municipalities() -> gpd.GeoDataFrame:
    frame = gpd.read_file(VG5000, layer="sachsen_gemeinden")
    return frame[frame["AGS"].isin(PAIR)].set_index("AGS")


def write_hausumringe(folder: Path, with_prj: bool = True) -> Path:
    """hu_sn_shape.zip: a shapefile of 12 x 9 m houses inside each municipality, 40 m apart."""
    rows, geoms = [], []
    for ags, geom in municipalities().geometry.items():
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
    p = municipalities().geometry.loc["14729020"].representative_point()
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


def dgm_tile(folder: Path, e_km: int, n_km: int, height: float) -> str:
    """A zipped 2 km DGM tile named like GeoSN's, 20 x 20 cells of ``height``; returns its stem."""
    name = f"dgm1_33{e_km}_{n_km}_2_sn"
    tif = folder / f"{name}.tif"
    with rasterio.open(tif, "w", driver="GTiff", width=20, height=20, count=1, dtype="float32", crs="EPSG:25833",
                       transform=from_origin(e_km * 1000, n_km * 1000 + TILE_M, DGM_RES_M, DGM_RES_M)) as dst:
        dst.write(np.full((1, 20, 20), height, dtype="float32"))
    with zipfile.ZipFile(folder / f"{name}_tiff.zip", "w") as archive:
        archive.write(tif, f"{name}.tif")
    tif.unlink()
    return name

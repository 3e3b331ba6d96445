"""Unpack downloads and convert them into the files a region's catalog points at.

Vector sources become one GeoPackage in EPSG:25833 with the canonical columns; raster tiles
become one Cloud-Optimised GeoTIFF through a VRT; CityGML tiles a folder of ``.gml`` files;
tables a CSV. Every output is written under a temporary name and renamed into place, so a
failed conversion leaves the previous file (and the catalog pointing at it) intact. The CRS of
every input is the file's or the source entry's; a file without either is refused.
"""

from __future__ import annotations

import fnmatch
import gzip
import os
import shutil
import uuid
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

import geopandas as gpd
import pandas as pd
import pyogrio
import rasterio
import rasterio.shutil
import shapely
from pyproj import CRS

from potenzial.crs import ANALYSIS_CRS, crs_name
from potenzial.data.download import FetchError
from potenzial.data.sources import SourceEntry
from potenzial.errors import CRSError
from potenzial.sources.extent import Bounds, check_coordinates_fit_crs, check_within_region, to_analysis_bounds

DATA_SUFFIXES = (".shp", ".gpkg", ".geojson", ".json", ".tif", ".tiff", ".gml", ".xml", ".csv")


def unpack(download: Path, member: str, work: Path) -> list[Path]:
    """The data files of a download: zip members matching ``member`` (default: every data file),
    a gunzipped ``.gz``, or the file itself."""
    work.mkdir(parents=True, exist_ok=True)
    if zipfile.is_zipfile(download):
        with zipfile.ZipFile(download) as archive:
            names = [n for n in archive.namelist() if not n.endswith("/")]
            wanted = [n for n in names if (fnmatch.fnmatch(n, member) or fnmatch.fnmatch(Path(n).name, member))
                      ] if member else [n for n in names if n.lower().endswith(DATA_SUFFIXES)]
            if not wanted:
                raise FetchError(f"{download.name}: no file matching {member or 'a data file'!r} in the zip (it holds "
                                 f"{', '.join(names[:8])}). Fix `member` in the source catalog.")
            stems = {str(Path(n).with_suffix("")) for n in wanted}
            for name in names:            # a shapefile's .dbf/.shx/.prj/.cpg come along
                if str(Path(name).with_suffix("")) not in stems:
                    continue
                target = work / Path(name).name   # flat: no path from the archive reaches the filesystem
                with archive.open(name) as src, target.open("wb") as dst:
                    shutil.copyfileobj(src, dst)
            return sorted(work / Path(n).name for n in wanted)
    if download.suffix == ".gz":
        target = work / download.with_suffix("").name
        try:
            with gzip.open(download) as src, target.open("wb") as dst:
                shutil.copyfileobj(src, dst)
        except (OSError, EOFError) as exc:
            raise FetchError(f"{download.name}: not a valid gzip file ({exc}). Fetch it again.") from None
        return [target]
    return [download]


def read_crs_checked(frame: gpd.GeoDataFrame, path: Path, source: SourceEntry) -> gpd.GeoDataFrame:
    """The frame with its CRS: the file's, else the source entry's; none -> CRSError with the fix."""
    what = f"{source.id}: {path.name}"
    if frame.crs is None:
        if not source.crs:
            raise CRSError(f"{what}: the file has no CRS and the source catalog gives none. Add crs = \"EPSG:…\" "
                           "to the source entry (GeoSN data: EPSG:25833) or ask the provider for the .prj.")
        frame = frame.set_crs(source.crs)
    if len(frame):
        check_coordinates_fit_crs(tuple(frame.total_bounds), CRS(frame.crs), what)
    return frame


def convert_vector(files: list[Path], source: SourceEntry, region_bounds: Bounds, ags_prefix: str,
                   out: Path) -> int:
    """Read, check, map and clip the vector files into ``out`` (GeoPackage, layer = stem). Returns features."""
    frames = []
    for path in files:
        try:
            frame = pyogrio.read_dataframe(path, layer=source.layer)
        except Exception as exc:
            raise FetchError(f"{source.id}: {path.name} cannot be read as a vector file ({str(exc)[:160]}).") from None
        frame = read_crs_checked(frame, path, source).to_crs(ANALYSIS_CRS)
        if len(frame):
            check_within_region(tuple(frame.total_bounds), region_bounds, f"{source.id}: {path.name}")
        frames.append(frame)
    frame = gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), crs=ANALYSIS_CRS)
    frame = frame.rename(columns={src: dst for dst, src in source.fields.items() if src in frame.columns})
    for column, mapping in source.values.items():
        if column in frame.columns:
            frame[column] = frame[column].astype(str).map(lambda v, m=mapping: m.get(v, v))
    if source.kind_value:
        frame["kind"] = source.kind_value
    if source.extra.get("use_from_function") and "function" in frame.columns:
        code = frame["function"].astype(str).str.extract(r"(\d{4})$")[0].fillna("0").astype(int)
        frame["use"] = ["residential" if 1000 <= c < 2000 else "non_residential" for c in code]
    if source.filter_ags_prefix and "ags" in frame.columns:
        frame = frame[frame["ags"].astype(str).str.startswith(ags_prefix)]
        frame = frame.dissolve(by="ags", aggfunc="first", as_index=False)
    else:
        box = shapely.box(*region_bounds)
        frame = frame[frame.intersects(box)]
    missing = [c for c in source.columns if c not in frame.columns]
    if missing:
        have = ", ".join(c for c in frame.columns if c != "geometry")
        raise FetchError(f"{source.id}: the data lack column(s) {', '.join(missing)} (they have: {have}). Map them "
                         "with fields = { canonical = \"column_in_file\" } in the source entry.")
    if frame.empty:
        raise FetchError(f"{source.id}: no feature of the download lies in the region. Check the source and its CRS.")
    _replace_with(out, lambda tmp: frame.to_file(tmp, layer=out.stem, driver="GPKG"))
    return len(frame)


def convert_raster_tiles(files: list[Path], footprints: list[Bounds | None], source: SourceEntry,
                         region_bounds: Bounds, out: Path) -> int:
    """Check every tile (CRS, where it lies) and mosaic them into one COG ``out`` through a VRT."""
    crs: CRS | None = None
    sources = []
    for path, footprint in zip(files, footprints, strict=True):
        with rasterio.open(path) as src:
            tile_crs = CRS.from_user_input(src.crs) if src.crs else None
            if tile_crs is None:
                if not source.crs:
                    raise CRSError(f"{source.id}: tile {path.name} has no CRS and the source catalog gives none. "
                                   "Add crs = \"EPSG:25833\" to the source entry (GeoSN tiles) or fix the tile.")
                tile_crs = CRS.from_user_input(source.crs)
            bounds = tuple(float(v) for v in src.bounds)
            check_coordinates_fit_crs(bounds, tile_crs, f"{source.id}: tile {path.name}")  # type: ignore[arg-type]
            if crs is not None and not tile_crs.equals(crs):
                raise CRSError(f"{source.id}: tile {path.name} is in {crs_name(tile_crs)}, the others in "
                               f"{crs_name(crs)}. One mosaic needs one CRS: reproject the tile (gdalwarp).")
            crs = tile_crs
            metric = to_analysis_bounds(bounds, tile_crs)  # type: ignore[arg-type]
            if footprint is not None and not overlap(metric, footprint):
                raise FetchError(f"{source.id}: tile {path.name} lies at {_box(metric)} but the tile index says "
                                 f"{_box(footprint)}. The index or the tile is wrong: check the source.")
            check_within_region(metric, region_bounds, f"{source.id}: tile {path.name}")
            sources.append((path, src.width, src.height, src.transform, src.dtypes[0], src.nodata))
    if crs is None:
        raise FetchError(f"{source.id}: no tile to mosaic.")
    vrt_text = _vrt(sources, crs)
    out.parent.mkdir(parents=True, exist_ok=True)
    work = out.parent / f".{out.stem}.{uuid.uuid4().hex[:8]}.vrt"
    work.write_text(vrt_text, encoding="utf-8")
    try:
        _replace_with(out, lambda tmp: rasterio.shutil.copy(work, tmp, driver="COG", compress="DEFLATE"))
    finally:
        work.unlink(missing_ok=True)
    return len(sources)


def _vrt(tiles: list, crs: CRS) -> str:
    """A VRT of ``tiles`` (all one resolution and CRS): the mosaic's extent and one source per tile."""
    res_x = tiles[0][3].a
    res_y = -tiles[0][3].e
    west = min(t[3].c for t in tiles)
    north = max(t[3].f for t in tiles)
    east = max(t[3].c + t[1] * res_x for t in tiles)
    south = min(t[3].f - t[2] * res_y for t in tiles)
    width, height = round((east - west) / res_x), round((north - south) / res_y)
    dtype = {"float32": "Float32", "float64": "Float64", "int16": "Int16", "uint16": "UInt16", "uint8": "Byte",
             "int32": "Int32"}[tiles[0][4]]
    nodata = tiles[0][5]
    parts = [f'<VRTDataset rasterXSize="{width}" rasterYSize="{height}">',
             f"<SRS>{escape(crs.to_wkt())}</SRS>",
             f"<GeoTransform>{west!r}, {res_x!r}, 0, {north!r}, 0, {-res_y!r}</GeoTransform>",
             f'<VRTRasterBand dataType="{dtype}" band="1">']
    if nodata is not None:
        parts.append(f"<NoDataValue>{nodata!r}</NoDataValue>")
    for path, w, h, transform, _, _ in tiles:
        col, row = round((transform.c - west) / res_x), round((north - transform.f) / res_y)
        parts.append(f'<SimpleSource><SourceFilename relativeToVRT="0">{escape(str(path))}</SourceFilename>'
                     f"<SourceBand>1</SourceBand>"
                     f'<SrcRect xOff="0" yOff="0" xSize="{w}" ySize="{h}"/>'
                     f'<DstRect xOff="{col}" yOff="{row}" xSize="{w}" ySize="{h}"/></SimpleSource>')
    parts += ["</VRTRasterBand>", "</VRTDataset>"]
    return "\n".join(parts)


def check_citygml(files: list[Path], source: SourceEntry, region_bounds: Bounds) -> int:
    """Every CityGML tile names its CRS (srsName) or the source entry does, and lies in the region.
    Returns the number of roof surfaces read."""
    from potenzial.sources.citygml import read_citygml_roofs

    roofs = 0
    for path in files:
        planes, _, report = read_citygml_roofs(path, crs=source.crs)
        if len(planes):
            check_within_region(tuple(planes.total_bounds), region_bounds, f"{source.id}: tile {path.name}")
        roofs += report.roof_surfaces
    if roofs == 0:
        raise FetchError(f"{source.id}: the CityGML tiles hold no bldg:RoofSurface. LoD2 data is needed (LoD1 has "
                         "no roof planes): check the source.")
    return roofs


def copy_folder(files: list[Path], out: Path) -> int:
    """CityGML tiles: the files into the folder ``out`` (replaced whole)."""
    tmp = out.with_name(f".{out.name}.{uuid.uuid4().hex[:8]}.partial")
    tmp.mkdir(parents=True)
    for path in files:
        shutil.copy2(path, tmp / path.name)
    old = out.with_name(f".{out.name}.old")
    shutil.rmtree(old, ignore_errors=True)
    if out.exists():
        out.rename(old)
    tmp.rename(out)
    shutil.rmtree(old, ignore_errors=True)
    return len(files)


def copy_table(files: list[Path], source: SourceEntry, out: Path) -> int:
    frame = pd.read_csv(files[0], dtype=str)
    frame = frame.rename(columns={src: dst for dst, src in source.fields.items()})
    _replace_with(out, lambda tmp: frame.to_csv(tmp, index=False))
    return len(frame)


def _replace_with(out: Path, write) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.stem}.{uuid.uuid4().hex[:8]}{out.suffix}")
    try:
        write(tmp)
        os.replace(tmp, out)
    finally:
        tmp.unlink(missing_ok=True)


def overlap(a: Bounds, b: Bounds) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _box(b: Bounds) -> str:
    return f"x {b[0]:.0f}–{b[2]:.0f}, y {b[1]:.0f}–{b[3]:.0f} m"

"""`data fetch`: download the sources a region needs, convert them, point its local catalog at them.

For every source entry whose ``fills`` is a layer of the region (or the ones named with
``only``): the download (or, for tiles, the tile index and every tile it lists inside the
region's box) goes into the cache ``<data dir>/cache/sources/<source id>/``, verified; the
conversion writes ``<region folder>/data/real/<layer>.<ext>``; then ``region.local.toml`` gets
the layer's entry (source, CRS, licence, attribution, date, hash), written to a temporary file
and renamed. A failure in one source leaves the local catalog as it was before that source.
"""

from __future__ import annotations

import math
import shutil
import urllib.parse
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pyogrio
from pyproj import CRS

from potenzial.data import convert
from potenzial.data.download import Downloaded, FetchError, NotOnServer, Progress, download
from potenzial.data.local_catalog import put_local_entry
from potenzial.data.sources import SourceEntry
from potenzial.errors import ConfigError, CRSError
from potenzial.provenance import sha256_path
from potenzial.region import Region
from potenzial.sources.extent import Bounds, to_analysis_bounds


@dataclass(frozen=True)
class Fetched:
    source: str
    layer: str
    files: int          #: downloads used (1, or the number of tiles)
    resumed: int        #: downloads that were continued after a dropped connection
    output: Path
    sha256: str


#: events: (source id, message) for the CLI's progress; bytes: (source id, file name, received, total);
#: files: (source id, files done, files to do) as the tiles of a tiled source come in
Say = Callable[[str, str], None]
Bytes = Callable[[str, str, int, int | None], None]
Files = Callable[[str, int, int], None]


def select_sources(region: Region, sources: dict[str, SourceEntry], only: list[str] | None) -> list[SourceEntry]:
    """The fetchable sources for the region's layers; ``only`` names layers or source ids."""
    chosen = [s for s in sources.values() if s.fetch and (s.fills in region.layers or s.extra.get("new_layer"))]
    if only:
        unknown = [o for o in only if o not in sources and not any(s.fills == o for s in chosen)]
        if unknown:
            raise ConfigError(f"--only {', '.join(unknown)}: neither a source id nor a layer the catalog can fill. "
                              f"Sources for this region: {', '.join(s.id for s in chosen) or 'none'}.")
        chosen = [s for s in chosen if s.id in only or s.fills in only]
    by_layer: dict[str, SourceEntry] = {}
    for source in chosen:                     # one source per layer: the first listed wins
        by_layer.setdefault(source.fills, source)
    return list(by_layer.values())


def fetch_region(region: Region, sources: list[SourceEntry], cache_dir: Path, region_bounds: Bounds,
                 say: Say | None = None, on_bytes: Bytes | None = None,
                 on_files: Files | None = None) -> list[Fetched]:
    """Fetch ``sources`` for ``region``; each one ends with an updated local catalog or an error."""
    done = []
    for source in sources:
        if not (source.url or source.tile_index or source.extra.get("tile_url_pattern")) or "<" in source.url:
            raise ConfigError(f"source {source.id!r}: no complete url in the source catalog ({source.catalog}). "
                              f"Set it from {source.attribution_url or 'the provider'} or leave this source out (--only).")
        done.append(_fetch_one(region, source, cache_dir / source.id, region_bounds, say, on_bytes, on_files))
    return done


def _fetch_one(region: Region, source: SourceEntry, cache: Path, bounds: Bounds, say: Say | None,
               on_bytes: Bytes | None, on_files: Files | None = None) -> Fetched:
    tell = say or (lambda _s, _m: None)
    work = cache / f".work-{uuid.uuid4().hex[:8]}"
    try:
        downloads: list[tuple[Downloaded, Bounds | None]]
        if source.layout == "tiles" and source.tile_index:
            tiles = _tiles_in_region(source, cache, work, bounds, tell, on_bytes)
            downloads = []
            for k, (url, box) in enumerate(tiles):
                downloads.append((_get(url, cache, source, on_bytes), box))
                if on_files:
                    on_files(source.id, k + 1, len(tiles))
        elif source.layout == "tiles":
            downloads = _grid_downloads(source, cache, bounds, tell, on_bytes, on_files)
        else:
            downloads = [(_get(source.url, cache, source, on_bytes), None)]
        files: list[Path] = []
        footprints: list[Bounds | None] = []
        for k, (got, footprint) in enumerate(downloads):
            unpacked = convert.unpack(got.path, source.member, work / f"{k:05d}")
            files.extend(unpacked)
            footprints.extend([footprint] * len(unpacked))
        real = region.root / "data" / "real"
        if source.kind == "raster":
            output = real / f"{source.fills}.tif"
            count = convert.convert_raster_tiles(files, footprints, source, bounds, output)
        elif source.kind == "citygml":
            output = real / f"{source.fills}_lod2"
            convert.check_citygml(files, source, bounds)
            count = convert.copy_folder(files, output)
        elif source.kind == "table":
            output = real / f"{source.fills}.csv"
            count = convert.copy_table(files, source, output)
        else:
            output = real / f"{source.fills}.gpkg"
            count = convert.convert_vector(files, source, bounds, region.ags_prefix, output)
        tell(source.id, f"{count} {'tiles' if source.layout == 'tiles' else 'features'} -> {output.name}")
        digest = sha256_path(output)
        write_local_entry(region, source, output, digest)
        return Fetched(source.id, source.fills, len(downloads), sum(d.resumed for d, _ in downloads), output, digest)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _get(url: str, cache: Path, source: SourceEntry, on_bytes: Bytes | None, refresh: bool = False) -> Downloaded:
    name = _file_name(url)
    expect = "zip" if name.endswith(".zip") else "gzip" if name.endswith(".gz") else \
        "tiff" if name.endswith((".tif", ".tiff")) else ""
    if not expect and "." not in name and source.kind == "raster" and source.layout == "file":
        expect = "tiff"   # an API path without extension (Global Wind Atlas: …/wind-speed/150) serves a GeoTIFF
    progress: Progress | None = (lambda got, total: on_bytes(source.id, name, got, total)) if on_bytes else None
    sha = source.sha256 if source.layout == "file" else ""
    return download(url, cache, name, sha256=sha, expect=expect, progress=progress, refresh=refresh)


def _file_name(url: str) -> str:
    """The cache name of a download: the URL's last path part, or, for a share link of the
    GeoSN cloud (``…/index.php/s/<share>/download?path=%2F&files=<file>``), the ``files`` value,
    so that the tiles of one share do not all become ``download``."""
    parts = urllib.parse.urlsplit(url)
    files = urllib.parse.parse_qs(parts.query).get("files")
    tail = files[-1].rstrip("/").rsplit("/", 1)[-1] if files else parts.path.rstrip("/").rsplit("/", 1)[-1]
    safe = "".join(c if c.isalnum() or c in "._-" else "_" for c in tail)
    return safe or "download"


def _tiles_in_region(source: SourceEntry, cache: Path, work: Path, bounds: Bounds, tell: Say,
                     on_bytes: Bytes | None) -> list[tuple[str, Bounds]]:
    """(url, footprint [EPSG:25833]) of every tile of the index that meets the region's box."""
    index = _get(source.tile_index, cache, source, on_bytes, refresh=True)   # the index changes in place
    path = convert.unpack(index.path, "", work / "index")[0]
    try:
        frame = pyogrio.read_dataframe(path)
    except Exception as exc:
        raise FetchError(f"{source.id}: the tile index {path.name} cannot be read ({str(exc)[:160]}).") from None
    if frame.crs is None:
        raise CRSError(f"{source.id}: the tile index {path.name} has no CRS. Use an index with one (GeoPackage).")
    url_column = "url" if "url" in frame.columns else "location" if "location" in frame.columns else None
    if url_column is None:
        raise FetchError(f"{source.id}: the tile index has no column url or location (it has "
                         f"{', '.join(c for c in frame.columns if c != 'geometry')}).")
    crs = CRS(frame.crs)
    picked = []
    for row in frame.itertuples():
        footprint = to_analysis_bounds(tuple(float(v) for v in row.geometry.bounds), crs)  # type: ignore[arg-type]
        if convert.overlap(footprint, bounds):
            picked.append((_tile_url(str(getattr(row, url_column))), footprint))
    if not picked:
        raise FetchError(f"{source.id}: the tile index lists {len(frame)} tiles, none inside the region's box "
                         f"(x {bounds[0]:.0f}–{bounds[2]:.0f}, y {bounds[1]:.0f}–{bounds[3]:.0f} m, EPSG:25833). "
                         "Wrong index, or an index in another CRS than it says: check tile_index.")
    tell(source.id, f"{len(picked)} of {len(frame)} tiles in the region")
    return picked


def grid_tiles(source: SourceEntry, bounds: Bounds) -> list[tuple[str, Bounds]]:
    """(url, footprint [EPSG:25833]) of every tile of a regular grid that meets the region's box:
    ``tile_url_pattern`` with ``{e_km}``/``{n_km}``, the tile's south-west corner in km, on a grid of
    ``tile_size_m`` (GeoSN: 2 km tiles at even km, ``dgm1_33<e_km>_<n_km>_2_sn_tiff.zip``)."""
    pattern = str(source.extra.get("tile_url_pattern", ""))
    try:
        size_m = float(source.extra.get("tile_size_m", 0))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        size_m = 0.0
    if "{e_km}" not in pattern or "{n_km}" not in pattern or size_m < 1000 or size_m % 1000:
        raise ConfigError(f"source {source.id!r}: a tile grid needs tile_url_pattern with {{e_km}} and {{n_km}} and "
                          f"tile_size_m in whole km (found {pattern!r}, {size_m!r}).")
    tiles = []
    e_m = math.floor(bounds[0] / size_m) * size_m
    while e_m < bounds[2]:
        n_m = math.floor(bounds[1] / size_m) * size_m
        while n_m < bounds[3]:
            url = pattern.format(e_km=int(e_m // 1000), n_km=int(n_m // 1000))
            tiles.append((url, (e_m, n_m, e_m + size_m, n_m + size_m)))
            n_m += size_m
        e_m += size_m
    return tiles


def _grid_downloads(source: SourceEntry, cache: Path, bounds: Bounds, tell: Say,
                    on_bytes: Bytes | None, on_files: Files | None = None) -> list[tuple[Downloaded, Bounds | None]]:
    """The grid's tiles over the region's box; tiles the server does not have (404: beyond the
    provider's area, e.g. across the state border) are skipped and counted."""
    tiles = grid_tiles(source, bounds)
    downloads: list[tuple[Downloaded, Bounds | None]] = []
    missing = 0
    for k, (url, footprint) in enumerate(tiles):
        try:
            downloads.append((_get(url, cache, source, on_bytes), footprint))
        except NotOnServer:
            missing += 1
        if on_files:
            on_files(source.id, k + 1, len(tiles))
    if not downloads:
        raise FetchError(f"{source.id}: none of the {len(tiles)} grid tiles over the region's box is on the server "
                         f"(first: {tiles[0][0]}). Check tile_url_pattern (its share token may have changed) against "
                         f"{source.attribution_url or 'the provider page'}.")
    tell(source.id, f"{len(downloads)} of {len(tiles)} grid tiles over the region's box"
                    + (f"; {missing} not on the server (outside the provider's area)" if missing else ""))
    return downloads


def _tile_url(value: str) -> str:
    """``/vsizip/vsicurl/https://…/x.zip/x.tif`` (GDAL, as in the mundialis indices) -> the zip's URL."""
    for prefix in ("/vsizip/", "/vsicurl/", "vsicurl/"):
        if value.startswith(prefix):
            value = value[len(prefix):]
    if ".zip/" in value:
        value = value.split(".zip/", 1)[0] + ".zip"
    return value


def write_local_entry(region: Region, source: SourceEntry, output: Path, digest: str) -> Path:
    """Put the layer's entry into ``region.local.toml`` (temporary file + rename)."""
    relative = output.relative_to(region.root).as_posix()
    entry: dict[str, object] = {
        "source": relative, "provenance": "real", "generator": "", "licence": source.licence,
        "attribution": source.attribution, "attribution_url": source.attribution_url,
        "retrieved": datetime.now(UTC).strftime("%Y-%m-%d"), "crs": "EPSG:25833",
        "fetched_from": f"{source.catalog}/{source.id} (catalog version {source.version})",
        "fetched_url": source.tile_index or source.url or str(source.extra.get("tile_url_pattern", "")), "fetched_sha256": digest,
        "title": source.title, "fields": {},
    }
    if source.kind == "citygml":
        entry.update({"lod2": relative, "lod2_crs": source.crs or "EPSG:25833"})
        entry.pop("crs")
        if source.crs:
            entry["crs"] = source.crs
    elif source.kind == "vector":
        entry["layer"] = output.stem
    elif source.kind == "table":
        entry.pop("crs")
    if source.fills not in region.layers:   # a layer the region has no stand-in for (e.g. the DSM)
        entry.update({"kind": "vector" if source.kind == "citygml" else source.kind, "units": source.units,
                      "geometry": source.geometry, "columns": list(source.columns)})
    return put_local_entry(region.root, source.fills, entry)

"""`data use`: point one layer of a region at a file the user has, checked before it is written.

The file's CRS is the file's own. Only a file that has none (a shapefile without ``.prj``, a
GeoTIFF without georeferencing, a CSV of coordinates turned into a layer elsewhere) takes the
CRS the user states (``--crs``); a stated CRS is never put over a file that has another one,
and nothing is inherited from the stand-in the entry replaces. Before the local catalog is
touched, the layer is read exactly as a run reads it (CRS, units, geometry type, columns,
non-empty) and its box is checked against the region's municipalities; a failure leaves
``region.local.toml`` as it was.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from pyproj import CRS

from potenzial.crs import crs_name, parse_crs
from potenzial.data.local_catalog import put_local_entry, read_local
from potenzial.errors import ConfigError, CRSError, InputDataError
from potenzial.region import LayerEntry, Region, layer_entry_with_override
from potenzial.sources.extent import check_region_span, check_within_region, to_analysis_bounds
from potenzial.sources.raster import inspect_raster
from potenzial.sources.table import read_table
from potenzial.sources.vector import read_vector


@dataclass(frozen=True)
class UsedFile:
    """What ``use_file`` wrote into the local catalog."""

    layer: str
    local_catalog: Path
    crs: str            #: the CRS the layer is read in: the file's own or the stated one
    crs_stated: bool    #: True when the file has none and ``crs`` was taken
    features: int       #: features (vector), rows (table) or pixels with data (raster)


def file_crs(path: Path, kind: str, layer: str | None) -> CRS | None:
    """The CRS the file itself declares, or None (a table has none)."""
    if kind == "table":
        return None
    try:
        if kind == "raster":
            import rasterio

            with rasterio.open(path) as src:
                return CRS.from_user_input(src.crs) if src.crs else None
        import pyogrio

        text = pyogrio.read_info(path, layer=layer).get("crs")
        return CRS.from_user_input(text) if text else None
    except Exception as exc:
        reason = (str(exc).splitlines() or [type(exc).__name__])[0][:160]
        raise InputDataError(f"{path}: cannot be read as a {kind} file ({reason}). "
                             "Check the path and that the file is complete.") from None


def use_file(region: Region, region_file: Path, layer_id: str, path: Path, crs: str | None = None, layer: str | None = None,
             fields: dict[str, str] | None = None, licence: str = "", attribution: str = "",
             title: str = "") -> UsedFile:
    """Put ``[layers.<layer_id>]`` pointing at ``path`` into the region's local catalog."""
    if layer_id not in region.layers:
        raise ConfigError(f"layer {layer_id!r} is not in the catalog of region {region.id}. Layers: "
                          f"{', '.join(sorted(region.layers))}.")
    path = path.expanduser().resolve()
    if not path.exists():
        raise InputDataError(f"{path}: file not found. Give the path of the file for layer {layer_id!r}.")
    base = region.layer(layer_id)
    own = file_crs(path, base.kind, layer)
    stated = parse_crs(crs, f"--crs for {path.name}") if crs else None
    if base.kind == "table" and stated is not None:
        raise CRSError(f"{path}: layer {layer_id!r} is a table, which has no CRS; drop --crs.")
    if base.kind != "table":
        if own is None and stated is None:
            raise CRSError(f"{path}: the file has no CRS (a shapefile without .prj, a GeoTIFF without "
                           "georeferencing) and none is stated; it is not taken for the stand-in's. Pass its CRS: "
                           "--crs EPSG:25833 (Saxony's official data), --crs EPSG:25832 (BKG VG250), --crs "
                           "EPSG:4326 (degrees).")
        if own is not None and stated is not None and not own.equals(stated, ignore_axis_order=True):
            raise CRSError(f"{path}: the file says it is in {crs_name(own)}, --crs says {crs_name(stated)}. "
                           "--crs only states the CRS of a file that has none: drop it (the file is reprojected "
                           "automatically), or fix the file's CRS (ogr2ogr -a_srs / gdal_edit.py -a_srs).")
    if not licence or not attribution:
        raise ConfigError(f"layer {layer_id!r}: give the file's --licence and --attribution (e.g. --licence "
                          "dl-de/by-2-0 --attribution \"© GeoSN, dl-de/by-2-0\"); a person sees them on the map.")
    patch: dict[str, object] = {
        "source": str(path), "provenance": "real", "generator": "", "licence": licence,
        "attribution": attribution, "title": title or f"{base.title.split(' (')[0]} ({path.name})",
        "retrieved": datetime.now(UTC).strftime("%Y-%m-%d"),
    }
    if base.kind != "table" and own is None and stated is not None:
        patch["crs"] = stated.to_string()
    if layer:
        patch["layer"] = layer
    if fields:
        patch["fields"] = dict(fields)
    doc = read_local(region.root)
    previous = doc.get("layers", {}).get(layer_id, {})
    entry = layer_entry_with_override(region_file, layer_id, {**_kept(previous), **patch}, region.synthetic_dir)
    count = _check_reads(region, entry)
    written = put_local_entry(region.root, layer_id, {**_kept(previous), **patch})
    used = own if own is not None else stated
    return UsedFile(layer_id, written, used.to_string() if used is not None else "",
                    own is None and stated is not None, count)


def _kept(previous: dict) -> dict:
    """Keys of an earlier local entry that do not describe its file (columns, units …)."""
    drop = {"source", "crs", "layer", "lod2", "lod2_crs", "fields", "fetched_from", "fetched_url", "fetched_sha256",
            "attribution_url", "retrieved", "title", "licence", "attribution"}
    return {k: v for k, v in previous.items() if k not in drop}


def _check_reads(region: Region, entry: LayerEntry) -> int:
    """Read ``entry`` as a run does and check it lies in the region; the count of what it holds."""
    munis = read_vector(region.layer(region.municipalities_layer))
    region_bounds = tuple(float(v) for v in munis.total_bounds)
    check_region_span(region_bounds, f"layer {region.municipalities_layer!r}")  # type: ignore[arg-type]
    what = f"layer {entry.id!r} ({entry.path})"
    if entry.kind == "table":
        return len(read_table(entry))
    if entry.kind == "vector":
        frame = read_vector(entry)
        check_within_region(tuple(float(v) for v in frame.total_bounds), region_bounds, what)  # type: ignore[arg-type]
        return len(frame)
    info = inspect_raster(entry)
    bounds = to_analysis_bounds(info.bounds, CRS.from_user_input(info.crs))
    check_within_region(bounds, region_bounds, what)  # type: ignore[arg-type]
    return info.width * info.height

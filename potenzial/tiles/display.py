"""Display rasters: the convention for rasters a run writes, and their web-optimised COGs.

Convention for pipeline steps (documented in CONTRIBUTING.md, "Serving"): a step that wants a
raster on the map writes ``<ctx.raster_dir>/<name>.tif`` (GeoTIFF, EPSG:25833, one band,
nodata set) and beside it ``<name>.json``::

    {"title": "Wind speed at hub height", "units": "m/s", "colormap": "viridis",
     "range": [4.0, 8.5], "inputs": ["wind_speed_150m"], "description": "…",
     "resampling": "average"}

``name`` is a lower-case identifier; it becomes the layer id. ``title``, ``units``,
``colormap`` (a rio-tiler name) and ``range`` (display range in ``units``) are required;
``inputs`` lists catalog layer ids the raster derives from (its provenance: synthetic if any
is), ``resampling`` is ``average`` (continuous values) or ``nearest`` (classes).
:func:`write_sidecar` writes a valid one.

Beside every analysis raster the server writes ``<name>.3857.tif``: a COG in EPSG:3857 on the
WebMercatorQuad grid (GDAL's COG driver, ``TILING_SCHEME=GoogleMapsCompatible``), whose
internal 256 px blocks and overviews are tiles, so a tile read needs no reprojection.
"""

from __future__ import annotations

import json
import os
import re
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import rasterio
import rasterio.shutil

from potenzial.crs import WEB_MERCATOR_EPSG
from potenzial.errors import ConfigError, InputDataError
from potenzial.tiles.colormap import DEFAULT_COLORMAP, ColourScale, palette
from potenzial.tiles.grid import MAX_ZOOM, ORIGIN_M, TILE_SIZE_PX, zoom_for_resolution
from potenzial.tiles.written import GDAL_ERRORS, check_written, full_disk, remove_partial

SIDECAR_SUFFIX = ".json"
DISPLAY_SUFFIX = ".3857.tif"
STATS_SUFFIX = ".3857.json"
NAME_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,62}$")
#: the folder of a run's raster folder that holds the display COGs of the catalog's rasters
CATALOG_DISPLAY_FOLDER = "_catalog"
RESAMPLINGS = {"average": "AVERAGE", "nearest": "NEAREST", "bilinear": "BILINEAR", "mode": "MODE"}
#: percentiles of the values used as display range when none is given
AUTO_RANGE_PERCENTILES = (2.0, 98.0)
#: overzoom: how many levels beyond the raster's native zoom tiles are still rendered
OVERZOOM_LEVELS = 4


@dataclass(frozen=True)
class RasterSidecar:
    """The description a step writes beside a raster (see the module docstring)."""

    title: str
    units: str
    colormap: str
    range: tuple[float, float]
    inputs: tuple[str, ...] = ()
    description: str = ""
    resampling: str = "average"
    title_de: str = ""  #: the German title a person sees (``title`` is the English one)

    def to_json(self) -> str:
        return json.dumps({"title": self.title, "title_de": self.title_de, "units": self.units,
                           "colormap": self.colormap, "range": list(self.range), "inputs": list(self.inputs),
                           "description": self.description, "resampling": self.resampling},
                          ensure_ascii=False, indent=2)


def parse_sidecar(path: Path) -> RasterSidecar:
    """Read and check ``<name>.json``; ConfigError naming the file and the fix."""
    what = f"raster description {path.name}"
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise ConfigError(f"{what}: not readable JSON ({type(exc).__name__}). Write it with "
                          "potenzial.tiles.display.write_sidecar.") from None
    if not isinstance(raw, dict):
        raise ConfigError(f"{what}: must be a JSON object with title, units, colormap and range.")
    missing = [k for k in ("title", "units", "colormap", "range") if k not in raw]
    if missing:
        raise ConfigError(f"{what}: lacks {', '.join(missing)}. Give title, units, colormap and range.")
    rng = raw["range"]
    if (not isinstance(rng, list) or len(rng) != 2 or not all(isinstance(v, int | float) for v in rng)
            or not rng[0] < rng[1]):
        raise ConfigError(f"{what}: range = {rng!r}; give [low, high] with low < high in the layer's units.")
    resampling = str(raw.get("resampling", "average"))
    if resampling not in RESAMPLINGS:
        raise ConfigError(f"{what}: resampling = {resampling!r}; use one of {', '.join(RESAMPLINGS)}.")
    sidecar = RasterSidecar(title=str(raw["title"]), units=str(raw["units"]), colormap=str(raw["colormap"]),
                            range=(float(rng[0]), float(rng[1])),
                            inputs=tuple(str(i) for i in raw.get("inputs", ())),
                            description=str(raw.get("description", "")), resampling=resampling,
                            title_de=str(raw.get("title_de", "")))
    ColourScale(sidecar.colormap, *sidecar.range)
    return sidecar


def write_sidecar(raster_path: Path, sidecar: RasterSidecar) -> Path:
    """Write ``<raster>.json`` for a raster a step wrote (checks name, colour map and range)."""
    if not NAME_PATTERN.match(raster_path.stem):
        raise ConfigError(f"raster name {raster_path.stem!r} must be a lower-case identifier "
                          "(letters, digits, _); it becomes the layer id.")
    ColourScale(sidecar.colormap, *sidecar.range)
    if sidecar.resampling not in RESAMPLINGS:
        raise ConfigError(f"resampling {sidecar.resampling!r}; use one of {', '.join(RESAMPLINGS)}.")
    path = raster_path.with_suffix(SIDECAR_SUFFIX)
    path.write_text(sidecar.to_json(), encoding="utf-8")
    return path


def run_rasters(raster_dir: Path) -> list[tuple[Path, Path]]:
    """(raster, sidecar) pairs a run wrote into ``raster_dir`` following the convention."""
    if not raster_dir.is_dir():
        return []
    found = []
    for tif in sorted(raster_dir.glob("*.tif")):
        if tif.name.endswith(DISPLAY_SUFFIX) or not NAME_PATTERN.match(tif.stem):
            continue
        sidecar = tif.with_suffix(SIDECAR_SUFFIX)
        if sidecar.is_file():
            found.append((tif, sidecar))
    return found


def display_path_for(analysis: Path, folder: Path | None = None, name: str | None = None) -> Path:
    """Where the EPSG:3857 display COG of ``analysis`` goes (beside it unless ``folder`` is given)."""
    return (folder or analysis.parent) / f"{name or analysis.stem}{DISPLAY_SUFFIX}"


def catalog_display_path(run_dir: Path, layer_id: str) -> Path:
    """Where the display COG of the catalog raster ``layer_id`` goes for the run of ``run_dir``."""
    return run_dir / CATALOG_DISPLAY_FOLDER / f"{layer_id}{DISPLAY_SUFFIX}"


def build_run_display_files(run_dir: Path, catalog: Iterable[tuple[str, Path, str]],
                            data_rasters: Iterable[str] = ()) -> list[Path]:
    """Every display COG a map of the run reads: of each raster the run wrote with a sidecar, of each
    catalog raster ``(layer id, analysis file, resampling)`` whose file exists, and of each data raster
    (a name in ``run_dir`` without sidecar whose values the page decodes itself: nearest, never
    averaged). Built when the run is made, so that a server's first tile is read, not waited for."""
    built = []
    for tif, sidecar in run_rasters(run_dir):
        built.append(ensure_display_cog(tif, display_path_for(tif), parse_sidecar(sidecar).resampling))
    for name in data_rasters:
        tif = run_dir / f"{name}.tif"
        if tif.is_file():
            built.append(ensure_display_cog(tif, display_path_for(tif), "nearest"))
    for layer_id, analysis, resampling in catalog:
        if analysis.is_file():
            built.append(ensure_display_cog(analysis, catalog_display_path(run_dir, layer_id), resampling))
    return built


# ------------------------------------------------------------------ building display COGs

_build_locks: dict[Path, threading.Lock] = {}
_build_locks_guard = threading.Lock()


def ensure_display_cog(analysis: Path, display: Path, resampling: str = "average") -> Path:
    """Build ``display`` from ``analysis`` unless it exists and is newer; one builder per file."""
    with _build_locks_guard:
        lock = _build_locks.setdefault(display, threading.Lock())
    with lock:
        if display.is_file() and display.stat().st_mtime_ns >= analysis.stat().st_mtime_ns:
            return display
        build_display_cog(analysis, display, resampling)
    return display


def build_display_cog(analysis: Path, display: Path, resampling: str = "average") -> Path:
    """Warp ``analysis`` into a WebMercatorQuad COG at ``display`` (atomic: temp file + rename)."""
    if resampling not in RESAMPLINGS:
        raise ConfigError(f"resampling {resampling!r}; use one of {', '.join(RESAMPLINGS)}.")
    display.parent.mkdir(parents=True, exist_ok=True)
    tmp = display.with_name(f".{display.name}.{os.getpid()}.{threading.get_ident()}.partial")
    options = {
        "TILING_SCHEME": "GoogleMapsCompatible",
        "BLOCKSIZE": TILE_SIZE_PX,
        "COMPRESS": "DEFLATE",
        "PREDICTOR": "YES",
        "RESAMPLING": "NEAREST" if resampling == "nearest" else "BILINEAR",
        "OVERVIEW_RESAMPLING": RESAMPLINGS[resampling],
        "ZOOM_LEVEL_STRATEGY": "UPPER",
        "NUM_THREADS": "ALL_CPUS",
        "OVERVIEWS": "IGNORE_EXISTING",
        "STATISTICS": "NO",
    }
    try:
        with rasterio.Env(GDAL_NUM_THREADS="ALL_CPUS"), rasterio.open(analysis) as src:
            if src.crs is None:
                raise InputDataError(f"raster {analysis.name} has no CRS; write it in EPSG:25833.")
            rasterio.shutil.copy(src, tmp, driver="COG", **options)
        check_written(tmp, None, f"raster {analysis.name}")  # its grid is GDAL's choice: any shape
        os.replace(tmp, display)
    except GDAL_ERRORS as exc:
        full = full_disk(tmp.parent, f"raster {analysis.name}")
        remove_partial(tmp)
        if full is not None:
            raise full from None
        raise InputDataError(f"raster {analysis.name}: cannot build its display COG "
                             f"({str(exc).splitlines()[0][:160]}). Check the file is a valid GeoTIFF.") from None
    except BaseException:
        remove_partial(tmp)
        raise
    return display


@dataclass(frozen=True)
class DisplayStats:
    """What the server needs to know about a display COG (read once, kept in a sidecar)."""

    min_value: float
    max_value: float
    auto_range: tuple[float, float]  #: AUTO_RANGE_PERCENTILES of the values
    native_zoom: int
    bounds_3857: tuple[float, float, float, float]

    @property
    def max_zoom(self) -> int:
        return min(MAX_ZOOM, self.native_zoom + OVERZOOM_LEVELS)


def display_stats(display: Path) -> DisplayStats:
    """Statistics of a display COG from its smallest overview, cached in ``<name>.3857.json``."""
    cache = display.with_name(display.name[: -len(DISPLAY_SUFFIX)] + STATS_SUFFIX)
    if cache.is_file() and cache.stat().st_mtime_ns >= display.stat().st_mtime_ns:
        try:
            raw = json.loads(cache.read_text(encoding="utf-8"))
            return DisplayStats(raw["min_value"], raw["max_value"], tuple(raw["auto_range"]),
                                raw["native_zoom"], tuple(raw["bounds_3857"]))
        except (OSError, json.JSONDecodeError, KeyError, TypeError):
            pass
    with rasterio.open(display) as src:
        if src.crs is None or src.crs.to_epsg() != WEB_MERCATOR_EPSG:
            raise InputDataError(f"display raster {display.name} is not in EPSG:3857; delete it to rebuild.")
        overviews = src.overviews(1)
        factor = overviews[-1] if overviews else max(1, max(src.width, src.height) // 1024)
        shape = (max(1, src.height // factor), max(1, src.width // factor))
        data = src.read(1, out_shape=shape, masked=True)
        values = data.compressed().astype(np.float64)
        values = values[np.isfinite(values)]
        res = src.transform.a
        bounds = tuple(float(b) for b in src.bounds)
    if values.size == 0:
        lo = hi = 0.0
        auto = (0.0, 1.0)
    else:
        lo, hi = float(values.min()), float(values.max())
        p_lo, p_hi = np.percentile(values, AUTO_RANGE_PERCENTILES)
        auto = (float(p_lo), float(p_hi)) if p_hi > p_lo else (lo, hi if hi > lo else lo + 1.0)
    stats = DisplayStats(lo, hi, auto, _native_zoom(res), bounds)  # type: ignore[arg-type]
    tmp = cache.with_name(f".{cache.name}.{os.getpid()}.{threading.get_ident()}")
    tmp.write_text(json.dumps({"min_value": lo, "max_value": hi, "auto_range": list(auto),
                               "native_zoom": stats.native_zoom, "bounds_3857": list(bounds)}), encoding="utf-8")
    os.replace(tmp, cache)
    return stats


def _native_zoom(res_m: float) -> int:
    return zoom_for_resolution(res_m)


@dataclass(frozen=True)
class RasterStyle:
    """How a raster layer is drawn: colour scale and the resampling of its display COG."""

    scale: ColourScale
    resampling: str = "average"
    extra: dict = field(default_factory=dict)


def default_scale(colormap: str | None, value_range: tuple[float, float] | None,
                  stats: DisplayStats) -> ColourScale:
    name = colormap or DEFAULT_COLORMAP
    palette(name)
    lo, hi = value_range if value_range else stats.auto_range
    return ColourScale(name, float(lo), float(hi))


__all__ = ["CATALOG_DISPLAY_FOLDER", "DISPLAY_SUFFIX", "ORIGIN_M", "DisplayStats", "RasterSidecar", "RasterStyle",
           "build_display_cog", "build_run_display_files", "catalog_display_path", "default_scale", "display_path_for",
           "display_stats", "ensure_display_cog", "parse_sidecar", "run_rasters", "write_sidecar"]

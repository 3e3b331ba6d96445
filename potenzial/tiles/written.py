"""Whether a raster GDAL has just written is whole, before it is renamed into place.

On a full disk GDAL's COG and GeoTIFF writers report the failed writes as warnings and return,
leaving a truncated file: renamed into the raster cache, it would be served as a broken layer. A
written file is checked (its size in cells and bands, its last cell readable) and refused with a
precise error: :class:`~potenzial.errors.DiskFullError` when its folder has no space left, an
:class:`~potenzial.errors.InputDataError` otherwise.
"""

from __future__ import annotations

import errno
import os
from pathlib import Path

import rasterio
from rasterio._err import CPLE_BaseError
from rasterio.errors import RasterioError
from rasterio.windows import Window

from potenzial.errors import DiskFullError, InputDataError, PotenzialError

#: what GDAL raises through rasterio: its own errors, and CPLE errors (e.g. a write error of libtiff)
GDAL_ERRORS: tuple[type[Exception], ...] = (RasterioError, CPLE_BaseError)
#: a folder with less free space than this counts as full [bytes]
FULL_BELOW_BYTES = 1 << 20


def free_bytes(folder: Path) -> int:
    """Space left for this user in the file system holding ``folder`` [bytes]."""
    stat = os.statvfs(folder)
    return stat.f_bavail * stat.f_frsize


def disk_full_message(folder: Path, what: str) -> str:
    return (f"{what}: no space left in {folder} ({free_bytes(folder) / 1e6:.1f} MB free). Free space there, "
            "or choose a raster cache on another disk with POTENZIAL_RASTER_CACHE; nothing half-written was kept.")


def full_disk(folder: Path, what: str) -> DiskFullError | None:
    """A DiskFullError when ``folder`` has no space left (call before removing the partial file)."""
    try:
        return DiskFullError(disk_full_message(folder, what)) if free_bytes(folder) < FULL_BELOW_BYTES else None
    except OSError:
        return None


def write_failure(folder: Path, what: str) -> PotenzialError:
    """The error for a raster that came out damaged in ``folder``: full disk, or a GDAL failure."""
    if free_bytes(folder) < FULL_BELOW_BYTES:
        return DiskFullError(disk_full_message(folder, what))
    return InputDataError(f"{what}: GDAL wrote a damaged file into {folder}. Check the source raster and the "
                          "disk, then run again.")


def check_written(path: Path, shape: tuple[int, int, int] | None, what: str) -> None:
    """Raise :func:`write_failure` unless ``path`` opens with ``shape`` (bands, rows, columns; None:
    any) and its last cell reads (GDAL's COG layout writes the full resolution's blocks last)."""
    try:
        with rasterio.open(path) as out:
            whole = shape is None or (out.count, out.height, out.width) == shape
            if whole:
                out.read(window=Window(out.width - 1, out.height - 1, 1, 1))
    except GDAL_ERRORS:
        whole = False
    if not whole:
        raise write_failure(path.parent, what)


#: what a write fails with when the disk, not the program, is the problem
DISK_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EFBIG, errno.EACCES, errno.EPERM})


def check_writable(folder: Path, what: str = "the raster cache") -> None:
    """Create ``folder`` and a file in it (removed again): DiskFullError naming the folder and the fix
    when it cannot be written, before a run computes anything."""
    probe = folder / f".writable.{os.getpid()}"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        probe.write_bytes(b"probe")
        probe.unlink()
    except OSError as exc:
        raise DiskFullError(f"{what} {folder} is not writable ({exc.strerror or exc}). Choose a writable folder "
                            "with POTENZIAL_RASTER_CACHE, or free space there.") from None


def disk_error(exc: OSError, what: str) -> DiskFullError | None:
    """A DiskFullError for an OSError of the disk (full, read-only, too large, not permitted), else None."""
    if exc.errno not in DISK_ERRNOS:
        return None
    where = Path(exc.filename).parent if exc.filename else None
    place = f" in {where}" if where else ""
    return DiskFullError(f"{what}: {exc.strerror}{place}. Free space there, or choose a raster cache on another "
                         "disk with POTENZIAL_RASTER_CACHE; the previous run stays served.")


def remove_partial(tmp: Path) -> None:
    """Remove a partial file and what GDAL's COG driver left beside it (``<tmp>.warped.tif.tmp``,
    overview files), after a failed write."""
    tmp.unlink(missing_ok=True)
    for left in tmp.parent.glob(f"{tmp.name}.*"):
        left.unlink(missing_ok=True)

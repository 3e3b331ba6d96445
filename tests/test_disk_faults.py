"""A full disk or an unwritable raster cache: a precise one-line error naming the folder and the fix,
nothing half-written renamed into place, the previous run still served.

The full disk is a real one: a small tmpfs the test mounts (needs the right to mount, e.g. root in a
container; skipped otherwise). GDAL reports the failed writes of a full disk only as warnings, so
without the check of :mod:`potenzial.tiles.written` a truncated COG would replace a whole raster.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import numpy as np
import pytest
import rasterio
from rasterio.transform import from_origin

from potenzial.errors import DiskFullError
from potenzial.params import load_params
from potenzial.pipeline import run_pipeline
from potenzial.region import load_region
from potenzial.settings import PROJECT_ROOT
from potenzial.tiles.cog import copy_as_cog, ensure_run_cogs
from potenzial.tiles.display import display_path_for, ensure_display_cog
from tests.support.hand_run import hand_result

REGIONS = PROJECT_ROOT / "layers" / "regions"
PARAMS = PROJECT_ROOT / "layers" / "params" / "default"
#: 220 x 220 random float32 cells: about 194 kB as a GeoTIFF, and barely smaller compressed
SIDE_PX = 220


def _mount_tmpfs(where: Path, size: str, *options: str) -> None:
    where.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", ",".join((f"size={size}", *options)), "tmpfs", str(where)],
                          capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here ({done.stderr.strip()[:120]}); needs the right to mount")


@pytest.fixture
def small_disk(tmp_path):
    """A 300 kB file system: room for one noisy raster, not for its COG copy as well."""
    where = tmp_path / "disk"
    _mount_tmpfs(where, "300k")
    yield where
    subprocess.run(["umount", str(where)], check=False)


def noisy_raster(path: Path) -> np.ndarray:
    values = np.random.default_rng(18).random((SIDE_PX, SIDE_PX)).astype("float32")
    path.parent.mkdir(parents=True, exist_ok=True)
    with rasterio.open(path, "w", driver="GTiff", width=SIDE_PX, height=SIDE_PX, count=1, dtype="float32",
                       crs="EPSG:25833", transform=from_origin(340_000, 5_700_000, 10, 10)) as dst:
        dst.write(values, 1)
    return values


def assert_whole(path: Path, values: np.ndarray) -> None:
    with rasterio.open(path) as src:
        assert (src.read(1) == values).all()


def test_a_full_disk_keeps_the_whole_raster_instead_of_a_truncated_cog(small_disk):
    run_dir = small_disk / "run-1"
    values = noisy_raster(run_dir / "wind_speed.tif")
    with pytest.raises(DiskFullError) as caught:
        ensure_run_cogs(run_dir)
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith("raster wind_speed.tif: no space left in ") and str(run_dir) in message
    assert "POTENZIAL_RASTER_CACHE" in message
    assert [p.name for p in run_dir.iterdir()] == ["wind_speed.tif"]  # no partial file left
    assert_whole(run_dir / "wind_speed.tif", values)


def test_a_full_disk_leaves_no_cog_copy_and_no_display_file(small_disk, tmp_path):
    values = noisy_raster(tmp_path / "source" / "wind_speed.tif")
    filler = small_disk / "filler"
    filler.write_bytes(b"\0" * 200_000)  # about 100 kB left
    with pytest.raises(DiskFullError, match="no space left"):
        copy_as_cog(tmp_path / "source" / "wind_speed.tif", small_disk / "download" / "wind_speed.tif")
    assert list((small_disk / "download").iterdir()) == []
    filler.unlink()

    run_dir = small_disk / "run-1"
    noisy_raster(run_dir / "wind_speed.tif")
    with pytest.raises(DiskFullError, match="no space left"):
        ensure_display_cog(run_dir / "wind_speed.tif", display_path_for(run_dir / "wind_speed.tif"))
    assert [p.name for p in run_dir.iterdir()] == ["wind_speed.tif"]
    assert_whole(tmp_path / "source" / "wind_speed.tif", values)


@pytest.mark.parametrize("case", ["read_only", "a_file"])
def test_a_run_on_an_unwritable_raster_cache_refuses_before_any_step(gpkg_store, tmp_path, case):
    gpkg_store.publish(hand_result("run-before"))
    if case == "read_only":
        cache = tmp_path / "ro"
        _mount_tmpfs(cache, "1m", "ro")
    else:
        cache = tmp_path / "raster_cache"
        cache.write_text("not a folder", encoding="utf-8")
    region = load_region("lk-leipzig", REGIONS, tmp_path / "data")
    try:
        with pytest.raises(DiskFullError) as caught:
            run_pipeline(region, gpkg_store, load_params(PARAMS), raster_cache=cache, prepare=None)
    finally:
        if case == "read_only":
            subprocess.run(["umount", str(cache)], check=False)
    message = str(caught.value)
    assert message.startswith(f"the raster cache {cache} is not writable (")
    assert ("Read-only file system" if case == "read_only" else "File exists") in message
    assert "POTENZIAL_RASTER_CACHE" in message
    assert gpkg_store.current_run().run_id == "run-before"
    assert gpkg_store.attempts() == []  # refused before taking the lock: no run was started
    assert not (tmp_path / "data").exists() or not any((tmp_path / "data").rglob("*.gpkg"))  # no stand-ins

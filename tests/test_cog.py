"""Analysis rasters as Cloud-Optimized GeoTIFFs (EPSG:25833): rewritten in place, copied, clipped to a
municipality; validated with rio-cogeo's validator (an independent implementation of the COG rules)."""

from __future__ import annotations

import numpy as np
import pytest
import rasterio
from rasterio.transform import from_origin
from rio_cogeo.cogeo import cog_validate
from shapely.geometry import Polygon, box

from potenzial.errors import CRSError, InputDataError
from potenzial.tiles.cog import clip_to_cog, ensure_cog, ensure_run_cogs, is_cog
from potenzial.tiles.grid import tile_for_lonlat, tiles_covering

X0, Y0 = 340_000.0, 5_700_000.0  # north-west corner [m, EPSG:25833]
CELL_M = 10.0
NODATA = -9999.0


def write_plain(path, crs="EPSG:25833", width=120, height=100):
    """A striped (not COG) GeoTIFF: the value of cell (row, col) is row * 1000 + col."""
    rows, cols = np.mgrid[0:height, 0:width]
    values = (rows * 1000 + cols).astype(np.float32)
    with rasterio.open(path, "w", driver="GTiff", width=width, height=height, count=1, dtype="float32", crs=crs,
                       transform=from_origin(X0, Y0, CELL_M, CELL_M), nodata=NODATA) as dst:
        dst.write(values, 1)
        dst.update_tags(units="m")
    return path


def test_a_plain_geotiff_becomes_a_valid_cog_with_the_same_values_crs_and_tags(tmp_path):
    path = write_plain(tmp_path / "distance.tif")
    assert not cog_validate(str(path))[0] and not is_cog(path)
    assert ensure_cog(path) is True
    valid, errors, _warnings = cog_validate(str(path))
    assert valid, errors
    with rasterio.open(path) as src:
        assert src.crs.to_epsg() == 25833 and src.nodata == NODATA and src.tags()["units"] == "m"
        assert src.read(1)[37, 81] == 37_081.0
    assert ensure_cog(path) is False  # already one: left alone


def test_the_run_folder_rasters_become_cogs_but_not_their_display_copies(tmp_path):
    write_plain(tmp_path / "wind_exclusion_count.tif")
    display = write_plain(tmp_path / "wind_exclusion_count.3857.tif")
    assert ensure_run_cogs(tmp_path) == [tmp_path / "wind_exclusion_count.tif"]
    assert cog_validate(str(tmp_path / "wind_exclusion_count.tif"))[0]
    assert not is_cog(display)


def test_a_clip_keeps_each_cell_in_place_and_blanks_cells_outside_the_outline(tmp_path):
    source = write_plain(tmp_path / "terrain.tif")
    # a triangle inside the box x 340,055..340,205, y 5,699,500..5,699,800: cols 5..20, rows 20..50
    triangle = Polygon([(X0 + 55, Y0 - 500), (X0 + 205, Y0 - 500), (X0 + 55, Y0 - 200)])
    clipped = clip_to_cog(source, triangle, tmp_path / "out" / "terrain.tif")
    assert cog_validate(str(clipped))[0]
    with rasterio.open(clipped) as src:
        assert src.crs.to_epsg() == 25833
        assert (src.width, src.height) == (16, 30)
        assert (src.transform.c, src.transform.f) == (X0 + 50, Y0 - 200)
        data = src.read(1)
    # the cell at the triangle's right-angle corner, bottom-left: row 49, col 5 of the source
    assert data[29, 0] == 49_005.0
    # the top-right corner of the box is outside the triangle: nodata
    assert data[0, 15] == NODATA


def test_a_raster_in_another_crs_or_missing_the_area_is_refused_with_the_fix(tmp_path):
    wrong = write_plain(tmp_path / "wgs.tif", crs="EPSG:32633")
    with pytest.raises(CRSError, match="EPSG:32633, not EPSG:25833; reproject"):
        clip_to_cog(wrong, box(X0, Y0 - 100, X0 + 100, Y0), tmp_path / "a.tif")
    source = write_plain(tmp_path / "terrain.tif")
    with pytest.raises(InputDataError, match="does not cover the area"):
        clip_to_cog(source, box(0, 0, 10, 10), tmp_path / "b.tif")
    assert not (tmp_path / "a.tif").exists() and not (tmp_path / "b.tif").exists()


def test_tiles_covering_are_the_tiles_between_the_corner_tiles():
    # a box from the tile of Markkleeberg's corner to Grimma's at z12: tiles found independently
    west, north, east, south = 12.30, 51.40, 12.80, 51.10
    _, x0, y0 = tile_for_lonlat(west, north, 12)
    _, x1, y1 = tile_for_lonlat(east, south, 12)
    from potenzial.tiles.grid import bounds_to_3857

    bounds = bounds_to_3857((west, south, east, north), 4326)
    found = tiles_covering(bounds, 12)
    assert set(found) == {(x, y) for x in range(x0, x1 + 1) for y in range(y0, y1 + 1)}
    assert tiles_covering((0.0, 0.0, 0.0, 0.0), 8) == []

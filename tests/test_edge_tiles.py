"""Tiles at the edge of the WebMercatorQuad grid, and of zoom 0 and 1, reach where EPSG:25833 has
no coordinates (transverse Mercator has no value 90° from its central meridian, 15° E, on the
equator). Both stores cut such a tile to where the transform is defined and answer it: the
features where they are, nothing elsewhere, never an error.
"""

from __future__ import annotations

import math

import pytest
from pyproj import Transformer

from potenzial.tiles.grid import ORIGIN_M, tile_bounds_3857_within
from potenzial.tiles.mvt import decode
from tests.support.hand_run import X0, Y0, hand_result

KINDS = ["gpkg", pytest.param("postgis", marks=pytest.mark.postgis)]
MARGIN = 64 / 4096  #: the vector tiles' buffer [tile widths]


@pytest.fixture
def store(request):
    return request.getfixturevalue(f"{request.param}_store")


def edge_tiles(z: int) -> list[tuple[int, int]]:
    """Every tile of zoom ``z`` in the first or last column or row (all tiles for z <= 1)."""
    n = 2**z
    return [(x, y) for x in range(n) for y in range(n) if x in (0, n - 1) or y in (0, n - 1)]


def tile_holding(lon: float, lat: float, z: int) -> tuple[int, int]:
    """The slippy-map formula: x = ⌊(lon + 180) / 360 · 2^z⌋, y = ⌊(1 − asinh(tan φ) / π) / 2 · 2^z⌋."""
    n = 2**z
    return int((lon + 180) / 360 * n), int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)


def test_a_tile_is_cut_to_80_degrees_either_side_of_15_east():
    # z1 (1, 0) with a quarter-tile margin: x -0.25·O … 1.25·O, y -0.25·O … 1.25·O (O = 20 037 508.34 m);
    # the east end is cut at 15 + 80 = 95° E = 95/180·O, the north end at the world's edge O
    assert tile_bounds_3857_within(1, 1, 0, margin=0.25) == pytest.approx(
        (-0.25 * ORIGIN_M, -0.25 * ORIGIN_M, 95 / 180 * ORIGIN_M, ORIGIN_M))
    # z0 with the vector buffer: west cut at 15 - 80 = -65° = -65/180·O
    assert tile_bounds_3857_within(0, 0, 0, margin=MARGIN) == pytest.approx(
        (-65 / 180 * ORIGIN_M, -ORIGIN_M, 95 / 180 * ORIGIN_M, ORIGIN_M))
    # z2 x=0 spans -180° … -90°, z3 x=1 -135° … -90°: wholly west of -65°, nothing to transform
    assert tile_bounds_3857_within(2, 0, 1) is None and tile_bounds_3857_within(3, 1, 3) is None
    # z3 x=2 spans -90° … -45°: cut to -65° … -45°
    minx, _, maxx, _ = tile_bounds_3857_within(3, 2, 3)
    assert (minx, maxx) == pytest.approx((-65 / 180 * ORIGIN_M, -45 / 180 * ORIGIN_M))


@pytest.mark.parametrize("store", KINDS, indirect=True)
def test_every_edge_tile_and_every_tile_of_zoom_0_to_2_is_answered(store):
    """Two 50 km squares from (340 000, 5 690 000) m in EPSG:25833 (about 12.7° E 51.3° N) eastwards, 5 px
    wide even at zoom 0 (a pixel there is 2 · 20 037 508 m / 4096 = 9 784 m): they are in the one tile of
    zoom 0…2 that holds their centre (12.7° E … 14.2° E, 51.3° N … 51.8° N lies within 0° … 90° E and
    0° … 66.5° N), and in no edge tile from zoom 3 on (the grid's edges are far away). Every tile of
    zoom 0…2, every edge tile of zoom 3…6 and the four corner tiles of zoom 7…22 are asked for."""
    store.publish(hand_result("run-1", side_m=50_000.0))
    lon, lat = Transformer.from_crs(25833, 4326, always_xy=True).transform(X0 + 50_000, Y0 + 25_000)
    asked = 0
    for z in range(23):
        n = 2**z
        tiles = ([(x, y) for x in range(n) for y in range(n)] if z <= 2 else edge_tiles(z) if z <= 6
                 else [(0, 0), (0, n - 1), (n - 1, 0), (n - 1, n - 1)])
        home = tile_holding(lon, lat, z) if z <= 2 else None
        for x, y in tiles:
            data = store.vector_tile("municipalities", z, x, y)
            asked += 1
            if (x, y) == home:
                features = decode(data)["municipalities"]["features"]
                assert sorted(f["properties"]["ags"] for f in features) == ["14729001", "14729002"], (z, x, y)
            else:
                assert data == b"", (z, x, y)
    assert asked == 1 + 4 + 16 + (28 + 60 + 124 + 252) + 16 * 4

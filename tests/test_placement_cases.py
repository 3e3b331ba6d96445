"""Turbine placement case by case: the spacing ellipse, its stencil and the greedy order, by hand.

Conventions (potenzial.wind.placement): offsets are dx east, dy north [m]; the main wind direction
is an azimuth (0 = north, 90 = east); u is the offset along it, v across it; two turbines are too
close when (u/a)² + (v/b)² < 1. Rows of a grid count southward, so a cell dr rows below another
is dy = −dr × res metres north of it.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from potenzial.exclusions import Grid
from potenzial.wind.placement import ellipse_stencil, place_turbines, spacing_metric

X0, Y0 = 330_000.0, 5_680_000.0


def grid(height: int, width: int, res_m: float = 10.0) -> Grid:
    g = Grid.from_bounds((X0, Y0, X0 + width * res_m, Y0 + height * res_m), res_m)
    assert g.shape == (height, width)
    return g


def place(eligible, g, *, rotor_m=100.0, along=5.0, across=3.0, direction=90.0, labels=None):
    rows, cols = place_turbines(eligible, g, rotor_diameter_m=rotor_m, along_diameters=along,
                                across_diameters=across, direction_deg=direction, labels=labels)
    return list(zip(rows.tolist(), cols.tolist(), strict=True))


# ------------------------------------------------------------------------------ the ellipse metric

def test_spacing_metric_along_and_across_an_east_wind():
    """Wind along the east-west axis (90°): u = dx, v = −dy; a = 500 m, b = 300 m."""
    dx = np.array([250.0, 0.0, 300.0, -500.0, 0.0])
    dy = np.array([0.0, 150.0, 240.0, 0.0, -300.0])
    metric = spacing_metric(dx, dy, along_m=500.0, across_m=300.0, direction_deg=90.0)
    # 0.5², 0.5², 0.6² + 0.8², exactly a along, exactly b across
    np.testing.assert_allclose(metric, [0.25, 0.25, 1.0, 1.0, 1.0], rtol=1e-12)


def test_spacing_metric_along_and_across_a_north_wind():
    """Wind along the north-south axis (0°): u = dy, v = dx."""
    metric = spacing_metric(np.array([150.0, 0.0]), np.array([0.0, 250.0]), along_m=500.0, across_m=300.0,
                            direction_deg=0.0)
    np.testing.assert_allclose(metric, [0.25, 0.25], rtol=1e-12)


def test_spacing_metric_at_an_oblique_direction():
    """At 30°: u = dx sin 30° + dy cos 30°, v = dx cos 30° − dy sin 30°. For (100, 100) m that is
    u = 100 (½ + √3/2) and v = 100 (√3/2 − ½); with a = u and b = v the metric is 1 + 1 = 2, and
    the mirrored offset (100, −100) has u' = −v, v' = u: (v/u)² + (u/v)²."""
    u = 100.0 * (0.5 + math.sqrt(3) / 2)
    v = 100.0 * (math.sqrt(3) / 2 - 0.5)
    metric = spacing_metric(np.array([100.0, 100.0]), np.array([100.0, -100.0]), along_m=u, across_m=v,
                            direction_deg=30.0)
    np.testing.assert_allclose(metric, [2.0, (v / u) ** 2 + (u / v) ** 2], rtol=1e-12)


# ------------------------------------------------------------------------------ the stencil

def test_stencil_of_an_east_wind_by_hand():
    """res 100 m, a = 500 m, b = 300 m: reach = ceil(500/100) + 1 = 6, shape 13 × 13. Blocked are
    the cells strictly inside: row 0 |dc| ≤ 4 (9), rows ±1 dc² < 25·8/9 (|dc| ≤ 4, 9 each), rows ±2
    dc² < 25·5/9 (|dc| ≤ 3, 7 each), rows ±3 none (exactly b): 41 cells."""
    stencil = ellipse_stencil(100.0, along_m=500.0, across_m=300.0, direction_deg=90.0)
    assert stencil.shape == (13, 13) and stencil.dtype == bool
    c = 6
    assert stencil.sum() == 41
    assert stencil[c, c - 4:c + 5].all() and not stencil[c, c + 5] and not stencil[c, c - 5]  # 5 cells = a: free
    assert stencil[c - 2:c + 3, c].all() and not stencil[c + 3, c] and not stencil[c - 3, c]  # 3 cells = b: free
    assert stencil[c + 2, c + 3] and not stencil[c + 2, c + 4]
    # a north wind turns the ellipse by a right angle
    north = ellipse_stencil(100.0, along_m=500.0, across_m=300.0, direction_deg=0.0)
    assert np.array_equal(north, stencil.T)


def test_stencil_reach_follows_the_longer_axis():
    """a = 300 m, b = 450 m at res 100 m: reach = ceil(4.5) + 1 = 6."""
    assert ellipse_stencil(100.0, along_m=300.0, across_m=450.0, direction_deg=90.0).shape == (13, 13)
    assert ellipse_stencil(100.0, along_m=450.0, across_m=300.0, direction_deg=90.0).shape == (13, 13)
    assert ellipse_stencil(100.0, along_m=400.0, across_m=300.0, direction_deg=90.0).shape == (11, 11)


def test_stencil_points_north_east_for_a_45_degree_wind():
    """At 45° the long axis runs to the north-east: 3 cells up and right (dx = dy = 300 m) is
    u = 424 m along (blocked under a = 500 m), 3 up and left is 424 m across (free under b = 100 m)."""
    stencil = ellipse_stencil(100.0, along_m=500.0, across_m=100.0, direction_deg=45.0)
    c = stencil.shape[0] // 2
    assert stencil[c - 3, c + 3] and stencil[c + 3, c - 3]  # north-east and south-west
    assert not stencil[c - 3, c - 3] and not stencil[c + 3, c + 3]  # north-west and south-east


# ------------------------------------------------------------------------------ greedy placement

def test_nothing_eligible_places_nothing():
    rows, cols = place_turbines(np.zeros((5, 5), dtype=bool), grid(5, 5), rotor_diameter_m=100.0,
                                along_diameters=5.0, across_diameters=3.0, direction_deg=90.0)
    assert rows.dtype == np.int64 and cols.dtype == np.int64 and len(rows) == len(cols) == 0


def test_a_strip_across_the_wind_holds_one_turbine_per_three_diameters():
    """An east-west strip of 500 cells (10 m) under a north wind: spacing 3 D = 300 m = 30 cells."""
    eligible = np.zeros((3, 500), dtype=bool)
    eligible[1, :] = True
    assert place(eligible, grid(3, 500), direction=0.0) == [(1, c) for c in range(0, 500, 30)]


def test_rows_are_walked_from_where_the_wind_axis_starts():
    """The same east-west strip with the spacing along it (5 D = 50 cells): under a 90° wind the walk
    starts at the west end, under 270° at the east end (u = −x)."""
    eligible = np.ones((1, 500), dtype=bool)
    assert place(eligible, grid(1, 500), direction=90.0) == [(0, c) for c in range(0, 500, 50)]
    assert place(eligible, grid(1, 500), direction=270.0) == [(0, c) for c in range(499, 0, -50)]


def test_a_north_south_strip_under_a_north_wind_starts_in_the_south():
    """u = dy grows northward, so the southernmost cell comes first; 50 cells of 10 m are 490 m
    between the outer centres, less than 5 D: one turbine, in the bottom row."""
    eligible = np.ones((50, 1), dtype=bool)
    assert place(eligible, grid(50, 1), direction=0.0) == [(49, 0)]
    # 51 cells: the northernmost centre is exactly 500 m away (not closer than the spacing)
    assert place(np.ones((51, 1), dtype=bool), grid(51, 1), direction=0.0) == [(50, 0), (0, 0)]


def test_the_row_across_the_wind_comes_before_the_position_along_it():
    """Under a 90° wind the walk goes row by row from the north: a cell in the first row, 100 m east,
    wins over a cell one row further south at the west edge (they are too close for both)."""
    eligible = np.zeros((3, 20), dtype=bool)
    eligible[0, 10] = True
    eligible[1, 0] = True
    assert place(eligible, grid(3, 20)) == [(0, 10)]


def test_under_a_north_wind_the_walk_goes_column_by_column_from_the_west():
    """At 0° the across-wind coordinate is x: the cell in the western column comes first even though the
    other one, a column further east, lies further south (further back along the wind); 50 m apart
    north-south and 10 m east-west they are too close for both."""
    eligible = np.zeros((6, 3), dtype=bool)
    eligible[0, 0] = True
    eligible[5, 1] = True
    assert place(eligible, grid(6, 3), direction=0.0) == [(0, 0)]


def test_at_45_degrees_candidates_are_binned_into_rows_one_cell_wide_across_the_wind():
    """At 45° (res 10 m) the across-wind coordinate of cell (r, c) is v = 7.07 (r + c) m and the walk
    bins it by round(v / 10 m): (0, 1) with v = 7.07 and (2, 0) with v = 14.1 share bin 1, so the one
    further back along the wind, u = 7.07 (c − r): −14.1 for (2, 0) against 7.07, comes first. They are
    22 m apart: one turbine."""
    eligible = np.zeros((3, 3), dtype=bool)
    eligible[0, 1] = True
    eligible[2, 0] = True
    assert place(eligible, grid(3, 3), direction=45.0) == [(2, 0)]


def test_a_free_candidate_right_after_a_placed_turbine_gets_one_too():
    """Two cells 990 m apart on a 1 km row (wind from the east, 5 D = 500 m): both are turbines."""
    eligible = np.zeros((1, 100), dtype=bool)
    eligible[0, [0, 99]] = True
    assert place(eligible, grid(1, 100)) == [(0, 0), (0, 99)]


def test_a_turbine_blocks_only_its_own_area_with_labels():
    """Two areas side by side in one row (cols 0–9 and 10–19): without labels the first turbine
    blocks the whole 200 m row (5 D = 500 m); with labels each area gets its own."""
    eligible = np.ones((1, 20), dtype=bool)
    labels = np.array([[1] * 10 + [2] * 10])
    assert place(eligible, grid(1, 20)) == [(0, 0)]
    assert place(eligible, grid(1, 20), labels=labels) == [(0, 0), (0, 10)]


def test_only_eligible_cells_get_turbines():
    eligible = np.zeros((4, 4), dtype=bool)
    eligible[2, 3] = True
    assert place(eligible, grid(4, 4)) == [(2, 3)]


def test_a_whole_chunk_of_blocked_candidates_is_skipped():
    """A circle of 6 D = 600 m (60 cells): one cell in the top row and 5,300-odd cells of the half disc
    below it, all within 59 cells of it, are blocked by its turbine (more than one chunk of 4,096
    candidates); one more cell 69 rows below, beyond the spacing, gets the second turbine."""
    height, width, centre = 70, 131, 65
    rr, cc = np.mgrid[0:height, 0:width]
    eligible = (rr >= 1) & ((rr ** 2 + (cc - centre) ** 2) <= 59 ** 2)
    eligible[0, centre] = True
    eligible[69, centre] = True
    assert eligible.sum() > 4096 + 1000
    assert place(eligible, grid(height, width), along=6.0, across=6.0) == [(0, centre), (69, centre)]


@pytest.mark.parametrize("direction", [0.0, 90.0, 240.0])
def test_the_spacing_holds_on_a_full_block_and_the_packing_is_stable(direction):
    """A 2 km × 1 km block at 20 m: every pair keeps the ellipse, and a second call gives the same
    turbines."""
    g = grid(50, 100, res_m=20.0)
    eligible = np.ones(g.shape, dtype=bool)
    first = place(eligible, g, direction=direction)
    rows, cols = np.array(first).T
    x, y = g.centers(rows, cols)
    i, j = np.triu_indices(len(x), 1)
    metric = spacing_metric(x[j] - x[i], y[j] - y[i], along_m=500.0, across_m=300.0, direction_deg=direction)
    assert metric.min() >= 1.0 - 1e-9
    assert len(first) > 1
    assert place(eligible, g, direction=direction) == first

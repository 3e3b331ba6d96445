"""Turbine placement: greedy, deterministic, with elliptic spacing.

Two turbines keep the spacing when their offset (u along the main wind direction, v across
it) satisfies (u / a)² + (v / b)² >= 1 with a = ``along`` × D and b = ``across`` × D (default
5 D and 3 D, D the rotor diameter). Mast feet stand on cell centres of the eligible raster.

Candidates are visited row by row across the wind (sorted by the across-wind coordinate,
then along the wind), which packs the rows of a park in a staggered pattern; each placed
turbine blocks the cells of its spacing ellipse. The same raster always gives the same
turbines. Because every check uses the same offsets the test uses, the spacing holds for
every pair (to 1e-9 of the ellipse metric, i.e. rounding).
"""

from __future__ import annotations

import math

import numpy as np

from potenzial.grid import Grid

_TOLERANCE = 1e-9  #: ellipse metric below 1 - this is a conflict (exactly 1 = exactly the spacing is fine)
_CHUNK = 4096


def spacing_metric(dx_m: np.ndarray, dy_m: np.ndarray, *, along_m: float, across_m: float,
                   direction_deg: float) -> np.ndarray:
    """(u/a)² + (v/b)² for offsets (dx east, dy north) [m]; < 1 means too close.

    ``direction_deg`` is the main wind direction as an azimuth (0 = north, 90 = east; 240 =
    from the south-west): u is the component along it, v across it.
    """
    theta = math.radians(direction_deg)
    su, cu = math.sin(theta), math.cos(theta)
    u = np.asarray(dx_m) * su + np.asarray(dy_m) * cu
    v = np.asarray(dx_m) * cu - np.asarray(dy_m) * su
    return (u / along_m) ** 2 + (v / across_m) ** 2


def ellipse_stencil(res_m: float, *, along_m: float, across_m: float, direction_deg: float) -> np.ndarray:
    """Boolean stencil (odd shape, centre = the turbine's cell) of cells a turbine blocks."""
    reach = int(math.ceil(max(along_m, across_m) / res_m)) + 1
    off = np.arange(-reach, reach + 1)
    dr, dc = np.meshgrid(off, off, indexing="ij")
    metric = spacing_metric(dc * res_m, -dr * res_m, along_m=along_m, across_m=across_m,
                            direction_deg=direction_deg)
    return metric < 1.0 - _TOLERANCE


def place_turbines(eligible: np.ndarray, grid: Grid, *, rotor_diameter_m: float, along_diameters: float,
                   across_diameters: float, direction_deg: float,
                   labels: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Rows and columns of the turbines placed on the ``eligible`` cells (greedy, deterministic).

    With ``labels`` (an area id per cell), a turbine blocks only cells of its own area: every area
    is packed as if it were alone (how many turbines it has room for on its own).
    """
    along_m = along_diameters * rotor_diameter_m
    across_m = across_diameters * rotor_diameter_m
    flat = np.flatnonzero(eligible.ravel())
    if len(flat) == 0:
        return np.array([], dtype=np.int64), np.array([], dtype=np.int64)
    rows, cols = np.divmod(flat, grid.width)
    theta = math.radians(direction_deg)
    x = cols * grid.res_m
    y = -rows * grid.res_m
    u = x * math.sin(theta) + y * math.cos(theta)
    v = x * math.cos(theta) - y * math.sin(theta)
    order = np.lexsort((flat, u, np.round(v / grid.res_m)))
    candidates = flat[order]
    del rows, cols, x, y, u, v, order

    stencil = ellipse_stencil(grid.res_m, along_m=along_m, across_m=across_m, direction_deg=direction_deg)
    reach = stencil.shape[0] // 2
    blocked = np.zeros(grid.shape, dtype=bool)
    blocked_flat = blocked.ravel()  # a view: stencil writes show up here
    placed: list[int] = []
    i = 0
    n = len(candidates)
    while i < n:
        chunk = candidates[i:i + _CHUNK]
        free = np.flatnonzero(~blocked_flat[chunk])
        if len(free) == 0:
            i += len(chunk)
            continue
        k = int(chunk[free[0]])
        placed.append(k)
        i += int(free[0]) + 1
        r, c = divmod(k, grid.width)
        r0, r1 = max(0, r - reach), min(grid.height, r + reach + 1)
        c0, c1 = max(0, c - reach), min(grid.width, c + reach + 1)
        block = stencil[r0 - (r - reach):r1 - (r - reach), c0 - (c - reach):c1 - (c - reach)]
        if labels is not None:
            block = block & (labels[r0:r1, c0:c1] == labels[r, c])
        blocked[r0:r1, c0:c1] |= block
    out = np.asarray(placed, dtype=np.int64)
    return np.divmod(out, grid.width)


def spacing_mask(shape: tuple[int, int], rows: np.ndarray, cols: np.ndarray, *, res_m: float,
                 rotor_diameter_m: float, along_diameters: float, across_diameters: float,
                 direction_deg: float) -> np.ndarray:
    """Cells too close to the turbines standing at (``rows``, ``cols``): inside one of their spacing
    ellipses (a cell at exactly the spacing is free, as in :func:`place_turbines`). Placing on the
    eligible cells outside this mask adds turbines that keep the spacing to the standing ones."""
    stencil = ellipse_stencil(res_m, along_m=along_diameters * rotor_diameter_m,
                              across_m=across_diameters * rotor_diameter_m, direction_deg=direction_deg)
    reach = stencil.shape[0] // 2
    height, width = shape
    blocked = np.zeros(shape, dtype=bool)
    for r, c in zip(np.asarray(rows, dtype=np.int64), np.asarray(cols, dtype=np.int64), strict=True):
        r0, r1 = max(0, r - reach), min(height, r + reach + 1)
        c0, c1 = max(0, c - reach), min(width, c + reach + 1)
        blocked[r0:r1, c0:c1] |= stencil[r0 - (r - reach):r1 - (r - reach), c0 - (c - reach):c1 - (c - reach)]
    return blocked

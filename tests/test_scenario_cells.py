"""The what-if map's packed cells (potenzial/scenarios/cells.py) on hand-made grids: the values by hand,
the eligibility rule against the histograms the figures come from, and the RGBA tile read back by Pillow."""

from __future__ import annotations

import io

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from potenzial.errors import ConfigError
from potenzial.scenarios import BandTable, setback_histograms
from potenzial.scenarios.cells import NODATA, CellEncoding, eligible, encoding_for, pack_cells
from potenzial.serving.scenario_cells import rgba_tile
from potenzial.tiles.png import encode_rgba_png

ENC = encoding_for(("forest", "lsg"), 2000.0)


def test_cells_by_hand():
    assert ENC.cap_m == 2001 and ENC.bits == 2
    distance = np.array([[0.0, 450.4, 999.6, 1500.0], [3000.0, 800.0, 800.0, 1200.0]], dtype=np.float32)
    free = np.array([[True, True, True, True], [True, False, True, True]])
    forest = np.array([[False, True, False, False], [False, False, True, False]])
    lsg = np.array([[False, False, False, True], [False, False, True, False]])
    inside = np.array([[True, True, True, True], [True, True, True, False]])
    exempt = np.zeros_like(free)
    exempt[0, 0] = True  # e.g. inside a designated wind area: the setback does not apply
    cells = pack_cells(ENC, distance, free, [forest, lsg], inside, exempt)
    # (distance << 2) | forest·1 | lsg·2; capped at 2,001 m; not free or outside: no data
    assert cells.tolist() == [[2001 * 4, 450 * 4 + 1, 1000 * 4, 1500 * 4 + 2],
                              [2001 * 4, NODATA, 800 * 4 + 3, NODATA]]
    assert eligible(cells, ENC, 1000.0, ["forest"]).tolist() == [[True, False, False, True],
                                                                 [True, False, False, False]]
    assert eligible(cells, ENC, 1000.0, ["forest", "lsg"]).tolist() == [[True, False, False, False],
                                                                        [True, False, False, False]]
    assert eligible(cells, ENC, 400.0, []).tolist() == [[True, True, True, True], [True, False, True, False]]
    # a cell exactly at the setback is inside it (the histograms count distances above a threshold)
    assert not eligible(cells, ENC, 1000.0, [])[0, 2] and eligible(cells, ENC, 999.9, [])[0, 2]


def test_too_many_criteria_for_16_bits_is_a_config_error():
    with pytest.raises(ConfigError, match="at most 5 criteria"):
        CellEncoding(criteria=tuple(f"c{i}" for i in range(6)), cap_m=2001)


@settings(max_examples=60, deadline=None)
@given(st.integers(min_value=0, max_value=2**31 - 1), st.sampled_from([300.0, 625.0, 1000.0, 1975.0]),
       st.lists(st.booleans(), min_size=2, max_size=2))
def test_the_map_s_eligible_cells_are_the_figures_cells(seed, setback, switched):
    """Counting the eligible cells of the packed raster gives the histograms' eligible area (whole-metre
    distances, a setback on a threshold): the layer on the map and the numbers beside it agree."""
    rng = np.random.default_rng(seed)
    shape = (30, 40)
    distance = rng.integers(0, 2600, size=shape).astype(np.float32)
    free = rng.random(shape) < 0.7
    hits = [rng.random(shape) < 0.3, rng.random(shape) < 0.2]
    zones = rng.integers(0, 4, size=shape).astype(np.int32)  # 0: outside, 1..3 municipalities
    exempt = rng.random(shape) < 0.05
    thresholds = np.arange(300.0, 2000.0 + 1, 25.0)
    counts = setback_histograms(distance, free, hits, zones, 3, thresholds, exempt)
    table = BandTable.from_counts(["a", "b", "c"], ENC.criteria, thresholds, counts, counts[:, :1, :] * 0, 1e4)
    on = [c for c, s in zip(ENC.criteria, switched, strict=True) if s]
    cells = pack_cells(ENC, distance, free, hits, zones > 0, exempt)
    ok = eligible(cells, ENC, setback, on)
    by_zone = [int(ok[zones == z].sum()) for z in (1, 2, 3)]
    assert by_zone == pytest.approx(table.eligible_ha(setback, on).tolist())  # 1 ha cells


def test_rgba_tile_reads_back_unchanged():
    values = np.array([[0, 255, 256, 8004], [32031, 65535, 1, 4]], dtype=np.float32)
    valid = np.array([[True, True, True, True], [True, True, True, False]])
    png = encode_rgba_png(rgba_tile(values, valid))
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG" and image.mode == "RGBA" and image.size == (4, 2)
    rgba = np.asarray(image)
    packed = rgba[..., 0].astype(int) * 256 + rgba[..., 1]
    assert packed[rgba[..., 3] == 255].tolist() == [0, 255, 256, 8004, 32031, 1]
    # no data (the no-data value, or invalid) is transparent
    assert rgba[1, 1, 3] == 0 and rgba[1, 3, 3] == 0 and rgba[..., 2].max() == 0

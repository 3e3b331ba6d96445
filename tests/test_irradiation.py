"""GHI -> plane-of-array -> specific yield: hand checks and the published range for Leipzig."""

import numpy as np
import pandas as pd
import pyogrio
import pytest

from potenzial.errors import ConfigError, InputDataError
from potenzial.irradiation import (
    GHI_COLUMNS,
    IrradiationParams,
    YieldLookup,
    build_lookup,
    cells_from_points,
    erbs_monthly_diffuse_fraction,
    irradiation_params,
    plane_yield,
    typical_days,
)
from potenzial.settings import PROJECT_ROOT

DATA = PROJECT_ROOT / "layers" / "regions" / "lk-leipzig" / "data"
PARAMS = IrradiationParams()


@pytest.fixture(scope="module")
def ghi_points():
    return pyogrio.read_dataframe(DATA / "solar_ghi_cmsaf_points_leipzig_region.gpkg", layer="ghi_lta")


@pytest.fixture(scope="module")
def county():
    return pyogrio.read_dataframe(DATA / "admin_vg5000_2021_sachsen.gpkg", layer="lk_leipzig_gemeinden")


@pytest.fixture(scope="module")
def lookup(ghi_points, county):
    cells = cells_from_points(ghi_points)
    xmin, ymin, xmax, ymax = county.total_bounds
    near = cells[(cells.x > xmin - 25_000) & (cells.x < xmax + 25_000)
                 & (cells.y > ymin - 25_000) & (cells.y < ymax + 25_000)]
    return build_lookup(near, PARAMS)


def leipzig_days():
    # the CM SAF cell at 51.2 N, 12.4 E (county centre), monthly means in W/m²
    monthly = [29, 58, 107, 168, 200, 219, 215, 186, 136, 80, 36, 24]
    return typical_days(51.2, 12.4, monthly, PARAMS), monthly


def test_typical_days_reproduce_the_monthly_means():
    days, monthly = leipzig_days()
    for month, mean_wm2 in enumerate(monthly, start=1):
        one = days[days.month == month]
        # energy of the typical day [Wh/m²] = monthly mean [W/m²] x 24 h
        day_wh = (one.ghi * one.weight_h).sum() / one.weight_h.iloc[0] * PARAMS.step_minutes / 60
        assert day_wh == pytest.approx(mean_wm2 * 24, rel=1e-9)
    assert (days.dhi <= days.ghi + 1e-9).all() and (days.dni >= 0).all()


def test_horizontal_plane_sees_exactly_the_ghi():
    days, monthly = leipzig_days()
    _, poa = plane_yield(days, 0.0, 180.0, PARAMS)
    annual_ghi = sum(m * 24 * d for m, d in zip(monthly, [31, 28.25, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31],
                                               strict=True)) / 1000
    assert float(poa) == pytest.approx(annual_ghi, rel=1e-3)


def test_erbs_monthly_correlation_by_hand():
    # Erbs et al. (1982), omega_s <= 81.4: 1.391 - 3.560 K + 4.189 K² - 2.137 K³ at K = 0.5
    assert float(erbs_monthly_diffuse_fraction(0.5, 70.0)) == pytest.approx(
        1.391 - 3.560 * 0.5 + 4.189 * 0.25 - 2.137 * 0.125)
    assert float(erbs_monthly_diffuse_fraction(0.5, 110.0)) == pytest.approx(
        1.311 - 3.022 * 0.5 + 3.427 * 0.25 - 1.821 * 0.125)


def test_south_beats_east_beats_north_and_east_equals_west():
    days, _ = leipzig_days()
    yields, _ = plane_yield(days, np.array([35.0, 35.0, 35.0, 35.0]), np.array([180.0, 90.0, 270.0, 0.0]), PARAMS)
    south, east, west, north = yields
    assert south > east > north
    assert east == pytest.approx(west, rel=0.02)


def test_south_35_deg_in_the_county_lies_in_the_published_range(lookup, county):
    # docs/METHOD.md: PVGIS gives roughly 1,000-1,100 kWh/kWp·a for an optimally tilted south system in
    # the Leipzig area. Every municipality's centre, unshaded south-facing plane at 35°.
    centres = county.geometry.representative_point()
    n = len(centres)
    values = lookup.interpolate(centres.x, centres.y, np.full(n, 35.0), np.full(n, 180.0))
    specific = values["specific_yield_kwh_per_kwp"]
    assert specific.between(1000.0, 1100.0).all(), specific.describe()
    # and the best orientation in the lookup is a south plane at 30-45°
    best = np.unravel_index(lookup.specific_yield_kwh_per_kwp[0].argmax(), lookup.specific_yield_kwh_per_kwp[0].shape)
    assert 30.0 <= lookup.tilts_deg[best[0]] <= 45.0 and lookup.azimuths_deg[best[1]] == 180.0


def test_annual_ghi_of_the_cells_matches_the_file(ghi_points):
    cells = cells_from_points(ghi_points).iloc[:3]
    built = build_lookup(cells, PARAMS)
    assert built.cell_ghi_kwh_per_m2 == pytest.approx(cells["ghi_kwh_m2_year_lta"].to_numpy(), abs=0.1)


def tiny_lookup() -> YieldLookup:
    """Three cells with hand-set tables: value = cell base + tilt + azimuth/10."""
    tilts = np.array([0.0, 30.0, 60.0, 90.0])
    azimuths = np.array([0.0, 90.0, 180.0, 270.0, 360.0])
    base = np.array([1000.0, 1100.0, 1200.0])
    table = base[:, None, None] + tilts[None, :, None] + azimuths[None, None, :] / 10
    return YieldLookup(cell_x_m=np.array([0.0, 1000.0, 0.0]), cell_y_m=np.array([0.0, 0.0, 1000.0]),
                       cell_ghi_kwh_per_m2=base, tilts_deg=tilts, azimuths_deg=azimuths,
                       specific_yield_kwh_per_kwp=table, poa_kwh_per_m2=table.copy())


def test_interpolation_is_linear_in_space_tilt_and_azimuth():
    lk = tiny_lookup()
    # at cell 0, on grid nodes
    assert lk.interpolate([0.0], [0.0], [30.0], [180.0])["specific_yield_kwh_per_kwp"][0] == pytest.approx(1048.0)
    # halfway between cells 0 and 1, between tilt nodes and azimuth nodes: all linear
    got = lk.interpolate([500.0], [0.0], [45.0], [135.0])["specific_yield_kwh_per_kwp"][0]
    assert got == pytest.approx(1050.0 + 45.0 + 13.5)
    # centroid of the triangle: mean of the three cells
    got = lk.interpolate([1000 / 3], [1000 / 3], [0.0], [0.0])["specific_yield_kwh_per_kwp"][0]
    assert got == pytest.approx(1100.0)
    # outside the triangle: the nearest cell
    got = lk.interpolate([5000.0], [-10.0], [0.0], [0.0])["specific_yield_kwh_per_kwp"][0]
    assert got == pytest.approx(1100.0)
    # relative irradiation: against the best orientation of the place
    values = lk.interpolate([0.0], [0.0], [90.0], [270.0])
    assert values["relative_irradiation"][0] == pytest.approx((1000 + 90 + 27) / (1000 + 90 + 36))


def test_bad_parameters_and_bad_ghi_are_user_errors():
    with pytest.raises(ConfigError, match="system_losses_share"):
        irradiation_params({"system_losses_share": 0.9})
    with pytest.raises(ConfigError, match="air_temperature_c_by_month"):
        irradiation_params({"air_temperature_c_by_month": [1.0, 2.0]})
    with pytest.raises(InputDataError, match="non-negative"):
        typical_days(51.2, 12.4, [-1.0] * 12, PARAMS)
    with pytest.raises(InputDataError, match="ghi_wm2_01"):
        build_lookup(pd.DataFrame({"lat": [51.0], "lon": [12.0], "x": [0.0], "y": [0.0]}), PARAMS)
    assert len(GHI_COLUMNS) == 12


def test_a_lookup_is_kept_by_the_hash_of_its_inputs(ghi_points, tmp_path):
    from potenzial.yield_lookups import cached_lookup, lookup_key

    cells = cells_from_points(ghi_points).iloc[:3]
    coarse = IrradiationParams(step_minutes=60, tilt_step_deg=30.0, azimuth_step_deg=90.0)
    built = build_lookup(cells, coarse)
    first = cached_lookup(cells, coarse, tmp_path)
    kept = tmp_path / f"{lookup_key(cells, coarse)}.npz"
    assert kept.is_file() and [p.name for p in tmp_path.iterdir()] == [kept.name]
    again = cached_lookup(cells, coarse, tmp_path)
    for lookup in (first, again):
        for field in ("cell_x_m", "cell_ghi_kwh_per_m2", "tilts_deg", "azimuths_deg", "specific_yield_kwh_per_kwp",
                      "poa_kwh_per_m2"):
            assert np.array_equal(getattr(lookup, field), getattr(built, field)), field
    # another parameter or another cell: another key; a broken file is computed again and replaced
    assert lookup_key(cells, coarse.model_copy(update={"albedo": 0.3})) != kept.stem
    assert lookup_key(cells.iloc[:2], coarse) != kept.stem
    kept.write_bytes(b"not a lookup")
    repaired = cached_lookup(cells, coarse, tmp_path)
    assert np.array_equal(repaired.specific_yield_kwh_per_kwp, built.specific_yield_kwh_per_kwp)
    assert kept.stat().st_size > 1000

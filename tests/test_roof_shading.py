"""Roof shading by neighbouring buildings and the terrain: hand-made scenes, horizons worked out by
hand (the arithmetic is in the comments), the loss from the irradiation chain's beam component."""

import math

import geopandas as gpd
import numpy as np
import pytest
import shapely
from affine import Affine
from pyproj import CRS

from potenzial.crs import ANALYSIS_CRS
from potenzial.irradiation import IrradiationParams, poa_components, typical_days
from potenzial.solar_roof import RoofParams
from potenzial.solar_roof.dsm import shading_factors
from potenzial.solar_roof.shading import (
    beam_loss_factors,
    building_heights_m,
    building_horizon,
    eye_heights_m,
    outline_pieces,
    shade_by_neighbours,
    sun_floor,
    terrain_horizon,
)
from potenzial.sources.dsm import SurfaceModel

IRR = IrradiationParams()
# horizontal modules on flat roofs, so that a flat plane is seen as it is
P = RoofParams(flat_module_tilt_deg=0.0)
# one CM SAF cell in the county (51.2 N, 12.4 E), monthly mean GHI [W/m²]
GHI = np.array([29, 58, 107, 168, 200, 219, 215, 186, 136, 80, 36, 24], dtype=float)


@pytest.fixture(scope="module")
def days():
    return typical_days(51.2, 12.4, GHI, IRR)


def buildings(rows):
    """(id, footprint, height_m) -> a building frame."""
    return gpd.GeoDataFrame({"building_id": [r[0] for r in rows], "height_m": [r[2] for r in rows]},
                            geometry=[r[1] for r in rows], crs=ANALYSIS_CRS)


def flat_plane(building_id, footprint):
    return gpd.GeoDataFrame({"building_id": [building_id], "method": ["footprint_flat"], "tilt_deg": [0.0],
                             "azimuth_deg": [180.0], "plane_area_m2": [footprint.area], "shading_factor": [1.0]},
                            geometry=[footprint], crs=ANALYSIS_CRS)


# A 10 x 10 m flat-roofed building, 10 m high (eye at its centre (0, 5), 10 m up), and 10 m to its
# south a block 100 m long (x -50 … 50, north wall at y = -5) and 30 m high: 20 m above the eye.
HOUSE = shapely.box(-5, 0, 5, 10)
BLOCK = shapely.box(-50, -25, 50, -5)


def hand_horizon():
    """Sector k (36 sectors, centred on 10°·k) looks 10·(k - 18)° off due south. The nearest point
    of the wall inside the sector lies max(0, 10·|k - 18| - 5)° off south, at 10 m / cos(that
    angle), so the horizon there is atan(20 · cos(angle) / 10). The wall ends atan(50 / 10) =
    78.7° off south: sectors 10 … 26 (|k - 18| ≤ 8, nearest edge 75° off) see it, the rest is open.
    Due south: atan(2) = 63.43°."""
    out = np.zeros(36)
    for k in range(10, 27):
        off = math.radians(max(0, 10 * abs(k - 18) - 5))
        out[k] = math.degrees(math.atan(20 * math.cos(off) / 10))
    return out


def test_horizon_of_a_wall_to_the_south_by_hand():
    pieces = outline_pieces(np.array([HOUSE, BLOCK], dtype=object), np.array([10.0, 30.0]), 4.0)
    horizon = building_horizon([0.0], [5.0], [10.0], [0], pieces, 36, 60.0)
    assert horizon[0, 18] == pytest.approx(63.435, abs=1e-3)  # atan(2)
    assert horizon[0] == pytest.approx(hand_horizon(), abs=1e-6)


def test_a_plane_next_to_a_tall_building_to_its_south_loses_the_beam_behind_it(days):
    b = buildings([("a", HOUSE, 10.0), ("s", BLOCK, 30.0)])
    shaded = shade_by_neighbours(flat_plane("a", HOUSE), b, days, P, IRR.albedo)
    # expected: the beam of every time step whose sun stands below the hand-made horizon of its
    # sector is lost; sky and ground diffuse stay (irradiance from the irradiation chain)
    beam, sky, ground, _ = poa_components(days, 0.0, 180.0, IRR.albedo)
    weight = days["weight_h"].to_numpy()
    sector = np.round(days["azimuth_deg"].to_numpy() / 10.0).astype(int) % 36
    below = 90.0 - days["zenith_deg"].to_numpy() < hand_horizon()[sector]
    expected = 1.0 - (beam * weight * below).sum() / ((beam + sky + ground) * weight).sum()
    assert shaded["shading_factor"].iloc[0] == pytest.approx(expected, abs=1e-9)
    # the sun never climbs above 62.2° here (90 - 51.2 + 23.44), below the 63.4° due south: all
    # noon beam is gone, and the plane keeps at least its diffuse share
    beam_share = (beam * weight).sum() / ((beam + sky + ground) * weight).sum()
    assert 1.0 - beam_share < expected < 0.75


def test_no_neighbour_means_no_loss(days):
    alone = shade_by_neighbours(flat_plane("a", HOUSE), buildings([("a", HOUSE, 10.0)]), days, P, IRR.albedo)
    assert alone["shading_factor"].iloc[0] == 1.0
    # a lower neighbour (8 m, below the 10 m eye) and one beyond the radius (70 m away) do not shade
    others = buildings([("a", HOUSE, 10.0), ("low", shapely.box(-5, -15, 5, -5), 8.0),
                        ("far", shapely.box(-5, -90, 5, -65), 40.0)])
    assert shade_by_neighbours(flat_plane("a", HOUSE), others, days, P, IRR.albedo)["shading_factor"].iloc[0] == 1.0


def test_the_same_loss_as_the_dsm_rule_for_any_horizon(days):
    # beam_loss_factors groups orientations to 1°: on whole degrees it equals the DSM rule
    rng = np.random.default_rng(3)
    horizon = rng.uniform(0, 40, size=(5, 36))
    tilt, azimuth = np.array([0.0, 15.0, 35.0, 35.0, 60.0]), np.array([180.0, 180.0, 90.0, 235.0, 0.0])
    assert beam_loss_factors(days, tilt, azimuth, horizon, IRR.albedo) == pytest.approx(
        shading_factors(days, tilt, azimuth, horizon, IRR.albedo), abs=1e-12)


def test_skipping_pieces_below_the_lowest_sun_changes_no_factor(days):
    # a village of 5 x 5 houses 12 m apart, heights 6 … 14 m: the horizon with and without the
    # shortcut differs only where it blocks no sun, so the factors are identical
    rng = np.random.default_rng(7)
    rows = [(f"h{k}", shapely.box(x, y, x + 9, y + 8), float(rng.uniform(6, 14)))
            for k, (x, y) in enumerate((21 * i, 20 * j) for i in range(5) for j in range(5))]
    b = buildings(rows)
    heights = building_heights_m(b, P)
    pieces = outline_pieces(np.asarray(b.geometry.values, dtype=object), heights, 4.0)
    eye = b.geometry.representative_point()
    args = (eye.x.to_numpy(), eye.y.to_numpy(), heights - 1.0, np.arange(len(b)), pieces, 36, 60.0)
    exact = building_horizon(*args)
    quick = building_horizon(*args, sun_floor_deg=sun_floor(days, 36))
    assert (exact > 0).sum() > (quick > 0).sum() > 0
    tilt, azimuth = np.full(len(b), 35.0), np.full(len(b), 180.0)
    assert beam_loss_factors(days, tilt, azimuth, quick, IRR.albedo) == pytest.approx(
        beam_loss_factors(days, tilt, azimuth, exact, IRR.albedo), abs=1e-12)


def test_a_hill_to_the_south_shades_through_the_terrain(days):
    # terrain: flat at 100 m, a ridge of 200 m from y = -200 to -300 m; with a 10 m lattice the
    # house's cell centre is (5, 5), the terrain eye 5 m up (105 m): the ridge's near edge is 205 m
    # due south, 95 m higher: atan(95 / 205) = 24.9° (the DEM is sampled along the ray, so a little
    # less where the samples step past the edge)
    res, n = 25.0, 80
    transform = Affine(res, 0, -1000, 0, -res, 1000)
    ys = 1000 - (np.arange(n) + 0.5) * res
    heights = np.full((n, n), 100.0)
    heights[(ys < -200) & (ys > -300), :] = 200.0
    terrain = SurfaceModel(heights, transform, CRS.from_epsg(25833))
    params = RoofParams(flat_module_tilt_deg=0.0, terrain_horizon_cell_m=10.0)
    horizon = terrain_horizon(terrain, [0.0], [5.0], params)
    assert math.degrees(math.atan(95 / 300)) < horizon[0, 18] <= math.degrees(math.atan(95 / 205)) + 1e-9
    assert horizon[0, 0] == 0.0  # open to the north
    b = buildings([("a", HOUSE, 10.0)])
    hill = shade_by_neighbours(flat_plane("a", HOUSE), b, days, params, IRR.albedo, terrain=terrain)
    assert hill["shading_factor"].iloc[0] == pytest.approx(
        beam_loss_factors(days, [0.0], [180.0], horizon, IRR.albedo)[0], abs=1e-12)
    assert hill["shading_factor"].iloc[0] < 0.99  # the low winter sun behind the ridge
    flat = shade_by_neighbours(flat_plane("a", HOUSE), b, days, params, IRR.albedo,
                               terrain=SurfaceModel(np.full((n, n), 100.0), transform, CRS.from_epsg(25833)))
    assert flat["shading_factor"].iloc[0] == 1.0


def test_heights_from_storeys_or_the_default():
    b = gpd.GeoDataFrame({"building_id": ["a", "b", "c"], "height_m": [12.5, None, None], "floors": [2, 3, None]},
                         geometry=[HOUSE] * 3, crs=ANALYSIS_CRS)
    # a: its height; b: 3 storeys x 3.0 m + 2.0 m roof = 11 m; c: the default 7 m
    assert building_heights_m(b, RoofParams()).tolist() == [12.5, 11.0, 7.0]


def test_switched_off_nothing_changes(days):
    b = buildings([("a", HOUSE, 10.0), ("s", BLOCK, 30.0)])
    off = shade_by_neighbours(flat_plane("a", HOUSE), b, days, RoofParams(shading_from_neighbours=False), IRR.albedo)
    assert off["shading_factor"].iloc[0] == 1.0


def test_the_eye_sits_at_the_roofs_mean_height():
    # a 12 x 10 m house, 9 m to the ridge, 35° gable: each half is 12 x 5 m, its rise 5 x tan(35°) =
    # 3.50 m, so the plane's mean point is 9 - 3.50 / 2 = 7.25 m up; a flat roof's is its top
    planes = gpd.GeoDataFrame({"tilt_deg": [35.0, 0.0]}, geometry=[shapely.box(0, 0, 12, 5), HOUSE],
                              crs=ANALYSIS_CRS)
    assert eye_heights_m(planes, np.array([9.0, 10.0])) == pytest.approx(
        [9.0 - 5 * math.tan(math.radians(35)) / 2, 10.0])

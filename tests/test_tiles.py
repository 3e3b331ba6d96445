"""Tile grid, ETags, colour scales, palette PNGs, display COGs, raster reads, Python MVT, the tile
cache and the serving services' pure parts (figures, clipping, styles, sources, neighbours, raster
facts and values): tiny hand-made inputs whose right answer is worked out by hand."""

from __future__ import annotations

import io
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import rasterio
import shapely
from rasterio.transform import from_origin

from potenzial.crs import ANALYSIS_CRS, WEB_MERCATOR
from potenzial.errors import ConfigError, InputDataError, NotFoundError
from potenzial.results import ResultSchema
from potenzial.runs import RunRecord
from potenzial.serving.figures import Figure, merge_figures
from potenzial.serving.geopackage import clip_to
from potenzial.serving.municipality import NEIGHBOUR_BUFFER_M, Municipality, find_municipality, neighbours_of
from potenzial.serving.point import raster_value
from potenzial.serving.raster_facts import raster_facts
from potenzial.serving.sources import SourceInfo, joined, provenance_of
from potenzial.serving.styles import layer_qml
from potenzial.serving.summaries import RunFigures
from potenzial.tiles import TileMatrixError, TileRequestError
from potenzial.tiles.cache import TileCache
from potenzial.tiles.colormap import ColourScale, palette
from potenzial.tiles.display import (
    RasterSidecar,
    build_display_cog,
    build_run_display_files,
    catalog_display_path,
    display_stats,
    parse_sidecar,
    run_rasters,
    write_sidecar,
)
from potenzial.tiles.etag import RENDER_VERSION, cache_control, etag_matches, tile_etag
from potenzial.tiles.grid import (
    MAX_ZOOM,
    ORIGIN_M,
    TILE_SIZE_PX,
    WORLD_M,
    check_tile,
    matrix_size,
    resolution_m,
    tile_area_km2,
    tile_bounds_3857,
    tile_bounds_in,
    tile_bounds_lonlat,
    tile_for_lonlat,
    zoom_for_ground_resolution,
    zoom_for_resolution,
)
from potenzial.tiles.mvt import decode, encode_layer
from potenzial.tiles.png import encode_palette_png
from potenzial.tiles.raster import TileSource, render_png
from tests.support.png import read_png

#: a tile in the middle of Landkreis Leipzig (Grimma) at zoom 12
Z, X, Y = 12, 2190, 1370


# ------------------------------------------------------------------ grid


@pytest.mark.parametrize(("z", "x", "y", "error"), [
    (-1, 0, 0, TileRequestError),
    (0, 1, 0, TileMatrixError),
    (3, 8, 0, TileMatrixError),
    (3, 0, -1, TileRequestError),
    (2, 2**64, 1, TileMatrixError),
    (MAX_ZOOM + 1, 0, 0, TileMatrixError),
    (99, 0, 0, TileMatrixError),
])
def test_addresses_outside_the_matrix_are_refused(z, x, y, error):
    with pytest.raises(error):
        check_tile(z, x, y)


def test_tile_bounds_by_hand():
    assert tile_bounds_3857(0, 0, 0) == pytest.approx((-ORIGIN_M, -ORIGIN_M, ORIGIN_M, ORIGIN_M))
    # zoom 1, x 1, y 0 is the north-east quarter
    assert tile_bounds_3857(1, 1, 0) == pytest.approx((0, 0, ORIGIN_M, ORIGIN_M))
    # a margin of 1/4 tile on every side
    minx, _miny, maxx, _maxy = tile_bounds_3857(1, 1, 0, margin=0.25)
    assert (maxx - minx) == pytest.approx(1.5 * ORIGIN_M)


def test_the_world_by_hand():
    # the side of the square EPSG:3857 world is the equator of the WebMercator sphere (radius 6,378,137 m)
    assert np.isclose(ORIGIN_M, np.pi * 6_378_137.0, rtol=1e-12, atol=0.0)
    assert WORLD_M == 2 * ORIGIN_M and TILE_SIZE_PX == 256
    assert [matrix_size(z) for z in (0, 1, 2, 10)] == [1, 2, 4, 1024]
    # zoom 0: one 256 px tile over the world
    assert resolution_m(0) == pytest.approx(WORLD_M / 256)
    assert resolution_m(10) == pytest.approx(WORLD_M / 256 / 1024)


def test_zoom_1_tiles_are_exactly_quarters_of_the_world():
    assert tile_bounds_3857(1, 0, 0) == (-ORIGIN_M, 0.0, 0.0, ORIGIN_M)  # north-west
    assert tile_bounds_3857(1, 1, 0) == (0.0, 0.0, ORIGIN_M, ORIGIN_M)  # north-east
    assert tile_bounds_3857(1, 0, 1) == (-ORIGIN_M, -ORIGIN_M, 0.0, 0.0)  # south-west
    assert tile_bounds_3857(1, 1, 1) == (0.0, -ORIGIN_M, ORIGIN_M, 0.0)  # south-east
    # in degrees: half the world in longitude, and the equator splits the latitudes
    west, south, east, north = tile_bounds_lonlat(1, 1, 0)
    assert (west, south, east) == pytest.approx((0.0, 0.0, 180.0), abs=1e-9)
    assert north == pytest.approx(85.0511287798, abs=1e-9)  # the WebMercator limit: atan(sinh(pi))


def test_the_tile_holding_a_point_by_hand():
    assert tile_for_lonlat(0.5, 0.5, 1) == (1, 1, 0)
    assert tile_for_lonlat(-0.5, -0.5, 1) == (1, 0, 1)
    # Grimma at zoom 12: x = floor((12.7253 + 180) / 360 · 4096) = 2192
    z, x, y = tile_for_lonlat(12.7253, 51.2386, 12)
    assert (z, x) == (12, 2192)
    west, south, east, north = tile_bounds_lonlat(z, x, y)
    assert west <= 12.7253 < east and south <= 51.2386 < north


def test_zoom_for_a_resolution_by_hand():
    # the closest zoom on a log scale: exactly z10's pixel -> 10; 1.4 × it (below √2) -> 10; 1.5 × -> 9
    r10 = resolution_m(10)
    assert zoom_for_resolution(r10) == 10
    assert zoom_for_resolution(1.4 * r10) == 10
    assert zoom_for_resolution(1.5 * r10) == 9
    assert zoom_for_resolution(0.72 * r10) == 10 and zoom_for_resolution(0.7 * r10) == 11
    assert zoom_for_resolution(1e9) == 0
    assert zoom_for_resolution(1e-6) == MAX_ZOOM and zoom_for_resolution(0.0) == MAX_ZOOM


def test_zoom_for_a_ground_resolution_by_hand():
    # the first zoom whose pixel is no coarser than the raster's: exactly z10 -> 10, a bit finer -> 11
    r10 = resolution_m(10)
    assert zoom_for_ground_resolution(r10, 0.0) == 10
    assert zoom_for_ground_resolution(0.99 * r10, 0.0) == 11
    assert zoom_for_ground_resolution(1.99 * r10, 0.0) == 10
    # at 60° a WebMercator pixel covers half its size on the ground (cos 60° = 0.5)
    assert zoom_for_ground_resolution(r10 / 2, 60.0) == 10
    assert zoom_for_ground_resolution(1e9, 0.0) == 0 and zoom_for_ground_resolution(1e-6, 51.0) == MAX_ZOOM


def test_tile_area_by_hand():
    assert tile_area_km2(0, 0.0) == pytest.approx((WORLD_M / 1000) ** 2)
    assert tile_area_km2(1, 0.0) == pytest.approx((WORLD_M / 1000) ** 2 / 4)
    assert tile_area_km2(10, 60.0) == pytest.approx((WORLD_M / 1000 * 0.5 / 1024) ** 2)


def test_tile_etag_and_conditional_requests_by_hand():
    etag = tile_etag("run-1", "wind", 12, 2192, 1366, "png")
    assert etag == f'"run-1.wind.12.2192.1366.png.{RENDER_VERSION}"'
    assert tile_etag("run-2", "wind", 12, 2192, 1366, "png") != etag
    assert tile_etag("run-1", "wind", 12, 2192, 1366, "2x.png") != etag
    assert etag_matches(etag, etag) and etag_matches("*", etag) and etag_matches(f' "x", W/{etag} ', etag)
    assert not etag_matches(None, etag) and not etag_matches("", etag) and not etag_matches('"x"', etag)
    assert cache_control(300) == "public, max-age=300"


def test_tile_box_in_utm_covers_the_tile():
    box = shapely.box(*tile_bounds_in(Z, X, Y))
    corners = gpd.GeoSeries(shapely.points(np.array(shapely.box(*tile_bounds_3857(Z, X, Y)).exterior.coords)),
                            crs=WEB_MERCATOR).to_crs(ANALYSIS_CRS)
    assert all(box.buffer(1e-6).contains(p) for p in corners)


# ------------------------------------------------------------------ colours and PNG


def test_colour_scale_indices_by_hand():
    scale = ColourScale("viridis", 0.0, 254.0)
    values = np.array([[-5.0, 0.0, 127.0, 254.0, 999.0, 1.0]], dtype=np.float32)
    valid = np.array([[True, True, True, True, True, False]])
    assert scale.indices(values, valid).tolist() == [[1, 1, 128, 255, 255, 0]]


def test_palette_entry_zero_is_transparent_and_ends_match_the_colour_map():
    pal = palette("viridis")
    assert pal[0, 3] == 0 and (pal[1:, 3] == 255).all()
    assert tuple(pal[1, :3]) == (68, 1, 84) and tuple(pal[255, :3]) == (253, 231, 36)  # matplotlib viridis ends


def test_unknown_colour_map_names_the_fix():
    with pytest.raises(ConfigError, match="viridis"):
        ColourScale("no-such-map", 0, 1)


def test_palette_png_decodes_to_the_same_pixels():
    idx = np.zeros((3, 4), dtype=np.uint8)
    idx[1, 2] = 255
    idx[2, :] = 1
    pal = palette("viridis")
    rgba = read_png(encode_palette_png(idx, pal))
    assert rgba.shape == (4, 3, 4)
    assert rgba[3, 0, 0] == 0  # transparent nodata
    assert tuple(rgba[:, 1, 2]) == tuple(pal[255])
    assert tuple(rgba[:, 2, 3]) == tuple(pal[1])


# ------------------------------------------------------------------ display COGs and raster tiles


def write_raster(path: Path, values: np.ndarray, res_m: float = 20.0, x0: float = 330_000.0,
                 y1: float = 5_690_000.0, nodata: float = -9999.0) -> Path:
    profile = dict(driver="GTiff", width=values.shape[1], height=values.shape[0], count=1, dtype="float32",
                   crs="EPSG:25833", transform=from_origin(x0, y1, res_m, res_m), nodata=nodata)
    with rasterio.open(path, "w", **profile) as dst:
        dst.write(values.astype(np.float32), 1)
    return path


@pytest.fixture(scope="module")
def constant_cog(tmp_path_factory) -> Path:
    """A 20 m raster of 6.0 over 8 × 8 km around Grimma, with a 2 km nodata strip in the west."""
    folder = tmp_path_factory.mktemp("cog")
    values = np.full((400, 400), 6.0)
    values[:, :100] = -9999.0
    analysis = write_raster(folder / "speed.tif", values, x0=330_000.0, y1=5_685_000.0)
    return build_display_cog(analysis, folder / "speed.3857.tif")


def test_display_cog_is_web_mercator_on_the_tile_grid(constant_cog):
    with rasterio.open(constant_cog) as src:
        assert src.crs.to_epsg() == 3857
        assert src.block_shapes[0] == (256, 256)
        assert src.overviews(1)
        # origin on a tile corner of the native zoom
        stats = display_stats(constant_cog)
        size = 2 * ORIGIN_M / 2 ** stats.native_zoom
        assert ((src.bounds.left + ORIGIN_M) / size) == pytest.approx(round((src.bounds.left + ORIGIN_M) / size))
    assert stats.min_value == pytest.approx(6.0) and stats.max_value == pytest.approx(6.0)


def covering_tile(cog: Path, z: int, east: float = 0.5) -> tuple[int, int, int]:
    """The tile at zoom ``z`` holding the point ``east`` of the way from the west edge, mid-height."""
    with rasterio.open(cog) as src:
        cx = src.bounds.left + east * (src.bounds.right - src.bounds.left)
        cy = (src.bounds.bottom + src.bounds.top) / 2
    size = 2 * ORIGIN_M / 2**z
    return z, int((cx + ORIGIN_M) // size), int((ORIGIN_M - cy) // size)


def test_raster_tile_of_a_constant_is_its_colour(constant_cog):
    source = TileSource(constant_cog)
    z, x, y = covering_tile(constant_cog, 15, east=0.7)
    values, valid = source.read(z, x, y)
    assert values.shape == (256, 256) and valid.all()
    assert np.allclose(values[valid], 6.0)
    scale = ColourScale("viridis", 4.0, 8.0)  # 6.0 is the middle: index 1 + 127 = 128
    rgba = read_png(render_png(values, valid, scale))
    assert rgba.shape == (4, 256, 256)
    assert tuple(rgba[:, 100, 100]) == tuple(palette("viridis")[128])


def test_raster_tile_half_outside_has_transparent_pixels_and_outside_is_none(constant_cog):
    source = TileSource(constant_cog)
    z, x, y = covering_tile(constant_cog, 12)
    _values, valid = source.read(z, x, y)
    assert valid.any() and not valid.all()  # the raster is smaller than a z12 tile
    assert source.read(z, x + 5, y) is None
    big = source.read(z, x, y, size=512)
    assert big is not None and big[0].shape == (512, 512)


def test_sidecar_convention(tmp_path):
    tif = write_raster(tmp_path / "wind_speed_hub.tif", np.full((10, 10), 5.0))
    write_raster(tmp_path / "no_sidecar.tif", np.full((10, 10), 5.0))
    write_sidecar(tif, RasterSidecar("Wind at hub height", "m/s", "viridis", (4.0, 8.0), ("wind_speed_150m",)))
    pairs = run_rasters(tmp_path)
    assert [p[0].name for p in pairs] == ["wind_speed_hub.tif"]
    sidecar = parse_sidecar(pairs[0][1])
    assert sidecar.range == (4.0, 8.0) and sidecar.inputs == ("wind_speed_150m",)
    assert sidecar.title_de == ""  # no German title given: the registry shows the English one
    write_sidecar(tif, RasterSidecar("Wind at hub height", "m/s", "viridis", (4.0, 8.0),
                                     title_de="Wind in Nabenhöhe"))
    assert parse_sidecar(pairs[0][1]).title_de == "Wind in Nabenhöhe"
    (tmp_path / "bad.tif").write_bytes(b"")
    (tmp_path / "bad.json").write_text('{"title": "x", "units": "m", "colormap": "viridis", "range": [3, 1]}')
    with pytest.raises(ConfigError, match="low < high"):
        parse_sidecar(tmp_path / "bad.json")


def test_a_run_builds_the_display_files_of_its_map_once(tmp_path):
    """The run's raster with a sidecar and a catalog raster get their EPSG:3857 COG (beside the raster,
    and under _catalog/); a raster without sidecar and a catalog entry without a file get none; a second
    call builds nothing (the files keep their modification times)."""
    run_dir = tmp_path / "raster_cache" / "run-1"
    run_dir.mkdir(parents=True)
    hub = write_raster(run_dir / "wind_speed_hub.tif", np.full((10, 10), 5.0))
    write_sidecar(hub, RasterSidecar("Wind at hub height", "m/s", "viridis", (4.0, 8.0)))
    write_raster(run_dir / "no_sidecar.tif", np.full((10, 10), 5.0))
    terrain = write_raster(tmp_path / "terrain.tif", np.full((10, 10), 120.0))
    catalog = [("terrain", terrain, "average"), ("missing", tmp_path / "missing.tif", "average")]
    built = build_run_display_files(run_dir, catalog)
    assert built == [run_dir / "wind_speed_hub.3857.tif", run_dir / "_catalog" / "terrain.3857.tif"]
    assert built[1] == catalog_display_path(run_dir, "terrain")  # where the registry points the tiles
    for path in built:
        with rasterio.open(path) as src:
            assert src.crs.to_epsg() == 3857
    assert not (run_dir / "no_sidecar.3857.tif").exists()
    mtimes = [path.stat().st_mtime_ns for path in built]
    assert build_run_display_files(run_dir, catalog) == built
    assert [path.stat().st_mtime_ns for path in built] == mtimes


# ------------------------------------------------------------------ vector tiles in Python


def test_mvt_of_a_square_covering_the_left_half_of_a_tile():
    minx, miny, maxx, maxy = tile_bounds_3857(Z, X, Y)
    midx = (minx + maxx) / 2
    square = shapely.box(minx - 100_000, miny - 100_000, midx, maxy + 100_000)  # clipped to the buffer
    frame = gpd.GeoDataFrame({"name": ["left"], "value_kw": [1.5], "empty": [None]}, geometry=[square],
                             crs=WEB_MERCATOR)
    layer = decode(encode_layer(frame, "test", Z, X, Y))["test"]
    assert layer["extent"] == 4096
    feature = layer["features"][0]
    assert feature["properties"] == {"name": "left", "value_kw": 1.5}  # null omitted
    xs = [p[0] for p in feature["geometry"]["coordinates"][0]]
    ys = [p[1] for p in feature["geometry"]["coordinates"][0]]
    assert (min(xs), max(xs), min(ys), max(ys)) == (-64, 2048, -64, 4096 + 64)


def test_mvt_is_empty_outside_and_drops_collapsed_geometry():
    minx, miny, maxx, maxy = tile_bounds_3857(Z, X, Y)
    far = shapely.box(minx + 10 * (maxx - minx), miny, minx + 11 * (maxx - minx), maxy)
    tiny = shapely.box(minx + 10, miny + 10, minx + 10.5, miny + 10.5)  # < 1/4096 of the tile
    frame = gpd.GeoDataFrame({"k": [1, 2]}, geometry=[far, tiny], crs=WEB_MERCATOR)
    assert encode_layer(frame, "t", Z, X, Y) == b""


# ------------------------------------------------------------------ tile cache


def test_tile_cache_round_trip_and_empty_tiles(tmp_path):
    cache = TileCache(tmp_path, memory_bytes=1000)
    assert cache.get("run1", "layer", 1, 0, 0, "png") is None
    cache.put("run1", "layer", 1, 0, 0, "png", b"abc")
    cache.put("run1", "layer", 1, 1, 0, "png", b"")
    assert (tmp_path / "run1" / "tiles" / "layer" / "1" / "0" / "0.png").read_bytes() == b"abc"
    fresh = TileCache(tmp_path)  # another process: from disk
    assert fresh.get("run1", "layer", 1, 0, 0, "png") == b"abc"
    assert fresh.get("run1", "layer", 1, 1, 0, "png") == b""
    assert fresh.get("run2", "layer", 1, 0, 0, "png") is None  # keyed by run
    with pytest.raises(ConfigError):
        cache.path("../x", "layer", 1, 0, 0, "png")


# ------------------------------------------------------------------ figures, clipping, styles


BASE = ResultSchema(name="municipalities", key=("ags",), per_municipality=True,
                    columns=(("ags", "text"), ("name", "text"), ("pv_installed_mw", "float")),
                    units=(("pv_installed_mw", "MW"),))


def test_merge_figures_joins_on_ags_and_keeps_units():
    base = pd.DataFrame({"ags": ["2", "1"], "name": ["B", "A"], "pv_installed_mw": [2.0, 1.0]})
    wind = ResultSchema(name="wind_municipalities", per_municipality=True,
                        columns=(("ags", "text"), ("wind_capacity_mw", "float"), ("pv_installed_mw", "float")),
                        units=(("wind_capacity_mw", "MW"), ("pv_installed_mw", "MW")))
    roofs = ResultSchema(name="solar_roof_municipalities", per_municipality=True,
                         columns=(("ags", "text"), ("pv_installed_mw", "float")), units=(("pv_installed_mw", "MW"),))
    by_feedstock = ResultSchema(name="biomass", per_municipality=True, columns=(("ags", "text"), ("t", "float")))
    merged, figures = merge_figures(base, BASE, [
        (wind, pd.DataFrame({"ags": ["1", "2"], "wind_capacity_mw": [10.0, 20.0], "pv_installed_mw": [1.0, 2.0]})),
        (roofs, pd.DataFrame({"ags": ["1", "2"], "pv_installed_mw": [5.0, 6.0]})),
        (by_feedstock, pd.DataFrame({"ags": ["1", "1"], "t": [1.0, 2.0]})),
    ])
    assert merged["ags"].tolist() == ["1", "2"]
    assert merged["wind_capacity_mw"].tolist() == [10.0, 20.0]
    # the same installed figure repeated is dropped, a different one is prefixed
    assert [f.column for f in figures] == ["ags", "name", "pv_installed_mw", "wind_capacity_mw",
                                           "solar_roof_municipalities_pv_installed_mw"]
    assert [f.header for f in figures][2:4] == ["pv_installed_mw [MW]", "wind_capacity_mw [MW]"]
    assert merged.attrs["skipped"] == ["biomass"]


def test_clip_to_cuts_polygons_and_keeps_points_inside():
    area = shapely.box(0, 0, 10, 10)
    polygons = gpd.GeoDataFrame({"k": [1, 2, 3]}, geometry=[shapely.box(5, 5, 15, 15), shapely.box(20, 20, 30, 30),
                                                             shapely.box(10, 0, 20, 10)], crs=ANALYSIS_CRS)
    cut = clip_to(polygons, area, "MULTIPOLYGON")
    assert cut["k"].tolist() == [1]  # 3 only touches the edge: a line, not an area
    assert cut.geometry.iloc[0].area == pytest.approx(25.0)
    points = gpd.GeoDataFrame({"k": [1, 2]}, geometry=[shapely.Point(1, 1), shapely.Point(11, 1)], crs=ANALYSIS_CRS)
    assert clip_to(points, area, "POINT")["k"].tolist() == [1]


def test_qml_is_xml_with_the_colour():
    import xml.etree.ElementTree as ET

    root = ET.parse(io.StringIO(layer_qml("MULTIPOLYGON", "#1b9e77", "name").split("'SYSTEM'>", 1)[1])).getroot()
    assert root.tag == "qgis"
    colours = [o.get("value") for o in root.iter("Option") if o.get("name") == "color"]
    assert colours == ["27,158,119,150"]


# ------------------------------------------------------------------ serving services, by hand


def squares_frame() -> gpd.GeoDataFrame:
    """Three 1 km squares in a row: A at 0..1000 m, B 1.5 km east of A, C 3 km east of A."""
    return gpd.GeoDataFrame({"ags": ["00000001", "00000002", "00000003"], "name": ["A", "B", "C"]},
                            geometry=[shapely.box(0, 0, 1000, 1000), shapely.box(2500, 0, 3500, 1000),
                                      shapely.box(4000, 0, 5000, 1000)], crs=ANALYSIS_CRS)


def squares_figures() -> RunFigures:
    frame = squares_frame()
    meta = [Figure("ags", "municipalities", "ags", "", "text"), Figure("name", "municipalities", "name", "", "text")]
    return RunFigures(pd.DataFrame(frame.drop(columns="geometry")), meta, frame)


def test_neighbours_are_the_municipalities_within_the_buffer():
    figures = squares_figures()
    a = find_municipality(figures, _record(), "00000001")
    assert a.name == "A" and a.area.equals(shapely.box(0, 0, 1000, 1000))
    assert NEIGHBOUR_BUFFER_M == 2_000.0
    # B is 1.5 km from A (inside 2 km), C 3 km (outside); A itself is never its own neighbour
    assert [g.bounds for g in neighbours_of(a, figures.municipalities)] == [(2500.0, 0.0, 3500.0, 1000.0)]
    assert neighbours_of(a, figures.municipalities, buffer_m=1_000.0) == []
    assert len(neighbours_of(a, figures.municipalities, buffer_m=3_000.0)) == 2


def test_an_unknown_or_malformed_ags_names_the_fix():
    figures = squares_figures()
    with pytest.raises(NotFoundError, match="8 digits"):
        find_municipality(figures, _record(), "0000001")
    with pytest.raises(NotFoundError, match="no municipality with AGS 00000009 in run r1"):
        find_municipality(figures, _record(), "00000009")
    assert isinstance(find_municipality(figures, _record(), "00000003"), Municipality)


def _record() -> RunRecord:
    return RunRecord(run_id="r1", region_id="toy", started_at="", finished_at="", params_hash="h", code_version="t")


def test_sources_are_typed_and_their_provenance_is_synthetic_if_any_is():
    real = SourceInfo("admin", "Gemeinden", "real", "dl-de/by-2-0", "© BKG", "admin.gpkg")
    fake = SourceInfo("wind", "Wind (synthetic)", "synthetic", "CC0-1.0", "", "wind.tif")
    assert provenance_of([real]) == "real" and provenance_of([real, fake]) == "synthetic"
    assert provenance_of([]) == "real"
    assert real.as_dict() == {"layer_id": "admin", "title": "Gemeinden", "provenance": "real",
                              "licence": "dl-de/by-2-0", "attribution": "© BKG", "source": "admin.gpkg"}
    assert joined([real.licence, fake.licence, real.licence, ""]) == "dl-de/by-2-0; CC0-1.0"
    with pytest.raises(AttributeError):
        real.title = "changed"  # type: ignore[misc]  # frozen


def test_raster_facts_by_hand(tmp_path):
    """A 20 m raster near Grimma (≈ 51.3° N): a z12 pixel is 38.2 m in EPSG:3857, 23.9 m on the ground
    (× cos 51.3°), coarser than 20 m; a z13 pixel is 11.9 m on the ground: native zoom 13. A constant
    6.0 has no spread, so its display range is (6.0, 7.0)."""
    values = np.full((50, 50), 6.0)
    values[:, :10] = -9999.0
    facts = raster_facts(write_raster(tmp_path / "r.tif", values, x0=330_000.0, y1=5_685_000.0), "test raster")
    assert facts.native_zoom == 13
    assert facts.auto_range == (6.0, 7.0)
    west, south, east, north = facts.bounds_lonlat
    assert 12.5 < west < east < 12.7 and 51.2 < south < north < 51.4
    no_crs = tmp_path / "nocrs.tif"
    with rasterio.open(no_crs, "w", driver="GTiff", width=2, height=2, count=1, dtype="float32") as dst:
        dst.write(np.zeros((1, 2, 2), dtype=np.float32))
    with pytest.raises(InputDataError, match="test raster: the raster has no CRS"):
        raster_facts(no_crs, "test raster")
    (tmp_path / "junk.tif").write_bytes(b"not a raster")
    with pytest.raises(InputDataError, match="not a readable raster"):
        raster_facts(tmp_path / "junk.tif", "test raster")


def test_raster_value_at_a_point_by_hand(tmp_path):
    from pyproj import Transformer

    values = np.full((50, 50), 6.0)
    values[:, :10] = -9999.0  # the westernmost 200 m are nodata
    path = write_raster(tmp_path / "r.tif", values, x0=330_000.0, y1=5_685_000.0)
    to_lonlat = Transformer.from_crs(ANALYSIS_CRS, "EPSG:4326", always_xy=True)
    assert raster_value(path, *to_lonlat.transform(330_500.0, 5_684_500.0)) == 6.0
    assert raster_value(path, *to_lonlat.transform(330_100.0, 5_684_500.0)) is None  # nodata
    assert raster_value(path, *to_lonlat.transform(329_000.0, 5_684_500.0)) is None  # outside
    assert raster_value(tmp_path / "missing.tif", 12.7, 51.2) is None


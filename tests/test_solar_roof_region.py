"""The solar_roof step on the whole default region, into both stores, from the CLI, and with a
real-format override of the catalog (footprints + CityGML without roof surfaces)."""

import dataclasses
import math
import os
import shutil
import subprocess
import sys
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import rasterio
import shapely
from geopandas.testing import assert_geodataframe_equal
from rasterio.transform import from_origin

from potenzial.municipalities import municipality_figures
from potenzial.params import load_params
from potenzial.region import load_region
from potenzial.runs import RunRecord
from potenzial.settings import PROJECT_ROOT
from potenzial.stand_ins import ensure_stand_ins
from potenzial.steps.context import StepContext
from potenzial.steps.solar_roof import STEP
from potenzial.store import open_store
from potenzial.store.base import RunResult
from tests.support.stand_ins import copy_stand_ins

REGIONS = PROJECT_ROOT / "layers" / "regions"
PARAMS = PROJECT_ROOT / "layers" / "params" / "default"
RESULTS = ("solar_roof", "solar_roof_municipalities", "solar_roof_report")


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("data")


@pytest.fixture(scope="module")
def step_run(data_dir, stand_ins_dir):
    """The solar_roof step alone on the default region (the session's stand-ins)."""
    copy_stand_ins(stand_ins_dir, data_dir)
    region = load_region("lk-leipzig", REGIONS, data_dir)
    ensure_stand_ins(region)
    ctx = StepContext(region=region, params=load_params(PARAMS), run_id="t", raster_dir=data_dir / "rc")
    frames = STEP.execute(ctx)
    base = municipality_figures(ctx.municipalities, ctx.statistics, ctx.vector("buildings"), ctx.vector("landcover"))
    return frames, base


def test_whole_region(step_run):
    frames, base = step_run
    roof, sums = frames["solar_roof"], frames["solar_roof_municipalities"]
    report = frames["solar_roof_report"].set_index("item")["count"]
    assert base["buildings"].sum() >= 150_000

    # every building is assessed, skipped or counted; here the stand-in buildings are all fine
    skipped = report[[i for i in report.index if i.startswith("buildings_") and i.endswith("_skipped")]].sum()
    assert report["buildings_read"] == report["buildings_assessed"] + skipped
    assert report["buildings_assessed"] == roof["building_id"].nunique() == base["buildings"].sum()
    assert report["planes"] == len(roof)
    assert report["planes_footprint_gable"] + report["planes_footprint_flat"] == len(roof)

    # per-municipality sums equal the per-plane sums, and the same buildings as the base figures
    assert len(sums) == 30
    by = roof.groupby("ags")
    joined = sums.set_index("ags")
    assert (joined["roof_capacity_mwp"] - by["capacity_kwp"].sum() / 1000).abs().max() < 1e-9
    assert (joined["roof_yield_gwh_per_a"] - by["yield_kwh_per_a"].sum() / 1e6).abs().max() < 1e-9
    assert (joined["roof_buildings"] == by["building_id"].nunique()).all()
    assert (joined["roof_buildings"] == base.set_index("ags")["buildings"]).all()
    # installed roof PV = MaStR PV without the 2015 open-field plants: never more than all PV, and less where
    # the UFZ list has solar parks (Neukieritzsch has some)
    total_pv = base.set_index("ags")["pv_installed_mw"]
    assert (joined["roof_installed_mw"] <= total_pv + 1e-9).all()
    assert joined.loc["14729320", "roof_installed_mw"] < total_pv["14729320"]
    assert report["installed_pv_split"] == 30
    assert (joined["roof_remaining_mwp"] >= 0).all()

    # plane invariants
    # at most 0.7 of a plane carries modules (pitched; flat: 0.5), at 0.20 kWp per m² of modules
    assert (roof["capacity_kwp"] <= roof["plane_area_m2"] * 0.7 * 0.20 + 1e-9).all()
    assert set(roof["suitability"]) <= {"very_good", "good", "suitable", "unsuitable"}
    assert (roof.loc[roof["suitability"] == "unsuitable", "capacity_kwp"] == 0).all()
    south = roof[(roof["method"] == "footprint_gable") & (roof["azimuth_deg"].sub(180).abs() < 2.5)]
    unshaded = south["specific_yield_kwh_per_kwp"] / south["shading_factor"]
    assert len(south) > 100 and unshaded.between(1000, 1100).all()
    # neighbours shade: most roofs lose a few per cent, a few much more, none gains
    assert (roof["shading_factor"] <= 1.0).all() and roof["shading_factor"].min() > 0.2
    assert 0.9 < roof["shading_factor"].mean() < 0.995 and (roof["shading_factor"] < 0.8).sum() > 100
    # listed buildings: one stand-in point per building, ≈ 25 per 1,000 inhabitants (Saxony's density)
    listed = report["buildings_listed"]
    assert listed == roof.loc[roof["listed"], "building_id"].nunique() == sums["roof_listed_buildings"].sum()
    assert 0.02 < listed / base["population"].sum() < 0.03
    assert (roof.loc[roof["listed"], "capacity_kwp"] == 0).all()  # excluded by default
    assert roof.crs.to_epsg() == 25833 and roof.geometry.is_valid.all()


def test_both_stores_read_back_identically(step_run, gpkg_store, postgis_store):
    frames, _ = step_run
    record = RunRecord(run_id="20260101T000000Z-solar", region_id="lk-leipzig", started_at="2026-01-01T00:00:00Z",
                       finished_at="2026-01-01T00:01:00Z", params_hash="x", code_version="test",
                       steps=("solar_roof",), timings_s={}, synthetic_inputs=("buildings",))
    mine = {name: frames[name] for name in RESULTS}
    gpkg_store.publish(RunResult(record=record, frames=mine))
    postgis_store.publish(RunResult(record=record, frames=mine))
    for name in RESULTS:
        a, b = gpkg_store.read(name), postgis_store.read(name)
        assert len(a) == len(frames[name])
        if isinstance(a, gpd.GeoDataFrame):
            assert_geodataframe_equal(a, b)
        else:
            pd.testing.assert_frame_equal(a, b)


@pytest.mark.slow
def test_cli_only_solar_roof_carries_the_rest_over(pipeline_run, tmp_path):
    settings, record = pipeline_run  # the session's whole-region run, copied: the CLI adds a run to it
    store_dir = tmp_path / "store"
    shutil.copytree(Path(settings.store_url.removeprefix("gpkg:")), store_dir)
    shutil.copytree(settings.raster_cache / record.run_id, tmp_path / "raster_cache" / record.run_id)
    env = dict(os.environ, POTENZIAL_DATA_DIR=str(settings.data_dir),
               POTENZIAL_RASTER_CACHE=str(tmp_path / "raster_cache"), COLUMNS="200")

    def cli(*args):
        result = subprocess.run([sys.executable, "-m", "potenzial.cli.main", "run", "--store", str(store_dir), *args],
                                check=False, capture_output=True, text=True, env=env, timeout=600)
        assert result.returncode == 0, result.stdout + result.stderr
        return result

    store = open_store(str(store_dir))
    first = store.current_run()
    assert first == record
    cli("--only", "solar_roof")
    second = store.current_run()
    assert second.run_id != first.run_id and "solar_roof" in second.timings_s and "base" not in second.timings_s
    pd.testing.assert_frame_equal(store.read("solar_roof_municipalities", second.run_id),
                                  store.read("solar_roof_municipalities", first.run_id))
    assert len(store.read("municipalities", second.run_id)) == 30


def override_region(tmp_path, lod2_xml: str, extra_toml: str = ""):
    """A copy of the default region whose buildings are a footprint file of three buildings (A: a
    12 x 8 m house, B: a self-intersecting footprint, C: no geometry) in the first municipality,
    with a CityGML file ``lod2_xml`` and ``extra_toml`` added to region.local.toml."""
    region_dir = tmp_path / "regions" / "lk-leipzig"
    shutil.copytree(REGIONS / "lk-leipzig", region_dir)
    first = load_region("lk-leipzig", tmp_path / "regions", tmp_path / "data")
    municipalities = gpd.read_file(first.layer("municipalities").path, layer="lk_leipzig_gemeinden").to_crs(25833)
    centre = municipalities.geometry.iloc[0].representative_point()
    x, y = round(centre.x), round(centre.y)
    gpd.GeoDataFrame({
        "oid": ["A", "B", "C"], "nutzung": ["residential", "residential", "non_residential"],
        "gfk": ["31001_1010", "31001_1010", "31001_2000"], "geschosse": [2, 1, 1], "hoehe": [8.0, 6.0, 7.0],
        "ot": ["x", "x", "x"], "kreis": ["-", "-", "-"],
    }, geometry=[shapely.box(x, y, x + 12, y + 8), shapely.Polygon([(x + 20, y), (x + 30, y + 10), (x + 30, y),
                                                                     (x + 20, y + 10)]), None],
        crs=25833).to_file(tmp_path / "hu.gpkg", driver="GPKG")
    (tmp_path / "lod2.gml").write_text(
        '<?xml version="1.0"?><core:CityModel xmlns:core="http://www.opengis.net/citygml/2.0" '
        'xmlns:bldg="http://www.opengis.net/citygml/building/2.0" xmlns:gml="http://www.opengis.net/gml">'
        f"{lod2_xml}</core:CityModel>", encoding="utf-8")
    fields = ('{ building_id = "oid", use = "nutzung", function = "gfk", floors = "geschosse", '
              'height_m = "hoehe", ortsteil = "ot", ags = "kreis" }')
    (region_dir / "region.local.toml").write_text(f"""
[layers.buildings]
source = "{tmp_path / 'hu.gpkg'}"
provenance = "real"
licence = "test"
attribution = "test"
crs = "EPSG:25833"
fields = {fields}
lod2 = "{tmp_path / 'lod2.gml'}"
lod2_crs = "EPSG:25833"
{extra_toml}
""", encoding="utf-8")
    region = load_region("lk-leipzig", tmp_path / "regions", tmp_path / "data")
    return region, municipalities["AGS"].iloc[0], (x, y)


def run_step(region, tmp_path):
    # the stand-ins are not generated here: the step runs without the terrain and monument layers
    region = dataclasses.replace(region, layers={k: v for k, v in region.layers.items()
                                                 if k not in ("terrain", "listed_buildings")})
    messages = []
    ctx = StepContext(region=region, params=load_params(PARAMS), run_id="t", raster_dir=tmp_path / "rc",
                      progress=messages.append)
    out = STEP.execute(ctx)
    return out, out["solar_roof_report"].set_index("item")["count"], messages


def test_real_format_override_with_citygml_without_roofs(tmp_path):
    """Footprints from a file, a LoD2 file without roof surfaces: the step falls back to the
    footprint heuristic and says so; the bad footprints are repaired or skipped and counted."""
    region, ags, _ = override_region(tmp_path, '<core:cityObjectMember><bldg:Building gml:id="A"/>'
                                               "</core:cityObjectMember>")
    out, report, messages = run_step(region, tmp_path)
    assert any("no roof surfaces" in m and "falling back" in m for m in messages)
    assert report["lod2_buildings_read"] == 1 and report["lod2_buildings_without_roof_surfaces"] == 1
    assert report["buildings_without_geometry_skipped"] == 1 and report["buildings_invalid_repaired"] == 1
    roof = out["solar_roof"]
    assert set(roof["method"]) == {"footprint_gable"} and set(roof["building_id"]) == {"A", "B"}
    assert set(roof["ags"]) == {ags}


def test_lod2_roofs_and_a_surface_model_through_the_catalog(tmp_path):
    """LoD2 roof surfaces for house A (matched to its footprint by location), a DSM for the rest:
    A takes its planes from LoD2, B from the surface model, with horizon shading."""
    x0, y0 = 0.0, 0.0  # replaced below once the place is known
    region, _, (x0, y0) = override_region(tmp_path, "")
    t = math.tan(math.radians(30))
    gable = "".join(
        '<bldg:boundedBy><bldg:RoofSurface><bldg:lod2MultiSurface><gml:MultiSurface><gml:surfaceMember><gml:Polygon>'
        '<gml:exterior><gml:LinearRing><gml:posList srsDimension="3">'
        + " ".join(f"{x0 + x} {y0 + y} {z}" for x, y, z in ring)
        + "</gml:posList></gml:LinearRing></gml:exterior></gml:Polygon></gml:surfaceMember></gml:MultiSurface>"
          "</bldg:lod2MultiSurface></bldg:RoofSurface></bldg:boundedBy>"
        for ring in ([(0, 0, 6), (12, 0, 6), (12, 4, 6 + 4 * t), (0, 4, 6 + 4 * t), (0, 0, 6)],
                     [(0, 4, 6 + 4 * t), (12, 4, 6 + 4 * t), (12, 8, 6), (0, 8, 6), (0, 4, 6 + 4 * t)]))
    (tmp_path / "lod2.gml").write_text(
        '<?xml version="1.0"?><core:CityModel xmlns:core="http://www.opengis.net/citygml/2.0" '
        'xmlns:bldg="http://www.opengis.net/citygml/building/2.0" xmlns:gml="http://www.opengis.net/gml">'
        f'<core:cityObjectMember><bldg:Building gml:id="DESN_other_id">{gable}</bldg:Building>'
        "</core:cityObjectMember></core:CityModel>", encoding="utf-8")
    # DSM: 0.5 m cells, ground 100 m, building B's footprint a flat roof at 106 m, a 30 m tower
    # 6 m south of B
    res, n = 0.5, 160
    transform = from_origin(x0 - 20, y0 + 60, res, res)
    heights = np.full((n, n), 100.0, dtype="float32")
    rows, cols = np.mgrid[0:n, 0:n]
    xs, ys = x0 - 20 + (cols + 0.5) * res, y0 + 60 - (rows + 0.5) * res
    heights[(xs > x0 + 20) & (xs < x0 + 30) & (ys > y0) & (ys < y0 + 10)] = 106.0
    heights[(xs > x0 + 20) & (xs < x0 + 30) & (ys > y0 - 12) & (ys < y0 - 6)] = 130.0
    with rasterio.open(tmp_path / "dsm.tif", "w", driver="GTiff", width=n, height=n, count=1, dtype="float32",
                       crs="EPSG:25833", transform=transform) as dst:
        dst.write(heights, 1)
    with (region.root / "region.local.toml").open("a", encoding="utf-8") as fh:
        fh.write(f"""
[layers.dsm]
title = "DOM (test)"
kind = "raster"
source = "{tmp_path / 'dsm.tif'}"
crs = "EPSG:25833"
units = "m"
licence = "test"
attribution = "test"
provenance = "real"
""")
    region = load_region("lk-leipzig", tmp_path / "regions", tmp_path / "data")
    out, report, _ = run_step(region, tmp_path)
    roof = out["solar_roof"].set_index(["building_id", "plane_no"])
    assert report["planes_lod2"] == 2 and report["lod2_planes_without_footprint"] == 0
    a = roof.loc["A"].sort_values("azimuth_deg")
    assert a["method"].tolist() == ["lod2", "lod2"] and a["azimuth_deg"].tolist() == pytest.approx([0.0, 180.0])
    assert a["tilt_deg"].tolist() == pytest.approx([30.0, 30.0])
    b = roof.loc["B"]
    assert b["method"].tolist() == ["dsm"] and b["tilt_deg"].tolist() == pytest.approx([0.0])
    assert 0.5 < b["shading_factor"].iloc[0] < 0.99  # the tower south of it shades it
    # A (west of the tower) loses less than B (right north of it)
    assert (roof.loc["A", "shading_factor"] > b["shading_factor"].iloc[0]).all()

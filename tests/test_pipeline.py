"""The whole pipeline on the default region, into both stores; atomicity under failure."""

import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from geopandas.testing import assert_geodataframe_equal

from potenzial.errors import PotenzialError
from potenzial.params import load_params
from potenzial.pipeline import Reporter, run_pipeline
from potenzial.provenance import sha256_file
from potenzial.region import load_region
from potenzial.settings import PROJECT_ROOT
from potenzial.stand_ins import ensure_stand_ins
from potenzial.steps import all_steps
from potenzial.store import open_store
from potenzial.store.base import RunResult
from tests.support.child_env import child_env
from tests.support.stand_ins import copy_stand_ins

REGIONS = PROJECT_ROOT / "layers" / "regions"
PARAMS = PROJECT_ROOT / "layers" / "params" / "default"
STATS = REGIONS / "lk-leipzig" / "data" / "lk_leipzig_gemeinden_statistik.csv"


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("data")


@pytest.fixture(scope="module")
def region(data_dir, stand_ins_dir):
    copy_stand_ins(stand_ins_dir, data_dir)  # the tests here read the stand-ins before any run of this module
    region = load_region("lk-leipzig", REGIONS, data_dir)
    ensure_stand_ins(region)
    return region


@pytest.fixture(scope="module")
def gpkg_run(pipeline_run, region, data_dir):
    """The session's whole-region run (embedded store), copied with its rasters into this module's own store
    and data folder: the tests here add runs to it."""
    settings, record = pipeline_run
    shutil.copytree(Path(settings.store_url.removeprefix("gpkg:")), data_dir / "store")
    shutil.copytree(settings.raster_cache / record.run_id, data_dir / "raster_cache" / record.run_id)
    store = open_store(str(data_dir / "store"))
    assert store.current_run() == record
    return store, record


@pytest.fixture(scope="module")
def postgis_run(gpkg_run, postgis_url):
    """The session run's whole-region results published into PostGIS as the pipeline publishes them (every
    layer and table by COPY, one transaction, then the current-run switch). The pipeline's steps are the
    same for both stores; what differs is the publish and the read-back, which the tests here compare."""
    source, record = gpkg_run
    frames = {name: source.read(name, record.run_id) for name in source.run_layers(record.run_id)}
    store = open_store(postgis_url)
    store.init()
    store.publish(RunResult(record=record, frames=frames))
    yield store, record
    store.close()


def test_municipalities_result_covers_the_county(gpkg_run):
    store, _record = gpkg_run
    frame = store.read("municipalities")
    stats = pd.read_csv(STATS, dtype={"ags": str}).set_index("ags")
    assert len(frame) == 30
    assert abs(frame["area_km2"].sum() - 1655.6) / 1655.6 < 0.005
    assert frame["population"].sum() == stats.loc["14729000", "population_2021"]
    # every residential stand-in building lands in its own municipality
    expected = stats.loc[frame["ags"], "zensus2011_residential_buildings_total"].to_numpy()
    assert (frame["residential_buildings"].to_numpy() == expected).all()
    land_ha = frame[[c for c in frame.columns if c.endswith("_ha")]].sum(axis=1)
    assert ((land_ha - frame["area_km2"] * 100).abs() / (frame["area_km2"] * 100) < 0.01).all()
    assert abs(frame["pv_installed_mw"].sum() - stats.loc["14729000", "mastr2024_kw_pv"] / 1000) < 0.01


def test_run_record_carries_provenance(gpkg_run, region):
    store, record = gpkg_run
    assert store.current_run() == record
    assert record.params_hash == load_params(PARAMS).sha256
    assert {"stand_ins", "inputs", "base"} <= set(record.timings_s)
    assert "buildings" in record.synthetic_inputs and "municipalities" not in record.synthetic_inputs
    inputs = store.read("run_inputs").set_index("layer_id")
    assert set(inputs.index) == set(region.layers)
    for layer_id, entry in region.layers.items():
        assert inputs.loc[layer_id, "sha256"] == sha256_file(entry.path)
        assert inputs.loc[layer_id, "provenance"] == entry.provenance


@pytest.mark.postgis
def test_both_stores_read_back_identically(gpkg_run, postgis_run):
    gpkg_store, _ = gpkg_run
    pg_store, _ = postgis_run
    a, b = gpkg_store.read("municipalities"), pg_store.read("municipalities")
    assert_geodataframe_equal(a, b, check_less_precise=False)
    pd.testing.assert_frame_equal(
        gpkg_store.read("run_inputs").drop(columns=[]), pg_store.read("run_inputs"))


DRIVER = textwrap.dedent("""
    import os, signal, sys
    from pathlib import Path
    from potenzial.params import load_params
    from potenzial.pipeline import run_pipeline
    from potenzial.region import load_region
    from potenzial.store import open_store

    store = open_store(sys.argv[1])
    region = load_region("lk-leipzig", Path(sys.argv[2]), Path(sys.argv[3]))

    def die(name):
        os.kill(os.getpid(), signal.SIGKILL)

    # one step computed, the rest carried over from the current run: killed at the first layer it writes
    run_pipeline(region, store, load_params(Path(sys.argv[4])), on_layer_written=die, only=["base"],
                 raster_cache=Path(sys.argv[3]) / "raster_cache")
""")


def _killed_run(store_url: str, data_dir: Path) -> subprocess.CompletedProcess:
    env = child_env()
    return subprocess.run([sys.executable, "-c", DRIVER, store_url, str(REGIONS), str(data_dir), str(PARAMS)],
                          capture_output=True, text=True, env=env, cwd=PROJECT_ROOT, timeout=600)


def test_killed_run_leaves_previous_results_gpkg(gpkg_run, data_dir):
    store, record = gpkg_run
    before = store.read("municipalities")
    result = _killed_run(store.url, data_dir)
    assert result.returncode == -9, result.stderr
    assert store.current_run() == record
    assert_geodataframe_equal(store.read("municipalities"), before)
    assert [r.run_id for r in store.list_runs()] == [record.run_id]


@pytest.mark.postgis
def test_killed_run_leaves_previous_results_postgis(postgis_run, data_dir):
    store, record = postgis_run
    before = store.read("municipalities")
    result = _killed_run(store.url, data_dir)
    assert result.returncode == -9, result.stderr
    assert store.current_run() == record
    assert_geodataframe_equal(store.read("municipalities"), before)


def _region_copy(folder: Path, local: str) -> Path:
    folder.mkdir()
    text = (REGIONS / "lk-leipzig" / "region.toml").read_text(encoding="utf-8")
    (folder / "region.toml").write_text(text.replace('source = "data/', f'source = "{REGIONS}/lk-leipzig/data/'),
                                        encoding="utf-8")
    (folder / "region.local.toml").write_text(local, encoding="utf-8")
    return folder / "region.toml"


@pytest.mark.parametrize(
    ("case", "needle"),
    [("corrupt_terrain", "terrain"), ("buildings_in_degrees", "buildings"), ("empty_landcover", "empty")],
)
def test_bad_input_fails_clearly_and_keeps_results(gpkg_run, data_dir, tmp_path, region, case, needle):
    store, record = gpkg_run
    if case == "corrupt_terrain":
        bad = tmp_path / "dgm.tif"
        bad.write_bytes(region.layer("terrain").path.read_bytes()[:5000])
        local = f'[layers.terrain]\nsource = "{bad}"\nprovenance = "real"\n'
    elif case == "buildings_in_degrees":
        bad = tmp_path / "buildings.gpkg"
        gpd.read_file(region.layer("buildings").path, rows=50).to_crs(4326).to_file(bad)
        # stated as metres: the file says degrees (without `crs` the file's own CRS would be taken)
        local = f'[layers.buildings]\nsource = "{bad}"\nprovenance = "real"\ncrs = "EPSG:25833"\n'
    else:
        bad = tmp_path / "landcover.gpkg"
        gpd.read_file(region.layer("landcover").path, rows=5).iloc[:0].to_file(bad)
        local = f'[layers.landcover]\nsource = "{bad}"\nprovenance = "real"\n'
    region_file = _region_copy(tmp_path / "region", local)
    env = child_env()
    env.update({"POTENZIAL_DATA_DIR": str(data_dir), "POTENZIAL_RASTER_CACHE": str(data_dir / "raster_cache"),
                "COLUMNS": "200"})
    result = subprocess.run([sys.executable, "-m", "potenzial.cli.main", "run", "--region", str(region_file),
                             "--store", store.url], capture_output=True, text=True, env=env, cwd=PROJECT_ROOT,
                            timeout=600)
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert needle in result.stderr and "error:" in result.stderr
    assert store.current_run() == record
    assert len(store.read("municipalities")) == 30


class Recording(Reporter):
    def __init__(self) -> None:
        self.started: list[str] = []

    def start(self, step, total=None):
        self.started.append(step)


@pytest.mark.parametrize(("line", "typo", "needle"), [
    ('turbine_type = "E-141/4200"', 'turbine_type = "Windmill-3000"', "Windmill-3000"),
    ('setback_rule = "residential_sachsbo84"', 'setback_rule = "residential_sachsbo_84"',
     "setback_rule = 'residential_sachsbo_84' is not a rule of rule set 'wind_sn_2022'; allowed values: "
     "residential_sachsbo84"),
])
def test_parameter_mistake_fails_before_any_step_runs(gpkg_run, region, data_dir, tmp_path, line, typo, needle):
    store, record = gpkg_run
    params_dir = tmp_path / "params"
    shutil.copytree(PARAMS, params_dir)
    wind = params_dir / "wind.toml"
    text = wind.read_text(encoding="utf-8")
    assert line in text
    wind.write_text(text.replace(line, typo), encoding="utf-8")
    reporter = Recording()
    with pytest.raises(PotenzialError, match=re.escape(needle)):
        run_pipeline(region, store, load_params(params_dir), reporter=reporter,
                     raster_cache=data_dir / "raster_cache")
    assert reporter.started == ["stand_ins", "inputs"]  # no step ran
    assert store.current_run() == record


def test_only_runs_the_selected_step_and_carries_the_rest(gpkg_run, region, data_dir):
    """Last in this module: it publishes a new current run."""
    store, record = gpkg_run
    reporter = Recording()
    new = run_pipeline(region, store, load_params(PARAMS), reporter=reporter, only=["base"],
                       raster_cache=data_dir / "raster_cache")
    # the quality grades run in every run: they describe the run's inputs as a whole
    assert reporter.started == ["stand_ins", "inputs", "base", "quality", "display", "publish"]
    assert store.current_run() == new and new.run_id != record.run_id
    for step in all_steps():
        for name in step.produces:
            pd.testing.assert_frame_equal(store.read(name, new.run_id), store.read(name, record.run_id))
    old_rasters = sorted(p.name for p in (data_dir / "raster_cache" / record.run_id).glob("*.tif"))
    new_rasters = sorted(p.name for p in (data_dir / "raster_cache" / new.run_id).glob("*.tif"))
    assert set(old_rasters) <= set(new_rasters)


def test_run_steps_checks_every_step_first_and_hands_each_its_prepared_inputs(tmp_path):
    """Two real steps that log what they do: both checks run once, before either run; each run
    receives exactly what its own check returned; a failing check stops everything before any run."""
    from types import MappingProxyType

    from potenzial.params import ParameterSet
    from potenzial.pipeline import run_steps
    from potenzial.region import Region
    from potenzial.steps import Step
    from potenzial.steps.context import StepContext

    log: list[str] = []

    def step(name: str, fail: bool = False) -> Step:
        def check(ctx):
            log.append(f"check {name}")
            if fail:
                raise PotenzialError(f"{name}: bad parameter")
            return {"prepared_by": name}

        def run(ctx, prepared):
            log.append(f"run {name} with {prepared['prepared_by']}")
            return {f"{name}_result": pd.DataFrame({"x": [1]})}

        return Step(name=name, order=0, produces=(f"{name}_result",), check=check, run=run)

    region = Region(id="t", name="t", crs="EPSG:25833", ags_prefix="14729", municipalities_layer="m",
                    statistics_layer="", seed=0, root=tmp_path, synthetic_dir=tmp_path, layers={})
    ctx = StepContext(region=region, params=ParameterSet(path=tmp_path, version="x", values=MappingProxyType({}),
                                                         sha256="0"), run_id="t", raster_dir=tmp_path / "r")
    run_steps(ctx, [step("a"), step("b")])
    assert log == ["check a", "check b", "run a with a", "run b with b"]
    assert set(ctx.results) == {"a_result", "b_result"}
    log.clear()
    with pytest.raises(PotenzialError, match="b: bad parameter"):
        run_steps(ctx, [step("a"), step("b", fail=True)])
    assert log == ["check a", "check b"]

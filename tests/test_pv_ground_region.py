"""The open-field PV step on the default region (Landkreis Leipzig, synthetic stand-ins).

Runs the wind step first (the PV step needs its ``wind_areas`` for the overlap), then the PV
step, through the real step context, as the pipeline does. About 40 s on 2 cores.
"""

from __future__ import annotations

import dataclasses
import types

import pytest

from potenzial.errors import ConfigError
from potenzial.params import load_params
from potenzial.settings import PROJECT_ROOT
from potenzial.solar_ground import TOTAL
from potenzial.steps.context import StepContext

PARAMS = PROJECT_ROOT / "layers" / "params" / "default"
#: municipalities with post-mining land south of Leipzig (docs/METHOD.md: Leipziger Neuseenland)
SOUTH_OF_LEIPZIG = {"14729040", "14729050", "14729190", "14729260", "14729320", "14729370", "14729430"}


def region_context(tmp_path, stand_ins_dir, params=None) -> StepContext:
    from potenzial.region import load_region
    from potenzial.settings import Settings

    s = Settings()
    region = load_region(s.region, s.regions_dir, stand_ins_dir)  # the session's stand-ins, read only
    return StepContext(region=region, params=params or load_params(PARAMS), run_id="t", raster_dir=tmp_path / "r",
                       rules_dir=s.rules_dir)


def with_section(params, name, **changes):
    values = dict(params.values)
    values[name] = {**values[name], **changes}
    return dataclasses.replace(params, values=types.MappingProxyType(values))


def test_bad_rule_set_names_fail_before_any_geometry(tmp_path, stand_ins_dir):
    from potenzial.steps import pv_ground

    params = with_section(load_params(PARAMS), "pv_ground", categories=["pv_eeg_2023", "pv_eeg_2099"])
    with pytest.raises(ConfigError, match="rule set 'pv_eeg_2099' not found"):
        pv_ground.check(region_context(tmp_path, stand_ins_dir, params))
    params = with_section(load_params(PARAMS), "pv_ground", switches={"forest": False})
    with pytest.raises(ConfigError, match="not switchable"):
        pv_ground.check(region_context(tmp_path, stand_ins_dir, params))


@pytest.mark.slow
def test_pv_ground_step_on_the_default_region(tmp_path, stand_ins_dir):
    from potenzial.steps import pv_ground
    from potenzial.steps import wind as wind_step

    ctx = region_context(tmp_path, stand_ins_dir)
    ctx.results.update(wind_step.STEP.execute(ctx))
    frames = pv_ground.STEP.execute(ctx)
    per = frames["pv_ground_municipalities"]
    cats = frames["pv_ground_categories"]
    areas = frames["pv_ground_areas"]
    names = {"eeg_2023_corridor", "eeg_2021_corridor", "baugb_privileged", "pvfvo_less_favoured", "post_mining", TOTAL}

    # area, MWp and GWh per municipality and category
    assert len(per) == 30 and per["ags"].is_unique
    assert set(cats["category"]) == names and len(cats) == 30 * len(names)
    county = cats.groupby("category")[["area_ha", "capacity_mwp", "yield_gwh_per_a"]].sum()
    assert (county[["area_ha", "capacity_mwp", "yield_gwh_per_a"]] > 0).all().all()
    # every hectare once: the union is no larger than the categories together and no smaller than any
    assert county.loc[TOTAL, "area_ha"] <= county.drop(TOTAL)["area_ha"].sum()
    assert county.loc[TOTAL, "area_ha"] >= county.drop(TOTAL)["area_ha"].max()
    assert per["pv_ground_area_ha"].sum() == pytest.approx(county.loc[TOTAL, "area_ha"])
    assert per["pv_ground_area_ha"].sum() == pytest.approx(areas["area_ha"].sum())
    assert per["pv_ground_yield_gwh_per_a"].sum() == pytest.approx(areas["yield_mwh_per_a"].sum() / 1e3)
    # EEG 2021 (200 m, 15 m strip) lies inside the EEG 2023 corridor (500 m)
    assert county.loc["eeg_2021_corridor", "area_ha"] < county.loc["eeg_2023_corridor", "area_ha"]

    # the post-mining land south of Leipzig is its own category
    post = cats[(cats["category"] == "post_mining") & (cats["area_ha"] > 0)]
    assert len(post) >= 2 and set(post["ags"]) <= SOUTH_OF_LEIPZIG
    assert areas["categories"].str.contains("post_mining").any()

    # yield of fixed-tilt south rows: docs/METHOD.md about 1,000–1,100 kWh/kWp for south systems near Leipzig
    spec = per["pv_ground_specific_yield_kwh_per_kwp"].dropna()
    assert spec.between(950, 1150).all()

    # wind first: PV alone minus the wind-eligible part, never more
    assert per["pv_ground_wind_overlap_ha"].sum() > 0
    assert per["pv_ground_area_wind_first_ha"].to_numpy() == pytest.approx(
        (per["pv_ground_area_ha"] - per["pv_ground_wind_overlap_ha"]).to_numpy())
    assert (per["pv_ground_yield_wind_first_gwh_per_a"] <= per["pv_ground_yield_gwh_per_a"] + 1e-9).all()

    # installed open-field PV of 2015 (UFZ) where known
    assert per["pv_ground_installed_2015_mwp"].sum() > 50
    assert areas.geometry.is_valid.all() and (areas["area_ha"] > 0).all()
    assert set(frames["pv_ground_rules"]["rule_set"]) == {"pv_exclusions_2023", "pv_eeg_2023", "pv_eeg_2021",
                                                          "pv_baugb_2023", "pv_sn_pvfvo_2021", "pv_post_mining_2023"}

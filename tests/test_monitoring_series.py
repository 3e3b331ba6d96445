"""Monitoring figures: the commissioning curve, groups as sums of their members, watts per inhabitant and
the ranking, the used share of a potential, and the Leitbild's target path and gap."""

from __future__ import annotations

import csv
import math

import pandas as pd
import pytest

from potenzial.errors import ConfigError
from potenzial.monitoring.groups import load_groups
from potenzial.monitoring.mastr import read_export
from potenzial.monitoring.params import load_monitoring_params
from potenzial.monitoring.series import curve_points, target_path
from potenzial.monitoring.snapshot import from_export
from potenzial.serving.monitoring import monitoring_context, monitoring_view, targets_view, used_shares
from potenzial.serving.monitoring_import import import_catalog, region_filter
from potenzial.settings import Settings
from tests.support.monitoring import GRIMMA, NAUNHOF, default_region, write_test_export

STATISTICS = Settings().regions_dir / "lk-leipzig" / "data" / "lk_leipzig_gemeinden_statistik.csv"


def _csv() -> dict[str, dict[str, str]]:
    with STATISTICS.open(encoding="utf-8") as fh:
        return {row["ags"]: row for row in csv.DictReader(fh) if not row["ags"].endswith("000")}


@pytest.fixture(scope="module")
def region():
    return default_region()


@pytest.fixture(scope="module")
def ctx(region):
    return monitoring_context(region, Settings().params_dir)


@pytest.fixture(scope="module")
def store(region, tmp_path_factory):
    from potenzial.store.gpkg import GeoPackageStore

    opened = GeoPackageStore(tmp_path_factory.mktemp("monitoring") / "store")
    opened.init()
    import_catalog(opened, region)
    return opened


def test_commissioning_curve_of_a_unit_snapshot(region, tmp_path):
    written = write_test_export(tmp_path)
    export = read_export(written.path, region_filter(region), load_monitoring_params(Settings().params_dir))
    curve = curve_points(from_export(export, region.id), region_filter(region).ags)
    at = curve.set_index(["ags", "technology", "date"])["capacity_kw"]
    assert at[(GRIMMA, "pv_roof", "2019-12-31")] == pytest.approx(59.9)  # SEE001 9.9 + SEE004 50
    assert at[(GRIMMA, "pv_roof", "2020-12-31")] == pytest.approx(9.9)  # SEE004 ended 2020-06-30
    assert at[(NAUNHOF, "pv_ground", "2021-12-31")] == pytest.approx(100.0)  # the old unit SEE005
    assert at[(NAUNHOF, "pv_ground", "2023-12-31")] == pytest.approx(150.0)  # replaced by SEE006 in 2022
    assert at[(NAUNHOF, "pv", "2023-12-31")] == pytest.approx(150.0)
    assert at[(GRIMMA, "wind", "2014-12-31")] == 0.0 and at[(GRIMMA, "wind", "2015-12-31")] == 3000.0
    assert curve["date"].min() == "2010-12-31" and curve["date"].max() == "2023-12-31"


def test_groups_of_the_default_region(region):
    municipalities = set(_csv())
    _, groups = load_groups(region.root / "region.toml", municipalities)
    assert {g for g in groups if groups[g].set == "regions"} == {
        "wurzener_land", "partheland", "muldenland", "kohrener_land", "suedliches_neuseenland"}
    sizes = {g.id: len(g.members) for g in groups.values() if g.set == "programme"}
    assert sizes == {"focus": 13, "pioneer": 9, "bonus": 8}
    listed = [m for g in groups.values() if g.set == "programme" for m in g.members]
    assert len(listed) == 30 and set(listed) == municipalities
    assert all(groups[g].placeholder for g in sizes)
    assert not groups["kohrener_land"].verified and groups["wurzener_land"].verified


def test_a_wrong_group_is_a_config_error(tmp_path):
    bad = tmp_path / "region.toml"
    bad.write_text('[group_sets.a]\ntitle_de = "A"\npartition = true\n'
                   '[groups.x]\nset = "a"\ntitle_de = "X"\nsource = "s"\nmembers = ["14729010"]\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="exactly once"):
        load_groups(bad, {"14729010", "14729020"})
    bad.write_text('[group_sets.a]\ntitle_de = "A"\n'
                   '[groups.x]\nset = "a"\ntitle_de = "X"\nsource = "s"\nmembers = ["09999999"]\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="09999999"):
        load_groups(bad, {"14729010"})


def _rows(view, technology, point="snapshot"):
    return {r["date"]: r["capacity_kw"] for r in view["series"]["rows"]
            if r["technology"] == technology and r["point"] == point}


def test_group_sums_equal_member_sums(store, ctx):
    table = _csv()
    for group in ctx.groups.values():
        view = monitoring_view(store, ctx, group=group.id)
        # against the statistics file, summed by hand over the members
        assert _rows(view, "pv")["2024-12-31"] == pytest.approx(sum(float(table[m]["mastr2024_kw_pv"])
                                                                    for m in group.members))
        assert _rows(view, "wind")["2021-12-31"] == pytest.approx(sum(float(table[m]["mastr2021_kw_wind_on"])
                                                                      for m in group.members))
        # and against the members' own series, for every technology and date
        members = [monitoring_view(store, ctx, ags=m) for m in group.members]
        for tech in ("pv", "pv_ground", "wind", "biomass", "hydro"):
            expected: dict[str, float] = {}
            for member in members:
                for date, kw in _rows(member, tech).items():
                    expected[date] = expected.get(date, 0.0) + kw
            assert _rows(view, tech) == pytest.approx(expected), (group.id, tech)


def test_time_series_from_2015_to_2024(store, ctx):
    view = monitoring_view(store, ctx, ags=GRIMMA)
    assert sorted(_rows(view, "wind")) == ["2015-12-31", "2021-12-31", "2024-12-31"]
    assert sorted(_rows(view, "pv")) == ["2021-12-31", "2024-12-31"]  # the 2015 list has no roof PV
    row = next(r for r in view["series"]["rows"] if r["technology"] == "wind" and r["date"] == "2024-12-31")
    # 46,400 kW of wind (statistics file) × 1,880 h/a = 87,232 MWh/a
    assert row["capacity_kw"] == pytest.approx(float(_csv()[GRIMMA]["mastr2024_kw_wind_on"]))
    assert row["generation_mwh_per_a"] == pytest.approx(row["capacity_kw"] * 1.880)


def test_watts_per_inhabitant_and_rank(store, ctx):
    table = _csv()
    per_person = {a: float(r["mastr2024_kw_pv"]) * 1000 / float(r["population_2021"]) for a, r in table.items()}
    order = sorted(per_person, key=lambda a: -per_person[a])
    view = monitoring_view(store, ctx, ags=order[4])
    [row] = view["ranking"]["rows"]
    assert row["rank"] == 5 and row["w_per_inhabitant"] == pytest.approx(per_person[order[4]])


def test_used_share_of_each_stage(ctx):
    latest = pd.DataFrame({"ags": ["A", "A", "B"], "technology": ["pv_roof", "wind", "pv_roof"],
                           "capacity_kw": [2500.0, 4000.0, 500.0]})
    cascade = pd.DataFrame({"ags": ["A", "B"], "solar_roof_technical_capacity_mwp": [10.0, 5.0],
                            "wind_restricted_capacity_mw": [20.0, 0.0]})
    shares = used_shares(latest, cascade, ("A", "B"), "AB", ctx).set_index(["technology", "stage"])
    roof = shares.loc[("pv_roof", "technical")]
    assert roof["installed"] == pytest.approx(3.0) and roof["potential"] == pytest.approx(15.0)
    assert roof["used_share_pct"] == pytest.approx(20.0) and roof["remaining"] == pytest.approx(12.0)
    wind = shares.loc[("wind", "restricted")]
    assert wind["used_share_pct"] == pytest.approx(20.0) and wind["unit"] == "MW"


def test_target_path_of_the_leitbild(ctx):
    path = target_path(ctx.params.targets["renewable_electricity_share_pct"], range(2018, 2041))
    assert math.isnan(path[2018])
    assert (path[2019], path[2030], path[2035], path[2040]) == (37.0, 63.0, 90.0, 90.0)
    assert path[2024] == pytest.approx(37 + 5 * 26 / 11)  # linear 2019 -> 2030
    assert path[2032] == pytest.approx(63 + 2 * 27 / 5)  # linear 2030 -> 2035


def test_target_gap_of_a_municipality(store, ctx):
    row = _csv()[GRIMMA]
    total_population = sum(float(r["population_2021"]) for r in _csv().values())
    use_gwh = 1600.0 * float(row["population_2021"]) / total_population
    gen_gwh = (float(row["mastr2024_kw_pv"]) * 950 + float(row["mastr2024_kw_wind_on"]) * 1880
               + float(row["mastr2024_kw_biomass"]) * 5000 + float(row["mastr2024_kw_water"]) * 3500) / 1e6
    view = targets_view(store, ctx, ags=GRIMMA)
    got = next(r for r in view["targets"]["rows"] if r["year"] == 2024)
    assert got["renewable_electricity_gwh_per_a"] == pytest.approx(gen_gwh)
    assert got["renewable_share_pct"] == pytest.approx(100 * gen_gwh / use_gwh)
    assert got["gap_pct_points"] == pytest.approx(37 + 5 * 26 / 11 - 100 * gen_gwh / use_gwh)
    assert got["electricity_use_estimate"] is True
    # 2015 has no PV total: no share; 2019 has the target only
    years = {r["year"]: r for r in view["targets"]["rows"]}
    assert years[2019]["target_share_pct"] == 37.0 and years[2019]["renewable_share_pct"] is None
    assert 2015 not in years or years[2015]["renewable_share_pct"] is None



def test_a_use_table_replaces_the_estimate(store, ctx):
    from dataclasses import replace

    given = replace(ctx, electricity_use_gwh_per_a={**ctx.electricity_use_gwh_per_a, GRIMMA: 100.0},
                    use_estimated={**ctx.use_estimated, GRIMMA: False})
    row = next(r for r in targets_view(store, given, ags=GRIMMA)["targets"]["rows"] if r["year"] == 2024)
    assert row["electricity_use_gwh_per_a"] == 100.0 and row["electricity_use_estimate"] is False
    assert row["renewable_share_pct"] == pytest.approx(row["renewable_electricity_gwh_per_a"])  # of 100 GWh
    assert targets_view(store, given, ags=GRIMMA)["electricity_use_note"]["en"] == "electricity use from the " \
                                                                                   "region's table"


def test_group_sums_equal_member_sums_for_a_unit_level_export(region, ctx, tmp_path):
    """The small export (units with and without coordinates, decommissioned, replaced, across a border): a
    group's commissioning curve and snapshot points are its members' sums, technology by technology."""
    from potenzial.serving.monitoring_import import import_exports
    from potenzial.store.gpkg import GeoPackageStore

    store = GeoPackageStore(tmp_path / "store")
    store.init()
    import_exports(store, region, Settings().params_dir, [write_test_export(tmp_path).path])
    group = ctx.groups["muldenland"]  # holds Grimma, Naunhof, Wurzen and Bad Lausick of the export
    view = monitoring_view(store, ctx, group=group.id)

    def points(v, kind):
        return {(r["technology"], r["date"]): r["capacity_kw"] for r in v["series"]["rows"] if r["point"] == kind}

    for kind in ("curve", "snapshot"):
        expected: dict[tuple[str, str], float] = {}
        for member in group.members:
            for key, kw in points(monitoring_view(store, ctx, ags=member), kind).items():
                expected[key] = expected.get(key, 0.0) + kw
        assert points(view, kind) == pytest.approx(expected), kind
    # by hand: the group's open-field PV is Naunhof's SEE005 (100 kW), replaced by SEE006 (150 kW) in 2022
    assert points(view, "curve")[("pv_ground", "2023-12-31")] == pytest.approx(150.0)

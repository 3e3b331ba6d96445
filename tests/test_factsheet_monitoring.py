"""The fact sheet's monitoring figure (page 1): installed capacity at each snapshot against the potential,
and the renewable share of electricity against the Leitbild's path with the gap, for a municipality and a
group, on the demo run with a hand-made cascade and the default region's snapshots
(tests/support/monitoring_map.py). The expected numbers are worked out from the statistics file by hand."""

from __future__ import annotations

import csv
import re

import pytest

from potenzial.serving.services import RunServices
from potenzial.store.gpkg import GeoPackageStore
from tests.support.demo_run import publish_demo_run
from tests.support.monitoring import GRIMMA, default_region
from tests.support.monitoring_map import STATISTICS, WIND_MW, monitoring_store, statistics_kw

PARTHELAND = ("14729060", "14729070", "14729190", "14729300", "14729020", "14729340")
#: layers/params/default/monitoring.toml (full-load hours [h/a]) and headline.toml (county use [GWh/a])
FULL_LOAD_H = {"pv": 950.0, "wind_on": 1880.0, "biomass": 5000.0, "water": 3500.0}
COUNTY_USE_GWH = 1600.0
#: the Leitbild: 37 % (2019) → 63 % (2030), linear: 2024 = 37 + 26 × 5/11
TARGET_2024_PCT = 37.0 + 26.0 * 5.0 / 11.0


@pytest.fixture(scope="module")
def services(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("factsheet-monitoring")
    store = monitoring_store(tmp / "store")
    yield RunServices(store, default_region(), tmp / "raster_cache"), store.current_run()


def share_2024_pct(members: set[str]) -> float:
    """Σ kW × full-load hours / 1e6 [GWh/a] over the four technologies, against the county's use split by
    population."""
    with STATISTICS.open(encoding="utf-8") as fh:
        rows = [r for r in csv.DictReader(fh) if r["ags"] != "14729000"]
    population = sum(float(r["population_2021"]) for r in rows)
    mine = [r for r in rows if r["ags"] in members]
    generation_gwh = sum(float(r[f"mastr2024_kw_{t}"]) * h / 1e6 for r in mine for t, h in FULL_LOAD_H.items())
    use_gwh = COUNTY_USE_GWH * sum(float(r["population_2021"]) for r in mine) / population
    return 100.0 * generation_gwh / use_gwh


def test_a_municipality(services):
    svc, record = services
    data = svc.sheet(record, (GRIMMA,)).monitoring
    wind = next(t for t in data.techs if t.code == "wind")
    assert [d for d, _ in wind.points] == ["2015-12-31", "2021-12-31", "2024-12-31"]
    assert wind.points[-1][1] == pytest.approx(statistics_kw("mastr2024_kw_wind_on", {GRIMMA}) / 1000)
    assert wind.potential_mw == WIND_MW
    assert wind.used_share_pct == pytest.approx(wind.points[-1][1] / WIND_MW * 100)
    pv = next(t for t in data.techs if t.code == "pv")
    assert [d for d, _ in pv.points] == ["2021-12-31", "2024-12-31"]  # the 2015 plant list has no roof PV
    assert data.gap_year == 2024
    assert data.gap_pct_points == pytest.approx(TARGET_2024_PCT - share_2024_pct({GRIMMA}))
    assert data.use_estimated is True


def test_a_group_is_the_sum_of_its_members(services):
    svc, record = services
    data = svc.sheet(record, PARTHELAND, "Partheland").monitoring
    wind = next(t for t in data.techs if t.code == "wind")
    assert wind.points[-1][1] == pytest.approx(statistics_kw("mastr2024_kw_wind_on", set(PARTHELAND)) / 1000)
    assert wind.potential_mw == WIND_MW * len(PARTHELAND)
    assert data.gap_pct_points == pytest.approx(TARGET_2024_PCT - share_2024_pct(set(PARTHELAND)))


@pytest.mark.parametrize("lang", ["de", "en"])
def test_on_page_one_with_titles(services, lang):
    svc, record = services
    page = svc.render_factsheet(record, GRIMMA, "html", lang).decode("utf-8")
    cover = page[page.index('class="page cover"'):page.index('class="page tech"')]
    figure = re.search(r'<figure class="chart monitoring">.*?</figure>', cover, re.S)
    assert figure, "the monitoring figure is on page 1"
    body = figure.group(0)
    assert body.count('class="point"') == 2 + 3 + 3 + 2  # PV 2021/2024, wind and biomass 2015–2024, share 2021/2024
    assert body.count('class="potential"') == 2  # PV and wind (biomass compares primary energy)
    assert 'class="target"' in body and 'class="gap"' in body
    words = {"de": ("Windenergie an Land", "Abstand zum Ziel 2024", "Prozentpunkte", "gestrichelt"),
             "en": ("Onshore wind", "Gap to the target 2024", "percentage points", "dashed")}[lang]
    assert all(w in body for w in words)
    shown = re.sub(r"<[^>]+>", " ", body)  # the text a person reads
    raw = ("gap_pct_points", "renewable_share_pct", "target_share_pct", "used_share_pct", "capacity_kw", "pv_roof")
    assert [n for n in raw if n in shown] == []


def test_no_figure_without_a_snapshot(tmp_path):
    store = publish_demo_run(tmp_path / "store")
    svc = RunServices(GeoPackageStore(tmp_path / "store"), default_region(), tmp_path / "raster_cache")
    record = store.current_run()
    assert svc.sheet(record, (GRIMMA,)).monitoring is None
    assert 'class="chart monitoring"' not in svc.render_factsheet(record, GRIMMA, "html", "de").decode("utf-8")

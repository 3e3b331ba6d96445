"""`potenzial report method` as a user runs it: each technology's stages from a store, one line for a
mistake, the file written whole with --out."""

from __future__ import annotations

import subprocess
import sys

import pandas as pd

from potenzial.cascade import assumption_rows, load_cascade_params
from potenzial.params import load_params
from potenzial.results.cascade import CASCADE_MUNICIPALITIES
from potenzial.settings import PROJECT_ROOT
from potenzial.store.base import RunResult
from potenzial.store.gpkg import GeoPackageStore
from tests.support.child_env import child_env
from tests.support.demo_run import municipalities_frame, run_record

SECTIONS = ("## Dach-PV / Roof PV", "## Freiflächen-PV / Open-field PV", "## Windenergie / Wind",
            "## Biomasse / Biomass")
STAGES = ("technisch / technical", "planerisch eingeschränkt / restricted", "realisierbar / realisable")


def cli(*args: str, data_dir) -> subprocess.CompletedProcess:
    env = child_env()
    env.update({"POTENZIAL_DATA_DIR": str(data_dir), "COLUMNS": "200"})
    return subprocess.run([sys.executable, "-m", "potenzial.cli.main", *args], capture_output=True, text=True,
                          env=env, cwd=PROJECT_ROOT, timeout=300)


def cascade_frame(ags: list[str]) -> pd.DataFrame:
    """Every technical figure 4, restricted 2, realisable 1 in each municipality."""
    value = {"technical": 4.0, "restricted": 2.0, "realisable": 1.0}
    frame = {"ags": ags, "horizon_year": [2035] * len(ags)}
    for column, _ in CASCADE_MUNICIPALITIES.columns[2:]:
        stage = next(s for s in value if f"_{s}_" in column)
        frame[column] = [value[stage]] * len(ags)
    return pd.DataFrame(frame)


def demand_frames(ags: list[str]) -> dict[str, pd.DataFrame]:
    """Two municipalities with 1,000 MWh_el use and 1,500 MWh_el realisable each; per horizon add-ons of 100
    (heat pumps) and 50 (cars) MWh_el in each, 2045 twice that."""
    from potenzial.results.demand import DEMAND_HORIZONS, DEMAND_MUNICIPALITIES

    def empty(schema) -> dict:
        return {c: {"int": 0, "float": float("nan"), "text": ""}[t] for c, t in schema.columns}

    muni = pd.DataFrame([empty(DEMAND_MUNICIPALITIES)] * len(ags)).assign(
        ags=ags, electricity_use_mwh_el_per_a=1_000.0, electricity_potential_mwh_el_per_a=1_500.0)
    rows = []
    for year, factor, hp, ev in ((2035, 1.0, 40.0, 35.0), (2045, 2.0, 75.0, 85.0)):
        for a in ags:
            rows.append(empty(DEMAND_HORIZONS) | {
                "ags": a, "horizon_year": year, "heat_pump_share_pct": hp, "ev_share_pct": ev,
                "heat_pump_electricity_mwh_el_per_a": 100.0 * factor, "ev_electricity_mwh_el_per_a": 50.0 * factor,
                "electricity_use_with_add_ons_mwh_el_per_a": 1_000.0 + 150.0 * factor})
    return {"demand_municipalities": muni, "demand_horizons": pd.DataFrame(rows)}


def publish(folder, with_cascade: bool = True, with_demand: bool = False) -> None:
    munis = municipalities_frame()
    frames = {"municipalities": munis}
    if with_demand:
        frames.update(demand_frames(sorted(munis["ags"].astype(str))[:2]))
    if with_cascade:
        params = load_cascade_params(load_params(PROJECT_ROOT / "layers" / "params" / "default").section("cascade"))
        frames["cascade_municipalities"] = cascade_frame(sorted(munis["ags"].astype(str))[:2])
        frames["cascade_assumptions"] = pd.DataFrame(assumption_rows(params))
    GeoPackageStore(folder).publish(RunResult(record=run_record(), frames=frames))


def test_report_method_prints_each_stage_of_each_technology(tmp_path):
    publish(tmp_path / "store")
    result = cli("report", "method", "--store", str(tmp_path / "store"), data_dir=tmp_path / "data")
    assert result.returncode == 0, result.stderr
    text = result.stdout
    assert "horizon year **2035**" in text
    # the demo run's record lists synthetic stand-ins: every run figure says so
    assert "**Synthetisch / synthetic:**" in text
    for i, heading in enumerate(SECTIONS):
        assert heading in text, heading
        end = text.index(SECTIONS[i + 1]) if i + 1 < len(SECTIONS) else len(text)
        part = text[text.index(heading):end]
        rows = {stage: next(line for line in part.splitlines() if line.startswith(f"| {stage}"))
                for stage in STAGES}
        # two municipalities: technical 4 + 4 = 8.0, restricted 2 + 2 = 4.0, realisable 1 + 1 = 2.0
        for stage, total in zip(STAGES, ("8.0", "4.0", "2.0"), strict=True):
            assert "(synthetic)" in rows[stage]
            assert f"| {total} |" in rows[stage], rows[stage]
        assert "Quelle / source" in part  # the assumptions with their sources
    # wind has no realisable area: a dash, not a number
    wind = text[text.index("## Windenergie / Wind"):text.index("## Biomasse / Biomass")]
    assert next(line for line in wind.splitlines() if line.startswith("| realisierbar")).count("| – |") == 1
    # the published reference figures carry their source
    assert "PVFVO" in text and "SächsGVBl. Nr. 34/2021" in text


def test_report_method_gives_the_electricity_use_with_add_ons_per_horizon(tmp_path):
    publish(tmp_path / "store", with_demand=True)
    result = cli("report", "method", "--store", str(tmp_path / "store"), data_dir=tmp_path / "data")
    assert result.returncode == 0, result.stderr
    part = result.stdout[result.stdout.index("## Stromverbrauch mit Wärmepumpen und E-Mobilität"):]
    lines = {line.split("|")[1].strip(): line for line in part.splitlines() if line.startswith("| 20")}
    # 2035: use 2 × 1,000 = 2,000; add-ons 2 × 100 = 200 and 2 × 50 = 100 → 2,300; realisable 3,000 → 130 %
    assert [c.strip() for c in lines["2035 (synthetic)"].split("|")[2:-1]] == \
        ["2,000", "40.0", "200", "35.0", "100", "2,300", "3,000", "130"]
    # 2045: add-ons doubled → 2,600; 3,000 / 2,600 = 115 %
    assert "| 2,600 | 3,000 | 115 |" in lines["2045 (synthetic)"]
    assert "Deckung Strom mit Zusatzverbrauch / Electricity coverage with add-ons [%]" in part
    # the factors of the parameter file with their sources
    assert "`heat_pump_spf`" in part and "Fraunhofer ISE" in part and "`km_per_car_a`" in part


def test_report_method_writes_the_file_given_with_out(tmp_path):
    publish(tmp_path / "store")
    out = tmp_path / "method.md"
    result = cli("report", "method", "--store", str(tmp_path / "store"), "--out", str(out),
                 data_dir=tmp_path / "data")
    assert result.returncode == 0, result.stderr
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# Methodenbericht") and all(h in text for h in SECTIONS)
    assert not list(tmp_path.glob(".method.md.part"))


def test_report_method_on_a_run_without_cascade_is_one_line(tmp_path):
    publish(tmp_path / "store", with_cascade=False)
    result = cli("report", "method", "--store", str(tmp_path / "store"), data_dir=tmp_path / "data")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr + result.stdout
    lines = [line for line in result.stderr.strip().splitlines() if line.strip()]
    text = " ".join(line.strip() for line in lines)
    assert text.startswith("error:") and "no potential cascade" in text and "--only cascade" in text

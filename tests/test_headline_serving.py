"""The headline figures as served: the electricity use table of the region's catalog replaces the
estimate, and the precedence setting comes from the environment. A real GeoPackage store and a real
region file; the figures are hand-made."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from potenzial.errors import ConfigError
from potenzial.region import load_region
from potenzial.serving.headline import load_headline_params
from potenzial.serving.services import RunServices
from potenzial.settings import PROJECT_ROOT, Settings
from potenzial.store.base import RunResult
from potenzial.store.gpkg import GeoPackageStore
from potenzial.store.schema import RESULTS
from tests.support.demo_run import municipalities_frame, run_record

REGION_DIR = PROJECT_ROOT / "layers" / "regions" / "lk-leipzig"
GRIMMA = "14729160"


def region_with_use_table(folder: Path, table: pd.DataFrame):
    text = (REGION_DIR / "region.toml").read_text(encoding="utf-8")
    text = text.replace('source = "data/', f'source = "{REGION_DIR / "data"}/')
    csv = folder / "electricity_use.csv"
    table.to_csv(csv, index=False)
    text += (f'\n[layers.electricity_use]\ntitle = "Stromverbrauch je Gemeinde (Test)"\nkind = "table"\n'
             f'source = "{csv}"\nlicence = "CC0-1.0"\nattribution = "test"\nprovenance = "real"\n')
    path = folder / "region.toml"
    path.write_text(text, encoding="utf-8")
    return load_region(path, folder, folder / "data")


def test_the_catalog_use_table_replaces_the_estimate(tmp_path):
    munis = municipalities_frame()
    roofs = pd.DataFrame(dict.fromkeys(RESULTS["solar_roof_municipalities"].column_names, 0), index=munis.index)
    roofs["ags"] = munis["ags"].to_numpy()
    roofs["roof_yield_gwh_per_a"] = 10.0  # 10 GWh_el/a of roof PV everywhere, nothing else
    store = GeoPackageStore(tmp_path / "store")
    store.publish(RunResult(record=run_record(), frames={"municipalities": munis, "solar_roof_municipalities": roofs}))
    region = region_with_use_table(tmp_path, pd.DataFrame({"ags": [GRIMMA], "electricity_use_mwh_per_a": [40_000.0]}))
    services = RunServices(store, region, tmp_path / "rc", headline=load_headline_params(PROJECT_ROOT / "layers"
                                                                                           / "params" / "default"))
    merged = services.figures(run_record()).merged.set_index("ags")
    # Grimma: 40,000 MWh/a = 40 GWh_el/a from the table; 10 / 40 = 25 %
    assert merged.loc[GRIMMA, "electricity_use_gwh_per_a"] == pytest.approx(40.0)
    assert merged.loc[GRIMMA, "electricity_potential_to_use_pct"] == pytest.approx(25.0)
    assert merged.loc[GRIMMA, "electricity_use_basis"] == "table"
    # the others: 1,600 GWh/a × their share of the population (the table's Grimma included in the total)
    other = merged.drop(index=GRIMMA)
    share = other["population"] / merged["population"].sum()
    assert (other["electricity_use_gwh_per_a"] - 1600.0 * share).abs().max() < 1e-9
    assert set(other["electricity_use_basis"]) == {"estimate"}


def test_precedence_from_the_environment(monkeypatch):
    params_dir = PROJECT_ROOT / "layers" / "params" / "default"
    monkeypatch.setenv("POTENZIAL_FIGURES_PRECEDENCE", "pv_first")
    settings = Settings()
    assert load_headline_params(params_dir, settings.figures_precedence).precedence == "pv_first"
    monkeypatch.setenv("POTENZIAL_FIGURES_PRECEDENCE", "PV")
    with pytest.raises(ConfigError, match="'PV' is unknown; allowed values: wind_first, pv_first"):
        load_headline_params(params_dir, Settings().figures_precedence)

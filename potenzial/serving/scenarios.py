"""What-if scenarios as a served product: the fast path's basis of a run (read once, cached), a
scenario's figures with the electricity and heat headlines, and the documents the API returns.

The routes (api/routers/scenarios.py) only translate HTTP to these calls.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from potenzial.errors import InputDataError, NotFoundError
from potenzial.results.headline import HEADLINE
from potenzial.results.scenarios import SCENARIO_MUNICIPALITIES
from potenzial.runs import RunRecord
from potenzial.scenarios import BandTable, Scenario, ScenarioBasis, ScenarioLimits, evaluate_scenario, parse_scenario
from potenzial.scenarios.evaluate import ScenarioResult, area_targets, build_turbines, run_figures_frame
from potenzial.serving.cache import RunCache
from potenzial.serving.figures import Figure
from potenzial.serving.headline import headline_frame
from potenzial.serving.scenario_cells import ScenarioCells
from potenzial.serving.services import RunServices

#: the run's tables the fast path reads
TABLES = ("scenario_bands", "scenario_parameters", "wind_municipalities", "wind_technical", "wind_turbines",
          "wind_areas", "wind_targets", "pv_ground_municipalities", "cascade_municipalities", "cascade_assumptions")
#: the headline figures a scenario answers with (electricity and heat apart, never added)
HEADLINE_COLUMNS = ("electricity_potential_gwh_per_a", "electricity_wind_gwh_per_a", "electricity_pv_ground_gwh_per_a",
                    "heat_potential_gwh_per_a")


#: (the run's figures with a scenario's in place, their metadata) -> {figure id: {ags: value}}
FigureValues = Callable[[pd.DataFrame, Sequence[Figure]], Mapping[str, Mapping[str, float | None]]]


@dataclass(frozen=True)
class RunScenarios:
    """A run's fast-path basis and what the answers share: the merged figures to put headlines on."""

    basis: ScenarioBasis
    merged: pd.DataFrame  #: the run's per-municipality figures (index: ags order of the bands)
    names: list[str]
    parameters: list[dict[str, Any]]  #: scenario_parameters rows
    base: dict[str, Any]  #: the base run's county figures on the fast path


#: the number parameters every run's scenario_parameters holds (the switches vary with the rule set)
LIMIT_PARAMETERS = ("residential_setback_m", "pv_ground_power_density_mwp_per_ha")


def limits_of(parameters: pd.DataFrame) -> ScenarioLimits:
    rows = parameters.set_index("parameter")
    absent = [p for p in LIMIT_PARAMETERS if p not in rows.index]
    if absent:
        raise InputDataError(f"the run's scenario_parameters lack {', '.join(absent)}: the table was not written by "
                             "the scenarios step. Run the pipeline again (potenzial run).")
    switches = rows[rows["kind"] == "switch"].sort_values("bit")
    setback = rows.loc["residential_setback_m"]
    density = rows.loc["pv_ground_power_density_mwp_per_ha"]
    return ScenarioLimits(setback_range_m=(float(setback["low"]), float(setback["high"])),
                          run_setback_m=float(setback["value"]),
                          criteria={str(k): bool(v >= 0.5) for k, v in switches["value"].items()},
                          pv_density_range_mwp_per_ha=(float(density["low"]), float(density["high"])),
                          run_pv_density_mwp_per_ha=float(density["value"]))


def _clean(value: Any) -> Any:
    if isinstance(value, (float, np.floating)):
        return None if not math.isfinite(float(value)) else round(float(value), 6)
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.bool_):
        return bool(value)
    return value


class ScenarioService:
    """Scenarios on the runs of ``results`` (figures, headline parameters and store of the server)."""

    def __init__(self, results: RunServices, figure_values: FigureValues | None = None) -> None:
        self.results = results
        #: the map's figures per municipality from a scenario's figures (given by the page's owner)
        self.figure_values = figure_values
        self._runs = RunCache(max_entries=4)
        #: the eligible-land tiles of the what-if map
        self.cells = ScenarioCells(results.raster_cache)

    def run(self, record: RunRecord) -> RunScenarios:
        return self._runs.get_or_build(("scenarios", record.run_id), lambda: self._build(record))

    def _build(self, record: RunRecord) -> RunScenarios:
        store = self.results.store
        missing = self.missing_tables(record)
        if missing:
            raise NotFoundError(f"run {record.run_id} has no {', '.join(missing)}: scenarios need a run with the "
                                 "wind, open-field PV, cascade and scenarios steps. Run the full pipeline once.")
        tables = {t: store.read(t, record.run_id) for t in TABLES}
        parameters = tables["scenario_parameters"]
        limits = limits_of(parameters)
        figures = self.results.figures(record)
        merged = figures.merged.assign(ags=lambda f: f["ags"].astype(str)).sort_values("ags", kind="stable")
        ags = merged["ags"].tolist()
        bands = BandTable.from_frame(tables["scenario_bands"], ags, list(limits.criteria))
        basis = ScenarioBasis(bands=bands, limits=limits, run=run_figures_frame(ags, tables),
                              targets=area_targets(tables["wind_targets"]),
                              build_turbines=build_turbines(tables["cascade_assumptions"]))
        names = merged["name"].astype(str).tolist() if "name" in merged.columns else ags
        rows = [{k: _clean(v) for k, v in r.items()} for r in parameters.to_dict("records")]
        partial = RunScenarios(basis=basis, merged=merged.reset_index(drop=True), names=names, parameters=rows,
                               base={})
        base = self._document(partial, evaluate_scenario(basis, parse_scenario({}, limits)), record)["county"]
        return RunScenarios(basis=basis, merged=partial.merged, names=names, parameters=rows, base=base)

    def parse(self, record: RunRecord, doc: Mapping[str, Any]) -> Scenario:
        return parse_scenario(doc, self.run(record).basis.limits)

    def evaluate(self, record: RunRecord, doc: Mapping[str, Any]) -> dict[str, Any]:
        """The answer to ``POST /api/scenarios/evaluate``: per municipality, county, base county, targets."""
        run = self.run(record)
        result = evaluate_scenario(run.basis, parse_scenario(doc, run.basis.limits))
        return self._document(run, result, record)

    def _document(self, run: RunScenarios, result: ScenarioResult, record: RunRecord) -> dict[str, Any]:
        frame = result.municipalities
        merged = run.merged.copy()
        for column in frame.columns:
            if column != "ags":
                merged[column] = frame[column].to_numpy()
        head = headline_frame(merged, self.results.headline, self.results.use_table)
        per_muni = frame.copy()
        per_muni.insert(1, "name", run.names)
        for column in HEADLINE_COLUMNS:
            per_muni[column] = head[column].to_numpy(dtype=float)
        county = dict(result.county)
        for column in HEADLINE_COLUMNS:
            county[column] = float(np.nansum(head[column].to_numpy(dtype=float)))
        units = {**dict(SCENARIO_MUNICIPALITIES.units), **{c: u for c, u in HEADLINE.units if c in HEADLINE_COLUMNS}}
        figures: Mapping[str, Mapping[str, float | None]] = {}
        if self.figure_values is not None:
            for column in head.columns:
                if column in merged.columns:
                    merged[column] = head[column].to_numpy()
            figures = self.figure_values(merged, self.results.figures(record).meta)
        return {
            "run_id": record.run_id,
            "scenario": result.scenario.as_dict(),
            "municipalities": [{k: _clean(v) for k, v in r.items()} for r in per_muni.to_dict("records")],
            "county": {k: _clean(v) for k, v in county.items()},
            "base_county": run.base,
            "targets": [{k: _clean(v) for k, v in r.items()} for r in result.targets.to_dict("records")],
            "units": units,
            "figures": figures,
        }

    def missing_tables(self, record: RunRecord) -> list[str]:
        """The tables the fast path needs that ``record`` lacks (a run of some steps only, ``--only``)."""
        have = set(self.results.store.run_layers(record.run_id))
        return [t for t in TABLES if t not in have]

    def parameters(self, record: RunRecord) -> list[dict[str, Any]]:
        """What a scenario on this run may change (GET /api/scenarios/parameters); none on a run without the
        scenarios' tables (the map then shows no what-if panel)."""
        if self.missing_tables(record):
            return []
        return self.run(record).parameters

"""What-if scenarios as a served product: the fast path's basis of a run (read once, cached), a
scenario's figures with the electricity and heat headlines, and the documents the API returns.

The routes (api/routers/scenarios.py) only translate HTTP to these calls.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from potenzial.errors import InputDataError, NotFoundError
from potenzial.results.demand import DEMAND_HORIZONS
from potenzial.results.headline import HEADLINE
from potenzial.results.scenarios import SCENARIO_MUNICIPALITIES
from potenzial.runs import RunRecord
from potenzial.scenarios import (
    SHARE_KEYS,
    BandTable,
    Scenario,
    ScenarioBasis,
    ScenarioLimits,
    UseBasis,
    evaluate_scenario,
    parse_scenario,
    use_basis,
)
from potenzial.scenarios.evaluate import ScenarioResult, area_targets, build_turbines, run_figures_frame
from potenzial.scenarios.scenario import PRECEDENCES, SHARE_RANGE_PCT
from potenzial.serving.cache import RunCache
from potenzial.serving.figures import Figure
from potenzial.serving.headline import headline_frame
from potenzial.serving.scenario_cells import ScenarioCells
from potenzial.serving.services import RunServices

#: the run's tables the fast path reads
TABLES = ("scenario_bands", "scenario_parameters", "wind_municipalities", "wind_technical", "wind_turbines",
          "wind_areas", "wind_targets", "pv_ground_municipalities", "cascade_municipalities", "cascade_assumptions")
#: the run's tables of the electricity use and its add-ons (optional: without them a scenario has no use figures)
USE_TABLES = ("demand_municipalities", "demand_horizons")
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


def horizon_of(assumptions: pd.DataFrame) -> int | None:
    """The cascade's horizon year (cascade_assumptions), the horizon of a scenario's use."""
    rows = assumptions[assumptions["parameter"] == "horizon_year"]
    return int(float(rows["value"].iloc[0])) if len(rows) else None


def with_use(limits: ScenarioLimits, use: UseBasis | None) -> ScenarioLimits:
    """``limits`` with the run's add-on shares at its horizon (none without a use basis)."""
    if use is None:
        return limits
    return dataclasses.replace(limits, run_heat_pump_share_pct=use.heat_pump_share_pct,
                               run_ev_share_pct=use.ev_share_pct, horizon_year=use.horizon_year)


def share_rows(use: UseBasis) -> list[dict[str, Any]]:
    """The two shares as rows of scenario_parameters: titles and unit from demand_horizons' schema, the run's
    value at its horizon, the range a scenario may give."""
    rows = []
    for key, value in zip(SHARE_KEYS, (use.heat_pump_share_pct, use.ev_share_pct), strict=True):
        title = DEMAND_HORIZONS.column_title(key)
        kind = key.removesuffix("_share_pct")
        rows.append({"parameter": key, "kind": "number", "title_de": title["de"], "title_en": title["en"],
                     "unit": DEMAND_HORIZONS.declared_unit(key), "value": value, "low": SHARE_RANGE_PCT[0],
                     "high": SHARE_RANGE_PCT[1], "bit": -1,
                     "source": f"layers/params/default/demand.toml [demand.add_ons] "
                               f"{kind}_share_{use.horizon_year}_pct"})
    return rows


#: the titles of the precedence choice and of its options (German first)
PRECEDENCE_TITLES = {"parameter": {"de": "Vorrang, wo Wind und Freiflächen-PV dieselbe Fläche nutzen könnten",
                                   "en": "Precedence where wind and open-field PV could use the same land"},
                     "wind_first": {"de": "Wind zuerst", "en": "Wind first"},
                     "pv_first": {"de": "Freiflächen-PV zuerst", "en": "Open-field PV first"}}


def precedence_row(value: str) -> dict[str, Any]:
    """The precedence as a parameter row (kind ``choice``: its ``options`` in order, low = the first)."""
    return {"parameter": "precedence", "kind": "choice", "title_de": PRECEDENCE_TITLES["parameter"]["de"],
            "title_en": PRECEDENCE_TITLES["parameter"]["en"], "unit": "", "value": value,
            "options": [{"value": o, "title": PRECEDENCE_TITLES[o]} for o in PRECEDENCES],
            "low": PRECEDENCES[0], "high": PRECEDENCES[1], "bit": -1,
            "source": "layers/params/default/headline.toml [headline] precedence"}


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
        self._tornados = RunCache(max_entries=64)  #: sensitivity per run and area
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
        figures = self.results.figures(record)
        merged = figures.merged.assign(ags=lambda f: f["ags"].astype(str)).sort_values("ags", kind="stable")
        ags = merged["ags"].tolist()
        use = self._use(record, ags, tables)
        limits = dataclasses.replace(with_use(limits_of(parameters), use),
                                     run_precedence=self.results.headline.precedence)
        bands = BandTable.from_frame(tables["scenario_bands"], ags, list(limits.criteria))
        basis = ScenarioBasis(bands=bands, limits=limits, run=run_figures_frame(ags, tables),
                              targets=area_targets(tables["wind_targets"]),
                              build_turbines=build_turbines(tables["cascade_assumptions"]), use=use)
        names = merged["name"].astype(str).tolist() if "name" in merged.columns else ags
        rows = [{k: _clean(v) for k, v in r.items()} for r in parameters.to_dict("records")]
        rows += [{k: _clean(v) for k, v in r.items()} for r in (share_rows(use) if use is not None else [])]
        rows.append(precedence_row(limits.run_precedence))
        partial = RunScenarios(basis=basis, merged=merged.reset_index(drop=True), names=names, parameters=rows,
                               base={})
        base = self._document(partial, evaluate_scenario(basis, parse_scenario({}, limits)), record,
                              with_figures=False)["county"]
        return RunScenarios(basis=basis, merged=partial.merged, names=names, parameters=rows, base=base)

    def _use(self, record: RunRecord, ags: list[str], tables: Mapping[str, pd.DataFrame]) -> UseBasis | None:
        """The run's use at the cascade's horizon; None for a run without the demand tables or add-ons."""
        have = set(self.results.store.run_layers(record.run_id))
        horizon = horizon_of(tables["cascade_assumptions"])
        if horizon is None or not set(USE_TABLES) <= have:
            return None
        demand = {t: self.results.store.read(t, record.run_id) for t in USE_TABLES}
        return use_basis(ags, demand["demand_municipalities"], demand["demand_horizons"],
                         tables["cascade_municipalities"], horizon)

    def parse(self, record: RunRecord, doc: Mapping[str, Any]) -> Scenario:
        return parse_scenario(doc, self.run(record).basis.limits)

    def evaluate(self, record: RunRecord, doc: Mapping[str, Any]) -> dict[str, Any]:
        """The answer to ``POST /api/scenarios/evaluate``: per municipality, county, base county, targets."""
        run = self.run(record)
        result = evaluate_scenario(run.basis, parse_scenario(doc, run.basis.limits))
        return self._document(run, result, record)

    def _document(self, run: RunScenarios, result: ScenarioResult, record: RunRecord,
                  with_figures: bool = True) -> dict[str, Any]:
        """The answer's document; ``with_figures`` False leaves out the map's figures (``figures`` empty), for
        callers that read only the county or the municipalities' rows."""
        frame = result.municipalities
        merged = run.merged.copy()
        for column in frame.columns:
            if column != "ags":
                merged[column] = frame[column].to_numpy()
        headline = self.results.headline.model_copy(update={"precedence": result.scenario.precedence})
        head = headline_frame(merged, headline, self.results.use_table)
        per_muni = frame.copy()
        per_muni.insert(1, "name", run.names)
        for column in HEADLINE_COLUMNS:
            per_muni[column] = head[column].to_numpy(dtype=float)
        county = dict(result.county)
        for column in HEADLINE_COLUMNS:
            county[column] = float(np.nansum(head[column].to_numpy(dtype=float)))
        units = {**dict(SCENARIO_MUNICIPALITIES.units), **{c: u for c, u in HEADLINE.units if c in HEADLINE_COLUMNS}}
        figures: Mapping[str, Mapping[str, float | None]] = {}
        if with_figures and self.figure_values is not None:
            for column in head.columns:
                if column in merged.columns:
                    merged[column] = head[column].to_numpy()
            figures = self.figure_values(merged, self.results.figures(record).meta)
        return {
            "run_id": record.run_id,
            "horizon_year": run.basis.use.horizon_year if run.basis.use is not None else None,
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

    def sensitivity(self, record: RunRecord, ags: str | None = None) -> dict[str, Any]:
        """The tornado of the county or of municipality ``ags`` (:func:`sensitivity_document`), kept per run."""
        run = self.run(record)
        return self._tornados.get_or_build(("sensitivity", record.run_id, ags), lambda: sensitivity_document(
            run.parameters, lambda doc: self._document(run, evaluate_scenario(run.basis, parse_scenario(
                doc, run.basis.limits)), record, with_figures=False), ags))

    def parameters(self, record: RunRecord) -> list[dict[str, Any]]:
        """What a scenario on this run may change (GET /api/scenarios/parameters); none on a run without the
        scenarios' tables (the map then shows no what-if panel)."""
        if self.missing_tables(record):
            return []
        return self.run(record).parameters


# ------------------------------------------------------------------ sensitivity (tornado)

#: the figures the tornado shows, with the schema that titles each (electricity and heat never mixed)
SENSITIVITY_FIGURES = (("scenario_municipalities", "wind_area_ha"), ("scenario_municipalities", "wind_yield_gwh_per_a"),
                       ("headline", "electricity_potential_gwh_per_a"),
                       ("scenario_municipalities", "electricity_coverage_with_add_ons_pct"))


def sensitivity_document(parameters: list[dict[str, Any]], evaluate: Callable[[dict[str, Any]], dict[str, Any]],
                         ags: str | None) -> dict[str, Any]:
    """One-at-a-time sensitivity: every parameter of ``parameters`` (scenario_parameters rows) at its low and
    its high end (a switch off and on), the others at the run's values; per figure of
    :data:`SENSITIVITY_FIGURES`, the parameters ordered by how far they move it (the tornado's bars).

    ``evaluate(doc)`` is the fast path's answer to a scenario; ``ags`` None: the county."""
    def figure_of(answer: dict[str, Any], column: str) -> float | None:
        if ags is None:
            return answer["county"].get(column)
        return next(r for r in answer["municipalities"] if r["ags"] == ags).get(column)

    base = evaluate({})
    if ags is not None and all(r["ags"] != ags for r in base["municipalities"]):
        raise NotFoundError(f"no municipality with AGS {ags} in this run; /api/municipalities lists them.")
    ends = []
    for p in parameters:
        if p["kind"] == "switch":
            low_doc, high_doc = {"switches": {p["parameter"]: False}}, {"switches": {p["parameter"]: True}}
        elif p["kind"] == "choice":  # its first option and its second
            low_doc, high_doc = {p["parameter"]: p["options"][0]["value"]}, {p["parameter"]: p["options"][1]["value"]}
        else:
            low_doc, high_doc = {p["parameter"]: p["low"]}, {p["parameter"]: p["high"]}
        ends.append((p, evaluate(low_doc), evaluate(high_doc)))
    figures = []
    for table, column in SENSITIVITY_FIGURES:
        at_base = figure_of(base, column)
        if at_base is None:
            continue  # e.g. no electricity use on a run without the demand step
        bars = []
        for p, low, high in ends:
            at_low, at_high = figure_of(low, column), figure_of(high, column)
            swing = abs((at_high or 0.0) - (at_low or 0.0))
            bars.append({"parameter": p["parameter"], "kind": p["kind"],
                         "title": {"de": p["title_de"], "en": p["title_en"]}, "unit": p["unit"],
                         "low": p["low"], "high": p["high"], "value": p["value"], "options": p.get("options"),
                         "at_low": at_low, "at_high": at_high, "swing": swing})
        bars.sort(key=lambda b: -b["swing"])
        figures.append({"figure": column, "table": table, "unit": base["units"].get(column, ""), "base": at_base,
                        "bars": bars})
    name = None if ags is None else next(r["name"] for r in base["municipalities"] if r["ags"] == ags)
    return {"run_id": base["run_id"], "ags": ags, "name": name, "figures": figures}

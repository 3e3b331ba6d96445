"""Saved scenarios as a served product: save, list, get, compare side by side, export to Excel.

A saved scenario keeps its parameters and its base run's id. It is evaluated on that run (the fast
path, :mod:`potenzial.serving.scenarios`) as long as the store keeps the run; once the run is gone
it answers GoneError (410) with the reason.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from potenzial.errors import GoneError, ParameterError
from potenzial.results.headline import HEADLINE
from potenzial.results.scenarios import SCENARIO_MUNICIPALITIES
from potenzial.runs import RunRecord
from potenzial.scenarios import SHARE_KEYS
from potenzial.serving.scenarios import ScenarioService
from potenzial.serving.workbook import workbook_bytes
from potenzial.store.saved_scenarios import SavedScenario, new_scenario

MAX_COMPARED = 6  #: scenarios side by side at most


def _header(column: str, lang: str) -> str:
    schema = SCENARIO_MUNICIPALITIES if column in SCENARIO_MUNICIPALITIES.column_names else HEADLINE
    title = schema.column_title(column)[lang]
    unit = schema.column_unit(column)[lang]
    return f"{title} ({unit})" if unit and unit != "–" else title


class SavedScenarioService:
    def __init__(self, scenarios: ScenarioService) -> None:
        self.scenarios = scenarios
        self.store = scenarios.results.store

    def _describe(self, saved: SavedScenario, kept: set[str]) -> dict[str, Any]:
        return {"scenario_id": saved.scenario_id, "name": saved.name, "parameters": saved.parameters,
                "base_run_id": saved.base_run_id, "created_at": saved.created_at,
                "base_run_kept": saved.base_run_id in kept}

    def _runs(self) -> dict[str, RunRecord]:
        return {r.run_id: r for r in self.store.list_runs()}

    def save(self, current: RunRecord, doc: Mapping[str, Any]) -> dict[str, Any]:
        """Check ``doc`` against the current run and save it with that run as its base."""
        scenario = self.scenarios.parse(current, doc)
        if not scenario.name.strip():
            raise ParameterError("scenario parameter name: give the scenario a name to save it under.")
        params = {k: v for k, v in scenario.as_dict().items() if k != "name"}
        saved = new_scenario(scenario.name.strip(), params, current.run_id)
        self.store.saved_scenarios().save(saved)
        return self._describe(saved, {current.run_id})

    def list(self) -> list[dict[str, Any]]:
        kept = set(self._runs())
        return [self._describe(s, kept) for s in self.store.saved_scenarios().list()]

    def get(self, scenario_id: str) -> dict[str, Any]:
        """The saved scenario with its figures on its base run (GoneError when that run is gone)."""
        saved = self.store.saved_scenarios().get(scenario_id)
        runs = self._runs()
        record = runs.get(saved.base_run_id)
        if record is None:
            raise GoneError(f"scenario {saved.name!r} ({scenario_id}) was computed on run {saved.base_run_id}, which "
                            "the store no longer keeps (old runs are pruned). Save the scenario again on the current "
                            "run.")
        answer = self.scenarios.evaluate(record, {"name": saved.name, **saved.parameters})
        return {**self._describe(saved, set(runs)), "result": answer}

    def compare(self, ids: Sequence[str]) -> dict[str, Any]:
        """The county figures of the scenarios side by side, with the difference of each to the first."""
        if not 2 <= len(ids) <= MAX_COMPARED:
            raise ParameterError(f"ids: give 2 to {MAX_COMPARED} scenario ids, comma-separated; got {len(ids)}.")
        got = [self.get(i) for i in ids]
        first = got[0]["result"]["county"]
        rows = []
        for key, value in first.items():
            values = [g["result"]["county"].get(key) for g in got]
            rows.append({"figure": key, "unit": got[0]["result"]["units"].get(key, ""), "values": values,
                         "differences": [None if v is None or value is None else round(v - value, 6)
                                         for v in values]})
        return {"scenarios": [{k: v for k, v in g.items() if k != "result"} for g in got], "county": rows}

    def export_xlsx(self, scenario_id: str, lang: str = "de") -> bytes:
        """Inputs (parameters, base run) and outputs (municipalities, county, targets) as a workbook."""
        from openpyxl import Workbook
        from openpyxl.styles import Font

        doc = self.get(scenario_id)
        result = doc["result"]
        de = lang == "de"
        book = Workbook()
        inputs = book.active
        inputs.title = "Eingaben" if de else "Inputs"
        inputs.append(["Szenario" if de else "Scenario", doc["name"]])
        inputs.append(["Basislauf" if de else "Base run", doc["base_run_id"]])
        inputs.append(["Gespeichert am" if de else "Saved at", doc["created_at"]])
        if result.get("horizon_year") is not None:
            inputs.append(["Zieljahr" if de else "Horizon year", result["horizon_year"]])
        by_name = {p["parameter"]: p for p in self.scenarios.parameters(self._runs()[doc["base_run_id"]])}
        scenario = result["scenario"]
        rows = [("residential_setback_m", scenario["residential_setback_m"]),
                ("pv_ground_power_density_mwp_per_ha", scenario["pv_ground_power_density_mwp_per_ha"]),
                *((k, scenario.get(k)) for k in SHARE_KEYS if scenario.get(k) is not None),
                *((k, ("an" if de else "on") if v else ("aus" if de else "off"))
                  for k, v in scenario["switches"].items())]
        inputs.append([])
        inputs.append(["Parameter", "Wert" if de else "Value", "Einheit" if de else "Unit",
                       "Wert im Basislauf" if de else "Value in the base run", "Quelle" if de else "Source"])
        for name, value in rows:
            p = by_name.get(name, {})
            inputs.append([p.get("title_de" if de else "title_en", name), value, p.get("unit", ""),
                           p.get("value"), p.get("source", "")])
        munis = book.create_sheet("Gemeinden" if de else "Municipalities")
        columns = [c for c in result["municipalities"][0] if c not in ("ags", "name")] if result["municipalities"] \
            else []
        munis.append(["AGS", "Gemeinde" if de else "Municipality", *(_header(c, lang) for c in columns)])
        for row in result["municipalities"]:
            munis.append([row["ags"], row["name"], *(row[c] for c in columns)])
        county = book.create_sheet("Landkreis" if de else "County")
        for key, value in result["county"].items():
            county.append([_header(key, lang), value])
        targets = book.create_sheet("Flächenziele" if de else "Area targets")
        if result["targets"]:
            targets.append(list(result["targets"][0]))
            for row in result["targets"]:
                targets.append(list(row.values()))
        for sheet in book.worksheets:
            for cell in sheet[1]:
                cell.font = Font(bold=True)
        return workbook_bytes(book, str(doc["created_at"]))

"""The exact answer to a scenario: the parameter set and rules folder of a full run with the scenario's
overrides (``potenzial run --scenario FILE``), so that every geometry is computed again.

The residential setback is the buffer of the setback rule in the wind rule set: the rule sets are
copied into a folder of the run's own and that one buffer is rewritten; the switches go into
``[wind.switches]``, the PV power density into ``[pv_ground]`` and the heat-pump and electric-car shares
into ``[demand.add_ons]`` for the cascade's horizon year (their ranges widened to hold the scenario's
value, which may be anything from 0 to 100 %).
"""

from __future__ import annotations

import copy
import hashlib
import json
import re
import shutil
import tomllib
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any

from potenzial.cascade.params import load_cascade_params
from potenzial.demand import load_demand_params
from potenzial.errors import ConfigError, ParameterError
from potenzial.exclusions import resolve_rule_set_path
from potenzial.params import ParameterSet, plain
from potenzial.scenarios import Scenario, ScenarioLimits, load_scenario_params, parse_scenario
from potenzial.steps.scenarios import PV_DENSITY_KEY
from potenzial.wind import rule_set_name


def read_scenario_file(path: Path) -> dict[str, Any]:
    """A scenario from a TOML or JSON file (the keys of :mod:`potenzial.scenarios.scenario`)."""
    try:
        text = path.read_bytes()
    except OSError as exc:
        raise ParameterError(f"scenario file {path}: cannot be read ({exc.strerror}). Give an existing file.") from None
    try:
        return json.loads(text) if path.suffix.lower() == ".json" else tomllib.loads(text.decode("utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise ParameterError(f"scenario file {path}: not valid {'JSON' if path.suffix == '.json' else 'TOML'} "
                             f"({exc}).") from None


def scenario_limits(params: ParameterSet, rules_dir: Path) -> tuple[ScenarioLimits, str, Path]:
    """(limits, the setback rule id, the wind rule set's file) of a parameter set."""
    sp = load_scenario_params(params.values.get("scenarios", {}))
    wind = params.section("wind")
    rule_path = resolve_rule_set_path(rule_set_name(wind), rules_dir)
    doc = tomllib.loads(rule_path.read_text(encoding="utf-8"))
    setback_id = str(wind.get("setback_rule", "residential_sachsbo84"))
    rules = {r["id"]: r for r in doc.get("rules", [])}
    if setback_id not in rules:
        raise ConfigError(f"setback rule {setback_id!r} is not in {rule_path}.")
    switches = dict(plain(wind.get("switches", {})))
    criteria = {c: bool(switches.get(c, rules[c].get("enabled", True))) for c in sp.criteria if c in rules}
    pv = params.values.get("pv_ground", {})
    density = float(pv.get(PV_DENSITY_KEY, 1.0))
    low, _, high = (float(v) for v in pv.get("ranges", {}).get(PV_DENSITY_KEY, (density, density, density)))
    horizon = load_cascade_params(params.values.get("cascade", {})).horizon_year
    add_ons = load_demand_params(params.section("demand")).add_ons
    has = horizon in add_ons.heat_pump_share_pct
    limits = ScenarioLimits(setback_range_m=(sp.residential_setback_min_m, sp.residential_setback_max_m),
                            run_setback_m=float(rules[setback_id]["buffer_m"]), criteria=criteria,
                            pv_density_range_mwp_per_ha=(low, high), run_pv_density_mwp_per_ha=density,
                            run_heat_pump_share_pct=add_ons.share_pct("heat_pump", horizon) if has else None,
                            run_ev_share_pct=add_ons.share_pct("ev", horizon) if has else None,
                            horizon_year=horizon if has else None,
                            run_precedence=str(params.values.get("headline", {}).get("precedence", "wind_first")))
    return limits, setback_id, rule_path


def _with_buffer(text: str, rule_id: str, buffer_m: float) -> str:
    """The rule set's TOML with ``buffer_m`` of rule ``rule_id`` replaced (the one line in its block)."""
    blocks = re.split(r"(?m)^(?=\[\[rules\]\])", text)
    for i, block in enumerate(blocks):
        if re.search(rf'(?m)^id\s*=\s*"{re.escape(rule_id)}"\s*$', block):
            new, n = re.subn(r"(?m)^buffer_m\s*=\s*[0-9.eE+-]+", f"buffer_m = {buffer_m:g}", block, count=1)
            if n != 1:
                raise ConfigError(f"rule {rule_id!r} has no buffer_m line to change.")
            blocks[i] = new
            return "".join(blocks)
    raise ConfigError(f"rule {rule_id!r} not found in the rule set.")


def scenario_run_inputs(params: ParameterSet, rules_dir: Path, doc: Mapping[str, Any], out_dir: Path
                        ) -> tuple[Scenario, ParameterSet, Path]:
    """(the scenario, the parameter set, the rules folder) of the exact run of ``doc``; the folder is
    written into ``out_dir``."""
    limits, setback_id, rule_path = scenario_limits(params, rules_dir)
    scenario = parse_scenario(doc, limits)
    rules_out = Path(out_dir) / "rules"
    rules_out.mkdir(parents=True, exist_ok=True)
    for file in Path(rules_dir).glob("*.toml"):
        shutil.copy2(file, rules_out / file.name)
    target = rules_out / rule_path.name
    target.write_text(_with_buffer(rule_path.read_text(encoding="utf-8"), setback_id,
                                   scenario.residential_setback_m), encoding="utf-8")
    values = copy.deepcopy(plain(params.values))
    values["wind"].setdefault("switches", {}).update(dict(scenario.switches))
    values.setdefault("pv_ground", {})[PV_DENSITY_KEY] = scenario.pv_ground_power_density_mwp_per_ha
    values.setdefault("headline", {})["precedence"] = scenario.precedence
    add_ons = values["demand"]["add_ons"]
    for kind, share in (("heat_pump", scenario.heat_pump_share_pct), ("ev", scenario.ev_share_pct)):
        if share is not None and limits.horizon_year is not None:
            key = f"{kind}_share_{limits.horizon_year}_pct"
            add_ons[key] = share
            add_ons[f"{key}_low"] = min(float(add_ons[f"{key}_low"]), share)
            add_ons[f"{key}_high"] = max(float(add_ons[f"{key}_high"]), share)
    values.setdefault("meta", {})["scenario"] = scenario.as_dict()
    canonical = json.dumps(values, sort_keys=True, ensure_ascii=False, default=str)
    new = ParameterSet(path=params.path, version=f"{params.version}+scenario", values=MappingProxyType(values),
                       sha256=hashlib.sha256(canonical.encode("utf-8")).hexdigest())
    return scenario, new, rules_out

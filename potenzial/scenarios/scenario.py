"""A scenario: named parameter overrides on a base run, checked against what the run precomputed.

Keys a scenario may set (everything else is the base run's value):

- ``residential_setback_m`` [m]: the setback from residential buildings of SächsBO §84 classes 1–3;
- ``switches``: ``{criterion: true|false}`` for the scenario criteria (true: the rule excludes land);
- ``pv_ground_power_density_mwp_per_ha`` [MWp/ha]: open-field PV power density;
- ``heat_pump_share_pct`` [%]: share of the residential heat demand supplied by heat pumps at the
  scenario's horizon (the cascade's horizon year), 0–100;
- ``ev_share_pct`` [%]: share of the passenger cars that are electric at that horizon, 0–100.

The two shares default to the parameter file's values for the horizon ([demand.add_ons]); a run
without electricity add-ons (``run_heat_pump_share_pct`` None) refuses them.

An unknown key names the nearest valid one; a value outside its range names the range.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from potenzial.errors import ParameterError

KEYS = ("name", "residential_setback_m", "switches", "pv_ground_power_density_mwp_per_ha", "heat_pump_share_pct",
        "ev_share_pct", "precedence")
SHARE_KEYS = ("heat_pump_share_pct", "ev_share_pct")  #: the electricity add-ons' shares [%]
SHARE_RANGE_PCT = (0.0, 100.0)
#: which technology keeps the land both wind and open-field PV could use (the headline counts it once)
PRECEDENCES = ("wind_first", "pv_first")


@dataclass(frozen=True)
class ScenarioLimits:
    """What a scenario may ask of one base run, and the run's own values."""

    setback_range_m: tuple[float, float]
    run_setback_m: float
    criteria: Mapping[str, bool]  #: criterion -> switched on in the run
    pv_density_range_mwp_per_ha: tuple[float, float]
    run_pv_density_mwp_per_ha: float
    #: the run's add-on shares at its horizon [%]; None: the run has no electricity add-ons
    run_heat_pump_share_pct: float | None = None
    run_ev_share_pct: float | None = None
    horizon_year: int | None = None  #: the horizon the shares are for (the cascade's)
    run_precedence: str = "wind_first"  #: the served headline's precedence ([headline] precedence)


@dataclass(frozen=True)
class Scenario:
    """Every parameter of a scenario resolved (the run's value where the scenario sets none)."""

    name: str
    residential_setback_m: float
    switches: Mapping[str, bool] = field(default_factory=dict)  #: every criterion -> on
    pv_ground_power_density_mwp_per_ha: float = 1.0
    heat_pump_share_pct: float | None = None  #: None: the run has no electricity add-ons
    ev_share_pct: float | None = None
    precedence: str = "wind_first"  #: one of :data:`PRECEDENCES`

    @property
    def on(self) -> tuple[str, ...]:
        """The criteria switched on (they exclude land)."""
        return tuple(k for k, v in self.switches.items() if v)

    def as_dict(self) -> dict[str, Any]:
        return {"name": self.name, "residential_setback_m": self.residential_setback_m,
                "switches": dict(self.switches),
                "pv_ground_power_density_mwp_per_ha": self.pv_ground_power_density_mwp_per_ha,
                "heat_pump_share_pct": self.heat_pump_share_pct, "ev_share_pct": self.ev_share_pct,
                "precedence": self.precedence}


def _nearest(key: str, allowed: tuple[str, ...] | list[str]) -> str:
    close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.5)
    hint = f" Did you mean {close[0]!r}?" if close else ""
    return f"{hint} Allowed: {', '.join(allowed)}."


def _number(doc: Mapping[str, Any], key: str, low: float, high: float, default: float, unit: str) -> float:
    value = doc.get(key)
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(float(value)):
        raise ParameterError(f"scenario parameter {key} = {value!r}: give a number in {unit} between "
                             f"{low:g} and {high:g}.")
    if not low <= float(value) <= high:
        raise ParameterError(f"scenario parameter {key} = {float(value):g} {unit} lies outside the allowed range "
                             f"{low:g}–{high:g} {unit}.")
    return float(value)


def parse_scenario(doc: Mapping[str, Any], limits: ScenarioLimits) -> Scenario:
    """The scenario of ``doc`` (a JSON object or a TOML table), checked against ``limits``."""
    if not isinstance(doc, Mapping):
        raise ParameterError(f"a scenario is an object with the keys {', '.join(KEYS)}; got {type(doc).__name__}.")
    for key in doc:
        if key not in KEYS:
            raise ParameterError(f"scenario parameter {key!r} is unknown.{_nearest(str(key), KEYS)}")
    name = doc.get("name", "")
    if not isinstance(name, str) or len(name) > 200:
        raise ParameterError("scenario parameter name: give a text of at most 200 characters.")
    switches = doc.get("switches") or {}
    if not isinstance(switches, Mapping):
        raise ParameterError("scenario parameter switches: give an object {criterion: true|false}, e.g. "
                             '{"forest": false}.')
    criteria = tuple(limits.criteria)
    resolved = dict(limits.criteria)
    for key, value in switches.items():
        if key not in resolved:
            raise ParameterError(f"scenario switch {key!r} is unknown.{_nearest(str(key), criteria)}")
        if not isinstance(value, bool):
            raise ParameterError(f"scenario switch {key} = {value!r}: give true (the rule excludes land) or false.")
        resolved[key] = value
    low, high = limits.setback_range_m
    setback = _number(doc, "residential_setback_m", low, high, limits.run_setback_m, "m")
    d_low, d_high = limits.pv_density_range_mwp_per_ha
    density = _number(doc, "pv_ground_power_density_mwp_per_ha", d_low, d_high, limits.run_pv_density_mwp_per_ha,
                      "MWp/ha")
    shares: dict[str, float | None] = {}
    for key, run_value in zip(SHARE_KEYS, (limits.run_heat_pump_share_pct, limits.run_ev_share_pct), strict=True):
        if run_value is None:
            if doc.get(key) is not None:
                raise ParameterError(f"scenario parameter {key}: this run has no electricity add-ons per horizon "
                                     "(demand_horizons without heat pumps and e-mobility). Leave it out, or run the "
                                     "pipeline again (potenzial run).")
            shares[key] = None
        else:
            shares[key] = _number(doc, key, *SHARE_RANGE_PCT, run_value, "%")
    precedence = doc.get("precedence", limits.run_precedence)
    if precedence not in PRECEDENCES:
        raise ParameterError(f"scenario parameter precedence = {precedence!r}: give one of "
                             f"{', '.join(PRECEDENCES)} (which technology keeps land both could use).")
    return Scenario(name=name, residential_setback_m=setback, switches=resolved,
                    pv_ground_power_density_mwp_per_ha=density, heat_pump_share_pct=shares["heat_pump_share_pct"],
                    ev_share_pct=shares["ev_share_pct"], precedence=str(precedence))

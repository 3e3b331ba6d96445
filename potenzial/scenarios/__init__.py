"""What-if scenarios: named parameter overrides on a base run, answered without recomputing geometry.

A :class:`Scenario` changes the residential setback (SächsBO §84 classes 1–3), switches the
scenario criteria of the wind rule set (forest, LSG, water protection zone III, single outer-area
dwellings) and the open-field PV power density. The run precomputes, per municipality, a histogram
of the distance to the residential buildings over the land free of every other exclusion, split by
which scenario criteria hit each cell (the *joint masks*, :mod:`~potenzial.scenarios.bands`). A
scenario is then a sum over the compatible masks and a lookup in the histogram
(:mod:`~potenzial.scenarios.evaluate`); turbines and yield follow from the packing density and the
yield per turbine measured on the run's own placement. Two shares (heat pumps, electric cars) move the
electricity use, and the realisable electricity of the scenario is set against it
(:mod:`~potenzial.scenarios.use`).

Pure calculation: no store, API or CLI imports.
"""

from potenzial.scenarios.bands import BandTable, setback_histograms
from potenzial.scenarios.evaluate import ScenarioBasis, ScenarioResult, evaluate_scenario
from potenzial.scenarios.params import ScenarioParams, load_scenario_params
from potenzial.scenarios.scenario import SHARE_KEYS, Scenario, ScenarioLimits, parse_scenario
from potenzial.scenarios.use import USE_COLUMNS, UseBasis, use_basis

__all__ = ["SHARE_KEYS", "USE_COLUMNS", "BandTable", "Scenario", "ScenarioBasis", "ScenarioLimits", "ScenarioParams",
           "ScenarioResult", "UseBasis", "evaluate_scenario", "load_scenario_params", "parse_scenario",
           "setback_histograms", "use_basis"]

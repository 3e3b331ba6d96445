"""Wind potential: SächsBO §84 residential classes, exclusions, turbine placement and yield.

Pure calculations (no store, API or CLI imports); the pipeline step is potenzial/steps/wind.py.
"""

from potenzial.wind.field import WindField
from potenzial.wind.params import DEFAULT_RULE_SET, WindParams, load_wind_params, rule_set_name
from potenzial.wind.placement import ellipse_stencil, place_turbines, spacing_metric
from potenzial.wind.potential import (
    PLOTS_LAYER,
    RESIDENTIAL_COLUMNS,
    RESIDENTIAL_LAYER,
    WindResult,
    drop_small_areas,
    target_table,
    wind_potential,
)
from potenzial.wind.residential import classify_residential
from potenzial.wind.turbine import (
    ReferenceTurbine,
    gross_yield_mwh_per_a,
    hub_wind_speed,
    known_turbine_types,
    net_yield_mwh_per_a,
    reference_turbine,
)

__all__ = [
    "DEFAULT_RULE_SET", "PLOTS_LAYER", "RESIDENTIAL_COLUMNS", "RESIDENTIAL_LAYER", "ReferenceTurbine", "WindField",
    "WindParams",
    "WindResult", "classify_residential", "drop_small_areas", "ellipse_stencil", "gross_yield_mwh_per_a",
    "hub_wind_speed", "known_turbine_types", "load_wind_params", "net_yield_mwh_per_a", "place_turbines",
    "reference_turbine", "rule_set_name", "spacing_metric", "target_table", "wind_potential",
]

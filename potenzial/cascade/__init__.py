"""The potential cascade: technical, restricted and realisable stage per technology and municipality.

- **technical**: what the hard rules of the dated rule sets leave (wind, open-field PV: only
  ``kind = "hard"`` rules, from the same rule bitmask as the run; roofs: every suitable plane;
  biomass: the sustainably usable feedstock);
- **restricted**: after the planning criteria a planner applies (every enabled rule: the figures
  the potentials report);
- **realisable**: what can plausibly be built by a horizon year (2030, 2035 or 2045), from the
  parameters of ``[cascade]`` (layers/params/default/cascade.toml), each with a source and a range.

Energy types stay apart: electricity [GWh/a] for PV and wind, primary energy [GWh/a] for biomass.
Pure: frames and a frozen parameter object in, frames out (the step is potenzial/steps/cascade.py).

- :mod:`~potenzial.cascade.params`: the parameters, their titles and sources;
- :mod:`~potenzial.cascade.stages`: the stages of each technology.
"""

from potenzial.cascade.params import (
    ASSUMPTIONS,
    HORIZON_YEARS,
    Assumption,
    CascadeParams,
    assumption_rows,
    load_cascade_params,
)
from potenzial.cascade.stages import (
    STAGES,
    biomass_stages,
    cascade_table,
    pv_ground_stages,
    roof_stages,
    wind_stages,
)

__all__ = [
    "ASSUMPTIONS", "HORIZON_YEARS", "STAGES", "Assumption", "CascadeParams", "assumption_rows", "biomass_stages",
    "cascade_table", "load_cascade_params", "pv_ground_stages", "roof_stages", "wind_stages",
]

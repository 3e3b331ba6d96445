"""A scenario's electricity use and coverage: the base use plus heat pumps and e-mobility at the
scenario's shares, against the scenario's realisable electricity potential (issue 16).

Per municipality m, at the scenario's horizon (the cascade's ``horizon_year``):

- use [MWh_el/a] = today's use_m + heat pumps_m(s_hp) + e-mobility_m(s_ev), each add-on its
  ``*_all_*`` figure of the demand step (every home with a heat pump, every car electric) × share / 100
  (:mod:`potenzial.demand.add_ons`): a larger share never lowers the use;
- realisable electricity [MWh_el/a] = what the scenario does not change (roof PV, biomass CHP: the run's
  realisable electricity less its open-field PV and wind) + the scenario's realisable open-field PV and
  wind;
- coverage [%] = realisable electricity / use × 100. Heat is never added to either.

Array operations only (the fast path). Pure calculation: no store, API or CLI imports.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from potenzial.demand.add_ons import coverage_pct, with_share
from potenzial.units import MWH_PER_GWH

#: the per-municipality columns of a scenario's use and coverage, in order
USE_COLUMNS = ("electricity_use_mwh_el_per_a", "heat_pump_electricity_mwh_el_per_a", "ev_electricity_mwh_el_per_a",
               "electricity_use_with_add_ons_mwh_el_per_a", "electricity_potential_mwh_el_per_a",
               "electricity_coverage_with_add_ons_pct")
#: the cascade's realisable electricity [GWh_el/a] of the two potentials a scenario changes
_CHANGED = ("pv_ground_realisable_electricity_gwh_per_a", "wind_realisable_electricity_gwh_per_a")


@dataclass(frozen=True)
class UseBasis:
    """The run's use per municipality (the band table's AGS order) at the scenario horizon."""

    horizon_year: int
    use_mwh: np.ndarray  #: today's electricity use [MWh_el/a]
    heat_pump_all_mwh: np.ndarray  #: electricity if every home had a heat pump [MWh_el/a]
    ev_all_mwh: np.ndarray  #: electricity if every car were electric [MWh_el/a]
    unchanged_potential_mwh: np.ndarray  #: realisable roof PV and biomass CHP electricity [MWh_el/a]
    heat_pump_share_pct: float  #: the run's share at the horizon (the parameter file's) [%]
    ev_share_pct: float


def use_basis(ags: Sequence[str], demand_municipalities: pd.DataFrame, demand_horizons: pd.DataFrame,
              cascade_municipalities: pd.DataFrame, horizon_year: int) -> UseBasis | None:
    """The basis from the run's demand tables; None where the run has no add-ons for ``horizon_year`` (a run
    of an older version, or horizons without the cascade's)."""
    idx = pd.Index([str(a) for a in ags])
    needed = ("heat_pump_electricity_all_mwh_el_per_a", "ev_electricity_all_mwh_el_per_a", "heat_pump_share_pct",
              "ev_share_pct")
    if any(c not in demand_horizons.columns for c in needed):
        return None
    rows = demand_horizons[demand_horizons["horizon_year"].astype(int) == int(horizon_year)]
    rows = rows.assign(ags=rows["ags"].astype(str)).set_index("ags").reindex(idx)
    if rows[list(needed)].isna().all().any():
        return None
    muni = demand_municipalities.assign(ags=demand_municipalities["ags"].astype(str)).set_index("ags").reindex(idx)
    cas = cascade_municipalities.assign(ags=cascade_municipalities["ags"].astype(str)).set_index("ags").reindex(idx)
    changed = cas[list(_CHANGED)].fillna(0.0).to_numpy(float).sum(axis=1) * MWH_PER_GWH
    potential = muni["electricity_potential_mwh_el_per_a"].fillna(0.0).to_numpy(float)
    return UseBasis(
        horizon_year=int(horizon_year), use_mwh=muni["electricity_use_mwh_el_per_a"].fillna(0.0).to_numpy(float),
        heat_pump_all_mwh=rows["heat_pump_electricity_all_mwh_el_per_a"].fillna(0.0).to_numpy(float),
        ev_all_mwh=rows["ev_electricity_all_mwh_el_per_a"].fillna(0.0).to_numpy(float),
        unchanged_potential_mwh=np.maximum(potential - changed, 0.0),
        heat_pump_share_pct=float(rows["heat_pump_share_pct"].dropna().iloc[0]),
        ev_share_pct=float(rows["ev_share_pct"].dropna().iloc[0]))


def scenario_use(basis: UseBasis | None, heat_pump_share_pct: float | None, ev_share_pct: float | None,
                 realisable_gwh: Mapping[str, np.ndarray], n: int) -> dict[str, np.ndarray]:
    """The :data:`USE_COLUMNS` of a scenario; ``realisable_gwh``: the scenario's realisable open-field PV and
    wind electricity [GWh_el/a] per municipality (keys as in the cascade). NaN without a basis."""
    if basis is None:
        return {c: np.full(n, np.nan) for c in USE_COLUMNS}
    hp_share = basis.heat_pump_share_pct if heat_pump_share_pct is None else heat_pump_share_pct
    ev_share = basis.ev_share_pct if ev_share_pct is None else ev_share_pct
    hp = with_share(basis.heat_pump_all_mwh, hp_share)
    ev = with_share(basis.ev_all_mwh, ev_share)
    use = basis.use_mwh + hp + ev
    potential = basis.unchanged_potential_mwh + sum(np.asarray(realisable_gwh[c], dtype=float) for c in _CHANGED) \
        * MWH_PER_GWH
    return {"electricity_use_mwh_el_per_a": basis.use_mwh, "heat_pump_electricity_mwh_el_per_a": hp,
            "ev_electricity_mwh_el_per_a": ev, "electricity_use_with_add_ons_mwh_el_per_a": use,
            "electricity_potential_mwh_el_per_a": potential,
            "electricity_coverage_with_add_ons_pct": coverage_pct(potential, use)}

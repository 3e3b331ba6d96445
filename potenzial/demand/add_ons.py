"""Heat pumps and e-mobility as additions to the electricity use per horizon (issue 16).

- heat pumps [MWh_el/a] = residential heat demand at the horizon (after refurbishment) [MWh_th/a]
  × share [%] / 100 / seasonal performance factor;
- e-mobility [MWh_el/a] = population × cars per 1,000 inhabitants / 1,000 × km per car and year
  × kWh per 100 km / 100 / 1,000 × share of electric cars [%] / 100.

Both are linear in their share: the electricity *if every residential building heated with a heat
pump* / *if every car were electric* (``*_all_*``) times the share. The demand step writes both per
municipality and horizon with the parameter file's shares; the what-if fast path
(:mod:`potenzial.scenarios.use`) multiplies the same ``*_all_*`` figures by a scenario's shares.
The add-ons are electricity: set against the realisable electricity potential, never added to heat.
Pure calculation: arrays and frames in, frames out.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from potenzial.demand.params import AddOnParams
from potenzial.units import PCT_PER_SHARE, PER_THOUSAND

#: the columns :func:`add_on_horizons` adds to the per-horizon table, in order
ADD_ON_COLUMNS = ("heat_pump_share_pct", "heat_pump_electricity_all_mwh_el_per_a", "heat_pump_electricity_mwh_el_per_a",
                  "ev_share_pct", "ev_electricity_all_mwh_el_per_a", "ev_electricity_mwh_el_per_a",
                  "electricity_use_with_add_ons_mwh_el_per_a", "electricity_coverage_with_add_ons_pct")


def coverage_pct(potential_mwh: np.ndarray, use_mwh: np.ndarray) -> np.ndarray:
    """potential / use × 100 [%]; NaN where the use is 0."""
    use = np.asarray(use_mwh, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(use > 0, PCT_PER_SHARE * np.asarray(potential_mwh, dtype=float) / use, np.nan)


def heat_pump_electricity_all_mwh(heat_residential_mwh_th: np.ndarray, spf: float) -> np.ndarray:
    """Electricity [MWh_el/a] if heat pumps gave all of ``heat_residential_mwh_th`` [MWh_th/a]: heat / SPF."""
    return np.asarray(heat_residential_mwh_th, dtype=float) / spf


def ev_electricity_all_mwh(population: np.ndarray, params: AddOnParams) -> np.ndarray:
    """Electricity [MWh_el/a] if every car of ``population`` inhabitants were electric."""
    cars = np.asarray(population, dtype=float) * params.cars_per_1000_inhabitants / PER_THOUSAND
    return cars * params.ev_mwh_el_per_car_a


def with_share(all_mwh: np.ndarray, share_pct: float | np.ndarray) -> np.ndarray:
    """The add-on at ``share_pct`` [%] of its ``*_all_*`` figure [MWh_el/a]."""
    return np.asarray(all_mwh, dtype=float) * np.asarray(share_pct, dtype=float) / PCT_PER_SHARE


def add_on_horizons(horizons: pd.DataFrame, population: pd.Series, use_mwh_el: pd.Series,
                    potential_mwh_el: pd.Series, params: AddOnParams) -> pd.DataFrame:
    """``horizons`` (columns ``ags``, ``horizon_year``, ``heat_residential_mwh_th_per_a``) with the columns
    :data:`ADD_ON_COLUMNS`. ``population`` [persons], ``use_mwh_el`` (the base electricity use) and
    ``potential_mwh_el`` (the realisable electricity potential) [MWh_el/a] are indexed by AGS."""
    ags = horizons["ags"].astype(str)
    year = horizons["horizon_year"].astype(int)
    hp_share = year.map(lambda y: params.share_pct("heat_pump", int(y))).to_numpy(float)
    ev_share = year.map(lambda y: params.share_pct("ev", int(y))).to_numpy(float)
    hp_all = heat_pump_electricity_all_mwh(horizons["heat_residential_mwh_th_per_a"].to_numpy(float),
                                           params.heat_pump_spf)
    ev_all = ev_electricity_all_mwh(ags.map(population).fillna(0.0).to_numpy(float), params)
    hp, ev = with_share(hp_all, hp_share), with_share(ev_all, ev_share)
    use = ags.map(use_mwh_el).fillna(0.0).to_numpy(float) + hp + ev
    potential = ags.map(potential_mwh_el).fillna(0.0).to_numpy(float)
    return horizons.assign(
        heat_pump_share_pct=hp_share, heat_pump_electricity_all_mwh_el_per_a=hp_all,
        heat_pump_electricity_mwh_el_per_a=hp, ev_share_pct=ev_share, ev_electricity_all_mwh_el_per_a=ev_all,
        ev_electricity_mwh_el_per_a=ev, electricity_use_with_add_ons_mwh_el_per_a=use,
        electricity_coverage_with_add_ons_pct=coverage_pct(potential, use))

"""Reference turbine (windpowerlib's offline oedb library) and annual yield.

windpowerlib ships the oedb turbine library as CSV files inside the package
(``windpowerlib/oedb/turbine_data.csv`` and ``power_curves.csv``); ``turbine_library="local"``
reads them without network access.

Yield of one turbine [MWh/a]: the mean wind speed at hub height (power law from the layer's
height, Hellmann exponent α) defines a Weibull distribution with shape k and scale
A = v̄ / Γ(1 + 1/k); the power curve (linear between its points, zero beyond its ends) is
integrated against it over the 8,760 hours of a year; wake losses and availability scale it.
No air-density correction (the oedb curves are for 1.225 kg/m³).
"""

from __future__ import annotations

import difflib
import warnings
from dataclasses import dataclass
from functools import lru_cache
from math import gamma

import numpy as np

from potenzial.errors import ConfigError
from potenzial.units import HOURS_PER_YEAR, KW_PER_MW

W_PER_KW = 1_000.0
_V_STEP_M_PER_S = 0.05
_V_MAX_M_PER_S = 40.0


@dataclass(frozen=True)
class ReferenceTurbine:
    """A turbine type with its rated power [MW], rotor diameter [m], hub height [m] and power curve."""

    turbine_type: str
    capacity_mw: float
    rotor_diameter_m: float
    hub_height_m: float
    curve_wind_speed_m_per_s: tuple[float, ...]
    curve_power_kw: tuple[float, ...]

    @property
    def rotor_radius_m(self) -> float:
        return self.rotor_diameter_m / 2.0


@lru_cache(maxsize=1)
def _turbine_types() -> tuple[str, ...]:
    from windpowerlib import get_turbine_types

    table = get_turbine_types(turbine_library="local", print_out=False, filter_=True)
    return tuple(sorted(table.loc[table["has_power_curve"], "turbine_type"].astype(str)))


def known_turbine_types() -> tuple[str, ...]:
    """Turbine types with a power curve in windpowerlib's offline library."""
    return _turbine_types()


def reference_turbine(turbine_type: str, hub_height_m: float) -> ReferenceTurbine:
    """The turbine from windpowerlib's offline library; ConfigError with close matches if unknown."""
    types = _turbine_types()
    if turbine_type not in types:
        close = difflib.get_close_matches(turbine_type, types, n=5, cutoff=0.4)
        hint = f" Close matches: {', '.join(close)}." if close else ""
        raise ConfigError(f"turbine_type = {turbine_type!r} is not in windpowerlib's turbine library (with a power "
                          f"curve).{hint} Use one of them in [wind] turbine_type; all {len(types)} are listed by "
                          "windpowerlib.get_turbine_types().")
    from windpowerlib import WindTurbine

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        # the hub height does not change the curve; a safe value lets us check the real one below
        wt = WindTurbine(turbine_type=turbine_type, hub_height=1_000.0)
    curve = wt.power_curve.sort_values("wind_speed")
    rotor_d = float(wt.rotor_diameter)
    if not hub_height_m > rotor_d / 2.0 + 10.0:
        raise ConfigError(f"hub_height_m = {hub_height_m} m is too low for {turbine_type} (rotor diameter "
                          f"{rotor_d:g} m): the blade tips would come within 10 m of the ground. "
                          f"Use at least {rotor_d / 2 + 10:g} m.")
    return ReferenceTurbine(
        turbine_type=turbine_type,
        capacity_mw=float(wt.nominal_power) / W_PER_KW / KW_PER_MW,
        rotor_diameter_m=rotor_d,
        hub_height_m=float(hub_height_m),
        curve_wind_speed_m_per_s=tuple(float(v) for v in curve["wind_speed"]),
        curve_power_kw=tuple(float(p) / W_PER_KW for p in curve["value"]),
    )


def hub_wind_speed(v_ref_m_per_s: np.ndarray, ref_height_m: float, hub_height_m: float,
                   hellmann_exponent: float) -> np.ndarray:
    """Power law: v_hub = v_ref · (h_hub / h_ref)^α [m/s]."""
    return np.asarray(v_ref_m_per_s, dtype=float) * (hub_height_m / ref_height_m) ** hellmann_exponent


def gross_yield_mwh_per_a(turbine: ReferenceTurbine, v_mean_m_per_s: np.ndarray, weibull_k: float) -> np.ndarray:
    """Gross annual energy [MWh/a] for Weibull-distributed wind of mean ``v_mean`` [m/s], shape k."""
    v_mean = np.atleast_1d(np.asarray(v_mean_m_per_s, dtype=float))
    v = np.arange(0.0, _V_MAX_M_PER_S + _V_STEP_M_PER_S / 2, _V_STEP_M_PER_S)
    p_kw = np.interp(v, turbine.curve_wind_speed_m_per_s, turbine.curve_power_kw, left=0.0, right=0.0)
    scale = v_mean / gamma(1.0 + 1.0 / weibull_k)
    # probability of each speed bin from the Weibull CDF (exact bin masses, no pdf spikes)
    edges = np.concatenate([[0.0], (v[:-1] + v[1:]) / 2, [np.inf]])
    cdf = 1.0 - np.exp(-(edges[None, :] / scale[:, None]) ** weibull_k)
    mass = np.diff(cdf, axis=1)
    mean_kw = mass @ p_kw
    return mean_kw * HOURS_PER_YEAR / KW_PER_MW


def net_yield_mwh_per_a(turbine: ReferenceTurbine, v_mean_m_per_s: np.ndarray, *, weibull_k: float,
                        wake_loss_share: float, availability_share: float) -> np.ndarray:
    """Net annual energy [MWh/a]: gross × (1 − wake losses) × availability."""
    gross = gross_yield_mwh_per_a(turbine, v_mean_m_per_s, weibull_k)
    return gross * (1.0 - wake_loss_share) * availability_share

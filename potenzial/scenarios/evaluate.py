"""Evaluating a scenario on the fast path: per municipality and county, every cascade stage of wind and
open-field PV, and the gap to the wind-area targets. No geometry, a few array operations.

Wind (per municipality m, eligible area E(s, S) from :class:`~potenzial.scenarios.bands.BandTable`
for setback s and criteria S, before the area filters):

- area after the filters = E(s, S) · a_m, a_m = the run's area / the run's E (what the minimum-area
  and park filters kept);
- turbines = E(s, S) · d_m, d_m = the run's turbines per eligible hectare (its packing density,
  measured on its own placement); capacity and yield = turbines · the run's capacity and yield
  per turbine in m. Where the run has no turbine in m, the county's ratios stand in;
- technical: the same on the technical histogram (hard rules only), never below restricted;
- realisable: turbines · the run's share of turbines in whole parks, paced to the county's build
  rate by the horizon (the same pace everywhere, as in the cascade), so per municipality it is not
  monotone (a county cap shared out), the county's total is.

Open-field PV: capacity and electricity of every stage scale with the power density (areas stay).
Wind first: the land both could use scales with the wind area (an estimate); PV keeps the rest, and its
wind-first capacity and yield are the run's (measured on its own land) times the kept land's change.

Electricity use and coverage (:mod:`~potenzial.scenarios.use`): today's use plus heat pumps and
e-mobility at the scenario's shares, against the realisable electricity of the scenario (roof PV and
biomass as in the run, open-field PV and wind of the scenario).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from potenzial.errors import InputDataError
from potenzial.scenarios.bands import BandTable
from potenzial.scenarios.scenario import Scenario, ScenarioLimits
from potenzial.scenarios.use import USE_COLUMNS, UseBasis, scenario_use

_PV_STAGES = ("technical", "restricted", "realisable")
_PV_QUANTITIES = ("area_ha", "capacity_mwp", "electricity_gwh_per_a")

#: the per-municipality columns a scenario answers with, in order
COLUMNS = (
    "ags", "wind_eligible_ha", "wind_area_ha", "wind_area_share_pct", "wind_area_gap_2027_ha",
    "wind_area_gap_2032_ha", "wind_turbines_estimated", "wind_capacity_mw", "wind_yield_gwh_per_a",
    "wind_technical_area_ha", "wind_technical_capacity_mw", "wind_technical_electricity_gwh_per_a",
    "wind_restricted_area_ha", "wind_restricted_capacity_mw", "wind_restricted_electricity_gwh_per_a",
    "wind_realisable_capacity_mw", "wind_realisable_electricity_gwh_per_a",
    "pv_ground_area_ha", "pv_ground_capacity_mwp", "pv_ground_yield_gwh_per_a", "pv_ground_wind_overlap_ha",
    "pv_ground_area_wind_first_ha", "pv_ground_capacity_wind_first_mwp", "pv_ground_yield_wind_first_gwh_per_a",
    *(f"pv_ground_{s}_{q}" for s in _PV_STAGES for q in _PV_QUANTITIES),
    *USE_COLUMNS,
)
#: columns that are not sums over municipalities (recomputed for the county)
_NOT_SUMMED = ("ags", "wind_area_share_pct", "electricity_coverage_with_add_ons_pct")


@dataclass(frozen=True)
class AreaTarget:
    """A wind-area target of the rule set."""

    target_id: str
    title: str
    share_pct: float
    deadline_year: int
    in_force: bool


@dataclass(frozen=True)
class ScenarioBasis:
    """What the fast path reads: the band table, the run's figures per municipality, the targets."""

    bands: BandTable
    limits: ScenarioLimits
    run: pd.DataFrame  #: indexed by ags (bands.ags order); the run's per-municipality figures
    targets: tuple[AreaTarget, ...]
    build_turbines: float  #: turbines the county can build by the horizon (inf: no cap)
    use: UseBasis | None = None  #: the run's electricity use and add-ons; None: the run has none

    def __post_init__(self) -> None:
        missing = sorted(set(_RUN_COLUMNS) - set(self.run.columns))
        if missing:
            raise InputDataError(f"the run's figures lack {', '.join(missing)}; run the full pipeline once.")


_RUN_COLUMNS = ("municipality_area_ha", "wind_area_ha", "wind_turbines", "wind_capacity_mw", "wind_yield_gwh_per_a",
                "wind_technical_area_ha", "wind_technical_turbines", "wind_technical_capacity_mw",
                "wind_technical_yield_gwh_per_a", "wind_whole_park_turbines", "pv_ground_area_ha",
                "pv_ground_capacity_mwp", "pv_ground_yield_gwh_per_a", "pv_ground_wind_overlap_ha",
                "pv_ground_capacity_wind_first_mwp", "pv_ground_yield_wind_first_gwh_per_a",
                *(f"pv_ground_{s}_{q}" for s in _PV_STAGES for q in _PV_QUANTITIES))


@dataclass(frozen=True)
class ScenarioResult:
    scenario: Scenario
    municipalities: pd.DataFrame  #: columns :data:`COLUMNS`
    county: dict[str, float]
    targets: pd.DataFrame  #: per area target: county wind area, target area, gap


def _ratio(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    """num/den per municipality where the run has turbines there, else the county's ratio."""
    total = float(den.sum())
    county = float(num.sum()) / total if total > 0 else 0.0
    out = np.full(len(num), county)
    ok = (den > 0) & (num > 0)
    out[ok] = num[ok] / den[ok]
    return out


def _due_share_pct(targets: Sequence[AreaTarget], year: int) -> float:
    shares = [t.share_pct for t in targets if t.in_force and t.deadline_year == year]
    return max(shares) if shares else float("nan")


def _col(run: pd.DataFrame, name: str) -> np.ndarray:
    return np.nan_to_num(run[name].to_numpy(dtype=float))


def evaluate_scenario(basis: ScenarioBasis, scenario: Scenario) -> ScenarioResult:
    """The figures of ``scenario`` (see module docstring)."""
    run, limits, bands = basis.run, basis.limits, basis.bands
    run_on = [k for k, v in limits.criteria.items() if v]
    e_run = bands.eligible_ha(limits.run_setback_m, run_on)
    t_run = bands.eligible_ha(limits.run_setback_m, (), stage="technical")
    e = bands.eligible_ha(scenario.residential_setback_m, scenario.on)
    t = bands.eligible_ha(scenario.residential_setback_m, (), stage="technical")

    turbines_run = _col(run, "wind_turbines")
    area = e * _ratio(_col(run, "wind_area_ha"), e_run)
    turbines = e * _ratio(turbines_run, e_run)
    capacity = turbines * _ratio(_col(run, "wind_capacity_mw"), turbines_run)
    energy = turbines * _ratio(_col(run, "wind_yield_gwh_per_a"), turbines_run)
    tech_turbines_run = _col(run, "wind_technical_turbines")
    t_area = np.maximum(t * _ratio(_col(run, "wind_technical_area_ha"), t_run), area)
    t_turbines = np.maximum(t * _ratio(tech_turbines_run, t_run), turbines)
    t_capacity = np.maximum(t_turbines * _ratio(_col(run, "wind_technical_capacity_mw"), tech_turbines_run), capacity)
    t_energy = np.maximum(t_turbines * _ratio(_col(run, "wind_technical_yield_gwh_per_a"), tech_turbines_run), energy)
    whole = turbines * _ratio(_col(run, "wind_whole_park_turbines"), turbines_run)
    n_whole = float(whole.sum())
    pace = min(1.0, basis.build_turbines / n_whole) if n_whole > 0 else 0.0

    muni_ha = _col(run, "municipality_area_ha")
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(muni_ha > 0, 100.0 * area / muni_ha, np.nan)
    out: dict[str, np.ndarray | list[str]] = {
        "ags": list(bands.ags), "wind_eligible_ha": e, "wind_area_ha": area, "wind_area_share_pct": share,
        "wind_area_gap_2027_ha": _due_share_pct(basis.targets, 2027) / 100.0 * muni_ha - area,
        "wind_area_gap_2032_ha": _due_share_pct(basis.targets, 2032) / 100.0 * muni_ha - area,
        "wind_turbines_estimated": turbines, "wind_capacity_mw": capacity, "wind_yield_gwh_per_a": energy,
        "wind_technical_area_ha": t_area, "wind_technical_capacity_mw": t_capacity,
        "wind_technical_electricity_gwh_per_a": t_energy,
        "wind_restricted_area_ha": area, "wind_restricted_capacity_mw": capacity,
        "wind_restricted_electricity_gwh_per_a": energy,
        "wind_realisable_capacity_mw": whole * pace * _ratio(_col(run, "wind_capacity_mw"), turbines_run),
        "wind_realisable_electricity_gwh_per_a": whole * pace * _ratio(_col(run, "wind_yield_gwh_per_a"),
                                                                      turbines_run),
    }
    out.update(_pv(run, scenario.pv_ground_power_density_mwp_per_ha / limits.run_pv_density_mwp_per_ha,
                   area, _col(run, "wind_area_ha")))
    out.update(scenario_use(basis.use, scenario.heat_pump_share_pct, scenario.ev_share_pct,
                            {c: np.asarray(out[c], dtype=float) for c in ("pv_ground_realisable_electricity_gwh_per_a",
                                                                         "wind_realisable_electricity_gwh_per_a")},
                            len(bands.ags)))
    frame = pd.DataFrame(out)[list(COLUMNS)]
    county = {c: float(frame[c].sum(min_count=1)) for c in COLUMNS if c not in _NOT_SUMMED}
    use = county["electricity_use_with_add_ons_mwh_el_per_a"]
    county["electricity_coverage_with_add_ons_pct"] = (100.0 * county["electricity_potential_mwh_el_per_a"] / use
                                                       if use > 0 else float("nan"))
    region_ha = float(muni_ha.sum())
    county["wind_area_share_pct"] = 100.0 * county["wind_area_ha"] / region_ha if region_ha > 0 else float("nan")
    for year in (2027, 2032):
        county[f"wind_area_gap_{year}_ha"] = _due_share_pct(basis.targets, year) / 100.0 * region_ha - \
            county["wind_area_ha"]
    targets = pd.DataFrame([{
        "target_id": tg.target_id, "title": tg.title, "target_share_pct": tg.share_pct,
        "deadline": tg.deadline_year, "in_force": tg.in_force, "wind_area_ha": county["wind_area_ha"],
        "target_area_ha": tg.share_pct / 100.0 * region_ha,
        "gap_ha": tg.share_pct / 100.0 * region_ha - county["wind_area_ha"]} for tg in basis.targets])
    return ScenarioResult(scenario=scenario, municipalities=frame, county=county, targets=targets)


def _pv(run: pd.DataFrame, density_ratio: float, wind_area: np.ndarray, wind_area_run: np.ndarray
        ) -> dict[str, np.ndarray]:
    """Open-field PV under the power density; the land shared with wind follows the wind area."""
    pv_area = _col(run, "pv_ground_area_ha")
    overlap_run = _col(run, "pv_ground_wind_overlap_ha")
    scale = np.ones(len(pv_area))
    has_wind = wind_area_run > 0
    scale[has_wind] = wind_area[has_wind] / wind_area_run[has_wind]
    overlap = np.minimum(overlap_run * scale, pv_area)
    first = pv_area - overlap
    first_run = pv_area - overlap_run
    capacity = _col(run, "pv_ground_capacity_mwp") * density_ratio
    energy = _col(run, "pv_ground_yield_gwh_per_a") * density_ratio
    with np.errstate(invalid="ignore", divide="ignore"):
        kept = np.where(pv_area > 0, first / pv_area, 0.0)
        # the run's own wind-first figures (measured on its land) scaled by the land PV keeps; where the run
        # kept none, the share of the whole PV land
        grown = np.where(first_run > 0, first / first_run, 0.0)
    on_run = first_run > 0
    out = {"pv_ground_area_ha": pv_area, "pv_ground_capacity_mwp": capacity, "pv_ground_yield_gwh_per_a": energy,
           "pv_ground_wind_overlap_ha": overlap, "pv_ground_area_wind_first_ha": first,
           "pv_ground_capacity_wind_first_mwp": np.where(
               on_run, _col(run, "pv_ground_capacity_wind_first_mwp") * density_ratio * grown, capacity * kept),
           "pv_ground_yield_wind_first_gwh_per_a": np.where(
               on_run, _col(run, "pv_ground_yield_wind_first_gwh_per_a") * density_ratio * grown, energy * kept)}
    for stage in _PV_STAGES:
        out[f"pv_ground_{stage}_area_ha"] = _col(run, f"pv_ground_{stage}_area_ha")
        for q in ("capacity_mwp", "electricity_gwh_per_a"):
            out[f"pv_ground_{stage}_{q}"] = _col(run, f"pv_ground_{stage}_{q}") * density_ratio
    return out


def run_figures_frame(ags: Sequence[str], tables: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """The run's per-municipality figures the fast path needs, indexed by ``ags``, from the run's tables
    (wind_municipalities, wind_technical, wind_turbines, wind_areas, wind_targets,
    pv_ground_municipalities, cascade_municipalities, cascade_assumptions)."""
    def by_ags(name: str) -> pd.DataFrame:
        frame = tables[name]
        return frame.assign(ags=frame["ags"].astype(str)).set_index("ags").reindex(list(ags))

    wm, wt = by_ags("wind_municipalities"), by_ags("wind_technical")
    pv, cas = by_ags("pv_ground_municipalities"), by_ags("cascade_municipalities")
    targets = tables["wind_targets"].assign(ags=lambda f: f["ags"].astype(str))
    first = targets[targets["target_share_pct"] > 0].drop_duplicates("ags").set_index("ags").reindex(list(ags))
    out = pd.DataFrame(index=pd.Index(list(ags), name="ags"))
    out["municipality_area_ha"] = (first["target_area_ha"] / first["target_share_pct"] * 100.0).to_numpy()
    for c in ("wind_area_ha", "wind_turbines", "wind_capacity_mw", "wind_yield_gwh_per_a"):
        out[c] = wm[c].to_numpy(dtype=float)
    for c in ("wind_technical_area_ha", "wind_technical_turbines", "wind_technical_capacity_mw",
              "wind_technical_yield_gwh_per_a"):
        out[c] = wt[c].to_numpy(dtype=float)
    turbines, areas = tables["wind_turbines"], tables["wind_areas"]
    park = turbines["area_id"].map(areas.set_index("area_id")["park_id"])
    min_park = _assumption(tables["cascade_assumptions"], "wind_min_turbines_per_park", 1.0)
    in_park = park.map(park.value_counts())
    whole = turbines[in_park.to_numpy() >= min_park].assign(ags=lambda f: f["ags"].astype(str))
    out["wind_whole_park_turbines"] = whole.groupby("ags").size().reindex(list(ags)).fillna(0.0).to_numpy(float)
    for c in ("pv_ground_area_ha", "pv_ground_capacity_mwp", "pv_ground_yield_gwh_per_a", "pv_ground_wind_overlap_ha",
              "pv_ground_capacity_wind_first_mwp", "pv_ground_yield_wind_first_gwh_per_a"):
        out[c] = pv[c].to_numpy(dtype=float)
    for s in _PV_STAGES:
        for q in _PV_QUANTITIES:
            out[f"pv_ground_{s}_{q}"] = cas[f"pv_ground_{s}_{q}"].to_numpy(dtype=float)
    return out


def _assumption(frame: pd.DataFrame, name: str, default: float) -> float:
    rows = frame[frame["parameter"] == name]
    return float(rows["value"].iloc[0]) if len(rows) else default


def build_turbines(assumptions: pd.DataFrame) -> float:
    """Turbines the county can build by the horizon (cascade: build rate × years); inf without a rate."""
    rate = _assumption(assumptions, "wind_build_turbines_per_a", float("inf"))
    years = _assumption(assumptions, "horizon_year", 0.0) - _assumption(assumptions, "base_year", 0.0)
    return rate * years if np.isfinite(rate) else float("inf")


def area_targets(wind_targets: pd.DataFrame) -> tuple[AreaTarget, ...]:
    """The rule set's area targets (one per target id) from the run's wind_targets table."""
    rows = wind_targets.drop_duplicates("target_id")
    return tuple(AreaTarget(target_id=str(r.target_id), title=str(r.title), share_pct=float(r.target_share_pct),
                            deadline_year=int(str(r.deadline)[:4]), in_force=bool(r.in_force))
                 for r in rows.itertuples())

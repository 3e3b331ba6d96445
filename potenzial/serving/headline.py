"""The headline figures of every municipality: electricity and heat potential apart, every hectare
once, and the electricity potential against the municipality's electricity use.

Pure pandas on the merged per-municipality figures (:func:`potenzial.serving.figures.merge_figures`);
columns, titles and units are declared in :data:`potenzial.results.headline.HEADLINE`.

- *Electricity* [GWh_el/a] = roof PV + open-field PV + wind + biomass CHP electricity (P50).
- *Heat* [GWh_th/a] = biomass CHP heat (P50); solar thermal is not modelled.
- Biomass primary energy is part of neither; :class:`potenzial.energy.Energy` refuses to add kinds.
- Land that suits both wind and open-field PV (``pv_ground_wind_overlap_ha``) counts once under the
  precedence rule: ``wind_first`` takes the open-field PV figures without that land (``*_wind_first_*``);
  ``pv_first`` keeps open-field PV whole and scales wind energy by (1 − overlap / wind area), an
  estimate (the turbines are not placed again).
- A stage (``restricted`` today: what the potentials report, after every enabled rule) names the
  columns each part is read from (:data:`STAGES`), so that the
  ``technical`` or ``realisable`` stage of the cascade table is one more entry.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, model_validator

from potenzial.energy import Energy, EnergyKind, total
from potenzial.errors import ConfigError
from potenzial.params import check_ranges, load_params, validate_section
from potenzial.results.headline import HEADLINE
from potenzial.serving.figures import Figure
from potenzial.units import MWH_PER_GWH

#: the columns of a region's electricity use table (``[headline] electricity_use_layer``)
USE_TABLE_COLUMNS = ("ags", "electricity_use_mwh_per_a")

PRECEDENCES = ("wind_first", "pv_first")
ENV_PRECEDENCE = "POTENZIAL_FIGURES_PRECEDENCE"


@dataclass(frozen=True)
class StageColumns:
    """Where a stage's figures are in the merged table (energies in GWh/a unless named ``_mwh``)."""

    roof_gwh: str
    pv_ground_gwh: str  #: open-field PV on all its land
    pv_ground_wind_first_gwh: str  #: open-field PV without the land that also suits wind
    pv_ground_ha: str
    pv_ground_wind_first_ha: str
    pv_ground_mwp: str
    pv_ground_wind_first_mwp: str
    pv_ground_installed_mwp: str
    overlap_ha: str  #: land eligible for both
    wind_gwh: str
    wind_ha: str
    biomass_electricity_mwh: str
    biomass_heat_mwh: str


#: the columns of each stage; a cascade table adds e.g. "restricted" here
STAGES: dict[str, StageColumns] = {
    "restricted": StageColumns(
        roof_gwh="roof_yield_gwh_per_a", pv_ground_gwh="pv_ground_yield_gwh_per_a",
        pv_ground_wind_first_gwh="pv_ground_yield_wind_first_gwh_per_a", pv_ground_ha="pv_ground_area_ha",
        pv_ground_wind_first_ha="pv_ground_area_wind_first_ha", pv_ground_mwp="pv_ground_capacity_mwp",
        pv_ground_wind_first_mwp="pv_ground_capacity_wind_first_mwp",
        pv_ground_installed_mwp="pv_ground_installed_2015_mwp", overlap_ha="pv_ground_wind_overlap_ha",
        wind_gwh="wind_yield_gwh_per_a", wind_ha="wind_area_ha",
        biomass_electricity_mwh="biomass_electricity_mwh_per_a_p50", biomass_heat_mwh="biomass_heat_mwh_per_a_p50",
    ),
}


class HeadlineParams(BaseModel):
    """The ``[headline]`` parameters (layers/params/default/headline.toml)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    stage: Literal["restricted"] = "restricted"
    precedence: Literal["wind_first", "pv_first"] = "wind_first"
    county_electricity_use_gwh_per_a: float = Field(1600.0, gt=0.0, le=1e6)
    electricity_use_layer: str = "electricity_use"
    ranges: dict[str, tuple[float, float, float]] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _ranges(self) -> HeadlineParams:
        check_ranges(self)
        return self


def headline_params(section: Mapping[str, object] | None, precedence: str = "") -> HeadlineParams:
    """The ``[headline]`` section (defaults where the parameter set has none), with ``precedence``
    (the setting ``POTENZIAL_FIGURES_PRECEDENCE``; empty: the section's) put over it."""
    params = validate_section(HeadlineParams, section or {}, "[headline]", "headline.toml")
    chosen = precedence.strip()
    if not chosen:
        return params
    if chosen not in PRECEDENCES:
        raise ConfigError(f"{ENV_PRECEDENCE} = {chosen!r} is unknown; allowed values: {', '.join(PRECEDENCES)}.")
    return params.model_copy(update={"precedence": chosen})


def load_headline_params(params_dir: Path, precedence: str = "") -> HeadlineParams:
    """The ``[headline]`` section of the parameter set at ``params_dir`` (defaults when it has none),
    with ``precedence`` (``POTENZIAL_FIGURES_PRECEDENCE``) over it."""
    values = load_params(params_dir).values
    section = values.get("headline")
    return headline_params(section if isinstance(section, Mapping) else None, precedence)


def _column(merged: pd.DataFrame, name: str) -> pd.Series:
    return pd.to_numeric(merged[name], errors="coerce").astype(float)


def _has(merged: pd.DataFrame, *names: str) -> bool:
    return all(n in merged.columns for n in names)


@dataclass(frozen=True)
class ElectricityParts:
    """The electricity of each potential under the precedence rule, and the land it takes."""

    energies: dict[str, Energy]  #: potential key -> electricity
    land_ha: pd.Series  #: wind + open-field PV land, every hectare once
    pv_ground_mwp: pd.Series | None  #: open-field PV capacity under the rule


def electricity_parts(merged: pd.DataFrame, stage: StageColumns, precedence: str) -> ElectricityParts:
    """The electricity of each potential the table holds, with the overlap counted once."""
    index = merged.index
    energies: dict[str, Energy] = {}
    land = pd.Series(0.0, index=index)
    pv_mwp = None
    if _has(merged, stage.roof_gwh):
        energies["solar_roof"] = Energy(_column(merged, stage.roof_gwh), EnergyKind.ELECTRICITY)
    has_pv = _has(merged, stage.pv_ground_gwh, stage.pv_ground_wind_first_gwh, stage.pv_ground_ha,
                  stage.pv_ground_wind_first_ha, stage.overlap_ha)
    has_wind = _has(merged, stage.wind_gwh, stage.wind_ha)
    pv_first = precedence == "pv_first"
    if has_pv:
        # with no wind result, no land is taken by wind: open-field PV keeps all of it
        whole = pv_first or not has_wind
        energy_col, area_col = ((stage.pv_ground_gwh, stage.pv_ground_ha) if whole
                                else (stage.pv_ground_wind_first_gwh, stage.pv_ground_wind_first_ha))
        energies["pv_ground"] = Energy(_column(merged, energy_col), EnergyKind.ELECTRICITY)
        land = land + _column(merged, area_col)
        mwp_col = stage.pv_ground_mwp if whole else stage.pv_ground_wind_first_mwp
        if mwp_col in merged.columns:
            pv_mwp = _column(merged, mwp_col)
    if has_wind:
        wind = Energy(_column(merged, stage.wind_gwh), EnergyKind.ELECTRICITY)
        wind_ha = _column(merged, stage.wind_ha)
        if pv_first and has_pv:
            overlap = _column(merged, stage.overlap_ha)
            kept = pd.Series(np.ones(len(index)), index=index)
            positive = wind_ha > 0
            kept[positive] = (1.0 - overlap[positive] / wind_ha[positive]).clip(0.0, 1.0)
            wind = wind.scaled(kept)
            wind_ha = (wind_ha - overlap).clip(lower=0.0)
        energies["wind"] = wind
        land = land + wind_ha
    if _has(merged, stage.biomass_electricity_mwh):
        energies["biomass"] = Energy(_column(merged, stage.biomass_electricity_mwh) / MWH_PER_GWH,
                                     EnergyKind.ELECTRICITY)
    return ElectricityParts(energies=energies, land_ha=land, pv_ground_mwp=pv_mwp)


def heat_parts(merged: pd.DataFrame, stage: StageColumns) -> dict[str, Energy]:
    """The heat of each potential the table holds (biomass CHP heat; solar thermal is not modelled)."""
    if not _has(merged, stage.biomass_heat_mwh):
        return {}
    return {"biomass": Energy(_column(merged, stage.biomass_heat_mwh) / MWH_PER_GWH, EnergyKind.HEAT)}


def electricity_use(merged: pd.DataFrame, county_gwh_per_a: float,
                    table: pd.DataFrame | None = None) -> tuple[pd.Series, pd.Series]:
    """(electricity use per row [GWh_el/a], its basis: ``table`` or ``estimate``).

    ``table`` (columns ``ags``, ``electricity_use_mwh_per_a``) gives a municipality's use where it
    has a value; the others get the county's use times their share of the population."""
    population = _column(merged, "population") if "population" in merged.columns else pd.Series(np.nan, merged.index)
    total_population = float(population.sum())
    estimate = (population / total_population * county_gwh_per_a if total_population > 0
                else pd.Series(np.nan, index=merged.index))
    basis = pd.Series("estimate", index=merged.index, dtype=object)
    if table is None or not len(table):
        return estimate, basis
    known = (pd.to_numeric(table.set_index(table["ags"].astype(str))["electricity_use_mwh_per_a"], errors="coerce")
             / MWH_PER_GWH)
    given = merged["ags"].astype(str).map(known)
    given.index = merged.index
    has = given.notna()
    basis[has] = "table"
    return estimate.where(~has, given), basis


def headline_frame(merged: pd.DataFrame, params: HeadlineParams,
                   use_table: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per row of ``merged`` with the columns of :data:`HEADLINE`."""
    stage = STAGES[params.stage]
    index = merged.index
    parts = electricity_parts(merged, stage, params.precedence)
    electricity = total(parts.energies.values(), index, EnergyKind.ELECTRICITY)
    heat = total(heat_parts(merged, stage).values(), index, EnergyKind.HEAT)
    use, basis = electricity_use(merged, params.county_electricity_use_gwh_per_a, use_table)
    ratio = pd.Series(np.nan, index=index)
    ok = use > 0
    ratio[ok] = electricity.gwh_per_a[ok] / use[ok] * 100.0

    def part(key: str) -> pd.Series:
        found = parts.energies.get(key)
        return found.gwh_per_a if found is not None else pd.Series(np.nan, index=index)

    remaining = pd.Series(np.nan, index=index)
    if parts.pv_ground_mwp is not None and stage.pv_ground_installed_mwp in merged.columns:
        remaining = (parts.pv_ground_mwp - _column(merged, stage.pv_ground_installed_mwp).fillna(0.0)).clip(lower=0.0)
    has_land = any(k in parts.energies for k in ("pv_ground", "wind"))
    out = pd.DataFrame({
        "ags": merged["ags"].astype(str),
        "electricity_potential_gwh_per_a": electricity.gwh_per_a if parts.energies else np.nan,
        "electricity_roof_gwh_per_a": part("solar_roof"),
        "electricity_pv_ground_gwh_per_a": part("pv_ground"),
        "electricity_wind_gwh_per_a": part("wind"),
        "electricity_biomass_gwh_per_a": part("biomass"),
        "heat_potential_gwh_per_a": heat.gwh_per_a if stage.biomass_heat_mwh in merged.columns else np.nan,
        "electricity_land_ha": parts.land_ha if has_land else np.nan,
        "electricity_use_gwh_per_a": use,
        "electricity_potential_to_use_pct": ratio if parts.energies else np.nan,
        "pv_ground_remaining_mwp": remaining,
        "stage": params.stage,
        "precedence": params.precedence,
        "electricity_use_basis": basis,
    }, index=index)
    out.attrs["parts"] = {"electricity": list(parts.energies), "heat": list(heat_parts(merged, stage))}
    return out[HEADLINE.column_names]


def with_headline(merged: pd.DataFrame, meta: list[Figure], params: HeadlineParams,
                  use_table: pd.DataFrame | None = None) -> tuple[pd.DataFrame, list[Figure]]:
    """``merged`` and ``meta`` with the headline columns appended (table ``headline``); a figure the run
    has nothing for is left out, and a run without any potential gets no headline columns."""
    frame = headline_frame(merged, params, use_table)
    if not frame.attrs["parts"]["electricity"] and not frame.attrs["parts"]["heat"]:
        return merged, list(meta)  # a run without potentials has no headline
    units = dict(HEADLINE.units)
    out = merged.copy()
    figures = list(meta)
    for column, dtype in HEADLINE.columns:
        if column == "ags" or (dtype == "float" and frame[column].isna().all()):
            continue
        out[column] = frame[column].to_numpy()
        figures.append(Figure(column, HEADLINE.name, column, units.get(column, ""), dtype))
    out.attrs = {**merged.attrs, "headline_parts": frame.attrs.get("parts", {})}
    return out, figures


__all__ = ["ENV_PRECEDENCE", "PRECEDENCES", "STAGES", "USE_TABLE_COLUMNS", "HeadlineParams", "StageColumns",
           "electricity_parts",
           "electricity_use", "headline_frame", "headline_params", "heat_parts", "load_headline_params",
           "with_headline"]

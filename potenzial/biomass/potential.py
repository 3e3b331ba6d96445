"""The biomass potential: result tables per municipality, feedstock and region, and the entry point.

:func:`biomass_potential` runs drivers -> factor samples -> chains -> tables. Primary energy
[MWh/a] is reported as P10/P50/P90 (and mean) over seeded Monte Carlo samples; electricity
and heat [MWh/a] as P50 of primary energy × CHP efficiency (gas engine for biogas, solid-fuel
CHP for wood and straw). Because every factor is drawn once per sample for the whole region,
a feedstock's municipality quantiles add up to the quantiles of its county total.

Inputs are loaded frames in EPSG:25833; the module opens no file and imports no store code.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd

from potenzial.biomass.chains import FeedstockSamples, as_column, converted, feedstock_samples
from potenzial.biomass.drivers import Drivers, check_municipalities, municipal_drivers
from potenzial.biomass.feedstocks import FEEDSTOCKS, Feedstock
from potenzial.biomass.landcover_map import landcover_by_municipality, spread_over_landcover
from potenzial.biomass.params import BiomassParams, sample_factors
from potenzial.crs import require_metric
from potenzial.errors import InputDataError
from potenzial.units import KWH_PER_MWH

QUANTILES = (0.10, 0.50, 0.90)  #: P10, P50, P90
PLANT_POWER_COLUMN = "Power_kW"  #: capacity column of the existing-plants layer [kW]


def _added(arrays: Iterable[np.ndarray]) -> np.ndarray:
    """The element-wise sum of ``arrays`` (left to right, as built-in ``sum`` adds them)."""
    return functools.reduce(np.add, arrays)


def _q(x: np.ndarray) -> np.ndarray:
    """P10, P50, P90 over the last axis (shape (3, …))."""
    return np.quantile(x, QUANTILES, axis=-1)


BIOMASS_COLUMNS = (
    "ags", "name", "feedstock", "conversion", "basis", "land_area_ha", "amount_t_per_a", "amount_m3_per_a",
    "methane_m3_per_a_p50", "primary_energy_mwh_per_a_p10", "primary_energy_mwh_per_a_p50",
    "primary_energy_mwh_per_a_p90", "primary_energy_mwh_per_a_mean", "electricity_mwh_per_a_p50",
    "heat_mwh_per_a_p50",
)


def _land_area(fs: Feedstock, d: Drivers) -> np.ndarray:
    return {
        "forest_wood": d.forest_ha, "landscape_wood": d.woody_ha, "straw": d.arable_ha,
        "energy_crops": d.arable_ha, "grassland": d.grassland_ha, "manure": d.agri_ha,
    }.get(fs.id, np.full(len(d.ags), np.nan))


def feedstock_table(d: Drivers, chains: Mapping[str, FeedstockSamples], f: Mapping[str, np.ndarray]) -> pd.DataFrame:
    """One row per municipality and feedstock (table ``biomass``)."""
    parts = []
    n = len(d.ags)
    for fs in FEEDSTOCKS:
        s = chains[fs.id]
        el, heat = converted(fs, s.primary_mwh, f)
        p10, p50, p90 = _q(s.primary_mwh)
        amount = np.median(s.amount, axis=1)
        parts.append(pd.DataFrame({
            "ags": d.ags, "name": d.name, "feedstock": fs.id, "conversion": fs.conversion,
            "basis": d.livestock_basis if fs.id == "manure" else [fs.basis] * n,
            "land_area_ha": _land_area(fs, d),
            "amount_t_per_a": amount if fs.amount_unit == "t" else np.nan,
            "amount_m3_per_a": amount if fs.amount_unit == "m3" else np.nan,
            "methane_m3_per_a_p50": np.median(s.methane_m3, axis=1) if s.methane_m3 is not None else np.nan,
            "primary_energy_mwh_per_a_p10": p10, "primary_energy_mwh_per_a_p50": p50,
            "primary_energy_mwh_per_a_p90": p90, "primary_energy_mwh_per_a_mean": s.primary_mwh.mean(axis=1),
            "electricity_mwh_per_a_p50": np.median(el, axis=1), "heat_mwh_per_a_p50": np.median(heat, axis=1),
        }))
    return pd.concat(parts, ignore_index=True)[list(BIOMASS_COLUMNS)]


def _sum_over_feedstocks(chains: Mapping[str, FeedstockSamples], f: Mapping[str, np.ndarray]
                         ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    primary = _added(chains[fs.id].primary_mwh for fs in FEEDSTOCKS)
    el = _added(converted(fs, chains[fs.id].primary_mwh, f)[0] for fs in FEEDSTOCKS)
    heat = _added(converted(fs, chains[fs.id].primary_mwh, f)[1] for fs in FEEDSTOCKS)
    return primary, el, heat


def existing_plants(munis: gpd.GeoDataFrame, plants: gpd.GeoDataFrame | None) -> pd.DataFrame:
    """Count and capacity [kW] of the existing plants (points) inside each municipality."""
    out = pd.DataFrame({"count": 0, "kw": 0.0}, index=munis["ags"].to_numpy())
    if plants is None or plants.empty:
        return out
    require_metric(plants.crs, "plants_bioenergy_2015")
    if PLANT_POWER_COLUMN not in plants.columns:
        raise InputDataError(f"plants_bioenergy_2015: column {PLANT_POWER_COLUMN!r} [kW] is missing. "
                             f"Map it with fields = {{ {PLANT_POWER_COLUMN} = \"…\" }} in the catalog.")
    if plants.crs != munis.crs:
        plants = plants.to_crs(munis.crs)
    points = gpd.GeoDataFrame({"kw": pd.to_numeric(plants[PLANT_POWER_COLUMN], errors="coerce").fillna(0.0)},
                              geometry=plants.geometry.representative_point().to_numpy(), crs=munis.crs)
    joined = gpd.sjoin(points, munis[["ags", "geometry"]], predicate="within", how="inner")
    grouped = joined.groupby("ags")["kw"].agg(count="size", kw="sum")
    out.loc[grouped.index, "count"] = grouped["count"].to_numpy()
    out.loc[grouped.index, "kw"] = grouped["kw"].to_numpy(dtype=float)
    return out


def municipality_totals(d: Drivers, chains: Mapping[str, FeedstockSamples], f: Mapping[str, np.ndarray],
                        plants: pd.DataFrame) -> pd.DataFrame:
    """One row per municipality (table ``biomass_totals``): all feedstocks and existing plants."""
    primary, el, heat = _sum_over_feedstocks(chains, f)
    p10, p50, p90 = _q(primary)
    existing_el = as_column(d.mastr2024_kw) * f["existing_full_load_hours_h_per_a"] / KWH_PER_MWH
    return pd.DataFrame({
        "ags": d.ags,
        "biomass_primary_energy_mwh_per_a_p10": p10,
        "biomass_primary_energy_mwh_per_a_p50": p50,
        "biomass_primary_energy_mwh_per_a_p90": p90,
        "biomass_primary_energy_mwh_per_a_mean": primary.mean(axis=1),
        "biomass_electricity_mwh_per_a_p50": np.median(el, axis=1),
        "biomass_heat_mwh_per_a_p50": np.median(heat, axis=1),
        "biomass_plants_2015_count": plants.loc[d.ags, "count"].to_numpy(dtype=np.int64),
        "biomass_plants_2015_kw": plants.loc[d.ags, "kw"].to_numpy(dtype=float),
        "biomass_mastr2021_kw": d.mastr2021_kw,
        "biomass_mastr2024_kw": d.mastr2024_kw,
        "biomass_existing_electricity_mwh_per_a_p50": np.median(existing_el, axis=1),
    })


def region_totals(chains: Mapping[str, FeedstockSamples], f: Mapping[str, np.ndarray]) -> pd.DataFrame:
    """One row per feedstock plus ``total`` for the whole region (table ``biomass_region``).

    Quantiles of the summed samples: because factors are shared by all municipalities, a
    feedstock's region P10/P50/P90 equal the sums of the municipality values (up to rounding).
    """
    rows = []
    for fs in FEEDSTOCKS:
        s = chains[fs.id]
        el, heat = converted(fs, s.primary_mwh, f)
        amount = np.median(s.amount.sum(axis=0))
        p10, p50, p90 = _q(s.primary_mwh.sum(axis=0))
        rows.append({
            "feedstock": fs.id, "conversion": fs.conversion,
            "amount_t_per_a": amount if fs.amount_unit == "t" else np.nan,
            "amount_m3_per_a": amount if fs.amount_unit == "m3" else np.nan,
            "methane_m3_per_a_p50": np.median(s.methane_m3.sum(axis=0)) if s.methane_m3 is not None else np.nan,
            "primary_energy_mwh_per_a_p10": p10, "primary_energy_mwh_per_a_p50": p50,
            "primary_energy_mwh_per_a_p90": p90,
            "primary_energy_mwh_per_a_mean": s.primary_mwh.sum(axis=0).mean(),
            "electricity_mwh_per_a_p50": np.median(el.sum(axis=0)),
            "heat_mwh_per_a_p50": np.median(heat.sum(axis=0)),
        })
    primary, el, heat = _sum_over_feedstocks(chains, f)
    p10, p50, p90 = _q(primary.sum(axis=0))
    rows.append({
        "feedstock": "total", "conversion": "all", "amount_t_per_a": np.nan, "amount_m3_per_a": np.nan,
        "methane_m3_per_a_p50": np.median(_added(m for fs in FEEDSTOCKS
                                                 if (m := chains[fs.id].methane_m3) is not None).sum(axis=0)),
        "primary_energy_mwh_per_a_p10": p10, "primary_energy_mwh_per_a_p50": p50,
        "primary_energy_mwh_per_a_p90": p90, "primary_energy_mwh_per_a_mean": primary.sum(axis=0).mean(),
        "electricity_mwh_per_a_p50": np.median(el.sum(axis=0)), "heat_mwh_per_a_p50": np.median(heat.sum(axis=0)),
    })
    return pd.DataFrame(rows)


@dataclass(frozen=True)
class BiomassResult:
    """The four result frames of the biomass potential."""

    biomass: pd.DataFrame  #: per municipality and feedstock
    totals: pd.DataFrame  #: per municipality (all feedstocks, existing plants)
    region: pd.DataFrame  #: per feedstock for the whole region
    map: gpd.GeoDataFrame  #: per municipality and feedstock, on its land-cover polygons

    def frames(self) -> dict[str, pd.DataFrame]:
        return {"biomass": self.biomass, "biomass_totals": self.totals, "biomass_region": self.region,
                "biomass_map": self.map}


def biomass_potential(
    municipalities: gpd.GeoDataFrame,
    statistics: pd.DataFrame,
    landcover: gpd.GeoDataFrame,
    livestock_state: pd.DataFrame,
    params: BiomassParams,
    plants: gpd.GeoDataFrame | None = None,
    livestock_local: pd.DataFrame | None = None,
) -> BiomassResult:
    """The biomass potential of every municipality (see the module docstring for the chains).

    ``municipalities``: ``ags``, ``name``, polygons (EPSG:25833); ``statistics``: one row per AGS
    with ``area_ha_veg_forrest|wood|agri`` [ha] and ``population_2021`` (``mastr*_kw_biomass``
    [kW] optional); ``landcover``: polygons with ``class``; ``livestock_state``: head counts
    (``cows``, ``cattle``, ``pigs``, ``poultry``, ``other_animals``) with a row for the state;
    ``plants``: existing bioenergy plants (points, ``Power_kW``); ``livestock_local``: optional
    local head counts per AGS that replace the scaled state herd.
    """
    munis = check_municipalities(municipalities)
    classes = tuple(dict.fromkeys(c for fs in FEEDSTOCKS for c in fs.landcover_classes))
    cover = landcover_by_municipality(munis, landcover, classes)
    drivers = municipal_drivers(munis, statistics, cover, livestock_state, params, livestock_local)
    f = sample_factors(params)
    chains = feedstock_samples(drivers, f)
    table = feedstock_table(drivers, chains, f)
    totals = municipality_totals(drivers, chains, f, existing_plants(munis, plants))
    return BiomassResult(
        biomass=table,
        totals=totals,
        region=region_totals(chains, f),
        map=spread_over_landcover(table, cover, munis),
    )

"""Biomass feedstock potential per municipality, with uncertainty (pure calculation).

Chains (see DOMAIN.md, section Biomass; factors in ``layers/params/default/biomass.toml``):

- ``forest_wood``: forest area [ha] × usable energy wood [m³/ha·a] × [MWh/m³];
- ``landscape_wood``: woody area outside forest (Gehölz) [ha] × [m³/ha·a] × [MWh/m³];
- ``straw``: arable area × cereal share × straw yield [t/ha·a] × usable share × [MWh/t];
- ``energy_crops``: arable area × energy-crop share × yield [t FM/ha·a] × oDM share ×
  [m³ CH₄/t oDM] × [kWh/m³ CH₄];
- ``grassland``: grassland area × surplus share × yield × oDM share × [m³ CH₄/t oDM] × …;
- ``manure``: head counts per animal group × [t/head·a] (× collectable share for cattle and
  other animals) × oDM share × [m³ CH₄/t oDM] × …; heads are the state herd scaled by
  agricultural area unless a local count is given;
- ``biowaste`` / ``green_waste``: population × [kg/cap·a] split by the bio-bin share; biowaste
  is digested, the woody fraction of green waste burnt.

Primary energy [MWh/a] is reported as P10/P50/P90 (and mean) over seeded Monte Carlo samples;
electricity and heat [MWh/a] as P50 of primary energy × CHP efficiency (gas engine for biogas,
solid-fuel CHP for wood and straw). Every factor is drawn once per sample for the whole region,
so within a feedstock the municipality values are one random variable scaled by a fixed
driver: their quantiles add up to the quantiles of the county total.

Inputs are loaded frames in EPSG:25833; the module opens no file and imports no store code.
"""

from __future__ import annotations

import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator
from scipy import stats

from potenzial.crs import require_metric
from potenzial.errors import ConfigError, InputDataError
from potenzial.units import KWH_PER_MWH, M2_PER_HA

KG_PER_T = 1_000.0  #: [kg] per [t]
QUANTILES = (0.10, 0.50, 0.90)  #: P10, P50, P90
LANDCOVER_CLASSES = ("arable", "grassland", "forest", "water", "settlement", "traffic")

#: statistics columns used (Flächenerhebung [ha], population [persons], MaStR sums [kW])
STAT_FOREST_HA = "area_ha_veg_forrest"
STAT_WOODY_HA = "area_ha_veg_wood"
STAT_AGRI_HA = "area_ha_veg_agri"
STAT_POPULATION = "population_2021"
STAT_MASTR_2021_KW = "mastr2021_kw_biomass"
STAT_MASTR_2024_KW = "mastr2024_kw_biomass"
STAT_REQUIRED = (STAT_FOREST_HA, STAT_WOODY_HA, STAT_AGRI_HA, STAT_POPULATION)

#: livestock table column -> animal group used in factor names
LIVESTOCK_GROUPS = {
    "cows": "dairy_cows",
    "cattle": "other_cattle",
    "pigs": "pigs",
    "poultry": "poultry",
    "other_animals": "other_animals",
}
#: animal group -> factor with the collectable share (groups not listed are fully housed)
COLLECTABLE_SHARE = {
    "dairy_cows": "manure_cattle_collectable_share",
    "other_cattle": "manure_cattle_collectable_share",
    "other_animals": "manure_other_animals_collectable_share",
}
PLANT_POWER_COLUMN = "Power_kW"  #: capacity column of the existing-plants layer [kW]


@dataclass(frozen=True)
class Feedstock:
    """A feedstock: how its energy is converted and which land-cover classes it comes from."""

    id: str
    conversion: Literal["biogas", "solid"]
    amount_unit: Literal["t", "m3"]  #: amount_t_per_a or amount_m3_per_a
    landcover_classes: tuple[str, ...]  #: polygons the map layer spreads it over
    basis: str  #: what drives it (for the result table)


FEEDSTOCKS: tuple[Feedstock, ...] = (
    Feedstock("forest_wood", "solid", "m3", ("forest",), f"statistics {STAT_FOREST_HA}"),
    # Gehölz has no class of its own in the land cover; woody areas sit mostly at forest edges
    Feedstock("landscape_wood", "solid", "m3", ("forest",), f"statistics {STAT_WOODY_HA}"),
    Feedstock("straw", "solid", "t", ("arable",), f"statistics {STAT_AGRI_HA} × arable share (landcover)"),
    Feedstock("energy_crops", "biogas", "t", ("arable",), f"statistics {STAT_AGRI_HA} × arable share (landcover)"),
    Feedstock("grassland", "biogas", "t", ("grassland",),
              f"statistics {STAT_AGRI_HA} × grassland share (landcover)"),
    Feedstock("manure", "biogas", "t", ("arable", "grassland"), "livestock"),
    Feedstock("biowaste", "biogas", "t", ("settlement",), f"statistics {STAT_POPULATION}"),
    Feedstock("green_waste", "solid", "t", ("settlement",), f"statistics {STAT_POPULATION}"),
)
FEEDSTOCK_IDS = tuple(f.id for f in FEEDSTOCKS)
_BY_ID = {f.id: f for f in FEEDSTOCKS}

_MANURE_FACTORS = tuple(
    f"manure_{group}_{part}" for group in LIVESTOCK_GROUPS.values()
    for part in ("t_per_head_a", "odm_share_of_fm", "methane_m3_per_t_odm")
)
#: every factor the chains need
REQUIRED_FACTORS: tuple[str, ...] = (
    "forest_energy_wood_m3_per_ha_a", "woody_area_energy_wood_m3_per_ha_a", "wood_energy_mwh_per_m3",
    "cereal_area_share_of_arable", "straw_yield_t_per_ha_a", "straw_usable_share", "straw_energy_mwh_per_t",
    "energy_crop_area_share_of_arable", "energy_crop_yield_t_per_ha_a", "energy_crop_odm_share_of_fm",
    "energy_crop_methane_m3_per_t_odm",
    "grassland_surplus_share", "grass_yield_t_per_ha_a", "grass_odm_share_of_fm", "grass_methane_m3_per_t_odm",
    *_MANURE_FACTORS, "manure_cattle_collectable_share", "manure_other_animals_collectable_share",
    "bio_and_green_waste_kg_per_capita_a", "biowaste_share_of_bio_and_green_waste", "biowaste_odm_share_of_fm",
    "biowaste_methane_m3_per_t_odm", "green_waste_woody_share", "green_waste_wood_energy_mwh_per_t",
    "methane_energy_kwh_per_m3",
    "biogas_chp_electrical_efficiency_share", "biogas_chp_heat_efficiency_share",
    "solid_chp_electrical_efficiency_share", "solid_chp_heat_efficiency_share",
    "existing_full_load_hours_h_per_a",
)
_EFFICIENCY = {
    "biogas": ("biogas_chp_electrical_efficiency_share", "biogas_chp_heat_efficiency_share"),
    "solid": ("solid_chp_electrical_efficiency_share", "solid_chp_heat_efficiency_share"),
}


# ============================================================================ parameters

class Factor(BaseModel):
    """One uncertain factor: a distribution with its unit and source."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    dist: Literal["triangular", "normal", "fixed"] = "triangular"
    low: float | None = Field(None, ge=0)
    central: float | None = Field(None, ge=0)
    high: float | None = Field(None, ge=0)
    mean: float | None = Field(None, ge=0)
    sd: float | None = Field(None, gt=0)
    value: float | None = Field(None, ge=0)
    unit: str = Field(min_length=1)
    source: str = Field(min_length=1)

    @model_validator(mode="after")
    def _complete(self) -> Factor:
        need = {"triangular": ("low", "central", "high"), "normal": ("mean", "sd"), "fixed": ("value",)}[self.dist]
        missing = [k for k in need if getattr(self, k) is None]
        if missing:
            raise ValueError(f"dist = \"{self.dist}\" needs {', '.join(need)}; {', '.join(missing)} missing")
        if self.dist == "triangular" and not (self.low <= self.central <= self.high):
            raise ValueError(f"needs low <= central <= high, got {self.low}, {self.central}, {self.high}")
        return self

    @property
    def bounds(self) -> tuple[float, float]:
        """Smallest and largest value (for a normal factor: mean ± 3 sd, at least 0)."""
        if self.dist == "triangular":
            return self.low, self.high
        if self.dist == "fixed":
            return self.value, self.value
        return max(0.0, self.mean - 3 * self.sd), self.mean + 3 * self.sd

    def sample(self, u: np.ndarray, upper: float = np.inf) -> np.ndarray:
        """Values for uniform draws ``u`` in [0, 1) by the inverse distribution function."""
        if self.dist == "fixed":
            return np.full(u.shape, self.value)
        if self.dist == "normal":
            lo, hi = (0.0 - self.mean) / self.sd, (upper - self.mean) / self.sd
            return stats.truncnorm.ppf(u, lo, hi, loc=self.mean, scale=self.sd)
        a, c, b = self.low, self.central, self.high
        if b == a:
            return np.full(u.shape, a)
        left = a + np.sqrt(u * (b - a) * (c - a))
        right = b - np.sqrt((1.0 - u) * (b - a) * (b - c))
        return np.where(u < (c - a) / (b - a), left, right)


class LivestockSettings(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    state_ags: str = Field(pattern=r"^\d{8}$")
    state_agricultural_area_ha: float = Field(gt=0)
    local_layer: str = Field("livestock_local", min_length=1)


class BiomassParams(BaseModel):
    """The validated ``[biomass]`` parameter section."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    version: str = ""
    seed: int = Field(ge=0)
    n_samples: int = Field(ge=100, le=200_000)
    fallback_arable_share: float = Field(ge=0, le=1)
    livestock: LivestockSettings
    factors: dict[str, Factor]


def _is_share(name: str) -> bool:
    return "_share" in name


def load_biomass_params(section: Mapping) -> BiomassParams:
    """Validate the ``[biomass]`` section; a ConfigError names the key that is wrong."""
    raw = {k: (dict(v) if isinstance(v, Mapping) else v) for k, v in dict(section).items()}
    raw_factors = raw.get("factors")
    if not isinstance(raw_factors, dict) or not raw_factors:
        raise ConfigError("parameter section [biomass] has no [biomass.factors.*] tables. "
                          "Add them (see layers/params/default/biomass.toml).")
    factors: dict[str, Factor] = {}
    for name, spec in raw_factors.items():
        factors[name] = _factor(name, spec)
    missing = [n for n in REQUIRED_FACTORS if n not in factors]
    if missing:
        raise ConfigError(f"parameter section [biomass.factors] lacks {', '.join(missing)}. "
                          "Add them with unit and source (see layers/params/default/biomass.toml).")
    unknown = sorted(set(factors) - set(REQUIRED_FACTORS))
    if unknown:
        raise ConfigError(f"parameter [biomass.factors] has unknown factor(s) {', '.join(unknown)}; "
                          "check the spelling (known: see layers/params/default/biomass.toml).")
    for path in _EFFICIENCY.values():
        top = sum(min(factors[n].bounds[1], 1.0) for n in path)
        if top > 1.0:
            raise ConfigError(f"parameters [biomass.factors.{path[0]}] and [biomass.factors.{path[1]}]: "
                              f"electrical + heat efficiency can reach {top:.2f} > 1. Lower the high values.")
    try:
        return BiomassParams.model_validate({**raw, "factors": factors})
    except ValidationError as exc:
        err = exc.errors()[0]
        key = ".".join(str(p) for p in err["loc"])
        raise ConfigError(f"parameter [biomass] {key}: {err['msg']} (got {err.get('input')!r}). "
                          "Fix it in layers/params/default/biomass.toml.") from None


def _factor(name: str, spec: object) -> Factor:
    where = f"parameter [biomass.factors.{name}]"
    if not isinstance(spec, Mapping):
        raise ConfigError(f"{where} is {spec!r}, not a table. Write it as a table with low, central, high "
                          "(or mean and sd), unit and source.")
    for key in ("unit", "source"):
        if not str(spec.get(key, "") or "").strip():
            raise ConfigError(f"{where} lacks `{key}`: every factor needs a unit and a source. "
                              f"Add {key} = \"…\" to it.")
    try:
        factor = Factor.model_validate(dict(spec))
    except ValidationError as exc:
        err = exc.errors()[0]
        key = ".".join(str(p) for p in err["loc"])
        raise ConfigError(f"{where}{' ' + key if key else ''}: {err['msg'].removeprefix('Value error, ')}. "
                          "Fix the table.") from None
    top = factor.mean if factor.dist == "normal" else factor.bounds[1]  # a normal share is truncated at 1
    if _is_share(name) and top > 1.0:
        raise ConfigError(f"{where} is a share but can reach {top}; shares lie between 0 and 1.")
    return factor


def sample_factors(params: BiomassParams) -> dict[str, np.ndarray]:
    """``n_samples`` draws of every factor; the stream of each is seeded by ``seed`` and its name."""
    out = {}
    for name, factor in params.factors.items():
        rng = np.random.default_rng([params.seed, zlib.crc32(name.encode("utf-8"))])
        out[name] = factor.sample(rng.random(params.n_samples), upper=1.0 if _is_share(name) else np.inf)
    return out


# ============================================================================ drivers

def check_municipalities(municipalities: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """``ags``, ``name`` and geometry of each municipality, AGS as text; metric CRS."""
    require_metric(municipalities.crs, "municipalities")
    for col in ("ags", "name"):
        if col not in municipalities.columns:
            raise InputDataError(f"municipalities: column {col!r} is missing. Map it with fields = {{…}}.")
    out = municipalities[["ags", "name", "geometry"]].copy()
    out["ags"] = out["ags"].astype(str)
    return out.reset_index(drop=True)


def _statistics_rows(munis: gpd.GeoDataFrame, statistics: pd.DataFrame) -> pd.DataFrame:
    if "ags" not in statistics.columns:
        raise InputDataError("statistics: no column 'ags'. Map the AGS column with fields = { ags = \"…\" }.")
    missing_cols = [c for c in STAT_REQUIRED if c not in statistics.columns]
    if missing_cols:
        raise InputDataError(f"statistics: lacks column(s) {', '.join(missing_cols)} [ha, persons]. "
                             "Add them or map them with fields = {…} in the catalog.")
    stats_ = statistics.assign(ags=statistics["ags"].astype(str))
    dup = stats_["ags"][stats_["ags"].duplicated()]
    if len(dup):
        raise InputDataError(f"statistics: AGS {', '.join(dup.unique()[:5])} appear more than once. "
                             "Keep one row per municipality.")
    stats_ = stats_.set_index("ags")
    absent = [f"{a} ({n})" for a, n in zip(munis["ags"], munis["name"], strict=True) if a not in stats_.index]
    if absent:
        raise InputDataError(f"statistics: no row for municipality {', '.join(absent[:5])}. Add the row "
                             f"({', '.join(STAT_REQUIRED)}) to the statistics file.")
    rows = stats_.loc[munis["ags"]]
    for col in STAT_REQUIRED:
        values = pd.to_numeric(rows[col], errors="coerce")
        bad = values.isna() | (values < 0)
        if bad.any():
            ags = values.index[bad][0]
            name = munis.set_index("ags").loc[ags, "name"]
            raise InputDataError(f"statistics row AGS {ags} ({name}): {col} = {_show(rows.loc[ags, col])} is "
                                 f"{'missing' if values.isna()[ags] else 'negative'}. Give a value >= 0.")
    return rows


def _show(value: object) -> str:
    """A cell value for a message: the number or text as written, ``empty`` for a missing one."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return "empty"
    return str(value.item() if isinstance(value, np.generic) else value)


def landcover_by_municipality(munis: gpd.GeoDataFrame, landcover: gpd.GeoDataFrame,
                              classes: tuple[str, ...]) -> gpd.GeoDataFrame:
    """Land cover of ``classes`` cut to each municipality and dissolved per (ags, class).

    One row per (ags, class) present: ``ags``, ``class``, ``area_ha`` [ha], MultiPolygon.
    """
    require_metric(landcover.crs, "landcover")
    if "class" not in landcover.columns:
        raise InputDataError("landcover: column 'class' is missing. Map it with fields = { class = \"…\" }.")
    unknown = sorted(set(landcover["class"].dropna().unique()) - set(LANDCOVER_CLASSES))
    if unknown:
        raise InputDataError(f"landcover: class values {unknown} are unknown; use "
                             f"{', '.join(LANDCOVER_CLASSES)} (map your codes before loading).")
    if landcover.crs != munis.crs:
        landcover = landcover.to_crs(munis.crs)
    cover = landcover[landcover["class"].isin(classes)]
    geoms = cover.geometry.values
    cls = np.asarray(cover["class"], dtype=object)
    muni_idx, cover_idx = cover.sindex.query(munis.geometry.values, predicate="intersects")
    rows = []
    for m, (ags, muni_geom) in enumerate(zip(munis["ags"], munis.geometry.values, strict=True)):
        candidates = cover_idx[muni_idx == m]
        if not len(candidates):
            continue
        inside = shapely.contains_properly(muni_geom, geoms[candidates])
        for c in classes:
            of_class = cls[candidates] == c
            sel = candidates[of_class]
            if not len(sel):
                continue
            sel_inside = inside[of_class]
            parts = list(geoms[sel[sel_inside]])
            cut = shapely.intersection(geoms[sel[~sel_inside]], muni_geom)
            parts.extend(cut)
            geom = _polygonal(shapely.union_all(parts))
            if geom is not None:
                rows.append({"ags": ags, "class": c, "area_ha": geom.area / M2_PER_HA, "geometry": geom})
    return gpd.GeoDataFrame(rows, columns=["ags", "class", "area_ha", "geometry"], geometry="geometry",
                            crs=munis.crs)


def _polygonal(geom) -> shapely.MultiPolygon | None:
    """The polygon parts of ``geom`` as one MultiPolygon (None when there are none)."""
    if geom is None or geom.is_empty:
        return None
    polys = []
    for part in shapely.get_parts(geom):
        if part.geom_type == "Polygon":
            polys.append(part)
        elif part.geom_type in ("MultiPolygon", "GeometryCollection"):
            polys.extend(q for q in shapely.get_parts(part) if q.geom_type == "Polygon")
    polys = [p for p in polys if not p.is_empty]
    return shapely.MultiPolygon(polys) if polys else None


def livestock_heads(munis: gpd.GeoDataFrame, agri_ha: np.ndarray, livestock_state: pd.DataFrame,
                    settings: LivestockSettings, livestock_local: pd.DataFrame | None = None
                    ) -> tuple[pd.DataFrame, list[str]]:
    """Head counts per municipality and animal group, and the basis text per municipality.

    The state herd (row ``settings.state_ags``) is scaled by ``agri_ha`` / state agricultural
    area; cells of ``livestock_local`` (rows by AGS, columns by group) replace it where given.
    """
    what = "livestock_state"
    if "ags" not in livestock_state.columns:
        raise InputDataError(f"{what}: no column 'ags'. Map the state key column with fields = {{ ags = \"…\" }}.")
    state = livestock_state.assign(ags=livestock_state["ags"].astype(str)).set_index("ags")
    if settings.state_ags not in state.index:
        raise InputDataError(f"{what}: no row for state AGS {settings.state_ags}; it has "
                             f"{', '.join(state.index[:5])}. Fix [biomass.livestock] state_ags or the table.")
    missing = [c for c in LIVESTOCK_GROUPS if c not in state.columns]
    if missing:
        raise InputDataError(f"{what}: lacks column(s) {', '.join(missing)} [head]. Map them with fields = {{…}}.")
    row = state.loc[settings.state_ags]
    share = agri_ha / settings.state_agricultural_area_ha
    heads = pd.DataFrame(index=munis["ags"].to_numpy())
    for col in LIVESTOCK_GROUPS:
        value = pd.to_numeric(pd.Series([row[col]]), errors="coerce").iloc[0]
        if pd.isna(value) or value < 0:
            raise InputDataError(f"{what} row AGS {settings.state_ags}: {col} = {_show(row[col])} is not a head count "
                                 ">= 0. Fix the value.")
        heads[col] = float(value) * share
    local_cells = pd.DataFrame(False, index=heads.index, columns=list(LIVESTOCK_GROUPS))
    if livestock_local is not None:
        local = _check_local(livestock_local, munis)
        for col in LIVESTOCK_GROUPS:
            if col not in local.columns:
                continue
            given = local[col].dropna()
            heads.loc[given.index, col] = given.to_numpy(dtype=float)
            local_cells.loc[given.index, col] = True
    scaled = f"livestock_state scaled by {STAT_AGRI_HA}"
    basis = []
    for ags in heads.index:
        flags = local_cells.loc[ags]
        if flags.all():
            basis.append("livestock_local")
        elif not flags.any():
            basis.append(scaled)
        else:
            basis.append(f"livestock_local ({', '.join(flags.index[flags])}) + {scaled} "
                         f"({', '.join(flags.index[~flags])})")
    return heads, basis


def _check_local(local: pd.DataFrame, munis: gpd.GeoDataFrame) -> pd.DataFrame:
    what = "livestock_local"
    if "ags" not in local.columns:
        raise InputDataError(f"{what}: no column 'ags'. Map the AGS column with fields = {{ ags = \"…\" }}.")
    groups = [c for c in LIVESTOCK_GROUPS if c in local.columns]
    if not groups:
        raise InputDataError(f"{what}: none of the columns {', '.join(LIVESTOCK_GROUPS)} [head]. "
                             "Map them with fields = {…} in the catalog entry.")
    frame = local.assign(ags=local["ags"].astype(str))
    dup = frame["ags"][frame["ags"].duplicated()]
    if len(dup):
        raise InputDataError(f"{what}: AGS {', '.join(dup.unique()[:5])} appear more than once. "
                             "Keep one row per municipality.")
    foreign = sorted(set(frame["ags"]) - set(munis["ags"]))
    if foreign:
        raise InputDataError(f"{what}: AGS {', '.join(foreign[:5])} are not municipalities of the region. "
                             "Remove those rows or fix the AGS.")
    frame = frame.set_index("ags")
    for col in groups:
        values = pd.to_numeric(frame[col], errors="coerce")
        bad = (values < 0) | (values.isna() & frame[col].notna())
        if bad.any():
            ags = values.index[bad][0]
            raise InputDataError(f"{what} row AGS {ags}: {col} = {_show(frame.loc[ags, col])} is not a head count "
                                 ">= 0. Fix the value or leave the cell empty to use the scaled state herd.")
        frame[col] = values
    return frame[groups]


@dataclass(frozen=True)
class Drivers:
    """Deterministic inputs per municipality (rows in the order of ``ags``)."""

    ags: np.ndarray
    name: np.ndarray
    forest_ha: np.ndarray
    woody_ha: np.ndarray
    agri_ha: np.ndarray
    arable_ha: np.ndarray
    grassland_ha: np.ndarray
    population: np.ndarray
    heads: pd.DataFrame  #: [head] per livestock column
    livestock_basis: list[str]
    mastr2021_kw: np.ndarray
    mastr2024_kw: np.ndarray


def municipal_drivers(munis: gpd.GeoDataFrame, statistics: pd.DataFrame, cover: gpd.GeoDataFrame,
                      livestock_state: pd.DataFrame, params: BiomassParams,
                      livestock_local: pd.DataFrame | None = None) -> Drivers:
    """Areas, population and herds per municipality.

    Agricultural area comes from the statistics and is split into arable and grassland by the
    land-cover areas inside the municipality (``fallback_arable_share`` where it has neither).
    """
    rows = _statistics_rows(munis, statistics)
    num = {c: pd.to_numeric(rows[c]).to_numpy(dtype=float) for c in STAT_REQUIRED}
    area = cover.pivot_table(index="ags", columns="class", values="area_ha", aggfunc="sum")
    area = area.reindex(index=munis["ags"], columns=["arable", "grassland"]).fillna(0.0)
    farmed = area["arable"].to_numpy() + area["grassland"].to_numpy()
    with np.errstate(invalid="ignore", divide="ignore"):
        arable_share = np.where(farmed > 0, area["arable"].to_numpy() / farmed, params.fallback_arable_share)
    agri = num[STAT_AGRI_HA]
    heads, basis = livestock_heads(munis, agri, livestock_state, params.livestock, livestock_local)

    def optional(col: str) -> np.ndarray:
        if col not in rows.columns:
            return np.full(len(rows), np.nan)
        return pd.to_numeric(rows[col], errors="coerce").to_numpy(dtype=float)

    return Drivers(
        ags=munis["ags"].to_numpy(), name=munis["name"].astype(str).to_numpy(),
        forest_ha=num[STAT_FOREST_HA], woody_ha=num[STAT_WOODY_HA], agri_ha=agri,
        arable_ha=agri * arable_share, grassland_ha=agri * (1.0 - arable_share),
        population=num[STAT_POPULATION], heads=heads, livestock_basis=basis,
        mastr2021_kw=optional(STAT_MASTR_2021_KW), mastr2024_kw=optional(STAT_MASTR_2024_KW),
    )


# ============================================================================ chains

@dataclass(frozen=True)
class FeedstockSamples:
    """Samples of one feedstock, shape (municipalities, samples)."""

    amount: np.ndarray  #: [t/a] or [m³/a] (see Feedstock.amount_unit)
    primary_mwh: np.ndarray  #: primary energy [MWh/a]
    methane_m3: np.ndarray | None = None  #: [m³ CH₄/a] for biogas feedstocks


def _col(values: np.ndarray) -> np.ndarray:
    return np.asarray(values, dtype=float)[:, None]


def feedstock_samples(d: Drivers, f: Mapping[str, np.ndarray]) -> dict[str, FeedstockSamples]:
    """Every chain evaluated for all municipalities × samples (driver × product of factors)."""
    kwh = f["methane_energy_kwh_per_m3"] / KWH_PER_MWH  # [MWh per m³ CH₄]

    def biogas(mass_t: np.ndarray, prefix: str) -> FeedstockSamples:
        methane = mass_t * f[f"{prefix}_odm_share_of_fm"] * f[f"{prefix}_methane_m3_per_t_odm"]
        return FeedstockSamples(amount=mass_t, primary_mwh=methane * kwh, methane_m3=methane)

    forest_m3 = _col(d.forest_ha) * f["forest_energy_wood_m3_per_ha_a"]
    woody_m3 = _col(d.woody_ha) * f["woody_area_energy_wood_m3_per_ha_a"]
    straw_t = (_col(d.arable_ha) * f["cereal_area_share_of_arable"]) * f["straw_yield_t_per_ha_a"] \
        * f["straw_usable_share"]
    crops_t = (_col(d.arable_ha) * f["energy_crop_area_share_of_arable"]) * f["energy_crop_yield_t_per_ha_a"]
    grass_t = (_col(d.grassland_ha) * f["grassland_surplus_share"]) * f["grass_yield_t_per_ha_a"]

    manure_t = np.zeros((len(d.ags), len(kwh)))
    manure_ch4 = np.zeros_like(manure_t)
    for col, group in LIVESTOCK_GROUPS.items():
        mass = _col(d.heads[col].to_numpy()) * f[f"manure_{group}_t_per_head_a"]
        if group in COLLECTABLE_SHARE:
            mass = mass * f[COLLECTABLE_SHARE[group]]
        manure_t += mass
        manure_ch4 += mass * f[f"manure_{group}_odm_share_of_fm"] * f[f"manure_{group}_methane_m3_per_t_odm"]

    waste_t = _col(d.population) * f["bio_and_green_waste_kg_per_capita_a"] / KG_PER_T
    bio_t = waste_t * f["biowaste_share_of_bio_and_green_waste"]
    green_t = waste_t * (1.0 - f["biowaste_share_of_bio_and_green_waste"])

    return {
        "forest_wood": FeedstockSamples(forest_m3, forest_m3 * f["wood_energy_mwh_per_m3"]),
        "landscape_wood": FeedstockSamples(woody_m3, woody_m3 * f["wood_energy_mwh_per_m3"]),
        "straw": FeedstockSamples(straw_t, straw_t * f["straw_energy_mwh_per_t"]),
        "energy_crops": biogas(crops_t, "energy_crop"),
        "grassland": biogas(grass_t, "grass"),
        "manure": FeedstockSamples(manure_t, manure_ch4 * kwh, manure_ch4),
        "biowaste": biogas(bio_t, "biowaste"),
        "green_waste": FeedstockSamples(
            green_t, green_t * f["green_waste_woody_share"] * f["green_waste_wood_energy_mwh_per_t"]),
    }


def _q(x: np.ndarray) -> np.ndarray:
    """P10, P50, P90 over the last axis (shape (3, …))."""
    return np.quantile(x, QUANTILES, axis=-1)


def _converted(fs: Feedstock, primary: np.ndarray, f: Mapping[str, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    el, heat = _EFFICIENCY[fs.conversion]
    return primary * f[el], primary * f[heat]


# ============================================================================ results

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
        el, heat = _converted(fs, s.primary_mwh, f)
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
    primary = sum(chains[fs.id].primary_mwh for fs in FEEDSTOCKS)
    el = sum(_converted(fs, chains[fs.id].primary_mwh, f)[0] for fs in FEEDSTOCKS)
    heat = sum(_converted(fs, chains[fs.id].primary_mwh, f)[1] for fs in FEEDSTOCKS)
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
    existing_el = _col(d.mastr2024_kw) * f["existing_full_load_hours_h_per_a"] / KWH_PER_MWH
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
        el, heat = _converted(fs, s.primary_mwh, f)
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
        "methane_m3_per_a_p50": np.median(sum(chains[fs.id].methane_m3 for fs in FEEDSTOCKS
                                              if chains[fs.id].methane_m3 is not None).sum(axis=0)),
        "primary_energy_mwh_per_a_p10": p10, "primary_energy_mwh_per_a_p50": p50,
        "primary_energy_mwh_per_a_p90": p90, "primary_energy_mwh_per_a_mean": primary.sum(axis=0).mean(),
        "electricity_mwh_per_a_p50": np.median(el.sum(axis=0)), "heat_mwh_per_a_p50": np.median(heat.sum(axis=0)),
    })
    return pd.DataFrame(rows)


def spread_over_landcover(table: pd.DataFrame, cover: gpd.GeoDataFrame, munis: gpd.GeoDataFrame
                          ) -> gpd.GeoDataFrame:
    """The map layer ``biomass_map``: each (municipality, feedstock) on the polygons it comes from.

    Geometry = the municipality's land cover of the feedstock's classes (dissolved), so the
    energy density [MWh/ha·a] is the feedstock's energy over that area. Where the municipality
    has none of those classes, its whole polygon stands in (``landcover_classes`` =
    ``municipality``), so the map always carries the full amount.
    """
    pieces = {(a, c): (g, area) for a, c, g, area in
              zip(cover["ags"], cover["class"], cover.geometry.values, cover["area_ha"], strict=True)}
    muni_geom = dict(zip(munis["ags"], munis.geometry.values, strict=True))
    geoms, classes, areas = [], [], []
    for ags, feedstock in zip(table["ags"], table["feedstock"], strict=True):
        found = [(c, *pieces[(ags, c)]) for c in _BY_ID[feedstock].landcover_classes if (ags, c) in pieces]
        if found:
            geom = found[0][1] if len(found) == 1 else _polygonal(shapely.union_all([g for _, g, _ in found]))
            classes.append(",".join(c for c, _, _ in found))
            areas.append(float(sum(a for _, _, a in found)))
        else:
            geom = _polygonal(muni_geom[ags])
            classes.append("municipality")
            areas.append(geom.area / M2_PER_HA)
        geoms.append(geom)
    area_ha = np.asarray(areas)
    out = pd.DataFrame({
        "ags": table["ags"].to_numpy(), "feedstock": table["feedstock"].to_numpy(),
        "landcover_classes": classes, "area_ha": area_ha,
        "amount_t_per_a": table["amount_t_per_a"].to_numpy(), "amount_m3_per_a": table["amount_m3_per_a"].to_numpy(),
        "primary_energy_mwh_per_a_p10": table["primary_energy_mwh_per_a_p10"].to_numpy(),
        "primary_energy_mwh_per_a_p50": table["primary_energy_mwh_per_a_p50"].to_numpy(),
        "primary_energy_mwh_per_a_p90": table["primary_energy_mwh_per_a_p90"].to_numpy(),
    })
    with np.errstate(invalid="ignore", divide="ignore"):
        out["primary_energy_mwh_per_ha_a_p50"] = np.where(
            area_ha > 0, out["primary_energy_mwh_per_a_p50"].to_numpy() / area_ha, 0.0)
    return gpd.GeoDataFrame(out, geometry=geoms, crs=munis.crs)


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

"""Deterministic drivers per municipality: areas and population from the statistics, herds.

The statistics give forest, woody and agricultural area [ha] and population per AGS; the
agricultural area is split into arable land and grassland by the land cover inside each
municipality; the state herd is scaled by agricultural area unless a local count is given.
Every check names the table, the row and the value, and says how to fix it.
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd

from potenzial.biomass.feedstocks import (
    LIVESTOCK_GROUPS,
    STAT_AGRI_HA,
    STAT_FOREST_HA,
    STAT_MASTR_2021_KW,
    STAT_MASTR_2024_KW,
    STAT_POPULATION,
    STAT_REQUIRED,
    STAT_WOODY_HA,
)
from potenzial.biomass.params import BiomassParams, LivestockSettings
from potenzial.crs import require_metric
from potenzial.errors import InputDataError


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

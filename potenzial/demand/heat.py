"""Heat demand per building: type, age class, heated floor area and specific demand.

A building's type comes from its ``building_type`` column, else from its ``function`` mapped by
``[demand.types] function_types``; a residential building with neither gets a type drawn from its
municipality's Zensus 2011 counts (1–2 flats → ``sfh``, 3+ flats → ``mfh``), a non-residential
one from the mix of typed non-residential buildings of its municipality. A residential building
without ``age_class`` gets one drawn from ``[demand.age_classes] shares``. Draws are seeded by
``[demand] seed`` and the AGS and counted (``type_basis``/``age_basis`` = ``drawn``), so the same
inputs give the same result. An unknown type, function or age class in the layer is refused.

Heated floor area [m²] = volume_m3 × area_per_volume_per_m where the layer has a volume (LoD2),
else footprint × storeys × net_to_gross. Demand [MWh/a] = area × specific demand [kWh/(m²·a)] / 1000.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd

from potenzial.alkis import FUNCTION_CODE
from potenzial.crs import require_metric
from potenzial.demand.params import DemandParams
from potenzial.errors import InputDataError
from potenzial.units import KWH_PER_MWH

BASIS_GIVEN, BASIS_FUNCTION, BASIS_DRAWN, BASIS_NONE = "given", "function", "drawn", "none"


def _text(frame: pd.DataFrame, column: str) -> pd.Series:
    """A text column with missing values as ""; all "" where the layer lacks the column."""
    if column not in frame.columns:
        return pd.Series("", index=frame.index, dtype=object)
    return frame[column].astype(object).where(frame[column].notna(), "").astype(str).str.strip()


def _refuse_unknown(values: pd.Series, known: list[str], what: str, frame: pd.DataFrame) -> None:
    bad = values[(values != "") & ~values.isin(known)]
    if len(bad):
        first = bad.index[0]
        raise InputDataError(f"buildings: unknown {what} {bad.iloc[0]!r} (building {frame.at[first, 'building_id']}, "
                             f"{len(bad)} buildings in all); known values: {', '.join(known)}. "
                             "Fix the value in the layer or map it in [demand.types].")


def alkis_types(function: pd.Series, params: DemandParams) -> pd.Series:
    """The type of each building whose function is an ALKIS Gebäudefunktion code (not one of the names in
    ``function_types``), by ``[demand.types.alkis] ranges`` (the first range that holds it; "" = residential
    of a type drawn from the Zensus mix, or a code in no range)."""
    codes = function[~function.isin(list(params.function_types))].str.extract(FUNCTION_CODE)[0].dropna().astype(int)

    def type_of(code: int) -> str:
        return next((t for low, high, t in params.alkis_ranges if low <= code <= high), "")

    return codes.map(type_of).astype(object)


def _draw(rng: np.random.Generator, codes: list[str], weights: np.ndarray, n: int) -> np.ndarray:
    return rng.choice(np.asarray(codes, dtype=object), size=n, p=weights / weights.sum())


def zensus_type_shares(statistics: pd.DataFrame) -> pd.DataFrame:
    """Per AGS the weights of ``sfh`` (buildings with 1 or 2 flats) and ``mfh`` (3+ flats), Zensus 2011."""
    stats = statistics.assign(ags=statistics["ags"].astype(str)).set_index("ags")
    need = ["zensus2011_buildings_1flat", "zensus2011_buildings_2flats", "zensus2011_buildings_3flats"]
    missing = [c for c in need if c not in stats.columns]
    if missing:
        raise InputDataError(f"statistics: no column {', '.join(missing)}; the demand step needs the Zensus 2011 "
                             "building counts by number of flats.")
    return pd.DataFrame({"sfh": stats[need[0]].fillna(0.0) + stats[need[1]].fillna(0.0),
                         "mfh": stats[need[2]].fillna(0.0)}, index=stats.index)


def classify(buildings: gpd.GeoDataFrame, shares: pd.DataFrame, params: DemandParams) -> pd.DataFrame:
    """``building_type``, ``age_class`` and how each was found (``type_basis``, ``age_basis``)."""
    frame = buildings.reset_index(drop=True)
    btype, function, age = _text(frame, "building_type"), _text(frame, "function"), _text(frame, "age_class")
    alkis = alkis_types(function, params) if params.alkis_ranges else pd.Series(dtype=object)
    function = function.where(~function.index.isin(alkis.index), "")  # an ALKIS code is typed below, not refused
    from_alkis = pd.Series(btype.index.isin(alkis[alkis != ""].index), index=btype.index) & (btype == "")
    btype = btype.where(~from_alkis, alkis.reindex(btype.index).fillna(""))
    _refuse_unknown(btype, list(params.types), "building_type", frame)
    _refuse_unknown(function, sorted(params.function_types), "function", frame)
    _refuse_unknown(age, list(params.age_codes), "age_class", frame)
    floors = pd.to_numeric(frame["floors"], errors="coerce") if "floors" in frame.columns else \
        pd.Series(np.nan, index=frame.index)
    ags = frame["ags"].astype(str)
    residential = _text(frame, "use").eq("residential")

    out_type = btype.copy()
    basis = pd.Series(np.where(btype != "", BASIS_GIVEN, ""), index=frame.index, dtype=object)
    by_function = (out_type == "") & (function != "")
    mapped = function[by_function].map(params.function_types)
    block = (mapped == "mfh") & (floors[by_function] >= params.block_min_floors)
    out_type[by_function] = np.where(block, "ab", mapped)
    basis[by_function | from_alkis] = BASIS_FUNCTION

    out_age = age.copy()
    age_basis = pd.Series(np.where(age != "", BASIS_GIVEN, ""), index=frame.index, dtype=object)
    typed_non_res = out_type[(out_type != "") & out_type.isin(list(params.non_residential))]
    for code in sorted(ags.unique()):
        rng = np.random.default_rng([params.seed, int(code) if code.isdigit() else abs(hash(code)) % 2**31])
        in_muni = (ags == code).to_numpy()
        # residential without a type: the municipality's Zensus mix
        todo = np.flatnonzero(in_muni & (out_type == "").to_numpy() & residential.to_numpy())
        if len(todo):
            if code not in shares.index or shares.loc[code].sum() <= 0:
                raise InputDataError(f"statistics: no Zensus 2011 building counts for municipality {code}; "
                                     "they are needed for buildings without a type.")
            w = shares.loc[code, ["sfh", "mfh"]].to_numpy(float)
            out_type.iloc[todo] = _draw(rng, ["sfh", "mfh"], w, len(todo))
            basis.iloc[todo] = BASIS_DRAWN
        # non-residential without a type: the mix of typed non-residential buildings here (else the region's)
        todo = np.flatnonzero(in_muni & (out_type == "").to_numpy() & ~residential.to_numpy())
        if len(todo):
            local = typed_non_res[ags[typed_non_res.index] == code]
            mix = (local if len(local) else typed_non_res).value_counts()
            if mix.empty:
                raise InputDataError(f"buildings: {len(todo)} non-residential buildings in {code} have neither "
                                     "building_type nor function, and no building of the layer has one to go by. "
                                     "Add a function or building_type column.")
            out_type.iloc[todo] = _draw(rng, list(mix.index), mix.to_numpy(float), len(todo))
            basis.iloc[todo] = BASIS_DRAWN
        # residential types without an age class: the published age distribution
        is_res_type = out_type.isin(list(params.residential)).to_numpy()
        todo = np.flatnonzero(in_muni & is_res_type & (out_age == "").to_numpy())
        if len(todo):
            out_age.iloc[todo] = _draw(rng, list(params.age_codes), np.asarray(params.age_shares), len(todo))
            age_basis.iloc[todo] = BASIS_DRAWN
    non_res = out_type.isin(list(params.non_residential))
    out_age[non_res] = ""
    age_basis[non_res] = BASIS_NONE
    return pd.DataFrame({"building_type": out_type, "age_class": out_age, "type_basis": basis,
                         "age_basis": age_basis}, index=frame.index)


def heated_area_m2(buildings: gpd.GeoDataFrame, params: DemandParams) -> np.ndarray:
    """Heated floor area per building [m²] (before the heated share of non-residential types)."""
    require_metric(buildings.crs, "buildings")
    footprint = buildings.geometry.area.to_numpy(float)
    floors = (pd.to_numeric(buildings["floors"], errors="coerce") if "floors" in buildings.columns
              else pd.Series(np.nan, index=buildings.index)).to_numpy(float)
    floors = np.where(np.isfinite(floors) & (floors > 0), floors, float(params.default_floors))
    area = footprint * floors * params.net_to_gross
    if "volume_m3" in buildings.columns:
        volume = pd.to_numeric(buildings["volume_m3"], errors="coerce").to_numpy(float)
        has = np.isfinite(volume) & (volume > 0)
        area = np.where(has, volume * params.area_per_volume_per_m, area)
    return area


def specific_demand(types: pd.Series, ages: pd.Series, params: DemandParams) -> dict[str, np.ndarray]:
    """Specific heat demand per m² heated floor area [kWh/(m²·a)] at each level (status_quo, usual,
    advanced); non-residential types already multiplied by their heated share."""
    n = len(types)
    out = {level: np.zeros(n) for level in ("status_quo", "usual", "advanced")}
    age_index = {code: k for k, code in enumerate(params.age_codes)}
    t, a = types.to_numpy(), ages.to_numpy()
    for code, row in params.residential.items():
        m = t == code
        if m.any():
            k = np.array([age_index[x] for x in a[m]], dtype=int)
            for level in out:
                out[level][m] = np.asarray(getattr(row, level))[k]
    for code, nrow in params.non_residential.items():
        m = t == code
        base = nrow.specific_kwh_per_m2_a * nrow.heated_share
        out["status_quo"][m] = base
        out["usual"][m] = base * nrow.usual_factor
        out["advanced"][m] = base * nrow.advanced_factor
    return out


def after_refurbishment(levels: dict[str, np.ndarray], share: float, advanced_share: float) -> np.ndarray:
    """Specific demand when ``share`` of the stock is refurbished, ``advanced_share`` of it to the advanced
    level [kWh/(m²·a)]; never above the status quo (the levels are validated advanced ≤ usual ≤ status quo)."""
    refurbished = (1.0 - advanced_share) * levels["usual"] + advanced_share * levels["advanced"]
    return np.minimum(levels["status_quo"], (1.0 - share) * levels["status_quo"] + share * refurbished)


def scale_residential(area: np.ndarray, ags: pd.Series, residential: np.ndarray,
                      target_m2: pd.Series) -> np.ndarray:
    """``area`` with the residential buildings of each municipality scaled so that they sum to ``target_m2``
    (per AGS); municipalities without a target or without residential area keep theirs."""
    frame = pd.DataFrame({"ags": ags.to_numpy(), "area": np.where(residential, area, 0.0)})
    now = frame.groupby("ags")["area"].sum()
    factor = (target_m2.reindex(now.index) / now).where(lambda f: np.isfinite(f) & (f > 0), 1.0)
    return np.where(residential, area * ags.map(factor).fillna(1.0).to_numpy(float), area)


def building_demand(buildings: gpd.GeoDataFrame, statistics: pd.DataFrame, params: DemandParams,
                    residential_target_m2: pd.Series | None = None) -> gpd.GeoDataFrame:
    """One row per building with type, age class, heated area [m²], specific demand [kWh/(m²·a)], heat demand
    [MWh/a] now and per horizon (columns ``heat_<year>_mwh_th_per_a``), geometry in the input's CRS.

    ``residential_target_m2`` (per AGS): scale the residential heated area to it (synthetic stand-ins only,
    see ``[demand.floor_area] scale_synthetic_to_zensus``)."""
    require_metric(buildings.crs, "buildings")
    frame = buildings.reset_index(drop=True)
    if "ags" not in frame.columns:
        raise InputDataError("buildings: no column 'ags'. The demand step needs each building's municipality; "
                             "add the AGS or let the catalog assign it.")
    frame = frame.assign(ags=frame["ags"].astype(str)).sort_values("building_id", kind="stable").reset_index(drop=True)
    classes = classify(frame, zensus_type_shares(statistics), params)
    area = heated_area_m2(frame, params)
    if residential_target_m2 is not None:
        area = scale_residential(area, frame["ags"], classes["building_type"].isin(list(params.residential)).to_numpy(),
                                 residential_target_m2)
    levels = specific_demand(classes["building_type"], classes["age_class"], params)
    out = gpd.GeoDataFrame({
        "building_id": frame["building_id"].astype(str), "ags": frame["ags"],
        **{c: classes[c] for c in classes.columns},
        "heated_area_m2": area,
        "specific_heat_kwh_per_m2_a": levels["status_quo"],
        "heat_demand_mwh_th_per_a": area * levels["status_quo"] / KWH_PER_MWH,
    }, geometry=frame.geometry.values, crs=frame.crs)
    for year in params.horizons:
        q = after_refurbishment(levels, params.refurbished_share(year), params.advanced_share)
        out[f"heat_{year}_mwh_th_per_a"] = area * q / KWH_PER_MWH
    return out

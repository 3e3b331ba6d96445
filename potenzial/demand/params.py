"""The ``[demand]`` parameters (layers/params/default/demand.toml), validated and frozen.

Every factor has a source and a range; a value outside its range, a typology row whose
refurbished level exceeds its status quo, or shares that do not sum to 1 are refused with one
line naming the key and what is allowed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from potenzial.errors import ConfigError
from potenzial.params import plain
from potenzial.units import KM_PER_100_KM, KWH_PER_MWH

WHERE = "layers/params/default/demand.toml"
LEVELS = ("status_quo", "usual", "advanced")  #: refurbishment levels of the typology


@dataclass(frozen=True)
class ResidentialType:
    """Specific heat demand [kWh/(m²·a)] per age class and refurbishment level."""

    code: str
    title_de: str
    title_en: str
    status_quo: tuple[float, ...]
    usual: tuple[float, ...]
    advanced: tuple[float, ...]
    low_factor: float
    high_factor: float
    source: str


@dataclass(frozen=True)
class NonResidentialType:
    """Benchmark heat demand [kWh/(m²·a)], heated share of the floor area, refurbishment factors."""

    code: str
    title_de: str
    title_en: str
    specific_kwh_per_m2_a: float
    low: float
    high: float
    heated_share: float
    usual_factor: float
    advanced_factor: float
    source: str


@dataclass(frozen=True)
class ElectricityParams:
    household_shares: tuple[float, ...]  #: households with 1, 2, 3, 4+ persons [-]
    persons_in_largest: float  #: mean persons in the largest size class
    household_kwh_el_per_a: tuple[float, ...]  #: use per household of each size [kWh/a]
    commerce_share_of_non_household: float  #: commerce / (commerce + industry) [-]
    sector_table_layer: str

    @property
    def persons_per_household(self) -> float:
        sizes = [*range(1, len(self.household_shares)), self.persons_in_largest]
        return sum(s * n for s, n in zip(self.household_shares, sizes, strict=True))

    @property
    def kwh_el_per_household(self) -> float:
        """Mean use of a household [kWh/a], weighted by the household shares."""
        return sum(s * e for s, e in zip(self.household_shares, self.household_kwh_el_per_a, strict=True))


@dataclass(frozen=True)
class AddOnParams:
    """Heat pumps and e-mobility as additions to the electricity use per horizon (``[demand.add_ons]``)."""

    heat_pump_share_pct: Mapping[int, float]  #: horizon -> share of the residential heat from heat pumps [%]
    heat_pump_spf: float  #: seasonal performance factor (Jahresarbeitszahl) [kWh_th/kWh_el]
    cars_per_1000_inhabitants: float  #: passenger cars per 1,000 inhabitants [count]
    km_per_car_a: float  #: distance a car drives in a year [km/a]
    ev_kwh_per_100km: float  #: electricity from the grid per 100 km, charging losses included [kWh/100 km]
    ev_share_pct: Mapping[int, float]  #: horizon -> share of the cars that are electric [%]

    @property
    def ev_mwh_el_per_car_a(self) -> float:
        """Electricity of one electric car in a year [MWh_el/a]: km × kWh per 100 km / 100 / 1,000."""
        return self.km_per_car_a * self.ev_kwh_per_100km / KM_PER_100_KM / KWH_PER_MWH

    def share_pct(self, kind: str, year: int) -> float:
        """The ``heat_pump`` or ``ev`` share of ``year`` [%] (ConfigError for a year that is not a horizon)."""
        shares = self.heat_pump_share_pct if kind == "heat_pump" else self.ev_share_pct
        if year not in shares:
            raise ConfigError(f"{WHERE}: [demand.add_ons] has no {kind}_share_{year}_pct; the add-ons are given "
                              f"for the horizons {', '.join(str(y) for y in sorted(shares))}. Add the year or "
                              "use one of them.")
        return shares[year]


@dataclass(frozen=True)
class DemandParams:
    seed: int
    base_year: int
    horizons: tuple[int, ...]
    grid_cell_m: float
    net_to_gross: float
    area_per_volume_per_m: float
    default_floors: int
    scale_synthetic_to_zensus: bool
    reference_per_living_area: float
    age_codes: tuple[str, ...]
    age_shares: tuple[float, ...]
    residential: Mapping[str, ResidentialType]
    non_residential: Mapping[str, NonResidentialType]
    block_min_floors: int
    function_types: Mapping[str, str]
    #: ALKIS Gebäudefunktion code ranges (low, high, type; "" = residential, type from the Zensus mix)
    alkis_ranges: tuple[tuple[int, int, str], ...]
    rate_per_a: float
    advanced_share: float
    density_bounds_mwh_per_ha_a: tuple[float, ...]
    electricity: ElectricityParams
    add_ons: AddOnParams

    @property
    def types(self) -> tuple[str, ...]:
        """Every known building type: residential first."""
        return (*self.residential, *self.non_residential)

    def refurbished_share(self, year: int) -> float:
        """Share of the stock refurbished by ``year`` [-]: rate × years since the base year, at most 1."""
        return min(1.0, max(0.0, self.rate_per_a * (year - self.base_year)))


def _get(section: Mapping[str, Any], key: str, where: str) -> Any:
    if key not in section:
        raise ConfigError(f"{WHERE}: [{where}] has no {key!r}. Add it (see the comments in the default file).")
    return section[key]


def _ranged(section: Mapping[str, Any], key: str, where: str) -> float:
    """``key`` with ``key_low``/``key_high`` and ``key_source``: the value, checked against its range."""
    value, low, high = (float(_get(section, k, where)) for k in (key, f"{key}_low", f"{key}_high"))
    if not str(section.get(f"{key}_source", "")).strip():
        raise ConfigError(f"{WHERE}: [{where}] {key} has no {key}_source. Add where the value comes from.")
    if not low <= value <= high:
        raise ConfigError(f"{WHERE}: [{where}] {key} = {value} is outside its range {low}–{high}. "
                          "Use a value inside the range or widen it with a source.")
    return value


def _shares(values: Any, n: int, key: str, where: str) -> tuple[float, ...]:
    shares = tuple(float(v) for v in values)
    if len(shares) != n or any(s < 0 for s in shares) or abs(sum(shares) - 1.0) > 1e-6:
        raise ConfigError(f"{WHERE}: [{where}] {key} must be {n} non-negative shares summing to 1, "
                          f"got {list(shares)}.")
    return shares


def _residential(code: str, row: Mapping[str, Any], n_ages: int) -> ResidentialType:
    where = f"demand.residential.{code}"
    levels = {}
    for level in LEVELS:
        values = tuple(float(v) for v in _get(row, f"{level}_kwh_per_m2_a", where))
        if len(values) != n_ages or any(v < 0 for v in values):
            raise ConfigError(f"{WHERE}: [{where}] {level}_kwh_per_m2_a needs {n_ages} values ≥ 0 "
                              "(one per age class).")
        levels[level] = values
    for k in range(n_ages):
        sq, usual, adv = (levels[level][k] for level in LEVELS)
        if not adv <= usual <= sq:
            raise ConfigError(f"{WHERE}: [{where}] age class {k + 1}: refurbishment would raise demand "
                              f"(status quo {sq}, usual {usual}, advanced {adv}); need advanced ≤ usual ≤ status quo.")
    low, high = float(_get(row, "low_factor", where)), float(_get(row, "high_factor", where))
    if not 0 < low <= 1 <= high:
        raise ConfigError(f"{WHERE}: [{where}] needs 0 < low_factor ≤ 1 ≤ high_factor, got {low}, {high}.")
    source = str(_get(row, "source", where)).strip()
    if not source:
        raise ConfigError(f"{WHERE}: [{where}] has an empty source. Cite the typology.")
    return ResidentialType(code, str(_get(row, "title_de", where)), str(_get(row, "title_en", where)),
                           levels["status_quo"], levels["usual"], levels["advanced"], low, high, source)


def _non_residential(code: str, row: Mapping[str, Any]) -> NonResidentialType:
    where = f"demand.non_residential.{code}"
    value, low, high = (float(_get(row, k, where)) for k in ("specific_kwh_per_m2_a", "low", "high"))
    if not 0 <= low <= value <= high:
        raise ConfigError(f"{WHERE}: [{where}] specific_kwh_per_m2_a = {value} is outside its range {low}–{high}.")
    share, usual, adv = (float(_get(row, k, where)) for k in ("heated_share", "usual_factor", "advanced_factor"))
    if not (0 <= share <= 1 and 0 <= adv <= usual <= 1):
        raise ConfigError(f"{WHERE}: [{where}] needs 0 ≤ heated_share ≤ 1 and 0 ≤ advanced_factor ≤ usual_factor "
                          f"≤ 1 (refurbishment never raises demand), got {share}, {usual}, {adv}.")
    source = str(_get(row, "source", where)).strip()
    if not source:
        raise ConfigError(f"{WHERE}: [{where}] has an empty source. Cite the benchmark.")
    return NonResidentialType(code, str(_get(row, "title_de", where)), str(_get(row, "title_en", where)),
                              value, low, high, share, usual, adv, source)


def _add_ons(section: Mapping[str, Any], horizons: tuple[int, ...]) -> AddOnParams:
    where = "demand.add_ons"

    def share(kind: str) -> dict[int, float]:
        out = {}
        for year in horizons:
            key = f"{kind}_share_{year}_pct"
            value = _ranged(section, key, where)
            low, high = float(section[f"{key}_low"]), float(section[f"{key}_high"])
            if not 0.0 <= low <= high <= 100.0:
                raise ConfigError(f"{WHERE}: [{where}] {key}: a share is a percentage; give 0 ≤ {key}_low ≤ "
                                  f"{key}_high ≤ 100, got {low:g}–{high:g}.")
            out[year] = value
        return out

    positive = {key: _ranged(section, key, where)
                for key in ("heat_pump_spf", "cars_per_1000_inhabitants", "km_per_car_a", "ev_kwh_per_100km")}
    for key in positive:
        if float(section[f"{key}_low"]) <= 0.0:
            raise ConfigError(f"{WHERE}: [{where}] {key}_low = {section[f'{key}_low']}: give a positive lower bound.")
    if float(section["heat_pump_spf_low"]) < 1.0:
        raise ConfigError(f"{WHERE}: [{where}] heat_pump_spf_low = {section['heat_pump_spf_low']}: a heat pump gives "
                          "at least as much heat as it uses electricity; give 1 or more.")
    return AddOnParams(heat_pump_share_pct=share("heat_pump"), heat_pump_spf=positive["heat_pump_spf"],
                       cars_per_1000_inhabitants=positive["cars_per_1000_inhabitants"],
                       km_per_car_a=positive["km_per_car_a"], ev_kwh_per_100km=positive["ev_kwh_per_100km"],
                       ev_share_pct=share("ev"))


def load_demand_params(section: Mapping[str, Any]) -> DemandParams:
    """The validated ``[demand]`` section."""
    raw = plain(section)
    ages = _get(raw, "age_classes", "demand")
    codes = tuple(str(c) for c in _get(ages, "codes", "demand.age_classes"))
    if not str(ages.get("source", "")).strip():
        raise ConfigError(f"{WHERE}: [demand.age_classes] has no source for its shares.")
    residential = {code: _residential(code, row, len(codes))
                   for code, row in _get(raw, "residential", "demand").items()}
    non_res = {code: _non_residential(code, row) for code, row in _get(raw, "non_residential", "demand").items()}
    types = _get(raw, "types", "demand")
    known = {*residential, *non_res}
    function_types = {str(k): str(v) for k, v in _get(types, "function_types", "demand.types").items()}
    for function, code in function_types.items():
        if code not in known:
            raise ConfigError(f"{WHERE}: [demand.types] function_types maps {function!r} to unknown type {code!r}; "
                              f"known types: {', '.join(sorted(known))}.")
    alkis = _get(types, "alkis", "demand.types")
    if not str(alkis.get("source", "")).strip():
        raise ConfigError(f"{WHERE}: [demand.types.alkis] has no source for its code ranges.")
    alkis_ranges = tuple((int(low), int(high), str(code))
                         for low, high, code in _get(alkis, "ranges", "demand.types.alkis"))
    for low, high, code in alkis_ranges:
        if high < low or (code and code not in known):
            raise ConfigError(f"{WHERE}: [demand.types.alkis] range {low}–{high} -> {code!r}: give low <= high and a "
                              f"known type ({', '.join(sorted(known))}) or \"\" (residential, type drawn).")
    floor = _get(raw, "floor_area", "demand")
    refurb = _get(raw, "refurbishment", "demand")
    bounds = tuple(float(b) for b in _get(_get(raw, "density_classes", "demand"), "lower_bounds_mwh_per_ha_a",
                                          "demand.density_classes"))
    if len(bounds) != 5 or bounds[0] != 0.0 or list(bounds) != sorted(set(bounds)):
        raise ConfigError(f"{WHERE}: [demand.density_classes] lower_bounds_mwh_per_ha_a must be 5 rising bounds "
                          f"starting at 0, got {list(bounds)}.")
    el = _get(raw, "electricity", "demand")
    shares = _shares(_get(el, "household_shares", "demand.electricity"), 4, "household_shares", "demand.electricity")
    per_household = tuple(float(v) for v in _get(el, "household_kwh_el_per_a", "demand.electricity"))
    if len(per_household) != len(shares) or any(v <= 0 for v in per_household):
        raise ConfigError(f"{WHERE}: [demand.electricity] household_kwh_el_per_a needs {len(shares)} positive values.")
    for key in ("household_shares_source", "household_source"):
        if not str(el.get(key, "")).strip():
            raise ConfigError(f"{WHERE}: [demand.electricity] has no {key}.")
    horizons = tuple(int(h) for h in _get(raw, "horizons", "demand"))
    base_year = int(_get(raw, "base_year", "demand"))
    if not horizons or min(horizons) < base_year:
        raise ConfigError(f"{WHERE}: [demand] horizons {list(horizons)} must be years from base_year {base_year} on.")
    return DemandParams(
        seed=int(_get(raw, "seed", "demand")), base_year=base_year, horizons=horizons,
        grid_cell_m=float(_get(raw, "grid_cell_m", "demand")),
        net_to_gross=_ranged(floor, "net_to_gross", "demand.floor_area"),
        area_per_volume_per_m=_ranged(floor, "area_per_volume_per_m", "demand.floor_area"),
        default_floors=int(_get(floor, "default_floors", "demand.floor_area")),
        scale_synthetic_to_zensus=bool(_get(floor, "scale_synthetic_to_zensus", "demand.floor_area")),
        reference_per_living_area=_ranged(floor, "reference_per_living_area", "demand.floor_area"),
        age_codes=codes, age_shares=_shares(_get(ages, "shares", "demand.age_classes"), len(codes), "shares",
                                            "demand.age_classes"),
        residential=residential, non_residential=non_res,
        block_min_floors=int(_get(types, "block_min_floors", "demand.types")), function_types=function_types,
        alkis_ranges=alkis_ranges, rate_per_a=_ranged(refurb, "rate_per_a", "demand.refurbishment"),
        advanced_share=_ranged(refurb, "advanced_share", "demand.refurbishment"),
        density_bounds_mwh_per_ha_a=bounds,
        electricity=ElectricityParams(
            household_shares=shares, persons_in_largest=float(_get(el, "persons_in_largest", "demand.electricity")),
            household_kwh_el_per_a=per_household,
            commerce_share_of_non_household=_ranged(el, "commerce_share_of_non_household", "demand.electricity"),
            sector_table_layer=str(_get(el, "sector_table_layer", "demand.electricity"))),
        add_ons=_add_ons(_get(raw, "add_ons", "demand"), horizons),
    )

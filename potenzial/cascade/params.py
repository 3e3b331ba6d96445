"""Parameters of the realisable stage: frozen, validated at load time, units in every name.

Every parameter of ``[cascade]`` (layers/params/default/cascade.toml) has a source in
``[cascade.sources]`` and a low/central/high range in ``[cascade.ranges]``; a value outside its
range, an unknown key or a parameter without a source is refused with one line that names it and
what is allowed. :data:`ASSUMPTIONS` says which technology and stage each parameter drives and
how a person reads it (German and English title, unit).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from potenzial.errors import ConfigError
from potenzial.params import check_ranges, plain

HORIZON_YEARS = (2030, 2035, 2045)  #: the horizons the realisable stage is defined for


@dataclass(frozen=True)
class Assumption:
    """What a person reads about one parameter of the realisable stage."""

    technology: str  #: solar_roof | pv_ground | wind | biomass | all
    title_de: str
    title_en: str
    unit: str


#: every parameter of [cascade] that drives a figure, in the order the method report lists them
ASSUMPTIONS: dict[str, Assumption] = {
    "horizon_year": Assumption("all", "Zieljahr", "Horizon year", "year"),
    "base_year": Assumption("all", "Basisjahr (Stand der Eingangsdaten)", "Base year (state of the inputs)", "year"),
    "roof_heritage_share": Assumption(
        "solar_roof", "Anteil denkmalgeschützter Gebäude", "Share of listed buildings", "share of buildings"),
    "roof_uptake_share_2030": Assumption(
        "solar_roof", "Genutzter Anteil des Dachpotenzials bis 2030", "Share of the roof potential used by 2030",
        "share of the technical potential"),
    "roof_uptake_share_2035": Assumption(
        "solar_roof", "Genutzter Anteil des Dachpotenzials bis 2035", "Share of the roof potential used by 2035",
        "share of the technical potential"),
    "roof_uptake_share_2045": Assumption(
        "solar_roof", "Genutzter Anteil des Dachpotenzials bis 2045", "Share of the roof potential used by 2045",
        "share of the technical potential"),
    "pv_ground_state_cap_mwp_per_a": Assumption(
        "pv_ground", "Zubaugrenze Freiflächen-PV Sachsen (PVFVO)", "Saxony's yearly cap on open-field PV (PVFVO)",
        "MWp/a"),
    "state_area_ha": Assumption("pv_ground", "Fläche Sachsens", "Area of Saxony", "ha"),
    "pv_ground_tender_mwp_per_a": Assumption(
        "pv_ground", "EEG-Ausschreibungsmenge Freiflächen-PV (erstes Segment) je Jahr",
        "EEG tender volume for open-field PV (first segment) per year", "MWp/a"),
    "germany_area_ha": Assumption("pv_ground", "Fläche Deutschlands", "Area of Germany", "ha"),
    "pv_ground_min_plant_mwp": Assumption(
        "pv_ground", "Kleinste Anlage", "Smallest plant", "MWp"),
    "pv_ground_max_farmland_share": Assumption(
        "pv_ground", "Höchstanteil der Landwirtschaftsfläche je Gemeinde",
        "Largest share of a municipality's farmland", "share of arable land and grassland"),
    "wind_min_turbines_per_park": Assumption(
        "wind", "Mindestzahl Anlagen je Windpark", "Fewest turbines per park", "turbines"),
    "wind_build_turbines_per_a": Assumption(
        "wind", "Zubau Windenergieanlagen im Landkreis je Jahr", "Turbines built in the county per year",
        "turbines/a"),
    "biomass_existing_electrical_efficiency": Assumption(
        "biomass", "Elektrischer Wirkungsgrad der Bestandsanlagen", "Electrical efficiency of the existing plants",
        "share (electricity / primary energy)"),
}


class CascadeParams(BaseModel):
    """The ``[cascade]`` section (layers/params/default/cascade.toml)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    version: str = ""
    horizon_year: int = 2035
    base_year: int = Field(2025, ge=2015, le=2030)
    roof_heritage_share: float = Field(0.035, ge=0.0, le=1.0)
    roof_uptake_share_2030: float = Field(0.26, ge=0.0, le=1.0)
    roof_uptake_share_2035: float = Field(0.38, ge=0.0, le=1.0)
    roof_uptake_share_2045: float = Field(0.49, ge=0.0, le=1.0)
    pv_ground_state_cap_mwp_per_a: float = Field(180.0, ge=0.0, le=10_000.0)
    state_area_ha: float = Field(1_844_989.0, gt=0.0)
    pv_ground_tender_mwp_per_a: float = Field(9_900.0, ge=0.0, le=100_000.0)
    germany_area_ha: float = Field(35_759_600.0, gt=0.0)
    pv_ground_min_plant_mwp: float = Field(1.0, ge=0.0, le=100.0)
    pv_ground_max_farmland_share: float = Field(0.02, ge=0.0, le=1.0)
    wind_min_turbines_per_park: int = Field(3, ge=1, le=50)
    wind_build_turbines_per_a: float = Field(15.0, ge=0.0, le=1000.0)
    biomass_existing_electrical_efficiency: float = Field(0.39, gt=0.0, le=1.0)
    ranges: dict[str, tuple[float, float, float]] = Field(default_factory=dict)
    sources: dict[str, str] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _checks(self) -> CascadeParams:
        if self.horizon_year not in HORIZON_YEARS:
            raise ValueError(f"horizon_year = {self.horizon_year} is not one of "
                             f"{', '.join(str(y) for y in HORIZON_YEARS)}")
        if self.horizon_year < self.base_year:
            raise ValueError(f"horizon_year {self.horizon_year} lies before base_year {self.base_year}")
        shares = (self.roof_uptake_share_2030, self.roof_uptake_share_2035, self.roof_uptake_share_2045)
        if not shares[0] <= shares[1] <= shares[2]:
            raise ValueError("roof_uptake_share_2030 <= _2035 <= _2045 must hold (uptake does not fall)")
        for name in (*ASSUMPTIONS, *self.sources):
            if name not in ASSUMPTIONS:
                raise ValueError(f"sources.{name}: no such parameter; parameters: {', '.join(ASSUMPTIONS)}")
            if not self.sources.get(name, "").strip():
                raise ValueError(f"sources.{name} is missing: give the source of {name}")
            if name not in self.ranges:
                raise ValueError(f"ranges.{name} is missing: give [low, central, high] of {name}")
        check_ranges(self)
        return self

    @property
    def years(self) -> int:
        """Years of building from the base year to the horizon."""
        return self.horizon_year - self.base_year

    @property
    def roof_uptake_share(self) -> float:
        """The roof uptake share of the horizon year."""
        return float(getattr(self, f"roof_uptake_share_{self.horizon_year}"))


def load_cascade_params(section: Mapping[str, Any], where: str = "[cascade]") -> CascadeParams:
    """Validate the ``[cascade]`` section; a mistake raises one ConfigError naming the key, the
    value and what is allowed (the known keys for an unknown one, the range for a value outside it)."""
    known = set(CascadeParams.model_fields)
    unknown = sorted(set(section) - known)
    if unknown:
        raise ConfigError(f"parameter {where} {unknown[0]}: unknown key; allowed keys: "
                          f"{', '.join(sorted(known))}. Fix it in layers/params/default/cascade.toml.")
    ranges = plain(section.get("ranges", {}))
    unknown = sorted(set(ranges) - set(ASSUMPTIONS))
    if unknown:
        raise ConfigError(f"parameter {where} ranges.{unknown[0]}: unknown parameter; parameters with a range: "
                          f"{', '.join(ASSUMPTIONS)}. Fix it in layers/params/default/cascade.toml.")
    try:
        return CascadeParams.model_validate(plain(section))
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = ".".join(str(x) for x in err.get("loc", ()))
        message = str(err.get("msg", "")).removeprefix("Value error, ")
        got = f" (got {err.get('input')!r})" if loc and err.get("type") != "missing" else ""
        raise ConfigError(f"parameter {where}{' ' + loc if loc else ''}: {message}{got}. Fix it in "
                          "layers/params/default/cascade.toml.") from None


def assumption_rows(params: CascadeParams) -> list[dict[str, Any]]:
    """One row per parameter (table ``cascade_assumptions``): value, range, unit, source, titles."""
    rows = []
    for name, a in ASSUMPTIONS.items():
        value = float(getattr(params, name))
        low, central, high = params.ranges[name]
        used = name == "horizon_year" or not name.startswith("roof_uptake_share_") \
            or name == f"roof_uptake_share_{params.horizon_year}"
        rows.append({"parameter": name, "technology": a.technology, "title_de": a.title_de, "title_en": a.title_en,
                     "unit": a.unit, "value": value, "low": float(low), "central": float(central),
                     "high": float(high), "used": used, "source": params.sources[name]})
    return rows

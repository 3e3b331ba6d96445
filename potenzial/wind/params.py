"""Parameters of the wind potential: frozen, validated at load time, units in every name."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator

from potenzial.errors import ConfigError
from potenzial.params import check_ranges, validate_section

DEFAULT_RULE_SET = "wind_sn_2022"


class WindParams(BaseModel):
    """The ``[wind]`` section of the parameter set (layers/params/default/wind.toml).

    Sources and ranges are in the TOML file beside each value; ``ranges`` holds the
    low/central/high triples where docs/METHOD.md gives one (checked: low <= value <= high).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    # -- exclusions
    rule_set: str = DEFAULT_RULE_SET  #: file stem in the rules folder or a path to a .toml file
    switches: dict[str, bool] = Field(default_factory=dict)  #: switchable rule id -> on/off
    resolution_m: float = Field(10.0, ge=1.0, le=100.0)
    rotor_in: bool = False  #: True: the whole rotor inside the area (area shrunk by the rotor radius)
    #: the residential setback: the rule of ``rule_set`` whose distance raster and what-if bands
    #: (wind_setback_distance, wind_setback_bands) are computed; one of the rule set's rule ids
    setback_rule: str = "residential_sachsbo84"
    setback_band_max_m: float = Field(3000.0, ge=100.0, le=10_000.0)
    setback_band_step_m: float = Field(50.0, ge=5.0, le=1000.0)
    min_area_ha: float = Field(1.0, ge=0.0, le=500.0)  #: smaller eligible pieces are dropped
    min_turbines_per_area: int = Field(1, ge=1, le=20)  #: areas holding fewer turbines are dropped

    # -- SächsBO §84 classes
    residential_use: str = "residential"  #: value of the buildings' `use` column for dwellings
    plan_uses_with_housing: tuple[str, ...] = ("residential", "mixed")  #: plans where housing is generally allowed
    residential_group_distance_m: float = Field(100.0, ge=0.0, le=1000.0)
    residential_group_min_buildings: int = Field(5, ge=2, le=100)

    # -- turbine and placement
    turbine_type: str = "E-141/4200"
    hub_height_m: float = Field(159.0, ge=40.0, le=250.0)
    main_wind_direction_deg: float = Field(240.0, ge=0.0, lt=360.0)
    spacing_along_rotor_diameters: float = Field(5.0, ge=1.0, le=15.0)
    spacing_across_rotor_diameters: float = Field(3.0, ge=1.0, le=15.0)

    # -- yield
    wind_speed_layer: str = "wind_speed_150m"
    hellmann_exponent: float = Field(0.2, ge=0.0, le=0.6)
    weibull_k: float = Field(2.0, ge=1.0, le=4.0)
    wake_loss_share: float = Field(0.10, ge=0.0, le=0.5)
    availability_share: float = Field(0.97, ge=0.5, le=1.0)

    ranges: dict[str, tuple[float, float, float]] = Field(default_factory=dict)

    @field_validator("setback_rule")
    @classmethod
    def _setback_rule_of_the_rule_set(cls, value: str, info: ValidationInfo) -> str:
        """With the rule set's rule ids in the validation context: ``value`` must be one of them."""
        rule_ids = (info.context or {}).get("rule_ids")
        if rule_ids is not None and value not in rule_ids:
            raise ValueError(f"setback_rule = {value!r} is not a rule of rule set "
                             f"{info.data.get('rule_set', DEFAULT_RULE_SET)!r}; allowed values: {', '.join(rule_ids)}")
        return value

    @model_validator(mode="after")
    def _checks(self) -> WindParams:
        if self.setback_band_step_m > self.setback_band_max_m:
            raise ValueError("setback_band_step_m must not exceed setback_band_max_m")
        check_ranges(self)
        return self

    @property
    def setback_thresholds_m(self) -> list[float]:
        n = int(round(self.setback_band_max_m / self.setback_band_step_m))
        return [i * self.setback_band_step_m for i in range(n + 1)]


def load_wind_params(section: Mapping[str, Any], where: str = "[wind]",
                     rule_ids: Sequence[str] | None = None) -> WindParams:
    """Validate the ``[wind]`` section; a ConfigError names the field, the value and the fix.

    ``rule_ids``: the rules of the rule set the section names (see :func:`rule_set_name`); given,
    ``setback_rule`` must be one of them."""
    context = {"rule_ids": tuple(rule_ids)} if rule_ids is not None else None
    return validate_section(WindParams, section, where, "wind.toml", context=context)


def rule_set_name(section: Mapping[str, Any], where: str = "[wind]") -> str:
    """The ``rule_set`` the section names (default :data:`DEFAULT_RULE_SET`), read before the rest
    of the section is validated against that rule set."""
    name = section.get("rule_set", DEFAULT_RULE_SET)
    if not isinstance(name, str) or not name:
        raise ConfigError(f"parameter {where} rule_set = {name!r}: give the name of a rule set in layers/rules/ "
                          f"(e.g. {DEFAULT_RULE_SET!r}) or the path of a .toml file. Fix it in "
                          "layers/params/default/wind.toml.")
    return name


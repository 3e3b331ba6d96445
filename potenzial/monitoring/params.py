"""The monitoring parameters (``[monitoring]`` in ``layers/params/default/monitoring.toml``)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from potenzial.params import check_ranges, load_params, validate_section

PARAMS_FILE = "monitoring.toml"


class MonitoringParams(BaseModel):
    """Plausibility limits of the MaStR reader, specific yields and the Leitbild targets."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    max_roof_pv_unit_kw: float = Field(gt=0)
    max_ground_pv_unit_kw: float = Field(gt=0)
    max_wind_unit_kw: float = Field(gt=0)
    max_biomass_unit_kw: float = Field(gt=0)
    max_hydro_unit_kw: float = Field(gt=0)
    max_storage_unit_kw: float = Field(gt=0)
    max_kw_per_module: float = Field(gt=0, le=10)
    earliest_commissioning_year: int = Field(ge=1850, le=2100)
    pv_full_load_h_per_a: float = Field(gt=0, le=8760)
    wind_full_load_h_per_a: float = Field(gt=0, le=8760)
    biomass_full_load_h_per_a: float = Field(gt=0, le=8760)
    hydro_full_load_h_per_a: float = Field(gt=0, le=8760)
    ranges: dict[str, tuple[float, float, float]] = Field(default_factory=dict)
    #: renewable share of the electricity use per year [%] (the Leitbild's milestones)
    targets: dict[str, dict[int, float]] = Field(default_factory=dict)

    @field_validator("targets")
    @classmethod
    def _shares(cls, value: dict[str, dict[int, float]]) -> dict[str, dict[int, float]]:
        for name, path in value.items():
            for year, share in path.items():
                if not 0 <= share <= 100:
                    raise ValueError(f"targets.{name}.{year} = {share} is not a share in per cent (0–100)")
        return value

    @model_validator(mode="after")
    def _ranges(self) -> MonitoringParams:
        check_ranges(self)
        return self

    def max_unit_kw(self, technology: str) -> float:
        """The largest plausible unit of a technology [kW]."""
        return {"pv_roof": self.max_roof_pv_unit_kw, "pv_other": self.max_roof_pv_unit_kw,
                "pv_ground": self.max_ground_pv_unit_kw, "wind": self.max_wind_unit_kw,
                "biomass": self.max_biomass_unit_kw, "hydro": self.max_hydro_unit_kw,
                "storage": self.max_storage_unit_kw}[technology]

    def full_load_h_per_a(self, technology: str) -> float | None:
        """Specific yield [kWh/kW·a] of a generating technology (None for storage)."""
        if technology.startswith("pv"):
            return self.pv_full_load_h_per_a
        return {"wind": self.wind_full_load_h_per_a, "biomass": self.biomass_full_load_h_per_a,
                "hydro": self.hydro_full_load_h_per_a}.get(technology)


def monitoring_params(section: Mapping[str, Any]) -> MonitoringParams:
    """Validate the ``[monitoring]`` section (ConfigError naming the key, the value and the fix)."""
    return validate_section(MonitoringParams, section, "[monitoring]", PARAMS_FILE)


def load_monitoring_params(params_dir: Path) -> MonitoringParams:
    """Load ``[monitoring]`` from a parameter folder or file."""
    return monitoring_params(load_params(params_dir).section("monitoring"))

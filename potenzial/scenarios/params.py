"""The ``[scenarios]`` parameters (layers/params/default/scenarios.toml): frozen, checked when loaded."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, model_validator

from potenzial.params import validate_section


class ScenarioParams(BaseModel):
    """What the fast path precomputes and the residential setbacks a scenario may ask for."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    #: switchable wind rules whose on/off the fast path answers (one histogram per combination)
    criteria: tuple[str, ...] = ("forest", "lsg", "water_protection_3", "residential_outer_single")
    band_step_m: float = Field(25.0, gt=0.0, le=500.0)
    residential_setback_min_m: float = Field(300.0, ge=0.0, le=10_000.0)
    residential_setback_max_m: float = Field(2000.0, gt=0.0, le=10_000.0)

    @model_validator(mode="after")
    def _checks(self) -> ScenarioParams:
        if len(self.criteria) > 6:
            raise ValueError(f"criteria: {len(self.criteria)} rules give 2^{len(self.criteria)} joint masks per "
                             "municipality; name at most 6")
        if len(set(self.criteria)) != len(self.criteria):
            raise ValueError("criteria: a rule is named twice")
        if self.residential_setback_min_m >= self.residential_setback_max_m:
            raise ValueError(f"residential_setback_min_m = {self.residential_setback_min_m:g} must be below "
                             f"residential_setback_max_m = {self.residential_setback_max_m:g}")
        return self

    def thresholds_m(self) -> np.ndarray:
        """The band edges [m] of the histograms: 0, step, 2·step, … up to the largest setback."""
        n = int(np.ceil(self.residential_setback_max_m / self.band_step_m))
        return np.arange(n + 1, dtype=np.float64) * self.band_step_m


def load_scenario_params(section: Mapping[str, Any], where: str = "[scenarios]") -> ScenarioParams:
    """Validate the ``[scenarios]`` section; a mistake raises a ConfigError naming key, value and fix."""
    return validate_section(ScenarioParams, section, where, "scenarios.toml")

"""Parameters of the roof potential (section ``[solar_roof]``), validated and frozen."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from potenzial.errors import ConfigError

SUITABILITY_CLASSES = ("very_good", "good", "suitable", "unsuitable")


class RoofParams(BaseModel):
    """Values and sources: ``layers/params/default/solar_roof.toml``."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    module_power_density_kwp_per_m2: float = Field(0.20, gt=0.0, le=0.5)
    usable_share_pitched: float = Field(0.7, gt=0.0, le=1.0)
    usable_share_flat: float = Field(0.5, gt=0.0, le=1.0)
    min_module_area_pitched_m2: float = Field(10.0, ge=0.0)
    min_module_area_flat_m2: float = Field(25.0, ge=0.0)
    flat_max_tilt_deg: float = Field(10.0, ge=0.0, le=30.0)
    flat_module_tilt_deg: float = Field(15.0, ge=0.0, le=60.0)
    flat_module_azimuth_deg: float = Field(180.0, ge=0.0, le=360.0)
    gable_tilt_deg: float = Field(35.0, gt=0.0, lt=90.0)
    gable_max_footprint_m2: float = Field(400.0, gt=0.0)
    residential_uses: tuple[str, ...] = ("residential",)
    unknown_use_as_residential: bool = True
    very_good_min_relative: float = Field(0.9, gt=0.0, le=1.0)
    good_min_relative: float = Field(0.8, gt=0.0, le=1.0)
    suitable_min_relative: float = Field(0.7, gt=0.0, le=1.0)
    count_unsuitable: bool = False
    dsm_max_roof_tilt_deg: float = Field(60.0, gt=0.0, le=89.0)
    dsm_min_plane_pixels: int = Field(4, ge=1)
    horizon_directions: int = Field(36, ge=4, le=360)
    horizon_max_distance_m: float = Field(300.0, gt=0.0)
    shading_from_neighbours: bool = True
    neighbour_radius_m: float = Field(60.0, gt=0.0, le=500.0)
    neighbour_outline_step_m: float = Field(4.0, gt=0.0, le=10.0)
    storey_height_m: float = Field(3.0, ge=2.0, le=6.0)
    roof_allowance_m: float = Field(2.0, ge=0.0, le=10.0)
    default_building_height_m: float = Field(7.0, gt=0.0, le=100.0)
    terrain_horizon_cell_m: float = Field(250.0, gt=0.0, le=5000.0)
    terrain_horizon_distance_m: float = Field(3000.0, gt=0.0, le=20000.0)
    terrain_eye_height_m: float = Field(5.0, ge=0.0, le=100.0)
    exclude_listed_buildings: bool = True

    @model_validator(mode="after")
    def _ordered(self) -> RoofParams:
        if not (self.very_good_min_relative >= self.good_min_relative >= self.suitable_min_relative):
            raise ValueError("suitability thresholds must satisfy very_good_min_relative >= "
                             "good_min_relative >= suitable_min_relative")
        return self


def roof_params(section) -> RoofParams:
    """Validate the ``[solar_roof]`` section; a bad value is a ConfigError that names it and the fix."""
    try:
        return RoofParams(**dict(section))
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first.get("loc", ())) or "section"
        text = f"{where} = {first.get('input')!r}: {first.get('msg')}"
        raise ConfigError(f"parameter section [solar_roof]: {text}. "
                          "Fix the value in layers/params/default/solar_roof.toml.") from None

"""The ``[biomass]`` parameters: uncertain factors with unit and source, and their seeded samples.

Every factor of ``layers/params/default/biomass.toml`` is a distribution (triangular low/central/high,
truncated normal mean/sd, or fixed) with its unit and source; :func:`sample_factors` draws
``n_samples`` values of each, one stream per factor seeded by ``seed`` and the factor's name.
"""

from __future__ import annotations

import zlib
from collections.abc import Mapping
from typing import Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator
from scipy import stats

from potenzial.biomass.feedstocks import CHP_EFFICIENCY, REQUIRED_FACTORS
from potenzial.errors import ConfigError

_NEEDS = {"triangular": ("low", "central", "high"), "normal": ("mean", "sd"), "fixed": ("value",)}


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
        need = _NEEDS[self.dist]
        missing = [k for k in need if getattr(self, k) is None]
        if missing:
            raise ValueError(f"dist = \"{self.dist}\" needs {', '.join(need)}; {', '.join(missing)} missing")
        if self.dist == "triangular":
            low, central, high = self.given()
            if not (low <= central <= high):
                raise ValueError(f"needs low <= central <= high, got {low}, {central}, {high}")
        return self

    def given(self) -> tuple[float, ...]:
        """The parameters of the distribution in the order of ``dist``: (low, central, high),
        (mean, sd) or (value,)."""
        values = tuple(getattr(self, k) for k in _NEEDS[self.dist])
        if any(v is None for v in values):  # only a Factor built without validation gets here
            raise ConfigError(f"biomass factor with dist = {self.dist!r} needs {', '.join(_NEEDS[self.dist])}; "
                              f"got {values}. Give all of them.")
        return tuple(float(v) for v in values)

    @property
    def bounds(self) -> tuple[float, float]:
        """Smallest and largest value (for a normal factor: mean ± 3 sd, at least 0)."""
        if self.dist == "triangular":
            low, _, high = self.given()
            return low, high
        if self.dist == "fixed":
            (value,) = self.given()
            return value, value
        mean, sd = self.given()
        return max(0.0, mean - 3 * sd), mean + 3 * sd

    def sample(self, u: np.ndarray, upper: float = np.inf) -> np.ndarray:
        """Values for uniform draws ``u`` in [0, 1) by the inverse distribution function."""
        if self.dist == "fixed":
            (value,) = self.given()
            return np.full(u.shape, value)
        if self.dist == "normal":
            mean, sd = self.given()
            lo, hi = (0.0 - mean) / sd, (upper - mean) / sd
            return stats.truncnorm.ppf(u, lo, hi, loc=mean, scale=sd)
        a, c, b = self.given()
        if b == a:
            return np.full(u.shape, a)
        left = a + np.sqrt(u * (b - a) * (c - a))
        right = b - np.sqrt((1.0 - u) * (b - a) * (b - c))
        return np.where(u < (c - a) / (b - a), left, right)


class LivestockSettings(BaseModel):
    """``[biomass.livestock]``: the state row of the livestock table and its agricultural area [ha]."""

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


def is_share(name: str) -> bool:
    """Whether the factor ``name`` is a share (its values lie between 0 and 1)."""
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
    for path in CHP_EFFICIENCY.values():
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
    top = factor.given()[0] if factor.dist == "normal" else factor.bounds[1]  # a normal share is truncated at 1
    if is_share(name) and top > 1.0:
        raise ConfigError(f"{where} is a share but can reach {top}; shares lie between 0 and 1.")
    return factor


def sample_factors(params: BiomassParams) -> dict[str, np.ndarray]:
    """``n_samples`` draws of every factor; the stream of each is seeded by ``seed`` and its name."""
    out = {}
    for name, factor in params.factors.items():
        rng = np.random.default_rng([params.seed, zlib.crc32(name.encode("utf-8"))])
        out[name] = factor.sample(rng.random(params.n_samples), upper=1.0 if is_share(name) else np.inf)
    return out

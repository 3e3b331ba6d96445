"""Evaluating a rule set on a grid: the bitmask of the rules that hit each cell."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from potenzial.errors import ConfigError
from potenzial.exclusions.distance import distance_raster, within_mask
from potenzial.exclusions.rules import MAX_RULES, Rule, RuleSet
from potenzial.exclusions.select import select_features
from potenzial.grid import Grid

# ================================================================================ evaluation

@dataclass
class Exclusions:
    """The outcome of a rule set on a grid: which enabled rules hit which cells.

    ``bitmask`` has bit ``bits[rule_id]`` set where that rule hits; ``distances`` holds the
    distance rasters [m] of the rules asked for (see :func:`evaluate`).
    """

    grid: Grid
    rule_set: RuleSet
    rules: tuple[Rule, ...]  #: the evaluated (enabled) rules, bit i = rules[i]
    bitmask: np.ndarray
    features: dict[str, int]  #: rule id -> number of features it used
    buffers_m: dict[str, float]  #: rule id -> effective buffer [m] (incl. extra_buffer_m)
    distances: dict[str, np.ndarray] = field(default_factory=dict)
    #: rule id -> cells where the rule does not apply (inside its ``not_within`` layer); the rule's
    #: bit is never set there, its distance raster (if kept) still holds the true distance
    exempt: dict[str, np.ndarray] = field(default_factory=dict)

    @property
    def bits(self) -> dict[str, int]:
        return {r.id: i for i, r in enumerate(self.rules)}

    def bits_of(self, rule_ids: Iterable[str]) -> int:
        bits = self.bits
        value = 0
        for rid in rule_ids:
            if rid not in bits:
                raise ConfigError(f"rule {rid!r} was not evaluated (unknown or switched off); evaluated rules: "
                                  f"{', '.join(bits)}.")
            value |= 1 << bits[rid]
        return value

    def _mask_of(self, rules: Iterable[Rule]) -> int:
        bits = self.bits
        value = 0
        for r in rules:
            value |= 1 << bits[r.id]
        return value

    def hits(self, rule_ids: Iterable[str]) -> np.ndarray:
        """Cells hit by any of the named rules."""
        return (self.bitmask & self.bitmask.dtype.type(self.bits_of(rule_ids))) != 0

    def excluded(self, *, kinds: Sequence[str] = ("hard", "soft"), ignore: Iterable[str] = ()) -> np.ndarray:
        """Cells hit by an exclusion rule of the given kinds (except the rules in ``ignore``)."""
        ignore = set(ignore)
        rules = [r for r in self.rules if r.effect == "exclude" and r.kind in kinds and r.id not in ignore]
        return (self.bitmask & self.bitmask.dtype.type(self._mask_of(rules))) != 0

    def exclusion_bits(self) -> int:
        return self._mask_of(r for r in self.rules if r.effect == "exclude")

    def eligible(self, *, ignore: Iterable[str] = (), kinds: Sequence[str] = ("hard", "soft")) -> np.ndarray:
        """Cells hit by no exclusion rule of the given kinds and, when the set has inclusion rules, by
        at least one. ``kinds=("hard",)`` gives the technical stage (hard rules only) from the same
        bitmask as the default (every enabled rule): no geometry is evaluated twice."""
        free = ~self.excluded(kinds=kinds, ignore=ignore)
        include = [r for r in self.rules if r.effect == "include"]
        if include:
            free &= (self.bitmask & self.bitmask.dtype.type(self._mask_of(include))) != 0
        return free

    def rule_ids_of(self, value: int) -> list[str]:
        return [r.id for i, r in enumerate(self.rules) if value >> i & 1]

    def describe(self) -> pd.DataFrame:
        """One row per rule of the set: bit (-1 when off), layer, filter, buffers, kind, source."""
        bits = self.bits
        rows = []
        for r in self.rule_set.rules:
            rows.append({
                "rule_id": r.id, "bit": bits.get(r.id, -1), "title": r.title, "layer": r.layer,
                "attribute_filter": _filter_text(r.where), "buffer_m": r.buffer_m,
                "effective_buffer_m": self.buffers_m.get(r.id, r.buffer_m), "kind": r.kind, "effect": r.effect,
                "switchable": r.switchable, "enabled": r.enabled, "features": self.features.get(r.id, 0),
                "source": r.source, "rule_set": self.rule_set.id, "valid_from": self.rule_set.valid_from.isoformat(),
            })
        return pd.DataFrame(rows)


def _filter_text(where: Mapping[str, Any]) -> str:
    parts = []
    for col, value in where.items():
        if isinstance(value, dict):
            parts.append(" and ".join(f"{col} {'>=' if k == 'min' else '<='} {v}" for k, v in value.items()))
        elif isinstance(value, list):
            parts.append(f"{col} in ({', '.join(str(v) for v in value)})")
        else:
            parts.append(f"{col} = {value}")
    return "; ".join(parts)


def evaluate(rule_set: RuleSet, layers: Mapping[str, gpd.GeoDataFrame], grid: Grid, *,
             extra_buffer_m: float = 0.0, keep_distance: Iterable[str] = (),
             distance_max_m: float | None = None, progress=None) -> Exclusions:
    """Evaluate every enabled rule of ``rule_set`` on ``grid``.

    ``layers`` maps layer ids to frames in EPSG:25833. ``extra_buffer_m`` is added to every
    exclusion buffer (e.g. the rotor radius for rotor-in areas: eroding the free land by r is
    the same as widening every buffer by r). For the rules in ``keep_distance`` the distance
    raster is computed (up to ``distance_max_m``) and kept in ``Exclusions.distances``.
    """
    if extra_buffer_m < 0:
        raise ConfigError(f"extra buffer {extra_buffer_m} m: must be >= 0.")
    rules = rule_set.enabled_rules
    if len(rules) > MAX_RULES:
        raise ConfigError(f"rule set {rule_set.id!r} enables {len(rules)} rules; at most {MAX_RULES} can be "
                          "evaluated at once. Switch some off or split the set.")
    keep_distance = set(keep_distance)
    unknown = keep_distance - {r.id for r in rules}
    if unknown:
        raise ConfigError(f"distance asked for rule(s) {', '.join(sorted(unknown))}, which rule set "
                          f"{rule_set.id!r} does not enable.")
    dtype = np.uint8 if len(rules) <= 8 else np.uint16 if len(rules) <= 16 else np.uint32
    bitmask = np.zeros(grid.shape, dtype=dtype)
    features: dict[str, int] = {}
    buffers: dict[str, float] = {}
    distances: dict[str, np.ndarray] = {}
    exempt: dict[str, np.ndarray] = {}
    for bit, rule in enumerate(rules):
        for needed in (rule.layer, rule.not_within):
            if needed is not None and needed not in layers:
                raise ConfigError(f"rule {rule.id!r} needs layer {needed!r}, which was not loaded; "
                                  f"loaded: {', '.join(sorted(layers))}.")
        frame = layers[rule.layer]
        if frame.crs is not None and not frame.crs.equals(grid.crs):
            frame = frame.to_crs(grid.crs)
        geoms = select_features(frame, rule)
        buffer_m = rule.buffer_m + (extra_buffer_m if rule.effect == "exclude" else 0.0)
        features[rule.id] = len(geoms)
        buffers[rule.id] = buffer_m
        if progress:
            progress(f"rule {rule.id}: {len(geoms)} features, {buffer_m:g} m")
        if rule.id in keep_distance:
            top = max(buffer_m, distance_max_m or buffer_m)
            dist = distance_raster(grid, geoms, exact_at_m=(buffer_m,), max_m=top)
            distances[rule.id] = dist
            mask = dist <= np.float32(buffer_m)
        else:
            mask = within_mask(grid, geoms, buffer_m)
        if rule.not_within is not None:
            exempt[rule.id] = _inside(layers[rule.not_within], grid)
            mask &= ~exempt[rule.id]
        bitmask[mask] |= dtype(1 << bit)
        del mask
    return Exclusions(grid=grid, rule_set=rule_set, rules=rules, bitmask=bitmask, features=features,
                      buffers_m=buffers, distances=distances, exempt=exempt)


def _inside(frame: gpd.GeoDataFrame, grid: Grid) -> np.ndarray:
    """Cells whose centre lies inside a polygon of ``frame`` (the areas of a rule's exception)."""
    if frame.crs is not None and not frame.crs.equals(grid.crs):
        frame = frame.to_crs(grid.crs)
    geoms = np.asarray(frame.geometry.values, dtype=object)
    return within_mask(grid, geoms, 0.0)

"""Colour classes of the choropleth: quantile limits rounded to two significant digits."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

NO_DATA_COLOUR = "#bdbdbd"


def _nice(value: float, direction: str) -> float:
    """``value`` rounded to two significant digits: down ('floor'), up ('ceil') or nearest."""
    if value == 0 or not math.isfinite(value):
        return float(value)
    exponent = math.floor(math.log10(abs(value))) - 1
    fn = {"floor": math.floor, "ceil": math.ceil}.get(direction, round)
    return float(round(fn(value / 10.0**exponent) * 10.0**exponent, max(0, -exponent)))


@dataclass(frozen=True)
class Classes:
    """Class limits (``len(colours) + 1`` of them, ascending) and their colours."""

    limits: tuple[float, ...]
    colours: tuple[str, ...]

    def colour(self, value: float | None) -> str:
        if value is None or not np.isfinite(value) or not self.colours:
            return NO_DATA_COLOUR
        inner = np.asarray(self.limits[1:-1])
        return self.colours[int(np.searchsorted(inner, value, side="right"))]


def quantile_classes(values: np.ndarray, colours: Sequence[str]) -> Classes:
    """Quantile classes with limits rounded to two significant digits (the lowest down, the
    highest up); fewer classes when limits coincide, none without finite values."""
    values = np.asarray(values, dtype=float)
    values = values[np.isfinite(values)]
    if values.size == 0:
        return Classes(limits=(), colours=())
    low, high = _nice(float(values.min()), "floor"), _nice(float(values.max()), "ceil")
    inner = [_nice(float(q), "round") for q in np.quantile(values, np.linspace(0, 1, len(colours) + 1))[1:-1]]
    limits = tuple(dict.fromkeys([low, *sorted(v for v in inner if low < v < high), high]))
    if len(limits) < 2:
        limits = (low, low)
    n = len(limits) - 1
    picked = tuple(colours[round(i * (len(colours) - 1) / max(n - 1, 1))] for i in range(n))
    return Classes(limits=limits, colours=picked)


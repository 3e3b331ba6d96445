"""The eligible-land cells of the what-if map: one value per 10 m cell from which the browser tells,
for any residential setback and any on/off of the scenario criteria, whether the cell is eligible.

A cell free of every other exclusion of the wind rule set holds

    value = (min(distance, cap) << n) | code,   code = Σ 2^i over the criteria i that hit the cell,

with ``distance`` the distance [m] to the setback's features (less any extra buffer such as the
rotor radius, as in the histograms of :mod:`~potenzial.scenarios.bands`), rounded to whole metres,
``n`` the number of scenario criteria and ``cap`` the largest setback a scenario may ask for plus
1 m (a cell the setback does not apply to holds ``cap``). Every other cell, and every cell outside
the region, is :data:`NODATA`. The cell is eligible under a scenario with setback ``s`` and the
criteria ``on`` when ``value >> n > s`` and ``value & mask(on) == 0``: the rule the histograms count
by (a cell is outside a setback ``s`` when its distance exceeds ``s``).

Pure calculation: no store, API or CLI imports.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from potenzial.errors import ConfigError

#: the file name (in the run's raster folder) and the no-data value of the packed cells
CELLS_RASTER = "scenario_cells"
NODATA = 65535


@dataclass(frozen=True)
class CellEncoding:
    """How a packed cell value reads: ``criteria`` in bit order, ``cap_m`` the distance cap [m]."""

    criteria: tuple[str, ...]
    cap_m: int

    def __post_init__(self) -> None:
        if ((self.cap_m + 1) << self.bits) > NODATA:
            raise ConfigError(f"[scenarios]: {len(self.criteria)} criteria and a largest setback of {self.cap_m - 1} m "
                              "do not fit the 16-bit cells of the what-if map; use at most "
                              f"{max(0, int(np.log2(NODATA / (self.cap_m + 1))))} criteria or a smaller "
                              "residential_setback_max_m.")

    @property
    def bits(self) -> int:
        return len(self.criteria)

    def mask(self, on: Sequence[str]) -> int:
        """The code bits of the criteria ``on``."""
        value = 0
        for name in on:
            value |= 1 << self.criteria.index(name)
        return value

    def as_dict(self) -> dict[str, object]:
        return {"criteria": list(self.criteria), "distance_shift": self.bits, "distance_cap_m": self.cap_m,
                "nodata": NODATA}


def encoding_for(criteria: Sequence[str], setback_max_m: float) -> CellEncoding:
    return CellEncoding(criteria=tuple(criteria), cap_m=int(np.ceil(setback_max_m)) + 1)


def pack_cells(encoding: CellEncoding, distance_m: np.ndarray, free: np.ndarray, criteria_hits: Sequence[np.ndarray],
               inside: np.ndarray, exempt: np.ndarray | None = None) -> np.ndarray:
    """uint16 cells (see the module docstring). ``free``: no other rule hits; ``criteria_hits[i]``:
    criterion i hits; ``inside``: the cell lies in a municipality; ``exempt``: the setback does not apply."""
    if len(criteria_hits) != encoding.bits:
        raise ValueError(f"{len(criteria_hits)} criteria hits for {encoding.bits} criteria")
    distance = np.clip(np.rint(distance_m), 0, encoding.cap_m).astype(np.uint16)
    if exempt is not None:
        distance[exempt] = encoding.cap_m
    out = distance << np.uint16(encoding.bits)
    for i, hit in enumerate(criteria_hits):
        out |= hit.astype(np.uint16) << np.uint16(i)
    out[~(free & inside)] = NODATA
    return out


def eligible(cells: np.ndarray, encoding: CellEncoding, setback_m: float, on: Sequence[str]) -> np.ndarray:
    """Which cells are eligible under setback ``setback_m`` [m] with the criteria ``on`` applied."""
    values = cells.astype(np.int64)
    valid = cells != NODATA
    return valid & ((values >> encoding.bits) > setback_m) & ((values & encoding.mask(on)) == 0)

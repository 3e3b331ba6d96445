"""The fast path's tables: distance histograms per municipality and joint mask of the scenario criteria.

A cell of the grid is *free* when no exclusion rule hits it other than the residential setback and
the scenario criteria. For each free cell we know its municipality, its distance [m] to the
residential buildings (the setback rule's features) and which scenario criteria hit it (a code:
bit i = criterion i). :func:`setback_histograms` counts the free cells per (municipality, code,
distance band) in one pass; a scenario with setback s and the criteria set S switched on keeps the
cells of every code c with ``c & S == 0`` whose distance is greater than s. No geometry is
evaluated again.

Cells inside the setback rule's exception areas (``not_within``, e.g. designated wind energy areas)
count at every setback. The technical stage (hard rules only) is the same histogram with no criteria.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from potenzial.errors import InputDataError
from potenzial.units import M2_PER_HA

STAGES = ("restricted", "technical")  #: restricted: the scenario criteria apply; technical: hard rules only
_ROWS_PER_BLOCK = 4_000_000  #: cells per block: bounds the memory of one pass


def setback_histograms(distance_m: np.ndarray, free: np.ndarray, criteria_hits: Sequence[np.ndarray],
                       zones: np.ndarray, n_zones: int, thresholds_m: np.ndarray,
                       exempt: np.ndarray | None = None) -> np.ndarray:
    """Cells per (zone 1..n_zones -> 0..n-1, criteria code, k), k = how many thresholds lie strictly
    below the cell's distance (a cell with k = j is outside the setback for thresholds 0..j-1).

    ``distance_m``: distance [m] of each cell to the setback's features (already less any extra
    buffer such as a rotor radius); ``free``: cells no other rule hits; ``criteria_hits[i]``: cells
    criterion i hits; ``exempt``: cells where the setback does not apply (k = len(thresholds))."""
    thr = np.asarray(thresholds_m, dtype=np.float32)
    if np.any(np.diff(thr) <= 0):
        raise InputDataError("setback thresholds must increase strictly; check band_step_m in scenarios.toml.")
    n_codes = 1 << len(criteria_hits)
    width = len(thr) + 1
    counts = np.zeros(n_zones * n_codes * width, dtype=np.int64)
    step = max(1, _ROWS_PER_BLOCK // max(1, distance_m.shape[1]))
    for r in range(0, distance_m.shape[0], step):
        block = slice(r, r + step)
        sel = free[block] & (zones[block] > 0)
        z = zones[block][sel].astype(np.int64) - 1
        code = np.zeros(z.shape, dtype=np.int64)
        for i, hit in enumerate(criteria_hits):
            code |= hit[block][sel].astype(np.int64) << i
        k = np.searchsorted(thr, distance_m[block][sel], side="left").astype(np.int64)
        if exempt is not None:
            k[exempt[block][sel]] = len(thr)
        counts += np.bincount((z * n_codes + code) * width + k, minlength=counts.size)
    return counts.reshape(n_zones, n_codes, width)


def cells_outside(counts: np.ndarray) -> np.ndarray:
    """From :func:`setback_histograms`: cells outside the setback at each threshold, ``[z, code, t]``."""
    above = np.cumsum(counts[..., ::-1], axis=-1)[..., ::-1]
    return above[..., 1:]


@dataclass(frozen=True)
class BandTable:
    """Eligible area [ha] per municipality, criteria code and setback threshold, for both stages.

    ``restricted[z, code, t]``: area of the cells of municipality z with criteria code ``code``
    outside a setback of ``thresholds_m[t]``; ``technical[z, t]``: the same over the land no hard
    rule other than the setback hits."""

    ags: tuple[str, ...]
    criteria: tuple[str, ...]
    thresholds_m: np.ndarray
    restricted: np.ndarray
    technical: np.ndarray

    def eligible_ha(self, setback_m: float, on: Sequence[str], stage: str = "restricted") -> np.ndarray:
        """Eligible area [ha] per municipality at ``setback_m`` with the criteria ``on`` applied
        (technical stage: no criteria). Linear between two thresholds: never more for a larger setback."""
        thr = self.thresholds_m
        if not thr[0] <= setback_m <= thr[-1]:
            raise InputDataError(f"setback {setback_m:g} m lies outside the precomputed bands "
                                 f"{thr[0]:g}–{thr[-1]:g} m.")
        if stage == "technical":
            table = self.technical
        else:
            mask = 0
            for name in on:
                mask |= 1 << self.criteria.index(name)
            keep = (np.arange(self.restricted.shape[1]) & mask) == 0
            table = self.restricted[:, keep, :].sum(axis=1)
        i = int(np.searchsorted(thr, setback_m, side="right")) - 1
        if i >= len(thr) - 1:
            return table[:, -1].copy()
        frac = (setback_m - thr[i]) / (thr[i + 1] - thr[i])
        return table[:, i] * (1.0 - frac) + table[:, i + 1] * frac

    def to_frame(self) -> pd.DataFrame:
        """Rows (ags, stage, criteria_code, criteria, setback_m, eligible_ha); codes with no land left out."""
        parts = []
        for stage in STAGES:
            table = self.technical[:, None, :] if stage == "technical" else self.restricted
            z, code = np.nonzero(table.sum(axis=2) > 0)
            for zi, ci in zip(z, code, strict=True):
                parts.append(pd.DataFrame({
                    "ags": self.ags[zi], "stage": stage, "criteria_code": int(ci),
                    "criteria": ",".join(n for b, n in enumerate(self.criteria) if ci >> b & 1),
                    "setback_m": self.thresholds_m.astype(float), "eligible_ha": table[zi, ci, :].astype(float)}))
        columns = ["ags", "stage", "criteria_code", "criteria", "setback_m", "eligible_ha"]
        if not parts:
            return pd.DataFrame({c: [] for c in columns})
        return pd.concat(parts, ignore_index=True)[columns]

    @classmethod
    def from_counts(cls, ags: Sequence[str], criteria: Sequence[str], thresholds_m: np.ndarray,
                    restricted_counts: np.ndarray, technical_counts: np.ndarray, cell_area_m2: float) -> BandTable:
        ha = cell_area_m2 / M2_PER_HA
        return cls(ags=tuple(ags), criteria=tuple(criteria), thresholds_m=np.asarray(thresholds_m, dtype=float),
                   restricted=cells_outside(restricted_counts) * ha,
                   technical=cells_outside(technical_counts)[:, 0, :] * ha)

    @classmethod
    def from_frame(cls, frame: pd.DataFrame, ags: Sequence[str], criteria: Sequence[str]) -> BandTable:
        """The table back from its stored rows (:meth:`to_frame`)."""
        thresholds = np.unique(frame["setback_m"].to_numpy(dtype=float))
        if not len(thresholds):
            raise InputDataError("the run has no scenario bands (table scenario_bands is empty); run the "
                                 "pipeline with the wind and scenarios steps.")
        index = {a: i for i, a in enumerate(ags)}
        restricted = np.zeros((len(ags), 1 << len(criteria), len(thresholds)))
        technical = np.zeros((len(ags), len(thresholds)))
        t_index = np.searchsorted(thresholds, frame["setback_m"].to_numpy(dtype=float))
        z = frame["ags"].astype(str).map(index)
        if z.isna().any():
            raise InputDataError(f"scenario_bands names municipality {frame['ags'][z.isna()].iloc[0]!r}, which the "
                                 "run does not have.")
        zi = z.to_numpy(dtype=np.int64)
        code = frame["criteria_code"].to_numpy(dtype=np.int64)
        value = frame["eligible_ha"].to_numpy(dtype=float)
        tech = (frame["stage"] == "technical").to_numpy()
        restricted[zi[~tech], code[~tech], t_index[~tech]] = value[~tech]
        technical[zi[tech], t_index[tech]] = value[tech]
        return cls(ags=tuple(ags), criteria=tuple(criteria), thresholds_m=thresholds, restricted=restricted,
                   technical=technical)

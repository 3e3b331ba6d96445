"""Yearly energy of one kind: electricity, heat or primary energy, never added to one another.

An :class:`Energy` holds one value per municipality (a pandas Series indexed by AGS) in GWh/a and
its :class:`EnergyKind`. Adding two of different kinds raises :class:`MixedEnergyError`, so a
headline figure cannot add biomass primary energy to PV electricity, or CHP heat to wind power
(docs/METHOD.md, "The potential cascade and the energy-type rule").
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

import numpy as np
import pandas as pd

from potenzial.errors import PotenzialError


class EnergyKind(StrEnum):
    ELECTRICITY = "electricity"  #: GWh_el/a
    HEAT = "heat"  #: GWh_th/a
    PRIMARY = "primary"  #: GWh/a of feedstock


#: the unit each kind is written in
UNITS: dict[EnergyKind, str] = {
    EnergyKind.ELECTRICITY: "GWh_el/a",
    EnergyKind.HEAT: "GWh_th/a",
    EnergyKind.PRIMARY: "GWh/a (primary energy)",
}


class MixedEnergyError(PotenzialError, TypeError):
    """Two energies of different kinds were to be added."""


@dataclass(frozen=True, eq=False)
class Energy:
    """Yearly energy of one kind per municipality [GWh/a] (index: AGS)."""

    gwh_per_a: pd.Series
    kind: EnergyKind

    def __post_init__(self) -> None:
        if not isinstance(self.kind, EnergyKind):
            try:
                object.__setattr__(self, "kind", EnergyKind(self.kind))
            except ValueError:
                raise ValueError(f"energy kind {self.kind!r} is unknown; use one of "
                                 f"{', '.join(k.value for k in EnergyKind)}.") from None
        object.__setattr__(self, "gwh_per_a", pd.to_numeric(self.gwh_per_a, errors="coerce").astype(float))

    def __add__(self, other: object) -> Energy:
        if not isinstance(other, Energy):
            return NotImplemented
        if other.kind is not self.kind:
            raise MixedEnergyError(f"cannot add {other.kind.value} [{UNITS[other.kind]}] to "
                                   f"{self.kind.value} [{UNITS[self.kind]}]: energy types are kept apart.")
        if not self.gwh_per_a.index.equals(other.gwh_per_a.index):
            raise ValueError("energies of different municipalities cannot be added; align them on the AGS first.")
        return Energy(self.gwh_per_a + other.gwh_per_a, self.kind)

    def scaled(self, factor: float | pd.Series) -> Energy:
        """The same kind times a dimensionless factor (e.g. the share of land kept)."""
        return Energy(self.gwh_per_a * factor, self.kind)

    @property
    def unit(self) -> str:
        return UNITS[self.kind]

    @classmethod
    def zero(cls, index: pd.Index, kind: EnergyKind) -> Energy:
        return cls(pd.Series(np.zeros(len(index)), index=index), kind)


def total(parts: Iterable[Energy], index: pd.Index, kind: EnergyKind) -> Energy:
    """The sum of ``parts`` (all of ``kind``; none: zero); MixedEnergyError for a part of another kind."""
    out = Energy.zero(index, kind)
    for part in parts:
        out = out + part
    return out


__all__ = ["UNITS", "Energy", "EnergyKind", "MixedEnergyError", "total"]

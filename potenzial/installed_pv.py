"""Installed PV split into roofs and open land, so that each is compared with its own potential.

The per-municipality MaStR sums of the default region hold one PV figure for roofs and ground
together. Where the statistics carry the MaStR location type ("Lage der Einheit": bauliche
Anlage / Freifläche) as ``mastr2024_kw_pv_ground`` [kW], that is the ground part; otherwise the
ground part is the open-field plants of the 2015 UFZ list (Eichhorn et al. 2019) in the
municipality, and the rest is counted as roofs. Pure calculation on loaded frames.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from potenzial.units import KW_PER_MW

TOTAL_COLUMN = "mastr2024_kw_pv"  #: statistics: installed PV, roofs and ground [kW]
GROUND_COLUMN = "mastr2024_kw_pv_ground"  #: statistics: installed PV "Lage: Freifläche" [kW], where known

#: how the ground part was found (shown in the notes of the figures)
BASIS_MASTR = "mastr_location"
BASIS_UFZ = "ufz2015_open_field"
BASIS_TEXT: dict[str, tuple[str, str]] = {
    BASIS_MASTR: ("Freifläche nach MaStR-Lage der Einheit, der Rest Dach",
                  "ground by the MaStR location type, the rest roofs"),
    BASIS_UFZ: ("Freifläche = Freiflächenanlagen der UFZ-Liste 2015, der Rest der MaStR-Summe 2024 = Dach",
                "ground = open-field plants of the 2015 UFZ list, the rest of the MaStR 2024 sum = roofs"),
}


def split_installed_pv(total_mw: pd.Series, ground_mw: pd.Series) -> pd.DataFrame:
    """Per AGS (the index of ``total_mw``): ``roof_installed_mw`` = max(total − ground, 0) and
    ``ground_installed_mw`` = ground [MW]. A municipality without ground plants has all of its PV on
    roofs; one whose ground plants exceed the total (the sums are assigned by postcode) has none."""
    total = pd.to_numeric(total_mw, errors="coerce").fillna(0.0).astype(float)
    ground = pd.to_numeric(ground_mw.reindex(total.index), errors="coerce").fillna(0.0).astype(float)
    return pd.DataFrame({"roof_installed_mw": np.maximum(total - ground, 0.0).to_numpy(),
                         "ground_installed_mw": ground.to_numpy()}, index=total.index)


def installed_pv(statistics: pd.DataFrame, ufz_ground_mw: pd.Series | None) -> tuple[pd.DataFrame, str]:
    """(:func:`split_installed_pv` per AGS of ``statistics``, the basis: BASIS_MASTR or BASIS_UFZ).

    ``ufz_ground_mw`` is the ground PV of the 2015 plant list per AGS [MW] (None: no list)."""
    if TOTAL_COLUMN not in statistics.columns:
        empty = pd.Series(dtype=float)
        return split_installed_pv(empty, empty), BASIS_UFZ
    stats = statistics.assign(ags=statistics["ags"].astype(str)).set_index("ags")
    total = pd.to_numeric(stats[TOTAL_COLUMN], errors="coerce").fillna(0.0) / KW_PER_MW
    if GROUND_COLUMN in stats.columns:
        ground = pd.to_numeric(stats[GROUND_COLUMN], errors="coerce").fillna(0.0) / KW_PER_MW
        return split_installed_pv(total, ground), BASIS_MASTR
    ground = ufz_ground_mw if ufz_ground_mw is not None else pd.Series(0.0, index=total.index)
    return split_installed_pv(total, ground), BASIS_UFZ


__all__ = ["BASIS_MASTR", "BASIS_TEXT", "BASIS_UFZ", "installed_pv", "split_installed_pv"]

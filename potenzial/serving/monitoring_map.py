"""The map's "installed vs potential" view (``GET /api/monitoring/map``): per snapshot date, technology and
municipality the installed capacity against one stage of the current run's potential cascade, as the used
share [%] the choropleth colours by; and the groups of the region file, for the side panel.

Like with like, as in :func:`potenzial.serving.monitoring.used_shares`: all PV against the roof and the
open-field potential together (the sum-level snapshots of 2021 and 2024 do not split PV), wind against
wind, biomass as the primary energy its plants use against the primary-energy potential. A snapshot that
does not cover a technology (no PV in the 2015 plant list) gives no value, never 0.
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from potenzial.errors import NotFoundError
from potenzial.results.monitoring import MONITORING_STATUS, STAGE_CLASSES, TECHNOLOGY_CLASSES
from potenzial.serving.monitoring import (
    STAGES,
    MonitoringContext,
    _columns,
    _current_cascade,
    municipality_series,
)
from potenzial.store.base import Store
from potenzial.units import KW_PER_MW, KWH_PER_MWH, MWH_PER_GWH

#: technology of the snapshots -> cascade columns whose sum is its potential (``{stage}`` filled in)
MAP_POTENTIALS: dict[str, tuple[str, ...]] = {
    "pv": ("solar_roof_{stage}_capacity_mwp", "pv_ground_{stage}_capacity_mwp"),
    "wind": ("wind_{stage}_capacity_mw",),
    "biomass": ("biomass_{stage}_primary_energy_gwh_per_a",),
}
#: a technology whose stage is another for the comparison: biomass's realisable stage is what is left after
#: the existing plants' use (results/cascade.py), so its plants are set against the restricted stage instead
STAGE_FOR = {"biomass": {"realisable": "restricted"}}
#: the used share's classes [%]: lower limits, the last class open upwards; colours light to dark (ColorBrewer
#: YlGnBu, 6 classes, colour-blind safe)
SHARE_LIMITS_PCT = (0.0, 5.0, 10.0, 25.0, 50.0, 100.0)
SHARE_COLOURS = ("#ffffcc", "#c7e9b4", "#7fcdbb", "#41b6c4", "#2c7fb8", "#253494")
NO_DATA_COLOUR = "#bdbdbd"
DEFAULT_STAGE = "realisable"


def installed_in_potential_unit(technology: str, capacity_kw: float, ctx: MonitoringContext) -> float:
    """Installed capacity [kW] in the unit of its potential: MW, for biomass the primary energy [GWh/a]
    its plants use (generation / electrical efficiency)."""
    if technology == "biomass":
        generation_mwh = capacity_kw * ctx.params.biomass_full_load_h_per_a / KWH_PER_MWH
        return generation_mwh / MWH_PER_GWH / ctx.biomass_efficiency
    return capacity_kw / KW_PER_MW


def stage_for(technology: str, stage: str) -> str:
    """The cascade stage the installed capacity of ``technology`` is set against when ``stage`` is asked."""
    return STAGE_FOR.get(technology, {}).get(stage, stage)


def _potentials(cascade: pd.DataFrame | None, stage: str) -> dict[str, dict[str, float]]:
    """Per technology and AGS the potential of ``stage`` (empty without a run)."""
    if cascade is None:
        return {}
    out: dict[str, dict[str, float]] = {}
    for tech, patterns in MAP_POTENTIALS.items():
        columns = [p.format(stage=stage_for(tech, stage)) for p in patterns]
        if not all(c in cascade.columns for c in columns):
            continue
        total = cascade[columns].astype(float).sum(axis=1, min_count=len(columns))
        out[tech] = dict(zip(cascade["ags"].astype(str), total, strict=True))
    return out


def _number(value: float) -> float | None:
    return None if value is None or (isinstance(value, float) and math.isnan(value)) else float(value)


def monitoring_map(store: Store, ctx: MonitoringContext, stage: str = DEFAULT_STAGE) -> dict[str, Any]:
    """Everything the map's monitoring view needs in one answer."""
    if stage not in STAGES:
        raise NotFoundError(f"stage {stage!r} is not a stage of the cascade; use one of {', '.join(STAGES)}.")
    series = municipality_series(store, ctx)
    snaps = series[series["point"] == "snapshot"] if len(series) else series
    dates = sorted(set(snaps["date"])) if len(snaps) else []
    potentials = _potentials(_current_cascade(store), stage)
    technologies = []
    titles = {c.code: c for c in TECHNOLOGY_CLASSES}
    for tech in MAP_POTENTIALS:
        unit = "GWh/a" if tech == "biomass" else "MW"
        mine = snaps[snaps["technology"] == tech] if len(snaps) else snaps
        by_date: dict[str, dict[str, dict[str, float | None]]] = {}
        for date in dates:
            part = mine[mine["date"] == date] if len(mine) else mine
            if not len(part):
                continue  # the snapshot does not cover this technology
            cells = {}
            for ags, kw in zip(part["ags"].astype(str), part["capacity_kw"].astype(float), strict=True):
                installed = installed_in_potential_unit(tech, kw, ctx)
                potential = potentials.get(tech, {}).get(ags, math.nan)
                share = 100.0 * installed / potential if potential and potential > 0 else math.nan
                cells[ags] = {"installed": _number(installed), "potential": _number(potential),
                              "used_share_pct": _number(share)}
            by_date[str(date)] = cells
        technologies.append({"code": tech, "title_de": titles[tech].title_de, "title_en": titles[tech].title_en,
                             "unit": unit, "stage": stage_for(tech, stage), "values": by_date})
    stage_titles = {c.code: c for c in STAGE_CLASSES}
    snapshots = store.snapshots().records(ctx.region.id)
    return {
        "stage": {"code": stage, "title_de": stage_titles[stage].title_de, "title_en": stage_titles[stage].title_en},
        "stages": [{"code": c.code, "title_de": c.title_de, "title_en": c.title_en} for c in STAGE_CLASSES],
        "has_potential": bool(potentials),
        "dates": [str(d) for d in dates],
        "snapshots": [{"as_of": r.as_of, "title": r.title, "kind": r.kind, "source": r.source} for r in snapshots],
        "columns": _columns(MONITORING_STATUS),
        "classes": {"limits": list(SHARE_LIMITS_PCT), "colours": list(SHARE_COLOURS), "no_data": NO_DATA_COLOUR},
        "technologies": technologies,
        "group_sets": [{"id": s.id, "title_de": s.title_de, "title_en": s.title_en} for s in ctx.sets.values()],
        "groups": [{"id": g.id, "set": g.set, "title_de": g.title_de, "title_en": g.title_en,
                    "members": list(g.members), "verified": g.verified, "placeholder": g.placeholder}
                   for g in ctx.groups.values()],
    }

"""What a fact sheet shows, read from a run: the figures of a municipality or of a group of them (the
county is the group of all), each technology's map layers clipped to the area, the wind area targets
and the run's sources.

A group's figures are sums of its members' where a sum means something (energies, capacities, areas,
counts, people); shares are computed again from the sums; what cannot be summed (a percentage, full-load
hours, a specific yield) is left out of the group's sheet.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import shapely
from shapely.geometry.base import BaseGeometry

from potenzial.errors import NotFoundError
from potenzial.runs import RunRecord
from potenzial.serving.figures import Figure, json_value
from potenzial.serving.registry import LayerRegistry
from potenzial.serving.sheet_map import MapLayer, Place
from potenzial.serving.sheet_monitoring import SheetMonitoring
from potenzial.serving.summaries import RunFigures
from potenzial.store.base import Store
from potenzial.units import HA_PER_KM2

#: the technologies of the sheet, in page order
TECHNOLOGIES = ("solar_roof", "pv_ground", "wind", "biomass")
#: each technology's map layers (result layer ids) and their colours
TECH_LAYERS: dict[str, tuple[tuple[str, str], ...]] = {
    "solar_roof": (("solar_roof", "#d95f02"),),
    "pv_ground": (("pv_ground_areas", "#a6761d"),),
    "wind": (("wind_areas", "#6baed6"), ("wind_turbines", "#08306b")),
    "biomass": (("biomass_map", "#4d9221"),),
}
#: units of figures that add up over municipalities
SUMMABLE_UNITS = frozenset({"MW", "MWp", "kWp", "GWh/a", "GWh_el/a", "GWh_th/a", "MWh/a", "MWh_el/a", "MWh_th/a",
                            "m²", "GWh/a (primary energy)",
                            "ha", "km²", "count", "persons"})
#: features read per layer for a map (a sheet draws dense layers as grid cells)
MAX_FEATURES_PER_LAYER = 60_000
NEIGHBOUR_BUFFER_M = 2_000.0  #: municipalities this close to the area are drawn as neighbours [m]
WIND_TARGETS = "wind_targets"
BOUNDARY_SOURCE = "municipalities"  #: the input layer of the municipal boundaries


@dataclass
class SheetData:
    """Everything a fact sheet shows, read and clipped (geometries EPSG:25833)."""

    ags: tuple[str, ...]  #: the members (one for a municipality)
    title: str  #: the municipality's name or the group's title
    figures: dict[str, object]  #: figure column -> value (a group's: summed)
    figure_meta: list[Figure]
    area: BaseGeometry
    members: list[Place]
    neighbours: list[Place]
    layers: dict[str, list[MapLayer]]  #: technology -> its map layers
    boundary_attribution: str
    run: dict[str, object]  #: run_id, finished_at, params_hash, code_version, synthetic_inputs
    sources: list[dict[str, str]]  #: title, provenance, licence, attribution
    wind_targets: list[dict[str, object]] = field(default_factory=list)
    #: installed over time against the potential and the targets; None while the store holds no snapshot
    monitoring: SheetMonitoring | None = None

    @property
    def is_group(self) -> bool:
        return len(self.ags) > 1


def group_figures(merged: pd.DataFrame, meta: Sequence[Figure], ags: Sequence[str]) -> dict[str, object]:
    """The figures of the municipalities ``ags`` together: one municipality's row as it is; for several,
    the sums of summable figures (a figure with no value anywhere stays None), shares from the sums."""
    rows = merged[merged["ags"].astype(str).isin(list(ags))]
    if len(rows) == 1:
        return {f.column: json_value(rows.iloc[0][f.column]) for f in meta}
    out: dict[str, object] = {}
    for f in meta:
        values = rows[f.column]
        if f.numeric and f.unit in SUMMABLE_UNITS:
            numbers = pd.to_numeric(values, errors="coerce")
            out[f.column] = None if numbers.isna().all() else json_value(float(numbers.sum()))
        elif f.dtype == "text" and f.column not in ("ags", "name") and values.nunique(dropna=False) == 1:
            out[f.column] = json_value(values.iloc[0])  # a setting shared by all (stage, precedence)
        else:
            out[f.column] = None
    _share(out, "electricity_potential_to_use_pct", "electricity_potential_gwh_per_a", "electricity_use_gwh_per_a",
           100.0)
    # the coverage of each use by the realisable potential of its kind (demand step), from the sums
    _share(out, "electricity_coverage_pct", "electricity_potential_mwh_el_per_a", "electricity_use_mwh_el_per_a",
           100.0)
    _share(out, "heat_coverage_pct", "heat_potential_mwh_th_per_a", "heat_demand_mwh_th_per_a", 100.0)
    # [%] = wind_area_ha / (area_km2 × HA_PER_KM2) × 100
    _share(out, "wind_area_share_pct", "wind_area_ha", "area_km2", 100.0 / HA_PER_KM2)
    return out


def _share(out: dict[str, object], column: str, numerator: str, denominator: str, factor: float) -> None:
    a, b = out.get(numerator), out.get(denominator)
    if column in out and isinstance(a, float | int) and isinstance(b, float | int) and b > 0:
        out[column] = float(a) / float(b) * factor


def wind_targets_of(store: Store, record: RunRecord, ags: Sequence[str], run_layers: Sequence[str]
                    ) -> list[dict[str, object]]:
    """The area targets in force for the area: target area, share now and gap [ha] (a group's: summed, so a
    member's surplus offsets another's gap)."""
    if WIND_TARGETS not in run_layers:
        return []
    frame = store.read(WIND_TARGETS, record.run_id)
    frame = frame[frame["ags"].astype(str).isin(list(ags)) & frame["in_force"].astype(bool)]
    out = []
    for _, rows in frame.groupby("target_id", sort=False):
        first = rows.iloc[0]
        target_ha, gap_ha = float(rows["target_area_ha"].sum()), float(rows["gap_ha"].sum())
        share = float(first["target_share_pct"])
        out.append({"title": str(first["title"]), "law": str(first["title"]).split(":")[0],
                    "deadline": str(first["deadline"]), "scope": str(first["scope"]),
                    "target_share_pct": share, "target_area_ha": target_ha, "gap_ha": gap_ha,
                    "share_now_pct": share * (1.0 - gap_ha / target_ha) if target_ha > 0 else None})
    return sorted(out, key=lambda t: (str(t["deadline"]), str(t["title"])))


def clipped(geoms: np.ndarray, area: BaseGeometry) -> list[BaseGeometry]:
    """``geoms`` inside ``area``: whole where they lie within it, cut where they cross its edge."""
    if not len(geoms):
        return []
    shapely.prepare(area)
    meets = shapely.intersects(area, geoms)
    inside = shapely.within(geoms, area)
    out = list(geoms[meets & inside])
    crossing = geoms[meets & ~inside]
    out.extend(g for g in shapely.intersection(crossing, area) if not g.is_empty)
    return out


def map_layers(store: Store, record: RunRecord, registry: LayerRegistry, area: BaseGeometry,
               max_features: int = MAX_FEATURES_PER_LAYER) -> dict[str, list[MapLayer]]:
    """Each technology's layers the run serves, clipped to ``area``."""
    out: dict[str, list[MapLayer]] = {}
    for tech, layers in TECH_LAYERS.items():
        out[tech] = []
        for layer_id, colour in layers:
            served = registry.layers.get(layer_id)
            if served is None or served.kind != "vector":
                continue
            frame = store.read_bbox(layer_id, area.bounds, record.run_id, limit=max_features)
            geoms = clipped(np.asarray(frame.geometry.values, dtype=object), area) if not frame.empty else []
            out[tech].append(MapLayer(titles=dict(served.titles or {"en": served.title}), colour=colour,
                                      geoms=geoms, attribution=served.attribution))
    return out


def sheet_data(store: Store, record: RunRecord, registry: LayerRegistry, figures: RunFigures,
               ags: Sequence[str], title: str | None = None) -> SheetData:
    """The sheet of the municipalities ``ags`` (one: that municipality; several: a group called ``title``);
    NotFoundError naming the fix for an AGS the run does not have."""
    wanted = [str(a) for a in dict.fromkeys(ags)]
    base = figures.municipalities
    known = set(base["ags"].astype(str))
    missing = [a for a in wanted if a not in known]
    if not wanted or missing:
        raise NotFoundError(f"no municipality with AGS {', '.join(missing[:3]) or '(none given)'} in run "
                            f"{record.run_id} (see the list at api/municipalities).")
    inside = base[base["ags"].astype(str).isin(wanted)]
    members = [Place(str(n), g) for n, g in zip(inside["name"], inside.geometry, strict=True)]
    area = shapely.union_all([p.geom for p in members]) if len(members) > 1 else members[0].geom
    reach = area.buffer(NEIGHBOUR_BUFFER_M)
    others = base[~base["ags"].astype(str).isin(wanted)]
    neighbours = [Place(str(n), g) for n, g in zip(others["name"], others.geometry, strict=True) if g.intersects(reach)]
    boundaries = [s.attribution for s in registry.sources if s.layer_id == BOUNDARY_SOURCE]
    run_layers = store.run_layers(record.run_id)
    return SheetData(
        ags=tuple(wanted), title=title or members[0].name,
        figures=group_figures(figures.merged, figures.meta, wanted), figure_meta=list(figures.meta),
        area=area, members=members, neighbours=neighbours,
        layers=map_layers(store, record, registry, area),
        boundary_attribution="; ".join(boundaries),
        run={"run_id": record.run_id, "finished_at": record.finished_at, "params_hash": record.params_hash,
             "code_version": record.code_version, "synthetic_inputs": list(record.synthetic_inputs)},
        sources=[s.as_dict() for s in registry.sources],
        wind_targets=wind_targets_of(store, record, wanted, run_layers),
    )


def county_members(figures: RunFigures) -> list[str]:
    """Every municipality of the run: the county as a group."""
    return sorted(str(a) for a in figures.municipalities["ags"])


__all__ = ["MAX_FEATURES_PER_LAYER", "SUMMABLE_UNITS", "TECHNOLOGIES", "TECH_LAYERS", "SheetData", "clipped",
           "county_members", "group_figures", "map_layers", "sheet_data", "wind_targets_of"]

"""What the map colours municipalities by, and what the side panel adds up.

Everything is derived from the run's per-municipality figures and their metadata
(:func:`potenzial.serving.figures.merge_figures`, the same table behind ``/api/municipalities``):
no column is assumed to exist. A potential is found by its result-table prefix, and — with the
rule of the fact sheet (``potenzial.serving.factsheet``) — its capacity is its first figure in
MW/MWp that is not installed capacity, its energy its first figure in GWh/a or MWh/a (a median
``_p50`` first), its area its first ``*area_ha`` figure. A figure whose columns the run lacks is
left out (e.g. before the open-field PV step exists).

The headline figures (electricity and heat apart, every hectare once) come from
:mod:`potenzial.serving.headline`; their titles, units and stage from
:data:`potenzial.results.headline.HEADLINE`. Derived figures are sums of columns times factors,
optionally divided by another such sum:
``value = scale * Σ factor·column / Σ factor·column``. Their values are computed here, once per
run, and handed to the page, which only looks them up.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from potenzial.results.headline import (
    ELECTRICITY_PARTS,
    HEADLINE,
    HEAT_NOTE,
    PRECEDENCE_TITLES,
    STAGE_TITLES,
    USE_BASIS_TITLES,
)
from potenzial.serving.factsheet import POTENTIAL_LABELS, POTENTIALS
from potenzial.serving.figures import Figure
from potenzial.units import HA_PER_KM2
from web.classes import NO_DATA_COLOUR, quantile_classes
from web.quality import quality_columns, quality_panel

N_CLASSES = 5
AREA_COLUMN = "area_km2"  #: the municipality's area [km²] in the base table
POPULATION_COLUMN = "population"  #: inhabitants [persons] in the base table
CAPACITY_UNITS = ("MW", "MWp")
ENERGY_GWH = "GWh/a"
ENERGY_MWH = "MWh/a"
#: words that mark a figure as existing plants rather than potential
NOT_POTENTIAL = ("installed", "existing", "overlap", "gap", "wind_first")

#: 5-class sequential colour schemes, light -> dark (colorbrewer2.org)
PALETTES: dict[str, tuple[str, ...]] = {
    "total": ("#ffffb2", "#fecc5c", "#fd8d3c", "#f03b20", "#bd0026"),  # YlOrRd
    "heat": ("#fee5d9", "#fcae91", "#fb6a4a", "#de2d26", "#a50f15"),  # Reds
    "solar_roof": ("#ffffd4", "#fed98e", "#fe9929", "#d95f0e", "#993404"),  # YlOrBr
    "pv_ground": ("#feedde", "#fdbe85", "#fd8d3c", "#e6550d", "#a63603"),  # Oranges
    "wind": ("#eff3ff", "#bdd7e7", "#6baed6", "#3182bd", "#08519c"),  # Blues
    "biomass": ("#edf8e9", "#bae4b3", "#74c476", "#31a354", "#006d2c"),  # Greens
    "share": ("#f2f0f7", "#cbc9e2", "#9e9ac8", "#756bb1", "#54278f"),  # Purples
    "installed": ("#f6eff7", "#bdc9e1", "#67a9cf", "#1c9099", "#016c59"),  # PuBuGn
    "density": ("#f7f7f7", "#cccccc", "#969696", "#636363", "#252525"),  # Greys
}

#: installed-capacity columns, each compared with its own potential (roofs with roofs, ground with ground)
INSTALLED_LABELS: dict[str, tuple[str, str]] = {
    "roof_installed_mw": ("Dach-PV", "Rooftop PV"),
    "pv_ground_installed_2015_mwp": ("Freiflächen-PV (Anlagen bis 2015)", "Ground-mounted PV (plants up to 2015)"),
    "wind_installed_mw": ("Wind", "Wind"),
    "biomass_installed_mw": ("Biomasse", "Biomass"),
}
#: each potential's own "still open" figure, where its table has one (else capacity − installed)
REMAINING_COLUMNS = {"solar_roof": "roof_remaining_mwp", "pv_ground": "pv_ground_remaining_mwp"}
#: open-field PV capacity without the land that wind takes first
PV_GROUND_WIND_FIRST_MWP = "pv_ground_capacity_wind_first_mwp"
ELECTRICITY = "electricity_potential_gwh_per_a"
HEAT = "heat_potential_gwh_per_a"
USE_RATIO = "electricity_potential_to_use_pct"


@dataclass(frozen=True)
class HeadlineContext:
    """The stage and the precedence rule the headline figures of a run were served under."""

    stage: str = "restricted"
    precedence: str = "wind_first"
    use_estimated: bool = True  #: some municipality's electricity use is the population estimate

    @classmethod
    def of(cls, merged: pd.DataFrame) -> HeadlineContext:
        def first(column: str, default: str) -> str:
            if column not in merged.columns:
                return default
            values = merged[column].dropna()
            return str(values.iloc[0]) if len(values) else default

        estimated = ("electricity_use_basis" not in merged.columns
                     or bool((merged["electricity_use_basis"] == "estimate").any()))
        return cls(stage=first("stage", cls.stage), precedence=first("precedence", cls.precedence),
                   use_estimated=estimated)

    @property
    def stage_title(self) -> tuple[str, str]:
        return STAGE_TITLES.get(self.stage, (self.stage, self.stage))

    @property
    def precedence_title(self) -> tuple[str, str]:
        return PRECEDENCE_TITLES.get(self.precedence, (self.precedence, self.precedence))


# ------------------------------------------------------------------ the potentials of a run


@dataclass(frozen=True)
class Quantity:
    column: str
    unit: str


@dataclass(frozen=True)
class Potential:
    """One of the four potentials as the run has it (any part may be missing)."""

    key: str  #: result-table prefix
    label: tuple[str, str]  #: (de, en)
    capacity: Quantity | None
    energy: Quantity | None
    area: Quantity | None
    installed: Quantity | None
    electricity: Quantity | None = None  #: its part of the electricity headline [GWh_el/a]


def _is_potential(f: Figure) -> bool:
    return f.numeric and not any(word in f.column for word in NOT_POTENTIAL)


def capacity_figure(figures: Sequence[Figure]) -> Figure | None:
    """The first figure in MW/MWp (or named ``*_mw``/``*_mwp``) that is not installed capacity."""
    for f in figures:
        if _is_potential(f) and (f.unit in CAPACITY_UNITS or f.column.endswith(("_mw", "_mwp"))):
            return f
    return None


def energy_figure(figures: Sequence[Figure]) -> Figure | None:
    """The first figure in GWh/a or MWh/a (``*_gwh_per_a``, ``*_mwh_per_a``); a median (``_p50``) first."""
    for f in sorted(figures, key=lambda f: "_p50" not in f.column):
        if _is_potential(f) and (f.unit in (ENERGY_GWH, ENERGY_MWH)
                                 or f.column.endswith(("_gwh_per_a", "_mwh_per_a"))):
            return f
    return None


def area_figure(figures: Sequence[Figure]) -> Figure | None:
    """The first figure ``*area_ha`` in ha: the land the potential takes."""
    for f in figures:
        if _is_potential(f) and f.column.endswith("area_ha") and f.unit in ("ha", ""):
            return f
    return None


def potentials(meta: Sequence[Figure], precedence: str = "wind_first") -> list[Potential]:
    """The four potentials, in the fact sheet's order, each with what the run holds of it; under
    ``wind_first`` the open-field PV capacity is the one without the land wind takes."""
    by_column = {f.column: f for f in meta}
    out = []
    for prefix, title, installed_column in POTENTIALS:
        figs = [f for f in meta if f.table.startswith(prefix) and f.table != "municipalities"
                and f.source_column != "ags"]
        cap, energy, area = capacity_figure(figs), energy_figure(figs), area_figure(figs)
        if prefix == "pv_ground" and precedence == "wind_first" and PV_GROUND_WIND_FIRST_MWP in by_column:
            cap = by_column[PV_GROUND_WIND_FIRST_MWP]
        installed = by_column.get(installed_column)
        part = by_column.get(ELECTRICITY_PARTS.get(prefix, ""))
        out.append(Potential(
            key=prefix, label=POTENTIAL_LABELS.get(prefix, (title, title)),
            capacity=Quantity(cap.column, cap.unit) if cap else None,
            energy=Quantity(energy.column, energy.unit) if energy else None,
            area=Quantity(area.column, area.unit) if area else None,
            installed=Quantity(installed.column, installed.unit) if installed and installed.numeric else None,
            electricity=Quantity(part.column, part.unit) if part else None,
        ))
    return out


# ------------------------------------------------------------------ derived figures


@dataclass(frozen=True)
class Derived:
    """``scale * Σ factor·column / Σ factor·column`` (no denominator: divide by 1)."""

    id: str
    label: tuple[str, str]  #: (de, en)
    unit: str
    terms: tuple[tuple[str, float], ...]
    per: tuple[tuple[str, float], ...] = ()
    scale: float = 1.0
    palette: str = "total"
    selectable: bool = True  #: offered in the choropleth's figure selector
    note: tuple[str, str] | None = None
    stage: tuple[str, str] | None = None  #: the stage of the cascade a headline figure belongs to (de, en)

    @property
    def columns(self) -> set[str]:
        return {c for c, _ in self.terms} | {c for c, _ in self.per}

    def values(self, frame: pd.DataFrame) -> np.ndarray:
        """The figure per row of ``frame`` (NaN where a column is NaN or the denominator is 0)."""
        return derived_values(frame, self.terms, self.per, self.scale)


def derived_values(frame: pd.DataFrame, terms: Sequence[tuple[str, float]],
                   per: Sequence[tuple[str, float]] = (), scale: float = 1.0) -> np.ndarray:
    def weighted_sum(parts: Sequence[tuple[str, float]]) -> np.ndarray:
        total = np.zeros(len(frame))
        for column, factor in parts:
            total = total + factor * pd.to_numeric(frame[column], errors="coerce").to_numpy(float)
        return total

    top = weighted_sum(terms) * scale
    if not per:
        return top
    bottom = weighted_sum(per)
    out = np.full(len(frame), np.nan)
    np.divide(top, bottom, out=out, where=np.isfinite(bottom) & (bottom != 0))
    return out


def _title(column: str) -> tuple[str, str]:
    title = HEADLINE.column_title(column)
    return title["de"], title["en"]


def headline_figures(meta: Sequence[Figure], pots: Sequence[Potential], context: HeadlineContext) -> list[Derived]:
    """The electricity and heat headline and the electricity potential against the use (each its own
    energy type, with its stage; the electricity note names its parts and the precedence rule)."""
    units = {f.column: f.unit for f in meta}
    stage = context.stage_title
    out: list[Derived] = []
    if ELECTRICITY in units:
        parts = [p for p in pots if p.electricity]
        names_de = " + ".join(p.label[0] for p in parts) or "–"
        names_en = " + ".join(p.label[1] for p in parts) or "–"
        rule_de, rule_en = context.precedence_title
        out.append(Derived(
            id="electricity_potential", label=_title(ELECTRICITY), unit=units[ELECTRICITY],
            terms=((ELECTRICITY, 1.0),), palette="total", stage=stage,
            note=(f"Summe {names_de} (Biomasse: Strom aus KWK, ohne Primärenergie). {rule_de}.",
                  f"Sum of {names_en} (biomass: CHP electricity, not primary energy). {rule_en.capitalize()}.")))
    if HEAT in units:
        out.append(Derived(id="heat_potential", label=_title(HEAT), unit=units[HEAT], terms=((HEAT, 1.0),),
                           palette="heat", stage=stage, note=HEAT_NOTE))
    if USE_RATIO in units:
        basis = USE_BASIS_TITLES["estimate" if context.use_estimated else "table"]
        out.append(Derived(id="electricity_to_use", label=_title(USE_RATIO), unit=units[USE_RATIO],
                           terms=((USE_RATIO, 1.0),), palette="share", stage=stage,
                           note=(f"Stromverbrauch: {basis[0]}.", f"Electricity use: {basis[1]}.")))
    return out


def derived_figures(meta: Sequence[Figure], context: HeadlineContext | None = None) -> list[Derived]:
    """Every figure the page shows beyond the API's columns, for the figures this run holds.

    Selectable (choropleth): the electricity and the heat potential and the electricity potential
    against the use (:mod:`potenzial.serving.headline`), each potential's capacity (its energy when it
    has no capacity), each potential's share of the municipal area, population density, and installed
    vs potential capacity (roofs with roofs, ground with ground). Panel only: each potential's
    remaining capacity.
    """
    context = context if context is not None else HeadlineContext()
    present = {f.column for f in meta}
    pots = potentials(meta, context.precedence)
    out: list[Derived] = headline_figures(meta, pots, context)

    for p in pots:
        if p.capacity:
            out.append(Derived(id=f"{p.key}_capacity", label=(f"{p.label[0]}: Leistung", f"{p.label[1]}: capacity"),
                               unit=p.capacity.unit, terms=((p.capacity.column, 1.0),), palette=p.key))
        elif p.energy:
            out.append(Derived(id=f"{p.key}_energy", label=(f"{p.label[0]}: Energie", f"{p.label[1]}: energy"),
                               unit=p.energy.unit, terms=((p.energy.column, 1.0),), palette=p.key))

    if AREA_COLUMN in present:
        for p in pots:
            if p.area:
                out.append(Derived(
                    id=f"{p.key}_area_share",
                    label=(f"{p.label[0]}: Anteil an der Gemeindefläche", f"{p.label[1]}: share of municipal area"),
                    unit="%", terms=((p.area.column, 1.0),), per=((AREA_COLUMN, HA_PER_KM2),), scale=100.0,
                    palette="share"))

    if {AREA_COLUMN, POPULATION_COLUMN} <= present:
        out.append(Derived(id="population_density", label=("Einwohnerdichte", "Population density"),
                           unit="persons/km²", terms=((POPULATION_COLUMN, 1.0),), per=((AREA_COLUMN, 1.0),),
                           palette="density"))

    # installed vs potential, each potential with its own installed capacity
    pairs = [(p, p.capacity, p.installed) for p in pots if p.capacity and p.installed]
    if pairs:
        names = [INSTALLED_LABELS.get(q.column, p.label) for p, _, q in pairs]
        out.append(Derived(
            id="installed_share", label=("Installiert im Verhältnis zum Potenzial", "Installed vs potential"),
            unit="%", terms=tuple((q.column, 1.0) for _, _, q in pairs),
            per=tuple((cap.column, 1.0) for _, cap, _ in pairs), scale=100.0, palette="installed",
            note=("Installierte Leistung (" + ", ".join(n[0] for n in names) + ") geteilt durch die Leistung "
                  "der Potenziale, Dach mit Dach, Freifläche mit Freifläche; Biomasse hat kein Leistungspotenzial.",
                  "Installed capacity (" + ", ".join(n[1] for n in names) + ") divided by the capacity of the "
                  "potentials, roofs with roofs, ground with ground; biomass has no capacity potential.")))
        for p, cap, installed in pairs:
            own = REMAINING_COLUMNS.get(p.key)
            terms = ((own, 1.0),) if own in present else ((cap.column, 1.0), (installed.column, -1.0))
            out.append(Derived(id=f"remaining_{p.key}", label=p.label, unit=cap.unit, terms=terms,
                               selectable=False))
    return [d for d in out if d.columns <= present]


# ------------------------------------------------------------------ the page's figure config


@dataclass(frozen=True)
class FigureConfig:
    """What the page needs about the figures (JSON-ready, see :meth:`to_json`)."""

    figures: list[dict] = field(default_factory=list)
    panel: dict = field(default_factory=dict)

    def to_json(self) -> dict:
        return {"figures": self.figures, "panel": self.panel}


def _json_number(value: float) -> float | None:
    return float(value) if np.isfinite(value) else None


def figure_config(merged: pd.DataFrame, meta: Sequence[Figure]) -> FigureConfig:
    """Derived figures with their values per AGS and classes, and the side panel's layout."""
    ags = merged["ags"].astype(str).tolist()
    context = HeadlineContext.of(merged)
    figures = []
    for d in derived_figures(meta, context):
        values = d.values(merged)
        item: dict = {
            "id": d.id, "label": {"de": d.label[0], "en": d.label[1]}, "unit": d.unit,
            "selectable": d.selectable,
            "note": {"de": d.note[0], "en": d.note[1]} if d.note else None,
            "stage": {"de": d.stage[0], "en": d.stage[1]} if d.stage else None,
            "values": {a: _json_number(v) for a, v in zip(ags, values, strict=True)},
        }
        if d.selectable:
            classes = quantile_classes(values, PALETTES[d.palette][:N_CLASSES])
            item["classes"] = {"limits": list(classes.limits), "colours": list(classes.colours),
                               "no_data": NO_DATA_COLOUR}
        figures.append(item)
    pots = potentials(meta, context.precedence)
    ids = {f["id"] for f in figures}

    def quantity(q: Quantity | None) -> dict | None:
        return {"column": q.column, "unit": q.unit} if q else None

    panel = {
        "potentials": [{
            "key": p.key, "label": {"de": p.label[0], "en": p.label[1]},
            "capacity": quantity(p.capacity), "energy": quantity(p.energy), "electricity": quantity(p.electricity),
        } for p in pots],
        "installed": [{"column": q.column, "unit": q.unit,
                       "label": dict(zip(("de", "en"), INSTALLED_LABELS.get(q.column, (q.column, q.column)),
                                         strict=True))}
                      for q in dict.fromkeys(p.installed for p in pots if p.installed)],
        "remaining": [f["id"] for f in figures if f["id"].startswith("remaining_")],
        "headline": [i for i in ("electricity_potential", "heat_potential", "electricity_to_use") if i in ids],
        #: run-wide words of the headline (stage, rule, basis of the use): shown as titles, not in the figure list
        "hidden": [f.column for f in meta if f.table == HEADLINE.name and not f.numeric] + quality_columns(meta),
        "quality": quality_panel(meta),
        "stage": dict(zip(("de", "en"), context.stage_title, strict=True)),
        "precedence": dict(zip(("de", "en"), context.precedence_title, strict=True)),
    }
    return FigureConfig(figures=figures, panel=panel)


def figure_values(merged: pd.DataFrame, meta: Sequence[Figure]) -> dict[str, dict[str, float | None]]:
    """``{figure id: {ags: value}}`` of every figure the page shows, from ``merged`` (e.g. a what-if
    scenario's figures in place of the run's): the same figures as :func:`figure_config`, no classes."""
    ags = merged["ags"].astype(str).tolist()
    return {d.id: {a: _json_number(v) for a, v in zip(ags, d.values(merged), strict=True)}
            for d in derived_figures(meta, HeadlineContext.of(merged))}


def values_by_ags(config: FigureConfig) -> Mapping[str, Mapping[str, float | None]]:
    """``{figure id: {ags: value}}`` (for tests and checks)."""
    return {f["id"]: f["values"] for f in config.figures}

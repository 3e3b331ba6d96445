"""What the map colours municipalities by, and what the side panel adds up.

Everything is derived from the run's per-municipality figures and their metadata
(:func:`potenzial.serving.figures.merge_figures`, the same table behind ``/api/municipalities``):
no column is assumed to exist. A potential is found by its result-table prefix, and — with the
rule of the fact sheet (``potenzial.serving.factsheet``) — its capacity is its first figure in
MW/MWp that is not installed capacity, its energy its first figure in GWh/a or MWh/a (a median
``_p50`` first), its area its first ``*area_ha`` figure. A figure whose columns the run lacks is
left out (e.g. before the open-field PV step exists).

Derived figures are sums of columns times factors, optionally divided by another such sum:
``value = scale * Σ factor·column / Σ factor·column``. Their values are computed here, once per
run, and handed to the page, which only looks them up.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from potenzial.serving.factsheet import POTENTIALS
from potenzial.serving.figures import Figure
from potenzial.units import HA_PER_KM2, MWH_PER_GWH

NO_DATA_COLOUR = "#bdbdbd"
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
    "solar_roof": ("#ffffd4", "#fed98e", "#fe9929", "#d95f0e", "#993404"),  # YlOrBr
    "pv_ground": ("#feedde", "#fdbe85", "#fd8d3c", "#e6550d", "#a63603"),  # Oranges
    "wind": ("#eff3ff", "#bdd7e7", "#6baed6", "#3182bd", "#08519c"),  # Blues
    "biomass": ("#edf8e9", "#bae4b3", "#74c476", "#31a354", "#006d2c"),  # Greens
    "share": ("#f2f0f7", "#cbc9e2", "#9e9ac8", "#756bb1", "#54278f"),  # Purples
    "installed": ("#f6eff7", "#bdc9e1", "#67a9cf", "#1c9099", "#016c59"),  # PuBuGn
    "density": ("#f7f7f7", "#cccccc", "#969696", "#636363", "#252525"),  # Greys
}

#: the four potentials' names on the page (German, English), by result-table prefix
POTENTIAL_LABELS: dict[str, tuple[str, str]] = {
    "solar_roof": ("Dach-PV", "Rooftop PV"),
    "pv_ground": ("Freiflächen-PV", "Ground-mounted PV"),
    "wind": ("Wind", "Wind"),
    "biomass": ("Biomasse", "Biomass"),
}
#: installed-capacity columns (fact sheet: PV is one figure for roofs and ground)
INSTALLED_LABELS: dict[str, tuple[str, str]] = {
    "pv_installed_mw": ("PV (Dach + Freifläche)", "PV (roofs + ground)"),
    "wind_installed_mw": ("Wind", "Wind"),
    "biomass_installed_mw": ("Biomasse", "Biomass"),
}


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


def gwh_factor(quantity: Quantity) -> float:
    """Factor from the quantity's energy unit to GWh/a."""
    if quantity.unit == ENERGY_MWH or (quantity.unit != ENERGY_GWH and quantity.column.endswith("_mwh_per_a")):
        return 1.0 / MWH_PER_GWH
    return 1.0


def potentials(meta: Sequence[Figure]) -> list[Potential]:
    """The four potentials, in the fact sheet's order, each with what the run holds of it."""
    by_column = {f.column: f for f in meta}
    out = []
    for prefix, title, installed_column in POTENTIALS:
        figs = [f for f in meta if f.table.startswith(prefix) and f.table != "municipalities"
                and f.source_column != "ags"]
        cap, energy, area = capacity_figure(figs), energy_figure(figs), area_figure(figs)
        installed = by_column.get(installed_column)
        out.append(Potential(
            key=prefix, label=POTENTIAL_LABELS.get(prefix, (title, title)),
            capacity=Quantity(cap.column, cap.unit) if cap else None,
            energy=Quantity(energy.column, energy.unit) if energy else None,
            area=Quantity(area.column, area.unit) if area else None,
            installed=Quantity(installed.column, installed.unit) if installed and installed.numeric else None,
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


def _cap_unit(caps: Sequence[Quantity]) -> str:
    units = {q.unit for q in caps}
    return units.pop() if len(units) == 1 else "MW"


def derived_figures(meta: Sequence[Figure]) -> list[Derived]:
    """Every figure the page shows beyond the API's columns, for the figures this run holds.

    Selectable (choropleth): the total energy of the four potentials, each potential's capacity
    (its energy when it has no capacity), each potential's share of the municipal area,
    population density, and installed vs potential capacity. Panel only: the remaining capacity
    per installed-capacity column.
    """
    present = {f.column for f in meta}
    pots = potentials(meta)
    out: list[Derived] = []

    with_energy = [(p, p.energy) for p in pots if p.energy]
    if with_energy:
        names_de = " + ".join(p.label[0] for p, _ in with_energy)
        names_en = " + ".join(p.label[1] for p, _ in with_energy)
        biomass_primary = any(p.key == "biomass" and "primary" in energy.column for p, energy in with_energy)
        note_de = f"Summe {names_de}."
        note_en = f"Sum of {names_en}."
        if biomass_primary:
            note_de += " Biomasse als Primärenergie (Median)."
            note_en += " Biomass as primary energy (median)."
        if {"pv_ground", "wind"} <= {p.key for p, _ in with_energy}:
            note_de += " Flächen, die Wind und Freiflächen-PV beide nutzen könnten, zählen in beiden."
            note_en += " Land open to both wind and ground-mounted PV counts in both."
        out.append(Derived(
            id="total_energy", label=("Energiepotenzial gesamt", "Total energy potential"), unit=ENERGY_GWH,
            terms=tuple((energy.column, gwh_factor(energy)) for _, energy in with_energy),
            palette="total", note=(note_de, note_en)))

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

    # installed vs potential, per installed-capacity column (PV: roofs and ground together)
    groups: dict[str, tuple[Quantity, list[Quantity]]] = {}  #: installed column -> (installed, capacities)
    for p in pots:
        if p.capacity and p.installed:
            groups.setdefault(p.installed.column, (p.installed, []))[1].append(p.capacity)
    if groups:
        installed_terms = tuple((q.column, 1.0) for q, _ in groups.values())
        capacity_terms = tuple((cap.column, 1.0) for _, caps in groups.values() for cap in caps)
        names = [(INSTALLED_LABELS.get(c, (c, c))) for c in groups]
        out.append(Derived(
            id="installed_share", label=("Installiert im Verhältnis zum Potenzial", "Installed vs potential"),
            unit="%", terms=installed_terms, per=capacity_terms, scale=100.0, palette="installed",
            note=("Installierte Leistung (" + ", ".join(n[0] for n in names) + ") geteilt durch die Leistung "
                  "der Potenziale; Biomasse hat kein Leistungspotenzial.",
                  "Installed capacity (" + ", ".join(n[1] for n in names) + ") divided by the capacity of the "
                  "potentials; biomass has no capacity potential.")))
        for column, (installed, caps) in groups.items():
            label = INSTALLED_LABELS.get(column, (column, column))
            out.append(Derived(
                id=f"remaining_{column}", label=label, unit=_cap_unit(caps),
                terms=(*((cap.column, 1.0) for cap in caps), (installed.column, -1.0)),
                selectable=False))
    return [d for d in out if d.columns <= present]


# ------------------------------------------------------------------ classes


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
    figures = []
    for d in derived_figures(meta):
        values = d.values(merged)
        item: dict = {
            "id": d.id, "label": {"de": d.label[0], "en": d.label[1]}, "unit": d.unit,
            "selectable": d.selectable,
            "note": {"de": d.note[0], "en": d.note[1]} if d.note else None,
            "values": {a: _json_number(v) for a, v in zip(ags, values, strict=True)},
        }
        if d.selectable:
            classes = quantile_classes(values, PALETTES[d.palette][:N_CLASSES])
            item["classes"] = {"limits": list(classes.limits), "colours": list(classes.colours),
                               "no_data": NO_DATA_COLOUR}
        figures.append(item)
    pots = potentials(meta)
    ids = {f["id"] for f in figures}
    panel = {
        "potentials": [{
            "key": p.key, "label": {"de": p.label[0], "en": p.label[1]},
            "capacity": {"column": p.capacity.column, "unit": p.capacity.unit} if p.capacity else None,
            "energy": {"column": p.energy.column, "unit": p.energy.unit} if p.energy else None,
        } for p in pots],
        "installed": [{"column": q.column, "unit": q.unit,
                       "label": dict(zip(("de", "en"), INSTALLED_LABELS.get(q.column, (q.column, q.column)),
                                         strict=True))}
                      for q in dict.fromkeys(p.installed for p in pots if p.installed)],
        "remaining": [f["id"] for f in figures if f["id"].startswith("remaining_")],
        "total": "total_energy" if "total_energy" in ids else None,
    }
    return FigureConfig(figures=figures, panel=panel)


def values_by_ags(config: FigureConfig) -> Mapping[str, Mapping[str, float | None]]:
    """``{figure id: {ags: value}}`` (for tests and checks)."""
    return {f["id"]: f["values"] for f in config.figures}

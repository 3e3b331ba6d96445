"""The method report: each technology's cascade of the current run beside published figures.

``method_report(store, references_path)`` reads the run's ``cascade_municipalities`` and
``cascade_assumptions``, sums the stages over the county and renders Markdown from the Jinja2
template ``templates/method_report.md.j2``: per technology the stages with their definitions,
the assumptions that drive them (value, range, source) and the reference figures of the region
(``layers/regions/<region>/references.toml``, each with its exact source). Figures of a run on
synthetic stand-ins are labelled synthetic.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

import jinja2
import pandas as pd

from potenzial.cascade import ASSUMPTIONS, STAGES
from potenzial.errors import ConfigError, NotFoundError
from potenzial.results.cascade import CASCADE_MUNICIPALITIES, STAGE_DEFINITIONS, stage_columns
from potenzial.store.base import Store

TECHNOLOGIES = ("solar_roof", "pv_ground", "wind", "biomass")
_TITLES = {"solar_roof": ("Dach-PV", "Roof PV"), "pv_ground": ("Freiflächen-PV", "Open-field PV"),
           "wind": ("Windenergie", "Wind"), "biomass": ("Biomasse", "Biomass")}
_STAGE_TITLES = {"technical": ("technisch", "technical"), "restricted": ("planerisch eingeschränkt", "restricted"),
                 "realisable": ("realisierbar", "realisable")}
_REFERENCE_KEYS = {"technology", "title_de", "title_en", "value", "unit", "scope", "source"}


@dataclass(frozen=True)
class Reference:
    """A published figure with its exact source."""

    technology: str
    title_de: str
    title_en: str
    value: float
    unit: str
    scope: str
    source: str


def load_references(path: Path) -> list[Reference]:
    """The ``[[reference]]`` entries of a region's references.toml (none when the file is missing)."""
    if not path.is_file():
        return []
    try:
        with path.open("rb") as fh:
            entries = tomllib.load(fh).get("reference", [])
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML ({exc}). Fix the syntax at that line.") from None
    out = []
    for i, entry in enumerate(entries, start=1):
        missing = sorted(_REFERENCE_KEYS - set(entry))
        extra = sorted(set(entry) - _REFERENCE_KEYS)
        if missing or extra:
            what = f"lacks {', '.join(missing)}" if missing else f"has unknown key(s) {', '.join(extra)}"
            raise ConfigError(f"{path}: reference {i} {what}; keys: {', '.join(sorted(_REFERENCE_KEYS))}.")
        if entry["technology"] not in TECHNOLOGIES:
            raise ConfigError(f"{path}: reference {i} technology = {entry['technology']!r}; allowed: "
                              f"{', '.join(TECHNOLOGIES)}.")
        out.append(Reference(**{k: entry[k] for k in _REFERENCE_KEYS}))
    return out


def _number(value: float, unit: str = "") -> str:
    """A figure for the report: years as years, shares with three digits, larger figures rounded."""
    if unit == "year":
        return str(int(round(value)))
    if abs(value) < 1:
        return f"{value:.3g}"
    return f"{value:,.1f}" if abs(value) < 100 else f"{value:,.0f}"


def county_stages(cascade: pd.DataFrame) -> dict[str, list[dict]]:
    """Per technology: one row per stage with its county sums (formatted), in the schema's units."""
    out: dict[str, list[dict]] = {t: [] for t in TECHNOLOGIES}
    columns = stage_columns()
    for tech in TECHNOLOGIES:
        for stage in STAGES:
            cells = [(c[0], c[3]) for c in columns if c[1] == tech and c[2] == stage]
            out[tech].append({
                "stage_de": _STAGE_TITLES[stage][0], "stage_en": _STAGE_TITLES[stage][1],
                "values": {col.removeprefix(f"{tech}_{stage}_"): _number(float(cascade[col].sum()))
                           for col, _ in cells},
                "definition": STAGE_DEFINITIONS[(tech, stage)]})
    return out


def _quantities(tech: str) -> list[tuple[str, str]]:
    """(quantity, unit) reported for a technology, over all its stages, in table order."""
    seen: dict[str, str] = {}
    for column, t, stage, unit, _, _ in stage_columns():
        if t == tech:
            seen.setdefault(column.removeprefix(f"{tech}_{stage}_"), unit)
    return list(seen.items())


def method_report(store: Store, references_path: Path) -> str:
    """The Markdown method report of the store's current run."""
    record = store.current_run()
    if record is None:
        raise NotFoundError("the store has no complete run. Run `potenzial run` first.")
    try:
        cascade = store.read(CASCADE_MUNICIPALITIES.name)
        assumptions = store.read("cascade_assumptions")
    except NotFoundError:
        raise NotFoundError(f"run {record.run_id} has no potential cascade (it predates the cascade step). "
                            "Run `potenzial run --only cascade`, then the report again.") from None
    references = load_references(references_path)
    quantity_titles = {"area_ha": "Fläche / area", "capacity_mwp": "Leistung / capacity",
                       "capacity_mw": "Leistung / capacity", "electricity_gwh_per_a": "Strom / electricity",
                       "primary_energy_gwh_per_a": "Primärenergie / primary energy"}
    sections = []
    stages = county_stages(cascade)
    for tech in TECHNOLOGIES:
        rows = assumptions[assumptions["technology"].isin([tech, "all"]) & assumptions["used"].astype(bool)]
        rows = rows[rows["parameter"].isin(list(ASSUMPTIONS))]
        rows = rows.assign(order=rows["parameter"].map(list(ASSUMPTIONS).index)).sort_values("order")
        sections.append({
            "id": tech, "title_de": _TITLES[tech][0], "title_en": _TITLES[tech][1],
            "quantities": [(q, f"{quantity_titles[q]} [{u}]") for q, u in _quantities(tech)],
            "stages": stages[tech],
            "assumptions": [{"title": f"{r.title_de} / {r.title_en}", "parameter": r.parameter,
                             "value": _number(r.value, r.unit),
                             "range": f"{_number(r.low, r.unit)} – {_number(r.high, r.unit)}",
                             "central": _number(r.central, r.unit), "unit": r.unit, "source": r.source}
                            for r in rows.itertuples()],
            "references": [r for r in references if r.technology == tech],
        })
    horizon = int(cascade["horizon_year"].iloc[0]) if len(cascade) else None
    env = jinja2.Environment(loader=jinja2.PackageLoader("potenzial.serving", "templates"), autoescape=False,
                             trim_blocks=True, lstrip_blocks=True, undefined=jinja2.StrictUndefined,
                             keep_trailing_newline=True)
    return env.get_template("method_report.md.j2").render(
        record=record, horizon=horizon, municipalities=len(cascade), sections=sections,
        synthetic=sorted(record.synthetic_inputs), number=_number)

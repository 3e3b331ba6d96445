"""The method report: each technology's cascade of the current run beside published figures.

``method_report(store, references_path)`` reads the run's ``cascade_municipalities`` and
``cascade_assumptions``, sums the stages over the county and renders Markdown from the Jinja2
template ``templates/method_report.md.j2``: per technology the stages with their definitions,
the assumptions that drive them (value, range, source) and the reference figures of the region
(``layers/regions/<region>/references.toml``, each with its exact source). Figures of a run on
synthetic stand-ins are labelled synthetic.

Then the electricity use per horizon from the run's ``demand_horizons`` and ``demand_municipalities``:
today's use, the heat-pump and e-mobility add-ons at the parameter file's shares, the use with them and
its coverage by the realisable electricity (county sums; titles and units from the demand schemas), and
the factors of ``[demand.add_ons]`` with their ranges and sources when the caller passes that section.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
import pandas as pd

from potenzial.cascade import ASSUMPTIONS, STAGES
from potenzial.errors import ConfigError, NotFoundError
from potenzial.results.cascade import CASCADE_MUNICIPALITIES, STAGE_DEFINITIONS, stage_columns
from potenzial.results.demand import DEMAND_HORIZONS, DEMAND_MUNICIPALITIES
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


#: the per-horizon county sums of the electricity section: (column, schema it is declared in)
USE_COLUMNS = (("electricity_use_mwh_el_per_a", DEMAND_MUNICIPALITIES), ("heat_pump_share_pct", DEMAND_HORIZONS),
               ("heat_pump_electricity_mwh_el_per_a", DEMAND_HORIZONS), ("ev_share_pct", DEMAND_HORIZONS),
               ("ev_electricity_mwh_el_per_a", DEMAND_HORIZONS),
               ("electricity_use_with_add_ons_mwh_el_per_a", DEMAND_HORIZONS),
               ("electricity_potential_mwh_el_per_a", DEMAND_MUNICIPALITIES),
               ("electricity_coverage_with_add_ons_pct", DEMAND_HORIZONS))
_SHARES = ("heat_pump_share_pct", "ev_share_pct")  #: the same in every municipality: not summed


def electricity_use_rows(horizons: pd.DataFrame, municipalities: pd.DataFrame) -> list[dict[str, str]]:
    """Per horizon: the county's use today, the add-ons, the use with them, the realisable electricity and
    the coverage (formatted); empty for a run without the add-ons."""
    if "electricity_use_with_add_ons_mwh_el_per_a" not in horizons.columns or \
            horizons["electricity_use_with_add_ons_mwh_el_per_a"].isna().all():
        return []
    today = float(municipalities["electricity_use_mwh_el_per_a"].sum())
    potential = float(municipalities["electricity_potential_mwh_el_per_a"].sum())
    rows = []
    for year, group in horizons.groupby("horizon_year", sort=True):
        use = float(group["electricity_use_with_add_ons_mwh_el_per_a"].sum())
        values = {"electricity_use_mwh_el_per_a": today, "electricity_potential_mwh_el_per_a": potential,
                  "electricity_coverage_with_add_ons_pct": 100.0 * potential / use if use > 0 else float("nan"),
                  **{c: float(group[c].iloc[0]) for c in _SHARES},
                  **{c: float(group[c].sum()) for c in ("heat_pump_electricity_mwh_el_per_a",
                                                        "ev_electricity_mwh_el_per_a",
                                                        "electricity_use_with_add_ons_mwh_el_per_a")}}
        rows.append({"year": str(int(year)), **{c: _number(v) for c, v in values.items()}})
    return rows


def add_on_assumptions(section: Mapping[str, Any]) -> list[dict[str, str]]:
    """The factors of ``[demand.add_ons]`` (value, range, source), in the file's order."""
    out = []
    for key, value in section.items():
        if key.endswith(("_low", "_high", "_source")) or not isinstance(value, (int, float)):
            continue
        out.append({"parameter": key, "value": _number(float(value)),
                    "range": f"{_number(float(section[f'{key}_low']))} – {_number(float(section[f'{key}_high']))}",
                    "source": str(section.get(f"{key}_source", ""))})
    return out


def _title(column: str, schema: Any) -> str:
    title, unit = schema.column_title(column), schema.column_unit(column)
    return f"{title['de']} / {title['en']} [{unit['en']}]"


def method_report(store: Store, references_path: Path, add_ons: Mapping[str, Any] | None = None) -> str:
    """The Markdown method report of the store's current run; ``add_ons``: the ``[demand.add_ons]`` section of
    the parameter set, whose factors the electricity section lists."""
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
    try:
        use_rows = electricity_use_rows(store.read(DEMAND_HORIZONS.name), store.read(DEMAND_MUNICIPALITIES.name))
    except NotFoundError:
        use_rows = []
    env = jinja2.Environment(loader=jinja2.PackageLoader("potenzial.serving", "templates"), autoescape=False,
                             trim_blocks=True, lstrip_blocks=True, undefined=jinja2.StrictUndefined,
                             keep_trailing_newline=True)
    return env.get_template("method_report.md.j2").render(
        record=record, horizon=horizon, municipalities=len(cascade), sections=sections,
        synthetic=sorted(record.synthetic_inputs), number=_number, use_rows=use_rows,
        use_columns=[(c, _title(c, schema)) for c, schema in USE_COLUMNS],
        add_ons=add_on_assumptions(add_ons) if add_ons else [])

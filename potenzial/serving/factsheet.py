"""A printable fact sheet of one municipality: one self-contained HTML page (no scripts, no CDN),
rendered from the Jinja2 template ``templates/factsheet.html.j2``; its map and charts are inline
SVG drawn here."""

from __future__ import annotations

import html
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import SupportsFloat

import jinja2
import numpy as np
import shapely
from markupsafe import Markup
from shapely.geometry.base import BaseGeometry

from potenzial.results.headline import (
    ELECTRICITY_PARTS,
    HEADLINE,
    HEAT_NOTE,
    PRECEDENCE_TITLES,
    STAGE_TITLES,
    USE_BASIS_TITLES,
)
from potenzial.results.quality import QUALITY
from potenzial.results.quality import TECHNOLOGIES as GRADED
from potenzial.serving.figures import Figure

#: the four potentials: result-table prefix, title, the installed-capacity column it compares with
POTENTIALS = (
    ("solar_roof", "Solar on roofs", "roof_installed_mw"),
    ("pv_ground", "Ground-mounted PV", "pv_ground_installed_2015_mwp"),
    ("wind", "Wind", "wind_installed_mw"),
    ("biomass", "Biomass", "biomass_installed_mw"),
)
CAPACITY_UNITS = ("MW", "MWp")
MAP_WIDTH_PX = 640
MAP_MAX_FEATURES = 4000
MAP_COLOURS = {"focus": "#fdd49e", "neighbour": "#eeeeee", "outline": "#444444"}
CHART_COLOURS = {"installed": "#636363", "potential": "#1b9e77"}
#: the headline figures the sheet lists first, in this order (titles and units: potenzial.results.headline)
HEADLINE_ROWS = ("electricity_potential_gwh_per_a", "heat_potential_gwh_per_a", "electricity_use_gwh_per_a",
                 "electricity_potential_to_use_pct", "electricity_land_ha")
#: open-field PV capacity without the land wind takes (the capacity under the wind-first rule)
PV_GROUND_WIND_FIRST_MWP = "pv_ground_capacity_wind_first_mwp"


@dataclass
class MapLayer:
    title: str
    colour: str
    geoms: list = field(default_factory=list)  #: EPSG:25833 geometries inside the municipality


@dataclass
class FactSheet:
    """Everything the page shows (all read and clipped by the caller)."""

    ags: str
    name: str
    figures: dict[str, object]  #: merged figures of this municipality
    figure_meta: list[Figure]
    area: BaseGeometry  #: the municipality, EPSG:25833
    neighbours: list[BaseGeometry]
    layers: list[MapLayer]
    run: dict[str, object]  #: run_id, finished_at, params_hash, code_version, synthetic_inputs
    sources: list[dict[str, str]]  #: title, provenance, licence, attribution


def format_value(value: object, unit: str = "") -> str:
    """``value`` with its unit, as the sheet shows it (plain text: escaping is the caller's)."""
    if value is None or (isinstance(value, float) and not np.isfinite(value)):
        return "–"
    if isinstance(value, float):
        text = f"{value:,.1f}" if abs(value) >= 10 else f"{value:,.2f}"
    elif isinstance(value, int):
        text = f"{value:,}"
    else:
        text = str(value)
    return f"{text} {unit}".strip()


def _number(value: object) -> float | None:
    """``value`` as a float, None when it is no number."""
    return float(value) if isinstance(value, SupportsFloat) and not isinstance(value, str) else None


def potential_figures(sheet: FactSheet, prefix: str) -> list[Figure]:
    return [f for f in sheet.figure_meta if f.table.startswith(prefix) and f.table != "municipalities"
            and f.source_column != "ags"]


def capacity_of(sheet: FactSheet, figures: list[Figure]) -> float | None:
    """The potential's capacity [MW]: the first figure in MW/MWp that is not installed capacity."""
    for f in figures:
        if f.numeric and "installed" not in f.column and (
                f.unit in CAPACITY_UNITS or f.column.endswith(("_mw", "_mwp"))):
            return _number(sheet.figures.get(f.column))
    return None


# ------------------------------------------------------------------ SVG


def _path(geom: BaseGeometry, to_px: Callable[[np.ndarray], np.ndarray]) -> str:
    parts = []
    for poly in shapely.get_parts(geom):
        if poly.geom_type == "Polygon":
            for ring in (poly.exterior, *poly.interiors):
                xy = to_px(np.asarray(ring.coords))
                parts.append("M" + "L".join(f"{x:.1f},{y:.1f}" for x, y in xy) + "Z")
        elif poly.geom_type == "LineString":
            xy = to_px(np.asarray(poly.coords))
            parts.append("M" + "L".join(f"{x:.1f},{y:.1f}" for x, y in xy))
    return "".join(parts)


def map_svg(sheet: FactSheet) -> str:
    """The municipality, its neighbours and its potential layers, north up, EPSG:25833 scaled."""
    minx, miny, maxx, maxy = sheet.area.bounds
    pad = 0.05 * max(maxx - minx, maxy - miny, 1.0)
    minx, miny, maxx, maxy = minx - pad, miny - pad, maxx + pad, maxy + pad
    scale = MAP_WIDTH_PX / (maxx - minx)
    height = max(1, int(round((maxy - miny) * scale)))
    tolerance = 1.0 / scale  # one pixel [m]

    def to_px(xy: np.ndarray) -> np.ndarray:
        return np.column_stack(((xy[:, 0] - minx) * scale, (maxy - xy[:, 1]) * scale))

    frame = shapely.box(minx, miny, maxx, maxy)
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {MAP_WIDTH_PX} {height}" '
           f'width="{MAP_WIDTH_PX}" height="{height}" role="img" aria-label="Map of {html.escape(sheet.name)}">',
           f'<rect width="{MAP_WIDTH_PX}" height="{height}" fill="#ffffff"/>']
    for geom in sheet.neighbours:
        clipped = shapely.intersection(geom, frame).simplify(tolerance)
        if not clipped.is_empty:
            out.append(f'<path d="{_path(clipped, to_px)}" fill="{MAP_COLOURS["neighbour"]}" stroke="#bbbbbb" '
                       'stroke-width="0.6" fill-rule="evenodd"/>')
    out.append(f'<path d="{_path(sheet.area.simplify(tolerance), to_px)}" fill="{MAP_COLOURS["focus"]}" '
               f'stroke="{MAP_COLOURS["outline"]}" stroke-width="1.5" fill-rule="evenodd"/>')
    drawn = 0
    # large-area layers first, so that small features stay visible on top of them
    def covered(layer: MapLayer) -> float:
        return float(sum(g.area for g in layer.geoms))

    for layer in sorted(sheet.layers, key=covered, reverse=True):
        for geom in layer.geoms:
            if drawn >= MAP_MAX_FEATURES:
                break
            drawn += 1
            kind = geom.geom_type.removeprefix("Multi")
            if kind == "Point":
                for p in shapely.get_parts(geom):
                    x, y = to_px(np.asarray([[p.x, p.y]]))[0]
                    out.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2.5" fill="{layer.colour}" stroke="#333" '
                               'stroke-width="0.4"/>')
            elif kind == "LineString":
                out.append(f'<path d="{_path(geom.simplify(tolerance), to_px)}" fill="none" stroke="{layer.colour}" '
                           'stroke-width="1.2"/>')
            else:
                simple = geom.simplify(tolerance)
                if not simple.is_empty:
                    out.append(f'<path d="{_path(simple, to_px)}" fill="{layer.colour}" fill-opacity="0.55" '
                               'stroke="none" fill-rule="evenodd"/>')
    # scale bar: a round length near a fifth of the width
    target = (maxx - minx) / 5
    bar = 10 ** np.floor(np.log10(target))
    bar = next(b for b in (5 * bar, 2 * bar, bar) if b <= target)
    bar_px = bar * scale
    label = f"{bar / 1000:g} km" if bar >= 1000 else f"{bar:g} m"
    out.append(f'<g transform="translate(12,{height - 16})"><rect width="{bar_px:.1f}" height="5" fill="#333"/>'
               f'<text x="0" y="-4" font-size="11" font-family="sans-serif">{label}</text></g>')
    out.append(f'<text x="{MAP_WIDTH_PX - 10}" y="18" font-size="13" font-family="sans-serif" '
               'text-anchor="end">N ↑</text>')
    out.append("</svg>")
    return "".join(out)


def bar_chart_svg(title: str, unit: str, rows: Sequence[tuple[str, float | None, float | None]],
                  with_installed: bool = True) -> str:
    """Grouped horizontal bars: per row (label, installed, potential) in ``unit``."""
    series = ("installed", "potential") if with_installed else ("potential",)
    row_h, label_w, chart_w = 10 + 18 * len(series), 150, 380
    values = [v for _, a, b in rows for v in (a, b) if v is not None and np.isfinite(v)]
    top = max(values) if values and max(values) > 0 else 1.0
    height = 40 + row_h * len(rows) + 20
    width = label_w + chart_w + 170
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
           f'width="{width}" height="{height}" role="img" aria-label="{html.escape(title)}">',
           f'<text x="0" y="16" font-size="14" font-weight="bold" font-family="sans-serif">{html.escape(title)} '
           f'[{html.escape(unit)}]</text>']
    for i, (label, installed, potential) in enumerate(rows):
        y = 34 + i * row_h
        out.append(f'<text x="0" y="{y + 20}" font-size="12" font-family="sans-serif">{html.escape(label)}</text>')
        pairs = (("installed", installed), ("potential", potential))
        for j, (kind, value) in enumerate(p for p in pairs if p[0] in series):
            if value is None or not np.isfinite(value):
                text, bar_px = "not computed", 0.0
            else:
                text, bar_px = html.escape(format_value(float(value), unit)), max(0.0, float(value)) / top * chart_w
            by = y + j * 18
            out.append(f'<rect x="{label_w}" y="{by}" width="{bar_px:.1f}" height="15" '
                       f'fill="{CHART_COLOURS[kind]}"><title>{kind}</title></rect>')
            out.append(f'<text x="{label_w + bar_px + 4:.1f}" y="{by + 12}" font-size="11" '
                       f'font-family="sans-serif">{kind}: {text}</text>')
    out.append("</svg>")
    return "".join(out)


# ------------------------------------------------------------------ page


@lru_cache(maxsize=1)
def templates() -> jinja2.Environment:
    """The fact sheet's templates (``potenzial/serving/templates``), HTML-escaped."""
    env = jinja2.Environment(loader=jinja2.PackageLoader("potenzial.serving", "templates"), autoescape=True,
                             trim_blocks=True, lstrip_blocks=True, undefined=jinja2.StrictUndefined)
    env.filters["value"] = format_value
    return env


def _run_text(run: Mapping[str, object]) -> dict[str, object]:
    synthetic = run.get("synthetic_inputs") or ()
    texts: dict[str, object] = {key: str(run.get(key, "")) for key in
                                ("run_id", "finished_at", "params_hash", "code_version")}
    texts["synthetic_inputs"] = [str(s) for s in synthetic] if isinstance(synthetic, list | tuple) else []
    return texts


def headline_of(sheet: FactSheet) -> dict[str, object] | None:
    """The headline rows (German and English title, value with unit), the stage, the precedence rule and
    where the electricity use comes from; None when the run has no headline figures."""
    units = dict(HEADLINE.units)
    present = {f.column for f in sheet.figure_meta if f.table == HEADLINE.name}
    rows = [{"column": c, **HEADLINE.column_title(c), "value": format_value(sheet.figures.get(c), units[c])}
            for c in HEADLINE_ROWS if c in present]
    if not rows:
        return None
    stage = STAGE_TITLES.get(str(sheet.figures.get("stage")), STAGE_TITLES["restricted"])
    rule = PRECEDENCE_TITLES.get(str(sheet.figures.get("precedence")), PRECEDENCE_TITLES["wind_first"])
    basis = USE_BASIS_TITLES.get(str(sheet.figures.get("electricity_use_basis")), USE_BASIS_TITLES["estimate"])
    return {"rows": rows, "stage": stage, "precedence": rule, "use_basis": basis, "heat_note": HEAT_NOTE}


#: the four potentials' names (German, English), by result-table prefix: the sheet, the map and the panel
POTENTIAL_LABELS: dict[str, tuple[str, str]] = {
    "solar_roof": ("Dach-PV", "Rooftop PV"),
    "pv_ground": ("Freiflächen-PV", "Ground-mounted PV"),
    "wind": ("Wind", "Wind"),
    "biomass": ("Biomasse", "Biomass"),
}


def quality_of(sheet: FactSheet) -> list[dict[str, str]]:
    """Per graded technology of this municipality: its name, the grade's title and the reason, German
    and English (the grades' titles are declared once in :data:`potenzial.results.quality.QUALITY`)."""
    classes = dict(QUALITY.classes)
    rows = []
    for tech in GRADED:
        code = sheet.figures.get(f"{tech}_grade")
        if not isinstance(code, str) or not code:
            continue
        grade = next((c for c in classes[f"{tech}_grade"] if c.code == code), None)
        if grade is None:
            continue
        de, en = POTENTIAL_LABELS[tech]
        rows.append({"tech_de": de, "tech_en": en, "code": code, "title_de": grade.title_de,
                     "title_en": grade.title_en,
                     "reason_de": str(sheet.figures.get(f"{tech}_grade_reason_de") or ""),
                     "reason_en": str(sheet.figures.get(f"{tech}_grade_reason_en") or "")})
    return rows


def factsheet_html(sheet: FactSheet) -> str:
    """The fact sheet page (UTF-8 HTML, self-contained): the headline figures (electricity and heat
    apart), the potentials, installed vs potential like with like, the base figures and the sources."""
    potentials, capacity_rows, energy_rows = [], [], []
    wind_first = str(sheet.figures.get("precedence", "wind_first")) == "wind_first"
    for prefix, title, installed_col in POTENTIALS:
        figs = potential_figures(sheet, prefix)
        installed = sheet.figures.get(installed_col)
        potentials.append({"title": title, "figures": figs})
        capacity = capacity_of(sheet, figs) if figs else None
        if prefix == "pv_ground" and wind_first and PV_GROUND_WIND_FIRST_MWP in sheet.figures:
            capacity = _number(sheet.figures.get(PV_GROUND_WIND_FIRST_MWP))
        capacity_rows.append((title, float(installed) if isinstance(installed, int | float) else None, capacity))
        energy_rows.append((title, None, _number(sheet.figures.get(ELECTRICITY_PARTS[prefix]))))
    charts = [bar_chart_svg("Capacity", "MW", capacity_rows),
              bar_chart_svg("Electricity of the potential", "GWh_el/a", energy_rows, with_installed=False)]
    base = [f for f in sheet.figure_meta if f.table == "municipalities" and f.column not in ("ags", "name")]
    others = [f for f in sheet.figure_meta if f.table not in ("municipalities", HEADLINE.name, QUALITY.name)
              and not any(f.table.startswith(p) for p, _, _ in POTENTIALS)]
    return templates().get_template("factsheet.html.j2").render(
        sheet=sheet, run=_run_text(sheet.run), map_svg=Markup(map_svg(sheet)), headline=headline_of(sheet),
        quality=quality_of(sheet),
        potentials=potentials, charts=[Markup(c) for c in charts], base_figures=base, other_figures=others,
    )

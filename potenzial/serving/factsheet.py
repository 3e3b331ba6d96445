"""The fact sheet of a municipality or a group of municipalities (the county: all of them), in German
(default) or English, as one self-contained HTML page (no script, no CDN) or as an A4 PDF.

Page 1: the headline (electricity and heat potential against use, installed against potential, what
is still open, the wind area targets' gap) with charts; then one page per technology with its own map
and its cascade (technical ≥ restricted ≥ realisable); the sources, compact, on the last page. The
synthetic-data warning runs in every page's header. Presentation is the Jinja2 template
``templates/factsheet.html.j2``; maps and charts are inline SVG (:mod:`~potenzial.serving.sheet_map`,
:mod:`~potenzial.serving.charts`); the PDF is WeasyPrint's rendering of the same page.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any, Literal

import jinja2
from markupsafe import Markup

from potenzial.errors import NotFoundError
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
from potenzial.serving.charts import COLOURS, Bar, Segment, bar_chart_svg
from potenzial.serving.figures import Figure
from potenzial.serving.sheet_data import TECHNOLOGIES, SheetData
from potenzial.serving.sheet_map import attribution_of, sheet_map_svg
from potenzial.serving.sheet_monitoring import monitoring_caption, monitoring_chart_svg
from potenzial.serving.sheet_texts import Lang, check_lang, column_label, column_unit, format_value, text

#: the four potentials: result-table prefix, title, the installed-capacity column it compares with
POTENTIALS = (
    ("solar_roof", "Solar on roofs", "roof_installed_mw"),
    ("pv_ground", "Ground-mounted PV", "pv_ground_installed_2015_mwp"),
    ("wind", "Wind", "wind_installed_mw"),
    ("biomass", "Biomass", "biomass_installed_mw"),
)
#: the four potentials' names (German, English), by result-table prefix: the sheet, the map and the panel
POTENTIAL_LABELS: dict[str, tuple[str, str]] = {
    "solar_roof": ("Dach-PV", "Rooftop PV"),
    "pv_ground": ("Freiflächen-PV", "Ground-mounted PV"),
    "wind": ("Wind", "Wind"),
    "biomass": ("Biomasse", "Biomass"),
}
#: open-field PV capacity without the land wind takes (the capacity under the wind-first rule)
PV_GROUND_WIND_FIRST_MWP = "pv_ground_capacity_wind_first_mwp"
#: each technology's potential capacity (restricted stage; open-field PV under wind-first: PV_GROUND_WIND_FIRST_MWP)
CAPACITY = {"solar_roof": "roof_capacity_mwp", "pv_ground": "pv_ground_capacity_mwp", "wind": "wind_capacity_mw"}
#: the headline figures page 1 lists, in this order
HEADLINE_ROWS = ("electricity_potential_gwh_per_a", "electricity_use_gwh_per_a", "electricity_potential_to_use_pct",
                 "heat_potential_gwh_per_a", "heat_coverage_pct", "electricity_land_ha",
                 "roof_remaining_mwp", "pv_ground_remaining_mwp")
#: the figures each technology's page lists besides its cascade (those whose schema declares a title)
KEY_FIGURES: dict[str, tuple[str, ...]] = {
    "solar_roof": ("roof_buildings", "roof_suitable_buildings", "roof_capacity_mwp", "roof_yield_gwh_per_a",
                   "roof_installed_mw", "roof_remaining_mwp", "roof_listed_buildings"),
    "pv_ground": ("pv_ground_area_ha", "pv_ground_capacity_mwp", "pv_ground_yield_gwh_per_a",
                  "pv_ground_wind_overlap_ha", "pv_ground_area_wind_first_ha", "pv_ground_installed_2015_mwp",
                  "pv_ground_remaining_mwp"),
    "wind": ("wind_area_ha", "wind_area_share_pct", "wind_turbines", "wind_capacity_mw", "wind_yield_gwh_per_a",
             "wind_full_load_hours", "wind_installed_mw", "electricity_wind_gwh_per_a"),
    "biomass": ("biomass_primary_energy_mwh_per_a_p50", "biomass_electricity_mwh_per_a_p50",
                "biomass_heat_mwh_per_a_p50", "biomass_installed_mw", "electricity_biomass_gwh_per_a"),
}
STAGES = ("technical", "restricted", "realisable")
#: the quantity of each technology's cascade chart (a suffix of the cascade columns)
CASCADE_ENERGY = {"solar_roof": "electricity_gwh_per_a", "pv_ground": "electricity_gwh_per_a",
                  "wind": "electricity_gwh_per_a", "biomass": "primary_energy_gwh_per_a"}
CASCADE_TABLE = "cascade_municipalities"
REASON_CHARS = 320  #: the longest grade reason a technology's page shows [characters]
Format = Literal["html", "pdf"]
PDF_MEDIA_TYPE = "application/pdf"
HTML_MEDIA_TYPE = "text/html; charset=utf-8"


def _pair(pair: tuple[str, str], lang: Lang) -> str:
    return pair[0] if lang == "de" else pair[1]


def tech_name(tech: str, lang: Lang) -> str:
    return _pair(POTENTIAL_LABELS[tech], lang)


class _Figures:
    """Lookups into a sheet's figures: value, title and unit of a column, in the sheet's language."""

    def __init__(self, sheet: SheetData, lang: Lang) -> None:
        self.sheet, self.lang = sheet, lang
        self.meta: dict[str, Figure] = {f.column: f for f in sheet.figure_meta}

    def number(self, column: str) -> float | None:
        value = self.sheet.figures.get(column)
        return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None

    def unit(self, column: str) -> str:
        f = self.meta.get(column)
        return column_unit(f.table, f.source_column, self.lang) if f else ""

    def row(self, column: str) -> dict[str, str] | None:
        """{label, value, column} of a figure with a declared title and a value; None otherwise."""
        f = self.meta.get(column)
        if f is None or self.sheet.figures.get(column) is None:
            return None
        label = column_label(f.table, f.source_column, self.lang)
        if label is None:
            return None
        return {"column": column, "label": label,
                "value": format_value(self.sheet.figures.get(column), self.unit(column), self.lang)}


def _capacity_column(sheet: SheetData, tech: str) -> str | None:
    if tech == "pv_ground" and str(sheet.figures.get("precedence", "wind_first")) == "wind_first" \
            and PV_GROUND_WIND_FIRST_MWP in sheet.figures and "electricity_wind_gwh_per_a" in sheet.figures:
        return PV_GROUND_WIND_FIRST_MWP
    return CAPACITY.get(tech)


def charts(sheet: SheetData, lang: Lang) -> list[Markup]:
    """Page 1's charts: electricity potential by technology against use; heat potential; installed against
    potential capacity per technology (like with like)."""
    figs = _Figures(sheet, lang)
    out = []
    parts = tuple(Segment(tech_name(t, lang), figs.number(ELECTRICITY_PARTS[t]), COLOURS[t]) for t in TECHNOLOGIES
                  if ELECTRICITY_PARTS[t] in figs.meta)
    if parts:
        use = figs.number("electricity_use_gwh_per_a")
        out.append(bar_chart_svg(text("electricity_chart", lang), "GWh_el/a", [
            Bar(text("potential", lang).capitalize(), parts),
            Bar(text("use", lang).capitalize(), (Segment(text("use", lang), use, COLOURS["use"]),))], lang,
            legend=True))
    heat = figs.number("heat_potential_gwh_per_a")
    if heat is not None:
        out.append(bar_chart_svg(text("heat_chart", lang), "GWh_th/a", [
            Bar(tech_name("biomass", lang), (Segment(tech_name("biomass", lang), heat, COLOURS["biomass"]),))], lang))
    bars = []
    for tech, _, installed_col in POTENTIALS:
        cap = _capacity_column(sheet, tech)
        name = tech_name(tech, lang)
        bars.append(Bar(f"{name}: {text('installed', lang)}",
                        (Segment(text("installed", lang), figs.number(installed_col), COLOURS["installed"]),)))
        bars.append(Bar(f"{name}: {text('potential', lang)}",
                        (Segment(text("potential", lang), figs.number(cap) if cap else None, COLOURS["potential"]),)))
    out.append(bar_chart_svg(text("capacity_chart", lang), "MW", bars, lang))
    return [Markup(svg) for svg in out]


def monitoring(sheet: SheetData, lang: Lang) -> dict[str, Markup | str] | None:
    """Page 1's monitoring figure (installed over time against the potential and the Leitbild's target, with
    the gap) and its caption; None while the store holds no snapshot."""
    if sheet.monitoring is None:
        return None
    return {"svg": Markup(monitoring_chart_svg(sheet.monitoring, lang)),
            "caption": monitoring_caption(sheet.monitoring, lang)}


def headline(sheet: SheetData, lang: Lang) -> dict[str, object]:
    """Page 1's figures (with titles from the result schemas), the target gaps and the notes."""
    figs = _Figures(sheet, lang)
    rows = [r for r in (figs.row(c) for c in HEADLINE_ROWS) if r is not None]
    for target in sheet.wind_targets:
        rows.append({"column": "wind_target_gap", "label": f"{text('target_gap', lang)} {target['law']} "
                     f"{str(target['deadline'])[:4]}: {text('gap_short', lang)}",
                     "value": format_value(target["gap_ha"], "ha", lang)})
    value = sheet.figures.get
    stage = _pair(STAGE_TITLES.get(str(value("stage")), STAGE_TITLES["restricted"]), lang)
    notes = [text("never_added", lang), f"{text('stage', lang)}: {stage}.",
             _pair(PRECEDENCE_TITLES.get(str(value("precedence")), PRECEDENCE_TITLES["wind_first"]), lang) + ".",
             _pair(HEAT_NOTE, lang),
             f"{HEADLINE.column_title('electricity_use_basis')[lang]}: "
             f"{_pair(USE_BASIS_TITLES.get(str(value('electricity_use_basis')), USE_BASIS_TITLES['estimate']), lang)}."]
    return {"rows": rows, "notes": notes}


def quality(sheet: SheetData, lang: Lang) -> list[dict[str, str]]:
    """Per graded technology: its name, the grade's declared title and the reason (a municipality's only)."""
    classes = dict(QUALITY.classes)
    rows = []
    for tech in GRADED:
        code = sheet.figures.get(f"{tech}_grade")
        grade = next((c for c in classes[f"{tech}_grade"] if c.code == code), None) if isinstance(code, str) else None
        if grade is None:
            continue
        rows.append({"code": grade.code, "key": tech, "tech": tech_name(tech, lang),
                     "title": grade.title_de if lang == "de" else grade.title_en,
                     "reason": short_reason(str(sheet.figures.get(f"{tech}_grade_reason_{lang}") or ""), lang)})
    return rows


def short_reason(reason: str, lang: Lang, max_chars: int = REASON_CHARS) -> str:
    """A grade's reason, its ``; ``-separated parts as far as they fit ``max_chars``; the rest is named by the
    sources on the last page."""
    kept: list[str] = []
    for part in reason.split("; "):
        if kept and sum(len(k) + 2 for k in kept) + len(part) > max_chars:
            return "; ".join(kept) + f"; … ({text('see_sources', lang)})"
        kept.append(part)
    return "; ".join(kept)


def technology_pages(sheet: SheetData, lang: Lang) -> list[dict[str, Any]]:
    """One page per technology: map, cascade chart and rows, further figures, targets (wind)."""
    figs = _Figures(sheet, lang)
    grades = quality(sheet, lang)
    pages = []
    for tech in TECHNOLOGIES:
        name = tech_name(tech, lang)
        caption = f"{text('map_of', lang)}: {name} – {sheet.title}"
        layers = sheet.layers.get(tech, [])
        svg = sheet_map_svg(sheet.area, sheet.members, sheet.neighbours, layers, caption, lang)
        stage_cols = [f"{tech}_{stage}_{CASCADE_ENERGY[tech]}" for stage in STAGES]
        cascade_chart = None
        if all(c in figs.meta for c in stage_cols):
            unit = figs.unit(stage_cols[0])
            cascade_chart = bar_chart_svg(f"{text('cascade', lang)}: {name}", unit, [
                Bar(_pair(STAGE_TITLES[stage], lang), (Segment(_pair(STAGE_TITLES[stage], lang), figs.number(c),
                                                               COLOURS[stage]),))
                for stage, c in zip(STAGES, stage_cols, strict=True)], lang)
        cascade_rows = [r for r in (figs.row(f.column) for f in sheet.figure_meta
                                    if f.table == CASCADE_TABLE and f.column.startswith(f"{tech}_")) if r]
        further = [r for r in (figs.row(c) for c in KEY_FIGURES[tech]) if r is not None]
        pages.append({"tech": tech, "name": name, "map": Markup(svg), "caption": caption,
                      "attribution": attribution_of(sheet.boundary_attribution, layers, lang),
                      "cascade_chart": Markup(cascade_chart) if cascade_chart else None,
                      "cascade_rows": cascade_rows, "figures": further,
                      "targets": _targets(sheet, lang) if tech == "wind" else [],
                      "quality": [q for q in grades if q["key"] == tech]})
    return pages


def _targets(sheet: SheetData, lang: Lang) -> list[dict[str, str]]:
    return [{"title": f"{t['law']} {str(t['deadline'])[:4]}", "scope": str(t["scope"]), "source": str(t["title"]),
             "target_share": format_value(t["target_share_pct"], "%", lang),
             "share_now": format_value(t["share_now_pct"], "%", lang),
             "gap": format_value(t["gap_ha"], "ha", lang)} for t in sheet.wind_targets]


def sources(sheet: SheetData, lang: Lang) -> list[dict[str, str]]:
    """The sources, compact: the data sets that share a licence and an attribution in one row."""
    grouped: dict[tuple[str, str, str], list[str]] = {}
    for s in sheet.sources:
        key = (s.get("licence", ""), s.get("attribution", ""), s.get("provenance", ""))
        grouped.setdefault(key, []).append(s.get("title", ""))
    return [{"titles": "; ".join(dict.fromkeys(t for t in titles if t)), "licence": licence,
             "attribution": attribution, "provenance": text("synthetic" if prov == "synthetic" else "real", lang)}
            for (licence, attribution, prov), titles in sorted(grouped.items(), key=lambda kv: kv[0][2] == "synthetic")]


def _synthetic_titles(sheet: SheetData) -> list[str]:
    titles = {s.get("layer_id", ""): s.get("title", "") for s in sheet.sources}
    inputs = sheet.run.get("synthetic_inputs")
    return [titles.get(str(i)) or str(i) for i in inputs] if isinstance(inputs, list | tuple) else []


def css_string(value: str) -> Markup:
    """``value`` as a quoted CSS string (for the print header and footer)."""
    escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("<", "\\3C ").replace("\n", " ")
    return Markup(f'"{escaped}"')


@lru_cache(maxsize=1)
def templates() -> jinja2.Environment:
    """The fact sheet's templates (``potenzial/serving/templates``), HTML-escaped."""
    return jinja2.Environment(loader=jinja2.PackageLoader("potenzial.serving", "templates"), autoescape=True,
                              trim_blocks=True, lstrip_blocks=True, undefined=jinja2.StrictUndefined)


def factsheet_html(sheet: SheetData, lang: str = "de") -> str:
    """The fact sheet page (UTF-8 HTML, self-contained) in ``lang`` (de, en)."""
    lang = check_lang(lang)
    synthetic = _synthetic_titles(sheet)
    subtitle = (f"{text('group', lang)} {len(sheet.ags)} {text('municipalities', lang)}" if sheet.is_group
                else f"{text('municipality', lang)} · AGS {sheet.ags[0]}")
    warning = text("warning", lang) if synthetic else ""
    run = {k: str(sheet.run.get(k, "")) for k in ("run_id", "finished_at", "params_hash", "code_version")}
    return templates().get_template("factsheet.html.j2").render(
        lang=lang, t=lambda key: text(key, lang), sheet=sheet, subtitle=subtitle, run=run,
        synthetic=synthetic, warning=warning,
        warning_inputs=text("warning_inputs", lang).format(n=len(synthetic), m=len(sheet.sources)),
        header_css=css_string(f"{warning} · {sheet.title}" if warning else sheet.title),
        footer_css=css_string(f"{text('sheet', lang)} · {text('run', lang)} {run['run_id']}"),
        page_word=css_string(f"{text('page', lang)} "), of_word=css_string(f" {text('of', lang)} "),
        headline=headline(sheet, lang), charts=charts(sheet, lang), monitoring=monitoring(sheet, lang),
        pages=technology_pages(sheet, lang), sources=sources(sheet, lang),
        other_lang="en" if lang == "de" else "de",
    )


def html_to_pdf(page: str) -> bytes:
    """The PDF of a fact sheet page (WeasyPrint; the page has no external resources)."""
    import weasyprint

    return weasyprint.HTML(string=page, base_url=None).write_pdf()


def render_factsheet(sheet: SheetData, fmt: str = "html", lang: str = "de") -> bytes:
    """The fact sheet of ``sheet`` as bytes: ``fmt`` html (UTF-8) or pdf (A4), ``lang`` de or en;
    NotFoundError naming the choices for another format or language."""
    if fmt not in ("html", "pdf"):
        raise NotFoundError(f"the fact sheet has no format {fmt[:16]!r}; use factsheet.html or factsheet.pdf.")
    page = factsheet_html(sheet, lang)
    return page.encode("utf-8") if fmt == "html" else html_to_pdf(page)


def media_type(fmt: str) -> str:
    return PDF_MEDIA_TYPE if fmt == "pdf" else HTML_MEDIA_TYPE


__all__ = ["CAPACITY", "HEADLINE_ROWS", "KEY_FIGURES", "POTENTIALS", "POTENTIAL_LABELS", "PV_GROUND_WIND_FIRST_MWP",
           "charts", "factsheet_html", "headline", "html_to_pdf", "media_type", "quality", "render_factsheet",
           "sources", "technology_pages", "templates"]


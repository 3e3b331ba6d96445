"""The fact sheet's monitoring figure: installed capacity at each snapshot against the potential (PV, wind,
biomass) and the renewable share of electricity against the Leitbild's target path, with the gap; for a
municipality or a group (a group's figures are its members' sums, its share computed from those sums).

The numbers are those of ``GET /api/monitoring`` and ``GET /api/targets``
(:mod:`potenzial.serving.monitoring`); the potential that of the map's view (:mod:`.monitoring_map`,
realisable stage). Drawn as one inline SVG of four small panels, no script.
"""

from __future__ import annotations

import dataclasses
import html
import math
from collections.abc import Sequence
from dataclasses import dataclass

from potenzial.monitoring.groups import Group
from potenzial.results.monitoring import MONITORING_TARGETS, STAGE_CLASSES, TECHNOLOGY_CLASSES
from potenzial.serving.charts import COLOURS, FONT
from potenzial.serving.monitoring import (
    MonitoringContext,
    _current_cascade,
    area_series,
    municipality_series,
    targets_frame,
)
from potenzial.serving.monitoring_map import DEFAULT_STAGE, _potentials, installed_in_potential_unit
from potenzial.serving.sheet_texts import Lang, format_value
from potenzial.store.base import Store
from potenzial.units import KW_PER_MW

SHEET_GROUP = "sheet-area"  #: the id the sheet's area carries while its series is summed
TECHS = ("pv", "wind", "biomass")


@dataclass(frozen=True)
class TechSeries:
    code: str
    title_de: str
    title_en: str
    points: tuple[tuple[str, float], ...]  #: (date, installed capacity [MW]) at each snapshot
    potential_mw: float | None  #: the potential of the stage [MW]; None for biomass (primary energy) or no run
    used_share_pct: float | None  #: installed / potential at the newest snapshot (biomass: as primary energy)


@dataclass(frozen=True)
class SheetMonitoring:
    techs: tuple[TechSeries, ...]
    path: tuple[tuple[int, float], ...]  #: (year, target share [%]) of the Leitbild
    shares: tuple[tuple[int, float], ...]  #: (year, renewable share of electricity [%]) where a snapshot has it
    gap_pct_points: float | None  #: target − share in the newest year with a share
    gap_year: int | None
    use_estimated: bool
    stage: str
    snapshots: tuple[str, ...]  #: titles of the snapshots the figure rests on


def _finite(value: float) -> float | None:
    return None if value is None or not math.isfinite(value) else float(value)


def sheet_monitoring(store: Store, ctx: MonitoringContext, ags: Sequence[str], stage: str = DEFAULT_STAGE
                     ) -> SheetMonitoring | None:
    """The monitoring of the municipalities ``ags`` (one: that municipality); None without a snapshot."""
    records = store.snapshots().records(ctx.region.id)
    if not records:
        return None
    members = tuple(str(a) for a in ags)
    group = Group(SHEET_GROUP, "", "", "", members, "", True, False)
    ctx = dataclasses.replace(ctx, groups={**ctx.groups, SHEET_GROUP: group})
    series = municipality_series(store, ctx)
    mine = area_series(series, ctx, SHEET_GROUP, members, True)
    snaps = mine[mine["point"] == "snapshot"]
    potentials = _potentials(_current_cascade(store), stage)
    titles = {c.code: c for c in TECHNOLOGY_CLASSES}
    techs = []
    for code in TECHS:
        part = snaps[snaps["technology"] == code].sort_values("date")
        if part.empty:
            continue
        points = tuple((str(d), float(kw) / KW_PER_MW) for d, kw in zip(part["date"], part["capacity_kw"], strict=True))
        per_ags = potentials.get(code, {})
        potential = sum(per_ags[a] for a in members) if per_ags and all(a in per_ags for a in members) else math.nan
        installed = installed_in_potential_unit(code, float(part["capacity_kw"].iloc[-1]), ctx)
        share = 100.0 * installed / potential if potential > 0 else math.nan
        techs.append(TechSeries(code, titles[code].title_de, titles[code].title_en, points,
                                None if code == "biomass" else _finite(potential), _finite(share)))
    targets = targets_frame(series, ctx, SHEET_GROUP, members, True)
    path = tuple((int(y), float(v)) for y, v in zip(targets["year"], targets["target_share_pct"], strict=True)
                 if math.isfinite(v))
    shares = tuple((int(y), float(v)) for y, v in zip(targets["year"], targets["renewable_share_pct"], strict=True)
                   if math.isfinite(v))
    gap_rows = targets[targets["renewable_share_pct"].notna() & targets["target_share_pct"].notna()]
    gap = _finite(float(gap_rows["gap_pct_points"].iloc[-1])) if len(gap_rows) else None
    return SheetMonitoring(tuple(techs), path, shares, gap, int(gap_rows["year"].iloc[-1]) if len(gap_rows) else None,
                           any(ctx.use_estimated[m] for m in members), stage,
                           tuple(r.title for r in records))


# ------------------------------------------------------------------ the figure

_WORDS = {
    "title": ("Ausbau im Zeitverlauf: installiert gegen Potenzial und Ziel des Leitbilds",
              "Installed over time: against the potential and the Leitbild's target"),
    "potential": ("Potenzial", "potential"),
    "used": ("genutzt", "used"),
    "of_potential": ("des Potenzials", "of the potential"),
    "primary": ("des Potenzials als Primärenergie", "of the primary-energy potential"),
    "pp": ("Prozentpunkte", "percentage points"),
    "snapshots": ("Datenstände", "Snapshots"),
}
W, H = 760, 168
PANEL_W, SHARE_W = 180, 220  #: the three technology panels, then the share panel
TOP, BOTTOM, LEFT = 60, 24, 22
MIN_TICK_GAP = 34.0  #: a year label closer than this to another is left out (they would overlap)


def word(key: str, lang: Lang) -> str:
    de, en = _WORDS[key]
    return de if lang == "de" else en


def _esc(value: object) -> str:
    return html.escape(str(value), quote=True)


def _target_title(column: str, lang: Lang) -> str:
    return MONITORING_TARGETS.column_title(column)[lang]


def _panel(x0: float, width: float, title: str, years: Sequence[int], values: Sequence[float], top: float, unit: str,
           colour: str, level: float | None, path: Sequence[tuple[int, float]], lang: Lang,
           notes: Sequence[str]) -> list[str]:
    """One small panel: points (and their line) over the years, an optional dashed level or dashed path."""
    span = (min([*years, *(y for y, _ in path)]), max([*years, *(y for y, _ in path)]))
    plot_l, plot_r = x0 + LEFT, x0 + width - 22
    def x(year: float) -> float:
        return (plot_l + plot_r) / 2 if span[0] == span[1] else plot_l + (year - span[0]) / (span[1] - span[0]) * (
            plot_r - plot_l)
    def y(value: float) -> float:
        return H - BOTTOM - (max(value, 0.0) / top) * (H - BOTTOM - TOP) if top > 0 else H - BOTTOM
    out = [f'<text x="{x0 + 4}" y="14" font-size="12" font-weight="bold" fill="#222">{_esc(title)}</text>',
           *(f'<text x="{x0 + 4}" y="{28 + 12 * i}" font-size="10.5" fill="#404040">{_esc(n)}</text>'
             for i, n in enumerate(notes[:2])),
           f'<line x1="{plot_l}" y1="{H - BOTTOM}" x2="{plot_r}" y2="{H - BOTTOM}" stroke="#666"/>',
           f'<line x1="{plot_l}" y1="{TOP}" x2="{plot_l}" y2="{H - BOTTOM}" stroke="#bbb"/>',
           f'<text x="{plot_l + 3}" y="{TOP - 5}" font-size="10.5" fill="#222">'
           f"{_esc(format_value(top, unit, lang))}</text>",
           f'<text x="{plot_l - 4}" y="{H - BOTTOM + 4}" font-size="10.5" text-anchor="end" fill="#222">0</text>']
    ticks: list[int] = []
    for year in [*sorted(set(years)), span[0], span[1]]:
        if all(abs(x(year) - x(t)) >= MIN_TICK_GAP for t in ticks):
            ticks.append(year)
    for year in ticks:
        out.append(f'<text x="{x(year):.1f}" y="{H - 8}" font-size="11" text-anchor="middle" fill="#222">{year}</text>')
    if level is not None:
        out.append(f'<line class="potential" x1="{plot_l}" x2="{plot_r}" y1="{y(level):.1f}" y2="{y(level):.1f}" '
                   f'stroke="{COLOURS["potential"]}" stroke-width="2" stroke-dasharray="6 3"/>')
    if path:
        d = " ".join(f"{'L' if i else 'M'}{x(yr):.1f} {y(v):.1f}" for i, (yr, v) in enumerate(path))
        out.append(f'<path class="target" d="{d}" fill="none" stroke="{COLOURS["potential"]}" stroke-width="2" '
                   f'stroke-dasharray="6 3"/>')
    if len(years) > 1:
        d = " ".join(f"{'L' if i else 'M'}{x(yr):.1f} {y(v):.1f}" for i, (yr, v) in enumerate(zip(years, values,
                                                                                                   strict=True)))
        out.append(f'<path d="{d}" fill="none" stroke="{colour}" stroke-width="2"/>')
    targets = dict(path)
    if path and years and years[-1] in targets:  # the gap in the newest year with a value
        out.append(f'<line class="gap" x1="{x(years[-1]):.1f}" x2="{x(years[-1]):.1f}" y1="{y(values[-1]):.1f}" '
                   f'y2="{y(targets[years[-1]]):.1f}" stroke="#a50f15" stroke-width="2"/>')
    for yr, v in zip(years, values, strict=True):
        out.append(f'<circle class="point" cx="{x(yr):.1f}" cy="{y(v):.1f}" r="4" fill="{colour}">'
                   f"<title>{yr}: {_esc(format_value(v, unit, lang))}</title></circle>")
    return out


def monitoring_chart_svg(data: SheetMonitoring, lang: Lang) -> str:
    """The figure: one panel per technology (installed [MW] at each snapshot, the potential dashed) and one of
    the renewable share [%] against the target path (dashed)."""
    title = word("title", lang)
    stage = next(c for c in STAGE_CLASSES if c.code == data.stage)
    stage_title = stage.title_de if lang == "de" else stage.title_en
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {W} {H}" class="chart monitoring" role="img" '
           f'aria-label="{_esc(title)}" font-family="{FONT}"><title>{_esc(title)}</title>']
    colours = {"pv": COLOURS["solar_roof"], "wind": COLOURS["wind"], "biomass": COLOURS["biomass"]}
    for i, tech in enumerate(data.techs[:3]):
        years = [int(d[:4]) for d, _ in tech.points]
        values = [v for _, v in tech.points]
        top = max([*values, tech.potential_mw or 0.0, 1e-9])
        share = [] if tech.used_share_pct is None else [
            f"{word('used', lang)}: {format_value(tech.used_share_pct, '%', lang)}",
            word("primary", lang) if tech.code == "biomass" else f"{word('of_potential', lang)} ({stage_title})"]
        out += _panel(i * PANEL_W, PANEL_W, tech.title_de if lang == "de" else tech.title_en, years, values, top, "MW",
                      colours[tech.code], tech.potential_mw, (), lang, share)
    if data.path or data.shares:
        years = [y for y, _ in data.shares]
        values = [v for _, v in data.shares]
        top = max([100.0, *values])
        note = [] if data.gap_pct_points is None else [
            f"{_target_title('gap_pct_points', lang)} {data.gap_year}:",
            format_value(data.gap_pct_points, word("pp", lang), lang)]
        out += _panel(3 * PANEL_W, SHARE_W, _target_title("renewable_share_pct", lang), years, values, top, "%",
                      COLOURS["installed"], None, data.path, lang, note)
    out.append("</svg>")
    return "".join(out)


def monitoring_caption(data: SheetMonitoring, lang: Lang) -> str:
    """What the figure shows and rests on, in one line."""
    dashed = ("gestrichelt: Potenzial (MW) und Zielpfad des Leitbilds (%)" if lang == "de" else
              "dashed: the potential (MW) and the Leitbild's target path (%)")
    # the estimated electricity use is named by the page's notes already
    return f"{dashed}. {word('snapshots', lang)}: {'; '.join(data.snapshots)}"

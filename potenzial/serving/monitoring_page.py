"""The monitoring view as a page: per municipality or group, installed capacity over time per technology
(an inline SVG chart per technology and a table), the snapshots it rests on, and links to every other
municipality and group. Self-contained: no script, no external request; titles and units come from the
result schema (:data:`potenzial.results.monitoring.MONITORING_SERIES`)."""

from __future__ import annotations

from dataclasses import dataclass

from potenzial.results.monitoring import MONITORING_SERIES
from potenzial.serving.factsheet import templates
from potenzial.serving.monitoring import MonitoringContext
from potenzial.units import KW_PER_MW

#: the technologies charted, in this order
CHARTED = ("pv", "pv_roof", "pv_ground", "wind", "biomass", "hydro")
WIDTH, HEIGHT, PAD = 420.0, 160.0, 36.0
TEXT = {
    "de": {"title": "Monitoring: installierte Leistung", "snapshots": "Datengrundlage", "areas": "Gemeinden",
           "groups": "Gruppen", "unverified": "Mitglieder ungeprüft", "placeholder": "Platzhalter",
           "none": "Noch kein Datensatz: `potenzial monitoring import`.", "lang": "English", "other": "en"},
    "en": {"title": "Monitoring: installed capacity", "snapshots": "Data", "areas": "Municipalities",
           "groups": "Groups", "unverified": "members unverified", "placeholder": "placeholder",
           "none": "No snapshot yet: `potenzial monitoring import`.", "lang": "Deutsch", "other": "de"},
}


@dataclass(frozen=True)
class Point:
    date: str
    mw: float
    x: float
    y: float


@dataclass(frozen=True)
class Chart:
    technology: str
    title: str
    points: tuple[Point, ...]
    max_mw: float

    @property
    def path(self) -> str:
        return " ".join(f"{'M' if i == 0 else 'L'}{p.x:.1f},{p.y:.1f}" for i, p in enumerate(self.points))


def _charts(rows: list[dict[str, object]], lang: str) -> list[Chart]:
    titles = {c.code: (c.title_de if lang == "de" else c.title_en) for c in MONITORING_SERIES.classes_of("technology")}
    snaps = [r for r in rows if r["point"] == "snapshot"]
    years = sorted({int(str(r["date"])[:4]) for r in snaps})
    out = []
    for tech in CHARTED:
        mine = sorted((r for r in snaps if r["technology"] == tech), key=lambda r: str(r["date"]))
        if not mine:
            continue
        values = [float(str(r["capacity_kw"] or 0.0)) / KW_PER_MW for r in mine]
        top = max(max(values), 1e-9)
        span = max(years[-1] - years[0], 1)
        points = tuple(Point(str(r["date"]), v,
                             PAD + (WIDTH - 2 * PAD) * (int(str(r["date"])[:4]) - years[0]) / span,
                             HEIGHT - PAD - (HEIGHT - 2 * PAD) * v / top) for r, v in zip(mine, values, strict=True))
        out.append(Chart(tech, titles.get(tech, tech), points, top))
    return out


def monitoring_page(view: dict, ctx: MonitoringContext, lang: str = "de") -> str:
    """The page of one area's monitoring view (:func:`potenzial.serving.monitoring.monitoring_view`)."""
    lang = lang if lang in TEXT else "de"
    area = view["area"]
    rows = view["series"]["rows"]
    column = MONITORING_SERIES.column_title("capacity_kw")[lang]
    groups = [(g.id, g.title_de if lang == "de" else g.title_en) for g in ctx.groups.values()]
    return templates().get_template("monitoring.html.j2").render(
        lang=lang, text=TEXT[lang], area=area, area_title=area["title_de"] if lang == "de" else area["title_en"],
        charts=_charts(rows, lang), snapshots=view["snapshots"], capacity_title=column,
        municipalities=sorted(ctx.names.items(), key=lambda kv: kv[1]), groups=groups,
        width=WIDTH, height=HEIGHT, pad=PAD)

"""Monitoring: installed capacity over time against the potential and the county's targets."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from api.deps import RegionDep, StoreDep
from api.errors import error_responses
from potenzial.results.monitoring import MONITORING_SERIES, MONITORING_TARGETS
from potenzial.serving.monitoring import MonitoringContext, monitoring_context, monitoring_view, table_csv, targets_view
from potenzial.serving.monitoring_map import DEFAULT_STAGE, monitoring_map
from potenzial.serving.monitoring_page import monitoring_page

router = APIRouter(prefix="/api", tags=["monitoring"])

AgsQuery = Annotated[str | None, Query(description="AGS of a municipality, e.g. 14729160", max_length=32)]
GroupQuery = Annotated[str | None, Query(description="id of a group of the region file, e.g. muldenland",
                                         max_length=64)]

StageQuery = Annotated[str, Query(pattern="^(technical|restricted|realisable)$",
                                  description="stage of the potential cascade the installed capacity is set against")]
LangQuery = Annotated[str, Query(pattern="^(de|en)$", description="language of the headers: de or en")]


def _context(request: Request, region: RegionDep) -> MonitoringContext:
    cached = getattr(request.app.state, "monitoring_context", None)
    if cached is None:
        cached = monitoring_context(region, request.app.state.settings.params_dir)
        request.app.state.monitoring_context = cached
    return cached


@router.get("/monitoring", responses=error_responses(404, 503))
def monitoring(request: Request, store: StoreDep, region: RegionDep, ags: AgsQuery = None,
               group: GroupQuery = None) -> dict:
    """Installed capacity and estimated generation over time of one municipality (``ags``) or group
    (``group``), the used share of each potential stage and the watts per inhabitant with the county rank."""
    return monitoring_view(store, _context(request, region), ags=ags, group=group)


@router.get("/monitoring/map", responses=error_responses(404, 503))
def monitoring_on_the_map(request: Request, store: StoreDep, region: RegionDep,
                          stage: StageQuery = DEFAULT_STAGE) -> dict:
    """The map's "installed vs potential" view: per snapshot date, technology and municipality the installed
    capacity, the potential of ``stage`` and the used share, with the share's classes and the region's groups."""
    return monitoring_map(store, _context(request, region), stage)


@router.get("/targets", responses=error_responses(404, 503))
def targets(request: Request, store: StoreDep, region: RegionDep, ags: AgsQuery = None,
            group: GroupQuery = None) -> dict:
    """The Leitbild's renewable electricity share (37 % 2019 → 63 % 2030 → 90 % 2035) per year against the
    estimated generation, the gap, and the wind-area targets of the current run."""
    return targets_view(store, _context(request, region), ags=ags, group=group)


@router.get("/monitoring.html", response_class=HTMLResponse, responses=error_responses(404, 503,
                                                                                              non_json_route=True))
def monitoring_html(request: Request, store: StoreDep, region: RegionDep, ags: AgsQuery = None,
                    group: GroupQuery = None, lang: LangQuery = "de") -> HTMLResponse:
    """The monitoring view as a page: installed capacity over time per technology of a municipality or group
    (inline SVG charts, no script), the snapshots, and links to every municipality and group."""
    ctx = _context(request, region)
    page = monitoring_page(monitoring_view(store, ctx, ags=ags, group=group), ctx, lang)
    return HTMLResponse(page, headers={"Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'"})



@router.get("/monitoring.csv", response_class=Response, responses={
    200: {"content": {"text/csv": {"schema": {"type": "string"}}}, "description": "CSV"}, **error_responses(404, 503)})
def monitoring_csv(request: Request, store: StoreDep, region: RegionDep, ags: AgsQuery = None,
                   group: GroupQuery = None, lang: LangQuery = "de") -> Response:
    """The time series of a municipality or group as CSV: column titles with units, technologies by title."""
    view = monitoring_view(store, _context(request, region), ags=ags, group=group)
    area = view["area"]["id"]
    return Response(table_csv(view["series"], MONITORING_SERIES, lang), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="monitoring_{area}.csv"'})


@router.get("/targets.csv", response_class=Response, responses={
    200: {"content": {"text/csv": {"schema": {"type": "string"}}}, "description": "CSV"}, **error_responses(404, 503)})
def targets_csv(request: Request, store: StoreDep, region: RegionDep, ags: AgsQuery = None,
                group: GroupQuery = None, lang: LangQuery = "de") -> Response:
    """The target path, the share and the gap per year of a municipality or group as CSV."""
    view = targets_view(store, _context(request, region), ags=ags, group=group)
    area = view["area"]["id"]
    return Response(table_csv(view["targets"], MONITORING_TARGETS, lang), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="targets_{area}.csv"'})

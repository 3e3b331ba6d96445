"""The map page, built server-side with folium and cached per run."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

from api.deps import BaseMapDep, CacheDep, CurrentRunDep, RegionDep, StaticUrlDep, StoreDep
from api.errors import error_responses
from potenzial.store.schema import MUNICIPALITIES
from web.page import build_page, content_security_policy

router = APIRouter(tags=["page"])


@router.get("/", response_class=HTMLResponse, responses=error_responses(404, 503, non_json_route=True))
def map_page(store: StoreDep, region: RegionDep, record: CurrentRunDep, cache: CacheDep,
             basemap: BaseMapDep, static_url: StaticUrlDep) -> HTMLResponse:
    """The municipalities on a Leaflet map with popups, legend and every data source's attribution."""
    page = cache.get_or_build(
        ("page.html", record.run_id, static_url),
        lambda: build_page(store.read(MUNICIPALITIES.name, run_id=record.run_id), record, region,
                           basemap, static_url=static_url),
    )
    return HTMLResponse(page, headers={"Content-Security-Policy": content_security_policy(basemap)})

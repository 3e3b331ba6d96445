"""The map page, rendered from its Jinja2 template and cached per run."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

from api.deps import BaseMapDep, CacheDep, CurrentRunDep, RegionDep, ServingDep, StaticUrlDep
from api.errors import error_responses
from web.display import vector_display_zooms
from web.page import build_page, content_security_policy

router = APIRouter(tags=["page"])


@router.get("/", response_class=HTMLResponse, responses=error_responses(404, 503, non_json_route=True))
def map_page(serving: ServingDep, region: RegionDep, record: CurrentRunDep, cache: CacheDep,
             basemap: BaseMapDep, static_url: StaticUrlDep) -> HTMLResponse:
    """The map: a municipality choropleth (figure selector), every served layer (``/api/layers``)
    with legend and sources, search, a side panel per municipality and the point query."""

    def build() -> str:
        merged, meta, base = serving.results.figures(record)
        zooms = vector_display_zooms(serving.registry(record).vector_layers(), base,
                                     lambda name, box: serving.results.read_bbox(record, name, box))
        return build_page(merged, meta, base, record, region, basemap, static_url=static_url,
                          display_minzoom=zooms)

    page = cache.get_or_build(("page.html", record.run_id, static_url), build)
    return HTMLResponse(page, headers={"Content-Security-Policy": content_security_policy(basemap)})

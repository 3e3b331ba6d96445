"""The map page, built server-side with folium and cached per run."""

from __future__ import annotations

import logging

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

from api.deps import BaseMapDep, CacheDep, CurrentRunDep, RegionDep, ServingDep, StaticUrlDep
from api.errors import error_responses
from api.serving import Serving
from potenzial.crs import WGS84
from potenzial.errors import PotenzialError
from potenzial.runs import RunRecord
from web.display import display_minzoom, layer_density, sample_boxes
from web.page import build_page, content_security_policy

log = logging.getLogger("potenzial.api")

router = APIRouter(tags=["page"])


@router.get("/", response_class=HTMLResponse, responses=error_responses(404, 503, non_json_route=True))
def map_page(serving: ServingDep, region: RegionDep, record: CurrentRunDep, cache: CacheDep,
             basemap: BaseMapDep, static_url: StaticUrlDep) -> HTMLResponse:
    """The map: a municipality choropleth (figure selector), every served layer (``/api/layers``)
    with legend and sources, search, a side panel per municipality and the point query."""

    def build() -> str:
        merged, meta, base = serving.results.figures(record)
        return build_page(merged, meta, base, record, region, basemap, static_url=static_url,
                          display_minzoom=vector_display_zooms(serving, record, base))

    page = cache.get_or_build(("page.html", record.run_id, static_url), build)
    return HTMLResponse(page, headers={"Content-Security-Policy": content_security_policy(basemap)})


def vector_display_zooms(serving: Serving, record: RunRecord, municipalities) -> dict[str, int]:
    """Zoom from which the page draws each vector layer, from its density around every
    municipality's representative point (:mod:`web.display`)."""
    registry = serving.registry(record)
    boxes = sample_boxes(list(municipalities.geometry.representative_point()))
    south, north = (float(v) for v in municipalities.to_crs(WGS84).total_bounds[[1, 3]])
    lat = (south + north) / 2 if len(municipalities) else 0.0
    zooms: dict[str, int] = {}
    for layer in registry.layers.values():
        if layer.kind != "vector":
            continue
        try:
            features, vertices = layer_density(
                lambda box, name=layer.id: serving.store.read_bbox(name, box, run_id=record.run_id), boxes)
        except PotenzialError as exc:
            log.warning("layer %s: density not estimated (%s); drawn from zoom %d", layer.id, exc, layer.minzoom)
            continue
        zooms[layer.id] = max(layer.minzoom, display_minzoom(features, vertices, lat))
    return zooms

"""Values and exclusion reasons at a point."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query

from api.deps import CurrentRunDep, ServingDep
from api.errors import error_responses
from api.models import PointResult

router = APIRouter(prefix="/api", tags=["results"])

MAX_TOLERANCE_M = 500.0


@router.get("/point", response_model=PointResult, responses=error_responses(404, 503))
def point(
    serving: ServingDep,
    record: CurrentRunDep,
    lon: Annotated[float, Query(ge=-180.0, le=180.0, description="longitude [degrees, EPSG:4326]", examples=[12.7253])],
    lat: Annotated[float, Query(ge=-85.05, le=85.05, description="latitude [degrees, EPSG:4326]", examples=[51.2386])],
    tolerance_m: Annotated[float, Query(ge=0.0, le=MAX_TOLERANCE_M,
                                        description="search radius for points and lines [m]")] = 25.0,
    lang: Annotated[Literal["de", "en"], Query(description="language of titles, units and texts")] = "de",
) -> dict:
    """Every served layer at the point: raster values (in the layer's units) and the attributes of
    vector features within ``tolerance_m`` (polygons: containing the point), plus every exclusion reason
    (attributes named ``reason``, ``rule``, ``*_reason`` …) found there, as the rules' titles with
    hard/soft and legal source. Each feature's attributes come labelled in ``items`` (title, unit,
    formatted text; bitmasks left out). A point outside the region's extent is 404, naming the extent."""
    return serving.results.point(record, lon, lat, tolerance_m, lang)

"""Per-municipality results: GeoJSON of every figure, one municipality, downloads (GeoPackage, analysis
rasters as Cloud-Optimized GeoTIFF, also county-wide) and fact sheets."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request
from fastapi import Path as PathParam
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import FileResponse, HTMLResponse, Response

from api.deps import BaseUrlDep, CacheDep, CurrentRunDep, ServingDep
from api.errors import error_responses
from api.models import MunicipalityCollection, MunicipalityDetail
from api.serving import run_with_limit
from potenzial.serving.downloads import GPKG_MEDIA_TYPE
from potenzial.serving.factsheet import PDF_MEDIA_TYPE
from potenzial.serving.municipality import municipality_collection
from potenzial.serving.raster_downloads import COG_MEDIA_TYPE
from potenzial.tiles.etag import etag_matches, product_etag

router = APIRouter(prefix="/api", tags=["results"])

#: the fact sheet loads nothing: inline styles and data: images only
FACTSHEET_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
RasterLayerId = Annotated[str, PathParam(description="raster layer id from /api/layers", examples=["terrain"],
                                         max_length=128, pattern=r"^[a-z][a-z0-9_]{0,62}$")]

AgsPath = Annotated[str, PathParam(description="AGS (Amtlicher Gemeindeschlüssel, 8 digits), e.g. 14729160",
                              max_length=32, examples=["14729160"])]


@router.get("/municipalities", response_model=MunicipalityCollection, responses=error_responses(404, 503))
def municipalities(serving: ServingDep, record: CurrentRunDep, cache: CacheDep) -> dict:
    """Every municipality with every per-municipality figure of the run as properties (the base
    layer's columns first, then each potential's), geometry in EPSG:4326. Units: ``/api/municipalities/{ags}``
    and the headers of ``/api/summary.csv``."""
    return cache.get_or_build(("municipalities.geojson", record.run_id),
                              lambda: municipality_collection(serving.results.figures(record), record))


@router.get("/municipalities/{ags}", response_model=MunicipalityDetail,
            responses={200: {"description": "the municipality (ETag; If-None-Match answers 304)"},
                       304: {"description": "not modified (If-None-Match matched the ETag)"},
                       **error_responses(404, 503)})
async def municipality(request: Request, ags: AgsPath, serving: ServingDep, record: CurrentRunDep,
                       base_url: BaseUrlDep) -> Response:
    """One municipality: every figure with unit and source table, geometry, the run's provenance
    (run id, parameter hash, code version, data sources) and links to its download and fact sheet.
    Serialised once per run, municipality and base URL, then answered from memory."""
    etag = product_etag(record.run_id, "municipality", ags, base_url)
    if etag_matches(request.headers.get("if-none-match"), etag):
        return Response(status_code=304, headers={"ETag": etag})
    key = ("municipality.json", record.run_id, ags, base_url)
    body = serving.summaries.peek(key)
    if body is None:
        body = await run_in_threadpool(serving.summaries.get_or_build, key,
                                       lambda: _municipality_json(serving, record, ags, base_url))
    return Response(content=body, media_type="application/json", headers={"ETag": etag})


def _municipality_json(serving, record, ags: str, base_url: str) -> bytes:
    detail = serving.results.municipality_detail(record, ags)
    detail["links"] = {"download": f"{base_url}/api/municipalities/{ags}/download.gpkg",
                       "factsheet": f"{base_url}/api/municipalities/{ags}/factsheet.html",
                       "factsheet_pdf": f"{base_url}/api/municipalities/{ags}/factsheet.pdf",
                       "monitoring": f"{base_url}/api/monitoring.html?ags={ags}",
                       "summary_csv": f"{base_url}/api/municipalities/{ags}/summary.csv",
                       "summary_xlsx": f"{base_url}/api/municipalities/{ags}/summary.xlsx"}
    return MunicipalityDetail.model_validate(detail).model_dump_json(by_alias=True).encode("utf-8")


def file_response(request: Request, path: Path, media_type: str, etag: str, filename: str | None = None,
                  headers: dict[str, str] | None = None) -> Response:
    """A prepared (or just built) file of the run, under an ETag keyed by the run id; 304 when the
    client's copy is that one."""
    headers = {"ETag": etag, **(headers or {})}
    if etag_matches(request.headers.get("if-none-match"), etag):
        return Response(status_code=304, headers=headers)
    return FileResponse(path, media_type=media_type, filename=filename, headers=headers)


@router.get("/municipalities/{ags}/download.gpkg", response_class=FileResponse,
            responses={200: {"content": {GPKG_MEDIA_TYPE: {"schema": {"type": "string", "format": "binary"}}},
                             "description": "GeoPackage"}, **error_responses(404, 503)})
async def download(request: Request, ags: AgsPath, serving: ServingDep, record: CurrentRunDep) -> Response:
    """One GeoPackage: every result layer clipped to the municipality, ``summary`` (figures with units),
    ``readme`` (method, units, sources, licences) and ``layer_styles`` (QGIS opens the layers styled).
    Prepared when the run was published."""
    path = await run_with_limit(serving, serving.results.download_path, record, ags)
    return file_response(request, path, GPKG_MEDIA_TYPE, product_etag(record.run_id, "gpkg", ags),
                         filename=f"potenzial_{ags}_{record.run_id}.gpkg")


LangQuery = Annotated[Literal["de", "en"], Query(description="language of the sheet: de (default) or en")]
PDF_RESPONSE: dict[int | str, dict[str, Any]] = {
    200: {"content": {PDF_MEDIA_TYPE: {"schema": {"type": "string", "format": "binary"}}}, "description": "A4 PDF"}}


def _html(page: bytes) -> HTMLResponse:
    return HTMLResponse(page, headers={"Content-Security-Policy": FACTSHEET_CSP})


def _pdf(document: bytes, filename: str) -> Response:
    return Response(document, media_type=PDF_MEDIA_TYPE,
                    headers={"Content-Disposition": f'inline; filename="{filename}"'})


@router.get("/municipalities/{ags}/factsheet.html", response_class=HTMLResponse,
            responses=error_responses(404, 503, non_json_route=True))
async def factsheet(request: Request, ags: AgsPath, serving: ServingDep, record: CurrentRunDep,
                    lang: LangQuery = "de") -> Response:
    """A fact sheet for council meetings (German; ``?lang=en`` English): the headline figures with charts, then
    per technology its own map and cascade, the sources. Self-contained: no script, no CDN. The German
    sheet is prepared when the run is published."""
    path = await run_with_limit(serving, serving.results.factsheet_path, record, ags, "html", lang)
    return file_response(request, path, "text/html; charset=utf-8",
                         product_etag(record.run_id, "factsheet", ags, lang),
                         headers={"Content-Security-Policy": FACTSHEET_CSP})


@router.get("/municipalities/{ags}/factsheet.pdf", response_class=Response,
            responses={**PDF_RESPONSE, **error_responses(404, 503, non_json_route=True)})
async def factsheet_pdf(ags: AgsPath, serving: ServingDep, record: CurrentRunDep, lang: LangQuery = "de") -> Response:
    """The fact sheet as a PDF: A4, at most 6 pages, the synthetic-data warning on every page."""
    document = await run_with_limit(serving, serving.results.factsheet, record, ags, "pdf", lang)
    return _pdf(document, f"steckbrief_{ags}_{lang}.pdf" if lang == "de" else f"factsheet_{ags}_{lang}.pdf")


@router.get("/county/factsheet.html", response_class=HTMLResponse,
            responses=error_responses(404, 503, non_json_route=True))
async def county_factsheet(serving: ServingDep, record: CurrentRunDep, lang: LangQuery = "de") -> HTMLResponse:
    """The fact sheet of the whole county (all its municipalities as one group)."""
    return _html(await run_with_limit(serving, serving.results.county_factsheet, record, "html", lang))


@router.get("/county/factsheet.pdf", response_class=Response,
            responses={**PDF_RESPONSE, **error_responses(404, 503, non_json_route=True)})
async def county_factsheet_pdf(serving: ServingDep, record: CurrentRunDep, lang: LangQuery = "de") -> Response:
    """The county's fact sheet as an A4 PDF."""
    document = await run_with_limit(serving, serving.results.county_factsheet, record, "pdf", lang)
    return _pdf(document, f"steckbrief_landkreis_{lang}.pdf" if lang == "de" else f"factsheet_county_{lang}.pdf")


@router.get("/municipalities/{ags}/rasters/{layer}.tif", response_class=FileResponse,
            responses={200: {"content": {COG_MEDIA_TYPE: {"schema": {"type": "string", "format": "binary"}}},
                             "description": "Cloud-Optimized GeoTIFF, EPSG:25833"}, **error_responses(404, 503)})
async def municipality_raster(request: Request, ags: AgsPath, layer: RasterLayerId, serving: ServingDep,
                              record: CurrentRunDep) -> Response:
    """A raster layer of the run clipped to the municipality (its bounding box; cells outside its outline
    are nodata) as a Cloud-Optimized GeoTIFF in EPSG:25833, with the analysis values (not colours).
    Raster layer ids: ``/api/layers``."""
    path = await run_with_limit(serving, serving.results.municipality_raster_path, record, ags, layer)
    return file_response(request, path, COG_MEDIA_TYPE, product_etag(record.run_id, "raster", ags, layer),
                         filename=f"potenzial_{layer}_{ags}_{record.run_id}.tif")


@router.get("/rasters/{layer}.tif", response_class=FileResponse,
            responses={200: {"content": {COG_MEDIA_TYPE: {"schema": {"type": "string", "format": "binary"}}},
                             "description": "Cloud-Optimized GeoTIFF, EPSG:25833"}, **error_responses(404, 503)})
async def county_raster(request: Request, layer: RasterLayerId, serving: ServingDep,
                        record: CurrentRunDep) -> Response:
    """A raster layer of the run for the whole county as a Cloud-Optimized GeoTIFF in EPSG:25833, with
    the analysis values (not colours). Raster layer ids: ``/api/layers``."""
    path = await run_with_limit(serving, serving.results.county_raster_path, record, layer)
    return file_response(request, path, COG_MEDIA_TYPE, product_etag(record.run_id, "raster", "county", layer),
                         filename=f"potenzial_{layer}_{record.run_id}.tif")

"""Per-municipality results: GeoJSON of every figure, one municipality, downloads and fact sheets."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path
from fastapi.responses import FileResponse, HTMLResponse

from api import products
from api.deps import BaseUrlDep, CacheDep, CurrentRunDep, ServingDep
from api.errors import error_responses
from api.models import MunicipalityCollection, MunicipalityDetail
from api.serving import Serving
from potenzial.crs import WGS84
from potenzial.runs import RunRecord
from potenzial.serving.figures import json_value

router = APIRouter(prefix="/api", tags=["results"])

AgsPath = Annotated[str, Path(description="AGS (Amtlicher Gemeindeschlüssel, 8 digits), e.g. 14729160",
                              max_length=32, examples=["14729160"])]


@router.get("/municipalities", response_model=MunicipalityCollection, responses=error_responses(404, 503))
def municipalities(serving: ServingDep, record: CurrentRunDep, cache: CacheDep) -> dict:
    """Every municipality with every per-municipality figure of the run as properties (the base
    layer's columns first, then each potential's), geometry in EPSG:4326. Units: ``/api/municipalities/{ags}``
    and the headers of ``/api/summary.csv``."""
    return cache.get_or_build(("municipalities.geojson", record.run_id), lambda: _collection(serving, record))


def _collection(serving: Serving, record: RunRecord) -> dict:
    merged, meta, base = products.figures(serving, record)
    geometry = base.set_index("ags").geometry.to_crs(WGS84)
    features = []
    for row in merged.to_dict(orient="records"):
        ags = str(row["ags"])
        features.append({"type": "Feature", "id": ags,
                         "properties": {f.column: json_value(row[f.column]) for f in meta},
                         "geometry": _geometry(geometry.get(ags))})
    return {
        "type": "FeatureCollection",
        "run_id": record.run_id,
        "synthetic_inputs": list(record.synthetic_inputs),
        "features": features,
    }


def _geometry(geom) -> dict | None:
    import shapely.geometry

    return None if geom is None or geom.is_empty else shapely.geometry.mapping(geom)


@router.get("/municipalities/{ags}", response_model=MunicipalityDetail, responses=error_responses(404, 503))
def municipality(ags: AgsPath, serving: ServingDep, record: CurrentRunDep, base_url: BaseUrlDep) -> dict:
    """One municipality: every figure with unit and source table, geometry, the run's provenance
    (run id, parameter hash, code version, data sources) and links to its download and fact sheet."""
    return products.municipality_detail(serving, record, ags, base_url)


@router.get("/municipalities/{ags}/download.gpkg", response_class=FileResponse,
            responses={200: {"content": {products.GPKG_MEDIA_TYPE: {"schema": {"type": "string", "format": "binary"}}},
                             "description": "GeoPackage"}, **error_responses(404, 503)})
async def download(ags: AgsPath, serving: ServingDep, record: CurrentRunDep) -> FileResponse:
    """One GeoPackage: every result layer clipped to the municipality, ``summary`` (figures with units),
    ``readme`` (method, units, sources, licences) and ``layer_styles`` (QGIS opens the layers styled)."""
    path = await products.run_with_limit(serving, products.download_path, serving, record, ags)
    return FileResponse(path, media_type=products.GPKG_MEDIA_TYPE,
                        filename=f"potenzial_{ags}_{record.run_id}.gpkg")


@router.get("/municipalities/{ags}/factsheet.html", response_class=HTMLResponse,
            responses=error_responses(404, 503, non_json_route=True))
async def factsheet(ags: AgsPath, serving: ServingDep, record: CurrentRunDep) -> HTMLResponse:
    """A printable fact sheet for council meetings: map, the four potentials, installed vs potential
    (inline SVG charts), municipality figures, data sources. Self-contained: no script, no CDN."""
    page = await products.run_with_limit(serving, products.factsheet, serving, record, ags)
    return HTMLResponse(page, headers={"Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; "
                                                                  "img-src data:"})


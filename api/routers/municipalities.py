"""The current run's per-municipality results as GeoJSON."""

from __future__ import annotations

from fastapi import APIRouter

from api.deps import CacheDep, CurrentRunDep, StoreDep
from api.errors import error_responses
from api.models import MunicipalityCollection
from potenzial.crs import WGS84
from potenzial.store.base import RunRecord, Store
from potenzial.store.schema import MUNICIPALITIES

router = APIRouter(prefix="/api", tags=["results"])


@router.get("/municipalities", response_model=MunicipalityCollection, responses=error_responses(404, 503))
def municipalities(store: StoreDep, record: CurrentRunDep, cache: CacheDep) -> dict:
    """Every column of the `municipalities` result layer as properties, geometry in EPSG:4326."""
    return cache.get_or_build(("municipalities.geojson", record.run_id), lambda: _collection(store, record))


def _collection(store: Store, record: RunRecord) -> dict:
    frame = store.read(MUNICIPALITIES.name, run_id=record.run_id).to_crs(WGS84)
    collection = frame.to_geo_dict(na="null", drop_id=True)
    for feature in collection["features"]:
        feature["id"] = str(feature["properties"]["ags"])
    return {
        "type": "FeatureCollection",
        "run_id": record.run_id,
        "synthetic_inputs": list(record.synthetic_inputs),
        "features": collection["features"],
    }

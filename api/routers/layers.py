"""Layers: the region's input catalog and every served map layer with its TileJSON."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path

from api.deps import BaseUrlDep, RegionDep, ServingDep
from api.errors import error_responses
from api.models import Catalog, ServedLayerInfo, TileJSON
from potenzial.errors import NotFoundError, StoreUnavailableError

router = APIRouter(prefix="/api", tags=["catalog"])

LayerId = Annotated[str, Path(description="layer id from /api/layers", examples=["municipalities"], max_length=128)]


@router.get("/layers", response_model=Catalog, responses=error_responses(503))
def layers(region: RegionDep, serving: ServingDep, base_url: BaseUrlDep) -> dict:
    """The input catalog (``layers``, ``LayerEntry.describe()`` in catalog order) and every layer served
    as tiles (``served``) with style, legend, provenance and tile URLs. ``served`` is empty before the
    first run; while the store is unavailable the last known run's layers are listed."""
    served: list[dict] = []
    run_id = None
    try:
        record = serving.tracker.current(allow_stale=True)
    except NotFoundError:
        record = None
    except StoreUnavailableError:
        raise
    if record is not None:
        registry = serving.registry(record)
        run_id = record.run_id
        served = [layer.describe(base_url) for layer in registry.layers.values()]
    return {
        "region_id": region.id,
        "region_name": region.name,
        "layers": [entry.describe() for entry in region.layers.values()],
        "run_id": run_id,
        "served": served,
    }


@router.get("/layers/{layer_id}", response_model=ServedLayerInfo, responses=error_responses(404, 503))
def layer(layer_id: LayerId, serving: ServingDep, base_url: BaseUrlDep) -> dict:
    """One served layer (ids from ``/api/layers``)."""
    record = serving.tracker.current(allow_stale=True)
    return serving.registry(record).get(layer_id).describe(base_url)


@router.get("/layers/{layer_id}/tilejson.json", response_model=TileJSON, response_model_exclude_none=True,
            responses=error_responses(404, 503))
def tilejson(layer_id: LayerId, serving: ServingDep, base_url: BaseUrlDep) -> dict:
    """TileJSON 3.0.0 of a served layer: tile URL, zoom range, bounds, attribution, vector_layers."""
    record = serving.tracker.current(allow_stale=True)
    return serving.registry(record).get(layer_id).tilejson(base_url)

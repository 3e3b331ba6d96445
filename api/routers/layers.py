"""The region's layer catalog: provenance, units, licence and attribution of every input."""

from __future__ import annotations

from fastapi import APIRouter

from api.deps import RegionDep
from api.models import Catalog

router = APIRouter(prefix="/api", tags=["catalog"])


@router.get("/layers", response_model=Catalog)
def layers(region: RegionDep) -> dict:
    """Every catalog entry (``LayerEntry.describe()``), real and synthetic, in catalog order."""
    return {
        "region_id": region.id,
        "region_name": region.name,
        "layers": [entry.describe() for entry in region.layers.values()],
    }

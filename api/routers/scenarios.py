"""What-if scenarios: evaluate a scenario on the fast path (the service: potenzial/serving/scenarios.py)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body

from api.deps import CurrentRunDep, ServingDep
from api.errors import error_responses

router = APIRouter(prefix="/api/scenarios", tags=["scenarios"])

ScenarioBody = Annotated[dict[str, Any], Body(
    description="residential_setback_m [m], switches {criterion: true|false}, pv_ground_power_density_mwp_per_ha "
                "[MWp/ha], name; a key left out keeps the base run's value (GET /api/scenarios/parameters)",
    examples=[{"name": "800 m, forest open", "residential_setback_m": 800, "switches": {"forest": False}}])]


@router.get("/parameters", responses=error_responses(404, 503))
def parameters(serving: ServingDep, record: CurrentRunDep) -> list[dict[str, Any]]:
    """What a scenario on the current run may change: each parameter with its title, unit, the run's value
    and the allowed range (switches: 1 on, 0 off)."""
    return serving.scenarios.parameters(record)


@router.post("/evaluate", responses=error_responses(404, 422, 503))
def evaluate(serving: ServingDep, record: CurrentRunDep, body: ScenarioBody) -> dict[str, Any]:
    """Per-municipality and county figures of a scenario on the current run: wind area (before and after the
    area filters), turbines (estimate), capacity and yield, every cascade stage of wind and open-field PV, the
    electricity and heat headlines (never added together), the gap to the wind-area targets, and the base
    run's county figures beside them. An unknown parameter or one outside its range: 422 naming it."""
    return serving.scenarios.evaluate(record, body)

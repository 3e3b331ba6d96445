"""What-if scenarios: evaluate a scenario on the fast path (the service: potenzial/serving/scenarios.py)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, Query, Request
from fastapi.responses import Response

from api.deps import BaseUrlDep, CurrentRunDep, ServingDep
from api.errors import error_responses
from api.routers.tiles import PNG, TileX, TileY, Zoom, _record, _tile_responses, built_tile
from api.serving import Serving
from potenzial.serving.saved_scenarios import MAX_COMPARED
from potenzial.serving.summaries import XLSX_MEDIA_TYPE
from potenzial.tiles.grid import check_tile

router = APIRouter(prefix="/api/scenarios", tags=["scenarios"])

#: the tile cache's name for the eligible-land cells (not a layer id of /api/layers)
CELLS_CACHE_LAYER = "_scenario_cells"

#: 2 to MAX_COMPARED ids, comma-separated (an id: letters, digits, '-' and '_')
COMPARED_IDS = rf"^\s*[\w-]+\s*(,\s*[\w-]+\s*){{1,{MAX_COMPARED - 1}}}$"

ScenarioBody = Annotated[dict[str, Any], Body(
    description="residential_setback_m [m], switches {criterion: true|false}, pv_ground_power_density_mwp_per_ha "
                "[MWp/ha], heat_pump_share_pct and ev_share_pct [%, 0–100, at the run's horizon], name; a key left "
                "out keeps the base run's value (GET /api/scenarios/parameters)",
    examples=[{"name": "800 m, forest open", "residential_setback_m": 800, "switches": {"forest": False}}])]


@router.get("/parameters", responses=error_responses(404, 503))
def parameters(serving: ServingDep, record: CurrentRunDep) -> list[dict[str, Any]]:
    """What a scenario on the current run may change: each parameter with its title, unit, the run's value
    and the allowed range (switches: 1 on, 0 off); the heat-pump and electric-car shares at the run's horizon
    where the run has electricity add-ons."""
    return serving.scenarios.parameters(record)


@router.post("/evaluate", responses=error_responses(400, 404, 422, 503))
def evaluate(serving: ServingDep, record: CurrentRunDep, body: ScenarioBody) -> dict[str, Any]:
    """Per-municipality and county figures of a scenario on the current run: wind area (before and after the
    area filters), turbines (estimate), capacity and yield, every cascade stage of wind and open-field PV, the
    electricity and heat headlines (never added together), the electricity use with heat pumps and e-mobility
    at the scenario's shares and its coverage by the scenario's realisable electricity, the gap to the
    wind-area targets, and the base run's county figures beside them. An unknown parameter or one outside its
    range: 422 naming it."""
    return serving.scenarios.evaluate(record, body)


@router.post("", status_code=201, responses=error_responses(400, 404, 422, 503))
def save(serving: ServingDep, record: CurrentRunDep, body: ScenarioBody) -> dict[str, Any]:
    """Save a scenario (``name`` required) with the current run as its base: id, name, parameters, base run,
    created at."""
    return serving.saved_scenarios.save(record, body)


@router.get("", responses=error_responses(503))
def listing(serving: ServingDep) -> list[dict[str, Any]]:
    """The saved scenarios, oldest first; ``base_run_kept`` false: their base run is gone."""
    return serving.saved_scenarios.list()


@router.get("/compare", responses=error_responses(404, 410, 422, 503))
def compare(serving: ServingDep, ids: Annotated[str, Query(description="2–6 scenario ids, comma-separated",
                                                                  pattern=COMPARED_IDS)]
            ) -> dict[str, Any]:
    """The county figures of saved scenarios side by side, with each one's difference to the first."""
    return serving.saved_scenarios.compare([i.strip() for i in ids.split(",") if i.strip()])


@router.get("/sensitivity", responses=error_responses(404, 422, 503))
def sensitivity(serving: ServingDep, record: CurrentRunDep,
                ags: Annotated[str | None, Query(description="AGS of a municipality; without: the county",
                                                 pattern=r"^\d{8}$", examples=["14729160"])] = None
                ) -> dict[str, Any]:
    """One-at-a-time sensitivity on the fast path (a tornado chart): each scenario parameter at the low and
    the high end of its range (a switch off and on), the others at the run's values; per headline figure the
    parameters ordered by how far they move it."""
    return serving.scenarios.sensitivity(record, ags)


@router.get("/cells.json", responses=error_responses(404, 503))
def cells_tilejson(serving: ServingDep, record: CurrentRunDep, base_url: BaseUrlDep) -> dict[str, Any]:
    """TileJSON of the what-if map's eligible-land layer, with the ``encoding`` of its pixels: the page
    thresholds them itself for any setback and criteria (no request per slider move)."""
    return serving.scenarios.cells.tilejson(record, base_url)


@router.get("/cells/{z}/{x}/{y}.png", response_class=Response, responses=_tile_responses(PNG),
            summary="What-if map: eligible-land cells (RGBA PNG, WebMercatorQuad)")
async def cells_tile(request: Request, z: Zoom, x: TileX, y: TileY) -> Response:
    """A tile of packed cells (see ``/api/scenarios/cells.json`` ``encoding``): red and green hold the
    distance to the homes and the criteria that hit the cell, alpha 0 marks land no scenario opens."""
    check_tile(z, x, y)
    serving: Serving = request.app.state.serving
    record = await _record(serving)
    return await built_tile(request, serving, record, CELLS_CACHE_LAYER, z, x, y, "png", PNG,
                            lambda: serving.scenarios.cells.tile(record, z, x, y))


@router.get("/{scenario_id}", responses=error_responses(404, 410, 503))
def get(serving: ServingDep, scenario_id: str) -> dict[str, Any]:
    """A saved scenario with its figures on its base run; 410 when the store no longer keeps that run."""
    return serving.saved_scenarios.get(scenario_id)


@router.get("/{scenario_id}/export.xlsx", response_class=Response, responses=error_responses(404, 410, 503))
def export(serving: ServingDep, scenario_id: str,
           lang: Annotated[Literal["de", "en"], Query(description="language of the sheets")] = "de") -> Response:
    """Excel workbook: the inputs (parameters, base run) and the outputs (municipalities, county, targets)."""
    return Response(serving.saved_scenarios.export_xlsx(scenario_id, lang), media_type=XLSX_MEDIA_TYPE,
                    headers={"Content-Disposition": f'attachment; filename="scenario_{scenario_id}.xlsx"'})

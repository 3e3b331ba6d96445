"""The per-municipality figures as a table: CSV and XLSX, one column per figure, unit in the header."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import Response

from api.deps import CurrentRunDep, ServingDep
from api.errors import error_responses
from potenzial.serving.summaries import CSV_MEDIA_TYPE, XLSX_MEDIA_TYPE

router = APIRouter(prefix="/api", tags=["results"])


def _file(media_type: str) -> dict:
    return {200: {"content": {media_type: {"schema": {"type": "string", "format": "binary"}}},
                  "description": "one row per municipality, headers 'column [unit]'"},
            **error_responses(404, 503)}


@router.get("/summary.csv", response_class=Response, responses=_file("text/csv"))
def summary_csv(serving: ServingDep, record: CurrentRunDep) -> Response:
    """UTF-8 CSV: one row per municipality, one column per figure, ``name [unit]`` headers."""
    return Response(serving.results.summary_csv(record), media_type=CSV_MEDIA_TYPE,
                    headers={"Content-Disposition": f'attachment; filename="potenzial_summary_{record.run_id}.csv"'})


@router.get("/summary.xlsx", response_class=Response, responses=_file(XLSX_MEDIA_TYPE))
def summary_xlsx(serving: ServingDep, record: CurrentRunDep) -> Response:
    """Excel workbook: sheet ``summary`` (as the CSV), ``units`` and ``sources`` (run provenance)."""
    return Response(serving.results.summary_xlsx(record), media_type=XLSX_MEDIA_TYPE,
                    headers={"Content-Disposition": f'attachment; filename="potenzial_summary_{record.run_id}.xlsx"'})

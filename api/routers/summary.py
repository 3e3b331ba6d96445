"""The per-municipality figures as a table: CSV and XLSX, one column per figure, titled with its unit."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query
from fastapi.responses import Response

from api.deps import CurrentRunDep, ServingDep
from api.errors import error_responses
from potenzial.serving.summaries import CSV_MEDIA_TYPE, XLSX_MEDIA_TYPE

router = APIRouter(prefix="/api", tags=["results"])

LangQuery = Annotated[Literal["de", "en"], Query(description="language of headers and class values (German default)")]


def _file(media_type: str) -> dict:
    return {200: {"content": {media_type: {"schema": {"type": "string", "format": "binary"}}},
                  "description": "one row per municipality, headers 'Titel (Einheit)'"},
            **error_responses(404, 503)}


@router.get("/summary.csv", response_class=Response, responses=_file("text/csv"))
def summary_csv(serving: ServingDep, record: CurrentRunDep, lang: LangQuery = "de") -> Response:
    """UTF-8 CSV with byte-order mark: a header block (lines starting with ``#``: run, date, synthetic
    inputs, attribution), an empty line, then one row per municipality and one column per figure,
    headed "Titel (Einheit)", values rounded to their unit's digits."""
    return Response(serving.results.summary_csv(record, lang), media_type=CSV_MEDIA_TYPE,
                    headers={"Content-Disposition": f'attachment; filename="potenzial_summary_{record.run_id}.csv"'})


@router.get("/summary.xlsx", response_class=Response, responses=_file(XLSX_MEDIA_TYPE))
def summary_xlsx(serving: ServingDep, record: CurrentRunDep, lang: LangQuery = "de") -> Response:
    """Excel workbook: sheet "Lies mich – Read me" (the CSV's header block in German and English),
    ``summary`` (as the CSV's table), ``units``, ``notes`` and ``sources``."""
    return Response(serving.results.summary_xlsx(record, lang), media_type=XLSX_MEDIA_TYPE,
                    headers={"Content-Disposition": f'attachment; filename="potenzial_summary_{record.run_id}.xlsx"'})

"""The per-municipality figures as a table: CSV and XLSX, one column per figure, titled with its unit."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query
from fastapi import Path as PathParam
from fastapi.responses import Response

from api.deps import CurrentRunDep, ServingDep
from api.errors import error_responses
from potenzial.serving.summaries import CSV_MEDIA_TYPE, XLSX_MEDIA_TYPE

router = APIRouter(prefix="/api", tags=["results"])

AgsPath = Annotated[str, PathParam(description="AGS (Amtlicher Gemeindeschlüssel, 8 digits), e.g. 14729160",
                                   max_length=32, examples=["14729160"])]
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


@router.get("/municipalities/{ags}/summary.csv", response_class=Response, responses=_file("text/csv"))
def municipality_summary_csv(ags: AgsPath, serving: ServingDep, record: CurrentRunDep,
                             lang: LangQuery = "de") -> Response:
    """The county table's row of one municipality, with the same header block and headers."""
    return Response(serving.results.summary_csv(record, lang, ags), media_type=CSV_MEDIA_TYPE,
                    headers={"Content-Disposition": f'attachment; filename="potenzial_{ags}_{record.run_id}.csv"'})


@router.get("/municipalities/{ags}/summary.xlsx", response_class=Response, responses=_file(XLSX_MEDIA_TYPE))
def municipality_summary_xlsx(ags: AgsPath, serving: ServingDep, record: CurrentRunDep,
                              lang: LangQuery = "de") -> Response:
    """The county workbook with one municipality's row (read-me, units, notes and sources as there)."""
    return Response(serving.results.summary_xlsx(record, lang, ags), media_type=XLSX_MEDIA_TYPE,
                    headers={"Content-Disposition": f'attachment; filename="potenzial_{ags}_{record.run_id}.xlsx"'})

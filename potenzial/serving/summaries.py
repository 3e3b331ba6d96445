"""Every per-municipality figure of a run, and the summary table as CSV and XLSX.

The figures are merged from the run's per-municipality tables by
:func:`potenzial.serving.figures.merge_figures`; the summary has one row per municipality and one
column per figure, headed ``column [unit]``.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping
from typing import NamedTuple

import geopandas as gpd
import pandas as pd

from potenzial.runs import RunRecord
from potenzial.serving.figures import Figure, json_value, merge_figures
from potenzial.serving.headline import HeadlineParams, with_headline
from potenzial.serving.sources import SourceInfo
from potenzial.store.base import Store
from potenzial.store.schema import MUNICIPALITIES, RESULTS, ResultSchema

XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_MEDIA_TYPE = "text/csv; charset=utf-8"


class RunFigures(NamedTuple):
    """The merged figures of a run: one row per municipality."""

    merged: pd.DataFrame  #: one row per AGS, one column per figure
    meta: list[Figure]  #: the figures in column order, with unit and source table
    municipalities: gpd.GeoDataFrame  #: the municipalities layer, EPSG:25833


def run_figures(store: Store, record: RunRecord, schemas: Mapping[str, ResultSchema] = RESULTS,
                headline: HeadlineParams | None = None, use_table: pd.DataFrame | None = None) -> RunFigures:
    """Read the municipalities and every per-municipality table of ``schemas`` the run holds, merged,
    with the headline figures (:mod:`potenzial.serving.headline`; default parameters when none are given)
    appended."""
    run_layers = store.run_layers(record.run_id)
    base = store.read(MUNICIPALITIES.name, record.run_id)
    tables = [(sch, store.read(name, record.run_id)) for name, sch in schemas.items()
              if sch.per_municipality and name != MUNICIPALITIES.name and name in run_layers]
    merged, meta = merge_figures(pd.DataFrame(base.drop(columns=base.geometry.name)), MUNICIPALITIES, tables)
    merged, meta = with_headline(merged, meta, headline if headline is not None else HeadlineParams(), use_table)
    return RunFigures(merged, meta, base)


def summary_frame(figures: RunFigures) -> pd.DataFrame:
    """The figures with ``column [unit]`` headers."""
    out = figures.merged[[f.column for f in figures.meta]].copy()
    out.columns = [f.header for f in figures.meta]
    return out


def summary_csv(figures: RunFigures) -> bytes:
    """UTF-8 CSV of :func:`summary_frame`, ``\\n`` line ends."""
    buffer = io.StringIO()
    summary_frame(figures).to_csv(buffer, index=False, quoting=csv.QUOTE_MINIMAL, lineterminator="\n")
    return buffer.getvalue().encode("utf-8")


def summary_xlsx(figures: RunFigures, record: RunRecord, sources: Iterable[SourceInfo]) -> bytes:
    """Sheet ``summary`` (units in the headers), ``units`` and ``sources`` (provenance of the run)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    frame = summary_frame(figures)
    book = Workbook()
    sheet = book.active
    sheet.title = "summary"
    sheet.append(list(frame.columns))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in frame.itertuples(index=False):
        sheet.append([json_value(v) for v in row])
    sheet.freeze_panes = "C2"
    units = book.create_sheet("units")
    units.append(["column", "unit", "table"])
    for f in figures.meta:
        units.append([f.column, f.unit, f.table])
    sheet_sources = book.create_sheet("sources")
    sheet_sources.append(["run_id", record.run_id, "params_hash", record.params_hash,
                          "code_version", record.code_version])
    sheet_sources.append(["layer", "title", "provenance", "licence", "attribution"])
    for s in sources:
        sheet_sources.append([s.layer_id, s.title, s.provenance, s.licence, s.attribution])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


__all__ = ["CSV_MEDIA_TYPE", "XLSX_MEDIA_TYPE", "RunFigures", "run_figures", "summary_csv", "summary_frame",
           "summary_xlsx"]

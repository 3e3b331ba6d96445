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

from potenzial.results.headline import HEADLINE, HEAT_NOTE, PRECEDENCE_TITLES, STAGE_TITLES, USE_BASIS_TITLES
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


def headline_notes(merged: pd.DataFrame) -> dict[str, tuple[str, str]]:
    """What the headline figures of the summary are: stage, precedence rule, electricity use, heat."""
    def first(column: str, default: str) -> str:
        values = merged[column].dropna() if column in merged.columns else pd.Series(dtype=object)
        return str(values.iloc[0]) if len(values) else default

    basis = "estimate" if "estimate" in set(merged.get("electricity_use_basis", pd.Series(["estimate"]))) else "table"
    return {
        "stage": STAGE_TITLES.get(first("stage", "restricted"), STAGE_TITLES["restricted"]),
        "precedence": PRECEDENCE_TITLES.get(first("precedence", "wind_first"), PRECEDENCE_TITLES["wind_first"]),
        "electricity_use_basis": USE_BASIS_TITLES[basis],
        "heat_potential_gwh_per_a": HEAT_NOTE,
        "energy types": ("Strom (GWh_el/a), Wärme (GWh_th/a) und Primärenergie werden nie addiert.",
                         "Electricity (GWh_el/a), heat (GWh_th/a) and primary energy are never added."),
        "roof_installed_mw": ("Dach-PV = MaStR-PV 2024 ohne die Freiflächenanlagen (UFZ-Liste 2015).",
                              "Roof PV = MaStR 2024 PV without the open-field plants (UFZ list of 2015)."),
    }


def summary_xlsx(figures: RunFigures, record: RunRecord, sources: Iterable[SourceInfo]) -> bytes:
    """Sheet ``summary`` (units in the headers), ``units`` (with each figure's German and English title
    where declared), ``notes`` (stage and precedence rule of the headline figures, the electricity use,
    what the heat holds) and ``sources`` (provenance of the run)."""
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
    units.append(["column", "unit", "table", "Titel", "title"])
    declared = {**RESULTS, HEADLINE.name: HEADLINE}
    for f in figures.meta:
        title = declared[f.table].column_title(f.source_column) if f.table in declared else {"de": "", "en": ""}
        units.append([f.column, f.unit, f.table, title["de"], title["en"]])
    notes = book.create_sheet("notes")
    notes.append(["", "Deutsch", "English"])
    for label, (de, en) in headline_notes(figures.merged).items():
        notes.append([label, de, en])
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

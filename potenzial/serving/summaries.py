"""Every per-municipality figure of a run, and the summary table as CSV and XLSX.

The figures are merged from the run's per-municipality tables by
:func:`potenzial.serving.figures.merge_figures`; the summary has one row per municipality and one
column per figure, headed "Titel (Einheit)" in the chosen language (German by default), values
rounded to the decimals their unit declares (:mod:`potenzial.results.vocabulary`) and class values
given by their titles.

The CSV is UTF-8 with a byte-order mark (so that spreadsheet programs read the umlauts) and starts
with a header block: lines whose first cell begins with ``#`` (run, date, synthetic inputs,
attribution), then one empty line, then the table. The XLSX carries the same block on its first
sheet, "Lies mich – Read me", in German and English.
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
from potenzial.serving.sources import SourceInfo, joined
from potenzial.serving.workbook import workbook_bytes
from potenzial.store.base import Store
from potenzial.store.schema import MUNICIPALITIES, RESULTS, ResultSchema

XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_MEDIA_TYPE = "text/csv; charset=utf-8"
READ_ME_SHEET = "Lies mich – Read me"


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


#: what the CSV's header block and the XLSX's read-me sheet say, per language
READ_ME_TITLES = {
    "run_id": ("Lauf", "Run"),
    "finished_at": ("Berechnet am", "Computed on"),
    "synthetic": ("Synthetische Eingangsdaten", "Synthetic inputs"),
    "attribution": ("Quellen (Namensnennung)", "Sources (attribution)"),
    "format": ("Format", "Format"),
}
_FORMAT_NOTE = ("Eine Zeile je Gemeinde; Spaltenköpfe „Titel (Einheit)“; Werte auf die Stellen ihrer Einheit "
                "gerundet; Dezimalpunkt.",
                "One row per municipality; headers 'Title (unit)'; values rounded to their unit's digits; "
                "decimal point.")
_NONE = ("keine: alle Eingangsdaten sind reale Daten", "none: every input is real data")


def _schemas() -> dict[str, ResultSchema]:
    return {**RESULTS, HEADLINE.name: HEADLINE}


def of_municipalities(figures: RunFigures, ags: Iterable[str]) -> RunFigures:
    """The same figures restricted to the municipalities ``ags`` (rows in the run's order)."""
    wanted = set(ags)
    merged = figures.merged[figures.merged["ags"].astype(str).isin(wanted)].reset_index(drop=True)
    munis = figures.municipalities[figures.municipalities["ags"].astype(str).isin(wanted)]
    return RunFigures(merged, figures.meta, munis)


def figure_headers(figures: RunFigures, lang: str = "de") -> list[str]:
    """Each figure's "Titel (Einheit)" in ``lang``; a figure renamed in the merge (``<table>_<column>``)
    or whose label another figure already has gets its table's title appended."""
    declared, headers, seen = _schemas(), [], set()
    for f in figures.meta:
        sch = declared.get(f.table)
        header = sch.label(f.source_column, lang) if sch else f.header
        if sch and (header in seen or f.column != f.source_column):
            header = f"{header} – {sch.titles[lang]}"
        seen.add(header)
        headers.append(header)
    return headers


def _readable(f: Figure, values: pd.Series, lang: str) -> pd.Series:
    sch = _schemas().get(f.table)
    if sch is None:
        return values
    if sch.classes_of(f.source_column):
        return values.map(lambda v: None if v is None or (isinstance(v, float) and pd.isna(v))
                          else sch.class_title(f.source_column, v, lang) or v)
    decimals = sch.column_decimals(f.source_column)
    if f.numeric and decimals is not None:
        rounded = pd.to_numeric(values, errors="coerce").round(decimals)
        return rounded.astype("Int64") if decimals == 0 else rounded
    return values


def summary_frame(figures: RunFigures, lang: str = "de") -> pd.DataFrame:
    """The figures with "Titel (Einheit)" headers in ``lang``, rounded, class values by title."""
    out = pd.DataFrame({i: _readable(f, figures.merged[f.column], lang) for i, f in enumerate(figures.meta)})
    out.columns = figure_headers(figures, lang)
    return out


def read_me(record: RunRecord, sources: Iterable[SourceInfo]) -> list[tuple[str, str, str]]:
    """(item, German, English) of the header block: run, date, synthetic inputs, attribution, format."""
    sources = tuple(sources)
    synthetic = [s.title or s.layer_id for s in sources if s.synthetic]
    attribution = joined(s.attribution for s in sources)
    rows = [("run_id", record.run_id, record.run_id), ("finished_at", record.finished_at, record.finished_at)]
    if synthetic:
        listed = "; ".join(synthetic)
        rows.append(("synthetic", f"ja – synthetische Platzhalter, keine realen Zahlen: {listed}",
                     f"yes – synthetic stand-ins, not real figures: {listed}"))
    else:
        rows.append(("synthetic", *_NONE))
    rows += [("attribution", attribution, attribution), ("format", *_FORMAT_NOTE)]
    return rows


def summary_csv(figures: RunFigures, record: RunRecord, sources: Iterable[SourceInfo], lang: str = "de") -> bytes:
    """UTF-8 CSV with byte-order mark: the header block (``# …`` lines), an empty line, the table of
    :func:`summary_frame`; ``\\n`` line ends."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    index = 1 if lang == "de" else 2
    for row in read_me(record, sources):
        writer.writerow([f"# {READ_ME_TITLES[row[0]][index - 1]}", row[index]])
    writer.writerow([])
    summary_frame(figures, lang).to_csv(buffer, index=False, quoting=csv.QUOTE_MINIMAL, lineterminator="\n")
    return buffer.getvalue().encode("utf-8-sig")


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


def summary_xlsx(figures: RunFigures, record: RunRecord, sources: Iterable[SourceInfo], lang: str = "de") -> bytes:
    """Sheet "Lies mich – Read me" (the CSV's header block in German and English), ``summary`` (as the
    CSV's table), ``units`` (each figure's field name, unit, table and titles), ``notes`` (stage and
    precedence rule of the headline figures, the electricity use, what the heat holds) and ``sources``
    (provenance of the inputs the figures derive from)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    sources = tuple(sources)
    book = Workbook()
    about = book.active
    about.title = READ_ME_SHEET
    about.append(["", "Deutsch", "English"])
    for item, de, en in read_me(record, sources):
        about.append([" / ".join(READ_ME_TITLES[item]), de, en])
    for cell in about[1]:
        cell.font = Font(bold=True)
    frame = summary_frame(figures, lang)
    sheet = book.create_sheet("summary")
    sheet.append(list(frame.columns))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in frame.itertuples(index=False):
        sheet.append([json_value(v) for v in row])
    sheet.freeze_panes = "C2"
    units = book.create_sheet("units")
    units.append(["column", "unit", "table", "Titel", "title", "Einheit", "Beschreibung", "description"])
    declared = _schemas()
    for f in figures.meta:
        sch = declared.get(f.table)
        title = sch.column_title(f.source_column) if sch else {"de": "", "en": ""}
        unit = sch.column_unit(f.source_column) if sch else {"de": f.unit, "en": f.unit}
        text = sch.column_description(f.source_column) if sch else {"de": "", "en": ""}
        units.append([f.column, unit["en"], f.table, title["de"], title["en"], unit["de"], text["de"], text["en"]])
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
    return workbook_bytes(book, record.finished_at)


__all__ = ["CSV_MEDIA_TYPE", "READ_ME_SHEET", "XLSX_MEDIA_TYPE", "RunFigures", "figure_headers", "of_municipalities",
           "read_me", "run_figures", "summary_csv", "summary_frame", "summary_xlsx"]

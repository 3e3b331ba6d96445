"""The municipality download: a GeoPackage with every result layer clipped to the municipality,
its figures (``summary``), a README table (method, units, sources, licences) and QGIS styles.

It is built once per run and municipality into ``<raster_cache>/<run_id>/downloads/<ags>.gpkg``
(:func:`download_path`), then served from disk; concurrent requests for the same file build it once.
The fact sheet is kept the same way (:func:`factsheet_path`). Publishing a run builds both for every
municipality (:mod:`potenzial.serving.prepare`).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from potenzial.results.headline import HEADLINE
from potenzial.runs import RunRecord
from potenzial.serving.geopackage import DownloadLayer, write_municipality_geopackage
from potenzial.serving.municipality import Municipality
from potenzial.serving.registry import LayerRegistry
from potenzial.serving.sources import SourceInfo
from potenzial.store.base import Store
from potenzial.store.schema import RESULTS

GPKG_MEDIA_TYPE = "application/geopackage+sqlite3"
DOWNLOADS_FOLDER = "downloads"
FACTSHEETS_FOLDER = "factsheets"

_build_locks: dict[Path, threading.Lock] = {}
_build_guard = threading.Lock()


def _lock_for(path: Path) -> threading.Lock:
    with _build_guard:
        return _build_locks.setdefault(path, threading.Lock())


def download_path(raster_cache: Path, run_id: str, ags: str) -> Path:
    """Where the download of municipality ``ags`` of run ``run_id`` is kept."""
    return raster_cache / run_id / DOWNLOADS_FOLDER / f"{ags}.gpkg"


def download_sources(registry: LayerRegistry) -> tuple[SourceInfo, ...]:
    """The inputs the download derives from: those of its layers and of its figures, in run order."""
    used = {s.layer_id for layer in registry.vector_layers() for s in layer.sources}
    used |= {s.layer_id for s in registry.figure_sources}
    return tuple(s for s in registry.sources if s.layer_id in used)


def factsheet_path(raster_cache: Path, run_id: str, ags: str, fmt: str = "html", lang: str = "de") -> Path:
    """Where the fact sheet (``fmt`` html or pdf, language ``lang``) of municipality ``ags`` of run
    ``run_id`` is kept."""
    if fmt not in ("html", "pdf"):
        raise ValueError(f"fact sheet format {fmt!r}: html or pdf")
    return raster_cache / run_id / FACTSHEETS_FOLDER / f"{ags}.{lang}.{fmt}"


def write_once(path: Path, build: Callable[[], bytes]) -> Path:
    """``path`` with the bytes ``build()`` returns, written once (temporary file, then rename) and then
    reused; concurrent callers for the same path build it once."""
    if path.is_file():
        return path
    with _lock_for(path):
        if path.is_file():
            return path
        data = build()
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.partial")
        try:
            tmp.write_bytes(data)
            os.replace(tmp, path)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
    return path


def readme_frame(record: RunRecord, registry: LayerRegistry, municipality: Municipality) -> pd.DataFrame:
    """The ``readme`` table: about, run, synthetic-data warning (the synthetic inputs the download derives
    from, and each synthetic layer), method, units, sources, licence."""
    ags, meta = municipality.ags, municipality.meta
    sources = download_sources(registry)
    synthetic = [s.layer_id for s in sources if s.synthetic]
    rows = [("about", "municipality", f"{municipality.name} (AGS {ags})"),
            ("about", "produced by", "potenzial – renewable-energy potentials per municipality"),
            ("run", "run_id", record.run_id), ("run", "finished_at", record.finished_at),
            ("run", "params_hash", record.params_hash), ("run", "code_version", record.code_version)]
    if synthetic:
        rows.append(("warning", "synthetic demo data",
                     "Synthetische Platzhalter / synthetic stand-ins: " + ", ".join(synthetic)
                     + ". Daraus abgeleitete Zahlen sind nicht real / figures derived from them are not real."))
    for layer in registry.vector_layers():
        if layer.synthetic:
            rows.append(("warning", layer.id, "abgeleitet aus synthetischen Daten / derived from synthetic data: "
                         + ", ".join(s.layer_id for s in layer.sources if s.synthetic)))
        rows.append(("method", layer.id, layer.description or layer.title))
    for f in meta:
        if f.unit:
            rows.append(("units", f"{f.table}.{f.source_column}", f.unit))
    for layer in registry.layers.values():
        for column, unit in layer.field_units.items():
            rows.append(("units", f"{layer.id}.{column}", unit))
    for s in sources:
        rows.append(("sources", s.layer_id,
                     f"{s.title} – {s.provenance} – licence {s.licence} – {s.attribution}"))
    rows.append(("licence", "this download", "Derived data; keep the attributions of every source listed above."))
    return pd.DataFrame(rows, columns=["section", "item", "text"]).drop_duplicates().reset_index(drop=True)


def summary_table(municipality: Municipality) -> pd.DataFrame:
    """The ``summary`` table: one row per figure with its German and English title and unit, as text and
    (numeric figures) as number."""
    values, meta = municipality.values, municipality.meta
    declared = {**RESULTS, HEADLINE.name: HEADLINE}
    labels = [(declared[f.table].column_title(f.source_column), declared[f.table].column_unit(f.source_column))
              if f.table in declared else ({"de": f.column, "en": f.column}, {"de": f.unit, "en": f.unit})
              for f in meta]
    return pd.DataFrame({
        "figure": [f.column for f in meta],
        "title_de": [t["de"] for t, _ in labels],
        "title_en": [t["en"] for t, _ in labels],
        "unit_de": [u["de"] for _, u in labels],
        "value_text": [None if values[f.column] is None else str(values[f.column]) for f in meta],
        "value_number": [float(values[f.column]) if f.numeric and values[f.column] is not None else None  # type: ignore[arg-type]
                         for f in meta],
        "unit": [f.unit for f in meta],
        "source_table": [f.table for f in meta],
    })


def build_download(store: Store, record: RunRecord, registry: LayerRegistry, municipality: Municipality,
                   path: Path) -> Path:
    """The municipality's GeoPackage at ``path``: written once (atomically), then reused."""
    if path.is_file():
        return path
    with _lock_for(path):
        if path.is_file():
            return path
        area = municipality.area
        layers = [DownloadLayer(registry.schemas[layer.id], store.read_bbox(layer.id, area.bounds, record.run_id),
                                layer.display_colour, layer.style)
                  for layer in registry.vector_layers()]
        write_municipality_geopackage(path, layers, area, summary_table(municipality),
                                      readme_frame(record, registry, municipality))
    return path


__all__ = ["GPKG_MEDIA_TYPE", "build_download", "download_path", "factsheet_path", "readme_frame", "summary_table",
           "write_once"]

"""What the result routes return, built from the store, the registry and :mod:`potenzial.serving`:
merged per-municipality figures, one municipality, the GeoPackage download, the fact sheet and
the values at a point. Heavy products are cached per run (a run never changes)."""

from __future__ import annotations

import csv
import io
import re
import threading
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import rasterio
import shapely
from pyproj import Transformer
from rasterio.errors import RasterioError

from api.registry import LayerRegistry
from api.serving import Serving
from potenzial.crs import ANALYSIS_CRS, ANALYSIS_EPSG, WGS84
from potenzial.errors import NotFoundError
from potenzial.runs import RunRecord
from potenzial.serving.factsheet import FactSheet, MapLayer, factsheet_html
from potenzial.serving.figures import Figure, json_value, merge_figures
from potenzial.serving.geopackage import DownloadLayer, write_municipality_geopackage
from potenzial.store.schema import MUNICIPALITIES, RESULTS
from potenzial.tiles.grid import lonlat_to

AGS_PATTERN = re.compile(r"^\d{8}$")
#: features listed per layer in a point answer
POINT_MAX_FEATURES = 20
#: property names that explain an exclusion (``reason``, ``rule``, ``*_reason`` …)
EXCLUSION_FIELDS = ("reason", "reasons", "rule", "rules", "exclusion", "exclusion_reason", "criterion")
XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
GPKG_MEDIA_TYPE = "application/geopackage+sqlite3"

_build_locks: dict[Path, threading.Lock] = {}
_build_guard = threading.Lock()


# ------------------------------------------------------------------ figures


def figures(serving: Serving, record: RunRecord) -> tuple[pd.DataFrame, list[Figure], gpd.GeoDataFrame]:
    """(merged figures, their metadata, the municipalities layer in EPSG:25833) of a run."""

    def build():
        store = serving.store
        run_layers = store.run_layers(record.run_id)
        base = store.read(MUNICIPALITIES.name, record.run_id)
        tables = [(sch, store.read(name, record.run_id)) for name, sch in RESULTS.items()
                  if sch.per_municipality and name != MUNICIPALITIES.name and name in run_layers]
        merged, meta = merge_figures(pd.DataFrame(base.drop(columns=base.geometry.name)), MUNICIPALITIES, tables)
        return merged, meta, base

    return serving.products.get_or_build(("figures", record.run_id), build)


def municipality_row(serving: Serving, record: RunRecord, ags: str) -> tuple[dict, list[Figure], gpd.GeoDataFrame]:
    """(figures of one municipality, metadata, its one-row GeoDataFrame); NotFoundError for unknown AGS."""
    if not AGS_PATTERN.match(ags):
        raise NotFoundError("unknown municipality: an AGS has 8 digits, e.g. 14729160 "
                            "(see the list at api/municipalities).")
    merged, meta, base = figures(serving, record)
    rows = merged[merged["ags"] == ags]
    if rows.empty:
        raise NotFoundError(f"no municipality with AGS {ags} in run {record.run_id} "
                            "(see the list at api/municipalities).")
    values = {f.column: json_value(rows.iloc[0][f.column]) for f in meta}
    return values, meta, base[base["ags"] == ags]


def summary_frame(serving: Serving, record: RunRecord) -> tuple[pd.DataFrame, list[Figure]]:
    merged, meta, _ = figures(serving, record)
    out = merged[[f.column for f in meta]].copy()
    out.columns = [f.header for f in meta]
    return out, meta


def summary_csv(serving: Serving, record: RunRecord) -> bytes:
    frame, _ = summary_frame(serving, record)
    buffer = io.StringIO()
    frame.to_csv(buffer, index=False, quoting=csv.QUOTE_MINIMAL, lineterminator="\n")
    return buffer.getvalue().encode("utf-8")


def summary_xlsx(serving: Serving, record: RunRecord, registry: LayerRegistry) -> bytes:
    """Sheet ``summary`` (units in the headers), ``units`` and ``sources`` (provenance of the run)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    frame, meta = summary_frame(serving, record)
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
    for f in meta:
        units.append([f.column, f.unit, f.table])
    sources = book.create_sheet("sources")
    sources.append(["run_id", record.run_id, "params_hash", record.params_hash, "code_version", record.code_version])
    sources.append(["layer", "title", "provenance", "licence", "attribution"])
    for s in registry.sources:
        sources.append([s.get("layer_id"), s.get("title"), s.get("provenance"), s.get("licence"), s.get("attribution")])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# ------------------------------------------------------------------ downloads and fact sheets


def _lock_for(path: Path) -> threading.Lock:
    with _build_guard:
        return _build_locks.setdefault(path, threading.Lock())


def readme_frame(record: RunRecord, registry: LayerRegistry, meta: list[Figure], ags: str, name: str) -> pd.DataFrame:
    rows = [("about", "municipality", f"{name} (AGS {ags})"),
            ("about", "produced by", "potenzial – renewable-energy potentials per municipality"),
            ("run", "run_id", record.run_id), ("run", "finished_at", record.finished_at),
            ("run", "params_hash", record.params_hash), ("run", "code_version", record.code_version)]
    if record.synthetic_inputs:
        rows.append(("warning", "synthetic demo data",
                     "This run used synthetic stand-ins for: " + ", ".join(record.synthetic_inputs)
                     + ". Their figures are not real."))
    for layer in registry.layers.values():
        if layer.kind == "vector":
            rows.append(("method", layer.id, layer.description or layer.title))
    for f in meta:
        if f.unit:
            rows.append(("units", f"{f.table}.{f.source_column}", f.unit))
    for layer in registry.layers.values():
        for column, unit in layer.field_units.items():
            rows.append(("units", f"{layer.id}.{column}", unit))
    for s in registry.sources:
        rows.append(("sources", s.get("layer_id", ""),
                     f"{s.get('title', '')} – {s.get('provenance', '')} – licence {s.get('licence', '')} – "
                     f"{s.get('attribution', '')}"))
    rows.append(("licence", "this download", "Derived data; keep the attributions of every source listed above."))
    return pd.DataFrame(rows, columns=["section", "item", "text"]).drop_duplicates().reset_index(drop=True)


def download_path(serving: Serving, record: RunRecord, ags: str) -> Path:
    """The municipality's GeoPackage (built once per run, then served from disk)."""
    values, meta, row = municipality_row(serving, record, ags)
    path = serving.raster_cache / record.run_id / "downloads" / f"{ags}.gpkg"
    if path.is_file():
        return path
    with _lock_for(path):
        if path.is_file():
            return path
        registry = serving.registry(record)
        area = row.geometry.iloc[0]
        layers = [DownloadLayer(RESULTS[layer.id], serving.store.read_bbox(layer.id, area.bounds, record.run_id),
                                layer.colour or "#666666")
                  for layer in registry.layers.values() if layer.kind == "vector"]
        summary = pd.DataFrame({
            "figure": [f.column for f in meta],
            "value_text": [None if values[f.column] is None else str(values[f.column]) for f in meta],
            "value_number": [float(values[f.column]) if f.numeric and values[f.column] is not None else None
                             for f in meta],
            "unit": [f.unit for f in meta],
            "source_table": [f.table for f in meta],
        })
        readme = readme_frame(record, registry, meta, ags, str(values.get("name", "")))
        write_municipality_geopackage(path, layers, area, summary, readme)
    return path


def factsheet(serving: Serving, record: RunRecord, ags: str) -> str:
    def build() -> str:
        values, meta, row = municipality_row(serving, record, ags)
        _, _, base = figures(serving, record)
        registry = serving.registry(record)
        area = row.geometry.iloc[0]
        neighbours = [g for a, g in zip(base["ags"], base.geometry, strict=True)
                      if a != ags and g.intersects(area.buffer(2000))]
        map_layers = []
        for layer in registry.layers.values():
            if layer.kind != "vector" or layer.id == MUNICIPALITIES.name:
                continue
            frame = serving.store.read_bbox(layer.id, area.bounds, record.run_id, limit=20_000)
            geoms = [g for g in shapely.intersection(frame.geometry.values, area) if not g.is_empty] \
                if not frame.empty else []
            map_layers.append(MapLayer(layer.title, layer.colour or "#666666", geoms))
        sheet = FactSheet(
            ags=ags, name=str(values.get("name", ags)), figures=values, figure_meta=meta, area=area,
            neighbours=neighbours, layers=map_layers,
            run={"run_id": record.run_id, "finished_at": record.finished_at, "params_hash": record.params_hash,
                 "code_version": record.code_version, "synthetic_inputs": list(record.synthetic_inputs)},
            sources=list(registry.sources),
        )
        return factsheet_html(sheet)

    return serving.products.get_or_build(("factsheet", record.run_id, ags), build)


def municipality_detail(serving: Serving, record: RunRecord, ags: str, base_url: str) -> dict:
    values, meta, row = municipality_row(serving, record, ags)
    registry = serving.registry(record)
    geometry = row.to_crs(WGS84).geometry.iloc[0]
    return {
        "ags": ags, "name": values.get("name"), "run_id": record.run_id, "params_hash": record.params_hash,
        "code_version": record.code_version, "finished_at": record.finished_at,
        "synthetic_inputs": list(record.synthetic_inputs),
        "figures": values, "units": {f.column: f.unit for f in meta}, "tables": {f.column: f.table for f in meta},
        "geometry": shapely.geometry.mapping(geometry), "bounds": list(geometry.bounds),
        "sources": list(registry.sources),
        "links": {"download": f"{base_url}/api/municipalities/{ags}/download.gpkg",
                  "factsheet": f"{base_url}/api/municipalities/{ags}/factsheet.html"},
    }


# ------------------------------------------------------------------ point


def _raster_value(path: Path, lon: float, lat: float) -> float | None:
    try:
        with rasterio.open(path) as src:
            x, y = Transformer.from_crs(WGS84, src.crs, always_xy=True).transform(lon, lat)
            row, col = src.index(x, y)
            if not (0 <= row < src.height and 0 <= col < src.width):
                return None
            value = src.read(1, window=((row, row + 1), (col, col + 1)), masked=True)
    except RasterioError:
        return None
    if np.ma.getmaskarray(value)[0, 0]:
        return None
    result = float(value[0, 0])
    return result if np.isfinite(result) else None


def _is_reason_field(name: str) -> bool:
    return name in EXCLUSION_FIELDS or name.endswith("_reason") or name.endswith("_reasons")


def point(serving: Serving, record: RunRecord, lon: float, lat: float, tolerance_m: float) -> dict:
    """Every layer's value at a point and every exclusion reason found there."""
    registry = serving.registry(record)
    x, y = lonlat_to(lon, lat, ANALYSIS_EPSG)
    here = shapely.Point(x, y)
    box = (x - tolerance_m, y - tolerance_m, x + tolerance_m, y + tolerance_m)
    layers, reasons, municipality = [], [], None
    for layer in registry.layers.values():
        entry = {"id": layer.id, "title": layer.title, "kind": layer.kind, "units": layer.units,
                 "value": None, "features": []}
        if layer.kind == "raster":
            entry["value"] = _raster_value(layer.analysis_path, lon, lat) if layer.analysis_path else None
        else:
            frame = serving.store.read_bbox(layer.id, box, record.run_id, limit=1000)
            if not frame.empty:
                near = frame[frame.geometry.distance(here) <= tolerance_m].head(POINT_MAX_FEATURES)
                props = pd.DataFrame(near.drop(columns=near.geometry.name))
                for rec in props.to_dict(orient="records"):
                    clean = {k: json_value(v) for k, v in rec.items()}
                    entry["features"].append(clean)
                    for key, value in clean.items():
                        if _is_reason_field(key) and value not in (None, ""):
                            reasons.append({"layer": layer.id, "field": key, "reason": str(value)})
                if layer.id == MUNICIPALITIES.name and len(near):
                    inside = near[near.geometry.contains(here)]
                    if len(inside):
                        municipality = {"ags": str(inside["ags"].iloc[0]), "name": str(inside["name"].iloc[0])}
        layers.append(entry)
    return {"lon": lon, "lat": lat, "x_m": x, "y_m": y, "crs": ANALYSIS_CRS.to_string(), "run_id": record.run_id,
            "tolerance_m": tolerance_m, "municipality": municipality, "layers": layers,
            "exclusion_reasons": reasons}


async def run_with_limit(serving: Serving, func, *args):
    """Run a blocking product builder in the thread pool within the request time limit (503 after)."""
    import asyncio

    from fastapi.concurrency import run_in_threadpool

    from potenzial.tiles import TileTimeoutError

    limit = serving.config.request_timeout_s
    try:
        return await asyncio.wait_for(run_in_threadpool(func, *args), timeout=limit)
    except TimeoutError:
        raise TileTimeoutError(f"building the answer took longer than {limit:g} s; try again in a moment "
                               "(it continues in the background and is cached when done).") from None

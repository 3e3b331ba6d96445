"""The per-municipality download: one GeoPackage with the municipality's result layers clipped
to it, its figures, a README table (method, units, sources, licences) and QGIS styles."""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
import shapely

from potenzial.errors import InputDataError
from potenzial.results import ResultSchema
from potenzial.serving.cartography import LayerStyle
from potenzial.serving.styles import LAYER_STYLES_TABLE, classified_qml, layer_qml, layer_styles_table

SUMMARY_TABLE = "summary"
README_TABLE = "readme"
_OGR_TYPES = {"MULTIPOLYGON": "MultiPolygon", "MULTILINESTRING": "MultiLineString", "MULTIPOINT": "MultiPoint",
              "POLYGON": "Polygon", "LINESTRING": "LineString", "POINT": "Point"}


@dataclass(frozen=True)
class DownloadLayer:
    """A result layer for the download: rows already read (any extent), its schema and colour."""

    schema: ResultSchema
    frame: gpd.GeoDataFrame
    colour: str
    style: LayerStyle | None = None  #: the map's classes; None: one colour


def clip_to(frame: gpd.GeoDataFrame, area: shapely.Geometry, geometry_type: str) -> gpd.GeoDataFrame:
    """Rows of ``frame`` inside ``area``, geometries cut at its boundary, of the schema's type."""
    if frame.empty:
        return frame
    hits = frame.sindex.query(area, predicate="intersects")
    frame = frame.iloc[sorted(hits)].copy()
    kind = geometry_type.upper().removeprefix("MULTI")
    if kind == "POINT":
        return frame.reset_index(drop=True)
    dim = 2 if kind == "POLYGON" else 1
    cut = shapely.intersection(frame.geometry.values, area)
    keep = []
    for geom in cut:
        if shapely.get_dimensions(geom) != dim or geom.geom_type == "GeometryCollection":
            parts = [g for g in shapely.get_parts(geom) if shapely.get_dimensions(g) == dim]
            geom = shapely.union_all(parts) if parts else shapely.Point()
        keep.append(geom)
    frame = frame.set_geometry(gpd.GeoSeries(keep, index=frame.index, crs=frame.crs))
    frame = frame[~frame.geometry.is_empty]
    return frame.reset_index(drop=True)


def field_aliases(sch: ResultSchema, lang: str = "de") -> dict[str, str]:
    """QGIS aliases of a layer's fields: each column's "Titel (Einheit)" from its schema."""
    return {column: sch.label(column, lang) for column in sch.column_names}


def write_municipality_geopackage(path: Path, layers: list[DownloadLayer], area: shapely.Geometry,
                                  summary: pd.DataFrame, readme: pd.DataFrame, label_field: str = "name",
                                  lang: str = "de") -> Path:
    """Write the download atomically (temporary file, then rename) and return ``path``; the styles
    carry the fields' aliases in ``lang``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.stem}.{os.getpid()}.{threading.get_ident()}.partial.gpkg")
    tmp.unlink(missing_ok=True)
    try:
        styles = []
        for layer in layers:
            sch = layer.schema
            geometry_type = sch.geometry_type
            if not geometry_type:
                raise InputDataError(f"result {sch.name} is a table without geometry; only layers with "
                                     "geometry are clipped into the download (tables go into its summary).")
            clipped = clip_to(layer.frame, area, geometry_type)
            clipped = clipped[[*sch.column_names, clipped.geometry.name]]
            pyogrio.write_dataframe(clipped, tmp, layer=sch.name, driver="GPKG",
                                    geometry_type=_OGR_TYPES[geometry_type],
                                    promote_to_multi=geometry_type.startswith("MULTI"),
                                    layer_options={"DESCRIPTION": sch.description[:250]} if sch.description else None)
            label = label_field if label_field in sch.column_names else None
            aliases = field_aliases(sch, lang)
            qml = (classified_qml(geometry_type, layer.style, label, aliases) if layer.style is not None
                   else layer_qml(geometry_type, layer.colour, label, aliases))
            styles.append((sch.name, f"{sch.name} (potenzial)", qml))
        pyogrio.write_dataframe(summary, tmp, layer=SUMMARY_TABLE, driver="GPKG")
        pyogrio.write_dataframe(readme, tmp, layer=README_TABLE, driver="GPKG")
        pyogrio.write_dataframe(layer_styles_table(styles), tmp, layer=LAYER_STYLES_TABLE, driver="GPKG")
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return path

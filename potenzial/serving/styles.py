"""QGIS styles (QML) for result layers, stored in a GeoPackage's ``layer_styles`` table so that
the layers open styled in QGIS (the table layout QGIS itself writes)."""

from __future__ import annotations

from datetime import UTC, datetime
from xml.sax.saxutils import quoteattr

import pandas as pd

QGIS_VERSION = "3.28.0-Firenze"
FILL_ALPHA = 150
LAYER_STYLES_TABLE = "layer_styles"


def _rgba(hex_colour: str, alpha: int = 255) -> str:
    h = hex_colour.lstrip("#")
    return f"{int(h[0:2], 16)},{int(h[2:4], 16)},{int(h[4:6], 16)},{alpha}"


def _options(values: dict[str, str]) -> str:
    inner = "".join(f'<Option type="QString" name={quoteattr(k)} value={quoteattr(v)}/>' for k, v in values.items())
    return f'<Option type="Map">{inner}</Option>'


def symbol_layer(geometry_type: str, colour: str) -> tuple[str, str]:
    """(QGIS symbol type, symbol layer XML) for a geometry type such as MULTIPOLYGON."""
    kind = geometry_type.upper().removeprefix("MULTI")
    if kind == "POLYGON":
        return "fill", ('<layer class="SimpleFill" enabled="1" pass="0" locked="0">' + _options({
            "color": _rgba(colour, FILL_ALPHA), "outline_color": _rgba("#333333"), "outline_width": "0.26",
            "outline_width_unit": "MM", "style": "solid", "outline_style": "solid"}) + "</layer>")
    if kind == "LINESTRING":
        return "line", ('<layer class="SimpleLine" enabled="1" pass="0" locked="0">' + _options({
            "line_color": _rgba(colour), "line_width": "0.6", "line_width_unit": "MM",
            "line_style": "solid"}) + "</layer>")
    return "marker", ('<layer class="SimpleMarker" enabled="1" pass="0" locked="0">' + _options({
        "color": _rgba(colour), "outline_color": _rgba("#333333"), "size": "2.4", "size_unit": "MM",
        "name": "circle"}) + "</layer>")


def aliases_qml(aliases: dict[str, str]) -> str:
    """The ``<aliases>`` element: what QGIS shows instead of each field name (the schemas' labels)."""
    inner = "".join(f"<alias field={quoteattr(field)} index={quoteattr(str(i))} name={quoteattr(name)}/>"
                    for i, (field, name) in enumerate(aliases.items()))
    return f"<aliases>{inner}</aliases>"


def layer_qml(geometry_type: str, colour: str, label_field: str | None = None,
              aliases: dict[str, str] | None = None) -> str:
    """A QML document with a single-symbol renderer in ``colour`` (a label when given, and field
    aliases when given)."""
    kind, layer = symbol_layer(geometry_type, colour)
    labels = ""
    if label_field:
        labels = ('<labeling type="simple"><settings calloutType="simple">'
                  f'<text-style fieldName={quoteattr(label_field)} '
                  'fontSize="8" textColor="0,0,0,255"/><text-buffer bufferDraw="1" bufferSize="0.8" '
                  'bufferColor="255,255,255,255"/></settings></labeling>')
    return ("<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>"
            f'<qgis version="{QGIS_VERSION}" styleCategories="Symbology|Labeling|Fields">'
            '<renderer-v2 type="singleSymbol" symbollevels="0" enableorderby="0" forceraster="0">'
            f'<symbols><symbol type="{kind}" name="0" alpha="1" clip_to_extent="1" force_rhr="0">{layer}</symbol>'
            "</symbols></renderer-v2>"
            f"{labels}{aliases_qml(aliases) if aliases else ''}</qgis>")


def layer_styles_table(styles: list[tuple[str, str, str]], geometry_column: str = "geom") -> pd.DataFrame:
    """The ``layer_styles`` rows for (table name, style name, QML) triples, one default style each."""
    now = datetime.now(UTC).replace(microsecond=0, tzinfo=None)
    return pd.DataFrame({
        "f_table_catalog": ["" for _ in styles],
        "f_table_schema": ["" for _ in styles],
        "f_table_name": [t for t, _, _ in styles],
        "f_geometry_column": [geometry_column for _ in styles],
        "styleName": [n for _, n, _ in styles],
        "styleQML": [q for _, _, q in styles],
        "styleSLD": ["" for _ in styles],
        "useAsDefault": [True for _ in styles],
        "description": [f"potenzial default style of {t}" for t, _, _ in styles],
        "owner": ["potenzial" for _ in styles],
        "ui": ["" for _ in styles],
        "update_time": pd.to_datetime([now for _ in styles]),
    })

"""QGIS styles (QML) for result layers, stored in a GeoPackage's ``layer_styles`` table so that
the layers open styled in QGIS (the table layout QGIS itself writes)."""

from __future__ import annotations

from datetime import UTC, datetime
from xml.sax.saxutils import quoteattr

import pandas as pd

from potenzial.serving.cartography import OTHER_COLOUR, LayerStyle, StyleClass

QGIS_VERSION = "3.28.0-Firenze"
FILL_ALPHA = 150
LAYER_STYLES_TABLE = "layer_styles"


def _rgba(hex_colour: str, alpha: int = 255) -> str:
    h = hex_colour.lstrip("#")
    return f"{int(h[0:2], 16)},{int(h[2:4], 16)},{int(h[4:6], 16)},{alpha}"


def _options(values: dict[str, str]) -> str:
    inner = "".join(f'<Option type="QString" name={quoteattr(k)} value={quoteattr(v)}/>' for k, v in values.items())
    return f'<Option type="Map">{inner}</Option>'


def symbol_layer(geometry_type: str, colour: str, light: bool = False) -> tuple[str, str]:
    """(QGIS symbol type, symbol layer XML) for a geometry type such as MULTIPOLYGON; ``light`` draws
    a polygon hatched with a dashed outline (the soft variant of a flagged style)."""
    kind = geometry_type.upper().removeprefix("MULTI")
    if kind == "POLYGON":
        fill = {"color": _rgba(colour, 255), "style": "b_diagonal", "outline_style": "dash",
                "outline_color": _rgba(colour)} if light else \
            {"color": _rgba(colour, FILL_ALPHA), "style": "solid", "outline_style": "solid",
             "outline_color": _rgba("#333333")}
        return "fill", ('<layer class="SimpleFill" enabled="1" pass="0" locked="0">' + _options({
            "color": fill["color"], "outline_color": fill["outline_color"], "outline_width": "0.26",
            "outline_width_unit": "MM", "style": fill["style"], "outline_style": fill["outline_style"]})
            + "</layer>")
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


def _labels(label_field: str | None) -> str:
    if not label_field:
        return ""
    return ('<labeling type="simple"><settings calloutType="simple">'
            f'<text-style fieldName={quoteattr(label_field)} '
            'fontSize="8" textColor="0,0,0,255"/><text-buffer bufferDraw="1" bufferSize="0.8" '
            'bufferColor="255,255,255,255"/></settings></labeling>')


def _document(renderer: str, label_field: str | None, aliases: dict[str, str] | None = None) -> str:
    return ("<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>"
            f'<qgis version="{QGIS_VERSION}" styleCategories="Symbology|Labeling|Fields">'
            f"{renderer}{_labels(label_field)}{aliases_qml(aliases) if aliases else ''}</qgis>")


def _symbol(geometry_type: str, name: str, colour: str, light: bool = False) -> str:
    kind, layer = symbol_layer(geometry_type, colour, light)
    return f'<symbol type="{kind}" name="{name}" alpha="1" clip_to_extent="1" force_rhr="0">{layer}</symbol>'


def layer_qml(geometry_type: str, colour: str, label_field: str | None = None,
              aliases: dict[str, str] | None = None) -> str:
    """A QML document with a single-symbol renderer in ``colour`` (a label and field aliases when given)."""
    return _document('<renderer-v2 type="singleSymbol" symbollevels="0" enableorderby="0" forceraster="0">'
                     f"<symbols>{_symbol(geometry_type, '0', colour)}</symbols></renderer-v2>", label_field, aliases)


# ------------------------------------------------------------------ classified renderers


def _label(titles: dict[str, str]) -> str:
    """German first, English beside it (QGIS shows one label per class)."""
    return titles["de"] if titles["de"] == titles["en"] else f"{titles['de']} / {titles['en']}"


def _qgis_string(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _field(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def class_expression(style: LayerStyle) -> str:
    """The QGIS expression that gives a feature's class code (the renderer's ``attr``): the field itself
    for a categorised style; for a first-match style the first class whose members meet the list in the
    field, then (with a flag field) ``:hard``/``:soft`` style suffixes ``:1`` / ``:0``."""
    if style.kind != "first_match":
        return style.field
    items = f"string_to_array({_field(style.field)}, ',')"
    whens = " ".join(
        f"WHEN array_intersect({items}, array({', '.join(_qgis_string(m) for m in c.members)})) "
        f"THEN {_qgis_string(c.code)}" for c in style.classes)
    expression = f"CASE {whens} ELSE {_qgis_string(OTHER_CODE)} END"
    if style.flag_field:
        expression = f"({expression}) || CASE WHEN {_field(style.flag_field)} THEN ':1' ELSE ':0' END"
    return expression


#: the class code of features no class takes
OTHER_CODE = "other"


def _categories(style: LayerStyle) -> list[tuple[str, dict[str, str], str, bool]]:
    """(value, titles, colour, light) of every category the renderer lists, the 'other' class last."""
    other = StyleClass(OTHER_CODE, style.other_de, style.other_en, OTHER_COLOUR)
    classes = [*style.classes, other] if style.kind == "first_match" else list(style.classes)
    if not style.flag_field or style.flag_titles is None:
        return [(c.code, c.titles, c.colour, False) for c in classes]
    flag = style.flag_titles
    out = []
    for c in classes:
        out.append((f"{c.code}:1", {"de": f"{c.title_de} ({flag.true_de.split(':')[0]})",
                                    "en": f"{c.title_en} ({flag.true_en.split(':')[0]})"}, c.colour, False))
        out.append((f"{c.code}:0", {"de": f"{c.title_de} ({flag.false_de.split(':')[0]})",
                                    "en": f"{c.title_en} ({flag.false_en.split(':')[0]})"}, c.colour, True))
    return out


def classified_qml(geometry_type: str, style: LayerStyle, label_field: str | None = None,
                   aliases: dict[str, str] | None = None) -> str:
    """A QML document with the categorised or graduated renderer of ``style``
    (:mod:`potenzial.serving.cartography`): the same classes and colours as the web map."""
    if style.kind == "graduated":
        ranges, symbols = [], []
        for i, c in enumerate(style.classes):
            lower = c.low if c.low is not None else GRADUATED_BOTTOM
            upper = c.high if c.high is not None else GRADUATED_TOP
            ranges.append(f'<range symbol="{i}" lower="{lower:g}" upper="{upper:g}" '
                          f'label={quoteattr(_label(c.titles))} render="true"/>')
            symbols.append(_symbol(geometry_type, str(i), c.colour))
        renderer = (f'<renderer-v2 type="graduatedSymbol" attr={quoteattr(style.field)} '
                    'graduatedMethod="GraduatedColor" symbollevels="0" enableorderby="0" forceraster="0">'
                    f"<ranges>{''.join(ranges)}</ranges><symbols>{''.join(symbols)}</symbols></renderer-v2>")
        return _document(renderer, label_field, aliases)
    categories, symbols = [], []
    for i, (value, titles, colour, light) in enumerate(_categories(style)):
        categories.append(f'<category symbol="{i}" value={quoteattr(value)} label={quoteattr(_label(titles))} '
                          'render="true"/>')
        symbols.append(_symbol(geometry_type, str(i), colour, light))
    renderer = (f'<renderer-v2 type="categorizedSymbol" attr={quoteattr(class_expression(style))} '
                'symbollevels="0" enableorderby="0" forceraster="0">'
                f"<categories>{''.join(categories)}</categories><symbols>{''.join(symbols)}</symbols>"
                "</renderer-v2>")
    return _document(renderer, label_field, aliases)


#: limits QGIS gets for a class open at one end
GRADUATED_BOTTOM, GRADUATED_TOP = -1e12, 1e12


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

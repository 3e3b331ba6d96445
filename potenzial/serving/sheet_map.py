"""One technology's map on the fact sheet, as inline SVG drawn from the store's geometries in
EPSG:25833 (metres, north up, so that the scale bar is true): the area's outline, its neighbours, place
names, the one layer, a legend, a scale bar, a north arrow and the attribution.

A layer with more polygons than fit the page readably (roof planes: tens of thousands, each smaller
than a pixel) is drawn as the cells of a grid that hold at least one of them, and the legend says so.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from potenzial.serving.charts import FONT
from potenzial.serving.sheet_texts import Lang, number, text

WIDTH = 1000  #: map width [SVG user units]; the sheet scales it to the text width
MAX_HEIGHT = 620  #: the map's greatest height [user units]
PAD_SHARE = 0.03  #: margin around the area [share of its larger side]
MAX_POLYGONS = 3000  #: above this many polygons a layer is drawn as grid cells
SIMPLIFY_PX = 1.0  #: what outlines may move when simplified [user units: 0.18 mm on the page]
CELL_PX = 5  #: the cell size of such a grid [user units]
MAX_POINTS = 2000
COLOURS = {"neighbour": "#ececec", "neighbour_line": "#a8a8a8", "area": "#ffffff", "outline": "#303030",
           "member_line": "#8a8a8a", "label": "#333333", "neighbour_label": "#595959"}
LABEL_SIZE = 15
MAX_ATTRIBUTION_CHARS = 160  #: a longer attribution of a map's layers is left to the sources page


@dataclass
class MapLayer:
    """One layer of a technology's map: its title per language, colour, geometries (EPSG:25833, inside
    the area) and the attribution its sources ask for."""

    titles: dict[str, str]
    colour: str
    geoms: list[BaseGeometry] = field(default_factory=list)
    attribution: str = ""
    #: the layer as drawn, per map frame: (SVG, drawn as grid cells) – the same in every language and format
    drawn: dict[tuple[float, ...], tuple[str, bool]] = field(default_factory=dict, repr=False, compare=False)

    def draw(self, frame: _Frame) -> tuple[str, bool]:
        """(the layer's SVG in ``frame``, whether its polygons were drawn as grid cells), drawn once per frame."""
        key = (frame.minx, frame.maxy, frame.scale)
        if key not in self.drawn:
            polygons, as_cells = _polygons(frame, self)
            self.drawn[key] = (polygons + _points(frame, self), as_cells)
        return self.drawn[key]


@dataclass(frozen=True)
class Place:
    """A named area (a municipality) drawn with its name [EPSG:25833]."""

    name: str
    geom: BaseGeometry


def _esc(value: str) -> str:
    return html.escape(value, quote=True)


class _Frame:
    """The map's frame: EPSG:25833 bounds fitted into the SVG, same scale on both axes."""

    def __init__(self, bounds: tuple[float, float, float, float]) -> None:
        minx, miny, maxx, maxy = bounds
        pad = PAD_SHARE * max(maxx - minx, maxy - miny, 1.0)
        minx, miny, maxx, maxy = minx - pad, miny - pad, maxx + pad, maxy + pad
        self.scale = min(WIDTH / (maxx - minx), MAX_HEIGHT / (maxy - miny))  #: user units per metre
        self.height = int(np.ceil((maxy - miny) * self.scale))
        cx = (minx + maxx) / 2
        self.minx = cx - WIDTH / 2 / self.scale
        self.maxx = cx + WIDTH / 2 / self.scale
        self.miny, self.maxy = miny, maxy
        self.box = shapely.box(self.minx, self.miny, self.maxx, self.maxy)

    def px(self, xy: np.ndarray) -> np.ndarray:
        return np.column_stack(((xy[:, 0] - self.minx) * self.scale, (self.maxy - xy[:, 1]) * self.scale))

    def path(self, geom: BaseGeometry, simplify: bool = True) -> str:
        """An SVG path of a polygon or line geometry, simplified to :data:`SIMPLIFY_PX` (unless ``simplify``
        is false: the caller did)."""
        simple = shapely.simplify(geom, SIMPLIFY_PX / self.scale, preserve_topology=False) if simplify else geom
        parts = []
        for part in shapely.get_parts(simple):
            if part.geom_type == "Polygon":
                rings = [part.exterior, *part.interiors]
                closed = True
            elif part.geom_type == "LineString":
                rings, closed = [part], False
            else:
                continue
            for ring in rings:
                xy = self.px(np.asarray(ring.coords))
                if len(xy) < 2:
                    continue
                parts.append("M" + "L".join(f"{x:.1f},{y:.1f}" for x, y in xy) + ("Z" if closed else ""))
        return "".join(parts)


def _polygons(frame: _Frame, layer: MapLayer) -> tuple[str, bool]:
    """(the SVG of a layer's polygons, whether they were drawn as grid cells)."""
    polys = [g for g in layer.geoms if g.geom_type.endswith("Polygon") and not g.is_empty]
    if not polys:
        return "", False
    if len(polys) <= MAX_POLYGONS:
        # opaque, so overlapping features (two feedstocks on one field) look the same drawn once: identical
        # outlines are drawn once
        simple = shapely.simplify(np.asarray(polys, dtype=object), SIMPLIFY_PX / frame.scale, preserve_topology=False)
        distinct = {bytes(shapely.to_wkb(g)): g for g in simple if not g.is_empty}.values()
        d = "".join(frame.path(g, simplify=False) for g in distinct)
        return (f'<path d="{d}" fill="{layer.colour}" stroke="{layer.colour}" stroke-width="0.6" '
                'fill-rule="evenodd"/>'), False
    centres = frame.px(shapely.get_coordinates(shapely.point_on_surface(np.asarray(polys, dtype=object))))
    cells = np.unique(np.floor(centres / CELL_PX).astype(np.int64), axis=0)
    d = "".join(f"M{cx * CELL_PX},{cy * CELL_PX}h{CELL_PX}v{CELL_PX}h-{CELL_PX}Z" for cx, cy in cells)
    return f'<path d="{d}" fill="{layer.colour}"/>', True


def _points(frame: _Frame, layer: MapLayer) -> str:
    points = [p for g in layer.geoms if g.geom_type.endswith("Point") for p in shapely.get_parts(g)]
    if not points:
        return ""
    xy = frame.px(shapely.get_coordinates(np.asarray(points[:MAX_POINTS], dtype=object)))
    return "".join(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="5" fill="{layer.colour}" stroke="#ffffff" '
                   'stroke-width="1.2"/>' for x, y in xy)


def _labels(frame: _Frame, places: Sequence[Place], taken: list[tuple[float, float, float, float]],
            colour: str, weight: str) -> list[str]:
    """Names at each place's inner point, where the name fits the frame and meets no other label."""
    out = []
    for place in places:
        visible = shapely.intersection(place.geom, frame.box)
        if visible.is_empty or visible.area < (40 / frame.scale) ** 2:
            continue
        x, y = frame.px(np.asarray(visible.point_on_surface().coords))[0]
        w, h = 0.62 * LABEL_SIZE * len(place.name), LABEL_SIZE * 1.2
        box = (x - w / 2, y - h, x + w / 2, y + 4)
        inside = box[0] > 4 and box[2] < WIDTH - 4 and box[1] > 4 and box[3] < frame.height - 4
        if not inside or any(box[0] < b[2] and b[0] < box[2] and box[1] < b[3] and b[1] < box[3] for b in taken):
            continue
        taken.append(box)
        out.append(f'<rect x="{box[0]:.1f}" y="{box[1]:.1f}" width="{w:.1f}" height="{h + 4:.1f}" rx="3" '
                   'fill="#ffffff" fill-opacity="0.75"/>'
                   f'<text x="{x:.1f}" y="{y:.1f}" font-size="{LABEL_SIZE}" text-anchor="middle" fill="{colour}" '
                   f'font-weight="{weight}">{_esc(place.name)}</text>')
    return out


def _scale_bar(frame: _Frame, lang: Lang) -> str:
    """A bar of a round length near a fifth of the map's width, bottom left."""
    target_m = WIDTH / 5 / frame.scale
    step = 10 ** np.floor(np.log10(target_m))
    length_m = float(next(b for b in (5 * step, 2 * step, step) if b <= target_m))
    length = length_m * frame.scale
    label = f"{number(length_m / 1000, lang, 0 if length_m >= 1000 else 1)} km"
    y = frame.height - 18
    return (f'<g><rect x="14" y="{y - 26}" width="{length + 20:.1f}" height="38" fill="#ffffff" fill-opacity="0.85"/>'
            f'<rect x="24" y="{y}" width="{length / 2:.1f}" height="6" fill="#303030"/>'
            f'<rect x="{24 + length / 2:.1f}" y="{y}" width="{length / 2:.1f}" height="6" fill="#ffffff" '
            f'stroke="#303030" stroke-width="1"/>'
            f'<text x="24" y="{y - 6}" font-size="14" fill="#222">{_esc(label)}</text></g>')


def _north_arrow(lang: Lang) -> str:
    x, y = WIDTH - 40, 18
    return (f'<g aria-label="{_esc(text("north", lang))}"><rect x="{x - 20}" y="{y - 8}" width="40" height="62" '
            f'fill="#ffffff" fill-opacity="0.85"/>'
            f'<path d="M{x},{y}L{x + 11},{y + 34}L{x},{y + 26}L{x - 11},{y + 34}Z" fill="#303030"/>'
            f'<text x="{x}" y="{y + 50}" font-size="14" font-weight="bold" text-anchor="middle" fill="#222">N</text>'
            "</g>")


def _legend(entries: Sequence[tuple[str, str]], lang: Lang) -> tuple[str, tuple[float, float, float, float]]:
    """(the legend's SVG, its box): each entry a swatch (``outline``, ``neighbour`` or a colour) and a label."""
    w = 24 + 8.2 * max(len(label) for _, label in entries) + 12
    h = 30 + 22 * len(entries)
    out = [f'<g><rect x="10" y="10" width="{w:.0f}" height="{h}" fill="#ffffff" fill-opacity="0.9" '
           f'stroke="#bbbbbb" stroke-width="1"/>',
           f'<text x="20" y="30" font-size="14" font-weight="bold" fill="#222">{_esc(text("legend", lang))}</text>']
    for i, (swatch, label) in enumerate(entries):
        y = 40 + 22 * i
        if swatch == "outline":
            out.append(f'<rect x="20" y="{y}" width="16" height="14" fill="{COLOURS["area"]}" '
                       f'stroke="{COLOURS["outline"]}" stroke-width="2.5"/>')
        elif swatch == "neighbour":
            out.append(f'<rect x="20" y="{y}" width="16" height="14" fill="{COLOURS["neighbour"]}" '
                       f'stroke="{COLOURS["neighbour_line"]}" stroke-width="1"/>')
        else:
            out.append(f'<rect x="20" y="{y}" width="16" height="14" fill="{swatch}"/>')
        out.append(f'<text x="44" y="{y + 12}" font-size="13" fill="#222">{_esc(label)}</text>')
    out.append("</g>")
    return "".join(out), (10.0, 10.0, 10.0 + w, 10.0 + h)


def sheet_map_svg(area: BaseGeometry, members: Sequence[Place], neighbours: Sequence[Place],
                  layers: Sequence[MapLayer], title: str, lang: Lang) -> str:
    """The map of ``layers`` over ``area`` (the union of ``members``; EPSG:25833), its ``neighbours`` around
    it, with legend, scale bar and north arrow; ``title`` names it for screen readers. The attribution its
    layers ask for is the caller's to print under it (:func:`attribution_of`)."""
    frame = _Frame(area.bounds)
    h = frame.height
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {h}" class="map" '
           f'role="img" aria-label="{_esc(title)}" font-family="{FONT}">', f"<title>{_esc(title)}</title>",
           f'<defs><clipPath id="frame"><rect width="{WIDTH}" height="{h}"/></clipPath></defs>',
           f'<rect width="{WIDTH}" height="{h}" fill="#f7f7f7"/>', '<g clip-path="url(#frame)">']
    for place in neighbours:
        visible = shapely.intersection(place.geom, frame.box)
        if not visible.is_empty:
            out.append(f'<path d="{frame.path(visible)}" fill="{COLOURS["neighbour"]}" '
                       f'stroke="{COLOURS["neighbour_line"]}" stroke-width="1" fill-rule="evenodd"/>')
    out.append(f'<path d="{frame.path(area)}" fill="{COLOURS["area"]}" stroke="none" fill-rule="evenodd"/>')
    entries: list[tuple[str, str]] = []
    for layer in layers:
        drawn, as_cells = layer.draw(frame)
        out.append(drawn)
        label = layer.titles.get(lang) or layer.titles.get("en", "")
        if not layer.geoms:
            label = f"{label} ({text('no_features', lang)})"
        elif as_cells:
            label = f"{label} ({text('cells', lang)})"
        entries.append((layer.colour, label))
    if len(members) > 1:
        for place in members:
            out.append(f'<path d="{frame.path(place.geom.boundary)}" fill="none" stroke="{COLOURS["member_line"]}" '
                       'stroke-width="1"/>')
    out.append(f'<path d="{frame.path(area)}" fill="none" stroke="{COLOURS["outline"]}" stroke-width="2.5" '
               'fill-rule="evenodd"/>')
    out.append("</g>")
    legend, legend_box = _legend([*entries, ("outline", text("outline", lang)),
                                  *([("neighbour", text("neighbours", lang))] if neighbours else [])], lang)
    taken = [legend_box, (WIDTH - 64.0, 0.0, float(WIDTH), 80.0), (0.0, h - 60.0, 320.0, float(h))]
    out.extend(_labels(frame, members, taken, COLOURS["label"], "bold"))
    out.extend(_labels(frame, neighbours, taken, COLOURS["neighbour_label"], "normal"))
    out.append(legend)
    out.append(_scale_bar(frame, lang))
    out.append(_north_arrow(lang))
    out.append("</svg>")
    return "".join(out)


def attribution_of(boundaries: str, layers: Sequence[MapLayer], lang: Lang) -> str:
    """What the map credits: the boundaries' source, then each layer's sources (each once); where that
    is longer than :data:`MAX_ATTRIBUTION_CHARS`, the layers' sources are named by the sources page."""
    parts = list(dict.fromkeys(p.strip() for layer in layers for p in layer.attribution.split("; ") if p.strip()))
    data = "; ".join(p for p in parts if p not in boundaries)
    if len(data) > MAX_ATTRIBUTION_CHARS:
        data = text("see_sources", lang)
    return f"{text('boundaries', lang)}: {boundaries or '–'} · {text('layer', lang)}: {data or '–'}"


__all__ = ["MapLayer", "Place", "attribution_of", "sheet_map_svg"]

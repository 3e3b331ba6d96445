"""The fact sheet's charts as inline SVG (drawn on the server, no script): horizontal bars, grouped or
stacked, every bar labelled with its value and unit in the sheet's language."""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from potenzial.serving.sheet_texts import Lang, format_value, text

FONT = "DejaVu Sans, Arial, sans-serif"
#: chart geometry in SVG user units (the sheet scales the chart to its column width)
WIDTH = 760
LABEL_W = 120  #: the least room for the bars' labels
MAX_LABEL_W = 360
CHAR_W = 7.6  #: the width of a character at the labels' size, generously
VALUE_W = 150
BAR_H = 16
GAP = 8
#: series colours (ColorBrewer Dark2 and greys: distinguishable with colour-vision deficiency, 3:1 on white)
COLOURS = {"installed": "#636363", "potential": "#1b7a5a", "use": "#7570b3",
           "solar_roof": "#d95f02", "pv_ground": "#a6761d", "wind": "#1f78b4", "biomass": "#4d9221",
           "technical": "#9ecae1", "restricted": "#4292c6", "realisable": "#08519c"}


@dataclass(frozen=True)
class Segment:
    """One part of a bar: what it is, its value (None: not computed) and its colour."""

    label: str
    value: float | None
    colour: str


@dataclass(frozen=True)
class Bar:
    """One bar of a chart: its label and its parts (one part: a plain bar; more: stacked)."""

    label: str
    segments: tuple[Segment, ...]

    @property
    def total(self) -> float | None:
        values = [s.value for s in self.segments if s.value is not None and np.isfinite(s.value)]
        return float(sum(max(v, 0.0) for v in values)) if values else None


def _esc(value: str) -> str:
    return html.escape(value, quote=True)


def bar_chart_svg(title: str, unit: str, bars: Sequence[Bar], lang: Lang, legend: bool = False) -> str:
    """Horizontal bars, one row per :class:`Bar` (stacked where a bar has several segments), each with its
    total in ``unit`` written at its end; ``legend`` lists the segments' labels and colours below."""
    totals = [b.total for b in bars if b.total is not None]
    top = max(totals) if totals and max(totals) > 0 else 1.0
    label_w = min(MAX_LABEL_W, max([LABEL_W, *(int(CHAR_W * len(b.label)) + 12 for b in bars)]))
    shown = [format_value(b.total, unit, lang) if b.total is not None else text("not_computed", lang) for b in bars]
    value_w = max([VALUE_W, *(int(CHAR_W * len(v)) + 12 for v in shown)])
    chart_w = WIDTH - label_w - value_w
    y0 = 28
    height = y0 + len(bars) * (BAR_H + GAP) + (28 if legend else 6)
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" class="chart" role="img" '
           f'aria-label="{_esc(title)}" font-family="{FONT}">',
           f"<title>{_esc(title)}</title>",
           f'<text x="0" y="16" font-size="15" font-weight="bold" fill="#222">{_esc(title)}'
           f'{" [" + _esc(unit) + "]" if unit else ""}</text>']
    for i, bar in enumerate(bars):
        y = y0 + i * (BAR_H + GAP)
        out.append(f'<text x="{label_w - 8}" y="{y + BAR_H - 4}" font-size="13" text-anchor="end" '
                   f'fill="#222">{_esc(bar.label)}</text>')
        x = float(label_w)
        for seg in bar.segments:
            if seg.value is None or not np.isfinite(seg.value) or seg.value <= 0:
                continue
            w = seg.value / top * chart_w
            out.append(f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{BAR_H}" fill="{seg.colour}">'
                       f"<title>{_esc(seg.label)}: {_esc(format_value(seg.value, unit, lang))}</title></rect>")
            x += w
        out.append(f'<text x="{x + 6:.1f}" y="{y + BAR_H - 4}" font-size="13" fill="#222">{_esc(shown[i])}</text>')
    if legend:
        y = height - 10
        x = float(label_w)
        seen: dict[str, str] = {}
        for bar in bars:
            for seg in bar.segments:
                seen.setdefault(seg.label, seg.colour)
        for label, colour in seen.items():
            out.append(f'<rect x="{x:.1f}" y="{y - 11}" width="12" height="12" fill="{colour}"/>'
                       f'<text x="{x + 16:.1f}" y="{y}" font-size="12" fill="#222">{_esc(label)}</text>')
            x += 16 + 7.5 * len(label) + 14
    out.append("</svg>")
    return "".join(out)


__all__ = ["COLOURS", "Bar", "Segment", "bar_chart_svg"]

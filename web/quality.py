"""The side panel's data-quality block: each graded technology's grade by its declared title.

The grades and their titles are declared once in :data:`potenzial.results.quality.QUALITY`; the
grade columns of the ``quality`` table are shown here by title and left out of the raw list.
"""

from __future__ import annotations

from collections.abc import Sequence

from potenzial.results.quality import QUALITY
from potenzial.results.quality import TECHNOLOGIES as GRADED
from potenzial.serving.factsheet import POTENTIAL_LABELS
from potenzial.serving.figures import Figure


def quality_panel(meta: Sequence[Figure]) -> list[dict]:
    """Per technology the run graded: its label, the grade column, the reason columns per language and
    the title of every grade (JSON-ready)."""
    present = {f.column for f in meta if f.table == QUALITY.name}
    classes = dict(QUALITY.classes)
    out = []
    for tech in GRADED:
        column = f"{tech}_grade"
        if column not in present:
            continue
        de, en = POTENTIAL_LABELS[tech]
        out.append({
            "key": tech, "label": {"de": de, "en": en}, "column": column,
            "reason": {"de": f"{column}_reason_de", "en": f"{column}_reason_en"},
            "grades": {c.code: {"de": c.title_de, "en": c.title_en} for c in classes[column]},
        })
    return out


def quality_columns(meta: Sequence[Figure]) -> list[str]:
    """The ``quality`` table's columns: shown in the quality block, not in the list of all figures."""
    return [f.column for f in meta if f.table == QUALITY.name and f.column != "ags"]

"""Every per-municipality figure of a run in one table, with its unit.

The base layer ``municipalities`` comes first; every other result schema with
``per_municipality=True`` is joined on ``ags`` in registry order. A column whose name is already
taken keeps its name only if it holds the same values (e.g. installed capacity repeated by a
potential); otherwise it is prefixed with its table name (``<table>_<column>``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from potenzial.results import ResultSchema

KEY = "ags"
#: how a figure's unit is written when the schema gives none
NO_UNIT = ""


@dataclass(frozen=True)
class Figure:
    """One column of the merged table: where it comes from and its unit."""

    column: str  #: name in the merged table
    table: str  #: result table it comes from
    source_column: str  #: name in that table
    unit: str
    dtype: str  #: text | int | float | bool

    @property
    def numeric(self) -> bool:
        return self.dtype in ("int", "float")

    @property
    def header(self) -> str:
        """``column [unit]`` (or just the column for unitless figures): CSV/XLSX headers."""
        return f"{self.column} [{self.unit}]" if self.unit else self.column


def _same(a: pd.Series, b: pd.Series) -> bool:
    if a.dtype.kind in "fiub" and b.dtype.kind in "fiub":
        return bool(np.allclose(a.to_numpy(float), b.to_numpy(float), equal_nan=True))
    return bool((a.astype(str).to_numpy() == b.astype(str).to_numpy()).all())


def merge_figures(base: pd.DataFrame, base_schema: ResultSchema,
                  tables: list[tuple[ResultSchema, pd.DataFrame]]) -> tuple[pd.DataFrame, list[Figure]]:
    """(one row per AGS with every figure, the figures in column order).

    ``base`` is the ``municipalities`` layer (geometry is dropped); ``tables`` are the other
    per-municipality tables of the run. A table with more than one row per AGS is skipped (it
    is not per municipality) and reported in ``skipped`` of the returned frame's ``attrs``.
    """
    units = dict(base_schema.units)
    merged = pd.DataFrame(base[list(base_schema.column_names)]).reset_index(drop=True)
    figures = [Figure(c, base_schema.name, c, units.get(c, NO_UNIT), t) for c, t in base_schema.columns]
    skipped: list[str] = []
    for sch, frame in tables:
        if KEY not in frame.columns or frame[KEY].duplicated().any():
            skipped.append(sch.name)
            continue
        table_units = dict(sch.units)
        indexed = frame.set_index(KEY)
        for column, dtype in sch.columns:
            if column == KEY:
                continue
            values = merged[KEY].map(indexed[column])
            name = column
            if name in merged.columns:
                if _same(merged[name], values):
                    continue
                name = f"{sch.name}_{column}"
            merged[name] = values
            figures.append(Figure(name, sch.name, column, table_units.get(column, NO_UNIT), dtype))
    merged = merged.sort_values(KEY, kind="stable").reset_index(drop=True)
    merged.attrs["skipped"] = skipped
    return merged, figures


def json_value(value):
    """A cell as a JSON value (NaN -> None, numpy scalars -> Python)."""
    if value is None:
        return None
    if isinstance(value, float | np.floating):
        return None if not np.isfinite(value) else float(value)
    if isinstance(value, bool | np.bool_):
        return bool(value)
    if isinstance(value, int | np.integer):
        return int(value)
    if pd.isna(value):
        return None
    return str(value)

"""Read a table (CSV) of the catalog."""

from __future__ import annotations

import pandas as pd

from potenzial.errors import InputDataError
from potenzial.region import LayerEntry


def read_table(entry: LayerEntry, required: tuple[str, ...] = ()) -> pd.DataFrame:
    """Read a CSV entry; ``ags`` (if present) stays text. Names missing ``required`` columns."""
    what = f"layer {entry.id!r} ({entry.path})"
    if entry.kind != "table":
        raise InputDataError(f"{what}: catalog kind is {entry.kind!r}, not table.")
    if not entry.path.is_file():
        raise InputDataError(f"{what}: file not found. Put the file there or fix `source` in the catalog.")
    try:
        frame = pd.read_csv(entry.path, dtype={"ags": str})
    except (pd.errors.ParserError, UnicodeDecodeError, pd.errors.EmptyDataError) as exc:
        raise InputDataError(f"{what}: not a readable CSV ({str(exc).splitlines()[0][:160]}). "
                             "Save it as UTF-8 CSV with a header row.") from None
    frame = frame.rename(columns={src: dst for dst, src in entry.fields.items()})
    if frame.empty:
        raise InputDataError(f"{what}: the table is empty. Point `source` at a file with rows.")
    missing = [c for c in required if c not in frame.columns]
    if missing:
        raise InputDataError(f"{what}: lacks column(s) {', '.join(missing)}. Map them with fields = {{…}}.")
    return frame

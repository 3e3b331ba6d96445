"""An Excel workbook as bytes that depend only on its content: the document's created/modified time is
the run's (or the scenario's) time and every zip entry carries that time, so that the same workbook asked
twice (GET and HEAD, two workers, a cache) has the same bytes, length and ETag."""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from openpyxl import Workbook


def _moment(iso: str) -> datetime:
    try:
        moment = datetime.fromisoformat(iso.replace("Z", "+00:00"))
    except ValueError:
        moment = datetime(2000, 1, 1, tzinfo=UTC)
    moment = moment.astimezone(UTC).replace(tzinfo=None, microsecond=0)
    return max(moment, datetime(1980, 1, 1))  # the zip format's first date


def workbook_bytes(book: Workbook, at_iso: str) -> bytes:
    """``book`` saved with ``at_iso`` (ISO 8601) as its document and entry time."""
    moment = _moment(at_iso)
    book.properties.created = moment
    book.properties.modified = moment
    raw = io.BytesIO()
    book.save(raw)
    out = io.BytesIO()
    stamp = moment.timetuple()[:6]
    with zipfile.ZipFile(io.BytesIO(raw.getvalue())) as source, \
            zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=stamp)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = info.external_attr
            target.writestr(entry, source.read(info.filename))
    return out.getvalue()


__all__ = ["workbook_bytes"]

"""The region's local catalog (``region.local.toml``): one layer entry put in, atomically.

Both ``data fetch`` (a downloaded, converted file) and ``data use`` (a file the user has) write
here. The document is read, the layer's entry replaced, and the new text written to a temporary
file that is renamed over the old one: a failure leaves the previous catalog as it was.
"""

from __future__ import annotations

import os
import tomllib
import uuid
from pathlib import Path

from potenzial.data.toml_text import dumps
from potenzial.errors import ConfigError

LOCAL_FILE = "region.local.toml"
HEADER = "Local catalog: real files for this machine, written by `potenzial data fetch` / `potenzial data use`.\n" \
         "Entries override region.toml layer by layer."


def read_local(region_root: Path) -> dict:
    """The local catalog of the region folder ``region_root`` (``{}`` when there is none)."""
    local = region_root / LOCAL_FILE
    if not local.is_file():
        return {}
    try:
        return tomllib.loads(local.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{local}: not valid TOML ({exc}); fix or remove it first.") from None


def put_local_entry(region_root: Path, layer_id: str, entry: dict[str, object]) -> Path:
    """Replace ``[layers.<layer_id>]`` of the local catalog with ``entry`` (temporary file + rename)."""
    local = region_root / LOCAL_FILE
    doc = read_local(region_root)
    doc.setdefault("layers", {})[layer_id] = entry
    tmp = local.with_name(f".{LOCAL_FILE}.{uuid.uuid4().hex[:8]}")
    try:
        tmp.write_text(dumps(doc, HEADER), encoding="utf-8")
        os.replace(tmp, local)
    finally:
        tmp.unlink(missing_ok=True)
    return local

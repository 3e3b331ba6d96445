"""The source catalog: ``layers/sources/*.toml``, validated into frozen entries.

See ``layers/sources/README.md`` for the keys. A mistake raises ConfigError naming the file,
the entry, the key and the fix.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from potenzial.errors import ConfigError

KINDS = ("vector", "raster", "table", "citygml")
LAYOUTS = ("file", "tiles")
_REQUIRED = ("title", "fills", "kind", "layout", "licence", "attribution")


@dataclass(frozen=True)
class SourceEntry:
    """One downloadable source and the catalog layer it fills."""

    id: str
    catalog: str            #: the catalog file's [catalog] id
    version: str            #: the catalog file's [catalog] version
    title: str
    fills: str
    kind: str
    layout: str
    licence: str
    attribution: str
    url: str = ""
    tile_index: str = ""
    member: str = ""
    layer: str | None = None
    crs: str | None = None
    sha256: str = ""
    fields: dict[str, str] = field(default_factory=dict)
    values: dict[str, dict[str, str]] = field(default_factory=dict)
    columns: tuple[str, ...] = ()
    geometry: str = ""
    units: str = ""
    attribution_url: str = ""
    url_verified: bool = False
    fetch: bool = True
    filter_ags_prefix: bool = False
    kind_value: str = ""     #: a constant for the canonical ``kind`` column (e.g. ``hq100``)
    extra: dict[str, object] = field(default_factory=dict)


def load_sources(paths: list[Path]) -> dict[str, SourceEntry]:
    """All entries of the given catalog files (or of every ``*.toml`` in a folder), by id."""
    files: list[Path] = []
    for path in paths:
        files.extend(sorted(path.glob("*.toml")) if path.is_dir() else [path])
    if not files:
        raise ConfigError(f"no source catalog found in {', '.join(map(str, paths))}. Give a TOML file or the "
                          "folder layers/sources/.")
    out: dict[str, SourceEntry] = {}
    for file in files:
        for entry in _entries(file):
            if entry.id in out:
                raise ConfigError(f"{file}: source {entry.id!r} is defined twice (also in catalog "
                                  f"{out[entry.id].catalog!r}). Give each source a unique id.")
            out[entry.id] = entry
    return out


def _entries(file: Path) -> list[SourceEntry]:
    try:
        doc = tomllib.loads(file.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"source catalog {file}: cannot be read ({exc}). Fix the TOML syntax.") from None
    head = doc.get("catalog", {})
    if not head.get("id") or not head.get("version"):
        raise ConfigError(f"source catalog {file}: [catalog] needs id and version (the date of the last check).")
    entries = []
    known = set(SourceEntry.__dataclass_fields__) - {"id", "catalog", "version", "extra"}
    for sid, raw in doc.get("sources", {}).items():
        where = f"{file}: [sources.{sid}]"
        missing = [k for k in _REQUIRED if not raw.get(k)]
        if missing:
            raise ConfigError(f"{where} lacks {', '.join(missing)}.")
        if raw["kind"] not in KINDS:
            raise ConfigError(f"{where}: kind = {raw['kind']!r}; use one of {', '.join(KINDS)}.")
        if raw["layout"] not in LAYOUTS:
            raise ConfigError(f"{where}: layout = {raw['layout']!r}; use file or tiles.")
        if raw.get("fetch", True) and raw["layout"] == "tiles" and not raw.get("tile_index") and not (
                raw.get("tile_url_pattern") and raw.get("tile_size_m")):
            raise ConfigError(f"{where}: layout = \"tiles\" needs tile_index (a vector file listing the tiles) or "
                              "tile_url_pattern with {e_km}/{n_km} and tile_size_m (a regular grid).")
        args = {k: v for k, v in raw.items() if k in known}
        if "columns" in args:
            args["columns"] = tuple(args["columns"])
        entries.append(SourceEntry(id=sid, catalog=str(head["id"]), version=str(head["version"]),
                                   extra={k: v for k, v in raw.items() if k not in known}, **args))
    return entries

"""Write the small TOML documents this package produces (region files, local catalogs).

Only what those need: tables of tables, strings, numbers, booleans, lists of scalars and inline
tables of strings. Read back with :mod:`tomllib` (tested), so a written file is always valid.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping

from potenzial.errors import ConfigError

_BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")


def _key(key: str) -> str:
    return key if _BARE_KEY.match(key) else json.dumps(key, ensure_ascii=False)


def _value(value: object, where: str) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)   # a JSON string is a valid TOML basic string
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_value(v, where) for v in value) + "]"
    if isinstance(value, Mapping):
        return "{ " + ", ".join(f"{_key(str(k))} = {_value(v, where)}" for k, v in value.items()) + " }"
    raise ConfigError(f"{where}: cannot write a value of type {type(value).__name__} to TOML.")


def dumps(doc: Mapping[str, Mapping[str, object]], header: str = "") -> str:
    """``{"region": {...}, "layers": {"id": {...}}}`` -> TOML text (``[region]``, ``[layers.id]``)."""
    lines = [f"# {line}".rstrip() for line in header.splitlines()]
    for name, table in doc.items():
        _table(lines, [name], table)
    return "\n".join(lines).strip() + "\n"


def _table(lines: list[str], path: list[str], table: Mapping[str, object]) -> None:
    """Write ``[path]``; mappings one level below a top-level table are tables of their own
    (``[layers.<id>]``), deeper ones inline (``fields = { … }``)."""
    nested = len(path) < 2
    scalars = {k: v for k, v in table.items() if not (nested and isinstance(v, Mapping))}
    subtables = {k: v for k, v in table.items() if nested and isinstance(v, Mapping)}
    if scalars or not subtables:
        lines.append("")
        lines.append("[" + ".".join(_key(p) for p in path) + "]")
        for key, value in scalars.items():
            lines.append(f"{_key(key)} = {_value(value, '.'.join(path))}")
    for key, value in subtables.items():
        _table(lines, path + [key], value)

"""Parameter sets: frozen, loaded from a versioned TOML file, identified by their hash."""

from __future__ import annotations

import hashlib
import json
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from potenzial.errors import ConfigError

M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True)
class ParameterSet:
    """The values of one parameter file and the sha256 of their canonical JSON form."""

    path: Path
    version: str
    values: MappingProxyType
    sha256: str

    def section(self, name: str) -> MappingProxyType:
        try:
            return MappingProxyType(self.values[name])
        except KeyError:
            raise ConfigError(f"parameter file {self.path} has no [{name}] section. Add it "
                              "(see layers/params/default/).") from None


def load_params(path: Path) -> ParameterSet:
    """Load and hash a parameter set: one TOML file, or a folder of them merged by section."""
    if path.is_dir():
        files = sorted(path.glob("*.toml"))
        if not files:
            raise ConfigError(f"parameter folder {path} holds no *.toml file.")
    elif path.is_file():
        files = [path]
    else:
        raise ConfigError(f"parameter set {path} does not exist. Use layers/params/default "
                          "or pass --params with an existing file or folder.")
    values: dict[str, Any] = {}
    for file in files:
        for section, content in _read(file).items():
            if section in values:
                raise ConfigError(f"parameter section [{section}] appears twice (again in {file}). "
                                  "Keep each section in one file.")
            values[section] = content
    version = str(values.get("meta", {}).get("version", ""))
    if not version:
        raise ConfigError(f"parameter file {path}: [meta] version is missing. Date the parameter set.")
    canonical = json.dumps(values, sort_keys=True, ensure_ascii=False, default=str)
    digest = hashlib.sha256(canonical.encode("utf-8")).hexdigest()
    return ParameterSet(path=path, version=version, values=MappingProxyType(values), sha256=digest)


def _read(file: Path) -> dict[str, Any]:
    try:
        with file.open("rb") as fh:
            return tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"parameter file {file}: not valid TOML ({exc}).") from None


def plain(value: Any) -> Any:
    """A parameter section (read-only mappings, as ParameterSet hands them out) as plain dicts/lists."""
    if isinstance(value, Mapping):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


def check_ranges(model: BaseModel) -> None:
    """Check a model's ``ranges`` table: every entry names a numeric parameter, is ordered
    low <= central <= high, and holds the parameter's value. Raises ValueError (for a validator)."""
    ranges: Mapping[str, tuple[float, float, float]] = getattr(model, "ranges", {})
    for name, (low, central, high) in ranges.items():
        if name not in type(model).model_fields or name == "ranges":
            raise ValueError(f"ranges.{name}: no such parameter")
        value = getattr(model, name)
        if not isinstance(value, (int, float)) or isinstance(value, bool):
            raise ValueError(f"ranges.{name}: the parameter is not a number")
        if not (low <= central <= high):
            raise ValueError(f"ranges.{name} = [{low}, {central}, {high}] is not ordered low <= central <= high")
        if not (low <= value <= high):
            raise ValueError(f"{name} = {value} lies outside its range [{low}, {high}]")


def validate_section(model: type[M], section: Mapping[str, Any], where: str, file_name: str,
                     context: Mapping[str, Any] | None = None) -> M:
    """Validate a parameter section with ``model``; a ConfigError names the field, the value and
    the fix (``file_name``: the parameter file under layers/params/default/). ``context`` is handed
    to the model's validators (e.g. the rules of the rule set the section names)."""
    try:
        return model.model_validate(plain(section), context=dict(context) if context is not None else None)
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = ".".join(str(x) for x in err.get("loc", ())) or "?"
        shown = "" if err.get("type") == "missing" else f" (got {err.get('input')!r})"
        fix = " Remove it or check the spelling." if err.get("type") == "extra_forbidden" else \
            f" Fix the value in layers/params/default/{file_name}."
        raise ConfigError(f"parameter {where} {loc}: {err.get('msg')}{shown}.{fix}") from None

"""Parameter sets: frozen, loaded from a versioned TOML file, identified by their hash."""

from __future__ import annotations

import hashlib
import json
import tomllib
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any

from potenzial.errors import ConfigError


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

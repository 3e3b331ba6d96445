"""Saved what-if scenarios in a store: name, parameters, base run, created at. They are not part of a
run and outlive it: a scenario whose base run was deleted stays listed and answers that it is gone.

GeoPackage store: one JSON file per scenario in ``<store>/scenarios/`` (written as a temporary file and
renamed). PostGIS: table ``saved_scenarios`` (migration 0014); the server's read-only role may insert
there and nowhere else.
"""

from __future__ import annotations

import json
import os
import re
import uuid
from abc import ABC, abstractmethod
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from potenzial.errors import NotFoundError

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

_ID = re.compile(r"^[0-9a-f]{32}$")


@dataclass(frozen=True)
class SavedScenario:
    scenario_id: str
    name: str
    parameters: dict[str, Any]
    base_run_id: str
    created_at: str  #: ISO 8601, UTC


def new_scenario(name: str, parameters: dict[str, Any], base_run_id: str) -> SavedScenario:
    return SavedScenario(scenario_id=uuid.uuid4().hex, name=name, parameters=parameters, base_run_id=base_run_id,
                         created_at=datetime.now(UTC).isoformat(timespec="seconds"))


def _require_id(scenario_id: str) -> str:
    if not _ID.match(scenario_id):
        raise NotFoundError(f"scenario {scenario_id!r} does not exist (ids are 32 hex digits; the list of saved "
                            "scenarios names them).")
    return scenario_id


class ScenarioStore(ABC):
    @abstractmethod
    def save(self, scenario: SavedScenario) -> None: ...

    @abstractmethod
    def list(self) -> list[SavedScenario]:
        """Every saved scenario, oldest first."""

    @abstractmethod
    def get(self, scenario_id: str) -> SavedScenario:
        """One scenario; NotFoundError when there is none with that id."""


class FileScenarios(ScenarioStore):
    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder) / "scenarios"

    def save(self, scenario: SavedScenario) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        final = self.folder / f"{_require_id(scenario.scenario_id)}.json"
        partial = self.folder / f".{scenario.scenario_id}.partial"
        partial.write_text(json.dumps(asdict(scenario), ensure_ascii=False, sort_keys=True), encoding="utf-8")
        os.replace(partial, final)

    def list(self) -> list[SavedScenario]:
        if not self.folder.is_dir():
            return []
        found = [self._read(p) for p in self.folder.glob("*.json")]
        return sorted(found, key=lambda s: (s.created_at, s.scenario_id))

    def get(self, scenario_id: str) -> SavedScenario:
        path = self.folder / f"{_require_id(scenario_id)}.json"
        if not path.is_file():
            raise NotFoundError(f"scenario {scenario_id} does not exist; the list of saved scenarios names them.")
        return self._read(path)

    @staticmethod
    def _read(path: Path) -> SavedScenario:
        return SavedScenario(**json.loads(path.read_text(encoding="utf-8")))


class PostgisScenarios(ScenarioStore):
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def save(self, scenario: SavedScenario) -> None:
        from sqlalchemy import text

        with self.engine.begin() as conn:
            conn.execute(text("SET TRANSACTION READ WRITE"))
            conn.execute(text("INSERT INTO saved_scenarios (scenario_id, name, parameters, base_run_id, created_at) "
                              "VALUES (:scenario_id, :name, CAST(:parameters AS jsonb), :base_run_id, :created_at)"),
                         {**asdict(scenario), "parameters": json.dumps(scenario.parameters, ensure_ascii=False)})

    def list(self) -> list[SavedScenario]:
        from sqlalchemy import text

        with self.engine.connect() as conn:
            rows = conn.execute(text("SELECT scenario_id, name, parameters, base_run_id, created_at FROM "
                                     "saved_scenarios ORDER BY created_at, scenario_id")).mappings().all()
        return [SavedScenario(**dict(r)) for r in rows]

    def get(self, scenario_id: str) -> SavedScenario:
        from sqlalchemy import text

        with self.engine.connect() as conn:
            row = conn.execute(text("SELECT scenario_id, name, parameters, base_run_id, created_at FROM "
                                    "saved_scenarios WHERE scenario_id = :id"),
                               {"id": _require_id(scenario_id)}).mappings().first()
        if row is None:
            raise NotFoundError(f"scenario {scenario_id} does not exist; the list of saved scenarios names them.")
        return SavedScenario(**dict(row))

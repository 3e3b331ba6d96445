"""The run record: what a run was (id, inputs, parameters, code, timings), the provenance of every
number it produced. Stores persist it (:mod:`potenzial.store`), the pipeline creates it
(:mod:`potenzial.pipeline`), serving and the page show it."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class RunRecord:
    """What a run was: id, inputs, parameters, code and timings (provenance of every number)."""

    run_id: str
    region_id: str
    started_at: str  #: ISO 8601, UTC
    finished_at: str  #: ISO 8601, UTC
    params_hash: str  #: sha256 of the canonical parameter set
    code_version: str  #: package version + git commit when known
    steps: tuple[str, ...] = ()
    timings_s: dict[str, float] = field(default_factory=dict)  #: wall time per step [s]
    synthetic_inputs: tuple[str, ...] = ()  #: ids of input layers that are synthetic stand-ins
    #: what publishing prepared for the first users (display COGs, tiles, downloads, fact sheets): per
    #: product the counts prepared and failed and the seconds (``potenzial.serving.prepare``); added to
    #: the stored record after the publish, empty before and for runs published without preparation
    prepared: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> str:
        return json.dumps(asdict(self), sort_keys=True, ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> RunRecord:
        raw = json.loads(text)
        raw["steps"] = tuple(raw.get("steps", ()))
        raw["synthetic_inputs"] = tuple(raw.get("synthetic_inputs", ()))
        return cls(**raw)


#: the states of a run that did not become a complete run
ATTEMPT_STATES = ("running", "failed", "incomplete")


@dataclass(frozen=True)
class RunAttempt:
    """A run that started but is not (yet) a complete run of the store: ``running`` (it holds the
    run lock now), ``failed`` (it stopped with an error, ``message``) or ``incomplete`` (its process
    died without a word: killed, out of memory, power cut)."""

    run_id: str
    started_at: str  #: ISO 8601, UTC
    status: str  #: one of ATTEMPT_STATES
    message: str = ""  #: the error a failed run stopped with (one line)

    def to_json(self) -> str:
        return json.dumps(asdict(self), sort_keys=True, ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> RunAttempt:
        return cls(**json.loads(text))


__all__ = ["ATTEMPT_STATES", "RunAttempt", "RunRecord"]

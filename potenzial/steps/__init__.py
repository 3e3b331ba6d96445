"""Pipeline steps: one module per potential, found automatically.

A step module defines ``STEP = Step(...)``: its name, its order, the results it produces and a
``run(ctx) -> {result name: frame}`` function that reads inputs through the context, calls the
pure calculation and returns frames. Adding a potential adds a module here; no shared list.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from potenzial.errors import ConfigError

if TYPE_CHECKING:
    import pandas as pd

    from potenzial.steps.context import StepContext


@dataclass(frozen=True)
class Step:
    """A pipeline step: a name, when it runs, what it produces, and the function that does it."""

    name: str
    order: int
    produces: tuple[str, ...]
    run: Callable[[StepContext], dict[str, pd.DataFrame]]
    title: str = ""
    #: checks everything that needs no geometry (parameters, rule sets, catalog); called for every
    #: selected step before any step runs, so a mistake fails before minutes of computing
    check: Callable[[StepContext], object] | None = None


def all_steps() -> list[Step]:
    """Every step of this package, in run order."""
    found: list[Step] = []
    for info in pkgutil.iter_modules(__path__):
        module = importlib.import_module(f"{__name__}.{info.name}")
        step = getattr(module, "STEP", None)
        if isinstance(step, Step):
            found.append(step)
    return sorted(found, key=lambda s: (s.order, s.name))


def select_steps(only: list[str] | None) -> list[Step]:
    """The steps named in ``only`` (all when empty), or a ConfigError listing the known names."""
    steps = all_steps()
    if not only:
        return steps
    known = {s.name for s in steps}
    unknown = [name for name in only if name not in known]
    if unknown:
        raise ConfigError(f"unknown step(s) {', '.join(unknown)} in --only; known steps: {', '.join(sorted(known))}.")
    return [s for s in steps if s.name in only]

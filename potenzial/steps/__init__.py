"""Pipeline steps: one module per potential, found automatically.

A step module defines ``STEP = Step(...)``: its name, its order, the results it produces and
two functions. ``check(ctx) -> prepared`` reads and validates everything the step needs that
costs no computing (parameters, rule sets, turbine, wind field, …) and returns it;
``run(ctx, prepared) -> {result name: frame}`` receives exactly that, reads the remaining inputs
through the context, calls the pure calculation and returns frames. The pipeline calls every
selected step's ``check`` once, before any step runs (a mistake fails before minutes of
computing), and hands each result to that step's ``run``: nothing is read or validated twice.
Adding a potential adds a module here; no shared list.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from potenzial.errors import ConfigError

if TYPE_CHECKING:
    import pandas as pd

    from potenzial.steps.context import StepContext

P = TypeVar("P")  #: what a step's check prepares for its run


@dataclass(frozen=True)
class Step(Generic[P]):
    """A pipeline step: a name, when it runs, what it produces, its check and its run."""

    name: str
    order: int
    produces: tuple[str, ...]
    #: reads and checks everything that needs no geometry and returns it (see the module docstring)
    check: Callable[[StepContext], P]
    #: the step itself, given what ``check`` prepared
    run: Callable[[StepContext, P], dict[str, pd.DataFrame]]
    title: str = ""
    #: runs in every run, also one with ``--only`` (its results describe the whole run, e.g. grades)
    always: bool = False

    def execute(self, ctx: StepContext) -> dict[str, pd.DataFrame]:
        """``check`` then ``run``: the step on its own (benchmarks, tests); the pipeline checks all steps first."""
        return self.run(ctx, self.check(ctx))


def all_steps() -> list[Step[Any]]:
    """Every step of this package, in run order."""
    found: list[Step[Any]] = []
    for info in pkgutil.iter_modules(__path__):
        module = importlib.import_module(f"{__name__}.{info.name}")
        step = getattr(module, "STEP", None)
        if isinstance(step, Step):
            found.append(step)
    return sorted(found, key=lambda s: (s.order, s.name))


def select_steps(only: list[str] | None) -> list[Step[Any]]:
    """The steps named in ``only`` (all when empty), or a ConfigError listing the known names."""
    steps = all_steps()
    if not only:
        return steps
    known = {s.name for s in steps}
    unknown = [name for name in only if name not in known]
    if unknown:
        raise ConfigError(f"unknown step(s) {', '.join(unknown)} in --only; known steps: {', '.join(sorted(known))}.")
    return [s for s in steps if s.name in only]

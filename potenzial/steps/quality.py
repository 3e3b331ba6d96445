"""Step `quality`: a quality grade per municipality and technology (potenzial.quality), from the run's
input provenance (which catalog layers are synthetic stand-ins) and the methods that produced the
figures (roof planes from LoD2, a surface model or the footprint heuristic).

It runs after every potential and is re-run whenever any step runs (``always``), so that a run with
``--only`` never carries over grades that describe other inputs.
"""

from __future__ import annotations

import pandas as pd

from potenzial.errors import NotFoundError
from potenzial.quality import TECHNOLOGIES, InputLayer, quality_grades, roof_method_exact
from potenzial.steps import Step
from potenzial.steps.context import StepContext


def check(ctx: StepContext) -> None:
    """Nothing to prepare: the grades have no parameters."""
    return None


def run(ctx: StepContext, prepared: None) -> dict[str, pd.DataFrame]:
    inputs = [InputLayer(entry.id, entry.synthetic, entry.title,
                         str(entry.extra.get("title_en") or entry.id.replace("_", " ")))
              for entry in ctx.region.layers.values()]
    computed = [tech.key for tech in TECHNOLOGIES if _has(ctx, tech.result)]
    roof_exact = {}
    if "solar_roof" in computed and _has(ctx, "solar_roof"):
        roof_exact = roof_method_exact(ctx.result("solar_roof")).to_dict()
    ags = ctx.municipalities["ags"].astype(str).tolist()
    return {"quality": quality_grades(ags, inputs, computed, roof_exact)}


def _has(ctx: StepContext, name: str) -> bool:
    try:
        ctx.result(name)
    except NotFoundError:
        return False
    return True


STEP: Step[None] = Step(name="quality", order=90, produces=("quality",), check=check, run=run,
                        title="quality grades", always=True)

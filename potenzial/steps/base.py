"""Step `base`: municipalities with their base figures."""

from __future__ import annotations

import pandas as pd

from potenzial.municipalities import municipality_figures
from potenzial.steps import Step
from potenzial.steps.context import StepContext


def check(ctx: StepContext) -> None:
    """Nothing to prepare: the base figures have no parameters, and the pipeline has checked the layers."""
    return None


def run(ctx: StepContext, prepared: None) -> dict[str, pd.DataFrame]:
    figures = municipality_figures(ctx.municipalities, ctx.statistics, ctx.vector("buildings"),
                                   ctx.vector("landcover"))
    return {"municipalities": figures}


STEP: Step[None] = Step(name="base", order=0, produces=("municipalities",), check=check, run=run,
                        title="municipality base figures")

"""Step `base`: municipalities with their base figures."""

from __future__ import annotations

import pandas as pd

from potenzial.municipalities import municipality_figures
from potenzial.steps import Step
from potenzial.steps.context import StepContext


def run(ctx: StepContext) -> dict[str, pd.DataFrame]:
    figures = municipality_figures(ctx.municipalities, ctx.statistics, ctx.vector("buildings"),
                                   ctx.vector("landcover"))
    return {"municipalities": figures}


STEP = Step(name="base", order=0, produces=("municipalities",), run=run, title="municipality base figures")

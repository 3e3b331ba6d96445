"""The pipeline's progress (`potenzial run`, tile preparation included) on a terminal and in a log.

The reporter is driven as the pipeline drives it for the ``prepare`` step (start with the number
of jobs, one advance per prepared product, finish) into a console that is a terminal and into one
that is a plain file, as stderr is under cron or CI.
"""

from __future__ import annotations

import io

from rich.console import Console

from potenzial.cli.common import RichReporter

BAR = "━"


def _drive(console: Console) -> str:
    with RichReporter(console) as reporter:
        reporter.start("prepare", 3)
        for label in ("tiles buildings z12", "tiles buildings z13", "factsheets 14729010 pdf"):
            reporter.advance("prepare", label)
        reporter.finish("prepare", 4.0)
    return console.file.getvalue()  # type: ignore[attr-defined]


def test_a_terminal_gets_a_bar_with_the_count_and_the_last_job():
    text = _drive(Console(file=io.StringIO(), force_terminal=True, width=120, color_system=None))
    assert BAR in text and "prepare" in text and "3/3" in text and "done in 4.0 s" in text


def test_a_log_gets_one_line_per_step_and_no_bar():
    text = _drive(Console(file=io.StringIO(), force_terminal=False, width=120))
    assert text == "prepare: done in 4.0 s\n"

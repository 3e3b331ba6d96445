"""Every `potenzial …` command the README shows exists with the options it is shown with.

The README's shell blocks are what a new user types from a fresh clone; a renamed command or
option would break the walkthrough silently. Each command line (continuation lines joined,
comments dropped) is parsed by the CLI itself with ``--help`` appended: an unknown command or
option fails the parse (exit code 2), a known one prints its help (exit code 0). Nothing runs.
"""

from __future__ import annotations

import re
import shlex

import pytest
from typer.testing import CliRunner

from potenzial.cli.main import app
from potenzial.settings import PROJECT_ROOT

README = PROJECT_ROOT / "README.md"


def _commands() -> list[list[str]]:
    text = README.read_text(encoding="utf-8")
    lines = []
    for block in re.findall(r"```bash\n(.*?)```", text, flags=re.S):
        for line in block.replace("\\\n", " ").splitlines():
            words = shlex.split(line, comments=True)
            if words and words[0].endswith("bin/potenzial"):
                lines.append(words[1:])
    return lines


def test_the_readme_shows_the_real_data_walkthrough():
    shown = {" ".join(words[:2]) for words in _commands()}
    assert {"data status", "data fetch", "data use", "region create", "run --region"} <= shown


@pytest.mark.parametrize("words", _commands(), ids=lambda words: " ".join(words)[:60])
def test_each_readme_command_parses(words):
    result = CliRunner().invoke(app, [*words, "--help"])
    assert result.exit_code == 0, f"potenzial {' '.join(words)}: {result.output[-600:]}"

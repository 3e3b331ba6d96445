"""The environment of a CLI or server process a test starts: the test's own ``POTENZIAL_*`` settings
dropped (the process reads only what the test gives it), but for ``POTENZIAL_PREPARE``: what a published
run prepares for its first users stays the test session's choice (``none`` unless a test names it;
preparing every product of the whole region takes minutes)."""

from __future__ import annotations

import os

#: the settings a child process keeps from the test session
KEPT = ("POTENZIAL_PREPARE",)


def child_env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.startswith("POTENZIAL_") or k in KEPT}

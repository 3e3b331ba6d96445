"""A pytest plugin for ``make mutation``: parallel mutant workers take turns on the PostGIS database.

mutmut runs several mutants at once, each in its own pytest session, all against the one test
database named by ``POTENZIAL_TEST_DB``. The ``postgis_store`` fixture empties that database before
each test, so two sessions with PostGIS tests at the same time would break each other's tests
(and count a mutant as killed that no test caught). A session whose selection has a test marked
``postgis`` therefore holds an exclusive lock on a file in the rootdir for its whole run.
Loaded only by the mutation run (``pytest_add_cli_args`` in ``[tool.mutmut]``).
"""

from __future__ import annotations

import fcntl
from typing import IO

import pytest

LOCK_FILE = "mutmut-postgis.lock"
_HELD = pytest.StashKey[IO[str]]()


def pytest_collection_finish(session: pytest.Session) -> None:
    if not any(item.get_closest_marker("postgis") for item in session.items):
        return
    handle = open(session.config.rootpath / LOCK_FILE, "w")  # noqa: SIM115 (held until the session ends)
    fcntl.flock(handle, fcntl.LOCK_EX)
    session.config.stash[_HELD] = handle


def pytest_sessionfinish(session: pytest.Session) -> None:
    handle = session.config.stash.get(_HELD, None)
    if handle is not None:
        fcntl.flock(handle, fcntl.LOCK_UN)
        handle.close()
        del session.config.stash[_HELD]

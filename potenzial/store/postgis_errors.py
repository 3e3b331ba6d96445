"""The PostGIS store's message for a database it cannot reach: the reason PostgreSQL gave, without
its prefixes, and the fix that fits (create the database, check user and password, start the server)."""

from __future__ import annotations

import re

_FIX_START = "Is PostgreSQL running? Start it with `make db`, or check POTENZIAL_STORE."


def unavailable_message(detail: str, where: str, host: str, port: int, database: str | None, user: str) -> str:
    """One line for StoreUnavailableError; ``detail`` is the driver's text, already scrubbed."""
    reason = re.sub(r"^connection failed:\s*", "", detail)
    reason = re.sub(r"\b(FATAL|ERROR):\s*", "", reason)
    reason = reason.split(" Is the server running")[0].strip().rstrip(".")
    lower = reason.lower()
    if "database" in lower and "does not exist" in lower:
        user_option = f" -U {user}" if user != "(default user)" else ""
        fix = (f"Create it with `createdb -h {host} -p {port}{user_option} {database}` "
               "or `make db`, or check POTENZIAL_STORE.")
    elif "authentication failed" in lower or "password" in lower or re.search(r"role .* does not exist", lower):
        fix = "Check the user and password in POTENZIAL_STORE."
    else:
        fix = _FIX_START
    return f"cannot reach PostgreSQL at {where}: {reason}. {fix}"

"""``python -m api [--host H] [--port P]``: serve the API, or fail with one line naming the fix."""

from __future__ import annotations

import argparse
import sys

import uvicorn

from api.app import create_app
from potenzial.errors import PotenzialError


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m api", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    args = parser.parse_args(argv)
    try:
        app = create_app()
    except PotenzialError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    uvicorn.run(app, host=args.host, port=args.port)
    return 0


if __name__ == "__main__":
    sys.exit(main())

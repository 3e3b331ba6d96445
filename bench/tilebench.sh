#!/usr/bin/env bash
# One command for the tile benchmark: ours vs TiTiler (raster) and TiPg (vector), side by side.
# Creates the throwaway virtualenvs for TiTiler and TiPg when missing (never touches .venv),
# then runs bench/tilebench_run.py (see its docstring). Arguments are passed through.
set -euo pipefail
cd "$(dirname "$0")/.."
TITILER_VENV=${TITILER_VENV:-/tmp/titiler-venv}
TIPG_VENV=${TIPG_VENV:-/tmp/tipg-venv}
PYTHON=${PYTHON:-python3}
if [ ! -x "$TITILER_VENV/bin/uvicorn" ] || ! "$TITILER_VENV/bin/python" -c "import titiler.core" 2>/dev/null; then
  "$PYTHON" -m venv "$TITILER_VENV"
  "$TITILER_VENV/bin/pip" install -q titiler.core rio-tiler uvicorn
fi
if [ ! -x "$TIPG_VENV/bin/uvicorn" ] || ! "$TIPG_VENV/bin/python" -c "import tipg" 2>/dev/null; then
  "$PYTHON" -m venv "$TIPG_VENV"
  "$TIPG_VENV/bin/pip" install -q tipg uvicorn
fi
export TITILER_VENV TIPG_VENV
exec .venv/bin/python bench/tilebench_run.py "$@"

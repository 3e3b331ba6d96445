#!/usr/bin/env bash
# Install and start what the tests need from Debian: PostGIS (and the PostgreSQL server),
# Chromium for the browser tests. Idempotent: does nothing that is already done.
# Usage: scripts/ensure-system.sh [--no-chromium]
set -euo pipefail

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
PG_MAJOR="${PG_MAJOR:-15}"
want_chromium=1
[ "${1:-}" = "--no-chromium" ] && want_chromium=0

pkgs=()
command -v pg_ctlcluster >/dev/null 2>&1 || pkgs+=("postgresql-${PG_MAJOR}")
ls /usr/share/postgresql/*/extension/postgis.control >/dev/null 2>&1 || pkgs+=("postgresql-${PG_MAJOR}-postgis-3")
# WeasyPrint (the fact sheet's PDF) draws text with pango; the sheet's font is DejaVu Sans
ldconfig -p 2>/dev/null | grep -q libpangoft2-1.0 || pkgs+=("libpango-1.0-0" "libpangoft2-1.0-0")
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || pkgs+=("fonts-dejavu-core")
if [ "$want_chromium" = 1 ]; then
  command -v chromium >/dev/null 2>&1 || pkgs+=("chromium")
fi
if [ ${#pkgs[@]} -gt 0 ]; then
  echo "installing from Debian: ${pkgs[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${pkgs[@]}" >/dev/null
fi

if ! pg_isready -h 127.0.0.1 -p 5432 -q; then
  version=$(ls /etc/postgresql 2>/dev/null | sort -n | tail -1)
  if [ -z "$version" ]; then
    version="$PG_MAJOR"
    $SUDO pg_createcluster "$version" main >/dev/null
  fi
  echo "starting PostgreSQL $version"
  $SUDO pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
  for _ in $(seq 1 30); do pg_isready -h 127.0.0.1 -p 5432 -q && break; sleep 1; done
  pg_isready -h 127.0.0.1 -p 5432 -q || { echo "PostgreSQL did not start; see /var/log/postgresql/" >&2; exit 1; }
fi

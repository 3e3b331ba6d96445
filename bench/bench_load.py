#!/usr/bin/env python3
"""Load: 50 keep-alive clients for 60 s against `potenzial serve --workers 2` on loopback.

One command:  make reliability   (runs this through tests/test_load.py; or directly:
.venv/bin/python bench/bench_load.py --store FOLDER_OR_URL [--clients 50] [--seconds 60] [--rounds 3])

Starts the server (``potenzial serve --workers N``, port 8240 unless ``--port``) on the store, waits
for ``/healthz``, then runs ``--rounds`` rounds of ``--clients`` clients, each on one keep-alive
connection, for ``--seconds`` each. The mix per request (seeded): 70 % vector tiles of the
municipalities (z8–z12 over the county), 25 % one municipality's summary JSON, 5 % its GeoPackage
download. Reports per round: requests, errors (connection errors and statuses other than 200 and 204, an empty tile),
requests/s, p50/p99 per kind and overall, and the server's resident memory (all its processes) after
the round; prints the machine and the load average before and after, and writes
``bench/results/load.json``. Targets (issue 18): 0 errors, p99 ≤ 500 ms for tiles and summaries,
≥ 300 requests/s, RSS ≤ 5 % growth from the second round to the third. Exit 1 when there were errors.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.machine_info import machine  # noqa: E402

#: the county's box [degrees]: lon, lat
COUNTY_BOX = (12.25, 51.0, 13.05, 51.45)
ZOOMS = (8, 9, 10, 11, 12)
MIX = (("tile", 0.70), ("summary", 0.25), ("download", 0.05))
#: answers that count as served: 204 is an empty vector tile
OK_STATUSES = (200, 204)
TARGETS = {"p99_ms": 500.0, "rps": 300.0, "rss_growth": 0.05}


def tile_of(lon: float, lat: float, z: int) -> tuple[int, int]:
    n = 2 ** z
    x = int((lon + 180.0) / 360.0 * n)
    y = int((1.0 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2.0 * n)
    return x, y


def county_tiles() -> list[tuple[int, int, int]]:
    out = []
    for z in ZOOMS:
        x0, y0 = tile_of(COUNTY_BOX[0], COUNTY_BOX[3], z)
        x1, y1 = tile_of(COUNTY_BOX[2], COUNTY_BOX[1], z)
        out += [(z, x, y) for x in range(x0, x1 + 1) for y in range(y0, y1 + 1)]
    return out


async def request(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, path: str) -> tuple[int, int]:
    """One GET on a keep-alive connection: (status, body bytes). Content-Length or chunked."""
    writer.write(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n\r\n".encode())
    await writer.drain()
    status_line = await reader.readline()
    if not status_line:
        raise ConnectionError("the server closed the connection")
    status = int(status_line.split()[1])
    headers = {}
    while True:
        line = await reader.readline()
        if line in (b"\r\n", b""):
            break
        name, _, value = line.decode("latin-1").partition(":")
        headers[name.strip().lower()] = value.strip()
    size = 0
    if "content-length" in headers:
        size = int(headers["content-length"])
        await reader.readexactly(size)
    elif headers.get("transfer-encoding") == "chunked":
        while True:
            chunk = int((await reader.readline()).strip(), 16)
            await reader.readexactly(chunk + 2)
            size += chunk
            if chunk == 0:
                break
    if headers.get("connection", "").lower() == "close":
        raise ConnectionResetError("the server asked to close the connection")
    return status, size


async def client(port: int, paths: dict[str, list[str]], seed: int, until: float, samples: list) -> None:
    rng = random.Random(seed)
    kinds, weights = [k for k, _ in MIX], [w for _, w in MIX]
    reader = writer = None
    while time.monotonic() < until:
        kind = rng.choices(kinds, weights)[0]
        path = rng.choice(paths[kind])
        t0 = time.perf_counter()
        try:
            if writer is None:
                reader, writer = await asyncio.open_connection("127.0.0.1", port)
            status, _ = await asyncio.wait_for(request(reader, writer, path), timeout=30)  # type: ignore[arg-type]
            samples.append((kind, (time.perf_counter() - t0) * 1000.0, status in OK_STATUSES, status))
        except (TimeoutError, OSError, ConnectionError, asyncio.IncompleteReadError, ValueError) as exc:
            samples.append((kind, (time.perf_counter() - t0) * 1000.0, False, type(exc).__name__))
            if writer is not None:
                writer.close()
            reader = writer = None
    if writer is not None:
        writer.close()


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(q / 100.0 * len(ordered)) - 1))]


def rss_mb(pid: int) -> float:
    """Resident memory of ``pid`` and its children (the uvicorn workers) [MB]."""
    total = 0
    pids = [pid]
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        pids += [int(c) for c in children]
    except OSError:
        pass
    for p in pids:
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return total / 1024.0


def summarise(samples: list, seconds: float) -> dict:
    out: dict = {"requests": len(samples), "errors": sum(1 for s in samples if not s[2]),
                 "rps": round(len(samples) / seconds, 1)}
    failures: dict[str, int] = {}
    for s in samples:
        if not s[2]:
            failures[str(s[3])] = failures.get(str(s[3]), 0) + 1
    out["error_kinds"] = failures
    for kind in [k for k, _ in MIX] + ["all"]:
        ms = [s[1] for s in samples if kind in ("all", s[0])]
        out[kind] = {"n": len(ms), "p50_ms": round(percentile(ms, 50), 1), "p99_ms": round(percentile(ms, 99), 1)}
    return out


def wait_for_server(port: int, process: subprocess.Popen, timeout_s: float = 180.0) -> None:
    import http.client

    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"the server stopped (exit {process.returncode}): {process.stderr.read()[-400:]}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise SystemExit(f"the server did not answer /healthz within {timeout_s:g} s")


def the_paths(port: int) -> dict[str, list[str]]:
    import http.client

    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", "/api/municipalities")
    body = json.loads(conn.getresponse().read())
    ags = [f["properties"]["ags"] for f in body["features"]]
    tiles = county_tiles()
    return {"tile": [f"/tiles/municipalities/{z}/{x}/{y}.pbf" for z, x, y in tiles],
            "summary": [f"/api/municipalities/{a}" for a in ags],
            "download": [f"/api/municipalities/{a}/download.gpkg" for a in ags[:3]]}


def run(store: str, raster_cache: Path, port: int, clients: int, seconds: float, rounds: int, workers: int,
        allow_superuser: bool = False) -> dict:
    import socket

    with socket.socket() as probe:
        if probe.connect_ex(("127.0.0.1", port)) == 0:
            raise SystemExit(f"port {port} is taken; stop what listens there or choose --port")
    env = {**os.environ, "POTENZIAL_STORE": store, "POTENZIAL_RASTER_CACHE": str(raster_cache),
           "POTENZIAL_PREPARE": "none"}
    cmd = [sys.executable, "-m", "potenzial.cli.main", "serve", "--port", str(port), "--workers", str(workers)]
    if allow_superuser:
        cmd.append("--allow-superuser")
    server = subprocess.Popen(cmd, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                              start_new_session=True)
    load_before = os.getloadavg()
    try:
        wait_for_server(port, server)
        paths = the_paths(port)
        rss = [rss_mb(server.pid)]
        results = []
        for r in range(rounds):
            samples: list = []
            until = time.monotonic() + seconds

            async def all_clients(round_no: int = r, out: list = samples, end: float = until) -> None:
                await asyncio.gather(*(client(port, paths, 1000 * round_no + i, end, out) for i in range(clients)))

            t0 = time.monotonic()
            asyncio.run(all_clients())
            elapsed = time.monotonic() - t0
            rss.append(rss_mb(server.pid))
            results.append(summarise(samples, elapsed) | {"rss_mb_after": round(rss[-1], 1)})
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
    growth = (rss[3] - rss[2]) / rss[2] if len(rss) > 3 and rss[2] else None
    return {"machine": machine(), "load_before": [round(v, 2) for v in load_before],
            "load_after": [round(v, 2) for v in os.getloadavg()], "clients": clients, "seconds": seconds,
            "workers": workers, "rss_mb_start": round(rss[0], 1), "rounds": results,
            "rss_growth_round2_to_3": None if growth is None else round(growth, 4), "targets": TARGETS}


def table(report: dict) -> str:
    lines = ["| round | requests | errors | req/s | tile p50/p99 ms | summary p50/p99 ms | download p50/p99 ms "
             "| all p99 ms | RSS after MB |", "|---|---|---|---|---|---|---|---|---|"]
    for i, r in enumerate(report["rounds"], 1):
        lines.append(f"| {i} | {r['requests']} | {r['errors']} | {r['rps']} | {r['tile']['p50_ms']}/"
                     f"{r['tile']['p99_ms']} | {r['summary']['p50_ms']}/{r['summary']['p99_ms']} | "
                     f"{r['download']['p50_ms']}/{r['download']['p99_ms']} | {r['all']['p99_ms']} | "
                     f"{r['rss_mb_after']} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", required=True, help="folder of an embedded store or postgresql://… URL")
    parser.add_argument("--raster-cache", type=Path, default=ROOT / "raster_cache")
    parser.add_argument("--port", type=int, default=8240)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--allow-superuser", action="store_true")
    args = parser.parse_args()
    report = run(args.store, args.raster_cache, args.port, args.clients, args.seconds, args.rounds, args.workers,
                 args.allow_superuser)
    out = ROOT / "bench" / "results" / "load.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(f"machine: {report['machine']}; load before {report['load_before']}, after {report['load_after']}")
    print(table(report))
    print(f"RSS growth round 2 -> 3: {report['rss_growth_round2_to_3']}")
    sys.exit(1 if any(r["errors"] for r in report["rounds"]) else 0)


if __name__ == "__main__":
    main()

"""Time and peak memory of reading a MaStR bulk export: a synthetic export of N solar units per size.

    .venv/bin/python bench/bench_mastr_import.py --units 50000 200000 [--region-share 0.01]

The script writes, per size, a zip in the export's format (UTF-16 XML files ``EinheitenSolar_<k>.xml`` of
at most 50,000 units each, the element names of the real export, ``Katalogwerte.xml``) with a seeded,
synthetic fleet: ``--region-share`` of the units in the default region (by Gemeindeschluessel, half of
them with coordinates), the rest elsewhere in Germany, as in the nationwide export. Each size is then read
by ``read_export`` in a fresh child process, which reports wall time and peak resident memory
(``getrusage``) and the resident memory after the imports, before reading. Results go to
``bench/results/mastr_import.json``. The export is synthetic (labelled so in the results): only its
format and size are realistic.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

PER_FILE = 50_000
SEED = 15


def _rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _unit_xml(i: int, rng: random.Random, region_ags: list[str], region_share: float) -> str:
    inside = rng.random() < region_share
    state = rng.choice(["05", "08", "09", "06", "03"])
    ags = rng.choice(region_ags) if inside else f"{state}{rng.randrange(10**6):06d}"
    point: tuple[float, float] | None = None
    if inside and rng.random() < 0.5:  # half of the region's units with coordinates, the others by key
        point = (12.4 + rng.random() * 0.6, 51.0 + rng.random() * 0.4)
    elif not inside:
        point = (7 + rng.random() * 5, 48 + rng.random() * 3)
    coords = "" if point is None else \
        f"<Laengengrad>{point[0]:.6f}</Laengengrad><Breitengrad>{point[1]:.6f}</Breitengrad>"
    kw = round(rng.lognormvariate(2.2, 0.9), 3)
    year = rng.randrange(2000, 2024)
    return (f"<EinheitSolar><EinheitMastrNummer>SEE9{i:011d}</EinheitMastrNummer>"
            f"<DatumLetzteAktualisierung>2024-01-01T00:00:00</DatumLetzteAktualisierung><Land>84</Land>"
            f"<Gemeindeschluessel>{ags}</Gemeindeschluessel><Postleitzahl>{rng.randrange(10**5):05d}</Postleitzahl>"
            f"<Ort>Ort</Ort>{coords}<Inbetriebnahmedatum>{year}-{rng.randrange(1, 13):02d}-15</Inbetriebnahmedatum>"
            f"<EinheitBetriebsstatus>35</EinheitBetriebsstatus>"
            f"<NameStromerzeugungseinheit>PV</NameStromerzeugungseinheit>"
            f"<Energietraeger>2495</Energietraeger><Bruttoleistung>{kw}</Bruttoleistung>"
            f"<Nettonennleistung>{kw}</Nettonennleistung><AnzahlModule>{max(1, int(kw / 0.4))}</AnzahlModule>"
            f"<Lage>{'852' if kw > 500 else '853'}</Lage></EinheitSolar>\n")


def write_export(path: Path, units: int, region_ags: list[str], region_share: float) -> None:
    rng = random.Random(SEED)
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for k, start in enumerate(range(0, units, PER_FILE), start=1):
            with zf.open(f"EinheitenSolar_{k}.xml", "w", force_zip64=True) as fh:
                fh.write('<?xml version="1.0" encoding="UTF-16"?>\n<EinheitenSolar>\n'.encode("utf-16"))
                for i in range(start, min(units, start + PER_FILE)):
                    fh.write(_unit_xml(i, rng, region_ags, region_share).encode("utf-16-le"))
                fh.write("</EinheitenSolar>\n".encode("utf-16-le"))
        zf.writestr("Katalogwerte.xml", '<?xml version="1.0" encoding="UTF-16"?>\n<Katalogwerte>'
                    "<Katalogwert><Id>35</Id><Wert>In Betrieb</Wert></Katalogwert></Katalogwerte>".encode("utf-16"))


def child(path: Path) -> None:
    from potenzial.monitoring.mastr import read_export
    from potenzial.monitoring.params import load_monitoring_params
    from potenzial.region import load_region
    from potenzial.serving.monitoring_import import region_filter
    from potenzial.settings import Settings

    settings = Settings()
    where = region_filter(load_region("lk-leipzig", settings.regions_dir, settings.data_dir))
    params = load_monitoring_params(settings.params_dir)
    before = _rss_mib()
    start = time.perf_counter()
    export = read_export(path, where, params)
    wall = time.perf_counter() - start
    print(json.dumps({"wall_s": round(wall, 2), "peak_rss_mib": round(_rss_mib(), 1),
                      "rss_before_read_mib": round(before, 1), "read": export.read_count,
                      "kept_in_region": len(export.units), "outside": export.outside_count}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, nargs="+", default=[50_000, 200_000])
    parser.add_argument("--region-share", type=float, default=0.01)
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child)
        return
    from machine_info import machine

    from potenzial.region import load_region
    from potenzial.serving.monitoring_import import region_filter
    from potenzial.settings import Settings

    settings = Settings()
    region_ags = sorted(region_filter(load_region("lk-leipzig", settings.regions_dir, settings.data_dir)).ags)
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for units in args.units:
            path = Path(tmp) / "Gesamtdatenexport_20240101_23.2.zip"
            write_export(path, units, region_ags, args.region_share)
            xml_mib = sum(i.file_size for i in zipfile.ZipFile(path).infolist()) / 2**20
            out = subprocess.run([sys.executable, __file__, "--child", str(path)], capture_output=True, text=True,
                                 check=True)
            row = {"units": units, "zip_mib": round(path.stat().st_size / 2**20, 1), "xml_mib": round(xml_mib, 1),
                   **json.loads(out.stdout)}
            print(json.dumps(row))
            results.append(row)
            path.unlink()
    record = {"machine": machine(), "load_average": os.getloadavg(), "region_share": args.region_share,
              "synthetic": True, "results": results}
    out_dir = ROOT / "bench" / "results"
    out_dir.mkdir(exist_ok=True)
    (out_dir / "mastr_import.json").write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    print(json.dumps({"machine": record["machine"], "load_average": record["load_average"]}))


if __name__ == "__main__":
    main()

"""Screenshots for the README: the desktop map, the phone, a municipality's panel, the what-if section
at a 700 m setback and the first two pages of its PDF fact sheet.

Serves the current run of the store that the ``POTENZIAL_*`` settings name (as ``potenzial serve``
does) on a loopback port with the default base map (drawn from the region's own layers: nothing
leaves the machine), drives Debian's headless Chromium through it, renders the fact sheet's pages
with pypdfium2 and writes PNGs into ``docs/img/``::

    .venv/bin/python scripts/screenshots.py            # the embedded store of `make demo`
    POTENZIAL_STORE=/path/to/store .venv/bin/python scripts/screenshots.py --out docs/img
"""

from __future__ import annotations

import argparse
import io
import socket
import threading
import time
from pathlib import Path

import uvicorn

from api.app import create_app
from potenzial.settings import PROJECT_ROOT, Settings
from web.page import MapSettings

CHROMIUM = "/usr/bin/chromium"
LOOPBACK = "127.0.0.1"
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
#: the municipality the panel shows (Grimma, the county's largest by area)
AGS = "14729160"


def serve(app) -> tuple[uvicorn.Server, str]:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind((LOOPBACK, 0))
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on"))
    threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True).start()
    deadline = time.monotonic() + 60
    while not server.started:
        if time.monotonic() > deadline:
            raise SystemExit("the app did not start within 60 s")
        time.sleep(0.05)
    return server, f"http://{LOOPBACK}:{sock.getsockname()[1]}"


def shoot(base_url: str, out: Path) -> list[Path]:
    from playwright.sync_api import sync_playwright

    written = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True,
                                     args=["--no-sandbox", "--disable-gpu", "--no-first-run"])
        for name, viewport, panel in (("map_desktop", DESKTOP, False), ("map_phone", PHONE, False),
                                      ("panel_desktop", DESKTOP, True), ("panel_phone", PHONE, True)):
            page = browser.new_context(viewport=viewport).new_page()
            page.set_default_timeout(120_000)
            page.goto(f"{base_url}/?lang=de" + (f"&m={AGS}" if panel else ""))
            page.wait_for_selector("body[data-rendered='1']")
            if panel:
                page.wait_for_selector(".potenzial-side h2.name")
            page.wait_for_load_state("networkidle")
            path = out / f"{name}.png"
            page.screenshot(path=str(path))
            written.append(path)
            page.context.close()
        written.append(what_if(browser, base_url, out))
        browser.close()
    return written


def what_if(browser, base_url: str, out: Path, setback_m: int = 700) -> Path:
    """The what-if section open, the setback at ``setback_m``: the eligible land and the choropleth follow."""
    page = browser.new_context(viewport=DESKTOP).new_page()
    page.set_default_timeout(120_000)
    page.goto(f"{base_url}/?lang=de")
    page.wait_for_selector("body[data-rendered='1']")
    page.wait_for_selector(".potenzial-scenario .eligible-key", state="attached")
    page.click(".potenzial-scenario summary")
    page.evaluate(f"""() => {{ const s = document.getElementById('potenzial-setback');
        s.value = '{setback_m}'; s.dispatchEvent(new Event('input', {{bubbles: true}})); }}""")
    page.wait_for_selector(f".potenzial-scenario dl[data-setback='{setback_m}']", state="attached")
    page.wait_for_load_state("networkidle")
    path = out / "whatif_desktop.png"
    page.screenshot(path=str(path))
    page.context.close()
    return path


def factsheet_pages(base_url: str, out: Path, pages: int = 2, scale: float = 1.5) -> list[Path]:
    """The first ``pages`` pages of the municipality's German PDF fact sheet as PNGs."""
    import urllib.request

    import pypdfium2

    with urllib.request.urlopen(f"{base_url}/api/municipalities/{AGS}/factsheet.pdf?lang=de", timeout=600) as r:
        document = pypdfium2.PdfDocument(io.BytesIO(r.read()))
    written = []
    for number in range(min(pages, len(document))):
        path = out / f"factsheet_page{number + 1}.png"
        document[number].render(scale=scale).to_pil().save(path)
        written.append(path)
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=PROJECT_ROOT / "docs" / "img", help="folder for the PNGs")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    server, base_url = serve(create_app(Settings(), MapSettings()))
    try:
        for path in [*shoot(base_url, args.out), *factsheet_pages(base_url, args.out)]:
            print(f"wrote {path}")
    finally:
        server.should_exit = True


if __name__ == "__main__":
    main()

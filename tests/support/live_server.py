"""The app on a real loopback socket (uvicorn in a thread), and the page's configuration."""

from __future__ import annotations

import json
import re
import socket
import threading
import time

import uvicorn

LOOPBACK = "127.0.0.1"


def page_config(page: str) -> dict:
    """The configuration the page hands to its script (``potenzial.start(map_…, config, bases)`` in the
    page's inline module, ``web/templates/page.html.j2``; ``start`` is ``web/static/js/main.js``)."""
    match = re.search(r"potenzial\.start\(map_\w+, ", page)
    if match is None:
        raise AssertionError("the page does not start map.js")
    config, _ = json.JSONDecoder().raw_decode(page, match.end())
    return config


class LiveServer:
    """uvicorn on a loopback socket chosen by the OS, in a thread."""

    def __init__(self, app) -> None:
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind((LOOPBACK, 0))
        self.port = self.sock.getsockname()[1]
        self.server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on"))
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self.sock]}, daemon=True)

    def __enter__(self) -> str:
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("uvicorn did not start within 30 s")
            time.sleep(0.05)
        return f"http://{LOOPBACK}:{self.port}"

    def __exit__(self, *exc) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)
        self.sock.close()

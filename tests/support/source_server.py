"""A download server on loopback for the fetch tests: files from a folder, HTTP Range, and two
kinds of trouble a real provider causes: a connection dropped mid-file and an HTML error page
with status 200 instead of the file. A cloud share link as GeoSN's older tile URLs have it
(``/index.php/s/<share>/download?path=%2F&files=<file>``) is served from ``index.php/s/<share>/<file>``."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs

LOOPBACK = "127.0.0.1"
ERROR_PAGE = (b"<!DOCTYPE html><html><head><title>Wartungsarbeiten</title></head><body><h1>Der Download ist "
              b"vor\xc3\xbcbergehend nicht verf\xc3\xbcgbar</h1></body></html>")


class SourceServer:
    """Serves ``root`` on ``http://127.0.0.1:<port>/``. ``drop`` holds paths whose first full
    request is cut after half the body; ``html`` paths answer with an error page. ``requests``
    logs (path, Range header or "") of every GET."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.drop: set[str] = set()
        self.html: set[str] = set()
        self.requests: list[tuple[str, str]] = []
        self._dropped: set[str] = set()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args) -> None:  # quiet
                pass

            def do_GET(self) -> None:
                path, _, query = self.path.partition("?")
                shared = parse_qs(query).get("files")
                if shared and path.endswith("/download"):   # a cloud share link: …/s/<share>/download?files=<f>
                    path = f"{path[: -len('/download')]}/{shared[-1]}"
                server.requests.append((path, self.headers.get("Range", "")))
                if path in server.html:
                    self._send(200, ERROR_PAGE, "text/html; charset=utf-8")
                    return
                file = (server.root / path.lstrip("/")).resolve()
                if not file.is_relative_to(server.root.resolve()) or not file.is_file():
                    self._send(404, b"not found", "text/plain")
                    return
                body = file.read_bytes()
                start = 0
                wanted = self.headers.get("Range", "")
                if wanted.startswith("bytes=") and wanted.endswith("-"):
                    start = int(wanted[len("bytes="):-1])
                if start:
                    self.send_response(206)
                    self.send_header("Content-Range", f"bytes {start}-{len(body) - 1}/{len(body)}")
                else:
                    self.send_response(200)
                self.send_header("Content-Type", "application/octet-stream")
                self.send_header("Content-Length", str(len(body) - start))
                self.send_header("Accept-Ranges", "bytes")
                self.end_headers()
                if path in server.drop and path not in server._dropped and not start:
                    server._dropped.add(path)
                    self.wfile.write(body[: len(body) // 2])
                    self.wfile.flush()
                    self.close_connection = True
                    self.connection.shutdown(2)   # the peer sees the connection end mid-body
                    return
                self.wfile.write(body[start:])

            def _send(self, status: int, body: bytes, content_type: str) -> None:
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.httpd = ThreadingHTTPServer((LOOPBACK, 0), Handler)
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://{LOOPBACK}:{self.port}"

    def __enter__(self) -> SourceServer:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=10)

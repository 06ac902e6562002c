"""`publisher serve`: preview dist/ on this computer (127.0.0.1 only).

A preview, not a production server: in production any static web server (nginx,
Apache, a CDN, GitHub Pages) can serve dist/ as it is, because the site is plain
files with relative links.  What this one adds over ``python -m http.server`` is
the right content types (``text/html; charset=utf-8``, ``application/pdf``,
``application/json``), refusing to listen on anything but the loopback address, and
serving only what is in dist/: a symlink that leads out of it, a hidden file and a
folder without ``index.html`` are 404 (no folder is ever listed), a path the file
system cannot take (``%00``, an overlong name) is 400 or 404 instead of a dropped
connection, and a listen queue deep enough for a classroom of browsers.
"""

from __future__ import annotations

import argparse
import functools
import io
import ipaddress
import os
import sys
import threading
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TextIO
from urllib.parse import unquote, urlsplit

from .commands.serve import add_arguments  # the options, declared where the CLI reads them
from .live_preview import STATE_PATH, LiveState, inject, preview_options, rebuild, watch

#: Pending connections the kernel may queue (the standard library's default is 5,
#: which turned away 188 of 60,000 requests from 200 clients).
LISTEN_QUEUE = 1024
#: Longer request paths are refused with 414 before any file-system call.
MAX_PATH = 2048

#: Content types by file suffix; text types always say their character set.
CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".htm": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".json": "application/json",
    ".txt": "text/plain; charset=utf-8",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".webp": "image/webp",
    ".pdf": "application/pdf",
    ".woff2": "font/woff2",
    "": "application/octet-stream",
}


class DistHandler(SimpleHTTPRequestHandler):
    """Static files from one folder with explicit content types, quietly logged."""

    extensions_map = CONTENT_TYPES
    log: TextIO | None = None
    #: Set by ``serve --watch``: the state the preview script asks for.
    live: LiveState | None = None

    def guess_type(self, path: str | Path) -> str:  # type: ignore[override]
        return CONTENT_TYPES.get(Path(str(path)).suffix.lower(), "application/octet-stream")

    def send_head(self):  # type: ignore[override]
        """Refuse what is not a file inside dist/, then serve it as the standard library
        does (a folder URL gets its ``index.html``; the listing is never reached)."""
        if len(self.path) > MAX_PATH:
            self.send_error(HTTPStatus.REQUEST_URI_TOO_LONG)
            return None
        try:
            refusal = self.refusal()
        except ValueError:        # a NUL byte or other text no file name can hold
            refusal = HTTPStatus.BAD_REQUEST
        except OSError:           # a name too long for the file system, and the like
            refusal = HTTPStatus.NOT_FOUND
        if self.live is not None and urlsplit(self.path).path == STATE_PATH:
            return self.send_bytes(self.live.to_json(), CONTENT_TYPES[".json"])
        if refusal is not None:
            self.send_error(refusal)
            return None
        target = Path(self.translate_path(self.path))
        if self.live is not None and (target.is_dir() or target.suffix.lower() in
                                      (".html", ".htm")):
            page = target / "index.html" if target.is_dir() else target
            if target.is_dir() and not urlsplit(self.path).path.endswith("/"):
                return super().send_head()   # the standard library's redirect to "…/"
            return self.send_bytes(inject(page.read_bytes()), CONTENT_TYPES[".html"])
        return super().send_head()

    def send_bytes(self, data: bytes, content_type: str) -> io.BytesIO:
        """A response made here (a previewed page, the preview's state)."""
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        return io.BytesIO(data)

    def refusal(self) -> HTTPStatus | None:
        """Why the request's path is not served, or None when it is a file in dist/."""
        url_path = unquote(urlsplit(self.path).path, errors="strict")
        if "\0" in url_path:
            return HTTPStatus.BAD_REQUEST
        if any(part.startswith(".") for part in url_path.split("/") if part):
            return HTTPStatus.NOT_FOUND   # hidden files, half-written .tmp files, "..": never
        target = Path(self.translate_path(self.path))
        if target.is_dir():
            target = target / "index.html"
        root = Path(os.path.realpath(self.directory))
        if not Path(os.path.realpath(target)).is_relative_to(root):
            return HTTPStatus.NOT_FOUND   # a symlink that leads out of dist/
        if not target.is_file():
            return HTTPStatus.NOT_FOUND   # also a folder without index.html: no listing
        return None

    def list_directory(self, path):  # type: ignore[override]
        self.send_error(HTTPStatus.NOT_FOUND)   # never reached; never list a folder
        return None

    def end_headers(self) -> None:
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Cache-Control", "no-cache")
        super().end_headers()

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 (stdlib name)
        if self.log is not None:
            print(f"{self.address_string()} {format % args}", file=self.log, flush=True)


class DistServer(ThreadingHTTPServer):
    """One thread per connection, a real listen queue, threads that do not outlive it."""
    request_queue_size = LISTEN_QUEUE
    daemon_threads = True

    def handle_error(self, request, client_address) -> None:
        # A browser that closes a tab mid-download is not an error worth a traceback.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def make_server(directory: Path, port: int = 8000, host: str = "127.0.0.1",
                log: TextIO | None = None, live: LiveState | None = None) -> DistServer:
    """A server for ``directory``, bound but not yet serving (``port=0``: any free port)."""
    if not is_loopback(host):
        raise ValueError(f"publisher serve only listens on this computer (127.0.0.1), "
                         f"not on {host!r}; use a real web server to publish dist/")
    if not Path(directory).is_dir():
        raise FileNotFoundError(f"{directory}: error: no such folder; "
                                "run `publisher build` first")
    handler = type("BoundDistHandler", (DistHandler,), {"log": log, "live": live})
    return DistServer((host, port), functools.partial(handler, directory=str(directory)))



def address(server: ThreadingHTTPServer) -> str:
    host, port = server.server_address[:2]
    return f"http://{host}:{port}/"


def serve(directory: Path, port: int = 8000, host: str = "127.0.0.1") -> None:
    """Serve ``directory`` on ``host:port`` until interrupted (Ctrl-C)."""
    with make_server(directory, port, host, log=sys.stderr) as server:
        print(f"serving {directory} at {address(server)} (Ctrl-C to stop)", flush=True)
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass


def add_parser(commands) -> None:
    """Register ``publisher serve`` (the pattern of ``publisher.commands``)."""
    command = commands.add_parser("serve", help="preview dist/ on http://127.0.0.1:8000/")
    add_arguments(command)
    command.set_defaults(run=run)


def run(args: argparse.Namespace, stdout: TextIO) -> int:
    """The subcommand: 0 after Ctrl-C, 2 when there is nothing to serve or no port."""
    directory = args.out or args.project / "dist"
    if not (0 <= args.port <= 65535):
        print(f"publisher: error: --port: {args.port} is not a port number", file=sys.stderr)
        return 2
    if getattr(args, "watch", False):
        return run_watching(args, directory, stdout)
    try:
        server = make_server(directory, args.port, log=sys.stderr)
    except FileNotFoundError as exc:
        print(f"{exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"publisher: error: cannot listen on 127.0.0.1:{args.port}: {exc.strerror}",
              file=sys.stderr)
        return 2
    with server:
        print(f"serving {directory} at {address(server)} (Ctrl-C to stop)", file=stdout,
              flush=True)
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            print("stopped", file=stdout)
    return 0


def run_watching(args: argparse.Namespace, directory: Path, stdout: TextIO) -> int:
    """``serve --watch``: build, serve in a thread, and rebuild here on every save
    (the build runs in the main thread, where its render time limit works)."""
    options = preview_options(args.project, args.out, tuple(args.format))
    state = LiveState()
    print("building…", file=stdout, flush=True)
    try:
        state.finished(rebuild(options, stdout))
    except KeyboardInterrupt:
        return 0
    directory.mkdir(parents=True, exist_ok=True)
    try:
        server = make_server(directory, args.port, log=None, live=state)
    except OSError as exc:
        print(f"publisher: error: cannot listen on 127.0.0.1:{args.port}: {exc.strerror}",
              file=sys.stderr)
        return 2
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    print(f"serving {directory} at {address(server)} and watching {args.project} "
          "(Ctrl-C to stop)", file=stdout, flush=True)
    try:
        watch(options, state, stdout)
    except KeyboardInterrupt:
        print("stopped", file=stdout)
    finally:
        server.shutdown()
        server.server_close()
    return 0

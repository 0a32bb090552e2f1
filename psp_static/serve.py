"""``psp-static serve``: build, serve ``output/`` on localhost, rebuild on every change, reload.

Pages get one extra external script (``/__psp__/reload.js``, never part of the published site)
that asks ``/__psp__/status`` once a second: a new build reloads the page; a failed build shows
its errors on the page while the last good site stays served.
"""

from __future__ import annotations

import dataclasses
import errno
import functools
import http.server
import json
import logging
import signal
import threading
import time
from collections.abc import Callable, Iterable
from importlib import resources
from pathlib import Path
from typing import Any

import click
import watchfiles

from psp_static import assets, pipeline
from psp_static.cms import ADMIN
from psp_static.errors import BuildError, ContentErrors

log = logging.getLogger(__name__)
DEV_PREFIX = "/__psp__/"
_RELOAD_TAG = b'<script src="/__psp__/reload.js" defer></script>'


class BuildState:
    """The outcome of the latest build, shared between the watcher and the request handlers."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.build = 0  # counts successful builds; the browser reloads when it changes
        self.errors: list[str] = []
        self.warnings: list[str] = []  # of the last successful build

    def snapshot(self) -> dict[str, Any]:
        with self.lock:
            return {"build": self.build, "errors": list(self.errors), "warnings": list(self.warnings)}

    def record(self, errors: list[str], warnings: list[str] | None = None) -> None:
        with self.lock:
            if not errors:
                self.build += 1
                self.warnings = warnings or []
            self.errors = errors


class _Warnings(logging.Handler):
    """Collects the warnings a build logs, for the page's overlay as well as the terminal."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())


def rebuild(options: pipeline.Options, state: BuildState, echo: Callable[[str], None]) -> None:
    """Build once; report to the terminal and to the state, never raise for a mistake."""
    collected = _Warnings()
    logging.getLogger("psp_static").addHandler(collected)
    try:
        report = pipeline.build(options)
    except ContentErrors as exc:
        lines = [str(error) for error in exc.errors]
        for line in lines:
            echo(line)
        echo(f"{len(lines)} content error{'s' if len(lines) != 1 else ''}; still serving the last good build.")
        state.record(lines or [exc.message])
    except BuildError as exc:
        echo(f"Error: {exc.message}; still serving the last good build.")
        state.record([exc.message])
    else:
        echo(report.summary())
        state.record([], collected.lines)
    finally:
        logging.getLogger("psp_static").removeHandler(collected)


class _Handler(http.server.SimpleHTTPRequestHandler):
    state: BuildState
    reload_js: bytes

    def log_message(self, format: str, *args: Any) -> None:
        log.debug(format, *args)

    def do_GET(self) -> None:
        if self.path.startswith(DEV_PREFIX):
            self.dev_endpoint()
            return
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            if not self.path.split("?", 1)[0].endswith("/"):
                super().do_GET()  # the standard redirect to the address with a slash
                return
            path = path / "index.html"
        if path.is_file() and path.suffix == ".html" and not self.path.startswith("/" + ADMIN):
            self.send_html(path.read_bytes(), 200)
        elif not path.exists() and (Path(self.directory) / "404.html").is_file():
            self.send_html((Path(self.directory) / "404.html").read_bytes(), 404)
        else:
            super().do_GET()

    def send_html(self, body: bytes, status: int) -> None:
        body = body.replace(b"</head>", _RELOAD_TAG + b"\n</head>", 1)
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def dev_endpoint(self) -> None:
        if self.path.startswith(DEV_PREFIX + "status"):
            body, kind = json.dumps(self.state.snapshot()).encode(), "application/json"
        elif self.path == DEV_PREFIX + "reload.js":
            body, kind = self.reload_js, "text/javascript; charset=utf-8"
        else:
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)


def make_server(output: Path, host: str, port: int, state: BuildState) -> http.server.ThreadingHTTPServer:
    reload_js = resources.files("psp_static").joinpath("static/dev/reload.js").read_bytes()
    handler = type("Handler", (_Handler,), {"state": state, "reload_js": reload_js})
    try:
        server = http.server.ThreadingHTTPServer((host, port), functools.partial(handler, directory=str(output)))
    except OSError as exc:
        raise BuildError(_cannot_listen(host, port, exc)) from None
    server.daemon_threads = True
    return server


def _cannot_listen(host: str, port: int, exc: OSError) -> str:
    if exc.errno == errno.EADDRINUSE:
        return (
            f"port {port} is already in use on {host}, perhaps by another preview (make serve); stop that one, "
            f"or use another port: psp-static serve --port {port + 1 if port < 65535 else 8001}, "
            f"or make serve PORT={port + 1 if port < 65535 else 8001}"
        )
    if exc.errno == errno.EACCES:
        return f"this user may not listen on port {port}; use a port above 1023: psp-static serve --port 8000"
    return f"cannot listen on {host} port {port} ({exc.strerror}); check --host and --port"


def watched_paths(options: pipeline.Options) -> list[Path]:
    """Content, templates and the package's own front-end files."""
    return [p for p in (options.content, options.templates, assets.static_folder()) if p.exists()]


_SOURCES = (".yaml", ".yml", ".md", ".html", ".css", ".js", ".json", ".svg", ".png", ".scss")


def _is_source(_change: watchfiles.Change, path: str) -> bool:
    # Editors and tools write temporary files beside the real ones; only real sources count.
    name = Path(path).name
    return not name.startswith(".") and name.endswith(_SOURCES)


def serve(options: pipeline.Options, host: str, port: int, echo: Callable[[str], None] = click.echo) -> None:
    """Build, then serve and rebuild until Ctrl-C."""
    # Ctrl-C (SIGINT) stops it however it was started: a background job of a script starts with
    # SIGINT ignored (and Python then leaves it ignored), and a process started by a thread that
    # blocks signals inherits that block.
    if hasattr(signal, "pthread_sigmask"):  # not on Windows
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
    signal.signal(signal.SIGINT, signal.default_int_handler)
    state = BuildState()
    options.output.mkdir(parents=True, exist_ok=True)
    server = make_server(options.output, host, port, state)
    url = f"http://{host}:{server.server_address[1]}/"
    # Links and canonical addresses point at this server, whatever base URL site.yaml names.
    # One process: rebuilds run beside the server's threads, and forking a threaded process is
    # unsafe (incremental rebuilds are quick anyway).
    options = dataclasses.replace(options, base_url=url, workers=1)
    rebuild(options, state, echo)
    stop = threading.Event()
    watcher = threading.Thread(target=_watch, args=(options, state, echo, stop), daemon=True)
    watcher.start()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    echo(f"Serving {options.output} on {url} (Ctrl-C stops)")
    try:
        while thread.is_alive():
            time.sleep(0.2)
    except KeyboardInterrupt:
        echo("Stopping.")
    finally:
        stop.set()
        server.shutdown()
        server.server_close()


def _watch(options: pipeline.Options, state: BuildState, echo: Callable[[str], None], stop: threading.Event) -> None:
    paths: Iterable[Path] = watched_paths(options)
    for changes in watchfiles.watch(*paths, watch_filter=_is_source, stop_event=stop, debounce=300, rust_timeout=500):
        changed = sorted({Path(p).name for _, p in changes})
        echo(f"Changed: {', '.join(changed[:5])}{' …' if len(changed) > 5 else ''}; rebuilding")
        rebuild(options, state, echo)

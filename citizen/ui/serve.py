"""Provides `citizen serve`: the student app (or teacher mode) in browser tabs via textual-serve.

textual-serve starts one app process per websocket and has no authentication, so anyone who
reached the port could start processes until the server fell over. This subclass closes that
the way Jupyter does: the page and the websocket need an access key (from the URL, then a
cookie), a wrong or missing key is a 403 before any process starts, and live sessions are
capped with a plain "server is full" page past the cap. The page loads nothing from another
origin: the font is served locally and every URL is built from the request's own host.
"""

from __future__ import annotations

import hmac
import ipaddress
import secrets
import shlex
import socket
import sys
from pathlib import Path
from typing import Any

from aiohttp import web
from textual_serve.server import Server

COOKIE = "citizen_key"
"""Cookie that carries the access key after the first visit."""
TEMPLATES = Path(__file__).parent / "serve_templates"
"""Our copy of textual-serve's page, with the font served locally."""

FULL_PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>citizen is full</title>
<style>body{font-family:sans-serif;background:#12232d;color:#eee;display:flex;
align-items:center;justify-content:center;height:100vh;margin:0}div{max-width:32em;padding:2em}
</style></head><body><div><h1>The server is full</h1><p>Every place is taken right now
(%d students). Wait a minute and reload this page, or ask your teacher.</p></div></body></html>"""

FORBIDDEN_PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>citizen</title>
</head><body style="font-family:sans-serif"><h1>This link is not complete</h1>
<p>Open the full link your teacher gave you (it ends with <code>?key=...</code>).</p>
</body></html>"""


def is_loopback(host: str) -> bool:
    """Whether a bind address only reaches this machine."""
    if host in ("localhost", ""):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_bind(host: str, port: int) -> None:
    """Fails early, with one clear message, if the address cannot be bound.

    Raises:
        ValueError: an unknown host, a port out of range, or a port in use.
    """
    if not 1 <= port <= 65535:
        raise ValueError(f"port {port} is not between 1 and 65535")
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror:
        raise ValueError(f"unknown host {host!r}") from None
    family, _, _, _, addr = infos[0]
    with socket.socket(family, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(addr)
        except OSError as exc:
            if exc.errno in (98, 48):  # EADDRINUSE on Linux, macOS
                raise ValueError(f"port {port} on {host} is already in use; choose another "
                                 "with --port") from None
            raise ValueError(f"cannot listen on {host}:{port}: {exc.strerror}") from None


class CitizenServer(Server):
    """textual-serve with an access key, a session cap, and no third-party requests."""

    def __init__(self, command: str, host: str, port: int, key: str, max_sessions: int,
                 title: str = "citizen") -> None:
        """Builds the server.

        Args:
            command: the shell command that runs one app process.
            host: bind address.
            port: bind port.
            key: the access key every page and websocket must carry.
            max_sessions: the most app processes alive at once.
            title: page title.
        """
        super().__init__(command, host=host, port=port, title=title,
                         templates_path=str(TEMPLATES))
        self.key = key
        self.max_sessions = max_sessions
        self.live = 0
        """App processes running now."""
        self.started = 0
        """App processes started since the server began (for tests and logs)."""

    def _key_ok(self, request: web.Request) -> bool:
        given = request.query.get("key") or request.cookies.get(COOKIE) or ""
        return hmac.compare_digest(given.encode(), self.key.encode())

    async def _make_app(self) -> web.Application:
        import aiohttp_jinja2
        import jinja2

        app = web.Application()
        aiohttp_jinja2.setup(app, loader=jinja2.FileSystemLoader(self.templates_path))
        # Only what a student page needs: no directory listings, no download route.
        app.add_routes([
            web.get("/", self.handle_index, name="index"),
            web.get("/ws", self.handle_websocket, name="websocket"),
            web.get("/healthz", self.handle_health, name="health"),
            web.static("/static", self.statics_path, show_index=False, name="static"),
        ])
        app.on_startup.append(self.on_startup)
        app.on_shutdown.append(self.on_shutdown)
        return app

    async def handle_health(self, request: web.Request) -> web.Response:
        """A check for monitoring: no key needed, tells nothing but the session count."""
        return web.json_response({"ok": True, "live": self.live, "max": self.max_sessions})

    async def handle_index(self, request: web.Request) -> Any:  # type: ignore[override]
        if not self._key_ok(request):
            return web.Response(status=403, text=FORBIDDEN_PAGE, content_type="text/html")
        if self.live >= self.max_sessions:
            return web.Response(status=503, text=FULL_PAGE % self.max_sessions,
                                content_type="text/html")
        scheme = "wss" if request.secure else "ws"
        font_size = request.query.get("fontsize", "16")
        context = {
            "font_size": int(font_size) if font_size.isdigit() else 16,
            "app_websocket_url": f"{scheme}://{request.host}/ws",
            "config": {"static": {"url": "/static/"}},
            "application": {"name": self.title},
        }
        import aiohttp_jinja2

        response = aiohttp_jinja2.render_template("app_index.html", request, context)
        response.set_cookie(COOKIE, self.key, httponly=True, samesite="Strict", path="/")
        response.headers["Cache-Control"] = "no-store"
        response.headers["Referrer-Policy"] = "no-referrer"
        return response

    async def handle_websocket(self, request: web.Request) -> web.StreamResponse:
        if not self._key_ok(request):
            return web.Response(status=403, text="forbidden")
        if self.live >= self.max_sessions:
            return web.Response(status=503, text="the server is full")
        self.live += 1
        self.started += 1
        try:
            return await super().handle_websocket(request)
        finally:
            self.live -= 1

    async def on_startup(self, app: web.Application) -> None:
        pass  # run_serve prints the one line a person needs


def app_command(teacher: bool, data_dir: str | None, lessons: str | None) -> str:
    """Returns the shell command textual-serve runs for each browser tab."""
    parts = [sys.executable, "-m", "citizen"]
    if data_dir:
        parts += ["--data-dir", data_dir]
    if lessons:
        parts += ["--lessons", lessons]
    parts.append("teacher" if teacher else "run")
    return " ".join(shlex.quote(p) for p in parts)


def new_key() -> str:
    """A fresh access key (URL-safe)."""
    return secrets.token_urlsafe(18)


def run_serve(host: str, port: int, key: str | None, max_sessions: int, teacher: bool,
              data_dir: str | None, lessons: str | None) -> int:
    """Serves until Ctrl+C.

    Raises:
        ValueError: the address cannot be used (one clear message for the CLI).
    """
    check_bind(host, port)
    key = key or new_key()
    server = CitizenServer(app_command(teacher, data_dir, lessons), host, port, key,
                           max_sessions, title="citizen teacher" if teacher else "citizen")
    shown = "localhost" if host in ("127.0.0.1", "::1") else host
    what = "teacher mode" if teacher else "the student app"
    if not is_loopback(host):
        print(f"warning: {what} is reachable by anyone on the network who can reach "
              f"{host}:{port} and has the link (keep the key private)", file=sys.stderr)
    print(f"Serving {what} at http://{shown}:{port}/?key={key}", flush=True)
    print("Press Ctrl+C to stop.", flush=True)
    server.serve()
    return 0

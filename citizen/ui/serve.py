"""Provides `citizen serve`: the student app (or teacher mode) in browser tabs via textual-serve.

textual-serve starts one app process per websocket and has no authentication, so anyone who
reached the port could start processes until the server fell over. This subclass closes that
the way Jupyter does: the page and the websocket need an access key (from the URL, then a
cookie), a wrong or missing key is a 403 before any process starts, and live sessions are
capped with a plain "server is full" page past the cap. The page loads nothing from another
origin: the font is served locally and every URL is built from the request's own host.
"""

from __future__ import annotations

import array
import asyncio
import hmac
import ipaddress
import json
import logging
import os
import secrets
import select
import shlex
import shutil
import socket
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aiohttp import web
from textual_serve.app_service import AppService
from textual_serve.server import Server, to_int

log = logging.getLogger("citizen.serve")

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


WEB_ENV = {
    "TEXTUAL_DRIVER": "textual.drivers.web_driver:WebDriver",
    "TEXTUAL_FPS": "60",
    "TEXTUAL_COLOR_SYSTEM": "truecolor",
    "TERM_PROGRAM": "textual",
}
"""What textual-serve puts in each app's environment; Textual reads it at import, so the warm
process needs it before it imports anything."""
QUIT_GRACE = 5.0
"""Seconds a tab's app has to quit by itself once its tab is gone."""
MAX_COLUMNS = 500
"""Widest terminal a tab may ask for (a 4K screen at a small font is about 550)."""
MAX_ROWS = 200
"""Tallest terminal a tab may ask for. Without these limits one tab asking for 100,000 x
100,000 cells made its app take 6 GB and a whole core."""


def cells(width: object, height: object) -> tuple[int, int]:
    """A terminal size a tab asked for (anything, from a URL or a message), as whole numbers
    within 1..MAX_COLUMNS and 1..MAX_ROWS (80x24 for what is not a number)."""
    return (max(1, min(to_int(str(width), 80), MAX_COLUMNS)),
            max(1, min(to_int(str(height), 24), MAX_ROWS)))


class WarmStart:
    """The warm process (`citizen.ui.zygote`) that forks one app per tab, seen from the server.

    Starting it is optional: if it cannot start, or dies, tabs start from cold as textual-serve
    would start them, and the server says so once.
    """

    def __init__(self, argv: list[str]) -> None:
        """Describes the warm process.

        Args:
            argv: the citizen arguments each tab runs, e.g. `["--data-dir", D, "run"]`.
        """
        self.argv = argv
        self.folder = ""
        self.path = ""
        self.proc: subprocess.Popen[bytes] | None = None
        self.warned = False

    def start(self, timeout: float = 60) -> bool:
        """Starts the warm process and waits until it has imported everything.

        Returns:
            Whether it is ready; if not, tabs start from cold.
        """
        self.folder = tempfile.mkdtemp(prefix="citizen-serve-")  # 0700: only we can connect
        self.path = os.path.join(self.folder, "zygote.sock")
        env = {**os.environ, **WEB_ENV, "TERM_PROGRAM_VERSION": _serve_version()}
        try:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "citizen.ui.zygote", self.path, "--", *self.argv],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env)
        except OSError as exc:
            self.warn_cold(f"cannot start the warm process: {exc}")
            return False
        assert self.proc.stdout is not None
        ready, _, _ = select.select([self.proc.stdout], [], [], timeout)
        if not ready or self.proc.stdout.readline() != b"ready\n":
            self.warn_cold("the warm process did not start")
            self.stop()
            return False
        self.proc.stdout.close()
        return True

    def alive(self) -> bool:
        """Whether tabs can be forked from the warm process."""
        if self.proc is None or self.proc.poll() is not None:
            if self.proc is not None:
                self.warn_cold(f"the warm process ended (status {self.proc.returncode})")
            return False
        return True

    def warn_cold(self, why: str) -> None:
        """Says once, on stderr, that tabs now start from cold, and why."""
        if not self.warned:
            self.warned = True
            print(f"warning: {why}; each tab now starts its own app from cold (slower)",
                  file=sys.stderr, flush=True)

    def stop(self) -> None:
        """Ends the warm process, which ends its apps, and removes its socket."""
        if self.proc is not None:
            if self.proc.stdin is not None:
                self.proc.stdin.close()  # EOF: it stops its children, then exits
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self.folder:
            shutil.rmtree(self.folder, ignore_errors=True)

    def request(self, width: int, height: int, fds: list[int]) -> socket.socket:
        """Asks for one app process on the given stdin, stdout and stderr.

        Returns:
            The connection for this tab; closing it ends the app if it is still running.

        Raises:
            OSError: the warm process could not be reached.
        """
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            sock.settimeout(5)
            sock.connect(self.path)
            payload = json.dumps({"columns": width, "rows": height}).encode()
            sock.sendmsg([payload], [(socket.SOL_SOCKET, socket.SCM_RIGHTS,
                                      array.array("i", fds))])
            sock.setblocking(False)
        except OSError:
            sock.close()
            raise
        return sock


def _serve_version() -> str:
    from importlib.metadata import version

    return version("textual-serve")


@dataclass
class ForkedProcess:
    """A tab's app forked by the warm process: what AppService reads from a subprocess."""

    pid: int
    stdin: asyncio.StreamWriter
    stdout: asyncio.StreamReader
    stderr: asyncio.StreamReader


class WarmAppService(AppService):
    """textual-serve's AppService, with the app forked warm and a bounded stop.

    textual-serve's own stop waits, without limit, for the app to quit; an app that hangs
    would hold its place under the session cap forever. Here a tab whose app has not quit
    within QUIT_GRACE seconds of being told is ended.
    """

    def __init__(self, command: str, warm: WarmStart | None, **kwargs: Any) -> None:
        super().__init__(command, **kwargs)
        self.warm = warm
        self._conn: asyncio.StreamWriter | None = None
        self._pipes: list[asyncio.BaseTransport] = []

    async def _open_app_process(self, width: int = 80,  # type: ignore[override]
                                height: int = 24) -> Any:
        if self.warm is None or not self.warm.alive():
            return await super()._open_app_process(width, height)
        loop = asyncio.get_running_loop()
        stdin_r, stdin_w = os.pipe()
        stdout_r, stdout_w = os.pipe()
        stderr_r, stderr_w = os.pipe()
        try:
            sock = self.warm.request(width, height, [stdin_r, stdout_w, stderr_w])
        except OSError as exc:
            for fd in (stdin_w, stdout_r, stderr_r):
                os.close(fd)
            self.warm.warn_cold(f"the warm process cannot be reached ({exc.strerror or exc})")
            return await super()._open_app_process(width, height)
        finally:
            for fd in (stdin_r, stdout_w, stderr_w):
                os.close(fd)  # the app's ends: it holds its own copies now
        # Our ends, as files from here on, so that nothing below can leak them.
        out_file, err_file = open(stdout_r, "rb", buffering=0), open(stderr_r, "rb", buffering=0)
        in_file = open(stdin_w, "wb", buffering=0)
        reader, self._conn = await asyncio.open_unix_connection(sock=sock)
        stdout = asyncio.StreamReader(limit=2**16, loop=loop)
        stderr = asyncio.StreamReader(limit=2**16, loop=loop)
        for stream, file in ((stdout, out_file), (stderr, err_file)):
            transport, _ = await loop.connect_read_pipe(
                lambda s=stream: asyncio.StreamReaderProtocol(s, loop=loop), file)
            self._pipes.append(transport)
        transport, protocol = await loop.connect_write_pipe(
            lambda: asyncio.streams.FlowControlMixin(loop=loop), in_file)
        self._pipes.append(transport)
        stdin = asyncio.StreamWriter(transport, protocol, None, loop)
        self._stdin = stdin
        try:
            line = await asyncio.wait_for(reader.readline(), 10)
        except asyncio.TimeoutError:
            line = b""
        pid = int(line[4:]) if line.startswith(b"pid ") else 0
        if not pid:
            log.warning("the warm process did not start an app for a tab")
        process = ForkedProcess(pid, stdin, stdout, stderr)
        self._process = process  # type: ignore[assignment]
        return process

    async def set_terminal_size(self, width: int, height: int) -> None:
        """Passes a browser resize on, within limits: a tab cannot make its app draw (and
        hold in memory) an absurdly large screen."""
        await super().set_terminal_size(*cells(width, height))

    def _release(self, end: bool = False) -> None:
        """Closes this tab's pipes and its connection to the warm process, which ends a
        forked app still running; `end` also kills an app started from cold."""
        for transport in self._pipes:
            transport.close()
        self._pipes = []
        if self._conn is not None:
            self._conn.close()
            self._conn = None
        process = self._process
        if end and isinstance(process, asyncio.subprocess.Process) and \
                process.returncode is None:
            try:
                process.kill()
            except ProcessLookupError:
                pass

    async def stop(self) -> None:
        task = self._task
        if task is not None:
            await self._download_manager.cancel_app_downloads(
                app_service_id=self.app_service_id)
            await self.send_meta({"type": "quit"})
            done, _ = await asyncio.wait({task}, timeout=QUIT_GRACE)
            if not done:
                self._release(end=True)
                done, _ = await asyncio.wait({task}, timeout=QUIT_GRACE)
                if not done:
                    task.cancel()
                    await asyncio.gather(task, return_exceptions=True)
            self._task = None
        self._release()


class CitizenServer(Server):
    """textual-serve with an access key, a session cap, and no third-party requests."""

    def __init__(self, command: str, host: str, port: int, key: str, max_sessions: int,
                 title: str = "citizen", warm: WarmStart | None = None) -> None:
        """Builds the server.

        Args:
            command: the shell command that runs one app process.
            host: bind address.
            port: bind port.
            key: the access key every page and websocket must carry.
            max_sessions: the most app processes alive at once.
            title: page title.
            warm: the warm process that forks each tab's app (None: start each from cold).
        """
        super().__init__(command, host=host, port=port, title=title,
                         templates_path=str(TEMPLATES))
        self.key = key
        self.max_sessions = max_sessions
        self.warm = warm
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
            return await self._run_tab(request)
        finally:
            self.live -= 1

    async def _run_tab(self, request: web.Request) -> web.WebSocketResponse:
        """textual-serve's websocket handler, with our app service in place of its own."""
        websocket = web.WebSocketResponse(heartbeat=15)
        width, height = cells(request.query.get("width"), request.query.get("height"))
        service: WarmAppService | None = None
        try:
            await websocket.prepare(request)
            service = WarmAppService(self.command, self.warm, write_bytes=websocket.send_bytes,
                                     write_str=websocket.send_str, close=websocket.close,
                                     download_manager=self.download_manager, debug=self.debug)
            await service.start(width, height)
            try:
                await self._process_messages(websocket, service)
            finally:
                await service.stop()
        except asyncio.CancelledError:
            await websocket.close()
        except Exception as error:
            log.exception(error)
        finally:
            if service is not None:
                await service.stop()
        return websocket

    async def on_startup(self, app: web.Application) -> None:
        pass  # run_serve prints the one line a person needs


def app_argv(teacher: bool, data_dir: str | None, lessons: str | None) -> list[str]:
    """Returns the citizen arguments each browser tab's app runs with."""
    parts = []
    if data_dir:
        parts += ["--data-dir", data_dir]
    if lessons:
        parts += ["--lessons", lessons]
    parts.append("teacher" if teacher else "run")
    return parts


def app_command(teacher: bool, data_dir: str | None, lessons: str | None) -> str:
    """Returns the shell command that starts one tab's app from cold."""
    parts = [sys.executable, "-m", "citizen", *app_argv(teacher, data_dir, lessons)]
    return " ".join(shlex.quote(p) for p in parts)


def can_fork() -> bool:
    """Whether this system can fork apps from a warm process (not on Windows)."""
    return hasattr(os, "fork") and hasattr(socket, "AF_UNIX") and hasattr(socket, "SCM_RIGHTS")


def new_key() -> str:
    """A fresh access key (URL-safe)."""
    return secrets.token_urlsafe(18)


def run_serve(host: str, port: int, key: str | None, max_sessions: int, teacher: bool,
              data_dir: str | None, lessons: str | None, cold: bool = False) -> int:
    """Serves until Ctrl+C.

    Args:
        cold: start each tab's app as a new process, as textual-serve does, instead of
            forking it from a warm one.

    Raises:
        ValueError: the address cannot be used (one clear message for the CLI).
    """
    check_bind(host, port)
    key = key or new_key()
    warm = None
    if not cold and can_fork():
        warm = WarmStart(app_argv(teacher, data_dir, lessons))
        if not warm.start():
            warm = None
    server = CitizenServer(app_command(teacher, data_dir, lessons), host, port, key,
                           max_sessions, title="citizen teacher" if teacher else "citizen",
                           warm=warm)
    shown = "localhost" if host in ("127.0.0.1", "::1") else host
    what = "teacher mode" if teacher else "the student app"
    if not is_loopback(host):
        print(f"warning: {what} is reachable by anyone on the network who can reach "
              f"{host}:{port} and has the link (keep the key private)", file=sys.stderr)
    print(f"Serving {what} at http://{shown}:{port}/?key={key}", flush=True)
    print("Press Ctrl+C to stop.", flush=True)
    try:
        server.serve()
    finally:
        if warm is not None:
            warm.stop()
    return 0

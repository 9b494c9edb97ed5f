"""Provides helpers to run `citizen serve` for real and talk to it like a browser tab does."""

from __future__ import annotations

import asyncio
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import aiohttp

from ptyapp import ANSI


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _stat(pid: int | str) -> list[str]:
    """The fields of /proc/PID/stat after the command name (state, parent, ...)."""
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()


def parent_of(pid: int) -> int:
    """The parent process of `pid`."""
    return int(_stat(pid)[1])


def alive(pid: int) -> bool:
    """Whether a process exists and is not a zombie."""
    try:
        return _stat(pid)[0] != "Z"
    except OSError:
        return False


def rss_mb(pid: int) -> float:
    """Resident memory of a process, in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def descendants(pid: int) -> list[int]:
    """Processes below `pid` (read from /proc)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            ppid = parent_of(int(entry.name))
        except OSError:
            continue
        children.setdefault(ppid, []).append(int(entry.name))
    out, todo = [], [pid]
    while todo:
        for c in children.get(todo.pop(), []):
            out.append(c)
            todo.append(c)
    return out


class Served:
    """One `citizen serve` process on a free loopback port."""

    def __init__(self, data: Path, lessons: Path, *extra: str, key: str = "k3y-for-tests") -> None:
        self.port = free_port()
        self.key = key
        env = {**os.environ, "CITIZEN_DATA_DIR": str(data), "CITIZEN_LESSONS_DIR": str(lessons)}
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "citizen", "serve", "--port", str(self.port), "--key", key,
             *extra], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            start_new_session=True)
        line = self.proc.stdout.readline()
        assert line.startswith("Serving"), (line, self.proc.stderr.read())
        self.url = f"http://127.0.0.1:{self.port}"
        for _ in range(100):
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    break
            except OSError:
                time.sleep(0.05)

    def ws_url(self, width: int = 80, height: int = 24) -> str:
        """The websocket address a tab of this size opens (with the key)."""
        return f"ws://127.0.0.1:{self.port}/ws?key={self.key}&width={width}&height={height}"

    def apps(self) -> list[int]:
        """The app processes (python) the server has running, started cold or forked warm
        (not counting the warm process itself)."""
        out, warm = [], self.warm()
        for pid in descendants(self.proc.pid):
            try:
                cmd = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
            except OSError:
                continue
            if any(part.endswith(b"python") or b"python3" in part for part in cmd[:1]) and \
                    b"citizen" in b" ".join(cmd) and pid not in warm:
                out.append(pid)
        return out

    def warm(self) -> list[int]:
        """The warm process that forks apps (a direct child of the server), if running."""
        out = []
        for pid in descendants(self.proc.pid):
            try:
                if b"citizen.ui.zygote" in Path(f"/proc/{pid}/cmdline").read_bytes() and \
                        parent_of(pid) == self.proc.pid:
                    out.append(pid)
            except OSError:
                continue
        return out

    def stop(self) -> None:
        """Stops the server and every app process it started."""
        for sig in (signal.SIGTERM, signal.SIGKILL):
            try:
                os.killpg(self.proc.pid, sig)
                self.proc.wait(10)
                return
            except ProcessLookupError:
                return
            except subprocess.TimeoutExpired:
                continue


class Tab:
    """A browser tab's websocket: reads the screen continuously, types keys.

    A background task drains frames all the time, as a browser does, so the server never
    blocks on a tab that is busy typing.
    """

    def __init__(self, ws: aiohttp.ClientWebSocketResponse) -> None:
        self.ws = ws
        self.screen = ""
        self.closed = False
        self._pending = b""
        self._reader = asyncio.get_running_loop().create_task(self._read())

    async def _read(self) -> None:
        async for msg in self.ws:
            if msg.type == aiohttp.WSMsgType.BINARY:
                data = self._pending + msg.data
                # keep an incomplete UTF-8 sequence or escape for the next frame
                cut = len(data)
                esc = data.rfind(b"\x1b", max(0, len(data) - 64))
                if esc != -1 and not re.match(rb"\x1b(\[[0-9;?<>=]*[ -/]*[@-~]|[()][A-Z0-9]|[=>]|"
                                              rb"\][^\x07]*\x07)", data[esc:]):
                    cut = esc
                text = data[:cut].decode("utf-8", "ignore")
                self._pending = data[cut:]
                self.screen += ANSI.sub("", text)
        self.closed = True

    async def wait_for(self, pattern: str, timeout: float = 30, since: int = 0) -> re.Match[str]:
        rx = re.compile(pattern)
        end = asyncio.get_running_loop().time() + timeout
        while True:
            m = rx.search(self.screen, since)
            if m:
                return m
            if self.closed:
                raise AssertionError(f"the tab closed while waiting for {pattern!r}")
            if asyncio.get_running_loop().time() > end:
                raise AssertionError(f"timed out waiting for {pattern!r}: {self.screen[-800:]}")
            await asyncio.sleep(0.02)

    async def press(self, *keys: str) -> None:
        table = {"enter": "\r", "down": "\x1b[B", "escape": "\x1b"}
        for k in keys:
            await self.ws.send_str(json.dumps(["stdin", table.get(k, k)]))

    async def close(self) -> None:
        await self.ws.close()
        self._reader.cancel()

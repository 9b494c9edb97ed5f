"""Runs the real `citizen` command in a pseudo-terminal, as a person's terminal would.

Used by the crash tests (and benchmarks): type keys, read what the screen shows.
"""

from __future__ import annotations

import fcntl
import os
import re
import select
import signal
import struct
import subprocess
import sys
import termios
import time

ANSI = re.compile(r"\x1b\[[0-9;?<>=]*[ -/]*[@-~]|\x1b[()][A-Z0-9]|\x1b[=>]|\x1b\][^\x07]*\x07")
KEYS = {"enter": "\r", "down": "\x1b[B", "up": "\x1b[A", "escape": "\x1b", "space": " "}


class PtyApp:
    """One `citizen` process on a pty of a given size."""

    def __init__(self, args: list[str], env: dict[str, str], size: tuple[int, int] = (80, 24)):
        self.master, slave = os.openpty()
        cols, rows = size
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
        full_env = {**os.environ, **env, "TERM": "xterm-256color", "LANG": "C.UTF-8",
                    "COLUMNS": str(cols), "LINES": str(rows)}
        full_env.pop("TEXTUAL", None)
        self.proc = subprocess.Popen([sys.executable, "-m", "citizen", *args], stdin=slave,
                                     stdout=slave, stderr=slave, env=full_env,
                                     start_new_session=True, close_fds=True)
        os.close(slave)
        self.raw = ""
        """Everything the app drew, escape sequences removed."""

    def read(self, timeout: float = 0.05) -> str:
        """Waits up to `timeout` for output, then takes all that is ready; returns it."""
        new = []
        wait = timeout
        while True:
            ready, _, _ = select.select([self.master], [], [], wait)
            if not ready:
                break
            try:
                data = os.read(self.master, 65536)
            except OSError:
                break
            if not data:
                break
            text = ANSI.sub("", data.decode("utf-8", "replace"))
            new.append(text)
            self.raw += text
            wait = 0  # drain what is already there, but do not wait for silence
        return "".join(new)

    def wait_for(self, pattern: str, timeout: float = 20.0, since: int = 0) -> re.Match[str]:
        """Waits until the screen output (from offset `since`) matches a regex."""
        end = time.monotonic() + timeout
        rx = re.compile(pattern)
        while time.monotonic() < end:
            m = rx.search(self.raw, since)
            if m:
                return m
            if self.proc.poll() is not None:
                self.read(0.2)
                m = rx.search(self.raw, since)
                if m:
                    return m
                raise AssertionError(f"app exited ({self.proc.returncode}) before {pattern!r}:"
                                     f"\n{self.raw[-2000:]}")
            self.read(0.05)
        raise AssertionError(f"timed out waiting for {pattern!r}:\n{self.raw[-2000:]}")

    def press(self, *keys: str) -> None:
        """Types keys (names from KEYS, or literal text)."""
        for key in keys:
            os.write(self.master, KEYS.get(key, key).encode())

    def kill(self) -> None:
        """SIGKILL, as a crash or a closed lid would."""
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.proc.wait(10)
        self.close()

    def close(self) -> None:
        try:
            os.close(self.master)
        except OSError:
            pass

    def quit(self) -> int:
        """Ctrl+Q, then waits for the exit."""
        self.press("\x11")
        try:
            return self.proc.wait(15)
        finally:
            self.close()

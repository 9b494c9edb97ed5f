"""Provides shared helpers for the benchmarks: a pty driver, fixtures, statistics."""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))  # the pty and websocket drivers the tests use
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT))

from ptyapp import PtyApp  # noqa: E402

BARE_APP = '''
import sys
from textual.app import App
from textual.widgets import Button, Footer, Header, Label

class Bare(App):
    def compose(self):
        yield Header()
        yield Label("bare-ready", id="l")
        yield Button("One")
        yield Button("Two")
        yield Footer()

    def on_key(self, event):
        if event.key == "1":
            self.n = getattr(self, "n", 0) + 1
            self.query_one("#l", Label).update(f"pressed-{self.n}")

Bare().run()
'''


def pct(values: list[float], p: float) -> float:
    """Returns the p-th percentile (0-100) by nearest rank."""
    s = sorted(values)
    k = max(0, min(len(s) - 1, round(p / 100 * (len(s) - 1))))
    return s[k]


def med(values: list[float]) -> float:
    return statistics.median(values)


class BarePty(PtyApp):
    """The bare Textual app (Header, Label, two Buttons, Footer) on a pty."""

    def __init__(self, script: Path) -> None:
        import subprocess
        import fcntl
        import struct
        import termios

        self.master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
        env = {**os.environ, "TERM": "xterm-256color", "LANG": "C.UTF-8"}
        self.proc = subprocess.Popen([sys.executable, str(script)], stdin=slave, stdout=slave,
                                     stderr=slave, env=env, start_new_session=True,
                                     close_fds=True)
        os.close(slave)
        self.raw = ""


def bare_script() -> Path:
    path = Path(tempfile.mkdtemp()) / "bare_app.py"
    path.write_text(BARE_APP, "utf-8")
    return path


def now() -> float:
    return time.perf_counter()

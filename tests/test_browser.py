"""`citizen serve` in a real browser: headless Chromium (Debian's package) over DevTools.

The test loads the served page as a Chromebook would, reads every request the page makes (all
must go to the server's own origin), reads the websocket frames the page receives until the
app's sign-in screen has arrived in the browser, clicks into the page as a student would (the
app draws its footer keys only while the page has focus), and saves a screenshot.
"""

from __future__ import annotations

import asyncio
import base64
import json
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import aiohttp
import pytest

from citizen.classroom import Classroom
from citizen.content import load_library
from citizen.store import SQLiteStore
from conftest import FIXTURE_LESSONS
from ptyapp import ANSI
from servekit import Served

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
SHOT_DIR = os.environ.get("CITIZEN_SCREENSHOT_DIR")
"""Set to keep the browser screenshot somewhere a person can look at it."""

pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="Chromium is not installed (apt-get install chromium); .ci/run "
    "installs it")


class Chromium:
    """A headless Chromium with a DevTools endpoint on loopback."""

    def __init__(self) -> None:
        self.profile = Path(tempfile.mkdtemp())
        self.proc = subprocess.Popen(
            [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
             "--no-first-run", "--disable-background-networking", "--disable-component-update",
             "--disable-sync", "--disable-extensions", "--disable-default-apps",
             "--remote-debugging-port=0", f"--user-data-dir={self.profile}",
             "--window-size=1024,768", "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        port_file = self.profile / "DevToolsActivePort"
        for _ in range(300):
            if port_file.exists() and port_file.read_text().strip():
                break
            time.sleep(0.05)
        self.port = int(port_file.read_text().split()[0])

    def close(self) -> None:
        self.proc.kill()
        self.proc.wait(10)
        shutil.rmtree(self.profile, ignore_errors=True)


async def cdp_session(port: int):
    async with aiohttp.ClientSession() as http:
        async with http.get(f"http://127.0.0.1:{port}/json/list") as r:
            targets = await r.json()
    page = next(t for t in targets if t.get("type") == "page")
    return page["webSocketDebuggerUrl"]


async def test_served_page_shows_sign_in_and_stays_on_its_own_origin(tmp_path):
    data = tmp_path / "data"
    data.mkdir(mode=0o700)
    store = SQLiteStore(data / "citizen.sqlite3")
    Classroom(store, library=load_library(FIXTURE_LESSONS)).create_class("Web", "3-5")
    store.close()
    served = Served(data, FIXTURE_LESSONS)
    browser = Chromium()
    requests: list[str] = []
    screen = ""
    try:
        ws_url = await cdp_session(browser.port)
        async with aiohttp.ClientSession() as http:
            async with http.ws_connect(ws_url, max_msg_size=0) as ws:
                ids = iter(range(1, 10_000))

                async def call(method: str, **params):
                    n = next(ids)
                    await ws.send_json({"id": n, "method": method, "params": params})
                    return n

                await call("Network.enable")
                await call("Page.enable")
                await call("Page.navigate", url=f"{served.url}/?key={served.key}")
                deadline = time.monotonic() + 60
                shot_id = None
                shot = b""
                clicked_at = 0.0
                events: asyncio.Queue[dict] = asyncio.Queue()

                async def pump() -> None:
                    async for msg in ws:
                        events.put_nowait(json.loads(msg.data))

                pumping = asyncio.ensure_future(pump())
                while time.monotonic() < deadline:
                    signed_in = "Type your class join code" in screen
                    if signed_in and "Quit" not in screen and time.monotonic() - clicked_at > 2:
                        # a student clicks into the page (again, if the first click came
                        # too early): it gets focus, and the app then draws its footer
                        clicked_at = time.monotonic()
                        for kind in ("mousePressed", "mouseReleased"):
                            await call("Input.dispatchMouseEvent", type=kind, x=512,
                                       y=220, button="left", clickCount=1)
                    try:  # (a timeout on ws.receive itself would break the socket)
                        event = await asyncio.wait_for(events.get(), 0.5)
                    except asyncio.TimeoutError:
                        continue
                    method = event.get("method", "")
                    params = event.get("params", {})
                    if method == "Network.requestWillBeSent":
                        requests.append(params["request"]["url"])
                    elif method == "Network.webSocketCreated":
                        requests.append(params["url"])
                    elif method == "Network.webSocketFrameReceived":
                        frame = params["response"]
                        raw = (base64.b64decode(frame["payloadData"]) if frame["opcode"] == 2
                               else frame["payloadData"].encode())
                        screen += ANSI.sub("", raw.decode("utf-8", "ignore"))
                        if signed_in and "Quit" in screen and shot_id is None:
                            await asyncio.sleep(1.0)  # let xterm paint the frames it has
                            shot_id = await call("Page.captureScreenshot", format="png")
                    elif event.get("id") == shot_id and shot_id is not None:
                        shot = base64.b64decode(event["result"]["data"])
                        break
                pumping.cancel()
    finally:
        browser.close()
        served.stop()
    assert "Type your class join code" in screen and "Quit" in screen, (screen[-500:], requests)
    assert shot.startswith(b"\x89PNG") and len(shot) > 5000
    if SHOT_DIR:
        Path(SHOT_DIR, "served-sign-in.png").write_bytes(shot)
    origin = f"127.0.0.1:{served.port}"
    assert requests
    for url in requests:
        assert url.split("://", 1)[1].startswith(origin + "/") or url.startswith("data:"), url

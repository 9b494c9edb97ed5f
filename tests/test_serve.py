"""`citizen serve`: the access key, the session cap, same-origin pages, real concurrent tabs."""

from __future__ import annotations

import asyncio
import re
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import aiohttp
import pytest

from citizen.classroom import Classroom
from citizen.content import load_library
from citizen.store import SQLiteStore
from conftest import FIXTURE_LESSONS
from servekit import Served, Tab


@pytest.fixture
def data(tmp_path) -> tuple[Path, str, list[str]]:
    folder = tmp_path / "data"
    folder.mkdir(mode=0o700)
    store = SQLiteStore(folder / "citizen.sqlite3")
    classroom = Classroom(store, library=load_library(FIXTURE_LESSONS))
    cls = classroom.create_class("Web class", "3-5")
    names = [f"Kid {c}." for c in "ABCDEF"]
    for n in names:
        classroom.add_student(cls.id, n)
    store.close()
    return folder, cls.join_code, names


@pytest.fixture
def served(data):
    srv = Served(data[0], FIXTURE_LESSONS, "--max-sessions", "3")
    yield srv
    srv.stop()


async def answer_one(t: Tab, shown: int) -> None:
    """Answers the question on screen with choice 1 and waits until it is reported saved.

    The hint (drawn with the question) says which kind it is: a select-all question needs
    Enter after the tick.
    """
    hint = await t.wait_for(r"(Press a number|Space or a number ticks)", since=shown)
    mark = len(t.screen)
    await t.press("1")
    if hint.group(1).startswith("Space"):
        await t.press("enter")
    await t.wait_for("Your answer is saved", since=mark)


async def get(url: str) -> tuple[int, str, dict]:
    async with aiohttp.ClientSession() as s:
        async with s.get(url) as r:
            return r.status, await r.text(), dict(r.cookies)


async def test_without_the_key_403_and_no_process(served):
    for path in ("/", "/?key=wrong"):
        status, body, _ = await get(served.url + path)
        assert status == 403 and "not complete" in body
    async with aiohttp.ClientSession() as s:
        with pytest.raises(aiohttp.WSServerHandshakeError) as info:
            await s.ws_connect(served.url.replace("http", "ws") + "/ws?key=nope")
        assert info.value.status == 403
    await asyncio.sleep(0.5)
    assert served.apps() == []


async def test_page_is_same_origin_and_sets_the_key_cookie(served):
    status, body, cookies = await get(f"{served.url}/?key={served.key}")
    assert status == 200 and "citizen_key" in cookies
    urls = re.findall(r'(?:src|href)="([^"]+)"', body) + re.findall(r'url\("([^"]+)"\)', body)
    urls += re.findall(r'data-session-websocket-url="([^"]+)"', body)
    assert urls
    for u in urls:
        assert u.startswith("/") or u.startswith(f"ws://127.0.0.1:{served.port}/"), u
    assert "googleapis" not in body and "https://" not in body
    status, _, _ = await get(f"{served.url}/static/")
    assert status in (403, 404)  # no directory listing


async def test_a_tab_signs_in_and_answers_and_the_cap_holds(served, data):
    folder, code, names = data
    ws_url = f"ws://127.0.0.1:{served.port}/ws?key={served.key}&width=80&height=24"
    async with aiohttp.ClientSession() as s:
        tabs = [Tab(await s.ws_connect(ws_url)) for _ in range(3)]
        for t in tabs:
            await t.wait_for("Type your class join code")
        assert len(served.apps()) == 3
        # the fourth tab gets the "full" page and no process
        status, body, _ = await get(f"{served.url}/?key={served.key}")
        assert status == 503 and "The server is full" in body
        with pytest.raises(aiohttp.WSServerHandshakeError) as info:
            await s.ws_connect(ws_url)
        assert info.value.status == 503
        assert len(served.apps()) == 3
        # the first tab signs in and answers a question
        t = tabs[0]
        await t.press(code, "enter")
        await t.wait_for("pick your name")
        await t.press("enter")
        await t.wait_for("Enter to open a module")
        await t.press("enter")
        await t.wait_for("Lesson page 1 of 2")
        await t.press("enter", "enter")
        shown = (await t.wait_for("Question 1 of 4")).start()
        await answer_one(t, shown)
        # closing a tab (a lid shut) ends its process
        await tabs[1].close()
        for _ in range(100):
            if len(served.apps()) == 2:
                break
            await asyncio.sleep(0.1)
        assert len(served.apps()) == 2
        for x in (tabs[0], tabs[2]):
            await x.close()
    con = sqlite3.connect(str(folder / "citizen.sqlite3"))
    assert con.execute("SELECT count(*) FROM answers").fetchone()[0] == 1
    con.close()


async def test_several_tabs_answering_at_once_lose_nothing(data, tmp_path):
    folder, code, names = data
    srv = Served(folder, FIXTURE_LESSONS, "--max-sessions", "10")
    reported: dict[str, int] = {}
    try:
        ws_url = f"ws://127.0.0.1:{srv.port}/ws?key={srv.key}&width=80&height=24"

        async def student(i: int) -> None:
            async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=120)) as s:
                t = Tab(await s.ws_connect(ws_url))
                await t.wait_for("Type your class join code", timeout=60)
                await t.press(code, "enter")
                await t.wait_for("pick your name")
                await t.press(*["down"] * i, "enter")
                await t.wait_for("Enter to open a module")
                await t.press("enter")
                await t.wait_for("Lesson page 1 of")
                await t.press("enter", "enter")
                shown = (await t.wait_for("Question 1 of 4")).start()
                saved = 0
                for q in range(4):
                    await answer_one(t, shown)
                    saved += 1
                    reported[names[i]] = saved
                    mark = len(t.screen)
                    await t.press("enter")
                    shown = (await t.wait_for(rf"(Question {q + 2} of|your result)",
                                              since=mark)).start()
                await t.close()

        await asyncio.gather(*(student(i) for i in range(5)))
    finally:
        srv.stop()
    con = sqlite3.connect(str(folder / "citizen.sqlite3"))
    rows = dict(con.execute("SELECT s.display_name, count(a.position) FROM students s JOIN "
                            "attempts t ON t.student_id = s.id JOIN answers a ON "
                            "a.attempt_id = t.id GROUP BY s.id").fetchall())
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    con.close()
    assert rows == reported == {n: 4 for n in names[:5]}


def test_cli_errors_are_one_line(data, tmp_path):
    env_dir = str(data[0])
    busy = Served(data[0], FIXTURE_LESSONS)
    try:
        out = subprocess.run([sys.executable, "-m", "citizen", "--data-dir", env_dir, "serve",
                              "--port", str(busy.port)], capture_output=True, text=True,
                             timeout=30)
        assert out.returncode == 2 and out.stderr.count("\n") == 1
        assert "already in use" in out.stderr
    finally:
        busy.stop()
    out = subprocess.run([sys.executable, "-m", "citizen", "--data-dir", env_dir, "serve",
                          "--host", "no-such-host.invalid"], capture_output=True, text=True,
                         timeout=30)
    assert out.returncode == 2 and "unknown host" in out.stderr


def test_non_loopback_bind_warns(data):
    srv = Served(data[0], FIXTURE_LESSONS, "--host", "0.0.0.0")
    try:
        srv.proc.terminate()
        _, err = srv.proc.communicate(timeout=10)
    finally:
        srv.stop()
    assert "warning:" in err and "reachable by anyone on the network" in err


def test_served_command_is_the_student_app_only():
    from citizen.ui.serve import app_command

    assert app_command(False, "/d", "/l").endswith(" run")
    assert app_command(True, "/d", "/l").endswith(" teacher")

"""`citizen serve`: the access key, the session cap, same-origin pages, real concurrent tabs."""

from __future__ import annotations

import asyncio
import os
import re
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import aiohttp
import pytest

from citizen.classroom import Classroom
from citizen.content import load_library
from citizen.store import SQLiteStore
from conftest import FIXTURE_LESSONS
from servekit import Served, Tab, alive, descendants, parent_of, rss_mb


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


async def no_live_sessions(served: Served) -> bool:
    """Waits (10 s at most) until the server counts no live session."""
    for _ in range(100):
        _, body, _ = await get(f"{served.url}/healthz")
        if '"live": 0' in body:
            return True
        await asyncio.sleep(0.1)
    return False


async def sign_in(t: Tab, code: str, downs: int = 0) -> None:
    """Signs in with the join code as the (downs+1)th student on the list."""
    await t.wait_for("Type your class join code", timeout=60)
    await t.press(code, "enter")
    await t.wait_for("pick your name")
    await t.press(*["down"] * downs, "enter")


async def answer_first(t: Tab) -> None:
    """From home, opens the first module, reads the lesson and answers question 1."""
    await t.wait_for("Enter to open a module")
    await t.press("enter")
    await t.wait_for("Lesson page 1 of 2")
    await t.press("enter", "enter")
    shown = (await t.wait_for("Question 1 of 4")).start()
    await answer_one(t, shown)


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
    ws_url = served.ws_url()
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
        await sign_in(t, code)
        await answer_first(t)
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
        ws_url = srv.ws_url()

        async def student(i: int) -> None:
            async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=120)) as s:
                t = Tab(await s.ws_connect(ws_url))
                await sign_in(t, code, i)
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


async def until(check, timeout: float = 20) -> bool:
    for _ in range(int(timeout / 0.1)):
        if check():
            return True
        await asyncio.sleep(0.1)
    return check()


async def test_tabs_fork_from_the_warm_process_and_resume_after_a_drop(served, data):
    folder, code, _ = data
    [warm] = served.warm()
    ws_url = served.ws_url()
    async with aiohttp.ClientSession() as s:
        t = Tab(await s.ws_connect(ws_url))
        await sign_in(t, code)
        [app] = served.apps()
        assert parent_of(app) == warm  # forked warm, not a cold `python -m citizen run`
        await answer_first(t)
        # the lid shuts: the connection drops without a goodbye, and the app process ends
        t._reader.cancel()
        t.ws._response.connection.transport.abort()
        assert await until(lambda: not alive(app) and served.apps() == [], 40)
        # opened again, signed in: straight back to the next question, nothing lost
        t = Tab(await s.ws_connect(ws_url))
        await sign_in(t, code)
        await t.wait_for("Question 2 of 4")
        await t.close()
    assert warm in served.warm()  # the warm process outlives its tabs


async def test_an_app_that_will_not_quit_is_ended_when_its_tab_goes(served):
    ws_url = served.ws_url()
    async with aiohttp.ClientSession() as s:
        t = Tab(await s.ws_connect(ws_url))
        await t.wait_for("Type your class join code", timeout=60)
        [app] = served.apps()
        os.kill(app, signal.SIGSTOP)  # hung: it cannot read the quit message
        await t.close()
        assert await until(lambda: not alive(app), 30)
        assert await no_live_sessions(served)


async def test_tabs_closed_as_fast_as_they_open_leave_no_process_behind(data):
    """Churn: tabs that go before their app has even drawn (a double-click, a reload storm)."""
    served = Served(data[0], FIXTURE_LESSONS, "--max-sessions", "12")
    try:
        await churn(served)
    finally:
        served.stop()


async def churn(served: Served) -> None:
    ws_url = served.ws_url()
    [warm] = served.warm()
    async with aiohttp.ClientSession() as s:
        for round_ in range(4):
            tabs = [await s.ws_connect(ws_url) for _ in range(3)]
            if round_ % 2:
                await asyncio.sleep(0.3)  # some mid-start, some not yet forked
            for ws in tabs:
                if round_ == 3:
                    ws._response.connection.transport.abort()  # dropped, no close frame
                else:
                    await ws.close()
        # every app ended and reaped (no zombies either), the warm process still there
        assert await until(lambda: descendants(warm) == [], 40), descendants(warm)
        assert served.apps() == [] and served.warm() == [warm]
        assert await no_live_sessions(served)  # every place under the cap is free again
        t = Tab(await s.ws_connect(ws_url))  # and the next student still gets in
        await t.wait_for("Type your class join code", timeout=60)
        await t.close()


async def test_if_the_warm_process_dies_tabs_start_from_cold(data):
    folder, code, _ = data
    srv = Served(folder, FIXTURE_LESSONS)
    try:
        [warm] = srv.warm()
        os.kill(warm, signal.SIGKILL)
        await until(lambda: not alive(warm))
        ws_url = srv.ws_url()
        async with aiohttp.ClientSession() as s:
            t = Tab(await s.ws_connect(ws_url))
            await sign_in(t, code)
            await t.wait_for("Enter to open a module")
            assert len(srv.apps()) == 1
            await t.close()
    finally:
        srv.stop()
        _, err = srv.proc.communicate(timeout=10)
    assert err.count("warning: the warm process ended") == 1, err


async def test_a_killed_server_takes_the_warm_process_and_its_apps_with_it(served):
    ws_url = served.ws_url()
    async with aiohttp.ClientSession() as s:
        tabs = [Tab(await s.ws_connect(ws_url)) for _ in range(2)]
        for t in tabs:
            await t.wait_for("Type your class join code", timeout=60)
        pids = served.warm() + served.apps()
        assert len(pids) == 3
        socket_path = Path(Path(f"/proc/{pids[0]}/cmdline").read_bytes().split(b"\0")[3].decode())
        assert socket_path.name == "zygote.sock" and socket_path.exists()
        served.proc.kill()  # the server alone, as an OOM kill would
        assert await until(lambda: not any(alive(p) for p in pids), 30), \
            [p for p in pids if alive(p)]
        assert not socket_path.parent.exists()  # its private folder is gone too
        for t in tabs:
            t._reader.cancel()


def hand_over(conn, stdin_r: int, out_w: int) -> None:
    """Sends a zygote request as the server does: an 80x24 tab, its stdin, and one pipe for
    both stdout and stderr; then closes our copies of the ends the app now holds."""
    import array
    import socket as sk

    conn.sendmsg([b'{"columns": 80, "rows": 24}'],
                 [(sk.SOL_SOCKET, sk.SCM_RIGHTS, array.array("i", [stdin_r, out_w, out_w]))])
    for fd in (stdin_r, out_w):
        os.close(fd)


def test_the_warm_process_forks_refuses_bad_requests_and_relays_exit_codes(tmp_path):
    import socket as sk

    from citizen.ui.serve import WEB_ENV

    path = str(tmp_path / "z.sock")
    env = {**os.environ, **WEB_ENV}
    z = subprocess.Popen([sys.executable, "-m", "citizen.ui.zygote", path, "--", "where"],
                         stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         env=env)
    try:
        assert z.stdout.readline() == b"ready\n"
        # no fds: refused, and the zygote carries on
        with sk.socket(sk.AF_UNIX) as c:
            c.connect(path)
            c.sendall(b'{"columns": 80, "rows": 24}')
            c.settimeout(10)
            assert c.recv(100) == b""
        # a proper request: the child runs `citizen where` on the given pipes
        out_r, out_w = os.pipe()
        in_r, in_w = os.pipe()
        with sk.socket(sk.AF_UNIX) as c:
            c.connect(path)
            hand_over(c, in_r, out_w)
            c.settimeout(20)
            replies = b""
            while b"exit" not in replies:
                chunk = c.recv(100)
                assert chunk, replies
                replies += chunk
        assert re.fullmatch(rb"pid \d+\nexit 0\n", replies), replies
        with os.fdopen(out_r, "rb") as f:
            printed = f.read().decode()
        assert "citizen.sqlite3" in printed
        os.close(in_w)
    finally:
        z.stdin.close()
        z.wait(10)
    assert z.returncode == 0
    assert "refused a request: expected 3 fds, got 0" in z.stderr.read().decode()


def test_a_failed_fork_fails_that_tab_only(monkeypatch, capsys):
    import errno
    import socket as sk

    from citizen.ui import zygote

    def no_fork() -> int:
        raise OSError(errno.EAGAIN, "Resource temporarily unavailable")

    monkeypatch.setattr(zygote.os, "fork", no_fork)
    listener = sk.socket(sk.AF_UNIX)
    z = zygote.Zygote(listener, -1, ["run"])
    server_end, zygote_end = sk.socketpair()
    out_r, out_w = os.pipe()
    in_r, in_w = os.pipe()
    hand_over(server_end, in_r, out_w)
    z.fork(zygote_end)
    server_end.settimeout(5)
    assert server_end.recv(100) == b""  # the tab's connection is closed: it fails at once
    assert os.read(out_r, 100) == b""  # and the zygote kept none of the tab's pipe ends
    assert z.conns == {} and "cannot fork an app" in capsys.readouterr().err
    for fd in (out_r, in_w):
        os.close(fd)
    server_end.close()
    listener.close()


async def test_a_tab_asking_for_a_huge_screen_gets_a_sane_one(served):
    """A tab that says its screen is 100,000 x 100,000 once made its app take 6 GB."""
    import json

    huge = 100_000
    ws_url = served.ws_url(huge, huge)
    async with aiohttp.ClientSession() as s:
        t = Tab(await s.ws_connect(ws_url))
        await t.wait_for("Type your class join code", timeout=60)
        [app] = served.apps()
        await t.ws.send_str(json.dumps(["resize", {"width": huge, "height": huge}]))
        await asyncio.sleep(2)
        mark = len(t.screen)
        await t.ws.send_str(json.dumps(["resize", {"width": 90, "height": 30}]))
        await t.wait_for("Type your class join code", since=mark, timeout=30)  # still answers
        assert rss_mb(app) < 300
        mark = len(t.screen)
        await t.ws.send_str(json.dumps(["resize", {"width": "wide", "height": None}]))  # 80x24
        await t.wait_for("Type your class join code", since=mark, timeout=30)
        await t.close()

"""Benchmark: a class on `citizen serve`, with real app processes behind real websockets.

1. A class of 30 opening the page at the same moment: time until every tab shows sign-in,
   for textual-serve with a bare app (baseline), `citizen serve --cold` (every app started
   from cold: before) and `citizen serve` (every app forked from a warm process: after).
2. 40 concurrent students (one app process each), random 0.5-3 s think time, 50 answers each:
   errors, answers lost, and the time from a key press to "Your answer is saved" on the tab
   (the answer is committed before that text is drawn), p50 and p99.
3. Resident memory of one served session, as a ratio to a bare Textual app process, and how
   much of it is the session's own (the rest is shared with the warm process).
Usage: python bench/serve_class.py [--tabs 30] [--students 40] [--answers 50]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import aiohttp
from _common import ROOT, bare_script, med, pct  # noqa: F401  (ROOT: repo on sys.path)

from answer_latency import make_library
from citizen.classroom import Classroom
from citizen.store import SQLiteStore
from servekit import Served, Tab, rss_mb


def private_mb(pid: int) -> float:
    """Memory only this process holds (USS: private clean + dirty), from smaps_rollup."""
    total = 0
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
        if line.startswith(("Private_Clean:", "Private_Dirty:")):
            total += int(line.split()[1])
    return total / 1024


async def open_tabs(srv: Served, n: int, url: str | None = None,
                    ready: str = "Type your class join code") -> list[float]:
    url = url or srv.ws_url()
    t0 = time.perf_counter()
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=300)) as s:
        async def one() -> float:
            tab = Tab(await s.ws_connect(url))
            await tab.wait_for(ready, timeout=120)
            done = time.perf_counter() - t0
            await tab.close()
            return done
        return await asyncio.gather(*(one() for _ in range(n)))


async def class_session(srv: Served, code: str, students: int, answers: int,
                        rng: random.Random) -> tuple[list[float], dict[int, int], int]:
    url = srv.ws_url()
    latencies: list[float] = []
    reported: dict[int, int] = {}
    errors = 0

    async def student(i: int) -> None:
        nonlocal errors
        try:
            async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=600)) as s:
                t = Tab(await s.ws_connect(url))
                await t.wait_for("Type your class join code", timeout=120)
                await t.press(code, "enter")
                await t.wait_for("pick your name", timeout=60)
                # names are sorted; student i is the (i+1)th
                await t.press(*["down"] * i, "enter")
                await t.wait_for("Enter to open a module", timeout=60)
                await t.press("enter")
                await t.wait_for("Lesson page 1 of 1", timeout=60)
                await t.press("enter")
                await t.wait_for("Question 1 of", timeout=60)
                for q in range(answers):
                    await asyncio.sleep(rng.uniform(0.5, 3.0))
                    mark = len(t.screen)
                    t0 = time.perf_counter()
                    await t.press("1")
                    await t.wait_for("Your answer is saved", since=mark, timeout=60)
                    latencies.append(time.perf_counter() - t0)
                    reported[i] = q + 1
                    if q + 1 < answers:
                        mark = len(t.screen)
                        await t.press("enter")
                        await t.wait_for(rf"Question {q + 2} of", since=mark, timeout=60)
                await t.close()
        except Exception as exc:  # counted, reported
            errors += 1
            print(f"  student {i}: {type(exc).__name__}: {str(exc)[:120]}", file=sys.stderr)

    await asyncio.gather(*(student(i) for i in range(students)))
    return latencies, reported, errors


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tabs", type=int, default=30)
    parser.add_argument("--students", type=int, default=40)
    parser.add_argument("--answers", type=int, default=50)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp())
    lib = make_library(tmp, max(args.answers, 5))
    data = tmp / "data"
    data.mkdir(mode=0o700)
    store = SQLiteStore(data / "citizen.sqlite3")
    c = Classroom(store, lessons_dir=lib)
    cls = c.create_class("Bench class", "3-5")
    for i in range(args.students):
        c.add_student(cls.id, f"Kid {i:02d}.")
    store.close()

    # Baseline in the same run: textual-serve as it is, serving a bare Textual app.
    from servekit import free_port

    port = free_port()
    plain = subprocess.Popen(
        [sys.executable, "-c", "import sys; from textual_serve.server import Server; "
         f"Server(sys.executable + ' {bare_script()}', host='127.0.0.1', port={port}).serve()"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    time.sleep(1.5)
    try:
        base = asyncio.run(open_tabs(None, args.tabs,  # type: ignore[arg-type]
                                     f"ws://127.0.0.1:{port}/ws?width=80&height=24",
                                     "bare-ready"))
    finally:
        import os
        import signal
        os.killpg(plain.pid, signal.SIGKILL)
    time.sleep(2)
    cap = str(max(args.tabs, args.students) + 5)
    # Before: every tab's app started from cold, as textual-serve does.
    cold = Served(data, lib, "--max-sessions", cap, "--cold")
    try:
        before = asyncio.run(open_tabs(cold, args.tabs))
    finally:
        cold.stop()
    time.sleep(2)
    # After: each app forked from the warm process.
    srv = Served(data, lib, "--max-sessions", cap)
    try:
        opened = asyncio.run(open_tabs(srv, args.tabs))
        print(f"{args.tabs} tabs opened at once, time until every tab showed sign-in:")
        print(f"  textual-serve with a bare Textual app: {max(base):.2f} s "
              f"(median tab {med(base):.2f} s)")
        print(f"  citizen serve --cold (before):         {max(before):.2f} s "
              f"(median tab {med(before):.2f} s); {max(before) / max(base):.2f}x the baseline")
        print(f"  citizen serve, forked warm (after):    {max(opened):.2f} s "
              f"(median tab {med(opened):.2f} s); {max(opened) / max(base):.2f}x the baseline, "
              f"{max(before) / max(opened):.1f}x faster than cold")
        time.sleep(2)

        # memory: one served session vs a bare Textual app
        async def one_session() -> tuple[float, float]:
            url = srv.ws_url()
            async with aiohttp.ClientSession() as s:
                tab = Tab(await s.ws_connect(url))
                await tab.wait_for("Type your class join code", timeout=60)
                await asyncio.sleep(1)
                [app] = srv.apps()
                value = rss_mb(app), private_mb(app)
                await tab.close()
                return value
        served_rss, served_own = asyncio.run(one_session())
        bare = subprocess.Popen([sys.executable, str(bare_script())], stdin=subprocess.PIPE,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                env={"TEXTUAL_DRIVER": "textual.drivers.web_driver:WebDriver",
                                     "PATH": "/usr/bin:/bin", "COLUMNS": "80", "ROWS": "24"})
        time.sleep(3)
        bare_rss = rss_mb(bare.pid)
        bare.kill()
        warm_rss = sum(rss_mb(p) for p in srv.warm())
        server_rss = rss_mb(srv.proc.pid)
        print(f"memory of one session: {served_rss:.0f} MB RSS, {served_rss / bare_rss:.2f}x a "
              f"bare Textual app ({bare_rss:.0f} MB); of that, {served_own:.0f} MB is its own "
              f"and the rest is shared with the warm process ({warm_rss:.0f} MB, once per "
              f"server). The web server itself: {server_rss:.0f} MB. A server needs about "
              f"{server_rss + warm_rss:.0f} MB + {served_own:.0f} MB per tab.")
        t0 = time.perf_counter()
        lat, reported, errors = asyncio.run(class_session(srv, cls.join_code, args.students,
                                                          args.answers, random.Random(7)))
        took = time.perf_counter() - t0
    finally:
        srv.stop()
    con = sqlite3.connect(str(data / "citizen.sqlite3"))
    saved = dict(con.execute(
        "SELECT s.display_name, count(*) FROM answers a JOIN attempts t ON t.id = a.attempt_id "
        "JOIN students s ON s.id = t.student_id GROUP BY s.id"))
    check = con.execute("PRAGMA integrity_check").fetchone()[0]
    con.close()
    lost = sum(max(0, n - saved.get(f"Kid {i:02d}.", 0)) for i, n in reported.items())
    print(f"{args.students} students x {args.answers} answers in {took:.0f} s: {len(lat)} "
          f"answers reported saved, {sum(saved.values())} in the database, {lost} lost, "
          f"{errors} errors, integrity {check}")
    print(f"answer to 'saved' on the tab: p50 {1000 * med(lat):.0f} ms, p99 "
          f"{1000 * pct(lat, 99):.0f} ms, max {1000 * max(lat):.0f} ms")
    shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()

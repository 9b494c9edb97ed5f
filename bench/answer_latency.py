"""Benchmark: key press to feedback drawn (including the durable commit), over 200 answers.

The real `citizen` app runs on a pty at 80x24 against a generated one-module library with a
200-question quiz; each press of `1` is timed until "Your answer is saved" reaches the terminal.
The same is measured for a bare Textual app whose key press updates a Label, in the same run.
Usage: python bench/answer_latency.py [--answers N]
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
from pathlib import Path

from _common import ROOT, BarePty, PtyApp, bare_script, med, now, pct

from citizen.classroom import Classroom
from citizen.store import SQLiteStore


def make_library(folder: Path, n: int) -> Path:
    lib = folder / "lessons"
    (lib / "bench").mkdir(parents=True)
    shutil.copy(ROOT / "tests" / "fixtures" / "lessons" / "clauses.yaml", lib)
    qs = []
    for i in range(n):
        qs.append(f"""    - id: bench.q{i:04d}
      kind: single
      prompt: "Bench question {i}?"
      cites: ["testdist: Student Guidelines 1"]
      choices:
        - {{id: a, text: "Right", correct: true, feedback: "Because it is right."}}
        - {{id: b, text: "Wrong", feedback: "Because it is wrong."}}
        - {{id: c, text: "Also wrong", feedback: "Because it is also wrong."}}
""")
    body = "".join(qs)
    (lib / "bench" / "3-5.yaml").write_text(f"""format_version: 1
module: bench
band: "3-5"
title: "Bench"
lesson:
  draw: {n}
  pages: [{{id: p, title: "Bench", body: "Bench page."}}]
  questions:
{body}review:
  draw: 1
  pages: [{{id: p, title: "Bench", body: "Bench page."}}]
  questions:
    - id: bench.r1
      kind: true_false
      prompt: "Review?"
      cites: ["testdist: Student Guidelines 1"]
      choices:
        - {{id: "true", text: "True", correct: true, feedback: "Yes."}}
        - {{id: "false", text: "False", feedback: "No."}}
""", "utf-8")
    return lib


def citizen_latencies(n: int) -> list[float]:
    tmp = Path(tempfile.mkdtemp())
    lib = make_library(tmp, n)
    data = tmp / "data"
    data.mkdir(mode=0o700)
    store = SQLiteStore(data / "citizen.sqlite3")
    cls = Classroom(store, lessons_dir=lib).create_class("Bench", "3-5")
    Classroom(store, lessons_dir=lib).add_student(cls.id, "Ava R.")
    store.close()
    app = PtyApp([], {"CITIZEN_DATA_DIR": str(data), "CITIZEN_LESSONS_DIR": str(lib)})
    out = []
    try:
        app.wait_for("Type your class join code")
        app.press(cls.join_code, "enter")
        app.wait_for("pick your name")
        app.press("enter")
        app.wait_for("Enter to open a module")
        app.press("enter")
        app.wait_for("Lesson page 1 of 1")
        app.press("enter")
        app.wait_for(r"Question 1 of")
        for i in range(n):
            mark = len(app.raw)
            t0 = now()
            app.press("1")
            app.wait_for("Your answer is saved", since=mark)
            out.append(now() - t0)
            if i + 1 < n:
                mark = len(app.raw)
                app.press("enter")
                app.wait_for(rf"Question {i + 2} of", since=mark)
    finally:
        app.kill()
        shutil.rmtree(tmp, ignore_errors=True)
    return out


def bare_latencies(n: int) -> list[float]:
    app = BarePty(bare_script())
    out = []
    try:
        app.wait_for("bare-ready")
        for i in range(n):
            mark = len(app.raw)
            t0 = now()
            app.press("1")
            app.wait_for(f"pressed-{i + 1}", since=mark)
            out.append(now() - t0)
    finally:
        app.kill()
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--answers", type=int, default=200)
    args = parser.parse_args()
    bare = bare_latencies(args.answers)
    cit = citizen_latencies(args.answers)
    print(f"key press to drawn result, 80x24 pty, {args.answers} presses each")
    for name, v in (("bare label update", bare), ("citizen answer+commit+feedback", cit)):
        print(f"  {name:32s} median {1000 * med(v):6.1f} ms  p95 {1000 * pct(v, 95):6.1f} ms")
    print(f"  ratio citizen/bare: median {med(cit) / med(bare):.2f}x, "
          f"p95 {pct(cit, 95) / pct(bare, 95):.2f}x")


if __name__ == "__main__":
    main()

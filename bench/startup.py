"""Benchmark: process start to the first frame of the sign-in screen, against a bare app.

Both run on a pty at 80x24; the clock stops when the screen text arrives. Runs the citizen app
with the shipped library and with a generated library of 500 module files (cold and warm
lesson cache), and prints each median as a ratio to the bare Textual app measured in the same
run. Usage: python bench/startup.py [--runs N]
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
from pathlib import Path

from _common import ROOT, BarePty, PtyApp, bare_script, med, now, pct


def generate_library(folder: Path, files: int = 500) -> Path:
    """Copies the shipped library and adds generated modules up to `files` lesson files."""
    lib = folder / "lessons"
    shutil.copytree(ROOT / "lessons", lib)
    template = (ROOT / "lessons" / "personal-info" / "3-5.yaml").read_text("utf-8")
    existing = len(list(lib.glob("*/*.yaml")))
    for i in range(files - existing):
        mod = f"generated-{i:03d}"
        (lib / mod).mkdir()
        text = template.replace("module: personal-info", f"module: {mod}").replace(
            "personal-info.3-5.", f"{mod}.3-5.")
        (lib / mod / "3-5.yaml").write_text(text, "utf-8")
    return lib


def time_bare(script: Path) -> float:
    start = now()
    app = BarePty(script)
    try:
        app.wait_for("bare-ready")
        return now() - start
    finally:
        app.kill()


def time_citizen(data: Path, lessons: Path) -> float:
    start = now()
    app = PtyApp([], {"CITIZEN_DATA_DIR": str(data), "CITIZEN_LESSONS_DIR": str(lessons)})
    try:
        app.wait_for("Type your class join code")
        return now() - start
    finally:
        app.kill()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp())
    big = generate_library(tmp)
    script = bare_script()
    results: dict[str, list[float]] = {"bare": [], "citizen": [], "citizen-500-cold": [],
                                       "citizen-500-warm": []}
    time_bare(script)  # warm the OS file cache once for both
    time_citizen(tmp / "warmup", ROOT / "lessons")
    for i in range(args.runs):
        results["bare"].append(time_bare(script))
        results["citizen"].append(time_citizen(tmp / f"d{i}", ROOT / "lessons"))
        results["citizen-500-cold"].append(time_citizen(tmp / f"big{i}", big))
        results["citizen-500-warm"].append(time_citizen(tmp / f"big{i}", big))
    base = med(results["bare"])
    print(f"start-up to first frame, 80x24 pty, {args.runs} runs each "
          f"({len(list(big.glob('*/*.yaml')))} files in the big library)")
    for name, values in results.items():
        print(f"  {name:18s} median {1000 * med(values):6.0f} ms  p90 {1000 * pct(values, 90):6.0f}"
              f" ms  ratio {med(values) / base:4.2f}x")
    shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()

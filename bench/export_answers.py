"""Benchmark: the `answers` CSV export of 1,000,000 generated answers, against a raw loop.

The baseline is a plain `SELECT * FROM answers` streamed into csv.writer, over the same
database in the same run; a second baseline writes the export's own columns with a raw loop. Each side runs in its own process so its peak memory (max RSS) is
its own. Usage: python bench/export_answers.py [--rows N]
"""

from __future__ import annotations

import argparse
import csv
import json
import resource
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import ROOT  # noqa: F401  (puts the repo on sys.path)


def generate(db: Path, rows: int) -> None:
    from citizen.store import SQLiteStore

    store = SQLiteStore(db)
    store.close()
    con = sqlite3.connect(str(db))
    con.execute("PRAGMA synchronous = OFF")
    con.execute("INSERT INTO classes(id, name, band, join_code, created_at) VALUES "
                "(1, 'Bench class', '6-8', 'ACDEFG', '2026-09-01T00:00:00+00:00')")
    students = 1000
    con.executemany("INSERT INTO students(id, class_id, display_name, code, band, created_at) "
                    "VALUES (?, 1, ?, ?, '6-8', '2026-09-01T00:00:00+00:00')",
                    [(i, f"Student {i:04d} Q.", f"S{i:05d}") for i in range(1, students + 1)])
    con.execute("INSERT INTO content_versions VALUES ('v', 'personal-info', '6-8', '{}')")
    per_attempt = 10
    attempts = rows // per_attempt
    con.executemany(
        "INSERT INTO attempts(id, student_id, module_id, band, part, version, seed, plan, "
        "mastery, started_at, finished_at, right_count, total, mastered) VALUES (?, ?, "
        "'personal-info', '6-8', 'lesson', 'v', 1, '{}', 0.8, '2026-09-02T10:00:00+00:00', "
        "'2026-09-02T10:09:00+00:00', 7, 10, 0)",
        [(a, a % students + 1) for a in range(1, attempts + 1)])

    def answers():
        for a in range(1, attempts + 1):
            for p in range(per_attempt):
                yield (a, p, f"personal-info.6-8.q{p:02d}", " ".join(["a", "c"][: 1 + p % 2]),
                       p % 3 != 0, "2026-09-02T10:00:05.123456+00:00")

    con.executemany("INSERT INTO answers(attempt_id, position, question_id, chosen, correct, "
                    "answered_at) VALUES (?, ?, ?, ?, ?, ?)", answers())
    con.commit()
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()


def run_baseline(db: Path, out: Path) -> int:
    con = sqlite3.connect(str(db))
    with open(out, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        n = 0
        for row in con.execute("SELECT * FROM answers"):
            w.writerow(row)
            n += 1
    return n


def run_same_columns(db: Path, out: Path) -> int:
    """A raw loop writing the export's own 11 columns (same join), with none of its care."""
    con = sqlite3.connect(str(db))
    with open(out, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        n = 0
        for row in con.execute(
                "SELECT c.name, s.display_name, s.code, s.band, t.module_id, t.part, t.id, "
                "a.question_id, a.chosen, a.correct, a.answered_at FROM students s "
                "JOIN classes c ON c.id = s.class_id JOIN attempts t ON t.student_id = s.id "
                "JOIN answers a ON a.attempt_id = t.id WHERE s.class_id = 1"):
            w.writerow(row)
            n += 1
    return n


def run_citizen(db: Path, out: Path) -> int:
    from citizen.classroom import Classroom
    from citizen.model import Library
    from citizen.staffroom import Staffroom
    from citizen.store import SQLiteStore

    store = SQLiteStore(db, check=False)
    return Staffroom(Classroom(store, library=Library())).export(1, "answers", out)


def child(which: str, db: Path, out: Path) -> None:
    t0 = time.perf_counter()
    n = {"baseline": run_baseline, "same-cols": run_same_columns,
         "citizen": run_citizen}[which](db, out)
    dt = time.perf_counter() - t0
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"rows": n, "seconds": dt, "max_rss_mb": rss, "bytes": out.stat().st_size}))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--child", nargs=3, metavar=("WHICH", "DB", "OUT"))
    args = parser.parse_args()
    if args.child:
        child(args.child[0], Path(args.child[1]), Path(args.child[2]))
        return
    tmp = Path(tempfile.mkdtemp())
    db = tmp / "bench.sqlite3"
    t0 = time.perf_counter()
    generate(db, args.rows)
    print(f"generated {args.rows:,} answers in {time.perf_counter() - t0:.1f} s "
          f"({db.stat().st_size / 1e6:.0f} MB database)")
    results = {}
    for which in ("baseline", "same-cols", "citizen") * 2:
        out = tmp / f"{which}.csv"
        proc = subprocess.run([sys.executable, __file__, "--child", which, str(db), str(out)],
                              capture_output=True, text=True, check=True)
        results.setdefault(which, []).append(json.loads(proc.stdout))
    best = {k: min(v, key=lambda r: r["seconds"]) for k, v in results.items()}
    for k, r in best.items():
        print(f"  {k:9s} {r['rows']:>9,} rows  {r['seconds']:6.2f} s  peak RSS "
              f"{r['max_rss_mb']:5.0f} MB  {r['bytes'] / 1e6:5.0f} MB written")
    print(f"  ratio citizen/baseline: {best['citizen']['seconds'] / best['baseline']['seconds']:.2f}x"
          " (best of two runs each; the baseline dumps the table's 6 columns)")
    print(f"  ratio citizen/same-cols: "
          f"{best['citizen']['seconds'] / best['same-cols']['seconds']:.2f}x (a raw loop over the "
          "export's own 11 columns: no sanitising, BOM, temp file or fsync)")
    shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()

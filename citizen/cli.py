"""Provides the `citizen` command: the composition root that builds paths, store and app.

Errors are one clear line on stderr and exit status 2; lesson problems exit 1.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Sequence

from citizen import __version__
from citizen.paths import Paths


class CliError(Exception):
    """A user-facing error: printed as one line, exit 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        raise CliError(f"{message} (see `{self.prog} --help`)")


def _parser() -> argparse.ArgumentParser:
    p = _Parser(prog="citizen", description="A private, offline digital-citizenship course.")
    p.add_argument("--version", action="version", version=f"citizen {__version__}")
    p.add_argument("--data-dir", help="data folder (default: the per-user data folder; "
                   "or set CITIZEN_DATA_DIR)")
    p.add_argument("--lessons", help="lesson folder (default: the lessons shipped with citizen)")
    sub = p.add_subparsers(dest="command", parser_class=_Parser)
    sub.add_parser("run", help="start the student app (the default)")
    sub.add_parser("demo", help="create a demo class with a few students, then start the app")
    sub.add_parser("where", help="print the data, database and lessons paths")
    lessons = sub.add_parser("lessons", help="check and list lesson files")
    lsub = lessons.add_subparsers(dest="lessons_command", parser_class=_Parser, required=True)
    check = lsub.add_parser("check", help="check lesson files; print path:line:col problems")
    check.add_argument("paths", nargs="*", help="files or folders (default: the library)")
    check.add_argument("--no-lint", action="store_true",
                       help="only the format, not pool sizes or reading level")
    lsub.add_parser("list", help="show modules x bands")
    cov = lsub.add_parser("coverage", help="show which lessons teach each policy clause")
    cov.add_argument("--write", action="store_true", help="also write lessons/COVERAGE.md")
    teacher = sub.add_parser("teacher", help="teacher mode (behind a passphrase)")
    tsub = teacher.add_subparsers(dest="teacher_command", parser_class=_Parser)
    tpass = tsub.add_parser("passphrase", help="change a staff passphrase (data folder owner)")
    tpass.add_argument("--name", help="whose passphrase (default: the only staff account)")

    cls = sub.add_parser("class", help="create, list or purge classes")
    csub = cls.add_subparsers(dest="class_command", parser_class=_Parser, required=True)
    create = csub.add_parser("create", help="create a class; prints its join code")
    create.add_argument("name")
    create.add_argument("--band", required=True, choices=["k-2", "3-5", "6-8", "9-12"])
    csub.add_parser("list", help="list classes with join codes")
    purge = csub.add_parser("purge", help="delete a class and all its students' records")
    purge.add_argument("ref", metavar="CLASS", help="join code or name")
    purge.add_argument("--yes", action="store_true", help="really do it")

    roster = sub.add_parser("roster", help="import students from CSV")
    rsub = roster.add_subparsers(dest="roster_command", parser_class=_Parser, required=True)
    rimp = rsub.add_parser("import", help="plain display_name[,student_code] or OneRoster "
                           "users.csv")
    rimp.add_argument("ref", metavar="CLASS", help="join code or name")
    rimp.add_argument("file")
    rimp.add_argument("--dry-run", action="store_true", help="show what would change")

    export = sub.add_parser("export", help="export class results as CSV")
    export.add_argument("ref", metavar="CLASS", help="join code or name")
    export.add_argument("--kind", required=True, choices=["answers", "summary", "canvas",
                                                          "roster", "assignments"])
    export.add_argument("--out", required=True, help="the CSV file to write")

    student = sub.add_parser("student", help="one student's record: export or delete")
    ssub = student.add_subparsers(dest="student_command", parser_class=_Parser, required=True)
    sexp = ssub.add_parser("export", help="write a student's complete record (JSON)")
    sdel = ssub.add_parser("delete", help="really delete a student and their records")
    for sp in (sexp, sdel):
        sp.add_argument("ref", metavar="CLASS", help="join code or name")
        sp.add_argument("who", metavar="STUDENT", help="display name or student code")
    sexp.add_argument("--out", required=True)
    sdel.add_argument("--yes", action="store_true", help="really do it")

    staff = sub.add_parser("staff", help="teacher and counselor accounts")
    stsub = staff.add_subparsers(dest="staff_command", parser_class=_Parser, required=True)
    sadd = stsub.add_parser("add", help="add an account (asks for its passphrase)")
    sadd.add_argument("name")
    sadd.add_argument("--role", required=True, choices=["teacher", "counselor"])
    stsub.add_parser("list", help="list accounts")

    assign = sub.add_parser("assign", help="assign a module (or its review) to one student")
    assign.add_argument("who", metavar="STUDENT", help="display name or student code")
    assign.add_argument("module", metavar="MODULE", help="module id (see `citizen lessons list`)")
    assign.add_argument("--review", action="store_true", help="assign the review part")
    assign.add_argument("--due", help="due date, YYYY-MM-DD")
    assign.add_argument("--note", help="a private note (students never see it)")
    assign.add_argument("--class", dest="class_ref", help="the class, if the name is not unique")
    assign.add_argument("--by", help="the staff member assigning it (a counselor's note is "
                        "then hidden from teachers unless --share)")
    assign.add_argument("--share", action="store_true", help="let the class teacher see the note")

    serve = sub.add_parser("serve", help="serve the student app to browser tabs")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on "
                       "(default 127.0.0.1: this machine only)")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--key", help="the access key in the URL (default: a new random one)")
    serve.add_argument("--max-sessions", type=int, default=60,
                       help="most browser tabs at once (default 60)")
    serve.add_argument("--teacher", action="store_true",
                       help="serve teacher mode instead (use another --port)")
    serve.add_argument("--cold", action="store_true",
                       help="start each tab's app as a new process, as plain textual-serve "
                            "does, instead of forking it from a warm one (slower)")

    backup = sub.add_parser("backup", help="back up the database (safe while in use)")
    backup.add_argument("out", help="a file, or a folder for a dated file")
    return p


def _paths(args: argparse.Namespace) -> Paths:
    return Paths.resolve(args.data_dir, args.lessons)


def cmd_where(args: argparse.Namespace) -> int:
    paths = _paths(args)
    print(f"data:     {paths.data_dir}")
    print(f"database: {paths.database}")
    print(f"backups:  {paths.backups_dir}")
    print(f"lessons:  {paths.lessons_dir}")
    return 0


def cmd_lessons(args: argparse.Namespace) -> int:
    from citizen import content

    paths = _paths(args)
    if args.lessons_command == "check":
        targets = [Path(p) for p in args.paths] or [paths.lessons_dir]
        for t in targets:
            if not t.exists():
                raise CliError(f"no such file or folder: {t}")
        problems, grades, _ = content.check_paths(targets, lint=not args.no_lint)
        for prob in problems:
            print(prob)
        if grades:
            print("\nreading level (Flesch-Kincaid grade):")
            by_band: dict[str, list[float]] = {}
            for src, grade in sorted(grades.items()):
                band = Path(src).stem
                by_band.setdefault(band, []).append(grade)
                ceiling = content.READING_CEILING.get(band)
                mark = "ok" if ceiling is None or grade <= ceiling else "TOO HIGH"
                print(f"  {src}: {grade:.1f} ({mark})")
            for band in ("k-2", "3-5", "6-8", "9-12"):
                if band in by_band:
                    g = by_band[band]
                    print(f"  band {band}: {len(g)} files, mean {sum(g) / len(g):.1f}, max "
                          f"{max(g):.1f}, ceiling {content.READING_CEILING[band]:.1f}")
        errors = [p for p in problems if not p.warning]
        print(f"\n{len(errors)} problem(s) in {len({p.path for p in errors})} file(s)"
              if errors else f"\nall good: {len(grades) or 'the'} file(s) checked")
        return 1 if errors else 0
    library = content.load_library(paths.lessons_dir)
    if args.lessons_command == "list":
        from citizen.model import BANDS
        ids = sorted({m.id for m in library.modules.values()},
                     key=lambda i: min(m.order for m in library.modules.values() if m.id == i))
        width = max([len(i) for i in ids] + [6])
        print(f"{'module':<{width}}  " + "  ".join(f"{b:>5}" for b in BANDS))
        for mid in ids:
            cells = []
            for b in BANDS:
                m = library.get(mid, b)
                cells.append(f"{len(m.lesson.questions):>3}q " if m else "    - ")
            print(f"{mid:<{width}}  " + " ".join(cells))
        print(f"\n{len(library.modules)} module files, "
              f"{sum(len(m.lesson.questions) + len(m.review.questions) for m in library.modules.values())}"
              " questions (lesson + review)")
        for prob in library.problems:
            print(prob, file=sys.stderr)
        return 1 if library.broken_files else 0
    registry, reg_problems = content.load_registry(paths.lessons_dir)
    if registry is None:
        raise CliError(f"no clause registry at {paths.lessons_dir / content.CLAUSES_FILE}")
    rows = content.coverage(library, registry)
    uncovered = [r for r in rows if r.clause.student_facing and not r.questions]
    for r in rows:
        if r.clause.student_facing:
            where = ", ".join(r.modules) if r.modules else "NOT COVERED"
            print(f"{r.clause.ref}: {where} ({len(r.questions)} questions)")
    facing = sum(r.clause.student_facing for r in rows)
    print(f"\n{facing - len(uncovered)}/{facing} student-facing clauses covered; "
          f"{len(rows) - facing} judged not student-facing (see lessons/COVERAGE.md)")
    if args.write:
        out = paths.lessons_dir / "COVERAGE.md"
        out.write_text(content.coverage_markdown(rows, registry) + "\n", encoding="utf-8")
        print(f"wrote {out}")
    return 1 if uncovered or library.broken_files else 0


COMMANDS = {"where": cmd_where, "lessons": cmd_lessons}


def main(argv: Sequence[str] | None = None) -> int:
    """Runs the citizen command line.

    Returns:
        The exit status: 0 ok, 1 lesson problems, 2 a usage or start-up error.
    """
    parser = _parser()
    try:
        args = parser.parse_args(argv)
        command = args.command or "run"
        if command in COMMANDS:
            return COMMANDS[command](args)
        if command == "teacher" and args.teacher_command == "passphrase":
            args.command = "teacher-passphrase"
            command = "teacher-passphrase"
        if command in ("class", "roster", "export", "student", "staff", "backup", "assign",
                       "teacher-passphrase"):
            from citizen import admin

            return admin.run(args)
        from citizen import launch

        return launch.run_command(command, args)
    except CliError as exc:
        print(f"citizen: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    raise SystemExit(main())

"""Provides the headless staff commands: classes, rosters, exports, staff, privacy, backup.

For IT scripts and teachers at a shell. Each opens the database, does one thing, prints what it
did, and closes; errors are one line (exit 2). No Textual is imported.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from datetime import datetime, time, timezone
from pathlib import Path

from citizen.classroom import ClassroomError
from citizen.cli import CliError
from citizen.launch import open_classroom
from citizen.paths import Paths
from citizen.reports import ExportError
from citizen.staffroom import Staffroom


def _staffroom(args: argparse.Namespace) -> Staffroom:
    return Staffroom(open_classroom(Paths.resolve(args.data_dir, args.lessons)))


def read_passphrase(prompt: str = "Passphrase: ", confirm: bool = True) -> str:
    """Asks for a passphrase on the terminal (twice), or reads one line from a pipe."""
    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass(prompt)
    if confirm and getpass.getpass("Again: ") != first:
        raise CliError("the two passphrases differ; nothing was changed")
    return first


def parse_due(text: str | None) -> datetime | None:
    """Reads a due date `YYYY-MM-DD` (end of that day, UTC)."""
    if not text:
        return None
    try:
        day = datetime.strptime(text, "%Y-%m-%d").date()
    except ValueError:
        raise CliError(f"--due {text!r} is not a date like 2026-12-01") from None
    return datetime.combine(day, time(23, 59), tzinfo=timezone.utc)


def _student(room: Staffroom, class_ref: str, who: str) -> int:
    cls = room.find_class(class_ref)
    for s in room.store.students(cls.id):
        if s.display_name.casefold() == who.casefold() or (s.code and s.code == who):
            return s.id
    raise CliError(f"no student {who!r} in {cls.name} (see `citizen export "
                   f"{cls.join_code} --kind roster --out -`)")


def run(args: argparse.Namespace) -> int:
    """Runs one headless staff command."""
    room = _staffroom(args)
    if room.classroom.settings_warning:
        print(f"warning: {room.classroom.settings_warning}", file=sys.stderr)
    try:
        return _dispatch(room, args)
    except (ClassroomError, ExportError) as exc:
        raise CliError(str(exc)) from None
    finally:
        room.store.close()


def _dispatch(room: Staffroom, args: argparse.Namespace) -> int:
    cmd = args.command
    if cmd == "class":
        if args.class_command == "create":
            cls = room.create_class(args.name, args.band)
            print(f"{cls.join_code}")
            print(f"created {cls.name} ({cls.band}); students join with code "
                  f"{cls.join_code[:3]}-{cls.join_code[3:]}", file=sys.stderr)
        elif args.class_command == "list":
            for c in room.classroom.classes():
                n = len(room.store.students(c.id))
                print(f"{c.join_code}  {c.band:>5}  {n:3d} students  {c.name}")
        elif args.class_command == "purge":
            cls = room.find_class(args.ref)
            if not args.yes:
                raise CliError(f"this deletes {cls.name} and every record of its students; "
                               "add --yes to do it")
            counts = room.store.purge_class(cls.id)
            print(f"purged {cls.name}: " + ", ".join(f"{v} {k}" for k, v in counts.items()))
        return 0
    if cmd == "roster":
        cls = room.find_class(args.ref)
        try:
            data = Path(args.file).read_bytes()
        except OSError as exc:
            raise CliError(f"cannot read {args.file}: {exc.strerror}") from None
        report = room.import_roster(cls.id, data, dry_run=args.dry_run)
        print("\n".join(report.lines()))
        return 1 if report.errors else 0
    if cmd == "export":
        cls = room.find_class(args.ref)
        n = room.export(cls.id, args.kind, Path(args.out))
        print(f"wrote {n} row(s) to {args.out}")
        return 0
    if cmd == "student":
        sid = _student(room, args.ref, args.who)
        if args.student_command == "export":
            room.export_student(sid, Path(args.out))
            print(f"wrote the complete record of {args.who} to {args.out}")
        else:
            if not args.yes:
                raise CliError(f"this deletes {args.who} and all their records; add --yes")
            counts = room.store.delete_student(sid)
            print(f"deleted {args.who}: " + ", ".join(f"{v} {k}" for k, v in counts.items()))
        return 0
    if cmd == "staff":
        if args.staff_command == "add":
            view = room.add_staff(args.name, args.role, read_passphrase())
            print(f"added {view.role} {view.name}")
        else:
            for name in room.staff_names():
                row = room.store.staff_by_name(name)
                print(f"{row.role:10s} {row.name}")
        return 0
    if cmd == "teacher-passphrase":
        data_dir = room.store.path.parent
        if hasattr(os, "getuid") and data_dir.stat().st_uid != os.getuid():
            raise CliError(f"only the OS account that owns {data_dir} can change passphrases")
        names = room.staff_names()
        name = args.name or (names[0] if len(names) == 1 else None)
        if name is None:
            raise CliError("say whose passphrase with --name (see `citizen staff list`)"
                           if names else "no staff account yet; run `citizen teacher` first")
        room.set_passphrase(name, read_passphrase("New passphrase: "))
        print(f"changed the passphrase of {name}")
        return 0
    if cmd == "assign":
        matches = []
        for cls in room.classroom.classes():
            if args.class_ref and args.class_ref.casefold() not in (cls.name.casefold(),
                                                                    cls.join_code.casefold()):
                continue
            for s in room.store.students(cls.id):
                if s.display_name.casefold() == args.who.casefold() or (s.code and
                                                                        s.code == args.who):
                    matches.append((s, cls))
        if not matches:
            raise CliError(f"no student {args.who!r} (name or student code)")
        if len(matches) > 1:
            where = "; ".join(f"{s.display_name} in {c.name}" + (f" (code {s.code})"
                                                                  if s.code else "")
                              for s, c in matches)
            raise CliError(f"{args.who!r} matches several students ({where}); use the student "
                           "code or --class")
        student, cls = matches[0]
        author = None
        if args.by:
            row = room.store.staff_by_name(args.by)
            if row is None:
                raise CliError(f"no staff account named {args.by!r}")
            from citizen.staffroom import StaffView

            author = StaffView(row.id, row.name, row.role)
        if author is None:
            room.assign(cls.id, args.module, parse_due(args.due), [student.id],
                        "review" if args.review else "lesson", None, args.note or "")
        else:
            room.assign_student(author, student.id, args.module,
                                "review" if args.review else "lesson", parse_due(args.due),
                                args.note or "", args.share)
        what = args.module + (" (review)" if args.review else "")
        print(f"assigned {what} to {student.display_name} ({cls.name})"
              + (f", due {args.due}" if args.due else "")
              + ("; the note is private" if args.note and not args.share else ""))
        return 0
    if cmd == "backup":
        out = Path(args.out)
        if out.is_dir():
            out = out / f"citizen-{room.now():%Y%m%d-%H%M%S}.sqlite3"
        try:
            room.store.backup(out)
        except OSError as exc:
            raise CliError(f"cannot write {out}: {exc.strerror or exc}") from None
        print(f"backed up to {out}")
        return 0
    raise CliError(f"unknown command {cmd}")

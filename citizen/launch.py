"""Provides the commands that open the database and start an app (run, demo).

Kept apart from `cli.py` so that `citizen lessons check` and `citizen where` never import
Textual or open the database.
"""

from __future__ import annotations

import argparse
import os
import sys

from citizen.classroom import Classroom
from citizen.cli import CliError
from citizen.paths import Paths
from citizen.store import SQLiteStore, StoreError


def terminal_ok() -> bool:
    """Whether the terminal can show the app (UTF-8 output)."""
    enc = (getattr(sys.stdout, "encoding", "") or "").lower().replace("-", "")
    return enc in ("utf8", "utf_8")


def open_classroom(paths: Paths) -> Classroom:
    """Opens the data folder and database, and builds the classroom.

    Raises:
        CliError: the folder cannot be written, or the database is damaged or busy; the
            message names the file (and the newest backup).
    """
    from citizen.paths import network_filesystem

    remote = network_filesystem(paths.data_dir)
    if remote:
        raise CliError(f"the data folder {paths.data_dir} is on a network filesystem ({remote}); "
                       "SQLite needs a local disk to keep answers safe. Choose a local folder "
                       "with --data-dir.")
    try:
        paths.ensure()
    except OSError as exc:
        raise CliError(f"cannot use the data folder {paths.data_dir}: "
                       f"{exc.strerror or exc}. Choose another with --data-dir.") from None
    try:
        store = SQLiteStore(paths.database)
    except StoreError as exc:
        raise CliError(str(exc)) from None
    from citizen.settings import load_settings

    loaded = load_settings(paths.data_dir)
    classroom = Classroom(store, paths.lessons_dir, cache_path=paths.lesson_cache,
                          settings=loaded.settings)
    classroom.settings_warning = loaded.warning
    return classroom


def run_command(command: str, args: argparse.Namespace) -> int:
    """Runs an app command.

    Returns:
        The exit status.
    """
    paths = Paths.resolve(args.data_dir, args.lessons)
    if command == "serve":
        from citizen.ui.serve import run_serve

        if args.max_sessions < 1:
            raise CliError("--max-sessions must be at least 1")
        open_classroom(paths).store.close()  # fail here, once, on a bad data folder
        try:
            return run_serve(args.host, args.port, args.key, args.max_sessions, args.teacher,
                             str(paths.data_dir), str(paths.lessons_dir), args.cold)
        except ValueError as exc:
            raise CliError(str(exc)) from None
    served = os.environ.get("TEXTUAL_DRIVER", "").endswith("WebDriver")
    if not served and not terminal_ok():
        print("citizen needs a UTF-8 terminal. Set LANG=C.UTF-8 (or another UTF-8 locale) "
              "and try again.", file=sys.stderr)
        return 2
    classroom = open_classroom(paths)
    if command == "teacher":
        from citizen.staffroom import Staffroom
        from citizen.ui.teacher.app import build_teacher_app

        try:
            build_teacher_app(Staffroom(classroom)).run()
        finally:
            classroom.store.close()
        return 0
    demo_code = ""
    if command == "demo":
        cls = classroom.create_demo()
        demo_code = cls.join_code
    from citizen.ui.app import build_app

    try:
        build_app(classroom, demo_code=demo_code).run()
    finally:
        classroom.store.close()
    if demo_code:
        from citizen.classroom import format_code

        print(f"Demo class join code: {format_code(demo_code)} (data in {paths.data_dir})")
    return 0

"""Provides district settings read from `settings.yaml` in the data folder.

Fail soft: a missing file means the defaults; a broken one means the defaults and a warning
that names the file and the problem (shown by the CLI and the apps), never a crash.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from citizen.engine import DEFAULT_SETTINGS, Settings
from citizen.safeyaml import YamlError, decode, parse, plain

FILE_NAME = "settings.yaml"
"""The settings file in the data folder."""

EXAMPLE = """\
# citizen settings (this file is optional; delete it to go back to the defaults)
followup_days: [7, 21, 60]   # a mastered module comes back as a short check after these days
check_size: 3                # questions in a follow-up check
"""


@dataclass(frozen=True)
class Loaded:
    """Settings and what went wrong reading them."""

    settings: Settings
    """The settings in force."""
    warning: str = ""
    """Why the defaults are used, if the file was broken."""


def load_settings(data_dir: Path) -> Loaded:
    """Reads the data folder's settings, falling back to the defaults with a warning."""
    path = data_dir / FILE_NAME
    if not path.is_file():
        return Loaded(DEFAULT_SETTINGS)

    def bad(why: str) -> Loaded:
        return Loaded(DEFAULT_SETTINGS, f"{path}: {why}; using the default settings")

    try:
        data = plain(parse(decode(path.read_bytes()))) or {}
    except YamlError as exc:
        return bad(f"line {exc.line}: {exc.message}")
    except OSError as exc:
        return bad(f"cannot read ({exc.strerror})")
    if not isinstance(data, dict):
        return bad("expected `key: value` lines")
    unknown = set(data) - {"followup_days", "check_size"}
    if unknown:
        return bad(f"unknown setting {sorted(unknown)[0]!r}")
    days = data.get("followup_days", list(DEFAULT_SETTINGS.followup_days))
    if (not isinstance(days, list) or not all(isinstance(d, int) and not isinstance(d, bool)
                                              and d > 0 for d in days)
            or days != sorted(days) or len(set(days)) != len(days)):
        return bad("followup_days must be a list of increasing whole days, e.g. [7, 21, 60]")
    size = data.get("check_size", DEFAULT_SETTINGS.check_size)
    if not isinstance(size, int) or isinstance(size, bool) or not 1 <= size <= 10:
        return bad("check_size must be a whole number from 1 to 10")
    return Loaded(Settings(tuple(days), size))

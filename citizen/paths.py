"""Provides the one place that decides where citizen keeps its files.

Nothing here touches the disk at import time; `Paths.ensure()` creates the data folder (0700)
when a command actually needs it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

APP_NAME = "citizen"
ENV_DATA_DIR = "CITIZEN_DATA_DIR"
"""Environment variable that overrides the data folder (as does `--data-dir`)."""
ENV_LESSONS_DIR = "CITIZEN_LESSONS_DIR"
"""Environment variable that points at a district's own lesson folder."""


def default_data_dir() -> Path:
    """Returns the per-user data folder platformdirs chooses for this OS."""
    import platformdirs

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def bundled_lessons_dir() -> Path:
    """Returns the lesson library shipped with citizen.

    In a source checkout this is the repo's `lessons/` folder; in an installed wheel it is the
    `citizen._lessons` package data.
    """
    checkout = Path(__file__).resolve().parent.parent / "lessons"
    if (checkout / "clauses.yaml").is_file():
        return checkout
    import importlib.util

    # citizen._lessons is package data without an __init__.py (a namespace package), so ask
    # the import system where it is rather than importlib.resources (a MultiplexedPath).
    spec = importlib.util.find_spec("citizen._lessons")
    if spec is not None and spec.submodule_search_locations:
        return Path(list(spec.submodule_search_locations)[0])
    return checkout


@dataclass(frozen=True)
class Paths:
    """Where citizen's data, database, backups and lessons live."""

    data_dir: Path
    """The data folder (mode 0700)."""
    lessons_dir: Path
    """The lesson library folder."""

    @property
    def database(self) -> Path:
        """The SQLite database file."""
        return self.data_dir / "citizen.sqlite3"

    @property
    def backups_dir(self) -> Path:
        """Where `citizen backup` and automatic backups go by default."""
        return self.data_dir / "backups"

    @property
    def lesson_cache(self) -> Path:
        """The parsed-lesson cache, keyed by file path, mtime and size."""
        return self.data_dir / "lesson-cache.pickle"

    @classmethod
    def resolve(cls, data_dir: str | os.PathLike[str] | None = None,
                lessons_dir: str | os.PathLike[str] | None = None) -> "Paths":
        """Builds the paths from arguments, then the environment, then the defaults.

        Args:
            data_dir: `--data-dir`, if given.
            lessons_dir: `--lessons`, if given.

        Returns:
            The resolved paths (nothing is created).
        """
        data = data_dir or os.environ.get(ENV_DATA_DIR) or default_data_dir()
        lessons = lessons_dir or os.environ.get(ENV_LESSONS_DIR) or bundled_lessons_dir()
        return cls(Path(data).expanduser().absolute(), Path(lessons).expanduser().absolute())

    def ensure(self) -> None:
        """Creates the data folder with mode 0700 and tightens it if it already exists.

        Note:
            Raises OSError if the folder cannot be created or is not writable.
        """
        self.data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        try:
            os.chmod(self.data_dir, 0o700)
        except PermissionError:
            pass
        if not os.access(self.data_dir, os.W_OK | os.X_OK):
            raise PermissionError(f"the data folder {self.data_dir} is not writable")


MOUNTS = Path("/proc/mounts")
"""Where Linux lists mounted filesystems (a module attribute so tests can point elsewhere)."""

NETWORK_FILESYSTEMS = frozenset({
    "nfs", "nfs4", "cifs", "smb3", "smbfs", "afs", "ceph", "glusterfs", "9p", "fuse.sshfs",
    "fuse.s3fs", "fuse.rclone", "fuse.gcsfuse", "davfs", "fuse.davfs2", "lustre", "gpfs",
    "ncpfs", "coda", "ocfs2", "gfs2",
})
"""Filesystems where SQLite's file locks cannot be trusted; the data folder must not be on one."""


def filesystem_type(path: Path) -> str:
    """Returns the filesystem type holding `path` ('' if it cannot be told, e.g. not Linux)."""
    try:
        lines = MOUNTS.read_text("utf-8", "replace").splitlines()
    except OSError:
        return ""
    target = os.path.realpath(path)
    best, kind = "", ""
    for line in lines:
        parts = line.split()
        if len(parts) < 3:
            continue
        mount = parts[1].replace("\\040", " ")
        if (target == mount or target.startswith(mount.rstrip("/") + "/")) and \
                len(mount) >= len(best):
            best, kind = mount, parts[2]
    return kind


def network_filesystem(path: Path) -> str:
    """Returns the network filesystem type `path` is on, or '' if it is on a local disk."""
    probe = path
    while not probe.exists() and probe != probe.parent:
        probe = probe.parent
    kind = filesystem_type(probe)
    return kind if kind in NETWORK_FILESYSTEMS else ""

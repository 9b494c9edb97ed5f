"""Shared fixtures: keep the developer's machine out (data dir, clock, randomness, network)."""

from __future__ import annotations

import os
import random
import socket
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from citizen.classroom import Classroom
from citizen.content import load_library
from citizen.store import SQLiteStore

FIXTURES = Path(__file__).parent / "fixtures"
FIXTURE_LESSONS = FIXTURES / "lessons"
REAL_LESSONS = Path(__file__).parent.parent / "lessons"


class FakeClock:
    """A clock tests move by hand."""

    def __init__(self, start: datetime | None = None) -> None:
        self.now = start or datetime(2026, 9, 8, 13, 0, tzinfo=timezone.utc)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kw: float) -> None:
        self.now += timedelta(**kw)


_real_connect = socket.socket.connect
_real_connect_ex = socket.socket.connect_ex


def _loopback_only(address: object) -> None:
    if isinstance(address, tuple) and address:
        host = str(address[0])
        if not (host.startswith("127.") or host in ("::1", "localhost")):
            raise OSError(f"network access blocked in tests: {address!r}")


@pytest.fixture(autouse=True)
def _isolate(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test gets its own data folder and no network beyond loopback."""
    monkeypatch.setenv("CITIZEN_DATA_DIR", str(tmp_path / "data"))
    # every Python subprocess the tests start gets the same guard (tests/netguard)
    guard = str(Path(__file__).parent / "netguard")
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(
        p for p in (guard, os.environ.get("PYTHONPATH", "")) if p))
    monkeypatch.setenv("CITIZEN_LESSONS_DIR", str(FIXTURE_LESSONS))

    def connect(self: socket.socket, address: object) -> None:
        if self.family in (socket.AF_INET, socket.AF_INET6):
            _loopback_only(address)
        return _real_connect(self, address)

    def connect_ex(self: socket.socket, address: object) -> int:
        if self.family in (socket.AF_INET, socket.AF_INET6):
            _loopback_only(address)
        return _real_connect_ex(self, address)

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket.socket, "connect_ex", connect_ex)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def library():
    lib = load_library(FIXTURE_LESSONS)
    assert not lib.problems, lib.problems
    return lib


@pytest.fixture
def store(tmp_path: Path):
    folder = tmp_path / "data"
    folder.mkdir(mode=0o700, exist_ok=True)
    s = SQLiteStore(folder / "citizen.sqlite3")
    yield s
    s.close()


@pytest.fixture
def classroom(store, library, clock) -> Classroom:
    return Classroom(store, library=library, clock=clock, rng=random.Random(7))


@pytest.fixture
def demo(classroom):
    """A class with two students; returns (classroom, class view, [students])."""
    cls = classroom.create_class("Room 12", "3-5")
    a = classroom.add_student(cls.id, "Ava R.")
    b = classroom.add_student(cls.id, "Ben T.")
    return classroom, cls, [a, b]

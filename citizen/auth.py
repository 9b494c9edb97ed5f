"""Provides passphrase hashing and the lockout rule for staff (teachers and counselors).

Pure functions: the store keeps the hashes and failure counts; the caller passes the time.
Hashes use scrypt at OWASP's recommended parameters (N=2^17, r=8, p=1), a random 16-byte salt,
and record the algorithm and parameters with the hash, so they can be raised later.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from dataclasses import dataclass
from datetime import datetime, timedelta

MIN_LENGTH = 10
"""Shortest passphrase accepted."""
MAX_DELAY = 300
"""Longest wait after failures, in seconds (5 minutes)."""
IDLE_LOCK = timedelta(minutes=15)
"""Staff views lock again after this long without a key press or click."""
FAILURE_MESSAGE = "That name and passphrase do not match."
"""The one message for every wrong name or passphrase."""


@dataclass(frozen=True)
class ScryptParams:
    """scrypt cost parameters."""

    n: int = 2**17
    """CPU/memory cost (OWASP: at least 2^17)."""
    r: int = 8
    """Block size (OWASP: 8)."""
    p: int = 1
    """Parallelism (OWASP: 1)."""


OWASP = ScryptParams()
"""The parameters new hashes use."""


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _scrypt(passphrase: str, salt: bytes, params: ScryptParams) -> bytes:
    return hashlib.scrypt(passphrase.encode("utf-8"), salt=salt, n=params.n, r=params.r,
                          p=params.p, dklen=32, maxmem=256 * 1024 * 1024)


def check_new(passphrase: str) -> str | None:
    """Returns why a new passphrase is refused, or None if it is acceptable."""
    if len(passphrase) < MIN_LENGTH:
        return f"A passphrase needs at least {MIN_LENGTH} characters (a few words work well)."
    if not passphrase.strip():
        return "A passphrase cannot be only spaces."
    return None


def hash_passphrase(passphrase: str, params: ScryptParams = OWASP) -> str:
    """Returns `scrypt$n=..,r=..,p=..$salt$hash` for a passphrase (a fresh salt each time)."""
    salt = os.urandom(16)
    digest = _scrypt(passphrase, salt, params)
    return f"scrypt$n={params.n},r={params.r},p={params.p}${_b64(salt)}${_b64(digest)}"


def verify(passphrase: str, stored: str) -> bool:
    """Checks a passphrase against a stored hash in constant time (False if malformed)."""
    try:
        algo, cost, salt64, hash64 = stored.split("$")
        if algo != "scrypt":
            return False
        values = dict(item.split("=") for item in cost.split(","))
        params = ScryptParams(int(values["n"]), int(values["r"]), int(values["p"]))
        salt, expected = base64.b64decode(salt64), base64.b64decode(hash64)
    except (ValueError, KeyError):
        return False
    return hmac.compare_digest(_scrypt(passphrase, salt, params), expected)


def delay_after(failures: int) -> int:
    """Seconds to wait after `failures` wrong tries in a row: 1, 2, 4, ... up to 300."""
    if failures <= 0:
        return 0
    return min(2 ** (failures - 1), MAX_DELAY)


def wait_left(failures: int, last_failed_at: datetime | None, now: datetime) -> int:
    """Seconds still to wait before another try is allowed (0 if it may go ahead)."""
    if not failures or last_failed_at is None:
        return 0
    until = last_failed_at + timedelta(seconds=delay_after(failures))
    left = (until - now).total_seconds()
    return max(0, int(left + 0.999))

"""Blocks non-loopback network connections in every Python process the tests start.

The test suite puts this folder on PYTHONPATH, so `python -m citizen ...` subprocesses (the
crash driver, `citizen serve` and its app processes) get the same guard as the test process.
"""

import socket

_connect = socket.socket.connect
_connect_ex = socket.socket.connect_ex


def _check(sock, address):
    if sock.family in (socket.AF_INET, socket.AF_INET6) and isinstance(address, tuple):
        host = str(address[0])
        if not (host.startswith("127.") or host in ("::1", "localhost")):
            raise OSError(f"network access blocked in citizen's tests: {address!r}")


def guarded_connect(self, address):
    _check(self, address)
    return _connect(self, address)


def guarded_connect_ex(self, address):
    _check(self, address)
    return _connect_ex(self, address)


socket.socket.connect = guarded_connect
socket.socket.connect_ex = guarded_connect_ex

"""Provides the warm process behind `citizen serve` that forks one app per browser tab.

textual-serve starts every tab's app from cold: a new Python that imports Textual and the
course before it can draw anything. When a class of 30 opens the page at once, those imports
(the same work 30 times over) are most of the wait. This process does them once, then waits;
for each tab the server hands it the tab's three pipe ends over a unix socket (SCM_RIGHTS),
and it forks a child that takes them as stdin, stdout and stderr and runs `citizen run`.

The child is an ordinary app process, as textual-serve would have started: it opens the
database itself (this process never does), writes the same packets, and exits when told to
quit or when its stdin closes. Protocol, one connection per tab:

- server → zygote: one message, `{"columns": W, "rows": H}` as JSON, with the three fds.
- zygote → server: `pid N` and a newline once forked; `exit N` and a newline when reaped.
- The server closing the connection means the tab is gone: a child still running gets
  SIGTERM, then SIGKILL after `GRACE` seconds.

The zygote exits, and stops its children, when its stdin (a pipe from the server) closes, so
it never outlives `citizen serve`. It holds no threads and no event loop, which is what makes
forking it safe.

Run as `python -m citizen.ui.zygote SOCKET -- ARGV...`, with TEXTUAL_DRIVER and the other
variables textual-serve sets already in the environment (Textual reads them at import).
"""

from __future__ import annotations

import array
import gc
import json
import os
import select
import signal
import socket
import sys
import time
import traceback
from typing import Sequence

GRACE = 3.0
"""Seconds a child has to end after SIGTERM before SIGKILL."""
MAX_REQUEST = 4096
"""Largest request message, in bytes."""
def preload(argv: Sequence[str]) -> None:
    """Imports everything a tab's app needs, so each child starts warm."""
    import textual.app  # noqa: F401
    import textual.drivers.web_driver  # noqa: F401

    import citizen.launch  # noqa: F401

    if argv and argv[-1] == "teacher":
        import citizen.staffroom  # noqa: F401
        import citizen.ui.teacher.app  # noqa: F401
    else:
        import citizen.ui.app  # noqa: F401


def recv_request(conn: socket.socket) -> tuple[dict[str, int], list[int]]:
    """Reads one request and its three fds from a new connection.

    Raises:
        ValueError: the message is not a request with three fds.
    """
    fds = array.array("i")
    msg, ancdata, _, _ = conn.recvmsg(MAX_REQUEST, socket.CMSG_SPACE(3 * fds.itemsize))
    for level, kind, data in ancdata:
        if level == socket.SOL_SOCKET and kind == socket.SCM_RIGHTS:
            fds.frombytes(data[:len(data) - len(data) % fds.itemsize])
    got = list(fds)
    if len(got) != 3:
        for fd in got:
            os.close(fd)
        raise ValueError(f"expected 3 fds, got {len(got)}")
    try:
        request = json.loads(msg)
        size = {k: int(request[k]) for k in ("columns", "rows")}
    except (ValueError, KeyError, TypeError):
        for fd in got:
            os.close(fd)
        raise ValueError("bad request") from None
    return size, got


def run_child(fds: list[int], size: dict[str, int], argv: list[str]) -> None:
    """Becomes one tab's app process; never returns."""
    code = 1
    try:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        for target, fd in enumerate(fds):
            os.dup2(fd, target)
            os.close(fd)
        os.environ["COLUMNS"], os.environ["ROWS"] = str(size["columns"]), str(size["rows"])
        sys.argv = ["citizen", *argv]
        from citizen.cli import main

        code = main(argv)
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    except BaseException:
        traceback.print_exc()
    finally:
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except Exception:  # the pipe may be gone with the tab
                pass
        os._exit(code)


class Zygote:
    """The accept-fork-reap loop."""

    def __init__(self, listener: socket.socket, control: int, argv: list[str]) -> None:
        self.listener = listener
        self.control = control
        """The read end of a pipe from the server; EOF means shut down."""
        self.argv = argv
        self.conns: dict[int, socket.socket] = {}
        """Open connection per live child pid."""
        self.by_fd: dict[int, int] = {}
        """Child pid per connection fd."""
        self.kill_at: dict[int, float] = {}
        """When each abandoned child gets SIGKILL."""

    def fork(self, conn: socket.socket) -> None:
        try:
            size, fds = recv_request(conn)
        except (OSError, ValueError) as exc:
            print(f"citizen zygote: refused a request: {exc}", file=sys.stderr)
            conn.close()
            return
        sys.stdout.flush()
        sys.stderr.flush()
        try:
            pid = os.fork()
        except OSError as exc:  # out of processes or memory: this tab fails, the rest go on
            print(f"citizen zygote: cannot fork an app: {exc.strerror}", file=sys.stderr)
            for fd in fds:
                os.close(fd)
            conn.close()
            return
        if pid == 0:
            self.listener.close()
            for c in self.conns.values():
                c.close()
            conn.close()
            os.close(self.control)
            run_child(fds, size, self.argv)
        for fd in fds:
            os.close(fd)
        try:
            conn.sendall(b"pid %d\n" % pid)
        except OSError:
            pass  # the server gave up on this tab; reading EOF below ends the child
        self.conns[pid] = conn
        self.by_fd[conn.fileno()] = pid

    def reap(self) -> None:
        while True:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return
            if pid == 0:
                return
            self.kill_at.pop(pid, None)
            conn = self.conns.pop(pid, None)
            if conn is not None:
                self.by_fd.pop(conn.fileno(), None)
                try:
                    conn.sendall(b"exit %d\n" % os.waitstatus_to_exitcode(status))
                except OSError:
                    pass
                conn.close()

    def abandon(self, fd: int) -> None:
        """The server closed a tab's connection: end its child."""
        pid = self.by_fd.pop(fd)
        self.conns.pop(pid).close()
        try:
            os.kill(pid, signal.SIGTERM)
        except ProcessLookupError:
            return
        self.kill_at[pid] = time.monotonic() + GRACE

    def enforce(self) -> None:
        now = time.monotonic()
        for pid, when in list(self.kill_at.items()):
            if now >= when:
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                del self.kill_at[pid]

    def stop_all(self) -> None:
        pids = set(self.conns) | set(self.kill_at)
        for pid in pids:
            try:
                os.kill(pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
        end = time.monotonic() + GRACE
        while pids and time.monotonic() < end:
            try:
                pid, _ = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return
            if pid:
                pids.discard(pid)
            else:
                time.sleep(0.05)
        for pid in pids:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass

    def loop(self) -> None:
        listen_fd = self.listener.fileno()
        while True:
            watched = [listen_fd, self.control, *self.by_fd]
            ready, _, _ = select.select(watched, [], [], 0.25)
            self.reap()
            for fd in ready:
                if fd == self.control:
                    if not os.read(self.control, 4096):
                        self.stop_all()
                        return
                elif fd == listen_fd:
                    try:
                        conn, _ = self.listener.accept()
                    except OSError:
                        continue
                    conn.setblocking(True)
                    conn.settimeout(5)
                    self.fork(conn)
                elif fd in self.by_fd:
                    try:
                        data = self.conns[self.by_fd[fd]].recv(64)
                    except OSError:
                        data = b""
                    if not data:
                        self.abandon(fd)
            self.enforce()


def main(args: Sequence[str]) -> int:
    """Runs the zygote: `SOCKET -- ARGV...`."""
    if len(args) < 3 or args[1] != "--":
        print("usage: python -m citizen.ui.zygote SOCKET -- ARGV...", file=sys.stderr)
        return 2
    path, argv = args[0], list(args[2:])
    preload(argv)
    # Move everything imported so far out of the collector's reach: a child's collections then
    # never write to these objects, so their pages stay shared with this process (and every
    # other child) instead of being copied into each one.
    gc.freeze()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C reaches the server, which ends us
    signal.signal(signal.SIGTERM, _terminate)  # a stop of the whole group: end the apps too
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(path)
    listener.listen(128)
    zygote = Zygote(listener, sys.stdin.fileno(), argv)
    # Say so once, then keep stdout quiet: the server reads no more of it.
    sys.stdout.write("ready\n")
    sys.stdout.flush()
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.close(devnull)
    try:
        zygote.loop()
    except Terminated:
        zygote.stop_all()
    finally:
        listener.close()
        # Leave nothing behind even if the server was killed before it could tidy up.
        for remove, what in ((os.unlink, path), (os.rmdir, os.path.dirname(path))):
            try:
                remove(what)
            except OSError:
                pass
    return 0


class Terminated(Exception):
    """SIGTERM arrived."""


def _terminate(signum: int, frame: object) -> None:
    raise Terminated


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

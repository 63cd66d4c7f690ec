"""Fault injection for the chaos tests: TCP proxies the test controls, an SMTP inbox that counts
copies by Message-ID, and the worker, beat and gunicorn as real processes.

A proxy stands between the app and PostgreSQL, Redis or the SMTP server, on 127.0.0.1:

- ``refuse()``: the port refuses connections and the open ones are reset (a crash, a restart);
  ``refuse(cut=False)`` leaves the open ones alone (a server that stops accepting);
- ``pause()``: connections are accepted and held, nothing is forwarded either way (a frozen
  server, a partition; the data waits in the proxy); ``pause(new_only=True)`` holds only the
  connections opened from then on (a server that accepts but never answers);
- ``cut()``: the open connections are reset, new ones are accepted (a dropped link);
- ``restore()``: back to passing everything, held data included.

A userspace proxy cannot withhold TCP acknowledgements, so a paused link looks to the kernel
like a live one: ``tcp_user_timeout`` and keepalives cannot notice it, which is the worst case
for the app (only its own deadlines help).
"""

import email
import os
import signal
import socket
import struct
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

from aiosmtpd.controller import Controller

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _reset(sock: socket.socket) -> None:
    """Drop the connection, as a dead peer or a dropped link would.

    The shutdown matters: a plain close() from another thread leaves the socket open for as
    long as a pump thread is blocked in recv() on it.
    """
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
    sock.close()


class Proxy:
    """A threaded TCP proxy from 127.0.0.1:``port`` to 127.0.0.1:``target``."""

    def __init__(self, name: str, target: int):
        self.name, self.target, self.port = name, target, free_port()
        self._flowing = threading.Event()
        self._flowing.set()
        self._new_held: threading.Event | None = None
        self._lock = threading.Lock()
        self._pairs: set[tuple[socket.socket, socket.socket]] = set()
        self._listener: socket.socket | None = None
        # Called with each chunk from a client; returning False drops it (see LpushTrigger).
        self.on_client_data = None
        self._listen()

    def _listen(self) -> None:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(256)
        listener.settimeout(0.2)
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def _accept(self, listener: socket.socket) -> None:
        while self._listener is listener:
            try:
                client, _ = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            client.settimeout(None)
            try:
                upstream = socket.create_connection(("127.0.0.1", self.target), timeout=5)
                upstream.settimeout(None)
            except OSError:
                _reset(client)
                continue
            with self._lock:
                self._pairs.add((client, upstream))
            gate = self._new_held or self._flowing
            for src, dst, hook in ((client, upstream, True), (upstream, client, False)):
                threading.Thread(
                    target=self._pump, args=(src, dst, hook, (client, upstream), gate), daemon=True
                ).start()

    def _pump(self, src, dst, from_client: bool, pair, gate: threading.Event) -> None:
        try:
            while data := src.recv(65536):
                gate.wait()
                self._flowing.wait()
                if from_client and self.on_client_data and self.on_client_data(data) is False:
                    break
                dst.sendall(data)
        except OSError:
            pass
        self._drop(pair)

    def _drop(self, pair) -> None:
        with self._lock:
            if pair not in self._pairs:
                return
            self._pairs.discard(pair)
        for sock in pair:
            _reset(sock)

    def cut(self) -> None:
        with self._lock:
            pairs = list(self._pairs)
        for pair in pairs:
            self._drop(pair)

    def refuse(self, cut: bool = True) -> None:
        listener, self._listener = self._listener, None
        if listener is not None:
            listener.close()
        if cut:
            self.cut()

    def pause(self, new_only: bool = False) -> None:
        if new_only:
            self._new_held = threading.Event()
        else:
            self._flowing.clear()

    def restore(self) -> None:
        self.on_client_data = None
        if self._listener is None:
            self._listen()
        held, self._new_held = self._new_held, None
        if held is not None:
            held.set()
        self._flowing.set()

    def close(self) -> None:
        self.refuse()
        self._flowing.set()


class LpushTrigger:
    """Calls ``action`` once, just before the ``count``-th push onto the queue ``queue``."""

    def __init__(self, queue: str, count: int, action):
        self.needle = f"LPUSH\r\n${len(queue)}\r\n{queue}\r\n".encode()
        self.count, self.action, self.seen = count, action, 0

    def __call__(self, data: bytes) -> bool:
        self.seen += data.count(self.needle)
        if self.seen >= self.count and self.action is not None:
            action, self.action = self.action, None
            action()
            return False
        return True


class Inbox:
    """An SMTP handler that keeps every copy it accepted, keyed by Message-ID.

    Each message is slowed down at RCPT (so a batch takes a while and a fault lands inside it),
    and ``on_accept`` runs after a message is kept, before the 250 goes back.
    """

    def __init__(self, delay: float = 0.15):
        self.delay, self.on_accept = delay, None
        self._lock = threading.Lock()
        self.copies: list[tuple[float, str, str]] = []  # (when, to, message id)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        import asyncio

        await asyncio.sleep(self.delay)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        parsed = email.message_from_bytes(envelope.content)
        with self._lock:
            for to in envelope.rcpt_tos:
                self.copies.append((time.monotonic(), to, parsed["Message-ID"]))
        if self.on_accept is not None:
            self.on_accept(len(self.copies))
        return "250 OK"

    def clear(self) -> None:
        with self._lock:
            self.copies.clear()
        self.on_accept = None

    def for_(self, addresses) -> list[tuple[float, str, str]]:
        wanted = set(addresses)
        with self._lock:
            return [c for c in self.copies if c[1] in wanted]

    def tally(self, addresses) -> dict:
        """Delivered (distinct recipients reached), lost, duplicated (extra copies), last copy."""
        copies = self.for_(addresses)
        per_id = Counter(message_id for _, _, message_id in copies)
        reached = {to for _, to, _ in copies}
        return {
            "expected": len(set(addresses)),
            "delivered": len(reached),
            "lost": len(set(addresses) - reached),
            "duplicated": sum(n - 1 for n in per_id.values()),
            "duplicate_ids": sorted(i for i, n in per_id.items() if n > 1),
            "last_at": max((when for when, _, _ in copies), default=None),
        }


class SmtpServer:
    """aiosmtpd in this process, behind a proxy the test can refuse or silence."""

    def __init__(self):
        self.inbox = Inbox()
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=free_port())
        self.controller.start()
        self.proxy = Proxy("smtp", self.controller.port)

    def close(self) -> None:
        self.proxy.close()
        self.controller.stop()


class Process:
    """A long-running command of ours, its output in a log file, killable as a group."""

    def __init__(self, name: str, args: list[str], env: dict, logs: Path, ready: str):
        self.name, self.args, self.env, self.ready = name, args, env, ready
        self.log = logs / f"{name}.log"
        self.proc: subprocess.Popen | None = None

    def start(self, timeout: float = 90) -> None:
        offset = self.log.stat().st_size if self.log.exists() else 0
        with open(self.log, "ab") as out:
            self.proc = subprocess.Popen(  # noqa: S603 - our own commands
                [sys.executable, "-m", *self.args],
                cwd=ROOT,
                env=self.env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.ready in self.log.read_text(errors="replace")[offset:]:
                return
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.name} exited early:\n{self.tail()}")
            time.sleep(0.2)
        raise RuntimeError(f"{self.name} did not become ready:\n{self.tail()}")

    @property
    def pid(self) -> int:
        return self.proc.pid

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def children(self) -> list[int]:
        path = Path(f"/proc/{self.pid}/task/{self.pid}/children")
        return [int(pid) for pid in path.read_text().split()] if path.exists() else []

    def kill_group(self) -> None:
        """kill -9 the process and every child at once, as an OOM killer or a host crash."""
        os.killpg(self.pid, signal.SIGKILL)
        self.proc.wait(timeout=10)

    def stop(self) -> None:
        if self.alive():
            os.killpg(self.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.pid, signal.SIGKILL)
                self.proc.wait(timeout=10)

    def tail(self, lines: int = 40) -> str:
        if not self.log.exists():
            return ""
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])


def wait_for(condition, timeout: float, interval: float = 0.2) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(interval)
    return bool(condition())

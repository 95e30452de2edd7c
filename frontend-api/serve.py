"""Serving the app with uvicorn in one or more worker processes.

Each worker is its own process with its own listening socket on the same port
(SO_REUSEPORT: the kernel spreads connections over them), created with
`IPPROTO_TCP` so that asyncio sets TCP_NODELAY on every connection (without it a
small response waits for the client's delayed ACK, ~40 ms). The parent builds the
app once first (a bad manifest, node URL or database fails there, with a message),
starts the workers, waits until /health answers, and prints `serving <url>`."""

from __future__ import annotations

import logging
import multiprocessing
import signal
import socket
import sys
import time
from http.client import HTTPConnection
from types import FrameType

import uvicorn

from bpsa.api.settings import Settings

log = logging.getLogger("bpsa.api")


def bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind((host, port))
    return sock


def worker(settings: Settings, host: str, port: int, log_level: str) -> None:
    from bpsa.api.app import create_app

    app = create_app(settings)
    sock = bind(host, port)
    config = uvicorn.Config(
        app,
        log_level=log_level,
        access_log=False,
        lifespan="on",
        backlog=4096,
        timeout_keep_alive=30,
    )
    uvicorn.Server(config).run(sockets=[sock])


def wait_ready(host: str, port: int, timeout: float = 60) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            conn = HTTPConnection(host, port, timeout=2)
            conn.request("GET", "/health")
            if conn.getresponse().status == 200:
                conn.close()
                return True
        except OSError:
            pass
        time.sleep(0.1)
    return False


def serve(
    settings: Settings, host: str, port: int, workers: int, log_level: str = "warning"
) -> int:
    """Run until SIGINT/SIGTERM; the exit status."""
    from bpsa.api.app import create_app

    probe = create_app(settings)  # fails here, in the parent, on a bad configuration
    probe.state.services.close()
    anchor = bind(host, port)  # holds the port (0: picks one) while the workers bind it
    port = anchor.getsockname()[1]
    context = multiprocessing.get_context("spawn")
    procs = [
        context.Process(target=worker, args=(settings, host, port, log_level), daemon=True)
        for _ in range(workers)
    ]
    for proc in procs:
        proc.start()
    stopping = False

    def stop(signum: int, frame: FrameType | None) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    shown = "[" + host + "]" if ":" in host else host
    if not wait_ready(host, port):
        print(f"the API did not start on {shown}:{port}", file=sys.stderr)
        stopping = True
    else:
        print(f"serving http://{shown}:{port} ({workers} worker(s))", flush=True)
    anchor.close()
    status = 0
    while not stopping:
        if any(not p.is_alive() for p in procs):
            print("a worker died; stopping", file=sys.stderr)
            status = 1
            break
        time.sleep(0.2)
    for proc in procs:
        proc.terminate()
    for proc in procs:
        proc.join(timeout=10)
        if proc.is_alive():
            proc.kill()
    return status

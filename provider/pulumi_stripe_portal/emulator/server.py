"""Serving the WSGI application (app.py) with waitress, on a background thread.

waitress speaks the HTTP/1.1: Content-Length and chunked bodies (what stripe-go sends),
keep-alive and pipelining, ``Expect: 100-continue``, size limits. Its event loop reads each
request in full before a worker thread sees it, so a slow or stalled client holds a socket,
never a worker. Limits (the emulator's own; Stripe does not publish its): a body of at most
``MAX_BODY`` bytes (waitress's 413); an idle connection, or one stalled mid-request, is closed
after ``idle_timeout`` whole seconds without a byte; at most ``CONNECTIONS`` connections at once
(more wait in the listen backlog). Malformed framing gets waitress's own 4xx (plain text,
then the connection is closed), not Stripe's JSON. Not emulated: TLS, HTTP/2.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from waitress import wasyncore
from waitress.channel import ClientDisconnected
from waitress.server import BaseWSGIServer, create_server

from .app import DropConnection

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

MAX_BODY = 1 << 20  # 1 MiB: a configuration with every field set is a few KiB
MAX_HEAD = 64 << 10  # request line and headers: 64 KiB (http.server allowed 64 KiB a line)
IDLE_TIMEOUT = 120  # seconds; longer than clients' idle pools (Go: 90 s), so they close first
THREADS = 2  # worker threads without latency (see threads_for)
LATENT_THREADS = 16  # with --latency: more answers waiting at once than any test client sends
CONNECTIONS = 1000  # open connections; beyond it waitress stops accepting until one closes

# waitress warns "Task queue depth is N" whenever every worker is busy: normal under load here
logging.getLogger("waitress.queue").setLevel(logging.ERROR)


def threads_for(latency: float) -> int:
    """Worker threads for the latency fault. Threads only help to overlap waits, and the
    latency sleep is the emulator's only wait: the rest is Python under one GIL, with SQLite
    behind one lock. Past 2, more threads only contend for the GIL (measured: a keep-alive
    retrieve from 8 clients costs about a fifth more CPU with 16 than with 2)."""
    return LATENT_THREADS if latency > 0 else THREADS


def dropping(app: WSGIApplication) -> WSGIApplication:
    """Turn the app's DropConnection into waitress's way to close without a byte written."""

    def wsgi(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        try:
            return app(environ, start_response)
        except DropConnection:
            raise ClientDisconnected from None

    return wsgi


class Server:
    """waitress on ``host:port`` (0 picks a free port), listening once constructed."""

    def __init__(
        self,
        app: WSGIApplication,
        host: str,
        port: int,
        *,
        idle_timeout: int = IDLE_TIMEOUT,
        threads: int = THREADS,
    ) -> None:
        self._map: dict[int, Any] = {}  # waitress's socket map: fd -> dispatcher
        server = create_server(
            dropping(app),
            map=self._map,
            host=host,
            port=port,
            threads=threads,
            channel_timeout=idle_timeout,
            cleanup_interval=max(1, min(30, idle_timeout // 2)),
            max_request_body_size=MAX_BODY + 1,  # waitress refuses a body of this size or more
            max_request_header_size=MAX_HEAD,
            connection_limit=CONNECTIONS,
            asyncore_use_poll=True,  # select() stops at 1024 descriptors
            log_socket_errors=False,  # a client's reset is not the emulator's error
            ident="stripe-portal-emulator",
            clear_untrusted_proxy_headers=False,  # no proxy in front: nothing to strip
        )
        assert isinstance(server, BaseWSGIServer)  # one address, so one listening socket
        loop: Any = server  # types-waitress lacks effective_port and types the trigger an int
        self._server = loop
        self.port = int(loop.effective_port)
        self._thread = threading.Thread(
            target=loop.run, name=f"stripe-portal-emulator:{self.port}", daemon=True
        )

    def start(self) -> None:
        self._thread.start()

    def set_threads(self, count: int) -> None:
        """Grow or shrink the worker pool while serving (a shrinking thread ends after the
        request it is serving)."""
        self._server.task_dispatcher.set_thread_count(count)

    def stop(self) -> None:
        """Close the listening socket and every connection, then let the workers finish."""
        if self._thread.is_alive():  # closed by the event loop's own thread, between polls
            try:
                self._server.trigger.pull_trigger(lambda: wasyncore.close_all(self._map))
            except OSError:  # the trigger is gone already: close from here, the loop ends
                wasyncore.close_all(self._map, ignore_all=True)
            self._thread.join(timeout=5)
        else:
            wasyncore.close_all(self._map, ignore_all=True)
        self._server.task_dispatcher.shutdown()

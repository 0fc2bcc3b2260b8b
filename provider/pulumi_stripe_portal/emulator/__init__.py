"""A local, stateful Stripe for ``/v1/billing_portal/configurations``: the public ``Emulator``.

Serves create, retrieve, update and list over HTTP/1.1 with Stripe's validation, defaults,
errors, idempotency, Connect scoping and optional faults. Not emulated: any other Stripe
resource (portal sessions, products, prices, payment method configurations are never looked
up), TLS, webhooks and events, the Dashboard, idempotency-key expiry; see each module's
docstring for the finer gaps.
"""

from __future__ import annotations

import threading
from collections import Counter
from dataclasses import replace
from types import TracebackType
from typing import Any

from .backend import Backend, Ctx
from .errors import StripeError
from .server import EmulatorServer, Faults, RequestRecord
from .store import Store

__all__ = ["Backend", "Ctx", "Emulator", "Faults", "RequestRecord", "StripeError", "Store"]


class Emulator:
    """Start the emulator in a background thread; usable as a context manager.

    ``port=0`` picks a free port (read ``.port`` / ``.url`` after ``start()``). The fault
    arguments are the initial ``Faults``; ``reset()`` returns to them.
    """

    def __init__(
        self,
        port: int = 0,
        state_file: str | None = None,
        *,
        host: str = "127.0.0.1",
        first_is_default: bool = False,
        api_keys: list[str] | None = None,
        latency: float = 0.0,
        rate_limit: float | None = None,
        rate_limit_should_retry: bool = False,
        error_rate: float = 0.0,
        error_count: int = 0,
        drop_rate: float = 0.0,
        drop_count: int = 0,
        seed: int = 0,
        verbose: bool = False,
    ) -> None:
        self.host = host
        self.port = port
        self.state_file = state_file
        self._first_is_default = first_is_default
        self._api_keys = frozenset(api_keys) if api_keys is not None else None
        self._faults = Faults(
            latency=latency,
            rate_limit=rate_limit,
            rate_limit_should_retry=rate_limit_should_retry,
            error_rate=error_rate,
            error_count=error_count,
            drop_rate=drop_rate,
            drop_count=drop_count,
            seed=seed,
        )
        self._verbose = verbose
        self._server: EmulatorServer | None = None
        self._thread: threading.Thread | None = None
        self.backend: Backend | None = None

    # lifecycle -------------------------------------------------------------------------

    def start(self) -> Emulator:
        """Open the state, bind the port (listening on return) and serve in a daemon thread."""
        if self._server is not None:
            raise RuntimeError("emulator already started")
        self.backend = Backend(Store(self.state_file), first_is_default=self._first_is_default)
        self._server = EmulatorServer(
            (self.host, self.port), self.backend, self._faults, self._api_keys, self._verbose
        )
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name=f"stripe-portal-emulator:{self.port}",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving, cut open keep-alive connections, close the state file."""
        server, self._server = self._server, None
        if server is None:
            return
        server.shutdown()
        server.close_connections()
        server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        assert self.backend is not None
        with self.backend.lock:
            self.backend.store.close()

    def __enter__(self) -> Emulator:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def server(self) -> EmulatorServer:
        if self._server is None:
            raise RuntimeError("emulator not started")
        return self._server

    def reset(self) -> None:
        """Forget all objects and idempotency keys; counters and faults back to the start."""
        assert self.backend is not None
        self.backend.reset()
        self.backend.first_is_default = self._first_is_default
        self.server.set_faults(self._faults)
        self.server.clear_counters()

    # faults --------------------------------------------------------------------------

    def _update_faults(self, **changes: Any) -> None:
        self.server.set_faults(replace(self.server.faults, **changes))

    def set_latency(self, seconds: float) -> None:
        """Sleep this long before answering each request."""
        self._update_faults(latency=seconds)

    def set_rate_limit(self, per_second: float | None, *, should_retry: bool = False) -> None:
        """Answer 429 ``rate_limit`` beyond ``per_second`` requests in any one-second window."""
        self._update_faults(rate_limit=per_second, rate_limit_should_retry=should_retry)

    def set_server_errors(self, fraction: float = 0.0, *, count: int = 0, seed: int = 0) -> None:
        """Answer 500 ``api_error`` (before any write) to the next ``count``, then a fraction."""
        self._update_faults(error_rate=fraction, error_count=count, seed=seed)

    def set_drop_after_commit(
        self, count: int = 0, *, fraction: float = 0.0, seed: int = 0
    ) -> None:
        """Commit the next ``count`` (then a fraction of) successful POSTs, then close the
        connection without answering."""
        self._update_faults(drop_count=count, drop_rate=fraction, seed=seed)

    def clear_faults(self) -> None:
        self.server.set_faults(Faults())

    def set_first_is_default(self, on: bool) -> None:
        """Make the first configuration created in each account (and mode) the default."""
        assert self.backend is not None
        self.backend.first_is_default = on

    # counters ------------------------------------------------------------------------

    @property
    def requests(self) -> list[RequestRecord]:
        """Every request seen, faulted ones included, oldest first."""
        with self.server.stats_lock:
            return list(self.server.requests)

    @property
    def request_count(self) -> int:
        with self.server.stats_lock:
            return len(self.server.requests)

    @property
    def route_counts(self) -> Counter[tuple[str, str]]:
        """Requests per (method, route), e.g. ``("POST", "/v1/.../{id}")``."""
        with self.server.stats_lock:
            return Counter(self.server.route_counts)

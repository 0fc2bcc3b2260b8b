"""A local, stateful Stripe for ``/v1/billing_portal/configurations``: the public ``Emulator``.

Serves create, retrieve, update and list over HTTP/1.1 with Stripe's validation, defaults,
errors, idempotency, Connect scoping and optional faults; also ``GET /v1/account``
(accounts.py) and the products and prices configurations refer to (catalog.py). Seeds, made
without a request and not counted: a Dashboard-made default configuration
(``seed_default``) and a catalogue (``load_catalog``, which turns on ``check_references``).
Not emulated: any other Stripe resource (portal sessions, payment method configurations are
never looked up), TLS, webhooks and events, the Dashboard UI, idempotency-key expiry; see
each module's docstring for the finer gaps. The HTTP libraries (werkzeug, waitress, orjson)
come with the ``[emulator]`` extra and are imported only when an emulator starts, so the
provider never loads them.

May import: only ``emulator`` itself and the stripe SDK's public parameter types (its spec),
never the provider's models or rules: it stays an independent referee.
"""

from __future__ import annotations

import importlib.util
from collections import Counter
from dataclasses import replace
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

from .accounts import Accounts, Ctx, check_account_id, derived_account_id
from .backend import Backend
from .catalog import CatalogError
from .errors import StripeError
from .faults import KEEP_REQUESTS, Faults, RequestRecord, Traffic
from .store import Store

if TYPE_CHECKING:
    from .server import Server

__all__ = [
    "Backend",
    "CatalogError",
    "Ctx",
    "Emulator",
    "Faults",
    "RequestRecord",
    "Store",
    "StripeError",
    "Traffic",
    "derived_account_id",
    "require_extra",
]

EXTRA = "pip install 'pulumi-stripe-portal[emulator]'"
_LIBRARIES = ("werkzeug", "waitress", "orjson")


def require_extra() -> None:
    """Raise one readable line when the ``[emulator]`` extra (the HTTP server) is missing."""
    missing = [name for name in _LIBRARIES if importlib.util.find_spec(name) is None]
    if missing:
        raise ModuleNotFoundError(
            f"the emulator needs {', '.join(missing)}: install the [emulator] extra ({EXTRA})",
            name=missing[0],
        )


def _ctx(account: str | None, livemode: bool) -> Ctx:
    """The platform account (None) or a connected one, checked like a Stripe-Account id."""
    return Ctx("platform" if account is None else check_account_id(account), livemode)


class Emulator:
    """Start the emulator in a background thread; usable as a context manager.

    ``port=0`` picks a free port (read ``.port`` / ``.url`` after ``start()``). The fault
    arguments are the initial ``Faults``; ``reset()`` returns to them. ``start()`` applies
    the seeds: ``catalog`` (a dict or JSON file, loaded in test and live mode; turns
    ``check_references`` on), then ``seed_default`` (True or create params) if the platform
    account has no default yet. ``account_ids`` maps API keys to ``GET /v1/account`` ids.
    ``idle_timeout`` (whole seconds) closes a connection that sends nothing for that long.
    ``threads`` fixes the number of requests handled at once; None (the default) handles 2,
    or 16 while a latency is set (``latency`` or ``set_latency``): see server.threads_for.
    ``keep_requests`` bounds the record ``requests`` reads (the most recent N, 10,000 by
    default, about 10 MB); ``request_count`` and ``requests_since`` count every request.
    Raises ModuleNotFoundError (one line naming the extra) without the ``[emulator]`` extra.
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
        rate_limit_retry_after: bool = False,
        error_rate: float = 0.0,
        error_count: int = 0,
        drop_rate: float = 0.0,
        drop_count: int = 0,
        seed: int = 0,
        verbose: bool = False,
        seed_default: dict[str, Any] | bool | None = None,
        catalog: dict[str, Any] | str | Path | None = None,
        check_references: bool = False,
        account_ids: dict[str, str] | None = None,
        idle_timeout: int = 120,
        threads: int | None = None,
        keep_requests: int = KEEP_REQUESTS,
    ) -> None:
        require_extra()
        self.host = host
        self.port = port
        self.state_file = state_file
        self._first_is_default = first_is_default
        self._api_keys = frozenset(api_keys) if api_keys is not None else None
        self._faults = Faults(
            latency=latency,
            rate_limit=rate_limit,
            rate_limit_should_retry=rate_limit_should_retry,
            rate_limit_retry_after=rate_limit_retry_after,
            error_rate=error_rate,
            error_count=error_count,
            drop_rate=drop_rate,
            drop_count=drop_count,
            seed=seed,
        )
        self._verbose = verbose
        self._seed_default = seed_default
        self._catalog = catalog
        self._check_references = check_references or catalog is not None
        self._account_ids = dict(account_ids or {})
        Accounts(self._account_ids)  # refuse a malformed id now, not at start()
        self._idle_timeout = idle_timeout
        if threads is not None and threads < 1:
            raise ValueError(f"threads must be at least 1, not {threads}")
        self._threads = threads
        self._keep_requests = keep_requests
        Traffic(self._faults, keep_requests)  # refuse a bad bound now, not at start()
        self._server: Server | None = None
        self._traffic: Traffic | None = None
        self.backend: Backend | None = None

    # lifecycle -------------------------------------------------------------------------

    def start(self) -> Emulator:
        """Open the state, bind the port (listening on return) and serve in a daemon thread."""
        if self._server is not None:
            raise RuntimeError("emulator already started")
        self.backend = Backend(
            Store(self.state_file),
            first_is_default=self._first_is_default,
            check_references=self._check_references,
            account_ids=self._account_ids,
        )
        try:
            self._apply_seeds(self.backend)
        except BaseException:
            self.backend.store.close()
            self.backend = None
            raise
        from .app import EmulatorApp  # the [emulator] extra: only when serving
        from .server import Server, threads_for

        traffic = Traffic(self._faults, self._keep_requests)
        app = EmulatorApp(self.backend, traffic, self._api_keys, self._verbose)
        try:
            server = Server(
                app,
                self.host,
                self.port,
                idle_timeout=self._idle_timeout,
                threads=threads_for(self._faults.latency)
                if self._threads is None
                else self._threads,
            )
        except BaseException:
            self.backend.store.close()
            self.backend = None
            raise
        self._server, self._traffic, self.port = server, traffic, server.port
        server.start()
        return self

    def _apply_seeds(self, backend: Backend) -> None:
        """Start-time seeds; a default survives a restart on a persisted state file."""
        if self._catalog is not None:
            for livemode in (False, True):
                backend.catalog.load(Ctx("platform", livemode), self._catalog)
        seed = self._seed_default
        if seed is not None and seed is not False and not backend.has_default(Ctx()):
            backend.seed_default(Ctx(), None if seed is True else seed)

    def stop(self) -> None:
        """Stop serving, cut open keep-alive connections, close the state file."""
        server, self._server = self._server, None
        if server is None:
            return
        server.stop()
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
    def server(self) -> Traffic:
        """The running emulator's counters and faults (``clear_counters()``, ``faults``,
        ``admitted_at``): the name is kept for code written against the first server."""
        if self._traffic is None or self._server is None:
            raise RuntimeError("emulator not started")
        return self._traffic

    def reset(self) -> None:
        """Forget all objects and idempotency keys; counters and faults back to the start.

        Seeded objects are forgotten too (the ``seed_default`` and ``catalog`` arguments are
        applied by ``start()`` only): seed again after a reset if a test needs them. Account
        ids and ``check_references`` return to the constructor's."""
        assert self.backend is not None
        self.backend.reset()
        self.backend.first_is_default = self._first_is_default
        self.backend.check_references = self._check_references
        self.backend.accounts = Accounts(self._account_ids)
        self._set_faults(self._faults)
        self.server.clear_counters()
        self.server.set_keep(self._keep_requests)

    # seeding (no HTTP request, not counted) ------------------------------------------

    def seed_default(
        self,
        params: dict[str, Any] | None = None,
        *,
        account: str | None = None,
        livemode: bool = False,
    ) -> dict[str, Any]:
        """Store a Dashboard-made default configuration, as if made outside the API.

        ``params`` are create params as Python values (validated like a create; None = a
        fresh Dashboard portal: Stripe's defaults with invoice history on). ``account`` is a
        connected account id (``Stripe-Account``), None the platform account every key sees.
        The previous default of that account and mode loses the flag. Returns the stored
        object with products expanded.
        """
        if self.backend is None:
            raise RuntimeError("emulator not started")
        return self.backend.seed_default(_ctx(account, livemode), params)

    def load_catalog(
        self,
        catalog: dict[str, Any] | str | Path,
        *,
        account: str | None = None,
        livemode: bool | None = None,
    ) -> dict[str, list[str]]:
        """Load products and prices (``{"products": [...], "prices": [...]}``, a dict or a
        JSON file) and turn ``check_references`` on.

        ``livemode`` None loads test and live mode (price ids differ between them, as in
        Stripe); ``account`` as in ``seed_default``. Idempotent (existing product ids and
        price lookup keys are skipped); a bad entry raises ``CatalogError`` and stores
        nothing. Returns the ids created, ``{"products": [...], "prices": [...]}``.
        """
        if self.backend is None:
            raise RuntimeError("emulator not started")
        made: dict[str, list[str]] = {"products": [], "prices": []}
        modes = (False, True) if livemode is None else (livemode,)
        for mode in modes:
            done = self.backend.catalog.load(_ctx(account, mode), catalog)
            for kind, ids in done.items():
                made[kind] += ids
        self.backend.check_references = True
        return made

    def set_check_references(self, on: bool) -> None:
        """Refuse configurations naming unknown products or prices (see catalog.py)."""
        assert self.backend is not None
        self.backend.check_references = on

    # accounts ------------------------------------------------------------------------

    def account_id(self, key: str) -> str:
        """The id ``GET /v1/account`` answers for ``key``: set, or ``derived_account_id``."""
        if self.backend is None:
            return self._account_ids.get(key) or derived_account_id(key)
        return self.backend.accounts.id_for(key)

    def set_account_id(self, key: str, account_id: str | None) -> None:
        """Make ``key`` belong to ``account_id`` (None: back to the derived id) until reset."""
        assert self.backend is not None
        self.backend.accounts.set(key, account_id)

    # faults --------------------------------------------------------------------------

    def _set_faults(self, faults: Faults) -> None:
        """Every fault change goes here: unless ``threads`` was given, the worker pool follows
        the latency (each waiting answer holds a thread; see server.threads_for)."""
        self.server.set_faults(faults)
        if self._threads is None and self._server is not None:
            from .server import threads_for

            self._server.set_threads(threads_for(faults.latency))

    def _update_faults(self, **changes: Any) -> None:
        self._set_faults(replace(self.server.faults, **changes))

    def set_latency(self, seconds: float) -> None:
        """Sleep this long before answering each request."""
        self._update_faults(latency=seconds)

    def set_rate_limit(
        self, per_second: float | None, *, should_retry: bool = False, retry_after: bool = False
    ) -> None:
        """Answer 429 ``rate_limit`` beyond ``per_second`` requests in any one-second window;
        ``retry_after`` adds a ``Retry-After`` header (whole seconds until the window frees)."""
        self._update_faults(
            rate_limit=per_second,
            rate_limit_should_retry=should_retry,
            rate_limit_retry_after=retry_after,
        )

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
        self._set_faults(Faults())

    def set_first_is_default(self, on: bool) -> None:
        """Make the first configuration created in each account (and mode) the default."""
        assert self.backend is not None
        self.backend.first_is_default = on

    # counters ------------------------------------------------------------------------

    @property
    def requests(self) -> list[RequestRecord]:
        """The most recent ``keep_requests`` requests, faulted ones included, oldest first."""
        with self.server.stats_lock:
            return list(self.server.requests)

    def requests_since(self, cursor: int) -> list[RequestRecord]:
        """The requests after an earlier ``request_count`` (LookupError if some were dropped)."""
        return self.server.since(cursor)

    def set_keep_requests(self, keep: int) -> None:
        """Record the most recent ``keep`` requests from now on (until ``reset()``)."""
        self.server.set_keep(keep)

    @property
    def peak_in_flight(self) -> int:
        """The most requests in flight at once (admitted, not yet answered) since start or
        the last reset: how many calls a client really sends together."""
        with self.server.stats_lock:
            return self.server.peak_in_flight

    @property
    def rate_limited(self) -> int:
        """Requests answered 429 ``rate_limit`` (they are in ``requests`` too)."""
        with self.server.stats_lock:
            return self.server.rate_limited

    @property
    def request_count(self) -> int:
        """Every request since the start or ``reset()``, recorded or not: the cursor."""
        with self.server.stats_lock:
            return self.server.total

    @property
    def route_counts(self) -> Counter[tuple[str, str]]:
        """Requests per (method, route), e.g. ``("POST", "/v1/.../{id}")``."""
        with self.server.stats_lock:
            return Counter(self.server.route_counts)

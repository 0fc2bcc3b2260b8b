"""Command line: ``python -m pulumi_stripe_portal.emulator`` / ``stripe-portal-emulator``.

Prints one ``... listening on URL`` line once the port is bound, then serves until SIGINT or
SIGTERM. Without the ``[emulator]`` extra it exits 1 with one line naming the extra.
Not emulated: TLS (serve plain HTTP on loopback and point the SDK's base address at it).
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
import threading
from types import FrameType

from . import Emulator, require_extra
from .accounts import ACCOUNT_ID
from .auth import mask_key
from .catalog import CatalogError
from .errors import StripeError
from .faults import KEEP_REQUESTS


def _at_least_one(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if n < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {n}")
    return n


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="stripe-portal-emulator",
        description="Local stateful Stripe for /v1/billing_portal/configurations.",
    )
    p.add_argument("--port", type=int, default=0, help="port to bind (0 picks a free one)")
    p.add_argument("--host", default="127.0.0.1", help="address to bind (default loopback)")
    p.add_argument("--state", metavar="FILE", help="persist state in this SQLite file")
    p.add_argument(
        "--first-is-default",
        action="store_true",
        help="the first configuration created in each account becomes the default",
    )
    p.add_argument(
        "--api-key",
        action="append",
        dest="api_keys",
        metavar="KEY",
        help="accept only these keys (repeatable; default: any well-formed key)",
    )
    f = p.add_argument_group("faults (off by default)")
    f.add_argument("--latency", type=float, default=0.0, metavar="SECONDS")
    f.add_argument("--rate-limit", type=float, metavar="N", help="429 beyond N requests/second")
    f.add_argument(
        "--rate-limit-should-retry",
        action="store_true",
        help="send Stripe-Should-Retry: true with rate-limit answers",
    )
    f.add_argument(
        "--rate-limit-retry-after",
        action="store_true",
        help="send Retry-After (whole seconds until the window frees) with rate-limit answers",
    )
    f.add_argument(
        "--error-rate",
        type=float,
        default=0.0,
        metavar="FRACTION",
        help="answer 500 api_error to this fraction of requests",
    )
    f.add_argument(
        "--error-count",
        type=int,
        default=0,
        metavar="N",
        help="answer 500 api_error to the first N requests",
    )
    f.add_argument(
        "--drop-rate",
        type=float,
        default=0.0,
        metavar="FRACTION",
        help="commit this fraction of writes, then drop the connection unanswered",
    )
    f.add_argument(
        "--drop-count",
        type=int,
        default=0,
        metavar="N",
        help="commit the first N writes, then drop the connection unanswered",
    )
    f.add_argument("--seed", type=int, default=0, help="seed for the fault fractions")
    p.add_argument(
        "--threads",
        type=_at_least_one,
        metavar="N",
        help="requests handled at once (default: 2, or 16 with --latency; with --latency, "
        "give at least as many as your clients send at once)",
    )
    p.add_argument(
        "--keep-requests",
        type=_at_least_one,
        default=KEEP_REQUESTS,
        metavar="N",
        help=f"record the most recent N requests (default {KEEP_REQUESTS:,}, about 10 MB)",
    )
    p.add_argument("--verbose", action="store_true", help="log each request to stderr")
    s = p.add_argument_group("seeding (applied at start, before the first request)")
    s.add_argument(
        "--seed-default",
        nargs="?",
        const=True,
        metavar="FILE",
        help="give the platform account (test mode) a Dashboard-made default configuration, "
        "from FILE's JSON create params or Stripe's defaults; skipped if it has one already",
    )
    s.add_argument(
        "--catalog",
        metavar="FILE",
        help="load products and prices from this JSON file (test and live mode; existing ids "
        "and lookup keys are kept); turns --check-references on",
    )
    p.add_argument(
        "--check-references",
        action="store_true",
        help="refuse configurations that name unknown products or prices (Stripe's rule)",
    )
    p.add_argument(
        "--account-id",
        action="append",
        default=[],
        dest="account_ids",
        metavar="KEY=acct_ID",
        help="the id GET /v1/account answers for KEY (repeatable; default: acct_ + the first "
        "16 hex digits of sha256(KEY))",
    )
    return p


def _account_ids(pairs: list[str]) -> dict[str, str]:
    """``KEY=acct_...`` pairs; a malformed one exits with one line (the key masked)."""
    ids: dict[str, str] = {}
    for pair in pairs:
        key, sep, id_ = pair.partition("=")
        if not sep or not key or not ACCOUNT_ID.fullmatch(id_):
            raise SystemExit(
                f"stripe-portal-emulator: --account-id {mask_key(key)}=...: expected "
                "KEY=acct_ID (acct_ followed by letters and digits)"
            )
        ids[key] = id_
    return ids


def _json_file(path: str, flag: str) -> object:
    """A JSON file's value, or exit with one readable line."""
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except (OSError, ValueError) as e:
        raise SystemExit(f"stripe-portal-emulator: {flag} {path}: {e}") from None


def main(argv: list[str] | None = None) -> int:
    try:
        require_extra()
    except ModuleNotFoundError as e:
        raise SystemExit(f"stripe-portal-emulator: {e}") from None
    args = _parser().parse_args(argv)
    seed_default = args.seed_default
    if isinstance(seed_default, str):
        seed_default = _json_file(seed_default, "--seed-default")
        if not isinstance(seed_default, dict):
            raise SystemExit(
                f"stripe-portal-emulator: --seed-default {args.seed_default}: "
                "expected a JSON object of create params"
            )
    emu = Emulator(
        port=args.port,
        state_file=args.state,
        host=args.host,
        first_is_default=args.first_is_default,
        api_keys=args.api_keys,
        latency=args.latency,
        rate_limit=args.rate_limit,
        rate_limit_should_retry=args.rate_limit_should_retry,
        rate_limit_retry_after=args.rate_limit_retry_after,
        error_rate=args.error_rate,
        error_count=args.error_count,
        drop_rate=args.drop_rate,
        drop_count=args.drop_count,
        seed=args.seed,
        verbose=args.verbose,
        seed_default=seed_default,
        catalog=args.catalog,
        check_references=args.check_references,
        account_ids=_account_ids(args.account_ids),
        threads=args.threads,
        keep_requests=args.keep_requests,
    )
    done = threading.Event()

    def _stop(signum: int, frame: FrameType | None) -> None:
        done.set()

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    try:
        emu.start()
    except StripeError as e:
        where = f" ({e.param})" if e.param else ""
        raise SystemExit(f"stripe-portal-emulator: seed refused{where}: {e.message}") from None
    except CatalogError as e:
        raise SystemExit(f"stripe-portal-emulator: --catalog: {e}") from None
    print(f"stripe-portal-emulator listening on {emu.url}", flush=True)
    try:
        while not done.wait(0.5):
            pass
    finally:
        emu.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())

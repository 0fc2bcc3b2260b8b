"""Command line: ``python -m pulumi_stripe_portal.emulator`` / ``stripe-portal-emulator``.

Prints one ``... listening on URL`` line once the port is bound, then serves until SIGINT or
SIGTERM. Not emulated: TLS (serve plain HTTP on loopback and point the SDK's base address at it).
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from types import FrameType

from . import Emulator


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
    p.add_argument("--verbose", action="store_true", help="log each request to stderr")
    return p


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    emu = Emulator(
        port=args.port,
        state_file=args.state,
        host=args.host,
        first_is_default=args.first_is_default,
        api_keys=args.api_keys,
        latency=args.latency,
        rate_limit=args.rate_limit,
        rate_limit_should_retry=args.rate_limit_should_retry,
        error_rate=args.error_rate,
        error_count=args.error_count,
        drop_rate=args.drop_rate,
        drop_count=args.drop_count,
        seed=args.seed,
        verbose=args.verbose,
    )
    done = threading.Event()

    def _stop(signum: int, frame: FrameType | None) -> None:
        done.set()

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    emu.start()
    print(f"stripe-portal-emulator listening on {emu.url}", flush=True)
    try:
        while not done.wait(0.5):
            pass
    finally:
        emu.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())

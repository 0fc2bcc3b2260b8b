"""``stripe-portal``: list an account's portal configurations, export them as a program.

It sits beside the provider on the same client and models: the same settings (flags, then
``STRIPE_API_KEY``, ``STRIPE_API_BASE``, ``STRIPE_ACCOUNT``), the same one-line errors, and
never the key in its output. Both commands only read.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from .client import PortalApiError, PortalClient, Settings
from .export import program
from .guards import key_mode
from .ownership import owner_of

PROG = "stripe-portal"


def _parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--api-key", help="Stripe key (default: STRIPE_API_KEY)")
    common.add_argument("--api-base", help="API address, e.g. the emulator (STRIPE_API_BASE)")
    common.add_argument(
        "--stripe-account", help="a Connect account, acct_... (default: STRIPE_ACCOUNT)"
    )
    parser = argparse.ArgumentParser(
        prog=PROG, description="Stripe customer portal configurations, for Pulumi."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    listing = commands.add_parser(
        "list", parents=[common], help="a table of the account's configurations"
    )
    listing.add_argument("--all", action="store_true", help="inactive ones too")
    listing.add_argument("--json", action="store_true", help="JSON instead of a table")
    export = commands.add_parser(
        "export", parents=[common], help="a Pulumi program that adopts configurations"
    )
    export.add_argument(
        "--id", action="append", dest="ids", metavar="bpc_...", help="only these (repeatable)"
    )
    export.add_argument("--all", action="store_true", help="inactive ones too")
    export.add_argument("-o", "--output", metavar="FILE", help="write here, not to stdout")
    return parser


def _client(args: argparse.Namespace) -> PortalClient:
    flags = {
        "stripe:apiKey": args.api_key,
        "stripe:apiBase": args.api_base,
        "stripe:stripeAccount": args.stripe_account,
    }
    settings = Settings.from_config(flags.get)
    if settings.mode is None:
        # Both commands only read: a live key needs no opt-in here (STRIPE_MODE still guards).
        settings = replace(settings, mode=key_mode(settings.api_key))
    return PortalClient(settings)


def _row(config: dict[str, Any]) -> dict[str, Any]:
    updated = config.get("updated")
    return {
        "id": config["id"],
        "name": config.get("name"),
        "active": bool(config.get("active")),
        "default": bool(config.get("is_default")),
        "livemode": bool(config.get("livemode")),
        "owner": owner_of(config),
        "updated": (
            datetime.fromtimestamp(updated, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
            if isinstance(updated, int)
            else None
        ),
    }


def _table(rows: list[dict[str, Any]]) -> str:
    headers = ["id", "name", "active", "default", "livemode", "owner", "updated"]

    def cell(value: Any) -> str:
        if isinstance(value, bool):
            return "yes" if value else "no"
        return "-" if value in (None, "") else str(value)

    cells = [[cell(row[h]) for h in headers] for row in rows]
    widths = [max(len(h), *(len(c[i]) for c in cells)) for i, h in enumerate(headers)]
    lines = [headers, *cells]
    return "\n".join(
        "  ".join(c.ljust(w) for c, w in zip(line, widths, strict=True)).rstrip() for line in lines
    )


def _list(client: PortalClient, account: str | None, args: argparse.Namespace) -> str:
    filters = {} if args.all else {"active": True}
    rows = [_row(c) for c in client.list_configurations(account, **filters)]
    if args.json:
        return json.dumps(rows, indent=2)
    return _table(rows) if rows else "no configurations"


def _export(client: PortalClient, account: str | None, args: argparse.Namespace) -> str:
    if args.ids:
        configs = []
        for config_id in dict.fromkeys(args.ids):
            found = client.retrieve(config_id, account)
            if found is None:
                raise PortalApiError(f"no such billing portal configuration: {config_id!r}")
            configs.append(found)
        return program(configs, stripe_account=account)
    filters = {} if args.all else {"active": True}
    configs = list(client.list_configurations(account, **filters))
    configs.reverse()  # oldest first, so the program reads in the order they were made
    # Configurations a stack already manages stay with it (name them with --id to override).
    managed = {c["id"]: owner for c in configs if (owner := owner_of(c))}
    free = [c for c in configs if c["id"] not in managed]
    return program(free, stripe_account=account, managed=managed)


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        client = _client(args)
        account = client.account_for(None)
        if args.command == "list":
            text = _list(client, account, args)
        else:
            text = _export(client, account, args)
    except PortalApiError as exc:
        print(f"{PROG}: error: {exc}", file=sys.stderr)
        return 1
    if getattr(args, "output", None):
        Path(args.output).write_text(text)
        print(f"{PROG}: wrote {args.output}", file=sys.stderr)
    else:
        print(text.rstrip("\n"))
    return 0


if __name__ == "__main__":
    sys.exit(main())

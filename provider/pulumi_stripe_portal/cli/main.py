"""``stripe-portal``: list an account's portal configurations, export them as a program,
explain what a plan changes for customers.

It sits beside the provider on the same client and models: the same settings (flags, then
``STRIPE_API_KEY``, ``STRIPE_API_BASE``, ``STRIPE_ACCOUNT``), the same one-line errors, and
never the key in its output. Every command only reads; ``explain`` works without a key.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, NoReturn

from ..explain.explanation import explain_live, explain_plan
from ..explain.offers import Offers
from ..explain.plan import PlanError, parse
from ..explain.render import FORMATS, NOTHING, render
from ..ownership import owner_of
from ..stripe_api.client import PortalApiError, PortalClient, Settings
from ..stripe_api.guards import key_mode
from .export import program
from .render_program import LANGUAGES

PROG = "stripe-portal"


class _Parser(argparse.ArgumentParser):
    """Usage errors as one line on stderr (exit 2), like every other error here."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{PROG}: error: {message}\n")


def _parser() -> argparse.ArgumentParser:
    common = _Parser(add_help=False)
    common.add_argument("--api-key", help="Stripe key (default: STRIPE_API_KEY)")
    common.add_argument("--api-base", help="API address, e.g. the emulator (STRIPE_API_BASE)")
    common.add_argument(
        "--stripe-account", help="a Connect account, acct_... (default: STRIPE_ACCOUNT)"
    )
    parser = _Parser(prog=PROG, description="Stripe customer portal configurations, for Pulumi.")
    commands = parser.add_subparsers(dest="command", required=True)
    listing = commands.add_parser(
        "list", parents=[common], help="a table of the account's configurations"
    )
    listing.add_argument("--all", action="store_true", help="inactive ones too")
    listing.add_argument("--json", action="store_true", help="JSON instead of a table")
    export = commands.add_parser(
        "export",
        parents=[common],
        help="a Pulumi program (Python, YAML, TypeScript or Go) that adopts configurations",
        description="Write a Pulumi program that adopts the account's configurations, each "
        "declaring only what differs from Stripe's defaults, so that `pulumi up` changes "
        "nothing but the ownership marker. Python uses the pulumi_stripe_portal package; "
        "YAML, TypeScript and Go use the provider plugin and its generated SDKs.",
    )
    export.add_argument(
        "--id", action="append", dest="ids", metavar="bpc_...", help="only these (repeatable)"
    )
    export.add_argument("--all", action="store_true", help="inactive ones too")
    export.add_argument(
        "--language",
        choices=list(LANGUAGES),
        default="python",
        help="the program's language: python (__main__.py, the default), yaml (Pulumi.yaml), "
        "typescript (index.ts) or go (main.go)",
    )
    export.add_argument("-o", "--output", metavar="FILE", help="write here, not to stdout")
    explain = commands.add_parser(
        "explain",
        parents=[common],
        help="what a `pulumi preview --json` plan changes for customers",
    )
    explain.add_argument(
        "plan", nargs="?", metavar="PLAN", help="the preview's JSON file, or - for stdin (default)"
    )
    explain.add_argument("--format", choices=FORMATS, default="markdown", help="default: markdown")
    explain.add_argument(
        "--id",
        action="append",
        dest="ids",
        metavar="bpc_...",
        help="a live configuration instead of a plan (repeatable)",
    )
    explain.add_argument(
        "--default", action="store_true", help="the account's default configuration, live"
    )
    explain.add_argument("-o", "--output", metavar="FILE", help="write here, not to stdout")
    return parser


def _settings(args: argparse.Namespace) -> Settings:
    flags = {
        "stripe:apiKey": args.api_key,
        "stripe:apiBase": args.api_base,
        "stripe:stripeAccount": args.stripe_account,
    }
    settings = Settings.from_config(flags.get)
    if settings.mode is None:
        # Every command only reads: a live key needs no opt-in here (STRIPE_MODE still guards).
        settings = replace(settings, mode=key_mode(settings.api_key))
    return settings


def _client(args: argparse.Namespace) -> PortalClient:
    return PortalClient(_settings(args))


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
        return program(configs, stripe_account=account, language=args.language)
    filters = {} if args.all else {"active": True}
    configs = list(client.list_configurations(account, **filters))
    configs.reverse()  # oldest first, so the program reads in the order they were made
    # Configurations a stack already manages stay with it (name them with --id to override).
    managed = {c["id"]: owner for c in configs if (owner := owner_of(c))}
    free = [c for c in configs if c["id"] not in managed]
    return program(free, stripe_account=account, managed=managed, language=args.language)


def _read_plan(name: str | None) -> tuple[str, str]:
    """The plan's text and how to name it in an error."""
    if name in (None, "-"):
        return sys.stdin.read(), "standard input"
    try:
        return Path(name).read_text(encoding="utf-8"), name
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise PlanError(f"cannot read {name}: {reason}") from None


def _live(client: PortalClient, account: str | None, args: argparse.Namespace) -> list[dict]:
    """The configurations ``--default`` and ``--id`` name, as Stripe holds them now."""
    configs = []
    if args.default:
        found = client.default(account)
        if found is None:
            raise PortalApiError("the account has no default billing portal configuration")
        configs.append(found)
    for config_id in dict.fromkeys(args.ids or []):
        found = client.retrieve(config_id, account)
        if found is None:
            raise PortalApiError(f"no such billing portal configuration: {config_id!r}")
        configs.append(found)
    return configs


def _explain(args: argparse.Namespace) -> str:
    live = bool(args.ids or args.default)
    if live and args.plan is not None:
        raise PlanError("give a PLAN or --id/--default, not both")
    settings = _settings(args)
    # Without a key a plan is still explained, its prices named as declared.
    client = PortalClient(settings) if settings.api_key or live else None
    offers, account = Offers(client), settings.stripe_account
    if live:
        assert client is not None  # PortalClient refuses to exist without a key
        return render(explain_live(_live(client, account, args), offers, account), args.format)
    text, source = _read_plan(args.plan)
    explanation = explain_plan(parse(text, source), offers, account)
    if not explanation.portals and args.format == "json":
        print(f"{PROG}: {NOTHING[0].lower()}{NOTHING[1:]}", file=sys.stderr)
    return render(explanation, args.format)


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "explain":
            text = _explain(args)
        else:
            client = _client(args)
            account = client.account_for(None)
            if args.command == "list":
                text = _list(client, account, args)
            else:
                text = _export(client, account, args)
    except (PortalApiError, PlanError) as exc:
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

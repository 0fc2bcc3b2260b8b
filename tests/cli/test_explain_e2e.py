"""``stripe-portal explain`` on real previews: the real engine (``pulumi preview --json``)
against the emulator, then the command line as a user runs it, in all three formats.

One program is edited step by step (explain_project/: one portal per entry of
portals.json) and applied between the steps, so each preview is of a real stack: a create
(with an adopted default), the change the issue names (cancellation mode, a plan added by
lookup key, metadata), a metadata-only change, a change of every feature, a lookup key moved
to another price together with a replace, and two removed portals, one of them the account's
default. The Markdown of each is compared with a golden file (``UPDATE_GOLDEN=1`` rewrites
them); configuration ids, which the emulator draws at random, read ``bpc_ID`` there.
"""

from __future__ import annotations

import copy
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import stripe
import yaml

from pulumi_stripe_portal.emulator import Emulator

from support.cli import run_cli

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "engine"))
from harness import REPO_ROOT, PulumiWorkspace  # noqa: E402

pytestmark = pytest.mark.engine

HERE = Path(__file__).resolve().parent
GOLDEN = HERE / "golden"
CATALOG = HERE / "catalog.json"
KEY = "sk_test_explainE2eKey0123456789"
INTERNAL = ("_owner", "_declared", "__provider", "pulumi_owner", "_lookup_prices")
PRICES = ("GET", "/v1/prices")

MAIN: dict[str, Any] = {
    "name": "Customer portal",
    "default_return_url": "https://example.com/account",
    "business_profile": {
        "headline": "Manage your plan",
        "privacy_policy_url": "https://example.com/privacy",
        "terms_of_service_url": "https://example.com/terms",
    },
    "login_page": {"enabled": True},
    "metadata": {"team": "billing", "tier": "standard"},
    "features": {
        "customer_update": {"enabled": True, "allowed_updates": ["email", "address"]},
        "invoice_history": {"enabled": True},
        "payment_method_update": {"enabled": True},
        "subscription_cancel": {
            "enabled": True,
            "mode": "at_period_end",
            "cancellation_reason": {"enabled": True, "options": ["too_expensive", "unused"]},
        },
        "subscription_update": {
            "enabled": True,
            "default_allowed_updates": ["price"],
            "proration_behavior": "create_prorations",
            "products": [
                {"product": "prod_basic", "lookup_keys": ["basic_monthly", "basic_yearly"]},
                {"product": "prod_pro", "lookup_keys": ["pro_monthly", "pro_yearly"]},
            ],
        },
    },
}
LEGACY: dict[str, Any] = {
    "name": "Legacy portal",
    "features": {"invoice_history": {"enabled": True}, "payment_method_update": {"enabled": True}},
}
DASHBOARD: dict[str, Any] = {
    "adopt": "default",
    "features": {"invoice_history": {"enabled": True}},
}


def normalized(text: str) -> str:
    """Configuration ids are the emulator's random draws: ``bpc_ID`` in golden files."""
    return re.sub(r"bpc(\\?)_[A-Za-z0-9]+", r"bpc\1_ID", text)


def golden(name: str, text: str) -> None:
    path = GOLDEN / name
    text = normalized(text)
    if os.environ.get("UPDATE_GOLDEN"):
        path.write_text(text)
    assert path.is_file(), f"no golden file {path}: run with UPDATE_GOLDEN=1"
    assert text == path.read_text(), f"{name} differs from its golden file"


def clean(result: Any) -> str:
    """The command's output, after the checks every run must pass."""
    both = result.stdout + result.stderr
    assert result.returncode == 0, both
    assert "Traceback" not in both
    for name in INTERNAL:
        assert name not in both, name
    assert KEY not in both and KEY[-12:] not in both
    return str(result.stdout)


def explained(emu: Emulator, plan: Path, fmt: str, *, key: str | None = KEY) -> str:
    return clean(run_cli(emu, "explain", str(plan), "--format", fmt, key=key))


def as_json(emu: Emulator, plan: Path, key: str | None = KEY) -> dict[str, Any]:
    first = explained(emu, plan, "json", key=key)
    assert explained(emu, plan, "json", key=key) == first  # deterministic, byte for byte
    doc = json.loads(first)
    assert list(doc) == ["portals"]
    for portal in doc["portals"]:
        assert list(portal) == ["name", "urn", "op", "customers_get", "changes"]
        for setting in portal["customers_get"]:
            assert list(setting) == ["path", "value", "sentence"]
        for change in portal["changes"]:
            assert list(change) == ["path", "before", "after", "customers_see", "sentence"]
            assert isinstance(change["customers_see"], bool)
    return {p["name"]: p for p in doc["portals"]}


def three(
    emu: Emulator, plan: Path, golden_name: str | None = None, key: str | None = KEY
) -> tuple[str, dict[str, Any]]:
    """The plan explained in all three formats (the Markdown against its golden file): the
    text, and the JSON's portals by name. The formats say the same sentences."""
    markdown = explained(emu, plan, "markdown", key=key)
    if golden_name:
        golden(golden_name, markdown)
    text = explained(emu, plan, "text", key=key)
    portals = as_json(emu, plan, key)
    for portal in portals.values():
        assert f"{portal['name']} ({portal['op']})" in text
        assert f"### `{portal['name']}` ({portal['op']})" in markdown
        for setting in portal["customers_get"]:
            assert setting["sentence"] in text
        for item in portal["changes"]:
            if portal["op"] != "delete" and not (
                portal["op"] == "create" and item["customers_see"]
            ):
                assert item["sentence"] in text, item
    return text, portals


def change(portal: dict[str, Any], path: str) -> dict[str, Any]:
    found = [c for c in portal["changes"] if c["path"] == path]
    assert len(found) == 1, (path, [c["path"] for c in portal["changes"]])
    return found[0]


class Shop:
    """The edited program: a workspace whose portals.json each step rewrites."""

    def __init__(self, tmp_path: Path, emu: Emulator) -> None:
        self.emu = emu
        self.tmp = tmp_path
        self.ws = PulumiWorkspace(
            HERE / "explain_project",
            tmp_path / "ws",
            stack="dev",
            extra_env={"STRIPE_API_BASE": emu.url, "STRIPE_API_KEY": KEY},
        )
        self.ws.stack_init("dev")
        self.n = 0

    def preview(self, portals: dict[str, Any]) -> Path:
        """``pulumi preview --json`` of these portals, saved as a file."""
        (self.ws.project_dir / "portals.json").write_text(json.dumps(portals, indent=2))
        self.n += 1
        plan = self.tmp / f"plan-{self.n}.json"
        plan.write_text(self.ws.preview("--json").stdout)
        return plan

    def up(self) -> None:
        self.ws.up()


def sdk(emu: Emulator) -> stripe.StripeClient:
    return stripe.StripeClient(KEY, base_addresses={"api": emu.url}, max_network_retries=0)


def test_explain_previews_of_an_edited_program(tmp_path: Path, emu: Emulator) -> None:
    emu.load_catalog(CATALOG)
    seeded = json.loads((REPO_ROOT / "examples" / "adopt" / "dashboard-default.json").read_text())
    emu.seed_default(seeded)
    shop = Shop(tmp_path, emu)
    try:
        _steps(shop, emu)
    finally:
        shop.ws.cleanup()


def _steps(shop: Shop, emu: Emulator) -> None:
    # 1. A create: two new portals and the account's default adopted.
    plan = shop.preview({"main": MAIN, "legacy": LEGACY, "dashboard": DASHBOARD})
    text, portals = three(emu, plan, "create.md")
    assert {p["op"] for p in portals.values()} == {"create"}
    assert change(portals["main"], "name")["customers_see"] is False
    assert "Customers can switch to Pro: $29.00 a month" in text
    shop.up()

    # 2. What the issue names: the cancellation mode, a plan added by lookup key, metadata.
    main = copy.deepcopy(MAIN)
    cancel = main["features"]["subscription_cancel"]
    cancel.update(mode="immediately", proration_behavior="create_prorations")
    main["features"]["subscription_update"]["products"].append(
        {"product": "prod_team", "lookup_keys": ["team_monthly"]}
    )
    main["metadata"]["tier"] = "premium"
    plan = shop.preview({"main": main, "legacy": LEGACY, "dashboard": DASHBOARD})
    emu.server.clear_counters()
    explained(emu, plan, "markdown")
    # With a key: five lookup keys in one batched list call, and their prices brought the
    # products along (the price ids the preview resolved are the ones the keys name).
    assert emu.route_counts == {PRICES: 1}
    emu.server.clear_counters()
    text, _ = three(emu, plan, "update-without-key.md", key=None)
    assert emu.request_count == 0  # without a key nothing is asked
    assert "prod_team: lookup key team_monthly" in text
    from_stdin = run_cli(emu, "explain", "-", key=KEY, stdin=plan.read_text())
    assert clean(from_stdin) == explained(emu, plan, "markdown")
    no_argument = run_cli(emu, "explain", "--format", "text", key=KEY, stdin=plan.read_text())
    assert clean(no_argument) == explained(emu, plan, "text")
    text, portals = three(emu, plan, "update.md")
    assert portals["main"]["op"] == "update"
    mode = change(portals["main"], "features.subscription_cancel.mode")
    assert (mode["before"], mode["after"], mode["customers_see"]) == (
        "at_period_end",
        "immediately",
        True,
    )
    team = change(portals["main"], "features.subscription_update.products[prod_team]")
    assert team["customers_see"] is True
    assert team["sentence"] == "Customers can now switch to Team: $99.00 a month."
    tier = change(portals["main"], "metadata.tier")
    assert (tier["before"], tier["after"], tier["customers_see"]) == ("standard", "premium", False)
    assert set(portals) == {"main"}  # `preview --json` leaves unchanged resources out
    shop.up()

    # 3. Internal only: metadata and the name.
    internal = copy.deepcopy(main)
    internal["name"] = "Customer portal (2027)"
    internal["metadata"] = {"team": "billing-ops", "tier": "premium"}
    plan = shop.preview({"main": internal, "legacy": LEGACY, "dashboard": DASHBOARD})
    text, portals = three(emu, plan, "internal-only.md")
    assert "No change for customers." in text
    assert [c["customers_see"] for c in portals["main"]["changes"]] == [False, False]
    shop.up()

    # 4. Every feature at once, so each sentence of a change is seen through the engine.
    every = copy.deepcopy(internal)
    every["default_return_url"] = "https://example.com/billing"
    every["business_profile"] = {
        "headline": "Your plan, your way",
        "terms_of_service_url": "https://example.com/terms",
    }
    every["login_page"] = {"enabled": False}
    features = every["features"]
    features["customer_update"]["allowed_updates"] = ["email", "phone"]
    features["invoice_history"]["enabled"] = False
    features["payment_method_update"]["payment_method_configuration"] = "pmc_cards"
    features["subscription_cancel"]["cancellation_reason"]["options"] = ["too_expensive", "other"]
    features["subscription_pause"] = {
        "enabled": True,
        "duration": {
            "type": "interval_options",
            "interval_options": [{"interval": "month"}, {"interval": "week", "interval_count": 2}],
        },
    }
    update = features["subscription_update"]
    update.update(
        default_allowed_updates=["price", "quantity"],
        proration_behavior="always_invoice",
        billing_cycle_anchor="now",
        trial_update_behavior="continue_trial",
        schedule_at_period_end={"conditions": [{"type": "decreasing_item_amount"}]},
    )
    update["products"][0]["lookup_keys"] = ["basic_monthly"]
    update["products"][1]["adjustable_quantity"] = {"enabled": True, "maximum": 10}
    plan = shop.preview({"main": every, "legacy": LEGACY, "dashboard": DASHBOARD})
    _, portals = three(emu, plan, "every-feature.md")
    seen = {c["path"] for c in portals["main"]["changes"] if c["customers_see"]}
    for path in (
        "business_profile.headline",
        "business_profile.privacy_policy_url",
        "default_return_url",
        "login_page.enabled",
        "features.customer_update.allowed_updates",
        "features.invoice_history.enabled",
        "features.payment_method_update.payment_method_configuration",
        "features.subscription_cancel.cancellation_reason.options",
        "features.subscription_pause.enabled",
        "features.subscription_update.billing_cycle_anchor",
        "features.subscription_update.default_allowed_updates",
        "features.subscription_update.proration_behavior",
        "features.subscription_update.trial_update_behavior",
        "features.subscription_update.schedule_at_period_end.conditions",
        "features.subscription_update.products[prod_basic].lookup_keys",
        "features.subscription_update.products[prod_pro].adjustable_quantity.enabled",
        "features.subscription_update.products[prod_pro].adjustable_quantity.maximum",
    ):
        assert path in seen, path
    shop.up()

    # 5. A lookup key moved to a new price (Stripe's transfer_lookup_key), and a portal
    #    moved to a connected account, which replaces it.
    sdk(emu).v1.prices.update(
        "price_pro_m_2027", params={"lookup_key": "pro_monthly", "transfer_lookup_key": True}
    )
    legacy = {**LEGACY, "stripe_account": "acct_connectedShop01"}
    plan = shop.preview({"main": every, "legacy": legacy, "dashboard": DASHBOARD})
    _, portals = three(emu, plan, "moved-and-replaced.md")
    moved = change(
        portals["main"], "features.subscription_update.products[prod_pro].lookup_keys[pro_monthly]"
    )
    assert moved["sentence"] == (
        "Pro (pro_monthly) is now offered at $42.42 a month (until now: $29.00 a month)."
    )
    assert portals["legacy"]["op"] == "replace"
    assert change(portals["legacy"], "active")["after"] is False
    shop.up()

    # 6. Two portals removed: one is deactivated, the adopted default is left active.
    plan = shop.preview({"main": every})
    text, portals = three(emu, plan, "removed.md")
    assert portals["legacy"]["op"] == portals["dashboard"]["op"] == "delete"
    assert portals["legacy"]["customers_get"] == []
    assert change(portals["legacy"], "active")["after"] is False
    default = change(portals["dashboard"], "active")
    assert (default["after"], default["customers_see"]) == (True, False)
    assert "left active" in default["sentence"]
    assert "What customers keep:" in text
    shop.up()


def _example(
    emu: Emulator, tmp_path: Path, project: Path, name: str, **env: str
) -> tuple[PulumiWorkspace, Path]:
    ws = PulumiWorkspace(
        project,
        tmp_path / name,
        stack="dev",
        passphrase="demo",
        extra_env={"STRIPE_API_BASE": emu.url, **env},
    )
    ws.stack_init("dev")
    plan = tmp_path / f"{name}.json"
    plan.write_text(ws.preview("--json").stdout)
    return ws, plan


def test_explain_previews_of_the_examples(tmp_path: Path, emu: Emulator) -> None:
    emu.load_catalog(CATALOG)  # the multi-stack example's lookup keys too, and their products

    # multi-stack: plans by lookup key, resolved by the preview with the stack's own key.
    _, plan = _example(emu, tmp_path, REPO_ROOT / "examples" / "multi-stack", "multi")
    stack_key = "sk_test_devPlaceholderKey"  # the key encrypted in its Pulumi.dev.yaml
    text, _ = three(emu, plan, "multi-stack-create.md", key=stack_key)
    assert "Customers can switch to Basic: $9.00 a month or $90.00 a year." in text
    without, _ = three(emu, plan, key=None)
    assert "prod_basic: lookup key basic_monthly or lookup key basic_yearly" in without

    # quickstart (the root project): no plans at all.
    _, plan = _example(emu, tmp_path, _root_project(tmp_path), "quickstart", STRIPE_API_KEY=KEY)
    text, portals = three(emu, plan)
    assert "A cancellation takes effect at once" in text
    assert '"[TEST] Manage your subscription"' in text
    assert set(portals) == {"customer-portal"}

    # products-from-outputs: a price id the preview does not know yet.
    _, plan = _example(
        emu,
        tmp_path,
        REPO_ROOT / "examples" / "products-from-outputs",
        "outputs",
        STRIPE_API_KEY=KEY,
    )
    text, portals = three(emu, plan)
    assert "Customers can switch to Basic: $9.00 a month or $90.00 a year" in text
    assert "Pro: a price not known until pulumi up runs" in text
    assert set(portals) == {"catalog-owner", "upgrades-portal"}


def _root_project(tmp_path: Path) -> Path:
    """The root demo project (Pulumi.yaml, the dev stack, examples/quickstart), alone."""
    src = tmp_path / "root-src"
    (src / "examples" / "quickstart").mkdir(parents=True)
    for name in ("Pulumi.yaml", "Pulumi.dev.yaml"):
        (src / name).write_text((REPO_ROOT / name).read_text())
    quickstart = REPO_ROOT / "examples" / "quickstart" / "__main__.py"
    (src / "examples" / "quickstart" / "__main__.py").write_text(quickstart.read_text())
    return src


def test_the_workflow_explains_and_keeps_one_comment(tmp_path: Path, emu: Emulator) -> None:
    """The example workflow's pull-request job, run verbatim twice (two pushes): the job
    summary has the explanation, and the pull request has one comment, edited in place."""
    doc = yaml.safe_load((REPO_ROOT / "examples" / "github-actions" / "pulumi.yml").read_text())
    steps = [
        s["run"]
        for s in doc["jobs"]["preview"]["steps"]
        if any(word in s.get("run", "") for word in ("pulumi ", "stripe-portal", "gh api"))
    ]
    assert len(steps) == 3
    permissions = doc["jobs"]["preview"]["permissions"]
    assert permissions["pull-requests"] == "write"
    ws = PulumiWorkspace(
        _root_project(tmp_path),
        tmp_path / "ws",
        stack="dev",
        passphrase="demo",
        extra_env={"STRIPE_API_BASE": emu.url, "STRIPE_API_KEY": KEY},
    )
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    gh = bin_dir / "gh"
    fake = Path(__file__).resolve().parents[1] / "support" / "fake_gh.py"
    gh.write_text(f'#!/bin/sh\nexec "{sys.executable}" "{fake}" "$@"\n')
    gh.chmod(0o755)
    state = tmp_path / "github.json"
    marker = "<!-- stripe-portal explain -->"
    others = [
        {"id": 1, "repo": "acme/shop", "issue": 7, "user": "octocat", "body": f"{marker} mine"},
        {"id": 2, "repo": "acme/shop", "issue": 7, "user": "octocat", "body": "LGTM"},
        {"id": 3, "repo": "acme/shop", "issue": 8, "user": "github-actions[bot]", "body": marker},
    ]
    state.write_text(json.dumps({"comments": others}))
    summary = tmp_path / "summary.md"
    env = {
        **ws.env,
        "PATH": f"{bin_dir}{os.pathsep}{ws.env['PATH']}",
        "STACK": "dev",
        "GITHUB_STEP_SUMMARY": str(summary),
        "GITHUB_REPOSITORY": "acme/shop",
        "PR": "7",
        "GH_TOKEN": "ghs_placeholder",
        "FAKE_GH_STATE": str(state),
    }

    def push() -> None:
        for script in steps:
            proc = subprocess.run(
                ["bash", "-eo", "pipefail", "-c", script],
                cwd=ws.project_dir,
                env=env,
                capture_output=True,
                text=True,
                timeout=600,
            )
            assert proc.returncode == 0, proc.stdout + proc.stderr
            assert KEY not in proc.stdout + proc.stderr

    push()
    first = summary.read_text()
    assert first.startswith("## What changes for customers\n")
    assert "A cancellation takes effect at once" in first
    comments = json.loads(state.read_text())["comments"]
    [ours] = [c for c in comments if c["user"] == "github-actions[bot]" and c["issue"] == 7]
    assert ours["body"] == f"{marker}\n{first}"

    # A second push, with another headline: the same comment, edited.
    ws.config_set("stripe-portal-demo:headline", "Billing, simplified")
    push()
    calls = json.loads(state.read_text())["calls"]
    assert [m for m, _ in calls] == ["GET", "POST", "GET", "PATCH"]
    assert calls[-1][1] == f"repos/acme/shop/issues/comments/{ours['id']}"
    comments = json.loads(state.read_text())["comments"]
    assert [c["body"] for c in comments[:3]] == [c["body"] for c in others]  # left alone
    [ours] = [c for c in comments if c["user"] == "github-actions[bot]" and c["issue"] == 7]
    assert '"Billing, simplified"' in ours["body"]
    assert summary.read_text().count("## What changes for customers") == 2

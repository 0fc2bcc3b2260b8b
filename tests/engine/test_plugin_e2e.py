"""The provider plugin through the real engine: the Python path's guarantees from a YAML
program (language host pulumi-language-yaml, built by build-langhosts.sh), against the
emulator. The plugin, ``pulumi-resource-stripe-portal``, is the venv's console script."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest
import stripe

from languages import WRITERS, write_go, write_typescript, write_yaml
from pulumi_stripe_portal.emulator import Emulator
from pulumi_stripe_portal.lifecycle.params import exact_params
from pulumi_stripe_portal.lifecycle.validation import check_declaration

from harness import REPO_ROOT, TOOLS_BIN, VENV, PulumiWorkspace, kill_strays
from support.samples import DASHBOARD, full

pytestmark = pytest.mark.engine

KEY = "sk_test_pluginE2eKey0123456789"
PROJECT = "yaml-portal"
CREATE = ("POST", "/v1/billing_portal/configurations")
ITEM_POST = ("POST", "/v1/billing_portal/configurations/{id}")
PLUGIN = VENV / "bin" / "pulumi-resource-stripe-portal"


@pytest.fixture(scope="session", autouse=True)
def _language_hosts() -> None:
    """The three hosts and the node tools (cache hits after `make test` built them)."""
    for script in ("build-langhosts.sh", "node-tools/install.sh"):
        subprocess.run(
            ["bash", str(REPO_ROOT / "tests" / "engine" / script)],
            check=True,
            timeout=1800,
            stdout=subprocess.DEVNULL,
        )


def sdk(emu: Emulator) -> stripe.StripeClient:
    return stripe.StripeClient(KEY, base_addresses={"api": emu.url}, max_network_retries=0)


def stripe_holds(emu: Emulator, config_id: str) -> dict[str, Any]:
    return (
        sdk(emu)
        .v1.billing_portal.configurations.retrieve(
            config_id, params={"expand": ["features.subscription_update.products"]}
        )
        .to_dict(recursive=True)
    )


def holds_exactly(emu: Emulator, config_id: str, declared: dict[str, Any], owner: str) -> None:
    """Stripe holds the declaration, nothing more or less: an exact write would send nothing."""
    normalized, failures = check_declaration(declared)
    assert failures == []
    assert exact_params(stripe_holds(emu, config_id), normalized, owner) == {}
    assert stripe_holds(emu, config_id)["metadata"].get("pulumi_owner") == owner


LANGUAGES = ("yaml", "typescript", "go")


def stack(
    tmp_path: Path,
    emu: Emulator,
    name: str,
    portals: dict[str, Any],
    lang: str = "yaml",
    **outputs: str,
) -> PulumiWorkspace:
    """A stack of a program in ``lang`` declaring ``portals``, its key in stack config."""
    src = tmp_path / f"src-{name}"
    src.mkdir(parents=True, exist_ok=True)
    (src / "Pulumi.yaml").write_text(f"name: {PROJECT}\nruntime: {RUNTIMES[lang]}\n")
    ws = PulumiWorkspace(
        src, tmp_path / f"ws-{name}", stack=name, extra_env={"STRIPE_API_BASE": emu.url}
    )
    WRITERS[lang](ws.project_dir, PROJECT, portals, outputs)
    ws.stack_init(name)
    ws.config_set("stripe-portal:apiKey", KEY, secret=True)
    return ws


RUNTIMES = {"yaml": "yaml", "typescript": "nodejs", "go": "go"}


def redeclare(ws: PulumiWorkspace, portals: dict[str, Any], lang: str = "yaml", **outputs: str):
    WRITERS[lang](ws.project_dir, PROJECT, portals, outputs)


def output_of(result: Any) -> str:
    return result.stdout + result.stderr


@pytest.mark.parametrize("lang", LANGUAGES)
def test_exact_create_clean_preview_diff_and_unsets(
    tmp_path: Path, emu: Emulator, lang: str
) -> None:
    declared = full()
    ws = stack(
        tmp_path,
        emu,
        "dev",
        {"portal": declared},
        id="portal.id",
        url="portal.loginPage.url",
        mode="portal.features.subscriptionCancel.mode",
    )
    preview = ws.preview()
    assert "+ 2 to create" in preview.stdout
    assert emu.request_count == 0  # preview asks Stripe nothing
    ws.up()
    out = ws.stack_output()
    holds_exactly(emu, out["id"], declared, f"{PROJECT}/dev/portal")
    assert out["mode"] == "immediately"
    assert out["url"] == stripe_holds(emu, out["id"])["login_page"]["url"]
    ws.preview(expect_no_changes=True)

    # Unsets reach Stripe: a field, a block and a metadata key left out.
    smaller = full()
    del smaller["business_profile"]["headline"], smaller["name"], smaller["metadata"]["env"]
    del smaller["features"]["subscription_pause"]
    redeclare(ws, {"portal": smaller}, lang, id="portal.id")
    diff = ws.preview("--diff").stdout
    assert "~ stripe-portal:index:PortalConfiguration: (update)" in diff, diff
    assert "- headline" in diff and "- name" in diff and "- env" in diff, diff
    ws.up()
    now = stripe_holds(emu, out["id"])
    assert now["business_profile"]["headline"] is None and now["name"] is None
    assert now["metadata"] == {"team": "billing", "pulumi_owner": f"{PROJECT}/dev/portal"}
    assert now["features"]["subscription_pause"]["enabled"] is False
    holds_exactly(emu, out["id"], smaller, f"{PROJECT}/dev/portal")
    ws.preview(expect_no_changes=True)

    # The engine keeps the key: in state only as a secret.
    state = ws.run("stack", "export").stdout
    assert KEY not in state and KEY[-12:] not in state

    ws.destroy()
    assert stripe_holds(emu, out["id"])["active"] is False  # destroy deactivates


@pytest.mark.parametrize("lang", LANGUAGES)
def test_drift_seen_by_preview_refresh_and_put_back(
    tmp_path: Path, emu: Emulator, lang: str
) -> None:
    declared = {
        "business_profile": {"headline": "Ours"},
        "metadata": {"team": "billing"},
        "features": {"invoice_history": {"enabled": True}},
    }
    ws = stack(tmp_path, emu, "dev", {"portal": declared}, lang, id="portal.id")
    ws.up()
    config_id = ws.stack_output()["id"]
    sdk(emu).v1.billing_portal.configurations.update(
        config_id,
        params={
            "business_profile": {"headline": "Edited in the Dashboard"},
            "metadata": {"team": "", "extra": "x"},
            "features": {"customer_update": {"enabled": True, "allowed_updates": ["email"]}},
        },
    )
    drift = ws.preview("--refresh", "--diff").stdout
    assert "Edited in the Dashboard" in drift and "~ 1 to update" in drift, drift
    ws.up("--refresh")
    holds_exactly(emu, config_id, declared, f"{PROJECT}/dev/portal")
    ws.preview(expect_no_changes=True)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_undeclared_leaves_read_as_stripe_holds_them(
    tmp_path: Path, emu: Emulator, lang: str
) -> None:
    """A minimal program reads Stripe's values where it declares nothing (the plugin's
    outputs hold every leaf); a Dashboard edit there is drift, and refresh reads it."""
    ws = stack(
        tmp_path,
        emu,
        "dev",
        {"portal": {"features": {"invoice_history": {"enabled": True}}}},
        lang,
        id="portal.id",
        login="portal.loginPage.enabled",
        allowed="portal.features.customerUpdate.allowedUpdates",
        cancel="portal.features.subscriptionCancel.mode",
        proration="portal.features.subscriptionCancel.prorationBehavior",
        pause="portal.features.subscriptionPause.duration.intervalOptions",
        trial="portal.features.subscriptionUpdate.trialUpdateBehavior",
    )
    ws.up()
    out = ws.stack_output()
    assert out["login"] is False and out["allowed"] == []
    assert out["cancel"] == "at_period_end" and out["proration"] == "none"
    assert out["pause"] == [{"interval": "month", "intervalCount": 1}]
    assert out["trial"] == "end_trial"
    ws.preview(expect_no_changes=True)

    sdk(emu).v1.billing_portal.configurations.update(
        out["id"], params={"login_page": {"enabled": True}}
    )
    drift = ws.preview("--refresh", "--diff").stdout
    assert "~ 1 to update" in drift, drift
    ws.refresh()
    [state] = ws.resources("PortalConfiguration")
    assert state["outputs"]["loginPage"]["enabled"] is True
    ws.up()
    assert stripe_holds(emu, out["id"])["login_page"]["enabled"] is False  # put back
    assert ws.stack_output()["login"] is False
    ws.preview(expect_no_changes=True)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_adopt_the_default_and_refuse_another_stacks(
    tmp_path: Path, emu: Emulator, lang: str
) -> None:
    default = emu.seed_default(DASHBOARD)
    declared = {
        "adopt": "default",
        "name": "Ours",
        "features": {"invoice_history": {"enabled": True}},
    }
    first = stack(tmp_path, emu, "first", {"portal": declared}, lang, id="portal.id")
    up = first.up()
    assert f"adopted billing portal configuration {default['id']}" in output_of(up)
    assert emu.route_counts[CREATE] == 0  # adoption never creates
    holds_exactly(
        emu,
        default["id"],
        {k: v for k, v in declared.items() if k != "adopt"},
        f"{PROJECT}/first/portal",
    )
    first.preview(expect_no_changes=True)

    before = stripe_holds(emu, default["id"])
    writes = emu.route_counts[ITEM_POST]
    second = stack(tmp_path, emu, "second", {"portal": {**declared, "name": "Mine now"}}, lang)
    result = second.up(check=False)
    assert result.returncode != 0
    assert f"managed by '{PROJECT}/first/portal'" in output_of(result), output_of(result)
    assert emu.route_counts[ITEM_POST] == writes and stripe_holds(emu, default["id"]) == before

    destroy = first.destroy()
    assert "left active" in output_of(destroy)
    now = stripe_holds(emu, default["id"])
    assert now["active"] is True and now["is_default"] is True and now["metadata"] == {}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_mode_guard_refuses_before_any_request(tmp_path: Path, emu: Emulator, lang: str) -> None:
    ws = stack(tmp_path, emu, "prod", {"portal": {"features": {}}}, lang)
    ws.config_set("stripe-portal:mode", "live")
    result = ws.preview(check=False)
    assert result.returncode != 0
    assert "test-mode key" in output_of(result) or "mode" in output_of(result)
    assert "refused" in output_of(result), output_of(result)
    assert emu.request_count == 0


BAD_ENUM = {"features": {"subscriptionCancel": {"enabled": True, "mode": "soon"}}}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_bad_enum_or_type_is_refused_before_anything_runs(
    tmp_path: Path, emu: Emulator, lang: str
) -> None:
    """YAML type-checks against the schema; tsc refuses the enum; Go refuses a wrong type."""
    ws = stack(tmp_path, emu, "dev", {}, lang)
    if lang == "yaml":
        write_yaml(ws.project_dir, PROJECT, {}, raw={"portal": BAD_ENUM})
        expected = [
            "mode: soon",
            "stripe-portal:index:SubscriptionCancelMode",
            'AtPeriodEnd ("at_period_end"), Immediately ("immediately")',
        ]
    elif lang == "typescript":
        write_typescript(ws.project_dir, PROJECT, {}, raw={"portal": BAD_ENUM})
        expected = [
            "error TS2322: Type '\"soon\"' is not assignable to type",
            "SubscriptionCancelMode",
        ]
    else:
        write_go(
            ws.project_dir,
            PROJECT,
            {},
            raw_go=(
                "&stripeportal.PortalConfigurationArgs{Features: &stripeportal.FeaturesArgs{"
                'InvoiceHistory: &stripeportal.InvoiceHistoryArgs{Enabled: pulumi.String("yes")}}}'
            ),
        )
        expected = ['cannot use pulumi.String("yes")', "as pulumi.BoolInput value"]
    result = ws.preview(check=False)
    text = output_of(result)
    assert result.returncode != 0
    for part in expected:
        assert part in text, text
    assert emu.request_count == 0


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_pause_past_three_years_is_refused_at_preview(
    tmp_path: Path, emu: Emulator, lang: str
) -> None:
    option = {"interval": "day", "interval_count": 1096}
    pause = {
        "features": {
            "subscription_pause": {
                "enabled": True,
                "duration": {
                    "type": "interval_options",
                    "interval_options": [option],
                },
            }
        }
    }
    ws = stack(tmp_path, emu, "dev", {"portal": pause}, lang)
    result = ws.preview(check=False)
    text = output_of(result)
    assert result.returncode != 0
    assert "features.subscriptionPause.duration.intervalOptions[0].intervalCount" in text, text
    assert "at most 1095 for interval day" in text
    assert emu.request_count == 0


@pytest.mark.parametrize("lang", LANGUAGES)
def test_kill_during_create_then_up_leaves_exactly_one(
    tmp_path: Path, emu: Emulator, lang: str
) -> None:
    ws = stack(tmp_path, emu, "dev", {"portal": full()}, lang, id="portal.id")
    emu.set_latency(4.0)
    up = subprocess.Popen(
        [
            str(TOOLS_BIN / "pulumi"),
            "up",
            "--yes",
            "--skip-preview",
            "--non-interactive",
            "--cwd",
            str(ws.project_dir),
            "--stack",
            "dev",
        ],
        env=ws.env,
        cwd=ws.work_dir,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 120
        while emu.route_counts[CREATE] == 0:
            assert up.poll() is None and time.monotonic() < deadline, "no create was sent"
            time.sleep(0.05)
        os.killpg(up.pid, signal.SIGKILL)
    finally:
        up.wait(timeout=30)
        kill_strays(tmp_path)
    time.sleep(4.5)
    emu.set_latency(0.0)
    cancel = ws.run("cancel", "--yes", check=False)
    assert cancel.returncode == 0 or "no update" in output_of(cancel).lower()
    ws.up()
    owner = f"{PROJECT}/dev/portal"
    page = sdk(emu).v1.billing_portal.configurations.list(params={"limit": 100})
    configs = [c.to_dict(recursive=True) for c in page.data]
    mine = [c for c in configs if c["active"] and c["metadata"].get("pulumi_owner") == owner]
    assert len(mine) == 1 and mine[0]["id"] == ws.stack_output()["id"]
    ws.preview(expect_no_changes=True)


def test_the_plugin_started_by_hand_says_so_in_one_line() -> None:
    for args in ([], ["not-an-address"]):
        done = subprocess.run([str(PLUGIN), *args], capture_output=True, text=True, timeout=60)
        assert done.returncode == 2
        lines = done.stderr.strip().splitlines()
        assert len(lines) == 1 and "started by the engine" in lines[0], done.stderr
        assert done.stdout == ""


def test_pulumi_import_records_a_configuration_then_preview_is_clean(
    tmp_path: Path, emu: Emulator
) -> None:
    made = sdk(emu).v1.billing_portal.configurations.create(
        params={
            "name": "Made elsewhere",
            "business_profile": {"headline": "Hi"},
            "features": {"invoice_history": {"enabled": True}},
        }
    )
    ws = stack(tmp_path, emu, "dev", {})
    result = ws.run(
        "import",
        "--yes",
        "--generate-code=false",
        "--protect=false",
        "stripe-portal:index:PortalConfiguration",
        "portal",
        made.id,
    )
    assert "1 imported" in output_of(result) or "imported" in output_of(result), output_of(result)
    [portal] = [
        r
        for r in json.loads(ws.run("stack", "export").stdout)["deployment"]["resources"]
        if r["type"] == "stripe-portal:index:PortalConfiguration"
    ]
    assert portal["id"] == made.id
    assert portal["inputs"]["name"] == "Made elsewhere"
    redeclare(
        ws,
        {
            "portal": {
                "name": "Made elsewhere",
                "business_profile": {"headline": "Hi"},
                "features": {"invoice_history": {"enabled": True}},
            }
        },
    )
    ws.preview(expect_no_changes=True)


def test_the_yaml_example_up_then_clean_preview(tmp_path: Path, emu: Emulator) -> None:
    ws = PulumiWorkspace(
        REPO_ROOT / "examples" / "yaml",
        tmp_path / "ws",
        stack="dev",
        extra_env={"STRIPE_API_BASE": emu.url, "STRIPE_API_KEY": KEY},  # the key from the env
    )
    ws.stack_init("dev")
    ws.up()
    out = ws.stack_output()
    held = stripe_holds(emu, out["portalId"])
    assert held["name"] == "Customer portal (dev, YAML)"
    assert held["features"]["customer_update"]["allowed_updates"] == ["email", "address"]
    assert held["metadata"]["managed-by"] == "pulumi" and out["livemode"] is False
    assert out["loginUrl"] == held["login_page"]["url"]
    ws.preview(expect_no_changes=True)
    ws.destroy()


EXPORTED = {"yaml": "Pulumi.yaml", "typescript": "index.ts", "go": "main.go"}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_export_in_each_language_adopts_and_previews_clean(
    tmp_path: Path, emu: Emulator, lang: str
) -> None:
    every_field = full()
    every_field.pop("active")
    default = emu.seed_default(every_field)
    before = stripe_holds(emu, default["id"])
    ws = stack(tmp_path, emu, "dev", {}, lang)
    target = ws.project_dir / EXPORTED[lang]
    env = {**os.environ, "STRIPE_API_KEY": KEY, "STRIPE_API_BASE": emu.url}
    export = subprocess.run(
        [str(VENV / "bin" / "stripe-portal"), "export", "--language", lang, "-o", str(target)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert export.returncode == 0, export.stderr
    if lang == "yaml":  # the exported project's name; the stack is this test's
        target.write_text(target.read_text().replace("name: exported-portals", f"name: {PROJECT}"))
    up = ws.up()
    assert f"adopted billing portal configuration {default['id']}" in output_of(up), output_of(up)
    assert "0 field(s) changed" in output_of(up)
    now = stripe_holds(emu, default["id"])
    assert now["metadata"].pop("pulumi_owner").startswith(f"{PROJECT}/dev/")
    assert {**now, "updated": 0} == {**before, "updated": 0}  # nothing else changed
    assert emu.route_counts[CREATE] == 0
    ws.preview(expect_no_changes=True)

"""`pulumi up` killed with SIGKILL while Stripe is making the configuration, then the
documented recovery: exactly one active configuration, holding the declaration."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from pathlib import Path

import pytest
import stripe

from pulumi_stripe_portal.emulator import Emulator

from harness import (
    TOOLS_BIN,
    PulumiWorkspace,
    assert_refresh_changes_nothing,
    kill_strays,
)
from support.samples import full

pytestmark = pytest.mark.engine

KEY = "sk_test_crashE2eKey0123456789"
PROJECT = Path(__file__).resolve().parent / "adopt"
CREATE = ("POST", "/v1/billing_portal/configurations")
OWNER = "adopt-test/dev/portal"


def ours(emu: Emulator) -> list[dict]:
    sdk = stripe.StripeClient(KEY, base_addresses={"api": emu.url}, max_network_retries=0)
    page = sdk.v1.billing_portal.configurations.list(params={"limit": 100})
    configs = [c.to_dict(recursive=True) for c in page.data]
    return [c for c in configs if c["active"] and c["metadata"].get("pulumi_owner") == OWNER]


def test_kill_during_create_then_recover_leaves_exactly_one(tmp_path: Path, emu: Emulator):
    declaration = full()
    ws = PulumiWorkspace(
        PROJECT, tmp_path / "ws", stack="dev", extra_env={"STRIPE_API_BASE": emu.url}
    )
    ws.stack_init("dev")
    ws.config_set("stripe:apiKey", KEY, secret=True)
    ws.config_set("portals", json.dumps({"portal": declaration}))

    emu.set_latency(4.0)  # the window: Stripe has the request, the answer is not back yet
    up = subprocess.Popen(
        [str(TOOLS_BIN / "pulumi"), "up", "--yes", "--skip-preview", "--non-interactive"]
        + ["--cwd", str(ws.project_dir), "--stack", "dev"],
        env=ws.env,
        cwd=ws.work_dir,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its own process group: the CLI, the host and the provider
    )
    try:
        deadline = time.monotonic() + 120
        while emu.route_counts[CREATE] == 0:
            assert up.poll() is None, "pulumi up ended before it sent the create"
            assert time.monotonic() < deadline, "no create reached the emulator"
            time.sleep(0.05)
        os.killpg(up.pid, signal.SIGKILL)
    finally:
        up.wait(timeout=30)
        kill_strays(tmp_path)  # the host, program and provider outlive the killed group
    time.sleep(4.5)  # the emulator finishes the create nobody waits for any more
    emu.set_latency(0.0)
    orphan = ours(emu)
    assert len(orphan) == 1  # Stripe made it; the state does not know it yet

    # The documented recovery.
    cancel = ws.run("cancel", "--yes", check=False)
    assert cancel.returncode == 0 or "no update" in (cancel.stdout + cancel.stderr).lower()
    recovered = ws.up()
    print(recovered.stdout)
    [only] = ours(emu)
    assert only["id"] == orphan[0]["id"]
    assert ws.stack_output()["portal_id"] == only["id"]
    assert only["name"] == declaration["name"]
    ws.preview(expect_no_changes=True)
    assert_refresh_changes_nothing(ws)

"""End to end with the real engine: the CLI, the Python language host, the dynamic-provider
process, a file backend and the local emulator. Each example in examples/ runs here."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import stripe
import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
from pulumi_stripe_portal.emulator import Emulator  # noqa: E402

from harness import (  # noqa: E402
    REPO_ROOT,
    PulumiWorkspace,
    assert_refresh_changes_nothing,
    write_project,
)

pytestmark = pytest.mark.engine

EXAMPLES = REPO_ROOT / "examples"
TYPE = "pulumi-python:dynamic/stripe:PortalConfiguration"
KEY = "sk_test_e2eUniqueKeyValue4242"


def sdk(emu: Emulator, key: str = KEY) -> stripe.StripeClient:
    return stripe.StripeClient(key, base_addresses={"api": emu.url}, max_network_retries=0)


def held(emu: Emulator, config_id: str, key: str = KEY) -> dict:
    return (
        sdk(emu, key).v1.billing_portal.configurations.retrieve(config_id).to_dict(recursive=True)
    )


def root_project(tmp_path: Path) -> Path:
    """The root demo project (Pulumi.yaml + stack files + examples/quickstart), alone."""
    src = tmp_path / "root-src"
    (src / "examples").mkdir(parents=True)
    for name in ("Pulumi.yaml", "Pulumi.dev.yaml", "Pulumi.prod.yaml"):
        shutil.copy(REPO_ROOT / name, src / name)
    shutil.copytree(EXAMPLES / "quickstart", src / "examples" / "quickstart")
    return src


def workspace(project: Path, tmp_path: Path, emu: Emulator, stack: str, **env: str):
    return PulumiWorkspace(
        project,
        tmp_path / f"ws-{stack}",
        stack=stack,
        passphrase="demo",
        extra_env={"STRIPE_API_BASE": emu.url, **env},
    )


def test_root_project_whole_lifecycle(tmp_path: Path, emu: Emulator) -> None:
    ws = workspace(root_project(tmp_path), tmp_path, emu, "dev")
    ws.stack_init("dev")
    ws.config_set("stripe:apiKey", KEY, secret=True)

    preview = ws.preview()
    assert "+ 2 to create" in preview.stdout
    assert emu.request_count == 0  # preview sends nothing to Stripe

    ws.up()
    out = ws.stack_output()
    config_id = out["portal_id"]
    obj = held(emu, config_id)
    assert obj["name"] == "Customer portal (dev)"
    assert obj["features"]["subscription_cancel"]["mode"] == "immediately"
    assert out["login_url"] == obj["login_page"]["url"]

    ws.preview(expect_no_changes=True)
    assert_refresh_changes_nothing(ws)

    # Change a setting: updated in place, same id.
    ws.config_set("stripe-portal-demo:headline", "New headline")
    up = ws.up()
    assert "1 updated" in up.stdout
    assert ws.stack_output()["portal_id"] == config_id
    assert held(emu, config_id)["business_profile"]["headline"] == "New headline"
    ws.preview(expect_no_changes=True)

    # An edit made outside Pulumi: refresh shows it, up puts the declaration back.
    sdk(emu).v1.billing_portal.configurations.update(
        config_id,
        params={
            "name": "Edited in the Dashboard",
            "features": {"invoice_history": {"enabled": False}},
        },
    )
    refresh = ws.refresh()
    assert "1 updated" in refresh.stdout, refresh.stdout
    # A refresh that finds a change records new inputs as well (one that finds none keeps
    # the state as it was, inputs included: assert_refresh_changes_nothing).
    [drifted] = ws.resources(TYPE.split("/")[-1])
    assert drifted["inputs"]["name"] == "Edited in the Dashboard"
    assert drifted["inputs"]["features"]["invoice_history"] == {"enabled": False}
    drift = ws.preview("--diff", check=False)
    assert "Edited in the Dashboard" in drift.stdout
    assert "1 to update" in drift.stdout
    ws.up()
    restored = held(emu, config_id)
    assert restored["name"] == "Customer portal (dev)"
    assert restored["features"]["invoice_history"]["enabled"] is True
    ws.preview(expect_no_changes=True)

    # The state holds no API key, and the provider is pickled by reference.
    state_text = json.dumps(ws.export_state())
    assert KEY not in state_text
    assert "sk_test_" not in state_text
    [resource] = ws.resources(TYPE.split("/")[-1])
    assert resource["id"] == config_id
    assert "_declared" not in resource["outputs"]  # the outputs are the declared view
    state_file = next((ws.state_dir).rglob("dev.json"))
    assert KEY not in state_file.read_text()

    ws.destroy()
    assert held(emu, config_id)["active"] is False


def test_bad_declaration_fails_at_preview_and_sends_nothing(tmp_path: Path, emu: Emulator):
    src = write_project(
        tmp_path / "bad",
        "bad-portal",
        "from pulumi_stripe_portal import PortalConfiguration\n"
        "PortalConfiguration('p', features={'subscription_cancel': "
        "{'enabled': True, 'mode': 'whenever'}, 'invoice_history': {'enabled': 'yes'}})\n",
    )
    ws = workspace(src, tmp_path, emu, "dev", STRIPE_API_KEY=KEY)
    ws.stack_init("dev")
    result = ws.preview(check=False)
    assert result.returncode != 0
    output = result.stdout + result.stderr
    assert "features.subscription_cancel.mode" in output
    assert "at_period_end, immediately" in output
    assert "features.invoice_history.enabled" in output
    assert emu.request_count == 0


def test_a_pause_past_three_years_fails_at_preview(tmp_path: Path, emu: Emulator) -> None:
    """Stripe caps a pause at 1,095 days: 1,096 is refused by preview, naming the path and
    the limit, before any request; 1,095 passes preview and up."""
    program = (
        "from pulumi_stripe_portal import PortalConfiguration\n"
        "PortalConfiguration('p', features={'subscription_pause': {'enabled': True, "
        "'duration': {'type': 'interval_options', "
        "'interval_options': [{'interval': 'day', 'interval_count': DAYS}]}}})\n"
    )
    src = write_project(tmp_path / "pause", "pause-portal", program.replace("DAYS", "1096"))
    ws = workspace(src, tmp_path, emu, "dev", STRIPE_API_KEY=KEY)
    ws.stack_init("dev")
    result = ws.preview(check=False)
    output = result.stdout + result.stderr
    assert result.returncode != 0
    path = "features.subscription_pause.duration.interval_options[0].interval_count"
    assert path in output and "at most 1095 for interval day" in output, output
    assert emu.request_count == 0
    (ws.project_dir / "__main__.py").write_text(program.replace("DAYS", "1095"))
    ws.up()
    ws.preview(expect_no_changes=True)


def test_default_configuration_destroy_warns_in_cli_output(tmp_path: Path, emu: Emulator):
    emu.set_first_is_default(True)
    ws = workspace(root_project(tmp_path), tmp_path, emu, "dev", STRIPE_API_KEY=KEY)
    ws.stack_init("dev")
    ws.up()
    config_id = ws.stack_output()["portal_id"]
    assert held(emu, config_id)["is_default"] is True
    result = ws.destroy()
    assert "default configuration" in result.stdout, result.stdout
    assert config_id in result.stdout
    assert held(emu, config_id)["active"] is True
    assert ws.resources("PortalConfiguration") == []


def test_rejected_key_is_one_readable_line(tmp_path: Path) -> None:
    bad = "sk_test_notAcceptedByThisAccount99"
    with Emulator(port=0, api_keys=[KEY]) as emu:
        ws = workspace(root_project(tmp_path), tmp_path, emu, "dev", STRIPE_API_KEY=bad)
        ws.stack_init("dev")
        result = ws.up(check=False)
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "error: Stripe: Invalid API Key provided" in output
    assert "request id: req_" in output
    assert bad not in output


def test_multi_stack_example_keeps_stacks_isolated(tmp_path: Path, emu: Emulator) -> None:
    project = EXAMPLES / "multi-stack"
    emu.load_catalog(project / "catalog.json")  # its lookup keys' prices, test and live mode
    stacks = {}
    for name in ("dev", "staging", "prod"):
        ws = workspace(project, tmp_path, emu, name)
        ws.stack_init(name)
        ws.up()
        stacks[name] = (ws, ws.stack_output())
    ids = {name: out["portal_id"] for name, (_, out) in stacks.items()}
    assert len(set(ids.values())) == 3
    # Each stack used its own encrypted key: prod's live key lands in live mode.
    assert stacks["prod"][1]["livemode"] is True
    assert stacks["dev"][1]["livemode"] is False
    dev = held(emu, ids["dev"], "sk_test_devPlaceholderKey")
    staging = held(emu, ids["staging"], "sk_test_stagingPlaceholderKey")
    assert dev["features"]["subscription_cancel"]["mode"] == "immediately"
    assert staging["features"]["subscription_pause"]["duration"]["type"] == "interval_options"
    assert dev["metadata"] == {
        "stack": "dev",
        "tier": "sandbox",
        "pulumi_owner": "portal-multi-stack/dev/portal",  # the ownership marker
    }
    [state] = stacks["dev"][0].resources("PortalConfiguration")
    assert state["outputs"]["metadata"] == {"stack": "dev", "tier": "sandbox"}  # not shown
    # One declaration by lookup key: each mode got its own price ids.
    plans = {n: o["features"]["subscription_update"]["products"] for n, (_, o) in stacks.items()}
    assert [p["product"] for p in plans["prod"]] == ["prod_basic", "prod_pro"]
    assert plans["dev"] == plans["staging"] == plans["prod"]  # the keys, as declared
    prices = {n: ws.resources("PortalConfiguration")[0]["outputs"] for n, (ws, _) in stacks.items()}
    prices = {n: o["_lookup_prices"] for n, o in prices.items()}
    assert prices["dev"] == prices["staging"] and prices["prod"] != prices["dev"]
    # Destroying one stack leaves the others alone.
    stacks["dev"][0].destroy()
    assert held(emu, ids["dev"], "sk_test_devPlaceholderKey")["active"] is False
    assert held(emu, ids["staging"], "sk_test_stagingPlaceholderKey")["active"] is True
    for name in ("staging", "prod"):
        stacks[name][0].preview(expect_no_changes=True)
        assert_refresh_changes_nothing(stacks[name][0])
        stacks[name][0].destroy()


def test_products_from_outputs_example(tmp_path: Path, emu: Emulator) -> None:
    ws = workspace(EXAMPLES / "products-from-outputs", tmp_path, emu, "dev", STRIPE_API_KEY=KEY)
    ws.stack_init("dev")
    ws.preview()  # product ids are unknown here: no check failure
    ws.up()
    out = ws.stack_output()
    assert out["products"] == ["prod_basic", "prod_pro"]
    products = (
        sdk(emu)
        .v1.billing_portal.configurations.retrieve(
            out["portal_id"], params={"expand": ["features.subscription_update.products"]}
        )
        .to_dict(recursive=True)["features"]["subscription_update"]["products"]
    )
    assert {p["product"]: sorted(p["prices"]) for p in products} == {
        "prod_basic": ["price_basic_m", "price_basic_y"],
        "prod_pro": ["price_pro_m"],
    }
    ws.preview(expect_no_changes=True)
    ws.destroy()


def _workflow_script(job: str) -> str:
    doc = yaml.safe_load((EXAMPLES / "github-actions" / "pulumi.yml").read_text())
    steps = doc["jobs"][job]["steps"]
    return "\n".join(s["run"] for s in steps if "pulumi " in s.get("run", ""))


def test_github_actions_workflow_steps(tmp_path: Path, emu: Emulator) -> None:
    doc = yaml.safe_load((EXAMPLES / "github-actions" / "pulumi.yml").read_text())
    triggers = doc[True] if True in doc else doc["on"]  # YAML 1.1 reads `on` as true
    assert set(triggers) == {"pull_request", "push"}
    assert "secrets.STRIPE_API_KEY" in doc["env"]["STRIPE_API_KEY"]
    preview, up = _workflow_script("preview"), _workflow_script("up")
    assert "pulumi preview" in preview and "pulumi up" in up
    # Run the workflow's own pulumi steps, as a pull request and then a push to main would.
    ws = workspace(root_project(tmp_path), tmp_path, emu, "dev", STRIPE_API_KEY=KEY)
    env = {**ws.env, "STACK": "dev"}
    for script in (preview, up):
        proc = subprocess.run(
            ["bash", "-euo", "pipefail", "-c", script],
            cwd=ws.project_dir,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert proc.returncode == 0, proc.stdout + proc.stderr
    assert emu.request_count >= 1
    ws.destroy()


def test_every_field_through_the_engine_then_no_changes(tmp_path: Path, emu: Emulator) -> None:
    """Every leaf of the API tree survives the real engine's serialization and reaches Stripe."""
    sys.path.insert(0, str(REPO_ROOT / "tests"))
    from support.samples import full

    src = write_project(
        tmp_path / "full",
        "full-portal",
        "import json\nimport pulumi\n"
        "from pulumi_stripe_portal import PortalConfiguration\n"
        "p = PortalConfiguration('full', **json.load(open('full.json')))\n"
        "pulumi.export('portal_id', p.id)\n",
        {"full.json": json.dumps(full())},
    )
    ws = workspace(src, tmp_path, emu, "dev", STRIPE_API_KEY=KEY)
    ws.stack_init("dev")
    ws.up()
    config_id = ws.stack_output()["portal_id"]
    obj = (
        sdk(emu)
        .v1.billing_portal.configurations.retrieve(
            config_id, params={"expand": ["features.subscription_update.products"]}
        )
        .to_dict(recursive=True)
    )

    def leaves(value, path=""):
        if isinstance(value, dict):
            for key, item in value.items():
                yield from leaves(item, f"{path}.{key}" if path else key)
        else:
            yield path, value

    held_leaves = dict(leaves(obj))
    for path, value in leaves(full()):
        if isinstance(value, list) and value and isinstance(value[0], dict):
            continue  # lists of objects are compared whole below
        assert held_leaves.get(path) == value, path
    products = obj["features"]["subscription_update"]["products"]
    assert [p["product"] for p in products] == ["prod_basic", "prod_pro"]
    assert products[0]["adjustable_quantity"] == {"enabled": True, "minimum": 1, "maximum": 20}
    pause = obj["features"]["subscription_pause"]["duration"]["interval_options"]
    assert pause == [
        {"interval": "month", "interval_count": 1},
        {"interval": "week", "interval_count": 2},
    ]
    ws.preview(expect_no_changes=True)
    assert_refresh_changes_nothing(ws)
    ws.preview(expect_no_changes=True)
    ws.destroy()


def test_language_host_honours_the_virtualenv_option(tmp_path: Path) -> None:
    """A program whose venv is named only in Pulumi.yaml runs, with no venv on PATH."""
    src = tmp_path / "venv-option"
    src.mkdir()
    venv = os.path.relpath(REPO_ROOT / ".venv", src)
    (src / "Pulumi.yaml").write_text(
        f"name: venv-option\nruntime:\n  name: python\n  options:\n    virtualenv: {venv}\n"
    )
    (src / "__main__.py").write_text(
        "import sys\nimport pulumi\npulumi.export('python', sys.executable)\n"
    )
    ws = PulumiWorkspace(src, tmp_path / "ws", stack="dev", copy_project=False)
    ws.env["PATH"] = os.pathsep.join(
        p for p in ws.env["PATH"].split(os.pathsep) if not p.startswith(str(REPO_ROOT / ".venv"))
    )
    ws.env.pop("PULUMI_PYTHON_CMD", None)
    ws.stack_init("dev")
    ws.up()
    assert ws.stack_output()["python"].startswith(str(REPO_ROOT / ".venv"))

"""Smoke test of the real engine: up / preview --expect-no-changes / refresh / destroy.

The project in ``smoke/`` has one dynamic resource whose provider class lives in an
importable module (``smoke_provider.py``), the way this project's provider does.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import (  # noqa: E402
    PULUMI_VERSION,
    TOOLS_BIN,
    VENV_PYTHON,
    PulumiCommandError,
    PulumiWorkspace,
)

pytestmark = pytest.mark.engine

SMOKE = Path(__file__).resolve().parent / "smoke"
THING = "pulumi-python:dynamic/smoke:Thing"


@pytest.fixture()
def ws(tmp_path: Path) -> Iterator[PulumiWorkspace]:
    workspace = PulumiWorkspace(SMOKE, tmp_path, extra_env={"SMOKE_ENV_MARKER": "from-test"})
    yield workspace
    workspace.cleanup()  # leave nothing behind even when a test failed half-way


def test_engine_version(tmp_path: Path) -> None:
    out = PulumiWorkspace(SMOKE, tmp_path).run("version", stack=False).stdout.strip()
    assert out == PULUMI_VERSION
    assert (TOOLS_BIN / "pulumi-resource-pulumi-python").exists()


def test_up_preview_refresh_destroy(ws: PulumiWorkspace) -> None:
    ws.stack_init("smoke")
    ws.config_set("greeting", "hello from config")
    ws.config_set("label", "first")
    ws.config_set("secretThing", "s3cr3t-value", secret=True)

    up = ws.up()
    assert "+ 2 created" in up.stdout, up.stdout
    out = ws.stack_output()
    assert re.fullmatch(r"thing-[0-9a-f]{12}", out["thing_id"]), out
    assert out["label"] == "first"
    # configure() got the stack config in the provider process, keys `project:key`.
    assert out["greeting"] == "hello from config"
    # extra_env reaches the dynamic-provider process.
    assert out["env_marker"] == "from-test"
    assert out["stack"] == "smoke"

    # No drift: preview --expect-no-changes exits 0.
    ws.preview(expect_no_changes=True)
    ws.refresh(expect_no_changes=True)

    state = ws.export_state()
    (thing,) = [r for r in state["deployment"]["resources"] if r["type"] == THING]
    assert thing["id"] == out["thing_id"]
    # The provider is pickled by reference: small, and stored as a secret.
    provider = thing["inputs"]["__provider"]
    assert provider.get("4dabf18193072939515e22adb298388d") == "1b47061264138c4ac30d75fd1eb44270"
    assert "s3cr3t-value" not in str(state)

    # A config change is an in-place update that keeps the id.
    ws.config_set("label", "second")
    with pytest.raises(PulumiCommandError) as info:
        ws.preview(expect_no_changes=True)
    assert "~ 1 to update" in info.value.result.stdout
    ws.up()
    out2 = ws.stack_output()
    assert out2["thing_id"] == out["thing_id"]
    assert out2["label"] == "second"

    destroyed = ws.destroy()
    assert "- 2 deleted" in destroyed.stdout, destroyed.stdout
    assert ws.resources(THING) == []


def test_failure_message_has_command_output(ws: PulumiWorkspace) -> None:
    ws.stack_init("broken")
    with pytest.raises(PulumiCommandError) as info:
        ws.run("config", "get", "no-such-key")
    message = str(info.value)
    assert "config get no-such-key" in message
    assert "exit code" in message and "--- stderr ---" in message


def test_automation_api_inline_program(tmp_path: Path) -> None:
    """The Automation API's inline path works with only `pulumi` + the provider launcher."""
    import subprocess

    script = f"""
import sys
sys.path.insert(0, {str(SMOKE)!r})
import pulumi
from pulumi import automation as auto
from smoke_provider import Thing

def program():
    thing = Thing("thing", label="inline")
    pulumi.export("thing_id", thing.id)
    pulumi.export("label", thing.label)

stack = auto.create_or_select_stack(
    stack_name="inline", project_name="engine-smoke-inline", program=program,
    opts=auto.LocalWorkspaceOptions(work_dir={str(tmp_path)!r}),
)
up = stack.up()
assert up.outputs["label"].value == "inline", up.outputs
assert up.outputs["thing_id"].value.startswith("thing-")
stack.preview(expect_no_changes=True)
stack.destroy()
print("inline ok", up.outputs["thing_id"].value)
"""
    ws = PulumiWorkspace(SMOKE, tmp_path / "ws")  # for its offline environment only
    # The provider process runs in the workspace's work_dir (tmp_path), not in smoke/: the
    # module holding the provider class must be importable there (an installed package, as
    # pulumi_stripe_portal is, or PYTHONPATH).
    env = dict(ws.env, PULUMI_HOME=str(tmp_path / "home"), PYTHONPATH=str(SMOKE))
    proc = subprocess.run(
        [str(VENV_PYTHON), "-c", script],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, f"{proc.stdout}\n{proc.stderr}"
    assert "inline ok thing-" in proc.stdout


def test_project_without_venv_option_and_with_main_subdir(tmp_path: Path) -> None:
    """An examples/-style project that names no venv still runs with the repo venv."""
    src = tmp_path / "src"
    (src / "app").mkdir(parents=True)
    (src / "Pulumi.yaml").write_text("name: plain\nruntime: python\nmain: app/\n")
    (src / "app" / "__main__.py").write_text(
        "import sys\nimport pulumi\n"
        "pulumi.export('python', sys.executable)\n"
        "pulumi.export('project', pulumi.get_project())\n"
    )
    ws = PulumiWorkspace(src, tmp_path / "ws")
    pinned = (ws.project_dir / "Pulumi.yaml").read_text()
    assert "virtualenv: " + str(VENV_PYTHON.parent.parent) in pinned
    assert "main: app/" in pinned
    assert not (src / "Pulumi.plain.yaml").exists()
    ws.stack_init("plain")
    try:
        ws.up()
        out = ws.stack_output()
        assert out["project"] == "plain"
        assert Path(out["python"]).parent == VENV_PYTHON.parent
    finally:
        ws.cleanup()
    assert not list(src.glob("Pulumi.*.yaml")), "stack files must stay in the copy"

"""A stack written by the previous version keeps working: its state (``upgrade/fixture``,
written by make_fixture.py at the commit named in WRITTEN_BY) is imported as it was, with
the emulator's store of that run, and the current version previews, refreshes and updates
it."""

from __future__ import annotations

import json
import shutil
import sqlite3
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from pulumi_stripe_portal.emulator import Emulator  # noqa: E402

from harness import PulumiWorkspace, portal_states  # noqa: E402

pytestmark = pytest.mark.engine

HERE = Path(__file__).resolve().parent / "upgrade"
FIXTURE = HERE / "fixture"
KEY = "sk_test_upgradeFixtureKey4242"  # the fixture's; any test key of the same mode works


def restore_store(dump: Path, path: Path) -> None:
    """The emulator's SQLite store of the fixture's run, rebuilt from its text dump (its
    schema and rows, as make_fixture.py wrote them): no database file is tracked."""
    with sqlite3.connect(path) as db:
        for table in json.loads(dump.read_text()):
            db.execute(table["sql"])
            for row in table["rows"]:
                marks = ", ".join("?" * len(row))
                db.execute(f"INSERT INTO {table['name']} VALUES ({marks})", row)
    db.close()


def test_a_state_of_the_previous_version_keeps_working(tmp_path: Path) -> None:
    store = tmp_path / "emulator.sqlite"
    restore_store(FIXTURE / "emulator-store.json", store)
    project = tmp_path / "project"
    shutil.copytree(HERE / "project", project)
    shutil.copy(FIXTURE / "full.json", project / "full.json")
    with Emulator(port=0, state_file=str(store)) as emu:
        ws = PulumiWorkspace(
            project,
            tmp_path / "ws",
            stack="old",
            passphrase="upgrade",
            extra_env={"STRIPE_API_BASE": emu.url, "STRIPE_API_KEY": KEY},
        )
        ws.stack_init("old")
        shutil.copy(FIXTURE / "Pulumi.old.yaml", ws.project_dir / "Pulumi.old.yaml")  # its salt
        ws.run("stack", "import", "--file", str(FIXTURE / "state.json"))
        old = portal_states(ws)
        assert len(old) == 3 and all("_declared" in s["outputs"] for s in old)

        # No diff for the user: preview, then a refresh that finds nothing to change in Stripe.
        ws.preview(expect_no_changes=True)
        before = emu.request_count
        ws.refresh(expect_no_changes=True)
        reads = [r for r in emu.requests_since(before) if r.method == "GET"]
        assert len(reads) <= 2 and emu.request_count - before == len(reads)
        ws.preview(expect_no_changes=True)

        # The refresh wrote the current shape: the declared view, no second copy of it.
        new = portal_states(ws)
        assert all("_declared" not in s["outputs"] for s in new)
        assert [s["id"] for s in new] == [s["id"] for s in old]
        for was, now in zip(old, new, strict=True):
            assert now["inputs"] == was["inputs"]
            size = len(json.dumps(now["outputs"], separators=(",", ":")))
            assert size < len(json.dumps(was["outputs"], separators=(",", ":")))

        # And it goes on as any stack: an edit is one update, then no changes again.
        declared = json.loads((project / "full.json").read_text())
        declared["name"] = "Renamed after the upgrade"
        (ws.project_dir / "full.json").write_text(json.dumps(declared))
        up = ws.up()
        assert "1 updated" in up.stdout, up.stdout
        ws.preview(expect_no_changes=True)
        # The fixture's provider was a secret; the up recorded the bare class in plain text,
        # and showed no diff for the change.
        assert all(isinstance(s["inputs"]["__provider"], dict) for s in old)
        for state in portal_states(ws):
            assert isinstance(state["inputs"]["__provider"], str), state["inputs"]["__provider"]

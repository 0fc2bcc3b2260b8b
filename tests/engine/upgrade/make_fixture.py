"""Writes the upgrade fixture: a stack state and the emulator's store, both written by the
provider version checked out when this runs (so run it only at the commit being recorded).

    .venv/bin/python tests/engine/upgrade/make_fixture.py

Writes ``fixture/state.json`` (``pulumi stack export``), ``fixture/Pulumi.old.yaml`` (its
secrets salt) and ``fixture/emulator-store.json`` (the emulator's SQLite store as text);
test_upgrade_e2e.py reads them.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE.parents[1]))

from pulumi_stripe_portal.emulator import Emulator  # noqa: E402

from harness import PulumiWorkspace, ensure_engine  # noqa: E402
from support.samples import full  # noqa: E402

KEY = "sk_test_upgradeFixtureKey4242"
PASSPHRASE = "upgrade"
CATALOG = HERE.parents[2] / "examples" / "multi-stack" / "catalog.json"


def dump(store: Path) -> list[dict[str, object]]:
    """The store's schema and rows as text, so no database file is tracked."""
    with sqlite3.connect(store) as db:
        tables = db.execute("SELECT name, sql FROM sqlite_master WHERE sql IS NOT NULL")
        out: list[dict[str, object]] = []
        for name, sql in tables.fetchall():
            rows = [list(r) for r in db.execute(f"SELECT * FROM {name}")]
            out.append({"name": name, "sql": sql, "rows": rows if "TABLE" in sql else []})
    db.close()
    return out


def main() -> None:
    ensure_engine()
    out = HERE / "fixture"
    out.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        store = Path(tmp) / "emulator.sqlite"
        with Emulator(port=0, state_file=str(store), seed_default=True, catalog=CATALOG) as emu:
            emu.set_check_references(False)  # the full sample names made-up prices
            project = Path(tmp) / "project"
            shutil.copytree(HERE / "project", project)
            (project / "full.json").write_text(json.dumps(full()))
            ws = PulumiWorkspace(
                project,
                Path(tmp) / "ws",
                stack="old",
                passphrase=PASSPHRASE,
                extra_env={"STRIPE_API_BASE": emu.url, "STRIPE_API_KEY": KEY},
            )
            ws.stack_init("old")
            ws.up()
            ws.preview(expect_no_changes=True)
            (out / "state.json").write_text(json.dumps(ws.export_state(), indent=1) + "\n")
            shutil.copy(ws.project_dir / "Pulumi.old.yaml", out / "Pulumi.old.yaml")
            (out / "full.json").write_text(json.dumps(full(), indent=1) + "\n")
        (out / "emulator-store.json").write_text(json.dumps(dump(store), indent=1) + "\n")
    commit = subprocess.run(
        ["git", "rev-parse", "HEAD"], capture_output=True, text=True, check=True
    ).stdout.strip()
    (out / "WRITTEN_BY").write_text(f"pulumi-stripe-portal at commit {commit}\n")
    print(f"wrote {out}")


if __name__ == "__main__":
    main()

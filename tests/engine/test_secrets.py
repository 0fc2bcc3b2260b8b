"""The API key appears nowhere: one long, distinctive key, grepped for in everything.

Through the real engine and the emulator run as a subprocess with ``--verbose``: every
``pulumi`` command runs with ``--logtostderr -v=9``, including failing ones (a 500, a 400
from the emulator, a key the emulator rejects). Then the whole key and its last 12
characters (a partly masked leak) are searched for in the state files, ``pulumi stack
export`` (with and without ``--show-secrets``), every stack output, the pickled provider
(from the state, and a configured provider pickled again), all command output and engine
logs, the provider's error messages, the emulators' logs and every file the run left in its
work directory (project, backend, PULUMI_HOME, TMPDIR).
"""

from __future__ import annotations

import base64
import json
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import dill
import pytest
from pulumi.dynamic.dynamic import serialize_provider

sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import VENV_PYTHON, PulumiWorkspace  # noqa: E402
from support.driver import Driver  # noqa: E402

pytestmark = pytest.mark.engine

PROJECT = Path(__file__).resolve().parent / "secrets_project"
# Long and distinctive, letters and digits only (Stripe's key alphabet).
KEY = "sk_test_51CanaryQz7Xw3Vb9Nm2Lk5Jh8Gf4Ds6Ap1Qe0Rt7Yu3Io9Pa5Sd2Fg"
TAIL = KEY[-12:]
OTHER_KEY = "sk_test_theOnlyKeyThisEmulatorTakes0000"
VERBOSE = ("--logtostderr", "-v=9")


class EmulatorProcess:
    """``python -m pulumi_stripe_portal.emulator --verbose``; stdout and stderr in files."""

    def __init__(self, logs: Path, name: str, *args: str) -> None:
        self.out = logs / f"emulator-{name}.stdout"
        self.err = logs / f"emulator-{name}.stderr"
        cmd = [str(VENV_PYTHON), "-m", "pulumi_stripe_portal.emulator", "--port", "0"]
        with self.out.open("wb") as out, self.err.open("wb") as err:
            self.proc = subprocess.Popen([*cmd, "--verbose", *args], stdout=out, stderr=err)
        deadline = time.monotonic() + 30
        while "listening on" not in self.out.read_text():
            assert self.proc.poll() is None, self.err.read_text()
            assert time.monotonic() < deadline, "emulator did not start"
            time.sleep(0.05)
        self.url = self.out.read_text().split("listening on", 1)[1].split()[0]

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=10)


@pytest.fixture
def logs(tmp_path: Path) -> Path:
    path = tmp_path / "captured"
    path.mkdir()
    return path


@pytest.fixture
def emulators(logs: Path) -> Iterator[tuple[EmulatorProcess, EmulatorProcess]]:
    # The first answers 500 to its first request, refuses unknown products (400); the other
    # accepts only another key, so ours gets a 401 there.
    main = EmulatorProcess(logs, "main", "--error-count", "1", "--check-references")
    strict = EmulatorProcess(logs, "strict", "--api-key", OTHER_KEY)
    try:
        yield main, strict
    finally:
        main.stop()
        strict.stop()


@dataclass
class Sweep:
    """Named places searched, their bytes, and where the key (or its tail) was found."""

    places: dict[str, int] = field(default_factory=dict)
    hits: list[str] = field(default_factory=list)

    def search(self, name: str, data: bytes | str) -> None:
        blob = data.encode("utf-8", "replace") if isinstance(data, str) else data
        self.places[name] = self.places.get(name, 0) + len(blob)
        for needle, label in ((KEY, "key"), (TAIL, "tail")):
            count = blob.count(needle.encode())
            if count:
                self.hits.append(f"{name}: {count}× {label}")

    def search_tree(self, prefix: str, root: Path) -> None:
        for path in sorted(root.rglob("*")):
            if path.is_file() and not path.is_symlink():
                self.search(f"{prefix}/{path.relative_to(root)}", path.read_bytes())

    @property
    def size(self) -> int:
        return sum(self.places.values())


def without_engine_config(shown: str, export: str) -> str:
    """``--show-secrets`` export minus the one place the user asked to decrypt: the stack
    config the engine records for the dynamic provider (``pulumi:providers:pulumi-python``),
    which holds ``stripe:apiKey``. The plain export must hold it encrypted; checked here."""
    plain = {r["urn"]: r for r in json.loads(export)["deployment"]["resources"]}
    doc = json.loads(shown)
    for resource in doc["deployment"]["resources"]:
        if not resource["type"].startswith("pulumi:providers:"):
            continue
        for part in ("inputs", "outputs"):
            if "stripe:apiKey" in (resource.get(part) or {}):
                stored = plain[resource["urn"]][part]["stripe:apiKey"]
                assert isinstance(stored, dict) and "ciphertext" in stored, stored
                resource[part]["stripe:apiKey"] = "<secret stack config, decrypted on request>"
    return json.dumps(doc)


def test_the_api_key_is_nowhere(
    tmp_path: Path, logs: Path, emulators, capsys: pytest.CaptureFixture[str]
) -> None:
    main, strict = emulators
    sweep = Sweep()
    # Positive control: the sweep does find a leak, whole or partly masked.
    control = Sweep()
    control.search("control", f"key={KEY} masked=sk_test_****{TAIL}")
    assert control.hits == ["control: 1× key", "control: 2× tail"]

    ws = PulumiWorkspace(
        PROJECT, tmp_path / "ws", stack="canary", extra_env={"STRIPE_API_BASE": main.url}
    )
    (ws.work_dir / "tmp").mkdir()
    ws.env["TMPDIR"] = str(ws.work_dir / "tmp")
    ws.stack_init()
    ws.config_set("stripe:apiKey", KEY, secret=True)
    ws.config_set("stripe:maxNetworkRetries", "0")

    def record(label: str, *args: str, expect_ok: bool = True) -> str:
        result = ws.run(*args, check=False)
        text = f"$ pulumi {' '.join(args)}\n{result.stdout}\n{result.stderr}"
        (logs / f"{label}.txt").write_text(text)
        sweep.search(f"pulumi {label} ({' '.join(args[:1])} -v=9)", text)
        assert (result.returncode == 0) == expect_ok, text[-3000:]
        return text

    try:
        # A failing call: the emulator answers 500 to the first request.
        failed = record("up-500", "up", "--yes", "--skip-preview", *VERBOSE, expect_ok=False)
        assert "HTTP 500" in failed, failed[-3000:]
        up = record("up", "up", "--yes", "--skip-preview", *VERBOSE)
        assert "Configure()" in up and len(up) > 20_000  # -v=9 really logged provider calls
        record("preview", "preview", "--expect-no-changes", *VERBOSE)

        # Another: a 400 from the emulator (a product Stripe does not have).
        ws.config_set("secrets-canary:badProduct", "true")
        bad = record("up-400", "up", "--yes", "--skip-preview", *VERBOSE, expect_ok=False)
        assert "No such product" in bad and "HTTP 400" in bad, bad[-3000:]
        ws.config_set("secrets-canary:badProduct", "false")

        # And a rejected key: refresh against an emulator that takes only another key.
        ws.env["STRIPE_API_BASE"] = strict.url
        rejected = record(
            "refresh-401", "refresh", "--yes", "--skip-preview", *VERBOSE, expect_ok=False
        )
        assert "Invalid API Key" in rejected, rejected[-3000:]
        assert "sk_test_****" in rejected  # masked as Stripe masks it: last four at most
        ws.env["STRIPE_API_BASE"] = main.url
        record("refresh", "refresh", "--yes", "--skip-preview", *VERBOSE)

        # The state and everything read from it.
        export = ws.run("stack", "export").stdout
        sweep.search("pulumi stack export", export)
        shown = ws.run("stack", "export", "--show-secrets").stdout
        sweep.search("pulumi stack export --show-secrets", without_engine_config(shown, export))
        outputs = ws.run("stack", "output", "--json", "--show-secrets").stdout
        sweep.search("pulumi stack output --json --show-secrets", outputs)
        assert json.loads(outputs)["id"].startswith("bpc_")
        sweep.search("pulumi config", ws.run("config").stdout)

        # The pickled provider, as the state holds it and as a configured one pickles.
        pickles = [
            r["inputs"]["__provider"]
            for r in json.loads(shown)["deployment"]["resources"]
            if "__provider" in (r.get("inputs") or {})
        ]
        assert pickles
        for index, blob in enumerate(pickles):
            if isinstance(blob, dict):  # a secret, shown: {"<sig>": ..., "plaintext": json}
                blob = json.loads(blob["plaintext"])
            sweep.search(f"pickled provider in the state #{index}", base64.b64decode(blob))
        driver = Driver({"stripe:apiKey": KEY, "stripe:apiBase": main.url})
        assert driver.provider.operations.client is not None  # built, holding the key
        sweep.search("configured provider, dill.dumps", dill.dumps(driver.provider))
        sweep.search("configured provider, serialize_provider", serialize_provider(driver.provider))
        sweep.search(
            "provider repr",
            repr(driver.provider.operations.client) + repr(driver.provider.operations._settings),
        )

        record("destroy", "destroy", "--yes", "--skip-preview", *VERBOSE)
    finally:
        ws.env["STRIPE_API_BASE"] = main.url
        ws.cleanup()
        main.stop()
        strict.stop()

    # The emulators' own logs (request lines, errors) and every file the run left behind.
    assert "POST /v1/billing_portal/configurations" in main.err.read_text()
    assert "401" in strict.err.read_text()
    for log in (main.out, main.err, strict.out, strict.err):
        sweep.search(f"emulator log {log.name}", log.read_bytes())
    sweep.search_tree("files", ws.work_dir)

    (logs / "places.txt").write_text("".join(f"{n}\t{b}\n" for n, b in sweep.places.items()))
    names = "\n".join(sweep.places)
    for expected in ("files/state/.pulumi/stacks/", "files/project/Pulumi.canary.yaml"):
        assert expected in names, names
    line = (
        f"secrets sweep: {len(sweep.places)} places, {sweep.size:,} bytes searched for the "
        f"whole key and its last 12 characters: {len(sweep.hits)} hits"
    )
    with capsys.disabled():
        print("\n" + line)
    assert sweep.hits == [], "\n".join(sweep.hits)

"""The command line: starts, prints its URL once listening, serves, stops on SIGTERM."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest


def _run(cmd: list[str], tmp_path: Path) -> None:
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        m = re.fullmatch(r"stripe-portal-emulator listening on (http://127\.0\.0\.1:\d+)\n", line)
        assert m, line
        req = urllib.request.Request(
            m.group(1) + "/v1/billing_portal/configurations",
            data=b"features[invoice_history][enabled]=true",
            headers={"Authorization": "Bearer sk_test_cli"},
        )
        with urllib.request.urlopen(req, timeout=10) as resp:
            body = json.loads(resp.read())
        assert body["object"] == "billing_portal.configuration"
        assert body["is_default"] is True
    finally:
        proc.terminate()
        assert proc.wait(timeout=10) == 0
    assert (tmp_path / "s.db").exists()


def test_module_cli(tmp_path: Path) -> None:
    cmd = [sys.executable, "-m", "pulumi_stripe_portal.emulator", "--port", "0"]
    _run([*cmd, "--state", str(tmp_path / "s.db"), "--first-is-default"], tmp_path)


def test_console_script(tmp_path: Path) -> None:
    script = shutil.which("stripe-portal-emulator", path=str(Path(sys.executable).parent))
    if script is None:
        pytest.skip("console script not installed (reinstall the package)")
    _run([script, "--port", "0", "--state", str(tmp_path / "s.db"), "--first-is-default"], tmp_path)


def test_faults_from_the_command_line(tmp_path: Path) -> None:
    """--latency, and --rate-limit with --rate-limit-retry-after, as the manual says."""
    cmd = [sys.executable, "-m", "pulumi_stripe_portal.emulator", "--port", "0"]
    cmd += ["--latency", "0.3", "--rate-limit", "1", "--rate-limit-retry-after"]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None
        m = re.search(r"listening on (http://\S+)", proc.stdout.readline())
        assert m, "no listening line"
        req = urllib.request.Request(
            m.group(1) + "/v1/billing_portal/configurations",
            headers={"Authorization": "Bearer sk_test_cli"},
        )
        start = time.monotonic()
        with urllib.request.urlopen(req, timeout=10) as resp:
            assert resp.status == 200
        assert time.monotonic() - start >= 0.3
        with pytest.raises(urllib.error.HTTPError) as limited:
            urllib.request.urlopen(req, timeout=10)
        assert limited.value.code == 429
        assert limited.value.headers["Retry-After"] == "1"
        assert json.loads(limited.value.read())["error"]["code"] == "rate_limit"
    finally:
        proc.terminate()
        assert proc.wait(timeout=10) == 0


@pytest.mark.parametrize("option", ["--threads", "--keep-requests"])
@pytest.mark.parametrize(
    ("value", "why"), [("0", "must be at least 1, not 0"), ("x", "not a whole number: 'x'")]
)
def test_counts_must_be_positive(option: str, value: str, why: str) -> None:
    cmd = [sys.executable, "-m", "pulumi_stripe_portal.emulator", option, value]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert done.stderr.splitlines()[-1] == (
        f"stripe-portal-emulator: error: argument {option}: {why}"
    )

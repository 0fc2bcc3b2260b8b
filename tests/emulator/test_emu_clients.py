"""Stripe clients other than Python's against the emulator: curl, stripe-go and stripe-node.

stripe-go sends its POST bodies chunked, stripe-node with a Content-Length, both over
keep-alive connections; a recording relay in front of the emulator shows what they really
sent. stripe-go is built from the Go module proxy (stripe-go/build.sh) and stripe-node is
installed from the npm registry (stripe-node/install.sh), both cached outside the checkout.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import threading
from pathlib import Path

from emu_support import BASE, KEY, make_client

from pulumi_stripe_portal.emulator import Emulator

HERE = Path(__file__).resolve().parent
GO_BUILD = HERE / "stripe-go" / "build.sh"
NODE_INSTALL = HERE / "stripe-node" / "install.sh"


def curl(*args: str) -> subprocess.CompletedProcess[str]:
    exe = shutil.which("curl")
    assert exe, "curl is not installed (apt-get install curl)"
    cmd = [exe, "-sS", "-u", f"{KEY}:", "-H", "Transfer-Encoding: chunked", *args]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=30, check=True)


def test_curl_chunked_create_then_update_on_one_connection(emu: Emulator) -> None:
    created = json.loads(
        curl(
            "-d", "features[invoice_history][enabled]=true", "-d", "name=curl", emu.url + BASE
        ).stdout
    )
    assert created["name"] == "curl" and created["features"]["invoice_history"]["enabled"]
    item = f"{emu.url}{BASE}/{created['id']}"
    # two chunked POSTs in one curl run: the second reuses the connection (0 new connects)
    out = curl(
        *("-w", "%{http_code} %{num_connects}\n", "-d", "name=b"),
        *("-o", "/dev/null", item, "-o", "/dev/null", item),
    )
    assert out.stdout.split("\n")[:2] == ["200 1", "200 0"]
    got = make_client(emu).v1.billing_portal.configurations.retrieve(created["id"])
    assert got.name == "b" and got.features.invoice_history.enabled is True


class RecordingProxy:
    """A TCP relay in front of the emulator that keeps what clients send and counts their
    connections: shows that a client really sent chunked bodies over kept-alive connections."""

    def __init__(self, emu: Emulator) -> None:
        self.target = (emu.host, emu.port)
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.listener.getsockname()[1]}"
        self.sent = bytearray()
        self.connections = 0
        self.lock = threading.Lock()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            with self.lock:
                self.connections += 1
            upstream = socket.create_connection(self.target)
            threading.Thread(target=self._pump, args=(client, upstream, True), daemon=True).start()
            threading.Thread(target=self._pump, args=(upstream, client, False), daemon=True).start()

    def _pump(self, src: socket.socket, dst: socket.socket, record: bool) -> None:
        try:
            while data := src.recv(65536):
                if record:
                    with self.lock:
                        self.sent += data
                dst.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (src, dst):
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def close(self) -> None:
        self.listener.close()


def _setup(script: Path) -> Path:
    """Run a client's build or install script (a cache hit downloads nothing): its path."""
    proc = subprocess.run(
        ["bash", str(script)], capture_output=True, text=True, timeout=900, check=False
    )
    assert proc.returncode == 0, f"{script} failed:\n{proc.stderr}"
    return Path(proc.stdout.strip().splitlines()[-1])


def _run(cmd: list[str], emu: Emulator) -> tuple[list[str], RecordingProxy]:
    """Run a client through a recording relay; the steps it printed ("ok <step> ...")."""
    proxy = RecordingProxy(emu)
    env = {**os.environ, "STRIPE_BASE_URL": proxy.url, "STRIPE_API_KEY": KEY}
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=120, env=env)
    finally:
        proxy.close()
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return [line.split()[1] for line in proc.stdout.splitlines()], proxy


def test_stripe_go_creates_updates_retrieves_and_lists(emu: Emulator) -> None:
    steps, proxy = _run([str(_setup(GO_BUILD))], emu)
    assert steps == ["create", "replay", "create", "update", "retrieve", "list", "not-found"]
    # what stripe-go wrote is what the Python SDK reads
    listed = make_client(emu).v1.billing_portal.configurations.list().data
    assert sorted(c.name for c in listed) == ["go-first-renamed", "go-second"]
    first = next(c for c in listed if c.name == "go-first-renamed")
    assert first.metadata.to_dict() == {"client": "stripe-go", "step": "updated"}
    assert first.features.invoice_history.enabled is False
    assert first.features.customer_update.allowed_updates == ["email", "address"]
    counts = emu.route_counts
    assert counts[("POST", BASE)] == 3 and counts[("POST", BASE + "/{id}")] == 1
    # stripe-go sent its 4 POST bodies chunked, and its 8 requests over one connection
    assert bytes(proxy.sent).lower().count(b"transfer-encoding: chunked") == 4
    assert emu.request_count == 8 + 1 and proxy.connections == 1  # + the Python list above


def test_stripe_node_creates_retrieves_updates_and_lists(emu: Emulator) -> None:
    node = shutil.which("node")
    assert node, "node is not installed (Node.js 20 or later)"
    steps, proxy = _run([node, str(_setup(NODE_INSTALL))], emu)
    assert steps == [
        "create", "replay", "create", "update", "retrieve", "list", "not-found", "invalid"
    ]  # fmt: skip
    listed = make_client(emu).v1.billing_portal.configurations.list().data
    assert sorted(c.name for c in listed) == ["node-first-renamed", "node-second"]
    first = next(c for c in listed if c.name == "node-first-renamed")
    assert first.metadata.to_dict() == {"client": "stripe-node", "step": "updated"}
    assert first.features.invoice_history.enabled is False
    assert first.features.customer_update.allowed_updates == ["email", "address"]
    assert first.business_profile.headline == "Node client"
    counts = emu.route_counts
    assert counts[("POST", BASE)] == 4 and counts[("POST", BASE + "/{id}")] == 1
    # stripe-node framed its 5 POST bodies (the refused one too) with Content-Length
    sent = bytes(proxy.sent).lower()
    assert sent.count(b"post /v1/") == sent.count(b"\r\ncontent-length: ") == 5
    assert b"transfer-encoding" not in sent
    assert emu.request_count == 5 + 2 + 2 + 1  # POSTs, retrieves, list pages, the Python list
    assert proxy.connections < 10  # its agent kept connections alive

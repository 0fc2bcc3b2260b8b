"""Start and stop stripe-mock (Stripe's official API mock) on loopback for tests.

stripe-mock validates every request against the OpenAPI spec bundled in the pinned version
(unknown or mistyped parameters answer 400) but keeps no state: responses are fixtures.

Usage::

    with StripeMock.start() as mock:
        client = stripe.StripeClient("sk_test_abc", base_addresses={"api": mock.http_url})

Both listeners are bound to 127.0.0.1 (stripe-mock would otherwise serve HTTPS on every
interface). By default the kernel picks free ports (``127.0.0.1:``) and the helper reads the
chosen ones from stripe-mock's ``Listening for HTTP(S) at address:`` lines, so there is no
window in which another process can take a port picked in advance.
"""

from __future__ import annotations

import os
import re
import subprocess
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType

REPO_ROOT = Path(__file__).resolve().parents[2]
INSTALL_SCRIPT = REPO_ROOT / "tests" / "conformance" / "install-stripe-mock.sh"
TOOLS_BINARY = REPO_ROOT / ".tools" / "bin" / "stripe-mock"
TEST_API_KEY = "sk_test_abc"  # stripe-mock wants exactly two underscores in the key

_LISTEN_RE = re.compile(r"Listening for (HTTPS?) at address: (\S+)")


class StripeMockError(RuntimeError):
    """stripe-mock could not be installed or started."""


def ensure_installed(*, install: bool = True) -> Path:
    """Return the stripe-mock binary, running install-stripe-mock.sh when it is missing."""
    override = os.environ.get("STRIPE_MOCK_BIN")
    if override:
        path = Path(override)
        if not os.access(path, os.X_OK):
            raise StripeMockError(f"STRIPE_MOCK_BIN={override} is not an executable")
        return path
    if os.access(TOOLS_BINARY, os.X_OK):
        return TOOLS_BINARY
    if not install:
        raise StripeMockError(f"{TOOLS_BINARY} is missing; run {INSTALL_SCRIPT}")
    proc = subprocess.run(
        ["bash", str(INSTALL_SCRIPT)], capture_output=True, text=True, timeout=1800
    )
    if proc.returncode != 0 or not os.access(TOOLS_BINARY, os.X_OK):
        raise StripeMockError(
            f"{INSTALL_SCRIPT} failed (exit {proc.returncode}):\n{proc.stdout}\n{proc.stderr}"
        )
    return TOOLS_BINARY


@dataclass
class StripeMock:
    """A running stripe-mock process; use :meth:`start` (or the context manager)."""

    process: subprocess.Popen[str]
    http_url: str
    https_url: str
    _log: list[str] = field(default_factory=list, repr=False)
    _reader: threading.Thread | None = field(default=None, repr=False)

    @property
    def url(self) -> str:
        """Plain-HTTP base URL, e.g. ``http://127.0.0.1:40123`` (what the SDK tests use)."""
        return self.http_url

    @property
    def output(self) -> str:
        """Everything stripe-mock printed so far (it logs each request with -verbose)."""
        return "".join(self._log)

    @classmethod
    def start(
        cls,
        *,
        http_port: int = 0,
        https_port: int = 0,
        binary: Path | None = None,
        verbose: bool = False,
        timeout: float = 30.0,
    ) -> StripeMock:
        """Start stripe-mock on 127.0.0.1 and wait until it answers HTTP requests.

        Ports of 0 let the kernel choose free ones.
        """
        exe = binary or ensure_installed()
        args = [
            str(exe),
            "-http-addr",
            f"127.0.0.1:{http_port or ''}",
            "-https-addr",
            f"127.0.0.1:{https_port or ''}",
        ]
        if verbose:
            args.append("-verbose")
        proc = subprocess.Popen(
            args,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            text=True,
            bufsize=1,
        )
        log: list[str] = []
        addrs: dict[str, str] = {}
        ready = threading.Event()

        def read() -> None:
            assert proc.stdout is not None
            for line in proc.stdout:
                log.append(line)
                m = _LISTEN_RE.search(line)
                if m:
                    addrs[m.group(1)] = m.group(2)
                    if len(addrs) == 2:
                        ready.set()
            ready.set()  # EOF: the process is gone

        reader = threading.Thread(target=read, name="stripe-mock-output", daemon=True)
        reader.start()
        mock: StripeMock | None = None
        try:
            if not ready.wait(timeout) or len(addrs) < 2:
                raise StripeMockError(
                    "stripe-mock did not report both listen addresses "
                    f"(exit code {proc.poll()}):\n{''.join(log)}"
                )
            mock = cls(
                process=proc,
                http_url=f"http://{addrs['HTTP']}",
                https_url=f"https://{addrs['HTTPS']}",
                _log=log,
                _reader=reader,
            )
            mock._wait_until_answering(deadline=time.monotonic() + timeout)
            return mock
        except BaseException:
            _terminate(proc)
            raise

    def _wait_until_answering(self, *, deadline: float) -> None:
        req = urllib.request.Request(
            f"{self.http_url}/v1/customers?limit=1",
            headers={"Authorization": f"Bearer {TEST_API_KEY}"},
        )
        last: Exception | None = None
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise StripeMockError(f"stripe-mock exited early:\n{self.output}")
            try:
                with urllib.request.urlopen(req, timeout=2) as resp:
                    if resp.status == 200:
                        return
            except (urllib.error.URLError, OSError) as exc:
                last = exc
            time.sleep(0.1)
        raise StripeMockError(f"stripe-mock did not answer at {self.http_url}: {last}")

    def stop(self) -> None:
        """Stop the process (idempotent)."""
        _terminate(self.process)
        if self._reader is not None:
            self._reader.join(timeout=5)  # EOF once the process is gone
        if self.process.stdout is not None and not self._reader_alive():
            self.process.stdout.close()

    def _reader_alive(self) -> bool:
        return self._reader is not None and self._reader.is_alive()

    def __enter__(self) -> StripeMock:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


def _terminate(proc: subprocess.Popen[str]) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)

"""Fixtures of the conformance referees, and the coverage and agreement summary lines.

- ``stripe_mock``: one stripe-mock for the session (Stripe's official mock, loopback only);
- ``recorder``: a recording proxy in front of it, so the provider's real requests are seen;
- ``emulator`` (tests/conftest.py): our local Stripe, for the differential corpus.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from agreement import summary_line
from referees import RecordingProxy, coverage_line
from stripemock import StripeMock


@pytest.fixture(scope="session")
def stripe_mock() -> Iterator[StripeMock]:
    with StripeMock.start() as mock:
        yield mock


@pytest.fixture(scope="session")
def recorder(stripe_mock: StripeMock) -> Iterator[RecordingProxy]:
    proxy = RecordingProxy(stripe_mock.http_url).start()
    yield proxy
    proxy.stop()


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    for line in (coverage_line(), summary_line()):
        if line is not None:
            terminalreporter.write_line(line)

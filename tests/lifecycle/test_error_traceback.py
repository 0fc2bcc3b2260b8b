"""What the user reads under a Stripe refusal: the traceback the dynamic-provider SDK sends
the engine (``traceback.format_exc()`` in pulumi/dynamic/__main__.py ``_abort_with_traceback``)
stops at the provider method, whichever engine call failed. tests/engine/test_errors_e2e.py
shows the same through the real engine."""

from __future__ import annotations

import re
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from pulumi_stripe_portal.emulator import Emulator

from support.driver import KEY, PROVIDER_KEY, Driver
from support.keys import live_key
from support.samples import minimal

FRAME = re.compile(r'File "([^"]+)", line \d+, in (\S+)')


def sdk_report(call: Callable[[], Any]) -> str:
    """The text the SDK's ``_abort_with_traceback`` hands the engine when ``call`` raises
    (its module runs a server at import, so it is mirrored here, not imported)."""
    try:
        call()
    except Exception:
        return traceback.format_exc()
    raise AssertionError("no error")


def our_frames(report: str) -> list[tuple[str, str]]:
    """(file, function) of each frame in this package."""
    return [
        (Path(path).name, function)
        for path, function in FRAME.findall(report)
        if "pulumi_stripe_portal" in Path(path).parts
    ]


def assert_short(report: str, method: str) -> None:
    assert our_frames(report) == [("provider.py", method)], report
    assert (
        report.rstrip()
        .splitlines()[-1]
        .startswith("pulumi_stripe_portal.stripe_api.settings.PortalApiError")
    )
    assert "During handling" not in report and "direct cause" not in report
    assert KEY not in report


@pytest.fixture
def failing(emu: Emulator) -> Driver:
    """No retries, so one 500 from the emulator is one PortalApiError."""
    return Driver(
        {"stripe:apiKey": KEY, "stripe:apiBase": emu.url, "stripe:maxNetworkRetries": "0"}
    )


def test_create_refused_by_stripe(failing: Driver, emu: Emulator) -> None:
    inputs = failing.check(minimal())
    emu.set_server_errors(count=1)
    assert_short(sdk_report(lambda: failing.provider.create(inputs)), "create")


@pytest.mark.parametrize("method", ["read", "update", "delete"])
def test_calls_on_an_existing_configuration(failing: Driver, emu: Emulator, method: str) -> None:
    config_id, state = failing.create(minimal())
    news = failing.check({**minimal(), "name": "Renamed"})
    calls: dict[str, Callable[[], Any]] = {
        "read": lambda: failing.provider.read(config_id, state),
        "update": lambda: failing.provider.update(config_id, state, news),
        "delete": lambda: failing.provider.delete(config_id, state),
    }
    emu.set_server_errors(count=1)
    assert_short(sdk_report(calls[method]), method)


def test_check_that_asks_stripe(emu: Emulator) -> None:
    emu.set_account_id(KEY, "acct_sandboxOfAnotherTeam")
    driver = Driver({"stripe:apiKey": KEY, "stripe:apiBase": emu.url, "stripe:accountId": "acct_x"})
    news = {**minimal(), PROVIDER_KEY: "p"}
    assert_short(sdk_report(lambda: driver.provider.check({}, news)), "check")


def test_configure_refusal() -> None:
    key = live_key("tracebackKey4242")
    report = sdk_report(lambda: Driver({"stripe:apiKey": key}))
    assert_short(report, "configure")
    assert key not in report and key[8:] not in report


def test_a_bug_keeps_its_whole_traceback(failing: Driver, monkeypatch) -> None:
    """Only the errors phrased for the user are cut: anything else is ours to debug."""

    def broken(_props: dict[str, Any]) -> None:
        raise KeyError("bug")

    monkeypatch.setattr(failing.provider.operations, "create", broken)
    report = sdk_report(lambda: failing.provider.create({}))
    assert [function for _, function in FRAME.findall(report)][-2:] == ["create", "broken"]
    assert report.rstrip().endswith("KeyError: 'bug'")

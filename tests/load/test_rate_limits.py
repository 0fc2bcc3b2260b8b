"""Three stacks of 40 configurations applied at once against an emulator limited to 25
requests per second: all 120 land, nothing fails, and the wall time stays within 1.5x of
what the limit allows (120 / 25 s plus one stack's engine floor, measured here first).

Each stack is its own ``pulumi up`` process with its own workspace and file backend; all
three share the account. The floor is the same program with a do-nothing resource taking
the same inputs (tests/load/many, ``load:noop``). The emulator sends no Retry-After here:
the stacks spread out by jitter alone (test_client_rate_limits.py covers Retry-After).
Also printed, to tell the limit's cost from the machine's: three do-nothing stacks at once
(the engines alone compete for the CPU), and when the first and last request arrived.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest
import stripe

from pulumi_stripe_portal.emulator import Emulator

from harness import CommandResult, PulumiWorkspace

pytestmark = [pytest.mark.load, pytest.mark.engine]

PROJECT = Path(__file__).resolve().parent / "many"
TYPE = "pulumi-python:dynamic/stripe:PortalConfiguration"
KEY = "sk_test_loadKey7f3a9c"
STACKS = 3
PER_STACK = 40
LIMIT = 25  # requests per second
SLACK = 1.5  # allowed factor over what the limit allows


@dataclass
class Applied:
    stack: str
    seconds: float
    result: CommandResult


@pytest.fixture(scope="module")
def load_emu() -> Iterator[Emulator]:
    """An emulator of this module's own: the limit and counters are nobody else's."""
    with Emulator(port=0) as emu:
        yield emu


def workspace(tmp: Path, emu: Emulator, stack: str, *, noop: bool = False) -> PulumiWorkspace:
    ws = PulumiWorkspace(
        PROJECT,
        tmp / stack,
        stack=stack,
        extra_env={"STRIPE_API_BASE": emu.url, "STRIPE_API_KEY": KEY},
    )
    ws.stack_init()
    ws.config_set("load:count", str(PER_STACK))
    if noop:
        ws.config_set("load:noop", "true")
    return ws


def timed_up(ws: PulumiWorkspace) -> Applied:
    started = time.monotonic()
    result = ws.up(check=False)
    return Applied(ws.stack, time.monotonic() - started, result)


def up_all(stacks: list[PulumiWorkspace]) -> tuple[float, list[Applied]]:
    """`pulumi up` of every stack at once, each its own process; (wall seconds, each)."""
    started = time.monotonic()
    with ThreadPoolExecutor(len(stacks)) as pool:
        applied = list(pool.map(timed_up, stacks))
    return time.monotonic() - started, applied


def floors(tmp: Path, emu: Emulator) -> tuple[float, float]:
    """Do-nothing runs right before the real one, on the same (shared) machine: one stack
    (the bound's floor), then three at once (how much the engines alone slow each other)."""
    one = timed_up(workspace(tmp / "floor", emu, "floor", noop=True))
    three_wall, three = up_all(
        [workspace(tmp / "floor3", emu, f"floor{n}", noop=True) for n in range(1, STACKS + 1)]
    )
    for applied in (one, *three):
        assert applied.result.returncode == 0, applied.result.describe()
        assert f"+ {PER_STACK + 1} created" in applied.result.stdout, applied.result.stdout
    assert emu.request_count == 0  # a floor never reaches Stripe
    return one.seconds, three_wall


def listed(emu: Emulator) -> list[dict]:
    """Every configuration the account holds (read with the limit off)."""
    sdk = stripe.StripeClient(KEY, base_addresses={"api": emu.url}, max_network_retries=0)
    page = sdk.v1.billing_portal.configurations.list(params={"limit": 100})
    return [c.to_dict(recursive=True) for c in page.auto_paging_iter()]


def test_three_stacks_at_once_under_25_requests_per_second(
    tmp_path: Path, load_emu: Emulator, capsys: pytest.CaptureFixture[str]
) -> None:
    load_emu.reset()
    floor, floor3 = floors(tmp_path, load_emu)
    stacks = [workspace(tmp_path, load_emu, f"s{n}") for n in range(1, STACKS + 1)]
    load_emu.set_rate_limit(LIMIT)

    started = time.monotonic()
    wall, applied = up_all(stacks)
    requests, limited = load_emu.request_count, load_emu.rate_limited
    admitted = list(load_emu.server.admitted_at)
    load_emu.set_rate_limit(None)

    total = STACKS * PER_STACK
    bound = SLACK * (total / LIMIT + floor)
    failed = [a for a in applied if a.result.returncode != 0]
    errors = len(failed) + sum(a.result.stdout.count("error:") for a in applied)
    first, last = (admitted[0] - started, admitted[-1] - started) if admitted else (0.0, 0.0)
    with capsys.disabled():
        print(
            f"\n[load] {STACKS} stacks x {PER_STACK} at {LIMIT} req/s: requests {requests}, "
            f"429s {limited}, errors {errors}, wall {wall:.1f} s, bound {SLACK} x "
            f"({total}/{LIMIT} + floor {floor:.1f}) = {bound:.1f} s | stacks "
            f"{', '.join(f'{a.seconds:.1f}' for a in applied)} s; requests from +{first:.1f} "
            f"to +{last:.1f} s ({last - first:.1f} s, the limit allows {total / LIMIT:.1f}); "
            f"three do-nothing stacks at once {floor3:.1f} s"
        )

    assert not failed, "\n\n".join(a.result.describe() for a in failed)
    assert errors == 0
    assert limited > 0, "the limit never bit: this run proves nothing"
    assert requests == total + limited, "not one request per configuration (429s aside)"

    held = listed(load_emu)
    assert len(held) == total and all(c["active"] for c in held)
    names = {c["name"] for c in held}
    assert names == {f"s{n} portal {i}" for n in range(1, STACKS + 1) for i in range(PER_STACK)}
    for ws in stacks:
        ids = {r["id"] for r in ws.resources(TYPE)}
        assert len(ids) == PER_STACK
        assert ids <= {c["id"] for c in held}

    # The limit's own cost: from the first request to the last, within 1.5x of 120/25 s.
    assert last - first <= SLACK * total / LIMIT, f"requests took {last - first:.1f} s"
    # The bound. It assumes the three engines run side by side as fast as one does:
    # on a machine too busy for that, the do-nothing run of three stacks says so.
    assert wall <= bound, (
        f"wall {wall:.1f} s > bound {bound:.1f} s (three do-nothing stacks at once: "
        f"{floor3:.1f} s; requests from +{first:.1f} to +{last:.1f} s)"
    )

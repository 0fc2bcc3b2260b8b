"""Preview and Stripe agree: what ``check`` accepts, a create accepts, and what it refuses,
a create refuses.

The cases (agreement.py) are generated from the models' limits and the rule registry. Each
one goes through the provider's ``check_declaration`` (the verdict of ``pulumi preview``),
then, mapped by the provider's own ``create_params``, through the real stripe SDK over HTTP
to the emulator (Stripe's stand-in, which never reads the provider's models or rules) and
to stripe-mock (Stripe's official mock, for what its OpenAPI spec can say). A pause limit
that drifts on either side, a rule only one side knows, or a limit nobody sends fails here.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

import pytest
import stripe
from agreement import MOCK_UNCHECKED, TALLY, Case, cases, limits
from stripemock import TEST_API_KEY, StripeMock

from pulumi_stripe_portal.emulator import Emulator
from pulumi_stripe_portal.lifecycle.validation import check_declaration
from pulumi_stripe_portal.schema.models import API_VERSION
from pulumi_stripe_portal.schema.rules import RULES


@dataclass(frozen=True)
class Verdict:
    """Accepted or refused, and why (check's failures or Stripe's error)."""

    accepted: bool
    detail: str

    def __str__(self) -> str:
        word = "accepts" if self.accepted else "refuses"
        return f"{word} ({self.detail[:160]})" if self.detail else word


def checked(case: Case) -> Verdict:
    """check's verdict: what ``pulumi preview`` says of the declaration."""
    failures = check_declaration(case.declaration)[1]
    return Verdict(not failures, "; ".join(f"{path}: {reason}" for path, reason in failures))


def created(client: stripe.StripeClient, params: dict[str, Any]) -> Verdict:
    try:
        client.v1.billing_portal.configurations.create(params=params)
    except stripe.InvalidRequestError as exc:
        return Verdict(False, f"{exc.http_status} {exc.param}: {exc.user_message}")
    return Verdict(True, "")


def client_for(url: str) -> stripe.StripeClient:
    return stripe.StripeClient(
        TEST_API_KEY,
        stripe_version=API_VERSION,
        base_addresses={"api": url},
        max_network_retries=0,
    )


def report(rows: list[str], what: str) -> str:
    return f"{len(rows)} {what}:\n" + "\n".join(f"  {row}" for row in rows)


@pytest.fixture(scope="module")
def verdicts() -> list[tuple[Case, Verdict]]:
    return [(case, checked(case)) for case in cases()]


@pytest.fixture(scope="module")
def emulator_verdicts(emulator: Emulator, verdicts: list[tuple[Case, Verdict]]) -> list[Verdict]:
    emulator.reset()
    client = client_for(emulator.url)
    return [created(client, case.params) for case, _ in verdicts]


@pytest.fixture(scope="module")
def mock_verdicts(stripe_mock: StripeMock, verdicts: list[tuple[Case, Verdict]]) -> list[Verdict]:
    client = client_for(stripe_mock.http_url)
    return [created(client, case.params) for case, _ in verdicts]


def test_each_case_gets_the_verdict_it_was_built_for(
    verdicts: list[tuple[Case, Verdict]],
) -> None:
    """In bound passes check and out of bound fails it; a refused witness fails its rule
    alone (else the case would prove something other than what it names)."""
    rules = {rule.name: rule for rule in RULES}
    wrong = []
    for case, check in verdicts:
        failures = check_declaration(case.declaration)[1]
        rule = rules.get(case.source)
        if check.accepted != case.expect:
            wrong.append(f"{case.name}: built to be {case.expect}, check {check}")
        elif rule and not all(rule.reports(path) for path, _ in failures):
            wrong.append(f"{case.name}: fails other rules too: {check}")
    assert not wrong, report(wrong, "cases that miss their aim")


def test_the_emulator_agrees_with_check(
    verdicts: list[tuple[Case, Verdict]], emulator_verdicts: list[Verdict]
) -> None:
    disagree = [
        f"{case.name}: check {check}; emulator {emu}"
        for (case, check), emu in zip(verdicts, emulator_verdicts, strict=True)
        if check.accepted != emu.accepted
    ]
    TALLY["cases"] = len(verdicts)
    TALLY["emulator"] = len(verdicts) - len(disagree)
    assert not disagree, report(disagree, "disagreements between check and the emulator")


def test_stripe_mock_agrees_where_it_referees(
    verdicts: list[tuple[Case, Verdict]], mock_verdicts: list[Verdict]
) -> None:
    """Refereed cases must agree; an excluded case must really be one stripe-mock takes
    (if it starts refusing it, the exclusion is stale and the case should be refereed)."""
    disagree, stale = [], []
    refereed = 0
    for (case, check), mock in zip(verdicts, mock_verdicts, strict=True):
        if case.mock is None:
            refereed += 1
            if check.accepted != mock.accepted:
                disagree.append(f"{case.name}: check {check}; stripe-mock {mock}")
        elif not mock.accepted:
            stale.append(f"{case.name} ({case.mock}): stripe-mock {mock}")
    TALLY["mock"] = refereed
    TALLY["excluded"] = dict(Counter(case.mock for case in cases() if case.mock))
    assert not disagree, report(disagree, "disagreements between check and stripe-mock")
    assert not stale, report(stale, "exclusions stripe-mock now checks")
    assert set(TALLY["excluded"]) <= set(MOCK_UNCHECKED)


def test_every_limit_and_rule_has_cases_both_ways() -> None:
    """A new limit in the models or rule in the registry cannot be skipped silently: each
    needs a case it accepts and one it refuses, or a stated reason not to reach Stripe."""
    ways: dict[str, set[bool]] = {}
    for case in cases():
        ways.setdefault(case.source, set()).add(case.expect)
    missing = [
        f"{limit.kind} at {limit.path}"
        for limit in limits()
        if limit.not_sent() is None and ways.get(f"{limit.kind} {limit.path}") != {True, False}
    ]
    missing += [f"rule {rule.name!r}" for rule in RULES if ways.get(rule.name) != {True, False}]
    assert not missing, report(missing, "limits or rules without cases both ways")
    names = [case.name for case in cases()]
    assert len(names) == len(set(names)), "two cases share a name"

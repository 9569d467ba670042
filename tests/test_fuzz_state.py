"""The shared-state fuzz target (bench/fuzz_state.py, 10,000 messages and more) in the test
command: a few hundred hostile anonymous messages over LocMemCache, a real memcached and a
real Redis (tests/cache_servers.py). Every answer must be an expected status without a
traceback, the cache must stay within the bound the settings give, and alice's session
must survive with her log level and subscriptions, and get her update.

The last two tests break the endpoint on purpose (no budget, sessions served to anyone)
and check that the target notices: its assertions can fail."""

from __future__ import annotations

from typing import Any

import pytest

from bench.fuzz_state import BOUND, FOREIGN_SESSION, Report, run_fuzz
from tests.cache_servers import SharedCache

pytestmark = pytest.mark.django_db(transaction=True)

#: The test command sends this many; bench/fuzz_state.py sends 10,000.
MESSAGES = 400


def assert_clean(report: Report) -> None:
    assert report.ok, "\n" + report.table()


def test_hostile_traffic_keeps_the_shared_state_bounded(
    shared_cache_backend: SharedCache,
) -> None:
    report = run_fuzz(MESSAGES, seed=0)
    assert report.backend == shared_cache_backend.name
    assert_clean(report)
    assert sum(report.outcomes.values()) >= MESSAGES
    assert 0 < report.entries <= report.bound
    assert report.max_entry <= report.entry_cap
    assert report.alice["ping"] == 200
    assert report.alice["update delivered"] == ["drf://categories"]
    # The run went where it was meant to: past the anonymous budget, with anonymous
    # subscriptions accepted while they were allowed, and real streams opened.
    # (A run that crosses the top of an hour has two windows, each with its own budget of
    # STATE_WRITE_LIMIT: then 400 messages need not use them both up.)
    assert report.budget_used_up_at is not None or report.windows > 1, report.table()
    assert report.anonymous_subscribed > 0, report.table()
    assert report.long_lived_streams > 0, report.table()


def test_the_target_notices_state_without_a_budget(monkeypatch: pytest.MonkeyPatch) -> None:
    from drf_mcp_bridge.core import state

    def free(owner: str, entries: int = 1) -> None:
        return None

    monkeypatch.setattr(state, "charge", free)
    report = run_fuzz(300, seed=1, state_write_limit=5)
    assert BOUND in report.violations, report.table()


def test_the_target_notices_a_session_served_to_a_stranger(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from drf_mcp_bridge.core import sessions

    original = sessions.load

    def careless(session_id: str, owner: str) -> Any:
        facts = sessions._facts(session_id)
        return original(session_id, str(facts.get("o", ""))) if facts else None

    monkeypatch.setattr(sessions, "load", careless)
    report = run_fuzz(300, seed=2)
    assert FOREIGN_SESSION in report.violations, report.table()

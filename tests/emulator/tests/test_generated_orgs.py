# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesyscloud.cx contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Generated orgs look like real ones: mostly unset timeouts, fast backends behind them, some low timeouts
that their backends sometimes exceed, and execution histories of every size. Built in-process (no server)."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import math
import os

import pytest

from tests.emulator import world
from tests.emulator.harness import REPO_ROOT

NOW_MS = 1790000000000  # a fixed load time makes whole worlds comparable
DEMO_SEED = os.path.join(REPO_ROOT, "tests", "emulator", "seeds", "demo.json")


def _org(count, seed, **kwargs):
    return world.default_world(count, seed, now_ms=NOW_MS, **kwargs).orgs["demo"]


def _generated(org):
    """The generated custom and static actions (custom-auth ones are not part of the distribution)."""
    return [a for a in org.actions.values() if not a["id"].startswith("customAuth_")]


def _tier(action):
    timeout = action["config"].get("timeoutSeconds")
    if timeout is None:
        return "unset"
    if timeout <= 5:
        return "low"
    if timeout <= 15:
        return "middle"
    assert timeout >= 20, "no generated timeout between 16 and 19 s"
    return "high"


def _p99(durations):
    ordered = sorted(durations)
    return ordered[int(math.ceil(0.99 * len(ordered))) - 1]


@pytest.mark.parametrize("count,seed", [(300, 7), (130, 1), (1000, 3), (57, 5)])
def test_timeout_shares(count, seed):
    actions = _generated(_org(count, seed))
    assert len(actions) == count
    shares = {tier: sum(1 for a in actions if _tier(a) == tier) / count
              for tier in ("unset", "low", "middle", "high")}
    assert 0.55 <= shares["unset"] <= 0.65, shares
    assert 0.17 <= shares["low"] <= 0.23, shares
    assert 0.07 <= shares["middle"] <= 0.13, shares
    assert 0.07 <= shares["high"] <= 0.13, shares


@pytest.mark.parametrize("count,seed", [(300, 7), (1000, 3)])
def test_history_sizes(count, seed):
    org = _org(count, seed)
    sizes = [len(org.executions[a["id"]]) for a in _generated(org)]
    few = sum(1 for n in sizes if 0 < n < 30) / count
    none = sum(1 for n in sizes if n == 0) / count
    assert 0.08 <= few <= 0.15 and 0.03 <= none <= 0.08, (few, none)
    assert 0.10 <= few + none <= 0.20
    assert all(n == 0 or n < 30 or 40 <= n <= 500 for n in sizes)
    assert sum(sizes) / float(count) > 100, "busy enough to size timeouts from"


def test_backends_fit_their_timeouts():
    org = _org(1000, 3)
    actions = _generated(org)
    unset = [a for a in actions if _tier(a) == "unset"]
    fast_unset = [a for a in unset if org.backends[a["id"]]["latency_ms"] < 500]
    slow_unset = [a for a in unset if 2000 <= org.backends[a["id"]]["latency_ms"] <= 9000]
    assert len(fast_unset) + len(slow_unset) == len(unset)
    assert 0.8 <= len(fast_unset) / float(len(unset)) <= 0.95 and slow_unset
    # The collection's "oversized" case: an unset (60 s) action whose observed p99 is well under 1 s.
    for action in fast_unset:
        durations = list(org.executions[action["id"]].durations)
        if len(durations) >= 30:
            assert _p99(durations) < 1000, action["name"]

    low = [a for a in actions if _tier(a) == "low"]
    near, comfortable = [], []
    for action in low:
        latency, limit = org.backends[action["id"]]["latency_ms"], action["config"]["timeoutSeconds"] * 1000
        (near if latency >= 0.6 * limit else comfortable).append(action)
        if latency < 0.6 * limit:
            assert latency <= max(41, 0.3 * limit), "comfortably inside its timeout"
    assert 0.35 <= len(near) / float(len(low)) <= 0.65
    sometimes = 0
    for action in near:
        history = org.executions[action["id"]]
        timeouts = sum(1 for e in history.errors if world.ERROR_TYPES[e] == "timeout")
        sometimes += 0 < timeouts < len(history)
    assert sometimes >= len(near) // 4, "some low actions time out on some executions, not all"
    for action in comfortable:
        assert not any(world.ERROR_TYPES[e] == "timeout" for e in org.executions[action["id"]].errors)


@pytest.mark.parametrize("unset_timeout", [60, 1])
def test_slow_executions_are_cut_off_at_the_effective_timeout(unset_timeout):
    org = _org(300, 7, unset_timeout_seconds=unset_timeout)
    cut = 0
    for action in _generated(org):
        limit_ms = world.effective_timeout(action["config"], unset_timeout) * 1000
        for dummy, duration, error_type in org.executions[action["id"]].rows():
            assert duration <= limit_ms
            if error_type == "timeout":
                assert duration == limit_ms
                cut += 1
    assert cut > 0
    if unset_timeout == 1:
        unset_cut = sum(1 for a in _generated(org) if a["config"].get("timeoutSeconds") is None
                        for row in org.executions[a["id"]].rows() if row[2] == "timeout")
        assert unset_cut > 0, "a 1 s platform default cuts the unset actions' slower executions"


def test_seeded_moments_fall_in_the_window():
    org = _org(200, 2)
    start, end = world.history_window(NOW_MS)
    assert end == NOW_MS - 60 * 1000 and end - start == 6 * 24 * 3600 * 1000
    for history in org.executions.values():
        assert list(history.moments) == sorted(history.moments)
        assert all(start <= m < end for m in history.moments)


def test_generation_is_deterministic():
    first, again, other = _org(300, 7), _org(300, 7), _org(300, 8)
    assert first.actions == again.actions and first.backends == again.backends
    assert {a: h.rows() for a, h in first.executions.items()} == {a: h.rows() for a, h in again.executions.items()}
    assert first.actions != other.actions


def test_names_unique_and_the_old_hard_edges_kept():
    actions = list(_org(2000, 4).actions.values())
    names = [a["name"] for a in actions]
    assert len(names) == len(set(names))
    kinds = [a["id"].split("_-_")[0] for a in actions]
    assert kinds.count("static") >= 1 and kinds.count("customAuth") >= 1
    for action in actions:
        if action["id"].startswith("customAuth_"):
            assert "timeoutSeconds" not in action["config"]
    with_extra = sum(1 for a in actions if "retryPolicy" in a["config"])
    assert 0.15 <= with_extra / float(len(actions)) <= 0.35, "unknown config fields a PATCH must keep"


def test_demo_seed_orgs_follow_the_distribution():
    demo = world.load_seed_file(DEMO_SEED, 0, now_ms=NOW_MS)
    total = 0
    for org in demo.orgs.values():
        actions = _generated(org)
        total += len(actions)
        unset = sum(1 for a in actions if _tier(a) == "unset") / float(len(actions))
        assert 0.55 <= unset <= 0.65, org.id
    assert 300 <= total <= 800, "a few hundred actions"

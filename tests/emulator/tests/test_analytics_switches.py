# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesyscloud.cx contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The analytics switches: an answer without p95/p99, a success's errorType absent or NONE, executions that
failed fast or at the timeout; and the query the collection sends (groupBy actionId and errorType, gte/lt
views) answered faithfully, checked against counts worked out by hand from the seeded executions."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import datetime
import subprocess
import sys

import pytest

from tests.emulator.harness import Emulator, EmulatorError

from .conftest import Api

QUERY = "/api/v2/analytics/actions/aggregates/query"
CRM = "44444444-4444-4444-8444-444444444444"
MIXED = "custom_-_eeeeeeee-0000-4000-8000-000000000001"   # 3 s timeout, successes and failures of both kinds
STEADY = "custom_-_eeeeeeee-0000-4000-8000-000000000002"  # unset (60 s), 100 successes
AUTH = "customAuth_-_" + CRM
MIXED_GIVEN = [400] * 50 + [[15, "remote_endpoint"]] * 20 + [5000] * 4 + [[2800, "remote_endpoint"]] * 2
STEADY_GIVEN = [100 + i for i in range(100)]
BOUNDS = (250, 500, 1000, 3000, 60000)


def _action(action_id, name, timeout, executions):
    config = {"request": {"requestUrlTemplate": "https://crm.example.com/x", "requestType": "GET", "headers": {},
                          "requestTemplate": "${input.rawRequest}"},
              "response": {"translationMap": {}, "translationMapDefaults": {}, "successTemplate": "${rawResult}"}}
    if timeout is not None:
        config["timeoutSeconds"] = timeout
    return {"id": action_id, "name": name, "category": "CRM", "integrationId": CRM, "version": 1, "config": config,
            "executions": executions}


SEED = {"orgs": [{
    "id": "failures", "name": "Failures",
    "clients": [{"client_id": "f-admin", "client_secret": "f-secret", "permissions": ["*"]}],
    "integrations": [{"id": CRM, "name": "CRM", "integrationType": "custom-rest-actions"}],
    "actions": [_action(MIXED, "Mixed", 3, MIXED_GIVEN), _action(STEADY, "Steady", None, STEADY_GIVEN),
                {"id": AUTH, "name": "CRM auth", "category": "CRM", "integrationId": CRM, "version": 1,
                 "config": {}, "executions": [120] * 10}],
}]}


@pytest.fixture(scope="module")
def switch_emulator():
    with Emulator(args=["--random-seed", "3"], seed=SEED) as emu:
        yield emu


@pytest.fixture
def femu(switch_emulator):
    switch_emulator.reset()
    switch_emulator.configure(analytics_percentiles="filled", success_error_type="absent", fast_failures=0,
                              timeout_failures=0)
    return switch_emulator


@pytest.fixture
def fapi(femu):
    return Api(femu, "f-admin", "f-secret")


def _query(api, group_by=("actionId", "errorType"), **extra):
    end = datetime.datetime.now(datetime.timezone.utc)
    start = end - datetime.timedelta(days=7)
    body = dict({"interval": "%s/%s" % (start.strftime("%Y-%m-%dT%H:%M:%S.000Z"), end.strftime("%Y-%m-%dT%H:%M:%S.000Z")),
                 "metrics": ["tTotalExecution"], "groupBy": list(group_by),
                 "views": [{"target": "tTotalExecution", "name": "under_%dms" % b, "function": "rangeBound",
                            "range": {"gte": 0, "lt": b}} for b in BOUNDS]}, **extra)
    response = api.post(QUERY, json=body)
    assert response.status_code == 200, response.text
    return response.json()


def _groups(answer):
    """{(actionId, errorType as the group says it, None when absent): (stats, {view: count})}."""
    groups = {}
    for result in answer.get("results", []):
        [data] = result["data"]
        groups[(result["group"]["actionId"], result["group"].get("errorType"))] = (
            data["metrics"][0]["stats"], dict((v["name"], v["stats"]["count"]) for v in data["views"]))
    return groups


def _under(durations):
    return dict(("under_%dms" % b, sum(1 for d in durations if d < b)) for b in BOUNDS)


def test_grouped_by_error_type_each_outcome_has_its_own_stats_and_views(fapi):
    groups = _groups(_query(fapi))
    # The four 5 s executions were cut off at the 3 s timeout (errorType timeout).
    successes, fast, slow_failures, cut = [400] * 50, [15] * 20, [2800] * 2, [3000] * 4
    assert set(groups) == {(MIXED, None), (MIXED, "remote_endpoint"), (MIXED, "timeout"), (STEADY, None),
                           (AUTH, None)}
    stats, views = groups[(MIXED, None)]
    assert stats == {"count": 50, "sum": 20000, "min": 400, "max": 400, "p95": 400, "p99": 400}
    assert views == _under(successes)
    stats, views = groups[(MIXED, "remote_endpoint")]
    assert (stats["count"], stats["min"], stats["max"], stats["p99"]) == (22, 15, 2800, 2800)
    assert views == _under(fast + slow_failures)
    stats, views = groups[(MIXED, "timeout")]
    assert (stats["count"], stats["max"]) == (4, 3000) and views == _under(cut)
    assert groups[(STEADY, None)][1] == _under(STEADY_GIVEN)


def test_the_split_by_error_type_agrees_with_the_per_execution_grouping(fapi):
    # groupBy responseStatus too takes the per-execution path: the same executions in the same groups.
    fast = _groups(_query(fapi))
    slow = _query(fapi, group_by=("actionId", "errorType", "responseStatus"))
    assert dict(((r["group"]["actionId"], r["group"].get("errorType")), r["group"]["responseStatus"])
                for r in slow["results"]) == {(MIXED, None): "200", (MIXED, "remote_endpoint"): "502",
                                              (MIXED, "timeout"): "504", (STEADY, None): "200", (AUTH, None): "200"}
    assert _groups(slow) == fast


def test_percentiles_absent_leave_count_sum_min_max_and_the_views(femu, fapi):
    filled = _groups(_query(fapi))
    femu.configure(analytics_percentiles="absent")
    absent = _groups(_query(fapi))
    assert set(absent) == set(filled)
    for key, (stats, views) in absent.items():
        assert "p95" not in stats and "p99" not in stats, key
        assert dict(stats, p95=filled[key][0]["p95"], p99=filled[key][0]["p99"]) == filled[key][0]
        assert views == filled[key][1]


def test_a_success_may_read_errortype_none(femu, fapi):
    femu.configure(success_error_type="NONE")
    groups = _groups(_query(fapi))
    assert set(groups) == {(MIXED, "NONE"), (MIXED, "remote_endpoint"), (MIXED, "timeout"), (STEADY, "NONE"),
                           (AUTH, "NONE")}
    assert groups[(MIXED, "NONE")][0]["count"] == 50
    # A filter sees the same value.
    only = _query(fapi, group_by=("actionId",), filter={"type": "and", "predicates": [
        {"type": "dimension", "dimension": "errorType", "operator": "matches", "value": "NONE"}]})
    assert dict((r["group"]["actionId"], r["data"][0]["metrics"][0]["stats"]["count"]) for r in only["results"]) == {
        MIXED: 50, STEADY: 100, AUTH: 10}
    # Grouped by action alone, nothing changes.
    assert [r["group"] for r in _query(fapi, group_by=("actionId",))["results"]] == [
        {"actionId": AUTH}, {"actionId": MIXED}, {"actionId": STEADY}]


def test_fast_failures_rewrite_every_execution_of_the_chosen_actions_and_come_back_at_zero(femu, fapi):
    before = dict((a, femu.executions(a)) for a in (MIXED, STEADY, AUTH))
    femu.configure(fast_failures=1)
    for action_id in (MIXED, STEADY):
        rows = femu.executions(action_id)
        assert [r[0] for r in rows] == [r[0] for r in before[action_id]], "same moments"
        assert all(8 <= r[1] < 40 and r[2] == "remote_endpoint" for r in rows), action_id
    assert femu.executions(AUTH) == before[AUTH], "custom-auth actions are not custom_ ones"
    groups = _groups(_query(fapi))
    assert set(groups) == {(MIXED, "remote_endpoint"), (STEADY, "remote_endpoint"), (AUTH, None)}
    assert groups[(STEADY, "remote_endpoint")][0]["count"] == 100
    assert groups[(STEADY, "remote_endpoint")][1]["under_250ms"] == 100
    # The same choice after a reset (the switch stays); back to 0, the history as it was.
    femu.reset()
    assert femu.executions(STEADY) != before[STEADY]
    femu.configure(fast_failures=0)
    assert dict((a, femu.executions(a)) for a in (MIXED, STEADY, AUTH)) == before


def test_timeout_failures_run_every_execution_to_the_effective_timeout(femu, fapi):
    femu.configure(timeout_failures=1)
    assert set(r[1] for r in femu.executions(MIXED)) == {3000}
    assert set(r[1] for r in femu.executions(STEADY)) == {60000}, "unset: the 60 s default"
    groups = _groups(_query(fapi))
    assert set(groups) == {(MIXED, "timeout"), (STEADY, "timeout"), (AUTH, None)}
    stats, views = groups[(MIXED, "timeout")]
    assert stats["count"] == len(MIXED_GIVEN) and views["under_3000ms"] == 0
    # A share of one half takes half of the two custom actions; fast failures win where both choose one.
    femu.configure(timeout_failures=0.5, fast_failures=1)
    assert all(r[2] == "remote_endpoint" for a in (MIXED, STEADY) for r in femu.executions(a))
    femu.configure(fast_failures=0)
    hung = [a for a in (MIXED, STEADY) if set(r[2] for r in femu.executions(a)) == {"timeout"}]
    assert len(hung) == 1


@pytest.mark.parametrize("switches", [{"analytics_percentiles": "none"}, {"success_error_type": "null"},
                                      {"fast_failures": 1.5}, {"timeout_failures": "half"},
                                      {"fast_failures": True}])
def test_bad_values_of_the_analytics_switches_change_nothing(femu, switches):
    before = femu.call("GET", "/__emulator/config").body
    assert femu.call("POST", "/__emulator/config", body=dict(switches, latency_ms=50)).status == 400
    assert femu.call("GET", "/__emulator/config").body == before


def test_the_switches_from_the_command_line():
    with Emulator(args=["--analytics-percentiles", "absent", "--success-error-type", "NONE",
                        "--fast-failures", "0.5", "--timeout-failures", "1"], seed=SEED) as emu:
        config = emu.call("GET", "/__emulator/config").body
        assert (config["analytics_percentiles"], config["success_error_type"], config["fast_failures"],
                config["timeout_failures"]) == ("absent", "NONE", 0.5, 1)
        # One of the two custom actions fails fast, the other (chosen by both, fast wins) hangs.
        kinds = sorted(tuple(sorted(set(r[2] for r in emu.executions(a)))) for a in (MIXED, STEADY))
        assert kinds == [("remote_endpoint",), ("timeout",)]
        stats = _groups(_query(Api(emu, "f-admin", "f-secret")))
        assert all("p99" not in s and g[1] is not None for g, (s, dummy) in stats.items())
    bad = subprocess.run([sys.executable, "-m", "tests.emulator", "--fast-failures", "2"], capture_output=True,
                         text=True, timeout=60, check=False)
    assert bad.returncode == 2 and "--fast-failures" in bad.stderr


@pytest.mark.parametrize("entry", [[100, "bogus"], [100], ["slow", None]])
def test_a_seeded_execution_pair_needs_a_duration_and_a_known_error_type(entry):
    seed = {"orgs": [dict(SEED["orgs"][0], actions=[_action(MIXED, "Mixed", 3, [400, entry])])]}
    with pytest.raises(EmulatorError) as failure:
        Emulator(seed=seed).start()
    assert "[duration, errorType] pairs" in str(failure.value)

# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesyscloud.cx contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Test/execute against simulated backends, and the analytics that record them."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import datetime
import time

import pytest

from .conftest import ACTIONS, FAST, SLOW, UNSET, assert_error_body

QUERY = "/api/v2/analytics/actions/aggregates/query"


def _interval(days=8):
    end = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(hours=1)
    start = end - datetime.timedelta(days=days)
    return "%s/%s" % (start.strftime("%Y-%m-%dT%H:%M:%S.000Z"), end.strftime("%Y-%m-%dT%H:%M:%S.000Z"))


def _stats(api, action_id, views=None):
    body = {"interval": _interval(), "metrics": ["tTotalExecution"], "groupBy": ["actionId"],
            "filter": {"type": "and", "predicates": [{"type": "dimension", "dimension": "actionId",
                                                      "operator": "matches", "value": action_id}]}}
    if views:
        body["views"] = views
    response = api.post(QUERY, json=body)
    assert response.status_code == 200, response.text
    return response.json()


def test_test_invocation_of_a_fast_backend_succeeds(emu, api):
    started = time.monotonic()
    result = api.post("%s/%s/test" % (ACTIONS, FAST), json={"id": "42"}).json()
    assert result["success"] is True
    assert result["finalResult"]["tier"] == "sample-tier"
    assert [op["step"] for op in result["operations"]] == [1, 2, 3]
    assert time.monotonic() - started < 2


def test_backend_slower_than_timeout_fails_like_a_timeout(emu, api):
    emu.configure(time_scale=0.01)  # 2 s timeout, 4 s backend: sleeps 20 ms
    result = api.post("%s/%s/test" % (ACTIONS, SLOW), json={}).json()
    assert result["success"] is False
    assert result["error"]["status"] == 504 and "timed out" in result["error"]["message"]
    assert result["operations"][1]["success"] is False
    executed = api.post("%s/%s/execute" % (ACTIONS, SLOW), json={})
    assert_error_body(executed, 504)
    # After raising the timeout above the backend latency, the same call succeeds.
    action = api.get("%s/%s?includeConfig=true" % (ACTIONS, SLOW)).json()
    api.patch("%s/%s" % (ACTIONS, SLOW), json={
        "version": action["version"], "config": dict(action["config"], timeoutSeconds=10)})
    assert api.post("%s/%s/test" % (ACTIONS, SLOW), json={}).json()["success"] is True


def test_unset_timeout_uses_the_configured_platform_default(emu, api):
    emu.configure(time_scale=0.01, unset_timeout_seconds=1)
    # UNSET has the default 150 ms backend: fine with a 1 s platform timeout.
    assert api.post("%s/%s/execute" % (ACTIONS, UNSET), json={}).status_code == 200


def test_executions_are_recorded_for_analytics(emu, api):
    before = _stats(api, FAST)["results"][0]["data"][0]["metrics"][0]["stats"]["count"]
    for dummy in range(3):
        assert api.post("%s/%s/execute" % (ACTIONS, FAST), json={"x": 1}).status_code == 200
    after = _stats(api, FAST)["results"][0]["data"][0]["metrics"][0]["stats"]
    assert after["count"] == before + 3
    assert emu.requests()["counts"]["POST /api/v2/integrations/actions/{actionId}/execute"] == 3


def test_stats_from_seeded_history(emu, api):
    # SLOW's seed: [100, 200, 300, 400, 5000] with a 2 s timeout: the 5 s call is cut at ~2000 ms.
    answer = _stats(api, SLOW, views=[{"target": "tTotalExecution", "name": "over1s", "function": "rangeBound",
                                       "range": {"gte": 1000}},
                                      {"target": "tTotalExecution", "name": "fast", "function": "rangeBound",
                                       "range": {"gte": 0, "lt": 250}}])
    [result] = answer["results"]
    assert result["group"] == {"actionId": SLOW}
    data = result["data"][0]
    stats = data["metrics"][0]["stats"]
    assert data["metrics"][0]["metric"] == "tTotalExecution"
    assert stats["count"] == 5 and stats["min"] == 100
    assert 2000 <= stats["max"] <= 2050
    assert stats["p95"] == stats["max"] and stats["p99"] == stats["max"]
    assert stats["sum"] == 1000 + stats["max"]
    assert {v["name"]: v["stats"]["count"] for v in data["views"]} == {"over1s": 1, "fast": 2}


def test_group_by_action_and_empty_answers(emu, api):
    body = {"interval": _interval(), "metrics": ["tTotalExecution"], "groupBy": ["actionId"]}
    groups = [r["group"]["actionId"] for r in api.post(QUERY, json=body).json()["results"]]
    assert sorted(groups) == sorted([SLOW, FAST])
    old = {"interval": "2020-01-01T00:00:00Z/2020-01-02T00:00:00Z", "metrics": ["tTotalExecution"]}
    assert api.post(QUERY, json=old).json() == {}
    either = dict(body, filter={"type": "or", "predicates": [
        {"dimension": "actionId", "value": SLOW}, {"dimension": "actionId", "value": FAST}]})
    assert len(api.post(QUERY, json=either).json()["results"]) == 2


@pytest.mark.parametrize("body", [
    {"metrics": ["tTotalExecution"]},
    {"interval": "yesterday", "metrics": ["tTotalExecution"]},
    {"interval": "2026-01-02T00:00:00Z/2026-01-01T00:00:00Z", "metrics": ["tTotalExecution"]},
    {"interval": "2026-01-01T00:00:00Z/2026-01-02T00:00:00Z"},
    {"interval": "2026-01-01T00:00:00Z/2026-01-02T00:00:00Z", "metrics": ["tTalk"]},
    {"interval": "2026-01-01T00:00:00Z/2026-01-02T00:00:00Z", "metrics": ["tTotalExecution"], "groupBy": ["queueId"]},
    {"interval": "2026-01-01T00:00:00Z/2026-01-02T00:00:00Z", "metrics": ["tTotalExecution"],
     "filter": {"type": "xor", "predicates": []}},
    {"interval": "2026-01-01T00:00:00Z/2026-01-02T00:00:00Z", "metrics": ["tTotalExecution"],
     "views": [{"target": "tTotalExecution", "name": "v", "function": "percentile"}]},
])
def test_bad_analytics_queries_are_400(emu, api, body):
    assert_error_body(api.post(QUERY, json=body), 400, "bad.request")

# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesyscloud.cx contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The analytics query the collection sizes timeouts from: stats and rangeBound views checked against values
computed by hand, the seeded window, cut-offs at the timeout, refused routes, and request bodies in the log."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import datetime
import math

import pytest

from tests.emulator.harness import Emulator, EmulatorError

from .conftest import ACTIONS, Api, assert_error_body

QUERY = "/api/v2/analytics/actions/aggregates/query"
QUERY_ROUTE = "POST " + QUERY
CRM = "33333333-3333-4333-8333-333333333333"
HAND = "custom_-_dddddddd-0000-4000-8000-000000000001"        # 5 s timeout, explicit durations
UNSET_HAND = "custom_-_dddddddd-0000-4000-8000-000000000002"  # unset (60 s), explicit durations
SLOW_LOW = "custom_-_dddddddd-0000-4000-8000-000000000003"    # 1 s timeout, 5 s backend, no history
GIVEN = [37 + (i * 7919) % 1500 for i in range(197)] + [5200, 7000, 61000]
UNSET_GIVEN = [100, 59999, 60000, 60001, 75000]


def _action(action_id, name, timeout, **extra):
    config = {"request": {"requestUrlTemplate": "https://crm.example.com/x", "requestType": "GET", "headers": {},
                          "requestTemplate": "${input.rawRequest}"},
              "response": {"translationMap": {}, "translationMapDefaults": {}, "successTemplate": "${rawResult}"}}
    if timeout is not None:
        config["timeoutSeconds"] = timeout
    return dict({"id": action_id, "name": name, "category": "CRM", "integrationId": CRM, "version": 1,
                 "config": config}, **extra)


SEED = {"orgs": [{
    "id": "stats", "name": "Stats",
    "clients": [{"client_id": "s-admin", "client_secret": "s-secret", "permissions": ["*"]},
                {"client_id": "s-no-analytics", "client_secret": "n-secret", "permissions": ["*"],
                 "forbidden": [QUERY_ROUTE]}],
    "integrations": [{"id": CRM, "name": "CRM", "integrationType": "custom-rest-actions"}],
    "actions": [_action(HAND, "By hand", 5, executions=GIVEN),
                _action(UNSET_HAND, "Unset by hand", None, executions=UNSET_GIVEN),
                _action(SLOW_LOW, "Slow behind 1 s", 1, backend={"latency_ms": 5000})],
    "generate": 60,
}]}


@pytest.fixture(scope="module")
def stats_emulator():
    with Emulator(args=["--random-seed", "5"], seed=SEED) as emu:
        yield emu


@pytest.fixture
def semu(stats_emulator):
    stats_emulator.reset()
    stats_emulator.configure(time_scale=1.0, unset_timeout_seconds=60)
    return stats_emulator


@pytest.fixture
def sapi(semu):
    return Api(semu, "s-admin", "s-secret")


def _interval(days=7, end_shift=datetime.timedelta(0)):
    end = datetime.datetime.now(datetime.timezone.utc) + end_shift
    start = end - datetime.timedelta(days=days)
    return "%s/%s" % (start.strftime("%Y-%m-%dT%H:%M:%S.%fZ"), end.strftime("%Y-%m-%dT%H:%M:%S.%fZ"))


def _view(name, **bounds):
    return {"target": "tTotalExecution", "name": name, "function": "rangeBound", "range": bounds}


def _query(api, views=(), action_id=None, group_by=("actionId",), **extra):
    # The interval's end is exclusive: reach past "now" so an invocation made this millisecond is in.
    body = dict({"interval": _interval(end_shift=datetime.timedelta(minutes=1)), "metrics": ["tTotalExecution"], "groupBy": list(group_by)}, **extra)
    if views:
        body["views"] = list(views)
    if action_id:
        body["filter"] = {"type": "and", "predicates": [
            {"type": "dimension", "dimension": "actionId", "operator": "matches", "value": action_id}]}
    response = api.post(QUERY, json=body)
    assert response.status_code == 200, response.text
    return response.json()


def _one(answer):
    [result] = answer["results"]
    data = result["data"][0]
    return data["metrics"][0]["stats"], {v["name"]: v["stats"]["count"] for v in data.get("views", [])}


def _nearest_rank(values, percent):
    ordered = sorted(values)
    return ordered[int(math.ceil(percent / 100.0 * len(ordered))) - 1]


def test_explicit_durations_land_as_given_apart_from_the_cut_off(semu):
    rows = semu.executions(HAND, org="stats")
    assert [r[1] for r in rows] == [min(d, 5000) for d in GIVEN], "in the order given, oldest first"
    assert [r[2] for r in rows] == [None] * 197 + ["timeout"] * 3
    assert [r[0] for r in rows] == sorted(r[0] for r in rows)
    assert semu.executions(UNSET_HAND) == semu.executions(UNSET_HAND, org="stats"), "one org: org may be left out"
    assert semu.call("GET", "/__emulator/executions?action_id=custom_-_nope").status == 404


def test_stats_and_views_match_values_computed_by_hand(sapi):
    recorded = [min(d, 5000) for d in GIVEN]
    stats, views = _one(_query(sapi, action_id=HAND, views=[
        _view("reached_5s", gte=5000), _view("under_100", lt=100), _view("half_to_one", gte=500, lt=1000),
        _view("reached_2s", gte=2000)]))
    assert stats == {"count": 200, "sum": sum(recorded), "min": min(recorded), "max": 5000,
                     "p95": _nearest_rank(recorded, 95), "p99": _nearest_rank(recorded, 99)}
    assert all(isinstance(v, int) for v in stats.values())
    assert views == {"reached_5s": 3, "under_100": sum(1 for d in recorded if d < 100),
                     "half_to_one": sum(1 for d in recorded if 500 <= d < 1000), "reached_2s": 3}


def test_unset_timeout_cuts_off_at_sixty_seconds(sapi):
    stats, views = _one(_query(sapi, action_id=UNSET_HAND, views=[_view("reached_60s", gte=60000)]))
    assert stats["count"] == 5 and stats["max"] == 60000 and stats["sum"] == 100 + 59999 + 3 * 60000
    assert views == {"reached_60s": 3}, "one ran exactly 60 s, two were cut off there"
    by_error = _query(sapi, action_id=UNSET_HAND, group_by=("actionId", "errorType"))["results"]
    counts = {r["group"].get("errorType"): r["data"][0]["metrics"][0]["stats"]["count"] for r in by_error}
    assert counts == {None: 3, "timeout": 2}


def test_a_seven_day_query_sees_every_seeded_execution(semu, sapi):
    seeded = sum(semu.state()["orgs"]["stats"]["execution_counts"].values())
    assert seeded > 60 * 40
    for shift in (datetime.timedelta(0), datetime.timedelta(hours=23, minutes=58)):
        body = {"interval": _interval(end_shift=shift), "metrics": ["tTotalExecution"], "groupBy": ["actionId"]}
        results = sapi.post(QUERY, json=body).json()["results"]
        assert sum(r["data"][0]["metrics"][0]["stats"]["count"] for r in results) == seeded, shift
    # Nothing is seeded in the last minute before start: seeded history never straddles "now".
    recent = {"interval": _interval(days=1.0 / 24 / 60), "metrics": ["tTotalExecution"]}
    assert sapi.post(QUERY, json=recent).json() == {}


def test_grouping_per_execution_agrees_with_grouping_per_action(sapi):
    per_action = {r["group"]["actionId"]: r["data"][0]["metrics"][0]["stats"]["count"]
                  for r in _query(sapi)["results"]}
    per_execution = {}
    for result in _query(sapi, group_by=("actionId", "responseStatus"))["results"]:
        action_id = result["group"]["actionId"]
        per_execution[action_id] = per_execution.get(action_id, 0) + result["data"][0]["metrics"][0]["stats"]["count"]
    assert per_execution == per_action
    timed_out = _query(sapi, group_by=(), filter={"type": "and", "predicates": [
        {"dimension": "errorType", "operator": "matches", "value": "timeout"}]}, views=[_view("all", gte=0)])
    stats, views = _one(timed_out)
    assert stats["count"] == views["all"] >= 5


def test_a_timed_out_test_invocation_is_counted_at_the_timeout(semu, sapi):
    semu.configure(time_scale=0.01)
    assert _query(sapi, action_id=SLOW_LOW) == {}
    result = sapi.post("%s/%s/test" % (ACTIONS, SLOW_LOW), json={"id": "1"}).json()
    assert result["success"] is False and result["error"]["status"] == 504
    assert_error_body(sapi.post("%s/%s/execute" % (ACTIONS, SLOW_LOW), json={}), 504)
    stats, views = _one(_query(sapi, action_id=SLOW_LOW, views=[_view("reached_1s", gte=1000)]))
    assert stats["count"] == 2 and stats["min"] == stats["max"] == 1000
    assert views == {"reached_1s": 2}


def test_a_forbidden_route_answers_403_like_a_missing_permission(semu, sapi):
    refused = Api(semu, "s-no-analytics", "n-secret")
    assert refused.get(ACTIONS).status_code == 200, "the listing is still granted"
    body = {"interval": _interval(), "metrics": ["tTotalExecution"], "groupBy": ["actionId"]}
    error = assert_error_body(refused.post(QUERY, json=body), 403, "missing.any.permissions")
    assert "integrations:action:view" in error["messageParams"]["permissions"]
    assert "integrations:action:view" in error["message"]
    assert sapi.post(QUERY, json=body).status_code == 200, "only that client is refused"


def test_an_unknown_forbidden_route_stops_the_start():
    seed = {"orgs": [{"id": "x", "clients": [{"client_id": "c", "client_secret": "s",
                                              "forbidden": ["POST /api/v2/analytics/conversations/aggregates/query"]}]}]}
    with pytest.raises(EmulatorError) as failure:
        Emulator(seed=seed).start()
    assert "forbidden names unknown route" in str(failure.value)


def test_request_bodies_of_queries_and_invocations_are_logged(semu, sapi):
    semu.clear_requests()
    query = {"interval": _interval(), "metrics": ["tTotalExecution"], "groupBy": ["actionId"],
             "views": [_view("reached_5s", gte=5000)]}
    sapi.post(QUERY, json=query)
    sapi.post("%s/%s/test" % (ACTIONS, HAND), json={"phone": "+15550100"})
    sapi.post("%s/%s/execute" % (ACTIONS, HAND), json={"phone": "+15550101"})
    sapi.post("%s/%s/draft" % (ACTIONS, HAND))
    sapi.post("%s/%s/draft/test" % (ACTIONS, HAND), json={"phone": "+15550102"})
    sapi.patch("%s/%s" % (ACTIONS, HAND), json={"version": 1, "name": "renamed"})
    sapi.get(ACTIONS)
    Api(semu, "s-no-analytics", "n-secret").post(QUERY, json=query)
    entries = semu.requests()["requests"]
    bodies = [(e["route"].split("{actionId}")[-1] or e["route"], e.get("body", "absent")) for e in entries
              if e["route"] != "POST /oauth/token"]
    assert bodies == [
        (QUERY_ROUTE, query),
        ("/test", {"phone": "+15550100"}),
        ("/execute", {"phone": "+15550101"}),
        ("/draft", "absent"),
        ("/draft/test", {"phone": "+15550102"}),
        ("PATCH /api/v2/integrations/actions/{actionId}", {"version": 1, "name": "renamed"}),  # write bodies too
        ("GET /api/v2/integrations/actions", "absent"),
        (QUERY_ROUTE, query),
    ]
    assert entries[-1]["status"] == 403, "a refused query's body is logged too"


@pytest.mark.parametrize("views", [
    [_view("same", gte=1), _view("same", gte=2)],
    [_view("tTotalExecution", gte=1)],
    [{"target": "tTotalExecution", "name": "v", "function": "rangeBound", "range": {"gt": 1}}],
])
def test_views_need_distinct_names_and_gte_lt_ranges(sapi, views):
    body = {"interval": _interval(), "metrics": ["tTotalExecution"], "views": views}
    assert_error_body(sapi.post(QUERY, json=body), 400, "bad.request")


def test_the_official_sdk_reads_stats_and_several_views(semu):
    import PureCloudPlatformClientV2 as sdk  # dev dependency (requirements-dev.txt)
    client = sdk.api_client.ApiClient(host=semu.url)
    client.get_client_credentials_token("s-admin", "s-secret")
    query = sdk.ActionAggregationQuery()
    query.interval = _interval()
    query.metrics = ["tTotalExecution"]
    query.group_by = ["actionId"]
    query.views = []
    for seconds in (1, 5, 60):
        view = sdk.ActionAggregationView()
        view.target, view.name, view.function = "tTotalExecution", "reached_%ds" % seconds, "rangeBound"
        view.range = sdk.AggregationRange()
        view.range.gte = seconds * 1000
        query.views.append(view)
    answer = sdk.AnalyticsApi(client).post_analytics_actions_aggregates_query(query)
    by_id = {r.group["actionId"]: r.data[0] for r in answer.results}
    hand = by_id[HAND]
    recorded = [min(d, 5000) for d in GIVEN]
    assert hand.metrics[0].metric == "tTotalExecution"
    assert hand.metrics[0].stats.p99 == _nearest_rank(recorded, 99) and hand.metrics[0].stats.count == 200
    assert {v.name: v.stats.count for v in hand.views} == {
        "reached_1s": sum(1 for d in recorded if d >= 1000), "reached_5s": 3, "reached_60s": 0}
    assert {v.name: v.stats.count for v in by_id[UNSET_HAND].views}["reached_60s"] == 3

# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesyscloud.cx contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Rate limits, injected faults, run-time switches and the request log."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import concurrent.futures
import math
import random
import re
import time

import pytest
import requests

from tests.emulator.faults import FaultPlan

from .conftest import ACTIONS, FAST, SLOW, Api, assert_error_body


RATE_HEADERS = ("inin-ratelimit-allowed", "inin-ratelimit-count", "inin-ratelimit-reset")


def assert_normalized_429(response, seconds=True, header=True):
    """The 429 of the real API since November 2021: Retry-After in whole seconds, the same seconds in the message,
    and a body of exactly message, code, status, contextId, details and errors. Returns the seconds."""
    body = assert_error_body(response, 429, "too.many.requests.retry.after")
    assert sorted(body) == ["code", "contextId", "details", "errors", "message", "status"], body
    assert body["details"] == [] and body["errors"] == []
    assert not [name for name in response.headers if name.lower().startswith("inin-ratelimit")]
    if not seconds:
        assert body["message"] == "Rate limit exceeded the maximum." and "Retry-After" not in response.headers
        return None
    match = re.match(r"^Rate limit exceeded the maximum\. Retry the request in \[(\d+)\] seconds$", body["message"])
    assert match, body["message"]
    wait = int(match.group(1))
    assert wait >= 1
    if header:
        assert response.headers["Retry-After"] == str(wait)
    else:
        assert "Retry-After" not in response.headers
    return wait


def test_no_rate_limit_headers_on_any_answer(emu, api):
    emu.configure(rate_limit="2/30")
    answers = [api.get(ACTIONS), api.get(ACTIONS + "/nope"), api.get(ACTIONS),
               requests.get(emu.url + ACTIONS, headers={"Authorization": "Bearer not-a-token"})]
    assert [r.status_code for r in answers] == [200, 404, 429, 401]
    for response in answers:
        assert not [name for name in response.headers if name.lower() in RATE_HEADERS], response.headers


def test_rate_limit_is_per_token_with_an_exact_retry_after(emu, api):
    emu.configure(rate_limit="3/4")
    first = time.monotonic()
    statuses = [api.get(ACTIONS) for dummy in range(3)]
    refused_at = time.monotonic()
    limited = api.get(ACTIONS)
    assert [r.status_code for r in statuses] == [200, 200, 200]
    wait = assert_normalized_429(limited)
    # The seconds until the first request leaves the 4 s window, rounded up.
    assert math.ceil(4 - (time.monotonic() - first)) <= wait <= math.ceil(4 - (refused_at - first) + 0.05)
    assert Api(emu).get(ACTIONS).status_code == 200, "a new token has its own window"
    assert emu.call("GET", "/__emulator/state").status == 200, "the inspection surface is never limited"
    time.sleep(max(0, wait - 1 - 0.2))
    assert api.get(ACTIONS).status_code == 429, "not a second before Retry-After"
    time.sleep(1.3)
    assert api.get(ACTIONS).status_code == 200, "it fits once Retry-After has passed"


def test_rate_limit_window_resets(emu, api):
    emu.configure(rate_limit="1/2")
    assert api.get(ACTIONS).status_code == 200
    assert api.get(ACTIONS).status_code == 429
    time.sleep(2.05)
    assert api.get(ACTIONS).status_code == 200


def test_sliding_and_fixed_windows(emu, api):
    # Sliding: any 2 s span holds at most 2 requests, so after a request at 0 and one at 1.2 s, the third fits
    # only once the first has left (at 2 s). Fixed: the window that began at 0 ends at 2 s and takes 2 requests.
    emu.configure(rate_limit="2/2", rate_window="sliding")
    assert api.get(ACTIONS).status_code == 200
    time.sleep(1.2)
    assert api.get(ACTIONS).status_code == 200
    time.sleep(0.9)
    assert api.get(ACTIONS).status_code == 200, "the first request has left the sliding window"
    assert assert_normalized_429(api.get(ACTIONS)) in (1, 2), "the request at 1.2 s leaves it at 3.2 s"
    emu.configure(rate_limit="2/2", rate_window="fixed")
    assert emu.call("GET", "/__emulator/config").body["rate_window"] == "fixed"
    fresh = Api(emu)
    assert [fresh.get(ACTIONS).status_code for dummy in range(2)] == [200, 200]
    time.sleep(1.2)
    assert assert_normalized_429(fresh.get(ACTIONS)) == 1, "the fixed window ends 2 s after its first request"
    time.sleep(0.9)
    assert [fresh.get(ACTIONS).status_code for dummy in range(3)] == [200, 200, 429], "a new window, a new budget"


def test_org_limit_counts_every_token_of_the_org(emu, api):
    emu.configure(org_rate_limit="3/30")
    other = Api(emu)
    assert [api.get(ACTIONS).status_code, other.get(ACTIONS).status_code, api.get(ACTIONS).status_code] == [200] * 3
    assert 29 <= assert_normalized_429(other.get(ACTIONS)) <= 30, "the org's budget is spent, whichever token asks"
    assert Api(emu, "b-admin", "b-secret").get(ACTIONS).status_code == 200, "another org has its own"
    assert emu.call("GET", "/__emulator/config").body["org_rate_limit"] == "3/30"


def test_a_request_waits_for_every_limit_it_is_under(emu, api):
    # The token may send one request a second, the org three per 30 s: once the org's budget is spent, the
    # token's own limit would let a request through after 1 s, but Retry-After is the org's wait.
    emu.configure(rate_limit="1/1", org_rate_limit="3/30")
    accepted = 0
    for dummy in range(3):
        assert api.get(ACTIONS).status_code == 200
        accepted += 1
        time.sleep(1.05)
    assert 27 <= assert_normalized_429(api.get(ACTIONS)) <= 30
    emu.configure(org_rate_limit="")
    assert api.get(ACTIONS).status_code == 200
    assert assert_normalized_429(api.get(ACTIONS)) == 1, "the token's own limit alone"


@pytest.mark.parametrize("count_refused", [False, True])
def test_whether_a_refused_request_counts(emu, api, count_refused):
    emu.configure(rate_limit="1/2", count_refused=count_refused)
    assert api.get(ACTIONS).status_code == 200
    time.sleep(1.5)
    assert_normalized_429(api.get(ACTIONS))
    time.sleep(0.7)
    # 2.2 s after the accepted request, 0.7 s after the refused one.
    later = api.get(ACTIONS)
    if count_refused:
        assert assert_normalized_429(later) == 2, "the refused request holds the window until it leaves"
    else:
        assert later.status_code == 200


@pytest.mark.parametrize("switches,seconds,header", [({}, True, True), ({"omit_retry_after": True}, True, False),
                                                     ({"omit_retry_seconds": True}, False, False)],
                         ids=["retry-after", "message-only", "neither"])
def test_429_carries_the_wait_as_switched(emu, api, switches, seconds, header):
    emu.configure(rate_limit="1/30", **switches)
    assert api.get(ACTIONS).status_code == 200
    wait = assert_normalized_429(api.get(ACTIONS), seconds=seconds, header=header)
    assert wait is None or 29 <= wait <= 30
    emu.configure(rate_limit="", faults="429=1.0")
    wait = assert_normalized_429(api.get(ACTIONS), seconds=seconds, header=header)
    assert wait in (None, 1), "an injected 429 is normalized alike"


@pytest.mark.parametrize("status", [408, 429, 500, 502, 503, 504])
def test_status_faults(emu, api, status):
    emu.configure(faults="%d=1.0" % status)
    response = api.get(ACTIONS)
    if status == 429:
        assert assert_normalized_429(response) == 1
    else:
        assert_error_body(response, status)
    entry = emu.requests()["requests"][-1]
    assert entry["fault"] == str(status) and entry["status"] == status


def test_faults_never_touch_token_or_inspection(emu):
    emu.configure(faults="503=1.0")
    token = emu.token("a-admin", "a-secret")
    assert token
    assert emu.state()["orgs"]["org-a"]
    assert_error_body(requests.get(emu.url + ACTIONS, headers={"Authorization": "Bearer " + token}), 503)


def test_faulted_patch_changes_nothing(emu, api):
    emu.configure(faults="500=1.0,methods=PATCH")
    assert api.get(ACTIONS).status_code == 200, "GET is not faulted"
    assert_error_body(api.patch("%s/%s" % (ACTIONS, FAST), json={"version": 1, "name": "n"}), 500)
    assert emu.actions("org-a")[FAST]["version"] == 1


def test_drop_closes_without_processing(emu, api):
    emu.configure(faults="drop=1.0,methods=PATCH")
    with pytest.raises(requests.ConnectionError):
        api.patch("%s/%s" % (ACTIONS, FAST), json={"version": 1, "name": "dropped"})
    assert emu.actions("org-a")[FAST]["name"] == "Get Tier"
    entry = emu.requests()["requests"][-1]
    assert entry["fault"] == "drop" and entry["status"] is None and entry["write"] is True


def test_drop_after_applies_the_write_then_closes(emu, api):
    emu.configure(faults="drop_after=1.0,methods=PATCH")
    with pytest.raises(requests.ConnectionError):
        api.patch("%s/%s" % (ACTIONS, FAST), json={"version": 1, "name": "applied"})
    held = emu.actions("org-a")[FAST]
    assert held["name"] == "applied" and held["version"] == 2
    entry = emu.requests()["requests"][-1]
    assert entry["fault"] == "drop_after" and entry["status"] == 200
    # A retry with the old version now meets a conflict: what a client must recognise as "already applied".
    emu.configure(faults="")
    assert_error_body(api.patch("%s/%s" % (ACTIONS, FAST), json={"version": 1, "name": "applied"}), 409)


def test_a_408_fault_answers_without_processing(emu, api):
    emu.configure(faults="408=1.0,methods=PATCH+POST")
    error = assert_error_body(api.patch("%s/%s" % (ACTIONS, FAST), json={"version": 1, "name": "timed out"}), 408,
                              "request.timeout")
    assert "timed out" in error["message"]
    assert_error_body(api.post("%s/%s/draft" % (ACTIONS, FAST)), 408)
    assert emu.actions("org-a")[FAST]["name"] == "Get Tier" and emu.actions("org-a")[FAST]["version"] == 1
    assert emu.state()["orgs"]["org-a"]["drafts"] == {}
    assert [(e["fault"], e["status"]) for e in emu.requests()["requests"] if e["write"]] == [("408", 408)] * 2


def test_a_408_after_fault_applies_the_write_then_answers_408(emu, api):
    emu.configure(faults="408_after=1.0,methods=PATCH")
    assert_error_body(api.patch("%s/%s" % (ACTIONS, FAST), json={"version": 1, "name": "applied"}), 408,
                      "request.timeout")
    held = emu.actions("org-a")[FAST]
    assert held["name"] == "applied" and held["version"] == 2
    entry = emu.requests()["requests"][-1]
    assert (entry["fault"], entry["status"], entry["body"]) == ("408_after", 408, {"version": 1, "name": "applied"})
    # A refused write is not turned into a 408: the conflict is answered as it is.
    assert_error_body(api.patch("%s/%s" % (ACTIONS, FAST), json={"version": 1, "name": "applied"}), 409)


def test_408_faults_leave_the_draws_of_other_specs_as_they_were(emu, api):
    """Adding the 408 kinds did not change what a spec without them draws (reproducible runs stay so)."""
    plain, with_408 = FaultPlan("503=0.3,drop=0.1"), FaultPlan("503=0.3,drop=0.1,408=0,408_after=0")
    first, second = random.Random(3), random.Random(3)
    assert [plain.draw("GET", first) for dummy in range(50)] == [with_408.draw("GET", second) for dummy in range(50)]


def test_slow_fault_adds_delay(emu, api):
    emu.configure(faults="slow=1.0:300")
    started = time.monotonic()
    assert api.get(ACTIONS).status_code == 200
    assert time.monotonic() - started >= 0.3


def test_fault_draws_are_reproducible(emu, api):
    def run():
        emu.reset()
        emu.configure(faults="503=0.5")
        return [api.get(ACTIONS).status_code for dummy in range(20)]

    first, second = run(), run()
    assert first == second
    assert 200 in first and 503 in first


def test_latency_is_added_and_does_not_serialize(emu):
    apis = [Api(emu) for dummy in range(16)]
    emu.configure(latency_ms=300)
    emu.clear_requests()
    with concurrent.futures.ThreadPoolExecutor(16) as pool:
        statuses = list(pool.map(lambda a: a.get(ACTIONS).status_code, apis))
    assert statuses == [200] * 16
    # From the server's own log, not the machine's clock: each request took its 300 ms, and they overlapped (a
    # server that served one at a time would never have two in flight).
    log = [r for r in emu.requests()["requests"] if r["path"] == ACTIONS]
    assert len(log) == 16 and all(r["finished"] - r["started"] >= 0.3 for r in log)
    events = sorted([(r["started"], 1) for r in log] + [(r["finished"], -1) for r in log])
    in_flight = most = 0
    for dummy, step in events:
        in_flight += step
        most = max(most, in_flight)
    assert most > 1, "16 requests of 300 ms each never overlapped"


@pytest.mark.parametrize("switches", [{"faults": "teapot=1"}, {"faults": "503=2"}, {"faults": "slow=0.5"},
                                      {"rate_limit": "many"}, {"org_rate_limit": "0/5"},
                                      {"rate_window": "leaky"}, {"count_refused": "yes"}, {"patch_semantics": "upsert"},
                                      {"conflict_status": 412}, {"latency_ms": -1}, {"bogus": 1}])
def test_bad_switches_are_refused_and_change_nothing(emu, switches):
    before = emu.call("GET", "/__emulator/config").body
    response = emu.call("POST", "/__emulator/config", body=dict(switches, latency_ms=50)
                        if "latency_ms" not in switches else switches)
    assert response.status == 400
    assert emu.call("GET", "/__emulator/config").body == before


def test_request_log_counts_and_writes(emu, api):
    emu.clear_requests()
    api.get(ACTIONS)
    api.get("%s/%s" % (ACTIONS, SLOW))
    api.get("%s/%s" % (ACTIONS, FAST))
    api.patch("%s/%s" % (ACTIONS, FAST), json={"version": 1, "name": "n"})
    api.post("/api/v2/analytics/actions/aggregates/query", json={})
    log = emu.requests()
    assert log["counts"] == {
        "GET /api/v2/integrations/actions": 1,
        "GET /api/v2/integrations/actions/{actionId}": 2,
        "PATCH /api/v2/integrations/actions/{actionId}": 1,
        "POST /api/v2/analytics/actions/aggregates/query": 1,
    }
    assert log["writes"] == 1
    patch = [e for e in log["requests"] if e["method"] == "PATCH"][0]
    assert patch["write"] is True and patch["status"] == 200 and patch["client_id"] == "a-admin"
    assert patch["org"] == "org-a" and patch["path"] == "%s/%s" % (ACTIONS, FAST)
    assert patch["finished"] >= patch["started"]
    since = emu.requests(since=patch["seq"])
    assert [e["seq"] for e in since["requests"]] == [patch["seq"] + 1]
    assert since["last_seq"] == log["last_seq"]


def test_reset_restores_state_and_empties_log(emu, api):
    pristine = emu.state()
    api.patch("%s/%s" % (ACTIONS, FAST), json={"version": 1, "name": "changed"})
    api.post("%s/%s/draft" % (ACTIONS, SLOW))
    assert emu.state() != pristine
    emu.reset()
    assert emu.state() == pristine
    assert emu.requests()["requests"] == []

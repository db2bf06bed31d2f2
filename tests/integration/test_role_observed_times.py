# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesyscloud.cx contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The role deciding from what actions really do: audit with observed times, remediation to each
action's recommendation proved by a test invocation before and after, right-sizing up and down with
its rollback, and an org whose analytics are refused. Expected numbers are worked out here from the
seeded execution times, independently of the collection's code."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import collections
import json
import math

import pytest

from tests.emulator.harness import Emulator

TOKEN = "POST /oauth/token"
LIST = "GET /api/v2/integrations/actions"
DRAFTS = "GET /api/v2/integrations/actions/drafts"
PATCH = "PATCH /api/v2/integrations/actions/{actionId}"
ANALYTICS = "POST /api/v2/analytics/actions/aggregates/query"
TEST = "POST /api/v2/integrations/actions/{actionId}/test"
INTEGRATION = "5b0b8a8e-3f7c-4d1e-9a51-2f6a1c0e7d11"


def _action(suffix, name, timeout, executions, latency_ms=200):
    config = {"request": {"requestUrlTemplate": "https://crm.example.com/%s" % suffix, "requestType": "GET",
                          "headers": {"Accept": "application/json"}, "requestTemplate": "${input.rawRequest}"},
              "response": {"translationMap": {"tier": "$.tier"}, "successTemplate": "{\"tier\": ${tier}}"},
              "retryPolicy": {"maxAttempts": 2}}
    if timeout is not None:
        config["timeoutSeconds"] = timeout
    return {"id": "custom_-_%s" % suffix, "name": name, "category": "CRM", "integrationId": INTEGRATION,
            "version": 3, "config": config, "backend": {"latency_ms": latency_ms, "jitter_ms": 0},
            "executions": executions}


# name -> (timeout, executions in ms); a backend slower than the timeout is cut off there by the emulator.
ACTIONS = {
    "Lookup Account": ("a1", 2, [900] * 80 + [3500] * 20, 3500),   # 20 cut off at 2 s: timing out
    "Get Tier": ("a2", None, [200] * 100, 200),                    # unset (60 s), p99 200 ms: oversized
    "Check Balance": ("a3", 10, [1000] * 100, 1000),               # 10 s, p99 1 s: oversized
    "Create Case": ("a4", 5, [2000] * 100, 2000),                  # 5 s, p99 2 s: ok
    "Few Calls": ("a5", 1, [100] * 5, 100),                        # 5 executions: no data
}
CLIENT = {"client_id": "prod-us-client", "client_secret": "prod-us-secret-Qm4", "permissions": ["*"]}
SEED = {"orgs": [{"id": "prod-us", "clients": [CLIENT],
                  "integrations": [{"id": INTEGRATION, "name": "CRM", "integrationType": "custom-rest-actions"}],
                  "actions": [_action(s, name, t, e, lat) for name, (s, t, e, lat) in ACTIONS.items()]}]}
REFUSED = {"orgs": [dict(SEED["orgs"][0], clients=[dict(CLIENT, forbidden=[ANALYTICS])])]}


def _id(name):
    return "custom_-_%s" % ACTIONS[name][0]


def _expected(name, headroom=3.0, min_executions=30, share=0.5):
    """Verdict and recommendation from the seeded times, worked out here (nearest-rank p99)."""
    timeout, executions = ACTIONS[name][1], ACTIONS[name][2]
    effective = 60 if timeout is None else timeout
    times = sorted(min(t, effective * 1000) for t in executions)
    if len(times) < min_executions:
        return "no_data", None
    p99 = times[int(math.ceil(0.99 * len(times))) - 1]
    base = min(60, max(1, int(math.ceil(p99 * headroom / 1000.0))))
    if any(t >= effective * 1000 for t in times):
        return "timing_out", max(base, min(60, effective + 1))
    if p99 > share * effective * 1000:
        return "at_risk", base
    if effective > 2 * base:
        return "oversized", base
    return "ok", base


@pytest.fixture(scope="module")
def observed_emulator():
    # Backends are 100 times faster in wall time; the emulator still compares their real latency to the timeout.
    with Emulator(args=["--time-scale", "0.01"], seed=SEED) as emu:
        yield emu


@pytest.fixture
def emu(observed_emulator):
    observed_emulator.reset()
    return observed_emulator


def _inventory(emu, secret=CLIENT["client_secret"]):
    return {"all": {"vars": {"ansible_connection": "local", "ansible_python_interpreter": "{{ ansible_playbook_python }}",
                             "genesyscloud_api_base_url": emu.url},
                    "hosts": {"prod-us": {"genesyscloud_client_id": CLIENT["client_id"],
                                          "genesyscloud_client_secret": secret}}}}


@pytest.fixture
def role(run_playbook, tmp_path):
    def _run(emu, playbook, run_id, extra_vars=None, **kwargs):
        # The requests counted here are those of the observed times: the flows of the changes (the role's default
        # dependencies: planned) are test_flows.py's.
        variables = {"data_action_timeouts_report_dir": str(tmp_path / "reports"),
                     "data_action_timeouts_run_id": run_id, "data_action_timeouts_dependencies": "none"}
        variables.update(extra_vars or {})
        emu.clear_requests()
        run = run_playbook("genesyscloud.cx.%s" % playbook, inventory=_inventory(emu), extra_vars=variables, **kwargs)
        run.report_file = str(tmp_path / "reports" / run_id / "prod-us.json")
        with open(run.report_file) as handle:
            run.report = json.load(handle)
        run.rows = dict((row["name"], row) for row in run.report["rows"])
        return run
    return _run


def _timeouts(emu):
    return dict((a["name"], (a.get("config") or {}).get("timeoutSeconds")) for a in emu.actions("prod-us").values())


def _counts(emu):
    return collections.Counter(entry["route"] for entry in emu.requests()["requests"])


def test_an_audit_with_observed_times_reports_each_verdict_and_recommendation(role, emu):
    run = role(emu, "audit", "audit-stats", {"data_action_timeouts_use_stats": True})

    for name in ACTIONS:
        verdict, recommended = _expected(name)
        row = run.rows[name]
        assert (row["verdict"], row["recommended_timeout_seconds"]) == (verdict, recommended), name
        assert row["stats"]["executions"] == len(ACTIONS[name][2])
    assert run.rows["Lookup Account"]["stats"]["reached_timeout"] == 20
    assert run.report["summary"]["by_verdict"] == {"timing_out": 1, "at_risk": 0, "ok": 1, "oversized": 2, "no_data": 1}
    # The floor with observed times: one token, one listing, one analytics query; nothing written.
    assert _counts(emu) == {TOKEN: 1, LIST: 1, DRAFTS: 1, ANALYTICS: 1}
    # What a remediation would do: raise the low and the timing-out actions to 10 s; never the oversized ones.
    assert set(n for n, r in run.rows.items() if r["status"] == "would_update") == {"Lookup Account", "Few Calls"}
    assert run.rows["Lookup Account"]["timeout_seconds_after"] == 10
    found, dummy = [r for r in run.records if r["_task"].endswith("Plan, change and report on the org's timeouts")][0]["msg"]
    assert "1 timing out" in found and "2 oversized" in found and "1 no data" in found


def test_remediation_to_recommendations_is_proved_by_a_test_that_failed_before_and_passes_after(role, emu):
    verify = [{"name": "Lookup Account", "input": {"phoneNumber": "+15550100"}},
              {"id": _id("Get Tier"), "input": {"customerId": "42"}}]
    # A dry run with the same samples finds their actions in its listing and invokes nothing: the floor.
    dry = role(emu, "remediate", "fix-stats-check", {"data_action_timeouts_target": "recommended",
                                                     "data_action_timeouts_verify": verify}, check=True)
    assert _counts(emu) == {TOKEN: 1, LIST: 1, DRAFTS: 1, ANALYTICS: 1}
    assert all(row.get("verify") is None for row in dry.rows.values())
    run = role(emu, "remediate", "fix-stats", {"data_action_timeouts_target": "recommended",
                                               "data_action_timeouts_verify": verify})

    timeouts = _timeouts(emu)
    # Raised to its recommendation; the unset oversized action and the 10 s oversized one are never lowered.
    assert timeouts["Lookup Account"] == _expected("Lookup Account")[1] == 6
    assert timeouts["Get Tier"] is None and timeouts["Check Balance"] == 10 and timeouts["Create Case"] == 5
    # Low, but without enough executions there is nothing to raise it to: left as it is, and said why.
    assert timeouts["Few Calls"] == 1
    assert run.rows["Few Calls"]["status"] == "unchanged" and "no recommendation" in run.rows["Few Calls"]["msg"]

    row = run.rows["Lookup Account"]
    assert row["status"] == "updated"
    assert row["verify"]["before"]["success"] is False and row["verify"]["before"]["timed_out"] is True
    assert row["verify"]["after"]["success"] is True and row["verify"]["after"]["timed_out"] is False
    # Get Tier did not change, so it is tested before only.
    assert run.rows["Get Tier"]["verify"]["before"]["success"] is True
    assert run.rows["Get Tier"]["verify"]["after"] is None
    # The floor plus the tests: each sample's action came with the listing, none was read on its own.
    assert _counts(emu) == {TOKEN: 1, LIST: 1, DRAFTS: 1, ANALYTICS: 1, TEST: 3, PATCH: 1}
    # The sample inputs reached the backend as given.
    bodies = [e["body"] for e in emu.requests()["requests"] if e["route"] == TEST]
    assert bodies.count({"phoneNumber": "+15550100"}) == 2 and bodies.count({"customerId": "42"}) == 1

    rerun = role(emu, "remediate", "fix-stats-again", {"data_action_timeouts_target": "recommended"})
    # Idempotent on the same evidence. The query reads up to the current minute: when the rerun comes in a later
    # minute than the first run's tests, it also sees their executions (the test before the change timed out),
    # and only an action whose recommendation moved with them may be raised again.
    moved = set(name for name, row in rerun.rows.items()
                if row.get("recommended_timeout_seconds") != run.rows[name].get("recommended_timeout_seconds"))
    written = set(name for name, row in rerun.rows.items() if row["status"] == "updated")
    assert written <= moved, (written, moved)
    assert emu.requests()["writes"] == len(written) == rerun.report["summary"]["changed"]


def test_right_sizing_lowers_and_raises_in_one_run_and_rollback_restores_both(role, emu):
    before = emu.actions("prod-us")
    check = role(emu, "right_size", "size-check", check=True, diff=True)
    assert emu.requests()["writes"] == 0

    run = role(emu, "right_size", "size-1")
    timeouts = _timeouts(emu)
    for name in ("Lookup Account", "Get Tier", "Check Balance", "Create Case"):
        assert timeouts[name] == _expected(name)[1], name
    # Down: the unset 60 s and the 10 s oversized actions; up: the timing-out one and the ok one (5 -> 6 s).
    assert (timeouts["Get Tier"], timeouts["Check Balance"], timeouts["Lookup Account"]) == (1, 3, 6)
    assert timeouts["Few Calls"] == 1  # no data: right-sizing leaves it alone
    assert set(n for n, r in check.rows.items() if r["status"] == "would_update") == set(
        n for n, r in run.rows.items() if r["status"] == "updated")
    # The floor: one token, one listing, one analytics query, one PATCH per change.
    assert _counts(emu) == {TOKEN: 1, LIST: 1, DRAFTS: 1, ANALYTICS: 1, PATCH: 4}
    for action_id, action in emu.actions("prod-us").items():
        kept = dict(action, version=None, config=dict(action["config"], timeoutSeconds=None))
        was = dict(before[action_id], version=None, config=dict(before[action_id]["config"], timeoutSeconds=None))
        assert kept == was  # every other field as it was

    role(emu, "rollback", "size-undo", {"data_action_timeouts_rollback_report": run.report_file})
    restored = emu.actions("prod-us")
    for action_id, action in restored.items():
        assert action["config"] == before[action_id]["config"], action["name"]
    assert "timeoutSeconds" not in restored[_id("Get Tier")]["config"]


def test_an_org_whose_analytics_are_refused_is_audited_without_them_and_told_why(run_playbook, tmp_path):
    with Emulator(args=["--time-scale", "0.01"], seed=REFUSED) as emu:
        # Asked for evidence, the audit does not go on without it, unless told it may.
        refused = run_playbook("genesyscloud.cx.audit", inventory=_inventory(emu), expect_rc=2, extra_vars={
            "data_action_timeouts_report_dir": str(tmp_path), "data_action_timeouts_run_id": "refused-no-fallback",
            "data_action_timeouts_use_stats": True})
        assert "the answer asked for integrations:action:view" in refused.output
        run = run_playbook("genesyscloud.cx.audit", inventory=_inventory(emu), extra_vars={
            "data_action_timeouts_report_dir": str(tmp_path), "data_action_timeouts_run_id": "refused",
            "data_action_timeouts_use_stats": True, "data_action_timeouts_stats_fallback": True})
        with open(str(tmp_path / "refused" / "prod-us.json")) as handle:
            report = json.load(handle)
        assert emu.requests()["writes"] == 0
    assert "integrations:action:view" in " ".join(report["warnings"])
    # Said once on the screen (the module's warning, which the org task hands on), and kept in the report.
    assert run.output.count("integrations:action:view") == 1, run.output
    rows = dict((row["name"], row) for row in report["rows"])
    assert all(row["verdict"] is None for row in rows.values())
    # The rule goes on by the threshold alone: the low actions are still what a remediation would raise.
    assert set(n for n, r in rows.items() if r["status"] == "would_update") == {"Lookup Account", "Few Calls"}


def _ladder_p99(name):
    """The p99 the collection bounds from the view counts when the answer has none, worked out here: the
    smallest bound up to the timeout under which 99% of the successes and the executions cut off at the
    timeout lie, at most the slowest success; the timeout itself when no bound holds them."""
    timeout, executions = ACTIONS[name][1], ACTIONS[name][2]
    limit = (60 if timeout is None else timeout) * 1000
    successes = [t for t in executions if t <= limit]
    sized = len(executions)  # every execution here succeeded or was cut off at the timeout
    ladder = [250, 500, 1000, 1500, 2000, 3000, 5000, 8000, 10000, 15000, 20000, 30000, 45000, 60000]
    under = [b for b in ladder if b <= limit and 100 * len([t for t in successes if t < b]) >= 99 * sized]
    return min(under[0], max(successes)) if under else limit


def test_without_percentiles_an_audit_bounds_the_p99_and_keeps_every_verdict(run_playbook, role, tmp_path):
    with Emulator(args=["--time-scale", "0.01", "--analytics-percentiles", "absent"], seed=SEED) as emu:
        run = role(emu, "audit", "audit-no-percentiles", {"data_action_timeouts_use_stats": True})
        [query] = [e["body"] for e in emu.requests()["requests"] if e["route"] == ANALYTICS]
        assert _counts(emu) == {TOKEN: 1, LIST: 1, DRAFTS: 1, ANALYTICS: 1}
    # The query that reached the server: by action and errorType, the ladder of counts from 0 (2, 5, 10 and
    # 60 s, the org's timeouts, are on it already).
    assert query["groupBy"] == ["actionId", "errorType"]
    assert [v["range"] for v in query["views"]] == [{"gte": 0, "lt": b} for b in (
        250, 500, 1000, 1500, 2000, 3000, 5000, 8000, 10000, 15000, 20000, 30000, 45000, 60000)]
    for name in ACTIONS:
        row = run.rows[name]
        assert (row["verdict"], row["recommended_timeout_seconds"]) == _expected(name), name
        if name != "Few Calls":
            assert (row["stats"]["p99_ms"], row["stats"]["p99_source"]) == (_ladder_p99(name), "ladder"), name
        assert row["stats"]["p95_ms"] is None
    # Lookup Account: 20 of 100 cut off at its 2 s timeout, so the p99 is the timeout itself; timing out.
    assert run.rows["Lookup Account"]["stats"]["reached_timeout"] == 20
    assert run.rows["Lookup Account"]["stats"]["failures_by_error_type"] == {"timeout": 20}
    assert run.report["summary"]["by_verdict"] == {"timing_out": 1, "at_risk": 0, "ok": 1, "oversized": 2, "no_data": 1}
    with open(run.report_file[:-len(".json")] + ".md") as handle:
        markdown = handle.read()
    assert "| 100 (20 failed) | at most 2 s |" in markdown


def test_right_sizing_an_org_whose_backends_fail_fast_writes_nothing(run_playbook, role):
    # Every execution of every action an error in 8 to 39 ms: no action has a success to size from, so
    # right-sizing cuts none of them to 1 s (and raises none): the floor of requests, no PATCH.
    with Emulator(args=["--time-scale", "0.01", "--fast-failures", "1"], seed=SEED) as emu:
        before = emu.actions("prod-us")
        run = role(emu, "right_size", "size-failing")
        assert _counts(emu) == {TOKEN: 1, LIST: 1, DRAFTS: 1, ANALYTICS: 1}
        assert emu.actions("prod-us") == before
    for name, (dummy, timeout, executions, dummy2) in ACTIONS.items():
        row = run.rows[name]
        assert row["verdict"] == "no_data" and row["recommended_timeout_seconds"] is None, name
        assert row["status"] != "updated", name
        stats = row["stats"]
        assert (stats["executions"], stats["failures"], stats["successes"]) == (len(executions), len(executions), 0)
        assert stats["failure_share"] == 1 and stats["failures_by_error_type"] == {"remote_endpoint": len(executions)}
        assert stats["max_ms"] < 40 and stats["p99_ms"] is None
    assert run.report["summary"]["by_verdict"]["no_data"] == len(ACTIONS)

# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesyscloud.cx contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""data_action_timeout choosing actions by a rule (select), its cap (max_changes), whole-org results
(list_all) and targets from observed times (timeout_seconds: recommended)."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json

from ansible_collections.genesyscloud.cx.plugins.modules import data_action_timeout

from tests.unit.plugins.fake_api import ACTIONS, ANALYTICS, Fault, FakeGenesysCloud, make_action


def _org():
    fake = FakeGenesysCloud([
        make_action("Lookup account", timeout=3, version=4, action_id="custom_-_a"),
        make_action("Create ticket", timeout=None, version=2, action_id="custom_-_b"),
        make_action("Lookup history", timeout=30, version=9, action_id="custom_-_c", category="Billing"),
        make_action("Check balance", timeout=2, version=1, action_id="custom_-_d", category="Billing"),
        make_action("Send SMS", timeout=2, version=1, action_id="static_-_sms", category="Built-in"),
        make_action("Auth", timeout=None, version=1, action_id="customAuth_-_int-1"),
    ])
    return fake


def _statuses(result):
    return dict((r["id"], r["status"]) for r in result["results"])


def _patched(fake):
    return sorted(r["path"].rsplit("/", 1)[-1] for r in fake.requests_for("PATCH"))


def test_a_rule_raises_low_timeouts_and_never_touches_an_unset_one(run_module):
    fake = _org()
    args = {"select": {"timeout_at_most": 3}, "timeout_seconds": 10, "mode": "at_least", "list_all": True}
    failed, result, dummy = run_module(data_action_timeout, args, fake)
    assert not failed and result["changed"] is True
    assert _statuses(result) == {
        "custom_-_a": "updated", "custom_-_d": "updated", "custom_-_b": "ok", "custom_-_c": "ok",
        "static_-_sms": "not_applicable", "customAuth_-_int-1": "not_applicable"}
    assert _patched(fake) == ["custom_-_a", "custom_-_d"]
    assert "timeoutSeconds" not in fake.actions["custom_-_b"]["config"]
    by_id = dict((r["id"], r) for r in result["results"])
    assert by_id["custom_-_b"]["msg"] == "timeout unset (60 s) is above 3 s"
    assert (by_id["custom_-_b"]["effective_timeout_seconds_before"], by_id["custom_-_b"]["timeout_seconds_after"]) == \
        (60, None)
    # The org's order (by name), every action once; one token, one listing (auth actions included), a PATCH each.
    assert [r["name"] for r in result["results"]] == sorted(r["name"] for r in result["results"])
    assert [(r["method"], r["path"]) for r in fake.log[:2]] == [("POST", "/oauth/token"), ("GET", ACTIONS)]
    assert fake.log[1]["query"]["includeAuthActions"] == "true" and len(fake.log) == 5
    # With list_all, the org's pending drafts are listed once, whole (ceil(D / page_size) requests; none here).
    assert (fake.log[2]["path"], "ids" in fake.log[2]["query"]) == (ACTIONS + "/drafts", False)
    failed, again, dummy = run_module(data_action_timeout, args, fake)
    assert again["changed"] is False and len(fake.requests_for("PATCH")) == 2


def test_without_list_all_only_the_selected_actions_are_returned(run_module):
    fake = _org()
    failed, result, dummy = run_module(data_action_timeout, {"select": {"timeout_at_most": 3}, "timeout_seconds": 10,
                                                             "mode": "at_least"}, fake, check_mode=True)
    assert [r["id"] for r in result["results"]] == ["custom_-_d", "custom_-_a"]
    assert set(_statuses(result).values()) == {"would_update"} and fake.requests_for("PATCH") == []
    assert "includeAuthActions" not in fake.log[1]["query"]


def test_filters_leave_candidates_out_and_say_which(run_module):
    fake = _org()
    failed, result, dummy = run_module(data_action_timeout, {
        "select": {"timeout_at_most": 3, "category_exclude": ["Billing"], "name_exclude": ["^Nothing$"]},
        "timeout_seconds": 10, "mode": "at_least", "list_all": True}, fake)
    by_id = dict((r["id"], r) for r in result["results"])
    assert by_id["custom_-_d"]["status"] == "not_selected"
    assert by_id["custom_-_d"]["msg"] == "timeout 2 s is at or below 3 s, but its category 'Billing' is in category_exclude"
    assert _patched(fake) == ["custom_-_a"]
    failed, result, dummy = run_module(data_action_timeout, {
        "select": {"timeout_at_most": 60, "explicit_timeout": False}, "timeout_seconds": 60, "mode": "exact"},
        fake, check_mode=True)
    assert [r["id"] for r in result["results"]] == ["custom_-_b"]


def test_a_bad_rule_is_refused_before_any_request(run_module):
    fake = _org()
    failed, result, dummy = run_module(data_action_timeout, {
        "select": {"name_include": ["(unclosed"]}, "timeout_seconds": 10}, fake)
    assert failed and "select.name_include: '(unclosed' is not a valid regular expression" in result["msg"]
    failed, result, dummy = run_module(data_action_timeout, {"select": {}, "timeout_seconds": 61}, fake)
    assert failed and "timeout_seconds must be an integer from 1 to 60" in result["msg"]
    assert fake.log == []


def test_max_changes_refuses_the_plan_before_any_write_in_check_mode_too(run_module):
    for check_mode in (True, False):
        fake = _org()
        failed, result, dummy = run_module(data_action_timeout, {
            "select": {"timeout_at_most": 3}, "timeout_seconds": 10, "mode": "at_least", "max_changes": 1},
            fake, check_mode=check_mode)
        assert failed and result["changed"] is False
        assert "Nothing was written: 2 actions would change, more than max_changes (1)" in result["msg"]
        assert fake.requests_for("PATCH") == []
        # A dry run predicts; a real run that wrote nothing says its updates were not attempted.
        assert set(_statuses(result).values()) == {"would_update" if check_mode else "not_attempted"}
        assert all(r["msg"].startswith("not applied, because 2 actions would change") for r in result["results"])
    fake = _org()
    failed, result, dummy = run_module(data_action_timeout, {
        "select": {"timeout_at_most": 3}, "timeout_seconds": 10, "mode": "at_least", "max_changes": 2}, fake)
    assert not failed and len(fake.requests_for("PATCH")) == 2


def test_a_concurrent_rename_is_re_read_and_the_rule_still_applies_in_the_same_run(run_module):
    fake = _org()
    fake.before_patch["custom_-_a"] = lambda action: fake.admin_edit("custom_-_a", name="Lookup account (renamed)")
    failed, result, dummy = run_module(data_action_timeout, {
        "select": {"timeout_at_most": 3}, "timeout_seconds": 10, "mode": "at_least"}, fake)
    by_id = dict((r["id"], r) for r in result["results"])
    assert not failed and by_id["custom_-_a"]["status"] == "updated"
    assert "re-read after a version conflict" in by_id["custom_-_a"]["msg"]
    # The other admin's rename survives, and the timeout is raised on top of it.
    assert fake.actions["custom_-_a"]["name"] == "Lookup account (renamed)"
    assert fake.actions["custom_-_a"]["config"]["timeoutSeconds"] == 10 and fake.actions["custom_-_a"]["version"] == 6


def test_a_concurrent_change_that_takes_the_action_out_of_the_rule_is_left_alone(run_module):
    fake = _org()
    fake.before_patch["custom_-_d"] = lambda action: fake.admin_edit("custom_-_d", name="Sandbox balance")
    failed, result, dummy = run_module(data_action_timeout, {
        "select": {"timeout_at_most": 3, "name_exclude": ["^Sandbox"]}, "timeout_seconds": 10,
        "mode": "at_least"}, fake)
    by_id = dict((r["id"], r) for r in result["results"])
    assert not failed and by_id["custom_-_d"]["status"] == "unchanged"
    assert by_id["custom_-_d"]["msg"].startswith("no longer selected after a concurrent change: ")
    assert "name_exclude" in by_id["custom_-_d"]["msg"]
    assert fake.actions["custom_-_d"]["config"]["timeoutSeconds"] == 2


def _with_history(fake):
    # a: 3 s timeout, 400 executions, 40 cut off at 3 s -> timing_out, raised above 3 s
    fake.executions["custom_-_a"] = [900] * 360 + [3000] * 40
    # b: unset (60 s), p99 300 ms -> oversized, recommended 1 s
    fake.executions["custom_-_b"] = [250] * 390 + [300] * 10
    # c: 30 s, p99 20 s -> at_risk, recommended 60 s
    fake.executions["custom_-_c"] = [5000] * 95 + [20000] * 5
    # d: too few executions -> no_data
    fake.executions["custom_-_d"] = [100] * 5
    return fake


def test_recommended_targets_raise_what_times_out_and_leave_actions_without_data(run_module):
    fake = _with_history(_org())
    failed, result, dummy = run_module(data_action_timeout, {
        "select": {"verdicts": ["timing_out", "at_risk"], "timeout_at_most": 3}, "timeout_seconds": "recommended",
        "mode": "at_least", "list_all": True}, fake)
    assert not failed, result["msg"]
    by_id = dict((r["id"], r) for r in result["results"])
    assert (by_id["custom_-_a"]["verdict"], by_id["custom_-_a"]["recommended_timeout_seconds"]) == ("timing_out", 9)
    assert by_id["custom_-_a"]["status"] == "updated" and fake.actions["custom_-_a"]["config"]["timeoutSeconds"] == 9
    assert by_id["custom_-_c"]["status"] == "updated" and fake.actions["custom_-_c"]["config"]["timeoutSeconds"] == 60
    # Low, but too few executions to size: selected, left as it is, and the reason says so.
    assert by_id["custom_-_d"]["status"] == "unchanged" and by_id["custom_-_d"]["verdict"] == "no_data"
    assert "there is no recommendation: only 5 executions" in by_id["custom_-_d"]["msg"]
    # Oversized and unset: remediation never lowers, and this rule does not pick it.
    assert by_id["custom_-_b"]["status"] == "ok" and by_id["custom_-_b"]["verdict"] == "oversized"
    assert by_id["custom_-_b"]["stats"]["p99_ms"] == 300
    assert len(fake.requests_for("POST", ANALYTICS)) == 1
    query = json.loads(fake.requests_for("POST", ANALYTICS)[0]["body"])
    # The ladder's 14 bounds, which hold every timeout here (2, 3, 30 and 60 s), by action and errorType.
    bounds = [v["range"]["lt"] for v in query["views"]]
    assert len(bounds) == 14 and {2000, 3000, 30000, 60000} <= set(bounds)
    assert query["groupBy"] == ["actionId", "errorType"]


def test_right_sizing_sets_every_action_with_data_to_its_recommendation_up_or_down(run_module):
    fake = _with_history(_org())
    failed, result, dummy = run_module(data_action_timeout, {
        "select": {"verdicts": ["timing_out", "at_risk", "ok", "oversized"]}, "timeout_seconds": "recommended",
        "mode": "exact"}, fake, diff=True)
    assert not failed
    assert dict((r["id"], r["timeout_seconds_after"]) for r in result["results"]) == {
        "custom_-_a": 9, "custom_-_b": 1, "custom_-_c": 60}
    assert fake.actions["custom_-_b"]["config"]["timeoutSeconds"] == 1
    assert result["diff"]["prepared"].splitlines() == [
        "Create ticket (custom_-_b): timeout unset (60 s) -> 1 s, version 2 -> 3",
        "Lookup account (custom_-_a): timeout 3 s -> 9 s, version 4 -> 5",
        "Lookup history (custom_-_c): timeout 30 s -> 60 s, version 9 -> 10"]


def test_named_actions_can_go_to_their_recommendation(run_module):
    fake = _with_history(_org())
    failed, result, dummy = run_module(data_action_timeout, {
        "ids": ["custom_-_a", "custom_-_d"], "timeout_seconds": "recommended"}, fake)
    assert not failed
    assert [(r["id"], r["status"], r["timeout_seconds_after"]) for r in result["results"]] == [
        ("custom_-_a", "updated", 9), ("custom_-_d", "unchanged", 2)]


def test_deciding_by_observed_times_without_them_writes_nothing(run_module, monkeypatch):
    # Captured at the source: where ansible.module_utils thinks it runs on the controller, warnings go to
    # the display rather than into the result.
    warned = []
    monkeypatch.setattr(data_action_timeout.AnsibleModule, "warn", lambda self, text: warned.append(text))
    fake = _with_history(_org())
    refused = Fault(status=403, body={"message": "You are missing the following permission(s): "
                                                 "[integrations:action:view]", "code": "missing.any.permissions",
                                      "status": 403})
    fake.add_fault("POST", ANALYTICS, refused)
    failed, result, dummy = run_module(data_action_timeout, {
        "select": {"verdicts": ["timing_out"]}, "timeout_seconds": "recommended"}, fake)
    assert failed and "could not be read; nothing was changed" in result["msg"]
    assert "integrations:action:view" in result["msg"] and fake.requests_for("PATCH") == []
    # Stats only for the record: the run goes on, with a warning naming the permission.
    fake.add_fault("POST", ANALYTICS, refused)
    failed, result, dummy = run_module(data_action_timeout, {
        "ids": ["custom_-_a"], "timeout_seconds": 10, "stats": True}, fake)
    assert not failed and result["results"][0]["status"] == "updated"
    assert result["results"][0]["verdict"] is None and result["results"][0]["stats"] is None
    assert "the answer asked for integrations:action:view" in warned[-1]


def test_named_actions_with_list_all_report_every_other_action_as_not_requested(run_module):
    fake = _org()
    failed, result, dummy = run_module(data_action_timeout, {
        "actions": [{"id": "custom_-_a", "timeout_seconds": 5, "version": 4}], "list_all": True}, fake)
    statuses = _statuses(result)
    assert statuses.pop("custom_-_a") == "updated"
    assert statuses == {"custom_-_b": "not_requested", "custom_-_c": "not_requested", "custom_-_d": "not_requested",
                        "static_-_sms": "not_applicable", "customAuth_-_int-1": "not_applicable"}
    # One listing of the actions and one of the org's pending drafts (for the whole-org report).
    assert [r["path"] for r in fake.log if r["method"] == "GET"] == [ACTIONS, ACTIONS + "/drafts"]


def test_an_unset_action_recommended_at_60_s_is_left_unset(run_module):
    fake = _org()
    fake.executions["custom_-_b"] = [2000] * 90 + [60000] * 10  # unset, timing out at the 60 s maximum
    failed, result, dummy = run_module(data_action_timeout, {
        "select": {"verdicts": ["timing_out"]}, "timeout_seconds": "recommended", "mode": "exact"}, fake)
    assert not failed and result["changed"] is False
    assert [(r["id"], r["status"], r["recommended_timeout_seconds"]) for r in result["results"]] == [
        ("custom_-_b", "unchanged", 60)]
    assert result["results"][0]["msg"] == "timeout unset (60 s) already runs with the recommended 60 s"
    assert fake.requests_for("PATCH") == []


def test_without_observed_times_a_rule_with_a_timeout_criterion_fails_unless_it_may_go_on_by_it_alone(run_module, monkeypatch):
    warned = []
    monkeypatch.setattr(data_action_timeout.AnsibleModule, "warn", lambda self, text: warned.append(text))
    fake = _with_history(_org())
    fake.add_fault("POST", ANALYTICS, Fault(status=403, body={"message": "missing [integrations:action:view]",
                                                              "code": "missing.any.permissions", "status": 403}))
    failed, result, dummy = run_module(data_action_timeout, {
        "select": {"timeout_at_most": 3, "verdicts": ["timing_out", "at_risk"]}, "timeout_seconds": 10,
        "mode": "at_least"}, fake)
    # Asked to select by evidence, the run does not go on without it...
    assert failed and _patched(fake) == [] and result["changed"] is False
    assert "which could not be read; nothing was changed" in result["msg"]
    assert "the answer asked for integrations:action:view" in result["msg"] and "stats_fallback" in result["msg"]
    # ... unless told it may.
    fake.add_fault("POST", ANALYTICS, Fault(status=403, body={"message": "missing [integrations:action:view]",
                                                              "code": "missing.any.permissions", "status": 403}))
    failed, result, dummy = run_module(data_action_timeout, {
        "select": {"timeout_at_most": 3, "verdicts": ["timing_out", "at_risk"]}, "timeout_seconds": 10,
        "mode": "at_least", "stats_fallback": True}, fake)
    assert not failed and _patched(fake) == ["custom_-_a", "custom_-_d"]
    assert "picks nothing; this run selects by select.timeout_at_most (3 s) alone" in warned[-1]
    assert "integrations:action:view" in warned[0]

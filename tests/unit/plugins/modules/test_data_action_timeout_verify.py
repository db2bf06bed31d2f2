# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesyscloud.cx contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""data_action_timeout's verify samples: each action's test before the first write and after the writes for
the actions that changed, in the one module run, from its own listing."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json

from ansible_collections.genesyscloud.cx.plugins.modules import data_action_timeout

from tests.unit.plugins.fake_api import ACTIONS, Fault, make_action
from tests.unit.plugins.modules.test_data_action_test import TIMEOUT_ERROR, FakeWithTests, _failure

RULE = {"select": {"timeout_at_most": 3}, "timeout_seconds": 10, "mode": "at_least", "list_all": True}


def _org(**kwargs):
    secure = make_action("Verify PIN", timeout=2, version=3, action_id="custom_-_pin")
    secure["secure"] = True
    fake = FakeWithTests([
        make_action("Lookup account", timeout=3, version=4, action_id="custom_-_a"),
        make_action("Create ticket", timeout=None, version=2, action_id="custom_-_b"),
        make_action("Lookup history", timeout=30, version=9, action_id="custom_-_c"),
        make_action("Auth", timeout=None, version=1, action_id="customAuth_-_int-1"),
        secure,
    ], **kwargs)
    # The backend of "Lookup account" answers in time only once its timeout is above 3 s.
    fake.test_answers["custom_-_a"] = lambda action, test_input, draft: (
        _failure(TIMEOUT_ERROR)(action, test_input, draft) if action["config"].get("timeoutSeconds", 60) <= 3
        else {"success": True, "finalResult": {"account": test_input.get("account")}, "operations": []})
    return fake


def _routes(fake):
    return [(r["method"], r["path"]) for r in fake.log]


def test_samples_are_tested_before_and_the_changed_ones_after_from_the_one_listing(run_module):
    fake = _org()
    verify = [{"name": "Lookup account", "input": {"account": "A-1"}}, {"id": "custom_-_c", "input": {"q": 1}},
              {"name": "Verify PIN", "input": {"pin": "8642"}}]
    failed, result, raw = run_module(data_action_timeout, dict(RULE, verify=verify), fake)
    assert not failed and result["changed"] is True
    before, after = result["verify_before"], result["verify_after"]
    assert [(o["id"], o["success"], o["timed_out"]) for o in before] == [
        ("custom_-_a", False, True), ("custom_-_c", True, False), ("custom_-_pin", True, False)]
    assert before[0]["timeout_seconds"] == 3 and before[0]["msg"].startswith("timed out after ")
    # After: only the changed actions, each at its new timeout; the unchanged one is not tested again.
    assert [(o["id"], o["success"], o["timeout_seconds"]) for o in after] == [
        ("custom_-_a", True, 10), ("custom_-_pin", True, 10)]
    assert after[0]["output"] == {"account": "A-1"}
    # A secure action's output and its operations' results stay out of the result.
    assert "output" not in after[1] and "8642" not in json.dumps(after)
    # No read of its own per sample: token, listing, drafts, 3 tests, 2 PATCHes, 2 tests, in this order.
    routes = _routes(fake)
    assert routes[:3] == [("POST", "/oauth/token"), ("GET", ACTIONS), ("GET", ACTIONS + "/drafts")]
    assert [p.rsplit("/", 2)[-2:] for m, p in routes[3:6]] == [["custom_-_a", "test"], ["custom_-_c", "test"],
                                                               ["custom_-_pin", "test"]]
    assert sorted(m for m, p in routes[6:8]) == ["PATCH", "PATCH"]
    assert routes[8:] == [("POST", ACTIONS + "/custom_-_a/test"), ("POST", ACTIONS + "/custom_-_pin/test")]
    assert [json.loads(r["body"]) for r in fake.requests_for("POST", ACTIONS + "/custom_-_a/test")] == [
        {"account": "A-1"}] * 2


def test_check_mode_and_a_refused_plan_send_no_test(run_module):
    fake = _org()
    verify = [{"name": "Lookup account", "input": {"account": "A-1"}}]
    failed, result, dummy = run_module(data_action_timeout, dict(RULE, verify=verify), fake, check_mode=True)
    assert not failed and result["verify_after"] == []
    assert result["verify_before"][0]["skipped"] is True and result["verify_before"][0]["success"] is None
    assert result["verify_before"][0]["msg"].startswith("not run in check mode")
    failed, result, dummy = run_module(data_action_timeout, dict(RULE, verify=verify, max_changes=1), fake)
    assert failed and result["verify_before"][0]["msg"].startswith("not run: nothing is written (")
    assert not [r for r in fake.log if r["path"].endswith("/test") or r["method"] == "PATCH"]


def test_a_test_request_refused_before_the_change_fails_the_run_before_any_write(run_module):
    fake = _org(clients={"cid": ("csecret", {"integrations:action:view", "integrations:action:edit"})})
    failed, result, dummy = run_module(data_action_timeout, dict(RULE, verify=[{"id": "custom_-_a"}]), fake)
    assert failed and result["changed"] is False
    assert "Permission denied (HTTP 403, POST %s/custom_-_a/test" % ACTIONS in result["msg"]
    assert "This was the test of 'Lookup account' (custom_-_a) before the change: nothing was written." in result["msg"]
    assert not fake.requests_for("PATCH")


def test_a_test_lost_after_the_change_fails_the_run_with_every_result_and_is_not_sent_again(run_module):
    fake = _org()
    verify = [{"id": "custom_-_a"}, {"id": "custom_-_pin"}]
    # The test before answers; the connection of the test after the change drops (its outcome is unknown).
    fake.before_patch["custom_-_a"] = lambda action: fake.add_fault("POST", ACTIONS + "/custom_-_a/test", Fault(drop=True))
    failed, result, dummy = run_module(data_action_timeout, dict(RULE, verify=verify), fake)
    assert failed and result["changed"] is True
    assert {r["id"]: r["status"] for r in result["results"]}["custom_-_a"] == "updated"
    lost = result["verify_after"][0]
    assert lost["id"] == "custom_-_a" and lost["failed"] is True and lost["success"] is None
    assert result["verify_after"][1]["id"] == "custom_-_pin" and result["verify_after"][1]["success"] is True
    assert result["msg"].startswith("The timeouts were changed, but the test after the change of 'Lookup account' "
                                    "could not be run: ")
    assert len(fake.requests_for("POST", ACTIONS + "/custom_-_a/test")) == 2  # before, and the lost one once


def test_a_sample_that_names_no_action_or_a_custom_auth_one_is_refused_before_any_request_or_write(run_module):
    fake = _org()
    failed, result, dummy = run_module(data_action_timeout, dict(RULE, verify=[{"name": "No such thing"}]), fake)
    assert failed and "no data action is named 'No such thing'" in result["msg"]
    failed, result, dummy = run_module(data_action_timeout, dict(RULE, verify=[{"name": "Auth"}]), fake)
    assert failed and "is a custom authentication action" in result["msg"]
    assert not [r for r in fake.log if r["path"].endswith("/test") or r["method"] == "PATCH"]
    count = len(fake.log)
    failed, result, dummy = run_module(data_action_timeout, dict(RULE, verify=[{"id": "customAuth_-_int-1"}]), fake)
    assert failed and "is a custom authentication action" in result["msg"] and len(fake.log) == count
    failed, result, dummy = run_module(data_action_timeout, dict(RULE, verify=[{"id": " "}]), fake)
    assert failed and "verify[0].id must not be empty" in result["msg"] and len(fake.log) == count


def test_a_sample_outside_a_run_of_named_actions_is_read_once(run_module):
    fake = _org()
    args = {"ids": ["custom_-_a"], "timeout_seconds": 10, "verify": [{"id": "custom_-_a"}, {"name": "Lookup history"}]}
    failed, result, dummy = run_module(data_action_timeout, args, fake)
    assert not failed and [o["id"] for o in result["verify_before"]] == ["custom_-_a", "custom_-_c"]
    assert [o["id"] for o in result["verify_after"]] == ["custom_-_a"]
    # The named action came with the run's own reading; the other sample took one listing by its name.
    by_name = [r for r in fake.requests_for("GET", ACTIONS) if r["query"].get("name") == "Lookup history"]
    assert len(by_name) == 1 and not fake.requests_for("GET", ACTIONS + "/custom_-_c")

# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesyscloud.cx contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json
import os
import re

import yaml

from ansible_collections.genesyscloud.cx.plugins.modules import data_action_info, data_action_timeout, oauth_token
from tests.unit.plugins.fake_api import ACTIONS, FakeGenesysCloud, make_action

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", "..", ".."))


def _org():
    return FakeGenesysCloud([
        make_action("Lookup account", timeout=3, version=4, action_id="custom_-_a"),
        make_action("Create ticket", timeout=None, version=2, action_id="custom_-_b"),
        make_action("Lookup account history", timeout=30, version=9, action_id="custom_-_c", category="Billing"),
        make_action("Send SMS", timeout=2, version=1, action_id="static_-_sms", category="Built-in"),
        make_action("Auth", timeout=None, version=1, action_id="customAuth_-_int-1"),
    ])


# ---- action group -------------------------------------------------------------------------------
def _documented_action_group(name):
    """A module's declared attributes.action_group.support (the connection doc fragment says full)."""
    with open(os.path.join(REPO, "plugins", "modules", name + ".py")) as handle:
        source = handle.read()
    docs = yaml.safe_load(source.split('DOCUMENTATION = r"""', 1)[1].split('"""', 1)[0])
    fragments = docs.get("extends_documentation_fragment") or []
    if "genesyscloud.cx.attributes" in fragments:
        return "full"
    if "genesyscloud.cx.attributes.report_files" in fragments:
        return "none"
    return docs["attributes"]["action_group"]["support"]


def test_every_module_that_talks_to_genesys_cloud_is_in_the_action_group():
    with open(os.path.join(REPO, "meta", "runtime.yml")) as handle:
        runtime = yaml.safe_load(handle)
    modules = sorted(name[:-3] for name in os.listdir(os.path.join(REPO, "plugins", "modules"))
                     if name.endswith(".py") and not name.startswith("_"))
    assert modules, "no modules found"
    grouped = [name for name in modules if _documented_action_group(name) == "full"]
    # Only the controller-side report writers take no connection options, and say so in their docs.
    assert sorted(set(modules) - set(grouped)) == [
        "timeout_org_report", "timeout_report_files", "timeout_run_folder", "timeout_run_report"]
    assert sorted(runtime["action_groups"]["genesyscloud"]) == grouped
    assert runtime["requires_ansible"] == ">=2.16.0"


# ---- data_action_timeout ------------------------------------------------------------------------
def test_check_mode_then_real_run_then_rerun(run_module):
    fake = _org()
    args = {"ids": ["custom_-_a", "custom_-_b", "custom_-_c"], "timeout_seconds": 10, "mode": "at_least"}
    failed, check, dummy = run_module(data_action_timeout, args, fake, check_mode=True, diff=True)
    assert not failed and check["changed"] is True
    assert fake.requests_for("PATCH") == []
    # custom_-_b is unset: it runs with the 60 s default, so raising to 10 s would lower it: left alone.
    assert [r["status"] for r in check["results"]] == ["would_update", "unchanged", "unchanged"]
    assert check["results"][1]["msg"] == "timeout is unset (60 s), already at least 10 s"
    # Check mode cannot know the new versions, so its diff shows timeouts only, one line per action.
    assert check["diff"] == {"prepared": "Lookup account (custom_-_a): timeout 3 s -> 10 s\n"}

    fake.log[:] = []
    failed, real, dummy = run_module(data_action_timeout, args, fake, diff=True)
    assert not failed and real["changed"] is True
    assert [r["status"] for r in real["results"]] == ["updated", "unchanged", "unchanged"]
    assert real["results"][0]["version_after"] == 5
    assert real["diff"] == {"prepared": "Lookup account (custom_-_a): timeout 3 s -> 10 s, version 4 -> 5\n"}
    # The request floor: one token, one listing, one listing of the pending drafts of the named actions (the ids
    # filter), one PATCH per change.
    assert [(r["method"], r["path"]) for r in fake.log[:3]] == [
        ("POST", "/oauth/token"), ("GET", ACTIONS), ("GET", ACTIONS + "/drafts")]
    assert fake.log[2]["query"]["ids"] == "custom_-_a,custom_-_b,custom_-_c"
    assert [(r["method"], r["path"]) for r in fake.log[3:]] == [("PATCH", ACTIONS + "/custom_-_a")]
    assert len(fake.log) == 4
    assert "timeoutSeconds" not in fake.actions["custom_-_b"]["config"]
    assert all(r["draft"] is None for r in real["results"])  # none pending
    assert "function_timeout_seconds_before" not in real["results"][0]  # not asked for

    # drafts: ignore reads no drafts: today's floor of one token, one listing and one PATCH per change.
    fake.actions["custom_-_a"]["config"]["timeoutSeconds"] = 3
    fake.log[:] = []
    failed, real, dummy = run_module(data_action_timeout, dict(args, drafts="ignore"), fake)
    assert not failed and [(r["method"], r["path"]) for r in fake.log] == [
        ("POST", "/oauth/token"), ("GET", ACTIONS), ("PATCH", ACTIONS + "/custom_-_a")]
    assert "draft" not in real["results"][0]

    failed, again, dummy = run_module(data_action_timeout, args, fake)
    assert not failed and again["changed"] is False
    assert [r["status"] for r in again["results"]] == ["unchanged"] * 3


def test_a_batch_with_an_invalid_entry_changes_nothing(run_module):
    fake = _org()
    failed, result, dummy = run_module(data_action_timeout, {"actions": [
        {"id": "custom_-_a", "timeout_seconds": 10}, {"name": "Lookup", "timeout_seconds": 10}]}, fake)
    assert failed and result["changed"] is False
    assert "'Lookup'" in result["msg"] and "Nothing was changed" in result["msg"]
    assert fake.requests_for("PATCH") == []
    assert fake.actions["custom_-_a"]["config"]["timeoutSeconds"] == 3


def test_invalid_input_fails_before_any_request(run_module):
    fake = _org()
    for args, expected in [
        ({"id": "custom_-_a", "timeout_seconds": 61}, "1 to 60"),
        ({"id": "custom_-_a", "timeout_seconds": 0}, "1 to 60"),
        ({"id": "static_-_sms", "timeout_seconds": 10}, "static"),
        ({"id": "customAuth_-_int-1", "timeout_seconds": 10}, "custom authentication"),
        ({"ids": [], "timeout_seconds": 10}, "must not be empty"),
        ({"id": "custom_-_a"}, "timeout_seconds is required"),
        ({"id": "custom_-_a", "timeout_seconds": 10, "parallel": 0}, "parallel"),
        ({"actions": [{"id": "custom_-_a"}]}, "timeout_seconds"),
    ]:
        failed, result, dummy = run_module(data_action_timeout, args, fake)
        assert failed and expected in result["msg"], (args, result["msg"])
    assert fake.log == []


def test_one_failed_action_fails_the_module_with_every_result(run_module):
    fake = _org()
    original = fake._patch

    def refuse_b(request, action, update):
        if action["id"] == "custom_-_b":
            return fake._response(request, 400, {"message": "backend said no", "status": 400})
        return original(request, action, update)

    fake._patch = refuse_b
    failed, result, dummy = run_module(
        data_action_timeout, {"ids": ["custom_-_a", "custom_-_b"], "timeout_seconds": 12}, fake, diff=True)
    assert failed and result["changed"] is True
    statuses = dict((r["id"], r["status"]) for r in result["results"])
    assert statuses == {"custom_-_a": "updated", "custom_-_b": "failed"}
    assert "1 failed" in result["msg"] and "backend said no" in result["msg"]
    assert result["diff"]["prepared"].splitlines() == ["Lookup account (custom_-_a): timeout 3 s -> 12 s, version 4 -> 5"]


def test_drift_fails_or_skips_as_asked(run_module):
    fake = _org()
    entry = {"id": "custom_-_a", "timeout_seconds": 10, "version": 3}
    failed, result, dummy = run_module(data_action_timeout, {"actions": [entry]}, fake)
    assert failed and result["results"][0]["status"] == "drifted" and "drifted" in result["msg"]
    failed, result, dummy = run_module(data_action_timeout, {"actions": [entry], "on_drift": "skip"}, fake)
    assert not failed and result["changed"] is False and result["results"][0]["status"] == "drifted"
    failed, result, dummy = run_module(data_action_timeout, {"actions": [entry], "on_drift": "apply"}, fake)
    assert not failed and result["results"][0]["status"] == "updated"
    assert fake.requests_for("PATCH") and len(fake.requests_for("PATCH")) == 1


def test_drift_with_on_drift_fail_writes_nothing_at_all(run_module):
    fake = _org()
    versions = dict((i, fake.actions[i]["version"]) for i in ("custom_-_a", "custom_-_b"))
    plan = [{"id": "custom_-_a", "timeout_seconds": 10, "version": versions["custom_-_a"] - 1},
            {"id": "custom_-_b", "timeout_seconds": 10, "version": versions["custom_-_b"]}]
    failed, result, dummy = run_module(data_action_timeout, {"actions": plan}, fake)
    assert failed and result["changed"] is False
    statuses = dict((r["id"], r["status"]) for r in result["results"])
    assert statuses["custom_-_a"] == "drifted"
    assert statuses["custom_-_b"] in ("not_attempted", "unchanged")
    assert fake.requests_for("PATCH") == []  # what runs is what was approved, or nothing


def test_no_secret_or_token_in_any_output(run_module):
    fake = _org()
    # Wrong secret: the fake's error body echoes it.
    failed, result, raw = run_module(data_action_timeout, {"id": "custom_-_a", "timeout_seconds": 10,
                                                           "client_secret": "S3cret-wrong-value"}, fake)
    assert failed and "client_secret" in result["msg"] and "S3cret-wrong-value" not in raw
    # A rejected token: the fake's 401 body echoes it.
    failed, result, raw = run_module(data_action_timeout, {"id": "custom_-_a", "timeout_seconds": 10,
                                                           "client_id": None, "client_secret": None,
                                                           "access_token": "tok-expired-abcdef"}, fake)
    assert failed and "HTTP 401" in result["msg"] and "tok-expired-abcdef" not in raw
    # A successful run: neither the secret nor the token it obtained appears.
    failed, result, raw = run_module(data_action_timeout, {"id": "custom_-_a", "timeout_seconds": 10}, fake,
                                     diff=True)
    assert not failed and "csecret" not in raw
    assert all(token not in raw for token in fake.tokens)


def test_missing_credentials_is_a_clear_error(run_module):
    failed, result, dummy = run_module(data_action_info, {"api_base_url": "https://api.fake.test"}, _org(),
                                       connection=False)
    assert failed and "client_id and client_secret" in result["msg"]


# ---- data_action_info ---------------------------------------------------------------------------
def test_info_lists_sorted_with_kinds_in_one_pass(run_module):
    fake = _org()
    failed, result, dummy = run_module(data_action_info, {}, fake, check_mode=True)
    assert not failed and result["changed"] is False
    assert [a["name"] for a in result["data_actions"]] == [
        "Create ticket", "Lookup account", "Lookup account history", "Send SMS"]
    first = result["data_actions"][1]
    assert first == {"id": "custom_-_a", "name": "Lookup account", "category": "CRM", "integration_id": "int-1",
                     "secure": False, "version": 4, "timeout_seconds": 3, "effective_timeout_seconds": 3,
                     "kind": "custom"}
    unset = result["data_actions"][0]
    assert (unset["timeout_seconds"], unset["effective_timeout_seconds"]) == (None, 60)
    assert [(r["method"], r["path"]) for r in fake.log] == [("POST", "/oauth/token"), ("GET", ACTIONS)]
    assert fake.log[1]["query"]["includeConfig"] == "true" and "includeAuthActions" not in fake.log[1]["query"]


def test_info_filters(run_module):
    fake = _org()
    failed, result, dummy = run_module(data_action_info, {"name": "Lookup account"}, fake)
    assert [a["id"] for a in result["data_actions"]] == ["custom_-_a"]
    assert fake.log[-1]["query"]["name"] == "Lookup account"
    # An unset timeout runs with the 60 s default: never at most 3.
    failed, result, dummy = run_module(data_action_info, {"timeout_at_most": 3, "include_auth_actions": True}, fake)
    assert [a["id"] for a in result["data_actions"]] == ["custom_-_a", "static_-_sms"]
    failed, result, dummy = run_module(data_action_info, {"timeout_at_most": 60}, fake)
    assert [a["id"] for a in result["data_actions"]] == ["custom_-_b", "custom_-_a", "custom_-_c", "static_-_sms"]
    failed, result, dummy = run_module(data_action_info, {"explicit_timeout": False}, fake)
    assert [a["id"] for a in result["data_actions"]] == ["custom_-_b"]
    failed, result, dummy = run_module(data_action_info, {"explicit_timeout": True, "timeout_at_most": 30}, fake)
    assert [a["id"] for a in result["data_actions"]] == ["custom_-_a", "custom_-_c", "static_-_sms"]
    failed, result, dummy = run_module(data_action_info, {"category": "Billing", "include_config": True}, fake)
    assert [a["id"] for a in result["data_actions"]] == ["custom_-_c"]
    assert result["data_actions"][0]["config"]["timeoutSeconds"] == 30
    assert fake.log[-1]["query"]["category"] == "Billing"
    failed, result, dummy = run_module(data_action_info, {"id": "custom_-_b"}, fake)
    assert [a["id"] for a in result["data_actions"]] == ["custom_-_b"]
    assert result["data_actions"][0]["timeout_seconds"] is None
    assert fake.log[-1]["query"]["ids"] == "custom_-_b"
    failed, result, dummy = run_module(data_action_info, {"include_auth_actions": True}, fake)
    assert "custom_auth" in [a["kind"] for a in result["data_actions"]]
    failed, result, dummy = run_module(data_action_info, {"timeout_at_most": 0}, fake)
    assert failed and "timeout_at_most" in result["msg"]


def test_info_permission_error_names_the_permission(run_module):
    fake = FakeGenesysCloud([make_action("A")], clients={"cid": ("csecret", {"integrations:action:edit"})})
    failed, result, dummy = run_module(data_action_info, {}, fake)
    assert failed and "integrations:action:view" in result["msg"] and "correlation id corr-" in result["msg"]


# ---- oauth_token --------------------------------------------------------------------------------
def test_oauth_token_returns_one_token(run_module):
    fake = _org()
    failed, result, dummy = run_module(oauth_token, {}, fake)
    assert not failed and result["changed"] is False
    assert result["access_token"] in fake.tokens
    assert result["expires_in"] == 86400 and result["api_base_url"] == "https://api.fake.test"
    assert len(fake.log) == 1


def test_token_from_oauth_token_serves_the_other_modules(run_module):
    fake = _org()
    dummy, token, dummy2 = run_module(oauth_token, {}, fake)
    failed, result, raw = run_module(data_action_info, {"access_token": token["access_token"], "client_id": None,
                                                        "client_secret": None}, fake)
    assert not failed and len(fake.requests_for("POST", "/oauth/token")) == 1
    assert token["access_token"] not in raw


def test_oauth_token_needs_credentials(run_module):
    failed, result, dummy = run_module(oauth_token, {"access_token": "tok-xyz-12345", "client_id": None,
                                                     "client_secret": None}, _org())
    assert failed and "client_id and client_secret" in result["msg"] and "tok-xyz-12345" not in json.dumps(result)


def test_region_sets_the_hosts(run_module):
    fake = _org()
    seen = []
    original = fake.send

    def record(request, **kwargs):
        seen.append(request.url)
        return original(request, **kwargs)

    fake.send = record
    run_module(oauth_token, {"region": "eu-west-1", "client_id": "cid", "client_secret": "csecret"}, fake,
               connection=False)
    assert re.match(r"^https://login\.mypurecloud\.ie/oauth/token$", seen[0])


def test_info_with_stats_judges_every_action_from_one_query(run_module):
    fake = _org()
    fake.executions["custom_-_a"] = [1000] * 99 + [3000]   # 3 s timeout, one cut off: timing_out
    fake.executions["custom_-_b"] = [200] * 100            # unset (60 s), p99 200 ms: oversized
    failed, result, dummy = run_module(data_action_info, {"stats": True}, fake)
    assert not failed
    by_id = dict((a["id"], a) for a in result["data_actions"])
    assert (by_id["custom_-_a"]["verdict"], by_id["custom_-_a"]["recommended_timeout_seconds"]) == ("timing_out", 4)
    assert by_id["custom_-_a"]["stats"] == {"executions": 100, "successes": 100, "failures": 0, "failure_share": 0.0,
                                            "failures_by_error_type": {}, "sized_executions": 100, "mean_ms": 1020,
                                            "p95_ms": 1000, "p99_ms": 1000, "p99_source": "server", "max_ms": 3000,
                                            "reached_timeout": 1}
    assert (by_id["custom_-_b"]["verdict"], by_id["custom_-_b"]["recommended_timeout_seconds"]) == ("oversized", 1)
    assert by_id["custom_-_c"]["verdict"] == "no_data" and by_id["custom_-_c"]["recommended_timeout_seconds"] is None
    assert len(fake.requests_for("POST", "/api/v2/analytics")) == 1
    failed, result, dummy = run_module(data_action_info, {"verdicts": ["oversized"]}, fake)
    assert [a["id"] for a in result["data_actions"]] == ["custom_-_b"]
    failed, result, dummy = run_module(data_action_info, {"headroom": 0.5}, fake)
    assert failed and "headroom must be at least 1.0" in result["msg"]

# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesyscloud.cx contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The role genesyscloud.cx.data_action_timeouts through its playbooks, on three emulated orgs.

What is checked is what an administrator would notice: the requests that reached each org (the
emulator's log), what each org holds afterwards, the reports on disk and what the run printed.
Expected values are worked out here from the emulator's state, not read back from the reports.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import collections
import copy
import json
import os
import re

import pytest

from tests.emulator.harness import Emulator
from tests.integration._helpers import another_python, diff_changes

from ansible_collections.genesyscloud.cx.plugins.plugin_utils._plans import timeout_plan

ORGS = ("prod-us", "test-us", "prod-eu")
# Distinctive secrets, so a leak anywhere in the output or the reports is found by a plain search.
SECRETS = dict((org, "s3cret-%s-Zq81xW" % org) for org in ORGS)
THRESHOLD, TARGET = 3, 10

TOKEN = "POST /oauth/token"
LIST = "GET /api/v2/integrations/actions"
DRAFTS = "GET /api/v2/integrations/actions/drafts"
GET_ONE = "GET /api/v2/integrations/actions/{actionId}"
PATCH = "PATCH /api/v2/integrations/actions/{actionId}"
ANALYTICS = "POST /api/v2/analytics/actions/aggregates/query"
# The role's default dependencies: planned reads the flows of each planned change (test_flows.py tests them).
BUILD = "GET /api/v2/architect/dependencytracking/build"
CONSUMING = "GET /api/v2/architect/dependencytracking/consumingresources"
# What the role's earlier form ran per org (32 tasks, 12 set_facts); the thin role keeps within a third.
TASKS_BEFORE = 31

STATIC_INTEGRATION = "7f3e4b1a-0c2d-4e5f-8a9b-1c2d3e4f5a6b"
STATIC_ACTION = {
    # A built-in action with a low timeout: the API cannot update it, so the role must leave it.
    "id": "static_-_2b9c7d1e-4f5a-4b6c-8d7e-9f0a1b2c3d4e", "name": "Get Queue Estimated Wait",
    "category": "Genesys Cloud Data Actions", "integrationId": STATIC_INTEGRATION, "secure": False,
    "version": 1, "config": {"timeoutSeconds": 2, "request": {"requestType": "GET"}, "response": {}},
    "contract": {"input": {}, "output": {}},
}

SEED = {"orgs": [
    {"id": "prod-us", "name": "Production US", "generate": 80,
     "clients": [{"client_id": "prod-us-client", "client_secret": SECRETS["prod-us"], "permissions": ["*"]}],
     "integrations": [{"id": STATIC_INTEGRATION, "name": "Genesys Cloud Data Actions",
                       "integrationType": "purecloud-data-actions"}],
     "actions": [STATIC_ACTION]},
    {"id": "test-us", "name": "Test US", "generate": 36,
     "clients": [{"client_id": "test-us-client", "client_secret": SECRETS["test-us"], "permissions": ["*"]}]},
    {"id": "prod-eu", "name": "Production EU", "generate": 60,
     "clients": [{"client_id": "prod-eu-client", "client_secret": SECRETS["prod-eu"], "permissions": ["*"]}]},
]}


@pytest.fixture(scope="module")
def orgs_emulator():
    with Emulator(args=["--random-seed", "11"], seed=SEED) as emu:
        yield emu


@pytest.fixture
def emu(orgs_emulator):
    orgs_emulator.reset()
    return orgs_emulator


@pytest.fixture
def role(run_playbook, emu, tmp_path):
    """Run one of the collection's playbooks over the three orgs; reports go under tmp_path."""
    report_dir = str(tmp_path / "reports")

    def _run(mode, run_id, extra_vars=None, secrets=None, interpreter=None, **kwargs):
        variables = {"data_action_timeouts_report_dir": report_dir, "data_action_timeouts_run_id": run_id,
                     "data_action_timeouts_max_changes": 100}
        variables.update(extra_vars or {})
        emu.clear_requests()
        run = run_playbook("genesyscloud.cx.%s" % mode, inventory=inventory(emu, secrets, interpreter),
                           extra_vars=variables, **kwargs)
        run.report_dir = os.path.join(report_dir, run_id)
        return run

    return _run


def inventory(emu, secrets=None, interpreter=None):
    secrets = dict(SECRETS, **(secrets or {}))
    hosts = {}
    for org in ORGS:
        hosts[org] = {"genesyscloud_client_id": "%s-client" % org, "genesyscloud_client_secret": secrets[org]}
    return {"all": {
        "vars": {"ansible_connection": "local",
                 "ansible_python_interpreter": interpreter or "{{ ansible_playbook_python }}",
                 "genesyscloud_api_base_url": emu.url},
        "children": {"us": {"hosts": {"prod-us": hosts["prod-us"], "test-us": hosts["test-us"]}},
                     "eu": {"hosts": {"prod-eu": hosts["prod-eu"]}}},
    }}


def timeout_of(action):
    return (action.get("config") or {}).get("timeoutSeconds")


def low_actions(actions, threshold=THRESHOLD):
    """Ids of the actions a remediation must raise: custom, effective timeout at/below the threshold.

    An action without a timeout runs with the 60 s platform default: it is never low.
    """
    low = set()
    for action_id, action in actions.items():
        timeout = timeout_of(action)
        if action_id.startswith("custom_-_") and timeout is not None and timeout <= threshold:
            low.add(action_id)
    return low


def unset_actions(actions):
    return set(i for i, a in actions.items() if i.startswith("custom_-_") and timeout_of(a) is None)


def all_actions(emu):
    return dict((org, emu.actions(org)) for org in ORGS)


def ignoring_versions(state):
    stripped = copy.deepcopy(state)
    for actions in stripped.values():
        for action in actions.values():
            action.pop("version", None)
    return stripped


def requests_by_org(emu):
    """Counter of (org, route) for every request since the log was cleared."""
    return collections.Counter((entry["org"], entry["route"]) for entry in emu.requests()["requests"])


def load(path):
    with open(path) as handle:
        return json.load(handle)


def task_results(run, name):
    """Results of the role task whose name ends with ``name``, by host."""
    found = {}
    for task, results in run.results.items():
        if task.endswith(name):
            for result in results:
                found[result["_host"]] = result
    assert found, "no task named %r ran; tasks: %s" % (name, sorted(run.results))
    return found


def assert_no_secret(run, *paths):
    texts = [run.output]
    for path in paths:
        for name in sorted(os.listdir(path)):
            with open(os.path.join(path, name)) as handle:
                texts.append(handle.read())
    for text in texts:
        for secret in SECRETS.values():
            assert secret not in text
        assert "Bearer " not in text
        # Wherever the token is an argument (-vvv shows module arguments), it must be masked.
        assert not re.search(r'"access_token": "(?!VALUE_SPECIFIED_IN_NO_LOG_PARAMETER")', text)


def test_audit_reports_every_org_and_writes_nothing(role, emu):
    before = all_actions(emu)
    run = role("audit", "audit-1", args=["-vvv"])

    counts = requests_by_org(emu)
    for org in ORGS:
        # The floor: one token, one listing pass (custom-auth actions included, for the report), one listing of
        # the pending drafts (none here: one request); then the flows of each planned change (one build-status
        # read, one page of published flows each, none of them over 100); nothing else.
        planned = len(low_actions(before[org]))
        assert counts[(org, TOKEN)] == 1
        assert counts[(org, LIST)] == 1
        assert counts[(org, DRAFTS)] == 1
        assert counts[(org, BUILD)] == 1 and counts[(org, CONSUMING)] == planned
        assert sum(n for (o, route), n in counts.items() if o == org) == 3 + 1 + planned
    assert emu.requests()["writes"] == 0
    assert all_actions(emu) == before

    assert sorted(os.listdir(run.report_dir)) == sorted(
        ["%s.%s" % (name, ext) for name in ORGS + ("run",) for ext in ("json", "md", "html")])
    run_report = load(os.path.join(run.report_dir, "run.json"))
    assert run_report["report_type"] == "run" and run_report["run_id"] == "audit-1"
    assert sorted(org["org"] for org in run_report["orgs"]) == sorted(ORGS)
    for org in ORGS:
        org_report = load(os.path.join(run.report_dir, "%s.json" % org))
        planned = set(row["id"] for row in org_report["rows"] if row["status"] == "would_update")
        assert planned == low_actions(before[org])
        assert org_report["summary"]["low"] == len(low_actions(before[org]))
        # Every action of the org is in the report, custom-auth ones too.
        assert set(row["id"] for row in org_report["rows"]) == set(before[org])
        for row in org_report["rows"]:
            if row["status"] == "would_update":
                assert row["timeout_seconds_after"] == TARGET
                assert row["version_before"] == before[org][row["id"]]["version"]
            if row["id"].startswith("customAuth_"):
                assert row["status"] == "not_applicable"
        # The console: per org, one line for what was found and one for what would change.
        found, would = task_results(run, "Plan, change and report on the org's timeouts")[org]["msg"]
        low = len(low_actions(before[org]))
        assert found.startswith("%s: %d actions; %d at or below 3 s" % (org, len(before[org]), low))
        assert would.startswith("%s: %d would change" % (org, len(low_actions(before[org]))))
    # The built-in action is reported, never planned.
    static_row = [row for row in load(os.path.join(run.report_dir, "prod-us.json"))["rows"]
                  if row["id"] == STATIC_ACTION["id"]][0]
    assert static_row["status"] == "not_applicable"
    assert run_report["totals"]["low"] == sum(len(low_actions(before[org])) for org in ORGS)
    # An audit changes nothing, not even in the recap.
    for line in run.stdout.splitlines():
        if line.startswith(ORGS):
            assert "changed=0" in line and "failed=0" in line
    assert "run.html" in run.stdout and run.report_dir in run.stdout
    # -vvv shows module arguments: the secrets and the token must still be nowhere.
    assert_no_secret(run, run.report_dir)


def test_check_mode_with_diff_shows_each_change_and_writes_nothing(role, emu):
    before = all_actions(emu)
    run = role("remediate", "check-1", check=True, diff=True)

    counts = requests_by_org(emu)
    for org in ORGS:
        assert counts[(org, TOKEN)] == 1
        assert counts[(org, PATCH)] == 0
    assert emu.requests()["writes"] == 0
    assert all_actions(emu) == before

    planned = task_results(run, "Plan, change and report on the org's timeouts")
    for org in ORGS:
        low = low_actions(before[org])
        assert planned[org]["changed"] is True
        # The diff names every action that would change, one line each, with its timeout before and after.
        changes = diff_changes(planned[org]["diff"])
        assert set(changes) == low
        for action_id in low:
            assert changes[action_id]["before"] == timeout_of(before[org][action_id])
            assert changes[action_id]["after"] == TARGET
        report = load(os.path.join(run.report_dir, "%s.json" % org))
        assert report["check_mode"] is True
        assert set(row["id"] for row in report["rows"] if row["status"] == "would_update") == low
        shown = task_results(run, "Plan, change and report on the org's timeouts")[org]["msg"]
        assert shown[1].startswith("%s: %d would change" % (org, len(low)))
    one_id = sorted(low_actions(before["prod-eu"]))[0]
    assert "(%s): timeout %d s -> %d s" % (one_id, timeout_of(before["prod-eu"][one_id]), TARGET) in run.stdout
    assert_no_secret(run, run.report_dir)


def test_remediate_with_the_defaults_never_touches_an_unset_action(role, emu):
    before = all_actions(emu)
    unset = dict((org, unset_actions(before[org])) for org in ORGS)
    assert all(unset.values()), "the seed no longer fits this test: every org needs unset actions"
    run = role("remediate", "defaults")

    patched = collections.Counter((e["org"], e["path"].rsplit("/", 1)[-1]) for e in emu.requests()["requests"]
                                  if e["route"] == PATCH)
    after = all_actions(emu)
    for org in ORGS:
        # Zero PATCHes to an unset action: it runs at 60 s, and remediation only ever raises.
        assert not [i for i in unset[org] if patched[(org, i)]]
        for action_id in unset[org]:
            assert after[org][action_id] == before[org][action_id]
        report = load(os.path.join(run.report_dir, "%s.json" % org))
        rows = dict((row["id"], row) for row in report["rows"])
        for action_id in unset[org]:
            assert rows[action_id]["status"] == "ok"
            assert rows[action_id]["timeout_seconds_before"] is None
            assert rows[action_id]["effective_timeout_seconds_before"] == 60


def test_remediate_then_rerun_then_rollback_restores_every_org(role, emu):
    before = all_actions(emu)
    run = role("remediate", "fix-1")

    after = all_actions(emu)
    counts = requests_by_org(emu)
    for org in ORGS:
        low = low_actions(before[org])
        # The floor: 1 token, one listing pass, one drafts listing, 1 PATCH per change; nothing read twice.
        assert counts[(org, TOKEN)] == 1
        assert counts[(org, LIST)] == 1
        assert counts[(org, DRAFTS)] == 1
        assert counts[(org, PATCH)] == len(low)
        # The flows of each planned change: one build-status read, one page of published flows per change.
        assert counts[(org, BUILD)] == 1 and counts[(org, CONSUMING)] == len(low)
        assert sum(n for (o, route), n in counts.items() if o == org) == 3 + len(low) + 1 + len(low)
        for action_id, action in after[org].items():
            if action_id in low:
                assert timeout_of(action) == TARGET
                assert action["version"] == before[org][action_id]["version"] + 1
            else:
                assert action == before[org][action_id]
        report = load(os.path.join(run.report_dir, "%s.json" % org))
        assert report["check_mode"] is False
        assert set(row["id"] for row in report["rows"] if row["status"] == "updated") == low
    assert "PLAY RECAP" in run.stdout

    rerun = role("remediate", "fix-2")
    assert emu.requests()["writes"] == 0
    assert all_actions(emu) == after
    counts = requests_by_org(emu)
    for org in ORGS:
        assert counts[(org, TOKEN)] == 1
    assert load(os.path.join(rerun.report_dir, "run.json"))["totals"]["changed"] == 0
    for line in rerun.stdout.splitlines():
        if line.startswith(ORGS):
            assert "changed=0" in line and "failed=0" in line

    rollback = role("rollback", "undo-1", extra_vars={
        "data_action_timeouts_rollback_report": os.path.join(run.report_dir, "run.json")})
    counts = requests_by_org(emu)
    for org in ORGS:
        assert counts[(org, TOKEN)] == 1
        assert counts[(org, LIST)] == 1
        assert counts[(org, DRAFTS)] == 1
        assert counts[(org, PATCH)] == len(low_actions(before[org]))
        # A rollback plans its restores: their flows are read too (one build-status read, one page of published flows each).
        restored = len(low_actions(before[org]))
        assert counts[(org, BUILD)] == 1 and counts[(org, CONSUMING)] == restored
        assert sum(n for (o, route), n in counts.items() if o == org) == 3 + restored + 1 + restored
    # Every timeout is back, unset ones unset again; only the versions moved on.
    assert ignoring_versions(all_actions(emu)) == ignoring_versions(before)
    report = load(os.path.join(rollback.report_dir, "run.json"))
    assert report["mode"] == "rollback"
    assert report["totals"]["restored"] == sum(len(low_actions(before[org])) for org in ORGS)
    assert_no_secret(rollback, rollback.report_dir)


def test_rollback_of_one_org_from_its_org_report(role, emu):
    before = all_actions(emu)
    run = role("remediate", "fix-eu", limit="prod-eu")
    raised = all_actions(emu)
    assert ignoring_versions(raised)["prod-us"] == ignoring_versions(before)["prod-us"]

    role("rollback", "undo-eu", limit="prod-eu", extra_vars={
        "data_action_timeouts_rollback_report": os.path.join(run.report_dir, "prod-eu.json")})
    assert requests_by_org(emu)[("prod-eu", PATCH)] == len(low_actions(before["prod-eu"]))
    assert ignoring_versions(all_actions(emu)) == ignoring_versions(before)


def test_max_changes_stops_an_org_before_any_write(role, emu):
    before = all_actions(emu)
    low = dict((org, low_actions(before[org])) for org in ORGS)
    cap = len(low["test-us"])
    assert len(low["prod-us"]) > cap and len(low["prod-eu"]) > cap, "the seed no longer fits this test"

    run = role("remediate", "capped", extra_vars={"data_action_timeouts_max_changes": cap}, expect_rc=2)

    counts = requests_by_org(emu)
    for org in ("prod-us", "prod-eu"):
        # Refused by the module from its one listing, before any write; the count and the cap are shown.
        assert counts[(org, PATCH)] == 0 and counts[(org, LIST)] == 1
        assert all_actions(emu)[org] == before[org]
        assert "%d actions would change, more than max_changes (%d)" % (len(low[org]), cap) in run.stdout
        report = load(os.path.join(run.report_dir, "%s.json" % org))
        assert "max_changes" in report["error"]
        # Nothing was sent: not attempted, and no change counted.
        assert set(row["id"] for row in report["rows"] if row["status"] == "not_attempted") == low[org]
        assert report["summary"]["changed"] == 0
    # An org within the cap is not held back by the others.
    assert counts[("test-us", PATCH)] == cap
    recap = dict((line.split()[0], line) for line in run.stdout.splitlines() if line.startswith(ORGS))
    assert "failed=1" in recap["prod-us"] and "failed=1" in recap["prod-eu"] and "failed=0" in recap["test-us"]


def test_max_changes_zero_changes_nothing_anywhere(role, emu):
    before = all_actions(emu)
    role("remediate", "capped-0", extra_vars={"data_action_timeouts_max_changes": 0}, expect_rc=2)
    assert emu.requests()["writes"] == 0
    assert all_actions(emu) == before


def test_approved_plan_changes_only_what_was_approved_and_reports_drift(role, emu):
    before = all_actions(emu)
    plan_run = role("audit", "plan-1")
    plan_path = os.path.join(plan_run.report_dir, "run.json")
    planned = dict((org, low_actions(before[org])) for org in ORGS)

    # After approval: an administrator edits one planned action, and lowers one that was fine.
    drifted_id = sorted(planned["prod-us"])[0]
    emu.admin_edit(org="prod-us", action_id=drifted_id, name="Edited after approval")
    late_id = sorted(set(before["test-us"]) - planned["test-us"] - set(
        i for i in before["test-us"] if not i.startswith("custom_-_")))[0]
    emu.admin_edit(org="test-us", action_id=late_id, config={"timeoutSeconds": 1})
    edited = all_actions(emu)

    run = role("remediate", "apply-1", extra_vars={"data_action_timeouts_plan": plan_path})

    after = all_actions(emu)
    counts = requests_by_org(emu)
    assert counts[("prod-us", PATCH)] == len(planned["prod-us"]) - 1
    assert after["prod-us"][drifted_id] == edited["prod-us"][drifted_id]
    assert after["test-us"][late_id] == edited["test-us"][late_id]
    for org in ORGS:
        for action_id in planned[org] - {drifted_id}:
            assert timeout_of(after[org][action_id]) == TARGET
    report = load(os.path.join(run.report_dir, "prod-us.json"))
    statuses = dict((row["id"], row["status"]) for row in report["rows"])
    assert statuses[drifted_id] == "drifted"
    assert [i for i, s in statuses.items() if s == "drifted"] == [drifted_id]
    assert "prod-us: %d changed, 1 drifted" % (len(planned["prod-us"]) - 1) in run.stdout


def test_plan_that_was_not_a_dry_run_is_refused(role, emu):
    run = role("remediate", "real-1", limit="test-us")
    emu.clear_requests()
    refused = role("remediate", "replay", limit="test-us", expect_rc=2, extra_vars={
        "data_action_timeouts_plan": os.path.join(run.report_dir, "run.json")})
    assert "not a dry run" in refused.stdout and "run.json" in refused.stdout
    # The plan is read before the token is requested: nothing reached the org.
    assert emu.requests()["requests"] == []


def test_filters_narrow_the_remediation(role, emu):
    before = all_actions(emu)["prod-us"]
    low_set = low_actions(before)
    categories = sorted(set(before[i]["category"] for i in low_set))
    excluded_category = categories[0]
    excluded_name = sorted(before[i]["name"] for i in low_set if before[i]["category"] != excluded_category)[0]

    role("remediate", "narrow", limit="prod-us", extra_vars={
        # As typed on a command line: a string for a boolean, and one string for a one-element list.
        "data_action_timeouts_explicit_timeout": "true",
        "data_action_timeouts_category_exclude": excluded_category,
        "data_action_timeouts_name_exclude": ["^%s$" % excluded_name.replace("(", r"\(").replace(")", r"\)")],
    })

    expected = set(i for i in low_set
                   if before[i]["category"] != excluded_category and before[i]["name"] != excluded_name)
    assert expected, "the seed no longer fits this test"
    after = all_actions(emu)["prod-us"]
    changed = set(i for i in after if after[i] != before[i])
    assert changed == expected
    assert all(timeout_of(before[i]) is not None for i in changed)


def test_serial_waves_share_one_run_and_one_token_per_org(role, emu):
    run = role("audit", "waves", extra_vars={"data_action_timeouts_serial": 1})
    counts = requests_by_org(emu)
    assert [counts[(org, TOKEN)] for org in ORGS] == [1, 1, 1]
    # The last wave's run report holds every org of every wave.
    assert sorted(o["org"] for o in load(os.path.join(run.report_dir, "run.json"))["orgs"]) == sorted(ORGS)
    assert os.listdir(os.path.dirname(run.report_dir)) == ["waves"]


def test_default_run_id_is_shared_by_all_orgs(role, emu, run_playbook, tmp_path):
    emu.clear_requests()
    report_dir = str(tmp_path / "auto")
    run_playbook("genesyscloud.cx.audit", inventory=inventory(emu), check=True,
                 extra_vars={"data_action_timeouts_report_dir": report_dir})
    (folder,) = os.listdir(report_dir)
    assert folder.endswith("-audit-check")
    assert sorted(os.listdir(os.path.join(report_dir, folder)))[0] == "prod-eu.html"
    assert load(os.path.join(report_dir, folder, "run.json"))["run_id"] == folder


def test_an_org_that_refuses_the_login_fails_alone_and_is_reported(role, emu):
    before = all_actions(emu)
    run = role("remediate", "badlogin", secrets={"test-us": "not-the-secret-Vb7"}, expect_rc=2)
    counts = requests_by_org(emu)
    assert counts[("prod-us", PATCH)] == len(low_actions(before["prod-us"]))
    assert all_actions(emu)["test-us"] == before["test-us"]
    run_report = load(os.path.join(run.report_dir, "run.json"))
    assert [o["org"] for o in run_report["orgs"] if o.get("error")] == ["test-us"]
    recap = dict((line.split()[0], line) for line in run.stdout.splitlines() if line.startswith(ORGS))
    assert "failed=1" in recap["test-us"] and "failed=0" in recap["prod-us"]
    assert "not-the-secret-Vb7" not in run.output
    assert_no_secret(run, run.report_dir)


def test_inconsistent_settings_are_refused_before_any_request(role, emu):
    run = role("remediate", "bad", expect_rc=2, extra_vars={"data_action_timeouts_target": 2})
    assert "data_action_timeouts_target (2) must be at least data_action_timeouts_threshold (3)" in run.stdout
    assert emu.requests()["requests"] == []
    run = role("remediate", "bad1", expect_rc=2, extra_vars={"data_action_timeouts_target": "soon"})
    assert "data_action_timeouts_target must be 1 to 60 seconds or recommended, got soon" in run.stdout
    run = role("audit", "bad2", expect_rc=2, extra_vars={"data_action_timeouts_on_drift": "ignore"})
    assert "data_action_timeouts_on_drift" in run.stdout and "skip, fail, apply" in run.stdout
    run = role("audit", "bad3", expect_rc=2, extra_vars={"data_action_timeouts_mode": "remediate"})
    assert "genesyscloud.cx.audit runs in audit mode" in run.stdout
    assert emu.requests()["requests"] == []


def test_on_drift_fail_refuses_the_whole_plan_before_any_write(role, emu):
    before = all_actions(emu)
    plan_run = role("audit", "plan-2", limit="prod-us")
    drifted_id = sorted(low_actions(before["prod-us"]))[-1]
    emu.admin_edit(org="prod-us", action_id=drifted_id, name="Edited after approval")

    run = role("remediate", "apply-2", limit="prod-us", expect_rc=2, extra_vars={
        "data_action_timeouts_plan": os.path.join(plan_run.report_dir, "prod-us.json"),
        "data_action_timeouts_on_drift": "fail"})

    assert emu.requests()["writes"] == 0
    report = load(os.path.join(run.report_dir, "prod-us.json"))
    assert drifted_id in report["error"]
    statuses = collections.Counter(row["status"] for row in report["rows"])
    assert statuses["drifted"] == 1
    assert statuses["not_attempted"] == len(low_actions(before["prod-us"])) - 1


def test_a_plan_without_this_org_is_refused(role, emu):
    plan_run = role("audit", "plan-3", limit="test-us")
    emu.clear_requests()
    run = role("remediate", "apply-3", limit="prod-eu", expect_rc=2, extra_vars={
        "data_action_timeouts_plan": os.path.join(plan_run.report_dir, "run.json")})
    assert "run.json has no report for org 'prod-eu'" in run.stdout
    assert emu.requests()["requests"] == []


def test_a_run_without_a_plan_converges_when_an_admin_renames_an_action_meanwhile(role, emu):
    before = all_actions(emu)
    renamed = sorted(low_actions(before["prod-us"]))[0]
    emu.admin_edit(org="prod-us", action_id=renamed, name="Renamed during the run", when="before_next_patch")

    run = role("remediate", "converge-1", limit="prod-us")

    after = all_actions(emu)["prod-us"]
    # The rename survives and the timeout is raised anyway, in the same run: re-read and re-decided.
    assert after[renamed]["name"] == "Renamed during the run"
    assert timeout_of(after[renamed]) == TARGET
    row = [r for r in load(os.path.join(run.report_dir, "prod-us.json"))["rows"] if r["id"] == renamed][0]
    assert row["status"] == "updated" and "re-read after a version conflict" in row["msg"]
    for action_id in low_actions(before["prod-us"]):
        assert timeout_of(after[action_id]) == TARGET
    # One conflicted PATCH and one re-read more than the floor, for that action only.
    counts = requests_by_org(emu)
    assert counts[("prod-us", PATCH)] == len(low_actions(before["prod-us"])) + 1
    assert counts[("prod-us", GET_ONE)] == 1

    role("remediate", "converge-2", limit="prod-us")
    assert emu.requests()["writes"] == 0


def test_the_role_runs_a_third_of_the_tasks_it_used_to(role, emu):
    run = role("remediate", "tasks-1")
    role_tasks = set(task for task in run.results if "data_action_timeouts : " in task)
    # At most a third: 3 x 6 <= 31 (the argument check counted).
    assert len(role_tasks) * 3 <= TASKS_BEFORE, sorted(role_tasks)
    # No task prints hundreds of lines at default verbosity: the whole run fits on a screen or two.
    assert len(run.stdout.splitlines()) < 120


def test_check_mode_writes_nothing_in_any_mode(role, emu):
    before = all_actions(emu)
    fix = role("remediate", "for-undo", limit="test-us")
    changed = all_actions(emu)
    emu.clear_requests()
    undo = {"data_action_timeouts_rollback_report": os.path.join(fix.report_dir, "run.json")}
    for mode, extra, limit in (("audit", {}, None), ("remediate", {}, None), ("right_size", {}, None),
                               ("rollback", undo, "test-us")):
        run = role(mode, "check-%s" % mode, check=True, diff=True, extra_vars=extra, limit=limit)
        assert emu.requests()["writes"] == 0, mode
        assert all_actions(emu) == changed, mode
        assert load(os.path.join(run.report_dir, "run.json"))["check_mode"] is True, mode
    assert before != changed


def test_an_approved_plan_given_as_data_applies_like_one_given_as_a_path(role, emu):
    before = all_actions(emu)
    plan_run = role("audit", "plan-data", limit="prod-eu")
    # The compact plan an AWX check job publishes with set_stats: only the actions to change, by org.
    plan = timeout_plan(load(os.path.join(plan_run.report_dir, "run.json")))
    # About 200 bytes per change, and 80 per flow that calls it (the plan names them: dependencies planned).
    named = sum(len(action.get("flows") or []) for action in plan["orgs"]["prod-eu"]["actions"])
    assert sorted(plan["orgs"]) == ["prod-eu"] and len(json.dumps(plan)) < 200 * len(low_actions(before["prod-eu"])) + (
        80 * named + 500)
    role("remediate", "apply-data", limit="prod-eu", extra_vars={"data_action_timeouts_plan": plan})
    after = all_actions(emu)["prod-eu"]
    assert set(i for i in after if after[i] != before["prod-eu"][i]) == low_actions(before["prod-eu"])
    assert requests_by_org(emu)[("prod-eu", PATCH)] == len(low_actions(before["prod-eu"]))


def test_the_update_runs_in_the_org_tasks_worker_or_as_a_module_process_alike(role, emu, tmp_path):
    """With the playbook's Python the org task's worker runs data_action_timeout itself; with another interpreter
    (here the same Python run by a script) it runs as a module process. Same requests, same changes, same reports."""
    before = all_actions(emu)
    outcomes = {}
    link = another_python(str(tmp_path))
    for where, interpreter in (("worker", None), ("module process", link)):
        emu.reset()
        run = role("remediate", "fix-%s" % where.replace(" ", "-"), interpreter=interpreter, args=["-vvv"])
        said = [line for line in run.stdout.splitlines() if line.startswith("data_action_timeout runs ")]
        if where == "worker":
            assert said == ["data_action_timeout runs in this worker, with the controller's Python"] * len(ORGS)
            assert "AnsiballZ_data_action_timeout" not in run.stdout
        else:
            reason = "data_action_timeout runs as a module process: ansible_python_interpreter is %s, not the " \
                "controller's " % link
            assert len(said) == len(ORGS) and all(line.startswith(reason) for line in said), said
            assert "AnsiballZ_data_action_timeout" in run.stdout
        reports = {}
        for org in ORGS:
            report = load(os.path.join(run.report_dir, "%s.json" % org))
            reports[org] = (report["summary"], [(r["id"], r["status"], r.get("timeout_seconds_after")) for r in report["rows"]])
        outcomes[where] = (sorted(requests_by_org(emu).items()), ignoring_versions(all_actions(emu)), reports)
        assert_no_secret(run, run.report_dir)
    assert outcomes["worker"] == outcomes["module process"]
    assert outcomes["worker"][1] != ignoring_versions(before)  # it did change something


def test_a_failed_org_stops_every_later_wave_when_waves_hold_several_orgs(role, emu):
    # Waves of 2, then half: prod-us and test-us first (test-us refuses the login), prod-eu in the second wave.
    before = all_actions(emu)
    run = role("remediate", "waves-fail", secrets={"test-us": "not-the-secret-Vb7"}, expect_rc=2,
               extra_vars={"data_action_timeouts_serial": [2, "50%"]})
    counts = requests_by_org(emu)
    # The org already running in the failed org's wave finishes.
    assert counts[("prod-us", PATCH)] == len(low_actions(before["prod-us"])) > 0
    # The later wave never starts: not a request reached its org.
    assert not [key for key in counts if key[0] == "prod-eu"]
    assert all_actions(emu)["prod-eu"] == before["prod-eu"]
    run_report = load(os.path.join(run.report_dir, "run.json"))
    assert sorted(o["org"] for o in run_report["orgs"]) == ["prod-us", "test-us"]
    assert not os.path.exists(os.path.join(run.report_dir, "prod-eu.json"))


def _files_of(folder):
    """Every file of a run folder with its bytes."""
    found = {}
    for name in sorted(os.listdir(folder)):
        with open(os.path.join(folder, name), "rb") as handle:
            found[name] = handle.read()
    return found


def test_a_run_id_used_again_never_overwrites_the_record_of_a_run_that_wrote(role, emu):
    before = all_actions(emu)
    # A dry run with the ticket's number, then the real run with the same: the dry run wrote nothing, so the real
    # run takes its folder.
    role("remediate", "CHG-1", check=True)
    assert emu.requests()["writes"] == 0
    first = role("remediate", "CHG-1")
    changed = sum(len(low_actions(before[org])) for org in ORGS)
    assert emu.requests()["writes"] == changed > 0
    raised = all_actions(emu)
    record = _files_of(first.report_dir)
    assert sorted(name for name in record if name.endswith(".journal.jsonl")) == sorted(
        "%s.journal.jsonl" % org for org in ORGS)

    # The same command again, and a dry run with that id: refused before any request, the record left as it was.
    for check in (False, True):
        again = role("remediate", "CHG-1", check=check, expect_rc=2)
        assert emu.requests()["requests"] == []
        assert _files_of(first.report_dir) == record
        assert "The run id CHG-1 is taken" in again.stdout
        assert "-e data_action_timeouts_run_id=CHG-1-2 (free)" in again.stdout
        assert "Nothing was sent to Genesys Cloud" in again.stdout
    assert all_actions(emu) == raised

    # The free id runs and changes nothing (all raised already); a rollback from its report restores nothing and
    # says which report of that run id records the changes.
    second = role("remediate", "CHG-1-2")
    assert emu.requests()["writes"] == 0
    undo = role("rollback", "undo-CHG-1-2", extra_vars={
        "data_action_timeouts_rollback_report": os.path.join(second.report_dir, "run.json")})
    assert emu.requests()["writes"] == 0
    assert all_actions(emu) == raised
    first_report = os.path.join(first.report_dir, "run.json")
    # Without white space: ansible-core 2.16 wraps a warning at the terminal's width, breaking a long path anywhere.
    warnings = ["".join(text.split()) for text in undo.output.split("[WARNING]: ")]
    for org in ORGS:
        assert any("recordsnochangein%s:" % org in warning and first_report in warning for warning in warnings), org
        report = load(os.path.join(undo.report_dir, "%s.json" % org))
        assert any(first_report in warning for warning in report["warnings"])

    # Rolled back from the first run's report, everything is restored.
    role("rollback", "undo-CHG-1", extra_vars={"data_action_timeouts_rollback_report": first_report})
    assert emu.requests()["writes"] == changed
    assert ignoring_versions(all_actions(emu)) == ignoring_versions(before)

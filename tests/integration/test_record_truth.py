# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesyscloud.cx contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The record tells the truth (issue 18, items 3, 7, 8, 9 and 10), through the role's playbooks on an emulated org.

"Changed" counts only what the server confirmed; a rollback of drafts is the inverse of the change; use_stats
never decides without the observed times it asked for; a function that stops before its action is judged.
Expected values are worked out here from the emulator's state and request log, not read back from the reports.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json
import os
import signal

import pytest

from tests.emulator.harness import Emulator
from tests.integration import test_interruption as interruption
from tests.integration._helpers import PATCH_ROUTE, timeout_of

from ansible_collections.genesyscloud.cx.plugins.plugin_utils._plans import timeout_plan

ORG = "truth"
CRM, LAMBDAS = "5b0b8a8e-3f7c-4d1e-9a51-2f6a1c0e7d11", "9c41d2e0-7b1a-4f3e-8d55-0a6b2c9e1f77"
ADMIN = ("truth-admin", "admin-Zq81xW-secret")
READ_ONLY = ("truth-readonly", "ro-Zq81xW-secret")
NO_ANALYTICS = ("truth-no-analytics", "na-Zq81xW-secret")
ANALYTICS = "POST /api/v2/analytics/actions/aggregates/query"
DRAFT_PATCH = "PATCH /api/v2/integrations/actions/{actionId}/draft"
LOW = 12


def _id(n):
    return "custom_-_00000000-0000-4000-8000-%012d" % n


def _action(n, name, timeout, integration=CRM, **extra):
    config = {"request": {"requestUrlTemplate": "https://crm.example.com/api/%d/${input.id}" % n,
                          "requestType": "GET", "headers": {}, "requestTemplate": "${input.rawRequest}"},
              "response": {"translationMap": {}, "translationMapDefaults": {}, "successTemplate": "${rawResult}"}}
    if timeout is not None:
        config["timeoutSeconds"] = timeout
    action = {"id": _id(n), "name": name, "category": "CRM", "integrationId": integration, "secure": False,
              "version": 2 + n % 3, "config": config, "contract": {"input": {"inputSchema": {}}, "output": {"successSchema": {}}},
              "executions": {"count": 200, "latency_ms": 300, "jitter_ms": 50, "error_rate": 0.0}}
    action.update(extra)
    return action


# Actions 0..11: low (1 to 3 s). 20..22: low, with a pending draft: raised with the action (8 s), already above any
# target used here (25 s), unset (60 s). 30: a function data action at 20 s whose function stops at 3 s, its backend
# slower than that. 31: a function action at 10 s whose function has 15 s. 40: at 30 s, not low.
SEED = {"orgs": [{
    "id": ORG, "name": "Truth",
    "clients": [{"client_id": ADMIN[0], "client_secret": ADMIN[1], "permissions": ["*"]},
                {"client_id": READ_ONLY[0], "client_secret": READ_ONLY[1], "permissions": ["integrations:action:view"]},
                {"client_id": NO_ANALYTICS[0], "client_secret": NO_ANALYTICS[1], "permissions": ["*"],
                 "forbidden": [ANALYTICS]}],
    "integrations": [{"id": CRM, "name": "CRM", "integrationType": "custom-rest-actions"},
                     {"id": LAMBDAS, "name": "Lambdas", "integrationType": "function-data-actions"}],
    "actions": [_action(n, "Lookup %02d" % n, 1 + n % 3) for n in range(LOW)] + [
        _action(20, "Draft raised", 2, draft={"timeoutSeconds": 8, "version": 2}),
        _action(21, "Draft above", 3, draft={"timeoutSeconds": 25, "version": 4}),
        _action(22, "Draft unset", 3, draft={"timeoutSeconds": None, "version": 1}),
        _action(30, "Score lead", 20, LAMBDAS, function_timeout_seconds=3,
                backend={"latency_ms": 5000, "jitter_ms": 0, "error_rate": 0.0}),
        _action(31, "Rank lead", 10, LAMBDAS),
        _action(40, "Search history", 30),
    ],
    "generate": 0}]}
# The actions a remediation with the default threshold (3 s) raises.
LOW_IDS = set(_id(n) for n in range(LOW)) | set(_id(n) for n in (20, 21, 22))


@pytest.fixture(scope="module")
def org_emulator():
    with Emulator(args=["--random-seed", "3"], seed=SEED) as emu:
        yield emu


@pytest.fixture
def emu(org_emulator):
    org_emulator.configure(faults="")
    org_emulator.reset()
    org_emulator.clear_requests()
    return org_emulator


def _load(path):
    with open(path) as handle:
        return handle.read() if not path.endswith(".json") else json.load(handle)


@pytest.fixture
def role(run_playbook, tmp_path):
    """Run a playbook of the role on the org; ``run.report_dir`` the run's folder, ``run.report`` its org report."""
    report_dir = str(tmp_path / "reports")

    def _run(emu, playbook, run_id, extra_vars=None, client=ADMIN, org=ORG, **kwargs):
        variables = {"data_action_timeouts_report_dir": report_dir, "data_action_timeouts_run_id": run_id}
        variables.update(extra_vars or {})
        inventory = {"all": {"hosts": {org: {
            "ansible_connection": "local", "ansible_python_interpreter": "{{ ansible_playbook_python }}",
            "genesyscloud_api_base_url": emu.url, "genesyscloud_client_id": client[0],
            "genesyscloud_client_secret": client[1]}}}}
        emu.clear_requests()
        run = run_playbook("genesyscloud.cx.%s" % playbook, inventory=inventory, extra_vars=variables, **kwargs)
        run.report_dir = os.path.join(report_dir, run_id)
        path = os.path.join(run.report_dir, "%s.json" % org)
        run.report = _load(path) if os.path.exists(path) else None
        return run

    return _run


def _patches(emu, route=PATCH_ROUTE):
    return [e for e in emu.requests()["requests"] if e["route"] == route]


def _distribution(actions):
    """{bucket: count} of the custom actions' configured timeouts, the report's buckets."""
    buckets = (("1-3", 1, 3), ("4-5", 4, 5), ("6-10", 6, 10), ("11-20", 11, 20), ("21-30", 21, 30), ("31-60", 31, 60))
    counts = dict((name, 0) for name, dummy, dummy in buckets)
    counts["unset"] = 0
    for action_id, action in actions.items():
        if not action_id.startswith("custom_-_"):
            continue
        timeout = timeout_of(action)
        name = "unset" if timeout is None else next(b for b, low, high in buckets if low <= timeout <= high)
        counts[name] += 1
    return counts


def _tile(count, label):
    """A count tile of the HTML report."""
    return '<span class="v">%d</span> <span class="l">%s</span>' % (count, label)


def _assert_the_record_matches_the_org(report_dir, before, now):
    """The org report, the run report and their pages say what the org shows changed, and nothing more."""
    changed = set(i for i in before if timeout_of(now[i]) != timeout_of(before[i]))
    org = _load(os.path.join(report_dir, "%s.json" % ORG))
    run = _load(os.path.join(report_dir, "run.json"))
    assert org["summary"]["changed"] == len(changed)
    assert run["totals"]["changed"] == len(changed)
    assert set(row["id"] for row in org["rows"] if row["status"] == "updated") == changed
    after = dict((entry["bucket"], entry["after"]) for entry in org["summary"]["distribution"])
    assert after == _distribution(now)
    assert dict((entry["bucket"], entry["before"]) for entry in org["summary"]["distribution"]) == _distribution(before)
    assert "## Changed (%d)" % len(changed) in _load(os.path.join(report_dir, "%s.md" % ORG))
    page = _load(os.path.join(report_dir, "%s.html" % ORG))
    assert _tile(len(changed), "Changed") in page
    return org, run


# ---- item 3: "changed" means the server confirmed it ---------------------------------------------------
def test_a_read_only_clients_run_records_no_change_and_lists_what_was_not_attempted(emu, role):
    before = emu.actions(ORG)
    run = role(emu, "remediate", "ro", client=READ_ONLY, expect_rc=2)
    assert [e["status"] for e in _patches(emu)] == [403]
    now = emu.actions(ORG)
    assert now == before
    org, totals = _assert_the_record_matches_the_org(run.report_dir, before, now)
    statuses = [row["status"] for row in org["rows"]]
    assert statuses.count("failed") == 1 and statuses.count("not_attempted") == len(LOW_IDS) - 1
    assert statuses.count("would_update") == 0
    assert org["summary"]["by_status"]["not_attempted"] == len(LOW_IDS) - 1
    assert totals["totals"]["by_status"]["not_attempted"] == len(LOW_IDS) - 1
    for row in org["rows"]:
        if row["status"] == "not_attempted":
            assert row["timeout_seconds_after"] == row["timeout_seconds_before"]
            assert row["version_after"] == row["version_before"]
    markdown = _load(os.path.join(run.report_dir, "%s.md" % ORG))
    assert "| Status: not attempted | %d |" % (len(LOW_IDS) - 1) in markdown
    assert "## Needs attention (%d)" % len(LOW_IDS) in markdown
    assert _tile(len(LOW_IDS) - 1, "Not attempted") in _load(os.path.join(run.report_dir, "run.html"))
    assert "%s: 0 changed, 1 failed, %d not attempted" % (ORG, len(LOW_IDS) - 1) in run.stdout
    # Nothing was changed, so there is nothing to roll back.
    rollback = role(emu, "rollback", "ro-undo", {"data_action_timeouts_rollback_report": os.path.join(
        run.report_dir, "%s.json" % ORG)}, expect_rc=None)
    assert _patches(emu) == [] and emu.actions(ORG) == before, rollback.stdout


def test_a_run_refused_by_max_changes_records_no_change(emu, role):
    before = emu.actions(ORG)
    run = role(emu, "remediate", "capped", {"data_action_timeouts_max_changes": 2}, expect_rc=2)
    assert _patches(emu) == []
    org, dummy = _assert_the_record_matches_the_org(run.report_dir, before, emu.actions(ORG))
    assert org["summary"]["by_status"]["not_attempted"] == len(LOW_IDS)


@pytest.fixture(scope="module")
def slow_org():
    with Emulator(args=["--random-seed", "5", "--latency-ms", str(interruption.LATENCY_MS)],
                  seed=interruption.SEED) as emu:
        yield emu


@pytest.mark.slow
def test_an_interrupted_runs_record_counts_only_the_changes_made(slow_org, collections_path, tmp_path):
    emu = slow_org
    emu.reset()
    before = emu.actions(interruption.ORG)
    emu.clear_requests()
    report_dir = str(tmp_path / "reports")
    run = interruption.Interrupted(collections_path, emu, str(tmp_path), "stopped", report_dir)
    interruption._wait_for(emu, run.process, lambda entries: len(interruption._patches(entries)) >= 12)
    run.signal(signal.SIGINT)
    output = run.wait_for_everything()
    now = emu.actions(interruption.ORG)
    changed = set(i for i in before if timeout_of(now[i]) != timeout_of(before[i]))
    assert 12 - interruption.PARALLEL <= len(changed) < interruption.ACTIONS, output
    folder = os.path.join(report_dir, "stopped")
    org = _load(os.path.join(folder, "%s.json" % interruption.ORG))
    assert org["summary"]["changed"] == len(changed), output
    if os.path.exists(os.path.join(folder, "run.json")):  # written after Ctrl-C once issue 18's item 2 is in
        assert _load(os.path.join(folder, "run.json"))["totals"]["changed"] == len(changed)
    assert set(row["id"] for row in org["rows"] if row["status"] == "updated") == changed
    untried = [row for row in org["rows"] if row["status"] == "not_attempted"]
    assert len(untried) == interruption.ACTIONS - len(changed) - org["summary"]["by_status"]["failed"]
    assert all(row["timeout_seconds_after"] == row["timeout_seconds_before"] for row in untried)
    after = dict((entry["bucket"], entry["after"]) for entry in org["summary"]["distribution"])
    assert after["6-10"] == len(changed) and after["1-3"] == interruption.ACTIONS - len(changed)
    page = _load(os.path.join(folder, "%s.html" % interruption.ORG))
    assert _tile(len(changed), "Changed") in page
    assert "## Changed (%d)" % len(changed) in _load(os.path.join(folder, "%s.md" % interruption.ORG))


# ---- item 8: use_stats never decides without the observed times it asked for ----------------------------
def test_use_stats_without_analytics_fails_the_org_before_any_write_unless_the_fallback_is_allowed(emu, role):
    before = emu.actions(ORG)
    settings = {"data_action_timeouts_use_stats": True}
    run = role(emu, "remediate", "stats-refused", settings, client=NO_ANALYTICS, expect_rc=2)
    assert [e["status"] for e in emu.requests()["requests"] if e["route"] == ANALYTICS] == [403]
    assert emu.requests()["writes"] == 0 and emu.actions(ORG) == before
    error = run.report["error"]
    assert "selects by observed execution times (select.verdicts), which could not be read; nothing was changed" in error
    # The permission the 403 answer asked for, and that this client has it (it listed the actions).
    assert "the answer asked for integrations:action:view or bridge:actions:view" in error
    assert "another cause" in error and "data_action_timeouts_stats_fallback" in error
    assert "needs integrations:action:view" not in run.output
    assert run.report["summary"]["changed"] == 0
    # An audit asks for the same evidence: it fails alike.
    role(emu, "audit", "stats-refused-audit", settings, client=NO_ANALYTICS, expect_rc=2)

    allowed = role(emu, "remediate", "stats-fallback", dict(settings, data_action_timeouts_stats_fallback=True),
                   client=NO_ANALYTICS)
    now = emu.actions(ORG)
    assert set(i for i in before if timeout_of(now[i]) != timeout_of(before[i])) == LOW_IDS
    assert len(_patches(emu)) == len(LOW_IDS)
    assert "select.timeout_at_most (3 s) alone" in allowed.output
    assert allowed.report["summary"]["changed"] == len(LOW_IDS)


# ---- item 9: a function that stops before its action is judged, changed or not ------------------------
def test_a_function_action_whose_function_stops_first_is_judged_and_counted(emu, role):
    run = role(emu, "audit", "functions", {"data_action_timeouts_function_timeouts": True})
    assert emu.requests()["writes"] == 0
    rows = dict((row["id"], row) for row in run.report["rows"])
    score, rank = rows[_id(30)], rows[_id(31)]
    # Not low (20 s), so the run leaves it; its function stops at 3 s all the same.
    assert (score["status"], score["timeout_seconds_after"], score["function_timeout_seconds_after"]) == ("ok", 20, 3)
    assert (rank["function_timeout_seconds_after"], rank["timeout_seconds_after"]) == (15, 10)
    assert run.report["summary"]["function_actions"] == 2 and run.report["summary"]["above_function"] == 1
    markdown = _load(os.path.join(run.report_dir, "%s.md" % ORG))
    assert "| Function actions whose timeout is above their function's | 1 |" in markdown
    attention = markdown.split("## Needs attention", 1)[1].split("\n## ", 1)[0]
    assert "Score lead" in attention and "its function stops at its own 3 s, before the action's 20 s" in attention
    assert "Rank lead" not in attention
    assert "Score lead" in _load(os.path.join(run.report_dir, "%s.html" % ORG)).split("Needs attention", 1)[1]
    assert "1 function data action(s) have a timeout above their function's own" in " ".join(run.output.split())
    assert _load(os.path.join(run.report_dir, "run.json"))["totals"]["above_function"] == 1


# ---- item 7: a rollback of drafts is the inverse of the change -------------------------------------------
DRAFTED = (_id(20), _id(21), _id(22))


@pytest.mark.parametrize("source", ["report", "journal", "plan"])
def test_a_rollback_puts_back_what_each_draft_held_and_touches_no_other(emu, role, source):
    before = emu.state()["orgs"][ORG]
    settings = {"data_action_timeouts_drafts": "update", "data_action_timeouts_target": 20}
    run = role(emu, "remediate", "drafts", settings)
    changed = emu.state()["orgs"][ORG]
    # The draft at 8 s is raised with its action; those at 25 s and unset (60 s) already run at least 20 s.
    assert [p["path"].split("/")[-2] for p in _patches(emu, DRAFT_PATCH)] == [_id(20)]
    assert timeout_of(changed["drafts"][_id(20)]) == 20
    assert [changed["drafts"][i] for i in DRAFTED[1:]] == [before["drafts"][i] for i in DRAFTED[1:]]
    assert all(timeout_of(changed["actions"][i]) == 20 for i in DRAFTED)

    record = os.path.join(run.report_dir, "%s.%s" % (ORG, "json" if source == "report" else "journal.jsonl"))
    if source == "plan":
        # The compact plan the run published with set_stats (what an AWX workflow hands to its rollback job), as data.
        record = timeout_plan(_load(os.path.join(run.report_dir, "run.json")))
        entry = [a for a in record["orgs"][ORG]["actions"] if a["id"] == _id(20)][0]
        assert entry["draft"] == {"timeout_seconds_before": 8, "timeout_seconds": 20}
        assert all("draft" not in a for a in record["orgs"][ORG]["actions"] if a["id"] != _id(20))
    role(emu, "rollback", "drafts-undo-%s" % source, dict(settings, data_action_timeouts_rollback_report=record))
    restored = emu.state()["orgs"][ORG]
    # One draft PATCH, for the draft the run changed, back to what it held.
    assert [p["path"].split("/")[-2] for p in _patches(emu, DRAFT_PATCH)] == [_id(20)]
    assert timeout_of(restored["drafts"][_id(20)]) == 8
    for action_id in DRAFTED[1:]:
        assert restored["drafts"][action_id] == before["drafts"][action_id], action_id
    for action_id, action in before["actions"].items():
        assert timeout_of(restored["actions"][action_id]) == timeout_of(action), action_id
    # The rollback's pages say what a rollback does, not what a remediation targets.
    folder = os.path.join(os.path.dirname(run.report_dir), "drafts-undo-%s" % source)
    markdown = _load(os.path.join(folder, "%s.md" % ORG))
    assert "- Rollback: each action the rolled-back run changed goes back to the timeout it had before" in markdown
    assert "target" not in markdown.split("## Summary", 1)[0]
    page = _load(os.path.join(folder, "%s.html" % ORG))
    assert "each action the rolled-back run changed goes back" in page and "recommendation" not in page


# ---- item 10: the smaller ones ---------------------------------------------------------------------------
def test_token_throttling_waits_the_seconds_it_is_told(emu, run_playbook):
    # One token per 6 s; the second module run is told to retry after the seconds left, and waits exactly that:
    # one throttled answer, not one per backoff step (0.5, 1, 2, 4 s would be four).
    emu.configure(token_rate_limit="1/6", token_throttle_field="description")
    try:
        tasks = [{"name": "token %d" % n, "genesyscloud.cx.oauth_token": {}, "no_log": True} for n in (1, 2)]
        run = run_playbook(_play(emu, tasks))
    finally:
        emu.configure(token_rate_limit="", token_throttle_field="both")
    assert run.result("token 2")["_status"] == "ok"
    assert [r["status"] for r in emu.requests()["requests"] if r["route"] == "POST /oauth/token"] == [200, 400, 200]


def _play(emu, tasks):
    return [{"hosts": "localhost", "gather_facts": False, "tasks": tasks, "module_defaults": {
        "group/genesyscloud.cx.genesyscloud": {"api_base_url": emu.url, "client_id": ADMIN[0],
                                               "client_secret": ADMIN[1]}}}]


@pytest.mark.parametrize("variable,words", [("parallel", "parallel must be from 1 to 32, got 0"),
                                            ("stats_days", "stats_days"), ("min_executions", "min_executions")])
def test_a_zero_reaches_the_module_which_refuses_it(emu, role, variable, words):
    run = role(emu, "remediate", "zero-%s" % variable, {"data_action_timeouts_use_stats": True,
                                                        "data_action_timeouts_%s" % variable: 0}, expect_rc=2)
    assert emu.requests()["writes"] == 0
    assert words in run.stdout and "got 0" in run.stdout, run.stdout


@pytest.mark.slow
def test_a_rollback_is_bounded_by_its_record_not_by_the_default_cap(slow_org, role):
    emu = slow_org
    emu.reset()
    before = emu.actions(interruption.ORG)
    org = dict(org=interruption.ORG, client=(interruption.CLIENT, interruption.SECRET))
    # The default cap (50) holds a remediation of 100 before any write; its message names the variable to raise.
    capped = role(emu, "remediate", "capped", expect_rc=2, **org)
    assert emu.requests()["writes"] == 0
    assert "100 actions would change, more than max_changes (50)" in capped.stdout
    assert "raise max_changes (the role's data_action_timeouts_max_changes)" in capped.stdout
    run = role(emu, "remediate", "all", {"data_action_timeouts_max_changes": 100}, **org)
    assert len(_patches(emu)) == interruption.ACTIONS
    # The rollback restores all 100 with no cap given: its record bounds it.
    role(emu, "rollback", "all-undo", {"data_action_timeouts_rollback_report": os.path.join(
        run.report_dir, "%s.json" % interruption.ORG)}, **org)
    assert len(_patches(emu)) == interruption.ACTIONS
    assert dict((i, timeout_of(a)) for i, a in emu.actions(interruption.ORG).items()) == dict(
        (i, timeout_of(a)) for i, a in before.items())


def test_drift_is_refused_in_its_own_words(emu, role):
    audit = role(emu, "audit", "plan")
    emu.admin_edit(org=ORG, action_id=_id(0), config={"timeoutSeconds": 2}, when="now")
    run = role(emu, "remediate", "drifted", {"data_action_timeouts_plan": os.path.join(audit.report_dir, "%s.json" % ORG),
                                             "data_action_timeouts_on_drift": "fail"}, expect_rc=2)
    assert emu.requests()["writes"] == 0
    words = " ".join(run.report["error"].split())
    assert "1 action(s) drifted from the approved version (on_drift: fail): %s" % _id(0) in words
    assert "make and approve a new plan from the org as it is now" in words and "data_action_timeouts_on_drift" in words
    assert "max_changes" not in words and "raise the limit" not in words


def test_a_name_with_a_newline_is_one_line_of_the_diff(emu, role):
    emu.admin_edit(org=ORG, action_id=_id(1), name="Lookup\nforged: timeout 1 s -> 60 s", when="now")
    run = role(emu, "remediate", "diff", check=True, diff=True)
    assert "Lookup\\nforged: timeout 1 s -> 60 s (%s): timeout 2 s -> 10 s" % _id(1) in run.stdout
    assert "\nforged: timeout 1 s -> 60 s" not in run.stdout


def test_an_audit_with_samples_says_no_tests_ran_rather_than_0_of_0(emu, role):
    run = role(emu, "audit", "samples", {"data_action_timeouts_verify": [{"id": _id(0), "input": {}}]})
    assert [e for e in emu.requests()["requests"] if e["route"].endswith("/test")] == []
    markdown = _load(os.path.join(run.report_dir, "%s.md" % ORG))
    assert "| Passed after the change | no tests run |" in markdown and "0 of 0" not in markdown
    page = _load(os.path.join(run.report_dir, "%s.html" % ORG))
    assert "no tests run" in page and "0 of 0" not in page
    assert "0 of 0" not in _load(os.path.join(run.report_dir, "run.md"))


def test_a_settings_error_says_only_what_is_wrong_and_leaves_no_folder(emu, role, tmp_path):
    for attempt in (1, 2):
        run = role(emu, "remediate", "", {"data_action_timeouts_target": 2}, expect_rc=2)
        assert emu.requests()["requests"] == []
        assert "data_action_timeouts_target (2) must be at least data_action_timeouts_threshold (3)" in run.stdout
        assert "0 actions" not in run.stdout and "at or below" not in run.stdout
    # Nothing was done, so no report of it, and no folder per attempt.
    assert os.listdir(str(tmp_path / "reports")) == []


def test_start_at_task_runs_the_org_with_the_run_id_given(emu, role):
    task = "Plan, change and report on the org's timeouts"
    run = role(emu, "audit", "started-late", args=["--start-at-task", task])
    assert run.report["summary"]["low"] == len(LOW_IDS)
    assert os.path.exists(os.path.join(run.report_dir, "run.json"))
    # Without a run id there is no shared folder to choose: said in words, before any request.
    emu.clear_requests()
    untold = role(emu, "audit", "", args=["--start-at-task", task], expect_rc=2)
    assert "did not run (--start-at-task?): give -e data_action_timeouts_run_id=<id>" in untold.stdout
    assert "is undefined" not in untold.stdout and emu.requests()["requests"] == []

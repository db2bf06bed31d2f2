# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesyscloud.cx contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What moved since the last run: a weekly audit, as an AWX schedule runs it (ansible-runner, its set_stats
artifact), after a remediation, an administrator's edit, an action added and one deleted.

The emulator serves no call that creates or deletes an action (the fact sheet lists none), so the org after the
week is a second emulator seeded with what the first one holds then, one action left out and one added: the same
org, as the next audit would find it. The report folder is the same for every run."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import collections
import json
import os

import ansible_runner
import pytest

from tests.emulator.harness import Emulator
from tests.integration._helpers import job_folder
from tests.integration.chromium import artifacts_dir, render_in_chromium
from tests.integration.test_role_observed_times import CLIENT as OBSERVED_CLIENT, SEED as OBSERVED_SEED

ORG = "prod"
CLIENT, SECRET = "prod-client", "s3cret-since-Lq27"
SEED = {"orgs": [{"id": ORG, "generate": 24,
                  "clients": [{"client_id": CLIENT, "client_secret": SECRET, "permissions": ["*"]}]}]}
THRESHOLD, TARGET = 3, 10
ADDED_ID = "custom_-_5d0c7a52-3f1e-4b8e-9a61-2c4f0d7e9b13"
ADDED_NAME = "Lookup Loyalty Tier"


def timeout_of(action):
    return (action.get("config") or {}).get("timeoutSeconds")


def custom(actions):
    return sorted(i for i in actions if i.startswith("custom_-_"))


def job(tmp_path, name, emu, collections_path, report_dir, playbook, extravars=None):
    """One scheduled job: its own private data directory, one of the collection's playbooks, the org's inventory;
    the report folder kept from job to job (a persistent volume)."""
    private = tmp_path / name
    hosts = {ORG: {"genesyscloud_client_id": CLIENT, "genesyscloud_client_secret": SECRET}}
    variables = {"data_action_timeouts_report_dir": report_dir, "data_action_timeouts_run_id": name,
                 "data_action_timeouts_max_changes": 100, "data_action_timeouts_threshold": THRESHOLD,
                 "data_action_timeouts_target": TARGET}
    variables.update(extravars or {})
    emu.clear_requests()
    runner = ansible_runner.run(
        private_data_dir=job_folder(private, playbook, emu.url, hosts), playbook="job.yml", extravars=variables, quiet=True,
        envvars={"ANSIBLE_COLLECTIONS_PATH": collections_path, "ANSIBLE_NOCOLOR": "1",
                 "ANSIBLE_HOME": str(private / "ansible-home"), "GENESYSCLOUD_REQUESTS_PER_MINUTE": "100000"})
    assert runner.status == "successful", runner.stdout.read()
    requests = emu.requests()["requests"]
    runner.routes = collections.Counter(e["route"] for e in requests)
    assert SECRET not in runner.stdout.read()
    return runner


def artifact_data(runner):
    stats = [e for e in runner.events if e.get("event") == "playbook_on_stats"]
    assert len(stats) == 1
    return stats[0]["event_data"]["artifact_data"]


def org_report(report_dir, run_id, fmt="json"):
    with open(os.path.join(report_dir, run_id, "%s.%s" % (ORG, fmt)), encoding="utf-8") as stream:
        return json.load(stream) if fmt == "json" else stream.read()


def next_week_seed(emu, removed):
    """The org as ``emu`` holds it now, without ``removed``, with one action added (an integration's new one)."""
    state = emu.state()["orgs"][ORG]
    integrations = [{"id": i, "name": v["name"], "integrationType": v["integrationType"]["id"]}
                    for i, v in state["integrations"].items()]
    keys = ("id", "name", "integrationId", "category", "contract", "version", "secure", "config")
    actions = [dict((key, action[key]) for key in keys) for i, action in state["actions"].items() if i != removed]
    rest = next(a for a in actions if a["id"].startswith("custom_-_") and
                state["integrations"][a["integrationId"]]["integrationType"]["id"] == "custom-rest-actions")
    actions.append(dict(rest, id=ADDED_ID, name=ADDED_NAME, version=1,
                        config=dict(rest["config"], timeoutSeconds=2)))
    return {"orgs": [{"id": ORG, "clients": SEED["orgs"][0]["clients"], "integrations": integrations,
                      "actions": actions}]}


@pytest.fixture
def first_week():
    with Emulator(args=["--random-seed", "31"], seed=SEED) as running:
        yield running


def test_the_weekly_audit_reports_what_moved_since_the_last_run(first_week, tmp_path, collections_path):
    report_dir = str(tmp_path / "reports")
    before = first_week.actions(ORG)
    low = set(i for i in custom(before) if timeout_of(before[i]) is not None and timeout_of(before[i]) <= THRESHOLD)
    steady = [i for i in custom(before) if timeout_of(before[i]) is not None and timeout_of(before[i]) > THRESHOLD]
    assert low and len(steady) >= 2, "the seed no longer fits this test"
    edited, removed = steady[0], steady[1]

    # The first audit: nothing earlier to compare with.
    first = job(tmp_path, "audit-1", first_week, collections_path, report_dir, "audit")
    assert org_report(report_dir, "audit-1")["since_last_run"] is None
    assert artifact_data(first)["data_action_timeouts_since_last_run"] == {ORG: None}

    # The remediation raises the low ones; compared with the audit (a dry run), nothing moved.
    remediation = job(tmp_path, "remediate-1", first_week, collections_path, report_dir, "remediate")
    assert remediation.routes["PATCH /api/v2/integrations/actions/{actionId}"] == len(low)
    moved = org_report(report_dir, "remediate-1")["since_last_run"]
    assert moved["earlier"]["run_id"] == "audit-1" and moved["earlier"]["mode"] == "audit"
    assert moved["counts"] == {"added": 0, "removed": 0, "timeouts_changed": 0, "verdicts_changed": 0}

    # During the week: an administrator edits one action, one is deleted, one is added.
    first_week.admin_edit(org=ORG, action_id=edited, config={"timeoutSeconds": 45})
    held = first_week.actions(ORG)
    assert all(timeout_of(held[i]) == TARGET for i in low)
    with Emulator(args=["--random-seed", "31"], seed=next_week_seed(first_week, removed)) as next_week:
        audit = job(tmp_path, "audit-2", next_week, collections_path, report_dir, "audit")
        # The same audit with no earlier report: the comparison costs no request.
        alone = job(tmp_path, "audit-alone", next_week, collections_path, str(tmp_path / "elsewhere"), "audit")
    assert audit.routes == alone.routes and audit.routes["GET /api/v2/integrations/actions"] >= 1

    report = org_report(report_dir, "audit-2")
    moved = report["since_last_run"]
    assert org_report(str(tmp_path / "elsewhere"), "audit-alone")["since_last_run"] is None
    assert moved["earlier"] == {"run_id": "remediate-1", "mode": "remediate", "check_mode": False,
                                "generated_at": org_report(report_dir, "remediate-1")["generated_at"],
                                "path": os.path.join(report_dir, "remediate-1", "%s.json" % ORG)}
    assert moved["added"] == [{"id": ADDED_ID, "name": ADDED_NAME, "timeout_seconds": 2}]
    assert moved["removed"] == [{"id": removed, "name": before[removed]["name"],
                                 "timeout_seconds": timeout_of(before[removed])}]
    # Somebody else's edit, with the versions; the remediation's own raises are not reported as such.
    assert moved["timeouts_changed"] == [{
        "id": edited, "name": before[edited]["name"], "timeout_seconds_then": timeout_of(before[edited]),
        "timeout_seconds_now": 45, "version_then": before[edited]["version"],
        "version_now": held[edited]["version"]}]
    assert held[edited]["version"] == before[edited]["version"] + 1
    counts = {"added": 1, "removed": 1, "timeouts_changed": 1, "verdicts_changed": 0}
    assert moved["counts"] == counts

    # The Markdown and the HTML reports say the same, the org's and the run's.
    added_cell = "| %s | `%s` | 2 s |" % (ADDED_NAME, ADDED_ID)
    edit_cell = "| `%s` | %d s -> 45 s | %d -> %d |" % (edited, timeout_of(before[edited]), before[edited]["version"],
                                                        held[edited]["version"])
    for name in (ORG, "run"):
        with open(os.path.join(report_dir, "audit-2", "%s.md" % name), encoding="utf-8") as stream:
            section = stream.read().split("Since the last run", 1)[1]
        assert "Compared with run `remediate-1` (remediate, generated %s): 1 added, 1 removed, 1 timeout(s) changed " \
               "by someone else, 0 verdict(s) changed." % moved["earlier"]["generated_at"] in section
        assert added_cell in section and edit_cell in section and "`%s`" % removed in section
        with open(os.path.join(report_dir, "audit-2", "%s.html" % name), encoding="utf-8") as stream:
            page = stream.read()
        assert "<h3>Since the last run</h3>" in page and "<code>remediate-1</code>" in page
        assert "%d s → 45 s" % timeout_of(before[edited]) in page and ADDED_ID in page
    assert "Since the last run" not in org_report(report_dir, "audit-1", "md")
    # As a browser shows it (the screenshot is kept in tests/output/artifacts for people to look at).
    shown = render_in_chromium(os.path.join(report_dir, "audit-2", "%s.html" % ORG),
                               os.path.join(artifacts_dir(), "since-last-run.png"), window_size=(1280, 1100))
    section = shown.split("Since the last run", 1)[1]
    assert "Compared with run remediate-1" in section and ADDED_NAME in section and before[removed]["name"] in section
    assert "%d s → 45 s %d → %d" % (timeout_of(before[edited]), before[edited]["version"], held[edited]["version"]) \
        in section
    # The task's own lines say it too.
    line = [e for e in audit.events if e.get("event") == "runner_on_ok" and
            "since the last run" in json.dumps(e["event_data"].get("res", {}).get("msg"))]
    assert len(line) == 1

    # The run report sums it; the schedule's artifact has the counts, per org.
    with open(os.path.join(report_dir, "audit-2", "run.json"), encoding="utf-8") as stream:
        run = json.load(stream)
    assert run["orgs"][0]["since_last_run"] == moved
    assert run["totals"]["since_last_run"] == dict(counts, orgs_compared=1)
    assert artifact_data(audit)["data_action_timeouts_since_last_run"] == {ORG: counts}
    assert artifact_data(alone)["data_action_timeouts_since_last_run"] == {ORG: None}


def test_a_verdict_that_changed_since_the_last_run_is_shown_with_its_stats(run_playbook, tmp_path):
    """The seeded times of test_role_observed_times: "Create Case" (5 s, p99 2 s) is ok; an administrator sets 3 s,
    which its p99 uses more than half of: at risk on the next audit, with the same stats."""
    report_dir = str(tmp_path / "reports")
    case = "custom_-_a4"
    with Emulator(args=["--time-scale", "0.01"], seed=OBSERVED_SEED) as emu:
        inventory = {"all": {"vars": {"ansible_connection": "local",
                                      "ansible_python_interpreter": "{{ ansible_playbook_python }}",
                                      "genesyscloud_api_base_url": emu.url},
                             "hosts": {"prod-us": {"genesyscloud_client_id": OBSERVED_CLIENT["client_id"],
                                                   "genesyscloud_client_secret": OBSERVED_CLIENT["client_secret"]}}}}

        def audit(run_id):
            run_playbook("genesyscloud.cx.audit", inventory=inventory, extra_vars={
                "data_action_timeouts_report_dir": report_dir, "data_action_timeouts_run_id": run_id,
                "data_action_timeouts_use_stats": True})
            with open(os.path.join(report_dir, run_id, "prod-us.json"), encoding="utf-8") as stream:
                return json.load(stream)

        first = audit("week-1")
        emu.admin_edit(org="prod-us", action_id=case, config={"timeoutSeconds": 3})
        second = audit("week-2")
    then = dict((row["id"], row) for row in first["rows"])[case]
    now = dict((row["id"], row) for row in second["rows"])[case]
    assert (then["verdict"], now["verdict"]) == ("ok", "at_risk")
    moved = second["since_last_run"]
    assert moved["counts"] == {"added": 0, "removed": 0, "timeouts_changed": 1, "verdicts_changed": 1}
    assert moved["verdicts_changed"] == [{
        "id": case, "name": "Create Case", "verdict_then": "ok", "verdict_now": "at_risk",
        "stats_then": dict((key, then["stats"][key]) for key in ("executions", "p99_ms", "max_ms", "failure_share")),
        "stats_now": dict((key, now["stats"][key]) for key in ("executions", "p99_ms", "max_ms", "failure_share"))}]
    assert then["stats"]["p99_ms"] == 2000 and then["stats"]["executions"] == 100
    with open(os.path.join(report_dir, "week-2", "prod-us.md"), encoding="utf-8") as stream:
        section = stream.read().split("Since the last run", 1)[1]
    assert "| Create Case | `%s` | ok -> at risk | p99 2 s, max 2 s, 100 executions, 0%% failed | p99 2 s, max 2 s, " \
           "100 executions, 0%% failed |" % case in section

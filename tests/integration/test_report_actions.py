# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesyscloud.cx contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The report actions in a playbook of one's own around the modules, against the emulator: timeout_run_folder,
timeout_org_report from data_action_timeout's results file, timeout_run_report; and the deprecated
timeout_report_files, which still does each of its tasks and says it is deprecated."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json
import os

from tests.integration._helpers import PATCH_ROUTE, custom_actions, effective_timeout_of, play, writes


def _low_ids(actions, at_most=3):
    return sorted(k for k, v in custom_actions(actions).items() if effective_timeout_of(v) <= at_most)


def _load(path):
    with open(path) as handle:
        return json.load(handle)


def _tasks(report_action, run_folder_args, org_report_args, run_report_args, dest):
    """A dry run of one org: the run folder, the update handing its results over in a file, the org's report from that
    file, the run's report publishing the plan."""
    return [
        {"name": "run folder", report_action[0]: dict(run_folder_args, dest=dest), "register": "run_folder"},
        {"name": "raise", "genesyscloud.cx.data_action_timeout": {
            "select": {"timeout_at_most": 3}, "timeout_seconds": 10, "mode": "at_least", "list_all": True,
            "results_file": "{{ run_folder.dest }}/.localhost.results.json"}, "register": "update"},
        {"name": "org report", report_action[1]: dict(org_report_args, **{
            "results_file": "{{ update.results_file }}", "run_result": "{{ update }}", "dest": "{{ run_folder.dest }}",
            "report_options": {"org": "localhost", "mode": "remediate", "check_mode": "{{ ansible_check_mode }}",
                               "run_id": "{{ run_folder.dest | basename }}"}})},
        {"name": "run report", report_action[2]: dict(run_report_args, **{
            "orgs": ["localhost"], "run_id": "{{ run_folder.dest | basename }}", "dest": "{{ run_folder.dest }}",
            "publish_plan_as": "approved_plan"}), "run_once": True},
    ]


def _check_the_dry_run(emulator, run, dest, low):
    assert writes(emulator) == 0 and emulator.requests()["counts"].get(PATCH_ROUTE, 0) == 0
    assert sorted(os.listdir(dest)) == sorted("%s.%s" % (name, ext) for name in ("localhost", "run")
                                              for ext in ("json", "md", "html"))  # the results file went
    org = _load(os.path.join(dest, "localhost.json"))
    assert org["check_mode"] is True
    assert sorted(row["id"] for row in org["rows"] if row["status"] == "would_update") == low
    assert run.result("org report")["failure"] == ""
    plan = _load(os.path.join(dest, "run.json"))
    assert [o["org"] for o in plan["orgs"]] == ["localhost"]
    assert run.result("run folder")["dest"] == dest


def test_a_dry_run_of_one_s_own_with_the_report_actions(emulator, run_playbook, tmp_path):
    low = _low_ids(emulator.actions())
    assert low
    dest = str(tmp_path / "reports" / "own-1")
    emulator.clear_requests()
    run = run_playbook(play(emulator, _tasks(
        ("genesyscloud.cx.timeout_run_folder", "genesyscloud.cx.timeout_org_report", "genesyscloud.cx.timeout_run_report"),
        {}, {}, {}, dest)), check=True)
    _check_the_dry_run(emulator, run, dest, low)
    assert "deprecated" not in run.output.lower()


def test_the_deprecated_name_still_does_it_and_says_what_replaces_it(emulator, run_playbook, tmp_path):
    low = _low_ids(emulator.actions())
    dest = str(tmp_path / "reports" / "old-1")
    emulator.clear_requests()
    old = "genesyscloud.cx.timeout_report_files"
    run = run_playbook(play(emulator, _tasks((old, old, old), {"prepare": True}, {}, {}, dest)), check=True)
    _check_the_dry_run(emulator, run, dest, low)
    said = "".join(run.output.split())  # ansible-core 2.16 wraps the warning's lines
    assert "".join((
        "genesyscloud.cx.timeout_report_files has been deprecated. Use genesyscloud.cx.timeout_run_folder (prepare), "
        "genesyscloud.cx.timeout_org_report (results, results_file, an org report) or "
        "genesyscloud.cx.timeout_run_report (orgs) instead").split()) in said
    assert "1.0.0" in said

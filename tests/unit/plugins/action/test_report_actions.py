# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesyscloud.cx contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The report actions, one per meaning (timeout_run_folder, timeout_org_report, timeout_run_report), and the
deprecated timeout_report_files handing each of its modes to the same step."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json
import os
from unittest import mock

import pytest
from ansible.errors import AnsibleActionFail
from ansible.playbook.play_context import PlayContext
from ansible.playbook.task import Task

from ansible_collections.genesyscloud.cx.plugins.action import (
    timeout_org_report,
    timeout_report_files,
    timeout_run_folder,
    timeout_run_report,
)


def _run(plugin, args):
    task = Task()
    task.args = args
    connection = mock.MagicMock()
    connection._shell.tmpdir = "/tmp/unused"
    action = plugin.ActionModule(task, connection=connection, play_context=PlayContext(), loader=None, templar=None,
                                 shared_loader_obj=None)
    return action.run(task_vars={"inventory_hostname": "localhost"})


def _row(action_id, status="updated"):
    return {"id": action_id, "name": action_id, "category": "CRM", "kind": "custom", "status": status,
            "timeout_seconds_before": 3, "timeout_seconds_after": 10, "version_before": 1, "version_after": 2,
            "msg": "timeout 3 s -> 10 s"}


def _journal_with_a_change(folder, org="prod"):
    """A journal that records one change, as data_action_timeout writes it (the record a new run must keep)."""
    from ansible_collections.genesyscloud.cx.plugins.module_utils._journal import Journal
    journal = Journal.create(os.path.join(str(folder), "%s.journal.jsonl" % org), {
        "info": {"org": org, "run_id": os.path.basename(str(folder))},
        "actions": [{"id": "custom_-_a", "name": "A", "timeout_seconds_before": 3, "timeout_seconds": 10,
                     "version_before": 1}]})
    journal.sending("custom_-_a", 1, 10)
    journal.outcome(dict(_row("custom_-_a"), name="A"))
    journal.end([_row("custom_-_a")])
    journal.close()


def test_the_run_folder_is_made_and_probed(tmp_path):
    dest = tmp_path / "reports" / "run-1"
    result = _run(timeout_run_folder, {"dest": str(dest)})
    assert result["dest"] == str(dest) and result["changed"] is False and result["msg"] == ["reports go to %s" % dest]
    assert dest.is_dir() and os.listdir(str(dest)) == []


def test_a_run_folder_that_holds_a_run_that_wrote_is_refused_when_chosen_and_skipped_when_made_up(tmp_path):
    taken = tmp_path / "run-1"
    taken.mkdir()
    _journal_with_a_change(taken)
    with pytest.raises(AnsibleActionFail) as caught:
        _run(timeout_run_folder, {"dest": str(taken)})
    assert "The run id run-1 is taken" in str(caught.value) and "run-1-2 (free)" in str(caught.value)
    assert not (tmp_path / "run-1-2").exists()
    result = _run(timeout_run_folder, {"dest": str(taken), "run_id_chosen": False})
    assert result["dest"] == str(tmp_path / "run-1-2") and (tmp_path / "run-1-2").is_dir()
    # A later serial wave goes on in its own run's folder.
    assert _run(timeout_run_folder, {"dest": str(taken), "run_continues": True})["dest"] == str(taken)


def test_an_org_report_is_built_from_the_results_file_which_then_goes(tmp_path):
    results_file = tmp_path / ".prod.results.json"
    results_file.write_text(json.dumps([_row("custom_-_a"), _row("custom_-_b", "ok")]))
    result = _run(timeout_org_report, {
        "results_file": str(results_file), "dest": str(tmp_path / "r1"), "formats": ["json", "md"],
        "report_options": {"org": "prod", "mode": "remediate", "run_id": "r1"},
        "run_result": {"changed": True, "api_base_url": "https://api.mypurecloud.de", "warnings": ["w"]},
        "publish_plan_as": "approved"})
    assert [os.path.basename(p) for p in result["paths"]] == ["prod.json", "prod.md"]
    report = json.load(open(result["paths"][0]))
    assert [row["id"] for row in report["rows"]] == ["custom_-_a", "custom_-_b"]
    assert report["api_base_url"] == "https://api.mypurecloud.de" and report["warnings"] == ["w"]
    assert not results_file.exists()
    assert result["failure"] == "" and result["msg"][0].startswith("prod: 2 actions")
    assert list(result["ansible_stats"]["data"]) == ["approved"] and result["ansible_stats"]["per_host"] is False


def test_an_org_report_refuses_a_run_report_and_options_that_only_a_built_one_takes(tmp_path):
    with pytest.raises(AnsibleActionFail) as caught:
        _run(timeout_org_report, {"report": {"report_type": "run", "orgs": []}, "dest": str(tmp_path)})
    assert "report must be an org report (report_type org), got 'run'" in str(caught.value)
    with pytest.raises(AnsibleActionFail) as caught:
        _run(timeout_org_report, {"report": {"report_type": "org"}, "report_options": {"org": "x"},
                                  "dest": str(tmp_path)})
    assert "report_options go with results or results_file, not with report" in str(caught.value)
    with pytest.raises(AnsibleActionFail) as caught:
        _run(timeout_org_report, {"dest": str(tmp_path)})
    assert "one of the following is required: results, results_file, report" in str(caught.value)


def _org_reports(dest, orgs):
    for org in orgs:
        _run(timeout_org_report, {"results": [_row("custom_-_%s" % org)], "dest": str(dest),
                                  "report_options": {"org": org, "mode": "remediate", "check_mode": True,
                                                     "run_id": os.path.basename(str(dest))}})


def test_the_run_report_combines_the_org_reports_in_the_folder_and_publishes_the_plan(tmp_path):
    dest = tmp_path / "r2"
    _org_reports(dest, ["prod", "test"])
    result = _run(timeout_run_report, {"dest": str(dest), "orgs": ["prod", "test", "later-wave"], "run_id": "r2",
                                       "publish_plan_as": "plan", "publish_summaries_as": "summaries"})
    assert result["msg"] == ["run r2: 2 org(s); reports in %s" % dest] and "warnings" not in result
    report = json.load(open(str(dest / "run.json")))
    assert [org["org"] for org in report["orgs"]] == ["prod", "test"]
    stats = result["ansible_stats"]["data"]
    assert sorted(stats["summaries"]) == ["prod", "test"]
    assert stats["plan"]["run_id"] == "r2" and len(stats["plan"]["orgs"]) == 2
    # Each action's row of the run page links to its org's page beside it.
    assert 'href="prod.html' in open(str(dest / "run.html")).read()


def test_a_run_report_warns_of_an_org_that_wrote_but_has_no_report(tmp_path):
    dest = tmp_path / "r3"
    _org_reports(dest, ["prod"])
    _journal_with_a_change(dest, "test")
    result = _run(timeout_run_report, {"dest": str(dest), "orgs": ["prod", "test"], "run_id": "r3"})
    assert len(result["warnings"]) == 1 and result["warnings"][0].startswith("test has no report")
    assert result["msg"][1:] == result["warnings"]


def test_a_run_without_any_org_report_writes_nothing_and_leaves_no_folder(tmp_path):
    dest = tmp_path / "r4"
    dest.mkdir()
    result = _run(timeout_run_report, {"dest": str(dest), "orgs": ["prod"], "run_id": "r4",
                                       "publish_plan_as": "plan"})
    assert result["paths"] == [] and "ansible_stats" not in result and not dest.exists()
    assert result["msg"] == ["run r4: no org report to combine; nothing written"]


@pytest.mark.parametrize("args, expected", [
    ({"prepare": True}, {"dest"}),
    ({"results": [_row("custom_-_a")], "report_options": {"org": "prod", "mode": "audit"}}, {"paths", "failure"}),
    ({"orgs": ["prod"], "run_id": "r5"}, {"paths"}),
])
def test_the_deprecated_name_still_does_each_of_its_four_tasks(tmp_path, args, expected):
    dest = tmp_path / "r5"
    if "orgs" in args:
        _org_reports(dest, ["prod"])
    result = _run(timeout_report_files, dict(args, dest=str(dest)))
    assert expected <= set(result) and not result.get("failed")
    written = sorted(os.listdir(str(dest)))
    assert written == ([] if args.get("prepare") else sorted(
        ["prod.json", "prod.md", "prod.html"] + (["run.json", "run.md", "run.html"] if "orgs" in args else [])))


def test_the_deprecated_name_writes_a_run_report_given_as_data(tmp_path):
    from ansible_collections.genesyscloud.cx.plugins.plugin_utils._org_reports import timeout_report
    from ansible_collections.genesyscloud.cx.plugins.plugin_utils._report_reading import build_run_report
    org = timeout_report([_row("custom_-_a")], org="prod", mode="remediate", check_mode=True, run_id="r6")
    result = _run(timeout_report_files, {"report": build_run_report([org], run_id="r6"), "dest": str(tmp_path),
                                         "formats": ["json"], "publish_plan_as": "plan"})
    assert [os.path.basename(p) for p in result["paths"]] == ["run.json"]
    assert result["ansible_stats"]["data"]["plan"]["run_id"] == "r6"

# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesyscloud.cx contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The role's per-org action: settings check, the one module call, the org report (plugins/action/timeout_org_run.py).

The module call is replaced by a recorder here; the integration tests run the real one against the emulator.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json
import os
from unittest import mock

from ansible.playbook.play_context import PlayContext
from ansible.playbook.task import Task

from ansible_collections.genesyscloud.cx.plugins.action.timeout_org_run import ActionModule


def _action(args, check_mode=False, module_result=None, calls=None):
    task = Task()
    task.args = args
    task.check_mode = check_mode
    connection = mock.MagicMock()
    connection._shell.tmpdir = "/tmp/unused"
    action = ActionModule(task, connection=connection, play_context=PlayContext(), loader=None, templar=None,
                          shared_loader_obj=None)

    def execute_module(module_name=None, module_args=None, task_vars=None, **kwargs):
        calls.append((module_name, dict(module_args), action._task.check_mode))
        result = dict(module_result or {})
        if "results" in result:
            with open(module_args["results_file"], "w") as handle:
                json.dump(result.pop("results"), handle)
            result["results_file"] = module_args["results_file"]
        return result
    action._execute_module = execute_module
    return action


def _row(action_id, status="updated"):
    return {"id": action_id, "name": action_id, "category": "CRM", "kind": "custom", "status": status,
            "timeout_seconds_before": 3, "timeout_seconds_after": 10, "version_before": 1, "version_after": 2,
            "msg": "timeout 3 s -> 10 s"}


def test_settings_that_do_not_fit_fail_the_org_before_any_call_and_leave_no_report(tmp_path):
    calls = []
    dest = str(tmp_path / "run-1")
    action = _action({"settings": {"mode": "remediate", "threshold": 5, "target": 4}, "dest": dest}, calls=calls)
    result = action.run(task_vars={"inventory_hostname": "prod"})
    assert calls == []
    # The real message alone: no "0 actions; 0 at or below" line before it, and no report of nothing.
    assert result["failed"] is True and result["msg"] == [
        "prod: refused before any request, nothing written: data_action_timeouts_target (4) must be at least "
        "data_action_timeouts_threshold (5): remediation never lowers a timeout"]
    assert not os.path.exists(dest)


def test_one_call_with_the_connection_given_then_the_report(tmp_path):
    calls = []
    dest = str(tmp_path / "run-2")
    action = _action({"settings": {"mode": "remediate"}, "dest": dest, "client_id": "c", "client_secret": "s",
                      "api_base_url": "http://127.0.0.1:9", "formats": ["json"]}, calls=calls,
                     module_result={"changed": True, "results": [_row("custom_-_a"), _row("custom_-_b", "ok")],
                                    "diff": {"prepared": "x"}, "api_base_url": "http://127.0.0.1:9"})
    result = action.run(task_vars={"inventory_hostname": "prod"})
    (name, args, check_mode), = calls
    assert name == "genesyscloud.cx.data_action_timeout" and check_mode is False
    assert args["client_id"] == "c" and args["client_secret"] == "s" and "region" not in args
    assert args["select"]["timeout_at_most"] == 3 and args["max_changes"] == 50
    assert result["changed"] is True and "failed" not in result and result["diff"] == {"prepared": "x"}
    assert "paths" not in result and os.listdir(dest) == ["prod.json"]
    report = json.load(open(os.path.join(dest, "prod.json")))
    assert [row["id"] for row in report["rows"]] == ["custom_-_a", "custom_-_b"]
    assert not os.path.exists(args["results_file"])  # handed over to the report


def test_an_audit_runs_the_module_in_check_mode_and_changes_nothing_in_the_recap(tmp_path):
    calls = []
    action = _action({"settings": {"mode": "audit"}, "dest": str(tmp_path / "run-3")}, calls=calls,
                     module_result={"changed": True, "results": [_row("custom_-_a", "would_update")]})
    result = action.run(task_vars={"inventory_hostname": "prod"})
    assert calls[0][2] is True and "journal" not in calls[0][1]
    assert result["changed"] is False


def test_a_plan_that_cannot_be_read_fails_the_org_without_a_call(tmp_path):
    calls = []
    dest = str(tmp_path / "run-4")
    action = _action({"settings": {"mode": "remediate", "plan": str(tmp_path / "missing.json")}, "dest": dest},
                     calls=calls)
    result = action.run(task_vars={"inventory_hostname": "prod"})
    assert calls == [] and result["failed"] is True
    assert "missing.json" in result["msg"][0] and not os.path.exists(dest)


def test_the_module_s_failure_fails_the_org_with_its_message(tmp_path):
    calls = []
    action = _action({"settings": {"mode": "remediate"}, "dest": str(tmp_path / "run-5")}, calls=calls,
                     module_result={"failed": True, "msg": "HTTP 401: invalid client", "results": []})
    result = action.run(task_vars={"inventory_hostname": "prod"})
    assert result["failed"] is True and "HTTP 401: invalid client" in result["msg"][-1]


def test_the_json_record_is_written_whatever_the_formats(tmp_path):
    dest = str(tmp_path / "run-6")
    action = _action({"settings": {"mode": "audit"}, "dest": dest, "formats": ["html"]}, calls=[],
                     module_result={"changed": False, "results": [_row("custom_-_a", "ok")]})
    action.run(task_vars={"inventory_hostname": "prod"})
    assert sorted(os.listdir(dest)) == ["prod.html", "prod.json"]


def test_an_unexpected_exception_in_the_run_still_writes_the_orgs_report_without_the_secret(tmp_path):
    dest = str(tmp_path / "run-exc")
    action = _action({"settings": {"mode": "remediate"}, "dest": dest, "client_id": "c",
                      "client_secret": "s3cret-Value", "formats": ["json"]}, calls=[])

    def raising(**kwargs):
        raise KeyError("config of s3cret-Value")
    action._execute_module = raising
    result = action.run(task_vars={"inventory_hostname": "prod"})
    assert result["failed"] is True
    assert "unexpected error (KeyError" in result["msg"][-1] and "s3cret-Value" not in json.dumps(result)
    report = json.load(open(os.path.join(dest, "prod.json")))
    assert "unexpected error (KeyError" in report["error"] and "s3cret-Value" not in json.dumps(report)


def test_the_orgs_report_is_built_and_written_with_the_collector_paused_and_it_runs_again_after(tmp_path, monkeypatch):
    import gc
    from ansible_collections.genesyscloud.cx.plugins.action import timeout_org_run
    seen = []
    original = timeout_org_run.write_report

    def recording(*args, **kwargs):
        seen.append(gc.isenabled())
        return original(*args, **kwargs)
    monkeypatch.setattr(timeout_org_run, "write_report", recording)
    action = _action({"settings": {"mode": "audit"}, "dest": str(tmp_path / "run-9"), "formats": ["json"]}, calls=[],
                     module_result={"changed": True, "results": [_row("custom_-_a", "would_update")]})
    result = action.run(task_vars={"inventory_hostname": "prod"})
    assert "failed" not in result and seen == [False] and gc.isenabled()

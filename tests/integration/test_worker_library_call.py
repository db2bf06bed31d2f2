# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesyscloud.cx contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The action plugins calling the org's library in their worker get what a module process gets from core: the play's
module_defaults (the collection's group and the module's own name), the task's environment for each loop item and no
other, the delegated host's vars, and an org report written whatever the run raised. Each case runs in the worker
(the playbook's Python) and as a module process (another interpreter path), and is judged by what reached the
emulator and what was written."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import datetime
import json
import os

import pytest

from tests.integration._helpers import ACTIONS_ROUTE, TOKEN_ROUTE, another_python

SECRET = "demo-secret"
WHERE = ("worker", "module process")


def _inventory(tmp_path, where, **host_vars):
    interpreter = "{{ ansible_playbook_python }}" if where == "worker" else another_python(str(tmp_path))
    host = dict({"ansible_connection": "local", "ansible_python_interpreter": interpreter}, **host_vars)
    return {"all": {"hosts": {"org-a": host}}}


def _role_play(tmp_path, module_defaults, run_id, mode="audit", **role_vars):
    variables = {"data_action_timeouts_mode": mode, "data_action_timeouts_report_dir": str(tmp_path / "reports"),
                 "data_action_timeouts_run_id": run_id}
    variables.update(role_vars)
    return [{"hosts": "all", "gather_facts": False, "module_defaults": module_defaults,
             "roles": [{"role": "genesyscloud.cx.data_action_timeouts", "vars": variables}]}]


def _said(run, name):
    return [line for line in run.stdout.splitlines() if line.startswith("%s runs " % name)]


def _report(tmp_path, run_id, org="org-a"):
    with open(os.path.join(str(tmp_path / "reports"), run_id, "%s.json" % org)) as stream:
        return json.load(stream)


@pytest.mark.parametrize("where", WHERE)
def test_the_role_takes_its_connection_from_the_groups_module_defaults(emulator, run_playbook, tmp_path, where):
    """No connection variable anywhere: only module_defaults for the collection's group, as the README shares it."""
    connection = {"api_base_url": emulator.url, "client_id": "demo-client", "client_secret": SECRET}
    emulator.clear_requests()
    run = run_playbook(_role_play(tmp_path, {"group/genesyscloud.cx.genesyscloud": connection}, "group-" + where[0]),
                       inventory=_inventory(tmp_path, where), args=["-vvv"])
    expected = ("data_action_timeout runs in this worker, with the controller's Python" if where == "worker"
                else "data_action_timeout runs as a module process: ansible_python_interpreter is ")
    assert [line[:len(expected)] for line in _said(run, "data_action_timeout")] == [expected]
    log = emulator.requests()
    assert log["counts"].get(ACTIONS_ROUTE, 0) >= 1 and log["writes"] == 0
    assert set(r["client_id"] for r in log["requests"] if r["route"] == TOKEN_ROUTE) == {"demo-client"}
    report = _report(tmp_path, "group-" + where[0])
    assert not report.get("error") and len(report["rows"]) == len(emulator.actions())
    assert SECRET not in run.stdout + run.stderr


@pytest.mark.parametrize("where", WHERE)
def test_module_defaults_of_data_action_timeout_reach_the_roles_call(emulator, run_playbook, tmp_path, where):
    """module_defaults keyed on the module's own name shape the role's one data_action_timeout call (its page size
    here); the connection comes from the role's inventory variables."""
    defaults = {"genesyscloud.cx.data_action_timeout": {"page_size": 7}}
    inventory = _inventory(tmp_path, where, genesyscloud_api_base_url=emulator.url,
                           genesyscloud_client_id="demo-client", genesyscloud_client_secret=SECRET)
    emulator.clear_requests()
    run_playbook(_role_play(tmp_path, defaults, "own-" + where[0]), inventory=inventory)
    listings = [r for r in emulator.requests()["requests"] if r["route"] == ACTIONS_ROUTE]
    assert listings and all(r["query"].get("pageSize") == "7" for r in listings)
    # 7 a page: every page of the org was read.
    assert len(listings) >= -(-len(emulator.actions()) // 7)
    assert len(_report(tmp_path, "own-" + where[0])["rows"]) == len(emulator.actions())


def test_the_groups_defaults_for_the_other_modules_pass_the_org_task_by(emulator, run_playbook, tmp_path):
    """The collection's group gives its module_defaults to every module and action of the group, the role's org task
    (timeout_org_run) too: an option of data_action_timeout there (its page size) does not fail the org task as
    unsupported, and reaches the role's data_action_timeout call."""
    defaults = {"api_base_url": emulator.url, "client_id": "demo-client", "client_secret": SECRET, "page_size": 7}
    emulator.clear_requests()
    run = run_playbook(_role_play(tmp_path, {"group/genesyscloud.cx.genesyscloud": defaults}, "group-options"),
                       inventory=_inventory(tmp_path, "worker"))
    listings = [r for r in emulator.requests()["requests"] if r["route"] == ACTIONS_ROUTE]
    assert listings and all(r["query"].get("pageSize") == "7" for r in listings)
    assert len(_report(tmp_path, "group-options")["rows"]) == len(emulator.actions())
    assert "Unsupported parameters" not in run.stdout + run.stderr


TWO_CLIENTS = {"orgs": [{"id": "org", "name": "Org", "generate": 12, "clients": [
    {"client_id": "first-client", "client_secret": "first-Secret-71", "permissions": ["*"]},
    {"client_id": "second-client", "client_secret": "second-Secret-72", "permissions": ["*"]}]}]}


@pytest.mark.parametrize("where", WHERE)
def test_each_loop_items_environment_is_its_own(emulator_factory, run_playbook, tmp_path, where):
    """The credentials come from the environment fallbacks: each item's environment is seen by its own call, and an
    item without one sees none of the item before it (the worker runs every item of the loop)."""
    emu = emulator_factory(seed=TWO_CLIENTS)
    items = [{"GENESYSCLOUD_OAUTHCLIENT_ID": "first-client", "GENESYSCLOUD_OAUTHCLIENT_SECRET": "first-Secret-71"},
             {"GENESYSCLOUD_OAUTHCLIENT_ID": "second-client", "GENESYSCLOUD_OAUTHCLIENT_SECRET": "second-Secret-72"},
             {}]
    task = {"name": "list", "genesyscloud.cx.data_action_info": {"api_base_url": emu.url}, "loop": items,
            "environment": "{{ item }}", "ignore_errors": True,
            "loop_control": {"label": "{{ item.GENESYSCLOUD_OAUTHCLIENT_ID | default('no environment') }}"}}
    play = [{"hosts": "all", "gather_facts": False, "tasks": [task]}]
    emu.clear_requests()
    run = run_playbook(play, inventory=_inventory(tmp_path, where))
    results = run.result("list")["results"]
    # ansible-core 2.21 leaves "failed" out of an ignored item's result: the items are told apart by what they hold.
    assert ["data_actions" in r for r in results] == [True, True, False]
    assert "No credentials" in results[2]["msg"]
    tokens = [r["client_id"] for r in emu.requests()["requests"] if r["route"] == TOKEN_ROUTE]
    assert tokens == ["first-client", "second-client"]
    assert "Secret-7" not in run.stdout + run.stderr


def test_a_task_delegated_to_localhost_runs_by_the_delegated_hosts_vars(emulator, run_playbook, tmp_path):
    """The org's host is out of reach (ssh to a documentation address, an interpreter that does not exist): the task
    delegated to localhost is judged by localhost's vars, so it runs in the worker, and so does the role's org task."""
    inventory = {"all": {"hosts": {
        "org-far": {"ansible_connection": "ssh", "ansible_host": "192.0.2.1",
                    "ansible_python_interpreter": "/nonexistent/python3"},
        "localhost": {"ansible_connection": "local", "ansible_python_interpreter": "{{ ansible_playbook_python }}"}}}}
    connection = {"api_base_url": emulator.url, "client_id": "demo-client", "client_secret": SECRET}
    variables = {"data_action_timeouts_mode": "audit", "data_action_timeouts_report_dir": str(tmp_path / "reports"),
                 "data_action_timeouts_run_id": "far"}
    play = [{"hosts": "org-far", "gather_facts": False,
             "module_defaults": {"group/genesyscloud.cx.genesyscloud": connection},
             "tasks": [
                 {"name": "info", "genesyscloud.cx.data_action_info": {"timeout_at_most": 60},
                  "delegate_to": "localhost"},
                 {"name": "role", "ansible.builtin.include_role": {
                     "name": "genesyscloud.cx.data_action_timeouts", "apply": {"delegate_to": "localhost"}},
                  "vars": variables}]}]
    emulator.clear_requests()
    run = run_playbook(play, inventory=inventory, args=["-vvv"])
    assert _said(run, "data_action_info") == ["data_action_info runs in this worker, with the controller's Python"]
    assert _said(run, "data_action_timeout") == [
        "data_action_timeout runs in this worker, with the controller's Python"]
    listed = [a["id"] for a in run.result("info", host="org-far")["data_actions"]]
    assert listed and set(listed) <= set(emulator.actions())
    assert len(_report(tmp_path, "far", org="org-far")["rows"]) == len(emulator.actions())


def test_an_exception_inside_the_orgs_run_still_writes_its_report(emulator, run_playbook, tmp_path):
    """The org task given a verify sample whose input holds a date (YAML reads 2026-01-01 as one): the worker hands
    the run the value itself, which the request's JSON cannot encode, and the run raises before its first write. The
    org fails with what happened, its report is written and says so, nothing was written to the org, and the secret
    is nowhere."""
    custom = sorted(k for k in emulator.actions() if k.startswith("custom_"))
    # The secret from the inventory: ansible-core shows the failed task's source, which must not hold it.
    connection = {"api_base_url": emulator.url, "client_id": "demo-client",
                  "client_secret": "{{ genesyscloud_client_secret }}"}
    dest = str(tmp_path / "reports" / "raises")
    settings = {"mode": "remediate", "max_changes": 1000,
                "verify": [{"id": custom[0], "input": {"since": datetime.date(2026, 1, 1)}}]}
    play = [{"hosts": "all", "gather_facts": False,
             "module_defaults": {"group/genesyscloud.cx.genesyscloud": connection},
             "tasks": [{"name": "org", "genesyscloud.cx.timeout_org_run": {"settings": settings, "dest": dest}}]}]
    emulator.clear_requests()
    run = run_playbook(play, inventory=_inventory(tmp_path, "worker", genesyscloud_client_secret=SECRET), expect_rc=2)
    org = run.result("org", host="org-a")
    assert org["_status"] == "failed"
    assert any("unexpected error (TypeError" in line for line in org["msg"]), org["msg"]
    report = _report(tmp_path, "raises")
    assert "unexpected error (TypeError" in report["error"]
    assert emulator.requests()["writes"] == 0
    everything = run.stdout + run.stderr + json.dumps(run.records) + json.dumps(report)
    assert SECRET not in everything

# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesyscloud.cx contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""data_action_timeout's journal, its stop when the controller is gone or a permission is missing, its drift
warning, and documentation whose numbers are the code's."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json
import os
import re

import pytest
import yaml

from ansible_collections.genesyscloud.cx.plugins.module_utils import data_actions as da
from ansible_collections.genesyscloud.cx.plugins.module_utils._interruption import ControllerWatch
from ansible_collections.genesyscloud.cx.plugins.module_utils._journal import read
from ansible_collections.genesyscloud.cx.plugins.modules import data_action_timeout
from tests.unit.plugins.fake_api import FakeGenesysCloud, make_action


@pytest.fixture
def warned(monkeypatch):
    texts = []
    monkeypatch.setattr(data_action_timeout.AnsibleModule, "warn", lambda self, text: texts.append(text))
    return texts


def _org(n=12):
    return FakeGenesysCloud([make_action("Action %02d" % i, timeout=2, version=i + 1, action_id="custom_-_%02d" % i)
                             for i in range(n)])


def _args(journal, **more):
    args = dict(select={"timeout_at_most": 3}, timeout_seconds=10, mode="at_least", parallel=2, journal=journal,
                journal_info={"org": "prod-us", "run_id": "r1", "mode": "remediate"})
    args.update(more)
    return args


def test_the_journal_holds_the_plan_before_the_first_patch_and_every_outcome(run_module, tmp_path):
    fake = _org()
    path = str(tmp_path / "r1" / "prod-us.journal.jsonl")  # its folder is created
    header_seen_by_patch = []
    original = fake._patch

    def patch(request, action, update, is_draft=False):
        header_seen_by_patch.append(len(read(path).actions))
        return original(request, action, update, is_draft)

    fake._patch = patch
    failed, result, dummy = run_module(data_action_timeout, _args(path), fake)
    assert not failed and result["changed"]
    assert header_seen_by_patch and set(header_seen_by_patch) == {12}
    state = read(path)
    assert state.ended and state.stopped is None
    assert state.info == {"org": "prod-us", "run_id": "r1", "mode": "remediate"}
    assert state.header["api_base_url"] == "https://api.fake.test" and state.header["mode"] == "at_least"
    first = state.actions[0]
    assert (first["id"], first["timeout_seconds_before"], first["timeout_seconds"], first["version_before"]) == (
        "custom_-_00", 2, 10, 1)
    assert all(a["outcome"]["status"] == "updated" and a["outcome"]["version_after"] == a["version_before"] + 1
               for a in state.actions)
    assert [a["id"] for a in state.changed()] == sorted(fake.actions)
    assert state.end["counts"] == {"updated": 12}


def test_check_mode_and_a_refused_plan_write_no_journal(run_module, tmp_path):
    path = str(tmp_path / "j.jsonl")
    failed, result, dummy = run_module(data_action_timeout, _args(path), _org(), check_mode=True)
    assert not failed and result["changed"] and not os.path.exists(path)
    failed, result, dummy = run_module(data_action_timeout, _args(path, max_changes=3), _org())
    assert failed and "max_changes" in result["msg"] and not os.path.exists(path)


def test_a_run_with_nothing_to_change_still_ends_its_journal(run_module, tmp_path):
    path = str(tmp_path / "j.jsonl")
    failed, result, dummy = run_module(data_action_timeout, _args(path, select={"timeout_at_most": 1}), _org())
    assert not failed and not result["changed"]
    state = read(path)
    assert state.actions == [] and state.ended


def test_an_unwritable_journal_stops_the_module_before_any_write(run_module, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    fake = _org()
    failed, result, dummy = run_module(data_action_timeout, _args(str(blocker / "j.jsonl")), fake)
    assert failed and "cannot be written" in result["msg"] and "nothing was changed" in result["msg"]
    assert fake.requests_for("PATCH") == []


def test_a_journal_of_an_interrupted_run_is_not_replaced(run_module, tmp_path, monkeypatch):
    path = str(tmp_path / "j.jsonl")
    monkeypatch.setattr(data_action_timeout.ControllerWatch, "of_this_process",
                        classmethod(lambda cls, run_command=None: _GoneAfter(2)))
    failed, result, dummy = run_module(data_action_timeout, _args(path, parallel=1), _org())
    assert failed and "controller (process 4242) is gone" in result["msg"]
    monkeypatch.undo()
    fake = _org()
    failed, result, dummy = run_module(data_action_timeout, _args(path), fake)
    assert failed and "records a run that was interrupted" in result["msg"]
    assert fake.requests_for("PATCH") == []


class _GoneAfter(ControllerWatch):
    """The controller goes away once ``count`` updates were asked about (a fake /proc)."""

    def __init__(self, count):
        super(_GoneAfter, self).__init__()
        self._left = count
        # The waits ask too (before each read of the run's reading phase): only the updates count down.
        self.waits._check = lambda: ControllerWatch.reason(self)

    def reason(self):
        if self._left <= 0:
            self.stop("its Ansible controller (process 4242) is gone")
        self._left -= 1
        return super(_GoneAfter, self).reason()


def test_a_module_whose_controller_is_gone_fails_and_says_what_it_did_not_attempt(run_module, tmp_path, monkeypatch):
    monkeypatch.setattr(data_action_timeout.ControllerWatch, "of_this_process",
                        classmethod(lambda cls, run_command=None: _GoneAfter(3)))
    fake = _org()
    path = str(tmp_path / "j.jsonl")
    failed, result, dummy = run_module(data_action_timeout, _args(path, parallel=1), fake, diff=True)
    patches = len(fake.requests_for("PATCH"))
    assert failed and 1 <= patches < 12
    assert result["msg"].startswith("Stopped before all the updates were sent, because its Ansible controller "
                                    "(process 4242) is gone")
    assert "%d update(s) not attempted" % (12 - patches) in result["msg"]
    statuses = [r["status"] for r in result["results"]]
    assert statuses.count("updated") == patches and statuses.count("not_attempted") == 12 - patches
    assert result["changed"]
    # The diff shows what changed, not what was not attempted.
    assert len(result["diff"]["prepared"].splitlines()) == patches
    state = read(path)
    assert state.ended and "process 4242" in state.stopped and len(state.changed()) == patches


def test_a_read_only_client_fails_at_the_first_refused_patch_naming_the_permission(run_module, tmp_path):
    fake = _org()
    fake.clients = {"cid": ("csecret", {"integrations:action:view"})}
    failed, result, dummy = run_module(data_action_timeout, _args(None, parallel=8), fake)
    assert failed and len(fake.requests_for("PATCH")) == 1
    assert "integrations:action:edit" in result["msg"] and "11 update(s) not attempted" in result["msg"]
    assert not result["changed"]


def test_drift_skipped_is_warned_about(run_module, warned):
    fake = _org(3)
    actions = [{"id": "custom_-_00", "timeout_seconds": 9, "version": 1},
               {"id": "custom_-_01", "timeout_seconds": 9, "version": 1}]  # at version 2: drifted
    failed, result, dummy = run_module(data_action_timeout, {"actions": actions, "on_drift": "skip"}, fake)
    assert not failed and [r["status"] for r in result["results"]] == ["updated", "drifted"]
    assert any("1 action(s) changed since the version this run was given" in w and "custom_-_01" in w for w in warned)


def _documentation():
    return yaml.safe_load(data_action_timeout.DOCUMENTATION)


def test_the_numbers_the_documentation_states_are_the_codes():
    text = " ".join(" ".join(_documentation()["description"]).split())
    assert int(re.search(r"fails after (\d+) such unanswered attempts", text).group(1)) == da.MAX_UNANSWERED
    assert int(re.search(r"fails after (\d+) such conflicts", text).group(1)) == da.MAX_ATTEMPTS
    parallel = " ".join(_documentation()["options"]["parallel"]["description"])
    assert int(re.search(r"at once, 1 to (\d+)", parallel).group(1)) == da.MAX_PARALLEL


def test_the_options_documented_are_the_options_declared():
    spec = data_action_timeout.argument_spec()
    documented = _documentation()["options"]
    for name in ("journal", "journal_info"):
        assert documented[name]["type"] == spec[name]["type"]
    entry = documented["actions"]["suboptions"]["unconfirmed_write"]
    assert set(entry["suboptions"]) == set(spec["actions"]["options"]["unconfirmed_write"]["options"])
    assert json.dumps(entry["suboptions"]["version"]["required"]) == "true"


def test_an_empty_actions_list_reports_the_org_with_list_all_and_is_refused_without(run_module):
    fake = _org(3)
    failed, result, dummy = run_module(data_action_timeout, {"actions": [], "list_all": True}, fake)
    assert not failed and not result["changed"]
    assert [r["status"] for r in result["results"]] == ["not_requested"] * 3
    failed, result, dummy = run_module(data_action_timeout, {"actions": []}, fake)
    assert failed and "actions must not be empty" in result["msg"]
    assert fake.requests_for("PATCH") == []

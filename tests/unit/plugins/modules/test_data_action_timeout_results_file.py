# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesyscloud.cx contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""data_action_timeout handing every result over in results_file, keeping in its result what a play acts on."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json
import os

import pytest

from ansible_collections.genesyscloud.cx.plugins.modules import data_action_timeout

from tests.unit.plugins.fake_api import ACTIONS, FakeGenesysCloud, Fault, make_action


def _org():
    return FakeGenesysCloud([
        make_action("Lookup account", timeout=3, version=4, action_id="custom_-_a"),
        make_action("Create ticket", timeout=None, version=2, action_id="custom_-_b"),
        make_action("Check balance", timeout=2, version=1, action_id="custom_-_d"),
        make_action("Send SMS", timeout=2, version=1, action_id="static_-_sms"),
    ])


@pytest.fixture
def warned(monkeypatch):
    texts = []
    monkeypatch.setattr(data_action_timeout.AnsibleModule, "warn", lambda self, text: texts.append(text))
    return texts


ARGS = {"select": {"timeout_at_most": 3}, "timeout_seconds": 10, "mode": "at_least", "list_all": True}


def test_every_result_goes_to_the_file_and_the_result_keeps_the_updated_ones(run_module, tmp_path):
    path = str(tmp_path / ".prod.results.json")
    failed, result, dummy = run_module(data_action_timeout, dict(ARGS, results_file=path), _org())
    assert not failed and result["changed"] is True
    with open(path) as stream:
        written = json.load(stream)
    # In the org's order (by name), as RV(results) would hold them.
    assert [(r["name"], r["status"]) for r in written] == [
        ("Check balance", "updated"), ("Create ticket", "ok"), ("Lookup account", "updated"),
        ("Send SMS", "not_applicable")]
    assert result["results_file"] == path
    assert sorted(r["id"] for r in result["results"]) == ["custom_-_a", "custom_-_d"]
    # Whole, readable by others like the reports, and no temporary file left beside it.
    assert os.stat(path).st_mode & 0o777 == 0o644
    assert os.listdir(str(tmp_path)) == [".prod.results.json"]


def test_a_dry_run_returns_none_of_its_planned_rows(run_module, tmp_path):
    path = str(tmp_path / "results.json")
    failed, result, dummy = run_module(data_action_timeout, dict(ARGS, results_file=path), _org(), check_mode=True)
    assert not failed and result["changed"] is True and result["results"] == []
    with open(path) as stream:
        assert [r["status"] for r in json.load(stream)] == ["would_update", "ok", "would_update", "not_applicable"]


def test_a_failed_run_writes_the_file_and_keeps_the_failures(run_module, tmp_path):
    fake = _org()
    fake.add_fault("PATCH", ACTIONS + "/custom_-_d", Fault(400, body={"message": "bad request"}))
    path = str(tmp_path / "results.json")
    failed, result, dummy = run_module(data_action_timeout, dict(ARGS, results_file=path), fake)
    assert failed and "1 failed" in result["msg"]
    # The totals of the message count every result, not only those kept in the result.
    assert "ok 1" in result["msg"] and "updated 1" in result["msg"]
    kept = dict((r["id"], r["status"]) for r in result["results"])
    assert kept == {"custom_-_a": "updated", "custom_-_d": "failed"}
    with open(path) as stream:
        assert len(json.load(stream)) == 4


def test_a_file_that_cannot_be_written_returns_every_result_with_a_warning(run_module, tmp_path, warned):
    path = str(tmp_path / "missing-folder" / "results.json")
    failed, result, dummy = run_module(data_action_timeout, dict(ARGS, results_file=path), _org())
    assert not failed and "results_file" not in result and len(result["results"]) == 4
    assert any("results_file" in warning and "every result is returned instead" in warning for warning in warned)


def test_the_run_s_warnings_come_back_as_text_and_only_this_run_s(run_module, tmp_path, warned):
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("x")
    failed, result, dummy = run_module(data_action_timeout, dict(ARGS, results_file=str(blocked / "r.json")), _org())
    assert not failed and result["run_warnings"] == warned and len(warned) == 1
    failed, result, dummy = run_module(data_action_timeout, dict(ARGS, results_file=str(tmp_path / "r.json")), _org())
    assert not failed and result["run_warnings"] == []

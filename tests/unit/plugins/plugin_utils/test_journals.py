# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesyscloud.cx contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A journal as a rollback source (path or data), and the interrupted runs a report folder holds."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json
import os

import pytest

from ansible.errors import AnsibleFilterError

from ansible_collections.genesyscloud.cx.plugins.filter.timeout_journal import FilterModule
from ansible_collections.genesyscloud.cx.plugins.filter.timeout_plan import timeout_plan_actions
from ansible_collections.genesyscloud.cx.plugins.filter.timeout_report import timeout_report
from ansible_collections.genesyscloud.cx.plugins.module_utils._journal import Journal
from ansible_collections.genesyscloud.cx.plugins.plugin_utils import _journals as journals_module
from ansible_collections.genesyscloud.cx.plugins.plugin_utils._journals import interrupted_runs

HEADER_ACTIONS = [
    {"id": "custom_-_a", "name": "A", "timeout_seconds_before": 3, "timeout_seconds": 10, "version_before": 4},
    {"id": "custom_-_b", "name": "B", "timeout_seconds_before": 2, "timeout_seconds": 10, "version_before": 1},
    {"id": "custom_-_c", "name": "C", "timeout_seconds_before": None, "timeout_seconds": 10, "version_before": 7},
    {"id": "custom_-_d", "name": "D", "timeout_seconds_before": 1, "timeout_seconds": 10, "version_before": 3},
    {"id": "custom_-_e", "name": "E", "timeout_seconds_before": 2, "timeout_seconds": 10, "version_before": 5},
    {"id": "custom_-_f", "name": "F", "timeout_seconds_before": 3, "timeout_seconds": 3, "version_before": 2,
     "function_timeout_seconds_before": 15, "function_timeout_seconds": 5},
]


def outcome(action_id, status, before, after, version_before, version_after, **more):
    result = {"id": action_id, "name": action_id[-1].upper(), "status": status, "timeout_seconds_before": before,
              "timeout_seconds_after": after, "version_before": version_before, "version_after": version_after,
              "msg": ""}
    result.update(more)
    return result


def interrupted(path, org="prod-us", run_id="r1", end=False, info=None):
    """A run killed with updates in flight: a updated, b failed, c sent but unsettled, d never sent (no record),
    e not attempted, f's function changed."""
    journal = Journal.create(str(path), {"info": dict({"org": org, "run_id": run_id}, **(info or {})),
                                         "actions": HEADER_ACTIONS})
    journal.sending("custom_-_a", 4, 10)
    journal.outcome(outcome("custom_-_a", "updated", 3, 10, 4, 5))
    journal.sending("custom_-_b", 1, 10)
    journal.outcome(outcome("custom_-_b", "failed", 2, 2, 1, 1))
    journal.sending("custom_-_c", 7, 10)
    journal.sending("custom_-_c", 8, 10)  # sent again after a conflict: the first version counts
    journal.outcome(outcome("custom_-_e", "not_attempted", 2, 10, 5, None))
    journal.outcome(outcome("custom_-_f", "updated", 3, 3, 2, 4, function_timeout_seconds_before=15,
                            function_timeout_seconds_after=5))
    if end:
        journal.end([], stopped=None)
    journal.close()
    return str(path)


def test_a_journal_rolls_back_what_it_shows_changed_and_settles_what_it_does_not_know(tmp_path):
    path = interrupted(tmp_path / "prod-us.journal.jsonl")
    assert timeout_plan_actions(path, "rollback", org="prod-us") == [
        {"id": "custom_-_a", "timeout_seconds": 3, "version": 5},
        {"id": "custom_-_c", "timeout_seconds": None, "version": None,
         "unconfirmed_write": {"timeout_seconds": 10, "version": 7}},
        {"id": "custom_-_d", "timeout_seconds": 1, "version": None,
         "unconfirmed_write": {"timeout_seconds": 10, "version": 3}},
        {"id": "custom_-_f", "timeout_seconds": 3, "version": 4, "function_timeout_seconds": 15},
    ]


def test_a_journal_given_as_data_reads_like_its_file(tmp_path):
    path = interrupted(tmp_path / "j.jsonl")
    records = [json.loads(line) for line in open(path)]
    assert timeout_plan_actions(records, "rollback", org="prod-us") == timeout_plan_actions(path, "rollback")


def test_a_journal_is_refused_for_another_org_or_as_a_plan_to_apply(tmp_path):
    path = interrupted(tmp_path / "j.jsonl")
    with pytest.raises(AnsibleFilterError, match="journal of org 'prod-us', not of 'prod-eu'"):
        timeout_plan_actions(path, "rollback", org="prod-eu")
    with pytest.raises(AnsibleFilterError, match="can be rolled back, not applied"):
        timeout_plan_actions(path, "apply")


def test_a_broken_journal_or_a_missing_file_is_named(tmp_path):
    path = tmp_path / "j.jsonl"
    interrupted(path)
    with open(str(path), "a") as stream:
        stream.write("garbage\n{}\n")
    with pytest.raises(AnsibleFilterError) as info:
        timeout_plan_actions(str(path), "rollback")
    assert str(path) in str(info.value) and "line" in str(info.value)
    with pytest.raises(AnsibleFilterError, match="cannot read .*missing.json"):
        timeout_plan_actions(str(tmp_path / "missing.json"), "rollback")


def test_a_report_given_by_its_path_still_rolls_back_as_before(tmp_path):
    report = timeout_report([outcome("custom_-_a", "updated", 3, 10, 4, 5)], org="prod-us", mode="remediate")
    path = tmp_path / "prod-us.json"
    path.write_text(json.dumps(report))
    assert timeout_plan_actions(str(path), "rollback", org="prod-us") == [
        {"id": "custom_-_a", "timeout_seconds": 3, "version": 5}]


# ---- the interrupted runs of an org ---------------------------------------------------------------------------------
def _run_dir(root, run_id):
    directory = root / run_id
    directory.mkdir(parents=True, exist_ok=True)
    return directory


def test_an_interrupted_run_is_reported_with_what_it_left_and_the_command_to_roll_it_back(tmp_path):
    path = interrupted(_run_dir(tmp_path, "r1") / "prod-us.journal.jsonl")
    messages = interrupted_runs(str(tmp_path), "prod-us", run_id="r2")
    assert len(messages) == 1
    message = messages[0]
    assert message.startswith("run r1 was interrupted (it ended without its end record")
    assert "after changing 2 action(s) in this org, and 1 more were being updated when it stopped" in message
    # A rollback is bounded by its record: no cap to raise.
    assert ("--limit prod-us -e data_action_timeouts_rollback_report=%s (each change" % os.path.realpath(path)) in message
    assert "max_changes" not in message
    assert FilterModule().filters()["timeout_interrupted_runs"](str(tmp_path), "prod-us") == messages


def test_runs_that_ended_the_current_run_other_orgs_and_runs_that_changed_nothing_are_not_reported(tmp_path):
    interrupted(_run_dir(tmp_path, "r1") / "prod-us.journal.jsonl", end=True)
    (tmp_path / "r1" / "prod-us.json").write_text("{}")  # its report, as a run that got through writes it
    interrupted(_run_dir(tmp_path, "r2") / "prod-us.journal.jsonl", run_id="r2")
    interrupted(_run_dir(tmp_path, "r3") / "prod-eu.journal.jsonl", org="prod-eu")
    idle = Journal.create(str(_run_dir(tmp_path, "r4") / "prod-us.journal.jsonl"), {"info": {}, "actions": []})
    idle.end([], stopped="it received SIGTERM")
    assert interrupted_runs(str(tmp_path), "prod-us", run_id="r2") == []
    assert interrupted_runs(str(tmp_path / "nowhere"), "prod-us") == []


def _rollback_journal(path, rolls_back, counts, stopped=None):
    journal = Journal.create(str(path), {"info": {"org": "prod-us", "rollback_of": rolls_back}, "actions": []})
    journal.end([{"status": status} for status, count in counts.items() for dummy in range(count)], stopped=stopped)
    journal.close()


@pytest.mark.parametrize("counts,stopped,settled", [
    ({"updated": 3}, None, True),
    ({}, None, True),  # nothing left to restore
    ({"updated": 2, "drifted": 1}, None, False),
    ({"updated": 2, "failed": 1}, None, False),
    ({"updated": 1}, "it received SIGTERM", False),
])
def test_a_rollback_of_the_journal_that_restored_everything_settles_it(tmp_path, counts, stopped, settled):
    path = interrupted(_run_dir(tmp_path, "r1") / "prod-us.journal.jsonl")
    _rollback_journal(_run_dir(tmp_path, "r2") / "prod-us.journal.jsonl", path, counts, stopped)
    assert (interrupted_runs(str(tmp_path), "prod-us", run_id="r3") == []) == settled


def test_an_unreadable_journal_is_reported_by_its_path(tmp_path):
    broken = _run_dir(tmp_path, "r1") / "prod-us.journal.jsonl"
    broken.write_text("{not json}\n")
    messages = interrupted_runs(str(tmp_path), "prod-us")
    assert len(messages) == 1 and str(broken) in messages[0] and "cannot be read" in messages[0]


def test_a_run_that_got_through_is_read_from_its_first_and_last_lines_only(tmp_path, monkeypatch):
    # Runs that got through are most of a report folder's history: only their header and end record are read.
    interrupted(_run_dir(tmp_path, "r1") / "prod-us.journal.jsonl", end=True)
    (tmp_path / "r1" / "prod-us.json").write_text("{}")
    path = interrupted(_run_dir(tmp_path, "r2") / "prod-us.journal.jsonl", run_id="r2")
    _rollback_journal(_run_dir(tmp_path, "r3") / "prod-us.journal.jsonl", path, {"updated": 3})
    (tmp_path / "r3" / "prod-us.json").write_text("{}")
    parsed = []
    original = journals_module.journal_state
    monkeypatch.setattr(journals_module, "journal_state",
                        lambda text, named: parsed.append(named) or original(text, named))
    assert interrupted_runs(str(tmp_path), "prod-us", run_id="r4") == []  # r2 settled by r3's rollback
    assert parsed == [path]  # the interrupted one, whole; r1 and r3 from two lines each
    # A journal whose last line is not a complete end record is read whole, as before.
    torn = _run_dir(tmp_path, "r5") / "prod-us.journal.jsonl"
    torn.write_bytes(open(path, "rb").read() + b'{"event": "end", "stop')
    assert len(interrupted_runs(str(tmp_path), "prod-us", run_id="r4")) == 1
    assert parsed[-1] == str(torn)


def test_a_run_that_got_through_without_its_report_is_named_by_its_journal(tmp_path):
    # A full disk after the writes: the journal ended, the org report was never written.
    path = interrupted(_run_dir(tmp_path, "r1") / "prod-us.journal.jsonl", end=True)
    (message,) = interrupted_runs(str(tmp_path), "prod-us", run_id="r9")
    assert message.startswith("run r1 changed 2 action(s) in this org but left no report (%s is missing" %
                              (tmp_path / "r1" / "prod-us.json"))
    assert "-e data_action_timeouts_rollback_report=%s -e data_action_timeouts_max_changes=2" % path in message
    # Rolled back with everything restored: no longer said.
    _rollback_journal(_run_dir(tmp_path, "r2") / "prod-us.journal.jsonl", path, {"updated": 2})
    assert interrupted_runs(str(tmp_path), "prod-us", run_id="r9") == []

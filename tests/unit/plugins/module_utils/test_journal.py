# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesyscloud.cx contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The journal: its format, a reader that survives a writer killed at any byte, and what it refuses to replace."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json
import os

import pytest

from ansible_collections.genesyscloud.cx.plugins.module_utils import _journal
from ansible_collections.genesyscloud.cx.plugins.module_utils._journal import (
    Journal,
    JournalError,
    JournalState,
    parse,
    read,
    safe_url,
)
from ansible_collections.genesyscloud.cx.plugins.module_utils.errors import InvalidInputError

ACTIONS = [{"id": "custom_-_a", "name": "A", "timeout_seconds_before": 3, "timeout_seconds": 10, "version_before": 4},
           {"id": "custom_-_b", "name": "B", "timeout_seconds_before": None, "timeout_seconds": 10, "version_before": 1},
           {"id": "custom_-_c", "name": "C", "timeout_seconds_before": 2, "timeout_seconds": 10, "version_before": 7}]


def result(action_id, status, before, after, version_before, version_after, msg=""):
    return {"id": action_id, "name": action_id[-1].upper(), "status": status, "timeout_seconds_before": before,
            "timeout_seconds_after": after, "version_before": version_before, "version_after": version_after,
            "msg": msg}


def write_run(path, end=True):
    journal = Journal.create(str(path), {"api_base_url": "https://api.mypurecloud.ie", "mode": "at_least",
                                         "on_drift": "skip", "info": {"org": "prod-eu", "run_id": "r1"},
                                         "actions": ACTIONS})
    journal.sending("custom_-_a", 4, 10)
    journal.outcome(result("custom_-_a", "updated", 3, 10, 4, 5))
    journal.sending("custom_-_b", 1, 10)
    journal.outcome(result("custom_-_b", "failed", None, None, 1, 1, "HTTP 500"))
    journal.sending("custom_-_c", 7, 10)
    if end:
        journal.end([result("custom_-_a", "updated", 3, 10, 4, 5)], stopped=None)
    journal.close()
    return journal


def test_the_header_says_everything_the_run_is_about_to_change_and_each_line_is_a_record(tmp_path):
    path = tmp_path / "prod-eu.journal.jsonl"
    write_run(path)
    lines = path.read_text().splitlines()
    records = [json.loads(line) for line in lines]
    header = records[0]
    assert header["journal"] == _journal.JOURNAL and header["format"] == 1
    assert header["info"] == {"org": "prod-eu", "run_id": "r1"} and header["actions"] == ACTIONS
    assert header["started_at"].endswith("Z") and header["pid"] == os.getpid()
    assert [r.get("event") for r in records[1:]] == ["sending", "outcome", "sending", "outcome", "sending", "end"]
    assert records[1] == dict(records[1], id="custom_-_a", version=4, timeout_seconds=10)
    assert oct(os.stat(str(path)).st_mode & 0o777) == "0o644"
    # Nothing else in the folder: the header went through a temporary file renamed into place.
    assert os.listdir(str(tmp_path)) == ["prod-eu.journal.jsonl"]


def test_the_state_says_what_changed_what_is_unknown_and_whether_the_run_ended(tmp_path):
    path = tmp_path / "j.jsonl"
    write_run(path, end=False)
    state = read(str(path))
    assert not state.ended and "without its end record" in state.stopped
    assert [a["id"] for a in state.changed()] == ["custom_-_a"]
    assert [a["id"] for a in state.unknown()] == ["custom_-_c"]
    assert [a["id"] for a in state.sent_unknown()] == ["custom_-_c"]
    ended = tmp_path / "k.jsonl"
    write_run(ended)
    assert read(str(ended)).ended and read(str(ended)).stopped is None


def test_a_writer_killed_at_any_byte_leaves_a_readable_journal(tmp_path):
    """SIGKILL can stop the writer anywhere: every prefix of the file past the header reads, as whole records."""
    path = tmp_path / "j.jsonl"
    write_run(path)
    text = path.read_text()
    header_end = text.index("\n") + 1
    whole = parse(text)
    for cut in range(header_end, len(text) + 1):
        records = parse(text[:cut])
        assert records == whole[:len(records)]
        # Only a record cut short is lost, never one whose line was complete.
        assert len(records) >= text[:cut].count("\n")


def test_a_header_cut_short_never_exists_since_it_is_renamed_into_place(tmp_path, monkeypatch):
    calls = []

    def failing_fsync(handle):
        calls.append(handle)
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(_journal.os, "fsync", failing_fsync)
    with pytest.raises(InvalidInputError) as info:
        Journal.create(str(tmp_path / "j.jsonl"), {"info": {}, "actions": ACTIONS})
    assert "No space left" in str(info.value) and "nothing was changed" in str(info.value)
    assert os.listdir(str(tmp_path)) == []


@pytest.mark.parametrize("text,problem", [
    ("", "not a journal"),
    ('{"report_type": "org"}\n', "not a journal"),
    ('{"journal": "%s", "format": 2, "actions": []}\n' % _journal.JOURNAL, "format 2"),
    ('{"journal": "%s", "format": 1}\n' % _journal.JOURNAL, "without its actions"),
    ('{"journal": "%s", "format": 1, "actions": []}\nnot json\n{}\n' % _journal.JOURNAL, "line 2"),
])
def test_what_is_not_a_journal_is_refused_naming_the_line(text, problem):
    with pytest.raises(JournalError) as info:
        parse(text, "x.jsonl")
    assert problem in str(info.value) and "x.jsonl" in str(info.value)


def test_a_record_of_an_action_the_header_does_not_list_is_refused():
    text = '{"journal": "%s", "format": 1, "actions": []}\n{"event": "outcome", "id": "custom_-_z"}\n' % _journal.JOURNAL
    with pytest.raises(JournalError, match="record 2"):
        JournalState(parse(text), "x")


def test_an_interrupted_journal_or_another_file_is_never_replaced(tmp_path):
    path = tmp_path / "j.jsonl"
    write_run(path, end=False)
    with pytest.raises(InvalidInputError) as info:
        Journal.create(str(path), {"info": {}, "actions": ACTIONS})
    assert "interrupted" in str(info.value) and "data_action_timeouts_rollback_report=%s" % path in str(info.value)
    other = tmp_path / "notes.txt"
    other.write_text("my notes\n")
    with pytest.raises(InvalidInputError, match="not a journal"):
        Journal.create(str(other), {"info": {}, "actions": ACTIONS})
    assert other.read_text() == "my notes\n"


def test_the_journal_of_a_run_that_ended_is_replaced_by_a_run_of_the_same_id(tmp_path):
    path = tmp_path / "j.jsonl"
    write_run(path)
    Journal.create(str(path), {"info": {"run_id": "again"}, "actions": []}).close()
    assert read(str(path)).info == {"run_id": "again"}


def test_a_journal_that_cannot_be_appended_to_is_broken(tmp_path, monkeypatch):
    journal = Journal.create(str(tmp_path / "j.jsonl"), {"info": {}, "actions": ACTIONS})

    def full_disk(handle, data):
        raise OSError(28, "disk full")

    monkeypatch.setattr(_journal.os, "write", full_disk)
    journal.sending("custom_-_a", 4, 10)
    assert "could not be written" in journal.broken and "disk full" in journal.broken


def test_urls_lose_any_credential_and_query():
    assert safe_url("https://user:pw@api.mypurecloud.ie:8443/x?token=1") == "https://api.mypurecloud.ie:8443/x"
    assert safe_url(None) is None

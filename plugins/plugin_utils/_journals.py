# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesyscloud.cx contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# FOR INTERNAL COLLECTION USE ONLY
# The interfaces in this file are meant for use within the genesyscloud.cx collection and may change in
# any release. The filters in plugins/filter/ are the public interface; the journal is documented in
# roles/data_action_timeouts/REPORTS.md.

"""Journals on the controller: reading one given as a path or as data, and finding the runs of an org that were
interrupted and left changes nobody has rolled back yet."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import glob
import json
import os

from collections.abc import Mapping

from ansible.errors import AnsibleFilterError

from ansible_collections.genesyscloud.cx.plugins.module_utils._journal import (
    END,
    FORMAT,
    JOURNAL,
    JournalError,
    JournalState,
    is_journal,
    parse,
)
from ansible_collections.genesyscloud.cx.plugins.module_utils.data_actions import DRIFTED, FAILED
from ansible_collections.genesyscloud.cx.plugins.plugin_utils._run_lock import live_lock

# The role keeps each org's journal as <report_dir>/<run_id>/<org>.journal.jsonl.
JOURNAL_SUFFIX = ".journal.jsonl"
# An end record is a few hundred bytes: the tail read to find it is far larger.
_TAIL_BYTES = 65536


class _GotThrough(object):
    """A journal whose run got through (its last line an end record that says it did not stop): all that
    interrupted_runs needs of it, its header's labels and its end, read without the records in between."""

    ended = True
    stopped = None

    def __init__(self, header, end):
        self.info = header.get("info") if isinstance(header.get("info"), dict) else {}
        self.end = end


def _read_journal(path):
    """The journal at ``path`` for interrupted_runs: a _GotThrough from its first and last lines when its run got
    through (every run but an interrupted one), else its whole JournalState. Raises OSError, AnsibleFilterError."""
    with open(path, "rb") as stream:
        first = stream.readline()
        size = stream.seek(0, os.SEEK_END)
        stream.seek(max(0, size - _TAIL_BYTES))
        tail = stream.read()
    try:
        header = json.loads(first.decode("utf-8"))
        end = json.loads(tail.rstrip(b"\n").rsplit(b"\n", 1)[-1].decode("utf-8"))
    except ValueError:
        header = end = None
    if (tail.endswith(b"\n") and isinstance(header, dict) and header.get("journal") == JOURNAL
            and header.get("format") == FORMAT and isinstance(end, dict) and end.get("event") == END
            and not end.get("stopped")):
        return _GotThrough(header, end)
    with open(path, "rb") as stream:
        return journal_state(stream.read().decode("utf-8", "replace"), path)


def real_path(path):
    return os.path.realpath(os.path.expanduser(str(path)))


def read_source(source, named):
    """A report, a plan or a journal named by its path: ``("journal", JournalState)`` for a journal (JSON Lines),
    else ``("json", the decoded document)``. AnsibleFilterError naming the file when it cannot be read."""
    path = real_path(source)
    try:
        with open(path, "rb") as stream:
            text = stream.read().decode("utf-8", "replace")
    except (IOError, OSError) as exc:
        raise AnsibleFilterError("cannot read %s: %s" % (named, exc.strerror or exc))
    first = text.split("\n", 1)[0]
    try:
        head = json.loads(first)
    except ValueError:
        head = None
    if isinstance(head, Mapping) and head.get("journal") == JOURNAL:
        return "journal", journal_state(text, named)
    try:
        return "json", json.loads(text)
    except ValueError as exc:
        raise AnsibleFilterError("%s is neither a JSON report or plan nor a journal: %s" % (named, exc))


def journal_state(text_or_records, named):
    """The JournalState of a journal's text, or of its records as data (a list, e.g. handed on by a workflow)."""
    try:
        if isinstance(text_or_records, str):
            return JournalState(parse(text_or_records, named), named)
        records = [dict(record) if isinstance(record, Mapping) else record for record in text_or_records]
        if not is_journal(records):
            raise JournalError("%s is not a journal of genesyscloud.cx.data_action_timeout" % named)
        if records[0].get("format") != FORMAT:
            raise JournalError("%s has journal format %r; this collection reads format %d"
                               % (named, records[0].get("format"), FORMAT))
        return JournalState(records, named)
    except JournalError as exc:
        raise AnsibleFilterError(str(exc))


def looks_like_journal(value):
    return isinstance(value, (list, tuple)) and bool(value) and isinstance(value[0], Mapping) and \
        value[0].get("journal") == JOURNAL


def _rolled_back(path, others):
    """The journal of a rollback of ``path`` that ended with everything restored, or None."""
    for other in others:
        if real_path(other.info.get("rollback_of") or "") != path or not other.ended or other.stopped:
            continue
        counts = other.end.get("counts") or {}
        if not counts.get(FAILED) and not counts.get(DRIFTED):
            return other
    return None


def _unreported(path, org, run, states):
    """The message for a run that got through and changed the org but left no report (it could not be written: a
    full disk), unless a rollback of its journal restored everything; else None."""
    if os.path.exists(os.path.join(os.path.dirname(path), "%s.json" % org)):
        return None
    try:
        with open(path, "rb") as stream:
            state = journal_state(stream.read().decode("utf-8", "replace"), path)
    except (IOError, OSError, AnsibleFilterError) as exc:
        return "the journal %s cannot be read (%s): check what its run changed in this org by hand" % (path, exc)
    changed = state.changed()
    if not changed or _rolled_back(path, states):
        return None
    return ("run %s changed %d action(s) in this org but left no report (%s is missing: it could not be written, "
            "was the disk full?); its journal %s is the record of those changes, which stay until rolled back: "
            "ansible-playbook genesyscloud.cx.rollback -i <inventory> --limit %s "
            "-e data_action_timeouts_rollback_report=%s -e data_action_timeouts_max_changes=%d"
            % (state.info.get("run_id") or run, len(changed), os.path.join(os.path.dirname(path), "%s.json" % org),
               path, org, path, len(changed)))


def interrupted_runs(report_dir, org, run_id=None):
    """What the interrupted runs of ``org`` under ``report_dir`` left: one message per run whose journal records
    changes (or updates of unknown outcome) and that stopped before its end, or that got through but left no org
    report (a full disk), unless a rollback of that journal ended with everything restored. The run ``run_id``
    (the current one) and a run that holds the org's lock (going on now) are not reported, but the current run's
    journal may be the rollback that settles another.
    """
    if not report_dir or not os.path.isdir(real_path(report_dir)):
        return []
    pattern = os.path.join(glob.escape(real_path(report_dir)), "*", glob.escape(str(org)) + JOURNAL_SUFFIX)
    journals, messages = [], []
    for path in sorted(glob.glob(pattern)):
        try:
            journals.append((path, _read_journal(path)))
        except (IOError, OSError, AnsibleFilterError) as exc:
            messages.append("the journal %s cannot be read (%s): check what its run changed in this org by hand"
                            % (path, exc))
    states = [state for dummy, state in journals]
    for path, state in journals:
        run = os.path.basename(os.path.dirname(path))
        if run == str(run_id) or live_lock(os.path.dirname(path), org):
            continue  # the current run, or one going on right now (it holds the org's lock)
        if not state.stopped:
            message = _unreported(path, org, run, states)
            if message:
                messages.append(message)
            continue
        changed, unknown, in_flight = state.changed(), state.unknown(), state.sent_unknown()
        if not changed and not unknown or _rolled_back(path, states):
            continue
        text = "run %s was interrupted (%s) after changing %d action(s) in this org" % (
            state.info.get("run_id") or run, state.stopped, len(changed))
        if in_flight:
            text += ", and %d more were being updated when it stopped (their outcome is unknown)" % len(in_flight)
        # A rollback is capped by nothing but its record: what the journal shows changed or in flight.
        messages.append(
            "%s; they stay so until rolled back: ansible-playbook genesyscloud.cx.rollback -i <inventory> --limit %s "
            "-e data_action_timeouts_rollback_report=%s (each change is restored unless changed again since; an "
            "update of unknown outcome only where it shows)" % (text, org, path))
    return messages

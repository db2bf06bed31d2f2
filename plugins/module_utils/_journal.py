# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesyscloud.cx contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

# FOR INTERNAL COLLECTION USE ONLY
# The interfaces in this file are meant for use within the genesyscloud.cx collection and may change in
# any release. The format is documented in roles/data_action_timeouts/REPORTS.md ("The journal").

"""The journal of a data_action_timeout run: what it is about to change, written before the first write, then
each write and each outcome as it happens, so that a run interrupted at any instant can be rolled back.

JSON Lines, one record per line, only ever appended to:

- line 1, the header (written whole to a temporary file, flushed to disk and renamed into place before the
  first write): ``{"journal", "format", "started_at", "pid", "api_base_url", "mode", "on_drift", "info",
  "actions": [{"id", "name", "timeout_seconds_before", "timeout_seconds", "version_before", ...}]}``;
- ``{"event": "sending", "id", "version", "timeout_seconds", "at"}`` before each PATCH of an action;
- ``{"event": "outcome", ...the action's result...}`` once the action is settled (or not attempted);
- ``{"event": "end", "at", "stopped", "counts"}`` last, when the module got to the end.

A record is one ``write`` of a whole line to a file opened for appending, so a process killed at any instant
leaves whole records, and at most a last line cut short, which a reader drops. The header and the end are
also flushed to the disk (fsync); the records between are left to the operating system, which keeps them when
the process dies but may lose the last few in a crash of the machine itself: a rollback then treats those
actions as ones whose outcome is unknown.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import datetime
import json
import os
import threading

from urllib.parse import urlsplit, urlunsplit

from ansible_collections.genesyscloud.cx.plugins.module_utils._files import write_whole
from ansible_collections.genesyscloud.cx.plugins.module_utils.errors import InvalidInputError

JOURNAL = "genesyscloud.cx.data_action_timeout journal"
FORMAT = 1
SENDING, OUTCOME, END = "sending", "outcome", "end"
# The outcome of an action the run did not get to (it stopped first); never a result status.
NOT_ATTEMPTED = "not_attempted"


def utc_now():
    return datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def safe_url(url):
    """``url`` without any user:password@ part and query string: a journal never carries a credential."""
    if not url:
        return None
    parts = urlsplit(str(url))
    host = parts.hostname or ""
    if parts.port:
        host = "%s:%d" % (host, parts.port)
    return urlunsplit((parts.scheme, host, parts.path, "", ""))


class JournalError(ValueError):
    """A journal that cannot be read: the message names the file and the line."""


def parse(text, where="the journal"):
    """The records of a journal's text, in order. A last line without its newline is a record the writer was
    stopped in the middle of: it is dropped when it does not parse. Raises JournalError for anything else."""
    lines = text.split("\n")
    torn = lines.pop() if lines else ""
    records = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except ValueError as exc:
            raise JournalError("%s, line %d, is not a JSON record (%s)" % (where, number, exc))
        if not isinstance(record, dict):
            raise JournalError("%s, line %d, is not a JSON object" % (where, number))
        records.append(record)
    if torn.strip():
        try:
            record = json.loads(torn)
        except ValueError:
            record = None  # cut short by an interruption
        if isinstance(record, dict):
            records.append(record)
    if not records or records[0].get("journal") != JOURNAL:
        raise JournalError("%s is not a journal of genesyscloud.cx.data_action_timeout (its first line has no "
                           "\"journal\": %r)" % (where, JOURNAL))
    if records[0].get("format") != FORMAT:
        raise JournalError("%s has journal format %r; this collection reads format %d"
                           % (where, records[0].get("format"), FORMAT))
    if not isinstance(records[0].get("actions"), list):
        raise JournalError("%s has a header without its actions list" % where)
    return records


def is_journal(records):
    return bool(records) and isinstance(records[0], dict) and records[0].get("journal") == JOURNAL


class JournalState(object):
    """What a journal says: the header, each action's last known state, and whether and how the run ended.

    ``actions``: the header's entries in order, each with ``sent`` (its first ``sending`` record, or None) and
    ``outcome`` (its outcome record, or None: the run stopped before settling it).
    """

    def __init__(self, records, where="the journal"):
        self.where = where
        self.header = records[0]
        self.info = self.header.get("info") if isinstance(self.header.get("info"), dict) else {}
        self.actions = []
        by_id = {}
        for index, entry in enumerate(self.header["actions"]):
            if not isinstance(entry, dict) or not entry.get("id"):
                raise JournalError("%s: header actions[%d] has no id" % (where, index))
            state = dict(entry, sent=None, outcome=None)
            self.actions.append(state)
            by_id[str(entry["id"])] = state
        self.end = None
        for number, record in enumerate(records[1:], 2):
            event = record.get("event")
            if event == END:
                self.end = record
                continue
            state = by_id.get(str(record.get("id")))
            if event not in (SENDING, OUTCOME) or state is None:
                raise JournalError("%s, record %d, is neither a sending, an outcome nor an end record of an action "
                                   "of its header" % (where, number))
            if event == OUTCOME:
                state["outcome"] = record
            elif state["sent"] is None:
                state["sent"] = record  # the first: any write of ours left the action at a newer version than it

    @property
    def ended(self):
        return self.end is not None

    @property
    def stopped(self):
        """Why the run stopped before its end (None when it got through): its own words, or that it was killed."""
        if self.end is None:
            return "it ended without its end record (the module was killed, or its machine stopped)"
        return self.end.get("stopped")

    def changed(self):
        """The actions the journal shows changed: an outcome holding the timeout this run wanted, at a version."""
        return [a for a in self.actions if _changed(a)]

    def unknown(self):
        """The actions with no outcome: the run stopped before settling them (a write may have been sent)."""
        return [a for a in self.actions if a["outcome"] is None]

    def sent_unknown(self):
        return [a for a in self.unknown() if a["sent"] is not None]


def _changed(action):
    """Whether an action's outcome shows the timeout this run wanted (or its function's changed) at a version."""
    outcome = action["outcome"]
    if outcome is None or outcome.get("status") == NOT_ATTEMPTED or not isinstance(outcome.get("version_after"), int):
        return False
    after = outcome.get("timeout_seconds_after")
    function_before = outcome.get("function_timeout_seconds_before")
    function_after = outcome.get("function_timeout_seconds_after")
    return ((after == action.get("timeout_seconds") and after != outcome.get("timeout_seconds_before"))
            or (None not in (function_before, function_after) and function_before != function_after))


def read(path):
    """The JournalState of the journal file at ``path``."""
    try:
        with open(path, "rb") as stream:
            text = stream.read().decode("utf-8", "replace")
    except (IOError, OSError) as exc:
        raise JournalError("cannot read the journal %s: %s" % (path, exc))
    return JournalState(parse(text, path), path)


class Journal(object):
    """Writes one run's journal. Thread-safe: the workers record their writes and outcomes as they happen.

    A write to the journal that fails (a full disk) sets ``broken``: the run must then send no new write, as
    the record of it could not be kept.
    """

    def __init__(self, path, handle):
        self.path = path
        self._handle = handle
        self._lock = threading.Lock()
        self.broken = None

    @classmethod
    def create(cls, path, header):
        """Write the header (with every action the run is about to change) and make sure it is on disk.

        Before any write: refuses to replace a journal that records an interrupted run, or a file that is not a
        journal; replaces the journal of a run that ended (the same run id used again). Raises InvalidInputError.
        """
        path = os.path.abspath(os.path.expanduser(path))
        _check_replaceable(path)
        directory = os.path.dirname(path)
        record = dict([("journal", JOURNAL), ("format", FORMAT), ("started_at", utc_now()), ("pid", os.getpid())],
                      **header)
        try:
            if not os.path.isdir(directory):
                os.makedirs(directory, 0o755, exist_ok=True)  # another org's module may create it at the same time
            write_whole(path, _line(record), sync=True)
            _sync_directory(directory)
            appender = os.open(path, os.O_WRONLY | os.O_APPEND)
        except (IOError, OSError) as exc:
            raise InvalidInputError("The journal %s cannot be written (%s); nothing was changed. Give a journal path "
                                    "in a writable folder." % (path, exc))
        return cls(path, appender)

    def _append(self, record, sync=False):
        with self._lock:
            if self._handle is None:
                return
            try:
                os.write(self._handle, _line(record))
                if sync:
                    os.fsync(self._handle)
            except (IOError, OSError) as exc:
                if self.broken is None:
                    self.broken = "the journal %s could not be written (%s)" % (self.path, exc)

    def sending(self, action_id, version, timeout_seconds):
        self._append({"event": SENDING, "id": action_id, "version": version, "timeout_seconds": timeout_seconds,
                      "at": utc_now()})

    def outcome(self, result):
        record = {"event": OUTCOME}
        record.update((key, value) for key, value in result.items() if key not in ("event",))
        self._append(record)

    def end(self, results, stopped=None):
        counts = {}
        for result in results:
            counts[result["status"]] = counts.get(result["status"], 0) + 1
        self._append({"event": END, "at": utc_now(), "stopped": stopped, "counts": counts}, sync=True)

    def close(self):
        with self._lock:
            if self._handle is not None:
                os.close(self._handle)
                self._handle = None


class NoJournal(object):
    """Stands in for the journal when none is kept."""

    broken = None

    def sending(self, action_id, version, timeout_seconds):
        pass

    def outcome(self, result):
        pass


def _line(record):
    return (json.dumps(record, sort_keys=False, separators=(",", ":")) + "\n").encode("utf-8")


def _check_replaceable(path):
    if not os.path.lexists(path):
        return
    if not os.path.isfile(path):
        raise InvalidInputError("The journal path %s exists and is not a file; nothing was changed." % path)
    try:
        state = read(path)
    except JournalError:
        raise InvalidInputError("%s exists and is not a journal of this module; nothing was changed. Give another "
                                "journal path (a journal never replaces another file)." % path)
    if state.stopped and (state.changed() or state.unknown()):
        raise InvalidInputError(
            "The journal %s records a run that was interrupted (%s); nothing was changed. Roll that run back first "
            "(genesyscloud.cx.rollback with -e data_action_timeouts_rollback_report=%s), then move the journal "
            "away, or give another journal path." % (path, state.stopped, path))


def _sync_directory(directory):
    """Make the rename itself durable. Not every platform can open a directory; there it is left to the system."""
    try:
        handle = os.open(directory, os.O_RDONLY)
    except (IOError, OSError):
        return
    try:
        os.fsync(handle)
    except (IOError, OSError):
        pass
    finally:
        os.close(handle)

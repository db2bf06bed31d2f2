# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesyscloud.cx contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# FOR INTERNAL COLLECTION USE ONLY
# The interfaces in this file are meant for use within the genesyscloud.cx collection and may change in
# any release. The run folders are documented in roles/data_action_timeouts/README.md ("Run ids").

"""The run folders under a report folder (``<report_dir>/<run_id>/``): whether one holds the record of a run that
wrote to Genesys Cloud (a record that is never overwritten), a free run id beside it, and which runs of a run id
recorded changes in an org (for a rollback given a report that records none)."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import glob
import os
import re

from ansible_collections.genesyscloud.cx.plugins.module_utils._journal import JournalError, read
from ansible_collections.genesyscloud.cx.plugins.plugin_utils._journals import JOURNAL_SUFFIX

# The run ids this collection suggests for a run id already taken: the id, a dash and a number.
_SUGGESTED = re.compile(r"^(?P<stem>.+)-(?P<number>[0-9]+)$")


class RecordedWrites(object):
    """One org's journal in a run folder that records writes: changes, or writes whose outcome is unknown."""

    def __init__(self, path, changed, unknown):
        self.path = path
        self.org = os.path.basename(path)[:-len(JOURNAL_SUFFIX)]
        self.changed = changed
        self.unknown = unknown

    def describe(self):
        """The org, what its journal records and where, in a few words."""
        if self.changed is None:
            return "%s: its journal %s cannot be read, so it may record changes" % (self.org, self.path)
        text = "%s: %d action(s) changed" % (self.org, self.changed)
        if self.unknown:
            text += " and %d write(s) of unknown outcome" % self.unknown
        return "%s (journal %s)" % (text, self.path)


def recorded_writes(folder, org=None):
    """The journals in the run folder ``folder`` (of ``org``, or of every org) whose run wrote to Genesys Cloud: it
    changed an action, or sent a write whose outcome is unknown. A journal that cannot be read counts as one that
    did: the record it may be is kept rather than replaced."""
    pattern = os.path.join(glob.escape(folder), (glob.escape(org) if org else "*") + JOURNAL_SUFFIX)
    found = []
    for path in sorted(glob.glob(pattern)):
        try:
            state = read(path)
        except JournalError:
            found.append(RecordedWrites(path, None, None))
            continue
        changed, unknown = len(state.changed()), len(state.sent_unknown())
        if changed or unknown:
            found.append(RecordedWrites(path, changed, unknown))
    return found


def free_run_id(report_dir, run_id):
    """The first of ``<run_id>-2``, ``<run_id>-3``, ... that names no folder in ``report_dir``."""
    number = 2
    while os.path.lexists(os.path.join(report_dir, "%s-%d" % (run_id, number))):
        number += 1
    return "%s-%d" % (run_id, number)


def taken_message(folder, recorded, free):
    """Why a new run may not write into ``folder``, and what to run instead."""
    run_id = os.path.basename(folder)
    report = os.path.join(folder, "run.json")
    return ("The run id %s is taken: %s holds the record of a run that wrote to Genesys Cloud (%s), and a run's record "
            "is never overwritten. Nothing was sent to Genesys Cloud. Give this run a run id of its own, e.g. "
            "-e data_action_timeouts_run_id=%s (free); to undo that run, roll it back with "
            "-e data_action_timeouts_rollback_report=%s."
            % (run_id, folder, "; ".join(r.describe() for r in recorded), free,
               report if os.path.exists(report) else recorded[0].path))


def runs_with_changes(source, org):
    """The records of the runs that share the run id of the report, plan or journal at ``source`` and changed
    ``org``: the paths to roll back from (each folder's run.json, else its journal), the nearest first.

    Runs of a run id are the folder of ``source`` and its siblings named like it: ``<id>`` and ``<id>-<n>``, the
    run ids suggested for one already taken.
    """
    folder = os.path.dirname(os.path.realpath(os.path.expanduser(str(source))))
    report_dir, run_id = os.path.dirname(folder), os.path.basename(folder)
    stems = [run_id]
    suggested = _SUGGESTED.match(run_id)
    if suggested:
        stems.append(suggested.group("stem"))
    try:
        names = sorted(os.listdir(report_dir))
    except OSError:
        return []
    found = []
    for name in names:
        if not any(name == stem or _SUGGESTED.match(name) and _SUGGESTED.match(name).group("stem") == stem
                   for stem in stems):
            continue
        sibling = os.path.join(report_dir, name)
        if not os.path.isdir(sibling):
            continue
        for recorded in recorded_writes(sibling, org):
            report = os.path.join(sibling, "run.json")
            if not recorded.changed:
                continue
            # In the folder of the report given, its org's journal is the record the report failed to keep.
            found.append(report if sibling != folder and os.path.exists(report) else recorded.path)
    found.sort(key=lambda path: os.path.dirname(path) != folder)
    return found


def no_change_warning(source, org):
    """The warning for a rollback whose report records no change in ``org``: nothing to restore, and where the
    runs of that run id that changed the org are recorded."""
    named = source if isinstance(source, str) else "the rollback report given as data"
    text = "%s records no change in %s: this rollback restores nothing there." % (named, org)
    if not isinstance(source, str):
        return text
    others = runs_with_changes(source, org)
    if others:
        return text + " The report of run id %s that records changes in %s: %s (roll back with " \
            "-e data_action_timeouts_rollback_report=%s)." % (
                os.path.basename(os.path.dirname(os.path.realpath(os.path.expanduser(source)))), org,
                ", ".join(others), others[0])
    return text + " No other run of its run id recorded a change in %s." % org

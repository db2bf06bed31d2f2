# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesyscloud.cx contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# FOR INTERNAL COLLECTION USE ONLY
# The interfaces in this file are meant for use within the genesyscloud.cx collection and may change in
# any release. What a report says of it is in roles/data_action_timeouts/REPORTS.md ("Since the last run").

"""What moved in an org since the last run: the org's report compared with the newest earlier report of the same
org in the report folder (any mode, any run id), at no request's cost.

The earlier run's state is what it left: the timeout it wrote where the server confirmed the write (``updated``),
else the timeout it read (a dry run's ``would_update`` never happened). Today's is what this run read before its
own changes. So a difference is somebody else's change since (an admin's edit, another tool), never that run's
own; actions added and removed since, and verdicts that changed (with the stats behind each), complete it.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import glob
import json
import os

UPDATED = "updated"
# An update sent whose outcome that run could not learn: it left either timeout.
UNKNOWN = "unknown"
# The stats beside a changed verdict: enough to see why it moved.
STATS_SHOWN = ("executions", "p99_ms", "max_ms", "failure_share")


def earlier_org_report(report_dir, org, current_dest):
    """``(path, report)`` of the newest org report of ``org`` under ``report_dir`` (``<report_dir>/<run id>/<org>.json``)
    outside the run folder ``current_dest`` that read the org (it has rows), else ``(None, None)``. Newest by the
    file's time (a report is written once its run is done); unreadable files and other reports are passed over."""
    if not report_dir or not org or not os.path.isdir(report_dir):
        return None, None
    current = os.path.realpath(current_dest) if current_dest else None
    candidates = []
    for path in glob.glob(os.path.join(glob.escape(report_dir), "*", glob.escape(org) + ".json")):
        if current is not None and os.path.realpath(os.path.dirname(path)) == current:
            continue
        try:
            candidates.append((os.path.getmtime(path), path))
        except OSError:
            continue
    for dummy, path in sorted(candidates, reverse=True):
        report = _read(path)
        if report is not None and report.get("report_type") == "org" and report.get("org") == org and report.get("rows"):
            return path, report
    return None, None


def _read(path):
    try:
        with open(path, encoding="utf-8") as stream:
            report = json.load(stream)
    except (OSError, IOError, ValueError):
        return None
    return report if isinstance(report, dict) else None


def _left(row):
    """(timeout, version) the earlier run left the action at."""
    if row.get("status") == UPDATED:
        return row.get("timeout_seconds_after"), row.get("version_after")
    return row.get("timeout_seconds_before"), row.get("version_before")


def _stats(row):
    stats = row.get("stats") if isinstance(row.get("stats"), dict) else {}
    return dict((key, stats.get(key)) for key in STATS_SHOWN if stats.get(key) is not None)


def since_last_run(report, earlier, earlier_path=None):
    """The comparison of org report ``report`` with ``earlier`` (an earlier org report of the same org), or None
    when there is no earlier one. Lists are sorted by name, then id."""
    if not earlier:
        return None
    now = dict((row["id"], row) for row in report.get("rows") or [] if isinstance(row, dict) and row.get("id"))
    then = dict((row["id"], row) for row in earlier.get("rows") or [] if isinstance(row, dict) and row.get("id"))

    def named(rows):
        return sorted(rows, key=lambda item: (str(item.get("name") or "").lower(), item["id"]))

    added = named({"id": i, "name": row.get("name"), "timeout_seconds": row.get("timeout_seconds_before")}
                  for i, row in now.items() if i not in then)
    removed = named({"id": i, "name": row.get("name"), "timeout_seconds": _left(row)[0]}
                    for i, row in then.items() if i not in now)
    changed, verdicts = [], []
    for action_id, row in now.items():
        old = then.get(action_id)
        if old is None:
            continue
        timeout_then, version_then = _left(old)
        unsettled = old.get("status") == UNKNOWN and old.get("timeout_seconds_after") == row.get("timeout_seconds_before")
        if timeout_then != row.get("timeout_seconds_before") and not unsettled:
            changed.append({"id": action_id, "name": row.get("name"), "timeout_seconds_then": timeout_then,
                            "timeout_seconds_now": row.get("timeout_seconds_before"), "version_then": version_then,
                            "version_now": row.get("version_before")})
        if old.get("verdict") and row.get("verdict") and old["verdict"] != row["verdict"]:
            verdicts.append({"id": action_id, "name": row.get("name"), "verdict_then": old["verdict"],
                             "verdict_now": row["verdict"], "stats_then": _stats(old), "stats_now": _stats(row)})
    return {
        "earlier": {"run_id": earlier.get("run_id"), "generated_at": earlier.get("generated_at"),
                    "mode": earlier.get("mode"), "check_mode": bool(earlier.get("check_mode")), "path": earlier_path},
        "counts": {"added": len(added), "removed": len(removed), "timeouts_changed": len(changed),
                   "verdicts_changed": len(verdicts)},
        "added": added,
        "removed": removed,
        "timeouts_changed": named(changed),
        "verdicts_changed": named(verdicts),
    }


def compared_with_last_run(report, report_dir, org, current_dest):
    """``since_last_run`` of the org report ``report`` just built in ``current_dest``: compared with the newest earlier
    report of ``org`` in ``report_dir``, or None. A run that read no action (it stopped before) compares with nothing:
    every action would look removed."""
    if not report.get("rows") and report.get("error"):
        return None
    path, earlier = earlier_org_report(report_dir, org, current_dest)
    return since_last_run(report, earlier, path)


def since_counts(report):
    """The counts of an org report's ``since_last_run``, or None when it compared with no earlier run."""
    since = report.get("since_last_run")
    return dict(since["counts"]) if isinstance(since, dict) and isinstance(since.get("counts"), dict) else None

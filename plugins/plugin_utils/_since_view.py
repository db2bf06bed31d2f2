# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesyscloud.cx contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# FOR INTERNAL COLLECTION USE ONLY
# The interfaces in this file are meant for use within the genesyscloud.cx collection and may change in
# any release.

"""What the reports show of an org's ``since_last_run`` (the Markdown's and the HTML's "Since the last run"
section, and the org task's line): texts only, each template escapes them its own way."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from ansible_collections.genesyscloud.cx.plugins.plugin_utils._report_view import (
    format_count,
    format_ms,
    format_timeout,
    format_version,
    mode_label,
    verdict_label,
)


def _stats_text(stats):
    """The stats beside a changed verdict: "p99 9.4 s, max 12 s, 100 executions"."""
    parts = []
    if stats.get("p99_ms") is not None:
        parts.append("p99 " + format_ms(stats["p99_ms"]))
    if stats.get("max_ms") is not None:
        parts.append("max " + format_ms(stats["max_ms"]))
    if stats.get("executions") is not None:
        parts.append("%s executions" % format_count(stats["executions"]))
    if stats.get("failure_share") is not None:
        parts.append("%.0f%% failed" % (100.0 * stats["failure_share"]))
    return ", ".join(parts) or "-"


def counts_text(counts):
    return "%d added, %d removed, %d timeout(s) changed by someone else, %d verdict(s) changed" % (
        counts["added"], counts["removed"], counts["timeouts_changed"], counts["verdicts_changed"])


def since_view(report):
    """The section's texts for an org report, or None when its run compared with no earlier report."""
    since = report.get("since_last_run")
    if not isinstance(since, dict):
        return None
    earlier = since.get("earlier") or {}
    return {
        "run_id": earlier.get("run_id") or "-",
        "when": earlier.get("generated_at") or "-",
        "mode": mode_label(earlier),
        "counts": counts_text(since["counts"]),
        "added": [(a["name"], a["id"], format_timeout(a.get("timeout_seconds"))) for a in since.get("added") or []],
        "removed": [(a["name"], a["id"], format_timeout(a.get("timeout_seconds"))) for a in since.get("removed") or []],
        "timeouts_changed": [
            (a["name"], a["id"], format_timeout(a.get("timeout_seconds_then")), format_timeout(a.get("timeout_seconds_now")),
             format_version(a.get("version_then")), format_version(a.get("version_now")))
            for a in since.get("timeouts_changed") or []],
        "verdicts_changed": [
            (a["name"], a["id"], verdict_label(a.get("verdict_then")), verdict_label(a.get("verdict_now")),
             _stats_text(a.get("stats_then") or {}), _stats_text(a.get("stats_now") or {}))
            for a in since.get("verdicts_changed") or []],
    }


def since_lines(report):
    """The org task's line on what moved, or none."""
    view = since_view(report)
    if view is None:
        return []
    return ["%s: since the last run (%s, %s, %s): %s" % (
        report.get("org") or "(org)", view["run_id"], view["mode"], view["when"], view["counts"])]

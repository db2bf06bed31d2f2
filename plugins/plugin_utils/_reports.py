# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesyscloud.cx contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# FOR INTERNAL COLLECTION USE ONLY
# The interfaces in this file are meant for use within the genesyscloud.cx collection and may change in
# any release. The filters in plugins/filter/ are the public interface; the report schema is documented
# in roles/data_action_timeouts/REPORTS.md.

"""The data-action timeout reports' schema (version 2; version 1 is still read): its keys, modes and statuses, and
the summary counts of an org report's rows.

Building an org report is in _org_reports.py, reading reports back and the run report in _report_reading.py,
the checking of the values a report holds in _report_values.py.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from ansible_collections.genesyscloud.cx.plugins.module_utils._journal import NOT_ATTEMPTED
from ansible_collections.genesyscloud.cx.plugins.module_utils.data_actions import (
    DRAFT_KEPT,
    DRIFTED,
    FAILED,
    KIND_CUSTOM,
    UNCHANGED,
    UNKNOWN,
    UPDATED,
    WOULD_UPDATE,
)
from ansible_collections.genesyscloud.cx.plugins.module_utils.execution_stats import (
    AT_RISK,
    NO_DATA,
    OVERSIZED,
    SOURCE_LADDER,
    SOURCE_SERVER,
    TIMING_OUT,
    VERDICTS,
)
from ansible_collections.genesyscloud.cx.plugins.module_utils.execution_stats import OK as VERDICT_OK
from ansible_collections.genesyscloud.cx.plugins.module_utils.selection import (
    NOT_APPLICABLE,
    NOT_REQUESTED,
    NOT_SELECTED,
    OK,
)
from ansible_collections.genesyscloud.cx.plugins.plugin_utils._report_values import BUCKETS, bucket_of


SCHEMA_VERSION = 2
# Version 1 (collection 0.1.0) lacks the effective timeouts and the observed times; it is still read, so
# that its runs can be rolled back.
READABLE_SCHEMA_VERSIONS = (1, 2)

ORG, RUN, PLAN = "org", "run", "plan"
AUDIT, REMEDIATE, RIGHT_SIZE, ROLLBACK = "audit", "remediate", "right_size", "rollback"
MODES = (AUDIT, REMEDIATE, RIGHT_SIZE, ROLLBACK)
# Modes whose real (not check-mode) runs write changes.
WRITING_MODES = (REMEDIATE, RIGHT_SIZE, ROLLBACK)

# Schema 1's status for a change an audit planned; it is read as WOULD_UPDATE. In schema 2 "at_risk" is
# a verdict of the observed times, never a status.
V1_AT_RISK = "at_risk"
# Every status a schema 2 row can carry, in the order reports list them. The module decides each one.
STATUSES = (UPDATED, WOULD_UPDATE, DRIFTED, FAILED, UNKNOWN, NOT_ATTEMPTED, UNCHANGED, NOT_SELECTED, NOT_REQUESTED,
            OK, NOT_APPLICABLE)
# Riskiest first: the order of the observed-times chart and table (a verdict added later goes last).
_RISK_ORDER = (TIMING_OUT, AT_RISK, OVERSIZED, VERDICT_OK, NO_DATA)
VERDICTS_BY_RISK = tuple(v for v in _RISK_ORDER if v in VERDICTS) + tuple(v for v in VERDICTS if v not in _RISK_ORDER)

STATS_KEYS = ("executions", "mean_ms", "p95_ms", "p99_ms", "max_ms", "reached_timeout")
# Kept when the module gave them (since the errorType split): counts, then the others.
STATS_COUNT_KEYS = ("successes", "failures", "sized_executions")
P99_SOURCES = (SOURCE_SERVER, SOURCE_LADDER)
VERIFY_KEYS = ("success", "timed_out", "duration_ms", "error")
VERIFY_COUNT_KEYS = ("tested", "tested_before", "passed_before", "timed_out_before",
                     "tested_after", "passed_after", "timed_out_after")
# The longest test error text a report keeps: enough for "HTTP 504: The action timed out after 3000 ms".
MAX_ERROR_TEXT = 200

# The keys every row has had since schema 1; schema 2 adds ROW_OBSERVED_KEYS and "verify".
ROW_KEYS = ("id", "name", "category", "integration_id", "kind", "secure",
            "timeout_seconds_before", "timeout_seconds_after",
            "version_before", "version_after", "status", "msg")
ROW_OBSERVED_KEYS = ("stats", "verdict", "recommended_timeout_seconds", "recommendation")
# Added within schema 2 (collection 0.2.0, issue 9): a function action's own timeout, and the pending draft.
# The flows that call an action (data_action_timeout's dependencies): None when not asked or unknown.
ROW_FLOW_KEYS = ("flows", "flows_unknown")
FLOW_KEYS = ("id", "name", "type", "version", "state")
# Rows whose action the run planned to change: the flows they are called by are what the change touches.
PLANNED_STATUSES = (UPDATED, WOULD_UPDATE, NOT_ATTEMPTED, UNKNOWN, FAILED, DRIFTED)
ROW_EDGE_KEYS = ("function_timeout_seconds_before", "function_timeout_seconds_after", "draft")
DRAFT_KEYS = ("status", "version_before", "version_after", "timeout_seconds_before", "timeout_seconds_after",
              "holds_other_timeout")
DRAFT_STATUSES = (DRAFT_KEPT, UPDATED, WOULD_UPDATE, UNCHANGED, FAILED)
# Summary counts of those, 0 in reports written before them.
EDGE_COUNT_KEYS = ("pending_drafts", "drafts_other_timeout", "function_actions", "above_function")
ORG_REPORT_KEYS = ("schema_version", "report_type", "run_id", "org", "mode", "check_mode",
                   "threshold", "target", "generated_at", "summary", "rows")
RUN_REPORT_KEYS = ("schema_version", "report_type", "run_id", "generated_at", "mode",
                   "check_mode", "orgs", "totals")


# ---------------------------------------------------------------- summary

def row_changes(row):
    """True when the row's action changed (the server confirmed it: updated), or, in a dry run's report, would
    change if the plan were applied: its timeout, its function's timeout, or its pending draft's. A run that
    wrote reports its updates never sent as not_attempted (read_org_report turns an older report's would_update
    into that), so a would_update row is a prediction only."""
    if row["status"] == UPDATED:
        return True
    if row["status"] in (WOULD_UPDATE, V1_AT_RISK):
        return (row["timeout_seconds_after"] != row["timeout_seconds_before"]
                or row.get("function_timeout_seconds_after") != row.get("function_timeout_seconds_before")
                or (row.get("draft") or {}).get("status") == WOULD_UPDATE)
    return False


def draft_undoes(row):
    """The row's action changed (or would), and its pending draft, left as it is, holds another timeout:
    publishing the draft would undo the change."""
    draft = row.get("draft")
    return bool(draft) and draft["status"] == DRAFT_KEPT and draft["holds_other_timeout"] and row["status"] in (
        UPDATED, WOULD_UPDATE)


def above_function(row):
    """A function action whose timeout after the run (changed or not) is above its function's own, which stops
    first: its calls are cut off at the function's timeout, and the longer wait does nothing."""
    function_after = row.get("function_timeout_seconds_after")
    return function_after is not None and row["effective_timeout_seconds_after"] > function_after


def is_low(row, threshold):
    """A custom action whose effective timeout was at or below the threshold before the run.

    A count for the reader, never a decision: which actions a run changes is the module's rule.
    """
    return row["kind"] == KIND_CUSTOM and row["effective_timeout_seconds_before"] <= threshold


def _timeout_now(row):
    """The timeout an action has (or would have) once the run is done, for the distribution."""
    if row["status"] in (UPDATED, WOULD_UPDATE, UNCHANGED):
        return row["timeout_seconds_after"]
    return row["timeout_seconds_before"]


def _verify_counts(rows):
    counts = dict((key, 0) for key in VERIFY_COUNT_KEYS)
    for row in rows:
        verify = row.get("verify")
        if not verify:
            continue
        counts["tested"] += 1
        for when in ("before", "after"):
            outcome = verify.get(when)
            if outcome:
                counts["tested_" + when] += 1
                counts["passed_" + when] += 1 if outcome["success"] else 0
                counts["timed_out_" + when] += 1 if outcome["timed_out"] else 0
    return counts


def summarize(rows, mode, threshold, use_stats, verify_used):
    """Counts by status and verdict, low timeouts before the run, changes, the distribution and the tests."""
    by_status = dict((status, 0) for status in STATUSES)
    by_verdict = dict((verdict, 0) for verdict in VERDICTS_BY_RISK) if use_stats else None
    distribution = [{"bucket": name, "before": 0, "after": 0} for name, _low, _high in BUCKETS]
    slot = dict((entry["bucket"], entry) for entry in distribution)
    low = changed = 0
    edges = dict((key, 0) for key in EDGE_COUNT_KEYS)
    for row in rows:
        by_status[row["status"]] = by_status.get(row["status"], 0) + 1
        if row_changes(row):
            changed += 1
        if row.get("draft"):
            edges["pending_drafts"] += 1
            edges["drafts_other_timeout"] += 1 if row["draft"]["holds_other_timeout"] else 0
        if row.get("function_timeout_seconds_before") is not None:
            edges["function_actions"] += 1
            edges["above_function"] += 1 if above_function(row) else 0
        # Only custom actions have a timeout the API lets us set; static and auth actions would skew the counts.
        if row["kind"] != KIND_CUSTOM:
            continue
        if is_low(row, threshold):
            low += 1
        if by_verdict is not None and row.get("verdict"):
            by_verdict[row["verdict"]] += 1
        slot[bucket_of(row["timeout_seconds_before"])]["before"] += 1
        slot[bucket_of(_timeout_now(row))]["after"] += 1
    return {
        "actions": len(rows),
        "low": low,
        "changed": changed,
        # A rollback is about what it put back, not about how many timeouts are low.
        "restored": changed if mode == ROLLBACK else 0,
        "by_status": by_status,
        "by_verdict": by_verdict,
        "distribution": distribution,
        "verify": _verify_counts(rows) if verify_used else None,
        "pending_drafts": edges["pending_drafts"],
        "drafts_other_timeout": edges["drafts_other_timeout"],
        "function_actions": edges["function_actions"],
        "above_function": edges["above_function"],
        "flows_touched": flows_touched(rows),
    }


def flows_touched(rows):
    """The distinct published flows that call the actions the run planned to change (``{count, flows,
    unknown_actions}``, flows sorted by name), or None when no row's flows were asked about."""
    asked = [row for row in rows if row.get("flows") is not None or row.get("flows_unknown")]
    if not asked:
        return None
    seen, unknown = {}, 0
    for row in asked:
        if row["status"] not in PLANNED_STATUSES:
            continue
        if row.get("flows") is None:
            unknown += 1
            continue
        for flow in row["flows"]:
            if flow.get("state") == "published":
                seen.setdefault(flow.get("id"), flow)
    flows = sorted(seen.values(), key=lambda f: ((f.get("name") or "").lower(), f.get("id") or ""))
    return {"count": len(flows), "flows": flows, "unknown_actions": unknown}

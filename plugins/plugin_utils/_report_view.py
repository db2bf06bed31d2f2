# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesyscloud.cx contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# FOR INTERNAL COLLECTION USE ONLY
# The interfaces in this file are meant for use within the genesyscloud.cx collection and may change in
# any release. The filters in plugins/filter/ are the public interface.

"""What the Markdown and HTML renderers say alike: labels, numbers in words, and which rows go where."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from collections.abc import Mapping

from ansible_collections.genesyscloud.cx.plugins.module_utils._action_flows import flow_label, flows_phrase
from ansible_collections.genesyscloud.cx.plugins.module_utils._journal import NOT_ATTEMPTED
from ansible_collections.genesyscloud.cx.plugins.module_utils.data_actions import (
    DRIFTED,
    FAILED,
    KIND_CUSTOM,
    PLATFORM_DEFAULT_TIMEOUT,
    UNCHANGED,
    UNKNOWN,
    UPDATED,
    WOULD_UPDATE,
)
from ansible_collections.genesyscloud.cx.plugins.module_utils.execution_stats import (
    AT_RISK,
    NO_DATA,
    OK as VERDICT_OK,
    OVERSIZED,
    TIMING_OUT,
)
from ansible_collections.genesyscloud.cx.plugins.module_utils.selection import (
    NOT_APPLICABLE,
    NOT_REQUESTED,
    NOT_SELECTED,
    OK,
    RECOMMENDED,
)
from ansible_collections.genesyscloud.cx.plugins.plugin_utils._report_values import text
from ansible_collections.genesyscloud.cx.plugins.plugin_utils._reports import (
    AUDIT,
    PLANNED_STATUSES,
    ROLLBACK,
    VERDICTS_BY_RISK,
    above_function,
    draft_undoes,
    row_changes,
)

STATUS_LABELS = {
    UPDATED: "updated",
    WOULD_UPDATE: "would update",
    DRIFTED: "drifted",
    FAILED: "failed",
    UNKNOWN: "outcome unknown",
    NOT_ATTEMPTED: "not attempted",
    UNCHANGED: "unchanged",
    NOT_SELECTED: "not selected",
    NOT_REQUESTED: "not requested",
    OK: "ok",
    NOT_APPLICABLE: "not applicable",
}
VERDICT_LABELS = {
    TIMING_OUT: "timing out",
    AT_RISK: "at risk",
    OVERSIZED: "oversized",
    VERDICT_OK: "ok",
    NO_DATA: "no data",
}
# Rows a person must look at; not_requested (outside an approved plan or a rollback) is context only.
ATTENTION_STATUSES = (FAILED, UNKNOWN, NOT_ATTEMPTED, DRIFTED, NOT_SELECTED)


def status_label(status):
    return STATUS_LABELS.get(status, text(status))


def verdict_label(verdict):
    return VERDICT_LABELS.get(verdict, text(verdict)) if verdict else "-"


def verdict_title(verdict):
    """A verdict as a column heading: Timing out, At risk, Oversized, OK, No data."""
    label = verdict_label(verdict)
    return "OK" if label == "ok" else label[:1].upper() + label[1:]


def format_timeout(seconds):
    """A configured timeout in words; an unset one shows what it runs with."""
    return "unset (%d s)" % PLATFORM_DEFAULT_TIMEOUT if seconds is None else "%d s" % seconds


def format_version(version):
    return "-" if version is None else "%d" % version


def format_ms(milliseconds):
    """A duration as a reader compares it with a timeout: 850 ms, 1.2 s, 20 s."""
    if milliseconds is None:
        return "-"
    if milliseconds < 1000:
        return "%d ms" % milliseconds
    return ("%.1f" % (milliseconds / 1000.0)).rstrip("0").rstrip(".") + " s"


def format_count(value):
    return "-" if value is None else "%d" % value


def format_executions(stats):
    """The executions, and how many failed when some did: "500 (440 failed)"."""
    failures = stats.get("failures")
    return format_count(stats.get("executions")) + (" (%d failed)" % failures if failures else "")


def format_p99(stats):
    """The p99; "at most 1.5 s" when it is the ladder's upper bound (the answer had no p99)."""
    shown = format_ms(stats.get("p99_ms"))
    return "at most " + shown if stats.get("p99_source") == "ladder" and stats.get("p99_ms") is not None else shown


def format_recommended(seconds):
    return "-" if seconds is None else "%d s" % seconds


ROLLBACK_WORDS = "each action the rolled-back run changed goes back to the timeout it had before that run"


def target_label(report):
    if report.get("mode") == ROLLBACK:
        # A rollback has no target: it undoes what a run's record shows that run changed.
        return ROLLBACK_WORDS
    target = report.get("target")
    if target == RECOMMENDED:
        return "each action's recommendation"
    return "%s s" % target


def rate_limit_label(rate_limit):
    """What the run met of the rate limit, in words (``rate_limit``: a report's, or the run totals'); None without."""
    if not isinstance(rate_limit, Mapping):
        return None
    limited = int(rate_limit.get("rate_limited") or 0)
    waited = float(rate_limit.get("waited_seconds") or 0.0)
    words = "%d answer%s HTTP 429, %s s waited for the rate limit" % (limited, "" if limited == 1 else "s",
                                                                      ("%.1f" % waited).rstrip("0").rstrip("."))
    held = rate_limit.get("held_seconds")
    if held:
        words += " (%s s of it held after 429s)" % ("%.1f" % held).rstrip("0").rstrip(".")
    pace = rate_limit.get("requests_per_minute")
    if pace:
        words += "; pace %d requests a minute" % pace
        learned = rate_limit.get("learned_requests_per_minute")
        if learned:
            words += ", lowered to %d after a 429 within it" % learned
    return words


def stats_label(report):
    """The stats options in words, for the settings line."""
    options = report.get("stats_options") or {}
    if not report.get("use_stats"):
        return ""
    if not options:
        return "observed execution times"
    return "observed over %s days (headroom %s, at least %s executions, at-risk share %s)" % (
        options.get("days"), _number(options.get("headroom")), options.get("min_executions"),
        _number(options.get("at_risk_share")))


def _number(value):
    if isinstance(value, float) and value.is_integer():
        return "%d" % value
    return text(value)


def passed_text(passed, tested):
    """Tests passed out of those run, in words: "no tests run" rather than "0 of 0" (an audit, a dry run, or a run
    that changed nothing runs no test after a change)."""
    return "%d of %d" % (passed, tested) if tested else "no tests run"


def changes_label(report):
    """What the changed count means for this report: done, or only planned."""
    if report.get("mode") == AUDIT or report.get("check_mode"):
        return "Would change"
    if report.get("mode") == ROLLBACK:
        return "Rolled back"
    return "Changed"


def none_changed_label(report):
    return "changed" if changes_label(report) in ("Changed", "Rolled back") else "would change"


def low_label(report):
    """The headline count beside the changes: low timeouts, or for a rollback what it restored."""
    if report.get("mode") == ROLLBACK:
        return ("Would restore" if report.get("check_mode") else "Restored"), report["summary"]["restored"]
    return "Low (effective timeout \u2264 %d s)" % report["threshold"], report["summary"]["low"]


def totals_columns(run_report):
    """(with_low, with_restored) for a run's totals: a rollback has no low count, and restores what it changes."""
    rollbacks = [org["mode"] == ROLLBACK for org in run_report["orgs"]]
    every_rollback = bool(rollbacks) and all(rollbacks)
    return not every_rollback, any(rollbacks) and not every_rollback


def mode_label(report):
    mode = text(report.get("mode")) or "-"
    if report.get("mode") == AUDIT:
        return mode
    return "%s (check mode)" % mode if report.get("check_mode") else mode


FLOWS_SHOWN = 30  # flows named at a glance; the rest are counted


def flows_touched_label(report):
    """At a glance: "This change affects 3 flows: Main IVR (INBOUNDCALLFLOW v12.0), ...", or None when no flows
    were read (``dependencies: none``)."""
    touched = report["summary"].get("flows_touched")
    if touched is None:
        return None
    count = touched["count"]
    line = "This change affects %d published flow%s" % (count, "" if count == 1 else "s")
    if count:
        names = [flow_label(flow) for flow in touched["flows"][:FLOWS_SHOWN]]
        line += ": " + ", ".join(names) + (", and %d more" % (count - FLOWS_SHOWN) if count > FLOWS_SHOWN else "")
    if touched["unknown_actions"]:
        line += "; the flows of %d changed action%s are unknown (see the warnings)" % (
            touched["unknown_actions"], "" if touched["unknown_actions"] == 1 else "s")
    return line + "."


def flow_rows(report):
    """(row, what calls it) for each action the run planned to change whose flows were asked about."""
    return [(row, flows_phrase(row)) for row in report["rows"] if row["status"] in PLANNED_STATUSES
            and (row.get("flows") is not None or row.get("flows_unknown"))]


def changing_rows(report):
    """Rows whose timeout changed or would change, in report order."""
    return [row for row in report["rows"] if row_changes(row)]


def verify_failed_after(row):
    after = (row.get("verify") or {}).get("after")
    return bool(after) and not after["success"]


def attention_rows(report):
    """Rows a person must look at: failures, drift, selected actions left out, failed tests after a change, changes
    a pending draft would undo, and function actions set above their function's own timeout."""
    return [row for row in report["rows"] if row["status"] in ATTENTION_STATUSES or verify_failed_after(row)
            or draft_undoes(row) or above_function(row)]


def attention_detail(row):
    parts = [row["msg"]] if row["msg"] and row["status"] in ATTENTION_STATUSES else []
    if verify_failed_after(row):
        parts.append("test after the change %s" % verify_text(row["verify"]["after"]))
    if draft_undoes(row):
        parts.append("its pending draft (version %s) holds %s: publishing it undoes the change" % (
            format_version(row["draft"]["version_before"]), format_timeout(row["draft"]["timeout_seconds_before"])))
    if above_function(row):
        parts.append("its function stops at its own %d s, before the action's %d s" % (
            row["function_timeout_seconds_after"], row["effective_timeout_seconds_after"]))
    return "; ".join(parts)


DRAFT_STATUS_LABELS = {"kept": "left as it is", UPDATED: "updated", WOULD_UPDATE: "would update",
                       UNCHANGED: "already as wanted", FAILED: "failed"}


def draft_rows(report):
    """Rows whose action has a pending draft, in report order."""
    return [row for row in report["rows"] if row.get("draft")]


def draft_status_label(draft):
    return DRAFT_STATUS_LABELS.get(draft["status"], text(draft["status"]))


def draft_publishing(row):
    """What publishing the pending draft would do to the action's timeout, in words."""
    draft = row["draft"]
    if not draft["holds_other_timeout"]:
        return "keeps %s" % format_timeout(draft["timeout_seconds_after"])
    return "sets %s (the action has %s)" % (format_timeout(draft["timeout_seconds_after"]),
                                            format_timeout(row["timeout_seconds_after"]))


def with_functions(report):
    """Whether any row is a function action whose function's timeout was read."""
    return any(row.get("function_timeout_seconds_before") is not None for row in report["rows"])


def format_function_change(row):
    """A function action's own timeout before -> after, or "-" for other actions."""
    before, after = row.get("function_timeout_seconds_before"), row.get("function_timeout_seconds_after")
    if before is None:
        return "-"
    return "%d s" % before if after == before else "%d s -> %s" % (before, "-" if after is None else "%d s" % after)


def _pressure(row):
    """How much of its effective timeout an action's p99 uses."""
    p99 = (row.get("stats") or {}).get("p99_ms")
    return 0.0 if p99 is None else p99 / (1000.0 * row["effective_timeout_seconds_before"])


_RISK_RANK = dict((verdict, rank) for rank, verdict in enumerate(VERDICTS_BY_RISK))


def risk_key(row):
    """Riskiest first: by verdict, then within it by how close the action runs to its timeout."""
    verdict = row.get("verdict")
    stats = row.get("stats") or {}
    executions = stats.get("executions") or 0
    pressure = _pressure(row)
    if verdict == TIMING_OUT:
        first = (stats.get("reached_timeout") or 0) / float(executions or 1)
    elif verdict == OVERSIZED:
        # The most oversized first: the longest a stuck backend could hold the concurrency, for the least need.
        first = row["effective_timeout_seconds_before"] / float(row.get("recommended_timeout_seconds") or 1)
    elif verdict == NO_DATA:
        first = float(executions)
    else:
        first = pressure
    return (_RISK_RANK.get(verdict, len(VERDICTS_BY_RISK)), -first, -pressure, row["name"].casefold(), row["id"])


def observed_rows(report):
    """Custom actions with a verdict, riskiest first."""
    rows = [row for row in report["rows"] if row["kind"] == KIND_CUSTOM and row.get("verdict")]
    return sorted(rows, key=risk_key)


def without_verdict(report):
    """Custom actions the stats gave no verdict (analytics refused, or the action is newer than the query)."""
    return len([row for row in report["rows"] if row["kind"] == KIND_CUSTOM and not row.get("verdict")])


def verify_rows(report):
    return [row for row in report["rows"] if row.get("verify")]


def verify_outcome(outcome):
    """passed, timed out, failed, or not tested."""
    if not outcome:
        return "not tested"
    if outcome["success"]:
        return "passed"
    return "timed out" if outcome["timed_out"] else "failed"


def verify_text(outcome):
    """An outcome with its duration: "passed in 412 ms", "timed out after 3 s"."""
    word = verify_outcome(outcome)
    if not outcome or outcome.get("duration_ms") is None:
        return word
    return "%s %s %s" % (word, "in" if outcome["success"] else "after", format_ms(outcome["duration_ms"]))


def org_error(report):
    """The failure the role recorded for an org (optional key error), as one line of text, or ''."""
    error = report.get("error")
    if not error:
        return ""
    if isinstance(error, Mapping):
        error = error.get("msg") or error
    return " ".join(str(error).split())


VERDICT_MEANINGS = {
    TIMING_OUT: "executions ran to the timeout and were cut off there",
    AT_RISK: "none cut off yet, but the p99 uses more than the at-risk share of the timeout",
    OVERSIZED: "the timeout is far above what the observed times call for; a stuck backend holds the concurrency",
    VERDICT_OK: "the timeout fits the observed times",
    NO_DATA: "too few executions to size the timeout",
}


# ---- the console ------------------------------------------------------------------------------
def _count(mapping, key):
    return int((mapping or {}).get(key) or 0)


def summary_lines(report, page=None):
    """Two lines for an org report: what the run found, and what it changed (or would); a third when it failed."""
    org = report.get("org") or "(org)"
    summary = report.get("summary") or {}
    by_status = summary.get("by_status") or {}
    found = ["%d actions" % _count(summary, "actions")]
    if report.get("mode") != "rollback":
        low = summary.get("low", summary.get("at_risk"))
        if low is not None and report.get("threshold") is not None:
            found.append("%d at or below %s s" % (int(low), report["threshold"]))
    by_verdict = summary.get("by_verdict") or {}
    if any(by_verdict.values()):
        found.append("observed: " + ", ".join("%d %s" % (count, verdict.replace("_", " "))
                                              for verdict, count in by_verdict.items() if count))
    dry = report.get("mode") == "audit" or report.get("check_mode")
    done = "%d %s" % (_count(by_status, "would_update") if dry else _count(by_status, "updated"),
                      "would change" if dry else ("restored" if report.get("mode") == "rollback" else "changed"))
    outcome = [done]
    for status in ("drifted", "failed", "unknown", "not_attempted", "not_selected"):
        if _count(by_status, status):
            outcome.append("%d %s" % (_count(by_status, status), STATUS_LABELS.get(status, status.replace("_", " "))))
    if _count(summary, "pending_drafts"):
        outcome.append("%d pending draft%s (%d holding another timeout)" % (
            _count(summary, "pending_drafts"), "" if _count(summary, "pending_drafts") == 1 else "s",
            _count(summary, "drafts_other_timeout")))
    lines = ["%s: %s" % (org, "; ".join(found)), "%s: %s%s" % (org, ", ".join(outcome), " -> %s" % page if page else "")]
    if report.get("error") and not report.get("rows"):
        # Failed before it read the org (its login, its listing): no count to give, only why.
        lines = ["%s: the report -> %s" % (org, page)] if page else []
    if report.get("error"):
        lines.append("%s: the run failed: %s" % (org, " ".join(str(report["error"]).split())))
    return lines

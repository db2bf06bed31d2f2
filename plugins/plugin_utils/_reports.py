# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesyscloud.cx contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# FOR INTERNAL COLLECTION USE ONLY
# The interfaces in this file are meant for use within the genesyscloud.cx collection and may change in
# any release. The filters in plugins/filter/ are the public interface; the report schema is documented
# in roles/data_action_timeouts/REPORTS.md.

"""Build, validate and summarize the data-action timeout reports (schema version 2; version 1 is still read).

The module data_action_timeout decides every action's status (with ``list_all``); a report takes those
statuses as they are. Input without statuses (data_action_info's ``data_actions``) is classified by the
module's own rule (module_utils/selection.py), never by a rule restated here.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import copy
import datetime

from collections.abc import Mapping
from urllib.parse import urlsplit, urlunsplit

from ansible.errors import AnsibleFilterError
from ansible.module_utils.parsing.convert_bool import boolean

from ansible_collections.genesyscloud.cx.plugins.module_utils.data_actions import (
    DRAFT_KEPT,
    DRIFTED,
    FAILED,
    KIND_CUSTOM,
    MAX_FUNCTION_TIMEOUT,
    MAX_TIMEOUT,
    MIN_FUNCTION_TIMEOUT,
    MIN_TIMEOUT,
    MODE_AT_LEAST,
    MODE_EXACT,
    NOT_ATTEMPTED,
    UNCHANGED,
    UPDATED,
    WOULD_UPDATE,
    action_kind,
    decide,
    effective_timeout,
)
from ansible_collections.genesyscloud.cx.plugins.module_utils.errors import InvalidInputError
from ansible_collections.genesyscloud.cx.plugins.module_utils.execution_stats import (
    AT_RISK,
    NO_DATA,
    OVERSIZED,
    SOURCE_LADDER,
    SOURCE_SERVER,
    TIMING_OUT,
    VERDICTS,
    StatsOptions,
)
from ansible_collections.genesyscloud.cx.plugins.module_utils.execution_stats import OK as VERDICT_OK
from ansible_collections.genesyscloud.cx.plugins.module_utils.selection import (
    NOT_APPLICABLE,
    NOT_REQUESTED,
    NOT_SELECTED,
    OK,
    RECOMMENDED,
    SELECTED,
    Selection,
    target_timeout,
)

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
STATUSES = (UPDATED, WOULD_UPDATE, DRIFTED, FAILED, NOT_ATTEMPTED, UNCHANGED, NOT_SELECTED, NOT_REQUESTED, OK,
            NOT_APPLICABLE)
# Riskiest first: the order of the observed-times chart and table (a verdict added later goes last).
_RISK_ORDER = (TIMING_OUT, AT_RISK, OVERSIZED, VERDICT_OK, NO_DATA)
VERDICTS_BY_RISK = tuple(v for v in _RISK_ORDER if v in VERDICTS) + tuple(v for v in VERDICTS if v not in _RISK_ORDER)

STATS_KEYS = ("executions", "mean_ms", "p95_ms", "p99_ms", "max_ms", "reached_timeout")
# Kept when the module gave them (since the errorType split): counts, then the others.
STATS_COUNT_KEYS = ("successes", "failures", "sized_executions")
P99_SOURCES = (SOURCE_SERVER, SOURCE_LADDER)
STATS_OPTION_KEYS = ("days", "headroom", "min_executions", "at_risk_share")
VERIFY_KEYS = ("success", "timed_out", "duration_ms", "error")
VERIFY_COUNT_KEYS = ("tested", "tested_before", "passed_before", "timed_out_before",
                     "tested_after", "passed_after", "timed_out_after")
# The longest test error text a report keeps: enough for "HTTP 504: The action timed out after 3000 ms".
MAX_ERROR_TEXT = 200

# Inclusive bounds of the timeout buckets. "unset" runs at 60 s, so it comes last, after "31-60".
BUCKETS = (
    ("1-3", 1, 3),
    ("4-5", 4, 5),
    ("6-10", 6, 10),
    ("11-20", 11, 20),
    ("21-30", 21, 30),
    ("31-60", 31, 60),
    ("unset", None, None),
)

# The keys every row has had since schema 1; schema 2 adds ROW_OBSERVED_KEYS and "verify".
ROW_KEYS = ("id", "name", "category", "integration_id", "kind", "secure",
            "timeout_seconds_before", "timeout_seconds_after",
            "version_before", "version_after", "status", "msg")
ROW_OBSERVED_KEYS = ("stats", "verdict", "recommended_timeout_seconds", "recommendation")
# Added within schema 2 (collection 0.2.0, issue 9): a function action's own timeout, and the pending draft.
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


# ---------------------------------------------------------------- input coercion

def int_or_none(value, what):
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise AnsibleFilterError("%s must be an integer, got a boolean" % what)
    try:
        return int(value)
    except (TypeError, ValueError):
        raise AnsibleFilterError("%s must be an integer or null, got %r" % (what, value))


def seconds_or_none(value, what):
    """A timeout as configured: 1 to 60 seconds, or None for unset."""
    seconds = int_or_none(value, what)
    if seconds is not None and not MIN_TIMEOUT <= seconds <= MAX_TIMEOUT:
        raise AnsibleFilterError("%s must be a number of seconds from %d to %d or null, got %r"
                                 % (what, MIN_TIMEOUT, MAX_TIMEOUT, value))
    return seconds


def _seconds_option(value, what):
    seconds = int_or_none(value, what)
    if seconds is None or not MIN_TIMEOUT <= seconds <= MAX_TIMEOUT:
        raise AnsibleFilterError("%s must be a number of seconds from %d to %d, got %r"
                                 % (what, MIN_TIMEOUT, MAX_TIMEOUT, value))
    return seconds


def _target_option(value):
    if text(value) == RECOMMENDED:
        return RECOMMENDED
    if isinstance(value, str) and not value.strip().isdigit():
        raise AnsibleFilterError("target must be a number of seconds from %d to %d or %r, got %r"
                                 % (MIN_TIMEOUT, MAX_TIMEOUT, RECOMMENDED, value))
    return _seconds_option(value, "target")


def bool_option(value, what):
    try:
        return boolean(value, strict=True)
    except TypeError:
        raise AnsibleFilterError("%s must be a boolean, got %r" % (what, value))


def text(value):
    return "" if value is None else str(value)


def _text_or_none(value):
    return None if value is None else str(value)


def is_list(value):
    return isinstance(value, (list, tuple)) or (
        hasattr(value, "__iter__") and not isinstance(value, (str, Mapping, bytes)))


def _list_option(value, what, expects):
    if value is None:
        return []
    if not is_list(value):
        raise AnsibleFilterError("%s must be %s, got %s" % (what, expects, type(value).__name__))
    return list(value)


def _safe_api_base_url(url):
    """Drop any user:password@ part and query string: a report must never carry a credential."""
    if url is None or url == "":
        return None
    try:
        parts = urlsplit(str(url))
        host = parts.hostname or ""
        if parts.port:
            host = "%s:%d" % (host, parts.port)
    except ValueError:
        # Not a URL (an org whose settings were refused): the report of its failure must still be written.
        return None
    return urlunsplit((parts.scheme, host, parts.path, "", ""))


def utc_now_iso():
    now = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
    return now.strftime("%Y-%m-%dT%H:%M:%SZ")


def _run_id_from(generated_at):
    return generated_at.replace("-", "").replace(":", "")


def _stats_options(value, use_stats):
    """The stats options as {days, headroom, min_executions, at_risk_share}, checked by the module's own rules."""
    if not use_stats or value is None:
        return None
    if not isinstance(value, Mapping):
        raise AnsibleFilterError("stats_options must be a dict with %s, got %s"
                                 % (", ".join(STATS_OPTION_KEYS), type(value).__name__))
    unknown = sorted(set(value) - set(STATS_OPTION_KEYS))
    if unknown:
        raise AnsibleFilterError("stats_options has unknown key(s) %s; known: %s"
                                 % (", ".join(unknown), ", ".join(STATS_OPTION_KEYS)))
    try:
        options = StatsOptions.from_params({"stats_days": value.get("days"), "headroom": value.get("headroom"),
                                            "min_executions": value.get("min_executions"),
                                            "at_risk_share": value.get("at_risk_share")})
    except InvalidInputError as exc:
        raise AnsibleFilterError("stats_options: %s" % exc)
    return dict(zip(STATS_OPTION_KEYS, options))


def bucket_of(timeout_seconds):
    """Name of the distribution bucket a configured timeout falls into."""
    if timeout_seconds is None:
        return "unset"
    for name, low, high in BUCKETS[:-1]:
        if low <= timeout_seconds <= high:
            return name
    # Values outside 1..60 should not exist; keep them visible in the nearest bucket.
    return BUCKETS[0][0] if timeout_seconds < 1 else BUCKETS[-2][0]


# ---------------------------------------------------------------- rows

def _observed(item, what):
    """stats, verdict, recommended_timeout_seconds and recommendation of an input item (None when absent)."""
    stats = item.get("stats")
    if stats is not None:
        if not isinstance(stats, Mapping):
            raise AnsibleFilterError("%s.stats must be a dict or null, got %s" % (what, type(stats).__name__))
        given = stats
        stats = dict((key, int_or_none(given.get(key), "%s.stats.%s" % (what, key))) for key in STATS_KEYS)
        stats.update(_failure_stats(given, what))
    verdict = item.get("verdict")
    if verdict is not None and verdict not in VERDICTS:
        raise AnsibleFilterError("%s.verdict must be one of %s or null, got %r" % (what, ", ".join(VERDICTS), verdict))
    return {
        "stats": stats,
        "verdict": verdict,
        "recommended_timeout_seconds": seconds_or_none(item.get("recommended_timeout_seconds"),
                                                       "%s.recommended_timeout_seconds" % what),
        "recommendation": _text_or_none(item.get("recommendation")),
    }


def _failure_stats(stats, what):
    """The stats keys of the errorType split the input has: successes, failures, sized_executions, failure_share,
    failures_by_error_type, p99_source."""
    kept = dict((key, int_or_none(stats[key], "%s.stats.%s" % (what, key))) for key in STATS_COUNT_KEYS if key in stats)
    if "failure_share" in stats:
        share = stats["failure_share"]
        if share is not None and (isinstance(share, bool) or not isinstance(share, (int, float)) or not 0 <= share <= 1):
            raise AnsibleFilterError("%s.stats.failure_share must be a number from 0 to 1 or null, got %r" % (what, share))
        kept["failure_share"] = share
    if "failures_by_error_type" in stats:
        by_type = stats["failures_by_error_type"] or {}
        if not isinstance(by_type, Mapping):
            raise AnsibleFilterError("%s.stats.failures_by_error_type must be a dict, got %s" % (
                what, type(by_type).__name__))
        kept["failures_by_error_type"] = dict((str(error_type), int_or_none(count, "%s.stats.failures_by_error_type" % what))
                                              for error_type, count in by_type.items())
    if "p99_source" in stats:
        source = stats["p99_source"]
        if source not in P99_SOURCES + (None,):
            raise AnsibleFilterError("%s.stats.p99_source must be one of %s or null, got %r" % (
                what, ", ".join(P99_SOURCES), source))
        kept["p99_source"] = source
    return kept


def function_seconds_or_none(value, what):
    seconds = int_or_none(value, what)
    if seconds is not None and not MIN_FUNCTION_TIMEOUT <= seconds <= MAX_FUNCTION_TIMEOUT:
        raise AnsibleFilterError("%s must be a number of seconds from %d to %d or null, got %r"
                                 % (what, MIN_FUNCTION_TIMEOUT, MAX_FUNCTION_TIMEOUT, value))
    return seconds


def _draft(item, row, what):
    """The pending draft of an input item, as a row keeps it: a data_action_timeout result's ``draft``, or
    data_action_info's ``{version, timeout_seconds}`` (a draft the run left as it is). None without one."""
    draft = item.get("draft")
    if draft is None:
        return None
    if not isinstance(draft, Mapping):
        raise AnsibleFilterError("%s.draft must be a dict or null, got %s" % (what, type(draft).__name__))
    if "status" not in draft:  # data_action_info's shape
        timeout = seconds_or_none(draft.get("timeout_seconds"), "%s.draft.timeout_seconds" % what)
        version = int_or_none(draft.get("version"), "%s.draft.version" % what)
        return {"status": DRAFT_KEPT, "version_before": version, "version_after": version,
                "timeout_seconds_before": timeout, "timeout_seconds_after": timeout,
                "holds_other_timeout": timeout != row["timeout_seconds_after"]}
    status = text(draft.get("status"))
    if status not in DRAFT_STATUSES:
        raise AnsibleFilterError("%s.draft.status must be one of %s, got %r" % (what, ", ".join(DRAFT_STATUSES), status))
    after = seconds_or_none(draft.get("timeout_seconds_after"), "%s.draft.timeout_seconds_after" % what)
    return {"status": status,
            "version_before": int_or_none(draft.get("version_before"), "%s.draft.version_before" % what),
            "version_after": int_or_none(draft.get("version_after"), "%s.draft.version_after" % what),
            "timeout_seconds_before": seconds_or_none(draft.get("timeout_seconds_before"),
                                                      "%s.draft.timeout_seconds_before" % what),
            "timeout_seconds_after": after,
            "holds_other_timeout": bool(draft.get("holds_other_timeout", after != row["timeout_seconds_after"]))}


def _edges(item, row, what):
    """A function action's own timeout before and after, and the pending draft, from an input item."""
    before = function_seconds_or_none(item.get("function_timeout_seconds_before", item.get("function_timeout_seconds")),
                                      "%s.function_timeout_seconds_before" % what)
    after = (function_seconds_or_none(item["function_timeout_seconds_after"], "%s.function_timeout_seconds_after" % what)
             if "function_timeout_seconds_after" in item else before)
    return {"function_timeout_seconds_before": before, "function_timeout_seconds_after": after,
            "draft": _draft(item, row, what)}


def _has_edges(item):
    return any(key in item for key in ROW_EDGE_KEYS + ("function_timeout_seconds",))


def _has_observed(item):
    return any(key in item for key in ROW_OBSERVED_KEYS)


def _new_row(item, what):
    """A row from one input item: a data_action_timeout result (it has a status) or a data_action_info action."""
    if not isinstance(item, Mapping):
        raise AnsibleFilterError("%s must be a dict, got %s" % (what, type(item).__name__))
    if not item.get("id"):
        raise AnsibleFilterError("%s has no id" % what)
    action_id = str(item["id"])
    row = {
        "id": action_id,
        "name": text(item.get("name")),
        "category": text(item.get("category")),
        "integration_id": _text_or_none(item.get("integration_id")),
        "kind": text(item.get("kind")) or action_kind(action_id),
        "secure": bool(item.get("secure")),
        "status": None,
        "msg": "",
    }
    if item.get("status") is None:
        timeout = seconds_or_none(item.get("timeout_seconds"), "%s.timeout_seconds" % what)
        version = int_or_none(item.get("version"), "%s.version" % what)
        row.update(timeout_seconds_before=timeout, timeout_seconds_after=timeout,
                   version_before=version, version_after=version)
    else:
        _take_result(row, item, what)
    _set_effective(row)
    row.update(_observed(item, what))
    row.update(_edges(item, row, what))
    row["verify"] = None
    return row


def _take_result(row, result, what):
    """Put the module's decision for an action on its row: its status as is, its before and after."""
    status = text(result.get("status"))
    if status not in STATUSES:
        raise AnsibleFilterError("%s (action %s) has status %r; data_action_timeout reports one of %s"
                                 % (what, row["id"], result.get("status"), ", ".join(STATUSES)))
    row["status"] = status
    row["msg"] = text(result.get("msg"))
    for key in ("name", "category"):
        if result.get(key):
            row[key] = str(result[key])
    # A key the result lacks keeps what the listing said (before) or what the action had before (after).
    if "timeout_seconds_before" in result or "timeout_seconds_before" not in row:
        row["timeout_seconds_before"] = seconds_or_none(result.get("timeout_seconds_before"),
                                                        "%s.timeout_seconds_before" % what)
    if "version_before" in result or "version_before" not in row:
        row["version_before"] = int_or_none(result.get("version_before"), "%s.version_before" % what)
    row["timeout_seconds_after"] = (seconds_or_none(result["timeout_seconds_after"], "%s.timeout_seconds_after" % what)
                                    if "timeout_seconds_after" in result else row["timeout_seconds_before"])
    row["version_after"] = (int_or_none(result["version_after"], "%s.version_after" % what)
                            if "version_after" in result else row["version_before"])


def _set_effective(row):
    row["effective_timeout_seconds_before"] = effective_timeout(row["timeout_seconds_before"])
    row["effective_timeout_seconds_after"] = effective_timeout(row["timeout_seconds_after"])


def _merge_result(row, result, what):
    """The module read the action just before acting: its view wins over an earlier listing."""
    _take_result(row, result, what)
    _set_effective(row)
    if _has_observed(result):
        row.update(_observed(result, what))
    if _has_edges(result):
        row.update(_edges(result, row, what))


def _classify_by_rule(row, mode, threshold, target):
    """A status for an action given without one (data_action_info's listing), from the module's own rule.

    The rule is the role's: actions whose effective timeout is at most ``threshold``, raised to ``target``
    (only raised, except in right_size). An audit plans the change (``would_update``); any other run did not
    act on the action, so a low one is ``not_selected``.
    """
    summary = {"kind": row["kind"], "name": row["name"], "category": row["category"],
               "timeout_seconds": row["timeout_seconds_before"],
               "effective_timeout_seconds": row["effective_timeout_seconds_before"],
               "verdict": row["verdict"], "recommended_timeout_seconds": row["recommended_timeout_seconds"]}
    status, why = Selection.from_params({"timeout_at_most": threshold}).decide(summary)
    if status != SELECTED:
        row["status"], row["msg"] = status, why
        return
    desired = target_timeout(summary, target)
    if desired is None:
        row["status"] = OK
        row["msg"] = "%s, but there is no recommendation to set it to" % why
        return
    action = {"version": row["version_before"],
              "config": {} if row["timeout_seconds_before"] is None else {"timeoutSeconds": row["timeout_seconds_before"]}}
    decision, msg = decide(action, desired, MODE_EXACT if mode == RIGHT_SIZE else MODE_AT_LEAST)
    if decision == UNCHANGED:
        row["status"], row["msg"] = OK, "%s; %s" % (why, msg)
    elif mode == AUDIT:
        row["status"] = WOULD_UPDATE
        row["timeout_seconds_after"] = desired
        # The action has not been changed yet, so there is no version after.
        row["version_after"] = None
        _set_effective(row)
        row["msg"] = "%s; remediation would set %d s" % (why, desired)
    else:
        row["status"] = NOT_SELECTED
        row["msg"] = "%s but was not part of this run" % why


def _error_text(error):
    """A test's error in one short line: the error body's message, never its details."""
    if error is None or error == "":
        return None
    if isinstance(error, Mapping):
        words = error.get("message") or error.get("code") or (
            "HTTP %s" % error["status"] if error.get("status") else "")
        if error.get("status") and error.get("message"):
            words = "HTTP %s: %s" % (error["status"], error["message"])
    else:
        words = error
    words = " ".join(text(words).split())
    if len(words) > MAX_ERROR_TEXT:
        words = words[:MAX_ERROR_TEXT - 1].rstrip() + "\u2026"
    return words or None


def _tested_action(test, by_name):
    """The id of the action a test result is about: its own id, or its loop item's id or (unique) name."""
    item = test.get("item") if isinstance(test.get("item"), Mapping) else {}
    action_id = test.get("id") or item.get("id")
    if action_id:
        return str(action_id)
    name = test.get("name") or item.get("name")
    return by_name.get(text(name)) if name else None


def _verify_outcomes(tests, what, rows, warnings):
    """{action id: outcome} from data_action_test results (a loop's results too).

    A test that did not run (check mode, or a loop item skipped by its condition) is left out; one whose
    module failed before it got an answer (not found, no permission) is a failure with the module's message.
    """
    by_name = {}
    for row in rows.values():
        by_name[row["name"]] = None if row["name"] in by_name else row["id"]
    outcomes = {}
    for index, test in enumerate(_list_option(tests, what, "a list of data_action_test results")):
        where = "%s[%d]" % (what, index)
        if not isinstance(test, Mapping):
            raise AnsibleFilterError("%s must be a data_action_test result (a dict), got %s" % (where, type(test).__name__))
        if test.get("skipped"):
            continue
        action_id = _tested_action(test, by_name)
        if action_id is None:
            if test.get("failed"):
                warnings.append("%s: a test that names no action this report lists failed: %s"
                                % (where, _error_text(test.get("msg")) or "no message"))
                continue
            raise AnsibleFilterError("%s must be a data_action_test result (a dict with an id)" % where)
        if test.get("success") is None:
            if not test.get("failed"):
                continue
            # The module failed before the test answered: the test did not pass, and its message says why.
            error = _error_text(test.get("msg")) or "the test did not run"
        else:
            error = None if test["success"] else _error_text(test.get("error"))
        outcomes[action_id] = {
            "success": bool(test.get("success")),
            "timed_out": bool(test.get("timed_out")),
            "duration_ms": int_or_none(test.get("duration_ms"), "%s.duration_ms" % where),
            # Only the message: a test's output and operations can hold customer data.
            "error": error,
        }
    return outcomes


def _add_verify(rows, verify_before, verify_after, warnings):
    before = _verify_outcomes(verify_before, "verify_before", rows, warnings)
    after = _verify_outcomes(verify_after, "verify_after", rows, warnings)
    for action_id in sorted(set(before) | set(after)):
        row = rows.get(action_id)
        if row is None:
            warnings.append("a test result for action %s, which this report does not list, was left out" % action_id)
            continue
        row["verify"] = {"before": before.get(action_id), "after": after.get(action_id)}


def _sort_key(row):
    return (row["name"].casefold(), row["name"], row["id"])


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
    }


# ---------------------------------------------------------------- org report

RATE_LIMIT_KEYS = ("requests_per_minute", "learned_requests_per_minute", "rate_limited", "waited_seconds",
                   "paced_seconds", "held_seconds")


def rate_limit_of(value):
    """A module's ``rate_limit`` as a report keeps it (only its known keys), or None when the run gave none."""
    if not isinstance(value, Mapping):
        return None
    kept = {}
    for key in RATE_LIMIT_KEYS:
        item = value.get(key)
        if key.endswith("_seconds"):
            kept[key] = round(float(item), 3) if isinstance(item, (int, float)) and not isinstance(item, bool) else 0.0
        else:
            kept[key] = int_or_none(item, "rate_limit.%s" % key)
    kept["rate_limited"] = kept["rate_limited"] or 0
    return kept


def timeout_report(actions, results=None, org=None, mode=AUDIT, threshold=3, target=10, check_mode=False,
                   run_id=None, api_base_url=None, generated_at=None, use_stats=None, stats_options=None,
                   verify_before=None, verify_after=None, warnings=None):
    """One org's report: a row per action, with the module's status (or the rule's, for a bare listing)."""
    actions = _list_option(actions, "timeout_report's input",
                           "the results list of data_action_timeout (or the data_actions list of data_action_info)")
    results = _list_option(results, "results", "the results list of data_action_timeout")
    mode = text(mode)
    if mode not in MODES:
        raise AnsibleFilterError("mode must be one of %s, got %r" % (", ".join(MODES), mode))
    threshold = _seconds_option(threshold, "threshold")
    target = _target_option(target)
    check_mode = bool_option(check_mode, "check_mode")
    generated_at = text(generated_at) or utc_now_iso()
    if use_stats is None:
        # Users' own playbooks: stats were used when the module returned verdicts.
        use_stats = any(isinstance(item, Mapping) and _has_observed(item) for item in actions + results)
    use_stats = bool_option(use_stats, "use_stats")
    report_warnings = [" ".join(text(w).split()) for w in _list_option(warnings, "warnings", "a list of strings")]

    rows = {}
    for index, item in enumerate(actions):
        row = _new_row(item, "item %d of the input" % index)
        rows[row["id"]] = row
    for index, result in enumerate(results):
        what = "results[%d]" % index
        if not isinstance(result, Mapping) or not result.get("id") or result.get("status") is None:
            raise AnsibleFilterError("%s must be a data_action_timeout result (a dict with an id and a status)" % what)
        row = rows.get(str(result["id"]))
        if row is None:
            # The module touched an action the listing did not show (e.g. selected by id): keep it.
            rows[str(result["id"])] = _new_row(result, what)
        else:
            _merge_result(row, result, what)
    for row in rows.values():
        if row["status"] is None:
            _classify_by_rule(row, mode, threshold, target)
        elif row["status"] == WOULD_UPDATE and mode in WRITING_MODES and not check_mode:
            _untried_in_a_run_that_wrote(row)
    verify_used = verify_before is not None or verify_after is not None
    _add_verify(rows, verify_before, verify_after, report_warnings)

    ordered = sorted(rows.values(), key=_sort_key)
    return {
        "schema_version": SCHEMA_VERSION,
        "report_type": ORG,
        "run_id": text(run_id) or _run_id_from(generated_at),
        "org": text(org),
        "api_base_url": _safe_api_base_url(api_base_url),
        "mode": mode,
        "check_mode": check_mode,
        "threshold": threshold,
        "target": target,
        "use_stats": use_stats,
        "stats_options": _stats_options(stats_options, use_stats),
        "warnings": report_warnings,
        "generated_at": generated_at,
        # What the run met of the rate limit: set from the module's result by the role (timeout_org_run).
        "rate_limit": None,
        "summary": summarize(ordered, mode, threshold, use_stats, verify_used),
        "rows": ordered,
    }


# ---------------------------------------------------------------- reading reports back

def _missing(mapping, keys):
    return [key for key in keys if key not in mapping]


def _check_schema_version(report, what):
    if report.get("schema_version") not in READABLE_SCHEMA_VERSIONS:
        raise AnsibleFilterError("%s has schema_version %r; this collection reads schema_version %s"
                                 % (what, report.get("schema_version"),
                                    " or ".join("%d" % v for v in READABLE_SCHEMA_VERSIONS)))


def _upgrade_row(row):
    """A row as schema 2 has it: effective timeouts, the observed fields, verify; at_risk read as would_update."""
    row = dict(row)
    if row["status"] == V1_AT_RISK:
        row["status"] = WOULD_UPDATE
    for when in ("before", "after"):
        key = "effective_timeout_seconds_" + when
        if row.get(key) is None:
            row[key] = effective_timeout(row.get("timeout_seconds_" + when))
    for key in ROW_OBSERVED_KEYS + ROW_EDGE_KEYS + ("verify",):
        row.setdefault(key, None)
    return row


def _untried_in_a_run_that_wrote(row):
    """A would_update row of a run that wrote (reports before not_attempted), as that run left it: not attempted,
    the action as it was. Such a run stopped, or refused to write, before sending that update."""
    row["status"] = NOT_ATTEMPTED
    for key in ("timeout_seconds", "effective_timeout_seconds", "version", "function_timeout_seconds"):
        if key + "_before" in row:
            row[key + "_after"] = row[key + "_before"]
    if row.get("draft") and row["draft"].get("status") == WOULD_UPDATE:
        row["draft"] = dict(row["draft"], status=DRAFT_KEPT, timeout_seconds_after=row["draft"]["timeout_seconds_before"],
                            version_after=row["draft"]["version_before"])
    return row


def _upgrade_summary(summary, mode, use_stats, verify_used, untried=0):
    summary = dict(summary) if isinstance(summary, Mapping) else {}
    by_status = dict((status, 0) for status in STATUSES)
    for status, count in (summary.get("by_status") or {}).items():
        status = WOULD_UPDATE if status == V1_AT_RISK else status
        by_status[status] = by_status.get(status, 0) + int(count or 0)
    if untried:
        # Those rows were counted as changed: they were not.
        by_status[WOULD_UPDATE] -= untried
        by_status[NOT_ATTEMPTED] += untried
        summary["changed"] = max(0, int(summary.get("changed") or 0) - untried)
        if mode == ROLLBACK:
            summary["restored"] = summary["changed"]
    summary["by_status"] = by_status
    # Schema 1 called the low count "at_risk".
    legacy_low = summary.pop("at_risk", 0)
    summary.setdefault("low", int(legacy_low or 0))
    summary.setdefault("changed", 0)
    summary.setdefault("restored", summary["changed"] if mode == ROLLBACK else 0)
    summary.setdefault("by_verdict", dict((v, 0) for v in VERDICTS_BY_RISK) if use_stats else None)
    summary.setdefault("verify", None)
    if verify_used and summary["verify"] is None:
        summary["verify"] = dict((key, 0) for key in VERIFY_COUNT_KEYS)
    summary.setdefault("distribution", [])
    summary.setdefault("actions", 0)
    for key in EDGE_COUNT_KEYS:
        summary.setdefault(key, 0)
    return summary


def read_org_report(report, what="report"):
    """The org report as schema 2 has it (a copy), or AnsibleFilterError naming what is wrong.

    Schema 1 reports (and their at_risk rows) are read: the missing keys get their schema 2 defaults.
    """
    if not isinstance(report, Mapping):
        raise AnsibleFilterError("%s must be a timeout report (a dict), got %s" % (what, type(report).__name__))
    _check_schema_version(report, what)
    missing = _missing(report, ORG_REPORT_KEYS)
    if missing:
        raise AnsibleFilterError("%s is missing key(s): %s" % (what, ", ".join(missing)))
    if report["report_type"] != ORG:
        raise AnsibleFilterError("%s has report_type %r where an org report was expected" % (what, report["report_type"]))
    if text(report["mode"]) not in MODES:
        raise AnsibleFilterError("%s has mode %r; one of %s was expected" % (what, report["mode"], ", ".join(MODES)))
    if not is_list(report["rows"]):
        raise AnsibleFilterError("%s.rows must be a list" % what)
    rows = []
    wrote = report["mode"] in WRITING_MODES and not report.get("check_mode")
    untried = 0
    for index, row in enumerate(report["rows"]):
        if not isinstance(row, Mapping):
            raise AnsibleFilterError("%s.rows[%d] must be a dict" % (what, index))
        missing = _missing(row, ROW_KEYS)
        if missing:
            raise AnsibleFilterError("%s.rows[%d] (action %s) is missing key(s): %s"
                                     % (what, index, row.get("id", "?"), ", ".join(missing)))
        if row["status"] not in STATUSES + (V1_AT_RISK,):
            raise AnsibleFilterError("%s.rows[%d] (action %s) has unknown status %r"
                                     % (what, index, row.get("id"), row["status"]))
        row = _upgrade_row(row)
        if wrote and row["status"] == WOULD_UPDATE:
            untried += 1
            row = _untried_in_a_run_that_wrote(row)
        rows.append(row)
    upgraded = dict(report)
    upgraded["rows"] = rows
    upgraded.setdefault("use_stats", any(row["verdict"] for row in rows))
    upgraded.setdefault("stats_options", None)
    upgraded["warnings"] = [text(w) for w in (report.get("warnings") or [])]
    upgraded.setdefault("api_base_url", None)
    upgraded["rate_limit"] = rate_limit_of(report.get("rate_limit"))
    upgraded["summary"] = _upgrade_summary(report["summary"], report["mode"], upgraded["use_stats"],
                                           any(row["verify"] for row in rows), untried)
    return upgraded


def read_run_report(report, what="report"):
    """The run report as schema 2 has it (a copy, every org read by read_org_report)."""
    if not isinstance(report, Mapping):
        raise AnsibleFilterError("%s must be a timeout run report (a dict), got %s" % (what, type(report).__name__))
    _check_schema_version(report, what)
    missing = _missing(report, RUN_REPORT_KEYS)
    if missing:
        raise AnsibleFilterError("%s is missing key(s): %s" % (what, ", ".join(missing)))
    if not is_list(report["orgs"]):
        raise AnsibleFilterError("%s.orgs must be a list" % what)
    orgs = [read_org_report(org_report, "%s.orgs[%d]" % (what, index))
            for index, org_report in enumerate(report["orgs"])]
    upgraded = dict(report)
    upgraded["orgs"] = orgs
    # The totals are a sum over the orgs: summing again also fills in what schema 1 lacked.
    upgraded["totals"] = run_totals(orgs)
    return upgraded


def read_any_report(report, what="report"):
    """(ORG or RUN, the report as schema 2 has it)."""
    if isinstance(report, Mapping) and report.get("report_type") == RUN:
        return RUN, read_run_report(report, what)
    return ORG, read_org_report(report, what)


# ---------------------------------------------------------------- run report

def _common(values, mixed):
    distinct = sorted(set(values), key=repr)
    if len(distinct) == 1:
        return distinct[0]
    return mixed


def _add_counts(total, counts):
    """Sum counts into total; None (not used by this org) adds nothing, and stays None if no org used it."""
    if counts is None:
        return total
    total = dict(total or {})
    for key, count in counts.items():
        total[key] = total.get(key, 0) + int(count or 0)
    return total


def run_totals(reports):
    by_status = dict((status, 0) for status in STATUSES)
    distribution = [{"bucket": name, "before": 0, "after": 0} for name, _low, _high in BUCKETS]
    totals = {"orgs": len(reports), "actions": 0, "low": 0, "changed": 0, "restored": 0,
              "orgs_with_failures": 0, "orgs_with_drift": 0, "orgs_with_errors": 0, "orgs_with_warnings": 0}
    totals.update((key, 0) for key in EDGE_COUNT_KEYS)
    by_verdict = verify = rate_limit = None
    for report in reports:
        if report.get("rate_limit"):
            rate_limit = rate_limit or {"rate_limited": 0, "waited_seconds": 0.0, "held_seconds": 0.0,
                                        "orgs_paced_lower": 0}
            for key in ("rate_limited", "waited_seconds", "held_seconds"):
                rate_limit[key] += report["rate_limit"].get(key) or 0
            rate_limit["orgs_paced_lower"] += 1 if report["rate_limit"].get("learned_requests_per_minute") else 0
        summary = report["summary"]
        for key in ("actions", "low", "changed", "restored") + EDGE_COUNT_KEYS:
            totals[key] += int(summary.get(key) or 0)
        by_status = _add_counts(by_status, summary.get("by_status"))
        by_verdict = _add_counts(by_verdict, summary.get("by_verdict"))
        verify = _add_counts(verify, summary.get("verify"))
        for entry in summary.get("distribution", []):
            for slot in distribution:
                if slot["bucket"] == entry.get("bucket"):
                    slot["before"] += int(entry.get("before", 0))
                    slot["after"] += int(entry.get("after", 0))
        if (summary.get("by_status") or {}).get(FAILED):
            totals["orgs_with_failures"] += 1
        if (summary.get("by_status") or {}).get(DRIFTED):
            totals["orgs_with_drift"] += 1
        if report.get("error"):
            totals["orgs_with_errors"] += 1
        if report.get("warnings"):
            totals["orgs_with_warnings"] += 1
    if rate_limit is not None:
        rate_limit["waited_seconds"] = round(rate_limit["waited_seconds"], 3)
        rate_limit["held_seconds"] = round(rate_limit["held_seconds"], 3)
    totals.update(by_status=by_status, by_verdict=by_verdict, distribution=distribution, verify=verify,
                  rate_limit=rate_limit)
    return totals


def timeout_run_report(org_reports, run_id=None, generated_at=None):
    """Combine the org reports of one run into one report with totals (sharing nothing with its input)."""
    return build_run_report(org_reports, run_id=run_id, generated_at=generated_at, detach=True)


def build_run_report(org_reports, run_id=None, generated_at=None, detach=True):
    """timeout_run_report; ``detach=False`` for org reports no one else holds (read from their files), which
    spares copying every row of a large org once more."""
    if isinstance(org_reports, Mapping):
        # hostvars-style mapping host -> report: the keys add nothing the reports do not hold.
        org_reports = [org_reports[key] for key in sorted(org_reports)]
    if not is_list(org_reports):
        raise AnsibleFilterError("timeout_run_report expects a list of org reports, got %s"
                                 % type(org_reports).__name__)
    # Hosts that failed before producing a report are left out rather than failing the summary.
    reports = [read_org_report(report, "org_reports[%d]" % index)
               for index, report in enumerate(org_reports) if report is not None]
    reports = sorted(reports, key=lambda report: (text(report["org"]).casefold(), text(report["org"])))
    generated_at = text(generated_at) or utc_now_iso()
    run_id = text(run_id) or _common([text(r["run_id"]) for r in reports], None) or _run_id_from(generated_at)
    return {
        "schema_version": SCHEMA_VERSION,
        "report_type": RUN,
        "run_id": run_id,
        "generated_at": generated_at,
        "mode": _common([r["mode"] for r in reports], "mixed") if reports else None,
        "check_mode": all(bool(r["check_mode"]) for r in reports) if reports else False,
        "orgs": [copy.deepcopy(report) for report in reports] if detach else reports,
        "totals": run_totals(reports),
    }

# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesyscloud.cx contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# FOR INTERNAL COLLECTION USE ONLY
# The interfaces in this file are meant for use within the genesyscloud.cx collection and may change in
# any release. The report schema is documented in roles/data_action_timeouts/REPORTS.md.

"""An org's report, built from a data_action_timeout run (or data_action_info's listing): one row per action.

The module data_action_timeout decides every action's status (with ``list_all``); a report takes those
statuses as they are. Input without statuses (data_action_info's ``data_actions``) is classified by the
module's own rule (module_utils/selection.py), never by a rule restated here.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from collections.abc import Mapping

from ansible.errors import AnsibleFilterError

from ansible_collections.genesyscloud.cx.plugins.module_utils._journal import NOT_ATTEMPTED
from ansible_collections.genesyscloud.cx.plugins.module_utils._timeout_plan import decide
from ansible_collections.genesyscloud.cx.plugins.module_utils.data_actions import (
    DRAFT_KEPT,
    MODE_AT_LEAST,
    MODE_EXACT,
    UNCHANGED,
    UNKNOWN,
    WOULD_UPDATE,
    action_kind,
    effective_timeout,
)
from ansible_collections.genesyscloud.cx.plugins.module_utils.execution_stats import VERDICTS
from ansible_collections.genesyscloud.cx.plugins.module_utils.selection import (
    NOT_SELECTED,
    OK,
    SELECTED,
    Selection,
    target_timeout,
)
from ansible_collections.genesyscloud.cx.plugins.plugin_utils._report_values import (
    _list_option,
    _run_id_from,
    _safe_api_base_url,
    _seconds_option,
    _stats_options,
    _target_option,
    _text_or_none,
    bool_option,
    function_seconds_or_none,
    int_or_none,
    seconds_or_none,
    text,
    utc_now_iso,
)
from ansible_collections.genesyscloud.cx.plugins.plugin_utils._reports import (
    AUDIT,
    DRAFT_STATUSES,
    MAX_ERROR_TEXT,
    MODES,
    ORG,
    P99_SOURCES,
    RIGHT_SIZE,
    FLOW_KEYS,
    ROW_EDGE_KEYS,
    ROW_FLOW_KEYS,
    ROW_OBSERVED_KEYS,
    SCHEMA_VERSION,
    STATS_COUNT_KEYS,
    STATS_KEYS,
    STATUSES,
    WRITING_MODES,
    summarize,
)


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
    row.update(_flows(item, what))
    row["verify"] = None
    return row


def _flows(item, what):
    """The flows that call the action (``flows``, ``flows_unknown``) as an input item has them; None for both when
    they were not asked about."""
    flows = item.get("flows")
    if flows is not None:
        if not isinstance(flows, list) or not all(isinstance(flow, Mapping) for flow in flows):
            raise AnsibleFilterError("%s.flows must be a list of dicts or null" % what)
        flows = [dict((key, _text_or_none(flow.get(key))) for key in FLOW_KEYS) for flow in flows]
    return {"flows": flows, "flows_unknown": None if flows is not None else _text_or_none(item.get("flows_unknown"))}


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
    if status == UNKNOWN and isinstance(result.get("unconfirmed_write"), Mapping):
        # What a rollback needs to undo that write only where it shows.
        sent = result["unconfirmed_write"]
        row["unconfirmed_write"] = {
            "timeout_seconds": seconds_or_none(sent.get("timeout_seconds"), "%s.unconfirmed_write.timeout_seconds" % what),
            "version": int_or_none(sent.get("version"), "%s.unconfirmed_write.version" % what)}


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
    if any(key in result for key in ROW_FLOW_KEYS):
        row.update(_flows(result, what))


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
        # What moved since the org's last run: set by the role's org task (timeout_org_run), which compares.
        "since_last_run": None,
        "summary": summarize(ordered, mode, threshold, use_stats, verify_used),
        "rows": ordered,
    }


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

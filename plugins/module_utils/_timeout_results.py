# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesyscloud.cx contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# FOR INTERNAL COLLECTION USE ONLY
# The interfaces in this file are meant for use within the genesyscloud.cx collection and may change in
# any release.

"""A run's results: one per action (with its function and pending draft), and what they add up to for the user:
warnings, the diff, the stop and failure summaries."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from ansible_collections.genesyscloud.cx.plugins.module_utils._action_flows import flows_phrase
from ansible_collections.genesyscloud.cx.plugins.module_utils._journal import NOT_ATTEMPTED
from ansible_collections.genesyscloud.cx.plugins.module_utils.data_actions import (
    DRAFT_KEPT,
    DRIFTED,
    DRIFT_FAIL,
    FAILED,
    MAX_FUNCTION_TIMEOUT,
    MIN_FUNCTION_TIMEOUT,
    UNCHANGED,
    UNKNOWN,
    UPDATED,
    WOULD_UPDATE,
    action_kind,
    effective_timeout,
    show_timeout,
    timeout_of,
)


# ---- results ------------------------------------------------------------------------------------
def _result(action, status, msg, before=None, after_timeout=None, version_after=None):
    before = before if before is not None else action
    return {
        "id": before.get("id"),
        "name": before.get("name"),
        "category": before.get("category"),
        "kind": action_kind(before.get("id") or ""),
        "integration_id": before.get("integrationId"),
        "secure": before.get("secure"),
        "status": status,
        "timeout_seconds_before": timeout_of(before),
        "timeout_seconds_after": after_timeout,
        "effective_timeout_seconds_before": effective_timeout(timeout_of(before)),
        "effective_timeout_seconds_after": effective_timeout(after_timeout),
        "version_before": before.get("version"),
        "version_after": version_after,
        "msg": msg,
    }


def unchanged_result(action, status, msg):
    """The result of an action the run leaves as it is, with ``status`` saying why."""
    return _result(action, status, msg, after_timeout=timeout_of(action), version_after=action.get("version"))


def draft_summary(draft, action_timeout_after, status=DRAFT_KEPT, timeout_seconds_after=None, version_after=None):
    """A pending draft as a result reports it. A draft left as it is keeps its timeout and version."""
    before = timeout_of(draft)
    if status in (DRAFT_KEPT, UNCHANGED, FAILED):
        timeout_seconds_after, version_after = before, draft.get("version")
    return {
        "status": status,
        "version_before": draft.get("version"),
        "version_after": version_after,
        "timeout_seconds_before": before,
        "timeout_seconds_after": timeout_seconds_after,
        # Publishing the draft would set its own timeout on the action, undoing what the action has after the run.
        "holds_other_timeout": timeout_seconds_after != action_timeout_after,
    }


def with_context(result, action, functions=None, drafts=None, function_after=None, draft=None):
    """``result`` with its function's timeout before and after (when functions were read) and its pending draft
    (when drafts were listed: ``draft`` a draft_summary, or the listed draft reported as kept)."""
    if functions is not None:
        before = functions.timeout(action["id"]) if functions.is_function(action) else None
        result["function_timeout_seconds_before"] = before
        result["function_timeout_seconds_after"] = before if function_after is None else function_after
    if drafts is not None:
        pending = drafts.get(action.get("id"))
        if draft is None and pending is not None:
            draft = draft_summary(pending, result["timeout_seconds_after"])
        result["draft"] = draft
        if (draft and draft["status"] == DRAFT_KEPT and draft["holds_other_timeout"]
                and result["status"] in (UPDATED, WOULD_UPDATE)):
            result["msg"] += ("; its pending draft (version %s) holds timeout %s, which publishing it would set again "
                              "(drafts: report)" % (draft["version_before"], show_timeout(draft["timeout_seconds_before"])))
    return result


# ---- summaries ----------------------------------------------------------------------------------
def warnings_of(results, judged=None):
    """What a user must hear about the changes of a run (or of its check): function actions whose timeout after
    the run exceeds their function's own (of ``judged``, every result, changed or not; ``results`` by default), and
    changes that a pending draft would undo when published."""
    above, undone = [], []
    for result in results if judged is None else judged:
        function_after = result.get("function_timeout_seconds_after")
        if function_after is not None and result["effective_timeout_seconds_after"] > function_after:
            above.append("%s (%s): %d s, its function %d s" % (
                result["name"], result["id"], result["effective_timeout_seconds_after"], function_after))
    for result in results:
        if result["status"] not in (UPDATED, WOULD_UPDATE):
            continue
        draft = result.get("draft")
        if draft and draft["status"] == DRAFT_KEPT and draft["holds_other_timeout"]:
            undone.append("%s (%s): its draft holds %s" % (result["name"], result["id"],
                                                           show_timeout(draft["timeout_seconds_before"])))
    warnings = []
    if above:
        warnings.append("%d function data action(s) have a timeout above their function's own, which stops first, so "
                        "the longer wait does nothing: %s%s. function_timeout_seconds (%d to %d) sets the function's." % (
                            len(above), "; ".join(above[:10]), "; ..." if len(above) > 10 else "",
                            MIN_FUNCTION_TIMEOUT, MAX_FUNCTION_TIMEOUT))
    if undone:
        warnings.append("%d action(s) changed (or to change) have a pending draft holding another timeout; publishing "
                        "the draft would undo the change: %s%s. drafts: update gives the drafts the same timeout." % (
                            len(undone), "; ".join(undone[:10]), "; ..." if len(undone) > 10 else ""))
    return warnings


def drift_warning(results, on_drift):
    """A warning for the actions left as they are because they changed since the version given (on_drift: skip),
    so that a run which did not do all it was asked (a rollback of actions edited since) never passes quietly.
    None when there are none, or with on_drift: fail (the module then fails with them)."""
    drifted = [r for r in results if r["status"] == DRIFTED]
    if not drifted or on_drift == DRIFT_FAIL:
        return None
    return ("%d action(s) changed since the version this run was given, and were left as they are (on_drift: skip): "
            "%s%s. Check them; on_drift: apply changes them anyway." % (
                len(drifted), ", ".join("%s (%s)" % (r["name"], r["id"]) for r in drifted[:10]),
                ", ..." if len(drifted) > 10 else ""))


def stop_summary(plan, results):
    """The message of a run that stopped before all its updates (see Plan.apply), or None when it did not."""
    reason = plan.stopped()
    if not reason:
        return None
    skipped = sum(1 for r in results if r["status"] == NOT_ATTEMPTED)
    updated = sum(1 for r in results if r["status"] == UPDATED)
    if plan.permission_error is not None:
        head = "Stopped at the first request refused for want of a permission, which every action needs alike: %s" % (
            plan.permission_error)
    else:
        head = "Stopped before all the updates were sent, because %s" % reason
    return "%s. %d update(s) not attempted (nothing more was sent), %d made. Every result is in results." % (
        head.rstrip("."), skipped, updated)


def _one_line(name):
    """A name as one line of a diff: a control character (a newline in a name) escaped as Python writes it."""
    return "".join(char if char.isprintable() else char.encode("unicode_escape").decode("ascii") for char in name or "")


def diff_of(results):
    """One line per action that changes (or would), sorted by name: its timeout before and after, its version
    once written (check mode cannot know the new one), and its function's and pending draft's timeouts when
    they change, and the flows that call it when they were read (``dependencies``). ``{}`` when nothing changes.

    A prepared diff, so a large org reads as a list rather than as hundreds of lines of JSON.
    """
    lines = []
    for result in sorted(results, key=lambda r: ((r["name"] or "").lower(), r["name"] or "", r["id"])):
        if result["status"] not in (UPDATED, WOULD_UPDATE):
            continue
        line = "%s (%s): timeout %s -> %s" % (_one_line(result["name"]), result["id"], show_timeout(result["timeout_seconds_before"]),
                                              show_timeout(result["timeout_seconds_after"]))
        if result["version_after"] is not None:
            line += ", version %s -> %s" % (result["version_before"], result["version_after"])
        if result.get("function_timeout_seconds_before") != result.get("function_timeout_seconds_after"):
            line += ", function timeout %s s -> %s s" % (
                result["function_timeout_seconds_before"], result["function_timeout_seconds_after"])
        draft = result.get("draft")
        if draft and draft["status"] in (UPDATED, WOULD_UPDATE):
            line += ", pending draft timeout %s -> %s" % (show_timeout(draft["timeout_seconds_before"]),
                                                          show_timeout(draft["timeout_seconds_after"]))
        callers = flows_phrase(result)
        if callers:
            line += "; " + callers
        lines.append(line)
    return {"prepared": "\n".join(lines) + "\n"} if lines else {}


def failure_summary(results, on_drift):
    """A one-line summary when the run must fail (failed actions, or drift with on_drift: fail); else None."""
    failed = [r for r in results if r["status"] == FAILED]
    unknown = [r for r in results if r["status"] == UNKNOWN]
    drifted = [r for r in results if r["status"] == DRIFTED] if on_drift == DRIFT_FAIL else []
    if not failed and not drifted and not unknown:
        return None
    counts = {}
    for result in results:
        counts[result["status"]] = counts.get(result["status"], 0) + 1
    parts = []
    if failed:
        parts.append("%d failed (%s)" % (len(failed), "; ".join(
            "%s: %s" % (r["id"], r["msg"]) for r in failed[:3]) + ("; ..." if len(failed) > 3 else "")))
    if unknown:
        # Sent, and perhaps applied: someone must look before anything else is decided.
        parts.append("%d sent with an unknown outcome (%s)" % (len(unknown), "; ".join(
            "%s: %s" % (r["id"], r["msg"]) for r in unknown[:3]) + ("; ..." if len(unknown) > 3 else "")))
    if drifted:
        parts.append("%d drifted from the approved version (%s)" % (
            len(drifted), ", ".join(r["id"] for r in drifted[:10]) + (", ..." if len(drifted) > 10 else "")))
    return "%s. Totals: %s. Every result is in results." % (
        "; ".join(parts), ", ".join("%s %d" % (k, counts[k]) for k in sorted(counts)))

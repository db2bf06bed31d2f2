# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesyscloud.cx contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# FOR INTERNAL COLLECTION USE ONLY
# The interfaces in this file are meant for use within the genesyscloud.cx collection and may change in
# any release.

"""The plan of a run: what to do with each action as read (decide), and carrying it out safely (Plan.apply):
versioned writes settled by a read, never resent blindly, stopped cleanly on request."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import collections
import copy
import threading
from collections import namedtuple
from concurrent.futures import ThreadPoolExecutor

from ansible_collections.genesyscloud.cx.plugins.module_utils._function_actions import set_function_timeout
from ansible_collections.genesyscloud.cx.plugins.module_utils._interruption import (
    ControllerWatch,
    leave_stop_signals_to_the_main_thread,
    wait_settled,
)
from ansible_collections.genesyscloud.cx.plugins.module_utils._journal import NOT_ATTEMPTED, NoJournal
from ansible_collections.genesyscloud.cx.plugins.module_utils._timeout_results import (
    _result,
    draft_summary,
    unchanged_result,
    with_context,
)
from ansible_collections.genesyscloud.cx.plugins.module_utils.data_actions import (
    DRAFTS_REPORT,
    DRAFTS_UPDATE,
    DRAFT_KEPT,
    DRIFTED,
    DRIFT_APPLY,
    DRIFT_FAIL,
    DRIFT_SKIP,
    FAILED,
    MAX_ATTEMPTS,
    MAX_PARALLEL,
    MAX_UNANSWERED,
    MODE_AT_LEAST,
    MODE_EXACT,
    TEMPLATES,
    UNCHANGED,
    UNKNOWN,
    UPDATE,
    UPDATED,
    WOULD_UPDATE,
    action_path,
    effective_timeout,
    show_timeout,
    templates_by_uri,
    timeout_of,
    with_inline_templates,
)
from ansible_collections.genesyscloud.cx.plugins.module_utils.errors import (
    GenesysCloudError,
    OutcomeUnknownError,
    PermissionDeniedError,
    RequestTimeoutError,
    RunStoppedError,
    ServerError,
    VersionConflictError,
    scrub,
)


# ---- planning -----------------------------------------------------------------------------------
def _draft_wanted(request):
    """The timeout a request's pending draft goes to: its own (DraftRestore), else its action's."""
    return request.timeout_seconds if request.draft is None else request.draft.timeout_seconds


def decide(action, desired, mode=MODE_EXACT, approved_version=None, on_drift=DRIFT_FAIL, unconfirmed=None):
    """What to do with one action as read: (status, msg) with status unchanged, update, or drifted.

    ``unconfirmed``: an UnconfirmedWrite this change undoes; the action is changed only where that write shows.
    """
    current = timeout_of(action)
    if mode == MODE_AT_LEAST:
        # Compared as the action runs: an unset timeout is already 60 s, the maximum, so never raised.
        needed = effective_timeout(current) < desired
    else:
        needed = current != desired
    if not needed:
        return UNCHANGED, "timeout is %s, %s" % (
            show_timeout(current), "already at least %s" % show_timeout(desired) if mode == MODE_AT_LEAST else "as wanted")
    version = action.get("version")
    if unconfirmed is not None:
        if not _shows(action, unconfirmed.timeout_seconds, unconfirmed.version):
            if on_drift != DRIFT_APPLY:
                return DRIFTED, "timeout is %s at version %s, where an update whose outcome was unknown sent %s at " \
                    "version %s: changed since by someone else; %s" % (
                        show_timeout(current), version, show_timeout(unconfirmed.timeout_seconds), unconfirmed.version,
                        "skipped" if on_drift == DRIFT_SKIP else "not changed (on_drift: fail)")
            return UPDATE, "timeout %s -> %s (not the %s an update whose outcome was unknown sent; on_drift: apply)" % (
                show_timeout(current), show_timeout(desired), show_timeout(unconfirmed.timeout_seconds))
        return UPDATE, "timeout %s -> %s (undoing an update whose outcome was unknown: it had been applied, version " \
            "%s)" % (show_timeout(current), show_timeout(desired), version)
    if approved_version is not None and version != approved_version and on_drift != DRIFT_APPLY:
        return DRIFTED, "version is %s, not the approved %s; %s" % (
            version, approved_version, "skipped" if on_drift == DRIFT_SKIP else "not changed (on_drift: fail)")
    msg = "timeout %s -> %s" % (show_timeout(current), show_timeout(desired))
    if approved_version is not None and version != approved_version:
        msg += " (version %s, approved %s; on_drift: apply)" % (version, approved_version)
    return UPDATE, msg


class FunctionPart(namedtuple("FunctionPart", "before wanted status msg")):
    """A function action's own timeout in a plan: ``before`` as read (None: unknown), ``wanted`` (None: leave
    it), ``status`` UPDATE, UNCHANGED, FAILED, or None when the run does not act on it; ``msg`` in words."""

    __slots__ = ()


class DraftPart(namedtuple("DraftPart", "draft status msg")):
    """An action's pending draft as listed, and what the plan does with it: UPDATE, UNCHANGED or DRAFT_KEPT."""

    __slots__ = ()


class PlanItem(namedtuple("PlanItem", "request action status msg action_status action_msg function draft")):
    """One request paired with its action as read, and what the plan decided.

    ``status``: UPDATE when anything is to be written, else the result status; ``action_status`` and
    ``action_msg`` for the action's own timeout; ``function`` a FunctionPart (function actions, when their
    functions were read) or None; ``draft`` a DraftPart (a pending draft, when drafts were listed) or None.
    """

    __slots__ = ()


Outcome = namedtuple("Outcome", "status msg before timeout_after version_after go_on")
# One versioned write of a timeout, settled: ``before`` the entity as last read (the decision was made on it);
# ``go_on`` whether the rest of the item (function, draft) may follow.


def _settled(entity, status, msg, go_on=False, before=None):
    """An Outcome that leaves ``entity`` (as last read) as it is; ``before`` the entity before our write, if not it."""
    return Outcome(status, msg, entity if before is None else before, timeout_of(entity), entity.get("version"), go_on)


class _Unsettled(Exception):
    """An action's update was sent and its outcome could not be learned: the read that would settle it failed."""

    def __init__(self, error, timeout_seconds, version):
        super(_Unsettled, self).__init__(str(error))
        self.error = error
        self.timeout_seconds = timeout_seconds
        self.version = version


class _NotAttempted(Exception):
    """The run stopped (see Plan.apply) before an action's first write."""

    def __init__(self, reason):
        super(_NotAttempted, self).__init__(reason)
        self.reason = reason


def _version(entity):
    """An entity's version as an int (-1 when it has none), for comparisons."""
    version = entity.get("version")
    return version if isinstance(version, int) and not isinstance(version, bool) else -1


def _shows(entity, desired, sent_version):
    """Whether ``entity`` as read holds ``desired`` at a version newer than the one sent."""
    version = entity.get("version")
    removed_ok = desired is not None or (entity.get("config") or {}).get("timeoutSeconds") is None
    return (timeout_of(entity) == desired and removed_ok and isinstance(version, int)
            and not isinstance(version, bool) and version > sent_version)


def patch_body(action, desired):
    """The complete action as read with only config.timeoutSeconds changed, its templates inline without their URIs.

    ``desired`` None removes the timeout by sending ``timeoutSeconds: null``: a server that replaces config
    whole reads it as unset, and one that merges config (JSON merge patch) removes a key sent as null, where
    leaving the key out would keep the old value. Templates named only by URI must have been read and put
    inline first (``with_inline_templates``); the ``*TemplateUri`` fields are the server's pointers and are left
    out, as the Terraform provider sends the config. Raises ValueError for a template still named only by URI.
    """
    config = copy.deepcopy(action.get("config") or {})
    config["timeoutSeconds"] = desired
    for section, inline, uri, dummy, words in TEMPLATES:
        part = config.get(section)
        if isinstance(part, dict) and uri in part:
            if part.get(inline) is None and part.get(uri):
                raise ValueError("the %s is named only by URI: read it inline first" % words)
            del part[uri]
    return {"name": action.get("name"), "category": action.get("category"), "config": config,
            "version": action.get("version")}


def _uri_note(entity, what):
    missing = templates_by_uri(entity.get("config"))
    if not missing:
        return ""
    return "; %s %s named only by URI: read and sent inline with the update" % (
        what, " and ".join(words for dummy, dummy, dummy, words in missing) + (" are" if len(missing) > 1 else " is"))


# ---- applying -----------------------------------------------------------------------------------
# Words of the drift refusal, which refusal_advice tells from the max_changes one.
DRIFT_REFUSAL_WORDS = "drifted from the approved version"


def refusal_advice(refusal):
    """What to do about a run refused before any write, in the words of its cause, naming what to change (the
    module's option, and the role's variable that sets it)."""
    if DRIFT_REFUSAL_WORDS in refusal:
        return ("someone changed those actions since the plan was approved: make and approve a new plan from the org "
                "as it is now, or set on_drift (the role's data_action_timeouts_on_drift) to skip them or to apply "
                "the plan anyway.")
    return ("review them, then narrow the run (its selection or plan) or raise max_changes (the role's "
            "data_action_timeouts_max_changes).")


class Plan(object):
    """Decisions for every request, made from one listing; ``apply`` carries out the updates.

    ``functions``: FunctionTimeouts when function timeouts were read, else None. ``drafts``: the pending drafts
    by action id when they were listed, else None; ``drafts_mode`` DRAFTS_UPDATE gives them the same timeout.
    """

    def __init__(self, pairs, mode=MODE_EXACT, on_drift=DRIFT_FAIL, max_changes=None, functions=None, drafts=None,
                 drafts_mode=DRAFTS_REPORT):
        self.mode = mode
        self.on_drift = on_drift
        self.max_changes = max_changes
        self.functions = functions
        self.drafts = drafts
        self.drafts_mode = drafts_mode
        self.items = [self._plan_item(request, action) for request, action in pairs]
        # Set again by apply: what may stop the run, and the record it keeps.
        self._journal = NoJournal()
        self._watch = ControllerWatch()
        self.permission_error = None

    def _plan_item(self, request, action):
        if request.skip:
            status, msg = UNCHANGED, request.skip
        else:
            status, msg = decide(action, request.timeout_seconds, self.mode, request.version, self.on_drift,
                                 request.unconfirmed)
        acting = not request.skip and status != DRIFTED
        function = self._function_part(request, action, acting)
        draft = self._draft_part(request, action, acting)
        parts = (status, function and function.status, draft and draft.status)
        if function is not None and function.status == FAILED:
            overall = FAILED  # nothing of a half-possible change is written
        elif UPDATE in parts:
            overall = UPDATE
        else:
            overall = status
        text = "; ".join([msg] + [part.msg for part in (function, draft) if part is not None and part.msg])
        return PlanItem(request, action, overall, text, status, msg, function, draft)

    def _function_part(self, request, action, acting):
        if self.functions is None or self.functions.is_function(action) is False:
            return None
        before, wanted = self.functions.timeout(action["id"]), request.function_timeout_seconds
        if wanted is None or not acting:
            return FunctionPart(before, None, None, "")
        if self.functions.is_function(action) is None:
            return FunctionPart(None, wanted, FAILED, "function timeout not set: its integration could not be read, "
                                "so it is unknown whether it is a function data action")
        if before is None:
            return FunctionPart(None, wanted, FAILED, "function timeout not set: its function could not be read")
        needed = before < wanted if self.mode == MODE_AT_LEAST else before != wanted
        if not needed:
            return FunctionPart(before, wanted, UNCHANGED, "function timeout is %d s, %s" % (
                before, "already at least %d s" % wanted if self.mode == MODE_AT_LEAST else "as wanted"))
        change = "function timeout %d s -> %d s" % (before, wanted)
        pending = (self.drafts or {}).get(action["id"])
        if pending is not None:
            return FunctionPart(before, wanted, FAILED, "%s not set: the action has a pending draft (version %s), and a "
                                "function's timeout is set through a draft and its publication, which would publish "
                                "that draft too; publish or delete it first" % (change, pending.get("version")))
        return FunctionPart(before, wanted, UPDATE, change)

    def _draft_part(self, request, action, acting):
        draft = (self.drafts or {}).get(action["id"])
        if draft is None:
            return None
        if not acting or (self.drafts_mode != DRAFTS_UPDATE and request.draft is None):
            return DraftPart(draft, DRAFT_KEPT, "")
        # A draft of its own to go to (a rollback's) is set exactly; otherwise the draft follows its action.
        status, msg = decide(draft, _draft_wanted(request), self.mode if request.draft is None else MODE_EXACT)
        if status != UPDATE:
            return DraftPart(draft, UNCHANGED, "")
        return DraftPart(draft, UPDATE, "pending draft (version %s): %s" % (draft.get("version"), msg))

    @property
    def updates(self):
        return [item for item in self.items if item.status == UPDATE]

    def _draft_result(self, item, action_timeout_after):
        if item.draft is None:
            return None
        status = UNCHANGED if item.draft.status == UNCHANGED else DRAFT_KEPT
        return draft_summary(item.draft.draft, action_timeout_after, status)

    def predicted_results(self):
        """What a real run would report, with would_update for the updates (version_after unknown)."""
        return [self._predicted(item) for item in self.items]

    def _predicted(self, item):
        if item.status != UPDATE:
            result = unchanged_result(item.action, item.status, item.msg)
            return with_context(result, item.action, self.functions, self.drafts,
                                draft=self._draft_result(item, result["timeout_seconds_after"]))
        after = item.request.timeout_seconds if item.action_status == UPDATE else timeout_of(item.action)
        msg = item.msg + (_uri_note(item.action, "its") if item.action_status == UPDATE else "")
        function_after = item.function.wanted if item.function and item.function.status == UPDATE else None
        draft = self._draft_result(item, after)
        if item.draft is not None and item.draft.status == UPDATE:
            draft = draft_summary(item.draft.draft, after, WOULD_UPDATE, _draft_wanted(item.request))
            msg += _uri_note(item.draft.draft, "the draft's")
        return with_context(_result(item.action, WOULD_UPDATE, msg, after_timeout=after), item.action,
                            self.functions, self.drafts, function_after, draft)

    def journal_actions(self):
        """What a real run is about to change, as its journal's header records it: per update, the action's id,
        name, timeout and version as read and the timeout wanted; its function's and pending draft's when those
        change; the approved version, when one was given."""
        entries = []
        for item in self.updates:
            action = item.action
            entry = {"id": action["id"], "name": action.get("name"), "timeout_seconds_before": timeout_of(action),
                     "timeout_seconds": (item.request.timeout_seconds if item.action_status == UPDATE
                                         else timeout_of(action)),
                     "version_before": action.get("version")}
            if item.request.version is not None:
                entry["approved_version"] = item.request.version
            if item.function is not None and item.function.status == UPDATE:
                entry["function_timeout_seconds_before"] = item.function.before
                entry["function_timeout_seconds"] = item.function.wanted
            if item.draft is not None and item.draft.status == UPDATE:
                entry["draft"] = {"version_before": item.draft.draft.get("version"),
                                  "timeout_seconds_before": timeout_of(item.draft.draft),
                                  "timeout_seconds": _draft_wanted(item.request)}
            entries.append(entry)
        return entries

    def refusal(self):
        """Why nothing may be written, or None: drift already seen with on_drift fail, or more changes than
        max_changes. Decided from the listing, before any write."""
        drifted = sorted(item.action.get("id") for item in self.items if item.status == DRIFTED)
        if self.on_drift == DRIFT_FAIL and drifted:
            return "%d action(s) %s (on_drift: fail): %s" % (
                len(drifted), DRIFT_REFUSAL_WORDS, ", ".join(drifted[:10]) + (", ..." if len(drifted) > 10 else ""))
        if self.max_changes is not None and len(self.updates) > self.max_changes:
            return "%d actions would change, more than max_changes (%d)" % (len(self.updates), self.max_changes)
        return None

    def refused(self):
        return self.refusal() is not None

    def refused_results(self, dry_run=True):
        """The predicted results, with every update marked as not applied, and why: in a real run, as not attempted
        (nothing was sent), in a dry run still as what the run would do."""
        reason = self.refusal()
        results = self.predicted_results()
        for n, result in enumerate(results):
            if result["status"] == WOULD_UPDATE:
                if dry_run:
                    result["msg"] = "not applied, because %s: %s" % (reason, result["msg"])
                else:
                    results[n] = self._not_attempted(self.items[n], reason, "not applied")
        return results

    def apply(self, client, parallel=8, secrets=None, journal=None, watch=None):
        """Carry out every update, up to ``parallel`` actions at once; returns a result per request, in request order.

        The updates are handed out one at a time, so that the run can stop between two: when ``watch`` (a
        ControllerWatch) says the controller is gone or a signal came, at the first request refused for want of a
        permission (which every other action needs alike), or when ``journal`` cannot be written. Updates in flight
        then settle; the others are not attempted, and their results say so. The first update goes alone, so that a
        client without the permission to write costs one refused request, not one per worker.

        ``journal`` (a Journal) records each PATCH of an action before it is sent, and each outcome once settled.
        """
        self._journal = journal or NoJournal()
        self._watch = watch or ControllerWatch()
        self.permission_error = None
        results = self.predicted_results()
        pending = collections.deque(n for n, item in enumerate(self.items) if item.status == UPDATE)
        if not pending:
            return results
        lock = threading.Lock()

        def work(limit=None):
            leave_stop_signals_to_the_main_thread()  # where their handler stops the run at once
            done = 0
            while limit is None or done < limit:
                if self.stopped():
                    return
                with lock:
                    if not pending:
                        return
                    n = pending.popleft()
                results[n], attempted = self._update_one(client, self.items[n], secrets)
                if attempted is not None:
                    self._journal.outcome(results[n] if attempted else dict(results[n], status=NOT_ATTEMPTED))
                done += 1

        workers = max(1, min(int(parallel), MAX_PARALLEL, len(pending)))
        with ThreadPoolExecutor(max_workers=workers) as pool:
            wait_settled(pool.submit(work, 1))
            for future in [pool.submit(work) for dummy in range(workers)]:
                wait_settled(future)
        reason = self.stopped()
        for n in pending:
            results[n] = self._not_attempted(self.items[n], reason)
            self._journal.outcome(dict(results[n], status=NOT_ATTEMPTED))
        return results

    def stopped(self):
        """Why no new write may be sent (see apply), or None."""
        if self._journal.broken:
            self._watch.stop(self._journal.broken)
        return self._watch.reason()

    def _halt_on_permission(self, exc):
        """A request refused for want of a permission: every action needs it alike, so nothing more is sent."""
        if self.permission_error is None:
            self.permission_error = exc
        self._watch.stop("a request was refused for want of a permission, which every action needs alike (%s)" % exc)

    def _not_attempted(self, item, reason, words="not attempted"):
        """An update never sent: the action as read, and in words what was planned for it."""
        result = unchanged_result(item.action, NOT_ATTEMPTED, "%s, because %s: %s" % (
            words, reason, self._predicted(item)["msg"]))
        return with_context(result, item.action, self.functions, self.drafts,
                            draft=self._draft_result(item, result["timeout_seconds_after"]))

    def _update_one(self, client, item, secrets=None):
        """(result, attempted): attempted False when the run stopped before the action's first write, None when a
        write was sent and its outcome is unknown (the journal records no outcome for it)."""
        action = item.action
        try:
            return self._update(client, item), True
        except _NotAttempted as stop:
            return self._not_attempted(item, stop.reason), False
        except _Unsettled as unsettled:
            # Neither changed nor failed: the journal leaves it unsettled (None), as an interrupted run's write.
            result = _result(action, UNKNOWN, scrub(
                "sent (timeout %s with version %s), and its outcome is unknown: the read that would settle it failed "
                "(%s). Read the action to see whether it was applied; a rollback undoes it only where it shows" % (
                    show_timeout(unsettled.timeout_seconds), unsettled.version, unsettled), secrets),
                after_timeout=timeout_of(action), version_after=action.get("version"))
            result["unconfirmed_write"] = {"timeout_seconds": unsettled.timeout_seconds, "version": unsettled.version}
            return with_context(result, action, self.functions, self.drafts,
                                draft=self._draft_result(item, timeout_of(action))), None
        except Exception as exc:  # one action's failure must not hide the others' results
            if isinstance(exc, PermissionDeniedError):
                self._halt_on_permission(exc)
            result = _result(action, FAILED, scrub(str(exc) or type(exc).__name__, secrets),
                             after_timeout=timeout_of(action), version_after=action.get("version"))
            return with_context(result, action, self.functions, self.drafts,
                                draft=self._draft_result(item, timeout_of(action))), True

    def _update(self, client, item):
        """The action's timeout (PATCH), then its function's (draft and publish), then its pending draft's."""
        request, action = item.request, item.action
        if item.action_status == UPDATE:
            outcome = self._write(client, action_path(action["id"]), action, request.timeout_seconds,
                                  request.version, request.reselect, unconfirmed=request.unconfirmed)
        else:
            if self.stopped():
                raise _NotAttempted(self.stopped())
            outcome = _settled(action, UNCHANGED, item.action_msg, go_on=True)
        result = _result(outcome.before, outcome.status, outcome.msg, after_timeout=outcome.timeout_after,
                         version_after=outcome.version_after)
        function_after = draft = None
        if outcome.go_on and item.function is not None and item.function.status == UPDATE:
            function_after = self._set_function(client, item, result)
        if outcome.go_on and item.draft is not None and item.draft.status == UPDATE:
            draft = self._update_draft(client, item, result)
        if draft is None:
            draft = self._draft_result(item, result["timeout_seconds_after"])
        return with_context(result, action, self.functions, self.drafts, function_after, draft)

    def _set_function(self, client, item, result):
        """Set the function's timeout; ``result`` says how it went. Returns the function's timeout after, or None."""
        reason = self.stopped()
        if reason:
            result["status"] = FAILED
            result["msg"] += "; %s not set: not attempted, because %s" % (item.function.msg, reason)
            return None
        try:
            change = set_function_timeout(client, item.action["id"], item.function.wanted)
        except GenesysCloudError as exc:
            if isinstance(exc, PermissionDeniedError):
                self._halt_on_permission(exc)
            result["status"] = FAILED
            result["msg"] += "; %s not set: %s" % (item.function.msg, exc)
            return None
        result["status"] = UPDATED
        result["version_after"] = change.version_after
        result["msg"] += "; %s (through a draft, published as version %s)" % (item.function.msg, change.version_after)
        return change.timeout_seconds

    def _update_draft(self, client, item, result):
        """PATCH the pending draft with its own version, to its wanted timeout (the action's, or its own given by a
        rollback); ``result`` says how it went."""
        pending = item.draft.draft
        try:
            outcome = self._write(client, action_path(item.action["id"]) + "/draft", pending,
                                  _draft_wanted(item.request), draft=True)
        except _NotAttempted as stop:
            outcome = _settled(pending, FAILED, "not attempted, because %s" % stop.reason)
        except GenesysCloudError as exc:
            if isinstance(exc, PermissionDeniedError):
                self._halt_on_permission(exc)
            outcome = _settled(pending, FAILED, str(exc))
        after = result["timeout_seconds_after"]
        if outcome.status == UPDATED:
            if result["status"] == UNCHANGED:
                result["status"] = UPDATED
            result["msg"] += "; pending draft version %s -> %s: %s" % (
                outcome.before.get("version"), outcome.version_after, outcome.msg)
            return draft_summary(outcome.before, after, UPDATED, outcome.timeout_after, outcome.version_after)
        if outcome.status == FAILED:
            result["status"] = FAILED
            result["msg"] += "; pending draft not updated: %s" % outcome.msg
        return draft_summary(outcome.before, after, FAILED if outcome.status == FAILED else UNCHANGED)

    def _write(self, client, path, entity, desired, approved_version=None, reselect=None, draft=False,
               unconfirmed=None):
        """PATCH ``entity`` (an action, or with ``draft`` a pending draft) to ``desired`` with its version, settled.

        A version conflict or a 408 re-reads and decides again, MAX_ATTEMPTS writes at most (the re-read may name
        its templates by URI again, so they are read again: the other writer may have changed them); a 408, like an
        unanswered write, may still have been applied, and is settled by that read, never resent blindly. Returns
        an Outcome whose ``before`` is the entity as it was before the write that took effect: while a write that
        went unanswered may still land (no read has shown a version past the one it was sent with), the one read
        before it - a later read that shows our timeout is that write's doing, not an action already as wanted.
        Before each PATCH the run may stop (see apply): before the first, _NotAttempted is raised.
        """
        conflicts = unanswered = 0
        note = decided = ""
        before = entity
        # The version an unanswered write of ours was sent with, while it may still be applied; else None.
        uncertain = None
        sent = False
        while True:
            if uncertain is not None:
                if _shows(entity, desired, uncertain):
                    return Outcome(UPDATED, "%s%s; confirmed by re-reading: an update of ours that went unanswered (or "
                                   "another with the same timeout) set it" % (decided, note), before, desired,
                                   entity.get("version"), True)
                if _version(entity) > uncertain:
                    # Past the version it was sent with, that write can no longer land (or it did and was
                    # overwritten since): what this read shows is what our next write replaces.
                    uncertain = None
            if uncertain is None:
                before = entity
            if note and reselect is not None:
                # Chosen by a rule, not approved: the re-read action is decided again by that rule.
                still, why = reselect(entity)
                if not still:
                    return _settled(entity, UNCHANGED, "no longer selected after a concurrent change: %s%s" % (why, note),
                                    before=before)
            status, msg = decide(entity, desired, self.mode, approved_version, self.on_drift, unconfirmed)
            decided = decided or msg
            if status != UPDATE:
                return _settled(entity, status, msg + note, go_on=status == UNCHANGED, before=before)
            if conflicts >= MAX_ATTEMPTS:
                return _settled(entity, FAILED, "gave up after %d updates that met concurrent changes or request "
                                "timeouts%s" % (conflicts, note), before=before)
            reason = self.stopped()
            if reason:
                if not sent:
                    raise _NotAttempted(reason)
                return _settled(entity, FAILED, "not sent again, because %s%s" % (reason, note), before=before)
            try:
                complete = with_inline_templates(client, entity, draft=draft)
            except PermissionDeniedError:
                raise
            except GenesysCloudError as exc:
                return _settled(entity, FAILED, "not changed, so that the update cannot lose a template: %s" % exc,
                                before=before)
            body = patch_body(complete, desired)
            if not draft:
                self._journal.sending(entity.get("id"), body["version"], desired)
            was_sent, sent = sent, True
            try:
                answer = client.patch(path, body)
            except RunStoppedError:
                # The stop came while the write waited for its turn (the rate limit): it was not sent.
                reason = self.stopped() or "the run was stopped"
                if not was_sent:
                    raise _NotAttempted(reason)
                return _settled(entity, FAILED, "not sent again, because %s%s" % (reason, note), before=before)
            except (VersionConflictError, RequestTimeoutError) as exc:
                # Re-read and decide again, as the Terraform provider retries an update on a conflict or a 408. A
                # 408 may still have been applied: until a read shows a version past the one it was sent with, our
                # timeout there is that write's doing (see ``uncertain``), not an action already as wanted.
                conflicts += 1
                if isinstance(exc, RequestTimeoutError):
                    note = "; re-read after a request timeout (HTTP 408)"
                    if uncertain is None:
                        uncertain = body["version"]
                else:
                    note = "; re-read after a version conflict"
                entity = self._settling_read(client, path, draft, desired, uncertain)
                continue
            except (OutcomeUnknownError, ServerError) as exc:
                # The PATCH may have applied: settle it by reading, never by sending it blindly again.
                fresh = self._settling_read(client, path, draft, desired, body["version"])
                if _shows(fresh, desired, body["version"]):
                    return Outcome(UPDATED, msg + note + "; confirmed by re-reading after an unanswered update (%s)" % (
                        exc.status and "HTTP %s" % exc.status or exc.detail), before, desired, fresh.get("version"), True)
                if not isinstance(exc, OutcomeUnknownError) and exc.status not in (502, 503, 504):
                    return _settled(fresh, FAILED, str(exc), before=before)
                if uncertain is None:
                    uncertain = body["version"]
                unanswered += 1
                if unanswered >= MAX_UNANSWERED:
                    return _settled(fresh, FAILED, "gave up after %d updates left unanswered and not applied (last: %s)"
                                    % (unanswered, exc), before=before)
                note = "; re-read after an unanswered update"
                entity = fresh
                client.pause(unanswered)  # the server is struggling: back off before sending it again
                continue
            return self._verified(client, path, before, desired, body, answer, msg + note, draft)

    @staticmethod
    def _reread(client, path):
        return client.get(path, {"includeConfig": "true"})

    def _settling_read(self, client, path, draft, desired, in_doubt):
        """The re-read after a write of ours; when it fails while that write (sent with version ``in_doubt``, None
        when it surely was not applied) may have been applied, the action's outcome is unknown (_Unsettled). A
        draft's failure stays the failure it is: its action's own update is settled already."""
        try:
            return self._reread(client, path)
        except GenesysCloudError as exc:
            if draft or in_doubt is None:
                raise
            raise _Unsettled(exc, desired, in_doubt)

    def _verified(self, client, path, before, desired, body, answer, msg, draft=False):
        """Settle an accepted PATCH: from its answer when that has config (our timeout, a newer version); else
        from a newer version (never assumed to be exactly one more); else, or for a removal, by one re-read."""
        answer = answer if isinstance(answer, dict) else {}
        got_version = answer.get("version")
        if not isinstance(got_version, int) or isinstance(got_version, bool):
            got_version = None
        if isinstance(answer.get("config"), dict):
            if _shows(answer, desired, body["version"]):
                return Outcome(UPDATED, msg, before, desired, got_version, True)
            return Outcome(FAILED, "the update was accepted, but the answer shows timeout %s and version %s (sent %s "
                           "with version %s); check the action and the server's config patch semantics" % (
                               show_timeout(timeout_of(answer)), got_version, show_timeout(desired), body["version"]),
                           before, timeout_of(answer), got_version, False)
        # PATCH has no includeConfig: its answer may come without config. A newer version says our config was
        # taken, and with it the timeout we set; a removal is not settled by that (a server that merges config
        # keeps the old value), nor is an answer without a newer version: one re-read settles those.
        if got_version is not None and got_version > body["version"] and desired is not None:
            return Outcome(UPDATED, msg, before, desired, got_version, True)
        fresh = self._settling_read(client, path, draft, desired, body["version"])
        if _shows(fresh, desired, body["version"]):
            return Outcome(UPDATED, msg + "; confirmed by re-reading, as the answer had no config", before, desired,
                           fresh.get("version"), True)
        return Outcome(FAILED, "the update was accepted, but a re-read shows timeout %s and version %s (sent %s with "
                       "version %s); check the action and the server's config patch semantics" % (
                           show_timeout(timeout_of(fresh)), fresh.get("version"), show_timeout(desired), body["version"]),
                       before, timeout_of(fresh), fresh.get("version"), False)

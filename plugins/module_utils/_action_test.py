# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesyscloud.cx contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

# FOR INTERNAL COLLECTION USE ONLY
# The interfaces in this file are meant for use within the genesyscloud.cx collection and may change in
# any release.

"""A data action's test invocation and how it went: shared by data_action_test (one test) and
data_action_timeout (its ``verify`` samples, tested before and after its writes)."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import re

from ansible_collections.genesyscloud.cx.plugins.module_utils.data_actions import (
    ACTIONS_PATH,
    KIND_CUSTOM_AUTH,
    action_kind,
    action_path,
    effective_timeout,
    list_actions,
    show_timeout,
    timeout_of,
)
from ansible_collections.genesyscloud.cx.plugins.module_utils.errors import (
    InvalidInputError,
    InvalidResponseError,
    NotFoundError,
    OutcomeUnknownError,
    PermissionDeniedError,
    body_message,
)

# The test runs the backend for up to the action's timeout; the HTTP wait must outlast it by this much.
TEST_HTTP_MARGIN_SECONDS = 15
EXECUTE_PERMISSIONS = ("integrations:action:execute", "bridge:actions:execute")
DRAFT_EXECUTE_PERMISSIONS = ("integrations:action:execute",)
# "timeout", "timed out", "time-out", "action.timeout"; not the config field name "timeoutSeconds".
_TIMEOUT_WORDS = re.compile(r"time[d]?[\s._-]?out(?!seconds)", re.IGNORECASE)
_TIMEOUT_STATUS = 504


def check_sample(action_id, name, where=None):
    """Refuse, before any request, an empty id or name and a custom authentication action's id."""
    for key, value in (("id", action_id), ("name", name)):
        if value is not None and not value.strip():
            raise InvalidInputError("%s%s must not be empty." % (where + "." if where else "", key))
    if action_id and action_kind(action_id) == KIND_CUSTOM_AUTH:
        raise InvalidInputError(custom_auth_refusal("id " + action_id))


def custom_auth_refusal(label):
    return ("%s is a custom authentication action; it runs only as part of its integration's other actions "
            "and cannot be tested on its own. Test one of those actions instead." % label)


def read_action(client, action_id=None, name=None, draft=False):
    """The action (or its draft) with its config, by id or by exact name; raises unless exactly one."""
    if action_id:
        path = action_path(action_id) + ("/draft" if draft else "")
        try:
            action = client.get(path, {"includeConfig": "true"})
        except NotFoundError as exc:
            if draft:
                exc.hint = ("Action %s has no draft, or no such action exists: test the published action "
                            "(draft: false), or create a draft first." % action_id)
            raise
        if not isinstance(action, dict):
            raise InvalidResponseError("the action read has no body", method="GET", path=path)
        return action
    if draft:
        query = {"includeConfig": "true", "includeAuthActions": "true", "name": name}
        found = [a for a in client.list_all(ACTIONS_PATH + "/drafts", query) if a.get("name") == name]
        what = "draft of a data action"
    else:
        # Custom-auth actions are listed too, so that naming one is refused with a reason, not "not found".
        found = list_actions(client, name=name, include_auth_actions=True)
        what = "data action"
    return only_one(found, name, what)


def only_one(found, name, what="data action"):
    """The one action of ``found`` (those named ``name``); NotFoundError when there is none or several."""
    if not found:
        raise NotFoundError("no %s is named %r" % (what, name))
    if len(found) > 1:
        raise NotFoundError("%d %ss are named %r (ids %s)" % (
            len(found), what, name, ", ".join(sorted(str(a.get("id")) for a in found))),
            hint="Select the action by id.")
    return found[0]


def looks_like_timeout(result):
    """Whether a failed test's errors say it ran into a timeout.

    The API has no dedicated timeout signal, so this reads the error body (and the failed operations'
    errors): status 504, or a code or message that speaks of a timeout.
    """
    errors = [result.get("error")]
    errors.extend(op.get("error") for op in result.get("operations") or [] if isinstance(op, dict))
    for error in errors:
        if not isinstance(error, dict):
            continue
        if str(error.get("status")).strip() == str(_TIMEOUT_STATUS):
            return True
        text = " ".join(str(error.get(key) or "") for key in ("code", "message", "messageWithParams"))
        if _TIMEOUT_WORDS.search(text):
            return True
    return False


def _operations(result, secure):
    operations = [op for op in result.get("operations") or [] if isinstance(op, dict)]
    if secure:
        # Secure actions' data must not be logged; a step's result can carry the backend's answer.
        operations = [dict((k, v) for k, v in op.items() if k != "result") for op in operations]
    return operations


def timeout_words(configured):
    """The configured timeout in words, saying what an unset one means."""
    if configured is None:
        return "unset: %d s, the platform default" % effective_timeout(None)
    return show_timeout(configured)


def _ms(number):
    return "{0:,} ms".format(number)


def outcome_message(success, timed_out, duration_ms, configured, error):
    """One line: what happened, in how long, against which timeout."""
    effective = effective_timeout(configured)
    if success:
        return "succeeded in %s (timeout %s)" % (_ms(duration_ms), timeout_words(configured))
    if timed_out:
        text = "timed out after %s: the effective timeout is %d s" % (_ms(duration_ms), effective)
        if configured is None:
            text += " (unset, the platform default)"
    else:
        text = "failed after %s (timeout %s)" % (_ms(duration_ms), timeout_words(configured))
    reason = body_message(error)
    return text + ("; error: %s" % reason if reason else "")


def tested_action(action, draft=False):
    """What a test result says of the action itself, before the test: id, name, timeouts, secure."""
    action_id = action.get("id")
    if action_kind(action_id or "") == KIND_CUSTOM_AUTH:
        raise InvalidInputError(custom_auth_refusal("%r (%s)" % (action.get("name"), action_id)))
    configured = timeout_of(action)
    return {
        "id": action_id,
        "name": action.get("name"),
        "draft": draft,
        "secure": action.get("secure") is True,
        "timeout_seconds": configured,
        "effective_timeout_seconds": effective_timeout(configured),
    }


def not_run(result, why=None):
    """``result`` (of tested_action) as a test not run: ``why``, or check mode, where a test is never sent since
    it calls the action's real backend."""
    result.update(success=None, timed_out=None, duration_ms=None, operations=[], error=None, skipped=True,
                  msg=why or "not run in check mode: a test calls the action's real backend (timeout %s)"
                  % timeout_words(result["timeout_seconds"]))
    return result


def run_test(client, result, test_input, clock):
    """Send the test of the action ``result`` (of tested_action) describes, once, and complete ``result`` with
    how it went. A failed test is a result; a request that fails (403, a lost answer) raises."""
    action_id = result["id"]
    draft = result["draft"]
    path = action_path(action_id) + ("/draft/test" if draft else "/test")
    # A slow backend must be answered by Genesys Cloud (a failed test), not cut off by our own HTTP wait.
    http_timeout = client.http_timeout
    client.http_timeout = max(http_timeout, result["effective_timeout_seconds"] + TEST_HTTP_MARGIN_SECONDS)
    started = clock()
    try:
        answer = client.post(path, test_input or {})
    except OutcomeUnknownError as exc:
        exc.hint = ("The test was sent but its answer was lost, so whether the backend ran it is unknown; "
                    "it was not sent again. Check the backend before testing again.")
        raise
    except PermissionDeniedError as exc:
        needed = DRAFT_EXECUTE_PERMISSIONS if draft else EXECUTE_PERMISSIONS
        if not any(p in exc.permissions for p in needed):
            # The 403 named nothing usable; a test needs an execute permission whatever the body says.
            exc.permissions = list(needed)
            exc.hint = "Give the OAuth client a role with one of these permissions: %s." % ", ".join(needed)
        raise
    finally:
        client.http_timeout = http_timeout
    duration_ms = int(round((clock() - started) * 1000))
    if not isinstance(answer, dict):
        raise InvalidResponseError("the test answer is not a TestExecutionResult", method="POST", path=path)

    success = answer.get("success") is True
    error = answer.get("error") if isinstance(answer.get("error"), dict) else None
    timed_out = not success and (looks_like_timeout(answer) or duration_ms >= result["effective_timeout_seconds"] * 1000)
    result.update(
        success=success,
        duration_ms=duration_ms,
        timed_out=timed_out,
        operations=_operations(answer, result["secure"]),
        error=error,
        msg=outcome_message(success, timed_out, duration_ms, result["timeout_seconds"], error),
    )
    if success and not result["secure"]:
        result["output"] = answer.get("finalResult")
    return result

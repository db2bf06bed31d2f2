# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesyscloud.cx contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# FOR INTERNAL COLLECTION USE ONLY
# The interfaces in this file are meant for use within the genesyscloud.cx collection and may change in
# any release.

"""Function data actions: which actions run a function, the function's own timeout (1..15 s), and setting it
through the function's draft and publishing it."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from collections import namedtuple

from ansible_collections.genesyscloud.cx.plugins.module_utils._interruption import map_in_helpers
from ansible_collections.genesyscloud.cx.plugins.module_utils.data_actions import (
    FUNCTION_DEFAULT_TIMEOUT,
    FUNCTION_INTEGRATION_TYPE,
    FUNCTION_REQUIRED_FIELDS,
    INTEGRATIONS_PATH,
    KIND_CUSTOM,
    MAX_ATTEMPTS,
    MAX_PARALLEL,
    action_kind,
    action_path,
)
from ansible_collections.genesyscloud.cx.plugins.module_utils.errors import (
    GenesysCloudError,
    InvalidInputError,
    NotFoundError,
    OutcomeUnknownError,
    RequestTimeoutError,
    ServerError,
    VersionConflictError,
    scrub,
)


# ---- function data actions ----------------------------------------------------------------------
def function_timeout_of(function_config):
    """Function.timeoutSeconds of a FunctionConfig (GET .../function), 15 (the API's default) when unset."""
    function = (function_config or {}).get("function") if isinstance(function_config, dict) else None
    value = (function or {}).get("timeoutSeconds")
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    return FUNCTION_DEFAULT_TIMEOUT


def _integration_type(integration):
    kind = (integration or {}).get("integrationType")
    return kind.get("id") if isinstance(kind, dict) else kind


def _map(parallel, function, items):
    """``function`` over ``items``, up to ``parallel`` at once; the answers in order."""
    return map_in_helpers(function, items, min(int(parallel), MAX_PARALLEL))


def _read_or_error(client, path):
    try:
        return client.get(path), None
    except GenesysCloudError as exc:
        return None, exc


def _failed_reads(what, failures, secrets):
    """One warning for every read of one kind that failed, with the first error (which names a missing permission)."""
    if not failures:
        return []
    return ["%d %s could not be read (%s: %s)" % (len(failures), what, failures[0][0], scrub(str(failures[0][1]), secrets))]


class FunctionTimeouts(object):
    """Which actions are function data actions, and their function's own timeout.

    The listing does not say an action's integration type, so each distinct integration is read once
    (``GET /api/v2/integrations/{integrationId}``, permission ``integrations:integration:view``); then each
    function action's function (``GET .../{id}/function``, ``integrations:actionFunction:view``). A read that
    fails leaves that answer unknown (None) and adds a warning; nothing else is read.
    """

    def __init__(self, types=None, timeouts=None, warnings=None):
        self.types = types or {}  # integration id -> integration type id (None: unknown)
        self.timeouts = timeouts or {}  # function action id -> its function's timeout (None: unknown)
        self.warnings = list(warnings or [])

    @classmethod
    def read(cls, client, actions, parallel=8):
        custom = [a for a in actions if action_kind(a.get("id") or "") == KIND_CUSTOM]
        integration_ids = sorted(set(a.get("integrationId") for a in custom if a.get("integrationId")))
        answers = _map(parallel, lambda i: _read_or_error(client, "%s/%s" % (INTEGRATIONS_PATH, i)), integration_ids)
        types, failed_integrations = {}, []
        for integration_id, (integration, exc) in zip(integration_ids, answers):
            types[integration_id] = None if exc else _integration_type(integration)
            if exc:
                failed_integrations.append((integration_id, exc))
        functions = [a["id"] for a in custom if types.get(a.get("integrationId")) == FUNCTION_INTEGRATION_TYPE]
        answers = _map(parallel, lambda i: _read_or_error(client, action_path(i) + "/function"), functions)
        timeouts, failed_functions = {}, []
        for action_id, (config, exc) in zip(functions, answers):
            timeouts[action_id] = None if exc else function_timeout_of(config)
            if exc:
                failed_functions.append((action_id, exc))
        secrets = client.secrets() if hasattr(client, "secrets") else []
        warnings = (_failed_reads("integration(s), so it is unknown which of their actions are function data actions,",
                                  failed_integrations, secrets)
                    + _failed_reads("function configuration(s) of function data actions", failed_functions, secrets))
        return cls(types, timeouts, warnings)

    def is_function(self, action):
        """True, False, or None when the action's integration could not be read."""
        if action_kind(action.get("id") or "") != KIND_CUSTOM:
            return False
        kind = self.types.get(action.get("integrationId"), False)
        return None if kind is None else kind == FUNCTION_INTEGRATION_TYPE

    def timeout(self, action_id):
        return self.timeouts.get(action_id)

    def integration_type(self, action):
        return self.types.get(action.get("integrationId"))


FunctionChange = namedtuple("FunctionChange", "timeout_seconds version_after")


def set_function_timeout(client, action_id, timeout_seconds):
    """Set a function action's own timeout the one way the API allows: through a draft.

    ``POST .../draft`` (a draft of the action as it is now), ``GET .../draft/function``, ``PUT
    .../draft/function`` with the function's ``description``, ``handler`` and ``runtime`` as read and the new
    ``timeoutSeconds`` (nothing else: the zip stays the upload's, as the Terraform provider sends it), ``GET
    .../draft`` for the draft's version, ``POST .../draft/publish`` with it. Five requests. A publish left
    without an answer (408, 5xx, dropped) is settled by reading (see _publish). When a step after the draft's
    creation fails, the draft is deleted again (best effort), so that no draft of ours is left pending.
    Returns a FunctionChange; raises GenesysCloudError with what happened.
    """
    path = action_path(action_id)
    try:
        client.post(path + "/draft", None)
    except VersionConflictError as exc:
        exc.detail = "a draft of the action already exists (%s); the function's timeout is set through a draft " \
            "and its publication, which would publish that draft too: publish or delete it first" % exc.detail
        exc.args = (exc.message,)
        raise
    except (RequestTimeoutError, OutcomeUnknownError) as exc:
        # The draft may have been made all the same: say which, from a read, rather than leave one unmentioned.
        try:
            client.get(path + "/draft")
            found = "a draft of the action exists now, most likely made by this request: delete it (DELETE " \
                ".../draft) or publish it"
        except NotFoundError:
            found = "no draft was made; nothing changed"
        exc.detail = "%s; %s" % (exc.detail or exc.title, found)
        exc.args = (exc.message,)
        raise
    try:
        config = client.get(path + "/draft/function") or {}
        function = dict(config.get("function") or {})
        missing = [field for field in FUNCTION_REQUIRED_FIELDS if not function.get(field)]
        if missing:
            raise InvalidInputError("the draft's function has no %s, which PUT .../draft/function requires; the "
                                    "function's timeout cannot be set without inventing it" % ", ".join(missing))
        # Only these, as the Terraform provider sends them: "ZipId is set automatically by the upload process, not
        # manually", and name, id and dateCreated are not the PUT's to set either.
        body = dict((field, function[field]) for field in FUNCTION_REQUIRED_FIELDS)
        body["timeoutSeconds"] = timeout_seconds
        answer = client.request("PUT", path + "/draft/function", json_body=body) or {}
        shown = (answer.get("function") or {}).get("timeoutSeconds") if isinstance(answer, dict) else None
        if shown is not None and shown != timeout_seconds:
            raise InvalidInputError("the draft's function was saved with timeout %s s, not %d s" % (shown, timeout_seconds))
        published = _publish(client, path, timeout_seconds)
    except GenesysCloudError as exc:
        try:
            client.request("DELETE", path + "/draft")
            exc.detail = "%s; the draft this run created was deleted again" % (exc.detail or exc.title)
        except GenesysCloudError as cleanup:
            exc.detail = "%s; the draft this run created could not be deleted (%s): delete it (DELETE .../draft)" % (
                exc.detail or exc.title, cleanup.detail or cleanup.title)
        exc.args = (exc.message,)
        raise
    version = published.get("version") if isinstance(published, dict) else None
    if not isinstance(version, int) or isinstance(version, bool):
        version = (client.get(path) or {}).get("version")
    return FunctionChange(timeout_seconds, version)


def _publish(client, path, function_timeout):
    """Publish the draft of ours at ``path`` + /draft with its version (read just before); returns the answer.

    A publish left without an outcome (408, 5xx, dropped) is settled by reading, never resent blindly, at most
    MAX_ATTEMPTS times: a draft gone since was published, when the function now holds ``function_timeout`` (the
    answer is then ``{}``); a draft still at the version sent was not, and is published again; a draft at another
    version was changed by someone else, whose edit is not ours to publish.
    """
    draft = client.get(path + "/draft") or {}
    attempt = 0
    while True:
        attempt += 1
        version = draft.get("version")
        try:
            return client.post(path + "/draft/publish", {"version": version}) or {}
        except (RequestTimeoutError, OutcomeUnknownError, ServerError) as exc:
            if (isinstance(exc, ServerError) and exc.status not in (502, 503, 504)) or attempt >= MAX_ATTEMPTS:
                raise
            unsettled = exc
        try:
            draft = client.get(path + "/draft") or {}
        except NotFoundError:
            held = function_timeout_of(client.get(path + "/function"))
            if held == function_timeout:
                return {}
            unsettled.detail = "%s; the draft is gone since, and the function holds timeout %s s, not %s s" % (
                unsettled.detail or unsettled.title, held, function_timeout)
            unsettled.args = (unsettled.message,)
            raise unsettled
        if draft.get("version") != version:
            unsettled.detail = "%s; the draft is at version %s since, not %s: changed by someone else, so not " \
                "published" % (unsettled.detail or unsettled.title, draft.get("version"), version)
            unsettled.args = (unsettled.message,)
            raise unsettled
        client.pause(attempt)

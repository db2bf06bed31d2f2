# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesyscloud.cx contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Data actions: listing and normalising them, planning timeout changes, and applying them safely."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import collections
import copy
import json
import threading
from collections import namedtuple
from concurrent.futures import ThreadPoolExecutor

from ansible_collections.genesyscloud.cx.plugins.module_utils._interruption import (
    ControllerWatch,
    leave_stop_signals_to_the_main_thread,
    wait_settled,
)
from ansible_collections.genesyscloud.cx.plugins.module_utils._journal import NOT_ATTEMPTED, NoJournal
from ansible_collections.genesyscloud.cx.plugins.module_utils.errors import (
    GenesysCloudError,
    InvalidInputError,
    NotFoundError,
    OutcomeUnknownError,
    PermissionDeniedError,
    RequestTimeoutError,
    RunStoppedError,
    ServerError,
    VersionConflictError,
    scrub,
)

ACTIONS_PATH = "/api/v2/integrations/actions"
DRAFTS_PATH = ACTIONS_PATH + "/drafts"
INTEGRATIONS_PATH = "/api/v2/integrations"
MAX_IDS_PER_REQUEST = 50  # the API's limit for the ids filter
MIN_TIMEOUT, MAX_TIMEOUT = 1, 60
# An action without config.timeoutSeconds runs with the platform default, which is also the maximum
# (Genesys's announcement of the setting: "between 1 and 60 seconds, with a default of 60 seconds").
PLATFORM_DEFAULT_TIMEOUT = 60
MAX_PARALLEL = 32
MAX_ATTEMPTS = 3  # PATCH attempts per action that meet a version conflict (another writer) or a 408
MAX_UNANSWERED = 6  # PATCH attempts per action left unanswered (5xx, dropped) and found not applied

KIND_CUSTOM, KIND_STATIC, KIND_CUSTOM_AUTH = "custom", "static", "custom_auth"
UPDATED, UNCHANGED, WOULD_UPDATE, DRIFTED, FAILED = "updated", "unchanged", "would_update", "drifted", "failed"
# NOT_ATTEMPTED (the journal's word, "not_attempted"): an update a real run planned and never sent, because it
# stopped first or refused to write at all; the action is as it was. Only a dry run reports would_update.
# A plan item's decision before it is carried out; never a result status.
UPDATE = "update"
MODE_EXACT, MODE_AT_LEAST = "exact", "at_least"
DRIFT_FAIL, DRIFT_SKIP, DRIFT_APPLY = "fail", "skip", "apply"

# A config may name its templates by URI instead of carrying them inline; a PATCH must carry them inline, or
# a server that replaces config whole would lose them. (section, inline key, URI key, file name, in words)
TEMPLATES = (("request", "requestTemplate", "requestTemplateUri", "requesttemplate.vm", "request template"),
             ("response", "successTemplate", "successTemplateUri", "successtemplate.vm", "success template"))
# A template is answered as text: the SDK asks for text/plain, the Terraform provider for */*. Never JSON, which a
# server that honours Accept refuses with 406.
TEMPLATE_ACCEPT = "text/plain, */*"

# Function data actions: the function has its own timeout, Function.timeoutSeconds, 1..15 s, 15 when unset.
FUNCTION_INTEGRATION_TYPE = "function-data-actions"
MIN_FUNCTION_TIMEOUT, MAX_FUNCTION_TIMEOUT = 1, 15
FUNCTION_DEFAULT_TIMEOUT = 15
# The fields a Function body must carry on PUT .../draft/function (the API refuses one without them).
FUNCTION_REQUIRED_FIELDS = ("description", "handler", "runtime")

# What to do with an action's pending (unpublished) draft, which would undo the change once published.
DRAFTS_REPORT, DRAFTS_UPDATE, DRAFTS_IGNORE = "report", "update", "ignore"
DRAFTS_CHOICES = (DRAFTS_REPORT, DRAFTS_UPDATE, DRAFTS_IGNORE)
# A draft's status in a result: left as it is (drafts: report, or the run did not act on its action).
DRAFT_KEPT = "kept"


# ---- reading ------------------------------------------------------------------------------------
def action_kind(action_id):
    """custom, static (built-in, not updatable) or custom_auth (timeoutSeconds invalid), from the id."""
    if action_id.startswith("static_"):
        return KIND_STATIC
    if action_id.startswith("customAuth_"):
        return KIND_CUSTOM_AUTH
    return KIND_CUSTOM


def timeout_of(action):
    """config.timeoutSeconds as configured, or None when the action does not set it."""
    config = action.get("config") or {}
    value = config.get("timeoutSeconds")
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def effective_timeout(timeout_seconds):
    """The timeout an action runs with: the configured one, or the platform default (60 s) when unset."""
    return PLATFORM_DEFAULT_TIMEOUT if timeout_seconds is None else timeout_seconds


def show_timeout(timeout_seconds):
    """A configured timeout in words: "5 s", or "unset (60 s)" for the platform default."""
    if timeout_seconds is None:
        return "unset (%d s)" % PLATFORM_DEFAULT_TIMEOUT
    return "%d s" % timeout_seconds


def action_path(action_id):
    return "%s/%s" % (ACTIONS_PATH, action_id)


def summarize(action, include_config=False):
    """The module-facing shape of an Action."""
    summary = {
        "id": action.get("id"),
        "name": action.get("name"),
        "category": action.get("category"),
        "integration_id": action.get("integrationId"),
        "secure": action.get("secure"),
        "version": action.get("version"),
        "timeout_seconds": timeout_of(action),
        "effective_timeout_seconds": effective_timeout(timeout_of(action)),
        "kind": action_kind(action.get("id") or ""),
    }
    if include_config:
        summary["config"] = action.get("config")
    return summary


def list_actions(client, ids=None, name=None, category=None, include_auth_actions=False, page_size=100,
                 path=ACTIONS_PATH):
    """Every action matching the server-side filters, with config, in as few requests as paging allows.

    ``name`` is matched exactly here, since the API's name filter also returns partial matches. ``path``
    DRAFTS_PATH lists the pending drafts instead (the same query).
    """
    params = {"includeConfig": "true"}
    if name:
        params["name"] = name
    if category:
        params["category"] = category
    if include_auth_actions:
        params["includeAuthActions"] = "true"
    if ids:
        actions, seen = [], set()
        for start in range(0, len(ids), MAX_IDS_PER_REQUEST):
            query = dict(params, ids=",".join(ids[start:start + MAX_IDS_PER_REQUEST]))
            for action in client.list_all(path, query, page_size=page_size):
                if action.get("id") not in seen:
                    seen.add(action.get("id"))
                    actions.append(action)
    else:
        actions = client.list_all(path, params, page_size=page_size)
    if name:
        actions = [a for a in actions if a.get("name") == name]
    return actions


def list_drafts(client, action_ids=None, page_size=100):
    """The pending drafts, with config, by action id: of ``action_ids`` through the ids filter while they fit one
    request, else of the whole org (ceil(D / page_size) requests for D drafts). ``[]`` reads nothing.

    Never filtered by name or category: a draft may have renamed or moved its action.
    """
    if action_ids is not None and not action_ids:
        return {}
    ids = list(action_ids) if action_ids is not None and len(action_ids) <= MAX_IDS_PER_REQUEST else None
    drafts = list_actions(client, ids=ids, page_size=page_size, path=DRAFTS_PATH)
    wanted = set(action_ids) if action_ids is not None else None
    return dict((d["id"], d) for d in drafts if d.get("id") and (wanted is None or d["id"] in wanted))


# ---- templates named by URI ---------------------------------------------------------------------
def templates_by_uri(config):
    """The templates ``config`` names only by URI: ``[(section, inline key, file name, in words)]``."""
    missing = []
    for section, inline, uri, file_name, words in TEMPLATES:
        part = (config or {}).get(section)
        if isinstance(part, dict) and part.get(uri) and part.get(inline) is None:
            missing.append((section, inline, file_name, words))
    return missing


def template_text(response):
    """A template answer as text. The API answers the template itself (any content type); one answered as a
    JSON string is decoded, anything else is taken as it came."""
    content_type = (response.headers.get("Content-Type") or "").lower()
    encoding = (response.encoding if "charset=" in content_type else None) or "utf-8"
    text = response.content.decode(encoding, "replace")
    if "json" in content_type:
        try:
            decoded = json.loads(text)
        except ValueError:
            return text
        if isinstance(decoded, str):
            return decoded
    return text


def with_inline_templates(client, action, draft=False):
    """``action`` (a copy) with each template its config names only by URI read and put inline beside the URI;
    the rest of the config exactly as read. ``action`` itself when it names none by URI.

    ``GET .../{id}/templates/{file}`` (``.../draft/templates/{file}`` for a draft), with ``Accept: text/plain, */*``:
    one read per such template, none for an action whose templates are inline. Raises the read's
    GenesysCloudError, with what was missing.
    """
    missing = templates_by_uri(action.get("config"))
    if not missing:
        return action
    complete = copy.deepcopy(action)
    for section, inline, file_name, words in missing:
        path = "%s%s/templates/%s" % (action_path(action["id"]), "/draft" if draft else "", file_name)
        try:
            complete["config"][section][inline] = template_text(
                client.request("GET", path, raw=True, headers={"Accept": TEMPLATE_ACCEPT}))
        except GenesysCloudError as exc:
            exc.detail = "its %s is named only by URI (config.%s.%sUri) and could not be read: %s" % (
                words, section, inline, exc.detail or type(exc).__name__)
            exc.args = (exc.message,)
            raise
    return complete


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
    if not items:
        return []
    with ThreadPoolExecutor(max_workers=max(1, min(int(parallel), MAX_PARALLEL, len(items)))) as pool:
        return list(pool.map(function, items))


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


def sort_by_name(summaries):
    return sorted(summaries, key=lambda s: ((s.get("name") or "").lower(), s.get("name") or "", s.get("id") or ""))


def timeout_at_most(summaries, limit):
    """Actions whose *effective* timeout is at most ``limit`` (unset counts as 60). Custom-auth actions have none."""
    return [s for s in summaries if s["kind"] != KIND_CUSTOM_AUTH and s["effective_timeout_seconds"] <= limit]


def with_explicit_timeout(summaries, explicit):
    """Actions that set config.timeoutSeconds (``explicit`` true) or that leave it to the default (false)."""
    return [s for s in summaries if (s["timeout_seconds"] is not None) == bool(explicit)]


# ---- input --------------------------------------------------------------------------------------
def _whole_number(value):
    """An int, or a string of digits as one; None for anything else (a bool included)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def check_timeout(value, where, allow_null=False):
    """An int 1..60 (a numeric string is accepted), or None when allowed."""
    if value is None:
        if allow_null:
            return None
        raise InvalidInputError("%s is required: an integer from %d to %d." % (where, MIN_TIMEOUT, MAX_TIMEOUT))
    number = _whole_number(value)
    if number is None or not MIN_TIMEOUT <= number <= MAX_TIMEOUT:
        raise InvalidInputError("%s must be an integer from %d to %d%s, got %r." % (
            where, MIN_TIMEOUT, MAX_TIMEOUT, " or null" if allow_null else "", value))
    return number


def check_function_timeout(value, where):
    """An int 1..15 (a numeric string is accepted), or None (leave the function's timeout as it is)."""
    if value is None:
        return None
    number = _whole_number(value)
    if number is None or not MIN_FUNCTION_TIMEOUT <= number <= MAX_FUNCTION_TIMEOUT:
        raise InvalidInputError("%s must be an integer from %d to %d (a function's own timeout), got %r." % (
            where, MIN_FUNCTION_TIMEOUT, MAX_FUNCTION_TIMEOUT, value))
    return number


class UnconfirmedWrite(namedtuple("UnconfirmedWrite", "timeout_seconds version")):
    """A write whose outcome is unknown (its run was interrupted while it was in flight): it sent
    ``timeout_seconds`` to the action at ``version``. It was applied when the action now holds that timeout at a
    newer version; a request that undoes it changes the action only then."""

    __slots__ = ()


class DraftRestore(namedtuple("DraftRestore", "timeout_seconds")):
    """The timeout (None: unset) an action's pending draft is set to, exactly, instead of the action's."""

    __slots__ = ()


def _draft_wanted(request):
    """The timeout a request's pending draft goes to: its own (DraftRestore), else its action's."""
    return request.timeout_seconds if request.draft is None else request.draft.timeout_seconds


class TimeoutRequest(object):
    """One wanted change: an action named by id or exact name, its timeout, and the approved version.

    ``reselect``, for actions chosen by a rule rather than named: called with the action as re-read after
    a concurrent change, it answers ``(still_selected, reason)``, so a run re-decides by its rule.
    ``function_timeout_seconds``: the timeout its function should have, when it is a function data action
    (None leaves the function as it is). ``draft``: a DraftRestore when the action's pending draft goes to a timeout
    of its own (a rollback puts back what the draft held), whatever ``drafts`` says; None otherwise.
    """

    def __init__(self, timeout_seconds, action_id=None, name=None, version=None, reselect=None,
                 function_timeout_seconds=None, unconfirmed=None, draft=None):
        self.action_id = action_id
        self.name = name
        self.timeout_seconds = timeout_seconds
        self.version = version
        self.reselect = reselect
        self.function_timeout_seconds = function_timeout_seconds
        # An UnconfirmedWrite when this request undoes a write whose outcome is unknown, else None.
        self.unconfirmed = unconfirmed
        self.draft = draft
        # Why this selected action is left as it is (no recommendation to go to), or None.
        self.skip = None

    @property
    def label(self):
        return "id %s" % self.action_id if self.action_id else "name %r" % self.name


def _check_updatable_id(action_id, where):
    if not isinstance(action_id, str) or not action_id.strip():
        raise InvalidInputError("%s must be a non-empty string." % where)
    kind = action_kind(action_id)
    if kind == KIND_STATIC:
        raise InvalidInputError("%s %s is a built-in static action; the public API cannot update it. Leave it out: "
                                "only custom actions (custom_-_...) can be set." % (where, action_id))
    if kind == KIND_CUSTOM_AUTH:
        raise InvalidInputError(
            "%s %s is a custom authentication action; timeoutSeconds is invalid for those. Leave it out: set the "
            "timeouts of its integration's other actions." % (where, action_id))
    return action_id


def _unconfirmed_write(value, where):
    """An UnconfirmedWrite from an actions entry's ``unconfirmed_write`` ({timeout_seconds, version}), or None."""
    if value is None:
        return None
    if not isinstance(value, dict):
        raise InvalidInputError("%s must be a dictionary with timeout_seconds and version." % where)
    version = value.get("version")
    if version is None or isinstance(version, bool) or not isinstance(version, int):
        raise InvalidInputError("%s.version must be an integer (the version the write was sent with), got %r."
                                % (where, version))
    return UnconfirmedWrite(check_timeout(value.get("timeout_seconds"), where + ".timeout_seconds", allow_null=True),
                            version)


def timeout_requests(params):
    """Validate the module's selector options into TimeoutRequests, before any request is sent."""
    selectors = [k for k in ("id", "name", "ids", "actions") if params.get(k) is not None]
    if len(selectors) != 1:
        raise InvalidInputError("Give exactly one of id, name, ids or actions (got %s)." % (
            ", ".join(selectors) or "none"))
    selector = selectors[0]
    mode = params.get("mode") or MODE_EXACT
    if selector == "actions":
        for key in ("timeout_seconds", "function_timeout_seconds"):
            if params.get(key) is not None:
                raise InvalidInputError("%s goes inside each entry of actions, not beside it." % key)
        entries = params["actions"]
        # With list_all an empty list is a plan or a rollback with nothing left to do: it reports the org.
        if not entries and not params.get("list_all"):
            raise InvalidInputError("actions must not be empty (with list_all, an empty list reports the org and "
                                    "changes nothing).")
        wanted = []
        for index, entry in enumerate(entries):
            where = "actions[%d]" % index
            if not isinstance(entry, dict):
                raise InvalidInputError("%s must be a dictionary." % where)
            if bool(entry.get("id")) == bool(entry.get("name")):
                raise InvalidInputError("%s needs exactly one of id or name." % where)
            if "timeout_seconds" not in entry:
                raise InvalidInputError("%s.timeout_seconds is required (null removes the setting)." % where)
            timeout = check_timeout(entry.get("timeout_seconds"), where + ".timeout_seconds", allow_null=True)
            if timeout is None and mode == MODE_AT_LEAST:
                raise InvalidInputError("%s.timeout_seconds is null, which mode at_least cannot raise to." % where)
            version = entry.get("version")
            if version is not None and (isinstance(version, bool) or not isinstance(version, int)):
                raise InvalidInputError("%s.version must be an integer, got %r." % (where, version))
            function_timeout = check_function_timeout(entry.get("function_timeout_seconds"),
                                                      where + ".function_timeout_seconds")
            unconfirmed = _unconfirmed_write(entry.get("unconfirmed_write"), where + ".unconfirmed_write")
            draft = entry.get("draft")
            if draft is not None:
                if not isinstance(draft, dict) or "timeout_seconds" not in draft:
                    raise InvalidInputError("%s.draft must be a dictionary with timeout_seconds (null: unset)." % where)
                draft = DraftRestore(check_timeout(draft.get("timeout_seconds"), where + ".draft.timeout_seconds",
                                                   allow_null=True))
            if entry.get("id"):
                wanted.append(TimeoutRequest(timeout, action_id=_check_updatable_id(entry["id"], where + ".id"),
                                             version=version, function_timeout_seconds=function_timeout,
                                             unconfirmed=unconfirmed, draft=draft))
            else:
                wanted.append(TimeoutRequest(timeout, name=entry["name"], version=version,
                                             function_timeout_seconds=function_timeout, unconfirmed=unconfirmed,
                                             draft=draft))
    else:
        timeout = check_timeout(params.get("timeout_seconds"), "timeout_seconds")
        if selector == "ids":
            if not params["ids"]:
                raise InvalidInputError("ids must not be empty.")
            wanted = [TimeoutRequest(timeout, action_id=_check_updatable_id(i, "ids[%d]" % n))
                      for n, i in enumerate(params["ids"])]
        elif selector == "id":
            wanted = [TimeoutRequest(timeout, action_id=_check_updatable_id(params["id"], "id"))]
        else:
            if not params["name"].strip():
                raise InvalidInputError("name must not be empty.")
            wanted = [TimeoutRequest(timeout, name=params["name"])]
        function_timeout = check_function_timeout(params.get("function_timeout_seconds"), "function_timeout_seconds")
        for request in wanted:
            request.function_timeout_seconds = function_timeout
    labels = [w.label for w in wanted]
    duplicates = sorted(set(label for label in labels if labels.count(label) > 1))
    if duplicates:
        raise InvalidInputError("Each action may appear once; repeated: %s." % ", ".join(duplicates))
    return wanted


def read_for_requests(client, wanted, page_size=100):
    """List exactly what the requests need, in the fewest requests: the ids filter, the name filter, or all."""
    ids = [w.action_id for w in wanted if w.action_id]
    names = [w.name for w in wanted if w.name]
    if not names and len(ids) <= MAX_IDS_PER_REQUEST:
        return list_actions(client, ids=ids, page_size=page_size)
    if not ids and len(names) == 1:
        return list_actions(client, name=names[0], page_size=page_size)
    # Past one ids request, one pass over the whole org costs ceil(N / page_size) and serves any mix.
    return list_actions(client, page_size=page_size)


def resolve(wanted, actions):
    """Pair every request with its one action; raise naming every entry that matches none or several: NotFoundError
    when every problem is an action that does not exist, InvalidInputError otherwise (a name several actions share
    was found, several times over)."""
    by_id = dict((a.get("id"), a) for a in actions)
    problems, pairs = [], []
    missing = 0
    for request in wanted:
        if request.action_id:
            action = by_id.get(request.action_id)
            if action is None:
                problems.append("no data action has id %s" % request.action_id)
                missing += 1
                continue
        else:
            matches = [a for a in actions if a.get("name") == request.name]
            if not matches:
                problems.append("no data action is named %r" % request.name)
                missing += 1
                continue
            if len(matches) > 1:
                problems.append("%d data actions are named %r (ids %s); select them by id" % (
                    len(matches), request.name, ", ".join(sorted(a.get("id") for a in matches))))
                continue
            action = matches[0]
            kind = action_kind(action.get("id") or "")
            if kind != KIND_CUSTOM:
                problems.append("%r is a %s action (%s), whose timeout cannot be updated" % (
                    request.name, kind.replace("_", " "), action.get("id")))
                continue
        if not isinstance(action.get("config"), dict) or not isinstance(action.get("version"), int):
            problems.append("the listing returned %s without its config or version" % action.get("id"))
            continue
        pairs.append((request, action))
    if problems and missing == len(problems):
        raise NotFoundError("; ".join(problems), hint="Nothing was changed. " + NotFoundError.hint)
    if problems:
        raise InvalidInputError("The actions asked for cannot all be updated: %s. Nothing was changed.%s" % (
            "; ".join(problems), " " + NotFoundError.hint if missing else ""))
    return pairs


# ---- planning -----------------------------------------------------------------------------------
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
        """(result, attempted): attempted False when the run stopped before the action's first write."""
        action = item.action
        try:
            return self._update(client, item), True
        except _NotAttempted as stop:
            return self._not_attempted(item, stop.reason), False
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
                entity = self._reread(client, path)
                continue
            except (OutcomeUnknownError, ServerError) as exc:
                # The PATCH may have applied: settle it by reading, never by sending it blindly again.
                fresh = self._reread(client, path)
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
            return self._verified(client, path, before, desired, body, answer, msg + note)

    @staticmethod
    def _reread(client, path):
        return client.get(path, {"includeConfig": "true"})

    def _verified(self, client, path, before, desired, body, answer, msg):
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
        fresh = self._reread(client, path)
        if _shows(fresh, desired, body["version"]):
            return Outcome(UPDATED, msg + "; confirmed by re-reading, as the answer had no config", before, desired,
                           fresh.get("version"), True)
        return Outcome(FAILED, "the update was accepted, but a re-read shows timeout %s and version %s (sent %s with "
                       "version %s); check the action and the server's config patch semantics" % (
                           show_timeout(timeout_of(fresh)), fresh.get("version"), show_timeout(desired), body["version"]),
                       before, timeout_of(fresh), fresh.get("version"), False)


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
    they change. ``{}`` when nothing changes.

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
        lines.append(line)
    return {"prepared": "\n".join(lines) + "\n"} if lines else {}


def failure_summary(results, on_drift):
    """A one-line summary when the run must fail (failed actions, or drift with on_drift: fail); else None."""
    failed = [r for r in results if r["status"] == FAILED]
    drifted = [r for r in results if r["status"] == DRIFTED] if on_drift == DRIFT_FAIL else []
    if not failed and not drifted:
        return None
    counts = {}
    for result in results:
        counts[result["status"]] = counts.get(result["status"], 0) + 1
    parts = []
    if failed:
        parts.append("%d failed (%s)" % (len(failed), "; ".join(
            "%s: %s" % (r["id"], r["msg"]) for r in failed[:3]) + ("; ..." if len(failed) > 3 else "")))
    if drifted:
        parts.append("%d drifted from the approved version (%s)" % (
            len(drifted), ", ".join(r["id"] for r in drifted[:10]) + (", ..." if len(drifted) > 10 else "")))
    return "%s. Totals: %s. Every result is in results." % (
        "; ".join(parts), ", ".join("%s %d" % (k, counts[k]) for k in sorted(counts)))

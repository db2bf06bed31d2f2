# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesyscloud.cx contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Typed errors; each message names the request, its correlation id and the user's next step."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import re

REDACTED = "********"

# Permission names look like domain:entity:action (integrations:action:edit).
_PERMISSION_RE = re.compile(r"\b[a-zA-Z]+:[a-zA-Z]+:[a-zA-Z*]+\b")
# Words of a text, camelCase and snake_case split: "currentVersion" and "version.mismatch" hold "version",
# "subversion" does not.
_WORD_RE = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])")
# Token creation throttling: 400 invalid_request whose description starts with this (in either field).
TOKEN_THROTTLED_PREFIX = "rate limit exceeded"
_MAX_DETAIL = 300

# When a 403 body names nothing: the permissions the fact sheet lists for the call, any one of which suffices.
# (method, path suffix after /api/v2/integrations/actions/{id}, or None for any other path) -> permissions.
_VIEW = ("integrations:action:view", "bridge:actions:view")
_EDIT = ("integrations:action:edit",)
_EXECUTE = ("integrations:action:execute", "bridge:actions:execute")
_ACTION_CALL_PERMISSIONS = (
    ("GET", "/function", ("integrations:actionFunction:view",)),
    ("GET", "/draft/function", ("integrations:actionFunction:view",)),
    ("PUT", "/draft/function", ("integrations:actionFunction:edit",)),
    ("POST", "/draft/function/upload", ("integrations:actionFunction:edit",)),
    ("POST", "/draft/publish", _EDIT),
    ("GET", "/draft/validation", _EDIT),
    ("POST", "/draft/test", ("integrations:action:execute",)),
    ("POST", "/test", _EXECUTE),
    ("POST", "/execute", _EXECUTE),
    ("DELETE", "/draft", ("integrations:action:delete",)),
    ("POST", "/draft", _EDIT),
    ("PATCH", "/draft", _EDIT),
    ("PATCH", "", _EDIT),
)
_ACTIONS_PREFIX = "/api/v2/integrations/actions"
_DEPENDENCY_TRACKING_PREFIX = "/api/v2/architect/dependencytracking"


def permissions_for(method, path):
    """The permissions the fact sheet lists for a call (any one suffices), for a 403 whose body names none."""
    path = (path or "").split("?", 1)[0].rstrip("/")
    if method == "POST" and path in (_ACTIONS_PREFIX, _ACTIONS_PREFIX + "/drafts"):
        return list(_EDIT)  # creating an action or a draft
    if path.startswith(_DEPENDENCY_TRACKING_PREFIX):
        return ["architect:dependencyTracking:view"]
    if path == _ACTIONS_PREFIX + "/functions/runtimes":
        return ["integrations:actionFunction:view"]
    if path.startswith(_ACTIONS_PREFIX + "/"):
        rest = path[len(_ACTIONS_PREFIX) + 1:]
        tail = rest[rest.index("/"):] if "/" in rest else ""
        for call_method, suffix, permissions in _ACTION_CALL_PERMISSIONS:
            if method == call_method and tail == suffix:
                return list(permissions)
        return list(_VIEW)  # listings, get, drafts, templates
    if path.startswith("/api/v2/integrations/") and path != _ACTIONS_PREFIX:
        return ["integrations:integration:view"]
    return list(_VIEW)  # the analytics query


def scrub(text, secrets):
    """Replace every secret occurring in text with a placeholder."""
    if text is None:
        return text
    text = str(text)
    for secret in secrets or ():
        if secret and len(secret) >= 4:
            text = text.replace(secret, REDACTED)
    return text


class GenesysCloudError(Exception):
    """Base class. ``str(error)`` is the complete, user-facing message."""

    title = "Genesys Cloud request failed"
    hint = None

    def __init__(self, detail=None, status=None, method=None, path=None, correlation_id=None,
                 hint=None, body=None):
        self.detail = detail
        self.status = status
        self.method = method
        self.path = path
        self.correlation_id = correlation_id
        self.body = body
        if hint is not None:
            self.hint = hint
        super(GenesysCloudError, self).__init__(self.message)

    @property
    def message(self):
        parts = [self.title]
        where = []
        if self.status is not None:
            where.append("HTTP %s" % self.status)
        if self.method and self.path:
            where.append("%s %s" % (self.method, self.path))
        if self.correlation_id:
            where.append("correlation id %s" % self.correlation_id)
        text = parts[0]
        if where:
            text += " (%s)" % ", ".join(where)
        if self.detail:
            text += ": %s" % self.detail
        if self.hint:
            text += ". " + self.hint if not text.endswith(".") else " " + self.hint
        return text

    def __str__(self):
        return self.message

    def redact(self, secrets):
        """Remove secrets from every text the error carries; returns self."""
        self.detail = scrub(self.detail, secrets)
        self.path = scrub(self.path, secrets)
        self.hint = scrub(self.hint, secrets)
        self.body = None
        self.args = (self.message,)
        return self


class InvalidInputError(GenesysCloudError):
    title = "Invalid input"

    def __init__(self, detail, **kwargs):
        super(InvalidInputError, self).__init__(detail, **kwargs)

    @property
    def message(self):
        return self.detail


class AuthenticationError(GenesysCloudError):
    title = "Authentication failed"
    hint = ("Check client_id and client_secret (or access_token), and that region or api_base_url "
            "points at the org the OAuth client belongs to.")


class PermissionDeniedError(GenesysCloudError):
    title = "Permission denied"

    def __init__(self, detail=None, permissions=None, **kwargs):
        self.permissions = list(permissions or [])
        if self.permissions and "hint" not in kwargs:
            kwargs["hint"] = ("Give the OAuth client a role with one of these permissions: %s."
                              % ", ".join(self.permissions))
        super(PermissionDeniedError, self).__init__(detail, **kwargs)


class NotFoundError(GenesysCloudError):
    title = "Not found"
    hint = "Check the id or name (data_action_info lists what exists), and the org the credentials belong to."


class VersionConflictError(GenesysCloudError):
    title = "Version conflict"
    hint = "Someone changed the data action meanwhile; read it again and decide on the current version."


class RateLimitedError(GenesysCloudError):
    title = "Rate limited"
    # The pace, not the number of requests in flight, decides how many requests a minute are sent.
    hint = ("Lower requests_per_minute (the role: genesyscloud_requests_per_minute) when other tools share the "
            "OAuth client or the org's limit, or retry later.")


class RequestTimeoutError(GenesysCloudError):
    """408: the server stopped waiting for the request; a write may or may not have been applied."""

    title = "Request timed out"
    hint = "The server gave up on the request; read the data action again to see whether it was applied."


class RunStoppedError(GenesysCloudError):
    """The run was stopped (a signal, its controller gone) while the request waited its turn: it was not sent."""

    title = "Not sent"
    hint = "The run was stopped; nothing more is sent."


class ServerError(GenesysCloudError):
    title = "Genesys Cloud server error"
    hint = "Retry later; if it persists, quote the correlation id to Genesys support."


class OutcomeUnknownError(GenesysCloudError):
    """A write was sent but no usable answer came back: it may or may not have been applied."""

    title = "No answer to a write request"
    hint = "Read the data action again to see whether the change was applied."


class ConnectionFailedError(GenesysCloudError):
    title = "Could not reach Genesys Cloud"
    hint = "Check region or api_base_url, proxies, validate_certs/ca_path and network access."


class InvalidResponseError(GenesysCloudError):
    title = "Unexpected response from Genesys Cloud"
    hint = "Check that api_base_url points at the Genesys Cloud API."


class ApiError(GenesysCloudError):
    title = "Genesys Cloud refused the request"


def body_message(body):
    """The human-readable message of an ErrorBody or OAuth error body, shortened."""
    if not isinstance(body, dict):
        return None
    for key in ("message", "error_description", "description", "error"):
        value = body.get(key)
        if value:
            text = str(value)
            return text if len(text) <= _MAX_DETAIL else text[:_MAX_DETAIL] + "..."
    return None


def is_version_conflict(status, body):
    """409, or a 400 whose code, message or details speak of the version.

    Never one exact sentence: the real wording is not documented (the Terraform provider matches "does not
    match the current version"; another server may say the version "is stale"), so the word is enough.
    """
    if status == 409:
        return True
    if status != 400 or not isinstance(body, dict):
        return False
    texts = [str(body.get(key) or "") for key in ("code", "message", "messageWithParams")]
    for detail in body.get("details") or []:
        if isinstance(detail, dict):
            texts.extend(str(detail.get(key) or "") for key in ("errorCode", "fieldName"))
    return any("version" in (word.lower() for word in _WORD_RE.findall(text)) for text in texts)


def is_token_throttled(status, body):
    """Token creation throttled: 429, or 400 whose ``description`` or ``error_description`` starts with
    "rate limit exceeded" (which field carries it is not documented: look in both)."""
    if status == 429:
        return True
    if status != 400 or not isinstance(body, dict):
        return False
    return any(str(body.get(key) or "").strip().lower().startswith(TOKEN_THROTTLED_PREFIX)
               for key in ("description", "error_description", "message"))


def permissions_in(body):
    """Permission names a 403 body mentions, in order, without duplicates."""
    if not isinstance(body, dict):
        return []
    texts = [str(body.get("message") or ""), str(body.get("messageWithParams") or "")]
    params = body.get("messageParams")
    if isinstance(params, dict):
        texts.extend(str(v) for v in params.values())
    for detail in body.get("details") or []:
        if isinstance(detail, dict):
            texts.extend(str(v) for v in detail.values())
    found = []
    for text in texts:
        for name in _PERMISSION_RE.findall(text):
            if name not in found:
                found.append(name)
    return found


def error_from_response(status, method, path, body, correlation_id=None):
    """Map an HTTP error answer to the matching typed error."""
    detail = body_message(body)
    kwargs = dict(status=status, method=method, path=path, correlation_id=correlation_id, body=body)
    if is_version_conflict(status, body):
        return VersionConflictError(detail, **kwargs)
    if status == 401:
        return AuthenticationError(detail, **kwargs)
    if status == 403:
        permissions = permissions_in(body) or permissions_for(method, path)
        return PermissionDeniedError(detail, permissions=permissions, **kwargs)
    if status == 404:
        return NotFoundError(detail, **kwargs)
    if status == 408:
        return RequestTimeoutError(detail, **kwargs)
    if status == 429:
        return RateLimitedError(detail, **kwargs)
    if status >= 500:
        return ServerError(detail, **kwargs)
    return ApiError(detail, **kwargs)

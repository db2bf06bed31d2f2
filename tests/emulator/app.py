# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesyscloud.cx contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The aiohttp application: OAuth, data actions, analytics, and the /__emulator inspection surface."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import asyncio
import base64
import binascii
import copy
import gc
import json
import math
import random
import secrets
import sys
import time
import traceback
import uuid
from urllib.parse import urlencode

from aiohttp import web

from .analytics import AnalyticsSwitches, run_query
from .dependencies import BUILD_PATH, CONSUMING_PATH, DEPENDENCY_VIEW, DependencySwitches, build_status, consuming_resources
from .faults import RATE_WINDOWS, FaultPlan, SpecError, admit, parse_rate_limit
from .world import (DEFAULT_REQUEST_TEMPLATE, DEFAULT_SUCCESS_TEMPLATE, FUNCTION_TIMEOUT_DEFAULT, History, SeedError,
                    World, action_self_uri, add_draft, integration_body, pending_draft_timeout,
                    share_of_custom_actions)

VIEW = ("integrations:action:view", "bridge:actions:view")
EDIT = ("integrations:action:edit",)
DELETE = ("integrations:action:delete",)
EXECUTE = ("integrations:action:execute", "bridge:actions:execute")
# The draft test accepts only integrations:action:execute (the fact sheet; bridge:actions:execute does not do).
DRAFT_EXECUTE = ("integrations:action:execute",)
FUNCTION_VIEW = ("integrations:actionFunction:view",)
FUNCTION_EDIT = ("integrations:actionFunction:edit",)
INTEGRATION_VIEW = ("integrations:integration:view",)
# Fields a `Function` body of PUT .../draft/function must carry (the SDK's model; the API refuses it otherwise).
FUNCTION_REQUIRED = ("description", "handler", "runtime")

PATCH_ANSWERS = ("with-config", "without-config")
CONFLICT_WORDINGS = ("a", "b")
TOKEN_THROTTLE_FIELDS = ("description", "error_description", "both")
SORTABLE = ("id", "name", "category", "integrationId", "version", "secure")
# POSTs that read only; every other non-GET /api/v2 request is logged as a write.
READ_ONLY_ROUTES = frozenset(("POST /oauth/token", "POST /api/v2/analytics/actions/aggregates/query"))

_ACTIONS = "/api/v2/integrations/actions"
_ONE = _ACTIONS + "/{actionId}"
# (method, path template, handler method name, permissions of which any one suffices; None: no token needed)
ROUTES = (
    ("POST", "/oauth/token", "oauth_token", None),
    ("GET", _ACTIONS, "list_actions", VIEW),
    ("GET", _ACTIONS + "/drafts", "list_drafts", VIEW),
    ("GET", _ONE, "get_action", VIEW),
    ("PATCH", _ONE, "patch_action", EDIT),
    ("POST", _ONE + "/draft", "create_draft", EDIT),
    ("GET", _ONE + "/draft", "get_draft", VIEW),
    ("PATCH", _ONE + "/draft", "patch_draft", EDIT),
    ("DELETE", _ONE + "/draft", "delete_draft", DELETE),
    ("POST", _ONE + "/draft/publish", "publish_draft", EDIT),
    ("GET", _ONE + "/draft/validation", "validate_draft", EDIT),
    ("GET", _ONE + "/templates/{fileName}", "get_template", VIEW),
    ("GET", _ONE + "/draft/templates/{fileName}", "get_draft_template", VIEW),
    ("POST", _ONE + "/test", "test_action", EXECUTE),
    ("POST", _ONE + "/draft/test", "test_draft", DRAFT_EXECUTE),
    ("POST", _ONE + "/execute", "execute_action", EXECUTE),
    ("GET", _ONE + "/function", "get_function", FUNCTION_VIEW),
    ("GET", _ONE + "/draft/function", "get_draft_function", FUNCTION_VIEW),
    ("PUT", _ONE + "/draft/function", "put_draft_function", FUNCTION_EDIT),
    ("GET", "/api/v2/integrations/{integrationId}", "get_integration", INTEGRATION_VIEW),
    ("POST", "/api/v2/analytics/actions/aggregates/query", "analytics_query", VIEW),
    ("GET", CONSUMING_PATH, "consuming_resources", DEPENDENCY_VIEW),
    ("GET", BUILD_PATH, "dependency_build", DEPENDENCY_VIEW),
    ("GET", "/__emulator/state", "emu_state", None),
    ("GET", "/__emulator/executions", "emu_executions", None),
    ("GET", "/__emulator/requests", "emu_requests", None),
    ("POST", "/__emulator/requests/clear", "emu_clear", None),
    ("POST", "/__emulator/reset", "emu_reset", None),
    ("POST", "/__emulator/admin-edit", "emu_admin_edit", None),
    ("GET", "/__emulator/config", "emu_get_config", None),
    ("POST", "/__emulator/config", "emu_config", None),
)
# Routes a seed client may be refused with `forbidden`: every /api/v2 route.
API_ROUTES = frozenset("%s %s" % (m, p) for m, p, _h, _p in ROUTES if p.startswith("/api/v2/"))
# Routes whose log entry carries the parsed JSON body, so tests can assert on what a client asked (and sent).
BODY_LOGGED_ROUTES = frozenset((
    "POST /api/v2/analytics/actions/aggregates/query",
    "POST " + _ONE + "/test",
    "POST " + _ONE + "/draft/test",
    "POST " + _ONE + "/execute",
    "PATCH " + _ONE,
    "PATCH " + _ONE + "/draft",
    "POST " + _ONE + "/draft/publish",
    "PUT " + _ONE + "/draft/function",
))
# A template is answered as text/plain (the SDK asks for text/plain, the Terraform provider for */*).
TEMPLATE_MEDIA_TYPE = "text/plain"


def check_forbidden_routes(world):
    """Raise SeedError when a client's `forbidden` names a route the emulator does not serve."""
    for org in world.orgs.values():
        for client_id, client in org.clients.items():
            unknown = sorted(client.get("forbidden", set()) - API_ROUTES)
            if unknown:
                raise SeedError("org %r client %r: forbidden names unknown route(s) %s; routes look like %r"
                                % (org.id, client_id, ", ".join(unknown),
                                   "POST /api/v2/analytics/actions/aggregates/query"))


class ApiError(Exception):
    """Becomes an ErrorBody response."""

    def __init__(self, status, code, message, details=None, params=None, entity_id=None, entity_name=None,
                 headers=None, message_with_params=None, bare=False):
        super(ApiError, self).__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.details = details or []
        self.params = params or {}
        self.entity_id = entity_id
        self.entity_name = entity_name
        self.headers = headers or {}
        self.message_with_params = message_with_params or message
        # The normalized 429 body has only message, code, status, contextId, details and errors.
        self.bare = bare


def bad_request(message, field=None, error_code="invalid.value"):
    details = [{"errorCode": error_code, "fieldName": field}] if field else []
    return ApiError(400, "bad.request", message, details=details)


def not_found(message, entity_id=None):
    return ApiError(404, "not.found", message, entity_id=entity_id)


def error_body(err, context_id):
    if err.bare:
        return {"message": err.message, "code": err.code, "status": err.status, "contextId": context_id,
                "details": err.details, "errors": []}
    body = {
        "message": err.message,
        "code": err.code,
        "status": err.status,
        "messageWithParams": err.message_with_params,
        "messageParams": err.params,
        "contextId": context_id,
        "details": err.details,
        "errors": [],
    }
    if err.entity_id:
        body["entityId"] = err.entity_id
    if err.entity_name:
        body["entityName"] = err.entity_name
    return body


def accept_allows(header, media_type=TEMPLATE_MEDIA_TYPE):
    """Whether an ``Accept`` header allows ``media_type`` (RFC 9110, 12.5.1): of the media ranges that match it
    (``text/plain``, ``text/*``, ``*/*``), the most specific decides, and its ``q=0`` refuses; no header (or an
    empty one) allows anything. A range whose q is not a number counts as refusing."""
    if header is None or not header.strip():
        return True
    kind = media_type.split("/", 1)[0]
    best = None  # (specificity, q) of the most specific matching range
    for item in header.split(","):
        fields = item.split(";")
        media_range = fields[0].strip().lower()
        if media_range == media_type:
            specificity = 2
        elif media_range == kind + "/*":
            specificity = 1
        elif media_range == "*/*":
            specificity = 0
        else:
            continue
        quality = 1.0
        for parameter in fields[1:]:
            name, _sep, value = parameter.partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = float(value.strip())
                except ValueError:
                    quality = 0.0
        if best is None or specificity > best[0] or (specificity == best[0] and quality > best[1]):
            best = (specificity, quality)
    return best is not None and best[1] > 0


def _json_response(body, status=200, headers=None):
    # Compact separators: a 10,000-action analytics answer is a tenth smaller and quicker to encode. An answer is
    # a tree built for it, never a cycle: not checking for one saves a fifth of a large answer's encoding.
    raw = json.dumps(body, separators=(",", ":"), check_circular=False).encode("utf-8")
    return web.Response(body=raw, status=status, headers=headers, content_type="application/json")


async def _json_body(request, required=True):
    """Parse a JSON object body; malformed or non-object bodies are a 400, never a 500."""
    raw = await request.read()
    if not raw.strip():
        if required:
            raise bad_request("A request body is required.", field="body", error_code="missing.body")
        return {}
    try:
        parsed = json.loads(raw.decode("utf-8"))
    except (ValueError, UnicodeDecodeError):
        raise bad_request("The request body could not be parsed as JSON.", field="body",
                          error_code="malformed.json")
    if not isinstance(parsed, dict):
        raise bad_request("The request body must be a JSON object.", field="body", error_code="invalid.type")
    return parsed


async def _peek_json(request):
    """The parsed JSON body for the request log, or None; the handler still reads and checks it itself."""
    raw = await request.read()
    try:
        return json.loads(raw.decode("utf-8")) if raw.strip() else None
    except (ValueError, UnicodeDecodeError):
        return None


def _is_int(value):
    return isinstance(value, int) and not isinstance(value, bool)


def _is_share(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool) and 0 <= value <= 1


def _q_int(query, name, default, low, high=None):
    raw = query.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise bad_request("Query parameter %s must be an integer." % name, field=name)
    if value < low or (high is not None and value > high):
        limit = "between %d and %d" % (low, high) if high is not None else "at least %d" % low
        raise bad_request("Query parameter %s must be %s; got %d." % (name, limit, value), field=name)
    return value


def _q_bool(query, name, default=None):
    raw = query.get(name)
    if raw is None or raw == "":
        return default
    lowered = raw.lower()
    if lowered not in ("true", "false"):
        raise bad_request("Query parameter %s must be true or false." % name, field=name)
    return lowered == "true"


def _deep_merge(target, patch):
    """JSON-merge-patch style: objects merge, null deletes, everything else replaces."""
    for key, value in patch.items():
        if value is None:
            target.pop(key, None)
        elif isinstance(value, dict) and isinstance(target.get(key), dict):
            _deep_merge(target[key], value)
        else:
            target[key] = copy.deepcopy(value)
    return target


def _validate_config(config, action_id, field="config"):
    """Check an incoming ActionConfig; raise 400 naming the offending field."""
    if not isinstance(config, dict):
        raise bad_request("config must be an object.", field=field, error_code="invalid.type")
    if "timeoutSeconds" in config:
        timeout = config["timeoutSeconds"]
        if action_id.startswith("customAuth_"):
            raise bad_request("timeoutSeconds is invalid for Custom Authentication Actions.",
                              field=field + ".timeoutSeconds", error_code="invalid.property")
        if timeout is not None and (not _is_int(timeout) or not 1 <= timeout <= 60):
            raise bad_request("timeoutSeconds must be an integer between 1 and 60; got %s." % json.dumps(timeout),
                              field=field + ".timeoutSeconds")
    for part in ("request", "response"):
        if part in config and config[part] is not None and not isinstance(config[part], dict):
            raise bad_request("%s must be an object." % part, field="%s.%s" % (field, part),
                              error_code="invalid.type")
    for part, inline in (("request", "requestTemplate"), ("response", "successTemplate")):
        section = config.get(part)
        if isinstance(section, dict) and section.get(inline) is not None and not isinstance(section[inline], str):
            raise bad_request("%s must be a string." % inline, field="%s.%s.%s" % (field, part, inline),
                              error_code="invalid.type")
    request_part = config.get("request") or {}
    if "headers" in request_part and request_part["headers"] is not None and not isinstance(request_part["headers"], dict):
        raise bad_request("headers must be an object of strings.", field=field + ".request.headers",
                          error_code="invalid.type")


# fileName of the template endpoints -> (config part, inline field, URI field, platform default).
TEMPLATE_FILES = {
    "requesttemplate.vm": ("request", "requestTemplate", "requestTemplateUri", DEFAULT_REQUEST_TEMPLATE),
    "successtemplate.vm": ("response", "successTemplate", "successTemplateUri", DEFAULT_SUCCESS_TEMPLATE),
}


def config_by_uri(config, self_uri):
    """The config as listed for an action whose templates are given by URI: each inline template that is
    stored is replaced by the URI of its template endpoint (`<selfUri>/templates/<fileName>`)."""
    view = dict(config)
    for file_name, (part, inline, uri_field, _default) in TEMPLATE_FILES.items():
        section = config.get(part)
        if isinstance(section, dict) and inline in section:
            section = dict(section)
            del section[inline]
            section[uri_field] = "%s/templates/%s" % (self_uri, file_name)
            view[part] = section
    return view


def action_view(action, include_config, include_contract, by_uri=False):
    """The Action as the API returns it: config only with includeConfig, contract only with expand; with
    `by_uri` (--templates-by-uri chose this action) its templates as URIs instead of inline."""
    view = {
        "id": action["id"], "name": action["name"], "integrationId": action["integrationId"],
        "category": action["category"], "version": action["version"], "secure": action["secure"],
        "selfUri": action["selfUri"],
    }
    if include_contract:
        view["contract"] = action["contract"]
    if include_config:
        view["config"] = config_by_uri(action["config"], action["selfUri"]) if by_uri else action["config"]
    return view


class Emulator:
    """Holds the world, the switches, tokens and the request log; builds the aiohttp app."""

    def __init__(self, world, options):
        check_forbidden_routes(world)
        self.initial_world = world.freeze()
        self.world = world
        self.random_seed = options.random_seed
        self.fault_rng = random.Random("faults/%s" % options.random_seed)
        self.faults = FaultPlan(options.faults)
        self.rate_window = options.rate_window
        self.count_refused = options.count_refused
        self.rate_limit = parse_rate_limit(options.rate_limit, self.rate_window)
        self.org_rate_limit = parse_rate_limit(options.org_rate_limit, self.rate_window)
        # Token creation keeps a fixed window from the client's first token request.
        self.token_rate_limit = parse_rate_limit(options.token_rate_limit, "fixed")
        self.latency_ms = options.latency_ms
        self.patch_semantics = options.patch_semantics
        self.conflict_status = options.conflict_status
        self.token_ttl = options.token_ttl
        self.time_scale = options.time_scale
        self.unset_timeout_seconds = options.unset_timeout_seconds
        self.patch_answer = options.patch_answer
        self.templates_by_uri = options.templates_by_uri
        self._by_uri_cache = {}  # (org id, share) -> frozenset of action ids listed with template URIs
        self.pending_drafts = options.pending_drafts
        self._switch_drafts = {}  # (org id, action id) -> the draft dict --pending-drafts made
        self._apply_pending_drafts()
        self.conflict_wording = options.conflict_wording
        self.token_throttle_field = options.token_throttle_field
        self.omit_retry_after = options.omit_retry_after
        self.omit_retry_seconds = options.omit_retry_seconds
        self.analytics = AnalyticsSwitches(options)
        self.dependencies = DependencySwitches(options)
        self.started_ms = int(time.time() * 1000)
        self.analytics.apply(self.world, self.random_seed, self.unset_timeout_seconds, restore=False)
        self.tokens = {}         # token -> (org id, client id, expiry monotonic)
        self.log = []
        self.seq = 0
        self.pending_edits = {}  # (org id, action id) -> [edit, ...]

    # ------------------------------------------------------------ plumbing

    def build_app(self):
        app = web.Application(middlewares=[self._middleware], client_max_size=2 * 1024 * 1024)
        self.permissions = {}
        for method, path, handler, permissions in ROUTES:
            app.router.add_route(method, path, getattr(self, handler))
            self.permissions["%s %s" % (method, path)] = permissions
        return app

    @web.middleware
    async def _middleware(self, request, handler):
        path = request.path
        if path.startswith("/__emulator/"):
            try:
                return await handler(request)
            except ApiError as err:
                return _json_response(error_body(err, str(uuid.uuid4())), err.status)
            except web.HTTPException as exc:
                return _json_response(error_body(ApiError(exc.status, "bad.request", exc.reason),
                                                 str(uuid.uuid4())), exc.status)
        context_id = str(uuid.uuid4())
        match_info = request.match_info
        resource = match_info.route.resource
        route = "%s %s" % (request.method, resource.canonical if resource is not None else path)
        self.seq += 1
        entry = {
            "seq": self.seq, "org": None, "client_id": None, "method": request.method, "path": path,
            "route": route, "query": dict(request.query), "status": None,
            "write": request.method not in ("GET", "HEAD") and route not in READ_ONLY_ROUTES,
            "started": time.time(), "finished": None, "correlation_id": context_id, "fault": None,
        }
        self.log.append(entry)
        request["log_entry"] = entry
        headers = {"ININ-Correlation-Id": context_id}
        try:
            entry["accept"] = request.headers.get("Accept")
            if route in BODY_LOGGED_ROUTES:
                entry["body"] = await _peek_json(request)
            if self.latency_ms:
                await asyncio.sleep(self.latency_ms / 1000.0)
            if path.startswith("/api/v2/"):
                request["context_id"] = context_id
                response = await self._api(request, handler, route, entry, headers, match_info)
            elif match_info.http_exception is not None:
                raise ApiError(match_info.http_exception.status, "not.found", "No such resource: %s" % path)
            else:
                response = await handler(request)
        except ApiError as err:
            headers.update(err.headers)
            response = _json_response(error_body(err, context_id), err.status)
        except web.HTTPException as exc:
            # aiohttp's own refusals (body too large, ...) still answer with an ErrorBody.
            response = _json_response(error_body(ApiError(exc.status, "bad.request", exc.reason), context_id),
                                      exc.status)
        except Exception:  # a bug in the emulator: say so loudly, still answer like the API would
            traceback.print_exc(file=sys.stderr)
            response = _json_response(error_body(ApiError(500, "internal.server.error",
                                                          "The emulator failed on this request."), context_id), 500)
        if request.get("dropped"):
            entry["finished"] = time.time()
            return response
        response.headers.update(headers)
        entry["status"] = response.status
        entry["finished"] = time.time()
        return response

    async def _api(self, request, handler, route, entry, headers, match_info):
        token = None
        auth = request.headers.get("Authorization", "")
        if auth[:7].lower() == "bearer ":
            token = auth[7:].strip()
        grant = self.tokens.get(token) if token else None
        if grant is not None and grant[2] <= time.monotonic():
            del self.tokens[token]
            grant = None
        if grant is None:
            raise ApiError(401, "bad.credentials", "Invalid login credentials.")
        org = self.world.orgs[grant[0]]
        entry["org"], entry["client_id"] = grant[0], grant[1]
        limits = [(limit, key) for limit, key in ((self.rate_limit, token), (self.org_rate_limit, grant[0]))
                  if limit is not None]
        if limits:
            wait = admit(limits, time.monotonic(), self.count_refused)
            if wait is not None:
                raise self._too_many_requests(wait)
        outcome, slow_ms = self.faults.draw(request.method, self.fault_rng)
        if slow_ms:
            await asyncio.sleep(slow_ms / 1000.0)
        if outcome == "drop":
            entry["fault"] = "drop"
            return self._drop(request)
        if outcome is not None and outcome not in ("drop_after", "408_after"):
            entry["fault"] = outcome
            raise self._too_many_requests(1) if outcome == "429" else self._fault_error(int(outcome))
        if match_info.http_exception is not None:
            status = match_info.http_exception.status
            raise ApiError(status, "not.found" if status == 404 else "method.not.allowed",
                           "No %s route for %s" % (request.method, request.path))
        needed = self.permissions.get(route)
        client = org.clients[grant[1]]
        # `forbidden` refuses a route although the role grants it (a division or licence the emulator
        # does not model); the client sees the same 403 as for a missing permission.
        if needed and (route in client["forbidden"] or not any(p in client["permissions"] for p in needed)):
            names = ", ".join(needed)
            raise ApiError(403, "missing.any.permissions",
                           "Unable to perform the requested action. You are missing the following "
                           "permission(s): [%s]" % names,
                           params={"permissions": names},
                           message_with_params="Unable to perform the requested action. You are missing the "
                                               "following permission(s): [{permissions}]")
        request["org"] = org
        response = await handler(request)
        if outcome == "drop_after":
            # The request was processed (writes applied); only the answer is lost.
            entry["fault"] = "drop_after"
            entry["status"] = response.status
            return self._drop(request)
        if outcome == "408_after":
            # Processed (a write applied), then answered 408 as if the server had given up on it.
            entry["fault"] = "408_after"
            raise self._fault_error(408)
        return response

    @staticmethod
    def _drop(request):
        """Close the connection without an answer; aiohttp then finds nothing to write to."""
        request["dropped"] = True
        if request.transport is not None:
            request.transport.close()
        return web.Response(status=499)

    def _too_many_requests(self, retry_after):
        """A 429 as the platform normalized them in November 2021: Retry-After in whole seconds and the seconds
        in the message too; --omit-retry-after drops the header, --omit-retry-seconds the header and the seconds."""
        if self.omit_retry_seconds:
            return ApiError(429, "too.many.requests.retry.after", "Rate limit exceeded the maximum.", bare=True)
        headers = {} if self.omit_retry_after else {"Retry-After": str(retry_after)}
        return ApiError(429, "too.many.requests.retry.after",
                        "Rate limit exceeded the maximum. Retry the request in [%d] seconds" % retry_after,
                        headers=headers, bare=True)

    @staticmethod
    def _fault_error(status):
        text = {408: ("request.timeout", "The request timed out before it could be completed."),
                500: ("internal.server.error", "The server encountered an unexpected condition."),
                502: ("bad.gateway", "The gateway received an invalid response."),
                503: ("service.unavailable", "The service is currently unavailable."),
                504: ("gateway.timeout", "The gateway timed out.")}[status]
        return ApiError(status, text[0], text[1])

    def _conflict(self, what, sent, current, draft=False):
        """A version conflict: --conflict-status picks the status, --conflict-wording the sentence and code.

        Wording a: "Version 3 does not match the current version (4) of action ..." (code `conflict` with 409,
        `bad.request` with 400). Wording b: "Action version 3 is stale; the latest version is 4." (code
        `version.mismatch`). The real sentence is unknown: clients must not depend on either.
        """
        if self.conflict_wording == "b":
            message = "%s version %s is stale; the latest version is %d." % ("Draft" if draft else "Action", sent,
                                                                             current)
            code = "version.mismatch"
        else:
            message = "Version %s does not match the current version (%d) of %s." % (sent, current, what)
            code = "conflict" if self.conflict_status == 409 else "bad.request"
        details = [{"errorCode": "version.mismatch", "fieldName": "version"}]
        return ApiError(self.conflict_status, code, message, details=details,
                        params={"version": str(sent), "currentVersion": str(current)})

    def _apply_pending_drafts(self):
        """Give the --pending-drafts share of each org's custom actions a pending draft (version 1, the action's
        config with an older timeout), after removing the drafts an earlier share made; an action that already
        has a draft (from the seed or a client) keeps it."""
        for (org_id, action_id), draft in list(self._switch_drafts.items()):
            org = self.world.orgs[org_id]
            if org.drafts.get(action_id) is draft:
                del org.drafts[action_id]
                org.draft_functions.pop(action_id, None)
        self._switch_drafts.clear()
        if not self.pending_drafts:
            return
        for org in self.world.orgs.values():
            chosen = set(share_of_custom_actions(org, self.pending_drafts, "pending-drafts/%s" % self.random_seed))
            for action_id, action in org.actions.items():
                if action_id not in chosen or action_id in org.drafts:
                    continue
                rng = random.Random("pending-draft/%s/%s/%s" % (self.random_seed, org.id, action_id))
                config = copy.deepcopy(action["config"])
                timeout = pending_draft_timeout(config.get("timeoutSeconds"), rng)
                if timeout is None:
                    config.pop("timeoutSeconds", None)
                else:
                    config["timeoutSeconds"] = timeout
                self._switch_drafts[(org.id, action_id)] = add_draft(org, action, config)

    def _by_uri(self, org):
        """The custom actions listed and read with template URIs: a fixed share of the org's (--templates-by-uri)."""
        share = self.templates_by_uri
        if not share:
            return frozenset()
        key = (org.id, share)
        chosen = self._by_uri_cache.get(key)
        if chosen is None:
            chosen = self._by_uri_cache[key] = frozenset(
                share_of_custom_actions(org, share, "templates-by-uri/%s" % self.random_seed))
        return chosen

    @staticmethod
    def _action(request, source=None):
        org = request["org"]
        action_id = request.match_info["actionId"]
        action = (source if source is not None else org.actions).get(action_id)
        if action is None:
            raise not_found("Unable to find action with id %s." % action_id, entity_id=action_id)
        return org, action_id, action

    # ------------------------------------------------------------ OAuth

    @staticmethod
    def _oauth_error(status, error, description):
        return _json_response({"error": error, "description": description, "error_description": description},
                              status)

    def _token_throttled(self, reset):
        """400 invalid_request: the description starts with "rate limit exceeded;" (the Terraform provider matches
        that prefix); --token-throttle-field chooses which field carries it, the other a generic text."""
        throttled = "rate limit exceeded; retry after %d second%s" % (reset, "" if reset == 1 else "s")
        generic = "The request could not be completed."
        field = self.token_throttle_field
        return _json_response({
            "error": "invalid_request",
            "description": throttled if field in ("description", "both") else generic,
            "error_description": throttled if field in ("error_description", "both") else generic,
        }, 400)

    async def oauth_token(self, request):
        auth = request.headers.get("Authorization", "")
        if auth[:6].lower() != "basic ":
            return self._oauth_error(401, "invalid_client", "client credentials are required (HTTP Basic)")
        try:
            client_id, _colon, secret = base64.b64decode(auth[6:].strip()).decode("utf-8").partition(":")
        except (binascii.Error, ValueError):
            return self._oauth_error(401, "invalid_client", "malformed HTTP Basic credentials")
        org_id = self.world.client_org.get(client_id)
        client = self.world.orgs[org_id].clients[client_id] if org_id else None
        if client is None:
            return self._oauth_error(401, "invalid_client", "client not found")
        request["log_entry"]["org"], request["log_entry"]["client_id"] = org_id, client_id
        if not secrets.compare_digest(client["client_secret"].encode("utf-8"), secret.encode("utf-8")):
            return self._oauth_error(401, "invalid_client", "authentication failed")
        form = await request.post()
        if form.get("grant_type") != "client_credentials":
            return self._oauth_error(400, "unsupported_grant_type", "grant_type must be client_credentials")
        if self.token_rate_limit is not None:
            reset = admit([(self.token_rate_limit, client_id)], time.monotonic())
            if reset is not None:
                return self._token_throttled(reset)
        token = secrets.token_urlsafe(32)
        ttl = self.token_ttl
        self.tokens[token] = (org_id, client_id, time.monotonic() + ttl)
        return _json_response({"access_token": token, "token_type": "bearer", "expires_in": int(ttl)})

    # ------------------------------------------------------------ listing

    async def list_actions(self, request):
        return self._listing(request, request["org"].actions, "/api/v2/integrations/actions")

    async def list_drafts(self, request):
        return self._listing(request, request["org"].drafts, "/api/v2/integrations/actions/drafts")

    def _listing(self, request, source, base):
        query = request.query
        page_size = _q_int(query, "pageSize", 25, 1, 500)
        page_number = _q_int(query, "pageNumber", 1, 1)
        sort_by = query.get("sortBy") or None
        if sort_by is not None and sort_by not in SORTABLE:
            raise bad_request("sortBy must be one of %s." % ", ".join(SORTABLE), field="sortBy")
        sort_order = (query.get("sortOrder") or "asc").lower()
        if sort_order not in ("asc", "desc", "ascending", "descending"):
            raise bad_request("sortOrder must be asc or desc.", field="sortOrder")
        ids = [i for raw in query.getall("ids", []) for i in raw.split(",") if i.strip()]
        if len(ids) > 50:
            raise bad_request("At most 50 ids may be requested at once; got %d." % len(ids), field="ids")
        secure = _q_bool(query, "secure")
        include_auth = _q_bool(query, "includeAuthActions", False)
        include_config = _q_bool(query, "includeConfig", False)
        category = query.get("category") or None
        name = (query.get("name") or "").lower()
        id_set = set(i.strip() for i in ids)
        selected = []
        for action in source.values():
            if not include_auth and action["id"].startswith("customAuth_"):
                continue
            if id_set and action["id"] not in id_set:
                continue
            if category is not None and action["category"].lower() != category.lower():
                continue
            if name and name not in action["name"].lower():
                continue
            if secure is not None and action["secure"] != secure:
                continue
            selected.append(action)
        if sort_by is not None:
            selected.sort(key=lambda a: (a[sort_by] if not isinstance(a[sort_by], str) else a[sort_by].lower(),
                                         a["id"]),
                          reverse=sort_order.startswith("desc"))
        total = len(selected)
        page_count = int(math.ceil(total / float(page_size)))
        start = (page_number - 1) * page_size
        by_uri = self._by_uri(request["org"]) if include_config else ()
        entities = [action_view(a, include_config, False, a["id"] in by_uri) for a in selected[start:start + page_size]]
        filters = [(k, query[k]) for k in ("sortBy", "sortOrder", "category", "name", "secure",
                                           "includeAuthActions", "includeConfig") if query.get(k)]
        if ids:
            filters.append(("ids", ",".join(ids)))

        def uri(number):
            return "%s?%s" % (base, urlencode([("pageSize", page_size), ("pageNumber", number)] + filters))

        body = {
            "entities": entities, "pageSize": page_size, "pageNumber": page_number, "total": total,
            "pageCount": page_count, "firstUri": uri(1), "selfUri": uri(page_number),
            "lastUri": uri(max(page_count, 1)),
        }
        if page_number < page_count:
            body["nextUri"] = uri(page_number + 1)
        if page_number > 1:
            body["previousUri"] = uri(page_number - 1)
        return _json_response(body)

    @staticmethod
    def _view_options(request):
        expand = request.query.get("expand")
        if expand not in (None, "", "contract"):
            raise bad_request("expand may only be contract.", field="expand")
        _q_bool(request.query, "flatten")
        return _q_bool(request.query, "includeConfig", False), expand == "contract"

    async def get_action(self, request):
        org, action_id, action = self._action(request)
        include_config, include_contract = self._view_options(request)
        return _json_response(action_view(action, include_config, include_contract, action_id in self._by_uri(org)))

    # ------------------------------------------------------------ update

    def _apply_pending_edits(self, org, action_id):
        for edit in self.pending_edits.pop((org.id, action_id), ()):
            self._apply_admin_edit(org.actions[action_id], edit)

    @staticmethod
    def _apply_admin_edit(action, edit):
        if edit.get("name") is not None:
            action["name"] = edit["name"]
        if edit.get("config"):
            _deep_merge(action["config"], edit["config"])
        action["version"] += 1

    def _updated_config(self, current, patch):
        if self.patch_semantics == "merge":
            config = _deep_merge(copy.deepcopy(current), patch)
        else:
            # Replace: the body's config is the whole new config; a null timeoutSeconds means "unset".
            config = {k: copy.deepcopy(v) for k, v in patch.items() if not (k == "timeoutSeconds" and v is None)}
        if self.templates_by_uri > 0:
            self._reset_missing_templates(config, patch)
        return config

    @staticmethod
    def _reset_missing_templates(config, patch):
        """Under --templates-by-uri (the strictest reading): a template the PATCH's config does not carry
        inline is reset to the platform default, whatever the semantics, and the template URIs (the server's
        own) are never stored. A client that sends back a listed config whose templates are only URIs
        loses them."""
        for part, inline, uri_field, default in TEMPLATE_FILES.values():
            sent = patch.get(part)
            section = config.get(part)
            section = dict(section) if isinstance(section, dict) else {}
            section.pop(uri_field, None)
            if not (isinstance(sent, dict) and isinstance(sent.get(inline), str)):
                section[inline] = default
            config[part] = section

    def _check_update_body(self, body, action_id, allow_contract):
        if "version" not in body:
            raise bad_request("version is required.", field="version", error_code="missing.property")
        if not _is_int(body["version"]):
            raise bad_request("version must be an integer.", field="version", error_code="invalid.type")
        for field in ("name", "category"):
            if field in body and (not isinstance(body[field], str) or (field == "name" and not body[field].strip())):
                raise bad_request("%s must be a non-empty string." % field, field=field, error_code="invalid.type")
        if not allow_contract:
            for field in ("contract", "secure"):
                if field in body:
                    raise bad_request("%s cannot be changed on a published action; use a draft." % field,
                                      field=field, error_code="invalid.property")
        elif "secure" in body and not isinstance(body["secure"], bool):
            raise bad_request("secure must be a boolean.", field="secure", error_code="invalid.type")
        if "config" in body:
            _validate_config(body["config"], action_id)

    async def patch_action(self, request):
        org, action_id, action = self._action(request)
        body = await _json_body(request)
        if action_id.startswith("static_"):
            # 400, not 403: this is a property of the action, not of the caller's roles.
            raise bad_request("Static actions cannot be modified.", field="id", error_code="static.action")
        self._apply_pending_edits(org, action_id)
        self._check_update_body(body, action_id, allow_contract=False)
        if body["version"] != action["version"]:
            raise self._conflict("action %s" % action_id, body["version"], action["version"])
        # No await from here on: the check and the write are atomic for concurrent requests.
        if "config" in body:
            action["config"] = self._updated_config(action["config"], body["config"])
        for field in ("name", "category"):
            if field in body:
                action[field] = body[field]
        action["version"] += 1
        return _json_response(action_view(action, self.patch_answer == "with-config", False,
                                          action_id in self._by_uri(org)))

    # ------------------------------------------------------------ drafts

    async def create_draft(self, request):
        org, action_id, action = self._action(request)
        if action_id.startswith("static_"):
            raise bad_request("Static actions cannot have drafts.", field="id", error_code="static.action")
        if action_id in org.drafts:
            raise ApiError(409, "conflict", "A draft already exists for action %s." % action_id,
                           entity_id=action_id)
        draft = copy.deepcopy(action)
        draft["version"] = 1
        draft["selfUri"] = action_self_uri(action_id) + "/draft"
        org.drafts[action_id] = draft
        if action_id in org.functions:
            org.draft_functions[action_id] = copy.deepcopy(org.functions[action_id])
        return _json_response(action_view(draft, True, False, action_id in self._by_uri(org)))

    async def get_draft(self, request):
        org, action_id, draft = self._action(request, request["org"].drafts)
        include_config, include_contract = self._view_options(request)
        return _json_response(action_view(draft, include_config, include_contract, action_id in self._by_uri(org)))

    async def patch_draft(self, request):
        org, action_id, draft = self._action(request, request["org"].drafts)
        body = await _json_body(request)
        self._check_update_body(body, action_id, allow_contract=True)
        if "contract" in body and not isinstance(body["contract"], dict):
            raise bad_request("contract must be an object.", field="contract", error_code="invalid.type")
        if body["version"] != draft["version"]:
            raise self._conflict("the draft of action %s" % action_id, body["version"], draft["version"],
                                 draft=True)
        if "config" in body:
            draft["config"] = self._updated_config(draft["config"], body["config"])
        for field in ("name", "category", "contract", "secure"):
            if field in body:
                draft[field] = copy.deepcopy(body[field])
        draft["version"] += 1
        return _json_response(action_view(draft, self.patch_answer == "with-config", False,
                                          action_id in self._by_uri(org)))

    async def delete_draft(self, request):
        org, action_id, _draft = self._action(request, request["org"].drafts)
        del org.drafts[action_id]
        org.draft_functions.pop(action_id, None)
        return web.Response(status=204)

    def _template(self, request, source):
        accept = request.headers.get("Accept")
        if not accept_allows(accept):
            # A server that honours Accept: a client asking for JSON only cannot read a template.
            raise ApiError(406, "not.acceptable", "The template is answered as %s, which the request's Accept (%s) "
                           "does not allow." % (TEMPLATE_MEDIA_TYPE, accept), params={"accept": accept})
        _org, action_id, action = self._action(request, source)
        file_name = request.match_info["fileName"]
        if file_name not in TEMPLATE_FILES:
            raise not_found("Unknown template file %s; the files are %s." % (file_name, ", ".join(sorted(TEMPLATE_FILES))),
                            entity_id=action_id)
        part, inline, _uri_field, _default = TEMPLATE_FILES[file_name]
        text = (action["config"].get(part) or {}).get(inline)
        if not isinstance(text, str):
            raise not_found("Action %s has no %s." % (action_id, file_name), entity_id=action_id)
        return web.Response(text=text, content_type="text/plain")

    async def get_template(self, request):
        """The stored template text (text/plain), whatever --templates-by-uri says about the listing; 406 to a read
        whose Accept allows neither text/plain nor */*."""
        return self._template(request, None)

    async def get_draft_template(self, request):
        return self._template(request, request["org"].drafts)

    async def validate_draft(self, request):
        self._action(request, request["org"].drafts)
        return _json_response({"valid": True, "errors": []})

    async def publish_draft(self, request):
        org, action_id, draft = self._action(request, request["org"].drafts)
        body = await _json_body(request)
        if "version" not in body:
            raise bad_request("version is required.", field="version", error_code="missing.property")
        if not _is_int(body["version"]):
            raise bad_request("version must be an integer.", field="version", error_code="invalid.type")
        if body["version"] != draft["version"]:
            raise self._conflict("the draft of action %s" % action_id, body["version"], draft["version"],
                                 draft=True)
        action = org.actions[action_id]
        for field in ("name", "category", "contract", "secure", "config"):
            action[field] = draft[field]
        action["version"] += 1
        del org.drafts[action_id]
        if action_id in org.draft_functions:
            function = org.draft_functions.pop(action_id)
            function["selfUri"] = action_self_uri(action_id) + "/function"
            org.functions[action_id] = function
        return _json_response(action_view(action, True, False, action_id in self._by_uri(org)))

    # ------------------------------------------------------------ test / execute

    async def _run_backend(self, org, action, body, function=None):
        """Simulate one call to the action's backend; -> (error ApiError or None, duration_ms).

        `function`: the FunctionConfig of a function data action (the draft's for a draft test). Our model,
        not a documented one: the call runs with the lower of the action's effective timeout and the
        function's `timeoutSeconds`, since whichever stops first ends it.
        """
        backend = org.backends.get(action["id"]) or {"latency_ms": 150, "jitter_ms": 0, "error_rate": 0.0}
        latency = backend["latency_ms"]
        # Each call's draws come from the seed, the action and how many executions it has: the same whatever order
        # concurrent calls of other actions arrive in (a shared sequence made a test's recorded latency, and with
        # it the next analytics answer, depend on the machine's load).
        rng = random.Random("backend/%s/%s/%s/%d" % (self.random_seed, org.id, action["id"],
                                                     len(org.executions.get(action["id"]) or ())))
        if backend.get("jitter_ms"):
            latency = max(1.0, rng.gauss(latency, backend["jitter_ms"] / 2.0))
        timeout_s = action["config"].get("timeoutSeconds")
        # Unset runs at the platform default, 60 s; a switch so tests can shorten it.
        limit_ms = (timeout_s if timeout_s is not None else self.unset_timeout_seconds) * 1000.0
        function_s = function["function"].get("timeoutSeconds") if function else None
        by_function = function_s is not None and function_s * 1000.0 < limit_ms
        if by_function:
            limit_ms = function_s * 1000.0
        timed_out = latency > limit_ms
        duration = limit_ms if timed_out else latency
        await asyncio.sleep(duration * self.time_scale / 1000.0)
        if timed_out:
            if by_function:
                message = "The action's function timed out after %d ms (its timeoutSeconds)." % int(limit_ms)
            else:
                message = "The action timed out after %d ms waiting for its backend." % int(limit_ms)
            error = ApiError(504, "action.timeout", message,
                             params={"timeoutSeconds": str(int(limit_ms // 1000)),
                                     "timedOut": "function" if by_function else "action"})
            error_type = "timeout"
        elif backend.get("error_rate") and rng.random() < backend["error_rate"]:
            error = ApiError(502, "action.failed", "The remote endpoint answered with status 500.")
            error_type = "remote_endpoint"
        else:
            error, error_type = None, None
        # Recorded like any seeded execution, so a later analytics query sees it.
        org.executions.setdefault(action["id"], History()).add(time.time() * 1000, duration, error_type)
        return error, duration

    @staticmethod
    def _output(action, body):
        outputs = sorted((action["config"].get("response") or {}).get("translationMap") or {})
        result = {name: "sample-%s" % name for name in outputs}
        result["echo"] = body
        return result

    async def _test(self, request, draft):
        org = request["org"]
        _org, action_id, action = self._action(request, org.drafts if draft else None)
        body = await _json_body(request, required=False)
        function = org.functions.get(action_id)
        if draft and function is not None:
            function = org.draft_functions.get(action_id, function)
        error, _duration = await self._run_backend(org, action, body, function)
        request_part = action["config"].get("request") or {}
        context_id = request["context_id"]
        steps = [{"step": 1, "name": "Resolve request URL template", "success": True,
                  "result": request_part.get("requestUrlTemplate", "")},
                 {"step": 2, "name": "Execute request", "success": error is None,
                  "result": None if error else {"status": 200}}]
        if error is not None:
            err_body = error_body(error, context_id)
            steps[1]["error"] = err_body
            return _json_response({"operations": steps, "error": err_body, "success": False})
        output = self._output(action, body)
        steps.append({"step": 3, "name": "Apply output transformation", "success": True, "result": output})
        return _json_response({"operations": steps, "finalResult": output, "success": True})

    async def test_action(self, request):
        return await self._test(request, draft=False)

    async def test_draft(self, request):
        return await self._test(request, draft=True)

    async def execute_action(self, request):
        org, action_id, action = self._action(request)
        body = await _json_body(request, required=False)
        error, _duration = await self._run_backend(org, action, body, org.functions.get(action_id))
        if error is not None:
            raise error
        return _json_response(self._output(action, body))

    # ------------------------------------------------------------ functions

    def _function_action(self, request):
        org, action_id, action = self._action(request)
        integration = org.integrations.get(action["integrationId"]) or {}
        if integration.get("integrationType") != "function-data-actions" or action_id not in org.functions:
            raise bad_request("Action %s is not a function data action." % action_id, field="actionId",
                              error_code="not.function.action")
        return org, action_id

    async def get_function(self, request):
        org, action_id = self._function_action(request)
        return _json_response(org.functions[action_id])

    async def get_draft_function(self, request):
        org, action_id = self._function_action(request)
        if action_id not in org.drafts:
            raise not_found("Action %s has no draft." % action_id, entity_id=action_id)
        function = org.draft_functions.setdefault(action_id, copy.deepcopy(org.functions[action_id]))
        return _json_response(function)

    async def put_draft_function(self, request):
        org, action_id = self._function_action(request)
        if action_id not in org.drafts:
            raise not_found("Action %s has no draft." % action_id, entity_id=action_id)
        body = await _json_body(request)
        # The body is a `Function` (not a FunctionConfig): description, handler and runtime are required.
        for field in FUNCTION_REQUIRED:
            if body.get(field) is None:
                raise bad_request("%s is required." % field, field=field, error_code="missing.property")
        for field in FUNCTION_REQUIRED + ("name", "zipId"):
            if body.get(field) is not None and (not isinstance(body[field], str) or not body[field].strip()):
                raise bad_request("%s must be a non-empty string." % field, field=field, error_code="invalid.type")
        timeout = body.get("timeoutSeconds")
        if timeout is not None and (not _is_int(timeout) or not 1 <= timeout <= 15):
            raise bad_request("timeoutSeconds should be between 1 and 15; got %s." % json.dumps(timeout),
                              field="timeoutSeconds")
        config = org.draft_functions.setdefault(action_id, copy.deepcopy(org.functions[action_id]))
        function = config["function"]
        for field in FUNCTION_REQUIRED:
            function[field] = body[field]
        if body.get("name") is not None:
            function["name"] = body["name"]
        if body.get("zipId") is not None and body["zipId"] != function.get("zipId"):
            # The zip is uploaded separately (.../draft/function/upload, not emulated): the id is kept as sent.
            function["zipId"] = body["zipId"]
            config["zip"] = dict(config.get("zip") or {}, id=body["zipId"])
        # PUT replaces the Function: an omitted timeoutSeconds falls back to the default of 15.
        function["timeoutSeconds"] = FUNCTION_TIMEOUT_DEFAULT if timeout is None else timeout
        config["selfUri"] = action_self_uri(action_id) + "/draft/function"
        return _json_response(config)

    # ------------------------------------------------------------ integrations, analytics

    async def get_integration(self, request):
        integration_id = request.match_info["integrationId"]
        integration = request["org"].integrations.get(integration_id)
        if integration is None:
            raise not_found("Unable to find integration with id %s." % integration_id, entity_id=integration_id)
        return _json_response(integration_body(integration))

    async def analytics_query(self, request):
        body = await _json_body(request)
        # Written as JSON text by the query itself (see analytics.run_query).
        return web.Response(body=run_query(request["org"], body, bad_request, self.analytics), status=200,
                            content_type="application/json")

    # ------------------------------------------------------------ architect dependency tracking

    async def consuming_resources(self, request):
        return _json_response(consuming_resources(request["org"], request.query, self.dependencies, bad_request,
                                                  ApiError, _q_int))

    async def dependency_build(self, request):
        return _json_response(build_status(request["org"], self.dependencies, self.started_ms))

    # ------------------------------------------------------------ inspection surface

    async def emu_state(self, request):
        orgs = {}
        for org_id, org in self.world.orgs.items():
            snapshot = org.snapshot()
            by_uri = self._by_uri(org)
            # Which actions the API lists with template URIs (their stored config, above, is inline).
            snapshot["templates_by_uri"] = [action_id for action_id in org.actions if action_id in by_uri]
            orgs[org_id] = snapshot
        return _json_response({"orgs": orgs})

    async def emu_executions(self, request):
        """One action's recorded history, oldest first: [[epoch_ms, duration_ms, errorType or null], ...]."""
        org_id = request.query.get("org")
        if org_id is None:
            if len(self.world.orgs) != 1:
                raise bad_request("org is required when the emulator holds several orgs.", field="org")
            org_id = next(iter(self.world.orgs))
        org = self.world.orgs.get(org_id)
        if org is None:
            raise not_found("No org %s." % org_id, entity_id=org_id)
        action_id = request.query.get("action_id")
        if action_id not in org.actions:
            raise not_found("No action %s in org %s." % (action_id, org_id), entity_id=action_id)
        history = org.executions.get(action_id) or History()
        return _json_response({"org": org_id, "action_id": action_id, "executions": history.rows()})

    async def emu_requests(self, request):
        since = _q_int(request.query, "since", 0, 0)
        entries = [e for e in self.log if e["seq"] > since] if since else list(self.log)
        counts = {}
        writes = 0
        for entry in entries:
            counts[entry["route"]] = counts.get(entry["route"], 0) + 1
            writes += entry["write"]
        return _json_response({"requests": entries, "counts": counts, "writes": writes, "last_seq": self.seq})

    async def emu_clear(self, request):
        del self.log[:]
        return _json_response({"cleared": True, "last_seq": self.seq})

    async def emu_reset(self, request):
        self.world = World.thaw(self.initial_world)
        self._switch_drafts.clear()
        self._apply_pending_drafts()
        self.analytics.apply(self.world, self.random_seed, self.unset_timeout_seconds, restore=False)
        gc.freeze()  # as at start: the restored world is long-lived, not for the cyclic collector to rescan
        self.pending_edits.clear()
        self.fault_rng.seed("faults/%s" % self.random_seed)
        del self.log[:]
        return _json_response({"reset": True})

    async def emu_admin_edit(self, request):
        body = await _json_body(request)
        org_id = body.get("org")
        if org_id is None:
            if len(self.world.orgs) != 1:
                raise bad_request("org is required when the emulator holds several orgs.", field="org")
            org_id = next(iter(self.world.orgs))
        org = self.world.orgs.get(org_id)
        if org is None:
            raise not_found("No org %s." % org_id, entity_id=org_id)
        action = org.actions.get(body.get("action_id"))
        if action is None:
            raise not_found("No action %s in org %s." % (body.get("action_id"), org_id))
        if body.get("name") is not None and not isinstance(body["name"], str):
            raise bad_request("name must be a string.", field="name")
        if body.get("config") is not None and not isinstance(body["config"], dict):
            raise bad_request("config must be an object.", field="config")
        when = body.get("when", "now")
        edit = {"name": body.get("name"), "config": body.get("config")}
        if when == "now":
            self._apply_admin_edit(action, edit)
            return _json_response(action)
        if when == "before_next_patch":
            self.pending_edits.setdefault((org_id, action["id"]), []).append(edit)
            preview = copy.deepcopy(action)
            self._apply_admin_edit(preview, edit)
            return _json_response(dict(preview, pending=True))
        raise bad_request("when must be now or before_next_patch.", field="when")

    def _config_view(self):
        return {
            "faults": self.faults.spec,
            "rate_limit": self.rate_limit.spec if self.rate_limit else "",
            "org_rate_limit": self.org_rate_limit.spec if self.org_rate_limit else "",
            "rate_window": self.rate_window, "count_refused": self.count_refused,
            "token_rate_limit": self.token_rate_limit.spec if self.token_rate_limit else "",
            "latency_ms": self.latency_ms, "patch_semantics": self.patch_semantics,
            "conflict_status": self.conflict_status, "token_ttl": self.token_ttl,
            "time_scale": self.time_scale, "unset_timeout_seconds": self.unset_timeout_seconds,
            "templates_by_uri": self.templates_by_uri, "pending_drafts": self.pending_drafts,
            "patch_answer": self.patch_answer, "conflict_wording": self.conflict_wording,
            "token_throttle_field": self.token_throttle_field, "omit_retry_after": self.omit_retry_after,
            "omit_retry_seconds": self.omit_retry_seconds,
            **self.analytics.view(), **self.dependencies.view()
        }

    async def emu_get_config(self, request):
        return _json_response(self._config_view())

    async def emu_config(self, request):
        body = await _json_body(request)
        changes = {}
        try:
            for key, value in body.items():
                if key == "faults":
                    changes[key] = FaultPlan(value or "")
                elif key in ("rate_limit", "org_rate_limit"):
                    changes[key] = value or ""
                elif key == "token_rate_limit":
                    changes[key] = parse_rate_limit(value or "", "fixed")
                elif key == "rate_window" and value in RATE_WINDOWS:
                    changes[key] = value
                elif key == "latency_ms" and _is_int(value) and value >= 0:
                    changes[key] = value
                elif key == "patch_semantics" and value in ("replace", "merge"):
                    changes[key] = value
                elif key == "conflict_status" and _is_int(value) and value in (409, 400):
                    changes[key] = value
                elif key in ("templates_by_uri", "pending_drafts") and _is_share(value):
                    changes[key] = value
                elif key == "patch_answer" and value in PATCH_ANSWERS:
                    changes[key] = value
                elif key == "conflict_wording" and value in CONFLICT_WORDINGS:
                    changes[key] = value
                elif key == "token_throttle_field" and value in TOKEN_THROTTLE_FIELDS:
                    changes[key] = value
                elif key in ("omit_retry_after", "omit_retry_seconds", "count_refused") and isinstance(value, bool):
                    changes[key] = value
                elif key in ("token_ttl", "time_scale") and isinstance(value, (int, float)) \
                        and not isinstance(value, bool) and value > 0:
                    changes[key] = value
                elif key == "unset_timeout_seconds" and _is_int(value) and 1 <= value <= 3600:
                    changes[key] = value
                elif key in AnalyticsSwitches.NAMES and AnalyticsSwitches.parse(key, value) is not None:
                    changes[key] = value
                elif key in DependencySwitches.NAMES and DependencySwitches.valid(key, value):
                    changes[key] = value
                else:
                    raise bad_request("Unknown switch or bad value: %s=%s" % (key, json.dumps(value)), field=key)
            # A limit given with a new window shape takes it; a new shape alone starts the limits afresh too.
            window = changes.get("rate_window", self.rate_window)
            for key, current in (("rate_limit", self.rate_limit), ("org_rate_limit", self.org_rate_limit)):
                if key in changes:
                    changes[key] = parse_rate_limit(changes[key], window)
                elif "rate_window" in changes and current is not None:
                    changes[key] = parse_rate_limit(current.spec, window)
        except SpecError as exc:
            raise bad_request(str(exc), field="faults")
        for key, value in changes.items():
            if key in AnalyticsSwitches.NAMES:
                setattr(self.analytics, key, value)
            elif key in DependencySwitches.NAMES:
                setattr(self.dependencies, key, value)
            else:
                setattr(self, key, value)
        if "pending_drafts" in changes:
            self._apply_pending_drafts()
        if "fast_failures" in changes or "timeout_failures" in changes:
            self.analytics.apply(self.world, self.random_seed, self.unset_timeout_seconds)
        return _json_response(self._config_view())

# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesyscloud.cx contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""An in-memory Genesys Cloud behind a requests transport adapter, for unit tests (no network)."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import base64
import copy
import json
import math
import threading
import time
import uuid

import requests
from requests.adapters import BaseAdapter
from requests.structures import CaseInsensitiveDict
from urllib.parse import parse_qs, urlsplit

API = "https://api.fake.test"
LOGIN = "https://login.fake.test"
ACTIONS = "/api/v2/integrations/actions"
DRAFTS = ACTIONS + "/drafts"
INTEGRATIONS = "/api/v2/integrations"
ANALYTICS = "/api/v2/analytics/actions/aggregates/query"
# (config section, inline key, URI key, file name, the platform default a strict server falls back to)
TEMPLATES = (("request", "requestTemplate", "requestTemplateUri", "requesttemplate.vm", "${input.rawRequest}"),
             ("response", "successTemplate", "successTemplateUri", "successtemplate.vm", "${rawResult}"))
FUNCTION_TYPE = "function-data-actions"


def make_action(name, timeout=3, version=1, category="CRM", action_id=None, extra_config=None, integration_id="int-1"):
    config = {
        "request": {"requestUrlTemplate": "https://crm.example/x", "requestType": "GET", "headers": {},
                    "requestTemplate": "{\"name\": \"${input.name}\"}"},
        "response": {"translationMap": {}, "successTemplate": "${rawResult}"},
    }
    if timeout is not None:
        config["timeoutSeconds"] = timeout
    config.update(extra_config or {})
    return {
        "id": action_id or "custom_-_" + str(uuid.uuid4()),
        "name": name, "category": category, "integrationId": integration_id, "secure": False,
        "version": version, "config": config, "contract": {"input": {}, "output": {}},
    }


def make_function(action, timeout=None):
    """A FunctionConfig as GET .../{id}/function answers it; ``timeout`` None leaves the API's default (15)."""
    function = {"id": "fn-" + action["id"][-8:], "name": action["name"], "description": "Handler of %s" % action["name"],
                "handler": "src/index.handler", "runtime": "nodejs22.x", "zipId": "zip-1"}
    if timeout is not None:
        function["timeoutSeconds"] = timeout
    return {"id": function["id"], "function": function, "zip": {"id": "zip-1", "status": "Available"},
            "uploadExceptionHistory": []}


class Fault(object):
    """One scripted misbehaviour: answer ``status`` (before or after processing), or drop the connection."""

    def __init__(self, status=None, drop=False, after=False, headers=None, body=None):
        self.status, self.drop, self.after = status, drop, after
        self.headers, self.body = headers or {}, body


class FakeGenesysCloud(BaseAdapter):
    def __init__(self, actions=(), clients=None, conflict_status=400, page_size_max=500):
        super(FakeGenesysCloud, self).__init__()
        self.actions = dict((a["id"], copy.deepcopy(a)) for a in actions)
        self.clients = clients or {"cid": ("csecret", {"*"})}
        self.conflict_status = conflict_status
        self.page_size_max = page_size_max
        self.tokens = {}
        # True: every token is refused with 401, fresh ones too (credentials that lost their grant).
        self.refuse_tokens = False
        self.log = []
        # What requests handed the transport with each request: its proxies and its verify setting.
        self.transport = []
        self.faults = []  # (method, path prefix, Fault), consumed in order
        self.before_patch = {}  # action id -> callable run just before that action's next PATCH
        self.token_throttle = 0  # how many token requests answer 400 "rate limit exceeded"
        self._lock = threading.Lock()
        self._seq = 0
        self.executions = {}  # action id -> execution times in ms (or (ms, errorType) for a failure), for analytics
        self.analytics_answer = None  # a canned analytics answer instead of one computed from executions
        self.analytics_percentiles = True  # whether the computed answer fills p95 and p99
        # Rate limits, off by default, as the real API has them since 2021: no header tells them. ``rate_limit``
        # (allowed, seconds) per token and ``org_rate_limit`` across every token, each a sliding window counted
        # on ``clock`` (give the tests' FakeClock) at the request's arrival; a request beyond either answers the
        # normalized 429. ``rate_limit_wait_in``: where that 429 says the wait, "header" (Retry-After and the
        # message), "message" (the message only) or "none".
        self.rate_limit = None
        self.org_rate_limit = None
        self.rate_limit_wait_in = "header"
        self.clock = time.monotonic
        self.latency = 0.0  # real seconds each request waits before the fake takes it, so workers overlap
        self._arrivals = {}  # rate-limit key -> arrival times of its accepted requests
        # The edges of the real API that are unknown (see the fact sheet), each a switch:
        self.patch_answer = "with-config"  # or "without-config" (an Action without config), "empty" (no body)
        self.conflict_wording = "a"  # "a": "... does not match the current version ...", "b": "... is stale ...",
        #                               "code": a bare message whose details name version.mismatch
        self.token_throttle_field = "both"  # which OAuth error field says "rate limit exceeded; ..."
        self.templates_by_uri = set()  # action ids whose config is listed with template URIs only
        self.template_content_type = "text/plain"  # or "application/json" (the template as a JSON string)
        self.integrations = {"int-1": {"id": "int-1", "name": "CRM", "integrationType": {"id": "custom-rest-actions"}}}
        self.functions = {}  # action id -> FunctionConfig (function data actions)
        self.draft_functions = {}
        self.drafts = {}  # action id -> the pending draft (an Action, its own version)

    # ---- test controls ------------------------------------------------------------------------
    def add_fault(self, method, path_prefix, fault):
        self.faults.append((method, path_prefix, fault))

    def expire_tokens(self):
        self.tokens.clear()

    def requests_for(self, method=None, route=None):
        return [r for r in self.log if (method is None or r["method"] == method)
                and (route is None or r["path"].startswith(route))]

    def add_integration(self, integration_id, integration_type, name=None):
        self.integrations[integration_id] = {"id": integration_id, "name": name or integration_id,
                                             "integrationType": {"id": integration_type}}

    def add_function_action(self, action, timeout=None, integration_id="int-fn"):
        """Store ``action`` as a function data action (of a function-data-actions integration)."""
        if integration_id not in self.integrations:
            self.add_integration(integration_id, FUNCTION_TYPE)
        action = copy.deepcopy(action)
        action["integrationId"] = integration_id
        self.actions[action["id"]] = action
        self.functions[action["id"]] = make_function(action, timeout)
        return action

    def add_draft(self, action_id, timeout="same", version=1):
        """A pending draft of an action: its config as the action's, with ``timeout`` (None: unset)."""
        draft = copy.deepcopy(self.actions[action_id])
        draft["version"] = version
        if timeout != "same":
            draft["config"].pop("timeoutSeconds", None)
            if timeout is not None:
                draft["config"]["timeoutSeconds"] = timeout
        self.drafts[action_id] = draft
        return draft

    def function_timeout(self, action_id, draft=False):
        function = (self.draft_functions if draft else self.functions)[action_id]["function"]
        return function.get("timeoutSeconds", 15)

    def admin_edit(self, action_id, timeout=None, name=None):
        action = self.actions[action_id]
        if timeout is not None:
            action["config"]["timeoutSeconds"] = timeout
        if name is not None:
            action["name"] = name
        action["version"] += 1

    # ---- transport ----------------------------------------------------------------------------
    def close(self):
        pass

    def send(self, request, **kwargs):
        if self.latency:
            time.sleep(self.latency)
        with self._lock:
            self.transport.append({"url": request.url, "proxies": dict(kwargs.get("proxies") or {}),
                                   "verify": kwargs.get("verify")})
            return self._send(request)

    def _send(self, request):
        self._seq += 1
        parts = urlsplit(request.url)
        query = dict((k, v[0]) for k, v in parse_qs(parts.query).items())
        body = request.body
        if isinstance(body, bytes):
            body = body.decode("utf-8")
        entry = {"method": request.method, "path": parts.path, "query": query, "body": body,
                 "headers": dict(request.headers), "time": time.monotonic(), "clock": self.clock()}
        self.log.append(entry)
        fault = self._take_fault(request.method, parts.path)
        if fault and not fault.after:
            if not fault.drop:
                entry["status"] = fault.status
            return self._fault(request, fault)
        if parts.path == "/oauth/token":
            response = self._token(request)
        else:
            refusal = self._rate_limited(request)
            response = refusal if refusal is not None else self._api(request, parts.path, query, body)
        entry["status"] = response.status_code
        if fault:  # processed, then the answer is lost or replaced
            return self._fault(request, fault)
        return response

    def _rate_limited(self, request):
        """The normalized 429 for a /api/v2 request beyond a limit, or None (the request is counted)."""
        now = self.clock()
        limits = [(limit, key) for limit, key in ((self.rate_limit, request.headers.get("Authorization", "")),
                                                  (self.org_rate_limit, "org")) if limit]
        waits = []
        for (allowed, seconds), key in limits:
            times = [t for t in self._arrivals.get(key, []) if t > now - seconds]
            self._arrivals[key] = times
            if len(times) >= allowed:
                waits.append(times[len(times) - allowed] + seconds - now)
        if not waits:
            for dummy, key in limits:
                self._arrivals[key].append(now)
            return None
        wait = max(1, int(math.ceil(max(waits) - 1e-9)))
        message = "Rate limit exceeded the maximum."
        if self.rate_limit_wait_in != "none":
            message += " Retry the request in [%d] seconds" % wait
        return self._response(request, 429, {"message": message, "code": "too.many.requests.retry.after",
                                             "status": 429, "contextId": "ctx", "details": [], "errors": []},
                              {"Retry-After": str(wait)} if self.rate_limit_wait_in == "header" else {})

    def _take_fault(self, method, path):
        for index, (m, prefix, fault) in enumerate(self.faults):
            if m == method and path.startswith(prefix):
                del self.faults[index]
                return fault
        return None

    def _fault(self, request, fault):
        if fault.drop:
            raise requests.exceptions.ConnectionError("Connection aborted (fake)", request=request)
        body = fault.body or {"message": "fault %s" % fault.status, "status": fault.status}
        return self._response(request, fault.status, body, fault.headers)

    def _response(self, request, status, body, headers=None):
        response = requests.models.Response()
        response.status_code = status
        response.headers = CaseInsensitiveDict(headers or {})
        response.headers.setdefault("ININ-Correlation-Id", "corr-%d" % self._seq)
        response.headers["Content-Type"] = "application/json"
        response._content = json.dumps(body).encode("utf-8") if body is not None else b""
        response.url = request.url
        response.request = request
        response.encoding = "utf-8"
        return response

    def _token(self, request):
        auth = request.headers.get("Authorization", "")
        try:
            client_id, secret = base64.b64decode(auth.split(" ", 1)[1]).decode().split(":", 1)
        except (IndexError, ValueError):
            return self._response(request, 401, {"error": "invalid_client", "description": "no credentials"})
        if self.token_throttle > 0:
            self.token_throttle -= 1
            throttled, generic = "rate limit exceeded; retry after 1 second", "The request could not be completed."
            field = self.token_throttle_field
            return self._response(request, 400, {
                "error": "invalid_request",
                "description": throttled if field in ("description", "both") else generic,
                "error_description": throttled if field in ("error_description", "both") else generic})
        known = self.clients.get(client_id)
        if not known or known[0] != secret:
            return self._response(request, 401, {"error": "invalid_client",
                                                 "description": "client %s secret %s rejected" % (client_id, secret),
                                                 "error_description": "authentication failed"})
        token = "tok-" + uuid.uuid4().hex
        self.tokens[token] = client_id
        return self._response(request, 200, {"access_token": token, "token_type": "bearer", "expires_in": 86400})

    def _permission(self, method, path):
        """The permission a route needs (the fact sheet's table)."""
        if path.startswith(INTEGRATIONS + "/") and not path.startswith(ACTIONS):
            return "integrations:integration:view"
        if path.endswith("/function"):
            return "integrations:actionFunction:edit" if method == "PUT" else "integrations:actionFunction:view"
        if method == "DELETE":
            return "integrations:action:delete"
        if method == "PATCH" or (method == "POST" and (path.endswith("/draft") or path.endswith("/publish"))):
            return "integrations:action:edit"
        return "integrations:action:view"

    def _api(self, request, path, query, body):
        auth = request.headers.get("Authorization", "")
        token = auth[len("Bearer "):] if auth.startswith("Bearer ") else None
        if token not in self.tokens or self.refuse_tokens:
            return self._response(request, 401, {"message": "Invalid login credentials (token %s)" % token,
                                                 "code": "bad.credentials", "status": 401})
        permissions = self.clients[self.tokens[token]][1]
        needed = self._permission(request.method, path)
        if "*" not in permissions and needed not in permissions:
            return self._response(request, 403, {
                "message": "Unable to perform the requested action. You must have at least one of the following "
                           "permissions assigned: [%s]" % needed,
                "code": "missing.any.permissions", "status": 403, "messageParams": {"perms": needed}})
        if path == ACTIONS and request.method == "GET":
            return self._list(request, query)
        if path == DRAFTS and request.method == "GET":
            return self._list(request, query, self.drafts)
        if path.startswith(ACTIONS + "/"):
            action_id, dummy, tail = path[len(ACTIONS) + 1:].partition("/")
            action = self.actions.get(action_id)
            if action is None:
                return self._response(request, 404, {"message": "Action %s not found" % action_id,
                                                     "code": "not.found", "status": 404})
            if tail == "" and request.method == "GET":
                return self._response(request, 200, self._view(action, query.get("includeConfig") == "true"))
            if tail == "" and request.method == "PATCH":
                return self._patch(request, action, json.loads(body))
            return self._action_part(request, action, tail, query, body)
        if path.startswith(INTEGRATIONS + "/") and request.method == "GET":
            integration = self.integrations.get(path[len(INTEGRATIONS) + 1:])
            if integration is None:
                return self._response(request, 404, {"message": "Integration not found", "status": 404})
            return self._response(request, 200, copy.deepcopy(integration))
        if path == ANALYTICS and request.method == "POST":
            return self._analytics(request, json.loads(body))
        return self._response(request, 404, {"message": "no route", "status": 404})

    def _action_part(self, request, action, tail, query, body):
        """Templates, drafts and functions of one action."""
        action_id, method = action["id"], request.method
        draft = self.drafts.get(action_id)
        if tail.startswith("templates/") or tail.startswith("draft/templates/"):
            source = draft if tail.startswith("draft/") else action
            if source is None:
                return self._response(request, 404, {"message": "no draft", "status": 404})
            return self._template(request, source, tail.rsplit("/", 1)[-1])
        if tail == "draft" and method == "POST":
            if draft is not None:
                return self._response(request, 409, {"message": "A draft already exists for action %s." % action_id,
                                                     "code": "conflict", "status": 409})
            draft = copy.deepcopy(action)
            draft["version"] = 1
            self.drafts[action_id] = draft
            if action_id in self.functions:
                self.draft_functions[action_id] = copy.deepcopy(self.functions[action_id])
            return self._response(request, 200, self._view(draft, True))
        if tail in ("function", "draft/function"):
            if action_id not in self.functions:
                return self._response(request, 400, {"message": "Action %s is not a function data action." % action_id,
                                                     "code": "bad.request", "status": 400})
            if tail == "function":
                return self._response(request, 200, copy.deepcopy(self.functions[action_id]))
        if draft is None:
            return self._response(request, 404, {"message": "Action %s has no draft." % action_id,
                                                 "code": "not.found", "status": 404})
        if tail == "draft" and method == "GET":
            return self._response(request, 200, self._view(draft, query.get("includeConfig") == "true"))
        if tail == "draft" and method == "PATCH":
            return self._patch(request, draft, json.loads(body), is_draft=True)
        if tail == "draft" and method == "DELETE":
            del self.drafts[action_id]
            self.draft_functions.pop(action_id, None)
            return self._response(request, 204, None)
        if tail == "draft/publish" and method == "POST":
            sent = json.loads(body).get("version")
            if sent != draft["version"]:
                return self._conflict(request, sent, draft["version"], "Draft")
            for field in ("name", "category", "config", "contract", "secure"):
                action[field] = copy.deepcopy(draft[field])
            action["version"] += 1
            del self.drafts[action_id]
            if action_id in self.draft_functions:
                self.functions[action_id] = self.draft_functions.pop(action_id)
            return self._response(request, 200, self._view(action, True))
        if tail == "draft/function" and method == "GET":
            return self._response(request, 200, copy.deepcopy(self.draft_functions[action_id]))
        if tail == "draft/function" and method == "PUT":
            return self._put_function(request, action_id, json.loads(body))
        return self._response(request, 404, {"message": "no route", "status": 404})

    def _template(self, request, source, file_name):
        for section, inline, dummy_uri, name, default in TEMPLATES:
            if name == file_name:
                text = (source["config"].get(section) or {}).get(inline, default)
                if self.template_content_type == "application/json":
                    return self._response(request, 200, text)
                response = self._response(request, 200, None)
                response.headers["Content-Type"] = self.template_content_type
                response._content = text.encode("utf-8")
                return response
        return self._response(request, 404, {"message": "no template %s" % file_name, "status": 404})

    def _put_function(self, request, action_id, function):
        missing = [k for k in ("description", "handler", "runtime") if not function.get(k)]
        if missing:
            return self._response(request, 400, {"message": "Function %s required" % ", ".join(missing),
                                                 "code": "bad.request", "status": 400})
        timeout = function.get("timeoutSeconds")
        if timeout is not None and not 1 <= timeout <= 15:
            return self._response(request, 400, {"message": "timeoutSeconds should be between 1 and 15",
                                                 "code": "bad.request", "status": 400})
        config = self.draft_functions[action_id]
        # PUT replaces the Function, but for what it is not the PUT's to set: the id, and the zip the upload set
        # (and the name, as the emulator keeps it).
        kept = dict((k, config["function"][k]) for k in ("id", "name", "zipId") if k in config["function"])
        config["function"] = dict(kept, **copy.deepcopy(function))
        return self._response(request, 200, copy.deepcopy(config))

    def _conflict(self, request, sent, current, what="Action"):
        status = self.conflict_status
        if self.conflict_wording == "b":
            body = {"message": "%s version %s is stale; the latest version is %s." % (what, sent, current),
                    "code": "version.mismatch", "status": status}
        elif self.conflict_wording == "code":
            body = {"message": "The request could not be applied.", "code": "bad.request", "status": status,
                    "details": [{"errorCode": "version.mismatch", "fieldName": "version"}]}
        else:
            body = {"message": "The version supplied (%s) does not match the current version (%s)" % (sent, current),
                    "code": "bad.request", "status": status}
        return self._response(request, status, body)

    def _view(self, action, include_config):
        shown = copy.deepcopy(action)
        if not include_config:
            shown.pop("config", None)
        elif action["id"] in self.templates_by_uri:
            # The stored config holds the templates; this org lists them by URI only.
            for section, inline, uri, name, dummy in TEMPLATES:
                part = shown["config"].get(section)
                if isinstance(part, dict) and inline in part:
                    del part[inline]
                    part[uri] = "%s/%s/templates/%s" % (ACTIONS, action["id"], name)
        return shown

    def _list(self, request, query, source=None):
        page_size = int(query.get("pageSize", 25))
        page_number = int(query.get("pageNumber", 1))
        if page_size > self.page_size_max:
            return self._response(request, 400, {"message": "pageSize too large", "status": 400})
        found = sorted((self.actions if source is None else source).values(), key=lambda a: a["name"])
        if query.get("includeAuthActions") != "true":
            found = [a for a in found if not a["id"].startswith("customAuth_")]
        if "name" in query:
            found = [a for a in found if query["name"].lower() in a["name"].lower()]
        if "category" in query:
            found = [a for a in found if a["category"] == query["category"]]
        if "ids" in query:
            wanted = query["ids"].split(",")
            if len(wanted) > 50:
                return self._response(request, 400, {"message": "at most 50 ids", "status": 400})
            found = [a for a in found if a["id"] in wanted]
        page_count = int(math.ceil(len(found) / float(page_size))) if found else 0
        start = (page_number - 1) * page_size
        body = {"entities": [self._view(a, query.get("includeConfig") == "true")
                             for a in found[start:start + page_size]],
                "pageSize": page_size, "pageNumber": page_number, "total": len(found), "pageCount": page_count}
        if page_number < page_count:
            body["nextUri"] = "%s?pageNumber=%d" % (ACTIONS if source is None else DRAFTS, page_number + 1)
        return self._response(request, 200, body)

    def _patch(self, request, action, update, is_draft=False):
        hook = self.before_patch.pop(action["id"], None)
        if hook and not is_draft:
            hook(action)
        if update.get("version") != action["version"]:
            return self._conflict(request, update.get("version"), action["version"], "Draft" if is_draft else "Action")
        config = update.get("config")
        if not isinstance(config, dict) or "request" not in config:
            return self._response(request, 400, {"message": "config.request is required", "status": 400})
        timeout = config.get("timeoutSeconds")
        if timeout is not None and not 1 <= timeout <= 60:
            return self._response(request, 400, {"message": "timeoutSeconds must be 1-60", "status": 400})
        stored = copy.deepcopy(config)  # replace, the stricter case
        if stored.get("timeoutSeconds", 0) is None:
            del stored["timeoutSeconds"]  # null is unset
        for section, inline, uri, dummy, default in TEMPLATES:
            part = stored.get(section)
            if isinstance(part, dict):
                # A URI is the server's own pointer; a config without the inline template loses it (strictest case).
                part.pop(uri, None)
                part.setdefault(inline, default)
        action["config"] = stored
        action["name"] = update.get("name", action["name"])
        action["category"] = update.get("category", action["category"])
        action["version"] += 1
        if self.patch_answer == "empty":
            return self._response(request, 200, None)
        answer = self._view(action, self.patch_answer == "with-config")
        return self._response(request, 200, answer)

    def _analytics(self, request, query):
        """The actions aggregates query over ``executions``, grouped by action (and errorType when asked), with
        its rangeBound views; p95 and p99 only while ``analytics_percentiles``."""
        if self.analytics_answer is not None:
            return self._response(request, 200, copy.deepcopy(self.analytics_answer))
        by_error_type = "errorType" in (query.get("groupBy") or [])
        results = []
        for action_id in sorted(self.executions):
            groups = {}
            for execution in self.executions[action_id]:
                duration, error_type = execution if isinstance(execution, tuple) else (execution, None)
                groups.setdefault(error_type if by_error_type else None, []).append(duration)
            for error_type in sorted(groups, key=lambda e: e or ""):
                times = sorted(groups[error_type])
                stats = {"count": len(times), "sum": sum(times), "min": times[0], "max": times[-1]}
                if self.analytics_percentiles:
                    stats.update(p95=_nearest_rank(times, 95), p99=_nearest_rank(times, 99))
                data = {"interval": query["interval"], "metrics": [{"metric": "tTotalExecution", "stats": stats}]}
                if query.get("views"):
                    data["views"] = [{"name": view["name"], "stats": {"count": sum(
                        1 for t in times if view["range"].get("gte", 0) <= t < view["range"].get("lt", float("inf")))}}
                        for view in query["views"]]
                group = {"actionId": action_id}
                if error_type is not None:
                    group["errorType"] = error_type
                results.append({"group": group, "data": [data]})
        return self._response(request, 200, {"results": results} if results else {})  # empty: no results at all


def _nearest_rank(ordered, percent):
    return ordered[max(1, int(math.ceil(percent / 100.0 * len(ordered)))) - 1]

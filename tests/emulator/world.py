# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesyscloud.cx contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The emulator's world: orgs, OAuth clients, integrations, actions, drafts, functions, executions.

Loaded from a seed (see tests/emulator/README.md) and/or generated deterministically.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import bisect
import copy
import hashlib
import json
import math
import pickle
import random
import time
import uuid
from array import array

from .dependencies import generate_flows, load_flows

ALL_PERMISSIONS = (
    "integrations:action:view",
    "integrations:action:edit",
    "integrations:action:delete",
    "integrations:action:execute",
    "integrations:actionFunction:view",
    "integrations:actionFunction:edit",
    "integrations:integration:view",
    "bridge:actions:view",
    "bridge:actions:execute",
    "architect:dependencyTracking:view",
)

INTEGRATION_TYPE_NAMES = {
    "purecloud-data-actions": "Genesys Cloud Data Actions",
    "custom-rest-actions": "Web Services Data Actions",
    "function-data-actions": "Function Data Actions",
    "salesforce-datadip": "Salesforce Data Actions",
    "zendesk-datadip": "Zendesk Data Actions",
}

# Function.timeoutSeconds: 1..15, default 15 (official SDK / swagger text).
FUNCTION_TIMEOUT_DEFAULT = 15
# The platform's default templates: what a template that is not sent inline becomes under --templates-by-uri.
DEFAULT_REQUEST_TEMPLATE = "${input.rawRequest}"
DEFAULT_SUCCESS_TEMPLATE = "${rawResult}"
# The platform default for an action without config.timeoutSeconds (the announcement in genesys-cloud-api.md).
UNSET_TIMEOUT_SECONDS = 60

DAY_MS = 24 * 3600 * 1000
# Seeded history ends one minute before start and spans six days, so a 7-day query made up to
# 23 h 59 min after start covers every seeded execution (tests compute percentiles by hand).
HISTORY_END_BEFORE_START_MS = 60 * 1000
HISTORY_SPAN_MS = 6 * DAY_MS

# errorType of an execution, stored as a small code: index into this tuple.
ERROR_TYPES = (None, "timeout", "remote_endpoint")
_ERROR_CODE = {e: i for i, e in enumerate(ERROR_TYPES)}


class SeedError(ValueError):
    """A seed file that cannot be loaded; the message says what is wrong."""


class History:
    """One action's executions, sorted by time, in three parallel arrays.

    Columnar and compact so an org of 10,000 actions with hundreds of executions each loads, clones and
    answers an analytics query in well under a second: the interval is two bisects on `moments`.
    """

    __slots__ = ("moments", "durations", "errors")

    def __init__(self, moments=(), durations=(), errors=()):
        self.moments = array("q", moments)      # epoch ms, ascending
        self.durations = array("l", durations)  # ms
        self.errors = array("b", errors)        # index into ERROR_TYPES

    def __len__(self):
        return len(self.moments)

    def __getstate__(self):
        return (self.moments, self.durations, self.errors)

    def __setstate__(self, state):
        self.moments, self.durations, self.errors = state

    def __deepcopy__(self, memo):
        clone = History.__new__(History)
        clone.moments, clone.durations, clone.errors = array("q", self.moments), array("l", self.durations), \
            array("b", self.errors)
        return clone

    def add(self, moment_ms, duration_ms, error_type=None):
        """Record one execution, keeping time order (a clock step back must not break the bisects)."""
        moment_ms = int(moment_ms)
        if not self.moments or moment_ms >= self.moments[-1]:
            index = len(self.moments)
        else:
            index = bisect.bisect_right(self.moments, moment_ms)
        self.moments.insert(index, moment_ms)
        self.durations.insert(index, int(round(duration_ms)))
        self.errors.insert(index, _ERROR_CODE[error_type])

    def window(self, start_ms, end_ms):
        """(lo, hi): the slice of executions with start_ms <= moment < end_ms."""
        return bisect.bisect_left(self.moments, start_ms), bisect.bisect_left(self.moments, end_ms)

    def rows(self):
        """[(moment_ms, duration_ms, error_type or None)], for inspection and tests."""
        return [(m, d, ERROR_TYPES[e]) for m, d, e in zip(self.moments, self.durations, self.errors)]


class Org:
    """One Genesys Cloud organization as the emulator holds it."""

    def __init__(self, org_id, name):
        self.id = org_id
        self.name = name
        self.clients = {}        # client_id -> {"client_secret", "permissions": set, "forbidden": set of routes}
        self.integrations = {}   # id -> {"id", "name", "integrationType"}
        self.actions = {}        # id -> Action dict (with config and contract), insertion ordered
        self.backends = {}       # action id -> {"latency_ms", "jitter_ms", "error_rate"}
        self.executions = {}     # action id -> History
        self.drafts = {}         # action id -> draft Action dict
        self.functions = {}      # action id -> FunctionConfig dict
        self.draft_functions = {}  # action id -> FunctionConfig dict
        self.flows = {}          # flow id -> {"id", "name", "type", "published_version", "checked_in_version", "deleted"}
        self.consumers = {}      # action id -> [{"flow_id", "published", "checked_in"}]: the flows that call it

    def snapshot(self):
        """Everything a test may want to assert on, JSON-ready (no secrets)."""
        return {
            "name": self.name,
            "actions": self.actions,
            "drafts": self.drafts,
            "functions": self.functions,
            "draft_functions": self.draft_functions,
            "integrations": {
                i: _integration_body(integ) for i, integ in self.integrations.items()
            },
            "backends": self.backends,
            "execution_counts": {a: len(e) for a, e in self.executions.items() if e},
            "flows": self.flows,
            "consumers": self.consumers,
        }


def _integration_body(integ):
    type_id = integ["integrationType"]
    return {
        "id": integ["id"],
        "name": integ["name"],
        "integrationType": {
            "id": type_id,
            "name": INTEGRATION_TYPE_NAMES.get(type_id, type_id),
            "selfUri": "/api/v2/integrations/types/%s" % type_id,
        },
        "intendedState": "ENABLED",
        "selfUri": "/api/v2/integrations/%s" % integ["id"],
    }


integration_body = _integration_body


def action_self_uri(action_id):
    return "/api/v2/integrations/actions/%s" % action_id


def share_of_custom_actions(org, share, salt):
    """The ids of round(share x n) of the org's n custom actions (`custom_-_...`), chosen deterministically.

    The actions are ranked by a hash of (salt, org id, action id) and the first ones taken, so a larger share
    chooses a superset of a smaller one, share 1 chooses every one and share 0 none; the salt carries
    --random-seed and keeps two switches' choices independent.
    """
    custom = [action_id for action_id in org.actions if action_id.startswith("custom_")]
    count = int(math.floor(share * len(custom) + 0.5))
    if count <= 0:
        return []
    ranked = sorted(custom, key=lambda action_id: hashlib.sha256(
        ("%s/%s/%s" % (salt, org.id, action_id)).encode("utf-8")).digest())
    return ranked[:count]


class World:
    """All orgs plus client lookup; `clone()` backs /__emulator/reset."""

    def __init__(self):
        self.orgs = {}
        self.client_org = {}  # client_id -> org id

    def add_org(self, org):
        if org.id in self.orgs:
            raise SeedError("duplicate org id %r" % org.id)
        for client_id in org.clients:
            if client_id in self.client_org:
                raise SeedError("client_id %r is used by two orgs" % client_id)
            self.client_org[client_id] = org.id
        self.orgs[org.id] = org

    def clone(self):
        return World.thaw(self.freeze())

    def freeze(self):
        """The world as bytes; pickle is many times faster than deepcopy for large histories and configs."""
        return pickle.dumps(self, pickle.HIGHEST_PROTOCOL)

    @staticmethod
    def thaw(frozen):
        return pickle.loads(frozen)


# ---------------------------------------------------------------- seed loading

def _require(cond, message):
    if not cond:
        raise SeedError(message)


def _load_permissions(raw, where):
    _require(isinstance(raw, list) and all(isinstance(p, str) for p in raw),
             "%s: permissions must be a list of strings" % where)
    if "*" in raw:
        return set(ALL_PERMISSIONS)
    return set(raw)


def effective_timeout(config, unset_timeout_seconds=UNSET_TIMEOUT_SECONDS):
    """config.timeoutSeconds, or the platform default when it is unset."""
    timeout = (config or {}).get("timeoutSeconds")
    return unset_timeout_seconds if timeout is None else timeout


def history_window(now_ms):
    """[start, end) of seeded execution moments for a world loaded at now_ms."""
    end = now_ms - HISTORY_END_BEFORE_START_MS
    return end - HISTORY_SPAN_MS, end


def _is_number(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _duration_and_error(entry):
    """A seeded execution: a duration in ms, or [duration, errorType] (null, "timeout" or "remote_endpoint")."""
    if isinstance(entry, list) and len(entry) == 2 and entry[1] in _ERROR_CODE:
        return entry[0], entry[1]
    return entry, None


def _execution_history(spec, rng, timeout_s, now_ms, where):
    """Seeded analytics history: a list of durations (ms, oldest first; [ms, errorType] for a failure) or
    {count, latency_ms, jitter_ms, error_rate}.

    A duration above the effective timeout `timeout_s` is recorded cut off at exactly the timeout, error type
    `timeout`; every other duration is recorded as given (rounded to whole ms), with its errorType if given.
    """
    if spec is None:
        return History()
    error_rate = 0.0
    given_errors = None
    if isinstance(spec, list):
        pairs = [_duration_and_error(entry) for entry in spec]
        _require(all(_is_number(d) and d >= 0 for d, dummy in pairs),
                 "%s: executions list must hold durations in ms, or [duration, errorType] pairs whose errorType is "
                 "null, \"timeout\" or \"remote_endpoint\"" % where)
        durations = [d for d, dummy in pairs]
        given_errors = [_ERROR_CODE[e] for dummy, e in pairs]
    else:
        _require(isinstance(spec, dict), "%s: executions must be a list or an object" % where)
        count = spec.get("count", 0)
        latency = spec.get("latency_ms", 200)
        jitter = spec.get("jitter_ms", 0)
        error_rate = spec.get("error_rate", 0.0)
        _require(isinstance(count, int) and not isinstance(count, bool) and count >= 0,
                 "%s: executions.count must be an int >= 0" % where)
        _require(_is_number(latency) and latency >= 0 and _is_number(jitter) and jitter >= 0,
                 "%s: executions.latency_ms and jitter_ms must be numbers >= 0" % where)
        _require(_is_number(error_rate) and 0 <= error_rate <= 1,
                 "%s: executions.error_rate must be between 0 and 1" % where)
        if jitter:
            gauss, sigma = rng.gauss, jitter / 2.0
            durations = [max(1.0, gauss(latency, sigma)) for dummy in range(count)]
        else:
            durations = [max(1.0, float(latency))] * count
    start, dummy = history_window(now_ms)
    rand = rng.random
    # Sorted moments paired with durations in list order: an explicit list reads oldest first.
    moments = sorted(start + int(rand() * HISTORY_SPAN_MS) for dummy in range(len(durations)))
    limit_ms = timeout_s * 1000
    recorded, errors = [], []
    timeout_code, failure_code = _ERROR_CODE["timeout"], _ERROR_CODE["remote_endpoint"]
    for index, duration in enumerate(durations):
        if duration > limit_ms:
            recorded.append(limit_ms)
            errors.append(timeout_code)
        elif given_errors is not None:
            recorded.append(int(round(duration)))
            errors.append(given_errors[index])
        else:
            recorded.append(int(round(duration)))
            errors.append(failure_code if error_rate and rand() < error_rate else 0)
    return History(moments, recorded, errors)


def _check_action(action, org, where):
    _require(isinstance(action, dict), "%s must be an object" % where)
    for key in ("id", "name", "integrationId"):
        _require(isinstance(action.get(key), str) and action[key], "%s: %s is required" % (where, key))
    _require(action["integrationId"] in org.integrations,
             "%s: integrationId %r is not an integration of org %r" % (where, action["integrationId"], org.id))
    config = action.get("config", {})
    _require(isinstance(config, dict), "%s: config must be an object" % where)
    timeout = config.get("timeoutSeconds")
    _require(timeout is None or (isinstance(timeout, int) and not isinstance(timeout, bool) and 1 <= timeout <= 60),
             "%s: config.timeoutSeconds must be an int 1..60" % where)


def _normalise_action(raw):
    action = {
        "id": raw["id"],
        "name": raw["name"],
        "integrationId": raw["integrationId"],
        "category": raw.get("category", ""),
        "contract": copy.deepcopy(raw.get("contract") or _default_contract()),
        "version": raw.get("version", 1),
        "secure": bool(raw.get("secure", False)),
        "config": copy.deepcopy(raw.get("config") or {}),
        "selfUri": action_self_uri(raw["id"]),
    }
    return action


def _check_timeout(timeout, where, field="config.timeoutSeconds"):
    _require(timeout is None or (isinstance(timeout, int) and not isinstance(timeout, bool) and 1 <= timeout <= 60),
             "%s: %s must be an int 1..60" % (where, field))


def add_draft(org, action, config=None, version=1, name=None, category=None, function_timeout_seconds=None):
    """Give the action a pending draft: a copy of it with its own version (1 unless given) and, when given,
    its own config, name, category and (function actions) function timeout. Returns the draft."""
    draft = copy.deepcopy(action)
    draft["version"] = version
    draft["selfUri"] = action_self_uri(action["id"]) + "/draft"
    if config is not None:
        draft["config"] = copy.deepcopy(config)
    if name is not None:
        draft["name"] = name
    if category is not None:
        draft["category"] = category
    org.drafts[action["id"]] = draft
    if action["id"] in org.functions:
        function = copy.deepcopy(org.functions[action["id"]])
        function["selfUri"] = action_self_uri(action["id"]) + "/draft/function"
        if function_timeout_seconds is not None:
            function["function"]["timeoutSeconds"] = function_timeout_seconds
        org.draft_functions[action["id"]] = function
    return draft


def _load_draft(org, action, spec, where):
    """A seed action's `draft`: true (a copy, version 1) or {config | timeoutSeconds, version, name, category,
    function_timeout_seconds}."""
    _require(not action["id"].startswith("static_"), "%s: static actions cannot have drafts" % where)
    if spec is True:
        spec = {}
    _require(isinstance(spec, dict), "%s must be true or an object" % where)
    unknown = sorted(set(spec) - {"config", "timeoutSeconds", "version", "name", "category",
                                  "function_timeout_seconds"})
    _require(not unknown, "%s: unknown field(s) %s" % (where, ", ".join(unknown)))
    config = spec.get("config", action["config"])
    _require(isinstance(config, dict), "%s: config must be an object" % where)
    _check_timeout(config.get("timeoutSeconds"), where)
    config = copy.deepcopy(config)
    if "timeoutSeconds" in spec:
        _check_timeout(spec["timeoutSeconds"], where, "timeoutSeconds")
        if spec["timeoutSeconds"] is None:
            config.pop("timeoutSeconds", None)
        else:
            config["timeoutSeconds"] = spec["timeoutSeconds"]
    _require(not (action["id"].startswith("customAuth_") and "timeoutSeconds" in config),
             "%s: a custom authentication action cannot have timeoutSeconds" % where)
    version = spec.get("version", 1)
    _require(isinstance(version, int) and not isinstance(version, bool) and version >= 1,
             "%s: version must be an int >= 1" % where)
    for field in ("name", "category"):
        _require(spec.get(field) is None or isinstance(spec[field], str), "%s: %s must be a string" % (where, field))
    function_timeout = spec.get("function_timeout_seconds")
    _require(function_timeout is None or action["id"] in org.functions,
             "%s: function_timeout_seconds is only for actions of a function-data-actions integration" % where)
    _require(function_timeout is None or (isinstance(function_timeout, int) and not isinstance(function_timeout, bool)
                                          and 1 <= function_timeout <= 15),
             "%s: function_timeout_seconds must be an int 1..15" % where)
    add_draft(org, action, config, version, spec.get("name"), spec.get("category"), function_timeout)


def pending_draft_timeout(timeout, rng):
    """The timeout a generated pending draft holds: an older one, always different from the action's.

    Unset (60 s): an explicit 2, 3, 5 or 10. Set to 1: unset. Set higher: a quarter unset, otherwise lower by
    1 to half of it.
    """
    if timeout is None:
        return rng.choice((2, 3, 5, 10))
    if timeout == 1 or rng.random() < 0.25:
        return None
    return timeout - rng.randint(1, max(1, timeout // 2))


def _load_forbidden(raw, where):
    routes_ok = isinstance(raw, list) and all(isinstance(r, str) and r.count(" ") == 1 and " /api/v2/" in r
                                              for r in raw)
    _require(routes_ok, "%s: forbidden must be a list of routes like "
                        "\"POST /api/v2/analytics/actions/aggregates/query\"" % where)
    return set(raw)


def load_seed(seed, random_seed=0, unset_timeout_seconds=UNSET_TIMEOUT_SECONDS, now_ms=None):
    """Build a World from a parsed seed document; seeded history ends one minute before now_ms."""
    _require(isinstance(seed, dict) and isinstance(seed.get("orgs"), list) and seed["orgs"],
             "seed: top level must be an object with a non-empty 'orgs' list")
    world = World()
    now_ms = now_ms or int(time.time() * 1000)
    for index, raw_org in enumerate(seed["orgs"]):
        where = "orgs[%d]" % index
        _require(isinstance(raw_org, dict) and isinstance(raw_org.get("id"), str),
                 "%s: id is required" % where)
        org = Org(raw_org["id"], raw_org.get("name", raw_org["id"]))
        rng = random.Random("%s/%s" % (random_seed, org.id))
        for c_index, client in enumerate(raw_org.get("clients", [])):
            c_where = "%s.clients[%d]" % (where, c_index)
            _require(isinstance(client, dict) and isinstance(client.get("client_id"), str)
                     and isinstance(client.get("client_secret"), str),
                     "%s: client_id and client_secret are required strings" % c_where)
            org.clients[client["client_id"]] = {
                "client_secret": client["client_secret"],
                "permissions": _load_permissions(client.get("permissions", ["*"]), c_where),
                "forbidden": _load_forbidden(client.get("forbidden", []), c_where),
            }
        for i_index, integ in enumerate(raw_org.get("integrations", [])):
            i_where = "%s.integrations[%d]" % (where, i_index)
            _require(isinstance(integ, dict) and isinstance(integ.get("id"), str)
                     and isinstance(integ.get("integrationType"), str),
                     "%s: id and integrationType are required" % i_where)
            org.integrations[integ["id"]] = {
                "id": integ["id"], "name": integ.get("name", integ["id"]),
                "integrationType": integ["integrationType"],
            }
        for a_index, raw in enumerate(raw_org.get("actions", [])):
            a_where = "%s.actions[%d]" % (where, a_index)
            _check_action(raw, org, a_where)
            action = _normalise_action(raw)
            _require(action["id"] not in org.actions, "%s: duplicate action id" % a_where)
            org.actions[action["id"]] = action
            backend = raw.get("backend") or {}
            _require(isinstance(backend, dict), "%s: backend must be an object" % a_where)
            org.backends[action["id"]] = {
                "latency_ms": backend.get("latency_ms", 150),
                "jitter_ms": backend.get("jitter_ms", 0),
                "error_rate": backend.get("error_rate", 0.0),
            }
            org.executions[action["id"]] = _execution_history(
                raw.get("executions"), rng, effective_timeout(action["config"], unset_timeout_seconds), now_ms,
                a_where)
            function_timeout = raw.get("function_timeout_seconds")
            if org.integrations[action["integrationId"]]["integrationType"] == "function-data-actions":
                _require(function_timeout is None or (isinstance(function_timeout, int)
                                                      and not isinstance(function_timeout, bool)
                                                      and 1 <= function_timeout <= 15),
                         "%s: function_timeout_seconds must be an int 1..15" % a_where)
                org.functions[action["id"]] = function_config(action["id"], action["name"], function_timeout)
            else:
                _require(function_timeout is None,
                         "%s: function_timeout_seconds is only for actions of a function-data-actions integration"
                         % a_where)
            if raw.get("draft") not in (None, False):
                _load_draft(org, action, raw["draft"], a_where + ".draft")
        if "flows" in raw_org:
            load_flows(org, raw_org["flows"], lambda message: _require(False, "%s.%s" % (where, message)))
        generate = raw_org.get("generate", 0)
        _require(isinstance(generate, int) and generate >= 0, "%s: generate must be an int >= 0" % where)
        if generate:
            generate_actions(org, generate, rng, now_ms, unset_timeout_seconds)
        world.add_org(org)
    return world


def load_seed_file(path, random_seed=0, unset_timeout_seconds=UNSET_TIMEOUT_SECONDS, now_ms=None):
    try:
        with open(path, "r") as handle:
            seed = json.load(handle)
    except (OSError, ValueError) as exc:
        raise SeedError("cannot read seed %s: %s" % (path, exc))
    return load_seed(seed, random_seed, unset_timeout_seconds, now_ms)


def default_world(generate=0, random_seed=0, unset_timeout_seconds=UNSET_TIMEOUT_SECONDS, now_ms=None):
    """No --seed: one org `demo`, client demo-client/demo-secret with every permission."""
    return load_seed({"orgs": [{
        "id": "demo", "name": "Demo org",
        "clients": [{"client_id": "demo-client", "client_secret": "demo-secret", "permissions": ["*"]}],
        "generate": generate,
    }]}, random_seed, unset_timeout_seconds, now_ms)


def function_config(action_id, action_name, timeout_seconds=None, rng=None):
    """A FunctionConfig in the SDK's shape; timeoutSeconds defaults to 15 like the API."""
    rng = rng or random.Random(action_id)
    function_id = str(uuid.UUID(int=rng.getrandbits(128)))
    zip_id = str(uuid.UUID(int=rng.getrandbits(128)))
    return {
        "id": function_id,
        "function": {
            "id": function_id,
            "name": action_name,
            "description": "Handler for %s" % action_name,
            "dateCreated": "2026-01-15T10:00:00.000Z",
            "zipId": zip_id,
            "handler": "src/index.handler",
            "runtime": "nodejs22.x",
            "timeoutSeconds": FUNCTION_TIMEOUT_DEFAULT if timeout_seconds is None else timeout_seconds,
        },
        "zip": {"id": zip_id, "name": "function.zip", "status": "Available",
                "dateCreated": "2026-01-15T10:00:00.000Z"},
        "uploadExceptionHistory": [],
        "selfUri": action_self_uri(action_id) + "/function",
    }


# ---------------------------------------------------------------- generation

_GEN_INTEGRATIONS = (
    ("Genesys Cloud Data Actions", "purecloud-data-actions"),
    ("CRM Web Services", "custom-rest-actions"),
    ("Billing API", "custom-rest-actions"),
    ("Order Service", "custom-rest-actions"),
    ("Lambda Functions", "function-data-actions"),
    ("Salesforce", "salesforce-datadip"),
    ("Zendesk", "zendesk-datadip"),
)

_VERBS = ("Get", "Lookup", "Search", "Create", "Update", "Check", "Fetch", "Validate", "Find", "List", "Verify",
          "Sync")
_NOUNS = ("Customer by Phone", "Account Balance", "Open Cases", "Order Status", "Loyalty Tier", "Invoice",
          "Shipment", "Contact by Email", "Agent Skills", "Queue Estimated Wait", "Callback Slot", "Payment Plan",
          "Appointment", "Warranty", "Subscription", "Fraud Score", "Ticket", "Delivery Window", "Store Hours",
          "Credit Limit")
_CATEGORY_ALIASES = ("Customer Lookup", "Payments", "Routing", "Self Service")


def _uuid(rng):
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def _default_contract():
    return {
        "input": {"inputSchema": {"type": "object", "properties": {}, "additionalProperties": True}},
        "output": {"successSchema": {"type": "object", "properties": {}, "additionalProperties": True}},
    }


def _contract(field, outputs):
    return {
        "input": {"inputSchema": {
            "$schema": "http://json-schema.org/draft-04/schema#", "title": "Request", "type": "object",
            "required": [field], "properties": {field: {"type": "string"}}, "additionalProperties": True}},
        "output": {"successSchema": {
            "$schema": "http://json-schema.org/draft-04/schema#", "title": "Response", "type": "object",
            "properties": {o: {"type": "string"} for o in outputs}, "additionalProperties": True}},
    }


def _config(rng, type_id, noun, field, outputs, timeout):
    slug = noun.lower().replace(" ", "-")
    if type_id == "purecloud-data-actions":
        url = "/api/v2/%s/${input.%s}" % (rng.choice(("users", "routing/queues", "conversations", "externalcontacts/contacts")), field)
    elif type_id == "function-data-actions":
        url = "/function/%s" % slug
    else:
        url = "https://%s.example.com/api/v1/%s/${input.%s}" % (
            rng.choice(("crm", "billing", "orders", "svc")), slug, field)
    method = rng.choice(("GET", "GET", "GET", "POST", "PUT"))
    config = {
        "request": {
            "requestUrlTemplate": url,
            "requestType": method,
            "headers": {"Accept": "application/json", "UserAgent": "PureCloudIntegrations/1.0"},
            "requestTemplate": "${input.rawRequest}",
        },
        "response": {
            "translationMap": {o: "$.%s" % o for o in outputs},
            "translationMapDefaults": {o: "\"\"" for o in outputs},
            "successTemplate": "{%s}" % ", ".join("\"%s\": ${%s}" % (o, o) for o in outputs),
        },
    }
    if method != "GET":
        config["request"]["headers"]["Content-Type"] = "application/json"
    if timeout is not None:
        config["timeoutSeconds"] = timeout
    if rng.random() < 0.25:
        # A field our client does not know: replace semantics must not lose it.
        config["retryPolicy"] = {"maxAttempts": rng.choice((1, 2, 3)), "backoffMs": rng.choice((100, 250))}
    return config


# Shares of generated actions (custom and static) by configured timeout. Most real actions predate the
# timeout setting, so they run unset at the 60 s default.
TIER_SHARES = (("unset", 0.60), ("low", 0.20), ("middle", 0.10), ("high", 0.10))
_TIER_TIMEOUTS = {
    "low": (1, 2, 2, 3, 3, 3, 4, 5, 5),
    "middle": (6, 8, 10, 10, 12, 15),
    "high": (20, 30, 30, 45, 60),
}
# Shares by execution history: most actions run often; some too rarely to size a timeout; some never.
HISTORY_SHARES = (("rich", 0.85), ("few", 0.10), ("none", 0.05))
RICH_HISTORY = (40, 500)
FEW_HISTORY = (1, 29)


def _quota(rng, count, shares):
    """`count` labels in exactly the given shares (largest remainder), shuffled: small orgs keep the shares too."""
    exact = [share * count for dummy, share in shares]
    counts = [int(e) for e in exact]
    by_remainder = sorted(range(len(shares)), key=lambda i: exact[i] - counts[i], reverse=True)
    for i in by_remainder[:count - sum(counts)]:
        counts[i] += 1
    labels = [label for (label, dummy), n in zip(shares, counts) for dummy2 in range(n)]
    rng.shuffle(labels)
    return labels


def _fast(rng, high=350):
    # jitter up to 40% of latency (sigma = jitter / 2): p99 stays below 1.5 x latency, well under 1 s.
    latency = rng.randint(40, max(41, high))
    return latency, int(latency * rng.uniform(0.1, 0.4))


def _pick_backend(rng, tier, timeout):
    """A backend that fits the tier: the mix the collection has to tell apart."""
    roll = rng.random()
    if tier == "unset":
        if roll < 0.88:
            latency, jitter = _fast(rng)            # the 60 s default is far too generous
        else:
            latency = rng.randint(2000, 9000)       # slow, still well inside 60 s
            jitter = int(latency * rng.uniform(0.1, 0.3))
    elif tier == "low":
        if roll < 0.5:
            # Near the timeout: some executions run past it and are cut off there.
            latency = int(timeout * 1000 * rng.uniform(0.6, 1.3))
            jitter = int(latency * rng.uniform(0.2, 0.5))
        else:
            latency, jitter = _fast(rng, high=min(350, int(timeout * 1000 * 0.3)))
    elif roll < 0.5:
        latency, jitter = _fast(rng)
    elif roll < 0.8:
        latency = rng.randint(500, 2500)
        jitter = int(latency * rng.uniform(0.1, 0.3))
    else:
        if tier == "middle":
            latency = int(timeout * 1000 * rng.uniform(0.5, 1.1))
        else:
            latency = rng.randint(2500, 9000)
        jitter = int(latency * rng.uniform(0.1, 0.3))
    return {"latency_ms": latency, "jitter_ms": jitter,
            "error_rate": rng.choice((0.0, 0.0, 0.0, 0.01, 0.02))}


def _history_count(rng, kind):
    if kind == "none":
        return 0
    if kind == "few":
        return rng.randint(*FEW_HISTORY)
    # Log-uniform: a few busy actions, many quieter ones, as in real orgs.
    low, high = RICH_HISTORY
    return min(high, int(round(math.exp(rng.uniform(math.log(low), math.log(high))))))


def generate_actions(org, count, rng, now_ms=None, unset_timeout_seconds=UNSET_TIMEOUT_SECONDS):
    """Add `count` realistic actions (plus custom-auth actions) to org, deterministically from rng.

    See tests/emulator/README.md for the distribution; TIER_SHARES and HISTORY_SHARES hold exactly.
    """
    now_ms = now_ms or int(time.time() * 1000)
    integrations = []
    for name, type_id in _GEN_INTEGRATIONS:
        integ = {"id": _uuid(rng), "name": name, "integrationType": type_id}
        org.integrations[integ["id"]] = integ
        integrations.append(integ)
        if type_id == "custom-rest-actions":
            # The custom authentication action of a web-services integration: no timeoutSeconds allowed.
            auth_id = "customAuth_-_%s" % integ["id"]
            org.actions[auth_id] = {
                "id": auth_id, "name": "%s Custom Auth" % name, "integrationId": integ["id"],
                "category": name, "contract": _default_contract(), "version": rng.randint(1, 4),
                "secure": True,
                "config": {
                    "request": {"requestUrlTemplate": "https://auth.example.com/oauth/token", "requestType": "POST",
                                "headers": {"Content-Type": "application/x-www-form-urlencoded"},
                                "requestTemplate": "grant_type=client_credentials"},
                    "response": {"translationMap": {"token": "$.access_token"}, "translationMapDefaults": {},
                                 "successTemplate": "{\"token\": ${token}}"},
                },
                "selfUri": action_self_uri(auth_id),
            }
            org.backends[auth_id] = {"latency_ms": 120, "jitter_ms": 30, "error_rate": 0.0}
            org.executions[auth_id] = History()
    names = set(a["name"] for a in org.actions.values())
    next_suffix = {}
    static_budget = max(1, count // 40)
    tiers = _quota(rng, count, TIER_SHARES)
    histories = _quota(rng, count, HISTORY_SHARES)
    generated = []
    for index in range(count):
        integ = integrations[index % len(integrations)] if index < len(integrations) else rng.choice(integrations)
        type_id = integ["integrationType"]
        verb, noun = rng.choice(_VERBS), rng.choice(_NOUNS)
        base = name = "%s %s" % (verb, noun)
        while name in names:
            # One counter per base name keeps this linear for 10,000 actions.
            suffix = next_suffix.get(base, 2)
            next_suffix[base] = suffix + 1
            name = "%s v%d" % (base, suffix)
        names.add(name)
        field = rng.choice(("customerId", "phoneNumber", "accountId", "email", "orderId", "conversationId"))
        outputs = rng.sample(("status", "name", "balance", "tier", "eta", "caseCount", "score", "message"), 3)
        tier = tiers[index]
        timeout = None if tier == "unset" else rng.choice(_TIER_TIMEOUTS[tier])
        is_static = type_id == "purecloud-data-actions" and static_budget > 0 and rng.random() < 0.3
        if is_static:
            static_budget -= 1
            action_id = "static_-_%s" % _uuid(rng)
        else:
            action_id = "custom_-_%s" % _uuid(rng)
        category = integ["name"] if rng.random() < 0.7 else rng.choice(_CATEGORY_ALIASES)
        org.actions[action_id] = {
            "id": action_id, "name": name, "integrationId": integ["id"], "category": category,
            "contract": _contract(field, outputs), "version": rng.randint(1, 12),
            "secure": rng.random() < 0.15,
            "config": _config(rng, type_id, noun, field, outputs, timeout),
            "selfUri": action_self_uri(action_id),
        }
        backend = _pick_backend(rng, tier, timeout)
        org.backends[action_id] = backend
        history_spec = {"count": _history_count(rng, histories[index]), "latency_ms": backend["latency_ms"],
                        "jitter_ms": backend["jitter_ms"], "error_rate": backend["error_rate"]}
        org.executions[action_id] = _execution_history(
            history_spec, rng, unset_timeout_seconds if timeout is None else timeout, now_ms, action_id)
        if type_id == "function-data-actions":
            org.functions[action_id] = function_config(action_id, name, rng.choice((None, 5, 10, 15)), rng)
        generated.append(action_id)
    # The flows that call the generated actions, from their own generator so the actions stay as they were.
    generate_flows(org, generated, random.Random("flows/%r" % rng.random()))

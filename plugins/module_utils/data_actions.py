# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesyscloud.cx contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Data actions as the API gives them: the collection's words for them (kinds, statuses, limits), listing and
reading them (drafts, templates named by URI) and summarizing them.

Function actions are in _function_actions.py, a run's requests in _timeout_requests.py, the plan that decides
and applies timeout changes in _timeout_plan.py, and the results it reports in _timeout_results.py.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import copy
import json

from ansible_collections.genesyscloud.cx.plugins.module_utils.errors import GenesysCloudError


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
# UNKNOWN: an update sent whose outcome could not be learned (its answer was lost, and so was the read that would
# have settled it): it may have been applied. Never counted as changed, nor as failed; the journal leaves it
# unsettled, and a rollback undoes it only where it shows.
UNKNOWN = "unknown"
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


# ---- filtering and ordering summaries -------------------------------------------------------------
def sort_by_name(summaries):
    return sorted(summaries, key=lambda s: ((s.get("name") or "").lower(), s.get("name") or "", s.get("id") or ""))


def timeout_at_most(summaries, limit):
    """Actions whose *effective* timeout is at most ``limit`` (unset counts as 60). Custom-auth actions have none."""
    return [s for s in summaries if s["kind"] != KIND_CUSTOM_AUTH and s["effective_timeout_seconds"] <= limit]


def with_explicit_timeout(summaries, explicit):
    """Actions that set config.timeoutSeconds (``explicit`` true) or that leave it to the default (false)."""
    return [s for s in summaries if (s["timeout_seconds"] is not None) == bool(explicit)]

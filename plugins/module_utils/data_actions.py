# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesyscloud.cx contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Data actions: listing and normalising them, planning timeout changes, and applying them safely."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import copy
from collections import namedtuple
from concurrent.futures import ThreadPoolExecutor

from ansible_collections.genesyscloud.cx.plugins.module_utils.errors import (
    InvalidInputError,
    NotFoundError,
    OutcomeUnknownError,
    ServerError,
    VersionConflictError,
    scrub,
)

ACTIONS_PATH = "/api/v2/integrations/actions"
MAX_IDS_PER_REQUEST = 50  # the API's limit for the ids filter
MIN_TIMEOUT, MAX_TIMEOUT = 1, 60
# An action without config.timeoutSeconds runs with the platform default, which is also the maximum
# (Genesys's announcement of the setting: "between 1 and 60 seconds, with a default of 60 seconds").
PLATFORM_DEFAULT_TIMEOUT = 60
MAX_PARALLEL = 32
MAX_ATTEMPTS = 3  # PATCH attempts per action that meet a version conflict (another writer)
MAX_UNANSWERED = 6  # PATCH attempts per action left unanswered (5xx, dropped) and found not applied

KIND_CUSTOM, KIND_STATIC, KIND_CUSTOM_AUTH = "custom", "static", "custom_auth"
UPDATED, UNCHANGED, WOULD_UPDATE, DRIFTED, FAILED = "updated", "unchanged", "would_update", "drifted", "failed"
# A plan item's decision before it is carried out; never a result status.
UPDATE = "update"
MODE_EXACT, MODE_AT_LEAST = "exact", "at_least"
DRIFT_FAIL, DRIFT_SKIP, DRIFT_APPLY = "fail", "skip", "apply"


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


def list_actions(client, ids=None, name=None, category=None, include_auth_actions=False, page_size=100):
    """Every action matching the server-side filters, with config, in as few requests as paging allows.

    ``name`` is matched exactly here, since the API's name filter also returns partial matches.
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
            for action in client.list_all(ACTIONS_PATH, query, page_size=page_size):
                if action.get("id") not in seen:
                    seen.add(action.get("id"))
                    actions.append(action)
    else:
        actions = client.list_all(ACTIONS_PATH, params, page_size=page_size)
    if name:
        actions = [a for a in actions if a.get("name") == name]
    return actions


def sort_by_name(summaries):
    return sorted(summaries, key=lambda s: ((s.get("name") or "").lower(), s.get("name") or "", s.get("id") or ""))


def timeout_at_most(summaries, limit):
    """Actions whose *effective* timeout is at most ``limit`` (unset counts as 60). Custom-auth actions have none."""
    return [s for s in summaries if s["kind"] != KIND_CUSTOM_AUTH and s["effective_timeout_seconds"] <= limit]


def with_explicit_timeout(summaries, explicit):
    """Actions that set config.timeoutSeconds (``explicit`` true) or that leave it to the default (false)."""
    return [s for s in summaries if (s["timeout_seconds"] is not None) == bool(explicit)]


# ---- input --------------------------------------------------------------------------------------
def check_timeout(value, where, allow_null=False):
    """An int 1..60 (a numeric string is accepted), or None when allowed."""
    if value is None:
        if allow_null:
            return None
        raise InvalidInputError("%s is required: an integer from %d to %d." % (where, MIN_TIMEOUT, MAX_TIMEOUT))
    if isinstance(value, bool):
        number = None
    elif isinstance(value, int):
        number = value
    elif isinstance(value, str) and value.strip().isdigit():
        number = int(value.strip())
    else:
        number = None
    if number is None or not MIN_TIMEOUT <= number <= MAX_TIMEOUT:
        raise InvalidInputError("%s must be an integer from %d to %d%s, got %r." % (
            where, MIN_TIMEOUT, MAX_TIMEOUT, " or null" if allow_null else "", value))
    return number


class TimeoutRequest(object):
    """One wanted change: an action named by id or exact name, its timeout, and the approved version.

    ``reselect``, for actions chosen by a rule rather than named: called with the action as re-read after
    a concurrent change, it answers ``(still_selected, reason)``, so a run re-decides by its rule.
    """

    def __init__(self, timeout_seconds, action_id=None, name=None, version=None, reselect=None):
        self.action_id = action_id
        self.name = name
        self.timeout_seconds = timeout_seconds
        self.version = version
        self.reselect = reselect
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
        raise InvalidInputError("%s %s is a built-in static action; the public API cannot update it." % (
            where, action_id))
    if kind == KIND_CUSTOM_AUTH:
        raise InvalidInputError(
            "%s %s is a custom authentication action; timeoutSeconds is invalid for those." % (where, action_id))
    return action_id


def timeout_requests(params):
    """Validate the module's selector options into TimeoutRequests, before any request is sent."""
    selectors = [k for k in ("id", "name", "ids", "actions") if params.get(k) is not None]
    if len(selectors) != 1:
        raise InvalidInputError("Give exactly one of id, name, ids or actions (got %s)." % (
            ", ".join(selectors) or "none"))
    selector = selectors[0]
    mode = params.get("mode") or MODE_EXACT
    if selector == "actions":
        if params.get("timeout_seconds") is not None:
            raise InvalidInputError("timeout_seconds goes inside each entry of actions, not beside it.")
        entries = params["actions"]
        if not entries:
            raise InvalidInputError("actions must not be empty.")
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
            if entry.get("id"):
                wanted.append(TimeoutRequest(timeout, action_id=_check_updatable_id(entry["id"], where + ".id"),
                                             version=version))
            else:
                wanted.append(TimeoutRequest(timeout, name=entry["name"], version=version))
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
    """Pair every request with its one action; raise naming every entry that matches none or several."""
    by_id = dict((a.get("id"), a) for a in actions)
    problems, pairs = [], []
    for request in wanted:
        if request.action_id:
            action = by_id.get(request.action_id)
            if action is None:
                problems.append("no data action has id %s" % request.action_id)
                continue
        else:
            matches = [a for a in actions if a.get("name") == request.name]
            if not matches:
                problems.append("no data action is named %r" % request.name)
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
    if problems:
        raise NotFoundError("; ".join(problems), hint="Nothing was changed.")
    return pairs


# ---- planning -----------------------------------------------------------------------------------
def decide(action, desired, mode=MODE_EXACT, approved_version=None, on_drift=DRIFT_FAIL):
    """What to do with one action as read: (status, msg) with status unchanged, update, or drifted."""
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


class PlanItem(namedtuple("PlanItem", "request action status msg")):
    """One request paired with its action as read, and what the plan decided (UPDATE, or a result status)."""

    __slots__ = ()


def patch_body(action, desired):
    """The complete action as read with only config.timeoutSeconds changed (removed for None)."""
    config = copy.deepcopy(action.get("config") or {})
    if desired is None:
        config.pop("timeoutSeconds", None)
    else:
        config["timeoutSeconds"] = desired
    return {"name": action.get("name"), "category": action.get("category"), "config": config,
            "version": action.get("version")}


# ---- applying -----------------------------------------------------------------------------------
class Plan(object):
    """Decisions for every request, made from one listing; ``apply`` carries out the updates."""

    def __init__(self, pairs, mode=MODE_EXACT, on_drift=DRIFT_FAIL, max_changes=None):
        self.mode = mode
        self.on_drift = on_drift
        self.max_changes = max_changes
        self.items = []
        for request, action in pairs:
            if request.skip:
                status, msg = UNCHANGED, request.skip
            else:
                status, msg = decide(action, request.timeout_seconds, mode, request.version, on_drift)
            self.items.append(PlanItem(request, action, status, msg))

    @property
    def updates(self):
        return [item for item in self.items if item.status == UPDATE]

    def predicted_results(self):
        """What a real run would report, with would_update for the updates (version_after unknown)."""
        results = []
        for item in self.items:
            if item.status == UPDATE:
                results.append(_result(item.action, WOULD_UPDATE, item.msg, after_timeout=item.request.timeout_seconds))
            else:
                results.append(unchanged_result(item.action, item.status, item.msg))
        return results

    def refusal(self):
        """Why nothing may be written, or None: drift already seen with on_drift fail, or more changes than
        max_changes. Decided from the listing, before any write."""
        drifted = sorted(item.action.get("id") for item in self.items if item.status == DRIFTED)
        if self.on_drift == DRIFT_FAIL and drifted:
            return "%d action(s) drifted from the approved version (on_drift: fail): %s" % (
                len(drifted), ", ".join(drifted[:10]) + (", ..." if len(drifted) > 10 else ""))
        if self.max_changes is not None and len(self.updates) > self.max_changes:
            return "%d actions would change, more than max_changes (%d)" % (len(self.updates), self.max_changes)
        return None

    def refused(self):
        return self.refusal() is not None

    def refused_results(self):
        """The predicted results, with every update marked as not applied, and why."""
        reason = self.refusal()
        results = self.predicted_results()
        for result in results:
            if result["status"] == WOULD_UPDATE:
                result["msg"] = "not applied, because %s: %s" % (reason, result["msg"])
        return results

    def apply(self, client, parallel=8, secrets=None):
        """PATCH every update, up to ``parallel`` at once; returns a result per request, in request order."""
        results = self.predicted_results()
        positions = [n for n, item in enumerate(self.items) if item.status == UPDATE]
        if not positions:
            return results
        workers = max(1, min(int(parallel), MAX_PARALLEL, len(positions)))
        with ThreadPoolExecutor(max_workers=workers) as pool:
            futures = dict((n, pool.submit(self._update_one, client, self.items[n].request, self.items[n].action,
                                           secrets))
                           for n in positions)
            for n, future in futures.items():
                results[n] = future.result()
        return results

    def _update_one(self, client, request, action, secrets=None):
        try:
            return self._update(client, request, action)
        except Exception as exc:  # one action's failure must not hide the others' results
            return _result(action, FAILED, scrub(str(exc) or type(exc).__name__, secrets),
                           after_timeout=timeout_of(action), version_after=action.get("version"))

    def _update(self, client, request, action):
        desired = request.timeout_seconds
        path = action_path(action["id"])
        conflicts = unanswered = 0
        note = ""
        while True:
            if note and request.reselect is not None:
                # Chosen by a rule, not approved: the re-read action is decided again by that rule.
                still, why = request.reselect(action)
                if not still:
                    return unchanged_result(action, UNCHANGED, "no longer selected after a concurrent change: %s%s"
                                            % (why, note))
            status, msg = decide(action, desired, self.mode, request.version, self.on_drift)
            if status != UPDATE:
                return unchanged_result(action, status, msg + note)
            if conflicts >= MAX_ATTEMPTS:
                return unchanged_result(action, FAILED, "gave up after %d updates that met concurrent changes%s" % (
                    conflicts, note))
            body = patch_body(action, desired)
            try:
                answer = client.patch(path, body)
            except VersionConflictError:
                conflicts += 1
                note = "; re-read after a version conflict"
                action = self._reread(client, path)
                continue
            except (OutcomeUnknownError, ServerError) as exc:
                # The PATCH may have applied: settle it by reading, never by sending it blindly again.
                fresh = self._reread(client, path)
                if timeout_of(fresh) == desired and fresh.get("version") == body["version"] + 1 and (
                        desired is not None or "timeoutSeconds" not in (fresh.get("config") or {})):
                    return _result(action, UPDATED, msg + "; confirmed by re-reading after an unanswered update "
                                   "(%s)" % (exc.status and "HTTP %s" % exc.status or exc.detail),
                                   after_timeout=desired, version_after=fresh.get("version"))
                if not isinstance(exc, OutcomeUnknownError) and exc.status not in (502, 503, 504):
                    return unchanged_result(fresh, FAILED, str(exc))
                unanswered += 1
                if unanswered >= MAX_UNANSWERED:
                    return unchanged_result(fresh, FAILED, "gave up after %d updates left unanswered and not "
                                            "applied (last: %s)" % (unanswered, exc))
                note = "; re-read after an unanswered update"
                action = fresh
                client.pause(unanswered)  # the server is struggling: back off before sending it again
                continue
            return self._verified(action, desired, body, answer, msg + note)

    @staticmethod
    def _reread(client, path):
        return client.get(path, {"includeConfig": "true"})

    @staticmethod
    def _verified(action, desired, body, answer, msg):
        """Check the PATCH answer shows our timeout and a newer version."""
        answer = answer if isinstance(answer, dict) else {}
        got_timeout = timeout_of(answer)
        got_version = answer.get("version")
        removed_ok = desired is not None or "timeoutSeconds" not in (answer.get("config") or {})
        if got_timeout == desired and removed_ok and isinstance(got_version, int) and got_version > body["version"]:
            return _result(action, UPDATED, msg, after_timeout=desired, version_after=got_version)
        return _result(action, FAILED, "the update was accepted, but the answer shows timeout %s and version %s "
                       "(sent %s with version %s); check the action and the server's config patch semantics" % (
                           show_timeout(got_timeout), got_version, show_timeout(desired), body["version"]),
                       after_timeout=got_timeout, version_after=got_version)


def diff_of(results):
    """One line per action that changes (or would), sorted by name: its timeout before and after, and its
    version once written (check mode cannot know the new one). ``{}`` when nothing changes.

    A prepared diff, so a large org reads as a list rather than as hundreds of lines of JSON.
    """
    lines = []
    for result in sorted(results, key=lambda r: ((r["name"] or "").lower(), r["name"] or "", r["id"])):
        if result["status"] not in (UPDATED, WOULD_UPDATE):
            continue
        line = "%s (%s): timeout %s -> %s" % (result["name"], result["id"], show_timeout(result["timeout_seconds_before"]),
                                              show_timeout(result["timeout_seconds_after"]))
        if result["version_after"] is not None:
            line += ", version %s -> %s" % (result["version_before"], result["version_after"])
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

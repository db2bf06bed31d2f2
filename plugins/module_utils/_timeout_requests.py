# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesyscloud.cx contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# FOR INTERNAL COLLECTION USE ONLY
# The interfaces in this file are meant for use within the genesyscloud.cx collection and may change in
# any release.

"""A run's input: timeouts checked against the API's bounds, the requests of a run (timeouts, plans, rollbacks)
and the actions they name, read and resolved."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from collections import namedtuple

from ansible_collections.genesyscloud.cx.plugins.module_utils.data_actions import (
    KIND_CUSTOM,
    KIND_CUSTOM_AUTH,
    KIND_STATIC,
    MAX_FUNCTION_TIMEOUT,
    MAX_IDS_PER_REQUEST,
    MAX_TIMEOUT,
    MIN_FUNCTION_TIMEOUT,
    MIN_TIMEOUT,
    MODE_AT_LEAST,
    MODE_EXACT,
    action_kind,
    list_actions,
)
from ansible_collections.genesyscloud.cx.plugins.module_utils.errors import InvalidInputError, NotFoundError


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

# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesyscloud.cx contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# FOR INTERNAL COLLECTION USE ONLY
# The interfaces in this file are meant for use within the genesyscloud.cx collection and may change in
# any release.

"""The flows that call each data action, from Architect dependency tracking.

``GET /api/v2/architect/dependencytracking/consumingresources?id={actionId}&objectType=DATAACTION`` lists the
resources that consume an action (``Dependency {id, name, version, type, deleted, updated, stateUnknown}``),
paged; ``GET /api/v2/architect/dependencytracking/build`` says whether that data is being rebuilt. Both need
``architect:dependencyTracking:view``.

What it costs, per org: nothing when no action is asked about; otherwise one build-status read, then, per action
asked about, one request per page of its published flows (``flowFilter=published``), and with ``checked_in`` one
more per page of its checked-in flows (``flowFilter=checkedIn``). A ``Dependency`` carries no mark of which it
is, so an unfiltered answer (both kinds, a flow possibly at two versions) cannot be split exactly; each filter
can. The build status is read first because while tracking rebuilds, an answer may list what the last build
knew with ``stateUnknown`` set, and an action it knew no caller of answers none: indistinguishable from an
action no flow calls. The status is read again, once, when an answer has a ``stateUnknown`` entry or is
refused otherwise than for the permission, in case a rebuild started meanwhile.

A refusal for the permission, or a rebuild, is noticed once per org: no more requests are sent for it, and
every action asked about is unknown with that reason (never "no flows"). So is a stop of the run (a client that
raises RunStoppedError instead of sending): the reads end at once.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import threading

from ansible_collections.genesyscloud.cx.plugins.module_utils._interruption import map_in_helpers
from ansible_collections.genesyscloud.cx.plugins.module_utils.errors import (
    GenesysCloudError,
    PermissionDeniedError,
    RunStoppedError,
    scrub,
)

CONSUMING_PATH = "/api/v2/architect/dependencytracking/consumingresources"
BUILD_PATH = "/api/v2/architect/dependencytracking/build"
PERMISSION = "architect:dependencyTracking:view"
OBJECT_TYPE = "DATAACTION"
PUBLISHED = "published"
CHECKED_IN = "checked_in"
REBUILDING = "dependency tracking is rebuilding"
STOPPED = "the run was stopped before they were read"
# DependencyStatus.status values (the SDK's enum) under which the tracking data cannot be trusted.
_REBUILDING_STATUSES = frozenset(("BUILDQUEUED", "BUILDINITIALIZING", "BUILDINPROGRESS"))
_UNUSABLE_STATUSES = {
    "NOTBUILT": "dependency tracking has not been built for this org",
    "BUILDINCOMPLETE": "dependency tracking's last build did not complete",
}
DEFAULT_PAGE_SIZE = 100  # the SDK's default is 25; no maximum is documented (the emulator allows 500)
_MAX_PARALLEL = 32
_MAX_PAGES = 1000


class ConsumingFlows(object):
    """Per action asked about: its flows, or why they are unknown.

    ``flows[action_id]``: a list of ``{id, name, type, version, state, state_unknown}`` sorted by name, where
    ``state`` is ``published`` (the version callers run today) or ``checked_in`` (a saved version not published,
    listed when it differs from the published one); deleted flows are left out. ``None`` when unknown, and then
    ``reasons[action_id]`` says why. ``warnings``: at most one sentence per kind of failure, for the org.
    """

    def __init__(self, flows=None, reasons=None, warnings=None, build_status=None):
        self.flows = flows or {}
        self.reasons = reasons or {}
        self.warnings = list(warnings or [])
        self.build_status = build_status

    @classmethod
    def read(cls, client, action_ids, parallel=8, checked_in=False, page_size=DEFAULT_PAGE_SIZE):
        action_ids = list(dict.fromkeys(action_ids))  # each once, in order
        if not action_ids:
            return cls()
        reader = _OrgReader(client, checked_in, page_size)
        if reader.check_build():
            answers = map_in_helpers(reader.action, action_ids, min(int(parallel), _MAX_PARALLEL))
        else:
            answers = [(None, None)] * len(action_ids)
        flows, reasons = {}, {}
        for action_id, (found, reason) in zip(action_ids, answers):
            if reader.reason is not None:
                found, reason = None, reader.reason
            flows[action_id] = found
            if found is None:
                reasons[action_id] = reason
        return cls(flows, reasons, reader.warnings(reasons), reader.status)

    def published(self, action_id):
        """The published flows of an action ([] when none calls it), or None when unknown."""
        found = self.flows.get(action_id)
        return None if found is None else [flow for flow in found if flow["state"] == PUBLISHED]

    def distinct_published(self, action_ids):
        """The distinct published flows that call any of these actions (by flow id), sorted by name; and how many
        of the actions are unknown."""
        seen, unknown = {}, 0
        for action_id in action_ids:
            found = self.published(action_id)
            if found is None:
                unknown += 1
                continue
            for flow in found:
                seen.setdefault(flow["id"], flow)
        return sorted(seen.values(), key=_flow_order), unknown


class _OrgReader(object):
    """One org's reads: shares, across the workers, the reason that stops them and the one build re-check."""

    def __init__(self, client, checked_in, page_size):
        self.client = client
        self.filters = (PUBLISHED, CHECKED_IN) if checked_in else (PUBLISHED,)
        self.page_size = page_size
        self.reason = None  # set once: the permission refused, or a rebuild; no request is sent after it
        self.status = None
        self._lock = threading.Lock()
        self._rechecked = False
        self._errors = []

    def _secrets(self):
        return self.client.secrets() if hasattr(self.client, "secrets") else []

    def _stop(self, reason):
        with self._lock:
            if self.reason is None:
                self.reason = reason

    def check_build(self):
        """Read the build status; False (and the reason set) when the tracking data cannot be used."""
        try:
            body = self.client.get(BUILD_PATH) or {}
        except RunStoppedError:
            self._stop(STOPPED)
            return False
        except PermissionDeniedError as exc:
            self._stop(_permission_reason(exc))
            return False
        except GenesysCloudError as exc:
            self._stop("the dependency tracking build status could not be read (%s)" % scrub(str(exc), self._secrets()))
            return False
        self.status = body.get("status") if isinstance(body, dict) else None
        if self.status in _REBUILDING_STATUSES:
            self._stop(REBUILDING)
        elif self.status in _UNUSABLE_STATUSES:
            self._stop(_UNUSABLE_STATUSES[self.status])
        return self.reason is None

    def _recheck(self):
        """Once per org, after a doubtful answer: is tracking rebuilding now? True when the answers stand."""
        with self._lock:
            if self._rechecked:
                return self.reason is None
            self._rechecked = True
        return self.check_build()

    def action(self, action_id):
        """(flows, None) or (None, reason) for one action; no request once the org's reason is set."""
        flows = []
        for flow_filter in self.filters:
            entries, reason = self._pages(action_id, flow_filter)
            if entries is None:
                return None, reason
            flows.extend(_flow(entry, flow_filter) for entry in entries if not entry.get("deleted"))
        return _merge(flows), None

    def _pages(self, action_id, flow_filter):
        entries, seen, number, page_count = [], set(), 1, None
        doubtful = False
        while True:
            if self.reason is not None:
                return None, self.reason
            query = {"id": action_id, "objectType": OBJECT_TYPE, "flowFilter": _API_FILTER[flow_filter],
                     "pageSize": self.page_size, "pageNumber": number}
            try:
                body = self.client.get(CONSUMING_PATH, query) or {}
            except RunStoppedError:
                self._stop(STOPPED)
                return None, self.reason
            except PermissionDeniedError as exc:
                self._stop(_permission_reason(exc))
                return None, self.reason
            except GenesysCloudError as exc:
                if not self._recheck():
                    return None, self.reason
                text = scrub(str(exc), self._secrets())
                with self._lock:
                    self._errors.append(text)
                return None, "its flows could not be read (%s)" % text
            page = [e for e in body.get("entities") or [] if isinstance(e, dict) and e.get("id")]
            for entry in page:
                key = (entry["id"], entry.get("version"))
                if key not in seen:
                    seen.add(key)
                    entries.append(entry)
                doubtful = doubtful or bool(entry.get("stateUnknown"))
            if page_count is None and body.get("pageCount") is not None:
                page_count = int(body["pageCount"])
            more = number < page_count if page_count is not None else bool(body.get("nextUri"))
            if not page or not more or number >= _MAX_PAGES:
                break
            number += 1
        if doubtful and not self._recheck():
            return None, self.reason
        return entries, None

    def warnings(self, reasons):
        """One sentence for the org when its flows are unknown, one for actions whose reads failed otherwise."""
        found = []
        if self.reason is not None:
            found.append("The flows that call the data actions are unknown for this org: %s%s." % (
                self.reason, _next_step(self.reason)))
        elif self._errors:
            found.append("The flows that call %d data action(s) are unknown: their dependency tracking reads failed "
                         "(first: %s)." % (len(reasons), self._errors[0]))
        return found


_API_FILTER = {PUBLISHED: "published", CHECKED_IN: "checkedIn"}
_PERMISSION_REFUSED = "refused, the answer asked for "


def _permission_reason(exc):
    """The reason of a 403: the permission its answer named (the documented one when it named none)."""
    asked = list(getattr(exc, "permissions", None) or []) or [PERMISSION]
    return _PERMISSION_REFUSED + " or ".join(asked)


def _next_step(reason):
    if reason == REBUILDING:
        return "; run again once GET %s says OPERATIONAL" % BUILD_PATH
    if reason.startswith(_PERMISSION_REFUSED):
        return "; give the OAuth client a role with it"
    return ""


def _flow(entry, state):
    return {"id": entry["id"], "name": entry.get("name"), "type": entry.get("type"), "version": entry.get("version"),
            "state": state, "state_unknown": bool(entry.get("stateUnknown"))}


def _flow_order(flow):
    return ((flow.get("name") or "").lower(), flow["id"], flow["state"] != PUBLISHED, flow.get("version") or "")


def _merge(flows):
    """Published entries, then each checked-in entry whose flow is not published at that same version."""
    published = set((f["id"], f["version"]) for f in flows if f["state"] == PUBLISHED)
    kept = [f for f in flows if f["state"] == PUBLISHED or (f["id"], f["version"]) not in published]
    return sorted(kept, key=_flow_order)

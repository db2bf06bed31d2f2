# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesyscloud.cx contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Architect dependency tracking: the flows that consume each data action, and the build status.

`GET /api/v2/architect/dependencytracking/consumingresources` answers the official SDK's
ConsumingResourcesEntityListing {entities: [Dependency {id, name, version, type, deleted, updated, stateUnknown,
selfUri}], pageSize, pageNumber, total, pageCount, firstUri, selfUri, nextUri, previousUri, lastUri};
`GET /api/v2/architect/dependencytracking/build` a DependencyStatus {id, name, buildId, dateStarted,
dateCompleted, status, failedObjects, selfUri}. Both need `architect:dependencyTracking:view` (the SDK's
"Requires ALL permissions"). Flows come from the seed (`flows`) or are generated with generated actions.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import math
import uuid
from urllib.parse import urlencode

DEPENDENCY_VIEW = ("architect:dependencyTracking:view",)
CONSUMING_PATH = "/api/v2/architect/dependencytracking/consumingresources"
BUILD_PATH = "/api/v2/architect/dependencytracking/build"

# DependencyStatus.status, the SDK's enum. While one of REBUILDING_STATUSES (or NOTBUILT) holds, the tracking data
# is being (re)built and consumingresources answers as --consumers-while-rebuilding says.
BUILD_STATUSES = ("OPERATIONAL", "OPERATIONALNEEDSREBUILD", "BUILDQUEUED", "BUILDINITIALIZING", "BUILDINPROGRESS",
                  "BUILDINCOMPLETE", "NOTBUILT")
REBUILDING_STATUSES = ("BUILDQUEUED", "BUILDINITIALIZING", "BUILDINPROGRESS", "NOTBUILT")
# What consumingresources answers while rebuilding: not documented, so a switch.
WHILE_REBUILDING = ("state-unknown", "error")
FLOW_FILTERS = ("checkedIn", "published")
# Dependency.type values that are flows (versioned types, the only ones resourceType allows here).
FLOW_TYPES = ("INBOUNDCALLFLOW", "INQUEUECALLFLOW", "OUTBOUNDCALLFLOW", "INBOUNDCHATFLOW", "INBOUNDEMAILFLOW",
              "INBOUNDSHORTMESSAGEFLOW", "INQUEUEEMAILFLOW", "INQUEUESHORTMESSAGEFLOW", "BOTFLOW", "DIGITALBOTFLOW",
              "VOICEFLOW", "VOICEMAILFLOW", "VOICESURVEYFLOW", "SURVEYINVITEFLOW", "SECURECALLFLOW",
              "COMMONMODULEFLOW", "WORKFLOW", "WORKITEMFLOW", "BUSINESSPROCESSFLOW", "EMAILSENDFLOW")
# Dependency-tracking object types the SDK knows for objectType (DATAACTION is the one with consumers here).
OBJECT_TYPES = frozenset(FLOW_TYPES + (
    "ACDLANGUAGE", "ACDSKILL", "ACDWRAPUPCODE", "BOTCONNECTORBOT", "BOTCONNECTORINTEGRATION", "BRIDGEACTION",
    "COMPOSERSCRIPT", "CONTACTLIST", "DATAACTION", "DATATABLE", "DIALOGENGINEBOT", "DIALOGFLOWAGENT", "EMAILROUTE",
    "EMERGENCYGROUP", "FLOWACTION", "FLOWDATATYPE", "FLOWMILESTONE", "FLOWOUTCOME", "GROUP", "IVRCONFIGURATION",
    "LANGUAGE", "LEXBOT", "LEXBOTALIAS", "NLUDOMAIN", "QUEUE", "RECORDINGPOLICY", "RESPONSE", "SCHEDULE",
    "SCHEDULEGROUP", "SECUREACTION", "SYSTEMPROMPT", "TTSENGINE", "TTSVOICE", "USER", "USERPROMPT", "WIDGET"))
DEFAULT_PAGE_SIZE = 25  # the SDK's documented default
MAX_PAGE_SIZE = 500     # not documented; the same bound as the emulator's other listings

# Generated flows: shares of generated actions by how many flows call them (exact, largest remainder), and the
# flow types drawn (call flows most often).
FLOW_USE_SHARES = (("none", 0.30), ("few", 0.55), ("several", 0.12), ("many", 0.03))
_FLOW_USE_COUNTS = {"none": (0, 0), "few": (1, 4), "several": (5, 20), "many": (26, 60)}
_GEN_FLOW_TYPES = ("INBOUNDCALLFLOW",) * 4 + ("INQUEUECALLFLOW", "INQUEUECALLFLOW", "INBOUNDCHATFLOW",
                                              "INBOUNDSHORTMESSAGEFLOW", "BOTFLOW", "DIGITALBOTFLOW", "WORKFLOW",
                                              "COMMONMODULEFLOW", "OUTBOUNDCALLFLOW", "INBOUNDEMAILFLOW")
_FLOW_AREAS = ("Main", "Billing", "Support", "Sales", "Claims", "Loyalty", "Orders", "Collections", "VIP",
               "Retention", "Onboarding", "Fraud", "Shipping", "Appointments", "After Hours")
_FLOW_KINDS = {"INBOUNDCALLFLOW": "IVR", "INQUEUECALLFLOW": "In-Queue", "OUTBOUNDCALLFLOW": "Outbound",
               "INBOUNDCHATFLOW": "Web Chat", "INBOUNDSHORTMESSAGEFLOW": "SMS", "BOTFLOW": "Voice Bot",
               "DIGITALBOTFLOW": "Digital Bot", "WORKFLOW": "Workflow", "COMMONMODULEFLOW": "Common Module",
               "INBOUNDEMAILFLOW": "Email"}


def flow_self_uri(flow_id):
    return "/api/v2/flows/%s" % flow_id


def _version_text(value):
    return None if value is None else "%d.0" % value if isinstance(value, int) else str(value)


def load_flows(org, raw, fail):
    """A seed org's `flows`: [{id, name, type, published_version, checked_in_version, deleted, actions,
    published_actions, checked_in_actions}]; `fail(message)` raises the seed error."""
    if not isinstance(raw, list):
        fail("flows must be a list")
    for index, flow in enumerate(raw):
        where = "flows[%d]" % index
        if not isinstance(flow, dict) or not all(isinstance(flow.get(k), str) and flow[k] for k in ("id", "name")):
            fail("%s: id and name are required strings" % where)
        if flow.get("type", "INBOUNDCALLFLOW") not in FLOW_TYPES:
            fail("%s: type must be a flow type (%s, ...)" % (where, ", ".join(FLOW_TYPES[:4])))
        if flow["id"] in org.flows:
            fail("%s: duplicate flow id" % where)
        published, checked_in = flow.get("published_version"), flow.get("checked_in_version")
        for field, value in (("published_version", published), ("checked_in_version", checked_in)):
            if value is not None and not (isinstance(value, int) and not isinstance(value, bool) and value >= 1):
                fail("%s: %s must be an int >= 1 or null" % (where, field))
        if published is None and checked_in is None:
            fail("%s: a flow needs a published_version or a checked_in_version" % where)
        if published is not None and checked_in is not None and checked_in < published:
            fail("%s: checked_in_version cannot be older than published_version" % where)
        uses = {}
        for field, in_published, in_checked_in in (("actions", True, True), ("published_actions", True, False),
                                                   ("checked_in_actions", False, True)):
            ids = flow.get(field, [])
            if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
                fail("%s: %s must be a list of action ids" % (where, field))
            for action_id in ids:
                if action_id not in org.actions:
                    fail("%s: %s names %r, not an action of org %r" % (where, field, action_id, org.id))
                was = uses.get(action_id, (False, False))
                uses[action_id] = (was[0] or in_published, was[1] or in_checked_in)
        add_flow(org, flow["id"], flow["name"], flow.get("type", "INBOUNDCALLFLOW"), published, checked_in,
                 bool(flow.get("deleted", False)))
        for action_id, (in_published, in_checked_in) in uses.items():
            add_use(org, action_id, flow["id"], in_published, in_checked_in)


def add_flow(org, flow_id, name, flow_type, published_version, checked_in_version, deleted=False):
    org.flows[flow_id] = {"id": flow_id, "name": name, "type": flow_type, "published_version": published_version,
                          "checked_in_version": checked_in_version, "deleted": deleted}


def add_use(org, action_id, flow_id, published=True, checked_in=True):
    """The flow calls the action in its published version, its checked-in version, or both."""
    org.consumers.setdefault(action_id, []).append({"flow_id": flow_id, "published": published,
                                                    "checked_in": checked_in})


def generate_flows(org, action_ids, rng):
    """Flows for generated actions, deterministically from rng: a pool of flows of several types (a third with a
    newer checked-in version, one in ten never published, one in fifty deleted) and, per action, zero to sixty of
    them in the shares of FLOW_USE_SHARES (so a few actions need more than one page of 25)."""
    from .world import _quota  # the generator's exact-shares helper; imported late (world imports this module)

    if not action_ids:
        return
    pool = []
    names = set(flow["name"] for flow in org.flows.values())
    for index in range(max(80, len(action_ids) // 3)):
        flow_type = rng.choice(_GEN_FLOW_TYPES)
        base = name = "%s %s" % (rng.choice(_FLOW_AREAS), _FLOW_KINDS[flow_type])
        suffix = 2
        while name in names:
            name = "%s %d" % (base, suffix)
            suffix += 1
        names.add(name)
        roll = rng.random()
        published = rng.randint(1, 40)
        if roll < 0.10:
            published, checked_in = None, rng.randint(1, 5)
        elif roll < 0.40:
            checked_in = published + rng.randint(1, 3)
        else:
            checked_in = published
        flow_id = str(uuid.UUID(int=rng.getrandbits(128), version=4))
        add_flow(org, flow_id, name, flow_type, published, checked_in, deleted=rng.random() < 0.02)
        pool.append(org.flows[flow_id])
    uses = _quota(rng, len(action_ids), FLOW_USE_SHARES)
    for action_id, use in zip(action_ids, uses):
        low, high = _FLOW_USE_COUNTS[use]
        for flow in rng.sample(pool, min(len(pool), rng.randint(low, high))):
            both = flow["published_version"] is None or flow["published_version"] == flow["checked_in_version"]
            roll = rng.random()
            if both or roll < 0.70:
                add_use(org, action_id, flow["id"], True, True)
            elif roll < 0.85:
                add_use(org, action_id, flow["id"], True, False)   # removed in the newer checked-in version
            else:
                add_use(org, action_id, flow["id"], False, True)   # added, not published yet


def add_arguments(parser):
    parser.add_argument("--dependency-build-status", choices=BUILD_STATUSES, default="OPERATIONAL",
                        help="the status GET /api/v2/architect/dependencytracking/build answers; BUILDQUEUED, "
                             "BUILDINITIALIZING, BUILDINPROGRESS and NOTBUILT mean rebuilding (default OPERATIONAL)")
    parser.add_argument("--consumers-while-rebuilding", choices=WHILE_REBUILDING, default="state-unknown",
                        help="what consumingresources answers while rebuilding: the last build's flows, each with "
                             "stateUnknown true (and none for an action it had none for), or an error "
                             "(default state-unknown)")


class DependencySwitches(object):
    """The dependency-tracking switches of a running emulator (run-time names as on /__emulator/config)."""

    NAMES = ("dependency_build_status", "consumers_while_rebuilding")

    def __init__(self, options):
        self.dependency_build_status = getattr(options, "dependency_build_status", "OPERATIONAL")
        self.consumers_while_rebuilding = getattr(options, "consumers_while_rebuilding", "state-unknown")

    def view(self):
        return dict((name, getattr(self, name)) for name in self.NAMES)

    @staticmethod
    def valid(key, value):
        if key == "dependency_build_status":
            return value in BUILD_STATUSES
        return key == "consumers_while_rebuilding" and value in WHILE_REBUILDING

    @property
    def rebuilding(self):
        return self.dependency_build_status in REBUILDING_STATUSES


def _dependency(flow, version, state_unknown):
    return {"id": flow["id"], "name": flow["name"], "version": _version_text(version), "type": flow["type"],
            "deleted": flow["deleted"], "updated": False, "stateUnknown": state_unknown,
            "selfUri": flow_self_uri(flow["id"])}


def consumers(org, action_id, flow_filter, types, state_unknown=False):
    """The Dependency entries of the flows that consume an action, sorted by name, id and version.

    Our model of an unfiltered answer (the real one is not documented): a flow is listed at its published version
    when that version calls the action, and at its checked-in version when that one calls it and differs from the
    published one; so a flow may be listed twice, at two versions, and nothing in an entry says which is which.
    """
    entries = []
    for use in org.consumers.get(action_id, ()):
        flow = org.flows[use["flow_id"]]
        if types and flow["type"] not in types:
            continue
        published, checked_in = flow["published_version"], flow["checked_in_version"]
        versions = []
        if flow_filter in (None, "published") and use["published"] and published is not None:
            versions.append(published)
        if flow_filter in (None, "checkedIn") and use["checked_in"] and checked_in is not None \
                and not (flow_filter is None and checked_in in versions):
            versions.append(checked_in)
        entries.extend(_dependency(flow, version, state_unknown) for version in versions)
    entries.sort(key=lambda e: (e["name"].lower(), e["id"], e["version"]))
    return entries


def consuming_resources(org, query, switches, bad_request, api_error, q_int):
    """The ConsumingResourcesEntityListing for a query; raises bad_request(...) for a bad one, api_error(...) while
    rebuilding under --consumers-while-rebuilding error; ``q_int`` parses an int query parameter."""
    object_id = query.get("id")
    object_type = query.get("objectType")
    if not object_id:
        raise bad_request("Query parameter id is required.", field="id", error_code="missing.property")
    if not object_type:
        raise bad_request("Query parameter objectType is required.", field="objectType",
                          error_code="missing.property")
    if object_type not in OBJECT_TYPES:
        raise bad_request("objectType %s is not a dependency tracking type." % object_type, field="objectType")
    types = [t for raw in query.getall("resourceType", []) for t in raw.split(",") if t.strip()]
    for resource_type in types:
        if resource_type not in FLOW_TYPES:
            raise bad_request("resourceType %s is not allowed here: only versioned types are." % resource_type,
                              field="resourceType")
    flow_filter = query.get("flowFilter") or None
    if flow_filter is not None and flow_filter not in FLOW_FILTERS:
        raise bad_request("flowFilter must be checkedIn or published.", field="flowFilter")
    page_size = q_int(query, "pageSize", DEFAULT_PAGE_SIZE, 1, MAX_PAGE_SIZE)
    page_number = q_int(query, "pageNumber", 1, 1)
    state_unknown = False
    if switches.rebuilding:
        if switches.consumers_while_rebuilding == "error":
            raise api_error(409, "dependency.tracking.build.in.progress",
                            "Dependency tracking is being rebuilt for this organization; try again later.",
                            params={"status": switches.dependency_build_status})
        state_unknown = True
    # Only data actions have consumers here; `version` is accepted and not used (a data action has one version).
    entries = consumers(org, object_id, flow_filter, set(types), state_unknown) if object_type == "DATAACTION" \
        else []
    total = len(entries)
    page_count = int(math.ceil(total / float(page_size)))
    start = (page_number - 1) * page_size
    filters = [("id", object_id), ("objectType", object_type)] + [("resourceType", t) for t in types]
    for key in ("version", "flowFilter"):
        if query.get(key):
            filters.append((key, query[key]))

    def uri(number):
        return "%s?%s" % (CONSUMING_PATH, urlencode(filters + [("pageSize", page_size), ("pageNumber", number)]))

    body = {"entities": entries[start:start + page_size], "pageSize": page_size, "pageNumber": page_number,
            "total": total, "pageCount": page_count, "firstUri": uri(1), "selfUri": uri(page_number),
            "lastUri": uri(max(page_count, 1))}
    if page_number < page_count:
        body["nextUri"] = uri(page_number + 1)
    if page_number > 1:
        body["previousUri"] = uri(page_number - 1)
    return body


def build_status(org, switches, started_ms):
    """The org's DependencyStatus: dateCompleted only once a build is over."""
    import datetime

    def when(ms):
        return datetime.datetime.fromtimestamp(ms / 1000.0, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.000Z")

    build_id = str(uuid.uuid5(uuid.NAMESPACE_URL, "dependency-build/%s" % org.id))
    status = switches.dependency_build_status
    body = {"id": build_id, "name": "Dependency tracking build", "buildId": build_id,
            "dateStarted": when(started_ms - 3600 * 1000), "status": status, "failedObjects": [],
            "selfUri": BUILD_PATH}
    if status not in REBUILDING_STATUSES:
        body["dateCompleted"] = when(started_ms - 3000 * 1000)
    if status == "NOTBUILT":
        del body["dateStarted"]
    return body

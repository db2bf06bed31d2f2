# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesyscloud.cx contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Architect dependency tracking: the flows that consume each data action, paging, the permission, the build
status and what a rebuild does to the answers; seeded and generated flows."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import copy

import PureCloudPlatformClientV2 as sdk  # the official SDK: its models must read the answers as they are
import pytest

from tests.emulator import dependencies, world
from tests.emulator.harness import Emulator
from tests.emulator.world import SeedError, default_world, load_seed

from .conftest import FAST, SECURE, SEED, SLOW, UNSET, Api, assert_error_body

CONSUMING = dependencies.CONSUMING_PATH
BUILD = dependencies.BUILD_PATH
MAIN_IVR = "f0000000-0000-4000-8000-000000000001"
CHAT = "f0000000-0000-4000-8000-000000000002"
BOT = "f0000000-0000-4000-8000-000000000003"
GONE = "f0000000-0000-4000-8000-000000000004"
NOW_MS = 1796385600000  # a fixed load time, so two loads record the same moments

# Org A's flows, each state a real org has: published and checked in alike; a newer checked-in version that
# dropped one action and added another; never published; deleted.
FLOWS = [
    {"id": MAIN_IVR, "name": "Main IVR", "type": "INBOUNDCALLFLOW", "published_version": 3, "checked_in_version": 3,
     "actions": [SLOW, FAST]},
    {"id": CHAT, "name": "Support Chat", "type": "INBOUNDCHATFLOW", "published_version": 5, "checked_in_version": 6,
     "actions": [FAST], "published_actions": [SLOW], "checked_in_actions": [UNSET]},
    {"id": BOT, "name": "Claims Bot", "type": "BOTFLOW", "published_version": None, "checked_in_version": 2,
     "actions": [SLOW]},
    {"id": GONE, "name": "Old Workflow", "type": "WORKFLOW", "published_version": 1, "checked_in_version": 1,
     "deleted": True, "actions": [SLOW]},
]


def _seed():
    seed = copy.deepcopy(SEED)
    seed["orgs"][0]["flows"] = FLOWS
    seed["orgs"][1]["generate"] = 120
    return seed


@pytest.fixture(scope="module")
def emulator():
    with Emulator(args=["--random-seed", "7"], seed=_seed()) as emu:
        yield emu


def _listed(api, action_id, **query):
    params = dict({"id": action_id, "objectType": "DATAACTION"}, **query)
    response = api.get(CONSUMING, params=params)
    assert response.status_code == 200, response.text
    return response.json()


def _flows(body):
    return [(e["name"], e["version"]) for e in body["entities"]]


def test_published_checked_in_and_both(api):
    assert _flows(_listed(api, SLOW, flowFilter="published")) == [
        ("Main IVR", "3.0"), ("Old Workflow", "1.0"), ("Support Chat", "5.0")]
    assert _flows(_listed(api, SLOW, flowFilter="checkedIn")) == [
        ("Claims Bot", "2.0"), ("Main IVR", "3.0"), ("Old Workflow", "1.0")]
    assert _flows(_listed(api, SLOW)) == [
        ("Claims Bot", "2.0"), ("Main IVR", "3.0"), ("Old Workflow", "1.0"), ("Support Chat", "5.0")]
    # A flow whose checked-in version differs from its published one is listed at both without a filter.
    assert _flows(_listed(api, FAST)) == [("Main IVR", "3.0"), ("Support Chat", "5.0"), ("Support Chat", "6.0")]
    assert _flows(_listed(api, UNSET, flowFilter="published")) == []
    assert _flows(_listed(api, UNSET)) == [("Support Chat", "6.0")]
    empty = _listed(api, SECURE)
    assert empty["entities"] == [] and empty["total"] == 0 and empty["pageCount"] == 0


def test_a_dependency_has_the_sdk_fields(api):
    entry = _listed(api, SLOW, flowFilter="published")["entities"][1]
    assert entry == {"id": GONE, "name": "Old Workflow", "version": "1.0", "type": "WORKFLOW", "deleted": True,
                     "updated": False, "stateUnknown": False, "selfUri": "/api/v2/flows/" + GONE}


def test_resource_type_narrows_comma_separated_or_repeated(api):
    by_comma = _listed(api, SLOW, resourceType="BOTFLOW,WORKFLOW")
    assert _flows(by_comma) == [("Claims Bot", "2.0"), ("Old Workflow", "1.0")]
    repeated = _listed(api, SLOW, resourceType=["INBOUNDCALLFLOW", "BOTFLOW"])
    assert _flows(repeated) == [("Claims Bot", "2.0"), ("Main IVR", "3.0")]


@pytest.mark.parametrize("query, field", [
    ({"objectType": "DATAACTION"}, "id"),
    ({"id": SLOW}, "objectType"),
    ({"id": SLOW, "objectType": "NOSUCHTYPE"}, "objectType"),
    ({"id": SLOW, "objectType": "DATAACTION", "flowFilter": "draft"}, "flowFilter"),
    ({"id": SLOW, "objectType": "DATAACTION", "resourceType": "QUEUE"}, "resourceType"),
    ({"id": SLOW, "objectType": "DATAACTION", "pageSize": "501"}, "pageSize"),
    ({"id": SLOW, "objectType": "DATAACTION", "pageNumber": "0"}, "pageNumber"),
])
def test_bad_queries_are_refused(api, query, field):
    body = assert_error_body(api.get(CONSUMING, params=query), 400)
    assert body["details"][0]["fieldName"] == field


def _busiest(emu, org="org-b"):
    consumers = emu.state()["orgs"][org]["consumers"]
    return max(consumers, key=lambda action_id: (len(consumers[action_id]), action_id))


def test_paging_past_one_page(emu):
    api = Api(emu, "b-admin", "b-secret")
    action_id = _busiest(emu)
    first = _listed(api, action_id)
    assert first["pageSize"] == 25 and first["total"] > 25 and first["pageCount"] == -(-first["total"] // 25)
    assert first["firstUri"] == first["selfUri"] and "previousUri" not in first
    entries, body = list(first["entities"]), first
    while body.get("nextUri"):
        response = api.get(body["nextUri"])
        assert response.status_code == 200
        body = response.json()
        entries.extend(body["entities"])
    assert body["pageNumber"] == first["pageCount"] and body["selfUri"] == first["lastUri"]
    assert len(entries) == first["total"]
    assert entries == _listed(api, action_id, pageSize=500)["entities"]


def test_every_request_is_logged_and_rate_limited(emu, api):
    emu.configure(rate_limit="2/60")
    assert api.get(BUILD).status_code == 200
    assert api.get(CONSUMING, params={"id": SLOW, "objectType": "DATAACTION"}).status_code == 200
    refused = api.get(CONSUMING, params={"id": FAST, "objectType": "DATAACTION"})
    assert_error_body(refused, 429, "too.many.requests.retry.after")
    counts = emu.requests()["counts"]
    assert counts["GET " + CONSUMING] == 2 and counts["GET " + BUILD] == 1


@pytest.mark.parametrize("path", [CONSUMING, BUILD])
def test_without_the_permission_a_403_names_it(emu, path):
    reader = Api(emu, "a-reader", "r-secret")
    response = reader.get(path, params={"id": SLOW, "objectType": "DATAACTION"})
    body = assert_error_body(response, 403, "missing.any.permissions")
    assert body["messageParams"] == {"permissions": "architect:dependencyTracking:view"}
    assert "architect:dependencyTracking:view" in body["message"]


def test_the_build_status_when_operational(api):
    body = api.get(BUILD).json()
    assert body["status"] == "OPERATIONAL" and body["dateCompleted"] and body["failedObjects"] == []
    assert body["selfUri"] == BUILD


def test_while_rebuilding_the_answer_marks_every_flow_state_unknown(emu, api):
    emu.configure(dependency_build_status="BUILDINPROGRESS")
    status = api.get(BUILD).json()
    assert status["status"] == "BUILDINPROGRESS" and "dateCompleted" not in status
    body = _listed(api, SLOW, flowFilter="published")
    assert [e["stateUnknown"] for e in body["entities"]] == [True, True, True]
    # An action the last build knew no caller of still answers none: a client cannot tell it from "no caller".
    assert _listed(api, SECURE)["entities"] == []


def test_while_rebuilding_the_answer_can_be_an_error(emu, api):
    emu.configure(dependency_build_status="BUILDQUEUED", consumers_while_rebuilding="error")
    response = api.get(CONSUMING, params={"id": SLOW, "objectType": "DATAACTION"})
    assert assert_error_body(response, 409, "dependency.tracking.build.in.progress")["messageParams"] == {
        "status": "BUILDQUEUED"}
    emu.configure(dependency_build_status="OPERATIONALNEEDSREBUILD")
    assert _listed(api, SLOW)["total"] == 4


def test_bad_switch_values_change_nothing(emu):
    response = emu.call("POST", "/__emulator/config", {"dependency_build_status": "REBUILDING"})
    assert response.status == 400
    assert emu.call("GET", "/__emulator/config").body["dependency_build_status"] == "OPERATIONAL"


def test_the_official_sdk_reads_both_answers(emu):
    api_client = sdk.api_client.ApiClient(host=emu.url)
    api_client.get_client_credentials_token("a-admin", "a-secret")
    architect = sdk.ArchitectApi(api_client)
    flow_types = ["BOTFLOW", "INBOUNDCALLFLOW", "WORKFLOW"]
    listing = architect.get_architect_dependencytracking_consumingresources(
        SLOW, "DATAACTION", page_size=2, resource_type=flow_types)
    assert isinstance(listing, sdk.ConsumingResourcesEntityListing)
    assert (listing.total, listing.page_count, listing.page_size) == (3, 2, 2)
    assert isinstance(listing.entities[0], sdk.Dependency) and listing.entities[0].type == "BOTFLOW"
    assert listing.entities[0].state_unknown is False and listing.next_uri
    status = architect.get_architect_dependencytracking_build()
    assert isinstance(status, sdk.DependencyStatus) and status.status == "OPERATIONAL"
    assert status.date_completed is not None


def test_generated_flows_are_deterministic_and_in_their_shares():
    first, second = default_world(300, random_seed=5), default_world(300, random_seed=5)
    org, again = first.orgs["demo"], second.orgs["demo"]
    assert org.flows == again.flows and org.consumers == again.consumers
    assert default_world(300, random_seed=6).orgs["demo"].flows != org.flows
    generated = [a for a in org.actions if not a.startswith("customAuth_")]
    counts = sorted(len(org.consumers.get(a, ())) for a in generated)
    assert counts.count(0) == 90  # 30 % of 300, exactly
    assert sum(1 for c in counts if c > 25) == 9  # 3 %: more than one page of 25
    types = set(org.flows[u["flow_id"]]["type"] for uses in org.consumers.values() for u in uses)
    assert {"INBOUNDCALLFLOW", "INBOUNDCHATFLOW", "BOTFLOW", "WORKFLOW"} <= types
    flows = org.flows.values()
    assert any(f["published_version"] is None for f in flows)
    assert any(f["published_version"] and f["checked_in_version"] > f["published_version"] for f in flows)


def test_flows_do_not_change_the_generated_actions(monkeypatch):
    # The flows come from their own generator: the actions, drafts and histories are those of a world without them.
    with_flows = default_world(60, random_seed=3, now_ms=NOW_MS).orgs["demo"]
    monkeypatch.setattr(world, "generate_flows", lambda org, action_ids, rng: None)
    without = default_world(60, random_seed=3, now_ms=NOW_MS).orgs["demo"]
    assert without.flows == {} and with_flows.flows
    assert with_flows.actions == without.actions and with_flows.backends == without.backends
    assert {a: h.rows() for a, h in with_flows.executions.items()} == {a: h.rows() for a, h in without.executions.items()}


@pytest.mark.parametrize("flow, message", [
    ({"id": "f", "name": "F", "checked_in_version": 1, "actions": ["custom_-_missing"]}, "not an action of org"),
    ({"id": "f", "name": "F", "type": "QUEUE", "checked_in_version": 1}, "type must be a flow type"),
    ({"id": "f", "name": "F"}, "needs a published_version or a checked_in_version"),
    ({"id": "f", "name": "F", "published_version": 3, "checked_in_version": 2}, "cannot be older"),
])
def test_bad_seed_flows_stop_the_load(flow, message):
    seed = copy.deepcopy(SEED)
    seed["orgs"][0]["flows"] = [flow]
    with pytest.raises(SeedError, match=message):
        load_seed(seed)


def test_the_demo_seed_has_the_flows_its_readme_names():
    org = world.load_seed_file("tests/emulator/seeds/demo.json").orgs["prod-us"]
    named = dict((a["name"].split(" (")[0], a["id"]) for a in org.actions.values() if " (" in a["name"])

    def names(action, flow_filter):
        return [(e["name"], e["version"]) for e in dependencies.consumers(org, named[action], flow_filter, set())]

    assert names("Lookup Account", "published") == [("Customer Service Main IVR", "14.0")]
    assert names("Lookup Account", "checkedIn") == [("Account Callback Workflow", "1.0"),
                                                    ("Customer Service Main IVR", "15.0")]
    assert names("Get Loyalty Tier", "published") == [("Customer Service Main IVR", "14.0"), ("Loyalty Voice Bot", "6.0")]
    assert names("Check Order Status", "published") == [("Order Status SMS", "2.0"), ("Order Status Web Chat", "3.0")]
    assert ("Customer Service Main IVR", "15.0") in names("Check Order Status", "checkedIn")
    generated = [a for a in org.actions if a not in named.values() and not a.startswith("customAuth_")]
    assert any(len(org.consumers.get(a, ())) > 25 for a in generated)

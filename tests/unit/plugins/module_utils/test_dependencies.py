# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesyscloud.cx contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The reader of the flows that call each data action: against the emulator (requests counted in its log), and
against a scripted client for a rebuild that starts in the middle of a run."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import pytest

from ansible_collections.genesyscloud.cx.plugins.module_utils import _dependencies as deps
from ansible_collections.genesyscloud.cx.plugins.module_utils.client import GenesysCloudClient
from ansible_collections.genesyscloud.cx.plugins.module_utils.errors import (
    PermissionDeniedError,
    RunStoppedError,
    ServerError,
    permissions_for,
)
from tests.emulator.harness import Emulator

CRM = "11111111-1111-4111-8111-111111111111"
ACTION_IDS = ["custom_-_dddddddd-0000-4000-8000-00000000000%d" % i for i in range(1, 7)]
BUSY, CHANGED, DRAFT_ONLY, UNUSED, DELETED_ONLY, NOT_ASKED = ACTION_IDS
CONSUMING = "GET " + deps.CONSUMING_PATH
BUILD = "GET " + deps.BUILD_PATH


def _flow(number, name, flow_type="INBOUNDCALLFLOW", published=1, checked_in=1, **uses):
    flow = {"id": "f0000000-0000-4000-8000-%012d" % number, "name": name, "type": flow_type,
            "published_version": published, "checked_in_version": checked_in}
    flow.update(uses)
    return flow


SEED = {"orgs": [{
    "id": "org", "name": "Org",
    "clients": [{"client_id": "all", "client_secret": "all-secret", "permissions": ["*"]},
                {"client_id": "no-deps", "client_secret": "nd-secret", "permissions": ["integrations:action:view"]},
                {"client_id": "refused", "client_secret": "rf-secret", "permissions": ["*"],
                 "forbidden": [CONSUMING]}],
    "integrations": [{"id": CRM, "name": "CRM", "integrationType": "custom-rest-actions"}],
    "actions": [{"id": action_id, "name": "Action %d" % index, "integrationId": CRM, "config": {"timeoutSeconds": 3}}
                for index, action_id in enumerate((BUSY, CHANGED, DRAFT_ONLY, UNUSED, DELETED_ONLY, NOT_ASKED))],
    "flows": ([_flow(100 + n, "Queue Flow %02d" % n, "INQUEUECALLFLOW", actions=[BUSY]) for n in range(30)]
              + [_flow(1, "Billing IVR", published=2, checked_in=3, actions=[CHANGED, NOT_ASKED]),
                 _flow(2, "Claims Bot", "BOTFLOW", published=None, checked_in=1, actions=[DRAFT_ONLY]),
                 dict(_flow(3, "Old Workflow", "WORKFLOW", actions=[DELETED_ONLY]), deleted=True)]),
}]}


@pytest.fixture(scope="module")
def emulator():
    with Emulator(args=["--random-seed", "1"], seed=SEED) as emu:
        yield emu


@pytest.fixture
def emu(emulator):
    emulator.reset()
    emulator.configure(dependency_build_status="OPERATIONAL", consumers_while_rebuilding="state-unknown")
    return emulator


def _client(emu, client_id="all", secret="all-secret"):
    return GenesysCloudClient(emu.url, emu.url, client_id=client_id, client_secret=secret)


def _consuming_queries(emu):
    return [(r["query"]["id"], r["query"]["flowFilter"], r["query"]["pageNumber"])
            for r in emu.requests()["requests"] if r["route"] == CONSUMING]


def test_published_flows_cost_one_request_per_action_and_page(emu):
    asked = [BUSY, CHANGED, DRAFT_ONLY, UNUSED, DELETED_ONLY]
    found = deps.ConsumingFlows.read(_client(emu), asked, parallel=4, page_size=25)
    counts = emu.requests()["counts"]
    assert counts[BUILD] == 1 and counts[CONSUMING] == 6  # BUSY has 30 flows: two pages of 25
    assert sorted(_consuming_queries(emu)) == sorted(
        [(BUSY, "published", "1"), (BUSY, "published", "2")] + [(a, "published", "1") for a in asked[1:]])
    assert [f["name"] for f in found.flows[BUSY]] == ["Queue Flow %02d" % n for n in range(30)]
    assert found.flows[CHANGED] == [{"id": "f0000000-0000-4000-8000-000000000001", "name": "Billing IVR",
                                     "type": "INBOUNDCALLFLOW", "version": "2.0", "state": "published",
                                     "state_unknown": False}]
    # Never published, only deleted, or none at all: no flow calls it today, which is known, not unknown.
    assert found.flows[DRAFT_ONLY] == found.flows[UNUSED] == found.flows[DELETED_ONLY] == []
    assert NOT_ASKED not in found.flows and found.reasons == {} and found.warnings == []
    assert found.build_status == "OPERATIONAL"


def test_checked_in_flows_are_read_with_their_own_filter_and_marked(emu):
    found = deps.ConsumingFlows.read(_client(emu), [CHANGED, DRAFT_ONLY, BUSY], checked_in=True, page_size=25)
    assert emu.requests()["counts"][CONSUMING] == 2 + 2 + 4
    assert [(f["version"], f["state"]) for f in found.flows[CHANGED]] == [("2.0", "published"), ("3.0", "checked_in")]
    assert [(f["name"], f["state"]) for f in found.flows[DRAFT_ONLY]] == [("Claims Bot", "checked_in")]
    assert found.published(DRAFT_ONLY) == []
    # A flow published at the version it is checked in at is listed once, as published.
    assert len(found.flows[BUSY]) == 30 and set(f["state"] for f in found.flows[BUSY]) == {"published"}


def test_distinct_published_flows_of_a_change(emu):
    found = deps.ConsumingFlows.read(_client(emu), [BUSY, CHANGED, UNUSED], page_size=100)
    flows, unknown = found.distinct_published([BUSY, CHANGED, UNUSED, BUSY])
    assert len(flows) == 31 and unknown == 0 and flows[0]["name"] == "Billing IVR"
    assert emu.requests()["counts"][CONSUMING] == 3  # 100 a page: one each


def test_nothing_asked_sends_nothing(emu):
    found = deps.ConsumingFlows.read(_client(emu), [])
    assert found.flows == {} and emu.requests()["requests"] == []


def test_without_the_permission_one_request_and_every_action_unknown(emu):
    found = deps.ConsumingFlows.read(_client(emu, "no-deps", "nd-secret"), [BUSY, CHANGED, UNUSED], parallel=4)
    counts = emu.requests()["counts"]
    assert counts == {"POST /oauth/token": 1, BUILD: 1}
    assert found.flows == {BUSY: None, CHANGED: None, UNUSED: None}
    reason = "refused, the answer asked for architect:dependencyTracking:view"
    assert found.reasons == {BUSY: reason, CHANGED: reason, UNUSED: reason}
    assert found.warnings == ["The flows that call the data actions are unknown for this org: %s; give the OAuth "
                              "client a role with it." % reason]
    assert found.distinct_published([BUSY, UNUSED]) == ([], 2)


@pytest.mark.parametrize("parallel, most", [(1, 1), (3, 3)])
def test_a_refused_listing_is_noticed_once(emu, parallel, most):
    asked = [BUSY, CHANGED, DRAFT_ONLY, UNUSED, DELETED_ONLY]
    found = deps.ConsumingFlows.read(_client(emu, "refused", "rf-secret"), asked, parallel=parallel)
    refused = emu.requests()["counts"][CONSUMING]
    assert 1 <= refused <= most  # only the requests already in flight when the first 403 came
    assert set(found.flows.values()) == {None}
    assert set(found.reasons.values()) == {"refused, the answer asked for architect:dependencyTracking:view"}
    assert len(found.warnings) == 1


@pytest.mark.parametrize("status", ["BUILDINPROGRESS", "BUILDQUEUED", "BUILDINITIALIZING"])
def test_while_rebuilding_no_listing_is_read(emu, status):
    emu.configure(dependency_build_status=status)
    found = deps.ConsumingFlows.read(_client(emu), [BUSY, UNUSED])
    assert CONSUMING not in emu.requests()["counts"]
    assert found.reasons == {BUSY: deps.REBUILDING, UNUSED: deps.REBUILDING} and found.build_status == status
    assert found.warnings == ["The flows that call the data actions are unknown for this org: dependency tracking "
                              "is rebuilding; run again once GET %s says OPERATIONAL." % deps.BUILD_PATH]


@pytest.mark.parametrize("status, reason", [("NOTBUILT", "dependency tracking has not been built for this org"),
                                            ("BUILDINCOMPLETE", "dependency tracking's last build did not complete")])
def test_tracking_that_is_not_usable_says_why(emu, status, reason):
    emu.configure(dependency_build_status=status)
    found = deps.ConsumingFlows.read(_client(emu), [BUSY])
    assert found.reasons == {BUSY: reason} and CONSUMING not in emu.requests()["counts"]


def test_a_build_that_needs_a_rebuild_still_answers(emu):
    emu.configure(dependency_build_status="OPERATIONALNEEDSREBUILD")
    found = deps.ConsumingFlows.read(_client(emu), [CHANGED])
    assert len(found.flows[CHANGED]) == 1 and found.reasons == {}


class ScriptedClient(object):
    """Answers GETs from a script keyed by path (lists are consumed in order) and records them."""

    def __init__(self, build, consuming):
        self.build = list(build)
        self.consuming = consuming
        self.sent = []

    def secrets(self):
        return ["s3cret-token"]

    def get(self, path, params=None):
        self.sent.append((path, dict(params or {})))
        if path == deps.BUILD_PATH:
            return {"status": self.build.pop(0)}
        answer = self.consuming(params)
        if isinstance(answer, Exception):
            raise answer
        return answer


def _page(*entries):
    return {"entities": list(entries), "pageCount": 1, "pageNumber": 1, "total": len(entries)}


def _entry(name, state_unknown=False):
    return {"id": "flow-" + name, "name": name, "version": "1.0", "type": "INBOUNDCALLFLOW", "deleted": False,
            "stateUnknown": state_unknown}


def test_a_rebuild_that_starts_during_the_run_makes_every_action_unknown():
    # The second action's answer carries stateUnknown: the status is read again and now says rebuilding.
    client = ScriptedClient(["OPERATIONAL", "BUILDINPROGRESS"],
                            lambda q: _page(_entry("Main", state_unknown=q["id"] == "a2")))
    found = deps.ConsumingFlows.read(client, ["a1", "a2", "a3"], parallel=1)
    assert [p for p, dummy in client.sent] == [deps.BUILD_PATH, deps.CONSUMING_PATH, deps.CONSUMING_PATH,
                                               deps.BUILD_PATH]
    assert found.reasons == {"a1": deps.REBUILDING, "a2": deps.REBUILDING, "a3": deps.REBUILDING}


def test_state_unknown_entries_of_an_operational_org_are_kept_and_checked_once():
    client = ScriptedClient(["OPERATIONAL", "OPERATIONAL"], lambda q: _page(_entry("Main", state_unknown=True)))
    found = deps.ConsumingFlows.read(client, ["a1", "a2"], parallel=1)
    assert [p for p, dummy in client.sent].count(deps.BUILD_PATH) == 2
    assert [f["state_unknown"] for f in found.flows["a1"] + found.flows["a2"]] == [True, True]


def test_an_error_while_rebuilding_is_told_apart_from_a_failed_read():
    failure = ServerError("The service is unavailable (token s3cret-token)", status=503, method="GET",
                          path=deps.CONSUMING_PATH)
    rebuilding = ScriptedClient(["OPERATIONAL", "BUILDQUEUED"], lambda q: failure)
    assert deps.ConsumingFlows.read(rebuilding, ["a1", "a2"], parallel=1).reasons == {
        "a1": deps.REBUILDING, "a2": deps.REBUILDING}
    assert len(rebuilding.sent) == 3
    broken = ScriptedClient(["OPERATIONAL", "OPERATIONAL"],
                            lambda q: failure if q["id"] == "a1" else _page(_entry("Main")))
    found = deps.ConsumingFlows.read(broken, ["a1", "a2"], parallel=1)
    assert found.flows["a1"] is None and len(found.flows["a2"]) == 1
    assert found.reasons["a1"].startswith("its flows could not be read (Genesys Cloud server error (HTTP 503")
    assert "s3cret-token" not in found.reasons["a1"] and "********" in found.reasons["a1"]
    assert found.warnings and "1 data action(s)" in found.warnings[0] and "s3cret-token" not in found.warnings[0]


def test_pages_follow_next_uri_without_a_page_count_and_an_entry_moved_between_pages_is_kept_once():
    pages = {1: {"entities": [_entry("A"), _entry("B")], "nextUri": "/next"},
             2: {"entities": [_entry("B"), _entry("C")]}}
    client = ScriptedClient(["OPERATIONAL"], lambda q: pages[q["pageNumber"]])
    found = deps.ConsumingFlows.read(client, ["a1"], page_size=2)
    assert [f["name"] for f in found.flows["a1"]] == ["A", "B", "C"]
    assert [q.get("pageNumber") for dummy, q in client.sent[1:]] == [1, 2]


def test_a_403_that_names_no_permission_is_taken_for_the_documented_one():
    assert permissions_for("GET", deps.CONSUMING_PATH + "?id=x") == [deps.PERMISSION]
    assert permissions_for("GET", deps.BUILD_PATH) == [deps.PERMISSION]
    bare = PermissionDeniedError("Forbidden", permissions=[], status=403, method="GET", path=deps.BUILD_PATH)
    client = ScriptedClient([], None)
    client.get = lambda path, params=None: (nothing for nothing in ()).throw(bare)
    assert deps.ConsumingFlows.read(client, ["a1"]).reasons == {
        "a1": "refused, the answer asked for architect:dependencyTracking:view"}


def test_a_stop_of_the_run_ends_the_reads_and_every_action_is_unknown():
    # The client raises RunStoppedError (nothing sent) from the second action's read on: no request after it.
    asked = []

    def consuming(query):
        asked.append(query["id"])
        if len(asked) > 1:
            return RunStoppedError("the run was stopped before this request was sent")
        return _page(_entry("Main"))

    client = ScriptedClient(["OPERATIONAL"], consuming)
    found = deps.ConsumingFlows.read(client, ["a1", "a2", "a3"], parallel=1)
    assert asked == ["a1", "a2"]
    assert found.flows == {"a1": None, "a2": None, "a3": None}
    assert found.reasons == dict.fromkeys(("a1", "a2", "a3"), deps.STOPPED)
    assert found.warnings == ["The flows that call the data actions are unknown for this org: %s." % deps.STOPPED]


def test_a_stop_before_the_build_status_is_read_sends_nothing_more():
    class Stopped(ScriptedClient):
        def get(self, path, params=None):
            self.sent.append(path)
            raise RunStoppedError("the run was stopped before this request was sent")

    client = Stopped([], None)
    found = deps.ConsumingFlows.read(client, ["a1", "a2"], parallel=2)
    assert client.sent == [deps.BUILD_PATH]
    assert found.reasons == dict.fromkeys(("a1", "a2"), deps.STOPPED)

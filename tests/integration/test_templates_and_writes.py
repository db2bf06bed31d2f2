# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesyscloud.cx contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Issue 17, section 2: templates are text, and the writes are aligned with the Terraform provider.

Through ansible-playbook against the emulator, asserted on what reached it (the request log: the Accept of every
request, PATCH and PUT bodies field by field) and on what it holds afterwards: template reads ask for
``text/plain, */*`` (the emulator answers 406 otherwise), the PATCH config carries the templates inline without
their URIs, the function PUT only description, handler, runtime and timeoutSeconds; a 408 on an update is re-read
and decided again, and one that was applied is recognised as ours; a refused call names its permission.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import collections
import copy
import json

import pytest

from tests.emulator.harness import Emulator
from tests.integration._helpers import ACTION_ROUTE, PATCH_ROUTE, play, switched, timeout_of

TEMPLATE_ROUTES = ("GET /api/v2/integrations/actions/{actionId}/templates/{fileName}",
                   "GET /api/v2/integrations/actions/{actionId}/draft/templates/{fileName}")
DRAFT_PATCH = "PATCH /api/v2/integrations/actions/{actionId}/draft"
FUNCTION_PUT = "PUT /api/v2/integrations/actions/{actionId}/draft/function"
TEMPLATE_ACCEPT = "text/plain, */*"
TARGET = 10


@pytest.fixture(scope="module")
def generated():
    with Emulator(args=["--generate", "60", "--random-seed", "13"]) as emu:
        yield emu


def _low(actions):
    return sorted(i for i, a in actions.items() if i.startswith("custom_-_") and timeout_of(a) is not None
                  and timeout_of(a) <= 3)


def _action_id(entry):
    return entry["path"].split("/api/v2/integrations/actions/", 1)[1].split("/", 1)[0]


def _expected_body(entity, timeout):
    """What an update must send: the entity as stored (templates inline, never a URI), only the timeout changed."""
    config = copy.deepcopy(entity["config"])
    config["timeoutSeconds"] = timeout
    return {"name": entity["name"], "category": entity["category"], "config": config, "version": entity["version"]}


# ---- templates are text, the PATCH body is the provider's -----------------------------------------
@pytest.mark.parametrize("share", [0, 1])
def test_templates_are_read_as_text_and_every_patch_body_is_the_config_as_stored(generated, run_playbook, share):
    emu = switched(generated, templates_by_uri=share, pending_drafts=0.5)
    state = emu.state()["orgs"]["demo"]
    before, drafts = state["actions"], state["drafts"]
    low = _low(before)
    by_uri = set(state["templates_by_uri"])
    low_drafts = set(i for i in low if i in drafts and timeout_of(drafts[i]) != TARGET)
    assert len(low) >= 5 and low_drafts and (share == 0 or set(low) <= by_uri), "the generated org no longer fits"

    task = {"name": "raise", "genesyscloud.cx.data_action_timeout": {"ids": low, "timeout_seconds": TARGET,
                                                                     "drafts": "update"}}
    result = run_playbook(play(emu, [task])).result("raise")
    assert [r["status"] for r in result["results"]] == ["updated"] * len(low), result
    log = emu.requests()["requests"]

    # Every template read asked for text, and was answered; every other API request still asks for JSON.
    reads = [e for e in log if e["route"] in TEMPLATE_ROUTES]
    assert [(e["accept"], e["status"]) for e in reads] == [(TEMPLATE_ACCEPT, 200)] * len(reads)
    assert len(reads) == (2 * len(low) + 2 * len(low_drafts) if share else 0)
    assert set(e["accept"] for e in log if e["path"].startswith("/api/v2/") and e["route"] not in TEMPLATE_ROUTES) \
        == {"application/json"}

    # Each PATCH, field by field: the action (or draft) as stored - its templates inline, no *TemplateUri, every
    # other field as it was - with only the timeout changed.
    patches = dict((_action_id(e), e["body"]) for e in log if e["route"] == PATCH_ROUTE)
    assert sorted(patches) == low
    for action_id, body in patches.items():
        assert body == _expected_body(before[action_id], TARGET), action_id
    draft_patches = dict((_action_id(e), e["body"]) for e in log if e["route"] == DRAFT_PATCH)
    assert set(draft_patches) == low_drafts
    for action_id, body in draft_patches.items():
        assert body == _expected_body(drafts[action_id], TARGET), action_id
    assert "TemplateUri" not in json.dumps([e.get("body") for e in log if e["write"]])

    after = emu.state()["orgs"]["demo"]
    for action_id in low:
        assert after["actions"][action_id] == dict(before[action_id], version=before[action_id]["version"] + 1,
                                                   config=_expected_body(before[action_id], TARGET)["config"])
    for action_id in low_drafts:
        assert after["drafts"][action_id]["config"] == _expected_body(drafts[action_id], TARGET)["config"]


# ---- 408 on an update -----------------------------------------------------------------------------
def test_a_408_whose_update_was_applied_is_recognised_by_one_read_and_not_sent_again(generated, run_playbook):
    emu = switched(generated, faults="408_after=1.0,methods=PATCH")
    before = emu.actions()
    low = _low(before)[:4]
    task = {"name": "raise", "genesyscloud.cx.data_action_timeout": {"ids": low, "timeout_seconds": TARGET,
                                                                     "drafts": "ignore"}}
    results = run_playbook(play(emu, [task])).result("raise")["results"]
    for result in results:
        assert result["status"] == "updated" and "re-read after a request timeout (HTTP 408)" in result["msg"], result
        assert "confirmed by re-reading" in result["msg"]
        version = before[result["id"]]["version"]
        assert (result["version_before"], result["version_after"]) == (version, version + 1)
    log = emu.requests()["requests"]
    patches = [e for e in log if e["route"] == PATCH_ROUTE]
    # One PATCH per action, applied and answered 408; one read per action settles it.
    assert sorted(_action_id(e) for e in patches) == sorted(low)
    assert set((e["fault"], e["status"]) for e in patches) == {("408_after", 408)}
    assert collections.Counter(_action_id(e) for e in log if e["route"] == ACTION_ROUTE) == \
        collections.Counter(dict((i, 1) for i in low))
    after = emu.actions()
    assert all(timeout_of(after[i]) == TARGET and after[i]["version"] == before[i]["version"] + 1 for i in low)

    emu.clear_requests()
    rerun = run_playbook(play(emu, [task])).result("raise")["results"]
    assert [r["status"] for r in rerun] == ["unchanged"] * len(low) and emu.requests()["writes"] == 0


def test_408s_not_applied_are_re_read_and_bounded_like_conflicts(generated, run_playbook):
    emu = switched(generated, faults="408=1.0,methods=PATCH")
    before = emu.actions()
    low = _low(before)[:2]
    task = {"name": "raise", "ignore_errors": True, "genesyscloud.cx.data_action_timeout": {
        "ids": low, "timeout_seconds": TARGET, "drafts": "ignore"}}
    result = run_playbook(play(emu, [task])).result("raise")
    assert result["_status"] == "ignored"
    for row in result["results"]:
        assert row["status"] == "failed" and "gave up after 3 updates" in row["msg"] and "HTTP 408" in row["msg"]
    log = emu.requests()["requests"]
    sent = collections.defaultdict(list)
    for entry in log:
        if entry["route"] == PATCH_ROUTE:
            sent[_action_id(entry)].append((entry["status"], entry["body"]["version"]))
    # Three PATCHes each, every one with the version just re-read (nothing was applied, so the same one).
    assert dict(sent) == dict((i, [(408, before[i]["version"])] * 3) for i in low)
    assert emu.actions() == before


# ---- the function PUT, and the 403 hints ----------------------------------------------------------
LAMBDAS = "9c41d2e0-7b1a-4f3e-8d55-0a6b2c9e1f77"
SCORE = "custom_-_00000000-0000-4000-8000-000000000031"
CONFIG = {"request": {"requestUrlTemplate": "https://fn.example.com/score", "requestType": "POST", "headers": {},
                      "requestTemplate": "{\"id\": \"${input.id}\"}"},
          "response": {"translationMap": {"score": "$.score"}, "translationMapDefaults": {},
                       "successTemplate": "{\"score\": ${score}}"},
          "timeoutSeconds": 3}
ALL_BUT = ["integrations:action:view", "integrations:action:edit", "integrations:integration:view",
           "integrations:actionFunction:view"]
FUNCTION_SEED = {"orgs": [{
    "id": "fn", "name": "Function org",
    "clients": [{"client_id": "fn-client", "client_secret": "fn-secret", "permissions": ["*"]},
                {"client_id": "fn-no-edit", "client_secret": "ne-secret", "permissions": ALL_BUT}],
    "integrations": [{"id": LAMBDAS, "name": "Lambdas", "integrationType": "function-data-actions"}],
    "actions": [{"id": SCORE, "name": "Score lead", "category": "Leads", "integrationId": LAMBDAS, "version": 4,
                 "config": CONFIG, "function_timeout_seconds": 5}],
    "generate": 0}]}


@pytest.fixture(scope="module")
def function_org():
    with Emulator(args=["--random-seed", "3"], seed=FUNCTION_SEED) as emu:
        yield emu


def test_the_function_put_carries_only_description_handler_runtime_and_timeout(function_org, run_playbook):
    emu = switched(function_org, templates_by_uri=1)
    before = emu.state()["orgs"]["fn"]
    function = before["functions"][SCORE]["function"]
    task = {"name": "set", "genesyscloud.cx.data_action_timeout": {"id": SCORE, "timeout_seconds": 12,
                                                                   "function_timeout_seconds": 10}}
    result = run_playbook(play(emu, [task], client_id="fn-client", client_secret="fn-secret")).result("set")
    row = result["results"][0]
    assert (row["status"], row["function_timeout_seconds_before"], row["function_timeout_seconds_after"]) == (
        "updated", 5, 10)
    puts = [e["body"] for e in emu.requests()["requests"] if e["route"] == FUNCTION_PUT]
    assert puts == [{"description": function["description"], "handler": function["handler"],
                     "runtime": function["runtime"], "timeoutSeconds": 10}]
    after = emu.state()["orgs"]["fn"]
    # The zip (set by the upload, not the PUT), the name and the id stay as they were.
    assert after["functions"][SCORE]["function"] == dict(function, timeoutSeconds=10)
    assert after["functions"][SCORE]["zip"] == before["functions"][SCORE]["zip"]
    assert after["drafts"] == {}


def test_a_refused_call_names_the_permission_it_needs(function_org, run_playbook):
    """A client that may edit actions but not functions, nor delete drafts: the PUT is refused naming
    integrations:actionFunction:edit, and the clean-up of the draft naming integrations:action:delete."""
    emu = switched(function_org)
    before = emu.state()["orgs"]["fn"]
    task = {"name": "set", "ignore_errors": True, "genesyscloud.cx.data_action_timeout": {
        "id": SCORE, "timeout_seconds": 3, "function_timeout_seconds": 10}}
    result = run_playbook(play(emu, [task], client_id="fn-no-edit", client_secret="ne-secret")).result("set")
    row = result["results"][0]
    assert result["_status"] == "ignored" and row["status"] == "failed"
    msg = row["msg"]
    assert "PUT /api/v2/integrations/actions/%s/draft/function" % SCORE in msg
    assert "one of these permissions: integrations:actionFunction:edit" in msg
    assert "could not be deleted" in msg and "integrations:action:delete" in msg
    statuses = [(e["route"].split(" ")[0], e["route"].rsplit("}", 1)[1], e["status"])
                for e in emu.requests()["requests"] if e["write"]]
    assert statuses == [("POST", "/draft", 200), ("PUT", "/draft/function", 403), ("DELETE", "/draft", 403)]
    after = emu.state()["orgs"]["fn"]
    assert after["functions"] == before["functions"] and SCORE in after["drafts"], "the draft is left, as said"

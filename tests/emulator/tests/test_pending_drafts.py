# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesyscloud.cx contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Pending drafts: a seed action's `draft`, --pending-drafts SHARE, the drafts listing, and a publish that undoes
a timeout change made on the action meanwhile."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import copy

import pytest

from tests.emulator.harness import Emulator
from tests.emulator.world import SeedError, load_seed, share_of_custom_actions

from .conftest import ACTIONS, Api, assert_error_body

CRM = "55555555-5555-4555-8555-555555555555"
FUNCS = "66666666-6666-4666-8666-666666666666"
COPY = "custom_-_eeeeeeee-0000-4000-8000-000000000001"       # draft: true
OLDER = "custom_-_eeeeeeee-0000-4000-8000-000000000002"      # draft: {"timeoutSeconds": 3}
OWN = "custom_-_eeeeeeee-0000-4000-8000-000000000003"        # draft: {"config": ..., "version": 4}
FUNC = "custom_-_eeeeeeee-0000-4000-8000-000000000004"       # draft with its own function timeout
PLAIN = "custom_-_eeeeeeee-0000-4000-8000-000000000005"      # no draft
STATIC = "static_-_eeeeeeee-0000-4000-8000-000000000006"
AUTH = "customAuth_-_" + CRM


def _config(timeout):
    config = {"request": {"requestUrlTemplate": "https://crm.example.com/x", "requestType": "GET",
                          "headers": {"Accept": "application/json"}, "requestTemplate": "${input.rawRequest}"},
              "response": {"translationMap": {"a": "$.a"}, "translationMapDefaults": {},
                           "successTemplate": "${rawResult}"}}
    if timeout is not None:
        config["timeoutSeconds"] = timeout
    return config


def _action(action_id, timeout, version=5, integration=CRM, **extra):
    return dict({"id": action_id, "name": "Action %s" % action_id[-1], "category": "CRM", "integrationId": integration,
                 "version": version, "config": _config(timeout)}, **extra)


SEED = {"orgs": [{
    "id": "org-d", "clients": [{"client_id": "d", "client_secret": "d-secret"}],
    "integrations": [{"id": CRM, "name": "CRM", "integrationType": "custom-rest-actions"},
                     {"id": FUNCS, "name": "Lambdas", "integrationType": "function-data-actions"}],
    "actions": [
        _action(COPY, 10, draft=True),
        _action(OLDER, 10, draft={"timeoutSeconds": 3}),
        _action(OWN, None, draft={"config": dict(_config(4), retryPolicy={"maxAttempts": 3}), "version": 4,
                                  "name": "Action 3 (draft)"}),
        _action(FUNC, 12, integration=FUNCS, function_timeout_seconds=10,
                draft={"timeoutSeconds": None, "function_timeout_seconds": 5}),
        _action(PLAIN, 2),
        _action(STATIC, 2),
        _action(AUTH, None),
    ],
    "generate": 40,
}]}


@pytest.fixture(scope="module")
def emulator():
    with Emulator(args=["--random-seed", "9"], seed=SEED) as emu:
        yield emu


@pytest.fixture
def emu(emulator):
    emulator.reset()
    emulator.configure(pending_drafts=0, templates_by_uri=0)
    yield emulator


@pytest.fixture
def api(emu):
    return Api(emu, "d", "d-secret")


def _drafts(emu):
    return emu.state()["orgs"]["org-d"]["drafts"]


def _custom(emu):
    return [a for a in emu.actions("org-d") if a.startswith("custom_")]


# ---------------------------------------------------------------- seeded drafts

def test_seeded_drafts(emu, api):
    actions, drafts = emu.actions("org-d"), _drafts(emu)
    assert sorted(drafts) == sorted([COPY, OLDER, OWN, FUNC])
    assert drafts[COPY] == dict(actions[COPY], version=1, selfUri=actions[COPY]["selfUri"] + "/draft")
    assert drafts[OLDER]["config"] == dict(actions[OLDER]["config"], timeoutSeconds=3)
    assert drafts[OLDER]["version"] == 1 and actions[OLDER]["version"] == 5
    assert drafts[OWN]["version"] == 4 and drafts[OWN]["name"] == "Action 3 (draft)"
    assert drafts[OWN]["config"]["timeoutSeconds"] == 4 and drafts[OWN]["config"]["retryPolicy"] == {"maxAttempts": 3}
    assert "timeoutSeconds" not in drafts[FUNC]["config"] and actions[FUNC]["config"]["timeoutSeconds"] == 12
    function = api.get("%s/%s/draft/function" % (ACTIONS, FUNC)).json()
    assert function["function"]["timeoutSeconds"] == 5 and function["selfUri"].endswith("/draft/function")
    assert api.get("%s/%s/function" % (ACTIONS, FUNC)).json()["function"]["timeoutSeconds"] == 10
    one = api.get("%s/%s/draft" % (ACTIONS, OLDER), params={"includeConfig": "true"}).json()
    assert one["version"] == 1 and one["config"]["timeoutSeconds"] == 3
    assert one["selfUri"] == "%s/%s/draft" % (ACTIONS, OLDER)


def test_drafts_listing_pages_and_includes_config(emu, api):
    first = api.get(ACTIONS + "/drafts", params={"pageSize": 3}).json()
    assert first["total"] == 4 and first["pageCount"] == 2 and len(first["entities"]) == 3
    assert all("config" not in d for d in first["entities"])
    assert first["nextUri"] == ACTIONS + "/drafts?pageSize=3&pageNumber=2"
    second = api.get(first["nextUri"]).json()
    assert len(second["entities"]) == 1 and "nextUri" not in second
    assert sorted(d["id"] for d in first["entities"] + second["entities"]) == sorted([COPY, OLDER, OWN, FUNC])
    full = api.get(ACTIONS + "/drafts", params={"pageSize": 100, "includeConfig": "true"}).json()["entities"]
    assert {d["id"]: d["config"].get("timeoutSeconds") for d in full} == {COPY: 10, OLDER: 3, OWN: 4, FUNC: None}
    assert {d["id"]: d["version"] for d in full} == {COPY: 1, OLDER: 1, OWN: 4, FUNC: 1}
    assert [d["id"] for d in api.get(ACTIONS + "/drafts", params={"name": "draft"}).json()["entities"]] == [OWN]


def test_publishing_a_pending_draft_undoes_a_change_made_meanwhile(emu, api):
    read = api.get("%s/%s" % (ACTIONS, OLDER), params={"includeConfig": "true"}).json()
    config = dict(read["config"], timeoutSeconds=20)
    assert api.patch("%s/%s" % (ACTIONS, OLDER), json={"version": 5, "config": config}).status_code == 200
    published = api.post("%s/%s/draft/publish" % (ACTIONS, OLDER), json={"version": 1})
    assert published.status_code == 200 and published.json()["version"] == 7
    assert emu.actions("org-d")[OLDER]["config"]["timeoutSeconds"] == 3, "the draft's old timeout is back"


def test_a_pending_draft_patched_with_its_own_version_then_published(emu, api):
    draft = api.get("%s/%s/draft" % (ACTIONS, OWN), params={"includeConfig": "true"}).json()
    config = copy.deepcopy(draft["config"])
    config["timeoutSeconds"] = 20
    assert_error_body(api.patch("%s/%s/draft" % (ACTIONS, OWN), json={"version": 5, "config": config}), 409)
    patched = api.patch("%s/%s/draft" % (ACTIONS, OWN), json={"version": 4, "config": config})
    assert patched.status_code == 200 and patched.json()["version"] == 5
    assert api.post("%s/%s/draft/publish" % (ACTIONS, OWN), json={"version": 5}).status_code == 200
    held = emu.actions("org-d")[OWN]
    assert held["config"]["timeoutSeconds"] == 20 and held["name"] == "Action 3 (draft)"
    assert held["config"]["retryPolicy"] == {"maxAttempts": 3}


def test_publishing_a_function_draft_applies_its_function(emu, api):
    assert api.post("%s/%s/draft/publish" % (ACTIONS, FUNC), json={"version": 1}).status_code == 200
    assert api.get("%s/%s/function" % (ACTIONS, FUNC)).json()["function"]["timeoutSeconds"] == 5
    assert "timeoutSeconds" not in emu.actions("org-d")[FUNC]["config"]


@pytest.mark.parametrize("action,message", [
    (_action(STATIC, 2, draft=True), "static actions cannot have drafts"),
    (_action(PLAIN, 2, draft={"timeoutSeconds": 61}), "timeoutSeconds must be an int 1..60"),
    (_action(PLAIN, 2, draft={"config": {"timeoutSeconds": 0}}), "config.timeoutSeconds must be an int 1..60"),
    (_action(PLAIN, 2, draft={"timeout": 3}), "unknown field(s) timeout"),
    (_action(PLAIN, 2, draft="yes"), "must be true or an object"),
    (_action(PLAIN, 2, draft={"version": 0}), "version must be an int >= 1"),
    (_action(AUTH, None, draft={"timeoutSeconds": 5}), "custom authentication action cannot have timeoutSeconds"),
    (_action(PLAIN, 2, draft={"function_timeout_seconds": 5}), "only for actions of a function-data-actions"),
    (_action(FUNC, 2, integration=FUNCS, draft={"function_timeout_seconds": 20}), "must be an int 1..15"),
])
def test_bad_seeded_drafts_are_explained(action, message):
    seed = {"orgs": [dict(SEED["orgs"][0], actions=[action], generate=0)]}
    with pytest.raises(SeedError) as error:
        load_seed(seed, now_ms=1)
    assert message in str(error.value)


# ---------------------------------------------------------------- --pending-drafts

def test_pending_drafts_share_1_gives_every_custom_action_one(emu, api):
    emu.configure(pending_drafts=1.0)
    actions, drafts = emu.actions("org-d"), _drafts(emu)
    assert sorted(drafts) == sorted(_custom(emu)), "every custom action; no static or custom-auth one"
    seeded = {COPY, OLDER, OWN, FUNC}
    for action_id in set(drafts) - seeded:
        action, draft = actions[action_id], drafts[action_id]
        assert draft["version"] == 1 and draft["selfUri"] == action["selfUri"] + "/draft"
        before, after = action["config"].get("timeoutSeconds"), draft["config"].get("timeoutSeconds")
        assert after != before, "a different (older) timeout"
        assert before is not None or after in (2, 3, 5, 10)
        assert after is None or before is None or 1 <= after < before
        assert dict(draft["config"], timeoutSeconds=None) == dict(action["config"], timeoutSeconds=None), \
            "only the timeout differs"
        assert dict(draft, config=None, version=None, selfUri=None) == dict(action, config=None, version=None,
                                                                            selfUri=None)
    assert drafts[OWN]["version"] == 4, "a seeded draft is kept"
    timeouts = [drafts[a]["config"].get("timeoutSeconds") for a in set(drafts) - seeded]
    assert None in timeouts and any(t is not None for t in timeouts)
    listed = api.get(ACTIONS + "/drafts", params={"pageSize": 25}).json()
    assert listed["total"] == len(drafts) and listed["pageCount"] == -(-len(drafts) // 25)


def test_pending_drafts_of_function_actions_carry_a_draft_function(emu, api):
    emu.configure(pending_drafts=1.0)
    state = emu.state()["orgs"]["org-d"]
    functions = [a for a in state["functions"] if a != FUNC]
    assert functions, "the generated org has function actions"
    for action_id in functions:
        assert state["draft_functions"][action_id]["function"] == state["functions"][action_id]["function"]
        assert state["draft_functions"][action_id]["selfUri"].endswith("/draft/function")


def test_a_share_is_exact_deterministic_and_changes_at_run_time(emu, api):
    org = load_seed(SEED, random_seed=9, now_ms=1).orgs["org-d"]
    chosen = share_of_custom_actions(org, 0.5, "pending-drafts/9")
    assert len(chosen) == int(0.5 * len(_custom(emu)) + 0.5)
    emu.configure(pending_drafts=0.5)
    half = _drafts(emu)
    made = set(half) - {COPY, OLDER, OWN, FUNC}
    assert made == set(chosen) - {COPY, OLDER, OWN, FUNC}, "round(share x custom actions), seeded drafts kept"
    emu.configure(pending_drafts=0)
    assert sorted(_drafts(emu)) == sorted([COPY, OLDER, OWN, FUNC]), "the switch's drafts are gone, the seed's stay"
    emu.configure(pending_drafts=0.5)
    assert _drafts(emu) == half, "the same share gives the same drafts"
    emu.reset()
    assert _drafts(emu) == half, "reset restores the world with the current share"
    emu.configure(pending_drafts=0.8)
    assert made < set(_drafts(emu)), "a larger share, a superset"


def test_changing_the_share_keeps_a_clients_draft(emu, api):
    emu.configure(pending_drafts=1.0)
    api("DELETE", "%s/%s/draft" % (ACTIONS, PLAIN))
    created = api.post("%s/%s/draft" % (ACTIONS, PLAIN)).json()
    assert created["config"]["timeoutSeconds"] == 2
    emu.configure(pending_drafts=0)
    assert _drafts(emu)[PLAIN]["config"]["timeoutSeconds"] == 2, "made by the client, not by the switch"


def test_pending_drafts_from_the_command_line():
    with Emulator(args=["--random-seed", "9", "--pending-drafts", "0.5"], seed=SEED) as first:
        drafts = first.state()["orgs"]["org-d"]["drafts"]
        assert first.call("GET", "/__emulator/config").body["pending_drafts"] == 0.5
    with Emulator(args=["--random-seed", "9", "--pending-drafts", "0.5"], seed=SEED) as second:
        assert second.state()["orgs"]["org-d"]["drafts"] == drafts
    with Emulator(args=["--random-seed", "10", "--pending-drafts", "0.5"], seed=SEED) as third:
        assert sorted(third.state()["orgs"]["org-d"]["drafts"]) != sorted(drafts)

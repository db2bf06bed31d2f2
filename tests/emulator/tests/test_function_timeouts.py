# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesyscloud.cx contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A function data action's test/execute runs with the lower of the action's effective timeout and the
function's timeoutSeconds (the emulator's model); seeds give function_timeout_seconds."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import pytest

from tests.emulator.harness import Emulator
from tests.emulator.world import SeedError, load_seed

from .conftest import ACTIONS, Api

FUNCS = "33333333-3333-4333-8333-333333333333"
CRM = "44444444-4444-4444-8444-444444444444"
FUNC_SLOW = "custom_-_dddddddd-0000-4000-8000-000000000001"    # unset (60 s), function 2 s, backend 3 s
FUNC_LOW = "custom_-_dddddddd-0000-4000-8000-000000000002"     # 1 s, function 15 s (default), backend 3 s
FUNC_FAST = "custom_-_dddddddd-0000-4000-8000-000000000003"    # 10 s, function 5 s, backend 100 ms
FUNCTION_BODY = {"description": "d", "handler": "src/index.handler", "runtime": "nodejs22.x"}


def _action(action_id, timeout, latency, function_timeout=None):
    action = {"id": action_id, "name": action_id[-3:], "integrationId": FUNCS, "version": 1,
              "config": {"request": {"requestUrlTemplate": "/function/x", "requestType": "POST",
                                     "requestTemplate": "${input.rawRequest}"},
                         "response": {"translationMap": {}, "successTemplate": "${rawResult}"}},
              "backend": {"latency_ms": latency}}
    if timeout is not None:
        action["config"]["timeoutSeconds"] = timeout
    if function_timeout is not None:
        action["function_timeout_seconds"] = function_timeout
    return action


SEED = {"orgs": [{
    "id": "org-f", "clients": [{"client_id": "f", "client_secret": "f-secret"}],
    "integrations": [{"id": FUNCS, "name": "Lambdas", "integrationType": "function-data-actions"},
                     {"id": CRM, "name": "CRM", "integrationType": "custom-rest-actions"}],
    "actions": [_action(FUNC_SLOW, None, 3000, 2), _action(FUNC_LOW, 1, 3000), _action(FUNC_FAST, 10, 100, 5)],
}]}


@pytest.fixture(scope="module")
def emulator():
    with Emulator(args=["--time-scale", "0.01"], seed=SEED) as emu:
        yield emu


@pytest.fixture
def api(emulator):
    emulator.reset()
    return Api(emulator, "f", "f-secret")


def _test(api, action_id, draft=False):
    response = api.post("%s/%s%s/test" % (ACTIONS, action_id, "/draft" if draft else ""), json={"x": 1})
    assert response.status_code == 200, response.text
    return response.json()


def test_the_function_timeout_stops_an_action_with_a_higher_one(emulator, api):
    result = _test(api, FUNC_SLOW)
    assert result["success"] is False and result["error"]["code"] == "action.timeout"
    assert result["error"]["messageParams"] == {"timeoutSeconds": "2", "timedOut": "function"}
    assert "function" in result["error"]["message"]
    assert emulator.executions(FUNC_SLOW)[-1][1:] == [2000, "timeout"], "recorded at the function's timeout"
    execute = api.post("%s/%s/execute" % (ACTIONS, FUNC_SLOW), json={})
    assert execute.status_code == 504 and execute.json()["messageParams"]["timedOut"] == "function"


def test_the_action_timeout_stops_a_function_with_a_higher_one(emulator, api):
    result = _test(api, FUNC_LOW)
    assert result["success"] is False
    assert result["error"]["messageParams"] == {"timeoutSeconds": "1", "timedOut": "action"}
    assert emulator.executions(FUNC_LOW)[-1][1:] == [1000, "timeout"]


def test_a_fast_function_succeeds(api):
    assert _test(api, FUNC_FAST)["success"] is True


def test_raising_only_the_action_timeout_does_not_help(api):
    read = api.get("%s/%s" % (ACTIONS, FUNC_LOW), params={"includeConfig": "true"}).json()
    config = dict(read["config"], timeoutSeconds=30)
    assert api.patch("%s/%s" % (ACTIONS, FUNC_LOW), json={"version": 1, "config": config}).status_code == 200
    assert _test(api, FUNC_LOW)["success"] is True, "function 15 s, backend 3 s"
    read = api.get("%s/%s" % (ACTIONS, FUNC_SLOW), params={"includeConfig": "true"}).json()
    config = dict(read["config"], timeoutSeconds=30)
    assert api.patch("%s/%s" % (ACTIONS, FUNC_SLOW), json={"version": 1, "config": config}).status_code == 200
    result = _test(api, FUNC_SLOW)
    assert result["success"] is False and result["error"]["messageParams"]["timedOut"] == "function"


def test_the_draft_test_uses_the_drafts_function_and_publish_applies_it(api):
    api.post("%s/%s/draft" % (ACTIONS, FUNC_SLOW))
    put = api.put("%s/%s/draft/function" % (ACTIONS, FUNC_SLOW), json=dict(FUNCTION_BODY, timeoutSeconds=4))
    assert put.status_code == 200
    assert _test(api, FUNC_SLOW, draft=True)["success"] is True, "draft: function 4 s, backend 3 s"
    assert _test(api, FUNC_SLOW)["success"] is False, "the published function still stops at 2 s"
    assert api.post("%s/%s/draft/publish" % (ACTIONS, FUNC_SLOW), json={"version": 1}).status_code == 200
    assert _test(api, FUNC_SLOW)["success"] is True
    assert api.get("%s/%s/function" % (ACTIONS, FUNC_SLOW)).json()["function"]["timeoutSeconds"] == 4


def test_seed_function_timeouts():
    assert load_seed(SEED, now_ms=1).orgs["org-f"].functions[FUNC_LOW]["function"]["timeoutSeconds"] == 15
    for bad in (0, 16, "5", True):
        seed = {"orgs": [dict(SEED["orgs"][0], actions=[_action(FUNC_SLOW, None, 3000, bad)])]}
        with pytest.raises(SeedError, match="function_timeout_seconds must be an int 1..15"):
            load_seed(seed, now_ms=1)
    not_a_function = dict(_action(FUNC_SLOW, None, 3000, 5), integrationId=CRM)
    with pytest.raises(SeedError, match="only for actions of a function-data-actions integration"):
        load_seed({"orgs": [dict(SEED["orgs"][0], actions=[not_a_function])]}, now_ms=1)

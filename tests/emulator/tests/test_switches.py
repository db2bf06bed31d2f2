# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesyscloud.cx contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The switches for unknowns of issue 9: PATCH answer, conflict wording, token throttling field, 429 without
Retry-After; the rate-limit headers; the draft test's permission."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import copy

import re

import pytest
import requests

from .conftest import ACTIONS, FAST, SLOW, Api, assert_error_body


def _read(api, action_id):
    response = api.get("%s/%s" % (ACTIONS, action_id), params={"includeConfig": "true"})
    assert response.status_code == 200, response.text
    return response.json()


def _raise_to(action, seconds):
    config = copy.deepcopy(action["config"])
    config["timeoutSeconds"] = seconds
    return {"version": action["version"], "config": config}


# ---------------------------------------------------------------- --patch-answer

def test_patch_answer_with_config_is_the_default(emu, api):
    assert emu.call("GET", "/__emulator/config").body["patch_answer"] == "with-config"
    answer = api.patch("%s/%s" % (ACTIONS, SLOW), json=_raise_to(_read(api, SLOW), 10)).json()
    assert answer["config"]["timeoutSeconds"] == 10 and answer["version"] == 4


def test_patch_answer_without_config_still_applies_the_change(emu, api):
    emu.configure(patch_answer="without-config")
    before = _read(api, SLOW)
    response = api.patch("%s/%s" % (ACTIONS, SLOW), json=_raise_to(before, 10))
    assert response.status_code == 200
    answer = response.json()
    assert "config" not in answer, "the answer looks like a GET without includeConfig"
    assert answer == api.get("%s/%s" % (ACTIONS, SLOW)).json()
    assert answer["version"] == before["version"] + 1
    held = emu.actions("org-a")[SLOW]
    assert held["config"]["timeoutSeconds"] == 10 and held["version"] == before["version"] + 1


def test_draft_patch_answer_without_config(emu, api):
    emu.configure(patch_answer="without-config")
    draft = api.post("%s/%s/draft" % (ACTIONS, FAST)).json()
    assert "config" in draft, "creating a draft still answers with its config"
    response = api.patch("%s/%s/draft" % (ACTIONS, FAST), json=_raise_to(draft, 20))
    assert response.status_code == 200
    assert "config" not in response.json() and response.json()["version"] == 2
    assert emu.state()["orgs"]["org-a"]["drafts"][FAST]["config"]["timeoutSeconds"] == 20


# ---------------------------------------------------------------- --conflict-wording x --conflict-status

@pytest.mark.parametrize("status", [409, 400])
@pytest.mark.parametrize("wording", ["a", "b"])
def test_conflict_wording_and_status(emu, api, wording, status):
    emu.configure(conflict_wording=wording, conflict_status=status)
    before = _read(api, SLOW)
    body = _raise_to(before, 10)
    body["version"] = 2
    error = assert_error_body(api.patch("%s/%s" % (ACTIONS, SLOW), json=body), status)
    if wording == "a":
        assert error["message"] == "Version 2 does not match the current version (3) of action %s." % SLOW
        assert error["code"] == ("conflict" if status == 409 else "bad.request")
    else:
        assert error["message"] == "Action version 2 is stale; the latest version is 3."
        assert "does not match" not in error["message"]
        assert error["code"] == "version.mismatch"
    assert error["details"] == [{"errorCode": "version.mismatch", "fieldName": "version"}]
    assert error["messageParams"] == {"version": "2", "currentVersion": "3"}
    assert emu.actions("org-a")[SLOW]["version"] == 3


def test_draft_conflicts_follow_the_wording(emu, api):
    emu.configure(conflict_wording="b", conflict_status=400)
    api.post("%s/%s/draft" % (ACTIONS, FAST))
    patch = api.patch("%s/%s/draft" % (ACTIONS, FAST), json={"version": 5, "name": "x"})
    error = assert_error_body(patch, 400, "version.mismatch")
    assert error["message"] == "Draft version 5 is stale; the latest version is 1."
    publish = api.post("%s/%s/draft/publish" % (ACTIONS, FAST), json={"version": 2})
    assert assert_error_body(publish, 400, "version.mismatch")["message"] == \
        "Draft version 2 is stale; the latest version is 1."


# ---------------------------------------------------------------- --token-throttle-field

def _token(emu, client_id="a-admin", secret="a-secret"):
    return requests.post(emu.url + "/oauth/token", data={"grant_type": "client_credentials"},
                         auth=(client_id, secret), timeout=10)


@pytest.mark.parametrize("field", ["both", "description", "error_description"])
def test_token_throttling_says_rate_limit_exceeded_in_the_chosen_field(emu, field):
    emu.configure(token_rate_limit="1/60", token_throttle_field=field)
    assert _token(emu).status_code == 200
    throttled = _token(emu)
    assert throttled.status_code == 400
    body = throttled.json()
    assert set(body) == {"error", "description", "error_description"} and body["error"] == "invalid_request"
    carriers = [name for name in ("description", "error_description") if body[name].startswith("rate limit exceeded;")]
    assert carriers == (["description", "error_description"] if field == "both" else [field])
    for name in ("description", "error_description"):
        if name in carriers:
            assert body[name].startswith("rate limit exceeded; retry after ")
            assert body[name].endswith(" seconds") or body[name].endswith(" second")
        else:
            assert "rate limit" not in body[name].lower() and body[name]


# ---------------------------------------------------------------- --omit-retry-after

@pytest.mark.parametrize("omit", [False, True])
def test_rate_limit_429_with_and_without_retry_after(emu, api, omit):
    emu.configure(rate_limit="1/30", omit_retry_after=omit)
    assert api.get(ACTIONS).status_code == 200
    limited = api.get(ACTIONS)
    error = assert_error_body(limited, 429, "too.many.requests.retry.after")
    assert ("Retry-After" in limited.headers) is not omit
    wait = re.search(r"\[(\d+)\] seconds$", error["message"]).group(1)
    assert 1 <= int(wait) <= 30, "the body still says the wait"
    if not omit:
        assert limited.headers["Retry-After"] == wait


@pytest.mark.parametrize("omit", [False, True])
def test_injected_429_with_and_without_retry_after(emu, api, omit):
    emu.configure(faults="429=1.0", omit_retry_after=omit)
    response = api.get(ACTIONS)
    error = assert_error_body(response, 429, "too.many.requests.retry.after")
    assert response.headers.get("Retry-After") == (None if omit else "1")
    assert error["message"].endswith("[1] seconds")


# ---------------------------------------------------------------- no rate-limit headers

def test_limits_from_the_command_line_and_no_rate_limit_headers():
    from tests.emulator.harness import Emulator

    with Emulator(args=["--rate-limit", "42/7", "--org-rate-limit", "2/60", "--rate-window", "fixed",
                        "--count-refused", "--omit-retry-seconds", "--generate", "2"]) as emu:
        config = emu.call("GET", "/__emulator/config").body
        assert (config["rate_limit"], config["org_rate_limit"], config["rate_window"]) == ("42/7", "2/60", "fixed")
        assert config["count_refused"] is True and config["omit_retry_seconds"] is True
        api = Api(emu, "demo-client", "demo-secret")
        answers = [api.get(ACTIONS) for dummy in range(3)]
        assert [r.status_code for r in answers] == [200, 200, 429], "the org's 2 a minute"
        for response in answers:
            assert not [h for h in response.headers if h.lower().startswith("inin-ratelimit")]
        assert answers[-1].json()["message"] == "Rate limit exceeded the maximum."
        assert "Retry-After" not in answers[-1].headers


# ---------------------------------------------------------------- draft test permission

def test_draft_test_needs_integrations_action_execute(emu, api):
    api.post("%s/%s/draft" % (ACTIONS, FAST))
    bridge = Api(emu, "a-bridge", "br-secret")
    assert bridge.post("%s/%s/test" % (ACTIONS, FAST), json={}).status_code == 200, "bridge:actions:execute does"
    refused = bridge.post("%s/%s/draft/test" % (ACTIONS, FAST), json={})
    error = assert_error_body(refused, 403, "missing.any.permissions")
    assert error["messageParams"]["permissions"] == "integrations:action:execute"
    assert api.post("%s/%s/draft/test" % (ACTIONS, FAST), json={}).status_code == 200


# ---------------------------------------------------------------- bad values

@pytest.mark.parametrize("switches", [{"patch_answer": "maybe"}, {"conflict_wording": "c"},
                                      {"token_throttle_field": "message"}, {"omit_retry_after": "yes"},
                                      {"omit_retry_after": 1}])
def test_bad_values_of_the_new_switches_change_nothing(emu, switches):
    before = emu.call("GET", "/__emulator/config").body
    response = emu.call("POST", "/__emulator/config", body=dict(switches, latency_ms=50))
    assert response.status == 400
    assert emu.call("GET", "/__emulator/config").body == before

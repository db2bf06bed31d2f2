# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesyscloud.cx contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""PATCH /api/v2/integrations/actions/{id}: the hard edges a safe timeout update must survive."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import concurrent.futures
import copy

import pytest

from .conftest import ACTIONS, AUTH, FAST, SLOW, STATIC, UNSET, OTHER_ORG_ACTION, Api, assert_error_body


def _read(api, action_id):
    response = api.get("%s/%s?includeConfig=true" % (ACTIONS, action_id))
    assert response.status_code == 200
    return response.json()


def _raise_to(action, seconds):
    config = copy.deepcopy(action["config"])
    config["timeoutSeconds"] = seconds
    return {"version": action["version"], "config": config}


def test_patch_with_full_config_raises_timeout_and_bumps_version(emu, api):
    before = _read(api, SLOW)
    response = api.patch("%s/%s" % (ACTIONS, SLOW), json=_raise_to(before, 10))
    assert response.status_code == 200
    returned = response.json()
    assert returned["version"] == before["version"] + 1
    assert returned["config"]["timeoutSeconds"] == 10
    held = emu.actions("org-a")[SLOW]
    assert held["version"] == before["version"] + 1
    assert held["config"]["timeoutSeconds"] == 10
    assert held["config"]["retryPolicy"] == {"maxAttempts": 2}, "unknown field sent back must survive"
    assert held["contract"] == before.get("contract", held["contract"])


def test_replace_semantics_drops_everything_not_sent(emu, api):
    before = _read(api, SLOW)
    response = api.patch("%s/%s" % (ACTIONS, SLOW), json={"version": before["version"],
                                                          "config": {"timeoutSeconds": 10}})
    assert response.status_code == 200
    held = emu.actions("org-a")[SLOW]["config"]
    assert held == {"timeoutSeconds": 10}, "replace semantics: a partial config wipes request/response"


def test_merge_semantics_keeps_what_was_not_sent(emu, api):
    emu.configure(patch_semantics="merge")
    before = _read(api, SLOW)
    response = api.patch("%s/%s" % (ACTIONS, SLOW), json={"version": before["version"],
                                                          "config": {"timeoutSeconds": 10}})
    assert response.status_code == 200
    held = emu.actions("org-a")[SLOW]["config"]
    assert held["timeoutSeconds"] == 10
    assert held["request"] == before["config"]["request"]
    assert held["retryPolicy"] == {"maxAttempts": 2}


def test_null_timeout_removes_the_explicit_setting(emu, api):
    before = _read(api, SLOW)
    body = _raise_to(before, None)
    assert api.patch("%s/%s" % (ACTIONS, SLOW), json=body).status_code == 200
    assert "timeoutSeconds" not in emu.actions("org-a")[SLOW]["config"]
    assert "timeoutSeconds" not in _read(api, SLOW)["config"]


@pytest.mark.parametrize("conflict_status", [409, 400])
def test_stale_version_is_a_conflict_and_changes_nothing(emu, api, conflict_status):
    emu.configure(conflict_status=conflict_status)
    before = _read(api, SLOW)
    body = _raise_to(before, 10)
    body["version"] = before["version"] - 1
    response = api.patch("%s/%s" % (ACTIONS, SLOW), json=body)
    error = assert_error_body(response, conflict_status)
    assert "does not match the current version" in error["message"]
    assert error["details"][0]["fieldName"] == "version"
    assert emu.actions("org-a")[SLOW] == dict(before, contract=emu.actions("org-a")[SLOW]["contract"])


def test_missing_version_is_400(emu, api):
    before = _read(api, SLOW)
    response = api.patch("%s/%s" % (ACTIONS, SLOW), json={"config": before["config"]})
    error = assert_error_body(response, 400)
    assert error["details"][0]["fieldName"] == "version"
    assert emu.actions("org-a")[SLOW]["version"] == before["version"]


@pytest.mark.parametrize("bad", [0, 61, -1, "10", 10.5, True, [10], {"s": 10}])
def test_timeout_must_be_an_int_from_1_to_60(emu, api, bad):
    before = _read(api, SLOW)
    response = api.patch("%s/%s" % (ACTIONS, SLOW), json=_raise_to(before, bad))
    error = assert_error_body(response, 400)
    assert error["details"][0]["fieldName"] == "config.timeoutSeconds"
    assert emu.actions("org-a")[SLOW]["config"]["timeoutSeconds"] == 2
    assert emu.actions("org-a")[SLOW]["version"] == before["version"]


@pytest.mark.parametrize("edge", [1, 60])
def test_timeout_bounds_are_accepted(emu, api, edge):
    before = _read(api, SLOW)
    assert api.patch("%s/%s" % (ACTIONS, SLOW), json=_raise_to(before, edge)).status_code == 200
    assert emu.actions("org-a")[SLOW]["config"]["timeoutSeconds"] == edge


def test_custom_auth_action_refuses_a_timeout(emu, api):
    before = _read(api, AUTH + "")
    response = api.patch("%s/%s" % (ACTIONS, AUTH), json=_raise_to(before, 10))
    error = assert_error_body(response, 400)
    assert "Custom Authentication" in error["message"]
    assert "timeoutSeconds" not in emu.actions("org-a")[AUTH]["config"]
    # Without a timeout the custom auth action can still be edited.
    ok = api.patch("%s/%s" % (ACTIONS, AUTH), json={"version": before["version"], "name": "CRM Auth v2"})
    assert ok.status_code == 200 and ok.json()["name"] == "CRM Auth v2"


def test_static_action_cannot_be_changed(emu, api):
    before = _read(api, STATIC)
    response = api.patch("%s/%s" % (ACTIONS, STATIC), json=_raise_to(before, 10))
    assert_error_body(response, 400)
    assert emu.actions("org-a")[STATIC]["config"]["timeoutSeconds"] == 2


def test_unknown_action_and_other_orgs_action_are_404(emu, api):
    body = {"version": 1, "config": {"timeoutSeconds": 10}}
    assert_error_body(api.patch(ACTIONS + "/custom_-_nope", json=body), 404, "not.found")
    assert_error_body(api.patch("%s/%s" % (ACTIONS, OTHER_ORG_ACTION), json=body), 404, "not.found")
    assert emu.actions("org-b")[OTHER_ORG_ACTION]["version"] == 1


@pytest.mark.parametrize("raw", [b"{not json", b"[1, 2]", b"\"text\"", b"", b"\xff\xfe"])
def test_malformed_bodies_are_400_not_500(emu, api, raw):
    response = api.patch("%s/%s" % (ACTIONS, SLOW), data=raw, headers={"Content-Type": "application/json"})
    assert_error_body(response, 400)
    assert emu.actions("org-a")[SLOW]["version"] == 3


@pytest.mark.parametrize("body", [
    {"version": "3", "config": {"timeoutSeconds": 10}},
    {"version": 3, "config": "timeoutSeconds=10"},
    {"version": 3, "config": {"timeoutSeconds": 10, "request": "GET"}},
    {"version": 3, "name": ""},
    {"version": 3, "name": 7},
    {"version": 3, "contract": {}},
    {"version": 3, "secure": True},
])
def test_wrong_types_are_400_and_leave_state_alone(emu, api, body):
    state_before = emu.state()
    assert_error_body(api.patch("%s/%s" % (ACTIONS, SLOW), json=body), 400)
    assert emu.state() == state_before


def test_name_and_category_can_be_patched(emu, api):
    response = api.patch("%s/%s" % (ACTIONS, FAST), json={"version": 1, "name": "Get Tier v2", "category": "X"})
    assert response.status_code == 200
    held = emu.actions("org-a")[FAST]
    assert (held["name"], held["category"], held["version"]) == ("Get Tier v2", "X", 2)
    assert held["config"]["timeoutSeconds"] == 10, "config untouched when not sent"


def test_admin_edit_now_makes_the_clients_version_stale(emu, api):
    before = _read(api, UNSET)
    edited = emu.admin_edit(org="org-a", action_id=UNSET, name="Open Cases (edited)", when="now")
    assert edited["version"] == before["version"] + 1
    response = api.patch("%s/%s" % (ACTIONS, UNSET), json=_raise_to(before, 10))
    assert_error_body(response, 409, "conflict")
    held = emu.actions("org-a")[UNSET]
    assert held["name"] == "Open Cases (edited)" and "timeoutSeconds" not in held["config"]


def test_admin_edit_before_next_patch_lands_between_read_and_write(emu, api):
    before = _read(api, SLOW)
    emu.admin_edit(org="org-a", action_id=SLOW, config={"timeoutSeconds": 30}, when="before_next_patch")
    # Not applied yet: a read still sees the old version.
    assert _read(api, SLOW)["version"] == before["version"]
    response = api.patch("%s/%s" % (ACTIONS, SLOW), json=_raise_to(before, 10))
    assert_error_body(response, 409)
    held = emu.actions("org-a")[SLOW]
    assert held["config"]["timeoutSeconds"] == 30, "the admin's change is not lost"
    assert held["version"] == before["version"] + 1
    # A re-read and retry then succeeds on top of the admin's change.
    fresh = _read(api, SLOW)
    assert api.patch("%s/%s" % (ACTIONS, SLOW), json=_raise_to(fresh, 45)).status_code == 200
    assert emu.actions("org-a")[SLOW]["version"] == before["version"] + 2


def test_admin_edit_rejects_bad_input(emu):
    response = emu.call("POST", "/__emulator/admin-edit", body={"org": "org-a", "action_id": SLOW, "when": "later"})
    assert response.status == 400
    response = emu.call("POST", "/__emulator/admin-edit", body={"action_id": SLOW})
    assert response.status == 400, "org is required with several orgs"
    response = emu.call("POST", "/__emulator/admin-edit", body={"org": "org-a", "action_id": "nope"})
    assert response.status == 404


def test_concurrent_patches_of_one_version_only_one_wins(emu):
    api = Api(emu)
    before = _read(api, SLOW)

    def attempt(seconds):
        return Api(emu).patch("%s/%s" % (ACTIONS, SLOW), json=_raise_to(before, seconds)).status_code

    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        statuses = list(pool.map(attempt, range(10, 18)))
    assert sorted(statuses) == [200] + [409] * 7
    held = emu.actions("org-a")[SLOW]
    assert held["version"] == before["version"] + 1
    assert held["config"]["timeoutSeconds"] == 10 + statuses.index(200)

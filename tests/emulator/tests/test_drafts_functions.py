# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesyscloud.cx contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Drafts (create, get, patch with version, publish with version) and function configuration."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import pytest

from .conftest import ACTIONS, FAST, FUNC, SLOW, STATIC, assert_error_body


def _draft_url(action_id, tail=""):
    return "%s/%s/draft%s" % (ACTIONS, action_id, tail)


def test_draft_lifecycle_publishes_with_versions(emu, api):
    assert_error_body(api.get(_draft_url(SLOW)), 404)
    created = api.post(_draft_url(SLOW))
    assert created.status_code == 200
    draft = created.json()
    assert draft["id"] == SLOW and draft["version"] == 1 and draft["config"]["timeoutSeconds"] == 2
    assert_error_body(api.post(_draft_url(SLOW)), 409)
    listed = api.get(ACTIONS + "/drafts").json()
    assert [d["id"] for d in listed["entities"]] == [SLOW] and listed["total"] == 1
    config = dict(draft["config"], timeoutSeconds=12)
    assert_error_body(api.patch(_draft_url(SLOW), json={"version": 7, "config": config}), 409)
    assert_error_body(api.patch(_draft_url(SLOW), json={"config": config}), 400)
    patched = api.patch(_draft_url(SLOW), json={"version": 1, "config": config})
    assert patched.status_code == 200 and patched.json()["version"] == 2
    assert emu.actions("org-a")[SLOW]["config"]["timeoutSeconds"] == 2, "the published action is untouched"
    assert api.get(_draft_url(SLOW, "/validation")).json()["valid"] is True
    assert_error_body(api.post(_draft_url(SLOW, "/publish"), json={"version": 1}), 409)
    assert_error_body(api.post(_draft_url(SLOW, "/publish"), json={}), 400)
    published = api.post(_draft_url(SLOW, "/publish"), json={"version": 2})
    assert published.status_code == 200
    action = emu.actions("org-a")[SLOW]
    assert action["config"]["timeoutSeconds"] == 12 and action["version"] == 4
    assert published.json()["version"] == 4
    assert emu.state()["orgs"]["org-a"]["drafts"] == {}


def test_draft_patch_validates_timeout_and_may_change_contract(emu, api):
    api.post(_draft_url(FAST))
    bad = api.patch(_draft_url(FAST), json={"version": 1, "config": {"timeoutSeconds": 99}})
    assert assert_error_body(bad, 400)["details"][0]["fieldName"] == "config.timeoutSeconds"
    contract = {"input": {"inputSchema": {"type": "object"}}, "output": {"successSchema": {"type": "object"}}}
    ok = api.patch(_draft_url(FAST), json={"version": 1, "contract": contract, "secure": True})
    assert ok.status_code == 200
    assert api.get(_draft_url(FAST), params={"expand": "contract"}).json()["contract"] == contract


def test_draft_of_static_action_is_refused_and_delete_works(emu, api):
    assert_error_body(api.post(_draft_url(STATIC)), 400)
    api.post(_draft_url(FAST))
    assert api("DELETE", _draft_url(FAST)).status_code == 204
    assert_error_body(api.get(_draft_url(FAST)), 404)


def test_function_config_shape_and_default(emu, api):
    body = api.get("%s/%s/function" % (ACTIONS, FUNC)).json()
    assert body["function"]["timeoutSeconds"] == 8
    assert body["zip"]["status"] == "Available" and body["selfUri"].endswith("/function")
    assert_error_body(api.get("%s/%s/function" % (ACTIONS, FAST)), 400)
    assert_error_body(api.get("%s/%s/draft/function" % (ACTIONS, FUNC)), 404)


@pytest.mark.parametrize("bad", [0, 16, "5", 2.5])
def test_function_timeout_is_1_to_15(emu, api, bad):
    api.post(_draft_url(FUNC))
    response = api.put("%s/%s/draft/function" % (ACTIONS, FUNC), json={"timeoutSeconds": bad})
    assert assert_error_body(response, 400)["details"][0]["fieldName"] == "timeoutSeconds"


def test_function_draft_put_and_publish(emu, api):
    api.post(_draft_url(FUNC))
    assert api.get("%s/%s/draft/function" % (ACTIONS, FUNC)).json()["function"]["timeoutSeconds"] == 8
    put = api.put("%s/%s/draft/function" % (ACTIONS, FUNC), json={"timeoutSeconds": 15, "handler": "x.y"})
    assert put.status_code == 200 and put.json()["function"]["timeoutSeconds"] == 15
    assert api.get("%s/%s/function" % (ACTIONS, FUNC)).json()["function"]["timeoutSeconds"] == 8
    defaulted = api.put("%s/%s/draft/function" % (ACTIONS, FUNC), json={"handler": "x.y"})
    assert defaulted.json()["function"]["timeoutSeconds"] == 15, "PUT without timeoutSeconds means the default 15"
    api.put("%s/%s/draft/function" % (ACTIONS, FUNC), json={"timeoutSeconds": 12})
    assert api.post(_draft_url(FUNC, "/publish"), json={"version": 1}).status_code == 200
    assert api.get("%s/%s/function" % (ACTIONS, FUNC)).json()["function"]["timeoutSeconds"] == 12

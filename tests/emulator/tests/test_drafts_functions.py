# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesyscloud.cx contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Drafts (create, get, patch with version, publish with version) and function configuration."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import pytest

from .conftest import ACTIONS, CRM, FAST, FUNC, FUNCS, SLOW, STATIC, Api, assert_error_body


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


def test_a_draft_is_made_and_published_with_edit_but_deleted_only_with_delete(emu, api):
    """The fact sheet's permissions: draft create and publish need integrations:action:edit, delete
    integrations:action:delete."""
    editor = Api(emu, "a-editor", "e-secret")
    assert editor.post(_draft_url(FAST)).status_code == 200
    error = assert_error_body(editor("DELETE", _draft_url(FAST)), 403, "missing.any.permissions")
    assert error["messageParams"] == {"permissions": "integrations:action:delete"}
    assert FAST in emu.state()["orgs"]["org-a"]["drafts"]
    assert editor.post(_draft_url(FAST, "/publish"), json={"version": 1}).status_code == 200
    api.post(_draft_url(FAST))
    assert api("DELETE", _draft_url(FAST)).status_code == 204, "a-admin has every permission, delete included"


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


FUNCTION_BODY = {"description": "Scores fraud", "handler": "src/index.handler", "runtime": "nodejs22.x"}


def _function_url(action_id, draft=False):
    return "%s/%s%s/function" % (ACTIONS, action_id, "/draft" if draft else "")


@pytest.mark.parametrize("bad", [0, 16, "5", 2.5, True])
def test_function_timeout_is_1_to_15(emu, api, bad):
    api.post(_draft_url(FUNC))
    response = api.put(_function_url(FUNC, draft=True), json=dict(FUNCTION_BODY, timeoutSeconds=bad))
    error = assert_error_body(response, 400)
    assert error["details"][0]["fieldName"] == "timeoutSeconds"
    assert "should be between 1 and 15" in error["message"]
    assert emu.state()["orgs"]["org-a"]["draft_functions"][FUNC]["function"]["timeoutSeconds"] == 8


@pytest.mark.parametrize("missing", ["description", "handler", "runtime"])
def test_function_put_needs_description_handler_and_runtime(emu, api, missing):
    api.post(_draft_url(FUNC))
    body = dict(FUNCTION_BODY, timeoutSeconds=12)
    del body[missing]
    error = assert_error_body(api.put(_function_url(FUNC, draft=True), json=body), 400, "bad.request")
    assert error["details"] == [{"errorCode": "missing.property", "fieldName": missing}]
    assert missing in error["message"]
    assert api.get(_function_url(FUNC, draft=True)).json()["function"]["timeoutSeconds"] == 8, "nothing changed"


def test_function_put_refuses_a_function_config_body(emu, api):
    """The body is a Function; a FunctionConfig as read ({id, function, zip, ...}) lacks its fields."""
    api.post(_draft_url(FUNC))
    read = api.get(_function_url(FUNC, draft=True)).json()
    read["function"]["timeoutSeconds"] = 12
    assert_error_body(api.put(_function_url(FUNC, draft=True), json=read), 400)


@pytest.mark.parametrize("field,value", [("handler", 7), ("runtime", ""), ("name", ["x"]), ("zipId", 3)])
def test_function_put_fields_are_strings(emu, api, field, value):
    api.post(_draft_url(FUNC))
    error = assert_error_body(api.put(_function_url(FUNC, draft=True), json=dict(FUNCTION_BODY, **{field: value})), 400)
    assert error["details"][0]["fieldName"] == field


def test_function_put_outside_a_draft_or_on_other_actions(emu, api):
    assert_error_body(api.put(_function_url(FUNC, draft=True), json=FUNCTION_BODY), 404)
    api.post(_draft_url(FAST))
    assert_error_body(api.put(_function_url(FAST, draft=True), json=FUNCTION_BODY), 400)


def test_function_draft_put_and_publish(emu, api):
    api.post(_draft_url(FUNC))
    before = api.get(_function_url(FUNC)).json()
    assert api.get(_function_url(FUNC, draft=True)).json()["function"]["timeoutSeconds"] == 8
    put = api.put(_function_url(FUNC, draft=True), json=dict(FUNCTION_BODY, timeoutSeconds=15, handler="x.y"))
    assert put.status_code == 200
    saved = put.json()
    assert saved["function"]["timeoutSeconds"] == 15 and saved["function"]["handler"] == "x.y"
    assert saved["function"]["zipId"] == before["function"]["zipId"], "zipId kept when not sent"
    assert saved["function"]["name"] == before["function"]["name"] and saved["selfUri"].endswith("/draft/function")
    assert api.get(_function_url(FUNC)).json() == before, "the published function is untouched"
    defaulted = api.put(_function_url(FUNC, draft=True), json=FUNCTION_BODY)
    assert defaulted.json()["function"]["timeoutSeconds"] == 15, "PUT without timeoutSeconds means the default 15"
    zipped = api.put(_function_url(FUNC, draft=True), json=dict(FUNCTION_BODY, timeoutSeconds=12, zipId="zip-2"))
    assert zipped.json()["function"]["zipId"] == "zip-2" and zipped.json()["zip"]["id"] == "zip-2"
    # The action's own timeout may change in the same draft; publish applies both.
    draft = api.get(_draft_url(FUNC), params={"includeConfig": "true"}).json()
    config = dict(draft["config"], timeoutSeconds=9)
    assert api.patch(_draft_url(FUNC), json={"version": 1, "config": config}).status_code == 200
    published = api.post(_draft_url(FUNC, "/publish"), json={"version": 2})
    assert published.status_code == 200 and published.json()["config"]["timeoutSeconds"] == 9
    function = api.get(_function_url(FUNC)).json()
    assert function["function"]["timeoutSeconds"] == 12 and function["function"]["zipId"] == "zip-2"
    assert function["function"]["description"] == "Scores fraud" and function["selfUri"].endswith(ACTIONS[-7:] + "/%s/function" % FUNC)
    state = emu.state()["orgs"]["org-a"]
    assert state["functions"][FUNC]["function"]["timeoutSeconds"] == 12
    assert FUNC not in state["drafts"] and FUNC not in state["draft_functions"]
    assert_error_body(api.get(_function_url(FUNC, draft=True)), 404)


def test_publishing_without_a_function_put_keeps_the_function(emu, api):
    api.post(_draft_url(FUNC))
    assert api.post(_draft_url(FUNC, "/publish"), json={"version": 1}).status_code == 200
    assert api.get(_function_url(FUNC)).json()["function"]["timeoutSeconds"] == 8


def test_deleting_the_draft_drops_its_function(emu, api):
    api.post(_draft_url(FUNC))
    api.put(_function_url(FUNC, draft=True), json=dict(FUNCTION_BODY, timeoutSeconds=3))
    assert api("DELETE", _draft_url(FUNC)).status_code == 204
    assert api.get(_function_url(FUNC)).json()["function"]["timeoutSeconds"] == 8
    assert FUNC not in emu.state()["orgs"]["org-a"]["draft_functions"]


def test_function_integration_type(emu, api):
    integration = api.get("/api/v2/integrations/" + FUNCS).json()
    assert integration["integrationType"]["id"] == "function-data-actions"
    assert integration["integrationType"]["name"] == "Function Data Actions"
    assert api.get("/api/v2/integrations/" + CRM).json()["integrationType"]["id"] == "custom-rest-actions"
    assert_error_body(api.get("/api/v2/integrations/nope"), 404)

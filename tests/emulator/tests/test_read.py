# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesyscloud.cx contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Listing and reading actions and integrations: query parameters, envelope, config only on request."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import pytest

from .conftest import ACTIONS, AUTH, CRM, FAST, FUNCS, SECURE, SLOW, STATIC, OTHER_ORG_ACTION, Api, assert_error_body

VISIBLE = 6  # every org-a action but the custom auth one


def _ids(response):
    assert response.status_code == 200, response.text
    return [a["id"] for a in response.json()["entities"]]


def test_listing_envelope_and_default_page_size(emu, api):
    body = api.get(ACTIONS).json()
    assert body["pageSize"] == 25 and body["pageNumber"] == 1
    assert body["total"] == VISIBLE and body["pageCount"] == 1
    assert body["firstUri"] == body["selfUri"] == body["lastUri"] == ACTIONS + "?pageSize=25&pageNumber=1"
    assert "nextUri" not in body and "previousUri" not in body
    assert len(body["entities"]) == VISIBLE


def test_config_only_with_include_config(emu, api):
    plain = api.get(ACTIONS).json()["entities"]
    assert all("config" not in a for a in plain)
    assert all("contract" not in a for a in plain)
    full = api.get(ACTIONS, params={"includeConfig": "true"}).json()["entities"]
    assert all("config" in a for a in full)
    by_id = {a["id"]: a for a in full}
    assert by_id[SLOW]["config"]["timeoutSeconds"] == 2
    assert "timeoutSeconds" not in by_id["custom_-_aaaaaaaa-0000-4000-8000-000000000003"]["config"]
    one = api.get("%s/%s" % (ACTIONS, SLOW)).json()
    assert "config" not in one and one["version"] == 3 and one["integrationId"] == CRM
    assert one["selfUri"] == "%s/%s" % (ACTIONS, SLOW)
    assert api.get("%s/%s" % (ACTIONS, SLOW), params={"includeConfig": "true"}).json()["config"]["retryPolicy"]


def test_get_with_expand_contract(emu, api):
    one = api.get("%s/%s" % (ACTIONS, SLOW), params={"expand": "contract", "flatten": "false"}).json()
    assert "input" in one["contract"] and "config" not in one
    assert_error_body(api.get("%s/%s" % (ACTIONS, SLOW), params={"expand": "everything"}), 400)


def test_paging_walks_every_action_once(emu, api):
    seen = []
    page = api.get(ACTIONS, params={"pageSize": 4, "sortBy": "name"}).json()
    assert page["pageCount"] == 2
    assert page["nextUri"] == ACTIONS + "?pageSize=4&pageNumber=2&sortBy=name"
    seen += [a["id"] for a in page["entities"]]
    second = api.get(page["nextUri"]).json()
    assert second["previousUri"] == ACTIONS + "?pageSize=4&pageNumber=1&sortBy=name"
    assert "nextUri" not in second
    seen += [a["id"] for a in second["entities"]]
    assert len(seen) == len(set(seen)) == VISIBLE
    beyond = api.get(ACTIONS, params={"pageSize": 4, "pageNumber": 9}).json()
    assert beyond["entities"] == [] and beyond["total"] == VISIBLE


@pytest.mark.parametrize("params", [{"pageSize": 501}, {"pageSize": 0}, {"pageSize": "ten"}, {"pageNumber": 0},
                                    {"sortBy": "timeoutSeconds"}, {"sortOrder": "up"}, {"secure": "yes"},
                                    {"includeConfig": "1"}, {"includeAuthActions": "maybe"}])
def test_bad_query_parameters_are_400(emu, api, params):
    error = assert_error_body(api.get(ACTIONS, params=params), 400, "bad.request")
    assert error["details"][0]["fieldName"] == list(params)[0]


def test_page_size_500_is_allowed(emu, api):
    assert api.get(ACTIONS, params={"pageSize": 500}).json()["pageSize"] == 500


def test_name_filter_is_partial_and_case_insensitive(emu, api):
    assert _ids(api.get(ACTIONS, params={"name": "lookup ACC"})) == [SLOW]
    assert _ids(api.get(ACTIONS, params={"name": "tier"})) == [FAST]


def test_category_secure_and_ids_filters(emu, api):
    assert sorted(_ids(api.get(ACTIONS, params={"category": "CRM"}))) == sorted([SLOW, FAST])
    assert _ids(api.get(ACTIONS, params={"secure": "true"})) == [SECURE]
    assert SECURE not in _ids(api.get(ACTIONS, params={"secure": "false"}))
    assert sorted(_ids(api.get(ACTIONS, params={"ids": "%s,%s" % (FAST, SLOW)}))) == sorted([SLOW, FAST])
    many = ",".join("custom_-_%d" % i for i in range(51))
    assert_error_body(api.get(ACTIONS, params={"ids": many}), 400)
    fifty = ",".join([SLOW] + ["custom_-_%d" % i for i in range(49)])
    assert _ids(api.get(ACTIONS, params={"ids": fifty})) == [SLOW]


def test_custom_auth_actions_only_with_include_auth_actions(emu, api):
    assert AUTH not in _ids(api.get(ACTIONS))
    listed = _ids(api.get(ACTIONS, params={"includeAuthActions": "true"}))
    assert AUTH in listed and len(listed) == VISIBLE + 1
    # It can still be read directly.
    assert api.get("%s/%s" % (ACTIONS, AUTH)).status_code == 200


def test_sort_by_and_order(emu, api):
    names = [a["name"] for a in api.get(ACTIONS, params={"sortBy": "name"}).json()["entities"]]
    assert names == sorted(names, key=str.lower)
    desc = [a["name"] for a in api.get(ACTIONS, params={"sortBy": "name", "sortOrder": "desc"}).json()["entities"]]
    assert desc == list(reversed(names))
    versions = [a["version"] for a in api.get(ACTIONS, params={"sortBy": "version"}).json()["entities"]]
    assert versions == sorted(versions)


def test_static_actions_are_listed(emu, api):
    assert STATIC in _ids(api.get(ACTIONS))


def test_each_client_sees_only_its_org(emu, api):
    other = Api(emu, "b-admin", "b-secret")
    assert _ids(other.get(ACTIONS)) == [OTHER_ORG_ACTION]
    assert_error_body(other.get("%s/%s" % (ACTIONS, SLOW)), 404)
    assert_error_body(api.get("%s/%s" % (ACTIONS, OTHER_ORG_ACTION)), 404)


def test_get_integration_has_its_type(emu, api):
    body = api.get("/api/v2/integrations/" + FUNCS).json()
    assert body["integrationType"]["id"] == "function-data-actions"
    assert body["id"] == FUNCS and body["name"] == "Functions"
    assert api.get("/api/v2/integrations/" + CRM).json()["integrationType"]["id"] == "custom-rest-actions"
    assert_error_body(api.get("/api/v2/integrations/nope"), 404, "not.found")


def test_unknown_api_route_is_an_error_body(emu, api):
    assert_error_body(api.get("/api/v2/flows/dataactions"), 404)
    assert_error_body(api("DELETE", "%s/%s" % (ACTIONS, SLOW)), 405)

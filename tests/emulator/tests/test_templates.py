# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesyscloud.cx contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Templates stored by URI: the template endpoints, --templates-by-uri listing and reading, and the reset of a
template a PATCH does not carry inline."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import copy
import random

import pytest

from tests.emulator.world import default_world, share_of_custom_actions

from .conftest import ACTIONS, AUTH, FAST, FUNC, OTHER_ORG_ACTION, SECURE, SLOW, STATIC, UNSET, Api, \
    assert_error_body

CUSTOM = (SLOW, FAST, UNSET, SECURE, FUNC)
REQUEST_TEMPLATE = "{\"id\": \"${input.id}\", \"source\": \"ivr\"}"
SUCCESS_TEMPLATE = "{\"tier\": ${tier}}"
REQUEST_URI = ACTIONS + "/%s/templates/requesttemplate.vm"
SUCCESS_URI = ACTIONS + "/%s/templates/successtemplate.vm"


def _template(api, action_id, file_name, draft=False):
    return api.get("%s/%s%s/templates/%s" % (ACTIONS, action_id, "/draft" if draft else "", file_name))


def _read(api, action_id):
    response = api.get("%s/%s" % (ACTIONS, action_id), params={"includeConfig": "true"})
    assert response.status_code == 200, response.text
    return response.json()


def _custom_request_template(emu, action_id=SLOW):
    """Give the action a request template that is not the platform default (an admin's edit, version + 1)."""
    emu.admin_edit(org="org-a", action_id=action_id, config={"request": {"requestTemplate": REQUEST_TEMPLATE}})


def _by_uri(config):
    return ("requestTemplateUri" in config["request"], "successTemplateUri" in config["response"])


# ---------------------------------------------------------------- the template endpoints

def test_template_endpoints_answer_the_stored_text(emu, api):
    _custom_request_template(emu)
    request = _template(api, SLOW, "requesttemplate.vm")
    assert request.status_code == 200 and request.headers["Content-Type"].startswith("text/plain")
    assert request.text == REQUEST_TEMPLATE
    assert request.headers["ININ-Correlation-Id"]
    success = _template(api, SLOW, "successtemplate.vm")
    assert success.status_code == 200 and success.text == SUCCESS_TEMPLATE
    assert emu.requests()["counts"]["GET /api/v2/integrations/actions/{actionId}/templates/{fileName}"] == 2


# ---------------------------------------------------------------- Accept: templates are text

@pytest.mark.parametrize("accept", [
    "text/plain", "*/*", "text/*", "text/plain, */*", "TEXT/Plain", "text/plain; charset=utf-8",
    "application/json, text/plain;q=0.5", "application/json;q=1, */*;q=0.01", "application/json, text/*;q=0.2",
    None,  # no Accept at all: anything goes (RFC 9110)
])
def test_a_template_read_that_allows_text_is_answered(emu, api, accept):
    response = api.get(REQUEST_URI % SLOW, headers={"Accept": accept})
    assert response.status_code == 200 and response.text == "${input.rawRequest}"
    assert response.headers["Content-Type"].startswith("text/plain")
    assert emu.requests()["requests"][-1]["accept"] == accept


@pytest.mark.parametrize("accept", [
    "application/json", "text/html", "application/json, application/xml", "text/plain;q=0", "text/plain; q=0.0",
    "*/*;q=0", "text/*;q=0, application/json", "text/plain;q=0, */*", "text/plain;q=0, text/*", "text/plain;q=x",
])
@pytest.mark.parametrize("draft", [False, True])
def test_a_template_read_that_allows_neither_text_plain_nor_any_is_406(emu, api, accept, draft):
    if draft:
        api.post("%s/%s/draft" % (ACTIONS, SLOW))
    path = "%s/%s%s/templates/requesttemplate.vm" % (ACTIONS, SLOW, "/draft" if draft else "")
    error = assert_error_body(api.get(path, headers={"Accept": accept}), 406, "not.acceptable")
    assert "text/plain" in error["message"] and error["messageParams"] == {"accept": accept}
    entry = emu.requests()["requests"][-1]
    assert (entry["route"].endswith("/templates/{fileName}"), entry["status"], entry["accept"]) == (True, 406, accept)


def test_the_accept_of_every_request_is_logged_and_json_calls_ignore_it(emu, api):
    assert api.get("%s/%s" % (ACTIONS, SLOW), headers={"Accept": "application/json"}).status_code == 200
    assert api.get("%s/%s" % (ACTIONS, SLOW), headers={"Accept": "text/plain"}).status_code == 200
    assert [e["accept"] for e in emu.requests()["requests"][-2:]] == ["application/json", "text/plain"]


@pytest.mark.parametrize("path", [
    REQUEST_URI.replace("requesttemplate.vm", "errortemplate.vm") % SLOW,
    REQUEST_URI.replace("requesttemplate.vm", "RequestTemplate.vm") % SLOW,
    REQUEST_URI % "custom_-_nope",
    REQUEST_URI % OTHER_ORG_ACTION,
    ACTIONS + "/%s/draft/templates/requesttemplate.vm" % SLOW,
])
def test_unknown_file_action_or_draft_is_404(emu, api, path):
    assert_error_body(api.get(path), 404, "not.found")


def test_an_action_without_a_stored_template_is_404(emu, api):
    before = _read(api, FAST)
    api.patch("%s/%s" % (ACTIONS, FAST), json={"version": before["version"], "config": {"timeoutSeconds": 10}})
    assert_error_body(_template(api, FAST, "requesttemplate.vm"), 404, "not.found")


def test_template_endpoints_need_the_view_permission(emu):
    assert Api(emu, "a-reader", "r-secret").get(REQUEST_URI % SLOW).status_code == 200
    assert Api(emu, "a-bridge", "br-secret").get(REQUEST_URI % SLOW).status_code == 200
    error = assert_error_body(Api(emu, "a-nobody", "n-secret").get(REQUEST_URI % SLOW), 403,
                              "missing.any.permissions")
    assert "integrations:action:view" in error["message"]


def test_draft_templates_are_the_drafts_own(emu, api):
    api.post("%s/%s/draft" % (ACTIONS, SLOW))
    draft = api.get("%s/%s/draft" % (ACTIONS, SLOW), params={"includeConfig": "true"}).json()
    config = copy.deepcopy(draft["config"])
    config["request"]["requestTemplate"] = REQUEST_TEMPLATE
    assert api.patch("%s/%s/draft" % (ACTIONS, SLOW), json={"version": 1, "config": config}).status_code == 200
    assert _template(api, SLOW, "requesttemplate.vm", draft=True).text == REQUEST_TEMPLATE
    assert _template(api, SLOW, "successtemplate.vm", draft=True).text == SUCCESS_TEMPLATE
    assert _template(api, SLOW, "requesttemplate.vm").text == "${input.rawRequest}", "the action's is untouched"


# ---------------------------------------------------------------- listing and reading by URI

def test_every_custom_action_is_read_by_uri_with_share_1(emu, api):
    emu.configure(templates_by_uri=1.0)
    stored = emu.actions("org-a")
    listed = api.get(ACTIONS, params={"includeConfig": "true", "includeAuthActions": "true"}).json()["entities"]
    for action in listed:
        config = action["config"]
        if action["id"] in CUSTOM:
            assert config["request"]["requestTemplateUri"] == REQUEST_URI % action["id"]
            assert config["response"]["successTemplateUri"] == SUCCESS_URI % action["id"]
            assert "requestTemplate" not in config["request"] and "successTemplate" not in config["response"]
            # Everything else is exactly as stored.
            expected = copy.deepcopy(stored[action["id"]]["config"])
            del expected["request"]["requestTemplate"], expected["response"]["successTemplate"]
            config["request"].pop("requestTemplateUri")
            config["response"].pop("successTemplateUri")
            assert config == expected
        else:
            assert action["id"] in (STATIC, AUTH)
            assert _by_uri(config) == (False, False) and config == stored[action["id"]]["config"]
    one = _read(api, SLOW)["config"]
    assert _by_uri(one) == (True, True)
    assert api.get(one["request"]["requestTemplateUri"]).text == "${input.rawRequest}"
    assert api.get(one["response"]["successTemplateUri"]).text == SUCCESS_TEMPLATE
    assert "config" not in api.get("%s/%s" % (ACTIONS, SLOW)).json()
    state = emu.state()["orgs"]["org-a"]
    assert state["templates_by_uri"] == list(CUSTOM)
    assert state["actions"][SLOW]["config"]["request"]["requestTemplate"] == "${input.rawRequest}", "stored inline"
    assert emu.state()["orgs"]["org-b"]["templates_by_uri"] == [OTHER_ORG_ACTION]


def test_drafts_are_read_by_uri_too(emu, api):
    emu.configure(templates_by_uri=1.0)
    created = api.post("%s/%s/draft" % (ACTIONS, FAST)).json()
    draft_uri = ACTIONS + "/%s/draft/templates/requesttemplate.vm" % FAST
    assert created["config"]["request"]["requestTemplateUri"] == draft_uri
    read = api.get("%s/%s/draft" % (ACTIONS, FAST), params={"includeConfig": "true"}).json()
    assert read["config"]["response"]["successTemplateUri"] == draft_uri.replace("request", "success")
    listed = api.get(ACTIONS + "/drafts", params={"includeConfig": "true"}).json()["entities"]
    assert [d["config"]["request"]["requestTemplateUri"] for d in listed] == [draft_uri]
    assert api.get(draft_uri).text == "${input.rawRequest}"


def test_a_share_chooses_that_many_actions_deterministically(emu, api):
    emu.configure(templates_by_uri=0.5)
    listed = api.get(ACTIONS, params={"includeConfig": "true"}).json()["entities"]
    by_uri = [a["id"] for a in listed if _by_uri(a["config"]) == (True, True)]
    inline = [a["id"] for a in listed if _by_uri(a["config"]) == (False, False)]
    assert len(by_uri) == 3 and len(by_uri) + len(inline) == len(listed), "round(0.5 x 5 custom actions)"
    assert sorted(emu.state()["orgs"]["org-a"]["templates_by_uri"]) == sorted(by_uri)
    for action_id in by_uri:
        assert _by_uri(_read(api, action_id)["config"]) == (True, True)
    emu.configure(templates_by_uri=0.8)
    more = emu.state()["orgs"]["org-a"]["templates_by_uri"]
    assert len(more) == 4 and set(by_uri) < set(more), "a larger share chooses a superset"
    emu.configure(templates_by_uri=0.5)
    assert sorted(emu.state()["orgs"]["org-a"]["templates_by_uri"]) == sorted(by_uri)


def test_share_of_custom_actions_is_exact_monotone_and_seeded():
    org = default_world(200, random_seed=5, now_ms=1).orgs["demo"]
    custom = [a for a in org.actions if a.startswith("custom_")]
    third = share_of_custom_actions(org, 0.3, "templates-by-uri/5")
    assert len(third) == int(0.3 * len(custom) + 0.5) and set(third) <= set(custom), "half rounds up"
    assert share_of_custom_actions(org, 0.3, "templates-by-uri/5") == third
    assert set(third) < set(share_of_custom_actions(org, 0.6, "templates-by-uri/5"))
    assert set(share_of_custom_actions(org, 0.3, "templates-by-uri/6")) != set(third), "--random-seed matters"
    assert sorted(share_of_custom_actions(org, 1.0, "x")) == sorted(custom)
    assert share_of_custom_actions(org, 0, "x") == []
    rng = random.Random(1)
    for dummy in range(20):
        share = rng.random()
        assert len(share_of_custom_actions(org, share, "x")) == int(share * len(custom) + 0.5)


# ---------------------------------------------------------------- PATCH under the switch

def _patch(api, action_id, config, version=None, draft=False):
    if version is None:
        version = (api.get("%s/%s/draft" % (ACTIONS, action_id)) if draft else api.get("%s/%s" % (ACTIONS, action_id))
                   ).json()["version"]
    url = "%s/%s%s" % (ACTIONS, action_id, "/draft" if draft else "")
    response = api.patch(url, json={"version": version, "config": config})
    assert response.status_code == 200, response.text
    return response.json()


@pytest.mark.parametrize("semantics", ["replace", "merge"])
def test_patching_back_a_listed_config_with_uris_resets_both_templates(emu, api, semantics):
    emu.configure(templates_by_uri=1.0, patch_semantics=semantics)
    _custom_request_template(emu)
    listed = _read(api, SLOW)
    config = copy.deepcopy(listed["config"])
    config["timeoutSeconds"] = 10
    answer = _patch(api, SLOW, config, listed["version"])
    held = emu.actions("org-a")[SLOW]["config"]
    assert held["timeoutSeconds"] == 10
    assert held["request"]["requestTemplate"] == "${input.rawRequest}", "the platform default, not REQUEST_TEMPLATE"
    assert held["response"]["successTemplate"] == "${rawResult}"
    assert "requestTemplateUri" not in held["request"] and "successTemplateUri" not in held["response"]
    assert held["request"]["requestUrlTemplate"] == listed["config"]["request"]["requestUrlTemplate"]
    assert held["response"]["translationMap"] == {"tier": "$.tier"} and held["retryPolicy"] == {"maxAttempts": 2}
    assert answer["config"]["request"]["requestTemplateUri"] == REQUEST_URI % SLOW, "still read by URI"
    assert _template(api, SLOW, "requesttemplate.vm").text == "${input.rawRequest}"
    assert _template(api, SLOW, "successtemplate.vm").text == "${rawResult}"


@pytest.mark.parametrize("semantics", ["replace", "merge"])
def test_patching_with_templates_inline_keeps_them(emu, api, semantics):
    emu.configure(templates_by_uri=1.0, patch_semantics=semantics)
    _custom_request_template(emu)
    listed = _read(api, SLOW)
    config = copy.deepcopy(listed["config"])
    config["request"]["requestTemplate"] = _template(api, SLOW, "requesttemplate.vm").text
    config["response"]["successTemplate"] = _template(api, SLOW, "successtemplate.vm").text
    config["timeoutSeconds"] = 10
    _patch(api, SLOW, config, listed["version"])
    held = emu.actions("org-a")[SLOW]["config"]
    assert held["request"]["requestTemplate"] == REQUEST_TEMPLATE
    assert held["response"]["successTemplate"] == SUCCESS_TEMPLATE
    assert "requestTemplateUri" not in held["request"], "the URI sent along is the server's, never stored"
    assert held["timeoutSeconds"] == 10


def test_only_the_template_not_sent_is_reset(emu, api):
    emu.configure(templates_by_uri=1.0)
    _custom_request_template(emu)
    listed = _read(api, SLOW)
    config = copy.deepcopy(listed["config"])
    config["request"]["requestTemplate"] = REQUEST_TEMPLATE
    _patch(api, SLOW, config, listed["version"])
    held = emu.actions("org-a")[SLOW]["config"]
    assert held["request"]["requestTemplate"] == REQUEST_TEMPLATE
    assert held["response"]["successTemplate"] == "${rawResult}"


def test_a_config_without_request_or_response_gets_both_defaults(emu, api):
    emu.configure(templates_by_uri=0.5, patch_semantics="merge")
    _patch(api, SLOW, {"timeoutSeconds": 10})
    held = emu.actions("org-a")[SLOW]["config"]
    assert held["request"]["requestTemplate"] == "${input.rawRequest}"
    assert held["response"]["successTemplate"] == "${rawResult}"
    assert held["request"]["requestUrlTemplate"], "merge keeps the rest"


def test_the_reset_applies_to_every_action_once_the_share_is_above_0(emu, api):
    emu.configure(templates_by_uri=0.5)
    inline = [a for a in CUSTOM if a not in emu.state()["orgs"]["org-a"]["templates_by_uri"]]
    action_id = inline[0]
    listed = _read(api, action_id)
    assert _by_uri(listed["config"]) == (False, False)
    config = copy.deepcopy(listed["config"])
    del config["response"]["successTemplate"]
    _patch(api, action_id, config, listed["version"])
    assert emu.actions("org-a")[action_id]["config"]["response"]["successTemplate"] == "${rawResult}"


def test_a_patch_without_config_keeps_the_templates(emu, api):
    emu.configure(templates_by_uri=1.0)
    _custom_request_template(emu)
    version = _read(api, SLOW)["version"]
    assert api.patch("%s/%s" % (ACTIONS, SLOW), json={"version": version, "name": "Renamed"}).status_code == 200
    assert emu.actions("org-a")[SLOW]["config"]["request"]["requestTemplate"] == REQUEST_TEMPLATE


def test_a_draft_patch_resets_the_drafts_templates(emu, api):
    emu.configure(templates_by_uri=1.0)
    _custom_request_template(emu)
    created = api.post("%s/%s/draft" % (ACTIONS, SLOW)).json()
    config = copy.deepcopy(created["config"])
    config["timeoutSeconds"] = 12
    _patch(api, SLOW, config, created["version"], draft=True)
    draft = emu.state()["orgs"]["org-a"]["drafts"][SLOW]["config"]
    assert draft["request"]["requestTemplate"] == "${input.rawRequest}"
    assert draft["response"]["successTemplate"] == "${rawResult}"
    assert emu.actions("org-a")[SLOW]["config"]["request"]["requestTemplate"] == REQUEST_TEMPLATE
    inline = copy.deepcopy(config)
    inline["request"] = dict(config["request"], requestTemplate=REQUEST_TEMPLATE)
    inline["response"] = dict(config["response"], successTemplate=SUCCESS_TEMPLATE)
    _patch(api, SLOW, inline, 2, draft=True)
    draft = emu.state()["orgs"]["org-a"]["drafts"][SLOW]["config"]
    assert draft["request"]["requestTemplate"] == REQUEST_TEMPLATE
    assert draft["response"]["successTemplate"] == SUCCESS_TEMPLATE


def test_without_the_switch_a_patch_stores_what_it_is_sent(emu, api):
    """Share 0, today's behaviour: replace semantics stores the config as sent, no default is filled in."""
    before = _read(api, SLOW)
    config = copy.deepcopy(before["config"])
    del config["request"]["requestTemplate"]
    config["request"]["requestTemplateUri"] = REQUEST_URI % SLOW
    _patch(api, SLOW, config, before["version"])
    held = emu.actions("org-a")[SLOW]["config"]["request"]
    assert "requestTemplate" not in held and held["requestTemplateUri"] == REQUEST_URI % SLOW


def test_write_bodies_are_logged_as_sent(emu, api):
    """PATCH (action and draft), the function PUT and the draft publish: tests assert on what a client sent."""
    before = _read(api, SLOW)
    config = copy.deepcopy(before["config"])
    config["request"]["requestTemplateUri"] = REQUEST_URI % SLOW
    body = {"version": before["version"], "config": config}
    api.patch("%s/%s" % (ACTIONS, SLOW), json=body)
    api.post("%s/%s/draft" % (ACTIONS, SLOW))
    api.patch("%s/%s/draft" % (ACTIONS, SLOW), json={"version": 1, "name": "Draft name"})
    api.put("%s/%s/draft/function" % (ACTIONS, SLOW), data="not json")
    api.post("%s/%s/draft/publish" % (ACTIONS, SLOW), json={"version": 2})
    logged = [(e["route"].split(" ", 1)[0] + " " + e["path"].rsplit(SLOW, 1)[1], e.get("body", "absent"))
              for e in emu.requests()["requests"] if e["write"]]
    assert logged == [("PATCH ", body), ("POST /draft", "absent"), ("PATCH /draft", {"version": 1, "name": "Draft name"}),
                      ("PUT /draft/function", None), ("POST /draft/publish", {"version": 2})]


@pytest.mark.parametrize("part,field", [("request", "requestTemplate"), ("response", "successTemplate")])
def test_a_template_must_be_a_string(emu, api, part, field):
    before = _read(api, SLOW)
    config = copy.deepcopy(before["config"])
    config[part][field] = {"text": "x"}
    error = assert_error_body(api.patch("%s/%s" % (ACTIONS, SLOW), json={"version": before["version"],
                                                                         "config": config}), 400)
    assert error["details"][0]["fieldName"] == "config.%s.%s" % (part, field)

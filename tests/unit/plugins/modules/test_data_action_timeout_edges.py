# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesyscloud.cx contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""data_action_timeout and data_action_info where a real org differs from the simple case: templates named
by URI, PATCH answers without config, function data actions, pending drafts. What reached the server, what
it holds afterwards, what the user was told."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import copy
import json

import pytest

from ansible_collections.genesyscloud.cx.plugins.modules import data_action_info, data_action_timeout
from tests.unit.plugins.fake_api import ACTIONS, DRAFTS, INTEGRATIONS, Fault, FakeGenesysCloud, make_action

TEMPLATE_GET = "%s/%s/templates/%s"


@pytest.fixture
def warned(monkeypatch):
    """The warnings the modules give (where module_utils thinks it runs on the controller, they bypass the result)."""
    texts = []
    for module in (data_action_info, data_action_timeout):
        monkeypatch.setattr(module.AnsibleModule, "warn", lambda self, text: texts.append(text))
    return texts


def _org():
    return FakeGenesysCloud([
        make_action("Lookup account", timeout=3, version=4, action_id="custom_-_a",
                    extra_config={"vendorExtension": {"keep": [1, 2]}}),
        make_action("Create ticket", timeout=3, version=2, action_id="custom_-_b"),
        make_action("Lookup history", timeout=30, version=9, action_id="custom_-_c"),
    ])


def _routes(fake):
    return [(r["method"], r["path"]) for r in fake.log]


def _sent(fake, path):
    return [json.loads(r["body"]) for r in fake.log if r["method"] in ("PATCH", "PUT", "POST") and r["path"] == path]


def _without_timeout_and_version(action):
    action = copy.deepcopy(action)
    action.pop("version")
    action["config"].pop("timeoutSeconds", None)
    return action


# ---- templates named by URI ---------------------------------------------------------------------
@pytest.mark.parametrize("content_type", ["text/plain", "application/json"])
def test_templates_named_by_uri_are_read_and_sent_inline_and_survive(run_module, content_type):
    fake = _org()
    fake.templates_by_uri = {"custom_-_a"}
    fake.template_content_type = content_type
    before = copy.deepcopy(fake.actions)
    failed, result, dummy = run_module(data_action_timeout, {"ids": ["custom_-_a", "custom_-_b"], "timeout_seconds": 10,
                                                             "drafts": "ignore"}, fake)
    assert not failed and [r["status"] for r in result["results"]] == ["updated", "updated"]
    # Two template reads, for the one action that names them by URI; none for the other.
    reads = [r for r in fake.log if "/templates/" in r["path"]]
    assert [r["path"] for r in reads] == [TEMPLATE_GET % (ACTIONS, "custom_-_a", "requesttemplate.vm"),
                                          TEMPLATE_GET % (ACTIONS, "custom_-_a", "successtemplate.vm")]
    # Templates are text: asked for as the SDK (text/plain) and the provider (*/*) ask, never as JSON.
    assert [r["headers"]["Accept"] for r in reads] == ["text/plain, */*"] * 2
    assert set(r["headers"]["Accept"] for r in fake.log if "/templates/" not in r["path"]
               and r["path"] != "/oauth/token") == {"application/json"}
    sent = _sent(fake, ACTIONS + "/custom_-_a")[0]["config"]
    listed = fake._view(before["custom_-_a"], True)["config"]
    # The config as read, the templates inline in place of their URIs (as the provider sends it), the timeout changed.
    expected = copy.deepcopy(listed)
    expected["timeoutSeconds"] = 10
    del expected["request"]["requestTemplateUri"], expected["response"]["successTemplateUri"]
    expected["request"]["requestTemplate"] = before["custom_-_a"]["config"]["request"]["requestTemplate"]
    expected["response"]["successTemplate"] = "${rawResult}"
    assert sent == expected
    assert sent["vendorExtension"] == {"keep": [1, 2]}
    # The strict server kept the templates, since they came inline: everything but the timeout and version as before.
    for action_id in ("custom_-_a", "custom_-_b"):
        assert _without_timeout_and_version(fake.actions[action_id]) == _without_timeout_and_version(before[action_id])
    assert "/templates/" not in json.dumps(_sent(fake, ACTIONS + "/custom_-_b"))


def test_a_template_that_cannot_be_read_leaves_its_action_unpatched(run_module):
    fake = _org()
    fake.templates_by_uri = {"custom_-_a"}
    fake.add_fault("GET", ACTIONS + "/custom_-_a/templates/successtemplate.vm", Fault(404))
    failed, result, dummy = run_module(data_action_timeout, {"ids": ["custom_-_a", "custom_-_b"], "timeout_seconds": 10},
                                       fake)
    assert failed
    by_id = dict((r["id"], r) for r in result["results"])
    assert by_id["custom_-_a"]["status"] == "failed" and by_id["custom_-_b"]["status"] == "updated"
    msg = by_id["custom_-_a"]["msg"]
    assert "success template" in msg and "successTemplateUri" in msg and "HTTP 404" in msg and "not changed" in msg
    assert by_id["custom_-_a"]["timeout_seconds_after"] == 3 and by_id["custom_-_a"]["version_after"] == 4
    assert _sent(fake, ACTIONS + "/custom_-_a") == []
    assert fake.actions["custom_-_a"]["config"]["timeoutSeconds"] == 3


def test_a_conflict_reads_the_templates_of_the_re_read_action_again(run_module):
    fake = _org()
    fake.templates_by_uri = {"custom_-_a"}

    def edit_template(action):
        action["config"]["request"]["requestTemplate"] = "edited by Ann"
        action["version"] += 1
    fake.before_patch["custom_-_a"] = edit_template
    failed, result, dummy = run_module(data_action_timeout, {"id": "custom_-_a", "timeout_seconds": 10,
                                                             "drafts": "ignore"}, fake)
    assert not failed and result["results"][0]["status"] == "updated"
    assert len([r for r in fake.log if "/templates/" in r["path"]]) == 4  # twice each: once per attempt
    assert [p["config"]["request"]["requestTemplate"] for p in _sent(fake, ACTIONS + "/custom_-_a")] == [
        '{"name": "${input.name}"}', "edited by Ann"]
    assert fake.actions["custom_-_a"]["config"]["request"]["requestTemplate"] == "edited by Ann"


def test_check_mode_reads_no_template_and_says_it_will(run_module):
    fake = _org()
    fake.templates_by_uri = {"custom_-_a"}
    failed, result, dummy = run_module(data_action_timeout, {"id": "custom_-_a", "timeout_seconds": 10}, fake,
                                       check_mode=True)
    assert not failed and result["results"][0]["status"] == "would_update"
    assert "request template and success template are named only by URI" in result["results"][0]["msg"]
    assert [m for m, p in _routes(fake) if m != "GET" and p != "/oauth/token"] == []
    assert not [p for m, p in _routes(fake) if "/templates/" in p]


# ---- PATCH answers without config ---------------------------------------------------------------
def test_an_answer_without_config_is_settled_by_its_newer_version(run_module):
    fake = _org()
    fake.patch_answer = "without-config"
    failed, result, dummy = run_module(data_action_timeout, {"ids": ["custom_-_a", "custom_-_b"], "timeout_seconds": 10,
                                                             "drafts": "ignore"}, fake, diff=True)
    assert not failed and [r["status"] for r in result["results"]] == ["updated", "updated"]
    assert [r["version_after"] for r in result["results"]] == [5, 3]
    assert [m for m, p in _routes(fake)].count("GET") == 1  # the listing; no re-read


def test_a_version_that_moved_by_more_than_one_is_still_newer(run_module):
    fake = _org()
    fake.patch_answer = "without-config"
    original = fake._patch

    def bumping_twice(request, action, update, is_draft=False):
        response = original(request, action, update, is_draft)
        action["version"] += 1  # a server-side hook bumps it again
        body = json.loads(response._content)
        body["version"] = action["version"]
        response._content = json.dumps(body).encode()
        return response
    fake._patch = bumping_twice
    failed, result, dummy = run_module(data_action_timeout, {"id": "custom_-_a", "timeout_seconds": 10}, fake)
    assert not failed and result["results"][0]["status"] == "updated" and result["results"][0]["version_after"] == 6


@pytest.mark.parametrize("answer,timeout", [("empty", 10), ("without-config", None)])
def test_an_answer_that_cannot_settle_it_is_settled_by_one_re_read(run_module, answer, timeout):
    # No body at all; or a removal, which a newer version does not prove (a merging server keeps the old value).
    fake = _org()
    fake.patch_answer = answer
    failed, result, dummy = run_module(data_action_timeout, {"actions": [{"id": "custom_-_a", "timeout_seconds": timeout}],
                                                             "drafts": "ignore"}, fake)
    assert not failed and result["results"][0]["status"] == "updated"
    assert result["results"][0]["version_after"] == 5 and "re-reading" in result["results"][0]["msg"]
    rereads = [r for r in fake.log if r["method"] == "GET" and r["path"] == ACTIONS + "/custom_-_a"]
    assert len(rereads) == 1 and rereads[0]["query"]["includeConfig"] == "true"


def test_a_re_read_that_does_not_show_the_change_is_a_failure(run_module):
    fake = _org()
    fake.patch_answer = "without-config"
    original = fake._patch

    def merging(request, action, update, is_draft=False):
        kept = action["config"].get("timeoutSeconds")
        response = original(request, action, update, is_draft)
        action["config"]["timeoutSeconds"] = kept  # a merging server ignores the removal
        return response
    fake._patch = merging
    failed, result, dummy = run_module(data_action_timeout, {"actions": [{"id": "custom_-_a", "timeout_seconds": None}]},
                                       fake)
    assert failed and result["results"][0]["status"] == "failed"
    assert "re-read shows timeout 3 s" in result["results"][0]["msg"]


# ---- function data actions ----------------------------------------------------------------------
def _functions_org():
    fake = _org()
    fake.add_function_action(make_action("Score lead", timeout=3, version=7, action_id="custom_-_f"), timeout=5)
    fake.add_function_action(make_action("Rank lead", timeout=20, version=3, action_id="custom_-_g"))  # function 15
    return fake


def _function_raised(run_module, fake, timeout_seconds):
    """Whether the run failed, and its result for custom_-_f, asked for ``timeout_seconds`` and its function 12 s."""
    failed, result, dummy = run_module(data_action_timeout, {"id": "custom_-_f", "timeout_seconds": timeout_seconds,
                                                             "function_timeout_seconds": 12}, fake)
    return failed, result["results"][0]


def test_info_reports_function_timeouts_with_one_read_per_integration_and_function(run_module):
    fake = _functions_org()
    failed, result, dummy = run_module(data_action_info, {"function_timeouts": True}, fake)
    assert not failed
    by_id = dict((a["id"], a) for a in result["data_actions"])
    assert (by_id["custom_-_f"]["integration_type"], by_id["custom_-_f"]["function_timeout_seconds"]) == (
        "function-data-actions", 5)
    assert by_id["custom_-_g"]["function_timeout_seconds"] == 15  # unset: the API's default
    assert (by_id["custom_-_a"]["integration_type"], by_id["custom_-_a"]["function_timeout_seconds"]) == (
        "custom-rest-actions", None)
    reads = sorted(p for m, p in _routes(fake) if p.startswith(INTEGRATIONS + "/int") or p.endswith("/function"))
    assert reads == [ACTIONS + "/custom_-_f/function", ACTIONS + "/custom_-_g/function",
                     INTEGRATIONS + "/int-1", INTEGRATIONS + "/int-fn"]
    # Not asked: nothing of it is read.
    fake.log[:] = []
    failed, result, dummy = run_module(data_action_info, {}, fake)
    assert _routes(fake) == [("POST", "/oauth/token"), ("GET", ACTIONS)]
    assert "function_timeout_seconds" not in result["data_actions"][0]


def test_info_without_the_integration_permission_warns_and_reports_unknown(run_module, warned):
    fake = _functions_org()
    fake.clients = {"cid": ("csecret", {"integrations:action:view", "integrations:actionFunction:view"})}
    failed, result, dummy = run_module(data_action_info, {"function_timeouts": True}, fake)
    assert not failed
    assert all(a["function_timeout_seconds"] is None and a["integration_type"] is None for a in result["data_actions"])
    assert len(warned) == 1 and "integrations:integration:view" in warned[0] and "2 integration(s)" in warned[0]


def test_a_function_timeout_is_set_through_a_draft_and_its_publication(run_module, warned):
    fake = _functions_org()
    function_before = copy.deepcopy(fake.functions["custom_-_f"]["function"])
    args = {"id": "custom_-_f", "timeout_seconds": 12, "function_timeout_seconds": 12}
    failed, check, dummy = run_module(data_action_timeout, args, fake, check_mode=True, diff=True)
    assert not failed and check["changed"]
    assert [m for m, p in _routes(fake) if m not in ("GET",) and p != "/oauth/token"] == []
    predicted = check["results"][0]
    assert (predicted["status"], predicted["function_timeout_seconds_before"], predicted["function_timeout_seconds_after"]) \
        == ("would_update", 5, 12)
    assert check["diff"]["prepared"] == "Score lead (custom_-_f): timeout 3 s -> 12 s, function timeout 5 s -> 12 s\n"

    fake.log[:] = []
    failed, result, dummy = run_module(data_action_timeout, args, fake, diff=True)
    assert not failed and result["changed"]
    done = result["results"][0]
    assert (done["status"], done["timeout_seconds_after"], done["function_timeout_seconds_after"]) == ("updated", 12, 12)
    # The function's read (to plan), the action's PATCH, then the draft: create, read its function, put it back,
    # read its version, publish.
    writes = [(m, p[len(ACTIONS) + 1:]) for m, p in _routes(fake) if p.startswith(ACTIONS + "/custom_-_f")]
    assert writes == [("GET", "custom_-_f/function"), ("PATCH", "custom_-_f"), ("POST", "custom_-_f/draft"), ("GET", "custom_-_f/draft/function"),
                      ("PUT", "custom_-_f/draft/function"), ("GET", "custom_-_f/draft"), ("POST", "custom_-_f/draft/publish")]
    put = _sent(fake, ACTIONS + "/custom_-_f/draft/function")[0]
    # Only what the PUT sets, as the Terraform provider sends it (the zip is the upload's): the rest as read.
    assert put == {"description": function_before["description"], "handler": function_before["handler"],
                   "runtime": function_before["runtime"], "timeoutSeconds": 12}
    assert fake.functions["custom_-_f"]["function"] == dict(function_before, timeoutSeconds=12)
    assert _sent(fake, ACTIONS + "/custom_-_f/draft/publish") == [{"version": 1}]
    assert fake.function_timeout("custom_-_f") == 12 and fake.actions["custom_-_f"]["config"]["timeoutSeconds"] == 12
    assert "custom_-_f" not in fake.drafts
    # PATCH 7 -> 8, publish 8 -> 9: the version a rollback is pinned to.
    assert (done["version_before"], done["version_after"]) == (7, 9) == (7, fake.actions["custom_-_f"]["version"])
    assert result["diff"]["prepared"] == ("Score lead (custom_-_f): timeout 3 s -> 12 s, version 7 -> 9, "
                                          "function timeout 5 s -> 12 s\n")
    assert warned == []

    # A rerun writes nothing.
    fake.log[:] = []
    failed, again, dummy = run_module(data_action_timeout, args, fake)
    assert not failed and not again["changed"] and again["results"][0]["status"] == "unchanged"
    assert [m for m, p in _routes(fake) if m != "GET" and p != "/oauth/token"] == []

    # Rolled back from what the run reported: the function's timeout before, pinned to version_after.
    failed, rollback, dummy = run_module(data_action_timeout, {"actions": [{
        "id": "custom_-_f", "timeout_seconds": done["timeout_seconds_before"], "version": done["version_after"],
        "function_timeout_seconds": done["function_timeout_seconds_before"]}]}, fake)
    assert not failed and rollback["results"][0]["status"] == "updated"
    assert fake.function_timeout("custom_-_f") == 5 and fake.actions["custom_-_f"]["config"]["timeoutSeconds"] == 3
    assert fake.functions["custom_-_f"]["function"] == dict(function_before, timeoutSeconds=5)


def test_only_the_function_changes_when_the_action_is_already_as_wanted(run_module):
    fake = _functions_org()
    failed, result, dummy = run_module(data_action_timeout, {"id": "custom_-_g", "timeout_seconds": 20,
                                                             "function_timeout_seconds": 10, "drafts": "ignore"}, fake)
    assert not failed and result["results"][0]["status"] == "updated"
    assert [m for m, p in _routes(fake) if m == "PATCH"] == []
    assert fake.function_timeout("custom_-_g") == 10 and fake.actions["custom_-_g"]["version"] == 4


def test_raising_an_action_above_its_function_warns(run_module, warned):
    fake = _functions_org()
    failed, result, dummy = run_module(data_action_timeout, {"ids": ["custom_-_f", "custom_-_a"], "timeout_seconds": 30,
                                                             "function_timeouts": True}, fake)
    assert not failed and [r["function_timeout_seconds_after"] for r in result["results"]] == [5, None]
    assert len(warned) == 1 and "above their function" in warned[0]
    assert "Score lead (custom_-_f): 30 s, its function 5 s" in warned[0] and "custom_-_a" not in warned[0]
    assert fake.function_timeout("custom_-_f") == 5  # only reported: nothing asked to set it


def test_a_function_behind_a_pending_draft_is_not_changed(run_module):
    fake = _functions_org()
    fake.add_draft("custom_-_f", timeout=3)
    failed, done = _function_raised(run_module, fake, 12)
    assert failed and done["status"] == "failed"
    assert "pending draft" in done["msg"] and "publish or delete it first" in done["msg"]
    assert [m for m, p in _routes(fake) if m != "GET" and p != "/oauth/token"] == []  # nothing half-done


def test_a_failed_put_deletes_the_draft_it_created(run_module):
    fake = _functions_org()
    del fake.functions["custom_-_f"]["function"]["handler"]
    failed, done = _function_raised(run_module, fake, 3)
    assert failed and done["status"] == "failed"
    assert "handler" in done["msg"] and "deleted again" in done["msg"]
    assert ("DELETE", ACTIONS + "/custom_-_f/draft") in _routes(fake) and "custom_-_f" not in fake.drafts
    assert fake.function_timeout("custom_-_f") == 5


def test_function_timeout_out_of_range_is_refused_before_any_request(run_module):
    fake = _functions_org()
    for args in ({"id": "custom_-_f", "timeout_seconds": 12, "function_timeout_seconds": 30},
                 {"actions": [{"id": "custom_-_f", "timeout_seconds": 12, "function_timeout_seconds": 0}]},
                 {"select": {}, "timeout_seconds": 12, "function_timeout_seconds": 16}):
        failed, result, dummy = run_module(data_action_timeout, args, fake)
        assert failed and "1 to 15" in result["msg"]
    assert fake.log == []


# ---- pending drafts -----------------------------------------------------------------------------
def test_a_pending_draft_is_reported_and_warned_about_by_default(run_module, warned):
    fake = _org()
    fake.add_draft("custom_-_a", timeout=3, version=2)
    fake.add_draft("custom_-_c", timeout=30, version=5)
    failed, result, dummy = run_module(data_action_timeout, {"ids": ["custom_-_a", "custom_-_b", "custom_-_c"],
                                                             "timeout_seconds": 10, "mode": "at_least"}, fake)
    assert not failed
    by_id = dict((r["id"], r) for r in result["results"])
    assert by_id["custom_-_a"]["draft"] == {"status": "kept", "version_before": 2, "version_after": 2,
                                            "timeout_seconds_before": 3, "timeout_seconds_after": 3,
                                            "holds_other_timeout": True}
    assert by_id["custom_-_b"]["draft"] is None
    assert by_id["custom_-_c"]["draft"]["holds_other_timeout"] is False
    assert "publishing it would set again" in by_id["custom_-_a"]["msg"]
    assert len(warned) == 1 and "pending draft" in warned[0]
    assert "Lookup account (custom_-_a): its draft holds 3 s" in warned[0] and "custom_-_c" not in warned[0]
    assert fake.drafts["custom_-_a"]["config"]["timeoutSeconds"] == 3 and fake.drafts["custom_-_a"]["version"] == 2
    listing = [r for r in fake.log if r["path"] == DRAFTS]
    assert len(listing) == 1 and listing[0]["query"]["includeConfig"] == "true"


def test_drafts_update_gives_the_draft_the_same_timeout_with_its_own_version(run_module, warned):
    fake = _org()
    fake.add_draft("custom_-_a", timeout=3, version=2)
    fake.drafts["custom_-_a"]["config"]["request"]["requestTemplate"] = "the draft's own template"
    fake.drafts["custom_-_a"]["name"] = "Lookup account (v2 draft)"
    fake.templates_by_uri = {"custom_-_a"}  # the draft lists its templates by URI too
    draft_before = copy.deepcopy(fake.drafts["custom_-_a"])
    args = {"id": "custom_-_a", "timeout_seconds": 10, "drafts": "update"}
    failed, check, dummy = run_module(data_action_timeout, args, fake, check_mode=True, diff=True)
    assert not failed and check["results"][0]["draft"]["status"] == "would_update"
    assert check["diff"]["prepared"] == ("Lookup account (custom_-_a): timeout 3 s -> 10 s, "
                                         "pending draft timeout 3 s -> 10 s\n")
    assert [m for m, p in _routes(fake) if m != "GET" and p != "/oauth/token"] == []

    fake.log[:] = []
    failed, result, dummy = run_module(data_action_timeout, args, fake)
    assert not failed and result["results"][0]["status"] == "updated"
    assert result["results"][0]["draft"] == {"status": "updated", "version_before": 2, "version_after": 3,
                                             "timeout_seconds_before": 3, "timeout_seconds_after": 10,
                                             "holds_other_timeout": False}
    sent = _sent(fake, ACTIONS + "/custom_-_a/draft")[0]
    assert sent["version"] == 2 and sent["name"] == "Lookup account (v2 draft)"
    # The draft's own templates, read from the draft's endpoints and sent inline.
    assert sent["config"]["request"]["requestTemplate"] == "the draft's own template"
    assert [p for m, p in _routes(fake) if "/draft/templates/" in p] == [
        ACTIONS + "/custom_-_a/draft/templates/requesttemplate.vm", ACTIONS + "/custom_-_a/draft/templates/successtemplate.vm"]
    assert _without_timeout_and_version(fake.drafts["custom_-_a"]) == _without_timeout_and_version(draft_before)
    assert fake.drafts["custom_-_a"]["config"]["timeoutSeconds"] == 10
    assert warned == []

    fake.log[:] = []
    failed, again, dummy = run_module(data_action_timeout, args, fake)
    assert not again["changed"] and again["results"][0]["draft"]["status"] == "unchanged"
    assert [m for m, p in _routes(fake) if m != "GET" and p != "/oauth/token"] == []


def test_drafts_update_meets_a_draft_conflict_and_re_reads_it(run_module):
    fake = _org()
    fake.add_draft("custom_-_a", timeout=3, version=2)
    fake.conflict_wording = "b"
    original = fake._patch

    def someone_edits_the_draft_first(request, action, update, is_draft=False):
        if is_draft and action["version"] == 2:
            action["version"] = 3
            action["config"]["response"]["translationMap"] = {"edited": "$.by.ann"}
        return original(request, action, update, is_draft)
    fake._patch = someone_edits_the_draft_first
    failed, result, dummy = run_module(data_action_timeout, {"id": "custom_-_a", "timeout_seconds": 10,
                                                             "drafts": "update"}, fake)
    assert not failed and result["results"][0]["draft"]["status"] == "updated"
    assert [p["version"] for p in _sent(fake, ACTIONS + "/custom_-_a/draft")] == [2, 3]
    assert fake.drafts["custom_-_a"]["config"]["response"]["translationMap"] == {"edited": "$.by.ann"}
    assert fake.drafts["custom_-_a"]["config"]["timeoutSeconds"] == 10


def test_an_action_already_as_wanted_still_gets_its_draft_updated(run_module):
    fake = _org()
    fake.add_draft("custom_-_c", timeout=3, version=4)
    failed, result, dummy = run_module(data_action_timeout, {"id": "custom_-_c", "timeout_seconds": 30,
                                                             "drafts": "update"}, fake)
    assert not failed and result["changed"] and result["results"][0]["status"] == "updated"
    assert [m for m, p in _routes(fake) if m == "PATCH"] == ["PATCH"]  # the draft's only
    assert fake.actions["custom_-_c"]["version"] == 9 and fake.drafts["custom_-_c"]["config"]["timeoutSeconds"] == 30


def test_info_reports_pending_drafts_when_asked(run_module):
    fake = _org()
    fake.add_draft("custom_-_b", timeout=None, version=3)
    failed, result, dummy = run_module(data_action_info, {"drafts": True}, fake)
    assert not failed
    by_id = dict((a["id"], a) for a in result["data_actions"])
    assert by_id["custom_-_b"]["draft"] == {"version": 3, "timeout_seconds": None, "effective_timeout_seconds": 60}
    assert by_id["custom_-_a"]["draft"] is None
    assert [p for m, p in _routes(fake)] == ["/oauth/token", ACTIONS, DRAFTS]
    assert sorted(fake.log[2]["query"]["ids"].split(",")) == ["custom_-_a", "custom_-_b", "custom_-_c"]


# ---- 408: re-read and decided again, as a version conflict, and settled by that read -------------
def _patches(fake, action_id):
    return [r["status"] for r in fake.log if r["method"] == "PATCH" and r["path"] == ACTIONS + "/" + action_id]


def test_a_408_not_applied_is_re_read_and_sent_again(run_module):
    fake = _org()
    fake.add_fault("PATCH", ACTIONS + "/custom_-_a", Fault(408, body={"message": "Request timed out", "status": 408}))
    failed, result, dummy = run_module(data_action_timeout, {"id": "custom_-_a", "timeout_seconds": 10,
                                                             "drafts": "ignore"}, fake)
    done = result["results"][0]
    assert not failed and done["status"] == "updated" and "re-read after a request timeout (HTTP 408)" in done["msg"]
    assert _patches(fake, "custom_-_a") == [408, 200]
    assert [json.loads(r["body"])["version"] for r in fake.log if r["method"] == "PATCH"] == [4, 4]
    assert (done["version_before"], done["version_after"]) == (4, 5) == (4, fake.actions["custom_-_a"]["version"])
    assert fake.actions["custom_-_a"]["config"]["timeoutSeconds"] == 10


@pytest.mark.parametrize("approved", [False, True])
def test_a_408_that_was_applied_is_recognised_by_the_re_read_and_not_sent_again(run_module, approved):
    """The write landed and only its answer was a 408: the re-read shows our timeout at a newer version. That is our
    update, not an action already as wanted (unchanged), nor one that drifted from its approved version."""
    fake = _org()
    fake.add_fault("PATCH", ACTIONS + "/custom_-_a", Fault(408, after=True))
    args = ({"actions": [{"id": "custom_-_a", "timeout_seconds": 10, "version": 4}]} if approved
            else {"id": "custom_-_a", "timeout_seconds": 10})
    failed, result, dummy = run_module(data_action_timeout, dict(args, drafts="ignore"), fake)
    done = result["results"][0]
    assert not failed and result["changed"], result
    assert done["status"] == "updated" and "confirmed by re-reading" in done["msg"], done
    assert _patches(fake, "custom_-_a") == [200]  # processed (the fake logs that), answered 408
    assert (done["timeout_seconds_before"], done["timeout_seconds_after"]) == (3, 10)
    assert (done["version_before"], done["version_after"]) == (4, 5)
    assert len([r for r in fake.log if r["method"] == "GET" and r["path"] == ACTIONS + "/custom_-_a"]) == 1


def test_408s_are_bounded_like_conflicts_and_change_nothing(run_module):
    fake = _org()
    for dummy in range(5):
        fake.add_fault("PATCH", ACTIONS + "/custom_-_a", Fault(408))
    failed, result, dummy = run_module(data_action_timeout, {"id": "custom_-_a", "timeout_seconds": 10,
                                                             "drafts": "ignore"}, fake)
    done = result["results"][0]
    assert failed and done["status"] == "failed"
    assert "gave up after 3 updates that met concurrent changes or request timeouts" in done["msg"]
    assert _patches(fake, "custom_-_a") == [408, 408, 408]
    assert fake.actions["custom_-_a"]["config"]["timeoutSeconds"] == 3 and fake.actions["custom_-_a"]["version"] == 4


def test_a_408_on_a_draft_patch_is_settled_the_same_way(run_module):
    fake = _org()
    fake.add_draft("custom_-_a", timeout=2, version=6)
    fake.add_fault("PATCH", ACTIONS + "/custom_-_a/draft", Fault(408, after=True))
    failed, result, dummy = run_module(data_action_timeout, {"id": "custom_-_a", "timeout_seconds": 10,
                                                             "drafts": "update"}, fake)
    draft = result["results"][0]["draft"]
    assert not failed and (draft["status"], draft["version_after"], draft["timeout_seconds_after"]) == ("updated", 7, 10)
    assert [r["status"] for r in fake.log if r["method"] == "PATCH" and r["path"].endswith("/draft")] == [200]
    assert fake.drafts["custom_-_a"]["config"]["timeoutSeconds"] == 10


@pytest.mark.parametrize("applied", [True, False])
def test_a_408_on_the_draft_publish_is_settled_by_reading(run_module, applied):
    fake = _functions_org()
    fake.add_fault("POST", ACTIONS + "/custom_-_f/draft/publish", Fault(408, after=applied))
    failed, done = _function_raised(run_module, fake, 12)
    assert not failed and done["status"] == "updated" and done["function_timeout_seconds_after"] == 12, done
    publishes = [r["status"] for r in fake.log if r["path"].endswith("/draft/publish")]
    # Applied: the draft is gone and the function holds 12 s, so it is not published again; else it is, once.
    assert publishes == ([200] if applied else [408, 200])  # processed (as logged), answered 408; or not processed
    assert not [r for r in fake.log if r["method"] == "DELETE"]
    assert fake.function_timeout("custom_-_f") == 12 and "custom_-_f" not in fake.drafts
    assert done["version_after"] == fake.actions["custom_-_f"]["version"] == 9


def test_a_draft_changed_by_someone_else_after_a_408_publish_is_not_published(run_module):
    fake = _functions_org()
    original = fake._api

    def publish_times_out_while_ann_edits(request, path, query, body):
        if path.endswith("/draft/publish"):
            fake.drafts["custom_-_f"]["version"] += 1  # Ann's edit lands meanwhile
            return fake._response(request, 408, {"message": "Request timed out", "status": 408})
        return original(request, path, query, body)
    fake._api = publish_times_out_while_ann_edits
    failed, done = _function_raised(run_module, fake, 12)
    assert failed and done["status"] == "failed"
    assert "HTTP 408" in done["msg"] and "changed by someone else, so not published" in done["msg"]
    assert len([r for r in fake.log if r["path"].endswith("/draft/publish")]) == 1
    assert fake.function_timeout("custom_-_f") == 5


@pytest.mark.parametrize("applied", [True, False])
def test_a_408_on_the_drafts_creation_says_whether_a_draft_was_made(run_module, applied):
    fake = _functions_org()
    fake.add_fault("POST", ACTIONS + "/custom_-_f/draft", Fault(408, after=applied))
    failed, done = _function_raised(run_module, fake, 3)
    assert failed and done["status"] == "failed" and "HTTP 408" in done["msg"]
    if applied:
        assert "a draft of the action exists now" in done["msg"] and "custom_-_f" in fake.drafts
    else:
        assert "no draft was made; nothing changed" in done["msg"] and "custom_-_f" not in fake.drafts
    assert len([r for r in fake.log if r["method"] == "POST" and r["path"].endswith("/draft")]) == 1
    assert fake.function_timeout("custom_-_f") == 5

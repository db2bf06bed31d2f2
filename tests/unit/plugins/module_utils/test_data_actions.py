# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesyscloud.cx contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json

import pytest

from ansible_collections.genesyscloud.cx.plugins.module_utils import _timeout_plan as timeout_plan
from ansible_collections.genesyscloud.cx.plugins.module_utils import _timeout_requests as timeout_requests
from ansible_collections.genesyscloud.cx.plugins.module_utils import _timeout_results as timeout_results
from ansible_collections.genesyscloud.cx.plugins.module_utils import data_actions as da
from ansible_collections.genesyscloud.cx.plugins.module_utils.errors import InvalidInputError, NotFoundError
from tests.unit.plugins.fake_api import ACTIONS, Fault, FakeGenesysCloud, make_action


def _params(**kwargs):
    params = dict(id=None, name=None, ids=None, actions=None, timeout_seconds=None, mode="exact")
    params.update(kwargs)
    return params


def _run(client, params, on_drift="fail", check_mode=False, parallel=4):
    wanted = timeout_requests.timeout_requests(params)
    plan = timeout_plan.Plan(timeout_requests.resolve(wanted, timeout_requests.read_for_requests(client, wanted)), mode=params["mode"], on_drift=on_drift)
    return plan.predicted_results() if check_mode else plan.apply(client, parallel=parallel)


def _by_id(results):
    return dict((r["id"], r) for r in results)


# ---- validation (before any request) ------------------------------------------------------------
@pytest.mark.parametrize("value", [0, 61, -5, "abc", "", True, 10.5, [10]])
def test_timeout_outside_1_to_60_or_not_an_integer_is_refused(value):
    with pytest.raises(InvalidInputError) as info:
        timeout_requests.timeout_requests(_params(id="custom_-_a", timeout_seconds=value))
    assert "1 to 60" in str(info.value)


def test_timeout_is_required_with_id_name_and_ids():
    with pytest.raises(InvalidInputError, match="timeout_seconds is required"):
        timeout_requests.timeout_requests(_params(ids=["custom_-_a"]))


def test_numeric_string_timeout_is_accepted():
    assert timeout_requests.timeout_requests(_params(id="custom_-_a", timeout_seconds="12"))[0].timeout_seconds == 12


@pytest.mark.parametrize("selectors", [dict(), dict(id="custom_-_a", name="A"), dict(ids=["custom_-_a"], name="A")])
def test_exactly_one_selector(selectors):
    with pytest.raises(InvalidInputError, match="exactly one of id, name, ids or actions"):
        timeout_requests.timeout_requests(_params(timeout_seconds=10, **selectors))


@pytest.mark.parametrize("key", ["ids", "actions"])
def test_empty_lists_are_refused(key):
    with pytest.raises(InvalidInputError, match="must not be empty"):
        timeout_requests.timeout_requests(_params(timeout_seconds=10 if key == "ids" else None, **{key: []}))


@pytest.mark.parametrize("action_id,word", [
    ("static_-_send_sms", "static"), ("customAuth_-_0b6f6c9e", "custom authentication")])
def test_static_and_custom_auth_ids_are_refused(action_id, word):
    for params in (_params(id=action_id, timeout_seconds=10), _params(ids=["custom_-_a", action_id], timeout_seconds=10),
                   _params(actions=[{"id": action_id, "timeout_seconds": 10}])):
        with pytest.raises(InvalidInputError) as info:
            timeout_requests.timeout_requests(params)
        assert action_id in str(info.value) and word in str(info.value)


def test_actions_entries_are_checked():
    ok = timeout_requests.timeout_requests(_params(actions=[{"id": "custom_-_a", "timeout_seconds": None, "version": 3},
                                                            {"name": "B", "timeout_seconds": 20}]))
    assert [(w.action_id, w.name, w.timeout_seconds, w.version) for w in ok] == [
        ("custom_-_a", None, None, 3), (None, "B", 20, None)]
    bad = [
        ([{"timeout_seconds": 10}], "exactly one of id or name"),
        ([{"id": "custom_-_a", "name": "A", "timeout_seconds": 10}], "exactly one of id or name"),
        ([{"id": "custom_-_a"}], "timeout_seconds is required"),
        ([{"id": "custom_-_a", "timeout_seconds": 0}], "1 to 60 or null"),
        ([{"id": "custom_-_a", "timeout_seconds": 10, "version": "x"}], "version must be an integer"),
        ([{"id": "custom_-_a", "timeout_seconds": 10}, {"id": "custom_-_a", "timeout_seconds": 20}], "repeated"),
    ]
    for entries, expected in bad:
        with pytest.raises(InvalidInputError, match=expected):
            timeout_requests.timeout_requests(_params(actions=entries))


def test_at_least_cannot_raise_to_null():
    with pytest.raises(InvalidInputError, match="at_least"):
        timeout_requests.timeout_requests(_params(actions=[{"id": "custom_-_a", "timeout_seconds": None}], mode="at_least"))


def test_timeout_beside_actions_is_refused():
    with pytest.raises(InvalidInputError, match="inside each entry"):
        timeout_requests.timeout_requests(_params(actions=[{"id": "custom_-_a", "timeout_seconds": 5}], timeout_seconds=10))


# ---- planning -----------------------------------------------------------------------------------
@pytest.mark.parametrize("current,desired,mode,expected", [
    (3, 10, "exact", "update"), (10, 10, "exact", "unchanged"), (30, 10, "exact", "update"),
    (None, 10, "exact", "update"), (None, None, "exact", "unchanged"), (3, None, "exact", "update"),
    (3, 10, "at_least", "update"), (10, 10, "at_least", "unchanged"), (30, 10, "at_least", "unchanged"),
    # Unset runs with the 60 s default, the maximum: raising never touches it, and 60 is "as high".
    (None, 10, "at_least", "unchanged"), (None, 60, "at_least", "unchanged"), (59, 60, "at_least", "update"),
    (None, 60, "exact", "update"),
])
def test_decide_by_mode(current, desired, mode, expected):
    status, msg = timeout_plan.decide(make_action("A", timeout=current), desired, mode)
    assert status == expected
    assert msg


@pytest.mark.parametrize("on_drift,expected", [("fail", "drifted"), ("skip", "drifted"), ("apply", "update")])
def test_decide_on_drift(on_drift, expected):
    action = make_action("A", timeout=3, version=8)
    status, msg = timeout_plan.decide(action, 10, approved_version=7, on_drift=on_drift)
    assert status == expected and "7" in msg and "8" in msg
    assert timeout_plan.decide(action, 10, approved_version=8, on_drift="fail")[0] == "update"


def test_an_action_already_as_wanted_is_unchanged_even_when_its_version_moved():
    # A rerun of a rollback finds version_after + 1 but the timeout already restored: nothing to do.
    assert timeout_plan.decide(make_action("A", timeout=3, version=9), 3, approved_version=7, on_drift="fail")[0] == "unchanged"


def test_patch_body_is_the_complete_action_with_only_the_timeout_changed():
    action = make_action("A", timeout=3, version=4, extra_config={"futureField": {"keep": [1, 2]}})
    body = timeout_plan.patch_body(action, 15)
    assert body["version"] == 4 and body["name"] == "A" and body["category"] == "CRM"
    expected = dict(action["config"], timeoutSeconds=15)
    assert body["config"] == expected
    assert action["config"]["timeoutSeconds"] == 3  # the action as read is not modified
    # Removal sends null: unset for a server that replaces config, a deletion for one that merges it.
    removal = timeout_plan.patch_body(action, None)["config"]
    assert removal == dict(action["config"], timeoutSeconds=None)
    assert set(body) == {"name", "category", "config", "version"}  # contract and secure cannot be patched


def test_patch_body_leaves_the_template_uris_out_and_keeps_the_inline_templates():
    action = make_action("A", timeout=3, version=4, extra_config={"futureField": 1})
    action["config"]["request"]["requestTemplateUri"] = "/api/v2/integrations/actions/x/templates/requesttemplate.vm"
    action["config"]["response"]["successTemplateUri"] = "/api/v2/integrations/actions/x/templates/successtemplate.vm"
    config = timeout_plan.patch_body(action, 15)["config"]
    assert "requestTemplateUri" not in config["request"] and "successTemplateUri" not in config["response"]
    assert config["request"]["requestTemplate"] == action["config"]["request"]["requestTemplate"]
    assert config["response"] == {"translationMap": {}, "successTemplate": "${rawResult}"}
    assert config["futureField"] == 1 and config["timeoutSeconds"] == 15
    assert "requestTemplateUri" in action["config"]["request"], "the action as read is not modified"
    # A template still named only by URI is never sent without its text.
    del action["config"]["response"]["successTemplate"]
    with pytest.raises(ValueError):
        timeout_plan.patch_body(action, 15)


def test_name_matching_no_action_or_several_is_an_error_naming_them(make_client):
    fake = FakeGenesysCloud([make_action("Lookup", action_id="custom_-_1"), make_action("Lookup", action_id="custom_-_2"),
                             make_action("Lookup account", action_id="custom_-_3")])
    client = make_client(fake)
    # A name found twice is not "not found".
    with pytest.raises(InvalidInputError) as info:
        _run(client, _params(actions=[{"name": "Lookup", "timeout_seconds": 10},
                                      {"name": "Nope", "timeout_seconds": 10},
                                      {"id": "custom_-_404", "timeout_seconds": 10}]))
    message = str(info.value)
    assert "custom_-_1" in message and "custom_-_2" in message and "'Nope'" in message and "custom_-_404" in message
    assert "Nothing was changed" in message and not message.startswith("Not found")
    assert fake.requests_for("PATCH") == []
    with pytest.raises(NotFoundError, match="'Nope'"):
        _run(client, _params(actions=[{"name": "Nope", "timeout_seconds": 10}]))


def test_name_is_matched_exactly_although_the_api_matches_partially(make_client):
    fake = FakeGenesysCloud([make_action("Lookup", action_id="custom_-_1", timeout=3),
                             make_action("Lookup account", action_id="custom_-_3", timeout=3)])
    results = _run(make_client(fake), _params(name="Lookup", timeout_seconds=10))
    assert [(r["id"], r["status"]) for r in results] == [("custom_-_1", "updated")]
    assert fake.requests_for("GET", ACTIONS)[0]["query"]["name"] == "Lookup"
    assert fake.actions["custom_-_3"]["config"]["timeoutSeconds"] == 3


def test_a_name_that_is_a_static_action_is_refused(make_client):
    fake = FakeGenesysCloud([make_action("Send SMS", action_id="static_-_sms")])
    with pytest.raises(InvalidInputError, match="static"):
        _run(make_client(fake), _params(name="Send SMS", timeout_seconds=10))


# ---- applying -----------------------------------------------------------------------------------
def _org(n=30):
    return FakeGenesysCloud([make_action("Action %03d" % i, timeout=(i % 12) + 1, version=i + 1,
                                         action_id="custom_-_%03d" % i, extra_config={"vendorExtension": i})
                             for i in range(n)])


def test_happy_path_costs_one_token_one_listing_and_one_patch_per_change(make_client):
    fake = _org(30)
    ids = sorted(fake.actions)
    results = _run(make_client(fake), _params(ids=ids, timeout_seconds=10, mode="at_least"))
    to_change = [i for i in ids if fake.actions[i]["version"] > int(i[-3:]) + 1]
    assert len(fake.log) == 1 + 1 + len(to_change)
    assert len(fake.requests_for("GET")) == 1
    assert fake.requests_for("GET")[0]["query"]["ids"] == ",".join(ids)
    assert fake.requests_for("GET")[0]["query"]["includeConfig"] == "true"
    assert len(to_change) == sum(1 for i in range(30) if (i % 12) + 1 < 10)  # below 10 rises, the rest stays
    for result in results:
        stored = fake.actions[result["id"]]
        if result["status"] == "updated":
            assert stored["config"]["timeoutSeconds"] == 10 == result["timeout_seconds_after"]
            assert result["version_after"] == stored["version"] == result["version_before"] + 1
        else:
            assert result["status"] == "unchanged" and result["timeout_seconds_before"] >= 10
    assert [r["id"] for r in results] == ids  # results in request order


def test_patch_carries_the_version_and_complete_config_as_read(make_client):
    fake = _org(3)
    _run(make_client(fake), _params(id="custom_-_001", timeout_seconds=45))
    sent = json.loads(fake.requests_for("PATCH")[0]["body"])
    assert sent["version"] == 2
    assert sent["config"]["vendorExtension"] == 1  # a field the collection does not know is preserved
    assert sent["config"]["request"]["requestUrlTemplate"] == "https://crm.example/x"
    assert fake.actions["custom_-_001"]["config"]["vendorExtension"] == 1


def test_more_than_fifty_ids_list_the_org_once_instead(make_client):
    fake = _org(120)
    ids = sorted(fake.actions)[:60]
    _run(make_client(fake), _params(ids=ids, timeout_seconds=10, mode="at_least"))
    listing = fake.requests_for("GET")
    assert len(listing) == 2 and "ids" not in listing[0]["query"]  # ceil(120 / 100)


def test_rerun_changes_nothing(make_client):
    fake = _org(20)
    params = _params(ids=sorted(fake.actions), timeout_seconds=15)
    _run(make_client(fake), params)
    writes = len(fake.requests_for("PATCH"))
    results = _run(make_client(fake), params)
    assert all(r["status"] == "unchanged" for r in results)
    assert len(fake.requests_for("PATCH")) == writes


def test_null_removes_the_explicit_timeout(make_client):
    fake = _org(2)
    results = _run(make_client(fake), _params(actions=[{"id": "custom_-_001", "timeout_seconds": None}]))
    assert results[0]["status"] == "updated" and results[0]["timeout_seconds_after"] is None
    assert "timeoutSeconds" not in fake.actions["custom_-_001"]["config"]


def test_check_mode_predicts_the_real_run_and_writes_nothing(make_client):
    fake = _org(30)
    params = _params(actions=[{"id": i, "timeout_seconds": 8} for i in sorted(fake.actions)[:12]]
                     + [{"id": "custom_-_020", "timeout_seconds": 11, "version": 1}])
    predicted = _run(make_client(fake), params, check_mode=True, on_drift="skip")
    assert fake.requests_for("PATCH") == []
    real = _run(make_client(fake), params, on_drift="skip")
    assert len(predicted) == len(real) == 13
    for guess, outcome in zip(predicted, real):
        expected = dict(outcome)
        if outcome["status"] == "updated":
            expected.update(status="would_update", version_after=None)
        assert guess == expected
    assert {r["status"] for r in predicted} == {"would_update", "unchanged", "drifted"}


@pytest.mark.parametrize("status,wording", [(400, "a"), (400, "b"), (400, "code"), (409, "a"), (409, "b")])
def test_conflict_rereads_and_keeps_the_other_admins_change(make_client, status, wording):
    fake = _org(3)
    fake.conflict_status, fake.conflict_wording = status, wording
    fake.before_patch["custom_-_001"] = lambda action: fake.admin_edit("custom_-_001", name="Renamed by Ann")
    results = _run(make_client(fake), _params(id="custom_-_001", timeout_seconds=30))
    assert results[0]["status"] == "updated"
    patches = [json.loads(r["body"]) for r in fake.requests_for("PATCH")]
    assert [p["version"] for p in patches] == [2, 3]
    assert fake.actions["custom_-_001"]["name"] == "Renamed by Ann"
    assert fake.actions["custom_-_001"]["config"]["timeoutSeconds"] == 30
    assert results[0]["version_before"] == 3 and results[0]["version_after"] == 4
    assert "conflict" in results[0]["msg"]
    reread = fake.requests_for("GET", ACTIONS + "/custom_-_001")
    assert len(reread) == 1 and reread[0]["query"]["includeConfig"] == "true"


def test_conflict_with_the_same_change_already_made_is_not_repeated(make_client):
    fake = _org(3)
    fake.before_patch["custom_-_001"] = lambda action: fake.admin_edit("custom_-_001", timeout=30)
    results = _run(make_client(fake), _params(id="custom_-_001", timeout_seconds=30))
    assert results[0]["status"] == "unchanged"
    assert len(fake.requests_for("PATCH")) == 1
    assert fake.actions["custom_-_001"]["version"] == 3


def test_conflict_on_an_approved_version_is_drift(make_client):
    fake = _org(3)
    fake.before_patch["custom_-_001"] = lambda action: fake.admin_edit("custom_-_001", name="Edited")
    results = _run(make_client(fake), _params(actions=[{"id": "custom_-_001", "timeout_seconds": 30, "version": 2}]))
    assert results[0]["status"] == "drifted"
    assert len(fake.requests_for("PATCH")) == 1


def test_conflict_attempts_are_bounded(make_client):
    fake = _org(3)

    def always_edit(action):
        fake.admin_edit("custom_-_001", name="busy")
        fake.before_patch["custom_-_001"] = always_edit

    fake.before_patch["custom_-_001"] = always_edit
    results = _run(make_client(fake), _params(id="custom_-_001", timeout_seconds=30))
    assert results[0]["status"] == "failed" and "gave up" in results[0]["msg"]
    assert len(fake.requests_for("PATCH")) == da.MAX_ATTEMPTS


@pytest.mark.parametrize("fault", [Fault(drop=True, after=True), Fault(504, after=True), Fault(500, after=True)])
def test_an_applied_patch_whose_answer_was_lost_is_confirmed_by_reading(make_client, fault):
    fake = _org(3)
    fake.add_fault("PATCH", ACTIONS, fault)
    results = _run(make_client(fake), _params(id="custom_-_001", timeout_seconds=30))
    assert results[0]["status"] == "updated" and results[0]["version_after"] == 3
    assert len(fake.requests_for("PATCH")) == 1  # settled by a read, not resent
    assert fake.actions["custom_-_001"]["version"] == 3


def test_an_unanswered_patch_is_confirmed_by_a_version_newer_by_any_amount(make_client):
    fake = _org(3)
    fake.add_fault("PATCH", ACTIONS, Fault(504, after=True))  # applied, its answer lost

    def bump(request, action, update, is_draft=False, original=fake._patch):
        response = original(request, action, update, is_draft)
        action["version"] += 3  # a server whose versions move by more than one per update
        return response
    fake._patch = bump
    results = _run(make_client(fake), _params(id="custom_-_001", timeout_seconds=30))
    assert results[0]["status"] == "updated" and results[0]["version_after"] == 6
    assert len(fake.requests_for("PATCH")) == 1


@pytest.mark.parametrize("fault", [Fault(drop=True), Fault(503)])
def test_a_patch_lost_before_processing_is_sent_again_after_reading(make_client, fault):
    fake = _org(3)
    fake.add_fault("PATCH", ACTIONS, fault)
    results = _run(make_client(fake), _params(id="custom_-_001", timeout_seconds=30))
    assert results[0]["status"] == "updated"
    assert len(fake.requests_for("PATCH")) == 2
    assert fake.actions["custom_-_001"]["version"] == 3  # applied exactly once


def test_unanswered_patches_are_bounded_and_backed_off(make_client, clock):
    fake = _org(3)
    for dummy in range(20):
        fake.add_fault("PATCH", ACTIONS, Fault(503))
    results = _run(make_client(fake), _params(id="custom_-_001", timeout_seconds=30))
    assert results[0]["status"] == "failed" and "unanswered" in results[0]["msg"] and "HTTP 503" in results[0]["msg"]
    assert len(fake.requests_for("PATCH")) == da.MAX_UNANSWERED
    assert fake.actions["custom_-_001"]["version"] == 2
    # A growing pause before each new attempt.
    assert len(clock.sleeps) == da.MAX_UNANSWERED - 1
    assert clock.sleeps[:3] == [0.5, 1.0, 2.0] and clock.sleeps == sorted(clock.sleeps)


def test_a_failure_mid_batch_does_not_stop_the_others(make_client):
    fake = _org(10)
    ids = sorted(fake.actions)
    original = fake._patch

    def patch_or_404(request, action, update):
        if action["id"] == "custom_-_004":  # deleted by someone between our listing and our update
            fake.actions.pop("custom_-_004")
            return fake._response(request, 404, {"message": "Action custom_-_004 not found", "status": 404})
        return original(request, action, update)

    fake._patch = patch_or_404
    results = _by_id(_run(make_client(fake), _params(ids=ids, timeout_seconds=40)))
    assert results["custom_-_004"]["status"] == "failed" and "custom_-_004" in results["custom_-_004"]["msg"]
    assert all(results[i]["status"] == "updated" for i in ids if i != "custom_-_004")
    summary = timeout_results.failure_summary(list(results.values()), "fail")
    assert "1 failed" in summary and "custom_-_004" in summary and "updated 9" in summary


def test_an_answer_that_does_not_show_the_change_is_a_failure(make_client):
    fake = _org(2)
    original = fake._patch

    def merging_patch(request, action, update):
        kept = action["config"].get("timeoutSeconds")
        response = original(request, action, update)
        action["config"]["timeoutSeconds"] = kept  # a server that merges config keeps the old timeout
        body = json.loads(response._content)
        body["config"]["timeoutSeconds"] = kept
        response._content = json.dumps(body).encode()
        return response

    fake._patch = merging_patch
    results = _run(make_client(fake), _params(actions=[{"id": "custom_-_001", "timeout_seconds": None}]))
    assert results[0]["status"] == "failed" and "patch semantics" in results[0]["msg"]


def test_parallel_updates_survive_rate_limiting(make_client):
    fake = _org(40)
    for dummy in range(5):
        fake.add_fault("PATCH", ACTIONS, Fault(429, headers={"Retry-After": "1"}))
    results = _run(make_client(fake), _params(ids=sorted(fake.actions), timeout_seconds=60), parallel=8)
    assert all(r["status"] == "updated" for r in results)
    assert all(a["config"]["timeoutSeconds"] == 60 for a in fake.actions.values())
    assert len(fake.requests_for("PATCH")) == 45


def test_diff_shows_only_what_changes():
    results = [
        {"id": "custom_-_1", "name": "A", "status": "updated", "timeout_seconds_before": 3,
         "timeout_seconds_after": 10, "version_before": 4, "version_after": 5, "msg": ""},
        {"id": "custom_-_2", "name": "B", "status": "unchanged", "timeout_seconds_before": 20,
         "timeout_seconds_after": 20, "version_before": 1, "version_after": 1, "msg": ""},
    ]
    results.append({"id": "custom_-_0", "name": "0 first", "status": "would_update", "timeout_seconds_before": None,
                    "timeout_seconds_after": 5, "version_before": 7, "version_after": None, "msg": ""})
    # One line per change, by name; versions only once written, since check mode cannot know the new one.
    assert timeout_results.diff_of(results) == {"prepared": "0 first (custom_-_0): timeout unset (60 s) -> 5 s\n"
                                                            "A (custom_-_1): timeout 3 s -> 10 s, version 4 -> 5\n"}
    assert timeout_results.diff_of(results[1:2]) == {}


def test_info_filters_and_kinds():
    summaries = [da.summarize(a) for a in [
        make_action("b", timeout=3, action_id="custom_-_b"), make_action("a", timeout=None, action_id="custom_-_a"),
        make_action("c", timeout=20, action_id="custom_-_c"), make_action("auth", timeout=None, action_id="customAuth_-_i"),
        make_action("sms", timeout=2, action_id="static_-_sms")]]
    assert [s["kind"] for s in summaries] == ["custom", "custom", "custom", "custom_auth", "static"]
    assert [s["timeout_seconds"] for s in summaries] == [3, None, 20, None, 2]
    assert [s["effective_timeout_seconds"] for s in summaries] == [3, 60, 20, 60, 2]
    # An unset timeout is the 60 s default: never low, kept only by a limit of 60.
    low = da.timeout_at_most(summaries, 3)
    assert [s["id"] for s in da.sort_by_name(low)] == ["custom_-_b", "static_-_sms"]
    assert [s["id"] for s in da.timeout_at_most(summaries, 59)] == ["custom_-_b", "custom_-_c", "static_-_sms"]
    assert [s["id"] for s in da.timeout_at_most(summaries, 60)] == [
        "custom_-_b", "custom_-_a", "custom_-_c", "static_-_sms"]
    assert [s["id"] for s in da.with_explicit_timeout(summaries, False)] == ["custom_-_a", "customAuth_-_i"]
    assert [s["id"] for s in da.with_explicit_timeout(summaries, True)] == ["custom_-_b", "custom_-_c", "static_-_sms"]
    assert "config" not in summaries[0] and "config" in da.summarize(make_action("x"), include_config=True)

# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesyscloud.cx contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What a real org may do that a simple one does not (issue 9), under every setting of the emulator's switches:
templates stored by URI, PATCH answers without config, replace or merge semantics, function data actions,
pending drafts, both conflict wordings and statuses, token throttling in either field.

Checked as an administrator would: what reached the org (the request log), what the org holds afterwards,
the reports, and what the run said. Expected values come from the emulator's state, not from the reports.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import collections
import copy
import json
import os

import pytest

from tests.emulator.harness import Emulator
from tests.integration._helpers import ACTION_ROUTE, PATCH_ROUTE, TOKEN_ROUTE, play, switched, timeout_of

LIST = "GET /api/v2/integrations/actions"
DRAFTS = "GET /api/v2/integrations/actions/drafts"
TEMPLATE = "GET /api/v2/integrations/actions/{actionId}/templates/{fileName}"
DEPENDENCY_BUILD = "GET /api/v2/architect/dependencytracking/build"
CONSUMING = "GET /api/v2/architect/dependencytracking/consumingresources"
DRAFT_TEMPLATE = "GET /api/v2/integrations/actions/{actionId}/draft/templates/{fileName}"
DRAFT_PATCH = "PATCH /api/v2/integrations/actions/{actionId}/draft"
INTEGRATION = "GET /api/v2/integrations/{integrationId}"
FUNCTION = "GET /api/v2/integrations/actions/{actionId}/function"
FUNCTION_STEPS = ("POST /api/v2/integrations/actions/{actionId}/draft",
                  "GET /api/v2/integrations/actions/{actionId}/draft/function",
                  "PUT /api/v2/integrations/actions/{actionId}/draft/function",
                  "GET /api/v2/integrations/actions/{actionId}/draft",
                  "POST /api/v2/integrations/actions/{actionId}/draft/publish")
THRESHOLD, TARGET = 3, 10


# ---- an org generated like a real one, switched per test ----------------------------------------
@pytest.fixture(scope="module")
def generated():
    with Emulator(args=["--generate", "60", "--random-seed", "13"]) as emu:
        yield emu


def _org(emu):
    return emu.state()["orgs"]["demo"]


def _low(actions):
    """Custom actions a remediation raises: an explicit timeout at or below the threshold (unset runs at 60 s)."""
    return set(i for i, a in actions.items() if i.startswith("custom_-_") and timeout_of(a) is not None
               and timeout_of(a) <= THRESHOLD)


def _stripped(action):
    """Everything an update of the timeout must keep: templates, headers, translation maps, any other field."""
    action = copy.deepcopy(action)
    action.pop("version", None)
    (action.get("config") or {}).pop("timeoutSeconds", None)
    return action


def _counts(emu):
    return collections.Counter(entry["route"] for entry in emu.requests()["requests"])


def _by_action(emu, route):
    """Requests of ``route`` per action id (from the logged path)."""
    found = collections.Counter()
    for entry in emu.requests()["requests"]:
        if entry["route"] == route:
            found[entry["path"].split("/api/v2/integrations/actions/", 1)[1].split("/", 1)[0].split("?", 1)[0]] += 1
    return found


@pytest.fixture
def role(run_playbook, tmp_path):
    """Run a playbook of the role on one org of an emulator; the report folder is ``run.report_dir``."""
    report_dir = str(tmp_path / "reports")

    def _run(emu, mode, run_id, extra_vars=None, org="demo", client=("demo-client", "demo-secret"), **kwargs):
        variables = {"data_action_timeouts_report_dir": report_dir, "data_action_timeouts_run_id": run_id,
                     "data_action_timeouts_max_changes": 200, "data_action_timeouts_threshold": THRESHOLD,
                     "data_action_timeouts_target": TARGET}
        variables.update(extra_vars or {})
        inventory = {"all": {"vars": {"ansible_connection": "local",
                                      "ansible_python_interpreter": "{{ ansible_playbook_python }}",
                                      "genesyscloud_api_base_url": emu.url},
                             "hosts": {org: {"genesyscloud_client_id": client[0],
                                             "genesyscloud_client_secret": client[1]}}}}
        emu.clear_requests()
        run = run_playbook("genesyscloud.cx.%s" % mode, inventory=inventory, extra_vars=variables, **kwargs)
        run.report_dir = os.path.join(report_dir, run_id)
        run.report = _load(os.path.join(run.report_dir, "%s.json" % org))
        return run

    return _run


def _load(path):
    with open(path) as handle:
        return json.load(handle)


def _rows(run):
    return dict((row["id"], row) for row in run.report["rows"])


# ---- every config field survives, under every switch ---------------------------------------------
@pytest.mark.parametrize("answer", ["with-config", "without-config"])
@pytest.mark.parametrize("semantics", ["replace", "merge"])
@pytest.mark.parametrize("share", [0, 1])
def test_remediation_and_rollback_change_only_the_timeout_and_the_version(generated, role, share, semantics, answer):
    emu = switched(generated, templates_by_uri=share, patch_semantics=semantics, patch_answer=answer)
    before = emu.actions()
    low = _low(before)
    by_uri = set(_org(emu)["templates_by_uri"])
    assert len(low) >= 5 and (share == 0 or low <= by_uri), "the generated org no longer fits this test"

    run = role(emu, "remediate", "fix-%s-%s-%s" % (share, semantics, answer))
    after = emu.actions()
    for action_id, action in before.items():
        if action_id in low:
            assert timeout_of(after[action_id]) == TARGET
            assert after[action_id]["version"] == action["version"] + 1
            assert _stripped(after[action_id]) == _stripped(action), action_id
        else:
            assert after[action_id] == action
    # A PATCH answer without config is an update all the same.
    assert set(row["id"] for row in run.report["rows"] if row["status"] == "updated") == low
    counts = _counts(emu)
    # Templates named by URI: both read, once per changed action; none when they are inline. Nothing is re-read.
    templates = 2 * len(low & by_uri)
    assert (counts[TOKEN_ROUTE], counts[LIST], counts[DRAFTS], counts[PATCH_ROUTE], counts[TEMPLATE]) == (
        1, 1, 1, len(low), templates)
    # The role's default dependencies: planned reads each change's flows (one build-status read, one page of published flows each).
    assert (counts[DEPENDENCY_BUILD], counts[CONSUMING]) == (1, len(low))
    # The floor; with inline templates, today's plus drafts, plus the flows of the changes.
    assert sum(counts.values()) == 3 + len(low) + templates + 1 + len(low)
    assert _by_action(emu, TEMPLATE) == collections.Counter(dict((i, 2) for i in low & by_uri))

    rollback = role(emu, "rollback", "undo-%s-%s-%s" % (share, semantics, answer), extra_vars={
        "data_action_timeouts_rollback_report": os.path.join(run.report_dir, "demo.json")})
    restored = emu.actions()
    for action_id, action in before.items():
        assert _stripped(restored[action_id]) == _stripped(action), action_id
        assert timeout_of(restored[action_id]) == timeout_of(action)
    assert set(row["id"] for row in rollback.report["rows"] if row["status"] == "updated") == low
    assert _counts(emu)[TEMPLATE] == templates


@pytest.mark.parametrize("answer", ["with-config", "without-config"])
@pytest.mark.parametrize("semantics", ["replace", "merge"])
def test_removing_a_timeout_works_under_both_semantics_and_is_verified(generated, run_playbook, semantics, answer):
    emu = switched(generated, templates_by_uri=1, patch_semantics=semantics, patch_answer=answer)
    before = emu.actions()
    target = sorted(i for i, a in before.items() if i.startswith("custom_-_") and timeout_of(a) is None)[0]
    set_task = {"name": "set", "genesyscloud.cx.data_action_timeout": {"id": target, "timeout_seconds": 20}}
    first = run_playbook(play(emu, [set_task])).result("set")["results"][0]
    assert first["status"] == "updated"
    emu.clear_requests()
    remove = {"name": "remove", "genesyscloud.cx.data_action_timeout": {"actions": [
        {"id": target, "timeout_seconds": None, "version": first["version_after"]}]}}
    done = run_playbook(play(emu, [remove])).result("remove")["results"][0]
    assert done["status"] == "updated" and done["timeout_seconds_after"] is None
    after = emu.actions()[target]
    assert "timeoutSeconds" not in after["config"]
    assert _stripped(after) == _stripped(before[target])
    # A removal is not proven by a newer version alone: without config in the answer, one re-read settles it.
    assert _counts(emu)[ACTION_ROUTE] == (1 if answer == "without-config" else 0)


# ---- version conflicts ----------------------------------------------------------------------------
@pytest.mark.parametrize("status,wording", [(409, "a"), (409, "b"), (400, "a"), (400, "b")])
def test_a_conflict_is_recognised_by_status_whatever_its_sentence(generated, run_playbook, status, wording):
    emu = switched(generated, conflict_status=status, conflict_wording=wording)
    target = sorted(_low(emu.actions()))[0]
    emu.admin_edit(action_id=target, name="Renamed meanwhile", when="before_next_patch")
    task = {"name": "raise", "genesyscloud.cx.data_action_timeout": {"id": target, "timeout_seconds": 15}}
    result = run_playbook(play(emu, [task])).result("raise")["results"][0]
    assert result["status"] == "updated" and "re-read after a version conflict" in result["msg"]
    after = emu.actions()[target]
    assert (after["name"], timeout_of(after)) == ("Renamed meanwhile", 15)
    patches = [r["status"] for r in emu.requests()["requests"] if r["route"] == PATCH_ROUTE]
    assert patches == [status, 200]


# ---- token throttling -----------------------------------------------------------------------------
@pytest.mark.parametrize("field", ["description", "error_description", "both"])
def test_token_throttling_is_waited_out_whichever_field_says_it(generated, run_playbook, field):
    emu = switched(generated, token_throttle_field=field, token_rate_limit="1/10")  # two module runs within 10 s, even on a loaded machine
    tasks = [{"name": "token %d" % n, "genesyscloud.cx.oauth_token": {}, "no_log": True} for n in (1, 2)]
    run = run_playbook(play(emu, tasks))
    assert run.result("token 1")["_status"] != "failed" and run.result("token 2")["_status"] != "failed"
    statuses = [r["status"] for r in emu.requests()["requests"] if r["route"] == TOKEN_ROUTE]
    assert statuses[:2] == [200, 400] and statuses[-1] == 200


# ---- pending drafts -------------------------------------------------------------------------------
@pytest.mark.parametrize("share", [0, 1])
def test_pending_drafts_are_reported_and_when_asked_updated_with_their_own_version(generated, role, share):
    emu = switched(generated, pending_drafts=0.5, templates_by_uri=share)
    before, drafts = emu.actions(), _org(emu)["drafts"]
    low = _low(before)
    assert len(drafts) >= 10 and low & set(drafts), "the generated org no longer fits this test"

    audit = role(emu, "audit", "audit-drafts")
    rows = _rows(audit)
    assert audit.report["summary"]["pending_drafts"] == len(drafts)
    for action_id, draft in drafts.items():
        row = rows[action_id]
        assert (row["draft"]["version_before"], row["draft"]["timeout_seconds_before"], row["draft"]["status"]) == (
            draft["version"], timeout_of(draft), "kept")
    undoing = set(i for i in low & set(drafts) if timeout_of(drafts[i]) != TARGET)
    assert audit.report["summary"]["drafts_other_timeout"] >= len(undoing)
    with open(os.path.join(audit.report_dir, "demo.md")) as handle:
        markdown = handle.read()
    assert "Pending drafts (%d)" % len(drafts) in markdown
    with open(os.path.join(audit.report_dir, "demo.html")) as handle:
        assert "<h3>Pending drafts (%d)</h3>" % len(drafts) in handle.read()
    assert "publishing the draft would undo the change" in audit.output  # the module's warning
    assert emu.requests()["writes"] == 0

    run = role(emu, "remediate", "fix-drafts", extra_vars={"data_action_timeouts_drafts": "update"})
    after = emu.state()["orgs"]["demo"]
    # A draft below the target is raised like its action (mode at_least: an unset draft runs at 60 s already).
    raised = set(i for i in low & set(drafts) if timeout_of(drafts[i]) is not None and timeout_of(drafts[i]) < TARGET)
    assert raised, "no draft to raise: the test proves nothing"
    assert set(_by_action(emu, DRAFT_PATCH)) == raised and sum(_by_action(emu, DRAFT_PATCH).values()) == len(raised)
    for action_id, draft in drafts.items():
        now = after["drafts"][action_id]
        if action_id in raised:
            assert timeout_of(now) == TARGET and now["version"] == draft["version"] + 1
            assert _stripped(now) == _stripped(draft), action_id  # templates, headers, maps: as they were
        else:
            assert now == draft
    if share:
        assert set(_by_action(emu, DRAFT_TEMPLATE)) == raised  # the draft's own templates, read and sent inline
    rows = _rows(run)
    for action_id in raised:
        assert rows[action_id]["draft"]["status"] == "updated"
        assert rows[action_id]["draft"]["version_after"] == drafts[action_id]["version"] + 1
    rerun = role(emu, "remediate", "fix-drafts-again", extra_vars={"data_action_timeouts_drafts": "update"})
    assert emu.requests()["writes"] == 0 and rerun.report["summary"]["changed"] == 0


# ---- function data actions ------------------------------------------------------------------------
CRM, LAMBDAS = "5b0b8a8e-3f7c-4d1e-9a51-2f6a1c0e7d11", "9c41d2e0-7b1a-4f3e-8d55-0a6b2c9e1f77"


def _seed_action(suffix, name, integration, timeout, **extra):
    config = {"request": {"requestUrlTemplate": "https://crm.example.com/api/%s/${input.id}" % suffix,
                          "requestType": "POST", "headers": {"Accept": "application/json", "X-Tenant": suffix},
                          "requestTemplate": "{\"id\": \"${input.id}\", \"from\": \"%s\"}" % suffix},
              "response": {"translationMap": {"score": "$.score"}, "translationMapDefaults": {"score": "0"},
                           "successTemplate": "{\"score\": ${score}}"},
              "retryPolicy": {"attempts": 2}}
    if timeout is not None:
        config["timeoutSeconds"] = timeout
    action = {"id": "custom_-_00000000-0000-4000-8000-0000000000%s" % suffix, "name": name, "category": "Leads",
              "integrationId": integration, "secure": False, "version": 3, "config": config,
              "contract": {"input": {"inputSchema": {}}, "output": {"successSchema": {}}}}
    action.update(extra)
    return action


FUNCTION_SEED = {"orgs": [{
    "id": "edge", "name": "Edge org",
    "clients": [{"client_id": "edge-client", "client_secret": "edge-secret", "permissions": ["*"]}],
    "integrations": [{"id": CRM, "name": "CRM", "integrationType": "custom-rest-actions"},
                     {"id": LAMBDAS, "name": "Lambdas", "integrationType": "function-data-actions"}],
    "actions": [
        _seed_action("01", "Lookup account", CRM, 3),
        _seed_action("02", "Create ticket", CRM, 2, draft={"timeoutSeconds": 2, "version": 3}),
        _seed_action("03", "Score lead", LAMBDAS, 3, function_timeout_seconds=5),
        _seed_action("04", "Rank lead", LAMBDAS, 2),  # its function runs with the default 15 s
        _seed_action("05", "Enrich lead", LAMBDAS, 3, function_timeout_seconds=5, draft=True),
        _seed_action("06", "Search history", CRM, 30),
    ],
    "generate": 0}]}


def _id(suffix):
    return "custom_-_00000000-0000-4000-8000-0000000000%s" % suffix


@pytest.fixture(scope="module")
def edge_org():
    with Emulator(args=["--random-seed", "5"], seed=FUNCTION_SEED) as emu:
        yield emu


@pytest.mark.parametrize("share", [0, 1])
def test_a_function_timeout_is_set_through_draft_and_publish_rerun_idle_and_rolled_back(edge_org, role, share):
    emu = switched(edge_org, templates_by_uri=share)
    before = emu.state()["orgs"]["edge"]
    client = ("edge-client", "edge-secret")
    settings = {"data_action_timeouts_function_timeout_seconds": 10, "data_action_timeouts_target": 12,
                "data_action_timeouts_name_exclude": ["^Enrich"]}

    check = role(emu, "remediate", "fn-check-%s" % share, settings, org="edge", client=client, check=True)
    assert emu.requests()["writes"] == 0
    assert _rows(check)[_id("03")]["function_timeout_seconds_after"] == 10

    run = role(emu, "remediate", "fn-%s" % share, settings, org="edge", client=client)
    after = emu.state()["orgs"]["edge"]
    score = after["actions"][_id("03")]
    assert timeout_of(score) == 12 and after["functions"][_id("03")]["function"]["timeoutSeconds"] == 10
    # Every other field of the function, and of the action, as it was.
    function_before = before["functions"][_id("03")]["function"]
    assert dict(after["functions"][_id("03")]["function"], timeoutSeconds=5) == function_before
    for suffix in ("01", "02", "03", "04"):
        assert _stripped(after["actions"][_id(suffix)]) == _stripped(before["actions"][_id(suffix)]), suffix
    assert after["actions"][_id("05")] == before["actions"][_id("05")]  # left out by name
    assert _id("03") not in after["drafts"]  # the draft made for the function was published
    # mode at_least: the default 15 s of "Rank lead" is already at least 10.
    assert after["functions"][_id("04")]["function"].get("timeoutSeconds", 15) == 15
    counts = _counts(emu)
    assert [counts[route] for route in FUNCTION_STEPS] == [1, 1, 1, 1, 1]
    assert _by_action(emu, FUNCTION_STEPS[2]) == collections.Counter({_id("03"): 1})
    assert counts[INTEGRATION] == 2 and counts[FUNCTION] == 3  # one read per integration and per function action
    rows = _rows(run)
    assert (rows[_id("03")]["function_timeout_seconds_before"], rows[_id("03")]["function_timeout_seconds_after"]) == (5, 10)
    assert rows[_id("03")]["version_after"] == score["version"] == before["actions"][_id("03")]["version"] + 2
    summary = run.report["summary"]
    assert (summary["function_actions"], summary["above_function"]) == (3, 1)  # 12 s above its function's 10 s
    assert (summary["pending_drafts"], summary["drafts_other_timeout"]) == (2, 1)  # "Create ticket": its draft holds 2 s
    assert "above their function's own" in run.output and "publishing the draft would undo the change" in run.output

    rerun = role(emu, "remediate", "fn-again-%s" % share, settings, org="edge", client=client)
    assert emu.requests()["writes"] == 0 and rerun.report["summary"]["changed"] == 0

    role(emu, "rollback", "fn-undo-%s" % share, {
        "data_action_timeouts_rollback_report": os.path.join(run.report_dir, "edge.json")}, org="edge", client=client)
    restored = emu.state()["orgs"]["edge"]
    assert restored["functions"][_id("03")]["function"] == function_before
    for action_id, action in before["actions"].items():
        assert _stripped(restored["actions"][action_id]) == _stripped(action)
        assert timeout_of(restored["actions"][action_id]) == timeout_of(action)
    assert restored["drafts"] == before["drafts"]


def test_a_function_behind_a_pending_draft_is_left_alone_and_said_so(edge_org, run_playbook):
    emu = switched(edge_org)
    before = emu.state()["orgs"]["edge"]
    task = {"name": "enrich", "ignore_errors": True, "genesyscloud.cx.data_action_timeout": {
        "id": _id("05"), "timeout_seconds": 12, "function_timeout_seconds": 10}}
    result = run_playbook(play(emu, [task], client_id="edge-client", client_secret="edge-secret")).result("enrich")
    assert result["results"][0]["status"] == "failed" and "pending draft" in result["results"][0]["msg"]
    assert emu.requests()["writes"] == 0
    assert emu.state()["orgs"]["edge"] == before

# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesyscloud.cx contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Plans: what an approved plan applies, what a rollback restores, which files may serve, and the compact plan."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import copy
import json

import pytest

from ansible.errors import AnsibleFilterError
from ansible.utils.vars import merge_hash

from ansible_collections.genesyscloud.cx.plugins.filter.timeout_plan import (
    FilterModule,
    timeout_plan,
    timeout_plan_actions,
)
from ansible_collections.genesyscloud.cx.plugins.filter.timeout_report import timeout_report, timeout_run_report

from tests.unit.plugins.filter.conftest import STATS_OPTIONS, WHEN, action, module_result, result, schema_1

RUN_JSON = "reports/20260315T091500Z/run.json"


def _audit(audit_results, org="prod", **kwargs):
    return timeout_report(audit_results, org=org, mode="audit", check_mode=True, run_id="r1", generated_at=WHEN,
                          use_stats=True, stats_options=STATS_OPTIONS, **kwargs)


def _refused(message, *args, **kwargs):
    with pytest.raises(AnsibleFilterError) as caught:
        timeout_plan_actions(*args, **kwargs)
    assert message in str(caught.value), str(caught.value)


def test_filter_names():
    assert set(FilterModule().filters()) == {"timeout_plan", "timeout_plan_actions"}


# ---------------------------------------------------------------- apply

def test_apply_from_an_audit_takes_the_would_update_rows_at_their_audited_version(audit_results):
    assert timeout_plan_actions(_audit(audit_results), "apply") == [
        {"id": "custom_-_a", "timeout_seconds": 10, "version": 2},
        {"id": "custom_-_b", "timeout_seconds": 10, "version": 4},
    ]


def test_apply_from_a_check_mode_run_takes_its_would_update_rows(data_actions, check_results):
    report = timeout_report(data_actions, check_results, mode="remediate", check_mode=True)
    plan = timeout_plan_actions(report)
    assert sorted(p["id"] for p in plan) == ["custom_-_a", "custom_-_b", "custom_-_c"]
    assert {"id": "custom_-_b", "timeout_seconds": 10, "version": 4} in plan


def test_apply_from_a_check_mode_rollback_may_remove_a_timeout():
    results = [module_result("custom_-_a", "A", "would_update", 10, None, 6, None, "timeout 10 s -> unset (60 s)")]
    report = timeout_report(results, mode="rollback", check_mode=True)
    assert timeout_plan_actions(report, "apply") == [{"id": "custom_-_a", "timeout_seconds": None, "version": 6}]


def test_a_would_update_row_that_changes_nothing_is_not_applied():
    results = [module_result("custom_-_a", "A", "would_update", 10, 10, 6, None)]
    assert timeout_plan_actions(timeout_report(results, mode="audit"), "apply") == []


def test_apply_reads_the_at_risk_rows_of_a_schema_1_audit(data_actions):
    old = schema_1(timeout_report(data_actions, mode="audit", target=12, generated_at=WHEN))
    assert [row["status"] for row in old["rows"]].count("at_risk") == 2
    assert timeout_plan_actions(old, "apply", source="old/prod.json") == [
        {"id": "custom_-_a", "timeout_seconds": 12, "version": 2},
        {"id": "custom_-_b", "timeout_seconds": 12, "version": 4},
    ]


def test_apply_refuses_a_run_that_wrote_changes_and_names_the_file(data_actions, real_results):
    report = timeout_report(data_actions, real_results, org="prod", mode="remediate")
    _refused("reports/x/prod.json is the report of a remediate run that was not a dry run; an approved plan is the "
             "JSON report of an audit or of a check-mode run, or the plan from genesyscloud.cx.timeout_plan",
             report, "apply", source="reports/x/prod.json")
    _refused("the report is the report of a remediate run", report, "apply")


# ---------------------------------------------------------------- rollback

def test_rollback_restores_before_at_the_version_the_update_left(data_actions, real_results):
    results = real_results + [result("custom_-_e", "Validate card", "updated", None, 10, 9, 10)]
    report = timeout_report(data_actions, results, mode="remediate")
    assert timeout_plan_actions(report, "rollback") == [
        {"id": "custom_-_a", "timeout_seconds": 1, "version": 3},
        # unset before: null removes the explicit setting again
        {"id": "custom_-_e", "timeout_seconds": None, "version": 10},
    ]


def test_a_right_size_run_can_be_rolled_back():
    results = [module_result("custom_-_a", "A", "updated", None, 2, 3, 4, "timeout unset (60 s) -> 2 s")]
    report = timeout_report(results, mode="right_size", target="recommended")
    assert timeout_plan_actions(report, "rollback") == [{"id": "custom_-_a", "timeout_seconds": None, "version": 4}]


def test_rollback_refuses_what_changed_nothing(audit_results, data_actions, check_results):
    _refused("r.json is the report of an audit, which changed nothing; only a remediate, right_size or rollback run "
             "that wrote changes can be rolled back", _audit(audit_results), "rollback", source="r.json")
    check = timeout_report(data_actions, check_results, mode="remediate", check_mode=True)
    _refused("r.json is the report of a remediate run in check mode, which changed nothing", check, "rollback",
             source="r.json")
    _refused("p.json is the plan of a dry run (audit), which changed nothing; only the report or the plan of a run "
             "that wrote changes can be rolled back", timeout_plan(_audit(audit_results)), "rollback", source="p.json")
    _refused("p.json is the plan of a dry run (remediate in check mode)", timeout_plan(check), "rollback",
             source="p.json")


def test_a_schema_1_run_of_0_1_0_can_still_be_rolled_back(data_actions, real_results):
    old = schema_1(timeout_report(data_actions, real_results, mode="remediate"))
    assert timeout_plan_actions(old, "rollback") == [{"id": "custom_-_a", "timeout_seconds": 1, "version": 3}]


# ---------------------------------------------------------------- which org

def _run(audit_results):
    return timeout_run_report([_audit(audit_results, org="prod"), _audit(audit_results, org="dev")])


def test_a_run_report_must_hold_the_org(audit_results):
    run = _run(audit_results)
    assert timeout_plan_actions(run, "apply", org="dev") == timeout_plan_actions(_audit(audit_results), "apply")
    _refused("%s has no report for org 'qa' (it has: 'dev', 'prod')" % RUN_JSON, run, "apply", org="qa",
             source=RUN_JSON)
    _refused("%s is a run report with 2 orgs: pass org=<name> to pick one (it has: 'dev', 'prod')" % RUN_JSON,
             run, "apply", source=RUN_JSON)
    _refused("prod.json is the report of org 'prod', not of 'dev'", _audit(audit_results), "apply", org="dev",
             source="prod.json")


def test_a_malformed_row_is_named_with_the_file_the_org_and_the_action(audit_results, data_actions, real_results):
    report = _audit(audit_results)
    broken = copy.deepcopy(report)
    [row for row in broken["rows"] if row["id"] == "custom_-_b"][0]["version_before"] = None
    _refused("%s: org 'prod', rows[3] (action custom_-_b) has no version_before to pin the change to" % RUN_JSON,
             broken, "apply", source=RUN_JSON)
    broken = copy.deepcopy(report)
    [row for row in broken["rows"] if row["id"] == "custom_-_a"][0]["timeout_seconds_after"] = 75
    _refused("(action custom_-_a): the timeout must be a number of seconds from 1 to 60 or null, got 75", broken,
             "apply")
    done = timeout_report(data_actions, real_results, org="prod", mode="remediate")
    [row for row in done["rows"] if row["id"] == "custom_-_a"][0]["version_after"] = "three"
    _refused("x.json: org 'prod', rows[2] (action custom_-_a): version_after must be an integer or null, got 'three'",
             done, "rollback", source="x.json")


def test_plan_refuses_an_unknown_purpose_and_a_non_report(data_actions):
    _refused("purpose must be 'apply' or 'rollback'", timeout_report(data_actions), "undo")
    # A string is the path of a report, a plan or a journal: one that cannot be read is named.
    _refused("cannot read report.json: No such file or directory", "report.json", "rollback")
    _refused("the report must be a timeout report (a dict), got int", 42, "rollback")
    _refused("f.json has schema_version None", {"org": "x"}, "rollback", source="f.json")


# ---------------------------------------------------------------- the compact plan

def test_the_plan_holds_only_what_would_change(audit_results):
    plan = timeout_plan(_audit(audit_results))
    assert list(plan) == ["schema_version", "report_type", "run_id", "mode", "check_mode", "generated_at", "orgs"]
    assert (plan["schema_version"], plan["report_type"], plan["run_id"], plan["mode"], plan["check_mode"],
            plan["generated_at"]) == (2, "plan", "r1", "audit", True, WHEN)
    assert plan["orgs"] == {"prod": {
        "mode": "audit", "check_mode": True, "threshold": 3, "target": 10,
        "actions": [
            {"id": "custom_-_a", "name": "Get order", "timeout_seconds": 10, "version": 2, "timeout_seconds_before": 1},
            {"id": "custom_-_b", "name": "Lookup account", "timeout_seconds": 10, "version": 4,
             "timeout_seconds_before": 3}],
        "summary": {"actions": 8, "low": 3, "changed": 2, "not_selected": 1,
                    "by_verdict": {"timing_out": 1, "at_risk": 1, "oversized": 1, "ok": 1, "no_data": 1}}}}
    assert timeout_plan_actions(plan, "apply") == timeout_plan_actions(_audit(audit_results), "apply")
    assert json.loads(json.dumps(plan)) == plan


def test_a_plan_of_2000_actions_with_50_changes_stays_small():
    results = []
    for index in range(2000):
        action_id = "custom_-_%08x-2f34-4a54-9d5c-4c6f1d1f8a10" % index
        low = index % 40 == 0
        results.append(module_result(action_id, "Lookup customer account %04d (Salesforce)" % index,
                                     "would_update" if low else "ok", 2 if low else 30, 10 if low else 30, 7, None,
                                     "timeout 2 s -> 10 s" if low else "timeout 30 s is above 3 s"))
    report = timeout_report(results, org="prod-eu", mode="audit", check_mode=True, generated_at=WHEN)
    plan = timeout_plan(report)
    assert len(plan["orgs"]["prod-eu"]["actions"]) == 50
    # About 170 bytes per change with these long ids and names, and nothing per unchanged action.
    size = len(json.dumps(plan, separators=(",", ":")))
    assert size < 10 * 1024, size
    # The report it comes from is a hundred times larger.
    assert len(json.dumps(report, separators=(",", ":"))) > 50 * size


def test_plans_of_each_org_merge_like_set_stats_aggregates_them(audit_results, data_actions):
    # The role publishes each org's plan with set_stats (aggregate: true), which merges dicts recursively.
    prod = timeout_plan(_audit(audit_results, org="prod"))
    dev = timeout_plan(timeout_report(data_actions, org="dev", mode="audit", run_id="r1", generated_at=WHEN))
    merged = merge_hash(merge_hash({}, prod), dev)
    assert sorted(merged["orgs"]) == ["dev", "prod"]
    assert timeout_plan_actions(merged, "apply", org="prod", source="extra vars") == \
        timeout_plan_actions(_audit(audit_results), "apply")
    assert timeout_plan_actions(merged, "apply", org="dev") == [
        {"id": "custom_-_a", "timeout_seconds": 10, "version": 2},
        {"id": "custom_-_b", "timeout_seconds": 10, "version": 4}]
    _refused("extra vars has no plan for org 'qa' (it has: 'dev', 'prod')", merged, "apply", org="qa",
             source="extra vars")
    _refused("extra vars is a plan for 2 orgs: pass org=<name> to pick one", merged, "apply", source="extra vars")


def test_a_run_report_gives_one_plan_for_every_org(audit_results):
    plan = timeout_plan(_run(audit_results))
    assert sorted(plan["orgs"]) == ["dev", "prod"] and plan["run_id"] == "r1"


def test_the_plan_of_a_run_that_wrote_lists_its_changes_for_a_rollback_never_for_apply(data_actions, real_results):
    # The role publishes a plan after every run; after a real run it holds what the run changed.
    results = real_results + [result("custom_-_e", "Validate card", "updated", None, 10, 9, 10)]
    report = timeout_report(data_actions, results, org="prod", mode="remediate", generated_at=WHEN)
    plan = timeout_plan(report)
    assert (plan["mode"], plan["check_mode"]) == ("remediate", False)
    assert plan["orgs"]["prod"]["actions"] == [
        {"id": "custom_-_a", "name": "Get order", "timeout_seconds": 10, "version": 3, "timeout_seconds_before": 1},
        {"id": "custom_-_e", "name": "Validate card", "timeout_seconds": 10, "version": 10,
         "timeout_seconds_before": None}]
    assert timeout_plan_actions(plan, "rollback") == timeout_plan_actions(report, "rollback") == [
        {"id": "custom_-_a", "timeout_seconds": 1, "version": 3},
        {"id": "custom_-_e", "timeout_seconds": None, "version": 10}]
    _refused("artifact is the plan of a remediate run that was not a dry run (it lists the changes that run made); "
             "an approved plan comes from an audit or a check-mode run", plan, "apply", source="artifact")
    # A plan edited by hand to claim a dry run still carries only what it carries; one claiming a real run is refused.
    dry = timeout_plan(timeout_report(data_actions, org="prod", mode="audit"))
    dry["orgs"]["prod"].update(mode="remediate", check_mode=False)
    _refused("p.json is the plan of a remediate run that was not a dry run", dry, "apply", source="p.json")
    del plan["orgs"]["prod"]["actions"][0]["timeout_seconds_before"]
    _refused("p.json: org 'prod', actions[0] (action custom_-_a) has no timeout_seconds_before", plan, "rollback",
             source="p.json")


def test_a_malformed_plan_is_named(audit_results):
    plan = timeout_plan(_audit(audit_results))
    broken = copy.deepcopy(plan)
    broken["orgs"]["prod"]["actions"][1]["version"] = None
    _refused("p.json: org 'prod', actions[1] (action custom_-_b) has no version to pin the change to", broken, "apply",
             source="p.json")
    broken = copy.deepcopy(plan)
    del broken["orgs"]["prod"]["actions"][0]["timeout_seconds"]
    _refused("p.json: org 'prod', actions[0] (action custom_-_a) has no timeout_seconds", broken, "apply",
             source="p.json")
    broken = copy.deepcopy(plan)
    broken["schema_version"] = 1
    _refused("p.json is a plan with schema_version 1", broken, "apply", source="p.json")
    broken = copy.deepcopy(plan)
    broken["orgs"] = [broken["orgs"]["prod"]]
    _refused("p.json is a plan whose orgs is not a dict", broken, "apply", source="p.json")


def test_an_org_whose_audit_failed_says_so_in_the_plan():
    report = timeout_report([action("custom_-_a", "A", 30)], org="prod", mode="audit")
    report["error"] = "HTTP 403 integrations:action:view"
    assert timeout_plan(report)["orgs"]["prod"]["error"] == "HTTP 403 integrations:action:view"

# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesyscloud.cx contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The org and run reports: statuses, counts, distribution, plans, validation."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import copy
import json

import pytest

from ansible.errors import AnsibleFilterError

from ansible_collections.genesyscloud.cx.plugins.filter.timeout_report import (
    FilterModule,
    timeout_plan_actions,
    timeout_report,
    timeout_run_report,
)

from tests.unit.plugins.filter.conftest import WHEN, action, result


def _rows(report):
    return dict((row["id"], row) for row in report["rows"])


def _buckets(report, key):
    return dict((entry["bucket"], entry[key]) for entry in report["summary"]["distribution"])


def test_the_filter_plugin_exposes_the_contract_names():
    assert set(FilterModule().filters()) == {"timeout_report", "timeout_run_report", "timeout_plan_actions"}


def test_audit_flags_low_effective_timeouts_and_plans_the_target(data_actions):
    report = timeout_report(data_actions, org="prod", mode="audit", threshold=3, target=10, run_id="r1",
                            generated_at=WHEN)
    rows = _rows(report)
    # custom_-_c is unset: it runs with the 60 s default, so it is not low.
    assert [rows[i]["status"] for i in ("custom_-_a", "custom_-_b", "custom_-_c", "custom_-_d", "custom_-_e")] == \
        ["at_risk", "at_risk", "ok", "ok", "ok"]
    assert rows["custom_-_b"]["timeout_seconds_after"] == 10
    assert rows["custom_-_b"]["effective_timeout_seconds_after"] == 10
    assert rows["custom_-_b"]["version_before"] == 4 and rows["custom_-_b"]["version_after"] is None
    assert rows["custom_-_b"]["msg"] == "timeout 3 s is at or below 3 s; remediation would set 10 s"
    assert rows["custom_-_c"]["timeout_seconds_before"] is None and rows["custom_-_c"]["timeout_seconds_after"] is None
    assert rows["custom_-_c"]["effective_timeout_seconds_before"] == 60
    assert rows["custom_-_c"]["effective_timeout_seconds_after"] == 60
    assert rows["custom_-_d"]["timeout_seconds_after"] == 30
    assert rows["static_-_x"]["status"] == "not_applicable"
    assert rows["customAuth_-_int-1"]["status"] == "not_applicable"
    summary = report["summary"]
    assert (summary["actions"], summary["at_risk"], summary["changed"]) == (7, 2, 2)
    assert summary["by_status"]["at_risk"] == 2 and summary["by_status"]["not_applicable"] == 2
    assert (report["schema_version"], report["report_type"], report["org"], report["mode"], report["run_id"]) == \
        (2, "org", "prod", "audit", "r1")
    assert "include_unset" not in report


def test_unset_is_low_only_at_a_threshold_of_60_and_then_already_at_any_target(data_actions):
    assert _rows(timeout_report(data_actions, threshold=59, target=59))["custom_-_c"]["status"] == "ok"
    # At 60 every timeout is "low", but an unset one already runs at 60: nothing a raise would do.
    rows = _rows(timeout_report(data_actions, threshold=60, target=60))
    assert rows["custom_-_c"]["status"] == "ok"
    assert rows["custom_-_d"]["status"] == "at_risk" and rows["custom_-_d"]["timeout_seconds_after"] == 60


def test_threshold_is_inclusive_and_options_accept_extra_var_strings(data_actions):
    # -e data_action_timeouts_threshold=4 arrives as a string
    report = timeout_report(data_actions, threshold="4", target="15", check_mode="false")
    rows = _rows(report)
    assert rows["custom_-_e"]["status"] == "at_risk" and rows["custom_-_e"]["timeout_seconds_after"] == 15
    assert report["threshold"] == 4 and report["check_mode"] is False


def test_distribution_buckets_custom_actions_before_and_after(data_actions):
    report = timeout_report(data_actions, target=10)
    before, after = _buckets(report, "before"), _buckets(report, "after")
    # "unset" runs at 60 s: it comes after 31-60.
    assert list(before) == ["1-3", "4-5", "6-10", "11-20", "21-30", "31-60", "unset"]
    # static and auth actions have no settable timeout: they are not counted as "unset"
    assert before == {"1-3": 2, "4-5": 1, "6-10": 0, "11-20": 0, "21-30": 1, "31-60": 0, "unset": 1}
    assert after == {"1-3": 0, "4-5": 1, "6-10": 2, "11-20": 0, "21-30": 1, "31-60": 0, "unset": 1}


def test_real_remediation_takes_the_module_statuses(data_actions, real_results):
    report = timeout_report(data_actions, real_results, mode="remediate")
    rows = _rows(report)
    assert rows["custom_-_a"]["status"] == "updated"
    assert (rows["custom_-_a"]["timeout_seconds_before"], rows["custom_-_a"]["timeout_seconds_after"]) == (1, 10)
    assert (rows["custom_-_a"]["version_before"], rows["custom_-_a"]["version_after"]) == (2, 3)
    # the module's fresh read wins over the earlier listing
    assert rows["custom_-_b"]["status"] == "drifted" and rows["custom_-_b"]["version_before"] == 5
    assert rows["custom_-_c"]["status"] == "failed" and "HTTP 500" in rows["custom_-_c"]["msg"]
    assert rows["custom_-_e"]["status"] == "ok"
    summary = report["summary"]
    assert summary["changed"] == 1
    assert summary["by_status"]["drifted"] == 1 and summary["by_status"]["failed"] == 1
    # the failed and the drifted action keep their timeouts in the "after" distribution
    assert _buckets(report, "after")["unset"] == 1 and _buckets(report, "after")["1-3"] == 1


def test_low_actions_the_run_did_not_touch_are_not_selected(data_actions):
    results = [result("custom_-_a", "Get order", "updated", 1, 10, 2, 3)]
    report = timeout_report(data_actions, results, mode="remediate")
    rows = _rows(report)
    assert rows["custom_-_b"]["status"] == "not_selected"
    assert rows["custom_-_b"]["timeout_seconds_after"] == 3
    assert "not part of this run" in rows["custom_-_b"]["msg"]


def test_a_result_for_an_action_the_listing_missed_still_gets_a_row(data_actions):
    results = [result("custom_-_z", "Hidden", "updated", 2, 10, 1, 2)]
    report = timeout_report(data_actions, results, mode="remediate")
    row = _rows(report)["custom_-_z"]
    assert (row["name"], row["status"], row["timeout_seconds_before"], row["timeout_seconds_after"]) == \
        ("Hidden", "updated", 2, 10)


def test_empty_org_gives_an_empty_but_complete_report():
    report = timeout_report([], org="empty", generated_at=WHEN)
    assert report["rows"] == []
    assert report["summary"]["actions"] == 0 and report["summary"]["changed"] == 0
    assert all(count == 0 for count in report["summary"]["by_status"].values())
    assert timeout_plan_actions(report, "apply") == []
    assert timeout_report(None)["rows"] == []


def test_report_is_deterministic_sorted_and_json_round_trips(data_actions, real_results):
    first = timeout_report(data_actions, real_results, mode="remediate", generated_at=WHEN, run_id="r")
    shuffled = timeout_report(list(reversed(data_actions)), list(reversed(real_results)), mode="remediate",
                              generated_at=WHEN, run_id="r")
    assert json.dumps(first, sort_keys=True) == json.dumps(shuffled, sort_keys=True)
    assert [row["name"] for row in first["rows"]] == sorted((row["name"] for row in first["rows"]), key=str.casefold)
    assert json.loads(json.dumps(first)) == first


def test_generated_at_is_utc_iso_and_the_default_run_id_derives_from_it(data_actions):
    report = timeout_report(data_actions)
    assert report["generated_at"].endswith("Z") and "T" in report["generated_at"]
    assert report["run_id"] == report["generated_at"].replace("-", "").replace(":", "")


def test_api_base_url_never_carries_credentials(data_actions):
    report = timeout_report(data_actions, api_base_url="https://user:s3cret@api.mypurecloud.ie:443/?token=abc")
    assert report["api_base_url"] == "https://api.mypurecloud.ie:443/"
    assert "s3cret" not in json.dumps(report) and "abc" not in json.dumps(report)


@pytest.mark.parametrize("kwargs, message", [
    ({"mode": "fix"}, "mode must be one of audit, remediate, rollback"),
    ({"threshold": 0}, "threshold must be a number of seconds from 1 to 60"),
    ({"target": 61}, "target must be a number of seconds from 1 to 60"),
    ({"target": "ten"}, "target must be an integer"),
    ({"check_mode": "maybe"}, "check_mode must be a boolean"),
    ({"results": {"id": "x"}}, "results must be the list results"),
    ({"results": [{"id": "custom_-_a", "status": "done"}]}, "results[0].status must be one of"),
])
def test_bad_arguments_are_named(data_actions, kwargs, message):
    with pytest.raises(AnsibleFilterError) as caught:
        timeout_report(data_actions, **kwargs)
    assert message in str(caught.value)


def test_bad_data_actions_are_named():
    with pytest.raises(AnsibleFilterError, match=r"data_actions\[1\] has no id"):
        timeout_report([action("custom_-_a", "A", 3), {"name": "no id"}])
    with pytest.raises(AnsibleFilterError, match="expects the list data_actions"):
        timeout_report({"data_actions": []})


# ---------------------------------------------------------------- run report

def _three_orgs(data_actions, real_results, check_results):
    return [
        timeout_report(data_actions, real_results, org="prod", mode="remediate", run_id="run-1", generated_at=WHEN),
        timeout_report(data_actions, check_results, org="Dev", mode="remediate", run_id="run-1", generated_at=WHEN),
        timeout_report([], org="empty", mode="remediate", run_id="run-1", generated_at=WHEN),
    ]


def test_run_report_sums_the_orgs_and_sorts_them(data_actions, real_results, check_results):
    orgs = _three_orgs(data_actions, real_results, check_results)
    run = timeout_run_report(orgs + [None], generated_at=WHEN)
    assert [org["org"] for org in run["orgs"]] == ["Dev", "empty", "prod"]
    assert (run["schema_version"], run["report_type"], run["run_id"], run["mode"], run["check_mode"]) == \
        (2, "run", "run-1", "remediate", False)
    totals = run["totals"]
    assert (totals["orgs"], totals["actions"], totals["at_risk"], totals["changed"]) == (3, 14, 4, 4)
    assert totals["by_status"]["would_update"] == 3 and totals["by_status"]["failed"] == 1
    assert (totals["orgs_with_failures"], totals["orgs_with_drift"]) == (1, 1)
    assert dict((e["bucket"], e["before"]) for e in totals["distribution"])["1-3"] == 4
    assert json.loads(json.dumps(run)) == run


def test_run_report_accepts_a_host_mapping_and_reports_mixed_modes(data_actions):
    audit = timeout_report(data_actions, org="a", mode="audit", run_id="x", generated_at=WHEN)
    rollback = timeout_report(data_actions, [], org="b", mode="rollback", run_id="y", generated_at=WHEN)
    run = timeout_run_report({"b": rollback, "a": audit}, run_id="given", generated_at=WHEN)
    assert run["mode"] == "mixed" and run["run_id"] == "given"
    assert [org["org"] for org in run["orgs"]] == ["a", "b"]


def test_run_report_refuses_something_that_is_not_an_org_report(data_actions):
    with pytest.raises(AnsibleFilterError, match=r"org_reports\[0\] has schema_version None"):
        timeout_run_report([{"org": "x"}])


# ---------------------------------------------------------------- plans

def test_apply_plan_from_an_audit_takes_at_risk_rows_at_their_audited_version(data_actions):
    report = timeout_report(data_actions, mode="audit", target=12)
    assert timeout_plan_actions(report, "apply") == [
        {"id": "custom_-_a", "timeout_seconds": 12, "version": 2},
        {"id": "custom_-_b", "timeout_seconds": 12, "version": 4},
    ]
    assert timeout_plan_actions(report, "rollback") == []


def test_apply_plan_from_check_mode_takes_would_update_rows(data_actions, check_results):
    report = timeout_report(data_actions, check_results, mode="remediate", check_mode=True)
    plan = timeout_plan_actions(report)
    assert sorted(p["id"] for p in plan) == ["custom_-_a", "custom_-_b", "custom_-_c"]
    assert {"id": "custom_-_b", "timeout_seconds": 10, "version": 4} in plan


def test_rollback_plan_restores_before_at_the_version_the_update_left(data_actions, real_results):
    results = real_results + [result("custom_-_e", "Validate card", "updated", None, 10, 9, 10)]
    report = timeout_report(data_actions, results, mode="remediate")
    assert timeout_plan_actions(report, "rollback") == [
        {"id": "custom_-_a", "timeout_seconds": 1, "version": 3},
        # unset before: null removes the explicit setting again
        {"id": "custom_-_e", "timeout_seconds": None, "version": 10},
    ]
    # drifted and failed rows changed nothing, so there is nothing to apply or undo for them
    assert timeout_plan_actions(report, "apply") == []


def test_plans_read_a_run_report_loaded_back_from_json(data_actions, real_results, check_results):
    run = json.loads(json.dumps(timeout_run_report(_three_orgs(data_actions, real_results, check_results))))
    expected = [{"id": "custom_-_a", "timeout_seconds": 1, "version": 3}]
    assert timeout_plan_actions(run, "rollback", org="prod") == expected
    with pytest.raises(AnsibleFilterError, match=r"pass org=<name> to pick one \(Dev, empty, prod\)"):
        timeout_plan_actions(run, "rollback")
    with pytest.raises(AnsibleFilterError, match="run report has no org 'qa'"):
        timeout_plan_actions(run, "rollback", org="qa")
    single = timeout_run_report([run["orgs"][2]])
    assert timeout_plan_actions(single, "rollback") == [{"id": "custom_-_a", "timeout_seconds": 1, "version": 3}]


@pytest.mark.parametrize("damage, message", [
    (lambda r: r.update(schema_version=3), "report has schema_version 3; this collection reads schema_version 1 or 2"),
    (lambda r: r.pop("rows"), "report is missing key(s): rows"),
    (lambda r: r["rows"][0].pop("version_after"), "report.rows[0] (id customAuth_-_int-1) is missing key(s): version_after"),
    (lambda r: r["rows"][0].update(status="done"), "report.rows[0] (id customAuth_-_int-1) has unknown status 'done'"),
])
def test_malformed_reports_are_refused_naming_what_is_wrong(data_actions, real_results, damage, message):
    report = timeout_report(data_actions, real_results, mode="remediate")
    report["rows"].sort(key=lambda row: row["id"])
    broken = copy.deepcopy(report)
    damage(broken)
    with pytest.raises(AnsibleFilterError) as caught:
        timeout_plan_actions(broken, "rollback")
    assert message in str(caught.value)


def test_plan_refuses_an_unknown_purpose_and_a_non_report(data_actions):
    with pytest.raises(AnsibleFilterError, match="purpose must be 'apply' or 'rollback'"):
        timeout_plan_actions(timeout_report(data_actions), "undo")
    with pytest.raises(AnsibleFilterError, match="must be a timeout report"):
        timeout_plan_actions("report.json", "rollback")


def test_a_schema_1_report_of_0_1_0_can_still_be_rolled_back(data_actions, real_results):
    report = timeout_report(data_actions, real_results, mode="remediate")
    old = copy.deepcopy(report)
    old.update(schema_version=1, include_unset=True)
    for row in old["rows"]:
        del row["effective_timeout_seconds_before"], row["effective_timeout_seconds_after"]
    assert timeout_plan_actions(old, "rollback") == [{"id": "custom_-_a", "timeout_seconds": 1, "version": 3}]

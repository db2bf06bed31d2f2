# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesyscloud.cx contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The org and run reports: statuses as the module decided them, observed times, tests, counts, schema 1."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import copy
import json

import pytest

from ansible.errors import AnsibleFilterError

from ansible_collections.genesyscloud.cx.plugins.filter.timeout_report import (
    FilterModule,
    timeout_report,
    timeout_run_report,
)
from ansible_collections.genesyscloud.cx.plugins.plugin_utils import _org_reports, _report_reading
from ansible_collections.genesyscloud.cx.plugins.plugin_utils import _reports

from tests.unit.plugins.filter.conftest import (
    STATS_OPTIONS,
    WHEN,
    action,
    action_test,
    module_result,
    result,
    schema_1,
    stats,
)


def _rows(report):
    return dict((row["id"], row) for row in report["rows"])


def _buckets(report, key):
    return dict((entry["bucket"], entry[key]) for entry in report["summary"]["distribution"])


def _audit(audit_results, **kwargs):
    options = dict(org="prod", mode="audit", check_mode=True, threshold=3, target=10, run_id="r1",
                   generated_at=WHEN, use_stats=True, stats_options=STATS_OPTIONS)
    options.update(kwargs)
    return timeout_report(audit_results, **options)


def test_the_filter_plugin_exposes_the_contract_names():
    assert set(FilterModule().filters()) == {"timeout_report", "timeout_run_report"}


# ---------------------------------------------------------------- from the module's results

def test_rows_take_the_module_status_and_observed_times_as_they_are(audit_results):
    report = _audit(audit_results)
    rows = _rows(report)
    assert dict((i, r["status"]) for i, r in rows.items()) == {
        "custom_-_a": "would_update", "custom_-_b": "would_update", "custom_-_c": "ok", "custom_-_d": "ok",
        "custom_-_e": "not_selected", "custom_-_f": "ok", "static_-_x": "not_applicable",
        "customAuth_-_int-1": "not_applicable"}
    a = rows["custom_-_a"]
    assert (a["timeout_seconds_before"], a["timeout_seconds_after"], a["version_before"], a["version_after"]) == \
        (1, 10, 2, None)
    assert (a["effective_timeout_seconds_before"], a["effective_timeout_seconds_after"]) == (1, 10)
    assert a["stats"] == {"executions": 400, "mean_ms": 500, "p95_ms": 1000, "p99_ms": 1000, "max_ms": 1000,
                          "reached_timeout": 40}
    assert (a["verdict"], a["recommended_timeout_seconds"]) == ("timing_out", 4)
    assert a["recommendation"].startswith("40 of 400 executions")
    assert a["verify"] is None and a["msg"] == "timeout 1 s -> 10 s"
    c = rows["custom_-_c"]
    assert (c["timeout_seconds_before"], c["effective_timeout_seconds_before"], c["verdict"]) == (None, 60, "oversized")
    assert rows["custom_-_f"]["stats"] is None and rows["custom_-_f"]["verdict"] is None
    assert set(a) == set(_reports.ROW_KEYS + _reports.ROW_OBSERVED_KEYS + _reports.ROW_EDGE_KEYS + _reports.ROW_FLOW_KEYS + (
        "effective_timeout_seconds_before", "effective_timeout_seconds_after", "verify"))
    # Without function timeouts read or drafts listed, the row says nothing of them.
    assert (a["function_timeout_seconds_before"], a["function_timeout_seconds_after"], a["draft"]) == (None, None, None)


def test_the_org_report_records_its_settings(audit_results):
    report = _audit(audit_results, warnings=["analytics: slow  answer\n(12 s)"],
                    api_base_url="https://api.mypurecloud.ie")
    assert (report["schema_version"], report["report_type"], report["org"], report["mode"], report["check_mode"]) == \
        (2, "org", "prod", "audit", True)
    assert (report["threshold"], report["target"], report["use_stats"]) == (3, 10, True)
    assert report["stats_options"] == STATS_OPTIONS
    assert report["warnings"] == ["analytics: slow answer (12 s)"]
    assert list(report) == ["schema_version", "report_type", "run_id", "org", "api_base_url", "mode", "check_mode",
                            "threshold", "target", "use_stats", "stats_options", "warnings", "generated_at",
                            "rate_limit", "since_last_run", "summary", "rows"]
    assert report["rate_limit"] is None, "set by the role from the module's result"
    assert report["since_last_run"] is None, "set by the role's org task, which compares with the last run"


def test_the_summary_counts_low_changes_statuses_and_verdicts(audit_results):
    summary = _audit(audit_results)["summary"]
    # low: custom actions whose effective timeout was at most 3 s: a (1 s), b (3 s), e (2 s); unset c runs at 60 s.
    assert (summary["actions"], summary["low"], summary["changed"], summary["restored"]) == (8, 3, 2, 0)
    assert summary["by_status"] == {"updated": 0, "would_update": 2, "drifted": 0, "failed": 0, "unknown": 0, "not_attempted": 0,
                                    "unchanged": 0, "not_selected": 1, "not_requested": 0, "ok": 3, "not_applicable": 2}
    assert list(summary["by_status"]) == list(_reports.STATUSES)
    # custom actions only: the static action's no_data does not count, f has no verdict
    assert summary["by_verdict"] == {"timing_out": 1, "at_risk": 1, "oversized": 1, "ok": 1, "no_data": 1}
    assert list(summary["by_verdict"]) == ["timing_out", "at_risk", "oversized", "ok", "no_data"]
    assert summary["verify"] is None
    assert _buckets({"summary": summary}, "after") == {"1-3": 1, "4-5": 1, "6-10": 2, "11-20": 0, "21-30": 1,
                                                       "31-60": 0, "unset": 1}


def test_the_report_does_not_re_decide_what_the_module_decided(audit_results):
    # The run's rule picked by verdict: a low timeout it left alone is "ok", and stays so; it still counts as low.
    results = [module_result("custom_-_z", "Low but fine", "ok", 1, 1, 5, 5, "verdict ok is not timing_out")]
    report = timeout_report(results, mode="remediate", threshold=3, target="recommended")
    row = report["rows"][0]
    assert (row["status"], row["timeout_seconds_after"], row["msg"]) == ("ok", 1, "verdict ok is not timing_out")
    assert report["summary"]["low"] == 1 and report["summary"]["changed"] == 0


def test_not_requested_rows_are_neutral_context(audit_results):
    results = [module_result("custom_-_a", "Get order", "updated", 1, 5, 2, 3),
               module_result("custom_-_b", "Lookup account", "not_requested", 3, 3, 4, 4, "not among the actions given")]
    report = timeout_report(results, mode="remediate", generated_at=WHEN)
    assert report["summary"]["by_status"]["not_requested"] == 1 and report["summary"]["changed"] == 1


def test_without_stats_there_are_no_verdict_counts(audit_results):
    report = _audit(audit_results, use_stats=False)
    assert report["use_stats"] is False and report["stats_options"] is None
    assert report["summary"]["by_verdict"] is None
    # Results without observed keys (no stats asked) make use_stats false by default.
    plain = timeout_report([result("custom_-_a", "A", "updated", 1, 10, 2, 3)], mode="remediate")
    assert plain["use_stats"] is False and plain["rows"][0]["stats"] is None
    assert _audit(audit_results, use_stats=None)["use_stats"] is True


def test_right_size_and_recommended_targets_are_recorded(audit_results):
    report = _audit(audit_results, mode="right_size", check_mode=True, target="recommended")
    assert (report["mode"], report["target"]) == ("right_size", "recommended")


def test_a_rollback_counts_what_it_restored():
    results = [module_result("custom_-_a", "A", "updated", 10, 1, 3, 4, "timeout 10 s -> 1 s"),
               module_result("custom_-_b", "B", "updated", 10, None, 5, 6, "timeout 10 s -> unset (60 s)"),
               module_result("custom_-_c", "C", "drifted", 10, 10, 8, 8),
               module_result("custom_-_d", "D", "not_requested", 2, 2, 1, 1)]
    summary = timeout_report(results, mode="rollback")["summary"]
    assert (summary["restored"], summary["changed"]) == (2, 2)


# ---------------------------------------------------------------- tests before and after

def test_test_outcomes_are_kept_short_and_never_copy_output(audit_results):
    before = [action_test("custom_-_a", "Get order", False, 1004, timed_out=True,
                          error={"status": 504, "code": "action.timeout", "message": "The action timed out | after 1000 ms"}),
              action_test("custom_-_b", "Lookup account", True, 2100),
              action_test("custom_-_zz", "Gone", True, 10)]
    after = [action_test("custom_-_a", "Get order", True, 1210),
             action_test("custom_-_b", "Lookup account", False, 800, error={"message": "x" * 500, "details": "secret"}),
             action_test("custom_-_c", "Create case", None, None, skipped=True)]
    report = _audit(audit_results, verify_before=before, verify_after=after)
    rows = _rows(report)
    assert rows["custom_-_a"]["verify"] == {
        "before": {"success": False, "timed_out": True, "duration_ms": 1004,
                   "error": "HTTP 504: The action timed out | after 1000 ms"},
        "after": {"success": True, "timed_out": False, "duration_ms": 1210, "error": None}}
    assert len(rows["custom_-_b"]["verify"]["after"]["error"]) == _reports.MAX_ERROR_TEXT
    # A test that did not run (check mode) is no outcome.
    assert rows["custom_-_c"]["verify"] is None and rows["custom_-_d"]["verify"] is None
    text = json.dumps(report)
    assert "Customer Secret" not in text and "078-05-1120" not in text and "secret" not in text
    assert report["warnings"] == ["a test result for action custom_-_zz, which this report does not list, was left out"]
    assert report["summary"]["verify"] == {"tested": 2, "tested_before": 2, "passed_before": 1, "timed_out_before": 1,
                                           "tested_after": 2, "passed_after": 1, "timed_out_after": 0}


def test_an_empty_verify_list_still_says_tests_were_asked_for(audit_results):
    assert _audit(audit_results, verify_after=[])["summary"]["verify"]["tested"] == 0


# ---------------------------------------------------------------- a bare listing (data_action_info)

def test_a_listing_without_statuses_is_classified_by_the_modules_rule(data_actions):
    report = timeout_report(data_actions, org="prod", mode="audit", threshold=3, target=10, run_id="r1",
                            generated_at=WHEN)
    rows = _rows(report)
    # custom_-_c is unset: it runs with the 60 s default, so it is not low.
    assert [rows[i]["status"] for i in ("custom_-_a", "custom_-_b", "custom_-_c", "custom_-_d", "custom_-_e")] == \
        ["would_update", "would_update", "ok", "ok", "ok"]
    assert (rows["custom_-_b"]["timeout_seconds_after"], rows["custom_-_b"]["effective_timeout_seconds_after"]) == (10, 10)
    assert rows["custom_-_b"]["version_before"] == 4 and rows["custom_-_b"]["version_after"] is None
    assert rows["custom_-_b"]["msg"] == "timeout 3 s is at or below 3 s; remediation would set 10 s"
    assert rows["custom_-_c"]["msg"] == "timeout unset (60 s) is above 3 s"
    assert rows["static_-_x"]["status"] == "not_applicable" and rows["customAuth_-_int-1"]["status"] == "not_applicable"
    summary = report["summary"]
    assert (summary["actions"], summary["low"], summary["changed"]) == (7, 2, 2)
    assert summary["by_status"]["would_update"] == 2 and summary["by_status"]["not_applicable"] == 2


def test_the_listing_path_calls_the_selection_rule_rather_than_restating_it(data_actions, monkeypatch):
    class EveryAction(object):
        @classmethod
        def from_params(cls, raw):
            assert raw == {"timeout_at_most": 3}
            return cls()

        def decide(self, summary):
            return "selected", "picked by the stub"

    monkeypatch.setattr(_org_reports, "Selection", EveryAction)
    rows = _rows(timeout_report(data_actions, mode="audit", target=10))
    # The stub picks custom_-_e (4 s, above the threshold): the filter follows the rule, not an idea of its own.
    assert rows["custom_-_e"]["status"] == "would_update" and rows["custom_-_e"]["msg"].startswith("picked by the stub")
    # Picked, but remediation only raises: 30 s is already above the target, unset runs at 60 s.
    assert rows["custom_-_d"]["status"] == "ok" and rows["custom_-_c"]["status"] == "ok"


def test_a_listing_target_already_reached_is_left_alone_as_remediation_only_raises(data_actions):
    rows = _rows(timeout_report(data_actions, threshold=60, target=60))
    assert rows["custom_-_c"]["status"] == "ok"  # unset already runs at 60
    assert rows["custom_-_d"]["status"] == "would_update" and rows["custom_-_d"]["timeout_seconds_after"] == 60
    assert _rows(timeout_report(data_actions, threshold=59, target=59))["custom_-_c"]["status"] == "ok"


def test_a_listing_can_go_to_each_actions_recommendation():
    listing = [dict(action("custom_-_a", "A", 2), stats=stats(100, 1500), verdict="at_risk",
                    recommended_timeout_seconds=5, recommendation="r"),
               dict(action("custom_-_b", "B", 1), stats=stats(3, 100), verdict="no_data",
                    recommended_timeout_seconds=None, recommendation="too few")]
    report = timeout_report(listing, mode="audit", target="recommended")
    rows = _rows(report)
    assert (rows["custom_-_a"]["status"], rows["custom_-_a"]["timeout_seconds_after"]) == ("would_update", 5)
    assert rows["custom_-_b"]["status"] == "ok" and "no recommendation" in rows["custom_-_b"]["msg"]
    assert report["use_stats"] is True and report["summary"]["by_verdict"]["at_risk"] == 1


def test_threshold_is_inclusive_and_options_accept_extra_var_strings(data_actions):
    # -e data_action_timeouts_threshold=4 arrives as a string
    report = timeout_report(data_actions, threshold="4", target="15", check_mode="false")
    rows = _rows(report)
    assert rows["custom_-_e"]["status"] == "would_update" and rows["custom_-_e"]["timeout_seconds_after"] == 15
    assert report["threshold"] == 4 and report["target"] == 15 and report["check_mode"] is False


def test_distribution_buckets_custom_actions_before_and_after(data_actions):
    report = timeout_report(data_actions, target=10)
    before, after = _buckets(report, "before"), _buckets(report, "after")
    # "unset" runs at 60 s: it comes after 31-60.
    assert list(before) == ["1-3", "4-5", "6-10", "11-20", "21-30", "31-60", "unset"]
    # static and auth actions have no settable timeout: they are not counted as "unset"
    assert before == {"1-3": 2, "4-5": 1, "6-10": 0, "11-20": 0, "21-30": 1, "31-60": 0, "unset": 1}
    assert after == {"1-3": 0, "4-5": 1, "6-10": 2, "11-20": 0, "21-30": 1, "31-60": 0, "unset": 1}


def test_a_listing_merged_with_results_takes_the_modules_statuses(data_actions, real_results):
    report = timeout_report(data_actions, real_results, mode="remediate")
    rows = _rows(report)
    assert rows["custom_-_a"]["status"] == "updated"
    assert (rows["custom_-_a"]["timeout_seconds_before"], rows["custom_-_a"]["timeout_seconds_after"]) == (1, 10)
    # the module's fresh read wins over the earlier listing
    assert rows["custom_-_b"]["status"] == "drifted" and rows["custom_-_b"]["version_before"] == 5
    assert rows["custom_-_c"]["status"] == "failed" and "HTTP 500" in rows["custom_-_c"]["msg"]
    assert rows["custom_-_e"]["status"] == "ok"
    summary = report["summary"]
    assert summary["changed"] == 1 and summary["by_status"]["drifted"] == 1 and summary["by_status"]["failed"] == 1
    # the failed and the drifted action keep their timeouts in the "after" distribution
    assert _buckets(report, "after")["unset"] == 1 and _buckets(report, "after")["1-3"] == 1


def test_low_listed_actions_the_run_did_not_touch_are_not_selected(data_actions):
    report = timeout_report(data_actions, [result("custom_-_a", "Get order", "updated", 1, 10, 2, 3)], mode="remediate")
    row = _rows(report)["custom_-_b"]
    assert (row["status"], row["timeout_seconds_after"]) == ("not_selected", 3)
    assert row["msg"] == "timeout 3 s is at or below 3 s but was not part of this run"


def test_a_result_for_an_action_the_listing_missed_still_gets_a_row(data_actions):
    report = timeout_report(data_actions, [result("custom_-_z", "Hidden", "updated", 2, 10, 1, 2)], mode="remediate")
    row = _rows(report)["custom_-_z"]
    assert (row["name"], row["status"], row["timeout_seconds_before"], row["timeout_seconds_after"], row["kind"]) == \
        ("Hidden", "updated", 2, 10, "custom")


# ---------------------------------------------------------------- shape, determinism, arguments

def test_empty_org_gives_an_empty_but_complete_report():
    report = timeout_report([], org="empty", generated_at=WHEN)
    assert report["rows"] == [] and report["warnings"] == []
    assert report["summary"]["actions"] == 0 and report["summary"]["changed"] == 0
    assert all(count == 0 for count in report["summary"]["by_status"].values())
    assert timeout_report(None)["rows"] == []


def test_report_is_deterministic_sorted_and_json_round_trips(audit_results):
    first = _audit(audit_results, verify_after=[action_test("custom_-_a", "Get order", True, 100)])
    shuffled = _audit(list(reversed(audit_results)), verify_after=[action_test("custom_-_a", "Get order", True, 100)])
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


@pytest.mark.parametrize("url", ["http://[::1", "http://127.0.0.1:port", "https://user:pa55@host:99999"])
def test_an_api_base_url_that_is_no_url_is_left_out_not_a_failure(data_actions, url):
    # The org's settings were refused: the report of that failure must still be written.
    assert timeout_report(data_actions, api_base_url=url)["api_base_url"] is None


@pytest.mark.parametrize("kwargs, message", [
    ({"mode": "fix"}, "mode must be one of audit, remediate, right_size, rollback"),
    ({"threshold": 0}, "threshold must be a number of seconds from 1 to 60"),
    ({"target": 61}, "target must be a number of seconds from 1 to 60"),
    ({"target": "ten"}, "target must be a number of seconds from 1 to 60 or 'recommended', got 'ten'"),
    ({"check_mode": "maybe"}, "check_mode must be a boolean"),
    ({"use_stats": "sometimes"}, "use_stats must be a boolean"),
    ({"results": {"id": "x"}}, "results must be the results list of data_action_timeout"),
    ({"results": [{"id": "custom_-_a", "status": "done"}]},
     "results[0] (action custom_-_a) has status 'done'; data_action_timeout reports one of updated"),
    ({"results": [{"id": "custom_-_a", "status": "at_risk"}]}, "has status 'at_risk'"),
    ({"results": [{"id": "custom_-_a"}]}, "results[0] must be a data_action_timeout result (a dict with an id and a status)"),
    ({"use_stats": True, "stats_options": {"days": 0}}, "stats_options: stats_days must be an integer from 1 to 31"),
    ({"use_stats": True, "stats_options": {"weeks": 1}}, "stats_options has unknown key(s) weeks"),
    ({"use_stats": True, "stats_options": [7]}, "stats_options must be a dict"),
    ({"verify_after": {"id": "x"}}, "verify_after must be a list of data_action_test results"),
    ({"verify_after": [{"success": True}]}, "verify_after[0] must be a data_action_test result (a dict with an id)"),
    ({"warnings": "one"}, "warnings must be a list of strings"),
])
def test_bad_arguments_are_named(data_actions, kwargs, message):
    with pytest.raises(AnsibleFilterError) as caught:
        timeout_report(data_actions, **kwargs)
    assert message in str(caught.value)


def test_bad_input_items_are_named(audit_results):
    with pytest.raises(AnsibleFilterError, match=r"item 1 of the input has no id"):
        timeout_report([action("custom_-_a", "A", 3), {"name": "no id"}])
    with pytest.raises(AnsibleFilterError, match="the results list of data_action_timeout"):
        timeout_report({"results": []})
    broken = copy.deepcopy(audit_results)
    broken[2]["verdict"] = "slow"
    with pytest.raises(AnsibleFilterError, match=r"item 2 of the input.verdict must be one of timing_out"):
        timeout_report(broken)
    broken = copy.deepcopy(audit_results)
    broken[0]["timeout_seconds_after"] = 90
    with pytest.raises(AnsibleFilterError, match=r"timeout_seconds_after must be a number of seconds from 1 to 60"):
        timeout_report(broken)


# ---------------------------------------------------------------- run report

def _orgs(audit_results, data_actions, real_results, check_results):
    return [
        timeout_report(data_actions, real_results, org="prod", mode="remediate", run_id="run-1", generated_at=WHEN),
        timeout_report(data_actions, check_results, org="Dev", mode="remediate", check_mode=True, run_id="run-1",
                       generated_at=WHEN),
        _audit(audit_results, org="stats", run_id="run-1", verify_after=[action_test("custom_-_a", "A", True, 1)]),
        timeout_report([], org="empty", mode="remediate", run_id="run-1", generated_at=WHEN),
    ]


def test_run_report_sums_the_orgs_and_sorts_them(audit_results, data_actions, real_results, check_results):
    run = timeout_run_report(_orgs(audit_results, data_actions, real_results, check_results) + [None],
                             generated_at=WHEN)
    assert [org["org"] for org in run["orgs"]] == ["Dev", "empty", "prod", "stats"]
    assert (run["schema_version"], run["report_type"], run["run_id"], run["mode"], run["check_mode"]) == \
        (2, "run", "run-1", "mixed", False)
    totals = run["totals"]
    assert (totals["orgs"], totals["actions"], totals["low"], totals["changed"], totals["restored"]) == \
        (4, 22, 7, 6, 0)
    assert totals["by_status"]["would_update"] == 5 and totals["by_status"]["failed"] == 1
    # Only the org that read observed times has verdicts; the others add nothing.
    assert totals["by_verdict"] == {"timing_out": 1, "at_risk": 1, "oversized": 1, "ok": 1, "no_data": 1}
    assert totals["verify"]["tested_after"] == 1 and totals["verify"]["passed_after"] == 1
    assert (totals["orgs_with_failures"], totals["orgs_with_drift"], totals["orgs_with_errors"]) == (1, 1, 0)
    assert dict((e["bucket"], e["before"]) for e in totals["distribution"])["1-3"] == 7
    assert json.loads(json.dumps(run)) == run


def test_run_totals_have_no_verdicts_or_tests_when_no_org_used_them(data_actions, real_results):
    run = timeout_run_report([timeout_report(data_actions, real_results, org="a", mode="remediate")])
    assert run["totals"]["by_verdict"] is None and run["totals"]["verify"] is None


def test_run_report_accepts_a_host_mapping_and_reports_mixed_modes(data_actions):
    audit = timeout_report(data_actions, org="a", mode="audit", run_id="x", generated_at=WHEN)
    rollback = timeout_report(data_actions, [], org="b", mode="rollback", run_id="y", generated_at=WHEN)
    run = timeout_run_report({"b": rollback, "a": audit}, run_id="given", generated_at=WHEN)
    assert run["mode"] == "mixed" and run["run_id"] == "given"
    assert [org["org"] for org in run["orgs"]] == ["a", "b"]


def test_run_report_refuses_something_that_is_not_an_org_report():
    with pytest.raises(AnsibleFilterError, match=r"org_reports\[0\] has schema_version None"):
        timeout_run_report([{"org": "x"}])


# ---------------------------------------------------------------- schema 1 (collection 0.1.0)

def test_a_schema_1_report_reads_as_schema_2(data_actions):
    old = schema_1(timeout_report(data_actions, org="prod", mode="audit", generated_at=WHEN))
    assert [r["status"] for r in old["rows"]].count("at_risk") == 2
    read = _report_reading.read_org_report(old)
    rows = _rows(read)
    assert rows["custom_-_b"]["status"] == "would_update" and rows["custom_-_b"]["effective_timeout_seconds_after"] == 10
    assert rows["custom_-_c"]["effective_timeout_seconds_before"] == 60 and rows["custom_-_c"]["verdict"] is None
    assert read["summary"]["low"] == 2 and read["summary"]["by_status"]["would_update"] == 2
    assert "at_risk" not in read["summary"]["by_status"] and read["summary"]["by_verdict"] is None
    assert (read["use_stats"], read["warnings"]) == (False, [])
    run = timeout_run_report([old])
    assert run["totals"]["low"] == 2 and run["orgs"][0]["rows"][0]["verify"] is None


def test_malformed_reports_are_refused_naming_the_row_and_action(data_actions, real_results):
    report = timeout_report(data_actions, real_results, mode="remediate")
    report["rows"].sort(key=lambda row: row["id"])
    for damage, message in [
        (lambda r: r.update(schema_version=3), "report has schema_version 3; this collection reads schema_version 1 or 2"),
        (lambda r: r.pop("rows"), "report is missing key(s): rows"),
        (lambda r: r.update(mode="fix"), "report has mode 'fix'"),
        (lambda r: r["rows"][0].pop("version_after"),
         "report.rows[0] (action customAuth_-_int-1) is missing key(s): version_after"),
        (lambda r: r["rows"][0].update(status="done"), "report.rows[0] (action customAuth_-_int-1) has unknown status 'done'"),
    ]:
        broken = copy.deepcopy(report)
        damage(broken)
        with pytest.raises(AnsibleFilterError) as caught:
            _report_reading.read_org_report(broken)
        assert message in str(caught.value)


def test_the_results_of_a_looped_test_task_are_read_as_they_come(audit_results):
    # A loop's results: items skipped by their condition, one whose module failed before any answer (it then has
    # no id, only its loop item), and one named by its action's name.
    after = [
        {"skipped": True, "skip_reason": "Conditional result was False", "item": {"id": "custom_-_c", "input": {}},
         "changed": False},
        {"failed": True, "msg": "HTTP 403 on POST .../custom_-_a/test: missing integrations:action:execute",
         "item": {"id": "custom_-_a", "input": {"q": 1}}, "changed": False},
        dict(action_test("", "Lookup account", True, 640), id=None, item={"name": "Lookup account"}),
        {"failed": True, "msg": "no data action named 'Gone'", "item": {"name": "Gone"}},
    ]
    report = _audit(audit_results, verify_after=after)
    rows = _rows(report)
    assert rows["custom_-_c"]["verify"] is None
    assert rows["custom_-_a"]["verify"]["after"] == {
        "success": False, "timed_out": False, "duration_ms": None,
        "error": "HTTP 403 on POST .../custom_-_a/test: missing integrations:action:execute"}
    assert rows["custom_-_b"]["verify"]["after"]["success"] is True
    assert report["warnings"] == ["verify_after[3]: a test that names no action this report lists failed: "
                                  "no data action named 'Gone'"]


def test_a_report_built_here_is_schema_2_as_the_readers_make_it(audit_results, real_results):
    """timeout_report_files renders the reports it builds without reading them again per format: that holds
    only because reading one changes nothing."""
    tests_before = [action_test("custom_-_a", "Get order", False, 1004, timed_out=True)]
    tests_after = [action_test("custom_-_a", "Get order", True, 800)]
    built = [
        _audit(audit_results),
        _audit(audit_results, mode="remediate", check_mode=False, verify_before=tests_before, verify_after=tests_after,
               warnings=["an earlier run was interrupted"]),
        timeout_report(real_results, org="test", mode="remediate", run_id="r2", generated_at=WHEN),
        timeout_report(real_results, org="back", mode="rollback", run_id="r3", generated_at=WHEN),
    ]
    for report in built:
        assert _report_reading.read_org_report(copy.deepcopy(report)) == report
    run = _report_reading.build_run_report(json.loads(json.dumps(built[1:])), run_id="r9", detach=False)
    assert _report_reading.read_run_report(copy.deepcopy(run)) == run

# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesyscloud.cx contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the role's settings mean for one org's data_action_timeout call and report (plugin_utils/_role_run.py)."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import pytest

from ansible_collections.genesyscloud.cx.plugins.plugin_utils._role_run import (
    module_args_of,
    plan_source_name,
    report_options_of,
    settings_problems,
)

DEFAULTS = {"mode": "remediate", "threshold": 3, "target": 10, "use_stats": False, "max_changes": None,
            "drafts": "report", "on_drift": "skip", "function_timeouts": False, "function_timeout_seconds": None,
            "plan": "", "rollback_report": "", "verify": [], "name_include": [], "name_exclude": [],
            "category_include": [], "category_exclude": [], "explicit_timeout": None, "stats_days": None,
            "headroom": None, "min_executions": None, "at_risk_share": None, "parallel": None}


def settings(**changes):
    return dict(DEFAULTS, **changes)


def test_the_defaults_fit():
    assert settings_problems(settings()) == []
    assert settings_problems(settings(threshold="5", target="10", max_changes="0")) == []  # from -e, as text


@pytest.mark.parametrize("changes,words", [
    ({"threshold": 0}, "data_action_timeouts_threshold must be 1 to 60 seconds, got 0"),
    ({"threshold": "x"}, "data_action_timeouts_threshold must be 1 to 60 seconds, got x"),
    ({"target": 61}, "data_action_timeouts_target must be 1 to 60 seconds or recommended, got 61"),
    ({"target": "soon"}, "got soon"),
    ({"target": 2}, "data_action_timeouts_target (2) must be at least data_action_timeouts_threshold (3)"),
    ({"max_changes": -1}, "data_action_timeouts_max_changes must be 0 or more, got -1"),
    ({"function_timeout_seconds": 16}, "must be 1 to 15 seconds (the timeout of the function itself), got 16"),
    ({"mode": "rollback"}, "rollback mode needs data_action_timeouts_rollback_report"),
    ({"mode": "audit", "plan": "plan.json"}, "an audit reads no plan"),
    ({"playbook_mode": "audit"}, "genesyscloud.cx.audit runs in audit mode, not remediate; run genesyscloud.cx.remediate"),
])
def test_settings_that_do_not_fit_say_how_to_fix_them(changes, words):
    problems = settings_problems(settings(**changes))
    assert len(problems) == 1 and words in problems[0], problems


def test_recommended_target_is_not_compared_with_the_threshold():
    assert settings_problems(settings(target="recommended", threshold=30)) == []


def test_remediation_by_the_rule():
    args = module_args_of(settings(), "prod", False, "/r/run1", "run1")
    assert args["select"] == {"timeout_at_most": 3, "name_include": [], "name_exclude": [], "category_include": [],
                              "category_exclude": [], "explicit_timeout": None}
    assert args["timeout_seconds"] == 10 and args["mode"] == "at_least" and args["max_changes"] == 50
    assert args["stats"] is False and "actions" not in args and "verify" not in args
    assert args["results_file"] == "/r/run1/.prod.results.json"
    assert args["journal"] == "/r/run1/prod.journal.jsonl"
    assert args["journal_info"] == {"org": "prod", "run_id": "run1", "mode": "remediate"}
    assert not any(key in args for key in ("stats_days", "headroom", "min_executions", "at_risk_share", "parallel"))


def test_a_rollback_has_no_cap_unless_given_one_and_a_zero_is_passed_on():
    rollback = settings(mode="rollback", rollback_report="/r/run1/prod.json", drafts="update")
    args = module_args_of(rollback, "prod", False, "/r/run2", "run2", [])
    assert args["max_changes"] is None
    # Drafts are restored by each rollback entry's own draft timeout, never given the action's.
    assert args["drafts"] == "report"
    assert module_args_of(dict(rollback, max_changes=7), "prod", False, "/r/run2", "run2", [])["max_changes"] == 7
    args = module_args_of(settings(parallel=0, stats_days=0, min_executions=0), "prod", False, "/r/run1", "run1")
    assert (args["parallel"], args["stats_days"], args["min_executions"]) == (0, 0, 0)


def test_a_dry_run_writes_no_journal_and_an_audit_has_no_limit():
    args = module_args_of(settings(mode="audit"), "prod", True, "/r/run1", "run1")
    assert "journal" not in args and "journal_info" not in args and "max_changes" not in args


def test_observed_times_add_the_risky_verdicts_and_right_sizing_takes_every_verdict():
    args = module_args_of(settings(use_stats=True, stats_days=7, headroom=2.5), "prod", True, "/r/x", "x")
    assert args["stats"] is True and args["select"]["verdicts"] == ["timing_out", "at_risk"]
    assert args["stats_days"] == 7 and args["headroom"] == 2.5
    args = module_args_of(settings(mode="right_size"), "prod", False, "/r/x", "x")
    assert args["stats"] is True and args["mode"] == "exact" and args["timeout_seconds"] == "recommended"
    assert args["select"]["verdicts"] == ["timing_out", "at_risk", "ok", "oversized"]
    assert "timeout_at_most" not in args["select"]


def test_a_plan_replaces_the_rule_and_a_rollback_names_what_it_rolls_back(tmp_path):
    planned = [{"id": "custom_-_a", "version": 3, "timeout_seconds": 10}]
    args = module_args_of(settings(plan="p.json", function_timeout_seconds=9), "prod", False, "/r/x", "x", planned)
    assert args["actions"] == planned and "select" not in args and "timeout_seconds" not in args
    assert "function_timeout_seconds" not in args  # a plan carries each function's timeout in its entry
    report = str(tmp_path / "run.json")
    args = module_args_of(settings(mode="rollback", rollback_report=report), "prod", False, "/r/x", "x", planned)
    assert args["mode"] == "exact" and args["journal_info"]["rollback_of"] == report
    assert plan_source_name(settings(mode="rollback", rollback_report={"orgs": []})) == "the rollback report given as data"
    assert plan_source_name(settings(plan={"orgs": []})) == "the plan given as data"


def test_the_report_options_keep_numbers_in_range_even_when_a_setting_does_not_fit():
    options = report_options_of(settings(threshold="x", target="soon", verify=[{"id": "a"}]), "prod", True, "run1")
    assert options["threshold"] == 1 and options["target"] == 1
    assert options["verify_before"] == [] and options["verify_after"] == [] and options["check_mode"] is True
    options = report_options_of(settings(target="recommended"), "prod", False, "run1", api_base_url="https://x")
    assert options["target"] == "recommended" and options["use_stats"] is True and options["api_base_url"] == "https://x"
    assert options["verify_before"] is None

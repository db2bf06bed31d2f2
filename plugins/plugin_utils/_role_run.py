# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesyscloud.cx contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

# FOR INTERNAL COLLECTION USE ONLY
# The interfaces in this file are meant for use within the genesyscloud.cx collection and may change in
# any release. The role's settings are documented in roles/data_action_timeouts/README.md.

"""What the data_action_timeouts role's settings mean for one org's run: the settings check, the arguments of
the org's one data_action_timeout call, and the org report's options.

Pure functions over the settings (the role's variables without their ``data_action_timeouts_`` prefix), used by
the timeout_org_run action. Every decision about actions stays the module's (module_utils/selection.py).
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import os

# Right-sizing considers every verdict; remediation with observed times adds the actions that time out or are at
# risk to those with a low effective timeout.
RIGHT_SIZE_VERDICTS = ["timing_out", "at_risk", "ok", "oversized"]
RISK_VERDICTS = ["timing_out", "at_risk"]
MODES = ("audit", "remediate", "right_size", "rollback")


def _int(value):
    """The role's number settings arrive as numbers, or as text from the command line (-e x=5)."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _recommended(value):
    return str(value) == "recommended"


def settings_problems(settings):
    """Settings that do not fit together, checked before any request: each a sentence that says how to fix it."""
    mode = settings.get("mode")
    problems = []
    playbook_mode = settings.get("playbook_mode")
    if playbook_mode and playbook_mode != mode:
        problems.append("genesyscloud.cx.%s runs in %s mode, not %s; run genesyscloud.cx.%s instead of passing "
                        "data_action_timeouts_mode" % (playbook_mode, playbook_mode, mode, mode))
    if mode not in MODES:
        problems.append("data_action_timeouts_mode must be one of %s, got %s" % (", ".join(MODES), mode))
    threshold = _int(settings.get("threshold"))
    if threshold is None or not 1 <= threshold <= 60:
        problems.append("data_action_timeouts_threshold must be 1 to 60 seconds, got %s" % settings.get("threshold"))
    target = settings.get("target")
    if not _recommended(target):
        number = _int(target)
        if number is None or not 1 <= number <= 60:
            problems.append("data_action_timeouts_target must be 1 to 60 seconds or recommended, got %s" % target)
        elif threshold is not None and number < threshold:
            problems.append("data_action_timeouts_target (%s) must be at least data_action_timeouts_threshold (%s): "
                            "remediation never lowers a timeout" % (target, settings.get("threshold")))
    max_changes = _int(settings.get("max_changes"))
    if settings.get("max_changes") is not None and (max_changes is None or max_changes < 0):
        problems.append("data_action_timeouts_max_changes must be 0 or more, got %s" % settings.get("max_changes"))
    function_timeout = settings.get("function_timeout_seconds")
    if function_timeout is not None:
        number = _int(function_timeout)
        if number is None or not 1 <= number <= 15:
            problems.append("data_action_timeouts_function_timeout_seconds must be 1 to 15 seconds (the timeout of "
                            "the function itself), got %s" % function_timeout)
    if mode == "rollback" and not settings.get("rollback_report"):
        problems.append("rollback mode needs data_action_timeouts_rollback_report, the JSON report of the run to undo")
    if mode == "audit" and settings.get("plan"):
        problems.append("an audit reads no plan: apply data_action_timeouts_plan with genesyscloud.cx.remediate or "
                        "right_size")
    return problems


# The cap on one org's changes when data_action_timeouts_max_changes is unset; a rollback has none by default, its
# record bounding what it restores.
DEFAULT_MAX_CHANGES = 50


def max_changes_of(settings):
    """The cap on one org's changes: the setting, else 50, else (a rollback) none."""
    if settings.get("max_changes") is not None:
        return _int(settings["max_changes"])
    return None if settings.get("mode") == "rollback" else DEFAULT_MAX_CHANGES


def reads_stats(settings):
    """A rollback restores what a report recorded: observed times decide nothing there, so none are read."""
    mode = settings.get("mode")
    return mode != "rollback" and bool(settings.get("use_stats") or mode == "right_size"
                                       or _recommended(settings.get("target")))


def target_of(settings):
    if settings.get("mode") == "right_size" or _recommended(settings.get("target")):
        return "recommended"
    return _int(settings.get("target"))


def selection_of(settings):
    """The run's rule: audit and remediate, low effective timeouts (and, with observed times, the actions that
    time out or are at risk); right_size, every action with enough executions."""
    if settings.get("mode") == "right_size":
        select = {"verdicts": list(RIGHT_SIZE_VERDICTS)}
    else:
        select = {"timeout_at_most": _int(settings.get("threshold"))}
        if reads_stats(settings):
            select["verdicts"] = list(RISK_VERDICTS)
    for key in ("name_include", "name_exclude", "category_include", "category_exclude"):
        select[key] = list(settings.get(key) or [])
    select["explicit_timeout"] = settings.get("explicit_timeout")
    return select


def plan_input_of(settings):
    """An approved plan, or the report of the run to undo: a path, or the data itself (an AWX artifact)."""
    return settings.get("rollback_report") if settings.get("mode") == "rollback" else settings.get("plan")


def plan_source_name(settings):
    """How errors name the plan or report: its path, or what it is when it was given as data."""
    given = plan_input_of(settings)
    if isinstance(given, str):
        return given
    return "the %s given as data" % ("rollback report" if settings.get("mode") == "rollback" else "plan")


def module_args_of(settings, org, dry_run, report_root, run_id, plan_actions=None):
    """The arguments of the org's data_action_timeout call (without the connection options).

    ``plan_actions``: the actions of an approved plan or a rollback (a plan carries each timeout, function
    timeouts included, in its own entry); None when the run plans by the rule.
    """
    mode = settings.get("mode")
    args = {
        # Raising never lowers; right-sizing and rollback set exactly what they were asked to.
        "mode": "exact" if mode in ("right_size", "rollback") else "at_least",
        "on_drift": settings.get("on_drift") or "skip",
        "list_all": True,
        # A rollback puts back each draft the run changed (its plan says which, and to what) and no other: drafts
        # update would give every draft of the restored actions the action's timeout.
        "drafts": "report" if mode == "rollback" and settings.get("drafts") == "update" else (
            settings.get("drafts") or "report"),
        "function_timeouts": bool(settings.get("function_timeouts")),
        # The flows that call the actions: the role asks for those the run plans to change unless told otherwise.
        "dependencies": settings.get("dependencies") or "planned",
        "dependencies_checked_in": bool(settings.get("dependencies_checked_in")),
        "stats": reads_stats(settings),
        # Without observed times a run that selects by them fails, unless the fallback was asked for.
        "stats_fallback": bool(settings.get("stats_fallback")),
        # Every result goes to the org's report through this file; the result keeps those acted on.
        "results_file": os.path.join(report_root, ".%s.results.json" % org),
    }
    if plan_actions is not None:
        args["actions"] = plan_actions
    else:
        args["select"] = selection_of(settings)
        args["timeout_seconds"] = target_of(settings)
        if settings.get("function_timeout_seconds") is not None:
            args["function_timeout_seconds"] = _int(settings["function_timeout_seconds"])
    if mode != "audit":
        args["max_changes"] = max_changes_of(settings)
    for key in ("stats_days", "headroom", "min_executions", "at_risk_share", "parallel"):
        # 0 is a value, not "unset": the module says what it thinks of it.
        if settings.get(key) is not None:
            args[key] = settings[key]
    if not dry_run:
        # Written before the first write, so that an interrupted run can be rolled back from it. Its header says
        # which run it is; a rollback's also names what it rolls back, which tells later runs that an interrupted
        # run was rolled back.
        args["journal"] = os.path.join(report_root, "%s.journal.jsonl" % org)
        info = {"org": org, "run_id": run_id, "mode": mode}
        if mode == "rollback" and isinstance(settings.get("rollback_report"), str):
            info["rollback_of"] = os.path.realpath(os.path.expanduser(settings["rollback_report"]))
        args["journal_info"] = info
    if settings.get("verify"):
        # Tested before the first write, and after the writes for the actions that changed; in a dry run never.
        args["verify"] = settings["verify"]
    return args


def report_options_of(settings, org, dry_run, run_id, api_base_url=None):
    """The org report's options (the timeout_report filter's), beside the results the module handed over."""
    # A setting that does not fit is in the report's error; its number is kept within 1 to 60 for the report.
    target = target_of(settings)
    threshold = _int(settings.get("threshold")) or 0
    return {
        "org": org,
        "mode": settings.get("mode"),
        "check_mode": bool(dry_run),
        "run_id": run_id,
        "api_base_url": api_base_url,
        "threshold": max(1, min(threshold, 60)),
        "target": target if target == "recommended" else max(1, min(target or 0, 60)),
        "use_stats": reads_stats(settings),
        "verify_before": [] if settings.get("verify") else None,
        "verify_after": [] if settings.get("verify") else None,
    }

# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesyscloud.cx contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# FOR INTERNAL COLLECTION USE ONLY
# The interfaces in this file are meant for use within the genesyscloud.cx collection and may change in
# any release. The filters in plugins/filter/ are the public interface; the plan is documented in
# roles/data_action_timeouts/REPORTS.md.

"""Plans: the compact plan of a dry run, and the ``actions`` list that applies a plan or rolls a run back.

Every check of "can this file serve as an approved plan, or be rolled back" lives here, so the role
only passes the file and its path.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from collections import namedtuple
from collections.abc import Mapping

from ansible.errors import AnsibleFilterError

from ansible_collections.genesyscloud.cx.plugins.plugin_utils._journals import journal_state, looks_like_journal, read_source
from ansible_collections.genesyscloud.cx.plugins.module_utils.data_actions import UNKNOWN, UPDATED, WOULD_UPDATE
from ansible_collections.genesyscloud.cx.plugins.plugin_utils._report_reading import read_any_report
from ansible_collections.genesyscloud.cx.plugins.plugin_utils._report_values import (
    bool_option,
    function_seconds_or_none,
    int_or_none,
    is_list,
    seconds_or_none,
    text,
    utc_now_iso,
)
from ansible_collections.genesyscloud.cx.plugins.plugin_utils._reports import (
    AUDIT,
    ORG,
    PLAN,
    SCHEMA_VERSION,
    WRITING_MODES,
    row_changes,
)

APPLY, ROLLBACK = "apply", "rollback"
PURPOSES = (APPLY, ROLLBACK)
PLAN_READABLE_SCHEMA_VERSIONS = (2,)


class PlanAction(namedtuple("PlanAction", "id timeout_seconds version function_timeout_seconds unconfirmed draft",
                            defaults=(None, None))):
    """One entry of data_action_timeout's ``actions``: set ``id`` to ``timeout_seconds`` if it is still at ``version``;
    and, for a function action whose function's timeout changes, that one to ``function_timeout_seconds``.

    ``unconfirmed``: ``(timeout_seconds, version)`` of a write whose outcome is unknown (an interrupted run's), which
    this entry undoes only where it shows; ``version`` is then None. ``draft``: ``(timeout_seconds,)`` that the
    action's pending draft goes back to, for a rollback of a run that changed the draft; None leaves it.
    """

    __slots__ = ()

    def as_dict(self):
        entry = {"id": self.id, "timeout_seconds": self.timeout_seconds, "version": self.version}
        if self.function_timeout_seconds is not None:
            entry["function_timeout_seconds"] = self.function_timeout_seconds
        if self.unconfirmed is not None:
            entry["unconfirmed_write"] = {"timeout_seconds": self.unconfirmed[0], "version": self.unconfirmed[1]}
        if self.draft is not None:
            entry["draft"] = {"timeout_seconds": self.draft[0]}
        return entry


def _named(source):
    return text(source) or "the report"


def _is_dry_run(report):
    return report["mode"] == AUDIT or bool(report["check_mode"])


def _org_names(names):
    return ", ".join(repr(text(name)) for name in names) or "none"


# ---------------------------------------------------------------- picking one org

def _org_report(report, org, source):
    """The org report for ``org`` out of an org or a run report (read as schema 2)."""
    named = _named(source)
    kind, report = read_any_report(report, named)
    if kind == ORG:
        if org is not None and text(org) != text(report["org"]):
            raise AnsibleFilterError("%s is the report of org %r, not of %r" % (named, text(report["org"]), text(org)))
        return report
    orgs = report["orgs"]
    if org is None:
        if len(orgs) == 1:
            return orgs[0]
        raise AnsibleFilterError("%s is a run report with %d orgs: pass org=<name> to pick one (it has: %s)"
                                 % (named, len(orgs), _org_names(o["org"] for o in orgs)))
    for org_report in orgs:
        if text(org_report["org"]) == text(org):
            return org_report
    raise AnsibleFilterError("%s has no report for org %r (it has: %s)"
                             % (named, text(org), _org_names(o["org"] for o in orgs)))


def _read_plan(plan, named):
    if plan.get("schema_version") not in PLAN_READABLE_SCHEMA_VERSIONS:
        raise AnsibleFilterError("%s is a plan with schema_version %r; this collection reads schema_version %s"
                                 % (named, plan.get("schema_version"),
                                    " or ".join("%d" % v for v in PLAN_READABLE_SCHEMA_VERSIONS)))
    missing = [key for key in ("mode", "check_mode", "orgs") if key not in plan]
    if missing:
        raise AnsibleFilterError("%s is a plan missing key(s): %s" % (named, ", ".join(missing)))
    if not isinstance(plan["orgs"], Mapping):
        raise AnsibleFilterError("%s is a plan whose orgs is not a dict of org name to plan" % named)
    return plan


def _plan_org(plan, org, named):
    orgs = plan["orgs"]
    if org is None:
        if len(orgs) == 1:
            org = list(orgs)[0]
        else:
            raise AnsibleFilterError("%s is a plan for %d orgs: pass org=<name> to pick one (it has: %s)"
                                     % (named, len(orgs), _org_names(sorted(orgs))))
    if text(org) not in orgs:
        raise AnsibleFilterError("%s has no plan for org %r (it has: %s)" % (named, text(org), _org_names(sorted(orgs))))
    entry = orgs[text(org)]
    if not isinstance(entry, Mapping) or not is_list(entry.get("actions")):
        raise AnsibleFilterError("%s: the plan of org %r has no actions list" % (named, text(org)))
    return text(org), entry


# ---------------------------------------------------------------- actions lists

def _checked_action(action_id, timeout_seconds, version, where, version_key, function_timeout_seconds=None):
    """A PlanAction whose timeout is 1..60 or null and whose version is a number, or an error naming the action."""
    timeout_seconds = seconds_or_none(timeout_seconds, "%s (action %s): the timeout" % (where, action_id))
    version = int_or_none(version, "%s (action %s): %s" % (where, action_id, version_key))
    if version is None:
        raise AnsibleFilterError("%s (action %s) has no %s to pin the change to" % (where, action_id, version_key))
    function_timeout_seconds = function_seconds_or_none(
        function_timeout_seconds, "%s (action %s): the function's timeout" % (where, action_id))
    return PlanAction(action_id, timeout_seconds, version, function_timeout_seconds)


def _draft_restored(result, where):
    """``(timeout_seconds,)`` the pending draft held before a run that changed it (an updated draft), else None: a
    rollback puts back what each draft held, and touches no draft the run left as it was."""
    draft = result.get("draft")
    if not isinstance(draft, Mapping) or draft.get("status") != UPDATED:
        return None
    return (seconds_or_none(draft.get("timeout_seconds_before"), "%s: the draft's timeout before" % where),)


def _function_change(row, when):
    """The function's timeout ``when`` (before or after) of a row whose function's timeout changes, else None."""
    before, after = row.get("function_timeout_seconds_before"), row.get("function_timeout_seconds_after")
    if before is None or after is None or before == after:
        return None
    return before if when == "before" else after


def _from_plan(plan, org, purpose, named):
    """The actions of one org's plan: to apply (a dry run's plan) or to roll back (the plan of a run that wrote)."""
    org, entry = _plan_org(plan, org, named)
    # Each org says how it was made; a plan merged from several runs may differ per org.
    mode = entry.get("mode", plan["mode"])
    dry_run = mode == AUDIT or bool_option(entry.get("check_mode", plan["check_mode"]), "%s: check_mode" % named)
    if purpose == APPLY and not dry_run:
        raise AnsibleFilterError("%s is the plan of a %s run that was not a dry run (it lists the changes that run "
                                 "made); an approved plan comes from an audit or a check-mode run" % (named, mode))
    if purpose == ROLLBACK and dry_run:
        raise AnsibleFilterError("%s is the plan of a dry run (%s%s), which changed nothing; only the report or the "
                                 "plan of a run that wrote changes can be rolled back"
                                 % (named, mode, "" if mode == AUDIT else " in check mode"))
    actions = []
    for index, action in enumerate(entry["actions"]):
        where = "%s: org %r, actions[%d]" % (named, org, index)
        if not isinstance(action, Mapping) or not action.get("id"):
            raise AnsibleFilterError("%s must be a dict with an id" % where)
        key = "timeout_seconds" if purpose == APPLY else "timeout_seconds_before"
        sent = action.get("unconfirmed_write")
        if purpose == ROLLBACK and isinstance(sent, Mapping):
            # Sent with an unknown outcome (see _rollback_from_report): pinned to that write, not to a version.
            what = "%s (action %s)" % (where, action["id"])
            version = int_or_none(sent.get("version"), "%s: the version sent" % what)
            if version is None:
                raise AnsibleFilterError("%s has no version the write was sent with" % what)
            actions.append(PlanAction(text(action["id"]), seconds_or_none(action.get("timeout_seconds_before"),
                                                                          "%s: the timeout before" % what), None, None,
                                      (seconds_or_none(sent.get("timeout_seconds"), "%s: the timeout sent" % what),
                                       version)))
            continue
        if key not in action:
            raise AnsibleFilterError("%s (action %s) has no %s" % (where, action["id"], key))
        checked = _checked_action(text(action["id"]), action[key], action.get("version"), where, "version",
                                  action.get("function_timeout_seconds" if purpose == APPLY
                                             else "function_timeout_seconds_before"))
        draft = action.get("draft")
        if purpose == ROLLBACK and draft is not None:
            # The pending draft the run changed goes back to what it held (a plan published by a run that wrote).
            if not isinstance(draft, Mapping) or "timeout_seconds_before" not in draft:
                raise AnsibleFilterError("%s (action %s): draft must be a dict with timeout_seconds_before"
                                         % (where, checked.id))
            checked = checked._replace(draft=(seconds_or_none(draft["timeout_seconds_before"], "%s (action %s): the "
                                                              "draft's timeout before" % (where, checked.id)),))
        actions.append(checked)
    return actions


def _apply_from_report(org_report, named):
    actions = []
    for index, row in enumerate(org_report["rows"]):
        # Schema 1's at_risk rows are read as would_update.
        if row["status"] != WOULD_UPDATE or not row_changes(row):
            continue
        where = "%s: org %r, rows[%d]" % (named, text(org_report["org"]), index)
        actions.append(_checked_action(row["id"], row["timeout_seconds_after"], row["version_before"], where,
                                       "version_before", _function_change(row, "after")))
    return actions


def _rollback_from_report(org_report, named):
    actions = []
    for index, row in enumerate(org_report["rows"]):
        where = "%s: org %r, rows[%d]" % (named, text(org_report["org"]), index)
        if row["status"] == UNKNOWN and isinstance(row.get("unconfirmed_write"), Mapping):
            # Sent, outcome unknown: undone only where the action shows that write, as from the journal.
            sent = row["unconfirmed_write"]
            version = int_or_none(sent.get("version"), "%s (action %s): the version sent" % (where, row["id"]))
            if version is None:
                raise AnsibleFilterError("%s (action %s) has no version the write was sent with" % (where, row["id"]))
            actions.append(PlanAction(row["id"], seconds_or_none(row["timeout_seconds_before"], "%s (action %s): the "
                                                                 "timeout before" % (where, row["id"])), None, None,
                                      (seconds_or_none(sent.get("timeout_seconds"), "%s (action %s): the timeout "
                                                       "sent" % (where, row["id"])), version)))
            continue
        if row["status"] != UPDATED:
            continue
        # version_after pins the rollback to the state the run left: a later edit makes it drift, not vanish.
        action = _checked_action(row["id"], row["timeout_seconds_before"], row["version_after"], where,
                                 "version_after", _function_change(row, "before"))
        actions.append(action._replace(draft=_draft_restored(row, "%s (action %s)" % (where, row["id"]))))
    return actions


def _refuse_as_plan(org_report, named):
    if not _is_dry_run(org_report):
        raise AnsibleFilterError(
            "%s is the report of a %s run that was not a dry run; an approved plan is the JSON report of an audit "
            "or of a check-mode run, or the plan from genesyscloud.cx.timeout_plan" % (named, org_report["mode"]))


def _refuse_for_rollback(org_report, named):
    mode = org_report["mode"]
    if mode not in WRITING_MODES:
        raise AnsibleFilterError(
            "%s is the report of an %s, which changed nothing; only a %s run that wrote changes can be rolled back"
            % (named, mode, ", ".join(WRITING_MODES[:-1]) + " or " + WRITING_MODES[-1]))
    if org_report["check_mode"]:
        raise AnsibleFilterError(
            "%s is the report of a %s run in check mode, which changed nothing; only a run that wrote changes can "
            "be rolled back" % (named, mode))


def _rollback_from_journal(state, org, purpose, named):
    """The actions that roll back what a journal records: every update it shows, pinned to the version it left;
    every action it did not settle (a write may have been sent) undone only where that write shows."""
    if purpose == APPLY:
        raise AnsibleFilterError("%s is the journal of a run, which records what it changed: it can be rolled back, "
                                 "not applied as a plan" % named)
    journal_org = state.info.get("org")
    if org is not None and journal_org not in (None, "") and text(journal_org) != text(org):
        raise AnsibleFilterError("%s is the journal of org %r, not of %r" % (named, text(journal_org), text(org)))
    changed = set(id(entry) for entry in state.changed())
    actions = []
    for index, entry in enumerate(state.actions):
        where = "%s: actions[%d]" % (named, index)
        action_id = text(entry["id"])
        outcome = entry["outcome"]
        if id(entry) in changed:
            action = _checked_action(action_id, outcome.get("timeout_seconds_before"), outcome.get("version_after"),
                                     where, "version_after", _function_change(outcome, "before"))
            actions.append(action._replace(draft=_draft_restored(outcome, "%s (action %s)" % (where, action_id))))
        elif outcome is None:
            sent = entry["sent"] or {}
            before = seconds_or_none(entry.get("timeout_seconds_before"), "%s (action %s): the timeout before"
                                     % (where, action_id))
            wanted = seconds_or_none(entry.get("timeout_seconds"), "%s (action %s): the timeout wanted" % (where, action_id))
            version = int_or_none(sent.get("version", entry.get("version_before")), "%s (action %s): the version sent"
                                  % (where, action_id))
            if version is None:
                raise AnsibleFilterError("%s (action %s) has no version the write was sent with" % (where, action_id))
            function_before = (function_seconds_or_none(entry.get("function_timeout_seconds_before"),
                                                        "%s (action %s): the function's timeout" % (where, action_id))
                               if "function_timeout_seconds" in entry else None)
            actions.append(PlanAction(action_id, before, None, function_before, (wanted, version)))
    return actions


def timeout_plan_actions(report, purpose=APPLY, org=None, source=None):
    """data_action_timeout's ``actions`` list that applies a plan, or rolls back what a run changed.

    ``report``: a report, a plan or a journal as data, or the path of one (JSON, or the journal's JSON Lines).
    """
    if purpose not in PURPOSES:
        raise AnsibleFilterError("purpose must be 'apply' or 'rollback', got %r" % (purpose,))
    named = _named(source)
    if isinstance(report, str):
        named = _named(source or report)
        kind, report = read_source(report, named)
        if kind == "journal":
            return [action.as_dict() for action in _rollback_from_journal(report, org, purpose, named)]
    if looks_like_journal(report):
        return [action.as_dict() for action in _rollback_from_journal(journal_state(report, named), org, purpose, named)]
    if isinstance(report, Mapping) and report.get("report_type") == PLAN:
        actions = _from_plan(_read_plan(report, named), org, purpose, named)
    else:
        org_report = _org_report(report, org, named)
        if purpose == APPLY:
            _refuse_as_plan(org_report, named)
            actions = _apply_from_report(org_report, named)
        else:
            _refuse_for_rollback(org_report, named)
            actions = _rollback_from_report(org_report, named)
    return [action.as_dict() for action in actions]


# ---------------------------------------------------------------- the compact plan

def _plan_of_org(org_report, named):
    """One org's part of the plan: what a dry run would change, or what a run that wrote changed."""
    rows = dict((row["id"], row) for row in org_report["rows"])
    if _is_dry_run(org_report):
        # version: the version the change was approved against.
        changes = _apply_from_report(org_report, named)
    else:
        # version: the version the change left, which a rollback is pinned to.
        changes = [action if action.unconfirmed is not None else
                   PlanAction(action.id, seconds_or_none(rows[action.id]["timeout_seconds_after"], "%s: org %r, action %s: "
                                                         "timeout_seconds_after" % (named, text(org_report["org"]),
                                                                                    action.id)), action.version,
                              _function_change(rows[action.id], "after"), draft=action.draft)
                   for action in _rollback_from_report(org_report, named)]
    summary = org_report["summary"]
    entry = {
        "mode": org_report["mode"],
        "check_mode": bool(org_report["check_mode"]),
        "threshold": org_report["threshold"],
        "target": org_report["target"],
        "actions": [_plan_entry(action, rows[action.id]) for action in changes],
        "summary": {"actions": summary["actions"], "low": summary["low"], "changed": len(changes),
                    "not_selected": summary["by_status"].get("not_selected", 0),
                    "by_verdict": summary.get("by_verdict")},
    }
    touched = summary.get("flows_touched")
    if touched is not None:
        # How many distinct published flows the change touches; each action's entry names its own.
        entry["summary"]["flows_touched"] = touched["count"]
        entry["summary"]["flows_unknown_actions"] = touched["unknown_actions"]
    if org_report.get("error"):
        entry["error"] = org_report["error"]
    return entry


def _plan_entry(action, row):
    entry = {"id": action.id, "name": row["name"], "timeout_seconds": action.timeout_seconds,
             "version": action.version, "timeout_seconds_before": row["timeout_seconds_before"]}
    if action.function_timeout_seconds is not None:
        # Only a function whose timeout changes: before for a rollback, and the new one.
        entry["function_timeout_seconds"] = action.function_timeout_seconds
        entry["function_timeout_seconds_before"] = row["function_timeout_seconds_before"]
    if action.unconfirmed is not None:
        # Sent with an unknown outcome: a rollback from this plan undoes it only where it shows.
        entry["unconfirmed_write"] = {"timeout_seconds": action.unconfirmed[0], "version": action.unconfirmed[1]}
    if action.draft is not None:
        # A pending draft the run changed: what it held before, which a rollback from this plan puts back.
        entry["draft"] = {"timeout_seconds_before": action.draft[0],
                          "timeout_seconds": (row.get("draft") or {}).get("timeout_seconds_after")}
    if row.get("flows") is not None:
        # Compact: the published flows that call it ({name, type, version}); [] when none does. Applying ignores it.
        entry["flows"] = [dict((key, flow.get(key)) for key in ("name", "type", "version"))
                          for flow in row["flows"] if flow.get("state") == "published"]
    elif row.get("flows_unknown"):
        entry["flows_unknown"] = row["flows_unknown"]
    return entry


def timeout_plan(report, source=None):
    """The actions a dry run would change (or a run changed), per org, small enough to travel as a set_stats artifact."""
    named = _named(source)
    kind, report = read_any_report(report, named)
    return plan_of(kind, report, named)


def plan_of(kind, report, named="the report"):
    """timeout_plan for a report already read as schema 2 has it (by read_any_report, or built here)."""
    org_reports = [report] if kind == ORG else report["orgs"]
    orgs = {}
    for org_report in org_reports:
        name = text(org_report["org"])
        if name in orgs:
            raise AnsibleFilterError("%s holds org %r twice" % (named, name))
        orgs[name] = _plan_of_org(org_report, named)
    return {
        "schema_version": SCHEMA_VERSION,
        "report_type": PLAN,
        "run_id": text(report["run_id"]),
        "mode": report["mode"],
        "check_mode": bool(report["check_mode"]),
        "generated_at": text(report["generated_at"]) or utc_now_iso(),
        "orgs": orgs,
    }

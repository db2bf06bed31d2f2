# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesyscloud.cx contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Build, combine and read the data-action timeout reports (schema version 2; version 1 is still read).

The report schema is documented in roles/data_action_timeouts/REPORTS.md.
The Markdown and HTML renderers live in their own filter files and import the
shared helpers from here.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import datetime

from collections.abc import Mapping

from ansible.errors import AnsibleFilterError
from ansible.module_utils.parsing.convert_bool import boolean
from ansible.module_utils.six import string_types
from ansible.module_utils.six.moves.urllib.parse import urlsplit, urlunsplit

SCHEMA_VERSION = 2
# Version 1 (collection 0.1.0) lacks the effective timeouts; it is still read, to roll back its runs.
READABLE_SCHEMA_VERSIONS = (1, 2)
# An action without timeoutSeconds runs with the platform default, which is also the maximum.
PLATFORM_DEFAULT_TIMEOUT = 60
MODES = ("audit", "remediate", "rollback")
MODULE_STATUSES = ("updated", "unchanged", "would_update", "drifted", "failed")
# Every status a row can carry, in the order reports list them.
STATUSES = ("updated", "would_update", "at_risk", "drifted", "failed", "unchanged",
            "not_selected", "ok", "not_applicable")
KINDS = ("custom", "static", "custom_auth")
# Inclusive bounds of the timeout buckets. "unset" runs at 60 s, so it comes last, after "31-60".
BUCKETS = (
    ("1-3", 1, 3),
    ("4-5", 4, 5),
    ("6-10", 6, 10),
    ("11-20", 11, 20),
    ("21-30", 21, 30),
    ("31-60", 31, 60),
    ("unset", None, None),
)
ROW_KEYS = ("id", "name", "category", "integration_id", "kind", "secure",
            "timeout_seconds_before", "timeout_seconds_after",
            "version_before", "version_after", "status", "msg")
ORG_REPORT_KEYS = ("schema_version", "report_type", "run_id", "org", "mode", "check_mode",
                   "threshold", "target", "generated_at", "summary", "rows")
RUN_REPORT_KEYS = ("schema_version", "report_type", "run_id", "generated_at", "mode",
                   "check_mode", "orgs", "totals")

_NOT_APPLICABLE_MSG = {
    "static": "built-in static action: the public API cannot update it",
    "custom_auth": "custom authentication action: timeoutSeconds is invalid for it",
}


# ---------------------------------------------------------------- input coercion

def _int_or_none(value, what):
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise AnsibleFilterError("%s must be an integer, got a boolean" % what)
    try:
        return int(value)
    except (TypeError, ValueError):
        raise AnsibleFilterError("%s must be an integer or null, got %r" % (what, value))


def _seconds_option(value, what):
    seconds = _int_or_none(value, what)
    if seconds is None or not 1 <= seconds <= 60:
        raise AnsibleFilterError("%s must be a number of seconds from 1 to 60, got %r" % (what, value))
    return seconds


def _bool_option(value, what):
    try:
        return boolean(value, strict=True)
    except TypeError:
        raise AnsibleFilterError("%s must be a boolean, got %r" % (what, value))


def _text(value):
    return "" if value is None else str(value)


def _text_or_none(value):
    return None if value is None else str(value)


def _is_list(value):
    return isinstance(value, (list, tuple)) or (
        hasattr(value, "__iter__") and not isinstance(value, (string_types, Mapping, bytes)))


def _safe_api_base_url(url):
    """Drop any user:password@ part and query string: a report must never carry a credential."""
    if url is None or url == "":
        return None
    parts = urlsplit(str(url))
    host = parts.hostname or ""
    if parts.port:
        host = "%s:%d" % (host, parts.port)
    return urlunsplit((parts.scheme, host, parts.path, "", ""))


def _utc_now_iso():
    now = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
    return now.strftime("%Y-%m-%dT%H:%M:%SZ")


def _run_id_from(generated_at):
    return generated_at.replace("-", "").replace(":", "")


def effective_timeout(timeout_seconds):
    """The timeout an action runs with: the configured one, or the 60 s platform default when unset."""
    return PLATFORM_DEFAULT_TIMEOUT if timeout_seconds is None else timeout_seconds


def bucket_of(timeout_seconds):
    """Name of the distribution bucket a configured timeout falls into."""
    if timeout_seconds is None:
        return "unset"
    for name, low, high in BUCKETS[:-1]:
        if low <= timeout_seconds <= high:
            return name
    # Values outside 1..60 should not exist; keep them visible in the nearest bucket.
    return BUCKETS[0][0] if timeout_seconds < 1 else BUCKETS[-2][0]


def is_low(timeout_seconds, threshold):
    """True when the timeout an action runs with is at or below the threshold (unset runs at 60 s)."""
    return effective_timeout(timeout_seconds) <= threshold


# ---------------------------------------------------------------- org report

def _action_row(action, index):
    if not isinstance(action, Mapping):
        raise AnsibleFilterError("data_actions[%d] must be a dict, got %s" % (index, type(action).__name__))
    if not action.get("id"):
        raise AnsibleFilterError("data_actions[%d] has no id" % index)
    kind = _text(action.get("kind")) or "custom"
    version = _int_or_none(action.get("version"), "data_actions[%d].version" % index)
    timeout = _int_or_none(action.get("timeout_seconds"), "data_actions[%d].timeout_seconds" % index)
    return {
        "id": str(action["id"]),
        "name": _text(action.get("name")),
        "category": _text(action.get("category")),
        "integration_id": _text_or_none(action.get("integration_id")),
        "kind": kind,
        "secure": bool(action.get("secure")),
        "timeout_seconds_before": timeout,
        "timeout_seconds_after": timeout,
        "effective_timeout_seconds_before": effective_timeout(timeout),
        "effective_timeout_seconds_after": effective_timeout(timeout),
        "version_before": version,
        "version_after": version,
        "status": None,
        "msg": "",
    }


def _apply_result(row, result, index):
    what = "results[%d]" % index
    status = _text(result.get("status"))
    if status not in MODULE_STATUSES:
        raise AnsibleFilterError("%s.status must be one of %s, got %r"
                                 % (what, ", ".join(MODULE_STATUSES), result.get("status")))
    row["status"] = status
    if result.get("name"):
        row["name"] = str(result["name"])
    # The module read the action just before acting: its view of "before" wins over the earlier listing.
    for key in ("timeout_seconds_before", "timeout_seconds_after", "version_before", "version_after"):
        if key in result:
            row[key] = _int_or_none(result[key], "%s.%s" % (what, key))
    _set_effective(row)
    row["msg"] = _text(result.get("msg"))


def _set_effective(row):
    row["effective_timeout_seconds_before"] = effective_timeout(row["timeout_seconds_before"])
    row["effective_timeout_seconds_after"] = effective_timeout(row["timeout_seconds_after"])


def _classify_untouched(row, mode, threshold, target):
    if row["kind"] in _NOT_APPLICABLE_MSG:
        row["status"] = "not_applicable"
        row["msg"] = _NOT_APPLICABLE_MSG[row["kind"]]
        return
    before = row["timeout_seconds_before"]
    # Remediation only raises: a low timeout already at the target is one it would leave alone.
    if not is_low(before, threshold) or effective_timeout(before) >= target:
        row["status"] = "ok"
        return
    shown = format_timeout(before)
    if mode == "audit":
        row["status"] = "at_risk"
        row["timeout_seconds_after"] = target
        _set_effective(row)
        # The action has not been changed yet, so there is no version after.
        row["version_after"] = None
        row["msg"] = "timeout %s is at or below %d s; remediation would set %d s" % (shown, threshold, target)
    else:
        row["status"] = "not_selected"
        row["msg"] = "timeout %s is at or below %d s but was not part of this run" % (shown, threshold)


def _row_changes(row):
    """True when the row's timeout changed, or would change if the plan were applied."""
    if row["status"] == "updated":
        return True
    if row["status"] in ("would_update", "at_risk"):
        return row["timeout_seconds_after"] != row["timeout_seconds_before"]
    return False


def _row_timeout_now(row):
    """The timeout an action has (or would have) once the run is done, for the distribution."""
    if row["status"] in ("updated", "would_update", "at_risk", "unchanged"):
        return row["timeout_seconds_after"]
    return row["timeout_seconds_before"]


def _sort_key(row):
    return (row["name"].casefold(), row["name"], row["id"])


def summarize(rows, threshold):
    """Counts by status, low-timeout count (by effective timeout), changes and the before/after distribution."""
    by_status = dict((status, 0) for status in STATUSES)
    distribution = [{"bucket": name, "before": 0, "after": 0} for name, _low, _high in BUCKETS]
    slot = dict((entry["bucket"], entry) for entry in distribution)
    at_risk = 0
    changed = 0
    for row in rows:
        by_status[row["status"]] = by_status.get(row["status"], 0) + 1
        if _row_changes(row):
            changed += 1
        # Only custom actions have a timeout the API lets us set; static and auth actions would skew the chart.
        if row["kind"] != "custom":
            continue
        if is_low(row["timeout_seconds_before"], threshold):
            at_risk += 1
        slot[bucket_of(row["timeout_seconds_before"])]["before"] += 1
        slot[bucket_of(_row_timeout_now(row))]["after"] += 1
    return {
        "actions": len(rows),
        "at_risk": at_risk,
        "changed": changed,
        "by_status": by_status,
        "distribution": distribution,
    }


def timeout_report(data_actions, results=None, org=None, mode="audit", threshold=3, target=10,
                   check_mode=False, run_id=None, api_base_url=None, generated_at=None):
    """One org's report: a row per action seen, merged with the module's results."""
    if data_actions is None:
        data_actions = []
    if not _is_list(data_actions):
        raise AnsibleFilterError("timeout_report expects the list data_actions from data_action_info, got %s"
                                 % type(data_actions).__name__)
    if results is None:
        results = []
    if not _is_list(results):
        raise AnsibleFilterError("results must be the list results from data_action_timeout, got %s"
                                 % type(results).__name__)
    mode = _text(mode)
    if mode not in MODES:
        raise AnsibleFilterError("mode must be one of %s, got %r" % (", ".join(MODES), mode))
    threshold = _seconds_option(threshold, "threshold")
    target = _seconds_option(target, "target")
    check_mode = _bool_option(check_mode, "check_mode")
    generated_at = _text(generated_at) or _utc_now_iso()

    rows = {}
    for index, action in enumerate(data_actions):
        row = _action_row(action, index)
        rows[row["id"]] = row
    for index, result in enumerate(results):
        if not isinstance(result, Mapping) or not result.get("id"):
            raise AnsibleFilterError("results[%d] must be a dict with an id" % index)
        row = rows.get(str(result["id"]))
        if row is None:
            # The module touched an action the listing did not show (e.g. selected by id): keep it.
            row = _action_row({"id": result["id"], "name": result.get("name"),
                               "timeout_seconds": result.get("timeout_seconds_before"),
                               "version": result.get("version_before")}, index)
            rows[row["id"]] = row
        _apply_result(row, result, index)
    for row in rows.values():
        if row["status"] is None:
            _classify_untouched(row, mode, threshold, target)

    ordered = sorted(rows.values(), key=_sort_key)
    return {
        "schema_version": SCHEMA_VERSION,
        "report_type": "org",
        "run_id": _text(run_id) or _run_id_from(generated_at),
        "org": _text(org),
        "api_base_url": _safe_api_base_url(api_base_url),
        "mode": mode,
        "check_mode": check_mode,
        "threshold": threshold,
        "target": target,
        "generated_at": generated_at,
        "summary": summarize(ordered, threshold),
        "rows": ordered,
    }


# ---------------------------------------------------------------- shared by the renderers

STATUS_LABELS = {
    "updated": "updated",
    "would_update": "would update",
    "at_risk": "at risk",
    "drifted": "drifted",
    "failed": "failed",
    "unchanged": "unchanged",
    "not_selected": "not selected",
    "ok": "ok",
    "not_applicable": "not applicable",
}


def format_timeout(seconds):
    """A configured timeout in words; an unset one shows what it runs with."""
    return "unset (%d s)" % PLATFORM_DEFAULT_TIMEOUT if seconds is None else "%d s" % seconds


def format_version(version):
    return "-" if version is None else "%d" % version


def changes_label(report):
    """What the changed count means for this report: done, or only planned."""
    if report.get("mode") == "audit" or report.get("check_mode"):
        return "Would change"
    if report.get("mode") == "rollback":
        return "Rolled back"
    return "Changed"


def mode_label(report):
    mode = _text(report.get("mode")) or "-"
    if report.get("mode") == "audit":
        return mode
    return "%s (check mode)" % mode if report.get("check_mode") else mode


def changing_rows(report):
    """Rows whose timeout changed or would change, in report order."""
    return [row for row in report["rows"] if _row_changes(row)]


def attention_rows(report):
    """Rows a person must look at: failures, drift, and low timeouts this run left alone."""
    wanted = ("failed", "drifted", "not_selected")
    return [row for row in report["rows"] if row["status"] in wanted]


def org_error(report):
    """The failure the role recorded for an org (optional key error), as one line of text, or ''."""
    error = report.get("error")
    if not error:
        return ""
    if isinstance(error, Mapping):
        error = error.get("msg") or error
    return " ".join(str(error).split())


# ---------------------------------------------------------------- validation

def _missing(mapping, keys):
    return [key for key in keys if key not in mapping]


def _check_schema_version(report, what):
    if report.get("schema_version") not in READABLE_SCHEMA_VERSIONS:
        raise AnsibleFilterError("%s has schema_version %r; this collection reads schema_version %s"
                                 % (what, report.get("schema_version"),
                                    " or ".join("%d" % v for v in READABLE_SCHEMA_VERSIONS)))


def check_org_report(report, what="report"):
    """Raise AnsibleFilterError naming what is wrong unless this is an org report we can read."""
    if not isinstance(report, Mapping):
        raise AnsibleFilterError("%s must be a timeout report (a dict), got %s" % (what, type(report).__name__))
    _check_schema_version(report, what)
    missing = _missing(report, ORG_REPORT_KEYS)
    if missing:
        raise AnsibleFilterError("%s is missing key(s): %s" % (what, ", ".join(missing)))
    if report["report_type"] != "org":
        raise AnsibleFilterError("%s has report_type %r where an org report was expected"
                                 % (what, report["report_type"]))
    if not _is_list(report["rows"]):
        raise AnsibleFilterError("%s.rows must be a list" % what)
    for index, row in enumerate(report["rows"]):
        if not isinstance(row, Mapping):
            raise AnsibleFilterError("%s.rows[%d] must be a dict" % (what, index))
        missing = _missing(row, ROW_KEYS)
        if missing:
            raise AnsibleFilterError("%s.rows[%d] (id %s) is missing key(s): %s"
                                     % (what, index, row.get("id", "?"), ", ".join(missing)))
        if row["status"] not in STATUSES:
            raise AnsibleFilterError("%s.rows[%d] (id %s) has unknown status %r"
                                     % (what, index, row.get("id"), row["status"]))


def check_run_report(report, what="report"):
    if not isinstance(report, Mapping):
        raise AnsibleFilterError("%s must be a timeout run report (a dict), got %s" % (what, type(report).__name__))
    _check_schema_version(report, what)
    missing = _missing(report, RUN_REPORT_KEYS)
    if missing:
        raise AnsibleFilterError("%s is missing key(s): %s" % (what, ", ".join(missing)))
    for index, org_report in enumerate(report["orgs"]):
        check_org_report(org_report, "%s.orgs[%d]" % (what, index))


def check_any_report(report):
    """Validate an org or a run report; returns 'org' or 'run'."""
    if isinstance(report, Mapping) and report.get("report_type") == "run":
        check_run_report(report)
        return "run"
    check_org_report(report)
    return "org"


# ---------------------------------------------------------------- run report

def _common(values, mixed):
    distinct = sorted(set(values), key=repr)
    if len(distinct) == 1:
        return distinct[0]
    return mixed


def timeout_run_report(org_reports, run_id=None, generated_at=None):
    """Combine the org reports of one run into one report with totals."""
    if isinstance(org_reports, Mapping):
        # hostvars-style mapping host -> report: the keys add nothing the reports do not hold.
        org_reports = [org_reports[key] for key in sorted(org_reports)]
    if not _is_list(org_reports):
        raise AnsibleFilterError("timeout_run_report expects a list of org reports, got %s"
                                 % type(org_reports).__name__)
    # Hosts that failed before producing a report are left out rather than failing the summary.
    reports = [report for report in org_reports if report is not None]
    for index, report in enumerate(reports):
        check_org_report(report, "org_reports[%d]" % index)
    reports = sorted(reports, key=lambda report: (_text(report["org"]).casefold(), _text(report["org"])))
    generated_at = _text(generated_at) or _utc_now_iso()
    run_id = _text(run_id) or _common([_text(r["run_id"]) for r in reports], None) or _run_id_from(generated_at)

    by_status = dict((status, 0) for status in STATUSES)
    distribution = [{"bucket": name, "before": 0, "after": 0} for name, _low, _high in BUCKETS]
    totals = {"orgs": len(reports), "actions": 0, "at_risk": 0, "changed": 0,
              "orgs_with_failures": 0, "orgs_with_drift": 0, "orgs_with_errors": 0}
    for report in reports:
        summary = report["summary"]
        for key in ("actions", "at_risk", "changed"):
            totals[key] += int(summary.get(key, 0))
        for status, count in summary.get("by_status", {}).items():
            by_status[status] = by_status.get(status, 0) + int(count)
        for entry in summary.get("distribution", []):
            for slot in distribution:
                if slot["bucket"] == entry.get("bucket"):
                    slot["before"] += int(entry.get("before", 0))
                    slot["after"] += int(entry.get("after", 0))
        if summary.get("by_status", {}).get("failed"):
            totals["orgs_with_failures"] += 1
        if summary.get("by_status", {}).get("drifted"):
            totals["orgs_with_drift"] += 1
        if report.get("error"):
            totals["orgs_with_errors"] += 1
    totals["by_status"] = by_status
    totals["distribution"] = distribution

    return {
        "schema_version": SCHEMA_VERSION,
        "report_type": "run",
        "run_id": run_id,
        "generated_at": generated_at,
        "mode": _common([r["mode"] for r in reports], "mixed") if reports else None,
        "check_mode": all(bool(r["check_mode"]) for r in reports) if reports else False,
        "orgs": [dict(report) for report in reports],
        "totals": totals,
    }


# ---------------------------------------------------------------- plans

def _org_report_for(report, org):
    kind = check_any_report(report)
    if kind == "org":
        if org is not None and _text(org) != _text(report["org"]):
            raise AnsibleFilterError("report is for org %r, not %r" % (report["org"], org))
        return report
    orgs = report["orgs"]
    if org is None:
        if len(orgs) == 1:
            return orgs[0]
        raise AnsibleFilterError("report is a run report with %d orgs: pass org=<name> to pick one (%s)"
                                 % (len(orgs), ", ".join(_text(o["org"]) for o in orgs)))
    for org_report in orgs:
        if _text(org_report["org"]) == _text(org):
            return org_report
    raise AnsibleFilterError("run report has no org %r (it has: %s)"
                             % (org, ", ".join(_text(o["org"]) for o in orgs) or "none"))


def timeout_plan_actions(report, purpose="apply", org=None):
    """The data_action_timeout 'actions' list that applies a report's plan, or rolls back its changes."""
    if purpose not in ("apply", "rollback"):
        raise AnsibleFilterError("purpose must be 'apply' or 'rollback', got %r" % (purpose,))
    org_report = _org_report_for(report, org)
    plan = []
    for row in org_report["rows"]:
        if purpose == "apply":
            if row["status"] not in ("would_update", "at_risk") or not _row_changes(row):
                continue
            if row["timeout_seconds_after"] is None:
                raise AnsibleFilterError("row %s plans no timeout_seconds_after; cannot apply it" % row["id"])
            plan.append({"id": row["id"], "timeout_seconds": row["timeout_seconds_after"],
                         "version": row["version_before"]})
        elif row["status"] == "updated":
            # version_after pins the rollback to the state we left: a later edit makes it drift, not vanish.
            plan.append({"id": row["id"], "timeout_seconds": row["timeout_seconds_before"],
                         "version": row["version_after"]})
    return plan


class FilterModule(object):
    """Report filters for data-action timeout runs."""

    def filters(self):
        return {
            "timeout_report": timeout_report,
            "timeout_run_report": timeout_run_report,
            "timeout_plan_actions": timeout_plan_actions,
        }

# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesyscloud.cx contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# FOR INTERNAL COLLECTION USE ONLY
# The interfaces in this file are meant for use within the genesyscloud.cx collection and may change in
# any release. The report schema is documented in roles/data_action_timeouts/REPORTS.md.

"""Reports read back (every readable schema version, upgraded to the current one), and the run report built from
its org reports."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import copy
from collections.abc import Mapping

from ansible.errors import AnsibleFilterError

from ansible_collections.genesyscloud.cx.plugins.module_utils._journal import NOT_ATTEMPTED
from ansible_collections.genesyscloud.cx.plugins.module_utils.data_actions import (
    DRIFTED,
    FAILED,
    WOULD_UPDATE,
    effective_timeout,
)
from ansible_collections.genesyscloud.cx.plugins.plugin_utils._org_reports import (
    _untried_in_a_run_that_wrote,
    rate_limit_of,
)
from ansible_collections.genesyscloud.cx.plugins.plugin_utils._report_values import (
    BUCKETS,
    _run_id_from,
    is_list,
    text,
    utc_now_iso,
)
from ansible_collections.genesyscloud.cx.plugins.plugin_utils._reports import (
    EDGE_COUNT_KEYS,
    MODES,
    ORG,
    ORG_REPORT_KEYS,
    READABLE_SCHEMA_VERSIONS,
    ROLLBACK,
    ROW_EDGE_KEYS,
    ROW_FLOW_KEYS,
    ROW_KEYS,
    ROW_OBSERVED_KEYS,
    RUN,
    RUN_REPORT_KEYS,
    SCHEMA_VERSION,
    STATUSES,
    V1_AT_RISK,
    VERDICTS_BY_RISK,
    VERIFY_COUNT_KEYS,
    WRITING_MODES,
)
from ansible_collections.genesyscloud.cx.plugins.plugin_utils._since_last_run import since_counts


# ---------------------------------------------------------------- reading reports back

def _missing(mapping, keys):
    return [key for key in keys if key not in mapping]


def _check_schema_version(report, what):
    if report.get("schema_version") not in READABLE_SCHEMA_VERSIONS:
        raise AnsibleFilterError("%s has schema_version %r; this collection reads schema_version %s"
                                 % (what, report.get("schema_version"),
                                    " or ".join("%d" % v for v in READABLE_SCHEMA_VERSIONS)))


def _upgrade_row(row):
    """A row as schema 2 has it: effective timeouts, the observed fields, verify; at_risk read as would_update."""
    row = dict(row)
    if row["status"] == V1_AT_RISK:
        row["status"] = WOULD_UPDATE
    for when in ("before", "after"):
        key = "effective_timeout_seconds_" + when
        if row.get(key) is None:
            row[key] = effective_timeout(row.get("timeout_seconds_" + when))
    for key in ROW_OBSERVED_KEYS + ROW_EDGE_KEYS + ROW_FLOW_KEYS + ("verify",):
        row.setdefault(key, None)
    return row


def _upgrade_summary(summary, mode, use_stats, verify_used, untried=0):
    summary = dict(summary) if isinstance(summary, Mapping) else {}
    by_status = dict((status, 0) for status in STATUSES)
    for status, count in (summary.get("by_status") or {}).items():
        status = WOULD_UPDATE if status == V1_AT_RISK else status
        by_status[status] = by_status.get(status, 0) + int(count or 0)
    if untried:
        # Those rows were counted as changed: they were not.
        by_status[WOULD_UPDATE] -= untried
        by_status[NOT_ATTEMPTED] += untried
        summary["changed"] = max(0, int(summary.get("changed") or 0) - untried)
        if mode == ROLLBACK:
            summary["restored"] = summary["changed"]
    summary["by_status"] = by_status
    # Schema 1 called the low count "at_risk".
    legacy_low = summary.pop("at_risk", 0)
    summary.setdefault("low", int(legacy_low or 0))
    summary.setdefault("changed", 0)
    summary.setdefault("restored", summary["changed"] if mode == ROLLBACK else 0)
    summary.setdefault("by_verdict", dict((v, 0) for v in VERDICTS_BY_RISK) if use_stats else None)
    summary.setdefault("verify", None)
    summary.setdefault("flows_touched", None)
    if verify_used and summary["verify"] is None:
        summary["verify"] = dict((key, 0) for key in VERIFY_COUNT_KEYS)
    summary.setdefault("distribution", [])
    summary.setdefault("actions", 0)
    for key in EDGE_COUNT_KEYS:
        summary.setdefault(key, 0)
    return summary


def read_org_report(report, what="report"):
    """The org report as schema 2 has it (a copy), or AnsibleFilterError naming what is wrong.

    Schema 1 reports (and their at_risk rows) are read: the missing keys get their schema 2 defaults.
    """
    if not isinstance(report, Mapping):
        raise AnsibleFilterError("%s must be a timeout report (a dict), got %s" % (what, type(report).__name__))
    _check_schema_version(report, what)
    missing = _missing(report, ORG_REPORT_KEYS)
    if missing:
        raise AnsibleFilterError("%s is missing key(s): %s" % (what, ", ".join(missing)))
    if report["report_type"] != ORG:
        raise AnsibleFilterError("%s has report_type %r where an org report was expected" % (what, report["report_type"]))
    if text(report["mode"]) not in MODES:
        raise AnsibleFilterError("%s has mode %r; one of %s was expected" % (what, report["mode"], ", ".join(MODES)))
    if not is_list(report["rows"]):
        raise AnsibleFilterError("%s.rows must be a list" % what)
    rows = []
    wrote = report["mode"] in WRITING_MODES and not report.get("check_mode")
    untried = 0
    for index, row in enumerate(report["rows"]):
        if not isinstance(row, Mapping):
            raise AnsibleFilterError("%s.rows[%d] must be a dict" % (what, index))
        missing = _missing(row, ROW_KEYS)
        if missing:
            raise AnsibleFilterError("%s.rows[%d] (action %s) is missing key(s): %s"
                                     % (what, index, row.get("id", "?"), ", ".join(missing)))
        if row["status"] not in STATUSES + (V1_AT_RISK,):
            raise AnsibleFilterError("%s.rows[%d] (action %s) has unknown status %r"
                                     % (what, index, row.get("id"), row["status"]))
        row = _upgrade_row(row)
        if wrote and row["status"] == WOULD_UPDATE:
            untried += 1
            row = _untried_in_a_run_that_wrote(row)
        rows.append(row)
    upgraded = dict(report)
    upgraded["rows"] = rows
    upgraded.setdefault("use_stats", any(row["verdict"] for row in rows))
    upgraded.setdefault("stats_options", None)
    upgraded["warnings"] = [text(w) for w in (report.get("warnings") or [])]
    upgraded.setdefault("api_base_url", None)
    upgraded["rate_limit"] = rate_limit_of(report.get("rate_limit"))
    # What moved since the org's last run (the org task compares); None when it compared with nothing.
    upgraded.setdefault("since_last_run", None)
    upgraded["summary"] = _upgrade_summary(report["summary"], report["mode"], upgraded["use_stats"],
                                           any(row["verify"] for row in rows), untried)
    return upgraded


def read_run_report(report, what="report"):
    """The run report as schema 2 has it (a copy, every org read by read_org_report)."""
    if not isinstance(report, Mapping):
        raise AnsibleFilterError("%s must be a timeout run report (a dict), got %s" % (what, type(report).__name__))
    _check_schema_version(report, what)
    missing = _missing(report, RUN_REPORT_KEYS)
    if missing:
        raise AnsibleFilterError("%s is missing key(s): %s" % (what, ", ".join(missing)))
    if not is_list(report["orgs"]):
        raise AnsibleFilterError("%s.orgs must be a list" % what)
    orgs = [read_org_report(org_report, "%s.orgs[%d]" % (what, index))
            for index, org_report in enumerate(report["orgs"])]
    upgraded = dict(report)
    upgraded["orgs"] = orgs
    # The totals are a sum over the orgs: summing again also fills in what schema 1 lacked.
    upgraded["totals"] = run_totals(orgs)
    return upgraded


def read_any_report(report, what="report"):
    """(ORG or RUN, the report as schema 2 has it)."""
    if isinstance(report, Mapping) and report.get("report_type") == RUN:
        return RUN, read_run_report(report, what)
    return ORG, read_org_report(report, what)


# ---------------------------------------------------------------- run report

def _common(values, mixed):
    distinct = sorted(set(values), key=repr)
    if len(distinct) == 1:
        return distinct[0]
    return mixed


def _add_counts(total, counts):
    """Sum counts into total; None (not used by this org) adds nothing, and stays None if no org used it."""
    if counts is None:
        return total
    total = dict(total or {})
    for key, count in counts.items():
        total[key] = total.get(key, 0) + int(count or 0)
    return total


def run_totals(reports):
    by_status = dict((status, 0) for status in STATUSES)
    distribution = [{"bucket": name, "before": 0, "after": 0} for name, _low, _high in BUCKETS]
    totals = {"orgs": len(reports), "actions": 0, "low": 0, "changed": 0, "restored": 0,
              "orgs_with_failures": 0, "orgs_with_drift": 0, "orgs_with_errors": 0, "orgs_with_warnings": 0}
    totals.update((key, 0) for key in EDGE_COUNT_KEYS)
    by_verdict = verify = rate_limit = since = flows = None
    for report in reports:
        counts = since_counts(report)
        if counts is not None:
            since = _add_counts(since or {"orgs_compared": 0}, counts)
            since["orgs_compared"] += 1
        touched = report["summary"].get("flows_touched")
        if touched is not None:
            # Flows belong to one org: the run's count is the orgs' counts added.
            flows = flows or {"count": 0, "unknown_actions": 0, "orgs": 0}
            flows["count"] += int(touched.get("count") or 0)
            flows["unknown_actions"] += int(touched.get("unknown_actions") or 0)
            flows["orgs"] += 1
        if report.get("rate_limit"):
            rate_limit = rate_limit or {"rate_limited": 0, "waited_seconds": 0.0, "held_seconds": 0.0,
                                        "orgs_paced_lower": 0}
            for key in ("rate_limited", "waited_seconds", "held_seconds"):
                rate_limit[key] += report["rate_limit"].get(key) or 0
            rate_limit["orgs_paced_lower"] += 1 if report["rate_limit"].get("learned_requests_per_minute") else 0
        summary = report["summary"]
        for key in ("actions", "low", "changed", "restored") + EDGE_COUNT_KEYS:
            totals[key] += int(summary.get(key) or 0)
        by_status = _add_counts(by_status, summary.get("by_status"))
        by_verdict = _add_counts(by_verdict, summary.get("by_verdict"))
        verify = _add_counts(verify, summary.get("verify"))
        for entry in summary.get("distribution", []):
            for slot in distribution:
                if slot["bucket"] == entry.get("bucket"):
                    slot["before"] += int(entry.get("before", 0))
                    slot["after"] += int(entry.get("after", 0))
        if (summary.get("by_status") or {}).get(FAILED):
            totals["orgs_with_failures"] += 1
        if (summary.get("by_status") or {}).get(DRIFTED):
            totals["orgs_with_drift"] += 1
        if report.get("error"):
            totals["orgs_with_errors"] += 1
        if report.get("warnings"):
            totals["orgs_with_warnings"] += 1
    if rate_limit is not None:
        rate_limit["waited_seconds"] = round(rate_limit["waited_seconds"], 3)
        rate_limit["held_seconds"] = round(rate_limit["held_seconds"], 3)
    totals.update(by_status=by_status, by_verdict=by_verdict, distribution=distribution, verify=verify,
                  rate_limit=rate_limit, since_last_run=since, flows_touched=flows)
    return totals


def timeout_run_report(org_reports, run_id=None, generated_at=None):
    """Combine the org reports of one run into one report with totals (sharing nothing with its input)."""
    return build_run_report(org_reports, run_id=run_id, generated_at=generated_at, detach=True)


def build_run_report(org_reports, run_id=None, generated_at=None, detach=True):
    """timeout_run_report; ``detach=False`` for org reports no one else holds (read from their files), which
    spares copying every row of a large org once more."""
    if isinstance(org_reports, Mapping):
        # hostvars-style mapping host -> report: the keys add nothing the reports do not hold.
        org_reports = [org_reports[key] for key in sorted(org_reports)]
    if not is_list(org_reports):
        raise AnsibleFilterError("timeout_run_report expects a list of org reports, got %s"
                                 % type(org_reports).__name__)
    # Hosts that failed before producing a report are left out rather than failing the summary.
    reports = [read_org_report(report, "org_reports[%d]" % index)
               for index, report in enumerate(org_reports) if report is not None]
    reports = sorted(reports, key=lambda report: (text(report["org"]).casefold(), text(report["org"])))
    generated_at = text(generated_at) or utc_now_iso()
    run_id = text(run_id) or _common([text(r["run_id"]) for r in reports], None) or _run_id_from(generated_at)
    return {
        "schema_version": SCHEMA_VERSION,
        "report_type": RUN,
        "run_id": run_id,
        "generated_at": generated_at,
        "mode": _common([r["mode"] for r in reports], "mixed") if reports else None,
        "check_mode": all(bool(r["check_mode"]) for r in reports) if reports else False,
        "orgs": [copy.deepcopy(report) for report in reports] if detach else reports,
        "totals": run_totals(reports),
    }

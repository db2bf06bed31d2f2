# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesyscloud.cx contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# FOR INTERNAL COLLECTION USE ONLY
# The interfaces in this file are meant for use within the genesyscloud.cx collection and may change in
# any release. The filter timeout_report_markdown is the public interface.

"""Render a timeout report as Markdown for a change ticket.

The report's structure is in report_templates/ (report.md, org.md, totals.md, tables.md), rendered by Jinja2;
this file builds what they show and the filters that escape a table's cells.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import re

from ansible_collections.genesyscloud.cx.plugins.plugin_utils._since_view import since_view
from ansible_collections.genesyscloud.cx.plugins.plugin_utils._report_templates import report_template
from ansible_collections.genesyscloud.cx.plugins.plugin_utils._report_view import (
    VERDICT_MEANINGS,
    attention_detail,
    attention_rows,
    changes_label,
    changing_rows,
    draft_publishing,
    draft_rows,
    draft_status_label,
    format_count,
    format_executions,
    format_function_change,
    format_ms,
    format_p99,
    format_recommended,
    format_timeout,
    format_version,
    low_label,
    mode_label,
    none_changed_label,
    observed_rows,
    org_error,
    passed_text,
    rate_limit_label,
    stats_label,
    status_label,
    target_label,
    totals_columns,
    verdict_label,
    verdict_title,
    verify_rows,
    verify_text,
    with_functions,
    without_verdict,
    flow_rows,
    flows_touched_label,
)
from ansible_collections.genesyscloud.cx.plugins.module_utils.execution_stats import NO_DATA, OK as VERDICT_OK
from ansible_collections.genesyscloud.cx.plugins.plugin_utils._report_reading import read_any_report
from ansible_collections.genesyscloud.cx.plugins.plugin_utils._reports import ORG, ROLLBACK, STATUSES, VERDICTS_BY_RISK

# A change ticket lists every change, but only this many of the observed actions that need a look; the HTML
# and JSON reports list them all.
OBSERVED_MAX_ROWS = 50

# Characters that would break a table cell or turn a user-chosen name into markup: the pipe ends a cell, the
# others open code, emphasis, strikethrough, links and images, HTML and entities. A line break ends the row, so
# every run of white space becomes one space. (CommonMark lets a backslash escape any ASCII punctuation.)
# An underscore between two letters or digits never opens or closes emphasis, so Get_order_status stays as it is.
# An ampersand only starts an entity before a letter, a digit or #.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*~|<>\[\]]|(?<![^\W_])_|_(?![^\W_])|&(?=[#\w]))")


def _cell(value):
    text = "" if value is None else str(value)
    text = " ".join(text.split())
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def _code(value, in_table=True):
    """A code span; in a table its pipes are escaped too, since a table splits its rows into cells on every
    unescaped pipe before it reads any code span (GitHub's table rule)."""
    text = " ".join(("" if value is None else str(value)).split()).replace("`", "'")
    if in_table:
        text = text.replace("|", "\\|")
    return "`%s`" % text if text else ""


def _observed_cells(row):
    stats = row.get("stats") or {}
    return [format_executions(stats), format_p99(stats), format_ms(stats.get("max_ms")),
            format_count(stats.get("reached_timeout")), verdict_label(row.get("verdict")),
            format_recommended(row.get("recommended_timeout_seconds"))]


def _verify_errors(row):
    return "; ".join("%s: %s" % (when, outcome["error"]) for when, outcome in
                     (("before", row["verify"]["before"]), ("after", row["verify"]["after"]))
                     if outcome and outcome.get("error"))


_FILTERS = {
    "attention_detail": attention_detail,
    "cell": _cell,
    "code": _code,
    "draft_publishing": draft_publishing,
    "draft_status_label": draft_status_label,
    "function_change": format_function_change,
    "observed_cells": _observed_cells,
    "outcome_text": verify_text,
    "status_label": status_label,
    "timeout": format_timeout,
    "verify_errors": _verify_errors,
    "version": format_version,
}


def _summary_entries(report):
    summary = report["summary"]
    low_name, low_count = low_label(report)
    if report["mode"] != ROLLBACK:
        low_name = "At or below the threshold (%d s) before the run" % report["threshold"]
    entries = [("Actions seen", summary["actions"]), (low_name, low_count)]
    if report["mode"] != ROLLBACK:
        # A rollback's changes are what it restored, counted once.
        entries.append((changes_label(report), summary["changed"]))
    for status in STATUSES:
        count = summary["by_status"].get(status, 0)
        if count:
            entries.append(("Status: %s" % status_label(status), count))
    if summary.get("pending_drafts"):
        entries.append(("Pending drafts", summary["pending_drafts"]))
        entries.append(("Pending drafts holding another timeout (publishing would set it)", summary["drafts_other_timeout"]))
    if summary.get("function_actions"):
        entries.append(("Function actions (own timeout read)", summary["function_actions"]))
        entries.append(("Function actions whose timeout is above their function's", summary["above_function"]))
    verify = summary.get("verify")
    if verify:
        entries.append(("Tested", verify["tested"]))
        entries.append(("Passed before the change", passed_text(verify["passed_before"], verify["tested_before"])))
        entries.append(("Passed after the change", passed_text(verify["passed_after"], verify["tested_after"])))
        entries.append(("Timed out before / after", "%d / %d" % (verify["timed_out_before"], verify["timed_out_after"])))
    return [(name, count if isinstance(count, str) else "%d" % count) for name, count in entries]


def _org_view(report):
    """What org.md shows of one org."""
    with_stats = bool(report.get("use_stats"))
    view = dict(report=report, mode=mode_label(report), rollback=report["mode"] == ROLLBACK, target=target_label(report),
                with_stats=with_stats, rate_limit=rate_limit_label(report.get("rate_limit")), error=org_error(report),
                summary=_summary_entries(report), label=changes_label(report), changes=changing_rows(report),
                none_changed=none_changed_label(report), with_functions=with_functions(report),
                attention=attention_rows(report), drafts=draft_rows(report), tested=verify_rows(report),
                since=since_view(report), flows_touched=flows_touched_label(report), flow_rows=flow_rows(report))
    if with_stats:
        by_verdict = report["summary"]["by_verdict"] or {}
        missing = without_verdict(report)
        view.update(stats=stats_label(report), observed_max=OBSERVED_MAX_ROWS,
                    verdicts=[(verdict_label(verdict), "%d" % by_verdict.get(verdict, 0), VERDICT_MEANINGS.get(verdict, ""))
                              for verdict in VERDICTS_BY_RISK],
                    without_verdict=missing and "%d custom action%s got no verdict (no observed times were read for %s)."
                    % (missing, "" if missing == 1 else "s", "it" if missing == 1 else "them"),
                    # The actions whose observed times call for a look, riskiest first.
                    observed=[row for row in observed_rows(report) if row["verdict"] not in (VERDICT_OK, NO_DATA)])
    return view


def _totals_view(report):
    """The columns of the run's totals and each org's values in them (and the run's, in bold)."""
    totals = report["totals"]
    with_verdicts = totals.get("by_verdict") is not None
    with_low, with_restored = totals_columns(report)
    with_verify = totals.get("verify") is not None
    with_drafts = bool(totals.get("pending_drafts"))
    # Updates never sent are neither changed nor failed: a column of their own when a run left any.
    with_untried = bool(totals["by_status"].get("not_attempted"))
    columns = ["Actions seen"] + (["Low"] if with_low else []) + [changes_label(report), "Drifted", "Failed"]
    columns += ["Not attempted"] if with_untried else []
    columns += ["Restored"] if with_restored else []
    columns += ["Pending drafts"] if with_drafts else []
    columns += [verdict_title(verdict) for verdict in VERDICTS_BY_RISK] if with_verdicts else []
    columns += ["Tests passed after"] if with_verify else []

    def cells(summary):
        by_status = summary["by_status"]
        values = ["%d" % summary["actions"]] + (["%d" % summary["low"]] if with_low else []) + [
            "%d" % summary["changed"], "%d" % by_status.get("drifted", 0), "%d" % by_status.get("failed", 0)]
        values += ["%d" % by_status.get("not_attempted", 0)] if with_untried else []
        values += ["%d" % summary["restored"]] if with_restored else []
        values += ["%d" % summary.get("pending_drafts", 0)] if with_drafts else []
        if with_verdicts:
            values += ["-" if summary["by_verdict"] is None else "%d" % summary["by_verdict"].get(verdict, 0)
                       for verdict in VERDICTS_BY_RISK]
        if with_verify:
            verify = summary["verify"]
            values += ["-" if verify is None else passed_text(verify["passed_after"], verify["tested_after"])]
        return values

    return dict(columns=columns, cells=cells(totals),
                rows=[dict(name=org["org"], failed=bool(org_error(org)), cells=cells(org["summary"])) for org in report["orgs"]])


def timeout_report_markdown(report):
    """Markdown for an org report or a run report."""
    kind, report = read_any_report(report)
    return render_markdown(kind, report)


def render_markdown(kind, report):
    """timeout_report_markdown for a report already read as schema 2 has it (by read_any_report, or built here)."""
    if kind == ORG:
        context = dict(kind=kind, orgs=[_org_view(report)])
    else:
        rate_limit = report["totals"].get("rate_limit")
        context = dict(kind=kind, report=report, mode=mode_label(report), totals=_totals_view(report),
                       rate_limit=rate_limit and rate_limit_label(rate_limit),
                       paced_lower=rate_limit and rate_limit.get("orgs_paced_lower"),
                       orgs=(_org_view(org) for org in report["orgs"]))
    return report_template("report.md", _FILTERS).render(**context).rstrip("\n") + "\n"

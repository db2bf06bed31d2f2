# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesyscloud.cx contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# FOR INTERNAL COLLECTION USE ONLY
# The interfaces in this file are meant for use within the genesyscloud.cx collection and may change in
# any release. The filter timeout_report_markdown is the public interface.

"""Render a timeout report as Markdown for a change ticket."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import re

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
    passed_text,
    observed_rows,
    org_error,
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


def _table(header, rows, align=None):
    align = align or ["---"] * len(header)
    lines = ["| %s |" % " | ".join(header), "|%s|" % "|".join(align)]
    for row in rows:
        lines.append("| %s |" % " | ".join(row))
    return lines


def _observed_header():
    return ["Executions", "p99", "Max", "Reached timeout", "Verdict", "Recommended"]


_OBSERVED_ALIGN = ["---:", "---:", "---:", "---:", "---", "---:"]


def _observed_cells(row):
    stats = row.get("stats") or {}
    return [format_executions(stats), format_p99(stats), format_ms(stats.get("max_ms")),
            format_count(stats.get("reached_timeout")), verdict_label(row.get("verdict")),
            format_recommended(row.get("recommended_timeout_seconds"))]


def _summary_lines(report):
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
    return _table(["", "Count"], [[name, count if isinstance(count, str) else "%d" % count] for name, count in entries],
                  ["---", "---:"])


def _verdict_lines(report):
    by_verdict = report["summary"]["by_verdict"] or {}
    body = [[verdict_label(verdict), "%d" % by_verdict.get(verdict, 0), VERDICT_MEANINGS.get(verdict, "")]
            for verdict in VERDICTS_BY_RISK]
    lines = _table(["Verdict", "Custom actions", "Meaning"], body, ["---", "---:", "---"])
    missing = without_verdict(report)
    if missing:
        lines.extend(["", "%d custom action%s got no verdict (no observed times were read for %s)."
                      % (missing, "" if missing == 1 else "s", "it" if missing == 1 else "them")])
    return lines


def _change_table(rows, with_stats, functions=False):
    header = (["Action", "Category", "ID", "Timeout"] + (["Function timeout"] if functions else [])
              + ["Version", "Status"] + (_observed_header() if with_stats else []))
    body = []
    for row in rows:
        cells = [_cell(row["name"]), _cell(row["category"]), _code(row["id"]),
                 format_timeout(row["timeout_seconds_before"]) + " -> " + format_timeout(row["timeout_seconds_after"])]
        cells += [format_function_change(row)] if functions else []
        cells += [format_version(row["version_before"]) + " -> " + format_version(row["version_after"]),
                  status_label(row["status"])]
        body.append(cells + (_observed_cells(row) if with_stats else []))
    return _table(header, body, ["---"] * (7 if functions else 6) + (_OBSERVED_ALIGN if with_stats else []))


def _draft_table(rows):
    body = []
    for row in rows:
        draft = row["draft"]
        body.append([_cell(row["name"]), _code(row["id"]), format_timeout(row["timeout_seconds_after"]),
                     format_version(draft["version_before"]) + " -> " + format_version(draft["version_after"]),
                     format_timeout(draft["timeout_seconds_before"]) + " -> " + format_timeout(draft["timeout_seconds_after"]),
                     draft_status_label(draft), _cell(draft_publishing(row))])
    return _table(["Action", "ID", "Action timeout after", "Draft version", "Draft timeout", "Draft", "Publishing it"],
                  body)


def _attention_table(rows):
    body = []
    for row in rows:
        body.append([_cell(row["name"]), _code(row["id"]), format_timeout(row["timeout_seconds_before"]),
                     status_label(row["status"]), _cell(attention_detail(row))])
    return _table(["Action", "ID", "Timeout", "Status", "Detail"], body)


def _verify_table(rows):
    body = []
    for row in rows:
        before, after = row["verify"]["before"], row["verify"]["after"]
        errors = ["%s: %s" % (when, outcome["error"]) for when, outcome in (("before", before), ("after", after))
                  if outcome and outcome.get("error")]
        body.append([_cell(row["name"]), _code(row["id"]),
                     format_timeout(row["timeout_seconds_before"]) + " -> " + format_timeout(row["timeout_seconds_after"]),
                     verify_text(before), verify_text(after), _cell("; ".join(errors))])
    return _table(["Action", "ID", "Timeout", "Before the change", "After the change", "Error"], body)


def _observed_lines(report, heading):
    """The actions whose observed times call for a look, riskiest first, capped."""
    rows = [row for row in observed_rows(report) if row["verdict"] not in (VERDICT_OK, NO_DATA)]
    lines = ["%s Observed: timing out, at risk or oversized (%d)" % (heading, len(rows)), ""]
    if not rows:
        lines.extend(["No custom action is timing out, at risk or oversized.", ""])
        return lines
    body = [[_cell(row["name"]), _code(row["id"]), format_timeout(row["timeout_seconds_before"])] + _observed_cells(row)
            for row in rows[:OBSERVED_MAX_ROWS]]
    lines.extend(_table(["Action", "ID", "Timeout"] + _observed_header(), body, ["---"] * 3 + _OBSERVED_ALIGN))
    if len(rows) > OBSERVED_MAX_ROWS:
        lines.extend(["", "The %d riskiest are shown; %d more are in the HTML and JSON reports."
                      % (OBSERVED_MAX_ROWS, len(rows) - OBSERVED_MAX_ROWS)])
    lines.append("")
    return lines


def _org_lines(report, level, title=None):
    heading = "#" * level
    label = changes_label(report)
    with_stats = bool(report.get("use_stats"))
    lines = []
    if title:
        lines.extend([title, ""])
    lines.append("- Mode: %s" % mode_label(report))
    if report["mode"] == ROLLBACK:
        lines.append("- Rollback: %s" % target_label(report))
    else:
        lines.append("- Threshold: %d s (effective timeout; an unset one runs with the 60 s default); target: %s"
                     % (report["threshold"], target_label(report)))
    if with_stats:
        lines.append("- Stats: %s" % stats_label(report))
    if report.get("api_base_url"):
        lines.append("- API: %s" % _code(report["api_base_url"], in_table=False))
    lines.append("- Generated: %s (run %s)" % (_cell(report["generated_at"]), _code(report["run_id"], in_table=False)))
    if rate_limit_label(report.get("rate_limit")):
        lines.append("- Rate limit: %s" % _cell(rate_limit_label(report["rate_limit"])))
    lines.append("")
    if org_error(report):
        lines.extend(["> **The run failed for this org:** %s" % _cell(org_error(report)), ""])
    for warning in report.get("warnings") or []:
        lines.extend(["> **Warning:** %s" % _cell(warning), ""])
    lines.extend(["%s Summary" % heading, ""])
    lines.extend(_summary_lines(report))
    lines.append("")
    if with_stats:
        lines.extend(["%s Observed verdicts" % heading, ""])
        lines.extend(_verdict_lines(report))
        lines.append("")
    changes = changing_rows(report)
    lines.extend(["%s %s (%d)" % (heading, label, len(changes)), ""])
    if changes:
        lines.extend(_change_table(changes, with_stats, with_functions(report)))
    else:
        lines.append("No action's timeout %s." % none_changed_label(report))
    lines.append("")
    attention = attention_rows(report)
    if attention:
        lines.extend(["%s Needs attention (%d)" % (heading, len(attention)), ""])
        lines.extend(_attention_table(attention))
        lines.append("")
    drafts = draft_rows(report)
    if drafts:
        lines.extend(["%s Pending drafts (%d)" % (heading, len(drafts)), "",
                      "Publishing a draft replaces its action's configuration with the draft's, timeout included.", ""])
        lines.extend(_draft_table(drafts))
        lines.append("")
    tested = verify_rows(report)
    if tested:
        lines.extend(["%s Test invocations (%d)" % (heading, len(tested)), ""])
        lines.extend(_verify_table(tested))
        lines.append("")
    if with_stats:
        lines.extend(_observed_lines(report, heading))
    return lines


def _totals_lines(report):
    totals = report["totals"]
    label = changes_label(report)
    with_verdicts = totals.get("by_verdict") is not None
    with_low, with_restored = totals_columns(report)
    with_verify = totals.get("verify") is not None
    with_drafts = bool(totals.get("pending_drafts"))
    # Updates never sent are neither changed nor failed: a column of their own when a run left any.
    with_untried = bool(totals["by_status"].get("not_attempted"))
    header = ["Org", "Actions seen"] + (["Low"] if with_low else []) + [label, "Drifted", "Failed"]
    header += ["Not attempted"] if with_untried else []
    header += ["Restored"] if with_restored else []
    header += ["Pending drafts"] if with_drafts else []
    header += [verdict_title(verdict) for verdict in VERDICTS_BY_RISK] if with_verdicts else []
    header += ["Tests passed after"] if with_verify else []

    def cells(summary, strong=False):
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
        return ["**%s**" % value for value in values] if strong else values

    body = []
    for org in report["orgs"]:
        name = _cell(org["org"]) + (" (run failed)" if org_error(org) else "")
        body.append([name] + cells(org["summary"]))
    body.append(["**Total**"] + cells(totals, strong=True))
    return _table(header, body, ["---"] + ["---:"] * (len(header) - 1))


def timeout_report_markdown(report):
    """Markdown for an org report or a run report."""
    kind, report = read_any_report(report)
    return render_markdown(kind, report)


def render_markdown(kind, report):
    """timeout_report_markdown for a report already read as schema 2 has it (by read_any_report, or built here)."""
    if kind == ORG:
        lines = _org_lines(report, 2, "# Data action timeouts: %s" % (_cell(report["org"]) or "(unnamed org)"))
        return "\n".join(lines).rstrip("\n") + "\n"
    lines = ["# Data action timeouts: run %s" % _cell(report["run_id"]), ""]
    lines.append("- Mode: %s" % mode_label(report))
    lines.append("- Orgs: %d" % report["totals"]["orgs"])
    lines.append("- Generated: %s" % _cell(report["generated_at"]))
    totals_rate_limit = report["totals"].get("rate_limit")
    if totals_rate_limit:
        lines.append("- Rate limit: %s in all orgs%s" % (
            _cell(rate_limit_label(totals_rate_limit)), "; %d org(s) lowered their pace after a 429" % (
                totals_rate_limit["orgs_paced_lower"]) if totals_rate_limit.get("orgs_paced_lower") else ""))
    lines.extend(["", "## Totals", ""])
    lines.extend(_totals_lines(report))
    lines.append("")
    for org in report["orgs"]:
        lines.extend(_org_lines(org, 3, "## Org %s" % (_cell(org["org"]) or "(unnamed)")))
    return "\n".join(lines).rstrip("\n") + "\n"

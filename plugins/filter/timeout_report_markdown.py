# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesyscloud.cx contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Render a timeout report as Markdown for a change ticket."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import re

from ansible_collections.genesyscloud.cx.plugins.filter.timeout_report import (
    STATUS_LABELS,
    STATUSES,
    attention_rows,
    changes_label,
    changing_rows,
    check_any_report,
    format_timeout,
    format_version,
    mode_label,
    org_error,
)

# Characters that would break a table cell or turn a user-chosen name into markup.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*|<>\[\]])")


def _cell(value):
    text = "" if value is None else str(value)
    text = " ".join(text.split())
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def _code(value):
    text = " ".join(("" if value is None else str(value)).split()).replace("`", "'")
    return "`%s`" % text if text else ""


def _table(header, rows, align=None):
    align = align or ["---"] * len(header)
    lines = ["| %s |" % " | ".join(header), "|%s|" % "|".join(align)]
    for row in rows:
        lines.append("| %s |" % " | ".join(row))
    return lines


def _summary_lines(summary, label):
    entries = [("Actions seen", summary["actions"]),
               ("At or below threshold before the run", summary["at_risk"]),
               (label, summary["changed"])]
    for status in STATUSES:
        count = summary["by_status"].get(status, 0)
        if count:
            entries.append(("Status: %s" % STATUS_LABELS[status], count))
    return _table(["", "Count"], [[name, "%d" % count] for name, count in entries], ["---", "---:"])


def _change_table(rows):
    body = []
    for row in rows:
        body.append([_cell(row["name"]), _cell(row["category"]), _code(row["id"]),
                     format_timeout(row["timeout_seconds_before"]) + " -> " + format_timeout(row["timeout_seconds_after"]),
                     format_version(row["version_before"]) + " -> " + format_version(row["version_after"]),
                     STATUS_LABELS[row["status"]]])
    return _table(["Action", "Category", "ID", "Timeout", "Version", "Status"], body)


def _attention_table(rows):
    body = []
    for row in rows:
        body.append([_cell(row["name"]), _code(row["id"]), format_timeout(row["timeout_seconds_before"]),
                     STATUS_LABELS[row["status"]], _cell(row["msg"])])
    return _table(["Action", "ID", "Timeout", "Status", "Detail"], body)


def _org_lines(report, level, title=None):
    heading = "#" * level
    label = changes_label(report)
    lines = []
    if title:
        lines.extend([title, ""])
    lines.append("- Mode: %s" % mode_label(report))
    lines.append("- Threshold: %d s (effective timeout; an unset one runs with the 60 s default); target: %d s"
                 % (report["threshold"], report["target"]))
    if report.get("api_base_url"):
        lines.append("- API: %s" % _code(report["api_base_url"]))
    lines.append("- Generated: %s (run %s)" % (report["generated_at"], _code(report["run_id"])))
    lines.append("")
    if org_error(report):
        lines.append("> **The run failed for this org:** %s" % _cell(org_error(report)))
        lines.append("")
    lines.append("%s Summary" % heading)
    lines.append("")
    lines.extend(_summary_lines(report["summary"], label))
    lines.append("")
    changes = changing_rows(report)
    lines.append("%s %s (%d)" % (heading, label, len(changes)))
    lines.append("")
    if changes:
        lines.extend(_change_table(changes))
    else:
        lines.append("No action's timeout %s." % ("changed" if label in ("Changed", "Rolled back") else "would change"))
    lines.append("")
    attention = attention_rows(report)
    if attention:
        lines.append("%s Needs attention (%d)" % (heading, len(attention)))
        lines.append("")
        lines.extend(_attention_table(attention))
        lines.append("")
    return lines


def _totals_lines(report):
    totals = report["totals"]
    label = changes_label(report)
    body = []
    for org in report["orgs"]:
        summary = org["summary"]
        name = _cell(org["org"]) + (" (run failed)" if org_error(org) else "")
        body.append([name, "%d" % summary["actions"], "%d" % summary["at_risk"],
                     "%d" % summary["changed"], "%d" % summary["by_status"].get("drifted", 0),
                     "%d" % summary["by_status"].get("failed", 0)])
    body.append(["**Total**", "**%d**" % totals["actions"], "**%d**" % totals["at_risk"],
                 "**%d**" % totals["changed"], "**%d**" % totals["by_status"].get("drifted", 0),
                 "**%d**" % totals["by_status"].get("failed", 0)])
    return _table(["Org", "Actions seen", "At risk", label, "Drifted", "Failed"], body,
                  ["---", "---:", "---:", "---:", "---:", "---:"])


def timeout_report_markdown(report):
    """Markdown for an org report or a run report."""
    if check_any_report(report) == "org":
        lines = _org_lines(report, 2, "# Data action timeouts: %s" % (_cell(report["org"]) or "(unnamed org)"))
        return "\n".join(lines).rstrip("\n") + "\n"
    lines = ["# Data action timeouts: run %s" % _cell(report["run_id"]), ""]
    lines.append("- Mode: %s" % mode_label(report))
    lines.append("- Orgs: %d" % report["totals"]["orgs"])
    lines.append("- Generated: %s" % report["generated_at"])
    lines.append("")
    lines.append("## Totals")
    lines.append("")
    lines.extend(_totals_lines(report))
    lines.append("")
    for org in report["orgs"]:
        lines.extend(_org_lines(org, 3, "## Org %s" % (_cell(org["org"]) or "(unnamed)")))
    return "\n".join(lines).rstrip("\n") + "\n"


class FilterModule(object):
    """Markdown rendering of timeout reports."""

    def filters(self):
        return {"timeout_report_markdown": timeout_report_markdown}

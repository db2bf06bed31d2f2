# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesyscloud.cx contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Render a timeout report as one self-contained HTML page with inline SVG charts.

No scripts, fonts, styles or images are loaded from anywhere: the page must open
from a file, in a ticket attachment or offline, and print cleanly.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import math
import re

from html import escape as _html_escape

from ansible_collections.genesyscloud.cx.plugins.filter.timeout_report import (
    STATUS_LABELS,
    STATUSES,
    attention_rows,
    changes_label,
    changing_rows,
    check_any_report,
    effective_timeout,
    format_timeout,
    format_version,
    mode_label,
    org_error,
)

# The from -> to chart shows at most this many actions; the table below it always lists every one.
CHART_MAX_ROWS = 25
_NAME_CHARS = 34

_CSS = """
:root{--ink:#1c2430;--muted:#5b6676;--line:#e2e6eb;--bg:#f4f6f9;--card:#fff;--before:#a3adba;
--after:#1f5fd6;--risk:#c2410c;--good:#15803d;--bad:#b91c1c;--drift:#6d28d9}
*{box-sizing:border-box}
html{-webkit-print-color-adjust:exact;print-color-adjust:exact}
body{margin:0;background:var(--bg);color:var(--ink);font:14px/1.45 -apple-system,"Segoe UI",Roboto,
"Helvetica Neue",Arial,"Noto Sans","Liberation Sans",sans-serif}
.wrap{max-width:1200px;margin:0 auto;padding:0 24px}
header.top{background:#13233d;color:#fff;padding:26px 0 22px}
header.top .eyebrow{margin:0;text-transform:uppercase;letter-spacing:.08em;font-size:11px;color:#9fb4d6}
header.top h1{margin:4px 0 12px;font-size:26px;font-weight:650}
.meta{display:flex;flex-wrap:wrap;gap:6px 22px;margin:0;font-size:13px;color:#d4deee}
.meta div{display:flex;gap:6px}.meta dt{color:#9fb4d6}.meta dd{margin:0;font-weight:600;color:#fff}
main.wrap{padding-top:24px;padding-bottom:40px}
section.block{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:20px 22px;
margin:0 0 22px;box-shadow:0 1px 2px rgba(16,24,40,.05)}
h2{margin:0 0 4px;font-size:20px}h3{margin:22px 0 10px;font-size:15px}
.sub{margin:0 0 14px;color:var(--muted);font-size:13px}
.sub code,td code{font:12px/1.3 ui-monospace,SFMono-Regular,Menlo,Consolas,"Liberation Mono",monospace;
color:var(--muted)}
.kpis{display:grid;grid-template-columns:repeat(auto-fit,minmax(150px,1fr));gap:12px;margin:6px 0 18px}
.kpi{border:1px solid var(--line);border-left:4px solid #c9d1dc;border-radius:8px;padding:10px 14px;background:#fbfcfd}
.kpi .v{display:block;font-size:28px;font-weight:700;line-height:1.15;font-variant-numeric:tabular-nums}
.kpi .l{display:block;color:var(--muted);font-size:12.5px}
.kpi.risk{border-left-color:var(--risk)}.kpi.change{border-left-color:var(--after)}
.kpi.good{border-left-color:var(--good)}.kpi.bad{border-left-color:var(--bad)}.kpi.bad .v{color:var(--bad)}
.kpi.drift{border-left-color:var(--drift)}.kpi.drift .v{color:var(--drift)}
.kpi.zero .v{color:#9aa4b2}
.charts{display:grid;grid-template-columns:1fr 1fr;gap:16px;align-items:start}
.stack{display:grid;gap:16px}
figure{margin:0;border:1px solid var(--line);border-radius:8px;padding:12px 12px 8px;background:#fff}
figcaption{font-weight:600;margin:0 0 2px}figure p.note{margin:4px 0 0;color:var(--muted);font-size:12px}
figure svg{display:block;width:100%;height:auto}
.empty{color:var(--muted);padding:30px 10px;text-align:center;border:1px dashed var(--line);border-radius:8px}
table{border-collapse:collapse;width:100%;font-size:13px}
th,td{text-align:left;padding:7px 10px;border-bottom:1px solid var(--line);vertical-align:top}
th{background:#f0f3f7;color:#3b4656;font-weight:600;position:sticky;top:0}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
tbody tr:nth-child(even) td{background:#fafbfc}
.name{font-weight:600;word-break:break-word}.id{display:block;margin-top:1px}
.t{white-space:nowrap;font-variant-numeric:tabular-nums}.t .from{color:var(--muted)}.t .to{font-weight:700}
.t .arrow{color:#9aa4b2;padding:0 4px}
.badge{display:inline-block;padding:1px 8px;border-radius:999px;font-size:12px;font-weight:600;white-space:nowrap}
.s-updated{background:#dcfce7;color:#166534}.s-would_update{background:#dbeafe;color:#1e40af}
.s-at_risk{background:#ffedd5;color:#9a3412}.s-drifted{background:#ede9fe;color:#5b21b6}
.s-failed{background:#fee2e2;color:#991b1b}.s-unchanged,.s-ok{background:#eef2f6;color:#475569}
.s-not_selected{background:#fef9c3;color:#854d0e}.s-not_applicable{background:#f4f5f7;color:#7b8594}
details{margin-top:18px}summary{cursor:pointer;font-weight:600;font-size:15px;margin-bottom:10px}
nav.orgs{display:flex;flex-wrap:wrap;gap:8px;margin:0 0 22px}
nav.orgs a{background:#fff;border:1px solid var(--line);border-radius:999px;padding:4px 12px;color:var(--ink);
text-decoration:none;font-weight:600;font-size:13px}
.bar{display:inline-block;vertical-align:middle}
.alert{border:1px solid #f5c2c2;background:#fef2f2;color:#7f1d1d;border-radius:8px;padding:10px 14px}
footer{color:var(--muted);font-size:12px;padding:0 0 30px}
@media (max-width:900px){.charts{grid-template-columns:1fr}}
@media print{body{background:#fff;font-size:12px}header.top{padding:14px 0}
section.block{box-shadow:none;break-inside:auto;border:none;padding:0;margin-bottom:18px}
figure,.kpis,tr{break-inside:avoid}.charts{grid-template-columns:1fr}th{position:static}
nav.orgs{display:none}section.org{break-before:page}}
"""


def _e(value):
    return _html_escape("" if value is None else str(value), quote=True)


def _short(text, limit=_NAME_CHARS):
    text = " ".join(("" if text is None else str(text)).split())
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "\u2026"


def _slug(text, index):
    return "org-%d-%s" % (index, re.sub(r"[^a-z0-9]+", "-", str(text).lower()).strip("-") or "unnamed")


def _fmt(number):
    return ("%.1f" % number).rstrip("0").rstrip(".")


# ---------------------------------------------------------------- small pieces

def _badge(status):
    return '<span class="badge s-%s">%s</span>' % (_e(status), _e(STATUS_LABELS.get(status, status)))


def _timeout_change(before, after):
    if before == after:
        return '<span class="t"><span class="to">%s</span></span>' % _e(format_timeout(before))
    return ('<span class="t"><span class="from">%s</span><span class="arrow">\u2192</span>'
            '<span class="to">%s</span></span>' % (_e(format_timeout(before)), _e(format_timeout(after))))


def _version_change(before, after):
    if before == after or after is None:
        return _e(format_version(before))
    return "%s \u2192 %s" % (_e(format_version(before)), _e(format_version(after)))


def _kpi(value, label, css):
    css = css + (" zero" if not value else "")
    return '<div class="kpi %s"><span class="v">%d</span> <span class="l">%s</span></div>' % (css, value, _e(label))


def _meta(items):
    parts = ['<div><dt>%s</dt><dd>%s</dd></div>' % (_e(k), _e(v)) for k, v in items]
    return '<dl class="meta">%s</dl>' % "".join(parts)


# ---------------------------------------------------------------- charts

def _nice_max(value):
    """The smallest axis maximum at or above value whose four gridline steps are round numbers."""
    steps = [1, 2, 3, 4, 5]
    magnitude = 10
    while 4 * steps[-1] < value:
        steps.extend([magnitude, magnitude * 3 // 2, magnitude * 2, magnitude * 5 // 2, magnitude * 5,
                      magnitude * 15 // 2])
        magnitude *= 10
    return 4 * min(step for step in steps if 4 * step >= value)


def _bucket_bounds(bucket):
    if bucket == "unset":
        return None, None
    low, high = bucket.split("-")
    return int(low), int(high)


def _distribution_svg(distribution, threshold, chart_id, title):
    width, height = 560, 300
    left, right, top, bottom = 46, 12, 40, 50
    plot_w, plot_h = width - left - right, height - top - bottom
    peak = max([max(entry["before"], entry["after"]) for entry in distribution] + [1])
    y_max = _nice_max(peak)
    band = plot_w / float(len(distribution))
    bar_w = min(26.0, band * 0.36)
    out = ['<svg viewBox="0 0 %d %d" role="img" aria-labelledby="%s-t %s-d" xmlns="http://www.w3.org/2000/svg">'
           % (width, height, chart_id, chart_id)]
    out.append('<title id="%s-t">%s</title>' % (chart_id, _e(title)))
    desc = "; ".join("%s: %d before, %d after" % (entry["bucket"], entry["before"], entry["after"])
                     for entry in distribution)
    out.append('<desc id="%s-d">Actions per timeout range. %s</desc>' % (chart_id, _e(desc)))
    # Shade the ranges that count as too low, so the eye finds the risk at once.
    for index, entry in enumerate(distribution):
        low, high = _bucket_bounds(entry["bucket"])
        # An unset timeout runs at 60 s, the maximum: never in the low band.
        risky = low is not None and high <= threshold
        if risky:
            x = left + index * band
            out.append('<rect x="%s" y="%d" width="%s" height="%d" fill="#fdf0e7"/>'
                       % (_fmt(x), top, _fmt(band), plot_h))
    for step in range(5):
        value = y_max * step // 4
        y = top + plot_h - plot_h * step / 4.0
        out.append('<line x1="%d" x2="%d" y1="%s" y2="%s" stroke="%s" stroke-width="1"/>'
                   % (left, width - right, _fmt(y), _fmt(y), "#c3cad4" if step == 0 else "#e8ebef"))
        out.append('<text x="%d" y="%s" font-size="11" fill="#5b6676" text-anchor="end">%d</text>'
                   % (left - 6, _fmt(y + 4), value))
    for index, entry in enumerate(distribution):
        center = left + index * band + band / 2.0
        for offset, key, colour, label in ((-bar_w - 1, "before", "#a3adba", "before"),
                                           (1, "after", "#1f5fd6", "after")):
            count = entry[key]
            bar_h = plot_h * count / float(y_max)
            x = center + offset
            y = top + plot_h - bar_h
            out.append('<rect x="%s" y="%s" width="%s" height="%s" rx="2" fill="%s"><title>%s s, %s: %d actions'
                       '</title></rect>' % (_fmt(x), _fmt(y), _fmt(bar_w), _fmt(bar_h), colour,
                                            _e(entry["bucket"]), label, count))
            if count:
                out.append('<text x="%s" y="%s" font-size="11" font-weight="600" fill="%s" text-anchor="middle">'
                           '%d</text>' % (_fmt(x + bar_w / 2.0), _fmt(y - 4), "#4b5563" if key == "before"
                                          else "#1f5fd6", count))
        label = "unset (60 s)" if entry["bucket"] == "unset" else entry["bucket"].replace("-", "\u2013") + " s"
        out.append('<text x="%s" y="%d" font-size="12" fill="#1c2430" text-anchor="middle">%s</text>'
                   % (_fmt(center), top + plot_h + 17, _e(label)))
    out.append('<text x="%s" y="%d" font-size="11.5" fill="#5b6676" text-anchor="middle">timeout range</text>'
               % (_fmt(left + plot_w / 2.0), height - 8))
    out.append('<text transform="translate(13 %s) rotate(-90)" font-size="11.5" fill="#5b6676" '
               'text-anchor="middle">actions</text>' % _fmt(top + plot_h / 2.0))
    # Legend, top left; the shaded swatch explains the risk band.
    legend = [("#a3adba", "before"), ("#1f5fd6", "after"), ("#fdf0e7", "at or below threshold")]
    x = left
    for colour, label in legend:
        out.append('<rect x="%d" y="12" width="12" height="12" rx="2" fill="%s"%s/>'
                   % (x, colour, ' stroke="#f3c9a8"' if colour == "#fdf0e7" else ""))
        out.append('<text x="%d" y="22" font-size="12" fill="#1c2430">%s</text>' % (x + 17, _e(label)))
        x += 17 + 7 * len(label) + 18
    out.append("</svg>")
    return "".join(out)


def _change_order(row):
    return (effective_timeout(row["timeout_seconds_before"]), row["name"].casefold(), row["id"])


def _changes_svg(rows, threshold, target, chart_id, title):
    width = 560
    name_w, left_pad, right = 200, 48, 46
    top, row_h, bottom = 40, 20, 34
    height = top + row_h * len(rows) + bottom
    x0 = name_w + left_pad
    scale_w = width - x0 - right

    def x_of(seconds):
        # Log scale: most timeouts sit between 1 and 10 s, where a linear 0-60 axis would squash them.
        # An unset timeout runs with the 60 s default: drawn there, as a hollow marker.
        seconds = effective_timeout(seconds)
        return x0 + scale_w * math.log(min(max(seconds, 1), 60)) / math.log(60)

    out = ['<svg viewBox="0 0 %d %d" role="img" aria-labelledby="%s-t %s-d" xmlns="http://www.w3.org/2000/svg">'
           % (width, height, chart_id, chart_id)]
    out.append('<title id="%s-t">%s</title>' % (chart_id, _e(title)))
    out.append('<desc id="%s-d">%s</desc>' % (chart_id, _e("; ".join(
        "%s: %s to %s" % (row["name"], format_timeout(row["timeout_seconds_before"]),
                          format_timeout(row["timeout_seconds_after"])) for row in rows))))
    axis_bottom = top + row_h * len(rows)
    # Zebra stripes first, so the gridlines and reference lines stay visible on top of them.
    for index in range(1, len(rows), 2):
        out.append('<rect x="0" y="%d" width="%d" height="%d" fill="#f6f8fa"/>' % (top + row_h * index, width, row_h))
    for tick in (1, 2, 3, 5, 10, 20, 30, 60):
        x = x_of(tick)
        out.append('<line x1="%s" x2="%s" y1="%d" y2="%d" stroke="#edf0f3"/>' % (_fmt(x), _fmt(x), top - 6, axis_bottom))
        out.append('<text x="%s" y="%d" font-size="11" fill="#5b6676" text-anchor="middle">%d</text>'
                   % (_fmt(x), axis_bottom + 15, tick))
    out.append('<text x="%s" y="%d" font-size="11.5" fill="#5b6676" text-anchor="middle">timeout (seconds, log scale)</text>'
               % (_fmt(x0 + scale_w / 2.0), height - 4))
    for seconds, colour, label in ((threshold, "#c2410c", "threshold %d s" % threshold),
                                   (target, "#1f5fd6", "target %d s" % target)):
        x = x_of(seconds)
        out.append('<line x1="%s" x2="%s" y1="%d" y2="%d" stroke="%s" stroke-dasharray="3 3"/>'
                   % (_fmt(x), _fmt(x), top - 8, axis_bottom, colour))
    # Labels for the two reference lines sit in the header row, pushed apart when they would collide.
    t_x, g_x = x_of(threshold), x_of(target)
    if abs(g_x - t_x) < 72:
        middle = (t_x + g_x) / 2.0
        t_x, g_x = (middle - 36, middle + 36) if threshold <= target else (middle + 36, middle - 36)
    out.append('<text x="%s" y="%d" font-size="11" fill="#c2410c" text-anchor="middle">threshold %d s</text>'
               % (_fmt(t_x), top - 12, threshold))
    out.append('<text x="%s" y="%d" font-size="11" fill="#1f5fd6" text-anchor="middle">target %d s</text>'
               % (_fmt(g_x), top - 12, target))
    out.append('<text x="0" y="14" font-size="12" fill="#1c2430">'
               '<tspan fill="#a3adba">\u25cf</tspan> before  '
               '<tspan fill="#1f5fd6" dx="6">\u25cf</tspan> after</text>')
    for index, row in enumerate(rows):
        y = top + row_h * index + row_h / 2.0
        before, after = row["timeout_seconds_before"], row["timeout_seconds_after"]
        bx, ax = x_of(before), x_of(after)
        out.append('<g><title>%s (%s): %s \u2192 %s</title>' % (
            _e(row["name"]), _e(row["id"]), _e(format_timeout(before)), _e(format_timeout(after))))
        out.append('<text x="%d" y="%s" font-size="12" fill="#1c2430" text-anchor="end">%s</text>'
                   % (name_w, _fmt(y + 4), _e(_short(row["name"]))))
        out.append('<line x1="%s" x2="%s" y1="%s" y2="%s" stroke="#9db8ea" stroke-width="3"/>'
                   % (_fmt(bx), _fmt(ax), _fmt(y), _fmt(y)))
        if before is None:
            out.append('<circle cx="%s" cy="%s" r="5" fill="#fff" stroke="#8a95a3" stroke-width="2"/>'
                       % (_fmt(bx), _fmt(y)))
        else:
            out.append('<circle cx="%s" cy="%s" r="5" fill="#a3adba"/>' % (_fmt(bx), _fmt(y)))
        out.append('<circle cx="%s" cy="%s" r="5.5" fill="#1f5fd6"/>' % (_fmt(ax), _fmt(y)))
        out.append('<text x="%s" y="%s" font-size="11" fill="#1f5fd6" font-weight="600">%s</text></g>'
                   % (_fmt(max(ax, bx) + 9), _fmt(y + 4), _e(format_timeout(after))))
    out.append("</svg>")
    return "".join(out)


_STATUS_FILL = {
    "updated": "#16a34a", "would_update": "#3b82f6", "at_risk": "#ea580c", "drifted": "#7c3aed",
    "failed": "#dc2626", "unchanged": "#94a3b8", "not_selected": "#eab308", "ok": "#cbd5e1",
    "not_applicable": "#e5e9ef",
}


def _status_svg(by_status, chart_id, title):
    width, bar_y, bar_h = 560, 8, 22
    present = [(status, by_status.get(status, 0)) for status in STATUSES if by_status.get(status, 0)]
    total = sum(count for _status, count in present)
    per_row = 3
    height = bar_y + bar_h + 14 + 20 * ((len(present) + per_row - 1) // per_row or 1)
    out = ['<svg viewBox="0 0 %d %d" role="img" aria-labelledby="%s-t" xmlns="http://www.w3.org/2000/svg">'
           % (width, height, chart_id)]
    out.append('<title id="%s-t">%s: %s</title>' % (chart_id, _e(title), _e(", ".join(
        "%d %s" % (count, STATUS_LABELS[status]) for status, count in present) or "no actions")))
    out.append('<rect x="0" y="%d" width="%d" height="%d" rx="4" fill="#eef1f5"/>' % (bar_y, width, bar_h))
    x = 0.0
    for status, count in present:
        segment = width * count / float(total)
        out.append('<rect x="%s" y="%d" width="%s" height="%d" fill="%s"><title>%s: %d</title></rect>'
                   % (_fmt(x), bar_y, _fmt(segment), bar_h, _STATUS_FILL[status], _e(STATUS_LABELS[status]), count))
        x += segment
    for index, (status, count) in enumerate(present):
        lx = (index % per_row) * (width / float(per_row))
        ly = bar_y + bar_h + 20 + 20 * (index // per_row)
        out.append('<rect x="%s" y="%d" width="11" height="11" rx="2" fill="%s"/>'
                   % (_fmt(lx), ly - 10, _STATUS_FILL[status]))
        out.append('<text x="%s" y="%d" font-size="12" fill="#1c2430"><tspan font-weight="700">%d</tspan> %s</text>'
                   % (_fmt(lx + 16), ly, count, _e(STATUS_LABELS[status])))
    out.append("</svg>")
    return "".join(out)


def _progress_svg(done, total, label):
    width = 120
    share = 0.0 if not total else min(1.0, done / float(total))
    return ('<svg class="bar" width="%d" height="10" viewBox="0 0 %d 10" role="img" xmlns="http://www.w3.org/2000/svg">'
            '<title>%s</title><rect width="%d" height="10" rx="5" fill="#e5e9ef"/>'
            '<rect width="%s" height="10" rx="5" fill="#1f5fd6"/></svg>'
            % (width, width, _e(label), width, _fmt(width * share)))


# ---------------------------------------------------------------- tables

def _action_cell(row):
    return '<td><span class="name">%s</span><code class="id">%s</code></td>' % (_e(row["name"]), _e(row["id"]))


def _changes_table(rows):
    out = ['<table><thead><tr><th>Action</th><th>Category</th><th>Timeout</th><th>Version</th>'
           '<th>Status</th></tr></thead><tbody>']
    for row in rows:
        out.append('<tr>%s<td>%s</td><td>%s</td><td class="t">%s</td><td>%s</td></tr>' % (
            _action_cell(row), _e(row["category"]),
            _timeout_change(row["timeout_seconds_before"], row["timeout_seconds_after"]),
            _version_change(row["version_before"], row["version_after"]), _badge(row["status"])))
    out.append("</tbody></table>")
    return "".join(out)


def _attention_table(rows):
    out = ['<table><thead><tr><th>Action</th><th>Timeout</th><th>Status</th><th>Detail</th></tr></thead><tbody>']
    for row in rows:
        out.append('<tr>%s<td>%s</td><td>%s</td><td>%s</td></tr>' % (
            _action_cell(row), _timeout_change(row["timeout_seconds_before"], row["timeout_seconds_before"]),
            _badge(row["status"]), _e(row["msg"])))
    out.append("</tbody></table>")
    return "".join(out)


def _all_table(rows):
    out = ['<table><thead><tr><th>Action</th><th>Category</th><th>Kind</th><th>Timeout</th><th>Version</th>'
           '<th>Status</th></tr></thead><tbody>']
    for row in rows:
        out.append('<tr>%s<td>%s</td><td>%s%s</td><td class="t">%s</td><td>%s</td><td>%s</td></tr>' % (
            _action_cell(row), _e(row["category"]), _e(row["kind"]), " (secure)" if row["secure"] else "",
            _timeout_change(row["timeout_seconds_before"], row["timeout_seconds_after"]),
            _version_change(row["version_before"], row["version_after"]), _badge(row["status"])))
    out.append("</tbody></table>")
    return "".join(out)


# ---------------------------------------------------------------- sections

def _org_kpis(report):
    summary = report["summary"]
    by_status = summary["by_status"]
    return '<div class="kpis">%s</div>' % "".join([
        _kpi(summary["actions"], "Actions seen", ""),
        _kpi(summary["at_risk"], "At risk (effective timeout \u2264 %d s)" % report["threshold"], "risk"),
        _kpi(summary["changed"], changes_label(report), "change"),
        _kpi(by_status.get("drifted", 0), "Drifted", "drift"),
        _kpi(by_status.get("failed", 0), "Failed", "bad"),
    ])


def _org_section(report, index):
    anchor = _slug(report["org"], index)
    org_name = report["org"] or "(unnamed org)"
    label = changes_label(report)
    out = ['<section class="block org" id="%s">' % anchor]
    out.append('<h2>Org %s</h2>' % _e(org_name))
    facts = ["mode %s" % mode_label(report), "threshold %d s" % report["threshold"],
             "target %d s" % report["target"], "unset runs with the 60 s default"]
    sub = " \u00b7 ".join(_e(fact) for fact in facts)
    if report.get("api_base_url"):
        sub += ' \u00b7 <code>%s</code>' % _e(report["api_base_url"])
    out.append('<p class="sub">%s</p>' % sub)
    if org_error(report):
        out.append('<p class="alert"><strong>The run failed for this org:</strong> %s</p>' % _e(org_error(report)))
    out.append(_org_kpis(report))

    changes = changing_rows(report)
    charted = sorted(changes, key=_change_order)[:CHART_MAX_ROWS]
    out.append('<div class="charts"><div class="stack">')
    out.append('<figure><figcaption>Timeout distribution, before and after</figcaption>%s'
               '<p class="note">Custom actions only; static and authentication actions have no settable timeout.'
               '</p></figure>' % _distribution_svg(
                   report["summary"]["distribution"], report["threshold"],
                   anchor + "-dist", "Timeout distribution of %s, before and after" % org_name))
    out.append('<figure><figcaption>Every action by status</figcaption>%s</figure></div>' % _status_svg(
        report["summary"]["by_status"], anchor + "-status", "Actions of %s by status" % org_name))
    if changes:
        note = ("All %d shown." % len(changes) if len(changes) <= CHART_MAX_ROWS else
                "Showing the %d lowest of %d; every one is in the table below." % (len(charted), len(changes)))
        out.append('<figure><figcaption>%s: from \u2192 to</figcaption>%s<p class="note">%s</p></figure>' % (
            _e(label), _changes_svg(charted, report["threshold"], report["target"], anchor + "-chg",
                                    "%s in %s, from and to" % (label, org_name)), _e(note)))
    else:
        out.append('<figure><figcaption>%s: from \u2192 to</figcaption><div class="empty">'
                   'No timeout %s in this org.</div></figure>'
                   % (_e(label), "changed" if label in ("Changed", "Rolled back") else "would change"))
    out.append("</div>")

    out.append("<h3>%s (%d)</h3>" % (_e(label), len(changes)))
    out.append(_changes_table(changes) if changes else '<p class="sub">None.</p>')
    attention = attention_rows(report)
    if attention:
        out.append("<h3>Needs attention (%d)</h3>" % len(attention))
        out.append(_attention_table(attention))
    out.append('<details open><summary>All actions seen (%d)</summary>%s</details>'
               % (len(report["rows"]), _all_table(report["rows"])))
    out.append("</section>")
    return "".join(out)


def _totals_section(report):
    totals = report["totals"]
    by_status = totals["by_status"]
    label = changes_label(report)
    out = ['<section class="block" id="totals"><h2>Run totals</h2>']
    out.append('<p class="sub">%d orgs \u00b7 mode %s</p>' % (totals["orgs"], _e(mode_label(report))))
    out.append('<div class="kpis">%s</div>' % "".join([
        _kpi(totals["orgs"], "Orgs", ""),
        _kpi(totals["actions"], "Actions seen", ""),
        _kpi(totals["at_risk"], "At risk", "risk"),
        _kpi(totals["changed"], label, "change"),
        _kpi(by_status.get("drifted", 0), "Drifted", "drift"),
        _kpi(by_status.get("failed", 0), "Failed", "bad"),
    ]))
    out.append('<table><thead><tr><th>Org</th><th class="n">Actions seen</th><th class="n">At risk</th>'
               '<th class="n">%s</th><th>Share of at-risk handled</th><th class="n">Drifted</th>'
               '<th class="n">Failed</th></tr></thead><tbody>' % _e(label))
    for index, org in enumerate(report["orgs"]):
        summary = org["summary"]
        handled = summary["by_status"].get("updated", 0) + summary["by_status"].get("would_update", 0) + \
            summary["by_status"].get("at_risk", 0)
        share = "%d of %d" % (min(handled, summary["at_risk"]), summary["at_risk"])
        out.append('<tr><td><a href="#%s">%s</a></td><td class="n">%d</td><td class="n">%d</td><td class="n">%d</td>'
                   '<td>%s <span class="sub">%s</span></td><td class="n">%d</td><td class="n">%d</td></tr>' % (
                       _slug(org["org"], index), _e(org["org"] or "(unnamed org)") +
                       (' <span class="badge s-failed">run failed</span>' if org_error(org) else ""), summary["actions"],
                       summary["at_risk"], summary["changed"],
                       _progress_svg(min(handled, summary["at_risk"]), summary["at_risk"], share), _e(share),
                       summary["by_status"].get("drifted", 0), summary["by_status"].get("failed", 0)))
    out.append("</tbody></table></section>")
    return "".join(out)


def _page(title, header_items, body):
    return "".join([
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="generator" content="genesyscloud.cx timeout_report_html">',
        "<title>%s</title><style>%s</style></head><body>" % (_e(title), _CSS),
        '<header class="top"><div class="wrap"><p class="eyebrow">genesyscloud.cx \u00b7 data action timeouts</p>',
        "<h1>%s</h1>%s</div></header>" % (_e(title), _meta(header_items)),
        '<main class="wrap">%s</main>' % body,
        '<footer class="wrap">Generated by the genesyscloud.cx collection. The JSON report next to this page '
        'is the input for approved plans and rollback.</footer>',
        "</body></html>\n",
    ])


def _when(generated_at):
    return str(generated_at).replace("T", " ").replace("Z", " UTC")


def timeout_report_html(report):
    """A self-contained HTML page for an org report or a run report."""
    if check_any_report(report) == "org":
        title = "Data action timeouts: %s" % (report["org"] or "(unnamed org)")
        items = [("Mode", mode_label(report)), ("Run", report["run_id"]), ("Generated", _when(report["generated_at"]))]
        return _page(title, items, _org_section(report, 0))
    title = "Data action timeouts: run %s" % report["run_id"]
    items = [("Mode", mode_label(report) if report["mode"] else "-"), ("Orgs", "%d" % report["totals"]["orgs"]),
             ("Generated", _when(report["generated_at"]))]
    body = [_totals_section(report)]
    if report["orgs"]:
        body.append('<nav class="orgs">%s</nav>' % "".join(
            '<a href="#%s">%s</a>' % (_slug(org["org"], index), _e(org["org"] or "(unnamed org)"))
            for index, org in enumerate(report["orgs"])))
    for index, org in enumerate(report["orgs"]):
        body.append(_org_section(org, index))
    return _page(title, items, "".join(body))


class FilterModule(object):
    """HTML rendering of timeout reports."""

    def filters(self):
        return {"timeout_report_html": timeout_report_html}

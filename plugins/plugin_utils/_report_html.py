# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesyscloud.cx contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# FOR INTERNAL COLLECTION USE ONLY
# The interfaces in this file are meant for use within the genesyscloud.cx collection and may change in
# any release. The filter timeout_report_html is the public interface.

"""Render a timeout report as one self-contained HTML page with inline SVG charts.

No scripts, fonts, styles or images are loaded from anywhere: the page must open from a file, in a
ticket attachment or offline, and print cleanly. Every text is escaped; every chart is well-formed XML.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import math
import re
import unicodedata

from html import escape as _html_escape
from urllib.parse import quote

from ansible_collections.genesyscloud.cx.plugins.plugin_utils._report_view import (
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
    verify_outcome,
    verify_rows,
    verify_text,
    with_functions,
    without_verdict,
)
from ansible_collections.genesyscloud.cx.plugins.module_utils._journal import NOT_ATTEMPTED
from ansible_collections.genesyscloud.cx.plugins.module_utils.data_actions import (
    UPDATED,
    WOULD_UPDATE,
    effective_timeout,
)
from ansible_collections.genesyscloud.cx.plugins.module_utils.execution_stats import (
    AT_RISK,
    NO_DATA,
    OK as VERDICT_OK,
    OVERSIZED,
    TIMING_OUT,
)
from ansible_collections.genesyscloud.cx.plugins.module_utils.selection import RECOMMENDED
from ansible_collections.genesyscloud.cx.plugins.plugin_utils._report_reading import read_any_report
from ansible_collections.genesyscloud.cx.plugins.plugin_utils._reports import (
    ORG,
    ROLLBACK,
    STATUSES,
    VERDICTS_BY_RISK,
    is_low,
)

# The from -> to chart shows at most this many actions; the table below it always lists every one.
CHART_MAX_ROWS = 25
# The observed-times chart shows at most this many actions, the riskiest; its table lists every one.
OBSERVED_CHART_MAX_ROWS = 40
# The observed-times axis: from 0.1 s (faster backends are drawn there) to 60 s, the maximum timeout.
OBSERVED_AXIS_SECONDS = (0.1, 60.0)
# The observed-times figure spans the section: its SVGs are drawn at that width, so text keeps its size.
_OBSERVED_WIDTH = 1120

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
.kpis{display:grid;grid-template-columns:repeat(auto-fit,minmax(140px,1fr));gap:12px;margin:6px 0 18px}
.kpi{border:1px solid var(--line);border-left:4px solid #c9d1dc;border-radius:8px;padding:10px 14px;background:#fbfcfd}
.kpi .v{display:block;font-size:28px;font-weight:700;line-height:1.15;font-variant-numeric:tabular-nums}
.kpi .l{display:block;color:var(--muted);font-size:12.5px}
.kpi.risk{border-left-color:var(--risk)}.kpi.change{border-left-color:var(--after)}
.kpi.good{border-left-color:var(--good)}.kpi.bad{border-left-color:var(--bad)}.kpi.bad .v{color:var(--bad)}
.kpi.drift{border-left-color:var(--drift)}.kpi.drift .v{color:var(--drift)}
.kpi.vt-timing_out{border-left-color:#b91c1c}.kpi.vt-at_risk{border-left-color:#ea580c}
.kpi.vt-oversized{border-left-color:#7c3aed}.kpi.vt-ok{border-left-color:#16a34a}.kpi.vt-no_data{border-left-color:#cbd5e1}
.kpi.zero .v{color:#9aa4b2}.kpi.txt .v{font-size:24px;white-space:nowrap}
.charts{display:grid;grid-template-columns:1fr 1fr;gap:16px;align-items:start}
.stack{display:grid;gap:16px}
figure{margin:0;border:1px solid var(--line);border-radius:8px;padding:12px 12px 8px;background:#fff}
figure.wide{margin-top:16px}
figcaption{font-weight:600;margin:0 0 2px}figure p.note{margin:4px 0 0;color:var(--muted);font-size:12px}
figure svg{display:block;width:100%;height:auto}
.empty{color:var(--muted);padding:30px 10px;text-align:center;border:1px dashed var(--line);border-radius:8px}
table{border-collapse:collapse;width:100%;font-size:13px}
th,td{text-align:left;padding:7px 8px;border-bottom:1px solid var(--line);vertical-align:top}
th{background:#f0f3f7;color:#3b4656;font-weight:600;position:sticky;top:0}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}td.n{white-space:nowrap}
td.why{color:var(--muted);font-size:12px;min-width:200px}
.scroll{overflow-x:auto}
tbody tr:nth-child(even) td{background:#fafbfc}
td.action{min-width:190px}td.share{white-space:nowrap}
.name{font-weight:600;word-break:break-word}.id{display:block;margin-top:1px}
.t{white-space:nowrap;font-variant-numeric:tabular-nums}.t .from{color:var(--muted)}.t .to{font-weight:700}
.t .arrow{color:#9aa4b2;padding:0 4px}
.badge{display:inline-block;padding:1px 8px;border-radius:999px;font-size:12px;font-weight:600;white-space:nowrap}
.s-updated{background:#dcfce7;color:#166534}.s-would_update{background:#dbeafe;color:#1e40af}
.s-drifted{background:#ede9fe;color:#5b21b6}
.s-failed{background:#fee2e2;color:#991b1b}.s-unknown{background:#fce7f3;color:#9d174d}.s-not_attempted{background:#ffedd5;color:#9a3412}.s-unchanged,.s-ok{background:#eef2f6;color:#475569}
.s-not_selected{background:#fef9c3;color:#854d0e}.s-not_requested,.s-not_applicable{background:#f4f5f7;color:#7b8594}
.v-timing_out{background:#fee2e2;color:#991b1b}.v-at_risk{background:#ffedd5;color:#9a3412}
.v-oversized{background:#ede9fe;color:#5b21b6}.v-ok{background:#dcfce7;color:#166534}
.v-no_data{background:#f4f5f7;color:#7b8594}
.o-passed{background:#dcfce7;color:#166534}.o-failed{background:#fee2e2;color:#991b1b}
.o-timed_out{background:#ffedd5;color:#9a3412}.o-not_tested{background:#f4f5f7;color:#7b8594}
.err{display:block;color:var(--muted);font-size:12px;margin-top:2px;word-break:break-word}
details{margin-top:18px}summary{cursor:pointer;font-weight:600;font-size:15px;margin-bottom:10px}
nav.orgs{display:flex;flex-wrap:wrap;gap:8px;margin:0 0 22px}
nav.orgs a{background:#fff;border:1px solid var(--line);border-radius:999px;padding:4px 12px;color:var(--ink);
text-decoration:none;font-weight:600;font-size:13px}
.bar{display:inline-block;vertical-align:middle}
.alert{border:1px solid #f5c2c2;background:#fef2f2;color:#7f1d1d;border-radius:8px;padding:10px 14px}
.warn{border:1px solid #f3d9a4;background:#fffbeb;color:#78350f;border-radius:8px;padding:8px 14px;margin:0 0 10px}
footer{color:var(--muted);font-size:12px;padding:0 0 30px}
@media (max-width:900px){.charts{grid-template-columns:1fr}}
@media print{body{background:#fff;font-size:12px}header.top{padding:14px 0}
section.block{box-shadow:none;break-inside:auto;border:none;padding:0;margin-bottom:18px}
figure,.kpis,tr{break-inside:avoid}.charts{grid-template-columns:1fr}th{position:static}
nav.orgs{display:none}section.org{break-before:page}.scroll{overflow:visible}}
"""

_STATUS_FILL = {
    "updated": "#16a34a", "would_update": "#3b82f6", "drifted": "#7c3aed", "failed": "#dc2626",
    "unknown": "#be185d", "not_attempted": "#f97316",
    "unchanged": "#94a3b8", "not_selected": "#eab308", "not_requested": "#dde3ea", "ok": "#cbd5e1",
    "not_applicable": "#e5e9ef",
}
_VERDICT_FILL = {
    TIMING_OUT: "#dc2626", AT_RISK: "#ea580c", OVERSIZED: "#7c3aed", VERDICT_OK: "#16a34a", NO_DATA: "#cbd5e1",
}
# The whisker from the p99 to the slowest execution: a darker shade of the verdict's colour.
_VERDICT_LINE = {
    TIMING_OUT: "#991b1b", AT_RISK: "#9a3412", OVERSIZED: "#5b21b6", VERDICT_OK: "#166534", NO_DATA: "#94a3b8",
}
_RECOMMENDED_FILL = "#1f5fd6"


# What HTML escapes; most values (ids, numbers, times) hold none, and a search is cheaper than five replaces.
_SPECIAL = re.compile(r"[&<>\"']")


def _e(value):
    text = "" if value is None else str(value)
    return _html_escape(text, quote=True) if _SPECIAL.search(text) else text


# Widths in em of a 12 px sans-serif, rounded up so that an estimate never falls short of the rendered width.
_NARROW = frozenset(" .,:;'|!iIjlft()[]-")
_WIDE = frozenset("MWmw@%")


def _em(char):
    if unicodedata.east_asian_width(char) in ("W", "F"):
        return 1.0
    if char in _WIDE:
        return 0.95
    if char in _NARROW:
        return 0.36
    if char.isupper() or char.isdigit():
        return 0.72
    return 0.6


def _fit(text, pixels, font_px=12):
    """``text`` on one line, cut with an ellipsis where its estimated width at ``font_px`` would pass ``pixels``: a
    chart's label ends at the plot, so one that did not fit would run off the chart's left edge. The full name is
    in the row's title (its tooltip)."""
    text = " ".join(("" if text is None else str(text)).split())
    budget = float(pixels) / font_px
    if sum(_em(char) for char in text) <= budget:
        return text
    budget -= 1.0  # the ellipsis
    used, cut = 0.0, 0
    for cut, char in enumerate(text):
        used += _em(char)
        if used > budget:
            break
    return text[:cut].rstrip() + "\u2026"


def _slug(text, index):
    return "org-%d-%s" % (index, re.sub(r"[^a-z0-9]+", "-", str(text).lower()).strip("-") or "unnamed")


def _fmt(number):
    return ("%.1f" % number).rstrip("0").rstrip(".")


# ---------------------------------------------------------------- small pieces

def _badge(status):
    return '<span class="badge s-%s">%s</span>' % (_e(status), _e(status_label(status)))


def _verdict_badge(verdict):
    if not verdict:
        return "-"
    return '<span class="badge v-%s">%s</span>' % (_e(verdict), _e(verdict_label(verdict)))


def _outcome(outcome):
    word = verify_outcome(outcome)
    html = '<span class="badge o-%s">%s</span>' % (_e(word.replace(" ", "_")), _e(verify_text(outcome)))
    if outcome and outcome.get("error"):
        html += '<span class="err">%s</span>' % _e(outcome["error"])
    return html


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


def _kpi_text(value, label, css):
    return '<div class="kpi txt %s"><span class="v">%s</span> <span class="l">%s</span></div>' % (css, _e(value), _e(label))


def _tests_kpi(verify):
    """Tests passed after the change, "n of m": green when all passed, red otherwise."""
    if not verify["tested_after"]:
        return _kpi_text(passed_text(0, 0), "Tests after the change", "")
    return _kpi_text(passed_text(verify["passed_after"], verify["tested_after"]), "Tests passed after the change",
                     "good" if verify["passed_after"] == verify["tested_after"] else "bad")


def _meta(items):
    parts = ['<div><dt>%s</dt><dd>%s</dd></div>' % (_e(k), _e(v)) for k, v in items]
    return '<dl class="meta">%s</dl>' % "".join(parts)


def _svg_open(width, height, chart_id, with_desc=True):
    labelled = "%s-t %s-d" % (chart_id, chart_id) if with_desc else "%s-t" % chart_id
    return ('<svg viewBox="0 0 %d %d" role="img" aria-labelledby="%s" xmlns="http://www.w3.org/2000/svg">'
            % (width, height, labelled))


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
    band = plot_w / float(len(distribution) or 1)
    bar_w = min(26.0, band * 0.36)
    out = [_svg_open(width, height, chart_id)]
    out.append('<title id="%s-t">%s</title>' % (chart_id, _e(title)))
    desc = "; ".join("%s: %d before, %d after" % (entry["bucket"], entry["before"], entry["after"])
                     for entry in distribution)
    out.append('<desc id="%s-d">Actions per timeout range. %s</desc>' % (chart_id, _e(desc)))
    # Shade the ranges that count as too low, so the eye finds the risk at once.
    for index, entry in enumerate(distribution):
        low, high = _bucket_bounds(entry["bucket"])
        # An unset timeout runs at 60 s, the maximum: never in the low band.
        if low is not None and high <= threshold:
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

    out = [_svg_open(width, height, chart_id)]
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
    out.append('<text x="%s" y="%d" font-size="11.5" fill="#5b6676" text-anchor="middle">timeout (seconds, log scale)'
               '</text>' % (_fmt(x0 + scale_w / 2.0), height - 4))
    # Reference lines: the threshold, and the target unless each action goes to its own recommendation.
    marks = [(threshold, "#c2410c", "threshold %d s" % threshold)]
    if target not in (RECOMMENDED, None):
        marks.append((target, "#1f5fd6", "target %d s" % target))
    for seconds, colour, dummy in marks:
        x = x_of(seconds)
        out.append('<line x1="%s" x2="%s" y1="%d" y2="%d" stroke="%s" stroke-dasharray="3 3"/>'
                   % (_fmt(x), _fmt(x), top - 8, axis_bottom, colour))
    # Their labels sit in the header row, pushed apart when they would collide.
    positions = [x_of(seconds) for seconds, dummy, dummy2 in marks]
    if len(positions) == 2 and abs(positions[1] - positions[0]) < 72:
        middle = (positions[0] + positions[1]) / 2.0
        positions = [middle - 36, middle + 36] if threshold <= target else [middle + 36, middle - 36]
    for (dummy, colour, label), x in zip(marks, positions):
        out.append('<text x="%s" y="%d" font-size="11" fill="%s" text-anchor="middle">%s</text>'
                   % (_fmt(x), top - 12, colour, _e(label)))
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
                   % (name_w, _fmt(y + 4), _e(_fit(row["name"], name_w - 6))))
        out.append('<line x1="%s" x2="%s" y1="%s" y2="%s" stroke="#9db8ea" stroke-width="3"/>'
                   % (_fmt(bx), _fmt(ax), _fmt(y), _fmt(y)))
        if before is None:
            out.append('<circle cx="%s" cy="%s" r="5" fill="#fff" stroke="#8a95a3" stroke-width="2"/>'
                       % (_fmt(bx), _fmt(y)))
        else:
            out.append('<circle cx="%s" cy="%s" r="5" fill="#a3adba"/>' % (_fmt(bx), _fmt(y)))
        if after is None:
            out.append('<circle cx="%s" cy="%s" r="5.5" fill="#fff" stroke="#1f5fd6" stroke-width="2"/>'
                       % (_fmt(ax), _fmt(y)))
        else:
            out.append('<circle cx="%s" cy="%s" r="5.5" fill="#1f5fd6"/>' % (_fmt(ax), _fmt(y)))
        out.append('<text x="%s" y="%s" font-size="11" fill="#1f5fd6" font-weight="600">%s</text></g>'
                   % (_fmt(max(ax, bx) + 9), _fmt(y + 4), _e(format_timeout(after))))
    out.append("</svg>")
    return "".join(out)


def _share_bar_svg(counts, labels, fills, chart_id, title, per_row=3, width=560):
    """One bar split by category, with a legend of the counts; ``counts`` is a list of (key, count)."""
    bar_y, bar_h = 8, 22
    present = [(key, count) for key, count in counts if count]
    total = sum(count for dummy, count in present)
    height = bar_y + bar_h + 14 + 20 * ((len(present) + per_row - 1) // per_row or 1)
    out = [_svg_open(width, height, chart_id, with_desc=False)]
    out.append('<title id="%s-t">%s: %s</title>' % (chart_id, _e(title), _e(", ".join(
        "%d %s" % (count, labels[key]) for key, count in present) or "no actions")))
    out.append('<rect x="0" y="%d" width="%d" height="%d" rx="4" fill="#eef1f5"/>' % (bar_y, width, bar_h))
    x = 0.0
    for key, count in present:
        segment = width * count / float(total)
        out.append('<rect x="%s" y="%d" width="%s" height="%d" fill="%s"><title>%s: %d</title></rect>'
                   % (_fmt(x), bar_y, _fmt(segment), bar_h, fills[key], _e(labels[key]), count))
        x += segment
    for index, (key, count) in enumerate(present):
        lx = (index % per_row) * (width / float(per_row))
        ly = bar_y + bar_h + 20 + 20 * (index // per_row)
        out.append('<rect x="%s" y="%d" width="11" height="11" rx="2" fill="%s"/>' % (_fmt(lx), ly - 10, fills[key]))
        out.append('<text x="%s" y="%d" font-size="12" fill="#1c2430"><tspan font-weight="700">%d</tspan> %s</text>'
                   % (_fmt(lx + 16), ly, count, _e(labels[key])))
    out.append("</svg>")
    return "".join(out)


def _status_svg(by_status, chart_id, title):
    return _share_bar_svg([(status, by_status.get(status, 0)) for status in STATUSES],
                          dict((status, status_label(status)) for status in STATUSES), _STATUS_FILL, chart_id, title)


def _verdict_svg(by_verdict, chart_id, title):
    return _share_bar_svg([(verdict, by_verdict.get(verdict, 0)) for verdict in VERDICTS_BY_RISK],
                          dict((verdict, verdict_label(verdict)) for verdict in VERDICTS_BY_RISK), _VERDICT_FILL,
                          chart_id, title, per_row=5, width=_OBSERVED_WIDTH)


def _observed_title(row):
    stats = row.get("stats") or {}
    parts = ["%s (%s): %s" % (row["name"], row["id"], verdict_label(row["verdict"])),
             "timeout %s" % format_timeout(row["timeout_seconds_before"]),
             "%s executions" % format_executions(stats),
             "p99 %s" % format_p99(stats), "max %s" % format_ms(stats.get("max_ms"))]
    if stats.get("reached_timeout"):
        parts.append("%d reached the timeout" % stats["reached_timeout"])
    parts.append("recommended %s" % format_recommended(row.get("recommended_timeout_seconds")))
    return ", ".join(parts)


def _observed_svg(rows, chart_id, title):
    """Each action's p99 (bar, coloured by verdict) and slowest execution (whisker) against its effective
    timeout (dark tick) and its recommendation (blue diamond), on a log time axis."""
    width = _OBSERVED_WIDTH
    name_w, x0, x1, note_x = 250, 262, 900, 914
    top, row_h, bottom = 58, 20, 40
    height = top + row_h * len(rows) + bottom
    low, high = OBSERVED_AXIS_SECONDS
    span = math.log10(high) - math.log10(low)

    def x_of(seconds):
        seconds = min(max(seconds, low), high)
        return x0 + (x1 - x0) * (math.log10(seconds) - math.log10(low)) / span

    out = [_svg_open(width, height, chart_id)]
    out.append('<title id="%s-t">%s</title>' % (chart_id, _e(title)))
    out.append('<desc id="%s-d">%s</desc>' % (chart_id, _e("; ".join(_observed_title(row) for row in rows))))
    axis_bottom = top + row_h * len(rows)
    for index in range(1, len(rows), 2):
        out.append('<rect x="0" y="%d" width="%d" height="%d" fill="#f6f8fa"/>' % (top + row_h * index, width, row_h))
    # Gridlines with labels above and below, so a long chart reads without scrolling back.
    for tick, label in ((0.1, "0.1"), (0.2, "0.2"), (0.5, "0.5"), (1, "1"), (2, "2"), (5, "5"), (10, "10"),
                        (20, "20"), (30, "30"), (60, "60")):
        x = _fmt(x_of(tick))
        out.append('<line x1="%s" x2="%s" y1="%d" y2="%d" stroke="%s"/>'
                   % (x, x, top - 4, axis_bottom, "#d5dbe3" if tick in (1, 10, 60) else "#edf0f3"))
        for y in (top - 8, axis_bottom + 14):
            out.append('<text x="%s" y="%d" font-size="11" fill="#5b6676" text-anchor="middle">%s</text>'
                       % (x, y, label))
    out.append('<text x="%s" y="%d" font-size="11.5" fill="#5b6676" text-anchor="middle">seconds (log scale)</text>'
               % (_fmt((x0 + x1) / 2.0), height - 6))
    out.append('<text x="%d" y="%d" font-size="11.5" fill="#5b6676">verdict \u00b7 recommended</text>'
               % (note_x, top - 8))
    # Legend.
    legend_y = 16
    out.append('<rect x="%d" y="%d" width="22" height="8" rx="1" fill="%s"/>' % (x0, legend_y - 8, _VERDICT_FILL[AT_RISK]))
    out.append('<text x="%d" y="%d" font-size="12" fill="#1c2430">p99 (colour: verdict)</text>' % (x0 + 28, legend_y))
    lx = x0 + 170
    out.append('<line x1="%d" x2="%d" y1="%d" y2="%d" stroke="#5b6676" stroke-width="1.5"/>'
               '<line x1="%d" x2="%d" y1="%d" y2="%d" stroke="#5b6676" stroke-width="1.5"/>'
               % (lx, lx + 22, legend_y - 4, legend_y - 4, lx + 22, lx + 22, legend_y - 8, legend_y))
    out.append('<text x="%d" y="%d" font-size="12" fill="#1c2430">slowest (max)</text>' % (lx + 28, legend_y))
    lx += 130
    out.append('<line x1="%d" x2="%d" y1="%d" y2="%d" stroke="#1c2430" stroke-width="2.5"/>'
               % (lx + 4, lx + 4, legend_y - 11, legend_y + 2))
    out.append('<line x1="%d" x2="%d" y1="%d" y2="%d" stroke="#5b6676" stroke-width="2.5" stroke-dasharray="2 2"/>'
               % (lx + 12, lx + 12, legend_y - 11, legend_y + 2))
    out.append('<text x="%d" y="%d" font-size="12" fill="#1c2430">effective timeout (dashed: unset, runs at 60 s)</text>'
               % (lx + 22, legend_y))
    lx += 320
    out.append('<path d="M%d %dl5 5-5 5-5-5z" fill="%s" stroke="#fff"/>' % (lx + 5, legend_y - 9, _RECOMMENDED_FILL))
    out.append('<text x="%d" y="%d" font-size="12" fill="#1c2430">recommended</text>' % (lx + 16, legend_y))

    for index, row in enumerate(rows):
        y = top + row_h * index + row_h / 2.0
        stats = row.get("stats") or {}
        verdict = row["verdict"]
        p99, longest = stats.get("p99_ms"), stats.get("max_ms")
        effective = row["effective_timeout_seconds_before"]
        recommended = row.get("recommended_timeout_seconds")
        out.append('<g class="row v-%s"><title>%s</title>' % (_e(verdict), _e(_observed_title(row))))
        out.append('<text x="%d" y="%s" font-size="12" fill="#1c2430" text-anchor="end">%s</text>'
                   % (name_w, _fmt(y + 4), _e(_fit(row["name"], name_w - 6))))
        if p99 is not None:
            px = x_of(p99 / 1000.0)
            out.append('<rect x="%d" y="%s" width="%s" height="9" rx="1" fill="%s"/>'
                       % (x0, _fmt(y - 4.5), _fmt(max(px - x0, 1.5)), _VERDICT_FILL.get(verdict, "#94a3b8")))
            if longest is not None and longest > p99:
                mx = x_of(longest / 1000.0)
                out.append('<line x1="%s" x2="%s" y1="%s" y2="%s" stroke="%s" stroke-width="1.5"/>'
                           '<line x1="%s" x2="%s" y1="%s" y2="%s" stroke="%s" stroke-width="1.5"/>'
                           % (_fmt(px), _fmt(mx), _fmt(y), _fmt(y), _VERDICT_LINE.get(verdict, "#5b6676"),
                              _fmt(mx), _fmt(mx), _fmt(y - 4), _fmt(y + 4), _VERDICT_LINE.get(verdict, "#5b6676")))
        tx = _fmt(x_of(effective))
        if row["timeout_seconds_before"] is None:
            out.append('<line x1="%s" x2="%s" y1="%s" y2="%s" stroke="#5b6676" stroke-width="2.5" '
                       'stroke-dasharray="2 2"/>' % (tx, tx, _fmt(y - 8), _fmt(y + 8)))
        else:
            out.append('<line x1="%s" x2="%s" y1="%s" y2="%s" stroke="#1c2430" stroke-width="2.5"/>'
                       % (tx, tx, _fmt(y - 8), _fmt(y + 8)))
        if recommended is not None:
            out.append('<path d="M%s %sl5 5-5 5-5-5z" fill="%s" stroke="#fff"/>'
                       % (_fmt(x_of(recommended)), _fmt(y - 5), _RECOMMENDED_FILL))
        if verdict == NO_DATA:
            note = "%s executions" % format_count(stats.get("executions"))
        elif recommended is None:
            note = ""
        elif recommended == effective:
            note = "keep %d s" % recommended
        else:
            note = "%s %d s" % ("\u2191" if recommended > effective else "\u2193", recommended)
        out.append('<text x="%d" y="%s" font-size="12"><tspan fill="%s" font-weight="600">%s</tspan>'
                   '<tspan fill="%s" dx="8">%s</tspan></text></g>'
                   % (note_x, _fmt(y + 4), _VERDICT_LINE.get(verdict, "#5b6676"), _e(verdict_label(verdict)),
                      _RECOMMENDED_FILL, _e(note)))
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
    return '<td class="action"><span class="name">%s</span><code class="id">%s</code></td>' % (
        _e(row["name"]), _e(row["id"]))


_OBSERVED_HEADER = ('<th class="n">Executions</th><th class="n">p99</th><th class="n">Max</th>'
                    '<th class="n">Reached timeout</th><th>Verdict</th><th class="n">Recommended</th>')


def _observed_cells(row):
    stats = row.get("stats") or {}
    return ('<td class="n">%s</td><td class="n">%s</td><td class="n">%s</td><td class="n">%s</td><td>%s</td>'
            '<td class="n">%s</td>' % (
                _e(format_executions(stats)), _e(format_p99(stats)),
                _e(format_ms(stats.get("max_ms"))), _e(format_count(stats.get("reached_timeout"))),
                _verdict_badge(row.get("verdict")), _e(format_recommended(row.get("recommended_timeout_seconds")))))


def _changes_table(rows, with_stats, functions=False):
    out = ['<div class="scroll"><table><thead><tr><th>Action</th><th>Category</th><th>Timeout</th>%s<th>Version</th>'
           '<th>Status</th>%s</tr></thead><tbody>' % (
               "<th>Function timeout</th>" if functions else "", _OBSERVED_HEADER if with_stats else "")]
    for row in rows:
        function = '<td class="t">%s</td>' % _e(format_function_change(row)) if functions else ""
        out.append('<tr>%s<td>%s</td><td>%s</td>%s<td class="t">%s</td><td>%s</td>%s</tr>' % (
            _action_cell(row), _e(row["category"]),
            _timeout_change(row["timeout_seconds_before"], row["timeout_seconds_after"]), function,
            _version_change(row["version_before"], row["version_after"]), _badge(row["status"]),
            _observed_cells(row) if with_stats else ""))
    out.append("</tbody></table></div>")
    return "".join(out)


def _draft_table(rows):
    out = ['<div class="scroll"><table class="drafts"><thead><tr><th>Action</th><th>Action timeout after</th>'
           '<th>Draft version</th><th>Draft timeout</th><th>Draft</th><th>Publishing it</th></tr></thead><tbody>']
    for row in rows:
        draft = row["draft"]
        out.append('<tr%s>%s<td class="t">%s</td><td>%s</td><td class="t">%s</td><td>%s</td><td>%s</td></tr>' % (
            ' class="undoes"' if draft["holds_other_timeout"] else "", _action_cell(row),
            _e(format_timeout(row["timeout_seconds_after"])),
            _version_change(draft["version_before"], draft["version_after"]),
            _timeout_change(draft["timeout_seconds_before"], draft["timeout_seconds_after"]),
            _e(draft_status_label(draft)), _e(draft_publishing(row))))
    out.append("</tbody></table></div>")
    return "".join(out)


def _attention_table(rows):
    out = ['<div class="scroll"><table><thead><tr><th>Action</th><th>Timeout</th><th>Status</th><th>Detail</th></tr>'
           '</thead><tbody>']
    for row in rows:
        out.append('<tr>%s<td>%s</td><td>%s</td><td>%s</td></tr>' % (
            _action_cell(row), _timeout_change(row["timeout_seconds_before"], row["timeout_seconds_after"]),
            _badge(row["status"]), _e(attention_detail(row))))
    out.append("</tbody></table></div>")
    return "".join(out)


def _verify_table(rows):
    out = ['<div class="scroll"><table class="verify"><thead><tr><th>Action</th><th>Timeout</th><th>Before the change</th>'
           '<th>After the change</th></tr></thead><tbody>']
    for row in rows:
        out.append('<tr>%s<td>%s</td><td>%s</td><td>%s</td></tr>' % (
            _action_cell(row), _timeout_change(row["timeout_seconds_before"], row["timeout_seconds_after"]),
            _outcome(row["verify"]["before"]), _outcome(row["verify"]["after"])))
    out.append("</tbody></table></div>")
    return "".join(out)


def _observed_table_pieces(rows):
    out = ['<div class="scroll"><table class="observed"><thead><tr><th>Action</th><th>Timeout</th>%s<th>Why</th></tr></thead><tbody>'
           % _OBSERVED_HEADER]
    for row in rows:
        out.append('<tr>%s<td class="t">%s</td>%s<td class="why">%s</td></tr>' % (
            _action_cell(row), _e(format_timeout(row["timeout_seconds_before"])), _observed_cells(row),
            _e(row.get("recommendation"))))
    out.append("</tbody></table></div>")
    return out


def _all_table_pieces(rows, with_stats):
    extra = '<th>Verdict</th><th class="n">Recommended</th>' if with_stats else ""
    out = ['<div class="scroll"><table class="all"><thead><tr><th>Action</th><th>Category</th><th>Kind</th><th>Timeout</th>'
           '<th>Version</th><th>Status</th>%s</tr></thead><tbody>' % extra]
    for row in rows:
        cells = ""
        if with_stats:
            cells = '<td>%s</td><td class="n">%s</td>' % (
                _verdict_badge(row.get("verdict")), _e(format_recommended(row.get("recommended_timeout_seconds"))))
        out.append('<tr>%s<td>%s</td><td>%s%s</td><td class="t">%s</td><td>%s</td><td>%s</td>%s</tr>' % (
            _action_cell(row), _e(row["category"]), _e(row["kind"]), " (secure)" if row["secure"] else "",
            _timeout_change(row["timeout_seconds_before"], row["timeout_seconds_after"]),
            _version_change(row["version_before"], row["version_after"]), _badge(row["status"]), cells))
    out.append("</tbody></table></div>")
    return out


# ---------------------------------------------------------------- sections

def _not_attempted_kpi(by_status):
    """Updates a run that wrote planned and never sent: neither changed nor failed, so a tile of their own."""
    count = by_status.get(NOT_ATTEMPTED, 0)
    return [_kpi(count, "Not attempted", "bad")] if count else []


def _org_kpis(report):
    summary = report["summary"]
    by_status = summary["by_status"]
    low_name, low_count = low_label(report)
    kpis = [
        _kpi(summary["actions"], "Actions seen", ""),
        _kpi(low_count, low_name, "change" if report["mode"] == ROLLBACK else "risk"),
    ]
    if report["mode"] != ROLLBACK:
        kpis.append(_kpi(summary["changed"], changes_label(report), "change"))
    kpis += [_kpi(by_status.get("drifted", 0), "Drifted", "drift"), _kpi(by_status.get("failed", 0), "Failed", "bad")]
    kpis += _not_attempted_kpi(by_status)
    verify = summary.get("verify")
    if verify:
        kpis.append(_tests_kpi(verify))
    if summary.get("pending_drafts"):
        kpis.append(_kpi(summary["pending_drafts"], "Pending drafts", "drift" if summary["drafts_other_timeout"] else ""))
    return '<div class="kpis">%s</div>' % "".join(kpis)


def _observed_block(report, anchor, org_name):
    rows = observed_rows(report)
    by_verdict = report["summary"].get("by_verdict") or {}
    out = ['<figure class="wide"><figcaption>Observed execution times against the timeout</figcaption>']
    out.append(_verdict_svg(by_verdict, anchor + "-verdicts", "Custom actions of %s by verdict" % org_name))
    if rows:
        charted = rows[:OBSERVED_CHART_MAX_ROWS]
        out.append(_observed_svg(charted, anchor + "-obs", "Observed times of %s, riskiest first" % org_name))
        if len(rows) <= OBSERVED_CHART_MAX_ROWS:
            note = "All %d actions with observed times shown, riskiest first." % len(rows)
        else:
            note = ("Showing the %d riskiest of %d actions with observed times; the %d more are in the table "
                    "\u201cObserved execution times\u201d below, in the same order."
                    % (len(charted), len(rows), len(rows) - len(charted)))
        out.append('<p class="note">%s %s</p>' % (_e(note), _e(
            "Bar: the p99; line: up to the slowest execution; dark tick: the effective timeout (dashed when unset, "
            "which runs at 60 s); diamond: the recommended timeout.")))
    else:
        out.append('<div class="empty">No observed execution times were read for this org.</div>')
    missing = without_verdict(report)
    if missing:
        out.append('<p class="note">%s</p>' % _e("%d custom action%s got no verdict (no observed times were read for "
                                                 "%s)." % (missing, "" if missing == 1 else "s",
                                                           "it" if missing == 1 else "them")))
    out.append("</figure>")
    return "".join(out), rows


def _org_section_pieces(report, index, org_page=None):
    """One org's section, in pieces; in a run page with ``org_page`` (the org's own page, beside it), the tables of
    every action and of every observed time link there instead of repeating thousands of rows."""
    anchor = _slug(report["org"], index)
    org_name = report["org"] or "(unnamed org)"
    label = changes_label(report)
    with_stats = bool(report.get("use_stats"))
    out = ['<section class="block org" id="%s">' % anchor]
    out.append('<h2>Org %s</h2>' % _e(org_name))
    if report["mode"] == ROLLBACK:
        facts = ["mode %s" % mode_label(report), target_label(report), "unset runs with the 60 s default"]
    else:
        facts = ["mode %s" % mode_label(report), "threshold %d s" % report["threshold"],
                 "target %s" % target_label(report), "unset runs with the 60 s default"]
    if with_stats:
        facts.append(stats_label(report))
    sub = " \u00b7 ".join(_e(fact) for fact in facts)
    if report.get("api_base_url"):
        sub += ' \u00b7 <code>%s</code>' % _e(report["api_base_url"])
    out.append('<p class="sub">%s</p>' % sub)
    if rate_limit_label(report.get("rate_limit")):
        out.append('<p class="sub rate-limit">Rate limit: %s</p>' % _e(rate_limit_label(report["rate_limit"])))
    if org_error(report):
        out.append('<p class="alert"><strong>The run failed for this org:</strong> %s</p>' % _e(org_error(report)))
    # The headline numbers first; the warnings (drift skipped, analytics refused, ...) right under them.
    out.append(_org_kpis(report))
    for warning in report.get("warnings") or []:
        out.append('<p class="warn"><strong>Warning:</strong> %s</p>' % _e(warning))

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
            _e(label), _changes_svg(charted, report["threshold"], None if report["mode"] == ROLLBACK else report["target"], anchor + "-chg",
                                    "%s in %s, from and to" % (label, org_name)), _e(note)))
    else:
        out.append('<figure><figcaption>%s: from \u2192 to</figcaption><div class="empty">'
                   'No timeout %s in this org.</div></figure>' % (_e(label), _e(none_changed_label(report))))
    out.append("</div>")
    observed = []
    if with_stats:
        block, observed = _observed_block(report, anchor, org_name)
        out.append(block)

    out.append("<h3>%s (%d)</h3>" % (_e(label), len(changes)))
    out.append(_changes_table(changes, with_stats, with_functions(report)) if changes else '<p class="sub">None.</p>')
    attention = attention_rows(report)
    if attention:
        out.append("<h3>Needs attention (%d)</h3>" % len(attention))
        out.append(_attention_table(attention))
    drafts = draft_rows(report)
    if drafts:
        out.append("<h3>Pending drafts (%d)</h3>" % len(drafts))
        out.append('<p class="note">Publishing a draft replaces its action\u2019s configuration with the draft\u2019s, '
                   'timeout included.</p>')
        out.append(_draft_table(drafts))
    tested = verify_rows(report)
    if tested:
        out.append("<h3>Test invocations (%d)</h3>" % len(tested))
        out.append(_verify_table(tested))
    if org_page:
        link = '<a href="%s">%s</a>' % (_e(quote(org_page)), _e(org_page))
        if observed:
            out.append('<h3>Observed execution times (%d), riskiest first</h3><p class="sub">Every one in the org\u2019s '
                       'own page, %s.</p>' % (len(observed), link))
        out.append('<h3>All actions seen (%d)</h3><p class="sub">Every one, with its verdict and recommendation, '
                   'in the org\u2019s own page, %s.</p>' % (len(report["rows"]), link))
        out.append("</section>")
        return out
    # The two tables of every action are most of a large org's page: their rows go into the section's pieces as
    # they are, not joined into a table first and copied into the section again.
    if observed:
        out.append('<details open><summary>Observed execution times (%d), riskiest first</summary>' % len(observed))
        out.extend(_observed_table_pieces(observed))
        out.append('</details>')
    out.append('<details open><summary>All actions seen (%d)</summary>' % len(report["rows"]))
    out.extend(_all_table_pieces(report["rows"], with_stats))
    out.append('</details>')
    out.append("</section>")
    return out


def _low_handled(org):
    """Of the org's low actions, how many this run changed (or would)."""
    low = [row for row in org["rows"] if is_low(row, org["threshold"])]
    return len([row for row in low if row["status"] in (UPDATED, WOULD_UPDATE)]), len(low)


def _totals_section(report):
    totals = report["totals"]
    by_status = totals["by_status"]
    label = changes_label(report)
    by_verdict = totals.get("by_verdict")
    with_low, with_restored = totals_columns(report)
    verify = totals.get("verify")
    out = ['<section class="block" id="totals"><h2>Run totals</h2>']
    out.append('<p class="sub">%d orgs \u00b7 mode %s</p>' % (totals["orgs"], _e(mode_label(report))))
    if totals.get("rate_limit"):
        lowered = totals["rate_limit"].get("orgs_paced_lower")
        out.append('<p class="sub rate-limit">Rate limit: %s in all orgs%s</p>' % (
            _e(rate_limit_label(totals["rate_limit"])),
            "; %d org(s) lowered their pace after a 429" % lowered if lowered else ""))
    kpis = [_kpi(totals["orgs"], "Orgs", ""), _kpi(totals["actions"], "Actions seen", "")]
    if with_low:
        kpis.append(_kpi(totals["low"], "Low", "risk"))
    kpis.append(_kpi(totals["changed"], label, "change"))
    if with_restored:
        kpis.append(_kpi(totals["restored"], "Restored", "change"))
    kpis += [_kpi(by_status.get("drifted", 0), "Drifted", "drift"), _kpi(by_status.get("failed", 0), "Failed", "bad")]
    kpis += _not_attempted_kpi(by_status)
    if verify:
        kpis.append(_tests_kpi(verify))
    if totals.get("pending_drafts"):
        kpis.append(_kpi(totals["pending_drafts"], "Pending drafts", "drift" if totals["drafts_other_timeout"] else ""))
    out.append('<div class="kpis">%s</div>' % "".join(kpis))
    if by_verdict is not None:
        out.append('<div class="kpis verdicts">%s</div>' % "".join(
            _kpi(by_verdict.get(verdict, 0), verdict_title(verdict), "vt-%s" % verdict)
            for verdict in VERDICTS_BY_RISK))
    head = ['<th>Org</th><th class="n">Actions seen</th>']
    if with_low:
        head.append('<th class="n">Low</th>')
    head.append('<th class="n">%s</th>' % _e(label))
    if with_low:
        head.append('<th>Share of low handled</th>')
    head.append('<th class="n">Drifted</th><th class="n">Failed</th>')
    if with_restored:
        head.append('<th class="n">Restored</th>')
    with_drafts = bool(totals.get("pending_drafts"))
    if with_drafts:
        head.append('<th class="n">Pending drafts</th>')
    if by_verdict is not None:
        head.extend('<th class="n">%s</th>' % _e(verdict_title(verdict)) for verdict in VERDICTS_BY_RISK)
    if verify:
        head.append('<th class="n">Tests passed after</th>')
    out.append('<div class="scroll"><table class="totals"><thead><tr>%s</tr></thead><tbody>' % "".join(head))
    for index, org in enumerate(report["orgs"]):
        summary = org["summary"]
        handled, low = _low_handled(org)
        share = "%d of %d" % (handled, low)
        cells = ['<td><a href="#%s">%s</a>%s</td>' % (
            _slug(org["org"], index), _e(org["org"] or "(unnamed org)"),
            ' <span class="badge s-failed">run failed</span>' if org_error(org) else "")]
        cells.append('<td class="n">%d</td>' % summary["actions"])
        if with_low:
            cells.append('<td class="n">%d</td>' % summary["low"])
        cells.append('<td class="n">%d</td>' % summary["changed"])
        if with_low:
            cells.append('<td class="share">%s <span class="sub">%s</span></td>' % (
                _progress_svg(handled, low, share), _e(share)))
        cells.append('<td class="n">%d</td><td class="n">%d</td>' % (
            summary["by_status"].get("drifted", 0), summary["by_status"].get("failed", 0)))
        if with_restored:
            cells.append('<td class="n">%d</td>' % summary["restored"])
        if with_drafts:
            cells.append('<td class="n">%d</td>' % summary.get("pending_drafts", 0))
        if by_verdict is not None:
            org_verdicts = summary.get("by_verdict")
            cells.extend('<td class="n">%s</td>' % ("-" if org_verdicts is None else org_verdicts.get(verdict, 0))
                         for verdict in VERDICTS_BY_RISK)
        if verify:
            org_verify = summary.get("verify")
            cells.append('<td class="n">%s</td>' % ("-" if org_verify is None else _e(passed_text(
                org_verify["passed_after"], org_verify["tested_after"]))))
        out.append("<tr>%s</tr>" % "".join(cells))
    out.append("</tbody></table></div></section>")
    return "".join(out)


def _page(title, header_items, body):
    """The page's pieces around ``body`` (a list of pieces)."""
    return [
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="generator" content="genesyscloud.cx timeout_report_html">',
        "<title>%s</title><style>%s</style></head><body>" % (_e(title), _CSS),
        '<header class="top"><div class="wrap"><p class="eyebrow">genesyscloud.cx \u00b7 data action timeouts</p>',
        "<h1>%s</h1>%s</div></header>" % (_e(title), _meta(header_items)),
        '<main class="wrap">',
    ] + body + [
        '</main>',
        '<footer class="wrap">Generated by the genesyscloud.cx collection. The JSON report next to this page '
        'is the input for approved plans and rollback.</footer>',
        "</body></html>\n",
    ]


def _when(generated_at):
    return str(generated_at).replace("T", " ").replace("Z", " UTC")


def timeout_report_html(report, org_pages=False):
    """A self-contained HTML page for an org report or a run report.

    ``org_pages``: a run page written beside each org's own page (``<org>.html``, as the role writes them) links
    to them for the tables of every action, so that a run over many large orgs stays a page a browser opens.
    """
    kind, report = read_any_report(report)
    return render_html(kind, report, org_pages)


def render_html(kind, report, org_pages=False):
    """timeout_report_html for a report already read as schema 2 has it (by read_any_report, or built here)."""
    return "".join(render_html_pieces(kind, report, org_pages))


def render_html_pieces(kind, report, org_pages=False):
    """render_html's text in pieces, to write without holding a large org's page twice."""
    if kind == ORG:
        title = "Data action timeouts: %s" % (report["org"] or "(unnamed org)")
        items = [("Mode", mode_label(report)), ("Run", report["run_id"]), ("Generated", _when(report["generated_at"]))]
        return _page(title, items, _org_section_pieces(report, 0))
    title = "Data action timeouts: run %s" % report["run_id"]
    items = [("Mode", mode_label(report) if report["mode"] else "-"), ("Orgs", "%d" % report["totals"]["orgs"]),
             ("Generated", _when(report["generated_at"]))]
    body = [_totals_section(report)]
    if report["orgs"]:
        body.append('<nav class="orgs">%s</nav>' % "".join(
            '<a href="#%s">%s</a>' % (_slug(org["org"], index), _e(org["org"] or "(unnamed org)"))
            for index, org in enumerate(report["orgs"])))
    for index, org in enumerate(report["orgs"]):
        page = "%s.html" % org["org"] if org_pages and org.get("org") else None
        body.extend(_org_section_pieces(org, index, org_page=page))
    return _page(title, items, body)

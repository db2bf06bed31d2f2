# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesyscloud.cx contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# FOR INTERNAL COLLECTION USE ONLY
# The interfaces in this file are meant for use within the genesyscloud.cx collection and may change in
# any release. The filter timeout_report_html is the public interface.

"""The geometry of the HTML report's charts: where each bar, line and label goes, as numbers and texts.

The SVG markup is in report_templates/charts.html; a coordinate here is already written as the SVG takes it
(``_fmt``: one decimal at most), so the template only places it.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import math
import unicodedata

from ansible_collections.genesyscloud.cx.plugins.plugin_utils._report_view import (
    format_count,
    format_executions,
    format_ms,
    format_p99,
    format_recommended,
    format_timeout,
    status_label,
    verdict_label,
)
from ansible_collections.genesyscloud.cx.plugins.module_utils.data_actions import effective_timeout
from ansible_collections.genesyscloud.cx.plugins.module_utils.execution_stats import (
    AT_RISK,
    NO_DATA,
    OK as VERDICT_OK,
    OVERSIZED,
    TIMING_OUT,
)
from ansible_collections.genesyscloud.cx.plugins.module_utils.selection import RECOMMENDED
from ansible_collections.genesyscloud.cx.plugins.plugin_utils._reports import STATUSES, VERDICTS_BY_RISK

# The observed-times axis: from 0.1 s (faster backends are drawn there) to 60 s, the maximum timeout.
OBSERVED_AXIS_SECONDS = (0.1, 60.0)
# The observed-times figure spans the section: its SVGs are drawn at that width, so text keeps its size.
_OBSERVED_WIDTH = 1120

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
RECOMMENDED_FILL = "#1f5fd6"

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


def fit(text, pixels, font_px=12):
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


def _fmt(number):
    return ("%.1f" % number).rstrip("0").rstrip(".")


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


def distribution_chart(distribution, threshold, chart_id, title):
    """Actions per timeout range, before and after, with the ranges at or below the threshold shaded."""
    width, height = 560, 300
    left, right, top, bottom = 46, 12, 40, 50
    plot_w, plot_h = width - left - right, height - top - bottom
    peak = max([max(entry["before"], entry["after"]) for entry in distribution] + [1])
    y_max = _nice_max(peak)
    band = plot_w / float(len(distribution) or 1)
    bar_w = min(26.0, band * 0.36)
    chart = dict(id=chart_id, title=title, width=width, height=height, top=top, plot_h=plot_h,
                 desc="; ".join("%s: %d before, %d after" % (entry["bucket"], entry["before"], entry["after"])
                                for entry in distribution),
                 bands=[], grid=[], groups=[], legend=[])
    for index, entry in enumerate(distribution):
        low, high = _bucket_bounds(entry["bucket"])
        # An unset timeout runs at 60 s, the maximum: never in the low band.
        if low is not None and high <= threshold:
            chart["bands"].append(dict(x=_fmt(left + index * band), width=_fmt(band)))
    for step in range(5):
        y = top + plot_h - plot_h * step / 4.0
        chart["grid"].append(dict(x1=left, x2=width - right, y=_fmt(y), stroke="#c3cad4" if step == 0 else "#e8ebef",
                                  label_x=left - 6, label_y=_fmt(y + 4), value=y_max * step // 4))
    for index, entry in enumerate(distribution):
        center = left + index * band + band / 2.0
        bars = []
        for offset, key, colour, text_fill in ((-bar_w - 1, "before", "#a3adba", "#4b5563"),
                                               (1, "after", "#1f5fd6", "#1f5fd6")):
            count = entry[key]
            bar_h = plot_h * count / float(y_max)
            x = center + offset
            y = top + plot_h - bar_h
            bars.append(dict(x=_fmt(x), y=_fmt(y), width=_fmt(bar_w), height=_fmt(bar_h), fill=colour, when=key,
                             count=count, text_x=_fmt(x + bar_w / 2.0), text_y=_fmt(y - 4), text_fill=text_fill))
        label = "unset (60 s)" if entry["bucket"] == "unset" else entry["bucket"].replace("-", "\u2013") + " s"
        chart["groups"].append(dict(bucket=entry["bucket"], bars=bars, center=_fmt(center), label=label,
                                    label_y=top + plot_h + 17))
    chart["axis_x"], chart["axis_y"] = _fmt(left + plot_w / 2.0), height - 8
    chart["side_y"] = _fmt(top + plot_h / 2.0)
    # Legend, top left; the shaded swatch explains the risk band.
    x = left
    for colour, label in (("#a3adba", "before"), ("#1f5fd6", "after"), ("#fdf0e7", "at or below threshold")):
        chart["legend"].append(dict(x=x, fill=colour, stroke="#f3c9a8" if colour == "#fdf0e7" else None,
                                    label=label))
        x += 17 + 7 * len(label) + 18
    return chart


def change_order(row):
    return (effective_timeout(row["timeout_seconds_before"]), row["name"].casefold(), row["id"])


def changes_chart(rows, threshold, target, chart_id, title):
    """Each change from -> to on a log axis, with the threshold and the target marked."""
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

    axis_bottom = top + row_h * len(rows)
    chart = dict(id=chart_id, title=title, width=width, height=height, top=top, row_h=row_h, name_w=name_w,
                 axis_bottom=axis_bottom, desc="; ".join(
                     "%s: %s to %s" % (row["name"], format_timeout(row["timeout_seconds_before"]),
                                       format_timeout(row["timeout_seconds_after"])) for row in rows),
                 # Zebra stripes first, so the gridlines and reference lines stay visible on top of them.
                 stripes=[top + row_h * index for index in range(1, len(rows), 2)],
                 ticks=[dict(x=_fmt(x_of(tick)), label=tick) for tick in (1, 2, 3, 5, 10, 20, 30, 60)],
                 axis_x=_fmt(x0 + scale_w / 2.0), axis_y=height - 4, marks=[], rows=[])
    # Reference lines: the threshold, and the target unless each action goes to its own recommendation.
    marks = [(threshold, "#c2410c", "threshold %d s" % threshold)]
    if target not in (RECOMMENDED, None):
        marks.append((target, "#1f5fd6", "target %d s" % target))
    # Their labels sit in the header row, pushed apart when they would collide.
    positions = [x_of(seconds) for seconds, dummy, dummy2 in marks]
    if len(positions) == 2 and abs(positions[1] - positions[0]) < 72:
        middle = (positions[0] + positions[1]) / 2.0
        positions = [middle - 36, middle + 36] if threshold <= target else [middle + 36, middle - 36]
    for (seconds, colour, label), label_x in zip(marks, positions):
        chart["marks"].append(dict(x=_fmt(x_of(seconds)), stroke=colour, label=label, label_x=_fmt(label_x)))
    for index, row in enumerate(rows):
        y = top + row_h * index + row_h / 2.0
        before, after = row["timeout_seconds_before"], row["timeout_seconds_after"]
        bx, ax = x_of(before), x_of(after)
        chart["rows"].append(dict(
            title="%s (%s): %s \u2192 %s" % (row["name"], row["id"], format_timeout(before), format_timeout(after)),
            y=_fmt(y), text_y=_fmt(y + 4), name=fit(row["name"], name_w - 6), before_x=_fmt(bx), after_x=_fmt(ax),
            before_unset=before is None, after_unset=after is None, after=format_timeout(after),
            after_text_x=_fmt(max(ax, bx) + 9)))
    return chart


def _share_bar_chart(counts, labels, fills, chart_id, title, per_row=3, width=560):
    """One bar split by category, with a legend of the counts; ``counts`` is a list of (key, count)."""
    bar_y, bar_h = 8, 22
    present = [(key, count) for key, count in counts if count]
    total = sum(count for dummy, count in present)
    height = bar_y + bar_h + 14 + 20 * ((len(present) + per_row - 1) // per_row or 1)
    chart = dict(id=chart_id, width=width, height=height, bar_y=bar_y, bar_h=bar_h, segments=[], legend=[],
                 title="%s: %s" % (title, ", ".join("%d %s" % (count, labels[key]) for key, count in present)
                                   or "no actions"))
    x = 0.0
    for key, count in present:
        segment = width * count / float(total)
        chart["segments"].append(dict(x=_fmt(x), width=_fmt(segment), fill=fills[key], label=labels[key], count=count))
        x += segment
    for index, (key, count) in enumerate(present):
        lx = (index % per_row) * (width / float(per_row))
        ly = bar_y + bar_h + 20 + 20 * (index // per_row)
        chart["legend"].append(dict(x=_fmt(lx), y=ly - 10, fill=fills[key], text_x=_fmt(lx + 16), text_y=ly,
                                    count=count, label=labels[key]))
    return chart


def status_chart(by_status, chart_id, title):
    return _share_bar_chart([(status, by_status.get(status, 0)) for status in STATUSES],
                            dict((status, status_label(status)) for status in STATUSES), _STATUS_FILL, chart_id, title)


def verdict_chart(by_verdict, chart_id, title):
    return _share_bar_chart([(verdict, by_verdict.get(verdict, 0)) for verdict in VERDICTS_BY_RISK],
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


def _recommendation_note(verdict, stats, recommended, effective):
    if verdict == NO_DATA:
        return "%s executions" % format_count(stats.get("executions"))
    if recommended is None:
        return ""
    if recommended == effective:
        return "keep %d s" % recommended
    return "%s %d s" % ("\u2191" if recommended > effective else "\u2193", recommended)


def observed_chart(rows, chart_id, title):
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

    axis_bottom = top + row_h * len(rows)
    legend_y, lx = 16, x0 + 170
    chart = dict(id=chart_id, title=title, width=width, height=height, top=top, row_h=row_h, name_w=name_w,
                 x0=x0, note_x=note_x, axis_bottom=axis_bottom, desc="; ".join(_observed_title(row) for row in rows),
                 stripes=[top + row_h * index for index in range(1, len(rows), 2)],
                 # Gridlines with labels above and below, so a long chart reads without scrolling back.
                 ticks=[dict(x=_fmt(x_of(tick)), label=label, stroke="#d5dbe3" if tick in (1, 10, 60) else "#edf0f3")
                        for tick, label in ((0.1, "0.1"), (0.2, "0.2"), (0.5, "0.5"), (1, "1"), (2, "2"), (5, "5"),
                                            (10, "10"), (20, "20"), (30, "30"), (60, "60"))],
                 axis_x=_fmt((x0 + x1) / 2.0), axis_y=height - 6, legend_y=legend_y, swatch=_VERDICT_FILL[AT_RISK],
                 max_x=lx, tick_x=lx + 130, recommended_x=lx + 130 + 320, recommended_fill=RECOMMENDED_FILL, rows=[])
    for index, row in enumerate(rows):
        y = top + row_h * index + row_h / 2.0
        stats = row.get("stats") or {}
        verdict = row["verdict"]
        p99, longest = stats.get("p99_ms"), stats.get("max_ms")
        effective = row["effective_timeout_seconds_before"]
        recommended = row.get("recommended_timeout_seconds")
        line = _VERDICT_LINE.get(verdict, "#5b6676")
        drawn = dict(verdict=verdict, title=_observed_title(row), y=_fmt(y), text_y=_fmt(y + 4),
                     name=fit(row["name"], name_w - 6), p99=None, whisker=None, line=line,
                     tick_x=_fmt(x_of(effective)), tick_y1=_fmt(y - 8), tick_y2=_fmt(y + 8),
                     unset=row["timeout_seconds_before"] is None, diamond=None, label=verdict_label(verdict),
                     note=_recommendation_note(verdict, stats, recommended, effective))
        if p99 is not None:
            px = x_of(p99 / 1000.0)
            drawn["p99"] = dict(y=_fmt(y - 4.5), width=_fmt(max(px - x0, 1.5)), fill=_VERDICT_FILL.get(verdict, "#94a3b8"))
            if longest is not None and longest > p99:
                drawn["whisker"] = dict(x1=_fmt(px), x2=_fmt(x_of(longest / 1000.0)), y1=_fmt(y - 4), y2=_fmt(y + 4))
        if recommended is not None:
            drawn["diamond"] = dict(x=_fmt(x_of(recommended)), y=_fmt(y - 5))
        chart["rows"].append(drawn)
    return chart


def progress_bar(done, total):
    """The filled width of a 120-pixel bar for ``done`` of ``total``."""
    share = 0.0 if not total else min(1.0, done / float(total))
    return _fmt(120 * share)

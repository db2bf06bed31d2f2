# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesyscloud.cx contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# FOR INTERNAL COLLECTION USE ONLY
# The interfaces in this file are meant for use within the genesyscloud.cx collection and may change in
# any release. The filter timeout_report_html is the public interface.

"""Render a timeout report as one self-contained HTML page with inline SVG charts.

The page's structure is in report_templates/ (page.html, org.html, totals.html, tables.html, table_*.html, charts.html,
parts.html, style.css), rendered by Jinja2 with autoescaping on: every text is escaped. This file builds what
the templates show (the view: which tiles, rows and notes, and the charts' geometry from _report_charts.py).
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import itertools
import re

from urllib.parse import quote

from ansible_collections.genesyscloud.cx.plugins.plugin_utils._report_charts import (
    OBSERVED_AXIS_SECONDS,
    change_order,
    changes_chart,
    distribution_chart,
    observed_chart,
    progress_bar,
    status_chart,
    verdict_chart,
)
from ansible_collections.genesyscloud.cx.plugins.plugin_utils._since_view import since_view
from ansible_collections.genesyscloud.cx.plugins.plugin_utils._report_templates import report_template
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
    verify_outcome,
    verify_rows,
    verify_text,
    with_functions,
    without_verdict,
    flow_rows,
    flows_touched_label,
)
from ansible_collections.genesyscloud.cx.plugins.module_utils._journal import NOT_ATTEMPTED
from ansible_collections.genesyscloud.cx.plugins.module_utils.data_actions import UPDATED, WOULD_UPDATE
from ansible_collections.genesyscloud.cx.plugins.plugin_utils._report_reading import read_any_report
from ansible_collections.genesyscloud.cx.plugins.plugin_utils._reports import (
    ORG,
    ROLLBACK,
    VERDICTS_BY_RISK,
    is_low,
)

__all__ = ["CHART_MAX_ROWS", "OBSERVED_AXIS_SECONDS", "OBSERVED_CHART_MAX_ROWS", "render_html",
           "render_html_pieces", "timeout_report_html"]

# The from -> to chart shows at most this many actions; the table below it always lists every one.
CHART_MAX_ROWS = 25
# The observed-times chart shows at most this many actions, the riskiest; its table lists every one.
OBSERVED_CHART_MAX_ROWS = 40
# The page goes to the writer in pieces of about this many characters: Jinja2 yields a piece per tag and value (and
# a table's rows in lists of _ROWS_AT_ONCE); joined, they are written in a few hundred writes and never held whole.
_CHARS_PER_WRITE = 1 << 16


def _version_change(row):
    before, after = row["version_before"], row["version_after"]
    if before == after or after is None:
        return format_version(before)
    return "%s \u2192 %s" % (format_version(before), format_version(after))


def _timeout_texts(row):
    """The timeout as a table shows it: (from, to); from is None when the timeout stays as it was."""
    before, after = row["timeout_seconds_before"], row["timeout_seconds_after"]
    return None if before == after else format_timeout(before), format_timeout(after)


def _observed_texts(row):
    """Executions, p99, max, reached timeout, verdict, its label and the recommendation of a row's observed times."""
    stats = row.get("stats") or {}
    verdict = row.get("verdict")
    return (format_executions(stats), format_p99(stats), format_ms(stats.get("max_ms")),
            format_count(stats.get("reached_timeout")), verdict, verdict and verdict_label(verdict),
            format_recommended(row.get("recommended_timeout_seconds")))


# The rows of the tables that can hold every action of an org, as tuples of the texts their cells show, in lists of
# _ROWS_AT_ONCE: a template unpacks a tuple in its loop, where reading each key of a row would cost a call per cell,
# and writes a list of rows at once (see table_all.html).
_ROWS_AT_ONCE = 500
_NO_OBSERVED_TEXTS = (None,) * 7


def _in_lists(rows):
    rows = iter(rows)
    while True:
        some = list(itertools.islice(rows, _ROWS_AT_ONCE))
        if not some:
            return
        yield some


def _change_rows(rows, with_stats, functions):
    for row in rows:
        status = row["status"]
        before, after = _timeout_texts(row)
        yield ((row["name"], row["id"], row["category"], before, after,
                format_function_change(row) if functions else None, _version_change(row), status, status_label(status))
               + (_observed_texts(row) if with_stats else _NO_OBSERVED_TEXTS))


def _observed_table_rows(rows):
    for row in rows:
        yield ((row["name"], row["id"], format_timeout(row["timeout_seconds_before"])) + _observed_texts(row)
               + (row.get("recommendation") or "",))


def _all_rows(rows, with_stats):
    for row in rows:
        status, verdict = row["status"], row.get("verdict")
        before, after = _timeout_texts(row)
        yield (row["name"], row["id"], row["category"], row["kind"] + (" (secure)" if row["secure"] else ""), before,
               after, _version_change(row), status, status_label(status), verdict, verdict and verdict_label(verdict),
               format_recommended(row.get("recommended_timeout_seconds")) if with_stats else None)


_FILTERS = {
    "attention_detail": attention_detail,
    "draft_publishing": draft_publishing,
    "draft_status_label": draft_status_label,
    "outcome_text": verify_text,
    "outcome_word": lambda outcome: verify_outcome(outcome).replace(" ", "_"),
    "status_label": status_label,
    "timeout": format_timeout,
    "urlquote": quote,
    "version": format_version,
}


def _slug(text, index):
    return "org-%d-%s" % (index, re.sub(r"[^a-z0-9]+", "-", str(text).lower()).strip("-") or "unnamed")


def _when(generated_at):
    return str(generated_at).replace("T", " ").replace("Z", " UTC")


# ---------------------------------------------------------------- tiles

def _tile(value, label, css):
    return dict(value=value, label=label, css=css, text=None)


def _text_tile(text, label, css):
    return dict(value=None, label=label, css=css, text=text)


def _tests_tile(verify):
    """Tests passed after the change, "n of m": green when all passed, red otherwise."""
    if not verify["tested_after"]:
        return _text_tile(passed_text(0, 0), "Tests after the change", "")
    return _text_tile(passed_text(verify["passed_after"], verify["tested_after"]), "Tests passed after the change",
                      "good" if verify["passed_after"] == verify["tested_after"] else "bad")


def _not_attempted_tile(by_status):
    """Updates a run that wrote planned and never sent: neither changed nor failed, so a tile of their own."""
    count = by_status.get(NOT_ATTEMPTED, 0)
    return [_tile(count, "Not attempted", "bad")] if count else []


def _tail_tiles(summary):
    """The tiles after the counts of a run or an org: drifted, failed, not attempted, tests, drafts."""
    by_status = summary["by_status"]
    tiles = [_tile(by_status.get("drifted", 0), "Drifted", "drift"), _tile(by_status.get("failed", 0), "Failed", "bad")]
    tiles += _not_attempted_tile(by_status)
    if summary.get("verify"):
        tiles.append(_tests_tile(summary["verify"]))
    if summary.get("pending_drafts"):
        tiles.append(_tile(summary["pending_drafts"], "Pending drafts", "drift" if summary["drafts_other_timeout"] else ""))
    return tiles


def _org_tiles(report):
    summary = report["summary"]
    low_name, low_count = low_label(report)
    tiles = [_tile(summary["actions"], "Actions seen", ""),
             _tile(low_count, low_name, "change" if report["mode"] == ROLLBACK else "risk")]
    if report["mode"] != ROLLBACK:
        tiles.append(_tile(summary["changed"], changes_label(report), "change"))
    return tiles + _tail_tiles(summary)


# ---------------------------------------------------------------- an org's section

def _observed_note(rows, charted):
    if len(rows) <= OBSERVED_CHART_MAX_ROWS:
        return "All %d actions with observed times shown, riskiest first." % len(rows)
    return ("Showing the %d riskiest of %d actions with observed times; the %d more are in the table "
            "\u201cObserved execution times\u201d below, in the same order." % (len(charted), len(rows), len(rows) - len(charted)))


def _org_view(report, index, org_page=None):
    """What org.html shows of one org; ``org_page``: the org's own page beside a run page, which the run page links
    to instead of repeating the tables of every action."""
    anchor = _slug(report["org"], index)
    name = report["org"] or "(unnamed org)"
    label = changes_label(report)
    with_stats = bool(report.get("use_stats"))
    if report["mode"] == ROLLBACK:
        facts = ["mode %s" % mode_label(report), target_label(report), "unset runs with the 60 s default"]
    else:
        facts = ["mode %s" % mode_label(report), "threshold %d s" % report["threshold"],
                 "target %s" % target_label(report), "unset runs with the 60 s default"]
    if with_stats:
        facts.append(stats_label(report))
    changes = changing_rows(report)
    charted = sorted(changes, key=change_order)[:CHART_MAX_ROWS]
    view = dict(report=report, anchor=anchor, name=name, label=label, with_stats=with_stats, facts=facts,
                rate_limit=rate_limit_label(report.get("rate_limit")), error=org_error(report), kpis=_org_tiles(report),
                distribution=distribution_chart(report["summary"]["distribution"], report["threshold"],
                                                anchor + "-dist", "Timeout distribution of %s, before and after" % name),
                by_status=status_chart(report["summary"]["by_status"], anchor + "-status", "Actions of %s by status" % name),
                changes=changes, none_changed=none_changed_label(report), with_functions=with_functions(report),
                attention=attention_rows(report), drafts=draft_rows(report), tested=verify_rows(report), page=org_page,
                flows_touched=flows_touched_label(report), flow_rows=flow_rows(report),
                observed=[], change_rows=_in_lists(_change_rows(changes, with_stats, with_functions(report))),
                all_rows=_in_lists(_all_rows(report["rows"], with_stats)), since=since_view(report))
    if changes:
        view["changes_chart"] = changes_chart(charted, report["threshold"],
                                              None if report["mode"] == ROLLBACK else report["target"], anchor + "-chg",
                                              "%s in %s, from and to" % (label, name))
        view["changes_note"] = ("All %d shown." % len(changes) if len(changes) <= CHART_MAX_ROWS else
                                "Showing the %d lowest of %d; every one is in the table below." % (len(charted), len(changes)))
    if with_stats:
        observed = view["observed"] = observed_rows(report)
        view["observed_rows"] = _in_lists(_observed_table_rows(observed))
        view["by_verdict"] = verdict_chart(report["summary"].get("by_verdict") or {}, anchor + "-verdicts",
                                           "Custom actions of %s by verdict" % name)
        if observed:
            charted = observed[:OBSERVED_CHART_MAX_ROWS]
            view["observed_chart"] = observed_chart(charted, anchor + "-obs", "Observed times of %s, riskiest first" % name)
            view["observed_note"] = _observed_note(observed, charted)
        missing = without_verdict(report)
        view["without_verdict"] = missing and ("%d custom action%s got no verdict (no observed times were read for %s)."
                                               % (missing, "" if missing == 1 else "s", "it" if missing == 1 else "them"))
    return view


# ---------------------------------------------------------------- the run's totals

def _low_handled(org):
    """Of the org's low actions, how many this run changed (or would)."""
    low = [row for row in org["rows"] if is_low(row, org["threshold"])]
    return len([row for row in low if row["status"] in (UPDATED, WOULD_UPDATE)]), len(low)


def _totals_row(org, index, with_low, with_verdicts, with_verify):
    summary = org["summary"]
    row = dict(anchor=_slug(org["org"], index), name=org["org"] or "(unnamed org)", failed=bool(org_error(org)),
               summary=summary, verdicts=[])
    if with_low:
        handled, low = _low_handled(org)
        row["share"], row["handled_width"] = "%d of %d" % (handled, low), progress_bar(handled, low)
    if with_verdicts:
        verdicts = summary.get("by_verdict")
        row["verdicts"] = ["-" if verdicts is None else verdicts.get(verdict, 0) for verdict in VERDICTS_BY_RISK]
    if with_verify:
        verify = summary.get("verify")
        row["tests_passed"] = "-" if verify is None else passed_text(verify["passed_after"], verify["tested_after"])
    return row


def _totals_view(report):
    totals = report["totals"]
    by_verdict = totals.get("by_verdict")
    with_low, with_restored = totals_columns(report)
    label = changes_label(report)
    tiles = [_tile(totals["orgs"], "Orgs", ""), _tile(totals["actions"], "Actions seen", "")]
    if with_low:
        tiles.append(_tile(totals["low"], "Low", "risk"))
    tiles.append(_tile(totals["changed"], label, "change"))
    if with_restored:
        tiles.append(_tile(totals["restored"], "Restored", "change"))
    rate_limit = totals.get("rate_limit")
    view = dict(orgs=totals["orgs"], mode=mode_label(report), label=label, kpis=tiles + _tail_tiles(totals),
                rate_limit=rate_limit and rate_limit_label(rate_limit),
                paced_lower=rate_limit and rate_limit.get("orgs_paced_lower"),
                verdict_kpis=None if by_verdict is None else [
                    _tile(by_verdict.get(verdict, 0), verdict_title(verdict), "vt-%s" % verdict) for verdict in VERDICTS_BY_RISK],
                verdict_titles=[] if by_verdict is None else [verdict_title(verdict) for verdict in VERDICTS_BY_RISK],
                with_low=with_low, with_restored=with_restored, with_drafts=bool(totals.get("pending_drafts")),
                with_verify=bool(totals.get("verify")))
    view["rows"] = [_totals_row(org, index, with_low, by_verdict is not None, view["with_verify"])
                    for index, org in enumerate(report["orgs"])]
    return view


# ---------------------------------------------------------------- the page

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
        header = [("Mode", mode_label(report)), ("Run", report["run_id"]), ("Generated", _when(report["generated_at"]))]
        context = dict(title=title, header=header, totals=None, orgs=[_org_view(report, 0)])
    else:
        title = "Data action timeouts: run %s" % report["run_id"]
        header = [("Mode", mode_label(report) if report["mode"] else "-"), ("Orgs", "%d" % report["totals"]["orgs"]),
                  ("Generated", _when(report["generated_at"]))]
        # One org's view at a time, as the page reaches it.
        orgs = (_org_view(org, index, "%s.html" % org["org"] if org_pages and org.get("org") else None)
                for index, org in enumerate(report["orgs"]))
        context = dict(title=title, header=header, totals=_totals_view(report), orgs=orgs,
                       nav=[(_slug(org["org"], index), org["org"] or "(unnamed org)") for index, org in enumerate(report["orgs"])])
    return _joined(report_template("page.html", _FILTERS).generate(**context))


def _joined(pieces):
    batch, size = [], 0
    for piece in pieces:
        batch.append(piece)
        size += len(piece)
        if size >= _CHARS_PER_WRITE:
            yield "".join(batch)
            batch, size = [], 0
    if batch:
        yield "".join(batch)

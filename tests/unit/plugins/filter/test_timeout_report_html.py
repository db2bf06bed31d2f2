# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesyscloud.cx contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The self-contained HTML page: what it shows, what it escapes, what it never loads."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import re
from xml.etree import ElementTree

from html.parser import HTMLParser

import pytest

from ansible.errors import AnsibleFilterError

from ansible_collections.genesyscloud.cx.plugins.filter.timeout_report import timeout_report, timeout_run_report
from ansible_collections.genesyscloud.cx.plugins.filter.timeout_report_html import (
    CHART_MAX_ROWS,
    FilterModule,
    timeout_report_html,
)

from tests.unit.plugins.filter.conftest import WHEN, XSS, action, result

SVG = "{http://www.w3.org/2000/svg}"


class _Page(HTMLParser):
    """Visible text, tags seen, and links of a page."""

    def __init__(self, page):
        HTMLParser.__init__(self, convert_charrefs=True)
        self.tags, self.links, self._parts, self._hidden = [], [], [], 0
        self.feed(page)
        self.text = " ".join(" ".join(self._parts).split())

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.links.extend(value for name, value in attrs if name in ("href", "src", "xlink:href"))
        if tag in ("style", "title", "desc", "head"):
            self._hidden += 1

    def handle_endtag(self, tag):
        if tag in ("style", "title", "desc", "head"):
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden:
            self._parts.append(data)


def _svgs(page):
    """Every inline SVG, parsed as XML: a chart that is not well-formed fails here."""
    return [ElementTree.fromstring(svg) for svg in re.findall(r"<svg\b.*?</svg>", page, re.S)]


def _many_changes(count):
    actions = [action("custom_-_%04d" % i, "Action %04d" % i, 1 + i % 3, version=i % 5 + 1) for i in range(count)]
    results = [result(a["id"], a["name"], "updated", a["timeout_seconds"], 10, a["version"], a["version"] + 1)
               for a in actions]
    return timeout_report(actions, results, org="big", mode="remediate", generated_at=WHEN, run_id="r")


def test_filter_name():
    assert list(FilterModule().filters()) == ["timeout_report_html"]


def test_org_page_shows_the_headline_numbers(data_actions, real_results):
    page = _Page(timeout_report_html(timeout_report(data_actions, real_results, org="prod", mode="remediate",
                                                    generated_at=WHEN, run_id="r1")))
    assert "7 Actions seen 2 At risk (effective timeout \u2264 3 s) 1 Changed 1 Drifted 1 Failed" in page.text
    assert "Changed (1)" in page.text and "Needs attention (2)" in page.text
    assert "All actions seen (7)" in page.text
    assert "1 s \u2192 10 s" in page.text and "2 \u2192 3" in page.text
    assert "HTTP 500, correlation id 1234" in page.text
    assert "2026-03-15 09:15:00 UTC" in page.text


def test_page_is_self_contained_and_has_no_script(data_actions, real_results):
    html = timeout_report_html(timeout_report(data_actions, real_results, mode="remediate"))
    page = _Page(html)
    assert html.startswith("<!DOCTYPE html>")
    assert "script" not in page.tags and "link" not in page.tags and "img" not in page.tags
    assert all(link.startswith("#") for link in page.links), page.links
    assert "@import" not in html and "url(" not in html and "@font-face" not in html


def test_names_from_the_api_are_escaped_everywhere():
    actions = [action("custom_-_x", XSS, 2), action("custom_-_y", "ok", 2, category='"><b>cat</b>')]
    report = timeout_report(actions, org="<i>org</i>", mode="audit")
    html = timeout_report_html(report)
    page = _Page(html)
    assert page.tags.count("script") == 0 and "img" not in page.tags and "b" not in page.tags
    assert "i" not in page.tags
    assert XSS in page.text and '"><b>cat</b>' in page.text and "Org <i>org</i>" in page.text
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    _svgs(html)  # the name also sits in SVG <title>s and labels, which must stay well-formed XML


def test_distribution_chart_has_labelled_bars_for_before_and_after(data_actions):
    html = timeout_report_html(timeout_report(data_actions, org="prod", generated_at=WHEN))
    charts = _svgs(html)
    distribution = charts[0]
    assert distribution.get("role") == "img"
    assert distribution.find(SVG + "title").text == "Timeout distribution of prod, before and after"
    bars = dict((rect.find(SVG + "title").text, rect) for rect in distribution.iter(SVG + "rect")
                if rect.find(SVG + "title") is not None)
    assert "1-3 s, before: 2 actions" in bars and "1-3 s, after: 0 actions" in bars
    assert "6-10 s, after: 2 actions" in bars and "unset s, before: 1 actions" in bars
    # bar heights follow the counts
    assert float(bars["6-10 s, after: 2 actions"].get("height")) == \
        pytest.approx(2 * float(bars["unset s, before: 1 actions"].get("height")))
    labels = [text.text for text in distribution.iter(SVG + "text")]
    for label in ("before", "after", "unset (60 s)", "1\u20133 s", "31\u201360 s", "timeout range", "actions"):
        assert label in labels


def test_from_to_chart_shows_each_change_with_threshold_and_target(data_actions):
    html = timeout_report_html(timeout_report(data_actions, org="prod", threshold=3, target=12))
    chart = _svgs(html)[2]
    titles = [g.find(SVG + "title").text for g in chart.iter(SVG + "g")]
    assert titles == ["Get order (custom_-_a): 1 s \u2192 12 s", "Lookup account (custom_-_b): 3 s \u2192 12 s"]
    labels = [text.text for text in chart.iter(SVG + "text")]
    assert "threshold 3 s" in labels and "target 12 s" in labels
    assert "All 2 shown." in _Page(html).text


def test_from_to_chart_draws_an_unset_timeout_at_60_s(data_actions):
    # An exact change (an approved plan, a rollback) may set an unset action; it starts at the 60 s mark.
    results = [result("custom_-_c", "Create case", "updated", None, 12, 7, 8),
               result("custom_-_d", "Search invoices", "updated", 60, 12, 1, 2)]
    chart = _svgs(timeout_report_html(timeout_report(data_actions, results, mode="remediate")))[2]
    groups = dict((g.find(SVG + "title").text.split(" (")[0], g) for g in chart.iter(SVG + "g"))
    assert groups["Create case"].find(SVG + "title").text == "Create case (custom_-_c): unset (60 s) \u2192 12 s"
    start = dict((name, float(g.find(SVG + "line").get("x1"))) for name, g in groups.items())
    assert start["Create case"] == pytest.approx(start["Search invoices"])


def test_a_large_org_caps_the_chart_and_keeps_the_full_table():
    html = timeout_report_html(_many_changes(300))
    page = _Page(html)
    chart = _svgs(html)[2]
    assert len(list(chart.iter(SVG + "g"))) == CHART_MAX_ROWS
    assert "Showing the %d lowest of 300; every one is in the table below." % CHART_MAX_ROWS in page.text
    assert "Changed (300)" in page.text
    changes_table = html.split("<h3>Changed (300)</h3>", 1)[1].split("</table>", 1)[0]
    assert changes_table.count("<tr>") == 301  # header and every change
    # the chart leads with the lowest timeouts before, the riskiest
    assert all(": 1 s \u2192 10 s" in g.find(SVG + "title").text for g in chart.iter(SVG + "g"))


def test_empty_org_renders_without_charts_breaking():
    html = timeout_report_html(timeout_report([], org="empty", generated_at=WHEN))
    page = _Page(html)
    assert "0 Actions seen" in page.text and "No timeout would change in this org." in page.text
    assert len(_svgs(html)) == 2  # distribution and status bar, both drawn from zeros


def test_run_page_starts_with_totals_and_links_each_org(data_actions, real_results, check_results):
    run = timeout_run_report([
        timeout_report(data_actions, real_results, org="prod", mode="remediate", run_id="run-2", generated_at=WHEN),
        timeout_report(data_actions, [result("custom_-_a", "Get order", "updated", 1, 10, 2, 3)], org="dev team",
                       mode="remediate", run_id="run-2", generated_at=WHEN),
    ], generated_at=WHEN)
    html = timeout_report_html(run)
    page = _Page(html)
    assert "Data action timeouts: run run-2" in page.text
    assert "2 Orgs 14 Actions seen 4 At risk 2 Changed 1 Drifted 1 Failed" in page.text
    assert page.text.index("Run totals") < page.text.index("Org dev team") < page.text.index("Org prod")
    anchors = set(re.findall(r'<section class="block org" id="([^"]+)"', html))
    assert anchors == {"org-0-dev-team", "org-1-prod"}
    assert set(link[1:] for link in page.links) == anchors
    assert "1 of 2" in page.text  # share of dev's at-risk actions this run handled


def test_check_mode_pages_say_would_change(data_actions, check_results):
    page = _Page(timeout_report_html(timeout_report(data_actions, check_results, mode="remediate", check_mode=True)))
    assert "3 Would change" in page.text and "remediate (check mode)" in page.text
    assert "would update" in page.text


def test_html_is_deterministic(data_actions, real_results):
    first = timeout_report_html(timeout_report(data_actions, real_results, mode="remediate", generated_at=WHEN))
    again = timeout_report_html(timeout_report(list(reversed(data_actions)), real_results, mode="remediate",
                                               generated_at=WHEN))
    assert first == again


def test_html_refuses_a_report_of_another_schema(data_actions):
    report = timeout_report(data_actions)
    report["schema_version"] = 3
    with pytest.raises(AnsibleFilterError, match="schema_version 3"):
        timeout_report_html(report)


def test_an_org_whose_run_failed_says_so(data_actions):
    failed = timeout_report(data_actions, org="prod", mode="remediate", generated_at=WHEN)
    failed["error"] = "HTTP 403 <missing.any.permissions> integrations:action:edit"
    run = timeout_run_report([failed, timeout_report([], org="dev", mode="remediate")], generated_at=WHEN)
    assert run["totals"]["orgs_with_errors"] == 1
    page = _Page(timeout_report_html(run))
    assert "The run failed for this org: HTTP 403 <missing.any.permissions> integrations:action:edit" in page.text
    assert "prod run failed" in page.text

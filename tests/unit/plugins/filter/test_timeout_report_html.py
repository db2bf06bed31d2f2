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
from ansible_collections.genesyscloud.cx.plugins.filter.timeout_report_html import FilterModule, timeout_report_html
from ansible_collections.genesyscloud.cx.plugins.plugin_utils._report_html import (
    CHART_MAX_ROWS,
    OBSERVED_CHART_MAX_ROWS,
)

from tests.unit.plugins.filter.conftest import (
    STATS_OPTIONS,
    WHEN,
    XSS,
    action,
    action_test,
    module_result,
    result,
    schema_1,
    stats,
)

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


def _audit(audit_results, **kwargs):
    options = dict(org="prod", mode="audit", check_mode=True, run_id="r1", generated_at=WHEN, use_stats=True,
                   stats_options=STATS_OPTIONS)
    options.update(kwargs)
    return timeout_report(audit_results, **options)


def _chart(html, chart_id):
    """The SVG whose title id is chart_id-t, parsed."""
    for svg in _svgs(html):
        title = svg.find(SVG + "title")
        if title is not None and title.get("id") == chart_id + "-t":
            return svg
    raise AssertionError("no chart %s" % chart_id)


def _chart_rows(svg):
    return [g for g in svg.iter(SVG + "g") if (g.get("class") or "").startswith("row ")]


def _table(html, marker):
    """The rows of the table that follows marker (a heading or a class), header row included."""
    body = html.split(marker, 1)[1].split("</table>", 1)[0]
    return re.findall(r"<tr>.*?</tr>", body, re.S)


def test_filter_name():
    assert list(FilterModule().filters()) == ["timeout_report_html"]


def test_org_page_shows_the_headline_numbers(data_actions, real_results):
    page = _Page(timeout_report_html(timeout_report(data_actions, real_results, org="prod", mode="remediate",
                                                    generated_at=WHEN, run_id="r1")))
    assert "7 Actions seen 2 Low (effective timeout \u2264 3 s) 1 Changed 1 Drifted 1 Failed" in page.text
    assert "Changed (1)" in page.text and "Needs attention (2)" in page.text
    assert "All actions seen (7)" in page.text
    assert "1 s \u2192 10 s" in page.text and "2 \u2192 3" in page.text
    assert "HTTP 500, correlation id 1234" in page.text
    assert "2026-03-15 09:15:00 UTC" in page.text
    # Configured and effective together: an unset timeout says what it runs with.
    assert "unset (60 s)" in page.text


def test_page_is_self_contained_and_has_no_script(data_actions, real_results, audit_results):
    for report in (timeout_report(data_actions, real_results, mode="remediate"),
                   _audit(audit_results, verify_after=[action_test("custom_-_a", "A", True, 10)],
                          warnings=["w"])):
        html = timeout_report_html(report)
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


def test_observed_texts_tests_and_warnings_are_escaped_too(audit_results):
    audit_results[0].update(name=XSS, recommendation=XSS)
    report = _audit(audit_results, org=XSS, warnings=[XSS],
                    verify_after=[action_test("custom_-_a", XSS, False, 900, error={"message": XSS})])
    html = timeout_report_html(report)
    page = _Page(html)
    assert page.tags.count("script") == 0 and "img" not in page.tags
    assert page.text.count(XSS) >= 5  # org, warning, name in tables, recommendation, test error
    chart = _chart(html, "org-0-script-alert-x-script-img-src-x-onerror-alert-1-obs")
    assert _chart_rows(chart)[0].find(SVG + "title").text.startswith(XSS)


def test_distribution_chart_has_labelled_bars_for_before_and_after(data_actions):
    html = timeout_report_html(timeout_report(data_actions, org="prod", generated_at=WHEN))
    distribution = _chart(html, "org-0-prod-dist")
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
    chart = _chart(html, "org-0-prod-chg")
    titles = [g.find(SVG + "title").text for g in chart.iter(SVG + "g")]
    assert titles == ["Get order (custom_-_a): 1 s \u2192 12 s", "Lookup account (custom_-_b): 3 s \u2192 12 s"]
    labels = [text.text for text in chart.iter(SVG + "text")]
    assert "threshold 3 s" in labels and "target 12 s" in labels
    assert "All 2 shown." in _Page(html).text


def test_from_to_chart_has_no_target_line_when_each_action_goes_to_its_recommendation(audit_results):
    for row in audit_results[:2]:
        row["timeout_seconds_after"] = row["recommended_timeout_seconds"]
    html = timeout_report_html(_audit(audit_results, target="recommended"))
    labels = [text.text for text in _chart(html, "org-0-prod-chg").iter(SVG + "text")]
    assert "threshold 3 s" in labels and not [label for label in labels if label and label.startswith("target")]
    assert "target each action's recommendation" in _Page(html).text


def test_from_to_chart_draws_an_unset_timeout_at_60_s(data_actions):
    # An exact change (an approved plan, a rollback) may set an unset action; it starts at the 60 s mark.
    results = [result("custom_-_c", "Create case", "updated", None, 12, 7, 8),
               result("custom_-_d", "Search invoices", "updated", 60, 12, 1, 2)]
    chart = _chart(timeout_report_html(timeout_report(data_actions, results, mode="remediate")), "org-0-unnamed-chg")
    groups = dict((g.find(SVG + "title").text.split(" (")[0], g) for g in chart.iter(SVG + "g"))
    assert groups["Create case"].find(SVG + "title").text == "Create case (custom_-_c): unset (60 s) \u2192 12 s"
    start = dict((name, float(g.find(SVG + "line").get("x1"))) for name, g in groups.items())
    assert start["Create case"] == pytest.approx(start["Search invoices"])


def test_a_large_org_caps_the_change_chart_and_keeps_the_full_table():
    html = timeout_report_html(_many_changes(300))
    page = _Page(html)
    chart = _chart(html, "org-0-big-chg")
    assert len(list(chart.iter(SVG + "g"))) == CHART_MAX_ROWS
    assert "Showing the %d lowest of 300; every one is in the table below." % CHART_MAX_ROWS in page.text
    assert "Changed (300)" in page.text
    assert len(_table(html, "<h3>Changed (300)</h3>")) == 301  # header and every change
    # the chart leads with the lowest timeouts before, the riskiest
    assert all(": 1 s \u2192 10 s" in g.find(SVG + "title").text for g in chart.iter(SVG + "g"))


# ---------------------------------------------------------------- observed times

def test_the_observed_chart_draws_each_verdict_riskiest_first(audit_results):
    html = timeout_report_html(_audit(audit_results))
    chart = _chart(html, "org-0-prod-obs")
    rows = _chart_rows(chart)
    # custom actions with a verdict only: f has none, the static action is not custom
    assert [g.get("class") for g in rows] == ["row v-timing_out", "row v-at_risk", "row v-oversized", "row v-ok",
                                              "row v-no_data"]
    titles = [g.find(SVG + "title").text for g in rows]
    assert titles[0] == ("Get order (custom_-_a): timing out, timeout 1 s, 400 executions, p99 1 s, max 1 s, "
                         "40 reached the timeout, recommended 4 s")
    assert titles[2].startswith("Create case (custom_-_c): oversized, timeout unset (60 s)")
    labels = [t.text for t in chart.iter(SVG + "text")]
    for label in ("0.1", "1", "10", "60", "seconds (log scale)"):
        assert label in labels


def _x(element, attribute="x1"):
    return float(element.get(attribute))


def test_the_observed_chart_puts_p99_timeout_and_recommendation_on_one_log_axis(audit_results):
    chart = _chart(timeout_report_html(_audit(audit_results)), "org-0-prod-obs")
    gridline = dict((text.text, float(text.get("x"))) for text in chart.iter(SVG + "text")
                    if text.text in ("0.1", "0.2", "1", "2", "5", "10", "20", "60"))
    rows = dict((g.find(SVG + "title").text.split(" (")[0], g) for g in _chart_rows(chart))
    # Get order: p99 1000 ms -> the bar from 0.1 s ends at the 1 s gridline; its 1 s timeout tick is there too.
    p99_bar = rows["Get order"].find(SVG + "rect")
    assert _x(p99_bar, "x") == pytest.approx(gridline["0.1"], abs=0.1)
    assert _x(p99_bar, "x") + _x(p99_bar, "width") == pytest.approx(gridline["1"], abs=0.1)
    ticks = [line for line in rows["Get order"].iter(SVG + "line") if line.get("stroke-width") == "2.5"]
    assert _x(ticks[0]) == pytest.approx(gridline["1"], abs=0.1) and ticks[0].get("stroke-dasharray") is None
    # Search invoices: p99 5 s, slowest 7 s (a whisker beyond the bar), timeout 30 s, recommended 15 s.
    whisker = [line for line in rows["Search invoices"].iter(SVG + "line") if line.get("stroke-width") == "1.5"][0]
    assert _x(whisker) == pytest.approx(gridline["5"], abs=0.1) and _x(whisker, "x2") > gridline["5"]
    diamond = rows["Search invoices"].find(SVG + "path").get("d")
    between = float(re.match(r"M([0-9.]+) ", diamond).group(1))
    assert gridline["10"] < between < gridline["20"]
    # Create case is unset: its timeout is a dashed tick at 60 s.
    unset = [line for line in rows["Create case"].iter(SVG + "line") if line.get("stroke-width") == "2.5"][0]
    assert unset.get("stroke-dasharray") == "2 2" and _x(unset) == pytest.approx(gridline["60"], abs=0.1)
    # Validate card has too few executions: drawn, with no recommendation and its execution count.
    texts = "".join(rows["Validate card"].itertext())
    assert "no data" in texts and "5 executions" in texts and rows["Validate card"].find(SVG + "path") is None


def test_the_verdict_bar_counts_custom_actions(audit_results):
    html = timeout_report_html(_audit(audit_results))
    verdict_bar = _chart(html, "org-0-prod-verdicts")
    assert verdict_bar.find(SVG + "title").text == (
        "Custom actions of prod by verdict: 1 timing out, 1 at risk, 1 oversized, 1 ok, 1 no data")
    page = _Page(html)
    assert "1 timing out 1 at risk 1 oversized 1 ok 1 no data" in page.text
    assert "1 custom action got no verdict (no observed times were read for it)." in page.text


def test_tables_carry_the_observed_columns(audit_results):
    html = timeout_report_html(_audit(audit_results))
    changes = _table(html, "<h3>Would change (2)</h3>")
    header = re.sub(r"<[^>]+>", " ", changes[0]).split()
    assert " ".join(header) == ("Action Category Timeout Version Status Executions p99 Max Reached timeout Verdict "
                                "Recommended")
    first = _Page(changes[1]).text
    assert first == "Get order custom_-_a ERP 1 s \u2192 10 s 2 would update 400 1 s 1 s 40 timing out 4 s"
    observed = _table(html, '<table class="observed">')
    assert len(observed) == 6  # header and the 5 custom actions with a verdict, riskiest first
    assert [re.search(r'class="badge v-([a-z_]+)"', row).group(1) for row in observed[1:]] == \
        ["timing_out", "at_risk", "oversized", "ok", "no_data"]
    assert "the observed times call for 1 s, but the timeout is 60 s" in observed[3]
    every = _table(html, '<table class="all">')
    assert len(every) == 9 and "<th>Verdict</th>" in every[0]


def test_a_600_action_org_caps_the_observed_chart_and_lists_every_action(big_org):
    html = timeout_report_html(big_org)
    page = _Page(html)
    rows = _chart_rows(_chart(html, "org-0-big-obs"))
    assert len(rows) == OBSERVED_CHART_MAX_ROWS == 40
    verdicts = [g.get("class")[len("row v-"):] for g in rows]
    # 30 timing out lead, then the 10 actions most at risk
    assert verdicts == ["timing_out"] * 30 + ["at_risk"] * 10
    # within a verdict, the larger share cut off at the timeout comes first
    reached = [int(re.search(r"(\d+) reached", g.find(SVG + "title").text).group(1)) for g in rows[:30]]
    assert reached == sorted(reached, reverse=True)
    assert ("Showing the 40 riskiest of 600 actions with observed times; the 560 more are in the table "
            "\u201cObserved execution times\u201d below, in the same order.") in page.text
    assert "Observed execution times (600), riskiest first" in page.text
    observed = _table(html, '<table class="observed">')
    assert len(observed) == 601
    order = [re.search(r'class="badge v-([a-z_]+)"', row).group(1) for row in observed[1:]]
    assert order == ["timing_out"] * 30 + ["at_risk"] * 60 + ["oversized"] * 150 + ["ok"] * 240 + ["no_data"] * 120
    assert len(_table(html, '<table class="all">')) == 601
    assert "600 Actions seen" in page.text
    # the chart stays a readable size whatever the org
    assert len(html) < 2 * 1024 * 1024


@pytest.fixture
def big_org():
    """600 custom actions with observed times: 30 timing out, 60 at risk, 150 oversized, 240 ok, 120 without data."""
    results = []
    for index in range(600):
        action_id = "custom_-_%04d" % index
        if index < 30:
            row = ("would_update", 2, 10, stats(1000 + index, 2000, reached=index + 1), "timing_out", 7)
        elif index < 90:
            row = ("ok", 10, 10, stats(500, 5000 + 10 * index), "at_risk", 18)
        elif index < 240:
            row = ("ok", None, None, stats(800, 200 + index), "oversized", 1)
        elif index < 480:
            row = ("ok", 20, 20, stats(300, 4000), "ok", 12)
        else:
            row = ("ok", 30, 30, stats(3, 100), "no_data", None)
        status, before, after, observed, verdict, recommended = row
        results.append(module_result(action_id, "Action %04d" % index, status, before, after, 3,
                                     None if status == "would_update" else 3, observed=observed, verdict=verdict,
                                     recommended=recommended, recommendation="why %d" % index))
    return timeout_report(results, org="big", mode="audit", check_mode=True, generated_at=WHEN, use_stats=True,
                          stats_options=STATS_OPTIONS)


def test_without_stats_there_is_no_observed_figure(data_actions, real_results):
    html = timeout_report_html(timeout_report(data_actions, real_results, mode="remediate"))
    assert "Observed execution times" not in html and "verdict" not in _Page(html).text.lower()
    assert "<th>Verdict</th>" not in html


def test_an_org_without_any_observed_times_says_so(audit_results):
    for row in audit_results:
        row.update(stats=None, verdict=None, recommended_timeout_seconds=None, recommendation=None)
    page = _Page(timeout_report_html(_audit(audit_results, warnings=["analytics refused: integrations:action:view"])))
    assert "No observed execution times were read for this org." in page.text
    assert "Warning: analytics refused: integrations:action:view" in page.text
    assert "6 custom actions got no verdict" in page.text


# ---------------------------------------------------------------- tests before and after

def test_test_outcomes_before_and_after(audit_results):
    before = [action_test("custom_-_a", "Get order", False, 1004, timed_out=True,
                          error={"status": 504, "message": "The action timed out"}),
              action_test("custom_-_b", "Lookup account", True, 412)]
    after = [action_test("custom_-_a", "Get order", True, 1210),
             action_test("custom_-_b", "Lookup account", False, 2900, error={"message": "Bad <request>"})]
    html = timeout_report_html(_audit(audit_results, verify_before=before, verify_after=after))
    page = _Page(html)
    assert "1 of 2 Tests passed after the change" in page.text
    tests = _table(html, "<h3>Test invocations (2)</h3>")
    assert len(tests) == 3
    assert _Page(tests[1]).text == ("Get order custom_-_a 1 s \u2192 10 s timed out after 1 s HTTP 504: The action "
                                    "timed out passed in 1.2 s")
    assert _Page(tests[2]).text == ("Lookup account custom_-_b 3 s \u2192 10 s passed in 412 ms failed after 2.9 s "
                                    "Bad <request>")
    assert 'class="badge o-timed_out"' in tests[1] and 'class="badge o-failed"' in tests[2]
    # A test that fails after the change needs attention.
    attention = _table(html, "<h3>Needs attention (2)</h3>")
    assert "test after the change failed after 2.9 s" in _Page(attention[1] + attention[2]).text
    assert "Customer Secret" not in html and "078-05-1120" not in html


# ---------------------------------------------------------------- other pages

def test_empty_org_renders_without_charts_breaking():
    html = timeout_report_html(timeout_report([], org="empty", generated_at=WHEN))
    page = _Page(html)
    assert "0 Actions seen" in page.text and "No timeout would change in this org." in page.text
    assert len(_svgs(html)) == 2  # distribution and status bar, both drawn from zeros


def test_run_page_starts_with_totals_and_links_each_org(data_actions, real_results):
    run = timeout_run_report([
        timeout_report(data_actions, real_results, org="prod", mode="remediate", run_id="run-2", generated_at=WHEN),
        timeout_report(data_actions, [result("custom_-_a", "Get order", "updated", 1, 10, 2, 3)], org="dev team",
                       mode="remediate", run_id="run-2", generated_at=WHEN),
    ], generated_at=WHEN)
    html = timeout_report_html(run)
    page = _Page(html)
    assert "Data action timeouts: run run-2" in page.text
    assert "2 Orgs 14 Actions seen 4 Low 2 Changed 1 Drifted 1 Failed" in page.text
    assert page.text.index("Run totals") < page.text.index("Org dev team") < page.text.index("Org prod")
    anchors = set(re.findall(r'<section class="block org" id="([^"]+)"', html))
    assert anchors == {"org-0-dev-team", "org-1-prod"}
    assert set(link[1:] for link in page.links) == anchors
    assert "1 of 2" in page.text  # share of dev's low actions this run handled
    assert "Timing out" not in page.text  # no stats, no verdict columns


def test_a_run_page_beside_the_org_pages_links_to_them_for_every_action(audit_results):
    run = timeout_run_report([_audit(audit_results, org="eu"), _audit(audit_results, org="us & co")])
    alone = timeout_report_html(run)
    beside = timeout_report_html(run, org_pages=True)
    # Alone, every action's row is in the page; beside the org pages, each org's section links to its page.
    assert alone.count('<table class="all">') == 2 and alone.count('<table class="observed">') == 2
    assert '<table class="all">' not in beside and '<table class="observed">' not in beside
    assert 'href="eu.html"' in beside and 'href="us%20%26%20co.html"' in beside
    page = _Page(beside)
    rows = len(_audit(audit_results, org="eu")["rows"])
    assert page.text.count("All actions seen (%d) Every one, with its verdict and recommendation, in the org" % rows) == 2
    # What the run changed (or would) stays in the run page.
    assert beside.count("Would change (") == alone.count("Would change (") == 2


def test_run_page_shows_the_verdict_counts_with_stats(audit_results, data_actions):
    run = timeout_run_report([_audit(audit_results, org="eu", warnings=["slow analytics"]),
                              _audit(audit_results, org="us"),
                              timeout_report(data_actions, org="old", mode="audit", generated_at=WHEN)])
    html = timeout_report_html(run)
    page = _Page(html)
    assert "2 Timing out 2 At risk 2 Oversized 2 OK 2 No data" in page.text
    totals = _table(html, '<table class="totals">')
    headings = re.findall(r'<th class="n">([^<]+)</th>', totals[0])
    assert headings[-5:] == ["Timing out", "At risk", "Oversized", "OK", "No data"]
    cells = [re.sub(r"<[^>]+>", "", cell) for cell in re.findall(r'<td class="n">(.*?)</td>', totals[1])]
    assert cells[-5:] == ["1", "1", "1", "1", "1"]  # eu
    old = [re.sub(r"<[^>]+>", "", cell) for cell in re.findall(r'<td class="n">(.*?)</td>', totals[2])]
    assert old[-5:] == ["-"] * 5  # the org that read no observed times
    # Warnings stay with their org.
    eu = page.text.split("Org eu", 1)[1].split("Org old", 1)[0]
    assert "Warning: slow analytics" in eu and "Warning: slow analytics" not in page.text.split("Org us", 1)[1]


def test_a_rollback_page_shows_what_it_restored():
    results = [module_result("custom_-_a", "A", "updated", 10, 1, 3, 4, "timeout 10 s -> 1 s"),
               module_result("custom_-_b", "B", "not_requested", 2, 2, 1, 1, "not named by the rollback")]
    page = _Page(timeout_report_html(timeout_report(results, org="prod", mode="rollback")))
    assert "2 Actions seen 1 Restored 0 Drifted 0 Failed" in page.text
    assert "Rolled back (1)" in page.text and "not requested" in page.text
    run = _Page(timeout_report_html(timeout_run_report([timeout_report(results, org="prod", mode="rollback")])))
    assert "1 Orgs 2 Actions seen 1 Rolled back 0 Drifted 0 Failed" in run.text and "Low" not in run.text


def test_a_schema_1_report_still_renders(data_actions):
    old = schema_1(timeout_report(data_actions, org="prod", mode="audit", generated_at=WHEN))
    page = _Page(timeout_report_html(old))
    assert "7 Actions seen 2 Low (effective timeout \u2264 3 s) 2 Would change" in page.text
    assert "would update" in page.text and "at risk" not in page.text


def test_check_mode_pages_say_would_change(data_actions, check_results):
    page = _Page(timeout_report_html(timeout_report(data_actions, check_results, mode="remediate", check_mode=True)))
    assert "3 Would change" in page.text and "remediate (check mode)" in page.text
    assert "would update" in page.text


def test_html_is_deterministic(audit_results):
    first = timeout_report_html(_audit(audit_results))
    again = timeout_report_html(_audit(list(reversed(audit_results))))
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


def test_the_fast_autoescape_writes_the_page_markupsafe_would(audit_results, monkeypatch):
    """The HTML templates' autoescape is _report_templates._escape, set on each compiled template's globals (a
    Jinja2 detail): the page is the one Jinja2's own autoescape writes but for the spelling of two entities, and a
    Jinja2 that compiled templates otherwise would still escape every value, with markupsafe."""
    import jinja2

    from ansible_collections.genesyscloud.cx.plugins.plugin_utils import _report_templates

    audit_results[0].update(name=XSS, recommendation=XSS, category="a & 'b'")
    report = _audit(audit_results, org=XSS, warnings=[XSS])
    fast = timeout_report_html(report)
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in fast and "&#x27;b&#x27;" in fast

    # Jinja2's own autoescape: the templates compiled anew, without the hook and without the bytecode cache.
    monkeypatch.setattr(_report_templates, "_ENVIRONMENTS", {})
    monkeypatch.setattr(_report_templates, "_HtmlTemplate", jinja2.Template)
    monkeypatch.setattr(_report_templates, "_compiled_templates", lambda: None)
    plain = timeout_report_html(report)
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in plain
    assert plain.replace("&#34;", "&quot;").replace("&#39;", "&#x27;") == fast

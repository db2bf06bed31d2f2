# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesyscloud.cx contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Open the HTML reports in headless Chromium and check what a reader sees.

The inputs imitate data_action_timeout results (list_all) and data_action_test results; the expected
counts are worked out here from those inputs, not read back from the report. The verdicts come from
the collection's own assessment of generated execution times, so they are the ones a real run gives.
The screenshots are kept in tests/output/artifacts/<ansible-core version>/ for people (and CI) to look at.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json
import os
import random
import re

from ansible_collections.genesyscloud.cx.plugins.filter.timeout_report import timeout_report, timeout_run_report
from ansible_collections.genesyscloud.cx.plugins.filter.timeout_report_html import timeout_report_html
from ansible_collections.genesyscloud.cx.plugins.filter.timeout_report_markdown import timeout_report_markdown
from ansible_collections.genesyscloud.cx.plugins.module_utils.execution_stats import StatsOptions, assess

from tests.integration.chromium import artifacts_dir, png_stats, render_in_chromium

THRESHOLD, TARGET = 3, 10
XSS_NAME = '<script>document.title="pwned"</script> Lookup | order'
STATS_OPTIONS = {"days": 7, "headroom": 3.0, "min_executions": 30, "at_risk_share": 0.5}
VERDICTS = ["timing_out", "at_risk", "oversized", "ok", "no_data"]
CHART_ROWS = 40

_VERBS = ["Get", "Lookup", "Update", "Create", "Search", "Sync", "Validate", "Fetch"]
_NOUNS = ["customer", "account", "order status", "ticket", "invoice", "loyalty tier", "case history",
          "callback slot", "payment plan", "shipment", "contract", "entitlement"]
_SYSTEMS = [("CRM", "Salesforce"), ("ERP", "SAP"), ("Billing", "Zuora"), ("Support", "Zendesk"),
            ("Logistics", "Custom REST")]
_TIMEOUTS = [None, None, None, 1, 2, 3, 3, 4, 5, 6, 8, 10, 10, 15, 20, 25, 30, 45, 60]


def _name(rng, index, xss):
    category, system = rng.choice(_SYSTEMS)
    if xss and index == 0:
        return category, XSS_NAME
    return category, "%s %s (%s)" % (rng.choice(_VERBS), rng.choice(_NOUNS), system)


def _built_ins(expected):
    results = []
    for index, kind in enumerate(["static", "static", "custom_auth"]):
        action_id = "%s_-_%d" % ("static" if kind == "static" else "customAuth", index)
        results.append({"id": action_id, "name": "Built-in %d" % index, "category": "Genesys", "kind": kind,
                        "integration_id": None, "secure": False, "status": "not_applicable",
                        "timeout_seconds_before": None, "timeout_seconds_after": None, "version_before": 1,
                        "version_after": 1, "msg": "built-in static action: the public API cannot update it"})
        expected["actions"] += 1
    return results


def _remediation_results(seed, count, failed=0, drifted=0, xss=False):
    """data_action_timeout results of a remediation (list_all, no stats), plus the counts a reader should see."""
    rng = random.Random(seed)
    results = []
    expected = {"actions": 0, "low": 0, "changed": 0, "drifted": 0, "failed": 0}
    for index in range(count):
        category, name = _name(rng, index, xss)
        timeout = 2 if xss and index == 0 else rng.choice(_TIMEOUTS)
        version = rng.randint(1, 9)
        entry = {"id": "custom_-_%08x-%04d" % (seed, index), "name": name, "category": category, "kind": "custom",
                 "integration_id": "int-%d" % (index % 5), "secure": index % 7 == 0,
                 "timeout_seconds_before": timeout, "version_before": version, "msg": ""}
        expected["actions"] += 1
        if timeout is None or timeout > THRESHOLD:
            entry.update(status="ok", timeout_seconds_after=timeout, version_after=version,
                         msg="timeout above %d s" % THRESHOLD)
        elif failed:
            failed -= 1
            expected["failed"] += 1
            entry.update(status="failed", timeout_seconds_after=timeout, version_after=version,
                         msg="PATCH /api/v2/integrations/actions/%s: HTTP 500 (correlation id c-%d)" % (entry["id"], index))
        elif drifted:
            drifted -= 1
            expected["drifted"] += 1
            entry.update(status="drifted", timeout_seconds_after=timeout, version_after=version + 1,
                         msg="version %d changed to %d since the plan was approved" % (version, version + 1))
        else:
            expected["changed"] += 1
            entry.update(status="updated", timeout_seconds_after=TARGET, version_after=version + 1,
                         msg="timeout %d s -> %d s" % (timeout, TARGET))
        if timeout is not None and timeout <= THRESHOLD:
            expected["low"] += 1
        results.append(entry)
    return results + _built_ins(expected), expected


def _observed(rng, effective):
    """Generated execution times of one action: fast, moderate or slow backends, some quiet ones."""
    executions = rng.choice([0, 8, 45, 400, 2600, 15000])
    if not executions:
        return {"executions": 0, "mean_ms": None, "p95_ms": None, "p99_ms": None, "max_ms": None, "reached_timeout": 0}
    profile = rng.random()
    if profile < 0.72:
        p99 = rng.randint(60, 900)
    elif profile < 0.96:
        p99 = rng.randint(900, 6000)
    else:
        p99 = rng.randint(6000, 40000)
    p99 = min(p99, effective * 1000)
    longest = min(int(p99 * rng.uniform(1.0, 1.6)), effective * 1000)
    reached = rng.randint(1, max(1, executions // 25)) if longest >= effective * 1000 else 0
    return {"executions": executions, "mean_ms": p99 // 3, "p95_ms": int(p99 * 0.8), "p99_ms": p99,
            "max_ms": longest, "reached_timeout": reached}


def _audit_results(seed, count):
    """data_action_timeout results of a check-mode audit with list_all and stats, and the expected counts.

    The verdicts come from execution_stats.assess, as in the module; the statuses follow the role's audit rule
    (effective timeout at most THRESHOLD, raised to TARGET), as the module decides them.
    """
    rng = random.Random(seed)
    options = StatsOptions(STATS_OPTIONS["days"], STATS_OPTIONS["headroom"], STATS_OPTIONS["min_executions"],
                           STATS_OPTIONS["at_risk_share"])
    results = []
    expected = {"actions": 0, "low": 0, "changed": 0, "drifted": 0, "failed": 0}
    expected.update((verdict, 0) for verdict in VERDICTS)
    for index in range(count):
        category, name = _name(rng, index, index == 0)
        timeout = rng.choice(_TIMEOUTS)
        effective = 60 if timeout is None else timeout
        observed = _observed(rng, effective)
        judged = assess(effective, observed, options)
        version = rng.randint(1, 9)
        entry = {"id": "custom_-_%08x-%04d" % (seed, index), "name": name, "category": category, "kind": "custom",
                 "integration_id": "int-%d" % (index % 5), "secure": False, "timeout_seconds_before": timeout,
                 "version_before": version, "stats": observed}
        entry.update(judged)
        expected["actions"] += 1
        expected[judged["verdict"]] += 1
        if effective <= THRESHOLD:
            expected["low"] += 1
            expected["changed"] += 1
            entry.update(status="would_update", timeout_seconds_after=TARGET, version_after=None,
                         msg="timeout %d s -> %d s" % (timeout, TARGET))
        else:
            entry.update(status="ok", timeout_seconds_after=timeout, version_after=version,
                         msg="timeout above %d s" % THRESHOLD)
        results.append(entry)
    return results + _built_ins(expected), expected


def _run_report():
    orgs = [("Production EU", 11, 160, 1, 2, True), ("Staging", 23, 35, 0, 0, False),
            ("Contact Center US", 37, 240, 2, 1, False)]
    reports, expected = [], {}
    for org, seed, count, failed, drifted, xss in orgs:
        results, counts = _remediation_results(seed, count, failed, drifted, xss)
        reports.append(timeout_report(results, org=org, mode="remediate", threshold=THRESHOLD, target=TARGET,
                                      run_id="20260315T091500Z", api_base_url="https://api.mypurecloud.ie",
                                      use_stats=False))
        expected[org] = counts
    return timeout_run_report(reports, run_id="20260315T091500Z"), expected


def _keep(name, html, markdown):
    """Keep the page and its Markdown with the screenshot, so a failure can be reproduced by hand."""
    folder = artifacts_dir()
    with open(os.path.join(folder, name + ".html"), "w") as handle:
        handle.write(html)
    with open(os.path.join(folder, name + ".md"), "w") as handle:
        handle.write(markdown)
    return os.path.join(folder, name + ".png")


def test_html_report_renders_in_chromium_with_the_expected_counts(tmp_path):
    run, expected = _run_report()
    html_path = tmp_path / "report.html"
    html_path.write_text(timeout_report_html(run), encoding="utf-8")
    png_path = _keep("report-run", html_path.read_text(encoding="utf-8"), timeout_report_markdown(run))

    text = render_in_chromium(str(html_path), png_path)

    totals = dict((key, sum(counts[key] for counts in expected.values())) for key in expected["Staging"])
    assert "%d Orgs" % len(expected) in text
    assert "%d Actions seen" % totals["actions"] in text
    assert "%d Low" % totals["low"] in text
    assert "%d Changed" % totals["changed"] in text
    assert "%d Drifted" % totals["drifted"] in text
    assert "%d Failed" % totals["failed"] in text
    for org, counts in expected.items():
        # Each org's section starts with its heading and headline numbers, in this order.
        section = text.split("Org %s " % org, 1)[1]
        headline = "%d Actions seen %d Low (effective timeout \u2264 %d s) %d Changed %d Drifted %d Failed" % (
            counts["actions"], counts["low"], THRESHOLD, counts["changed"], counts["drifted"], counts["failed"])
        assert section.startswith("mode remediate"), section[:200]
        assert headline in section[:400], section[:400]
        assert "Changed (%d)" % counts["changed"] in section
        assert "All actions seen (%d)" % counts["actions"] in section
        # Without stats there is no observed-times chart.
        assert "Observed execution times" not in section.split("All actions seen", 1)[0]

    # A name chosen by a user is shown as text and never runs: the title Chromium reports is ours.
    assert XSS_NAME in text
    dom = open(png_path + ".dom.html").read()
    assert "<title>Data action timeouts: run 20260315T091500Z</title>" in dom
    assert "<script" not in dom.split("<body", 1)[1].replace("&lt;script", "")

    stats = png_stats(png_path)
    assert (stats["width"], stats["height"]) == (1280, 2400)
    assert stats["colours"] > 40, stats
    assert stats["non_white"] > 0.2, stats


def _tests_of(results):
    """data_action_test results before and after for the first few actions that would change."""
    changing = [r for r in results if r.get("status") == "would_update"][:6]
    before, after = [], []
    for index, entry in enumerate(changing):
        timeout_ms = entry["timeout_seconds_before"] * 1000
        before.append({"id": entry["id"], "name": entry["name"], "success": index % 2 == 1,
                       "duration_ms": timeout_ms + 4 if index % 2 == 0 else 420 + index, "timed_out": index % 2 == 0,
                       "error": {"status": 504, "message": "The action timed out after %d ms" % timeout_ms}
                       if index % 2 == 0 else None, "output": {"secret": "do not copy"}, "operations": []})
        after.append({"id": entry["id"], "name": entry["name"], "success": index != 5,
                      "duration_ms": 1800 + index, "timed_out": False,
                      "error": None if index != 5 else {"status": 400, "message": "<b>Bad</b> request | field"},
                      "output": {"secret": "do not copy"}, "operations": []})
    passed_after = len([t for t in after if t["success"]])
    return before, after, passed_after


def test_an_org_with_observed_times_of_hundreds_of_actions_reads_in_chromium(tmp_path):
    results, expected = _audit_results(53, 420)
    before, after, passed_after = _tests_of(results)
    report = timeout_report(results, org="Contact Center EU", mode="audit", check_mode=True, threshold=THRESHOLD,
                            target=TARGET, run_id="20260316T080000Z", api_base_url="https://api.mypurecloud.de",
                            use_stats=True, stats_options=STATS_OPTIONS, verify_before=before, verify_after=after,
                            warnings=["analytics answered for 7 days <but> capped the views at 20"])
    html = timeout_report_html(report)
    html_path = tmp_path / "org.html"
    html_path.write_text(html, encoding="utf-8")
    png_path = _keep("report-org-stats", html, timeout_report_markdown(report))

    text = render_in_chromium(str(html_path), png_path, window_size=(1280, 3000))
    dom = open(png_path + ".dom.html").read()

    with_verdict = sum(expected[verdict] for verdict in VERDICTS)
    assert with_verdict == 420 and all(expected[verdict] for verdict in VERDICTS), expected
    # The headline, the warning and the tests.
    assert "%d Actions seen %d Low (effective timeout \u2264 %d s) %d Would change" % (
        expected["actions"], expected["low"], THRESHOLD, expected["changed"]) in text
    assert "Warning: analytics answered for 7 days <but> capped the views at 20" in text
    assert "%d of %d Tests passed after the change" % (passed_after, len(after)) in text
    assert "Test invocations (%d)" % len(after) in text
    assert "timed out after 1 s" in text or "timed out after 2 s" in text or "timed out after 3 s" in text
    assert "HTTP 400: <b>Bad</b> request | field" in text and "do not copy" not in dom
    # The verdict bar's legend carries every verdict's count, riskiest first.
    legend = " ".join("%d %s" % (expected[verdict], verdict.replace("_", " ")) for verdict in VERDICTS)
    assert legend in text, legend
    # The chart draws the 40 riskiest; the table under it lists every action with observed times.
    charted = re.findall(r'<g class="row v-([a-z_]+)">', dom)
    riskiest = [verdict for verdict in VERDICTS for dummy in range(expected[verdict])][:CHART_ROWS]
    assert charted == riskiest and len(set(charted)) >= 3, charted
    assert ("Showing the %d riskiest of %d actions with observed times; the %d more are in the table"
            % (CHART_ROWS, with_verdict, with_verdict - CHART_ROWS)) in text
    assert "Observed execution times (%d), riskiest first" % with_verdict in text
    observed_table = dom.split('<table class="observed">', 1)[1].split("</table>", 1)[0]
    assert observed_table.count("<tr>") == with_verdict + 1
    assert "All actions seen (%d)" % expected["actions"] in text
    assert "unset (60 s)" in text
    assert XSS_NAME in text and "<title>Data action timeouts: Contact Center EU</title>" in dom

    stats = png_stats(png_path)
    assert (stats["width"], stats["height"]) == (1280, 3000)
    assert stats["colours"] > 60, stats
    assert stats["non_white"] > 0.2, stats


def test_the_report_page_loads_nothing_from_outside():
    run, _expected = _run_report()
    results, _counts = _audit_results(53, 120)
    org = timeout_report(results, org="stats", mode="audit", use_stats=True, stats_options=STATS_OPTIONS)
    for page in (timeout_report_html(run), timeout_report_html(org)):
        assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page)
        assert "@import" not in page and "url(" not in page
        assert "<script" not in page.replace("&lt;script", "")
    json.dumps(run)


LONG_NAMES = ["\uff37" * 40,  # fullwidth W: the widest glyphs there are
              "M" * 60, "WWW Lookup customer entitlement, payment plan and callback slot history (Salesforce)",
              "\u9867\u5ba2\u30a2\u30ab\u30a6\u30f3\u30c8\u691c\u7d22" * 4]
_MEASURE = ("<script>(function(){var out=[];document.querySelectorAll('svg').forEach(function(svg){"
            "var box=svg.getBoundingClientRect();svg.querySelectorAll('text[text-anchor=\"end\"]').forEach("
            "function(t){var b=t.getBoundingClientRect();out.push([t.textContent,b.left-box.left,b.right-box.left]);});"
            "});document.body.setAttribute('data-labels',JSON.stringify(out));})();</script>")


def test_long_names_are_cut_with_an_ellipsis_not_clipped_at_the_charts_left_edge(tmp_path):
    results, dummy = _audit_results(61, 12)
    rng = random.Random(5)
    for index, name in enumerate(LONG_NAMES):
        entry = results[index]
        entry.update(name=name, timeout_seconds_before=2, status="would_update", timeout_seconds_after=TARGET,
                     version_after=None, stats=_observed(rng, 2), msg="timeout 2 s -> %d s" % TARGET)
        entry.update(assess(2, entry["stats"], StatsOptions(7, 3.0, 1, 0.5)))
    report = timeout_report(results, org="Long names", mode="audit", check_mode=True, threshold=THRESHOLD,
                            target=TARGET, run_id="20260317T080000Z", use_stats=True, stats_options=STATS_OPTIONS)
    html = timeout_report_html(report)
    # The page runs no script of its own; this copy gets one that measures where each chart label lands.
    html_path = tmp_path / "measured.html"
    html_path.write_text(html.replace("</body>", _MEASURE + "</body>"), encoding="utf-8")
    render_in_chromium(str(html_path), str(tmp_path / "measured.png"), window_size=(1280, 3000))
    dom = open(str(tmp_path / "measured.png") + ".dom.html").read()
    labels = json.loads(re.search(r'data-labels="([^"]*)"', dom).group(1).replace("&quot;", '"'))
    long_labels = [label for label in labels if label[0].endswith("\u2026")]
    # Each long name appears, cut, in both charts, and its full text stays in the row's title.
    assert len(long_labels) == 2 * len(LONG_NAMES), labels
    for text, left, right in labels:
        assert left >= 0 and right > left, (text, left)
    for name in LONG_NAMES:
        assert "<title>%s (" % name in html

# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesyscloud.cx contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Open the run's HTML report in headless Chromium and check what a reader sees.

The inputs imitate data_action_info and data_action_timeout returns for three orgs;
the expected counts are worked out here from those inputs, not read back from the report.
The screenshot is kept in tests/output/artifacts/ for people (and CI) to look at.
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

from tests.integration.chromium import png_stats, render_in_chromium

ARTIFACTS = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "output", "artifacts")
THRESHOLD, TARGET = 3, 10
XSS_NAME = '<script>document.title="pwned"</script> Lookup | order'

_VERBS = ["Get", "Lookup", "Update", "Create", "Search", "Sync", "Validate", "Fetch"]
_NOUNS = ["customer", "account", "order status", "ticket", "invoice", "loyalty tier", "case history",
          "callback slot", "payment plan", "shipment", "contract", "entitlement"]
_SYSTEMS = [("CRM", "Salesforce"), ("ERP", "SAP"), ("Billing", "Zuora"), ("Support", "Zendesk"),
            ("Logistics", "Custom REST")]
_TIMEOUTS = [None, 1, 2, 3, 3, 4, 5, 6, 8, 10, 10, 15, 20, 25, 30, 45, 60]


def _org_inputs(seed, count, failed=0, drifted=0, xss=False):
    """data_actions and remediation results for one org, plus the counts a reader should see."""
    rng = random.Random(seed)
    actions, results = [], []
    expected = {"actions": 0, "at_risk": 0, "changed": 0, "drifted": 0, "failed": 0}
    for index in range(count):
        category, system = rng.choice(_SYSTEMS)
        name = "%s %s (%s)" % (rng.choice(_VERBS), rng.choice(_NOUNS), system)
        if xss and index == 0:
            name = XSS_NAME
        timeout = 2 if xss and index == 0 else rng.choice(_TIMEOUTS)
        version = rng.randint(1, 9)
        actions.append({"id": "custom_-_%08x-%04d" % (seed, index), "name": name, "category": category,
                        "integration_id": "int-%s" % system.lower().replace(" ", "-"), "secure": index % 7 == 0,
                        "version": version, "timeout_seconds": timeout, "kind": "custom"})
        expected["actions"] += 1
        if timeout is not None and timeout > THRESHOLD:
            continue
        expected["at_risk"] += 1
        result = {"id": actions[-1]["id"], "name": name, "timeout_seconds_before": timeout,
                  "version_before": version, "msg": ""}
        if failed:
            failed -= 1
            expected["failed"] += 1
            result.update(status="failed", timeout_seconds_after=timeout, version_after=version,
                          msg="PATCH /api/v2/integrations/actions/%s: HTTP 500 (correlation id c-%d)"
                          % (actions[-1]["id"], index))
        elif drifted:
            drifted -= 1
            expected["drifted"] += 1
            result.update(status="drifted", timeout_seconds_after=timeout, version_after=version + 1,
                          msg="version %d changed to %d since the plan was approved" % (version, version + 1))
        else:
            expected["changed"] += 1
            result.update(status="updated", timeout_seconds_after=TARGET, version_after=version + 1)
        results.append(result)
    for index, kind in enumerate(["static", "static", "custom_auth"]):
        actions.append({"id": "%s_-_%d" % ("static" if kind == "static" else "customAuth", index),
                        "name": "Built-in %d" % index, "category": "Genesys", "integration_id": None,
                        "secure": False, "version": 1, "timeout_seconds": None, "kind": kind})
        expected["actions"] += 1
    return actions, results, expected


def _run_report():
    orgs = [("Production EU", 11, 160, 1, 2, True), ("Staging", 23, 35, 0, 0, False),
            ("Contact Center US", 37, 240, 2, 1, False)]
    reports, expected = [], {}
    for org, seed, count, failed, drifted, xss in orgs:
        actions, results, counts = _org_inputs(seed, count, failed, drifted, xss)
        reports.append(timeout_report(actions, results, org=org, mode="remediate", threshold=THRESHOLD,
                                      target=TARGET, run_id="20260315T091500Z",
                                      api_base_url="https://api.mypurecloud.ie"))
        expected[org] = counts
    return timeout_run_report(reports, run_id="20260315T091500Z"), expected


def test_html_report_renders_in_chromium_with_the_expected_counts(tmp_path):
    run, expected = _run_report()
    html_path = tmp_path / "report.html"
    html_path.write_text(timeout_report_html(run), encoding="utf-8")
    if not os.path.isdir(ARTIFACTS):
        os.makedirs(ARTIFACTS)
    png_path = os.path.join(ARTIFACTS, "report-run.png")
    # Keep the page and its inputs with the screenshot, so a failure can be reproduced by hand.
    with open(os.path.join(ARTIFACTS, "report-run.html"), "w") as handle:
        handle.write(html_path.read_text(encoding="utf-8"))
    with open(os.path.join(ARTIFACTS, "report-run.md"), "w") as handle:
        handle.write(timeout_report_markdown(run))

    text = render_in_chromium(str(html_path), png_path)

    totals = dict((key, sum(counts[key] for counts in expected.values())) for key in expected["Staging"])
    assert "%d Orgs" % len(expected) in text
    assert "%d Actions seen" % totals["actions"] in text
    assert "%d At risk" % totals["at_risk"] in text
    assert "%d Changed" % totals["changed"] in text
    assert "%d Drifted" % totals["drifted"] in text
    assert "%d Failed" % totals["failed"] in text
    for org, counts in expected.items():
        # Each org's section starts with its heading and headline numbers, in this order.
        section = text.split("Org %s " % org, 1)[1]
        headline = "%d Actions seen %d At risk (\u2264 %d s or unset) %d Changed %d Drifted %d Failed" % (
            counts["actions"], counts["at_risk"], THRESHOLD, counts["changed"], counts["drifted"], counts["failed"])
        assert section.startswith("mode remediate"), section[:200]
        assert headline in section[:400], section[:400]
        assert "Changed (%d)" % counts["changed"] in section
        assert "All actions seen (%d)" % counts["actions"] in section

    # A name chosen by a user is shown as text and never runs: the title Chromium reports is ours.
    assert XSS_NAME in text
    dom = open(png_path + ".dom.html").read()
    assert "<title>Data action timeouts: run 20260315T091500Z</title>" in dom
    assert "<script" not in dom.split("<body", 1)[1].replace("&lt;script", "")

    stats = png_stats(png_path)
    assert (stats["width"], stats["height"]) == (1280, 2400)
    assert stats["colours"] > 40, stats
    assert stats["non_white"] > 0.2, stats


def test_the_report_page_loads_nothing_from_outside():
    run, _expected = _run_report()
    page = timeout_report_html(run)
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page)
    assert "@import" not in page and "url(" not in page
    assert "<script" not in page.replace("&lt;script", "")
    json.dumps(run)

# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesyscloud.cx contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The Markdown a person pastes into a change ticket."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import re

import pytest

from ansible.errors import AnsibleFilterError

from ansible_collections.genesyscloud.cx.plugins.filter.timeout_report import timeout_report, timeout_run_report
from ansible_collections.genesyscloud.cx.plugins.filter.timeout_report_markdown import (
    FilterModule,
    timeout_report_markdown,
)

from tests.unit.plugins.filter.conftest import WHEN, XSS, action, result


def _cells(line):
    """Split a table line on unescaped pipes, as a Markdown renderer does."""
    return [cell.strip() for cell in re.split(r"(?<!\\)\|", line.strip())[1:-1]]


def _section(markdown, heading):
    return markdown.split(heading, 1)[1].split("\n#", 1)[0]


def test_filter_name():
    assert list(FilterModule().filters()) == ["timeout_report_markdown"]


def test_audit_markdown_has_settings_summary_and_planned_changes(data_actions):
    report = timeout_report(data_actions, org="prod", mode="audit", run_id="r1", generated_at=WHEN,
                            api_base_url="https://api.mypurecloud.ie")
    text = timeout_report_markdown(report)
    assert text.startswith("# Data action timeouts: prod\n")
    assert "- Mode: audit" in text
    assert "- Threshold: 3 s (effective timeout; an unset one runs with the 60 s default); target: 10 s" in text
    assert "- Generated: 2026-03-15T09:15:00Z (run `r1`)" in text
    summary = _section(text, "## Summary")
    assert "| Actions seen | 7 |" in summary
    assert "| At or below threshold before the run | 2 |" in summary
    assert "| Would change | 2 |" in summary
    changes = _section(text, "## Would change (2)")
    assert "| Get order | ERP | `custom_-_a` | 1 s -> 10 s | 2 -> - | at risk |" in changes
    # An unset timeout runs with the 60 s default: not low, not planned.
    assert "custom_-_c" not in changes
    assert "Needs attention" not in text


def test_real_run_lists_changes_and_what_needs_attention(data_actions, real_results):
    text = timeout_report_markdown(timeout_report(data_actions, real_results, org="prod", mode="remediate"))
    assert "| Changed | 1 |" in text and "| Status: failed | 1 |" in text and "| Status: drifted | 1 |" in text
    changes = _section(text, "## Changed (1)")
    assert "| Get order | ERP | `custom_-_a` | 1 s -> 10 s | 2 -> 3 | updated |" in changes
    attention = _section(text, "## Needs attention (2)")
    assert "| Create case | `custom_-_c` | unset (60 s) | failed | PATCH /api/v2/integrations/actions/custom_-_c: " \
        "HTTP 500, correlation id 1234 |" in attention
    assert "| Lookup account | `custom_-_b` | 3 s | drifted | version is 5, the plan was approved at 4 |" in attention


def test_names_cannot_break_the_table_or_inject_markup():
    actions = [action("custom_-_x", XSS + "\nsecond line", 2), action("custom_-_y", "plain", 2)]
    text = timeout_report_markdown(timeout_report(actions, org="a|b"))
    # every < from the name is backslash-escaped, so no renderer turns it into a tag
    assert not re.search(r"(?<!\\)<", text)
    lines = [line for line in text.splitlines() if line.startswith("|")]
    header = [line for line in lines if line.startswith("| Action ")][0]
    rows = [line for line in lines if "custom_-_x" in line]
    assert rows and all(len(_cells(row)) == len(_cells(header)) for row in rows)
    assert "\\<script\\>alert(\"x\")\\</script\\> \\| \\<img src=x onerror=alert(1)\\> second line" in rows[0]
    assert text.startswith("# Data action timeouts: a\\|b\n")


def test_empty_org_says_nothing_would_change():
    text = timeout_report_markdown(timeout_report([], org="empty"))
    assert "| Actions seen | 0 |" in text
    assert "## Would change (0)\n\nNo action's timeout would change." in text


def test_run_markdown_has_totals_then_each_org(data_actions, real_results, check_results):
    run = timeout_run_report([
        timeout_report(data_actions, real_results, org="prod", mode="remediate", run_id="run-9", generated_at=WHEN),
        timeout_report(data_actions, [result("custom_-_a", "Get order", "updated", 1, 10, 2, 3)], org="dev",
                       mode="remediate", run_id="run-9", generated_at=WHEN),
    ], generated_at=WHEN)
    text = timeout_report_markdown(run)
    assert text.startswith("# Data action timeouts: run run-9\n")
    totals = _section(text, "## Totals")
    assert "| dev | 7 | 2 | 1 | 0 | 0 |" in totals
    assert "| prod | 7 | 2 | 1 | 1 | 1 |" in totals
    assert "| **Total** | **14** | **4** | **2** | **1** | **1** |" in totals
    assert text.index("## Org dev") < text.index("## Org prod")
    dev, prod = text.split("## Org dev")[1].split("## Org prod")
    assert "### Changed (1)" in dev and "### Changed (1)" in prod
    # dev's run left its other low action alone: it needs attention
    assert "### Needs attention (1)" in dev and "| not selected |" in dev


def test_check_mode_wording_is_would_change(data_actions, check_results):
    text = timeout_report_markdown(timeout_report(data_actions, check_results, mode="remediate", check_mode=True))
    assert "- Mode: remediate (check mode)" in text
    assert "## Would change (3)" in text
    assert "| Lookup account | CRM | `custom_-_b` | 3 s -> 10 s | 4 -> 5 | would update |" in text


def test_markdown_refuses_a_malformed_report():
    with pytest.raises(AnsibleFilterError, match="is missing key"):
        timeout_report_markdown({"schema_version": 1, "report_type": "org"})


def test_an_org_whose_run_failed_says_so(data_actions):
    failed = timeout_report(data_actions, org="prod", mode="remediate", generated_at=WHEN)
    failed["error"] = {"msg": "token request refused | rate limit exceeded"}
    text = timeout_report_markdown(timeout_run_report([failed]))
    assert "> **The run failed for this org:** token request refused \\| rate limit exceeded" in text
    assert "| prod (run failed) | 7 |" in text

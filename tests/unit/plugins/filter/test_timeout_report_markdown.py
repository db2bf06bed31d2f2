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
    assert "| At or below the threshold (3 s) before the run | 2 |" in summary
    assert "| Would change | 2 |" in summary
    changes = _section(text, "## Would change (2)")
    assert "| Get order | ERP | `custom_-_a` | 1 s -> 10 s | 2 -> - | would update |" in changes
    # Without stats: no observed columns, no verdicts.
    assert "| Action | Category | ID | Timeout | Version | Status |\n" in changes
    assert "Observed" not in text and "Stats:" not in text
    # An unset timeout runs with the 60 s default: not low, not planned.
    assert "custom_-_c" not in changes
    assert "Needs attention" not in text


def test_real_run_lists_changes_and_what_needs_attention(data_actions, real_results):
    text = timeout_report_markdown(timeout_report(data_actions, real_results, org="prod", mode="remediate"))
    assert "| Changed | 1 |" in text and "| Status: failed | 1 |" in text and "| Status: drifted | 1 |" in text
    changes = _section(text, "## Changed (1)")
    assert "| Get order | ERP | `custom_-_a` | 1 s -> 10 s | 2 -> 3 | updated |" in changes
    attention = _section(text, "## Needs attention (2)")
    assert "| Create case | `custom_-_c` | unset (60 s) | failed | PATCH /api/v2/integrations/actions/custom\\_-\\_c: " \
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
    assert "| Org | Actions seen | Low | Changed | Drifted | Failed |" in totals
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


# ---------------------------------------------------------------- observed times and tests

def _audit(audit_results, **kwargs):
    options = dict(org="prod", mode="audit", check_mode=True, run_id="r1", generated_at=WHEN, use_stats=True,
                   stats_options=STATS_OPTIONS)
    options.update(kwargs)
    return timeout_report(audit_results, **options)


def test_with_stats_the_change_table_has_the_observed_columns(audit_results):
    text = timeout_report_markdown(_audit(audit_results))
    assert "- Stats: observed over 7 days (headroom 3, at least 30 executions, at-risk share 0.5)" in text
    changes = _section(text, "## Would change (2)")
    assert ("| Action | Category | ID | Timeout | Version | Status | Executions | p99 | Max | Reached timeout | "
            "Verdict | Recommended |") in changes
    assert "|---|---|---|---|---|---|---:|---:|---:|---:|---|---:|" in changes
    assert "| Get order | ERP | `custom_-_a` | 1 s -> 10 s | 2 -> - | would update | 400 | 1 s | 1 s | 40 | " \
        "timing out | 4 s |" in changes
    assert "| Lookup account | CRM | `custom_-_b` | 3 s -> 10 s | 4 -> - | would update | 900 | 2 s | 2 s | 0 | " \
        "at risk | 6 s |" in changes


def test_the_verdict_table_counts_custom_actions(audit_results):
    verdicts = _section(timeout_report_markdown(_audit(audit_results)), "## Observed verdicts")
    lines = [line for line in verdicts.splitlines() if line.startswith("| ")]
    assert [_cells(line)[:2] for line in lines] == [
        ["Verdict", "Custom actions"], ["timing out", "1"], ["at risk", "1"], ["oversized", "1"], ["ok", "1"],
        ["no data", "1"]]
    assert "1 custom action got no verdict (no observed times were read for it)." in verdicts


def test_the_observed_table_lists_what_needs_a_look_riskiest_first(audit_results):
    observed = _section(timeout_report_markdown(_audit(audit_results)),
                        "## Observed: timing out, at risk or oversized (3)")
    rows = [_cells(line) for line in observed.splitlines() if line.startswith("| ") and "`" in line]
    assert [row[0] for row in rows] == ["Get order", "Lookup account", "Create case"]
    assert rows[2] == ["Create case", "`custom_-_c`", "unset (60 s)", "400", "300 ms", "300 ms", "0", "oversized",
                       "1 s"]


def test_a_large_org_caps_the_observed_table_but_never_the_changes():
    results = [module_result("custom_-_%03d" % i, "Action %03d" % i, "would_update", 2, 10, 1, None,
                             observed=stats(100, 2000, reached=i + 1), verdict="timing_out", recommended=7)
               for i in range(120)]
    text = timeout_report_markdown(timeout_report(results, mode="audit", use_stats=True))
    observed = _section(text, "## Observed: timing out, at risk or oversized (120)")
    assert len([line for line in observed.splitlines() if "`custom_-_" in line]) == 50
    # the largest share cut off at the timeout first
    assert observed.index("`custom_-_119`") < observed.index("`custom_-_118`")
    assert "The 50 riskiest are shown; 70 more are in the HTML and JSON reports." in observed
    assert len([line for line in _section(text, "## Would change (120)").splitlines() if "`custom_-_" in line]) == 120


def test_tests_before_and_after_and_warnings(audit_results):
    before = [action_test("custom_-_a", "Get order", False, 1004, timed_out=True,
                          error={"status": 504, "message": "timed | out <after> 1000 ms"})]
    after = [action_test("custom_-_a", "Get order", True, 1210), action_test("custom_-_b", "Lookup", False, 700)]
    text = timeout_report_markdown(_audit(audit_results, verify_before=before, verify_after=after,
                                          warnings=["analytics | refused <b>"]))
    assert "> **Warning:** analytics \\| refused \\<b\\>" in text
    summary = _section(text, "## Summary")
    assert "| Tested | 2 |" in summary and "| Passed after the change | 1 of 2 |" in summary
    assert "| Timed out before / after | 1 / 0 |" in summary
    tests = _section(text, "## Test invocations (2)")
    assert "| Action | ID | Timeout | Before the change | After the change | Error |" in tests
    assert "| Get order | `custom_-_a` | 1 s -> 10 s | timed out after 1 s | passed in 1.2 s | " \
        "before: HTTP 504: timed \\| out \\<after\\> 1000 ms |" in tests
    assert "| Lookup account | `custom_-_b` | 3 s -> 10 s | not tested | failed after 700 ms |  |" in tests
    attention = _section(text, "## Needs attention (2)")
    assert "| Lookup account | `custom_-_b` | 3 s | would update | test after the change failed after 700 ms |" in \
        attention
    assert "Customer Secret" not in text
    assert not re.search(r"(?<!\\)<", text)


def test_run_totals_gain_verdict_and_test_columns(audit_results, data_actions):
    run = timeout_run_report([_audit(audit_results, org="eu", verify_after=[action_test("custom_-_a", "A", True, 5)]),
                              timeout_report(data_actions, org="old", mode="audit", generated_at=WHEN)])
    totals = _section(timeout_report_markdown(run), "## Totals")
    assert ("| Org | Actions seen | Low | Would change | Drifted | Failed | Timing out | At risk | Oversized | OK | "
            "No data | Tests passed after |") in totals
    assert "| eu | 8 | 3 | 2 | 0 | 0 | 1 | 1 | 1 | 1 | 1 | 1 of 1 |" in totals
    assert "| old | 7 | 2 | 2 | 0 | 0 | - | - | - | - | - | - |" in totals
    assert "| **Total** | **15** | **5** | **4** | **0** | **0** | **1** | **1** | **1** | **1** | **1** | **1 of 1** |" \
        in totals


def test_a_rollback_says_what_it_restored():
    results = [module_result("custom_-_a", "A", "updated", 10, 1, 3, 4, "timeout 10 s -> 1 s")]
    text = timeout_report_markdown(timeout_report(results, org="prod", mode="rollback"))
    summary = _section(text, "## Summary")
    assert "| Restored | 1 |" in summary and "Rolled back" not in summary and "At or below" not in summary
    assert "## Rolled back (1)" in text
    rollback = timeout_report(results, org="prod", mode="rollback")
    # A rollback run has no low count, and what it rolled back is what it restored.
    assert "| Org | Actions seen | Rolled back | Drifted | Failed |\n" in timeout_report_markdown(timeout_run_report([rollback]))
    mixed = timeout_run_report([rollback, timeout_report(results[:0], org="dev", mode="remediate")])
    assert "| Org | Actions seen | Low | Changed | Drifted | Failed | Restored |\n" in timeout_report_markdown(mixed)


def test_a_schema_1_report_still_renders(data_actions):
    text = timeout_report_markdown(schema_1(timeout_report(data_actions, org="prod", mode="audit", generated_at=WHEN)))
    assert "| Get order | ERP | `custom_-_a` | 1 s -> 10 s | 2 -> - | would update |" in text
    assert "| At or below the threshold (3 s) before the run | 2 |" in text


# ---- every cell survives a real Markdown parser -------------------------------------------------------
# Texts that come from an org or a report (names, categories, ids, messages, errors): each would break a
# table row, or turn into markup, if a cell took it as it is.
NASTY = [
    "a | b", "pipe at the end |", "| pipe first", "back\\slash | pipe", "trailing backslash \\",
    "`code` and ``double``", "**bold** __also__ _em_ *em*", "~~struck~~", "[link](http://evil.example)",
    "![image](http://evil.example/x.png)", "<b>tag</b> &lt;entity&gt; &#124;", "two\nlines\r\nand\ttab",
    "# not a heading", "- not a list", "1. not a list", "> not a quote", "===", "\\| escaped already",
]


def _rendered_tables(text):
    """Every table of ``text`` as a Markdown renderer sees it: [[header cells], [row cells], ...] each."""
    import markdown_it  # dev dependency (requirements-dev.txt)
    parser = markdown_it.MarkdownIt("commonmark").enable("table")
    tables, rows, cells, in_cell = [], None, None, False
    for token in parser.parse(text):
        if token.type == "table_open":
            rows = []
        elif token.type == "table_close":
            tables.append(rows)
        elif token.type == "tr_open":
            cells = []
        elif token.type == "tr_close":
            rows.append(cells)
        elif token.type in ("th_open", "td_open"):
            in_cell = True
        elif token.type in ("th_close", "td_close"):
            in_cell = False
        elif token.type == "inline" and in_cell:
            cells.append(_plain(token.children or []))
    return tables


def _plain(children):
    """A cell's text as a reader sees it, with the markup it would have become named."""
    parts = []
    for child in children:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type == "softbreak":
            parts.append("\n")
        else:
            parts.append("\x00%s\x00" % child.type)  # em_open, link_open, html_inline, s_open, image, ...
    return "".join(parts)


def _flat(value):
    return " ".join(value.split())


def test_no_text_breaks_a_table_or_becomes_markup():
    items, results = [], []
    for n, nasty in enumerate(NASTY):
        action_id = "custom_-_%02d%s" % (n, nasty.replace("\n", " ") if "|" in nasty or "`" in nasty else "")
        items.append(action(action_id, nasty, 1, version=2, category=nasty))
        results.append(result(action_id, nasty, "failed" if n % 2 else "drifted", 1, 1, 2, 2, msg=nasty))
    report = timeout_report(items, results, org=NASTY[0], mode="remediate", run_id="r|1",
                            warnings=NASTY[:3])
    text = timeout_report_markdown(report)
    tables = _rendered_tables(text)
    assert tables, text
    by_id = dict((item["id"], item) for item in items)
    seen = set()
    for table in tables:
        header = table[0]
        for cells in table[1:]:
            assert len(cells) == len(header), (header, cells)
            for cell in cells:
                assert "\x00" not in cell, cell  # no text became markup
            row = dict(zip(header, cells))
            shown_ids = dict((i.replace("`", "'"), i) for i in by_id)  # a code span cannot hold a backtick
            if row.get("ID") in shown_ids:
                item = by_id[shown_ids[row["ID"]]]
                seen.add(item["id"])
                assert row["Action"] == _flat(item["name"])
                if "Category" in row:
                    assert row["Category"] == _flat(item["category"])
                if "Detail" in row:
                    assert _flat(item["name"]) in row["Detail"]
    assert seen == set(by_id)


def test_ids_with_pipes_or_backticks_stay_one_code_cell():
    odd = "custom_-_a|b`c"
    text = timeout_report_markdown(timeout_report([action(odd, "plain", 1)], org="prod", mode="audit"))
    rows = [cells for table in _rendered_tables(text) for cells in table[1:] if "plain" in cells]
    assert rows and all("custom_-_a|b'c" in cells for cells in rows)


def test_org_warning_and_error_lines_keep_their_text():
    report = timeout_report([], org="a|b", mode="remediate", warnings=["**not bold** <i>x</i>"])
    report["error"] = "token refused | [retry](http://x)"
    text = timeout_report_markdown(report)
    import markdown_it  # dev dependency (requirements-dev.txt)
    tokens = markdown_it.MarkdownIt("commonmark").enable("table").parse(text)
    inline = [_plain(t.children or []) for t in tokens if t.type == "inline"]
    assert "Data action timeouts: a|b" in inline
    assert any("**not bold** <i>x</i>" in line for line in inline)
    assert any("token refused | [retry](http://x)" in line for line in inline)


def test_failures_and_a_ladder_p99_show_in_the_observed_columns(audit_results):
    # A fast-failing backend (the module's stats since the errorType split) and a p99 bounded by the ladder.
    split = dict(stats(500, 1500, max_ms=2100), successes=60, failures=440, sized_executions=60,
                 failure_share=0.88, failures_by_error_type={"remote_endpoint": 440}, p99_source="ladder")
    audit_results[1] = module_result("custom_-_b", "Lookup account", "would_update", 3, 10, 4, None, "",
                                     observed=split, verdict="at_risk", recommended=5, recommendation="at risk")
    report = _audit(audit_results)
    row = [r for r in report["rows"] if r["id"] == "custom_-_b"][0]
    assert row["stats"] == split  # every key the module gave is kept
    changes = _section(timeout_report_markdown(report), "## Would change (2)")
    assert "| Lookup account | CRM | `custom_-_b` | 3 s -> 10 s | 4 -> - | would update | 500 (440 failed) | " \
        "at most 1.5 s | 2.1 s | 0 | at risk | 5 s |" in changes


@pytest.mark.parametrize("bad,message", [
    ({"failure_share": 1.5}, "failure_share must be a number from 0 to 1"),
    ({"p99_source": "guess"}, "p99_source must be one of server, ladder"),
    ({"failures_by_error_type": ["timeout"]}, "failures_by_error_type must be a dict"),
])
def test_bad_failure_stats_are_refused(audit_results, bad, message):
    audit_results[0]["stats"] = dict(audit_results[0]["stats"], **bad)
    with pytest.raises(AnsibleFilterError, match=message):
        _audit(audit_results)

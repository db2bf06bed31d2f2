# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesyscloud.cx contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Reports and plans with function actions' own timeouts and pending drafts: what the rows, the counts, the
Markdown and the HTML say, and what an approved plan or a rollback asks the module to do."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import pytest

from ansible.errors import AnsibleFilterError

from ansible_collections.genesyscloud.cx.plugins.filter.timeout_plan import timeout_plan, timeout_plan_actions
from ansible_collections.genesyscloud.cx.plugins.filter.timeout_report import timeout_report, timeout_run_report
from ansible_collections.genesyscloud.cx.plugins.filter.timeout_report_html import timeout_report_html
from ansible_collections.genesyscloud.cx.plugins.filter.timeout_report_markdown import timeout_report_markdown
from ansible_collections.genesyscloud.cx.plugins.plugin_utils._report_reading import read_org_report

from tests.unit.plugins.filter.conftest import WHEN, module_result


def _draft(status, before, after, version_before, version_after, other):
    return {"status": status, "version_before": version_before, "version_after": version_after,
            "timeout_seconds_before": before, "timeout_seconds_after": after, "holds_other_timeout": other}


def _results(check_mode):
    """A remediation (or its check): a function action raised with its function, a function action raised above
    its function, an action whose pending draft was left holding 3 s, one whose draft was updated, one untouched."""
    done = "would_update" if check_mode else "updated"
    version = (lambda v: None) if check_mode else (lambda v: v)
    fn = module_result("custom_-_f", "Score lead", done, 3, 12, 7, version(9), "timeout 3 s -> 12 s; function timeout 5 s -> 12 s")
    fn.update(function_timeout_seconds_before=5, function_timeout_seconds_after=12, draft=None)
    above = module_result("custom_-_g", "Rank lead", done, 3, 30, 3, version(4), "timeout 3 s -> 30 s")
    above.update(function_timeout_seconds_before=15, function_timeout_seconds_after=15, draft=None)
    kept = module_result("custom_-_a", "Lookup account", done, 3, 10, 4, version(5), "timeout 3 s -> 10 s")
    kept.update(function_timeout_seconds_before=None, function_timeout_seconds_after=None,
                draft=_draft("kept", 3, 3, 2, 2, True))
    drafted = module_result("custom_-_b", "Create ticket", done, 2, 10, 2, version(3), "timeout 2 s -> 10 s")
    drafted.update(function_timeout_seconds_before=None, function_timeout_seconds_after=None,
                   draft=_draft(done, 2, 10, 5, version(6), False))
    untouched = module_result("custom_-_c", "Lookup history", "ok", 30, 30, 9, 9, "timeout 30 s is above 3 s")
    untouched.update(function_timeout_seconds_before=None, function_timeout_seconds_after=None,
                     draft=_draft("kept", 30, 30, 1, 1, False))
    return [fn, above, kept, drafted, untouched]


def _report(check_mode=False, mode="remediate", results=None):
    return timeout_report(results or _results(check_mode), org="prod", mode=mode, check_mode=check_mode, run_id="r1",
                          generated_at=WHEN)


def test_rows_and_counts_keep_function_timeouts_and_pending_drafts():
    report = _report()
    rows = dict((row["id"], row) for row in report["rows"])
    assert (rows["custom_-_f"]["function_timeout_seconds_before"], rows["custom_-_f"]["function_timeout_seconds_after"]) \
        == (5, 12)
    assert rows["custom_-_a"]["draft"] == _draft("kept", 3, 3, 2, 2, True)
    assert rows["custom_-_c"]["draft"]["holds_other_timeout"] is False
    summary = report["summary"]
    assert (summary["pending_drafts"], summary["drafts_other_timeout"]) == (3, 1)
    assert (summary["function_actions"], summary["above_function"]) == (2, 1)
    totals = timeout_run_report([report, _report()], run_id="r1", generated_at=WHEN)["totals"]
    assert (totals["pending_drafts"], totals["drafts_other_timeout"], totals["above_function"]) == (6, 2, 2)


def test_a_function_only_or_draft_only_change_counts_as_a_change():
    fn = module_result("custom_-_g", "Rank lead", "would_update", 20, 20, 3, None, "function timeout 15 s -> 10 s")
    fn.update(function_timeout_seconds_before=15, function_timeout_seconds_after=10)
    drafted = module_result("custom_-_b", "Create ticket", "would_update", 10, 10, 2, None, "pending draft")
    drafted["draft"] = _draft("would_update", 2, 10, 5, None, False)
    same = module_result("custom_-_c", "Lookup history", "would_update", 30, 30, 9, None, "")
    report = _report(check_mode=True, results=[fn, drafted, same])
    assert report["summary"]["changed"] == 2


def test_data_action_info_shapes_are_read_too():
    item = {"id": "custom_-_f", "name": "Score lead", "category": "CRM", "kind": "custom", "version": 7,
            "timeout_seconds": 20, "function_timeout_seconds": 5, "integration_type": "function-data-actions",
            "draft": {"version": 2, "timeout_seconds": 3, "effective_timeout_seconds": 3}}
    row = timeout_report([item], org="prod", mode="audit", generated_at=WHEN)["rows"][0]
    assert (row["function_timeout_seconds_before"], row["function_timeout_seconds_after"]) == (5, 5)
    assert row["draft"] == _draft("kept", 3, 3, 2, 2, True)


def test_a_report_written_before_these_fields_is_still_read():
    report = _report()
    for row in report["rows"]:
        for key in ("function_timeout_seconds_before", "function_timeout_seconds_after", "draft"):
            del row[key]
    for key in ("pending_drafts", "drafts_other_timeout", "function_actions", "above_function"):
        del report["summary"][key]
    read = read_org_report(report)
    assert all(row["draft"] is None and row["function_timeout_seconds_before"] is None for row in read["rows"])
    assert read["summary"]["pending_drafts"] == 0
    rolled = dict((a["id"], a) for a in timeout_plan_actions(report, "rollback"))
    assert rolled["custom_-_f"] == {"id": "custom_-_f", "timeout_seconds": 3, "version": 9}


@pytest.mark.parametrize("bad,message", [
    ({"function_timeout_seconds_before": 30}, "from 1 to 15"),
    ({"draft": {"status": "published"}}, "draft.status must be one of"),
    ({"draft": "yes"}, "draft must be a dict"),
])
def test_malformed_edges_are_refused_naming_the_action(bad, message):
    results = _results(False)
    results[0].update(bad)
    with pytest.raises(AnsibleFilterError, match=message):
        _report(results=results)


def test_the_plan_applies_and_rolls_back_the_functions_timeout():
    check = _report(check_mode=True)
    applied = dict((a["id"], a) for a in timeout_plan_actions(check, "apply"))
    assert applied["custom_-_f"] == {"id": "custom_-_f", "timeout_seconds": 12, "version": 7, "function_timeout_seconds": 12}
    assert "function_timeout_seconds" not in applied["custom_-_g"]  # its function's timeout does not change
    real = _report()
    rolled = dict((a["id"], a) for a in timeout_plan_actions(real, "rollback"))
    assert rolled["custom_-_f"] == {"id": "custom_-_f", "timeout_seconds": 3, "version": 9, "function_timeout_seconds": 5}
    # Its pending draft, which the run raised from 2 s, goes back to what it held.
    assert rolled["custom_-_b"] == {"id": "custom_-_b", "timeout_seconds": 2, "version": 3, "draft": {"timeout_seconds": 2}}
    # The compact plan carries it both ways.
    plan = timeout_plan(real)
    entry = [a for a in plan["orgs"]["prod"]["actions"] if a["id"] == "custom_-_f"][0]
    assert (entry["function_timeout_seconds"], entry["function_timeout_seconds_before"]) == (12, 5)
    assert dict((a["id"], a) for a in timeout_plan_actions(plan, "rollback"))["custom_-_f"]["function_timeout_seconds"] == 5
    dry = timeout_plan(check)
    assert dict((a["id"], a) for a in timeout_plan_actions(dry, "apply"))["custom_-_f"]["function_timeout_seconds"] == 12


def test_markdown_shows_function_timeouts_pending_drafts_and_what_needs_attention():
    text = timeout_report_markdown(_report())
    assert "| Pending drafts | 3 |" in text
    assert "| Pending drafts holding another timeout (publishing would set it) | 1 |" in text
    assert "| Function actions whose timeout is above their function's | 1 |" in text
    changes = text.split("## Changed", 1)[1].split("\n## ", 1)[0]
    assert "| Function timeout |" in changes and "| 5 s -> 12 s |" in changes and "| 15 s |" in changes
    drafts = text.split("## Pending drafts (3)", 1)[1].split("\n## ", 1)[0]
    assert "| Lookup account | `custom_-_a` | 10 s | 2 -> 2 | 3 s -> 3 s | left as it is | sets 3 s (the action has 10 s) |" \
        in drafts
    assert "| Create ticket | `custom_-_b` | 10 s | 5 -> 6 | 2 s -> 10 s | updated | keeps 10 s |" in drafts
    attention = text.split("## Needs attention", 1)[1].split("\n## ", 1)[0]
    assert "its pending draft (version 2) holds 3 s: publishing it undoes the change" in attention
    assert "its function stops at its own 15 s, before the action's 30 s" in attention
    assert "custom_-_b" not in attention and "custom_-_f" not in attention
    run = timeout_report_markdown(timeout_run_report([_report()], run_id="r1", generated_at=WHEN))
    assert "| Pending drafts |" in run.split("## Totals", 1)[1].split("\n## ", 1)[0]


def test_without_functions_or_drafts_nothing_of_them_shows():
    plain = [module_result("custom_-_a", "Lookup account", "updated", 3, 10, 4, 5, "timeout 3 s -> 10 s")]
    for text in (timeout_report_markdown(_report(results=plain)), timeout_report_html(_report(results=plain))):
        assert "Pending drafts" not in text and "Function timeout" not in text


def test_html_shows_the_pending_drafts_table_and_the_function_column():
    page = timeout_report_html(_report())
    assert "<h3>Pending drafts (3)</h3>" in page and "<th>Function timeout</th>" in page
    assert 'class="undoes"' in page and "sets 3 s (the action has 10 s)" in page
    assert "Pending drafts</span>" in page  # the headline count

# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesyscloud.cx contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What moved since the last run: the comparison of two org reports, and finding the earlier one."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json
import os
import time

from ansible_collections.genesyscloud.cx.plugins.plugin_utils._org_reports import timeout_report
from ansible_collections.genesyscloud.cx.plugins.plugin_utils._report_files import published_stats
from ansible_collections.genesyscloud.cx.plugins.plugin_utils._report_html import timeout_report_html
from ansible_collections.genesyscloud.cx.plugins.plugin_utils._report_markdown import timeout_report_markdown
from ansible_collections.genesyscloud.cx.plugins.plugin_utils._report_reading import build_run_report
from ansible_collections.genesyscloud.cx.plugins.plugin_utils._since_last_run import (
    compared_with_last_run,
    earlier_org_report,
    since_last_run,
)

from tests.unit.plugins.filter.conftest import WHEN, result


def _row(action_id, name, before, after=None, status="unchanged", verdict=None, p99=None, version=3):
    return {"id": action_id, "name": name, "status": status, "timeout_seconds_before": before,
            "timeout_seconds_after": before if after is None else after, "version_before": version,
            "version_after": version + (1 if status == "updated" else 0), "verdict": verdict,
            "stats": {"executions": 100, "p99_ms": p99, "max_ms": p99, "p95_ms": 1} if p99 else None}


def _report(rows, run_id="r", mode="audit", check_mode=True, org="prod"):
    return {"report_type": "org", "org": org, "run_id": run_id, "mode": mode, "check_mode": check_mode,
            "generated_at": "2026-12-01T00:00:00Z", "rows": rows}


def test_somebody_elses_edit_counts_the_runs_own_change_and_a_dry_runs_plan_do_not():
    earlier = _report([
        _row("a", "Alpha", 3, 20, status="updated"),      # that run raised it: it left 20
        _row("b", "Bravo", 5, 20, status="would_update"),  # a dry run's plan never happened: it left 5
        _row("c", "Charlie", 30),
        _row("d", "Delta", 10, verdict="ok", p99=900),
        _row("gone", "Gone", 8),
    ], mode="remediate", check_mode=False)
    now = _report([
        _row("a", "Alpha", 20, version=4),                 # as that run left it: no change
        _row("b", "Bravo", 5),                              # as it was: no change
        _row("c", "Charlie", 45),                           # an admin's edit
        _row("d", "Delta", 10, verdict="too_low", p99=9400),
        _row("new", "New one", None),
    ])
    moved = since_last_run(now, earlier, "/r/prod.json")
    assert moved["counts"] == {"added": 1, "removed": 1, "timeouts_changed": 1, "verdicts_changed": 1}
    assert moved["added"] == [{"id": "new", "name": "New one", "timeout_seconds": None}]
    assert moved["removed"] == [{"id": "gone", "name": "Gone", "timeout_seconds": 8}]
    assert moved["timeouts_changed"] == [{"id": "c", "name": "Charlie", "timeout_seconds_then": 30,
                                          "timeout_seconds_now": 45, "version_then": 3, "version_now": 3}]
    verdict = moved["verdicts_changed"][0]
    assert (verdict["id"], verdict["verdict_then"], verdict["verdict_now"]) == ("d", "ok", "too_low")
    assert verdict["stats_then"] == {"executions": 100, "p99_ms": 900, "max_ms": 900}
    assert verdict["stats_now"]["p99_ms"] == 9400
    assert moved["earlier"] == {"run_id": "r", "generated_at": "2026-12-01T00:00:00Z", "mode": "remediate",
                                "check_mode": False, "path": "/r/prod.json"}


def test_no_earlier_report_no_comparison_and_a_verdict_on_one_side_only_is_no_change():
    assert since_last_run(_report([_row("a", "A", 3)]), None) is None
    moved = since_last_run(_report([_row("a", "A", 3, verdict="ok", p99=5)]), _report([_row("a", "A", 3)]))
    assert moved["counts"] == {"added": 0, "removed": 0, "timeouts_changed": 0, "verdicts_changed": 0}


def _write(folder, org, report, age):
    os.makedirs(folder, exist_ok=True)
    path = os.path.join(folder, "%s.json" % org)
    with open(path, "w") as stream:
        json.dump(report, stream)
    moment = time.time() - age
    os.utime(path, (moment, moment))
    return path


def test_the_newest_earlier_report_of_the_org_that_read_it_outside_this_runs_folder(tmp_path):
    base = str(tmp_path)
    _write(os.path.join(base, "old"), "prod", _report([_row("a", "A", 3)], run_id="old"), 300)
    newest = _write(os.path.join(base, "newer"), "prod", _report([_row("a", "A", 4)], run_id="newer"), 200)
    # Newer still, but not a report that read the org (refused before any request), another org's, or not JSON.
    _write(os.path.join(base, "refused"), "prod", dict(_report([], run_id="refused"), error="x"), 100)
    _write(os.path.join(base, "other"), "prod", _report([_row("a", "A", 5)], org="test"), 90)
    os.makedirs(os.path.join(base, "torn"))
    with open(os.path.join(base, "torn", "prod.json"), "w") as stream:
        stream.write("{")
    current = os.path.join(base, "current")
    _write(current, "prod", _report([_row("a", "A", 6)], run_id="current"), 0)
    path, report = earlier_org_report(base, "prod", current)
    assert path == newest and report["run_id"] == "newer"
    assert earlier_org_report(base, "qa", current) == (None, None)
    assert earlier_org_report(os.path.join(base, "missing"), "prod", current) == (None, None)


def test_a_run_that_read_nothing_compares_with_nothing(tmp_path):
    base = str(tmp_path)
    _write(os.path.join(base, "old"), "prod", _report([_row("a", "A", 3)], run_id="old"), 100)
    current = os.path.join(base, "current")
    # Stopped before it read the org: every action would look removed.
    assert compared_with_last_run(dict(_report([]), error="401"), base, "prod", current) is None
    moved = compared_with_last_run(_report([_row("a", "A", 4)]), base, "prod", current)
    assert moved["counts"]["timeouts_changed"] == 1 and moved["earlier"]["run_id"] == "old"
    assert compared_with_last_run(_report([_row("a", "A", 4)]), None, "prod", current) is None


def _org_report(org, since):
    report = timeout_report([result("custom_-_a", "A", "unchanged", 1, 10, 1, 1)], org=org, mode="audit",
                            check_mode=True, run_id="r2", generated_at=WHEN)
    report["since_last_run"] = since
    return report


def test_the_run_report_sums_the_counts_and_publishes_them_per_org():
    compared = {"counts": {"added": 2, "removed": 1, "timeouts_changed": 3, "verdicts_changed": 0}}
    again = {"counts": {"added": 1, "removed": 0, "timeouts_changed": 1, "verdicts_changed": 4}}
    run = build_run_report([_org_report("prod", compared), _org_report("qa", again), _org_report("dev", None)])
    assert run["totals"]["since_last_run"] == {"orgs_compared": 2, "added": 3, "removed": 1, "timeouts_changed": 4,
                                               "verdicts_changed": 4}
    stats = published_stats(run, True, publish_since_last_run_as="moved")
    assert stats["data"]["moved"] == {"dev": None, "prod": compared["counts"], "qa": again["counts"]}
    # No org compared (a first run, an earlier report's): no totals to show, and read back the same.
    first = build_run_report([_org_report("dev", None)])
    assert first["totals"]["since_last_run"] is None
    older = _org_report("dev", None)
    del older["since_last_run"]
    assert build_run_report([older])["orgs"][0]["since_last_run"] is None


def test_the_markdown_and_html_reports_show_what_moved_escaped():
    earlier = _report([_row("a", "A", 3), _row("gone", "Gone <b>", 8), _row("d", "Delta", 10, verdict="ok", p99=900)],
                      run_id="week-1", mode="remediate", check_mode=False)
    report = timeout_report([result("custom_-_a", "A", "unchanged", 30, 30, 4, 4),
                             result("custom_-_new", "New | one", "unchanged", 2, 2, 1, 1)],
                            org="prod", mode="audit", check_mode=True, run_id="week-2", generated_at=WHEN)
    report["since_last_run"] = since_last_run(report, dict(earlier, rows=[
        dict(earlier["rows"][0], id="custom_-_a"), earlier["rows"][1]]), "/r/week-1/prod.json")
    report["since_last_run"]["verdicts_changed"] = [{"id": "d", "name": "Delta", "verdict_then": "ok",
                                                     "verdict_now": "timing_out", "stats_then": {"p99_ms": 900},
                                                     "stats_now": {"p99_ms": 9400, "executions": 12}}]
    markdown = timeout_report_markdown(report)
    section = markdown.split("## Since the last run", 1)[1]
    assert "Compared with run `week-1` (remediate, generated 2026-12-01T00:00:00Z): 1 added, 1 removed, " \
           "1 timeout(s) changed by someone else, 0 verdict(s) changed." in section
    assert "| New \\| one | `custom_-_new` | 2 s |" in section
    assert "| Gone \\<b\\> | `gone` | 8 s |" in section
    assert "| A | `custom_-_a` | 3 s -> 30 s | 3 -> 4 |" in section
    assert "| Delta | `d` | ok -> timing out | p99 900 ms | p99 9.4 s, 12 executions |" in section
    page = timeout_report_html(report)
    assert "Since the last run" in page and "<code>week-1</code>" in page
    assert "Gone &lt;b&gt;" in page and "Gone <b>" not in page
    assert "3 s → 30 s" in page and "3 → 4" in page and "p99 9.4 s, 12 executions" in page
    # No comparison, no section.
    report["since_last_run"] = None
    assert "Since the last run" not in timeout_report_markdown(report) + timeout_report_html(report)


def test_an_update_whose_outcome_that_run_never_learned_is_its_own_whichever_timeout_it_left():
    earlier = _report([_row("a", "A", 3, 10, status="unknown"), _row("b", "B", 3, 10, status="unknown")],
                      mode="remediate", check_mode=False)
    # a: the update landed; b: it did not, and someone set 20 since.
    moved = since_last_run(_report([_row("a", "A", 10), _row("b", "B", 20)]), earlier)
    assert [(c["id"], c["timeout_seconds_then"], c["timeout_seconds_now"]) for c in moved["timeouts_changed"]] == [
        ("b", 3, 20)]
    assert since_last_run(_report([_row("a", "A", 3), _row("b", "B", 3)]), earlier)["counts"]["timeouts_changed"] == 0

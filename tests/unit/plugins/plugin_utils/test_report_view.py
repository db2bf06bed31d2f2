# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesyscloud.cx contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What both renderers say alike: durations, test outcomes, and the riskiest-first order."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import pytest

from ansible_collections.genesyscloud.cx.plugins.plugin_utils._report_view import (
    format_ms,
    risk_key,
    verdict_title,
    verify_text,
)


@pytest.mark.parametrize("milliseconds, words", [
    (None, "-"), (0, "0 ms"), (999, "999 ms"), (1000, "1 s"), (1250, "1.2 s"), (20000, "20 s"), (60000, "60 s"),
])
def test_durations_read_against_a_timeout(milliseconds, words):
    assert format_ms(milliseconds) == words


def test_test_outcomes_in_words():
    assert verify_text(None) == "not tested"
    assert verify_text({"success": True, "timed_out": False, "duration_ms": 412, "error": None}) == "passed in 412 ms"
    assert verify_text({"success": False, "timed_out": True, "duration_ms": 3004, "error": "x"}) == "timed out after 3 s"
    assert verify_text({"success": False, "timed_out": False, "duration_ms": None, "error": "x"}) == "failed"


def _row(name, verdict, effective, p99=None, executions=100, reached=0, recommended=None):
    return {"name": name, "id": "custom_-_" + name, "verdict": verdict, "effective_timeout_seconds_before": effective,
            "recommended_timeout_seconds": recommended,
            "stats": {"executions": executions, "p99_ms": p99, "reached_timeout": reached}}


def test_riskiest_first_by_verdict_then_by_how_close_to_the_limit():
    rows = [
        _row("fits", "ok", 10, p99=2000),
        _row("tight fit", "ok", 10, p99=4000),
        _row("quiet", "no_data", 10, executions=3),
        _row("busier quiet", "no_data", 10, executions=20),
        _row("huge", "oversized", 60, p99=200, recommended=1),
        _row("large", "oversized", 30, p99=2000, recommended=6),
        _row("near", "at_risk", 10, p99=9000),
        _row("half", "at_risk", 10, p99=5500),
        _row("some cut", "timing_out", 3, p99=3000, reached=5),
        _row("many cut", "timing_out", 3, p99=3000, reached=50),
    ]
    assert [row["name"] for row in sorted(rows, key=risk_key)] == [
        "many cut", "some cut", "near", "half", "huge", "large", "tight fit", "fits", "busier quiet", "quiet"]


def test_verdict_headings():
    assert [verdict_title(v) for v in ("timing_out", "at_risk", "oversized", "ok", "no_data")] == [
        "Timing out", "At risk", "Oversized", "OK", "No data"]


def test_a_failed_org_says_why_after_its_counts_and_alone_when_it_read_nothing():
    from ansible_collections.genesyscloud.cx.plugins.plugin_utils._report_view import summary_lines
    read = {"org": "prod", "mode": "remediate", "threshold": 3, "error": "HTTP 403: no edit",
            "summary": {"actions": 2, "low": 1, "by_status": {"failed": 1}}, "rows": [{"id": "a"}, {"id": "b"}]}
    assert summary_lines(read, "p.html") == ["prod: 2 actions; 1 at or below 3 s",
                                             "prod: 0 changed, 1 failed -> p.html", "prod: the run failed: HTTP 403: no edit"]
    nothing = dict(read, summary={"actions": 0, "low": 0, "by_status": {}}, rows=[], error="login refused")
    assert summary_lines(nothing, "p.html") == ["prod: the report -> p.html", "prod: the run failed: login refused"]

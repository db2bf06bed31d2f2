# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesyscloud.cx contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import datetime
import json
import os

import pytest
import requests

from ansible_collections.genesyscloud.cx.plugins.module_utils import data_actions as da
from ansible_collections.genesyscloud.cx.plugins.module_utils import execution_stats as es
from ansible_collections.genesyscloud.cx.plugins.module_utils.errors import (
    ApiError,
    InvalidInputError,
    InvalidResponseError,
    ServerError,
)
from tests.unit.plugins.fake_api import ANALYTICS, Fault, FakeGenesysCloud, make_action

OPTIONS = es.StatsOptions(days=7, headroom=3.0, min_executions=30, at_risk_share=0.5)
NOW = datetime.datetime(2026, 3, 10, 14, 37, 52, 123456, tzinfo=datetime.timezone.utc)


def _observed(p99, executions=200, reached=0, max_ms=None):
    return {"executions": executions, "mean_ms": p99 // 2, "p95_ms": p99, "p99_ms": p99,
            "max_ms": p99 if max_ms is None else max_ms, "reached_timeout": reached}


def _options(**kwargs):
    return OPTIONS._replace(**kwargs)


# ---- the rule: not enough data ------------------------------------------------------------------
def test_no_executions_is_no_data():
    for observed in (None, es._observed([], 10)):
        result = es.assess(10, observed, OPTIONS)
        assert result == {"verdict": "no_data", "recommended_timeout_seconds": None,
                          "recommendation": "no executions in the last 7 days: nothing to size the timeout from"}


def test_fewer_than_min_executions_is_no_data_and_says_how_many():
    result = es.assess(10, _observed(900, executions=29), OPTIONS)
    assert result["verdict"] == "no_data" and result["recommended_timeout_seconds"] is None
    assert result["recommendation"] == ("only 29 executions in the last 7 days (fewer than min_executions 30): "
                                        "not enough to size the timeout")


def test_few_executions_that_reached_the_timeout_are_still_no_data_but_said():
    result = es.assess(10, _observed(10000, executions=4, reached=2), _options(days=1))
    assert result["verdict"] == "no_data"
    assert "only 4 executions in the last 1 day" in result["recommendation"]
    assert "2 ran to the 10 s timeout" in result["recommendation"]


def _split(successes, failures_by_type, reached_failed=0, p99=None, source="server", reached="failed", max_ms=None):
    """Stats as read_observed gives them since the errorType split."""
    failed = sum(failures_by_type.values())
    executions = successes + failed
    return {"executions": executions, "successes": successes, "failures": failed,
            "failure_share": round(float(failed) / executions, 4) if executions else None,
            "failures_by_error_type": failures_by_type, "sized_executions": successes + reached_failed,
            "mean_ms": None, "p95_ms": None, "p99_ms": p99, "p99_source": source if p99 is not None else None,
            "max_ms": max_ms, "reached_timeout": reached_failed if reached == "failed" else reached}


def test_a_backend_that_fails_fast_is_no_data_whatever_its_failures():
    # 500 executions, 495 of them errors in 20 ms: the five successes cannot size a timeout, and the failures
    # never do (their p99 would say 20 ms, and the timeout would be cut to 1 s just before the backend recovers).
    result = es.assess(10, _split(5, {"remote_endpoint": 495}, p99=180, max_ms=180), OPTIONS)
    assert result["verdict"] == "no_data" and result["recommended_timeout_seconds"] is None
    assert result["recommendation"] == (
        "only 5 successful executions in the last 7 days (fewer than min_executions 30); 495 failed "
        "(remote_endpoint 495): not enough to size the timeout")


def test_failed_executions_cut_off_at_the_timeout_count_toward_min_executions_and_make_it_timing_out():
    # 10 successes and 40 failures that ran to the 3 s timeout: the backend is slower than the timeout.
    observed = _split(10, {"timeout": 40, "remote_endpoint": 5}, reached_failed=40, p99=3000, source="ladder",
                      max_ms=3000)
    result = es.assess(3, observed, OPTIONS)
    assert result["verdict"] == "timing_out" and result["recommended_timeout_seconds"] == 9
    assert "40 of 55 executions in the last 7 days ran to the 3 s timeout" in result["recommendation"]
    assert "p99 at most 3000 ms x headroom 3 = 9 s" in result["recommendation"]
    few = es.assess(3, _split(10, {"timeout": 19}, reached_failed=19, p99=3000, max_ms=3000), OPTIONS)
    assert few["verdict"] == "no_data"
    assert few["recommendation"].startswith("only 10 successful executions and 19 cut off at the timeout")


def test_timing_out_shows_without_any_p99():
    # Neither percentiles nor views in the answer: the slowest execution at the timeout still says it.
    observed = _split(100, {}, p99=None, reached=None, max_ms=5000)
    result = es.assess(5, observed, OPTIONS)
    assert result["verdict"] == "timing_out" and result["recommended_timeout_seconds"] == 6
    assert "no p99 in the answer" in result["recommendation"]
    reached = es.assess(5, _split(100, {}, p99=None, reached=3, max_ms=5000), OPTIONS)
    assert reached["verdict"] == "timing_out" and "3 of 100 executions" in reached["recommendation"]
    quiet = es.assess(5, _split(100, {}, p99=None, reached=0, max_ms=400), OPTIONS)
    assert quiet["verdict"] == "no_data" and "carries no p99" in quiet["recommendation"]


def test_an_oversized_verdict_comes_from_the_successes_only():
    # Successes at 4 s p99 under a 10 s timeout: ok, whatever the many fast failures say.
    result = es.assess(10, _split(200, {"remote_endpoint": 800}, p99=4000), OPTIONS)
    assert result["verdict"] == "ok" and result["recommended_timeout_seconds"] == 12


def test_exactly_min_executions_is_assessed():
    result = es.assess(10, _observed(2000, executions=30), OPTIONS)
    assert result["verdict"] == "ok" and result["recommended_timeout_seconds"] == 6


# ---- the rule: censored at the timeout ----------------------------------------------------------
def test_executions_reaching_the_timeout_are_timing_out_and_the_raise_follows_the_p99():
    result = es.assess(10, _observed(8000, reached=5), OPTIONS)
    assert result["verdict"] == "timing_out" and result["recommended_timeout_seconds"] == 24
    text = result["recommendation"]
    assert "5 of 200 executions in the last 7 days ran to the 10 s timeout and were cut off there" in text
    assert "raise it to 24 s" in text and "p99 8000 ms x headroom 3 = 24 s" in text


@pytest.mark.parametrize("p99", [4000, 10000])
def test_timing_out_always_recommends_above_the_current_timeout(p99):
    # With headroom 1 the p99 alone would keep (or lower) the timeout; the cut-off times understate it.
    result = es.assess(10, _observed(p99, reached=3), _options(headroom=1.0))
    assert result["verdict"] == "timing_out" and result["recommended_timeout_seconds"] == 11


def test_timing_out_at_the_maximum_says_the_backend_must_get_faster():
    result = es.assess(60, _observed(60000, reached=7, executions=500), OPTIONS)
    assert result["verdict"] == "timing_out" and result["recommended_timeout_seconds"] == 60
    text = result["recommendation"]
    assert "7 of 500 executions" in text and "cannot go higher" in text and "backend must get faster" in text
    assert "p99 60000 ms x headroom 3 = 180 s, capped at the 60 s maximum" in text


def test_timing_out_at_59_goes_to_60():
    result = es.assess(59, _observed(1000, reached=1), OPTIONS)
    assert result["verdict"] == "timing_out" and result["recommended_timeout_seconds"] == 60


# ---- the rule: sizing from the p99 --------------------------------------------------------------
def test_clamped_at_one_second():
    result = es.assess(3, _observed(10), OPTIONS)
    assert result["recommended_timeout_seconds"] == 1
    assert "p99 10 ms x headroom 3 = 0.03 s, raised to the 1 s minimum" in result["recommendation"]


def test_clamped_at_sixty_seconds():
    result = es.assess(60, _observed(30000), OPTIONS)
    assert result["verdict"] == "ok" and result["recommended_timeout_seconds"] == 60
    assert "p99 30000 ms x headroom 3 = 90 s, capped at the 60 s maximum" in result["recommendation"]


@pytest.mark.parametrize("p99,headroom,expected", [
    (1000, 3.0, 3),      # Genesys's example: exactly 3, not 4
    (1001, 3.0, 4),
    (1000, 2.5, 3),      # 2.5 s rounds up
    (1200, 2.5, 3),      # exactly 3
    (1201, 2.5, 4),
    (50000, 1.1, 55),    # the float product is 55.00000000000001; ceil must still give 55
    (0, 3.0, 1),
])
def test_recommended_timeout_rounds_up_exactly(p99, headroom, expected):
    assert es.recommended_timeout(p99, headroom) == expected


def test_the_text_shows_the_rounding():
    result = es.assess(10, _observed(1001), OPTIONS)
    assert "p99 1001 ms x headroom 3 = 3.003 s, rounded up to 4 s" in result["recommendation"]
    result = es.assess(10, _observed(1000), _options(headroom=2.5))
    assert "p99 1000 ms x headroom 2.5 = 2.5 s, rounded up to 3 s" in result["recommendation"]


# ---- the rule: at_risk, oversized, ok -----------------------------------------------------------
def test_at_risk_starts_just_above_the_share():
    at_half = es.assess(10, _observed(5000), OPTIONS)
    assert at_half["verdict"] == "ok" and at_half["recommended_timeout_seconds"] == 15
    above = es.assess(10, _observed(5001), OPTIONS)
    assert above["verdict"] == "at_risk" and above["recommended_timeout_seconds"] == 16
    text = above["recommendation"]
    assert "p99 (5001 ms) uses more than 50% of it (at_risk_share 0.5)" in text and "raise it to 16 s" in text


def test_at_risk_share_compares_exactly():
    # 0.3 * 3 s is 899.9999... ms in floating point; a p99 of exactly 900 ms is not above it.
    assert es.assess(3, _observed(900), _options(at_risk_share=0.3))["verdict"] == "ok"
    assert es.assess(3, _observed(901), _options(at_risk_share=0.3))["verdict"] == "at_risk"


def test_at_risk_at_the_maximum_cannot_go_higher():
    result = es.assess(60, _observed(35000), OPTIONS)
    assert result["verdict"] == "at_risk" and result["recommended_timeout_seconds"] == 60
    assert "keep 60 s" in result["recommendation"] and "backend must get faster" in result["recommendation"]


def test_unset_sixty_seconds_for_a_fast_backend_is_oversized():
    action = da.summarize(make_action("Fast", timeout=None, action_id="custom_-_fast"))
    result = es.assess(action["effective_timeout_seconds"], _observed(300), OPTIONS)
    assert result["verdict"] == "oversized" and result["recommended_timeout_seconds"] == 1
    text = result["recommendation"]
    assert "the timeout is 60 s, more than 2 times that" in text and "concurrency" in text
    assert "lower it to 1 s" in text


def test_oversized_starts_above_twice_the_recommendation():
    assert es.assess(6, _observed(1000), OPTIONS) == {
        "verdict": "ok", "recommended_timeout_seconds": 3,
        "recommendation": "the 6 s timeout fits the observed times in the last 7 days (p99 1000 ms x headroom 3 "
                          "= 3 s, and no execution ran to the timeout)"}
    assert es.assess(7, _observed(1000), OPTIONS)["verdict"] == "oversized"


def test_every_verdict_is_a_known_constant():
    assert es.VERDICTS == ("timing_out", "at_risk", "ok", "oversized", "no_data")


# ---- with_stats ---------------------------------------------------------------------------------
def test_with_stats_adds_the_verdict_and_leaves_custom_auth_unassessed():
    summaries = [da.summarize(a) for a in [
        make_action("Lookup", timeout=10, action_id="custom_-_a"),
        make_action("Auth", timeout=None, action_id="customAuth_-_int-1")]]
    observed = {"custom_-_a": _observed(8000, reached=2), "customAuth_-_int-1": _observed(400, reached=None)}
    result = es.with_stats(summaries, observed, OPTIONS)
    assert result[0]["stats"] == observed["custom_-_a"] and result[0]["verdict"] == "timing_out"
    assert result[0]["recommended_timeout_seconds"] == 24 and result[0]["id"] == "custom_-_a"
    assert result[1]["stats"] == observed["customAuth_-_int-1"]
    assert (result[1]["verdict"], result[1]["recommended_timeout_seconds"], result[1]["recommendation"]) == (
        None, None, None)
    assert "stats" not in summaries[0]  # new summaries, the given ones untouched


def test_with_stats_without_observed_times_claims_nothing():
    # The analytics query was refused: "no executions" would be a false statement, so all is null.
    summary = da.summarize(make_action("Lookup", timeout=10, action_id="custom_-_a"))
    result = es.with_stats([summary], {}, OPTIONS)[0]
    assert [result[k] for k in ("stats", "verdict", "recommended_timeout_seconds", "recommendation")] == [
        None, None, None, None]


# ---- the query body -----------------------------------------------------------------------------
LADDER = [250, 500, 1000, 1500, 2000, 3000, 5000, 8000, 10000, 15000, 20000, 30000, 45000, 60000]


def _view(bound):
    return {"target": "tTotalExecution", "name": "under_%dms" % bound, "function": "rangeBound",
            "range": {"gte": 0, "lt": bound}}


def test_query_groups_by_action_and_error_type_and_asks_the_ladder_plus_each_timeout():
    body = es.build_query([10, 3, 60, 4, 3, 10, 7, None], 7, NOW)
    assert body == {
        "interval": "2026-03-03T14:37:00.000Z/2026-03-10T14:37:00.000Z",
        "metrics": ["tTotalExecution"],
        "groupBy": ["actionId", "errorType"],
        # 3, 10 and 60 s are on the ladder already; 4 and 7 s get a view each.
        "views": [_view(b) for b in sorted(LADDER + [4000, 7000])],
    }
    assert es.build_query([], 7, NOW)["views"] == [_view(b) for b in LADDER]


def test_many_distinct_timeouts_keep_the_query_at_twenty_views_the_most_used_first():
    # 40 distinct timeouts off the ladder; 6 views are left for them: the ones most actions use, then the shorter.
    timeouts = [t for t in range(1, 61) if t * 1000 not in LADDER]
    used = timeouts + [59] * 5 + [41] * 4 + [7] * 3 + [33] * 3 + [4, 6]
    views = es.build_query(used, 7, NOW)["views"]
    assert len(views) == es.MAX_VIEWS == 20
    assert [v["range"]["lt"] for v in views] == sorted(LADDER + [59000, 41000, 7000, 33000, 4000, 6000])


def test_query_interval_is_utc_whatever_the_clock_zone():
    plus_two = datetime.timezone(datetime.timedelta(hours=2))
    assert es.build_query([5], 1, datetime.datetime(2026, 1, 1, 1, 0, 30, tzinfo=plus_two))["interval"] == \
        "2025-12-30T23:00:00.000Z/2025-12-31T23:00:00.000Z"
    assert es.build_query([5], 31, datetime.datetime(2026, 3, 1, 0, 0))["interval"] == \
        "2026-01-29T00:00:00.000Z/2026-03-01T00:00:00.000Z"  # naive: taken as UTC


# ---- reading through the client -----------------------------------------------------------------
def _summaries():
    return [da.summarize(a) for a in [
        make_action("Short", timeout=3, action_id="custom_-_short"),
        make_action("Long", timeout=10, action_id="custom_-_long"),
        make_action("Unset", timeout=None, action_id="custom_-_unset"),
        make_action("SMS", timeout=3, action_id="static_-_sms"),
        make_action("Auth", timeout=None, action_id="customAuth_-_int-1")]]


def _api_requests(fake):
    return [r for r in fake.log if r["path"] != "/oauth/token"]


def _stats(executions, mean, p95, p99, longest, reached, source="server", failures=None, sized=None):
    failures = failures or {}
    failed = sum(failures.values())
    return {"executions": executions, "successes": executions - failed, "failures": failed,
            "failure_share": round(float(failed) / executions, 4), "failures_by_error_type": failures,
            "sized_executions": executions - failed if sized is None else sized, "mean_ms": mean, "p95_ms": p95,
            "p99_ms": p99, "p99_source": source, "max_ms": longest, "reached_timeout": reached}


def test_read_observed_sends_one_query_and_reads_each_action_against_its_own_timeout(make_client):
    fake = FakeGenesysCloud()
    fake.executions = {
        "custom_-_short": [100] * 95 + [200, 300, 400, 3000, 3000],  # two ran to the 3 s timeout
        "custom_-_long": [4000] * 40,  # above 3 s but below its own 10 s
        "customAuth_-_int-1": [250, 350],
        "custom_-_other": [1, 2, 3],  # an action not asked about
    }
    observed, warnings = es.read_observed(make_client(fake), _summaries(), OPTIONS, now=NOW)
    assert warnings == []
    requests = _api_requests(fake)
    assert len(requests) == 1 and requests[0]["method"] == "POST" and requests[0]["path"] == ANALYTICS
    sent = json.loads(requests[0]["body"])
    assert sent == es.build_query([3, 10, 60, 3], 7, NOW)
    assert sent["groupBy"] == ["actionId", "errorType"] and len(sent["views"]) == len(LADDER)
    assert observed["custom_-_short"] == _stats(100, 164, 100, 3000, 3000, 2)
    assert observed["custom_-_long"]["reached_timeout"] == 0 and observed["custom_-_long"]["p99_ms"] == 4000
    absent = {"executions": 0, "successes": 0, "failures": 0, "failure_share": None, "failures_by_error_type": {},
              "sized_executions": 0, "mean_ms": None, "p95_ms": None, "p99_ms": None, "p99_source": None,
              "max_ms": None, "reached_timeout": 0}
    assert observed["custom_-_unset"] == absent and observed["static_-_sms"] == absent
    assert observed["customAuth_-_int-1"]["executions"] == 2
    assert observed["customAuth_-_int-1"]["reached_timeout"] is None  # no timeout to reach
    assert set(observed) == set(s["id"] for s in _summaries())


def test_custom_auth_timeouts_are_not_asked_for(make_client):
    fake = FakeGenesysCloud()
    summaries = [da.summarize(make_action("Short", timeout=4, action_id="custom_-_short")),
                 da.summarize(make_action("Auth", timeout=None, action_id="customAuth_-_int-1"))]
    es.read_observed(make_client(fake), summaries, OPTIONS, now=NOW)
    bounds = [v["range"]["lt"] for v in json.loads(_api_requests(fake)[0]["body"])["views"]]
    assert bounds == sorted(LADDER + [4000])  # no view for the custom-auth action's (unset, invalid) 60 s


def test_failed_executions_are_counted_apart_and_size_nothing(make_client):
    fake = FakeGenesysCloud()
    fake.executions = {
        # 60 successes at 400 ms, 440 errors in 20 ms: sized from the successes alone.
        "custom_-_long": [400] * 60 + [(20, "remote_endpoint")] * 440,
        # Successes reported with errorType NONE; 5 failures cut off at the 3 s timeout, 3 fast ones.
        "custom_-_short": [(900, "NONE")] * 95 + [(3000, "timeout")] * 5 + [(15, "remote_endpoint")] * 3,
    }
    observed, dummy = es.read_observed(make_client(fake), _summaries(), OPTIONS, now=NOW)
    assert observed["custom_-_long"] == _stats(500, 400, 400, 400, 400, 0, failures={"remote_endpoint": 440})
    assert observed["custom_-_long"]["failure_share"] == 0.88
    # 95 successes and 5 cut off: 99% of the 100 lie under no bound below 3 s, so the p99 is the timeout itself.
    assert observed["custom_-_short"] == _stats(103, 900, 900, 3000, 3000, 5, source="ladder", sized=100,
                                                failures={"timeout": 5, "remote_endpoint": 3})
    verdicts = es.with_stats(_summaries(), observed, OPTIONS)
    by_id = dict((s["id"], s) for s in verdicts)
    # 400 ms x 3 = 2 s, not the 1 s the failures would give.
    assert (by_id["custom_-_long"]["verdict"], by_id["custom_-_long"]["recommended_timeout_seconds"]) == (
        "oversized", 2)
    assert (by_id["custom_-_short"]["verdict"], by_id["custom_-_short"]["recommended_timeout_seconds"]) == (
        "timing_out", 9)


def test_without_percentiles_the_p99_is_the_smallest_bound_holding_99_percent(make_client):
    fake = FakeGenesysCloud()
    fake.analytics_percentiles = False
    fake.executions = {
        # 99 of 100 under 1.5 s, the slowest 1.7 s: the p99 is at most 1500 ms (nearest rank: 1400).
        "custom_-_long": [300] * 90 + [1400] * 9 + [1700],
        # All under 250 ms, the slowest 80 ms: the slowest success is the tighter bound.
        "custom_-_unset": [40] * 50 + [80],
        # 98 of 100 under 1 s and two at 2.4 s, under the 3 s timeout: 99% only under 3 s, the slowest 2.4 s.
        "custom_-_short": [500] * 98 + [2400] * 2,
        "customAuth_-_int-1": [200] * 40,
    }
    observed, dummy = es.read_observed(make_client(fake), _summaries(), OPTIONS, now=NOW)
    assert observed["custom_-_long"] == _stats(100, 413, None, 1500, 1700, 0, source="ladder")
    assert (observed["custom_-_unset"]["p99_ms"], observed["custom_-_unset"]["p99_source"]) == (80, "ladder")
    assert (observed["custom_-_short"]["p99_ms"], observed["custom_-_short"]["reached_timeout"]) == (2400, 0)
    assert observed["customAuth_-_int-1"]["p99_ms"] == 200
    by_id = dict((s["id"], s) for s in es.with_stats(_summaries(), observed, OPTIONS))
    assert (by_id["custom_-_long"]["verdict"], by_id["custom_-_long"]["recommended_timeout_seconds"]) == ("ok", 5)
    assert "p99 at most 1500 ms x headroom 3 = 4.5 s" in by_id["custom_-_long"]["recommendation"]
    assert (by_id["custom_-_unset"]["verdict"], by_id["custom_-_unset"]["recommended_timeout_seconds"]) == (
        "oversized", 1)


def test_without_percentiles_executions_at_the_timeout_still_make_it_timing_out(make_client):
    fake = FakeGenesysCloud()
    fake.analytics_percentiles = False
    fake.executions = {"custom_-_short": [800] * 35 + [(3000, "timeout")] * 5,
                       "custom_-_long": [(10000, "timeout")] * 40}  # every execution hung until the timeout
    observed, dummy = es.read_observed(make_client(fake), _summaries(), OPTIONS, now=NOW)
    assert observed["custom_-_short"]["reached_timeout"] == 5 and observed["custom_-_short"]["p99_ms"] == 3000
    assert observed["custom_-_long"]["successes"] == 0 and observed["custom_-_long"]["sized_executions"] == 40
    by_id = dict((s["id"], s) for s in es.with_stats(_summaries(), observed, OPTIONS))
    assert (by_id["custom_-_short"]["verdict"], by_id["custom_-_short"]["recommended_timeout_seconds"]) == (
        "timing_out", 9)
    assert (by_id["custom_-_long"]["verdict"], by_id["custom_-_long"]["recommended_timeout_seconds"]) == (
        "timing_out", 30)


@pytest.mark.parametrize("timeout,below,longest,expected", [
    (3000, {3000: 40}, 5000, 10),            # the view at the timeout counts it
    (4000, {3000: 50, 5000: 50}, 4100, 0),   # every one under 3 s, below the timeout (the max says otherwise)
    (4000, {3000: 20, 5000: 50}, 3900, 0),   # the slowest stayed below the timeout
    (4000, {3000: 20, 5000: 50}, 4000, None),  # no view at 4 s and the slowest at 4 s: unknown how many
])
def test_reached_is_read_from_the_view_at_the_timeout_or_else_bounded(timeout, below, longest, expected):
    assert es._reached_in(50, below, longest, timeout) == expected


def test_an_empty_answer_means_no_executions(make_client):
    fake = FakeGenesysCloud()
    observed, warnings = es.read_observed(make_client(fake), _summaries(), OPTIONS, now=NOW)
    assert warnings == [] and len(_api_requests(fake)) == 1
    assert all(o["executions"] == 0 and o["p99_ms"] is None for o in observed.values())
    assert observed["custom_-_short"]["reached_timeout"] == 0
    assert [s["verdict"] for s in es.with_stats(_summaries(), observed, OPTIONS)] == ["no_data"] * 4 + [None]


def test_nothing_to_read_sends_nothing(make_client):
    fake = FakeGenesysCloud()
    assert es.read_observed(make_client(fake), [], OPTIONS) == ({}, [])
    assert fake.log == []


def _bucket(count, total, p95, p99, maximum, views):
    return {"interval": "x", "metrics": [{"metric": "tTotalExecution", "stats": {
        "count": count, "sum": total, "min": 1, "max": maximum, "p95": p95, "p99": p99}}],
        "views": [{"name": name, "stats": {"count": n}} for name, n in views.items()]}


def test_several_buckets_are_merged_conservatively(make_client):
    fake = FakeGenesysCloud()
    fake.analytics_answer = {"results": [{"group": {"actionId": "custom_-_long"}, "data": [
        _bucket(60, 60000, 1500, 2500, 9000, {"under_3000ms": 40, "under_10000ms": 60}),
        _bucket(40, 81000, 2000, 2200, 11000, {"under_3000ms": 10, "under_10000ms": 39}),
    ]}]}
    observed, dummy = es.read_observed(make_client(fake), _summaries(), OPTIONS, now=NOW)
    assert observed["custom_-_long"] == _stats(100, 1410, 2000, 2500, 11000, 1)
    assert observed["custom_-_short"]["executions"] == 0  # missing from the answer


def test_several_buckets_without_percentiles_add_their_counts_under_each_bound(make_client):
    fake = FakeGenesysCloud()
    ladder = dict(("under_%dms" % b, 0) for b in LADDER)
    first, second = dict(ladder), dict(ladder)
    first.update(("under_%dms" % b, 60) for b in LADDER if b >= 1000)   # 60 under 1 s
    second.update(("under_%dms" % b, 39) for b in LADDER if b >= 2000)  # 39 of 40 under 2 s, one above 8 s
    second.update(("under_%dms" % b, 40) for b in LADDER if b >= 10000)
    fake.analytics_answer = {"results": [{"group": {"actionId": "custom_-_long"}, "data": [
        _bucket(60, 30000, None, None, 900, first), _bucket(40, 60000, None, None, 9000, second)]}]}
    observed, dummy = es.read_observed(make_client(fake), _summaries(), OPTIONS, now=NOW)
    # 99 of 100 under 2 s (60 + 39): the p99 is at most 2000 ms.
    assert (observed["custom_-_long"]["p99_ms"], observed["custom_-_long"]["p99_source"]) == (2000, "ladder")
    assert observed["custom_-_long"]["reached_timeout"] == 0
    assert observed["custom_-_short"]["executions"] == 0  # missing from the answer


def test_an_answer_without_views_is_read_from_the_max(make_client):
    fake = FakeGenesysCloud()
    fake.analytics_answer = {"results": [
        {"group": {"actionId": "custom_-_short", "errorType": "NONE"}, "data": [_bucket(50, 5000, 100, 200, 2999, {})]},
        {"group": {"actionId": "custom_-_long"}, "data": [_bucket(50, 5000, 100, 200, 10000, {})]},
    ]}
    observed, dummy = es.read_observed(make_client(fake), _summaries(), OPTIONS, now=NOW)
    assert observed["custom_-_short"]["reached_timeout"] == 0  # the slowest stayed below 3 s: none reached it
    assert observed["custom_-_long"]["reached_timeout"] is None  # the slowest took 10 s: some did, how many unknown
    result = es.assess(10, observed["custom_-_long"], OPTIONS)
    assert result["verdict"] == "timing_out" and result["recommended_timeout_seconds"] == 11
    assert "at least one of 50 executions (the slowest took 10000 ms)" in result["recommendation"]


def test_without_the_analytics_permission_the_listing_goes_on_with_a_warning(make_client):
    fake = FakeGenesysCloud(clients={"cid": ("csecret", set())})
    observed, warnings = es.read_observed(make_client(fake), _summaries(), OPTIONS, now=NOW)
    assert observed == {} and len(warnings) == 1
    warning = warnings[0]
    correlation_id = "corr-%d" % len(fake.log)
    # What the 403 answer asked for, and that the client has it: it listed the actions, which needs the same.
    assert "the answer asked for integrations:action:view" in warning and "another cause" in warning
    assert "HTTP 403" in warning and "correlation id %s" % correlation_id in warning
    assert "listed without observed times" in warning
    assert len(_api_requests(fake)) == 1


def test_a_query_lost_to_a_server_hiccup_is_asked_again(make_client):
    fake = FakeGenesysCloud()
    fake.add_fault("POST", ANALYTICS, Fault(503))
    observed, warnings = es.read_observed(make_client(fake), _summaries(), OPTIONS, now=NOW)
    assert warnings == [] and len(fake.requests_for("POST", ANALYTICS)) == 2


@pytest.mark.parametrize("status,error", [(400, ApiError), (501, ServerError)])
def test_other_errors_propagate(make_client, status, error):
    fake = FakeGenesysCloud()
    fake.add_fault("POST", ANALYTICS, Fault(status))
    with pytest.raises(error):
        es.read_observed(make_client(fake), _summaries(), OPTIONS, now=NOW)


# ---- options ------------------------------------------------------------------------------------
def test_options_default_to_the_documented_values():
    assert es.StatsOptions.from_params({}) == es.StatsOptions(7, 3.0, 30, 0.5)
    assert es.StatsOptions.from_params({"stats_days": None, "headroom": None, "min_executions": None,
                                        "at_risk_share": None}) == OPTIONS
    assert es.StatsOptions.from_params({"stats_days": 31, "headroom": 1, "min_executions": 1,
                                        "at_risk_share": 1}) == es.StatsOptions(31, 1.0, 1, 1.0)


@pytest.mark.parametrize("params,message", [
    ({"stats_days": 0}, "stats_days must be an integer from 1 to 31"),
    ({"stats_days": 32}, "stats_days must be an integer from 1 to 31"),
    ({"stats_days": True}, "stats_days must be an integer"),
    ({"stats_days": "week"}, "stats_days must be an integer"),
    ({"headroom": 0.9}, "headroom must be at least 1.0"),
    ({"headroom": float("inf")}, "headroom must be a number"),
    ({"headroom": "lots"}, "headroom must be a number"),
    ({"min_executions": 0}, "min_executions must be an integer of at least 1"),
    ({"min_executions": 2.5}, "min_executions must be an integer"),
    ({"at_risk_share": 0}, "at_risk_share must be more than 0 and at most 1"),
    ({"at_risk_share": 1.01}, "at_risk_share must be more than 0 and at most 1"),
])
def test_invalid_options_are_refused_naming_the_option(params, message):
    with pytest.raises(InvalidInputError) as info:
        es.StatsOptions.from_params(params)
    assert message in str(info.value)


def test_the_docs_state_the_ladder_and_the_view_cap():
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))))
    with open(os.path.join(root, "plugins", "doc_fragments", "execution_stats.py")) as handle:
        fragment = " ".join(handle.read().split())
    milliseconds = [b for b in es.LADDER_MS if b < 1000]
    seconds = [("%.1f" % (b / 1000.0)).rstrip("0").rstrip(".") for b in es.LADDER_MS if b >= 1000]
    ladder = "%s ms, %s and %s s" % (" and ".join("%d" % b for b in milliseconds), ", ".join(seconds[:-1]), seconds[-1])
    assert ladder == "250 and 500 ms, 1, 1.5, 2, 3, 5, 8, 10, 15, 20, 30, 45 and 60 s"
    assert "(%s)" % ladder in fragment
    assert "at most %d views in all" % es.MAX_VIEWS in fragment
    assert len(es.LADDER_MS) < es.MAX_VIEWS


def test_without_percentiles_or_views_the_slowest_success_bounds_the_p99(make_client):
    fake = FakeGenesysCloud()
    fake.analytics_answer = {"results": [
        {"group": {"actionId": "custom_-_long"}, "data": [_bucket(80, 40000, None, None, 700, {})]},
        {"group": {"actionId": "custom_-_long", "errorType": "remote_endpoint"}, "data": [_bucket(5, 50, None, None, 12, {})]},
        {"group": {"actionId": "custom_-_short"}, "data": [_bucket(60, 6000, None, None, 900, {})]},
        {"group": {"actionId": "custom_-_short", "errorType": "timeout"}, "data": [_bucket(3, 9000, None, None, 3000, {})]},
    ]}
    observed, dummy = es.read_observed(make_client(fake), _summaries(), OPTIONS, now=NOW)
    assert (observed["custom_-_long"]["p99_ms"], observed["custom_-_long"]["p99_source"]) == (700, "ladder")
    assert observed["custom_-_long"]["reached_timeout"] == 0 and observed["custom_-_long"]["max_ms"] == 700
    # Without the view at 3 s, how many failures reached the timeout is unknown (their slowest did): the p99 is
    # the successes' bound, and the slowest execution still makes the action timing out, raised above 3 s.
    assert observed["custom_-_short"]["reached_timeout"] is None and observed["custom_-_short"]["p99_ms"] == 900
    by_id = dict((s["id"], s) for s in es.with_stats(_summaries(), observed, OPTIONS))
    assert (by_id["custom_-_long"]["verdict"], by_id["custom_-_long"]["recommended_timeout_seconds"]) == (
        "oversized", 3)
    assert (by_id["custom_-_short"]["verdict"], by_id["custom_-_short"]["recommended_timeout_seconds"]) == (
        "timing_out", 4)
    assert "at least one of 63 executions (the slowest took 3000 ms)" in by_id["custom_-_short"]["recommendation"]


def _response(content, status=200):
    response = requests.Response()
    response.status_code, response._content = status, content
    response.headers["ININ-Correlation-Id"] = "corr-7"
    return response


def test_the_answer_is_decoded_with_each_view_as_its_bound_and_count():
    bounds = {"under_250ms": 250, "under_500ms": 500}
    answer = es._decode_answer(_response(json.dumps({"results": [{"group": {"actionId": "a", "errorType": "x"}, "data": [
        {"interval": "i", "metrics": [{"metric": "tTotalExecution", "stats": {"count": 3, "max": 9}}],
         "views": [{"name": "under_250ms", "stats": {"count": 2}}, {"name": "under_500ms", "stats": {}},
                   {"name": "not_asked", "stats": {"count": 1}}, {"name": "under_250ms", "stats": 4},
                   {"name": ["under_250ms"], "stats": {"count": 1}}]}]}]}).encode()), bounds)
    data = answer["results"][0]["data"][0]
    # A view the query did not ask has no bound; one of another shape stays as the API wrote it.
    assert data["views"] == [(250, 2), (500, None), (None, 1), {"name": "under_250ms", "stats": 4},
                             {"name": ["under_250ms"], "stats": {"count": 1}}]
    assert data["metrics"] == [{"metric": "tTotalExecution", "stats": {"count": 3, "max": 9}}]
    assert answer["results"][0]["group"] == {"actionId": "a", "errorType": "x"}
    # Only the pairs with a bound and a count are read; the views of other shapes are skipped, none raises.
    buckets = es._buckets_by_action(answer, bounds)
    assert buckets == {"a": [("x", {"count": 3, "max": 9}, {250: 2})]}
    assert es._decode_answer(_response(b"", status=204), bounds) == {}
    with pytest.raises(InvalidResponseError, match="not JSON") as raised:
        es._decode_answer(_response(b"<html>"), bounds)
    assert raised.value.correlation_id == "corr-7"


def test_the_collector_is_paused_while_the_answer_is_decoded_and_as_it_was_after(monkeypatch):
    import gc
    seen = []
    monkeypatch.setattr(es.json, "loads", lambda *a, **k: seen.append(gc.isenabled()) or {"results": []})
    assert gc.isenabled()
    es._decode_answer(_response(b"{}"), {})
    assert seen == [False] and gc.isenabled()
    gc.disable()
    try:
        es._decode_answer(_response(b"{}"), {})
        assert not gc.isenabled()  # a pause within a pause changes nothing
    finally:
        gc.enable()


@pytest.mark.parametrize("error_type,success", [(None, True), ("", True), ("NONE", True), ("none", True),
                                                ("timeout", False), ("remote_endpoint", False), ("NONE_OF_IT", False),
                                                (0, False)])
def test_only_an_absent_or_none_error_type_is_a_success(error_type, success):
    assert es._is_success(error_type) is success

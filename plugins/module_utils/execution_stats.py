# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesyscloud.cx contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Observed execution times of data actions, and a verdict and timeout recommendation per action.

One analytics aggregates query per org, grouped by action and errorType, with rangeBound views counting the
executions under each bound of a fixed ladder and under each effective timeout, gives every action's
executions and failures, p95, p99, max and how many executions ran to its timeout. Nothing documents that
the answer fills p95/p99 for tTotalExecution: without them, the view counts bound the p99 from above.
Failed executions never size a timeout (a backend that fails fast would look fast), except those cut off
at the timeout, which failed only because of it. The recommendation follows Genesys's own sizing advice
for the setting: "if the 99th percentile is 1 second, you could set the action timeout to 3 seconds".

Why each default (the module documentation repeats these):

- ``headroom`` 3: Genesys's own example, p99 1 s gives a 3 s timeout.
- ``min_executions`` 30: with fewer executions a single call decides the p99 (below 100 executions the
  p99 *is* the slowest call), and there are too few calls to tell a slow backend from one unlucky call.
  Raise it to 100 or more when the p99 should be a real percentile rather than the slowest call.
- ``at_risk_share`` 0.5: when the p99 uses more than half of the timeout, a backend that slows down
  twofold under load starts failing calls, although none has failed yet.
- ``OVERSIZED_FACTOR`` 2: the recommendation already holds ``headroom`` times the p99; a timeout more
  than twice that protects no call and only lets a stuck backend hold the org's data-action
  concurrency (and keep callers waiting in the IVR) for longer. The factor keeps small differences
  (5 s against a recommended 4 s) from being flagged.
- ``stats_days`` 7: a full weekly cycle of traffic (weekday peaks, quiet weekends, weekly batch jobs),
  recent enough to describe the backend as it is now.
- ``MAX_STATS_DAYS`` 31: neither the SDK nor the API reference documents a maximum interval for the
  synchronous query (an asynchronous jobs variant exists "for long intervals"); a month keeps the one
  synchronous query reasonable, so the interval is never split.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import datetime
import json
import math
from collections import namedtuple
from fractions import Fraction

from ansible_collections.genesyscloud.cx.plugins.module_utils._collector import collector_paused
from ansible_collections.genesyscloud.cx.plugins.module_utils.client import CORRELATION_HEADER
from ansible_collections.genesyscloud.cx.plugins.module_utils.data_actions import (
    KIND_CUSTOM_AUTH,
    MAX_TIMEOUT,
    MIN_TIMEOUT,
)
from ansible_collections.genesyscloud.cx.plugins.module_utils.errors import (
    InvalidInputError,
    InvalidResponseError,
    PermissionDeniedError,
)

ANALYTICS_QUERY_PATH = "/api/v2/analytics/actions/aggregates/query"
METRIC = "tTotalExecution"  # milliseconds, as every t* metric
DEFAULT_STATS_DAYS = 7
MAX_STATS_DAYS = 31
DEFAULT_HEADROOM = 3.0
DEFAULT_MIN_EXECUTIONS = 30
DEFAULT_AT_RISK_SHARE = 0.5
OVERSIZED_FACTOR = 2
ANALYTICS_PERMISSIONS = ("integrations:action:view", "bridge:actions:view")
# The bounds (ms) of the views asked in every query, to bound the p99 from counts when the answer has none.
LADDER_MS = (250, 500, 1000, 1500, 2000, 3000, 5000, 8000, 10000, 15000, 20000, 30000, 45000, 60000)
MAX_VIEWS = 20  # the ladder plus up to 6 timeouts off it; every view adds a count to every group of the answer
SOURCE_SERVER, SOURCE_LADDER = "server", "ladder"

TIMING_OUT, AT_RISK, OK, OVERSIZED, NO_DATA = "timing_out", "at_risk", "ok", "oversized", "no_data"
VERDICTS = (TIMING_OUT, AT_RISK, OK, OVERSIZED, NO_DATA)


def stats_argument_spec():
    """The argument spec of the stats options (documented in doc_fragments/execution_stats.py)."""
    return dict(
        stats=dict(type="bool", default=False),
        stats_days=dict(type="int", default=DEFAULT_STATS_DAYS),
        headroom=dict(type="float", default=DEFAULT_HEADROOM),
        min_executions=dict(type="int", default=DEFAULT_MIN_EXECUTIONS),
        at_risk_share=dict(type="float", default=DEFAULT_AT_RISK_SHARE),
    )


class StatsOptions(namedtuple("StatsOptions", "days headroom min_executions at_risk_share")):
    """How observed times are read and judged."""

    __slots__ = ()

    @classmethod
    def from_params(cls, params):
        """Validate the module options ``stats_days``, ``headroom``, ``min_executions``, ``at_risk_share``."""
        days = _integer(params.get("stats_days"), DEFAULT_STATS_DAYS, "stats_days")
        if not 1 <= days <= MAX_STATS_DAYS:
            raise InvalidInputError("stats_days must be an integer from 1 to %d, got %r." % (
                MAX_STATS_DAYS, params.get("stats_days")))
        headroom = _number(params.get("headroom"), DEFAULT_HEADROOM, "headroom")
        if headroom < 1.0:
            raise InvalidInputError("headroom must be at least 1.0 (the timeout as a multiple of the p99), "
                                    "got %r." % params.get("headroom"))
        min_executions = _integer(params.get("min_executions"), DEFAULT_MIN_EXECUTIONS, "min_executions")
        if min_executions < 1:
            raise InvalidInputError("min_executions must be an integer of at least 1, got %r." % (
                params.get("min_executions"),))
        share = _number(params.get("at_risk_share"), DEFAULT_AT_RISK_SHARE, "at_risk_share")
        if not 0 < share <= 1:
            raise InvalidInputError("at_risk_share must be more than 0 and at most 1 (the share of the timeout "
                                    "the p99 may use), got %r." % params.get("at_risk_share"))
        return cls(days, headroom, min_executions, share)


def _integer(value, default, where):
    if value is None:
        return default
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    raise InvalidInputError("%s must be an integer, got %r." % (where, value))


def _number(value, default, where):
    if value is None:
        return float(default)
    if not isinstance(value, bool):
        try:
            number = float(value)
        except (TypeError, ValueError):
            number = None
        if number is not None and math.isfinite(number):
            return number
    raise InvalidInputError("%s must be a number, got %r." % (where, value))


# ---- the query ----------------------------------------------------------------------------------
def view_name(bound_ms):
    """The name of the view counting executions that took less than ``bound_ms`` milliseconds."""
    return "under_%dms" % bound_ms


def ladder_bounds(effective_timeouts):
    """The bounds (ms) of the query's views: the fixed ladder plus the effective timeouts, at most MAX_VIEWS.

    A timeout on the ladder (1, 2, 3, 5, 8, 10, 15, 20, 30, 45, 60 s) costs no view. The others take the
    views left, the timeouts most actions run with first (ties: the shorter); an action whose timeout got no
    view learns whether executions reached it from the slowest execution instead.
    """
    rungs = set(LADDER_MS)
    users = {}
    for timeout in effective_timeouts:
        if timeout is not None and timeout * 1000 not in rungs:
            users[timeout] = users.get(timeout, 0) + 1
    extra = sorted(users, key=lambda timeout: (-users[timeout], timeout))[:MAX_VIEWS - len(rungs)]
    return sorted(rungs.union(timeout * 1000 for timeout in extra))


def _iso(moment):
    return moment.strftime("%Y-%m-%dT%H:%M:%S.000Z")


def _utc_minute(now):
    if now.tzinfo is not None:
        now = now.astimezone(datetime.timezone.utc).replace(tzinfo=None)
    return now.replace(second=0, microsecond=0)


def build_query(effective_timeouts, days, now):
    """The ActionAggregationQuery body: the last ``days`` days up to ``now`` (UTC, to the minute), grouped by
    action and errorType (failed executions apart), with one view per bound of ladder_bounds() counting the
    executions faster than it."""
    end = _utc_minute(now)
    start = end - datetime.timedelta(days=days)
    # Each view counts from 0 (cumulative), so every view stands alone: none is needed to read another.
    return {
        "interval": "%s/%s" % (_iso(start), _iso(end)),
        "metrics": [METRIC],
        "groupBy": ["actionId", "errorType"],
        "views": [{"target": METRIC, "name": view_name(bound), "function": "rangeBound",
                   "range": {"gte": 0, "lt": bound}} for bound in ladder_bounds(effective_timeouts)],
    }


def _assessable(summary):
    return summary.get("kind") != KIND_CUSTOM_AUTH


def read_observed(client, summaries, options, now=None):
    """Observed times of every summary's action from ONE analytics query: (observed_by_id, warnings).

    Without the analytics permission (403) the answer is ({}, [warning]); other errors propagate.
    """
    if not summaries:
        return {}, []
    timeouts = [s["effective_timeout_seconds"] for s in summaries if _assessable(s)]
    body = build_query(timeouts, options.days,
                       now or datetime.datetime.now(datetime.timezone.utc))
    try:
        # A query: safe to resend after a 5xx. Decoded here, each view as it is read (see _decode_answer).
        response = client.request("POST", ANALYTICS_QUERY_PATH, json_body=body, repeatable=True, raw=True)
    except PermissionDeniedError as exc:
        return {}, [_permission_warning(exc)]
    bounds = dict((view["name"], view["range"]["lt"]) for view in body["views"])
    buckets = _buckets_by_action(_decode_answer(response, bounds), bounds)
    observed = {}
    for summary in summaries:
        timeout = summary["effective_timeout_seconds"] if _assessable(summary) else None
        observed[summary["id"]] = _observed(buckets.get(summary["id"], ()), timeout)
    return observed, []


def _view_pairs(bounds):
    """The object hook that decodes each view of the answer, ``{"name", "stats": {"count"}}``, as a (bound, count)
    pair, ``bound`` the view's bound in ms (None for a view the query did not ask); any other object as is.

    Thousands of groups times 20 views: two dicts per view would hold twice the memory of the rest of the answer
    (about 100 MB for 10,000 actions); the pair holds a fraction of it. The hook runs for every object of the answer
    (half a million for 10,000 actions), so it does the least it can: the exact types only, no other call.
    """
    def view_pair(decoded):
        if len(decoded) == 2:
            name = decoded.get("name")
            stats = decoded.get("stats")
            if name.__class__ is str and stats.__class__ is dict:
                return bounds.get(name), stats.get("count")
        return decoded
    return view_pair


def _decode_answer(response, bounds):
    if response.status_code == 204 or not response.content:
        return {}
    # An answer of 10,000 actions is about a million new objects, none in a cycle (see _collector.py).
    with collector_paused():
        try:
            # bytes: JSON's own encoding detection
            return json.loads(response.content, object_hook=_view_pairs(bounds))
        except ValueError:
            raise InvalidResponseError("the analytics answer is not JSON", status=response.status_code, method="POST",
                                       path=ANALYTICS_QUERY_PATH,
                                       correlation_id=response.headers.get(CORRELATION_HEADER))


def _permission_warning(exc):
    """The refusal in words: the permission its answer asked for, and what to do about it. The actions were just
    listed, which needs the same permission as the query: when the answer asks for that one, the client has it."""
    asked = list(exc.permissions) or list(ANALYTICS_PERMISSIONS)
    where = ["HTTP %s" % exc.status]
    if exc.correlation_id:
        where.append("correlation id %s" % exc.correlation_id)
    if set(asked) <= set(ANALYTICS_PERMISSIONS):
        advice = ("; the listing of the actions, which needs it too, went through, so the refusal has another "
                  "cause (a division or licence restriction, for instance): quote the correlation id to Genesys support")
    else:
        advice = "; give the OAuth client a role with it"
    return ("The analytics query for execution times was refused (%s): the answer asked for %s%s. "
            "The actions are listed without observed times (stats, verdict and recommendation are null)." % (
                ", ".join(where), " or ".join(asked), advice))


def _is_success(error_type):
    """Whether an errorType group holds successful executions: no errorType, or NONE (the values are not
    documented; an absent or NONE value most likely means success, every other one is a failure)."""
    if error_type is None or error_type == "":
        return True
    return isinstance(error_type, str) and error_type.strip().upper() == "NONE"


def _buckets_by_action(answer, bounds):
    """actionId -> [(errorType of a failure or None for successes, metric stats, {bound ms: count under it})],
    one per data entry of each (actionId, errorType) group; ``bounds`` maps the query's view names to their bound."""
    buckets = {}
    results = answer.get("results") if isinstance(answer, dict) else None  # an empty answer is {}
    for result in results or ():
        if not isinstance(result, dict):
            continue
        group = result.get("group") or {}
        action_id = group.get("actionId")
        if not action_id:
            continue
        error_type = group.get("errorType")
        failure = None if _is_success(error_type) else "%s" % error_type
        entries = buckets.setdefault(action_id, [])
        for data in result.get("data") or ():
            if not isinstance(data, dict):
                continue
            stats = {}
            for metric in data.get("metrics") or ():
                if isinstance(metric, dict) and metric.get("metric") == METRIC:
                    stats = metric.get("stats") or {}
            below = {}
            for view in data.get("views") or ():
                if view.__class__ is tuple:  # a (bound, count) pair from _decode_answer
                    bound, count = view
                else:  # the view as the API shapes it, when it is not one _decode_answer knows
                    try:
                        bound, count = bounds[view["name"]], view["stats"]["count"]
                    except (KeyError, TypeError, ValueError):
                        continue  # not one of ours, or no count: that bound is unknown for this bucket
                if bound is not None and count is not None:
                    below[bound] = count
            entries.append((failure, stats, below))
    return buckets


def _max_of(values):
    known = [v for v in values if v is not None]
    return max(known) if known else None


def _reached_in(count, below, longest, limit):
    """How many of a bucket's ``count`` executions took ``limit`` ms or more; None when the answer cannot tell."""
    under = below.get(limit)
    if under is not None:
        return max(0, count - under)
    if longest is not None and longest < limit:
        return 0
    if any(bound <= limit and under >= count for bound, under in below.items()):
        return 0  # all of them were faster than a bound below the limit
    return None


def _empty(timeout_seconds):
    return {"executions": 0, "successes": 0, "failures": 0, "failure_share": None, "failures_by_error_type": {},
            "sized_executions": 0, "mean_ms": None, "p95_ms": None, "p99_ms": None, "p99_source": None,
            "max_ms": None, "reached_timeout": None if timeout_seconds is None else 0}


def _observed(buckets, timeout_seconds):
    """One action's observed stats, its buckets merged; ``timeout_seconds`` None for custom-auth actions.

    The timeout is sized from the successful executions plus the failed ones that ran to the timeout (they
    failed only because it cut them off); fast failures would make a failing backend look fast.
    """
    limit = None if timeout_seconds is None else timeout_seconds * 1000
    executions = successes = reached_failed = 0
    reached = None if limit is None else 0
    total = 0
    failures = {}
    succeeded = []  # (stats, below) of the successful buckets
    longest = []
    for failure, stats, below in buckets:
        count = int(stats.get("count") or 0)
        if not count:
            continue
        executions += count
        longest.append(stats.get("max"))
        if limit is not None:
            in_bucket = _reached_in(count, below, stats.get("max"), limit)
            if in_bucket is None:
                reached = None  # some bucket cannot tell: assess() reads the slowest execution instead
            else:
                reached = None if reached is None else reached + in_bucket
                if failure is not None:
                    reached_failed += in_bucket
        if failure is None:
            successes += count
            total += stats.get("sum") or 0
            succeeded.append((stats, below))
        else:
            failures[failure] = failures.get(failure, 0) + count
    if not executions:
        return _empty(timeout_seconds)
    failed = executions - successes
    sized = successes + reached_failed
    success_max = _max_of(stats.get("max") for stats, dummy in succeeded)
    p99, source = _p99(succeeded, sized, reached_failed, limit, success_max)
    p95s = [stats.get("p95") for stats, dummy in succeeded]
    # Percentiles of several buckets cannot be merged exactly: the largest bucket p95/p99 is an upper
    # bound of the overall one (no bucket has more than 1% above it), so the timeout is never undersized.
    return {
        "executions": executions,
        "successes": successes,
        "failures": failed,
        "failure_share": round(float(failed) / executions, 4),
        "failures_by_error_type": failures,
        "sized_executions": sized,
        "mean_ms": _rounded(total, successes) if successes else None,
        "p95_ms": max(p95s) if p95s and None not in p95s else None,
        "p99_ms": p99,
        "p99_source": source,
        "max_ms": _max_of(longest),
        "reached_timeout": reached,
    }


def _p99(succeeded, sized, reached_failed, limit, success_max):
    """(p99 in ms, "server" or "ladder") of the sized executions, or (None, None) when there are none.

    The server's p99 when every successful bucket has one and no failed execution joins them. Otherwise the
    smallest view bound under which at least 99% of them fall: an upper bound, so the timeout sized from it is
    never too low. Failed executions cut off at the timeout count above every bound up to the timeout; when no
    bound holds 99% (or the answer has no views), the p99 is the slowest success, or with such failures the
    timeout itself (what the cut-off times say).
    """
    if not sized:
        return None, None
    p99s = [stats.get("p99") for stats, dummy in succeeded]
    if not reached_failed and p99s and None not in p99s:
        return max(p99s), SOURCE_SERVER
    usable = None
    for dummy, below in succeeded:
        usable = set(below) if usable is None else usable.intersection(below)
    bound = None
    for candidate in sorted(usable or ()):
        if limit is not None and candidate > limit:
            break
        if 100 * sum(below[candidate] for dummy, below in succeeded) >= 99 * sized:
            bound = candidate
            break
    if bound is None:
        # No bound holds 99%: the slowest success bounds the successes; cut-off failures sit at the timeout.
        bound = success_max if not reached_failed and success_max is not None else _max_of((limit, success_max))
    elif success_max is not None and success_max < bound:
        bound = success_max  # 99% lie under the bound, all successes: the p99 is one, at most the slowest
    return (None, None) if bound is None else (int(math.ceil(bound)), SOURCE_LADDER)


def _rounded(total, count):
    """total / count to the nearest integer, halves up, exact for integers."""
    if isinstance(total, int):
        return (2 * total + count) // (2 * count)
    return int(math.floor(total / count + 0.5))


# ---- the verdict --------------------------------------------------------------------------------
_EXACT = {}  # option value -> (numerator, denominator): options repeat for every action of an org


def _exact(number):
    """A float option as the decimal the user wrote (2.5, 0.3), as (numerator, denominator) integers, so
    products with it round exactly; each value is converted once.
    """
    exact = _EXACT.get(number)
    if exact is None:
        fraction = Fraction(repr(float(number)))
        exact = _EXACT[number] = (fraction.numerator, fraction.denominator)
    return exact


def _show_ratio(numerator, denominator):
    """numerator / denominator in words: 3, 2.5, 0.903."""
    if numerator % denominator == 0:
        return "%d" % (numerator // denominator)
    return ("%.3f" % (float(numerator) / denominator)).rstrip("0").rstrip(".")


def _show(number):
    return _show_ratio(*_exact(number))


def _sizing(p99_ms, headroom, base, bounded=False):
    """The recommendation's arithmetic in words: "p99 1000 ms x headroom 3 = 3 s"; ``bounded`` when the p99 is
    the ladder's upper bound ("p99 at most 1000 ms ...")."""
    numerator, denominator = _exact(headroom)
    raw_numerator, raw_denominator = p99_ms * numerator, denominator * 1000  # p99 x headroom, in seconds
    text = "p99 %s%d ms x headroom %s = %s s" % ("at most " if bounded else "", p99_ms, _show(headroom),
                                                 _show_ratio(raw_numerator, raw_denominator))
    if raw_numerator > MAX_TIMEOUT * raw_denominator:
        text += ", capped at the %d s maximum" % MAX_TIMEOUT
    elif raw_numerator < MIN_TIMEOUT * raw_denominator:
        text += ", raised to the %d s minimum" % MIN_TIMEOUT
    elif raw_numerator != base * raw_denominator:
        text += ", rounded up to %d s" % base
    return text


def recommended_timeout(p99_ms, headroom):
    """min(60, max(1, ceil(p99_ms * headroom / 1000))), in exact integer arithmetic (p99 1000 ms x 3 is 3, not 4)."""
    numerator, denominator = _exact(headroom)
    p99_ms = int(math.ceil(p99_ms))  # the API gives whole milliseconds; a fraction is rounded up, never down
    return min(MAX_TIMEOUT, max(MIN_TIMEOUT, -(-p99_ms * numerator // (denominator * 1000))))


def _change(effective, recommended):
    if recommended > effective:
        return "raise it to %d s" % recommended
    if recommended < effective:
        return "lower it to %d s" % recommended
    return "keep %d s" % recommended


def _verdict(verdict, recommended, text):
    return {"verdict": verdict, "recommended_timeout_seconds": recommended, "recommendation": text}


def _plural(count, word):
    return "%d %s%s" % (count, word, "" if count == 1 else "s")


def _failed_words(observed):
    """ "; 120 failed (remote_endpoint 100, timeout 20)", or "" without failures."""
    by_type = observed.get("failures_by_error_type") or {}
    failed = observed.get("failures") or 0
    if not failed:
        return ""
    kinds = ", ".join("%s %d" % (error_type, by_type[error_type]) for error_type in sorted(by_type))
    return "; %d failed%s" % (failed, " (%s)" % kinds if kinds else "")


def assess(effective_timeout_seconds, observed, options):
    """The verdict, recommended timeout and the reason in words for one action's observed stats.

    The sample is ``sized_executions`` (successful executions plus failed ones cut off at the timeout; all
    ``executions`` when the stats predate the errorType split): failures that did not run to the timeout never
    size a timeout, nor make up for too few successes.
    """
    effective = effective_timeout_seconds
    observed = observed or {}
    period = "in the last %d day%s" % (options.days, "" if options.days == 1 else "s")
    executions = observed.get("executions") or 0
    sized = observed.get("sized_executions")
    sized = executions if sized is None else sized
    reached = observed.get("reached_timeout")
    if sized < options.min_executions:
        if not executions:
            return _verdict(NO_DATA, None, "no executions %s: nothing to size the timeout from" % period)
        successes = observed.get("successes")
        if successes is None or successes == executions:  # no failure: every execution counts
            counted = _plural(sized, "execution")
        else:
            counted = "%s%s" % (_plural(successes, "successful execution"),
                                " and %d cut off at the timeout" % (sized - successes) if sized > successes else "")
        return _verdict(NO_DATA, None, "only %s %s (fewer than min_executions %d)%s%s: not enough to size the "
                        "timeout" % (counted, period, options.min_executions, _failed_words(observed),
                                     ", %s ran to the %d s timeout" % (reached, effective) if reached else ""))
    p99 = observed.get("p99_ms")
    max_ms = observed.get("max_ms")
    censored = reached > 0 if reached is not None else (max_ms is not None and max_ms >= effective * 1000)
    if p99 is None and not censored:
        return _verdict(NO_DATA, None, "the analytics answer for %d executions %s carries no p99 and no counts to "
                        "bound it: nothing to size the timeout from" % (executions, period))
    if p99 is not None:
        base = recommended_timeout(p99, options.headroom)
        sizing = _sizing(p99, options.headroom, base, observed.get("p99_source") == SOURCE_LADDER)
    else:
        base, sizing = MIN_TIMEOUT, "no p99 in the answer"
    if censored:
        # Those executions were cut off at the timeout, so their real times (and the real p99) are longer.
        how_many = ("%d of %d executions" % (reached, executions) if reached is not None
                    else "at least one of %d executions (the slowest took %d ms)" % (executions, max_ms))
        if effective >= MAX_TIMEOUT:
            return _verdict(TIMING_OUT, MAX_TIMEOUT, "%s %s ran to the %d s timeout and were cut off there; %d s is "
                            "the maximum, so the timeout cannot go higher: the backend must get faster (%s)" % (
                                how_many, period, effective, MAX_TIMEOUT, sizing))
        recommended = max(base, min(MAX_TIMEOUT, effective + 1))
        return _verdict(TIMING_OUT, recommended, "%s %s ran to the %d s timeout and were cut off there, so their "
                        "real times are longer: %s (%s; at least 1 s above the current timeout, since the cut-off "
                        "times understate the p99)" % (how_many, period, effective, _change(effective, recommended),
                                                       sizing))
    share_numerator, share_denominator = _exact(options.at_risk_share)
    if p99 * share_denominator > share_numerator * effective * 1000:
        text = ("no execution ran to the %d s timeout %s, but the p99 (%d ms) uses more than %s%% of it "
                "(at_risk_share %s): a backend that slows down under load would start failing calls; %s (%s)" % (
                    effective, period, p99, _show_ratio(share_numerator * 100, share_denominator),
                    _show(options.at_risk_share), _change(effective, base), sizing))
        if base == effective == MAX_TIMEOUT:
            text += "; the timeout cannot go higher, so the backend must get faster"
        return _verdict(AT_RISK, base, text)
    if effective > OVERSIZED_FACTOR * base:
        return _verdict(OVERSIZED, base, "the observed times %s call for %d s (%s), but the timeout is %d s, more than "
                        "%d times that: a stuck backend would hold the org's data-action concurrency (and keep "
                        "callers waiting) for %d s; %s" % (period, base, sizing, effective, OVERSIZED_FACTOR,
                                                           effective, _change(effective, base)))
    return _verdict(OK, base, "the %d s timeout fits the observed times %s (%s, and no execution ran to the "
                    "timeout)" % (effective, period, sizing))


def with_stats(summaries, observed_by_id, options):
    """New summaries with ``stats``, ``verdict``, ``recommended_timeout_seconds`` and ``recommendation`` added.

    An action missing from ``observed_by_id`` (analytics refused) gets all four null; custom-auth actions
    get their stats but no verdict, since timeoutSeconds is invalid for them.
    """
    assessed = []
    for summary in summaries:
        observed = observed_by_id.get(summary["id"])
        item = dict(summary, stats=observed)
        if observed is None or not _assessable(summary):
            item.update(_verdict(None, None, None))
        else:
            item.update(assess(summary["effective_timeout_seconds"], observed, options))
        assessed.append(item)
    return assessed


def observe(client, summaries, options, now=None):
    """``summaries`` judged against their observed times from one query: (new summaries, warnings)."""
    observed, warnings = read_observed(client, summaries, options, now=now)
    return with_stats(summaries, observed, options), warnings

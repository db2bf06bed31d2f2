# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesyscloud.cx contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""POST /api/v2/analytics/actions/aggregates/query over recorded and seeded executions.

Shapes follow the official SDK's models: ActionAggregationQuery in; ActionAggregateQueryResponse
{results: [ActionAggregateDataContainer {group, data: [StatisticalResponse {interval, metrics:
[AggregateMetricData {metric, stats}], views: [AggregateViewData {name, stats}]}]}]} out, `stats` a
StatisticalSummary (count, sum, min, max, p95, p99; times in ms).
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import bisect
import datetime
import gc
import itertools
import json
import math
import random
from array import array

from .world import ERROR_TYPES, History, effective_timeout, share_of_custom_actions

METRIC = "tTotalExecution"
DIMENSIONS = ("actionCategory", "actionId", "actionName", "correlationId", "errorType", "integrationId",
              "integrationName", "responseStatus")
# Dimensions that vary per execution; a query without them is answered per action, never per execution.
EXECUTION_DIMENSIONS = frozenset(("correlationId", "errorType", "responseStatus"))
_STATUS_BY_ERROR = {None: "200", "timeout": "504", "remote_endpoint": "502"}

# The analytics switches (unknowns of the real API, see README "Analytics switches"): run-time name -> values.
PERCENTILES = ("filled", "absent")
SUCCESS_ERROR_TYPES = ("absent", "NONE")
# A fast failure takes FAST_FAILURE_MS[0] to FAST_FAILURE_MS[1] - 1 milliseconds.
FAST_FAILURE_MS = (8, 40)


def add_arguments(parser):
    """The analytics switches on the command line."""
    parser.add_argument("--analytics-percentiles", choices=PERCENTILES, default="filled",
                        help="whether the analytics answer fills p95 and p99 (default filled)")
    parser.add_argument("--success-error-type", choices=SUCCESS_ERROR_TYPES, default="absent",
                        help="how a successful execution's errorType reads when grouped by it: absent from the group "
                             "or NONE (default absent)")
    parser.add_argument("--fast-failures", type=float, default=0.0, metavar="SHARE",
                        help="share (0..1) of custom actions whose recorded executions all failed fast (8 to 39 ms, "
                             "errorType remote_endpoint) (default 0)")
    parser.add_argument("--timeout-failures", type=float, default=0.0, metavar="SHARE",
                        help="share (0..1) of custom actions whose recorded executions all ran to the action's "
                             "effective timeout and failed there (errorType timeout) (default 0)")


def check_arguments(parser, options):
    if not 0 <= options.fast_failures <= 1 or not 0 <= options.timeout_failures <= 1:
        parser.error("--fast-failures and --timeout-failures must be a share between 0 and 1")


class AnalyticsSwitches(object):
    """The analytics switches of a running emulator, and the histories the failure switches rewrote."""

    NAMES = ("analytics_percentiles", "success_error_type", "fast_failures", "timeout_failures")

    def __init__(self, options):
        self.analytics_percentiles = getattr(options, "analytics_percentiles", "filled")
        self.success_error_type = getattr(options, "success_error_type", "absent")
        self.fast_failures = getattr(options, "fast_failures", 0.0)
        self.timeout_failures = getattr(options, "timeout_failures", 0.0)
        self._rewritten = {}  # (org id, action id) -> (the history as it was, the rewritten one)

    def view(self):
        return dict((name, getattr(self, name)) for name in self.NAMES)

    @staticmethod
    def parse(key, value):
        """The value of a run-time switch, or None when it is not valid."""
        if key == "analytics_percentiles" and value in PERCENTILES:
            return value
        if key == "success_error_type" and value in SUCCESS_ERROR_TYPES:
            return value
        if key in ("fast_failures", "timeout_failures") and isinstance(value, (int, float)) \
                and not isinstance(value, bool) and 0 <= value <= 1:
            return value
        return None

    def apply(self, world, random_seed, unset_timeout_seconds, restore=True):
        """Rewrite the histories of the chosen actions, after restoring the ones an earlier share rewrote
        (``restore`` False after a reset, whose world holds none of them). An action chosen by both fails fast."""
        for (org_id, action_id), (original, rewritten) in list(self._rewritten.items()):
            org = world.orgs.get(org_id)
            if restore and org is not None and org.executions.get(action_id) is rewritten:
                org.executions[action_id] = original
        self._rewritten.clear()
        for org in world.orgs.values():
            fast = share_of_custom_actions(org, self.fast_failures, "fast-failures/%s" % random_seed)
            hung = share_of_custom_actions(org, self.timeout_failures, "timeout-failures/%s" % random_seed)
            for action_id in fast:
                self._rewrite(org, action_id, _failed_fast(org, action_id, random_seed))
            for action_id in set(hung) - set(fast):
                limit = effective_timeout(org.actions[action_id]["config"], unset_timeout_seconds) * 1000
                self._rewrite(org, action_id, lambda history, limit=limit: _hung(history, limit))

    def _rewrite(self, org, action_id, rewrite):
        original = org.executions.get(action_id)
        if not original:
            return
        rewritten = rewrite(original)
        org.executions[action_id] = rewritten
        self._rewritten[(org.id, action_id)] = (original, rewritten)


def _failed_fast(org, action_id, random_seed):
    rng = random.Random("fast-failures/%s/%s/%s" % (random_seed, org.id, action_id))
    code = ERROR_TYPES.index("remote_endpoint")

    def rewrite(history):
        low, high = FAST_FAILURE_MS
        return _history(history.moments, [rng.randrange(low, high) for dummy in history.moments],
                        [code] * len(history))
    return rewrite


def _hung(history, limit_ms):
    return _history(history.moments, [limit_ms] * len(history), [ERROR_TYPES.index("timeout")] * len(history))


def _history(moments, durations, errors):
    rewritten = History()
    rewritten.moments, rewritten.durations, rewritten.errors = array("q", moments), array("l", durations), \
        array("b", errors)
    return rewritten


def parse_interval(text):
    """ISO-8601 `start/end` -> (start_ms, end_ms); None when malformed or empty."""
    if not isinstance(text, str) or text.count("/") != 1:
        return None
    bounds = []
    for part in text.split("/"):
        part = part.strip()
        if part.endswith("Z"):
            part = part[:-1] + "+00:00"
        try:
            moment = datetime.datetime.fromisoformat(part)
        except ValueError:
            return None
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=datetime.timezone.utc)
        bounds.append(int(moment.timestamp() * 1000))
    if bounds[0] >= bounds[1]:
        return None
    return bounds[0], bounds[1]


def _dimension_values(org, action):
    integration = org.integrations.get(action["integrationId"]) or {}
    return {
        "actionId": action["id"], "actionName": action["name"], "actionCategory": action["category"],
        "integrationId": action["integrationId"], "integrationName": integration.get("name"),
    }


def _check_predicates(predicates, bad_request, where):
    if not isinstance(predicates, list):
        raise bad_request("%s must be a list." % where, field=where)
    for index, predicate in enumerate(predicates):
        field = "%s[%d]" % (where, index)
        if not isinstance(predicate, dict):
            raise bad_request("%s must be an object." % field, field=field)
        if predicate.get("type", "dimension") != "dimension":
            raise bad_request("Only dimension predicates are emulated.", field=field + ".type")
        if predicate.get("dimension") not in DIMENSIONS:
            raise bad_request("dimension must be one of %s." % ", ".join(DIMENSIONS), field=field + ".dimension")
        operator = predicate.get("operator", "matches")
        if operator not in ("matches", "exists", "notExists"):
            raise bad_request("operator must be matches, exists or notExists.", field=field + ".operator")
        if operator == "matches" and not isinstance(predicate.get("value"), str):
            raise bad_request("a matches predicate needs a string value.", field=field + ".value")


def _compile_filter(spec, bad_request, used, where="filter"):
    """-> function(values dict) -> bool; adds every dimension it reads to the set `used`."""
    if spec is None:
        return lambda values: True
    if not isinstance(spec, dict) or spec.get("type") not in ("and", "or"):
        raise bad_request("%s.type must be and or or." % where, field=where + ".type")
    predicates = spec.get("predicates", [])
    _check_predicates(predicates, bad_request, where + ".predicates")
    used.update(p["dimension"] for p in predicates)
    clauses = spec.get("clauses", [])
    if not isinstance(clauses, list):
        raise bad_request("%s.clauses must be a list." % where, field=where + ".clauses")
    compiled = [_compile_filter(clause, bad_request, used, "%s.clauses[%d]" % (where, i))
                for i, clause in enumerate(clauses)]

    def test(predicate, values):
        value = values.get(predicate["dimension"])
        operator = predicate.get("operator", "matches")
        if operator == "exists":
            return value is not None
        if operator == "notExists":
            return value is None
        return value == predicate["value"]

    combine = all if spec["type"] == "and" else any

    def matches(values):
        checks = [test(p, values) for p in predicates] + [c(values) for c in compiled]
        return combine(checks) if checks else True

    return matches


def _views(spec, bad_request):
    if spec is None:
        return []
    if not isinstance(spec, list):
        raise bad_request("views must be a list.", field="views")
    views = []
    names = set()
    for index, view in enumerate(spec):
        field = "views[%d]" % index
        if not isinstance(view, dict) or view.get("target") != METRIC or view.get("function") != "rangeBound":
            raise bad_request("a view needs target tTotalExecution and function rangeBound.", field=field)
        name = view.get("name")
        if name is None:
            name = "view%d" % index
        # The SDK: "A unique name for this view. Must be distinct from other views and built-in metric names."
        if not isinstance(name, str) or not name or name in names or name == METRIC:
            raise bad_request("a view's name must be a string distinct from other views and from metric names.",
                              field=field + ".name")
        names.add(name)
        bounds = view.get("range") or {}
        if not isinstance(bounds, dict):
            raise bad_request("range must be an object.", field=field + ".range")
        for key in bounds:
            if key not in ("gte", "lt"):
                raise bad_request("a view's range has only gte and lt.", field="%s.range.%s" % (field, key))
            if isinstance(bounds[key], bool) or not isinstance(bounds[key], (int, float)):
                raise bad_request("range.%s must be a number." % key, field="%s.range.%s" % (field, key))
        views.append((name, bounds.get("gte"), bounds.get("lt")))
    return views


def _percentile(ordered, percent):
    """Nearest rank: the smallest recorded value with at least `percent`% of values at or below it."""
    rank = max(1, int(math.ceil(percent / 100.0 * len(ordered) - 1e-9)))
    return int(ordered[rank - 1])


# _ONLY[code]: a bytes.translate table that keeps 1 where a byte is that code, 0 elsewhere.
_ONLY = [bytes(int(byte == code) for byte in range(256)) for code in range(len(ERROR_TYPES))]


def _by_error_code(durations, errors, lo, hi):
    """{error code: durations} of executions lo..hi; the split runs in C (a byte mask per code present)."""
    codes = errors[lo:hi].tobytes()
    chunk = durations[lo:hi]
    present = set(codes)
    if len(present) == 1:
        return {codes[0]: chunk}
    return dict((code, list(itertools.compress(chunk, codes.translate(_ONLY[code])))) for code in present)


def _collect(org, start, end, group_by, matches, per_execution, by_error_type=False, labels=ERROR_TYPES):
    """{group key: [chunk of durations, ...]} of the executions in [start, end) that match the filter.

    ``per_execution``: the filter or grouping reads a dimension that varies per execution; ``by_error_type``
    alone (errorType the only such dimension, in groupBy and not in the filter) splits each action's slice by
    its error codes, without a dict per execution. ``labels``: the errorType of each error code.
    """
    groups = {}
    error_at = group_by.index("errorType") if by_error_type else None
    for action_id, history in org.executions.items():
        if not history:
            continue
        action = org.actions.get(action_id)
        if action is None:
            continue
        lo, hi = history.window(start, end)
        if lo == hi:
            continue
        base = _dimension_values(org, action)
        if by_error_type:
            if matches(base):
                key = [base.get(g) for g in group_by]
                for code, chunk in _by_error_code(history.durations, history.errors, lo, hi).items():
                    key[error_at] = labels[code]
                    groups.setdefault(tuple(key), []).append(chunk)
            continue
        if not per_execution:
            # Every execution of this action has the same dimension values: decide once, take the slice.
            if matches(base):
                groups.setdefault(tuple(base.get(g) for g in group_by), []).append(history.durations[lo:hi])
            continue
        durations, errors = history.durations, history.errors
        chunks = {}
        for index in range(lo, hi):
            code = errors[index]
            values = dict(base, errorType=labels[code], responseStatus=_STATUS_BY_ERROR.get(ERROR_TYPES[code], "500"))
            if matches(values):
                chunks.setdefault(tuple(values.get(g) for g in group_by), []).append(durations[index])
        for key, chunk in chunks.items():
            groups.setdefault(key, []).append(chunk)
    return groups


def _sorted(chunks):
    return sorted(chunks[0]) if len(chunks) == 1 else sorted(itertools.chain.from_iterable(chunks))


def run_query(org, body, bad_request, switches=None):
    """The answer to an ActionAggregationQuery body for one org, as JSON text (UTF-8 bytes). Raises
    bad_request(...) on invalid input.

    ``switches`` (AnalyticsSwitches): without p95/p99 under ``analytics_percentiles`` absent; a success's
    errorType NONE under ``success_error_type`` NONE.
    """
    # Millions of short-lived ints and no cycles: the cyclic collector would only rescan the world.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _run_query(org, body, bad_request, switches)
    finally:
        if collecting:
            gc.enable()


def _run_query(org, body, bad_request, switches):
    interval = parse_interval(body.get("interval"))
    if interval is None:
        raise bad_request("interval must be an ISO-8601 interval start/end with start before end.",
                          field="interval")
    metrics = body.get("metrics")
    if not isinstance(metrics, list) or not metrics or any(m != METRIC for m in metrics):
        raise bad_request("metrics is required and may only hold tTotalExecution.", field="metrics")
    group_by = body.get("groupBy") or []
    if not isinstance(group_by, list) or any(g not in DIMENSIONS for g in group_by):
        raise bad_request("groupBy may only hold %s." % ", ".join(DIMENSIONS), field="groupBy")
    filtered = set()
    matches = _compile_filter(body.get("filter"), bad_request, filtered)
    # Grouped by errorType, with no other per-execution dimension read: split each action's slice by error code.
    by_error_type = ("errorType" in group_by and not filtered & EXECUTION_DIMENSIONS
                     and not (EXECUTION_DIMENSIONS - {"errorType"}).intersection(group_by))
    used = filtered | set(group_by)
    views = _views(body.get("views"), bad_request)
    start, end = interval
    percentiles = switches is None or switches.analytics_percentiles == "filled"
    labels = ERROR_TYPES
    if switches is not None and switches.success_error_type == "NONE":
        labels = ("NONE",) + ERROR_TYPES[1:]
    groups = _collect(org, start, end, group_by, matches, bool(used & EXECUTION_DIMENSIONS), by_error_type, labels)
    if not groups:
        # Like the real API, an empty answer has no `results` at all.
        return b"{}"
    # The answer is written as JSON text here, a group at a time: 13,000 groups of 20 views as objects to
    # encode afterwards would be half a million small dicts, most of the query's time.
    encode = json.JSONEncoder(separators=(",", ":"), check_circular=False).encode
    views_text = "[%s]" % ",".join('{"name":%s,"stats":{"count":%%d}}' % encode(name).replace("%", "%%")
                                   for name, dummy, dummy in views)
    data_head = '{"interval":%s,"metrics":[{"metric":%s,"stats":' % (encode(body["interval"]), encode(METRIC))
    bisect_left = bisect.bisect_left
    results = []
    for key in sorted(groups, key=lambda k: tuple("" if v is None else str(v) for v in k)):
        durations = _sorted(groups[key])
        count = len(durations)
        stats = {"max": durations[-1], "min": durations[0], "count": count, "sum": sum(durations)}
        if percentiles:
            stats.update(p95=_percentile(durations, 95), p99=_percentile(durations, 99))
        data = data_head + encode(stats) + "}]"
        if views:
            # A view counts gte <= duration < lt: two bisects each.
            data += ',"views":' + views_text % tuple(
                max(0, (count if lt is None else bisect_left(durations, lt)) - (0 if not gte else bisect_left(durations, gte)))
                for dummy, gte, lt in views)
        group = dict((g, v) for g, v in zip(group_by, key) if v is not None)
        results.append('{"group":%s,"data":[%s}]}' % (encode(group), data))
    return ('{"results":[%s]}' % ",".join(results)).encode("utf-8")

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
import math

from .world import ERROR_TYPES

METRIC = "tTotalExecution"
DIMENSIONS = ("actionCategory", "actionId", "actionName", "correlationId", "errorType", "integrationId",
              "integrationName", "responseStatus")
# Dimensions that vary per execution; a query without them is answered per action, never per execution.
EXECUTION_DIMENSIONS = frozenset(("correlationId", "errorType", "responseStatus"))
_STATUS_BY_ERROR = {None: "200", "timeout": "504", "remote_endpoint": "502"}


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


def _view_count(ordered, gte, lt):
    low = 0 if gte is None else bisect.bisect_left(ordered, gte)
    high = len(ordered) if lt is None else bisect.bisect_left(ordered, lt)
    return max(0, high - low)


def _collect(org, start, end, group_by, matches, per_execution):
    """{group key: [chunk of durations, ...]} of the executions in [start, end) that match the filter."""
    groups = {}
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
        if not per_execution:
            # Every execution of this action has the same dimension values: decide once, take the slice.
            if matches(base):
                groups.setdefault(tuple(base.get(g) for g in group_by), []).append(history.durations[lo:hi])
            continue
        durations, errors = history.durations, history.errors
        chunks = {}
        for index in range(lo, hi):
            error_type = ERROR_TYPES[errors[index]]
            values = dict(base, errorType=error_type, responseStatus=_STATUS_BY_ERROR.get(error_type, "500"))
            if matches(values):
                chunks.setdefault(tuple(values.get(g) for g in group_by), []).append(durations[index])
        for key, chunk in chunks.items():
            groups.setdefault(key, []).append(chunk)
    return groups


def _sorted(chunks):
    return sorted(chunks[0]) if len(chunks) == 1 else sorted(itertools.chain.from_iterable(chunks))


def run_query(org, body, bad_request):
    """Answer an ActionAggregationQuery body for one org. Raises bad_request(...) on invalid input."""
    # Millions of short-lived ints and no cycles: the cyclic collector would only rescan the world.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _run_query(org, body, bad_request)
    finally:
        if collecting:
            gc.enable()


def _run_query(org, body, bad_request):
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
    used = set(group_by)
    matches = _compile_filter(body.get("filter"), bad_request, used)
    views = _views(body.get("views"), bad_request)
    start, end = interval
    groups = _collect(org, start, end, group_by, matches, bool(used & EXECUTION_DIMENSIONS))
    if not groups:
        # Like the real API, an empty answer has no `results` at all.
        return {}
    results = []
    for key in sorted(groups, key=lambda k: tuple("" if v is None else str(v) for v in k)):
        durations = _sorted(groups[key])
        stats = {"max": durations[-1], "min": durations[0], "count": len(durations), "sum": sum(durations),
                 "p95": _percentile(durations, 95), "p99": _percentile(durations, 99)}
        data = {"interval": body["interval"], "metrics": [{"metric": METRIC, "stats": stats}]}
        if views:
            data["views"] = [{"name": name, "stats": {"count": _view_count(durations, gte, lt)}}
                             for name, gte, lt in views]
        group = {g: v for g, v in zip(group_by, key) if v is not None}
        results.append({"group": group, "data": [data]})
    return {"results": results}

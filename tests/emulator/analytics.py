# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesyscloud.cx contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""POST /api/v2/analytics/actions/aggregates/query over recorded and seeded executions."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import datetime
import math

METRIC = "tTotalExecution"
DIMENSIONS = ("actionCategory", "actionId", "actionName", "correlationId", "errorType", "integrationId",
              "integrationName", "responseStatus")
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


def _compile_filter(spec, bad_request):
    """-> function(values dict) -> bool."""
    if spec is None:
        return lambda values: True
    if not isinstance(spec, dict) or spec.get("type") not in ("and", "or"):
        raise bad_request("filter.type must be and or or.", field="filter.type")
    predicates = spec.get("predicates", [])
    _check_predicates(predicates, bad_request, "filter.predicates")
    clauses = spec.get("clauses", [])
    if not isinstance(clauses, list):
        raise bad_request("filter.clauses must be a list.", field="filter.clauses")
    compiled = [_compile_filter(clause, bad_request) for clause in clauses]

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
    for index, view in enumerate(spec):
        field = "views[%d]" % index
        if not isinstance(view, dict) or view.get("target") != METRIC or view.get("function") != "rangeBound":
            raise bad_request("a view needs target tTotalExecution and function rangeBound.", field=field)
        bounds = view.get("range") or {}
        if not isinstance(bounds, dict):
            raise bad_request("range must be an object.", field=field + ".range")
        for key in ("gte", "lt"):
            if key in bounds and (isinstance(bounds[key], bool) or not isinstance(bounds[key], (int, float))):
                raise bad_request("range.%s must be a number." % key, field="%s.range.%s" % (field, key))
        views.append((view.get("name") or "view%d" % index, bounds.get("gte"), bounds.get("lt")))
    return views


def _percentile(ordered, percent):
    rank = max(1, int(math.ceil(percent / 100.0 * len(ordered))))
    return int(ordered[rank - 1])


def run_query(org, body, bad_request):
    """Answer an ActionAggregationQuery body for one org. Raises bad_request(...) on invalid input."""
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
    matches = _compile_filter(body.get("filter"), bad_request)
    views = _views(body.get("views"), bad_request)
    start, end = interval
    groups = {}
    for action_id, history in org.executions.items():
        action = org.actions.get(action_id)
        if action is None or not history:
            continue
        base = _dimension_values(org, action)
        for moment, duration, error_type in history:
            if not start <= moment < end:
                continue
            values = dict(base, errorType=error_type, responseStatus=_STATUS_BY_ERROR.get(error_type, "500"))
            if not matches(values):
                continue
            key = tuple(values.get(g) for g in group_by)
            groups.setdefault(key, []).append(duration)
    if not groups:
        # Like the real API, an empty answer has no `results` at all.
        return {}
    results = []
    for key in sorted(groups, key=lambda k: tuple("" if v is None else str(v) for v in k)):
        durations = sorted(groups[key])
        stats = {"max": durations[-1], "min": durations[0], "count": len(durations), "sum": sum(durations),
                 "p95": _percentile(durations, 95), "p99": _percentile(durations, 99)}
        data = {"interval": body["interval"], "metrics": [{"metric": METRIC, "stats": stats}]}
        if views:
            data["views"] = [
                {"name": name, "stats": {"count": sum(1 for d in durations
                                                      if (gte is None or d >= gte) and (lt is None or d < lt))}}
                for name, gte, lt in views]
        group = {g: v for g, v in zip(group_by, key) if v is not None}
        results.append({"group": group, "data": [data]})
    return {"results": results}

# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesyscloud.cx contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Inputs shaped like data_action_info and data_action_timeout returns, for the report filters."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import copy

import pytest

XSS = '<script>alert("x")</script> | <img src=x onerror=alert(1)>'
WHEN = "2026-03-15T09:15:00Z"


def action(id_, name, timeout, version=1, kind="custom", category="CRM"):
    return {"id": id_, "name": name, "category": category, "integration_id": "int-1", "secure": False,
            "version": version, "timeout_seconds": timeout, "kind": kind}


def result(id_, name, status, before, after, version_before, version_after, msg=""):
    return {"id": id_, "name": name, "status": status, "timeout_seconds_before": before,
            "timeout_seconds_after": after, "version_before": version_before,
            "version_after": version_after, "msg": msg}


@pytest.fixture
def data_actions():
    """Seven actions: two low, one unset, one fine, one at the edge, a static and an auth action."""
    return [
        action("custom_-_b", "Lookup account", 3, version=4),
        action("custom_-_a", "Get order", 1, version=2, category="ERP"),
        action("custom_-_c", "Create case", None, version=7),
        action("custom_-_d", "Search invoices", 30, version=1, category="Billing"),
        action("custom_-_e", "Validate card", 4, version=9, category="Billing"),
        action("static_-_x", "Send SMS (built-in)", None, kind="static", category="Genesys"),
        action("customAuth_-_int-1", "Auth", None, kind="custom_auth"),
    ]


@pytest.fixture
def real_results():
    """What data_action_timeout returns for a real remediation with one failure and one drift."""
    return [
        result("custom_-_a", "Get order", "updated", 1, 10, 2, 3),
        result("custom_-_b", "Lookup account", "drifted", 3, 3, 5, 5,
               "version is 5, the plan was approved at 4"),
        result("custom_-_c", "Create case", "failed", None, None, 7, 7,
               "PATCH /api/v2/integrations/actions/custom_-_c: HTTP 500, correlation id 1234"),
    ]


@pytest.fixture
def check_results():
    return [
        result("custom_-_a", "Get order", "would_update", 1, 10, 2, 3),
        result("custom_-_b", "Lookup account", "would_update", 3, 10, 4, 5),
        result("custom_-_c", "Create case", "would_update", None, 10, 7, 8),
    ]


def stats(executions, p99_ms, max_ms=None, reached=0, mean_ms=None):
    return {"executions": executions, "mean_ms": mean_ms if mean_ms is not None else p99_ms // 2,
            "p95_ms": p99_ms, "p99_ms": p99_ms, "max_ms": max_ms if max_ms is not None else p99_ms,
            "reached_timeout": reached}


def module_result(id_, name, status, before, after, version_before, version_after, msg="", category="CRM",
                  kind="custom", observed=None, verdict=None, recommended=None, recommendation=None, with_stats=None):
    """One entry of data_action_timeout's results with list_all, as plugins/module_utils builds it.

    The module adds the observed keys only when it read observed times (``with_stats``, by default when any is given).
    """
    entry = {"id": id_, "name": name, "category": category, "kind": kind, "integration_id": "int-1", "secure": False,
             "status": status, "timeout_seconds_before": before, "timeout_seconds_after": after,
             "effective_timeout_seconds_before": 60 if before is None else before,
             "effective_timeout_seconds_after": 60 if after is None else after,
             "version_before": version_before, "version_after": version_after, "msg": msg}
    if with_stats or (with_stats is None and (observed, verdict, recommended, recommendation) != (None,) * 4):
        entry.update(stats=observed, verdict=verdict, recommended_timeout_seconds=recommended,
                     recommendation=recommendation)
    return entry


STATS_OPTIONS = {"days": 7, "headroom": 3.0, "min_executions": 30, "at_risk_share": 0.5}


@pytest.fixture
def audit_results():
    """A check-mode audit with list_all and stats: every verdict once, and every status an audit gives."""
    return [
        module_result("custom_-_a", "Get order", "would_update", 1, 10, 2, None, "timeout 1 s -> 10 s", category="ERP",
                      observed=stats(400, 1000, reached=40), verdict="timing_out", recommended=4,
                      recommendation="40 of 400 executions in the last 7 days ran to the 1 s timeout"),
        module_result("custom_-_b", "Lookup account", "would_update", 3, 10, 4, None, "timeout 3 s -> 10 s",
                      observed=stats(900, 2000), verdict="at_risk", recommended=6,
                      recommendation="the p99 (2000 ms) uses more than 50% of it"),
        module_result("custom_-_c", "Create case", "ok", None, None, 7, 7, "timeout unset (60 s) is above 3 s",
                      observed=stats(400, 300), verdict="oversized", recommended=1,
                      recommendation="the observed times call for 1 s, but the timeout is 60 s"),
        module_result("custom_-_d", "Search invoices", "ok", 30, 30, 1, 1, "timeout 30 s is above 3 s",
                      category="Billing", observed=stats(120, 5000, max_ms=7000), verdict="ok", recommended=15,
                      recommendation="the 30 s timeout fits the observed times"),
        module_result("custom_-_e", "Validate card", "not_selected", 2, 2, 9, 9,
                      "timeout 2 s is at or below 3 s, but its category 'Billing' is in category_exclude",
                      category="Billing", observed=stats(5, 100), verdict="no_data",
                      recommendation="only 5 executions in the last 7 days"),
        # analytics returned nothing for it (an action newer than the query)
        module_result("custom_-_f", "Refund", "ok", 4, 4, 3, 3, "timeout 4 s is above 3 s", with_stats=True),
        module_result("static_-_x", "Send SMS (built-in)", "not_applicable", None, None, 1, 1,
                      "built-in static action: the public API cannot update it", category="Genesys", kind="static",
                      observed=stats(0, 0), verdict="no_data"),
        module_result("customAuth_-_int-1", "Auth", "not_applicable", None, None, 1, 1,
                      "custom authentication action: timeoutSeconds is invalid for it", kind="custom_auth",
                      with_stats=True),
    ]


def action_test(id_, name, success, duration_ms, timed_out=False, error=None, skipped=False):
    """What data_action_test returns (output and operations included: a report must never copy them)."""
    result = {"id": id_, "name": name, "draft": False, "secure": False, "success": success,
              "duration_ms": duration_ms, "timeout_seconds": 3, "effective_timeout_seconds": 3,
              "timed_out": timed_out, "error": error, "msg": "",
              "operations": [{"step": 1, "name": "Execute request", "success": success,
                              "result": {"ssn": "078-05-1120"}}],
              "output": {"accountName": "Customer Secret Ltd"} if success else None}
    if skipped:
        result.update(skipped=True, success=None, duration_ms=None, timed_out=None)
    return result


def schema_1(report):
    """A report as collection 0.1.0 wrote it: at_risk rows and count, no effective or observed keys."""
    old = copy.deepcopy(report)
    old.update(schema_version=1, include_unset=True)
    for key in ("use_stats", "stats_options", "warnings"):
        old.pop(key)
    for row in old["rows"]:
        for key in ("effective_timeout_seconds_before", "effective_timeout_seconds_after", "stats", "verdict",
                    "recommended_timeout_seconds", "recommendation", "verify"):
            del row[key]
        if row["status"] == "would_update" and old["mode"] == "audit":
            row["status"] = "at_risk"
    summary = old["summary"]
    summary["at_risk"] = summary.pop("low")
    summary["by_status"]["at_risk"] = summary["by_status"].pop("would_update")
    for key in ("restored", "by_verdict", "verify"):
        summary.pop(key)
    return old

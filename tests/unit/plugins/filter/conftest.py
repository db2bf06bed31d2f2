# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesyscloud.cx contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Inputs shaped like data_action_info and data_action_timeout returns, for the report filters."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

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

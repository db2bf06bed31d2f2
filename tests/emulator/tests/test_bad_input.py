# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesyscloud.cx contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Bad input anywhere gets a 4xx ErrorBody, never a 500, and never changes state."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from .conftest import ACTIONS, FAST, FUNC, SLOW

BAD_REQUESTS = [
    ("PATCH", "%s/%s" % (ACTIONS, SLOW), b"{"),
    ("PATCH", "%s/%s" % (ACTIONS, SLOW), b"null"),
    ("PATCH", "%s/%s" % (ACTIONS, SLOW), b'{"version": null}'),
    ("PATCH", "%s/%s" % (ACTIONS, SLOW), b'{"version": 3, "config": {"timeoutSeconds": 1e3}}'),
    ("PATCH", "%s/%s" % (ACTIONS, SLOW), b'{"version": 3, "config": {"request": {"headers": [1]}}}'),
    ("PATCH", "%s/%s" % (ACTIONS, SLOW), b'{"version": 3, "config": {"response": 5}}'),
    ("PATCH", "%s/custom_-_missing" % ACTIONS, b'{"version": 1}'),
    ("PATCH", "%s/%s/draft" % (ACTIONS, SLOW), b'{"version": 1}'),
    ("POST", "%s/%s/draft/publish" % (ACTIONS, SLOW), b'{"version": 1}'),
    ("POST", "%s/%s/test" % (ACTIONS, FAST), b"[]"),
    ("POST", "%s/%s/execute" % (ACTIONS, FAST), b"{oops"),
    ("POST", "%s/custom_-_missing/execute" % ACTIONS, b"{}"),
    ("PUT", "%s/%s/draft/function" % (ACTIONS, FUNC), b'{"timeoutSeconds": 5}'),
    ("GET", "%s/%s/draft/function" % (ACTIONS, FAST), None),
    ("POST", "/api/v2/analytics/actions/aggregates/query", b"{}"),
    ("POST", "/api/v2/analytics/actions/aggregates/query", b'{"interval": 5, "metrics": "x"}'),
    ("GET", ACTIONS + "?pageSize=1000000000000000000000", None),
    ("GET", ACTIONS + "?pageNumber=-3", None),
    ("GET", ACTIONS + "/drafts?pageSize=600", None),
]


def test_bad_input_never_500_never_changes_state(emu, api):
    pristine = emu.state()
    for method, path, raw in BAD_REQUESTS:
        response = api(method, path, data=raw, headers={"Content-Type": "application/json"})
        assert 400 <= response.status_code < 500, (method, path, response.status_code, response.text)
        body = response.json()
        assert body["contextId"] == response.headers["ININ-Correlation-Id"], (method, path)
        assert body["status"] == response.status_code
    assert emu.state() == pristine
    log = emu.requests()
    assert all(400 <= e["status"] < 500 for e in log["requests"] if e["route"] != "POST /oauth/token")


def test_oversized_body_is_413_error_body(emu, api):
    response = api.patch("%s/%s" % (ACTIONS, SLOW), data=b"{" + b" " * (3 * 1024 * 1024) + b"}",
                         headers={"Content-Type": "application/json"})
    assert response.status_code == 413
    assert response.json()["contextId"] == response.headers["ININ-Correlation-Id"]

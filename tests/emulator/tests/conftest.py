# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesyscloud.cx contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Fixtures for the emulator's own tests: one real emulator process per test module, reset between tests."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import pytest
import requests

from tests.emulator.harness import Emulator

ACTIONS = "/api/v2/integrations/actions"

# A small, fully known world: every kind of action the hard edges are about.
CRM = "11111111-1111-4111-8111-111111111111"
FUNCS = "22222222-2222-4222-8222-222222222222"
SLOW = "custom_-_aaaaaaaa-0000-4000-8000-000000000001"
FAST = "custom_-_aaaaaaaa-0000-4000-8000-000000000002"
UNSET = "custom_-_aaaaaaaa-0000-4000-8000-000000000003"
SECURE = "custom_-_aaaaaaaa-0000-4000-8000-000000000004"
FUNC = "custom_-_aaaaaaaa-0000-4000-8000-000000000005"
STATIC = "static_-_bbbbbbbb-0000-4000-8000-000000000001"
AUTH = "customAuth_-_" + CRM
OTHER_ORG_ACTION = "custom_-_cccccccc-0000-4000-8000-000000000001"


def _config(timeout=None, extra=True):
    config = {
        "request": {"requestUrlTemplate": "https://crm.example.com/a/${input.id}", "requestType": "GET",
                    "headers": {"Accept": "application/json"}, "requestTemplate": "${input.rawRequest}"},
        "response": {"translationMap": {"tier": "$.tier"}, "translationMapDefaults": {"tier": "\"\""},
                     "successTemplate": "{\"tier\": ${tier}}"},
    }
    if timeout is not None:
        config["timeoutSeconds"] = timeout
    if extra:
        config["retryPolicy"] = {"maxAttempts": 2}
    return config


SEED = {"orgs": [
    {"id": "org-a", "name": "Org A",
     "clients": [{"client_id": "a-admin", "client_secret": "a-secret", "permissions": ["*"]},
                 {"client_id": "a-reader", "client_secret": "r-secret", "permissions": ["integrations:action:view"]},
                 {"client_id": "a-nobody", "client_secret": "n-secret", "permissions": []},
                 {"client_id": "a-bridge", "client_secret": "br-secret",
                  "permissions": ["bridge:actions:view", "bridge:actions:execute"]},
                 {"client_id": "a-editor", "client_secret": "e-secret",
                  "permissions": ["integrations:action:view", "integrations:action:edit"]}],
     "integrations": [{"id": CRM, "name": "CRM", "integrationType": "custom-rest-actions"},
                      {"id": FUNCS, "name": "Functions", "integrationType": "function-data-actions"}],
     "actions": [
         {"id": SLOW, "name": "Lookup Account", "category": "CRM", "integrationId": CRM, "version": 3,
          "config": _config(2), "backend": {"latency_ms": 4000},
          "executions": [100, 200, 300, 400, 5000]},
         {"id": FAST, "name": "Get Tier", "category": "CRM", "integrationId": CRM, "version": 1,
          "config": _config(10, extra=False), "backend": {"latency_ms": 20}, "executions": [50, 60]},
         {"id": UNSET, "name": "Open Cases", "category": "Cases", "integrationId": CRM, "version": 5,
          "config": _config(None)},
         {"id": SECURE, "name": "Payment Token", "category": "Payments", "integrationId": CRM, "version": 2,
          "secure": True, "config": _config(3)},
         {"id": FUNC, "name": "Score Fraud", "category": "Functions", "integrationId": FUNCS, "version": 1,
          "config": _config(5), "function_timeout_seconds": 8},
         {"id": STATIC, "name": "Get User", "category": "Genesys", "integrationId": CRM, "version": 1,
          "config": _config(2)},
         {"id": AUTH, "name": "CRM Custom Auth", "category": "CRM", "integrationId": CRM, "version": 1,
          "secure": True, "config": _config(None, extra=False)},
     ]},
    {"id": "org-b", "name": "Org B",
     "clients": [{"client_id": "b-admin", "client_secret": "b-secret", "permissions": ["*"]}],
     "integrations": [{"id": CRM, "name": "CRM", "integrationType": "custom-rest-actions"}],
     "actions": [{"id": OTHER_ORG_ACTION, "name": "Lookup Account", "category": "CRM", "integrationId": CRM,
                  "version": 1, "config": _config(2)}]},
]}


class Api:
    """A requests session bound to one emulator and one client's token."""

    def __init__(self, emu, client_id="a-admin", client_secret="a-secret"):
        self.emu = emu
        self.session = requests.Session()
        self.session.headers["Authorization"] = "Bearer " + emu.token(client_id, client_secret)

    def __call__(self, method, path, **kwargs):
        kwargs.setdefault("timeout", 30)
        return self.session.request(method, self.emu.url + path, **kwargs)

    def get(self, path, **kwargs):
        return self("GET", path, **kwargs)

    def patch(self, path, **kwargs):
        return self("PATCH", path, **kwargs)

    def post(self, path, **kwargs):
        return self("POST", path, **kwargs)

    def put(self, path, **kwargs):
        return self("PUT", path, **kwargs)


def assert_error_body(response, status, code=None):
    """Every error is an ErrorBody whose contextId is the response's correlation id."""
    assert response.status_code == status, response.text
    body = response.json()
    assert body["status"] == status
    assert body["contextId"] == response.headers["ININ-Correlation-Id"]
    assert isinstance(body["message"], str) and body["message"]
    if code is not None:
        assert body["code"] == code, body
    return body


# The issue-9 switches at their defaults (today's behaviour); the emu fixture restores them between tests.
DEFAULT_SWITCHES = {"templates_by_uri": 0, "pending_drafts": 0, "patch_answer": "with-config", "conflict_wording": "a", "token_throttle_field": "both",
                    "omit_retry_after": False}
# The rate-limit switches at their defaults: no limit, sliding windows, refused requests not counted, full 429s.
RATE_LIMIT_SWITCHES = {"org_rate_limit": "", "rate_window": "sliding", "count_refused": False, "omit_retry_seconds": False}
# Dependency tracking built and operational.
DEPENDENCY_SWITCHES = {"dependency_build_status": "OPERATIONAL", "consumers_while_rebuilding": "state-unknown"}


@pytest.fixture(scope="module")
def emu_args():
    return []


@pytest.fixture(scope="module")
def emulator(emu_args):
    with Emulator(args=["--random-seed", "7"] + list(emu_args), seed=SEED) as emu:
        yield emu


@pytest.fixture
def emu(emulator):
    emulator.reset()
    emulator.configure(faults="", rate_limit="", token_rate_limit="", latency_ms=0, patch_semantics="replace",
                       conflict_status=409, token_ttl=86400, time_scale=1.0, unset_timeout_seconds=60,
                       **dict(DEFAULT_SWITCHES, **dict(RATE_LIMIT_SWITCHES, **DEPENDENCY_SWITCHES)))
    yield emulator


@pytest.fixture
def api(emu):
    return Api(emu)

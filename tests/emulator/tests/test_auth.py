# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesyscloud.cx contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""OAuth client credentials, token expiry and limits, permissions, headers on every response."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import time

import pytest
import requests

from tests.emulator.harness import Emulator

from .conftest import ACTIONS, FAST, FUNC, SLOW, Api, assert_error_body


def _token(emu, client_id, secret, **kwargs):
    return requests.post(emu.url + "/oauth/token", data={"grant_type": "client_credentials"},
                         auth=(client_id, secret), timeout=10, **kwargs)


def test_token_for_good_credentials(emu):
    response = _token(emu, "a-admin", "a-secret")
    assert response.status_code == 200
    body = response.json()
    assert body["token_type"] == "bearer" and body["expires_in"] == 86400 and len(body["access_token"]) > 20
    assert response.headers["ININ-Correlation-Id"]
    entry = emu.requests()["requests"][-1]
    assert (entry["route"], entry["client_id"], entry["org"], entry["write"]) == (
        "POST /oauth/token", "a-admin", "org-a", False)


@pytest.mark.parametrize("client_id,secret,description", [
    ("nobody", "x", "client not found"), ("a-admin", "wrong", "authentication failed")])
def test_bad_credentials_are_401_oauth_errors(emu, client_id, secret, description):
    response = _token(emu, client_id, secret)
    assert response.status_code == 401
    body = response.json()
    assert body == {"error": "invalid_client", "description": description, "error_description": description}
    assert "wrong" not in response.text and "a-secret" not in response.text


def test_token_needs_basic_auth_and_the_grant(emu):
    assert requests.post(emu.url + "/oauth/token", data={"grant_type": "client_credentials"}).status_code == 401
    wrong_grant = requests.post(emu.url + "/oauth/token", data={"grant_type": "password"}, auth=("a-admin", "a-secret"))
    assert wrong_grant.status_code == 400 and wrong_grant.json()["error"] == "unsupported_grant_type"


def test_token_creation_beyond_its_limit_is_400_not_429(emu):
    emu.configure(token_rate_limit="2/60")
    assert _token(emu, "a-admin", "a-secret").status_code == 200
    assert _token(emu, "a-admin", "a-secret").status_code == 200
    third = _token(emu, "a-admin", "a-secret")
    assert third.status_code == 400
    body = third.json()
    assert body["error"] == "invalid_request"
    assert body["description"].startswith("rate limit exceeded;")
    assert body["error_description"] == body["description"], "both fields by default"
    assert _token(emu, "b-admin", "b-secret").status_code == 200, "the limit is per client"


def test_expired_token_is_refused_with_401(emu):
    emu.configure(token_ttl=1)
    token = _token(emu, "a-admin", "a-secret").json()["access_token"]
    headers = {"Authorization": "Bearer " + token}
    assert requests.get(emu.url + ACTIONS, headers=headers).status_code == 200
    time.sleep(1.2)
    assert_error_body(requests.get(emu.url + ACTIONS, headers=headers), 401, "bad.credentials")


@pytest.mark.parametrize("header", [None, "Bearer not-a-token", "Basic YTpi"])
def test_api_without_a_valid_token_is_401(emu, header):
    headers = {"Authorization": header} if header else {}
    response = requests.get(emu.url + ACTIONS, headers=headers)
    assert_error_body(response, 401)
    assert not [h for h in response.headers if h.lower().startswith("inin-ratelimit")]


def test_missing_permission_is_403_naming_it(emu):
    reader = Api(emu, "a-reader", "r-secret")
    assert reader.get(ACTIONS).status_code == 200
    response = reader.patch("%s/%s" % (ACTIONS, FAST), json={"version": 1, "name": "x"})
    error = assert_error_body(response, 403, "missing.any.permissions")
    assert "integrations:action:edit" in error["message"]
    assert "integrations:action:edit" in error["messageParams"]["permissions"]
    assert emu.actions("org-a")[FAST]["version"] == 1
    assert_error_body(reader.post("%s/%s/test" % (ACTIONS, FAST), json={}), 403, "missing.any.permissions")
    assert_error_body(reader.get("%s/%s/function" % (ACTIONS, FUNC)), 403, "missing.any.permissions")
    nobody = Api(emu, "a-nobody", "n-secret")
    error = assert_error_body(nobody.get(ACTIONS), 403, "missing.any.permissions")
    assert "integrations:action:view" in error["message"]


def test_every_api_response_has_a_correlation_id_and_no_rate_limit_headers(emu, api):
    for response in (api.get(ACTIONS), api.get(ACTIONS + "/nope"), api.get("%s/%s" % (ACTIONS, SLOW))):
        assert response.headers["ININ-Correlation-Id"]
        assert not [h for h in response.headers if h.lower().startswith("inin-ratelimit")], "removed in 2021"
    ids = set(r.headers["ININ-Correlation-Id"] for r in (api.get(ACTIONS), api.get(ACTIONS)))
    assert len(ids) == 2


def test_default_world_serves_demo_client():
    with Emulator(args=["--generate", "5"]) as emu:
        api = Api(emu, "demo-client", "demo-secret")
        assert api.get(ACTIONS).json()["total"] >= 5
        assert list(emu.state()["orgs"]) == ["demo"]

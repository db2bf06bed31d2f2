# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesyscloud.cx contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import base64
import json
import threading
import time

import pytest

from ansible_collections.genesyscloud.cx.plugins.module_utils import client as client_module
from ansible_collections.genesyscloud.cx.plugins.module_utils import errors as errors_module
from ansible_collections.genesyscloud.cx.plugins.module_utils._interruption import Waits
from ansible_collections.genesyscloud.cx.plugins.module_utils.client import RetryPolicy
from ansible_collections.genesyscloud.cx.plugins.module_utils.errors import (
    ApiError,
    AuthenticationError,
    ConnectionFailedError,
    NotFoundError,
    OutcomeUnknownError,
    PermissionDeniedError,
    RateLimitedError,
    RunStoppedError,
    ServerError,
    VersionConflictError,
)
from tests.unit.plugins.fake_api import ACTIONS, Fault, FakeGenesysCloud, make_action


def _fake_with(n, **kwargs):
    return FakeGenesysCloud([make_action("Action %03d" % i) for i in range(n)], **kwargs)


def _assert_clean(text, fake, client_secret="csecret"):
    assert client_secret not in text
    for token in fake.tokens:
        assert token not in text
    assert "tok-" not in text


# ---- auth ---------------------------------------------------------------------------------------
def test_one_token_serves_every_request_of_a_run(fake, make_client):
    client = make_client(fake)
    for dummy in range(5):
        client.get(ACTIONS, {"pageSize": 1})
    assert len(fake.requests_for("POST", "/oauth/token")) == 1
    token_request = fake.requests_for("POST", "/oauth/token")[0]
    assert token_request["body"] == "grant_type=client_credentials"
    assert token_request["headers"]["Authorization"].startswith("Basic ")


def test_the_environment_is_read_once_per_host_and_a_netrc_never_replaces_the_token(
        fake, make_client, monkeypatch, tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    (home / ".netrc").write_text("machine api.fake.test login someone password other\n"
                                 "machine login.fake.test login someone password other\n")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("NETRC", str(home / ".netrc"))
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.example:3128")
    monkeypatch.setenv("NO_PROXY", "login.fake.test")
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", "/etc/ssl/inspecting-proxy.pem")
    reads = []
    real = client_module.get_environ_proxies
    monkeypatch.setattr(client_module, "get_environ_proxies", lambda url: reads.append(url) or real(url))
    client = make_client(fake)
    for dummy in range(5):
        client.get(ACTIONS, {"pageSize": 1})
    assert len(reads) == 2  # the login host and the API host, once each
    token, api = fake.transport[0], fake.transport[1:]
    assert token["proxies"].get("https") is None  # NO_PROXY
    assert all(sent["proxies"]["https"] == "http://proxy.example:3128" for sent in api)
    assert all(sent["verify"] == "/etc/ssl/inspecting-proxy.pem" for sent in fake.transport)
    assert fake.requests_for("POST", "/oauth/token")[0]["headers"]["Authorization"] == "Basic " + base64.b64encode(
        b"cid:csecret").decode("ascii")
    assert all(r["headers"]["Authorization"] == "Bearer " + list(fake.tokens)[0] for r in fake.requests_for("GET", ACTIONS))
    # ca_path wins over REQUESTS_CA_BUNDLE; validate_certs: false is never overridden by the environment.
    for kwargs, verify in (({"ca_path": "/etc/ssl/org.pem"}, "/etc/ssl/org.pem"), ({"validate_certs": False}, False)):
        fake.transport[:] = []
        make_client(fake, **kwargs).get(ACTIONS)
        assert [sent["verify"] for sent in fake.transport] == [verify, verify]


def test_expired_token_is_renewed_once_and_the_request_repeated(fake, make_client):
    client = make_client(fake)
    client.get(ACTIONS)
    fake.expire_tokens()
    assert client.get(ACTIONS)["total"] == 0
    assert len(fake.requests_for("POST", "/oauth/token")) == 2


def test_token_is_renewed_on_each_expiry_however_many(fake, make_client):
    client = make_client(fake)
    client.get(ACTIONS)
    # A long run with short-lived tokens (an OAuth client's may live 5 minutes): every expiry is renewed.
    for dummy in range(12):
        fake.expire_tokens()
        client.get(ACTIONS)  # each expiry costs one new token, then the request goes through
    assert len(fake.requests_for("POST", "/oauth/token")) == 13


def test_a_fresh_token_refused_at_once_is_not_renewed_again(fake, make_client):
    client = make_client(fake)
    client.get(ACTIONS)
    fake.expire_tokens()
    fake.refuse_tokens = True  # every token is now refused: not an expiry, the credentials lost their grant
    with pytest.raises(AuthenticationError) as info:
        client.get(ACTIONS)
    assert len(fake.requests_for("POST", "/oauth/token")) == 2  # the first, and one renewal
    message = str(info.value)
    assert "HTTP 401" in message and "GET " + ACTIONS in message and "correlation id corr-" in message
    assert "client_id" in message and "client_secret" in message and "region" in message
    _assert_clean(message, fake)


def test_rejected_access_token_without_credentials_fails_without_token_requests(fake, make_client):
    client = make_client(fake, client_id=None, client_secret=None, access_token="tok-given-by-user-123")
    with pytest.raises(AuthenticationError) as info:
        client.get(ACTIONS)
    assert fake.requests_for("POST", "/oauth/token") == []
    # The fake echoes the token in its error body; the message must not.
    assert "tok-given-by-user-123" not in str(info.value)


def test_given_access_token_is_used_without_requesting_one(fake, make_client):
    fake.tokens["tok-given-123456"] = "cid"
    client = make_client(fake, client_id=None, client_secret=None, access_token="tok-given-123456")
    client.get(ACTIONS)
    assert fake.requests_for("POST", "/oauth/token") == []
    assert fake.log[0]["headers"]["Authorization"] == "Bearer tok-given-123456"


def test_wrong_secret_fails_with_advice_and_without_the_secret(fake, make_client):
    client = make_client(fake, client_secret="wrong-secret-value")
    with pytest.raises(AuthenticationError) as info:
        client.get(ACTIONS)
    message = str(info.value)
    assert "POST /oauth/token" in message and "client_secret" in message
    # The fake's error description repeats the secret; it must be scrubbed.
    assert "wrong-secret-value" not in message
    assert fake.requests_for("GET") == []


def test_token_creation_throttling_is_waited_out(fake, make_client, clock):
    fake.token_throttle = 2
    client = make_client(fake)
    client.get(ACTIONS)
    assert len(fake.requests_for("POST", "/oauth/token")) == 3
    assert len(clock.sleeps) == 2 and all(s > 0 for s in clock.sleeps)


@pytest.mark.parametrize("field", ["description", "error_description", "both"])
def test_token_throttling_is_recognised_from_either_description_field(fake, make_client, clock, field):
    # Which field says "rate limit exceeded; ..." is not documented; the other may hold a generic text.
    fake.token_throttle, fake.token_throttle_field = 1, field
    client = make_client(fake)
    client.get(ACTIONS)
    assert len(fake.requests_for("POST", "/oauth/token")) == 2 and len(clock.sleeps) == 1


def test_a_400_token_answer_that_only_mentions_a_rate_limit_is_an_authentication_error(make_client):
    fake = FakeGenesysCloud()
    original = fake._token

    def refusing(request):
        return fake._response(request, 400, {"error": "invalid_request",
                                             "description": "client not allowed: see the rate limit exceeded docs"})
    fake._token = refusing
    with pytest.raises(AuthenticationError):
        make_client(fake).get(ACTIONS)
    fake._token = original
    assert len(fake.requests_for("POST", "/oauth/token")) == 1


def test_endless_token_throttling_gives_up_with_a_rate_limit_error(fake, make_client):
    fake.token_throttle = 100
    client = make_client(fake)
    with pytest.raises(RateLimitedError) as info:
        client.get(ACTIONS)
    assert len(fake.requests_for("POST", "/oauth/token")) == client.retry_policy.max_rate_limited_attempts
    assert "retry later" in str(info.value)


# ---- error mapping ------------------------------------------------------------------------------
def test_403_names_the_missing_permission(make_client):
    fake = FakeGenesysCloud([make_action("A", action_id="custom_-_a")],
                            clients={"cid": ("csecret", {"integrations:action:view"})})
    client = make_client(fake)
    action = client.get(ACTIONS + "/custom_-_a", {"includeConfig": "true"})
    with pytest.raises(PermissionDeniedError) as info:
        client.patch(ACTIONS + "/custom_-_a", {"version": action["version"], "config": action["config"]})
    message = str(info.value)
    assert info.value.permissions == ["integrations:action:edit"]
    assert "integrations:action:edit" in message and "PATCH %s/custom_-_a" % ACTIONS in message
    assert "correlation id corr-" in message


A = ACTIONS + "/custom_-_a"


@pytest.mark.parametrize("method,path,permissions", [
    ("GET", ACTIONS, ["integrations:action:view", "bridge:actions:view"]),
    ("GET", ACTIONS + "/drafts?pageSize=100", ["integrations:action:view", "bridge:actions:view"]),
    ("GET", A + "/templates/requesttemplate.vm", ["integrations:action:view", "bridge:actions:view"]),
    ("GET", A + "/draft/templates/successtemplate.vm", ["integrations:action:view", "bridge:actions:view"]),
    ("POST", "/api/v2/analytics/actions/aggregates/query", ["integrations:action:view", "bridge:actions:view"]),
    ("PATCH", A, ["integrations:action:edit"]),
    ("PATCH", A + "/draft", ["integrations:action:edit"]),
    ("POST", A + "/draft", ["integrations:action:edit"]),
    ("POST", ACTIONS + "/drafts", ["integrations:action:edit"]),
    ("POST", A + "/draft/publish", ["integrations:action:edit"]),
    ("GET", A + "/draft/validation", ["integrations:action:edit"]),
    ("DELETE", A + "/draft", ["integrations:action:delete"]),
    ("POST", A + "/test", ["integrations:action:execute", "bridge:actions:execute"]),
    ("POST", A + "/execute", ["integrations:action:execute", "bridge:actions:execute"]),
    ("POST", A + "/draft/test", ["integrations:action:execute"]),
    ("GET", A + "/function", ["integrations:actionFunction:view"]),
    ("GET", A + "/draft/function", ["integrations:actionFunction:view"]),
    ("GET", ACTIONS + "/functions/runtimes", ["integrations:actionFunction:view"]),
    ("PUT", A + "/draft/function", ["integrations:actionFunction:edit"]),
    ("POST", A + "/draft/function/upload", ["integrations:actionFunction:edit"]),
    ("GET", "/api/v2/integrations/int-1", ["integrations:integration:view"]),
])
def test_a_403_that_names_no_permission_is_hinted_with_the_calls_own(method, path, permissions):
    error = errors_module.error_from_response(403, method, path, {"message": "Forbidden", "code": "forbidden"}, "c-1")
    assert isinstance(error, PermissionDeniedError) and error.permissions == permissions
    assert "one of these permissions: %s." % ", ".join(permissions) in str(error)
    # What the body names wins: it is the server's own word.
    named = errors_module.error_from_response(403, method, path, {"message": "missing [integrations:action:edit]"})
    assert named.permissions == ["integrations:action:edit"]


def test_a_408_is_a_request_timeout_whose_outcome_a_read_settles():
    error = errors_module.error_from_response(408, "PATCH", A, {"message": "Request timed out", "status": 408}, "c-2")
    assert isinstance(error, errors_module.RequestTimeoutError) and not isinstance(error, VersionConflictError)
    assert "HTTP 408" in str(error) and "read the data action again" in str(error)


def test_404_names_the_action(fake, make_client):
    with pytest.raises(NotFoundError) as info:
        make_client(fake).get(ACTIONS + "/custom_-_missing")
    assert "custom_-_missing" in str(info.value) and "HTTP 404" in str(info.value)


@pytest.mark.parametrize("wording", ["a", "b", "code"])
@pytest.mark.parametrize("status", [400, 409])
def test_version_mismatch_is_a_conflict(make_client, status, wording):
    # Recognised by status, or a 400 whose code, message or details name the version: never one sentence.
    fake = FakeGenesysCloud([make_action("A", action_id="custom_-_a", version=4)], conflict_status=status)
    fake.conflict_wording = wording
    client = make_client(fake)
    action = client.get(ACTIONS + "/custom_-_a", {"includeConfig": "true"})
    with pytest.raises(VersionConflictError) as info:
        client.patch(ACTIONS + "/custom_-_a", {"version": 3, "config": action["config"]})
    assert info.value.status == status


@pytest.mark.parametrize("body,conflict", [
    ({"message": "Version 3 does not match the current version (4)", "code": "bad.request"}, True),
    ({"message": "Action version 3 is stale; the latest version is 4.", "code": "version.mismatch"}, True),
    ({"message": "Bad request", "code": "bad.request", "details": [{"errorCode": "version.mismatch"}]}, True),
    ({"message": "Bad request", "code": "bad.request", "details": [{"fieldName": "version"}]}, True),
    ({"message": "currentVersion is 4", "code": "bad.request"}, True),
    ({"message": "timeoutSeconds must be 1-60", "code": "bad.request"}, False),
    ({"message": "the subversion backend refused", "code": "bad.request"}, False),
    ("not a body", False),
])
def test_a_400_is_a_conflict_when_it_speaks_of_the_version(body, conflict):
    assert errors_module.is_version_conflict(400, body) is conflict
    assert errors_module.is_version_conflict(409, body) is True
    assert errors_module.is_version_conflict(404, body) is False


def test_a_raw_request_returns_the_answer_as_it_came(fake, make_client):
    fake.actions["custom_-_t"] = make_action("T", action_id="custom_-_t")
    response = make_client(fake).request("GET", ACTIONS + "/custom_-_t/templates/requesttemplate.vm", raw=True)
    assert response.status_code == 200 and response.text == '{"name": "${input.name}"}'


def test_a_request_may_carry_its_own_headers_over_the_sessions(fake, make_client):
    fake.actions["custom_-_t"] = make_action("T", action_id="custom_-_t")
    client = make_client(fake)
    client.request("GET", ACTIONS + "/custom_-_t/templates/requesttemplate.vm", raw=True,
                   headers={"Accept": "text/plain, */*"})
    client.get(ACTIONS + "/custom_-_t")
    template, action = [r["headers"] for r in fake.log if r["path"].startswith(ACTIONS)]
    assert template["Accept"] == "text/plain, */*" and action["Accept"] == "application/json"
    assert template["Authorization"] == action["Authorization"] and template["Authorization"].startswith("Bearer ")
    assert template["User-Agent"] == action["User-Agent"]


def test_other_400_is_a_plain_api_error(make_client):
    fake = FakeGenesysCloud([make_action("A", action_id="custom_-_a")])
    client = make_client(fake)
    with pytest.raises(ApiError) as info:
        client.patch(ACTIONS + "/custom_-_a", {"version": 1, "config": {"request": {}, "timeoutSeconds": 99}})
    assert not isinstance(info.value, VersionConflictError)
    assert "timeoutSeconds must be 1-60" in str(info.value)


# ---- retries ------------------------------------------------------------------------------------
def test_429_waits_the_retry_after_then_succeeds_for_writes_too(make_client, clock):
    fake = FakeGenesysCloud([make_action("A", action_id="custom_-_a")])
    client = make_client(fake)
    action = client.get(ACTIONS + "/custom_-_a", {"includeConfig": "true"})
    fake.add_fault("PATCH", ACTIONS, Fault(429, headers={"Retry-After": "7"}))
    answer = client.patch(ACTIONS + "/custom_-_a", {"version": 1, "config": action["config"]})
    assert answer["version"] == 2
    assert len(fake.requests_for("PATCH")) == 2
    assert clock.sleeps == [7.0]


def test_429_without_retry_after_backs_off(fake, make_client, clock):
    fake.add_fault("GET", ACTIONS, Fault(429))
    make_client(fake).get(ACTIONS)
    assert len(clock.sleeps) == 1 and 0 < clock.sleeps[0] <= 1.0


def test_retry_after_longer_than_the_budget_gives_up_at_once(fake, make_client, clock):
    fake.add_fault("GET", ACTIONS, Fault(429, headers={"Retry-After": "3600"}))
    with pytest.raises(RateLimitedError) as info:
        make_client(fake).get(ACTIONS)
    assert clock.sleeps == []
    assert "requests_per_minute" in str(info.value) and "parallel" not in str(info.value)


@pytest.mark.parametrize("status", [500, 502, 503, 504])
def test_gateway_errors_on_reads_are_retried_with_growing_backoff(fake, make_client, clock, status):
    for dummy in range(3):
        fake.add_fault("GET", ACTIONS, Fault(status))
    assert make_client(fake).get(ACTIONS)["total"] == 0
    assert len(fake.requests_for("GET")) == 4
    assert clock.sleeps == [0.5, 1.0, 2.0]  # rand fixed at 1.0: no jitter reduction


def test_dropped_connection_on_a_read_is_retried(fake, make_client):
    fake.add_fault("GET", ACTIONS, Fault(drop=True))
    assert make_client(fake).get(ACTIONS)["total"] == 0
    assert len(fake.requests_for("GET")) == 2


def test_read_retries_are_bounded(fake, make_client, clock):
    for dummy in range(50):
        fake.add_fault("GET", ACTIONS, Fault(503))
    client = make_client(fake)
    with pytest.raises(ServerError) as info:
        client.get(ACTIONS)
    assert len(fake.requests_for("GET")) == client.retry_policy.max_attempts
    assert sum(clock.sleeps) <= client.retry_policy.max_total_seconds
    assert "HTTP 503" in str(info.value)


def test_dropped_connections_on_reads_end_in_a_connection_error(fake, make_client):
    for dummy in range(50):
        fake.add_fault("GET", ACTIONS, Fault(drop=True))
    with pytest.raises(ConnectionFailedError) as info:
        make_client(fake).get(ACTIONS)
    assert "api_base_url" in str(info.value)


@pytest.mark.parametrize("fault", [Fault(500), Fault(503), Fault(drop=True), Fault(504, after=True),
                                   Fault(500, after=True), Fault(drop=True, after=True)])
def test_a_write_without_answer_is_never_resent(make_client, fault):
    fake = FakeGenesysCloud([make_action("A", action_id="custom_-_a")])
    client = make_client(fake)
    action = client.get(ACTIONS + "/custom_-_a", {"includeConfig": "true"})
    fake.add_fault("PATCH", ACTIONS, fault)
    with pytest.raises(OutcomeUnknownError):
        client.patch(ACTIONS + "/custom_-_a", {"version": 1, "config": action["config"]})
    assert len(fake.requests_for("PATCH")) == 1


def test_a_501_is_not_retried(fake, make_client):
    fake.add_fault("GET", ACTIONS, Fault(501))
    with pytest.raises(ServerError):
        make_client(fake).get(ACTIONS)
    assert len(fake.requests_for("GET")) == 1


def test_retry_policy_decisions():
    policy = RetryPolicy(max_attempts=4, max_total_seconds=30, backoff_base=1, backoff_max=8, rand=lambda: 0.0,
                         max_rate_limited_attempts=10, max_rate_limited_seconds=60)
    assert policy.delay(1, 0, rate_limited=True, retry_after=5) == 5
    assert policy.delay(1, 0, rate_limited=True, retry_after=None) == 0.5  # half of base with zero jitter draw
    assert policy.delay(1, 0, transient=True, repeatable=True) == 0.5
    assert policy.delay(1, 0, transient=True, repeatable=False) is None  # a write is settled, not resent
    assert policy.delay(4, 0, transient=True, repeatable=True) is None  # attempts bounded
    assert policy.delay(1, 29.8, transient=True, repeatable=True) is None  # total time bounded
    # 429 means "not processed, come back later": a larger budget, but still a bounded one.
    assert policy.delay(4, 28, rate_limited=True, retry_after=1) == 1
    assert policy.delay(10, 0, rate_limited=True, retry_after=1) is None
    assert policy.delay(1, 58, rate_limited=True, retry_after=5) is None
    assert policy.delay(1, 0) is None  # anything else is final
    assert policy.backoff(10) == 4.0  # capped at backoff_max, halved by the zero draw


def test_rate_limits_do_not_use_up_the_attempts_for_server_errors(fake, make_client):
    client = make_client(fake)
    limit = client.retry_policy.max_attempts
    # As many 429s as a server error may be retried, then that many 503s less one: still a success.
    for dummy in range(limit):
        fake.add_fault("GET", ACTIONS, Fault(429, headers={"Retry-After": "1"}))
    for dummy in range(limit - 1):
        fake.add_fault("GET", ACTIONS, Fault(503))
    assert client.get(ACTIONS)["entities"] is not None
    assert len(fake.requests_for("GET", ACTIONS)) == 2 * limit


def test_retry_after_parsing():
    assert client_module.parse_retry_after("12") == 12.0
    assert client_module.parse_retry_after(None) is None
    assert client_module.parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT") is None


def test_a_429_holds_the_other_workers_too(make_client):
    fake = _fake_with(1)
    client = make_client(fake, sleep=time.sleep, clock=time.monotonic)
    client.get(ACTIONS)  # token in hand, so both workers go straight to the API
    fake.add_fault("GET", ACTIONS, Fault(429, headers={"Retry-After": "1"}))
    first = threading.Thread(target=client.get, args=(ACTIONS,))
    first.start()
    while len(fake.requests_for("GET")) < 2:  # wait until the first worker met its 429
        time.sleep(0.01)
    limited_at = fake.requests_for("GET")[1]["time"]
    client.get(ACTIONS)  # a second worker, which never saw a 429 itself
    first.join()
    later = fake.requests_for("GET")[2:]
    assert len(later) == 2
    assert min(r["time"] for r in later) >= limited_at + 0.9


# ---- rate-limit pacing (no answer tells the budget: the client keeps to requests_per_minute itself) -----------
def _window_counts(entries, seconds=60.0):
    """The most requests among ``entries`` (fake log entries) in any ``seconds``, by the fake clock."""
    times = sorted(e["clock"] for e in entries)
    return max([len([t for t in times if start <= t < start + seconds]) for start in times] or [0])


def test_pacing_keeps_to_the_budget_in_a_sliding_window(fake, make_client, clock):
    fake.rate_limit, fake.clock = (5, 60), clock
    client = make_client(fake, requests_per_minute=5)
    for dummy in range(3):
        client.get(ACTIONS)
    clock.sleep(30)  # two more at 1030: the window holds three from 1000 and two from 1030
    for dummy in range(7):
        client.get(ACTIONS)
    api = fake.requests_for("GET", ACTIONS)
    assert [r["status"] for r in api] == [200] * 10, "never a 429"
    # Sliding, not fixed: the three of 1000 leave at 1060, the two of 1030 at 1090.
    assert [r["clock"] for r in api] == [1000.0] * 3 + [1030.0] * 2 + [1060.0] * 3 + [1090.0] * 2
    assert clock.sleeps == [30, 30.0, 30.0]
    summary = client.rate_limit_summary()
    assert summary["rate_limited"] == 0 and summary["learned_requests_per_minute"] is None
    assert summary["paced_seconds"] == 60.0 and summary["held_seconds"] == 0.0 and summary["waited_seconds"] == 60.0


def test_token_requests_are_not_counted(fake, make_client, clock):
    client = make_client(fake, requests_per_minute=2)
    client.get(ACTIONS)
    client.get(ACTIONS)
    assert clock.sleeps == [] and len(fake.requests_for("POST", "/oauth/token")) == 1
    client.get(ACTIONS)
    assert clock.sleeps == [60.0]


def test_pacing_is_shared_by_every_worker(fake, make_client, clock):
    fake.rate_limit, fake.clock = (10, 60), clock
    fake.latency = 0.002  # real time, so the workers' requests overlap
    client = make_client(fake, requests_per_minute=10)
    client.get(ACTIONS)
    workers = [threading.Thread(target=lambda: [client.get(ACTIONS) for dummy in range(10)]) for dummy in range(4)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    api = fake.requests_for("GET", ACTIONS)
    assert len(api) == 41 and set(r["status"] for r in api) == {200}
    assert _window_counts(api) <= 10
    assert clock.now >= 1000.0 + 4 * 60  # 41 requests, ten a minute


def test_a_429_with_the_seconds_only_in_its_message_waits_them(fake, make_client, clock):
    client = make_client(fake)
    client.get(ACTIONS)
    fake.add_fault("GET", ACTIONS, Fault(429, body={
        "message": "Rate limit exceeded the maximum. Retry the request in [42] seconds",
        "code": "too.many.requests.retry.after", "status": 429, "details": [], "errors": []}))
    client.get(ACTIONS)
    assert clock.sleeps == [42.0]
    assert client.rate_limit_summary()["held_seconds"] == 42.0


def test_retry_seconds_in_message():
    parse = client_module.retry_seconds_in_message
    assert parse({"message": "Rate limit exceeded the maximum. Retry the request in [42] seconds"}) == 42.0
    assert parse({"message": "Retry the request in [1] second"}) == 1.0
    assert parse({"message": "Rate limit exceeded the maximum."}) is None
    assert parse(None) is None and parse({"message": None}) is None and parse("[3] seconds") is None


@pytest.mark.parametrize("wait_in", ["header", "message"])
def test_a_429_within_the_budget_lowers_the_pace_to_what_was_accepted(fake, make_client, clock, wait_in):
    # An org limit of 160 a minute the client cannot see, under its own 300.
    fake.org_rate_limit, fake.rate_limit_wait_in, fake.clock = (160, 60), wait_in, clock
    client = make_client(fake)
    for dummy in range(500):
        client.get(ACTIONS)
    api = fake.requests_for("GET", ACTIONS)
    statuses = [r["status"] for r in api]
    assert statuses == [200] * 160 + [429] + [200] * 340, "one 429, then the learned pace"
    assert _window_counts([r for r in api if r["status"] == 200]) <= 160
    summary = client.rate_limit_summary()
    assert summary["learned_requests_per_minute"] == 160 and summary["rate_limited"] == 1
    assert summary["requests_per_minute"] == 300
    # The 429 said 60 s: held; then each window of 160 waits for the one before to leave.
    assert summary["held_seconds"] == 60.0 and summary["paced_seconds"] == 120.0


def test_a_limit_far_below_the_budget_is_learned_halving_at_most_once_per_hold(fake, make_client, clock):
    fake.org_rate_limit, fake.clock = (20, 60), clock
    client = make_client(fake)
    paces = []
    for dummy in range(200):
        client.get(ACTIONS)
        paces.append(client.rate_limit_summary()["learned_requests_per_minute"])
    statuses = [r["status"] for r in fake.requests_for("GET", ACTIONS)]
    # 300, then 150, 75, 38 and 20: four 429s, then none.
    assert statuses.count(429) == 4 and 429 not in statuses[statuses.index(429) + 4 * 21:]
    assert [p for n, p in enumerate(paces) if n == 0 or p != paces[n - 1]] == [None, 150, 75, 38, 20]


def test_workers_that_meet_one_429_together_lower_the_pace_once(make_client):
    fake = _fake_with(1)
    fake.org_rate_limit = (4, 60)
    fake.latency = 0.05  # real time, so that the four workers' requests are in flight together
    client = make_client(fake, sleep=time.sleep, clock=time.monotonic)
    for dummy in range(4):
        client.get(ACTIONS)
    refusals = []
    original = client._pacer.refused

    def refused(wait, window_spent):
        refusals.append(window_spent)
        original(min(wait, 2.0), window_spent)  # a 2 s hold instead of a minute, to keep the test short

    client._pacer.refused = refused
    # Four at once, all refused (the window is spent); the limit is lifted once they are, so the retries pass.
    workers = [threading.Thread(target=client.get, args=(ACTIONS,)) for dummy in range(4)]
    for worker in workers:
        worker.start()
    while len(refusals) < 4:
        time.sleep(0.01)
    fake.org_rate_limit = None
    for worker in workers:
        worker.join()
    assert refusals == [True] * 4, "each 429 said a window is spent"
    assert client.rate_limit_summary()["learned_requests_per_minute"] == 150, "halved once, not four times"


def test_a_429_without_any_wait_backs_off_and_a_second_one_lowers_the_pace(fake, make_client, clock):
    fake.org_rate_limit, fake.rate_limit_wait_in, fake.clock = (5, 60), "none", clock
    client = make_client(fake, requests_per_minute=8)
    for dummy in range(12):
        client.get(ACTIONS)
    statuses = [r["status"] for r in fake.requests_for("GET", ACTIONS)]
    # The sixth meets the limit: the client's own backoff (0.5 s); again: a spent window, the pace drops to the
    # five accepted, and the seven sent hold the window until the first five leave it.
    assert statuses == [200] * 5 + [429, 429] + [200] * 7
    assert clock.sleeps[:2] == [0.5, 1.0] and sum(clock.sleeps) == 120.0
    assert client.rate_limit_summary()["learned_requests_per_minute"] == 5


def test_a_short_429_is_waited_out_without_lowering_the_pace(fake, make_client, clock):
    client = make_client(fake)
    fake.add_fault("GET", ACTIONS, Fault(429, headers={"Retry-After": "1"}))
    client.get(ACTIONS)
    assert client.rate_limit_summary() == {
        "requests_per_minute": 300, "learned_requests_per_minute": None, "rate_limited": 1, "waited_seconds": 1.0,
        "paced_seconds": 0.0, "held_seconds": 1.0}


def _stopped_while_waiting(waits, call, sent=lambda: True):
    """What ``call`` returned or raised (RunStoppedError), run in a thread and stopped while it waits: the run's
    stop comes once ``sent()`` holds and the call has waited 0.3 s more. Its wait would last a minute or longer, so
    an outcome within the 5 s the thread is given means the stop ended it."""
    outcomes = []

    def run():
        try:
            outcomes.append(call())
        except RunStoppedError as exc:
            outcomes.append(exc)

    caller = threading.Thread(target=run)
    caller.start()
    while not sent():
        time.sleep(0.01)
    time.sleep(0.3)
    assert outcomes == [], "the call waits (for its turn, or a 429's hold)"
    waits.stop()
    caller.join(5)
    assert len(outcomes) == 1, "the stop ended the wait"
    return outcomes[0]


def test_a_stop_ends_every_wait_at_once_and_no_write_is_sent_after_it(make_client):
    fake = FakeGenesysCloud([make_action("A", action_id="custom_-_a")])
    waits = Waits()
    client = make_client(fake, sleep=time.sleep, clock=time.monotonic, requests_per_minute=1, waits=waits)
    action = client.get(ACTIONS + "/custom_-_a", {"includeConfig": "true"})
    # The write waits for its turn (a minute at one request a minute).
    outcome = _stopped_while_waiting(waits, lambda: client.patch(ACTIONS + "/custom_-_a", {
        "version": 1, "config": action["config"]}))
    assert isinstance(outcome, RunStoppedError) and "not sent" in str(outcome).lower()
    assert fake.requests_for("PATCH") == []
    # A read after the stop (settling what a write did) goes at once.
    assert client.get(ACTIONS + "/custom_-_a")["version"] == 1


def test_a_stoppable_read_waiting_its_turn_is_not_sent_after_a_stop(make_client):
    fake = FakeGenesysCloud([make_action("A", action_id="custom_-_a")])
    waits = Waits()
    client = make_client(fake, sleep=time.sleep, clock=time.monotonic, requests_per_minute=1, waits=waits)
    client.get(ACTIONS)
    # The read waits for its turn (a minute at one request a minute).
    outcome = _stopped_while_waiting(waits, lambda: client.get(ACTIONS + "/custom_-_a", stoppable=True))
    assert isinstance(outcome, RunStoppedError)
    assert len(fake.requests_for("GET")) == 1
    # Nor is one asked for after the stop.
    with pytest.raises(RunStoppedError):
        client.get(ACTIONS, stoppable=True)
    assert len(fake.requests_for("GET")) == 1


def test_while_a_run_reads_what_it_decides_on_a_stop_ends_its_reads_too(make_client):
    fake = FakeGenesysCloud([make_action("A", action_id="custom_-_a")])
    waits = Waits()
    client = make_client(fake, sleep=time.sleep, clock=time.monotonic, requests_per_minute=1, waits=waits)
    client.reads_stop_with_run = True
    client.get(ACTIONS)
    # The read waits for its turn (a minute at one request a minute).
    assert isinstance(_stopped_while_waiting(waits, lambda: client.get(ACTIONS + "/custom_-_a")), RunStoppedError)
    with pytest.raises(RunStoppedError):
        client.get(ACTIONS)
    assert len(fake.requests_for("GET")) == 1
    # Once the run writes, a read (settling a write's outcome) goes even after the stop.
    client.reads_stop_with_run = False
    assert client.get(ACTIONS + "/custom_-_a")["id"] == "custom_-_a"


def test_a_stop_ends_a_429_hold_and_a_backoff(make_client):
    fake = _fake_with(1)
    waits = Waits()
    client = make_client(fake, sleep=time.sleep, clock=time.monotonic, waits=waits)
    client.get(ACTIONS)
    fake.add_fault("PATCH", ACTIONS, Fault(429, headers={"Retry-After": "120"}))
    # Stopped once the write was refused and waits out the 429's hold (two minutes).
    outcome = _stopped_while_waiting(waits, lambda: client.patch(ACTIONS + "/custom_-_x", {"version": 1}),
                                     sent=lambda: fake.requests_for("PATCH"))
    assert isinstance(outcome, RunStoppedError)
    assert len(fake.requests_for("PATCH")) == 1, "the refused write is not sent again"


# ---- paging -------------------------------------------------------------------------------------
@pytest.mark.parametrize("count,page_size,pages", [(0, 100, 1), (1, 100, 1), (100, 100, 1), (101, 100, 2),
                                                   (250, 100, 3), (250, 25, 10), (500, 500, 1)])
def test_listing_takes_ceil_n_over_page_size_requests(make_client, count, page_size, pages):
    fake = _fake_with(count)
    entities = make_client(fake).list_all(ACTIONS, {"includeConfig": "true"}, page_size=page_size)
    assert len(entities) == count
    assert len(set(e["id"] for e in entities)) == count
    listing = fake.requests_for("GET", ACTIONS)
    assert len(listing) == pages
    # Page 1 first; the others at once, in any order; the entities in page order.
    numbers = [int(r["query"]["pageNumber"]) for r in listing]
    assert numbers[0] == 1 and sorted(numbers) == list(range(1, pages + 1))
    assert [e["name"] for e in entities] == sorted(e["name"] for e in entities)  # the listing's order (by name)


def test_the_pages_after_the_first_are_read_at_once_and_in_order(make_client):
    fake = _fake_with(250)
    in_flight, most = [0], [0]
    lock = threading.Lock()
    original = fake.send

    def slow_send(request, **kwargs):  # the fake answers one request at a time: count before it does
        with lock:
            in_flight[0] += 1
            most[0] = max(most[0], in_flight[0])
        time.sleep(0.05)
        try:
            return original(request, **kwargs)
        finally:
            with lock:
                in_flight[0] -= 1

    fake.send = slow_send
    entities = make_client(fake).list_all(ACTIONS, {"includeConfig": "true"}, page_size=25)
    assert len(entities) == 250 and most[0] > 1
    assert [e["name"] for e in entities] == ["Action %03d" % n for n in range(250)]


def _rewrite_pages(fake, change):
    """Let ``change(query, body, original)`` edit each listing page the fake answers; ``original(query)`` is
    another page's body, as the fake would answer it."""
    original = fake._list

    def rewritten(request, query):
        response = original(request, query)
        body = response.json()
        change(query, body, lambda other: original(request, other).json())
        response._content = json.dumps(body).encode()
        return response

    fake._list = rewritten


def test_an_entity_moved_to_the_next_page_during_the_listing_is_kept_once(make_client):
    fake = _fake_with(30)

    def shifting(query, body, original):
        if query.get("pageNumber") == "2":
            # Renamed while the listing ran: page 1's last entity is now page 2's first as well.
            body["entities"].insert(0, original(dict(query, pageNumber="1"))["entities"][-1])

    _rewrite_pages(fake, shifting)
    entities = make_client(fake).list_all(ACTIONS, {}, page_size=10)
    assert [e["name"] for e in entities] == ["Action %03d" % n for n in range(30)]


def test_listing_follows_next_uri_when_page_count_is_missing(make_client):
    fake = _fake_with(30)
    _rewrite_pages(fake, lambda query, body, original: body.pop("pageCount"))
    entities = make_client(fake).list_all(ACTIONS, page_size=10)
    assert len(entities) == 30 and len(fake.requests_for("GET")) == 3


def test_the_user_agent_names_the_version_in_galaxy_yml():
    import os
    import yaml
    repo = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", "..", ".."))
    with open(os.path.join(repo, "galaxy.yml")) as handle:
        version = yaml.safe_load(handle)["version"]
    assert client_module.USER_AGENT == "genesyscloud.cx-ansible/%s" % version


# ---- requests that cannot be sent: messages, never tracebacks --------------------------------------
class _Refusing(object):
    """A session adapter stand-in that raises what requests raises before a request leaves the machine."""

    def __init__(self, exc):
        self.exc = exc

    def send(self, request, **kwargs):
        raise self.exc

    def close(self):
        pass


@pytest.mark.parametrize("exc,words", [
    (OSError("Could not find a suitable TLS CA certificate bundle, invalid path: /nowhere/ca.pem"), "/nowhere/ca.pem"),
    (client_module.requests.exceptions.InvalidURL("Failed to parse: 'host:port'"), "host:port"),
    (client_module.requests.exceptions.TooManyRedirects("Exceeded 30 redirects."), "redirects"),
])
@pytest.mark.parametrize("with_token", [True, False])
def test_a_request_that_cannot_be_sent_is_a_connection_error_naming_why(make_client, fake, exc, words, with_token):
    client = make_client(fake, access_token="tok-given" if with_token else None)
    client.session.mount("https://", _Refusing(exc))
    with pytest.raises(ConnectionFailedError) as info:
        client.get(ACTIONS)
    message = str(info.value)
    assert words in message and type(exc).__name__ in message
    assert "api_base_url" in message
    _assert_clean(message, fake)


def test_a_body_cut_off_mid_way_is_a_lost_answer_a_read_repeats(make_client, fake):
    client = make_client(fake)
    client.get(ACTIONS)  # the token first
    real = client.session.get_adapter("https://")
    cut = [client_module.requests.exceptions.ChunkedEncodingError("Connection broken: IncompleteRead")]

    class _CutOnce(object):
        def send(self, request, **kwargs):
            if cut:
                raise cut.pop()
            return real.send(request, **kwargs)

        def close(self):
            pass

    client.session.mount("https://", _CutOnce())
    assert client.get(ACTIONS)["total"] == 0
    assert not cut

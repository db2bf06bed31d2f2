# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesyscloud.cx contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""genesyscloud.cx.data_action_test against the in-memory fake: what reaches the server, what the user is told."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import copy
import json

import pytest

from ansible_collections.genesyscloud.cx.plugins.module_utils import _action_test as action_test
from ansible_collections.genesyscloud.cx.plugins.module_utils.data_actions import effective_timeout
from ansible_collections.genesyscloud.cx.plugins.modules import data_action_test
from tests.unit.plugins.fake_api import ACTIONS, Fault, FakeGenesysCloud, make_action

EXECUTE = ("integrations:action:execute", "bridge:actions:execute")


class FakeWithTests(FakeGenesysCloud):
    """The shared fake plus the test endpoints and drafts (kept here, beside the only tests that need them).

    ``test_answers``: action id -> callable(action, input, draft) returning a TestExecutionResult.
    """

    def __init__(self, actions=(), **kwargs):
        super(FakeWithTests, self).__init__(actions, **kwargs)
        self.drafts = {}
        self.test_answers = {}
        self.http_timeouts = []  # (method, path, timeout the client waited with)

    def send(self, request, **kwargs):
        self.http_timeouts.append((request.method, request.path_url.split("?")[0], kwargs.get("timeout")))
        return super(FakeWithTests, self).send(request, **kwargs)

    def _api(self, request, path, query, body):
        route = self._route(request.method, path)
        if route is None:
            return super(FakeWithTests, self)._api(request, path, query, body)
        auth = request.headers.get("Authorization", "")
        token = auth[len("Bearer "):] if auth.startswith("Bearer ") else None
        if token not in self.tokens:
            return self._response(request, 401, {"message": "Invalid login credentials", "status": 401})
        permissions = self.clients[self.tokens[token]][1]
        needed = {"test": EXECUTE, "draft/test": EXECUTE[:1]}.get(route[1], ("integrations:action:view",))
        if "*" not in permissions and not any(p in permissions for p in needed):
            return self._response(request, 403, {
                "message": "Unable to perform the requested action. You must have at least one of the following "
                           "permissions assigned: [%s]" % ", ".join(needed),
                "code": "missing.any.permissions", "status": 403, "messageParams": {"perms": ", ".join(needed)}})
        action_id, tail = route
        if action_id is None:  # the drafts listing
            saved = self.actions
            self.actions = self.drafts
            try:
                return self._list(request, query)
            finally:
                self.actions = saved
        source = self.drafts if tail.startswith("draft") else self.actions
        action = source.get(action_id)
        if action is None:
            return self._response(request, 404, {"message": "Action %s not found" % action_id,
                                                 "code": "not.found", "status": 404})
        if tail == "draft":
            return self._response(request, 200, self._view(action, query.get("includeConfig") == "true"))
        test_input = json.loads(body) if body else {}
        answer = self.test_answers.get(action_id, _echo)
        return self._response(request, 200, answer(action, test_input, tail == "draft/test"))

    @staticmethod
    def _route(method, path):
        """(action id, tail) of the routes this class adds; (None, "drafts") for the drafts listing."""
        if method == "GET" and path == ACTIONS + "/drafts":
            return None, "drafts"
        if not path.startswith(ACTIONS + "/"):
            return None
        action_id, dummy, tail = path[len(ACTIONS) + 1:].partition("/")
        if (method, tail) in (("GET", "draft"), ("POST", "test"), ("POST", "draft/test")):
            return action_id, tail
        return None


def _echo(action, test_input, draft):
    return {"operations": [{"step": 1, "name": "Execute request", "success": True,
                            "result": {"status": 200, "body": {"echo": test_input}}}],
            "finalResult": {"echo": test_input, "draft": draft}, "success": True}


def _failure(error):
    def answer(action, test_input, draft):
        return {"operations": [{"step": 1, "name": "Execute request", "success": False, "error": error}],
                "error": error, "success": False}
    return answer


TIMEOUT_ERROR = {"message": "The action timed out after 3000 ms waiting for its backend.", "code": "action.timeout",
                 "status": 504, "contextId": "ctx-1"}
REMOTE_ERROR = {"message": "The remote endpoint answered with status 500.", "code": "action.failed", "status": 502}


class WallClock(object):
    """Replaces the module's clock: moves only when a test answer takes time."""

    def __init__(self):
        self.now = 500.0

    def __call__(self):
        return self.now


@pytest.fixture
def wall(monkeypatch):
    clock = WallClock()
    monkeypatch.setattr(data_action_test, "_clock", clock)
    return clock


def _taking(wall, seconds, answer=_echo):
    def timed(action, test_input, draft):
        wall.now += seconds
        return answer(action, test_input, draft)
    return timed


def _org(**kwargs):
    secure = make_action("Verify PIN", timeout=5, action_id="custom_-_pin")
    secure["secure"] = True
    return FakeWithTests([
        make_action("Lookup account", timeout=3, version=4, action_id="custom_-_a"),
        make_action("Create ticket", timeout=None, version=2, action_id="custom_-_b"),
        make_action("Lookup account history", timeout=30, action_id="custom_-_c"),
        make_action("Duplicate", timeout=10, action_id="custom_-_d1"),
        make_action("Duplicate", timeout=10, action_id="custom_-_d2"),
        make_action("Send SMS", timeout=2, action_id="static_-_sms", category="Built-in"),
        make_action("CRM auth", timeout=None, action_id="customAuth_-_int-1"),
        secure,
    ], **kwargs)


def _posts(fake):
    return [(r["path"], r["body"]) for r in fake.requests_for("POST") if r["path"] != "/oauth/token"]


# ---- outcomes -----------------------------------------------------------------------------------
def test_a_success_reads_once_tests_once_and_reports_the_timeouts(run_module, wall):
    fake = _org()
    fake.test_answers["custom_-_a"] = _taking(wall, 0.412)
    failed, result, dummy = run_module(data_action_test, {"id": "custom_-_a", "input": {"account": "A-1"}}, fake)
    assert not failed and result["changed"] is False
    assert result["success"] is True and result["timed_out"] is False
    assert result["duration_ms"] == 412
    assert (result["timeout_seconds"], result["effective_timeout_seconds"]) == (3, 3)
    assert result["output"] == {"echo": {"account": "A-1"}, "draft": False}
    assert result["operations"][0]["result"]["body"] == {"echo": {"account": "A-1"}}
    assert result["error"] is None and result["draft"] is False and result["secure"] is False
    assert (result["id"], result["name"]) == ("custom_-_a", "Lookup account")
    assert result["msg"] == "succeeded in 412 ms (timeout 3 s)"
    assert "skipped" not in result
    # One token, one read with the config, one test carrying the input as its body.
    assert [(r["method"], r["path"]) for r in fake.log] == [
        ("POST", "/oauth/token"), ("GET", ACTIONS + "/custom_-_a"), ("POST", ACTIONS + "/custom_-_a/test")]
    assert fake.log[1]["query"] == {"includeConfig": "true"}
    assert json.loads(fake.log[2]["body"]) == {"account": "A-1"}
    assert fake.actions["custom_-_a"]["version"] == 4


def test_the_test_request_waits_longer_than_the_action_may_run(run_module):
    fake = _org()
    failed, result, dummy = run_module(data_action_test, {"id": "custom_-_b"}, fake)
    assert not failed
    waits = dict(((method, path), timeout) for method, path, timeout in fake.http_timeouts)
    assert waits[("GET", ACTIONS + "/custom_-_b")] == 30  # http_timeout as given
    assert waits[("POST", ACTIONS + "/custom_-_b/test")] == 60 + 15  # unset: 60 s, plus the margin


def test_a_504_error_body_is_a_timeout_and_not_a_module_failure(run_module, wall):
    fake = _org()
    fake.test_answers["custom_-_a"] = _taking(wall, 3.004, _failure(TIMEOUT_ERROR))
    failed, result, dummy = run_module(data_action_test, {"id": "custom_-_a"}, fake)
    assert not failed and result["changed"] is False
    assert result["success"] is False and result["timed_out"] is True
    assert result["error"] == TIMEOUT_ERROR
    assert "output" not in result
    assert result["msg"] == ("timed out after 3,004 ms: the effective timeout is 3 s; "
                             "error: The action timed out after 3000 ms waiting for its backend.")
    assert len(_posts(fake)) == 1


@pytest.mark.parametrize("error", [
    {"message": "Request timed out", "status": 500},
    {"message": "failed", "code": "REMOTE.TIMEOUT"},
    {"message": "Gateway Time-out", "status": 502},
    {"message": "upstream", "status": "504"},
])
def test_an_error_that_speaks_of_a_timeout_is_a_timeout(run_module, wall, error):
    fake = _org()
    fake.test_answers["custom_-_c"] = _taking(wall, 0.2, _failure(error))
    failed, result, dummy = run_module(data_action_test, {"id": "custom_-_c"}, fake)
    assert not failed and result["success"] is False and result["timed_out"] is True


def test_a_failure_that_is_not_a_timeout(run_module, wall):
    fake = _org()
    fake.test_answers["custom_-_c"] = _taking(wall, 0.25, _failure(REMOTE_ERROR))
    failed, result, dummy = run_module(data_action_test, {"id": "custom_-_c"}, fake)
    assert not failed and result["changed"] is False
    assert result["success"] is False and result["timed_out"] is False
    assert result["msg"] == "failed after 250 ms (timeout 30 s); error: The remote endpoint answered with status 500."
    # A config error that names the field timeoutSeconds does not speak of a timeout.
    fake.test_answers["custom_-_c"] = _taking(wall, 0.01, _failure(
        {"message": "timeoutSeconds is invalid for this action", "code": "bad.request", "status": 400}))
    failed, result, dummy = run_module(data_action_test, {"id": "custom_-_c"}, fake)
    assert not failed and result["timed_out"] is False


def test_a_failure_that_lasted_the_whole_timeout_is_a_timeout(run_module, wall):
    fake = _org()
    fake.test_answers["custom_-_a"] = _taking(wall, 3.0, _failure({"message": "no answer", "status": 500}))
    failed, result, dummy = run_module(data_action_test, {"id": "custom_-_a"}, fake)
    assert not failed and result["timed_out"] is True
    assert result["msg"].startswith("timed out after 3,000 ms: the effective timeout is 3 s")
    # Just short of it, the same error is an ordinary failure.
    fake.test_answers["custom_-_a"] = _taking(wall, 2.9, _failure({"message": "no answer", "status": 500}))
    failed, result, dummy = run_module(data_action_test, {"id": "custom_-_a"}, fake)
    assert not failed and result["timed_out"] is False


def test_an_unset_timeout_is_the_60_second_default(run_module, wall):
    fake = _org()
    fake.test_answers["custom_-_b"] = _taking(wall, 2.0)
    failed, result, dummy = run_module(data_action_test, {"name": "Create ticket"}, fake)
    assert not failed and result["success"] is True and result["timed_out"] is False
    assert result["timeout_seconds"] is None and result["effective_timeout_seconds"] == 60
    assert result["msg"] == "succeeded in 2,000 ms (timeout unset: 60 s, the platform default)"
    fake.test_answers["custom_-_b"] = _taking(wall, 60.0, _failure(TIMEOUT_ERROR))
    failed, result, dummy = run_module(data_action_test, {"name": "Create ticket"}, fake)
    assert result["timed_out"] is True
    assert "the effective timeout is 60 s (unset, the platform default)" in result["msg"]


def test_a_secure_action_returns_no_output_and_no_step_results(run_module):
    fake = _org()
    failed, result, raw = run_module(data_action_test, {"id": "custom_-_pin", "input": {"pin": "8642"}}, fake)
    assert not failed and result["success"] is True and result["secure"] is True
    assert "output" not in result
    assert result["operations"] == [{"step": 1, "name": "Execute request", "success": True}]
    assert "echo" not in json.dumps(dict((k, v) for k, v in result.items() if k != "invocation"))
    assert _posts(fake) == [(ACTIONS + "/custom_-_pin/test", json.dumps({"pin": "8642"}))]


def test_a_static_action_can_be_tested(run_module):
    fake = _org()
    failed, result, dummy = run_module(data_action_test, {"id": "static_-_sms"}, fake)
    assert not failed and result["success"] is True and result["effective_timeout_seconds"] == 2
    assert _posts(fake) == [(ACTIONS + "/static_-_sms/test", "{}")]


# ---- check mode ---------------------------------------------------------------------------------
def test_check_mode_reads_the_action_but_never_runs_the_test(run_module):
    fake = _org()
    failed, result, dummy = run_module(data_action_test, {"id": "custom_-_b", "input": {"x": 1}}, fake,
                                       check_mode=True, diff=True)
    assert not failed and result["changed"] is False
    assert result["skipped"] is True
    assert result["success"] is None and result["timed_out"] is None and result["duration_ms"] is None
    assert result["effective_timeout_seconds"] == 60 and result["timeout_seconds"] is None
    assert result["operations"] == [] and "output" not in result and "diff" not in result
    assert result["msg"] == ("not run in check mode: a test calls the action's real backend "
                             "(timeout unset: 60 s, the platform default)")
    assert _posts(fake) == []
    assert [(r["method"], r["path"]) for r in fake.log] == [("POST", "/oauth/token"), ("GET", ACTIONS + "/custom_-_b")]


# ---- selection ----------------------------------------------------------------------------------
def test_a_name_is_matched_exactly(run_module):
    fake = _org()
    failed, result, dummy = run_module(data_action_test, {"name": "Lookup account"}, fake)
    assert not failed and result["id"] == "custom_-_a"  # not "Lookup account history"
    listing = fake.requests_for("GET", ACTIONS)[0]
    assert listing["path"] == ACTIONS
    assert listing["query"]["name"] == "Lookup account" and listing["query"]["includeConfig"] == "true"
    assert _posts(fake) == [(ACTIONS + "/custom_-_a/test", "{}")]


def test_a_name_that_matches_none_or_several_fails_without_a_test(run_module):
    fake = _org()
    failed, result, dummy = run_module(data_action_test, {"name": "Lookup"}, fake)
    assert failed and "no data action is named 'Lookup'" in result["msg"]
    failed, result, dummy = run_module(data_action_test, {"name": "Duplicate"}, fake)
    assert failed and "2 data actions are named 'Duplicate'" in result["msg"]
    assert "custom_-_d1, custom_-_d2" in result["msg"] and "by id" in result["msg"]
    assert _posts(fake) == []


def test_an_unknown_id_fails_with_the_typed_message(run_module):
    fake = _org()
    failed, result, dummy = run_module(data_action_test, {"id": "custom_-_nope"}, fake)
    assert failed and result["changed"] is False
    assert result["msg"].startswith("Not found (HTTP 404, GET %s/custom_-_nope, correlation id corr-" % ACTIONS)
    assert _posts(fake) == []


def test_invalid_selectors_fail_before_any_request(run_module):
    fake = _org()
    for args, expected in [
        ({}, "one of the following is required: id, name"),
        ({"id": "custom_-_a", "name": "Lookup account"}, "mutually exclusive"),
        ({"name": "  "}, "name must not be empty"),
    ]:
        failed, result, dummy = run_module(data_action_test, args, fake)
        assert failed and expected in result["msg"], (args, result["msg"])
    assert fake.log == []


def test_a_custom_auth_action_is_refused(run_module):
    fake = _org()
    failed, result, dummy = run_module(data_action_test, {"id": "customAuth_-_int-1"}, fake)
    assert failed and "custom authentication action" in result["msg"] and "cannot be tested" in result["msg"]
    assert fake.log == []  # refused from the id alone
    failed, result, dummy = run_module(data_action_test, {"name": "CRM auth"}, fake)
    assert failed and "custom authentication action" in result["msg"] and "customAuth_-_int-1" in result["msg"]
    assert fake.requests_for("GET", ACTIONS)[0]["query"]["includeAuthActions"] == "true"
    assert _posts(fake) == []


# ---- drafts -------------------------------------------------------------------------------------
def _with_draft():
    fake = _org()
    draft = copy.deepcopy(fake.actions["custom_-_a"])
    draft.update(version=1, name="Lookup account (new)")
    draft["config"]["timeoutSeconds"] = 12
    fake.drafts["custom_-_a"] = draft
    return fake


def test_the_draft_is_read_and_tested_on_its_own_paths(run_module):
    fake = _with_draft()
    failed, result, dummy = run_module(data_action_test, {"id": "custom_-_a", "draft": True, "input": {"k": "v"}},
                                       fake)
    assert not failed and result["draft"] is True and result["success"] is True
    assert result["timeout_seconds"] == 12 and result["name"] == "Lookup account (new)"  # the draft's, not 3
    assert result["output"]["draft"] is True
    assert [(r["method"], r["path"]) for r in fake.log[1:]] == [
        ("GET", ACTIONS + "/custom_-_a/draft"), ("POST", ACTIONS + "/custom_-_a/draft/test")]
    assert fake.log[1]["query"] == {"includeConfig": "true"}

    fake.log[:] = []
    failed, result, dummy = run_module(data_action_test, {"name": "Lookup account (new)", "draft": True}, fake)
    assert not failed and result["id"] == "custom_-_a" and result["timeout_seconds"] == 12
    assert fake.requests_for("GET")[0]["path"] == ACTIONS + "/drafts"
    assert _posts(fake) == [(ACTIONS + "/custom_-_a/draft/test", "{}")]


def test_a_missing_draft_fails_and_says_what_to_do(run_module):
    fake = _org()
    failed, result, dummy = run_module(data_action_test, {"id": "custom_-_b", "draft": True}, fake)
    assert failed and "HTTP 404" in result["msg"] and "has no draft" in result["msg"]
    failed, result, dummy = run_module(data_action_test, {"name": "Create ticket", "draft": True}, fake)
    assert failed and "no draft of a data action is named 'Create ticket'" in result["msg"]
    assert _posts(fake) == []


def test_the_draft_test_needs_integrations_execute(run_module):
    fake = _with_draft()
    fake.clients = {"cid": ("csecret", {"integrations:action:view", "bridge:actions:execute"})}
    failed, result, dummy = run_module(data_action_test, {"id": "custom_-_a"}, fake)
    assert not failed and result["success"] is True  # the published action: bridge suffices
    failed, result, dummy = run_module(data_action_test, {"id": "custom_-_a", "draft": True}, fake)
    assert failed and "Permission denied (HTTP 403, POST %s/custom_-_a/draft/test" % ACTIONS in result["msg"]
    assert result["msg"].endswith("Give the OAuth client a role with one of these permissions: "
                                  "integrations:action:execute.")


# ---- request failures ---------------------------------------------------------------------------
def test_a_403_on_the_test_fails_naming_the_permission_and_no_secret(run_module):
    fake = _org(clients={"cid": ("csecret", {"integrations:action:view"})})
    failed, result, raw = run_module(data_action_test, {"id": "custom_-_a"}, fake)
    assert failed and result["changed"] is False
    assert "Permission denied (HTTP 403, POST %s/custom_-_a/test, correlation id corr-" % ACTIONS in result["msg"]
    assert "Give the OAuth client a role with one of these permissions: integrations:action:execute, " \
           "bridge:actions:execute." in result["msg"]
    assert "csecret" not in raw and all(token not in raw for token in fake.tokens)
    assert len(_posts(fake)) == 1


def test_a_403_that_names_no_permission_still_names_the_execute_one(run_module):
    fake = _org()
    fake.add_fault("POST", ACTIONS + "/custom_-_a/test", Fault(status=403, body={"message": "Forbidden", "status": 403}))
    failed, result, dummy = run_module(data_action_test, {"id": "custom_-_a"}, fake)
    assert failed and "integrations:action:execute" in result["msg"]
    assert "integrations:action:view" not in result["msg"]


def test_a_lost_answer_is_reported_and_never_resent(run_module):
    fake = _org()
    fake.add_fault("POST", ACTIONS + "/custom_-_a/test", Fault(drop=True, after=True))
    failed, result, dummy = run_module(data_action_test, {"id": "custom_-_a"}, fake)
    assert failed and "No answer to a write request" in result["msg"]
    assert "not sent again" in result["msg"] and "Check the backend" in result["msg"]
    assert "change was applied" not in result["msg"]
    assert len(_posts(fake)) == 1
    fake.add_fault("POST", ACTIONS + "/custom_-_a/test", Fault(status=503))
    failed, result, dummy = run_module(data_action_test, {"id": "custom_-_a"}, fake)
    assert failed and "HTTP 503" in result["msg"] and len(_posts(fake)) == 2


def test_no_secret_or_token_in_a_successful_run(run_module):
    fake = _org()
    failed, result, raw = run_module(data_action_test, {"id": "custom_-_a", "input": {"q": 1}}, fake)
    assert not failed and "csecret" not in raw and all(token not in raw for token in fake.tokens)


def test_the_documented_numbers_are_the_code_constants():
    doc = " ".join(data_action_test.DOCUMENTATION.split())
    assert "plus %d seconds" % action_test.TEST_HTTP_MARGIN_SECONDS in doc
    assert "or %d seconds, the platform default" % effective_timeout(None) in doc

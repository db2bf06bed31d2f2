# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesyscloud.cx contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""An action's task calling a library in its worker (plugins/plugin_utils/_library_call.py): the module's own
argument spec, the task's environment set and put back, the spec's warnings returned, the secrets masked."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import os

import pytest

from ansible_collections.genesyscloud.cx.plugins.module_utils import _info_run, _timeout_run
from ansible_collections.genesyscloud.cx.plugins.plugin_utils._library_call import (
    UnexpectedRunError,
    call_here,
    masked,
    task_environment,
)


class _Task(object):
    def __init__(self, check_mode=False, diff=False):
        self.check_mode = check_mode
        self.diff = diff


class FakeAction(object):
    """What call_here asks of an action plugin: its task's modes and its environment."""

    def __init__(self, environment=None, check_mode=False, diff=False):
        self._task = _Task(check_mode, diff)
        self._environment = dict(environment or {})

    def _compute_environment_string(self, raw_environment_out=None):
        raw_environment_out.update(self._environment)
        return ""


class FakeLibrary(object):
    """Stands for a library: records the request, warns, answers what it was told."""

    def __init__(self, msg=None, result=None, fail=None):
        self.requests = []
        self.answer = (msg, result or {"changed": True, "results": []})
        self.fail = fail
        self.environ = None

    def __call__(self, request, warn):
        self.requests.append(request)
        self.environ = dict(os.environ)
        warn("warned with %s" % request.params["client_secret"])
        if self.fail:
            raise self.fail
        return self.answer


ARGS = {"api_base_url": "http://127.0.0.1:1", "client_id": "cid", "client_secret": "s3cret-Value",
        "select": {"timeout_at_most": 3}, "timeout_seconds": 10}
SPEC = dict(argument_spec=_timeout_run.argument_spec(), mutually_exclusive=_timeout_run.MUTUALLY_EXCLUSIVE,
            required_one_of=_timeout_run.REQUIRED_ONE_OF)


def _call(action, library, args, **kwargs):
    spec = dict(SPEC, **kwargs)
    return call_here(action, spec.pop("argument_spec"), library, args, **spec)


def test_arguments_are_checked_by_the_modules_own_spec_with_defaults_and_secrets_masked():
    library = FakeLibrary(result={"changed": True, "results": [{"id": "a"}], "api_base_url": "s3cret-Value leaked"})
    result = _call(FakeAction(diff=True), library, dict(ARGS), kept=("results",))
    request = library.requests[0]
    assert not request.check_mode and request.diff
    assert request.params["parallel"] == 16 and request.params["on_drift"] == "fail"  # the spec's defaults
    assert result["changed"] is True and "failed" not in result and "invocation" not in result
    assert result["api_base_url"] == "******** leaked"
    # Kept as they are, in memory for the report (scrubbed by the run itself).
    assert result["results"] is library.answer[1]["results"]
    assert result["warnings"] == ["warned with ********"]


def test_a_failure_keeps_its_result_and_check_mode_reaches_the_request():
    library = FakeLibrary(msg="Nothing was written: too many", result={"changed": False, "results": [{"id": "a"}]})
    result = _call(FakeAction(check_mode=True), library, dict(ARGS))
    assert library.requests[0].check_mode
    assert result["failed"] is True and result["msg"] == "Nothing was written: too many"
    assert result["results"] == [{"id": "a"}]


def test_bad_arguments_fail_before_the_call_without_their_secrets():
    library = FakeLibrary()
    result = _call(FakeAction(), library, dict(ARGS, id="x", parallel="s3cret-Value"))
    assert library.requests == []
    assert result["failed"] is True and result["changed"] is False
    assert "mutually exclusive" in result["msg"] and "s3cret-Value" not in result["msg"]


def test_the_tasks_environment_is_seen_by_the_fallbacks_and_put_back_after(monkeypatch):
    monkeypatch.setenv("GENESYSCLOUD_REGION", "before")
    monkeypatch.delenv("GENESYSCLOUD_OAUTHCLIENT_SECRET", raising=False)
    args = dict(ARGS)
    del args["client_secret"]
    library = FakeLibrary()
    action = FakeAction({"GENESYSCLOUD_OAUTHCLIENT_SECRET": "env-Secret-99", "GENESYSCLOUD_REGION": "eu-west-1"})
    result = _call(action, library, args)
    assert library.requests[0].params["client_secret"] == "env-Secret-99"  # the option's fallback read it
    assert library.environ["GENESYSCLOUD_REGION"] == "eu-west-1"
    assert result["warnings"] == ["warned with ********"]  # a secret from the environment is masked too
    assert "GENESYSCLOUD_OAUTHCLIENT_SECRET" not in os.environ and os.environ["GENESYSCLOUD_REGION"] == "before"


def test_the_environment_is_put_back_after_an_exception(monkeypatch):
    monkeypatch.delenv("GENESYS_TEST_ONLY", raising=False)
    library = FakeLibrary(fail=KeyError("boom with s3cret-Value in it"))
    with pytest.raises(UnexpectedRunError) as raised:
        _call(FakeAction({"GENESYS_TEST_ONLY": "1"}), library, dict(ARGS))
    # The exception's type and text, the secret masked, the original (whose text holds it) not chained.
    assert str(raised.value) == "KeyError: 'boom with ******** in it'"
    assert raised.value.__cause__ is None and raised.value.__suppress_context__
    assert library.environ["GENESYS_TEST_ONLY"] == "1" and "GENESYS_TEST_ONLY" not in os.environ
    with pytest.raises(ValueError):
        with task_environment(FakeAction({"GENESYS_TEST_ONLY": "2"})):
            raise ValueError()
    assert "GENESYS_TEST_ONLY" not in os.environ


def test_the_specs_alias_and_deprecation_warnings_reach_the_result():
    spec = dict(_info_run.argument_spec())
    spec["name"] = dict(spec["name"], aliases=["title"])
    spec["old_option"] = dict(type="str", removed_in_version="3.0.0", removed_from_collection="genesyscloud.cx")
    library = FakeLibrary(result={"changed": False, "data_actions": []})
    args = dict(client_id="cid", client_secret="s3cret-Value", name="a", title="b", old_option="x")
    result = call_here(FakeAction(), spec, library, args)
    assert "Both option name and its alias title are set." in result["warnings"]
    assert [d["version"] for d in result["deprecations"]] == ["3.0.0"]
    assert "old_option" in result["deprecations"][0]["msg"]


def test_data_action_info_refuses_before_any_request():
    # Refused before any request: the address is not listened on, so a request would have failed otherwise.
    result = call_here(FakeAction(check_mode=True), _info_run.argument_spec(), _info_run.run_info,
                       dict(api_base_url="http://127.0.0.1:1", client_id="cid", client_secret="s3cret-Value",
                            page_size=0))
    assert result == {"failed": True, "changed": False, "msg": "page_size must be at least 1, got 0."}
    result = call_here(FakeAction(), _info_run.argument_spec(), _info_run.run_info,
                       dict(api_base_url="http://127.0.0.1:1", client_id="cid", client_secret="s3cret-Value",
                            verdicts=["too_low"]))
    assert result["failed"] is True and "verdicts" in result["msg"] and "too_low" in result["msg"]


def test_a_result_without_secrets_is_not_copied():
    value = {"data_actions": [{"id": "a", "name": "Lookup", "timeout_seconds": 12, "config": {"x": [1, None, True]}}]}
    assert masked(value, ["s3cret-Value", "another-token-value"]) is value
    assert masked(value, []) is value and masked(value, [None, ""]) is value


@pytest.mark.parametrize("secret,value,expected", [
    ("s3cret-Value", {"a": ["x s3cret-Value y"]}, {"a": ["x ******** y"]}),
    ("s3cret-Value", {"a": {"b": "s3cret-Value"}}, {"a": {"b": "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER"}}),
    # A number whose text holds the secret, as remove_values reads it.
    ("90210", {"a": 1902109}, {"a": "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER"}),
    # Characters JSON escapes, and characters it does not (ensure_ascii is off).
    ('se"c\\ret\n', {"a": 'pre se"c\\ret\n post'}, {"a": "pre ******** post"}),
    ("s\u00e9cr\u00e8t-\u6f22", {"a": ["1 s\u00e9cr\u00e8t-\u6f22 2"]}, {"a": ["1 ******** 2"]}),
])
def test_a_result_with_a_secret_is_masked_as_a_module_masks_it(secret, value, expected):
    assert masked(value, [secret]) == expected

# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesyscloud.cx contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""data_action_timeout in the org task's worker: when it may run there, and how it runs like a module
(plugins/plugin_utils/_in_worker.py). The integration tests run it against the emulator, interrupted too."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import os
import sys

import pytest

from ansible_collections.genesyscloud.cx.plugins.modules import data_action_info, data_action_timeout
from ansible_collections.genesyscloud.cx.plugins.plugin_utils._in_worker import (
    WorkerModule,
    invocation_wanted,
    masked,
    run_here,
    same_python,
    why_not_here,
)

HERE = dict(transport="local", become=False, interpreter=sys.executable, async_val=0, timeout=0, has_requests=True)


def test_a_local_task_with_the_playbooks_python_runs_in_the_worker():
    assert why_not_here(**HERE) is None


@pytest.mark.parametrize("change,reason", [
    (dict(transport="ssh"), "the connection is ssh, not local"),
    (dict(become=True), "the task becomes another user"),
    (dict(interpreter=None), "ansible_python_interpreter is not set (it may be discovered to another Python)"),
    (dict(interpreter="/usr/bin/python3.99"),
     "ansible_python_interpreter is /usr/bin/python3.99, not the controller's %s" % sys.executable),
    (dict(async_val=30), "the task is async"),
    (dict(timeout=60), "the task has a timeout"),
    (dict(has_requests=False), "the controller's Python has no requests library"),
])
def test_anything_else_runs_a_module_process_and_says_why(change, reason):
    assert why_not_here(**dict(HERE, **change)) == reason


def test_the_same_python_is_the_same_path_not_the_same_file(tmp_path):
    assert same_python(sys.executable)
    assert same_python(os.path.join(os.path.dirname(sys.executable), ".", os.path.basename(sys.executable)))
    link = str(tmp_path / "python")
    os.symlink(sys.executable, link)
    assert not same_python(link)  # a virtual environment's python is a link: another set of libraries


def test_the_worker_module_runs_a_command_and_keeps_warnings():
    module = WorkerModule({"a": 1}, check_mode=True, diff=False)
    rc, out, dummy = module.run_command([sys.executable, "-c", "print('ok')"])
    assert (rc, out) == (0, "ok\n")
    assert module.run_command(["/nonexistent/ps"])[0] == 127
    module.warn("careful")
    assert module.warnings == ["careful"] and module.check_mode and not module._diff


class FakeModuleCode(object):
    """Stands for data_action_timeout: its real argument spec, a recorded execute()."""
    argument_spec = staticmethod(data_action_timeout.argument_spec)
    MUTUALLY_EXCLUSIVE = data_action_timeout.MUTUALLY_EXCLUSIVE
    REQUIRED_ONE_OF = data_action_timeout.REQUIRED_ONE_OF

    def __init__(self, msg=None, result=None):
        self.calls = []
        self.answer = (msg, result or {"changed": True, "results": []})

    def execute(self, module, watch):
        self.calls.append((module, watch))
        module.warn("warned with %s" % module.params["client_secret"])
        return self.answer


ARGS = {"api_base_url": "http://127.0.0.1:1", "client_id": "cid", "client_secret": "s3cret-Value",
        "select": {"timeout_at_most": 3}, "timeout_seconds": 10}


def test_arguments_are_checked_by_the_modules_own_spec_with_defaults_and_secrets_masked():
    code = FakeModuleCode(result={"changed": True, "results": [{"id": "a"}], "api_base_url": "s3cret-Value leaked"})
    result = run_here(code, dict(ARGS), check_mode=False, diff=True, watch="the watch", handed_over=("results",))
    module, watch = code.calls[0]
    assert watch == "the watch" and not module.check_mode and module._diff
    assert module.params["parallel"] == 16 and module.params["on_drift"] == "fail"  # the spec's defaults
    assert result["changed"] is True and "failed" not in result
    assert result["api_base_url"] == "******** leaked"
    # Handed over as they are, as a module hands them over through its results_file (scrubbed by the run itself).
    assert result["results"] is code.answer[1]["results"]
    assert result["warnings"] == ["warned with ********"]


def test_check_mode_gets_no_watch_and_a_failure_keeps_its_result():
    code = FakeModuleCode(msg="Nothing was written: too many", result={"changed": False, "results": [{"id": "a"}]})
    result = run_here(code, dict(ARGS), check_mode=True, diff=False, watch="the watch", invocation=False)
    module, watch = code.calls[0]
    assert watch is None and module.check_mode
    assert "invocation" not in result
    assert result["failed"] is True and result["msg"] == "Nothing was written: too many"
    assert result["results"] == [{"id": "a"}]


def test_the_secret_from_the_environment_is_masked_too(monkeypatch):
    monkeypatch.setenv("GENESYSCLOUD_OAUTHCLIENT_SECRET", "env-Secret-99")
    args = dict(ARGS)
    del args["client_secret"]
    code = FakeModuleCode()
    result = run_here(code, args, check_mode=True, diff=False)
    assert result["warnings"] == ["warned with ********"]


def test_bad_arguments_fail_before_the_run_without_their_secrets():
    code = FakeModuleCode()
    result = run_here(code, dict(ARGS, id="x", parallel="s3cret-Value"), check_mode=False, diff=False)
    assert code.calls == []
    assert result["failed"] is True and result["changed"] is False
    assert "mutually exclusive" in result["msg"] and "s3cret-Value" not in result["msg"]


def test_the_arguments_are_returned_as_a_modules_are_with_the_secrets_masked():
    code = FakeModuleCode(result={"changed": False, "results": [{"id": "a", "name": "s3cret-Value"}]})
    result = run_here(code, dict(ARGS), check_mode=True, diff=False)
    args = result["invocation"]["module_args"]
    assert args["client_secret"] == "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER" and args["client_id"] == "cid"
    assert args["parallel"] == 16
    # Not handed over: masked as everything else a module returns.
    assert result["results"] == [{"id": "a", "name": "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER"}]


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


def test_data_action_info_runs_here_with_its_own_spec():
    code = data_action_info
    result = run_here(code, dict(api_base_url="http://127.0.0.1:1", client_id="cid", client_secret="s3cret-Value",
                                 verdicts=["too_low"]), check_mode=False, diff=False)
    assert result["failed"] is True and "verdicts" in result["msg"] and "too_low" in result["msg"]
    # Refused before any request: the address is not listened on, so a request would have failed otherwise.
    result = run_here(code, dict(api_base_url="http://127.0.0.1:1", client_id="cid", client_secret="s3cret-Value",
                                 page_size=0), check_mode=True, diff=False)
    assert result == {"failed": True, "changed": False, "msg": "page_size must be at least 1, got 0.",
                      "invocation": result["invocation"]}
    assert result["invocation"]["module_args"]["client_secret"] == "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER"


def test_the_arguments_are_returned_where_a_module_process_would_return_them():
    from ansible.release import __version__
    before_2_21 = tuple(int(part) for part in __version__.split(".")[:2]) < (2, 21)
    assert invocation_wanted({}) is before_2_21  # 2.21 returns them only with INJECT_INVOCATION, off by default

# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesyscloud.cx contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The cyclic collector is paused around a run's reads and plan, and runs again for its writes."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import gc

import pytest

from ansible.module_utils.common.arg_spec import ArgumentSpecValidator

from ansible_collections.genesyscloud.cx.plugins.module_utils import _timeout_run
from ansible_collections.genesyscloud.cx.plugins.module_utils._collector import collector_paused
from ansible_collections.genesyscloud.cx.plugins.module_utils._interruption import ControllerWatch
from ansible_collections.genesyscloud.cx.plugins.module_utils._options import RunRequest
from tests.unit.plugins.fake_api import API, FakeGenesysCloud, make_action


def test_the_collector_is_paused_within_and_as_it_was_after_even_on_an_exception():
    assert gc.isenabled()
    with collector_paused():
        assert not gc.isenabled()
        with collector_paused():  # a pause within a pause changes nothing
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()
    with pytest.raises(KeyError):
        with collector_paused():
            raise KeyError("x")
    assert gc.isenabled()
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()  # left off by whoever turned it off
    finally:
        gc.enable()


def _request(check_mode):
    params = {"api_base_url": API, "access_token": "tok", "ids": ["custom_-_000", "custom_-_001"],
              "timeout_seconds": 10, "mode": "exact"}
    validated = ArgumentSpecValidator(_timeout_run.argument_spec(), mutually_exclusive=_timeout_run.MUTUALLY_EXCLUSIVE,
                                      required_one_of=_timeout_run.REQUIRED_ONE_OF).validate(params)
    assert not validated.error_messages
    return RunRequest(validated.validated_parameters, check_mode=check_mode)


@pytest.mark.parametrize("check_mode", [True, False])
def test_a_runs_reads_and_plan_go_without_the_collector_and_its_writes_with_it(make_client, monkeypatch, check_mode):
    fake = FakeGenesysCloud([make_action("Action %03d" % i, timeout=3, version=1, action_id="custom_-_%03d" % i)
                             for i in range(2)])
    client = make_client(fake)
    seen = {}

    def recording(name, original):
        def call(*args, **kwargs):
            seen[name] = gc.isenabled()
            return original(*args, **kwargs)
        return call

    for name in ("_listing", "_judged", "_apply"):
        monkeypatch.setattr(_timeout_run, name, recording(name, getattr(_timeout_run, name)))
    request = _request(check_mode)
    changed, result, dummy, refusal, stopped = _timeout_run._run(
        request, client, _timeout_run.Run(request.params), _timeout_run.RunWarnings(lambda text: None), ControllerWatch())
    assert (changed, refusal, stopped) == (True, None, None)
    assert [r["status"] for r in result["results"]] == ["would_update" if check_mode else "updated"] * 2
    assert seen["_listing"] is False and seen["_judged"] is False
    assert seen.get("_apply") is (None if check_mode else True)
    assert gc.isenabled()

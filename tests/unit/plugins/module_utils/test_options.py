# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesyscloud.cx contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The option adapter (plugins/module_utils/_options.py): one RunRequest from an AnsibleModule or from the arguments
an action plugin validated with the same spec."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json

import pytest
from ansible.module_utils.basic import AnsibleModule
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
from ansible.module_utils.testing import patch_module_args

from ansible_collections.genesyscloud.cx.plugins.module_utils._options import OptionAdapter, RunRequest

SPEC = {"name": {"type": "str"}, "parallel": {"type": "int", "default": 16},
        "client_secret": {"type": "str", "no_log": True}}


class _Task(object):
    check_mode = True
    diff = False


def test_an_ansible_modules_options_and_modes():
    with patch_module_args({"name": "x", "client_secret": "s", "_ansible_check_mode": True, "_ansible_diff": True}):
        module = AnsibleModule(argument_spec=SPEC, supports_check_mode=True)
    request = OptionAdapter.from_module(module).request()
    assert request.params == {"name": "x", "parallel": 16, "client_secret": "s"}
    assert request.check_mode is True and request.diff is True
    request.params["name"] = "changed by the run"
    assert module.params["name"] == "x"  # the run gets a copy


def test_an_action_plugins_validated_arguments_and_its_tasks_modes():
    validated = ArgumentSpecValidator(SPEC).validate({"name": "x", "parallel": "4"})
    adapter = OptionAdapter.from_validated(validated.validated_parameters, _Task())
    assert adapter.get_option("parallel") == 4 and adapter.get_option("client_secret") is None
    assert adapter.get_options("name", "parallel") == {"name": "x", "parallel": 4}
    request = adapter.request()
    assert request.params == {"name": "x", "parallel": 4, "client_secret": None}
    assert request.check_mode is True and request.diff is False


def test_both_give_the_same_request():
    args = {"name": "x", "parallel": 2, "client_secret": "s"}
    with patch_module_args(dict(args, _ansible_check_mode=True)):
        module = AnsibleModule(argument_spec=SPEC, supports_check_mode=True)
    from_module = OptionAdapter.from_module(module).request()
    from_action = OptionAdapter.from_validated(ArgumentSpecValidator(SPEC).validate(args).validated_parameters,
                                               _Task()).request()
    assert (from_module.params, from_module.check_mode, from_module.diff) == (
        from_action.params, from_action.check_mode, from_action.diff)


@pytest.mark.parametrize("secret", ["s3cret-Value"])
def test_a_request_never_shows_its_options(secret):
    request = RunRequest({"client_secret": secret}, check_mode=False)
    assert secret not in repr(request) and secret not in json.dumps(repr(request))

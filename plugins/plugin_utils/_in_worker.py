# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesyscloud.cx contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

# FOR INTERNAL COLLECTION USE ONLY
# The interfaces in this file are meant for use within the genesyscloud.cx collection and may change in
# any release.

"""data_action_timeout's run in the action plugin's own worker instead of a module process.

A module process costs a payload built, an interpreter started and Ansible's module code compiled again (about
0.3 s of CPU per org, more than half of what a small org costs the controller), and for a large org its result
masked, encoded and decoded once more. When the module would run on the controller anyway, with the controller's own
Python (``connection: local`` and ``ansible_python_interpreter`` the playbook's Python, as the role's hosts are),
the org's worker can do the same work itself: the arguments are checked by the module's own argument spec, the
run is data_action_timeout's own code (``execute``), the secrets are masked in the result as a module's are, and
the writes stop as soon as the controller is gone or a signal asks the worker to stop (``ControllerWatch``).
Anything else (another connection, become, another interpreter, async, a task timeout, no ``requests``) runs the
module as a module.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import os
import subprocess
import sys

from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
from ansible.module_utils.common.parameters import remove_values


def why_not_here(transport, become, interpreter, async_val, timeout, has_requests):
    """Why data_action_timeout must run as a module process for this task, or None when the worker can run it.

    ``interpreter`` is the host's ansible_python_interpreter, templated (None when unset).
    """
    if transport != "local":
        return "the connection is %s, not local" % transport
    if become:
        return "the task becomes another user"
    if not interpreter:
        return "ansible_python_interpreter is not set (it may be discovered to another Python)"
    if not same_python(interpreter):
        return "ansible_python_interpreter is %s, not the controller's %s" % (interpreter, sys.executable)
    if async_val:
        return "the task is async"
    if timeout:
        return "the task has a timeout"
    if not has_requests:
        return "the controller's Python has no requests library"
    return None


def same_python(interpreter):
    """Whether ``interpreter`` names the Python running this process (the same path: a virtual environment's
    python is a link to another one, with other libraries, so links are not followed)."""
    return os.path.normpath(os.path.abspath(interpreter)) == os.path.normpath(os.path.abspath(sys.executable))


class WorkerModule(object):
    """What data_action_timeout's run asks of its AnsibleModule: the checked arguments, check and diff mode,
    warnings, and a command to run (``ps``, where there is no /proc)."""

    def __init__(self, params, check_mode, diff):
        self.params = params
        self.check_mode = check_mode
        self._diff = diff
        self.warnings = []

    def warn(self, warning):
        self.warnings.append(warning)

    @staticmethod
    def run_command(args):
        try:
            process = subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, check=False,
                                     universal_newlines=True)
        except OSError as exc:
            return 127, "", str(exc)
        return process.returncode, process.stdout, process.stderr


def run_here(module_code, module_args, check_mode, diff, watch=None):
    """Run data_action_timeout (``module_code``: its module, imported) in this process with ``module_args``, as
    AnsibleModule would: the result a module would return, secrets masked, warnings in ``warnings``."""
    validator = ArgumentSpecValidator(module_code.argument_spec(), mutually_exclusive=module_code.MUTUALLY_EXCLUSIVE,
                                      required_one_of=module_code.REQUIRED_ONE_OF)
    validated = validator.validate(module_args)
    # The values of no_log options (the client secret, an access token), given or from the environment.
    secrets = set(v for v in validated._no_log_values if v)
    if validated.error_messages:
        return remove_values({"failed": True, "changed": False, "msg": "; ".join(validated.error_messages)}, secrets)
    module = WorkerModule(validated.validated_parameters, bool(check_mode), bool(diff))
    msg, result = module_code.execute(module, None if module.check_mode else watch)
    result = dict(result)
    # The per-action results are handed over as they are, as a module hands them over through its results_file
    # (the API's data, and messages the run scrubbed of its secrets already): masking copies every value, several
    # tenths of a second and as many megabytes again for a large org.
    results = result.pop("results", None)
    if msg:
        result.update(failed=True, msg=msg)
    if module.warnings:
        result["warnings"] = list(module.warnings)
    result = remove_values(result, secrets)
    if results is not None:
        result["results"] = results
    return result

# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesyscloud.cx contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

# FOR INTERNAL COLLECTION USE ONLY
# The interfaces in this file are meant for use within the genesyscloud.cx collection and may change in
# any release.

"""A module of this collection run in the action plugin's own worker instead of a module process.

A module process costs a payload built, an interpreter started and Ansible's module code compiled again (about
0.3 s of CPU per task, more than half of what a small org costs the controller), and for a large org its result
masked, encoded and decoded once more. When the module would run on the controller anyway, with the controller's own
Python (``connection: local`` and ``ansible_python_interpreter`` the playbook's Python, as the collection's example
inventory sets it), the task's worker can do the same work itself: the arguments are checked by the module's own
argument spec, the run is the module's own code (its ``execute``), the secrets are masked in the result as a
module's are, and data_action_timeout's writes stop as soon as the controller is gone or a signal asks the worker to
stop (``ControllerWatch``). Anything else (another connection, become, another interpreter, async, a task timeout,
no ``requests``) runs the module as a module. data_action_timeout runs so in the role's org task
(timeout_org_run), data_action_info in its own action plugin.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json
import os
import subprocess
import sys

from ansible import constants as C
from ansible.errors import AnsibleError
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
from ansible.module_utils.common.parameters import remove_values
from ansible.module_utils.common.text.converters import to_text
from ansible.utils.display import Display

from ansible_collections.genesyscloud.cx.plugins.module_utils._connection import HAS_REQUESTS
from ansible_collections.genesyscloud.cx.plugins.module_utils._interruption import ControllerWatch

display = Display()


def why_not_here(transport, become, interpreter, async_val, timeout, has_requests):
    """Why the module must run as a module process for this task, or None when the worker can run it.

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
    """What a module's run asks of its AnsibleModule: the checked arguments, check and diff mode,
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


def masked(value, secrets):
    """``value`` with ``secrets`` masked as AnsibleModule masks a module's result (``remove_values``), copied only
    when a secret is in it: masking copies every value, several tenths of a second and as many megabytes again for
    a large org's listing, to find nothing in the API's data in all but the rarest case.

    The test reads the value's JSON: a string that holds a secret holds it in its JSON too (each character is
    escaped on its own), and a number's JSON is its text, as remove_values reads it. A match that is not one (a
    secret across two values) only costs the copy.
    """
    secrets = [s for s in secrets if s]
    if not secrets:
        return value
    try:
        text = json.dumps(value, ensure_ascii=False, default=to_text)
    except (TypeError, ValueError):
        return remove_values(value, secrets)
    if any(json.dumps(to_text(s), ensure_ascii=False)[1:-1] in text for s in secrets):
        return remove_values(value, secrets)
    return value


def run_here(module_code, module_args, check_mode, diff, watch=None, handed_over=(), invocation=True):
    """Run a module (``module_code``: the module, imported; its ``argument_spec()``, its ``execute(module, watch)``,
    and its ``MUTUALLY_EXCLUSIVE`` and ``REQUIRED_ONE_OF`` where it has them) in this process with ``module_args``,
    as AnsibleModule would: the result a module would return, secrets masked, warnings in ``warnings``, the
    arguments in ``invocation`` (unless ``invocation`` is false: a caller that drops them). The keys in
    ``handed_over`` are left as they are (what a module process hands over in a file, unmasked)."""
    validator = ArgumentSpecValidator(module_code.argument_spec(),
                                      mutually_exclusive=getattr(module_code, "MUTUALLY_EXCLUSIVE", None),
                                      required_one_of=getattr(module_code, "REQUIRED_ONE_OF", None))
    validated = validator.validate(module_args)
    # The values of no_log options (the client secret, an access token), given or from the environment.
    secrets = set(v for v in validated._no_log_values if v)
    if validated.error_messages:
        return remove_values({"failed": True, "changed": False, "msg": "; ".join(validated.error_messages)}, secrets)
    module = WorkerModule(validated.validated_parameters, bool(check_mode), bool(diff))
    msg, result = module_code.execute(module, None if module.check_mode else watch)
    result = dict(result)
    kept = dict((key, result.pop(key)) for key in handed_over if key in result)
    if msg:
        result.update(failed=True, msg=msg)
    if module.warnings:
        result["warnings"] = list(module.warnings)
    result = masked(result, secrets)
    if invocation:
        result["invocation"] = {"module_args": remove_values(module.params, secrets)}
    result.update(kept)
    return result


def invocation_wanted(task_vars):
    """Whether a module's result holds its arguments (``invocation``), as a module process's would: always before
    ansible-core 2.21, and from 2.21 on where INJECT_INVOCATION (off by default) asks for it."""
    try:
        return bool(C.config.get_config_value("INJECT_INVOCATION", variables=task_vars))
    except AnsibleError:  # no such setting before 2.21
        return True


def run_for_task(action, task_vars, module_name, module_code, module_args, watch_writes=False,
                 process_only=(), handed_over=(), invocation=True):
    """The result of module ``module_name`` (``module_code``, imported) for an action plugin's task: run in this
    worker where it would run on the controller with the controller's Python anyway, as a module process otherwise
    (``-vvv`` says which, and why). ``watch_writes``: watch the controller and the stop signals while the module
    writes (not in check mode). ``process_only``: arguments only a module process needs (a file to hand its results
    over through), left out here. ``handed_over``: as for run_here; ``invocation``: false for a caller that drops the
    arguments (otherwise they are returned as a module process returns them)."""
    short_name = module_name.rsplit(".", 1)[-1]
    interpreter = task_vars.get("ansible_python_interpreter")
    if interpreter is not None:
        interpreter = to_text(action._templar.template(interpreter))
    why_not = why_not_here(getattr(action._connection, "transport", None), action._play_context.become, interpreter,
                           action._task.async_val, getattr(action._task, "timeout", None), HAS_REQUESTS)
    if why_not:
        display.vvv("%s runs as a module process: %s" % (short_name, why_not))
        # As the normal action plugin runs a module (an async task's module is started in the background).
        wrap_async = bool(action._task.async_val) and not action._connection.has_native_async
        return action._execute_module(module_name=module_name, module_args=module_args, task_vars=task_vars,
                                      wrap_async=wrap_async)
    display.vvv("%s runs in this worker, with the controller's Python" % short_name)
    # The task's environment, as a module process would get it (this worker runs this one task, then ends).
    environment = {}
    action._compute_environment_string(environment)
    os.environ.update((to_text(k), to_text(v)) for k, v in environment.items())
    check_mode = bool(action._task.check_mode)
    watch = ControllerWatch.of_worker() if watch_writes and not check_mode else None
    module_args = dict((k, v) for k, v in module_args.items() if k not in process_only)
    return run_here(module_code, module_args, check_mode, action._task.diff, watch, handed_over=handed_over,
                    invocation=invocation and invocation_wanted(task_vars))

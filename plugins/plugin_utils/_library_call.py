# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesyscloud.cx contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

# FOR INTERNAL COLLECTION USE ONLY
# The interfaces in this file are meant for use within the genesyscloud.cx collection and may change in
# any release.

"""An action plugin's task calling one of the collection's libraries (module_utils/_timeout_run.py,
module_utils/_info_run.py) for the module it stands for, in its own worker or as that module's process.

What a module process gets from core, the worker does itself, with core's own functions: the play's
``module_defaults`` for the module (its fqcn and the collection's action group), the task's ``environment``
(set for the call and restored after), the arguments checked by the module's argument spec (its alias and
deprecation warnings in the task's result), and the no_log values masked in what the task returns.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import contextlib
import json
import os

from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
from ansible.module_utils.common.parameters import remove_values
from ansible.module_utils.common.text.converters import to_text
from ansible.plugins.action import ActionBase
from ansible.utils.display import Display

from ansible_collections.genesyscloud.cx.plugins.module_utils._interruption import StopSignalsHeld
from ansible_collections.genesyscloud.cx.plugins.module_utils._options import OptionAdapter
from ansible_collections.genesyscloud.cx.plugins.plugin_utils._in_worker import why_not_in_worker

try:  # ansible-core 2.19 and later
    from ansible.executor.module_common import _apply_action_arg_defaults
    get_action_args_with_defaults = None
except ImportError:  # ansible-core 2.16 to 2.18
    _apply_action_arg_defaults = None
    from ansible.executor.module_common import get_action_args_with_defaults

display = Display()


class UnexpectedRunError(Exception):
    """A library call that raised what no run expects: the exception's type and text, no_log values masked."""


def with_module_defaults(action, fqcn, module_args):
    """``module_args`` completed by the play's ``module_defaults`` for the module ``fqcn``: its own key and the
    groups meta/runtime.yml puts it in (``group/genesyscloud.cx.genesyscloud``); the arguments given win."""
    task = action._task
    if not task.module_defaults:
        return dict(module_args)
    if _apply_action_arg_defaults is not None:
        return _apply_action_arg_defaults(fqcn, task, dict(module_args), action._templar)
    return get_action_args_with_defaults(fqcn, dict(module_args), task.module_defaults, action._templar,
                                         action_groups=task._parent._play._action_groups)


@contextlib.contextmanager
def task_environment(action):
    """The task's ``environment:`` in os.environ for the call, as a module process would get it; what was there
    before is put back after, an exception or not (one worker may run several loop items)."""
    environment = {}
    action._compute_environment_string(environment)
    environment = dict((to_text(k), to_text(v)) for k, v in environment.items())
    before = dict((key, os.environ.get(key)) for key in environment)
    os.environ.update(environment)
    try:
        yield
    finally:
        for key, value in before.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def masked(value, secrets):
    """``value`` with ``secrets`` masked (core's ``remove_values``), copied only when a secret is in it: masking
    copies every value, several tenths of a second and as many megabytes again for a large org's listing, to find
    nothing in the API's data in all but the rarest case.

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


def spec_messages(validated):
    """The alias warnings and the deprecations of a validation, as a module's result carries them."""
    warnings = ["Both option %s and its alias %s are set." % (w["option"], w["alias"]) for w in validated._warnings]
    deprecations = [dict((key, value) for key, value in d.items() if value is not None) for d in validated._deprecations]
    return warnings, deprecations


def call_here(action, spec, library, module_args, kept=(), mutually_exclusive=None, required_one_of=None):
    """The task's result of ``library(request, warn)`` (a RunRequest of ``module_args`` checked by ``spec``), called
    in this worker within the task's environment: failed with the message the library returns, its warnings and
    the spec's in ``warnings``, no_log values masked except in the keys of ``kept`` (a library's own results,
    scrubbed by the run itself and kept in memory for the report)."""
    with task_environment(action):
        # Validated here, inside the environment: the options' environment fallbacks read it.
        validated = ArgumentSpecValidator(spec, mutually_exclusive=mutually_exclusive,
                                          required_one_of=required_one_of).validate(module_args)
        secrets = [v for v in validated._no_log_values if v]
        warnings, deprecations = spec_messages(validated)
        if validated.error_messages:
            return masked({"failed": True, "changed": False, "msg": "; ".join(validated.error_messages)}, secrets)
        request = OptionAdapter.from_validated(validated.validated_parameters, action._task).request()
        try:
            msg, result = library(request, warnings.append)
        except Exception as exc:  # pylint: disable=broad-except
            # Said with the no_log values masked, and without the original (its text may hold one).
            raise UnexpectedRunError(masked("%s: %s" % (type(exc).__name__, to_text(exc)), secrets)) from None
    result = dict(result)
    handed = dict((key, result.pop(key)) for key in kept if key in result)
    if msg:
        result.update(failed=True, msg=msg)
    if warnings:
        result["warnings"] = warnings
    if deprecations:
        result["deprecations"] = deprecations
    result = masked(result, secrets)
    result.update(handed)
    return result


def call_for_task(action, task_vars, fqcn, spec, library, module_args, process_only=(), kept=(),
                  mutually_exclusive=None, required_one_of=None, hold_stop_signals=False):
    """The result of the module ``fqcn`` for ``action``'s task, ``module_args`` completed by the play's
    module_defaults: ``library`` called in this worker where the module would run on the controller with the
    controller's Python anyway, the module run as a module process otherwise (``-vvv`` says which, and why).
    ``process_only``: arguments only a module process needs (a file to hand its results over through).
    ``hold_stop_signals``: a run that writes holds SIGINT, SIGTERM and SIGHUP until its result is made: each stops
    its writes, and the worker lives to settle those in flight (Ansible's own handler would end it at once)."""
    with StopSignalsHeld() if hold_stop_signals else contextlib.nullcontext():
        return _call_for_task(action, task_vars, fqcn, spec, library, module_args, process_only, kept,
                              mutually_exclusive, required_one_of)


def _call_for_task(action, task_vars, fqcn, spec, library, module_args, process_only, kept, mutually_exclusive,
                   required_one_of):
    short_name = fqcn.rsplit(".", 1)[-1]
    module_args = with_module_defaults(action, fqcn, module_args)
    why_not = why_not_in_worker(action, task_vars)
    if why_not:
        display.vvv("%s runs as a module process: %s" % (short_name, why_not))
        # As the normal action plugin runs a module (an async task's module is started in the background).
        wrap_async = bool(action._task.async_val) and not action._connection.has_native_async
        return action._execute_module(module_name=fqcn, module_args=module_args, task_vars=task_vars,
                                      wrap_async=wrap_async)
    display.vvv("%s runs in this worker, with the controller's Python" % short_name)
    module_args = dict((k, v) for k, v in module_args.items() if k not in process_only)
    return call_here(action, spec, library, module_args, kept=kept, mutually_exclusive=mutually_exclusive,
                     required_one_of=required_one_of)


class LibraryCallAction(ActionBase):
    """The action plugin of a module whose library this collection calls in the task's worker (or whose module it
    runs): ``MODULE`` (its fqcn), ``argument_spec()``, ``library(request, warn)`` and the call's options, given by
    the subclass."""

    TRANSFERS_FILES = False
    _supports_check_mode = True
    _supports_async = True
    MODULE = None

    def argument_spec(self):
        raise NotImplementedError

    def library(self, request, warn):
        raise NotImplementedError

    def call_options(self):
        """More keyword arguments of call_for_task for this task (mutually_exclusive, hold_stop_signals...)."""
        return {}

    def run(self, tmp=None, task_vars=None):
        result = super(LibraryCallAction, self).run(tmp, task_vars)
        del tmp
        result.update(call_for_task(self, task_vars or {}, self.MODULE, self.argument_spec(), self.library,
                                    self._task.args, **self.call_options()))
        return result

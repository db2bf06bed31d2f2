# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesyscloud.cx contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

# FOR INTERNAL COLLECTION USE ONLY
# The interfaces in this file are meant for use within the genesyscloud.cx collection and may change in
# any release.

"""Where an action plugin's task runs its library: in the task's own worker, or as a module process.

A module process costs a payload built, an interpreter started and Ansible's module code compiled again (about
0.3 s of CPU per task), and for a large org its result masked, encoded and decoded once more. When the module would
run on the controller anyway, with the controller's own Python (``connection: local`` and ``ansible_python_interpreter``
the playbook's Python, as the collection's example inventory sets it; the delegated host's when the task is
delegated), the worker calls the library itself (plugin_utils/_library_call.py). Anything else (another connection,
become, another interpreter, async, a task timeout, no ``requests``) runs the module as a module.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import os
import sys

from ansible.module_utils.common.text.converters import to_text

from ansible_collections.genesyscloud.cx.plugins.module_utils._connection import HAS_REQUESTS


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


def target_vars(task, task_vars):
    """The variables of the host the task's module would run on: the delegated host's when the task is delegated
    (as core reads the interpreter for a delegated module), the task's host's otherwise."""
    if task.delegate_to:
        delegated = (task_vars.get("ansible_delegated_vars") or {}).get(task.delegate_to)
        if delegated is not None:
            return delegated
    return task_vars


def why_not_in_worker(action, task_vars):
    """Why ``action``'s task must run its module as a module process, or None: it may run in this worker."""
    interpreter = target_vars(action._task, task_vars).get("ansible_python_interpreter")
    if interpreter is not None:
        interpreter = to_text(action._templar.template(interpreter))
    return why_not_here(getattr(action._connection, "transport", None), action._play_context.become, interpreter,
                        action._task.async_val, getattr(action._task, "timeout", None), HAS_REQUESTS)

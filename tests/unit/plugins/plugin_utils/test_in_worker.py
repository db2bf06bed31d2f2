# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesyscloud.cx contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Where an action's task runs its library: in its worker or as a module process (plugins/plugin_utils/_in_worker.py).
The integration tests run both against the emulator."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import os
import sys

import pytest

from ansible_collections.genesyscloud.cx.plugins.plugin_utils._in_worker import (
    same_python,
    target_vars,
    why_not_in_worker,
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


class _Task(object):
    def __init__(self, delegate_to=None):
        self.delegate_to = delegate_to


def test_a_delegated_task_is_judged_by_the_delegated_hosts_vars():
    task_vars = {"ansible_python_interpreter": "/elsewhere/python",
                 "ansible_delegated_vars": {"localhost": {"ansible_python_interpreter": sys.executable}}}
    assert target_vars(_Task("localhost"), task_vars)["ansible_python_interpreter"] == sys.executable
    assert target_vars(_Task(), task_vars)["ansible_python_interpreter"] == "/elsewhere/python"


class _Templar(object):
    @staticmethod
    def template(value):
        return value.replace("{{ ansible_playbook_python }}", sys.executable)


class _Action(object):
    """What why_not_in_worker reads of an action plugin."""

    def __init__(self, transport="local", become=False, async_val=0, delegate_to=None):
        self._connection = type("Connection", (), {"transport": transport})()
        self._play_context = type("PlayContext", (), {"become": become})()
        self._task = _Task(delegate_to)
        self._task.async_val = async_val
        self._task.timeout = None
        self._templar = _Templar()


def test_the_task_decides_by_its_connection_become_async_and_its_hosts_templated_interpreter():
    here = {"ansible_python_interpreter": "{{ ansible_playbook_python }}"}
    assert why_not_in_worker(_Action(), here) is None
    assert why_not_in_worker(_Action(transport="ssh"), here) == "the connection is ssh, not local"
    assert why_not_in_worker(_Action(become=True), here) == "the task becomes another user"
    assert why_not_in_worker(_Action(async_val=30), here) == "the task is async"
    delegated = {"ansible_python_interpreter": "/nonexistent/python3",
                 "ansible_delegated_vars": {"localhost": dict(here)}}
    assert why_not_in_worker(_Action(delegate_to="localhost"), delegated) is None
    assert why_not_in_worker(_Action(), delegated).startswith("ansible_python_interpreter is /nonexistent/python3")

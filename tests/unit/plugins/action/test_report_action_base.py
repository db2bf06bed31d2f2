# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesyscloud.cx contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the report actions share (plugin_utils/_report_action.py) and what their docs say once (doc fragment
report_writing): each action takes exactly the options its module documents, the fragments merged as
ansible-doc merges them, with the same type, default, choices and required."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import importlib
import os
from unittest import mock

import pytest
import yaml
from ansible.errors import AnsibleActionFail
from ansible.playbook.play_context import PlayContext
from ansible.playbook.task import Task
from ansible.utils.plugin_docs import add_fragments

from ansible_collections.genesyscloud.cx.plugins.filter.timeout_report import timeout_report
from ansible_collections.genesyscloud.cx.plugins.plugin_utils._report_action import ReportAction

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", "..", ".."))
REPORT_ACTIONS = ["timeout_run_folder", "timeout_org_report", "timeout_run_report", "timeout_report_files"]
COLLECTION = "genesyscloud.cx."


class _Fragments(object):
    """The collection's doc fragments by their full name, as ansible-doc's fragment loader hands them out."""

    def get(self, name):
        if not name.startswith(COLLECTION):
            return None
        try:
            module = importlib.import_module("ansible_collections.genesyscloud.cx.plugins.doc_fragments."
                                             + name[len(COLLECTION):])
        except ImportError:
            return None
        fragment = module.ModuleDocFragment
        fragment.ansible_name = name
        return fragment


def _own_documentation(name):
    path = os.path.join(REPO, "plugins", "modules", name + ".py")
    with open(path) as handle:
        return path, yaml.safe_load(handle.read().split('DOCUMENTATION = r"""', 1)[1].split('"""', 1)[0])


def _documented_options(name):
    path, doc = _own_documentation(name)
    add_fragments(doc, path, _Fragments(), is_module=True)
    return doc["options"]


def _action(name):
    return importlib.import_module("ansible_collections.genesyscloud.cx.plugins.action." + name).ActionModule


@pytest.mark.parametrize("name", REPORT_ACTIONS)
def test_each_report_action_takes_exactly_the_options_its_module_documents(name):
    documented = _documented_options(name)
    action = _action(name)
    assert issubclass(action, ReportAction)
    assert action._VALID_ARGS == frozenset(action.ARGUMENT_SPEC) == frozenset(documented)
    for option, spec in action.ARGUMENT_SPEC.items():
        doc = documented[option]
        assert doc["description"], option
        said = dict((key, doc.get(key)) for key in ("type", "elements", "choices", "default"))
        meant = dict((key, spec.get(key)) for key in ("type", "elements", "choices", "default"))
        assert said == meant, option
        assert bool(doc.get("required")) == bool(spec.get("required")), option


def test_the_shared_options_are_documented_once():
    for name in ("timeout_org_report", "timeout_run_report", "timeout_report_files"):
        own = _own_documentation(name)[1]["options"]
        assert not set(own) & {"formats", "show"}, name
        assert {"formats", "show"} <= set(_documented_options(name)), name


def _run(name, args, check_mode=False):
    task = Task()
    task.args = args
    connection = mock.MagicMock()
    connection._shell.tmpdir = "/tmp/unused"
    context = PlayContext()
    context.check_mode = check_mode
    action = _action(name)(task, connection=connection, play_context=context, loader=None, templar=None,
                           shared_loader_obj=None)
    return action.run(task_vars={"inventory_hostname": "localhost"})


@pytest.mark.parametrize("name", REPORT_ACTIONS)
def test_an_option_the_action_does_not_take_is_refused_before_anything_is_written(tmp_path, name):
    dest = tmp_path / "run-1"
    with pytest.raises(AnsibleActionFail) as caught:
        _run(name, {"dest": str(dest), "orgs": ["prod"], "not_an_option": 1})
    assert "not_an_option" in str(caught.value)
    assert not dest.exists()


def test_check_mode_writes_too_and_changes_nothing(tmp_path):
    dest = tmp_path / "run-1"
    result = _run("timeout_run_folder", {"dest": str(dest)}, check_mode=True)
    assert result["changed"] is False and result["dest"] == str(dest) and dest.is_dir()
    report = timeout_report([], org="prod", mode="audit", check_mode=True, run_id="run-1")
    result = _run("timeout_org_report", {"dest": str(dest), "report": report, "formats": ["json"], "show": False},
                  check_mode=True)
    assert result["changed"] is False and result["paths"] == [str(dest / "prod.json")]
    assert (dest / "prod.json").is_file() and "_ansible_verbose_always" not in result

# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesyscloud.cx contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Prepare a run's report folder before its first request: choose or refuse the run id, prove the folder writable
(docs: modules/timeout_run_folder.py)."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from ansible_collections.genesyscloud.cx.plugins.plugin_utils._report_action import ReportAction
from ansible_collections.genesyscloud.cx.plugins.plugin_utils._report_files import run_folder

_ARGS = {
    "dest": {"type": "path", "required": True},
    "run_continues": {"type": "bool", "default": False},
    "run_id_chosen": {"type": "bool", "default": True},
}


class ActionModule(ReportAction):
    """Creates and probes the folder on the controller; never contacts the managed host."""

    ARGUMENT_SPEC = _ARGS

    def _report_step(self, args, result):
        dest = run_folder(args["dest"], args["run_continues"], args["run_id_chosen"])
        result.update(dest=dest, msg=["reports go to %s" % dest])

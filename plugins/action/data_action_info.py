# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesyscloud.cx contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""data_action_info run in the task's worker where it would run on the controller with the controller's Python
anyway, as a module process otherwise (docs: modules/data_action_info.py; how: plugin_utils/_in_worker.py).

A large org's listing is the module's whole result: run in the worker, it is neither masked copy by copy, nor
encoded and decoded once more on its way back, and no interpreter is started to make it.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from ansible.plugins.action import ActionBase

from ansible_collections.genesyscloud.cx.plugins.modules import data_action_info
from ansible_collections.genesyscloud.cx.plugins.plugin_utils._in_worker import run_for_task

MODULE = "genesyscloud.cx.data_action_info"


class ActionModule(ActionBase):
    """Runs data_action_info's own code in this worker, or the module, with the task's arguments."""

    TRANSFERS_FILES = False
    _supports_check_mode = True
    _supports_async = True

    def run(self, tmp=None, task_vars=None):
        result = super(ActionModule, self).run(tmp, task_vars)
        del tmp
        result.update(run_for_task(self, task_vars or {}, MODULE, data_action_info, self._task.args))
        return result

# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesyscloud.cx contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""data_action_info's library called in the task's worker where the module would run on the controller with the
controller's Python anyway, the module run as a module process otherwise (docs: modules/data_action_info.py; how:
plugin_utils/_library_call.py).

A large org's listing is the module's whole result: called in the worker, it is neither masked copy by copy, nor
encoded and decoded once more on its way back, and no interpreter is started to make it.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from ansible.plugins.action import ActionBase

from ansible_collections.genesyscloud.cx.plugins.module_utils._info_run import argument_spec, run_info
from ansible_collections.genesyscloud.cx.plugins.plugin_utils._library_call import call_for_task

MODULE = "genesyscloud.cx.data_action_info"


class ActionModule(ActionBase):
    """Calls data_action_info's library in this worker, or runs the module, with the task's arguments."""

    TRANSFERS_FILES = False
    _supports_check_mode = True
    _supports_async = True

    def run(self, tmp=None, task_vars=None):
        result = super(ActionModule, self).run(tmp, task_vars)
        del tmp
        result.update(call_for_task(self, task_vars or {}, MODULE, argument_spec(), run_info, self._task.args))
        return result

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

from ansible_collections.genesyscloud.cx.plugins.module_utils._info_run import argument_spec, run_info
from ansible_collections.genesyscloud.cx.plugins.plugin_utils._library_call import LibraryCallAction


class ActionModule(LibraryCallAction):
    """Calls data_action_info's library in this worker, or runs the module, with the task's arguments."""

    MODULE = "genesyscloud.cx.data_action_info"

    def argument_spec(self):
        return argument_spec()

    def library(self, request, warn):
        return run_info(request, warn)

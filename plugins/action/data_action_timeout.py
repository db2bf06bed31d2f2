# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesyscloud.cx contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""data_action_timeout's library called in the task's worker where the module would run on the controller with the
controller's Python anyway, the module run as a module process otherwise (docs: modules/data_action_timeout.py;
how: plugin_utils/_library_call.py).

A user's own play that calls the module directly saves a module process per task, as the role's org task does;
a real run's writes stop, settled and recorded, once the controller is gone or a stop signal comes.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from ansible_collections.genesyscloud.cx.plugins.module_utils._interruption import ControllerWatch
from ansible_collections.genesyscloud.cx.plugins.module_utils._timeout_run import (
    MUTUALLY_EXCLUSIVE,
    REQUIRED_ONE_OF,
    argument_spec,
    hand_over_results,
    run_timeouts,
)
from ansible_collections.genesyscloud.cx.plugins.plugin_utils._library_call import LibraryCallAction


class ActionModule(LibraryCallAction):
    """Calls data_action_timeout's library in this worker, or runs the module, with the task's arguments."""

    MODULE = "genesyscloud.cx.data_action_timeout"

    def argument_spec(self):
        return argument_spec()

    def library(self, request, warn):
        """The module's run, as its main() makes it: the controller watched while it writes, results handed over to
        results_file when one is given."""
        msg, result = run_timeouts(request, warn, None if request.check_mode else ControllerWatch.of_worker())
        hand_over_results(request.params.get("results_file"), result, warn)
        return msg, result

    def call_options(self):
        # A real run holds the stop signals until its result is made, so that it settles the writes in flight.
        return dict(mutually_exclusive=MUTUALLY_EXCLUSIVE, required_one_of=REQUIRED_ONE_OF,
                    hold_stop_signals=not self._task.check_mode)

# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesyscloud.cx contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Test-only callback: writes every task result of a play to the JSON file named by
``GENESYSCLOUD_CX_RECORD_FILE``, so integration tests assert on results, not on screen text."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r"""
name: record_results
type: aggregate
short_description: record task results to a JSON file (tests only)
description:
  - Writes every task result, keyed by task name, to the file named by C(GENESYSCLOUD_CX_RECORD_FILE).
"""

import json
import os

from ansible.plugins.callback import CallbackBase


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = 'aggregate'
    CALLBACK_NAME = 'record_results'
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self):
        super(CallbackModule, self).__init__()
        self._results = []

    def _record(self, result, status):
        # The result the callback sees is already censored for no_log tasks, as users would see it.
        entry = dict(result._result)
        entry['_host'] = result._host.get_name()
        entry['_status'] = status
        entry['_task'] = result._task.get_name()
        self._results.append(entry)

    def v2_runner_on_ok(self, result):
        self._record(result, 'ok')

    def v2_runner_on_failed(self, result, ignore_errors=False):
        self._record(result, 'ignored' if ignore_errors else 'failed')

    def v2_runner_on_skipped(self, result):
        self._record(result, 'skipped')

    def v2_runner_on_unreachable(self, result):
        self._record(result, 'unreachable')

    def v2_playbook_on_stats(self, stats):
        path = os.environ.get('GENESYSCLOUD_CX_RECORD_FILE')
        if not path:
            return
        with open(path, 'w') as handle:
            json.dump(self._results, handle, default=str)

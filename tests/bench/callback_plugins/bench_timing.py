# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesyscloud.cx contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Benchmark-only callback: when each task started and ended on each host, written as JSON to the file
named by ``GENESYSCLOUD_CX_BENCH_TIMING``; no -vvv needed, nothing printed."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r"""
name: bench_timing
type: aggregate
short_description: per-task, per-host start and end times to a JSON file (benchmarks only)
description:
  - Records, for every task result, the host, the task name and action, its status, when the worker
    started the task on that host and when its result arrived, to the file named by
    C(GENESYSCLOUD_CX_BENCH_TIMING), plus when the playbook started and ended.
"""

import json
import os
import time

from ansible.plugins.callback import CallbackBase


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = 'aggregate'
    CALLBACK_NAME = 'bench_timing'
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self):
        super(CallbackModule, self).__init__()
        self._began = time.time()
        self._task_started = {}
        self._started = {}
        self._records = []

    def v2_playbook_on_task_start(self, task, is_conditional):
        self._task_started[task._uuid] = time.time()

    def v2_playbook_on_handler_task_start(self, task):
        self._task_started[task._uuid] = time.time()

    def v2_runner_on_start(self, host, task):
        self._started[(host.get_name(), task._uuid)] = time.time()

    def _done(self, result, status):
        task, host = result._task, result._host.get_name()
        started = self._started.pop((host, task._uuid), self._task_started.get(task._uuid, self._began))
        self._records.append({'host': host, 'task': task.get_name(), 'action': task.action, 'status': status,
                              'start': started, 'end': time.time()})

    def v2_runner_on_ok(self, result):
        self._done(result, 'ok')

    def v2_runner_on_failed(self, result, ignore_errors=False):
        self._done(result, 'failed')

    def v2_runner_on_skipped(self, result):
        self._done(result, 'skipped')

    def v2_runner_on_unreachable(self, result):
        self._done(result, 'unreachable')

    def v2_playbook_on_stats(self, stats):
        path = os.environ.get('GENESYSCLOUD_CX_BENCH_TIMING')
        if path:
            with open(path, 'w') as handle:
                json.dump({'began': self._began, 'ended': time.time(), 'tasks': self._records}, handle)

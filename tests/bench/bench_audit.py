# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesyscloud.cx contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Benchmark 4: an audit of a large org with observed execution times: requests, wall time, peak memory.

    .venv/bin/python tests/bench/bench_audit.py [--actions 10000] [--latency-ms 0] [--rounds 3]

One emulated org of ``--actions`` generated actions with their execution history (the generator's mix:
about 180 executions per action on average, so some 1.5 million in all). Each round runs, from a fresh
emulator state: the audit playbook with observed times (``genesyscloud.cx.audit -e
data_action_timeouts_use_stats=true``), the module alone (one ``genesyscloud.cx.data_action_info`` task
with ``stats: true``), the same module as a module process, and a no-op playbook (one debug task). The role and
the module alone run with the collection's usual inventory (the playbook's Python: the task's worker runs the
module's code), the whole ansible-playbook run under measure_python.py: its peak is the largest process of the run
(the task's worker, a fork of ansible-playbook doing the module's work), its CPU all of the run's. The module process
row (a diagnostic, no verdict: what running in the worker saves) runs the module under
tests/bench/measure_python.py as its interpreter, which records the module process's peak and CPU.

Prints per variant: requests by kind (floor: 1 token, ceil(N / page_size) listing pages, the pending-drafts
listing when the variant makes one, one analytics query), the emulator's own time for the analytics query,
the median wall time and its excess over the no-op playbook, and the peak memory; then, for the
role, the mean time of each task (tests/bench/callback_plugins/bench_timing.py). Verdicts: requests at
the floor, peak under 200 MB, under 3 s over the no-op floor. Needs the collection installed
(GENESYSCLOUD_CX_COLLECTIONS_PATH).
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import argparse
import collections
import json
import math
import os
import shutil
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import _common as common  # noqa: E402
from bench_orgs import CALLBACKS, per_task  # noqa: E402
from bench_remediate import module_default  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--actions', type=int, default=10000)
    parser.add_argument('--latency-ms', type=int, default=0)
    parser.add_argument('--rounds', type=int, default=common.rounds_default(3))
    options = parser.parse_args()
    page_size = module_default('page_size')

    print('## Benchmark 4: audit of %d actions with observed execution times' % options.actions)
    print('machine: %s' % common.machine_line())
    workdir = tempfile.mkdtemp(prefix='bench-audit-')
    emu = common.start_emulator(['--generate', str(options.actions), '--random-seed', '4', '--latency-ms',
                                 str(options.latency_ms)])
    measures_path = os.path.join(workdir, 'modules.jsonl')
    timing_path = os.path.join(workdir, 'timing.json')
    task_times = collections.defaultdict(list)
    rows = collections.OrderedDict((name, {'runs': [], 'counts': None, 'analytics_s': [], 'modules': []})
                                   for name in ('role', 'info', 'info_process', 'noop'))
    try:
        state = emu.state()['orgs']['demo']
        listed = len(state['actions'])
        executions = sum(state['execution_counts'].values())
        del state
        python = common.measuring_interpreter(workdir)
        hosts = {'demo': {'ansible_connection': 'local', 'ansible_python_interpreter': python,
                          'genesyscloud_api_base_url': emu.url, 'genesyscloud_client_id': 'demo-client',
                          'genesyscloud_client_secret': 'demo-secret'}}
        inventory = common.write_json(os.path.join(workdir, 'orgs.yml'), {'all': {'hosts': hosts}})
        # The role with the collection's usual inventory (the playbook's Python: its org task's worker runs the
        # update), the whole run measured: its largest process is the org task's worker.
        role_hosts = {'demo': dict(hosts['demo'], ansible_python_interpreter='{{ ansible_playbook_python }}')}
        role_inventory = common.write_json(os.path.join(workdir, 'role-orgs.yml'), {'all': {'hosts': role_hosts}})
        info = common.write_json(os.path.join(workdir, 'info.yml'), [{
            'name': 'audit with the module alone', 'hosts': 'all', 'gather_facts': False,
            'tasks': [{'name': 'every action with its observed times', 'genesyscloud.cx.data_action_info': {
                'api_base_url': '{{ genesyscloud_api_base_url }}', 'client_id': '{{ genesyscloud_client_id }}',
                'client_secret': '{{ genesyscloud_client_secret }}', 'include_auth_actions': True, 'stats': True},
                'register': 'audit'}, {'name': 'count', 'ansible.builtin.debug': {
                    'msg': '{{ audit.data_actions | length }} actions'}}]}])
        noop = common.noop_playbook(os.path.join(workdir, 'noop.yml'))
        variants = [
            ('role', lambda: common.playbook(role_inventory, 'genesyscloud.cx.audit', workdir, measured=True, extra_vars={
                'data_action_timeouts_use_stats': 'true',
                'data_action_timeouts_dependencies': 'none',  # its cost is bench_flows.py's
                'data_action_timeouts_report_dir': os.path.join(workdir, 'reports')},
                env={'GENESYSCLOUD_CX_BENCH_RSS': measures_path, 'ANSIBLE_CALLBACK_PLUGINS': CALLBACKS,
                     'ANSIBLE_CALLBACKS_ENABLED': 'bench_timing', 'GENESYSCLOUD_CX_BENCH_TIMING': timing_path})),
            ('info', lambda: common.playbook(role_inventory, info, workdir, measured=True,
                                             env={'GENESYSCLOUD_CX_BENCH_RSS': measures_path})),
            ('info_process', lambda: common.playbook(inventory, info, workdir,
                                                     env={'GENESYSCLOUD_CX_BENCH_RSS': measures_path})),
            ('noop', lambda: common.playbook(inventory, noop, workdir)),
        ]
        with common.MachineLoad() as load:
            for dummy in range(options.rounds):
                for name, run in variants:
                    emu.reset()
                    if os.path.exists(measures_path):
                        os.remove(measures_path)
                    result = run()
                    log = emu.requests()
                    rows[name]['runs'].append(result)
                    rows[name]['counts'] = log['counts']
                    rows[name]['analytics_s'] += [r['finished'] - r['started'] for r in log['requests']
                                                  if r['route'] == common.ANALYTICS_ROUTE]
                    rows[name]['modules'].append(common.module_measures(measures_path))
                    if name == 'role':
                        spent, dummy = per_task(timing_path, 1)
                        for task, seconds in spent.items():
                            task_times[task].append(seconds)
    finally:
        emu.stop()
        shutil.rmtree(workdir, ignore_errors=True)

    pages = int(math.ceil(listed / float(page_size)))
    noop_s = common.median(r.wall for r in rows['noop']['runs'])
    print('%d generated actions (%d listed with custom-auth ones), %d executions in their history; emulator latency '
          '%d ms, its announced rate limit the default 300 per 60 s; module default page_size %d; %d rounds' % (
              options.actions, listed, executions, options.latency_ms, page_size, options.rounds))
    print()
    print('| run | requests | emulator s per analytics query | wall s, each run | median wall s | over no-op s | '
          'peak RSS MB (largest process of the run; module process: its own) | CPU s (the whole run; module process: '
          'its own) |')
    print('|---|---|---|---|---|---|---|---|')
    labels = {'role': 'role: `genesyscloud.cx.audit`, use_stats', 'info': '`data_action_info`, stats: true',
              'info_process': '`data_action_info` as a module process (diagnostic)',
              'noop': 'no-op playbook (one debug task)'}
    verdicts = []
    for name, row in rows.items():
        counts = row['counts'] or {}
        wall = common.median(r.wall for r in row['runs'])
        stats_modules = [m for run in row['modules'] for m in run
                         if m['module'] in ('data_action_timeout', 'data_action_info', 'ansible-playbook')]
        peak = max([m['max_rss_kib'] for m in stats_modules] or [0]) / 1024.0
        module_cpu = common.median([m['cpu_s'] for m in stats_modules] or [0.0])
        print('| %s | %s | %s | %s | %.2f | %s | %s | %s |' % (
            labels[name], common.route_counts(counts) or '0',
            '%.2f' % common.median(row['analytics_s']) if row['analytics_s'] else '-',
            ' '.join('%.2f' % r.wall for r in row['runs']), wall,
            '-' if name == 'noop' else '%.2f' % (wall - noop_s), '%.0f' % peak if peak else '-',
            '%.2f' % module_cpu if stats_modules else '-'))
        if name not in ('noop', 'info_process'):
            drafts = counts.get(common.DRAFTS_ROUTE, 0)
            verdicts.append((name, sum(counts.values()), 1 + pages + drafts + 1, common.route_counts(counts),
                             wall - noop_s, peak))
    print()
    print('request floor: 1 token + ceil(%d / %d) = %d listing pages + the pending-drafts listing where made (one page: '
          'the org has no drafts) + 1 analytics query' % (listed, page_size, pages))
    print()
    print('The role\'s audit, mean seconds per task (worker start to result):')
    print('| task | s |')
    print('|---|---|')
    for task, seconds in task_times.items():
        print('| %s | %.2f |' % (task, common.median(seconds)))
    print(load.line())
    for name, sent, floor, kinds, excess, peak in verdicts:
        what = {'role': 'role audit', 'info': 'data_action_info'}[name]
        common.verdict('benchmark 4 (%s), requests over the floor' % what, sent, floor, detail='(%s)' % kinds)
        common.verdict('benchmark 4 (%s), peak memory of the process doing the module\'s work' % what, peak, 200.0,
                       unit=' MB')
        common.verdict('benchmark 4 (%s), wall time over the no-op playbook' % what, excess, 3.0, unit=' s')
    print(json.dumps({'benchmark': 4, 'noop_s': noop_s,
                      'excess_s': dict((v[0], v[4]) for v in verdicts), 'peak_mb': dict((v[0], v[5]) for v in verdicts)}))


if __name__ == '__main__':
    main()

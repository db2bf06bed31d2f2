# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesyscloud.cx contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Benchmark 3's yardstick: what Ansible itself costs for the role's shape, with no collection code at all.

    .venv/bin/python tests/bench/bench_ansible_floor.py [--orgs 20] [--forks 20] [--seconds 0.75] [--shape worker] [--rounds 3]

A playbook in the role's shape (four tasks: an argument check per org; a run_once task; one task per org that
waits as long as the role's org task takes for one org of benchmark 3 - with ``--shape worker`` (the default)
in its worker, as the role's org task runs the update itself (``action_plugins/sleep_in_worker.py``), with
``--shape module`` in one module process (``ansible.builtin.command`` running a Python that sleeps, with its
AnsiballZ start), as the org task does for a host whose interpreter is not the playbook's Python; a run_once
task on the controller), over ``--orgs`` local hosts at ``--forks`` against one host alone. The ratio it
prints is the best benchmark 3 could show on this machine if the collection's own code cost nothing: the rest
of benchmark 3's CPU per org is the collection's (its imports and requests, the reports).
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import argparse
import os
import shutil
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import _common as common  # noqa: E402


def skeleton(seconds, shape):
    if shape == 'module':
        sleeper = [sys.executable, '-c', 'import time; time.sleep(%s)' % seconds]
        org_task = {'name': 'the one module process', 'ansible.builtin.command': {'argv': sleeper},
                    'changed_when': False}
    else:
        org_task = {'name': 'the org task, in its worker', 'sleep_in_worker': {'seconds': seconds}}
    return [{'name': 'the role shape', 'hosts': 'all', 'gather_facts': False, 'tasks': [
        {'name': 'argument check', 'ansible.builtin.validate_argument_spec': {
            'argument_spec': {'threshold': {'type': 'int'}}, 'provided_arguments': {'threshold': 5}}},
        {'name': 'report folder', 'ansible.builtin.set_fact': {'folder': 'ready'}, 'run_once': True},
        org_task,
        {'name': 'run report', 'ansible.builtin.set_fact': {'run': 'written'}, 'run_once': True},
    ]}]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--orgs', type=int, default=20)
    parser.add_argument('--forks', type=int, default=20)
    parser.add_argument('--seconds', type=float, default=0.75,
                        help="the org task's wall time for one org (the role's org task in benchmark 3)")
    parser.add_argument('--shape', choices=['worker', 'module'], default='worker',
                        help="the org task waits in its worker (the role's usual inventory) or in a module process")
    parser.add_argument('--rounds', type=int, default=common.rounds_default(3))
    options = parser.parse_args()
    print("## Benchmark 3's yardstick: Ansible alone, in the role's shape")
    print('machine: %s' % common.machine_line())
    print('%d hosts, forks %d; 4 tasks per host (2 run_once), the org task waiting %.2f s in %s; %d rounds' % (
        options.orgs, options.forks, options.seconds,
        'its worker' if options.shape == 'worker' else 'a module process', options.rounds))
    workdir = tempfile.mkdtemp(prefix='bench-floor-')
    hosts = dict(('org%02d' % n, {'ansible_connection': 'local', 'ansible_python_interpreter': sys.executable})
                 for n in range(options.orgs))
    inventory = common.write_json(os.path.join(workdir, 'orgs.yml'), {'all': {'hosts': hosts}})
    playbook = common.write_json(os.path.join(workdir, 'shape.yml'), skeleton(options.seconds, options.shape))
    env = {'ANSIBLE_ACTION_PLUGINS': os.path.join(common.BENCH_DIR, 'action_plugins')}
    one, many = [], []
    try:
        with common.MachineLoad() as load:
            for dummy in range(options.rounds):
                one.append(common.playbook(inventory, playbook, workdir, args=['--limit', 'org00'], env=env))
                many.append(common.playbook(inventory, playbook, workdir, args=['--forks', str(options.forks)],
                                            env=env))
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    print()
    print('| run | wall s, each run | median wall s | median CPU s | CPU s per host |')
    print('|---|---|---|---|---|')
    variants = [('one host', one, 1), ('%d hosts, forks %d' % (options.orgs, options.forks), many, options.orgs)]
    for name, runs, count in variants:
        cpu = common.median(r.cpu for r in runs)
        walls = ' '.join('%.2f' % r.wall for r in runs)
        print('| %s | %s | %.2f | %.2f | %.2f |' % (name, walls, common.median(r.wall for r in runs), cpu, cpu / count))
    ratio = common.median(r.wall for r in many) / common.median(r.wall for r in one)
    print()
    print(load.line())
    print('Ansible alone: %d hosts take %.2f times one host (benchmark 3 asks at most 3 of the role)' % (
        options.orgs, ratio))


if __name__ == '__main__':
    main()

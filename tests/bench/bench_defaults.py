# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesyscloud.cx contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The measurements behind the modules' ``parallel`` and ``page_size`` defaults.

    .venv/bin/python tests/bench/bench_defaults.py [--latency-ms 50] [--parallel 1,4,8,16,32]
                                                   [--page-size 25,50,100,200,500] [--rounds 3]

``parallel``: one ``genesyscloud.cx.data_action_timeout`` task (the role's call: the whole org listed,
actions at or below 5 s raised to 10 s) over an org of 2,000 generated actions of which 500 change, once
per value, interleaved, from a fresh emulator state each time. Prints the median wall time of the
playbook, of its PATCH phase (first to last PATCH in the emulator's log), the most PATCHes in flight, and
the PATCH phase against its floor ceil(500 / parallel) x latency.

``page_size``: one ``genesyscloud.cx.data_action_info`` task listing an org of 10,000 generated actions
(with their configs), once per value, interleaved. Prints the listing requests and the listing phase
(first to last listing request).

The emulator announces a limit no run reaches (_common.UNBOUND_RATE_LIMIT): this measures latency and
CPU; what the rate limit allows is argued in docs/benchmarks.md. Needs the collection installed.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import argparse
import math
import os
import shutil
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import _common as common  # noqa: E402
from tests.integration._helpers import max_overlap  # noqa: E402


def _connection(emu, org_id):
    return {'api_base_url': emu.url, 'client_id': '%s-client' % org_id, 'client_secret': '%s-secret' % org_id}


def sweep_parallel(options, workdir):
    seed = common.exact_seed(['org00'], 2000, 500, 5, random_seed=1)
    emu = common.start_emulator(['--latency-ms', str(options.latency_ms), '--rate-limit', common.UNBOUND_RATE_LIMIT,
                                 '--random-seed', '1'], seed=seed)
    values = [int(v) for v in options.parallel.split(',')]
    runs = dict((v, []) for v in values)
    try:
        inventory = common.inventory(os.path.join(workdir, 'local.yml'), emu.url, ['org00'])
        for dummy in range(options.rounds):
            for value in values:
                playbook = common.write_json(os.path.join(workdir, 'parallel-%d.yml' % value), [{
                    'name': 'raise', 'hosts': 'all', 'gather_facts': False, 'tasks': [{
                        'name': 'raise', 'genesyscloud.cx.data_action_timeout': dict(
                            _connection(emu, 'org00'), select={'timeout_at_most': 5}, timeout_seconds=10,
                            mode='at_least', list_all=True, max_changes=1000, parallel=value)}]}])
                emu.reset()
                run = common.playbook(inventory, playbook, workdir)
                patches = [r for r in emu.requests()['requests'] if r['route'] == common.PATCH_ROUTE]
                assert len(patches) == 500, len(patches)
                span = max(r['finished'] for r in patches) - min(r['started'] for r in patches)
                runs[value].append((run.wall, span, max_overlap(patches)))
    finally:
        emu.stop()
    latency = options.latency_ms / 1000.0
    print('| parallel | median wall s | PATCH phase s | PATCH floor s (ceil(500 / parallel) x latency) | '
          'phase over floor | PATCH in flight (max) |')
    print('|---|---|---|---|---|---|')
    for value in values:
        floor = math.ceil(500.0 / value) * latency
        span = common.median(r[1] for r in runs[value])
        print('| %d | %.2f | %.2f | %.2f | %.2f | %d |' % (
            value, common.median(r[0] for r in runs[value]), span, floor, span / floor if floor else 0,
            max(r[2] for r in runs[value])))


def sweep_page_size(options, workdir):
    emu = common.start_emulator(['--generate', '10000', '--random-seed', '4', '--latency-ms', str(options.latency_ms),
                                 '--rate-limit', common.UNBOUND_RATE_LIMIT])
    values = [int(v) for v in options.page_size.split(',')]
    runs = dict((v, []) for v in values)
    try:
        inventory = common.inventory(os.path.join(workdir, 'local.yml'), emu.url, ['demo'])
        for dummy in range(options.rounds):
            for value in values:
                playbook = common.write_json(os.path.join(workdir, 'page-%d.yml' % value), [{
                    'name': 'list', 'hosts': 'all', 'gather_facts': False, 'tasks': [{
                        'name': 'list', 'genesyscloud.cx.data_action_info': {
                            'api_base_url': emu.url, 'client_id': 'demo-client', 'client_secret': 'demo-secret',
                            'include_auth_actions': True, 'page_size': value}}]}])
                emu.reset()
                run = common.playbook(inventory, playbook, workdir)
                listing = [r for r in emu.requests()['requests'] if r['route'] == common.LIST_ROUTE]
                span = max(r['finished'] for r in listing) - min(r['started'] for r in listing)
                server = sum(r['finished'] - r['started'] for r in listing) - len(listing) * options.latency_ms / 1e3
                runs[value].append((run.wall, span, len(listing), server))
    finally:
        emu.stop()
    print('| page_size | listing requests | median wall s | listing phase s | of which emulator work s |')
    print('|---|---|---|---|---|')
    for value in values:
        print('| %d | %d | %.2f | %.2f | %.2f |' % (
            value, runs[value][0][2], common.median(r[0] for r in runs[value]), common.median(r[1] for r in runs[value]),
            common.median(r[3] for r in runs[value])))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--latency-ms', type=int, default=50)
    parser.add_argument('--parallel', default='1,4,8,16,32')
    parser.add_argument('--page-size', default='25,50,100,200,500')
    parser.add_argument('--rounds', type=int, default=common.rounds_default(3))
    options = parser.parse_args()
    print('## Choosing the defaults: parallel and page_size')
    print('machine: %s' % common.machine_line())
    print('emulator latency %d ms; %d rounds, interleaved, medians' % (options.latency_ms, options.rounds))
    workdir = tempfile.mkdtemp(prefix='bench-defaults-')
    try:
        with common.MachineLoad() as load:
            print()
            print('parallel: raise 500 of 2,000 actions (data_action_timeout, the role\'s call)')
            sweep_parallel(options, workdir)
            print()
            print('page_size: list 10,000 actions with their configs (data_action_info)')
            sweep_page_size(options, workdir)
        print()
        print(load.line())
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == '__main__':
    main()

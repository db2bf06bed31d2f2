# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesyscloud.cx contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""How fast the collection raises timeouts, as users run it: ansible-playbook against the emulator.

    .venv/bin/python tests/bench/bench_collection.py [--actions 300] [--latency-ms 50] [--parallel 1,4,8,16]

Needs the collection installed (``make collection``; the path comes from
GENESYSCLOUD_CX_COLLECTIONS_PATH). Prints, per scenario: wall time of the playbook run, requests by
kind as counted by the emulator, and the most PATCH requests the emulator saw in flight at once.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, ROOT)

from tests.emulator.harness import Emulator  # noqa: E402
from tests.integration._helpers import PATCH_ROUTE, max_overlap  # noqa: E402

BIN = os.path.dirname(sys.executable)


def _playbook(path, emu, ids, timeout, parallel):
    play = [{
        'name': 'bench', 'hosts': 'localhost', 'gather_facts': False,
        'module_defaults': {'group/genesyscloud.cx.genesyscloud': {
            'api_base_url': emu.url, 'client_id': 'demo-client', 'client_secret': 'demo-secret'}},
        'tasks': [{'name': 'raise', 'genesyscloud.cx.data_action_timeout': {
            'ids': ids, 'timeout_seconds': timeout, 'parallel': parallel}}],
    }]
    with open(path, 'w') as handle:
        json.dump(play, handle)  # JSON is YAML


def _run(emu, workdir, ids, timeout, parallel):
    playbook = os.path.join(workdir, 'bench-%d-%d.yml' % (parallel, timeout))
    _playbook(playbook, emu, ids, timeout, parallel)
    inventory = os.path.join(workdir, 'inventory.ini')
    with open(inventory, 'w') as handle:
        handle.write('localhost ansible_connection=local ansible_python_interpreter=%s\n' % sys.executable)
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=os.environ['GENESYSCLOUD_CX_COLLECTIONS_PATH'],
               ANSIBLE_NOCOLOR='1')
    emu.clear_requests()
    started = time.monotonic()
    done = subprocess.run([os.path.join(BIN, 'ansible-playbook'), '-i', inventory, playbook], env=env,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, universal_newlines=True, check=False)
    elapsed = time.monotonic() - started
    if done.returncode != 0:
        raise SystemExit('playbook failed:\n' + done.stdout[-3000:])
    log = emu.requests()
    patches = [r for r in log['requests'] if r['route'] == PATCH_ROUTE]
    return elapsed, log['counts'], len(patches), max_overlap(patches) if patches else 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--actions', type=int, default=300)
    parser.add_argument('--latency-ms', type=int, default=50)
    parser.add_argument('--parallel', default='1,4,8,16')
    options = parser.parse_args()
    if not os.environ.get('GENESYSCLOUD_CX_COLLECTIONS_PATH'):
        raise SystemExit('set GENESYSCLOUD_CX_COLLECTIONS_PATH (make bench does)')

    print('machine: %s, %d cores, Python %s' % (platform.platform(), os.cpu_count() or 0, platform.python_version()))
    print('%d generated actions, emulator latency %d ms per request' % (options.actions, options.latency_ms))
    print('| scenario | parallel | wall s | token | listings | PATCH | PATCH in flight (max) |')
    print('|---|---|---|---|---|---|---|')
    workdir = tempfile.mkdtemp(prefix='bench-collection-')
    with Emulator(args=['--generate', str(options.actions), '--random-seed', '17',
                        '--latency-ms', str(options.latency_ms)]) as emu:
        ids = sorted(k for k in emu.actions() if k.startswith('custom_-_'))
        timeout = 20
        for parallel in [int(p) for p in options.parallel.split(',')]:
            timeout += 1  # a value no action has yet: every action changes
            elapsed, counts, patches, overlap = _run(emu, workdir, ids, timeout, parallel)
            print('| raise %d actions | %d | %.1f | %d | %d | %d | %d |' % (
                len(ids), parallel, elapsed, counts.get('POST /oauth/token', 0),
                counts.get('GET /api/v2/integrations/actions', 0), patches, overlap))
        elapsed, counts, patches, overlap = _run(emu, workdir, ids, timeout, 8)
        print('| rerun, nothing to change | 8 | %.1f | %d | %d | %d | %d |' % (
            elapsed, counts.get('POST /oauth/token', 0), counts.get('GET /api/v2/integrations/actions', 0),
            patches, overlap))


if __name__ == '__main__':
    main()

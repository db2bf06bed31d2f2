# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesyscloud.cx contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Many orgs at once: the remediate playbook over an inventory of N emulated orgs, at several forks.

    .venv/bin/python tests/bench/bench_orgs.py [--orgs 24] [--actions 150] [--latency-ms 50] [--forks 6,24]

Needs the collection installed (GENESYSCLOUD_CX_COLLECTIONS_PATH, as ``make bench`` sets it). For each
forks value the emulator is reset, then ``genesyscloud.cx.remediate`` runs over every org; prints wall
time, changes, and requests per org as the emulator counted them.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import argparse
import collections
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, ROOT)

from tests.emulator.harness import Emulator  # noqa: E402

BIN = os.path.dirname(sys.executable)


def _seed(orgs, actions):
    return {'orgs': [{
        'id': 'org%02d' % n, 'name': 'Org %02d' % n,
        'clients': [{'client_id': 'org%02d-client' % n, 'client_secret': 'org%02d-secret' % n,
                     'permissions': ['*']}],
        'generate': actions,
    } for n in range(orgs)]}


def _inventory(path, emu, orgs):
    hosts = {}
    for n in range(orgs):
        hosts['org%02d' % n] = {
            'ansible_connection': 'local', 'ansible_python_interpreter': sys.executable,
            'genesyscloud_api_base_url': emu.url, 'genesyscloud_client_id': 'org%02d-client' % n,
            'genesyscloud_client_secret': 'org%02d-secret' % n,
        }
    with open(path, 'w') as handle:
        json.dump({'all': {'hosts': hosts}}, handle)  # JSON is YAML


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--orgs', type=int, default=24)
    parser.add_argument('--actions', type=int, default=150)
    parser.add_argument('--latency-ms', type=int, default=50)
    parser.add_argument('--forks', default='6,24')
    options = parser.parse_args()
    if not os.environ.get('GENESYSCLOUD_CX_COLLECTIONS_PATH'):
        raise SystemExit('set GENESYSCLOUD_CX_COLLECTIONS_PATH (make bench does)')

    workdir = tempfile.mkdtemp(prefix='bench-orgs-')
    print('%d orgs x %d generated actions, emulator latency %d ms per request' % (
        options.orgs, options.actions, options.latency_ms))
    print('| forks | wall s | actions changed | token / org | listings / org | PATCH / org (max) |')
    print('|---|---|---|---|---|---|')
    try:
        with Emulator(args=['--random-seed', '31', '--latency-ms', str(options.latency_ms)],
                      seed=_seed(options.orgs, options.actions)) as emu:
            inventory = os.path.join(workdir, 'orgs.yml')
            _inventory(inventory, emu, options.orgs)
            env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=os.environ['GENESYSCLOUD_CX_COLLECTIONS_PATH'],
                       ANSIBLE_NOCOLOR='1')
            for forks in [int(f) for f in options.forks.split(',')]:
                emu.reset()
                started = time.monotonic()
                done = subprocess.run(
                    [os.path.join(BIN, 'ansible-playbook'), 'genesyscloud.cx.remediate', '-i', inventory,
                     '--forks', str(forks), '-e', 'data_action_timeouts_max_changes=1000',
                     '-e', 'data_action_timeouts_report_dir=%s' % os.path.join(workdir, 'reports')],
                    env=env, cwd=workdir, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                    universal_newlines=True, check=False)
                elapsed = time.monotonic() - started
                if done.returncode != 0:
                    raise SystemExit('playbook failed:\n' + done.stdout[-3000:])
                per_org = collections.defaultdict(collections.Counter)
                for entry in emu.requests()['requests']:
                    per_org[entry['org']][entry['route']] += 1
                patches = [c['PATCH /api/v2/integrations/actions/{actionId}'] for c in per_org.values()]
                print('| %d | %.1f | %d | %s | %s | %d |' % (
                    forks, elapsed, sum(patches),
                    '/'.join(sorted(set(str(c['POST /oauth/token']) for c in per_org.values()))),
                    '/'.join(sorted(set(str(c['GET /api/v2/integrations/actions']) for c in per_org.values()))),
                    max(patches)))
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == '__main__':
    main()

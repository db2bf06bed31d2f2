# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesyscloud.cx contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Benchmark 2: one org under a rate limit, against the rate-limit floor.

    .venv/bin/python tests/bench/bench_rate_limit.py [--actions 600] [--changes 150] [--rate-limit 60/10] [--rounds 3]

One emulated org of ``--actions`` generated actions, exactly ``--changes`` to raise, and an emulator that
enforces ``--rate-limit N/SECONDS`` per token (a fixed window from the token's first request; 429 with
Retry-After beyond it; every answer carries inin-ratelimit-allowed/-count/-reset). Each round runs
``genesyscloud.cx.remediate`` from a fresh emulator state and a fresh token. Prints each run's wall time,
the API requests the emulator counted, the 429s it answered and the actions that failed, then:

- the floor: the requests the remediation needed (the API requests the emulator answered, less any 429:
  ceil(N / page_size) listing pages, the pending-drafts listing and one PATCH per change; the token
  request is not rate limited) divided by the limit, in seconds: requests / N * SECONDS;
- the verdict: the median wall time within 1.15 times that floor, no failed action.

Needs the collection installed (GENESYSCLOUD_CX_COLLECTIONS_PATH, as ``make bench`` sets it).
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
from bench_remediate import module_default  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--actions', type=int, default=600)
    parser.add_argument('--changes', type=int, default=150)
    parser.add_argument('--rate-limit', default='60/10')
    parser.add_argument('--latency-ms', type=int, default=0)
    parser.add_argument('--threshold', type=int, default=5)
    parser.add_argument('--target', type=int, default=10)
    parser.add_argument('--rounds', type=int, default=common.rounds_default(3))
    options = parser.parse_args()
    allowed, seconds = options.rate_limit.split('/')
    allowed, seconds = int(allowed), float(seconds)
    page_size = module_default('page_size')

    print('## Benchmark 2: one org under a rate limit of %s requests per %s s per token' % (allowed, seconds))
    print('machine: %s' % common.machine_line())
    seed = common.exact_seed(['org00'], options.actions, options.changes, options.threshold, random_seed=2)
    size = common.org_size(seed, 'org00')
    print('%d generated actions (%d listed), %d to raise; emulator --rate-limit %s, latency %d ms; module defaults '
          'page_size %d, parallel %d; %d rounds' % (
              options.actions, size, options.changes, options.rate_limit, options.latency_ms, page_size,
              module_default('parallel'), options.rounds))
    workdir = tempfile.mkdtemp(prefix='bench-rate-limit-')
    emu = common.start_emulator(['--rate-limit', options.rate_limit, '--latency-ms', str(options.latency_ms),
                                 '--random-seed', '2'], seed=seed)
    rows = []
    try:
        inventory = common.inventory(os.path.join(workdir, 'orgs.yml'), emu.url, ['org00'])
        noop = common.noop_playbook(os.path.join(workdir, 'noop.yml'))
        noops = []
        with common.MachineLoad() as load:
            for dummy in range(options.rounds):
                emu.reset()
                run = common.playbook(inventory, 'genesyscloud.cx.remediate', workdir, check=False, extra_vars={
                    'data_action_timeouts_max_changes': 1000, 'data_action_timeouts_threshold': options.threshold,
                    'data_action_timeouts_target': options.target,
                    'data_action_timeouts_report_dir': os.path.join(workdir, 'reports')})
                api = [r for r in emu.requests()['requests'] if r['path'].startswith('/api/v2/')]
                left = common.low_left(emu, options.threshold)
                limited = [r for r in api if r['status'] == 429]
                needed = collections.Counter(r['route'] for r in api if r['status'] != 429)
                rows.append({'wall': run.wall, 'rc': run.rc, 'api': len(api), 'needed': needed,
                             'limited': len(limited), 'left': left,
                             'span': max(r['finished'] for r in api) - min(r['started'] for r in api)})
                noops.append(common.playbook(inventory, noop, workdir).wall)
    finally:
        emu.stop()
        shutil.rmtree(workdir, ignore_errors=True)

    print()
    print('| run | wall s | API requests | 429s | actions failed or left low | first to last API request s |')
    print('|---|---|---|---|---|---|')
    for n, row in enumerate(rows):
        print('| %d | %.2f | %d | %d | %d%s | %.2f |' % (
            n + 1, row['wall'], row['api'], row['limited'], row['left'],
            '' if row['rc'] == 0 else ' (playbook failed)', row['span']))
    wall = common.median(r['wall'] for r in rows)
    kinds = max((r['needed'] for r in rows), key=lambda c: sum(c.values()))
    needed = sum(kinds.values())
    floor = needed / float(allowed) * seconds
    windows = int(math.ceil(needed / float(allowed)))
    print()
    print('floor = %d requests (%s) / %d per %g s = %.2f s. With fixed windows the requests need %d windows, the '
          'last starting %g s after the first request; the no-op playbook takes %.2f s' % (
              needed, common.route_counts(kinds), allowed, seconds, floor, windows, (windows - 1) * seconds,
              common.median(noops)))
    print(load.line())
    failed = sum(r['left'] for r in rows) + sum(1 for r in rows if r['rc'] != 0)
    limited = sum(r['limited'] for r in rows)
    common.verdict('benchmark 2, wall over the rate-limit floor', wall / floor, 1.15, unit='x',
                   detail='(median %.2f s, floor %.2f s; %d 429s in %d runs; %d failed)' % (
                       wall, floor, limited, len(rows), failed))
    common.verdict('benchmark 2, failed or unchanged actions', failed, 0)
    print(json.dumps({'benchmark': 2, 'wall_s': wall, 'floor_s': floor, 'limited': limited}))


if __name__ == '__main__':
    main()

# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesyscloud.cx contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Benchmark 2: one org under the real API's rate limits, against the rate-limit floor.

    .venv/bin/python tests/bench/bench_rate_limit.py [--actions 2000] [--changes 500] [--rate-limit 300/60]
        [--org-rate-limit 200/60] [--rounds 1]

One emulated org of ``--actions`` generated actions, exactly ``--changes`` to raise, and an emulator shaped like the
real API since 2021: no rate-limit header on any answer, ``--rate-limit N/SECONDS`` enforced per token (a sliding
window; beyond it the normalized 429 with Retry-After). The module runs with its default pace (requests_per_minute
300, the documented per-token budget). Two cases, each ``--rounds`` runs of ``genesyscloud.cx.remediate`` from a
fresh emulator state and a fresh token:

- token: only the token's limit, which the module's default pace matches;
- org: also ``--org-rate-limit`` across every token of the org, below the token's and unknown to the module, which
  must learn it from its 429s.

Each run prints its wall time, the API requests the emulator counted, the 429s it answered and the actions that
failed or were left low. The floor of a case: the requests the remediation needed (the API requests answered other
than 429: ceil(N / page_size) listing pages, the pending-drafts listing and one PATCH per change; the token request
is not rate limited) spread over the case's tightest limit in whole windows: W = ceil(requests / N) windows, the
last of which cannot start before (W - 1) * SECONDS after the first request, plus the time the same remediation
takes with no limit at all (one unpaced run against an unlimited emulator, measured in the same invocation). The
plain rate (requests / N * SECONDS) is printed beside it. Verdicts:

- token: median wall time within 1.10 times its floor, no failed action, at most 2 % of the requests answered 429;
- org: median wall time within 1.30 times its floor, no failed action.

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


def _limit(spec):
    allowed, seconds = spec.split('/')
    return int(allowed), float(seconds)


def _case(name, emulator_args, seed, options, workdir, paced=True):
    """Every round of one case: a row per run (``paced``: at the module's default pace, else unpaced)."""
    emu = common.start_emulator(emulator_args + ['--latency-ms', str(options.latency_ms), '--random-seed', '2'],
                                seed=seed)
    rows = []
    try:
        inventory = common.inventory(os.path.join(workdir, '%s-orgs.yml' % name), emu.url, ['org00'])
        for dummy in range(options.rounds):
            emu.reset()
            # The module's own default pace: the benchmark's environment is unpaced for the other benchmarks.
            run = common.playbook(inventory, 'genesyscloud.cx.remediate', workdir, check=False, extra_vars={
                'data_action_timeouts_max_changes': 100000, 'data_action_timeouts_threshold': options.threshold,
                'data_action_timeouts_target': options.target, 'data_action_timeouts_run_id': '%s-%d' % (name, dummy),
                'data_action_timeouts_dependencies': 'none',  # its cost is bench_flows.py's
                'data_action_timeouts_report_dir': os.path.join(workdir, 'reports')},
                env={'GENESYSCLOUD_REQUESTS_PER_MINUTE': None} if paced else None)
            api = [r for r in emu.requests()['requests'] if r['path'].startswith('/api/v2/')]
            with open(os.path.join(workdir, 'reports', '%s-%d' % (name, dummy), 'org00.json')) as stream:
                met = json.load(stream).get('rate_limit') or {}
            rows.append({'wall': run.wall, 'rc': run.rc, 'api': len(api), 'left': common.low_left(emu, options.threshold),
                         'limited': len([r for r in api if r['status'] == 429]),
                         'needed': collections.Counter(r['route'] for r in api if r['status'] != 429),
                         'span': max(r['finished'] or r['started'] for r in api) - min(r['started'] for r in api),
                         'learned': met.get('learned_requests_per_minute'), 'waited': met.get('waited_seconds'),
                         'held': met.get('held_seconds')})
    finally:
        emu.stop()
    return rows


def _report(name, rows, limit, ceiling, unlimited_wall, max_limited_share=None):
    allowed, seconds = limit
    print()
    print('| run | wall s | API requests | 429s | failed or left low | first to last API request s | waited s (held after '
          '429s) | pace learned |')
    print('|---|---|---|---|---|---|---|---|')
    for n, row in enumerate(rows):
        print('| %d | %.2f | %d | %d | %d%s | %.2f | %s (%s) | %s |' % (
            n + 1, row['wall'], row['api'], row['limited'], row['left'], '' if row['rc'] == 0 else ' (playbook failed)',
            row['span'], row['waited'], row['held'], row['learned'] or '-'))
    wall = common.median(r['wall'] for r in rows)
    kinds = max((r['needed'] for r in rows), key=lambda c: sum(c.values()))
    needed = sum(kinds.values())
    rate = needed / float(allowed) * seconds
    windows = int(math.ceil(needed / float(allowed)))
    floor = (windows - 1) * seconds + unlimited_wall
    print()
    print('floor = %d requests (%s) in %d windows of %d per %g s: the last starts %g s after the first request, plus '
          'the %.2f s the run takes unlimited = %.2f s (at the plain rate, %d / %d per %g s = %.2f s)' % (
              needed, common.route_counts(kinds), windows, allowed, seconds, (windows - 1) * seconds, unlimited_wall,
              floor, needed, allowed, seconds, rate))
    failed = sum(r['left'] for r in rows) + sum(1 for r in rows if r['rc'] != 0)
    limited = sum(r['limited'] for r in rows)
    share = limited / float(sum(r['api'] for r in rows))
    common.verdict('benchmark 2 (%s), wall over the rate-limit floor' % name, wall / floor, ceiling, unit='x',
                   detail='(median %.2f s, floor %.2f s; %d 429s in %d runs; %d failed)' % (
                       wall, floor, limited, len(rows), failed))
    common.verdict('benchmark 2 (%s), failed or unchanged actions' % name, failed, 0)
    if max_limited_share is not None:
        common.verdict('benchmark 2 (%s), share of requests answered 429' % name, share * 100, max_limited_share * 100,
                       unit=' %', detail='(%d of %d)' % (limited, sum(r['api'] for r in rows)))
    return {'wall_s': wall, 'floor_s': floor, 'limited': limited, 'limited_share': share, 'failed': failed}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    # A run takes minutes, all of it waiting for the limit: one round each unless BENCH_ROUNDS says otherwise.
    common.org_options(parser, actions=2000, changes=500, rounds=1, latency_ms=0)
    parser.add_argument('--rate-limit', default='300/60')
    parser.add_argument('--org-rate-limit', default='200/60')
    options = parser.parse_args()
    token_limit, org_limit = _limit(options.rate_limit), _limit(options.org_rate_limit)

    print('## Benchmark 2: one org under the real rate limits: %s requests per %s s per token, then also %s per %s s '
          'per org' % (token_limit + org_limit))
    print('machine: %s' % common.machine_line())
    seed = common.exact_seed(['org00'], options.actions, options.changes, options.threshold, random_seed=2)
    print('%d generated actions (%d listed), %d to raise; emulator without rate-limit headers, sliding windows, '
          'latency %d ms; module defaults requests_per_minute 300, page_size %d, parallel %d; %d round(s) per case' % (
              options.actions, common.org_size(seed, 'org00'), options.changes, options.latency_ms,
              module_default('page_size'), module_default('parallel'), options.rounds))
    workdir = tempfile.mkdtemp(prefix='bench-rate-limit-')
    figures = {'benchmark': 2}
    try:
        with common.MachineLoad() as load:
            unlimited_rows = _case('unlimited', [], seed, options, workdir, paced=False)
            token_rows = _case('token', ['--rate-limit', options.rate_limit], seed, options, workdir)
            org_rows = _case('org', ['--rate-limit', options.rate_limit, '--org-rate-limit', options.org_rate_limit],
                             seed, options, workdir)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    unlimited = common.median(r['wall'] for r in unlimited_rows)
    print()
    print('### No limit, unpaced (the floors\' last term): median %.2f s over %d run(s), %d API requests' % (
        unlimited, len(unlimited_rows), max(r['api'] for r in unlimited_rows)))
    figures['unlimited_wall_s'] = unlimited
    print()
    print('### Per token %s (the module\'s default pace)' % options.rate_limit)
    figures['token'] = _report('token %s' % options.rate_limit, token_rows, token_limit, 1.10, unlimited,
                               max_limited_share=0.02)
    print()
    print('### Per org %s as well, unknown to the module' % options.org_rate_limit)
    tightest = min(token_limit, org_limit, key=lambda limit: limit[0] / limit[1])
    figures['org'] = _report('org %s' % options.org_rate_limit, org_rows, tightest, 1.30, unlimited)
    print(load.line())
    print(json.dumps(figures))


if __name__ == '__main__':
    main()

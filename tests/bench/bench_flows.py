# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesyscloud.cx contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The cost of dependencies: planned on benchmark 1's org: the role's remediation with and without the flows.

    .venv/bin/python tests/bench/bench_flows.py [--actions 2000] [--changes 500] [--latency-ms 50] [--rounds 1]
        [--rate-limit 300/60]

Benchmark 1's org (tests/bench/_common.exact_seed, ``--changes`` actions to raise), every request delayed
``--latency-ms``. Runs ``genesyscloud.cx.remediate`` with ``data_action_timeouts_dependencies`` none and planned,
each from a fresh emulator state: unpaced (the emulator announces a limit no run reaches, the module paced to it),
then under ``--rate-limit`` per token with the module's default pace (300 a minute). Prints the requests by route
and the wall time of each run. Needs the collection installed (GENESYSCLOUD_CX_COLLECTIONS_PATH).
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


def _measure(options, seed, rate_limit, pace, workdir):
    emu = common.start_emulator(['--latency-ms', str(options.latency_ms), '--rate-limit', rate_limit,
                                 '--random-seed', '1'], seed=seed)
    figures = []
    try:
        inventory = common.inventory(os.path.join(workdir, 'orgs.yml'), emu.url, ['org00'])
        for dependencies in ('none', 'planned'):
            for dummy in range(options.rounds):
                emu.reset()
                emu.clear_requests()
                # Unpaced: the environment's GENESYSCLOUD_REQUESTS_PER_MINUTE (common.UNPACED); paced: the module's default.
                env = None if pace else {'GENESYSCLOUD_REQUESTS_PER_MINUTE': None}
                run = common.playbook(inventory, 'genesyscloud.cx.remediate', workdir,
                                      extra_vars=common.remediate_vars(options, workdir, dependencies), env=env)
                counts = emu.requests()['counts']
                figures.append((dependencies, run.wall, sum(counts.values()), common.route_counts(counts)))
    finally:
        emu.stop()
    return figures


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    common.org_options(parser, actions=2000, changes=500, rounds=1)  # benchmark 1's org, one round
    parser.add_argument('--rate-limit', default='300/60')
    options = parser.parse_args()
    print('## The cost of dependencies: planned on benchmark 1\'s org')
    print('machine: %s' % common.machine_line())
    seed = common.exact_seed(['org00'], options.actions, options.changes, options.threshold, random_seed=1)
    workdir = tempfile.mkdtemp(prefix='bench-flows-')
    try:
        for label, rate_limit, pace in (('unpaced', common.UNBOUND_RATE_LIMIT, True),
                                        ('%s per token, default pace' % options.rate_limit, options.rate_limit, None)):
            for dependencies, wall, total, routes in _measure(options, seed, rate_limit, pace, workdir):
                print('| %s | %s | %d | %.2f | %s |' % (label, dependencies, total, wall, routes))
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == '__main__':
    main()

# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesyscloud.cx contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Benchmark 1: one org, the role's remediation against the tutorial script and the same with the SDK.

    .venv/bin/python tests/bench/bench_remediate.py [--actions 2000] [--changes 500] [--latency-ms 50] [--rounds 3]

One emulated org of ``--actions`` generated actions, exactly ``--changes`` of them custom actions at or
below ``--threshold`` seconds (tests/bench/_common.exact_seed), every request delayed ``--latency-ms``.
Each round runs, in turn and each from a fresh emulator state (POST /__emulator/reset): the playbook
``genesyscloud.cx.remediate`` (max_changes 1000, the threshold and target given), tutorial_requests.py,
tutorial_sdk.py, and a no-op playbook (one debug task, same inventory). Prints every run, the medians,
the floor and two verdicts:

- the role at least 10 times faster than the SDK script (median against median);
- the role within 1.5 times the floor: the no-op playbook's median, plus ceil(N / page_size) listing
  requests and ceil(K / parallel) rounds of PATCHes, one latency each (N: the actions the role's
  listing returns, custom authentication ones included; page_size and parallel: the module's defaults).

The emulator's rate-limit headers announce a limit no run reaches (see _common.UNBOUND_RATE_LIMIT):
this benchmark measures latency and the controller; benchmark 2 measures the rate limit.
Needs the collection installed (GENESYSCLOUD_CX_COLLECTIONS_PATH, as ``make bench`` sets it).
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import argparse
import json
import math
import os
import re
import shutil
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import _common as common  # noqa: E402


def module_default(option):
    """The default of a data_action_timeout option, as shipped in the installed collection (its argument spec is
    the library's, module_utils/_timeout_run.py)."""
    path = os.path.join(common.collections_path(), 'ansible_collections', 'genesyscloud', 'cx', 'plugins',
                        'module_utils', '_timeout_run.py')
    with open(path) as handle:
        match = re.search(r'\b%s=dict\(type="int", default=(\d+)\)' % option, handle.read())
    return int(match.group(1))


def modules_playbook(path, threshold, target):
    """A user's own playbook: data_action_info lists the org, data_action_timeout raises the ids it found at or
    below ``threshold`` (the connection shared through the action group's module_defaults, as README shows)."""
    connection = {'api_base_url': '{{ genesyscloud_api_base_url }}', 'client_id': '{{ genesyscloud_client_id }}',
                  'client_secret': '{{ genesyscloud_client_secret }}'}
    low = ("{{ found.data_actions | selectattr('kind', 'eq', 'custom') | selectattr('effective_timeout_seconds', 'le', "
           "%d) | map(attribute='id') | list }}" % threshold)
    return common.write_json(path, [{
        'name': 'raise the low timeouts with the modules', 'hosts': 'all', 'gather_facts': False,
        'module_defaults': {'group/genesyscloud.cx.genesyscloud': connection},
        'tasks': [
            {'name': 'list the org', 'genesyscloud.cx.data_action_info': {}, 'register': 'found'},
            {'name': 'raise the ones found', 'genesyscloud.cx.data_action_timeout': {
                'ids': low, 'timeout_seconds': target, 'mode': 'at_least'}},
        ]}])


def rounds_of(counts, parallel):
    """The fewest request rounds of a run at ``parallel`` requests at once: each token alone, a listing's first page
    then the rest, every other kind of request ``parallel`` at a time."""
    rounds = 0
    for route, count in counts.items():
        if route == common.TOKEN_ROUTE:
            rounds += count
        elif route == common.LIST_ROUTE:
            rounds += 1 + int(math.ceil((count - 1) / float(parallel))) if count else 0
        else:
            rounds += int(math.ceil(count / float(parallel)))
    return rounds


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    common.org_options(parser, actions=2000, changes=500, rounds=3)
    parser.add_argument('--skip-scripts', action='store_true', help='only the role and the no-op (quick looks)')
    options = parser.parse_args()
    latency = options.latency_ms / 1000.0
    page_size, parallel = module_default('page_size'), module_default('parallel')

    print('## Benchmark 1: one org, remediation against the tutorial scripts')
    print('machine: %s' % common.machine_line())
    seed = common.exact_seed(['org00'], options.actions, options.changes, options.threshold, random_seed=1)
    size = common.org_size(seed, 'org00')
    print('%d generated actions (%d listed with custom-auth ones), %d to raise (custom, effective timeout <= %d s, '
          'to %d s), emulator latency %d ms; module defaults page_size %d, parallel %d; %d rounds' % (
              options.actions, size, options.changes, options.threshold, options.target, options.latency_ms,
              page_size, parallel, options.rounds))
    workdir = tempfile.mkdtemp(prefix='bench-remediate-')
    emu = common.start_emulator(['--latency-ms', str(options.latency_ms), '--rate-limit', common.UNBOUND_RATE_LIMIT,
                                 '--random-seed', '1'], seed=seed)
    runs = dict((name, []) for name in ('role', 'modules', 'requests', 'sdk', 'noop'))
    requests_sent, kinds = {}, {}
    try:
        inventory = common.inventory(os.path.join(workdir, 'orgs.yml'), emu.url, ['org00'])
        noop = common.noop_playbook(os.path.join(workdir, 'noop.yml'))
        own = modules_playbook(os.path.join(workdir, 'modules.yml'), options.threshold, options.target)
        credentials = [emu.url, 'org00-client', 'org00-secret', '--threshold', str(options.threshold),
                       '--target', str(options.target)]
        variants = [
            # dependencies none: its cost is bench_flows.py's
            ('role', lambda: common.playbook(inventory, 'genesyscloud.cx.remediate', workdir,
                                             extra_vars=common.remediate_vars(options, workdir))),
            ('modules', lambda: common.playbook(inventory, own, workdir)),
            ('requests', lambda: common.run_timed(
                [sys.executable, os.path.join(common.BENCH_DIR, 'tutorial_requests.py')] + credentials)),
            ('sdk', lambda: common.run_timed(
                [sys.executable, os.path.join(common.BENCH_DIR, 'tutorial_sdk.py')] + credentials)),
            ('noop', lambda: common.playbook(inventory, noop, workdir)),
        ]
        if options.skip_scripts:
            variants = [v for v in variants if v[0] in ('role', 'modules', 'noop')]
        with common.MachineLoad() as load:
            for dummy in range(options.rounds):
                for name, run in variants:
                    emu.reset()
                    result = run()
                    log = emu.requests()
                    if name != 'noop':
                        patched = log['counts'].get(common.PATCH_ROUTE, 0)
                        left = common.low_left(emu, options.threshold)
                        if patched != options.changes or left != 0:
                            raise SystemExit('%s: %d PATCH requests, %d low actions left:\n%s' % (
                                name, patched, left, result.output[-3000:]))
                    requests_sent[name] = sum(log['counts'].values())
                    kinds[name] = log['counts']
                    runs[name].append(result)
    finally:
        emu.stop()
        shutil.rmtree(workdir, ignore_errors=True)

    print()
    print('| run | requests | wall s, each run | median wall s | median CPU s |')
    print('|---|---|---|---|---|')
    labels = {'role': 'role: `genesyscloud.cx.remediate`',
              'modules': "a user's playbook: `data_action_info`, then `data_action_timeout` with the ids found",
              'requests': 'tutorial script, requests',
              'sdk': 'tutorial script, official SDK', 'noop': 'no-op playbook (one debug task)'}
    for name in ('role', 'modules', 'requests', 'sdk', 'noop'):
        if not runs[name]:
            continue
        print('| %s | %s | %s | %.2f | %.2f |' % (
            labels[name], requests_sent.get(name, 0) if name != 'noop' else 0,
            ' '.join('%.2f' % r.wall for r in runs[name]), common.median(r.wall for r in runs[name]),
            common.median(r.cpu for r in runs[name])))
    noop_s = common.median(r.wall for r in runs['noop'])
    # The listing: ceil(N / page_size) pages, and the pending-drafts listing the role makes (one page when
    # the org has none): the role README's request budget.
    drafts_pages = kinds['role'].get(common.DRAFTS_ROUTE, 0)
    listing_rounds = int(math.ceil(size / float(page_size))) + drafts_pages
    patch_rounds = int(math.ceil(options.changes / float(parallel)))
    floor = noop_s + (listing_rounds + patch_rounds) * latency
    role = common.median(r.wall for r in runs['role'])
    print()
    print('requests of the role: %s; of each script: %s' % (
        common.route_counts(kinds['role']), common.route_counts(kinds.get('requests', {})) or '-'))
    print('floor = no-op %.2f s + %d listing requests (ceil(%d / %d) + %d drafts listing) x %.3f s + %d PATCH rounds '
          '(ceil(%d / %d)) x %.3f s = %.2f s' % (
              noop_s, listing_rounds, size, page_size, drafts_pages, latency, patch_rounds, options.changes,
              parallel, latency, floor))
    print(load.line())
    if runs['sdk']:
        sdk = common.median(r.wall for r in runs['sdk'])
        plain = common.median(r.wall for r in runs['requests'])
        print('role %.2f s; requests script %.2f s (%.1f times the role); SDK script %.2f s (%.1f times the role)' % (
            role, plain, plain / role, sdk, sdk / role))
        common.verdict('benchmark 1, SDK script time over the role\'s', sdk / role, 10.0, unit='x', higher_is_better=True)
    common.verdict('benchmark 1, role over the floor', role / floor, 1.5, unit='x',
                   detail='(role %.2f s, floor %.2f s)' % (role, floor))
    modules = common.median(r.wall for r in runs['modules'])
    modules_rounds = rounds_of(kinds['modules'], parallel)
    modules_floor = noop_s + modules_rounds * latency
    print('modules: requests %s; floor = no-op %.2f s + %d request rounds at parallel %d x %.3f s = %.2f s' % (
        common.route_counts(kinds['modules']), noop_s, modules_rounds, parallel, latency, modules_floor))
    common.verdict('benchmark 1, the modules called directly over their floor', modules / modules_floor, 1.5, unit='x',
                   detail='(modules %.2f s, floor %.2f s)' % (modules, modules_floor))
    print(json.dumps({'benchmark': 1, 'role_s': role, 'floor_s': floor, 'noop_s': noop_s, 'modules_s': modules,
                      'modules_floor_s': modules_floor}))


if __name__ == '__main__':
    main()

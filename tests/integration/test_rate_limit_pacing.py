# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesyscloud.cx contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A run that needs more requests than one rate-limit window allows, against an emulator that enforces
the limit: the client paces from the inin-ratelimit-* headers, so the limit is never hit and nothing fails.
Only what is deterministic is asserted (statuses, counts, what the server holds); how long it took is the
benchmark's business (tests/bench/bench_rate_limit.py)."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import pytest

from tests.integration._helpers import ACTIONS_ROUTE, DRAFTS_ROUTE, PATCH_ROUTE, TOKEN_ROUTE, play, timeout_of

INTEGRATION = 'b7c1d2e3-0000-4000-8000-00000000000a'
LOW, HIGH, TARGET = 2, 30, 20


def _seed(count, low):
    """One org of ``count`` custom actions, the first ``low`` of them at LOW seconds, the rest at HIGH."""
    actions = []
    for n in range(count):
        actions.append({
            'id': 'custom_-_00000000-0000-4000-8000-%012d' % n, 'name': 'Action %03d' % n, 'category': 'CRM',
            'integrationId': INTEGRATION, 'secure': False, 'version': 1 + n % 5,
            'config': {'timeoutSeconds': LOW if n < low else HIGH,
                       'request': {'requestUrlTemplate': 'https://crm.example/%d' % n, 'requestType': 'GET',
                                   'headers': {}, 'requestTemplate': '${input.rawRequest}'},
                       'response': {'translationMap': {}, 'translationMapDefaults': {},
                                    'successTemplate': '${rawResult}'}},
            'contract': {'input': {'inputSchema': {}}, 'output': {'successSchema': {}}},
        })
    return {'orgs': [{
        'id': 'org-paced', 'name': 'Paced org',
        'clients': [{'client_id': 'demo-client', 'client_secret': 'demo-secret', 'permissions': ['*']}],
        'integrations': [{'id': INTEGRATION, 'name': 'CRM', 'integrationType': 'custom-rest-actions'}],
        'actions': actions,
    }]}


@pytest.mark.parametrize('allowed,parallel', [(20, None), (10, 16)], ids=['20-per-2s', '10-per-2s-parallel-16'])
def test_a_run_larger_than_one_window_is_paced_without_a_429(emulator_factory, run_playbook, allowed, parallel):
    emu = emulator_factory(['--rate-limit', '%d/2' % allowed, '--random-seed', '3'], seed=_seed(60, 30))
    before = emu.actions()
    low = sorted(k for k, v in before.items() if timeout_of(v) == LOW)
    assert len(low) == 30
    task = {'name': 'raise low timeouts', 'genesyscloud.cx.data_action_timeout': {
        'select': {'timeout_at_most': 5}, 'timeout_seconds': TARGET, 'mode': 'at_least'}}
    if parallel:
        # More workers than the budget: the requests in flight alone could overrun a fresh window.
        task['genesyscloud.cx.data_action_timeout']['parallel'] = parallel

    result = run_playbook(play(emu, [task])).result('raise low timeouts')

    assert result['changed'] is True
    statuses = dict((r['id'], r['status']) for r in result['results'])
    assert sorted(k for k, v in statuses.items() if v == 'updated') == low
    assert 'failed' not in statuses.values()
    after = emu.actions()
    for action_id, action in before.items():
        if action_id in low:
            assert timeout_of(after[action_id]) == TARGET
            assert after[action_id]['version'] == action['version'] + 1  # each written once
        else:
            assert after[action_id] == action
    log = emu.requests()
    api = [r for r in log['requests'] if r['path'].startswith('/api/v2/')]
    shown = ['%s %s %s %.3f-%.3f' % (r['method'], r['path'][-6:], r['status'], r['started'] - api[0]['started'],
                                     r['finished'] - api[0]['started']) for r in api]
    assert set(r['status'] for r in api) == {200}, '\n'.join(shown)
    # One listing, one listing of the selected actions' pending drafts and thirty PATCHes: more than a window
    # allows, so the run had to wait for resets.
    assert log['counts'][TOKEN_ROUTE] == 1 and log['counts'][ACTIONS_ROUTE] == 1 and log['counts'][DRAFTS_ROUTE] == 1
    assert log['counts'][PATCH_ROUTE] == 30 and len(api) == 32 > allowed
    # Zero, not "a few": every answer carries the window's count and reset, the client keeps the requests
    # counted plus those in flight (plus one spare) within the budget, and holds every worker until the
    # reset the headers announce, which the emulator rounds up to whole seconds, so the next request always
    # lands in a new window. The first request is alone (the listing), so its answer informs every PATCH.
    assert [r['status'] for r in api] == [200] * 32


def test_429s_without_retry_after_are_waited_out_with_the_clients_own_backoff(emulator_factory, run_playbook):
    # Three PATCHes in ten meet a 429 that carries no Retry-After (which a real server sometimes sends);
    # the rate-limit headers show a budget far from spent, so only the client's jittered backoff can pace.
    emu = emulator_factory(['--faults', '429=0.3,methods=PATCH', '--omit-retry-after', '--random-seed', '5'],
                           seed=_seed(60, 30))
    before = emu.actions()
    low = sorted(k for k, v in before.items() if timeout_of(v) == LOW)
    task = {'name': 'raise low timeouts', 'genesyscloud.cx.data_action_timeout': {
        'select': {'timeout_at_most': 5}, 'timeout_seconds': TARGET, 'mode': 'at_least'}}

    result = run_playbook(play(emu, [task])).result('raise low timeouts')

    statuses = dict((r['id'], r['status']) for r in result['results'])
    assert sorted(k for k, v in statuses.items() if v == 'updated') == low
    assert 'failed' not in statuses.values()
    patches = [r for r in emu.requests()['requests'] if r['route'] == PATCH_ROUTE]
    refused = [r for r in patches if r['status'] == 429]
    assert refused, 'no 429 was drawn: the test proves nothing'
    # A 429 is "not processed": each refused PATCH was sent again, and each action written exactly once.
    assert len(patches) == 30 + len(refused)
    after = emu.actions()
    for action_id in low:
        assert timeout_of(after[action_id]) == TARGET
        assert after[action_id]['version'] == before[action_id]['version'] + 1

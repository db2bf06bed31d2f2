# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesyscloud.cx contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""genesyscloud.cx.data_action_test run by ansible-playbook against the emulator: a test that runs into
a low timeout, the raise that fixes it, the test that proves it, and check mode that never runs a test."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json

from tests.integration._helpers import ACTION_ROUTE, PATCH_ROUTE, TOKEN_ROUTE, play, timeout_of

TEST_ROUTE = 'POST /api/v2/integrations/actions/{actionId}/test'
INTEGRATION = '5b0b8a8e-3f7c-4d1e-9a51-2f6a1c0e7d11'
SLOW = 'custom_-_0f9d3c52-7a61-4b8e-9f2d-6c1e5a7b3d40'  # timeout 2 s, backend about 3.5 s
UNSET = 'custom_-_7d1e0a55-8c3b-4f0e-b2a6-0f6f3c2b9e41'  # no timeout (60 s), backend 2 s
SECURE = 'custom_-_2c4e6a80-1b3d-4f5a-8c7e-9d0f1a2b3c4d'  # secure, timeout 5 s, backend 100 ms
AUTH = 'customAuth_-_' + INTEGRATION


def _action(action_id, name, timeout, latency_ms, secure=False):
    config = {'request': {'requestUrlTemplate': 'https://crm.example/lookup', 'requestType': 'GET', 'headers': {},
                          'requestTemplate': '${input.rawRequest}'},
              'response': {'translationMap': {'accountName': '$.name'}, 'translationMapDefaults': {},
                           'successTemplate': '${rawResult}'}}
    if timeout is not None:
        config['timeoutSeconds'] = timeout
    return {'id': action_id, 'name': name, 'category': 'CRM', 'integrationId': INTEGRATION, 'secure': secure,
            'version': 1, 'config': config, 'contract': {'input': {'inputSchema': {}}, 'output': {'successSchema': {}}},
            'backend': {'latency_ms': latency_ms, 'jitter_ms': 0, 'error_rate': 0.0}}


SEED = {'orgs': [{
    'id': 'org-test', 'name': 'Test org',
    'clients': [{'client_id': 'demo-client', 'client_secret': 'demo-secret', 'permissions': ['*']}],
    'integrations': [{'id': INTEGRATION, 'name': 'CRM', 'integrationType': 'custom-rest-actions'}],
    'actions': [
        _action(SLOW, 'Slow lookup', 2, 3500),
        _action(UNSET, 'Unset lookup', None, 2000),
        _action(SECURE, 'Verify PIN', 5, 100, secure=True),
        {'id': AUTH, 'name': 'CRM custom auth', 'integrationId': INTEGRATION, 'secure': False, 'version': 1,
         'config': {'request': {'requestUrlTemplate': 'https://crm.example/token', 'requestType': 'POST',
                                'headers': {}},
                    'response': {'translationMap': {}, 'successTemplate': '${rawResult}'}}},
    ],
}]}


def _emulator(emulator_factory):
    # Backends run 100 times faster in wall time; the emulator still compares the unscaled latency.
    return emulator_factory(['--time-scale', '0.01', '--random-seed', '3'], seed=SEED)


def _test(title, **options):
    return {'name': title, 'genesyscloud.cx.data_action_test': options, 'register': 'outcome'}


def test_a_timeout_too_low_for_the_backend_is_found_raised_and_proven(emulator_factory, run_playbook):
    emu = _emulator(emulator_factory)
    before = emu.actions()
    emu.clear_requests()
    run = run_playbook(play(emu, [
        _test('test before', name='Slow lookup', input={'accountNumber': 'TEST-1'}),
        {'name': 'raise the timeout', 'genesyscloud.cx.data_action_timeout': {'id': SLOW, 'timeout_seconds': 10},
         'when': 'outcome.timed_out'},
        _test('test after', id=SLOW, input={'accountNumber': 'TEST-1'}),
        _test('test unset', id=UNSET),
        _test('test secure', name='Verify PIN', input={'pin': '8642'}),
    ]))

    first = run.result('test before')
    assert first['changed'] is False and first['_status'] == 'ok'  # a failed test is a result, not a failure
    assert first['success'] is False and first['timed_out'] is True
    assert (first['id'], first['timeout_seconds'], first['effective_timeout_seconds']) == (SLOW, 2, 2)
    assert first['error']['status'] == 504
    assert first['msg'].startswith('timed out after ') and 'the effective timeout is 2 s' in first['msg']
    assert 'output' not in first

    assert run.result('raise the timeout')['changed'] is True

    second = run.result('test after')
    assert second['changed'] is False
    assert second['success'] is True and second['timed_out'] is False
    assert (second['timeout_seconds'], second['effective_timeout_seconds']) == (10, 10)
    assert second['error'] is None and second['output']['echo'] == {'accountNumber': 'TEST-1'}
    assert second['msg'].startswith('succeeded in ') and second['msg'].endswith(' ms (timeout 10 s)')

    unset = run.result('test unset')
    assert unset['changed'] is False and unset['success'] is True and unset['timed_out'] is False
    assert unset['timeout_seconds'] is None and unset['effective_timeout_seconds'] == 60

    secure = run.result('test secure')
    assert secure['success'] is True and secure['secure'] is True
    assert 'output' not in secure and all('result' not in step for step in secure['operations'])

    log = emu.requests()
    tests = [r for r in log['requests'] if r['route'] == TEST_ROUTE]
    assert [r['path'].split('/')[-2] for r in tests] == [SLOW, SLOW, UNSET, SECURE]
    assert all(r['status'] == 200 for r in tests)
    assert log['counts'][PATCH_ROUTE] == 1  # the raise; the tests write nothing
    assert log['counts'][ACTION_ROUTE] == 2  # the reads by id: one per test selected by id
    assert log['counts'][TOKEN_ROUTE] == 5
    after = emu.actions()
    assert timeout_of(after[SLOW]) == 10 and after[SLOW]['version'] == before[SLOW]['version'] + 1
    for action_id in (UNSET, SECURE, AUTH):
        assert after[action_id] == before[action_id]


def test_check_mode_reads_but_never_runs_a_test(emulator_factory, run_playbook):
    emu = _emulator(emulator_factory)
    before = emu.actions()
    emu.clear_requests()
    run = run_playbook(play(emu, [
        dict(_test('test in check mode', id=SLOW, input={'accountNumber': 'TEST-1'}),
             # The module's example: a skipped result does not reach failed_when.
             failed_when='not outcome.success'),
        {'name': 'what was registered', 'ansible.builtin.debug': {
            'msg': '{{ outcome is skipped }} {{ outcome.skipped }} {{ outcome.effective_timeout_seconds }}'}},
        _test('unset in check mode', name='Unset lookup'),
    ]), check=True, diff=True)
    result = run.result('test in check mode')
    # Ansible shows the task as skipped (and keeps "skipped" out of what callbacks see; the registered
    # variable has it).
    assert result['changed'] is False and result['_status'] == 'skipped'
    assert run.result('what was registered')['msg'] == 'True True 2'
    assert result['success'] is None and result['timed_out'] is None
    assert result['effective_timeout_seconds'] == 2
    assert 'not run in check mode' in result['msg'] and 'real backend' in result['msg']
    unset = run.result('unset in check mode')
    assert unset['effective_timeout_seconds'] == 60 and unset['timeout_seconds'] is None

    log = emu.requests()
    assert TEST_ROUTE not in log['counts']
    assert log['writes'] == 0
    assert emu.actions() == before
    assert emu.state()['orgs']['org-test']['execution_counts'] == {}  # no backend call at all


def test_a_custom_auth_action_is_refused_and_an_unknown_one_fails(emulator_factory, run_playbook):
    emu = _emulator(emulator_factory)
    emu.clear_requests()
    run = run_playbook(play(emu, [
        dict(_test('auth by name', name='CRM custom auth'), ignore_errors=True),
        dict(_test('unknown id', id='custom_-_00000000-0000-0000-0000-000000000000'), ignore_errors=True),
    ]))
    refused = run.result('auth by name')
    assert refused['_status'] == 'ignored' and 'custom authentication action' in refused['msg']
    unknown = run.result('unknown id')
    assert unknown['_status'] == 'ignored' and 'HTTP 404' in unknown['msg'] and 'correlation id' in unknown['msg']
    assert TEST_ROUTE not in emu.requests()['counts']
    assert 'demo-secret' not in json.dumps([refused, unknown])

# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesyscloud.cx contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""genesyscloud.cx.data_action_info against the emulator: filters, shapes and request counts."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json
import math

from ansible.release import __version__ as ansible_version

from tests.integration._helpers import (
    ACTION_ROUTE, ACTIONS_ROUTE, TOKEN_ROUTE, another_python, effective_timeout_of, play, timeout_of)

INVOCATION_BY_DEFAULT = tuple(int(part) for part in ansible_version.split('.')[:2]) < (2, 21)
KEYS = {'id', 'name', 'category', 'integration_id', 'secure', 'version', 'timeout_seconds',
        'effective_timeout_seconds', 'kind'}


def _info(title='info', **options):
    return {'name': title, 'genesyscloud.cx.data_action_info': options}


def test_lists_every_action_in_one_pass_without_config_unless_asked(emulator_factory, run_playbook):
    emu = emulator_factory(['--generate', '230', '--random-seed', '13'])
    state = emu.actions()
    listed = dict((k, v) for k, v in state.items() if not k.startswith('customAuth_'))
    emu.clear_requests()
    run = run_playbook(play(emu, [_info('all'), _info('with config', include_config=True, page_size=50)]))
    everything = run.result('all')['data_actions']
    assert sorted(a['id'] for a in everything) == sorted(listed)
    for action in everything:
        assert set(action) == KEYS
        source = listed[action['id']]
        assert action['timeout_seconds'] == timeout_of(source)
        assert action['effective_timeout_seconds'] == effective_timeout_of(source)
        assert action['version'] == source['version']
        assert action['integration_id'] == source['integrationId']
        assert action['kind'] == ('static' if action['id'].startswith('static_') else 'custom')
    assert [a['name'] for a in everything] == sorted(a['name'] for a in everything)
    with_config = run.result('with config')['data_actions']
    assert all(a['config'] == listed[a['id']]['config'] for a in with_config)

    log = emu.requests()['counts']
    assert log[TOKEN_ROUTE] == 2  # one per module run with client credentials
    assert log[ACTIONS_ROUTE] == math.ceil(len(listed) / 100.0) + math.ceil(len(listed) / 50.0)
    assert ACTION_ROUTE not in log
    assert emu.requests()['writes'] == 0


def test_timeout_filters_and_selectors(emulator, run_playbook):
    state = emulator.actions()
    listed = dict((k, v) for k, v in state.items() if not k.startswith('customAuth_'))
    some = sorted(listed.values(), key=lambda a: a['id'])[5]
    run = run_playbook(play(emulator, [
        _info('low', timeout_at_most=3),
        _info('up to 60', timeout_at_most=60),
        _info('unset', explicit_timeout=False),
        _info('set, up to 59', timeout_at_most=59, explicit_timeout=True),
        _info('one', id=some['id']),
        _info('by name', name=some['name']),
        _info('by category', category=some['category']),
        _info('with auth', include_auth_actions=True),
    ]))
    unset = sorted(k for k, v in listed.items() if timeout_of(v) is None)
    assert unset, 'the generated org should have actions without a timeout'
    # An unset timeout runs with the 60 s default: never "at most 3", and only "at most 60".
    low = run.result('low')['data_actions']
    assert sorted(a['id'] for a in low) == sorted(k for k, v in listed.items() if effective_timeout_of(v) <= 3)
    assert not set(a['id'] for a in low) & set(unset)
    assert sorted(a['id'] for a in run.result('up to 60')['data_actions']) == sorted(listed)
    assert sorted(a['id'] for a in run.result('unset')['data_actions']) == unset
    assert all(a['effective_timeout_seconds'] == 60 for a in run.result('unset')['data_actions'])
    assert sorted(a['id'] for a in run.result('set, up to 59')['data_actions']) == sorted(
        k for k, v in listed.items() if timeout_of(v) is not None and timeout_of(v) <= 59)
    assert [a['id'] for a in run.result('one')['data_actions']] == [some['id']]
    assert all(a['name'] == some['name'] for a in run.result('by name')['data_actions'])
    assert some['id'] in [a['id'] for a in run.result('by name')['data_actions']]
    assert sorted(a['id'] for a in run.result('by category')['data_actions']) == sorted(
        k for k, v in listed.items() if v['category'] == some['category'])
    with_auth = run.result('with auth')['data_actions']
    auth = [a for a in with_auth if a['kind'] == 'custom_auth']
    assert sorted(a['id'] for a in auth) == sorted(k for k in state if k.startswith('customAuth_'))
    assert emulator.requests()['writes'] == 0


def test_info_never_changes_and_runs_in_check_mode(emulator, run_playbook):
    emulator.clear_requests()
    run = run_playbook(play(emulator, [_info('check', timeout_at_most=5)]), check=True)
    result = run.result('check')
    assert result['changed'] is False
    assert result['data_actions']
    assert emulator.requests()['writes'] == 0


def test_the_tasks_worker_runs_the_module_or_a_module_process_alike(emulator_factory, run_playbook, tmp_path):
    """With the playbook's Python (the default inventory of these tests) the task's worker runs data_action_info's
    code itself; with another interpreter (the same Python, run by a script), or an async task, it runs as a module
    process. Same requests, same result, the secret masked alike where the API's data holds it, and a name that looks
    like a template stays text, never rendered."""
    emu = emulator_factory(['--generate', '40', '--random-seed', '21'])
    custom = sorted(k for k in emu.actions() if k.startswith('custom_'))
    emu.admin_edit(action_id=custom[0], name='holds demo-secret inside', when='now')
    emu.admin_edit(action_id=custom[1], name='{{ 6 * 7 }}', when='now')
    options = dict(stats=True, include_config=True, drafts=True, timeout_at_most=60)
    tasks = [
        dict(_info('all', **options), register='info'),
        {'name': 'names', 'ansible.builtin.debug': {'msg': "{{ info.data_actions | map(attribute='name') | list }}"}},
        dict(_info('in the background', **options), **{'async': 60, 'poll': 1}),
        _info('refused', verdicts=['too_low']),
    ]
    outcomes = {}
    for where, interpreter in (('worker', '{{ ansible_playbook_python }}'), ('module process', another_python(str(tmp_path)))):
        inventory = {'all': {'hosts': {'localhost': {'ansible_connection': 'local',
                                                     'ansible_python_interpreter': interpreter}}}}
        emu.clear_requests()
        run = run_playbook(play(emu, tasks), inventory=inventory, args=['-vvv'], expect_rc=2)
        said = [line for line in run.stdout.splitlines() if line.startswith('data_action_info runs ')]
        if where == 'worker':
            here = "data_action_info runs in this worker, with the controller's Python"
            assert said == [here, 'data_action_info runs as a module process: the task is async', here]
        else:
            assert len(said) == 3
            assert all(line.startswith('data_action_info runs as a module process: ansible_python_interpreter is ')
                       for line in said[0:1] + said[2:]), said
        assert 'demo-secret' not in run.stdout + run.stderr + json.dumps(run.records)
        result = run.result('all')
        names = dict((a['id'], a['name']) for a in result['data_actions'])
        assert names[custom[0]] == 'holds ******** inside'
        assert names[custom[1]] == '{{ 6 * 7 }}'
        shown = run.result('names')['msg']
        assert '{{ 6 * 7 }}' in shown and '42' not in shown and 42 not in shown
        # A module process's result holds its arguments before ansible-core 2.21 (from 2.21 on with
        # INJECT_INVOCATION); the worker's library call, like core's controller-side actions, returns none.
        invocation = result.pop('invocation', None)
        assert (invocation is not None) == (where == 'module process' and INVOCATION_BY_DEFAULT)
        if invocation is not None:
            assert invocation['module_args']['client_secret'] == 'VALUE_SPECIFIED_IN_NO_LOG_PARAMETER'
        assert run.result('in the background')['data_actions'] == result['data_actions']
        refused = run.result('refused')
        assert refused['_status'] == 'failed' and 'verdicts' in refused['msg'] and 'too_low' in refused['msg']
        log = emu.requests()['counts']
        outcomes[where] = (
            dict((key, value) for key, value in result.items() if not key.startswith('_')),
            sorted(log.items()))
    assert outcomes['worker'] == outcomes['module process']
    assert outcomes['worker'][1]  # it did read

# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesyscloud.cx contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""genesyscloud.cx.data_action_timeout run by ansible-playbook against the emulator: what reaches
the server, what the server holds afterwards, and what the user is told."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json
import math
import os

from tests.integration._helpers import (
    ACTION_ROUTE, ACTIONS_ROUTE, PATCH_ROUTE, TOKEN_ROUTE, another_python, custom_actions, diff_changes, effective_timeout_of, max_overlap,
    play,
    timeout_of, without_timeout_and_version, writes,
)


def _low_ids(actions, at_most=3):
    """Custom actions whose effective timeout is at most ``at_most`` (an unset one runs at 60 s)."""
    return sorted(k for k, v in custom_actions(actions).items() if effective_timeout_of(v) <= at_most)


def _raise(ids, timeout=10, name='raise timeouts', **options):
    args = {'ids': ids, 'timeout_seconds': timeout}
    args.update(options)
    return {'name': name, 'genesyscloud.cx.data_action_timeout': args}


def test_check_mode_predicts_the_real_run_which_a_rerun_does_not_repeat(emulator, run_playbook):
    before = emulator.actions()
    ids = _low_ids(before, at_most=5)
    assert len(ids) > 10
    emulator.clear_requests()

    check = run_playbook(play(emulator, [_raise(ids)]), check=True, diff=True)
    predicted = check.result('raise timeouts')
    assert writes(emulator) == 0
    assert emulator.actions() == before
    assert predicted['changed'] is True
    assert sorted(r['id'] for r in predicted['results']) == ids
    assert set(r['status'] for r in predicted['results']) == {'would_update'}
    # The diff names every action that would change, from what to what, and nothing else.
    changes = diff_changes(predicted['diff'])
    assert sorted(changes) == ids
    assert set(c['after'] for c in changes.values()) == {10}
    assert all(c['before'] == timeout_of(before[i]) and 'versions' not in c for i, c in changes.items())

    emulator.clear_requests()
    real = run_playbook(play(emulator, [_raise(ids)]))
    applied = real.result('raise timeouts')
    assert applied['changed'] is True
    by_id = dict((r['id'], r) for r in applied['results'])
    for guess in predicted['results']:
        done = by_id[guess['id']]
        assert done['status'] == 'updated'
        for key in ('name', 'timeout_seconds_before', 'timeout_seconds_after', 'version_before'):
            assert done[key] == guess[key], key
        assert done['version_after'] == done['version_before'] + 1

    log = emulator.requests()
    assert log['counts'].get(PATCH_ROUTE) == len(ids)
    assert log['counts'].get(TOKEN_ROUTE) == 1
    assert ACTION_ROUTE not in log['counts']  # planned from the listing, no per-action GET
    after = emulator.actions()
    for action_id, action in before.items():
        if action_id in ids:
            assert timeout_of(after[action_id]) == 10
            assert after[action_id]['version'] == action['version'] + 1
            assert without_timeout_and_version(after[action_id]) == without_timeout_and_version(action)
        else:
            assert after[action_id] == action

    emulator.clear_requests()
    rerun = run_playbook(play(emulator, [_raise(ids)]), diff=True).result('raise timeouts')
    assert rerun['changed'] is False
    assert set(r['status'] for r in rerun['results']) == {'unchanged'}
    assert writes(emulator) == 0
    assert emulator.actions() == after


def test_request_count_of_the_happy_path_is_at_the_floor(emulator_factory, run_playbook):
    emu = emulator_factory(['--generate', '130', '--random-seed', '11'])
    before = emu.actions()
    listed = [a for a in before if not a.startswith('customAuth_')]  # auth actions are not listed
    low = _low_ids(before)
    name = before[low[0]]['name']
    emu.clear_requests()
    # Select by name: the module must list everything (exact match is decided client-side).
    task = {'name': 'by name', 'genesyscloud.cx.data_action_timeout': {
        'name': name, 'timeout_seconds': 20, 'page_size': 25}}
    run_playbook(play(emu, [task]))
    counts = emu.requests()['counts']
    assert counts[TOKEN_ROUTE] == 1
    assert counts[PATCH_ROUTE] == 1
    assert counts[ACTIONS_ROUTE] <= math.ceil(len(listed) / 25.0)
    assert ACTION_ROUTE not in counts

    # Every custom action listed in pages of 100: ceil(N / 100) listings, one PATCH per change.
    emu.clear_requests()
    ids = sorted(custom_actions(emu.actions()))
    changing = [i for i in ids if timeout_of(emu.actions()[i]) != 30]
    run_playbook(play(emu, [_raise(ids, timeout=30, name='all to 30')]))
    counts = emu.requests()['counts']
    assert counts[TOKEN_ROUTE] == 1
    assert counts[PATCH_ROUTE] == len(changing)
    # More ids than one ids-filtered request takes (50): one pass over the org is cheapest.
    assert counts[ACTIONS_ROUTE] == math.ceil(len(listed) / 100.0)
    assert ACTION_ROUTE not in counts

    # Up to 50 ids: one listing request with the ids filter, whatever the size of the org.
    emu.clear_requests()
    run_playbook(play(emu, [_raise(ids[:50], timeout=31, name='fifty to 31')]))
    counts = emu.requests()['counts']
    assert (counts[TOKEN_ROUTE], counts[ACTIONS_ROUTE], counts[PATCH_ROUTE]) == (1, 1, 50)
    # The pending drafts of those actions: one more listing (ids filter), whatever the org has (none here).
    assert sum(counts.values()) == 1 + 1 + 1 + 50

    # drafts: ignore reads no drafts: every request counted, exactly the floor before drafts were reported.
    emu.clear_requests()
    run_playbook(play(emu, [_raise(ids[:50], timeout=32, name='fifty to 32', drafts='ignore')]))
    counts = emu.requests()['counts']
    assert (counts[TOKEN_ROUTE], counts[ACTIONS_ROUTE], counts[PATCH_ROUTE]) == (1, 1, 50)
    assert sum(counts.values()) == 1 + 1 + 50


def test_a_concurrent_admin_edit_survives_and_the_timeout_is_still_applied(emulator, run_playbook):
    before = emulator.actions()
    target = _low_ids(before)[0]
    emulator.admin_edit(action_id=target, name='Renamed by another admin',
                        config={'request': {'headers': {'X-Edited-By': 'admin'}}}, when='before_next_patch')
    emulator.clear_requests()
    task = {'name': 'raise one', 'genesyscloud.cx.data_action_timeout': {'id': target, 'timeout_seconds': 15}}
    result = run_playbook(play(emulator, [task])).result('raise one')
    assert result['changed'] is True
    assert result['results'][0]['status'] == 'updated'
    after = emulator.actions()[target]
    assert after['name'] == 'Renamed by another admin'
    assert after['config']['request']['headers']['X-Edited-By'] == 'admin'
    assert timeout_of(after) == 15
    assert after['version'] == before[target]['version'] + 2  # the admin's edit, then ours
    log = emulator.requests()
    patches = [r for r in log['requests'] if r['route'] == PATCH_ROUTE]
    assert [p['status'] for p in patches][0] in (409, 400)  # the conflict, then the re-decided PATCH
    assert [p['status'] for p in patches][-1] == 200
    assert log['counts'].get(ACTION_ROUTE, 0) >= 1  # the conflict was settled by re-reading


def test_a_change_someone_already_made_is_not_repeated(emulator, run_playbook):
    target = _low_ids(emulator.actions())[0]
    emulator.admin_edit(action_id=target, config={'timeoutSeconds': 15}, when='before_next_patch')
    emulator.clear_requests()
    task = {'name': 'raise one', 'genesyscloud.cx.data_action_timeout': {'id': target, 'timeout_seconds': 15}}
    result = run_playbook(play(emulator, [task])).result('raise one')
    assert result['results'][0]['status'] == 'unchanged'
    assert result['changed'] is False
    patches = [r for r in emulator.requests()['requests'] if r['route'] == PATCH_ROUTE]
    assert len(patches) == 1 and patches[0]['status'] in (409, 400)  # only the one that met the conflict


def test_merge_semantics_and_400_conflicts_are_handled_too(emulator_factory, run_playbook):
    emu = emulator_factory(['--generate', '40', '--random-seed', '3', '--patch-semantics', 'merge',
                            '--conflict-status', '400'])
    before = emu.actions()
    ids = _low_ids(before)
    emu.admin_edit(action_id=ids[0], name='Edited meanwhile', when='before_next_patch')
    run_playbook(play(emu, [_raise(ids, timeout=12)]))
    after = emu.actions()
    for action_id in ids:
        assert timeout_of(after[action_id]) == 12
    assert after[ids[0]]['name'] == 'Edited meanwhile'
    for action_id in ids[1:]:
        assert without_timeout_and_version(after[action_id]) == without_timeout_and_version(before[action_id])


def test_rate_limit_storm_and_server_faults_are_ridden_out(emulator_factory, run_playbook):
    storm = '429=0.3,502=0.05,503=0.05,504=0.05,drop=0.03'
    emu = emulator_factory(['--generate', '80', '--random-seed', '5', '--faults', storm])
    emu.configure(faults='')
    before = emu.actions()
    ids = _low_ids(before, at_most=6)
    emu.configure(faults=storm)
    emu.clear_requests()
    result = run_playbook(play(emu, [_raise(ids, timeout=25, parallel=6)])).result('raise timeouts')
    emu.configure(faults='')
    assert result['changed'] is True
    assert set(r['status'] for r in result['results']) == {'updated'}
    statuses = [r['status'] for r in emu.requests()['requests']]
    assert 429 in statuses and (502 in statuses or 503 in statuses)  # the storm really happened
    after = emu.actions()
    for action_id in ids:
        assert timeout_of(after[action_id]) == 25
        # Applied exactly once: a PATCH that met a fault was never applied twice.
        assert after[action_id]['version'] == before[action_id]['version'] + 1


def test_a_patch_whose_answer_was_lost_is_settled_by_the_version_check(emulator_factory, run_playbook):
    emu = emulator_factory(['--generate', '40', '--random-seed', '9'])
    before = emu.actions()
    ids = _low_ids(before)
    emu.configure(faults='drop_after=0.5,methods=PATCH')
    result = run_playbook(play(emu, [_raise(ids, timeout=11)])).result('raise timeouts')
    emu.configure(faults='')
    assert set(r['status'] for r in result['results']) == {'updated'}
    dropped = [r for r in emu.requests()['requests'] if r['route'] == PATCH_ROUTE and r.get('fault')]
    assert dropped, 'the fault never fired: the test proves nothing'
    after = emu.actions()
    for action_id in ids:
        assert timeout_of(after[action_id]) == 11
        assert after[action_id]['version'] == before[action_id]['version'] + 1


def test_two_hundred_ids_are_updated_concurrently(emulator_factory, run_playbook):
    emu = emulator_factory(['--generate', '260', '--random-seed', '21', '--latency-ms', '20'])
    ids = sorted(custom_actions(emu.actions()))[:200]
    emu.clear_requests()
    result = run_playbook(play(emu, [_raise(ids, timeout=33, parallel=8)])).result('raise timeouts')
    assert len(result['results']) == 200
    patches = [r for r in emu.requests()['requests'] if r['route'] == PATCH_ROUTE]
    assert len(patches) == len([r for r in result['results'] if r['status'] == 'updated'])
    assert max_overlap(patches) > 1
    assert all(timeout_of(emu.actions()[i]) == 33 for i in ids)


def test_actions_with_versions_and_on_drift(emulator, run_playbook):
    before = emulator.actions()
    first, second, third = _low_ids(before)[:3]
    emulator.admin_edit(action_id=second, name='Moved after approval', when='now')
    approved = [
        {'id': first, 'timeout_seconds': 9, 'version': before[first]['version']},
        {'id': second, 'timeout_seconds': 9, 'version': before[second]['version']},
        {'id': third, 'timeout_seconds': None, 'version': before[third]['version']},
    ]
    emulator.clear_requests()
    failed = run_playbook(play(emulator, [{'name': 'apply plan', 'genesyscloud.cx.data_action_timeout': {
        'actions': approved}}]), expect_rc=2).result('apply plan')
    assert failed['_status'] == 'failed'
    statuses = dict((r['id'], r['status']) for r in failed['results'])
    assert statuses[second] == 'drifted'
    assert 'drift' in failed['msg'].lower()
    assert writes(emulator) == 0  # what runs is what was approved, or nothing

    emulator.reset()
    emulator.admin_edit(action_id=second, name='Moved after approval', when='now')
    emulator.clear_requests()
    skipped = run_playbook(play(emulator, [{'name': 'apply plan', 'genesyscloud.cx.data_action_timeout': {
        'actions': approved, 'on_drift': 'skip'}}])).result('apply plan')
    statuses = dict((r['id'], r['status']) for r in skipped['results'])
    assert statuses[second] == 'drifted'
    assert statuses[first] == 'updated'
    after = emulator.actions()
    assert timeout_of(after[second]) == timeout_of(before[second])
    assert timeout_of(after[first]) == 9
    if timeout_of(before[third]) is not None:
        assert statuses[third] == 'updated' and timeout_of(after[third]) is None  # null removes the setting
    assert [r['path'].rsplit('/', 1)[-1] for r in emulator.requests()['requests'] if r['route'] == PATCH_ROUTE
            ].count(second) == 0


def test_a_batch_with_an_invalid_entry_changes_nothing(emulator, run_playbook):
    before = emulator.actions()
    ids = _low_ids(before)[:3]
    emulator.clear_requests()
    run = run_playbook(play(emulator, [{'name': 'bad batch', 'genesyscloud.cx.data_action_timeout': {
        'actions': [{'id': ids[0], 'timeout_seconds': 10}, {'id': ids[1], 'timeout_seconds': 61},
                    {'id': ids[2], 'timeout_seconds': 10}]}}]), expect_rc=2)
    assert '61' in run.result('bad batch')['msg']
    assert writes(emulator) == 0
    assert emulator.actions() == before


def test_workers_slow_down_together_when_told_to_retry_after(emulator_factory, run_playbook):
    # 429s the client's pace could not foresee (see test_rate_limit_pacing.py): each carries Retry-After 1,
    # which holds every worker, not just one.
    emu = emulator_factory(['--generate', '120', '--random-seed', '23', '--faults', '429=0.15,methods=PATCH'])
    before = emu.actions()
    ids = sorted(custom_actions(before))[:45]
    emu.clear_requests()
    result = run_playbook(play(emu, [_raise(ids, timeout=37, parallel=8)])).result('raise timeouts')
    assert set(r['status'] for r in result['results']) == {'updated'}
    log = [r for r in emu.requests()['requests'] if r['route'] != TOKEN_ROUTE]
    limited = [r for r in log if r['status'] == 429]
    assert limited, 'no 429 was answered: the test proves nothing'
    # Requests already past the gate when the first 429 came still land after it (how long after depends on the
    # machine's load: at most the other 7 workers' one each); then every worker waits out its Retry-After, so
    # nothing more reaches the server in the rest of that second (unheld, 8 workers send dozens in it).
    first = min(r['finished'] for r in limited)
    assert len([r for r in log if first < r['started'] < first + 0.9]) <= 8 - 1
    after = emu.actions()
    assert all(timeout_of(after[i]) == 37 and after[i]['version'] == before[i]['version'] + 1 for i in ids)


def test_the_tasks_worker_runs_the_module_or_a_module_process_alike(emulator_factory, run_playbook, tmp_path):
    """With the playbook's Python the task's worker calls data_action_timeout's library itself; with another
    interpreter (or an async task) the module runs as a module process. Same requests, same writes, same results
    (results_file included), the same diff; only a module process's result holds its arguments."""
    outcomes = {}
    emu = emulator_factory(['--generate', '40', '--random-seed', '22'])
    for where, interpreter in (('worker', '{{ ansible_playbook_python }}'),
                               ('module process', another_python(str(tmp_path)))):
        emu.reset()
        ids = _low_ids(emu.actions(), at_most=5)
        handed = os.path.join(str(tmp_path), '%s.results.json' % where.replace(' ', '-'))
        tasks = [_raise(ids, name='check', mode='at_least'), _raise(ids, name='raise', mode='at_least', results_file=handed),
                 dict(_raise(ids[:2], name='in the background', timeout=20), **{'async': 60, 'poll': 1})]
        tasks[0]['check_mode'] = True
        inventory = {'all': {'hosts': {'localhost': {'ansible_connection': 'local',
                                                     'ansible_python_interpreter': interpreter}}}}
        run = run_playbook(play(emu, tasks), inventory=inventory, args=['-vvv'], diff=True)
        said = [line for line in run.stdout.splitlines() if line.startswith('data_action_timeout runs ')]
        if where == 'worker':
            here = "data_action_timeout runs in this worker, with the controller's Python"
            assert said == [here, here, 'data_action_timeout runs as a module process: the task is async']
        else:
            assert len(said) == 3 and all(line.startswith('data_action_timeout runs as a module process') for line in said)
        assert 'demo-secret' not in run.stdout + run.stderr + json.dumps(run.records)
        results = {}
        for name in ('check', 'raise', 'in the background'):
            # What the run decided and did (an async job's bookkeeping, and the rate limit's timings, aside).
            result = run.result(name)
            results[name] = dict((key, result.get(key)) for key in ('changed', 'failed', 'msg', 'results', 'diff'))
        with open(handed) as stream:
            results['results_file'] = json.load(stream)
        log = emu.requests()
        outcomes[where] = (results, sorted(log['counts'].items()), log['writes'],
                           dict((k, timeout_of(v)) for k, v in emu.actions().items()))
    worker, process = outcomes['worker'], outcomes['module process']
    for name in worker[0]:
        assert worker[0][name] == process[0][name], name
    assert worker[1:] == process[1:]
    assert worker[2] > 2  # it did write

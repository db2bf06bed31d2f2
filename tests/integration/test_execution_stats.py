# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesyscloud.cx contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Observed execution times, run by ansible-playbook against the emulator: the verdicts and recommended
timeouts of data_action_info (stats), and data_action_timeout choosing and sizing by them (select.verdicts,
timeout_seconds: recommended, max_changes), checked against numbers computed by hand from seeded durations,
the one analytics query per module run, and what the server holds afterwards."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import collections
import copy
import datetime
import math
import re
from fractions import Fraction

from tests.integration._helpers import (
    ACTION_ROUTE, ACTIONS_ROUTE, DRAFTS_ROUTE, PATCH_ROUTE, TOKEN_ROUTE, diff_changes, play, timeout_of,
    without_timeout_and_version, writes,
)

ANALYTICS_ROUTE = 'POST /api/v2/analytics/actions/aggregates/query'
INTEGRATION = '3a7d2c1e-5b4f-4e6a-9c8d-7f1e2d3c4b5a'
AUTH = 'customAuth_-_' + INTEGRATION
NO_ANALYTICS = ('no-analytics-client', 'no-analytics-secret')


def _id(n):
    return 'custom_-_00000000-0000-4000-8000-%012d' % n


# name -> (id, configured timeout or None, executions as durations in ms, oldest first)
ACTIONS = {
    # 5 of 40 run past 3 s and are cut off at 3000 ms: timing out, raised well above 3 s.
    'Account lookup': (_id(1), 3, [800] * 30 + [1200] * 5 + [4000] * 5),
    # 1 of 200 cut off at 3 s, the p99 only 500 ms: timing out, raised to 3 + 1 s although the p99 asks for less.
    'Balance check': (_id(2), 3, [500] * 199 + [5000]),
    # Unset (60 s) and 5 of 40 cut off at 60 s: timing out, and 60 s is as high as it goes.
    'Create ticket': (_id(3), None, [20000] * 35 + [70000] * 5),
    # 10 s, none cut off, but the p99 (6 s) uses more than half of it: at risk.
    'Order status': (_id(4), 10, [3000] * 35 + [6000] * 5),
    # Unset (60 s), p99 300 ms: oversized.
    'Loyalty tier': (_id(5), None, [200] * 38 + [300] * 2),
    # 5 s, p99 1 s: fits.
    'Store hours': (_id(6), 5, [1000] * 40),
    # 4 s, only 10 executions: no data (until min_executions is lowered).
    'Survey lookup': (_id(7), 4, [500] * 10),
    # 8 s, never ran.
    'Never run': (_id(8), 8, None),
}


def _config(timeout):
    config = {'request': {'requestUrlTemplate': 'https://crm.example/lookup', 'requestType': 'GET',
                          'headers': {'Accept': 'application/json'}, 'requestTemplate': '${input.rawRequest}'},
              'response': {'translationMap': {'status': '$.status'}, 'translationMapDefaults': {'status': '""'},
                           'successTemplate': '${rawResult}'},
              # A field no client knows: it must survive every PATCH.
              'retryPolicy': {'maxAttempts': 2, 'backoffMs': 250}}
    if timeout is not None:
        config['timeoutSeconds'] = timeout
    return config


def _seed(actions, auth_executions=None):
    """One org whose actions have explicit execution histories; a client with every permission
    (demo-client) and one refused the analytics query."""
    seeded = []
    for n, (name, (action_id, timeout, executions)) in enumerate(sorted(actions.items())):
        action = {'id': action_id, 'name': name, 'category': 'CRM', 'integrationId': INTEGRATION,
                  'secure': False, 'version': 3 + n, 'config': _config(timeout),
                  'contract': {'input': {'inputSchema': {}}, 'output': {'successSchema': {}}}}
        if executions is not None:
            action['executions'] = executions
        seeded.append(action)
    if auth_executions is not None:
        seeded.append({'id': AUTH, 'name': 'CRM custom auth', 'category': 'CRM', 'integrationId': INTEGRATION,
                       'secure': True, 'version': 1,
                       'config': {'request': {'requestUrlTemplate': 'https://crm.example/token',
                                              'requestType': 'POST', 'headers': {}},
                                  'response': {'translationMap': {}, 'successTemplate': '${rawResult}'}},
                       'executions': auth_executions})
    return {'orgs': [{
        'id': 'org-stats', 'name': 'Stats org',
        'clients': [
            {'client_id': 'demo-client', 'client_secret': 'demo-secret', 'permissions': ['*']},
            {'client_id': NO_ANALYTICS[0], 'client_secret': NO_ANALYTICS[1], 'permissions': ['*'],
             'forbidden': [ANALYTICS_ROUTE]},
        ],
        'integrations': [{'id': INTEGRATION, 'name': 'CRM', 'integrationType': 'custom-rest-actions'}],
        'actions': seeded,
    }]}


# ---- the arithmetic, by hand (independent of plugins/module_utils/execution_stats.py) -----------
def _nearest_rank(ordered, percent):
    rank = max(1, -(-percent * len(ordered) // 100))  # ceil(percent / 100 * n), in integers
    return ordered[rank - 1]


# The fixed ladder of view bounds (ms) the design names; a query adds each effective timeout off it.
LADDER_MS = [250, 500, 1000, 1500, 2000, 3000, 5000, 8000, 10000, 15000, 20000, 30000, 45000, 60000]


def _recorded(executions, effective):
    """(duration, errorType or None) as the emulator records seeded executions: a duration past the timeout
    is cut off there, errorType timeout; a [duration, errorType] pair keeps its errorType."""
    recorded = []
    for entry in executions or []:
        duration, error_type = entry if isinstance(entry, list) else (entry, None)
        recorded.append((effective * 1000, 'timeout') if duration > effective * 1000 else (duration, error_type))
    return recorded


def _expected_stats(executions, timeout, custom_auth=False, percentiles=True, bounds=None):
    """What the collection should make of these seeded executions: the timeout is sized from the successes
    plus the failures cut off at the timeout; the p99 is the server's nearest rank, or without percentiles (or
    with such failures) the smallest bound under which 99% of them lie (the timeout itself when none)."""
    effective = 60 if timeout is None else timeout
    limit = effective * 1000
    recorded = _recorded(executions, effective)
    successes = sorted(d for d, e in recorded if e is None)
    failures = collections.Counter(e for d, e in recorded if e is not None)
    cut = 0 if custom_auth else len([d for d, e in recorded if e is not None and d >= limit])
    if not recorded:
        return {'executions': 0, 'successes': 0, 'failures': 0, 'failure_share': None, 'failures_by_error_type': {},
                'sized_executions': 0, 'mean_ms': None, 'p95_ms': None, 'p99_ms': None, 'p99_source': None,
                'max_ms': None, 'reached_timeout': None if custom_auth else 0}
    sized = len(successes) + cut
    if percentiles and not cut and successes:
        p99, source = _nearest_rank(successes, 99), 'server'
    elif sized:
        ladder = sorted(b for b in (bounds or LADDER_MS) if custom_auth or b <= limit)
        under = [b for b in ladder if 100 * len([d for d in successes if d < b]) >= 99 * sized]
        if under:
            p99 = min(under[0], successes[-1])  # the p99 is then one of the successes
        else:
            # None holds 99%: the slowest success, or with executions cut off at the timeout, the timeout.
            p99 = successes[-1] if successes and not cut else max([limit] + successes[-1:])
        source = 'ladder'
    else:
        p99 = source = None
    return {
        'executions': len(recorded),
        'successes': len(successes),
        'failures': sum(failures.values()),
        'failure_share': round(float(sum(failures.values())) / len(recorded), 4),
        'failures_by_error_type': dict(failures),
        'sized_executions': sized,
        'mean_ms': int(math.floor(Fraction(sum(successes), len(successes)) + Fraction(1, 2))) if successes else None,
        'p95_ms': _nearest_rank(successes, 95) if percentiles and successes else None,
        'p99_ms': p99,
        'p99_source': source,
        'max_ms': max(d for d, e in recorded),
        'reached_timeout': None if custom_auth else len([d for d, e in recorded if d >= limit]),
    }


def _expected_verdict(timeout, stats, headroom=3, min_executions=30, at_risk_share=Fraction(1, 2)):
    """(verdict, recommended timeout) as the design states it."""
    effective = 60 if timeout is None else timeout
    if stats['sized_executions'] < min_executions:
        return 'no_data', None
    raw = Fraction(stats['p99_ms']) * Fraction(headroom) / 1000
    recommended = min(60, max(1, int(math.ceil(raw))))
    if stats['reached_timeout']:
        # Cut-off times understate the p99: at least one second above the current timeout.
        return 'timing_out', max(recommended, min(60, effective + 1))
    if stats['p99_ms'] > at_risk_share * effective * 1000:
        return 'at_risk', recommended
    if effective > 2 * recommended:
        return 'oversized', recommended
    return 'ok', recommended


# ---- playbook and log helpers -----------------------------------------------------------------------
def _info(title, **options):
    return {'name': title, 'genesyscloud.cx.data_action_info': options}


def _timeout(title, check_mode=None, ignore_errors=None, **options):
    task = {'name': title, 'genesyscloud.cx.data_action_timeout': options}
    if check_mode is not None:
        task['check_mode'] = check_mode
    if ignore_errors is not None:
        task['ignore_errors'] = ignore_errors
    return task


def _module_runs(emu):
    """The request log split into module runs: each genesyscloud.cx module run starts with its token."""
    runs = []
    for entry in sorted(emu.requests()['requests'], key=lambda e: e['seq']):
        if entry['route'] == TOKEN_ROUTE:
            runs.append([])
        assert runs, 'a request before any token: %r' % (entry,)
        runs[-1].append(entry)
    return runs


def _count(entries, route):
    return len([e for e in entries if e['route'] == route])


def _by_id(items):
    return dict((item['id'], item) for item in items)


def _words(text):
    """Output as one line: ansible-core 2.16 wraps warnings at the terminal width."""
    return re.sub(r'\s+', ' ', text)


def _parse_moment(text):
    return datetime.datetime.strptime(text, '%Y-%m-%dT%H:%M:%S.%fZ')


def _check_query(body, effective_timeouts, days=7):
    """The one analytics query: grouped by action and errorType, tTotalExecution, a rangeBound view from 0 up
    to each bound of the ladder and each effective timeout off it."""
    assert body['groupBy'] == ['actionId', 'errorType']
    assert body['metrics'] == ['tTotalExecution']
    assert 'filter' not in body  # the whole org in one query, never one per action
    views = body['views']
    bounds = sorted(set(LADDER_MS) | set(t * 1000 for t in effective_timeouts))
    assert [(v['function'], v['target'], v['range']) for v in views] == [
        ('rangeBound', 'tTotalExecution', {'gte': 0, 'lt': b}) for b in bounds]
    assert len(set(v['name'] for v in views)) == len(views) <= 20
    start, end = (_parse_moment(part) for part in body['interval'].split('/'))
    assert end - start == datetime.timedelta(days=days)


# ---- 1. verdicts and recommendations ----------------------------------------------------------
def test_verdicts_and_recommendations_are_the_numbers_computed_by_hand(emulator_factory, run_playbook):
    emu = emulator_factory(seed=_seed(ACTIONS, auth_executions=[150] * 40))
    before = emu.actions()
    emu.clear_requests()
    run = run_playbook(play(emu, [
        _info('with stats', stats=True, include_auth_actions=True),
        _info('headroom 2, min 5', stats=True, include_auth_actions=True, headroom=2, min_executions=5),
    ]))

    expected_verdicts = {
        # name: (defaults, headroom 2 and min_executions 5), each (verdict, recommended timeout)
        'Account lookup': (('timing_out', 9), ('timing_out', 6)),  # p99 3000 x 3 = 9; x 2 = 6
        'Balance check': (('timing_out', 4), ('timing_out', 4)),   # p99 500 x 3 = 1.5 -> 2, but 3 s + 1
        'Create ticket': (('timing_out', 60), ('timing_out', 60)),  # cut off at 60 s: the maximum
        'Order status': (('at_risk', 18), ('at_risk', 12)),        # p99 6000 > 5000; x 3 = 18; x 2 = 12
        'Loyalty tier': (('oversized', 1), ('oversized', 1)),      # p99 300 ms: 1 s, and 60 s > 2 x 1
        'Store hours': (('ok', 3), ('oversized', 2)),              # p99 1000: 3 s fits 5 s; 2 s does not
        'Survey lookup': (('no_data', None), ('oversized', 1)),    # 10 executions; p99 500 x 2 = 1
        'Never run': (('no_data', None), ('no_data', None)),
    }
    for title, column, options in (('with stats', 0, {}),
                                   ('headroom 2, min 5', 1, {'headroom': 2, 'min_executions': 5})):
        listed = run.result(title)
        assert listed['changed'] is False
        actions = _by_id(listed['data_actions'])
        assert sorted(actions) == sorted([a[0] for a in ACTIONS.values()] + [AUTH])
        for name, (action_id, timeout, durations) in ACTIONS.items():
            got = actions[action_id]
            stats = _expected_stats(durations, timeout)
            verdict, recommended = _expected_verdict(timeout, stats, **options)
            assert got['stats'] == stats, name
            assert (got['verdict'], got['recommended_timeout_seconds']) == (verdict, recommended), name
            assert (verdict, recommended) == expected_verdicts[name][column], name  # the seed shows every verdict
            assert got['timeout_seconds'] == timeout and got['version'] == before[action_id]['version']
            if recommended is None:
                assert got['recommendation'] and 'executions' in got['recommendation'], name
            else:
                assert '%d s' % recommended in got['recommendation'], name
        # A custom authentication action: its times, but no timeout of its own to judge or to size.
        auth = actions[AUTH]
        assert auth['kind'] == 'custom_auth'
        assert auth['stats'] == _expected_stats([150] * 40, None, custom_auth=True)
        assert (auth['verdict'], auth['recommended_timeout_seconds'], auth['recommendation']) == (None, None, None)

    runs = _module_runs(emu)
    assert len(runs) == 2
    effective = [60 if timeout is None else timeout for dummy, timeout, dummy2 in ACTIONS.values()]
    for entries in runs:
        queries = [e for e in entries if e['route'] == ANALYTICS_ROUTE]
        assert len(queries) == 1 and queries[0]['status'] == 200
        _check_query(queries[0]['body'], effective)
        assert _count(entries, ACTIONS_ROUTE) == 1 and _count(entries, ACTION_ROUTE) == 0
    assert writes(emu) == 0 and emu.actions() == before


# ---- 2. one analytics query per module run, whatever the size of the org -----------------------
def _listed(actions, include_auth=False):
    return [k for k in actions if include_auth or not k.startswith('customAuth_')]


def test_one_analytics_query_per_module_run_for_1_60_and_600_actions(emulator_factory, run_playbook):
    for size in (1, 60, 600):
        emu = emulator_factory(['--generate', str(size), '--random-seed', '17'])
        before = emu.actions()
        listed = len(_listed(before))
        emu.clear_requests()
        run = run_playbook(play(emu, [
            _info('info with stats', stats=True),
            _timeout('timing out to 30', check_mode=True, select={'verdicts': ['timing_out', 'at_risk']},
                     timeout_seconds=30, mode='at_least', page_size=25),
            _timeout('low to their recommendation', select={'timeout_at_most': 5},
                     timeout_seconds='recommended', mode='at_least', page_size=50),
        ]))
        info = run.result('info with stats')['data_actions']
        assert len(info) == listed, size
        checked = run.result('timing out to 30')['results']
        assert all(r['status'] in ('would_update', 'unchanged') for r in checked)
        assert all(r['verdict'] in ('timing_out', 'at_risk') for r in checked)
        raised = run.result('low to their recommendation')['results']
        updated = [r for r in raised if r['status'] == 'updated']

        runs = _module_runs(emu)
        assert len(runs) == 3, size
        for entries, page_size in zip(runs, (100, 25, 50)):
            assert _count(entries, TOKEN_ROUTE) == 1
            assert _count(entries, ANALYTICS_ROUTE) == 1, size
            assert _count(entries, ACTIONS_ROUTE) == int(math.ceil(listed / float(page_size))), (size, page_size)
            assert _count(entries, ACTION_ROUTE) == 0
        assert _count(runs[0] + runs[1], PATCH_ROUTE) == 0
        assert _count(runs[2], PATCH_ROUTE) == len(updated)
        # data_action_timeout lists the pending drafts of the actions it selected (none here): one request, none
        # when it selected nothing.
        drafts = [1 if checked else 0, 1 if raised else 0]
        assert [_count(entries, DRAFTS_ROUTE) for entries in runs] == [0] + drafts
        assert len(emu.requests()['requests']) == sum(
            2 + int(math.ceil(listed / float(p))) for p in (100, 25, 50)) + sum(drafts) + len(updated)
        after = emu.actions()
        for result in updated:
            assert timeout_of(after[result['id']]) == result['recommended_timeout_seconds'] > \
                result['effective_timeout_seconds_before']
        if size == 600:
            assert len(updated) > 10  # the big org really had actions to raise


# ---- 3. without the analytics permission -------------------------------------------------------
WARNING = re.compile(r'\[WARNING\]: The analytics query for execution times was refused \(HTTP 403[^\[]*'
                     r'the answer asked for integrations:action:view or bridge:actions:view')


def test_without_the_analytics_permission_the_listing_still_comes_and_nothing_is_sized(
        emulator_factory, run_playbook):
    emu = emulator_factory(seed=_seed(ACTIONS))
    before = emu.actions()
    emu.clear_requests()
    client_id, client_secret = NO_ANALYTICS
    refusals = ('named to recommended', 'rule to recommended', 'verdict rule to 30')
    run = run_playbook(play(emu, [
        _info('info with stats', stats=True),
        _timeout(refusals[0], ignore_errors=True, ids=[_id(1), _id(5)], timeout_seconds='recommended'),
        _timeout(refusals[1], ignore_errors=True, select={'timeout_at_most': 5}, timeout_seconds='recommended',
                 mode='at_least'),
        _timeout(refusals[2], ignore_errors=True, select={'verdicts': ['timing_out']}, timeout_seconds=30,
                 mode='at_least'),
        # Stats only for the record: the change does not depend on them, so it goes ahead.
        _timeout('named raise with stats', id=_id(6), timeout_seconds=12, stats=True),
    ], client_id=client_id, client_secret=client_secret))

    info = run.result('info with stats')
    assert info['_status'] == 'ok'
    listed = _by_id(info['data_actions'])
    assert sorted(listed) == sorted(a[0] for a in ACTIONS.values())
    for action in listed.values():
        assert action['stats'] is None and action['verdict'] is None
        assert action['recommended_timeout_seconds'] is None and action['recommendation'] is None
        assert action['timeout_seconds'] == timeout_of(before[action['id']])
    assert len(info['warnings']) == 1 and 'integrations:action:view' in info['warnings'][0]
    assert WARNING.search(_words(run.output)), run.output[-3000:]

    for title in refusals:
        refused = run.result(title)
        assert refused['_status'] == 'ignored' and refused['changed'] is False
        assert 'integrations:action:view' in refused['msg'], refused['msg']
        assert 'nothing was changed' in refused['msg'].lower()

    raised = run.result('named raise with stats')
    assert raised['changed'] is True
    assert [(r['id'], r['status'], r['stats'], r['verdict']) for r in raised['results']] == [
        (_id(6), 'updated', None, None)]
    assert 'integrations:action:view' in ' '.join(raised['warnings'])

    runs = _module_runs(emu)
    assert len(runs) == 5
    assert [[q['status'] for q in entries if q['route'] == ANALYTICS_ROUTE] for entries in runs] == [[403]] * 5
    assert [_count(entries, PATCH_ROUTE) for entries in runs] == [0, 0, 0, 0, 1]
    after = emu.actions()
    assert timeout_of(after[_id(6)]) == 12
    assert dict((k, v) for k, v in after.items() if k != _id(6)) == dict(
        (k, v) for k, v in before.items() if k != _id(6))


# ---- 4. right-sizing at the module level, and its rollback ----------------------------------------
RIGHT_SIZE = {
    'Account lookup': ACTIONS['Account lookup'],   # 3 s, timing out: up to 9 s
    'Loyalty tier': ACTIONS['Loyalty tier'],       # unset, oversized: down to 1 s
    'Order status': ACTIONS['Order status'],       # 10 s, at risk: up to 18 s
    'Store hours': (_id(6), 3, [900] * 40),        # 3 s, ok at its recommendation (p99 900 x 3 = 2.7 -> 3)
    'Survey lookup': ACTIONS['Survey lookup'],     # no data: not selected
}


def test_right_sizing_lowers_an_oversized_action_and_raises_a_timing_out_one_and_rollback_restores(
        emulator_factory, run_playbook):
    emu = emulator_factory(seed=_seed(RIGHT_SIZE))
    before = emu.actions()
    right_size = dict(select={'verdicts': ['timing_out', 'at_risk', 'ok', 'oversized']},
                      timeout_seconds='recommended', mode='exact')
    changes = {_id(1): (3, 9), _id(5): (None, 1), _id(4): (10, 18)}

    emu.clear_requests()
    check = run_playbook(play(emu, [_timeout('right-size', **right_size)]), check=True, diff=True)
    predicted = check.result('right-size')
    assert writes(emu) == 0 and emu.actions() == before
    assert predicted['changed'] is True
    statuses = dict((r['id'], r['status']) for r in predicted['results'])
    assert statuses == {_id(1): 'would_update', _id(5): 'would_update', _id(4): 'would_update',
                        _id(6): 'unchanged'}
    diff = diff_changes(predicted['diff'])
    assert dict((k, (v['before'], v['after'])) for k, v in diff.items()) == dict(
        (k, (v[0], v[1])) for k, v in changes.items())

    emu.clear_requests()
    real = run_playbook(play(emu, [_timeout('right-size', **right_size)]), diff=True)
    applied = real.result('right-size')
    assert applied['changed'] is True
    results = _by_id(applied['results'])
    for action_id, (old, new) in changes.items():
        result = results[action_id]
        assert result['status'] == 'updated'
        assert (result['timeout_seconds_before'], result['timeout_seconds_after']) == (old, new)
        assert result['recommended_timeout_seconds'] == new
        assert result['version_after'] == before[action_id]['version'] + 1
    assert results[_id(5)]['verdict'] == 'oversized' and results[_id(1)]['verdict'] == 'timing_out'
    assert results[_id(6)]['status'] == 'unchanged'
    assert _id(7) not in results  # no data: the rule does not pick it
    log = emu.requests()
    assert log['counts'][PATCH_ROUTE] == len(changes) == log['writes']
    assert sorted(r['path'].rsplit('/', 1)[-1] for r in log['requests'] if r['route'] == PATCH_ROUTE) == sorted(
        changes)
    after = emu.actions()
    assert timeout_of(after[_id(5)]) == 1       # the unset 60 s lowered to its recommendation
    assert timeout_of(after[_id(1)]) == 9       # the timing-out one raised
    assert timeout_of(after[_id(4)]) == 18
    for action_id, action in before.items():
        if action_id in changes:
            assert after[action_id]['version'] == action['version'] + 1
            assert without_timeout_and_version(after[action_id]) == without_timeout_and_version(action)
        else:
            assert after[action_id] == action

    # The rollback: each action back to what it had, on the version this run left it at.
    rollback = [{'id': action_id, 'timeout_seconds': results[action_id]['timeout_seconds_before'],
                 'version': results[action_id]['version_after']} for action_id in sorted(changes)]
    emu.clear_requests()
    undone = run_playbook(play(emu, [_timeout('rollback', actions=rollback, mode='exact')])).result('rollback')
    assert undone['changed'] is True
    assert set(r['status'] for r in undone['results']) == {'updated'}
    assert emu.requests()['counts'][PATCH_ROUTE] == len(changes)
    restored = emu.actions()
    assert 'timeoutSeconds' not in restored[_id(5)]['config']  # unset again, not 60
    for action_id, action in before.items():
        if action_id in changes:
            assert timeout_of(restored[action_id]) == timeout_of(action)
            assert restored[action_id]['version'] == action['version'] + 2
            restored_copy = copy.deepcopy(restored[action_id])
            restored_copy['version'] = action['version']
            assert restored_copy == action
        else:
            assert restored[action_id] == action


# ---- 5. remediation to recommendations never lowers --------------------------------------------
REMEDIATE = {
    'Account lookup': ACTIONS['Account lookup'],   # 3 s, timing out: raised to 9 s
    'Loyalty tier': ACTIONS['Loyalty tier'],       # unset, oversized: never touched
    'Order status': ACTIONS['Order status'],       # 10 s, at risk: raised to 18 s
    'Quick check': (_id(9), 3, [200] * 40),        # 3 s, oversized (recommended 1 s): low, but never lowered
    'Survey lookup': (_id(7), 2, [500] * 5),       # 2 s, 5 executions: low, no recommendation
}


def test_remediating_to_recommendations_never_lowers_and_a_rerun_writes_nothing(emulator_factory, run_playbook):
    emu = emulator_factory(seed=_seed(REMEDIATE))
    before = emu.actions()
    task = _timeout('remediate', select={'timeout_at_most': 3, 'verdicts': ['timing_out', 'at_risk']},
                    timeout_seconds='recommended', mode='at_least', list_all=True)
    emu.clear_requests()
    result = run_playbook(play(emu, [task])).result('remediate')
    assert result['changed'] is True
    results = _by_id(result['results'])
    assert dict((k, r['status']) for k, r in results.items()) == {
        _id(1): 'updated', _id(4): 'updated', _id(5): 'ok', _id(9): 'unchanged', _id(7): 'unchanged'}
    assert (results[_id(1)]['timeout_seconds_after'], results[_id(4)]['timeout_seconds_after']) == (9, 18)
    # Unset and oversized: remediation does not pick it, and never lowers it.
    assert results[_id(5)]['verdict'] == 'oversized' and results[_id(5)]['timeout_seconds_after'] is None
    # Low and oversized: picked by its timeout, left as it is: at_least never lowers.
    assert results[_id(9)]['recommended_timeout_seconds'] == 1 and results[_id(9)]['timeout_seconds_after'] == 3
    # Low, but too few executions to size: picked, left as it is, and told why.
    survey = results[_id(7)]
    assert survey['verdict'] == 'no_data' and survey['recommended_timeout_seconds'] is None
    assert 'no recommendation' in survey['msg'] and survey['timeout_seconds_after'] == 2
    log = emu.requests()
    patched = sorted(r['path'].rsplit('/', 1)[-1] for r in log['requests'] if r['route'] == PATCH_ROUTE)
    assert patched == [_id(1), _id(4)]
    after = emu.actions()
    assert (timeout_of(after[_id(1)]), timeout_of(after[_id(4)])) == (9, 18)
    for action_id in (_id(5), _id(9), _id(7)):
        assert after[action_id] == before[action_id]

    emu.clear_requests()
    rerun = run_playbook(play(emu, [task])).result('remediate')
    assert rerun['changed'] is False
    assert not [r for r in rerun['results'] if r['status'] in ('updated', 'would_update')]
    assert writes(emu) == 0 and emu.actions() == after


# ---- 6. max_changes with a rule ------------------------------------------------------------------
def test_max_changes_refuses_a_rule_with_more_candidates_before_any_write(emulator_factory, run_playbook):
    emu = emulator_factory(seed=_seed(RIGHT_SIZE))
    before = emu.actions()
    options = dict(select={'verdicts': ['timing_out', 'at_risk', 'ok', 'oversized']},
                   timeout_seconds='recommended', mode='exact', max_changes=2, ignore_errors=True)
    emu.clear_requests()
    run = run_playbook(play(emu, [_timeout('capped, check mode', check_mode=True, **options),
                                  _timeout('capped', **options)]))
    for title in ('capped, check mode', 'capped'):
        refused = run.result(title)
        assert refused['_status'] == 'ignored' and refused['changed'] is False
        assert 'max_changes (2)' in refused['msg'] and '3 actions would change' in refused['msg']
        assert 'Nothing was written' in refused['msg']
        # A dry run predicts; a real run that wrote nothing says its updates were not attempted.
        would = [r for r in refused['results'] if r['status'] == ('would_update' if 'check' in title else 'not_attempted')]
        assert sorted(r['id'] for r in would) == sorted([_id(1), _id(4), _id(5)])
        assert all(r['msg'].startswith('not applied') for r in would)
    assert _count(emu.requests()['requests'], PATCH_ROUTE) == 0
    assert writes(emu) == 0 and emu.actions() == before


# ---- 7. a concurrent rename --------------------------------------------------------------------
def test_a_concurrent_rename_is_kept_and_the_rule_still_applies_in_the_same_run(emulator_factory, run_playbook):
    emu = emulator_factory(seed=_seed(REMEDIATE))
    before = emu.actions()
    emu.admin_edit(org='org-stats', action_id=_id(1), name='Account lookup (renamed)', when='before_next_patch')
    task = _timeout('remediate', select={'timeout_at_most': 3, 'verdicts': ['timing_out', 'at_risk']},
                    timeout_seconds='recommended', mode='at_least')
    emu.clear_requests()
    result = run_playbook(play(emu, [task])).result('remediate')
    assert result['changed'] is True
    raised = _by_id(result['results'])[_id(1)]
    assert raised['status'] == 'updated'
    assert 're-read after a version conflict' in raised['msg']
    assert raised['timeout_seconds_after'] == 9
    after = emu.actions()
    assert after[_id(1)]['name'] == 'Account lookup (renamed)'
    assert timeout_of(after[_id(1)]) == 9
    assert after[_id(1)]['version'] == before[_id(1)]['version'] + 2  # the rename, then the raise
    patches = [r for r in emu.requests()['requests'] if r['route'] == PATCH_ROUTE and r['path'].endswith(_id(1))]
    assert [p['status'] for p in patches] == [409, 200]

    emu.clear_requests()
    rerun = run_playbook(play(emu, [task])).result('remediate')
    assert rerun['changed'] is False
    assert writes(emu) == 0 and emu.actions() == after


# ---- 5. without percentiles, and with failed executions ----------------------------------------
def test_without_percentiles_the_verdicts_come_from_the_ladder_bound(emulator_factory, run_playbook):
    # The same seed, but the answer never fills p95 / p99: timing_out shows all the same, every p99 is the
    # ladder's upper bound, and the verdicts are those of the bound (here the ones with percentiles, too).
    emu = emulator_factory(['--analytics-percentiles', 'absent'], seed=_seed(ACTIONS))
    before = emu.actions()
    emu.clear_requests()
    run = run_playbook(play(emu, [_info('with stats', stats=True),
                                  _info('headroom 2, min 5', stats=True, headroom=2, min_executions=5)]))
    for title, options in (('with stats', {}), ('headroom 2, min 5', {'headroom': 2, 'min_executions': 5})):
        actions = _by_id(run.result(title)['data_actions'])
        for name, (action_id, timeout, durations) in ACTIONS.items():
            stats = _expected_stats(durations, timeout, percentiles=False)
            assert actions[action_id]['stats'] == stats, name
            assert stats['p99_source'] in (('ladder',) if durations else (None,)), name
            assert (actions[action_id]['verdict'], actions[action_id]['recommended_timeout_seconds']) == \
                _expected_verdict(timeout, stats, **options), name
    verdicts = dict((name, _by_id(run.result('with stats')['data_actions'])[a[0]]['verdict'])
                    for name, a in ACTIONS.items())
    assert verdicts == {'Account lookup': 'timing_out', 'Balance check': 'timing_out', 'Create ticket': 'timing_out',
                        'Order status': 'at_risk', 'Loyalty tier': 'oversized', 'Store hours': 'ok',
                        'Survey lookup': 'no_data', 'Never run': 'no_data'}
    assert 'p99 at most 1000 ms' in _by_id(run.result('with stats')['data_actions'])[_id(6)]['recommendation']
    queries = [e for e in emu.requests()['requests'] if e['route'] == ANALYTICS_ROUTE]
    assert len(queries) == 2
    for query in queries:
        _check_query(query['body'], [60 if t is None else t for dummy, t, dummy2 in ACTIONS.values()])
    assert writes(emu) == 0 and emu.actions() == before


FAILING = {
    # 500 errors in 20 ms and 5 successes: too few successes, whatever the failures.
    'Failing fast': (_id(11), None, [[20, 'remote_endpoint']] * 500 + [400] * 5),
    # 300 errors in 15 ms, 60 successes at 400 ms: sized from the successes (2 s), never from the failures (1 s).
    'Mostly failing': (_id(12), None, [[15, 'remote_endpoint']] * 300 + [400] * 60),
    # Every execution hung past its 5 s timeout: no success at all, and timing out.
    'Hanging': (_id(13), 5, [9000] * 40),
    # Slow failures that stayed under the 10 s timeout size nothing: the successes' 2 s do.
    'Slow failures': (_id(14), 10, [2000] * 40 + [[9000, 'remote_endpoint']] * 10),
}


def test_failed_executions_are_reported_apart_and_never_size_a_timeout(emulator_factory, run_playbook):
    for args in ([], ['--analytics-percentiles', 'absent', '--success-error-type', 'NONE']):
        emu = emulator_factory(args, seed=_seed(FAILING))
        before = emu.actions()
        emu.clear_requests()
        right_size = dict(select={'verdicts': ['timing_out', 'at_risk', 'ok', 'oversized']},
                          timeout_seconds='recommended', mode='exact')
        run = run_playbook(play(emu, [_info('with stats', stats=True), _timeout('right-size', **right_size)]))
        actions = _by_id(run.result('with stats')['data_actions'])
        expected = {'Failing fast': ('no_data', None), 'Mostly failing': ('oversized', 2), 'Hanging': ('timing_out', 15),
                    'Slow failures': ('ok', 6)}
        for name, (action_id, timeout, executions) in FAILING.items():
            stats = _expected_stats(executions, timeout, percentiles=not args)
            assert actions[action_id]['stats'] == stats, (args, name)
            verdict = _expected_verdict(timeout, stats)
            assert (actions[action_id]['verdict'], actions[action_id]['recommended_timeout_seconds']) == verdict == \
                expected[name], (args, name)
        failing = actions[_id(11)]
        assert failing['stats']['failures_by_error_type'] == {'remote_endpoint': 500}
        assert failing['stats']['failure_share'] == round(500 / 505.0, 4)
        assert failing['recommendation'].startswith('only 5 successful executions in the last 7 days')
        assert '500 failed (remote_endpoint 500)' in failing['recommendation']
        assert actions[_id(13)]['stats']['successes'] == 0 and actions[_id(13)]['stats']['reached_timeout'] == 40

        results = _by_id(run.result('right-size')['results'])
        after = emu.actions()
        assert 'timeoutSeconds' not in after[_id(11)]['config'], 'no data: never cut to 1 s from the failures'
        assert _id(11) not in results  # no data: the rule does not pick it
        assert (timeout_of(after[_id(12)]), timeout_of(after[_id(13)]), timeout_of(after[_id(14)])) == (2, 15, 6)
        log = emu.requests()
        assert log['counts'][PATCH_ROUTE] == 3 == log['writes']
        assert sorted(r['path'].rsplit('/', 1)[-1] for r in log['requests'] if r['route'] == PATCH_ROUTE) == sorted(
            [_id(12), _id(13), _id(14)])
        queries = [e['body'] for e in log['requests'] if e['route'] == ANALYTICS_ROUTE]
        assert len(queries) == 2
        for query in queries:
            _check_query(query, [60, 60, 5, 10])
        assert without_timeout_and_version(after[_id(12)]) == without_timeout_and_version(before[_id(12)])

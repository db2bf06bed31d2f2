# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesyscloud.cx contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""dependencies: the flows that call each action, read from the emulator's dependency tracking by real
ansible-playbook runs: requests counted per action and page, flows per result and in --diff, 403 and rebuilding."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import html
import json
import os

from tests.integration._helpers import play
from tests.integration.chromium import artifacts_dir, render_in_chromium

from ansible_collections.genesyscloud.cx.plugins.plugin_utils._plans import timeout_plan

CONSUMING = 'GET /api/v2/architect/dependencytracking/consumingresources'
BUILD = 'GET /api/v2/architect/dependencytracking/build'
PERMISSION = 'architect:dependencyTracking:view'


def _timeouts(title, **options):
    args = dict(select={'timeout_at_most': 3}, timeout_seconds=10, mode='at_least', list_all=True)
    args.update(options)
    return {'name': title, 'genesyscloud.cx.data_action_timeout': args, 'check_mode': True, 'diff': True}


def _expected_flows(state, action_id):
    """What the emulator holds: the flows whose published version calls the action, by flow id and version."""
    flows = state['flows']
    found = set()
    for use in state['consumers'].get(action_id, []):
        flow = flows[use['flow_id']]
        if use['published'] and flow['published_version'] is not None and not flow.get('deleted'):
            found.add(flow['id'])
    return found


def _org_state(emu):
    return list(emu.state()['orgs'].values())[0]


def _consuming_requests(emu):
    return [e for e in emu.requests()['requests'] if e['route'] == CONSUMING]


def test_planned_reads_the_flows_of_each_planned_action_only_and_none_reads_none(emulator, run_playbook):
    emulator.clear_requests()
    run = run_playbook(play(emulator, [_timeouts('none'), _timeouts('planned', dependencies='planned')]))
    log = emulator.requests()['counts']
    assert run.result('none')['results'] and 'flows_touched' not in run.result('none')
    assert all('flows' not in r for r in run.result('none')['results'])

    planned = run.result('planned')
    changes = [r for r in planned['results'] if r['status'] == 'would_update']
    assert changes, 'the generated org should have low timeouts'
    # One build-status read; per planned action one page of its published flows (checked-in ones not asked).
    assert log[BUILD] == 1
    asked = [e['query'] for e in _consuming_requests(emulator)]
    assert all(q['flowFilter'] == 'published' for q in asked)
    assert sorted(q['id'] for q in asked) == sorted(r['id'] for r in changes)
    assert log[CONSUMING] == len(changes)

    state = _org_state(emulator)
    touched = set()
    for result in planned['results']:
        if result['status'] != 'would_update':
            assert result['flows'] is None and result['flows_unknown'] is None
            continue
        published = set(f['id'] for f in result['flows'] if f['state'] == 'published')
        assert published == _expected_flows(state, result['id'])
        touched |= published
        assert all(set(f) == {'id', 'name', 'type', 'version', 'state'} for f in result['flows'])
        assert all(f['state'] == 'published' for f in result['flows'])
    assert planned['flows_touched']['count'] == len(touched)
    assert set(f['id'] for f in planned['flows_touched']['flows']) == touched
    assert planned['flows_touched']['unknown_actions'] == 0

    lines = planned['diff']['prepared'].splitlines()
    assert len(lines) == len(changes)
    for result in changes:
        line = [one for one in lines if '(%s)' % result['id'] in one][0]
        published = [f for f in result['flows'] if f['state'] == 'published']
        if published:
            assert 'called by %d flow' % len(published) in line
            assert '%s (%s v%s)' % (published[0]['name'], published[0]['type'], published[0]['version']) in line
        else:
            assert 'no published flow calls it' in line


def test_all_reads_every_reported_action_and_pages_past_one_page(emulator, run_playbook):
    emulator.clear_requests()
    run = run_playbook(play(emulator, [_timeouts('all', dependencies='all', dependencies_checked_in=True,
                                                 page_size=2)]))
    results = run.result('all')['results']
    assert len(results) > 1
    asked = [e['query'] for e in _consuming_requests(emulator)]
    assert set(q['id'] for q in asked) == set(r['id'] for r in results)
    state = _org_state(emulator)
    for result in results:
        assert set(f['id'] for f in result['flows'] if f['state'] == 'published') == _expected_flows(state, result['id'])
        # At 2 flows a page: one request per page of each filter, and one for an empty listing.
        for flow_filter, state_name in (('published', 'published'), ('checkedIn', 'checked_in')):
            pages = [q for q in asked if q['id'] == result['id'] and q['flowFilter'] == flow_filter]
            uses = state['consumers'].get(result['id'], [])
            listed = sum(1 for use in uses if use[state_name]
                         and state['flows'][use['flow_id']][state_name + '_version'] is not None)
            assert len(pages) == max(1, -(-listed // 2))
            assert sorted(int(q['pageNumber']) for q in pages) == list(range(1, len(pages) + 1))
        # A checked-in version is listed, marked so, when it calls the action and differs from the published one.
        checked_in = set((f['id'], f['version']) for f in result['flows'] if f['state'] == 'checked_in')
        expected = set()
        for use in state['consumers'].get(result['id'], []):
            flow = state['flows'][use['flow_id']]
            if use['checked_in'] and flow['checked_in_version'] is not None and not flow.get('deleted') and not (
                    use['published'] and flow['checked_in_version'] == flow['published_version']):
                version = flow['checked_in_version']
                expected.add((flow['id'], '%d.0' % version if isinstance(version, int) else str(version)))
        assert checked_in == expected
    assert any(len(f) > 2 for f in (r['flows'] for r in results))
    assert any(f['state'] == 'checked_in' for r in results for f in r['flows'])


def test_info_all_reads_each_listed_action(emulator, run_playbook):
    emulator.clear_requests()
    run = run_playbook(play(emulator, [
        {'name': 'low', 'genesyscloud.cx.data_action_info': {'timeout_at_most': 3, 'dependencies': 'all'}},
        {'name': 'plain', 'genesyscloud.cx.data_action_info': {'timeout_at_most': 3}}]))
    listed = run.result('low')['data_actions']
    asked = [e['query'] for e in _consuming_requests(emulator)]
    assert sorted(set(q['id'] for q in asked)) == sorted(a['id'] for a in listed)
    assert len(asked) == len(listed) and all(q['flowFilter'] == 'published' for q in asked)
    state = _org_state(emulator)
    for action in listed:
        assert set(f['id'] for f in action['flows'] if f['state'] == 'published') == _expected_flows(state, action['id'])
    assert all('flows' not in a for a in run.result('plain')['data_actions'])


def test_rebuilding_shows_the_flows_as_unknown_and_warns_once(emulator_factory, run_playbook):
    emu = emulator_factory(['--generate', '60', '--random-seed', '7', '--dependency-build-status', 'BUILDINPROGRESS'])
    emu.clear_requests()
    run = run_playbook(play(emu, [_timeouts('planned', dependencies='planned')]))
    result = run.result('planned')
    changes = [r for r in result['results'] if r['status'] == 'would_update']
    assert changes
    assert all(r['flows'] is None and r['flows_unknown'] == 'dependency tracking is rebuilding' for r in changes)
    assert emu.requests()['counts'].get(CONSUMING, 0) == 0
    said = [w for w in result['run_warnings'] if 'rebuilding' in w]
    assert len(said) == 1
    assert result['flows_touched']['unknown_actions'] == len(changes)
    assert all('flows unknown (dependency tracking is rebuilding)' in line
               for line in result['diff']['prepared'].splitlines())


def test_without_the_permission_the_flows_are_unknown_and_the_run_goes_on(emulator_factory, run_playbook):
    seed = {'orgs': [{'id': 'org-flows', 'name': 'Flows org', 'generate': 40, 'clients': [
        {'client_id': 'no-deps', 'client_secret': 'nd-secret', 'permissions': ['*'],
         'forbidden': [BUILD, CONSUMING]}]}]}
    emu = emulator_factory(['--random-seed', '7'], seed=seed)
    emu.clear_requests()
    run = run_playbook(play(emu, [_timeouts('planned', dependencies='planned')],
                            client_id='no-deps', client_secret='nd-secret'))
    result = run.result('planned')
    changes = [r for r in result['results'] if r['status'] == 'would_update']
    assert changes
    assert all(r['flows'] is None and PERMISSION in r['flows_unknown'] for r in changes)
    assert [w for w in result['run_warnings'] if PERMISSION in w][:1] and len(
        [w for w in result['run_warnings'] if PERMISSION in w]) == 1
    log = emu.requests()['counts']
    assert log[BUILD] == 1 and log.get(CONSUMING, 0) == 0


def _role_run(run_playbook, emu, tmp_path, run_id, **variables):
    """The collection's remediate playbook over one org, in check mode with --diff; its reports under tmp_path."""
    report_dir = str(tmp_path / 'reports')
    inventory = {'all': {'vars': {'ansible_connection': 'local', 'ansible_python_interpreter': '{{ ansible_playbook_python }}',
                                  'genesyscloud_api_base_url': emu.url},
                         'hosts': {'org-flows': {'genesyscloud_client_id': 'demo-client',
                                                 'genesyscloud_client_secret': 'demo-secret'}}}}
    extra = {'data_action_timeouts_report_dir': report_dir, 'data_action_timeouts_run_id': run_id,
             'data_action_timeouts_max_changes': 100}
    extra.update(variables)
    run = run_playbook('genesyscloud.cx.remediate', inventory=inventory, extra_vars=extra, check=True, diff=True)
    return run, os.path.join(report_dir, run_id)


def test_the_role_shows_the_flows_of_each_change_in_every_report_and_in_the_diff(emulator, run_playbook, tmp_path):
    emulator.clear_requests()
    run, folder = _role_run(run_playbook, emulator, tmp_path, 'flows-1')
    with open(os.path.join(folder, 'org-flows.json')) as handle:
        report = json.load(handle)
    changes = [row for row in report['rows'] if row['status'] == 'would_update']
    assert changes
    state = _org_state(emulator)
    # The role's default, planned: the flows of each planned change, and no other action's.
    asked = set(e['query']['id'] for e in _consuming_requests(emulator))
    assert asked == set(row['id'] for row in changes)
    touched = set()
    for row in report['rows']:
        if row['status'] != 'would_update':
            assert row['flows'] is None
            continue
        published = [f for f in row['flows'] if f['state'] == 'published']
        assert set(f['id'] for f in published) == _expected_flows(state, row['id'])
        touched |= set(f['id'] for f in published)
    assert report['summary']['flows_touched']['count'] == len(touched) > 0
    with open(os.path.join(folder, 'run.json')) as handle:
        assert json.load(handle)['totals']['flows_touched']['count'] == len(touched)

    with open(os.path.join(folder, 'org-flows.md')) as handle:
        markdown = handle.read()
    assert '- Flows: This change affects %d published flows' % len(touched) in markdown
    assert '## Flows that call the changed actions (%d)' % len(changes) in markdown
    with open(os.path.join(folder, 'org-flows.html')) as handle:
        page = handle.read()
    assert 'This change affects %d published flows' % len(touched) in page
    for row in changes:
        published = [f for f in row['flows'] if f['state'] == 'published']
        if published:
            first = '%s (%s v%s)' % (published[0]['name'], published[0]['type'], published[0]['version'])
            assert first in markdown and html.escape(first) in page
    assert any(not [f for f in row['flows'] if f['state'] == 'published'] for row in changes) == (
        'no published flow calls it' in markdown)

    # In Chromium: the flows the change touches show at a glance, under the org's headline numbers and before its
    # charts; each change's flows in their own table.
    text = render_in_chromium(os.path.join(folder, 'org-flows.html'), os.path.join(artifacts_dir(), 'flows-org.png'))
    glance = text.split('Timeout distribution', 1)[0]
    assert 'Flows: This change affects %d published flows' % len(touched) in glance
    listed = sorted(touched, key=lambda flow_id: (state['flows'][flow_id]['name'].lower(), flow_id))[0]
    assert state['flows'][listed]['name'] in glance
    table = text.split('Flows that call the changed actions (%d)' % len(changes), 1)[1]
    assert all(row['name'] in table for row in changes)

    # --diff: each change names its flows.
    shown = [line for line in run.stdout.splitlines() if 'timeout' in line and '->' in line]
    for row in changes:
        line = [one for one in shown if '(%s)' % row['id'] in one]
        assert line and ('called by' in line[0] or 'no published flow calls it' in line[0])

    # The plan the run publishes (timeout_plan of its run report) carries each change's published flows.
    with open(os.path.join(folder, 'run.json')) as handle:
        plan = timeout_plan(json.load(handle))['orgs']['org-flows']
    assert plan['summary']['flows_touched'] == len(touched)
    by_id = dict((row['id'], row) for row in changes)
    for entry in plan['actions']:
        assert [f['name'] for f in entry['flows']] == [
            f['name'] for f in by_id[entry['id']]['flows'] if f['state'] == 'published']


def test_the_role_with_dependencies_none_sends_no_dependency_request(emulator, run_playbook, tmp_path):
    emulator.clear_requests()
    dummy, folder = _role_run(run_playbook, emulator, tmp_path, 'flows-none', data_action_timeouts_dependencies='none')
    counts = emulator.requests()['counts']
    assert counts.get(CONSUMING, 0) == 0 and counts.get(BUILD, 0) == 0
    with open(os.path.join(folder, 'org-flows.json')) as handle:
        report = json.load(handle)
    assert report['summary']['flows_touched'] is None and all(row['flows'] is None for row in report['rows'])

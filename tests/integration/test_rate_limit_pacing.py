# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesyscloud.cx contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Runs that need more requests than a rate-limit window allows, against an emulator that enforces the limit and,
like the real API since 2021, sends no rate-limit header: the module paces itself to requests_per_minute, waits out
every 429, and learns a limit it cannot see from the 429s. Only what is deterministic is asserted (statuses, counts,
what the server holds, what the module said); how long it took is the benchmark's business
(tests/bench/bench_rate_limit.py). A stop signal during a wait for the rate limit ends the run at once."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json
import os
import shlex
import signal
import subprocess
import time

import pytest

from tests.integration._helpers import (
    ACTIONS_ROUTE,
    DRAFTS_ROUTE,
    PATCH_ROUTE,
    TOKEN_ROUTE,
    PlaybookJob,
    play,
    timeout_of,
)
from tests.integration.conftest import BIN_DIR, _tool

from ansible_collections.genesyscloud.cx.plugins.module_utils._journal import read

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


def _raise_low(parallel=None):
    task = {'name': 'raise low timeouts', 'genesyscloud.cx.data_action_timeout': {
        'select': {'timeout_at_most': 5}, 'timeout_seconds': TARGET, 'mode': 'at_least'}}
    if parallel:
        task['genesyscloud.cx.data_action_timeout']['parallel'] = parallel
    return task


def _most_in_a_minute(entries):
    """The most requests among ``entries`` that reached the server within any 60 s."""
    times = sorted(e['started'] for e in entries)
    return max(len([t for t in times if start <= t < start + 60]) for start in times)


def _assert_each_low_action_written_once(before, after, low):
    for action_id, action in before.items():
        if action_id in low:
            assert timeout_of(after[action_id]) == TARGET
            assert after[action_id]['version'] == action['version'] + 1  # each written once
        else:
            assert after[action_id] == action


def _api(emu):
    return [r for r in emu.requests()['requests'] if r['path'].startswith('/api/v2/')]


# A minute each (the pace's window): the collection's own logic, so with the main ansible-core only.
@pytest.mark.slow
@pytest.mark.once
def test_a_run_larger_than_its_pace_keeps_to_it_without_a_429(emulator_factory, run_playbook):
    # The token's limit is 20 a minute and the module knows it: 32 requests, more workers than the budget (the
    # requests in flight alone could overrun it), and never one answered 429.
    emu = emulator_factory(['--rate-limit', '20/60', '--random-seed', '3'], seed=_seed(60, 30))
    before = emu.actions()
    low = sorted(k for k, v in before.items() if timeout_of(v) == LOW)
    assert len(low) == 30

    result = run_playbook(play(emu, [_raise_low(parallel=16)], requests_per_minute=20)).result('raise low timeouts')

    assert result['changed'] is True
    statuses = dict((r['id'], r['status']) for r in result['results'])
    assert sorted(k for k, v in statuses.items() if v == 'updated') == low
    _assert_each_low_action_written_once(before, emu.actions(), low)
    log = emu.requests()
    api = _api(emu)
    # One listing, one listing of the selected actions' pending drafts and thirty PATCHes: more than a minute's
    # budget, so the run had to wait, and never sent more than the budget within a minute.
    assert log['counts'][TOKEN_ROUTE] == 1 and log['counts'][ACTIONS_ROUTE] == 1 and log['counts'][DRAFTS_ROUTE] == 1
    assert log['counts'][PATCH_ROUTE] == 30 and len(api) == 32
    assert [r['status'] for r in api] == [200] * 32
    assert _most_in_a_minute(api) == 20
    met = result['rate_limit']
    assert met['requests_per_minute'] == 20 and met['rate_limited'] == 0 and met['learned_requests_per_minute'] is None
    assert met['held_seconds'] == 0 and met['paced_seconds'] > 30 and met['waited_seconds'] == met['paced_seconds']


@pytest.mark.slow
@pytest.mark.once
@pytest.mark.parametrize('count_refused', [False, True], ids=['refused-not-counted', 'refused-counted'])
def test_a_limit_the_module_cannot_see_is_learned_from_its_429s(emulator_factory, run_playbook, count_refused):
    # The org allows 12 a minute, the module is told 20: it meets the org's limit once (every worker in flight
    # then is refused together), holds them all for Retry-After, goes on at the pace that was accepted, and meets
    # no 429 again, whether the org counts the refused requests or not.
    args = ['--org-rate-limit', '12/60', '--random-seed', '3'] + (['--count-refused'] if count_refused else [])
    emu = emulator_factory(args, seed=_seed(40, 20))
    before = emu.actions()
    low = sorted(k for k, v in before.items() if timeout_of(v) == LOW)

    result = run_playbook(play(emu, [_raise_low()], requests_per_minute=20)).result('raise low timeouts')

    statuses = dict((r['id'], r['status']) for r in result['results'])
    assert sorted(k for k, v in statuses.items() if v == 'updated') == low and 'failed' not in statuses.values()
    _assert_each_low_action_written_once(before, emu.actions(), low)
    api = _api(emu)
    refused = [n for n, r in enumerate(api) if r['status'] == 429]
    assert refused, 'the org limit was never met: the test proves nothing'
    # Every 429 came with the first, among the requests in flight then (the log orders them by arrival, the limit
    # by when it counts them); after the hold, the pace learned held for the rest of the run.
    first = min(api[n]['started'] for n in refused)
    assert max(api[n]['started'] for n in refused) < first + 5
    later = [r for r in api if r['started'] >= first + 5]
    assert later and set(r['status'] for r in later) == {200}
    assert len(refused) <= 16, 'at most the requests in flight when the limit was met'
    assert len(api) == 22 + len(refused), 'each refused request sent again once, after the hold'
    assert _most_in_a_minute([r for r in api if r['status'] == 200]) <= 12
    met = result['rate_limit']
    # The 12 accepted in the last minute, less those whose answers were still on their way when the 429 came;
    # never below half the pace it had.
    assert met['rate_limited'] == len(refused) and 10 <= met['learned_requests_per_minute'] <= 12
    assert met['held_seconds'] > 30


def test_429s_without_retry_after_are_waited_out_with_the_seconds_of_their_message(emulator_factory, run_playbook):
    # Three PATCHes in ten meet a 429 that carries no Retry-After (which a real server sometimes sends); its
    # message still says "[1] seconds". Such a short wait is not a spent window: the pace stays.
    emu = emulator_factory(['--faults', '429=0.3,methods=PATCH', '--omit-retry-after', '--random-seed', '5'],
                           seed=_seed(60, 30))
    before = emu.actions()
    low = sorted(k for k, v in before.items() if timeout_of(v) == LOW)

    result = run_playbook(play(emu, [_raise_low()])).result('raise low timeouts')

    statuses = dict((r['id'], r['status']) for r in result['results'])
    assert sorted(k for k, v in statuses.items() if v == 'updated') == low
    assert 'failed' not in statuses.values()
    patches = [r for r in emu.requests()['requests'] if r['route'] == PATCH_ROUTE]
    refused = [r for r in patches if r['status'] == 429]
    assert refused, 'no 429 was drawn: the test proves nothing'
    # A 429 is "not processed": each refused PATCH was sent again, and each action written exactly once.
    assert len(patches) == 30 + len(refused)
    _assert_each_low_action_written_once(before, emu.actions(), low)
    met = result['rate_limit']
    assert met['rate_limited'] == len(refused) and met['learned_requests_per_minute'] is None
    assert met['held_seconds'] >= 1


# ---------------------------------------------------------------- a stop during a wait for the rate limit

ORG, CLIENT, SECRET = 'org-paced', 'demo-client', 'demo-secret'
PATIENCE = 120.0


def _job_env(collections_path, workdir):
    """The environment of a playbook job: the installed collection, nothing of the caller's GENESYSCLOUD_*."""
    env = dict((k, v) for k, v in os.environ.items() if not k.startswith('GENESYSCLOUD_'))
    env.update({'ANSIBLE_COLLECTIONS_PATH': collections_path, 'ANSIBLE_RETRY_FILES_ENABLED': '0',
                'ANSIBLE_NOCOLOR': '1', 'ANSIBLE_LOCAL_TEMP': os.path.join(workdir, 'local-tmp'),
                'ANSIBLE_HOME': os.path.join(workdir, 'ansible-home'),
                'PATH': BIN_DIR + os.pathsep + os.environ.get('PATH', '')})
    return env


def _signalled_while_waiting(emu, run, waiting, signum=signal.SIGINT):
    """Send ``signum`` to ``run`` once ``waiting(requests)`` says, from the requests that reached the server, that
    the run waits for the rate limit (and its other workers have had 0.5 s to wait too); check that the run sent
    nothing after the signal and ended before the rate limit would have let it send again. Returns the requests and
    the run's output."""
    deadline = time.monotonic() + PATIENCE
    while not waiting(_api(emu)):
        assert run.process.poll() is None, 'the playbook ended before it waited for the rate limit'
        assert time.monotonic() < deadline, 'the run never waited for the rate limit'
        time.sleep(0.02)
    time.sleep(0.5)  # every worker is waiting for its turn now
    sent = len(_api(emu))
    sent_at = run.signal(signum)
    ended, output = run.wait_for_everything(PATIENCE)
    api = _api(emu)
    assert len(api) == sent and not [r for r in api if r['started'] > sent_at], 'a request after the signal'
    # Ten a minute (the token's and the pace's), and the run's first ten were sent: it could send again a minute
    # after the first of them (the pace's window, or the 429's hold), not before. A run that waited for that and
    # then saw the stop would end after it; no time of the machine's load is assumed.
    reopens = min(r['started'] for r in api) + 60
    assert ended < reopens, 'the run ended %.1f s after the signal, once it could send again:\n%s' % (
        ended - sent_at, output)
    return api, output


class _Remediation(PlaybookJob):
    """``ansible-playbook genesyscloud.cx.remediate`` in its own process group (as a shell runs a job), to signal."""

    def __init__(self, collections_path, emu, workdir, requests_per_minute, dependencies='none', options=()):
        self.report_dir = os.path.join(workdir, 'reports')
        env = self.env = _job_env(collections_path, workdir)
        inventory = os.path.join(workdir, 'inventory.json')
        with open(inventory, 'w') as stream:
            json.dump({'all': {'hosts': {ORG: {
                'ansible_connection': 'local', 'ansible_python_interpreter': '{{ ansible_playbook_python }}',
                'genesyscloud_api_base_url': emu.url, 'genesyscloud_client_id': CLIENT,
                'genesyscloud_client_secret': SECRET, 'genesyscloud_requests_per_minute': requests_per_minute}}}},
                stream)
        variables = {'data_action_timeouts_report_dir': self.report_dir, 'data_action_timeouts_run_id': 'paced',
                     'data_action_timeouts_max_changes': 100, 'data_action_timeouts_target': TARGET,
                     'data_action_timeouts_parallel': 4,
                     # none: the waits of the writes; planned: of the flows' reads, before any write.
                     'data_action_timeouts_dependencies': dependencies}
        command = [_tool('ansible-playbook'), '-i', inventory, 'genesyscloud.cx.remediate', '-e', json.dumps(variables)
                   ] + list(options)
        super(_Remediation, self).__init__(command, env, workdir)


@pytest.mark.parametrize('signame,wait', [('SIGINT', 'hold'), ('SIGTERM', 'hold'), ('SIGINT', 'pace'),
                                          ('SIGTERM', 'pace')])
def test_a_stop_signal_ends_a_wait_for_the_rate_limit_at_once(emulator_factory, collections_path, tmp_path, signame,
                                                              wait):
    # 'hold': the token allows 10 a minute and the module is told 20, so a 429 holds every worker for about a
    # minute. 'pace': the module is told 10 and keeps to it, so every worker waits for its own window.
    emu = emulator_factory(['--rate-limit', '10/60', '--random-seed', '3'], seed=_seed(30, 30))
    before = emu.actions()
    run = _Remediation(collections_path, emu, str(tmp_path), 20 if wait == 'hold' else 10)
    api, output = _signalled_while_waiting(emu, run, lambda requests: (
        wait == 'hold' and any(r['status'] == 429 for r in requests)) or (
        wait == 'pace' and len(requests) == 10 and all(r['status'] == 200 for r in requests)), getattr(signal, signame))
    written = set(r['path'].rsplit('/', 1)[1] for r in api if r['route'] == PATCH_ROUTE and r['status'] == 200)
    assert written, 'nothing was written before the wait: the test proves nothing'
    after = emu.actions()
    assert set(k for k in before if after[k] != before[k]) == written
    # The journal says exactly that: these changed, every other action was not attempted, none is in doubt.
    state = read(os.path.join(run.report_dir, 'paced', '%s.journal.jsonl' % ORG))
    assert set(a['id'] for a in state.changed()) == written
    assert state.unknown() == [] and state.ended and state.stopped
    assert set(a['id'] for a in state.actions if a['outcome']['status'] == 'not_attempted') == set(before) - written

    # The screen says how many actions changed and the exact command that undoes them, though Ansible itself had
    # stopped listening; the run's report is written as far as it went.
    run_dir = os.path.join(run.report_dir, 'paced')
    told = [line for line in output.splitlines() if line.startswith(ORG + ': ')]
    # Which signal the org's worker itself gets is ansible-core's business: the one sent, or the SIGTERM with which
    # the stopping controller ends its workers.
    said = ['%s: interrupted (it received %s): %d action(s) changed (%d not attempted) before the stop; nothing more '
            'was sent.' % (ORG, name, len(written), len(before) - len(written)) for name in set([signame, 'SIGTERM'])]
    assert set(said) & set(told), (output, os.listdir(run_dir))
    undo = [line for line in told if line.startswith(ORG + ': to undo it: ')]
    assert len(undo) == 1, output
    command = shlex.split(undo[0][len(ORG + ': to undo it: '):])
    assert command[:3] == ['ansible-playbook', '-i', os.path.join(str(tmp_path), 'inventory.json')]
    assert command[3:] == ['genesyscloud.cx.rollback', '--limit', ORG,
                           '-e', 'data_action_timeouts_rollback_report=%s' % os.path.join(run_dir, ORG + '.json')]
    with open(os.path.join(run_dir, 'run.json')) as stream:
        report = json.load(stream)
    assert [org['org'] for org in report['orgs']] == [ORG]
    assert report['orgs'][0]['summary']['by_status']['updated'] == len(written)
    assert os.path.exists(os.path.join(run_dir, 'run.html'))
    if signame == 'SIGINT' and wait == 'hold':
        # The command as printed (under a lifted limit) restores every action the run changed, and only those.
        emu.configure(rate_limit='')
        undone = subprocess.run(command + ['-e', 'data_action_timeouts_report_dir=%s' % run.report_dir],
                                cwd=run.workdir, env=run.env, stdin=subprocess.DEVNULL, capture_output=True,
                                text=True, timeout=PATIENCE, check=False)
        assert undone.returncode == 0, undone.stdout + undone.stderr
        restored = emu.actions()
        assert dict((k, timeout_of(v)) for k, v in restored.items()) == dict(
            (k, timeout_of(v)) for k, v in before.items())


CONSUMING_ROUTE = 'GET /api/v2/architect/dependencytracking/consumingresources'


def test_a_stop_signal_ends_the_flows_reads_at_once(emulator_factory, collections_path, tmp_path):
    # dependencies planned: the flows of 30 planned changes are read before any write, at the module's pace of 10
    # a minute, so most of those reads wait for their turn when the signal comes. None of them is sent after it.
    emu = emulator_factory(['--rate-limit', '10/60', '--random-seed', '3'], seed=_seed(30, 30))
    before = emu.actions()
    run = _Remediation(collections_path, emu, str(tmp_path), 10, dependencies='planned')
    api, output = _signalled_while_waiting(emu, run, lambda requests: len(requests) == 10 and any(
        r['route'] == CONSUMING_ROUTE for r in requests))
    assert not [r for r in api if r['method'] != 'GET'], 'a write after a stop during the reads'
    assert emu.actions() == before
    # Every planned change is reported not attempted, its flows unknown because the run stopped.
    with open(os.path.join(run.report_dir, 'paced', ORG + '.json')) as stream:
        report = json.load(stream)
    rows = report['rows']
    assert rows and all(row['status'] == 'not_attempted' for row in rows if row['id'] in before)
    assert all(row.get('flows') is None for row in rows)
    said = [line for line in output.splitlines() if line.startswith(ORG + ': interrupted')]
    assert said and '0 action(s) changed' in said[0], output


def test_a_stop_signal_ends_the_flows_reads_of_a_dry_run_at_once(emulator_factory, collections_path, tmp_path):
    # The same reads in a dry run (--check): the run's one watch catches the signal while the flows are read, and
    # its waits are the client's, so the reads waiting their turn are never sent.
    emu = emulator_factory(['--rate-limit', '10/60', '--random-seed', '3'], seed=_seed(30, 30))
    before = emu.actions()
    run = _Remediation(collections_path, emu, str(tmp_path), 10, dependencies='planned', options=['--check'])
    api, output = _signalled_while_waiting(emu, run, lambda requests: len(requests) == 10 and any(
        r['route'] == CONSUMING_ROUTE for r in requests))
    assert len([r for r in api if r['route'] == CONSUMING_ROUTE]) < 30, 'every flow was read: the test proves nothing'
    assert not [r for r in api if r['method'] != 'GET'] and emu.actions() == before


def test_a_stop_signal_during_the_listing_sends_no_more_of_it(emulator_factory, collections_path, tmp_path):
    # data_action_timeout called directly (in the task's worker, which holds the stop signals of a real run): 30
    # actions listed 2 a page at 10 requests a minute, so most pages wait for their turn when the signal comes.
    # Reads that only serve the run's decision stop with it, paced or not; the run writes nothing.
    emu = emulator_factory(['--rate-limit', '10/60', '--random-seed', '3'], seed=_seed(30, 30))
    before = emu.actions()
    workdir = str(tmp_path)
    playbook = os.path.join(workdir, 'remediate.json')
    with open(playbook, 'w') as stream:
        json.dump(play(emu, [{'name': 'raise', 'genesyscloud.cx.data_action_timeout': {
            'select': {'timeout_at_most': LOW}, 'timeout_seconds': TARGET, 'page_size': 2,
            'requests_per_minute': 10, 'parallel': 4}}], client_id=CLIENT, client_secret=SECRET), stream)
    inventory = os.path.join(workdir, 'inventory.json')
    with open(inventory, 'w') as stream:
        json.dump({'all': {'hosts': {'localhost': {
            'ansible_connection': 'local', 'ansible_python_interpreter': '{{ ansible_playbook_python }}'}}}}, stream)
    run = PlaybookJob([_tool('ansible-playbook'), '-i', inventory, playbook], _job_env(collections_path, workdir),
                      workdir)
    api, output = _signalled_while_waiting(emu, run, lambda requests: len(requests) == 10 and all(
        r['route'] == ACTIONS_ROUTE and r['status'] == 200 for r in requests))
    assert len(api) < 15, 'the whole listing was read: the test proves nothing'
    assert not [r for r in api if r['method'] != 'GET'] and emu.actions() == before

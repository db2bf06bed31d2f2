# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesyscloud.cx contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the user is told when something is wrong, that nothing was written, and that no secret
ever shows, at any verbosity."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import socket
import threading

import pytest
import requests

from tests.fact_sheet import REGIONS
from tests.integration._helpers import PATCH_ROUTE, TOKEN_ROUTE, custom_actions, play, timeout_of, writes

SEED = {
    'orgs': [{
        'id': 'acme',
        'name': 'ACME',
        'clients': [
            {'client_id': 'acme-admin', 'client_secret': 'acme-admin-s3cret', 'permissions': ['*']},
            {'client_id': 'acme-viewer', 'client_secret': 'acme-viewer-s3cret',
             'permissions': ['integrations:action:view']},
            {'client_id': 'acme-nobody', 'client_secret': 'acme-nobody-s3cret', 'permissions': []},
        ],
        'generate': 30,
    }],
}


@pytest.fixture
def acme(emulator_factory):
    return emulator_factory(['--random-seed', '4'], seed=SEED)


def _low_id(emu):
    return sorted(k for k, v in custom_actions(emu.actions()).items()
                  if timeout_of(v) is None or timeout_of(v) <= 5)[0]


def _update(target, name='update'):
    return {'name': name, 'genesyscloud.cx.data_action_timeout': {'id': target, 'timeout_seconds': 12}}


def test_wrong_secret_says_what_to_check_and_shows_no_secret(acme, run_playbook):
    target = _low_id(acme)
    # The secret comes from the environment, as with the Terraform provider: a secret written into the
    # playbook itself would be shown by Ansible's own error context, which is not ours to hide.
    tasks = [{'name': 'update', 'genesyscloud.cx.data_action_timeout': {
        'id': target, 'timeout_seconds': 12, 'api_base_url': acme.url}}]
    run = run_playbook([{'name': 'env credentials', 'hosts': 'localhost', 'gather_facts': False, 'tasks': tasks}],
                       env={'GENESYSCLOUD_OAUTHCLIENT_ID': 'acme-admin',
                            'GENESYSCLOUD_OAUTHCLIENT_SECRET': 'wrong-s3cret-value'},
                       expect_rc=2, args=['-vvvv'])
    msg = run.result('update')['msg']
    assert '401' in msg
    assert 'client' in msg.lower() and 'region' in msg.lower()
    assert 'wrong-s3cret-value' not in run.output
    assert writes(acme) == 0


def test_missing_permission_is_named_and_nothing_is_written(acme, run_playbook):
    target = _low_id(acme)
    before = acme.actions()
    run = run_playbook(play(acme, [_update(target)], client_id='acme-viewer', client_secret='acme-viewer-s3cret'),
                       expect_rc=2)
    result = run.result('update')
    assert 'integrations:action:edit' in result['msg']
    assert '403' in result['msg']
    assert acme.actions() == before
    assert acme.requests()['counts'].get(PATCH_ROUTE, 0) <= 1  # refused by the server, never retried

    run = run_playbook(play(acme, [{'name': 'list', 'genesyscloud.cx.data_action_info': {}}],
                            client_id='acme-nobody', client_secret='acme-nobody-s3cret'), expect_rc=2)
    assert 'integrations:action:view' in run.result('list')['msg']


def test_unknown_id_is_named_and_nothing_is_written(acme, run_playbook):
    acme.clear_requests()
    missing = 'custom_-_00000000-0000-4000-8000-000000000000'
    run = run_playbook(play(acme, [_update(missing)], client_id='acme-admin', client_secret='acme-admin-s3cret'),
                       expect_rc=2)
    assert missing in run.result('update')['msg']
    assert writes(acme) == 0


def test_a_name_that_matches_several_actions_or_none_is_refused(acme, run_playbook):
    first, second = sorted(custom_actions(acme.actions()))[:2]
    twin = acme.actions()[first]['name']
    acme.admin_edit(action_id=second, name=twin, when='now')
    acme.clear_requests()
    task = {'name': 'by name', 'genesyscloud.cx.data_action_timeout': {'name': twin, 'timeout_seconds': 12}}
    run = run_playbook(play(acme, [task], client_id='acme-admin', client_secret='acme-admin-s3cret'), expect_rc=2)
    msg = run.result('by name')['msg']
    assert twin in msg and first in msg and second in msg
    # Found twice over, not "not found".
    assert not msg.startswith('Not found') and 'select them by id' in msg, msg
    assert writes(acme) == 0

    task = {'name': 'by name', 'genesyscloud.cx.data_action_timeout': {'name': 'No Such Action', 'timeout_seconds': 12}}
    run = run_playbook(play(acme, [task], client_id='acme-admin', client_secret='acme-admin-s3cret'), expect_rc=2)
    assert 'No Such Action' in run.result('by name')['msg']
    assert writes(acme) == 0


def test_static_and_custom_auth_actions_are_refused_clearly(acme, run_playbook):
    actions = acme.actions()
    refused = [k for k in actions if k.startswith(('static_', 'customAuth_'))]
    assert refused
    acme.clear_requests()
    for action_id in refused[:2]:
        run = run_playbook(play(acme, [_update(action_id)], client_id='acme-admin', client_secret='acme-admin-s3cret'),
                           expect_rc=2)
        msg = run.result('update')['msg']
        assert action_id in msg
    assert writes(acme) == 0


def test_invalid_input_is_refused_before_any_request(acme, run_playbook):
    acme.clear_requests()
    target = _low_id(acme)
    bad_tasks = [
        {'name': 'too high', 'genesyscloud.cx.data_action_timeout': {'id': target, 'timeout_seconds': 61}},
        {'name': 'zero', 'genesyscloud.cx.data_action_timeout': {'id': target, 'timeout_seconds': 0}},
        {'name': 'two selectors', 'genesyscloud.cx.data_action_timeout': {
            'id': target, 'ids': [target], 'timeout_seconds': 10}},
        {'name': 'empty list', 'genesyscloud.cx.data_action_timeout': {'ids': [], 'timeout_seconds': 10}},
    ]
    for task in bad_tasks:
        task['ignore_errors'] = True
    run = run_playbook(play(acme, bad_tasks, client_id='acme-admin', client_secret='acme-admin-s3cret'))
    for task in bad_tasks:
        assert run.result(task['name'])['_status'] == 'ignored', task['name']
    assert acme.requests()['requests'] == []  # not even a token request


def test_one_token_serves_every_module_of_a_play_and_is_never_shown(acme, run_playbook):
    target = _low_id(acme)
    acme.clear_requests()
    tasks = [
        {'name': 'token', 'genesyscloud.cx.oauth_token': {
            'api_base_url': acme.url, 'client_id': 'acme-admin', 'client_secret': 'acme-admin-s3cret'},
         'register': 'gc', 'no_log': True},
        {'name': 'with the token', 'module_defaults': {'group/genesyscloud.cx.genesyscloud': {
            'access_token': '{{ gc.access_token }}', 'api_base_url': '{{ gc.api_base_url }}'}},
         'block': [
            {'name': 'list', 'genesyscloud.cx.data_action_info': {'timeout_at_most': 5}},
            {'name': 'update', 'genesyscloud.cx.data_action_timeout': {'id': target, 'timeout_seconds': 12}},
            {'name': 'peek', 'ansible.builtin.set_fact': {'token_length': '{{ gc.access_token | length }}',
                                                          'expires': '{{ gc.expires_in }}'}},
        ]},
    ]
    run = run_playbook([{'name': 'one token', 'hosts': 'localhost', 'gather_facts': False, 'tasks': tasks}],
                       args=['-vvv'])
    assert acme.requests()['counts'][TOKEN_ROUTE] == 1
    assert int(run.result('peek')['ansible_facts']['token_length']) > 10
    assert int(run.result('peek')['ansible_facts']['expires']) > 0
    assert timeout_of(acme.actions()[target]) == 12
    assert 'acme-admin-s3cret' not in run.output


def test_an_expired_token_is_renewed_once_when_credentials_are_known(emulator_factory, run_playbook):
    emu = emulator_factory(['--generate', '30', '--random-seed', '2', '--token-ttl', '1', '--latency-ms', '400'])
    ids = sorted(custom_actions(emu.actions()))[:6]
    emu.clear_requests()
    # Six sequential PATCHes at 400 ms each outlive a one-second token.
    task = {'name': 'slowly', 'genesyscloud.cx.data_action_timeout': {'ids': ids, 'timeout_seconds': 44,
                                                                      'parallel': 1}}
    run_playbook(play(emu, [task]))
    assert emu.requests()['counts'][TOKEN_ROUTE] >= 2
    assert all(timeout_of(emu.actions()[i]) == 44 for i in ids)


class _ConnectRecorder(object):
    """A proxy that writes down which host each CONNECT asks for and refuses it: region
    resolution is observed on the wire without any traffic leaving this machine."""

    def __init__(self):
        self.hosts = []
        self._server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._server.bind(('127.0.0.1', 0))
        self._server.listen(64)
        self.url = 'http://127.0.0.1:%d' % self._server.getsockname()[1]
        self._thread = threading.Thread(target=self._serve)
        self._thread.daemon = True
        self._thread.start()

    def _serve(self):
        while True:
            try:
                conn, dummy = self._server.accept()
            except OSError:
                return
            with conn:
                data = b''
                while b'\r\n\r\n' not in data:
                    chunk = conn.recv(4096)
                    if not chunk:
                        break
                    data += chunk
                first = data.split(b'\r\n', 1)[0].decode('latin-1').split()
                if len(first) >= 2:
                    self.hosts.append(first[1])
                conn.sendall(b'HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n')

    def close(self):
        self._server.close()


def test_every_region_resolves_to_its_login_host(run_playbook):
    proxy = _ConnectRecorder()
    names = sorted(REGIONS) + ['mypurecloud.ie', 'api.mypurecloud.de']  # region names, or API domains
    # One host per region, all at once: each refused CONNECT is retried like any lost connection.
    inventory = {'all': {'hosts': dict(('org%02d' % n, {
        'ansible_connection': 'local', 'ansible_python_interpreter': '{{ ansible_playbook_python }}',
        'org_region': name}) for n, name in enumerate(names))}}
    task = {'name': 'token', 'genesyscloud.cx.oauth_token': {
        'region': '{{ org_region }}', 'client_id': 'someone', 'client_secret': 'region-s3cret', 'http_timeout': 5},
        'ignore_errors': True}
    try:
        run = run_playbook([{'name': 'regions', 'hosts': 'all', 'gather_facts': False, 'tasks': [task]}],
                           inventory=inventory, args=['--forks', str(len(names))],
                           env={'HTTPS_PROXY': proxy.url, 'https_proxy': proxy.url, 'NO_PROXY': '', 'no_proxy': ''})
    finally:
        proxy.close()
    expected = set('login.%s:443' % domain for domain in REGIONS.values())
    assert expected <= set(proxy.hosts)
    assert set(proxy.hosts) <= expected  # nothing but the login hosts was asked for
    assert 'region-s3cret' not in run.output
    for n, name in enumerate(names):
        result = run.result('token', host='org%02d' % n)
        assert result['_status'] == 'ignored'
        domain = REGIONS.get(name) or name.replace('api.', '', 1)
        assert 'login.%s' % domain in result['msg'], (name, result['msg'])


def test_certificates_are_verified_against_the_given_ca(emulator_factory, run_playbook):
    emu = emulator_factory(['--tls', '--generate', '20', '--random-seed', '6'])
    assert emu.url.startswith('https://')
    tasks = [
        {'name': 'system CAs only', 'genesyscloud.cx.data_action_info': {}, 'ignore_errors': True},
        {'name': 'our CA', 'genesyscloud.cx.data_action_info': {'ca_path': emu.ca_path}},
        {'name': 'verification off', 'genesyscloud.cx.data_action_info': {'validate_certs': False}},
    ]
    # A corporate environment often sets REQUESTS_CA_BUNDLE: ca_path must still win over it.
    run = run_playbook(play(emu, tasks), env={'REQUESTS_CA_BUNDLE': requests.certs.where()})
    refused = run.result('system CAs only')
    assert refused['_status'] == 'ignored'
    assert 'certificate' in refused['msg'].lower() and 'ca_path' in refused['msg']
    listed = len([k for k in emu.actions() if not k.startswith('customAuth_')])
    assert len(run.result('our CA')['data_actions']) == listed
    assert len(run.result('verification off')['data_actions']) == listed
    # The refused run never got past the TLS handshake: two token requests reached the server, not three.
    assert emu.requests()['counts'][TOKEN_ROUTE] == 2


def test_token_throttling_is_waited_out(emulator_factory, run_playbook):
    # One token per 8 s: far more than the time between two module runs on a loaded machine (a window of 2 s
    # was sometimes outlasted, and nothing was throttled), at the cost of one wait of a few seconds.
    emu = emulator_factory(['--generate', '20', '--random-seed', '8', '--token-rate-limit', '1/8'])
    emu.clear_requests()
    # Two module runs, each asking for its own token, faster than one token per eight seconds.
    tasks = [{'name': 'list %d' % n, 'genesyscloud.cx.data_action_info': {}} for n in range(2)]
    run = run_playbook(play(emu, tasks))
    assert all(run.result('list %d' % n)['data_actions'] for n in range(2))
    tokens = [r['status'] for r in emu.requests()['requests'] if r['route'] == TOKEN_ROUTE]
    assert 400 in tokens  # "rate limit exceeded" was answered, and waited out
    assert tokens.count(200) == 2

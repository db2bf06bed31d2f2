# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesyscloud.cx contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Fixtures that run real ``ansible-playbook`` against the emulator, using the collection as built
and installed from its tarball (what users install), and record every task result."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json
import os
import subprocess
import sys
import tempfile

import pytest
import yaml

from tests.emulator.harness import Emulator

# ansible-test's integration targets (runme.sh and playbooks, run by `make test-targets`): not pytest's to collect.
collect_ignore = ['targets']

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CALLBACK_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'callback_plugins')
BIN_DIR = os.path.dirname(sys.executable)
# requests_per_minute for runs against an emulator without a rate limit (the option's maximum).
UNPACED = '100000'


def _tool(name):
    path = os.path.join(BIN_DIR, name)
    return path if os.path.exists(path) else name


def _build_and_install(destination):
    dist = os.path.join(destination, 'dist')
    subprocess.run([_tool('ansible-galaxy'), 'collection', 'build', '--force', '--output-path', dist, REPO_ROOT],
                   check=True, stdout=subprocess.DEVNULL)
    tarball = [name for name in os.listdir(dist) if name.endswith('.tar.gz')][0]
    subprocess.run([_tool('ansible-galaxy'), 'collection', 'install', '--force', '--offline', '-p', destination,
                    os.path.join(dist, tarball)], check=True, stdout=subprocess.DEVNULL)
    return destination


@pytest.fixture(scope='session')
def collections_path(tmp_path_factory):
    """Where ``ansible_collections/genesyscloud/cx`` was installed from the built tarball."""
    preset = os.environ.get('GENESYSCLOUD_CX_COLLECTIONS_PATH')
    if preset:
        return preset
    return _build_and_install(str(tmp_path_factory.mktemp('collections')))


class PlaybookRun(object):
    """What one ``ansible-playbook`` run did: exit code, output and every task result."""

    def __init__(self, rc, stdout, stderr, records):
        self.rc = rc
        self.stdout = stdout
        self.stderr = stderr
        self.records = records
        self.results = {}
        for record in records:
            self.results.setdefault(record['_task'], []).append(record)

    def result(self, task, host=None):
        """The one result of ``task`` (for ``host`` when several hosts ran it)."""
        found = [r for r in self.results.get(task, []) if host is None or r['_host'] == host]
        assert len(found) == 1, 'expected one result for task %r (host %r), got %d; tasks: %s' % (
            task, host, len(found), sorted(self.results))
        return found[0]

    @property
    def output(self):
        return self.stdout + self.stderr


def _write(directory, name, content):
    path = os.path.join(directory, name)
    with open(path, 'w') as handle:
        if isinstance(content, str):
            handle.write(content)
        else:
            yaml.safe_dump(content, handle, sort_keys=False)
    return path


LOCAL_INVENTORY = {
    'all': {
        'hosts': {
            'localhost': {
                'ansible_connection': 'local',
                'ansible_python_interpreter': '{{ ansible_playbook_python }}',
            },
        },
    },
}


@pytest.fixture
def run_playbook(collections_path, tmp_path):
    """Run ``ansible-playbook`` and return a :class:`PlaybookRun`.

    ``playbook``: YAML text, a list of plays, or a path. ``inventory``: a dict, YAML text or a path
    (default: localhost with the local connection). ``env``: extra environment (GENESYSCLOUD_*
    variables of the calling environment are removed first, so a test only sees what it sets).
    """
    counter = [0]

    def _run(playbook, inventory=None, extra_vars=None, check=False, diff=False, env=None, limit=None,
             expect_rc=0, args=None):
        counter[0] += 1
        workdir = tempfile.mkdtemp(prefix='run%d-' % counter[0], dir=str(tmp_path))
        if isinstance(playbook, str) and os.path.isfile(playbook):
            playbook_path = playbook
        elif isinstance(playbook, str) and '\n' not in playbook and playbook.count('.') == 2 \
                and not playbook.endswith(('.yml', '.yaml')):
            playbook_path = playbook  # a fully qualified playbook name such as genesyscloud.cx.audit
        else:
            playbook_path = _write(workdir, 'playbook.yml', playbook)
        if inventory is None:
            inventory = LOCAL_INVENTORY
        if isinstance(inventory, str) and os.path.exists(inventory):
            inventory_path = inventory
        else:
            inventory_path = _write(workdir, 'inventory.yml', inventory)
        record_file = os.path.join(workdir, 'results.json')

        run_env = dict((k, v) for k, v in os.environ.items() if not k.startswith('GENESYSCLOUD_'))
        run_env.update({
            'ANSIBLE_COLLECTIONS_PATH': collections_path,
            'ANSIBLE_CALLBACK_PLUGINS': CALLBACK_DIR,
            'ANSIBLE_CALLBACKS_ENABLED': 'record_results',
            'ANSIBLE_RETRY_FILES_ENABLED': '0',
            'ANSIBLE_NOCOLOR': '1',
            'ANSIBLE_LOCAL_TEMP': os.path.join(workdir, 'tmp'),
            'ANSIBLE_HOME': os.path.join(str(tmp_path), 'ansible-home'),
            'GENESYSCLOUD_CX_RECORD_FILE': record_file,
            # The emulator enforces no rate limit unless a test asks for one: the modules need not pace themselves
            # to 300 a minute (tests of pacing set requests_per_minute, or this variable, to what they test).
            'GENESYSCLOUD_REQUESTS_PER_MINUTE': UNPACED,
            'PATH': BIN_DIR + os.pathsep + os.environ.get('PATH', ''),
        })
        run_env.update(env or {})

        command = [_tool('ansible-playbook'), '-i', inventory_path, playbook_path]
        if extra_vars:
            command += ['-e', json.dumps(extra_vars)]
        if check:
            command.append('--check')
        if diff:
            command.append('--diff')
        if limit:
            command += ['--limit', limit]
        command += list(args or [])
        completed = subprocess.run(command, cwd=workdir, env=run_env, stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE, universal_newlines=True, timeout=600, check=False)
        records = []
        if os.path.exists(record_file):
            with open(record_file) as handle:
                records = json.load(handle)
        run = PlaybookRun(completed.returncode, completed.stdout, completed.stderr, records)
        if expect_rc is not None and completed.returncode != expect_rc:
            failures = ['%s (%s): %s' % (r['_task'], r['_host'], r.get('msg')) for r in records
                        if r['_status'] == 'failed']
            raise AssertionError('ansible-playbook exited %d (expected %d)\nfailed tasks:\n%s\nstdout:\n%s\n'
                                 'stderr:\n%s' % (completed.returncode, expect_rc, '\n'.join(failures),
                                                  completed.stdout[-6000:], completed.stderr[-3000:]))
        return run

    return _run


@pytest.fixture
def emulator():
    """One emulated org (client demo-client / demo-secret) with 60 generated actions."""
    with Emulator(args=['--generate', '60', '--random-seed', '7']) as emu:
        yield emu


@pytest.fixture
def emulator_factory():
    """Start emulators with custom arguments or seeds; all are stopped after the test."""
    started = []

    def _start(args=None, seed=None):
        emu = Emulator(args=list(args or []), seed=seed)
        emu.__enter__()
        started.append(emu)
        return emu

    yield _start
    for emu in started:
        emu.__exit__(None, None, None)


def pytest_terminal_summary(terminalreporter):
    """Print the figures tests attached with _helpers.record_figures (chaos, bad input: faults, retries, time)."""
    lines = []
    for outcome in ('passed', 'failed'):
        for report in terminalreporter.stats.get(outcome, []):
            if getattr(report, 'when', None) != 'call':
                continue
            for name, value in getattr(report, 'user_properties', ()):
                if name == 'figures':
                    lines.append('%s (%s, %.0f s)' % (value, outcome, report.duration))
    if lines:
        terminalreporter.write_sep('-', 'figures')
        for line in sorted(lines):
            terminalreporter.write_line(line)

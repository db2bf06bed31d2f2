# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesyscloud.cx contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Small helpers shared by the module integration tests."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import copy

ACTIONS_ROUTE = 'GET /api/v2/integrations/actions'
ACTION_ROUTE = 'GET /api/v2/integrations/actions/{actionId}'
PATCH_ROUTE = 'PATCH /api/v2/integrations/actions/{actionId}'
TOKEN_ROUTE = 'POST /oauth/token'


def play(emu, tasks, client_id='demo-client', client_secret='demo-secret', **connection):
    """One localhost play whose genesyscloud.cx modules talk to ``emu``."""
    defaults = {'api_base_url': emu.url, 'client_id': client_id, 'client_secret': client_secret}
    defaults.update(connection)
    return [{
        'name': 'genesyscloud.cx against the emulator',
        'hosts': 'localhost',
        'gather_facts': False,
        'module_defaults': {'group/genesyscloud.cx.genesyscloud': defaults},
        'tasks': tasks,
    }]


def timeout_of(action):
    return (action.get('config') or {}).get('timeoutSeconds')


def effective_timeout_of(action):
    """What the action runs with: its timeout, or the platform default of 60 s when it sets none."""
    timeout = timeout_of(action)
    return 60 if timeout is None else timeout


def custom_actions(actions):
    return dict((k, v) for k, v in actions.items() if k.startswith('custom_-_'))


def counts(emu):
    return emu.requests()['counts']


def writes(emu):
    return emu.requests()['writes']


def without_timeout_and_version(action):
    """The action as it must survive an update of its timeout: everything but those two."""
    stripped = copy.deepcopy(action)
    stripped.pop('version', None)
    (stripped.get('config') or {}).pop('timeoutSeconds', None)
    return stripped


def max_overlap(entries):
    """Most requests in flight at once, from the emulator's started/finished times."""
    events = []
    for entry in entries:
        events.append((entry['started'], 1))
        events.append((entry['finished'], -1))
    in_flight = peak = 0
    for dummy, step in sorted(events, key=lambda e: (e[0], e[1])):
        in_flight += step
        peak = max(peak, in_flight)
    return peak

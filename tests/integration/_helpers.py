# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesyscloud.cx contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Small helpers shared by the module integration tests."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import copy
import json
import os
import re
import sys

ACTIONS_ROUTE = 'GET /api/v2/integrations/actions'
DRAFTS_ROUTE = 'GET /api/v2/integrations/actions/drafts'
ACTION_ROUTE = 'GET /api/v2/integrations/actions/{actionId}'
PATCH_ROUTE = 'PATCH /api/v2/integrations/actions/{actionId}'
TOKEN_ROUTE = 'POST /oauth/token'


def play(emu, tasks, client_id='demo-client', client_secret='demo-secret', **connection):
    """One localhost play whose genesyscloud.cx modules talk to ``emu`` (a credential given as None is left
    out, so the modules' environment fallback applies)."""
    defaults = {'api_base_url': emu.url, 'client_id': client_id, 'client_secret': client_secret}
    defaults.update(connection)
    defaults = dict((key, value) for key, value in defaults.items() if value is not None)
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


_DIFF_LINE = re.compile(r"^(?P<name>.*) \((?P<id>[^()]+)\): timeout (?P<before>.+?) -> (?P<after>.+?)"
                        r"(?:, version (?P<version_before>\d+) -> (?P<version_after>\d+))?$")


def _seconds(text):
    return None if text.startswith("unset") else int(text.split()[0])


def diff_changes(diff):
    """The module's prepared diff, one line per action, as {id: {name, before, after[, versions]}}."""
    changes = {}
    for line in ((diff or {}).get("prepared") or "").splitlines():
        match = _DIFF_LINE.match(line)
        assert match, "not a diff line: %r" % line
        change = {"name": match.group("name"), "before": _seconds(match.group("before")),
                  "after": _seconds(match.group("after"))}
        if match.group("version_before"):
            change["versions"] = (int(match.group("version_before")), int(match.group("version_after")))
        changes[match.group("id")] = change
    return changes


# ---- figures of a run under faults (chaos), printed at the end of the pytest run ---------------------------
def request_figures(entries):
    """What reached the server in one run, from the emulator's request log entries (of one or more emulators).

    ``faults``: injected failures by kind (the log marks each entry's ``fault``); ``rate_limited``: every 429,
    injected or not; ``repeated``: requests that repeat an earlier one exactly (same org, method, path and
    query: the retries, and a PATCH sent again after a conflict or a lost answer); ``expired_token_refusals``:
    401 answers; ``slow``: answers that took 0.3 s or more.
    """
    api = [e for e in entries if e["route"] != TOKEN_ROUTE]
    seen, repeated = set(), 0
    for entry in sorted(api, key=lambda e: e["started"]):
        key = (entry["org"], entry["method"], entry["path"], tuple(sorted((entry.get("query") or {}).items())))
        if key in seen:
            repeated += 1
        seen.add(key)
    faults = {}
    for entry in entries:
        if entry.get("fault"):
            faults[entry["fault"]] = faults.get(entry["fault"], 0) + 1
    return {
        "requests": len(entries),
        "token_requests": len(entries) - len(api),
        "writes": sum(1 for e in entries if e["write"]),
        "patches": sum(1 for e in entries if e["route"] == PATCH_ROUTE),
        "faults": faults,
        "faults_total": sum(faults.values()),
        "rate_limited": sum(1 for e in entries if e["status"] == 429),
        "expired_token_refusals": sum(1 for e in entries if e["status"] == 401),
        "repeated": repeated,
        "slow": sum(1 for e in entries if e["finished"] and e["finished"] - e["started"] >= 0.3),
    }


def record_figures(record_property, title, figures):
    """Attach figures to the test's report; tests/integration/conftest.py prints them after the run."""
    record_property("figures", "%s: %s" % (title, json.dumps(figures, sort_keys=True)))


def another_python(directory):
    """The Python running the tests (and ansible-playbook), by another path: a script in ``directory`` that runs it.
    As a host's ansible_python_interpreter it makes the role's org task run data_action_timeout as a module
    process instead of in its worker (a link would not do: a virtual environment's python found through a link
    elsewhere is the base Python, without the environment's libraries)."""
    path = os.path.join(directory, 'python')
    with open(path, 'w') as stream:
        stream.write('#!/bin/sh\nexec %s "$@"\n' % sys.executable)
    os.chmod(path, 0o755)
    return path

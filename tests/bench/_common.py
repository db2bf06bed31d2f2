# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesyscloud.cx contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the benchmarks share: the machine and its load, seeds with an exact number of actions to change,
inventories, timed ansible-playbook runs (wall and CPU), medians and verdict lines."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import copy
import datetime
import json
import os
import platform
import random
import resource
import subprocess
import sys
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)

BENCH_DIR = os.path.dirname(os.path.abspath(__file__))
BIN = os.path.dirname(sys.executable)
PATCH_ROUTE = 'PATCH /api/v2/integrations/actions/{actionId}'
LIST_ROUTE = 'GET /api/v2/integrations/actions'
DRAFTS_ROUTE = 'GET /api/v2/integrations/actions/drafts'
GET_ROUTE = 'GET /api/v2/integrations/actions/{actionId}'
TOKEN_ROUTE = 'POST /oauth/token'
ANALYTICS_ROUTE = 'POST /api/v2/analytics/actions/aggregates/query'
# A limit no benchmark reaches, for the benchmarks that measure latency rather than the rate limit: without
# --rate-limit the emulator's headers announce 300 a minute (the common real value), which the client
# rightly paces against, and a 500-change run would then measure the rate limit (benchmark 2's subject).
UNBOUND_RATE_LIMIT = '1000000/60'


def collections_path():
    path = os.environ.get('GENESYSCLOUD_CX_COLLECTIONS_PATH')
    if not path:
        raise SystemExit('set GENESYSCLOUD_CX_COLLECTIONS_PATH to the installed collection (make bench does)')
    return path


def rounds_default(fallback):
    return int(os.environ.get('BENCH_ROUNDS', fallback))


# ---- the machine -----------------------------------------------------------------------------------
def _lscpu_model():
    try:
        out = subprocess.run(['lscpu'], stdout=subprocess.PIPE, universal_newlines=True, check=False).stdout
    except OSError:
        return platform.processor() or 'unknown CPU'
    for line in out.splitlines():
        if line.startswith('Model name:'):
            return line.split(':', 1)[1].strip()
    return 'unknown CPU'


def _memory_gib():
    with open('/proc/meminfo') as handle:
        for line in handle:
            if line.startswith('MemTotal:'):
                return int(line.split()[1]) / 1024.0 / 1024.0
    return 0.0


def ansible_core_version():
    try:
        from ansible import __version__
        return __version__
    except ImportError:
        return 'unknown'


def machine_line():
    return '%s, %d cores, %.0f GiB, %s, Python %s, ansible-core %s, %s' % (
        _lscpu_model(), os.cpu_count() or 0, _memory_gib(), platform.platform(terse=True),
        platform.python_version(), ansible_core_version(),
        datetime.datetime.now(datetime.timezone.utc).strftime('%Y-%m-%d %H:%M UTC'))


def _cpu_jiffies():
    with open('/proc/stat') as handle:
        fields = [int(x) for x in handle.readline().split()[1:]]
    idle = fields[3] + fields[4]
    return sum(fields) - idle, sum(fields)


class MachineLoad(object):
    """The machine's load during a benchmark: 1-minute load averages sampled every second, and the CPU
    the whole machine used against the CPU this benchmark's own processes used (the rest is others')."""

    def __init__(self):
        self._samples = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._start_busy = None
        self._start_wall = None
        self._start_own = None

    def _sample(self):
        while not self._stop.wait(1.0):
            self._samples.append(os.getloadavg()[0])

    def __enter__(self):
        self._start_busy = _cpu_jiffies()[0]
        self._start_wall = time.monotonic()
        self._start_own = own_cpu_seconds() + EMULATOR_CPU.total()
        self._samples.append(os.getloadavg()[0])
        self._thread.start()
        return self

    def __exit__(self, *exc_info):
        self._stop.set()
        self._thread.join()
        self.wall = time.monotonic() - self._start_wall
        busy = (_cpu_jiffies()[0] - self._start_busy) / float(os.sysconf('SC_CLK_TCK'))
        self.machine_cpu = busy
        self.own_cpu = own_cpu_seconds() + EMULATOR_CPU.total() - self._start_own
        return False

    def line(self):
        samples = sorted(self._samples) or [0.0]
        cores = os.cpu_count() or 1
        others = max(0.0, self.machine_cpu - self.own_cpu)
        return ('load during the run: 1-min load average %.2f to %.2f (median %.2f); CPU busy %.0f%% of %d cores, '
                'of which this benchmark %.0f%% and other work %.0f%%' % (
                    samples[0], samples[-1], samples[len(samples) // 2],
                    100.0 * self.machine_cpu / (self.wall * cores), cores,
                    100.0 * self.own_cpu / (self.wall * cores), 100.0 * others / (self.wall * cores)))


def own_cpu_seconds():
    """CPU seconds (user + system) of this process and of every child it has waited for."""
    mine = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return mine.ru_utime + mine.ru_stime + children.ru_utime + children.ru_stime


def process_cpu_seconds(pid):
    """CPU seconds of a running process (and its waited-for children), from /proc."""
    try:
        with open('/proc/%d/stat' % pid) as handle:
            fields = handle.read().rsplit(')', 1)[1].split()
    except OSError:
        return 0.0
    return sum(int(x) for x in fields[11:15]) / float(os.sysconf('SC_CLK_TCK'))


class _EmulatorCpu(object):
    """The CPU of the emulators a benchmark started, added when each one stops (it is not our child
    until it has been waited for, and then getrusage counts it: we count it only while it runs)."""

    def __init__(self):
        self._running = []

    def watch(self, emu):
        self._running.append(emu)

    def total(self):
        return sum(process_cpu_seconds(emu.process.pid) for emu in self._running if emu.alive())


EMULATOR_CPU = _EmulatorCpu()


# ---- numbers ---------------------------------------------------------------------------------------
def median(values):
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2.0


def verdict(label, value, limit, unit='', higher_is_better=False, detail=''):
    """One line: VERDICT <label>: met / NOT met, with the number and its limit."""
    met = value >= limit if higher_is_better else value <= limit
    print('VERDICT %s: %s (%s%s %s %s%s)%s' % (
        label, 'met' if met else 'NOT met', _num(value), unit, '>=' if higher_is_better else '<=', _num(limit), unit,
        (' ' + detail) if detail else ''))
    return met


def _num(value):
    return ('%.2f' % value) if isinstance(value, float) else str(value)


# ---- seeds -----------------------------------------------------------------------------------------
def effective_timeout(action):
    timeout = (action.get('config') or {}).get('timeoutSeconds')
    return 60 if timeout is None else timeout


def exact_seed(org_ids, actions, changes, threshold, random_seed=0, generate_seed=None):
    """A seed of ``org_ids`` orgs of ``actions`` generated actions each (the generator's mix, see
    tests/emulator/README.md), adjusted so that exactly ``changes`` custom actions per org have an effective
    timeout at or below ``threshold``: surplus low ones go to a middle value above it, missing ones are
    taken from explicit middle/high timeouts first, then from unset ones, and set to a low value. No
    execution history (benchmarks 1 to 3 read none). Each org's client is <org>-client / <org>-secret."""
    from tests.emulator import world as emulator_world
    seed = {'orgs': []}
    for org_id in org_ids:
        generated = emulator_world.load_seed({'orgs': [{
            'id': org_id, 'name': org_id, 'clients': [], 'generate': actions}]},
            random_seed=random_seed if generate_seed is None else generate_seed)
        org = generated.orgs[org_id]
        rng = random.Random('bench/%s/%s' % (random_seed, org_id))
        custom = [a for a in org.actions.values() if a['id'].startswith('custom_-_')]
        low = [a for a in custom if effective_timeout(a) <= threshold]
        rng.shuffle(low)
        for action in low[changes:]:
            action['config']['timeoutSeconds'] = rng.choice([t for t in (6, 8, 10, 12, 15) if t > threshold] or [60])
        missing = changes - len(low)
        if missing > 0:
            explicit = [a for a in custom if effective_timeout(a) > threshold and 'timeoutSeconds' in a['config']]
            unset = [a for a in custom if 'timeoutSeconds' not in a['config']]
            rng.shuffle(explicit)
            rng.shuffle(unset)
            for action in (explicit + unset)[:missing]:
                action['config']['timeoutSeconds'] = rng.randint(1, threshold)
        entries = []
        for action in org.actions.values():
            entry = dict((k, copy.deepcopy(action[k])) for k in (
                'id', 'name', 'integrationId', 'category', 'contract', 'version', 'secure', 'config'))
            entries.append(entry)
        seed['orgs'].append({
            'id': org_id, 'name': org_id,
            'clients': [{'client_id': '%s-client' % org_id, 'client_secret': '%s-secret' % org_id,
                         'permissions': ['*']}],
            'integrations': list(org.integrations.values()),
            'actions': entries,
        })
        got = sum(1 for a in entries if a['id'].startswith('custom_-_') and effective_timeout(a) <= threshold)
        assert got == changes, (org_id, got, changes)
    return seed


def org_options(parser, actions, changes, rounds, latency_ms=50):
    """The options of a benchmark over generated orgs: their size, how many actions to raise, the emulator's
    latency, the role's threshold and target, and the rounds (BENCH_ROUNDS, else ``rounds``)."""
    parser.add_argument('--actions', type=int, default=actions)
    parser.add_argument('--changes', type=int, default=changes)
    parser.add_argument('--latency-ms', type=int, default=latency_ms)
    parser.add_argument('--threshold', type=int, default=5)
    parser.add_argument('--target', type=int, default=10)
    parser.add_argument('--rounds', type=int, default=rounds_default(rounds))
    return parser


def org_size(seed, org_id):
    """Actions the role's listing returns for one org (custom authentication actions included)."""
    return len([o for o in seed['orgs'] if o['id'] == org_id][0]['actions'])


# ---- ansible-playbook --------------------------------------------------------------------------------
def write_json(path, content):
    with open(path, 'w') as handle:
        json.dump(content, handle)  # JSON is YAML
    return path


def inventory(path, url, org_ids, python=None):
    hosts = {}
    for org_id in org_ids:
        hosts[org_id] = {
            # As the collection's example inventory: the playbook's own Python (the org task then runs the update
            # in its worker); another interpreter runs it as a module process.
            'ansible_connection': 'local', 'ansible_python_interpreter': python or '{{ ansible_playbook_python }}',
            'genesyscloud_api_base_url': url, 'genesyscloud_client_id': '%s-client' % org_id,
            'genesyscloud_client_secret': '%s-secret' % org_id,
        }
    return write_json(path, {'all': {'hosts': hosts}})


def measuring_interpreter(workdir):
    """A shell script to use as ansible_python_interpreter: runs modules under measure_python.py."""
    path = os.path.join(workdir, 'measured-python')
    with open(path, 'w') as handle:
        handle.write('#!/bin/sh\nexec %s %s "$@"\n' % (sys.executable, os.path.join(BENCH_DIR, 'measure_python.py')))
    os.chmod(path, 0o755)
    return path


def module_measures(path):
    """The lines measure_python.py wrote: [{module, max_rss_kib, wall_s, cpu_s, status}]."""
    if not os.path.exists(path):
        return []
    with open(path) as handle:
        return [json.loads(line) for line in handle if line.strip()]


def noop_playbook(path):
    """The floor of any playbook run: one debug task per host, no facts, same inventory."""
    return write_json(path, [{'name': 'no-op', 'hosts': 'all', 'gather_facts': False,
                              'tasks': [{'name': 'nothing', 'ansible.builtin.debug': {'msg': 'ok'}}]}])


# requests_per_minute for runs that measure the collection's own speed against an emulator without a rate limit.
UNPACED = '100000'


def ansible_env(workdir, extra=None):
    """The environment of a benchmark's ansible-playbook; ``extra``'s values replace, a None value removes (as
    GENESYSCLOUD_REQUESTS_PER_MINUTE: None does, for the module's own default pace)."""
    env = dict((k, v) for k, v in os.environ.items() if not k.startswith('GENESYSCLOUD_'))
    env.update({
        'GENESYSCLOUD_REQUESTS_PER_MINUTE': UNPACED,
        'ANSIBLE_COLLECTIONS_PATH': collections_path(),
        'ANSIBLE_NOCOLOR': '1',
        'ANSIBLE_RETRY_FILES_ENABLED': '0',
        'ANSIBLE_LOCAL_TEMP': os.path.join(workdir, 'tmp'),
        'ANSIBLE_HOME': os.path.join(workdir, 'ansible-home'),
        'PATH': BIN + os.pathsep + os.environ.get('PATH', ''),
    })
    for key, value in (extra or {}).items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return env


def remediate_vars(options, workdir, dependencies='none'):
    """The extra vars of the role's remediation in benchmarks 1 and 3: every low action raised in one run, the
    reports in the work folder; ``dependencies`` none unless the run measures its cost (bench_flows.py)."""
    return {'data_action_timeouts_max_changes': 1000, 'data_action_timeouts_threshold': options.threshold,
            'data_action_timeouts_target': options.target, 'data_action_timeouts_dependencies': dependencies,
            'data_action_timeouts_report_dir': os.path.join(workdir, 'reports')}


class Run(object):
    def __init__(self, wall, cpu, output, rc):
        self.wall, self.cpu, self.output, self.rc = wall, cpu, output, rc


def run_timed(command, env=None, cwd=None, check=True):
    """Run a command; its wall time and the CPU seconds of its whole process tree."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.monotonic()
    done = subprocess.run(command, env=env, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          universal_newlines=True, check=False)
    wall = time.monotonic() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if check and done.returncode != 0:
        raise SystemExit('%s failed (rc %d):\n%s' % (' '.join(command[:3]), done.returncode, done.stdout[-4000:]))
    return Run(wall, cpu, done.stdout, done.returncode)


def playbook(inventory_path, playbook_path, workdir, extra_vars=None, args=None, env=None, check=True, measured=False):
    """Run ansible-playbook, timed; ``measured``: under measure_python.py, which records the run's largest process
    (peak RSS) and its CPU in GENESYSCLOUD_CX_BENCH_RSS."""
    command = [os.path.join(BIN, 'ansible-playbook'), '-i', inventory_path, playbook_path]
    if measured:
        command = [sys.executable, os.path.join(BENCH_DIR, 'measure_python.py')] + command
    for key, value in sorted((extra_vars or {}).items()):
        command += ['-e', '%s=%s' % (key, value)]
    command += list(args or [])
    return run_timed(command, env=ansible_env(workdir, env), cwd=workdir, check=check)


def start_emulator(args=None, seed=None):
    from tests.emulator.harness import Emulator
    emu = Emulator(args=list(args or []), seed=seed).start()
    EMULATOR_CPU.watch(emu)
    return emu


def low_left(emu, threshold):
    """Custom actions still at or below ``threshold`` seconds, over every org of the emulator."""
    return sum(1 for org in emu.state()['orgs'].values() for action_id, action in org['actions'].items()
               if action_id.startswith('custom_-_') and effective_timeout(action) <= threshold)


def route_counts(counts):
    """The emulator's request counts as one short text: '1 token, 21 listing, 1 drafts listing, 500 PATCH'."""
    names = [(TOKEN_ROUTE, 'token'), (LIST_ROUTE, 'listing'), (DRAFTS_ROUTE, 'drafts listing'),
             (ANALYTICS_ROUTE, 'analytics'), (GET_ROUTE, 'GET action'), (PATCH_ROUTE, 'PATCH')]
    known = dict(names)
    parts = ['%d %s' % (counts[route], name) for route, name in names if counts.get(route)]
    parts += ['%d %s' % (n, route) for route, n in sorted(counts.items()) if route not in known]
    return ', '.join(parts)


def api_requests(emu):
    return [r for r in emu.requests()['requests'] if r['path'].startswith('/api/v2/') or r['path'] == '/oauth/token']

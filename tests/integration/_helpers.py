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
import signal
import subprocess
import sys
import time

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


# The emulator's own defaults for the switches the real API's edge tests turn (tests/emulator/__main__.py).
_SWITCHES_AT_DEFAULT = dict(templates_by_uri=0, pending_drafts=0, patch_semantics='replace', patch_answer='with-config',
                            conflict_status=409, conflict_wording='a', token_throttle_field='both', token_rate_limit='',
                            faults='')


def switched(emu, **switches):
    """``emu`` (shared by a module's tests) at its first state, with these switches and every other one of
    _SWITCHES_AT_DEFAULT at its default, and an empty request log."""
    settings = dict(_SWITCHES_AT_DEFAULT)
    settings.update(switches)
    emu.configure(**settings)
    emu.reset()
    emu.clear_requests()
    return emu


def job_folder(private, playbook, api_base_url, hosts):
    """An ansible-runner private data directory ``private`` (a pathlib path) as an AWX job template lays it out:
    project/job.yml imports the collection's ``playbook``; the inventory holds ``hosts`` (org -> its credential
    variables), run locally against ``api_base_url``."""
    (private / 'project').mkdir(parents=True)
    (private / 'inventory').mkdir()
    (private / 'project' / 'job.yml').write_text(
        "- name: The collection's playbook, as a job template runs it\n"
        "  ansible.builtin.import_playbook: genesyscloud.cx.%s\n" % playbook)
    (private / 'inventory' / 'hosts.json').write_text(json.dumps({'all': {
        'vars': {'ansible_connection': 'local', 'ansible_python_interpreter': '{{ ansible_playbook_python }}',
                 'genesyscloud_api_base_url': api_base_url},
        'hosts': hosts}}))
    return str(private)


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
                        r"(?:, version (?P<version_before>\d+) -> (?P<version_after>\d+))?"
                        r"(?:, function timeout [^;]*)?(?:, pending draft timeout [^;]*)?(?:; (?P<flows>.+))?$")


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
        if match.group("flows"):
            change["flows"] = match.group("flows")
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


# ---- a report folder on a small disk ----------------------------------------------------------------------
SMALL_DISK_SCRIPT = r"""
set -u
mount -t tmpfs -o size=$SIZE tmpfs "$REPORTS"
step() {  # step NAME PLAYBOOK RUN_ID [EXTRA_VARS_JSON]: one ansible-playbook run; its output and its folder kept
    extra=${4:-}
    [ -n "$extra" ] || extra="{}"
    GENESYSCLOUD_CX_RECORD_FILE="$OUT/$1.records.json" ansible-playbook -i "$INVENTORY" "genesyscloud.cx.$2" \
        -e "$VARS" -e "{\"data_action_timeouts_run_id\": \"$3\"}" -e "$extra" > "$OUT/$1.output" 2>&1
    echo $? > "$OUT/$1.rc"
    mkdir -p "$OUT/$1.files" && cp -a "$REPORTS/." "$OUT/$1.files/"
}
step full remediate full
mount -o remount,size=64m tmpfs "$REPORTS"  # someone makes room
step next audit next
step undo rollback undo "{\"data_action_timeouts_rollback_report\": \"$REPORTS/full/$ORG.journal.jsonl\"}"
step quiet audit quiet
"""
SMALL_DISK_STEPS = ("full", "next", "undo", "quiet")


def on_a_small_disk(collections_path, workdir, inventory_path, variables, size, org):
    """A remediation whose report folder (``variables['data_action_timeouts_report_dir']``) is a tmpfs of ``size``,
    then, once the disk has room again, an audit, a rollback from the remediation's journal and another audit.

    The tmpfs lives in a mount namespace of its own, as root there (a user namespace mapped to root when the tests
    do not run as root): no one else sees it, and it goes with the namespace whatever happens to the test. Returns,
    by step, ``rc``, ``output``, ``records`` (the task results) and ``files`` (a copy of the report folder).
    """
    from tests.integration.conftest import BIN_DIR, CALLBACK_DIR  # the fixtures' module, loaded by pytest first

    out = os.path.join(workdir, "small-disk")
    reports = variables["data_action_timeouts_report_dir"]
    os.makedirs(out)
    os.makedirs(reports)
    env = dict((k, v) for k, v in os.environ.items() if not k.startswith("GENESYSCLOUD_"))
    env.update({
        "ANSIBLE_COLLECTIONS_PATH": collections_path, "ANSIBLE_RETRY_FILES_ENABLED": "0", "ANSIBLE_NOCOLOR": "1",
        "ANSIBLE_CALLBACK_PLUGINS": CALLBACK_DIR, "ANSIBLE_CALLBACKS_ENABLED": "record_results",
        "ANSIBLE_LOCAL_TEMP": os.path.join(workdir, "local-tmp"), "ANSIBLE_HOME": os.path.join(workdir, "ansible-home"),
        "PATH": BIN_DIR + os.pathsep + os.environ.get("PATH", ""),
        "SIZE": size, "REPORTS": reports, "OUT": out, "INVENTORY": inventory_path, "ORG": org,
        "VARS": json.dumps(variables),
    })
    command = ["unshare", "--mount", "--propagation", "private"]
    if os.geteuid() != 0:
        command[1:1] = ["--user", "--map-root-user"]
    completed = subprocess.run(command + ["sh", "-c", SMALL_DISK_SCRIPT], env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, universal_newlines=True, timeout=1800, check=False)
    assert completed.returncode == 0, completed.stdout
    assert os.listdir(reports) == []  # the tmpfs was the namespace's alone, and went with it
    steps = {}
    for name in SMALL_DISK_STEPS:
        with open(os.path.join(out, name + ".rc")) as stream:
            rc = int(stream.read())
        with open(os.path.join(out, name + ".output")) as stream:
            output = stream.read()
        with open(os.path.join(out, name + ".records.json")) as stream:
            records = json.load(stream)
        steps[name] = {"rc": rc, "output": output, "records": records, "files": os.path.join(out, name + ".files")}
    return steps


class PlaybookJob(object):
    """One ``ansible-playbook`` in its own process group, as a shell runs a job, so that a test can signal it as a
    terminal's Ctrl-C does, and wait until it and every process it started (its workers, a module process: any
    process whose command line names ``workdir``) have ended."""

    def __init__(self, command, env, workdir):
        self.workdir = workdir
        self.output = open(os.path.join(workdir, "output.txt"), "w+")
        self.process = subprocess.Popen(command, cwd=workdir, env=env, stdin=subprocess.DEVNULL, stdout=self.output,
                                        stderr=subprocess.STDOUT, start_new_session=True)

    def signal(self, signum):
        """Send ``signum`` to the playbook's process group; returns when it was sent (time.time())."""
        sent_at = time.time()
        os.killpg(self.process.pid, signum)
        return sent_at

    def processes(self):
        """Pids of the job's processes still there."""
        found = []
        marker = self.workdir.encode()
        for entry in os.listdir("/proc"):
            if not entry.isdigit():
                continue
            try:
                with open("/proc/%s/cmdline" % entry, "rb") as stream:
                    if marker in stream.read():
                        found.append(int(entry))
            except (IOError, OSError):
                continue
        return found

    def wait_for_everything(self, patience):
        """(the time.time() at which every process of the job had ended, the job's output). A job still there after
        ``patience`` fails the test with what each of its processes and threads was doing, and is then killed."""
        deadline = time.monotonic() + patience
        try:
            self.process.wait(patience)
        except subprocess.TimeoutExpired:
            pass
        while self.process.poll() is None or self.processes():
            if time.monotonic() >= deadline:
                raise AssertionError("the job is still there %d s after the signal:\n%s\nits output:\n%s" % (
                    patience, self.kill_and_describe(), self.read_output()))
            time.sleep(0.02)
        ended = time.time()
        return ended, self.read_output()

    def read_output(self):
        self.output.seek(0)
        return self.output.read()

    def kill_and_describe(self):
        """What each process of the job (and each of its threads) was waiting on, from /proc; then SIGKILL them."""
        pids = sorted(set(self.processes() + ([self.process.pid] if self.process.poll() is None else [])))
        lines = []
        for pid in pids:
            lines.append("process %d: %s" % (pid, _proc_state(pid)))
            for task in sorted(os.listdir("/proc/%d/task" % pid)) if os.path.isdir("/proc/%d/task" % pid) else []:
                lines.append("  thread %s: %s" % (task, _proc_state("%d/task/%s" % (pid, task))))
        for pid in pids:
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
        self.process.wait()
        return "\n".join(lines)


def _proc_state(where):
    """'<state> ppid <ppid> wchan <kernel function> <command line>' of /proc/<where> (a pid, or pid/task/tid), as far
    as it can be read."""
    from ansible_collections.genesyscloud.cx.plugins.module_utils._interruption import read_proc

    info = read_proc(where)
    try:
        with open("/proc/%s/wchan" % where) as stream:
            wchan = stream.read()
    except (IOError, OSError):
        wchan = "?"
    if info is None:
        return "gone (wchan %s)" % wchan
    command = info.command.replace(b"\0", b" ").decode("utf-8", "replace").strip()[:200]
    return "%s ppid %d wchan %s %s" % (info.state, info.ppid, wchan, command)

# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesyscloud.cx contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Ctrl-C and kill -9 to ``ansible-playbook genesyscloud.cx.remediate`` before, during and after its writes.

A remediation of 100 actions, 4 updates in flight, every request 100 ms slow. The signal goes to the playbook's
process group once the emulator's request log shows the point wanted (the listing started, N PATCHes started, all
of them), never after a blind sleep. Afterwards, from the emulator's request log and state only:

- no PATCH started after the signal beyond those already on their way (at most ``parallel``);
- the journal and the org agree: every action it shows updated holds the new timeout at the version it recorded;
  every action it shows in flight is either untouched or holds the new timeout; every other action is untouched;
- the role's rollback playbook, given the journal, restores the org exactly (apart from versions).

The role's org task runs the update in its own worker (a fork of ``ansible-playbook``, the host's interpreter being
the playbook's Python); a few cases run it as a module process instead (the interpreter the same Python run by a
script). Both run detached from the playbook (ansible-core 2.19 and later give each worker a session of its own, so
the signal never reaches them; 2.16 does not, so there they get the signal too): the test waits for the worker or
the module process itself to end before it looks.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import copy
import glob
import json
import os
import re
import signal
import time

import pytest

from tests.emulator.harness import Emulator
from tests.integration._helpers import PlaybookJob, another_python, on_a_small_disk
from tests.integration.conftest import BIN_DIR, UNPACED, _tool

from ansible_collections.genesyscloud.cx.plugins.module_utils._journal import read

ORG, CLIENT, SECRET = "org-int", "int-client", "int-Zq81xW-secret"
INTEGRATION = "5b0b8a8e-3f7c-4d1e-9a51-2f6a1c0e7d11"
ACTIONS = 100
PARALLEL = 4
LATENCY_MS = 100
TARGET = 10
PATCH = "PATCH /api/v2/integrations/actions/{actionId}"
LISTING = "GET /api/v2/integrations/actions"
# No test waits longer than this for a point of the run, or for a process to end.
PATIENCE = 120.0


def _action(n):
    return {
        "id": "custom_-_%08d-1c2d-4e5f-8a9b-%012d" % (n, n), "name": "Lookup %03d" % n, "category": "CRM",
        "integrationId": INTEGRATION, "secure": False, "version": 1 + n % 5,
        # 1..3 s: all low (threshold 3), all raised to 10 s by the remediation.
        "config": {"timeoutSeconds": 1 + n % 3,
                   "request": {"requestUrlTemplate": "https://crm.example/lookup/%d" % n, "requestType": "GET",
                               "headers": {}, "requestTemplate": "${input.rawRequest}"},
                   "response": {"translationMap": {}, "translationMapDefaults": {}, "successTemplate": "${rawResult}"},
                   "retryPolicy": {"attempts": n % 4}},
        "contract": {"input": {"inputSchema": {}}, "output": {"successSchema": {}}},
    }


SEED = {"orgs": [{
    "id": ORG, "name": "Interrupted",
    "clients": [{"client_id": CLIENT, "client_secret": SECRET, "permissions": ["*"]},
                {"client_id": "int-readonly", "client_secret": "ro-Zq81xW-secret",
                 "permissions": ["integrations:action:view"]}],
    "integrations": [{"id": INTEGRATION, "name": "CRM", "integrationType": "custom-rest-actions"}],
    "actions": [_action(n) for n in range(ACTIONS)],
}]}

INVENTORY = {"all": {"hosts": {ORG: {
    "ansible_connection": "local", "ansible_python_interpreter": "{{ ansible_playbook_python }}",
    "genesyscloud_client_id": CLIENT, "genesyscloud_client_secret": SECRET}}}}


@pytest.fixture(scope="module")
def org_emulator():
    with Emulator(args=["--random-seed", "5", "--latency-ms", str(LATENCY_MS)], seed=SEED) as emu:
        yield emu


@pytest.fixture
def emu(org_emulator):
    org_emulator.configure(faults="")
    _settle(org_emulator)
    org_emulator.reset()
    return org_emulator


def _settle(emu, patience=5.0):
    """Wait until the requests a killed run left in flight have been answered: one landing after the reset would
    change the next test's org behind its back (its PATCHes answered 200 to an action already changed)."""
    deadline = time.monotonic() + patience
    while time.monotonic() < deadline and any(e["finished"] is None for e in emu.requests()["requests"]):
        time.sleep(0.05)


def _inventory(emu, path, interpreter=None):
    inventory = copy.deepcopy(INVENTORY)
    inventory["all"]["hosts"][ORG]["genesyscloud_api_base_url"] = emu.url
    if interpreter:
        inventory["all"]["hosts"][ORG]["ansible_python_interpreter"] = interpreter
    with open(path, "w") as stream:
        json.dump(inventory, stream)
    return path


class Interrupted(PlaybookJob):
    """One ``ansible-playbook genesyscloud.cx.remediate`` in its own process group, to be signalled."""

    def __init__(self, collections_path, emu, workdir, run_id, report_dir, interpreter=None):
        self.remote_tmp = os.path.join(workdir, "remote-tmp")
        env = dict((k, v) for k, v in os.environ.items() if not k.startswith("GENESYSCLOUD_"))
        env.update({
            "ANSIBLE_COLLECTIONS_PATH": collections_path, "ANSIBLE_RETRY_FILES_ENABLED": "0", "ANSIBLE_NOCOLOR": "1",
            "ANSIBLE_LOCAL_TEMP": os.path.join(workdir, "local-tmp"), "ANSIBLE_REMOTE_TEMP": self.remote_tmp,
            "ANSIBLE_HOME": os.path.join(workdir, "ansible-home"),
            "GENESYSCLOUD_REQUESTS_PER_MINUTE": UNPACED,
            "PATH": BIN_DIR + os.pathsep + os.environ.get("PATH", ""),
        })
        variables = {"data_action_timeouts_report_dir": report_dir, "data_action_timeouts_run_id": run_id,
                     "data_action_timeouts_parallel": PARALLEL, "data_action_timeouts_max_changes": ACTIONS,
                     "data_action_timeouts_target": TARGET}
        command = [_tool("ansible-playbook"), "-i", _inventory(emu, os.path.join(workdir, "inventory.json"), interpreter),
                   "genesyscloud.cx.remediate", "-e", json.dumps(variables)]
        super(Interrupted, self).__init__(command, env, workdir)

    def modules(self):
        """Pids of the processes of this run: the playbook and its workers (their command line names the run's
        inventory), its module and the module's shell (theirs its temporary folder), all in the run's folder."""
        return self.processes()

    def wait_for_everything(self):
        """Until the playbook and the worker or module it started are gone (they may outlive a killed playbook)."""
        return super(Interrupted, self).wait_for_everything(PATIENCE)[1]


def _wait_for(emu, process, point):
    """Poll the request log until ``point`` (a route started, or N PATCHes started) is reached."""
    deadline = time.monotonic() + PATIENCE
    while True:
        entries = emu.requests()["requests"]
        if point(entries):
            return
        assert process.poll() is None, "the playbook ended before the point to interrupt it"
        assert time.monotonic() < deadline, "the run never reached the point to interrupt it"
        time.sleep(0.01)


def _patches(entries):
    return [e for e in entries if e["route"] == PATCH]


POINTS = {
    # Before the writes: the listing has started (GETs slowed to 500 ms, so planning takes a second more).
    "before": lambda entries: any(e["route"] == LISTING for e in entries),
    "after 10 PATCHes": lambda entries: len(_patches(entries)) >= 10,
    "after 60 PATCHes": lambda entries: len(_patches(entries)) >= 60,
    # After the writes: every PATCH has started; the answers, the journal's end and the reports are under way.
    "after the writes": lambda entries: len(_patches(entries)) >= ACTIONS,
}


def _gone(pid):
    """Whether process ``pid`` has ended: no such process, or a zombie that nobody has reaped yet (the killed run's
    processes are handed to a PID 1 that need not reap them at once)."""
    try:
        with open("/proc/%d/stat" % pid) as stream:
            return stream.read().rsplit(")", 1)[1].split()[0] == "Z"
    except (IOError, OSError):
        return True


def _locks(report_dir):
    """The org locks left under the report folder."""
    return sorted(glob.glob(os.path.join(report_dir, "*", "*.lock")))


def _timeout(action):
    return action["config"].get("timeoutSeconds")


def _without_version(actions):
    stripped = copy.deepcopy(actions)
    for action in stripped.values():
        action.pop("version")
    return stripped


# Every release gets each signal before, early in and after the writes: how a signal reaches a module is
# ansible-core's (a session per worker since 2.19). The point deep in the writes adds nothing another release
# could change: the main release only.
# The update as a module process (the interpreter named by another path than the playbook's): once per signal,
# during the writes.
CASES = [pytest.param(signame, point, "worker", marks=[pytest.mark.once] if point == "after 60 PATCHes" else [])
         for signame in ("SIGINT", "SIGKILL") for point in sorted(POINTS)] + [
    pytest.param(signame, "after 10 PATCHes", "module process") for signame in ("SIGINT", "SIGKILL")]


@pytest.mark.slow
@pytest.mark.parametrize("signame,point,where", CASES)
def test_an_interrupted_remediation_sends_nothing_new_and_its_journal_rolls_it_back(
        emu, collections_path, run_playbook, tmp_path, record_property, signame, point, where):
    seed = emu.actions(ORG)
    if point == "before":
        emu.configure(faults="slow=1:500,methods=GET")
    emu.clear_requests()
    report_dir = str(tmp_path / "reports")
    interpreter = None
    if where == "module process":
        # The playbook's Python by another path: data_action_timeout runs as a module process.
        interpreter = another_python(str(tmp_path))
    run = Interrupted(collections_path, emu, str(tmp_path), "interrupted", report_dir, interpreter)
    _wait_for(emu, run.process, POINTS[point])
    sent_at = run.signal(getattr(signal, signame))
    output = run.wait_for_everything()
    emu.configure(faults="")
    # A killed run's PATCHes already at the server are still answered: the log and the org are read once they are.
    _settle(emu)

    patches = _patches(emu.requests()["requests"])
    after_signal = [e for e in patches if e["started"] > sent_at]
    assert len(after_signal) <= PARALLEL, "%d PATCHes started after the signal:\n%s" % (len(after_signal), output)
    if point == "before":
        assert patches == []
    now = emu.actions(ORG)
    changed = set(i for i in seed if now[i] != seed[i])
    assert len(changed) == sum(1 for e in patches if e["status"] == 200)

    # The org's lock goes with the run, unless its holder was killed outright (SIGKILL reaches the worker on
    # ansible-core 2.16, where it shares the playbook's process group): then it is stale, its process gone.
    for lock in _locks(report_dir):
        assert signame == "SIGKILL", output
        with open(lock) as stream:
            assert _gone(json.load(stream)["pid"]), lock
    journal = os.path.join(report_dir, "interrupted", "%s.journal.jsonl" % ORG)
    figures = {"patches": len(patches), "patches_after_signal": len(after_signal), "changed": len(changed),
               "journal": os.path.exists(journal)}
    record_property("figures", "interruption %s %s, %s: %s" % (signame, point, where, json.dumps(figures, sort_keys=True)))
    if not os.path.exists(journal):
        # Stopped before it wrote anything: only possible before the writes.
        assert point == "before" and changed == set(), output
        return
    state = read(journal)
    assert state.info == {"org": ORG, "run_id": "interrupted", "mode": "remediate"}
    shown = dict((a["id"], a) for a in state.changed())
    in_flight = dict((a["id"], a) for a in state.sent_unknown())
    assert len(in_flight) <= PARALLEL
    for action_id, before in seed.items():
        after = now[action_id]
        if action_id in shown:
            outcome = shown[action_id]["outcome"]
            assert _timeout(after) == TARGET and after["version"] == outcome["version_after"], action_id
            assert outcome["timeout_seconds_before"] == _timeout(before) and outcome["version_before"] == before["version"]
            # Only the timeout and the version changed.
            assert _without_version({"a": dict(after, config=dict(after["config"], timeoutSeconds=None))}) == \
                _without_version({"a": dict(before, config=dict(before["config"], timeoutSeconds=None))})
        elif action_id in in_flight:
            assert after == before or (_timeout(after) == TARGET and after["version"] > before["version"]), action_id
        else:
            assert after == before, "%s changed, but its journal does not say so" % action_id
    if state.ended:
        assert state.stopped or len(shown) == ACTIONS  # an end record without a stop: the run got through first
    if point == "after the writes":
        assert len(shown) + len(in_flight) == ACTIONS

    emu.clear_requests()
    rollback = run_playbook("genesyscloud.cx.rollback", inventory=_inventory(emu, str(tmp_path / "inventory.json")),
                            extra_vars={"data_action_timeouts_report_dir": report_dir,
                                        "data_action_timeouts_run_id": "rollback",
                                        "data_action_timeouts_rollback_report": journal,
                                        "data_action_timeouts_max_changes": ACTIONS})
    assert _without_version(emu.actions(ORG)) == _without_version(seed)
    # One PATCH per action that had changed, none for the others.
    assert len(_patches(emu.requests()["requests"])) == len(changed)
    assert "restored" in rollback.stdout


def _warnings_about(report_dir, run_id, interrupted_run):
    with open(os.path.join(report_dir, run_id, "%s.json" % ORG)) as stream:
        report = json.load(stream)
    return [w for w in report["warnings"] if w.startswith("run %s was interrupted" % interrupted_run)]


@pytest.mark.slow
@pytest.mark.once
def test_the_next_runs_say_what_an_interrupted_run_left_until_a_rollback_restored_it_all(
        emu, collections_path, run_playbook, tmp_path):
    seed = emu.actions(ORG)
    report_dir = str(tmp_path / "reports")
    inventory = _inventory(emu, str(tmp_path / "inventory.json"))
    run = Interrupted(collections_path, emu, str(tmp_path), "interrupted", report_dir)
    _wait_for(emu, run.process, lambda entries: len(_patches(entries)) >= 30)
    run.signal(signal.SIGKILL)
    run.wait_for_everything()
    journal = os.path.join(report_dir, "interrupted", "%s.journal.jsonl" % ORG)
    changed = sorted(i for i in seed if emu.actions(ORG)[i] != seed[i])
    state = read(journal)
    assert len(state.changed()) + len(state.sent_unknown()) >= len(changed) >= 30 - PARALLEL

    def run_role(playbook, run_id, expect_rc=0, **variables):
        variables.update(data_action_timeouts_report_dir=report_dir, data_action_timeouts_run_id=run_id,
                         data_action_timeouts_max_changes=ACTIONS)
        return run_playbook("genesyscloud.cx.%s" % playbook, inventory=inventory, extra_vars=variables,
                            expect_rc=expect_rc)

    # The next run, whatever it is, says what the interrupted one left, in its report and on the screen.
    audit = run_role("audit", "audit-1")
    warnings = _warnings_about(report_dir, "audit-1", "interrupted")
    assert len(warnings) == 1 and "after changing %d action(s)" % len(state.changed()) in warnings[0]
    assert "data_action_timeouts_rollback_report=%s" % os.path.realpath(journal) in warnings[0]
    assert "run interrupted was interrupted" in audit.stdout

    # Someone changes one of them meanwhile: the rollback restores the others, leaves that one, and fails the org.
    edited = changed[0]
    emu.admin_edit(org=ORG, action_id=edited, config={"timeoutSeconds": 30}, when="now")
    rollback = run_role("rollback", "rollback-1", expect_rc=2, data_action_timeouts_rollback_report=journal)
    assert ("1 action(s) changed again since the run being rolled back were not restored (drifted): %s" % edited
            in rollback.stdout)
    now = emu.actions(ORG)
    assert _timeout(now[edited]) == 30
    assert all(_timeout(now[i]) == _timeout(seed[i]) for i in seed if i != edited)
    # Not everything came back: the next run still says so.
    run_role("audit", "audit-2")
    assert len(_warnings_about(report_dir, "audit-2", "interrupted")) == 1

    # Rolled back again, that one too (on_drift: apply): the next run is quiet about it.
    run_role("rollback", "rollback-2", data_action_timeouts_rollback_report=journal,
             data_action_timeouts_on_drift="apply")
    assert _without_version(emu.actions(ORG)) == _without_version(seed)
    run_role("audit", "audit-3")
    assert _warnings_about(report_dir, "audit-3", "interrupted") == []


@pytest.mark.once
def test_a_read_only_client_is_refused_once_and_the_org_fails_naming_the_permission(emu, run_playbook, tmp_path):
    seed = emu.actions(ORG)
    emu.clear_requests()
    inventory = copy.deepcopy(INVENTORY)
    inventory["all"]["hosts"][ORG].update(genesyscloud_api_base_url=emu.url, genesyscloud_client_id="int-readonly",
                                          genesyscloud_client_secret="ro-Zq81xW-secret")
    run = run_playbook("genesyscloud.cx.remediate", inventory=inventory, expect_rc=2, extra_vars={
        "data_action_timeouts_report_dir": str(tmp_path / "reports"), "data_action_timeouts_run_id": "ro",
        "data_action_timeouts_max_changes": ACTIONS, "data_action_timeouts_parallel": PARALLEL})
    patches = _patches(emu.requests()["requests"])
    assert [e["status"] for e in patches] == [403]
    assert emu.actions(ORG) == seed
    assert "integrations:action:edit" in run.stdout and "99 update(s) not attempted" in run.stdout
    with open(str(tmp_path / "reports" / "ro" / ("%s.json" % ORG))) as stream:
        report = json.load(stream)
    statuses = [row["status"] for row in report["rows"]]
    assert statuses.count("failed") == 1 and statuses.count("not_attempted") == ACTIONS - 1
    assert all(row["msg"].startswith("not attempted, because a request was refused for want of a permission")
               for row in report["rows"] if row["status"] == "not_attempted")


def _one_line(text):
    return " ".join(text.split())


@pytest.mark.slow
@pytest.mark.once
def test_one_writing_run_per_org_at_a_time_and_its_lock_goes_on_every_exit(emu, collections_path, run_playbook,
                                                                           tmp_path):
    report_dir = str(tmp_path / "reports")
    inventory = _inventory(emu, str(tmp_path / "inventory.json"))

    def writing(run_id, patches):
        """A run started and seen writing (``patches`` PATCHes reached the server): it, its lock and the lock's holder."""
        workdir = str(tmp_path / run_id)
        os.makedirs(workdir)
        run = Interrupted(collections_path, emu, workdir, run_id, report_dir)
        _wait_for(emu, run.process, lambda entries: len(_patches(entries)) >= patches)
        lock = os.path.join(report_dir, run_id, "%s.lock" % ORG)
        with open(lock) as stream:
            return run, lock, json.load(stream)

    def run_role(run_id, expect_rc=0):
        return run_playbook("genesyscloud.cx.remediate", inventory=inventory, expect_rc=expect_rc, extra_vars={
            "data_action_timeouts_report_dir": report_dir, "data_action_timeouts_run_id": run_id,
            "data_action_timeouts_max_changes": ACTIONS, "data_action_timeouts_target": TARGET})

    # A second run while the first writes: refused before any request, and the first is not called interrupted.
    emu.configure(faults="slow=1:400,methods=PATCH")  # the first run's writes take some 10 s
    emu.clear_requests()
    first, lock, holder = writing("first", 5)
    assert holder["run_id"] == "first" and holder["pid"] in first.modules()
    second = run_role("second", expect_rc=2)
    assert first.process.poll() is None, "the first run ended before the second one was tried"
    routes = [entry["route"] for entry in emu.requests()["requests"]]
    assert routes.count("POST /oauth/token") == 1 and routes.count(LISTING) == 1  # the first run's only
    said = _one_line(second.output)
    assert "Another run is changing org %s right now: run first (process %d on " % (ORG, holder["pid"]) in said
    assert "Nothing was sent to Genesys Cloud" in said and "was interrupted" not in said
    with open(os.path.join(report_dir, "second", "%s.json" % ORG)) as stream:
        report = json.load(stream)
    assert report["error"].startswith("Another run is changing org %s right now" % ORG)
    assert not [w for w in report.get("warnings") or [] if "interrupted" in w]
    assert not os.path.exists(os.path.join(report_dir, "second", "%s.journal.jsonl" % ORG))
    first.wait_for_everything()
    assert first.process.returncode == 0
    assert all(_timeout(action) == TARGET for action in emu.actions(ORG).values())
    assert _locks(report_dir) == []

    # SIGTERM to the playbook while it writes: the lock goes with the run.
    emu.reset()
    terminated, dummy, dummy = writing("terminated", 5)
    terminated.signal(signal.SIGTERM)
    terminated.wait_for_everything()
    assert _locks(report_dir) == []

    # SIGKILL to the process that holds the lock leaves it; the next run sees that its process is gone and goes on,
    # and says what the killed run left.
    emu.reset()
    killed, lock, holder = writing("killed", 10)
    os.kill(holder["pid"], signal.SIGKILL)
    killed.signal(signal.SIGKILL)
    killed.wait_for_everything()
    assert _locks(report_dir) == [lock]
    # The PATCHes the killed run had in flight (400 ms each) land before the org is looked at.
    assert emu.wait_until(lambda: all(e["finished"] for e in emu.requests()["requests"]), timeout=PATIENCE)
    emu.configure(faults="")
    emu.clear_requests()
    left = sum(1 for action in emu.actions(ORG).values() if _timeout(action) != TARGET)
    assert 0 < left < ACTIONS - 5
    after = run_role("after-kill")
    assert "run killed was interrupted" in _one_line(after.stdout)
    assert re.search(r"Another run", after.output) is None
    assert all(_timeout(action) == TARGET for action in emu.actions(ORG).values())
    assert len(_patches(emu.requests()["requests"])) == left
    assert _locks(report_dir) == [lock]  # the killed run's: the next run left it, and took its own in its folder


# The full disk: the report folder on a tmpfs of this size holds the run's lock and journal (some 75 KB for 100
# changes) but not the org's JSON report beside them (some 65 KB more).
SMALL_DISK = "96k"


@pytest.mark.slow
@pytest.mark.once
def test_a_full_disk_after_the_writes_hides_nothing_and_the_next_run_names_the_journal(emu, collections_path,
                                                                                       tmp_path):
    seed = emu.actions(ORG)
    reports = str(tmp_path / "reports")
    emu.clear_requests()
    steps = on_a_small_disk(collections_path, str(tmp_path), _inventory(emu, str(tmp_path / "inventory.json")), {
        "data_action_timeouts_report_dir": reports, "data_action_timeouts_max_changes": ACTIONS,
        "data_action_timeouts_parallel": PARALLEL, "data_action_timeouts_target": TARGET}, SMALL_DISK, ORG)

    def step(name):
        return steps[name]["rc"], steps[name]["output"], steps[name]["records"]

    journal = os.path.join(reports, "full", "%s.journal.jsonl" % ORG)
    # The remediation: every action changed on the server, the journal says so, the report could not be written.
    rc, output, records = step("full")
    assert rc == 2, output
    (org_task,) = [r for r in records if r["_task"].endswith("Plan, change and report on the org's timeouts")]
    assert org_task["changed"] is True and org_task["_status"] == "failed"
    assert org_task["journal"] == journal
    said = " ".join(" ".join(org_task["msg"]).split())
    assert "the run changed %d action(s) in Genesys Cloud, but its report could not be written" % ACTIONS in said
    assert "No space left on device" in said and "-e data_action_timeouts_rollback_report=%s" % journal in said
    assert '"changed": true' in output  # Ansible's recap counts no failed task as changed
    (run_task,) = [r for r in records if r["_task"].endswith("Write the run's report and publish its plan for the "
                                                             "next job of a workflow")]
    assert any(warning.startswith("%s has no report, and the run report leaves it out, but its run wrote" % ORG)
               and journal in warning for warning in run_task["warnings"])
    kept = os.path.join(steps["full"]["files"], "full")
    assert not os.path.exists(os.path.join(kept, "%s.json" % ORG))
    assert len(read(os.path.join(kept, "%s.journal.jsonl" % ORG)).changed()) == ACTIONS
    # The server took every change, then every restore of the rollback below (the steps ran one after the other).
    assert [e["status"] for e in _patches(emu.requests()["requests"])] == [200] * (2 * ACTIONS)

    # The next run in that folder names the journal whose report is missing, on the screen and in its report.
    rc, output, records = step("next")
    assert rc == 0, output
    with open(os.path.join(steps["next"]["files"], "next", "%s.json" % ORG)) as stream:
        warnings = [w for w in json.load(stream)["warnings"] if w.startswith("run full changed")]
    assert len(warnings) == 1
    assert "changed %d action(s) in this org but left no report" % ACTIONS in warnings[0]
    assert "-e data_action_timeouts_rollback_report=%s" % journal in warnings[0]
    assert "run full changed %d action(s) in this org but left no report" % ACTIONS in " ".join(output.split())

    # The journal rolls it back; then the runs are quiet about it.
    rc, output, records = step("undo")
    assert rc == 0, output
    assert _without_version(emu.actions(ORG)) == _without_version(seed)
    rc, output, records = step("quiet")
    assert rc == 0 and "left no report" not in output, output

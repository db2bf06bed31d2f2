# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesyscloud.cx contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The org lock (one writing run per org at a time, stale locks recognised) and the run folders (a run id taken by
a run that wrote, the free one beside it, the runs of a run id that changed an org)."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json
import os
import signal
import socket
import subprocess
import sys

import pytest

from ansible_collections.genesyscloud.cx.plugins.module_utils._journal import Journal
from ansible_collections.genesyscloud.cx.plugins.plugin_utils import _run_lock
from ansible_collections.genesyscloud.cx.plugins.plugin_utils._journals import interrupted_runs
from ansible_collections.genesyscloud.cx.plugins.plugin_utils._run_folders import (
    free_run_id,
    no_change_warning,
    recorded_writes,
    runs_with_changes,
)
from ansible_collections.genesyscloud.cx.plugins.plugin_utils._run_lock import LiveRun, RunLock, live_lock

ACTION = {"id": "custom_-_a", "name": "A", "timeout_seconds_before": 3, "timeout_seconds": 10, "version_before": 4}


def _journal(folder, org="prod-us", changed=True, end=True):
    os.makedirs(str(folder), exist_ok=True)
    journal = Journal.create(os.path.join(str(folder), "%s.journal.jsonl" % org),
                             {"info": {"org": org, "run_id": os.path.basename(str(folder))}, "actions": [ACTION]})
    if changed:
        journal.sending("custom_-_a", 4, 10)
        journal.outcome({"id": "custom_-_a", "name": "A", "status": "updated", "timeout_seconds_before": 3,
                         "timeout_seconds_after": 10, "version_before": 4, "version_after": 5, "msg": ""})
    else:
        journal.outcome({"id": "custom_-_a", "name": "A", "status": "unchanged", "timeout_seconds_before": 10,
                         "timeout_seconds_after": 10, "version_before": 4, "version_after": 4, "msg": ""})
    if end:
        journal.end([{"status": "updated" if changed else "unchanged"}])
    journal.close()
    return os.path.join(str(folder), "%s.journal.jsonl" % org)


def _dead_pid():
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def _write_lock(folder, org="prod-us", **holder):
    os.makedirs(str(folder), exist_ok=True)
    content = {"org": org, "run_id": os.path.basename(str(folder)), "host": socket.gethostname(), "pid": os.getpid(),
               "start": _run_lock._start_of(os.getpid()), "boot_id": _run_lock._boot_id(), "started_ns": 1,
               "started_at": "2026-01-01T00:00:00.000000Z"}
    content.update(holder)
    path = os.path.join(str(folder), "%s.lock" % org)
    with open(path, "w") as stream:
        json.dump(content, stream)
    return path


# ---- the lock ---------------------------------------------------------------------------------------------------

def test_the_lock_holds_host_and_pid_while_held_and_goes_on_the_way_out(tmp_path):
    folder = tmp_path / "r1"
    folder.mkdir()
    with RunLock(str(folder), "prod-us", "r1") as lock:
        with open(lock.path) as stream:
            holder = json.load(stream)
        assert (holder["host"], holder["pid"], holder["run_id"]) == (socket.gethostname(), os.getpid(), "r1")
        assert live_lock(str(folder), "prod-us")
    assert not os.path.exists(str(folder / "prod-us.lock"))
    with pytest.raises(RuntimeError):
        with RunLock(str(folder), "prod-us", "r1"):
            raise RuntimeError("the org failed")
    assert os.listdir(str(folder)) == []


def test_a_live_run_of_the_org_in_another_folder_refuses_the_second(tmp_path):
    _write_lock(tmp_path / "first")  # this very process: alive
    second = tmp_path / "second"
    second.mkdir()
    with pytest.raises(LiveRun) as refused:
        RunLock(str(second), "prod-us", "second").__enter__()
    assert "Another run is changing org prod-us right now: run first (process %d on %s" % (
        os.getpid(), socket.gethostname()) in str(refused.value)
    assert "Wait for it to end" in str(refused.value)
    assert os.listdir(str(second)) == []  # its own lock went again
    # Another org of the same folder is free.
    with RunLock(str(second), "prod-eu", "second"):
        pass


def test_the_same_run_id_twice_at_once_refuses_the_second(tmp_path):
    path = _write_lock(tmp_path / "r1")
    with pytest.raises(LiveRun):
        RunLock(str(tmp_path / "r1"), "prod-us", "r1").__enter__()
    assert os.path.exists(path)  # the live one's lock is left alone


@pytest.mark.parametrize("holder", [
    {"pid": "dead"},                                   # its process is gone
    {"start": "1"},                                    # the pid is another process now
    {"boot_id": "another-boot"},                       # the machine restarted
], ids=["dead pid", "reused pid", "rebooted"])
def test_a_stale_lock_is_taken_over(tmp_path, holder):
    if holder.get("pid") == "dead":
        holder = {"pid": _dead_pid()}
    if "boot_id" in holder and not _run_lock._boot_id():
        holder = {"pid": _dead_pid()}  # no boot id on this system: the dead pid stands for it
    stale = _write_lock(tmp_path / "killed", **holder)
    own = _write_lock(tmp_path / "r2", **holder)  # a killed run of this very run id too
    assert not live_lock(str(tmp_path / "killed"), "prod-us")
    with RunLock(str(tmp_path / "r2"), "prod-us", "r2") as lock:
        with open(lock.path) as stream:
            assert json.load(stream)["pid"] == os.getpid()
    assert os.path.exists(stale) and not os.path.exists(own)


def test_a_lock_of_another_host_is_live_and_the_message_says_how_to_clear_it(tmp_path):
    path = _write_lock(tmp_path / "elsewhere", host="another-controller", pid=_dead_pid())
    (tmp_path / "r2").mkdir()
    with pytest.raises(LiveRun) as refused:
        RunLock(str(tmp_path / "r2"), "prod-us", "r2").__enter__()
    assert "on another-controller" in str(refused.value)
    assert "If that run is over (its machine stopped), remove %s and run again" % path in str(refused.value)


def test_of_two_runs_started_together_only_the_later_refuses(tmp_path):
    (tmp_path / "later").mkdir()
    later = RunLock(str(tmp_path / "later"), "prod-us", "later")
    later._take()
    # The earlier run took its lock first (a smaller start stamp): it sees the later one's, and goes on.
    _write_lock(tmp_path / "earlier", started_ns=later.holder["started_ns"] - 1)
    earlier = RunLock(str(tmp_path / "earlier"), "prod-us", "earlier")
    earlier.holder = dict(later.holder, started_ns=later.holder["started_ns"] - 1)
    earlier._refuse_if_another_is_live()
    with pytest.raises(LiveRun):
        later._refuse_if_another_is_live()
    later.release()


def test_a_stop_signal_removes_the_lock_before_the_handler_it_replaced(tmp_path):
    (tmp_path / "r1").mkdir()
    seen = []

    def previous(signum, frame):
        seen.append((signum, os.path.exists(str(tmp_path / "r1" / "prod-us.lock"))))

    old = signal.signal(signal.SIGTERM, previous)
    try:
        with RunLock(str(tmp_path / "r1"), "prod-us", "r1"):
            os.kill(os.getpid(), signal.SIGTERM)
        assert seen == [(signal.SIGTERM, False)]
        assert signal.getsignal(signal.SIGTERM) is previous
    finally:
        signal.signal(signal.SIGTERM, old)


def test_the_next_run_does_not_call_a_live_run_interrupted(tmp_path):
    # A run that wrote its journal's header and holds its lock: going on, not interrupted.
    Journal.create(str(tmp_path / "live" / "prod-us.journal.jsonl"),
                   {"info": {"org": "prod-us", "run_id": "live"}, "actions": [ACTION]}).close()
    _write_lock(tmp_path / "live")
    assert interrupted_runs(str(tmp_path), "prod-us", run_id="next") == []
    # Its lock stale (its process killed): interrupted.
    _write_lock(tmp_path / "live", pid=_dead_pid())
    (message,) = interrupted_runs(str(tmp_path), "prod-us", run_id="next")
    assert message.startswith("run live was interrupted")


# ---- run folders ----------------------------------------------------------------------------------------------

def test_only_a_journal_that_records_writes_takes_a_folder(tmp_path):
    _journal(tmp_path / "dry", changed=False)
    assert recorded_writes(str(tmp_path / "dry")) == []
    path = _journal(tmp_path / "CHG-1")
    (recorded,) = recorded_writes(str(tmp_path / "CHG-1"))
    assert (recorded.org, recorded.changed, recorded.unknown, recorded.path) == ("prod-us", 1, 0, path)
    with open(str(tmp_path / "CHG-1" / "prod-eu.journal.jsonl"), "w") as stream:
        stream.write("not a journal\n")
    assert [r.org for r in recorded_writes(str(tmp_path / "CHG-1"))] == ["prod-eu", "prod-us"]


def test_the_free_run_id_is_the_first_numbered_one_that_names_no_folder(tmp_path):
    assert free_run_id(str(tmp_path), "CHG-1") == "CHG-1-2"
    (tmp_path / "CHG-1-2").mkdir()
    (tmp_path / "CHG-1-3").mkdir()
    assert free_run_id(str(tmp_path), "CHG-1") == "CHG-1-4"


def test_a_rollback_report_without_changes_names_the_report_of_its_run_id_that_has_them(tmp_path):
    _journal(tmp_path / "CHG-1")
    (tmp_path / "CHG-1" / "run.json").write_text("{}")
    _journal(tmp_path / "CHG-1-2", changed=False)
    (tmp_path / "CHG-1-2" / "run.json").write_text("{}")
    _journal(tmp_path / "CHG-10")  # another ticket
    source = str(tmp_path / "CHG-1-2" / "run.json")
    assert runs_with_changes(source, "prod-us") == [str(tmp_path / "CHG-1" / "run.json")]
    assert runs_with_changes(source, "prod-eu") == []
    warning = no_change_warning(source, "prod-us")
    assert warning.startswith("%s records no change in prod-us: this rollback restores nothing there." % source)
    assert "-e data_action_timeouts_rollback_report=%s" % (tmp_path / "CHG-1" / "run.json") in warning
    assert no_change_warning({"report_type": "run"}, "prod-us").startswith("the rollback report given as data")


def test_without_hard_links_the_lock_is_created_exclusively(tmp_path, monkeypatch):
    def no_links(source, target):
        raise PermissionError(1, "Operation not permitted")

    monkeypatch.setattr(_run_lock.os, "link", no_links)
    (tmp_path / "r1").mkdir()
    with RunLock(str(tmp_path / "r1"), "prod-us", "r1") as lock:
        with open(lock.path) as stream:
            assert json.load(stream)["pid"] == os.getpid()
        with pytest.raises(LiveRun):
            RunLock(str(tmp_path / "r1"), "prod-us", "r1").__enter__()
    assert os.listdir(str(tmp_path / "r1")) == []

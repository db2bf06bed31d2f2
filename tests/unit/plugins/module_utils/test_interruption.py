# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesyscloud.cx contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The controller watch: which processes it watches, how it notices one gone, and the signals it catches."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import os
import signal

import pytest

from ansible_collections.genesyscloud.cx.plugins.module_utils import _interruption as watch_module
from ansible_collections.genesyscloud.cx.plugins.module_utils._interruption import (
    ControllerWatch,
    ProcessInfo,
    StopSignalsHeld,
    Waits,
    controller_chain,
    read_proc,
)

PLAYBOOK = b"/usr/bin/python3\x00/usr/bin/ansible-playbook\x00site.yml\x00"
SHELL = b"/bin/sh\x00-c\x00/usr/bin/python3 /root/.ansible/tmp/AnsiballZ_data_action_timeout.py && sleep 0\x00"
MODULE = b"/usr/bin/python3\x00/root/.ansible/tmp/AnsiballZ_data_action_timeout.py\x00"


def table(*rows):
    """A fake process table: rows of (pid, ppid, session, command); read(pid) -> ProcessInfo or None."""
    processes = dict((pid, ProcessInfo(ppid, session, "start-%d" % pid, "S", command))
                     for pid, ppid, session, command in rows)
    return processes.get


def pids(chain):
    return [pid for pid, dummy in chain]


def test_ansible_2_19_the_worker_has_its_own_session_and_the_controller_is_watched():
    read = table((500, 400, 300, MODULE), (400, 300, 300, SHELL), (300, 200, 300, PLAYBOOK),  # worker: setsid
                 (200, 100, 100, PLAYBOOK), (100, 1, 100, b"-bash\x00"))
    assert pids(controller_chain(500, read)) == [400, 300, 200]


def test_ansible_2_16_shares_the_terminal_session_and_still_stops_at_the_controller():
    # No session of its own: the session rule alone would watch bash too, and a run left going with nohup
    # would stop when the terminal closes. The worker/controller pair (a fork: one command line) says where.
    read = table((500, 400, 100, MODULE), (400, 300, 100, SHELL), (300, 200, 100, PLAYBOOK),
                 (200, 150, 100, PLAYBOOK), (150, 100, 100, b"ansible-runner\x00"), (100, 1, 100, b"-bash\x00"))
    assert pids(controller_chain(500, read)) == [400, 300, 200]


def test_without_a_worker_and_controller_pair_the_ancestors_up_to_another_session_are_watched():
    read = table((500, 400, 400, MODULE), (400, 300, 400, SHELL), (300, 200, 200, b"sshd: ansible\x00"),
                 (200, 1, 200, b"sshd\x00"))
    assert pids(controller_chain(500, read)) == [400, 300]


def test_pid_1_is_never_watched_and_a_vanished_ancestor_ends_the_chain():
    read = table((500, 400, 400, MODULE), (400, 1, 400, SHELL))
    assert pids(controller_chain(500, read)) == [400]
    assert controller_chain(500, table((500, 400, 400, MODULE))) == []
    assert controller_chain(12345, table()) == []


def test_the_watch_names_the_controller_or_the_process_in_between_once_gone():
    gone = set()
    chain = [(400, None), (300, None), (200, None)]
    watch = ControllerWatch(chain, alive=lambda pid, info: pid not in gone)
    assert watch.reason() is None
    gone.add(200)
    assert watch.reason() == "its Ansible controller (process 200) is gone"
    gone.discard(200)
    assert watch.reason() == "its Ansible controller (process 200) is gone"  # once gone, always gone
    other = ControllerWatch(chain, alive=lambda pid, info: pid != 300)
    assert other.reason() == "process 300, between this module and its Ansible controller (process 200), is gone"


def test_the_first_stop_reason_stands():
    watch = ControllerWatch()
    assert watch.reason() is None
    watch.stop("it received SIGTERM")
    watch.stop("something later")
    assert watch.reason() == "it received SIGTERM"


def _fake_proc(root, pid, stat, cmdline=b"x\x00"):
    directory = root / str(pid)
    directory.mkdir()
    (directory / "stat").write_text(stat)
    (directory / "cmdline").write_bytes(cmdline)


def test_proc_stat_is_read_past_a_command_name_with_spaces_and_parentheses(tmp_path):
    fields = " ".join(str(n) for n in range(7, 53))  # fields 7 onwards, each its number: starttime is field 22
    _fake_proc(tmp_path, 42, "42 (odd) name (x)) S 7 42 9 %s\n" % fields, PLAYBOOK)
    info = read_proc(42, root=str(tmp_path))
    assert info == ProcessInfo(7, 9, "22", "S", PLAYBOOK)
    assert read_proc(43, root=str(tmp_path)) is None


def test_a_zombie_or_a_reused_pid_counts_as_gone(tmp_path, monkeypatch):
    fields = " ".join(str(n) for n in range(7, 53))
    _fake_proc(tmp_path, 42, "42 (ansible-playboo) S 7 42 9 %s\n" % fields)
    monkeypatch.setattr(watch_module, "PROC", str(tmp_path))
    monkeypatch.setattr(watch_module, "read_proc", lambda pid, root=None: read_proc(pid, str(tmp_path)))
    info = read_proc(42, str(tmp_path))
    assert watch_module._alive_in_proc(42, info)
    (tmp_path / "42" / "stat").write_text("42 (ansible-playboo) Z 7 42 9 %s\n" % fields)
    assert not watch_module._alive_in_proc(42, info)
    (tmp_path / "42" / "stat").write_text("42 (python) S 7 42 9 %s\n" % fields.replace(" 22 ", " 99 ", 1))
    assert not watch_module._alive_in_proc(42, info)  # another process got the pid
    (tmp_path / "42" / "stat").unlink()
    assert not watch_module._alive_in_proc(42, info)  # gone and reaped


@pytest.mark.skipif(not os.path.isdir("/proc/self"), reason="needs /proc")
def test_this_process_is_watched_through_proc_and_is_alive():
    watch = ControllerWatch.of_this_process()
    assert watch.reason() is None
    assert watch.controller_pid is None or watch.controller_pid > 1


def test_signals_stop_new_writes_instead_of_killing_the_module_and_are_restored():
    watch = ControllerWatch()
    before = signal.getsignal(signal.SIGHUP)
    with watch.catching_signals():
        os.kill(os.getpid(), signal.SIGHUP)
        assert watch.reason() == "it received SIGHUP"
    assert signal.getsignal(signal.SIGHUP) == before


def test_without_proc_the_chain_comes_from_ps_and_liveness_from_kill_and_getsid(monkeypatch, tmp_path):
    """macOS and the BSDs: ps is run once per ancestor at the start (through AnsibleModule.run_command)."""
    me, shell, worker, controller = os.getpid(), 900001, 900002, 900003
    table = {me: "%d %s" % (shell, "python AnsiballZ_data_action_timeout.py"),
             shell: "%d /bin/sh -c python AnsiballZ_data_action_timeout.py" % worker,
             worker: "%d /usr/bin/python3 /usr/bin/ansible-playbook site.yml" % controller,
             controller: "1 /usr/bin/python3 /usr/bin/ansible-playbook site.yml"}
    ran = []

    def run_command(args):
        ran.append(args)
        line = table.get(int(args[-1]))
        return (0, "  %s\n" % line, "") if line else (1, "", "")

    monkeypatch.setattr(watch_module, "PROC", str(tmp_path / "no-proc"))
    monkeypatch.setattr(watch_module.os, "getsid", lambda pid: 77)
    watch = ControllerWatch.of_this_process(run_command)
    assert watch.controller_pid == controller and len(ran) == 4
    assert all(args[:5] == ["ps", "-o", "ppid=", "-o", "args="] for args in ran)
    gone = set()

    def kill(pid, signum):
        if pid in gone:
            raise ProcessLookupError(pid)

    monkeypatch.setattr(watch_module.os, "kill", kill)
    assert watch.reason() is None
    gone.add(controller)
    assert watch.reason() == "its Ansible controller (process %d) is gone" % controller


def test_without_proc_nor_ps_only_the_parent_is_watched(monkeypatch, tmp_path):
    monkeypatch.setattr(watch_module, "PROC", str(tmp_path / "no-proc"))
    parent = [os.getppid()]
    monkeypatch.setattr(watch_module.os, "getppid", lambda: parent[0])
    watch = ControllerWatch.of_this_process(lambda args: (127, "", "ps: not found"))
    assert watch.reason() is None
    parent[0] = 1  # re-parented: the parent died
    assert "is gone" in watch.reason()


@pytest.mark.skipif(not os.path.isdir("/proc/self"), reason="needs /proc")
def test_a_worker_watches_its_parent_the_controller_and_notices_it_gone():
    """An action plugin's worker is a fork of ansible-playbook: its parent is the controller. Here a child process
    stands for the worker and this test for the controller; the test exits (as if killed) and the child is told."""
    read_end, write_end = os.pipe()
    child = os.fork()
    if child == 0:  # the "worker"
        os.close(read_end)
        watch = ControllerWatch.of_worker()
        answer = "%s|%s" % (watch.controller_pid, watch.reason())
        os.write(write_end, answer.encode())
        os._exit(0)
    os.close(write_end)
    answer = os.read(read_end, 200).decode()
    os.close(read_end)
    os.waitpid(child, 0)
    assert answer == "%d|None" % os.getpid()


def test_a_worker_without_proc_watches_its_parent_pid(monkeypatch, tmp_path):
    monkeypatch.setattr(watch_module, "PROC", str(tmp_path / "no-proc"))
    parent = [4242]
    monkeypatch.setattr(watch_module.os, "getppid", lambda: parent[0])
    watch = ControllerWatch.of_worker()
    assert watch.controller_pid == 4242 and watch.reason() is None
    parent[0] = 1  # re-parented: the controller died
    assert watch.reason() == "its Ansible controller (process 4242) is gone"


def test_a_worker_notices_its_controller_gone_through_proc(monkeypatch, tmp_path):
    """The controller's pid is read at the start; a zombie or a missing /proc entry is a controller gone."""
    fields = " ".join(str(n) for n in range(7, 53))
    _fake_proc(tmp_path, 4242, "4242 (ansible-playboo) S 1 4242 4242 %s\n" % fields, PLAYBOOK)
    monkeypatch.setattr(watch_module, "PROC", str(tmp_path))
    monkeypatch.setattr(watch_module.os, "getppid", lambda: 4242)
    watch = ControllerWatch.of_worker()
    assert watch.controller_pid == 4242 and watch.reason() is None
    (tmp_path / "4242" / "stat").unlink()
    assert watch.reason() == "its Ansible controller (process 4242) is gone"


def test_a_stop_ends_every_wait_at_once_and_every_later_one():
    import threading
    import time

    waits = Waits()
    outcomes = []
    threads = [threading.Thread(target=lambda: outcomes.append(waits.wait(60))) for dummy in range(3)]
    for thread in threads:
        thread.start()
    time.sleep(0.1)
    started = time.monotonic()
    waits.stop()
    for thread in threads:
        thread.join(5)
    # Each ended long before its minute (a wait that missed the stop would have gone on to its next check at least).
    assert outcomes == [False] * 3 and time.monotonic() - started < 30
    assert waits.wait(60) is False and waits.stopped


def test_a_wait_ends_when_its_check_says_stop_and_a_watch_stop_ends_its_waits():
    reasons = [None, None, "its Ansible controller is gone"]
    waits = Waits(check=lambda: reasons.pop(0) if len(reasons) > 1 else reasons[0])
    waits.CHECK_SECONDS = 0.01
    assert waits.wait(30) is False and waits.stopped
    watch = ControllerWatch()
    assert watch.waits.wait(0.01) is True
    watch.stop("it received SIGTERM")
    assert watch.waits.stopped and watch.waits.wait(30) is False


def test_a_fake_sleep_stands_for_time():
    slept = []
    waits = Waits(sleep=slept.append)
    assert waits.wait(42) is True and slept == [42]


def test_a_held_stop_signal_stops_every_watch_and_leaves_the_process_running(monkeypatch):
    # Not a group leader (as pytest's process may be): nothing is passed on to a process group.
    monkeypatch.setattr(watch_module.os, "getpgrp", lambda: -1)
    before = signal.getsignal(signal.SIGTERM)
    earlier = ControllerWatch()
    with StopSignalsHeld() as held:
        assert held.signalled() is None and earlier.reason() is None
        os.kill(os.getpid(), signal.SIGHUP)
        assert held.signalled() == "it received SIGHUP"
        assert earlier.reason() == "it received SIGHUP" and earlier.waits.stopped
        later = ControllerWatch()
        assert later.reason() == "it received SIGHUP"  # a watch made after the signal starts stopped
        os.kill(os.getpid(), signal.SIGTERM)
        assert held.signalled() == "it received SIGHUP"  # the first one stands
    assert signal.getsignal(signal.SIGTERM) is before
    with StopSignalsHeld() as again:
        assert again.signalled() is None and ControllerWatch().reason() is None


def test_the_reads_helper_threads_leave_the_stop_signals_to_the_main_thread():
    # A stop signal a helper took would wait, unhandled, until the main thread ran Python code again: a listing
    # page waiting a minute for its turn kept the run going that long (seen in CI).
    masks = watch_module.map_in_helpers(lambda n: (n, signal.pthread_sigmask(signal.SIG_BLOCK, [])), range(6), 3)
    assert [n for n, dummy in masks] == list(range(6))
    assert all({signal.SIGINT, signal.SIGTERM, signal.SIGHUP} <= set(mask) for dummy, mask in masks)
    assert signal.SIGINT not in signal.pthread_sigmask(signal.SIG_BLOCK, [])  # the main thread's own is untouched


def test_a_listing_reads_its_pages_in_such_helpers(monkeypatch):
    from ansible_collections.genesyscloud.cx.plugins.module_utils import client

    used = []

    def counted(function, items, workers):
        used.append(function)
        return watch_module.map_in_helpers(function, items, workers)

    monkeypatch.setattr(client, "map_in_helpers", counted)

    class Pages(client.GenesysCloudClient):
        def __init__(self):
            self.parallel = 4

        def get(self, path, params=None, stoppable=False):
            return {"entities": [{"id": "a%d" % params["pageNumber"]}], "pageCount": 3}

    assert [e["id"] for e in Pages().list_all("/x", page_size=1)] == ["a1", "a2", "a3"]
    assert len(used) == 1


# A signal handler runs in the main thread between any two of its steps, so it may interrupt that thread while it
# holds a lock of the watch: a second stop signal during the handler of the first (Ansible's controller forwards a
# Ctrl-C to the worker, then sends it SIGTERM as it cleans up), or a signal during a wait. A handler that waited for
# such a lock would wait forever, and the run with it (seen in CI: a dry run never ended after Ctrl-C). Each case
# runs in a process of its own, so that a handler stuck for good fails the test instead of hanging the suite.
_LOCKED_HANDLER = r'''
import os, signal, sys, threading, time
from ansible_collections.genesyscloud.cx.plugins.module_utils import _interruption as I

watch = I.ControllerWatch()
waiting = []
helper = threading.Thread(target=lambda: waiting.append(watch.waits.wait(60)))
helper.start()
time.sleep(0.2)  # the helper waits for its turn
case = sys.argv[1]
if case == "held":
    context = I.StopSignalsHeld()
    os.getpgrp = lambda: -1  # pytest's process group is not this one's to signal
else:
    context = watch.catching_signals()
with context:
    # The main thread holds the lock of the watch's waits when the signal comes, as it does in a wait of its own or
    # in the stop of a first signal's handler that a second signal interrupts.
    with watch.waits._wake:
        os.kill(os.getpid(), signal.SIGINT)
        for dummy in range(1000):
            pass  # the handler runs here, between two steps of this thread
        os.kill(os.getpid(), signal.SIGTERM)
        for dummy in range(1000):
            pass
    stopped_at = time.monotonic()
    helper.join(10)
    print("%s|%s|%.2f" % (watch.reason(), waiting, time.monotonic() - stopped_at))
'''


@pytest.mark.parametrize("case", ["caught", "held"])
def test_a_stop_signal_that_comes_while_this_thread_holds_the_watchs_lock_never_blocks_its_handler(case, tmp_path):
    import subprocess
    import sys

    # The child imports the collection as this process does.
    path = os.pathsep.join(entry for entry in sys.path if entry)
    done = subprocess.run([sys.executable, "-c", _LOCKED_HANDLER, case], capture_output=True, text=True, timeout=30,
                          env=dict(os.environ, PYTHONPATH=path), check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    reason, waiting, dummy = done.stdout.strip().split("|")
    # The helper's wait of a minute could not be woken while the lock was held: it saw the stop at its next check,
    # well within the 10 s it was given to end.
    assert reason == "it received SIGINT" and waiting == "[False]"


def test_the_first_of_stops_from_many_threads_stands_and_each_wakes_the_waits():
    import threading

    watch = ControllerWatch()
    threads = [threading.Thread(target=watch.stop, args=("reason %d" % n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert watch.reason().startswith("reason ") and watch.reason() == watch.reason()
    assert watch.waits.stopped and watch.waits.wait(30) is False

# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesyscloud.cx contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

# FOR INTERNAL COLLECTION USE ONLY
# The interfaces in this file are meant for use within the genesyscloud.cx collection and may change in
# any release.

"""Noticing that the run which started a module is gone, so that the module sends no new write.

Ansible starts a module detached from its controller: ansible-core 2.19 and later put each worker in a
session of its own (``os.setsid``), so a Ctrl-C to ``ansible-playbook`` never reaches the module, and a
controller killed outright (SIGKILL) leaves its worker, and the module under it, running to the end. A
module that writes must therefore look for itself: ``ControllerWatch.reason()`` answers, before each new
write, whether the processes between the module and its controller are all still there, and whether a
signal asked the module to stop.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import os
import signal
import threading
import weakref
from time import monotonic as _monotonic
from collections import namedtuple
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout

PROC = "/proc"
# Far more than any real chain (module, shell, worker, controller, a runner or two).
_MAX_DEPTH = 32
# Stopping signals a module may get: SIGTERM from its worker when the controller stops it (ansible-core 2.19
# and later send it to the worker's whole process group), SIGINT where it shares the terminal's process
# group (ansible-core 2.16 has no session of its own per worker), SIGHUP when a terminal or SSH session ends.
STOP_SIGNALS = ("SIGTERM", "SIGINT", "SIGHUP")


class ProcessInfo(namedtuple("ProcessInfo", "ppid session start state command")):
    """What a process is: its parent, its session, when it started (to tell a reused pid), its state
    (``Z`` a zombie: dead but not yet reaped), and its command line."""

    __slots__ = ()


def read_proc(pid, root=PROC):
    """The ProcessInfo of ``pid`` from /proc (Linux), or None when there is no such process."""
    try:
        with open(os.path.join(root, str(pid), "stat"), "rb") as stream:
            stat = stream.read().decode("utf-8", "replace")
        with open(os.path.join(root, str(pid), "cmdline"), "rb") as stream:
            command = stream.read()
    except (IOError, OSError):
        return None
    # The command name (field 2) is in parentheses and may itself hold spaces and parentheses.
    fields = stat[stat.rfind(")") + 2:].split()
    try:
        # state (3), ppid (4), session (6), starttime (22) in proc(5)'s numbering.
        return ProcessInfo(int(fields[1]), int(fields[3]), fields[19], fields[0], command)
    except (IndexError, ValueError):
        return None


def read_ps(pid, run_command):
    """The ProcessInfo of ``pid`` from ps(1) and getsid(2), where there is no /proc (macOS, BSD); None when it
    cannot be read. ``run_command`` is AnsibleModule.run_command. ``start`` is None: ps gives no start time precise
    enough to tell a reused pid."""
    try:
        rc, output, dummy = run_command(["ps", "-o", "ppid=", "-o", "args=", "-p", str(pid)])
        session = os.getsid(pid)
    except (OSError, ValueError):
        return None
    if rc != 0:
        return None
    ppid, dummy, command = output.strip().partition(" ")
    try:
        return ProcessInfo(int(ppid), session, None, None, command.strip().encode("utf-8"))
    except ValueError:
        return None


def controller_chain(pid, read):
    """``[(pid, ProcessInfo)]``: the ancestors of ``pid`` to watch, from its parent up to its controller.

    The controller is found by how Ansible starts a module: its worker is a fork of ``ansible-playbook``, so the
    first ancestor whose command line is its parent's marks the worker, and the topmost of the ancestors sharing
    that command line is the controller (ansible-runner or a shell above it is not watched: a run left running
    with nohup goes on). Without such a pair (a module started some other way), the ancestors up to the first
    one outside the module's own session are watched. Never pid 1, which is always there.
    """
    me = read(pid)
    if me is None:
        return []
    ancestors = []
    info = me
    while len(ancestors) < _MAX_DEPTH and info.ppid > 1:
        parent = read(info.ppid)
        if parent is None:
            break
        ancestors.append((info.ppid, parent))
        info = parent
    for index in range(len(ancestors) - 1):
        command = ancestors[index][1].command
        if command and ancestors[index + 1][1].command == command:
            top = index + 1
            while top + 1 < len(ancestors) and ancestors[top + 1][1].command == command:
                top += 1
            return ancestors[:top + 1]
    for index, (dummy, info) in enumerate(ancestors):
        if info.session != me.session:
            return ancestors[:index + 1]
    return ancestors


class Waits(object):
    """Every wait of a client (the rate-limit pacing, a 429's hold, a backoff, a token request's retry) goes through
    ``wait``, so that one ``stop`` ends them all at once, whichever thread waits.

    ``check``: a callable asked at least every CHECK_SECONDS during a wait, whose non-None answer stops (the
    ControllerWatch's reason, so that a controller gone during a long hold is noticed). ``sleep``: a test's fake
    clock, used instead of real waiting.

    ``stop(from_signal=True)`` is a signal handler's: Python runs a handler in the main thread between any two of
    its steps, possibly while that thread holds this object's lock (in a wait, or in the stop of a first signal that
    a second one interrupts). Such a stop never waits for the lock: it sets the flag, and wakes the waiters only when
    the lock is free; a waiter it could not wake sees the flag at its next check, at most CHECK_SECONDS later.
    """

    CHECK_SECONDS = 1.0

    def __init__(self, check=None, sleep=None):
        self._stopped = False
        self._wake = threading.Condition(threading.Lock())
        self._check = check
        self._sleep = sleep

    def stop(self, from_signal=False):
        self._stopped = True
        if self._wake.acquire(not from_signal):
            try:
                self._wake.notify_all()
            finally:
                self._wake.release()

    @property
    def stopped(self):
        if not self._stopped and self._check is not None and self._check() is not None:
            self.stop()
        return self._stopped

    def wait(self, seconds):
        """Wait ``seconds`` (at most); False when a stop came before or during the wait."""
        if self.stopped:
            return False
        if self._sleep is not None:
            self._sleep(seconds)
            return not self.stopped
        deadline = _monotonic() + max(0.0, seconds)
        while True:
            remaining = deadline - _monotonic()
            if remaining <= 0:
                return not self.stopped
            with self._wake:
                if not self._stopped:
                    self._wake.wait(min(remaining, self.CHECK_SECONDS))
            if self.stopped:
                return False


class ControllerWatch(object):
    """Whether the module may still send a new write: not after a stopping signal, nor once a process between it
    and its controller is gone.

    ``reason()`` is cheap (one small read of /proc per watched process), so it is asked before every write.
    """

    def __init__(self, chain=None, alive=None):
        self._chain = list(chain or [])
        self._alive = alive or (lambda pid, info: True)
        # Every stop's reason, the first of which stands. Appending to a list needs no lock, so a signal handler may
        # stop the watch whatever the thread it interrupts holds (see Waits).
        self._reasons = []
        # The waits of the clients of this run: a stop ends every one of them at once.
        self.waits = Waits(check=self.reason)
        _WATCHES.add(self)
        if _HELD:
            self.stop(_HELD[0])

    @classmethod
    def of_this_process(cls, run_command=None):
        """The watch of this process; ``run_command`` (AnsibleModule.run_command) runs ps where there is no /proc."""
        pid = os.getpid()
        if os.path.isdir(os.path.join(PROC, str(pid))):
            return cls(controller_chain(pid, read_proc), _alive_in_proc)
        # No /proc (macOS, BSD): the chain comes from ps, read once here rather than before every write, and
        # each process is then checked with kill(pid, 0) and getsid(2). Where even ps fails, only the parent
        # is known (os.getppid()); it changes when the parent dies and the module is re-parented.
        chain = controller_chain(pid, lambda ancestor: read_ps(ancestor, run_command)) if run_command else []
        if chain:
            return cls(chain, _alive_by_signal)
        return cls._of_parent_pid()

    @classmethod
    def _of_parent_pid(cls):
        """Only the parent, known by its pid: it changes when the parent dies and this process is re-parented."""
        parent = os.getppid()
        return cls([(parent, None)], lambda pid, info: os.getppid() == pid)

    @classmethod
    def of_worker(cls):
        """The watch of an Ansible worker itself (an action plugin doing a module's work in its own process): a
        worker is a fork of ``ansible-playbook``, so its parent is the controller."""
        parent = os.getppid()
        info = read_proc(parent, PROC) if os.path.isdir(os.path.join(PROC, str(parent))) else None
        if info is not None:
            return cls([(parent, info)], _alive_in_proc)
        return cls._of_parent_pid()  # no /proc

    @property
    def controller_pid(self):
        return self._chain[-1][0] if self._chain else None

    def stop(self, reason, from_signal=False):
        """No new write from now on, because of ``reason`` (the first reason given stands). ``from_signal``: a signal
        handler's stop, which never waits for a lock (see Waits)."""
        self._reasons.append(reason)
        self.waits.stop(from_signal)

    def reason(self):
        """Why no new write may be sent, or None while the run may go on."""
        if self._reasons:
            return self._reasons[0]
        for pid, info in self._chain:
            if not self._alive(pid, info):
                if pid == self.controller_pid:
                    self.stop("its Ansible controller (process %d) is gone" % pid)
                else:
                    self.stop("process %d, between this module and its Ansible controller (process %s), is gone"
                              % (pid, self.controller_pid))
                break
        return self._reasons[0] if self._reasons else None

    def catching_signals(self):
        """A context in which SIGTERM, SIGINT and SIGHUP stop new writes instead of killing the module at once,
        so the writes in flight are settled and recorded. Only the main thread may set signal handlers; anywhere
        else this does nothing."""
        return _SignalsCaught(self)


# Every ControllerWatch of this process, so that a stop signal held by StopSignalsHeld stops each one at once.
_WATCHES = weakref.WeakSet()
# The reason of the first stop signal StopSignalsHeld took (a list, to be set from a signal handler).
_HELD = []


class _StopSignalHandlers(object):
    """A context in which ``_handle`` takes the stop signals (STOP_SIGNALS), their earlier handlers put back after.
    Only the main thread may set signal handlers; anywhere else it does nothing."""

    def __init__(self):
        self._previous = {}

    def _handle(self, signum, frame):
        raise NotImplementedError

    def __enter__(self):
        if threading.current_thread() is threading.main_thread():
            for name in STOP_SIGNALS:
                number = getattr(signal, name, None)
                if number is not None:
                    self._previous[number] = signal.signal(number, self._handle)
        return self

    def __exit__(self, *exc_info):
        for number, handler in self._previous.items():
            signal.signal(number, handler)
        self._previous = {}
        return False


class StopSignalsHeld(_StopSignalHandlers):
    """A context (an action plugin's whole org task) in which SIGTERM, SIGINT and SIGHUP no longer end the process
    at once: each stops every ControllerWatch of the process, before and after it is made, so no new write starts,
    while the task goes on to settle its writes and write its report. Ansible's worker would otherwise die at the
    second SIGTERM it gets from a stopping controller (its own handler exits at once), between the writes and the
    report. ``signalled()`` says whether one came."""

    @staticmethod
    def signalled():
        return _HELD[0] if _HELD else None

    def _handle(self, signum, frame):
        first = not _HELD
        if first:
            _HELD.append("it received %s" % _signal_name(signum))
        for watch in list(_WATCHES):
            watch.stop(_HELD[0], from_signal=True)
        if first and os.getpgrp() == os.getpid():
            # A worker in a session of its own (ansible-core 2.17 and later) passes a stopping signal on to its
            # process group, so that a module process it started stops its writes too (Ansible's own handler
            # does the same before it ends the worker). Once: the worker gets it again, and only holds it.
            try:
                os.killpg(os.getpid(), signum)
            except OSError:
                pass

    def __enter__(self):
        del _HELD[:]
        return super(StopSignalsHeld, self).__enter__()


def leave_stop_signals_to_the_main_thread():
    """Called in a helper thread: block the stop signals there, so that the kernel hands a signal sent to the process
    to the main thread. Python runs a handler only in the main thread, and only once that thread runs Python code
    again: a signal taken by a helper thread while the main thread waits on a lock would wait with it, and the
    writes would go on. Where threads cannot block signals, wait_settled() still wakes the main thread."""
    if hasattr(signal, "pthread_sigmask"):
        numbers = [getattr(signal, name) for name in STOP_SIGNALS if hasattr(signal, name)]
        signal.pthread_sigmask(signal.SIG_BLOCK, numbers)


# How long the main thread waits for a helper before it runs Python code again (and any signal handler with it).
WAKE_SECONDS = 0.05


def wait_settled(future):
    """``future``'s result, the main thread waking every WAKE_SECONDS meanwhile, so that a stop signal's handler runs
    at once even where the signal reached another thread."""
    while True:
        try:
            return future.result(timeout=WAKE_SECONDS)
        except FutureTimeout:
            continue


def map_in_helpers(function, items, workers):
    """``[function(item) for item in items]``, up to ``workers`` at once in helper threads that leave the stop
    signals to the main thread (which wakes while it waits): a stop signal's handler runs at once, so a run that
    catches the signals stops its reads as soon as it stops its writes."""
    items = list(items)
    if workers <= 1 or len(items) <= 1:
        return [function(item) for item in items]

    def helped(item):
        leave_stop_signals_to_the_main_thread()
        return function(item)

    with ThreadPoolExecutor(max_workers=min(workers, len(items))) as pool:
        futures = [pool.submit(helped, item) for item in items]
        return [wait_settled(future) for future in futures]


class _SignalsCaught(_StopSignalHandlers):
    def __init__(self, watch):
        super(_SignalsCaught, self).__init__()
        self._watch = watch

    def _handle(self, signum, frame):
        self._watch.stop("it received %s" % _signal_name(signum), from_signal=True)


def _signal_name(signum):
    try:
        return signal.Signals(signum).name
    except ValueError:
        return "signal %d" % signum


def _alive_in_proc(pid, info, root=None):
    # Asked before every write for every watched process: one read of its stat file, without the command line.
    try:
        handle = os.open("%s/%d/stat" % (root or PROC, pid), os.O_RDONLY)
    except OSError:
        return False
    try:
        stat = os.read(handle, 4096)
    except OSError:
        return False
    finally:
        os.close(handle)
    fields = stat[stat.rfind(b")") + 2:].split()
    # A zombie has exited; only its parent has not read its exit status yet. A pid taken by a new process
    # has another start time.
    return len(fields) > 19 and fields[19].decode("ascii", "replace") == info.start and fields[0] not in (b"Z", b"X")


def _alive_by_signal(pid, info):
    try:
        os.kill(pid, 0)
        return os.getsid(pid) == info.session
    except PermissionError:
        return True  # it exists, under another user
    except OSError:
        return False

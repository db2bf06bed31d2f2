# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesyscloud.cx contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# FOR INTERNAL COLLECTION USE ONLY
# The interfaces in this file are meant for use within the genesyscloud.cx collection and may change in
# any release. The lock is documented in roles/data_action_timeouts/README.md ("One run per org at a time").

"""One writing run per org at a time: a lock file next to the org's journal (``<report_dir>/<run_id>/<org>.lock``)
that says which process on which host holds it, from before the org's first request until the org task ends.

A run that finds a live lock of the same org under the same report folder (any run id) refuses, before any
request. A lock is stale, and taken over, when its host is this one and its process is gone: the pid is not
running, or is another process now (its start time differs), or the machine restarted since (another boot id).
A lock of another host (a report folder shared between controllers) is taken as live: the collection cannot see
that host's processes; the message names the file to remove once that run is known to be over.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import datetime
import glob
import json
import os
import signal
import socket
import tempfile
import time

from ansible_collections.genesyscloud.cx.plugins.module_utils._interruption import read_proc

LOCK_SUFFIX = ".lock"
BOOT_ID = "/proc/sys/kernel/random/boot_id"
# The signals Ansible stops a worker with (SIGINT, SIGTERM; its handler kills the worker at once) and a terminal's
# end (SIGHUP): the lock goes first.
_RELEASING_SIGNALS = ("SIGINT", "SIGTERM", "SIGHUP")


def _boot_id():
    try:
        with open(BOOT_ID) as stream:
            return stream.read().strip() or None
    except (IOError, OSError):
        return None


def _start_of(pid):
    info = read_proc(pid)
    return info.start if info else None


class LiveRun(Exception):
    """Another run of the org holds its lock: the message says which, and what to do."""


def _holder_gone(holder):
    """Why the holder of a lock read from its file is known to be gone (a stale lock), or None."""
    if holder.get("host") != socket.gethostname():
        return None
    if holder.get("boot_id") and _boot_id() and holder["boot_id"] != _boot_id():
        return "its machine restarted since"
    pid = holder.get("pid")
    if not isinstance(pid, int) or pid <= 0:
        return "it names no process"
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return "its process %d is gone" % pid
    except OSError:
        pass  # not ours to signal, but there
    info = read_proc(pid)
    if info is not None and info.state == "Z":
        return "its process %d is gone" % pid
    if info is not None and holder.get("start") and info.start != holder["start"]:
        return "its process %d is gone (another process has its pid)" % pid
    return None


def _read(path):
    """The lock's content, or None when the file is gone; {} when it cannot be read (being written, or damaged)."""
    try:
        with open(path, encoding="utf-8") as stream:
            holder = json.load(stream)
    except FileNotFoundError:
        return None
    except (IOError, OSError, ValueError):
        return {}
    return holder if isinstance(holder, dict) else {}


def _order(holder, path):
    return (holder.get("started_ns") or 0, path)


class RunLock(object):
    """The org's lock for one run (``with RunLock(dest, org, run_id):``). Raises LiveRun on entry when another
    run of the org is live; removes its file on every way out, a stopping signal included."""

    def __init__(self, dest, org, run_id):
        self.path = os.path.join(dest, "%s%s" % (org, LOCK_SUFFIX))
        self.org = org
        self.run_id = run_id
        self.report_dir = os.path.dirname(os.path.abspath(dest))
        self.holder = None
        self._previous = {}

    def __enter__(self):
        self._take()
        try:
            self._refuse_if_another_is_live()
        except BaseException:
            self.release()
            raise
        self._release_on_signals()
        return self

    def __exit__(self, *exc_info):
        self.release()
        self._restore_signals()
        return False

    def _take(self):
        self.holder = {"org": self.org, "run_id": self.run_id, "host": socket.gethostname(), "pid": os.getpid(),
                       "start": _start_of(os.getpid()), "boot_id": _boot_id(), "started_ns": time.time_ns(),
                       "started_at": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")}
        directory = os.path.dirname(self.path)
        handle, temporary = tempfile.mkstemp(prefix=".%s." % os.path.basename(self.path), dir=directory)
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as stream:
                json.dump(self.holder, stream)
                stream.write("\n")
            for attempt in (1, 2):
                try:
                    self._link(temporary)
                    return
                except FileExistsError:
                    holder = _read(self.path)
                    if holder is None:
                        continue
                    gone = _holder_gone(holder) if holder else None
                    if attempt == 2 or not gone:
                        raise LiveRun(self._message(self.path, holder))
                    os.unlink(self.path)  # stale: its run was killed
            raise LiveRun(self._message(self.path, _read(self.path) or {}))
        finally:
            os.unlink(temporary)

    def _link(self, temporary):
        """Put the lock in place whole, and only where there is none (FileExistsError otherwise)."""
        try:
            os.link(temporary, self.path)
        except FileExistsError:
            raise
        except OSError:
            # A filesystem without hard links: created exclusively, then written (a reader may see it empty briefly).
            handle = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
            with os.fdopen(handle, "w", encoding="utf-8") as stream:
                json.dump(self.holder, stream)
                stream.write("\n")

    def _refuse_if_another_is_live(self):
        """The live lock of the same org in another run folder that was taken before ours: refuse. A later one
        refuses itself (it sees ours), so of two runs started at once exactly one goes on."""
        pattern = os.path.join(glob.escape(self.report_dir), "*", glob.escape(self.org) + LOCK_SUFFIX)
        mine = _order(self.holder, self.path)
        for path in sorted(glob.glob(pattern)):
            if os.path.abspath(path) == os.path.abspath(self.path):
                continue
            holder = _read(path)
            if holder is None or holder and _holder_gone(holder):
                continue
            if not holder or _order(holder, path) < mine:
                raise LiveRun(self._message(path, holder))

    def _message(self, path, holder):
        who = ("run %s (process %s on %s, started %s)" % (holder.get("run_id"), holder.get("pid"), holder.get("host"),
                                                          holder.get("started_at"))
               if holder else "a run whose lock cannot be read yet")
        advice = ("if that run is over (its machine stopped), remove %s and run again" % path
                  if holder and holder.get("host") != socket.gethostname()
                  else "wait for it to end, then run again")
        return ("Another run is changing org %s right now: %s, its lock %s. Nothing was sent to Genesys Cloud; "
                "two runs at once on one org would each plan from what the other is changing. %s."
                % (self.org, who, path, advice[0].upper() + advice[1:]))

    def release(self):
        """Remove the lock file, if it is still ours."""
        if self.holder is None:
            return
        holder, self.holder = self.holder, None
        if (_read(self.path) or {}).get("started_ns") == holder["started_ns"]:
            try:
                os.unlink(self.path)
            except OSError:
                pass

    def _release_on_signals(self):
        """Ansible's worker dies on SIGINT and SIGTERM at once, without unwinding: release the lock first, then let
        the signal do what it did (a module's own handlers, while it writes, take precedence and return normally)."""
        for name in _RELEASING_SIGNALS:
            number = getattr(signal, name, None)
            if number is None:
                continue
            try:
                self._previous[number] = signal.signal(number, self._on_signal)
            except (ValueError, OSError):
                pass  # not the main thread: the lock is released on the normal way out only

    def _on_signal(self, signum, frame):
        self.release()
        previous = self._previous.get(signum)
        self._restore_signals()
        if callable(previous):
            previous(signum, frame)
        else:
            os.kill(os.getpid(), signum)

    def _restore_signals(self):
        previous, self._previous = self._previous, {}
        for number, handler in previous.items():
            try:
                signal.signal(number, handler if handler is not None else signal.SIG_DFL)
            except (ValueError, OSError):
                pass


def live_lock(folder, org):
    """Whether the run folder ``folder`` holds a live lock of ``org``: its run is going on now."""
    holder = _read(os.path.join(folder, "%s%s" % (org, LOCK_SUFFIX)))
    return holder is not None and not (holder and _holder_gone(holder))

# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesyscloud.cx contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# FOR INTERNAL COLLECTION USE ONLY
# The interfaces in this file are meant for use within the genesyscloud.cx collection and may change in
# any release.

"""The screen of an interrupted run: where an org's task says what it changed once Ansible no longer listens.

On Ctrl-C (or SIGTERM) ``ansible-playbook`` prints "User interrupted execution" and exits at once; the org's worker
goes on for a moment to settle its writes in flight and write the org's report, and whatever it then hands to
Ansible is lost. What a user needs at that moment (how many actions were changed, and the exact command that undoes
them) is therefore written straight to the controller's standard error, which the worker keeps open from the start
of the org's task: its own, where the worker still has it (ansible-core 2.16), else the controller's through
/proc (ansible-core 2.17 and later detach each worker from the terminal). Where neither is available the reports
still say it all; nothing is written anywhere else.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import os
import stat

from ansible.module_utils.common.text.converters import to_bytes


def _is_null(fd):
    """Whether ``fd`` is /dev/null (where ansible-core 2.17 and later point a worker's standard streams)."""
    try:
        mine, null = os.fstat(fd), os.stat(os.devnull)
    except OSError:
        return True
    return stat.S_ISCHR(mine.st_mode) and mine.st_rdev == null.st_rdev


class ControllerScreen(object):
    """The controller's standard error, opened while the controller is surely there; ``say`` writes lines to it."""

    def __init__(self, fd=None):
        self._fd = fd

    @classmethod
    def open(cls, controller_pid=None):
        """The screen of this worker's controller (its parent unless ``controller_pid`` is given), or one that
        writes nowhere when it cannot be reached."""
        if not _is_null(2):
            try:
                return cls(os.dup(2))
            except OSError:
                return cls()
        path = "/proc/%d/fd/2" % (controller_pid or os.getppid())
        try:
            # Appending: a file the output goes to is written after what it holds, never over it.
            fd = os.open(path, os.O_WRONLY | os.O_APPEND | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0))
        except OSError:
            return cls()
        if _is_null(fd):
            os.close(fd)
            return cls()
        return cls(fd)

    def say(self, lines):
        """Write ``lines``, one per line; a screen gone meanwhile is not an error."""
        if self._fd is None or not lines:
            return
        data = to_bytes("".join("%s\n" % line for line in lines), errors="surrogate_or_strict")
        try:
            while data:
                data = data[os.write(self._fd, data):]
        except OSError:
            pass

    def close(self):
        if self._fd is not None:
            try:
                os.close(self._fd)
            except OSError:
                pass
            self._fd = None

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()
        return False

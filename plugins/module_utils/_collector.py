# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesyscloud.cx contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

# FOR INTERNAL COLLECTION USE ONLY
# The interfaces in this file are meant for use within the genesyscloud.cx collection and may change in
# any release.

"""Python's cyclic garbage collector paused while a run builds large data that holds no reference cycle.

A large org's listing, its analytics answer and its report rows are hundreds of thousands of dicts, lists and
strings decoded from JSON or made from it: none refers back to another, so reference counting frees every one of
them. The cyclic collector would only scan them, and everything the process held before (a whole
``ansible-playbook`` in a task's worker), again each time their number grows by a quarter: about a fifth of a
10,000-action audit's time. It is paused only around such phases (the run's reads and plan, the decoding of an
answer, the building and writing of a report), never around the writes, however long they wait; what little
cyclic garbage a phase leaves is collected as usual once the collector runs again.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import contextlib
import gc


@contextlib.contextmanager
def collector_paused():
    """Within the block, no cyclic collection; as it was after (a pause within a pause changes nothing)."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()

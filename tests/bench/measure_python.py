# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesyscloud.cx contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A Python interpreter that measures what it runs, for ``ansible_python_interpreter`` in benchmarks.

Runs the real interpreter (this one) with the same arguments and stdin, then appends one JSON line to the
file named by ``GENESYSCLOUD_CX_BENCH_RSS``: the module (from AnsiballZ_<module>.py in the arguments; or
``ansible-playbook`` for a whole run measured this way), its peak resident memory (``ru_maxrss`` of
RUSAGE_CHILDREN: the largest process of the tree, in KiB on Linux), its CPU seconds and wall seconds. Exits with
the module's exit status. _common.measuring_interpreter() writes the small shell script that ansible calls.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json
import os
import resource
import subprocess
import sys
import time


def main():
    arguments = sys.argv[1:]
    started = time.monotonic()
    status = subprocess.call([sys.executable] + arguments)
    wall = time.monotonic() - started
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    module = next((os.path.basename(a)[len('AnsiballZ_'):-len('.py')] for a in arguments
                   if os.path.basename(a).startswith('AnsiballZ_')), None)
    if module is None and arguments and os.path.basename(arguments[0]) == 'ansible-playbook':
        module = 'ansible-playbook'  # a whole run measured: its largest process, all its CPU
    module = module or ' '.join(arguments)[:80] or '(stdin)'
    path = os.environ.get('GENESYSCLOUD_CX_BENCH_RSS')
    if path:
        with open(path, 'a') as handle:
            handle.write(json.dumps({'module': module, 'max_rss_kib': usage.ru_maxrss, 'wall_s': wall,
                                     'cpu_s': usage.ru_utime + usage.ru_stime, 'status': status}) + '\n')
    sys.exit(status)


if __name__ == '__main__':
    main()

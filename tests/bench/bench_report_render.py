# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesyscloud.cx contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Render time of a large org's report (the HTML page and the Markdown), for one or more installed collections.

    .venv/bin/python tests/bench/bench_report_render.py PATH [PATH ...] [--actions 10000] [--rounds 3] [--repeat 5] [--cold]

Each PATH is a collections path holding an installed genesyscloud.cx (the first one also runs the audit that makes
the report). One emulated org of ``--actions`` generated actions (random seed 4, as benchmark 4) is audited with
observed times (``genesyscloud.cx.audit -e data_action_timeouts_use_stats=true``); its org report is then rendered
by each collection, in fresh processes taking turns (``--rounds``), each rendering ``--repeat`` times. Prints per
collection, as the best of all: the first render and write of both files in a process (what a task's worker does;
Jinja2's compiled templates in its cache folder, as after any earlier run; with ``--cold``, each process has a new
empty temporary directory, so the templates compile in it), the HTML and the Markdown alone (time.perf_counter),
and the peak of Python allocations while writing the HTML (tracemalloc).
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import argparse
import glob
import json
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import _common as common  # noqa: E402

_RENDER = r'''
import json, sys, tempfile, time, tracemalloc
sys.path.insert(0, sys.argv[1])
try:
    from ansible_collections.genesyscloud.cx.plugins.plugin_utils._report_reading import read_any_report
except ImportError:  # a collection from before _reports.py was split
    from ansible_collections.genesyscloud.cx.plugins.plugin_utils._reports import read_any_report
from ansible_collections.genesyscloud.cx.plugins.plugin_utils._report_html import render_html_pieces
from ansible_collections.genesyscloud.cx.plugins.plugin_utils._report_markdown import render_markdown
from ansible_collections.genesyscloud.cx.plugins.plugin_utils._report_files import write_report
with open(sys.argv[2]) as stream:
    kind, report = read_any_report(json.load(stream))
out = tempfile.mkdtemp(dir=sys.argv[3])
started = time.perf_counter()
write_report(out, "org", ("md", "html"), report, built=True)
first = time.perf_counter() - started
html, markdown = [], []
for dummy in range(int(sys.argv[4])):
    started = time.perf_counter()
    for piece in render_html_pieces(kind, report):
        pass
    html.append(time.perf_counter() - started)
    started = time.perf_counter()
    render_markdown(kind, report)
    markdown.append(time.perf_counter() - started)
tracemalloc.start()
write_report(out, "org", ("html",), report, built=True)
peak = tracemalloc.get_traced_memory()[1]
print(json.dumps([first, min(html), min(markdown), peak]))
'''


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('paths', nargs='+')
    parser.add_argument('--actions', type=int, default=10000)
    parser.add_argument('--rounds', type=int, default=3)
    parser.add_argument('--repeat', type=int, default=5)
    parser.add_argument('--cold', action='store_true')
    options = parser.parse_args()
    workdir = tempfile.mkdtemp(prefix='bench-render-')
    emu = common.start_emulator(['--generate', str(options.actions), '--random-seed', '4'])
    try:
        os.environ['GENESYSCLOUD_CX_COLLECTIONS_PATH'] = options.paths[0]
        orgs = common.inventory(os.path.join(workdir, 'orgs.yml'), emu.url, ['demo'])
        common.playbook(orgs, 'genesyscloud.cx.audit', workdir, extra_vars={
            'data_action_timeouts_use_stats': 'true', 'data_action_timeouts_dependencies': 'none',  # its cost is bench_flows.py's
            'data_action_timeouts_report_dir': os.path.join(workdir, 'reports')})
    finally:
        emu.stop()
    try:
        report = glob.glob(os.path.join(workdir, 'reports', '*', 'demo.json'))[0]
        runs = dict((path, []) for path in options.paths)
        for dummy in range(options.rounds):
            for path in options.paths:
                env = dict(os.environ, TMPDIR=tempfile.mkdtemp(dir=workdir)) if options.cold else None
                done = subprocess.run([sys.executable, '-c', _RENDER, path, report, workdir, str(options.repeat)],
                                      stdout=subprocess.PIPE, universal_newlines=True, check=True, env=env)
                runs[path].append(json.loads(done.stdout))
        print('machine: %s' % common.machine_line())
        print('| collection | first render and write of both files in a process, s | HTML s | Markdown s | HTML + Markdown s '
              '| peak of allocations writing the HTML, MB |')
        print('|---|---|---|---|---|---|')
        for path, measures in runs.items():
            best = [min(measure[column] for measure in measures) for column in range(4)]
            print('| %s | %.3f | %.3f | %.3f | %.3f | %.1f |' % (
                path, best[0], best[1], best[2], best[1] + best[2], best[3] / 1e6))
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == '__main__':
    main()

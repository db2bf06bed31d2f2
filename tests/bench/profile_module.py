# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesyscloud.cx contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Profile one module process against the emulator with pyinstrument (a dev dependency).

    .venv/bin/python tests/bench/profile_module.py [--module data_action_info] [--actions 10000] [--stats]
                                                   [--latency-ms 0] [--out profile.txt]

Starts an emulator with ``--actions`` generated actions (and their history), runs the module the way
Ansible does (``python -m <module> <args file>``, from the installed collection in
GENESYSCLOUD_CX_COLLECTIONS_PATH) under ``pyinstrument``, and writes its text report (call tree with wall
times; the profiler itself slows the run by about a half). data_action_info lists every action (custom
authentication ones included); data_action_timeout audits the org as the role does (check mode, the
whole org listed, actions at or below 5 s to 10 s).
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import argparse
import json
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import _common as common  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--module', default='data_action_info', choices=['data_action_info', 'data_action_timeout'])
    parser.add_argument('--actions', type=int, default=10000)
    parser.add_argument('--stats', action='store_true')
    parser.add_argument('--latency-ms', type=int, default=0)
    parser.add_argument('--out', default='profile.txt')
    options = parser.parse_args()
    emu = common.start_emulator(['--generate', str(options.actions), '--random-seed', '4',
                                 '--latency-ms', str(options.latency_ms)])
    try:
        args = {'api_base_url': emu.url, 'client_id': 'demo-client', 'client_secret': 'demo-secret',
                'stats': options.stats}
        if options.module == 'data_action_info':
            args['include_auth_actions'] = True
        else:
            args.update({'select': {'timeout_at_most': 5}, 'timeout_seconds': 10, 'mode': 'at_least',
                         'list_all': True, '_ansible_check_mode': True})
        handle, path = tempfile.mkstemp(suffix='.json')
        with os.fdopen(handle, 'w') as stream:
            json.dump({'ANSIBLE_MODULE_ARGS': args}, stream)
        env = dict(os.environ, PYTHONPATH=common.collections_path())
        subprocess.run([sys.executable, '-m', 'pyinstrument', '-r', 'text', '--show-all', '-o', options.out, '-m',
                        'ansible_collections.genesyscloud.cx.plugins.modules.%s' % options.module, path],
                       env=env, stdout=subprocess.DEVNULL, check=True)
        os.remove(path)
    finally:
        emu.stop()
    print('profile written to %s' % options.out)


if __name__ == '__main__':
    main()

# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesyscloud.cx contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Offline stand-in for the get-pip.py script that ``ansible-test --venv`` downloads.

ansible-test runs the cached script as ``python get_pip_X_Y.py [pip options] pip==X.Y``
inside a fresh venv that has no pip. The host it downloads the real script from is not
reachable from every network, so we bootstrap pip from the interpreter's own ensurepip
wheel and then let that pip install the requested version from the configured index.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import subprocess
import sys

# get-pip.py understands these two flags; plain pip does not.
_GET_PIP_ONLY_FLAGS = ('--no-setuptools', '--no-wheel')


def main():
    args = [arg for arg in sys.argv[1:] if arg not in _GET_PIP_ONLY_FLAGS]
    subprocess.check_call([sys.executable, '-m', 'ensurepip', '--default-pip'], stdout=subprocess.DEVNULL)
    subprocess.check_call([sys.executable, '-m', 'pip', 'install', '--quiet'] + args)


if __name__ == '__main__':
    main()

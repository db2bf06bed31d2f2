# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesyscloud.cx contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Make the repository importable as ``ansible_collections.genesyscloud.cx`` for plain pytest."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import os
import sys

_REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
_LINK_PARENT = os.path.join(_REPO_ROOT, "build", "pycoll", "ansible_collections", "genesyscloud")


def _expose_collection():
    link = os.path.join(_LINK_PARENT, "cx")
    if not os.path.islink(link):
        os.makedirs(_LINK_PARENT, exist_ok=True)
        try:
            os.symlink(_REPO_ROOT, link)
        except FileExistsError:  # another xdist worker won the race
            pass
    root = os.path.join(_REPO_ROOT, "build", "pycoll")
    if root not in sys.path:
        sys.path.insert(0, root)


_expose_collection()

# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesyscloud.cx contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The report folder is created and proved writable before a run sends anything."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import os
import subprocess

import pytest

from ansible_collections.genesyscloud.cx.plugins.action.timeout_report_files import prepare_folder


def test_the_folder_is_created_and_left_empty(tmp_path):
    dest = tmp_path / "reports" / "run-1"
    assert prepare_folder(str(dest)) is None
    assert dest.is_dir() and os.listdir(str(dest)) == []


def test_a_folder_that_is_a_file_is_named(tmp_path):
    blocker = tmp_path / "reports"
    blocker.write_text("not a folder")
    problem = prepare_folder(str(blocker / "run-1"))
    assert problem and "Not a directory" in problem


def _read_only(path):
    """Make ``path`` unwritable even for root (the immutable attribute), or for anyone else (mode 0555)."""
    if os.geteuid() != 0:
        path.chmod(0o555)
        return lambda: path.chmod(0o755)
    if subprocess.run(["chattr", "+i", str(path)], stderr=subprocess.DEVNULL, check=False).returncode:
        pytest.skip("running as root where chattr +i is refused: no way to make a folder read-only for root here")
    return lambda: subprocess.run(["chattr", "-i", str(path)], check=True)


def test_an_existing_read_only_folder_is_found_before_anything_is_written(tmp_path):
    dest = tmp_path / "run-1"
    dest.mkdir()
    undo = _read_only(dest)
    try:
        problem = prepare_folder(str(dest))
    finally:
        undo()
    assert problem and ("Permission denied" in problem or "Operation not permitted" in problem)
    assert os.listdir(str(dest)) == []  # no probe left behind

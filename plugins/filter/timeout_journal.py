# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesyscloud.cx contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Filter timeout_interrupted_runs (documented in timeout_interrupted_runs.yml).

The logic lives in plugins/plugin_utils/_journals.py; the journal in roles/data_action_timeouts/REPORTS.md.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from ansible_collections.genesyscloud.cx.plugins.plugin_utils._journals import interrupted_runs


def timeout_interrupted_runs(report_dir, org, run_id=None):
    return interrupted_runs(report_dir, org, run_id=run_id)


class FilterModule(object):
    """What interrupted data_action_timeout runs left, from their journals."""

    def filters(self):
        return {"timeout_interrupted_runs": timeout_interrupted_runs}

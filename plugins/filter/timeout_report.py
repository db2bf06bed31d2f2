# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesyscloud.cx contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Filters timeout_report and timeout_run_report (documented in timeout_report.yml and timeout_run_report.yml).

The logic lives in plugins/plugin_utils/_org_reports.py and _report_reading.py; the schema in roles/data_action_timeouts/REPORTS.md.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from ansible_collections.genesyscloud.cx.plugins.plugin_utils._org_reports import timeout_report
from ansible_collections.genesyscloud.cx.plugins.plugin_utils._report_reading import timeout_run_report


class FilterModule(object):
    """Build the org and run reports of data-action timeout runs."""

    def filters(self):
        return {
            "timeout_report": timeout_report,
            "timeout_run_report": timeout_run_report,
        }

# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesyscloud.cx contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Filters timeout_plan and timeout_plan_actions (documented in timeout_plan.yml and timeout_plan_actions.yml).

The logic lives in plugins/plugin_utils/_plans.py.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from ansible_collections.genesyscloud.cx.plugins.plugin_utils._plans import timeout_plan, timeout_plan_actions


class FilterModule(object):
    """Plans from timeout reports: the compact plan of a dry run, and the actions list that applies or rolls back."""

    def filters(self):
        return {
            "timeout_plan": timeout_plan,
            "timeout_plan_actions": timeout_plan_actions,
        }

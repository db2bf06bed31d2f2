# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesyscloud.cx contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Filter timeout_report_markdown (documented in timeout_report_markdown.yml); the renderer is
plugin_utils/_report_markdown.py."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from ansible_collections.genesyscloud.cx.plugins.plugin_utils._report_markdown import timeout_report_markdown


class FilterModule(object):
    """Markdown rendering of timeout reports."""

    def filters(self):
        return {"timeout_report_markdown": timeout_report_markdown}

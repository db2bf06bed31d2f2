# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesyscloud.cx contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The numbers and names REPORTS.md and the filter docs state are the code's."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import os
import re

from ansible_collections.genesyscloud.cx.plugins.module_utils.execution_stats import OVERSIZED_FACTOR
from ansible_collections.genesyscloud.cx.plugins.plugin_utils._report_html import (
    CHART_MAX_ROWS,
    OBSERVED_AXIS_SECONDS,
    OBSERVED_CHART_MAX_ROWS,
)
from ansible_collections.genesyscloud.cx.plugins.plugin_utils._report_markdown import OBSERVED_MAX_ROWS
from ansible_collections.genesyscloud.cx.plugins.plugin_utils._reports import (
    MAX_ERROR_TEXT,
    STATUSES,
    VERDICTS_BY_RISK,
)

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))))


def _read(*parts):
    with open(os.path.join(ROOT, *parts)) as handle:
        return " ".join(handle.read().split())


def _first_column(text, heading):
    """The backticked first cells of the table under a heading."""
    table = text.split(heading, 1)[1].split(" ## ", 1)[0]
    return re.findall(r"\| `([a-z_]+)` \|", table)


def test_reports_md_states_the_codes_numbers():
    text = _read("roles", "data_action_timeouts", "REPORTS.md")
    assert "It shows the %d actions with the lowest timeouts before" % CHART_MAX_ROWS in text
    assert "It shows the %d riskiest actions" % OBSERVED_CHART_MAX_ROWS in text
    assert "from %s s to %d s" % (OBSERVED_AXIS_SECONDS[0], OBSERVED_AXIS_SECONDS[1]) in text
    assert "(the %d riskiest; the HTML and JSON reports list every one)" % OBSERVED_MAX_ROWS in text
    assert "at most %d characters" % MAX_ERROR_TEXT in text
    assert OVERSIZED_FACTOR == 2 and "more than twice the recommendation" in text


def test_reports_md_lists_every_status_and_verdict():
    text = _read("roles", "data_action_timeouts", "REPORTS.md")
    assert sorted(_first_column(text, "## Statuses")) == sorted(STATUSES)
    assert _first_column(text, "| verdict | means | what to do |") == list(VERDICTS_BY_RISK)


def test_the_filter_docs_state_the_codes_numbers():
    html_doc = _read("plugins", "filter", "timeout_report_html.yml")
    assert "(the %d lowest; the table lists them all)" % CHART_MAX_ROWS in html_doc
    assert "it draws the %d riskiest" % OBSERVED_CHART_MAX_ROWS in html_doc
    assert "(the %d riskiest;" % OBSERVED_MAX_ROWS in _read("plugins", "filter", "timeout_report_markdown.yml")

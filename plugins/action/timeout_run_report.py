# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesyscloud.cx contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Write a run's report from the org reports in its folder, and publish its plan and summaries for the next job of a
workflow (docs: modules/timeout_run_report.py)."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from ansible_collections.genesyscloud.cx.plugins.plugin_utils._report_action import REPORT_WRITING_ARGS, ReportAction
from ansible_collections.genesyscloud.cx.plugins.plugin_utils._report_files import (
    published_stats,
    written_run_report,
)

_ARGS = dict({
    "dest": {"type": "path", "required": True},
    "orgs": {"type": "list", "elements": "str", "required": True},
    "run_id": {"type": "str"},
    "publish_plan_as": {"type": "str"},
    "publish_summaries_as": {"type": "str"},
    "publish_since_last_run_as": {"type": "str"},
}, **REPORT_WRITING_ARGS)


class ActionModule(ReportAction):
    """Reads the org reports and writes the run's on the controller; never contacts the managed host."""

    ARGUMENT_SPEC = _ARGS

    def _report_step(self, args, result):
        report, paths, lines, unreported = written_run_report(args["dest"], args["orgs"], args["run_id"], args["formats"])
        result.update(paths=paths, msg=lines)
        if report is None:
            return
        if unreported:
            result["warnings"] = unreported
        stats = published_stats(report, True, publish_plan_as=args["publish_plan_as"],
                                publish_summaries_as=args["publish_summaries_as"],
                                publish_since_last_run_as=args["publish_since_last_run_as"])
        self._publish(result, stats, args["show"])

# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesyscloud.cx contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Write one org's report, built from a data_action_timeout run's results (or its results file) or given as built
by the timeout_report filter (docs: modules/timeout_org_report.py)."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from ansible.errors import AnsibleActionFail

from ansible_collections.genesyscloud.cx.plugins.plugin_utils._report_action import (
    ORG_REPORT_ARGS,
    REPORT_WRITING_ARGS,
    ReportAction,
)
from ansible_collections.genesyscloud.cx.plugins.plugin_utils._report_files import (
    published_stats,
    written_org_report,
)

# What the report is made from: exactly one of these.
SOURCES = ("results", "results_file", "report")
# What goes only with a report built here.
BUILT_ONLY = ("report_options", "run_result", "interrupted_runs_in")
_ARGS = dict(ORG_REPORT_ARGS, **REPORT_WRITING_ARGS)
_ARGS.update({
    "results": {"type": "list", "elements": "dict"},
    "report": {"type": "dict"},
    "report_options": {"type": "dict"},
    "run_result": {"type": "dict"},
    "name": {"type": "str"},
    "publish_plan_as": {"type": "str"},
})


class ActionModule(ReportAction):
    """Writes the files on the controller; never contacts the managed host."""

    ARGUMENT_SPEC = _ARGS
    ARGUMENT_RULES = {"mutually_exclusive": [list(SOURCES)], "required_one_of": [list(SOURCES)]}

    def _report_step(self, args, result):
        misplaced = [key for key in BUILT_ONLY if args[key]]
        if args["report"] is not None and misplaced:
            raise AnsibleActionFail("%s go with results or results_file, not with report" % ", ".join(misplaced))
        report, built, paths, lines = written_org_report(args["dest"], args["name"], args["formats"],
                                                         report=args["report"], org_args=dict(args, error=None))
        result.update(paths=paths, msg=lines, failure=report.get("error") or "")
        self._publish(result, published_stats(report, built, publish_plan_as=args["publish_plan_as"]), args["show"])

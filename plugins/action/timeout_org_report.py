# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesyscloud.cx contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Write one org's report, built from a data_action_timeout run's results (or its results file) or given as built
by the timeout_report filter (docs: modules/timeout_org_report.py)."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from ansible.errors import AnsibleActionFail

from ansible_collections.genesyscloud.cx.plugins.plugin_utils._report_action import ReportAction
from ansible_collections.genesyscloud.cx.plugins.plugin_utils._report_files import (
    FORMATS,
    published_stats,
    written_org_report,
)

# What the report is made from: exactly one of these.
SOURCES = ("results", "results_file", "report")
# What goes only with a report built here.
BUILT_ONLY = ("report_options", "run_result", "interrupted_runs_in")
_ARGS = {
    "results": {"type": "list", "elements": "dict"},
    "results_file": {"type": "path"},
    "report": {"type": "dict"},
    "report_options": {"type": "dict"},
    "run_result": {"type": "dict"},
    "interrupted_runs_in": {"type": "path"},
    "dest": {"type": "path", "required": True},
    "name": {"type": "str"},
    "formats": {"type": "list", "elements": "str", "choices": list(FORMATS), "default": list(FORMATS)},
    "publish_plan_as": {"type": "str"},
    "show": {"type": "bool", "default": True},
}


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

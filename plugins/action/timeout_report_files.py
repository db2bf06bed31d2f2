# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesyscloud.cx contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Deprecated: the four report tasks of 0.2.0's timeout_report_files behind one name, each handed to the step its
replacement runs: timeout_run_folder (prepare), timeout_org_report (report of an org, results, results_file),
timeout_run_report (orgs). Docs: modules/timeout_report_files.py; removal: meta/runtime.yml."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from ansible.errors import AnsibleActionFail

from ansible_collections.genesyscloud.cx.plugins.plugin_utils._report_action import (
    ORG_REPORT_ARGS,
    REPORT_WRITING_ARGS,
    ReportAction,
)
from ansible_collections.genesyscloud.cx.plugins.plugin_utils._report_files import (
    file_name,
    published_stats,
    report_kind,
    run_folder,
    write_report,
    written_org_report,
    written_run_report,
)

# The options that go only with an org report built here (from results or results_file).
ORG_REPORT_ONLY = ("report_options", "error", "run_result", "interrupted_runs_in")
# What a report is made from: exactly one of these (or prepare).
SOURCES = ("report", "results", "results_file", "orgs")
_ARGS = dict(ORG_REPORT_ARGS, **REPORT_WRITING_ARGS)
_ARGS.update({
    "report": {"type": "dict"},
    "results": {"type": "list", "elements": "dict"},
    "report_options": {"type": "dict"},
    "error": {"type": "str"},
    "run_result": {"type": "dict"},
    "orgs": {"type": "list", "elements": "str"},
    "run_id": {"type": "str"},
    "name": {"type": "str"},
    "set_stats": {"type": "dict"},
    "publish_plan_as": {"type": "str"},
    "publish_summaries_as": {"type": "str"},
    "prepare": {"type": "bool", "default": False},
    "run_continues": {"type": "bool", "default": False},
    "run_id_chosen": {"type": "bool", "default": True},
})


class ActionModule(ReportAction):
    """Writes the files on the controller; never contacts the managed host."""

    ARGUMENT_SPEC = _ARGS
    ARGUMENT_RULES = {"mutually_exclusive": [list(SOURCES)]}

    def _report_step(self, args, result):
        dest = args["dest"]
        given = [source for source in SOURCES if args[source] is not None]
        if args["prepare"]:
            if given:
                raise AnsibleActionFail("prepare writes no report: give it without %s" % ", ".join(given))
            dest = run_folder(dest, args["run_continues"], args["run_id_chosen"])
            result.update(paths=[], dest=dest, msg=["reports go to %s" % dest])
            return
        if not given:
            raise AnsibleActionFail("one of the following is required: %s (or prepare)" % ", ".join(SOURCES))
        misplaced = [key for key in ORG_REPORT_ONLY if args[key]]
        if given[0] not in ("results", "results_file") and misplaced:
            raise AnsibleActionFail("%s go with results or results_file" % ", ".join(misplaced))
        built = args["report"] is None
        if args["orgs"] is not None:
            report, paths, lines, unreported = written_run_report(dest, args["orgs"], args["run_id"], args["formats"],
                                                                  name=args["name"] or "run")
            if report is None:
                result.update(paths=[], msg=lines)
                return
            if unreported:
                result["warnings"] = unreported
        elif built or report_kind(args["report"]) == "org":
            report, built, paths, lines = written_org_report(dest, args["name"], args["formats"], report=args["report"],
                                                             org_args=args)
            result["failure"] = report.get("error") or ""
        else:
            report = args["report"]
            paths = write_report(dest, file_name(args["name"], report), args["formats"], report)
            lines = ["run %s: %d org(s); reports in %s" % (report.get("run_id"), len(report.get("orgs") or []), dest)]
        result.update(paths=paths, msg=lines)
        stats = published_stats(report, built, args["set_stats"], args["publish_plan_as"], args["publish_summaries_as"])
        self._publish(result, stats, args["show"])

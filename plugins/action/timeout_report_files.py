# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesyscloud.cx contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Write a timeout report as JSON, Markdown and HTML on the controller (docs: modules/timeout_report_files.py)."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import os

from ansible.errors import AnsibleActionFail
from ansible.plugins.action import ActionBase

from ansible_collections.genesyscloud.cx.plugins.plugin_utils._plans import plan_of, timeout_plan
from ansible_collections.genesyscloud.cx.plugins.plugin_utils._report_files import (
    FORMATS,
    org_pages_in,
    org_report,
    prepare_folder,
    run_report_of_folder,
    unreported_orgs,
    write_report,
)
from ansible_collections.genesyscloud.cx.plugins.plugin_utils._report_view import summary_lines
from ansible_collections.genesyscloud.cx.plugins.plugin_utils._run_folders import (
    free_run_id,
    recorded_writes,
    taken_message,
)

# The options that go only with an org report built here (from results or results_file).
ORG_REPORT_ONLY = ("report_options", "error", "run_result", "interrupted_runs_in")
# What a report is made from: exactly one of these (or prepare).
SOURCES = ("report", "results", "results_file", "orgs")
_ARGS = {
    "report": {"type": "dict"},
    "results": {"type": "list", "elements": "dict"},
    "results_file": {"type": "path"},
    "report_options": {"type": "dict"},
    "error": {"type": "str"},
    "run_result": {"type": "dict"},
    "interrupted_runs_in": {"type": "path"},
    "orgs": {"type": "list", "elements": "str"},
    "run_id": {"type": "str"},
    "dest": {"type": "path", "required": True},
    "name": {"type": "str"},
    "formats": {"type": "list", "elements": "str", "choices": list(FORMATS), "default": list(FORMATS)},
    "set_stats": {"type": "dict"},
    "publish_plan_as": {"type": "str"},
    "publish_summaries_as": {"type": "str"},
    "show": {"type": "bool", "default": True},
    "prepare": {"type": "bool", "default": False},
    "run_continues": {"type": "bool", "default": False},
    "run_id_chosen": {"type": "bool", "default": True},
}


class ActionModule(ActionBase):
    """Writes the files on the controller; never contacts the managed host."""

    TRANSFERS_FILES = False
    _VALID_ARGS = frozenset(_ARGS)
    _supports_check_mode = True

    def run(self, tmp=None, task_vars=None):
        result = super(ActionModule, self).run(tmp, task_vars)
        dummy, args = self.validate_argument_spec(argument_spec=_ARGS, mutually_exclusive=[list(SOURCES)])
        dest = args["dest"]
        given = [source for source in SOURCES if args[source] is not None]
        if args["prepare"]:
            if given:
                raise AnsibleActionFail("prepare writes no report: give it without %s" % ", ".join(given))
            dest = self._own_folder(dest, args)
            problem = prepare_folder(dest)
            if problem:
                raise AnsibleActionFail(
                    "Reports cannot be written into %s (%s). Nothing was sent to Genesys Cloud: make the folder "
                    "writable, or choose another one (the role: data_action_timeouts_report_dir)." % (dest, problem))
            result.update(changed=False, paths=[], dest=dest, msg=["reports go to %s" % dest])
            return result
        if not given:
            raise AnsibleActionFail("one of the following is required: %s (or prepare)" % ", ".join(SOURCES))
        built_from_results = given[0] in ("results", "results_file")
        misplaced = [key for key in ORG_REPORT_ONLY if args[key]]
        if not built_from_results and misplaced:
            raise AnsibleActionFail("%s go with results or results_file" % ", ".join(misplaced))
        interrupted = []
        if args["report"] is not None:
            report = args["report"]
        elif args["orgs"] is not None:
            report = run_report_of_folder(dest, args["orgs"], args["run_id"])
            if not report["orgs"] and not unreported_orgs(dest, args["orgs"]):
                # No org got as far as its report (each was refused before any request) and none wrote: no run to
                # report, and no empty folder left behind per attempt.
                try:
                    os.rmdir(dest)
                except OSError:
                    pass
                result.update(changed=False, paths=[], msg=["run %s: no org report to combine; nothing written" % (
                    args["run_id"] or os.path.basename(dest))])
                return result
        else:
            report, interrupted = org_report(args)
        kind = report.get("report_type")
        if kind not in ("org", "run"):
            raise AnsibleActionFail("report must be an org or a run report (report_type org or run), got %r" % kind)
        name = args["name"] or (report.get("org") if kind == "org" else "run")
        if not name or "/" in name or name.startswith("."):
            raise AnsibleActionFail("name must be a plain file name, got %r" % name)
        # A run report made from the org reports in dest links to their pages for every action's row.
        org_pages = args["orgs"] is not None and org_pages_in(dest, report)
        paths = write_report(dest, name, args["formats"], report, org_pages=org_pages, built=args["report"] is None)
        if args["results_file"]:
            # Handed over: the report holds every result now.
            try:
                os.unlink(args["results_file"])
            except OSError:
                pass
        page = next((p for p in paths if p.endswith(".html")), paths[0] if paths else None)
        if kind == "org":
            if (args["run_result"] or {}).get("failed"):
                # Ansible showed that task's error where it failed: refer to it rather than repeat it.
                lines = summary_lines(dict(report, error=None), page)
                lines.append("%s: the run failed; the error is shown above, at the task that failed, and kept in "
                             "the report" % (report.get("org") or "(org)"))
            else:
                lines = summary_lines(report, page)
            lines.extend(interrupted)
            result["failure"] = report.get("error") or ""
        else:
            lines = ["run %s: %d org(s); reports in %s" % (report.get("run_id"), len(report.get("orgs") or []), dest)]
            unreported = unreported_orgs(dest, args["orgs"] or [])
            if unreported:
                # Their changes are in no report: the run report must not look like the whole record.
                result["warnings"] = unreported
                lines.extend(unreported)
        result.update(changed=False, paths=paths, msg=lines)
        stats = dict(args["set_stats"] or {})
        if args["publish_plan_as"]:
            stats[args["publish_plan_as"]] = (timeout_plan(report) if args["report"] is not None
                                              else plan_of(kind, report))
        if args["publish_summaries_as"]:
            orgs = [report] if kind == "org" else report.get("orgs") or []
            stats[args["publish_summaries_as"]] = dict((org.get("org"), org.get("summary")) for org in orgs)
        if stats:
            result["ansible_stats"] = {"data": stats, "per_host": False, "aggregate": True}
        if args["show"]:
            result["_ansible_verbose_always"] = True
        return result

    @staticmethod
    def _own_folder(dest, args):
        """The run's folder: ``dest``, unless it holds the record of an earlier run that wrote to Genesys Cloud,
        which is never overwritten. Then the next free run id when the run id was made up here, else a refusal."""
        if args["run_continues"] or not os.path.isdir(dest):
            return dest
        recorded = recorded_writes(dest)
        if not recorded:
            # Dry runs, and runs that wrote nothing, leave nothing a rollback needs: their folder is used again.
            return dest
        free = free_run_id(os.path.dirname(dest), os.path.basename(dest))
        if not args["run_id_chosen"]:
            return os.path.join(os.path.dirname(dest), free)
        raise AnsibleActionFail(taken_message(dest, recorded, free))

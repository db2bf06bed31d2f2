# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesyscloud.cx contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""One org's step of the data_action_timeouts role: check the settings, run data_action_timeout once, write the
org's report (docs: modules/timeout_org_run.py)."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import os
import shlex

from ansible.errors import AnsibleActionFail, AnsibleFilterError
from ansible.module_utils.common.text.converters import to_text
from ansible.plugins.action import ActionBase

from ansible_collections.genesyscloud.cx.plugins.module_utils._collector import collector_paused
from ansible_collections.genesyscloud.cx.plugins.module_utils._interruption import ControllerWatch, StopSignalsHeld
from ansible_collections.genesyscloud.cx.plugins.module_utils._journal import JournalError
from ansible_collections.genesyscloud.cx.plugins.module_utils._journal import read as read_journal
from ansible_collections.genesyscloud.cx.plugins.module_utils._timeout_run import (
    MUTUALLY_EXCLUSIVE,
    REQUIRED_ONE_OF,
    argument_spec,
    run_timeouts,
)
from ansible_collections.genesyscloud.cx.plugins.module_utils.errors import scrub
from ansible_collections.genesyscloud.cx.plugins.plugin_utils._library_call import (
    UnexpectedRunError,
    call_for_task,
    with_module_defaults,
)

from ansible_collections.genesyscloud.cx.plugins.plugin_utils._plans import timeout_plan_actions
from ansible_collections.genesyscloud.cx.plugins.plugin_utils._controller_screen import ControllerScreen
from ansible_collections.genesyscloud.cx.plugins.plugin_utils._report_files import (
    FORMATS,
    org_report,
    write_report,
    write_run_report_so_far,
)
from ansible_collections.genesyscloud.cx.plugins.plugin_utils._report_view import summary_lines
from ansible_collections.genesyscloud.cx.plugins.plugin_utils._role_run import (
    module_args_of,
    plan_input_of,
    plan_source_name,
    report_options_of,
    settings_problems,
)
from ansible_collections.genesyscloud.cx.plugins.plugin_utils._run_folders import no_change_warning
from ansible_collections.genesyscloud.cx.plugins.plugin_utils._run_lock import LiveRun, RunLock
from ansible_collections.genesyscloud.cx.plugins.plugin_utils._since_last_run import compared_with_last_run
from ansible_collections.genesyscloud.cx.plugins.plugin_utils._since_view import since_lines


UPDATE_MODULE = "genesyscloud.cx.data_action_timeout"
ORG_RUN_ACTION = "genesyscloud.cx.timeout_org_run"
# Handed to data_action_timeout when given (its own defaults and environment fallbacks apply otherwise).
CONNECTION = {
    "region": {"type": "str"},
    "client_id": {"type": "str"},
    "client_secret": {"type": "str", "no_log": True},
    "access_token": {"type": "str", "no_log": True},
    "api_base_url": {"type": "str"},
    "login_base_url": {"type": "str"},
    "validate_certs": {"type": "bool"},
    "ca_path": {"type": "path"},
    "http_timeout": {"type": "int"},
    "requests_per_minute": {"type": "int"},
}
SETTINGS = {
    "mode": {"type": "str", "required": True, "choices": ["audit", "remediate", "right_size", "rollback"]},
    "playbook_mode": {"type": "str"},
    "threshold": {"type": "raw", "default": 3},
    "target": {"type": "raw", "default": 10},
    "use_stats": {"type": "bool", "default": False},
    "stats_fallback": {"type": "bool", "default": False},
    "stats_days": {"type": "int"},
    "headroom": {"type": "float"},
    "min_executions": {"type": "int"},
    "at_risk_share": {"type": "float"},
    "name_include": {"type": "list", "elements": "str", "default": []},
    "name_exclude": {"type": "list", "elements": "str", "default": []},
    "category_include": {"type": "list", "elements": "str", "default": []},
    "category_exclude": {"type": "list", "elements": "str", "default": []},
    "explicit_timeout": {"type": "bool"},
    "drafts": {"type": "str", "default": "report", "choices": ["report", "update", "ignore"]},
    "dependencies": {"type": "str", "default": "planned", "choices": ["none", "planned", "all"]},
    "dependencies_checked_in": {"type": "bool", "default": False},
    "function_timeouts": {"type": "bool", "default": False},
    "function_timeout_seconds": {"type": "raw"},
    "max_changes": {"type": "raw"},
    "plan": {"type": "raw"},
    "rollback_report": {"type": "raw"},
    "on_drift": {"type": "str", "default": "skip", "choices": ["skip", "fail", "apply"]},
    "verify": {"type": "list", "elements": "dict", "default": []},
    "parallel": {"type": "int"},
}
_ARGS = dict(CONNECTION, **{
    "settings": {"type": "dict", "required": True, "options": SETTINGS},
    "dest": {"type": "path", "required": True},
    "formats": {"type": "list", "elements": "str", "choices": list(FORMATS), "default": list(FORMATS)},
    "interrupted_runs_in": {"type": "path"},
})


class ActionModule(ActionBase):
    """Runs data_action_timeout on the controller's side of the org, then writes the org report there."""

    TRANSFERS_FILES = False
    _VALID_ARGS = frozenset(_ARGS)
    _supports_check_mode = True
    _screen = None

    def _update(self, module_args, task_vars):
        """data_action_timeout's result for ``module_args``: its library called in this worker where the module
        would run on the controller with the controller's Python anyway (plugin_utils/_library_call.py), the module
        run as a module process otherwise. In this worker the results stay in memory: no file to hand them over
        through. The writes stop once the controller is gone or a signal asks the worker to stop."""
        def library(request, warn):
            return run_timeouts(request, warn, None if request.check_mode else ControllerWatch.of_worker())
        return call_for_task(self, task_vars, UPDATE_MODULE, argument_spec(), library, module_args,
                             process_only=("results_file",), kept=("results",),
                             mutually_exclusive=MUTUALLY_EXCLUSIVE, required_one_of=REQUIRED_ONE_OF)

    def _update_or_error(self, module_args, task_vars, args):
        """The run's result, or, when it raised what no run expects, a failed result saying so (no secret in it):
        the org's report is written either way."""
        try:
            return self._update(module_args, task_vars), ""
        except Exception as exc:  # pylint: disable=broad-except
            # The worker's call says it with the no_log values masked; anything else is masked with those given.
            what = to_text(exc) if isinstance(exc, UnexpectedRunError) else "%s: %s" % (type(exc).__name__, to_text(exc))
            secrets = [args.get(key) for key in ("client_secret", "access_token")] + [
                module_args.get(key) for key in ("client_secret", "access_token")]
            message = scrub("the org's run stopped on an unexpected error (%s); its journal, when it wrote, records what "
                            "changed" % what, [s for s in secrets if s])
            return {"failed": True, "changed": self._journal_records_changes(module_args.get("journal")),
                    "msg": message}, message

    @staticmethod
    def _journal_records_changes(journal):
        """Whether the run's journal (a run that writes keeps one) records a change the server confirmed."""
        if not journal or not os.path.exists(journal):
            return False
        try:
            return bool(read_journal(journal).changed())
        except JournalError:
            return False

    def _leave_out_defaults_for_other_modules(self):
        """Core gives this task the module_defaults of the collection's group, as it gives them to every member of the
        group: those this action does not take are meant for the other modules (a page size, a pace). They are left
        out of the task's arguments here; the org's data_action_timeout call takes its defaults itself."""
        defaults = with_module_defaults(self, ORG_RUN_ACTION, {}) if self._task.module_defaults else {}
        others = [key for key in self._task.args if key not in _ARGS and key in defaults]
        for key in others:
            del self._task.args[key]

    def run(self, tmp=None, task_vars=None):
        self._leave_out_defaults_for_other_modules()  # before ActionBase.run, which refuses an option not in _ARGS
        result = super(ActionModule, self).run(tmp, task_vars)
        task_vars = task_vars or {}
        dummy, args = self.validate_argument_spec(argument_spec=_ARGS)
        settings = args["settings"]
        org = to_text(task_vars.get("inventory_hostname") or "")
        dest = args["dest"]
        run_id = os.path.basename(dest.rstrip("/"))
        if settings["mode"] == "audit":
            # An audit is the plan of a remediation that writes nothing, whatever the task's check_mode says.
            self._task.check_mode = True
        dry_run = bool(self._task.check_mode)
        options = report_options_of(settings, org, dry_run, run_id, api_base_url=args["api_base_url"])

        # Settings that do not fit together, and a plan that cannot be used, stop the org before any request. Nothing
        # happened to report: the message says why, and no report is left behind (one per attempt, else).
        failure = "; ".join(settings_problems(settings))
        run = {}
        warnings = []
        if not failure:
            plan_actions, failure = self._plan_actions(settings, org)
            if not failure and settings["mode"] == "rollback" and not plan_actions:
                # A report that records no change (a rerun's, a dry run's) restores nothing: say which run did change.
                warnings.append(no_change_warning(settings["rollback_report"], org))
                options["warnings"] = list(warnings)
        if failure:
            result.update(failed=True, changed=False, msg=["%s: refused before any request, nothing written: %s" % (
                org or "(org)", " ".join(failure.split()))])
            result["_ansible_verbose_always"] = True
            return result
        lock = held = None
        try:
            if not failure:
                # The module hands its results over in a file there (the role's first task made and probed the folder).
                try:
                    os.makedirs(dest, mode=0o755, exist_ok=True)
                except OSError as exc:
                    raise AnsibleActionFail("cannot create the report folder %s: %s" % (dest, to_text(exc)))
            if not failure and not dry_run:
                # One writing run per org at a time, from before its first request until its report is written.
                try:
                    lock = RunLock(dest, org or "org", run_id).__enter__()
                except LiveRun as exc:
                    failure = to_text(exc)
                except OSError as exc:
                    failure = "The lock of org %s cannot be written in %s (%s); nothing was sent to Genesys Cloud." % (
                        org, dest, to_text(exc))
            if not dry_run:
                # From here until the report is written, a stop signal stops the writes and lets the report be
                # written (the lock's own handler, which releases it as the worker dies, is not needed meanwhile). A
                # dry run writes nothing to settle: a signal ends it at once, as Ansible's worker does.
                held = StopSignalsHeld().__enter__()
            if not failure:
                module_args = module_args_of(settings, org, dry_run, dest, run_id, plan_actions)
                module_args.update((key, args[key]) for key in CONNECTION if args[key] is not None)
                if not dry_run:
                    # Opened now, while the controller is surely there: after a Ctrl-C it no longer shows what
                    # this task returns, and this is where the task says what the run changed.
                    self._screen = ControllerScreen.open()
                run, failure = self._update_or_error(module_args, task_vars, args)
            result = self._reported(result, run, settings, args, options, failure, warnings, org, dest)
            paths, by_status = result.pop("report_paths", []), result.pop("by_status", {})
            if held is not None and (run.get("interrupted") or held.signalled()) and self._screen is not None:
                run.setdefault("interrupted", held.signalled())
                self._say_interrupted(run, result, paths, by_status, args, org, dest, task_vars)
            return result
        finally:
            if held is not None:
                held.__exit__(None, None, None)
            if lock is not None:
                lock.__exit__(None, None, None)
            if self._screen is not None:
                self._screen.close()

    def _reported(self, result, run, settings, args, options, failure, warnings, org, dest):
        """The org's report written, and the task's result: what changed, where the report is, why the org failed.
        When the report cannot be written (a full disk), the result still says what changed and where the journal is."""
        changed = bool(run.get("changed")) and settings["mode"] != "audit"
        try:
            with collector_paused():  # a large org's rows: many new objects, none in a cycle (see _collector.py)
                report, interrupted, paths = self._org_report_written(run, args, options, failure, org, dest)
        except AnsibleActionFail as exc:
            if not changed:
                raise
            return self._unreported(result, run, settings, org, dest, to_text(exc.message))
        if run.get("results_file"):
            try:
                os.unlink(run["results_file"])  # handed over: the report holds every result now
            except OSError:
                pass
        page = next((p for p in paths if p.endswith(".html")), paths[0] if paths else None)
        lines = summary_lines(report, page) + since_lines(report) + interrupted
        result["report_paths"] = paths
        result["by_status"] = dict((report.get("summary") or {}).get("by_status") or {})

        # The lines name the report's page; its files are C(<org>.<format>) in dest.
        result.update(changed=changed, msg=lines)
        if report.get("error"):
            # After its report: the org fails with what the report says.
            result["failed"] = True
        for key in ("diff", "warnings", "deprecations"):
            if run.get(key):
                result[key] = run[key]
        if warnings:
            result["warnings"] = list(result.get("warnings") or []) + warnings
        # What was found and what changed, at default verbosity: a few lines per org, the details in the reports.
        result["_ansible_verbose_always"] = True
        return result

    @staticmethod
    def _org_report_written(run, args, options, failure, org, dest):
        """The org's report built from its run and written in each format: (report, interrupted runs' lines, paths)."""
        report, interrupted = org_report({
            "results_file": run.get("results_file"),
            "results": None if run.get("results_file") else run.get("results") or [],
            "report_options": options,
            "error": failure,
            "run_result": run,
            "interrupted_runs_in": args["interrupted_runs_in"],
        })
        run.pop("results", None)  # the report holds them now; a large org's are not kept while it is written
        # What moved since the org's last run, from the reports on disk (no request); before this one is written.
        report["since_last_run"] = compared_with_last_run(report, args["interrupted_runs_in"], org, dest)
        # The JSON is the record that plans, rollbacks and the run report are made from: always written.
        formats = [fmt for fmt in FORMATS if fmt in args["formats"] or fmt == "json"]
        paths = write_report(dest, org or "org", formats, report, built=True)
        return report, interrupted, paths

    def _say_interrupted(self, run, result, paths, by_status, args, org, dest, task_vars):
        """An interrupted run (Ctrl-C, SIGTERM, the controller gone): the run's report as far as it goes, and on the
        controller's screen what the org's run changed and the exact command that undoes it."""
        run_paths = []
        try:
            run_paths = write_run_report_so_far(dest, task_vars.get("ansible_play_hosts_all") or [org],
                                                os.path.basename(dest.rstrip("/")), args["formats"])
        except (AnsibleActionFail, OSError) as exc:
            result.setdefault("warnings", []).append("the run's report could not be written: %s" % to_text(
                getattr(exc, "message", exc)))
        record = next((p for p in paths if p.endswith(".json")), None) or result.get("journal") or os.path.join(
            dest, "%s.journal.jsonl" % (org or "org"))
        changed = by_status.get("updated", 0) if paths else None
        if changed is None:
            counted = "the actions its journal records as changed"
        else:
            counted = "%d action(s) changed" % changed
            others = ["%d %s" % (by_status[status], status.replace("_", " "))
                      for status in ("not_attempted", "failed") if by_status.get(status)]
            if others:
                counted += " (%s)" % ", ".join(others)
        lines = ["%s: interrupted (%s): %s before the stop; nothing more was sent." % (org, run["interrupted"], counted)]
        page = next((p for p in paths if p.endswith(".html")), paths[0] if paths else None)
        run_page = next((p for p in run_paths if p.endswith(".html")), run_paths[0] if run_paths else None)
        if page or run_page:
            lines.append("%s: reports so far: %s" % (org, ", ".join(p for p in (page, run_page) if p)))
        if changed == 0:
            lines.append("%s: nothing to undo." % org)
        else:
            command = ["ansible-playbook"]
            for source in task_vars.get("ansible_inventory_sources") or []:
                command.extend(["-i", to_text(source)])
            command.extend(["genesyscloud.cx.rollback", "--limit", org,
                            "-e", "data_action_timeouts_rollback_report=%s" % record])
            lines.append("%s: to undo it: %s" % (org, " ".join(shlex.quote(part) for part in command)))
        result["msg"] = list(result.get("msg") or []) + lines[-1:]
        self._screen.say(lines)

    @staticmethod
    def _unreported(result, run, settings, org, dest, problem):
        """The result of an org whose run changed Genesys Cloud but whose report could not be written: changed, how
        many, and the journal that records them (the report's JSON is the record rollbacks read otherwise)."""
        journal = os.path.join(dest, "%s.journal.jsonl" % (org or "org"))
        try:
            changed = len(read_journal(journal).changed())
            count = "%d action(s)" % changed
        except JournalError:
            changed, count = None, "actions"
        rollback = "genesyscloud.cx.rollback -i <inventory> --limit %s -e data_action_timeouts_rollback_report=%s" % (
            org, journal)
        if changed:
            rollback += " -e data_action_timeouts_max_changes=%d" % changed
        result.update(changed=True, failed=True, journal=journal, _ansible_verbose_always=True, msg=[
            "%s: the run changed %s in Genesys Cloud, but its report could not be written (%s). The journal %s is "
            "the record of what changed; to undo it: ansible-playbook %s" % (org, count, problem, journal, rollback)])
        for key in ("diff", "warnings"):
            if run.get(key):
                result[key] = run[key]
        return result

    @staticmethod
    def _plan_actions(settings, org):
        """The actions of an approved plan or a rollback (None when the run plans by its rule), or why the plan
        cannot be used."""
        given = plan_input_of(settings)
        if not given:
            return None, ""
        purpose = "rollback" if settings["mode"] == "rollback" else "apply"
        try:
            return timeout_plan_actions(given, purpose, org=org, source=plan_source_name(settings)), ""
        except AnsibleFilterError as exc:
            return None, to_text(exc.message)
        except (TypeError, ValueError) as exc:
            raise AnsibleActionFail("cannot read the plan: %s" % to_text(exc))

# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesyscloud.cx contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

# FOR INTERNAL COLLECTION USE ONLY
# The interfaces in this file are meant for use within the genesyscloud.cx collection and may change in
# any release. The report files are documented in roles/data_action_timeouts/REPORTS.md.

"""Org and run reports as files: the run folder, building an org report from a data_action_timeout run, rendering
and writing each format, what a report task says and publishes. Shared by the timeout_run_folder,
timeout_org_report, timeout_run_report and timeout_org_run actions (and timeout_report_files, deprecated)."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import itertools
import json
import os
import re
import tempfile

try:
    import fcntl
except ImportError:  # not on this platform: the run report is rewritten without a lock
    fcntl = None

from ansible.errors import AnsibleActionFail, AnsibleFilterError
from ansible.module_utils.common.text.converters import to_text

from ansible_collections.genesyscloud.cx.plugins.module_utils._collector import collector_paused
from ansible_collections.genesyscloud.cx.plugins.module_utils._files import write_whole
from ansible_collections.genesyscloud.cx.plugins.plugin_utils._journals import interrupted_runs
from ansible_collections.genesyscloud.cx.plugins.plugin_utils._report_html import render_html_pieces, timeout_report_html
from ansible_collections.genesyscloud.cx.plugins.plugin_utils._report_markdown import (
    render_markdown,
    timeout_report_markdown,
)
from ansible_collections.genesyscloud.cx.plugins.plugin_utils._org_reports import rate_limit_of, timeout_report
from ansible_collections.genesyscloud.cx.plugins.plugin_utils._plans import plan_of, timeout_plan
from ansible_collections.genesyscloud.cx.plugins.plugin_utils._report_reading import build_run_report
from ansible_collections.genesyscloud.cx.plugins.plugin_utils._report_view import summary_lines
from ansible_collections.genesyscloud.cx.plugins.plugin_utils._since_last_run import since_counts
from ansible_collections.genesyscloud.cx.plugins.plugin_utils._run_folders import free_run_id, recorded_writes, taken_message

FORMATS = ("json", "md", "html")
# Lists of a report whose entries (one per action) are written one per line.
ROW_LISTS = frozenset(("rows", "actions"))
# The keyword arguments of the timeout_report filter that report_options may hold.
REPORT_OPTIONS = ("org", "mode", "check_mode", "run_id", "api_base_url", "generated_at", "threshold", "target",
                  "use_stats", "stats_options", "verify_before", "verify_after", "warnings")


def report_json_pieces(value, indent=""):
    """The JSON of a report, in pieces (a row's line is one) to write without holding the whole text at once:
    indented, except that each row (an action) is one line.

    One action per line keeps a report of thousands of actions readable and diffable line by line, and is
    several times faster to write than indenting every field (json's C encoder writes each row).
    """
    inner = indent + "  "
    if isinstance(value, dict) and value:
        yield "{\n"
        for number, (key, item) in enumerate(value.items()):
            yield "%s%s%s: " % (",\n" if number else "", inner, json.dumps(key))
            if key in ROW_LISTS and isinstance(item, list):
                yield from _rows_json_pieces(item, inner)
            else:
                yield from report_json_pieces(item, inner)
        yield "\n%s}" % indent
    elif isinstance(value, list) and value:
        yield "[\n"
        for number, item in enumerate(value):
            yield ",\n" + inner if number else inner
            yield from report_json_pieces(item, inner)
        yield "\n%s]" % indent
    else:
        yield json.dumps(value)


def _rows_json_pieces(rows, indent):
    if not rows:
        yield "[]"
        return
    inner = indent + "  "
    separator = ",\n" + inner
    yield "[\n" + inner
    for number, row in enumerate(rows):
        yield (separator if number else "") + json.dumps(row)
    yield "\n%s]" % indent


def _render(report, fmt, org_pages=False, built=False):
    """The text of ``report`` in ``fmt`` (JSON and HTML in pieces, to be written one by one). ``built``: the report was made
    here (from results, or from org reports read from their files), so it is schema 2 as the readers would make it,
    and is not read again per format."""
    if fmt == "json":
        return itertools.chain(report_json_pieces(report), ["\n"])  # written piece by piece
    if built:
        kind = report["report_type"]
        return render_markdown(kind, report) if fmt == "md" else render_html_pieces(kind, report, org_pages=org_pages)
    if fmt == "md":
        return timeout_report_markdown(report)
    return timeout_report_html(report, org_pages=org_pages)


def prepare_folder(dest):
    """Create ``dest`` and prove that files can be written there, by writing a probe file and removing it.

    Before the first request of a run: reports written after the changes must never be the first to learn
    that the folder is read-only, full or not a folder at all. Returns None, or why the folder cannot be used.
    """
    try:
        os.makedirs(dest, mode=0o755, exist_ok=True)
        handle, probe = tempfile.mkstemp(prefix=".write-probe.", dir=dest)
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as stream:
                stream.write("genesyscloud.cx checks that reports can be written here\n")
                stream.flush()
                os.fsync(stream.fileno())
        finally:
            os.unlink(probe)
    except (OSError, IOError) as exc:
        return to_text(exc)
    return None


def _from_run_result(run, options):
    """The report options that the org's data_action_timeout result says."""
    taken = {}
    if run.get("api_base_url"):
        taken["api_base_url"] = run["api_base_url"]
    for key in ("verify_before", "verify_after"):
        if options.get(key) is not None and run.get(key) is not None:
            taken[key] = run[key]
    return taken


def warning_texts(warnings):
    """The texts of a module's warnings: strings as modules return them; ansible-core 2.21 hands an action
    plugin's module call its warnings as summaries (an ``event`` with a ``msg``), or as their dicts."""
    texts = []
    for warning in warnings or []:
        if isinstance(warning, dict):
            warning = (warning.get("event") or {}).get("msg") or warning.get("msg") or ""
        elif warning is not None and not isinstance(warning, str):
            warning = getattr(getattr(warning, "event", None), "msg", None) or to_text(warning)
        if warning:
            texts.append(to_text(warning))
    return texts


# How a filter's failure reaches a task that failed on its arguments: the wrapping goes, the message stays once.
_WRAPPING = (re.compile(r"^.*The filter plugin '[^']+' failed: "), re.compile(r"^.*, original message: "))
_REPEATED = re.compile(r"^(.+)\. \1$")


def _run_failure(run, options):
    """Why the org's data_action_timeout call failed: the task itself (arguments Ansible could not make, the
    message unwrapped), the module's failure, or a rollback that left drifted actions; "" when it did not."""
    if run.get("failed"):
        message = to_text(run.get("msg") or "failed")
        for wrapping in _WRAPPING:
            message = wrapping.sub("", message)
        return _REPEATED.sub(r"\1", message)
    if run.get("msg"):
        return to_text(run["msg"])
    if options.get("mode") != "rollback" or options.get("check_mode"):
        return ""
    drifted = [r.get("id") for r in run.get("results") or [] if isinstance(r, dict) and r.get("status") == "drifted"]
    if not drifted:
        return ""
    return ("%d action(s) changed again since the run being rolled back were not restored (drifted): %s%s. Check "
            "them in the report; to restore them anyway, roll back again with -e data_action_timeouts_on_drift=apply"
            % (len(drifted), ", ".join(to_text(d) for d in drifted[:10]), ", ..." if len(drifted) > 10 else ""))


def org_report(args):
    """The org report of the results given, or read from the file data_action_timeout wrote, and the messages
    of the org's interrupted runs."""
    if args["results_file"] is not None:
        path = args["results_file"]
        try:
            with open(path, encoding="utf-8") as stream:
                results = json.load(stream)
        except (OSError, IOError, ValueError) as exc:
            raise AnsibleActionFail("cannot read the results file %s: %s" % (path, to_text(exc)))
        if not isinstance(results, list):
            raise AnsibleActionFail("the results file %s holds no results list" % path)
    else:
        results = args["results"]
    options = dict(args["report_options"] or {})
    unknown = sorted(set(options) - set(REPORT_OPTIONS))
    if unknown:
        raise AnsibleActionFail("report_options: unknown option(s) %s; known: %s"
                                % (", ".join(unknown), ", ".join(REPORT_OPTIONS)))
    run = args.get("run_result") or {}
    interrupted = []
    if args.get("interrupted_runs_in"):
        try:
            interrupted = interrupted_runs(args["interrupted_runs_in"], options.get("org"),
                                           run_id=options.get("run_id"))
        except AnsibleFilterError as exc:
            raise AnsibleActionFail("cannot look for interrupted runs: %s" % to_text(exc.message))
    if run:
        options.update(_from_run_result(run, options))
    if run or interrupted:
        # data_action_timeout says its warnings as text in run_warnings; a registered result has them in warnings.
        options["warnings"] = (warning_texts(run.get("run_warnings") if "run_warnings" in run else run.get("warnings"))
                               + list(options.get("warnings") or [])
                               + interrupted)
    try:
        report = timeout_report(results, **options)
    except AnsibleFilterError as exc:
        raise AnsibleActionFail("cannot build the org report: %s" % to_text(exc.message))
    error = args.get("error") or _run_failure(run, options)
    if error:
        report["error"] = error
    # How many 429s the org's run met and how long it waited for the rate limit (the module's rate_limit).
    report["rate_limit"] = rate_limit_of(run.get("rate_limit"))
    return report, interrupted


def write_report(dest, name, formats, report, org_pages=False, built=False):
    """Write ``report`` into ``dest`` as ``<name>.<format>`` for each of ``formats``; returns the paths."""
    try:
        os.makedirs(dest, mode=0o755, exist_ok=True)
        paths = []
        for fmt in formats:
            path = os.path.join(dest, "%s.%s" % (name, fmt))
            write_whole(path, _render(report, fmt, org_pages=org_pages, built=built))
            paths.append(path)
    except (OSError, IOError) as exc:
        raise AnsibleActionFail("cannot write the report into %s: %s" % (dest, to_text(exc)))
    return paths


def run_report_of_folder(dest, orgs, run_id):
    """The run report over the org reports already written to ``dest`` as JSON (earlier serial waves too)."""
    reports = []
    for org in orgs:
        path = os.path.join(dest, "%s.json" % org)
        if not os.path.exists(path):
            continue  # an org of a later wave, or one that stopped before its report
        try:
            with open(path, encoding="utf-8") as stream:
                reports.append(json.load(stream))
        except (OSError, IOError, ValueError) as exc:
            raise AnsibleActionFail("cannot read the org report %s: %s" % (path, to_text(exc)))
    # Read from their files just now: no one else holds them, so they are not copied again.
    return build_run_report(reports, run_id=run_id, detach=False)


def org_pages_in(dest, report):
    """Whether every org of a run report has its own HTML page in ``dest``."""
    return all(org.get("org") and os.path.exists(os.path.join(dest, "%s.html" % org["org"]))
               for org in report.get("orgs") or [])


def unreported_orgs(dest, orgs):
    """What the orgs whose run wrote but left no org report (a full disk) changed: their journals are the record."""
    texts = []
    for org in orgs:
        if os.path.exists(os.path.join(dest, "%s.json" % org)):
            continue
        for recorded in recorded_writes(dest, org):
            texts.append("%s has no report, and the run report leaves it out, but its run wrote to Genesys Cloud: %s. "
                         "Roll it back from the journal if needed (-e data_action_timeouts_rollback_report=%s)."
                         % (org, recorded.describe(), recorded.path))
    return texts


def write_run_report_so_far(dest, orgs, run_id, formats):
    """The run report over the org reports ``dest`` holds now, written as ``run.<format>``: what an interrupted
    run leaves (its last task, which writes the run report, never runs). Orgs interrupted together each write it
    in turn (a lock on the folder), the last one with every org's report. Returns the paths written."""
    lock = None
    try:
        if fcntl is not None:
            lock = open(os.path.join(dest, ".run-report.flock"), "a")
            fcntl.flock(lock, fcntl.LOCK_EX)
        report = run_report_of_folder(dest, orgs, run_id)
        if not report["orgs"]:
            return []
        return write_report(dest, "run", formats, report, org_pages=org_pages_in(dest, report), built=True)
    finally:
        if lock is not None:
            lock.close()


# ---------------------------------------------------------------- the report actions' steps

def run_folder(dest, run_continues=False, run_id_chosen=True):
    """The run's folder, created and proved writable before any request: ``dest``, unless it holds the record of an
    earlier run that wrote to Genesys Cloud, which is never overwritten. Then the next free run id beside it when the
    run id was made up (not ``run_id_chosen``), else a refusal naming a free one. ``run_continues``: ``dest`` is the
    folder of the run going on (an earlier serial wave's), used as it is."""
    if not run_continues and os.path.isdir(dest):
        recorded = recorded_writes(dest)
        # Dry runs, and runs that wrote nothing, leave nothing a rollback needs: their folder is used again.
        if recorded:
            free = free_run_id(os.path.dirname(dest), os.path.basename(dest))
            if run_id_chosen:
                raise AnsibleActionFail(taken_message(dest, recorded, free))
            dest = os.path.join(os.path.dirname(dest), free)
    problem = prepare_folder(dest)
    if problem:
        raise AnsibleActionFail(
            "Reports cannot be written into %s (%s). Nothing was sent to Genesys Cloud: make the folder "
            "writable, or choose another one (the role: data_action_timeouts_report_dir)." % (dest, problem))
    return dest


def file_name(name, report):
    """The report's files' name without extension: ``name``, else the org of an org report, ``run`` for a run."""
    name = name or (report.get("org") if report.get("report_type") == "org" else "run")
    if not name or "/" in name or name.startswith("."):
        raise AnsibleActionFail("name must be a plain file name, got %r" % name)
    return name


def report_kind(report, kinds=("org", "run")):
    """The report's type, one of ``kinds``; anything else is refused."""
    kind = report.get("report_type") if isinstance(report, dict) else None
    if kind not in kinds:
        raise AnsibleActionFail("report must be %s (report_type %s), got %r" % (
            " or ".join("an %s report" % k if k == "org" else "a %s report" % k for k in kinds),
            " or ".join(kinds), kind))
    return kind


def written_org_report(dest, name, formats, report=None, org_args=None):
    """Write one org's report: ``report`` as given (built with the timeout_report filter), or built here from
    ``org_args`` (results or results_file, report_options, error, run_result, interrupted_runs_in). Returns the
    report, whether it was built here, the paths written and the lines that say what it holds."""
    interrupted = []
    built = report is None
    with collector_paused():  # a large org's rows: many new objects, none in a cycle (see module_utils/_collector.py)
        if built:
            report, interrupted = org_report(org_args)
        report_kind(report, ("org",))
        paths = write_report(dest, file_name(name, report), formats, report, built=built)
    results_file = (org_args or {}).get("results_file")
    if results_file:
        try:
            os.unlink(results_file)  # handed over: the report holds every result now
        except OSError:
            pass
    page = next((p for p in paths if p.endswith(".html")), paths[0] if paths else None)
    if ((org_args or {}).get("run_result") or {}).get("failed"):
        # Ansible showed that task's error where it failed: refer to it rather than repeat it.
        lines = summary_lines(dict(report, error=None), page)
        lines.append("%s: the run failed; the error is shown above, at the task that failed, and kept in the report"
                     % (report.get("org") or "(org)"))
    else:
        lines = summary_lines(report, page)
    return report, built, paths, lines + interrupted


def written_run_report(dest, orgs, run_id, formats, name="run"):
    """Write the run's report over the org reports ``dest`` holds for ``orgs`` (each org's ``<org>.json``; earlier
    serial waves too), its rows linked to their org pages. Returns the report (None when no org got as far as its
    report and none wrote: then nothing is written and the empty folder goes), the paths written, the lines that say
    what it holds, and a warning per org whose run wrote but left no report."""
    with collector_paused():  # the orgs' rows: many new objects, none in a cycle (see module_utils/_collector.py)
        report = run_report_of_folder(dest, orgs, run_id)
    unreported = unreported_orgs(dest, orgs)
    if not report["orgs"] and not unreported:
        # Each org was refused before any request: no run to report, and no empty folder left behind per attempt.
        try:
            os.rmdir(dest)
        except OSError:
            pass
        return None, [], ["run %s: no org report to combine; nothing written" % (run_id or os.path.basename(dest))], []
    with collector_paused():
        paths = write_report(dest, file_name(name, report), formats, report, org_pages=org_pages_in(dest, report),
                             built=True)
    lines = ["run %s: %d org(s); reports in %s" % (report.get("run_id"), len(report.get("orgs") or []), dest)]
    # Their changes are in no report: the run report must not look like the whole record.
    return report, paths, lines + unreported, unreported


def published_stats(report, built, set_stats=None, publish_plan_as=None, publish_summaries_as=None,
                    publish_since_last_run_as=None):
    """The custom stats a report task publishes for the next job of a workflow (AWX hands them over as extra
    variables), as ansible.builtin.set_stats would with per_host=false, aggregate=true; None when there are none."""
    stats = dict(set_stats or {})
    kind = report["report_type"]
    if publish_plan_as:
        stats[publish_plan_as] = plan_of(kind, report) if built else timeout_plan(report)
    if publish_summaries_as:
        orgs = [report] if kind == "org" else report.get("orgs") or []
        stats[publish_summaries_as] = dict((org.get("org"), org.get("summary")) for org in orgs)
    if publish_since_last_run_as:
        # Counts only, per org (None: no earlier report of it to compare with): the drift a weekly audit reports.
        orgs = [report] if kind == "org" else report.get("orgs") or []
        stats[publish_since_last_run_as] = dict((org.get("org"), since_counts(org)) for org in orgs)
    if not stats:
        return None
    return {"data": stats, "per_host": False, "aggregate": True}

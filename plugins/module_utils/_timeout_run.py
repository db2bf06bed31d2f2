# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesyscloud.cx contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

# FOR INTERNAL COLLECTION USE ONLY
# The interfaces in this file are meant for use within the genesyscloud.cx collection and may change in
# any release.

"""The run of data_action_timeout as a library call: a RunRequest (module_utils/_options.py) in, ``(msg, result)``
out, every warning through a callback as it is given. The module's main() calls it with an AnsibleModule's options;
the timeout_org_run action calls it in its own worker with the options it validated against the same spec.

One listing, the plan (by the rule or the actions given), the tests of the samples, then the writes under a journal
(or, in check mode, the prediction).
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json

from ansible_collections.genesyscloud.cx.plugins.module_utils._action_flows import (
    DEPENDENCIES_ALL,
    DEPENDENCIES_CHOICES,
    DEPENDENCIES_NONE,
    flows_touched,
    read_flows,
    with_flows,
)
from ansible_collections.genesyscloud.cx.plugins.module_utils._action_test import check_sample
from ansible_collections.genesyscloud.cx.plugins.module_utils._collector import collector_paused
from ansible_collections.genesyscloud.cx.plugins.module_utils._connection import build_client
from ansible_collections.genesyscloud.cx.plugins.module_utils._options import org_run_argument_spec
from ansible_collections.genesyscloud.cx.plugins.module_utils._interruption import ControllerWatch
from ansible_collections.genesyscloud.cx.plugins.module_utils._files import write_whole
from ansible_collections.genesyscloud.cx.plugins.module_utils._function_actions import FunctionTimeouts
from ansible_collections.genesyscloud.cx.plugins.module_utils._journal import NOT_ATTEMPTED, Journal, safe_url
from ansible_collections.genesyscloud.cx.plugins.module_utils._timeout_plan import Plan, refusal_advice
from ansible_collections.genesyscloud.cx.plugins.module_utils._timeout_requests import (
    TimeoutRequest,
    check_function_timeout,
    check_timeout,
    read_for_requests,
    resolve,
    timeout_requests,
)
from ansible_collections.genesyscloud.cx.plugins.module_utils._timeout_results import (
    diff_of,
    drift_warning,
    failure_summary,
    stop_summary,
    unchanged_result,
    warnings_of,
    with_context,
)
from ansible_collections.genesyscloud.cx.plugins.module_utils.data_actions import (
    DRAFTS_CHOICES,
    DRAFTS_IGNORE,
    DRIFTED,
    FAILED,
    KIND_CUSTOM,
    MAX_PARALLEL,
    UNKNOWN,
    UPDATED,
    WOULD_UPDATE,
    list_actions,
    list_drafts,
    sort_by_name,
    summarize,
)
from ansible_collections.genesyscloud.cx.plugins.module_utils.errors import (
    GenesysCloudError,
    InvalidInputError,
    scrub,
)
from ansible_collections.genesyscloud.cx.plugins.module_utils.execution_stats import (
    StatsOptions,
    observe,
)
from ansible_collections.genesyscloud.cx.plugins.module_utils._verify_samples import Samples, verify_failure
from ansible_collections.genesyscloud.cx.plugins.module_utils.selection import (
    NOT_APPLICABLE,
    NOT_APPLICABLE_REASON,
    NOT_REQUESTED,
    RECOMMENDED,
    SELECTED,
    Selection,
    target_timeout,
)

STATS_KEYS = ("stats", "verdict", "recommended_timeout_seconds", "recommendation")


def argument_spec():
    return org_run_argument_spec(
        ids=dict(type="list", elements="str"),
        actions=dict(type="list", elements="dict", options=dict(
            id=dict(type="str"),
            name=dict(type="str"),
            timeout_seconds=dict(type="raw", required=True),
            version=dict(type="int"),
            function_timeout_seconds=dict(type="int"),
            unconfirmed_write=dict(type="dict", options=dict(
                timeout_seconds=dict(type="raw"),
                version=dict(type="int", required=True),
            )),
            draft=dict(type="dict", options=dict(timeout_seconds=dict(type="raw"))),
        ), mutually_exclusive=[["id", "name"]], required_one_of=[["id", "name"]]),
        select=dict(type="dict", options=dict(
            timeout_at_most=dict(type="int"),
            verdicts=dict(type="list", elements="str",
                          choices=["timing_out", "at_risk", "ok", "oversized", "no_data"]),
            name_include=dict(type="list", elements="str"),
            name_exclude=dict(type="list", elements="str"),
            category_include=dict(type="list", elements="str"),
            category_exclude=dict(type="list", elements="str"),
            explicit_timeout=dict(type="bool"),
        )),
        timeout_seconds=dict(type="raw"),
        mode=dict(type="str", choices=["exact", "at_least"], default="exact"),
        on_drift=dict(type="str", choices=["fail", "skip", "apply"], default="fail"),
        max_changes=dict(type="int"),
        list_all=dict(type="bool", default=False),
        function_timeouts=dict(type="bool", default=False),
        function_timeout_seconds=dict(type="int"),
        drafts=dict(type="str", choices=list(DRAFTS_CHOICES), default="report"),
        stats_fallback=dict(type="bool", default=False),
        parallel=dict(type="int", default=16),
        page_size=dict(type="int", default=100),
        dependencies=dict(type="str", choices=list(DEPENDENCIES_CHOICES), default=DEPENDENCIES_NONE),
        dependencies_checked_in=dict(type="bool", default=False),
        journal=dict(type="path"),
        journal_info=dict(type="dict"),
        results_file=dict(type="path"),
        verify=dict(type="list", elements="dict", options=dict(
            id=dict(type="str"),
            name=dict(type="str"),
            input=dict(type="dict", default={}),
        ), mutually_exclusive=[["id", "name"]], required_one_of=[["id", "name"]]),
    )


class Run(object):
    """What one module run is asked to do, validated before any request is sent."""

    def __init__(self, params):
        self.params = params
        self.timeout = params.get("timeout_seconds")
        self.recommended = self.timeout == RECOMMENDED
        self.selection = Selection.from_params(params["select"]) if params.get("select") is not None else None
        self.function_timeout = None
        if self.selection is not None:
            if not self.recommended:
                self.timeout = check_timeout(self.timeout, "timeout_seconds")
            self.function_timeout = check_function_timeout(params.get("function_timeout_seconds"),
                                                           "function_timeout_seconds")
            self.wanted = None
        else:
            named = dict(params)
            if self.recommended:
                named["timeout_seconds"] = 1  # validated per action once its recommendation is known
            self.wanted = timeout_requests(named)
        self.stats_options = StatsOptions.from_params(params)
        self.use_stats = bool(params.get("stats") or self.recommended
                              or (self.selection is not None and self.selection.needs_stats))
        if not 1 <= params["parallel"] <= MAX_PARALLEL:
            raise InvalidInputError("parallel must be from 1 to %d, got %s." % (MAX_PARALLEL, params["parallel"]))
        if params["page_size"] < 1:
            raise InvalidInputError("page_size must be at least 1, got %s." % params["page_size"])
        if params.get("max_changes") is not None and params["max_changes"] < 0:
            raise InvalidInputError("max_changes must be 0 or more, got %s." % params["max_changes"])
        # A function's timeout is read when asked, or when one is to be set (to know whether it changes).
        self.reads_functions = bool(params.get("function_timeouts") or self.function_timeout is not None or any(
            w.function_timeout_seconds is not None for w in self.wanted or []))
        # A draft to restore is looked for whatever drafts says.
        self.lists_drafts = params.get("drafts", "report") != DRAFTS_IGNORE or any(
            w.draft is not None for w in self.wanted or [])
        self.samples = list(params.get("verify") or [])
        for index, sample in enumerate(self.samples):
            check_sample(sample.get("id"), sample.get("name"), "verify[%d]" % index)

    @property
    def reads_whole_org(self):
        return self.selection is not None or self.params["list_all"]


def _listing(client, run):
    if run.reads_whole_org:
        return list_actions(client, include_auth_actions=run.params["list_all"], page_size=run.params["page_size"])
    return read_for_requests(client, run.wanted, page_size=run.params["page_size"])


def _judged(client, run, actions, warnings):
    """Every listed action summarized (and judged against its observed times when stats are used), by id."""
    summaries = [summarize(a) for a in actions]
    if run.use_stats:
        summaries, refused = observe(client, summaries, run.stats_options)
        for warning in refused:
            warnings.warn(warning)
        if refused and (run.recommended or (run.selection is not None and run.selection.needs_stats
                                            and run.selection.timeout_at_most is None)):
            # Deciding by observed times without them would change the wrong actions, or none: stop here.
            raise InvalidInputError("This run decides by observed execution times, which could not be read; "
                                    "nothing was changed. %s" % refused[0])
        if refused and run.selection is not None and run.selection.needs_stats and not run.params["stats_fallback"]:
            # Asked to decide by evidence: deciding by the threshold alone would be another run than the one asked.
            raise InvalidInputError("This run selects by observed execution times (select.verdicts), which could not "
                                    "be read; nothing was changed. %s Fix the refusal, or set stats_fallback: true "
                                    "(the role's data_action_timeouts_stats_fallback) to select by "
                                    "select.timeout_at_most (%d s) alone." % (refused[0], run.selection.timeout_at_most))
        if refused and run.selection is not None and run.selection.needs_stats:
            warnings.warn("Without observed times the select.verdicts criterion picks nothing; this run selects by "
                          "select.timeout_at_most (%d s) alone." % run.selection.timeout_at_most)
    return dict((s["id"], s) for s in summaries)


def _reselect(run, summary_of):
    """For a rule-chosen action: after a concurrent change, is the action as re-read still selected?"""
    def reselect(fresh):
        judged = dict(summarize(fresh), **dict((k, summary_of.get(k)) for k in STATS_KEYS))
        status, why = run.selection.decide(judged)
        return status == SELECTED, why
    return reselect


def _requests_by_rule(run, actions, summaries):
    """TimeoutRequests for the actions the rule selects, and the results of those it leaves alone."""
    wanted, untouched = [], []
    for action in actions:
        summary = summaries[action["id"]]
        status, why = run.selection.decide(summary)
        if status != SELECTED:
            untouched.append(unchanged_result(action, status, why))
            continue
        desired = target_timeout(summary, run.timeout)
        request = TimeoutRequest(desired, action_id=action["id"], reselect=_reselect(run, summary),
                                 function_timeout_seconds=run.function_timeout)
        if desired is None:
            request.skip = "selected (%s), but there is no recommendation: %s" % (why, summary.get("recommendation"))
        elif run.recommended:
            request.skip = _already_runs_with(summary, desired)
        wanted.append(request)
    return wanted, untouched


def _already_runs_with(summary, recommended):
    """A recommendation is about how an action runs: an unset one already runs at a recommended 60 s."""
    if summary["timeout_seconds"] is None and summary["effective_timeout_seconds"] == recommended:
        return "timeout unset (%d s) already runs with the recommended %d s" % (recommended, recommended)
    return None


def _not_requested(action, summary):
    if summary["kind"] != KIND_CUSTOM:
        return unchanged_result(action, NOT_APPLICABLE, NOT_APPLICABLE_REASON[summary["kind"]])
    return unchanged_result(action, NOT_REQUESTED, "not among the actions this run was given")


def _recommended_targets(summaries, pairs):
    """Named actions with timeout_seconds: recommended get their own recommendation as the target."""
    for request, action in pairs:
        summary = summaries[action["id"]]
        request.timeout_seconds = summary.get("recommended_timeout_seconds")
        if request.timeout_seconds is None:
            request.skip = "there is no recommendation: %s" % summary.get("recommendation")
        else:
            request.skip = _already_runs_with(summary, request.timeout_seconds)


def _apply(params, client, plan, watch):
    """Write the journal's header (when one is kept), apply the plan while ``watch`` allows, end the journal."""
    journal = None
    if params["journal"]:
        journal = Journal.create(params["journal"], {
            "api_base_url": safe_url(client.api_base_url), "mode": params["mode"], "on_drift": params["on_drift"],
            "info": params["journal_info"] or {}, "actions": plan.journal_actions()})
    with watch.catching_signals():
        results = plan.apply(client, parallel=params["parallel"], secrets=client.secrets(), journal=journal,
                             watch=watch)
    if journal is not None:
        journal.end(results, plan.stopped())
        journal.close()
    return results


def _read_and_plan(client, run_spec, params, warnings):
    """The reads a run makes before its first write, and its plan from them (one listing): (the org's actions by
    name, their summaries, the (wanted, action) pairs it acts on, the untouched actions' results, the plan)."""
    actions = sort_by_name(_listing(client, run_spec))
    summaries = _judged(client, run_spec, actions, warnings)
    untouched = []
    if run_spec.selection is not None:
        wanted, untouched = _requests_by_rule(run_spec, actions, summaries)
        if not params["list_all"]:
            untouched = []
    else:
        wanted = run_spec.wanted
    pairs = resolve(wanted, actions)
    if run_spec.recommended and run_spec.selection is None:
        _recommended_targets(summaries, pairs)
    if params["list_all"] and run_spec.selection is None:
        named = set(action["id"] for dummy, action in pairs)
        untouched = [_not_requested(a, summaries[a["id"]]) for a in actions if a["id"] not in named]
    # What a change can meet beside the action: its function's own timeout, and a pending draft. With list_all
    # the whole org is read for the report; otherwise only what the run acts on (nothing when it acts on none).
    in_scope = actions if params["list_all"] else [action for dummy, action in pairs]
    functions = drafts = None
    if run_spec.reads_functions:
        functions = FunctionTimeouts.read(client, in_scope, parallel=params["parallel"])
        for warning in functions.warnings:
            warnings.warn(warning)
    if run_spec.lists_drafts:
        drafts = list_drafts(client, None if params["list_all"] else [a["id"] for a in in_scope],
                             page_size=params["page_size"])
    by_id = dict((a["id"], a) for a in actions)
    untouched = [with_context(result, by_id[result["id"]], functions, drafts) for result in untouched]
    plan = Plan(pairs, mode=params["mode"], on_drift=params["on_drift"], max_changes=params["max_changes"],
                functions=functions, drafts=drafts, drafts_mode=params["drafts"])
    return actions, summaries, pairs, untouched, plan


def _run(request, client, run_spec, warnings, watch):
    """Plan from one listing, then apply (or stop before writing in check mode).

    Returns (changed, result, diff, refusal, stopped): ``refusal`` says why nothing was written, ``stopped`` why
    the run stopped before all its writes (see Plan.apply); each is None otherwise. ``watch``: the run's
    ControllerWatch, whose waits the client's are: once it stops, no read before the writes and no write is sent.
    """
    params = request.params
    # Until the writes begin, a stop (a signal the task holds, the controller gone) ends the reads too.
    client.reads_stop_with_run = True
    # A large org's reads are hundreds of thousands of new objects, none in a cycle (see _collector.py).
    with collector_paused():
        actions, summaries, pairs, untouched, plan = _read_and_plan(client, run_spec, params, warnings)
    refusal = plan.refusal()
    stopped = None
    # The flows are read before any write: what a change touches is known even when a write fails.
    planned = [r["id"] for r in plan.predicted_results() if r["status"] == WOULD_UPDATE]
    with watch.catching_signals():
        # Paced reads, possibly many: a stop signal ends them as it ends the writes (the client's reads stop with
        # the run until the writes begin, and its waits are the watch's).
        flows_asked, consuming = _flows(client, params, planned, [a["id"] for dummy, a in pairs] + [
            u["id"] for u in untouched], warnings)
    samples = Samples(client, run_spec.samples, actions, run_spec.reads_whole_org) if run_spec.samples else None
    verify = {}
    if refusal:
        results = plan.refused_results(dry_run=request.check_mode)
        if samples:
            verify = dict(verify_before=samples.not_run("not run: nothing is written (%s)" % refusal), verify_after=[])
    elif request.check_mode:
        results = plan.predicted_results()
        if samples:
            verify = dict(verify_before=samples.not_run(None), verify_after=[])
    else:
        client.reads_stop_with_run = False  # from here a read may settle what a write did
        if samples:
            verify["verify_before"] = samples.before(watch)
        results = _apply(params, client, plan, watch)
        stopped = stop_summary(plan, results)
        if watch.reason():
            # A stop signal, or the controller gone: the run was interrupted, not stopped by what it met.
            verify["interrupted"] = watch.reason()
        if samples:
            verify["verify_after"] = samples.after(results, watch, client.secrets())
    # What changed (or would): a real run reports only what the server confirmed (updated); its updates never sent
    # are not_attempted, and only a dry run predicts (would_update).
    changes = [] if refusal else [r for r in results if r["status"] in (UPDATED, WOULD_UPDATE)]
    changed = bool(changes)
    # Every function action is judged, changed or not: one whose function stops first is cut off there.
    for warning in warnings_of(changes, results + untouched) + [drift_warning(results, params["on_drift"])]:
        if warning:
            warnings.warn(warning)
    if run_spec.reads_whole_org:
        # A whole-org run reports in the org's order (by name), the untouched actions among the others.
        order = dict((a["id"], n) for n, a in enumerate(actions))
        results = sorted(results + untouched, key=lambda r: order.get(r["id"], len(order)))
    if run_spec.use_stats:
        for result in results:
            summary = summaries.get(result["id"]) or {}
            result.update((key, summary.get(key)) for key in STATS_KEYS)
    if consuming is not None:
        for result in results:
            with_flows(result, consuming, flows_asked)
        verify["flows_touched"] = flows_touched(consuming, planned)
    return changed, dict(verify, results=results, api_base_url=client.api_base_url), diff_of(changes), refusal, stopped


def _flows(client, params, planned, reported, warnings):
    """(the actions asked about, ConsumingFlows) for ``dependencies``: ``planned`` (the plan's updates) or ``all``
    (every action ``reported``); (set(), None) with none."""
    if params.get("dependencies", DEPENDENCIES_NONE) == DEPENDENCIES_NONE:
        return set(), None
    asked = reported if params["dependencies"] == DEPENDENCIES_ALL else planned
    return set(asked), read_flows(client, asked, params["parallel"], warnings.warn, params["page_size"],
                                  checked_in=bool(params.get("dependencies_checked_in")))


class RunWarnings(object):
    """A run's warnings: each given to ``warn`` as it comes, and kept in order for the result's run_warnings (the
    org report's list, the same on every ansible-core version)."""

    def __init__(self, warn):
        self._warn = warn
        self.texts = []

    def warn(self, text):
        self._warn(text)
        self.texts.append(text)


def run_timeouts(request, warn, watch=None):
    """The whole run asked by ``request`` (a RunRequest): ``(msg, result)``, ``msg`` the failure's message or None.

    ``warn(text)`` gets each warning; ``watch`` (a ControllerWatch) stops the writes once the controller is gone
    or a signal asks it to (a plain one, that only catches the signals, when None). Every result is in
    ``result["results"]``; how they reach the org's report is the caller's business.
    """
    warnings = RunWarnings(warn)
    params = request.params
    # One watch for the whole run, its waits the client's: a stop it takes (a signal, the controller gone) ends the
    # client's waits and the reads before the first write, as it ends the writes.
    watch = watch if watch is not None else ControllerWatch()
    client = None
    try:
        run_spec = Run(params)
        client = build_client(params, pool_size=params["parallel"] + 1, warnings=warnings.texts, warn=warn,
                              waits=watch.waits)
        changed, result, diff, refusal, stopped = _run(request, client, run_spec, warnings, watch)
    except GenesysCloudError as exc:
        failed = dict(changed=False, results=[], run_warnings=list(warnings.texts))
        if client is not None:
            failed["rate_limit"] = client.rate_limit_summary()
        return scrub(str(exc), client.secrets() if client else []), failed
    result["rate_limit"] = client.rate_limit_summary()
    if request.diff:
        result["diff"] = diff
    result["run_warnings"] = warnings.texts
    result["changed"] = changed
    if refusal:
        result["changed"] = False
        return scrub("Nothing was written: %s. Every result is in results; %s" % (refusal, refusal_advice(refusal)),
                     client.secrets()), result
    if stopped:
        return scrub(stopped, client.secrets()), result
    summary = failure_summary(result["results"], params["on_drift"]) or verify_failure(result.get("verify_after"))
    if summary:
        return scrub(summary, client.secrets()), result
    return None, result


MUTUALLY_EXCLUSIVE = [["id", "name", "ids", "actions", "select"]]
REQUIRED_ONE_OF = [["id", "name", "ids", "actions", "select"]]


# The results a play acts on, kept in the task's result when every result goes to results_file.
KEPT_IN_RESULT = (UPDATED, DRIFTED, FAILED, UNKNOWN, NOT_ATTEMPTED)


def hand_over_results(path, result, warn):
    """With ``path`` (the results_file option), write every result there and keep in ``result`` only those the play
    acts on: how a large org's results reach a report without travelling through Ansible's variables."""
    if not path or not result.get("results"):
        return
    try:
        # dumps, not dump: only dumps uses json's C encoder, several times faster for a large org.
        write_whole(path, json.dumps(result["results"], separators=(",", ":")))
    except (OSError, IOError, ValueError) as exc:
        text = "results_file %s could not be written (%s): every result is returned instead" % (path, exc)
        warn(text)
        result["run_warnings"] = list(result.get("run_warnings") or []) + [text]
        return
    result["results_file"] = path
    result["results"] = [r for r in result["results"] if r["status"] in KEPT_IN_RESULT]

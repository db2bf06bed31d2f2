#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesyscloud.cx contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r"""
module: data_action_timeout
short_description: Set the execution timeout of Genesys Cloud data actions, safely
version_added: 0.1.0
description:
  - Sets C(config.timeoutSeconds), the 1 to 60 second limit Genesys Cloud enforces on each execution
    of a data action (an action without one runs with the 60 second default, the maximum, so raising
    never touches it), on one action, a list of them, or the actions of an org chosen by a rule
    (O(select)) - by their effective timeout, by the verdict of their observed execution times, and by
    name and category.
  - Each action can go to a given timeout or to its own recommendation from its observed execution
    times (O(timeout_seconds=recommended), see O(stats)).
  - Idempotent. The actions are read in one listing; only those whose timeout differs are updated,
    one C(PATCH /api/v2/integrations/actions/{actionId}) each, carrying the version just read and the
    complete configuration as read with only C(timeoutSeconds) changed, so fields this module does
    not know about are kept.
  - A configuration may name its request or success template only by URI (C(requestTemplateUri),
    C(successTemplateUri)) instead of carrying it inline. Such a template is read first (C(GET
    .../{actionId}/templates/requesttemplate.vm) or C(successtemplate.vm), as text - C(Accept) C(text/plain, */*),
    as the official SDK and Terraform provider ask, never JSON) and sent inline, so a server that replaces the
    configuration whole cannot reset it; one read per such template, none for actions whose templates are
    inline. When that read fails, the action is not changed, and its result says why.
  - The C(PATCH) carries the templates inline and leaves the C(*TemplateUri) fields out (the server's own
    pointers), as the Terraform provider sends the configuration; every other field as read.
  - Each update is verified from the answer - the new timeout at a newer version when the answer carries
    the configuration; otherwise a newer version (never assumed to be exactly one more); an answer that
    settles neither, and the removal of a timeout (which a server that merges configurations could
    ignore), by one read of the action. When another change got there first (a version conflict - HTTP
    409, or a 400 that speaks of the version), or the server answers HTTP 408 (request timeout, on which the
    Terraform provider retries an update too), the action is read again and the decision made again, so
    a concurrent administrator's change is kept and a change already made is not repeated. A 408 may have
    been applied all the same - a read that shows the new timeout at a newer version reports the action
    V(updated), without sending it again. An action fails after 3 such conflicts or 408s.
  - An update whose answer was lost (HTTP 5xx, dropped connection) is never sent blindly again; the
    action is read to learn whether it was applied, and sent again after a backoff only if it was
    not; an action fails after 6 such unanswered attempts. While an unanswered update may still land (no
    read has shown a version past the one it was sent with), the timeout before is the one read before it -
    a later read that shows the new timeout reports the action V(updated) from that timeout, not
    V(unchanged).
  - The updates are handed out one at a time, and none is sent once the run must stop - when the Ansible
    controller that started the module is gone (a Ctrl-C or a kill of C(ansible-playbook), which the module
    does not receive - Ansible starts it detached; it watches the processes up to the controller before each
    write), when the module gets SIGTERM, SIGINT or SIGHUP, or at the first request refused for want of a
    permission (HTTP 403 - every action needs it alike). Updates in flight are settled; the results of the
    others say they were not attempted, and why, and the module fails.
  - All input is checked, and every named action found, before the first update; a batch with an
    invalid entry changes nothing, and neither does a plan with more changes than O(max_changes). A
    failure on one action does not stop the others; the module then fails with a summary and still
    returns every result.
  - An action without C(timeoutSeconds) runs with the platform default, 60 seconds, the maximum; it
    reports RV(results[].timeout_seconds_before=null). Raising (O(mode=at_least)) compares the timeout
    an action runs with, so it never touches an unset action (setting any value below 60 would lower it).
  - A function data action (integration type C(function-data-actions)) also has its function's own
    timeout, 1 to 15 seconds; see O(function_timeouts) and O(function_timeout_seconds).
  - An action with a pending (unpublished) draft gets its draft's configuration, old timeout included,
    when someone publishes the draft; see O(drafts).
  - Needs the permission C(integrations:action:edit) to update, and C(integrations:action:view) (or
    C(bridge:actions:view)) to read (the actions, their templates and their drafts). O(function_timeouts)
    also needs C(integrations:integration:view) and C(integrations:actionFunction:view);
    O(function_timeout_seconds) C(integrations:actionFunction:edit) and C(integrations:action:edit) (the
    draft and its publication) and, to delete the draft again after a failed step,
    C(integrations:action:delete).
author:
  - genesyscloud.cx maintainers (@genesyscloud-cx)
options:
  id:
    description:
      - The id of one data action, for example C(custom_-_3f1c...).
      - Built-in C(static_) actions and C(customAuth_) custom authentication actions are refused, as
        their timeout cannot be set.
    type: str
  name:
    description:
      - The exact name of one data action. It is an error if no action or several have this name.
    type: str
  ids:
    description:
      - The ids of several data actions, all set to O(timeout_seconds).
    type: list
    elements: str
  actions:
    description:
      - Several data actions, each with its own timeout and, optionally, the version the change was
        approved against (the input of approved plans and of rollbacks).
      - Empty only with O(list_all) - a plan or a rollback with nothing left to do, which reports the org.
    type: list
    elements: dict
    suboptions:
      id:
        description: The action's id. Give exactly one of O(actions[].id) and O(actions[].name).
        type: str
      name:
        description: The action's exact name.
        type: str
      timeout_seconds:
        description:
          - The timeout to set, 1 to 60 seconds, or V(null) to remove the explicit setting (the action
            then runs with the 60 s default). A removal is sent as C(timeoutSeconds) V(null) - unset for a
            server that replaces the configuration whole, a deletion for one that merges it.
        type: raw
        required: true
      version:
        description:
          - The version the change was approved against. When the action's version now differs, and
            its timeout is not already as wanted, O(on_drift) decides.
        type: int
      function_timeout_seconds:
        description:
          - For a function data action, the timeout its function should have, 1 to 15 seconds, as
            O(function_timeout_seconds) does. Unset leaves the function as it is. A rollback gives it back
            this way.
        type: int
      unconfirmed_write:
        description:
          - Undo a write whose outcome is unknown - one an interrupted run sent without learning whether it
            was applied (its journal, see O(journal)). The action is changed only where that write shows - it
            holds O(actions[].unconfirmed_write.timeout_seconds) at a version newer than
            O(actions[].unconfirmed_write.version). An action still at O(actions[].timeout_seconds) (the write
            was never applied) is V(unchanged); one holding anything else was changed since by someone else
            and is V(drifted) (O(on_drift) decides). O(actions[].version) is not used with it.
          - The rollback of a journal (P(genesyscloud.cx.timeout_plan_actions#filter)) writes these entries.
        type: dict
        suboptions:
          timeout_seconds:
            description: The timeout the write sent, 1 to 60, or V(null) for a removal.
            type: raw
          version:
            description: The version the write was sent with.
            type: int
            required: true
      draft:
        description:
          - The timeout the action's pending draft goes to, exactly, instead of the action's; whatever
            O(drafts) says (V(ignore) too - the drafts are then listed). An action without a pending draft is
            left as it is.
          - The rollback of a run that gave pending drafts the new timeout (O(drafts=update)) writes these
            entries, each draft back to what it held before, and none for the drafts that run left as they were.
        type: dict
        suboptions:
          timeout_seconds:
            description: 1 to 60, or V(null) to remove the draft's setting.
            type: raw
  select:
    description:
      - Choose the actions of the whole org by a rule instead of naming them. The org is read in one
        listing pass; only custom actions are ever selected (built-in and custom authentication actions
        cannot have their timeout set).
      - The criteria O(select.timeout_at_most) and O(select.verdicts) say which actions the run is about;
        an action meeting any criterion given is a candidate, and with no criterion every action is. The
        filters (names, categories, O(select.explicit_timeout)) then narrow the candidates.
      - Without a version to hold on to, a version conflict (another admin editing the action meanwhile)
        re-reads the action and decides again by the same rule, so one run converges and the other
        admin's change is kept.
      - An empty dictionary selects every custom action.
    type: dict
    suboptions:
      timeout_at_most:
        description:
          - Candidates whose effective timeout is at most this many seconds (1 to 60). An unset timeout
            runs at 60 s, so only V(60) picks it.
        type: int
      verdicts:
        description:
          - Candidates whose observed-times verdict is one of these (implies O(stats)); see O(stats).
          - When the analytics query is refused, this criterion picks nothing, and the module fails before
            any write (a run asked to decide by evidence does not decide without it). With
            O(select.timeout_at_most) and O(stats_fallback=true) the run goes on by that criterion alone,
            with a warning.
        type: list
        elements: str
        choices: [timing_out, at_risk, ok, oversized, no_data]
      name_include:
        description:
          - Keep only candidates whose name matches one of these regular expressions (searched anywhere
            in the name; anchor with C(^) and C($)).
        type: list
        elements: str
      name_exclude:
        description: Leave out candidates whose name matches one of these regular expressions.
        type: list
        elements: str
      category_include:
        description: Keep only candidates in one of these categories (exact names).
        type: list
        elements: str
      category_exclude:
        description: Leave out candidates in these categories (exact names).
        type: list
        elements: str
      explicit_timeout:
        description:
          - V(true) keeps only candidates that set a timeout themselves; V(false) only those on the 60 s
            default.
        type: bool
  timeout_seconds:
    description:
      - The timeout to set, in seconds, from 1 to 60, with O(id), O(name), O(ids) and O(select).
      - Or V(recommended) - each action to its own recommendation from its observed execution times
        (implies O(stats)). An action without a recommendation (fewer than O(min_executions) successful
        executions) is left as it is, with status V(unchanged) and the reason.
    type: raw
  mode:
    description:
      - V(exact) sets the timeout to the target whether that raises or lowers it.
      - V(at_least) only raises; an action whose effective timeout is already at or above the target
        is left unchanged. An action without a timeout runs with the 60 s default, the maximum, so
        V(at_least) never changes it.
    type: str
    choices: [exact, at_least]
    default: exact
  on_drift:
    description:
      - What to do with an action whose version differs from O(actions[].version) and whose timeout
        is not already as wanted.
      - V(fail) makes the module fail. When the listing already shows the drift, nothing at all is
        written (the other actions are reported as V(not_attempted), or V(would_update) in check mode, with a
        message saying why they were not applied), so what runs is what was approved, or nothing. Drift met during the writes (a version
        conflict with a concurrent change) cannot stop what is already written - that action is left
        unchanged and reported as V(drifted), the other updates are still made, and the module fails at
        the end, with every result.
      - V(skip) leaves it unchanged, reports it as V(drifted) and warns, naming the actions.
      - V(apply) updates it on its current version.
    type: str
    choices: [fail, skip, apply]
    default: fail
  max_changes:
    description:
      - The most actions this run may change. When the plan, made from the listing, would change more,
        the module fails before any write (in check mode too, as the real run would), reporting every
        action it would have changed. Unset means no limit; V(0) allows none.
    type: int
  list_all:
    description:
      - Return a result for every action of the org, not only for the ones selected or named, so one
        call gives a complete report of the org (the role uses this). Reads the whole org in one listing
        pass, custom authentication actions included.
      - Actions the run does not act on get the status V(ok) (the O(select) criteria do not pick it),
        V(not_selected) (a criterion picks it but a filter leaves it out), V(not_requested) (not among
        the O(id), O(name), O(ids) or O(actions) given) or V(not_applicable) (built-in or custom
        authentication actions).
    type: bool
    default: false
  function_timeouts:
    description:
      - Read the function's own timeout of each function data action among the actions acted on (with
        O(list_all), of the whole org), report it before and after
        (RV(results[].function_timeout_seconds_before)), and warn about every action (changed or not) whose
        timeout is above its function's - the function stops first, so the longer wait does nothing.
      - The listing does not say which actions are function actions, so each distinct integration is read
        once (C(GET /api/v2/integrations/{integrationId})), then each function action's function once
        (C(GET .../{actionId}/function)). Off by default, so that a run on an org without function actions
        costs nothing more. O(function_timeout_seconds) implies it.
    type: bool
    default: false
  function_timeout_seconds:
    description:
      - Also set the function's own timeout (C(Function.timeoutSeconds), 1 to 15 seconds) of the function
        data actions among the actions selected or named, with O(id), O(name), O(ids) and O(select) (with
        O(actions), per entry). O(mode) applies - V(at_least) only raises it. Other actions are not
        affected.
      - The API changes a function only through a draft - the module creates a draft of the action (after
        its own timeout update, so the draft carries it), reads the draft's function, puts it back
        (C(PUT .../draft/function)) with its C(description), C(handler) and C(runtime) as read and the new
        C(timeoutSeconds) - nothing else, as the Terraform provider sends it (the zip is the upload's, not
        the PUT's to set) - reads the draft's version and publishes the draft with it - five requests per
        function changed, none when the function already has the timeout. Publishing gives the action a new
        version (RV(results[].version_after)). A publication left without an outcome (HTTP 408, 5xx, a
        dropped connection) is settled by reading the draft (and the function, once the draft is gone) and
        published again only while the draft is still at the version sent, 3 times at most. When a step
        after the draft's creation fails, the draft is deleted again.
      - An action with a pending draft is not changed (status V(failed)) - publishing would publish that
        draft too; publish or delete it first.
    type: int
  drafts:
    description:
      - What to do with the pending (unpublished) draft of an action the run acts on. When someone publishes
        the draft, its configuration - with its own timeout - replaces the action's, and the change is undone
        without anyone noticing.
      - V(report) lists the drafts (C(GET /api/v2/integrations/actions/drafts), ceil(D / O(page_size))
        requests for D drafts, one request with the ids filter when the run acts on at most 50 actions and
        O(list_all) is off), reports each in RV(results[].draft), and warns about every changed action whose
        draft holds another timeout.
      - V(update) also gives each such draft the same timeout - a PATCH of the draft with its own version
        and its complete configuration as listed, only the timeout changed, templates named by URI read
        (C(.../draft/templates/{file})) and sent inline. Idempotent, in check mode and diff like the
        action's own change. A draft that already holds the timeout is not written.
      - V(ignore) does not read drafts at all (the request count of earlier versions).
    type: str
    choices: [report, update, ignore]
    default: report
  stats_fallback:
    description:
      - When the analytics query for observed execution times is refused, select by
        O(select.timeout_at_most) alone (with a warning) instead of failing before any write. Only for a
        selection with both O(select.verdicts) and O(select.timeout_at_most); O(timeout_seconds=recommended)
        always needs the observed times.
    type: bool
    default: false
  parallel:
    description:
      - How many updates may be in flight at once, 1 to 32.
      - They share one pace, O(requests_per_minute) requests in any 60 seconds (Genesys Cloud sends no
        rate-limit headers, so the module keeps to it itself), so a large value does not bring on HTTP 429. When a
        429 comes anyway, all of them wait for its C(Retry-After).
      - The default writes twice as fast as 8 when the updates fit in O(requests_per_minute) (measured in the
        collection's C(docs/benchmarks.md)); a larger run is bounded by the rate limit whatever this is.
    type: int
    default: 16
  dependencies:
    description:
      - Read, from Architect dependency tracking, the flows that call each action the run plans to change
        (V(planned), meaning its updates, whether they are written, predicted in check mode, fail or are not attempted),
        or each action it reports on (V(all)). V(none) reads none.
      - Costs one build-status read, then per such action one request per page of its published flows
        (O(page_size) a page; one more per page of its checked-in flows with O(dependencies_checked_in)), paced like
        every request and read before any write; never a request for an action the run does not report on.
      - Needs C(architect:dependencyTracking:view). Without it, or while dependency tracking rebuilds, the run goes
        on and warns once, naming the permission the refusal asked for (or that tracking is rebuilding); the
        flows are then unknown (RV(results[].flows_unknown) says why), never shown as none.
      - Each result then carries RV(results[].flows); the diff line of a change names its flows; RV(flows_touched)
        counts the distinct published flows the planned changes touch.
    type: str
    choices: [none, planned, all]
    default: none
  dependencies_checked_in:
    description:
      - With O(dependencies), also list the checked-in versions (saved, not published) of the flows that call each
        action, marked C(state=checked_in) in RV(results[].flows) - the callers a change will touch once they are
        published. Flows callers run today (C(state=published)) are listed either way.
      - Costs one more request per action and page. An entry of dependency tracking carries no mark of which
        version it is, and an answer without C(flowFilter) mixes both kinds (a flow possibly at two versions), so
        the checked-in flows are read with their own filter, which keeps each mark exact.
    type: bool
    default: false
  page_size:
    description:
      - Actions per listing page. The API documents no maximum; the default is what the official Terraform
        provider uses.
      - Larger pages take fewer requests out of the token's rate limit (10,000 actions are 101 pages at
        100, 21 at 500), but a page size the API refuses fails the run, so raise it only where it has
        been tried.
    type: int
    default: 100
  journal:
    description:
      - Keep a journal of the run in this file, so that it can be rolled back however it ends - even killed
        in the middle of its writes. Before the first write, the file gets every action the run is about to
        change - its id and name, its timeout and version as read, the timeout wanted (and its function's and
        pending draft's when those change) - and is flushed to disk; then each update is recorded before it is
        sent, and each outcome as it is settled (V(updated) with the version after, V(failed), not attempted);
        an end record closes it. One JSON record per line, only ever appended to, so a process killed at any
        instant leaves a readable journal. The format is described in the role's C(REPORTS.md).
      - P(genesyscloud.cx.timeout_plan_actions#filter) turns a journal into the O(actions) that roll the run
        back - every update it records, pinned to the version it left; an update whose outcome is unknown
        only where it shows (O(actions[].unconfirmed_write)).
      - Written where the module runs - the controller, with the C(local) connection. Its folder is created when
        missing. A journal that records an interrupted run, or a file that is not a journal, is never replaced
        - the module fails before any write; the journal of a run that ended is.
      - Not written in check mode, nor when nothing is written because of O(max_changes) or O(on_drift).
    type: path
  journal_info:
    description:
      - Labels written as they are into the journal's header, to say which run it belongs to - the role
        passes C(org), C(run_id), C(mode) and, for a rollback, C(rollback_of) (the journal or report it rolls
        back). Must not hold secrets.
    type: dict
  results_file:
    description:
      - Write every result to this JSON file (a list, as RV(results) would hold it) instead of returning them
        all, and return in RV(results) only the actions the play acts on afterwards - status V(updated),
        V(drifted), V(failed) or V(not_attempted). For an org of thousands of actions with O(list_all), Ansible's own handling of
        a result of megabytes (decoding, registering, templating it into the next task) takes seconds; a file
        takes a fraction of that. P(genesyscloud.cx.timeout_report_files#module) builds the org's report from
        it (O(genesyscloud.cx.timeout_report_files#module:results_file)); the role uses this.
      - Written where the module runs - the controller, with the C(local) connection - whole (a temporary
        file renamed into place), when the module fails too, as long as it has results. Its folder must exist.
        When it cannot be written, the module warns and returns every result in RV(results) instead.
    type: path
  verify:
    description:
      - Sample inputs to prove the change with the actions' test invocations (C(POST
        /api/v2/integrations/actions/{actionId}/test)), run by this module around its writes - each action's test
        once before the first write, and once more after the writes for the actions whose timeout this run
        changed. A test whose action did not change is not repeated. The outcomes are in RV(verify_before) and
        RV(verify_after), one per entry of this list, in its order, in the shape of
        P(genesyscloud.cx.data_action_test#module)'s result.
      - B(A test runs the action's real backend request.) It is not a dry run; use inputs meant for testing.
        In check mode no test is sent (each outcome says so), nor when nothing is written because of
        O(max_changes); the tests after the writes are not sent once the run must stop (see above).
      - Each action is found in the module's listing of the org, with no request of its own (one read by id
        or by name when the listing does not hold it, without O(list_all) or O(select)). The tests are sent
        one at a time, each waiting for its action's effective timeout plus 15 seconds.
      - A test that fails is an outcome, not a module failure. A test request that fails (no such action, a
        missing C(integrations:action:execute) permission, a lost answer) fails the module - before any write
        when it is a test before the change; after them, with every result still returned.
      - Genesys Cloud does not log the inputs and outputs of secure actions; their outcomes leave out the
        output and the operations' results. The inputs are part of the task's arguments.
    type: list
    elements: dict
    suboptions:
      id:
        description: The action's id. One of O(verify[].id) and O(verify[].name) is required.
        type: str
      name:
        description: The action's exact name; it is an error if no action or several have it.
        type: str
      input:
        description: The test's input, a map of the action's input contract's properties to their values.
        type: dict
        default: {}
extends_documentation_fragment:
  - genesyscloud.cx.connection
  - genesyscloud.cx.execution_stats
  - genesyscloud.cx.attributes
attributes:
  check_mode:
    description: Sends no write request at all, and reports the same C(changed) and RV(results) (status V(would_update)) as a real run.
    support: full
  diff_mode:
    description:
      - Shows one line per action that changes, by name - its name, its id and its timeout before and
        after (C(3 s -> 10 s), or C(unset (60 s)) for an action without one), so a large org reads as a list.
      - A real run also shows the version before and after; check mode cannot know the new one.
      - When a function's timeout or a pending draft's changes too, the line says so
        (C(function timeout 15 s -> 10 s), C(pending draft timeout 3 s -> 10 s)).
      - The same figures, for every action, are in RV(results).
    support: full
  action:
    description:
      - Has an action plugin. Where the module would run on the controller with the controller's own Python anyway
        (a C(local) connection, and C(ansible_python_interpreter) the playbook's Python, as C({{ ansible_playbook_python }})
        sets it - the delegated host's when the task is delegated; no become, async or task timeout), the task's
        worker calls the module's library itself, with the same arguments checked the same way (the alias and
        deprecation warnings in the result), the task's C(environment) for this call only, and the same result,
        secrets masked, without C(invocation) (as ansible-core's own controller-side actions). No module process is
        started. A real run's writes stop as a module's do once the controller is gone or a stop signal comes, and
        the worker holds that signal until the writes in flight are settled and recorded. O(results_file) is
        written the same way. Otherwise the module runs as usual. C(-vvv) says which, and why.
    support: full
seealso:
  - module: genesyscloud.cx.data_action_info
  - module: genesyscloud.cx.oauth_token
"""

EXAMPLES = r"""
- name: Raise data action timeouts in one org
  module_defaults:
    group/genesyscloud.cx.genesyscloud:
      region: eu-west-1
      client_id: "{{ vault_genesys_client_id }}"
      client_secret: "{{ vault_genesys_client_secret }}"
  block:
    - name: Set one action's timeout to 15 seconds
      genesyscloud.cx.data_action_timeout:
        name: Lookup account
        timeout_seconds: 15

    - name: Raise several actions to at least 10 seconds, never lowering any
      genesyscloud.cx.data_action_timeout:
        ids:
          - custom_-_0b6f6c9e-2f34-4a54-9d5c-4c6f1d1f8a10
          - custom_-_7d1e0a55-8c3b-4f0e-b2a6-0f6f3c2b9e41
        timeout_seconds: 10
        mode: at_least
        parallel: 4
      register: raised

    - name: Apply an approved plan; skip actions changed since approval
      genesyscloud.cx.data_action_timeout:
        actions:
          - id: custom_-_0b6f6c9e-2f34-4a54-9d5c-4c6f1d1f8a10
            timeout_seconds: 20
            version: 7
          - name: Create ticket
            timeout_seconds: 30
        on_drift: skip

    - name: Roll back one change, unless the action was changed again since (version_after of the update)
      genesyscloud.cx.data_action_timeout:
        actions:
          - id: custom_-_7d1e0a55-8c3b-4f0e-b2a6-0f6f3c2b9e41
            timeout_seconds: null  # it had no explicit timeout before
            version: 5
        on_drift: skip

- name: Raise every low or timing-out action of an org, each to its own recommendation, within a cap
  genesyscloud.cx.data_action_timeout:
    select:
      timeout_at_most: 3
      verdicts: [timing_out, at_risk]
      category_exclude: [Sandbox]
    timeout_seconds: recommended
    mode: at_least
    max_changes: 50
  register: raised

- name: Right-size every action with enough executions, up or down, and report the whole org
  genesyscloud.cx.data_action_timeout:
    select:
      verdicts: [timing_out, at_risk, ok, oversized]
    timeout_seconds: recommended
    mode: exact
    stats_days: 14
    list_all: true
  check_mode: true
  diff: true

- name: Raise a function action, and its function's own timeout to the 15 s maximum
  genesyscloud.cx.data_action_timeout:
    name: Score lead (function)
    timeout_seconds: 15
    function_timeout_seconds: 15

- name: Raise low timeouts, and give any pending draft of those actions the same timeout
  genesyscloud.cx.data_action_timeout:
    select:
      timeout_at_most: 3
    timeout_seconds: 10
    mode: at_least
    drafts: update

- name: Raise low timeouts, keeping a journal that rolls the run back however it ends
  genesyscloud.cx.data_action_timeout:
    select:
      timeout_at_most: 3
    timeout_seconds: 10
    mode: at_least
    journal: "reports/{{ run_id }}/{{ inventory_hostname }}.journal.jsonl"
    journal_info:
      org: "{{ inventory_hostname }}"
      run_id: "{{ run_id }}"

- name: Roll an interrupted run back from its journal
  genesyscloud.cx.data_action_timeout:
    actions: "{{ journal_path | genesyscloud.cx.timeout_plan_actions('rollback', org=inventory_hostname) }}"
    list_all: true
    on_drift: skip

- name: Preview the change with a diff, writing nothing
  genesyscloud.cx.data_action_timeout:
    api_base_url: http://127.0.0.1:8080
    client_id: demo-client
    client_secret: demo-secret
    id: custom_-_0b6f6c9e-2f34-4a54-9d5c-4c6f1d1f8a10
    timeout_seconds: 12
  check_mode: true
  diff: true
"""

RETURN = r"""
rate_limit:
  description:
    - How the run kept to the rate limit. Genesys Cloud sends no rate-limit headers, so the module paces itself to
      O(requests_per_minute) requests in any 60 seconds and waits out every HTTP 429.
  returned: always, and on failure once a client was built
  type: dict
  contains:
    requests_per_minute:
      description: The pace the run started with (O(requests_per_minute)).
      type: int
      sample: 300
    learned_requests_per_minute:
      description:
        - The lower pace the run took for its rest after a 429 met within O(requests_per_minute) (a limit per
          org or per endpoint that the module cannot see), or V(null) when it kept its pace.
      type: int
      sample: 200
    rate_limited:
      description: How many answers were HTTP 429 (each was waited out and the request sent again, or it failed).
      type: int
      sample: 0
    waited_seconds:
      description: Seconds the run waited for the rate limit in all, C(paced_seconds) plus C(held_seconds).
      type: float
      sample: 58.2
    paced_seconds:
      description: Seconds during which requests waited for room within O(requests_per_minute).
      type: float
      sample: 58.2
    held_seconds:
      description: Seconds during which every request was held after a 429 (its C(Retry-After), else the seconds its
        message names, else a backoff).
      type: float
      sample: 0.0
interrupted:
  description:
    - Why a real run stopped before all its updates from outside (a stop signal such as Ctrl-C's SIGINT or
      SIGTERM, or its Ansible controller gone). The updates sent before are in RV(results), each as the server
      answered it; the others are V(not_attempted).
  returned: when a stop signal or the controller's end interrupted a real run
  type: str
  sample: it received SIGINT
run_warnings:
  description:
    - The run's warnings as text, the same as the task's own warnings, for a report (an action plugin that runs
      this module does not get them in its result with every ansible-core).
  returned: when the module reached the org
  type: list
  elements: str
  sample: ["The analytics query was refused (HTTP 403) ..."]
  version_added: 0.2.0
api_base_url:
  description: The API address the module talked to (from O(region) or O(api_base_url)), for a report.
  returned: when the module reached the org
  type: str
  sample: https://api.mypurecloud.ie
verify_before:
  description:
    - The outcome of each O(verify) entry's test before the first write, in the order given, as
      P(genesyscloud.cx.data_action_test#module) returns it (C(id), C(name), C(success), C(timed_out),
      C(duration_ms), C(timeout_seconds), C(effective_timeout_seconds), C(error), C(operations), C(output),
      C(msg)). In check mode and when O(max_changes) refused the plan, each has C(skipped=true) and
      C(success=null).
  returned: when O(verify) was given and the module got as far as the tests
  type: list
  elements: dict
  sample:
    - id: custom_-_0b6f6c9e-2f34-4a54-9d5c-4c6f1d1f8a10
      name: Lookup account
      success: false
      timed_out: true
      duration_ms: 3012
      timeout_seconds: 3
      effective_timeout_seconds: 3
      msg: "timed out after 3,012 ms: the effective timeout is 3 s"
verify_after:
  description:
    - The outcome of the test after the writes of each O(verify) entry whose action this run changed (status
      V(updated)), in the order given, in the shape of RV(verify_before); the others are left out. A test request
      that failed after the writes is there too, with C(failed=true), C(success=null) and its message in C(msg).
  returned: when O(verify) was given and the module got as far as the tests
  type: list
  elements: dict
  sample:
    - id: custom_-_0b6f6c9e-2f34-4a54-9d5c-4c6f1d1f8a10
      name: Lookup account
      success: true
      timed_out: false
      duration_ms: 412
      timeout_seconds: 10
      effective_timeout_seconds: 10
      msg: succeeded in 412 ms (timeout 10 s)
results_file:
  description:
    - The file O(results_file) that holds every result; RV(results) then holds only those with status V(updated),
      V(drifted), V(failed) or V(not_attempted).
  returned: when O(results_file) was given and written
  type: str
  sample: /srv/reports/20261130T101500Z-audit/.prod-eu.results.json
flows_touched:
  description:
    - The distinct published flows that call the actions the run plans to change (its updates, written or not), by
      flow, sorted by name ("this change affects N flows"), and how many of those actions have unknown flows.
  returned: when O(dependencies) is not V(none)
  type: dict
  contains:
    count: {description: How many distinct published flows., type: int}
    flows: {description: "Those flows, each C({id, name, type, version, state})", type: list, elements: dict}
    unknown_actions: {description: Planned actions whose flows are unknown (not counted in C(count))., type: int}
results:
  description:
    - One entry per requested action, in the order requested. Returned also when the module fails.
    - With O(results_file), only the entries with status V(updated), V(drifted), V(failed) or V(not_attempted)
      (all of them are in the file).
  returned: always
  type: list
  elements: dict
  contains:
    flows:
      description:
        - With O(dependencies) asking about the action, the flows that call it, sorted by name. C(state) is
          V(published) (what callers run today) or V(checked_in) (a saved version not published). An empty list
          means no flow calls it; none of them V(published) means no published flow calls it.
        - V(null) when its flows are unknown (see C(flows_unknown)) or were not asked about.
      returned: when O(dependencies) is not V(none)
      type: list
      elements: dict
      contains:
        id: {description: The flow's id., type: str}
        name: {description: The flow's name., type: str}
        type: {description: "The flow's type, for example V(INBOUNDCALLFLOW).", type: str}
        version: {description: "The flow's version, for example V(12.0).", type: str}
        state: {description: V(published) or V(checked_in)., type: str}
    flows_unknown:
      description: Why the action's flows are unknown (a refused permission, a rebuild, a failed read); else V(null).
      returned: when O(dependencies) is not V(none)
      type: str
    id:
      description: The action's id.
      type: str
      sample: custom_-_0b6f6c9e-2f34-4a54-9d5c-4c6f1d1f8a10
    name:
      description: The action's name.
      type: str
      sample: Lookup account
    category:
      description: The action's category.
      type: str
      sample: CRM
    kind:
      description: V(custom), V(static) (built-in) or V(custom_auth) (custom authentication).
      type: str
      sample: custom
    status:
      description:
        - V(updated) changed now; V(would_update) would change (check mode); V(unchanged) already as
          wanted (or, with O(timeout_seconds=recommended), no recommendation); V(drifted) version differs
          from the approved one, left unchanged; V(failed) see RV(results[].msg).
        - V(not_attempted) (a real run only) an update planned and never sent, because the run stopped before it
          (see the description) or refused to write at all (O(max_changes), O(on_drift=fail)); the action is as
          it was (after equals before), and RV(results[].msg) starts with C(not attempted, because) or C(not
          applied, because), the reason, and what was planned. Only V(updated) means the server confirmed a
          change; V(would_update) appears in check mode only.
        - V(unknown) (a real run only) an update sent whose outcome could not be learned - its answer was lost,
          and so was the read that would have settled it - so it may have been applied. The action is reported
          as read before (after equals before), RV(results[].unconfirmed_write) says what was sent, and the run
          fails. The journal leaves it unsettled, and a rollback undoes it only where it shows.
        - With O(list_all) also V(ok), V(not_selected), V(not_requested) and V(not_applicable), for the
          actions the run does not act on (see O(list_all)).
      type: str
      sample: updated
    unconfirmed_write:
      description: For a V(unknown) result, the update that was sent - its timeout and the version it was sent with.
      type: dict
      returned: when the status is V(unknown)
      sample: {"timeout_seconds": 10, "version": 4}
    timeout_seconds_before:
      description: The configured timeout before, as read; V(null) when the action sets none (it then runs with 60 s).
      type: int
      sample: 3
    timeout_seconds_after:
      description: The configured timeout after (predicted in check mode); V(null) when none is set.
      type: int
      sample: 10
    effective_timeout_seconds_before:
      description: The timeout the action ran with before - RV(results[].timeout_seconds_before), or 60 when unset.
      type: int
      sample: 3
    effective_timeout_seconds_after:
      description: The timeout the action runs with after - RV(results[].timeout_seconds_after), or 60 when unset.
      type: int
      sample: 10
    version_before:
      description: The action's version before, as read (the version the update was made against).
      type: int
      sample: 4
    version_after:
      description:
        - The action's version after the update, from the server's answer; the current version when
          unchanged; V(null) in check mode for an action that would change.
      type: int
      sample: 5
    msg:
      description: What was decided and why, or the error.
      type: str
      sample: timeout 3 s -> 10 s
    function_timeout_seconds_before:
      description:
        - For a function data action, its function's own timeout before (1 to 15 seconds); V(null) for other
          actions and when the function could not be read.
      returned: when O(function_timeouts) or O(function_timeout_seconds) (or O(actions[].function_timeout_seconds))
      type: int
      sample: 15
    function_timeout_seconds_after:
      description: The function's timeout after (predicted in check mode); V(null) as above.
      returned: when O(function_timeouts) or O(function_timeout_seconds) (or O(actions[].function_timeout_seconds))
      type: int
      sample: 10
    draft:
      description:
        - The action's pending (unpublished) draft, or V(null) when it has none.
      returned: unless O(drafts=ignore)
      type: dict
      contains:
        status:
          description:
            - V(kept) left as it is (O(drafts=report), or an action the run does not change); V(updated)
              given the action's new timeout; V(would_update) in check mode; V(unchanged) already holds it;
              V(failed) see RV(results[].msg).
          type: str
          sample: kept
        version_before:
          description: The draft's own version, as listed.
          type: int
          sample: 2
        version_after:
          description: The draft's version after; V(null) in check mode for a draft that would change.
          type: int
          sample: 3
        timeout_seconds_before:
          description: The draft's configured timeout, as listed; V(null) when it sets none (60 s).
          type: int
          sample: 3
        timeout_seconds_after:
          description: The draft's timeout after.
          type: int
          sample: 10
        holds_other_timeout:
          description:
            - Whether the draft holds a timeout other than the action's after the run - publishing the draft
              would set that one on the action.
          type: bool
          sample: true
    stats:
      description:
        - What the action did over the last O(stats_days) days, from the analytics query; V(null) when
          the query was refused.
      returned: when O(stats), O(timeout_seconds=recommended) or O(select.verdicts)
      type: dict
      contains:
        executions:
          description: How many executions, successful or not.
          type: int
        successes:
          description: How many succeeded (no C(errorType), or C(NONE)).
          type: int
        failures:
          description: How many failed (any other C(errorType)).
          type: int
        failure_share:
          description: The failures as a share of the executions, to four places; V(null) without executions.
          type: float
        failures_by_error_type:
          description: The failures by C(errorType) (Genesys does not document the values).
          type: dict
        sized_executions:
          description: The successful executions plus the failed ones that ran to the timeout; the timeout is sized from these.
          type: int
        mean_ms:
          description: The successful executions' mean time, in milliseconds (the API gives no median).
          type: int
        p95_ms:
          description: The successful executions' 95th percentile, in milliseconds; V(null) when the answer has none.
          type: int
        p99_ms:
          description: The sized executions' 99th percentile, in milliseconds (the server's, or an upper bound; see C(p99_source)).
          type: int
        p99_source:
          description: V(server) (the answer's C(p99)) or V(ladder) (the smallest view bound holding 99%); V(null) without a p99.
          type: str
        max_ms:
          description: The slowest execution, successful or not, in milliseconds.
          type: int
        reached_timeout:
          description: How many, successful or not, ran to the action's effective timeout (and were cut off there).
          type: int
    verdict:
      description: V(timing_out), V(at_risk), V(ok), V(oversized) or V(no_data); see O(stats).
      returned: when O(stats), O(timeout_seconds=recommended) or O(select.verdicts)
      type: str
      sample: timing_out
    recommended_timeout_seconds:
      description: The timeout the observed times call for; V(null) with too few executions.
      returned: when O(stats), O(timeout_seconds=recommended) or O(select.verdicts)
      type: int
      sample: 13
    recommendation:
      description: The reason for the verdict and the recommendation, in words.
      returned: when O(stats), O(timeout_seconds=recommended) or O(select.verdicts)
      type: str
  sample:
    - id: custom_-_0b6f6c9e-2f34-4a54-9d5c-4c6f1d1f8a10
      name: Lookup account
      category: CRM
      kind: custom
      status: updated
      timeout_seconds_before: 3
      timeout_seconds_after: 10
      effective_timeout_seconds_before: 3
      effective_timeout_seconds_after: 10
      version_before: 4
      version_after: 5
      msg: timeout 3 s -> 10 s
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.genesyscloud.cx.plugins.module_utils._connection import require_requests
from ansible_collections.genesyscloud.cx.plugins.module_utils._interruption import ControllerWatch
from ansible_collections.genesyscloud.cx.plugins.module_utils._options import OptionAdapter
from ansible_collections.genesyscloud.cx.plugins.module_utils._timeout_run import (
    MUTUALLY_EXCLUSIVE,
    REQUIRED_ONE_OF,
    argument_spec,
    hand_over_results,
    run_timeouts,
)


def main():
    module = AnsibleModule(
        argument_spec=argument_spec(),
        mutually_exclusive=MUTUALLY_EXCLUSIVE,
        required_one_of=REQUIRED_ONE_OF,
        supports_check_mode=True,
    )
    require_requests(module)
    # The processes up to the controller are read now, while it is surely there, to notice later that it is gone.
    watch = None if module.check_mode else ControllerWatch.of_this_process(module.run_command)
    msg, result = run_timeouts(OptionAdapter.from_module(module).request(), module.warn, watch)
    hand_over_results(module.params["results_file"], result, module.warn)
    if msg:
        module.fail_json(msg=msg, **result)
    module.exit_json(**result)


if __name__ == "__main__":
    main()

#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesyscloud.cx contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r"""
module: timeout_org_run
short_description: One org's run of the data_action_timeouts role - check the settings, change the timeouts, write the report
version_added: 0.2.0
description:
  - The step the role C(genesyscloud.cx.data_action_timeouts) runs once per org, in one task - use the role
    rather than this action, unless you build your own play around it.
  - Checks that O(settings) fit together, reads an approved plan or the report to roll back when one is given,
    runs M(genesyscloud.cx.data_action_timeout) once for the org (one listing; the plan by the rule or the plan
    given; C(max_changes); the journal; the tests), and writes the org's report into O(dest) as JSON, Markdown
    and HTML (as M(genesyscloud.cx.timeout_org_report) does).
  - Settings that do not fit together, or a plan that cannot be used, stop the org before any request, with the
    reason in RV(msg) and no report (nothing happened). Past that check, the org's report is written whatever
    failed (an unexpected error included), and the task then fails for the org with what the report says.
  - A run that writes (not an audit, not check mode) holds the org's lock C(<org>.lock) in O(dest), beside its
    journal, from before its first request until its report is written. Another live run of the org under the same
    report folder (a lock in any sibling of O(dest) whose process runs) refuses the org before any request. The lock
    is removed on every way out, SIGINT, SIGTERM and SIGHUP included; one left by a killed process is stale (its
    process is gone, its pid belongs to another process, or the machine restarted) and is taken over. A lock of
    another host is held live.
  - When the report cannot be written after the run changed actions (a full disk), the task fails with
    C(changed=true), the number of actions changed, the journal's path (RV(journal)) and the rollback command.
  - In rollback mode, a report that records no change in the org gives a warning naming the report of the same run
    id (the folders C(<run id>) and C(<run id>-<n>) beside it) that does.
  - An action plugin - the settings and the report are handled on the controller. When the org's host runs its
    modules on the controller with the controller's own Python (C(connection=local) and C(ansible_python_interpreter)
    the playbook's Python, as the role's orgs are set up - the delegated host's when the task is delegated; no
    C(become) or task C(timeout)), the task's worker calls M(genesyscloud.cx.data_action_timeout)'s library itself,
    with the module's argument checks (their alias and deprecation warnings in the result), secrets masked in its
    result, and the same stop before any new write once the controller is gone or a signal asks it to stop. The
    results then stay in memory until the report is written. That saves a module process per org (about 0.3 s of
    CPU each). Otherwise the module runs as a module, where the host runs its modules, and hands its results over
    in C(.<org>.results.json) in O(dest). C(-vvv) says which, and why.
  - ansible-core refuses C(async) on this action.
  - Either way the call gets the play's C(module_defaults) for M(genesyscloud.cx.data_action_timeout) and for the
    group C(group/genesyscloud.cx.genesyscloud) (the options given to this action win), and the task's
    C(environment) for the call only (put back after, so loop items and later tasks never see it).
  - Returns what was found and what changed in RV(msg), shown at default verbosity.
author:
  - genesyscloud.cx maintainers (@genesyscloud-cx)
options:
  settings:
    description:
      - The role's variables without their C(data_action_timeouts_) prefix (the role's documentation says what
        each means). Only O(settings.mode) is required.
    type: dict
    required: true
    suboptions:
      mode:
        description: V(audit), V(remediate), V(right_size) or V(rollback). An audit always runs in check mode.
        type: str
        required: true
        choices: [audit, remediate, right_size, rollback]
      playbook_mode:
        description: The mode of the collection's playbook that runs the role; a different O(settings.mode) is refused.
        type: str
      threshold:
        description: Seconds; actions whose effective timeout is at or below it are low (1 to 60).
        type: raw
        default: 3
      target:
        description: Seconds to raise low timeouts to (1 to 60, at least O(settings.threshold)), or V(recommended).
        type: raw
        default: 10
      use_stats:
        description: Read the actions' observed execution times.
        type: bool
        default: false
      stats_fallback:
        description:
          - When the analytics query is refused, select by O(settings.threshold) alone (with a warning) instead of
            failing the org before any write.
        type: bool
        default: false
      stats_days:
        description: Days of observed times to read.
        type: int
      headroom:
        description: The recommendation's factor over the observed p99.
        type: float
      min_executions:
        description: Executions an action needs before its observed times count.
        type: int
      at_risk_share:
        description: The share of the timeout at which an action's p99 is at risk.
        type: float
      name_include:
        description: Regular expressions; only actions whose name matches one are considered.
        type: list
        elements: str
        default: []
      name_exclude:
        description: Regular expressions; actions whose name matches one are left out.
        type: list
        elements: str
        default: []
      category_include:
        description: Only actions in these categories are considered.
        type: list
        elements: str
        default: []
      category_exclude:
        description: Actions in these categories are left out.
        type: list
        elements: str
        default: []
      explicit_timeout:
        description: V(true) considers only actions with a timeout set, V(false) only those without one.
        type: bool
      drafts:
        description:
          - What to do with pending drafts of the actions - O(genesyscloud.cx.data_action_timeout#module:drafts).
        type: str
        default: report
        choices: [report, update, ignore]
      dependencies:
        description:
          - Which actions' calling flows to read - O(genesyscloud.cx.data_action_timeout#module:dependencies); the
            role's default asks for the actions the run plans to change.
        type: str
        default: planned
        choices: [none, planned, all]
      dependencies_checked_in:
        description:
          - Also list the checked-in versions of those flows -
            O(genesyscloud.cx.data_action_timeout#module:dependencies_checked_in).
        type: bool
        default: false
      function_timeouts:
        description: Also check the timeouts of function data actions' functions.
        type: bool
        default: false
      function_timeout_seconds:
        description: The timeout to give the functions (1 to 15 seconds).
        type: raw
      max_changes:
        description:
          - The most actions the run may change in the org; more are refused before any write.
          - Unset, 50, but for a rollback, which has no cap unless given one (its record bounds it).
        type: raw
      plan:
        description: An approved plan - the path of a dry run's JSON report, or that data.
        type: raw
      rollback_report:
        description: For V(rollback) - the JSON report or the journal of the run to undo, or that data.
        type: raw
      on_drift:
        description: What to do with an action that changed since the plan or report.
        type: str
        default: skip
        choices: [skip, fail, apply]
      verify:
        description: Test invocations to prove the change with, before and after the writes.
        type: list
        elements: dict
        default: []
      parallel:
        description:
          - How many requests of one kind go at once (1 to 32) - updates in flight, listing pages, function reads;
            also the size of the connection pool. Unset, the module's default; V(0) is refused, not taken as unset.
          - See O(genesyscloud.cx.data_action_timeout#module:parallel).
        type: int
  dest:
    description:
      - The run's report folder. Its name is the run id; the org's report is C(<inventory_hostname>.<format>) in it.
    type: path
    required: true
  formats:
    description:
      - The report's formats. The JSON is always written - it is the record that plans, rollbacks and the run
        report are made from.
    type: list
    elements: str
    choices: [json, md, html]
    default: [json, md, html]
  interrupted_runs_in:
    description:
      - A report folder to search for the org's interrupted runs (journals that stopped before their end, or runs
        that changed actions but left no report); each found is a warning of the report and a line of RV(msg), with
        how to roll it back. A run that holds the org's lock (going on now) is not one.
      - The same folder is where the org's newest earlier report is looked for (C(<folder>/<run id>/<org>.json), any
        mode, outside O(dest)); the report's C(since_last_run) says what moved since (actions added and removed,
        timeouts changed by someone else, verdicts changed), at no request's cost; null without this option or
        without an earlier report.
    type: path
extends_documentation_fragment:
  - genesyscloud.cx.connection
  - genesyscloud.cx.attributes
attributes:
  check_mode:
    description:
      - The update module sends no write request; the report says what would change. An audit always runs this way.
    support: full
  diff_mode:
    description: Returns the update module's diff - one line per action that changes, with its timeout before and after.
    support: full
notes:
  - The connection options are handed to M(genesyscloud.cx.data_action_timeout) as given; where one is not given,
    the play's C(module_defaults) for the group C(genesyscloud.cx.genesyscloud) or for
    M(genesyscloud.cx.data_action_timeout) apply, and else that module's default or environment variable.
seealso:
  - module: genesyscloud.cx.data_action_timeout
  - module: genesyscloud.cx.timeout_org_report
"""

EXAMPLES = r"""
- name: Raise the low timeouts of one org and write its report
  genesyscloud.cx.timeout_org_run:
    region: eu-west-1
    client_id: "{{ genesyscloud_client_id }}"
    client_secret: "{{ genesyscloud_client_secret }}"
    settings:
      mode: remediate
      threshold: 3
      target: 10
      max_changes: 20
    dest: reports/20261130T101500Z-remediate
"""

RETURN = r"""
msg:
  description: What was found and what changed (or would), a line each, and a line for the org's failure.
  returned: always
  type: list
  elements: str
  sample:
    - "prod-us: 245 actions; 12 at or below 3 s"
    - "prod-us: 12 changed -> reports/20261130T101500Z-remediate/prod-us.html"
diff:
  description: The update module's diff, in diff mode.
  returned: with C(--diff), when the module ran
  type: dict
journal:
  description: The org's journal, the record of what the run changed, when its report could not be written.
  returned: when the run changed actions but its report could not be written
  type: str
  sample: reports/20261130T101500Z-remediate/prod-us.journal.jsonl
"""

#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesyscloud.cx contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r"""
module: timeout_report_files
short_description: Write a data-action timeout report as JSON, Markdown and HTML files on the controller (deprecated)
version_added: 0.2.0
description:
  - Deprecated - use M(genesyscloud.cx.timeout_run_folder), M(genesyscloud.cx.timeout_org_report) and
    M(genesyscloud.cx.timeout_run_report), one per task this module did. It keeps working, as before, until 1.0.0.
  - Writes an org report (from the filter P(genesyscloud.cx.timeout_report#filter)) or a run report (from
    P(genesyscloud.cx.timeout_run_report#filter)) into O(dest) as C(<name>.json), C(<name>.md) and
    C(<name>.html), in one task. Each file is written whole and then renamed into place, so a reader
    never sees half a report.
  - Runs on the controller, whatever the host (an action plugin). It talks to no Genesys Cloud org, so
    it takes no connection options and is not in the action group.
  - Returns a short summary of the report in RV(msg), shown at default verbosity unless O(show=false).
  - Can publish data for the next job of an AWX / Automation Platform workflow (O(set_stats)), as
    M(ansible.builtin.set_stats) does.
deprecated:
  removed_in: 1.0.0
  why: >-
    One module did four things behind 17 options. Each is a module of its own now, with only the options it takes.
  alternative: >-
    genesyscloud.cx.timeout_run_folder for prepare=true, genesyscloud.cx.timeout_run_report for orgs, and
    genesyscloud.cx.timeout_org_report for results, results_file and an org report. A run report given as report is
    written with the filters genesyscloud.cx.timeout_report_markdown and genesyscloud.cx.timeout_report_html and
    ansible.builtin.copy; set_stats is ansible.builtin.set_stats.
author:
  - genesyscloud.cx maintainers (@genesyscloud-cx)
options:
  report:
    description:
      - The org or run report to write. Give this, O(results), O(results_file) or O(orgs) (or O(prepare)).
    type: dict
  results:
    description:
      - Build the org report from these results with O(report_options), and write it. They are what the filter
        P(genesyscloud.cx.timeout_report#filter) takes - the RV(genesyscloud.cx.data_action_timeout#module:results)
        of M(genesyscloud.cx.data_action_timeout), or the listing of M(genesyscloud.cx.data_action_info).
    type: list
    elements: dict
    version_added: 0.2.0
  results_file:  # described in the doc fragment genesyscloud.cx.report_writing.org_report
    version_added: 0.2.0
  report_options:
    description:
      - With O(results) or O(results_file), the keyword arguments of the filter
        P(genesyscloud.cx.timeout_report#filter) - C(org), C(mode), C(check_mode), C(run_id),
        C(api_base_url), C(threshold), C(target), C(use_stats), C(stats_options), C(verify_before),
        C(verify_after), C(warnings) - with the same meaning.
    type: dict
    version_added: 0.2.0
  error:
    description:
      - With O(results) or O(results_file), why the run failed for the org, kept in the report (its
        C(error)). Empty for an org that did not fail.
    type: str
    version_added: 0.2.0
  run_result:
    description:
      - With O(results) or O(results_file), the registered result of the org's
        M(genesyscloud.cx.data_action_timeout) task (a skipped or failed one included), so that the report says
        what that call said, without a template per value in the play.
      - Its C(api_base_url) is the report's; its C(verify_before) and C(verify_after) replace those of
        O(report_options) that are not null; its C(warnings) come first among the report's warnings.
      - When O(error) is empty, the org's error is the call's failure, if any - its C(msg) (for a task that
        Ansible itself failed, such as unusable arguments, with the filter's wrapping taken off; RV(msg) then
        says that the error is shown above rather than repeating it) - or, in a rollback that is not a dry run
        (C(mode=rollback), C(check_mode=false) in O(report_options)), the actions it left as they were because
        they changed again (drifted).
    type: dict
    version_added: 0.2.0
  interrupted_runs_in:  # described in the doc fragment genesyscloud.cx.report_writing.org_report
    version_added: 0.2.0
  orgs:
    description:
      - Build the run report from these orgs' reports already written into O(dest) as C(<org>.json)
        (an org without one is left out, such as one of a later C(serial) wave), and write it. Reading
        the files, rather than passing every org's report through Ansible variables, keeps a run over
        many large orgs fast.
    type: list
    elements: str
  run_id:
    description: With O(orgs), the run report's id.
    type: str
  name:
    description: The files' name without extension. Defaults to the org of an org report, C(run) for a run report.
    type: str
  set_stats:
    description:
      - Data to publish as custom stats (C(per_host=false), C(aggregate=true)), which AWX / Automation
        Platform hands to the next job of a workflow as extra variables. Dictionaries published by several
        hosts are merged.
    type: dict
  publish_plan_as:
    description:
      - Also publish the report's compact plan (the filter P(genesyscloud.cx.timeout_plan#filter)) as custom
        stats under this name.
    type: str
  publish_summaries_as:
    description: Also publish each org's summary, by org, as custom stats under this name.
    type: str
  prepare:
    description:
      - Write no report; only create O(dest) and prove that reports can be written there, by writing a small
        probe file and removing it. Fails, naming the folder and the reason (read-only, full, not a folder),
        when they cannot.
      - Done before the first request of a run, so that a folder where the reports cannot go is found before
        anything changes in Genesys Cloud, not after. Give it without O(report), O(results),
        O(results_file) and O(orgs).
    type: bool
    default: false
    version_added: 0.2.0
  run_continues:
    description:
      - With O(prepare), O(dest) is the folder of the run going on, made by an earlier C(serial) wave of the play;
        it is used as it is.
      - Otherwise a O(dest) that holds the record of an earlier run that wrote to Genesys Cloud (a journal that
        records changes, or writes of unknown outcome) is never written into - see O(run_id_chosen).
    type: bool
    default: false
  run_id_chosen:
    description:
      - With O(prepare), whether the user chose the run id that names O(dest). When O(dest) holds the record of an
        earlier run that wrote, a chosen run id is refused before any request, naming a free one
        (C(<run id>-2), C(<run id>-3), ...); a run id made up by the role moves on to the first free one, which
        the result's RV(dest) says. A folder holding only dry runs, or runs that wrote nothing, is used again.
    type: bool
    default: true
extends_documentation_fragment:
  - genesyscloud.cx.attributes.report_files
  - genesyscloud.cx.report_writing
  - genesyscloud.cx.report_writing.org_report
seealso:
  - module: genesyscloud.cx.timeout_run_folder
  - module: genesyscloud.cx.timeout_org_report
  - module: genesyscloud.cx.timeout_run_report
"""

EXAMPLES = r"""
- name: Before any request, make sure the reports can be written
  genesyscloud.cx.timeout_report_files:
    dest: "reports/{{ run_id }}"
    prepare: true
  run_once: true

- name: Report what the remediation did in this org
  genesyscloud.cx.timeout_report_files:
    report: >-
      {{ update.results | genesyscloud.cx.timeout_report(org=inventory_hostname, mode='remediate',
         check_mode=ansible_check_mode, run_id=run_id) }}
    dest: "reports/{{ run_id }}"

- name: For a large org, hand the results over in a file rather than through Ansible variables
  genesyscloud.cx.data_action_timeout:
    select:
      timeout_at_most: 3
    timeout_seconds: 10
    mode: at_least
    list_all: true
    results_file: "reports/{{ run_id }}/.{{ inventory_hostname }}.results.json"
  register: update

- name: Report the large org from that file
  genesyscloud.cx.timeout_report_files:
    results_file: "{{ update.results_file }}"
    report_options:
      org: "{{ inventory_hostname }}"
      mode: remediate
      check_mode: "{{ ansible_check_mode }}"
      run_id: "{{ run_id }}"
    dest: "reports/{{ run_id }}"

- name: Write the whole run's report once, from the org reports, and hand its plan to the next job
  genesyscloud.cx.timeout_report_files:
    orgs: "{{ ansible_play_hosts_all }}"
    run_id: "{{ run_id }}"
    dest: "reports/{{ run_id }}"
    publish_plan_as: approved_plan
  run_once: true
"""

RETURN = r"""
dest:
  description: With O(prepare), the folder made ready, as given (a path with C(~) expanded).
  returned: when O(prepare=true)
  type: str
  sample: /srv/reports/20261130T101500Z-audit
  version_added: 0.2.0
paths:
  description: The files written, in the order of O(formats).
  returned: always
  type: list
  elements: str
  sample: [reports/20261130T101500Z-audit/prod-us.json, reports/20261130T101500Z-audit/prod-us.md]
failure:
  description:
    - For an org report, why the run failed for the org (the report's C(error)); empty when it did not.
  returned: when an org report was written
  type: str
  sample: ""
  version_added: 0.2.0
msg:
  description:
    - What the report says, in one or two lines per org (actions, findings, changes), a line for the org's
      failure, and one per interrupted run found (O(interrupted_runs_in)).
  returned: always
  type: list
  elements: str
  sample:
    - "prod-us: 245 actions; 12 at or below 3 s; stats 7 d: 5 timing_out, 3 at_risk, 120 oversized"
    - "prod-us: 17 updated, 0 failed, 0 drifted -> reports/20261130T101500Z-remediate/prod-us.html"
"""

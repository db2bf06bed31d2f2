#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesyscloud.cx contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r"""
module: timeout_org_report
short_description: Write one org's data-action timeout report as JSON, Markdown and HTML files on the controller
version_added: 0.2.0
description:
  - Builds an org's report from the results of M(genesyscloud.cx.data_action_timeout) or
    M(genesyscloud.cx.data_action_info) (O(results)), or from the file M(genesyscloud.cx.data_action_timeout) handed
    them over in (O(results_file)), as the filter P(genesyscloud.cx.timeout_report#filter) builds it; or takes a
    report that filter built (O(report)). Writes it into O(dest) as C(<name>.json), C(<name>.md) and C(<name>.html).
    Each file is written whole and then renamed into place, so a reader never sees half a report.
  - For playbooks of your own around the modules; the role C(genesyscloud.cx.data_action_timeouts) writes each org's
    report in its M(genesyscloud.cx.timeout_org_run) task.
  - Returns a short summary of the report in RV(msg), shown at default verbosity unless O(show=false).
  - Runs on the controller, whatever the host (an action plugin). It talks to no Genesys Cloud org, so it takes no
    connection options and is not in the action group.
author:
  - genesyscloud.cx maintainers (@genesyscloud-cx)
options:
  results:
    description:
      - Build the report from these results with O(report_options). They are what the filter
        P(genesyscloud.cx.timeout_report#filter) takes - the RV(genesyscloud.cx.data_action_timeout#module:results)
        of M(genesyscloud.cx.data_action_timeout), or the listing of M(genesyscloud.cx.data_action_info).
      - Give exactly one of O(results), O(results_file) and O(report).
    type: list
    elements: dict
  report:
    description:
      - An org report as the filter P(genesyscloud.cx.timeout_report#filter) built it, written as it is.
    type: dict
  report_options:
    description:
      - With O(results) or O(results_file), the keyword arguments of the filter P(genesyscloud.cx.timeout_report#filter)
        - C(org), C(mode), C(check_mode), C(run_id), C(api_base_url), C(generated_at), C(threshold), C(target),
        C(use_stats), C(stats_options), C(verify_before), C(verify_after), C(warnings) - with the same meaning.
    type: dict
  run_result:
    description:
      - With O(results) or O(results_file), the registered result of the org's M(genesyscloud.cx.data_action_timeout)
        task (a skipped or failed one included), so that the report says what that call said.
      - Its C(api_base_url) is the report's; its C(verify_before) and C(verify_after) replace those of
        O(report_options) that are not null; its C(warnings) come first among the report's warnings; its C(rate_limit)
        is the report's.
      - The org's error (the report's C(error)) is the call's failure, if any - its C(msg) (for a task that Ansible
        itself failed, such as unusable arguments, with the filter's wrapping taken off; RV(msg) then says that the
        error is shown above rather than repeating it) - or, in a rollback that is not a dry run (C(mode=rollback),
        C(check_mode=false) in O(report_options)), the actions it left as they were because they changed again
        (drifted).
    type: dict
  name:
    description: The files' name without extension. Defaults to the report's org.
    type: str
  publish_plan_as:
    description:
      - Publish the report's compact plan (the filter P(genesyscloud.cx.timeout_plan#filter)) as custom stats under
        this name (C(per_host=false), C(aggregate=true)), which AWX / Automation Platform hands to the next job of a
        workflow as extra variables.
    type: str
extends_documentation_fragment:
  - genesyscloud.cx.attributes.report_files
  - genesyscloud.cx.report_writing
  - genesyscloud.cx.report_writing.org_report
seealso:
  - module: genesyscloud.cx.data_action_timeout
  - module: genesyscloud.cx.timeout_run_report
"""

EXAMPLES = r"""
- name: Raise the low timeouts of a large org, handing the results over in a file rather than through Ansible variables
  genesyscloud.cx.data_action_timeout:
    select:
      timeout_at_most: 3
    timeout_seconds: 10
    mode: at_least
    list_all: true
    results_file: "reports/{{ run_id }}/.{{ inventory_hostname }}.results.json"
  register: update

- name: Report what the remediation did in this org, from that file
  genesyscloud.cx.timeout_org_report:
    results_file: "{{ update.results_file }}"
    run_result: "{{ update }}"
    report_options:
      org: "{{ inventory_hostname }}"
      mode: remediate
      check_mode: "{{ ansible_check_mode }}"
      run_id: "{{ run_id }}"
    dest: "reports/{{ run_id }}"

- name: Write a report built with the filter
  genesyscloud.cx.timeout_org_report:
    report: >-
      {{ update.results | genesyscloud.cx.timeout_report(org=inventory_hostname, mode='remediate',
         check_mode=ansible_check_mode, run_id=run_id) }}
    dest: "reports/{{ run_id }}"
"""

RETURN = r"""
paths:
  description: The files written, in the order of O(formats).
  returned: always
  type: list
  elements: str
  sample: [reports/20261130T101500Z-audit/prod-us.json, reports/20261130T101500Z-audit/prod-us.md]
failure:
  description: Why the run failed for the org (the report's C(error)); empty when it did not.
  returned: always
  type: str
  sample: ""
msg:
  description:
    - What the report says, in one or two lines (actions, findings, changes), a line for the org's failure, and one
      per interrupted run found (O(interrupted_runs_in)).
  returned: always
  type: list
  elements: str
  sample:
    - "prod-us: 245 actions; 12 at or below 3 s; stats 7 d: 5 timing_out, 3 at_risk, 120 oversized"
    - "prod-us: 17 updated, 0 failed, 0 drifted -> reports/20261130T101500Z-remediate/prod-us.html"
"""

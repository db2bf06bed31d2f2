#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesyscloud.cx contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r"""
module: timeout_run_report
short_description: Write a run's data-action timeout report from its org reports, and publish its plan
version_added: 0.2.0
description:
  - Reads the reports of O(orgs) already written into O(dest) as C(<org>.json) (an org without one is left out, such
    as one of a later C(serial) wave, or one refused before any request), and writes the run's report there as
    C(run.json), C(run.md) and C(run.html), as the filter P(genesyscloud.cx.timeout_run_report#filter) builds it. Each
    file is written whole and then renamed into place, so a reader never sees half a report. Where every org has its
    page in O(dest), each action's row of the run page links to it.
  - Reading the files, rather than passing every org's report through Ansible variables, keeps a run over many large
    orgs fast. With C(serial), run it after every wave - each rewrite holds every org done so far.
  - An org whose run wrote to Genesys Cloud but left no report (a full disk) is a warning naming its journal and the
    rollback command - the run report must not look like the whole record. When no org has a report and none wrote,
    nothing is written and an empty O(dest) is removed.
  - Can publish the run's compact plan and each org's summary for the next job of an AWX / Automation Platform
    workflow, as M(ansible.builtin.set_stats) does (C(per_host=false), C(aggregate=true)).
  - Runs on the controller, whatever the host (an action plugin). It talks to no Genesys Cloud org, so it takes no
    connection options and is not in the action group.
author:
  - genesyscloud.cx maintainers (@genesyscloud-cx)
options:
  dest:
    description: The run's folder on the controller, holding the org reports (as M(genesyscloud.cx.timeout_run_folder) prepared it).
    type: path
    required: true
  orgs:
    description: The orgs of the run - the inventory hosts, in the role.
    type: list
    elements: str
    required: true
  run_id:
    description: The run report's id. Defaults to none; the role gives the name of O(dest).
    type: str
  publish_plan_as:
    description:
      - Publish the run's compact plan (the filter P(genesyscloud.cx.timeout_plan#filter)) as custom stats under this
        name. A dry run's plan is what an approval node approves; a run that wrote publishes what a rollback needs.
    type: str
  publish_summaries_as:
    description: Publish each org's summary, by org, as custom stats under this name.
    type: str
  publish_since_last_run_as:
    description:
      - Publish, by org, the counts of what moved since the org's last run (C(added), C(removed),
        C(timeouts_changed), C(verdicts_changed)) as custom stats under this name.
      - An org whose run compared with no earlier report of it has C(null).
    type: str
extends_documentation_fragment:
  - genesyscloud.cx.attributes.report_files
  - genesyscloud.cx.report_writing
seealso:
  - module: genesyscloud.cx.timeout_run_folder
  - module: genesyscloud.cx.timeout_org_report
  - module: genesyscloud.cx.timeout_org_run
"""

EXAMPLES = r"""
- name: Write the whole run's report once, from the org reports, and hand its plan to the next job
  genesyscloud.cx.timeout_run_report:
    orgs: "{{ ansible_play_hosts_all }}"
    run_id: "{{ run_id }}"
    dest: "reports/{{ run_id }}"
    publish_plan_as: approved_plan
    publish_summaries_as: summaries
  run_once: true
"""

RETURN = r"""
paths:
  description: The files written, in the order of O(formats); empty when no org had a report.
  returned: always
  type: list
  elements: str
  sample: [reports/20261130T101500Z-audit/run.json, reports/20261130T101500Z-audit/run.md]
msg:
  description: The run's id, how many orgs it holds and where, and a line per org whose run wrote but left no report.
  returned: always
  type: list
  elements: str
  sample:
    - "run 20261130T101500Z-audit: 3 org(s); reports in reports/20261130T101500Z-audit"
"""

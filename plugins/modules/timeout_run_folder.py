#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesyscloud.cx contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r"""
module: timeout_run_folder
short_description: Prepare a run's report folder on the controller before the run's first request
version_added: 0.2.0
description:
  - Creates O(dest) (mode C(0755)) when missing and proves that reports can be written there, by writing a small probe
    file and removing it. Fails, naming the folder and the reason (read-only, full, not a folder), when they cannot.
  - Run it before the first request of a run, so that a folder where the reports cannot go is found before anything
    changes in Genesys Cloud, not after. The role C(genesyscloud.cx.data_action_timeouts) runs it as its first task.
  - A folder that holds the record of an earlier run that wrote to Genesys Cloud (a journal that records changes, or
    writes of unknown outcome) is never written into; see O(run_id_chosen). A folder holding only dry runs, or runs
    that wrote nothing, is used again.
  - Runs on the controller, whatever the host (an action plugin). It talks to no Genesys Cloud org, so it takes no
    connection options and is not in the action group.
author:
  - genesyscloud.cx maintainers (@genesyscloud-cx)
options:
  dest:
    description:
      - The run's folder, on the controller; its name is the run id. The result's RV(dest) is the folder made ready,
        which is another one only when O(run_id_chosen=false).
    type: path
    required: true
  run_continues:
    description:
      - O(dest) is the folder of the run going on, made by an earlier C(serial) wave of the play; it is used as it is,
        whatever it holds.
    type: bool
    default: false
  run_id_chosen:
    description:
      - Whether the user chose the run id that names O(dest). When O(dest) holds the record of an earlier run that
        wrote, a chosen run id is refused before any request, naming a free one (C(<run id>-2), C(<run id>-3), ...);
        a run id made up by the play moves on to the first free one, which the result's RV(dest) says.
    type: bool
    default: true
extends_documentation_fragment:
  - genesyscloud.cx.attributes.report_files
seealso:
  - module: genesyscloud.cx.timeout_org_report
  - module: genesyscloud.cx.timeout_run_report
"""

EXAMPLES = r"""
- name: Before any request, make sure the run's reports can be written
  genesyscloud.cx.timeout_run_folder:
    dest: "reports/{{ run_id }}"
  run_once: true
  register: run_folder

- name: A run id made up here moves on to a free one when an earlier run that wrote holds its folder
  genesyscloud.cx.timeout_run_folder:
    dest: "reports/{{ now(utc=true, fmt='%Y%m%dT%H%M%SZ') }}-remediate"
    run_id_chosen: false
  run_once: true
  register: run_folder
"""

RETURN = r"""
dest:
  description: The folder made ready (a path with C(~) expanded); its name is the run id.
  returned: success
  type: str
  sample: /srv/reports/20261130T101500Z-audit
msg:
  description: Where the reports go, in one line.
  returned: success
  type: list
  elements: str
  sample: ["reports go to /srv/reports/20261130T101500Z-audit"]
"""

# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesyscloud.cx contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function
__metaclass__ = type


class ModuleDocFragment(object):
    # The options of the report modules that say the same in each; an option a module words its own way stays there.
    # The actions take them by REPORT_WRITING_ARGS and ORG_REPORT_ARGS (plugin_utils/_report_action.py).
    # What a report task writes and says: timeout_org_report, timeout_run_report, timeout_report_files.
    DOCUMENTATION = r"""
options:
  formats:
    description: Which files to write. C(json) is the input of approved plans and rollbacks.
    type: list
    elements: str
    choices: [json, md, html]
    default: [json, md, html]
  show:
    description: Show RV(msg) at default verbosity.
    type: bool
    default: true
"""

    # Where an org report goes and what it is built from besides the results: timeout_org_report, timeout_report_files.
    ORG_REPORT = r"""
options:
  dest:
    description: The directory to write into, on the controller. Created (mode C(0755)) when missing.
    type: path
    required: true
  results_file:
    description:
      - The same, read from the JSON file that M(genesyscloud.cx.data_action_timeout) wrote
        (O(genesyscloud.cx.data_action_timeout#module:results_file)), on the controller. The results never pass through
        Ansible variables, which for an org of thousands of actions saves seconds.
      - The file is removed once the report is written (the report holds everything it held); it is left in place when
        the report could not be written.
    type: path
  interrupted_runs_in:
    description:
      - With O(results) or O(results_file), a report folder whose journals of this org are read for runs that were
        interrupted after changing actions, as the filter P(genesyscloud.cx.timeout_interrupted_runs#filter) reads
        them (the current C(run_id) of O(report_options) left out). Each run found is a warning of the report and a
        line of RV(msg), with the command that rolls it back.
    type: path
"""

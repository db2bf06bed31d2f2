# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesyscloud.cx contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

# FOR INTERNAL COLLECTION USE ONLY
# The interfaces in this file are meant for use within the genesyscloud.cx collection and may change in
# any release.

"""What every report action shares around its one step: controller-only, runs in check mode, its options
validated, changed=false, and what a report task publishes and shows. Base of the timeout_run_folder,
timeout_org_report, timeout_run_report and timeout_report_files (deprecated) actions."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from ansible.plugins.action import ActionBase

from ansible_collections.genesyscloud.cx.plugins.plugin_utils._report_files import FORMATS

# The options the doc fragment report_writing documents, as the actions take them (each adds them to its own spec).
REPORT_WRITING_ARGS = {
    "formats": {"type": "list", "elements": "str", "choices": list(FORMATS), "default": list(FORMATS)},
    "show": {"type": "bool", "default": True},
}
# Those of report_writing.org_report: where an org report goes and what besides the results it is built from.
ORG_REPORT_ARGS = {
    "dest": {"type": "path", "required": True},
    "results_file": {"type": "path"},
    "interrupted_runs_in": {"type": "path"},
}


class ReportAction(ActionBase):
    """Works on the controller only and never contacts the managed host. A subclass names its options in
    ARGUMENT_SPEC (with the rules between them in ARGUMENT_RULES) and does its step in _report_step."""

    TRANSFERS_FILES = False
    # A dry run's reports are its outcome: the files are written in check mode too.
    _supports_check_mode = True
    ARGUMENT_SPEC = {}
    # validate_argument_spec's keywords for the options' rules: mutually_exclusive, required_one_of, ...
    ARGUMENT_RULES = {}

    def __init_subclass__(cls, **kwargs):
        super(ReportAction, cls).__init_subclass__(**kwargs)
        # Derived, so that the options accepted and the options validated cannot disagree.
        cls._VALID_ARGS = frozenset(cls.ARGUMENT_SPEC)

    def run(self, tmp=None, task_vars=None):
        result = super(ReportAction, self).run(tmp, task_vars)
        dummy, args = self.validate_argument_spec(argument_spec=self.ARGUMENT_SPEC, **self.ARGUMENT_RULES)
        result["changed"] = False  # only changes in Genesys Cloud count as changes in a run's recap
        self._report_step(args, result)
        return result

    def _report_step(self, args, result):
        """Do the action's work with the validated args, adding what it returns to result."""
        raise NotImplementedError

    @staticmethod
    def _publish(result, stats, show):
        """Hand the custom stats to the run (none when empty) and show msg at default verbosity when asked."""
        if stats:
            result["ansible_stats"] = stats
        if show:
            result["_ansible_verbose_always"] = True

# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesyscloud.cx contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

# FOR INTERNAL COLLECTION USE ONLY
# The interfaces in this file are meant for use within the genesyscloud.cx collection and may change in
# any release.

"""A run's options as the collection's libraries read them, whoever validated them: an AnsibleModule (a module
process) or an action plugin that validated its task's arguments with the same argument spec (its own worker).

The libraries (``_timeout_run``, ``_info_run``) take a RunRequest and know nothing of AnsibleModule.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from ansible_collections.genesyscloud.cx.plugins.module_utils._connection import connection_argument_spec
from ansible_collections.genesyscloud.cx.plugins.module_utils.execution_stats import stats_argument_spec


def org_run_argument_spec(**options):
    """The argument spec of a library's run of one org: the connection, the observed times, one action by ``id`` or
    ``name``, and the run's own ``options``."""
    spec = connection_argument_spec()
    spec.update(stats_argument_spec())
    spec.update(id=dict(type="str"), name=dict(type="str"))
    spec.update(options)
    return spec


class RunRequest(object):
    """What one run is asked: its validated options, and whether it only predicts (check mode) and shows a diff."""

    __slots__ = ("params", "check_mode", "diff")

    def __init__(self, params, check_mode=False, diff=False):
        self.params = params
        self.check_mode = bool(check_mode)
        self.diff = bool(diff)

    def __repr__(self):
        # The options hold secrets: never shown.
        return "RunRequest(%d options, check_mode=%s, diff=%s)" % (len(self.params), self.check_mode, self.diff)


class OptionAdapter(object):
    """One way to read validated options and run modes from either place they are validated.

    ``getter(key)`` returns an option; ``keys()`` lists them; ``check_mode`` and ``diff`` are the task's.
    """

    def __init__(self, getter, keys, check_mode=False, diff=False):
        self._getter = getter
        self._keys = keys
        self.check_mode = bool(check_mode)
        self.diff = bool(diff)

    @classmethod
    def from_module(cls, module):
        """The options of an AnsibleModule (validated by its constructor), its check and diff mode."""
        params = module.params
        return cls(params.get, params.keys, check_mode=module.check_mode, diff=module._diff)

    @classmethod
    def from_validated(cls, validated_parameters, task):
        """The options an action plugin validated (ArgumentSpecValidator's ``validated_parameters``), and the check
        and diff mode of its ``task``."""
        params = dict(validated_parameters)
        return cls(params.get, params.keys, check_mode=task.check_mode, diff=task.diff)

    def get_option(self, key):
        return self._getter(key)

    def get_options(self, *keys):
        return dict((key, self._getter(key)) for key in keys)

    def request(self):
        """The RunRequest of these options (a copy: the run may not change what the caller holds)."""
        return RunRequest(self.get_options(*self._keys()), check_mode=self.check_mode, diff=self.diff)

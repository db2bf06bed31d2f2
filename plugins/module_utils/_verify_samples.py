# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesyscloud.cx contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

# FOR INTERNAL COLLECTION USE ONLY
# The interfaces in this file are meant for use within the genesyscloud.cx collection and may change in
# any release.

"""The ``verify`` samples of a data_action_timeout run: each sample's action tested before the first write and,
for the actions the run updated, after the writes."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import time

from ansible_collections.genesyscloud.cx.plugins.module_utils._action_test import (
    not_run,
    only_one,
    read_action,
    run_test,
    tested_action,
)
from ansible_collections.genesyscloud.cx.plugins.module_utils.data_actions import UPDATED
from ansible_collections.genesyscloud.cx.plugins.module_utils.errors import GenesysCloudError, scrub


class Samples(object):
    """The ``verify`` samples of a run: their actions, found in the run's listing (or read), and their tests."""

    def __init__(self, client, samples, actions, whole_org, clock=time.monotonic):
        self._client = client
        self._clock = clock
        by_id = dict((a["id"], a) for a in actions)
        self.entries = []
        for sample in samples:
            action = by_id.get(sample["id"]) if sample.get("id") else None
            if action is None and sample.get("name") and whole_org:
                action = only_one([a for a in actions if a.get("name") == sample["name"]], sample["name"])
            if action is None:
                # Not in this run's listing (a run given its actions by id or name): one read, as data_action_test.
                action = read_action(client, sample.get("id"), sample.get("name"))
            tested_action(action)  # a custom authentication action named by its name is refused here
            self.entries.append((sample, action))

    def not_run(self, why):
        return [not_run(tested_action(action), why) for dummy, action in self.entries]

    def _test(self, tested, sample, watch):
        """The sample's test of the action ``tested`` describes; once the run must stop, an outcome saying why not."""
        reason = watch.reason()
        if reason:
            return not_run(tested, "not run: %s" % reason)
        return run_test(self._client, tested, sample["input"], self._clock)

    def before(self, watch):
        """Each sample's test before the first write; a request that fails raises, naming the sample's action."""
        outcomes = []
        for sample, action in self.entries:
            tested = tested_action(action)
            try:
                outcomes.append(self._test(tested, sample, watch))
            except GenesysCloudError as exc:
                exc.hint = ((exc.hint + " ") if exc.hint else "") + (
                    "This was the test of %r (%s) before the change: nothing was written." % (tested["name"], tested["id"]))
                raise
        return outcomes

    def after(self, results, watch, secrets):
        """The test, after the writes, of each sample whose action this run updated; a request that fails is
        recorded (``failed``) and the others are still tested."""
        updated = dict((r["id"], r) for r in results if r["status"] == UPDATED)
        outcomes = []
        for sample, action in self.entries:
            row = updated.get(action["id"])
            if row is None:
                continue
            config = dict(action.get("config") or {})
            if row.get("timeout_seconds_after") is None:
                config.pop("timeoutSeconds", None)
            else:
                config["timeoutSeconds"] = row["timeout_seconds_after"]
            tested = tested_action(dict(action, config=config))
            try:
                outcomes.append(self._test(tested, sample, watch))
            except GenesysCloudError as exc:
                outcomes.append(dict(tested, failed=True, success=None, timed_out=None, duration_ms=None,
                                     operations=[], error=None, msg=scrub(str(exc), secrets)))
        return outcomes


def verify_failure(outcomes):
    """The module's failure message when a test after the writes could not be run, else None."""
    failed = [o for o in outcomes or [] if o.get("failed")]
    if not failed:
        return None
    return "The timeouts were changed, but the test after the change of %s could not be run: %s" % (
        ", ".join("%r" % o["name"] for o in failed), failed[0]["msg"])

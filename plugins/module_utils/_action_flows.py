# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesyscloud.cx contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# FOR INTERNAL COLLECTION USE ONLY
# The interfaces in this file are meant for use within the genesyscloud.cx collection and may change in
# any release.

"""The ``dependencies`` option of data_action_timeout and data_action_info: which actions' calling flows a run
reads (module_utils/_dependencies.py reads them), and how each result and the run carry them.

Each result gets ``flows`` (a list of ``{id, name, type, version, state}``, or None when not asked or unknown) and
``flows_unknown`` (why they are unknown, else None). The run gets ``flows_touched``: the distinct published flows
that call the actions it changes (or would).
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from ansible_collections.genesyscloud.cx.plugins.module_utils._dependencies import PUBLISHED, ConsumingFlows

DEPENDENCIES_NONE, DEPENDENCIES_PLANNED, DEPENDENCIES_ALL = "none", "planned", "all"
DEPENDENCIES_CHOICES = (DEPENDENCIES_NONE, DEPENDENCIES_PLANNED, DEPENDENCIES_ALL)
NO_PUBLISHED_CALLER = "no published flow calls it"
_FLOW_KEYS = ("id", "name", "type", "version", "state")
_SHOWN_IN_A_LINE = 5


def read_flows(client, action_ids, parallel, warn, page_size, checked_in=False):
    """The flows of ``action_ids`` (published, and with ``checked_in`` the checked-in versions too; ``page_size``
    a page), each org warning given to ``warn``."""
    consuming = ConsumingFlows.read(client, action_ids, parallel=parallel, checked_in=checked_in,
                                    page_size=page_size)
    for warning in consuming.warnings:
        warn(warning)
    return consuming


def with_flows(result, consuming, asked):
    """``result`` with its ``flows`` and ``flows_unknown``: None for both when its action was not ``asked`` about."""
    action_id = result["id"]
    if consuming is None or action_id not in asked:
        result["flows"], result["flows_unknown"] = None, None
        return result
    found = consuming.flows.get(action_id)
    result["flows"] = None if found is None else [dict((key, flow.get(key)) for key in _FLOW_KEYS) for flow in found]
    result["flows_unknown"] = consuming.reasons.get(action_id) if found is None else None
    return result


def flows_touched(consuming, changed_ids):
    """The distinct published flows calling the actions changed (or that would be), and how many of those actions
    have unknown flows; None when no flows were read."""
    if consuming is None:
        return None
    flows, unknown = consuming.distinct_published(changed_ids)
    return {"count": len(flows), "flows": [dict((key, flow.get(key)) for key in _FLOW_KEYS) for flow in flows],
            "unknown_actions": unknown}


def flows_phrase(result):
    """One line on what calls an action: "called by 2 flows: Main IVR (INBOUNDCALLFLOW v12), ...", "no published
    flow calls it", or why they are unknown; None when they were not asked about."""
    flows = result.get("flows")
    if flows is None:
        reason = result.get("flows_unknown")
        return "flows unknown (%s)" % reason if reason else None
    published = [f for f in flows if f.get("state") == PUBLISHED]
    checked_in = [f for f in flows if f.get("state") != PUBLISHED]
    if not published:
        line = NO_PUBLISHED_CALLER
    else:
        shown = ", ".join(flow_label(f) for f in published[:_SHOWN_IN_A_LINE])
        more = len(published) - _SHOWN_IN_A_LINE
        line = "called by %d flow%s: %s%s" % (len(published), "" if len(published) == 1 else "s", shown,
                                              ", and %d more" % more if more > 0 else "")
    if checked_in:
        line += " (%d checked-in version%s not published)" % (len(checked_in), "" if len(checked_in) == 1 else "s")
    return line


def flow_label(flow):
    """A flow as a line names it: its name, type and version."""
    version = flow.get("version")
    return "%s (%s%s)" % (flow.get("name") or flow.get("id"), flow.get("type") or "flow",
                          " v%s" % version if version not in (None, "") else "")

# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesyscloud.cx contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

# FOR INTERNAL COLLECTION USE ONLY
# The interfaces in this file are meant for use within the genesyscloud.cx collection and may change in
# any release.

"""The run of data_action_info as a library call: a RunRequest (module_utils/_options.py) in, ``(msg, result)``
out, warnings through a callback. The module's main() and the data_action_info action's worker both call it."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from ansible_collections.genesyscloud.cx.plugins.module_utils._collector import collector_paused
from ansible_collections.genesyscloud.cx.plugins.module_utils._connection import build_client
from ansible_collections.genesyscloud.cx.plugins.module_utils._options import org_run_argument_spec
from ansible_collections.genesyscloud.cx.plugins.module_utils._action_flows import (
    DEPENDENCIES_ALL,
    DEPENDENCIES_NONE,
    read_flows,
    with_flows,
)
from ansible_collections.genesyscloud.cx.plugins.module_utils._function_actions import FunctionTimeouts
from ansible_collections.genesyscloud.cx.plugins.module_utils._timeout_requests import check_timeout
from ansible_collections.genesyscloud.cx.plugins.module_utils.data_actions import (
    effective_timeout,
    list_actions,
    list_drafts,
    sort_by_name,
    summarize,
    timeout_at_most,
    timeout_of,
    with_explicit_timeout,
)
from ansible_collections.genesyscloud.cx.plugins.module_utils.errors import GenesysCloudError, InvalidInputError, scrub
from ansible_collections.genesyscloud.cx.plugins.module_utils.execution_stats import (
    StatsOptions,
    observe,
)


def argument_spec():
    return org_run_argument_spec(
        category=dict(type="str"),
        timeout_at_most=dict(type="int"),
        explicit_timeout=dict(type="bool"),
        verdicts=dict(type="list", elements="str", choices=["timing_out", "at_risk", "ok", "oversized", "no_data"]),
        include_auth_actions=dict(type="bool", default=False),
        include_config=dict(type="bool", default=False),
        function_timeouts=dict(type="bool", default=False),
        drafts=dict(type="bool", default=False),
        page_size=dict(type="int", default=100),
        # It plans nothing: "planned" would have no actions to mean; all reads the flows of each action listed.
        dependencies=dict(type="str", choices=[DEPENDENCIES_NONE, DEPENDENCIES_ALL], default=DEPENDENCIES_NONE),
        dependencies_checked_in=dict(type="bool", default=False),
    )


def check_options(params):
    if params["timeout_at_most"] is not None:
        check_timeout(params["timeout_at_most"], "timeout_at_most")
    if params["page_size"] < 1:
        raise InvalidInputError("page_size must be at least 1, got %s." % params["page_size"])
    for key in ("id", "name", "category"):
        if params[key] is not None and not params[key].strip():
            raise InvalidInputError("%s must not be empty." % key)
    return StatsOptions.from_params(params)


def _run(params, client, stats_options, warn):
    actions = list_actions(
        client, ids=[params["id"]] if params["id"] else None, name=params["name"], category=params["category"],
        include_auth_actions=params["include_auth_actions"], page_size=params["page_size"])
    summaries = [summarize(a, include_config=params["include_config"]) for a in actions]
    if params["timeout_at_most"] is not None:
        summaries = timeout_at_most(summaries, params["timeout_at_most"])
    if params["explicit_timeout"] is not None:
        summaries = with_explicit_timeout(summaries, params["explicit_timeout"])
    if params["stats"] or params["verdicts"]:
        # Judged after the other filters, so the query's views cover only the timeouts still listed.
        summaries, warnings = observe(client, summaries, stats_options)
        for warning in warnings:
            warn(warning)
        if params["verdicts"]:
            summaries = [s for s in summaries if s["verdict"] in params["verdicts"]]
    # Read only for the actions still listed: one read per distinct integration and per function action, and
    # one drafts listing (by ids while they fit one request).
    by_id = dict((a["id"], a) for a in actions)
    if params["function_timeouts"]:
        functions = FunctionTimeouts.read(client, [by_id[s["id"]] for s in summaries])
        for warning in functions.warnings:
            warn(warning)
        for summary in summaries:
            action = by_id[summary["id"]]
            summary["integration_type"] = functions.integration_type(action)
            summary["function_timeout_seconds"] = functions.timeout(action["id"]) if functions.is_function(action) else None
    if params["drafts"]:
        drafts = list_drafts(client, [s["id"] for s in summaries], page_size=params["page_size"])
        for summary in summaries:
            draft = drafts.get(summary["id"])
            summary["draft"] = None if draft is None else {
                "version": draft.get("version"), "timeout_seconds": timeout_of(draft),
                "effective_timeout_seconds": effective_timeout(timeout_of(draft))}
    if params.get("dependencies") == DEPENDENCIES_ALL:
        # After every filter: never a read for an action it does not list.
        asked = [s["id"] for s in summaries]
        consuming = read_flows(client, asked, 8, warn, params["page_size"],
                               checked_in=bool(params.get("dependencies_checked_in")))
        for summary in summaries:
            with_flows(summary, consuming, set(asked))
    return False, {"data_actions": sort_by_name(summaries)}, None


def run_info(request, warn):
    """The listing asked by ``request`` (a RunRequest): ``(msg, result)``, ``msg`` the failure's message or None.
    ``warn(text)`` gets each warning. It only reads: check mode changes nothing."""
    params = request.params
    client = None
    try:
        stats_options = check_options(params)
        client = build_client(params, warn=warn)
        # Reads only: a large org's listing and answer are hundreds of thousands of new objects, none in a cycle
        # (see _collector.py).
        with collector_paused():
            changed, result, dummy = _run(params, client, stats_options, warn)
    except GenesysCloudError as exc:
        failed = {"changed": False}
        if client is not None:
            failed["rate_limit"] = client.rate_limit_summary()
        return scrub(str(exc), client.secrets() if client else []), failed
    result["changed"] = changed
    result["rate_limit"] = client.rate_limit_summary()
    return None, result

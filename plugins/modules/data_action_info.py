#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesyscloud.cx contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r"""
module: data_action_info
short_description: List Genesys Cloud data actions and their execution timeouts
version_added: 0.1.0
description:
  - Lists the data actions of an org with their execution timeout - the configured
    C(config.timeoutSeconds), and the one each runs with, since an action without a timeout runs with
    the platform default of 60 seconds (the maximum), so an unset timeout is never "low". With O(stats),
    also what each action really did and the timeout that fits it.
  - Reads the actions in one listing pass (C(GET /api/v2/integrations/actions) with their config),
    using the API's own filters for O(id), O(name) and O(category); no request per action.
  - Never changes anything.
  - An action without C(timeoutSeconds) runs with the platform default, 60 seconds, which is also the
    maximum. Each action reports both its configured timeout (RV(data_actions[].timeout_seconds), V(null)
    when unset) and the one it runs with (RV(data_actions[].effective_timeout_seconds), 60 when unset);
    every filter compares the effective one, so an unset timeout is never "low".
  - With O(stats), also what each action really did, from one analytics query per org - its execution
    count and times, a verdict (is the timeout too low, at risk, right, or far too high for what the
    backend does) and a recommended timeout sized from the p99, as Genesys advises.
  - Needs the permission C(integrations:action:view) (or C(bridge:actions:view)), for the listing, the
    drafts and O(stats); O(function_timeouts) also needs C(integrations:integration:view) and
    C(integrations:actionFunction:view).
author:
  - genesyscloud.cx maintainers (@genesyscloud-cx)
options:
  id:
    description:
      - Only the data action with this id. An id that does not exist gives an empty list.
    type: str
  name:
    description:
      - Only data actions with exactly this name.
    type: str
  category:
    description:
      - Only data actions in this category.
    type: str
  timeout_at_most:
    description:
      - Only data actions whose effective timeout is at most this many seconds (1 to 60). An action
        without a timeout runs with the 60 s default, so it is kept only by V(60).
      - Custom authentication actions have no timeout and are left out by this filter.
    type: int
  explicit_timeout:
    description:
      - V(true) keeps only the actions that set C(timeoutSeconds) themselves; V(false) only those that
        leave it to the 60 s platform default. Unset keeps both.
    type: bool
  verdicts:
    description:
      - Only data actions whose verdict (see O(stats)) is one of these; implies O(stats).
      - For example V([timing_out, at_risk]) finds the actions whose timeout is too low for what their
        backend does, and V([oversized]) those whose timeout only lets a stuck backend hold concurrency.
    type: list
    elements: str
    choices: [timing_out, at_risk, ok, oversized, no_data]
  include_auth_actions:
    description:
      - Whether to list custom authentication actions (ids starting C(customAuth_)) too.
    type: bool
    default: false
  include_config:
    description:
      - Whether to return each action's complete C(config) too.
    type: bool
    default: false
  function_timeouts:
    description:
      - Also report, for function data actions (integration type C(function-data-actions)), the function's
        own timeout (C(Function.timeoutSeconds), 1 to 15 seconds, 15 when unset) beside the action's - the
        function stops at its own timeout whatever the action's says.
      - The listing does not say which actions are function actions, so each distinct integration of the
        listed actions is read once (C(GET /api/v2/integrations/{integrationId}), permission
        C(integrations:integration:view)), then the function of each function action once (C(GET
        /api/v2/integrations/actions/{actionId}/function), permission C(integrations:actionFunction:view)).
        A read that is refused leaves those values V(null), with a warning.
    type: bool
    default: false
  drafts:
    description:
      - Also report which actions have a pending (unpublished) draft, and the timeout the draft holds.
        Publishing such a draft replaces the action's configuration with the draft's, timeout included.
      - Costs one listing of the drafts (C(GET /api/v2/integrations/actions/drafts), ceil(D / O(page_size))
        requests for D drafts; one request with the ids filter when at most 50 actions are listed).
    type: bool
    default: false
  dependencies:
    description:
      - Read, from Architect dependency tracking, the flows that call each action listed (after every filter) with
        V(all). V(none) reads none. It plans nothing, so there is no V(planned) here (data_action_timeout has it).
      - Costs one build-status read, then per action listed one request per page of its published flows
        (O(page_size) a page; one more per page of its checked-in flows with O(dependencies_checked_in)); none with
        V(none).
      - Needs C(architect:dependencyTracking:view). Without it, or while dependency tracking rebuilds, the run goes
        on and warns once, naming the permission the refusal asked for (or that tracking is rebuilding); the
        flows are then unknown (RV(data_actions[].flows_unknown) says why), never shown as none.
    type: str
    choices: [none, all]
    default: none
  dependencies_checked_in:
    description:
      - With O(dependencies=all), also list the checked-in versions (saved, not published) of the flows that call
        each action, marked C(state=checked_in) in RV(data_actions[].flows). Published flows are listed either way.
      - Costs one more request per action and page (an entry carries no mark of which version it is, so the
        checked-in flows are read with their own C(flowFilter), which keeps each mark exact).
    type: bool
    default: false
  page_size:
    description:
      - Actions per listing page. The API documents no maximum; the default is what the official Terraform
        provider uses.
      - Larger pages take fewer requests out of the token's rate limit (10,000 actions are 101 pages at
        100, 21 at 500), but a page size the API refuses fails the run, so raise it only where it has
        been tried.
    type: int
    default: 100
extends_documentation_fragment:
  - genesyscloud.cx.connection
  - genesyscloud.cx.execution_stats
  - genesyscloud.cx.attributes
  - genesyscloud.cx.attributes.info_module
attributes:
  action:
    description:
      - Has an action plugin. Where the module would run on the controller with the controller's own Python anyway
        (a C(local) connection, and C(ansible_python_interpreter) the playbook's Python, as C({{ ansible_playbook_python }})
        sets it - the delegated host's when the task is delegated; no become, async or task timeout), the task's
        worker calls the module's library itself, with the same arguments checked the same way (the alias and
        deprecation warnings in the result), the task's C(environment) for this call only, and the same result,
        secrets masked, without C(invocation) (as ansible-core's own controller-side actions). No module process is
        started, and a large org's listing is not encoded, masked and decoded once more on its way back. Otherwise
        the module runs as usual. C(-vvv) says which, and why.
    support: full
seealso:
  - module: genesyscloud.cx.data_action_timeout
"""

EXAMPLES = r"""
- name: Audit data action timeouts
  module_defaults:
    group/genesyscloud.cx.genesyscloud:
      region: mypurecloud.ie
      client_id: "{{ vault_genesys_client_id }}"
      client_secret: "{{ vault_genesys_client_secret }}"
  block:
    - name: Find actions whose timeout is 3 seconds or less (an unset timeout is 60 s, never low)
      genesyscloud.cx.data_action_info:
        timeout_at_most: 3
      register: low

    - name: Show them
      ansible.builtin.debug:
        msg: "{{ item.name }}: {{ item.effective_timeout_seconds }} s"
      loop: "{{ low.data_actions }}"

    - name: Find the actions still running with the 60 s platform default
      genesyscloud.cx.data_action_info:
        explicit_timeout: false
      register: unset

    - name: One category, with the complete config
      genesyscloud.cx.data_action_info:
        category: CRM
        include_config: true

    - name: The actions whose timeout does not fit what their backends did over the last two weeks
      genesyscloud.cx.data_action_info:
        verdicts: [timing_out, at_risk, oversized]
        stats_days: 14
      register: misfits

    - name: Function actions whose own timeout is below the action's, and actions with a pending draft
      genesyscloud.cx.data_action_info:
        function_timeouts: true
        drafts: true
      register: edges

    - name: Show them
      ansible.builtin.debug:
        msg: "{{ item.name }}: action {{ item.effective_timeout_seconds }} s, function {{ item.function_timeout_seconds }} s"
      loop: "{{ edges.data_actions | selectattr('function_timeout_seconds') | list }}"

    - name: Show each with its recommendation
      ansible.builtin.debug:
        msg: >-
          {{ item.name }}: {{ item.verdict }}, {{ item.effective_timeout_seconds }} s now,
          {{ item.recommended_timeout_seconds }} s recommended ({{ item.recommendation }})
      loop: "{{ misfits.data_actions }}"
"""

RETURN = r"""
rate_limit:
  description:
    - How the run kept to the rate limit. Genesys Cloud sends no rate-limit headers, so the module paces itself to
      O(requests_per_minute) requests in any 60 seconds and waits out every HTTP 429.
  returned: always, and on failure once a client was built
  type: dict
  contains:
    requests_per_minute:
      description: The pace the run started with (O(requests_per_minute)).
      type: int
      sample: 300
    learned_requests_per_minute:
      description:
        - The lower pace the run took for its rest after a 429 met within O(requests_per_minute) (a limit per
          org or per endpoint that the module cannot see), or V(null) when it kept its pace.
      type: int
      sample: 200
    rate_limited:
      description: How many answers were HTTP 429 (each was waited out and the request sent again, or it failed).
      type: int
      sample: 0
    waited_seconds:
      description: Seconds the run waited for the rate limit in all, C(paced_seconds) plus C(held_seconds).
      type: float
      sample: 58.2
    paced_seconds:
      description: Seconds during which requests waited for room within O(requests_per_minute).
      type: float
      sample: 58.2
    held_seconds:
      description: Seconds during which every request was held after a 429 (its C(Retry-After), else the seconds its
        message names, else a backoff).
      type: float
      sample: 0.0
data_actions:
  description: The matching data actions, sorted by name.
  returned: always
  type: list
  elements: dict
  contains:
    flows:
      description:
        - With O(dependencies) asking about the action, the flows that call it, sorted by name. C(state) is
          V(published) (what callers run today) or V(checked_in) (a saved version not published). An empty list
          means no flow calls it; none of them V(published) means no published flow calls it.
        - V(null) when its flows are unknown (see C(flows_unknown)) or were not asked about.
      returned: when O(dependencies) is not V(none)
      type: list
      elements: dict
      contains:
        id: {description: The flow's id., type: str}
        name: {description: The flow's name., type: str}
        type: {description: "The flow's type, for example V(INBOUNDCALLFLOW).", type: str}
        version: {description: "The flow's version, for example V(12.0).", type: str}
        state: {description: V(published) or V(checked_in)., type: str}
    flows_unknown:
      description: Why the action's flows are unknown (a refused permission, a rebuild, a failed read); else V(null).
      returned: when O(dependencies) is not V(none)
      type: str
    id:
      description: The action's id.
      type: str
      sample: custom_-_0b6f6c9e-2f34-4a54-9d5c-4c6f1d1f8a10
    name:
      description: The action's name.
      type: str
      sample: Lookup account
    category:
      description: The action's category.
      type: str
      sample: CRM
    integration_id:
      description: The id of the integration the action belongs to.
      type: str
      sample: 0b6f6c9e-1111-4a54-9d5c-4c6f1d1f8a10
    secure:
      description: Whether the action is secure (its inputs and outputs are not logged).
      type: bool
      sample: false
    version:
      description: The action's version; every update increments it.
      type: int
      sample: 4
    timeout_seconds:
      description: The configured C(config.timeoutSeconds), or V(null) when the action sets none.
      type: int
      sample: 3
    effective_timeout_seconds:
      description:
        - The timeout the action runs with, in seconds - RV(data_actions[].timeout_seconds), or 60 (the
          platform default) when that is V(null). V(60) for custom authentication actions too, which have
          no timeout of their own.
      type: int
      sample: 3
    kind:
      description:
        - V(custom) (user-made), V(static) (built-in, not updatable) or V(custom_auth) (a custom
          authentication action, where a timeout is invalid); from the id.
      type: str
      sample: custom
    config:
      description: The action's complete configuration.
      returned: when O(include_config=true)
      type: dict
      sample: {"timeoutSeconds": 3, "request": {"requestType": "GET"}, "response": {}}
    integration_type:
      description:
        - The type of the action's integration, for example V(custom-rest-actions) or
          V(function-data-actions); V(null) when the integration could not be read.
      returned: when O(function_timeouts=true)
      type: str
      sample: function-data-actions
    function_timeout_seconds:
      description:
        - For a function data action, its function's own timeout in seconds (1 to 15; 15 when the function
          sets none). V(null) for other actions, and when the function could not be read.
      returned: when O(function_timeouts=true)
      type: int
      sample: 15
    draft:
      description:
        - The action's pending (unpublished) draft, or V(null) when it has none. Publishing the draft replaces
          the action's configuration with the draft's, timeout included.
      returned: when O(drafts=true)
      type: dict
      contains:
        version:
          description: The draft's own version (a PATCH of the draft carries it).
          type: int
          sample: 2
        timeout_seconds:
          description: The draft's configured timeout; V(null) when it sets none (60 s).
          type: int
          sample: 3
        effective_timeout_seconds:
          description: The timeout the action would run with once the draft is published.
          type: int
          sample: 3
    stats:
      description:
        - What the action did over the last O(stats_days) days; V(null) when the analytics query was
          refused (see the warning).
      returned: when O(stats) or O(verdicts)
      type: dict
      contains:
        executions:
          description: How many executions, successful or not.
          type: int
          sample: 412
        successes:
          description: How many succeeded (no C(errorType), or C(NONE)).
          type: int
          sample: 400
        failures:
          description: How many failed (any other C(errorType)).
          type: int
          sample: 12
        failure_share:
          description: The failures as a share of the executions, to four places; V(null) without executions.
          type: float
          sample: 0.0291
        failures_by_error_type:
          description: The failures by C(errorType) (Genesys does not document the values).
          type: dict
          sample: {"timeout": 9, "remote_endpoint": 3}
        sized_executions:
          description:
            - The executions the timeout is sized from, compared with O(min_executions) - the successful
              ones plus the failed ones that ran to the timeout. Fast failures are left out.
          type: int
          sample: 409
        mean_ms:
          description:
            - The successful executions' mean time, in milliseconds (the analytics API gives no median);
              V(null) without a success.
          type: int
          sample: 830
        p95_ms:
          description: The successful executions' 95th percentile, in milliseconds; V(null) when the answer has none.
          type: int
          sample: 2400
        p99_ms:
          description:
            - The 99th percentile of the sized executions, in milliseconds - the server's, or an upper bound
              from the view counts (see C(p99_source)); V(null) without sized executions.
          type: int
          sample: 3000
        p99_source:
          description:
            - V(server) when C(p99_ms) is the answer's C(p99); V(ladder) when it is the smallest view bound
              under which 99% of the sized executions lie, at most the slowest success (the answer had no
              C(p99), or failed executions cut off at the timeout join the successes); V(null) without a p99.
          type: str
          sample: ladder
        max_ms:
          description: The slowest execution, successful or not, in milliseconds.
          type: int
          sample: 3042
        reached_timeout:
          description:
            - How many executions, successful or not, ran to the effective timeout (and were cut off
              there, so their real times are unknown and longer); V(null) when the answer cannot tell.
          type: int
          sample: 9
    verdict:
      description:
        - V(timing_out), V(at_risk), V(ok), V(oversized) or V(no_data) (see O(stats)); V(null) for
          custom authentication actions and when the analytics query was refused.
      returned: when O(stats) or O(verdicts)
      type: str
      sample: timing_out
    recommended_timeout_seconds:
      description: The timeout the observed times call for; V(null) without enough executions.
      returned: when O(stats) or O(verdicts)
      type: int
      sample: 10
    recommendation:
      description: The verdict and the recommendation explained, with the numbers.
      returned: when O(stats) or O(verdicts)
      type: str
      sample: >-
        9 of 412 executions in the last 7 days ran to the 3 s timeout and were cut off there, so their
        real times are longer: raise it to 10 s (p99 3010 ms x headroom 3 = 9.03 s, rounded up to 10 s;
        at least 1 s above the current timeout, since the cut-off times understate the p99)
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.genesyscloud.cx.plugins.module_utils._connection import require_requests
from ansible_collections.genesyscloud.cx.plugins.module_utils._info_run import argument_spec, run_info
from ansible_collections.genesyscloud.cx.plugins.module_utils._options import OptionAdapter


def main():
    module = AnsibleModule(argument_spec=argument_spec(), supports_check_mode=True)
    require_requests(module)
    msg, result = run_info(OptionAdapter.from_module(module).request(), module.warn)
    if msg:
        module.fail_json(msg=msg, **result)
    module.exit_json(**result)


if __name__ == "__main__":
    main()

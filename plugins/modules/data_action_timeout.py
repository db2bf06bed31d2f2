#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesyscloud.cx contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r"""
module: data_action_timeout
short_description: Set the execution timeout of Genesys Cloud data actions, safely
version_added: 0.1.0
description:
  - Sets C(config.timeoutSeconds), the 1 to 60 second limit Genesys Cloud enforces on each execution
    of a data action, on one action or many.
  - Idempotent. The actions are read in one listing; only those whose timeout differs are updated,
    one C(PATCH /api/v2/integrations/actions/{actionId}) each, carrying the version just read and the
    complete configuration as read with only C(timeoutSeconds) changed, so fields this module does
    not know about are kept.
  - Each update is verified from the answer (the new timeout, a newer version). When another change
    got there first (a version conflict), the action is read again and the decision made again, so a
    concurrent administrator's change is kept and a change already made is not repeated. An action
    fails after 3 such conflicts.
  - An update whose answer was lost (HTTP 5xx, dropped connection) is never sent blindly again; the
    action is read to learn whether it was applied, and sent again after a backoff only if it was
    not; an action fails after 4 such unanswered attempts.
  - All input is checked, and every named action found, before the first update; a batch with an
    invalid entry changes nothing. A failure on one action does not stop the others; the module then
    fails with a summary and still returns every result.
  - An action without C(timeoutSeconds) runs with the platform default, 60 seconds, the maximum; it
    reports RV(results[].timeout_seconds_before=null). Raising (O(mode=at_least)) compares the timeout
    an action runs with, so it never touches an unset action: setting any value below 60 would lower it.
  - Needs the permission C(integrations:action:edit) to update, and C(integrations:action:view) (or
    C(bridge:actions:view)) to read.
author:
  - genesyscloud.cx maintainers (@genesyscloud-cx)
options:
  id:
    description:
      - The id of one data action, for example C(custom_-_3f1c...).
      - Built-in C(static_) actions and C(customAuth_) custom authentication actions are refused, as
        their timeout cannot be set.
    type: str
  name:
    description:
      - The exact name of one data action. It is an error if no action or several have this name.
    type: str
  ids:
    description:
      - The ids of several data actions, all set to O(timeout_seconds).
    type: list
    elements: str
  actions:
    description:
      - Several data actions, each with its own timeout and, optionally, the version the change was
        approved against (the input of approved plans and of rollbacks).
    type: list
    elements: dict
    suboptions:
      id:
        description: The action's id. Give exactly one of O(actions[].id) and O(actions[].name).
        type: str
      name:
        description: The action's exact name.
        type: str
      timeout_seconds:
        description:
          - The timeout to set, 1 to 60 seconds, or V(null) to remove the explicit setting.
        type: raw
        required: true
      version:
        description:
          - The version the change was approved against. When the action's version now differs, and
            its timeout is not already as wanted, O(on_drift) decides.
        type: int
  timeout_seconds:
    description:
      - The timeout to set, in seconds, from 1 to 60. Required with O(id), O(name) and O(ids).
    type: int
  mode:
    description:
      - V(exact) sets the timeout to O(timeout_seconds) whether that raises or lowers it.
      - V(at_least) only raises; an action whose effective timeout is already at or above the target
        is left unchanged. An action without a timeout runs with the 60 s default, the maximum, so
        V(at_least) never changes it.
    type: str
    choices: [exact, at_least]
    default: exact
  on_drift:
    description:
      - What to do with an action whose version differs from O(actions[].version) and whose timeout
        is not already as wanted.
      - V(fail) makes the module fail. When the listing already shows the drift, nothing at all is
        written (the other actions are reported as V(would_update) with a message saying why they were
        not applied), so what runs is what was approved, or nothing. When the drift only shows during the
        run (a version conflict with a concurrent change), that action is left unchanged and reported
        as V(drifted), the others are done, and the module fails at the end.
      - V(skip) leaves it unchanged and reports it as V(drifted).
      - V(apply) updates it on its current version.
    type: str
    choices: [fail, skip, apply]
    default: fail
  parallel:
    description:
      - How many updates may be in flight at once, 1 to 32. When Genesys Cloud answers HTTP 429, all of
        them wait for its C(Retry-After) together.
    type: int
    default: 8
  page_size:
    description:
      - Actions per listing page. The API documents no maximum.
    type: int
    default: 100
extends_documentation_fragment:
  - genesyscloud.cx.connection
  - genesyscloud.cx.attributes
attributes:
  check_mode:
    description: Sends no write request at all, and reports the same C(changed) and RV(results) (status V(would_update)) as a real run.
    support: full
  diff_mode:
    description:
      - Shows the timeout of each action that changes, before and after, keyed by id.
      - A real run also shows the version before and after; check mode cannot know the new one.
    support: full
seealso:
  - module: genesyscloud.cx.data_action_info
  - module: genesyscloud.cx.oauth_token
"""

EXAMPLES = r"""
- name: Raise data action timeouts in one org
  module_defaults:
    group/genesyscloud.cx.genesyscloud:
      region: eu-west-1
      client_id: "{{ vault_genesys_client_id }}"
      client_secret: "{{ vault_genesys_client_secret }}"
  block:
    - name: Set one action's timeout to 15 seconds
      genesyscloud.cx.data_action_timeout:
        name: Lookup account
        timeout_seconds: 15

    - name: Raise several actions to at least 10 seconds, never lowering any
      genesyscloud.cx.data_action_timeout:
        ids:
          - custom_-_0b6f6c9e-2f34-4a54-9d5c-4c6f1d1f8a10
          - custom_-_7d1e0a55-8c3b-4f0e-b2a6-0f6f3c2b9e41
        timeout_seconds: 10
        mode: at_least
        parallel: 4
      register: raised

    - name: Apply an approved plan; skip actions changed since approval
      genesyscloud.cx.data_action_timeout:
        actions:
          - id: custom_-_0b6f6c9e-2f34-4a54-9d5c-4c6f1d1f8a10
            timeout_seconds: 20
            version: 7
          - name: Create ticket
            timeout_seconds: 30
        on_drift: skip

    - name: Roll back one change, unless the action was changed again since (version_after of the update)
      genesyscloud.cx.data_action_timeout:
        actions:
          - id: custom_-_7d1e0a55-8c3b-4f0e-b2a6-0f6f3c2b9e41
            timeout_seconds: null  # it had no explicit timeout before
            version: 5
        on_drift: skip

- name: Preview the change with a diff, writing nothing
  genesyscloud.cx.data_action_timeout:
    api_base_url: http://127.0.0.1:8080
    client_id: demo-client
    client_secret: demo-secret
    id: custom_-_0b6f6c9e-2f34-4a54-9d5c-4c6f1d1f8a10
    timeout_seconds: 12
  check_mode: true
  diff: true
"""

RETURN = r"""
results:
  description:
    - One entry per requested action, in the order requested. Returned also when the module fails.
  returned: always
  type: list
  elements: dict
  contains:
    id:
      description: The action's id.
      type: str
      sample: custom_-_0b6f6c9e-2f34-4a54-9d5c-4c6f1d1f8a10
    name:
      description: The action's name.
      type: str
      sample: Lookup account
    status:
      description:
        - V(updated) changed now; V(would_update) would change (check mode); V(unchanged) already as
          wanted; V(drifted) version differs from the approved one, left unchanged; V(failed) see RV(results[].msg).
      type: str
      sample: updated
    timeout_seconds_before:
      description: The configured timeout before, as read; V(null) when the action sets none (it then runs with 60 s).
      type: int
      sample: 3
    timeout_seconds_after:
      description: The timeout after (predicted in check mode); V(null) when none is set.
      type: int
      sample: 10
    version_before:
      description: The action's version before, as read (the version the update was made against).
      type: int
      sample: 4
    version_after:
      description:
        - The action's version after the update, from the server's answer; the current version when
          unchanged; V(null) in check mode for an action that would change.
      type: int
      sample: 5
    msg:
      description: What was decided and why, or the error.
      type: str
      sample: timeout 3 s -> 10 s
  sample:
    - id: custom_-_0b6f6c9e-2f34-4a54-9d5c-4c6f1d1f8a10
      name: Lookup account
      status: updated
      timeout_seconds_before: 3
      timeout_seconds_after: 10
      version_before: 4
      version_after: 5
      msg: timeout 3 s -> 10 s
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.genesyscloud.cx.plugins.module_utils._connection import (
    build_client,
    connection_argument_spec,
    require_requests,
)
from ansible_collections.genesyscloud.cx.plugins.module_utils.data_actions import (
    MAX_PARALLEL,
    UPDATED,
    WOULD_UPDATE,
    Plan,
    diff_of,
    failure_summary,
    read_for_requests,
    resolve,
    timeout_requests,
)
from ansible_collections.genesyscloud.cx.plugins.module_utils.errors import GenesysCloudError, InvalidInputError, scrub


def argument_spec():
    spec = connection_argument_spec()
    spec.update(
        id=dict(type="str"),
        name=dict(type="str"),
        ids=dict(type="list", elements="str"),
        actions=dict(type="list", elements="dict", options=dict(
            id=dict(type="str"),
            name=dict(type="str"),
            timeout_seconds=dict(type="raw", required=True),
            version=dict(type="int"),
        ), mutually_exclusive=[["id", "name"]], required_one_of=[["id", "name"]]),
        timeout_seconds=dict(type="int"),
        mode=dict(type="str", choices=["exact", "at_least"], default="exact"),
        on_drift=dict(type="str", choices=["fail", "skip", "apply"], default="fail"),
        parallel=dict(type="int", default=8),
        page_size=dict(type="int", default=100),
    )
    return spec


def check_options(params):
    """Everything that can be checked before a request is sent; returns the validated requests."""
    wanted = timeout_requests(params)
    if not 1 <= params["parallel"] <= MAX_PARALLEL:
        raise InvalidInputError("parallel must be from 1 to %d, got %s." % (MAX_PARALLEL, params["parallel"]))
    if params["page_size"] < 1:
        raise InvalidInputError("page_size must be at least 1, got %s." % params["page_size"])
    return wanted


def run(module, client, wanted):
    """Plan from one listing, then apply (or stop before writing in check mode)."""
    params = module.params
    actions = read_for_requests(client, wanted, page_size=params["page_size"])
    plan = Plan(resolve(wanted, actions), mode=params["mode"], on_drift=params["on_drift"])
    if plan.refused():
        # on_drift: fail and the listing already shows drift: what runs is what was approved, or nothing.
        return False, {"results": plan.refused_results()}, diff_of([])
    if module.check_mode:
        results = plan.predicted_results()
    else:
        results = plan.apply(client, parallel=params["parallel"], secrets=client.secrets())
    changed = any(r["status"] in (UPDATED, WOULD_UPDATE) for r in results)
    return changed, {"results": results}, diff_of(results)


def main():
    module = AnsibleModule(
        argument_spec=argument_spec(),
        mutually_exclusive=[["id", "name", "ids", "actions"]],
        required_one_of=[["id", "name", "ids", "actions"]],
        supports_check_mode=True,
    )
    require_requests(module)
    client = None
    try:
        wanted = check_options(module.params)
        client = build_client(module.params, pool_size=module.params["parallel"] + 1)
        changed, result, diff = run(module, client, wanted)
    except GenesysCloudError as exc:
        module.fail_json(msg=scrub(str(exc), client.secrets() if client else []), changed=False, results=[])
    summary = failure_summary(result["results"], module.params["on_drift"])
    if module._diff:
        result["diff"] = diff
    if summary:
        module.fail_json(msg=scrub(summary, client.secrets()), changed=changed, **result)
    module.exit_json(changed=changed, **result)


if __name__ == "__main__":
    main()
